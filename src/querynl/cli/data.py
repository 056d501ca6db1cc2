"""``querynl data`` and ``querynl demo``: thin wrappers over schema_design.test_data_generator."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

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
        click.option(
            "--sql-out",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            metavar="FILE",
            help="Also write the run as an SQL script for this database (with --dry-run: "
            "only the script).",
        ),
        click.option(
            "--format",
            "out_format",
            type=click.Choice(["csv", "jsonl"]),
            default=None,
            help="Write one file per table into --out DIR instead of inserting.",
        ),
        click.option(
            "--out",
            "out_dir",
            type=click.Path(file_okay=False, path_type=Path),
            default=None,
            metavar="DIR",
            help="The folder for --format files.",
        ),
        click.option(
            "--save-plan",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            metavar="FILE",
            help="Save the plan as editable YAML.",
        ),
        click.option(
            "--plan",
            "plan_file",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            metavar="FILE",
            help="Run a saved plan (no request needed).",
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


REQUEST_COMMAND = "request"  # the hidden subcommand behind `querynl data REQUEST`


class DataGroup(click.Group):
    """``querynl data REQUEST [OPTIONS]``, or ``querynl data runs|undo|clear ...``.

    A first word that names a subcommand runs it; anything else is a request, so
    ``querynl data "add 5 users"`` works as it always did.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = [REQUEST_COMMAND, *args]
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        command = self.commands[REQUEST_COMMAND]
        sub = click.Context(command, info_name=ctx.info_name, parent=ctx.parent)
        command.format_help(sub, formatter)
        self.format_commands(ctx, formatter)


class RequestCommand(click.Command):
    """Shows its usage as ``querynl data [OPTIONS] REQUEST``."""

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        path = ctx.command_path
        if ctx.info_name == REQUEST_COMMAND and ctx.parent is not None:
            path = ctx.parent.command_path
        formatter.write_usage(path, " ".join(self.collect_usage_pieces(ctx)))


@click.group(cls=DataGroup)
def data() -> None:
    """Fill the database with test data, and take it back (runs, undo, clear)."""


