"""The offline request parser: a corpus of phrasings, exact error messages, and a fuzz test."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from querynl.errors import RequestError
from querynl.models import TestDataRequest
from querynl.request_parser import MAX_COUNT, parse_request, request_examples
from querynl.schema_introspection import introspect
from schema_fixtures import BLOG, MISC, SCHEMAS, SHOP

CORPUS = yaml.safe_load((Path(__file__).parent / "request_corpus.yaml").read_text("utf-8"))


def _num(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def compact(req: TestDataRequest) -> dict[str, Any]:
    """The request in the corpus's shape (lists instead of models, empty fields left out)."""
    out: dict[str, Any] = {
        "counts": dict(req.counts),
        "tables": req.tables,
        "exclude": list(req.exclude),
        "default_count": req.default_count,
        "cardinalities": [[c.parent, c.child, c.min, c.max] for c in req.cardinalities],
        "distributions": [
            [d.table, d.column, {k: round(v, 4) for k, v in d.weights.items()}, list(d.rest)]
            for d in req.distributions
        ],
        "ranges": [[r.table, r.column, _num(r.low), _num(r.high), r.kind] for r in req.ranges],
        "locale": req.locale,
        "domain": req.domain,
        "seed": req.seed,
        "unparsed": list(req.unparsed),
    }
    return {k: v for k, v in out.items() if v not in (None, [], {})}


def _expected(case: dict[str, Any]) -> dict[str, Any]:
    want = {k: v for k, v in case.items() if k not in ("text", "schema", "notes")}
    if "distributions" in want:
        want["distributions"] = [
            [table, column, {str(k): round(v, 4) for k, v in weights.items()}, rest]
            for table, column, weights, rest in want["distributions"]
        ]
    return want


@pytest.mark.parametrize("case", CORPUS, ids=[f"{c['schema']}: {c['text']}" for c in CORPUS])
def test_corpus(case: dict[str, Any]) -> None:
    req = parse_request(case["text"], SCHEMAS[case["schema"]])
    assert compact(req) == _expected(case)
    assert req.all_tables is (req.tables is None)
    assert req.text == case["text"]
    for note in case.get("notes", []):
        assert note in req.notes


def test_reading_does_not_depend_on_the_order_tables_are_listed_in() -> None:
    """Databases list tables in their own order (SQLite by name, PostgreSQL by creation); a
    column or value two tables hold goes to the same one either way."""
    changed = []
    for case in CORPUS:
        meta = SCHEMAS[case["schema"]]
        backwards = dataclasses.replace(meta, tables=dict(reversed(list(meta.tables.items()))))
        if compact(parse_request(case["text"], backwards)) != _expected(case):
            changed.append(f"{case['schema']}: {case['text']}")
    assert changed == []


# The dialect each hand-built fixture follows (tests/schema_fixtures.py).
_REAL_FILES = [
    ("chinook", "sqlite"),
    ("sakila", "sqlite"),
    ("northwind", "sqlite"),
    ("pagila", "postgresql"),
    ("employees", "mysql"),
]


@pytest.mark.parametrize(
    ("name", "dialect"),
    [pytest.param(n, d, id=n, marks=getattr(pytest.mark, d)) for n, d in _REAL_FILES],
)
def test_corpus_reads_the_same_on_the_real_schema_files(make_db: Any, name: str, dialect: str):
    """The hand-built fixtures stand for ../shared/schemas; read the corpus on the real files
    (loaded into the database, read by introspection) and get the same answers."""
    db = make_db(dialect)
    db.load_shared(name)
    meta = introspect(db.engine)
    cases = [c for c in CORPUS if c["schema"] == name]
    assert len(cases) >= 5
    differ = []
    for case in cases:
        got = compact(parse_request(case["text"], meta))
        if got != _expected(case):
            differ.append((case["text"], got))
    assert differ == []


def test_corpus_is_broad() -> None:
    assert len(CORPUS) >= 150
    assert {c["schema"] for c in CORPUS} == set(SCHEMAS)
    fields = {k for c in CORPUS for k in c}
    for field in (
        "counts",
        "tables",
        "exclude",
        "default_count",
        "cardinalities",
        "distributions",
        "ranges",
        "locale",
        "domain",
        "seed",
        "unparsed",
    ):
        assert field in fields, f"no corpus case checks {field}"


