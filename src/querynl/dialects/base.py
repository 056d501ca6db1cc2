"""The default dialect implementation; subclasses override tables and a few methods."""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import ipaddress
import json
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import types as sat
from sqlalchemy.engine import URL, Connection, Engine

from ..models import ColumnInfo, ForeignKeyInfo, TableInfo, TotalPlan, TypeInfo
from . import failures, literals

log = logging.getLogger("querynl.dialect")

Adapter = Callable[[Any], Any]

# Generic SQLAlchemy types, most specific first: (class, kind).
GENERIC_TYPES: tuple[tuple[type, str], ...] = (
    (sat.Boolean, "boolean"),
    (sat.Enum, "enum"),
    (sat.Interval, "interval"),
    (sat.Uuid, "uuid"),
    (sat.JSON, "json"),
    (sat.Float, "float"),  # before Numeric: in SQLAlchemy 2.0 Float subclasses Numeric
    (sat.Numeric, "decimal"),
    (sat.Integer, "integer"),
    (sat.DateTime, "datetime"),
    (sat.Date, "date"),
    (sat.Time, "time"),
    (sat.Text, "text"),
    (sat.String, "string"),
    (sat._Binary, "binary"),
    (sat.ARRAY, "array"),
    (sat.NullType, "unknown"),
)

INTEGER_BITS: dict[type, int] = {
    sat.SmallInteger: 16,
    sat.BigInteger: 64,
    sat.Integer: 32,
}


@dataclass(frozen=True)
class DroppedKey:
    """A foreign key dropped for a large load, to be added back exactly as it was."""

    table: TableInfo
    name: str
    definition: str  # the database's own text of it (PostgreSQL's pg_get_constraintdef)


def _to_json(value: Any) -> Any:
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


