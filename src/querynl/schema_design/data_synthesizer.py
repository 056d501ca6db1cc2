"""Plan + seed -> column batches, streamed, each batch a pure function of its number.

``DataSynthesizer.compile`` turns the plan into generators once per run; ``batch(table, k)``
then produces rows ``k * batch_size`` ... of that table from (plan, seed, table, k) and the
parents' keys alone. Only key columns of parent tables are kept between tables (as ranges when
they are consecutive integers), so memory stays flat as the row count grows.
"""

from __future__ import annotations

import bisect
import datetime as dt
import decimal
import functools
import itertools
import logging
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy.engine import Connection

from .. import checks as checks_mod
from .. import generators
from ..dialects import Dialect
from ..dialects.base import adapt_column
from ..errors import GenerationError, PlanError, did_you_mean
from ..generators.base import BatchContext, Generator, Permutation, RunEnv, derive_seed
from ..generators.pools import Pools
from ..generators.relations import parent_key
from ..models import (
    DataGenerationPlan,
    ForeignKeyPlan,
    SchemaMetadata,
    TableInfo,
    TablePlan,
)
from . import check_rows
from . import key_strategies as keys

log = logging.getLogger("querynl.synthesizer")

MAX_REDRAWS = 60
MAX_REPLACEMENT_LEVELS = 16


def per_parent_counts(seed: int, table: str, fk: str, parents: int, lo: int, hi: int) -> list[int]:
    """How many child rows each parent row gets ("each user with 1-5 posts"): deterministic."""
    rng = random.Random(derive_seed(seed, table, fk, "per-parent"))
    lo, hi = min(lo, hi), max(lo, hi)
    return [rng.randint(lo, hi) for _ in range(parents)]


class KeyStore:
    """The values of a table's referenced columns: existing rows first, then new rows."""

    def __init__(self, columns: Sequence[str]) -> None:
        self.columns = list(columns)
        self.existing: dict[str, list[Any]] = {c: [] for c in columns}
        self.new: dict[str, Any] = {c: [] for c in columns}  # list, or range for sequences
        self.n_existing = 0
        self.n_new = 0

    def set_existing(self, rows: list[tuple[Any, ...]]) -> None:
        for i, c in enumerate(self.columns):
            self.existing[c] = [r[i] for r in rows]
        self.n_existing = len(rows)

    def reserve_range(self, column: str, values: range) -> None:
        """Keys known before generation (sequences): children and trees can use them at once."""
        self.new[column] = values

    def append(self, batch: dict[str, list[Any]], n: int) -> None:
        for c in self.columns:
            store = self.new[c]
            if isinstance(store, list):
                store.extend(batch[c])
        self.n_new += n

    def known(self, column: str, indices: Sequence[int | None]) -> list[Any]:
        """Like ``values``, with None for rows not generated yet (a preview generates only
        the first batch of each parent) and for None indices."""
        ex, nw, ne = self.existing[column], self.new[column], self.n_existing
        total = ne + len(nw)
        if ne == 0 and indices and None not in indices:
            present = cast("Sequence[int]", indices)  # no None among them
            if max(present) < total:
                return list(map(nw.__getitem__, present))  # the usual case, looked up in C
        return [
            None if i is None or i >= total else (ex[i] if i < ne else nw[i - ne]) for i in indices
        ]

    def values(self, column: str, indices: Sequence[int | None]) -> list[Any]:
        """Values of ``column`` at combined indices (existing rows, then new rows); None
        stays None."""
        ex, nw, ne = self.existing[column], self.new[column], self.n_existing
        if ne == 0:
            if None not in indices:
                return list(map(nw.__getitem__, cast("Sequence[int]", indices)))
            return [None if i is None else nw[i] for i in indices]
        return [None if i is None else ex[i] if i < ne else nw[i - ne] for i in indices]


@dataclass
class CompiledTable:
    info: TableInfo
    plan: TablePlan
    columns: list[str]  # insert order
    generators: dict[str, Generator]
    order: list[str]  # generation order of non-FK columns
    fks: list[ForeignKeyPlan]
    adapters: dict[str, Callable[[Any], Any]]
    checks: checks_mod.CheckModel
    unique_existing: dict[str, tuple[set[Any], Callable[[Any], Any]]] = field(default_factory=dict)
    judged: list[Any] = field(default_factory=list)  # CHECKs the database must judge
    # nullable unique columns whose values run out: index after which rows get NULL
    spill: dict[str, int] = field(default_factory=dict)
    # key values of existing rows for FKs that must not repeat them (one-to-one, pairs)
    taken: dict[str, set[tuple[Any, ...]]] = field(default_factory=dict)
    null_rates: dict[str, float] = field(default_factory=dict)
    # columns whose text a CHECK wants lowered, uppered or trimmed: how, applied as made
    normalize: dict[str, Callable[[str], str]] = field(default_factory=dict)
    fixed: set[str] = field(default_factory=set)  # columns a redraw must not change
    parent_times: dict[str, str] = field(default_factory=dict)  # fk -> parent time column

    @property
    def name(self) -> str:
        return self.plan.table


