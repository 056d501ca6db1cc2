"""Ctrl+C (SIGINT) at any moment: nothing half-done, an honest message, exit code 130.

The CLI runs as a real process, with plain pipes and once in a pseudo-terminal (where the
progress bars are live). Whenever the interrupt lands, the database holds either all of the
request's rows (the commit was already on its way, and the CLI says so) or none of them, and
the user reads one message, never a stack trace.
"""

from __future__ import annotations

import signal
import sys

import pexpect
import pytest
import sqlalchemy as sa

from faultkit import CliProcess, table_snapshot
from hostile import assert_no_traceback
from test_faults import (
    BIG_REQUEST,
    FLOWING,
    big_insert,
    make_schema,
    wait_for_server_cleanup,
)

pytestmark = pytest.mark.slow

NOTHING = "nothing was inserted"


def test_ctrl_c_while_planning(sqlite_db) -> None:
    db = sqlite_db
    ddl = "\n".join(
        f"CREATE TABLE t{i} (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL, "
        f"email VARCHAR(80) UNIQUE, amount NUMERIC(10, 2) CHECK (amount >= 0)"
        + (f", parent_id INTEGER REFERENCES t{i - 1}(id));" if i else ");")
        for i in range(80)
    )
    db.load(ddl)
    with CliProcess(
        ["--verbose", "data", "add some sample data", "--db", db.url, "--yes", "--sample", "0"]
    ) as cli:
        cli.wait_for(r"DEBUG querynl\.\w+: ")  # reading the schema has begun
        cli.signal(signal.SIGINT)
        code = cli.wait()
    assert code == 130, cli.output[-3000:]
    assert NOTHING in cli.stderr
    assert "batch of" not in cli.stderr, "the interrupt should land before any insert"
    assert_no_traceback(cli.output)
    assert set(db.row_counts().values()) == {0}


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql", "mysql"])
def test_ctrl_c_while_inserting(make_db, dialect: str) -> None:
    db = make_db(dialect)
    make_schema(db)
    before = table_snapshot(db)
    with big_insert(db.url) as cli:
        cli.wait_for(FLOWING)
        cli.signal(signal.SIGINT)
        code = cli.wait()
    assert code == 130, cli.output[-3000:]
    assert_no_traceback(cli.output)
    errors = [line for line in cli.stderr.splitlines() if NOTHING in line]
    assert len(errors) == 1, cli.stderr[-3000:]
    assert "rolled back" in errors[0]
    wait_for_server_cleanup(db)
    assert table_snapshot(db) == before


def test_ctrl_c_in_a_terminal_with_progress_bars(sqlite_db) -> None:
    db = sqlite_db
    make_schema(db)
    before = table_snapshot(db)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "querynl", "data", BIG_REQUEST, "--db", db.url, "--yes", "--sample", "0"],
        env={"COLUMNS": "120", "LINES": "40", "TERM": "xterm", "PATH": "/usr/bin:/bin"},
        encoding="utf-8",
        timeout=60,
        dimensions=(40, 120),
    )
    try:
        child.expect(r"items.*\d+/3,?000,?000")  # the items bar is moving
        child.sendintr()
        child.expect(pexpect.EOF)
    finally:
        child.close()
    output = child.before or ""
    assert child.exitstatus == 130, output[-3000:]
    assert NOTHING in output
    assert_no_traceback(output)
    assert table_snapshot(db) == before


# Moments in a run, as the verbose log and the result show them: inside the first table,
# inside the second, after the last batch, while COMMIT is on its way, after the result.
MOMENTS = {
    "first table": r"owners: batch of",
    "second table": r"items: batch of",
    "tables loaded": r"items: \d+ rows in",
    "commit": r"committing",
    "result printed": r"committed in one transaction",
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_ctrl_c_at_any_moment_is_all_or_nothing(sqlite_db, moment: str) -> None:
    """Wherever the interrupt lands, rows are all in or all out, and the message says which:
    never "nothing was inserted" after a commit."""
    db = sqlite_db
    make_schema(db)
    before = db.row_counts()
    request = "add 100 owners and 60,000 items"
    args = ["--verbose", "data", request, "--db", db.url, "--yes", "--sample", "0"]
    with CliProcess([*args, "--batch-size", "10000"]) as cli:
        cli.wait_for(MOMENTS[moment])
        if cli.proc is not None and cli.proc.poll() is None:
            cli.signal(signal.SIGINT)
        code = cli.wait()
    assert_no_traceback(cli.output)
    after = db.row_counts()
    if after == before:
        assert code == 130 and NOTHING in cli.stderr, cli.output[-3000:]
    else:
        assert after == {"owners": before["owners"] + 100, "items": before["items"] + 60_000}
        assert NOTHING not in cli.output, cli.output[-3000:]
        assert code == 0 or (code == 130 and "they are in" in cli.stderr), cli.output[-3000:]
    if moment in ("first table", "second table"):
        assert after == before
    if moment in ("commit", "result printed"):
        assert after != before
    with db.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA integrity_check")).scalar() == "ok"
