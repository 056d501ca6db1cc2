"""An LLM's plan proposal: its shape, its validation against the schema and the catalogue, and
how what survives is merged into the offline plan.

The model answers with JSON shaped like :class:`PlanProposal` (counts, per-column generator
choices from the closed catalogue, distributions, cardinalities, ranges, locale, rationale; never
SQL). Nothing in it is trusted: every item is validated on its own, and an item that names an
unknown table, column or generator, carries parameters its generator does not accept, asks for a
negative, huge or non-numeric count, or does not fit its column is dropped with a note saying
why. What survives refines the offline request (counts, shares, ranges, per-parent counts,
locale); the plan is then built by the offline planner as usual, so every constraint rule still
applies, and the column choices are laid over it.

The rules for a column choice (:func:`check_column_choice`) are the rules any plan column from
outside QueryNL must satisfy, whether it comes from an LLM or from a saved plan.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from . import generators
from . import request_vocabulary as V
from .errors import QueryNLError, did_you_mean
from .generators.base import RunEnv
from .generators.pools import Pools
from .models import (
    Cardinality,
    ColumnInfo,
    ColumnPlan,
    DataGenerationPlan,
    Distribution,
    SchemaMetadata,
    TableInfo,
    TablePlan,
    TestDataRequest,
    ValueRange,
)

MAX_COUNT = 100_000_000
MAX_PER_PARENT = 10_000
MAX_ITEMS = 500  # per list in a proposal
MAX_RATIONALE = 1_000
# Generator parameters that size work or memory, and the most a proposal may ask for.
PARAM_CAPS: dict[str, float] = {
    "min_words": 1_000,
    "max_words": 1_000,
    "min_length": 100_000,
    "max_length": 100_000,
    "max_items": 1_000,
    "days_back": 365 * 200,
    "days_ahead": 365 * 200,
    "min_days": 365 * 200,
    "max_days": 365 * 200,
    "digits": 15,
}
KEY_GENERATORS = frozenset({"sequence", "foreign_key"})
TEXT_KINDS = frozenset({"string", "text", "unknown", "enum"})
NUMBER_KINDS = frozenset({"integer", "decimal", "float", "money", "year"})

# ---------------------------------------------------------------------------------------------
# The proposal's shape (also the JSON schema the model is asked to follow)
# ---------------------------------------------------------------------------------------------

Count = Annotated[int, Field(strict=True, ge=0, le=MAX_COUNT)]
Scalar = str | int | float | bool | None


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ParamValue(_Item):
    """One generator parameter: {"name": "min", "value": 5}."""

    name: str
    value: Scalar | list[Scalar]


class TableCount(_Item):
    table: str
    count: Count


class ColumnChoice(_Item):
    """How one column is filled: a catalogue generator and its parameters."""

    table: str
    column: str
    generator: str
    params: list[ParamValue]
    null_rate: float | None = Field(default=None, ge=0.0, le=1.0)


class Share(_Item):
    value: str
    share: float = Field(ge=0.0, le=1.0)


class DistributionChoice(_Item):
    table: str
    column: str
    shares: list[Share]
    rest: list[str]


class CardinalityChoice(_Item):
    parent: str
    child: str
    min: int = Field(strict=True, ge=0, le=MAX_PER_PARENT)
    max: int = Field(strict=True, ge=0, le=MAX_PER_PARENT)


class RangeChoice(_Item):
    table: str
    column: str | None
    kind: Literal["number", "date", "age", "recent_days"]
    low: float | str | None
    high: float | str | None


class PlanProposal(_Item):
    """What the model is asked to return (every field present; empty lists when unused)."""

    tables: list[TableCount] = Field(description="row counts for tables the request names")
    only_tables: bool = Field(
        description="true when the request limits the run to the tables listed above"
    )
    exclude: list[str] = Field(description="tables the request says to leave out")
    columns: list[ColumnChoice] = Field(
        description="generator choices for columns the request or realism calls for"
    )
    distributions: list[DistributionChoice]
    cardinalities: list[CardinalityChoice]
    ranges: list[RangeChoice]
    locale: str | None = Field(description="Faker locale such as de_DE, or null")
    domain: str | None
    rationale: str = Field(description="one short paragraph: why the plan looks this way")


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


@dataclass
class ValidProposal:
    """What survived validation, ready to merge; ``notes`` say what was dropped and why."""

    counts: dict[str, int] = field(default_factory=dict)
    only_tables: bool = False
    exclude: list[str] = field(default_factory=list)
    columns: list[tuple[str, str, str, dict[str, Any], float | None]] = field(default_factory=list)
    distributions: list[Distribution] = field(default_factory=list)
    cardinalities: list[Cardinality] = field(default_factory=list)
    ranges: list[ValueRange] = field(default_factory=list)
    locale: str | None = None
    domain: str | None = None
    rationale: str = ""
    notes: list[str] = field(default_factory=list)


def shown(value: Any, limit: int = 48) -> str:
    """A name or value from outside, quoted and cut short for a message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _name(name: str) -> str:
    """A table or column name from outside as a message shows it: plain when it is a plain
    identifier, quoted and cut short otherwise."""
    return name if re.fullmatch(r"[\w$ -]{1,64}", name) else shown(name, 40)


