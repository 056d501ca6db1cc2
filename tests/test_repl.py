"""The REPL in a real pseudo-terminal (pexpect), against the real databases.

Each test starts ``python -m querynl repl --db URL`` in a pty, types lines as a person would,
and reads what the terminal shows. prompt_toolkit marks the start and the end of every prompt
with bracketed-paste switches (ESC[?2004h / ESC[?2004l), which is how ``Terminal.run`` knows
that a command has finished and the next prompt is up.
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pexpect
import pytest

ZOO = Path(__file__).parent / "zoo"
_ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][A-Z0-9]|[=>])")
PROMPT_END = "\x1b[?2004l"  # a prompt returned its line
PROMPT_START = "\x1b[?2004h"  # a new prompt is up


def clean(text: str) -> str:
    """What a person reads: no escape sequences, no carriage returns."""
    return _ANSI.sub("", text).replace("\r", "")


class Terminal:
    """A REPL in a pty, 50 lines by 160 columns."""

    def __init__(self, db, tmp_path: Path, *args: str) -> None:
        env = {
            **os.environ,
            "QUERYNL_CONFIG_DIR": str(tmp_path / "config"),
            "PROMPT_TOOLKIT_NO_CPR": "1",
            "TERM": "xterm",
        }
        env.pop("DATABASE_URL", None)
        self.prompt = f"{db.name}>"
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "querynl", "repl", "--db", db.url, *args],
            env=env,
            encoding="utf-8",
            dimensions=(50, 160),
            timeout=90,
        )
        self.banner = self.wait_for_prompt()

    def run(self, line: str) -> str:
        """Type ``line`` and Enter; return what was printed until the next prompt."""
        self.child.sendline(line)
        self.child.expect_exact(PROMPT_END)
        return self.wait_for_prompt()

    def wait_for_prompt(self) -> str:
        self.child.expect_exact(PROMPT_START)
        out = clean(self.child.before)
        self.child.expect_exact(self.prompt)
        return out

    def expect(self, pattern: str) -> str:
        self.child.expect(pattern)
        return clean(self.child.before + self.child.after)

    def quit(self) -> None:
        self.child.sendeof()  # Ctrl+D
        self.child.expect(pexpect.EOF)
        self.child.close()
        assert self.child.exitstatus == 0, self.child.exitstatus


@pytest.fixture
def blog(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    return db


def test_tables_schema_sql_and_routed_sentence(blog, tmp_path):
    term = Terminal(blog, tmp_path)
    assert "(3 tables)" in term.banner
    out = term.run("\\tables")
    for name in ("users", "posts", "comments"):
        assert name in out
    assert "referenced by" in out

    out = term.run("\\schema posts")
    assert "posts (0 rows)" in out
    assert "FK → users(id)" in out
    assert "referenced by: comments(post_id)" in out

    out = term.run("add 7 users")
    assert "→ \\data add 7 users" in out
    assert "Understood: counts users=7" in out
    assert "Inserted" in out
    assert blog.row_counts()["users"] == 7

    out = term.run("SELECT COUNT(*) AS n FROM users")
    assert re.search(r"│ 7\s+│", out), out
    assert "1 row " in out

    out = term.run("UPDATE users SET full_name = 'x' WHERE id IN (1, 2)")
    assert "2 rows affected" in out
    assert term.run("how are you").count("neither SQL nor a request for data") == 1
    term.quit()


def test_schema_shows_types_keys_constraints_and_row_counts(db, tmp_path):
    db.load(ZOO / "shop" / f"{db.dialect}.sql")
    term = Terminal(db, tmp_path)
    assert "Inserted" in term.run("add 4 customers")
    out = term.run("\\schema customers")
    assert "customers (4 rows)" in out
    assert re.search(r"│ id +│ \S+ +│ NOT NULL", out), out
    assert re.search(r"│ email +│ VARCHAR\(120\) +│ NOT NULL +│ +│ UNIQUE", out, re.I), out
    assert "primary key: (id)" in out
    assert re.search(r"unique: (\S+: )?\(email\)", out), out  # with its name where it has one
    assert re.search(r"check: .*vip.*'Y'", out), out
    assert "referenced by: orders(customer_id)" in out
    out = term.run("\\schema orders status")
    assert "orders.status" in out and "shipped" in out and "pending" in out  # enum or CHECK
    term.quit()


def test_errors_never_end_the_repl(blog, tmp_path):
    term = Terminal(blog, tmp_path)
    out = term.run("SELECT * FROM no_such_table")
    assert "Error: The database refused the statement" in out
    out = term.run("\\schema postz")
    assert "There is no table 'postz'. Did you mean 'posts'?" in out
    out = term.run("\\nosuch")
    assert "Unknown command \\nosuch" in out
    out = term.run("\\data add 5 users --seed nope")
    assert "nope" in out and "not a valid integer" in out
    out = term.run("add 5 userz")
    assert "users" in out
    assert "SELECT 1" not in term.run("SELECT 1")  # the prompt still answers
    term.quit()


def test_data_confirmation_yes_and_no(blog, tmp_path):
    term = Terminal(blog, tmp_path, "--confirm-over", "100")
    term.child.sendline("\\data add 150 users --seed 3")
    term.expect(r"Insert 1\d\d rows into \d tables? \([^)]*\)\? \[y/N\]")
    term.child.sendline("n")
    out = term.wait_for_prompt()
    assert "Nothing was inserted." in out
    assert blog.row_counts() == {"users": 0, "posts": 0, "comments": 0}

    term.child.sendline("\\data add 150 users --seed 3")
    term.expect(r"\[y/N\]")
    term.child.sendline("y")
    out = term.wait_for_prompt()
    assert "committed in one transaction" in out
    assert blog.row_counts()["users"] == 150
    assert blog.verify() == []
    term.quit()


def test_ctrl_c_during_a_large_insert_rolls_back(blog, tmp_path):
    term = Terminal(blog, tmp_path)
    term.run("add 5 users and 5 posts")
    before = {t: blog.rows(t) for t in ("users", "posts", "comments")}
    term.child.sendline("\\data add 400000 comments --sample 0 --batch-size 5000")
    term.expect(r"\[y/N\]")
    term.child.sendline("y")
    term.expect(r"[1-9]\d*/400000")  # batches are landing
    term.child.sendintr()
    out = term.wait_for_prompt()
    assert "nothing was inserted" in out
    assert "Traceback" not in out
    assert {t: blog.rows(t) for t in ("users", "posts", "comments")} == before
    out = term.run("SELECT COUNT(*) FROM comments")  # the REPL and the database still work
    assert re.search(rf"│ {len(before['comments'])}\s+│", out), out
    term.quit()


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_ctrl_c_cancels_a_long_query(make_db, tmp_path, dialect):
    db = make_db(dialect)
    db.load(ZOO / "blog" / f"{dialect}.sql")
    term = Terminal(db, tmp_path)
    sleep = "SELECT pg_sleep(30)" if dialect == "postgresql" else "SELECT SLEEP(30)"
    term.child.sendline(f"INSERT INTO users (email, username) VALUES ('a@b.c', 'a'); {sleep}")
    term.child.expect_exact(PROMPT_END)
    time.sleep(1.5)  # the terminal is back in cooked mode and the query is sleeping
    term.child.sendintr()
    out = term.wait_for_prompt()
    assert "Cancelled; the statement was rolled back." in out
    assert blog_counts(db) == 0
    if dialect == "mysql":  # the server stopped the query too (KILL QUERY), not just the client
        running = "SELECT COUNT(*) FROM information_schema.processlist WHERE info = :q"
        assert db.execute(running, {"q": sleep}) == [(0,)]
    assert "1 row" in term.run("SELECT 1 AS still_here")
    term.quit()


def blog_counts(db) -> int:
    return sum(db.row_counts().values())


def test_ctrl_c_at_the_prompt_clears_the_line_and_ctrl_d_exits(sqlite_db, tmp_path):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    term = Terminal(sqlite_db, tmp_path)
    term.child.send("SELECT 'never run'")
    term.child.sendintr()
    term.child.expect_exact(PROMPT_START)
    term.child.expect_exact(term.prompt)
    assert "never run" not in term.run("SELECT 41 + 1")
    term.quit()


def test_tab_completes_commands_and_tables(sqlite_db, tmp_path):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    term = Terminal(sqlite_db, tmp_path)
    term.child.send("\\sche\t")
    term.child.send(" comm\t")
    term.child.send("\r")
    term.child.expect_exact(PROMPT_END)
    out = term.wait_for_prompt()
    assert "comments (0 rows)" in out
    term.quit()
    history = (tmp_path / "config" / "history").read_text(encoding="utf-8")
    assert "\\schema comments" in history