@pytest.mark.parametrize(
    "case", CORPUS[::7], ids=[f"{c['schema']}: {c['text']}" for c in CORPUS[::7]]
)
def test_case_and_spacing_do_not_matter(case: dict[str, Any]) -> None:
    def shape(text: str) -> dict[str, Any]:
        out = compact(parse_request(text, SCHEMAS[case["schema"]]))
        out["unparsed"] = [" ".join(u.lower().split()) for u in out.get("unparsed", [])]
        return out

    spaced = "  " + re.sub(r"(?<!\d) (?!\d)", "   ", case["text"]) + " . "
    assert shape(case["text"].upper()) == shape(case["text"]) == shape(spaced)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("add 10\u00a0000 comments", 10_000),
        ("add 50comments", 50),
        ("add 2.5K comments", 2_500),
        ("add 1.1k comments", 1_100),
        ("add 1.5M comments", 1_500_000),
        ("add ５０ comments", 50),
        ("add one hundred and twenty comments", 120),
        ("add two million five hundred thousand comments", 2_500_000),
        ("add half a dozen comments", 6),
        ("add 5 dozen comments", 60),
        ("add 2 thousand comments", 2_000),
        ("add 1e3 comments", 1_000),
        ("add 10^3 comments", 1_000),
        ("comments: 40", 40),
        ("comments = 40", 40),
        ("add 40 rows of comments", 40),
    ],
)
def test_numbers_are_read_however_they_are_written(text: str, count: int) -> None:
    assert parse_request(text, BLOG).counts == {"comments": count}


@pytest.mark.parametrize("code", ["de_DE", "de-DE", "DE_de", "de_de"])
def test_locale_codes_are_normalised(code: str) -> None:
    assert parse_request(f"users in {code}", BLOG).locale == "de_DE"


@pytest.mark.parametrize(
    ("text", "locale"),
    [
        ("50 users with Spanish names from Mexico", "es_MX"),
        ("50 Mexican users with Spanish names", "es_MX"),
        ("50 users in Spanish", "es_ES"),
        ("50 French users from Canada", "fr_FR"),  # another language: the first one named
        ("50 users from Brazil in Portuguese", "pt_BR"),
        ("50 German users from Austria", "de_AT"),
    ],
)
def test_a_country_says_which_locale_of_a_language(text: str, locale: str) -> None:
    found = parse_request(text, BLOG)
    assert found.locale == locale
    # a language with a country of its own is one locale, not two to choose from
    if locale != "fr_FR":
        assert not any("Several locales" in note for note in found.notes), found.notes


# ---------------------------------------------------------------------------------------------
# What a user sees when the request cannot be read
# ---------------------------------------------------------------------------------------------

SHOP_TABLES = (
    "Tables in this schema: customers, addresses, categories, products, orders, order_items, "
    "reviews."
)
BLOG_TABLES = "Tables in this schema: users, posts, comments."
BLOG_EXAMPLES = (
    "Requests that work, for example:\n"
    "  add 50 users and 200 posts\n"
    "  each user with 1-5 posts\n"
    "  only users, seed 42\n"
    "  fill every table with 20 rows"
)
TOO_LARGE_HINT = "Ask for fewer rows, or load the data in several runs."
POSITIVE_HINT = 'Ask for at least one row, for example "add 10 users".'

