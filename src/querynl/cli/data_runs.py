"""``querynl data runs``, ``querynl data undo`` and ``querynl data clear``: thin wrappers over
the run ledger (``ledger``) and row removal (``schema_design.row_removal``)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import click

from ..errors import Cancelled
from .data import data
from .options import database_options


def _schema_option(func):  # type: ignore[no-untyped-def]
    return click.option(
        "--schema", "schema", default=None, help="PostgreSQL schema (default: public)."
    )(func)


def _engine(db: str | None, connection: str | None):  # type: ignore[no-untyped-def]
    from ..connection import create_engine
    from ..connections import resolve_database

    return create_engine(resolve_database(db, connection))


@data.command("runs")
@database_options
@_schema_option
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON.")
def runs(db: str | None, connection: str | None, schema: str | None, as_json: bool) -> None:
    """List the recorded runs of this database, newest first.

    \b
    Examples:
      querynl data runs --db blog.db
      querynl data runs -c shop --json
    """
    from ..ledger import Ledger, database_label

    engine = _engine(db, connection)
    try:
        if as_json:
            found = Ledger().runs(database_label(engine.url), schema)
            click.echo(json.dumps([run_summary(r) for r in found]))
        else:
            print_runs(engine, schema)
    finally:
        engine.dispose()


def print_runs(engine, schema: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """The runs of ``engine``'s database as a table (``querynl data runs`` and the REPL)."""
    from rich.table import Table

    from ..ledger import Ledger, database_label

    label = database_label(engine.url)
    found = Ledger().runs(label, schema)
    console = _console()
    if not found:
        console.print(f"No runs are recorded for {label}.")
        return
    table = Table(title=f"Runs on {label}", title_justify="left")
    for name in ("run", "when (UTC)", "rows", "tables", "seed", "request", "state"):
        table.add_column(name, justify="right" if name in ("run", "rows") else "left")
    for run in found:
        table.add_row(
            str(run.id),
            run.created_at.replace("T", " ")[:19],
            f"{run.total_rows:,}",
            _tables_text(run),
            str(run.seed),
            run.request,
            f"undone {run.undone_at.replace('T', ' ')[:19]}" if run.undone_at else "in place",
        )
    console.print(table)


def _tables_text(run) -> str:  # type: ignore[no-untyped-def]
    if len(run.tables) > 3:
        return f"{len(run.tables)} tables"
    return ", ".join(f"{t.table} {t.rows:,}" for t in run.tables)


def run_summary(run) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "run_id": run.id,
        "created_at": run.created_at,
        "database": run.database,
        "request": run.request,
        "seed": run.seed,
        "rows": {t.table: t.rows for t in run.tables},
        "undone_at": run.undone_at,
    }


@data.command("undo")
@click.argument("run_id", metavar="[RUN_ID]", required=False, type=int)
@database_options
@_schema_option
@click.option(
    "--cascade", is_flag=True, help="Also delete other rows that reference the run's rows."
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def undo(
    run_id: int | None,
    db: str | None,
    connection: str | None,
    schema: str | None,
    cascade: bool,
    yes: bool,
) -> None:
    """Delete exactly the rows a run inserted (the last run by default), children first.

    \b
    Examples:
      querynl data undo --db blog.db
      querynl data undo 12 --db blog.db --cascade --yes
    """
    engine = _engine(db, connection)
    try:
        undo_run(engine, run_id, schema=schema, cascade=cascade, yes=yes)
    finally:
        engine.dispose()


def undo_run(  # type: ignore[no-untyped-def]
    engine,
    run_id: int | None,
    *,
    schema: str | None = None,
    cascade: bool = False,
    yes: bool = False,
) -> None:
    """Find, plan, confirm and undo one run (shared by ``querynl data undo`` and the REPL)."""
    from ..schema_design import row_removal

    run = row_removal.find_run(engine, run_id, schema)
    console = _console()
    if run.undone_at:
        console.print(
            f"Run {run.id} was already undone ({run.undone_at.replace('T', ' ')[:19]} UTC); "
            "nothing to do."
        )
        return
    shown = meta = None
    if cascade:
        meta, shown = row_removal.prepare_undo(engine, run, cascade=True)
        if shown.cascaded:
            extra = ", ".join(f"{n:,} rows of {t}" for t, n in shown.cascaded.items())
            own = shown.total - sum(shown.cascaded.values())
            _confirm(
                f"Undo run {run.id}: delete its {own:,} rows and, with --cascade, {extra} that "
                "reference them?",
                yes,
            )
    deleted, removal = row_removal.undo(engine, run, cascade=cascade, shown=shown, meta=meta)
    console.print(f"Undid run {run.id} ({run.request}): {_deleted_text(deleted, removal.order)}.")


@data.command("clear")
@click.argument("tables", nargs=-1, metavar="[TABLE]...")
@database_options
@_schema_option
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def clear(
    tables: tuple[str, ...], db: str | None, connection: str | None, schema: str | None, yes: bool
) -> None:
    """Empty the named tables (or every table), children first, and reset their sequences.

    \b
    Examples:
      querynl data clear --db blog.db
      querynl data clear comments posts --db blog.db --yes
    """
    engine = _engine(db, connection)
    try:
        clear_tables(engine, tables, schema=schema, yes=yes)
    finally:
        engine.dispose()


def clear_tables(  # type: ignore[no-untyped-def]
    engine, tables: Sequence[str], *, schema: str | None = None, yes: bool = False
) -> None:
    """Plan, confirm and clear tables (shared by ``querynl data clear`` and the REPL)."""
    from ..schema_design import row_removal

    meta, removal = row_removal.prepare_clear(engine, tables, schema)
    counts = ", ".join(f"{removal.counts[t]:,} rows of {t}" for t in removal.order)
    _confirm(f"Delete {counts}?", yes)
    deleted = row_removal.clear(engine, meta, removal)
    _console().print(f"Cleared: {_deleted_text(deleted, removal.order)}.")


def _deleted_text(deleted: dict[str, int], order: list[str]) -> str:
    parts = [f"{deleted.get(t, 0):,} rows of {t}" for t in order]
    return "deleted " + ", ".join(parts) if parts else "nothing to delete"


def _confirm(question: str, yes: bool) -> None:
    """Ask, unless ``--yes``; without a terminal say that ``--yes`` is needed."""
    from ..errors import ConfirmationRequired
    from .confirm import can_ask

    if yes:
        return
    if not can_ask():
        raise ConfirmationRequired(
            f"{question} There is no terminal to confirm it.",
            hint="Add --yes to go ahead without asking.",
        )
    try:
        answer = click.confirm(question, default=False, err=True)
    except click.Abort:
        answer = False
    if not answer:
        raise Cancelled("Nothing was deleted.")


def _console():  # type: ignore[no-untyped-def]
    from . import render

    return render.console()
