"""Rows made by a forked child (large SQLite runs): the same rows as made in turn, a failure
in the child raised in the parent with nothing inserted, and no child left behind whatever
happens in the parent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from dbkit import Database, MakeDb
from querynl.cli import main
from querynl.connection import create_engine
from querynl.dialects import dialect_for
from querynl.errors import GenerationError
from querynl.schema_design import insertion_executor, producer
from querynl.schema_design.data_synthesizer import DataSynthesizer
from querynl.schema_design.test_data_generator import DataOptions, prepare

ZOO = Path(__file__).parent / "zoo"
REQUEST = "add 300 users, 900 posts and 1500 comments"
TABLES = ("users", "posts", "comments")


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every run uses the child, whatever its size; the children's process ids."""
    made: list[int] = []
    real = producer.Producer.__init__

    def recording(self, synth, tables):  # type: ignore[no-untyped-def]
        real(self, synth, tables)
        made.append(self.pid)

    monkeypatch.setattr(producer, "MIN_ROWS", 0)
    monkeypatch.setattr(producer.Producer, "__init__", recording)
    return made


def _gone(pid: int) -> bool:
    """The process has ended and was collected (no zombie left)."""
    return not Path(f"/proc/{pid}").exists()


def _run(db: Database, *extra: str):
    args = ["data", REQUEST, "--db", db.url, "--yes", "--sample", "0", "--seed", "11"]
    return CliRunner().invoke(main, [*args, "--batch-size", "128", *extra])


def test_the_child_makes_the_rows_made_in_turn(
    make_db: MakeDb, children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    found = []
    for forked in (True, False):
        if not forked:
            monkeypatch.setattr(producer, "MIN_ROWS", 10**12)
        db = make_db("sqlite")
        db.load(ZOO / "blog" / "sqlite.sql")
        result = _run(db)
        assert result.exit_code == 0, result.output
        assert db.verify() == []
        found.append({t: db.rows(t) for t in TABLES})
    assert len(children) == 1 and _gone(children[0])
    assert found[0] == found[1]
    assert len(found[0]["comments"]) == 1500


def _break_table(monkeypatch: pytest.MonkeyPatch, table: str, action) -> None:  # type: ignore[no-untyped-def]
    """Making ``table``'s batches runs ``action`` (in the child) instead."""
    real = DataSynthesizer.batches

    def broken(self, name):  # type: ignore[no-untyped-def]
        if name == table:
            action()
        return real(self, name)

    monkeypatch.setattr(DataSynthesizer, "batches", broken)


def _nothing_stays(db: Database, children: list[int], result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == GenerationError.exit_code, result.output
    assert "Traceback" not in result.output
    assert db.row_counts() == {t: 0 for t in TABLES}
    assert children and all(_gone(pid) for pid in children)
    return result.output


def test_a_failure_in_the_child_is_raised_here_and_nothing_stays(
    sqlite_db: Database, children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_value() -> None:
        message = "comments: no value satisfies the CHECK on body."
        raise GenerationError(message, table="comments", hint="Relax it.")

    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    _break_table(monkeypatch, "comments", no_value)
    output = _nothing_stays(sqlite_db, children, _run(sqlite_db))
    assert "no value satisfies the CHECK on body" in output
    assert "Relax it." in output  # the hint travelled with the error


def test_a_child_that_dies_is_a_clear_error(
    sqlite_db: Database, children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    _break_table(monkeypatch, "posts", lambda: os._exit(9))  # as if killed
    assert "stopped unexpectedly" in _nothing_stays(sqlite_db, children, _run(sqlite_db))


def test_a_failure_here_stops_the_child(
    sqlite_db: Database, children: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    real = insertion_executor.InsertionExecutor._load
    loads = []

    def failing(self, load, target, rows):  # type: ignore[no-untyped-def]
        loads.append(target.name)
        if target.name == "posts":
            raise GenerationError("posts: stopped here on purpose.", table="posts")
        return real(self, load, target, rows)

    monkeypatch.setattr(insertion_executor.InsertionExecutor, "_load", failing)
    assert "stopped here on purpose" in _nothing_stays(sqlite_db, children, _run(sqlite_db))
    assert loads[0] == "users" and loads[-1] == "posts"  # users were in, and rolled back


def test_where_the_child_is_not_used(
    make_db: MakeDb, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(producer, "MIN_ROWS", 0)

    def synthesizer(db: Database, request: str) -> tuple[object, DataSynthesizer]:
        engine = create_engine(db.url)
        prepared = prepare(request, engine, DataOptions(seed=1))
        synth = DataSynthesizer(prepared.plan, prepared.meta, dialect_for(db.dialect))
        with engine.connect() as conn:
            synth.compile(conn)
            conn.rollback()
        engine.dispose()
        return prepared.plan, synth

    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    assert producer.usable(*synthesizer(sqlite_db, REQUEST))
    monkeypatch.setattr(producer, "MIN_ROWS", 10**6)
    assert not producer.usable(*synthesizer(sqlite_db, REQUEST))  # too small to gain
    monkeypatch.setattr(producer, "MIN_ROWS", 0)
    server = make_db("postgresql")
    server.load(ZOO / "blog" / "postgresql.sql")
    assert not producer.usable(*synthesizer(server, REQUEST))  # the server has the other core
