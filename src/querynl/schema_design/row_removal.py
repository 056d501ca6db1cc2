"""Taking rows back out: ``undo`` of a recorded run and ``clear`` of whole tables.

Both first work out what would go (``plan_undo``, ``plan_clear``): the rows per table, the
order (children before parents), the foreign keys of cycles that must be checked at the end
rather than row by row, and the rows of *other* data that reference what would go. Then
``execute_removal`` deletes it all in one transaction, after checking that nothing changed
since the plan was shown.

Rows are named by key, always through bound parameters: consecutive integer keys as ``key
BETWEEN ? AND ?``, other keys in batches of ``IN (...)`` (or ``(a = ? AND b = ?) OR ...`` for
composite keys).
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..connection import open_connection, rollback_or_close
from ..dialects import Dialect, dialect_for
from ..dialects.failures import driver_message
from ..errors import Cancelled, LedgerError, QueryNLError
from ..interrupts import interrupts_deferred
from ..ledger import Run, row_key
from ..models import ForeignKeyInfo, SchemaMetadata, TableInfo
from ..redact import redact
from .data_synthesizer import comparable

log = logging.getLogger("querynl.remove")

MAX_PARAMS = 900  # bound values per statement (SQLite's oldest limit is 999)


@dataclass
class RowSet:
    """Rows of one table named by the values of ``columns``: ranges of one integer column,
    and explicit tuples. ``columns`` are a key of the table, or (for a table without one) the
    foreign-key columns that point at rows being deleted."""

    columns: list[str]
    ranges: list[list[int]] = field(default_factory=list)
    keys: list[tuple[Any, ...]] = field(default_factory=list)
    _index: set[tuple[Any, ...]] | None = None

    def __bool__(self) -> bool:
        return bool(self.ranges or self.keys)

    def outside(self, keys: Sequence[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """The keys of ``keys`` that are not in this set (ranges by bisection)."""
        ranges = sorted(self.ranges)
        starts = [r[0] for r in ranges]
        if self._index is None:
            self._index = {tuple(comparable(v) for v in k) for k in self.keys}
        out = []
        for key in keys:
            if ranges and len(key) == 1 and type(key[0]) is int:
                i = bisect.bisect_right(starts, key[0]) - 1
                if i >= 0 and key[0] <= ranges[i][1]:
                    continue
            if not self._index or tuple(comparable(v) for v in key) not in self._index:
                out.append(key)
        return out

    def add(self, keys: Sequence[tuple[Any, ...]]) -> None:
        self.keys.extend(keys)
        if self._index is not None:
            self._index.update(tuple(comparable(v) for v in k) for k in keys)


@dataclass(frozen=True)
class Reference:
    """Rows of ``child`` outside the removal that point (``fk``) at rows being removed."""

    child: str
    fk: str
    parent: str
    rows: int


@dataclass
class Removal:
    """What an undo or a clear deletes, in the order it deletes it."""

    order: list[str]  # children before parents
    counts: dict[str, int]  # rows that go, per table
    sets: dict[str, list[RowSet]] | None  # None: every row of each table (clear)
    references: list[Reference] = field(default_factory=list)
    cascaded: dict[str, int] = field(default_factory=dict)  # rows beyond the run's own
    suspended: list[tuple[str, ForeignKeyInfo]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


# ---------------------------------------------------------------------------------------------
# planning
# ---------------------------------------------------------------------------------------------


def plan_undo(conn: Connection, meta: SchemaMetadata, run: Run, *, cascade: bool) -> Removal:
    """What undoing ``run`` deletes; the rows of other data that reference it go only with
    ``cascade`` (they are listed in ``references`` either way)."""
    dialect = dialect_for(conn.dialect.name)
    own: dict[str, RowSet] = {}
    for tk in run.tables:
        info = _run_table(meta, tk.table, run)
        if not tk.columns:
            raise LedgerError(
                f"Run {run.id} cannot be undone: {tk.table} has no primary key or unique key "
                "without NULLs, so its rows cannot be told apart from others.",
                table=tk.table,
                hint=f"Delete its rows yourself, or empty it: querynl data clear {tk.table}",
            )
        missing = [c for c in tk.columns if not info.has_column(c)]
        if missing:
            raise LedgerError(
                f"Run {run.id} cannot be undone: {tk.table} no longer has the key column "
                f"{missing[0]!r} it was recorded by.",
                table=tk.table,
            )
        own[tk.table] = RowSet(list(tk.columns), [list(r) for r in tk.ranges], list(tk.keys))
    base = {name: _count(conn, dialect, meta.table(name), rs) for name, rs in own.items()}
    extra: dict[str, list[RowSet]] = {}
    references = _references(conn, dialect, meta, own, extra, cascade)
    sets = {name: [rs] for name, rs in own.items()}
    for name, more in extra.items():
        sets.setdefault(name, []).extend(more)
    counts = dict(base)  # without cascade nothing joins the run's own rows
    if cascade:
        counts = {
            name: sum(_count(conn, dialect, meta.table(name), rs) for rs in parts)
            for name, parts in sets.items()
        }
    cascaded = {n: counts[n] - base.get(n, 0) for n in counts if counts[n] > base.get(n, 0)}
    order, suspended = deletion_order(meta, list(sets), [t.table for t in run.tables])
    return Removal(order, counts, sets, references, cascaded, suspended)


def _run_table(meta: SchemaMetadata, name: str, run: Run) -> TableInfo:
    if name not in meta.tables:
        raise LedgerError(
            f"Run {run.id} cannot be undone: its table {name} no longer exists.",
            table=name,
        )
    return meta.table(name)


def _references(
    conn: Connection,
    dialect: Dialect,
    meta: SchemaMetadata,
    own: dict[str, RowSet],
    extra: dict[str, list[RowSet]],
    cascade: bool,
) -> list[Reference]:
    """Rows outside the removal that point at rows in it. With ``cascade`` they join it (in
    ``own`` for tables with a key, ``extra`` for tables without), and so do their referrers;
    without, they are only counted."""
    pending: list[tuple[str, RowSet]] = [(name, rs) for name, rs in own.items()]
    found: dict[tuple[str, str, str], int] = {}
    while pending:
        parent, rows = pending.pop(0)
        for child, fk in meta.children_of(parent):
            if child.external:
                continue
            match = _referencing(conn, dialect, meta.table(parent), rows, fk)
            if not match:
                continue
            where = (child.key, fk.label, parent)
            key = row_key(child)
            if key is None:
                n = _count(conn, dialect, child, match)
                if n:
                    found[where] = found.get(where, 0) + n
                    if cascade:
                        extra.setdefault(child.key, []).append(match)
                continue
            held = own.get(child.key)
            found_keys = _select(conn, dialect, child, key, match)
            others: dict[tuple[Any, ...], tuple[Any, ...]] = {}
            for k in found_keys if held is None else held.outside(found_keys):
                others.setdefault(tuple(comparable(v) for v in k), k)
            if not others:
                continue
            found[where] = found.get(where, 0) + len(others)
            if cascade:
                new = list(others.values())
                own.setdefault(child.key, RowSet(list(key))).add(new)
                pending.append((child.key, RowSet(list(key), [], new)))
    return [Reference(c, f, p, n) for (c, f, p), n in found.items()]


def _referencing(
    conn: Connection, dialect: Dialect, parent: TableInfo, rows: RowSet, fk: ForeignKeyInfo
) -> RowSet:
    """The values of ``fk``'s columns (in the child) that point at ``rows`` of ``parent``."""
    if set(fk.ref_columns) == set(rows.columns):
        cols = [fk.columns[fk.ref_columns.index(c)] for c in rows.columns]
        return RowSet(cols, rows.ranges, rows.keys)
    values = {
        tuple(comparable(v) for v in r): r
        for r in _select(conn, dialect, parent, list(fk.ref_columns), rows)
        if all(v is not None for v in r)
    }
    return RowSet(list(fk.columns), [], list(values.values()))


