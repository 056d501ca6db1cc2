"""The schema zoo loads on its databases, has the tables and features it promises, and the
loading helpers it relies on behave (client and driver paths, DELIMITER scripts, errors)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from dbkit import (
    DIALECTS,
    SHARED_SCHEMAS,
    Database,
    LoadError,
    MakeDb,
    Server,
    sort_rows,
    split_mysql_script,
)
from integrity import TableRules, reflect_rules

ZOO = Path(__file__).parent / "zoo"

ALL = DIALECTS
DEFERRABLE_DIALECTS = ("sqlite", "postgresql")

# case -> dialect -> tables; tables outside the default schema are written "schema.table".
EXPECTED: dict[str, dict[str, set[str]]] = {
    "self_reference": dict.fromkeys(ALL, {"employees", "categories"}),
    "cycle_nullable": dict.fromkeys(ALL, {"departments", "employees"}),
    "cycle_not_null": {
        "sqlite": {"teams", "players", "accounts", "contacts"},
        "postgresql": {"teams", "players", "accounts", "contacts"},
        "mysql": {"accounts", "contacts"},
    },
    "composite_keys": dict.fromkeys(
        ALL, {"regions", "stores", "customers", "orders", "order_lines", "refunds"}
    ),
    "junction": dict.fromkeys(ALL, {"students", "courses", "enrollments"}),
    "unique_multi": dict.fromkeys(ALL, {"accounts", "seats"}),
    "low_cardinality_unique": {
        "sqlite": {"levels", "flags"},
        "postgresql": {"levels", "flags"},
        "mysql": {"levels", "flags", "tiny_codes"},
    },
    "checks": dict.fromkeys(
        ALL, {"users", "products", "promotions", "follows", "tags", "tag_pairs"}
    ),
    "autoincrement": {
        "sqlite": {"rowid_keys", "autoinc_keys", "int_keys"},
        "postgresql": {
            "smallserial_keys",
            "serial_keys",
            "bigserial_keys",
            "identity_default_keys",
            "identity_always_keys",
            "free_sequence_keys",
        },
        "mysql": {"auto_keys", "unsigned_keys", "tiny_auto_keys"},
    },
    "types": {
        "sqlite": {"all_types", "strict_types"},
        "postgresql": {"all_types"},
        "mysql": {"all_types"},
    },
    "computed": dict.fromkeys(ALL, {"order_lines", "customers"}),
    "quoting": {
        "sqlite": {
            "group",
            "order",
            "select",
            "Order Items",
            "quote\"d 'table'",
            "Ünïcödé 表",
            "emoji 🎉",
        },
        "postgresql": {
            "group",
            "order",
            "select",
            "Order Items",
            "quote\"d 'table'",
            "Ünïcödé 表",
            "emoji 🎉",
        },
        "mysql": {"group", "order", "select", "Order Items", "quote\"d 'table'", "Ünïcödé 表"},
    },
    "one_to_one": dict.fromkeys(ALL, {"users", "profiles", "passports"}),
    "fk_to_unique": dict.fromkeys(ALL, {"countries", "cities", "airports", "flights"}),
    "non_public_schema": {"postgresql": {"users", "audit_log", "app.users", "app.posts"}},
    "undeclared_relation": dict.fromkeys(ALL, {"users", "orders"}),
    "blog": dict.fromkeys(ALL, {"users", "posts", "comments"}),
    "partitioned": {
        "postgresql": {  # partitions are tables too; rows go through their parents
            "measurements",
            "measurements_2024",
            "measurements_2025",
            "shops",
            "shops_north",
            "shops_south",
            "orders",
            "events",
            "events_low",
            "events_low_0",
            "events_low_1",
            "events_other",
        },
        "mysql": {"sales", "archive", "bookings", "shops", "stock", "hits", "settings"},
    },
    "triggers": dict.fromkeys(ALL, {"products", "product_audit"}),
    "domains": {"postgresql": {"people"}},
    "without_rowid": {"sqlite": {"settings", "grid", "marks"}},
    "shop": dict.fromkeys(
        ALL,
        {
            "customers",
            "categories",
            "products",
            "product_categories",
            "orders",
            "order_items",
            "reviews",
        },
    ),
    "realism": dict.fromkeys(
        ALL, {"users", "products", "orders", "order_items", "posts", "comments"}
    ),
}

ZOO_FILES = [
    pytest.param(case, dialect, id=f"{case}-{dialect}", marks=getattr(pytest.mark, dialect))
    for case, per_dialect in EXPECTED.items()
    for dialect in per_dialect
]


def zoo_file(case: str, dialect: str) -> Path:
    return ZOO / case / f"{dialect}.sql"


# --------------------------------------------------------------------------- the zoo itself


def test_every_zoo_file_is_expected() -> None:
    on_disk = {(p.parent.name, p.stem) for p in ZOO.glob("*/*.sql")}
    listed = {(case, dialect) for case, per in EXPECTED.items() for dialect in per}
    assert on_disk == listed


@pytest.mark.parametrize(
    "path", sorted(ZOO.glob("*/*.sql")), ids=lambda p: f"{p.parent.name}-{p.stem}"
)
def test_zoo_file_starts_with_what_it_exercises(path: Path) -> None:
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert re.match(rf"^-- {re.escape(path.parent.name)}: \S.+", first_line), first_line


def test_readme_lists_every_case_with_its_dialects() -> None:
    rows = {}
    for line in (ZOO / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            rows[cells[0].strip("`")] = {d.strip() for d in cells[2].split(",")}
    assert rows == {case: set(per) for case, per in EXPECTED.items()}


@pytest.mark.parametrize(("case", "dialect"), ZOO_FILES)
def test_zoo_file_loads_with_expected_tables(case: str, dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    db.load(zoo_file(case, dialect))
    assert all_tables(db) == EXPECTED[case][dialect]
    for schema in schemas(db):
        # Empty, so nothing can be violated: this proves every constraint can be read and run.
        assert db.verify(schema) == []
    rules = {r.table.label: r for s in schemas(db) for r in read_rules(db, s)}
    FEATURES.get(case, lambda rules, dialect: None)(rules, dialect)


def schemas(db: Database) -> list[str | None]:
    if db.dialect != "postgresql":
        return [None]
    names = db.inspector().get_schema_names()
    return [None] + sorted(
        n for n in names if n not in ("public", "information_schema") and not n.startswith("pg_")
    )


def all_tables(db: Database) -> set[str]:
    found = set()
    for schema in schemas(db):
        found |= {t if schema is None else f"{schema}.{t}" for t in db.table_names(schema)}
    return found


def read_rules(db: Database, schema: str | None) -> list[TableRules]:
    with db.engine.connect() as conn:
        return reflect_rules(conn, schema)


# --------------------------------------------------------------------------- promised features


def fk_targets(rules: TableRules) -> set[tuple[tuple[str, ...], str]]:
    return {(fk.columns, fk.parent_label) for fk in rules.foreign_keys}


def unique_sets(rules: TableRules) -> set[tuple[str, ...]]:
    return {key.columns for key in rules.keys}


def _self_reference(rules: dict[str, TableRules], dialect: str) -> None:
    assert (("manager_id",), "employees") in fk_targets(rules["employees"])
    assert (("parent_id",), "categories") in fk_targets(rules["categories"])


def _cycle_nullable(rules: dict[str, TableRules], dialect: str) -> None:
    assert (("head_id",), "employees") in fk_targets(rules["departments"])
    assert (("department_id",), "departments") in fk_targets(rules["employees"])
    assert "head_id" not in rules["departments"].not_null
    assert "department_id" in rules["employees"].not_null


def _cycle_not_null(rules: dict[str, TableRules], dialect: str) -> None:
    pairs = [("accounts", "primary_contact_id", "contacts", "account_id")]
    if dialect != "mysql":
        pairs.append(("teams", "captain_id", "players", "team_id"))
    for left, left_fk, right, right_fk in pairs:
        assert ((left_fk,), right) in fk_targets(rules[left])
        assert ((right_fk,), left) in fk_targets(rules[right])
        assert left_fk in rules[left].not_null and right_fk in rules[right].not_null


def _composite_keys(rules: dict[str, TableRules], dialect: str) -> None:
    assert ("country_code", "region_code") in unique_sets(rules["regions"])
    assert (("country_code", "region_code"), "regions") in fk_targets(rules["stores"])
    assert (("order_id", "line_no"), "order_lines") in fk_targets(rules["refunds"])
    assert "country_code" not in rules["customers"].not_null


def _junction(rules: dict[str, TableRules], dialect: str) -> None:
    assert ("student_id", "course_id") in unique_sets(rules["enrollments"])
    assert len(rules["enrollments"].foreign_keys) == 2


def _unique_multi(rules: dict[str, TableRules], dialect: str) -> None:
    keys = unique_sets(rules["accounts"])
    assert {("email",), ("username",), ("phone",), ("tenant_id", "external_ref")} <= keys
    assert ("venue", "row_label", "seat_no") in unique_sets(rules["seats"])


def _checks(rules: dict[str, TableRules], dialect: str) -> None:
    # Column-level checks included: MariaDB's are invisible to SQLAlchemy's reflection.
    assert len(rules["products"].checks) >= 8
    assert len(rules["users"].checks) >= 3
    for table in ("follows", "tag_pairs", "promotions"):
        assert rules[table].checks, table


def _quoting(rules: dict[str, TableRules], dialect: str) -> None:
    assert (("group",), "group") in fk_targets(rules["order"])
    assert (("Order ID",), "order") in fk_targets(rules["Order Items"])
    assert rules["Order Items"].checks


def _one_to_one(rules: dict[str, TableRules], dialect: str) -> None:
    assert ("user_id",) in unique_sets(rules["profiles"])
    assert ("user_id",) in unique_sets(rules["passports"])


def _fk_to_unique(rules: dict[str, TableRules], dialect: str) -> None:
    assert (("country_code",), "countries") in fk_targets(rules["cities"])
    parents = {fk.parent_columns for fk in rules["flights"].foreign_keys}
    assert parents == {("iata",)}


def _non_public_schema(rules: dict[str, TableRules], dialect: str) -> None:
    assert (("user_id",), "app.users") in fk_targets(rules["app.posts"])
    assert (("user_id",), "app.users") in fk_targets(rules["audit_log"])


def _undeclared_relation(rules: dict[str, TableRules], dialect: str) -> None:
    assert rules["orders"].foreign_keys == ()


def _blog(rules: dict[str, TableRules], dialect: str) -> None:
    assert {("email",), ("username",)} <= unique_sets(rules["users"])
    assert (("post_id",), "posts") in fk_targets(rules["comments"])


def _partitioned(rules: dict[str, TableRules], dialect: str) -> None:
    if dialect == "postgresql":  # one key to the partitioned table, not one per partition
        assert fk_targets(rules["orders"]) == {(("shop_id", "shop_region"), "shops")}
    else:
        assert ("id", "warehouse", "bay") in unique_sets(rules["stock"])


def _triggers(rules: dict[str, TableRules], dialect: str) -> None:
    assert (("product_id",), "products") in fk_targets(rules["product_audit"])


FEATURES: dict[str, Callable[[dict[str, TableRules], str], None]] = {
    "self_reference": _self_reference,
    "cycle_nullable": _cycle_nullable,
    "cycle_not_null": _cycle_not_null,
    "composite_keys": _composite_keys,
    "junction": _junction,
    "unique_multi": _unique_multi,
    "checks": _checks,
    "quoting": _quoting,
    "one_to_one": _one_to_one,
    "fk_to_unique": _fk_to_unique,
    "non_public_schema": _non_public_schema,
    "undeclared_relation": _undeclared_relation,
    "blog": _blog,
    "partitioned": _partitioned,
    "triggers": _triggers,
}


def test_deferrable_cycle_takes_rows_in_one_transaction(make_db: MakeDb) -> None:
    for dialect in DEFERRABLE_DIALECTS:
        db = make_db(dialect)
        db.load(zoo_file("cycle_not_null", dialect))
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO teams (id, name, captain_id) VALUES (1, 'Owls', 10)")
            conn.exec_driver_sql("INSERT INTO players (id, name, team_id) VALUES (10, 'Ada', 1)")
        assert db.verify() == []


# --------------------------------------------------------------------------- loading


def test_load_failure_names_the_error(db: Database) -> None:
    with pytest.raises(LoadError, match=r"(?i)no_such_table|no such table|does not exist"):
        db.load("CREATE TABLE ok (id INT PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);\n")


def test_load_accepts_a_path_string(db: Database) -> None:
    db.load(str(zoo_file("blog", db.dialect)))
    assert db.table_names() == ["comments", "posts", "users"]


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_driver_fallback_loads_like_the_client(
    dialect: str, make_db: MakeDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_client = make_db(dialect)
    with_client.load(zoo_file("quoting", dialect))
    monkeypatch.setattr(Server, "client", lambda self: None)
    with_driver = make_db(dialect)
    with_driver.load(zoo_file("quoting", dialect))
    assert all_tables(with_driver) == all_tables(with_client)
    assert read_rules(with_driver, None) == read_rules(with_client, None)


def test_driver_fallback_handles_delimiter_blocks(
    mysql_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = SHARED_SCHEMAS / "sakila" / "mysql.sql"
    if not path.is_file():
        pytest.skip(f"{path} is not available")
    monkeypatch.setattr(Server, "client", lambda self: None)
    mysql_db.load(path)
    assert len(mysql_db.table_names()) == 16
    routines = mysql_db.execute(
        "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE()"
    )
    assert routines == [(6,)]


def test_split_mysql_script() -> None:
    script = """/*!40101 SET NAMES utf8mb4 */;
