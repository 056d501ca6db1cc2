"""``querynl schema``: the schema as QueryNL reads it, and how it would fill each column."""

from __future__ import annotations

import click

from .options import database_options


@click.command("schema")
@click.argument("table", required=False)
@database_options
@click.option("--schema", "schema", default=None, help="PostgreSQL schema (default: public).")
@click.option(
    "--explain",
    is_flag=True,
    help="Show each column's meaning and the generator that would fill it.",
)
@click.option("--locale", default=None, help="Faker locale used by --explain, e.g. de_DE.")
@click.option(
    "--domain",
    default=None,
    help="Vocabulary for --explain (ecommerce, blog, medical, finance, hr, education, "
    "logistics, media); default: read from the table names.",
)
@click.option("--generators", "list_generators", is_flag=True, help="List the generator catalogue.")
def schema(
    table: str | None,
    db: str | None,
    connection: str | None,
    schema: str | None,
    explain: bool,
    locale: str | None,
    domain: str | None,
    list_generators: bool,
) -> None:
    """Show the tables of a database, one table in full, or how each column would be filled.

    \b
    Examples:
      querynl schema --db sqlite:///blog.db
      querynl schema orders --db postgresql://me@localhost/shop
      querynl schema --explain --db querynl-demo.db
      querynl schema --generators
    """
    from . import render, schema_view

    console = render.console()
    if list_generators:
        console.print(generators_table())
        return
    from ..connection import create_engine
    from ..connections import resolve_database
    from ..schema_introspection import introspect, require_tables

    engine = create_engine(resolve_database(db, connection))
    try:
        meta = introspect(engine, schema)
    finally:
        engine.dispose()
    require_tables(meta)
    if explain:
        from ..planner import PlanOptions
        from ..planner import explain as explain_plan

        options = PlanOptions(locale=locale or "en_US", seed=0)
        plans = explain_plan(meta, options, domain)
        for tplan in plans:
            if table and tplan.table != schema_view.find_table(meta, table).name:
                continue
            console.print(schema_view.explain_table(tplan, meta.table(tplan.table)))
        return
    if table:
        for part in schema_view.table_details(meta, table):
            console.print(part)
        return
    console.print(schema_view.tables_overview(meta))


def generators_table():  # type: ignore[no-untyped-def]
    """The closed catalogue of generators with what each one makes."""
    from rich.table import Table

    from .. import generators

    out = Table(title="Generators", title_justify="left")
    out.add_column("name", style="bold")
    out.add_column("what it makes")
    out.add_column("parameters")
    for name, cls in sorted(generators.catalogue().items()):
        params = ", ".join(cls.Params.model_fields)
        out.add_row(name, cls.summary, params or "-")
    return out
