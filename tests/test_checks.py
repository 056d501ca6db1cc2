"""CHECK constraints: what the reader understands (domains, orderings, predicates with SQL's
three-valued logic), what it hands to the database to judge, and rows that satisfy every
CHECK on the three databases."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

from dbkit import Database
from querynl import checks
from querynl.cli import main
from querynl.models import CheckInfo, ColumnInfo, TableInfo, TypeInfo
from querynl.schema_design import test_data_generator as tdg
from querynl.schema_design.check_rows import failing_rows


def table(*checks_sql: str, kinds: dict[str, str] | None = None) -> TableInfo:
    kinds = {"age": "integer", "name": "string", "code": "string", "start_date": "date"} | (
        kinds or {}
    )
    names = ["age", "name", "code", "status", "stock", "email", "phone", "discount"]
    names += ["start_date", "end_date", "a", "b"]
    cols = tuple(
        ColumnInfo(n, TypeInfo(kind=kinds.get(n, "integer"), sql="X"), True)  # type: ignore[arg-type]
        for n in names
    )
    return TableInfo(
        name="t",
        columns=cols,
        checks=tuple(CheckInfo(f"ck{i}", s) for i, s in enumerate(checks_sql)),
    )


def verdict(sql: str, row: dict, dialect: str = "postgresql") -> bool:
    model = checks.analyse(table(sql), dialect)
    assert not model.unreadable, model.unreadable
    ((_, predicate, _),) = model.predicates
    return checks.passes(predicate, row)


@pytest.mark.parametrize(
    ("sql", "row", "ok"),
    [
        ("email IS NOT NULL OR phone IS NOT NULL", {"email": None, "phone": None}, False),
        ("email IS NOT NULL OR phone IS NOT NULL", {"email": None, "phone": "1"}, True),
        ("NOT (status = 'retired' AND stock > 0)", {"status": "retired", "stock": 3}, False),
        ("NOT (status = 'retired' AND stock > 0)", {"status": "retired", "stock": 0}, True),
        ("age BETWEEN 1 AND 5", {"age": None}, True),  # NULL: the CHECK is not FALSE
        ("age NOT BETWEEN 1 AND 5", {"age": 3}, False),
        ("status NOT IN ('a', 'b')", {"status": "a"}, False),
        ("email NOT LIKE '%@spam.org'", {"email": "x@spam.org"}, False),
        ("a <> b", {"a": 1, "b": 1}, False),
        ("a IS DISTINCT FROM b", {"a": None, "b": None}, False),
        (
            "end_date > start_date",
            {"start_date": dt.date(2024, 1, 2), "end_date": "2024-01-03"},
            True,
        ),
        ("CASE WHEN a > 0 THEN b > 0 ELSE TRUE END", {"a": 1, "b": -1}, False),
        ("length(name) <= 3", {"name": "ñññ"}, True),
        ("(a, code) IN ((1, 'x'), (2, 'y'))", {"a": 2, "code": "y"}, True),
        ("(a, code) IN ((1, 'x'), (2, 'y'))", {"a": 1, "code": "y"}, False),
        ("(a, code) IN ((1, 'x'), (2, 'y'))", {"a": None, "code": "y"}, True),
        # TRIM removes spaces only, unless it is told which characters
        ("name = trim(name)", {"name": "tab\t"}, True),
        ("name = trim(name)", {"name": " x"}, False),
        ("name = TRIM(TRAILING FROM name)", {"name": " x"}, True),
        ("trim(BOTH '-' FROM code) = code", {"code": "-x"}, False),
        ("name = lower(name)", {"name": "Ab"}, False),
    ],
)
def test_predicates_follow_sql(sql: str, row: dict, ok: bool) -> None:
    assert verdict(sql, row) is bool(ok)


def test_mysql_length_counts_bytes() -> None:
    assert verdict("length(`name`) <= 3", {"name": "ñññ"}, "mysql") is False
    assert verdict("char_length(`name`) <= 3", {"name": "ñññ"}, "mysql") is True


def test_domains_and_orderings() -> None:
    model = checks.analyse(
        table(
            "age >= 13",
            "length(name) BETWEEN 2 AND 10",
            "status IN ('draft', 'active')",
            "discount IS NULL OR (discount > 0 AND discount < 100)",
            "end_date > start_date",
            "b <= a",
        ),
        "postgresql",
    )
    assert model.domain("age").low == 13
    assert (model.domain("name").min_length, model.domain("name").max_length) == (2, 10)
    assert model.domain("status").values == ["draft", "active"]
    discount = model.domain("discount")
    assert (discount.low, discount.low_strict, discount.high, discount.high_strict) == (
        0,
        True,
        100,
        True,
    )
    pairs = {(r.high, r.low, r.strict) for r in model.relations}
    assert pairs == {("end_date", "start_date", True), ("a", "b", False)}


def test_unreadable_and_approximate_checks_go_to_the_database() -> None:
    model = checks.analyse(table("my_function(code) = 1", "code >= 'N'"), "postgresql")
    assert [c.name for c, _ in model.unreadable] == ["ck0"]
    assert model.unreadable_columns[0] == frozenset({"code"})
    assert [c.name for c in model.confirm] == ["ck1"]  # text order follows a collation
    folded = checks.analyse(table("NOT (code = 'x')"), "mysql")
    assert [c.name for c in folded.confirm] == ["ck0"]  # MySQL equality ignores case


@pytest.mark.parametrize(
    ("sql", "interval"),
    [
        ("age > 0", True),
        ("age BETWEEN 1 AND 5", True),
        ("age >= -3 AND age < 10", True),
        ("age < 5 OR age > 10", False),  # two intervals
        ("age NOT BETWEEN 1 AND 5", False),
        ("age <> 3", False),
        ("age > stock", False),
        ("age > 0 AND stock > 0", False),
        ("abs(age) > 2", False),
        ("CAST(age AS TEXT) > '5'", False),
        # as PostgreSQL keeps them (pg_get_constraintdef)
        ("age >= 0::numeric", True),
        ("age >= '-5'::integer AND age <= (10)::bigint", True),
        ("age >= (-(5))::numeric", True),
        ("age >= '5'::text", False),
        ("age >= 'NaN'::numeric", False),
        ("age >= stock::numeric", False),
    ],
)
def test_checks_that_accept_one_interval(sql: str, interval: bool) -> None:
    model = checks.analyse(table(sql), "postgresql")
    assert (id(model.predicates[0][0]) in model.intervals) is interval


@pytest.mark.parametrize(
    ("sql", "values", "failing"),
    [
        ("age BETWEEN 1 AND 5", [3, 1, None, 5, 2], []),
        ("age BETWEEN 1 AND 5", [3, 0, None, 9, 2], [1, 3]),
        ("age < 5 OR age > 10", [1, 7, 12, 8], [1, 3]),  # the ends pass, the middle does not
        ("stock > 0", [Decimal("0.01"), Decimal("0"), Decimal("2.5")], [1]),
        ("stock >= '-1.5'::numeric", [Decimal("-1.5"), Decimal("-2"), Decimal("7")], [1]),
        ("stock BETWEEN 0::numeric AND 5::numeric", [Decimal("0"), Decimal("5.01")], [1]),
    ],
)
def test_failing_rows_with_and_without_the_interval_shortcut(sql, values, failing) -> None:
    model = checks.analyse(table(sql), "postgresql")
    column = model.predicates[0][2]
    (name,) = column
    rows = range(len(values))
    found = failing_rows(model.predicates, {name: values}, rows, model.intervals)
    assert found == failing
    assert failing_rows(model.predicates, {name: values}, rows) == failing  # no shortcut


# --------------------------------------------------------------------------- on the databases

WEEKDAYS = {
    "sqlite": "CHECK (strftime('%w', day) NOT IN ('0', '6'))",
    "postgresql": "CHECK (extract(isodow FROM day) < 6)",
    "mysql": "CHECK (DAYOFWEEK(day) NOT IN (1, 7))",
}


def data(db: Database, request: str, *extra: str):
    args = ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", "4", *extra]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def test_a_check_it_cannot_read_is_judged_by_the_database(db: Database) -> None:
    db.load(
        f"""
        CREATE TABLE shifts (
            id INTEGER PRIMARY KEY,
            day DATE NOT NULL,
            code VARCHAR(20) NOT NULL,
            CONSTRAINT ck_weekday {WEEKDAYS[db.dialect]},
            CONSTRAINT ck_code CHECK (code >= 'N')
        );
        """
    )
    result = data(db, "add 300 shifts")
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "CHECK ck_weekday" in out and "--save-plan" in out
    assert db.row_counts() == {"shifts": 300}
    assert db.verify() == []


def test_ordered_columns_need_no_redraws(db: Database) -> None:
    db.load(
        """
        CREATE TABLE bookings (
            id INTEGER PRIMARY KEY,
            start_date DATE NOT NULL,
            end_date DATE NOT NULL,
            min_price NUMERIC(8, 2) NOT NULL,
            max_price NUMERIC(8, 2) NOT NULL,
            CONSTRAINT ck_dates CHECK (end_date > start_date),
            CONSTRAINT ck_prices CHECK (min_price <= max_price)
        );
        """
    )
    prepared = tdg.prepare("add 500 bookings", db.engine, tdg.DataOptions(seed=4))
    bookings = prepared.plan.table("bookings")
    assert bookings.column("end_date").generator == "offset"
    assert bookings.column("end_date").note == "after start_date (CHECK ck_dates)"
    assert bookings.column("max_price").params["column"] == "min_price"
    result = data(db, "add 500 bookings")
    assert result.exit_code == 0, result.output
    assert db.verify() == []


def test_checks_that_normalize_or_forbid_null(db: Database) -> None:
    """``x IS NOT NULL`` on a nullable column, and text kept lowered, uppered or trimmed
    (``x = lower(x)``): no redraw could meet them, so the values are made that way."""
    db.load(
        """
        CREATE TABLE members (
            id INTEGER PRIMARY KEY,
            email VARCHAR(120) NOT NULL CHECK (email = lower(email)),
            nickname VARCHAR(40) CHECK (upper(nickname) = nickname AND nickname = trim(nickname)),
            bio TEXT CHECK (bio = lower(bio)),
            joined_on DATE CHECK (joined_on IS NOT NULL),
            score REAL CHECK (score >= -0.5 AND score <= 0.5),
            stars NUMERIC(2, 1) NOT NULL CHECK (stars BETWEEN 1 AND 5)
        );
        """
    )
    prepared = tdg.prepare("add 400 members", db.engine, tdg.DataOptions(seed=4))
    plan = prepared.plan.table("members")
    assert plan.column("joined_on").null_rate == 0
    assert plan.column("score").generator == "decimal"  # no whole number fits but 0
    assert plan.column("stars").generator == "decimal"  # 1 to 5, in tenths
    result = data(db, "add 400 members")
    assert result.exit_code == 0, result.output
    rows = db.rows("members")
    assert len(rows) == 400
    assert all(r[1] == r[1].lower() for r in rows)
    nicknames = [r[2] for r in rows if r[2] is not None]
    assert nicknames and all(n == n.upper().strip(" ") for n in nicknames)
    assert any(c.isalpha() for n in nicknames for c in n)
    bios = [r[3] for r in rows if r[3] is not None]
    assert bios and all(b == b.lower() for b in bios)
    assert all(r[4] is not None for r in rows)
    scores = {r[5] for r in rows if r[5] is not None}
    assert len(scores) > 10 and all(-0.5 <= x <= 0.5 for x in scores)
    stars = {Decimal(str(r[6])) for r in rows}
    assert len(stars) > 10 and all(1 <= x <= 5 for x in stars)
    assert db.verify() == []


def test_sqlite_text_that_must_read_as_json_a_day_or_a_code(sqlite_db: Database) -> None:
    """SQLite keeps days, times and JSON in TEXT and says what they must read as in a CHECK
    (its own functions), and shapes codes with GLOB."""
    sqlite_db.load(
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            code TEXT NOT NULL CHECK (code GLOB '[A-Z][A-Z]-[0-9][0-9][0-9]'),
            starts TEXT NOT NULL CHECK (date(starts) IS NOT NULL),
            stamp TEXT CHECK (datetime(stamp) IS NOT NULL),
            day TEXT CHECK (day = date(day)),
            payload TEXT CHECK (json_valid(payload))
        ) STRICT;
        """
    )
    prepared = tdg.prepare("add 300 events", sqlite_db.engine, tdg.DataOptions(seed=4))
    plan = prepared.plan.table("events")
    assert [plan.column(c).generator for c in ("code", "starts", "stamp", "day", "payload")] == [
        "regex",
        "date",
        "datetime",
        "date",
        "json",
    ]
    assert plan.column("stamp").null_rate == 0  # datetime(NULL) IS NOT NULL is false
    result = data(sqlite_db, "add 300 events")
    assert result.exit_code == 0, result.output
    rows = sqlite_db.rows("events")
    assert len(rows) == 300
    assert all(re.fullmatch(r"[A-Z]{2}-[0-9]{3}", r[1]) for r in rows)
    assert all(dt.date.fromisoformat(r[2]) for r in rows)
    assert all(r[4] is None or dt.date.fromisoformat(r[4]) for r in rows)
    assert all(dt.datetime.fromisoformat(r[3]) for r in rows)
    assert all(r[5] is None or isinstance(json.loads(r[5]), dict) for r in rows)
    assert sqlite_db.verify() == []


