"""Type-level generators: keys, numbers, choices, times, text, identifiers, binary, network.

Each one respects the column's type limits (integer width, unsigned, precision and scale,
length) and, when the column is unique, produces distinct values by construction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import ipaddress
import itertools
import json
import uuid
from decimal import Decimal
from typing import Any, Literal

from pydantic import Field

from ..models import ColumnInfo
from . import register
from .base import (
    Amount,
    BatchContext,
    BigInt,
    Days,
    Generator,
    Items,
    Params,
    Permutation,
    Size,
    Words,
    base36,
    code_width,
    cut,
    derive_seed,
    fit_unique,
    randints,
    unique_pick,
)


class _P(Params):
    pass


def integer_limits(column_type: Any) -> tuple[int, int]:
    """The range an integer column can hold, from its width and signedness."""
    bits = column_type.bits or 64
    if column_type.unsigned:
        return 0, 2**bits - 1
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1


def decimal_limit(column_type: Any) -> Decimal | None:
    """The largest absolute value a NUMERIC(p, s) holds, or None when unbounded."""
    p, s = column_type.precision, column_type.scale or 0
    if not p:
        return None
    return Decimal(10) ** (p - s) - Decimal(1).scaleb(-s)


def _perm(gen: Generator, size: int) -> Permutation:
    return Permutation(size, derive_seed(gen.env.seed, gen.table.name, gen.column.name, "perm"))


# ---------------------------------------------------------------------------------------------
# keys and constants
# ---------------------------------------------------------------------------------------------


class SequenceParams(_P):
    start: BigInt = 1
    step: int = Field(default=1, ge=1, le=2**32)


@register
class Sequence(Generator):
    name = "sequence"
    summary = "consecutive integers (keys)"
    Params = SequenceParams
    kinds = ("integer", "decimal", "string", "text")
    natively_unique = True
    shift_past_existing = False  # ``start`` is already the first key after existing rows

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.params
        first = p.start + ctx.start * p.step
        values: list[Any] = list(range(first, first + ctx.n * p.step, p.step))
        if self.column.type.kind in ("string", "text"):
            return [str(v) for v in values]
        return values

    def capacity(self) -> int | None:
        if self.column.type.kind == "integer":
            return integer_limits(self.column.type)[1] - self.params.start + 1
        return None


class ConstantParams(_P):
    value: str | int | float | bool | None = None


@register
class Constant(Generator):
    name = "constant"
    summary = "the same value in every row"
    Params = ConstantParams

    def generate(self, ctx: BatchContext) -> list[Any]:
        return [self.params.value] * ctx.n

    def capacity(self) -> int | None:
        return 1


@register
class Null(Generator):
    name = "null"
    summary = "NULL in every row"

    def generate(self, ctx: BatchContext) -> list[Any]:
        return [None] * ctx.n


@register
class ForeignKey(Generator):
    """Marker: the synthesizer fills foreign-key columns from the parent's keys."""

    name = "foreign_key"
    summary = "a key of a row in the referenced table"

    class Params(_P):
        fk: str = ""

    def generate(self, ctx: BatchContext) -> list[Any]:
        raise RuntimeError("foreign keys are filled by the synthesizer")


# ---------------------------------------------------------------------------------------------
# numbers
# ---------------------------------------------------------------------------------------------


class IntegerParams(_P):
    min: BigInt | None = None
    max: BigInt | None = None
    distribution: Literal["uniform", "small", "skewed"] = "uniform"


