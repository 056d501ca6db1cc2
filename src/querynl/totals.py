"""Totals that agree with their lines: ``orders.total`` is the sum of its items.

When a run fills a parent table with a total column (``total``, ``amount``, ``grand_total``...)
and a child table that points at it with a quantity and a unit price, the plan records a
``TotalPlan``; after both tables are loaded, one UPDATE per pair sets each new parent row's
total to the sum of ``quantity * unit_price`` (times ``1 - discount`` when the lines carry a
discount rate) over its lines. A parent without lines gets 0 unless a CHECK constrains the
total (it then keeps its generated value); a sum too large for the column leaves it as it was.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from . import checks as checks_mod
from . import semantics
from .models import ColumnInfo, SchemaMetadata, TablePlan, TotalPlan

TOTAL_NAME = re.compile(
    r"^(total|grand_total|total_amount|order_total|invoice_total|amount|total_price|"
    r"sub_total|subtotal|total_due|amount_due)$"
)
NUMERIC = ("integer", "decimal", "float", "money")


def find_totals(
    tables: list[TablePlan], meta: SchemaMetadata, domain: str | None
) -> list[TotalPlan]:
    """The (parent total, child lines) pairs of a plan, at most one per child table."""
    planned = {t.table: t for t in tables}
    found: list[TotalPlan] = []
    for child in tables:
        info = meta.table(child.table)
        meanings = {}
        for cp in child.columns:
            if cp.generator != "foreign_key":
                guessed = semantics.guess(info.column(cp.name), info, domain)
                if guessed is not None:
                    meanings.setdefault(guessed[2], cp.name)
        price = meanings.get("price") or meanings.get("rental rate")
        if price is None:
            continue
        for fp in child.foreign_keys:
            parent = planned.get(fp.ref_table)
            if parent is None or parent.table == child.table or len(fp.columns) != 1:
                continue
            if fp.strategy in ("deferred", "deferred_update"):
                continue
            column = _total_column(parent, meta)
            key = fp.ref_columns[0]
            if column is None or parent.column(column).unique:
                continue
            if not any(c.name == key and c.generator == "sequence" for c in parent.columns):
                continue  # new parent rows are known by their key range only
            quantity, discount = meanings.get("quantity"), meanings.get("discount rate")
            what = f"{quantity} × {price}" if quantity else price
            if discount:
                what += f" × (1 - {discount})"
            found.append(
                TotalPlan(
                    table=parent.table,
                    column=column,
                    key=key,
                    child=child.table,
                    fk=fp.columns[0],
                    quantity=quantity,
                    price=price,
                    discount=discount,
                    note=f"{parent.table}.{column} = the sum of {what} over its {child.table} "
                    "rows, set once they are inserted",
                )
            )
            break
    return found


def _total_column(parent: TablePlan, meta: SchemaMetadata) -> str | None:
    info = meta.table(parent.table)
    for cp in parent.columns:
        col = info.column(cp.name)
        if col.type.kind not in NUMERIC or cp.generator in ("foreign_key", "sequence"):
            continue
        if TOTAL_NAME.match(semantics.normalise(cp.name)):
            return cp.name
    return None


def total_bounds(
    model: checks_mod.CheckModel, column: ColumnInfo, type_limit: Decimal
) -> tuple[Decimal, Decimal, bool] | None:
    """(lowest, highest total the column takes, whether 0 is allowed) from its type and its
    CHECKs; None when a CHECK ties the total to other columns (then it is left as generated)."""
    name = column.name
    own = []
    for _check, predicate, cols in model.predicates:
        if name in cols:
            if cols != {name}:
                return None
            own.append(predicate)
    if any(name in cols for cols in model.unreadable_columns.values()):
        return None
    low, high = -type_limit, type_limit
    if column.type.unsigned:
        low = Decimal(0)
    domain = model.domain(name)
    step = Decimal(1).scaleb(-(column.type.scale if column.type.scale is not None else 2))
    if domain is not None:
        if domain.values is not None:
            return None
        if _number(domain.low) is not None:
            low = max(low, _number(domain.low) + (step if domain.low_strict else 0))
        if _number(domain.high) is not None:
            high = min(high, _number(domain.high) - (step if domain.high_strict else 0))
    zero = low <= 0 <= high and all(checks_mod.passes(p, {name: 0}) for p in own)
    return low, high, zero


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    return Decimal(str(value))