-- a comment; with a semicolon
INSERT INTO t VALUES ('a;b', "c\\";d", `e;f`); # trailing comment;
DELIMITER $$
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW BEGIN
  SET NEW.a = 'x;y'; /* ; */
END$$
DELIMITER ;
SELECT 1;
/* only a comment */
"""
    assert split_mysql_script(script) == [
        "/*!40101 SET NAMES utf8mb4 */",
        '-- a comment; with a semicolon\nINSERT INTO t VALUES (\'a;b\', "c\\";d", `e;f`)',
        "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW BEGIN\n  SET NEW.a = 'x;y'; /* ; */\nEND",
        "SELECT 1",
    ]


# --------------------------------------------------------------------------- helpers


def test_sort_rows_orders_mixed_values() -> None:
    aware = datetime(2024, 1, 1, tzinfo=timezone.utc)
    rows = [
        (2, "b", {"k": 1}),
        (None, b"x", [1, None]),
        (1, 3.5, Decimal("1.50")),
        (1, "a", date(2024, 1, 1)),
        (1, "a", aware),
        (float("nan"), None, None),
    ]
    ordered = sort_rows(rows)
    assert sort_rows(reversed(rows)) == ordered
    assert ordered[0][0] is None and ordered[-1][0] != ordered[-1][0]


def test_rows_round_trip_and_row_counts(db: Database) -> None:
    db.load(zoo_file("blog", db.dialect))
    db.execute(
        "INSERT INTO users (id, email, username) VALUES (:id, :email, :username)",
        [
            {"id": 2, "email": "b@example.org", "username": "b"},
            {"id": 1, "email": "a@x.org", "username": "a"},
        ],
    )
    assert [row[:3] for row in db.rows("users")] == [(1, "a@x.org", "a"), (2, "b@example.org", "b")]
    assert db.row_counts() == {"comments": 0, "posts": 0, "users": 2}


def test_urls_are_plain_and_engines_use_the_shipped_drivers(db: Database) -> None:
    plain = {"sqlite": "sqlite:///", "postgresql": "postgresql://", "mysql": "mysql://"}
    driver = {
        "sqlite": "sqlite://",
        "postgresql": "postgresql+psycopg://",
        "mysql": "mysql+pymysql://",
    }
    assert db.url.startswith(plain[db.dialect])
    assert db.sa_url.startswith(driver[db.dialect])
    assert db.name in db.url
    if db.dialect == "sqlite":
        assert db.execute("PRAGMA foreign_keys") == [(1,)]


def test_each_database_is_fresh_and_separate(make_db: MakeDb) -> None:
    for dialect in DIALECTS:
        first, second = make_db(dialect), make_db(dialect)
        first.load("CREATE TABLE only_here (id INT PRIMARY KEY);")
        assert first.name != second.name
        assert second.table_names() == []
