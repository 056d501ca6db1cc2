"""MySQL and MariaDB: strict session, case-insensitive uniqueness, multi-row INSERT batches."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import mysql as my
from sqlalchemy.engine import Connection

from ..errors import InsertionError
from ..models import ForeignKeyInfo, TableInfo, TypeInfo
from . import literals
from .base import Adapter, Dialect, inserted_tables

_INTEGER_BITS: tuple[tuple[type, int], ...] = (
    (my.TINYINT, 8),
    (my.SMALLINT, 16),
    (my.MEDIUMINT, 24),
    (my.BIGINT, 64),
    (sa.types.Integer, 32),
)


def _naive_utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


def _set_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return ",".join(value)


def fold(value: Any) -> Any:
    """How the default ``*_ci`` collations compare: no case, no accents, no trailing spaces."""
    if not isinstance(value, str):
        return value
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", value) if not unicodedata.combining(ch)
    )
    return stripped.casefold().rstrip(" ")


class MySQLDialect(Dialect):
    names = ("mysql", "mariadb")
    case_insensitive_unique = True
    max_identifier_length = 64
    LITERALS: ClassVar = literals.MYSQL
    TYPE_TABLE: ClassVar[tuple[tuple[type, str], ...]] = (
        (my.SET, "set"),
        (my.YEAR, "year"),
        (my.BIT, "bit"),
        (my.ENUM, "enum"),
        (my.JSON, "json"),
    )
    ADAPTERS: ClassVar[dict[str, Adapter]] = {
        **Dialect.ADAPTERS,
        "datetime": _naive_utc,
        "set": _set_text,
        "boolean": lambda v: None if v is None else int(v),
    }

    def engine_options(self) -> dict[str, Any]:
        return {"connect_args": {"charset": "utf8mb4"}}

    def sa_dialect(self) -> sa.engine.Dialect:
        return my.dialect()

    def prepare_connection(self, dbapi_conn: Any) -> None:
        cursor = dbapi_conn.cursor()
        # strict mode: a value that does not fit is an error, never silently truncated
        cursor.execute("SET SESSION sql_mode = CONCAT_WS(',', @@sql_mode, 'STRICT_ALL_TABLES')")
        cursor.execute("SET SESSION time_zone = '+00:00'")
        cursor.close()

    def type_info(self, sa_type: Any, column: dict[str, Any]) -> TypeInfo:
        if isinstance(sa_type, my.TINYINT) and getattr(sa_type, "display_width", None) == 1:
            return TypeInfo(kind="boolean", sql="TINYINT(1)", bits=8)
        info = super().type_info(sa_type, column)
        if info.kind == "bit":
            return TypeInfo(kind="bit", sql=info.sql, length=getattr(sa_type, "length", 1) or 1)
        if column.get("is_json") and info.kind in ("text", "string"):
            return TypeInfo(kind="json", sql="JSON")
        return info

    def integer_bits(self, sa_type: Any) -> int:
        for cls, bits in _INTEGER_BITS:
            if isinstance(sa_type, cls):
                return bits
        return 64

    def reflect_checks(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None, tables: Sequence[str]
    ) -> dict[str, list[tuple[str | None, str]]]:
        """Table- and column-level checks (the inspector misses the column-level ones)."""
        rows = conn.execute(
            sa.text(
                "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE "
                "FROM information_schema.CHECK_CONSTRAINTS "
                "WHERE CONSTRAINT_SCHEMA = coalesce(:schema, DATABASE()) "
                "ORDER BY TABLE_NAME, CONSTRAINT_NAME"
            ),
            {"schema": schema},
        ).fetchall()
        found: dict[str, list[tuple[str | None, str]]] = {}
        wanted = set(tables)
        for table, name, clause in rows:
            if table in wanted:
                found.setdefault(table, []).append((name, clause))
        return found

    def trigger_targets(self, conn: Connection, schema: str | None) -> dict[str, str]:
        rows = conn.execute(
            sa.text(
                "SELECT EVENT_OBJECT_TABLE, ACTION_STATEMENT FROM information_schema.TRIGGERS "
                "WHERE TRIGGER_SCHEMA = coalesce(:schema, DATABASE()) "
                "AND EVENT_MANIPULATION = 'INSERT'"
            ),
            {"schema": schema},
        ).fetchall()
        found: dict[str, str] = {}
        for source, body in rows:
            for target in inserted_tables(body):
                if target != source:
                    found.setdefault(target, source)
        return found

    def column_overrides(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """MariaDB stores JSON as LONGTEXT guarded by ``json_valid(col)``: mark those as JSON."""
        checks = self.reflect_checks(conn, sa.inspect(conn), schema, tables)
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for table, items in checks.items():
            for _name, clause in items:
                text = clause.strip().lower().replace("`", "")
                if text.startswith("json_valid(") and text.endswith(")"):
                    found[(table, text[len("json_valid(") : -1].strip())] = {"is_json": True}
        return found

    def unique_key(self, type_info: TypeInfo):  # type: ignore[override]
        collation = (type_info.collation or "").lower()
        if type_info.kind not in ("string", "text", "enum", "set"):
            return None
        if collation.endswith(("_bin", "_cs")) or collation == "binary":
            return None
        return fold

    def cycle_strategy(self, fk: ForeignKeyInfo) -> str | None:
        return "checks_off"

    def suspend_foreign_key(self, conn: Connection, table: TableInfo, fk: ForeignKeyInfo) -> None:
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 0")

    def resume_foreign_key(self, conn: Connection, table: TableInfo, fk: ForeignKeyInfo) -> None:
        """Checks back on, then verify what MySQL does not re-check by itself."""
        conn.exec_driver_sql("SET FOREIGN_KEY_CHECKS = 1")
        orphans = self.orphan_count(conn, table, fk)
        if orphans:
            raise InsertionError(
                f"{orphans} rows of {table.name} point at no row of {fk.ref_table} "
                f"({fk.label}); the transaction was rolled back, nothing was inserted.",
                table=table.name,
                constraint=fk.name,
            )


IMPLEMENTATION = MySQLDialect
