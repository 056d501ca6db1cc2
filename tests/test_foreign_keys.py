"""How foreign keys find parent rows: per-parent counts inside a composite UNIQUE, junctions
filtered by CHECKs, existing parents referenced by a request that names only the child."""

from __future__ import annotations

from click.testing import CliRunner

from dbkit import Database
from querynl.cli import main

ORDERS = """
CREATE TABLE orders (id INTEGER PRIMARY KEY, placed_at DATE NOT NULL);
CREATE TABLE products (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL);
CREATE TABLE order_items (
    id INTEGER PRIMARY KEY,
    order_id INTEGER NOT NULL,
    product_id INTEGER NOT NULL,
    quantity INTEGER NOT NULL,
    UNIQUE (order_id, product_id),
    FOREIGN KEY (order_id) REFERENCES orders (id),
    FOREIGN KEY (product_id) REFERENCES products (id)
);
"""


def data(db: Database, request: str, *extra: str):
    args = ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", "3", *extra]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_per_parent_count_with_unique_partner(db: Database) -> None:
    db.load(ORDERS)
    result = data(db, "add 40 orders and 6 products, each order with 1-4 items")
    assert result.exit_code == 0, result.output
    per_order = db.execute(
        "SELECT order_id, COUNT(*), COUNT(DISTINCT product_id) FROM order_items GROUP BY order_id"
    )
    assert len(per_order) == 40
    assert all(1 <= n <= 4 and n == distinct for _, n, distinct in per_order)
    assert db.verify() == []


def test_per_parent_count_beyond_the_partners_is_refused(db: Database) -> None:
    db.load(ORDERS)
    result = data(db, "add 40 orders and 6 products, each order with 2-8 items")
    assert result.exit_code == 5
    assert "up to 8 rows per orders row" in result.output
    assert "(order_id, product_id) must be distinct" in result.output
    assert "at most 6 per orders row fit" in result.output
    assert db.row_counts() == {"orders": 0, "products": 0, "order_items": 0}
