"""A request's distributions and value ranges, applied to the column plans of each table.

The parser reads "80% of orders shipped, the rest pending", "mostly active users", "prices
between 5 and 50", "customers aged 18 to 30", "orders from the last 90 days" and "created in
2024" into :class:`Distribution` and :class:`ValueRange` records. It names the table and the
column when the schema lets it; otherwise it passes a hint word ("price") or nothing, and the
column is chosen here, where the planned generators are known:

- a distribution goes to the column whose legal values (enum labels, CHECK IN lists) hold the
  values it names; the parser's ``{"true": p}`` for a yes/no column becomes the column's own
  yes and no values (``True``/``False``, ``1``/``0``, ``'Y'``/``'N'``, ``'T'``/``'F'``...);
- a number range goes to the numeric column the hint names, intersected with what the column's
  CHECKs and type allow; an age range to the age or birth-date column; a date window or
  "last N days" to the named date column, or to the table's main time column (its creation or
  order time) when none is named, and then also bounds the table's other plain timestamps.

Anything that fits no column is reported in plain words in the plan's notes, never dropped
silently. A range that a CHECK makes impossible is an error that names the CHECK.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from typing import Any

from . import checks as checks_mod
from .errors import RequestError
from .generators.core import decimal_limit, integer_limits
from .models import (
    ColumnInfo,
    ColumnPlan,
    Distribution,
    TableInfo,
    TablePlan,
    TestDataRequest,
    ValueRange,
)
from .request_tokens import forms, ident_words, norm

# Yes/no spellings, as (yes, no); matched case-insensitively against a column's legal values
# and defaults, and written back in the column's own spelling.
FLAG_PAIRS: tuple[tuple[str, str], ...] = (
    ("y", "n"),
    ("t", "f"),
    ("yes", "no"),
    ("true", "false"),
    ("1", "0"),
    ("on", "off"),
    ("j", "n"),  # ja/nein
    ("s", "n"),  # sí/no
    ("o", "n"),  # oui/non
    ("active", "inactive"),
    ("enabled", "disabled"),
)
NUMERIC = frozenset({"integer", "decimal", "float", "money"})
TIMES = frozenset({"date", "datetime"})
DATE_KINDS = TIMES | {"year", "string", "text"}  # what a date window can fill
AGE_KINDS = NUMERIC | TIMES | {"string", "text"}  # an age, or a birth date
TIME_GENERATORS = frozenset({"date", "datetime"})
# The column a table's rows "are from": creation first, then the event that makes the row.
MAIN_TIME_WORDS = (
    "created",
    "creation",
    "create",
    "ordered",
    "order",
    "placed",
    "registered",
    "registration",
    "signup",
    "joined",
    "join",
    "inserted",
    "posted",
    "published",
    "issued",
    "invoice",
    "payment",
    "rental",
    "hire",
    "start",
    "date",
    "time",
    "at",
    "on",
)
NOT_MAIN_TIME = ("birth", "dob", "born", "deleted", "expir", "due", "end", "until", "last_update")
BIRTH_WORDS = ("birth", "dob", "born")


# ---------------------------------------------------------------------------------------------
# yes/no columns
# ---------------------------------------------------------------------------------------------


def flag_values(col: ColumnInfo, legal: list[Any] | None = None) -> tuple[Any, Any, str]:
    """(yes value, no value, how they were chosen) for a column a request treats as yes/no.

    >>> flag_values(char1_vip_column, ["Y", "N"])  # doctest: +SKIP
    ('Y', 'N', 'its legal values')
    """
    if legal:
        by_lower = {str(v).strip().lower(): v for v in legal}
        for yes, no in FLAG_PAIRS:
            if yes in by_lower and no in by_lower:
                return by_lower[yes], by_lower[no], "its legal values"
    kind = col.type.kind
    if kind == "boolean":
        return True, False, "boolean"
    if kind in ("integer", "bit", "decimal", "float", "money"):
        return 1, 0, "a number used as a flag"
    default = _literal(col.default)
    if default:
        for yes, no in FLAG_PAIRS:
            if default.lower() in (yes, no):
                upper = default.isupper()
                return (
                    (yes.upper(), no.upper(), f"its default {default!r}")
                    if upper
                    else (
                        yes,
                        no,
                        f"its default {default!r}",
                    )
                )
    length = col.type.length
    if length is not None and length < 3:
        return "Y", "N", "a one-letter flag"
    if length is not None and length < 5:
        return "yes", "no", "a short text flag"
    return "true", "false", "a text flag"


def _literal(default: str | None) -> str | None:
    """The text of a default such as ``'Y'``, ``'Y'::bpchar`` or ``Y``."""
    if not default:
        return None
    m = re.match(r"\s*\(*'((?:[^']|'')*)'", default)
    text = m[1] if m else default.strip().strip("()")
    return text if re.fullmatch(r"\w{1,8}", text) else None


def _is_flag_distribution(dist: Distribution) -> bool:
    keys = {str(k).lower() for k in dist.weights} | {str(r).lower() for r in dist.rest}
    return bool(keys) and keys <= {"true", "false"}


def _p_true(dist: Distribution) -> float:
    weights = {str(k).lower(): v for k, v in dist.weights.items()}
    if "true" in weights and "false" in weights:
        total = weights["true"] + weights["false"]
        return weights["true"] / total if total > 0 else 0.5
    if "true" in weights:
        return weights["true"]
    return 1.0 - weights.get("false", 0.0)


# ---------------------------------------------------------------------------------------------
# applying a request to the plan of one table
# ---------------------------------------------------------------------------------------------


class RequestDetails:
    """Applies a request's distributions and ranges, table by table, and reports leftovers.

    >>> details = RequestDetails(request, now)          # doctest: +SKIP
    >>> details.apply(table_info, table_plan, checks)   # for every planned table
    >>> plan_notes += details.leftovers()
    """

    def __init__(self, request: TestDataRequest, now: dt.date) -> None:
        self.request = request
        self.now = now
        self.notes: list[str] = []
        self.applied: set[int] = set()  # ids of distributions and ranges that reached a column
        self.planned: set[str] = set()

    def apply(self, table: TableInfo, tplan: TablePlan, model: checks_mod.CheckModel) -> None:
        self.planned.add(tplan.table)
        for dist in self.request.distributions:
            if dist.table in (None, tplan.table) and self._distribution(table, tplan, dist):
                self.applied.add(id(dist))
        for rng in self.request.ranges:
            if rng.table in (None, tplan.table) and self._range(table, tplan, model, rng):
                self.applied.add(id(rng))

    def leftovers(self) -> list[str]:
        """A note for every distribution and range that fits no planned column."""
        out = list(self.notes)
        for dist in self.request.distributions:
            if id(dist) not in self.applied:
                out.append(self._unplaced(dist.table) or _unplaced_distribution(dist))
        for rng in self.request.ranges:
            if id(rng) not in self.applied:
                out.append(self._unplaced(rng.table, rng) or _unplaced_range(rng))
        return out

    def _unplaced(self, table: str | None, rng: ValueRange | None = None) -> str | None:
        if table is None or table in self.planned:
            return None
        what = describe_range(rng) if rng else f"the shares for {table}"
        return f"Not applied: {what} — this request does not fill {table}."

    # -------------------------------------------------------------------------- distributions

    def _distribution(self, table: TableInfo, tplan: TablePlan, dist: Distribution) -> bool:
        cp = _distribution_target(tplan, dist)
        if cp is None:
            return False
        col = table.column(cp.name)
        where = f"{tplan.table}.{cp.name}"
        if _is_flag_distribution(dist) and not _names_values(cp, dist):
            return self._flag(col, cp, dist, where)
        legal = list(cp.params.get("values") or []) if cp.generator == "choice" else []
        if not legal and col.type.kind in ("string", "text"):
            return self._free_values(col, cp, dist, where)
        unknown = [k for k in dist.weights if not _has_value(legal, k)]
        unknown += [r for r in dist.rest if not _has_value(legal, r)]
        if unknown:
            self.notes.append(
                f"{where} cannot hold {', '.join(repr(u) for u in unknown)}; its values are "
                f"{', '.join(str(v) for v in legal)}. Those shares are left out."
            )
        weights = distribution_weights(legal, dist.weights, dist.rest)
        if sum(weights) <= 0:
            return True  # reported above: nothing it names is legal
        cp.generator = "choice"
        cp.params = {"values": legal, "weights": weights}
        cp.null_rate = 0.0
        cp.note = "share from the request"
        return True

    def _free_values(self, col: ColumnInfo, cp: ColumnPlan, dist: Distribution, where: str) -> bool:
        """A text column with no list of legal values takes the values the request names."""
        values = list(dict.fromkeys([*dist.weights, *dist.rest]))
        length = col.type.length
        too_long = [v for v in values if length and len(str(v)) > length]
        if too_long:
            self.notes.append(
                f"{where} holds at most {length} characters; "
                f"{', '.join(repr(v) for v in too_long)} do not fit. The shares are left out."
            )
            return True
        cp.generator = "choice"
        weights = distribution_weights(values, dist.weights, dist.rest)
        cp.params = {"values": values, "weights": weights}
        cp.null_rate = 0.0
        cp.note = "values and shares from the request"
        return True

    def _flag(self, col: ColumnInfo, cp: ColumnPlan, dist: Distribution, where: str) -> bool:
        legal = cp.params.get("values") if cp.generator == "choice" else None
        yes, no, how = flag_values(col, legal)
        p = min(1.0, max(0.0, _p_true(dist)))
        if cp.generator == "boolean" and yes in (True, 1) and no in (False, 0):
            cp.params = {**cp.params, "p_true": p}
        else:
            cp.generator, cp.params = "choice", {"values": [yes, no], "weights": [p, 1.0 - p]}
        cp.null_rate = 0.0
        cp.note = f"yes = {yes!r}, no = {no!r} ({how}); share from the request"
        return True

    # -------------------------------------------------------------------------- ranges

    def _range(
        self,
        table: TableInfo,
        tplan: TablePlan,
        model: checks_mod.CheckModel,
        rng: ValueRange,
    ) -> bool:
        cp = _range_target(table, tplan, rng)
        if cp is None:
            return False
        col = table.column(cp.name)
        where = f"{tplan.table}.{cp.name}"
        if cp.generator in ("sequence", "foreign_key"):
            self.notes.append(f"{where} is a key; the range {_range_text(rng)} is not applied.")
            return True
        fits = AGE_KINDS if rng.kind == "age" else NUMERIC if rng.kind == "number" else DATE_KINDS
        if col.type.kind not in fits:
            what = {"age": "an age or a birth date", "number": "a number"}.get(rng.kind, "a date")
            self.notes.append(
                f"{where} is not {what} ({col.type.sql}); the range {_range_text(rng)} is ignored."
            )
            return True
        if rng.kind == "age":
            _apply_age(col, cp, rng)
        elif rng.kind == "number":
            self._number(col, cp, model.domain(cp.name), rng, where)
        else:
            window = self._window(rng)
            _apply_window(col, cp, window, self.now)
            if rng.column is None:  # "orders from the last 90 days": the whole row is from then
                for other in tplan.columns:
                    if other is not cp and _plain_time(table, other):
                        other_col = table.column(other.name)
                        _apply_window(other_col, other, window, self.now, narrow_only=True)
        return True

    def _number(
        self,
        col: ColumnInfo,
        cp: ColumnPlan,
        domain: checks_mod.Domain | None,
        rng: ValueRange,
        where: str,
    ) -> None:
        if cp.generator in ("person.age",):
            _apply_age(col, cp, rng)
            return
        low, high = _as_number(rng.low), _as_number(rng.high)
        lo_ok, hi_ok = allowed_bounds(col, domain)
        integer = col.type.kind == "integer"
        if integer:
            low = math.ceil(low) if low is not None else None
            high = math.floor(high) if high is not None else None
        if (
            (low is not None and hi_ok is not None and low > hi_ok)
            or (high is not None and lo_ok is not None and high < lo_ok)
            or (low is not None and high is not None and low > high)
        ):
            raise RequestError(
                f"The request asks for {where} in {_range_text(rng)}, but the column only "
                f"allows {_bounds_text(lo_ok, hi_ok)}.",
                column=col.name,
                hint="Ask for a range inside what the column's type and CHECKs allow.",
            )
        clipped_low = max(low, lo_ok) if low is not None and lo_ok is not None else low
        clipped_high = min(high, hi_ok) if high is not None and hi_ok is not None else high
        if (clipped_low, clipped_high) != (low, high):
            self.notes.append(
                f"{where}: {_range_text(rng)} narrowed to what the column allows "
                f"({_bounds_text(lo_ok, hi_ok)})."
            )
        if cp.generator == "choice":
            legal = cp.params.get("values", [])
            values = [v for v in legal if _within(v, clipped_low, clipped_high)]
            if not values:
                raise RequestError(
                    f"No legal value of {where} lies in {_range_text(rng)}.",
                    hint=f"Legal values: {', '.join(map(str, cp.params.get('values', [])))}.",
                )
            cp.params = {"values": values}
            return
        _set_numeric(col, cp, clipped_low, clipped_high, lo_ok, hi_ok)
        cp.note = f"range from the request ({_range_text(rng)})"

    def _window(self, rng: ValueRange) -> tuple[dt.date | None, dt.date | None, int | None]:
        """(start, end, days back) of a date window or a "last N days" range."""
        if rng.kind == "recent_days":
            return None, None, int(float(rng.low or 0))
        return _as_date(rng.low), _as_date(rng.high), None


# ---------------------------------------------------------------------------------------------
# choosing the column
# ---------------------------------------------------------------------------------------------


def _has_value(legal: list[Any], key: Any) -> bool:
    wanted = str(key).lower()
    return any(str(v).lower() == wanted for v in legal)


def _names_values(cp: ColumnPlan, dist: Distribution) -> bool:
    """True when a choice column literally holds 'true'/'false' (then they are values)."""
    legal = cp.params.get("values") or []
    return cp.generator == "choice" and all(_has_value(legal, k) for k in dist.weights)


def _distribution_target(tplan: TablePlan, dist: Distribution) -> ColumnPlan | None:
    if dist.column:
        return next((c for c in tplan.columns if c.name == dist.column), None)
    keys = list(dist.weights) + list(dist.rest)
    for cp in tplan.columns:
        legal = cp.params.get("values") or []
        if cp.generator == "choice" and all(_has_value(legal, k) for k in keys):
            return cp
    return None


def _words(name: str) -> set[str]:
    return {norm(f) for w in ident_words(name) for f in forms(w)}


def _range_target(table: TableInfo, tplan: TablePlan, rng: ValueRange) -> ColumnPlan | None:
    columns = [cp for cp in tplan.columns if cp.generator != "foreign_key"]
    if rng.column:
        exact = next((cp for cp in columns if cp.name == rng.column), None)
        if exact is not None:
            return exact
        hint = _words(rng.column)
        kinds = NUMERIC if rng.kind == "number" else None
        named = [
            cp
            for cp in columns
            if hint & _words(cp.name)
            and (kinds is None or table.column(cp.name).type.kind in kinds)
        ]
        if rng.kind != "age" or named:
            return named[0] if named else None
    if rng.kind == "age":
        return _age_column(table, columns)
    if rng.kind in ("date", "recent_days"):
        return main_time_column(table, columns)
    return None


def _age_column(table: TableInfo, columns: list[ColumnPlan]) -> ColumnPlan | None:
    for cp in columns:
        if cp.name.lower() == "age" and table.column(cp.name).type.kind in NUMERIC:
            return cp
    for cp in columns:
        name = cp.name.lower()
        if any(w in name for w in BIRTH_WORDS) and table.column(cp.name).type.kind in TIMES:
            return cp
    return None


def main_time_column(table: TableInfo, columns: list[ColumnPlan]) -> ColumnPlan | None:
    """The column a row "is from": created_at, order_date, ... (None when there is none)."""
    candidates = [
        cp
        for cp in columns
        if table.column(cp.name).type.kind in TIMES
        and not any(w in cp.name.lower() for w in NOT_MAIN_TIME)
    ]

    def rank(cp: ColumnPlan) -> tuple[int, int]:
        words = ident_words(cp.name)
        hits = [i for i, w in enumerate(MAIN_TIME_WORDS) if w in words]
        nullable = table.column(cp.name).nullable
        return (min(hits) if hits else len(MAIN_TIME_WORDS), int(nullable))

    return min(candidates, key=rank) if candidates else None


def _plain_time(table: TableInfo, cp: ColumnPlan) -> bool:
    """A timestamp drawn from a window before the reference day (not a birth date, no future)."""
    if cp.generator not in TIME_GENERATORS or table.column(cp.name).type.kind not in TIMES:
        return False
    if any(w in cp.name.lower() for w in BIRTH_WORDS):
        return False
    return not cp.params.get("days_ahead") and not cp.params.get("end")


# ---------------------------------------------------------------------------------------------
# setting parameters
# ---------------------------------------------------------------------------------------------


def distribution_weights(legal: list[Any], asked: dict[str, float], rest: list[str]) -> list[float]:
    """Weights over the legal values: the named shares, then the remainder.

    The remainder goes to the values named as "the rest" when there are any, otherwise it is
    shared by every value the request did not name.

    >>> distribution_weights(["pending", "shipped", "lost"], {"shipped": 0.8}, ["pending"])
    [0.2, 0.8, 0.0]
    """
    lowered = {str(k).lower(): v for k, v in asked.items()}
    named = [lowered.get(str(v).lower()) for v in legal]
    remainder = max(0.0, 1.0 - sum(w for w in named if w is not None))
    rest_set = {str(r).lower() for r in rest}
    takers = [
        i
        for i, v in enumerate(legal)
        if named[i] is None and (not rest_set or str(v).lower() in rest_set)
    ]
    share = remainder / len(takers) if takers else 0.0
    return [w if w is not None else (share if i in takers else 0.0) for i, w in enumerate(named)]


def _apply_age(col: ColumnInfo, cp: ColumnPlan, rng: ValueRange) -> None:
    low = int(_as_number(rng.low) or 0)
    given = _as_number(rng.high)
    high = int(given) if given is not None else max(low, 90)
    if col.type.kind in NUMERIC:
        cp.generator = "person.age"
    else:
        cp.generator = "person.birth_date"
    cp.params = {"min_age": low, "max_age": high}
    cp.note = f"ages {low} to {high} from the request"


def _apply_window(
    col: ColumnInfo,
    cp: ColumnPlan,
    window: tuple[dt.date | None, dt.date | None, int | None],
    now: dt.date,
    *,
    narrow_only: bool = False,
) -> None:
    start, end, days_back = window
    if cp.generator not in TIME_GENERATORS:
        cp.generator = "date" if col.type.kind in ("date", "year") else "datetime"
        cp.params = {}
    params = dict(cp.params)
    if days_back is not None:
        current = params.get("days_back")
        if narrow_only and current is not None and current <= days_back:
            return
        params.update(days_back=days_back, days_ahead=0, start=None, end=None)
    else:
        if start is not None and end is None and start > now and not narrow_only:
            end = start + dt.timedelta(days=365)  # a future window: one year from its start
        if end is not None and start is None:
            # before a date: the default span, ending there
            start = end - dt.timedelta(days=int(params.get("days_back") or 730))
        params.update(
            start=start.isoformat() if start else None, end=end.isoformat() if end else None
        )
    cp.params = params
    if not narrow_only:
        cp.note = "dates from the request"


def allowed_bounds(
    col: ColumnInfo, domain: checks_mod.Domain | None
) -> tuple[float | None, float | None]:
    """The smallest and largest number the column's type and single-column CHECKs allow."""
    t = col.type
    lo: float | None = None
    hi: float | None = None
    if t.kind == "integer":
        lo, hi = (float(x) for x in integer_limits(t))
    elif t.kind == "decimal":
        limit = decimal_limit(t)
        if limit is not None:
            lo, hi = -float(limit), float(limit)
    if t.unsigned:
        lo = max(lo or 0.0, 0.0)
    step = 1.0 if t.kind == "integer" else 10.0 ** -(t.scale if t.scale is not None else 2)
    if domain is not None:
        if isinstance(domain.low, (int, float, Decimal)):
            low = float(domain.low) + (step if domain.low_strict else 0.0)
            lo = low if lo is None else max(lo, low)
        if isinstance(domain.high, (int, float, Decimal)):
            high = float(domain.high) - (step if domain.high_strict else 0.0)
            hi = high if hi is None else min(hi, high)
    return lo, hi


