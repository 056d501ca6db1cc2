"""Batches made ahead in a background thread: the same rows in the same order, errors raised
where the rows are loaded, nothing left running when loading stops early."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from dbkit import Database, MakeDb
from querynl.cli import main
from querynl.dialects import dialect_for
from querynl.errors import GenerationError
from querynl.schema_design import prefetch

ZOO = Path(__file__).parent / "zoo"


def pipelines(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """The tables of every pipeline the executor starts from now on, in order."""
    used: list[frozenset[str]] = []
    real = prefetch.Pipeline

    def pipeline(synth, tables):
        made = real(synth, tables)
        used.append(made.tables)
        return made

    monkeypatch.setattr(prefetch, "Pipeline", pipeline)
    return used


def test_items_come_in_order_and_complete() -> None:
    assert list(prefetch.ahead(iter(range(1000)), depth=3)) == list(range(1000))


def test_a_producer_error_is_raised_in_the_consumer() -> None:
    def failing():
        yield 1
        raise GenerationError("no value fits")

    got = []
    with pytest.raises(GenerationError, match="no value fits"):
        for item in prefetch.ahead(failing()):
            got.append(item)
    assert got == [1]


def test_the_producer_stops_when_the_consumer_stops() -> None:
    made = []

    def endless():
        n = 0
        while True:
            made.append(n)
            yield n
            n += 1

    items = prefetch.ahead(endless(), depth=2)
    assert next(items) == 0
    items.close()
    time.sleep(0.5)
    count = len(made)
    time.sleep(0.3)
    assert len(made) == count <= 5
    assert not any(t.name == "querynl-batches" and t.is_alive() for t in threading.enumerate())


@pytest.mark.parametrize("dialect", ["postgresql", "mysql"])
def test_rows_made_ahead_are_the_rows_made_in_turn(
    dialect: str, make_db: MakeDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeded runs insert the same rows whether batches are made ahead or one after the other."""
    request = "add 300 users, 900 posts and 1500 comments"
    found = []
    used = pipelines(monkeypatch)
    for ahead in (True, False):
        monkeypatch.setattr(type(dialect_for(dialect)), "loads_in_another_process", ahead)
        db: Database = make_db(dialect)
        db.load(ZOO / "blog" / f"{dialect}.sql")
        args = ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", "5"]
        result = CliRunner().invoke(main, [*args, "--batch-size", "128"])
        assert result.exit_code == 0, result.output
        assert db.verify() == []
        found.append({t: db.rows(t) for t in ("users", "posts", "comments")})
    assert used == [{"users", "posts", "comments"}]  # made ahead in the first run only
    assert found[0] == found[1]
    assert len(found[0]["comments"]) == 1500


def test_a_pipeline_gives_each_table_its_batches_in_order() -> None:
    class Synth:
        def __init__(self) -> None:
            self.made: list[str] = []

        def batches(self, table: str):
            for k in range(3):
                self.made.append(f"{table}{k}")
                yield [(table, k)]

    synth = Synth()
    made = prefetch.Pipeline(synth, ["a", "b", "c"])
    time.sleep(0.2)  # made before anyone asks, at most two items ahead
    assert synth.made[:2] == ["a0", "a1"] and len(synth.made) <= 4
    assert [list(made.batches(t)) for t in ("a", "b")] == [
        [[("a", k)] for k in range(3)],
        [[("b", k)] for k in range(3)],
    ]
    made.close()
    time.sleep(0.3)
    assert len(synth.made) <= 9
    assert not any(t.name == "querynl-batches" and t.is_alive() for t in threading.enumerate())


def test_a_pipeline_raises_a_later_tables_error_when_that_table_loads() -> None:
    class Synth:
        def batches(self, table: str):
            if table == "b":
                raise GenerationError("b: no value fits")
            yield [(table,)]

    made = prefetch.Pipeline(Synth(), ["a", "b"])
    assert list(made.batches("a")) == [[("a",)]]  # a loads in full first
    with pytest.raises(GenerationError, match="no value fits"):
        list(made.batches("b"))
    made.close()


def test_tables_after_one_the_database_judges_are_made_in_turn(
    pg_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CHECK the database judges is asked on the run's connection: its table, and every
    table after it, is not made in the pipeline's thread."""
    pg_db.load(
        """
        CREATE FUNCTION is_even(n integer) RETURNS boolean
            LANGUAGE sql IMMUTABLE AS 'SELECT n % 2 = 0';
        CREATE TABLE teams (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL);
        CREATE TABLE players (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            shirt INTEGER NOT NULL CHECK (is_even(shirt))
        );
        CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            player_id INTEGER NOT NULL REFERENCES players(id),
            minute INTEGER NOT NULL
        );
        """
    )
    used = pipelines(monkeypatch)
    args = ["data", "add 30 teams, 400 players and 900 goals", "--db", pg_db.url, "--yes"]
    result = CliRunner().invoke(main, [*args, "--sample", "0", "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert used == [{"teams"}]
    assert pg_db.row_counts() == {"teams": 30, "players": 400, "goals": 900}
    assert pg_db.verify() == []