def deletion_order(
    meta: SchemaMetadata, tables: Sequence[str], rank_by: Sequence[str] = ()
) -> tuple[list[str], list[tuple[str, ForeignKeyInfo]]]:
    """``tables`` children first, and the foreign keys to check only at the end: those that
    close a cycle among them, and self-references (a tree's rows point at each other)."""
    rank = {name: i for i, name in enumerate(rank_by)}
    remaining = list(tables)
    edges = {
        name: [(fk, fk.ref_table) for fk in meta.table(name).foreign_keys if fk.ref_table in tables]
        for name in tables
    }
    suspended = [(name, fk) for name in tables for fk, ref in edges[name] if ref == name]
    order: list[str] = []

    def blocked(name: str) -> bool:  # a child of ``name`` still waits to be emptied
        return any(ref == name and c != name for c in remaining for _fk, ref in edges[c])

    while remaining:
        ready = [t for t in remaining if not blocked(t)]
        if not ready:  # a cycle: take one table, check the keys that point at it at the end
            pick = max(remaining, key=lambda t: rank.get(t, -1))
            suspended += [
                (c, fk) for c in remaining if c != pick for fk, ref in edges[c] if ref == pick
            ]
            ready = [pick]
        ready.sort(key=lambda t: -rank.get(t, -1))
        order.extend(ready)
        remaining = [t for t in remaining if t not in ready]
    return order, suspended


