"""The run ledger file: keys kept compactly and read back as the values that were bound,
database names without secrets, one file per data folder."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy.engine import make_url

from querynl.ledger import (
    Ledger,
    Run,
    TableKeys,
    data_dir,
    database_label,
    decode_value,
    encode_value,
)


def test_consecutive_integers_become_ranges_and_the_rest_stays_explicit():
    keys = TableKeys("t", ["id"])
    keys.add([(1,), (2,), (3,), (7,), (9,), (10,)])
    keys.add([(11,), ("x",)])
    compact = keys.compact()
    assert compact.ranges == [[1, 3], [9, 11]]
    assert compact.keys == [(7,), ("x",)]
    assert compact.rows == 8


def test_composite_keys_are_tuples():
    keys = TableKeys("t", ["a", "b"])
    keys.add([(1, "x"), (2, "y")])
    assert keys.compact().keys == [(1, "x"), (2, "y")] and keys.compact().ranges == []


def test_values_round_trip_through_json():
    values = [
        Decimal("12.50"),
        dt.datetime(2024, 2, 29, 23, 59, 58, 123456),
        dt.date(1999, 12, 31),
        dt.time(12, 30),
        uuid.UUID("12345678-1234-5678-1234-567812345678"),
        b"\x00\xff'",
        "it's",
        42,
        None,
    ]
    for value in values:
        assert decode_value(encode_value(value)) == value


def test_database_label_has_no_secret_and_no_driver(tmp_path):
    url = make_url("postgresql+psycopg://me:s3cret@db:5432/shop?sslmode=require")
    assert database_label(url) == "postgresql://me@db:5432/shop"
    assert database_label(make_url("mariadb+pymysql://root:pw@h/x")) == "mysql://root@h/x"
    path = tmp_path / "a.db"
    assert database_label(make_url(f"sqlite:///{path}")) == f"sqlite:///{path.resolve()}"


def test_ledger_lives_in_the_data_folder(tmp_path):
    assert data_dir({"QUERYNL_DATA_DIR": str(tmp_path)}) == tmp_path
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    keys = TableKeys("users", ["id"], 3, [[1, 3]], [])
    run = Run(
        None,
        "2026-01-01T00:00:00+00:00",
        "sqlite:///x.db",
        None,
        "sqlite",
        "add 3 users",
        7,
        {"seed": 7},
        [keys],
    )
    run_id = ledger.record(run)
    assert [r.id for r in ledger.runs("sqlite:///x.db")] == [run_id]
    assert ledger.runs("sqlite:///other.db") == []
    back = ledger.get(run_id)
    assert back is not None and back.tables[0].ranges == [[1, 3]] and back.plan == {"seed": 7}
    ledger.mark_undone(run_id)
    assert ledger.get(run_id).undone_at is not None