class DataSynthesizer:
    """Generates the rows of a plan, batch by batch."""

    def __init__(
        self,
        plan: DataGenerationPlan,
        meta: SchemaMetadata,
        dialect: Dialect,
        *,
        batch_size: int = 10_000,
    ) -> None:
        self.plan = plan
        self.meta = meta
        self.dialect = dialect
        self.batch_size = max(1, batch_size)
        self.env = RunEnv(
            seed=plan.seed,
            now=plan.now,
            locale=plan.locale,
            pools=Pools(plan.locale),
            domain=plan.domain,
        )
        self.tables: dict[str, CompiledTable] = {}
        self.stores: dict[str, KeyStore] = {}
        self.db_checks: check_rows.DatabaseChecks | None = None
        # (table, column) -> [rows that passed their CHECKs only once redrawn as NULL, NULLs
        # in the batches where that happened]
        self.nulled: dict[tuple[str, str], list[int]] = {}

    # -------------------------------------------------------------------------- compile

    def compile(self, conn: Connection | None = None) -> None:
        """Build generators and key stores; read next keys and existing keys when connected."""
        self._make_stores()
        for tplan in self.plan.tables:
            self.tables[tplan.table] = self._compile_table(tplan, conn)
        if conn is not None:
            self._load_existing(conn)

    def _make_stores(self) -> None:
        wanted: dict[str, list[str]] = {}
        for tplan in self.plan.tables:
            for fp in tplan.foreign_keys:
                cols = wanted.setdefault(fp.ref_table, [])
                cols.extend(c for c in fp.ref_columns if c not in cols)
                if fp.strategy == "deferred_update":
                    own = wanted.setdefault(tplan.table, [])
                    table = self.meta.table(tplan.table)
                    own.extend(c for c in _row_key(table) if c not in own)
        for tplan in self.plan.tables:
            for parent, column in _parent_times(tplan, self.meta).values():
                cols = wanted.setdefault(parent, [])
                if column not in cols:
                    cols.append(column)
        for name, cols in wanted.items():
            self.stores[name] = KeyStore(cols)

    def _compile_table(self, tplan: TablePlan, conn: Connection | None) -> CompiledTable:
        if tplan.table not in self.meta.tables:
            raise PlanError(
                f"The plan names table {tplan.table!r}, which does not exist."
                + did_you_mean(tplan.table, self.meta.tables)
            )
        info = self.meta.table(tplan.table)
        check_model = checks_mod.analyse(info, self.meta.dialect)
        gens: dict[str, Generator] = {}
        adapters: dict[str, Callable[[Any], Any]] = {}
        null_rates: dict[str, float] = {}
        fixed: set[str] = set()
        for cp in tplan.columns:
            if not info.has_column(cp.name):
                raise PlanError(
                    f"The plan names column {tplan.table}.{cp.name}, which does not exist."
                    + did_you_mean(cp.name, info.column_names),
                    table=tplan.table,
                    column=cp.name,
                )
            col = info.column(cp.name)
            adapter = self.dialect.adapter(col.type)
            if adapter is not None:
                adapters[cp.name] = adapter
            if cp.generator == "foreign_key":
                if not any(cp.name in fp.columns for fp in tplan.foreign_keys):
                    raise PlanError(
                        f"{tplan.table}.{cp.name}: foreign_key fills only columns of a foreign "
                        "key of the plan, and none of this table's includes it.",
                        table=tplan.table,
                        column=cp.name,
                    )
                fixed.add(cp.name)
                continue
            params = dict(cp.params)
            if cp.generator == "sequence":
                # never below the first free key: the database may have moved since planning
                free = self.dialect.next_key(conn, info, col) if conn is not None else 1
                asked = generators.validate_params("sequence", params, f"{info.name}.{col.name}")
                params["start"] = max(asked.start or 1, free)
                cp.params = {**cp.params, "start": params["start"]}
            gens[cp.name] = generators.build(
                cp.generator,
                params,
                _narrowed(col, check_model),
                info,
                self.env,
                unique=cp.unique,
                unique_key=self.dialect.unique_key(col.type),
                rows=tplan.count + info.row_count,
            )
            if cp.null_rate and col.nullable and not check_model.not_null(cp.name):
                null_rates[cp.name] = cp.null_rate
            if cp.unique:
                fixed.add(cp.name)
        spill = {
            cp.name: cap
            for cp in tplan.columns
            if cp.unique
            and cp.name in gens
            and info.column(cp.name).nullable
            and (cap := gens[cp.name].capacity()) is not None
            and cap < tplan.count + info.row_count
        }
        columns = [cp.name for cp in tplan.columns]
        _check_dependencies(tplan, gens)
        compiled = CompiledTable(
            info=info,
            plan=tplan,
            columns=columns,
            generators=gens,
            order=_generation_order(gens),
            fks=list(tplan.foreign_keys),
            adapters=adapters,
            checks=check_model,
            null_rates=null_rates,
            normalize=_normalizers(check_model, gens),
            fixed=fixed,
            parent_times={fk: col for fk, (_, col) in _parent_times(tplan, self.meta).items()},
            spill=spill,
            judged=check_rows.judged_checks(check_model, columns),
        )
        store = self.stores.get(tplan.table)
        if store is not None:
            for c in store.columns:
                gen = gens.get(c)
                if gen is not None and gen.name == "sequence":
                    p = gen.params
                    store.reserve_range(c, range(p.start, p.start + tplan.count * p.step, p.step))
        return compiled

    def _load_existing(self, conn: Connection) -> None:
        """Existing parent keys (children may reference them) and existing unique values."""
        for name, store in self.stores.items():
            table = self.meta.tables.get(name)
            if table is None or table.row_count == 0:
                continue
            cols = ", ".join(self.dialect.quote(conn, c) for c in store.columns)
            order = ", ".join(self.dialect.quote(conn, c) for c in store.columns)
            sql = f"SELECT {cols} FROM {self.dialect.qualified(conn, table)} ORDER BY {order}"
            rows = [tuple(r) for r in self.dialect.run(conn, sql).fetchall()]
            store.set_existing(rows)
        for compiled in self.tables.values():
            if compiled.info.row_count == 0:
                continue
            for cp in compiled.plan.columns:
                if not cp.unique or cp.generator in ("sequence", "foreign_key"):
                    continue
                col = compiled.info.column(cp.name)
                key = _comparing(self.dialect.unique_key(col.type) or _identity)
                values = {key(r[0]) for r in self._existing(conn, compiled, [cp.name])}
                compiled.unique_existing[cp.name] = (values, key)
            self._load_taken(conn, compiled)

    def _load_taken(self, conn: Connection, compiled: CompiledTable) -> None:
        """Parent keys (one-to-one) and key combinations (pairs) that existing rows hold."""
        for fp in compiled.fks:
            if fp.strategy == "one_to_one":
                rows = self._existing(conn, compiled, fp.columns)
                compiled.taken[fp.name] = {tuple(map(comparable, r)) for r in rows}
            elif fp.group and fp.group not in compiled.taken:
                rows = self._existing(conn, compiled, fp.group.split(","))
                compiled.taken[fp.group] = {tuple(map(comparable, r)) for r in rows}

    def _existing(
        self, conn: Connection, compiled: CompiledTable, columns: Sequence[str]
    ) -> list[tuple[Any, ...]]:
        """Existing rows' values of ``columns`` where none of them is NULL."""
        q = self.dialect.quote
        cols = ", ".join(q(conn, c) for c in columns)
        where = " AND ".join(f"{q(conn, c)} IS NOT NULL" for c in columns)
        sql = f"SELECT {cols} FROM {self.dialect.qualified(conn, compiled.info)} WHERE {where}"
        return [tuple(r) for r in self.dialect.run(conn, sql).fetchall()]

    # -------------------------------------------------------------------------- batches

    def batch_count(self, table: str) -> int:
        count = self.tables[table].plan.count
        return (count + self.batch_size - 1) // self.batch_size

    def batches(self, table: str) -> Iterator[list[tuple[Any, ...]]]:
        """Rows of ``table`` ready for the driver, batch after batch, keys recorded on the way."""
        for k in range(self.batch_count(table)):
            yield self.rows(table, k)

    def rows(self, table: str, k: int) -> list[tuple[Any, ...]]:
        compiled = self.tables[table]
        values = self.batch(table, k)
        store = self.stores.get(table)
        n = len(next(iter(values.values()))) if values else 0
        if store is not None:
            store.append(values, n)
        return self.to_rows(compiled, values)

    def to_rows(
        self, compiled: CompiledTable, values: dict[str, list[Any]]
    ) -> list[tuple[Any, ...]]:
        cols = []
        for name in compiled.columns:
            column = values[name]
            adapter = compiled.adapters.get(name)
            if adapter is not None:
                column = adapt_column(adapter, column)
            cols.append(column)
        return list(zip(*cols))

    def batch(self, table: str, k: int) -> dict[str, list[Any]]:
        """The values of batch ``k`` of ``table``, column by column (before driver adaptation)."""
        compiled = self.tables[table]
        start = k * self.batch_size
        n = min(self.batch_size, compiled.plan.count - start)
        if n <= 0:
            return {c: [] for c in compiled.columns}
        ctx = BatchContext(table=table, batch=k, start=start, n=n, env=self.env)
        for fp in compiled.fks:
            self._fill_fk(compiled, fp, ctx)
        for name in compiled.order:
            ctx.columns[name] = self._column(compiled, name, ctx)
        self._avoid_existing(compiled, ctx)
        self._enforce_checks(compiled, ctx)
        return {c: ctx.columns[c] for c in compiled.columns}

    def _column(self, compiled: CompiledTable, name: str, ctx: BatchContext) -> list[Any]:
        gen = compiled.generators[name]
        if gen.shift_past_existing:
            ctx = ctx.shifted(compiled.info.row_count)
        values = gen.generate(ctx)
        normal = compiled.normalize.get(name)
        if normal is not None:
            values = [normal(v) if isinstance(v, str) else v for v in values]
        limit = compiled.spill.get(name)
        if limit is not None:
            # a nullable unique column with few values: NULL once they are used up
            first = ctx.start
            values = [v if first + j < limit else None for j, v in enumerate(values)]
        rate = compiled.null_rates.get(name)
        if rate:
            # the parts of one place are missing together (no city without its country)
            stream = "place" if gen.name == "place" else name
            r = ctx.rng("null:" + stream).random
            values = [None if r() < rate else v for v in values]
        return values

    # -------------------------------------------------------------------------- foreign keys

    def _fill_fk(self, compiled: CompiledTable, fp: ForeignKeyPlan, ctx: BatchContext) -> None:
        if fp.strategy == "deferred_update" or fp.ref_table not in self.stores:
            for c in fp.columns:
                ctx.columns[c] = [None] * ctx.n
            return
        store = self.stores[fp.ref_table]
        indices = self._parent_indices(compiled, fp, store, ctx)
        for col, ref in zip(fp.columns, fp.ref_columns):
            ctx.columns[col] = self._key_values(compiled, fp, store, ref, indices, ctx)
        wanted = compiled.parent_times.get(fp.name)
        if wanted is not None and fp.strategy not in ("tree", "deferred"):
            # the parent rows' times, for children that come after their parent
            ctx.columns[parent_key(fp.name, wanted)] = store.known(wanted, indices)

    def _parent_indices(
        self, compiled: CompiledTable, fp: ForeignKeyPlan, store: KeyStore, ctx: BatchContext
    ) -> list[int | None]:
        ne, nn = store.n_existing, _new_size(store, fp, compiled)
        lo = 0 if fp.use_existing else ne
        size = (ne if fp.use_existing else 0) + (nn if fp.use_new else 0)
        if fp.strategy == "tree":
            return self._tree_indices(compiled, fp, store, ctx)
        if size <= 0:
            if all(compiled.info.column(c).nullable for c in fp.columns):
                return [None] * ctx.n
            raise GenerationError(
                f"{compiled.name}: no rows in {fp.ref_table} to reference ({fp.name}).",
                table=compiled.name,
                constraint=fp.name,
                hint=f"Add rows to {fp.ref_table} in the same request.",
            )
        if fp.strategy == "one_to_one":
            seed = derive_seed(self.plan.seed, compiled.name, fp.name, "1:1")
            free = self._free_parents(compiled, fp, store, lo, size, seed)
            if free is not None:
                return [lo + j for j in free[ctx.start : ctx.start + ctx.n]]
            perm = Permutation(size, seed)
            return [lo + j for j in perm.many(ctx.start, ctx.n)]
        if fp.strategy == "pairs":
            return self._pair_indices(compiled, fp, ctx, lo, size)
        if fp.strategy == "per_parent":
            return self._per_parent_indices(compiled, fp, store, ctx)
        rng = ctx.rng("fk:" + fp.name)
        r = rng.random
        if fp.strategy == "deferred" and nn == 0 and ne == 0:
            raise GenerationError(f"{compiled.name}: the keys of {fp.ref_table} are not known yet.")
        if fp.distribution == "uniform":
            picks = [lo + int(r() * size) for _ in range(ctx.n)]
        else:
            # Zipf-like popularity: a few parents get many children, scattered over the keys
            perm = Permutation(size, derive_seed(self.plan.seed, fp.ref_table, "popularity"))
            a, b, m = perm.a, perm.b, perm.size  # perm(i), inlined: one call less per row
            picks = [lo + (a * int(size * r() ** 2.5) + b) % m for _ in range(ctx.n)]
        if fp.null_rate:
            rn = ctx.rng("fknull:" + fp.name).random
            return [None if rn() < fp.null_rate else p for p in picks]
        return picks

    def _tree_indices(
        self, compiled: CompiledTable, fp: ForeignKeyPlan, store: KeyStore, ctx: BatchContext
    ) -> list[int | None]:
        """Each row points at an earlier row (existing or new); roots are NULL when allowed."""
        nullable = all(compiled.info.column(c).nullable for c in fp.columns)
        r = ctx.rng("tree:" + fp.name).random
        ne = store.n_existing
        out: list[int | None] = []
        for i in range(ctx.start, ctx.start + ctx.n):
            earlier = ne + i
            if nullable and (earlier == 0 or r() < 0.15):
                out.append(None)
            elif earlier == 0:
                out.append(ne + i)  # the first row of a NOT NULL tree points at itself
            else:
                out.append(int(r() * earlier))
        return out

    def _free_parents(
        self,
        compiled: CompiledTable,
        fp: ForeignKeyPlan,
        store: KeyStore,
        lo: int,
        size: int,
        seed: int,
    ) -> list[int] | None:
        """One-to-one with existing child rows: the parents no child row holds yet."""
        taken = compiled.taken.get(fp.name)
        if not taken:
            return None
        cache = self.env.shared.setdefault("free_parents", {})
        key = (compiled.name, fp.name)
        if key not in cache:

            def valid(indices: list[int]) -> bool:
                value = tuple(
                    comparable(store.values(r, [lo + indices[0]])[0]) for r in fp.ref_columns
                )
                return value not in taken

            space = keys.ComboSpace((size,))
            found = keys.distinct_combos(space, seed, compiled.plan.count, valid) or []
            keys.check_enough(len(found), compiled.plan.count, compiled.name, fp.name, size)
            cache[key] = found
        return cache[key]

    def _pair_indices(
        self, compiled: CompiledTable, fp: ForeignKeyPlan, ctx: BatchContext, lo: int, size: int
    ) -> list[int | None]:
        group = fp.group or fp.name
        picks = ctx.entity("pairs:" + group, lambda c: self._group_picks(compiled, group, c))
        return picks[fp.name]

    def _group_picks(
        self, compiled: CompiledTable, group: str, ctx: BatchContext
    ) -> dict[str, list[int | None]]:
        """Parent indices for every FK of a group that must be distinct together."""
        fks = [g for g in compiled.fks if g.group == group]
        anchor = next((g for g in fks if g.strategy == "per_parent"), None)
        members = [g for g in fks if g is not anchor]
        offsets = [0 if g.use_existing else self.stores[g.ref_table].n_existing for g in members]
        space = keys.ComboSpace(tuple(max(self._group_size(compiled, g), 1) for g in members))
        seed = derive_seed(self.plan.seed, compiled.name, group, "pairs")
        if anchor is not None:
            store = self.stores[anchor.ref_table]
            parents, ranks = self._per_parent_rows(compiled, anchor, store, ctx)
            taken = self._taken_with_parent(compiled, group, anchor, members, offsets)
            columns = keys.partners_within_parent(space, seed, parents, ranks, taken)
        else:
            filtered = self._filtered_combos(compiled, group, members, offsets, space, seed)
            columns = keys.combos_for_rows(space, seed, ctx.start, ctx.n, filtered)
        return {
            g.name: [None if i is None else off + i for i in col]
            for g, off, col in zip(members, offsets, columns)
        }

    def _taken_with_parent(
        self,
        compiled: CompiledTable,
        group: str,
        anchor: ForeignKeyPlan,
        members: list[ForeignKeyPlan],
        offsets: list[int],
    ) -> Callable[[int, list[int]], bool] | None:
        """Whether an existing row already holds (parent, partners): only existing parents
        can have existing rows."""
        taken = compiled.taken.get(group)
        if not taken:
            return None
        order = group.split(",")
        parent_store = self.stores[anchor.ref_table]
        stores = [self.stores[g.ref_table] for g in members]

        def held(parent: int, indices: list[int]) -> bool:
            row = {
                c: parent_store.values(r, [parent])[0]
                for c, r in zip(anchor.columns, anchor.ref_columns)
            }
            for g, st, off, i in zip(members, stores, offsets, indices):
                for c, r in zip(g.columns, g.ref_columns):
                    row[c] = st.values(r, [off + i])[0]
            return tuple(comparable(row.get(c)) for c in order) in taken

        return held

    def _filtered_combos(
        self,
        compiled: CompiledTable,
        group: str,
        members: list[ForeignKeyPlan],
        offsets: list[int],
        space: keys.ComboSpace,
        seed: int,
    ) -> list[int] | None:
        """Combinations that satisfy the CHECKs on the group's columns, once per run."""
        cols = {c for g in members for c in g.columns}
        preds = [p for _, p, used in compiled.checks.predicates if used and used <= cols]
        taken = compiled.taken.get(group) or set()
        if not preds and not taken:
            return None
        order = group.split(",")
        cache = self.env.shared.setdefault("pair_combos", {})
        key = (compiled.name, group)
        if key not in cache:
            stores = [self.stores[g.ref_table] for g in members]

            def valid(indices: list[int]) -> bool:
                row: dict[str, Any] = {}
                for g, store, off, i in zip(members, stores, offsets, indices):
                    for col, ref in zip(g.columns, g.ref_columns):
                        row[col] = store.values(ref, [off + i])[0]
                if taken and tuple(comparable(row.get(c)) for c in order) in taken:
                    return False
                return all(checks_mod.passes(p, row) for p in preds)

            needed = compiled.plan.count
            found = keys.distinct_combos(space, seed, needed, valid) or []
            keys.check_enough(len(found), needed, compiled.name, group, space.total)
            cache[key] = found
        return cache[key]

    def _group_size(self, compiled: CompiledTable, fp: ForeignKeyPlan) -> int:
        store = self.stores[fp.ref_table]
        nn = _new_size(store, fp, compiled)
        return (store.n_existing if fp.use_existing else 0) + (nn if fp.use_new else 0)

    def _per_parent_layout(
        self, compiled: CompiledTable, fp: ForeignKeyPlan, store: KeyStore
    ) -> tuple[list[int], int]:
        """Cumulative child counts per parent row, and the index of the first parent."""
        cache = self.env.shared.setdefault("per_parent", {})
        key = (compiled.name, fp.name)
        if key not in cache:
            new = _new_size(store, fp, compiled)
            parents, offset = (new, store.n_existing) if new else (store.n_existing, 0)
            counts = per_parent_counts(
                self.plan.seed,
                compiled.name,
                fp.name,
                parents,
                fp.min_per_parent or 0,
                fp.max_per_parent or 0,
            )
            cache[key] = (list(itertools.accumulate(counts)), offset)
        return cache[key]

    def _per_parent_rows(
        self, compiled: CompiledTable, fp: ForeignKeyPlan, store: KeyStore, ctx: BatchContext
    ) -> tuple[list[int | None], list[int]]:
        """Each row's parent index and its rank among that parent's rows."""
        cumulative, offset = self._per_parent_layout(compiled, fp, store)
        parents: list[int | None] = []
        ranks: list[int] = []
        for i in range(ctx.start, ctx.start + ctx.n):
            j = bisect.bisect_right(cumulative, i)
            if j < len(cumulative):
                parents.append(offset + j)
                ranks.append(i - (cumulative[j - 1] if j else 0))
            else:
                parents.append(None)
                ranks.append(0)
        return parents, ranks

    def _per_parent_indices(
        self, compiled: CompiledTable, fp: ForeignKeyPlan, store: KeyStore, ctx: BatchContext
    ) -> list[int | None]:
        return self._per_parent_rows(compiled, fp, store, ctx)[0]

    def _key_values(
        self,
        compiled: CompiledTable,
        fp: ForeignKeyPlan,
        store: KeyStore,
        ref: str,
        indices: list[int | None],
        ctx: BatchContext,
    ) -> list[Any]:
        own = fp.ref_table == compiled.name
        if not (own and isinstance(store.new.get(ref), list)):
            return store.values(ref, indices)
        current = ctx.columns.get(ref)
        ne = store.n_existing
        built: dict[int, Any] = {}
        if current is None:
            # keys of this very batch are generated after the FK: make them first
            gen = compiled.generators.get(ref)
            if gen is not None:
                current = ctx.columns[ref] = gen.generate(ctx)
        out = []
        for idx in indices:
            if idx is None:
                out.append(None)
            elif idx >= ne + store.n_new:
                out.append(current[idx - ne - ctx.start] if current is not None else None)
            else:
                if idx not in built:
                    built[idx] = store.values(ref, [idx])[0]
                out.append(built[idx])
        return out

    # -------------------------------------------------------------------------- constraints

    def _avoid_existing(self, compiled: CompiledTable, ctx: BatchContext) -> None:
        """New unique values never equal existing ones (as the collation compares them).

        Generators already start after the existing rows' indices, so only values inserted by
        other means collide; those rows take the generator's value at a row index beyond this
        run's (distinct from every other value of the run by construction).
        """
        for name, (existing, key) in compiled.unique_existing.items():
            if not existing:
                continue
            values = ctx.columns[name]
            for j, v in enumerate(values):
                if v is not None and key(v) in existing:
                    values[j] = self._replacement(compiled, name, ctx, j, existing, key)

    def _replacement(
        self,
        compiled: CompiledTable,
        name: str,
        ctx: BatchContext,
        j: int,
        existing: set[Any],
        key: Callable[[Any], Any],
    ) -> Any:
        gen = compiled.generators[name]
        capacity = gen.capacity()
        offset = compiled.info.row_count if gen.shift_past_existing else 0
        for level in range(1, MAX_REPLACEMENT_LEVELS + 1):
            index = offset + ctx.start + j + level * max(compiled.plan.count, 1)
            if capacity is not None and index >= capacity:
                break
            view = BatchContext(
                table=ctx.table,
                batch=ctx.batch,
                start=index,
                n=1,
                env=ctx.env,
                columns={c: [v[j]] for c, v in ctx.columns.items()},
            )
            value = gen.generate(view)[0]
            if value is not None and key(value) not in existing:
                return value
        raise GenerationError(
            f"Cannot find a value for {compiled.name}.{name} that is not already in the table "
            f"(it must be unique and {len(existing):,} rows hold values).",
            table=compiled.name,
            column=name,
            hint="Widen the column's generator range in a saved plan (--save-plan, edit, "
            "--plan), or ask for fewer rows.",
        )

    def use_database_checks(self, conn: Connection) -> None:
        """Let the database judge the CHECKs Python cannot (inside the run's transaction)."""
        self.db_checks = check_rows.DatabaseChecks(conn, self.dialect)

    def finish(self) -> None:
        if self.db_checks is not None:
            self.db_checks.close()
        for (table, column), (redrawn, nulls) in self.nulled.items():
            count = self.tables[table].plan.count
            if redrawn * 2 > count:
                log.warning(
                    "%s.%s: %d of %d values are NULL: the values its generator made did not "
                    "pass the table's CHECKs, and NULL does. To fill it, set its generator in "
                    "a saved plan (--save-plan FILE, edit it, then --plan FILE).",
                    table,
                    column,
                    nulls,
                    count,
                )

    def _enforce_checks(self, compiled: CompiledTable, ctx: BatchContext) -> None:
        """Redraw rows that a CHECK would reject; give up with a clear error after many tries."""
        predicates = compiled.checks.predicates
        judged = compiled.judged if self.db_checks is not None else []
        if not predicates and not judged:
            return
        involved = set(compiled.checks.involved())
        failing = self._rejected(compiled, ctx, range(ctx.n), judged)
        attempt = 0
        redrawn: set[int] = set()
        while failing:
            redrawn.update(failing)
            attempt += 1
            redraw = [c for c in compiled.order if c in involved and c not in compiled.fixed]
            redraw = _with_dependents(compiled, redraw)
            redraw_fks = [
                fp
                for fp in compiled.fks
                if set(fp.columns) & involved and fp.strategy in ("draw", "tree")
            ]
            if attempt > MAX_REDRAWS or not (redraw or redraw_fks):
                # NULL where the plan allows it, when that is what passes; else give up
                failing = self._nulled(compiled, ctx, failing, involved, judged)
                if failing:
                    raise _unsatisfiable(compiled, ctx, failing[0], judged)
                break
            retry = BatchContext(
                table=ctx.table,
                batch=ctx.batch,
                start=ctx.start,
                n=ctx.n,
                env=ctx.env,
                columns=dict(ctx.columns),
                attempt=attempt,
            )
            for fp in redraw_fks:
                self._fill_fk(compiled, fp, retry)
            for name in redraw:
                retry.columns[name] = self._column(compiled, name, retry)
            changed = redraw + [c for fp in redraw_fks for c in fp.columns]
            for name in changed:
                target, source = ctx.columns[name], retry.columns[name]
                for j in failing:
                    target[j] = source[j]
            failing = self._rejected(compiled, ctx, failing, judged)
        if redrawn:
            self._count_nulled(compiled, ctx, redrawn, involved)

    def _count_nulled(
        self, compiled: CompiledTable, ctx: BatchContext, redrawn: set[int], involved: set[str]
    ) -> None:
        """Tally the redrawn rows of the CHECKs' nullable columns that passed as NULL (see
        ``finish``)."""
        for name in involved & compiled.null_rates.keys():
            values = ctx.columns[name]
            nulled = sum(1 for j in redrawn if values[j] is None)
            if nulled:
                tally = self.nulled.setdefault((compiled.name, name), [0, 0])
                tally[0] += nulled
                tally[1] += values.count(None)

    def _nulled(
        self,
        compiled: CompiledTable,
        ctx: BatchContext,
        failing: list[int],
        involved: set[str],
        judged: list[Any],
    ) -> list[int]:
        """The rows still failing once the CHECKs' nullable columns (those the plan leaves
        NULL at times) are NULL in the rows no redraw could mend."""
        nullable = [c for c in compiled.order if c in involved and c in compiled.null_rates]
        if not nullable:
            return failing
        before = {c: [ctx.columns[c][j] for j in failing] for c in nullable}
        for c in nullable:
            for j in failing:
                ctx.columns[c][j] = None
        still = self._rejected(compiled, ctx, failing, judged)
        unmended = set(still)
        for c in nullable:  # a row NULL did not mend keeps its values, for the error
            for j, value in zip(failing, before[c]):
                if j in unmended:
                    ctx.columns[c][j] = value
        return still

    def _rejected(
        self, compiled: CompiledTable, ctx: BatchContext, rows: Any, judged: list[Any]
    ) -> list[int]:
        """Rows Python rejects, then among the others, rows the database rejects."""
        checks = compiled.checks
        failing = check_rows.failing_rows(checks.predicates, ctx.columns, rows, checks.intervals)
        if judged and self.db_checks is not None:
            bad = set(failing)
            rest = [j for j in rows if j not in bad]
            cols = [c for c in compiled.columns if c in ctx.columns]
            failing += sorted(
                self.db_checks.rejected(
                    compiled.info,
                    compiled.name,
                    judged,
                    cols,
                    ctx.columns,
                    rest,
                    lambda c, v: _adapt(compiled, c, v),
                )
            )
        return sorted(failing)

    # -------------------------------------------------------------------------- cycles

    def deferred_updates(
        self, table: str
    ) -> Iterator[tuple[list[str], list[str], list[tuple[Any, ...]]]]:
        """For FKs inserted as NULL: (set columns, key columns, rows of values + key)."""
        compiled = self.tables[table]
        deferred = [fp for fp in compiled.fks if fp.strategy == "deferred_update"]
        if not deferred:
            return
        key_cols = _row_key(compiled.info)
        store = self.stores[table]
        for fp in deferred:
            draw = fp.model_copy(update={"strategy": "draw", "null_rate": 0.0})
            parent = self.stores[fp.ref_table]
            for k in range(self.batch_count(table)):
                start = k * self.batch_size
                n = min(self.batch_size, compiled.plan.count - start)
                ctx = BatchContext(
                    table=table, batch=k, start=start, n=n, env=self.env, attempt=7919
                )
                indices = self._parent_indices(compiled, draw, parent, ctx)
                sets = [parent.values(ref, indices) for ref in fp.ref_columns]  # type: ignore[arg-type]
                keys = [_new_values(store, c, start, n) for c in key_cols]
                adapters = [compiled.adapters.get(c) for c in list(fp.columns) + key_cols]
                rows = []
                for values in zip(*sets, *keys):
                    rows.append(
                        tuple(
                            v if a is None or v is None else a(v) for v, a in zip(values, adapters)
                        )
                    )
                yield list(fp.columns), key_cols, rows


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _identity(value: Any) -> Any:
    return value


