"""Values ordered against another column of the same row.

``CHECK (end_date > start_date)`` and ``CHECK (max_price >= min_price)`` are met by
construction: the dependent column is the other column's value plus (or minus) a random gap,
so no row has to be redrawn. The gap is at least one unit of the column's type when the
comparison is strict (a day for dates, a second for timestamps, the last decimal place for
numbers).
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import Decimal
from itertools import repeat
from typing import Any

from pydantic import Field

from . import register
from .base import MAX_DAYS, BatchContext, Days, Generator, Params, RunEnv, SpanDays
from .core import decimal_limit, integer_limits


class OffsetParams(Params):
    column: str
    above: bool = True  # greater than the other column; False: smaller
    strict: bool = True  # never equal
    # days for dates and times, units for numbers
    max_gap: float = Field(default=90.0, gt=0, le=MAX_DAYS)


@register
class Offset(Generator):
    name = "offset"
    summary = "a value above or below another column of the same row (end > start)"
    Params = OffsetParams
    kinds = ("date", "datetime", "time", "integer", "decimal", "float", "money", "year")

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (self.params.column,)

    def generate(self, ctx: BatchContext) -> list[Any]:
        base = ctx.columns[self.params.column]
        r = ctx.rng(self.column.name).random
        step = self._step()
        sign = 1 if self.params.above else -1
        low = 1 if self.params.strict else 0
        span = max(int(self.params.max_gap * self._per_unit()), low + 1)
        out: list[Any] = []
        for b in base:
            if b is None:
                if self.column.nullable:
                    out.append(None)
                    continue
                b = self._fallback()  # the CHECK passes on NULL; the column still needs a value
            gap = low + int(r() * (span - low + 1))
            out.append(self._shift(b, sign * gap * step))
        return out

    def _fallback(self) -> Any:
        kind = self.column.type.kind
        if kind == "date":
            return self.env.now
        if kind == "datetime":
            return self.env.now_dt
        if kind == "time":
            return dt.time(9, 0)
        return Decimal(0) if kind in ("decimal", "money") else 0

    def _per_unit(self) -> float:
        """How many steps make one unit of ``max_gap`` (days for times)."""
        kind = self.column.type.kind
        if kind == "datetime":
            return 86400.0
        if kind == "time":
            return 3600.0 / 90  # up to an hour later the same day
        if kind in ("decimal", "money", "float"):
            return 10.0 ** self._scale()
        return 1.0

    def _scale(self) -> int:
        scale = self.column.type.scale
        return 2 if scale is None else scale

    def _step(self) -> Any:
        kind = self.column.type.kind
        if kind == "date":
            return dt.timedelta(days=1)
        if kind in ("datetime", "time"):
            return dt.timedelta(seconds=1)
        if kind in ("decimal", "money"):
            return Decimal(1).scaleb(-self._scale())
        if kind == "float":
            return 10.0 ** -self._scale()
        return 1

    def _shift(self, base: Any, delta: Any) -> Any:
        kind = self.column.type.kind
        if isinstance(base, str):
            base = _parse(base, kind)
        if kind == "time" and isinstance(base, dt.time):
            moved = dt.datetime.combine(dt.date(2000, 1, 1), base) + delta
            return moved.time() if moved.date() == dt.date(2000, 1, 1) else base
        if kind == "date" and isinstance(base, dt.datetime):
            base = base.date()
        if isinstance(base, (dt.date, dt.datetime)) and isinstance(delta, dt.timedelta):
            return base + delta
        if isinstance(base, Decimal) or isinstance(delta, Decimal):
            return self._clamp(Decimal(str(base)) + Decimal(str(delta)))
        return self._clamp(base + delta)

    def _clamp(self, value: Any) -> Any:
        """Within the type (a row at the very edge fails its CHECK and is redrawn)."""
        t = self.column.type
        if t.kind == "integer":
            lo, hi = integer_limits(t)
            return int(min(max(value, lo), hi))
        limit = decimal_limit(t) if t.kind == "decimal" else None
        if limit is not None:
            value = min(max(value, -limit), limit)
            if t.unsigned:
                value = max(value, Decimal(0))
        return value


def _parse(value: str, kind: str) -> Any:
    try:
        if kind == "date":
            return dt.date.fromisoformat(value[:10])
        if kind == "time":
            return dt.time.fromisoformat(value)
        return dt.datetime.fromisoformat(value)
    except ValueError:
        return value


class AfterParentParams(Params):
    fk: str  # the foreign key (its label) that leads to the parent row
    column: str  # the parent's time column
    max_days: SpanDays = Field(default=365.0, gt=0)
    days_back: Days = 730  # rows without a parent: a window before the reference day


PARENT_VALUES = "\x00parent:"  # ctx.columns key prefix of the parent values of a batch


def parent_key(fk: str, column: str) -> str:
    """Where the synthesizer puts a batch's parent values for ``after_parent``."""
    return f"{PARENT_VALUES}{fk}.{column}"


