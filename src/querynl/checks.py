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
import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import sqlglot
from sqlglot import exp

from .generators import regex_shape
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
    patterns: list[str] | None = None  # LIKE patterns, one of which the value must match
    # the value equals itself lowered, uppered or trimmed (``email = lower(email)``):
    # "lower", "upper", "trim", "ltrim", "rtrim", applied to text in this order
    normalize: list[str] = field(default_factory=list)
    # regular expressions the text must match (``code ~ '^[A-Z]{3}$'``): (pattern, ignore case)
    regexes: list[tuple[str, bool]] = field(default_factory=list)
    # what the text must read as: "json" (``json_valid(doc)``), "date" or "datetime"
    # (SQLite's ``date(day) IS NOT NULL``, ``day = date(day)``)
    form: str | None = None


@dataclass(frozen=True)
class Relation:
    """``high`` must be greater than ``low`` (or equal when not ``strict``): end > start."""

    high: str
    low: str
    strict: bool
    check: str | None = None


@dataclass
class CheckModel:
    """Everything the CHECKs of one table say."""

    domains: dict[str, Domain] = field(default_factory=dict)
    predicates: list[tuple[CheckInfo, Predicate, frozenset[str]]] = field(default_factory=list)
    unreadable: list[tuple[CheckInfo, str]] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    # CHECKs whose Python reading may accept what the database rejects (collations, regular
    # expressions): rows that pass in Python are confirmed by the database itself
    confirm: list[CheckInfo] = field(default_factory=list)
    # columns each unreadable CHECK mentions (redrawn when the database rejects a row)
    unreadable_columns: dict[int, frozenset[str]] = field(default_factory=dict)
    # CHECKs (by id) that only bound one column by numbers: the values they accept form one
    # interval, so a column's smallest and largest values passing means all of them pass
    intervals: set[int] = field(default_factory=set)

    def domain(self, column: str) -> Domain | None:
        return self.domains.get(column)

    def not_null(self, column: str) -> bool:
        """A CHECK refuses NULL in ``column`` (``column IS NOT NULL``, ``date(column) IS NOT
        NULL``...) though the column itself may be NULL."""
        dom = self.domains.get(column)
        return dom is not None and dom.not_null

    def involved(self) -> frozenset[str]:
        """Every column some CHECK of the table mentions."""
        found: set[str] = set()
        for _, _, cols in self.predicates:
            found |= cols
        for cols in self.unreadable_columns.values():
            found |= cols
        return frozenset(found)


def analyse(table: TableInfo, dialect: str) -> CheckModel:
    """Domains, predicates and unreadable CHECKs of ``table``."""
    model = CheckModel()
    names = set(table.column_names)
    for check in table.checks:
        tree: exp.Expression | None = None
        try:
            tree = parse(check.sqltext, dialect)
            predicate = compile_predicate(tree, names, dialect)
        except (Unsupported, sqlglot.errors.SqlglotError, ValueError, KeyError) as exc:
            model.unreadable.append((check, str(exc).splitlines()[0][:80] or "unsupported"))
            model.unreadable_columns[len(model.unreadable) - 1] = mentioned_columns(
                check.sqltext, tree, names
            )
            if tree is not None:  # what its parts do say still guides the generators
                for conjunct in _conjuncts(tree):
                    _narrow(model, conjunct, names)
            continue
        columns = frozenset(c.name for c in tree.find_all(exp.Column) if c.name in names)
        model.predicates.append((check, predicate, columns))
        if _interval_only(tree, names):
            model.intervals.add(id(check))
        if _approximate(tree, table, dialect):
            model.confirm.append(check)
        for conjunct in _conjuncts(tree):
            _narrow(model, conjunct, names)
            _relate(model, conjunct, names, check)
    if _registry(dialect).json_valid_refuses_null:
        for dom in model.domains.values():
            dom.not_null = dom.not_null or dom.form == "json"
    return model


_ORDERING = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Between)