def test_a_column_its_check_leaves_null_is_named(sqlite_db: Database, caplog) -> None:
    """A nullable column whose CHECK no made value passes ends up NULL, which passes: the
    rows are valid, and a warning says why the column is empty and what to change."""
    sqlite_db.load(
        "CREATE TABLE w (id INTEGER PRIMARY KEY, code TEXT CHECK (instr(code, 'zz') > 0), "
        "name TEXT NOT NULL);"
    )
    caplog.set_level(logging.WARNING, logger="querynl")
    tdg.generate_data("add 300 w", sqlite_db.url, options=tdg.DataOptions(seed=2, record=False))
    assert sqlite_db.rows("w") and all(r[1] is None for r in sqlite_db.rows("w"))
    assert "w.code: 300 of 300 values are NULL" in caplog.text
    assert "--save-plan" in caplog.text
    caplog.clear()
    tdg.generate_data("add 300 w", sqlite_db.url, options=tdg.DataOptions(seed=2, record=False))
    sqlite_db.load("CREATE TABLE v (id INTEGER PRIMARY KEY, code TEXT CHECK (length(code) < 90));")
    tdg.generate_data("add 300 v", sqlite_db.url, options=tdg.DataOptions(seed=2, record=False))
    assert "v.code" not in caplog.text  # nothing refused: no warning


