"""PostgreSQL exclusion constraints: no two bookings of a room overlap.

``EXCLUDE USING gist (room_id WITH =, during WITH &&)`` is met by construction: the range
column is read as unique, and unique ranges overlap no other row's at all, this run's or an
earlier one's. An exclusion of ``=`` only is a unique set by another name. One QueryNL cannot
meet (an expression) fails with a message that names it.
"""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from dbkit import Database
from querynl.cli import main
from querynl.errors import InsertionError
from querynl.schema_design import test_data_generator as tdg

SCHEMA = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE TABLE rooms (id serial PRIMARY KEY, name text NOT NULL);
CREATE TABLE bookings (
    id serial PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    during tstzrange NOT NULL,
    nights daterange,
    seats int4range,
    EXCLUDE USING gist (room_id WITH =, during WITH &&),
    EXCLUDE USING gist (nights WITH &&),
    EXCLUDE USING gist (room_id WITH =, seats WITH &&)
);
CREATE TABLE badges (
    id serial PRIMARY KEY,
    code text NOT NULL,
    EXCLUDE USING btree (code WITH =)
);
"""


def run(db: Database, request: str) -> Any:
    args = ["data", request, "--db", db.url, "--yes", "--sample", "0"]
    return CliRunner().invoke(main, args, catch_exceptions=False)


def overlaps(db: Database, column: str, by_room: bool) -> int:
    same = "a.room_id = b.room_id AND " if by_room else ""
    return db.execute(
        f"SELECT COUNT(*) FROM bookings a JOIN bookings b ON a.id < b.id "
        f"WHERE {same}a.{column} && b.{column}"
    )[0][0]


def test_ranges_of_an_exclusion_never_overlap(pg_db: Database) -> None:
    pg_db.load(SCHEMA)
    prepared = tdg.prepare("add 10 rooms and 800 bookings", pg_db.engine, tdg.DataOptions())
    bookings = prepared.plan.table("bookings")
    assert all(bookings.column(c).unique for c in ("during", "nights", "seats"))
    for request in ("add 10 rooms and 800 bookings", "add 500 bookings"):  # and after them
        result = run(pg_db, request)
        assert result.exit_code == 0, result.output
    assert pg_db.row_counts()["bookings"] == 1300
    assert overlaps(pg_db, "during", by_room=True) == 0
    assert overlaps(pg_db, "nights", by_room=False) == 0
    assert overlaps(pg_db, "seats", by_room=True) == 0
    assert pg_db.verify() == []


def test_an_exclusion_of_equals_is_a_unique_set(pg_db: Database) -> None:
    pg_db.load(SCHEMA)
    result = run(pg_db, "add 300 badges")
    assert result.exit_code == 0, result.output
    codes = [r[1] for r in pg_db.rows("badges")]
    assert len(codes) == 300 == len(set(codes))


def test_an_exclusion_it_cannot_meet_is_named(pg_db: Database) -> None:
    pg_db.load(
        """
        CREATE TABLE tags (
            id serial PRIMARY KEY,
            label text NOT NULL,
            EXCLUDE USING btree (left(label, 1) WITH =)
        );
        """
    )
    with pytest.raises(InsertionError) as caught:
        tdg.generate_data("add 200 tags", pg_db.url, options=tdg.DataOptions(record=False))
    assert caught.value.constraint == "tags_left_excl"
    assert "exclusion constraint tags_left_excl" in caught.value.message
    assert "nothing was inserted" in caught.value.message
    assert pg_db.row_counts() == {"tags": 0}
