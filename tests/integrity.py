"""Independent integrity verification: does the data obey the schema's own constraints?

Constraints are read through SQLAlchemy's Inspector, and from the catalog where the Inspector
misses or misreads them; then the database itself is asked, in SQL, how many rows break each:

- foreign keys (single and composite): orphan rows, by anti-join with MATCH SIMPLE semantics
  (a row with any NULL key column references nothing and is no orphan);
- primary keys, UNIQUE constraints and unique indexes (partial and expression ones too):
  values that occur more than once, NULLs excluded unless the index says NULLS NOT DISTINCT;
- CHECK constraints, and PostgreSQL domain checks: rows where the condition is false;
- NOT NULL: rows holding NULL.

    problems = verify_integrity(engine)
    assert problems == [], "\\n".join(problems)

``sequence_problems(engine)`` checks the other half of "the application keeps working": every
key the database generates itself (SERIAL, IDENTITY, a DEFAULT nextval(), AUTO_INCREMENT,
SQLite AUTOINCREMENT) would come out above the keys already in the table, so the next
ordinary INSERT does not collide.

Each problem is one line that starts with the table, e.g.
``orders: foreign key (customer_id) -> customers (id) [fk_customer]: 3 orphan rows``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

# --------------------------------------------------------------------------- the rules


@dataclass(frozen=True)
class TableRef:
    """A table as it is read: ``only`` excludes PostgreSQL inheritance children."""

    name: str
    schema: str | None = None
    only: bool = False

    @property
    def label(self) -> str:
        return self.name if self.schema is None else f"{self.schema}.{self.name}"


@dataclass(frozen=True)
class ForeignKey:
    name: str | None
    columns: tuple[str, ...]
    parent: TableRef | None  # None when the referenced table does not exist
    parent_label: str
    parent_columns: tuple[str, ...]


@dataclass(frozen=True)
class KeySet:
    """A set of values that must not repeat: a primary key, UNIQUE constraint or index."""

    kind: str  # "primary key" or "unique"
    name: str | None
    columns: tuple[str, ...]  # for messages
    terms: tuple[str, ...]  # SQL, as the index compares them (collation, prefix, expression)
    where: str | None = None  # partial index predicate
    nulls_distinct: bool = True


@dataclass(frozen=True)
class Check:
    name: str | None
    sqltext: str
    domain_column: str | None = None  # PostgreSQL domain check: VALUE is this column
    optional: bool = False  # MariaDB's automatic json_valid(): skipped if it cannot run


@dataclass(frozen=True)
class TableRules:
    table: TableRef
    foreign_keys: tuple[ForeignKey, ...] = ()
    keys: tuple[KeySet, ...] = ()
    checks: tuple[Check, ...] = ()
    not_null: tuple[str, ...] = ()


# --------------------------------------------------------------------------- public API


def quote_identifier(dialect: sa.Dialect, name: str) -> str:
    """``name`` quoted with the dialect's quote characters, for SQL run through ``sa.text()``.

    The preparer's own ``quote_identifier()`` also doubles "%" for drivers with a format
    paramstyle (psycopg, PyMySQL); ``text()`` doubles it again, so a column "discount %"
    would arrive as "discount %%".
    """
    p = dialect.identifier_preparer
    return p.initial_quote + name.replace(p.escape_quote, p.escape_to_quote) + p.final_quote


def verify_integrity(bind: Engine | Connection, schema: str | None = None) -> list[str]:
    """Every constraint violation in one schema (the default one if None); [] when clean.

    Pass a Connection to verify inside an open transaction, before it commits.
    """
    with _connection(bind) as conn:
        return find_problems(conn, reflect_rules(conn, schema))


def reflect_rules(conn: Connection, schema: str | None = None) -> list[TableRules]:
    """The constraints of every base table in the schema (views and partitions excluded)."""
    reader = _reader_for(conn, schema)
    return [reader.rules(table) for table in reader.tables()]


def find_problems(conn: Connection, rules: Sequence[TableRules]) -> list[str]:
    """Ask the database how many rows break each rule; one message per broken rule."""
    probe = _Probe(conn)
    problems: list[str] = []
    for table_rules in rules:
        problems += probe.table_problems(table_rules)
    return problems


def sql_text(sql: str) -> sa.TextClause:
    """``text()`` for SQL without bind parameters: names and check clauses read from the
    database may hold ":word", which text() would otherwise take for a parameter."""
    return sa.text(sql.replace(":", "\\:"))


@contextmanager
def _connection(bind: Engine | Connection) -> Iterator[Connection]:
    if isinstance(bind, Connection):
        yield bind
    else:
        # Read-only counting needs no transaction; without one, a failed query spoils nothing.
        with bind.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            yield conn


def sequence_problems(bind: Engine | Connection, schema: str | None = None) -> list[str]:
    """Every unique generated key whose next value is already taken; [] when all would be new."""
    with _connection(bind) as conn:
        probe = _Probe(conn)
        found = []
        for table, column, upcoming in _SEQUENCE_READERS[conn.dialect.name](conn, schema):
            (top,) = probe.run(f"SELECT MAX({probe.quote(column)}) FROM {probe.render(table)}")
            if top is not None and upcoming <= top:
                found.append(
                    f"{table.label}: the next generated {column} is {upcoming}, but the table "
                    f"already holds keys up to {top}"
                )
        return found


def _pg_sequences(conn: Connection, schema: str | None) -> Iterator[tuple[TableRef, str, int]]:
    rows = conn.execute(
        sa.text(_PG_SEQUENCES), {"schema": schema or conn.dialect.default_schema_name}
    ).all()
    for table, kind, column, sequence, step in rows:
        last, called = conn.execute(sql_text(f"SELECT last_value, is_called FROM {sequence}")).one()
        if step > 0:
            yield TableRef(table, schema, only=kind == "r"), column, last + step if called else last


def _mysql_sequences(conn: Connection, schema: str | None) -> Iterator[tuple[TableRef, str, int]]:
    for table, column, counter in conn.execute(sa.text(_MYSQL_AUTO_INCREMENT), {"schema": schema}):
        yield TableRef(table, schema), column, counter


def _sqlite_sequences(conn: Connection, schema: str | None) -> Iterator[tuple[TableRef, str, int]]:
    """SQLite takes the largest rowid + 1 (with AUTOINCREMENT, at least sqlite_sequence + 1,
    which every explicit insert raises): its keys cannot collide, so there is nothing to read."""
    return iter(())


_SEQUENCE_READERS: dict[
    str, Callable[[Connection, str | None], Iterator[tuple[TableRef, str, int]]]
] = {
    "postgresql": _pg_sequences,
    "mysql": _mysql_sequences,
    "mariadb": _mysql_sequences,
    "sqlite": _sqlite_sequences,
}

# Columns fed by a sequence: owned by the column (SERIAL, IDENTITY) or named by its DEFAULT.
# Unique columns (a one-column primary key or unique index) fed by a sequence: one the column
# owns (SERIAL, IDENTITY) or one its DEFAULT names.
_PG_SEQUENCES = """
SELECT DISTINCT c.relname, c.relkind, a.attname, s.oid::regclass::text, q.seqincrement
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_depend d ON (d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid
                     AND d.refobjsubid = a.attnum AND d.classid = 'pg_class'::regclass
                     AND d.deptype IN ('a', 'i'))
                 OR (d.classid = 'pg_attrdef'::regclass AND d.refclassid = 'pg_class'::regclass
                     AND d.objid = (SELECT ad.oid FROM pg_attrdef ad
                                    WHERE ad.adrelid = c.oid AND ad.adnum = a.attnum))