def _interval_only(tree: exp.Expression, names: set[str]) -> bool:
    """True for ``x > 0``, ``x BETWEEN 1 AND 5 AND x <> ...``-free conjunctions: every part
    compares the same one column, bare, with a number."""
    columns: set[str] = set()
    for conjunct in _conjuncts(tree):
        node = _unparen(conjunct)
        if type(node) not in _ORDERING or node.args.get("negate"):
            return False
        for operand in map(_unparen, _operands(node)):
            if isinstance(operand, exp.Column) and operand.name in names:
                columns.add(operand.name)
            elif not _number_constant(operand):
                return False
    return len(columns) == 1


def _number_constant(node: exp.Expression) -> bool:
    """A number written out: ``5``, ``-5``, and as PostgreSQL keeps them, ``0::numeric`` and
    ``'-5'::integer`` (casts to number types only: a cast to text compares as text)."""
    while True:
        node = _unparen(node)
        if isinstance(node, exp.Neg):
            node = node.this
        elif isinstance(node, exp.Cast) and node.to.is_type(*exp.DataType.NUMERIC_TYPES):
            if _number_text(node.this) is not None:
                return True
            node = node.this
        else:
            return isinstance(node, exp.Literal) and not node.is_string


def _unparen(node: exp.Expression) -> exp.Expression:
    while isinstance(node, exp.Paren):
        node = node.this
    return node


_TEXT_KINDS = ("string", "text", "enum", "set", "unknown")


def _approximate(tree: exp.Expression, table: TableInfo, dialect: str) -> bool:
    """True when Python could accept a row the database rejects.

    Text is ordered by the column's collation, not by code points; regular expressions differ
    in detail; and where equality ignores case (MySQL), a negated equality is looser in Python.
    """
    kinds = {c.name: c.type.kind for c in table.columns}
    folds = _registry(dialect).case_insensitive_unique

    def texty(node: exp.Expression) -> bool:
        node = _strip(node)
        if isinstance(node, exp.Literal):
            return node.is_string and not isinstance(_as_date(node.this), dt.date)
        if isinstance(node, exp.Column):
            return kinds.get(node.name) in _TEXT_KINDS
        return isinstance(node, (exp.Lower, exp.Upper, exp.Trim, exp.Concat))

    def walk(node: exp.Expression, negated: bool) -> bool:
        node = _strip(node)
        if isinstance(node, (exp.RegexpLike, exp.RegexpILike, exp.SimilarTo)):
            return True
        if isinstance(node, _ORDERING) and any(texty(a) for a in _operands(node)):
            return True
        if folds and isinstance(node, (exp.EQ, exp.NEQ, exp.In)):
            looser = negated != isinstance(node, exp.NEQ)
            if looser and any(texty(a) for a in _operands(node)):
                return True
        flip = isinstance(node, exp.Not) or bool(node.args.get("negate"))
        return any(walk(child, negated != flip) for child in _children(node))

    return walk(tree, False)


def _operands(node: exp.Expression) -> list[exp.Expression]:
    found = [node.this] + list(node.expressions or [])
    found += [v for k, v in node.args.items() if k in ("expression", "low", "high") and v]
    return [f for f in found if isinstance(f, exp.Expression)]


def _children(node: exp.Expression) -> list[exp.Expression]:
    out: list[exp.Expression] = []
    for value in node.args.values():
        if isinstance(value, exp.Expression):
            out.append(value)
        elif isinstance(value, list):
            out.extend(v for v in value if isinstance(v, exp.Expression))
    return out


def mentioned_columns(sqltext: str, tree: exp.Expression | None, names: set[str]) -> frozenset[str]:
    """The table's columns a CHECK mentions: from the parse tree, else from its words."""
    if tree is not None:
        found = {c.name for c in tree.find_all(exp.Column) if c.name in names}
        if found:
            return frozenset(found)
    words = set(re.findall(r"[^\W\d][\w$]*", sqltext))
    quoted = {
        m[1] or m[2] or m[3] for m in re.findall(r'("([^"]+)"|`([^`]+)`|\[([^\]]+)\])', sqltext)
    }
    return frozenset(n for n in names if n in words or n in quoted)