DIGITS_ONLY = {
    "sqlite": "code NOT GLOB '*[^0-9]*'",
    "postgresql": "code !~ '[^0-9]'",
    "mysql": "code NOT REGEXP '[^0-9]'",
}


def test_no_character_outside_a_class(db: Database) -> None:
    """``NOT GLOB '*[^0-9]*'``, ``!~ '[^0-9]'``: every character a digit, not every value
    NULL."""
    db.load(
        f"""
        CREATE TABLE tickets (
            id INTEGER PRIMARY KEY,
            code VARCHAR(12) CHECK ({DIGITS_ONLY[db.dialect]})
        );
        """
    )
    result = data(db, "add 200 tickets")
    assert result.exit_code == 0, result.output
    codes = [r[1] for r in db.rows("tickets") if r[1] is not None]
    assert len(codes) > 150 and all(c.isdigit() for c in codes)
    assert db.verify() == []


@pytest.mark.parametrize(
    ("pattern", "text", "ok"),
    [
        ("[A-Z][0-9]*", "B7xyz", True),
        ("[A-Z][0-9]*", "b7", False),
        ("a?c", "abc", True),
        ("a?c", "ac", False),
        ("[^0-9]x", "1x", False),
        ("x.y", "xzy", False),
        ("*.txt", "notes.txt\n", False),
    ],
)
def test_glob_reads_as_sqlite_reads_it(pattern: str, text: str, ok: bool) -> None:
    assert verdict(f"code GLOB '{pattern}'", {"code": text}, "sqlite") is ok