JOIN pg_class s ON s.relkind = 'S'
 AND s.oid = CASE WHEN d.classid = 'pg_attrdef'::regclass THEN d.refobjid ELSE d.objid END
JOIN pg_sequence q ON q.seqrelid = s.oid
WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition
  AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
              AND i.indnatts = 1 AND i.indkey[0] = a.attnum AND i.indpred IS NULL)
"""

_MYSQL_AUTO_INCREMENT = """
SELECT c.TABLE_NAME, c.COLUMN_NAME, t.AUTO_INCREMENT
FROM information_schema.COLUMNS c
JOIN information_schema.TABLES t
  ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
WHERE c.TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND c.EXTRA LIKE '%auto_increment%'
"""


# --------------------------------------------------------------------------- asking the database


class _Probe:
    """Runs the counting queries; a query that fails becomes a problem line, not a crash."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.quote = partial(quote_identifier, conn.dialect)
        self.is_null = _NULL_TESTS.get(conn.dialect.name, "{} IS NULL")
        # After an error PostgreSQL refuses every statement until the transaction ends.
        autocommit = conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT"
        self.savepoints = conn.dialect.name == "postgresql" and not autocommit

    def render(self, table: TableRef) -> str:
        name = self.quote(table.name)
        if table.schema is not None:
            name = f"{self.quote(table.schema)}.{name}"
        return f"ONLY {name}" if table.only else name

    def run(self, sql: str) -> sa.Row[Any]:
        statement = sql_text(sql)
        if not self.savepoints:
            return self.conn.execute(statement).one()
        with self.conn.begin_nested():
            return self.conn.execute(statement).one()

    def table_problems(self, rules: TableRules) -> list[str]:
        found: list[str] = []
        for fk in rules.foreign_keys:
            found += self._guarded(rules.table, _fk_text(fk), partial(self.orphans, rules, fk))
        for key in rules.keys:
            found += self._guarded(
                rules.table, _key_text(key), partial(self.duplicates, rules, key)
            )
        for check in rules.checks:
            found += self.check_problems(rules, check)
        if rules.not_null:
            found += self._guarded(rules.table, "NOT NULL", partial(self.nulls, rules))
        return found

    def _guarded(self, table: TableRef, what: str, probe: Callable[[], list[str]]) -> list[str]:
        try:
            return probe()
        except sa.exc.DBAPIError as exc:
            return [f"{table.label}: {what} could not be checked: {_first_line(exc)}"]

    def orphans(self, rules: TableRules, fk: ForeignKey) -> list[str]:
        label = f"{rules.table.label}: {_fk_text(fk)}"
        if fk.parent is None:
            return [f"{label}: the referenced table does not exist"]
        q = self.quote
        present = " AND ".join(f"c.{q(col)} IS NOT NULL" for col in fk.columns)
        match = " AND ".join(
            f"p.{q(pcol)} = c.{q(col)}" for col, pcol in zip(fk.columns, fk.parent_columns)
        )
        (count,) = self.run(
            f"SELECT COUNT(*) FROM {self.render(rules.table)} AS c WHERE {present}"
            f" AND NOT EXISTS (SELECT 1 FROM {self.render(fk.parent)} AS p WHERE {match})"
        )
        return [f"{label}: {_rows(count, 'orphan')}"] if count else []

    def duplicates(self, rules: TableRules, key: KeySet) -> list[str]:
        conditions = [f"{term} IS NOT NULL" for term in key.terms] if key.nulls_distinct else []
        if key.where:
            conditions.append(f"({key.where})")
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        groups, rows = tuple(
            self.run(
                "SELECT COUNT(*), COALESCE(SUM(n), 0) FROM (SELECT COUNT(*) AS n"
                f" FROM {self.render(rules.table)}{where} GROUP BY {', '.join(key.terms)}"
                " HAVING COUNT(*) > 1) AS d"
            )
        )
        if not groups:
            return []
        values = _plural(groups, "duplicated value")
        return [f"{rules.table.label}: {_key_text(key)}: {values} in {_rows(int(rows))}"]

    def check_problems(self, rules: TableRules, check: Check) -> list[str]:
        label = f"{rules.table.label}: check{_named(check.name)} ({check.sqltext})"
        source = self.render(rules.table)
        if check.domain_column is not None:
            # Domain checks name their value VALUE; give it that name in a derived table.
            source = f"(SELECT {self.quote(check.domain_column)} AS value FROM {source}) AS d"
        try:
            (count,) = self.run(f"SELECT COUNT(*) FROM {source} WHERE NOT ({check.sqltext})")
        except sa.exc.DBAPIError as exc:
            if check.optional:
                return []
            return [f"{label} could not be evaluated: {_first_line(exc)}"]
        return [f"{label}: {_rows(count, 'violating')}"] if count else []

    def nulls(self, rules: TableRules) -> list[str]:
        sums = ", ".join(
            f"SUM(CASE WHEN {self.is_null.format(self.quote(col))} THEN 1 ELSE 0 END)"
            for col in rules.not_null
        )
        counts = self.run(f"SELECT {sums} FROM {self.render(rules.table)}")
        return [
            f"{rules.table.label}: NOT NULL column {col}: {_rows(int(count))} with NULL"
            for col, count in zip(rules.not_null, counts)
            if count
        ]


