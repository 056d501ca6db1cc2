"""What plain ``querynl`` does: show help (the REPL starts when a database is configured)."""

from __future__ import annotations

import click


def default_entry(ctx: click.Context) -> None:
    click.echo(ctx.get_help())