def test_negative_bounds_as_each_database_keeps_them(db: Database) -> None:
    # PostgreSQL keeps -5 as '-5'::integer and -2.5 against a REAL as
    # ('-2.5'::numeric)::double precision; the bounds still narrow the generators
    db.load(
        """
        CREATE TABLE readings (
            id INTEGER PRIMARY KEY,
            delta INTEGER NOT NULL CHECK (delta > -5 AND delta < 3),
            offset_c NUMERIC(6, 2) CHECK (offset_c >= -1.5 AND offset_c <= -0.5),
            drift REAL CHECK (drift BETWEEN -2.5 AND -1)
        );
        """
    )
    prepared = tdg.prepare("add 300 readings", db.engine, tdg.DataOptions(seed=4))
    plan = prepared.plan.table("readings")
    assert plan.column("delta").params == {"min": -4, "max": 2}
    assert plan.column("offset_c").params["min"] == -1.5
    assert plan.column("drift").params["max"] == -1
    result = data(db, "add 300 readings")
    assert result.exit_code == 0, result.output
    rows = db.rows("readings")
    assert len(rows) == 300
    assert {r[1] for r in rows} <= set(range(-4, 3)) and len({r[1] for r in rows}) > 3
    assert all(r[2] is None or Decimal("-1.5") <= r[2] <= Decimal("-0.5") for r in rows)
    assert all(r[3] is None or -2.5 <= r[3] <= -1 for r in rows)
    assert db.verify() == []