# Planners fold "col IS NULL" to false for a column declared NOT NULL (SQLite does; newer
# PostgreSQL does too), which would hide the very rows this looks for.
_NULL_TESTS = {"sqlite": "typeof({}) = 'null'", "postgresql": "num_nulls({}) = 1"}


def _fk_text(fk: ForeignKey) -> str:
    return (
        f"foreign key {_cols(fk.columns)} -> {fk.parent_label} {_cols(fk.parent_columns)}"
        f"{_named(fk.name)}"
    )


def _key_text(key: KeySet) -> str:
    where = f" WHERE {key.where}" if key.where else ""
    return f"{key.kind} {_cols(key.columns)}{where}{_named(key.name)}"


def _cols(columns: Sequence[str]) -> str:
    return f"({', '.join(columns)})"


def _named(name: str | None) -> str:
    return f" [{name}]" if name else ""


def _rows(count: int, adjective: str = "") -> str:
    return _plural(count, f"{adjective} row".strip())


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


# --------------------------------------------------------------------------- reading the rules


class _Reader:
    """Reads constraints through the Inspector; dialect subclasses fill what it misses."""

    def __init__(self, conn: Connection, schema: str | None) -> None:
        self.conn = conn
        self.schema = schema
        self.insp = sa.inspect(conn)
        self.quote = partial(quote_identifier, conn.dialect)
        # Only names and nullability matter here: types SQLAlchemy cannot map (xml, point,
        # INET4) are noise, and so are expression indexes it skips (SQLite reads them itself).
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "Did not recognize type", sa.exc.SAWarning)
            warnings.filterwarnings("ignore", "Skipped unsupported reflection", sa.exc.SAWarning)
            # MySQL foreign keys it cannot parse: read from information_schema instead.
            warnings.filterwarnings("ignore", "Unknown schema content", sa.exc.SAWarning)
            self.columns = self.insp.get_multi_columns(schema=schema)
            self.pks = self.insp.get_multi_pk_constraint(schema=schema)
            self.fks = self.insp.get_multi_foreign_keys(schema=schema)
            self.uniques = self.insp.get_multi_unique_constraints(schema=schema)
            self.indexes = self.insp.get_multi_indexes(schema=schema)
        self.check_map: dict[tuple[str | None, str], list[Any]] | None = None

    def tables(self) -> list[TableRef]:
        return [TableRef(name, self.schema) for name in self.insp.get_table_names(self.schema)]

    def rules(self, table: TableRef) -> TableRules:
        return TableRules(
            table,
            tuple(self.foreign_keys(table)),
            tuple(_dedupe(self.keys(table))),
            tuple(self.checks(table)),
            tuple(self.not_null(table)),
        )

    def key(self, table: TableRef) -> tuple[str | None, str]:
        return (self.schema, table.name)

    def parent(self, name: str, schema: str | None) -> TableRef | None:
        return TableRef(name, schema) if self.insp.has_table(name, schema=schema) else None

    def foreign_keys(self, table: TableRef) -> Iterator[ForeignKey]:
        for fk in self.fks.get(self.key(table), []):
            # On PostgreSQL None means "found through search_path"; elsewhere it is filled in.
            schema = fk.get("referred_schema")
            parent = self.parent(fk["referred_table"], schema)
            columns = tuple(
                fk["referred_columns"] or self.primary_key(fk["referred_table"], schema)
            )
            label = fk["referred_table"] if schema is None else f"{schema}.{fk['referred_table']}"
            yield ForeignKey(
                fk.get("name"), tuple(fk["constrained_columns"]), parent, label, columns
            )

    def primary_key(self, table: str, schema: str | None) -> list[str]:
        found = self.insp.get_pk_constraint(table, schema=schema)
        return list(found.get("constrained_columns") or [])

    def primary_key_columns(self, table: TableRef) -> list[str]:
        found = self.pks.get(self.key(table))
        return list(found.get("constrained_columns") or []) if found else []

    def keys(self, table: TableRef) -> Iterator[KeySet]:
        key = self.key(table)
        pk = self.pks.get(key)
        if pk and pk.get("constrained_columns"):
            columns = tuple(pk["constrained_columns"])
            yield KeySet("primary key", pk.get("name"), columns, tuple(map(self.quote, columns)))
        for unique in self.uniques.get(key, []):
            columns = tuple(unique["column_names"])
            yield KeySet(
                "unique",
                unique.get("name"),
                columns,
                tuple(map(self.quote, columns)),
                nulls_distinct=_nulls_distinct(dict(unique)),
            )
        for index in self.indexes.get(key, []):
            if index.get("unique"):
                yield from self.index_key(dict(index))

    def index_key(self, index: dict[str, Any]) -> Iterator[KeySet]:
        names = index["column_names"]
        expressions = index.get("expressions") or [None] * len(names)
        if any(name is None and expr is None for name, expr in zip(names, expressions)):
            return  # an element the Inspector could not describe
        columns = tuple(name or expr for name, expr in zip(names, expressions))
        terms = tuple(
            self.index_term(name, index) if name is not None else f"({expr})"
            for name, expr in zip(names, expressions)
        )
        options = index.get("dialect_options") or {}
        where = options.get("postgresql_where")
        yield KeySet(
            "unique",
            index.get("name"),
            columns,
            terms,
            None if where is None else str(where),
            _nulls_distinct(index),
        )

    def index_term(self, column: str, index: dict[str, Any]) -> str:
        return self.quote(column)

    def checks(self, table: TableRef) -> list[Check]:
        if self.check_map is None:
            self.check_map = self.insp.get_multi_check_constraints(schema=self.schema)
        found = self.check_map.get(self.key(table), [])
        return [Check(check.get("name"), check["sqltext"]) for check in found]

    def not_null(self, table: TableRef) -> Iterator[str]:
        for column in self.columns.get(self.key(table), []):
            if not column.get("nullable", True):
                yield column["name"]


