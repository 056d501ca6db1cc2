"""A large PostgreSQL load sets order totals on the way in, not by a second write.

When the foreign keys that point at the parent (orders) were dropped for the load, the
parent's rows wait until their child rows (order_items) are in, then arrive once, each total
the sum of its items: in this process (``held``, up to ``HELD_ROWS`` parent rows) or in a
temporary table (``staged``); every test runs both ways. The rows in the database are the very
rows the UPDATE path leaves; a failure on the way leaves nothing, no temporary table either.
The threshold of a large load is lowered for these tests (``bulk_rows``).
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from querynl.cli.main import main
from querynl.connection import create_engine
from querynl.errors import InsertionError
from querynl.models import TestDataRequest
from querynl.planner import PlanOptions, build_plan
from querynl.schema_design import held_totals, insertion_executor
from querynl.schema_design.insertion_executor import InsertionExecutor
from querynl.schema_introspection import introspect

SHOP = Path(__file__).parent / "zoo" / "shop" / "postgresql.sql"
BULK = 100
COUNTS = {"customers": 20, "products": 10, "orders": 60, "order_items": 150}
# what the log says when the parent rows arrive with their totals, each way
ARRIVED = {
    "held": "orders: 60 rows loaded with their totals",
    "staged": "orders: 60 rows moved in with their totals",
}


@pytest.fixture(params=["held", "staged"], autouse=True)
def mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Parent rows kept in this process, or (none may be kept) in a temporary table."""
    if request.param == "staged":
        monkeypatch.setattr(held_totals, "HELD_ROWS", 0)
    return request.param


def load(db: Any, counts: dict[str, int], **options: Any) -> None:
    engine = create_engine(db.url)
    try:
        meta = introspect(engine)
        request = TestDataRequest(counts=counts, all_tables=False)
        plan = build_plan(request, meta, PlanOptions(seed=4, now=dt.date(2025, 1, 1)))
        InsertionExecutor(engine, meta, **options).execute(plan)
    finally:
        engine.dispose()


def failing_run(db: Any, column: str, generator: str, params: dict[str, Any]) -> InsertionError:
    """The error of a staged run whose orders.<column> is made by ``generator``."""
    engine = create_engine(db.url)
    try:
        meta = introspect(engine)
        request = TestDataRequest(counts=COUNTS, all_tables=False)
        plan = build_plan(request, meta, PlanOptions(seed=4, now=dt.date(2025, 1, 1)))
        planned = plan.table("orders").column(column)
        planned.generator, planned.params = generator, params
        with pytest.raises(InsertionError) as caught:
            InsertionExecutor(engine, meta, bulk_rows=BULK).execute(plan)
    finally:
        engine.dispose()
    return caught.value


def sums(db: Any) -> dict[int, Decimal]:
    found: dict[int, Decimal] = {}
    for order_id, quantity, price in db.execute(
        "SELECT order_id, quantity, unit_price FROM order_items"
    ):
        found[order_id] = found.get(order_id, Decimal(0)) + quantity * price
    return found


def temporary_tables(db: Any) -> int:
    return db.execute(
        "SELECT COUNT(*) FROM pg_class WHERE relpersistence = 't' AND relname LIKE 'qnl_stage_%'"
    )[0][0]


@pytest.fixture
def shops(make_db: Any) -> tuple[Any, Any]:
    staged, updated = make_db("postgresql"), make_db("postgresql")
    staged.load(SHOP)
    updated.load(SHOP)
    return staged, updated


def test_staged_totals_leave_the_rows_the_update_leaves(shops, mode, caplog) -> None:
    staged, updated = shops
    caplog.set_level(logging.INFO, logger="querynl")
    load(staged, COUNTS, bulk_rows=BULK)
    assert ARRIVED[mode] in caplog.text
    caplog.clear()
    load(updated, COUNTS, bulk_rows=BULK, keep_foreign_keys=True)
    assert "with their totals" not in caplog.text
    for table in COUNTS:
        assert staged.rows(table) == updated.rows(table), table
    totals = sums(staged)
    orders = staged.execute("SELECT id, total FROM orders")
    assert len(orders) == COUNTS["orders"]
    assert any(order_id not in totals for order_id, _ in orders)  # orders without items: 0
    for order_id, total in orders:
        assert total == totals.get(order_id, Decimal(0)), order_id
    assert staged.verify() == [] and staged.verify_sequences() == []
    assert temporary_tables(staged) == 0


def test_rows_added_after_a_staged_load_get_the_next_keys(shops) -> None:
    staged, _ = shops
    load(staged, COUNTS, bulk_rows=BULK)
    top = staged.execute("SELECT MAX(id) FROM orders")[0][0]
    staged.execute(
        "INSERT INTO orders (customer_id, ordered_at, total) VALUES (1, '2025-01-01', 0)"
    )
    assert staged.execute("SELECT MAX(id) FROM orders")[0][0] == top + 1


