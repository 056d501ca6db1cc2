"""SQLite: loose declared types read by affinity, text dates, executemany in one transaction."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, ClassVar

import sqlalchemy as sa
import sqlglot
from sqlalchemy.engine import Connection, Engine
from sqlglot import exp

from ..models import ForeignKeyInfo, TableInfo, TypeInfo
from . import failures, literals
from .base import Adapter, Dialect, decimal_text, inserted_tables, iso

_LENGTH = re.compile(r"\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)")

# Declared type names -> kind, checked in order on the upper-cased declaration. The SQLite
# affinity rules (https://sqlite.org/datatype3.html, 3.1) come last as the fallback.
_DECLARED: tuple[tuple[str, str], ...] = (
    (r"^BOOL", "boolean"),
    (r"^(TINYINT\(1\))", "boolean"),
    (r"DATETIME|TIMESTAMP", "datetime"),
    (r"^DATE\b", "date"),
    (r"^TIME\b", "time"),
    (r"^UUID|^GUID", "uuid"),
    (r"^JSON", "json"),
    (r"DECIMAL|NUMERIC|MONEY", "decimal"),
    (r"INT", "integer"),
    (r"^(N?VAR)?CHAR|CHARACTER|VARYING|NCHAR|NATIVE", "string"),
    (r"CLOB|TEXT", "text"),
    (r"BLOB|BINARY", "binary"),
    (r"REAL|FLOA|DOUB", "float"),
    (r"^YEAR", "year"),
)


def declared_type(declared: str) -> TypeInfo:
    """A ``TypeInfo`` for an SQLite column from its declared type text."""
    text = declared.strip().upper()
    if not text:
        return TypeInfo(kind="text", sql=declared or "(none)")
    kind = "decimal"  # NUMERIC affinity
    for pattern, candidate in _DECLARED:
        if re.search(pattern, text):
            kind = candidate
            break
    m = _LENGTH.search(text)
    first = int(m.group(1)) if m else None
    second = int(m.group(2)) if m and m.group(2) else None
    fields: dict[str, Any] = {"kind": kind, "sql": declared}
    if kind == "string":
        fields["length"] = first
        fields["fixed"] = text.startswith(("CHAR", "NCHAR", "CHARACTER")) and "VAR" not in text
    elif kind == "decimal":
        fields["precision"], fields["scale"] = first, second
    elif kind == "integer":
        fields["bits"] = 64
    return TypeInfo(**fields)


def column_collations(create_sql: str) -> dict[str, str]:
    """Column -> COLLATE name from a CREATE TABLE statement (the Inspector drops them)."""
    if "collate" not in create_sql.lower():
        return {}
    try:
        tree = sqlglot.parse_one(create_sql, read="sqlite")
    except sqlglot.errors.SqlglotError:
        return {}
    found = {}
    for col in tree.find_all(exp.ColumnDef):
        for constraint in col.constraints:
            kind = constraint.args.get("kind")
            if isinstance(kind, exp.CollateColumnConstraint):
                found[col.name] = kind.this.name.upper()
    return found


def _json_text(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


# the page cache of QueryNL's connections, 64 MiB (see ``prepare_connection``)
CACHE_KIB = 65536
CACHE_PRAGMA = "PRAGMA cache_size = -65536"


class SQLiteDialect(Dialect):
    names = ("sqlite",)
    # before 3.45 (later versions, like MySQL, say NULL)
    json_valid_refuses_null = sqlite3.sqlite_version_info < (3, 45)
    max_identifier_length = 1000
    requires_unique_fk_target = True
    typical_rows_per_second = 45_000
    loads_in_another_process = False
    LITERALS: ClassVar = literals.SQLITE
    # the sqlite3 shell leaves foreign keys unchecked unless asked (outside a transaction)
    SCRIPT_SETTINGS: ClassVar[tuple[str, ...]] = ("PRAGMA foreign_keys = ON;",)
    ERROR_PATTERNS: ClassVar = failures.SQLITE
    ADAPTERS: ClassVar[dict[str, Adapter]] = {
        **Dialect.ADAPTERS,
        "date": iso,
        "time": iso,
        "datetime": iso,
        "decimal": decimal_text,
        "money": decimal_text,
        "array": _json_text,
        "interval": lambda v: None if v is None else v.total_seconds(),
    }

    def sa_dialect(self) -> sa.engine.Dialect:
        return sa.dialects.sqlite.dialect()

    def prepare_connection(self, dbapi_conn: Any) -> None:
        """Foreign keys checked, and a page cache large enough for a bulk load: SQLite's
        default 2 MB makes every index insertion past the first few thousand rows a read
        from the file. Only this connection's cache grows, and only when it is smaller."""
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        pages = cursor.execute("PRAGMA cache_size").fetchone()[0]
        page_size = cursor.execute("PRAGMA page_size").fetchone()[0]
        kib = -pages if pages < 0 else pages * page_size // 1024
        if kib < CACHE_KIB:
            cursor.execute(CACHE_PRAGMA)
        cursor.close()

    def type_info(self, sa_type: Any, column: dict[str, Any]) -> TypeInfo:
        declared = column.get("declared_type")
        if declared is not None:
            info = declared_type(declared)
            collation = column.get("collation")
            return replace(info, collation=collation) if collation else info
        return super().type_info(sa_type, column)

    def adapter(self, type_info: TypeInfo) -> Adapter | None:
        return self.ADAPTERS.get(type_info.kind)

    def column_overrides(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """Declared types and rowid aliases straight from ``PRAGMA table_xinfo``."""
        found: dict[tuple[str, str], dict[str, Any]] = {}
        for table in tables:
            rows = self.run(conn, f"PRAGMA table_xinfo({self.quote(conn, table)})").fetchall()
            pk_cols = [r for r in rows if r[5]]
            sql = (
                conn.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
                ).scalar()
                or ""
            )
            without_rowid = bool(re.search(r"\)\s*WITHOUT\s+ROWID\s*;?\s*$", sql, re.I))
            collations = column_collations(sql)
            for _cid, name, decl, _notnull, _default, pk, hidden in rows:
                facts: dict[str, Any] = {"declared_type": decl or ""}
                # INTEGER PRIMARY KEY (exactly that type name) aliases the rowid
                facts["autoincrement"] = bool(
                    pk
                    and len(pk_cols) == 1
                    and (decl or "").strip().upper() == "INTEGER"
                    and not without_rowid
                )
                facts["computed"] = hidden in (2, 3)
                if name in collations:
                    facts["collation"] = collations[name]
                found[(table, name)] = facts
        return found

    def trigger_targets(self, conn: Connection, schema: str | None) -> dict[str, str]:
        found: dict[str, str] = {}
        rows = conn.exec_driver_sql(
            "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall()
        for source, sql in rows:
            # the head ("CREATE TRIGGER ... AFTER INSERT ON t") ends at BEGIN, on any line
            head, *body = re.split(r"(?i)\bBEGIN\b", sql or "", maxsplit=1)
            if not re.search(r"(?i)\bINSERT\b", head):
                continue
            for target in inserted_tables("".join(body)):
                if target != source:
                    found.setdefault(target, source)
        return found

    def extra_uniques(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[str, list[tuple[str | None, list[str]]]]:
        """Inline column UNIQUEs live only as automatic indexes, which the inspector skips."""
        found: dict[str, list[tuple[str | None, list[str]]]] = {}
        for table in tables:
            indexes = self.run(conn, f"PRAGMA index_list({self.quote(conn, table)})")
            for _seq, name, unique, origin, partial in indexes.fetchall():
                if not unique or origin != "u" or partial:
                    continue
                info = self.run(conn, f"PRAGMA index_info({self.quote(conn, name)})")
                cols = [r[2] for r in info.fetchall()]
                if cols and all(c is not None for c in cols):
                    found.setdefault(table, []).append((None, cols))
        return found

    def unique_key(self, type_info: TypeInfo):  # type: ignore[override]
        if (type_info.collation or "").upper() == "NOCASE":
            return lambda v: v.lower() if isinstance(v, str) else v
        return None

    def cycle_strategy(self, fk: ForeignKeyInfo) -> str | None:
        return "deferred"

    def reset_sequences(self, conn: Connection, table: TableInfo) -> None:
        """AUTOINCREMENT keys count on in ``sqlite_sequence``; other rowids restart by
        themselves once the table is empty."""
        found = self.run(
            conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"
        ).first()
        if found:
            conn.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table.name,))

    def suspend_statements(
        self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo
    ) -> list[str]:
        # every foreign key of the transaction is then checked at COMMIT; SQLite resets it there
        return ["PRAGMA defer_foreign_keys = ON"]


IMPLEMENTATION = SQLiteDialect
