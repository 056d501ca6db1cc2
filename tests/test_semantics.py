"""Column meanings from names, types and the table's meaning (no database needed), and the
shared schemas: no text column of a recognisable meaning falls back to random words."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from dbkit import SHARED_SCHEMAS, MakeDb
from querynl import semantics
from querynl.cli import main
from querynl.connection import create_engine
from querynl.models import TestDataRequest
from querynl.planner import PlanOptions, build_plan, explain
from querynl.request_parser import parse_request
from querynl.schema_introspection import introspect
from schema_fixtures import build, table


def meaning(column_spec: str, table_name: str = "things", domain: str | None = None) -> Any:
    info = table(table_name, f"id int pk; {column_spec}")
    guessed = semantics.guess(info.columns[1], info, domain)
    return guessed and (guessed[0], guessed[1], guessed[2])


def test_at_least_120_meanings_are_known() -> None:
    known = semantics.meanings()
    assert len(known) >= 120, len(known)
    assert len(set(known)) == len(known)


@pytest.mark.parametrize(
    ("spec", "table_name", "expected"),
    [
        ("email varchar(100)", "users", "email"),
        ("cust_email varchar(100)", "customers", "email"),
        ("EmailAddress varchar(100)", "accounts", "email"),
        ("fname varchar(40)", "people", "first name"),
        ("lname varchar(40)", "people", "last name"),
        ("FirstName varchar(40)", "Customer", "first name"),
        ("dob date", "patients", "birth date"),
        ("qty int", "order_lines", "quantity"),
        ("addr1 varchar(80)", "customers", "street address"),
        ("addr2 varchar(80)", "customers", "address line 2"),
        ("zip varchar(10)", "customers", "postal code"),
        ("ZipCode varchar(10)", "stores", "postal code"),
        ("billing_city varchar(40)", "invoices", "city"),
        ("ShipPostalCode varchar(10)", "orders", "postal code"),
        ("lat numeric(9,6)", "stores", "latitude"),
        ("lng numeric(9,6)", "stores", "longitude"),
        ("phone_no varchar(30)", "contacts", "phone number"),
        ("unit_price numeric(10,2)", "order_items", "price"),
        ("created_at timestamp", "posts", "creation time"),
        ("updatedAt timestamp", "posts", "update time"),
        ("is_active bool", "users", "flag"),
        ("sku varchar(20)", "products", "SKU"),
        ("iban varchar(34)", "accounts", "IBAN"),
        ("icd10 varchar(8)", "diagnoses", "ICD-10 code"),
        ("salary int", "employees", "salary"),
        ("gpa numeric(3,2)", "students", "GPA"),
        ("tracking_number varchar(30)", "shipments", "tracking number"),
        ("user_name varchar(30)", "users", "username"),
        ("contact_name varchar(30)", "suppliers", "full name"),
        ("title varchar(30)", "employees", "job title"),
        ("title varchar(6)", "employees", "title of courtesy"),
    ],
)
def test_meaning_from_the_name(spec: str, table_name: str, expected: str) -> None:
    found = meaning(spec, table_name)
    assert found is not None and found[2] == expected, found


@pytest.mark.parametrize(
    ("table_name", "expected"),
    [
        ("products", "product name"),
        ("users", "person's name"),
        ("customers", "person's name"),
        ("companies", "company name"),
        ("suppliers", "company name"),
        ("cities", "city name"),
        ("countries", "country name"),
        ("departments", "department name"),
        ("categories", "category name"),
        ("courses", "course name"),
        ("films", "title of a work"),
        ("tags", "tag"),
    ],
)
def test_name_means_what_the_table_holds(table_name: str, expected: str) -> None:
    found = meaning("name varchar(100)", table_name)
    assert found is not None and found[2] == expected, found


def test_domain_picks_the_vocabulary() -> None:
    assert meaning("name varchar(50)", "categories", "media")[2] == "film genre"
    assert meaning("name varchar(50)", "categories", "blog")[2] == "blog category"
    assert meaning("name varchar(50)", "products", "medical")[2] == "drug and strength"
    assert semantics.schema_domain(["film", "actor", "film_actor", "customer"]) == "media"
    assert semantics.schema_domain(["patients", "doctors", "appointments"]) == "medical"
    assert semantics.schema_domain(["employees", "departments", "salaries"]) == "hr"
    assert semantics.schema_domain(["things", "stuff"]) is None


BLOG = {
    "users": "id int pk; email varchar(100); created_at timestamp; updated_at timestamp; "
    "deleted_at timestamp null",
    "posts": "id int pk; user_id int -> users; title varchar(200); created_at timestamp",
    "comments": "id int pk; post_id int -> posts; body text; created_at timestamp",
}


def test_times_are_chained_in_the_plan() -> None:
    meta = build("sqlite", BLOG)
    plan = build_plan(TestDataRequest(default_count=5), meta, PlanOptions(seed=1))
    users = {c.name: c for c in plan.table("users").columns}
    assert users["created_at"].generator == "datetime"
    assert users["updated_at"].generator == "after"
    assert users["updated_at"].params["column"] == "created_at"
    assert users["deleted_at"].params["column"] == "updated_at"
    assert users["deleted_at"].null_rate > 0.5
    posts = {c.name: c for c in plan.table("posts").columns}
    assert posts["created_at"].generator == "after_parent"
    assert posts["created_at"].params["column"] == "created_at"
    assert "user_id" in posts["created_at"].params["fk"]


def test_children_spread_evenly_on_request() -> None:
    meta = build("sqlite", BLOG)
    for text, spread in (("add 5 posts", "zipf"), ("add 5 posts spread evenly", "uniform")):
        request = parse_request(text, meta)
        plan = build_plan(request, meta, PlanOptions(seed=1))
        assert {fp.distribution for fp in plan.table("posts").foreign_keys} == {spread}


SHARED = sorted(
    (p.parent.name, p.stem)
    for p in SHARED_SCHEMAS.glob("*/*.sql")
    if p.stem in ("sqlite", "postgresql", "mysql")
)
# Text columns whose names say nothing a generator could use (none in the shared schemas).
MEANINGLESS: set[str] = set()


@pytest.mark.parametrize(
    ("name", "dialect"),
    [pytest.param(n, d, id=f"{n}-{d}", marks=getattr(pytest.mark, d)) for n, d in SHARED],
)
def test_every_text_column_of_the_shared_schemas_has_a_meaning(
    name: str, dialect: str, make_db: MakeDb
) -> None:
    db = make_db(dialect)
    db.load_shared(name)
    engine = create_engine(db.url)
    try:
        meta = introspect(engine, None)
    finally:
        engine.dispose()
    listing, fallbacks = [], []
    for tplan in explain(meta, PlanOptions(seed=1)):
        info = meta.table(tplan.table)
        for cp in tplan.columns:
            if info.column(cp.name).type.kind not in ("string", "text"):
                continue
            listing.append(f"{tplan.table}.{cp.name}: {cp.generator} ({cp.note})")
            generic = cp.generator in ("text", "string") and (cp.note or "").startswith("any ")
            if generic and f"{tplan.table}.{cp.name}" not in MEANINGLESS:
                fallbacks.append(f"{tplan.table}.{cp.name}")
    assert listing, name
    assert fallbacks == [], "\n".join(listing)
    result = CliRunner().invoke(main, ["schema", "--explain", "--db", db.url])
    assert result.exit_code == 0, result.output
    assert "postal code" in result.output or "job title" in result.output


def test_schema_explain_and_generators_through_the_cli(sqlite_db: Any) -> None:
    sqlite_db.load(SHARED_SCHEMAS / "chinook" / "sqlite.sql")
    result = CliRunner().invoke(
        main, ["schema", "Customer", "--explain", "--db", sqlite_db.url, "--locale", "de_DE"]
    )
    assert result.exit_code == 0, result.output
    for word in ("Customer", "email", "postal code", "person.email", "place(part='city')"):
        assert word in result.output, word
    assert "Invoice" not in result.output
    result = CliRunner().invoke(main, ["schema", "--generators"])
    assert result.exit_code == 0 and "after_parent" in result.output
    result = CliRunner().invoke(main, ["schema", "Nope", "--explain", "--db", sqlite_db.url])
    assert result.exit_code != 0 and "There is no table 'Nope'" in result.output


def test_dry_run_shows_the_sample_rows_asked_for(sqlite_db: Any) -> None:
    sqlite_db.load(SHARED_SCHEMAS / "chinook" / "sqlite.sql")
    args = ["data", "add 10 rows to every table", "--db", sqlite_db.url, "--dry-run"]
    result = CliRunner().invoke(main, [*args, "--sample", "5", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "sample rows: Genre" in result.output
    assert sqlite_db.row_counts()["Genre"] == 0
    result = CliRunner().invoke(main, [*args, "--sample", "5", "--seed", "3", "--json"])
    assert json.loads(result.output)["dry_run"] is True
