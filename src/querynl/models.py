"""The records that travel through the pipeline.

Schema metadata is a tree of frozen dataclasses (read once, shared by the planner, the completer
and the docs). Requests and plans are Pydantic models: they come from the parser, from an LLM or
from a YAML file a person edited, so they are validated on the way in.

    request text ──► TestDataRequest
    database ──────► SchemaMetadata
    (request, schema) ──► DataGenerationPlan ──► InsertionResult
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

# ---------------------------------------------------------------------------------------------
# Schema metadata
# ---------------------------------------------------------------------------------------------

TypeKind = Literal[
    "integer",
    "decimal",
    "float",
    "string",
    "text",
    "boolean",
    "date",
    "time",
    "datetime",
    "interval",
    "uuid",
    "json",
    "binary",
    "enum",
    "set",
    "year",
    "bit",
    "inet",
    "cidr",
    "macaddr",
    "money",
    "array",
    "range",
    "xml",
    "geometry",
    "spatial",
    "tsvector",
    "unknown",
]


@dataclass(frozen=True)
class TypeInfo:
    """A column type reduced to what generation needs.

    ``sql`` keeps the type as the database declared it, for display and error messages.
    """

    kind: TypeKind
    sql: str
    length: int | None = None  # characters for strings, bytes for binary, bits for BIT
    precision: int | None = None  # total digits for decimal, fractional seconds for times
    scale: int | None = None
    unsigned: bool = False
    bits: int | None = None  # integer width: 8, 16, 24, 32 or 64
    fixed: bool = False  # CHAR(n) rather than VARCHAR(n)
    timezone: bool = False
    values: tuple[str, ...] = ()  # ENUM / SET labels
    item: TypeInfo | None = None  # element type of arrays and ranges
    collation: str | None = None

    def describe(self) -> str:
        return self.sql


@dataclass(frozen=True)
class ColumnInfo:
    name: str
    type: TypeInfo
    nullable: bool
    default: str | None = None
    autoincrement: bool = False  # the database assigns the value (serial, identity, rowid)
    identity_always: bool = False  # PostgreSQL GENERATED ALWAYS AS IDENTITY
    computed: bool = False  # generated / computed column: never written
    comment: str | None = None

    @property
    def has_default(self) -> bool:
        return self.default is not None or self.autoincrement


@dataclass(frozen=True)
class ForeignKeyInfo:
    name: str | None
    columns: tuple[str, ...]
    ref_table: str
    ref_columns: tuple[str, ...]
    ref_schema: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    on_delete: str | None = None
    declared: bool = True  # False for relations inferred from column names

    @property
    def ref_name(self) -> str:
        """The referenced table's own name, without the schema part of ``ref_table``."""
        return self.ref_table.split(".", 1)[1] if self.ref_schema else self.ref_table

    @property
    def label(self) -> str:
        cols = ", ".join(self.columns)
        target = f"{self.ref_table}({', '.join(self.ref_columns)})"
        return self.name or f"({cols}) -> {target}"


@dataclass(frozen=True)
class UniqueInfo:
    name: str | None
    columns: tuple[str, ...]
    is_primary: bool = False


@dataclass(frozen=True)
class CheckInfo:
    name: str | None
    sqltext: str


@dataclass(frozen=True)
class TableInfo:
    name: str
    columns: tuple[ColumnInfo, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKeyInfo, ...] = ()
    uniques: tuple[UniqueInfo, ...] = ()  # UNIQUE constraints and unique indexes, not the PK
    checks: tuple[CheckInfo, ...] = ()
    row_count: int = 0
    next_key: int | None = None  # single integer key: the first value after existing rows
    schema: str | None = None
    comment: str | None = None
    without_rowid: bool = False
    filled_by_trigger: str | None = None  # a trigger on that table inserts rows here
    external: bool = False  # in another schema, read because a foreign key points at it

    @property
    def key(self) -> str:
        """The table's name in ``SchemaMetadata.tables`` and in plans: "schema.name" for a
        table of another schema, the bare name otherwise."""
        return f"{self.schema}.{self.name}" if self.external else self.name

    @property
    def label(self) -> str:
        return self.key

    def column(self, name: str) -> ColumnInfo:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def has_column(self, name: str) -> bool:
        return any(c.name == name for c in self.columns)

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def unique_sets(self) -> tuple[tuple[str, ...], ...]:
        """Every column set that must be unique: the primary key first, then UNIQUEs."""
        sets = [self.primary_key] if self.primary_key else []
        sets.extend(u.columns for u in self.uniques)
        return tuple(sets)


@dataclass(frozen=True)
class SchemaMetadata:
    dialect: str
    tables: dict[str, TableInfo] = field(default_factory=dict)
    schema: str | None = None
    server_version: str | None = None

    def table(self, name: str) -> TableInfo:
        return self.tables[name]

    @property
    def table_names(self) -> list[str]:
        """The tables of the schema itself (not those of other schemas it references)."""
        return [k for k, t in self.tables.items() if not t.external]

    def children_of(self, name: str) -> list[tuple[TableInfo, ForeignKeyInfo]]:
        return [
            (t, fk) for t in self.tables.values() for fk in t.foreign_keys if fk.ref_table == name
        ]


