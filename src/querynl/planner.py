"""(request, schema) -> DataGenerationPlan, offline and deterministic.

The planner decides which tables get how many rows, in what order they are inserted, how each
column is filled (a catalogue generator and its parameters) and how each foreign key finds its
parent rows. It checks feasibility before anything is generated: explicit counts that the
constraints cannot meet are refused with the largest count that works; default counts shrink.
"""

from __future__ import annotations

import datetime as dt
import graphlib
import re
import secrets
from dataclasses import dataclass
from typing import Any

from . import checks as checks_mod
from . import generators, semantics, timeline
from .dialects import dialect_for
from .errors import PlanError, RequestError, SchemaError, did_you_mean
from .generators import regex_shape
from .generators.base import MAX_DAYS, BatchContext, RunEnv
from .generators.pools import Pools
from .generators.vocabulary import status_weights
from .meanings import NULL_RATES
from .models import (
    ColumnInfo,
    ColumnPlan,
    CycleBreak,
    DataGenerationPlan,
    ForeignKeyInfo,
    ForeignKeyPlan,
    SchemaMetadata,
    TableInfo,
    TablePlan,
    TestDataRequest,
)
from .planner_feasibility import Feasibility
from .request_details import RequestDetails
from .totals import find_totals

MAX_ROWS_PER_TABLE = 100_000_000
DEFAULT_ROOT_COUNT = 10
DEFAULT_CHILD_STEP = 5
DEFAULT_MAX = 20
OPTIONAL_NULL_RATE = 0.1
# texts made to see whether a generator matches the regular expression of a CHECK
REGEX_SAMPLE = 200

# Type kind -> (generator, params) when a column's name says nothing.
TYPE_DEFAULTS: dict[str, tuple[str, dict[str, Any]]] = {
    "integer": ("integer", {"min": 1, "max": 1000}),
    "decimal": ("decimal", {"min": 0.0, "max": 1000.0}),
    "money": ("decimal", {"min": 1.0, "max": 500.0, "style": "price"}),
    "float": ("float", {"min": 0.0, "max": 1000.0}),
    "string": ("text", {"style": "words", "min_words": 1, "max_words": 3}),
    "text": ("text", {"style": "sentence"}),
    "boolean": ("boolean", {}),
    "date": ("date", {}),
    "datetime": ("datetime", {}),
    "time": ("time", {}),
    "interval": ("interval", {}),
    "uuid": ("uuid", {}),
    "json": ("json", {}),
    "binary": ("binary", {}),
    "year": ("integer", {"min": 1990, "max": 2030}),
    "bit": ("bits", {}),
    "inet": ("ipv4", {}),
    "cidr": ("ipv4", {}),
    "macaddr": ("mac_address", {}),
    "array": ("array", {}),
    "range": ("range", {}),
    "tsvector": ("text", {"style": "words", "min_words": 2, "max_words": 6}),
    "xml": ("xml", {}),
    "geometry": ("geometry", {}),
    "spatial": ("spatial", {}),
}


@dataclass(frozen=True)
class PlanOptions:
    """Settings that shape a plan besides the request itself."""

    seed: int | None = None
    now: dt.date | None = None
    locale: str = "en_US"
    default_count: int | None = None


def build_plan(
    request: TestDataRequest, meta: SchemaMetadata, options: PlanOptions | None = None
) -> DataGenerationPlan:
    """The offline plan for ``request`` on ``meta``.

    >>> plan = build_plan(parse_request("add 5 users", meta), meta)  # doctest: +SKIP
    """
    options = options or PlanOptions()
    if not meta.tables:
        raise SchemaError("The database has no tables.", hint="Create a schema first.")
    seed = request.seed if request.seed is not None else options.seed
    if seed is None:
        seed = secrets.randbelow(2**31)
    now = options.now or dt.datetime.now(dt.timezone.utc).date()
    locale = request.locale or options.locale
    planner = _Planner(request, meta, seed, now, locale, options)
    return planner.run()


def explain(
    meta: SchemaMetadata, options: PlanOptions | None = None, domain: str | None = None
) -> list[TablePlan]:
    """How every column of every table would be filled, without counts or feasibility:
    what ``querynl schema --explain`` shows.

    >>> [cp.note for cp in explain(meta)[0].columns]  # doctest: +SKIP
    ['continues after existing keys', 'email', 'first name', ...]
    """
    options = options or PlanOptions()
    now = options.now or dt.datetime.now(dt.timezone.utc).date()
    request = TestDataRequest(domain=domain)
    planner = _Planner(request, meta, options.seed or 0, now, options.locale, options)
    planner.counts = dict.fromkeys(meta.tables, 1)
    plans = []
    for name in meta.tables:
        try:
            plans.append(planner._table_plan(meta.table(name), []))
        except PlanError as exc:  # one table the planner cannot fill does not hide the others
            plans.append(TablePlan(table=name, count=0, note=exc.message))
    return plans


