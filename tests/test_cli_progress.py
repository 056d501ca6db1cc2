"""`querynl data` on a real terminal (pexpect): spinner, progress bars with rows/s, the
confirmation question, and Ctrl+C during the insert (rollback, exit 130)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pexpect

from test_repl import clean

ZOO = Path(__file__).parent / "zoo"


def spawn(*args: str, tmp_path: Path) -> pexpect.spawn:
    env = {**os.environ, "QUERYNL_CONFIG_DIR": str(tmp_path / "config"), "TERM": "xterm"}
    env.pop("DATABASE_URL", None)
    return pexpect.spawn(
        sys.executable,
        ["-m", "querynl", *args],
        env=env,
        encoding="utf-8",
        dimensions=(50, 160),
        timeout=120,
    )


def test_progress_and_result_on_a_terminal(db, tmp_path):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    child = spawn(
        "data",
        "add 3000 users, 40 posts and 60 comments",
        "--db",
        db.url,
        "--sample",
        "1",
        tmp_path=tmp_path,
    )
    child.expect(
        r"Insert 3,100 rows into 3 tables \((under a second|about \d+ seconds?)\)\? \[y/N\]"
    )
    shown = clean(child.before)
    assert "Reading the schema and planning" in shown  # the spinner ran
    assert "INSERT preview" in shown and "INSERT INTO" in shown
    child.sendline("y")
    child.expect(pexpect.EOF)
    out = clean(child.before)
    child.close()
    assert child.exitstatus == 0, out
    assert "3000/3000" in out and "rows/s" in out  # the progress bar, with its rate
    assert re.search(r"rows/s +\d+:\d\d:\d\d", out), out  # and the time left
    assert "3,100 rows in" in out and "committed in one transaction" in out
    assert db.row_counts() == {"users": 3000, "posts": 40, "comments": 60}


def test_answering_no_inserts_nothing(sqlite_db, tmp_path):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    child = spawn("data", "add 2000 users", "--db", sqlite_db.url, tmp_path=tmp_path)
    child.expect(r"\[y/N\]")
    child.sendline("")  # Enter takes the default, which is no
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Nothing was inserted." in clean(child.before)
    assert sqlite_db.row_counts() == {"users": 0, "posts": 0, "comments": 0}


def test_ctrl_c_during_the_insert_exits_130_and_rolls_back(db, tmp_path):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    child = spawn(
        "data",
        "add 400000 users",
        "--db",
        db.url,
        "--yes",
        "--sample",
        "0",
        "--batch-size",
        "5000",
        tmp_path=tmp_path,
    )
    child.expect(r"[1-9]\d*/400000")  # batches are landing
    child.sendintr()
    child.expect(pexpect.EOF)
    out = clean(child.before)
    child.close()
    assert child.exitstatus == 130, out
    assert "rolled back and nothing was inserted" in out
    assert "Traceback" not in out
    assert db.row_counts() == {"users": 0, "posts": 0, "comments": 0}