@register
class Integer(Generator):
    name = "integer"
    summary = "whole numbers in [min, max]"
    Params = IntegerParams
    kinds = ("integer", "decimal", "float", "year", "money")
    natively_unique = True

    def setup(self) -> None:
        lo, hi = self._type_limits()
        p = self.params
        self.lo = max(lo, p.min if p.min is not None else max(lo, 0 if lo >= 0 else 1))
        self.hi = min(hi, p.max if p.max is not None else min(hi, max(self.lo, 1000)))
        if self.unique and p.max is None:
            self.hi = min(hi, max(self.hi, self.lo + max(self.rows * 10, 1000)))
            if self.hi - self.lo + 1 < self.rows and p.min is None:
                self.lo, self.hi = lo, hi  # the request needs the type's whole range
        if self.hi < self.lo:
            self.hi = self.lo

    def _type_limits(self) -> tuple[int, int]:
        t = self.column.type
        if t.kind == "integer":
            return integer_limits(t)
        limit = decimal_limit(t) if t.kind == "decimal" else None
        if limit is not None:
            return -int(limit), int(limit)
        return -(2**63), 2**63 - 1

    def generate(self, ctx: BatchContext) -> list[Any]:
        lo, hi = self.lo, self.hi
        if self.unique:
            perm = _perm(self, hi - lo + 1)
            return [lo + j for j in perm.many(ctx.start, ctx.n)]
        rng = ctx.rng(self.column.name)
        if self.params.distribution == "uniform":
            r = rng.random
            span = hi - lo + 1
            return [lo + int(r() * span) for _ in range(ctx.n)]
        # "small"/"skewed": most values near the low end (quantities, counts, ranks)
        span = hi - lo
        power = 3.0 if self.params.distribution == "small" else 2.0
        r = rng.random
        return [lo + int(span * r() ** power + 0.5) for _ in range(ctx.n)]

    def capacity(self) -> int | None:
        return self.hi - self.lo + 1


class DecimalParams(_P):
    min: Amount | None = None
    max: Amount | None = None
    scale: int | None = Field(default=None, ge=0, le=30)
    style: Literal["plain", "price"] = "plain"


_DECIMALS_KEPT = 100_000  # amounts a decimal column remembers before it starts over


@register
class DecimalGen(Generator):
    name = "decimal"
    summary = "numbers with a fixed scale (amounts, prices, rates)"
    Params = DecimalParams
    kinds = ("decimal", "float", "money", "integer", "string", "text")
    natively_unique = True

    def setup(self) -> None:
        t = self.column.type
        p = self.params
        self.scale = p.scale if p.scale is not None else (t.scale if t.scale is not None else 2)
        if t.kind == "integer":
            self.scale = 0
        limit = decimal_limit(t) if t.kind == "decimal" else None
        lo = p.min if p.min is not None else 0.0
        hi = p.max if p.max is not None else 1000.0
        if limit is not None:
            hi = min(hi, float(limit))
            lo = max(lo, -float(limit))
        if t.unsigned:
            lo = max(lo, 0.0)
        self._decimals: dict[int, Decimal] = {}
        factor = 10**self.scale
        self.lo_units = int(round(lo * factor))
        self.hi_units = max(self.lo_units, int(hi * factor))
        if self.unique and p.max is None and limit is not None:
            # a unique NUMERIC(p, s) may need every value the type holds
            top = int(limit * factor)
            if self.hi_units - self.lo_units + 1 < self.rows:
                self.hi_units = top
                if p.min is None and not t.unsigned:
                    self.lo_units = -top

    def generate(self, ctx: BatchContext) -> list[Any]:
        lo, hi = self.lo_units, self.hi_units
        if self.unique:
            units = [lo + j for j in _perm(self, hi - lo + 1).many(ctx.start, ctx.n)]
        else:
            r = ctx.rng(self.column.name).random
            span = hi - lo + 1
            if self.params.style == "price":
                # prices cluster low, and most end in .99, .95 or .49
                units = _price_endings(
                    [lo + int(span * r() ** 2.2) for _ in range(ctx.n)], self.scale, lo, hi
                )
            else:
                units = [lo + int(r() * span) for _ in range(ctx.n)]
        return self._to_values(units)

    def _to_values(self, units: list[int]) -> list[Any]:
        kind = self.column.type.kind
        if kind == "integer":
            return units
        if kind == "float":
            f = 10.0**self.scale
            return [u / f for u in units]
        s = -self.scale
        if self.unique:
            values = [Decimal(u).scaleb(s) for u in units]
        else:
            # the same amounts come back often (prices end in .99): each is made once
            known = self._decimals
            if len(known) > _DECIMALS_KEPT:
                known.clear()
            for u in set(units).difference(known):
                known[u] = Decimal(u).scaleb(s)
            values = list(map(known.__getitem__, units))
        return [str(v) for v in values] if kind in ("string", "text") else values

    def capacity(self) -> int | None:
        return self.hi_units - self.lo_units + 1


