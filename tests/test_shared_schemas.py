"""Every schema in the shared collection (Chinook, Northwind, Sakila, Pagila, Employees), filled
with "add 200 rows to every table" on its own database, breaks no constraint and leaves every
sequence and AUTO_INCREMENT counter ahead of the keys it wrote."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dbkit import SHARED_SCHEMAS, MakeDb
from querynl.cli import main

FILES = sorted(
    (p.parent.name, p.stem)
    for p in SHARED_SCHEMAS.glob("*/*.sql")
    if p.stem in ("sqlite", "postgresql", "mysql")
)


@pytest.mark.parametrize(
    ("name", "dialect"),
    [pytest.param(n, d, id=f"{n}-{d}", marks=getattr(pytest.mark, d)) for n, d in FILES],
)
def test_shared_schema_fills_without_violations(name: str, dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    db.load_shared(name)
    args = ["data", "add 200 rows to every table", "--db", db.url, "--yes", "--json"]
    result = CliRunner().invoke(main, [*args, "--seed", "21"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["inserted"] == payload["planned"]
    for table, count in payload["planned"].items():
        assert count == 200 or any(table in n for n in payload["notes"]), (table, count)
    assert db.verify() == []
    assert db.verify_sequences() == []


def test_the_shared_collection_is_there() -> None:
    assert len(FILES) >= 10, f"expected the shared schemas under {SHARED_SCHEMAS}"
