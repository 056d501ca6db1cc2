"""MySQL and MariaDB: strict session, case-insensitive uniqueness, batches loaded with LOAD DATA
LOCAL INFILE (``mysql_load``) or multi-row INSERT."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, ClassVar

import sqlalchemy as sa
import sqlglot
from sqlalchemy.dialects import mysql as my
from sqlalchemy.engine import URL, Connection, Engine
from sqlglot import exp

from ..errors import InsertionError
from ..models import ColumnInfo, ForeignKeyInfo, TableInfo, TypeInfo
from . import failures, literals, mysql_load
from .base import Adapter, Dialect, inserted_tables, log

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
    trim_removes_string = True
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
    NATIVE_TYPES: ClassVar[dict[str, str]] = {
        "uuid": "uuid",
        "inet4": "inet",
        "inet6": "inet",
        **dict.fromkeys(
            (
                "geometry",
                "point",
                "linestring",
                "polygon",
                "multipoint",
                "multilinestring",
                "multipolygon",
                "geometrycollection",
                "geomcollection",
            ),
            "spatial",
        ),
    }
    ADAPTERS: ClassVar[dict[str, Adapter]] = {
        **Dialect.ADAPTERS,
        "bit": _bit_value,
        "datetime": _naive_utc,
        "set": _set_text,
        "boolean": lambda v: None if v is None else int(v),
    }

    def engine_options(self, url: URL | None = None) -> dict[str, Any]:
        connect: dict[str, Any] = {"charset": "utf8mb4"}
        if url is None or "local_infile" not in url.query:
            # the capability for LOAD DATA LOCAL INFILE; file requests stay refused outside
            # QueryNL's own loads (see mysql_load). ?local_infile=0 in the URL keeps it off.
            connect["local_infile"] = True
        return {"connect_args": connect}

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

        @sa.event.listens_for(engine, "checkout")
        def _foreign_key_checks_on(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
            # FOREIGN_KEY_CHECKS is per session: a run that stopped while checks were off
            # must not hand a pooled connection with them off to the next statement
            cursor = dbapi_conn.cursor()
            cursor.execute("SET FOREIGN_KEY_CHECKS = 1")
            cursor.close()

    def bulk_insert(
        self,
        conn: Connection,
        table: TableInfo,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        """LOAD DATA LOCAL INFILE where the server allows it and every column's values travel
        as text; otherwise PyMySQL's multi-row INSERT."""
        dbapi_conn = self.driver_connection(conn)
        if rows and mysql_load.loadable(table, columns) and mysql_load.server_allows(dbapi_conn):
            try:
                data = mysql_load.text_rows(rows)
            except (mysql_load.NotText, UnicodeEncodeError):
                data = None
            if data is not None:
                cols = ", ".join(self.quote(conn, c) for c in columns)
                sql = (
                    f"LOAD DATA LOCAL INFILE {self.placeholder(conn)} INTO TABLE "
                    f"{self.bound(conn, self.qualified(conn, table))} CHARACTER SET utf8mb4 "
                    f"({self.bound(conn, cols)})"
                )
                log.debug("%s -- %d rows", sql, len(rows))
                if mysql_load.load(dbapi_conn, sql, data, len(rows)):
                    return
        super().bulk_insert(conn, table, columns, rows)

    def cancel_query(self, engine: Engine, conn: Connection) -> None:
        """KILL QUERY from a second connection, as the mysql client does on Ctrl+C."""
        thread_id = int(self.driver_connection(conn).thread_id())
        with engine.connect() as other:
            other.exec_driver_sql("KILL QUERY %s", (thread_id,))

    def prepare_connection(self, dbapi_conn: Any) -> None:
        mysql_load.lock_files(dbapi_conn)
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
        partitions: dict[str, list[Any]] = {}
        for row in conn.execute(sa.text(_PARTITIONS), {"schema": schema}):
            if row[0] in wanted:
                partitions.setdefault(row[0], []).append(row)
        for table, parts in partitions.items():
            check = partition_check(parts[0][1], parts[0][2], [part[3] for part in parts])
            if check:
                found.setdefault(table, []).append((f"partitions of {table}", check))
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
        and name every type as the server does, for the types the Inspector does not know
        (MariaDB's UUID, INET4, INET6, the spatial types)."""
        checks = self.reflect_checks(conn, sa.inspect(conn), schema, tables)
        found: dict[tuple[str, str], dict[str, Any]] = {}
        rows = conn.execute(sa.text(_COLUMN_TYPES), {"schema": schema}).fetchall()
        wanted = set(tables)
        for table, column, native in rows:
            if table in wanted:  # the server's own name, for types the Inspector misses
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

# One row per partition (a subpartitioned table lists each partition once per subpartition).
_PARTITIONS = """
SELECT DISTINCT TABLE_NAME, PARTITION_METHOD, PARTITION_EXPRESSION, PARTITION_DESCRIPTION,
       PARTITION_ORDINAL_POSITION
FROM information_schema.PARTITIONS
WHERE TABLE_SCHEMA = coalesce(:schema, DATABASE()) AND PARTITION_NAME IS NOT NULL
ORDER BY TABLE_NAME, PARTITION_ORDINAL_POSITION
"""

_DATE_FUNCTIONS = re.compile(r"^(year|to_days)\((`(?:[^`]|``)+`)\)$", re.I)


def partition_check(method: str, expression: str, bounds: list[str]) -> str | None:
    """The condition a row must meet to land in one of a table's RANGE or LIST partitions
    (MySQL refuses any other: "Table has no partition for value ..."), as CHECK text.

    A RANGE is bounded above by its last partition; below, it is given the width of the first
    partition again, so values spread over the partitions instead of piling into the first.
    YEAR() and TO_DAYS() of a date column become limits on the column itself.

    >>> partition_check("RANGE", "year(`sold_on`)", ["2024", "2025"])
    "`sold_on` >= '2023-01-01' AND `sold_on` < '2025-01-01'"
    """
    if method.startswith("LIST"):
        whole = f"({expression}) IN ({', '.join(bounds)})"
        return _per_column_lists(whole) if "," in expression else whole
    if not method.startswith("RANGE") or any("MAXVALUE" in b.upper() for b in bounds):
        return None
    if "," in expression:  # RANGE COLUMNS (a, b): tuples compare left to right
        return f"({expression}) < ({bounds[-1]})"
    limits = [_range_bound(b) for b in bounds]
    if len(limits) > 1 and type(limits[0]) is type(limits[1]) and not isinstance(limits[0], str):
        limits.insert(0, limits[0] - (limits[1] - limits[0]))  # type: ignore[operator]
    else:
        limits.insert(0, None)  # type: ignore[arg-type]
    term = expression
    matched = _DATE_FUNCTIONS.match(expression)
    if matched and all(isinstance(v, int) for v in limits if v is not None):
        term = matched.group(2)
        to_date = _year_start if matched.group(1).lower() == "year" else _from_days
        limits = [None if v is None else to_date(v) for v in limits]  # type: ignore[arg-type]
    high = f"{term} < {_range_literal(limits[-1])}"
    if limits[0] is None:
        return high
    return f"{term} >= {_range_literal(limits[0])} AND {high}"


def _per_column_lists(whole: str) -> str:
    """``(a, b) IN ((1, 'x'), (2, 'y'))`` with each column's own list in front, so each
    column is drawn from its values and only the combinations are left to check."""
    try:
        parsed = sqlglot.parse_one(whole, read="mysql")
    except sqlglot.errors.ParseError:
        return whole
    if not isinstance(parsed, exp.In) or not isinstance(parsed.this, exp.Tuple):
        return whole
    columns = parsed.this.expressions
    rows = [t.expressions for t in parsed.expressions if isinstance(t, exp.Tuple)]
    if any(len(row) != len(columns) for row in rows):
        return whole
    lists = []
    for i, column in enumerate(columns):
        values = dict.fromkeys(row[i].sql("mysql") for row in rows)
        lists.append(f"{column.sql('mysql')} IN ({', '.join(values)})")
    return " AND ".join([*lists, whole])


def _year_start(year: int) -> dt.date:
    return dt.date(min(max(year, 1), 9999), 1, 1)


def _from_days(days: int) -> dt.date:
    return dt.date.fromordinal(min(max(days - 365, 1), dt.date.max.toordinal()))


def _range_bound(text: str) -> int | dt.date | str:
    """A partition bound as written by the server: a number, a quoted date, or other text."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text.strip("'"))
    except ValueError:
        return text


def _range_literal(value: int | dt.date | str) -> str:
    if isinstance(value, dt.date):
        return f"'{value.isoformat()}'"
    return str(value)


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