@register
class AfterParent(Generator):
    """A child row's time after its parent row's (an order's items after the order,
    a post's comments after the post)."""

    name = "after_parent"
    summary = "a time after the parent row's time (comments after their post)"
    Params = AfterParentParams
    kinds = ("datetime", "date", "string", "text")

    def setup(self) -> None:
        fk = next((f for f in self.table.foreign_keys if f.label == self.params.fk), None)
        if fk is None:
            raise ValueError(f"no foreign key {self.params.fk!r} on {self.table.name}")
        self.fk_columns = tuple(fk.columns)

    @property
    def depends_on(self) -> tuple[str, ...]:
        return self.fk_columns

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.params
        parents = ctx.columns.get(parent_key(p.fk, p.column)) or [None] * ctx.n
        r = ctx.rng(self.column.name).random
        window = p.days_back * 86400
        now = self.env.now_dt
        td = dt.timedelta
        # one draw per row for rows without a parent time, one for the gap after it
        own = None
        if None in parents:  # rows without a parent time draw their own, first
            own = [now - td(seconds=int(r() * window)) if v is None else None for v in parents]
        values: list[Any] = later_times(list(parents), r, 0.0, p.max_days, self.env, False)
        if own is not None:
            values = [v if v is not None else o for v, o in zip(values, own)]
        if self.column.type.timezone:
            utc = dt.timezone.utc
            values = [v if v.tzinfo else v.replace(tzinfo=utc) for v in values]
        elif any(map(_TZINFO, values)):
            values = [_naive_utc(v) for v in values]
        return shape_times(values, self.column.type.kind)


def _naive_utc(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return value


# ---------------------------------------------------------------------------------------------
# times after other times: of the same row (updated after created), of the parent row
# ---------------------------------------------------------------------------------------------


class AfterParams(Params):
    column: str
    min_days: SpanDays = 0.0
    max_days: SpanDays = 90.0
    null_rate: float = Field(default=0.0, ge=0, le=1)
    future: bool = False  # may pass the reference day (due dates, expiry dates)
    # other columns of the row the value must not precede either (an update after delivery)
    also: list[str] = Field(default_factory=list, max_length=20)


@register
class After(Generator):
    """A time after another column of the same row (updated_at after created_at)."""

    name = "after"
    summary = "a time after another column of the same row"
    Params = AfterParams
    kinds = ("datetime", "date", "string", "text")

    @property
    def depends_on(self) -> tuple[str, ...]:
        return (self.params.column, *self.params.also)

    def generate(self, ctx: BatchContext) -> list[Any]:
        p = self.params
        r = ctx.rng(self.column.name).random
        base = ctx.columns[p.column]
        if p.also:
            base = _latest(base, [ctx.columns[c] for c in p.also])
        out = later_times(base, r, p.min_days, p.max_days, self.env, p.future)
        if p.null_rate:
            out = [None if r() < p.null_rate else v for v in out]
        return shape_times(out, self.column.type.kind)


def _latest(base: list[Any], others: list[list[Any]]) -> list[Any]:
    """Per row, the latest of the base time and the other columns' times (NULLs ignored);
    NULL where the base is NULL."""
    out = []
    for i, b in enumerate(base):
        if b is None:
            out.append(None)
            continue
        best = b if type(b) is dt.datetime else _parse_time(b)
        for column in others:
            v = column[i]
            if v is None:
                continue
            if type(v) is not dt.datetime:
                v = _parse_time(v)
            if v.tzinfo is None and best.tzinfo is None:
                if v > best:
                    best = v
            elif _naive(v) > _naive(best):
                best = v
        out.append(best)
    return out


def _naive(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is None else value.astimezone(dt.timezone.utc).replace(tzinfo=None)


def later_times(
    base: list[Any], r: Any, min_days: float, max_days: float, env: RunEnv, future: bool
) -> list[Any]:
    """Each base time plus a random gap of ``min_days`` to ``max_days`` (None stays None).

    Unless ``future`` is set, a value never passes the reference moment: the gap is drawn
    from what is left until then, so rows close to the reference day stay spread out.
    """
    limit = env.now_dt
    lo, top = min_days * 86400, max_days * 86400
    td = dt.timedelta
    if None in base or set(map(type, base)) != {dt.datetime} or any(map(_TZINFO, base)):
        return _later_times_mixed(base, r, lo, top, limit, future)
    # naive datetimes only (the usual case): the arithmetic around the draws runs in C
    if future:
        his: Any = repeat(top, len(base))
    else:
        lefts = map(td.total_seconds, map(operator.sub, repeat(limit), base))
        his = [top if left > top else (left if left > 0 else 0.0) for left in lefts]
    gaps: list[int] = []
    append = gaps.append
    for hi in his:
        low = lo if lo < hi else hi
        append(int(low + r() * (hi - low)))
    return list(map(operator.add, base, map(td, repeat(0), gaps)))


_TZINFO = operator.attrgetter("tzinfo")


def _later_times_mixed(
    base: list[Any], r: Any, lo: float, top: float, limit: dt.datetime, future: bool
) -> list[Any]:
    """``later_times`` for NULLs, text and zone-aware times among the base values."""
    td = dt.timedelta
    datetime = dt.datetime
    out: list[Any] = []
    append = out.append
    for b in base:
        if b is None:
            append(None)
            continue
        if type(b) is not datetime:
            b = _parse_time(b)
        hi = top
        if not future:
            left = (limit - (b if b.tzinfo is None else b.replace(tzinfo=None))).total_seconds()
            hi = top if left > top else (left if left > 0 else 0.0)
        low = lo if lo < hi else hi
        append(b + td(0, int(low + r() * (hi - low))))  # (days, seconds): no keywords
    return out


def shape_times(values: list[Any], kind: str) -> list[Any]:
    """Datetimes as the column holds them: dates, ISO text, or as they are."""
    if kind == "date":
        return [v.date() if isinstance(v, dt.datetime) else v for v in values]
    if kind in ("string", "text"):
        return [None if v is None else v.isoformat(sep=" ") for v in values]
    return values


def _parse_time(value: Any) -> Any:
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value