def _nulls_distinct(constraint: dict[str, Any]) -> bool:
    options = constraint.get("dialect_options") or {}
    return not options.get("postgresql_nulls_not_distinct", False)


def _dedupe(keys: Iterator[KeySet]) -> Iterator[KeySet]:
    # A UNIQUE constraint is also reported as the index that enforces it.
    seen: set[tuple[Any, ...]] = set()
    for key in keys:
        identity = (key.terms, key.where, key.nulls_distinct)
        if identity not in seen:
            seen.add(identity)
            yield key


class _PostgreSQLReader(_Reader):
    """Partitions are checked through their parent; plain tables are read with ONLY, because
    a parent's keys and foreign keys do not cover the rows of inheritance children (which are
    checked as tables of their own)."""

    def __init__(self, conn: Connection, schema: str | None) -> None:
        super().__init__(conn, schema)
        self.schema_name = schema or self.insp.default_schema_name
        self.exact_foreign_key_names()

    def exact_foreign_key_names(self) -> None:
        """The Inspector splits pg_get_constraintdef's column list on commas, so a column
        named "a, b" reads as two; take the names from the catalog instead. The copies of a
        key that references a partitioned table, one per partition, are left out: a row
        need only match one partition, which the key itself checks."""
        rows = self.conn.execute(sa.text(_PG_FK_COLUMNS), {"schema": self.schema_name}).all()
        exact = {(table, name): (cols, ref_cols) for table, name, cols, ref_cols, _ in rows}
        copies = {(table, name) for table, name, _, _, copy in rows if copy}
        for key, fks in self.fks.items():
            self.fks[key] = fks = [fk for fk in fks if (key[1], fk.get("name")) not in copies]
            table = key[1]
            for fk in fks:
                found = exact.get((table, fk.get("name")))
                if found is not None:
                    fk["constrained_columns"], fk["referred_columns"] = map(list, found)

    def tables(self) -> list[TableRef]:
        rows = self.conn.execute(
            sa.text(
                "SELECT c.relname, c.relkind FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = :schema AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
                " ORDER BY c.relname"
            ),
            {"schema": self.schema_name},
        )
        return [TableRef(name, self.schema, only=kind == "r") for name, kind in rows]

    def parent(self, name: str, schema: str | None) -> TableRef | None:
        kind = self.conn.execute(
            sa.text(
                "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE n.nspname = :schema AND c.relname = :name"
            ),
            {"schema": schema or self.schema_name, "name": name},
        ).scalar()
        return None if kind is None else TableRef(name, schema, only=kind == "r")

    def checks(self, table: TableRef) -> list[Check]:
        return super().checks(table) + self.domain_checks(table)

    def domain_checks(self, table: TableRef) -> list[Check]:
        rows = self.conn.execute(
            sa.text(_PG_DOMAIN_CHECKS), {"schema": self.schema_name, "table": table.name}
        )
        return [
            Check(f"{domain}.{name}", _pg_check_body(definition), domain_column=column)
            for column, domain, name, definition in rows
        ]