class _Planner(Feasibility):
    def __init__(
        self,
        request: TestDataRequest,
        meta: SchemaMetadata,
        seed: int,
        now: dt.date,
        locale: str,
        options: PlanOptions,
    ) -> None:
        self.request = request
        self.meta = meta
        self.seed = seed
        self.now = now
        self.locale = locale
        self.options = options
        self.dialect = dialect_for(meta.dialect)
        self.env = RunEnv(seed=seed, now=now, locale=locale, pools=Pools(locale))
        self.notes: list[str] = []
        self.counts: dict[str, int] = {}
        self.reasons: dict[str, str] = {}
        self.explicit: set[str] = set()
        self.checks: dict[str, checks_mod.CheckModel] = {}
        self.details = RequestDetails(request, now)
        # vocabularies: the request's domain ("medical data"), else what the tables say
        self.domain = request.domain or semantics.schema_domain(meta.table_names)
        self.problems: list[str] = []  # what makes the request impossible, all reported at once
        self.parent_roots: dict[str, tuple[str, str]] = {}  # table -> (first time, meaning)

    # -------------------------------------------------------------------------- orchestration

    def run(self) -> DataGenerationPlan:
        self._validate_request_tables()
        self._choose_counts()
        order, breaks = self._order()
        self.parent_roots.update(timeline.existing_roots(self.meta, self.counts, self.domain))
        tables = [self._table_plan(self.meta.table(name), breaks) for name in order]
        tables = [t for t in tables if t.count > 0]
        self.notes.extend(self.details.leftovers())
        self._feasibility(tables)
        self._sync_per_parent(tables)
        totals = find_totals(tables, self.meta, self.domain)
        self.notes.extend(t.note for t in totals)
        plan = DataGenerationPlan(
            dialect=self.meta.dialect,
            schema_name=self.meta.schema,
            seed=self.seed,
            now=self.now,
            locale=self.locale,
            domain=self.domain,
            tables=tables,
            cycle_breaks=breaks,
            totals=totals,
            notes=self.notes,
            request=self.request,
        )
        plan.rationale = rationale(plan)
        return plan

    def _validate_request_tables(self) -> None:
        names = self.meta.table_names
        mentioned = list(self.request.counts) + list(self.request.tables or [])
        mentioned += list(self.request.exclude)
        for name in mentioned:
            if name not in self.meta.tables:
                raise RequestError(
                    f"There is no table {name!r}." + did_you_mean(name, names),
                    hint="Tables: " + ", ".join(names),
                )
        for name, count in self.request.counts.items():
            if count <= 0:
                raise RequestError(f"The count for {name} must be a positive number, not {count}.")
            if count > MAX_ROWS_PER_TABLE:
                raise RequestError(
                    f"{count:,} rows for {name} is more than the limit of {MAX_ROWS_PER_TABLE:,}."
                )

    # -------------------------------------------------------------------------- counts

    def _choose_counts(self) -> None:
        req = self.request
        if req.tables:
            selected = list(req.tables)
        elif req.all_tables:
            selected = [t for t in self.meta.table_names if t not in req.exclude]
            for name in list(selected):
                source = self.meta.table(name).filled_by_trigger
                if source and name not in req.counts:
                    selected.remove(name)
                    self.notes.append(
                        f"{name} is left out: an INSERT trigger on {source} fills it."
                    )
            selected = self._without_filled_bystanders(selected)
        else:
            selected = list(req.counts)
        depth = _depths(self.meta)
        for name in selected:
            if name in req.counts:
                self.counts[name] = req.counts[name]
                self.reasons[name] = "requested"
                self.explicit.add(name)
            else:
                self.counts[name] = self._default_count(name, depth)
                self.reasons[name] = "default"
        self._apply_cardinalities()
        self._add_required_parents(depth)

    def _without_filled_bystanders(self, selected: list[str]) -> list[str]:
        """A request that names tables ("add 30 posts") fills the empty tables around them
        with defaults, but does not grow a table it did not name that already holds rows:
        the named tables reference those rows."""
        req = self.request
        named = set(req.counts) | {c.child for c in req.cardinalities}
        named |= {c.parent for c in req.cardinalities}
        if not named or req.default_count:
            return selected
        kept = []
        for name in selected:
            rows = self.meta.table(name).row_count
            if name in named or rows == 0:
                kept.append(name)
            else:
                self.notes.append(
                    f"{name} already holds {rows:,} rows and is not named: kept as is."
                )
        return kept

    def _default_count(self, name: str, depth: dict[str, int]) -> int:
        if self.request.default_count:
            return self.request.default_count
        if self.options.default_count:
            return self.options.default_count
        return min(DEFAULT_MAX, DEFAULT_ROOT_COUNT + DEFAULT_CHILD_STEP * depth.get(name, 0))

    def _apply_cardinalities(self) -> None:
        from .schema_design.data_synthesizer import per_parent_counts

        for card in self.request.cardinalities:
            child = self.meta.tables.get(card.child)
            if child is None or card.parent not in self.meta.tables:
                raise RequestError(f"Unknown table in '{card.parent} → {card.child}'.")
            fk = _fk_to(child, card.parent)
            if fk is None:
                raise RequestError(
                    f"{card.child} has no foreign key to {card.parent}, so rows of "
                    f"{card.child} cannot be counted per {card.parent}."
                )
            parents = self.counts.get(card.parent) or self.meta.table(card.parent).row_count
            if card.parent not in self.counts and parents == 0:
                self.counts[card.parent] = self._default_count(card.parent, _depths(self.meta))
                self.reasons[card.parent] = "required parent"
                parents = self.counts[card.parent]
            if any(set(u) <= set(fk.columns) for u in child.unique_sets) and card.max > 1:
                raise RequestError(
                    f"Each {card.parent} row can have at most one {card.child} row "
                    f"({', '.join(fk.columns)} is unique), not {card.min}-{card.max}.",
                    hint=f'Ask for "each {card.parent} with 0-1 {card.child}", or drop the count.',
                )
            total = sum(
                per_parent_counts(self.seed, card.child, fk.label, parents, card.min, card.max)
            )
            if card.child in self.request.counts and self.request.counts[card.child] != total:
                self.notes.append(
                    f"{card.child}: {card.min}-{card.max} per {card.parent} gives {total:,} rows; "
                    f"the count {self.request.counts[card.child]:,} is not used."
                )
            self.counts[card.child] = total
            self.reasons[card.child] = "per parent"
            self.explicit.add(card.child)

    def _add_required_parents(self, depth: dict[str, int]) -> None:
        pending = [n for n, c in self.counts.items() if c > 0]
        while pending:
            name = pending.pop()
            for fk in self.meta.table(name).foreign_keys:
                parent = fk.ref_table
                if parent == name or parent not in self.meta.tables:
                    continue
                table = self.meta.table(name)
                nullable = all(table.column(c).nullable for c in fk.columns)
                if nullable or self.meta.table(parent).row_count > 0:
                    continue
                if parent in self.counts:
                    if self.reasons.get(parent) == "default" and self.explicit & {name}:
                        # filled anyway, but because the named table needs it: say so
                        self.reasons[parent] = "required parent"
                        self.notes.append(
                            f"{parent} is empty and {name} requires it ({fk.label}): "
                            f"adding {self.counts[parent]} rows."
                        )
                    continue
                if parent in self.request.exclude:
                    raise RequestError(
                        f"{name} needs rows in {parent} ({fk.label}), but {parent} is excluded "
                        "and empty.",
                        hint=f"Do not exclude {parent}, or add rows to it first.",
                    )
                self.counts[parent] = self._default_count(parent, depth)
                self.reasons[parent] = "required parent"
                self.notes.append(
                    f"{parent} is empty and {name} requires it ({fk.label}): "
                    f"adding {self.counts[parent]} rows."
                )
                pending.append(parent)

    # -------------------------------------------------------------------------- order, cycles

    def _order(self) -> tuple[list[str], list[CycleBreak]]:
        active = [n for n in self.meta.tables if self.counts.get(n, 0) > 0]
        edges = {
            (fk.ref_table, n, fk.label): fk
            for n in active
            for fk in self.meta.table(n).foreign_keys
            if fk.ref_table in self.counts and fk.ref_table != n and self.counts[fk.ref_table] > 0
        }
        breaks: list[CycleBreak] = []
        while True:
            sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
            for n in active:
                sorter.add(n)
            for parent, child, _ in edges:
                sorter.add(child, parent)
            try:
                return list(sorter.static_order()), breaks
            except graphlib.CycleError as exc:
                cycle = list(dict.fromkeys(exc.args[1]))
                key, strategy = self._break_cycle(cycle, edges)
                fk = edges.pop(key)
                breaks.append(_cycle_break(cycle, key, fk, strategy))

    def _break_cycle(
        self, cycle: list[str], edges: dict[tuple[str, str, str], ForeignKeyInfo]
    ) -> tuple[tuple[str, str, str], str]:
        """The edge to break and how: a nullable one first, else one checked at commit."""
        members = set(cycle)
        candidates = [k for k in edges if k[0] in members and k[1] in members]
        for key in candidates:
            table = self.meta.table(key[1])
            if all(table.column(c).nullable for c in edges[key].columns):
                return key, "null_then_update"
        for key in candidates:
            how = self.dialect.cycle_strategy(edges[key])
            if how and self._keys_known_in_advance(edges[key]):
                return key, how
        labels = ", ".join(edges[k].label for k in candidates)
        # reported with every other problem; the analysis goes on as if it were broken
        self.problems.append(
            f"{', '.join(cycle)}: these tables reference each other through NOT NULL foreign "
            f"keys ({labels}) and none of them can be filled first (make one of these "
            "columns nullable or DEFERRABLE, or give a referenced table an integer key)."
        )
        return candidates[0], "deferred"

    def _keys_known_in_advance(self, fk: ForeignKeyInfo) -> bool:
        """True when the parent's referenced key is a generated integer sequence."""
        parent = self.meta.table(fk.ref_table)
        if list(fk.ref_columns) != list(parent.primary_key) or len(fk.ref_columns) != 1:
            return False
        col = parent.column(fk.ref_columns[0])
        return col.type.kind == "integer"

    # -------------------------------------------------------------------------- tables

    def _table_plan(self, table: TableInfo, breaks: list[CycleBreak]) -> TablePlan:
        model = checks_mod.analyse(table, self.meta.dialect)
        self.checks[table.key] = model
        for i, (check, why) in enumerate(model.unreadable):
            cols = ", ".join(sorted(model.unreadable_columns.get(i, ()))) or "its columns"
            self.notes.append(
                f"CHECK {check.name or check.sqltext} on {table.key} is not understood "
                f"({why[:60]}); the database judges each batch and rejected rows are redrawn. "
                f"To choose the values yourself, set the generators of {cols} in a saved plan "
                "(--save-plan FILE, edit, --plan FILE)."
            )
        broken = {
            b.foreign_key: ("deferred_update" if b.strategy == "null_then_update" else "deferred")
            for b in breaks
            if b.table == table.key
        }
        fk_plans = self._fk_plans(table, broken)
        fk_columns = {c: fp.name for fp in fk_plans for c in fp.columns}
        unique_cols = self._unique_columns(table, fk_plans)
        columns: list[ColumnPlan] = []
        skipped: dict[str, str] = {}
        for col in table.columns:
            if col.computed:
                skipped[col.name] = "computed by the database"
                continue
            if col.name in fk_columns:
                columns.append(
                    ColumnPlan(
                        name=col.name, generator="foreign_key", params={"fk": fk_columns[col.name]}
                    )
                )
                continue
            plan = self._column_plan(table, col, model.domain(col.name), col.name in unique_cols)
            if plan is None:
                skipped[col.name] = f"filled by its default ({col.default})"
                continue
            columns.append(plan)
        root = timeline.order_times(table, columns)
        timeline.follow_parent(table, root, fk_plans, self.parent_roots)
        _order_related(table, model, columns)
        tplan = TablePlan(
            table=table.key,
            count=self.counts[table.key],
            reason=self.reasons.get(table.key, "default"),  # type: ignore[arg-type]
            columns=columns,
            foreign_keys=fk_plans,
            skipped=skipped,
            existing_rows=table.row_count,
        )
        self.details.apply(table, tplan, model)
        timeline.age_from_birth(tplan.columns)
        found = timeline.root_time(tplan)
        if found is not None:
            self.parent_roots[table.key] = found
        return tplan

    def _unique_columns(self, table: TableInfo, fk_plans: list[ForeignKeyPlan]) -> set[str]:
        """Columns generated as unique; a composite UNIQUE is kept by one unique member."""
        fk_cols = {c for fp in fk_plans for c in fp.columns}
        model = self.checks.get(table.key) or checks_mod.CheckModel()
        unique: set[str] = set()
        for cols in table.unique_sets:
            free = [c for c in cols if c not in fk_cols and not table.column(c).computed]
            if not free:
                # a unique computed column is kept unique through the columns it is made of
                free = [c for c in _sources(table, cols) if c not in fk_cols]
            if not free:
                continue  # made of foreign keys only: "pairs" / "one_to_one" handle it
            if len(cols) == 1 or not any(c in unique for c in free):
                unique.add(_widest(table, free, model))
        return unique

    def _matching(
        self,
        table: TableInfo,
        col: ColumnInfo,
        chosen: tuple[str, dict[str, Any]],
        domain: checks_mod.Domain,
        unique: bool,
    ) -> tuple[str, dict[str, Any], str | None]:
        """A generator whose texts match the regular expressions of the column's CHECKs:
        the one chosen when a sample of its texts does, else one the expression describes
        (its words, or its shape); the note says why it changed."""
        try:
            tests = [
                re.compile(regex_shape.for_python(p), re.I if fold else 0)
                for p, fold in domain.regexes
            ]
        except re.error:
            return (*chosen, None)  # the database judges it, as any CHECK it cannot read
        if self._sample_matches(table, col, chosen, unique, tests):
            return (*chosen, None)
        for pattern, _ in domain.regexes:
            words = None if unique else regex_shape.alternatives(pattern)
            other = ("choice", {"values": words}) if words else ("regex", {"pattern": pattern})
            if self._sample_matches(table, col, other, unique, tests):
                return (*other, "matches the regular expression of its CHECK")
        return (*chosen, None)

    def _sample_matches(
        self,
        table: TableInfo,
        col: ColumnInfo,
        candidate: tuple[str, dict[str, Any]],
        unique: bool,
        tests: list[re.Pattern[str]],
    ) -> bool:
        """Whether a sample of the generator's texts passes every test."""
        name, params = candidate
        rows = self.counts.get(table.key, 0) + table.row_count
        try:
            made = generators.build(name, params, col, table, self.env, unique=unique, rows=rows)
            ctx = BatchContext(table=table.name, batch=0, start=0, n=REGEX_SAMPLE, env=self.env)
            values = made.generate(ctx)
        except (ValueError, TypeError, KeyError, IndexError, PlanError):
            return False  # it cannot be made alone (it reads another column) or at all
        texts = [v for v in values if v is not None]
        return bool(texts) and all(
            isinstance(v, str) and all(t.search(v) for t in tests) for v in texts
        )

    def _fk_plans(self, table: TableInfo, broken: dict[str, str]) -> list[ForeignKeyPlan]:
        plans = []
        cards = {c.parent: c for c in self.request.cardinalities if c.child == table.key}
        fk_only_sets = [
            s
            for s in table.unique_sets
            if s and all(any(c in fk.columns for fk in table.foreign_keys) for c in s)
        ]
        for fk in table.foreign_keys:
            if fk.ref_table not in self.meta.tables:
                self.notes.append(f"{table.name}: {fk.label} points outside the schema; left NULL.")
            model = self.checks.get(table.key)
            nullable = all(
                table.column(c).nullable and not (model and model.not_null(c)) for c in fk.columns
            )
            plan = ForeignKeyPlan(
                name=fk.label,
                columns=list(fk.columns),
                ref_table=fk.ref_table,
                ref_columns=list(fk.ref_columns),
                null_rate=OPTIONAL_NULL_RATE if nullable else 0.0,
                use_new=self.counts.get(fk.ref_table, 0) > 0,
                declared=fk.declared,
                distribution=self.request.spread or "zipf",
            )
            if fk.label in broken:
                plan.null_rate = 0.0
                plan.strategy = broken[fk.label]
                plan.note = (
                    "inserted as NULL, updated after both tables are filled"
                    if plan.strategy == "deferred_update"
                    else "checked when the transaction commits"
                )
            elif fk.ref_table == table.key:
                plan.strategy = "tree"
                plan.note = "rows point at earlier rows of the same table"
            elif any(set(s) <= set(fk.columns) for s in table.unique_sets):
                plan.strategy, plan.null_rate = "one_to_one", 0.0
                plan.note = "each parent row is used at most once"
            elif any(set(fk.columns) & set(s) and len(s) > len(fk.columns) for s in fk_only_sets):
                group = next(s for s in fk_only_sets if set(fk.columns) <= set(s))
                plan.group = ",".join(group)
                plan.null_rate = 0.0
                card = cards.pop(fk.ref_table, None)
                if card is not None:
                    # counted per parent: the group's other keys are distinct within each parent
                    _per_parent(plan, card)
                else:
                    plan.strategy = "pairs"
                    plan.note = "distinct combinations of parent rows"
            elif fk.ref_table in cards:
                _per_parent(plan, cards.pop(fk.ref_table))
            plans.append(plan)
        return plans

    def _column_plan(
        self, table: TableInfo, col: ColumnInfo, domain: checks_mod.Domain | None, unique: bool
    ) -> ColumnPlan | None:
        kind = col.type.kind
        not_null = not col.nullable or (domain is not None and domain.not_null)
        null_rate = 0.0 if (not_null or unique) else OPTIONAL_NULL_RATE
        note = None
        if col.autoincrement or (
            col.name in table.primary_key and len(table.primary_key) == 1 and kind == "integer"
        ):
            start = table.next_key if col.name in table.primary_key else None
            if domain is not None and isinstance(domain.low, int):
                start = max(start or 1, domain.low + (1 if domain.low_strict else 0))
            return ColumnPlan(
                name=col.name,
                generator="sequence",
                params={"start": start} if start else {},
                unique=True,
                note="continues after existing keys",
            )
        choice = self._choice_values(col, domain)
        if choice is not None:
            gen, params = (
                ("set", {"values": choice}) if kind == "set" else ("choice", {"values": choice})
            )
            meaning = "allowed values"
            weights = status_weights(choice) if kind != "set" else None
            if weights is not None and len(choice) > 1:
                params["weights"] = weights
                meaning = "allowed values, a plausible mix"
        else:
            guessed = semantics.guess(col, table, self.domain)
            examples = _like_examples(domain) if kind in ("string", "text") else None
            if guessed is not None:
                gen, params, meaning = guessed
            elif examples and not unique:
                gen, params, meaning = "choice", {"values": examples}, "matches the CHECK's LIKE"
            elif kind in TYPE_DEFAULTS:
                gen, params = TYPE_DEFAULTS[kind]
                params, meaning = dict(params), f"any {kind}"
            elif col.has_default:
                return None
            elif col.nullable:
                gen, params, meaning = "null", {}, "unsupported type"
                note = f"type {col.type.sql} is not generated; left NULL"
                self.notes.append(f"{table.name}.{col.name}: {note}.")
            else:
                raise PlanError(
                    f"Cannot generate values for {table.name}.{col.name} of type {col.type.sql}.",
                    table=table.name,
                    column=col.name,
                    hint="Give the column a DEFAULT, make it nullable, or set its generator in a "
                    "saved plan (--save-plan, edit, --plan).",
                )
        if kind in ("uuid", "spatial") and gen not in (kind, "null", "choice"):
            gen, params = kind, {}
        if unique and not generators.get(gen).natively_unique:
            gen, params = _unique_fallback(col)
        elif unique and gen in ("integer", "decimal"):
            # realistic ranges are not limits: a unique column may need the whole type
            params = {k: v for k, v in params.items() if k not in ("min", "max")}
        elif unique and gen in ("date", "datetime") and kind in ("date", "year"):
            # one day per row: a window long enough for every row, old and new
            needed = self.counts.get(table.key, 0) + table.row_count
            params = dict(params)
            params["days_back"] = min(max(params.get("days_back", 730), needed), MAX_DAYS)
        params = _apply_domain(gen, params, domain, col)
        fractions = kind == "float" or (kind == "decimal" and (col.type.scale or 0) > 0)
        if gen == "integer" and fractions and domain is not None:
            low, high = params.get("min"), params.get("max")
            if low is not None and high is not None and high - low < 10:
                # a CHECK leaves a column that holds fractions only a few whole numbers
                # (score between -1 and 1, rating between 1 and 5): fractions between them
                gen, params = "decimal", _apply_domain("decimal", {}, domain, col)
        form = domain.form if domain is not None else None
        if form and kind in ("string", "text", "unknown") and gen != form and not unique:
            # the CHECK asks the text to read as JSON, a day or a time
            gen, params = form, _apply_domain(form, {}, domain, col) if form != "json" else {}
            meaning, note = "", f"{form} as text, as its CHECK asks"
        if domain is not None and domain.regexes and kind in ("string", "text", "unknown"):
            gen, params, matched = self._matching(table, col, (gen, params), domain, unique)
            if matched:
                meaning, note = "", matched
        if meaning and not note:
            note = meaning
        if null_rate:
            null_rate = NULL_RATES.get(meaning, null_rate)
        return ColumnPlan(
            name=col.name,
            generator=gen,
            params=params,
            null_rate=null_rate,
            unique=unique,
            note=note,
        )

    def _choice_values(self, col: ColumnInfo, domain: checks_mod.Domain | None) -> list[Any] | None:
        values: list[Any] | None = None
        if col.type.kind in ("enum", "set") and col.type.values:
            values = list(col.type.values)
        if domain is not None and domain.values is not None:
            allowed = [v for v in domain.values if v is not None]
            values = [v for v in values if v in allowed] if values else allowed
        if values is not None and domain is not None and domain.excluded:
            values = [v for v in values if v not in domain.excluded]
        return values or None

    # -------------------------------------------------------------------------- counts

    def _sync_per_parent(self, tables: list[TablePlan]) -> None:
        """Child counts follow the final parent counts ("each user with 1-5 posts")."""
        from .schema_design.data_synthesizer import per_parent_counts

        counts = {t.table: t.count for t in tables}
        for tplan in tables:  # insertion order: parents are final before their children
            for fp in tplan.foreign_keys:
                if fp.strategy != "per_parent":
                    continue
                parents = counts.get(fp.ref_table) or self.meta.table(fp.ref_table).row_count
                tplan.count = counts[tplan.table] = sum(
                    per_parent_counts(
                        self.seed,
                        tplan.table,
                        fp.name,
                        parents,
                        fp.min_per_parent or 0,
                        fp.max_per_parent or 0,
                    )
                )


