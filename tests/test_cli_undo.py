"""``querynl data runs|undo|clear`` on the real databases: undo restores exactly the rows that
were there before, refuses when other rows reference the run, cascades on request, and is a
no-op the second time; clear empties tables children first and restarts their keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"
# schemas whose keys are composite, text, self-referencing or cyclic
UNDO_CASES = [
    "blog",
    "autoincrement",
    "one_to_one",
    "composite_keys",
    "self_reference",
    "cycle_nullable",
    "cycle_not_null",
    "junction",
    "fk_to_unique",
    "quoting",
]


def run(*args: str, input: str | None = None):  # noqa: A002 - Click's own name
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def fill(db, request: str, seed: str = "5"):
    result = run(
        "data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", seed, "--json"
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def snapshot(db) -> dict[str, list[tuple]]:
    return {t: db.rows(t) for t in db.table_names()}


@pytest.mark.parametrize("case", UNDO_CASES)
def test_undo_restores_the_previous_rows_exactly(db, case):
    db.load(ZOO / case / f"{db.dialect}.sql")
    fill(db, "add 10 rows to every table", seed="1")
    before = snapshot(db)
    assert sum(len(r) for r in before.values()) > 0
    payload = fill(db, "add 15 rows to every table", seed="2")
    assert payload["run_id"] is not None
    assert snapshot(db) != before
    result = run("data", "undo", "--db", db.url)
    assert result.exit_code == 0, result.output
    assert f"Undid run {payload['run_id']}" in result.output
    assert snapshot(db) == before
    assert db.verify() == []
    if db.dialect == "postgresql":  # the indexes made for the deletes went with it
        assert db.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'qnl%'") == []


def test_undo_refuses_when_other_rows_reference_the_run(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    fill(db, "add 5 users and 10 posts, only users and posts")
    run_id = fill(db, "add 3 users only", seed="9")["run_id"]
    users = db.rows("users")
    new_user = max(u[0] for u in users)
    post = db.rows("posts")[0][0]
    for body in ("first", "second"):
        db.execute(
            f"INSERT INTO {db.quote('comments')} ({db.quote('post_id')}, {db.quote('user_id')}, "
            f"{db.quote('body')}) VALUES (:p, :u, :b)",
            {"p": post, "u": new_user, "b": body},
        )
    before = snapshot(db)
    result = run("data", "undo", "--db", db.url)
    assert result.exit_code == 9, result.output
    assert f"Run {run_id} cannot be undone" in result.output
    assert "comments: 2 rows reference rows of users" in result.output
    assert "--cascade" in result.output
    assert snapshot(db) == before


def test_cascade_deletes_the_referencing_rows_after_confirmation(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    fill(db, "add 5 users and 10 posts and 4 comments")
    before = snapshot(db)
    fill(db, "add 2 users and 3 posts, only users and posts", seed="8")
    run_posts = [p for p in db.rows("posts") if p not in before["posts"]]
    db.execute(
        f"INSERT INTO {db.quote('comments')} ({db.quote('post_id')}, {db.quote('body')}) "
        "VALUES (:p, 'on a new post')",
        {"p": run_posts[0][0]},
    )
    refused = run("data", "undo", "--db", db.url, "--cascade")  # no terminal, no --yes
    assert refused.exit_code == 8, refused.output
    assert "1 rows of comments" in refused.output and "--yes" in refused.output
    result = run("data", "undo", "--db", db.url, "--cascade", "--yes")
    assert result.exit_code == 0, result.output
    assert snapshot(db) == before


def test_undo_twice_is_a_clear_no_op(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    run_id = fill(db, "add 4 users only")["run_id"]
    assert run("data", "undo", str(run_id), "--db", db.url).exit_code == 0
    again = run("data", "undo", str(run_id), "--db", db.url)
    assert again.exit_code == 0
    assert f"Run {run_id} was already undone" in again.output and "nothing to do" in again.output
    last = run("data", "undo", "--db", db.url)
    assert f"Run {run_id} was already undone" in last.output


def test_runs_lists_this_database_only(make_db, sqlite_db):
    other = make_db("sqlite")
    for target in (sqlite_db, other):
        target.load(ZOO / "blog" / "sqlite.sql")
    first = fill(sqlite_db, "add 4 users only")["run_id"]
    fill(other, "add 6 users only")
    listed = json.loads(run("data", "runs", "--db", sqlite_db.url, "--json").output)
    assert [r["run_id"] for r in listed] == [int(first)]
    assert listed[0]["request"] == "add 4 users only"
    assert listed[0]["rows"]["users"] == 4
    wrong = run("data", "undo", str(first), "--db", other.url)
    assert wrong.exit_code == 9 and "not on" in wrong.output
    unknown = run("data", "undo", "999", "--db", other.url)
    assert unknown.exit_code == 9 and "no run 999" in unknown.output


def test_ledger_keeps_ranges_and_explicit_keys(sqlite_db):
    from querynl.ledger import Ledger

    sqlite_db.load(ZOO / "composite_keys" / "sqlite.sql")
    run_id = fill(sqlite_db, "add 20 regions and 30 stores, only regions and stores")["run_id"]
    run_ = Ledger().get(int(run_id))
    tables = {t.table: t for t in run_.tables}
    assert tables["stores"].ranges and not tables["stores"].keys  # consecutive integers
    assert tables["regions"].columns == ["country_code", "region_code"]
    assert len(tables["regions"].keys) == 20 and not tables["regions"].ranges
    assert json.loads(json.dumps(run_.plan))["seed"] == run_.seed


def test_clear_empties_children_first_and_restarts_keys(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    fill(db, "add 5 users and 10 posts and 10 comments")
    refused = run("data", "clear", "users", "--db", db.url, "--yes")
    assert refused.exit_code == 9
    assert "posts: 10 rows reference users" in refused.output
    hint = refused.output.split("querynl data clear ", 1)[1].split()
    assert hint[0] == "users" and sorted(hint) == ["comments", "posts", "users"]
    ask = run("data", "clear", "--db", db.url)
    assert ask.exit_code == 8 and "10 rows of comments" in ask.output
    assert db.row_counts()["users"] == 5
    result = run("data", "clear", "--db", db.url, "--yes")
    assert result.exit_code == 0, result.output
    assert db.row_counts() == {"users": 0, "posts": 0, "comments": 0}
    again = run("data", "clear", "--db", db.url, "--yes")
    assert again.exit_code == 0
    db.execute(
        f"INSERT INTO {db.quote('users')} ({db.quote('email')}, {db.quote('username')}) "
        "VALUES ('a@example.com', 'a')"
    )
    assert db.rows("users")[0][0] == 1  # the key sequence started again


def test_clear_names_unknown_tables(sqlite_db):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    result = run("data", "clear", "user", "--db", sqlite_db.url, "--yes")
    assert result.exit_code == 5
    assert "There is no table 'user'. Did you mean 'users'?" in result.output
