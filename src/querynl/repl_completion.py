"""Completion for the REPL, in two separate steps (as pgcli does).

1. ``slot_at(text)`` decides what kind of word fits at the cursor — a backslash command, a
   table, a column of a given table, an SQL keyword, an option — from the text alone.
2. A ``Catalog`` says which names of that kind exist (tables and columns from the schema the
   session read, commands from the registry).

``ReplCompleter`` joins the two for prompt_toolkit.

    >>> slot_at("\\\\schema ord").kinds
    ('table',)
    >>> slot_at("SELECT * FROM orders WHERE sta").kinds
    ('column', 'keyword')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from . import repl_commands
from .line_router import DATA_VERBS, SQL_STARTERS, route_line, words
from .repl_commands import WordKind

# After these SQL words a table name fits.
_TABLE_BEFORE = words("from join into update table truncate describe desc exists")
SQL_KEYWORDS = tuple(
    sorted(
        SQL_STARTERS
        | words(
            """
            from where group by order having limit offset join left right inner outer full
            cross on as and or not null is in like between distinct count sum avg min max
            case when then else end asc desc union all exists returning set values into
            """
        )
    )
)
FIRST_WORDS = tuple(sorted(SQL_STARTERS | DATA_VERBS))


@dataclass(frozen=True)
class Slot:
    """What fits at the cursor: the kinds of word, the partial word typed, and context."""

    kinds: tuple[WordKind, ...]
    word: str = ""
    table: str | None = None  # for "column": the table named before ("orders.st", \schema)
    tables: tuple[str, ...] = field(default=())  # words of the line that may name tables
    command: str | None = None  # for "subcommand" and "option": the backslash command
    sql: bool = False  # names go into SQL: quote them where the database needs it


def slot_at(text: str) -> Slot:
    """What kind of word fits at the end of ``text`` (the text before the cursor)."""
    word = _partial_word(text)
    before = text[: len(text) - len(word)]
    if text.startswith("\\"):
        return _command_slot(text, word, before)
    words = before.split()
    if not words:
        return Slot(("keyword",), word)
    if route_line(before).kind == "sql":
        return _sql_slot(word, words)
    return Slot(("table",), word)  # a sentence asking for data names tables


def _partial_word(text: str) -> str:
    match = re.search(r"[\w.\\-]*$", text)
    return match.group(0) if match else ""


def _command_slot(text: str, word: str, before: str) -> Slot:
    if " " not in text:
        return Slot(("command",), text[1:])
    name, _, rest = before[1:].partition(" ")
    try:
        cmd = repl_commands.find_command(name)
    except Exception:  # noqa: BLE001 - an unknown command completes nothing
        return Slot((), word)
    args = repl_commands.split_arguments(rest)
    if word.startswith("-"):
        return Slot(("option",), word, command=cmd.name)
    kinds = cmd.kinds_at(len(args))
    table = args[0] if "column" in kinds and args else None
    return Slot(kinds, word, table=table, command=cmd.name)


def _sql_slot(word: str, words: list[str]) -> Slot:
    if "." in word:
        table, _, partial = word.rpartition(".")
        return Slot(("column",), partial, table=table.strip('"`'), sql=True)
    previous = words[-1].lower().rstrip(",")
    if previous in _TABLE_BEFORE:
        return Slot(("table",), word, sql=True)
    named = tuple(w.strip('"`,;()') for w in words)
    return Slot(("column", "keyword"), word, tables=named, sql=True)


class Catalog(Protocol):
    """The names that exist, by kind."""

    def tables(self) -> list[str]: ...

    def columns(self, table: str | None) -> list[str]: ...

    def quote(self, name: str) -> str: ...


def candidates(slot: Slot, catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(text to insert, what it is) for every name of the slot's kinds."""
    for kind in slot.kinds:
        yield from _names(kind, slot, catalog)


def _names(kind: WordKind, slot: Slot, catalog: Catalog) -> Iterable[tuple[str, str]]:
    if kind == "command":
        return ((name, "command") for name in repl_commands.command_names())
    if kind == "subcommand":
        cmd = repl_commands.find_command(slot.command or "")
        return ((s, f"\\{cmd.name} {s}") for s in cmd.subcommands)
    if kind == "option":
        return ((o, "option") for o in repl_commands.data_option_names())
    if kind == "table":
        return ((t, "table") for t in catalog.tables())
    if kind == "column":
        return _columns(slot, catalog)
    return ((k, "keyword") for k in (SQL_KEYWORDS if slot.tables else FIRST_WORDS))


def _columns(slot: Slot, catalog: Catalog) -> Iterable[tuple[str, str]]:
    if slot.table is not None:
        return ((c, slot.table) for c in catalog.columns(slot.table))
    known = {t.lower(): t for t in catalog.tables()}
    named = [known[w.lower()] for w in slot.tables if w.lower() in known]
    return ((c, t) for t in dict.fromkeys(named) for c in catalog.columns(t))


class ReplCompleter(Completer):
    """prompt_toolkit completer: ``slot_at`` for the kind, the catalog for the names."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def get_completions(
        self, document: Document, complete_event: CompleteEvent
    ) -> Iterator[Completion]:
        slot = slot_at(document.text_before_cursor)
        prefix = slot.word.lower()
        seen: set[str] = set()
        for name, meta in candidates(slot, self.catalog):
            if not name.lower().startswith(prefix) or name in seen:
                continue
            seen.add(name)
            yield Completion(
                self._insert(name, meta, slot),
                start_position=-len(slot.word),
                display=name,
                display_meta=meta,
            )

    def _insert(self, name: str, meta: str, slot: Slot) -> str:
        if meta == "keyword":
            return name.upper() if slot.word[:1].isupper() else name
        if slot.sql:
            return self.catalog.quote(name)
        if slot.command and " " in name:  # a backslash command's argument
            return f'"{name}"'
        return name
