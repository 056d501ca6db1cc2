"""Feasibility at plan time: requests the constraints cannot meet are refused before anything
is written, with every problem listed and the largest count that works; default counts
shrink with a note."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dbkit import Database, MakeDb
from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"

SWITCHES = """
CREATE TABLE switches (
    id INTEGER PRIMARY KEY,
    state BOOLEAN NOT NULL UNIQUE,
    label VARCHAR(20) NOT NULL
);
"""

# Two tables that reference each other through NOT NULL keys that are not integers: neither
# can be filled first, and no key of the other is known in advance.
TEXT_KEY_CYCLE = {
    "sqlite": """
        CREATE TABLE a (code VARCHAR(10) PRIMARY KEY,
                        b_code VARCHAR(10) NOT NULL REFERENCES b (code));
        CREATE TABLE b (code VARCHAR(10) PRIMARY KEY,
                        a_code VARCHAR(10) NOT NULL REFERENCES a (code));
    """,
    "postgresql": """
        CREATE TABLE a (code varchar(10) PRIMARY KEY, b_code varchar(10) NOT NULL);
        CREATE TABLE b (code varchar(10) PRIMARY KEY,
                        a_code varchar(10) NOT NULL REFERENCES a (code));
        ALTER TABLE a ADD FOREIGN KEY (b_code) REFERENCES b (code);
    """,
    "mysql": """
        CREATE TABLE a (code VARCHAR(10) PRIMARY KEY, b_code VARCHAR(10) NOT NULL);
        CREATE TABLE b (code VARCHAR(10) PRIMARY KEY, a_code VARCHAR(10) NOT NULL,
                        FOREIGN KEY (a_code) REFERENCES a (code));
        ALTER TABLE a ADD FOREIGN KEY (b_code) REFERENCES b (code);
    """,
}


def data(db: Database, request: str, *extra: str):
    args = ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", "2", *extra]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def refused(db: Database, request: str) -> str:
    result = data(db, request)
    assert result.exit_code == 5, result.output
    assert "The request cannot be met" in result.output
    assert "Traceback" not in result.output
    assert set(db.row_counts().values()) == {0}, "nothing may be inserted"
    return " ".join(result.output.split())


def test_junction_larger_than_its_parents_allow(db: Database) -> None:
    db.load(ZOO / "junction" / f"{db.dialect}.sql")
    out = refused(db, "add 10 students, 10 courses and 200 enrollments")
    assert "enrollments: 200 rows requested" in out
    assert "allow 100 combinations" in out
    assert "at most 100 new rows fit" in out


def test_unique_boolean_allows_two_rows(db: Database) -> None:
    db.load(SWITCHES)
    out = refused(db, "add 3 switches")
    assert "state must be unique" in out
    assert "at most 2 new rows fit" in out


def test_default_counts_shrink_with_a_note(db: Database) -> None:
    db.load(SWITCHES)
    args = ["data", "add 100 rows to every table", "--db", db.url, "--yes", "--json"]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["inserted"] == {"switches": 2}
    assert any("switches: 100 rows shrunk to 2" in n for n in payload["notes"])
    assert db.verify() == []


def test_mysql_unique_tinyint(mysql_db: Database) -> None:
    mysql_db.load(ZOO / "low_cardinality_unique" / "mysql.sql")
    out = refused(mysql_db, "add 300 tiny_codes")
    assert "code must be unique" in out and "TINYINT" in out
    assert "at most 256 new rows fit" in out


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_unique_smallint_uses_its_whole_range(dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    db.load("CREATE TABLE ranks (id INTEGER PRIMARY KEY, rank_no SMALLINT NOT NULL UNIQUE);")
    out = refused(db, "add 70000 ranks")
    assert "at most 65,536 new rows fit" in out


def test_unique_char_2(db: Database) -> None:
    db.load("CREATE TABLE codes (id INTEGER PRIMARY KEY, code CHAR(2) NOT NULL UNIQUE);")
    out = refused(db, "add 5000 codes")
    assert "code must be unique" in out and "CHAR(2)" in out.upper()
    limit = int(out.split("at most ")[1].split(" new rows")[0].replace(",", ""))
    assert 26**2 <= limit <= 62**2
    result = data(db, f"add {limit} codes")
    assert result.exit_code == 0, result.output
    assert db.row_counts() == {"codes": limit}
    assert db.verify() == []


def test_one_to_one_needs_a_parent_each(db: Database) -> None:
    db.load(ZOO / "one_to_one" / f"{db.dialect}.sql")
    out = refused(db, "add 100 users and 150 profiles")
    assert "each users row can have one profiles row" in out
    assert "at most 100 new rows fit" in out


def test_not_null_cycle_without_a_way_to_break_it(db: Database) -> None:
    db.load(TEXT_KEY_CYCLE[db.dialect])
    out = refused(db, "add 10 a and 10 b")
    assert "reference each other through NOT NULL foreign keys" in out


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_integer_keys_that_would_overflow(dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    db.load("CREATE TABLE tiny (id SMALLINT PRIMARY KEY, name VARCHAR(20) NOT NULL);")
    db.execute("INSERT INTO tiny (id, name) VALUES (32760, 'last')")
    result = data(db, "add 10 tiny")
    assert result.exit_code == 5, result.output
    out = " ".join(result.output.split())
    assert "would overflow SMALLINT" in out
    assert "at most 7 new rows fit" in out
    assert db.row_counts() == {"tiny": 1}


def test_sqlite_foreign_key_mismatch_is_named_at_plan_time(sqlite_db: Database) -> None:
    sqlite_db.load(
        """
        CREATE TABLE parent (id INTEGER PRIMARY KEY, email TEXT);
        CREATE TABLE child (id INTEGER PRIMARY KEY,
                            parent_email TEXT CONSTRAINT fk_child_email REFERENCES parent (email));
        """
    )
    out = refused(sqlite_db, "add 5 parents and 5 children")
    assert "fk_child_email" in out or "(parent_email) -> parent(email)" in out
    assert "foreign key mismatch" in out


def test_every_problem_is_reported_at_once(db: Database) -> None:
    db.load(ZOO / "junction" / f"{db.dialect}.sql")
    db.load(SWITCHES)
    out = refused(db, "add 10 students, 10 courses, 200 enrollments and 3 switches")
    assert "enrollments: 200 rows requested" in out
    assert "switches: 3 rows requested" in out


def test_a_composite_key_is_carried_by_its_widest_member(db: Database) -> None:
    # tier holds two values: the key's uniqueness must come from id, not from tier
    db.load(
        "CREATE TABLE ranks (id INTEGER NOT NULL, tier VARCHAR(10) NOT NULL "
        "CHECK (tier IN ('gold', 'silver')), flag BOOLEAN NOT NULL, PRIMARY KEY (tier, flag, id));"
    )
    result = data(db, "add 100 ranks")
    assert result.exit_code == 0, result.output
    assert db.row_counts() == {"ranks": 100}
    assert db.execute("SELECT COUNT(DISTINCT tier) FROM ranks")[0][0] == 2
    assert db.verify() == []