def _set_numeric(
    col: ColumnInfo,
    cp: ColumnPlan,
    low: float | None,
    high: float | None,
    lo_ok: float | None,
    hi_ok: float | None,
) -> None:
    """Set min/max; an open end keeps the generator's usual bound when it still fits."""
    kind = col.type.kind
    wanted = "integer" if kind == "integer" else ("float" if kind == "float" else "decimal")
    if cp.generator not in ("integer", "decimal", "float"):
        cp.generator, cp.params = wanted, {}
    params = dict(cp.params)
    if low is None and high is not None:  # "under 20"
        usual = params.get("min")
        low = usual if usual is not None and usual <= high else min(0.0, high)
        low = max(low, lo_ok) if lo_ok is not None else low
    if high is None and low is not None:  # "over 100"
        usual = params.get("max")
        high = (
            usual if usual is not None and usual >= low else (low * 10 if low > 0 else low + 1000)
        )
        high = min(high, hi_ok) if hi_ok is not None else high
    if cp.generator == "integer":
        params.update(
            min=int(low) if low is not None else None, max=int(high) if high is not None else None
        )
    else:
        params.update(min=low, max=high)
    cp.params = params


def _within(value: Any, low: float | None, high: float | None) -> bool:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return (low is None or number >= low) and (high is None or number <= high)


