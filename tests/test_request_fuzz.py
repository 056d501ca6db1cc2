"""Random and adversarial requests never crash QueryNL.

Hypothesis writes requests of every kind: any Unicode text, sentences made of the grammar's own
pieces with absurd numbers (negative, 10^40, "1e309", Arabic-Indic digits, fractions),
misspelled and hostile table names, inverted ranges, shares over 100%, SQL in the middle, and
texts far longer than the parser reads. Each goes through the whole command line on a real
SQLite database (``querynl data REQUEST --dry-run``) and ends in a plan or in one clear message
with a non-zero exit: never a stack trace, never the "unexpected error" of a bug, and the
database is never touched.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from hostile import VALUE_FRAGMENTS, assert_no_traceback, property_settings
from querynl.cli import main
from querynl.errors import QueryNLError
from querynl.request_parser import parse_request
from querynl.schema_introspection import introspect

ZOO = Path(__file__).parent / "zoo"

NUMBERS = [
    "0",
    "-5",
    "1",
    "7",
    "1e309",
    "1e3",
    "99999999999999999999999999999999999999",
    "100,000,001",
    "1,000,000,000,000",
    "2.5k",
    "3.7",
    "0x10",
    "1_000",
    "٥٠",
    "½",
    "NaN",
    "inf",
    "-inf",
    "a dozen",
    "fifty",
    "a zillion",
    "fifty thousand million",
    "twenty-five",
    "10%",
    "150%",
    "-50%",
]
TABLES = [
    "users",
    "user",
    "Users",
    "posts",
    "comments",
    "usres",
    "orders",
    "users; DROP TABLE users",
    "'users'",
    '"posts"',
    "`comments`",
    "users--",
    "🎉",
    "rows",
    "tables",
]
TAILS = [
    "",
    "each user with 1-5 posts",
    "each user with 5-1 posts",
    "each user with 0-0 posts",
    "each user with 1-1000000000 posts",
    "3 comments per post",
    "every post has 2 to 4 comments",
    "80% of users active",
    "200% of posts published",
    "half of the users banned, the rest gone",
    "prices between 50 and 5",
    "between -1e400 and 1e400",
    "aged 150 to 900",
    "created in 99999",
    "from the last 1000000000 days",
    "seed -1",
    "seed 999999999999999999999999",
    "reproducible",
    "in Klingon",
    "German customers",
    "only posts",
    "everything except users and posts and comments",
    "; DELETE FROM users; --",
    "' OR 1=1 --",
    "%s %(x)s :name ?",
]
VERBS = ["add", "insert", "create", "give me", "", "please add", "remove", "delete", "drop"]


def sentences() -> st.SearchStrategy[str]:
    piece = st.builds(
        lambda v, n, t, tail: " ".join(p for p in (v, n, t, tail) if p),
        st.sampled_from(VERBS),
        st.sampled_from(NUMBERS),
        st.sampled_from(TABLES),
        st.sampled_from(TAILS),
    )
    return st.lists(piece, min_size=1, max_size=4).map(" and ".join)


def requests() -> st.SearchStrategy[str]:
    # argv cannot carry NUL or lone surrogates; everything else can reach the command line
    text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
    return st.one_of(
        sentences(),
        text,
        st.lists(st.sampled_from(VALUE_FRAGMENTS + tuple(NUMBERS) + tuple(TABLES))).map(" ".join),
        st.builds(lambda s, n: (s + " ") * n, sentences(), st.integers(1, 400)),
    )


@pytest.fixture
def blog(sqlite_db):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    return sqlite_db


@given(text=requests())
@property_settings(examples=150)
def test_any_request_ends_in_a_plan_or_a_clear_message(blog, text: str) -> None:
    before = blog.row_counts()
    result = CliRunner().invoke(
        main, ["data", text, "--db", blog.url, "--dry-run", "--sample", "1", "--seed", "3"]
    )
    output = result.output
    assert not result.exception or isinstance(result.exception, SystemExit), repr(result.exception)
    assert_no_traceback(output)
    assert "unexpected" not in output, output[-2000:]
    if result.exit_code == 0:
        assert "Dry run: nothing was inserted." in output
    else:
        assert result.exit_code in (2, 4, 5, 6), output[-2000:]
        assert "Error: " in output
    assert blog.row_counts() == before


@given(text=requests())
@property_settings(examples=600)
def test_the_parser_answers_every_text(blog, text: str) -> None:
    """The parser alone, many more texts: a request, or a RequestError that says why."""
    meta = _meta(blog)
    try:
        request = parse_request(text, meta)
    except QueryNLError as exc:
        assert exc.message.strip()
        return
    assert all(isinstance(n, int) and 0 <= n <= 100_000_000 for n in request.counts.values())
    assert set(request.counts) <= set(meta.tables)


_META: dict[str, object] = {}


def _meta(db):
    if db.url not in _META:
        _META.clear()
        _META[db.url] = introspect(db.engine)
    return _META[db.url]