def _error_text(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"])
    got = first.get("input")
    return f"{where + ': ' if where else ''}{first['msg']} (got {shown(got, 32)})"


class _Validator:
    def __init__(self, raw: Any, meta: SchemaMetadata) -> None:
        self.raw = raw if isinstance(raw, dict) else {}
        self.meta = meta
        self.out = ValidProposal()

    def note(self, message: str) -> None:
        self.out.notes.append(message)

    def items(self, key: str, model: type[_Item]) -> list[Any]:
        value = self.raw.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.note(f"{key}: expected a list, got {type(value).__name__}; ignored.")
            return []
        if len(value) > MAX_ITEMS:
            self.note(f"{key}: {len(value)} entries; only the first {MAX_ITEMS} are read.")
        parsed = []
        for i, item in enumerate(value[:MAX_ITEMS]):
            try:
                parsed.append(model.model_validate(item))
            except ValidationError as exc:
                self.note(f"{key}[{i}]: {_error_text(exc)}; ignored.")
        return parsed

    def table(self, name: str, where: str) -> TableInfo | None:
        if name in self.meta.tables:
            return self.meta.tables[name]
        self.note(
            f"{where}: there is no table {shown(name)}."
            + did_you_mean(name, self.meta.tables)
            + " Ignored."
        )
        return None

    def column(self, table: TableInfo, name: str, where: str) -> ColumnInfo | None:
        if table.has_column(name):
            return table.column(name)
        self.note(
            f"{where}: {table.name} has no column {shown(name)}."
            + did_you_mean(name, table.column_names)
            + " Ignored."
        )
        return None

    def run(self) -> ValidProposal:
        self._tables()
        self._columns()
        self._distributions()
        self._cardinalities()
        self._ranges()
        self._scalars()
        return self.out

    def _tables(self) -> None:
        for tc in self.items("tables", TableCount):
            if self.table(tc.table, "tables"):
                self.out.counts[tc.table] = tc.count
        only = self.raw.get("only_tables", False)
        self.out.only_tables = only is True and bool(self.out.counts)
        exclude = self.raw.get("exclude") or []
        if not isinstance(exclude, list):
            self.note(f"exclude: expected a list, got {type(exclude).__name__}; ignored.")
            exclude = []
        for name in exclude[:MAX_ITEMS]:
            if isinstance(name, str) and self.table(name, "exclude"):
                if name in self.out.counts:
                    self.note(f"exclude: {name} also has a count; it is not excluded.")
                else:
                    self.out.exclude.append(name)

    def _columns(self) -> None:
        for cc in self.items("columns", ColumnChoice):
            where = f"columns {_name(cc.table)}.{_name(cc.column)}"
            table = self.table(cc.table, where)
            col = self.column(table, cc.column, where) if table else None
            if table is None or col is None:
                continue
            params = {p.name: p.value for p in cc.params}
            problem = check_column_choice(table, col, cc.generator, params)
            if problem:
                self.note(f"{where}: {problem}; ignored.")
                continue
            self.out.columns.append((table.key, col.name, cc.generator, params, cc.null_rate))

    def _distributions(self) -> None:
        for dc in self.items("distributions", DistributionChoice):
            where = f"distributions {_name(dc.table)}.{_name(dc.column)}"
            table = self.table(dc.table, where)
            col = self.column(table, dc.column, where) if table else None
            if table is None or col is None:
                continue
            weights = {s.value: s.share for s in dc.shares}
            if not weights or sum(weights.values()) > 1.0001:
                self.note(f"{where}: the shares must add up to at most 100%; ignored.")
                continue
            self.out.distributions.append(
                Distribution(table=table.key, column=col.name, weights=weights, rest=dc.rest)
            )

    def _cardinalities(self) -> None:
        from .request_tokens import SchemaNames

        names = SchemaNames(self.meta)
        for cc in self.items("cardinalities", CardinalityChoice):
            where = f"cardinalities {_name(cc.parent)} → {_name(cc.child)}"
            if not (self.table(cc.parent, where) and self.table(cc.child, where)):
                continue
            lo, hi = min(cc.min, cc.max), max(cc.min, cc.max)
            try:
                link, _ = names.link(cc.parent, cc.child, lo, hi)
            except QueryNLError as exc:
                self.note(f"{where}: {exc.message} Ignored.")
                continue
            if link:
                self.out.cardinalities.append(
                    Cardinality(parent=link[0], child=link[1], min=lo, max=hi)
                )

    def _ranges(self) -> None:
        for rc in self.items("ranges", RangeChoice):
            where = f"ranges {_name(rc.table)}.{_name(rc.column or '*')}"
            table = self.table(rc.table, where)
            if table is None or (rc.column and not self.column(table, rc.column, where)):
                continue
            problem = _range_problem(rc)
            if problem:
                self.note(f"{where}: {problem}; ignored.")
                continue
            self.out.ranges.append(
                ValueRange(
                    table=table.key, column=rc.column, low=rc.low, high=rc.high, kind=rc.kind
                )
            )

    def _scalars(self) -> None:
        locale = self.raw.get("locale")
        if isinstance(locale, str) and locale:
            code = V.LOCALE_CODES.get(locale.replace("-", "_").lower())
            if code:
                self.out.locale = code
            else:
                self.note(
                    f"locale: {shown(locale)} is not a Faker locale"
                    + did_you_mean(locale, V.FAKER_LOCALES)
                    + " Ignored."
                )
        domain = self.raw.get("domain")
        domains = sorted(set(V.DOMAIN_PHRASES.values()))
        if isinstance(domain, str) and domain:
            if domain.lower() in domains:
                self.out.domain = domain.lower()
            else:
                self.note(f"domain: {shown(domain)} is not one of {', '.join(domains)}; ignored.")
        rationale = self.raw.get("rationale")
        if isinstance(rationale, str):
            text = re.sub(r"[\x00-\x1f\x7f]+", " ", rationale).strip()
            self.out.rationale = text[:MAX_RATIONALE]


def validate_proposal(raw: Any, meta: SchemaMetadata) -> ValidProposal:
    """Check every part of a proposal; keep what fits, note what does not.

    >>> validate_proposal({"tables": [{"table": "users", "count": -1}]}, meta).notes
    ['tables[0]: count: Input should be greater than or equal to 0 (got -1); ignored.']
    """
    if not isinstance(raw, dict):
        out = ValidProposal()
        out.notes.append(f"the answer is not a JSON object (got {type(raw).__name__}); ignored.")
        return out
    return _Validator(raw, meta).run()


def _range_problem(rc: RangeChoice) -> str | None:
    if rc.low is None and rc.high is None:
        return "neither low nor high is given"
    if rc.kind in ("number", "age", "recent_days"):
        for end in (rc.low, rc.high):
            if end is not None and not isinstance(end, (int, float)):
                return f"{rc.kind} ranges take numbers, not {shown(end)}"
        if rc.kind == "recent_days" and (rc.low is None or not 0 < float(rc.low) <= 365 * 200):
            return "recent_days needs low: a number of days from 1 to 73000"
        ages = [float(e) for e in (rc.low, rc.high) if e is not None]
        if rc.kind == "age" and not all(0 <= a <= 120 for a in ages):
            return "ages run from 0 to 120"
        return None
    for end in (rc.low, rc.high):
        if end is None:
            continue
        try:
            dt.date.fromisoformat(str(end)[:10])
        except ValueError:
            return f"date ranges take dates as YYYY-MM-DD, not {shown(end)}"
    return None


# ---------------------------------------------------------------------------------------------
# The rules for one column choice
# ---------------------------------------------------------------------------------------------


def check_column_choice(
    table: TableInfo, col: ColumnInfo, generator: str, params: dict[str, Any]
) -> str | None:
    """Why ``generator(params)`` cannot fill ``table.col``, or None when it can.

    Checks the catalogue, the parameters (the generator's own Pydantic model, plus caps on
    anything that sizes work), the column's type and whether QueryNL manages the column
    itself (keys and computed columns).
    """
    catalogue = generators.catalogue()
    if generator not in catalogue:
        return f"unknown generator {shown(generator)}" + did_you_mean(generator, catalogue)
    if generator in KEY_GENERATORS:
        return f"{generator} is chosen by QueryNL itself for key columns"
    if col.computed:
        return "the database computes this column"
    try:
        generators.validate_params(generator, params, f"{table.name}.{col.name}")
    except QueryNLError as exc:
        return exc.message.split(": ", 1)[-1]
    for name, cap in PARAM_CAPS.items():
        value = params.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > cap:
            return f"parameter {name}={value} is larger than {cap:g}"
    problem = _type_problem(col, generator, params)
    if problem:
        return problem
    if generator == "after":
        other = params.get("column")
        if not table.has_column(str(other)) or other == col.name:
            return f"'after' needs another column of {table.name}, not {shown(other)}"
    return None


def _type_problem(col: ColumnInfo, generator: str, params: dict[str, Any]) -> str | None:
    kind = col.type.kind
    cls = generators.get(generator)
    if cls.kinds and kind not in cls.kinds:
        return f"{generator} does not fill {col.type.sql} columns"
    if generator.startswith("person.") and not cls.kinds and kind not in TEXT_KINDS:
        return f"{generator} gives text, and the column is {col.type.sql}"
    if generator == "null" and not col.nullable:
        return "the column is NOT NULL"
    values = params.get("values") if generator == "choice" else None
    if generator == "constant":
        values = [params.get("value")]
    for value in values or []:
        problem = _value_problem(col, value)
        if problem:
            return problem
    return None


def _value_problem(col: ColumnInfo, value: Any) -> str | None:
    kind = col.type.kind
    if value is None:
        return None if col.nullable else "NULL in a NOT NULL column"
    if col.type.values and str(value) not in col.type.values:
        return f"{shown(value)} is not one of {', '.join(col.type.values)}"
    if kind in NUMBER_KINDS and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return f"{shown(value)} is not a number"
    if kind in ("string", "text") and col.type.length and len(str(value)) > col.type.length:
        return f"{shown(value)} is longer than {col.type.length} characters"
    return None


# ---------------------------------------------------------------------------------------------
# Merging
# ---------------------------------------------------------------------------------------------


def merged_request(offline: TestDataRequest, proposal: ValidProposal) -> TestDataRequest:
    """The offline request refined by the proposal: the proposal wins where both speak."""
    counts = {**offline.counts, **proposal.counts}
    exclude = [t for t in dict.fromkeys(offline.exclude + proposal.exclude) if t not in counts]
    tables = offline.tables
    if proposal.only_tables:
        tables = list(dict.fromkeys((offline.tables or []) + list(proposal.counts)))
    cards = {(c.parent, c.child): c for c in offline.cardinalities}
    cards.update({(c.parent, c.child): c for c in proposal.cardinalities})
    dists = {(d.table, d.column): d for d in offline.distributions}
    dists.update({(d.table, d.column): d for d in proposal.distributions})
    ranges = {(r.table, r.column, r.kind): r for r in offline.ranges}
    ranges.update({(r.table, r.column, r.kind): r for r in proposal.ranges})
    return offline.model_copy(
        update={
            "counts": counts,
            "tables": [t for t in tables if t not in exclude] if tables else None,
            "all_tables": tables is None,
            "exclude": exclude,
            "cardinalities": list(cards.values()),
            "distributions": list(dists.values()),
            "ranges": list(ranges.values()),
            "locale": proposal.locale or offline.locale,
            "domain": proposal.domain or offline.domain,
        },
        deep=True,
    )


def apply_columns(
    plan: DataGenerationPlan, proposal: ValidProposal, meta: SchemaMetadata
) -> list[str]:
    """Lay the proposal's column choices over ``plan``; a note for each one refused."""
    notes = []
    env = RunEnv(seed=plan.seed, now=plan.now, locale=plan.locale, pools=Pools(plan.locale))
    for table_name, column, generator, params, null_rate in proposal.columns:
        where = f"columns {table_name}.{column}"
        try:
            tplan = plan.table(table_name)
        except KeyError:
            notes.append(f"{where}: {table_name} is not filled by this plan; ignored.")
            continue
        current = next((c for c in tplan.columns if c.name == column), None)
        if current is None:
            why = tplan.skipped.get(column, "not filled by this plan")
            notes.append(f"{where}: the column is {why}; ignored.")
            continue
        problem = _plan_problem(meta.table(table_name), tplan, current, generator, params, env)
        if problem:
            notes.append(f"{where}: {problem}; ignored.")
            continue
        current.generator, current.params = generator, params
        if null_rate is not None and meta.table(table_name).column(column).nullable:
            current.null_rate = null_rate
        current.note = "chosen by the LLM"
    return notes


def _plan_problem(
    table: TableInfo,
    tplan: TablePlan,
    current: ColumnPlan,
    generator: str,
    params: dict[str, Any],
    env: RunEnv,
) -> str | None:
    if current.generator in KEY_GENERATORS:
        return "QueryNL fills key columns itself"
    legal = current.params.get("values") if current.generator == "choice" else None
    if legal and generator == "choice":
        illegal = [v for v in params.get("values", []) if v not in legal]
        if illegal:
            allowed = ", ".join(map(str, legal))
            return f"{', '.join(shown(v) for v in illegal)} is not one of {allowed}"
    elif legal and generator != "choice":
        return f"the column only allows {', '.join(map(str, legal))}; use choice"
    col = table.column(current.name)
    try:
        gen = generators.build(
            generator, params, col, table, env, unique=current.unique, rows=tplan.count
        )
    except QueryNLError as exc:  # "table.column: ..." — the note names the column already
        return exc.message.split(": ", 1)[-1]
    except (ValueError, TypeError, KeyError) as exc:
        return str(exc) or "the generator cannot be built"
    if current.unique:
        if not generators.get(generator).natively_unique:
            return f"{current.name} must be unique and {generator} cannot guarantee it"
        capacity = gen.capacity()
        if capacity is not None and capacity < tplan.count + table.row_count:
            return f"{current.name} must be unique and {generator} gives only {capacity:,} values"
    return None


__all__ = [
    "PlanProposal",
    "ValidProposal",
    "apply_columns",
    "check_column_choice",
    "merged_request",
    "validate_proposal",
]