# ---------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------


def _cycle_break(
    cycle: list[str], key: tuple[str, str, str], fk: ForeignKeyInfo, strategy: str
) -> CycleBreak:
    parent, child = key[0], key[1]
    notes = {
        "null_then_update": f"{child} rows are inserted with {', '.join(fk.columns)} NULL, then "
        f"updated to point at {parent} rows once both tables are filled.",
        "deferred": f"{child}.{', '.join(fk.columns)} points at {parent} rows inserted later; "
        f"the foreign key {fk.label} is checked when the transaction commits.",
        "checks_off": f"{child}.{', '.join(fk.columns)} points at {parent} rows inserted later; "
        "foreign-key checks are off inside the transaction and every reference is verified "
        "before commit.",
    }
    return CycleBreak(
        tables=cycle,
        foreign_key=fk.label,
        table=child,
        strategy=strategy,  # type: ignore[arg-type]
        note=notes[strategy],
    )


def _depths(meta: SchemaMetadata) -> dict[str, int]:
    """How deep each table sits below root tables (children get more rows than parents)."""
    depth: dict[str, int] = {}

    def visit(name: str, trail: frozenset[str]) -> int:
        if name in depth:
            return depth[name]
        parents = [
            fk.ref_table
            for fk in meta.table(name).foreign_keys
            if fk.ref_table in meta.tables and fk.ref_table not in trail and fk.ref_table != name
        ]
        value = 1 + max((visit(p, trail | {name}) for p in parents), default=-1)
        depth[name] = value
        return value

    for name in meta.tables:
        visit(name, frozenset())
    return depth


