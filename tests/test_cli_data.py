"""``querynl data`` end to end on the real databases: counts, integrity, seeds, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dbkit import SHARED_SCHEMAS as SHARED
from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"
SHARED_FILES = sorted(
    (p.parent.name, p.stem)
    for p in SHARED.glob("*/*.sql")
    if p.stem in ("sqlite", "postgresql", "mysql")
)


def run(*args: str, input: str | None = None):  # noqa: A002 - Click's own name
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def data(db, request: str, *extra: str):
    return run("data", request, "--db", db.url, "--yes", "--sample", "0", *extra)


def test_blog_counts_and_integrity(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    result = data(db, "add 50 users and 200 posts", "--seed", "7")
    assert result.exit_code == 0, result.output
    counts = db.row_counts()
    assert counts["users"] == 50
    assert counts["posts"] == 200
    assert 10 <= counts["comments"] <= 20  # defaults: children more than parents
    assert db.verify() == []
    for column in ("email", "username"):
        dupes = db.execute(
            f"SELECT {db.quote(column)}, COUNT(*) FROM {db.quote('users')} "
            f"GROUP BY {db.quote(column)} HAVING COUNT(*) > 1"
        )
        assert dupes == []


def test_json_output_matches_database(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    result = run("data", "add 30 users", "--db", db.url, "--yes", "--json", "--seed", "3")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["inserted"] == db.row_counts()
    assert payload["total_rows"] == sum(db.row_counts().values())


def test_same_seed_gives_identical_rows(make_db, db):
    other = make_db(db.dialect)
    for target in (db, other):
        target.load(ZOO / "blog" / f"{db.dialect}.sql")
        result = data(target, "add 40 users and 120 posts", "--seed", "42", "--now", "2025-06-01")
        assert result.exit_code == 0, result.output
    for table in ("users", "posts", "comments"):
        assert db.rows(table) == other.rows(table), table


def test_different_seed_gives_different_rows(make_db, sqlite_db):
    other = make_db("sqlite")
    for target, seed in ((sqlite_db, "1"), (other, "2")):
        target.load(ZOO / "blog" / "sqlite.sql")
        assert data(target, "add 20 users", "--seed", seed).exit_code == 0
    assert sqlite_db.rows("users") != other.rows("users")


@pytest.mark.parametrize(
    ("name", "dialect"), SHARED_FILES, ids=[f"{n}-{d}" for n, d in SHARED_FILES]
)
def test_shared_schemas_sample_data(make_db, name: str, dialect: str):
    db = make_db(dialect)
    db.load_shared(name)
    result = data(db, "add some sample data", "--seed", "11")
    assert result.exit_code == 0, result.output
    assert sum(db.row_counts().values()) > 0
    assert db.verify() == []


_FAIL_AFTER_FIVE = {
    "sqlite": """
        CREATE TRIGGER comments_limit BEFORE INSERT ON comments
        WHEN (SELECT COUNT(*) FROM comments) >= 5
        BEGIN SELECT RAISE(ABORT, 'comments are full'); END;
    """,
    "postgresql": """
        CREATE FUNCTION comments_limit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (SELECT COUNT(*) FROM comments) >= 5 THEN
                RAISE EXCEPTION 'comments are full';
            END IF;
            RETURN NEW;
        END $$;
        CREATE TRIGGER comments_limit BEFORE INSERT ON comments
        FOR EACH ROW EXECUTE FUNCTION comments_limit();
    """,
    "mysql": """
        CREATE TRIGGER comments_limit BEFORE INSERT ON comments FOR EACH ROW
        BEGIN
            IF (SELECT COUNT(*) FROM comments) >= 5 THEN
                SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'comments are full';
            END IF;
        END
    """,
}


def test_failed_request_changes_nothing(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    assert data(db, "add 5 users and 5 posts", "--seed", "1").exit_code == 0
    if db.dialect == "mysql":
        db.execute(_FAIL_AFTER_FIVE["mysql"])
    else:
        db.load(_FAIL_AFTER_FIVE[db.dialect])
    before = {t: db.rows(t) for t in db.table_names()}
    result = data(db, "add 30 users, 40 posts and 20 comments", "--seed", "2")
    assert result.exit_code == 7
    assert "comments are full" in result.output
    assert "nothing was inserted" in result.output
    assert "Traceback" not in result.output
    assert {t: db.rows(t) for t in db.table_names()} == before


def test_unknown_table_names_the_tables(sqlite_db):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    result = data(sqlite_db, "add 10 userz")
    assert result.exit_code == 5
    assert "users" in result.output
    assert sqlite_db.row_counts() == {"users": 0, "posts": 0, "comments": 0}


def test_empty_database_says_create_a_schema(sqlite_db):
    sqlite_db.execute("CREATE TABLE keepalive (id INTEGER)")
    sqlite_db.execute("DROP TABLE keepalive")
    result = data(sqlite_db, "add some sample data")
    assert result.exit_code == 4
    assert "no tables" in result.output
    assert "Create a schema first" in result.output


def test_unreachable_database_is_one_clear_line():
    result = run(
        "data", "add 5 users", "--db", "postgresql://nobody:s3cretpw@127.0.0.1:1/x", "--yes"
    )
    assert result.exit_code == 3
    assert "Cannot connect" in result.output
    assert "s3cretpw" not in result.output
    assert "Traceback" not in result.output


def test_non_positive_count_is_refused(sqlite_db):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    result = data(sqlite_db, "add 0 users")
    assert result.exit_code == 5
    assert "positive" in result.output


def test_dry_run_inserts_nothing(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    result = run("data", "add 25 users", "--db", db.url, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output
    assert "users" in result.output
    assert db.row_counts() == {"users": 0, "posts": 0, "comments": 0}


def test_database_url_from_environment(sqlite_db, monkeypatch):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    monkeypatch.setenv("DATABASE_URL", str(sqlite_db.path))
    result = run("data", "add 3 users", "--yes", "--sample", "0")
    assert result.exit_code == 0, result.output
    assert sqlite_db.row_counts()["users"] == 3


def test_demo_creates_and_fills(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("demo", "--seed", "5")
    assert result.exit_code == 0, result.output
    import sqlite3

    con = sqlite3.connect(tmp_path / "querynl-demo.db")
    counts = {
        t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
        for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert counts["customers"] == 200
    assert counts["orders"] == 1000
    orphans = con.execute(
        "SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.id = o.customer_id "
        "WHERE c.id IS NULL"
    ).fetchone()[0]
    assert orphans == 0
    con.close()
    # a second run replaces the demo database, never another file
    assert run("demo", "--seed", "5").exit_code == 0
    (tmp_path / "mine.db").write_bytes(b"")
    refused = run("demo", "--path", "mine.db")
    assert refused.exit_code == 2
    assert "left untouched" in refused.output