_PG_FK_COLUMNS = """
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
WHERE con.contype = 'f' AND n.nspname = :schema
"""

# Constraints of each column's domain, and of the domains that domain is built on.
_PG_DOMAIN_CHECKS = """
WITH RECURSIVE chain(attname, typid) AS (
    SELECT a.attname, a.atttypid
    FROM pg_attribute a
    JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = :schema AND c.relname = :table AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
    SELECT chain.attname, t.typbasetype
    FROM chain JOIN pg_type t ON t.oid = chain.typid
    WHERE t.typtype = 'd'
)
SELECT chain.attname, format_type(con.contypid, NULL), con.conname, pg_get_constraintdef(con.oid)
FROM chain JOIN pg_constraint con ON con.contypid = chain.typid AND con.contype = 'c'
ORDER BY 1, 3
"""

_PG_CHECK = re.compile(r"^CHECK \((.*)\)(?: NOT VALID)?$", re.S)


def _pg_check_body(definition: str) -> str:
    match = _PG_CHECK.match(definition)
    body = match.group(1) if match else definition
    # pg_get_constraintdef wraps the condition once more: CHECK ((VALUE > 0)).
    while body.startswith("(") and _closing_paren(body) == len(body) - 1:
        body = body[1:-1]
    return body


def _closing_paren(text: str) -> int:
    """Index of the ")" matching the "(" at 0, skipping quoted strings; -1 if none."""
    depth, quoted = 0, False
    for i, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif not quoted and char in "()":
            depth += 1 if char == "(" else -1
            if depth == 0:
                return i
    return -1


