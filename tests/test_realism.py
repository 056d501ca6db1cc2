"""Data that looks real, checked in the rows each database holds: a row's values agree with
each other (names and email, one place, birth date and age, times in order), children come
after their parents, totals match their items, locales change names, places and phones."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from querynl.cli import main
from querynl.generators.people import age_on, ascii_slug, romanisation
from querynl.generators.places import GAZETTEER, fill_pattern
from querynl.generators.pools import Pools

ZOO = Path(__file__).parent / "zoo"
NOW = dt.date(2025, 6, 1)
REQUEST = "add 60 users, 40 products, 80 orders, 240 order items, 30 posts and 120 comments"


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path / "config"))


def fill(db: Any, request: str = REQUEST, *extra: str) -> Any:
    db.load(ZOO / "realism" / f"{db.dialect}.sql")
    args = ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", "5"]
    result = CliRunner().invoke(main, [*args, "--now", NOW.isoformat(), *extra])
    assert result.exit_code == 0, result.output
    return db


def rows(db: Any, table: str, *columns: str) -> list[dict[str, Any]]:
    cols = ", ".join(db.quote(c) for c in columns)
    found = db.execute(f"SELECT {cols} FROM {db.quote(table)} ORDER BY {db.quote('id')}")
    return [dict(zip(columns, r)) for r in found]


def as_datetime(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value is not None else None
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    return dt.datetime.fromisoformat(str(value))


def pattern_regex(pattern: str) -> re.Pattern[str]:
    parts = {"#": "[0-9]", "?": "[A-Z]"}
    return re.compile("".join(parts.get(c, re.escape(c)) for c in pattern) + "$")


def test_a_row_is_one_person_in_one_place(db: Any) -> None:
    fill(db)
    columns = (
        "first_name last_name email username salutation gender city state postal_code country"
        " latitude longitude birth_date age created_at updated_at deleted_at"
    )
    users = rows(db, "users", *columns.split())
    assert len(users) == 60
    cities = {c[0]: c for c in GAZETTEER["US"].cities}
    for u in users:
        first, last = ascii_slug(u["first_name"]), ascii_slug(u["last_name"])
        assert first in u["email"] and last in u["email"], u
        assert u["username"].startswith(first), u
        if u["salutation"] in ("Mr.", "Ms.") and u["gender"]:
            assert {"Mr.": "M", "Ms.": "F"}[u["salutation"]] == u["gender"], u
        if u["city"] is not None:
            name, state, _code, shape, lat, lng = cities[u["city"]]
            assert u["country"] in (None, "United States")
            assert u["state"] in (None, state), u
            assert u["postal_code"] is None or pattern_regex(shape).match(u["postal_code"]), u
            if u["latitude"] is not None:
                assert abs(float(u["latitude"]) - lat) < 0.1, u
                assert abs(float(u["longitude"]) - lng) < 0.1, u
        if u["birth_date"] is not None and u["age"] is not None:
            assert u["age"] == age_on(NOW, as_datetime(u["birth_date"]).date()), u


def test_times_follow_each_other_and_their_parents(db: Any) -> None:
    fill(db)
    users = {u["id"]: u for u in rows(db, "users", "id", "created_at", "updated_at", "deleted_at")}
    deleted = 0
    for u in users.values():
        created, updated = as_datetime(u["created_at"]), as_datetime(u["updated_at"])
        assert created <= updated <= dt.datetime.combine(NOW, dt.time(23, 59, 59)), u
        if u["deleted_at"] is not None:
            deleted += 1
            assert updated <= as_datetime(u["deleted_at"]), u
    assert deleted < len(users) / 2  # most users are not deleted
    orders = rows(
        db, "orders", "id", "user_id", "created_at", "shipped_at", "delivered_at", "updated_at"
    )
    for o in orders:
        created, updated = as_datetime(o["created_at"]), as_datetime(o["updated_at"])
        assert as_datetime(users[o["user_id"]]["created_at"]) <= created, o
        shipped, delivered = as_datetime(o["shipped_at"]), as_datetime(o["delivered_at"])
        assert created <= updated, o
        if shipped is not None:
            assert created <= shipped <= updated, o
            if delivered is not None:
                assert shipped <= delivered <= updated, o
    posts = {p["id"]: p for p in rows(db, "posts", "id", "user_id", "created_at", "updated_at")}
    for p in posts.values():
        assert as_datetime(users[p["user_id"]]["created_at"]) <= as_datetime(p["created_at"])
        assert as_datetime(p["created_at"]) <= as_datetime(p["updated_at"])
    for c in rows(db, "comments", "id", "post_id", "created_at"):
        assert as_datetime(posts[c["post_id"]]["created_at"]) <= as_datetime(c["created_at"])


def test_order_totals_agree_with_their_items(db: Any) -> None:
    fill(db)
    lines: dict[int, Decimal] = {}
    for item in rows(db, "order_items", "id", "order_id", "quantity", "unit_price"):
        amount = Decimal(str(item["unit_price"])) * item["quantity"]
        lines[item["order_id"]] = lines.get(item["order_id"], Decimal(0)) + amount
    orders = rows(db, "orders", "id", "total", "status")
    assert any(o["id"] not in lines for o in orders)  # skewed: some orders have no items yet
    for o in orders:
        total = Decimal(str(o["total"])).quantize(Decimal("0.01"))  # SQLite sums in floats
        assert total == lines.get(o["id"], Decimal(0)), o
    # a plausible mix of statuses: most orders get through, few are cancelled
    mix = Counter(o["status"] for o in orders)
    assert mix["delivered"] + mix["shipped"] > 3 * mix["cancelled"], mix


def test_names_mean_what_the_table_holds(db: Any) -> None:
    fill(db)
    pools = Pools("en_US")
    firsts, lasts = set(pools.get("first_name")), set(pools.get("last_name"))
    products = set(pools.get("product_name"))
    names = [r["name"] for r in rows(db, "products", "id", "name", "price")]
    assert names and all(n in products for n in names), names[:5]
    assert not any(n.split()[0] in firsts and n.split()[-1] in lasts for n in names), names
    prices = [Decimal(str(r["price"])) for r in rows(db, "products", "id", "price")]
    endings = Counter(str(p)[-2:] for p in prices)
    assert endings["99"] + endings["95"] + endings["49"] > len(prices) / 2, endings
    quantities = [r["quantity"] for r in rows(db, "order_items", "id", "quantity")]
    assert sorted(quantities)[len(quantities) // 2] <= 3  # mostly small
    titles = [r["title"] for r in rows(db, "posts", "id", "title")]
    assert set(titles) <= set(pools.get("blog_title")), titles[:3]


def test_german_locale_gives_german_people_places_and_phones(db: Any) -> None:
    fill(db, "add 40 users", "--locale", "de_DE")
    users = rows(db, "users", "id", "first_name", "city", "postal_code", "country", "phone")
    germany = GAZETTEER["DE"]
    cities = {c[0]: c for c in germany.cities}
    firsts = set(Pools("de_DE").get("first_name_male")) | set(
        Pools("de_DE").get("first_name_female")
    )
    for u in users:
        assert u["first_name"] in firsts, u
        if u["city"] is not None:
            assert u["country"] in (None, "Deutschland"), u
            shape = cities[u["city"]][3]
            assert u["postal_code"] is None or pattern_regex(shape).match(u["postal_code"]), u
            assert u["postal_code"] is None or re.fullmatch(r"\d{5}", u["postal_code"]), u
        if u["phone"] is not None:
            assert re.match(r"(\+49|\(?0)", u["phone"]), u


@pytest.mark.parametrize(
    ("locale", "country", "code"),
    [
        ("en_GB", "United Kingdom", "GB"),
        ("fr_FR", "France", "FR"),
        ("es_ES", "España", "ES"),
        ("it_IT", "Italia", "IT"),
        ("pt_BR", "Brasil", "BR"),
        ("nl_NL", "Nederland", "NL"),
        ("ja_JP", "日本", "JP"),
        ("zh_CN", "中国", "CN"),
    ],
)
def test_every_locale_has_its_places_and_latin_emails(
    locale: str, country: str, code: str, sqlite_db: Any
) -> None:
    fill(sqlite_db, "add 30 users", "--locale", locale)
    users = rows(sqlite_db, "users", "id", "first_name", "last_name", "email", "city", "country")
    cities = {c[0] for c in GAZETTEER[code].cities}
    latin = romanisation(locale)
    for u in users:
        assert u["email"].isascii(), u
        assert ascii_slug(latin.get(u["first_name"], u["first_name"])) in u["email"], u
        assert u["city"] is None or u["city"] in cities, u
        assert u["country"] in (None, country), u


def test_postal_codes_fill_their_pattern() -> None:
    assert fill_pattern("10###", 4711) == "10711"
    assert fill_pattern("SW# #??", 0) == "SW0 0AA"


def test_totals_respect_the_checks_on_them(db: Any) -> None:
    db.load(ZOO / "shop" / f"{db.dialect}.sql")  # orders.total NUMERIC(12, 2) CHECK (total >= 0)
    args = ["data", "add 30 orders and 90 order items", "--db", db.url, "--yes", "--seed", "2"]
    result = CliRunner().invoke(main, [*args, "--sample", "0", "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    sums: dict[int, Decimal] = {}
    for item in rows(db, "order_items", "id", "order_id", "quantity", "unit_price"):
        price = Decimal(str(item["unit_price"])) * item["quantity"]
        sums[item["order_id"]] = sums.get(item["order_id"], Decimal(0)) + price
    for order in rows(db, "orders", "id", "total"):
        total = Decimal(str(order["total"])).quantize(Decimal("0.01"))
        assert total == sums.get(order["id"], Decimal(0)), order
    assert db.verify() == []


def test_total_bounds_come_from_type_and_checks() -> None:
    from querynl import checks
    from querynl.totals import total_bounds
    from schema_fixtures import table

    limit = Decimal("9999999999.99")
    plain = table("orders", "id int pk; total numeric(12,2)")
    assert total_bounds(checks.analyse(plain, "sqlite"), plain.columns[1], limit) == (
        -limit,
        limit,
        True,
    )
    positive = table("orders", ("id int pk; total numeric(12,2)", ["total > 0"]))
    low, high, zero = total_bounds(checks.analyse(positive, "sqlite"), positive.columns[1], limit)
    assert (low, zero) == (Decimal("0.01"), False)
    tied = table(
        "orders", ("id int pk; total numeric(12,2); paid numeric(12,2)", ["paid <= total"])
    )
    assert total_bounds(checks.analyse(tied, "sqlite"), tied.columns[1], limit) is None


def test_an_sql_script_of_the_run_carries_the_totals(make_db: Any, tmp_path: Path) -> None:
    direct, replayed = make_db("sqlite"), make_db("sqlite")
    replayed.load(ZOO / "realism" / "sqlite.sql")
    script = tmp_path / "run.sql"
    fill(direct, "add 10 users, 20 orders and 50 order items", "--sql-out", str(script))
    replayed.server.load_script(replayed, script.read_text(encoding="utf-8"))
    for table in ("users", "orders", "order_items"):
        assert replayed.rows(table) == direct.rows(table), table
    totals = [r[0] for r in direct.execute("SELECT total FROM orders")]
    assert any(t not in (None, 0) for t in totals)


def test_children_follow_parents_already_in_the_database(db: Any) -> None:
    fill(db, "add 20 users")
    args = ["data", "add 40 posts", "--db", db.url, "--yes", "--sample", "0", "--seed", "8"]
    result = CliRunner().invoke(main, [*args, "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    users = {u["id"]: u for u in rows(db, "users", "id", "created_at")}
    posts = rows(db, "posts", "id", "user_id", "created_at")
    assert len(posts) >= 40
    for p in posts:
        assert as_datetime(users[p["user_id"]]["created_at"]) <= as_datetime(p["created_at"]), p