def _relate(model: CheckModel, node: exp.Expression, names: set[str], check: CheckInfo) -> None:
    """``a > b`` between two columns becomes an ordering the generators honour."""
    ops = {exp.GT: (True, False), exp.GTE: (False, False), exp.LT: (True, True)}
    ops[exp.LTE] = (False, True)
    for cls, (strict, flip) in ops.items():
        if type(node) is cls:
            left, right = _target(node.this, names), _target(node.expression, names)
            if not left or not right or left[1] or right[1] or left[0] == right[0]:
                return
            high, low = (right[0], left[0]) if flip else (left[0], right[0])
            model.relations.append(Relation(high, low, strict, check.name))
            return


def parse(sqltext: str, dialect: str) -> exp.Expression:
    text = sqltext.strip()
    if re.match(r"(?i)^check\s*\(", text):
        text = text[text.index("(") :]
    return _strip(sqlglot.parse_one(text, read=SQLGLOT_DIALECTS.get(dialect, dialect)))


def _strip(node: exp.Expression) -> exp.Expression:
    """Remove parentheses and casts that carry no meaning for generated values; a number
    PostgreSQL keeps as text cast to a number type (``'-5'::integer``) becomes the number."""
    while isinstance(node, (exp.Paren, exp.Cast)) and not (
        isinstance(node, exp.Cast) and _is_date_cast(node)
    ):
        if isinstance(node, exp.Cast) and node.to.is_type(*exp.DataType.NUMERIC_TYPES):
            number = _number_text(node.this)
            if number is not None:
                return exp.Literal.number(number)
        node = node.this
    return node


_PLAIN_NUMBER = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*")


def _number_text(node: exp.Expression) -> str | None:
    """The number of a text literal that reads as one (``'-1.5'``), under parentheses and
    casts; NaN and infinities are not numbers here."""
    while isinstance(node, (exp.Paren, exp.Cast)):
        node = node.this
    if isinstance(node, exp.Literal) and node.is_string:
        found = _PLAIN_NUMBER.fullmatch(node.this)
        return found.group(1) if found else None
    return None


_TIME_TYPES = {
    exp.DataType.Type.DATE,
    exp.DataType.Type.DATETIME,
    exp.DataType.Type.TIMESTAMP,
    exp.DataType.Type.TIMESTAMPTZ,
    exp.DataType.Type.TIMESTAMPLTZ,
    exp.DataType.Type.TIMESTAMPNTZ,
}


def _is_date_cast(node: exp.Cast) -> bool:
    return node.to.this in _TIME_TYPES


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
    if isinstance(node, exp.Or):
        _narrow_or(model, node, names)
        return
    found = _form(node, names)
    if found is not None:
        dom = model.domains.setdefault(found[0], Domain())
        dom.form = found[1]
        if found[1] != "json" and isinstance(_strip(node), exp.Not):
            dom.not_null = True  # date(NULL) IS NOT NULL is false
        return
    if isinstance(node, exp.Glob):
        target, pattern = _target(node.this, names), _constant(node.expression)
        if target and target[1] is None and isinstance(pattern, str):
            dom = model.domains.setdefault(target[0], Domain())
            dom.regexes.append((glob_regex(pattern), False))
        return
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
        inner = _strip(node.this)
        target = _target(inner.this, names)
        if target and not inner.args.get("negate") and isinstance(inner.expression, exp.Null):
            model.domains.setdefault(target[0], Domain()).not_null = True
        return
    if node.args.get("negate") and isinstance(node, exp.Is):
        target = _target(node.this, names)
        if target and isinstance(_strip(node.expression), exp.Null):
            model.domains.setdefault(target[0], Domain()).not_null = True
        return
    if isinstance(node, exp.Not):
        only = _only_class(_strip(node.this), names)
        if only is not None:  # code NOT GLOB '*[^0-9]*', code !~ '[^0-9]': digits only
            model.domains.setdefault(only[0], Domain()).regexes.append((only[1], False))
        return
    if node.args.get("negate"):
        return  # NOT LIKE and the like say nothing a generator can use
    if isinstance(node, (exp.RegexpLike, exp.RegexpILike)):
        target, pattern = _target(node.this, names), _constant(node.expression)
        if target and target[1] is None and isinstance(pattern, str):
            dom = model.domains.setdefault(target[0], Domain())
            dom.regexes.append((pattern, isinstance(node, exp.RegexpILike)))
        return
    if isinstance(node, exp.Like) and not node.args.get("escape"):
        target, pattern = _target(node.this, names), _constant(node.expression)
        if target and target[1] is None and isinstance(pattern, str):
            dom = model.domains.setdefault(target[0], Domain())
            dom.patterns = dom.patterns or [pattern]
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
    if isinstance(node, exp.EQ):
        found = _normalized(node, names)
        if found is not None:
            dom = model.domains.setdefault(found[0], Domain())
            if found[1] not in dom.normalize:
                dom.normalize.append(found[1])
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


