"""CHECK constraints, read with sqlglot in the database's own dialect.

Two things come out of each CHECK:

* column domains (ranges, IN lists, length limits) that the planner turns into generator
  parameters, so values are drawn inside the constraint in the first place;
* a row predicate, evaluated on every generated row before it is sent, so a row that would
  violate the CHECK is redrawn rather than rejected by the database.

A CHECK whose text cannot be turned into a predicate is reported by name.
"""

from __future__ import annotations

import datetime as dt
import decimal
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp

from .models import CheckInfo, TableInfo

SQLGLOT_DIALECTS = {
    "sqlite": "sqlite",
    "postgresql": "postgres",
    "mysql": "mysql",
    "mariadb": "mysql",
}

Row = dict[str, Any]
Predicate = Callable[[Row], Any]


class Unsupported(Exception):
    """Part of a CHECK that the evaluator does not know."""


@dataclass
class Domain:
    """What single-column CHECK conjuncts allow for one column."""

    low: Any = None
    low_strict: bool = False
    high: Any = None
    high_strict: bool = False
    values: list[Any] | None = None
    excluded: list[Any] = field(default_factory=list)
    min_length: int | None = None
    max_length: int | None = None
    not_null: bool = False


@dataclass
class CheckModel:
    """Everything the CHECKs of one table say."""

    domains: dict[str, Domain] = field(default_factory=dict)
    predicates: list[tuple[CheckInfo, Predicate, frozenset[str]]] = field(default_factory=list)
    unreadable: list[tuple[CheckInfo, str]] = field(default_factory=list)

    def domain(self, column: str) -> Domain | None:
        return self.domains.get(column)


def analyse(table: TableInfo, dialect: str) -> CheckModel:
    """Domains, predicates and unreadable CHECKs of ``table``."""
    model = CheckModel()
    names = set(table.column_names)
    for check in table.checks:
        try:
            tree = parse(check.sqltext, dialect)
            predicate = compile_predicate(tree, names)
        except (Unsupported, sqlglot.errors.ParseError, ValueError) as exc:
            model.unreadable.append((check, str(exc) or "unsupported expression"))
            continue
        columns = frozenset(c.name for c in tree.find_all(exp.Column) if c.name in names)
        model.predicates.append((check, predicate, columns))
        for conjunct in _conjuncts(tree):
            _narrow(model, conjunct, names)
    return model


def parse(sqltext: str, dialect: str) -> exp.Expression:
    text = sqltext.strip()
    if re.match(r"(?i)^check\s*\(", text):
        text = text[text.index("(") :]
    return _strip(sqlglot.parse_one(text, read=SQLGLOT_DIALECTS.get(dialect, dialect)))


def _strip(node: exp.Expression) -> exp.Expression:
    """Remove parentheses and casts that carry no meaning for generated values."""
    while isinstance(node, (exp.Paren, exp.Cast)) and not (
        isinstance(node, exp.Cast) and _is_date_cast(node)
    ):
        node = node.this
    return node


def _is_date_cast(node: exp.Cast) -> bool:
    return node.to.this in (exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP)


def _conjuncts(node: exp.Expression) -> list[exp.Expression]:
    node = _strip(node)
    if isinstance(node, exp.And):
        return _conjuncts(node.this) + _conjuncts(node.expression)
    return [node]


# ---------------------------------------------------------------------------------------------
# domains
# ---------------------------------------------------------------------------------------------

_FLIP = {exp.GT: exp.LT, exp.GTE: exp.LTE, exp.LT: exp.GT, exp.LTE: exp.GTE, exp.EQ: exp.EQ}


