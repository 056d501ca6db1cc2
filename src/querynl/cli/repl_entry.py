"""What plain ``querynl`` does: start the REPL when a database is configured, else show help.

A database is configured by ``querynl --db URL`` or ``-c NAME``, by ``DATABASE_URL``, or by the
config file's ``[connections] default``. ``--db``/``-c`` given before a command act as that
command's own ``--db``/``-c`` (``querynl --db blog.db data "add 5 users"``).
"""

from __future__ import annotations

from typing import Any

import click

from ..errors import UsageError


def default_entry(ctx: click.Context, db: str | None, connection: str | None) -> None:
    from ..connections import resolve_database

    try:
        resolve_database(db, connection)
    except UsageError:
        if db or connection:
            raise
        click.echo(ctx.get_help())
        return
    from .repl import repl

    ctx.invoke(repl, db=db, connection=connection)


def inherit_database(ctx: click.Context, db: str | None, connection: str | None) -> None:
    """Make the group's ``--db``/``-c`` the default of every command that takes them."""
    given = {k: v for k, v in (("db", db), ("connection", connection)) if v}
    if given and isinstance(ctx.command, click.Group):
        ctx.default_map = _defaults_for(ctx.command, ctx, given)


def _defaults_for(group: click.Group, ctx: click.Context, given: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None:
            continue
        params = {p.name for p in cmd.params}
        entry: dict[str, Any] = {k: v for k, v in given.items() if k in params}
        if isinstance(cmd, click.Group):
            entry.update(_defaults_for(cmd, ctx, given))
        if entry:
            tree[name] = entry
    return tree