def _price_endings(units: list[int], scale: int, lo: int, hi: int) -> list[int]:
    """Prices that end in .99, .95, .49 or .00 (by the units' last bits), where the ending
    keeps them inside [lo, hi]."""
    if scale < 2:
        return units
    unit = 10**scale
    endings = tuple(e * 10 ** (scale - 2) for e in (99, 95, 49, 0))
    out = [u - u % unit + endings[u % 4] for u in units]
    return [v if lo <= v <= hi else u for v, u in zip(out, units)]


class FloatParams(_P):
    min: Amount = 0.0
    max: Amount = 1000.0
    digits: int = Field(default=4, ge=0, le=15)


@register
class FloatGen(Generator):
    name = "float"
    summary = "real numbers in [min, max]"
    Params = FloatParams
    kinds = ("float", "decimal")

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.params
        r = ctx.rng(self.column.name).random
        span = p.max - p.min
        d = p.digits
        return [round(p.min + r() * span, d) for _ in range(ctx.n)]


class BooleanParams(_P):
    p_true: float = Field(default=0.5, ge=0.0, le=1.0)


@register
class Boolean(Generator):
    name = "boolean"
    summary = "true/false with a probability of true"
    Params = BooleanParams
    kinds = ("boolean", "integer", "bit")
    natively_unique = True

    def generate(self, ctx: BatchContext) -> list[Any]:
        if self.unique:
            return [bool((i + 1) % 2) for i in range(ctx.start, ctx.start + ctx.n)]
        r = ctx.rng(self.column.name).random
        p = self.params.p_true
        values = [r() < p for _ in range(ctx.n)]
        if self.column.type.kind in ("integer", "bit"):
            return [int(v) for v in values]
        return values

    def capacity(self) -> int | None:
        return 2


class ChoiceParams(_P):
    values: list[Any] = Field(min_length=1)
    weights: list[float] | None = None


@register
class Choice(Generator):
    name = "choice"
    summary = "one of a list of values, optionally weighted (enums, statuses, CHECK IN lists)"
    Params = ChoiceParams
    natively_unique = True

    def setup(self) -> None:
        w = self.params.weights
        if w is not None and len(w) != len(self.params.values):
            raise ValueError("weights must have one entry per value")

    def generate(self, ctx: BatchContext) -> list[Any]:
        values = self.params.values
        if self.unique:
            perm = _perm(self, len(values))
            return [values[j] for j in perm.many(ctx.start, ctx.n)]
        rng = ctx.rng(self.column.name)
        return rng.choices(values, weights=self.params.weights, k=ctx.n)

    def capacity(self) -> int | None:
        return len(self.params.values)


class PoolParams(_P):
    pool: str


@register
class PoolGen(Generator):
    """A value from one of the locale's pools (cities, jobs, colours, ...)."""

    name = "pool"
    summary = "a realistic value from a named Faker pool"
    Params = PoolParams
    kinds = ("string", "text", "enum", "unknown")
    natively_unique = True

    def setup(self) -> None:
        from .pools import POOL_SOURCES

        if self.params.pool not in POOL_SOURCES:
            raise ValueError(f"unknown pool {self.params.pool!r}")
        self.values = self.env.pools.fitting(self.params.pool, self.column.type.length)
        if self.unique and self.unique_key is not None:
            # one value per collation key: 'Zürich' and 'Zurich' collide under MySQL's _ci
            seen: set[Any] = set()
            kept = []
            for v in self.values:
                k = self.unique_key(v)
                if k not in seen:
                    seen.add(k)
                    kept.append(v)
            self.values = kept
        self.width = code_width(self.rows)

    def generate(self, ctx: BatchContext) -> list[Any]:
        if self.unique:
            picked = unique_pick(self.values, _perm(self, len(self.values)), ctx.start, ctx.n)
            return fit_unique(picked, ctx.start, self.column.type.length, self.width)
        rng = ctx.rng(self.column.name)
        return cut(rng.choices(self.values, k=ctx.n), self.column.type.length)


