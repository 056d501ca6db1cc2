"""A table's batches through one bulk session: on PostgreSQL one COPY for all of them. The rows
are those of a COPY per batch; a bad row in a later batch, or a failure between batches, ends
the COPY with an error and leaves nothing; a table whose CHECKs the database judges between
batches gets a statement per batch."""

from __future__ import annotations

import logging

import psycopg
import pytest
from click.testing import CliRunner

from dbkit import Database, MakeDb
from querynl.cli import main
from querynl.connection import create_engine
from querynl.dialects import dialect_for
from querynl.errors import GenerationError
from querynl.schema_introspection import introspect

DDL = "CREATE TABLE t (id INT PRIMARY KEY, label TEXT NOT NULL)"


def _session(db: Database, batches, *, exclusive: bool = True) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(db.url)
    try:
        info = introspect(engine).table("t")
        with (
            engine.begin() as conn,
            dialect_for(db.dialect).bulk_session(
                conn, info, ["id", "label"], exclusive=exclusive
            ) as load,
        ):
            for batch in batches:
                load(batch() if callable(batch) else batch)
    finally:
        engine.dispose()


def test_one_copy_carries_every_batch(pg_db: Database, caplog) -> None:
    pg_db.execute(DDL)
    caplog.set_level(logging.DEBUG, logger="querynl.dialect")
    batches = [[(i, f"row {i}") for i in range(k * 100, k * 100 + 100)] for k in range(5)]
    _session(pg_db, batches)
    assert caplog.text.count("COPY ") == 1
    assert pg_db.rows("t") == [row for batch in batches for row in batch]


def test_a_duplicate_in_a_later_batch_leaves_nothing(pg_db: Database) -> None:
    pg_db.execute(DDL)
    batches = [[(1, "a"), (2, "b")], [(3, "c")], [(2, "again")]]
    with pytest.raises(psycopg.errors.UniqueViolation):
        _session(pg_db, batches)
    assert pg_db.rows("t") == []


def test_a_failure_between_batches_ends_the_copy(pg_db: Database) -> None:
    pg_db.execute(DDL)

    def failing() -> list:
        raise GenerationError("no value fits")

    with pytest.raises(GenerationError, match="no value fits"):
        _session(pg_db, [[(1, "a")], failing])
    assert pg_db.rows("t") == []
    pg_db.execute("INSERT INTO t VALUES (1, 'the connection pool still works')")
    assert len(pg_db.rows("t")) == 1


def test_not_exclusive_is_a_statement_per_batch(pg_db: Database, caplog) -> None:
    pg_db.execute(DDL)
    caplog.set_level(logging.DEBUG, logger="querynl.dialect")
    _session(pg_db, [[(1, "a")], [(2, "b")], [(3, "c")]], exclusive=False)
    assert caplog.text.count("COPY ") == 3
    assert len(pg_db.rows("t")) == 3


def test_a_check_judged_between_batches_still_works(make_db: MakeDb) -> None:
    """The database judges a CHECK Python cannot read, on the run's connection, between the
    batches of the same table: those batches cannot share one COPY."""
    db = make_db("postgresql")
    db.execute(
        "CREATE TABLE shifts (id INT PRIMARY KEY, day DATE NOT NULL "
        "CHECK (extract(isodow FROM day) < 6))"
    )
    args = ["data", "add 900 shifts", "--db", db.url, "--yes", "--sample", "0"]
    result = CliRunner().invoke(main, [*args, "--batch-size", "100"])
    assert result.exit_code == 0, result.output
    assert db.verify() == []
    days = [row[1] for row in db.rows("shifts")]
    assert len(days) == 900 and all(d.isoweekday() < 6 for d in days)
