"""PostgreSQL: COPY through psycopg 3, sequences set after load, deferrable constraints."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg
from sqlalchemy.engine import Connection, Engine

from ..models import ColumnInfo, ForeignKeyInfo, TableInfo, TotalPlan, TypeInfo
from . import failures, literals
from .base import Dialect, DroppedKey, inserted_tables, log

_RANGE_ITEMS = {
    "INT4RANGE": "integer",
    "INT8RANGE": "integer",
    "NUMRANGE": "decimal",
    "DATERANGE": "date",
    "TSRANGE": "datetime",
    "TSTZRANGE": "datetime",
}

# Columns of a domain type -> the domain's base type.
_BASE_TYPES = """
SELECT a.attname, format_type(t.typbasetype, t.typtypmod)
FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = CAST(:t AS regclass) AND a.attnum > 0 AND t.typtype = 'd'
"""

# Foreign-key columns in key order, straight from the catalogue.
_FOREIGN_KEY_COLUMNS = """
SELECT c.relname, con.conname,
       ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY AS k(num, pos)
             JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.num
             ORDER BY k.pos),
       ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY AS k(num, pos)
             JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num
             ORDER BY k.pos),
       con.conparentid <> 0
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'f' AND n.nspname = coalesce(:schema, current_schema())
"""

_COLUMN_TYPES = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relname = ANY(:tables)
  AND n.nspname = coalesce(:schema, current_schema())
"""


# Leaf partitions of each partitioned table, with the constraint PostgreSQL derives from their
# bounds; a DEFAULT or HASH partition takes any value, so its table gets no such constraint.
# The sequence a column's values come from: pg_get_serial_sequence() knows only sequences the
# column owns; a DEFAULT nextval('...') records its sequence as a dependency of the default.
_COLUMN_SEQUENCE = """
SELECT coalesce(
    pg_get_serial_sequence(:t, :c),
    (SELECT d.refobjid::regclass::text
     FROM pg_attrdef ad
     JOIN pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
     JOIN pg_depend d ON d.classid = 'pg_attrdef'::regclass AND d.objid = ad.oid
      AND d.refclassid = 'pg_class'::regclass
     JOIN pg_class s ON s.oid = d.refobjid AND s.relkind = 'S'
     WHERE ad.adrelid = CAST(:t AS regclass) AND a.attname = :c
     ORDER BY d.refobjid LIMIT 1))
"""

_PARTITIONS = """
SELECT p.relname, c.relname, pg_get_partition_constraintdef(c.oid),
       pt.partstrat, pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT'
FROM pg_partitioned_table pt
JOIN pg_class p ON p.oid = pt.partrelid
JOIN pg_namespace n ON n.oid = p.relnamespace
JOIN LATERAL pg_partition_tree(p.oid) t ON t.isleaf
JOIN pg_class c ON c.oid = t.relid
WHERE n.nspname = coalesce(:schema, current_schema()) AND p.relname = ANY(:tables)
  AND NOT p.relispartition
"""


# Foreign keys of one table that can be dropped for a load and added back exactly as they were:
# validated, the table's own (not a partition's copy of a parent's key, not inherited), between
# ordinary tables that are not partitions.
_DROPPABLE_KEYS = """
SELECT t.name, con.conname, pg_get_constraintdef(con.oid), c.reltuples
FROM unnest(CAST(:tables AS text[])) AS t(name)
JOIN pg_class c ON c.oid = CAST(t.name AS regclass)
JOIN pg_constraint con ON con.conrelid = c.oid
JOIN pg_class r ON r.oid = con.confrelid
WHERE con.contype = 'f' AND con.convalidated
  AND con.conparentid = 0 AND con.coninhcount = 0
  AND c.relkind = 'r' AND NOT c.relispartition AND r.relkind = 'r' AND NOT r.relispartition
ORDER BY t.name, con.conname
"""

# How long dropping a table's foreign keys may wait for its lock before the run checks rows one
# by one instead: another session reading or writing the table must never make a run hang.
LOCK_WAIT = "1s"

# SQLSTATE -> why the keys stayed, for the log
_KEPT_BECAUSE = {
    "55P03": f"another session is using the table (no lock within {LOCK_WAIT})",
    "42501": "only the table's owner can drop and add back its foreign keys",
    "40P01": "dropping them would deadlock with another session",
}


