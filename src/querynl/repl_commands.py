"""The REPL's backslash commands, from one registry that also writes ``\\help``.

Each command is registered once with its name, its arguments, a one-line help text, what kind
of word fits at each argument (for completion) and its handler:

    @command("tables", "", "List the tables with their row counts.")
    def _tables(session, argument): ...

The handlers call the same functions as the ``querynl`` commands (``run_request`` for
``\\data``, the schema view for ``\\schema``), so the REPL can do nothing a script cannot.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import click
from rich.table import Table
from rich.text import Text

from .errors import UsageError, did_you_mean

if TYPE_CHECKING:
    from .repl import ReplSession

# What kind of word fits at a place in a line (completion asks the catalog for the names).
WordKind = Literal["command", "subcommand", "table", "column", "keyword", "option"]
Handler = Callable[["ReplSession", str], bool | None]  # False ends the REPL


@dataclass(frozen=True)
class ReplCommand:
    """One backslash command: ``\\name arguments`` — help."""

    name: str
    arguments: str
    help: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    # per argument position, the kinds of word that fit; the last entry repeats
    argument_kinds: tuple[tuple[WordKind, ...], ...] = ()
    subcommands: tuple[str, ...] = ()

    @property
    def usage(self) -> str:
        return f"\\{self.name} {self.arguments}".rstrip()

    def kinds_at(self, position: int) -> tuple[WordKind, ...]:
        if not self.argument_kinds:
            return ()
        return self.argument_kinds[min(position, len(self.argument_kinds) - 1)]


_REGISTRY: dict[str, ReplCommand] = {}


def command(
    name: str,
    arguments: str,
    help: str,  # noqa: A002 - the registry's own word
    *,
    aliases: tuple[str, ...] = (),
    argument_kinds: tuple[tuple[WordKind, ...], ...] = (),
    subcommands: tuple[str, ...] = (),
) -> Callable[[Handler], Handler]:
    """Register a handler as ``\\name`` (and its aliases)."""

    def register(handler: Handler) -> Handler:
        cmd = ReplCommand(name, arguments, help, handler, aliases, argument_kinds, subcommands)
        for key in (name, *aliases):
            _REGISTRY[key] = cmd
        return handler

    return register


def all_commands() -> list[ReplCommand]:
    """Every command once, in the order they were registered."""
    return list(dict.fromkeys(_REGISTRY.values()))


def command_names() -> list[str]:
    """Names and aliases, for completion."""
    return list(_REGISTRY)


def find_command(name: str) -> ReplCommand:
    """The command called ``name`` (or one of its aliases); a did-you-mean error otherwise."""
    try:
        return _REGISTRY[name.lower()]
    except KeyError:
        raise UsageError(
            f"Unknown command \\{name}." + did_you_mean(name, _REGISTRY),
            hint="\\help lists the commands.",
        ) from None


def split_arguments(argument: str) -> list[str]:
    """Words of an argument; "double quotes" keep names with spaces together."""
    try:
        return shlex.split(argument)
    except ValueError:  # an unclosed quote: take the words as they are
        return argument.split()


# ---------------------------------------------------------------------------------------------
# \data
# ---------------------------------------------------------------------------------------------

_OPTION_START = re.compile(r"(?:^|\s)(--[A-Za-z][\w-]*|-y)(?=[\s=]|$)")


def split_request(argument: str) -> tuple[str, list[str]]:
    """ "add 50 users --seed 3 --dry-run" → ("add 50 users", ["--seed", "3", "--dry-run"])."""
    match = _OPTION_START.search(argument)
    if not match:
        return argument.strip(), []
    start = match.start(1)
    return argument[:start].strip(), split_arguments(argument[start:])


def data_arguments(argv: list[str]) -> dict[str, object]:
    """The ``querynl data`` options given after a REPL request, read by the same Click options.

    Only the options typed are returned, so the REPL's own defaults apply to the rest.
    """
    from .cli.data import data_options

    @click.command("\\data", add_help_option=False)
    @data_options
    def parse(**_: object) -> None:
        return None

    ctx = parse.make_context("\\data", list(argv))
    given = {
        name: value
        for name, value in ctx.params.items()
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE
    }
    return given


def data_option_names() -> list[str]:
    """``--seed``, ``--dry-run``... as the REPL's ``\\data`` accepts them (for completion)."""
    from .cli.data import data_options

    @click.command()
    @data_options
    def probe(**_: object) -> None:
        return None

    return [opt for param in probe.params for opt in param.opts if opt.startswith("--")]


@command(
    "data",
    "<request> [--options] | undo [RUN] [--cascade] [--yes] | runs | clear [TABLE]... [--yes]",
    "Plan and insert test data described in one sentence (options as for `querynl data`).",
    argument_kinds=(("subcommand", "table", "option"), ("table", "option")),
    subcommands=("undo", "runs", "clear"),
)
def _data(session: ReplSession, argument: str) -> None:
    words = argument.split()
    if words and words[0].lower() == "undo":
        return _undo(session, words[1:])
    if words and words[0].lower() == "clear":
        return _clear(session, words[1:])
    if words and words[0].lower() == "runs" and len(words) == 1:
        return session.runs()
    request, argv = split_request(argument)
    if not request and "--plan" not in argv:
        raise UsageError(
            "\\data needs a request, for example: \\data add 20 rows to every table",
            hint="\\help shows more examples.",
        )
    session.run_data(request, data_arguments(argv))
    return None