class _MySQLReader(_Reader):
    """The Inspector parses SHOW CREATE TABLE, which costs it three things: MariaDB's
    column-level checks (written inside the column definition) are missing, names holding a
    backtick keep it doubled, and a foreign key on such a name is dropped with only a
    warning. Checks and foreign keys therefore come from information_schema."""

    def __init__(self, conn: Connection, schema: str | None) -> None:
        super().__init__(conn, schema)
        for found in (self.columns, self.pks, self.uniques, self.indexes):
            _unescape_backticks(found)
        self.all_checks: dict[str, list[Check]] | None = None
        self.all_fks: dict[str, list[ForeignKey]] | None = None

    def foreign_keys(self, table: TableRef) -> Iterator[ForeignKey]:
        if self.all_fks is None:
            self.all_fks = self.read_foreign_keys()
        return iter(self.all_fks.get(table.name, []))

    def read_foreign_keys(self) -> dict[str, list[ForeignKey]]:
        groups: dict[tuple[str, str], list[Any]] = {}
        here = self.schema or self.conn.execute(sa.text("SELECT DATABASE()")).scalar()
        for row in self.conn.execute(sa.text(_MYSQL_FKS), {"schema": self.schema}):
            groups.setdefault((row.TABLE_NAME, row.CONSTRAINT_NAME), []).append(row)
        found: dict[str, list[ForeignKey]] = {}
        for (table, name), rows in groups.items():
            first = rows[0]
            schema = (
                self.schema
                if here == first.REFERENCED_TABLE_SCHEMA
                else first.REFERENCED_TABLE_SCHEMA
            )
            parent_label = first.REFERENCED_TABLE_NAME
            if schema is not None:
                parent_label = f"{schema}.{parent_label}"
            found.setdefault(table, []).append(
                ForeignKey(
                    name,
                    tuple(row.COLUMN_NAME for row in rows),
                    self.parent(first.REFERENCED_TABLE_NAME, schema),
                    parent_label,
                    tuple(row.REFERENCED_COLUMN_NAME for row in rows),
                )
            )
        return found

    def index_term(self, column: str, index: dict[str, Any]) -> str:
        # A prefix index (name(10)) makes only the first characters unique.
        length = (index.get("dialect_options") or {}).get("mysql_length")
        if isinstance(length, dict):
            length = length.get(column)
        quoted = self.quote(column)
        return f"LEFT({quoted}, {int(length)})" if length else quoted

    def checks(self, table: TableRef) -> list[Check]:
        if self.all_checks is None:
            self.all_checks = self.read_checks()
        return self.all_checks.get(table.name, [])

    def read_checks(self) -> dict[str, list[Check]]:
        sql = _MARIADB_CHECKS if getattr(self.conn.dialect, "is_mariadb", False) else _MYSQL_CHECKS
        found: dict[str, list[Check]] = {}
        for table, name, clause, level in self.conn.execute(sa.text(sql), {"schema": self.schema}):
            automatic = level == "Column" and clause.lower().startswith("json_valid(")
            found.setdefault(table, []).append(Check(name, clause, optional=automatic))
        return found