_JSON_TESTS = ("json_valid", "isjson", "json_validate")


def _form(node: exp.Expression, names: set[str]) -> tuple[str, str] | None:
    """(column, "json" | "date" | "datetime") for a conjunct that asks the text to read as
    JSON (``json_valid(doc)``, ``= 1``, ``IS TRUE``) or as a day or time (SQLite's
    ``date(day) IS NOT NULL``, ``datetime(at) IS NOT NULL``, ``day = date(day)``)."""

    def column_of(call: exp.Expression) -> str | None:
        args = call.expressions if isinstance(call, exp.Anonymous) else [call.this]
        target = _target(args[0], names) if len(args) == 1 else None
        return target[0] if target and target[1] is None else None

    def kind_of(call: exp.Expression) -> str | None:
        call = _strip(call)
        if isinstance(call, exp.Anonymous) and call.name.lower() in _JSON_TESTS:
            return "json"
        if isinstance(call, exp.Date) and not call.args.get("expression"):
            return "date"
        if isinstance(call, exp.Anonymous) and call.name.lower() == "datetime":
            return "datetime"
        return None

    node = _strip(node)
    if kind_of(node) == "json":  # json_valid(doc)
        column = column_of(_strip(node))
        return (column, "json") if column else None
    if isinstance(node, (exp.EQ, exp.GT, exp.Is)) and kind_of(node.this) == "json":
        value = _constant(node.expression)  # = 1, > 0, IS TRUE
        wanted = {exp.EQ: (1, True), exp.GT: (0,), exp.Is: (True,)}[type(node)]
        column = column_of(_strip(node.this))
        return (column, "json") if column and value in wanted else None
    if isinstance(node, exp.Not) and isinstance(_strip(node.this), exp.Is):
        inner = _strip(node.this)
        kind = kind_of(inner.this)
        if kind in ("date", "datetime") and isinstance(_strip(inner.expression), exp.Null):
            column = column_of(_strip(inner.this))
            return (column, kind) if column else None
    if isinstance(node, exp.EQ):
        for plain, call in ((node.this, node.expression), (node.expression, node.this)):
            kind = kind_of(call)
            target = _target(plain, names)
            if kind == "date" and target and column_of(_strip(call)) == target[0]:
                return target[0], kind
    return None


_NEGATED_CLASS = re.compile(r"\[\^([^\]\[]+)\]")


def _only_class(node: exp.Expression, names: set[str]) -> tuple[str, str] | None:
    """(column, regular expression) for the inside of ``NOT (code GLOB '*[^0-9]*')`` or
    ``NOT (code ~ '[^0-9]')``: no character outside a class, that is, every character in it."""
    if not isinstance(node, (exp.Glob, exp.RegexpLike)):
        return None
    target, pattern = _target(node.this, names), _constant(node.expression)
    if not target or target[1] is not None or not isinstance(pattern, str):
        return None
    inner = pattern
    if isinstance(node, exp.Glob):
        if not (pattern.startswith("*") and pattern.endswith("*")):
            return None
        inner = pattern[1:-1]
    found = _NEGATED_CLASS.fullmatch(inner)
    if found is None or "\\" in found.group(1):
        return None
    return target[0], f"\\A[{found.group(1)}]+\\Z"