def _undo(session: ReplSession, words: list[str]) -> None:
    """``\\data undo [RUN] [--cascade] [--yes]``."""
    flags = {w for w in words if w.startswith("-")}
    unknown = flags - {"--cascade", "--yes", "-y"}
    ids = [w for w in words if not w.startswith("-")]
    if unknown or len(ids) > 1 or (ids and not ids[0].isdigit()):
        raise UsageError(
            f"\\data undo takes a run number and --cascade, --yes; not {' '.join(words)!r}.",
            hint="\\data runs lists the runs; \\data undo takes back the last one.",
        )
    session.undo(
        int(ids[0]) if ids else None, cascade="--cascade" in flags, yes=bool(flags - {"--cascade"})
    )


def _clear(session: ReplSession, words: list[str]) -> None:
    """``\\data clear [TABLE]... [--yes]``: as ``querynl data clear``."""
    flags = {w for w in words if w.startswith("-")}
    if flags - {"--yes", "-y"}:
        raise UsageError(
            f"\\data clear takes table names and --yes; not {' '.join(sorted(flags))!r}.",
            hint="\\data clear empties every table; \\data clear posts comments only those.",
        )
    session.clear([w for w in words if not w.startswith("-")], yes=bool(flags))


# ---------------------------------------------------------------------------------------------
# \tables, \schema
# ---------------------------------------------------------------------------------------------


@command("tables", "", "List the tables with their row counts and relations.", aliases=("dt",))
def _tables(session: ReplSession, argument: str) -> None:
    from .cli.schema_view import tables_overview

    session.console.print(tables_overview(session.meta(count_rows=True)))


@command(
    "schema",
    "[table [column]]",
    "Show columns, types, keys, constraints and row counts (of one table, or of all).",
    aliases=("d",),
    argument_kinds=(("table",), ("column",), ()),
)
def _schema(session: ReplSession, argument: str) -> None:
    from .cli import schema_view

    meta = session.meta(count_rows=True)
    words = split_arguments(argument)
    if not words:
        for name in meta.tables:
            for part in schema_view.table_details(meta, name):
                session.console.print(part)
            session.console.print()
        return
    if len(words) > 2:
        raise UsageError("\\schema takes a table and, optionally, one of its columns.")
    if len(words) == 2:
        session.console.print(schema_view.column_details(meta, words[0], words[1]))
        return
    for part in schema_view.table_details(meta, words[0]):
        session.console.print(part)


# ---------------------------------------------------------------------------------------------
# \help, \quit
# ---------------------------------------------------------------------------------------------


@command(
    "help",
    "[command]",
    "Show the commands and examples of data requests.",
    aliases=("?", "h"),
    argument_kinds=(("command",), ()),
)
def _help(session: ReplSession, argument: str) -> None:
    name = argument.strip().lstrip("\\")
    if name:
        session.console.print(command_help(find_command(name)))
        return
    session.console.print(commands_table())
    session.console.print(Text("\nData requests", style="bold"))
    session.console.print(
        "Type a sentence that asks for rows (or put it after \\data); the plan is shown "
        "before anything is written:"
    )
    for example in session.request_examples():
        session.console.print(Text("  " + example, style="green"))
    session.console.print(Text("\nSQL", style="bold"))
    session.console.print(
        "Any other line that starts with an SQL keyword runs as SQL, in one transaction "
        "(SELECT shows rows, other statements the rows they changed)."
    )
    session.console.print(
        Text("\nTab completes commands, tables and columns; Ctrl+C cancels; Ctrl+D quits.")
    )


def commands_table() -> Table:
    table = Table(title="Commands", title_justify="left", show_header=False, box=None)
    table.add_column("usage", style="bold cyan", no_wrap=True)
    table.add_column("help")
    for cmd in all_commands():
        aliases = ", ".join(f"\\{a}" for a in cmd.aliases)
        table.add_row(Text(cmd.usage), Text(cmd.help + (f" (also {aliases})" if aliases else "")))
    return table


def command_help(cmd: ReplCommand) -> Text:
    text = Text(cmd.usage, style="bold cyan")
    text.append("\n" + cmd.help)
    if cmd.name == "data":
        text.append("\nOptions: " + ", ".join(data_option_names()))
        text.append(
            "\n\\data undo [RUN] takes back the rows of the last run (or of RUN); "
            "\\data runs lists the runs; \\data clear [TABLE]... empties tables (every "
            "table when none is named), children first."
        )
    return text


@command("quit", "", "Leave the REPL (Ctrl+D does the same).", aliases=("q", "exit"))
def _quit(session: ReplSession, argument: str) -> bool:
    return False