_TIME_KINDS = ("date", "datetime")
_NUMBER_KINDS = ("integer", "decimal", "float", "money")
_FIXED_GENERATORS = ("foreign_key", "sequence")


def _order_related(
    table: TableInfo, model: checks_mod.CheckModel, columns: list[ColumnPlan]
) -> None:
    """``CHECK (end_date > start_date)``: the free side follows the other, so every row is
    ordered by construction instead of being redrawn."""
    by_name = {c.name: c for c in columns}
    for rel in model.relations:
        high, low = by_name.get(rel.high), by_name.get(rel.low)
        if high is None or low is None:
            continue
        if _free(high) and not _leads_to(low, high.name, by_name):
            dependent, base, above = high, low, True
        elif _free(low) and not _leads_to(high, low.name, by_name):
            dependent, base, above = low, high, False
        else:
            continue  # both keys or unique: the row predicate (or pair filter) keeps the order
        kinds = {_kind_group(table, dependent), _kind_group(table, base)}
        if len(kinds) != 1 or None in kinds:
            continue
        if (
            dependent.generator == "after"
            and dependent.params.get("column") == base.name
            and above
            and not rel.strict
        ):
            continue  # already after it, and equal is allowed
        dependent.generator = "offset"
        dependent.params = {"column": base.name, "above": above, "strict": rel.strict}
        where = "after" if above else "before"
        dependent.note = f"{where} {base.name} (CHECK {rel.check or 'on the table'})"