# ---------------------------------------------------------------------------------------------
# dates and times (relative to the run's reference day, never the clock)
# ---------------------------------------------------------------------------------------------


class DateTimeParams(_P):
    start: dt.date | dt.datetime | None = None
    end: dt.date | dt.datetime | None = None
    days_back: Days = 730
    days_ahead: Days = 0


class _TimeRange(Generator):
    Params = DateTimeParams
    natively_unique = True

    def setup(self) -> None:
        p = self.params
        now = self.env.now_dt
        start = _as_datetime(p.start) if p.start else now - dt.timedelta(days=p.days_back)
        end = _as_datetime(p.end, end=True) if p.end else now + dt.timedelta(days=p.days_ahead)
        if self.column.type.kind == "year":
            start, end = max(start, dt.datetime(1901, 1, 1)), min(end, dt.datetime(2155, 1, 1))
        self.start = start
        self.seconds = max(0, int((end - start).total_seconds()))
        self.days = self.seconds // 86400

    def offsets(self, ctx: BatchContext) -> list[int]:
        if self.unique:
            return _perm(self, self.capacity() or 1).many(ctx.start, ctx.n)
        r = ctx.rng(self.column.name).random
        span = self.seconds + 1
        return [int(r() * span) for _ in range(ctx.n)]

    def day_offsets(self, ctx: BatchContext) -> list[int]:
        if self.unique:
            return _perm(self, self.days + 1).many(ctx.start, ctx.n)
        r = ctx.rng(self.column.name).random
        return [int(r() * (self.days + 1)) for _ in range(ctx.n)]

    def dates(self, ctx: BatchContext) -> list[Any]:
        base = self.start.date()
        td = dt.timedelta
        values = [base + td(d) for d in self.day_offsets(ctx)]
        if self.column.type.kind == "year":
            return [v.year for v in values]
        return _shape_time(values, self.column.type)


def _as_datetime(value: dt.date | dt.datetime, end: bool = False) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.combine(value, dt.time(23, 59, 59) if end else dt.time())


@register
class DateTimeGen(_TimeRange):
    name = "datetime"
    summary = "timestamps in a window before the reference day"
    kinds = ("datetime", "string", "text", "integer")

    def generate(self, ctx: BatchContext) -> list[Any]:
        if self.column.type.kind in ("date", "year"):  # the column keeps only the day
            return self.dates(ctx)
        base = self.start
        td = dt.timedelta
        values = [base + td(0, s) for s in self.offsets(ctx)]  # (days, seconds): no keywords
        return _shape_time(values, self.column.type)

    def capacity(self) -> int | None:
        if self.column.type.kind in ("date", "year"):
            return self.days + 1
        return self.seconds + 1


@register
class DateGen(_TimeRange):
    name = "date"
    summary = "dates in a window before the reference day"
    kinds = ("date", "datetime", "string", "text", "year")

    def generate(self, ctx: BatchContext) -> list[Any]:
        return self.dates(ctx)

    def capacity(self) -> int | None:
        return self.days + 1


def _shape_time(values: list[Any], column_type: Any) -> list[Any]:
    kind = column_type.kind
    if kind in ("string", "text"):
        return [
            v.isoformat(sep=" ") if isinstance(v, dt.datetime) else v.isoformat() for v in values
        ]
    if kind == "integer":  # unix epoch seconds
        epoch = dt.datetime(1970, 1, 1)
        return [int((v - epoch).total_seconds()) for v in values]
    if column_type.timezone:
        utc = dt.timezone.utc
        return [v.replace(tzinfo=utc) for v in values]
    return values


