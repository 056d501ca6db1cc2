"""Request details applied to planned columns: yes/no values, legal values, free text columns,
ranges against CHECKs and types, and notes for what fits nowhere (planner only, no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from querynl.errors import RequestError
from querynl.models import ColumnInfo, Distribution, TestDataRequest, TypeInfo, ValueRange
from querynl.planner import PlanOptions, build_plan
from querynl.request_details import distribution_weights, flag_values
from querynl.request_parser import parse_request
from schema_fixtures import SHOP

NOW = dt.date(2025, 6, 1)


def plan_for(request: TestDataRequest):
    return build_plan(request, SHOP, PlanOptions(seed=1, now=NOW))


def column(name: str, kind: str, *, length: int | None = None, default: str | None = None):
    return ColumnInfo(name, TypeInfo(kind, kind.upper(), length=length), True, default)


@pytest.mark.parametrize(
    ("col", "legal", "expected"),
    [
        (column("active", "boolean"), None, (True, False)),
        (column("active", "integer"), None, (1, 0)),
        (column("vip", "string", length=1), ["Y", "N"], ("Y", "N")),
        (column("flag", "string", length=1), ["t", "f"], ("t", "f")),
        (column("verified", "integer"), [0, 1], (1, 0)),
        (column("active", "string", length=1, default="'Y'::bpchar"), None, ("Y", "N")),
        (column("active", "string", length=1, default="'t'"), None, ("t", "f")),
        (column("active", "string", length=1), None, ("Y", "N")),
        (column("active", "string", length=3), None, ("yes", "no")),
        (column("state", "string", length=20), ["active", "inactive"], ("active", "inactive")),
    ],
)
def test_flag_values(col, legal, expected):
    assert flag_values(col, legal)[:2] == expected


def test_weights_share_the_rest():
    assert distribution_weights(["a", "b", "c"], {"a": 0.5}, []) == [0.5, 0.25, 0.25]
    assert distribution_weights(["a", "b", "c"], {"A": 0.5}, ["c"]) == [0.5, 0.0, 0.5]


def test_shares_on_a_free_text_column_use_the_named_values():
    request = TestDataRequest(
        distributions=[
            Distribution(
                table="customers", column="country", weights={"DE": 0.6}, rest=["AT", "CH"]
            ),
            Distribution(table="customers", column="first_name", weights={"x" * 60: 1.0}),
        ]
    )
    plan = plan_for(request)
    country = plan.table("customers").column("country")
    assert (country.generator, country.params) == (
        "choice",
        {"values": ["DE", "AT", "CH"], "weights": [0.6, 0.2, 0.2]},
    )
    assert country.null_rate == 0.0
    assert any("customers.first_name holds at most 40 characters" in n for n in plan.notes)


def test_ranges_that_do_not_fit_their_column_are_said():
    request = TestDataRequest(
        ranges=[
            ValueRange(table="customers", column="email", low=1, high=5, kind="number"),
            ValueRange(table="customers", column="first_name", low=18, high=30, kind="age"),
            ValueRange(table="orders", column="total", low="2024-01-01", kind="date"),
        ]
    )
    notes = plan_for(request).notes
    assert "customers.email is not a number (VARCHAR(120)); the range 1 to 5 is ignored." in notes
    assert "orders.total is not a date (NUMERIC(10,2)); the range from 2024-01-01 is ignored." in (
        notes
    )
    first = plan_for(request).table("customers").column("first_name")
    assert first.generator == "person.birth_date"  # a text column may hold a birth date


def test_details_for_tables_the_request_does_not_fill():
    request = parse_request("customers aged 18 to 30, 80% of orders shipped, only products", SHOP)
    notes = plan_for(request).notes
    assert (
        "Not applied: customers.birth_date: ages 18 to 30 years — this request does not fill "
        "customers." in notes
    )
    assert "Not applied: the shares for orders — this request does not fill orders." in notes


def test_a_range_outside_the_check_is_refused():
    request = parse_request("reviews rated 7 to 9", SHOP)
    with pytest.raises(RequestError) as info:
        plan_for(request)
    assert info.value.message == (
        "The request asks for reviews.rating in 7 to 9, but the column only allows 1 to 5."
    )


def test_one_sided_ranges_keep_a_sensible_other_end():
    over = plan_for(parse_request("products with a price over 100", SHOP))
    assert over.table("products").column("price").params["min"] == 100
    assert over.table("products").column("price").params["max"] > 100
    under = plan_for(parse_request("products with a price under 20", SHOP))
    params = under.table("products").column("price").params
    assert 0 <= params["min"] <= params["max"] == 20


def test_last_days_bounds_the_rows_other_timestamps():
    plan = plan_for(parse_request("orders from the last 30 days", SHOP))
    created = plan.table("orders").column("created_at")
    assert created.params["days_back"] == 30