@pytest.mark.parametrize(
    ("method", "expression", "bounds", "condition"),
    [
        (
            "RANGE",
            "year(`sold_on`)",
            ["2024", "2025", "2026"],
            "`sold_on` >= '2023-01-01' AND `sold_on` < '2026-01-01'",
        ),
        ("RANGE", "to_days(`d`)", ["739251"], "`d` < '2024-01-01'"),
        ("RANGE", "`id`", ["1000", "2000"], "`id` >= 0 AND `id` < 2000"),
        ("RANGE", "`id`", ["1000", "MAXVALUE"], None),
        ("RANGE COLUMNS", "`d`", ["'2024-01-01'"], "`d` < '2024-01-01'"),
        ("LIST", "`region`", ["1,2", "3"], "(`region`) IN (1,2, 3)"),
        (
            "LIST COLUMNS",
            "`c`,`n`",
            ["('x',1),('y',2)", "('x',3)"],
            "`c` IN ('x', 'y') AND `n` IN (1, 2, 3) AND (`c`,`n`) IN (('x',1),('y',2), ('x',3))",
        ),
        ("HASH", "`id`", ["", ""], None),
        ("KEY", "`name`", [""], None),
    ],
)
def test_mysql_partitions_become_checks(method, expression, bounds, condition) -> None:
    from querynl.dialects.mysql import partition_check

    assert partition_check(method, expression, bounds) == condition


@pytest.mark.parametrize(
    ("pattern", "example"),
    [("%Deleted Scenes%", "Deleted Scenes"), ("SKU-%", "SKU-"), ("a_c", "axc"), ("%", None)],
)
def test_like_patterns_give_texts_that_match(pattern: str, example: str | None) -> None:
    assert checks.like_example(pattern) == example


def test_a_column_only_a_like_check_describes(db: Database) -> None:
    # Sakila's film.special_features: nothing in the name says what the CHECK wants
    db.load(
        "CREATE TABLE films (id INTEGER PRIMARY KEY, extras VARCHAR(100) "
        "CHECK (extras IS NULL OR extras LIKE '%Trailers%' OR extras LIKE '%Deleted Scenes%'));"
    )
    args = ["data", "add 2000 films", "--db", db.url, "--yes", "--sample", "0", "--seed", "3"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert db.row_counts() == {"films": 2000}
    assert db.execute("SELECT COUNT(*) FROM films WHERE extras IS NOT NULL")[0][0] > 1500
    assert db.verify() == []
