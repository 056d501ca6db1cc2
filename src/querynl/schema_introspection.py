"""Read the schema from the database, once, through SQLAlchemy's Inspector.

The result is a tree of frozen records (``SchemaMetadata``) shared by the planner, the REPL's
completer and ``querynl schema``. Whatever the inspector misses for a database (MariaDB's
column-level CHECKs, SQLite's declared types and rowid aliases, PostgreSQL partitions) the
dialect registry supplies.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .dialects import Dialect, dialect_for
from .errors import SchemaError, did_you_mean
from .models import (
    CheckInfo,
    ColumnInfo,
    ForeignKeyInfo,
    SchemaMetadata,
    TableInfo,
    UniqueInfo,
)

log = logging.getLogger("querynl.introspection")


def introspect(
    bind: Engine | Connection,
    schema: str | None = None,
    *,
    count_rows: bool = True,
) -> SchemaMetadata:
    """Read every table of ``schema`` (the default schema when None).

    >>> meta = introspect(engine)              # doctest: +SKIP
    >>> meta.table("users").primary_key        # doctest: +SKIP
    ('id',)
    """
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            return introspect(conn, schema, count_rows=count_rows)
    conn = bind
    impl = dialect_for(conn.dialect.name)
    inspector = sa.inspect(conn)
    if schema is not None and schema not in inspector.get_schema_names():
        raise SchemaError(
            f"Schema {schema!r} does not exist."
            + did_you_mean(schema, inspector.get_schema_names())
        )
    names = impl.table_names(conn, inspector, schema)
    tables = _read_tables(conn, impl, inspector, schema, names, count_rows)
    version = ".".join(str(v) for v in (conn.dialect.server_version_info or ()))
    return SchemaMetadata(
        dialect=conn.dialect.name, tables=tables, schema=schema, server_version=version or None
    )


def _read_tables(
    conn: Connection,
    impl: Dialect,
    inspector: sa.Inspector,
    schema: str | None,
    names: list[str],
    count_rows: bool,
) -> dict[str, TableInfo]:
    if not names:
        return {}
    kw: dict[str, Any] = {"schema": schema, "filter_names": names}
    exact = impl.reflected_name
    columns = _exact_names(inspector.get_multi_columns(**kw), exact, ("name",))
    pks = _exact_names(inspector.get_multi_pk_constraint(**kw), exact, ("constrained_columns",))
    fks = impl.reflect_foreign_keys(conn, inspector, schema, names)
    uniques = _exact_names(inspector.get_multi_unique_constraints(**kw), exact, ("column_names",))
    indexes = _exact_names(inspector.get_multi_indexes(**kw), exact, ("column_names",))
    checks = impl.reflect_checks(conn, inspector, schema, names)
    overrides = impl.column_overrides(conn, schema, names)
    extra_uniques = impl.extra_uniques(conn, schema, names)
    triggers = impl.trigger_targets(conn, schema)
    tables: dict[str, TableInfo] = {}
    for name in names:
        key = (schema, name)
        pk = tuple((pks.get(key) or {}).get("constrained_columns") or ())
        cols = tuple(
            _column(impl, name, c, overrides.get((name, c["name"]), {}), pk)
            for c in columns.get(key, [])
        )
        table = TableInfo(
            name=name,
            schema=schema,
            columns=cols,
            primary_key=pk,
            foreign_keys=tuple(_foreign_key(fk) for fk in fks.get(key, [])),
            uniques=_uniques(
                pk,
                uniques.get(key, [])
                + [{"name": n, "column_names": c} for n, c in extra_uniques.get(name, [])],
                indexes.get(key, []),
            ),
            checks=tuple(CheckInfo(n, text) for n, text in checks.get(name, [])),
            filled_by_trigger=triggers.get(name),
        )
        if count_rows:
            table = _with_count(conn, impl, table)
        tables[name] = table
    return tables


def _exact_names(found: dict[Any, Any], exact: Any, fields: tuple[str, ...]) -> dict[Any, Any]:
    """The inspector's records with every column name passed through ``exact``."""

    def fix(record: dict[str, Any]) -> dict[str, Any]:
        out = dict(record)
        for f in fields:
            value = out.get(f)
            if isinstance(value, str):
                out[f] = exact(value)
            elif isinstance(value, (list, tuple)):
                out[f] = [exact(v) if isinstance(v, str) else v for v in value]
        return out

    return {
        key: [fix(r) for r in value] if isinstance(value, list) else fix(value or {})
        for key, value in found.items()
    }


def _column(
    impl: Dialect, table: str, col: dict[str, Any], extra: dict[str, Any], pk: tuple[str, ...]
) -> ColumnInfo:
    merged = {**col, **extra}
    type_info = impl.type_info(col["type"], merged)
    identity = col.get("identity") or {}
    autoincrement = merged.get("autoincrement") is True or bool(identity)
    if autoincrement and (type_info.kind != "integer" or col["name"] not in pk):
        # MySQL reports AUTO_INCREMENT only on keys; anything else is a plain default
        autoincrement = bool(identity) or col["name"] in pk
    default = col.get("default")
    return ColumnInfo(
        name=col["name"],
        type=type_info,
        nullable=bool(col.get("nullable", True)) and col["name"] not in pk,
        default=None if default is None else str(default),
        autoincrement=autoincrement and type_info.kind == "integer",
        identity_always=bool(identity.get("always")),
        computed=bool(col.get("computed")) or bool(extra.get("computed")),
        comment=col.get("comment"),
    )


def _foreign_key(fk: dict[str, Any]) -> ForeignKeyInfo:
    options = fk.get("options") or {}
    return ForeignKeyInfo(
        name=fk.get("name"),
        columns=tuple(fk["constrained_columns"]),
        ref_table=fk["referred_table"],
        ref_columns=tuple(fk["referred_columns"]),
        ref_schema=fk.get("referred_schema"),
        deferrable=bool(options.get("deferrable")),
        initially_deferred=str(options.get("initially", "")).upper() == "DEFERRED",
        on_delete=options.get("ondelete"),
    )


def _uniques(
    pk: tuple[str, ...], constraints: list[dict[str, Any]], indexes: list[dict[str, Any]]
) -> tuple[UniqueInfo, ...]:
    """UNIQUE constraints and unique indexes, once per column set, the PK left out."""
    seen = {pk} if pk else set()
    found: list[UniqueInfo] = []
    candidates = [(u.get("name"), u["column_names"]) for u in constraints]
    candidates += [(i.get("name"), i["column_names"]) for i in indexes if i.get("unique")]
    for name, cols in candidates:
        if not cols or any(c is None for c in cols):
            continue  # expression index: nothing a column generator can honour directly
        key = tuple(cols)
        if key in seen:
            continue
        seen.add(key)
        found.append(UniqueInfo(name=name, columns=key))
    return tuple(found)


def _with_count(conn: Connection, impl: Dialect, table: TableInfo) -> TableInfo:
    from dataclasses import replace

    return replace(table, row_count=impl.row_count(conn, table))


def require_tables(meta: SchemaMetadata) -> None:
    """Raise a clear error when there is nothing to fill."""
    if not meta.tables:
        where = f" in schema {meta.schema!r}" if meta.schema else ""
        raise SchemaError(
            f"The database has no tables{where}.",
            hint="Create a schema first (for example: querynl schema apply schema.sql), "
            "or try: querynl demo",
        )