def _narrow(model: CheckModel, node: exp.Expression, names: set[str]) -> None:
    if isinstance(node, exp.Between):
        target = _target(node.this, names)
        low, high = _constant(node.args["low"]), _constant(node.args["high"])
        if target and low is not _NA and high is not _NA:
            _bound(model, target, exp.GTE, low)
            _bound(model, target, exp.LTE, high)
        return
    if isinstance(node, exp.In):
        target = _target(node.this, names)
        values = [_constant(v) for v in node.expressions]
        if target and target[1] is None and values and _NA not in values:
            _set_values(model, target[0], values)
        return
    if isinstance(node, exp.EQ) and isinstance(_strip(node.expression), exp.Any):
        target = _target(node.this, names)
        values = _array_values(node.expression)
        if target and target[1] is None and values is not None:
            _set_values(model, target[0], values)
        return
    if isinstance(node, exp.Not) and isinstance(_strip(node.this), exp.Is):
        target = _target(_strip(node.this).this, names)
        if target:
            model.domains.setdefault(target[0], Domain()).not_null = True
        return
    if isinstance(node, exp.NEQ):
        target, value = _target(node.this, names), _constant(node.expression)
        if target and value is not _NA:
            dom = model.domains.setdefault(target[0], Domain())
            if target[1] == "length" or (target[1] is None and value == ""):
                dom.min_length = max(dom.min_length or 0, 1)
            elif target[1] is None:
                dom.excluded.append(value)
        return
    for cls in _FLIP:
        if isinstance(node, cls):
            left, right = _strip(node.this), _strip(node.expression)
            target, value = _target(left, names), _constant(right)
            op = cls
            if target is None:
                target, value, op = _target(right, names), _constant(left), _FLIP[cls]
            if target and value is not _NA:
                _bound(model, target, op, value)
            return


_NA = object()


def _target(node: exp.Expression, names: set[str]) -> tuple[str, str | None] | None:
    """(column, None) for a plain column, (column, "length") for length(column)."""
    node = _strip(node)
    if isinstance(node, exp.Column) and node.name in names:
        return node.name, None
    if isinstance(node, exp.Length) or (
        isinstance(node, exp.Anonymous) and node.name.lower() in ("char_length", "length")
    ):
        inner = node.this if isinstance(node, exp.Length) else node.expressions[0]
        inner = _strip(inner)
        if isinstance(inner, exp.Column) and inner.name in names:
            return inner.name, "length"
    return None


def _constant(node: exp.Expression) -> Any:
    node = _strip(node)
    if isinstance(node, exp.Literal):
        return _literal(node)
    if isinstance(node, exp.Neg):
        inner = _constant(node.this)
        return -inner if isinstance(inner, (int, float, decimal.Decimal)) else _NA
    if isinstance(node, exp.Boolean):
        return node.this
    if isinstance(node, exp.Cast) and _is_date_cast(node):
        inner = _constant(node.this)
        return _as_date(inner) if isinstance(inner, str) else _NA
    return _NA


def _literal(node: exp.Literal) -> Any:
    if node.is_string:
        return node.this
    text = node.this
    try:
        return int(text)
    except ValueError:
        return decimal.Decimal(text)


def _array_values(node: exp.Expression) -> list[Any] | None:
    node = _strip(node)
    if isinstance(node, exp.Any):
        node = _strip(node.this)
    if isinstance(node, exp.Array):
        values = [_constant(v) for v in node.expressions]
        return None if _NA in values else values
    return None


def _set_values(model: CheckModel, column: str, values: list[Any]) -> None:
    dom = model.domains.setdefault(column, Domain())
    dom.values = values if dom.values is None else [v for v in dom.values if v in values]


def _bound(model: CheckModel, target: tuple[str, str | None], op: type, value: Any) -> None:
    column, fn = target
    dom = model.domains.setdefault(column, Domain())
    if fn == "length":
        if not isinstance(value, (int, decimal.Decimal)):
            return
        n = int(value)
        if op in (exp.LT, exp.LTE):
            top = n - 1 if op is exp.LT else n
            dom.max_length = top if dom.max_length is None else min(dom.max_length, top)
        elif op in (exp.GT, exp.GTE):
            bottom = n + 1 if op is exp.GT else n
            dom.min_length = max(dom.min_length or 0, bottom)
        elif op is exp.EQ:
            dom.min_length = dom.max_length = n
        return
    if op is exp.EQ:
        _set_values(model, column, [value])
    elif op in (exp.GT, exp.GTE):
        if dom.low is None or _lt(dom.low, value):
            dom.low, dom.low_strict = value, op is exp.GT
    elif op in (exp.LT, exp.LTE) and (dom.high is None or _lt(value, dom.high)):
        dom.high, dom.high_strict = value, op is exp.LT


