"""The REPL session in-process: unexpected errors are printed in one line, logged with their
trace (secrets masked), and the session goes on."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from querynl import repl_commands
from querynl.cli import render
from querynl.connection import create_engine
from querynl.redact import register_secret
from querynl.repl import ReplSession, _log_to_file, error_log

ZOO = Path(__file__).parent / "zoo"


@pytest.fixture
def screen(monkeypatch):
    out, err = io.StringIO(), io.StringIO()
    for name, stream in (("_console", out), ("_err_console", err)):
        console = Console(file=stream, width=120, markup=False, soft_wrap=True)
        monkeypatch.setattr(render, name, console)
    return out, err


@pytest.fixture
def boom():
    @repl_commands.command("boom", "", "Fail on purpose (test only).")
    def _boom(session, argument):
        raise RuntimeError("internal bug with password hunter2x in it")

    yield
    repl_commands._REGISTRY.pop("boom")


def test_unexpected_errors_are_logged_and_the_session_goes_on(sqlite_db, tmp_path, screen, boom):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    register_secret("hunter2x")
    log_file = tmp_path / "querynl.log"
    _log_to_file(log_file)
    engine = create_engine(sqlite_db.url)
    session = ReplSession(engine, log_file=log_file)
    try:
        assert session.guarded("\\boom") is True
        out, err = screen
        assert "Unexpected error: RuntimeError: internal bug" in err.getvalue()
        assert f"details in {log_file}" in err.getvalue()
        assert "Traceback" not in err.getvalue()
        logged = log_file.read_text(encoding="utf-8")
        assert "Traceback" in logged and "_boom" in logged
        assert "hunter2x" not in logged + err.getvalue()
        assert session.guarded("SELECT 6 * 7 AS answer") is True
        assert "42" in out.getvalue()
        assert session.guarded("\\quit") is False
    finally:
        engine.dispose()
        for handler in list(error_log.handlers):
            error_log.removeHandler(handler)
            handler.close()


def test_help_lists_every_registered_command(sqlite_db, screen):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    engine = create_engine(sqlite_db.url)
    try:
        ReplSession(engine).guarded("\\help")
    finally:
        engine.dispose()
    out = screen[0].getvalue()
    for cmd in repl_commands.all_commands():
        assert cmd.usage in out
    assert "add 50 users and 200 comments" in out  # examples that fit this schema


def test_a_line_the_parser_reads_is_shown_with_the_data_command_not_run(sqlite_db, screen):
    sqlite_db.load(ZOO / "shop" / "sqlite.sql")
    engine = create_engine(sqlite_db.url)
    try:
        session = ReplSession(engine)
        for line in ("80% of orders shipped", "only products", "how are you"):
            assert session.guarded(line) is True
    finally:
        engine.dispose()
    out = " ".join(screen[0].getvalue().split())
    assert (
        "That reads as a request for data (orders.status: shipped 80%). To run it: "
        "\\data 80% of orders shipped" in out
    )
    assert "To run it: \\data only products" in out
    assert "That is neither SQL nor a request for data. Try: add 20" in out  # "how are you"
    assert sum(sqlite_db.row_counts().values()) == 0  # nothing was run


def test_data_runs_and_undo_in_the_repl(sqlite_db, screen):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    engine = create_engine(sqlite_db.url)
    session = ReplSession(engine, data_defaults={"yes": True, "sample": 0})
    try:
        session.guarded("\\data add 4 users only --seed 3")
        assert sqlite_db.row_counts()["users"] == 4
        session.guarded("\\data runs")
        session.guarded("\\data undo")
        session.guarded("\\data undo 1")
        session.guarded("\\data undo one")
    finally:
        engine.dispose()
    out, err = screen
    assert sqlite_db.row_counts()["users"] == 0
    assert "add 4 users only" in out.getvalue()
    assert "Undid run 1" in out.getvalue()
    assert "Run 1 was already undone" in out.getvalue()
    assert "\\data undo takes a run number" in err.getvalue()


def test_data_clear_in_the_repl(sqlite_db, screen):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    engine = create_engine(sqlite_db.url)
    session = ReplSession(engine, data_defaults={"yes": True, "sample": 0})
    try:
        session.guarded("\\data add 4 users, 6 posts and 9 comments --seed 3")
        counts = sqlite_db.row_counts()
        assert counts == {"users": 4, "posts": 6, "comments": 9}
        session.guarded("\\data clear posts --yes")  # comments point at them: refused
        assert sqlite_db.row_counts() == counts
        session.guarded("\\data clear posts comments --yes")
        assert sqlite_db.row_counts() == {"users": 4, "posts": 0, "comments": 0}
        session.guarded("\\data clear --force")
        assert sqlite_db.row_counts()["users"] == 4  # refused: nothing changed
        session.guarded("\\data clear -y")
    finally:
        engine.dispose()
    out, err = screen
    assert all(n == 0 for n in sqlite_db.row_counts().values())
    said = " ".join(out.getvalue().split())
    assert "Cleared: deleted 9 rows of comments, 6 rows of posts." in said, said
    assert "comments: 9 rows reference posts" in " ".join(err.getvalue().split())
    assert "\\data clear takes table names and --yes; not '--force'" in err.getvalue()