def glob_regex(pattern: str) -> str:
    """SQLite's GLOB as a regular expression over the whole text: ``*`` any text, ``?`` one
    character, ``[...]`` a class (``[^...]`` its complement), everything else itself."""
    out, i = ["\\A"], 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*":
            out.append(".*")
        elif char == "?":
            out.append(".")
        elif char == "[" and "]" in pattern[i + 2 :]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1 : end]
            negate = body.startswith("^")
            body = body[1:] if negate else body
            escaped = "".join("\\" + c if c in "\\[]^" else c for c in body)
            out.append(f"[{'^' if negate else ''}{escaped}]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out) + "\\Z"


_TRIMS = {None: "trim", "BOTH": "trim", "LEADING": "ltrim", "TRAILING": "rtrim"}


def _normalized(node: exp.EQ, names: set[str]) -> tuple[str, str] | None:
    """(column, how) for ``x = lower(x)``, ``upper(x) = x``, ``x = trim(x)``: the column's
    text is always in that form."""
    left, right = _strip(node.this), _strip(node.expression)
    for plain, fn in ((left, right), (right, left)):
        target = _target(plain, names)
        if target is None or target[1] is not None:
            continue
        if isinstance(fn, (exp.Lower, exp.Upper)):
            how = "lower" if isinstance(fn, exp.Lower) else "upper"
        elif isinstance(fn, exp.Trim) and fn.args.get("expression") is None:
            position = fn.args.get("position")
            how = _TRIMS.get(str(position).upper() if position else None, "")
        else:
            continue
        if how and _target(fn.this, names) == target:
            return target[0], how
    return None


# how each normalizing function of a CHECK changes text (SQL trims spaces only)
NORMALIZE: dict[str, Callable[[str], str]] = {
    "lower": str.lower,
    "upper": str.upper,
    "trim": lambda v: v.strip(" "),
    "ltrim": lambda v: v.lstrip(" "),
    "rtrim": lambda v: v.rstrip(" "),
}


def _narrow_or(model: CheckModel, node: exp.Expression, names: set[str]) -> None:
    """``a OR b``: a column's domain is the envelope of what each branch allows (partition
    bounds, ``x IS NULL OR x > 0``); rows in the gaps are left to the row predicate."""
    branches = _disjuncts(node)
    subs: list[CheckModel] = []
    null_ok: set[str] = set()
    for branch in branches:
        target = _null_test(branch, names)
        if target:
            null_ok.add(target)
            subs.append(CheckModel(domains={target: Domain()}))
            continue
        sub = CheckModel()
        for conjunct in _conjuncts(branch):
            _narrow(sub, conjunct, names)
        subs.append(sub)
    for column in set.intersection(*(set(s.domains) for s in subs)):
        doms = [
            s.domains[column] for s in subs if not (column in null_ok and not _bounded(s, column))
        ]
        if doms:
            _merge_envelope(model.domains.setdefault(column, Domain()), doms)


def _disjuncts(node: exp.Expression) -> list[exp.Expression]:
    node = _strip(node)
    if isinstance(node, exp.Or):
        return _disjuncts(node.this) + _disjuncts(node.expression)
    return [node]


def _null_test(node: exp.Expression, names: set[str]) -> str | None:
    node = _strip(node)
    if isinstance(node, exp.Is) and not node.args.get("negate"):
        target = _target(node.this, names)
        if target and target[1] is None and isinstance(_strip(node.expression), exp.Null):
            return target[0]
    return None


def _bounded(model: CheckModel, column: str) -> bool:
    dom = model.domains[column]
    return dom != Domain()


def _merge_envelope(into: Domain, doms: list[Domain]) -> None:
    """Narrow ``into`` to the smallest domain that holds every one of ``doms``."""
    if all(d.low is not None for d in doms):
        low = min(doms, key=lambda d: (_sortable(d.low), not d.low_strict))
        if into.low is None or _lt(into.low, low.low):
            into.low, into.low_strict = low.low, low.low_strict
    if all(d.high is not None for d in doms):
        high = max(doms, key=lambda d: (_sortable(d.high), not d.high_strict))
        if into.high is None or _lt(high.high, into.high):
            into.high, into.high_strict = high.high, high.high_strict
    if all(d.values is not None for d in doms):
        union: list[Any] = []
        for d in doms:
            union.extend(v for v in d.values or [] if v not in union)
        into.values = union if into.values is None else [v for v in into.values if v in union]
    if all(d.max_length is not None for d in doms):
        top = max(d.max_length or 0 for d in doms)
        into.max_length = top if into.max_length is None else min(into.max_length, top)
    if all(d.min_length for d in doms):
        into.min_length = max(into.min_length or 0, min(d.min_length or 0 for d in doms))
    if all(d.patterns for d in doms) and into.patterns is None:
        into.patterns = [p for d in doms for p in d.patterns or []]


def like_example(pattern: str) -> str | None:
    """The shortest text a LIKE pattern matches ("%Deleted Scenes%" -> "Deleted Scenes"),
    or None when that would be empty; backslash escapes are read as MySQL reads them."""
    out, escaped = [], False
    for char in pattern:
        if escaped:
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "_":
            out.append("x")
        elif char != "%":
            out.append(char)
    return "".join(out) or None


def _sortable(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    return value


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


def compile_predicate(node: exp.Expression, names: set[str], dialect: str = "") -> Predicate:
    """A Python function of a row dict that evaluates the expression like SQL would."""
    node = _strip(node)
    if node.args.get("negate"):
        # "IS NOT NULL", "NOT LIKE": the same node with the flag off, then SQL's NOT
        plain = node.copy()
        plain.set("negate", None)
        return _not(compile_predicate(plain, names, dialect))
    return _compile(node, names, dialect)


def _not(inner: Predicate) -> Predicate:
    return lambda row: None if (v := inner(row)) is None else not v


def _compile(node: exp.Expression, names: set[str], dialect: str) -> Predicate:
    for cls, fn in _COMPARE.items():
        if isinstance(node, cls):
            if cls is exp.EQ and isinstance(_strip(node.expression), exp.Any):
                values = _array_values(node.expression)
                if values is None:
                    raise Unsupported("= ANY over a non-constant array")
                return _in(compile_predicate(node.this, names, dialect), values)
            return _compare(
                fn,
                compile_predicate(node.this, names, dialect),
                compile_predicate(node.expression, names, dialect),
            )
    for cls, fn in _ARITH.items():
        if isinstance(node, cls):
            return _arith(
                fn,
                compile_predicate(node.this, names, dialect),
                compile_predicate(node.expression, names, dialect),
            )
    if isinstance(node, exp.And):
        return _and(
            compile_predicate(node.this, names, dialect),
            compile_predicate(node.expression, names, dialect),
        )
    if isinstance(node, exp.Or):
        return _or(
            compile_predicate(node.this, names, dialect),
            compile_predicate(node.expression, names, dialect),
        )
    if isinstance(node, exp.Not):
        return _not(compile_predicate(node.this, names, dialect))
    if isinstance(node, exp.Is):
        inner = compile_predicate(node.this, names, dialect)
        target = _strip(node.expression)
        if isinstance(target, exp.Boolean):
            wanted = target.this
            return lambda row: inner(row) is not None and bool(inner(row)) is wanted
        return lambda row: inner(row) is None
    if isinstance(node, (exp.NullSafeEQ, exp.NullSafeNEQ)):
        left = compile_predicate(node.this, names, dialect)
        right = compile_predicate(node.expression, names, dialect)
        same = isinstance(node, exp.NullSafeEQ)
        return lambda row: _null_safe_equal(left(row), right(row)) is same
    if isinstance(node, (exp.Case, exp.If)):
        return _case(node, names, dialect)
    if isinstance(node, exp.Between):
        value = compile_predicate(node.this, names, dialect)
        low = compile_predicate(node.args["low"], names, dialect)
        high = compile_predicate(node.args["high"], names, dialect)
        return _and(_compare(operator.ge, value, low), _compare(operator.le, value, high))
    if isinstance(node, exp.In) and isinstance(_strip(node.this), exp.Tuple):
        return _tuple_in(node, names, dialect)
    if isinstance(node, exp.In):
        values = [_constant(v) for v in node.expressions]
        if _NA in values:
            raise Unsupported("IN with non-constant values")
        return _in(compile_predicate(node.this, names, dialect), values)
    if isinstance(node, exp.Column):
        if node.name not in names:
            raise Unsupported(f"unknown column {node.name}")
        name = node.name
        return lambda row: row.get(name)
    if isinstance(node, exp.Neg):
        inner = compile_predicate(node.this, names, dialect)
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
    return _function(node, names, dialect)


def _trim(node: exp.Trim, names: set[str], dialect: str) -> Predicate:
    """TRIM as SQL has it: spaces only unless characters are given (any of them on
    PostgreSQL and SQLite; MySQL removes a whole string, read here for one character only),
    from both ends, the start (LEADING, ltrim) or the end (TRAILING, rtrim)."""
    inner = compile_predicate(node.this, names, dialect)
    given = node.args.get("expression")
    chars = " " if given is None else _constant(given)
    if not isinstance(chars, str) or (_registry(dialect).trim_removes_string and len(chars) > 1):
        raise Unsupported("TRIM of these characters")
    position = str(node.args.get("position") or "BOTH").upper()
    strip = {"BOTH": str.strip, "LEADING": str.lstrip, "TRAILING": str.rstrip}.get(position)
    if strip is None:
        raise Unsupported(f"TRIM {position}")
    return lambda row: None if (v := inner(row)) is None else strip(str(v), chars)


def _function(node: exp.Expression, names: set[str], dialect: str) -> Predicate:
    name = node.name.lower() if isinstance(node, exp.Anonymous) else type(node).__name__.lower()
    args = node.expressions if isinstance(node, exp.Anonymous) else [node.this]
    if isinstance(node, exp.Length) or name in ("char_length", "length", "character_length"):
        inner = compile_predicate(args[0], names, dialect)
        # MySQL's LENGTH() counts bytes; CHAR_LENGTH() and the others count characters
        # MySQL's LENGTH() counts bytes (sqlglot marks it binary); the others count characters
        size = _byte_length if node.args.get("binary") else _char_length
        return lambda row: None if (v := inner(row)) is None else size(v)
    if name in ("octet_length", "bit_length"):
        inner = compile_predicate(args[0], names, dialect)
        factor = 8 if name == "bit_length" else 1
        return lambda row: None if (v := inner(row)) is None else factor * _byte_length(v)
    if isinstance(node, (exp.Lower, exp.Upper)):
        inner = compile_predicate(node.this, names, dialect)
        fn = str.lower if isinstance(node, exp.Lower) else str.upper
        return lambda row: None if (v := inner(row)) is None else fn(str(v))
    if isinstance(node, exp.Trim):
        return _trim(node, names, dialect)
    if isinstance(node, exp.Abs):
        inner = compile_predicate(node.this, names, dialect)
        return lambda row: None if (v := inner(row)) is None else abs(v)
    if isinstance(node, exp.Coalesce):
        parts = [compile_predicate(node.this, names, dialect)] + [
            compile_predicate(e, names, dialect) for e in node.expressions
        ]
        return lambda row: next((v for p in parts if (v := p(row)) is not None), None)
    if isinstance(node, (exp.Like, exp.ILike)):
        inner = compile_predicate(node.this, names, dialect)
        pattern = _constant(node.expression)
        if not isinstance(pattern, str):
            raise Unsupported("LIKE with a non-constant pattern")
        # case-sensitive even where the database's LIKE is not: stricter, never looser
        flags = re.S | (re.I if isinstance(node, exp.ILike) else 0)
        regex = re.compile(_like_regex(pattern), flags)
        return lambda row: None if (v := inner(row)) is None else bool(regex.fullmatch(str(v)))
    if isinstance(node, exp.Glob):
        inner = compile_predicate(node.this, names, dialect)
        pattern = _constant(node.expression)
        if not isinstance(pattern, str):
            raise Unsupported("GLOB with a non-constant pattern")
        glob = re.compile(glob_regex(pattern), re.S)
        return lambda row: None if (v := inner(row)) is None else bool(glob.search(str(v)))
    if isinstance(node, (exp.RegexpLike, exp.RegexpILike)):
        inner = compile_predicate(node.this, names, dialect)
        pattern = _constant(node.expression)
        if not isinstance(pattern, str):
            raise Unsupported("a regular expression that is not a constant")
        try:
            flags = re.I if isinstance(node, exp.RegexpILike) else 0
            regex = re.compile(regex_shape.for_python(pattern), flags)
        except re.error:
            raise Unsupported(f"regular expression {pattern!r}") from None
        return lambda row: None if (v := inner(row)) is None else bool(regex.search(str(v)))
    if name in _JSON_TESTS:
        inner = compile_predicate(args[0], names, dialect)
        null = False if _registry(dialect).json_valid_refuses_null else None
        return lambda row: null if (v := inner(row)) is None else _json_valid(v)
    raise Unsupported(f"{node.sql()[:60]}")


def _registry(dialect: str) -> Any:
    from .dialects import dialect_for

    return dialect_for(dialect)


def _char_length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes)) else len(str(value))


