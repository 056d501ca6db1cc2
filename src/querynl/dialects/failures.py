"""What a database's error says, as facts: which kind of violation, table, column, constraint
and value.

Each dialect holds a class table ``ERROR_PATTERNS`` of (kind, regular expression) pairs over the
driver's message; named groups ``table``, ``column``, ``constraint`` and ``value`` capture the
facts. PostgreSQL needs no patterns: psycopg hands over the server's diagnostics as fields.
The insertion executor turns the facts into a sentence and a hint in plain words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

ErrorKind = Literal[
    "unique",
    "exclusion",
    "foreign_key",
    "check",
    "not_null",
    "too_long",
    "out_of_range",
    "bad_value",
]


@dataclass(frozen=True)
class ErrorFacts:
    """What an integrity or data error was about; every field may be unknown."""

    kind: ErrorKind | None = None
    table: str | None = None
    column: str | None = None
    constraint: str | None = None
    value: str | None = None


def driver_message(exc: BaseException) -> str:
    """The driver's own words: PyMySQL's ``(1062, "Duplicate entry...")`` becomes the text."""
    args = getattr(exc, "args", ())
    if len(args) == 2 and isinstance(args[0], int) and isinstance(args[1], str):
        return f"{args[1]} ({args[0]})"
    return str(exc).strip() or type(exc).__name__


def facts_from_text(
    patterns: tuple[tuple[ErrorKind, re.Pattern[str]], ...], text: str
) -> ErrorFacts:
    for kind, pattern in patterns:
        match = pattern.search(text)
        if match:
            found = {k: v for k, v in match.groupdict().items() if v}
            return ErrorFacts(kind=kind, **found)
    return ErrorFacts()


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


SQLITE: tuple[tuple[ErrorKind, re.Pattern[str]], ...] = (
    ("unique", _rx(r"UNIQUE constraint failed: (?P<table>[^.,\s]+)\.(?P<column>[^,]+)")),
    ("not_null", _rx(r"NOT NULL constraint failed: (?P<table>[^.,\s]+)\.(?P<column>\S+)")),
    ("check", _rx(r"CHECK constraint failed: (?P<constraint>.+)$")),
    ("foreign_key", _rx(r"FOREIGN KEY constraint failed")),
    ("bad_value", _rx(r"datatype mismatch")),
)

_MY_NAME = r"`?(?:[^`.]+`?\.`?)?(?P<table>[^`.]+)`?"
MYSQL: tuple[tuple[ErrorKind, re.Pattern[str]], ...] = (
    (
        "unique",
        _rx(r"Duplicate entry '(?P<value>.*)' for key '(?:[^'.]+\.)?(?P<constraint>[^']+)'"),
    ),
    (
        "foreign_key",
        _rx(
            r"foreign key constraint fails \(" + _MY_NAME + r", CONSTRAINT `(?P<constraint>[^`]+)`"
            r" FOREIGN KEY \(`(?P<column>[^`]+)`"
        ),
    ),
    ("check", _rx(r"CONSTRAINT `(?P<constraint>[^`]+)` failed for " + _MY_NAME)),
    ("check", _rx(r"Check constraint '(?P<constraint>[^']+)' is violated")),
    ("not_null", _rx(r"Column '(?P<column>[^']+)' cannot be null")),
    ("too_long", _rx(r"Data too long for column '(?P<column>[^']+)'")),
    # what LOAD DATA LOCAL reports instead (for a long text, an unknown ENUM label, ...)
    ("bad_value", _rx(r"Data truncated for column '(?P<column>[^']+)'")),
    ("out_of_range", _rx(r"Out of range value for column '(?P<column>[^']+)'")),
    ("bad_value", _rx(r"Incorrect \w+ value: '(?P<value>.*)' for column [`']?(?P<column>[^`']+)")),
)

# PostgreSQL SQLSTATE classes -> kind (psycopg gives them in ``diag.sqlstate``)
POSTGRESQL_STATES: dict[str, ErrorKind] = {
    "23505": "unique",
    "23P01": "exclusion",
    "23503": "foreign_key",
    "23514": "check",
    "23502": "not_null",
    "22001": "too_long",
    "22003": "out_of_range",
    "22P02": "bad_value",
    "22007": "bad_value",
    "22008": "out_of_range",
}
_PG_KEY = re.compile(r"Key \((?P<column>.+?)\)=\((?P<value>.*)\) (?:already exists|is not present)")


def postgresql_facts(orig: Any) -> ErrorFacts:
    """Facts from psycopg's diagnostics (``orig.diag``) and the server's DETAIL line."""
    diag = getattr(orig, "diag", None)
    if diag is None:
        return ErrorFacts()
    key = _PG_KEY.search(diag.message_detail or "")
    return ErrorFacts(
        kind=POSTGRESQL_STATES.get(diag.sqlstate or ""),
        table=diag.table_name,
        column=diag.column_name or (key.group("column") if key else None),
        constraint=diag.constraint_name,
        value=key.group("value") if key else None,
    )
