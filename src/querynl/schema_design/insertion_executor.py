"""Batches -> the database, through each dialect's bulk path, in one transaction.

Everything a request inserts lands together or not at all: a constraint error, a lost
connection or Ctrl+C rolls the transaction back, and the error names the table and constraint.

The transaction boundary is this module's ``execute``. Until COMMIT is sent nothing is
visible to anyone else, and whatever ends the run (an exception, Ctrl+C, the process being
killed, the server or the network dropping the connection) leaves the database as it was: we
roll back, or the server does when the connection goes. Ctrl+C is held back while COMMIT or
ROLLBACK is on its way (a second Ctrl+C still gets through), so "nothing was inserted" is
never said of rows that were committed. Only a connection lost during COMMIT itself leaves the
outcome open, and the message says so.

Batches come from the synthesizer in turn, from a background thread (``prefetch``: servers,
table after table) or from a forked child process (``producer``: large SQLite runs); the
rows are the same.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from ..bulk_gc import collector_paused
from ..connection import open_connection, rollback_or_close
from ..dialects import Dialect, dialect_for
from ..dialects.base import DroppedKey
from ..dialects.failures import driver_message
from ..errors import Cancelled, InsertionError, QueryNLError
from ..generators.core import decimal_limit, integer_limits
from ..interrupts import interrupts_deferred
from ..models import (
    DataGenerationPlan,
    InsertionResult,
    SchemaMetadata,
    TablePlan,
    TableResult,
    TotalPlan,
)
from ..redact import redact
from ..totals import total_bounds
from . import held_totals, prefetch, producer
from .data_synthesizer import DataSynthesizer

log = logging.getLogger("querynl.insert")

# progress(table, rows_done_in_table, rows_total_in_table)
Progress = Callable[[str, int, int], None]
# on_update(table, set_columns, key_columns, rows of set values + key values)
Updates = Callable[[str, list[str], list[str], list[tuple[Any, ...]]], None]

_commits = 0  # transactions this process has committed (see ``commits``)

# A table that gets at least this many rows has its foreign keys checked all at once at the end
# where the dialect can (dropped, then added back before COMMIT) instead of row by row.
BULK_FOREIGN_KEY_ROWS = 1_000


def commits() -> int:
    """How many insert transactions this process has committed so far.

    A Ctrl+C handler compares it with the count when its command began, so it never says
    "nothing was inserted" after a commit.
    """
    return _commits


class InsertionExecutor:
    """Runs a plan against a database."""

    def __init__(
        self,
        engine: Engine,
        meta: SchemaMetadata,
        *,
        batch_size: int = 10_000,
        keep_foreign_keys: bool = False,
        bulk_rows: int | None = None,
        held_rows: int | None = None,
    ) -> None:
        """``keep_foreign_keys`` checks every row as it arrives, even in a large load
        (slower, but no exclusive table locks); ``bulk_rows`` is the size of a large load
        (default ``BULK_FOREIGN_KEY_ROWS``); ``held_rows``, the most parent rows kept in
        memory until their totals are known (default ``held_totals.HELD_ROWS``)."""
        self.engine = engine
        self.meta = meta
        self.dialect: Dialect = dialect_for(engine.dialect.name)
        self.batch_size = batch_size
        self.keep_foreign_keys = keep_foreign_keys
        self.bulk_rows = BULK_FOREIGN_KEY_ROWS if bulk_rows is None else bulk_rows
        self.held_rows = held_totals.HELD_ROWS if held_rows is None else held_rows

    def execute(
        self,
        plan: DataGenerationPlan,
        progress: Progress | None = None,
        *,
        on_rows: Callable[[str, list[str], list[tuple[Any, ...]]], None] | None = None,
        on_update: Updates | None = None,
    ) -> InsertionResult:
        """Insert every table of ``plan`` in one transaction and return what landed.

        ``on_rows`` sees each batch after it loaded, ``on_update`` each batch of the UPDATEs
        that close foreign-key cycles (the run ledger and ``--sql-out`` listen)."""
        with collector_paused():
            return self._execute(plan, progress, on_rows, on_update)

    def _execute(
        self,
        plan: DataGenerationPlan,
        progress: Progress | None,
        on_rows: Callable[[str, list[str], list[tuple[Any, ...]]], None] | None,
        on_update: Updates | None,
    ) -> InsertionResult:
        started = time.perf_counter()
        conn = open_connection(self.engine)
        current: list[str] = [""]
        committing = False
        try:
            tx = conn.begin()
            try:
                results = self._run(conn, plan, progress, current, on_rows, on_update)
            except BaseException:
                with interrupts_deferred():
                    rollback_or_close(conn, tx)
                    _close(conn)
                raise
            # From here to the return, Ctrl+C is held back: once COMMIT is sent, the run
            # either reports its rows or says the outcome is unknown, never "nothing".
            with interrupts_deferred() as interrupted:
                committing = True
                try:
                    log.debug("committing")
                    tx.commit()
                    _count_commit()
                finally:
                    _close(conn)
                result = InsertionResult(tables=results, seconds=time.perf_counter() - started)
            if interrupted:
                log.warning("Ctrl+C arrived while committing; the commit completed.")
            return result
        except KeyboardInterrupt:
            if committing:
                raise Cancelled(
                    "Cancelled while committing: the database may or may not have kept the rows.",
                    hint="Look at the tables before running the request again.",
                ) from None
            raise Cancelled(
                "Cancelled; the transaction was rolled back and nothing was inserted."
            ) from None
        except (sa.exc.DBAPIError, self.engine.dialect.loaded_dbapi.Error) as exc:
            failure = describe_failure(
                exc, current[0], self.engine, self.meta, committing=committing
            )
            raise failure from None

    def _run(
        self,
        conn: Connection,
        plan: DataGenerationPlan,
        progress: Progress | None,
        current: list[str],
        on_rows: Callable[[str, list[str], list[tuple[Any, ...]]], None] | None,
        on_update: Updates | None = None,
    ) -> list[TableResult]:
        synth = DataSynthesizer(plan, self.meta, self.dialect, batch_size=self.batch_size)
        synth.compile(conn)
        synth.use_database_checks(conn)
        dropped = self._relax_foreign_keys(conn, plan, current)
        # a dropped key needs no suspending: it is checked when it comes back, after the cycle
        gone = {(key.table.name, key.name) for key in dropped}
        suspended = [
            (t, fk) for t, fk in self._suspended_keys(plan) if (t.name, fk.name) not in gone
        ]
        for table, fk in suspended:
            self.dialect.suspend_foreign_key(conn, table, fk)
        staged = self._staged_totals(conn, plan, synth, dropped)
        held = self._held_totals(plan, synth, staged)
        stages: dict[str, Any] = {}
        staging = Staging(staged - held.keys(), stages, held)
        # made from here on (not earlier: a busy making thread slows every query before)
        maker = self._maker(plan, synth, [tplan.table for tplan in plan.tables])
        try:
            results = [
                self._load_table(conn, synth, tplan, staging, maker, progress, on_rows, current)
                for tplan in plan.tables
            ]
        finally:
            if maker is not None:
                maker.close()
        for tplan in plan.tables:
            current[0] = tplan.table
            for set_cols, key_cols, rows in synth.deferred_updates(tplan.table):
                self.dialect.update_rows(
                    conn, self.meta.table(tplan.table), set_cols, key_cols, rows
                )
                if on_update is not None:
                    on_update(tplan.table, set_cols, key_cols, rows)
        for total in plan.totals:
            current[0] = total.table
            if total.table in held:
                self._insert_held(conn, synth, held.pop(total.table), on_update)
            elif total.table in stages:
                self._insert_staged(conn, synth, total, stages[total.table], on_update)
            else:
                self._update_total(conn, synth, total, on_update)
        for table, fk in suspended:
            current[0] = table.name
            self.dialect.resume_foreign_key(conn, table, fk)
        for key in dropped:
            current[0] = key.table.name
            began = time.perf_counter()
            self.dialect.restore_foreign_key(conn, key)
            log.info(
                "%s: foreign key %s added back, every row checked, in %.2f s",
                key.table.name,
                key.name,
                time.perf_counter() - began,
            )
        synth.finish()
        return results

    def _maker(
        self, plan: DataGenerationPlan, synth: DataSynthesizer, order: list[str]
    ) -> producer.Producer | prefetch.Pipeline | None:
        """Who makes the batches while this thread loads them: a child process (large SQLite
        runs), a background thread for the tables a server loads, or no one (made in turn)."""
        if producer.usable(plan, synth):
            return producer.Producer(synth, order)
        if not self.dialect.loads_in_another_process:
            return None
        # up to the first table with CHECKs the database judges: those ask on this connection
        ahead = list(itertools.takewhile(lambda t: not synth.tables[t].judged, order))
        return prefetch.Pipeline(synth, ahead) if ahead else None

    def _load_table(
        self,
        conn: Connection,
        synth: DataSynthesizer,
        tplan: TablePlan,
        staging: Staging,
        maker: producer.Producer | prefetch.Pipeline | None,
        progress: Progress | None,
        on_rows: Callable[[str, list[str], list[tuple[Any, ...]]], None] | None,
        current: list[str],
    ) -> TableResult:
        """Every batch of one table, made here or by ``maker``, into the table (or its stage,
        or kept here until its totals are known)."""
        current[0] = tplan.table
        table = self.meta.table(tplan.table)
        compiled = synth.tables[tplan.table]
        began, done = time.perf_counter(), 0
        target = table
        if tplan.table in staging.staged:
            name = f"qnl_stage_{next(_STAGES)}"
            target = staging.stages[tplan.table] = self.dialect.stage_table(
                conn, table, name, compiled.columns
            )
        kept = staging.held.get(tplan.table)
        lines = [h for h in staging.held.values() if h.total.child == tplan.table]
        if progress is not None:
            progress(tplan.table, 0, tplan.count)  # the table starts now
        if maker is not None and tplan.table in maker.tables:
            batches = maker.batches(tplan.table)
        else:
            batches = self._batches(synth, tplan.table)
        with self._session(conn, target, compiled, kept) as load:
            for rows in batches:
                loading = time.perf_counter()
                self._load(load, target, rows)
                for parent in lines:
                    parent.add_lines(rows)
                if on_rows is not None:
                    on_rows(tplan.table, compiled.columns, rows)
                done += len(rows)
                log.debug(
                    "%s: batch of %d rows loaded in %.1f ms (%d of %d)",
                    tplan.table,
                    len(rows),
                    (time.perf_counter() - loading) * 1000,
                    done,
                    tplan.count,
                )
                if progress is not None:
                    progress(tplan.table, done, tplan.count)
        if target is table and kept is None:  # a staged or held table's rows are not there yet
            self.dialect.after_table_load(conn, table)
        log.info("%s: %d rows in %.2f s", tplan.table, done, time.perf_counter() - began)
        return TableResult(
            table=tplan.table,
            rows=done,
            seconds=time.perf_counter() - began,
            key_ranges=_key_ranges(compiled),
        )

    def _session(
        self,
        conn: Connection,
        target: Any,
        compiled: Any,
        kept: held_totals.HeldParent | None,
    ) -> contextlib.AbstractContextManager[Callable[[list[tuple[Any, ...]]], None]]:
        """Where the batches of a table go: the dialect's bulk path, or ``kept`` (rows that
        wait here for their totals)."""
        if kept is not None:
            return contextlib.nullcontext(kept.keep)
        # a CHECK the database judges is asked on this connection between batches
        exclusive = not compiled.judged
        return self.dialect.bulk_session(conn, target, compiled.columns, exclusive=exclusive)

    def _relax_foreign_keys(
        self, conn: Connection, plan: DataGenerationPlan, current: list[str]
    ) -> list[DroppedKey]:
        """The foreign keys the dialect dropped so that the tables of a large load are checked
        in one pass at the end rather than row by row."""
        if self.keep_foreign_keys:
            return []
        large = [tplan for tplan in plan.tables if tplan.count >= self.bulk_rows]
        if not large:
            return []
        current[0] = large[0].table
        loads = [(self.meta.table(tplan.table), tplan.count) for tplan in large]
        return self.dialect.relax_foreign_keys(conn, loads)

    def _batches(self, synth: DataSynthesizer, table: str) -> Iterator[list[tuple[Any, ...]]]:
        """The table's batches; made ahead in a background thread while a server database
        loads the previous one, when making them needs no query on this connection."""
        batches = synth.batches(table)
        if (
            self.dialect.loads_in_another_process
            and not synth.tables[table].judged
            and synth.batch_count(table) > 1
        ):
            return prefetch.ahead(batches)
        return batches

    def _update_total(
        self,
        conn: Connection,
        synth: DataSynthesizer,
        total: TotalPlan,
        on_update: Updates | None = None,
    ) -> None:
        """orders.total = the sum of its items, for the orders of this run (see totals.py);
        listeners (an SQL script, the ledger) get the totals as the database now holds them."""
        keys = _new_keys(synth, total)
        if keys is None:
            return
        parent = self.meta.table(total.table)
        found = _total_bounds(synth, parent, total)
        if found is None:
            return
        bounds, zero = found
        self.dialect.update_totals(
            conn, parent, self.meta.table(total.child), total, keys, bounds, zero=zero
        )
        self._report_totals(conn, parent, total, keys, on_update)

    def _insert_staged(
        self,
        conn: Connection,
        synth: DataSynthesizer,
        total: TotalPlan,
        stage: Any,
        on_update: Updates | None = None,
    ) -> None:
        """The staged parent rows into their table, totals set on the way (see
        ``_staged_totals``); then what ``after_table_load`` does for any table."""
        keys = _new_keys(synth, total)
        assert keys is not None  # staged only then
        parent = self.meta.table(total.table)
        found = _total_bounds(synth, parent, total)
        bounds, zero = found if found is not None else (None, False)
        columns = synth.tables[total.table].columns
        began = time.perf_counter()
        moved = self.dialect.insert_staged(
            conn, parent, self.meta.table(total.child), stage, columns, total, keys, bounds, zero
        )
        log.info("%s: %d rows moved in with their totals in %.2f s", parent.name, moved,
                 time.perf_counter() - began)  # fmt: skip
        self.dialect.after_table_load(conn, parent)
        if bounds is not None:
            self._report_totals(conn, parent, total, keys, on_update)

    def _held_totals(
        self, plan: DataGenerationPlan, synth: DataSynthesizer, staged: set[str]
    ) -> dict[str, held_totals.HeldParent]:
        """Of the staged parents, those whose rows wait in this process instead (few enough,
        totals this process sums exactly as the database does; see ``held_totals``)."""
        found: dict[str, held_totals.HeldParent] = {}
        for total in plan.totals:
            if total.table not in staged or plan.table(total.table).count > self.held_rows:
                continue
            parent, child = self.meta.table(total.table), self.meta.table(total.child)
            keys = _new_keys(synth, total)
            if keys is None or not held_totals.computable(parent, child, total):
                continue
            bounds, zero = _total_bounds(synth, parent, total) or (None, False)
            columns = (synth.tables[total.table].columns, synth.tables[total.child].columns)
            found[total.table] = held_totals.HeldParent(
                total, columns, keys, bounds, zero, parent.column(total.column)
            )
        return found

    def _insert_held(
        self,
        conn: Connection,
        synth: DataSynthesizer,
        kept: held_totals.HeldParent,
        on_update: Updates | None = None,
    ) -> None:
        """The rows kept here into their table, totals set; then what ``after_table_load``
        does for any table."""
        total = kept.total
        parent = self.meta.table(total.table)
        columns = synth.tables[total.table].columns
        began, moved = time.perf_counter(), 0
        with self.dialect.bulk_session(conn, parent, columns, exclusive=True) as load:
            for rows in kept.rows():
                self._load(load, parent, rows)
                moved += len(rows)
        log.info("%s: %d rows loaded with their totals in %.2f s", parent.name, moved,
                 time.perf_counter() - began)  # fmt: skip
        self.dialect.after_table_load(conn, parent)
        if not kept.plain:  # the sums could not be made here: the database makes them
            self._update_total(conn, synth, total, on_update)
        elif kept.bounds is not None:
            self._report_totals(conn, parent, total, kept.keys, on_update)

    def _report_totals(
        self,
        conn: Connection,
        parent: Any,
        total: TotalPlan,
        keys: tuple[int, int],
        on_update: Updates | None,
    ) -> None:
        """Listeners (an SQL script) get the totals as the database now holds them."""
        if on_update is not None:
            rows = self.dialect.read_totals(conn, parent, total, keys)
            on_update(total.table, [total.column], [total.key], rows)

    def _staged_totals(
        self,
        conn: Connection,
        plan: DataGenerationPlan,
        synth: DataSynthesizer,
        dropped: list[DroppedKey],
    ) -> set[str]:
        """Parent tables whose rows can wait in a temporary table until their child rows are
        in, and then arrive once with their totals instead of being written twice (INSERT,
        then UPDATE). Only where nothing checks or reads them in between: every foreign key
        that points at the parent was dropped for the load, no table loaded after it has a
        trigger (which might read or change it), the parent's new keys are a known range,
        and it has no other total and no cycle rows to fill in later."""
        if not self.dialect.stages_totals or not plan.totals:
            return set()
        gone = {(key.table.name, key.name) for key in dropped}
        order = [t.table for t in plan.tables]
        found: set[str] = set()
        for total in plan.totals:
            parent = total.table
            if parent not in order or total.child not in order:
                continue
            if order.index(total.child) < order.index(parent):
                continue
            if sum(t.table == parent for t in plan.totals) > 1:
                continue
            if any(t.child == parent for t in plan.totals):
                continue
            if _new_keys(synth, total) is None:
                continue
            if any(fp.strategy == "deferred_update" for fp in synth.tables[parent].fks):
                continue
            pointing = [
                (self.meta.table(name).name, fk.name)
                for name in order
                for fk in self.meta.table(name).foreign_keys
                if fk.declared and fk.ref_table == parent and name != parent
            ]
            if not pointing or not all(p in gone for p in pointing):
                continue
            later = [self.meta.table(t) for t in order[order.index(parent) + 1 :]]
            if self.dialect.has_user_triggers(conn, later):
                log.info("%s: totals set by UPDATE (a table loaded after it has triggers)",
                         parent)  # fmt: skip
                continue
            found.add(parent)
        return found

    def _load(
        self,
        load: Callable[[list[tuple[Any, ...]]], None],
        table: Any,
        rows: list[tuple[Any, ...]],
    ) -> None:
        """One batch through the bulk path. A value the driver cannot even send (an integer
        past 64 bits for SQLite, a dict where text belongs) is reported like a rejected row."""
        try:
            load(rows)
        except (OverflowError, TypeError, ValueError) as exc:
            raise InsertionError(
                f"The database driver cannot send a value into {table.name}: {exc}. The "
                "transaction was rolled back; nothing was inserted.",
                table=table.name,
                hint="Check the generators and values of this table in the plan "
                "(--dry-run shows sample rows).",
            ) from None

    def _suspended_keys(self, plan: DataGenerationPlan) -> list[tuple[Any, Any]]:
        """Foreign keys of NOT NULL cycles that point at rows inserted later in the run."""
        found = []
        for brk in plan.cycle_breaks:
            if brk.strategy == "null_then_update":
                continue
            table = self.meta.table(brk.table)
            fk = next(f for f in table.foreign_keys if f.label == brk.foreign_key)
            found.append((table, fk))
        return found


_STAGES = itertools.count(1)


@dataclass
class Staging:
    """Parent tables whose rows arrive after their children's: staged in a temporary table
    (``staged``; their stages once made in ``stages``) or kept in this process (``held``)."""

    staged: set[str]
    stages: dict[str, Any]
    held: dict[str, held_totals.HeldParent]


def _new_keys(synth: DataSynthesizer, total: TotalPlan) -> tuple[int, int] | None:
    """First and last of the parent keys this run adds, when they are a range of integers."""
    store = synth.stores.get(total.table)
    keys = store.new.get(total.key) if store is not None else None
    if not isinstance(keys, range) or len(keys) == 0:
        return None
    return keys[0], keys[-1]


def _total_bounds(
    synth: DataSynthesizer, parent: Any, total: TotalPlan
) -> tuple[tuple[Any, Any], bool] | None:
    """(low, high) a total may take (the column's type and CHECKs) and whether a parent with
    no child rows gets 0; None when the CHECKs leave no reading."""
    column = parent.column(total.column)
    limit = decimal_limit(column.type) if column.type.kind == "decimal" else None
    if column.type.kind == "integer":
        limit = Decimal(integer_limits(column.type)[1])
    bounds = total_bounds(synth.tables[total.table].checks, column, limit or Decimal(10) ** 15)
    if bounds is None:
        return None
    low, high, zero = bounds
    # plain numbers: every driver sends them as numbers (SQLite compares text and numbers
    # by type, so a Decimal sent as text would never match)
    if column.type.kind == "integer":
        return (int(low), int(high)), zero
    return (float(low), float(high)), zero


def _key_ranges(compiled: Any) -> list[list[Any]]:
    """Consecutive integer keys as [first, last] ranges (the ledger's compact form)."""
    pk = compiled.info.primary_key
    if len(pk) != 1:
        return []
    gen = compiled.generators.get(pk[0])
    if gen is None or gen.name != "sequence" or compiled.plan.count == 0:
        return []
    p = gen.params
    return [[p.start, p.start + (compiled.plan.count - 1) * p.step]]


def _count_commit() -> None:
    global _commits
    _commits += 1


def _close(conn: Connection) -> None:
    try:
        conn.close()
    except Exception:  # noqa: BLE001 - a dead connection cannot be returned cleanly
        log.debug("closing the connection failed; it is discarded")


def describe_failure(
    exc: BaseException,
    table: str,
    engine: Engine,
    meta: SchemaMetadata | None = None,
    *,
    committing: bool = False,
) -> QueryNLError:
    """One secret-free message in plain words: what was violated, where, and what to change."""
    orig = getattr(exc, "orig", None) or exc
    if is_disconnect(exc, engine):
        return _lost_connection(engine, orig, table, committing)
    facts = dialect_for(engine.dialect.name).error_facts(orig)
    table = facts.table or table
    column = facts.column or _constraint_columns(meta, table, facts.constraint)
    said = redact(driver_message(orig).strip().splitlines()[0])
    what, hint = _PLAIN.get(facts.kind or "", _UNKNOWN)
    words = {
        "table": table or "the table",
        "column": column or "a column",
        "constraint": f" {facts.constraint}" if facts.constraint else "",
        "value": f" {facts.value!r}" if facts.value is not None else "",
        "on_column": f" (on {column})" if column else "",
    }
    where = " at commit" if committing else (f" into {table}" if table else "")
    return InsertionError(
        f"The database rejected the rows{where}: {what.format(**words)}. "
        f"The transaction was rolled back; nothing was inserted. (The database said: {said})",
        table=table or None,
        column=column,
        constraint=facts.constraint,
        value=facts.value,
        hint=hint.format(**words),
    )


_SAVED_PLAN = "in a saved plan (--save-plan FILE, edit it, then --plan FILE)"
# kind -> (what happened, what to change), in plain words
_PLAIN: dict[str, tuple[str, str]] = {
    "unique": (
        "a value{value} of {column} already exists, and the unique constraint{constraint} "
        "allows it only once",
        "Rows added by someone else meanwhile, or a uniqueness QueryNL cannot see (an expression "
        "index, a trigger), cause this. Run again, or give {column} a generator that cannot "
        "repeat " + _SAVED_PLAN + ".",
    ),
    "exclusion": (
        "a row conflicts with another row under the exclusion constraint{constraint}",
        "QueryNL keeps the rows apart for exclusion constraints on columns with = and && (a "
        "range that overlaps no other); this one compares something else. Give its columns "
        "generators that cannot conflict " + _SAVED_PLAN + ".",
    ),
    "foreign_key": (
        "a value{value} of {column} points at no row of its parent table (foreign key{constraint})",
        "The parent rows changed while inserting, or a trigger rewrote the key. Run again; if "
        "it repeats, fill the parent table in the same request.",
    ),
    "check": (
        "a row breaks the CHECK constraint{constraint}{on_column}",
        "QueryNL could not turn this CHECK into value ranges. Set the generators of the "
        "columns it names "
        + _SAVED_PLAN
        + ', or ask for values inside it ("prices between 5 and 50").',
    ),
    "not_null": (
        "{column} got NULL, but it is NOT NULL",
        "A trigger or a default that yields NULL can cause this. Give {column} a generator "
        "without NULLs (null_rate 0) " + _SAVED_PLAN + ".",
    ),
    "too_long": (
        "a value is too long for {column}",
        "Give {column} a shorter generator (max_length) " + _SAVED_PLAN + ".",
    ),
    "out_of_range": (
        "a value{value} is out of range for {column}",
        "Narrow the range of {column} (min, max) " + _SAVED_PLAN + ", or in the request "
        '("... between 1 and 100").',
    ),
    "bad_value": (
        "{column} does not accept the value{value}",
        "Give {column} a generator of the right type " + _SAVED_PLAN + ".",
    ),
}
_UNKNOWN = (
    "it refused a row",
    "Check the plan for this table (--dry-run), or override the column's generator "
    + _SAVED_PLAN
    + ".",
)


def _constraint_columns(
    meta: SchemaMetadata | None, table: str, constraint: str | None
) -> str | None:
    """The columns of a named constraint, from the schema (MySQL names only the key)."""
    if meta is None or not constraint or table not in meta.tables:
        return None
    info = meta.table(table)
    named = [*info.uniques, *info.foreign_keys]
    for item in named:
        if item.name == constraint:
            return ", ".join(item.columns)
    if info.primary_key and constraint.upper() == "PRIMARY":
        return ", ".join(info.primary_key)
    for check in info.checks:
        if check.name == constraint:
            named = [
                c for c in info.column_names if re.search(rf"\b{re.escape(c)}\b", check.sqltext)
            ]
            return ", ".join(named) or None
    return None


def is_disconnect(exc: BaseException, engine: Engine) -> bool:
    """True when ``exc`` means the connection is gone (killed, dropped, server ended it).

    SQLAlchemy's dialects know their driver's error codes and messages for this; a few
    socket-level texts are checked besides, for errors raised outside SQLAlchemy's wrapping
    (the bulk paths use the driver's cursor directly).
    """
    if getattr(exc, "connection_invalidated", False):
        return True
    orig = getattr(exc, "orig", None) or exc
    try:
        if engine.dialect.is_disconnect(orig, None, None):  # type: ignore[arg-type]
            return True
    except Exception:  # noqa: BLE001 - a dialect that cannot tell without a connection
        pass
    text = str(orig).lower()
    return any(s in text for s in _LOST_TEXTS)


_LOST_TEXTS = (
    "server closed",
    "lost connection",
    "terminating connection",
    "connection reset",
    "connection was killed",
    "gone away",
    "broken pipe",
    "consuming input failed",
    "connection is closed",
)


def _lost_connection(engine: Engine, orig: Any, table: str, committing: bool) -> QueryNLError:
    from ..connection import display_url
    from ..errors import ConnectionFailed

    where = display_url(engine.url)
    reason = _first_line(orig)
    if committing:
        return ConnectionFailed(
            f"The connection to {where} was lost during COMMIT ({reason}); the database may "
            "or may not have kept the rows.",
            hint="Look at the tables before running the request again.",
        )
    into = f" while inserting into {table}" if table else ""
    return ConnectionFailed(
        f"The connection to {where} was lost{into} ({reason}). Nothing was committed: the "
        "server rolls the transaction back, nothing was inserted.",
        table=table or None,
        hint="Check that the server is up and reachable, then run the request again.",
    )


def _first_line(orig: Any) -> str:
    text = driver_message(orig).strip()
    return redact(text.splitlines()[0] if text else type(orig).__name__)