def _free(cp: ColumnPlan) -> bool:
    return cp.generator not in _FIXED_GENERATORS and not cp.unique


def _kind_group(table: TableInfo, cp: ColumnPlan) -> str | None:
    kind = table.column(cp.name).type.kind
    if kind in _TIME_KINDS:
        return "time"
    return "number" if kind in _NUMBER_KINDS else None


def _leads_to(start: ColumnPlan, target: str, by_name: dict[str, ColumnPlan]) -> bool:
    """True when ``start`` already depends, through "column" parameters, on ``target``."""
    seen: set[str] = set()
    current: ColumnPlan | None = start
    while current is not None and current.name not in seen:
        seen.add(current.name)
        nxt = current.params.get("column")
        if nxt == target:
            return True
        current = by_name.get(nxt) if isinstance(nxt, str) else None
    return False


def _per_parent(plan: ForeignKeyPlan, card: Any) -> None:
    plan.strategy = "per_parent"
    plan.min_per_parent, plan.max_per_parent = card.min, card.max
    plan.null_rate = 0.0
    plan.note = f"{card.min}-{card.max} rows per {plan.ref_table} row"


def _fk_to(child: TableInfo, parent: str) -> ForeignKeyInfo | None:
    return next((fk for fk in child.foreign_keys if fk.ref_table == parent), None)


