"""Read the schema from the database, once, through SQLAlchemy's Inspector.

The result is a tree of frozen records (``SchemaMetadata``) shared by the planner, the REPL's
completer and ``querynl schema``. Whatever the inspector misses for a database (MariaDB's
column-level CHECKs, SQLite's declared types and rowid aliases, PostgreSQL partitions) the
dialect registry supplies.
"""

from __future__ import annotations

import logging
import warnings
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

    Tables of other schemas that a foreign key points at are read too (so a cross-schema
    reference points at real rows); they are keyed ``"schema.table"`` and marked external.

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
    reader = _Reader(conn, impl, inspector, schema, count_rows)
    names = impl.table_names(conn, inspector, schema)
    tables = reader.read(schema, names, external=False)
    reader.add_referenced(tables)
    version = ".".join(str(v) for v in (conn.dialect.server_version_info or ()))
    return SchemaMetadata(
        dialect=conn.dialect.name, tables=tables, schema=schema, server_version=version or None
    )


class _Reader:
    """Reads tables of one or more schemas; foreign keys are keyed relative to ``home``."""

    def __init__(
        self,
        conn: Connection,
        impl: Dialect,
        inspector: sa.Inspector,
        schema: str | None,
        count_rows: bool,
    ) -> None:
        self.conn = conn
        self.impl = impl
        self.inspector = inspector
        self.default = inspector.default_schema_name
        self.home = schema or self.default
        self.count_rows = count_rows

    def add_referenced(self, tables: dict[str, TableInfo]) -> None:
        """Read the tables of other schemas that foreign keys point at, transitively."""
        while True:
            wanted: dict[str, set[str]] = {}
            for table in tables.values():
                for fk in table.foreign_keys:
                    if fk.ref_schema and fk.ref_table not in tables:
                        wanted.setdefault(fk.ref_schema, set()).add(fk.ref_table.split(".", 1)[1])
            if not wanted:
                return
            for other, names in wanted.items():
                found = self.read(other, sorted(names), external=True)
                for key in (f"{other}.{n}" for n in names):
                    if key not in found:  # not visible to us: a placeholder keeps keys usable
                        found[key] = TableInfo(
                            name=key.split(".", 1)[1], columns=(), schema=other, external=True
                        )
                tables.update(found)

    def read(self, schema: str | None, names: list[str], *, external: bool) -> dict[str, TableInfo]:
        if not names:
            return {}
        conn, impl, inspector = self.conn, self.impl, self.inspector
        kw: dict[str, Any] = {"schema": schema, "filter_names": names}
        with warnings.catch_warnings():
            # types the Inspector does not know are named by the dialect's column_overrides
            warnings.filterwarnings("ignore", message="Did not recognize type")
            columns = impl.clean_reflected(inspector.get_multi_columns(**kw))
        pks = impl.clean_reflected(inspector.get_multi_pk_constraint(**kw))
        fks = impl.reflect_foreign_keys(conn, inspector, schema, names)
        uniques = impl.clean_reflected(inspector.get_multi_unique_constraints(**kw))
        indexes = impl.clean_reflected(inspector.get_multi_indexes(**kw))
        checks = impl.reflect_checks(conn, inspector, schema, names)
        overrides = impl.column_overrides(conn, schema, names)
        extra_uniques = impl.extra_uniques(conn, schema, names)
        triggers = impl.trigger_targets(conn, schema)
        tables: dict[str, TableInfo] = {}
        for name in names:
            key = (schema, name)
            if key not in columns:
                continue
            pk = tuple((pks.get(key) or {}).get("constrained_columns") or ())
            cols = tuple(
                _column(impl, name, c, overrides.get((name, c["name"]), {}), pk)
                for c in columns.get(key, [])
            )
            table = TableInfo(
                name=name,
                schema=schema if external or schema else None,
                columns=cols,
                primary_key=pk,
                foreign_keys=tuple(self.foreign_key(fk) for fk in fks.get(key, [])),
                uniques=_uniques(
                    pk,
                    uniques.get(key, [])
                    + [{"name": n, "column_names": c} for n, c in extra_uniques.get(name, [])],
                    indexes.get(key, []),
                ),
                checks=tuple(CheckInfo(n, text) for n, text in checks.get(name, [])),
                filled_by_trigger=triggers.get(name),
                external=external,
            )
            if self.count_rows:
                table = _with_count(conn, impl, table)
            tables[table.key] = table
        return tables

    def foreign_key(self, fk: dict[str, Any]) -> ForeignKeyInfo:
        """A reflected foreign key whose ``ref_table`` is the parent's key in the metadata."""
        target = fk.get("referred_schema") or self.default
        external = target != self.home
        ref_table = f"{target}.{fk['referred_table']}" if external else fk["referred_table"]
        options = fk.get("options") or {}
        return ForeignKeyInfo(
            name=fk.get("name"),
            columns=tuple(fk["constrained_columns"]),
            ref_table=ref_table,
            ref_columns=tuple(fk["referred_columns"]),
            ref_schema=target if external else None,
            deferrable=bool(options.get("deferrable")),
            initially_deferred=str(options.get("initially", "")).upper() == "DEFERRED",
            on_delete=options.get("ondelete"),
        )


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
        expression=str((col.get("computed") or {}).get("sqltext") or "") or None,
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
    """Row count, and where the table has one integer key, the first key after its rows."""
    from dataclasses import replace

    table = replace(table, row_count=impl.row_count(conn, table))
    if len(table.primary_key) == 1:
        col = table.column(table.primary_key[0])
        if col.type.kind == "integer":
            table = replace(table, next_key=impl.next_key(conn, table, col))
    return table


def require_tables(meta: SchemaMetadata) -> None:
    """Raise a clear error when there is nothing to fill."""
    if not meta.tables:
        where = f" in schema {meta.schema!r}" if meta.schema else ""
        raise SchemaError(
            f"The database has no tables{where}.",
            hint="Create a schema first (for example: querynl schema apply schema.sql), "
            "or try: querynl demo",
        )