_MYSQL_FKS = """
SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME,
       REFERENCED_TABLE_SCHEMA, REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
FROM information_schema.KEY_COLUMN_USAGE
WHERE TABLE_SCHEMA = COALESCE(:schema, DATABASE()) AND REFERENCED_TABLE_NAME IS NOT NULL
ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION
"""


def _unescape_backticks(reflected: dict[Any, Any]) -> None:
    """Undo the doubled backticks SQLAlchemy leaves in names parsed from SHOW CREATE TABLE."""
    for entries in reflected.values():
        for entry in entries if isinstance(entries, list) else [entries]:
            for field in ("name", "column_names", "constrained_columns"):
                value = entry.get(field)
                if isinstance(value, str):
                    entry[field] = value.replace("``", "`")
                elif isinstance(value, list):
                    entry[field] = [v.replace("``", "`") if v else v for v in value]
            options = entry.get("dialect_options") or {}
            if isinstance(options.get("mysql_length"), dict):
                lengths = options["mysql_length"]
                options["mysql_length"] = {k.replace("``", "`"): v for k, v in lengths.items()}


_MARIADB_CHECKS = """
SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE, LEVEL
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE())
ORDER BY TABLE_NAME, CONSTRAINT_NAME
"""

# MySQL 8 keeps the table of a check in TABLE_CONSTRAINTS only.
_MYSQL_CHECKS = """
SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE, 'Table'
FROM information_schema.CHECK_CONSTRAINTS cc
JOIN information_schema.TABLE_CONSTRAINTS tc
  ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
 AND tc.CONSTRAINT_TYPE = 'CHECK'
WHERE cc.CONSTRAINT_SCHEMA = COALESCE(:schema, DATABASE())
ORDER BY tc.TABLE_NAME, cc.CONSTRAINT_NAME
"""


class _SQLiteReader(_Reader):
    """SQLite keeps constraints only as the CREATE statement's text. The Inspector finds
    CHECK clauses with a regular expression that also matches inside comments and string
    literals, and it drops expression indexes and index collations, so both are read here:
    checks with a tokenizer, unique keys from PRAGMA index_list/index_xinfo."""

    def master(self) -> str:
        return (
            "sqlite_master" if self.schema is None else f"{self.quote(self.schema)}.sqlite_master"
        )

    def create_sql(self, kind: str, name: str) -> str | None:
        return self.conn.execute(
            sa.text(f"SELECT sql FROM {self.master()} WHERE type = :kind AND name = :name"),
            {"kind": kind, "name": name},
        ).scalar()

    def checks(self, table: TableRef) -> list[Check]:
        sql = self.create_sql("table", table.name) or ""
        return [Check(name, text) for name, text in sqlite_checks(sql)]

    def pragma(self, function: str, argument: str) -> list[sa.Row[Any]]:
        args = ":arg" if self.schema is None else ":arg, :schema"
        return list(
            self.conn.execute(
                sa.text(f"SELECT * FROM {function}({args})"),
                {"arg": argument, "schema": self.schema},
            )
        )

    def keys(self, table: TableRef) -> Iterator[KeySet]:
        indexes = [row._mapping for row in self.pragma("pragma_index_list", table.name)]
        pk = self.primary_key_columns(table)
        if pk and not any(index["origin"] == "pk" for index in indexes):
            # An INTEGER PRIMARY KEY is the rowid itself and has no index; list it anyway.
            yield KeySet("primary key", None, tuple(pk), tuple(map(self.quote, pk)))
        for index in indexes:
            if index["unique"]:
                yield self.index_key_set(index["name"], index["origin"])

    def index_key_set(self, name: str, origin: str) -> KeySet:
        kind = "primary key" if origin == "pk" else "unique"
        shown = None if name.startswith("sqlite_autoindex_") else name
        sql = self.create_sql("index", name)
        if sql:
            terms, where = sqlite_index_parts(sql)
            return KeySet(kind, shown, tuple(terms), tuple(terms), where)
        columns = [
            (row._mapping["name"], row._mapping["coll"])
            for row in self.pragma("pragma_index_xinfo", name)
            if row._mapping["key"]
        ]
        return KeySet(
            kind,
            shown,
            tuple(column for column, _ in columns),
            tuple(f"{self.quote(column)} COLLATE {self.quote(coll)}" for column, coll in columns),
        )

    def not_null(self, table: TableRef) -> Iterator[str]:
        # SQLite accepts NULL in a non-INTEGER primary key (a documented legacy quirk);
        # no database that tests trust should contain one, so it counts as NOT NULL here.
        seen = set()
        for column in [*super().not_null(table), *self.primary_key_columns(table)]:
            if column not in seen:
                seen.add(column)
                yield column