def _widest(table: TableInfo, columns: list[str], model: checks_mod.CheckModel) -> str:
    """The column of a composite UNIQUE best able to carry uniqueness on its own: a generated
    key, else one with plenty of possible values (an IN list, an enum, a BOOLEAN or a narrow
    type hold few), then the kind that makes the most natural unique values."""
    rank = {"uuid": 0, "string": 1, "text": 1, "integer": 2, "decimal": 3, "datetime": 4}

    def key(name: str) -> tuple[bool, float, int]:
        col = table.column(name)
        plenty = min(_distinct_values(col, model.domains.get(name)), 1e9)
        return (not col.autoincrement, -plenty, rank.get(col.type.kind, 9))

    return min(columns, key=key)


def _sources(table: TableInfo, columns: tuple[str, ...]) -> list[str]:
    """The stored columns that the computed columns among ``columns`` are made of."""
    text = " ".join(table.column(c).expression or "" for c in columns if table.column(c).computed)
    return [
        col.name
        for col in table.columns
        if not col.computed and re.search(rf"(?<![\w$]){re.escape(col.name)}(?![\w$])", text)
    ]


def _distinct_values(col: ColumnInfo, domain: checks_mod.Domain | None) -> float:
    """About how many distinct values a column can hold (infinity: more than any request)."""
    kind, info = col.type.kind, col.type
    if domain is not None and domain.values is not None:
        return len(domain.values)
    if info.values:
        return len(info.values) if kind == "enum" else 2 ** len(info.values)
    if kind == "boolean":
        return 2
    if kind in ("integer", "year"):
        low = domain.low if domain is not None else None
        high = domain.high if domain is not None else None
        if isinstance(low, int) and isinstance(high, int):
            return max(high - low + 1, 0)
        return 256.0 if kind == "year" else float(2 ** (info.bits or 64))
    if kind in ("string", "text") and info.length:
        return 36.0 ** min(info.length, 20)
    if kind == "date":
        low = domain.low if domain is not None else None
        high = domain.high if domain is not None else None
        if isinstance(low, dt.date) and isinstance(high, dt.date):
            return max((high - low).days + 1, 0)
        return 3_000_000.0  # every day of years 1-9999
    return float("inf")