# ---------------------------------------------------------------------------------------------
# Requests
# ---------------------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cardinality(_Model):
    """ "each user with 1-5 posts": every parent row gets between min and max child rows."""

    parent: str
    child: str
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class Distribution(_Model):
    """ "80% of orders shipped, the rest pending": value weights for one column.

    ``column`` may be None when the request only names values; the planner then picks the
    column whose legal values contain them.
    """

    table: str | None = None
    column: str | None = None
    weights: dict[str, float]
    rest: list[str] = Field(default_factory=list)


class ValueRange(_Model):
    """ "prices between 5 and 50", "orders from the last 90 days", "created in 2024"."""

    table: str | None = None
    column: str | None = None  # a column name or a hint word such as "price" or "age"
    low: float | str | None = None
    high: float | str | None = None
    kind: Literal["number", "date", "age", "recent_days"] = "number"


class TestDataRequest(_Model):
    """What the user asked for, as understood. Shown in the plan so nothing is hidden."""

    __test__ = False  # not a pytest test class

    text: str = ""
    counts: dict[str, int] = Field(default_factory=dict)  # explicit per-table counts
    tables: list[str] | None = None  # "only X": restrict to these (plus required parents)
    exclude: list[str] = Field(default_factory=list)
    all_tables: bool = True  # unnamed tables get default counts
    default_count: int | None = None  # "add 100 rows to every table"
    cardinalities: list[Cardinality] = Field(default_factory=list)
    distributions: list[Distribution] = Field(default_factory=list)
    ranges: list[ValueRange] = Field(default_factory=list)
    locale: str | None = None
    domain: str | None = None
    spread: Literal["zipf", "uniform"] | None = None  # how children spread over parents
    seed: int | None = None
    unparsed: list[str] = Field(default_factory=list)  # words it could not place
    notes: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Plans
# ---------------------------------------------------------------------------------------------


class ColumnPlan(_Model):
    """How one column is filled: a generator from the catalogue and its parameters."""

    name: str
    generator: str
    params: dict[str, Any] = Field(default_factory=dict)
    null_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    unique: bool = False
    note: str | None = None


FkStrategy = Literal[
    "draw", "tree", "one_to_one", "pairs", "per_parent", "deferred_update", "deferred"
]


class ForeignKeyPlan(_Model):
    """How a foreign key's columns get values that point at real parent rows."""

    name: str
    columns: list[str]
    ref_table: str
    ref_columns: list[str]
    strategy: FkStrategy = "draw"
    distribution: Literal["zipf", "uniform"] = "zipf"
    null_rate: float = Field(default=0.0, ge=0.0, le=1.0)
    use_existing: bool = True  # parent rows already in the database may be referenced
    use_new: bool = True  # parent rows this run inserts may be referenced
    min_per_parent: int | None = None
    max_per_parent: int | None = None
    declared: bool = True
    group: str | None = None  # FKs drawn together as distinct combinations ("pairs")
    note: str | None = None


class TotalPlan(_Model):
    """A parent's total that must agree with its child rows: ``orders.total`` = the sum of
    ``order_items.quantity * order_items.unit_price`` (less a discount rate, when there is
    one), set by key after the child rows are inserted."""

    table: str
    column: str
    key: str  # the parent's referenced column
    child: str
    fk: str  # the child's single-column foreign key to the parent
    quantity: str | None = None
    price: str
    discount: str | None = None
    note: str = ""


class CycleBreak(_Model):
    """How a foreign-key cycle is resolved."""

    tables: list[str]
    foreign_key: str
    table: str
    strategy: Literal["null_then_update", "deferred", "checks_off"]
    note: str


# The most rows one table of a plan may ask for: large load tests fit, a typo of 10**12 does not.
MAX_TABLE_ROWS = 1_000_000_000


class TablePlan(_Model):
    table: str
    count: int = Field(ge=0, le=MAX_TABLE_ROWS)
    reason: Literal["requested", "default", "required parent", "per parent", "plan"] = "default"
    columns: list[ColumnPlan] = Field(default_factory=list)
    foreign_keys: list[ForeignKeyPlan] = Field(default_factory=list)
    skipped: dict[str, str] = Field(default_factory=dict)  # column -> why the DB fills it
    existing_rows: int = 0
    note: str | None = None

    def column(self, name: str) -> ColumnPlan:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


class LLMUsage(_Model):
    provider: str
    model: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0


class DataGenerationPlan(_Model):
    """The whole plan: plain data that is rendered, exported, saved and executed alike."""

    version: int = 1
    dialect: str
    schema_name: str | None = None
    seed: int
    now: dt.date
    locale: str = "en_US"
    domain: str | None = None
    tables: list[TablePlan]  # in insertion order
    cycle_breaks: list[CycleBreak] = Field(default_factory=list)
    totals: list[TotalPlan] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    rationale: str = ""
    request: TestDataRequest | None = None
    llm: LLMUsage | None = None

    def table(self, name: str) -> TablePlan:
        for t in self.tables:
            if t.table == name:
                return t
        raise KeyError(name)

    @property
    def total_rows(self) -> int:
        return sum(t.count for t in self.tables)


# ---------------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------------


class TableResult(_Model):
    table: str
    rows: int
    seconds: float
    key_ranges: list[list[Any]] = Field(default_factory=list)  # compact inserted keys


class InsertionResult(_Model):
    tables: list[TableResult]
    seconds: float
    run_id: str | None = None
    dry_run: bool = False

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds > 0 else 0.0