_READERS: dict[str, type[_Reader]] = {
    "sqlite": _SQLiteReader,
    "postgresql": _PostgreSQLReader,
    "mysql": _MySQLReader,
    "mariadb": _MySQLReader,
}


def _reader_for(conn: Connection, schema: str | None) -> _Reader:
    return _READERS.get(conn.dialect.name, _Reader)(conn, schema)


# --------------------------------------------------------------------------- SQLite SQL text

_TOKEN = re.compile(
    r"""
      (?P<space>\s+)
    | (?P<comment>--[^\n]*|/\*.*?(?:\*/|\Z))
    | (?P<string>'(?:[^']|'')*'?)
    | (?P<ident>"(?:[^"]|"")*"?|`(?:[^`]|``)*`?|\[[^\]]*\]?)
    | (?P<word>[^\W\d]\w*|\d\w*)
    | (?P<other>.)
    """,
    re.S | re.X,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str

    @property
    def significant(self) -> bool:
        return self.kind not in ("space", "comment")

    def is_word(self, *words: str) -> bool:
        return self.kind == "word" and self.text.upper() in words


def _tokens(sql: str) -> list[_Token]:
    return [_Token(m.lastgroup or "other", m.group()) for m in _TOKEN.finditer(sql)]


def _text(tokens: Sequence[_Token]) -> str:
    # Comments become spaces: a "--" comment must not swallow SQL appended after it.
    return "".join(" " if t.kind == "comment" else t.text for t in tokens).strip()


def _unquote(token: _Token) -> str:
    if token.kind != "ident":
        return token.text
    body, close = token.text[1:-1], token.text[-1]
    return body if close == "]" else body.replace(close * 2, close)


def _group_end(tokens: Sequence[_Token], start: int) -> int:
    """Index of the ")" that closes the "(" at ``start``."""
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i].text == "(":
            depth += 1
        elif tokens[i].text == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(tokens)


def sqlite_checks(create_sql: str) -> list[tuple[str | None, str]]:
    """``[(name or None, condition)]`` for every CHECK in a CREATE TABLE statement."""
    tokens = _tokens(create_sql)
    code = [i for i, t in enumerate(tokens) if t.significant]
    found = []
    for n, i in enumerate(code[:-1]):
        start = code[n + 1]
        if not tokens[i].is_word("CHECK") or tokens[start].text != "(":
            continue
        body = _text(tokens[start + 1 : _group_end(tokens, start)])
        named = n >= 2 and tokens[code[n - 2]].is_word("CONSTRAINT")
        found.append((_unquote(tokens[code[n - 1]]) if named else None, body))
    return found


def sqlite_index_parts(create_sql: str) -> tuple[list[str], str | None]:
    """The key terms (with any COLLATE, without ASC/DESC) and WHERE of a CREATE INDEX."""
    tokens = _tokens(create_sql)
    start = next(i for i, t in enumerate(tokens) if t.text == "(")
    end = _group_end(tokens, start)
    terms: list[str] = []
    depth, first = 0, start + 1
    for i in range(start + 1, end):
        depth += (tokens[i].text == "(") - (tokens[i].text == ")")
        if tokens[i].text == "," and depth == 0:
            terms.append(_index_term(tokens[first:i]))
            first = i + 1
    terms.append(_index_term(tokens[first:end]))
    rest = [i for i in range(end + 1, len(tokens)) if tokens[i].significant]
    where = _text(tokens[rest[0] + 1 :]) if rest and tokens[rest[0]].is_word("WHERE") else None
    return terms, where


def _index_term(tokens: Sequence[_Token]) -> str:
    code = [i for i, t in enumerate(tokens) if t.significant]
    if code and tokens[code[-1]].is_word("ASC", "DESC"):
        tokens = tokens[: code[-1]]
    return _text(tokens)
