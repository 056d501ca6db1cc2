"""MySQL and MariaDB: strict session, case-insensitive uniqueness, multi-row INSERT batches."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import mysql as my
from sqlalchemy.engine import Connection, Engine

from ..errors import InsertionError
from ..models import ColumnInfo, ForeignKeyInfo, TableInfo, TypeInfo
from . import failures, literals
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


def _bit_value(value: Any) -> Any:
    """BIT(n) takes a number: "0101" would be sent as the characters '0', '1', ..."""
    return int(value, 2) if isinstance(value, str) else value


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
    transactional_ddl = False  # DDL commits at once
    max_identifier_length = 64
    LITERALS: ClassVar = literals.MYSQL
    # what every connection of the executor sets (prepare_connection), and backslash escapes
    # on: the literals are PyMySQL's
    SCRIPT_SETTINGS: ClassVar[tuple[str, ...]] = (
        "SET NAMES utf8mb4;",
        "SET SESSION time_zone = '+00:00';",
        "SET SESSION sql_mode = REPLACE(CONCAT_WS(',', @@sql_mode, 'STRICT_ALL_TABLES'), "
        "'NO_BACKSLASH_ESCAPES', '');",
    )
    SCRIPT_BEGIN: ClassVar[str] = "START TRANSACTION;"
    ERROR_PATTERNS: ClassVar = failures.MYSQL
    TYPE_TABLE: ClassVar[tuple[tuple[type, str], ...]] = (
        (my.SET, "set"),
        (my.YEAR, "year"),
        (my.BIT, "bit"),
        (my.ENUM, "enum"),
        (my.JSON, "json"),
    )
    NATIVE_TYPES: ClassVar[dict[str, str]] = {"uuid": "uuid", "inet4": "inet", "inet6": "inet"}
    ADAPTERS: ClassVar[dict[str, Adapter]] = {
        **Dialect.ADAPTERS,
        "bit": _bit_value,
        "datetime": _naive_utc,
        "set": _set_text,
        "boolean": lambda v: None if v is None else int(v),
    }

    def engine_options(self) -> dict[str, Any]:
        return {"connect_args": {"charset": "utf8mb4"}}

    def sa_dialect(self) -> sa.engine.Dialect:
        return my.dialect()

    def install(self, engine: Engine) -> None:
        super().install(engine)

        @sa.event.listens_for(engine, "do_connect")
        def _utf8_password(_dialect: Any, _record: Any, _args: Any, params: dict[str, Any]) -> None:
            # PyMySQL sends a str password as Latin-1; the server hashed the UTF-8 bytes that
            # CREATE USER ... IDENTIFIED BY 'wörd' received, as the mysql client sends them
            password = params.get("password")
            if isinstance(password, str) and not password.isascii():
                params["password"] = password.encode("utf-8")

    def cancel_query(self, engine: Engine, conn: Connection) -> None:
        """KILL QUERY from a second connection, as the mysql client does on Ctrl+C."""
        thread_id = int(self.driver_connection(conn).thread_id())
        with engine.connect() as other:
            other.exec_driver_sql("KILL QUERY %s", (thread_id,))

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
        sql = _MARIADB_CHECKS if getattr(conn.dialect, "is_mariadb", False) else _MYSQL_CHECKS
        rows = conn.execute(sa.text(sql), {"schema": schema}).fetchall()
        found: dict[str, list[tuple[str | None, str]]] = {}
        wanted = set(tables)
        for table, name, clause in rows:
            if table in wanted:
                found.setdefault(table, []).append((name, clause))
        return found

    def reflect_foreign_keys(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None, tables: Sequence[str]
    ) -> dict[tuple[str | None, str], list[dict[str, Any]]]:
        """From information_schema: the Inspector parses SHOW CREATE TABLE, which drops a
        foreign key whose names hold a backtick (with only a warning)."""
        here = schema or conn.execute(sa.text("SELECT DATABASE()")).scalar()
        groups: dict[tuple[str, str], list[Any]] = {}
        for row in conn.execute(sa.text(_FOREIGN_KEYS), {"schema": here}):
            groups.setdefault((row[0], row[1]), []).append(row)
        wanted = set(tables)
        found: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
        for (table, name), rows in groups.items():
            if table not in wanted:
                continue
            first = rows[0]
            found.setdefault((schema, table), []).append(
                {
                    "name": name,
                    "constrained_columns": [r[2] for r in rows],
                    "referred_schema": None if first[3] == here else first[3],
                    "referred_table": first[4],
                    "referred_columns": [r[5] for r in rows],
                    "options": {"ondelete": first[6]},
                }
            )
        return found

    def clean_reflected(self, found: dict[Any, Any]) -> dict[Any, Any]:
        """Undo the doubled backticks the Inspector leaves in names from SHOW CREATE TABLE."""
        for entries in found.values():
            for entry in entries if isinstance(entries, list) else [entries]:
                if not isinstance(entry, dict):
                    continue
                for key in ("name", "column_names", "constrained_columns"):
                    value = entry.get(key)
                    if isinstance(value, str):
                        entry[key] = value.replace("``", "`")
                    elif isinstance(value, list):
                        entry[key] = [v.replace("``", "`") if v else v for v in value]
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
        """MariaDB stores JSON as LONGTEXT guarded by ``json_valid(col)``: mark those as JSON;
        and name the types the Inspector does not know (MariaDB's UUID, INET4, INET6)."""
        checks = self.reflect_checks(conn, sa.inspect(conn), schema, tables)
        found: dict[tuple[str, str], dict[str, Any]] = {}
        rows = conn.execute(sa.text(_COLUMN_TYPES), {"schema": schema}).fetchall()
        wanted = set(tables)
        for table, column, native in rows:
            if table in wanted and native.lower() in self.NATIVE_TYPES:
                found[(table, column)] = {"native_type": native}
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

    def next_key(self, conn: Connection, table: TableInfo, column: ColumnInfo) -> int:
        """After existing rows, and not below the table's AUTO_INCREMENT counter."""
        start = super().next_key(conn, table, column)
        if column.autoincrement:
            counter = conn.execute(
                sa.text(
                    "SELECT AUTO_INCREMENT FROM information_schema.TABLES "
                    "WHERE TABLE_SCHEMA = coalesce(:schema, DATABASE()) AND TABLE_NAME = :t"
                ),
                {"schema": table.schema, "t": table.name},
            ).scalar()
            if counter:
                start = max(start, int(counter))
        return start

    def drop_scratch_sql(self, conn: Connection, name: str) -> str:
        return f"DROP TEMPORARY TABLE {self.quote(conn, name)}"

    def cycle_strategy(self, fk: ForeignKeyInfo) -> str | None:
        return "checks_off"

    def reset_sequences(self, conn: Connection, table: TableInfo) -> None:
        """AUTO_INCREMENT back to the lowest value the (now empty) table allows; an ALTER
        TABLE, so it runs after the deleting transaction committed."""
        if any(c.autoincrement for c in table.columns):
            self.run(conn, f"ALTER TABLE {self.qualified(conn, table)} AUTO_INCREMENT = 1")

    def suspend_statements(
        self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo
    ) -> list[str]:
        return ["SET FOREIGN_KEY_CHECKS = 0"]

    def resume_statements(
        self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo
    ) -> list[str]:
        return ["SET FOREIGN_KEY_CHECKS = 1"]

    def resume_foreign_key(self, conn: Connection, table: TableInfo, fk: ForeignKeyInfo) -> None:
        """Checks back on, then verify what MySQL does not re-check by itself."""
        super().resume_foreign_key(conn, table, fk)
        orphans = self.orphan_count(conn, table, fk)
        if orphans:
            raise InsertionError(
                f"{orphans} rows of {table.name} point at no row of {fk.ref_table} "
                f"({fk.label}); the transaction was rolled back, nothing was inserted.",
                table=table.name,
                constraint=fk.name,
            )


_FOREIGN_KEYS = """
SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_SCHEMA,
       k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE
FROM information_schema.KEY_COLUMN_USAGE k
JOIN information_schema.REFERENTIAL_CONSTRAINTS r
  ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME
 AND r.TABLE_NAME = k.TABLE_NAME
WHERE k.TABLE_SCHEMA = :schema AND k.REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION
"""

_COLUMN_TYPES = """
SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = coalesce(:schema, DATABASE())
"""

_MARIADB_CHECKS = """
SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = coalesce(:schema, DATABASE())
ORDER BY TABLE_NAME, CONSTRAINT_NAME
"""

# MySQL 8 keeps the table of a check in TABLE_CONSTRAINTS only.
_MYSQL_CHECKS = """
SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
  ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
 AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE cc.CONSTRAINT_SCHEMA = coalesce(:schema, DATABASE())
ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME
"""

IMPLEMENTATION = MySQLDialect