def comparable(value: Any) -> Any:
    """One form for a value as generated and as read back, whatever the driver returns:
    numbers as Decimal, times as naive UTC ISO text, UUIDs as text, booleans as 0/1."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (int, decimal.Decimal)):
        return value
    if isinstance(value, float):
        return decimal.Decimal(repr(value))
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    return str(value)


def _comparing(fold: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """How a unique value is compared with the existing ones read back from the database: in
    one comparable form (whatever the driver returns), folded by the column's collation."""

    def key(value: Any) -> Any:
        value = comparable(value)
        if isinstance(value, decimal.Decimal):
            value = value.normalize()
        return fold(value)

    return key


def _new_size(store: KeyStore, fp: ForeignKeyPlan, compiled: CompiledTable) -> int:
    col = fp.ref_columns[0]
    reserved = store.new.get(col)
    return len(reserved) if isinstance(reserved, range) else store.n_new


def _new_values(store: KeyStore, column: str, start: int, n: int) -> list[Any]:
    values = store.new[column]
    return list(values[start : start + n])


def _row_key(table: TableInfo) -> list[str]:
    if table.primary_key:
        return list(table.primary_key)
    for u in table.uniques:
        if all(not table.column(c).nullable for c in u.columns):
            return list(u.columns)
    raise PlanError(
        f"{table.name} has no primary key or NOT NULL unique key, so its rows cannot be updated "
        "one by one to close a foreign-key cycle.",
        table=table.name,
    )