def _lt(a: Any, b: Any) -> bool:
    try:
        return bool(a < b)
    except TypeError:
        return False


# ---------------------------------------------------------------------------------------------
# predicates (SQL three-valued logic: a CHECK passes unless it is FALSE)
# ---------------------------------------------------------------------------------------------

_COMPARE = {
    exp.EQ: operator.eq,
    exp.NEQ: operator.ne,
    exp.GT: operator.gt,
    exp.GTE: operator.ge,
    exp.LT: operator.lt,
    exp.LTE: operator.le,
}
_ARITH = {
    exp.Add: operator.add,
    exp.Sub: operator.sub,
    exp.Mul: operator.mul,
    exp.Div: operator.truediv,
    exp.Mod: operator.mod,
}


def passes(predicate: Predicate, row: Row) -> bool:
    try:
        return predicate(row) is not False
    except (TypeError, ValueError, ArithmeticError):
        return False


def compile_predicate(node: exp.Expression, names: set[str]) -> Predicate:
    """A Python function of a row dict that evaluates the expression like SQL would."""
    node = _strip(node)
    for cls, fn in _COMPARE.items():
        if isinstance(node, cls):
            if cls is exp.EQ and isinstance(_strip(node.expression), exp.Any):
                values = _array_values(node.expression)
                if values is None:
                    raise Unsupported("= ANY over a non-constant array")
                return _in(compile_predicate(node.this, names), values)
            return _compare(
                fn, compile_predicate(node.this, names), compile_predicate(node.expression, names)
            )
    for cls, fn in _ARITH.items():
        if isinstance(node, cls):
            return _arith(
                fn, compile_predicate(node.this, names), compile_predicate(node.expression, names)
            )
    if isinstance(node, exp.And):
        return _and(compile_predicate(node.this, names), compile_predicate(node.expression, names))
    if isinstance(node, exp.Or):
        return _or(compile_predicate(node.this, names), compile_predicate(node.expression, names))
    if isinstance(node, exp.Not):
        inner = compile_predicate(node.this, names)
        return lambda row: None if (v := inner(row)) is None else not v
    if isinstance(node, exp.Is):
        inner = compile_predicate(node.this, names)
        return lambda row: inner(row) is None
    if isinstance(node, exp.Between):
        value = compile_predicate(node.this, names)
        low = compile_predicate(node.args["low"], names)
        high = compile_predicate(node.args["high"], names)
        return _and(_compare(operator.ge, value, low), _compare(operator.le, value, high))
    if isinstance(node, exp.In):
        values = [_constant(v) for v in node.expressions]
        if _NA in values:
            raise Unsupported("IN with non-constant values")
        return _in(compile_predicate(node.this, names), values)
    if isinstance(node, exp.Column):
        if node.name not in names:
            raise Unsupported(f"unknown column {node.name}")
        name = node.name
        return lambda row: row.get(name)
    if isinstance(node, exp.Neg):
        inner = compile_predicate(node.this, names)
        return lambda row: None if (v := inner(row)) is None else -v
    if isinstance(node, (exp.Literal, exp.Boolean)) or (
        isinstance(node, exp.Cast) and _is_date_cast(node)
    ):
        value = _constant(node)
        if value is _NA:
            raise Unsupported(node.sql())
        return lambda row: value
    if isinstance(node, exp.Null):
        return lambda row: None
    return _function(node, names)