def plan_clear(conn: Connection, meta: SchemaMetadata, tables: Sequence[str]) -> Removal:
    """What emptying ``tables`` deletes; refused when rows of other tables point at them."""
    dialect = dialect_for(conn.dialect.name)
    counts = {t: dialect.row_count(conn, meta.table(t)) for t in tables}
    references = []
    for name in tables:
        if not counts[name]:
            continue
        for child, fk in meta.children_of(name):
            if child.key in tables or child.external:
                continue
            n = _pointing(conn, dialect, child, fk)
            if n:
                references.append(Reference(child.key, fk.label, name, n))
    order, suspended = deletion_order(meta, list(tables), list(meta.table_names))
    return Removal(order, counts, None, references, {}, suspended)


def _pointing(conn: Connection, dialect: Dialect, child: TableInfo, fk: ForeignKeyInfo) -> int:
    """Rows of ``child`` whose ``fk`` points somewhere (no column NULL)."""
    where = " AND ".join(f"{dialect.quote(conn, c)} IS NOT NULL" for c in fk.columns)
    sql = f"SELECT COUNT(*) FROM {dialect.qualified(conn, child)} WHERE {where}"
    return int(dialect.run(conn, sql).scalar() or 0)


# ---------------------------------------------------------------------------------------------
# statements over row sets
# ---------------------------------------------------------------------------------------------


