"""The cycle collector is tuned for a run's duration and put back as it was, also when the
run fails; rows made under it are the rows made without it."""

from __future__ import annotations

import gc
from contextlib import nullcontext
from pathlib import Path

import pytest
from click.testing import CliRunner

from dbkit import MakeDb
from querynl import bulk_gc
from querynl.cli import main
from querynl.errors import GenerationError
from querynl.schema_design import insertion_executor as executor

ZOO = Path(__file__).parent / "zoo"


def test_tuned_inside_and_restored_after() -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    alive = [object()]
    with bulk_gc.collector_paused():
        assert gc.get_threshold()[0] >= bulk_gc.YOUNG_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        assert gc.get_freeze_count() > frozen  # what was alive is out of the collector's way
        assert gc.isenabled()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen
    assert alive


def test_restored_when_the_run_fails() -> None:
    before = gc.get_threshold()
    with pytest.raises(GenerationError), bulk_gc.collector_paused():
        raise GenerationError("no value fits")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_nested_runs_restore_once_at_the_outermost() -> None:
    before = gc.get_threshold()
    with bulk_gc.collector_paused():
        with bulk_gc.collector_paused():
            pass
        assert gc.get_threshold()[0] >= bulk_gc.YOUNG_THRESHOLD  # still the outer run's
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_cycles_made_during_a_run_are_still_collected() -> None:
    class Node:
        pass

    with bulk_gc.collector_paused():
        for _ in range(3 * bulk_gc.YOUNG_THRESHOLD):
            a, b = Node(), Node()
            a.other, b.other = b, a  # type: ignore[attr-defined]
        del a, b
        gc.collect()
        assert not any(type(o) is Node for o in gc.get_objects())


def test_a_run_leaves_the_collector_as_it_was_and_makes_the_same_rows(
    make_db: MakeDb, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = gc.get_threshold()
    found = []
    for tuned in (True, False):
        if not tuned:  # the same run with Python's defaults throughout
            monkeypatch.setattr(executor, "collector_paused", nullcontext)
        db = make_db("sqlite")
        db.load(ZOO / "blog" / "sqlite.sql")
        args = ["data", "add 200 users and 600 posts", "--db", db.url, "--yes", "--seed", "3"]
        result = CliRunner().invoke(main, [*args, "--batch-size", "64"])
        assert result.exit_code == 0, result.output
        assert gc.get_threshold() == before
        assert gc.get_freeze_count() == 0
        assert db.verify() == []
        found.append({t: db.rows(t) for t in ("users", "posts")})
    assert found[0] == found[1]
    assert len(found[0]["posts"]) == 600