def _function(node: exp.Expression, names: set[str]) -> Predicate:
    name = node.name.lower() if isinstance(node, exp.Anonymous) else type(node).__name__.lower()
    if isinstance(node, exp.Length) or name in ("char_length", "length", "character_length"):
        arg = node.this if isinstance(node, exp.Length) else node.expressions[0]
        inner = compile_predicate(arg, names)
        return lambda row: None if (v := inner(row)) is None else len(str(v))
    if isinstance(node, (exp.Lower, exp.Upper)):
        inner = compile_predicate(node.this, names)
        fn = str.lower if isinstance(node, exp.Lower) else str.upper
        return lambda row: None if (v := inner(row)) is None else fn(str(v))
    if isinstance(node, exp.Trim):
        inner = compile_predicate(node.this, names)
        return lambda row: None if (v := inner(row)) is None else str(v).strip()
    if isinstance(node, exp.Abs):
        inner = compile_predicate(node.this, names)
        return lambda row: None if (v := inner(row)) is None else abs(v)
    if isinstance(node, exp.Coalesce):
        parts = [compile_predicate(node.this, names)] + [
            compile_predicate(e, names) for e in node.expressions
        ]
        return lambda row: next((v for p in parts if (v := p(row)) is not None), None)
    if isinstance(node, exp.Like):
        inner = compile_predicate(node.this, names)
        pattern = _constant(node.expression)
        if not isinstance(pattern, str):
            raise Unsupported("LIKE with a non-constant pattern")
        regex = re.compile(_like_regex(pattern), re.S)
        return lambda row: None if (v := inner(row)) is None else bool(regex.fullmatch(str(v)))
    raise Unsupported(f"{node.sql()[:60]}")


def _like_regex(pattern: str) -> str:
    out = []
    for ch in pattern:
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
    return "".join(out)


def _as_date(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return (
                dt.datetime.fromisoformat(value)
                if len(value) > 10
                else dt.date.fromisoformat(value)
            )
        except ValueError:
            return value
    return value


def _coerce(a: Any, b: Any) -> tuple[Any, Any]:
    """Make SQL-comparable values comparable in Python (dates vs text, bool vs int)."""
    if isinstance(a, str) and isinstance(b, (dt.date, dt.datetime)):
        a = _as_date(a)
    elif isinstance(b, str) and isinstance(a, (dt.date, dt.datetime)):
        b = _as_date(b)
    if isinstance(a, dt.datetime) and not isinstance(b, dt.datetime) and isinstance(b, dt.date):
        b = dt.datetime.combine(b, dt.time())
    elif isinstance(b, dt.datetime) and not isinstance(a, dt.datetime) and isinstance(a, dt.date):
        a = dt.datetime.combine(a, dt.time())
    if (
        isinstance(a, dt.datetime)
        and isinstance(b, dt.datetime)
        and (a.tzinfo is None) != (b.tzinfo is None)
    ):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    if isinstance(a, float) and isinstance(b, decimal.Decimal):
        b = float(b)
    elif isinstance(b, float) and isinstance(a, decimal.Decimal):
        a = float(a)
    return a, b


def _compare(fn: Callable[[Any, Any], bool], left: Predicate, right: Predicate) -> Predicate:
    def run(row: Row) -> Any:
        a, b = left(row), right(row)
        if a is None or b is None:
            return None
        a, b = _coerce(a, b)
        return fn(a, b)

    return run


def _arith(fn: Callable[[Any, Any], Any], left: Predicate, right: Predicate) -> Predicate:
    def run(row: Row) -> Any:
        a, b = left(row), right(row)
        if a is None or b is None:
            return None
        if isinstance(a, decimal.Decimal) and isinstance(b, float):
            b = decimal.Decimal(str(b))
        elif isinstance(b, decimal.Decimal) and isinstance(a, float):
            a = decimal.Decimal(str(a))
        return fn(a, b)

    return run


def _in(value: Predicate, values: list[Any]) -> Predicate:
    allowed = list(values)

    def run(row: Row) -> Any:
        v = value(row)
        if v is None:
            return None
        return any(_coerce(v, a)[0] == _coerce(v, a)[1] for a in allowed)

    return run


def _and(left: Predicate, right: Predicate) -> Predicate:
    def run(row: Row) -> Any:
        a = left(row)
        if a is False:
            return False
        b = right(row)
        if b is False:
            return False
        return None if a is None or b is None else True

    return run


def _or(left: Predicate, right: Predicate) -> Predicate:
    def run(row: Row) -> Any:
        a = left(row)
        if a is True:
            return True
        b = right(row)
        if b is True:
            return True
        return None if a is None or b is None else False

    return run