def _normalizers(
    model: checks_mod.CheckModel, gens: dict[str, Generator]
) -> dict[str, Callable[[str], str]]:
    """For each generated column a CHECK keeps lowered, uppered or trimmed, the function that
    puts made text in that form (``email = lower(email)``)."""
    found: dict[str, Callable[[str], str]] = {}
    for name, dom in model.domains.items():
        steps = [checks_mod.NORMALIZE[how] for how in dom.normalize]
        if name not in gens or not steps:
            continue
        if len(steps) == 1:
            found[name] = steps[0]
        else:
            found[name] = functools.reduce(lambda f, g: lambda v: g(f(v)), steps)
    return found


def _narrowed(col: Any, model: checks_mod.CheckModel) -> Any:
    """The column as generators should see it: CHECK length limits become the type's length."""
    from dataclasses import replace

    dom = model.domain(col.name)
    if dom is None or dom.max_length is None:
        return col
    length = dom.max_length if col.type.length is None else min(col.type.length, dom.max_length)
    return replace(col, type=replace(col.type, length=length))


def _parent_times(tplan: TablePlan, meta: SchemaMetadata) -> dict[str, tuple[str, str]]:
    """fk -> (parent table, parent time column) for the plan's ``after_parent`` columns."""
    out: dict[str, tuple[str, str]] = {}
    for cp in tplan.columns:
        if cp.generator != "after_parent":
            continue
        fk, column = cp.params.get("fk"), cp.params.get("column")
        plan = next((f for f in tplan.foreign_keys if f.name == fk), None)
        if plan is None or not isinstance(column, str) or plan.ref_table not in meta.tables:
            continue
        if meta.table(plan.ref_table).has_column(column):
            out[plan.name] = (plan.ref_table, column)
    return out