@data.command(REQUEST_COMMAND, cls=RequestCommand, hidden=True)
@click.argument("request", required=False, default="")
@database_options
@click.option("--schema", "schema", default=None, help="PostgreSQL schema (default: public).")
@click.option(
    "--keep-foreign-keys",
    is_flag=True,
    help="Check foreign keys row by row instead of dropping and re-adding them around a large "
    "PostgreSQL load; slower, but takes no exclusive table locks.",
)
@data_options
def data_request(
    request: str, db: str | None, connection: str | None, schema: str | None, **opts: object
) -> None:
    """Fill the database with test data described in one sentence.

    \b
    Examples:
      querynl data "add 50 users and 200 posts" --db sqlite:///blog.db
      querynl data "add some sample data" --db postgresql://me@localhost/shop --dry-run
      querynl data "add 1k orders" -c shop --seed 42 --yes
      querynl data "add 50 users" --db blog.db --sql-out users.sql --dry-run
      querynl data "add 50 users" --db blog.db --format csv --out export/
      querynl data "add 50 users" --db blog.db --save-plan plan.yaml --dry-run
      querynl data --plan plan.yaml --db blog.db --yes
      querynl data runs | undo [RUN] | clear [TABLE...]   (see below)
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
    sql_out: Path | None = None,
    out_format: str | None = None,
    out_dir: Path | None = None,
    save_plan: Path | None = None,
    plan_file: Path | None = None,
    infer_relations: bool = False,
    keep_foreign_keys: bool = False,
) -> None:
    """Plan, show, confirm and execute one request (shared by ``data``, ``demo`` and the REPL)."""
    from ..config import load_settings
    from ..interrupts import interrupts_deferred
    from ..llm import resolve_llm
    from ..schema_design import test_data_generator as tdg
    from . import render
    from .confirm import check_can_confirm, confirm_insert
    from .progress import planning_status

    _check_outputs(request, plan_file, out_format, out_dir, sql_out)
    settings = load_settings()
    options = tdg.DataOptions(
        llm=resolve_llm(settings.llm, llm, llm_model, llm_base_url),
        seed=seed if seed is not None else settings.data.seed,
        now=now,
        locale=locale or settings.data.locale,
        schema=schema,
        batch_size=batch_size or settings.data.batch_size,
        infer_relations=infer_relations,
        keep_foreign_keys=keep_foreign_keys,
    )
    with planning_status(as_json):
        prepared = _prepare(engine, request, options, plan_file, seed, now)
    plan = prepared.plan
    if save_plan is not None:
        from ..plan_file import save_plan as write_plan

        write_plan(plan, save_plan)
    if out_format is not None and out_dir is not None:
        return _write_files(engine, prepared, options, out_format, out_dir, as_json)
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
        if sql_out is not None:
            from ..schema_design.export import SqlScript

            tdg.export(prepared, engine, [SqlScript(sql_out, engine, prepared.meta, plan)], options)
        if as_json:
            click.echo(render.result_json(plan, None))
        else:
            wrote = f" The SQL script is in {sql_out}." if sql_out is not None else ""
            render.console().print(f"Dry run: nothing was inserted.{wrote}")
        return
    if ask:
        confirm_insert(plan, threshold)
    progress = _progress_bar(as_json, [(t.table, t.count) for t in plan.tables])
    result = None
    sinks = []
    if sql_out is not None:
        from ..schema_design.export import SqlScript

        sinks.append(SqlScript(sql_out, engine, prepared.meta, plan))
    try:
        with progress as bar:
            result = tdg.execute(prepared, engine, options, bar.update if bar else None, sinks)
    except KeyboardInterrupt:
        if result is None:
            raise
        # Ctrl+C after the commit: the rows are in, so say what landed
    with interrupts_deferred():
        if as_json:
            click.echo(render.result_json(plan, result))
        else:
            render.print_result(result)


def _check_outputs(
    request: str,
    plan_file: Path | None,
    out_format: str | None,
    out_dir: Path | None,
    sql_out: Path | None,
) -> None:
    if not request.strip() and plan_file is None:
        raise UsageError(
            "querynl data needs a request, or a saved plan with --plan FILE.",
            hint='For example: querynl data "add 20 rows to every table" --db blog.db',
        )
    if request.strip() and plan_file is not None:
        raise UsageError(
            "Give either a request or --plan FILE, not both: a saved plan is run as it is.",
            hint="Edit the plan file to change what it inserts.",
        )
    if (out_format is None) != (out_dir is None):
        raise UsageError(
            "--format and --out go together: --format csv|jsonl --out DIR.",
            hint='querynl data "add 50 users" --db blog.db --format csv --out export/',
        )
    if out_format is not None and sql_out is not None:
        raise UsageError("Use either --format/--out files or --sql-out, not both.")


def _prepare(
    engine,  # type: ignore[no-untyped-def]
    request: str,
    options: Any,
    plan_file: Path | None,
    seed: int | None,
    now: dt.date | None,
) -> Any:
    """Plan the request, or read the saved plan and check it against the schema as it is."""
    from ..schema_design import test_data_generator as tdg

    if plan_file is None:
        return tdg.prepare(request, engine, options)
    from ..plan_file import check_plan, load_plan

    plan = load_plan(plan_file)
    if seed is not None:
        plan.seed = seed
    if now is not None:
        plan.now = now
    prepared = tdg.prepare(request, engine, options, plan=plan)
    check_plan(plan, prepared.meta, str(plan_file))
    return prepared


def _write_files(  # type: ignore[no-untyped-def]
    engine, prepared, options, out_format: str, out_dir: Path, as_json: bool
) -> None:
    """``--format csv|jsonl --out DIR``: one file per table, nothing inserted."""
    import json

    from ..schema_design import test_data_generator as tdg
    from ..schema_design.export import TableFiles
    from . import render

    files = TableFiles(out_dir, out_format, engine, prepared.meta, prepared.plan)
    counts = tdg.export(prepared, engine, [files], options)
    if as_json:
        click.echo(
            json.dumps({"files": {t: str(p) for t, p in files.paths.items()}, "rows": counts})
        )
        return
    for table, path in files.paths.items():
        render.console().print(f"{path}: {counts[table]:,} rows")
    render.console().print("Nothing was inserted into the database.")


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