ERRORS = [
    # unknown tables, with a suggestion and the list of tables
    (
        SHOP,
        "add 30 ordr_itemz",
        "No table named 'ordr_itemz' in this schema. Did you mean 'order_items'?",
        SHOP_TABLES,
    ),
    (
        BLOG,
        "add 50 usres",
        "No table named 'usres' in this schema. Did you mean 'users'?",
        BLOG_TABLES,
    ),
    (
        BLOG,
        "add 50 user and 10 pots",
        "No table named 'pots' in this schema. Did you mean 'posts'?",
        BLOG_TABLES,
    ),
    (
        BLOG,
        "add 20 users with 1-3 likes each",
        "No table named 'likes' in this schema.",
        BLOG_TABLES,
    ),
    (
        SHOP,
        "everything except reviewz",
        "No table named 'reviewz' in this schema. Did you mean 'reviews'?",
        SHOP_TABLES,
    ),
    (
        SHOP,
        "each ordr with 2 items",
        "No table named 'ordr' in this schema. Did you mean 'orders'?",
        SHOP_TABLES,
    ),
    (
        SHOP,
        "fill produkts_table please",
        "No table named 'produkts_table' in this schema. Did you mean 'products'?",
        SHOP_TABLES,
    ),
    (
        MISC,
        "add 10 items",
        "'items' could mean line_items or OrderItem; name the table.",
        "Tables in this schema: people, children, statuses, invoices, line_items, audit_log, "
        "tasks, OrderItem.",
    ),
    # counts that are not positive, or too large
    (
        BLOG,
        "add 0 users",
        "Counts must be positive: '0 users' asks for 0 rows of users.",
        POSITIVE_HINT,
    ),
    (
        BLOG,
        "-5 users",
        "Counts must be positive: '-5 users' asks for -5 rows of users.",
        POSITIVE_HINT,
    ),
    (
        BLOG,
        "add zero users",
        "Counts must be positive: 'zero users' asks for zero rows of users.",
        POSITIVE_HINT,
    ),
    (
        BLOG,
        "add 0 rows to every table",
        "Counts must be positive: '0 rows to every table' asks for 0 rows of every table.",
        POSITIVE_HINT,
    ),
    (
        BLOG,
        "add 10^30 users",
        "The count '10^30' for users is too large: at most 100,000,000 rows.",
        TOO_LARGE_HINT,
    ),
    (
        SHOP,
        "add 100,000,001 orders",
        "The count '100,000,001' for orders is too large: at most 100,000,000 rows.",
        TOO_LARGE_HINT,
    ),
    (
        SHOP,
        "add 1e400 orders",
        "The count '1e400' for orders is too large: at most 100,000,000 rows.",
        TOO_LARGE_HINT,
    ),
    (
        BLOG,
        "each post with 1-10000000000 comments",
        "The count '10000000000' for each parent row is too large: at most 100,000,000 rows.",
        TOO_LARGE_HINT,
    ),
    (
        SHOP,
        "add 2.5 orders",
        "Counts must be whole numbers: '2.5 orders'.",
        "Ask for a whole number of rows, for example 3 rather than 2.5.",
    ),
    # nothing readable
    (
        BLOG,
        "asdf qwerty",
        "Could not read 'asdf qwerty' as a request for test data: it names no table, count or "
        "option.",
        BLOG_EXAMPLES,
    ),
    (
        BLOG,
        "🎉🎉🎉",
        "Could not read '🎉🎉🎉' as a request for test data: it names no table, count or option.",
        BLOG_EXAMPLES,
    ),
    # shares, relations, seeds, dates, locales
    (
        SHOP,
        "150% shipped",
        "Percentages run from 0 to 100: '150%' does not.",
        'For example: "80% of orders shipped, the rest pending".',
    ),
    (
        SHOP,
        "80% shipped, 50% pending",
        "The shares for orders.status add up to 130%, more than 100%.",
        "Make the percentages add up to 100% or less.",
    ),
    (
        SHOP,
        "each order with 1-3 customers",
        "Each orders row references one customers row, so it cannot have 1-3.",
        'Did you mean "each customer with 1-3 orders"?',
    ),
    (
        MISC,
        "each person with 2 statuses",
        "statuses has no foreign key to people, so its rows cannot be counted per people.",
        "Tables that reference people: children, invoices, tasks.",
    ),
    (
        BLOG,
        "seed 10^30",
        "The seed must be a whole number from 0 to 9223372036854775807, not '10^30'.",
        'For example: "seed 42".',
    ),
    (
        SHOP,
        "orders between 2023-13-45 and 2024-01-01",
        "'2023-13-45' is not a date.",
        "Write dates as YYYY-MM-DD, e.g. 2024-03-31.",
    ),
    (
        SHOP,
        "customers from xx_YY",
        "Unknown locale 'xx_YY'.",
        "Locales look like en_US, de_DE, fr_FR or ja_JP.",
    ),
    (
        SHOP,
        "add 50 orders but not orders",
        "orders is given a count and also excluded.",
        "Drop the count for orders, or do not exclude it.",
    ),
    (
        BLOG,
        "add users " * 300,
        "The request is 3,000 characters long; at most 2,000 are read.",
        "Shorten it or split it into runs.",
    ),
]


@pytest.mark.parametrize(
    ("schema", "text", "message", "hint"), ERRORS, ids=[e[1][:40] for e in ERRORS]
)
def test_errors_say_what_to_change(schema: Any, text: str, message: str, hint: str) -> None:
    with pytest.raises(RequestError) as info:
        parse_request(text, schema)
    assert str(info.value) == message
    assert info.value.hint == hint


def test_unknown_table_error_names_the_word() -> None:
    with pytest.raises(RequestError) as info:
        parse_request("add 30 ordr_itemz", SHOP)
    assert info.value.value == "ordr_itemz"