def _byte_length(value: Any) -> int:
    if isinstance(value, bytes):
        return len(value)
    return len(str(value).encode("utf-8"))


def _json_valid(value: Any) -> bool:
    if not isinstance(value, (str, bytes)):
        return True  # generated as a structure: serialised as valid JSON
    try:
        json.loads(value)
    except ValueError:
        return False
    return True


def _null_safe_equal(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = _coerce(a, b)
    return bool(a == b)


def _case(node: exp.Expression, names: set[str], dialect: str) -> Predicate:
    """CASE WHEN ... THEN ... ELSE ... END and IF(cond, a, b)."""
    if isinstance(node, exp.If):
        branches = [(node.this, node.args.get("true"))]
        default = node.args.get("false")
    else:
        if node.this is not None:
            raise Unsupported("CASE with an operand")
        branches = [(i.this, i.args.get("true")) for i in node.args.get("ifs") or []]
        default = node.args.get("default")
    compiled = [
        (compile_predicate(c, names, dialect), compile_predicate(v, names, dialect))
        for c, v in branches
    ]
    otherwise = compile_predicate(default, names, dialect) if default is not None else None

    def run(row: Row) -> Any:
        for cond, value in compiled:
            hit = cond(row)
            if hit is not None and bool(hit):
                return value(row)
        return otherwise(row) if otherwise is not None else None

    return run


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


# pairs of types Python already compares as SQL does (the common case, checked first)
_SAME_FOOTING = {
    (int, int), (str, str), (decimal.Decimal, decimal.Decimal), (float, float),
    (int, decimal.Decimal), (decimal.Decimal, int), (int, float), (float, int),
    (dt.date, dt.date), (bool, bool), (bool, int), (int, bool),
}  # fmt: skip


def _coerce(a: Any, b: Any) -> tuple[Any, Any]:
    """Make SQL-comparable values comparable in Python (dates vs text, bool vs int)."""
    if (type(a), type(b)) in _SAME_FOOTING:
        return a, b
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
        for a in allowed:
            x, y = _coerce(v, a)
            if x == y:
                return True
        return False

    return run


def _tuple_in(node: exp.In, names: set[str], dialect: str) -> Predicate:
    """``(a, b) IN ((1, 'x'), (2, 'y'))``: the row's values match one of the listed rows."""
    parts = [compile_predicate(e, names, dialect) for e in _strip(node.this).expressions]
    allowed = []
    for item in node.expressions:
        item = _strip(item)
        values = [_constant(v) for v in getattr(item, "expressions", ())]
        if not isinstance(item, exp.Tuple) or len(values) != len(parts) or _NA in values:
            raise Unsupported("IN with rows that are not constants of the same width")
        allowed.append(values)

    def run(row: Row) -> Any:
        got = [part(row) for part in parts]
        if any(v is None for v in got):
            return None
        return any(
            all(_coerce(v, a)[0] == _coerce(v, a)[1] for v, a in zip(got, values))
            for values in allowed
        )

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
