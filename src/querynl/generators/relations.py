"""Values ordered against another column of the same row.

``CHECK (end_date > start_date)`` and ``CHECK (max_price >= min_price)`` are met by
construction: the dependent column is the other column's value plus (or minus) a random gap,
so no row has to be redrawn. The gap is at least one unit of the column's type when the
comparison is strict (a day for dates, a second for timestamps, the last decimal place for
numbers).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import Field

from . import register
from .base import MAX_DAYS, BatchContext, Generator, Params
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
