"""Parent rows that wait in this process until their child rows are made, then go in once,
totals set.

Where a parent's rows may arrive after its children (see ``InsertionExecutor._staged_totals``:
every foreign key that points at the parent is off for the load and nothing reads it in
between), a run of at most ``HELD_ROWS`` parent rows keeps them here instead of in a
temporary table. Each batch of child rows is summed as it is loaded, the way the database sums
it in ``Dialect.insert_staged``: exact decimal arithmetic, a line with a NULL part left out,
the sum compared with the column's bounds as the database compares them (as a float against
float bounds), the parent's value kept as made when the sum falls outside them, 0 (where
allowed) or the made value for a parent without lines, and the sum rounded half away from zero
to the column's scale. The parent rows then go through the bulk path once with their totals:
no temporary table, no grouped join, no second write.

Only plain numbers are summed here: integer quantities, integer or NUMERIC(p, s) prices and
totals, no discount rate. Anything else stays staged; a value of another type turning up in a
batch (a hand-edited plan) sends the parent's rows in as made and its totals by UPDATE.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from ..models import ColumnInfo, TableInfo, TotalPlan

# The most parent rows a run keeps in memory (orders-like rows: about 30 MB); more are staged.
HELD_ROWS = 100_000

_MAX_DIGITS = 38  # NUMERIC precision summed here; products and sums stay far below _EXACT's
_EXACT = decimal.Context(prec=200, rounding=decimal.ROUND_HALF_UP)
_PLAIN = frozenset({int, Decimal, type(None)})
_KEYS = frozenset({int, type(None)})
Row = tuple[Any, ...]


def computable(parent: TableInfo, child: TableInfo, total: TotalPlan) -> bool:
    """Whether ``total`` can be summed here exactly as the database sums it."""
    if total.discount:
        return False
    if total.quantity and child.column(total.quantity).type.kind != "integer":
        return False
    return _plain_number(parent.column(total.column)) and _plain_number(child.column(total.price))


def _plain_number(column: ColumnInfo) -> bool:
    kind = column.type
    if kind.kind == "integer":
        return True
    return (
        kind.kind == "decimal"
        and kind.scale is not None
        and kind.precision is not None
        and kind.precision <= _MAX_DIGITS
    )


class HeldParent:
    """One parent table's rows, and the sums of its new rows' lines."""

    def __init__(
        self,
        total: TotalPlan,
        columns: tuple[Sequence[str], Sequence[str]],
        keys: tuple[int, int],
        bounds: tuple[Any, Any] | None,
        zero: bool,
        column: ColumnInfo,
    ) -> None:
        """``columns``: the parent's and the child's columns in row order; ``keys``: the first
        and last of the parent's new keys; ``bounds`` and ``zero`` as for ``insert_staged``."""
        parent_columns, child_columns = columns
        self.total = total
        self.bounds = bounds
        self.zero = zero
        self.plain = True  # False once a batch held a value of another type
        self.batches: list[list[Row]] = []
        self.keys = keys
        self.first = keys[0]
        size = keys[1] - keys[0] + 1
        self.sums: list[Any] = [None] * size
        self.present = bytearray(size)  # 1: the parent has at least one line
        self._fk = child_columns.index(total.fk)
        self._quantity = child_columns.index(total.quantity) if total.quantity else None
        self._price = child_columns.index(total.price)
        self._at = parent_columns.index(total.column)
        self._key = parent_columns.index(total.key)
        self._integer = column.type.kind == "integer"
        self._step = Decimal(1).scaleb(-(column.type.scale or 0))

    def keep(self, rows: list[Row]) -> None:
        self.batches.append(rows)

    def add_lines(self, rows: Sequence[Row]) -> None:
        """Sum one batch of child rows into their parents' totals."""
        if not self.plain:
            return
        fk, quantity, price = self._fk, self._quantity, self._price
        numbers = [price] if quantity is None else [price, quantity]
        if not {type(row[fk]) for row in rows} <= _KEYS or any(
            not {type(row[i]) for row in rows} <= _PLAIN for i in numbers
        ):
            self.plain = False
            return
        first, size = self.first, len(self.present)
        sums, present = self.sums, self.present
        with decimal.localcontext(_EXACT):
            for row in rows:
                key = row[fk]
                if key is None or not 0 <= key - first < size:
                    continue  # a line of a parent this run did not add
                i = key - first
                present[i] = 1
                line = row[price]
                if line is None:
                    continue
                if quantity is not None:
                    if row[quantity] is None:
                        continue
                    line = row[quantity] * line
                sums[i] = line if sums[i] is None else sums[i] + line

    def rows(self) -> Iterator[list[Row]]:
        """The kept batches, each row's total set (as made when the totals are not plain);
        each batch is let go once given."""
        batches, self.batches = self.batches, []
        if not self.plain or self.bounds is None:
            yield from batches
            return
        at, key, first = self._at, self._key, self.first
        with decimal.localcontext(_EXACT):
            for n, batch in enumerate(batches):
                batches[n] = []
                yield [
                    (*row[:at], self._total(row[key] - first, row[at]), *row[at + 1 :])
                    for row in batch
                ]

    def _total(self, i: int, made: Any) -> Any:
        if not self.present[i]:
            return (0 if self._integer else Decimal(0)) if self.zero else made
        found = self.sums[i]
        if found is None:  # every line had a NULL part
            return made
        low, high = self.bounds  # type: ignore[misc]
        inside = low <= float(found) <= high if isinstance(low, float) else low <= found <= high
        if not inside:
            return made
        if self._integer:
            return int(Decimal(found).quantize(Decimal(1)))
        return Decimal(found).quantize(self._step)
