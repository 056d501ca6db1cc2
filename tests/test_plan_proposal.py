"""LLM plan proposals: validation against the schema and the catalogue, merging, the schema the
model is asked to follow, and the prompt it reads (no network; tests/test_llm.py goes over
HTTP)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from querynl import generators
from querynl.llm import LLMConfig, resolve_llm, unparsed_advice, wanted
from querynl.llm_prompt import proposal_schema, schema_summary, user_prompt
from querynl.models import TestDataRequest
from querynl.plan_proposal import (
    check_column_choice,
    merged_request,
    validate_proposal,
)
from querynl.planner import PlanOptions, build_plan
from querynl.request_parser import parse_request
from schema_fixtures import BLOG, SHOP


def notes(raw: Any) -> list[str]:
    return validate_proposal(raw, SHOP).notes


# --------------------------------------------------------------------------- validation


def test_a_valid_proposal_passes_whole():
    raw = {
        "tables": [{"table": "orders", "count": 30}],
        "only_tables": True,
        "exclude": ["reviews"],
        "columns": [
            {
                "table": "customers",
                "column": "country",
                "generator": "choice",
                "params": [{"name": "values", "value": ["DE", "AT"]}],
                "null_rate": None,
            }
        ],
        "distributions": [
            {
                "table": "orders",
                "column": "status",
                "shares": [{"value": "shipped", "share": 0.8}],
                "rest": ["pending"],
            }
        ],
        "cardinalities": [{"parent": "orders", "child": "order_items", "min": 1, "max": 4}],
        "ranges": [
            {"table": "orders", "column": None, "kind": "recent_days", "low": 30, "high": None}
        ],
        "locale": "de-de",
        "domain": "ecommerce",
        "rationale": "German orders.\x00\x1b[31m",
    }
    out = validate_proposal(raw, SHOP)
    assert out.notes == []
    assert out.counts == {"orders": 30} and out.only_tables and out.exclude == ["reviews"]
    assert out.columns == [("customers", "country", "choice", {"values": ["DE", "AT"]}, None)]
    assert out.distributions[0].weights == {"shipped": 0.8}
    assert [(c.parent, c.child, c.min, c.max) for c in out.cardinalities] == [
        ("orders", "order_items", 1, 4)
    ]
    assert out.locale == "de_DE" and out.domain == "ecommerce"
    assert out.rationale == "German orders. [31m"  # control characters gone


@pytest.mark.parametrize(
    ("count", "message"),
    [
        (-1, "tables[0]: count: Input should be greater than or equal to 0 (got -1); ignored."),
        (10**12, "tables[0]: count: Input should be less than or equal to 100000000"),
        ("abc", "tables[0]: count: Input should be a valid integer (got 'abc'); ignored."),
        ("50", "tables[0]: count: Input should be a valid integer (got '50'); ignored."),
        (True, "tables[0]: count: Input should be a valid integer (got True); ignored."),
        (2.5, "tables[0]: count: Input should be a valid integer (got 2.5); ignored."),
    ],
)
def test_bad_counts_are_refused(count: Any, message: str):
    out = validate_proposal({"tables": [{"table": "orders", "count": count}]}, SHOP)
    assert out.counts == {}
    assert out.notes[0].startswith(message)


def test_hostile_and_unknown_names_are_refused():
    hostile = "email, name) SELECT k, v FROM secrets --"
    found = notes(
        {
            "tables": [{"table": "users; DROP TABLE orders", "count": 1}],
            "columns": [
                {"table": "customers", "column": hostile, "generator": "text", "params": []},
                {"table": "customers", "column": "email", "generator": "sql", "params": []},
            ],
            "exclude": ["nope"],
        }
    )
    assert found == [
        "tables: there is no table 'users; DROP TABLE orders'. Ignored.",
        "exclude: there is no table 'nope'. Ignored.",
        "columns customers.'email, name) SELECT k, v FROM secrets …: customers has no column "
        "'email, name) SELECT k, v FROM secrets --'. Ignored.",
        "columns customers.email: unknown generator 'sql'; ignored.",
    ]


def test_not_an_object_and_wrong_shapes():
    assert validate_proposal("DROP TABLE x", SHOP).notes == [
        "the answer is not a JSON object (got str); ignored."
    ]
    assert notes({"tables": {"orders": 5}}) == ["tables: expected a list, got dict; ignored."]
    assert notes({"ranges": [{"table": "orders"}]})[0].startswith("ranges[0]: column: Field")


@pytest.mark.parametrize(
    ("generator", "params", "column", "problem"),
    [
        ("text", {"max_words": 10**9}, "email", "max_words: Input should be less than or equal"),
        ("string", {"max_length": 10**7}, "email", "max_length: Input should be less than or"),
        ("text", {"template": "{open('/etc/passwd').read()}"}, "email", "Extra inputs are not"),
        ("pool", {"pool": "/etc/passwd"}, "email", None),  # refused when built (apply_columns)
        ("sequence", {}, "id", "sequence is chosen by QueryNL itself for key columns"),
        ("foreign_key", {}, "id", "foreign_key is chosen by QueryNL itself for key columns"),
        ("person.first_name", {}, "created_at", "gives text, and the column is TIMESTAMP"),
        ("uuid", {}, "created_at", "uuid does not fill TIMESTAMP columns"),
        ("null", {}, "email", "the column is NOT NULL"),
        ("choice", {"values": ["x" * 200]}, "email", "is longer than 120 characters"),
        ("constant", {"value": "abc"}, "created_at", None),  # a string for a timestamp: built
        ("after", {"column": "nope"}, "created_at", "'after' needs another column of customers"),
        ("integer", {"min": 1, "max": 5}, "email", "integer does not fill VARCHAR(120) columns"),
    ],
)
def test_column_choice_rules(generator: str, params: dict, column: str, problem: str | None):
    table = SHOP.table("customers")
    found = check_column_choice(table, table.column(column), generator, params)
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_refused_when_built_against_the_plan():
    from querynl.plan_proposal import apply_columns

    request = parse_request("only 10 customers", SHOP)
    plan = build_plan(request, SHOP, PlanOptions(seed=1, now=dt.date(2025, 1, 1)))
    plan.table("customers").column("email").unique = True  # as a UNIQUE column is planned
    proposal = validate_proposal(
        {
            "columns": [
                {
                    "table": "customers",
                    "column": "first_name",
                    "generator": "pool",
                    "params": [{"name": "pool", "value": "/etc/passwd"}],
                },
                {
                    "table": "customers",
                    "column": "email",
                    "generator": "choice",
                    "params": [{"name": "values", "value": ["a@b.c"]}],
                },
                {
                    "table": "customers",
                    "column": "last_name",
                    "generator": "pool",
                    "params": [{"name": "pool", "value": "last_name"}],
                },
                {"table": "reviews", "column": "body", "generator": "text", "params": []},
            ]
        },
        SHOP,
    )
    assert proposal.notes == []
    assert apply_columns(plan, proposal, SHOP) == [
        "columns customers.first_name: invalid parameters for pool: unknown pool '/etc/passwd'; "
        "ignored.",
        "columns customers.email: email must be unique and choice gives only 1 values; ignored.",
        "columns reviews.body: reviews is not filled by this plan; ignored.",
    ]
    assert plan.table("customers").column("last_name").params == {"pool": "last_name"}


# --------------------------------------------------------------------------- merging


def test_the_proposal_refines_the_offline_request():
    offline = parse_request("add 20 customers and 50 orders, 80% of orders shipped, seed 4", SHOP)
    proposal = validate_proposal(
        {
            "tables": [{"table": "orders", "count": 70}],
            "distributions": [
                {
                    "table": "orders",
                    "column": "status",
                    "shares": [{"value": "delivered", "share": 1.0}],
                    "rest": [],
                }
            ],
            "locale": "fr_FR",
        },
        SHOP,
    )
    merged = merged_request(offline, proposal)
    assert merged.counts == {"customers": 20, "orders": 70}
    assert [d.weights for d in merged.distributions] == [{"delivered": 1.0}]
    assert merged.locale == "fr_FR" and merged.seed == 4
    assert offline.counts["orders"] == 50  # the offline request is left as it was


# --------------------------------------------------------------------------- the model's view


def _objects(node: Any) -> list[dict]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "object":
            found.append(node)
        for value in node.values():
            found += _objects(value)
    elif isinstance(node, list):
        for value in node:
            found += _objects(value)
    return found


def test_the_answer_schema_is_strict():
    schema = proposal_schema()
    assert "$defs" not in str(schema) and "$ref" not in str(schema)
    objects = _objects(schema)
    assert len(objects) >= 8
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])
    generator = schema["properties"]["columns"]["items"]["properties"]["generator"]
    assert set(generator["enum"]) == set(generators.catalogue()) - {"sequence", "foreign_key"}


def test_the_prompt_carries_schema_catalogue_and_offline_reading():
    request = parse_request("add 5 users, trendy", BLOG)
    plan = build_plan(request, BLOG, PlanOptions(seed=1, now=dt.date(2025, 1, 1)))
    text = user_prompt("add 5 users, trendy", BLOG, request, plan)
    assert "Request: add 5 users, trendy" in text
    assert "offline parser could not read: trendy" in text
    assert "table posts (0 rows)" in text
    assert "status ENUM(draft|published|archived) NOT NULL values draft|published|archived" in text
    assert "user_id INT NOT NULL -> users.id" in text
    assert (
        '- integer [integer,decimal,float,year,money]: whole numbers in [min, max]; params {"min"'
        in text
    )
    summary = schema_summary(SHOP)
    assert "check: status IN ('pending','paid','shipped','delivered','cancelled')" in summary


# --------------------------------------------------------------------------- configuration


class _Settings:
    def __init__(self, **kw: Any) -> None:
        self.provider = kw.get("provider", "none")
        self.model = kw.get("model")
        self.base_url = kw.get("base_url")
        self.timeout = kw.get("timeout", 60.0)
        self.api_key_env = kw.get("api_key_env")
        self.api_key = kw.get("api_key")


def test_resolving_the_provider():
    assert resolve_llm(_Settings(), env={}) is None
    assert resolve_llm(_Settings(provider="openai"), "none", env={"OPENAI_API_KEY": "k"}) is None
    cfg = resolve_llm(_Settings(provider="openai", api_key="sk-cfg"), env={})
    assert cfg is not None and not cfg.forced and cfg.model == "gpt-4o-mini"
    assert "sk-cfg" not in repr(cfg)
    forced = resolve_llm(_Settings(), "anthropic", env={"ANTHROPIC_API_KEY": "sk-ant-env"})
    assert forced is not None and forced.forced and forced.api_key == "sk-ant-env"
    local = resolve_llm(_Settings(), "openai", "llama3.1", "http://localhost:11434/v1", env={})
    assert (
        local is not None and local.usable and local.label == "openai llama3.1 at localhost:11434"
    )
    custom = _Settings(provider="openai", api_key_env="MY_KEY")
    assert resolve_llm(custom, env={"MY_KEY": "sk-mine"}).api_key == "sk-mine"  # type: ignore[union-attr]


def test_when_the_model_is_asked():
    configured = LLMConfig("openai", "m", "sk-x")
    forced = LLMConfig("openai", "m", "sk-x", forced=True)
    keyless = LLMConfig("anthropic", "m", None)
    read = TestDataRequest(text="add 5 users", counts={"users": 5})
    unread = TestDataRequest(text="add 5 users, chic", counts={"users": 5}, unparsed=["chic"])
    assert not wanted(None, unread)
    assert not wanted(configured, read) and wanted(configured, unread) and wanted(forced, read)
    assert wanted(configured, None)  # the parser read nothing
    assert not wanted(keyless, unread)
    advice = unparsed_advice(unread, keyless, False, ["add 5 users"])
    assert advice[-1] == (
        "To let anthropic read it: set ANTHROPIC_API_KEY (or api_key in the [llm] section of "
        "the config)."
    )


# --------------------------------------------------------------------------- anything at all

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=25,
)
_FIELDS = st.sampled_from(
    ["tables", "columns", "distributions", "cardinalities", "ranges", "exclude", "locale"]
)
_ITEMS = st.fixed_dictionaries(
    {},
    optional={
        "table": st.sampled_from(["orders", "customers", "nope", "x'); DROP"]) | _JSON,
        "column": st.sampled_from(["status", "email", "id", "price"]) | _JSON,
        "generator": st.sampled_from(sorted(generators.catalogue())) | _JSON,
        "params": st.lists(st.fixed_dictionaries({"name": st.text(max_size=8), "value": _JSON})),
        "count": st.integers(-5, 10**13) | _JSON,
        "parent": st.sampled_from(["orders", "customers"]),
        "child": st.sampled_from(["order_items", "reviews", "orders"]),
        "min": st.integers(-3, 20),
        "max": st.integers(-3, 20),
        "kind": st.sampled_from(["number", "date", "age", "recent_days", "other"]),
        "low": _JSON,
        "high": _JSON,
        "shares": st.lists(st.fixed_dictionaries({"value": _JSON, "share": _JSON})),
        "rest": _JSON,
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example(raw={"tables": [], "exclude": True})
@given(st.dictionaries(_FIELDS, st.lists(_ITEMS, max_size=4) | _JSON, max_size=5) | _JSON)
def test_any_answer_gives_a_plan_or_a_clear_error(raw: Any) -> None:
    """Whatever the model answers, validation never crashes and what survives fits the schema;
    the merged plan either builds or fails with a QueryNL error (then the offline plan runs)."""
    from querynl.errors import QueryNLError
    from querynl.plan_proposal import apply_columns

    out = validate_proposal(raw, SHOP)
    assert set(out.counts) <= set(SHOP.tables)
    assert all(0 <= n <= 100_000_000 for n in out.counts.values())
    assert all(t in SHOP.tables and SHOP.table(t).has_column(c) for t, c, *_ in out.columns)
    offline = parse_request("add 5 customers", SHOP)
    try:
        plan = build_plan(
            merged_request(offline, out), SHOP, PlanOptions(seed=1, now=dt.date(2025, 1, 1))
        )
    except QueryNLError:
        return
    apply_columns(plan, out, SHOP)
    assert plan.total_rows >= 0
