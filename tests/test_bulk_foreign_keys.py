"""A large PostgreSQL load drops its tables' foreign keys and adds them back before COMMIT.

Adding a key back checks every row in one pass (as pg_restore does), several times faster
than PostgreSQL's trigger per row. The keys come back identical (name, definition, validated),
the database itself still checks every row, and whatever stands in the way (a table in use,
a role that does not own it, existing rows that would all be checked again) leaves the keys in
place and checks rows one by one. The threshold is lowered for these tests (``bulk_rows``) so
that a few hundred rows stand for a large load.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from querynl.cli.main import main
from querynl.connection import create_engine
from querynl.dialects import dialect_for
from querynl.errors import InsertionError
from querynl.models import TestDataRequest
from querynl.planner import PlanOptions, build_plan
from querynl.schema_design import insertion_executor
from querynl.schema_design import test_data_generator as tdg
from querynl.schema_design.insertion_executor import BULK_FOREIGN_KEY_ROWS, InsertionExecutor
from querynl.schema_introspection import introspect

ZOO = Path(__file__).parent / "zoo"
BULK = 100  # the threshold for these tests
LARGE = 150  # rows that make a large load at that threshold
SMALL = 40
DROPPED = "orders: foreign keys dropped for the load (orders customer, orders_shop)"

SHOP = """
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE shops (id serial PRIMARY KEY, code varchar(12) NOT NULL UNIQUE);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL,
    shop_code varchar(12),
    CONSTRAINT "orders customer" FOREIGN KEY (customer_id) REFERENCES customers (id)
        ON DELETE CASCADE ON UPDATE RESTRICT,
    CONSTRAINT orders_shop FOREIGN KEY (shop_code) REFERENCES shops (code)
        MATCH FULL DEFERRABLE INITIALLY DEFERRED
);
"""

# every foreign key of the database: (table, name) -> (definition, validated, oid); tables
# outside public named with their schema
_KEYS = """
SELECT CASE WHEN n.nspname = 'public' THEN c.relname ELSE n.nspname || '.' || c.relname END,
       con.conname, pg_get_constraintdef(con.oid), con.convalidated, con.oid
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE con.contype = 'f'
"""


def keys(db) -> dict[tuple[str, str], tuple[str, bool, int]]:
    with db.engine.connect() as conn:
        rows = conn.execute(sa.text(_KEYS)).all()
    return {(t, n): (d, v, o) for t, n, d, v, o in rows}


def shapes(found: dict[tuple[str, str], tuple[str, bool, int]]) -> dict[Any, Any]:
    """The keys without their OIDs: what must come back identical."""
    return {key: (d, v) for key, (d, v, _) in found.items()}


def oids(found: dict[tuple[str, str], tuple[str, bool, int]], table: str) -> set[int]:
    return {o for (t, _), (_, _, o) in found.items() if t == table}


def load(db, counts: dict[str, int], *, bulk_rows: int = BULK, **options: Any) -> None:
    """Plan ``counts`` and insert them through the executor."""
    engine = create_engine(db.url)
    try:
        meta = introspect(engine)
        request = TestDataRequest(counts=counts, all_tables=False)
        plan = build_plan(request, meta, PlanOptions(seed=3, now=dt.date(2025, 1, 1)))
        InsertionExecutor(engine, meta, bulk_rows=bulk_rows, **options).execute(plan)
    finally:
        engine.dispose()


@pytest.fixture
def shop(pg_db):
    pg_db.load(SHOP)
    return pg_db


def test_the_production_threshold_is_a_large_load() -> None:
    assert BULK_FOREIGN_KEY_ROWS == 1_000


def test_a_large_load_adds_back_the_same_keys_and_checks_every_row(shop, caplog) -> None:
    before = keys(shop)
    caplog.set_level(logging.INFO, logger="querynl")
    load(shop, {"customers": 5, "shops": 3, "orders": LARGE})
    after = keys(shop)
    assert shapes(after) == shapes(before)
    assert all(validated for _, validated, _ in after.values())
    # dropped and added back: new constraints, with new OIDs
    assert oids(after, "orders").isdisjoint(oids(before, "orders"))
    assert DROPPED in caplog.text
    assert "foreign key orders customer added back" in caplog.text
    assert shop.row_counts() == {"customers": 5, "shops": 3, "orders": LARGE}
    assert shop.verify() == []
    # the definitions kept their actions, not only their text
    definition = after[("orders", "orders customer")][0]
    assert "ON DELETE CASCADE" in definition and "ON UPDATE RESTRICT" in definition
    assert "MATCH FULL DEFERRABLE INITIALLY DEFERRED" in after[("orders", "orders_shop")][0]
    shop.execute("DELETE FROM customers")
    assert shop.row_counts()["orders"] == 0


def test_keep_foreign_keys_checks_row_by_row(shop) -> None:
    before = keys(shop)
    load(shop, {"customers": 5, "shops": 3, "orders": LARGE}, keep_foreign_keys=True)
    assert keys(shop) == before
    assert shop.row_counts()["orders"] == LARGE and shop.verify() == []


def test_data_options_keep_foreign_keys(shop, monkeypatch) -> None:
    monkeypatch.setattr(insertion_executor, "BULK_FOREIGN_KEY_ROWS", BULK)
    engine = create_engine(shop.url)
    try:
        for keep in (True, False):
            before = keys(shop)
            options = tdg.DataOptions(seed=1, keep_foreign_keys=keep, record=False)
            prepared = tdg.prepare(f"add {LARGE} orders", engine, options)
            tdg.execute(prepared, engine, options)
            after = keys(shop)
            assert shapes(after) == shapes(before)
            assert (oids(after, "orders") == oids(before, "orders")) is keep
    finally:
        engine.dispose()


def test_the_cli_flag_keeps_the_keys(shop, monkeypatch) -> None:
    monkeypatch.setattr(insertion_executor, "BULK_FOREIGN_KEY_ROWS", BULK)
    before = keys(shop)
    args = ["data", f"add {LARGE} orders", "--db", shop.url, "--yes", "--sample", "0"]
    result = CliRunner().invoke(main, [*args, "--keep-foreign-keys"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert keys(shop) == before
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert oids(keys(shop), "orders").isdisjoint(oids(before, "orders"))
    assert shop.row_counts()["orders"] == 2 * LARGE and shop.verify() == []
    help_text = CliRunner().invoke(main, ["data", "--help"]).output
    assert "--keep-foreign-keys" in help_text and "no exclusive table locks" in " ".join(
        help_text.split()
    )


def test_below_the_threshold_the_keys_stay(shop) -> None:
    before = keys(shop)
    load(shop, {"customers": 5, "shops": 3, "orders": SMALL})
    assert keys(shop) == before
    assert shop.row_counts()["orders"] == SMALL and shop.verify() == []


@pytest.mark.parametrize("analysed", [True, False])
def test_a_table_with_more_rows_than_the_load_keeps_its_keys(shop, analysed, caplog) -> None:
    shop.execute("ALTER TABLE orders SET (autovacuum_enabled = false)")
    load(shop, {"customers": 5, "shops": 3, "orders": 2 * LARGE}, keep_foreign_keys=True)
    if analysed:
        shop.execute("ANALYZE orders")
    else:  # no estimate at all: the rows counted when the schema was read decide
        assert shop.execute(
            "SELECT reltuples FROM pg_class WHERE oid = CAST('orders' AS regclass)"
        ) == [(-1,)]
    before = keys(shop)
    caplog.set_level(logging.INFO, logger="querynl")
    load(shop, {"orders": LARGE})
    assert keys(shop) == before
    assert "about 300 rows are there already" in caplog.text
    assert shop.row_counts()["orders"] == 3 * LARGE and shop.verify() == []


@pytest.fixture
def reader(shop) -> Iterator[sa.Connection]:
    """Another session that read orders and sits idle in its transaction (ACCESS SHARE: COPY
    may go on, ALTER TABLE must wait). The server ends it after 20 s, so a run that waited
    for it would still end, late enough to fail the test."""
    engine = sa.create_engine(shop.sa_url)
    conn = engine.connect()
    conn.execute(sa.text("SET idle_in_transaction_session_timeout = '20s'"))
    conn.execute(sa.text("SELECT count(*) FROM orders")).scalar()
    yield conn
    try:
        conn.close()
    finally:
        engine.dispose()


def test_a_table_in_use_keeps_its_keys_and_the_run_does_not_wait(shop, reader, caplog) -> None:
    before = keys(shop)
    caplog.set_level(logging.INFO, logger="querynl")
    began = time.monotonic()
    load(shop, {"customers": 5, "shops": 3, "orders": LARGE})
    assert time.monotonic() - began < 10
    assert "orders: foreign keys checked row by row (another session is using" in caplog.text
    assert keys(shop) == before
    assert shop.row_counts()["orders"] == LARGE and shop.verify() == []
    # the reader's session was never disturbed, and sees the committed rows
    assert reader.execute(sa.text("SELECT count(*) FROM orders")).scalar() == LARGE


def test_one_table_in_use_keeps_only_its_own_keys(pg_db, caplog) -> None:
    """The drops of all the tables go at once; when one table is busy, each is tried on its
    own, and the others still lose their keys for the load."""
    pg_db.load(
        SHOP
        + """
        CREATE TABLE reviews (
            id serial PRIMARY KEY,
            customer_id integer NOT NULL REFERENCES customers (id),
            stars integer NOT NULL
        );
        """
    )
    engine = sa.create_engine(pg_db.sa_url)
    reviewer = engine.connect()
    try:
        reviewer.execute(sa.text("SET idle_in_transaction_session_timeout = '20s'"))
        reviewer.execute(sa.text("SELECT count(*) FROM reviews")).scalar()
        before = keys(pg_db)
        caplog.set_level(logging.INFO, logger="querynl")
        began = time.monotonic()
        load(pg_db, {"customers": 5, "shops": 3, "orders": LARGE, "reviews": LARGE})
        assert time.monotonic() - began < 10
        assert DROPPED in caplog.text
        assert "reviews: foreign keys checked row by row (another session is using" in caplog.text
        after = keys(pg_db)
        assert shapes(after) == shapes(before)
        assert oids(after, "reviews") == oids(before, "reviews")  # never dropped
        assert oids(after, "orders").isdisjoint(oids(before, "orders"))  # dropped, added back
        assert pg_db.row_counts()["reviews"] == LARGE and pg_db.verify() == []
    finally:
        reviewer.close()
        engine.dispose()


@pytest.fixture
def stranger(shop) -> Iterator[str]:
    """A role that may insert into the shop's tables but does not own them."""
    role = f"qnl_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(shop.sa_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE ROLE "{role}" LOGIN'))
        conn.execute(sa.text(f'GRANT SELECT, INSERT ON ALL TABLES IN SCHEMA public TO "{role}"'))
        conn.execute(
            sa.text(f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
        )
    yield role
    with admin.connect() as conn:
        conn.execute(
            sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = :r"),
            {"r": role},
        )
        conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
        conn.execute(sa.text(f'DROP ROLE "{role}"'))
    admin.dispose()


def test_a_role_that_does_not_own_the_table_keeps_its_keys(shop, stranger, caplog) -> None:
    before = keys(shop)
    caplog.set_level(logging.INFO, logger="querynl")
    engine = create_engine(sa.make_url(shop.sa_url).set(username=stranger))
    try:
        meta = introspect(engine)
        request = TestDataRequest(counts={"customers": 5, "shops": 3, "orders": LARGE})
        plan = build_plan(request, meta, PlanOptions(seed=3, now=dt.date(2025, 1, 1)))
        InsertionExecutor(engine, meta, bulk_rows=BULK).execute(plan)
    finally:
        engine.dispose()
    assert "only the table's owner can drop and add back its foreign keys" in caplog.text
    assert keys(shop) == before
    assert shop.row_counts()["orders"] == LARGE and shop.verify() == []


def test_a_row_that_points_nowhere_fails_when_the_key_comes_back(shop, caplog) -> None:
    """A hostile plan fills orders.customer_id from a sequence past every customer: COPY
    takes the rows (the key is gone), adding the key back refuses them, nothing stays."""
    load(shop, {"customers": 5, "shops": 3, "orders": 10})
    before, rows = keys(shop), {t: shop.rows(t) for t in shop.table_names()}
    engine = create_engine(shop.url)
    caplog.set_level(logging.INFO, logger="querynl")
    try:
        meta = introspect(engine)
        request = TestDataRequest(counts={"orders": LARGE}, all_tables=False)
        plan = build_plan(request, meta, PlanOptions(seed=3, now=dt.date(2025, 1, 1)))
        orders = plan.table("orders")
        orders.foreign_keys = [fk for fk in orders.foreign_keys if fk.name != "orders customer"]
        column = orders.column("customer_id")
        column.generator, column.params = "sequence", {"start": 900_000, "step": 1}
        with pytest.raises(InsertionError) as caught:
            InsertionExecutor(engine, meta, bulk_rows=BULK).execute(plan)
    finally:
        engine.dispose()
    error = caught.value
    assert DROPPED in caplog.text
    assert error.table == "orders" and error.constraint == "orders customer"
    assert "points at no row of its parent table" in error.message
    assert 'violates foreign key constraint "orders customer"' in error.message
    assert "nothing was inserted" in error.message
    assert keys(shop) == before
    assert {t: shop.rows(t) for t in shop.table_names()} == rows


@pytest.mark.parametrize(
    "counts",
    [
        {"teams": LARGE, "players": LARGE, "accounts": LARGE, "contacts": LARGE},
        {"teams": LARGE, "players": SMALL, "accounts": SMALL, "contacts": LARGE},
    ],
    ids=["all-large", "mixed"],
)
def test_a_not_null_cycle_still_loads(pg_db, counts: dict[str, int]) -> None:
    pg_db.load(ZOO / "cycle_not_null" / "postgresql.sql")
    before = keys(pg_db)
    load(pg_db, counts)
    after = keys(pg_db)
    assert shapes(after) == shapes(before)
    for table, count in counts.items():
        assert (oids(after, table) == oids(before, table)) is (count < BULK)
    assert pg_db.row_counts() == counts
    assert pg_db.verify() == []


PG_ZOO = sorted(p.parent.name for p in ZOO.glob("*/postgresql.sql"))


@pytest.mark.parametrize("case", PG_ZOO)
def test_every_zoo_schema_gets_its_keys_back(pg_db, case: str, monkeypatch) -> None:
    """Every PostgreSQL zoo schema as a large load: the same keys afterwards, no orphans;
    keys of partitioned tables and partitions are never dropped."""
    monkeypatch.setattr(insertion_executor, "BULK_FOREIGN_KEY_ROWS", 50)
    pg_db.load(ZOO / case / "postgresql.sql")
    before = keys(pg_db)
    runs = [[], ["--schema", "app"]] if case == "non_public_schema" else [[]]
    for extra in runs:
        args = ["data", "add 100 rows to every table", "--db", pg_db.url, "--yes", "--sample"]
        result = CliRunner().invoke(main, [*args, "0", "--seed", "5", *extra])
        assert result.exit_code == 0, result.output
    after = keys(pg_db)
    assert shapes(after) == shapes(before)
    if case == "partitioned":
        assert after == before
    elif case in ("shop", "blog", "self_reference", "non_public_schema", "fk_to_unique"):
        assert after != before  # some were dropped and added back
    for schema in (None, "app") if case == "non_public_schema" else (None,):
        assert pg_db.verify(schema) == [], schema


def test_the_lock_timeout_is_put_back(shop, reader) -> None:
    """After the drops, and after drops that could not be made, the session's lock_timeout is
    what it was."""
    engine = create_engine(shop.url)
    dialect = dialect_for("postgresql")
    try:
        meta = introspect(engine)
        with engine.connect() as conn:
            conn.execute(sa.text("SET LOCAL lock_timeout = '7s'"))
            orders = meta.table("orders")
            assert dialect.relax_foreign_keys(conn, [(orders, LARGE)]) == []  # in use
            assert conn.execute(sa.text("SHOW lock_timeout")).scalar() == "7s"
            reader.rollback()
            dropped = dialect.relax_foreign_keys(conn, [(orders, LARGE)])
            assert {key.name for key in dropped} == {"orders customer", "orders_shop"}
            assert conn.execute(sa.text("SHOW lock_timeout")).scalar() == "7s"
            conn.rollback()
    finally:
        engine.dispose()
