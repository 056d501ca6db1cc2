"""Every zoo schema, filled with "add 100 rows to every table" on its own database, breaks no
constraint: no orphans per foreign key, no duplicate per primary key or UNIQUE, every CHECK
and NOT NULL holds (checked by the database in SQL, independently of QueryNL), and every key
the database generates itself would come out above the rows now there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from dbkit import Database, MakeDb
from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"
CASES = sorted((p.parent.name, p.stem) for p in ZOO.glob("*/*.sql"))

# Tables whose constraints allow fewer rows than asked: a default count shrinks, with a note.
SHRUNK: dict[tuple[str, str], int] = {}


def fill(db: Database, request: str, *extra: str) -> dict:
    args = ["data", request, "--db", db.url, "--yes", "--json", "--seed", "13", *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def schemas(db: Database) -> list[str | None]:
    if db.dialect != "postgresql":
        return [None]
    names = db.inspector().get_schema_names()
    return [None] + sorted(
        n for n in names if n not in ("public", "information_schema") and not n.startswith("pg_")
    )


@pytest.mark.parametrize(
    ("case", "dialect"),
    [pytest.param(c, d, id=f"{c}-{d}", marks=getattr(pytest.mark, d)) for c, d in CASES],
)
def test_zoo_case_fills_without_violations(case: str, dialect: str, make_db: MakeDb) -> None:
    db = make_db(dialect)
    db.load(ZOO / case / f"{dialect}.sql")
    result = fill(db, "add 100 rows to every table")
    assert result["inserted"] == result["planned"]
    for table in db.table_names():
        if table in result["planned"]:
            expected = SHRUNK.get((case, table), 100)
            assert result["planned"][table] == expected, (table, result["notes"])
            if expected != 100:
                assert any(table in note and "shrunk" in note for note in result["notes"])
    for schema in schemas(db):
        assert db.verify(schema) == [], schema
        assert db.verify_sequences(schema) == [], schema
    assert sum(db.row_counts().values()) > 0


def test_non_public_schema_fills_each_schema_and_crosses_them(pg_db: Database) -> None:
    pg_db.load(ZOO / "non_public_schema" / "postgresql.sql")
    app = fill(pg_db, "add 100 rows to every table", "--schema", "app")
    assert app["inserted"] == {"users": 100, "posts": 100}
    public = fill(pg_db, "add 100 rows to every table")
    assert public["inserted"] == {"users": 100, "audit_log": 100}
    assert pg_db.row_counts("app") == {"posts": 100, "users": 100}
    # audit_log.user_id points at app.users, which now holds rows: references are real
    linked = pg_db.execute("SELECT COUNT(*) FROM audit_log a JOIN app.users u ON u.id = a.user_id")[
        0
    ][0]
    assert linked > 50
    assert pg_db.verify() == [] and pg_db.verify("app") == []


def test_cross_schema_parent_is_filled_when_required(pg_db: Database) -> None:
    pg_db.load(ZOO / "non_public_schema" / "postgresql.sql")
    pg_db.execute("ALTER TABLE audit_log ALTER COLUMN user_id SET NOT NULL")
    result = fill(pg_db, "add 30 audit_log")
    assert result["inserted"]["app.users"] > 0
    assert any("app.users" in note for note in result["notes"])
    assert pg_db.verify() == [] and pg_db.verify("app") == []


def test_rows_an_insert_trigger_writes_are_left_to_it(db: Database) -> None:
    db.load(ZOO / "triggers" / f"{db.dialect}.sql")
    result = fill(db, "add 40 products")
    assert result["inserted"] == {"products": 40}
    assert any("product_audit" in note and "trigger" in note for note in result["notes"])
    assert db.row_counts() == {"products": 40, "product_audit": 40}
    slugs = db.execute("SELECT COUNT(*) FROM products WHERE slug IS NOT NULL")[0][0]
    assert slugs == 40
    assert db.verify() == [] and db.verify_sequences() == []


def test_a_type_without_a_generator(pg_db: Database) -> None:
    pg_db.load("CREATE TABLE probes (id integer PRIMARY KEY, q tsquery, lsn pg_lsn);")
    result = fill(pg_db, "add 20 probes")
    assert result["inserted"] == {"probes": 20}
    assert any("probes.q: type tsquery is not generated; left NULL" in n for n in result["notes"])
    pg_db.execute("DELETE FROM probes")
    pg_db.execute("ALTER TABLE probes ALTER COLUMN lsn SET NOT NULL")
    args = ["data", "add 20 probes", "--db", pg_db.url, "--yes", "--seed", "13"]
    refused = CliRunner().invoke(main, args, catch_exceptions=False)
    assert refused.exit_code == 5, refused.output
    assert "Cannot generate values for probes.lsn of type pg_lsn" in refused.output
    assert "Traceback" not in refused.output
    assert pg_db.row_counts() == {"probes": 0}


def test_undeclared_relations_inferred_from_names(db: Database) -> None:
    db.load(ZOO / "undeclared_relation" / f"{db.dialect}.sql")
    db.load(
        "CREATE TABLE order_notes (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL, "
        "userid INTEGER, note VARCHAR(200) NOT NULL);"
    )
    result = fill(db, "add 10 users, 50 orders and 80 order notes", "--infer-relations")
    notes = " ".join(result["notes"])
    for relation in ("orders.user_id -> users.id", "order_notes.order_id -> orders.id"):
        assert f"{relation}: not declared; inferred" in notes
    assert "order_notes.userid -> users.id" in notes
    assert result["inserted"] == {"users": 10, "orders": 50, "order_notes": 80}
    orphans = db.execute(
        "SELECT COUNT(*) FROM orders o WHERE NOT EXISTS "
        "(SELECT 1 FROM users u WHERE u.id = o.user_id)"
    )[0][0]
    assert orphans == 0
    lost = db.execute(
        "SELECT COUNT(*) FROM order_notes n WHERE NOT EXISTS "
        "(SELECT 1 FROM orders o WHERE o.id = n.order_id) OR (n.userid IS NOT NULL AND "
        "NOT EXISTS (SELECT 1 FROM users u WHERE u.id = n.userid))"
    )[0][0]
    assert lost == 0
    without = fill(db, "add 5 orders")  # off by default: plain integers, no note
    assert not any("inferred" in note for note in without["notes"])


def test_an_inferred_relation_never_closes_a_cycle(sqlite_db: Database) -> None:
    sqlite_db.load(
        """
        CREATE TABLE teams (id INTEGER PRIMARY KEY, captain_id INTEGER);
        CREATE TABLE captains (id INTEGER PRIMARY KEY,
                               team_id INTEGER NOT NULL REFERENCES teams (id));
        """
    )
    result = fill(sqlite_db, "add 5 teams and 5 captains", "--infer-relations")
    assert any("would close a cycle: not inferred" in n for n in result["notes"])
    assert sqlite_db.verify() == []
