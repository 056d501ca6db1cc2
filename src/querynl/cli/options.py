"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click
from click.shell_completion import CompletionItem

F = TypeVar("F", bound=Callable[..., Any])


def _complete_connection(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    from ..connections import list_connections

    try:
        names = [c.name for c in list_connections()]
    except Exception:  # completion must never fail loudly
        return []
    return [CompletionItem(n) for n in names if n.startswith(incomplete)]


def database_options(func: F) -> F:
    """Add ``--db URL`` and ``--connection/-c NAME``; pass both to ``resolve_database``.

    >>> @click.command()
    ... @database_options
    ... def tables(db, connection):
    ...     url = resolve_database(db, connection)
    """
    func = click.option(
        "--connection",
        "-c",
        "connection",
        metavar="NAME",
        default=None,
        shell_complete=_complete_connection,
        help="Use a saved connection (see: querynl connect list).",
    )(func)
    return click.option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help="Database URL or SQLite file path (else --connection, else DATABASE_URL).",
    )(func)