def _unique_fallback(col: ColumnInfo) -> tuple[str, dict[str, Any]]:
    kind = col.type.kind
    if kind == "integer":
        return "integer", {}
    if kind in ("decimal", "float", "money"):
        return "decimal", {}
    if kind in ("date", "datetime"):
        return kind, {}
    if kind == "uuid":
        return "uuid", {}
    return "string", {"alphabet": "lower", "min_length": 1, "max_length": 12}


def _like_examples(domain: checks_mod.Domain | None) -> list[str] | None:
    """Texts that match the LIKE patterns a CHECK allows, for a column nothing else names."""
    if domain is None or not domain.patterns:
        return None
    found = [checks_mod.like_example(p) for p in domain.patterns]
    examples = list(dict.fromkeys(e for e in found if e))
    return examples if examples and len(examples) == len(found) else None


def _apply_domain(
    gen: str, params: dict[str, Any], domain: checks_mod.Domain | None, col: ColumnInfo
) -> dict[str, Any]:
    """Narrow a generator's parameters to what the column's CHECKs allow."""
    if domain is None:
        return params
    fields = generators.get(gen).Params.model_fields
    params = dict(params)
    low, high = domain.low, domain.high
    if isinstance(low, (int, float)) or hasattr(low, "as_tuple"):
        step = 1 if col.type.kind == "integer" else 10 ** -(col.type.scale or 2)
        lo = float(low) + (step if domain.low_strict else 0)
        if "min" in fields:
            params["min"] = int(lo) if gen == "integer" else lo
            if "max" in params and params["max"] is not None and params["max"] < params["min"]:
                params["max"] = params["min"] * 10 or 10
        elif "min_age" in fields:
            params["min_age"] = int(lo)
    if isinstance(high, (int, float)) or hasattr(high, "as_tuple"):
        step = 1 if col.type.kind == "integer" else 10 ** -(col.type.scale or 2)
        hi = float(high) - (step if domain.high_strict else 0)
        if "max" in fields:
            params["max"] = int(hi) if gen == "integer" else hi
            if params.get("min") is not None and params["min"] > params["max"]:
                params["min"] = params["max"]
        elif "max_age" in fields:
            params["max_age"] = int(hi)
    if isinstance(low, (dt.date, str)) and "start" in fields:
        params["start"] = str(low)
    if isinstance(high, (dt.date, str)) and "end" in fields:
        params["end"] = str(high)
    if domain.min_length and "min_length" in fields:
        params["min_length"] = max(params.get("min_length", 0), domain.min_length)
    return params


