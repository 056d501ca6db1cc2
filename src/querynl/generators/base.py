"""The generator contract: one column, one batch at a time, a pure function of the batch.

A generator is built once per run from its catalogue name, its parameters and the column it
fills. For every batch it returns a list of ``ctx.n`` values. Everything random comes from
``ctx.rng(...)``, seeded from (run seed, table, batch number, stream), and unique values come
from the row index (``ctx.start + i``), so any batch can be produced on its own, in any order,
by any worker, and gives the same values.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..models import ColumnInfo, TableInfo

if TYPE_CHECKING:
    from .pools import Pools


def derive_seed(*parts: object) -> int:
    """A 64-bit seed from any parts; stable across processes and machines."""
    digest = hashlib.blake2b(repr(parts).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big")


class Params(BaseModel):
    """Base of every generator's parameters: unknown names, NaN and infinity are refused, and
    every range (``min``/``max``, ``min_age``/``max_age``, ...) is in order.

    A range whose two ends were both given the wrong way round is an error; when one end is a
    default, it moves to meet the given one (``max_age=0`` alone means ages 0 to 0).
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    @model_validator(mode="after")
    def _ranges_in_order(self) -> Params:
        for low_name in type(self).model_fields:
            if not low_name.startswith("min"):
                continue
            high_name = "max" + low_name[3:]
            low, high = getattr(self, low_name), getattr(self, high_name, None)
            if low is None or high is None or low <= high:
                continue
            given = self.model_fields_set
            if low_name in given and high_name in given:
                raise ValueError(f"{low_name} ({low}) is larger than {high_name} ({high})")
            if low_name in given:
                object.__setattr__(self, high_name, low)
            else:
                object.__setattr__(self, low_name, high)
        return self


class NoParams(Params):
    pass


# Limits on parameters that size work or reach into Python's dates and the databases' integer
# types. A plan from outside QueryNL (saved and edited, or proposed by an LLM) is validated
# against these before anything runs, so it cannot exhaust memory or overflow a computation.
MAX_SIZE = 100_000  # characters or bytes in one value
MAX_ITEMS = 1_000  # words of a text, items of an array or set
MAX_DAYS = 365 * 200  # a span of time, in days
Size = Annotated[int, Field(ge=0, le=MAX_SIZE)]
Items = Annotated[int, Field(ge=0, le=MAX_ITEMS)]
Words = Annotated[int, Field(ge=1, le=MAX_ITEMS)]
Days = Annotated[int, Field(ge=0, le=MAX_DAYS)]
SpanDays = Annotated[float, Field(ge=0, le=MAX_DAYS)]
BigInt = Annotated[int, Field(ge=-(2**63), le=2**64 - 1)]  # any value of a 64-bit column
# a bound of a decimal or float range: within the 15 digits a float carries exactly
Amount = Annotated[float, Field(ge=-1e15, le=1e15)]


@dataclass
class RunEnv:
    """What is shared by every generator of a run: seed, reference day, locale, pools."""

    seed: int
    now: dt.date
    locale: str
    pools: Pools
    domain: str | None = None
    shared: dict[str, Any] = field(default_factory=dict)  # per-run models (people, places)

    @property
    def now_dt(self) -> dt.datetime:
        """The reference moment: the end of the reference day, UTC."""
        return dt.datetime.combine(self.now, dt.time(23, 59, 59))


@dataclass
class BatchContext:
    """One batch of one table: rows ``start`` .. ``start + n - 1`` of this run."""

    table: str
    batch: int
    start: int
    n: int
    env: RunEnv
    columns: dict[str, list[Any]] = field(default_factory=dict)
    entities: dict[str, Any] = field(default_factory=dict)
    attempt: int = 0  # > 0 when rows are redrawn to satisfy a CHECK
    offset: int = 0  # rows the table held before this run (see ``shifted``)

    def rng(self, stream: str) -> random.Random:
        parts: tuple[Any, ...] = (self.env.seed, self.table, self.batch, stream)
        if self.offset:
            parts += (self.offset,)
        return random.Random(
            derive_seed(*parts, self.attempt) if self.attempt else derive_seed(*parts)
        )

    def shifted(self, offset: int) -> BatchContext:
        """The same batch seen from row ``start + offset`` (columns and entities shared).

        Unique values come from the row index, so a table that already holds ``offset`` rows
        asks its generators for the values after them: a second run with the same seed gives
        new values instead of repeating the first run's.
        """
        if not offset:
            return self
        return BatchContext(
            table=self.table,
            batch=self.batch,
            start=self.start + offset,
            n=self.n,
            env=self.env,
            columns=self.columns,
            entities=self.entities,
            attempt=self.attempt,
            offset=self.offset + offset,
        )

    def entity(self, key: str, build: Callable[[BatchContext], Any]) -> Any:
        """Per-batch shared draws (one person, one place per row) built once, on first use."""
        if key not in self.entities:
            self.entities[key] = build(self)
        return self.entities[key]


