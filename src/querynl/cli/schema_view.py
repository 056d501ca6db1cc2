"""The schema as a person reads it: every table with its row count, or one table in full.

Renders the ``SchemaMetadata`` that ``schema_introspection.introspect`` reads, so the REPL's
``\\tables`` and ``\\schema`` and any ``querynl schema`` command show the same thing.

    >>> console().print(tables_overview(meta))          # doctest: +SKIP
    >>> for part in table_details(meta, "orders"):      # doctest: +SKIP
    ...     console().print(part)
"""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from ..errors import RequestError, did_you_mean
from ..models import ForeignKeyInfo, SchemaMetadata, TableInfo, TablePlan


def tables_overview(meta: SchemaMetadata) -> Table:
    """One line per table: rows, columns, primary key, the tables it references and is
    referenced by."""
    where = f" in schema {meta.schema}" if meta.schema else ""
    table = Table(title=f"{len(meta.tables)} tables{where}", title_justify="left")
    table.add_column("table", style="bold")
    table.add_column("rows", justify="right")
    table.add_column("columns", justify="right")
    table.add_column("primary key")
    table.add_column("references")
    table.add_column("referenced by")
    for info in meta.tables.values():
        parents = sorted({fk.ref_table for fk in info.foreign_keys})
        children = sorted({child.name for child, _ in meta.children_of(info.name)})
        table.add_row(
            info.name,
            f"{info.row_count:,}",
            str(len(info.columns)),
            ", ".join(info.primary_key) or "-",
            ", ".join(parents) or "-",
            ", ".join(children) or "-",
        )
    return table


def find_table(meta: SchemaMetadata, name: str) -> TableInfo:
    """The table called ``name`` (exact, then case-insensitive), or a did-you-mean error."""
    if name in meta.tables:
        return meta.tables[name]
    folded = {t.lower(): t for t in meta.tables}
    if name.lower() in folded:
        return meta.tables[folded[name.lower()]]
    raise RequestError(
        f"There is no table {name!r}." + did_you_mean(name, meta.tables),
        hint="\\tables lists them.",
        table=name,
    )


def table_details(meta: SchemaMetadata, name: str) -> list[RenderableType]:
    """The columns of one table (type, NULL, default, keys) and its constraints."""
    info = find_table(meta, name)
    return [columns_table(info), constraints_text(meta, info)]


def column_details(meta: SchemaMetadata, table: str, column: str) -> Table:
    """One column: its type, NULL, default, keys and the CHECK constraints that name it."""
    info = find_table(meta, table)
    names = {c.name.lower(): c.name for c in info.columns}
    if column not in info.column_names and column.lower() not in names:
        raise RequestError(
            f"Table {info.name} has no column {column!r}." + did_you_mean(column, names.values()),
            hint=f"\\schema {info.name} lists its columns.",
            table=info.name,
            column=column,
        )
    col = info.column(column if column in info.column_names else names[column.lower()])
    out = Table(title=f"{info.name}.{col.name}", title_justify="left", show_header=False)
    out.add_column("what", style="cyan")
    out.add_column("value", overflow="fold")
    out.add_row("type", col.type.sql)
    if col.type.values and col.type.kind == "enum" and "(" not in col.type.sql:
        # a PostgreSQL enum type is only a name; MySQL's ENUM(...) already lists its values
        out.add_row("values", ", ".join(col.type.values))
    out.add_row("null", "yes" if col.nullable else "NOT NULL")
    out.add_row("default", _default(col.default, col.autoincrement, col.computed) or "-")
    out.add_row("keys", ", ".join(column_keys(info, col.name)) or "-")
    for check in info.checks:
        if col.name.lower() in check.sqltext.lower():
            out.add_row("check", f"{check.name + ': ' if check.name else ''}{check.sqltext}")
    if col.comment:
        out.add_row("comment", col.comment)
    return out