def rationale(plan: DataGenerationPlan) -> str:
    """One paragraph that says why the plan looks the way it does."""
    parts = [
        f"{plan.total_rows:,} rows across {len(plan.tables)} tables, inserted parents first "
        f"({' → '.join(t.table for t in plan.tables[:6])}{' …' if len(plan.tables) > 6 else ''})."
    ]
    parts += _count_reasons(plan)
    if plan.cycle_breaks:
        parts.append("Foreign-key cycles: " + "; ".join(b.note for b in plan.cycle_breaks))
    parts.append(
        f"Values come from seeded generators (seed {plan.seed}, locale {plan.locale}, "
        f"dates relative to {plan.now.isoformat()}), so the same plan gives the same rows."
    )
    return " ".join(parts)


__all__ = ["PlanOptions", "build_plan", "explain", "rationale"]


_COUNT_REASONS = {
    "requested": "{} come from the request",
    "plan": "{} come from the plan",
    "per parent": "{} follow from the counts per parent row",
    "required parent": "{} get rows because other tables need parents to reference",
    "default": "{} use defaults (children get more rows than parents)",
}


def _count_reasons(plan: DataGenerationPlan) -> list[str]:
    """ "Counts for customers come from the request; orders follow from ..." """
    by_reason: dict[str, list[str]] = {}
    for t in plan.tables:
        by_reason.setdefault(t.reason, []).append(t.table)
    if set(by_reason) <= {"default"}:
        return []
    said = [
        text.format(", ".join(by_reason[reason]))
        for reason, text in _COUNT_REASONS.items()
        if reason in by_reason
    ]
    return ["Counts for " + "; ".join(said) + "."]
