"""``querynl repl``: a thin wrapper over ``querynl.repl.run_repl``."""

from __future__ import annotations

import click

from .options import database_options


@click.command("repl")
@database_options
@click.option("--schema", "schema", default=None, help="PostgreSQL schema (default: public).")
@click.option("--yes", "-y", is_flag=True, help="Answer yes to every confirmation.")
@click.option(
    "--confirm-over",
    type=click.IntRange(0),
    default=None,
    help="Ask before inserting more rows than this (default 1000).",
)
@click.option("--seed", type=int, default=None, help="Seed for every \\data request.")
@click.option("--locale", default=None, help="Faker locale for every \\data request.")
def repl(
    db: str | None,
    connection: str | None,
    schema: str | None,
    yes: bool,
    confirm_over: int | None,
    seed: int | None,
    locale: str | None,
) -> None:
    """Talk to the database: SQL, backslash commands, and sentences that add data.

    \b
    Examples:
      querynl repl --db sqlite:///blog.db
      querynl repl -c shop
      querynl --db querynl-demo.db          (plain querynl starts the REPL too)
    \b
    At the prompt:
      add 20 sample orders
      \\data add 50 users and 200 posts --seed 7
      \\tables   \\schema orders   \\help   \\quit
      SELECT status, COUNT(*) FROM orders GROUP BY status
    """
    from ..connection import create_engine
    from ..connections import resolve_database
    from ..repl import run_repl

    defaults = {"yes": yes, "confirm_over": confirm_over, "seed": seed, "locale": locale}
    engine = create_engine(resolve_database(db, connection))
    try:
        run_repl(engine, schema=schema, data_defaults=_given(defaults))
    finally:
        engine.dispose()


def _given(options: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in options.items() if v is not None and v is not False}
