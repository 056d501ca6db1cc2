"""Parse → plan → data: what a request says is what lands in the database, on all three.

Every element the offline parser reads (counts, table choices, per-parent counts, shares over
enum/CHECK values and over yes/no columns, number, age and date ranges, locale, seed) is checked
in the rows a real database holds afterwards, not only in the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from querynl.cli import main
from querynl.schema_design import test_data_generator as tdg

ZOO = Path(__file__).parent / "zoo"
NOW = dt.date(2025, 6, 1)


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path / "config"))
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
        monkeypatch.delenv(name, raising=False)


def fill(db: Any, request: str, *extra: str, seed: str = "7") -> Any:
    args = ["data", request, "--db", db.url, "--yes", "--sample", "0"]
    args += ["--seed", seed, "--now", NOW.isoformat(), *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def shop(db: Any) -> Any:
    db.load(ZOO / "shop" / f"{db.dialect}.sql")
    return db


def column(db: Any, table: str, name: str) -> list[Any]:
    return [r[0] for r in db.execute(f"SELECT {db.quote(name)} FROM {db.quote(table)}")]


def as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return dt.datetime.fromisoformat(str(value))


def age_on(day: dt.date, born: dt.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def flag(value: Any) -> Any:
    """Booleans read back as True/False, 1/0 or '1'/'0' depending on the database."""
    return {True: 1, False: 0, "1": 1, "0": 0}.get(value, value)


# --------------------------------------------------------------------------- shares


def test_status_shares_over_a_thousand_orders(db):
    shop(db)
    fill(db, "add 1,000 orders, 80% of orders shipped, the rest pending")
    statuses = Counter(column(db, "orders", "status"))
    assert sum(statuses.values()) == 1000
    assert set(statuses) == {"shipped", "pending"}
    assert 750 <= statuses["shipped"] <= 850
    assert db.verify() == []


def test_yes_no_columns_get_their_own_values(db):
    """BOOLEAN / TINYINT(1), CHAR(1) 'Y'/'N', CHAR(1) 'T'/'F' and SMALLINT 0/1 alike."""
    shop(db)
    fill(
        db,
        "add 1000 customers, 80% active customers, 30% vip customers, "
        "20% of customers verified, half of the customers newsletter",
    )
    active = Counter(flag(v) for v in column(db, "customers", "is_active"))
    vip = Counter(column(db, "customers", "vip"))
    verified = Counter(flag(v) for v in column(db, "customers", "verified"))
    newsletter = Counter(column(db, "customers", "newsletter"))
    assert set(active) == {0, 1} and 750 <= active[1] <= 850
    assert set(vip) == {"Y", "N"} and 250 <= vip["Y"] <= 350
    assert set(verified) == {0, 1} and 150 <= verified[1] <= 250
    assert set(newsletter) == {"T", "F"} and 450 <= newsletter["T"] <= 550  # no NULLs either
    assert db.verify() == []


def test_mostly_and_negated_flags(sqlite_db):
    shop(sqlite_db)
    fill(sqlite_db, "add 500 products, mostly out of stock")
    in_stock = Counter(flag(v) for v in column(sqlite_db, "products", "in_stock"))
    assert 50 <= in_stock[1] <= 150  # "mostly out of stock": about 20% in stock


def test_values_for_a_whole_table(db):
    """ "no cancelled orders", "customers who are not verified", "all customers vip"."""
    shop(db)
    fill(
        db,
        "add 300 orders and 40 customers, no cancelled orders, customers who are not verified, "
        "all customers vip",
    )
    statuses = Counter(column(db, "orders", "status"))
    assert "cancelled" not in statuses and len(statuses) == 4
    assert {flag(v) for v in column(db, "customers", "verified")} == {0}
    assert set(column(db, "customers", "vip")) == {"Y"}
    assert db.verify() == []


def test_share_of_a_value_no_column_holds_is_reported(sqlite_db):
    shop(sqlite_db)
    result = fill(sqlite_db, "add 50 orders, 80% of orders lost", "--dry-run")
    assert "Not applied: orders: lost 80% — no planned column holds 'lost'." in _flat(result)


# --------------------------------------------------------------------------- per parent


def children_per_parent(db: Any, parent: str, child: str, key: str) -> list[int]:
    """How many ``child`` rows each ``parent`` row has (0 included)."""
    rows = db.execute(
        f"SELECT p.id, COUNT(c.{db.quote(key)}) FROM {db.quote(parent)} p "
        f"LEFT JOIN {db.quote(child)} c ON c.{db.quote(key)} = p.id GROUP BY p.id"
    )
    return [n for _, n in rows]


def test_each_post_with_one_to_five_comments(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    fill(db, "add 30 users and 60 posts, each post with 1-5 comments")
    per_post = children_per_parent(db, "posts", "comments", "post_id")
    assert len(per_post) == 60
    assert all(1 <= n <= 5 for n in per_post)
    assert len(set(per_post)) > 1  # a spread, not one fixed number
    assert db.verify() == []


def test_link_table_counts_per_parent(db):
    """ "each product with 1-3 categories" counts rows of the product_categories link table."""
    shop(db)
    fill(db, "add 40 products and 8 categories, each product with 1-3 categories")
    per_product = db.execute(
        f"SELECT p.id, COUNT(pc.category_id) FROM {db.quote('products')} p LEFT JOIN "
        f"{db.quote('product_categories')} pc ON pc.product_id = p.id GROUP BY p.id"
    )
    assert len(per_product) == 40
    assert all(1 <= n <= 3 for _, n in per_product)
    assert db.verify() == []  # no duplicate (product, category) pair


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_sakila_films_with_categories(make_db, dialect: str):
    db = make_db(dialect)
    db.load_shared("sakila")
    fill(db, "add 30 films, each film with 1-3 categories", seed="3")
    per_film = db.execute(
        f"SELECT f.film_id, COUNT(fc.category_id) FROM {db.quote('film')} f LEFT JOIN "
        f"{db.quote('film_category')} fc ON fc.film_id = f.film_id GROUP BY f.film_id"
    )
    assert len(per_film) == 30
    assert all(1 <= n <= 3 for _, n in per_film)
    assert db.verify() == []


def test_more_links_per_parent_than_other_rows_is_refused(sqlite_db):
    shop(sqlite_db)
    result = CliRunner().invoke(
        main,
        ["data", "add 5 categories, each product with 6-8 categories", "--db", sqlite_db.url],
    )
    assert result.exit_code == 5
    assert "categories has only 5 rows; at most 5 per products row fit" in _flat(result)
    assert sum(sqlite_db.row_counts().values()) == 0


# --------------------------------------------------------------------------- ranges


def test_prices_between_5_and_50(db):
    shop(db)
    fill(db, "add 300 products with prices between 5 and 50")
    prices = [Decimal(str(p)) for p in column(db, "products", "price")]
    assert len(prices) == 300
    assert all(Decimal(5) <= p <= Decimal(50) for p in prices)
    assert max(prices) - min(prices) > 20  # spread over the range


def test_range_narrowed_by_a_check_and_refused_outside_it(sqlite_db):
    shop(sqlite_db)
    result = fill(sqlite_db, "add 100 products with prices between -10 and 3")
    assert "products.price: -10 to 3 narrowed to what the column allows" in _flat(result)
    assert all(0 < float(p) <= 3 for p in column(sqlite_db, "products", "price"))
    refused = CliRunner().invoke(
        main, ["data", "add 5 products, prices between -10 and -2", "--db", sqlite_db.url]
    )
    assert refused.exit_code == 5
    assert "asks for products.price in -10 to -2, but the column only allows" in _flat(refused)


def test_customers_aged_18_to_30(db):
    shop(db)
    fill(db, "add 400 customers aged 18 to 30")
    births = [as_date(b) for b in column(db, "customers", "birth_date") if b is not None]
    assert len(births) > 300
    ages = {age_on(NOW, b) for b in births}
    assert min(ages) == 18 and max(ages) == 30  # the whole window, nothing outside it


def test_orders_from_the_last_90_days(db):
    shop(db)
    fill(db, "add 300 orders from the last 90 days")
    times = [as_datetime(t) for t in column(db, "orders", "ordered_at")]
    assert len(times) == 300
    assert all(NOW - dt.timedelta(days=90) <= t.date() <= NOW for t in times)
    assert min(times).date() <= NOW - dt.timedelta(days=60)  # the window is used, not a corner


def test_customers_created_in_2024(sqlite_db):
    shop(sqlite_db)
    fill(sqlite_db, "add 100 customers created in 2024")
    days = [as_date(t) for t in column(sqlite_db, "customers", "created_at")]
    assert all(dt.date(2024, 1, 1) <= d <= dt.date(2024, 12, 31) for d in days)


def test_reviews_rated_between_4_and_5(sqlite_db):
    shop(sqlite_db)
    fill(sqlite_db, "add 200 reviews rated 4 to 5 stars")
    assert set(column(sqlite_db, "reviews", "rating")) == {4, 5}


# --------------------------------------------------------------------------- which tables


def test_only_products(db):
    shop(db)
    fill(db, "only products")
    counts = db.row_counts()
    assert counts["products"] > 0
    assert {t for t, n in counts.items() if n} == {"products"}


def test_only_a_child_brings_its_required_parents(db):
    shop(db)
    fill(db, "only 30 order items")
    counts = db.row_counts()
    assert counts["order_items"] == 30
    assert {t for t, n in counts.items() if n} == {"order_items", "orders", "products", "customers"}
    assert db.verify() == []


@pytest.mark.parametrize(
    ("request_text", "filled"),
    [
        ("populate the products table", {"products": None}),
        (
            "fill the reviews table with 12 rows",
            {"reviews": 12, "products": None, "customers": None},
        ),
    ],
)
def test_filling_a_named_table_fills_that_table(sqlite_db, request_text, filled):
    """ "populate the products table" asks for products, not for every table."""
    shop(sqlite_db)
    fill(sqlite_db, request_text)
    counts = sqlite_db.row_counts()
    assert {t for t, n in counts.items() if n} == set(filled)
    for table, n in filled.items():
        assert n is None or counts[table] == n
    assert sqlite_db.verify() == []


def test_each_customer_with_exactly_two_orders(db):
    shop(db)
    fill(db, "add 25 customers, each customer with exactly 2 orders")
    assert children_per_parent(db, "customers", "orders", "customer_id") == [2] * 25


def test_everything_except_reviews(db):
    shop(db)
    fill(db, "add sample data to everything except reviews")
    counts = db.row_counts()
    assert counts["reviews"] == 0
    assert all(n > 0 for t, n in counts.items() if t != "reviews")


def test_default_count_for_every_table(sqlite_db):
    shop(sqlite_db)
    fill(sqlite_db, "fill every table with 12 rows")
    assert set(sqlite_db.row_counts().values()) == {12}


# --------------------------------------------------------------------------- locale and seed


def test_german_customers_give_a_german_plan(db):
    shop(db)
    plan, _ = tdg.generate_data(
        "add 20 German customers", db.url, options=tdg.DataOptions(seed=1), dry_run=True
    )
    assert plan.locale == "de_DE"
    fill(db, "add 20 German customers")
    countries = set(column(db, "customers", "country")) - {None}
    assert countries and countries <= {"Germany", "Deutschland"}  # addresses from one country


def test_seed_in_the_request_makes_rows_reproducible(make_db):
    first, second = make_db("sqlite"), make_db("sqlite")
    for target in (first, second):
        shop(target)
        fill(target, "add 30 customers, seed 99", seed="1" if target is first else "2")
    assert first.rows("customers") == second.rows("customers")


# --------------------------------------------------------------------------- what the user sees


def test_the_plan_says_how_the_request_was_read(sqlite_db):
    shop(sqlite_db)
    result = fill(
        sqlite_db,
        "add 1000 orders, 80% shipped, the rest pending, prices between 5 and 50, "
        "customers aged 18 to 30, orders from the last 90 days, each product with 1-3 "
        "categories, German customers",
        "--dry-run",
    )
    understood = _flat(result).split("Understood: ", 1)[1].split(" Note:", 1)[0]
    assert understood == (
        "counts orders=1,000; 1-3 product_categories per products row; orders.status: shipped "
        "80%, the rest pending; customers.birth_date: ages 18 to 30 years; orders the last 90 "
        "days; products.price 5 to 50; locale de_DE"
    )


def test_what_was_not_understood_is_said_with_examples(sqlite_db):
    shop(sqlite_db)
    result = fill(sqlite_db, "add 20 customers with a luxurious vibe", "--dry-run")
    text = _flat(result)
    assert "Not understood: 'luxurious vibe'" in text
    assert "understands, for example: add 50 products and 200 order_items" in text
    assert "An LLM can read free text: pass --llm openai or --llm anthropic" in text


def _flat(result: Any) -> str:
    """The output with Rich's line wrapping undone."""
    return " ".join(result.output.split())