def _check_dependencies(tplan: TablePlan, gens: dict[str, Generator]) -> None:
    """Every column a generator reads from its row ("after created_at") is filled by the plan."""
    filled = {c for fp in tplan.foreign_keys for c in fp.columns} | set(gens)
    for name, gen in gens.items():
        for needed in gen.depends_on:
            if needed not in filled:
                raise PlanError(
                    f"{tplan.table}.{name}: {gen.name} reads column {needed!r} of the same row, "
                    "which the plan does not fill." + did_you_mean(str(needed), filled),
                    table=tplan.table,
                    column=name,
                )


def _generation_order(gens: dict[str, Generator]) -> list[str]:
    import graphlib

    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for name, gen in gens.items():
        sorter.add(name, *[d for d in gen.depends_on if d in gens])
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as exc:
        raise PlanError(f"Generators depend on each other in a circle: {exc.args[1]}") from None
    return [n for n in order if n in gens]


def _with_dependents(compiled: CompiledTable, names: list[str]) -> list[str]:
    chosen = set(names)
    for name in compiled.order:
        if name in chosen or name in compiled.fixed:
            continue
        if set(compiled.generators[name].depends_on) & chosen:
            chosen.add(name)
    return [n for n in compiled.order if n in chosen]


def _adapt(compiled: CompiledTable, column: str, values: list[Any]) -> list[Any]:
    adapter = compiled.adapters.get(column)
    return values if adapter is None else adapt_column(adapter, values)


def _unsatisfiable(
    compiled: CompiledTable, ctx: BatchContext, j: int, judged: list[Any]
) -> GenerationError:
    """The error for a row no redraw could fix, naming the CHECK."""
    failed = [
        check
        for check, predicate, cols in compiled.checks.predicates
        if not checks_mod.passes(predicate, check_rows.row_values(ctx.columns, j, cols))
    ] or judged
    check = failed[0]
    return GenerationError(
        f"Cannot generate a row of {compiled.name} that satisfies CHECK "
        f"{check.name or ''} ({check.sqltext}).",
        table=compiled.name,
        constraint=check.name,
        hint="Set generators for its columns in a saved plan (--save-plan, edit, --plan).",
    )
