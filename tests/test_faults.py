"""Faults in the middle of a large insert leave the database exactly as it was.

The CLI runs as a real process and inserts millions of rows; once its log shows rows flowing,
the test strikes: the client is killed with SIGKILL, the server ends the session
(``pg_terminate_backend``, MariaDB ``KILL``), or a TCP proxy between them drops the connection.
Afterwards every table holds exactly the rows it held before, SQLite's file is intact and its
journal rolled back, the next run works, and a client that survives says so in one message
with a non-zero exit, never a stack trace.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from faultkit import (
    CliProcess,
    admin_engine,
    client_sessions,
    inserting_session,
    proxied,
    redirect,
    table_snapshot,
    terminate,
    wait_until,
)
from hostile import assert_no_traceback

pytestmark = pytest.mark.slow

BIG_REQUEST = "add 200 owners and 3,000,000 items"
FLOWING = r"items: batch of \d+ rows loaded"
SERVER_PORTS = {"postgresql": 5432, "mysql": 3306}


def make_schema(db) -> None:
    """Two tables linked by a foreign key, with rows that were there before the run."""
    meta = sa.MetaData()
    owners = sa.Table(
        "owners",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
    )
    items = sa.Table(
        "items",
        meta,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("owner_id", sa.Integer, sa.ForeignKey("owners.id"), nullable=False),
        sa.Column("label", sa.String(40)),
        sa.Column("amount", sa.Numeric(10, 2)),
    )
    meta.create_all(db.engine)
    with db.engine.begin() as conn:
        conn.execute(owners.insert(), [{"id": i, "name": f"owner {i}"} for i in (1, 2, 3)])
        conn.execute(
            items.insert(),
            [
                {"id": i, "owner_id": 1 + i % 3, "label": f"item {i}", "amount": i}
                for i in range(1, 6)
            ],
        )


def big_insert(url: str, *extra: str) -> CliProcess:
    return CliProcess(
        [
            "--verbose",
            "data",
            BIG_REQUEST,
            "--db",
            url,
            "--yes",
            "--sample",
            "0",
            "--seed",
            "9",
            "--batch-size",
            "20000",
            *extra,
        ]
    )


def assert_next_run_works(db, before: dict) -> None:
    with CliProcess(["data", "add 10 owners and 30 items", "--db", db.url, "--yes"]) as cli:
        code = cli.wait()
    assert code == 0, cli.output
    assert_no_traceback(cli.output)
    counts = db.row_counts()
    assert counts == {"owners": len(before["owners"]) + 10, "items": len(before["items"]) + 30}
    assert db.verify() == []


def assert_one_clear_message(cli: CliProcess, *expected: str) -> None:
    """A surviving client: non-zero exit, one error message naming what happened, no trace."""
    assert_no_traceback(cli.output)
    errors = [line for line in cli.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, cli.stderr[-3000:]
    for text in expected:
        assert text in errors[0], errors[0]


def wait_for_server_cleanup(db) -> None:
    """The server has discarded the client's sessions (and rolled back their work)."""
    if db.dialect == "sqlite":
        return
    db.dispose()
    admin = admin_engine(db.dialect)
    try:
        wait_until(
            lambda: not client_sessions(admin, db.dialect, db.name),
            what="the client's sessions to end on the server",
        )
    finally:
        admin.dispose()


# ------------------------------------------------------------------------------- SIGKILL


def test_sigkill_mid_insert_leaves_sqlite_untouched(sqlite_db) -> None:
    db = sqlite_db
    make_schema(db)
    before = table_snapshot(db)
    size = db.path.stat().st_size
    journal = Path(f"{db.path}-journal")
    with big_insert(db.url) as cli:
        cli.wait_for(FLOWING)
        # strike once SQLite has spilled changed pages into the file itself: only the hot
        # journal can undo them now
        wait_until(lambda: db.path.stat().st_size > size, 30, "pages written to the file")
        assert journal.exists(), "the insert should be inside its transaction"
        cli.kill()
        assert cli.wait() == -signal.SIGKILL
    # a fresh connection finds the hot journal and rolls the transaction back
    con = sqlite3.connect(db.path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    assert table_snapshot(db) == before
    assert_next_run_works(db, before)
    assert not journal.exists() and not Path(f"{db.path}-wal").exists()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_sigkill_mid_insert_rolls_back_on_the_server(make_db, dialect: str) -> None:
    db = make_db(dialect)
    make_schema(db)
    before = table_snapshot(db)
    with big_insert(db.url) as cli:
        cli.wait_for(FLOWING)
        cli.kill()
        assert cli.wait() == -signal.SIGKILL
    wait_for_server_cleanup(db)
    assert table_snapshot(db) == before
    assert_next_run_works(db, before)


# ------------------------------------------------------------------------------- server ends it


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_session_terminated_by_the_server(make_db, dialect: str) -> None:
    db = make_db(dialect)
    make_schema(db)
    before = table_snapshot(db)
    admin = admin_engine(dialect)
    try:
        with big_insert(db.url) as cli:
            cli.wait_for(FLOWING)
            session = inserting_session(admin, dialect, db.name)
            assert session is not None, "no session with uncommitted rows found"
            terminate(admin, dialect, session)
            code = cli.wait()
    finally:
        admin.dispose()
    assert code == 3, cli.output[-3000:]
    assert_one_clear_message(cli, "connection", "items", "nothing was inserted")
    wait_for_server_cleanup(db)
    assert table_snapshot(db) == before
    assert_next_run_works(db, before)


# ------------------------------------------------------------------------------- network drops


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_connection_dropped_mid_insert(make_db, dialect: str) -> None:
    db = make_db(dialect)
    make_schema(db)
    before = table_snapshot(db)
    with proxied(SERVER_PORTS[dialect]) as proxy, big_insert(redirect(db.url, proxy.port)) as cli:
        cli.wait_for(FLOWING)
        proxy.cut()
        code = cli.wait()
    assert code == 3, cli.output[-3000:]
    assert_one_clear_message(cli, "connection", "items", "nothing was inserted")
    wait_for_server_cleanup(db)
    assert table_snapshot(db) == before
    assert_next_run_works(db, before)
