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
    used = []
    real = prefetch.ahead
    monkeypatch.setattr(prefetch, "ahead", lambda items: used.append(1) or real(items))
    for ahead in (True, False):
        monkeypatch.setattr(type(dialect_for(dialect)), "loads_in_another_process", ahead)
        db: Database = make_db(dialect)
        db.load(ZOO / "blog" / f"{dialect}.sql")
        args = ["data", request, "--db", db.url, "--yes", "--sample", "0", "--seed", "5"]
        result = CliRunner().invoke(main, [*args, "--batch-size", "128"])
        assert result.exit_code == 0, result.output
        assert db.verify() == []
        found.append({t: db.rows(t) for t in ("users", "posts", "comments")})
    assert len(used) == 3  # made ahead: each table once, in the first run only
    assert found[0] == found[1]
    assert len(found[0]["comments"]) == 1500
