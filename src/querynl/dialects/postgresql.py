"""PostgreSQL: COPY through psycopg 3, sequences set after load, deferrable constraints."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.engine import Connection

from ..models import ColumnInfo, TableInfo, TypeInfo
from .base import Dialect

_RANGE_ITEMS = {
    "INT4RANGE": "integer",
    "INT8RANGE": "integer",
    "NUMRANGE": "decimal",
    "DATERANGE": "date",
    "TSRANGE": "datetime",
    "TSTZRANGE": "datetime",
}


class PostgreSQLDialect(Dialect):
    names = ("postgresql",)
    supports_deferrable = True
    supports_schemas = True
    TYPE_TABLE: ClassVar[tuple[tuple[type, str], ...]] = (
        (pg.INET, "inet"),
        (pg.CIDR, "cidr"),
        (pg.MACADDR, "macaddr"),
        (pg.MACADDR8, "macaddr"),
        (pg.MONEY, "money"),
        (pg.INTERVAL, "interval"),
        (pg.BYTEA, "binary"),
        (pg.TSVECTOR, "tsvector"),
        (pg.BIT, "bit"),
        (pg.ENUM, "enum"),
        (pg.ARRAY, "array"),
        (pg.ranges.AbstractRange, "range"),
        (pg.JSONB, "json"),
        (pg.JSON, "json"),
        (pg.UUID, "uuid"),
        (pg.OID, "integer"),
    )
    ADAPTERS: ClassVar = {**Dialect.ADAPTERS, "uuid": None, "inet": str, "cidr": str}

    def sa_dialect(self) -> sa.engine.Dialect:
        return pg.dialect()

    def table_names(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None
    ) -> list[str]:
        """Tables, without partitions: rows go through the partitioned parent."""
        names = inspector.get_table_names(schema=schema)
        partitions = set(
            conn.execute(
                sa.text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                    "ON n.oid = c.relnamespace WHERE c.relispartition "
                    "AND n.nspname = coalesce(:schema, current_schema())"
                ),
                {"schema": schema},
            ).scalars()
        )
        return [n for n in names if n not in partitions]

    def type_info(self, sa_type: Any, column: dict[str, Any]) -> TypeInfo:
        if isinstance(sa_type, pg.DOMAIN):
            return self.type_info(sa_type.data_type, column)
        info = super().type_info(sa_type, column)
        if info.kind == "range":
            item_kind = _RANGE_ITEMS.get(type(sa_type).__name__, "integer")
            return TypeInfo(
                kind="range", sql=info.sql, item=TypeInfo(kind=item_kind, sql=item_kind)
            )  # type: ignore[arg-type]
        if info.kind == "bit":
            return TypeInfo(kind="bit", sql=info.sql, length=getattr(sa_type, "length", 1) or 1)
        return info

    def bulk_insert(
        self,
        conn: Connection,
        table: TableInfo,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        cols = ", ".join(self.quote(conn, c) for c in columns)
        sql = f"COPY {self.qualified(conn, table)} ({cols}) FROM STDIN"
        cursor = self.driver_connection(conn).cursor()
        try:
            with cursor.copy(sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        finally:
            cursor.close()

    def next_key(self, conn: Connection, table: TableInfo, column: ColumnInfo) -> int:
        start = super().next_key(conn, table, column)
        seq = self._sequence(conn, table, column.name)
        if seq:
            row = conn.exec_driver_sql(f"SELECT last_value, is_called FROM {seq}").first()
            if row is not None and row[1]:
                start = max(start, int(row[0]) + 1)
        return start

    def _sequence(self, conn: Connection, table: TableInfo, column: str) -> str | None:
        return conn.execute(
            sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
            {"t": self.qualified(conn, table), "c": column},
        ).scalar()

    def after_table_load(self, conn: Connection, table: TableInfo) -> None:
        for col in table.columns:
            if not col.autoincrement or col.type.kind != "integer":
                continue
            seq = self._sequence(conn, table, col.name)
            if not seq:
                continue
            top = self.max_value(conn, table, col.name)
            if top is not None:
                conn.execute(sa.text("SELECT setval(:s, :v, true)"), {"s": seq, "v": int(top)})

    def defer_constraints(self, conn: Connection) -> bool:
        conn.exec_driver_sql("SET CONSTRAINTS ALL DEFERRED")
        return True

    def disable_fk_checks(self, conn: Connection) -> bool:
        try:
            with conn.begin_nested():
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
        except sa.exc.DBAPIError:
            return False
        return True

    def enable_fk_checks(self, conn: Connection) -> None:
        conn.exec_driver_sql("SET LOCAL session_replication_role = origin")


IMPLEMENTATION = PostgreSQLDialect
