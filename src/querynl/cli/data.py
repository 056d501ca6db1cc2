"""``querynl data`` and ``querynl demo``: thin wrappers over schema_design.test_data_generator."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..errors import UsageError
from .options import database_options

# The pipeline, Rich and SQLAlchemy load when a command runs, not for `querynl --help`.

DEMO_FILE = "querynl-demo.db"
DEMO_MARK = 7041  # PRAGMA user_version of a database `querynl demo` created
DEMO_REQUEST = (
    "add 200 customers, 250 addresses, 12 categories, 80 products, 1000 orders, "
    "2500 order items and 600 reviews"
)


def _parse_now(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise click.BadParameter("use a date such as 2025-01-31") from None


def data_options(func):  # type: ignore[no-untyped-def]
    """Options shared by ``data`` and ``demo``."""
    options = [
        click.option("--seed", type=int, default=None, help="Seed for reproducible rows."),
        click.option(
            "--now",
            callback=_parse_now,
            metavar="DATE",
            default=None,
            help="Reference day for relative dates (default: today, UTC).",
        ),
        click.option("--locale", default=None, help="Faker locale, e.g. de_DE (default en_US)."),
        click.option("--dry-run", is_flag=True, help="Show the plan; insert nothing."),
        click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation."),
        click.option(
            "--batch-size",
            type=click.IntRange(1, 1_000_000),
            default=None,
            help="Rows per batch (default from config, 10000).",
        ),
        click.option(
            "--sample",
            type=click.IntRange(0, 100),
            default=3,
            show_default=True,
            help="Sample rows to show per table.",
        ),
        click.option("--json", "as_json", is_flag=True, help="Print the result as JSON."),
        click.option(
            "--infer-relations",
            is_flag=True,
            help="Treat columns named like user_id as foreign keys to the table they name, "
            "where the schema declares none.",
        ),
        click.option(
            "--confirm-over",
            type=click.IntRange(0),
            default=None,
            help="Ask before inserting more rows than this (default 1000).",
        ),
        click.option(
            "--llm",
            "llm",
            type=click.Choice(["none", "openai", "anthropic"]),
            default=None,
            help="Let an LLM refine the plan (default from config: none). openai also "
            "covers OpenAI-compatible servers such as Ollama (see --llm-base-url).",
        ),
        click.option("--llm-model", default=None, metavar="NAME", help="Model name."),
        click.option(
            "--llm-base-url",
            default=None,
            metavar="URL",
            help="OpenAI-compatible API address, e.g. http://localhost:11434/v1 for Ollama.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command()
@click.argument("request")
@database_options
@click.option("--schema", "schema", default=None, help="PostgreSQL schema (default: public).")
@data_options
def data(
    request: str, db: str | None, connection: str | None, schema: str | None, **opts: object
) -> None:
    """Fill the database with test data described in one sentence.

    \b
    Examples:
      querynl data "add 50 users and 200 posts" --db sqlite:///blog.db
      querynl data "add some sample data" --db postgresql://me@localhost/shop --dry-run
      querynl data "add 1k orders" -c shop --seed 42 --yes
    """
    from ..connection import create_engine
    from ..connections import resolve_database

    engine = create_engine(resolve_database(db, connection))
    try:
        run_request(engine, request, schema=schema, **opts)  # type: ignore[arg-type]
    finally:
        engine.dispose()


def run_request(
    engine,  # type: ignore[no-untyped-def]
    request: str,
    *,
    schema: str | None = None,
    seed: int | None = None,
    now: dt.date | None = None,
    locale: str | None = None,
    dry_run: bool = False,
    yes: bool = False,
    batch_size: int | None = None,
    sample: int = 3,
    as_json: bool = False,
    confirm_over: int | None = None,
    llm: str | None = None,
    llm_model: str | None = None,
    llm_base_url: str | None = None,
    infer_relations: bool = False,
) -> None:
    """Plan, show, confirm and execute one request (shared by ``data``, ``demo`` and the REPL)."""
    from ..config import load_settings
    from ..llm import resolve_llm
    from ..schema_design import test_data_generator as tdg
    from ..schema_design.insertion_executor import interrupts_deferred
    from . import render
    from .confirm import check_can_confirm, confirm_insert
    from .progress import planning_status

    settings = load_settings()
    options = tdg.DataOptions(
        llm=resolve_llm(settings.llm, llm, llm_model, llm_base_url),
        seed=seed if seed is not None else settings.data.seed,
        now=now,
        locale=locale or settings.data.locale,
        schema=schema,
        batch_size=batch_size or settings.data.batch_size,
        infer_relations=infer_relations,
    )
    with planning_status(as_json):
        prepared = tdg.prepare(request, engine, options)
    plan = prepared.plan
    threshold = confirm_over if confirm_over is not None else settings.data.confirm_over
    ask = not dry_run and not yes and plan.total_rows > threshold
    if not as_json:
        render.print_plan(plan, advice=prepared.advice)
    if ask:
        check_can_confirm(plan, threshold)  # before the samples: fail fast without a terminal
    if not as_json and sample:
        with planning_status(as_json, "Generating sample rows…"):
            samples = tdg.sample_rows(prepared, engine, sample)
            preview = tdg.insert_preview(prepared, engine, sample)
        render.print_insert_preview(preview)
        render.print_samples(samples)
    if dry_run:
        if as_json:
            click.echo(render.result_json(plan, None))
        else:
            render.console().print("Dry run: nothing was inserted.")
        return
    if ask:
        confirm_insert(plan, threshold)
    progress = _progress_bar(as_json, [(t.table, t.count) for t in plan.tables])
    result = None
    try:
        with progress as bar:
            result = tdg.execute(prepared, engine, options, bar.update if bar else None)
    except KeyboardInterrupt:
        if result is None:
            raise
        # Ctrl+C after the commit: the rows are in, so say what landed
    with interrupts_deferred():
        if as_json:
            click.echo(render.result_json(plan, result))
        else:
            render.print_result(result)


class _NoProgress:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _progress_bar(as_json: bool, tables: list[tuple[str, int]]):  # type: ignore[no-untyped-def]
    if as_json or not sys.stderr.isatty():
        return _NoProgress()
    from .progress import TableProgress

    return TableProgress(tables)


@click.command()
@click.option(
    "--path",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(DEMO_FILE),
    show_default=True,
    help="Where to create the database.",
)
@click.option(
    "--request",
    "request",
    default=DEMO_REQUEST,
    show_default=False,
    help="The sentence to fill it with.",
)
@data_options
def demo(path: Path, request: str, **opts: object) -> None:
    """Create an SQLite e-commerce database and fill it with realistic data.

    \b
    Examples:
      querynl demo
      querynl demo --path shop.db --seed 7 --locale de_DE
    """
    from ..connection import create_engine

    create_demo_database(path)
    engine = create_engine(f"sqlite:///{path}")
    opts["yes"] = True
    try:
        run_request(engine, request, **opts)  # type: ignore[arg-type]
    finally:
        engine.dispose()
    if not opts.get("as_json") and not opts.get("dry_run"):
        click.echo(
            f"\nDemo database: {path}\nTry: querynl repl --db {path}   or   "
            f'sqlite3 {path} "SELECT status, COUNT(*) FROM orders GROUP BY status"'
        )


def create_demo_database(path: Path) -> None:
    """Create the demo schema at ``path``; replace only a file that an earlier demo made."""
    import sqlite3
    from importlib.resources import files

    if path.exists():
        with sqlite3.connect(path) as con:
            mark = con.execute("PRAGMA user_version").fetchone()[0]
        con.close()
        if mark != DEMO_MARK:
            raise UsageError(
                f"{path} exists and was not created by `querynl demo`; it is left untouched.",
                hint="Pass --path with another file name.",
            )
        path.unlink()
    ddl = files("querynl").joinpath("data/demo.sql").read_text(encoding="utf-8")
    con = sqlite3.connect(path)
    try:
        con.executescript(ddl)
        con.commit()
    finally:
        con.close()