class Dialect:
    """What every database shares. Subclasses set ``names`` and override what differs."""

    names: ClassVar[tuple[str, ...]] = ()
    # capabilities
    supports_deferrable: ClassVar[bool] = False
    supports_schemas: ClassVar[bool] = False
    case_insensitive_unique: ClassVar[bool] = False  # default collations fold case
    # TRIM(chars FROM x) removes a whole string, not any of a set of characters
    trim_removes_string: ClassVar[bool] = False
    # json_valid(NULL) is 0, not NULL: a CHECK on it refuses NULL
    json_valid_refuses_null: ClassVar[bool] = False
    transactional_ddl: ClassVar[bool] = True  # CREATE/ALTER/DROP roll back with the transaction
    # a failed statement spoils the whole transaction (so risky ones run in a savepoint)
    errors_abort_transaction: ClassVar[bool] = False
    # a foreign key must point at a primary key or UNIQUE columns, else inserts fail
    requires_unique_fk_target: ClassVar[bool] = False
    max_identifier_length: ClassVar[int] = 63
    # rough end-to-end speed (plan, generate, load) on a 2-core machine, for time estimates
    typical_rows_per_second: ClassVar[int] = 20_000
    # a server process does the loading: the next batch can be made meanwhile (not SQLite,
    # whose loading runs in this process and would only compete for the interpreter)
    loads_in_another_process: ClassVar[bool] = True
    # (kind, pattern) over the driver's error message -> ErrorFacts (see failures.py)
    ERROR_PATTERNS: ClassVar[tuple[tuple[failures.ErrorKind, re.Pattern[str]], ...]] = ()
    # dialect-specific SQLAlchemy type classes -> kind, checked before GENERIC_TYPES
    TYPE_TABLE: ClassVar[tuple[tuple[type, str], ...]] = ()
    # native type names the Inspector does not know (it reflects NullType) -> kind
    NATIVE_TYPES: ClassVar[dict[str, str]] = {}
    # kind -> how a generated Python value is handed to the driver (None: as is)
    ADAPTERS: ClassVar[dict[str, Adapter]] = {
        "json": _to_json,
        "inet": str,
        "cidr": str,
        "uuid": str,
    }
    # Python type -> SQL literal renderer, checked in order (see literals.py)
    LITERALS: ClassVar[tuple[tuple[Any, literals.Renderer], ...]] = literals.GENERIC

    # ------------------------------------------------------------------ engine and connections

    def engine_options(self, url: URL | None = None) -> dict[str, Any]:
        """Keyword arguments for ``sqlalchemy.create_engine`` (``url``: the URL it gets)."""
        return {}

    def install(self, engine: Engine) -> None:
        """Prepare every new DBAPI connection (pragmas, session settings)."""
        prepare = self.prepare_connection

        @sa.event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            prepare(dbapi_conn)

    def prepare_connection(self, dbapi_conn: Any) -> None:
        return None

    def driver_connection(self, conn: Connection) -> Any:
        return conn.connection.driver_connection

    def cancel_query(self, engine: Engine, conn: Connection) -> None:
        """Stop the statement ``conn`` is running (after Ctrl+C), where the driver does not.

        psycopg cancels on Ctrl+C by itself, and SQLite runs in this process.
        """
        return None

    # ------------------------------------------------------------------ introspection

    def table_names(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None
    ) -> list[str]:
        return inspector.get_table_names(schema=schema)

    def type_info(self, sa_type: Any, column: dict[str, Any]) -> TypeInfo:
        """Map a reflected SQLAlchemy type to a ``TypeInfo``."""
        sql = self._type_sql(sa_type)
        kind = self._kind(sa_type)
        native = column.get("native_type")
        if kind == "unknown" and native:
            kind = self.NATIVE_TYPES.get(native.lower(), "unknown")
            sql = native.upper() if sql in ("NULL", "NullType") else sql
            return TypeInfo(kind=kind, sql=native)  # type: ignore[arg-type]
        info: dict[str, Any] = {"kind": kind, "sql": sql}
        info["collation"] = getattr(sa_type, "collation", None)
        if kind in ("string", "text", "binary"):
            info["length"] = getattr(sa_type, "length", None)
            info["fixed"] = isinstance(sa_type, (sat.CHAR, sat.NCHAR)) or "BINARY(" in sql.upper()
        elif kind in ("decimal", "float"):
            info["precision"] = getattr(sa_type, "precision", None)
            info["scale"] = getattr(sa_type, "scale", None)
            info["unsigned"] = bool(getattr(sa_type, "unsigned", False))
        elif kind == "integer":
            info["bits"] = self.integer_bits(sa_type)
            info["unsigned"] = bool(getattr(sa_type, "unsigned", False))
        elif kind in ("enum", "set"):
            info["values"] = tuple(
                getattr(sa_type, "enums", None) or getattr(sa_type, "values", ())
            )
        elif kind in ("datetime", "time"):
            info["timezone"] = bool(getattr(sa_type, "timezone", False))
            info["precision"] = getattr(sa_type, "fsp", None) or getattr(sa_type, "precision", None)
        elif kind == "array":
            item = sa_type.item_type
            info["item"] = self.type_info(item, {})
        return TypeInfo(**info)

    def _type_sql(self, sa_type: Any) -> str:
        try:
            return str(sa_type.compile(dialect=self.sa_dialect()))
        except Exception:  # noqa: BLE001 - some reflected types cannot render; keep a name
            return type(sa_type).__name__

    def sa_dialect(self) -> sa.engine.Dialect:
        return sa.dialects.sqlite.dialect()

    def _kind(self, sa_type: Any) -> str:
        for cls, kind in self.TYPE_TABLE:
            if isinstance(sa_type, cls):
                return kind
        for cls, kind in GENERIC_TYPES:
            if isinstance(sa_type, cls):
                return kind
        return "unknown"

    def integer_bits(self, sa_type: Any) -> int:
        for cls, bits in INTEGER_BITS.items():
            if isinstance(sa_type, cls):
                return bits
        return 64

    def reflect_checks(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None, tables: Sequence[str]
    ) -> dict[str, list[tuple[str | None, str]]]:
        """CHECK constraints per table: table -> [(name, sqltext)]."""
        found = inspector.get_multi_check_constraints(schema=schema, filter_names=list(tables))
        return {
            key[1]: [(c.get("name"), c["sqltext"]) for c in checks] for key, checks in found.items()
        }

    def reflect_foreign_keys(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None, tables: Sequence[str]
    ) -> dict[tuple[str | None, str], list[dict[str, Any]]]:
        """Foreign keys per (schema, table), in the Inspector's own format."""
        return dict(inspector.get_multi_foreign_keys(schema=schema, filter_names=list(tables)))

    def clean_reflected(self, found: dict[Any, Any]) -> dict[Any, Any]:
        """Repair what the Inspector misreads in names (columns, keys, indexes)."""
        return found

    def trigger_targets(self, conn: Connection, schema: str | None) -> dict[str, str]:
        """Tables that an INSERT trigger of another table fills: target -> source table."""
        return {}

    def extra_uniques(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[str, list[tuple[str | None, list[str]]]]:
        """Unique column sets the inspector misses: table -> [(name, columns)]."""
        return {}

    def column_overrides(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """Per-column facts the inspector misses: (table, column) -> ColumnInfo fields."""
        return {}

    def row_count(self, conn: Connection, table: TableInfo) -> int:
        sql = f"SELECT COUNT(*) FROM {self.qualified(conn, table)}"
        return int(self.run(conn, sql).scalar() or 0)

    # ------------------------------------------------------------------ quoting and SQL text
    #
    # One rule for identifiers: ``quote`` gives a name exactly as SQL reads it. Drivers with a
    # "format" paramstyle (psycopg, PyMySQL) read "%" as the start of a placeholder whenever a
    # statement travels with parameters, and SQLAlchemy's ``exec_driver_sql`` always passes
    # some. So statement text reaches the driver in one of two ways only: ``run`` sends a
    # statement without parameters verbatim, and ``bound`` escapes the text of a statement
    # that carries parameters (executemany). COPY, ``sa.text()`` (which escapes by itself),
    # bound values naming a table, scripts and display all take ``quote`` as it is.
    # (SQLAlchemy's ``quote_identifier`` doubles "%" always: right for the second way only.)

    def quote(self, conn: Connection | Engine, name: str) -> str:
        """Always quote: reserved words, spaces, quotes, ``%``, case and non-ASCII all survive.

        >>> Dialect().quote(sa.create_engine("sqlite://"), "discount %")
        '"discount %"'
        """
        p = conn.dialect.identifier_preparer
        return p.initial_quote + name.replace(p.escape_quote, p.escape_to_quote) + p.final_quote

    def qualified(self, conn: Connection | Engine, table: TableInfo) -> str:
        name = self.quote(conn, table.name)
        if table.schema:
            return f"{self.quote(conn, table.schema)}.{name}"
        return name

    def bound(self, conn: Connection | Engine, sql: str) -> str:
        """SQL text (quoted names, keywords; no placeholders) for a statement sent with
        parameters: a format-paramstyle driver must see every "%" doubled."""
        if conn.dialect.paramstyle in ("format", "pyformat"):
            return sql.replace("%", "%%")
        return sql

    def run(self, conn: Connection, sql: str) -> sa.CursorResult[Any]:
        """Run a statement that carries no parameters, exactly as written."""
        return conn.exec_driver_sql(sql, execution_options={"no_parameters": True})

    def insert_sql(self, conn: Connection, table: TableInfo, columns: Sequence[str]) -> str:
        """INSERT with one placeholder per column in the driver's own paramstyle."""
        cols = ", ".join(self.quote(conn, c) for c in columns)
        marks = ", ".join([self.placeholder(conn)] * len(columns))
        target = self.bound(conn, f"INSERT INTO {self.qualified(conn, table)} ({cols}) VALUES")
        return f"{target} ({marks})"

    def placeholder(self, conn: Connection) -> str:
        style = conn.dialect.paramstyle
        return "?" if style == "qmark" else "%s"

    # ------------------------------------------------------------------ values

    def adapter(self, type_info: TypeInfo) -> Adapter | None:
        """How values of this type are handed to the driver; None means unchanged."""
        if type_info.kind == "array" and type_info.item is not None:
            inner = self.adapter(type_info.item)
            if inner is not None:
                return lambda v: None if v is None else [inner(x) for x in v]
            return None
        return self.ADAPTERS.get(type_info.kind)

    def literal(self, value: Any, type_info: TypeInfo | None = None) -> str:
        """``value`` as an SQL literal this database stores exactly as the bound value.

        For display and ``--sql-out`` scripts only; execution always binds parameters.

        >>> dialect_for("postgresql").literal("it's", None)  # doctest: +SKIP
        "'it''s'"
        """
        return literals.render(self.LITERALS, self, value, type_info)

    def literal_insert(
        self,
        conn: Connection | Engine,
        table: TableInfo,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> str:
        """One multi-row INSERT with the values written as literals (display and scripts).

        >>> print(dialect.literal_insert(engine, users, ["id", "name"], [(1, "O'Hara")]))
        ... # doctest: +SKIP
        INSERT INTO "users" ("id", "name") VALUES
          (1, 'O''Hara');
        """
        types = [table.column(c).type for c in columns]
        values = ",\n".join(
            "  (" + ", ".join(self.literal(v, t) for v, t in zip(row, types)) + ")" for row in rows
        )
        return f"{self.literal_insert_head(conn, table, columns)}\n{values};"

    def literal_insert_head(
        self, conn: Connection | Engine, table: TableInfo, columns: Sequence[str]
    ) -> str:
        """``INSERT INTO t (columns) VALUES`` for rows written as literals."""
        cols = ", ".join(self.quote(conn, c) for c in columns)
        return f"INSERT INTO {self.qualified(conn, table)} ({cols}) VALUES"

    def error_facts(self, orig: BaseException) -> failures.ErrorFacts:
        """What a driver error was about: kind of violation, table, column, constraint, value."""
        return failures.facts_from_text(self.ERROR_PATTERNS, failures.driver_message(orig))

    def text_value(self, value: Any, type_info: TypeInfo | None = None) -> str | None:
        """``value`` as plain text for CSV files (None stays None)."""
        return None if value is None else literals.plain_text(value)

    def unique_key(self, type_info: TypeInfo) -> Callable[[Any], Any] | None:
        """How the database compares values for uniqueness (collation); None: as is."""
        return None

    # ------------------------------------------------------------------ CHECKs the database judges

    def scratch_table_sql(
        self, conn: Connection, table: TableInfo, name: str, columns: Sequence[str]
    ) -> str:
        """A temporary table holding ``columns`` of ``table`` (their types and collations, no
        constraints) and a row number: candidate rows go there, and the database says which
        of them a CHECK rejects."""
        cols = ", ".join(self.quote(conn, c) for c in columns)
        return (
            f"CREATE TEMPORARY TABLE {self.quote(conn, name)} AS SELECT 0 AS qnl_row, {cols} "
            f"FROM {self.qualified(conn, table)} WHERE 1 = 0"
        )

    def drop_scratch_sql(self, conn: Connection, name: str) -> str:
        return f"DROP TABLE {self.quote(conn, name)}"

    # ------------------------------------------------------------------ bulk loading

    def bulk_insert(
        self,
        conn: Connection,
        table: TableInfo,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        """Load rows through the fastest parameterised path of the driver."""
        sql = self.insert_sql(conn, table, columns)
        log.debug("%s -- executemany, %d rows", sql, len(rows))
        cursor = self.driver_connection(conn).cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()

    @contextlib.contextmanager
    def bulk_session(
        self,
        conn: Connection,
        table: TableInfo,
        columns: Sequence[str],
        *,
        exclusive: bool = False,
    ) -> Iterator[Callable[[Sequence[Sequence[Any]]], None]]:
        """Load a table's batches one after another: ``load(rows)`` for each batch.

        ``exclusive``: no other statement runs on ``conn`` until the session ends, so a
        dialect may keep one bulk statement open for all the batches. By default each batch
        is its own ``bulk_insert``."""

        def load(rows: Sequence[Sequence[Any]]) -> None:
            self.bulk_insert(conn, table, columns, rows)

        yield load

    def update_rows(
        self,
        conn: Connection,
        table: TableInfo,
        set_columns: Sequence[str],
        key_columns: Sequence[str],
        rows: Iterable[Sequence[Any]],
    ) -> None:
        """UPDATE many rows by key: each row is the SET values followed by the key values."""
        mark = self.placeholder(conn)

        def name(column: str) -> str:
            return self.bound(conn, self.quote(conn, column))

        sets = ", ".join(f"{name(c)} = {mark}" for c in set_columns)
        where = " AND ".join(f"{name(c)} = {mark}" for c in key_columns)
        sql = f"UPDATE {self.bound(conn, self.qualified(conn, table))} SET {sets} WHERE {where}"
        cursor = self.driver_connection(conn).cursor()
        try:
            cursor.executemany(sql, list(rows))
        finally:
            cursor.close()

    def update_totals(
        self,
        conn: Connection,
        parent: TableInfo,
        child: TableInfo,
        total: TotalPlan,
        keys: tuple[int, int],
        bounds: tuple[Any, Any],
        zero: bool,
    ) -> None:
        """Set each parent row's total (keys in ``keys``) to the sum over its child rows when
        the sum lies within ``bounds`` (what the column's type and CHECKs allow), and rows
        without lines to 0 when ``zero``. One statement; every value is a parameter."""
        mark = self.placeholder(conn)

        def name(column: str) -> str:
            return self.bound(conn, self.quote(conn, column))

        line = self._total_line(conn, total)
        parent_name = self.bound(conn, self.qualified(conn, parent))
        child_name = self.bound(conn, self.qualified(conn, child))
        match = f"c.{name(total.fk)} = {parent_name}.{name(total.key)}"
        fallback = f"{parent_name}.{name(total.column)}"
        if zero:
            fallback = (
                f"CASE WHEN EXISTS (SELECT 1 FROM {child_name} c WHERE {match}) "
                f"THEN {fallback} ELSE {mark} END"
            )
        sql = (
            f"UPDATE {parent_name} SET {name(total.column)} = COALESCE(("
            f"SELECT CASE WHEN SUM({line}) BETWEEN {mark} AND {mark} THEN SUM({line}) END "
            f"FROM {child_name} c WHERE {match}), {fallback}) "
            f"WHERE {parent_name}.{name(total.key)} BETWEEN {mark} AND {mark}"
        )
        params: list[Any] = [*bounds] + ([0] if zero else []) + [keys[0], keys[1]]
        cursor = self.driver_connection(conn).cursor()
        try:
            cursor.execute(sql, params)
        finally:
            cursor.close()

    def _total_line(self, conn: Connection, total: TotalPlan) -> str:
        """One child row's part of the total, over the child table aliased ``c``."""

        def name(column: str) -> str:
            return self.bound(conn, self.quote(conn, column))

        line = f"c.{name(total.price)}"
        if total.quantity:
            line = f"c.{name(total.quantity)} * {line}"
        if total.discount:
            line = f"{line} * (1 - COALESCE(c.{name(total.discount)}, 0))"
        return line

    # A parent table whose rows wait in a temporary table until its child rows are in, then
    # arrive with their totals (see ``stage_table``); False: totals are set by UPDATE.
    stages_totals: ClassVar[bool] = False

    def stage_table(
        self, conn: Connection, table: TableInfo, name: str, columns: Sequence[str]
    ) -> TableInfo:
        """A temporary table ``name`` with ``columns`` as ``table`` has them, empty, dropped
        at the end of the transaction; the parent's rows are loaded there first."""
        raise NotImplementedError

    def has_user_triggers(self, conn: Connection, tables: Sequence[TableInfo]) -> bool:
        """Whether any of ``tables`` has a trigger of the user's (not a constraint's own)."""
        return True

    def insert_staged(
        self,
        conn: Connection,
        parent: TableInfo,
        child: TableInfo,
        stage: TableInfo,
        columns: Sequence[str],
        total: TotalPlan,
        keys: tuple[int, int],
        bounds: tuple[Any, Any] | None,
        zero: bool,
    ) -> int:
        """Move the staged rows into ``parent`` with each total set as ``update_totals``
        would set it (kept when ``bounds`` is None); returns the number of rows moved."""
        raise NotImplementedError

    def read_totals(
        self, conn: Connection, parent: TableInfo, total: TotalPlan, keys: tuple[int, int]
    ) -> list[tuple[Any, ...]]:
        """(total, key) of the parent rows in ``keys``, as ``update_totals`` left them."""
        mark = self.placeholder(conn)
        column, key = self.quote(conn, total.column), self.quote(conn, total.key)
        sql = self.bound(
            conn,
            f"SELECT {column}, {key} FROM {self.qualified(conn, parent)} WHERE {key} BETWEEN ",
        )
        cursor = self.driver_connection(conn).cursor()
        try:
            cursor.execute(f"{sql}{mark} AND {mark} ORDER BY {self.bound(conn, key)}", keys)
            return [tuple(r) for r in cursor.fetchall()]
        finally:
            cursor.close()

    # ------------------------------------------------------------------ keys and sequences

    def max_value(self, conn: Connection, table: TableInfo, column: str) -> Any:
        sql = f"SELECT MAX({self.quote(conn, column)}) FROM {self.qualified(conn, table)}"
        return self.run(conn, sql).scalar()

    def next_key(self, conn: Connection, table: TableInfo, column: ColumnInfo) -> int:
        """The first integer key after every existing row (and after the sequence)."""
        current = self.max_value(conn, table, column.name)
        return int(current) + 1 if current is not None else 1

    def after_table_load(self, conn: Connection, table: TableInfo) -> None:
        """Leave sequences consistent so the application's next INSERT does not collide."""
        return None

    def index_for_delete(
        self, conn: Connection, child: TableInfo, fk: ForeignKeyInfo, name: str
    ) -> bool:
        """Before many parent rows are deleted: make the check that no ``child`` row still
        points at each of them cheap. Returns True when index ``name`` was created for the
        transaction (``drop_delete_index`` removes it); by default nothing is needed."""
        return False

    def drop_delete_index(self, conn: Connection, child: TableInfo, name: str) -> None:
        return None

    def reset_sequences(self, conn: Connection, table: TableInfo) -> None:
        """After ``table`` was emptied: its generated keys start again where the database
        allows (runs inside the transaction where DDL is transactional, else after it)."""
        return None

    # ------------------------------------------------------------------ foreign key checks

    def cycle_strategy(self, fk: ForeignKeyInfo) -> str | None:
        """How a NOT NULL foreign key in a cycle can point at rows inserted later, if at all."""
        return None

    def suspend_foreign_key(self, conn: Connection, table: TableInfo, fk: ForeignKeyInfo) -> None:
        """Let ``fk`` point at rows that do not exist yet, until ``resume_foreign_key``."""
        for sql in self.suspend_statements(conn, table, fk):
            self.run(conn, sql)

    def resume_foreign_key(self, conn: Connection, table: TableInfo, fk: ForeignKeyInfo) -> None:
        """Check ``fk`` again; raise when a row points nowhere."""
        for sql in self.resume_statements(conn, table, fk):
            self.run(conn, sql)

    def relax_foreign_keys(
        self, conn: Connection, loads: Sequence[tuple[TableInfo, int]]
    ) -> list[DroppedKey]:
        """Before a large load into ``loads`` (each table with the rows this run adds): drop
        the foreign keys the database can check faster all at once, when they are added back
        by ``restore_foreign_key`` before COMMIT, than row by row. Returns what was dropped;
        whatever is not (here: everything) keeps checking each row as it arrives."""
        return []

    def restore_foreign_key(self, conn: Connection, key: DroppedKey) -> None:
        """Add ``key`` back as it was; the database checks every row of the table against it
        and raises, naming the constraint, when one points nowhere."""
        definition = key.definition
        self.run(
            conn,
            f"ALTER TABLE {self.qualified(conn, key.table)} ADD CONSTRAINT "
            f"{self.quote(conn, key.name)} {definition}",
        )

    def suspend_statements(
        self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo
    ) -> list[str]:
        """The statements behind ``suspend_foreign_key`` (SQL scripts write them too)."""
        raise NotImplementedError

    def resume_statements(
        self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo
    ) -> list[str]:
        return []

    # ------------------------------------------------------------------ SQL scripts (--sql-out)

    # session settings a script starts with, so its literals read as the executor's values do
    SCRIPT_SETTINGS: ClassVar[tuple[str, ...]] = ()
    SCRIPT_BEGIN: ClassVar[str] = "BEGIN;"

    def script_after_table(self, conn: Connection | Engine, table: TableInfo) -> list[str]:
        """Statements that leave sequences right after a script loaded ``table``."""
        return []

    def orphan_count(self, conn: Connection, table: TableInfo, fk: ForeignKeyInfo) -> int:
        """Rows of ``table`` whose ``fk`` columns point at no parent row (MATCH SIMPLE)."""
        q = self.quote
        child = self.qualified(conn, table)
        parent_name = q(conn, fk.ref_name)
        parent = f"{q(conn, fk.ref_schema)}.{parent_name}" if fk.ref_schema else parent_name
        if table.schema and not fk.ref_schema:
            parent = f"{q(conn, table.schema)}.{parent_name}"
        join = " AND ".join(
            f"p.{q(conn, r)} = c.{q(conn, c)}" for c, r in zip(fk.columns, fk.ref_columns)
        )
        not_null = " AND ".join(f"c.{q(conn, c)} IS NOT NULL" for c in fk.columns)
        sql = (
            f"SELECT COUNT(*) FROM {child} c WHERE {not_null} AND NOT EXISTS "
            f"(SELECT 1 FROM {parent} p WHERE {join})"
        )
        return int(self.run(conn, sql).scalar() or 0)


_INSERT_INTO = re.compile(r"(?is)\binsert\s+(?:or\s+\w+\s+)?into\s+[`\"\[]?([\w$]+)")


def inserted_tables(body: str) -> list[str]:
    """Table names a trigger body inserts into (the last part of a qualified name)."""
    return [m.group(1) for m in _INSERT_INTO.finditer(body or "")]


def default_adapters() -> dict[str, Adapter]:
    return dict(Dialect.ADAPTERS)


def iso(value: Any) -> Any:
    """Dates and times as ISO text (SQLite stores them as text)."""
    kind = type(value)
    if kind is dt.datetime:
        return value.isoformat(" ")
    if kind is dt.date:
        return value.isoformat()
    if isinstance(value, (dt.date, dt.time, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    return value


def adapt_column(adapter: Adapter, values: list[Any]) -> list[Any]:
    """``adapter`` applied to a column of values (None stays None); a column of one type that
    the adapter turns into text is converted without a Python call per value."""
    kinds = set(map(type, values))
    nulls = type(None) in kinds
    kinds.discard(type(None))
    if len(kinds) == 1:
        convert = _WHOLE_COLUMN.get((adapter, kinds.pop()))
        if convert is not None:
            if not nulls:
                return convert(values)
            converted = iter(convert([v for v in values if v is not None]))
            return [None if v is None else next(converted) for v in values]
    return [None if v is None else adapter(v) for v in values]


def decimal_text(value: Any) -> Any:
    if type(value) is decimal.Decimal or isinstance(value, decimal.Decimal):
        return str(value)
    return value


def text(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, (uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    return str(value)


# (adapter, the type of every value) -> the same conversion for the whole column
_WHOLE_COLUMN: dict[tuple[Adapter, type], Callable[[list[Any]], list[Any]]] = {
    (iso, dt.datetime): lambda values: list(map(dt.datetime.isoformat, values, repeat(" "))),
    (iso, dt.date): lambda values: list(map(dt.date.isoformat, values)),
    (decimal_text, decimal.Decimal): lambda values: list(map(str, values)),
}
