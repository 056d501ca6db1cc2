"""What a line typed at the REPL is: a backslash command, SQL, a request for data, or none.

The REPL asks ``route_line`` and acts on the answer; nothing here touches the terminal.

    >>> route_line("add 20 sample orders", ["orders"]).kind
    'data'
    >>> route_line("SELECT * FROM orders", ["orders"]).kind
    'sql'

SQL is recognised by its first keyword. Three of those keywords are also English verbs for
adding rows ("insert 20 orders", "create 10 users", "replace ..."); such a line is SQL only when
sqlglot reads it as that statement, and otherwise a request for data when it reads like one.
A request for data starts with a verb that asks for rows ("add", "populate", "fill", ...) or
with a count of a table ("50 users"), and names a table, a count or data in general.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

RouteKind = Literal["empty", "command", "sql", "data", "unknown"]


def words(text: str) -> frozenset[str]:
    """A vocabulary written as a block of words."""
    return frozenset(text.split())


# First words that start an SQL statement in at least one of the supported databases.
SQL_STARTERS = words(
    """
    select with insert update delete merge upsert replace values table create drop alter
    truncate rename comment grant revoke explain analyze analyse describe desc show pragma
    vacuum reindex attach detach begin start commit rollback savepoint release set reset use
    call do copy lock unlock listen notify load handler prepare execute deallocate checkpoint
    cluster refresh discard optimize repair flush kill
    """
)
# SQL keywords that are also ordinary verbs for "add rows".
_AMBIGUOUS = frozenset({"insert", "create", "replace", "load"})
# Verbs (and polite openings) that start a request for data.
DATA_VERBS = words(
    """
    add populate fill generate seed insert create make give need want put load produce
    """
)
_OPENINGS = (
    "please",
    "now",
    "also",
    "then",
    "can you",
    "could you",
    "i need",
    "i want",
    "i'd like",
    "i would like",
    "let's",
    "lets",
)
# Words that mean "data" or "every table" without naming one.
_DATA_NOUNS = words(
    """
    data rows row records record entries everything all every each table tables database
    db sample samples test dummy fake realistic
    """
)
_NUMBER_WORDS = words(
    """
    one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty seventy eighty ninety hundred thousand million dozen few some several many
    lots couple handful
    """
)
_WORD = re.compile(r"[^\W_]+(?:[_'-][^\W_]+)*|\d[\d,._]*k?", re.UNICODE)
_NUMBER = re.compile(r"^\d[\d,._]*k?$")


@dataclass(frozen=True)
class RoutedLine:
    """The answer of ``route_line``: what the line is, and the text to act on."""

    kind: RouteKind
    text: str
    command: str | None = None  # for kind "command": the name without the backslash
    argument: str = ""  # for kind "command": everything after the name


def route_line(
    line: str, table_names: Iterable[str] = (), dialect: str | None = None
) -> RoutedLine:
    """Classify one line typed at the REPL (see the module docstring)."""
    text = line.strip()
    if not text:
        return RoutedLine("empty", text)
    if text.startswith("\\"):
        name, _, argument = text[1:].partition(" ")
        return RoutedLine("command", text, command=name.lower(), argument=argument.strip())
    first = _first_word(text)
    names = list(table_names)
    if first in SQL_STARTERS and not (first in _AMBIGUOUS and _not_that_statement(text, dialect)):
        return RoutedLine("sql", text)
    if looks_like_data_request(text, names):
        return RoutedLine("data", text)
    if first in SQL_STARTERS or text.startswith("("):
        return RoutedLine("sql", text)
    return RoutedLine("unknown", text)


def looks_like_data_request(text: str, table_names: Iterable[str] = ()) -> bool:
    """True for sentences that ask for rows: "add 20 sample orders", "fill everything"."""
    said = [w.lower() for w in _WORD.findall(text)]
    if not said:
        return False
    tables = _table_forms(table_names)
    rest = _after_opening(said)
    if rest and rest[0] in DATA_VERBS:
        return any(_is_count(w) or w in _DATA_NOUNS or w in tables for w in rest[1:]) or (
            _mentions_table(rest[1:], tables)
        )
    # "50 users and 200 posts": a count right before a table name
    return any(
        _is_count(a) and (b in tables or f"{b} {c}" in tables)
        for a, b, c in zip(said, said[1:], [*said[2:], ""])
    )


def _first_word(text: str) -> str:
    match = re.match(r"\s*([A-Za-z_]+)", text)
    return match.group(1).lower() if match else ""


def _not_that_statement(text: str, dialect: str | None) -> bool:
    """True when sqlglot does not read ``text`` as a real INSERT/CREATE/REPLACE/LOAD."""
    import sqlglot
    from sqlglot import exp

    from .checks import SQLGLOT_DIALECTS

    read = SQLGLOT_DIALECTS.get(dialect or "", None)
    try:
        parsed = sqlglot.parse(text, read=read)
    except (sqlglot.errors.ParseError, sqlglot.errors.TokenError):
        return True
    return not parsed or any(p is None or isinstance(p, exp.Command) for p in parsed)


def _after_opening(said: list[str]) -> list[str]:
    joined = " ".join(said)
    for opening in _OPENINGS:
        if joined.startswith(opening + " "):
            return said[len(opening.split()) :]
    return said


def _is_count(word: str) -> bool:
    return bool(_NUMBER.match(word)) or word in _NUMBER_WORDS


def _table_forms(table_names: Iterable[str]) -> set[str]:
    """Each table as a person may write it: users, user, order items, order_item..."""
    forms: set[str] = set()
    for name in table_names:
        low = name.lower()
        for base in (low, low.replace("_", " ")):
            forms.update({base, _singular(base), base + "s"})
    return forms


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _mentions_table(said: list[str], tables: set[str]) -> bool:
    pairs = (f"{a} {b}" for a, b in zip(said, said[1:]))
    return any(p in tables for p in pairs)
