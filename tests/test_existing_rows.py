"""Rows already in the database are respected: new unique values never collide with them (as
the collation compares), keys continue after them and sequences stay usable, children reference
existing parents, and one-to-one and junction keys skip what existing rows hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dbkit import Database, MakeDb
from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"

# One table with a unique column of each kind; ``nick`` compares without case everywhere.
ITEMS = {
    "sqlite": "nick VARCHAR(30) COLLATE NOCASE NOT NULL UNIQUE",
    "postgresql": "nick citext NOT NULL UNIQUE",
    "mysql": "nick VARCHAR(30) NOT NULL UNIQUE",
}
ITEMS_DDL = """
CREATE TABLE items (
    id INTEGER PRIMARY KEY,
    code VARCHAR(20) NOT NULL UNIQUE,
    {nick},
    seq_no INTEGER NOT NULL UNIQUE,
    day DATE NOT NULL UNIQUE,
    amount NUMERIC(10, 2) NOT NULL UNIQUE,
    region VARCHAR(10) NOT NULL,
    ref VARCHAR(20) NOT NULL,
    UNIQUE (region, ref)
)
"""
COLUMNS = ("id", "code", "nick", "seq_no", "day", "amount", "region", "ref")


def data(db: Database, request: str, *extra: str, seed: str = "9"):
    args = ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", seed, *extra]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def load_items(db: Database) -> None:
    if db.dialect == "postgresql":
        db.execute("CREATE EXTENSION IF NOT EXISTS citext")
    db.load(ITEMS_DDL.format(nick=ITEMS[db.dialect]) + ";")


def test_new_unique_values_avoid_existing_ones(db: Database, make_db: MakeDb) -> None:
    # What a run of 100 rows would generate; the target already holds rows 51-100 of it,
    # with the case-insensitive column in upper case, so every new value collides at first.
    scratch = make_db(db.dialect)
    load_items(scratch)
    assert data(scratch, "add 100 items").exit_code == 0
    rows = scratch.rows("items")
    load_items(db)
    marks = ", ".join(f":{c}" for c in COLUMNS)
    existing = [dict(zip(COLUMNS, r)) | {"nick": str(r[2]).upper()} for r in rows[50:]]
    db.execute(f"INSERT INTO items ({', '.join(COLUMNS)}) VALUES ({marks})", existing)
    before = db.rows("items")
    result = data(db, "add 50 items")
    assert result.exit_code == 0, result.output
    after = db.rows("items")
    assert len(after) == 100
    assert set(before) <= set(after)
    assert db.verify() == []
    nicks = [str(r[2]).lower() for r in after]
    assert len(set(nicks)) == 100
    assert min(r[0] for r in after if r not in before) > max(r[0] for r in before)


def test_second_run_with_the_same_seed_adds_new_rows(db: Database) -> None:
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    for _ in range(3):
        assert data(db, "add 40 users and 60 posts").exit_code == 0
    assert db.row_counts()["users"] == 120
    assert db.verify() == []
    emails = db.execute("SELECT COUNT(DISTINCT email) FROM users")[0][0]
    assert emails == 120


def test_sequences_stay_usable_after_generation(db: Database) -> None:
    db.load(ZOO / "autoincrement" / f"{db.dialect}.sql")
    quoted = db.quote("id")
    for table in db.table_names():
        if table != "int_keys":  # not a generated key: the application supplies it
            db.execute(f"INSERT INTO {db.quote(table)} (name) VALUES ('by hand')")
    assert data(db, "add 30 rows to every table").exit_code == 0
    assert data(db, "add 20 rows to every table", seed="10").exit_code == 0
    for table in db.table_names():
        if table == "int_keys":
            continue
        top = db.execute(f"SELECT MAX({quoted}) FROM {db.quote(table)}")[0][0]
        db.execute(f"INSERT INTO {db.quote(table)} (name) VALUES ('after')")
        new = db.execute(f"SELECT MAX({quoted}) FROM {db.quote(table)}")[0][0]
        assert new > top, table
        assert db.execute(f"SELECT COUNT(*) FROM {db.quote(table)}")[0][0] == 52
    assert db.verify() == []


def test_keys_continue_after_existing_keys(db: Database) -> None:
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    db.execute("INSERT INTO users (id, email, username) VALUES (500, 'x@example.org', 'x')")
    assert data(db, "add 10 users").exit_code == 0
    ids = sorted(r[0] for r in db.execute("SELECT id FROM users"))
    assert ids == [500, *range(501, 511)]


def test_a_child_alone_references_existing_parents(db: Database) -> None:
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    assert data(db, "add 20 users").exit_code == 0
    users = {r[0] for r in db.execute("SELECT id FROM users")}
    result = data(db, "add 30 posts", seed="5")
    assert result.exit_code == 0, result.output
    assert db.row_counts()["users"] == 20
    authors = {r[0] for r in db.execute("SELECT user_id FROM posts")}
    assert authors <= users and len(authors) > 1


def test_an_empty_required_parent_is_filled_and_the_plan_says_so(db: Database) -> None:
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    result = data(db, "add 30 posts")
    assert result.exit_code == 0, result.output
    assert "users is empty and posts requires it" in " ".join(result.output.split())
    assert db.row_counts()["users"] > 0
    assert db.verify() == []


def test_one_to_one_skips_parents_that_already_have_a_child(db: Database) -> None:
    db.load(ZOO / "one_to_one" / f"{db.dialect}.sql")
    assert data(db, "add 100 users and 40 profiles").exit_code == 0
    result = data(db, "add 60 profiles", seed="4")
    assert result.exit_code == 0, result.output
    assert db.row_counts()["profiles"] == 100
    assert db.verify() == []
    refused = data(db, "add 1 profile", seed="5")
    assert refused.exit_code == 5
    assert "at most 0 new rows fit" in refused.output
    assert db.row_counts()["profiles"] == 100


def test_junction_skips_pairs_that_exist(db: Database) -> None:
    db.load(ZOO / "junction" / f"{db.dialect}.sql")
    assert data(db, "add 10 students, 10 courses and 60 enrollments").exit_code == 0
    result = data(db, "add 40 enrollments", seed="8")
    assert result.exit_code == 0, result.output
    assert db.row_counts()["enrollments"] == 100
    assert db.verify() == []
    refused = data(db, "add 5 enrollments", seed="6")
    assert refused.exit_code == 5
    assert "at most 0 new rows fit" in refused.output


@pytest.mark.parametrize("dialect", ["mysql"])
def test_mysql_case_and_accent_insensitive_uniqueness(dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    db.load("CREATE TABLE tags (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE);")
    scratch = make_db(dialect)
    scratch.load("CREATE TABLE tags (id INT PRIMARY KEY, name VARCHAR(40) NOT NULL UNIQUE);")
    assert data(scratch, "add 60 tags").exit_code == 0
    # rows 31-60 of what a run generates, written in upper case with an accent on 'e'
    taken = [
        {"id": i, "name": name.upper().replace("E", "É")}
        for i, name in scratch.execute("SELECT id, name FROM tags ORDER BY id")[30:]
    ]
    db.execute("INSERT INTO tags (id, name) VALUES (:id, :name)", taken)
    result = data(db, "add 30 tags")
    assert result.exit_code == 0, result.output
    assert db.row_counts()["tags"] == 60
    assert db.verify() == []


def test_a_sequence_already_ahead_is_not_moved_back(pg_db: Database) -> None:
    pg_db.load(ZOO / "autoincrement" / "postgresql.sql")
    pg_db.execute("SELECT setval('ticket_seq', 5000)")
    pg_db.execute("SELECT setval(pg_get_serial_sequence('serial_keys', 'id'), 7000)")
    assert data(pg_db, "add 30 rows to every table").exit_code == 0
    assert pg_db.execute("SELECT last_value FROM ticket_seq")[0][0] == 5000
    assert min(r[0] for r in pg_db.execute("SELECT id FROM serial_keys")) == 7001
    assert pg_db.verify_sequences() == []