class Generator:
    """Base class of the catalogue. Subclasses set ``name`` and implement ``generate``."""

    name: ClassVar[str] = ""
    Params: ClassVar[type[BaseModel]] = NoParams
    summary: ClassVar[str] = ""
    kinds: ClassVar[tuple[str, ...]] = ()  # type kinds it fills; empty means any
    # True when ``generate`` gives distinct values across all rows when self.unique is set
    natively_unique: ClassVar[bool] = False
    # False when the generator itself continues after existing rows (sequences start after
    # the largest key), so the synthesizer must not move it past them once more
    shift_past_existing: ClassVar[bool] = True

    def __init__(
        self,
        params: BaseModel,
        column: ColumnInfo,
        table: TableInfo,
        env: RunEnv,
        *,
        unique: bool = False,
        unique_key: Callable[[Any], Any] | None = None,
        rows: int = 0,
    ) -> None:
        self.params = params
        self.rows = rows  # rows this run generates for the table
        self.column = column
        self.table = table
        self.env = env
        self.unique = unique
        self.unique_key = unique_key
        self.setup()

    def setup(self) -> None:
        """Build pools and limits once per run."""

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Columns of the same row that must be generated first."""
        return ()

    def generate(self, ctx: BatchContext) -> list[Any]:
        raise NotImplementedError

    def capacity(self) -> int | None:
        """How many distinct values this generator can produce (None: unbounded)."""
        return None

    def describe(self) -> str:
        shown = {k: v for k, v in self.params.model_dump().items() if v is not None}
        args = ", ".join(f"{k}={v!r}" for k, v in shown.items())
        return f"{self.name}({args})" if args else self.name


# ---------------------------------------------------------------------------------------------
# helpers shared by generators
# ---------------------------------------------------------------------------------------------


class Permutation:
    """A bijection of ``range(size)`` that scatters indices: unique picks without a set."""

    def __init__(self, size: int, seed: int) -> None:
        self.size = max(1, size)
        rng = random.Random(seed)
        if self.size <= 2:
            self.a, self.b = 1, rng.randrange(self.size)
            return
        a = int(self.size * 0.6180339887) | 1
        while math.gcd(a, self.size) != 1:
            a += 2 if a + 2 < self.size else -(a - 1)
        self.a, self.b = a, rng.randrange(self.size)

    def __call__(self, i: int) -> int:
        return (self.a * i + self.b) % self.size

    def many(self, start: int, n: int) -> list[int]:
        a, b, m = self.a, self.b, self.size
        return [(a * i + b) % m for i in range(start, start + n)]


def unique_pick(pool: Sequence[Any], perm: Permutation, start: int, n: int) -> list[Any]:
    """Distinct pool values for rows ``start..start+n``, numbered once the pool runs out."""
    size = len(pool)
    out = []
    for i, j in zip(range(start, start + n), perm.many(start, n)):
        value = pool[j]
        lap = i // size
        out.append(value if lap == 0 else f"{value} {lap + 1}")
    return out


def randints(rng: random.Random, lo: int, hi: int, n: int) -> list[int]:
    """``[rng.randint(lo, hi) for _ in range(n)]``, the same numbers from the same stream,
    without randint's Python layers per number (its rejection sampling, inlined)."""
    width = hi - lo + 1
    bits = width.bit_length()
    draw = rng.getrandbits
    out: list[int] = []
    append = out.append
    for _ in range(n):
        v = draw(bits)
        while v >= width:
            v = draw(bits)
        append(lo + v)
    return out


def cut(values: list[Any], length: int | None) -> list[Any]:
    """Strings trimmed to a column's length (non-unique columns only)."""
    if not length:
        return values
    try:
        if max(map(len, values), default=0) <= length:
            return values  # the usual case, found without a Python step per value
    except TypeError:
        pass  # NULLs or numbers among the values
    return [v[:length] if isinstance(v, str) and len(v) > length else v for v in values]


BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(n: int, width: int) -> str:
    chars = []
    for _ in range(width):
        n, r = divmod(n, 36)
        chars.append(BASE36[r])
    return "".join(reversed(chars))


def code_width(rows: int) -> int:
    """Base-36 digits needed to number ``rows`` rows."""
    return max(1, math.ceil(math.log(rows + 1, 36)))


def fit_unique(values: list[Any], start: int, length: int | None, width: int) -> list[Any]:
    """Strings made to fit ``length`` while staying unique.

    A value that is too long keeps a prefix and ends with "~" and a fixed-width code of its row
    number; the separator never occurs in values that fit, so no two results can collide.
    """
    if not length:
        return values
    keep = max(0, length - width - 1)
    out = []
    for i, v in enumerate(values, start):
        if isinstance(v, str) and (len(v) > length or "~" in v):
            v = (
                (v[:keep] + "~" + base36(i, width))[-length:]
                if length > width
                else base36(i, width)[-length:]
            )
        out.append(v)
    return out