def _as_number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# words for the user
# ---------------------------------------------------------------------------------------------


def _num(value: Any) -> str:
    number = _as_number(value)
    if number is None:
        return str(value)
    return f"{number:g}" if number == int(number) and abs(number) < 1e15 else f"{number}"


def _range_text(rng: ValueRange) -> str:
    if rng.kind == "recent_days":
        return f"the last {_num(rng.low)} days"
    unit = " years" if rng.kind == "age" else ""
    if rng.low is not None and rng.high is not None:
        return f"{_num(rng.low)} to {_num(rng.high)}{unit}"
    if rng.low is not None:
        return f"{_num(rng.low)}{unit} or more" if rng.kind != "date" else f"from {rng.low}"
    return f"up to {_num(rng.high)}{unit}" if rng.kind != "date" else f"until {rng.high}"


def _bounds_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"{_num(lo)} to {_num(hi)}"
    if lo is not None:
        return f"{_num(lo)} or more"
    if hi is not None:
        return f"up to {_num(hi)}"
    return "any number"


def describe_distribution(dist: Distribution) -> str:
    """ "orders.status: shipped 80%, the rest pending"."""
    where = ".".join(x for x in (dist.table, dist.column) if x) or "some column"
    shares = ", ".join(f"{k} {v:.0%}" for k, v in dist.weights.items())
    rest = f", the rest {' or '.join(dist.rest)}" if dist.rest else ""
    return f"{where}: {shares}{rest}"


def describe_range(rng: ValueRange) -> str:
    """ "products.price 5 to 50", "customers.birth_date: ages 18 to 30 years"."""
    where = ".".join(x for x in (rng.table, rng.column) if x) or "some column"
    if rng.kind == "age":
        return f"{where}: ages {_range_text(rng)}"
    return f"{where} {_range_text(rng)}"


def _unplaced_distribution(dist: Distribution) -> str:
    return (
        f"Not applied: {describe_distribution(dist)} — no planned column holds "
        f"{', '.join(repr(k) for k in list(dist.weights) + list(dist.rest))}."
    )


def _unplaced_range(rng: ValueRange) -> str:
    what = {
        "number": "no numeric column matches",
        "age": "no age or birth-date column",
        "date": "no date column",
        "recent_days": "no date column",
    }[rng.kind]
    return f"Not applied: {describe_range(rng)} — {what} in the planned tables."


__all__ = [
    "FLAG_PAIRS",
    "RequestDetails",
    "allowed_bounds",
    "describe_distribution",
    "describe_range",
    "distribution_weights",
    "flag_values",
    "main_time_column",
]