class PostgreSQLDialect(Dialect):
    names = ("postgresql",)
    typical_rows_per_second = 30_000
    supports_deferrable = True
    errors_abort_transaction = True
    supports_schemas = True
    LITERALS: ClassVar = literals.POSTGRESQL
    SCRIPT_SETTINGS: ClassVar[tuple[str, ...]] = (
        "SET client_encoding = 'UTF8';",
        "SET standard_conforming_strings = on;",
    )
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
    NATIVE_TYPES: ClassVar[dict[str, str]] = {
        "xml": "xml",
        "citext": "text",
        **dict.fromkeys(("point", "line", "lseg", "box", "path", "polygon", "circle"), "geometry"),
    }

    def sa_dialect(self) -> sa.engine.Dialect:
        return pg.dialect()

    def text_value(self, value: Any, type_info: TypeInfo | None = None) -> str | None:
        """The text COPY would send: PostgreSQL's own input syntax for arrays and ranges."""
        return None if value is None else literals.pg_text(value)

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

    def reflect_checks(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None, tables: Sequence[str]
    ) -> dict[str, list[tuple[str | None, str]]]:
        """Table CHECKs, plus the CHECKs of each column's domain (VALUE -> the column)."""
        found = super().reflect_checks(conn, inspector, schema, tables)
        rows = conn.execute(
            sa.text(
                "SELECT c.relname, a.attname, t.typname, con.conname, "
                "pg_get_constraintdef(con.oid) FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_type t ON t.oid = a.atttypid "
                "JOIN pg_constraint con ON con.contypid = t.oid AND con.contype = 'c' "
                "WHERE a.attnum > 0 AND NOT a.attisdropped "
                "AND n.nspname = coalesce(:schema, current_schema())"
            ),
            {"schema": schema},
        ).fetchall()
        wanted = set(tables)
        for table, column, domain, name, definition in rows:
            if table not in wanted:
                continue
            body = re.sub(r"(?i)^\s*CHECK\s*", "", definition)
            body = re.sub(r"\bVALUE\b", self.quote(conn, column), body)
            found.setdefault(table, []).append((f"{domain}.{name}", body))
        for table, check in self._partition_checks(conn, schema, tables).items():
            found.setdefault(table, []).append((f"partitions of {table}", check))
        return found

    def _partitions(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[str, list[tuple[str, str | None, str, bool]]]:
        """Partitioned table -> its leaf partitions (name, bound constraint, strategy, default)."""
        rows = conn.execute(
            sa.text(_PARTITIONS), {"schema": schema, "tables": list(tables)}
        ).fetchall()
        found: dict[str, list[tuple[str, str | None, str, bool]]] = {}
        for parent, leaf, bound, strategy, default in rows:
            found.setdefault(parent, []).append((leaf, bound, strategy, bool(default)))
        return found

    def _partition_checks(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[str, str]:
        """A row of a partitioned table must fall in one of its partitions: an implicit CHECK."""
        found: dict[str, str] = {}
        for parent, leaves in self._partitions(conn, schema, tables).items():
            if any(
                default or strategy == "h" or not bound for _, bound, strategy, default in leaves
            ):
                continue
            found[parent] = " OR ".join(f"({bound})" for _, bound, _, _ in leaves)
        return found

    def reflect_foreign_keys(
        self, conn: Connection, inspector: sa.Inspector, schema: str | None, tables: Sequence[str]
    ) -> dict[tuple[str | None, str], list[dict[str, Any]]]:
        """Foreign keys, with those declared on the partitions of a partitioned table (a row
        inserted through the parent must satisfy the keys of the partition it lands in)."""
        found = self._exact_names(
            conn, schema, super().reflect_foreign_keys(conn, inspector, schema, tables)
        )
        partitions = self._partitions(conn, schema, tables)
        leaves = sorted({leaf for items in partitions.values() for leaf, *_ in items})
        if not leaves:
            return found
        of_leaves = self._exact_names(
            conn, schema, inspector.get_multi_foreign_keys(schema=schema, filter_names=leaves)
        )
        for parent, items in partitions.items():
            own = found.setdefault((schema, parent), [])
            seen = {_fk_shape(fk) for fk in own}
            for leaf, *_ in items:
                for fk in of_leaves.get((schema, leaf), []):
                    if _fk_shape(fk) not in seen:
                        seen.add(_fk_shape(fk))
                        own.append({**fk, "name": fk.get("name")})
        return found

    def _exact_names(
        self, conn: Connection, schema: str | None, found: dict[Any, list[dict[str, Any]]]
    ) -> dict[Any, list[dict[str, Any]]]:
        """Column names of foreign keys from the catalogue: the Inspector reads them out of
        ``pg_get_constraintdef`` text and splits on commas, so a column "a, b" reads as two.

        Copies PostgreSQL makes of a key for each partition it involves (a key that references
        a partitioned table gets one per partition of it) are left out: the key itself is
        there, pointing at the partitioned table."""
        rows = conn.execute(sa.text(_FOREIGN_KEY_COLUMNS), {"schema": schema}).fetchall()
        exact = {(table, name): (cols, refs) for table, name, cols, refs, _ in rows}
        copies = {(table, name) for table, name, _, _, copy in rows if copy}
        for key, fks in found.items():
            found[key] = fks = [fk for fk in fks if (key[1], fk.get("name")) not in copies]
            for fk in fks:
                names = exact.get((key[1], fk.get("name")))
                if names is not None:
                    fk["constrained_columns"], fk["referred_columns"] = map(list, names)
        return found

    def extra_uniques(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[str, list[tuple[str | None, list[str]]]]:
        """Exclusion constraints that generated rows can meet by construction: all ``=`` (a
        unique set by another name), or ``=`` and ``&&`` (``room WITH =, during WITH &&``: no
        two bookings of a room overlap), kept as the range column alone, whose values then
        overlap no other row's at all."""
        found: dict[str, list[tuple[str | None, list[str]]]] = {}
        params = {"schema": schema, "tables": list(tables)}
        parts: dict[tuple[str, str], list[tuple[str | None, str]]] = {}
        for table, name, column, operator in conn.execute(sa.text(_EXCLUSIONS), params):
            parts.setdefault((table, name), []).append((column, operator))
        for (table, name), items in parts.items():
            if any(column is None for column, _ in items):
                continue  # an expression, not a column
            operators = {operator for _, operator in items}
            if operators == {"="}:
                found.setdefault(table, []).append((name, [str(c) for c, _ in items]))
            elif operators <= {"=", "&&"}:
                ranges = [str(c) for c, operator in items if operator == "&&"]
                found.setdefault(table, []).append((name, ranges[:1]))
        return found

    def column_overrides(
        self, conn: Connection, schema: str | None, tables: Sequence[str]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        """The catalogue's own type names, for the types the Inspector does not know."""
        rows = conn.execute(
            sa.text(_COLUMN_TYPES), {"tables": list(tables), "schema": schema}
        ).fetchall()
        return {(t, c): {"native_type": native} for t, c, native in rows}

    def trigger_targets(self, conn: Connection, schema: str | None) -> dict[str, str]:
        rows = conn.execute(
            sa.text(
                "SELECT c.relname, p.prosrc FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "JOIN pg_proc p ON p.oid = t.tgfoid "
                "WHERE NOT t.tgisinternal AND (t.tgtype & 4) <> 0 "
                "AND n.nspname = coalesce(:schema, current_schema())"
            ),
            {"schema": schema},
        ).fetchall()
        found: dict[str, str] = {}
        for source, body in rows:
            for target in inserted_tables(body):
                if target != source:
                    found.setdefault(target, source)
        return found

    def type_info(self, sa_type: Any, column: dict[str, Any]) -> TypeInfo:
        if isinstance(sa_type, pg.DOMAIN):
            return self.type_info(sa_type.data_type, column)
        info = super().type_info(sa_type, column)
        if info.kind == "range":
            item_kind = _RANGE_ITEMS.get(type(sa_type).__name__.replace("MULTI", ""), "integer")
            return TypeInfo(
                kind="range", sql=info.sql, item=TypeInfo(kind=item_kind, sql=item_kind)
            )  # type: ignore[arg-type]
        if info.kind == "bit":
            return TypeInfo(kind="bit", sql=info.sql, length=getattr(sa_type, "length", 1) or 1)
        return info

    def error_facts(self, orig: BaseException) -> failures.ErrorFacts:
        return failures.postgresql_facts(orig)

    def bulk_insert(
        self,
        conn: Connection,
        table: TableInfo,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
    ) -> None:
        cols = ", ".join(self.quote(conn, c) for c in columns)
        sql = f"COPY {self.qualified(conn, table)} ({cols}) FROM STDIN"
        log.debug("%s -- %d rows", sql, len(rows))
        cursor = self.driver_connection(conn).cursor()
        try:
            with cursor.copy(sql) as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
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
        """With ``exclusive``, one COPY for all of a table's batches: the server stores rows
        as they arrive while the next batch is made, instead of finishing a COPY per batch
        before the next one starts (about a tenth faster at 1,000,000 rows). A failure
        ends the COPY with an error, and the transaction with it."""
        if not exclusive:
            with super().bulk_session(conn, table, columns) as load:
                yield load
            return
        cols = ", ".join(self.quote(conn, c) for c in columns)
        sql = f"COPY {self.qualified(conn, table)} ({cols}) FROM STDIN"
        log.debug("%s -- the table's batches follow", sql)
        cursor = self.driver_connection(conn).cursor()
        try:
            with cursor.copy(sql) as copy:
                write = copy.write_row

                def load(rows: Sequence[Sequence[Any]]) -> None:
                    for row in rows:
                        write(row)

                yield load
        finally:
            cursor.close()

    def next_key(self, conn: Connection, table: TableInfo, column: ColumnInfo) -> int:
        start = super().next_key(conn, table, column)
        seq = self._sequence(conn, table, column.name)
        if seq:
            row = self.run(conn, f"SELECT last_value, is_called FROM {seq}").first()
            if row is not None:
                # a fresh sequence's last_value is its START: keys begin there
                start = max(start, int(row[0]) + 1 if row[1] else int(row[0]))
        return start

    def _sequence(self, conn: Connection, table: TableInfo, column: str) -> str | None:
        """The sequence behind the column: owned by it (SERIAL, IDENTITY), or only named by its
        DEFAULT nextval(...) (dumps such as Sakila's create it apart, without OWNED BY)."""
        return conn.execute(
            sa.text(_COLUMN_SEQUENCE), {"t": self.qualified(conn, table), "c": column}
        ).scalar()

    def after_table_load(self, conn: Connection, table: TableInfo) -> None:
        """Every sequence that feeds a column (a key, or any column whose DEFAULT draws from
        one) moves past the largest value now there; a sequence already ahead stays."""
        for col in table.columns:
            fed = col.autoincrement or "nextval(" in (col.default or "")
            if not fed or col.type.kind != "integer":
                continue
            seq = self._sequence(conn, table, col.name)
            if not seq:
                continue
            top = self.max_value(conn, table, col.name)
            last, called = self.run(conn, f"SELECT last_value, is_called FROM {seq}").one()
            if top is not None and int(top) > (last if called else last - 1):
                conn.execute(sa.text("SELECT setval(:s, :v, true)"), {"s": seq, "v": int(top)})

    def index_for_delete(
        self, conn: Connection, child: TableInfo, fk: ForeignKeyInfo, name: str
    ) -> bool:
        """PostgreSQL checks each deleted parent row against the child table; without an index
        on the foreign key's columns that is a scan of the whole child (dead rows included) per
        row. An index made inside the transaction (and dropped before it ends) makes each
        check a lookup."""
        rows = conn.execute(sa.text(_INDEX_COLUMNS), {"t": self.qualified(conn, child)}).all()
        indexes: dict[int, list[str]] = {}
        for index, column in rows:
            indexes.setdefault(int(index), []).append(column)
        wanted = set(fk.columns)
        if any(set(cols[: len(wanted)]) == wanted for cols in indexes.values()):
            return False
        cols = ", ".join(self.quote(conn, c) for c in fk.columns)
        self.run(
            conn, f"CREATE INDEX {self.quote(conn, name)} ON {self.qualified(conn, child)} ({cols})"
        )
        return True

    def drop_delete_index(self, conn: Connection, child: TableInfo, name: str) -> None:
        index = self.quote(conn, name)
        if child.schema:
            index = f"{self.quote(conn, child.schema)}.{index}"
        self.run(conn, f"DROP INDEX {index}")

    def reset_sequences(self, conn: Connection, table: TableInfo) -> None:
        """Serial and identity columns start again at their sequence's START."""
        for col in table.columns:
            if col.autoincrement and col.type.kind == "integer":
                seq = self._sequence(conn, table, col.name)
                if seq:
                    self.run(conn, f"ALTER SEQUENCE {seq} RESTART")

    def scratch_table_sql(
        self, conn: Connection, table: TableInfo, name: str, columns: Sequence[str]
    ) -> str:
        """As the base, with domain columns cast to their base type: a domain's own CHECK
        would otherwise refuse the very rows the database is asked to judge."""
        bases = dict(
            conn.execute(sa.text(_BASE_TYPES), {"t": self.qualified(conn, table)}).fetchall()
        )
        cols = ", ".join(
            f"CAST({self.quote(conn, c)} AS {bases[c]}) AS {self.quote(conn, c)}"
            if bases.get(c)
            else self.quote(conn, c)
            for c in columns
        )
        return (
            f"CREATE TEMPORARY TABLE {self.quote(conn, name)} AS SELECT 0 AS qnl_row, {cols} "
            f"FROM {self.qualified(conn, table)} WHERE 1 = 0"
        )

    def unique_key(self, type_info: TypeInfo):  # type: ignore[override]
        if type_info.sql.lower() == "citext":  # compares as lower(value)
            return lambda v: v.lower() if isinstance(v, str) else v
        return None

    def cycle_strategy(self, fk: ForeignKeyInfo) -> str | None:
        return "deferred" if fk.name else None

    def suspend_statements(
        self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo
    ) -> list[str]:
        """Check ``fk`` at commit: a DEFERRABLE one is deferred; any other is made deferrable
        for this transaction only (ALTER CONSTRAINT is transactional)."""
        name = self.quote(conn, fk.name or "")
        out = []
        if not fk.deferrable:
            out.append(
                f"ALTER TABLE {self.qualified(conn, table)} ALTER CONSTRAINT {name} "
                "DEFERRABLE INITIALLY DEFERRED"
            )
        out.append(f"SET CONSTRAINTS {self._constraint(conn, table, fk)} DEFERRED")
        return out

    def resume_statements(
        self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo
    ) -> list[str]:
        out = [f"SET CONSTRAINTS {self._constraint(conn, table, fk)} IMMEDIATE"]
        if not fk.deferrable:
            out.append(
                f"ALTER TABLE {self.qualified(conn, table)} ALTER CONSTRAINT "
                f"{self.quote(conn, fk.name or '')} NOT DEFERRABLE"
            )
        return out

    def relax_foreign_keys(
        self, conn: Connection, loads: Sequence[tuple[TableInfo, int]]
    ) -> list[DroppedKey]:
        """Drop the foreign keys of each table for the load, as pg_restore does: adding a key
        back checks every row in one join, several times faster than a trigger per row.

        Only where that holds: the run adds at least as many rows as the table already has
        (adding back checks them all; by PostgreSQL's estimate or the rows counted when the
        schema was read, the larger), and its keys are plain ones that come back identical.
        The drops wait at most ``LOCK_WAIT`` for a table; when they cannot be made (the
        table is in use, the role does not own it, anything else) that table keeps its keys
        and its rows are checked one by one as before. DDL is transactional: a run that fails
        or is cancelled gets its keys back with the rollback.

        One catalogue query reads the keys of every table, and the drops of all the tables
        go in one savepoint; only when that fails is each table tried in its own."""
        targets = {self.qualified(conn, table): (table, rows) for table, rows in loads}
        if not targets:
            return []
        found: dict[str, list[tuple[str, str]]] = {}
        existing: dict[str, int] = {}
        for target, name, definition, estimate in conn.execute(
            sa.text(_DROPPABLE_KEYS), {"tables": list(targets)}
        ):
            found.setdefault(target, []).append((name, definition))
            existing[target] = max(int(estimate or 0), 0)  # -1: never analysed
        wanted: list[tuple[str, TableInfo, list[tuple[str, str]]]] = []
        for target, (table, rows) in targets.items():
            if target not in found:
                continue
            # the rows counted when the schema was read, where the estimate is older or missing
            existing[target] = max(existing[target], table.row_count)
            if rows < existing[target]:
                log.info(
                    "%s: foreign keys checked row by row (about %d rows are there already; "
                    "adding the keys back would check them all for %d new ones)",
                    table.name,
                    existing[target],
                    rows,
                )
                continue
            wanted.append((target, table, found[target]))
        if not wanted:
            return []
        if len(wanted) > 1 and self._drop_keys(conn, wanted) is None:
            return [key for one in wanted for key in self._dropped(one)]
        # one table, or all at once failed: each on its own, so a busy table keeps only its keys
        dropped: list[DroppedKey] = []
        for one in wanted:
            why = self._drop_keys(conn, [one])
            if why is not None:
                log.info("%s: foreign keys checked row by row (%s)", one[1].name, why)
                continue
            dropped += self._dropped(one)
        return dropped

    def _drop_keys(
        self, conn: Connection, wanted: Sequence[tuple[str, TableInfo, list[tuple[str, str]]]]
    ) -> str | None:
        """Drop the keys of ``wanted`` in one savepoint; None when done, else why not (and
        nothing was dropped)."""
        try:
            with conn.begin_nested():  # a failure undoes the drops and the lock_timeout
                previous = conn.execute(sa.text("SELECT current_setting('lock_timeout')")).scalar()
                _set_local(conn, "lock_timeout", LOCK_WAIT)
                for _, table, keys in wanted:
                    drops = ", ".join(f"DROP CONSTRAINT {self.quote(conn, n)}" for n, _ in keys)
                    self.run(conn, f"ALTER TABLE {self.qualified(conn, table)} {drops}")
                _set_local(conn, "lock_timeout", str(previous))
        except sa.exc.DBAPIError as exc:
            code = getattr(exc.orig, "sqlstate", None)
            return (
                _KEPT_BECAUSE.get(code or "")
                or failures.driver_message(exc.orig or exc).splitlines()[0]
            )
        return None

    def _dropped(self, one: tuple[str, TableInfo, list[tuple[str, str]]]) -> list[DroppedKey]:
        _, table, keys = one
        log.info(
            "%s: foreign keys dropped for the load (%s); added back before COMMIT, checking "
            "every row at once",
            table.name,
            ", ".join(name for name, _ in keys),
        )
        return [DroppedKey(table=table, name=name, definition=text) for name, text in keys]

    stages_totals: ClassVar[bool] = True

    def stage_table(
        self, conn: Connection, table: TableInfo, name: str, columns: Sequence[str]
    ) -> TableInfo:
        """Setting totals by UPDATE writes every parent row a second time (a new row version
        and index entries); rows that wait in an unindexed temporary table and arrive once,
        totals set, cost half as much."""
        cols = ", ".join(self.quote(conn, c) for c in columns)
        self.run(
            conn,
            f"CREATE TEMPORARY TABLE {self.quote(conn, name)} ON COMMIT DROP AS "
            f"SELECT {cols} FROM {self.qualified(conn, table)} WITH NO DATA",
        )
        return replace(table, name=name, schema=None)

    def has_user_triggers(self, conn: Connection, tables: Sequence[TableInfo]) -> bool:
        names = [self.qualified(conn, t) for t in tables]
        if not names:
            return False
        found = conn.execute(sa.text(_USER_TRIGGERS), {"tables": names}).first()
        return found is not None

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
        """One INSERT ... SELECT from the stage, the totals joined in from the child rows'
        sums (over this run's parent keys only); every value a parameter."""
        mark = self.placeholder(conn)

        def name(column: str) -> str:
            return self.bound(conn, self.quote(conn, column))

        picks: list[str] = []
        params: list[Any] = []
        for column in columns:
            kept = f"s.{name(column)}"
            if column != total.column or bounds is None:
                picks.append(kept)
                continue
            # the sum when it fits the column; no child rows: 0 when asked, else as made
            empty = mark if zero else kept
            picks.append(
                f"CASE WHEN t.qnl_sum BETWEEN {mark} AND {mark} THEN t.qnl_sum "
                f"WHEN t.qnl_key IS NULL THEN {empty} ELSE {kept} END"
            )
            params += [*bounds] + ([0] if zero else [])
        source = f"{self.bound(conn, self.quote(conn, stage.name))} s"
        if bounds is not None:
            fk = name(total.fk)
            source += (
                f" LEFT JOIN (SELECT c.{fk} AS qnl_key, SUM({self._total_line(conn, total)}) "
                f"AS qnl_sum FROM {self.bound(conn, self.qualified(conn, child))} c "
                f"WHERE c.{fk} BETWEEN {mark} AND {mark} GROUP BY c.{fk}) t "
                f"ON t.qnl_key = s.{name(total.key)}"
            )
            params += [keys[0], keys[1]]
        target = self.bound(conn, self.qualified(conn, parent))
        cols = ", ".join(name(c) for c in columns)
        # values for GENERATED ALWAYS identity columns come from the stage, as COPY takes them
        always = any(parent.column(c).identity_always for c in columns)
        overriding = " OVERRIDING SYSTEM VALUE" if always else ""
        sql = (
            f"INSERT INTO {target} ({cols}){overriding} SELECT {', '.join(picks)} "
            f"FROM {source} ORDER BY s.{name(total.key)}"
        )
        cursor = self.driver_connection(conn).cursor()
        try:
            cursor.execute(sql, params)
            moved = cursor.rowcount
        finally:
            cursor.close()
        self.run(conn, f"DROP TABLE {self.quote(conn, stage.name)}")
        return moved

    def literal_insert_head(
        self, conn: Connection | Engine, table: TableInfo, columns: Sequence[str]
    ) -> str:
        """Values for GENERATED ALWAYS identity columns need OVERRIDING SYSTEM VALUE (COPY,
        the executor's path, takes them as they are)."""
        head = super().literal_insert_head(conn, table, columns)
        if any(table.column(c).identity_always for c in columns):
            return head.removesuffix(" VALUES") + " OVERRIDING SYSTEM VALUE VALUES"
        return head

    def script_after_table(self, conn: Connection | Engine, table: TableInfo) -> list[str]:
        """Serial and identity sequences continue after the loaded keys (as ``after_table_load``
        leaves them)."""
        out = []
        target = self.qualified(conn, table)
        for col in table.columns:
            if col.autoincrement and col.type.kind == "integer":
                name = self.quote(conn, col.name)
                select = (
                    f"SELECT setval(pg_get_serial_sequence({self.literal(target)}, "
                    f"{self.literal(col.name)}), COALESCE(MAX({name}), 0) + 1, false) "
                    f"FROM {target}"
                )
                # PERFORM inside DO: psql prints nothing for it
                if "$qnl$" in select:
                    out.append(select + ";")
                else:
                    out.append(
                        f"DO $qnl$ BEGIN PERFORM {select.removeprefix('SELECT ')}; END $qnl$;"
                    )
        return out

    def _constraint(self, conn: Connection | Engine, table: TableInfo, fk: ForeignKeyInfo) -> str:
        name = self.quote(conn, fk.name or "")
        return f"{self.quote(conn, table.schema)}.{name}" if table.schema else name


# the columns and operators of each exclusion constraint, in order (NULL column: an expression)
_EXCLUSIONS = """
SELECT c.relname, con.conname, a.attname, o.oprname
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL unnest(con.conkey, con.conexclop) WITH ORDINALITY AS k(attnum, opoid, ord)
LEFT JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
JOIN pg_operator o ON o.oid = k.opoid
WHERE con.contype = 'x' AND n.nspname = coalesce(:schema, current_schema())
  AND c.relname = ANY(:tables)
ORDER BY c.relname, con.conname, k.ord
"""

# any trigger a user made (foreign keys' own triggers are internal) on one of the tables
_USER_TRIGGERS = """
SELECT 1 FROM pg_trigger
WHERE NOT tgisinternal AND tgrelid IN (SELECT CAST(unnest(CAST(:tables AS text[])) AS regclass))
LIMIT 1
"""

# (index, column) of every index of a table, columns in index order
_INDEX_COLUMNS = """
SELECT i.indexrelid, a.attname
FROM pg_index i
CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
WHERE i.indrelid = CAST(:t AS regclass)
ORDER BY i.indexrelid, k.ord
"""


def _set_local(conn: Connection, name: str, value: str) -> None:
    """A setting for the rest of the transaction (or until the savepoint is rolled back)."""
    conn.execute(sa.text("SELECT set_config(:name, :value, true)"), {"name": name, "value": value})


def _fk_shape(fk: dict[str, Any]) -> tuple[Any, ...]:
    return (
        tuple(fk["constrained_columns"]),
        fk.get("referred_schema"),
        fk["referred_table"],
        tuple(fk["referred_columns"]),
    )


IMPLEMENTATION = PostgreSQLDialect