@register
class TimeGen(Generator):
    name = "time"
    summary = "times of day"
    kinds = ("time", "string", "text", "interval")

    class Params(_P):
        start_hour: int = Field(default=0, ge=0, le=23)
        end_hour: int = Field(default=23, ge=0, le=23)

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.params
        r = ctx.rng(self.column.name).random
        span = (p.end_hour - p.start_hour + 1) * 3600
        secs = [p.start_hour * 3600 + int(r() * span) for _ in range(ctx.n)]
        values = [dt.time(s // 3600, s // 60 % 60, s % 60) for s in secs]
        if self.column.type.kind == "interval":
            return [dt.timedelta(hours=t.hour, minutes=t.minute, seconds=t.second) for t in values]
        if self.column.type.kind in ("string", "text"):
            return [v.isoformat() for v in values]
        return values


@register
class IntervalGen(Generator):
    name = "interval"
    summary = "durations"
    kinds = ("interval", "time", "integer")

    class Params(_P):
        max_days: Days = 30

    def generate(self, ctx: BatchContext) -> list[Any]:
        r = ctx.rng(self.column.name).random
        span = self.params.max_days * 86400 + 1
        values = [dt.timedelta(seconds=int(r() * span)) for _ in range(ctx.n)]
        if self.column.type.kind == "time":
            return [
                dt.time(v.seconds // 3600, v.seconds // 60 % 60, v.seconds % 60) for v in values
            ]
        if self.column.type.kind == "integer":
            return [int(v.total_seconds()) for v in values]
        return values


# ---------------------------------------------------------------------------------------------
# text
# ---------------------------------------------------------------------------------------------


class TextParams(_P):
    style: Literal["word", "words", "sentence", "paragraph", "title"] = "sentence"
    min_words: Words = 2
    max_words: Words = 6


@register
class TextGen(Generator):
    name = "text"
    summary = "words, titles, sentences or paragraphs in the locale's language"
    Params = TextParams
    kinds = ("string", "text", "json", "unknown")
    natively_unique = True

    def setup(self) -> None:
        style = self.params.style
        pool = {"paragraph": "paragraph", "sentence": "sentence"}.get(style, "word")
        self.pool = self.env.pools.get(pool)
        self.length = self.column.type.length
        self.width = code_width(self.rows)

    def generate(self, ctx: BatchContext) -> list[Any]:
        style = self.params.style
        rng = ctx.rng(self.column.name)
        if style in ("sentence", "paragraph", "word"):
            values = rng.choices(self.pool, k=ctx.n)
        else:
            lo, hi = self.params.min_words, max(self.params.min_words, self.params.max_words)
            words = self.pool
            counts = randints(rng, lo, hi, ctx.n)
            flat = rng.choices(words, k=sum(counts))
            values, pos = [], 0
            for c in counts:
                values.append(" ".join(flat[pos : pos + c]))
                pos += c
            if style == "title":
                values = [v.title() for v in values]
            else:
                values = [v.capitalize() for v in values]
        if self.unique:
            values = [f"{v} {base36(i, self.width)}" for i, v in enumerate(values, ctx.start)]
            return fit_unique(values, ctx.start, self.length, self.width)
        if self.length:
            values = [_trim_words(v, self.length) for v in values]
        return values

    def capacity(self) -> int | None:
        # unique values end in a base-36 row code; a short column keeps only the code's end
        return 36**self.length if self.unique and self.length else None


def _trim_words(value: str, length: int) -> str:
    if len(value) <= length:
        return value
    cut_at = value.rfind(" ", 0, length)
    return value[: cut_at if cut_at > length // 2 else length].rstrip(" ,;")


class StringParams(_P):
    min_length: Size = 6
    max_length: Size = 12
    alphabet: Literal["alnum", "lower", "upper", "digits", "hex"] = "alnum"
    prefix: str = Field(default="", max_length=1_000)


ALPHABETS = {
    "alnum": "abcdefghijklmnopqrstuvwxyz0123456789",
    "lower": "abcdefghijklmnopqrstuvwxyz",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digits": "0123456789",
    "hex": "0123456789abcdef",
}


@register
class StringGen(Generator):
    """Codes and tokens; as unique values, numbered in the chosen alphabet."""

    name = "string"
    summary = "random codes of letters/digits (SKUs, tokens, unique fallbacks)"
    Params = StringParams
    kinds = ("string", "text", "binary", "unknown")
    natively_unique = True

    def setup(self) -> None:
        p = self.params
        self.alphabet = ALPHABETS[p.alphabet]
        limit = self.column.type.length
        room = (limit - len(p.prefix)) if limit else None
        self.max_len = min(p.max_length, room) if room is not None else p.max_length
        self.min_len = min(p.min_length, self.max_len)
        self.max_len = max(self.max_len, 0)
        # unique codes: fixed width wide enough for every row, within the column length
        base = len(self.alphabet)
        width = 1
        while base**width < max(self.rows, 1) * 4 and width < self.max_len:
            width += 1
        self.width = max(1, min(self.max_len, max(width, self.min_len)))

    def generate(self, ctx: BatchContext) -> list[Any]:
        prefix, alpha = self.params.prefix, self.alphabet
        if self.unique:
            size = len(alpha) ** self.width
            return [
                prefix + _encode(j, alpha, self.width)
                for j in _perm(self, size).many(ctx.start, ctx.n)
            ]
        rng = ctx.rng(self.column.name)
        lo, hi = self.min_len, self.max_len
        out = []
        for _ in range(ctx.n):
            k = rng.randint(lo, hi)
            out.append(prefix + "".join(rng.choices(alpha, k=k)))
        if self.column.type.kind == "binary":
            return [v.encode() for v in out]
        return out

    def capacity(self) -> int | None:
        return len(self.alphabet) ** self.width if self.unique else None


def _encode(n: int, alphabet: str, width: int) -> str:
    base = len(alphabet)
    chars = []
    for _ in range(width):
        n, r = divmod(n, base)
        chars.append(alphabet[r])
    return "".join(reversed(chars))


# ---------------------------------------------------------------------------------------------
# identifiers, structured values, binary, network
# ---------------------------------------------------------------------------------------------


@register
class UuidGen(Generator):
    name = "uuid"
    summary = "random version-4 UUIDs"
    kinds = ("uuid", "string", "text", "binary")
    natively_unique = True

    def generate(self, ctx: BatchContext) -> list[Any]:
        bits = ctx.rng(self.column.name).getrandbits
        values = [uuid.UUID(int=bits(128), version=4) for _ in range(ctx.n)]
        kind = self.column.type.kind
        if kind == "binary":
            return [u.bytes for u in values]
        if kind in ("string", "text"):
            length = self.column.type.length
            text = [str(u) for u in values]
            return [t.replace("-", "") for t in text] if length and length < 36 else text
        return values


@register
class JsonGen(Generator):
    name = "json"
    summary = "small JSON objects"
    kinds = ("json", "text", "string")

    def generate(self, ctx: BatchContext) -> list[Any]:
        rng = ctx.rng(self.column.name)
        words = self.env.pools.get("word")
        out = []
        for _ in range(ctx.n):
            out.append(
                {
                    "source": rng.choice(("web", "mobile", "api", "import")),
                    "score": rng.randint(0, 100),
                    "tags": rng.sample(words, k=rng.randint(0, 3)),
                }
            )
        if self.column.type.kind != "json":  # a text column holds the JSON text
            return [json.dumps(v, ensure_ascii=False) for v in out]
        return out


class BinaryParams(_P):
    min_length: Size = 8
    max_length: Size = 64


@register
class BinaryGen(Generator):
    name = "binary"
    summary = "random bytes"
    Params = BinaryParams
    kinds = ("binary", "unknown")
    natively_unique = True

    def generate(self, ctx: BatchContext) -> list[Any]:
        rng = ctx.rng(self.column.name)
        limit = self.column.type.length
        hi = min(self.params.max_length, limit) if limit else self.params.max_length
        lo = min(self.params.min_length, hi)
        if self.column.type.fixed and limit:
            lo = hi = limit
        out = [rng.randbytes(rng.randint(lo, hi)) for _ in range(ctx.n)]
        if self.unique:  # the row number in the first bytes keeps values apart
            width = max(4, (max(self.rows, 1).bit_length() + 7) // 8)
            out = [
                (i.to_bytes(width, "big") + v)[: max(hi, width)]
                for i, v in enumerate(out, ctx.start)
            ]
        return out


@register
class IPv4(Generator):
    name = "ipv4"
    summary = "public-looking IPv4 addresses"
    kinds = ("inet", "cidr", "string", "text")
    natively_unique = True

    def generate(self, ctx: BatchContext) -> list[Any]:
        if self.unique:
            base = int(ipaddress.IPv4Address("11.0.0.0"))
            perm = _perm(self, 2**24 * 100)
            addrs = [ipaddress.IPv4Address(base + j) for j in perm.many(ctx.start, ctx.n)]
        else:
            r = ctx.rng(self.column.name).randint
            addrs = [ipaddress.IPv4Address(r(0x0B000000, 0xDEFFFFFF)) for _ in range(ctx.n)]
        if self.column.type.kind == "cidr":
            return [str(ipaddress.IPv4Network(f"{a}/32")) for a in addrs]
        if self.column.type.sql.upper() == "INET6":  # IPv6 only: IPv4-mapped addresses
            return [f"::ffff:{a}" for a in addrs]
        return [str(a) for a in addrs]


@register
class MacAddress(Generator):
    name = "mac_address"
    summary = "MAC addresses"
    kinds = ("macaddr", "string", "text")
    natively_unique = True

    def generate(self, ctx: BatchContext) -> list[Any]:
        if self.unique:
            values = [0x020000000000 + j for j in _perm(self, 2**40).many(ctx.start, ctx.n)]
        else:
            bits = ctx.rng(self.column.name).getrandbits
            values = [0x020000000000 | bits(40) for _ in range(ctx.n)]
        return [":".join(f"{(v >> s) & 0xFF:02x}" for s in range(40, -1, -8)) for v in values]


@register
class BitGen(Generator):
    name = "bits"
    summary = "bit strings"
    kinds = ("bit",)

    def generate(self, ctx: BatchContext) -> list[Any]:
        n_bits = self.column.type.length or 1
        bits = ctx.rng(self.column.name).getrandbits
        values = [bits(n_bits) for _ in range(ctx.n)]
        return [format(v, f"0{n_bits}b") for v in values]


class SetParams(_P):
    values: list[str] = Field(min_length=1)
    max_items: Items = 3


@register
class SetGen(Generator):
    name = "set"
    summary = "a subset of the allowed values (MySQL SET)"
    Params = SetParams
    kinds = ("set", "array")

    def generate(self, ctx: BatchContext) -> list[Any]:
        rng = ctx.rng(self.column.name)
        values = self.params.values
        top = min(self.params.max_items, len(values))
        out = []
        for _ in range(ctx.n):
            chosen = set(rng.sample(range(len(values)), rng.randint(0, top)))
            out.append([values[i] for i in range(len(values)) if i in chosen])
        return out


class ArrayParams(_P):
    item: Literal["integer", "text", "decimal", "uuid", "date", "boolean"] = "text"
    max_items: int = Field(default=4, ge=0, le=100)


@register
class ArrayGen(Generator):
    name = "array"
    summary = "arrays of short values"
    Params = ArrayParams
    kinds = ("array",)

    def setup(self) -> None:
        """Elements of other types (ranges, network addresses, CHAR(n), ...) come from the
        generator a column of the element type would get, so they fit that type."""
        self.element: Generator | None = None
        item = self.column.type.item
        if item is not None and (item.kind not in _ARRAY_ITEMS or item.length or item.precision):
            from ..planner import TYPE_DEFAULTS
            from . import build

            name, params = TYPE_DEFAULTS.get(item.kind, ("null", {}))
            if item.values:  # an array of an enum type
                name, params = "choice", {"values": list(item.values)}
            element = ColumnInfo(name=self.column.name, type=item, nullable=False)
            self.element = build(name, params, element, self.table, self.env)

    def generate(self, ctx: BatchContext) -> list[Any]:
        rng = ctx.rng(self.column.name)
        if self.element is not None:
            sizes = [rng.randint(0, self.params.max_items) for _ in range(ctx.n)]
            flat = self.element.generate(
                dataclasses.replace(ctx, n=sum(sizes), columns={}, entities={})
            )
            ends = list(itertools.accumulate(sizes))
            return [flat[end - size : end] for size, end in zip(sizes, ends)]
        item = self.column.type.item.kind if self.column.type.item else self.params.item
        words = self.env.pools.get("word")
        make = {
            "integer": lambda: rng.randint(1, 1000),
            "decimal": lambda: Decimal(rng.randint(100, 99999)).scaleb(-2),
            "float": lambda: round(rng.random() * 100, 3),
            "boolean": lambda: rng.random() < 0.5,
            "date": lambda: self.env.now - dt.timedelta(days=rng.randint(0, 730)),
            "uuid": lambda: uuid.UUID(int=rng.getrandbits(128), version=4),
        }.get(item, lambda: rng.choice(words))
        return [
            [make() for _ in range(rng.randint(0, self.params.max_items))] for _ in range(ctx.n)
        ]


# Element kinds an array draws itself (short, realistic values); others ask their generator.
_ARRAY_ITEMS = ("integer", "decimal", "float", "boolean", "date", "uuid", "string", "text")


@register
class RangeGen(Generator):
    name = "range"
    summary = "PostgreSQL ranges with lower < upper; unique: no two overlap"
    kinds = ("range",)
    natively_unique = True

    def generate(self, ctx: BatchContext) -> list[Any]:
        from psycopg.types.range import Range

        rng = ctx.rng(self.column.name)
        item = self.column.type.item.kind if self.column.type.item else "integer"
        if self.unique:
            return self._wrap(self._disjoint(ctx, rng, item, Range))
        out = []
        for _ in range(ctx.n):
            if item in ("date", "datetime"):
                lo = self.env.now - dt.timedelta(days=rng.randint(1, 730))
                hi = lo + dt.timedelta(days=rng.randint(1, 60))
                if item == "datetime":
                    lo = dt.datetime.combine(lo, dt.time(rng.randint(0, 23)))
                    hi = dt.datetime.combine(hi, dt.time(rng.randint(0, 23)))
                    if self.column.type.sql.upper().startswith("TSTZ"):
                        lo, hi = (
                            lo.replace(tzinfo=dt.timezone.utc),
                            hi.replace(tzinfo=dt.timezone.utc),
                        )
            else:
                lo = rng.randint(0, 1000)
                hi = lo + rng.randint(1, 100)
                if item == "decimal":
                    lo, hi = Decimal(lo), Decimal(hi)
            out.append(Range(lo, hi, "[)"))
        return self._wrap(out)

    def _disjoint(self, ctx: BatchContext, rng: Any, item: str, make: Any) -> list[Any]:
        """Ranges that overlap no other of the column (an exclusion constraint ``WITH &&``):
        row i of the table, existing rows counted, gets the i-th slot after the reference day
        (a day for dates, two hours for times, ten for numbers), most of it filled."""
        out = []
        start = dt.datetime.combine(self.env.now, dt.time(8))
        if self.column.type.sql.upper().startswith("TSTZ"):
            start = start.replace(tzinfo=dt.timezone.utc)
        for i in range(ctx.start, ctx.start + ctx.n):
            if item == "date":
                lo = self.env.now + dt.timedelta(days=i)
                out.append(make(lo, lo + dt.timedelta(days=1), "[)"))
            elif item == "datetime":
                lo = start + dt.timedelta(hours=2 * i)
                out.append(make(lo, lo + dt.timedelta(minutes=rng.randint(30, 120)), "[)"))
            else:
                lo = 10 * i
                hi = lo + rng.randint(1, 10)
                if item == "decimal":
                    lo, hi = Decimal(lo), Decimal(hi)
                out.append(make(lo, hi, "[)"))
        return out

    def _wrap(self, ranges: list[Any]) -> list[Any]:
        if "MULTIRANGE" in self.column.type.sql.upper():
            from psycopg.types.multirange import Multirange

            return [Multirange([r]) for r in ranges]
        return ranges