def test_a_failure_while_moving_the_rows_leaves_nothing(shops) -> None:
    """orders.ordered_at made NULL: the temporary table takes it, the move into orders
    (NOT NULL) refuses it, and the whole run is rolled back."""
    staged, _ = shops
    error = failing_run(staged, "ordered_at", "null", {})
    assert error.table == "orders" and error.column == "ordered_at"
    assert "nothing was inserted" in error.message
    assert all(n == 0 for n in staged.row_counts().values())
    assert temporary_tables(staged) == 0
    assert staged.verify() == []


def test_an_sql_script_of_a_staged_run_carries_the_totals(
    shops, mode, tmp_path, monkeypatch, caplog
) -> None:
    staged, replayed = shops
    caplog.set_level(logging.INFO, logger="querynl")
    monkeypatch.setattr(insertion_executor, "BULK_FOREIGN_KEY_ROWS", BULK)
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("QUERYNL_DATA_DIR", str(tmp_path / "data"))
    script = tmp_path / "run.sql"
    request = "add 20 customers, 10 products, 60 orders and 150 order items"
    args = ["data", request, "--db", staged.url, "--yes", "--seed", "4", "--sample", "0"]
    result = CliRunner().invoke(main, ["-v", *args, "--sql-out", str(script)])
    assert result.exit_code == 0, result.output
    assert ARRIVED[mode] in caplog.text + result.output
    replayed.server.load_script(replayed, script.read_text(encoding="utf-8"))
    for table in ("customers", "products", "orders", "order_items"):
        assert replayed.rows(table) == staged.rows(table), table
    assert any(total != 0 for (total,) in staged.execute("SELECT total FROM orders"))


def test_a_trigger_on_a_later_table_keeps_the_update(shops, caplog) -> None:
    """A trigger on order_items that marks its order paid must find the order there."""
    staged, _ = shops
    staged.load(
        """
        CREATE FUNCTION mark_paid() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE orders SET status = 'paid' WHERE id = NEW.order_id;
            RETURN NEW;
        END $$;
        CREATE TRIGGER items_mark_paid AFTER INSERT ON order_items
            FOR EACH ROW EXECUTE FUNCTION mark_paid();
        """
    )
    caplog.set_level(logging.INFO, logger="querynl")
    load(staged, COUNTS, bulk_rows=BULK)
    assert "orders: totals set by UPDATE (a table loaded after it has triggers)" in caplog.text
    assert "with their totals" not in caplog.text
    with_items = set(sums(staged))
    statuses = dict(staged.execute("SELECT id, CAST(status AS text) FROM orders"))
    assert with_items and all(statuses[o] == "paid" for o in with_items)
    totals = sums(staged)
    for order_id, total in staged.execute("SELECT id, total FROM orders"):
        assert total == totals.get(order_id, Decimal(0)), order_id


def test_a_value_the_staged_column_refuses_is_reported_on_the_parent(shops) -> None:
    staged, _ = shops
    error = failing_run(staged, "status", "constant", {"value": "lost in the post"})
    assert error.table == "orders", error.message
    assert "qnl_stage" not in error.message + (error.hint or ""), error.message
    assert "nothing was inserted" in error.message
    assert all(n == 0 for n in staged.row_counts().values())


IDENTITY_SHOP = """
CREATE TABLE customers (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE orders (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    total numeric(12, 2) NOT NULL DEFAULT 0 CHECK (total >= 0),
    total_with_tax numeric(14, 2) GENERATED ALWAYS AS (total * 1.2) STORED
);
CREATE TABLE order_items (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id integer NOT NULL REFERENCES orders (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(10, 2) NOT NULL CHECK (unit_price > 0)
);
"""


def test_identity_and_generated_columns_of_a_staged_parent(pg_db, mode, caplog) -> None:
    pg_db.load(IDENTITY_SHOP)
    caplog.set_level(logging.INFO, logger="querynl")
    load(pg_db, {"customers": 10, "orders": 60, "order_items": 150}, bulk_rows=BULK)
    assert ARRIVED[mode] in caplog.text
    totals = sums(pg_db)
    rows = pg_db.execute("SELECT id, total, total_with_tax FROM orders ORDER BY id")
    assert [r[0] for r in rows] == list(range(1, 61))
    for order_id, total, with_tax in rows:
        assert total == totals.get(order_id, Decimal(0))
        assert with_tax == (total * Decimal("1.2")).quantize(Decimal("0.01"))
    assert pg_db.verify() == [] and pg_db.verify_sequences() == []
    pg_db.execute("INSERT INTO orders (customer_id) VALUES (1)")  # the identity moved on
    assert pg_db.execute("SELECT MAX(id) FROM orders")[0][0] == 61