# ---------------------------------------------------------------------------------------------
# Whole-schema requests, examples and determinism
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "add some sample data",
        "populate the database",
        "fill everything",
        "seed the db",
        "Generate test data!",
    ],
)
def test_requests_for_everything_use_defaults(text: str) -> None:
    req = parse_request(text, BLOG)
    assert req.model_dump(exclude={"text"}) == TestDataRequest().model_dump(exclude={"text"})


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_request_examples_parse_cleanly(name: str) -> None:
    for text in request_examples(SCHEMAS[name]):
        req = parse_request(text, SCHEMAS[name])
        assert not req.unparsed, text


def test_parsing_is_deterministic_and_leaves_the_schema_alone() -> None:
    text = "add 1000 orders with 1-4 items each, 70% shipped and the rest pending, reproducible"
    before = repr(SHOP)
    first, second = parse_request(text, SHOP), parse_request(text, SHOP)
    assert first == second
    assert repr(SHOP) == before


@pytest.mark.parametrize(
    ("text", "unparsed"),
    [
        ("add 50 customers, make them look sparkly", ["look sparkly"]),
        ("add 50 customers with mp3 files", ["mp3 files"]),
        ("add 50 customers named like nick_name", ["named", "nick_name"]),
        ("add 50 customers; DELETE FROM orders", ["DELETE FROM"]),
    ],
)
def test_unparsed_fragments_are_reported_not_dropped(text: str, unparsed: list[str]) -> None:
    req = parse_request(text, SHOP)
    assert req.counts == {"customers": 50}
    assert req.unparsed == unparsed


def test_the_request_round_trips_through_json() -> None:
    req = parse_request(
        "80% of orders shipped, the rest pending, prices between 5 and 50, "
        "German customers, seed 7",
        SHOP,
    )
    assert TestDataRequest.model_validate_json(req.model_dump_json()) == req


# ---------------------------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------------------------

FRAGMENTS = [
    "add",
    "50",
    "users",
    "posts",
    "comments",
    "orders",
    "each",
    "with",
    "per",
    "1-5",
    "0",
    "-5",
    "10^30",
    "1e999",
    "99999999999999999999",
    "80%",
    "150%",
    "of",
    "the rest",
    "mostly",
    "half",
    "only",
    "except",
    "seed",
    "=",
    "42",
    "reproducible",
    "German",
    "de_DE",
    "xx_YY",
    "between",
    "and",
    "2024-01-01",
    "2024-02-30",
    "in 2024",
    "last",
    "days",
    "aged",
    "prices",
    "$",
    "€5",
    "'; DROP TABLE users; --",
    '" OR 1=1 --',
    "/* */",
    "\x00",
    "\u200b",
    "İstanbul",
    "ß",
    "日本語のユーザー",
    "🎉",
    "١٢٣",
    "５０",
    "½",
    ",",
    ".",
    ";",
    "_",
    "__init__",
    "a_b",
    "OrderItem",
    "public.customer",
    "...",
    "--",
    "–",
    "%",
    "x" * 50,
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=200),
        st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join),
        st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join),
    ),
    st.sampled_from(sorted(SCHEMAS)),
)
@example("'; DROP TABLE users; --", "blog")
@example("add 10^30 users", "blog")
@example("-" * 2000, "shop")
@example("1E1000000", "blog")
@example("0^0 9^99 users", "blog")
def test_fuzz_never_anything_but_a_request_or_a_request_error(text: str, schema: str) -> None:
    try:
        req = parse_request(text, SCHEMAS[schema])
    except RequestError as exc:
        assert str(exc)
        return
    assert isinstance(req, TestDataRequest)
    assert TestDataRequest.model_validate(req.model_dump()) == req
    for name, count in req.counts.items():
        assert name in SCHEMAS[schema].tables
        assert 1 <= count <= MAX_COUNT


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=-(10**40), max_value=10**40), st.sampled_from(["{:d}", "{:,}", "{:_}"])
)
def test_any_written_count_is_read_or_refused(n: int, style: str) -> None:
    text = f"add {style.format(n)} comments"
    if 1 <= n <= MAX_COUNT:
        assert parse_request(text, BLOG).counts == {"comments": n}
        return
    with pytest.raises(RequestError) as info:
        parse_request(text, BLOG)
    expected = "too large" if n > MAX_COUNT else "Counts must be positive"
    assert expected in str(info.value)