def columns_table(info: TableInfo) -> Table:
    rows = "row" if info.row_count == 1 else "rows"
    table = Table(title=f"{info.name} ({info.row_count:,} {rows})", title_justify="left")
    table.add_column("column", style="bold")
    table.add_column("type")
    table.add_column("null")
    table.add_column("default", overflow="fold")
    table.add_column("keys")
    for col in info.columns:
        table.add_row(
            col.name,
            col.type.sql,
            "yes" if col.nullable else "NOT NULL",
            _default(col.default, col.autoincrement, col.computed),
            ", ".join(column_keys(info, col.name)),
        )
    return table


def column_keys(info: TableInfo, column: str) -> list[str]:
    """Short labels for the keys a column takes part in: PK, FK → users(id), UNIQUE."""
    keys = []
    if column in info.primary_key:
        keys.append("PK" if len(info.primary_key) == 1 else "PK (part)")
    for fk in info.foreign_keys:
        if column in fk.columns:
            ref = fk.ref_columns[fk.columns.index(column)]
            keys.append(f"FK → {fk.ref_table}({ref})")
    for unique in info.uniques:
        if column in unique.columns:
            keys.append("UNIQUE" if len(unique.columns) == 1 else "UNIQUE (part)")
    return keys


def _default(default: str | None, autoincrement: bool, computed: bool) -> str:
    if computed:
        return "computed"
    if autoincrement:
        return "auto-increment"
    return default or ""


def constraints_text(meta: SchemaMetadata, info: TableInfo) -> Text:
    """Primary key, foreign keys, UNIQUE and CHECK constraints, and who references the table."""
    lines: list[tuple[str, str]] = []
    if info.primary_key:
        lines.append(("primary key", f"({', '.join(info.primary_key)})"))
    for fk in info.foreign_keys:
        lines.append(("foreign key", _fk_text(fk)))
    for unique in info.uniques:
        label = f"{unique.name}: " if unique.name else ""
        lines.append(("unique", f"{label}({', '.join(unique.columns)})"))
    for check in info.checks:
        label = f"{check.name}: " if check.name else ""
        lines.append(("check", f"{label}{check.sqltext}"))
    for child, fk in meta.children_of(info.name):
        lines.append(("referenced by", f"{child.name}({', '.join(fk.columns)})"))
    if info.filled_by_trigger:
        lines.append(("trigger", f"rows come from a trigger on {info.filled_by_trigger}"))
    text = Text()
    for i, (kind, body) in enumerate(lines):
        text.append(f"{kind}: ", style="cyan")
        text.append(body + ("\n" if i < len(lines) - 1 else ""))
    return text


def _fk_text(fk: ForeignKeyInfo) -> str:
    label = f"{fk.name}: " if fk.name else ""
    target = f"{fk.ref_table}({', '.join(fk.ref_columns)})"
    extra = f" ON DELETE {fk.on_delete}" if fk.on_delete else ""
    if fk.deferrable:
        extra += " DEFERRABLE" + (" INITIALLY DEFERRED" if fk.initially_deferred else "")
    return f"{label}({', '.join(fk.columns)}) → {target}{extra}"


def explain_table(tplan: TablePlan, info: TableInfo) -> Table:
    """Each column of one table with the meaning QueryNL read from it and its generator."""
    from .render import describe_generator

    out = Table(title=f"{info.name}", title_justify="left", caption=tplan.note)
    out.add_column("column", style="bold")
    out.add_column("type")
    out.add_column("meaning")
    out.add_column("generator", overflow="fold")
    planned = {cp.name: cp for cp in tplan.columns}
    for col in info.columns:
        cp = planned.get(col.name)
        if cp is None:
            out.add_row(col.name, col.type.sql, tplan.skipped.get(col.name, "-"), "-")
            continue
        if cp.generator == "foreign_key":
            fk = next((f for f in tplan.foreign_keys if col.name in f.columns), None)
            target = f"{fk.ref_table}({', '.join(fk.ref_columns)})" if fk else ""
            out.add_row(col.name, col.type.sql, "foreign key", f"a key of {target}")
            continue
        generator = describe_generator(cp.generator, cp.params) + (" unique" if cp.unique else "")
        out.add_row(col.name, col.type.sql, cp.note or "", generator)
    return out