def _chunks(conn: Connection, dialect: Dialect, rows: RowSet) -> Iterator[tuple[str, list[Any]]]:
    """``WHERE`` conditions (bound-ready text) with their values, covering ``rows``."""
    mark = dialect.placeholder(conn)
    names = [dialect.bound(conn, dialect.quote(conn, c)) for c in rows.columns]
    for lo, hi in rows.ranges:
        yield f"{names[0]} BETWEEN {mark} AND {mark}", [lo, hi]
    per = max(1, MAX_PARAMS // len(names))
    for start in range(0, len(rows.keys), per):
        batch = rows.keys[start : start + per]
        if len(names) == 1:
            marks = ", ".join([mark] * len(batch))
            yield f"{names[0]} IN ({marks})", [k[0] for k in batch]
            continue
        one = " AND ".join(f"{n} = {mark}" for n in names)
        yield " OR ".join([f"({one})"] * len(batch)), [v for k in batch for v in k]


def _count(conn: Connection, dialect: Dialect, table: TableInfo, rows: RowSet) -> int:
    target = dialect.bound(conn, dialect.qualified(conn, table))
    total = 0
    cursor = dialect.driver_connection(conn).cursor()
    try:
        for where, params in _chunks(conn, dialect, rows):
            cursor.execute(f"SELECT COUNT(*) FROM {target} WHERE {where}", params)
            total += int(cursor.fetchone()[0] or 0)
    finally:
        cursor.close()
    return total


def _select(
    conn: Connection, dialect: Dialect, table: TableInfo, columns: Sequence[str], rows: RowSet
) -> list[tuple[Any, ...]]:
    target = dialect.bound(conn, dialect.qualified(conn, table))
    cols = ", ".join(dialect.bound(conn, dialect.quote(conn, c)) for c in columns)
    out: list[tuple[Any, ...]] = []
    cursor = dialect.driver_connection(conn).cursor()
    try:
        for where, params in _chunks(conn, dialect, rows):
            cursor.execute(f"SELECT {cols} FROM {target} WHERE {where}", params)
            out.extend(tuple(r) for r in cursor.fetchall())
    finally:
        cursor.close()
    return out


def _delete(conn: Connection, dialect: Dialect, table: TableInfo, rows: RowSet) -> int:
    target = dialect.bound(conn, dialect.qualified(conn, table))
    done = 0
    cursor = dialect.driver_connection(conn).cursor()
    try:
        for where, params in _chunks(conn, dialect, rows):
            cursor.execute(f"DELETE FROM {target} WHERE {where}", params)
            done += max(cursor.rowcount or 0, 0)
    finally:
        cursor.close()
    return done


# ---------------------------------------------------------------------------------------------
# execution
# ---------------------------------------------------------------------------------------------


def execute_removal(
    engine: Engine,
    meta: SchemaMetadata,
    plan: Callable[[Connection], Removal],
    *,
    shown: Removal | None = None,
    reset_sequences: bool = False,
) -> dict[str, int]:
    """Plan inside one transaction (``plan(conn)``, which may refuse) and delete what it
    names; return the rows deleted per table.

    ``shown`` is the plan a person confirmed: when the plan made inside the transaction
    differs, rows changed meanwhile and nothing is deleted.
    """
    dialect = dialect_for(engine.dialect.name)
    conn = open_connection(engine)
    deleted: dict[str, int] = {}
    try:
        tx = conn.begin()
        try:
            removal = plan(conn)
            if shown is not None and (
                removal.counts != shown.counts or removal.references != shown.references
            ):
                raise LedgerError(
                    "The rows changed since the plan was made; nothing was deleted.",
                    hint="Run the command again to see what it would delete now.",
                )
            deleted = _run_removal(conn, dialect, meta, removal)
            if reset_sequences and dialect.transactional_ddl:
                for name in removal.order:
                    dialect.reset_sequences(conn, meta.table(name))
        except BaseException:
            with interrupts_deferred():
                rollback_or_close(conn, tx)
            raise
        with interrupts_deferred():
            tx.commit()
        if reset_sequences and not dialect.transactional_ddl:
            for name in removal.order:
                dialect.reset_sequences(conn, meta.table(name))
            conn.commit()
    except KeyboardInterrupt:
        raise Cancelled(
            "Cancelled; the transaction was rolled back, nothing was deleted."
        ) from None
    except QueryNLError:
        raise
    except (sa.exc.DBAPIError, engine.dialect.loaded_dbapi.Error) as exc:
        orig = getattr(exc, "orig", None) or exc
        said = redact(driver_message(orig).strip().splitlines()[0])
        raise LedgerError(
            f"The database refused the deletion: {said}. The transaction was rolled back; "
            "nothing was deleted."
        ) from None
    finally:
        conn.close()
    return deleted


def _run_removal(
    conn: Connection, dialect: Dialect, meta: SchemaMetadata, removal: Removal
) -> dict[str, int]:
    for name, fk in removal.suspended:
        dialect.suspend_foreign_key(conn, meta.table(name), fk)
    indexes = _delete_indexes(conn, dialect, meta, removal)
    deleted: dict[str, int] = {}
    for name in removal.order:
        table = meta.table(name)
        if removal.sets is None:
            sql = f"DELETE FROM {dialect.qualified(conn, table)}"
            deleted[name] = max(dialect.run(conn, sql).rowcount or 0, 0)
        else:
            deleted[name] = sum(_delete(conn, dialect, table, rs) for rs in removal.sets[name])
        log.info("%s: %d rows deleted", name, deleted[name])
    for name, fk in removal.suspended:
        dialect.resume_foreign_key(conn, meta.table(name), fk)
    for child, index in indexes:
        dialect.drop_delete_index(conn, child, index)
    return deleted


def _delete_indexes(
    conn: Connection, dialect: Dialect, meta: SchemaMetadata, removal: Removal
) -> list[tuple[TableInfo, str]]:
    """Indexes the database wants, for this transaction only, to check cheaply that no child
    row points at a deleted parent row (see ``Dialect.index_for_delete``)."""
    made: list[tuple[TableInfo, str]] = []
    for name in removal.order:
        if not removal.counts.get(name):
            continue
        for child, fk in meta.children_of(name):
            if child.external:
                continue
            index = f"qnl_undo_{len(made) + 1}_{child.name}"[:60]
            if dialect.index_for_delete(conn, child, fk, index):
                made.append((child, index))
    return made


# ---------------------------------------------------------------------------------------------
# the calls behind `querynl data undo` and `querynl data clear`
# ---------------------------------------------------------------------------------------------


def find_run(engine: Engine, run_id: int | None, schema: str | None = None) -> Run:
    """The run to undo: ``run_id``, or the last run recorded for this database (and schema)."""
    from ..ledger import Ledger, database_label

    ledger = Ledger()
    label = database_label(engine.url)
    if run_id is None:
        runs = ledger.runs(label, schema)
        if not runs:
            raise LedgerError(
                f"No run is recorded for {label}; there is nothing to undo.",
                hint="Runs of `querynl data` are recorded once they commit; "
                "`querynl data runs` lists them.",
            )
        run_id = runs[0].id
    run = ledger.get(int(run_id or 0))
    if run is None:
        raise LedgerError(
            f"There is no run {run_id} in the ledger.",
            hint="`querynl data runs` lists the runs of this database.",
        )
    if run.database != label:
        raise LedgerError(
            f"Run {run_id} was made on {run.database}, not on {label}; nothing was deleted.",
            hint="Name that database with --db (or --connection).",
        )
    return run


def prepare_undo(
    engine: Engine, run: Run, *, cascade: bool = False
) -> tuple[SchemaMetadata, Removal]:
    """Read the schema and plan the undo of ``run`` (nothing is deleted)."""
    from ..schema_introspection import introspect

    meta = introspect(engine, run.schema_name, count_rows=False)
    conn = open_connection(engine)
    try:
        return meta, plan_undo(conn, meta, run, cascade=cascade)
    finally:
        conn.rollback()
        conn.close()


def _rows(n: int) -> str:
    return f"{n:,} row" if n == 1 else f"{n:,} rows"


def refused(run: Run, removal: Removal) -> LedgerError:
    """Why an undo without ``--cascade`` cannot go ahead: who references the run's rows."""
    lines = "\n".join(
        f"  - {r.child}: {_rows(r.rows)} reference{'s' if r.rows == 1 else ''} rows of "
        f"{r.parent} ({r.fk})"
        for r in removal.references
    )
    first = removal.references[0]
    return LedgerError(
        f"Run {run.id} cannot be undone: rows it did not insert reference its rows.\n{lines}\n"
        "Nothing was deleted.",
        table=first.child,
        constraint=first.fk,
        hint=f"Delete those rows first, or run `querynl data undo {run.id} --cascade` to "
        "delete them too.",
    )


def undo(
    engine: Engine,
    run: Run,
    *,
    cascade: bool = False,
    shown: Removal | None = None,
    meta: SchemaMetadata | None = None,
) -> tuple[dict[str, int], Removal]:
    """Delete the rows of ``run`` in one transaction and mark the run undone.

    The plan is made inside the transaction: without ``cascade`` the undo is refused
    (``LedgerError``) when other rows reference the run's rows; with it, ``shown`` is the plan
    the person confirmed."""
    from ..ledger import Ledger
    from ..schema_introspection import introspect

    schema = meta or introspect(engine, run.schema_name, count_rows=False)
    made: list[Removal] = []

    def plan(conn: Connection) -> Removal:
        removal = plan_undo(conn, schema, run, cascade=cascade)
        if removal.references and not cascade:
            raise refused(run, removal)
        made.append(removal)
        return removal

    deleted = execute_removal(engine, schema, plan, shown=shown)
    Ledger().mark_undone(int(run.id or 0))
    return deleted, made[-1]


def prepare_clear(
    engine: Engine, tables: Sequence[str] = (), schema: str | None = None
) -> tuple[SchemaMetadata, Removal]:
    """Read the schema and plan emptying ``tables`` (every table when empty)."""
    from ..errors import RequestError
    from ..errors import did_you_mean as suggest
    from ..schema_introspection import introspect, require_tables

    meta = introspect(engine, schema, count_rows=False)
    require_tables(meta)
    names = list(dict.fromkeys(tables)) or list(meta.table_names)
    for name in names:
        if name not in meta.table_names:
            raise RequestError(
                f"There is no table {name!r}." + suggest(name, meta.table_names),
                table=name,
                hint="`querynl data clear` without names empties every table.",
            )
    conn = open_connection(engine)
    try:
        removal = plan_clear(conn, meta, names)
    finally:
        conn.rollback()
        conn.close()
    if removal.references:
        raise _clear_refused(conn_engine=engine, meta=meta, names=names, removal=removal)
    return meta, removal


def _clear_refused(
    conn_engine: Engine, meta: SchemaMetadata, names: list[str], removal: Removal
) -> LedgerError:
    """Other tables point at the ones to empty: name them, and every table the clear needs."""
    needed = list(names)
    conn = open_connection(conn_engine)
    try:
        refs = removal.references
        while refs:
            needed += [r.child for r in refs if r.child not in needed]
            refs = plan_clear(conn, meta, needed).references
    finally:
        conn.rollback()
        conn.close()
    lines = "\n".join(
        f"  - {r.child}: {r.rows:,} rows reference {r.parent} ({r.fk})" for r in removal.references
    )
    first = removal.references[0]
    return LedgerError(
        f"Rows of other tables reference the tables to empty; emptying them alone would leave "
        f"those rows pointing nowhere.\n{lines}\nNothing was deleted.",
        table=first.child,
        hint=f"Name those tables too: querynl data clear {' '.join(needed)}",
    )


def clear(engine: Engine, meta: SchemaMetadata, removal: Removal) -> dict[str, int]:
    """Empty the tables of ``removal`` in one transaction and reset their sequences."""
    names = list(removal.counts)
    return execute_removal(
        engine,
        meta,
        lambda conn: plan_clear(conn, meta, names),
        shown=removal,
        reset_sequences=True,
    )
