"""Totals summed in this process leave the rows the database's own sums leave.

The parent rows of a PostgreSQL load wait in this process while their lines are loaded, and
each total is summed here (``held_totals``). The sums must be the database's to the last
digit: lines with a NULL part left out, sums outside the column's CHECK kept as made, parents
without lines, rounding to the column's scale (half away from zero), integer totals. Each case
runs three ways on the same plan: held here, staged in a temporary table, and set by UPDATE
with the foreign keys kept; the three databases must hold the same rows.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from typing import Any

import pytest

from querynl.connection import create_engine
from querynl.models import ColumnInfo, TestDataRequest, TotalPlan, TypeInfo
from querynl.planner import PlanOptions, build_plan
from querynl.schema_design import held_totals
from querynl.schema_design.held_totals import HeldParent
from querynl.schema_design.insertion_executor import InsertionExecutor
from querynl.schema_introspection import introspect

BULK = 100

EDGES = """
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    total numeric(8, 2) NOT NULL CHECK (total <= 900)
);
CREATE TABLE order_items (
    id serial PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders (id),
    quantity integer CHECK (quantity BETWEEN 1 AND 9),
    unit_price numeric(9, 3) CHECK (unit_price > 0 AND unit_price < 300)
);
CREATE TABLE invoices (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    amount integer NOT NULL
);
CREATE TABLE invoice_lines (
    id serial PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES invoices (id),
    quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 5),
    price numeric(7, 1) NOT NULL CHECK (price BETWEEN 0.5 AND 99.5)
);
"""
COUNTS = {"customers": 30, "orders": 300, "order_items": 500, "invoices": 200, "invoice_lines": 300}


def run(db: Any, **options: Any) -> None:
    """The same plan every time: seeded, NULL quantities and prices on a share of the lines."""
    engine = create_engine(db.url)
    try:
        meta = introspect(engine)
        request = TestDataRequest(counts=COUNTS, all_tables=False)
        plan = build_plan(request, meta, PlanOptions(seed=11, now=dt.date(2025, 1, 1)))
        assert {(t.table, t.child) for t in plan.totals} == {
            ("orders", "order_items"),
            ("invoices", "invoice_lines"),
        }
        items = plan.table("order_items")
        items.column("quantity").null_rate = 0.2
        items.column("unit_price").null_rate = 0.2
        InsertionExecutor(engine, meta, bulk_rows=BULK, **options).execute(plan)
    finally:
        engine.dispose()


@pytest.fixture
def three(make_db: Any) -> list[Any]:
    found = [make_db("postgresql") for _ in range(3)]
    for db in found:
        db.load(EDGES)
    return found


def test_held_staged_and_updated_totals_are_the_same_rows(three, caplog) -> None:
    held, staged, updated = three
    caplog.set_level(logging.INFO, logger="querynl")
    run(held)
    assert "orders: 300 rows loaded with their totals" in caplog.text
    assert "invoices: 200 rows loaded with their totals" in caplog.text
    caplog.clear()
    run(staged, held_rows=0)
    assert "orders: 300 rows moved in with their totals" in caplog.text
    run(updated, keep_foreign_keys=True)
    for table in COUNTS:
        assert held.rows(table) == staged.rows(table) == updated.rows(table), table
    # the cases are there: lines with NULLs, orders without lines, sums over the CHECK
    assert held.execute("SELECT COUNT(*) FROM order_items WHERE quantity IS NULL")[0][0] > 0
    lines = held.execute(
        "SELECT o.id, o.total, COUNT(i.id), SUM(i.quantity * i.unit_price) "
        "FROM orders o LEFT JOIN order_items i ON i.order_id = o.id GROUP BY o.id, o.total"
    )
    assert any(n == 0 and total == 0 for _, total, n, _ in lines)
    assert any(s is not None and s > 900 and total <= 900 for _, total, _, s in lines)
    rounded = [s for _, total, _, s in lines if s is not None and s <= 900 and s != total]
    assert rounded and all(
        total == s.quantize(Decimal("0.01"))
        for _, total, _, s in lines
        if s is not None and s <= 900
    )
    amounts = held.execute(
        "SELECT v.amount, SUM(l.quantity * l.price) FROM invoices v "
        "JOIN invoice_lines l ON l.invoice_id = v.id GROUP BY v.id, v.amount"
    )
    assert any(s != int(s) for _, s in amounts)  # halves, rounded away from zero
    assert all(a == int(s.quantize(Decimal(1), rounding="ROUND_HALF_UP")) for a, s in amounts)
    for db in three:
        assert db.verify() == []


def test_more_parent_rows_than_may_be_held_are_staged(pg_db, caplog) -> None:
    pg_db.load(EDGES)
    caplog.set_level(logging.INFO, logger="querynl")
    run(pg_db, held_rows=250)
    assert "orders: 300 rows moved in with their totals" in caplog.text
    assert "invoices: 200 rows loaded with their totals" in caplog.text


def _parent(**types: TypeInfo) -> HeldParent:
    total = TotalPlan(
        table="orders", column="total", key="id", child="items", fk="order_id",
        quantity="qty", price="price",
    )  # fmt: skip
    column = ColumnInfo(
        "total", types.get("total", TypeInfo("decimal", "NUMERIC(8,2)", None, 8, 2)), False
    )
    return HeldParent(
        total,
        (["id", "total"], ["id", "order_id", "qty", "price"]),
        (10, 13),
        (-1000.0, 1000.0),
        True,
        column,
    )


def test_the_sums_follow_sql() -> None:
    parent = _parent()
    parent.keep([(10, Decimal("1.00")), (11, Decimal("2.00")), (12, Decimal("3.00"))])
    parent.keep([(13, Decimal("4.00"))])
    parent.add_lines([
        (1, 10, 2, Decimal("1.005")),  # 2.010
        (2, 10, None, Decimal("5")),  # a NULL quantity: not counted
        (3, 11, 1, None),  # only NULL lines: the made value stays
        (4, 13, 3, Decimal("400")),  # 1,200: over the bounds, the made value stays
        (5, 99, 1, Decimal("1")),  # a parent this run did not add
        (6, None, 1, Decimal("1")),
    ])  # fmt: skip
    parent.add_lines([(7, 10, 1, Decimal("0.0049"))])  # 2.0149 -> 2.01
    rows = [row for batch in parent.rows() for row in batch]
    assert rows == [
        (10, Decimal("2.01")),
        (11, Decimal("2.00")),
        (12, Decimal("0")),  # no lines: 0
        (13, Decimal("4.00")),
    ]
    assert parent.batches == []


def test_halves_round_away_from_zero() -> None:
    parent = _parent()
    parent.keep([(10, Decimal(1)), (11, Decimal(1))])
    parent.add_lines([(1, 10, 1, Decimal("0.125")), (2, 11, 1, Decimal("-0.125"))])
    assert [row[1] for batch in parent.rows() for row in batch] == [
        Decimal("0.13"),
        Decimal("-0.13"),
    ]


def test_a_value_of_another_type_leaves_the_sums_to_the_database() -> None:
    parent = _parent()
    parent.keep([(10, Decimal(1))])
    parent.add_lines([(1, 10, 1, 2.5)])  # a float price: the database's arithmetic differs
    assert not parent.plain
    assert [row for batch in parent.rows() for row in batch] == [(10, Decimal(1))]


def test_what_can_be_summed_here() -> None:
    number = TypeInfo("decimal", "NUMERIC(10,2)", None, 10, 2)
    columns = {
        "total": ColumnInfo("total", number, False),
        "qty": ColumnInfo("qty", TypeInfo("integer", "INTEGER"), False),
        "price": ColumnInfo("price", number, False),
        "rate": ColumnInfo("rate", number, True),
    }

    class Table:
        def __init__(self, **changed: TypeInfo) -> None:
            self.found = {
                n: ColumnInfo(n, changed[n], c.nullable) if n in changed else c
                for n, c in columns.items()
            }

        def column(self, name: str) -> ColumnInfo:
            return self.found[name]

    total = TotalPlan(
        table="orders", column="total", key="id", child="items", fk="order_id",
        quantity="qty", price="price",
    )  # fmt: skip
    ok = held_totals.computable
    assert ok(Table(), Table(), total)  # type: ignore[arg-type]
    assert not ok(Table(), Table(), total.model_copy(update={"discount": "rate"}))  # type: ignore[arg-type]
    floats = TypeInfo("float", "REAL")
    assert not ok(Table(), Table(price=floats), total)  # type: ignore[arg-type]
    assert not ok(Table(), Table(qty=floats), total)  # type: ignore[arg-type]
    assert not ok(Table(total=floats), Table(), total)  # type: ignore[arg-type]
    unbounded = TypeInfo("decimal", "NUMERIC")
    assert not ok(Table(total=unbounded), Table(), total)  # type: ignore[arg-type]
