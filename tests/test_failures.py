"""Database errors read as facts (kind, table, column, constraint, value) on the real databases,
and the message in plain words that the user sees."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from querynl.connection import create_engine
from querynl.schema_design.insertion_executor import describe_failure
from querynl.schema_introspection import introspect

DDL = """
CREATE TABLE parents (id INTEGER PRIMARY KEY, code VARCHAR(5) NOT NULL,
    CONSTRAINT parents_code_key UNIQUE (code));
CREATE TABLE kids (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL,
    age INTEGER, nick VARCHAR(4),
    CONSTRAINT kids_parent_fk FOREIGN KEY (parent_id) REFERENCES parents (id),
    CONSTRAINT kids_age_check CHECK (age BETWEEN 0 AND 18));
"""

CASES = {
    "unique": ("parents", "INSERT INTO parents VALUES (2, 'abc')"),
    "foreign_key": ("kids", "INSERT INTO kids VALUES (1, 99, 5, 'a')"),
    "check": ("kids", "INSERT INTO kids VALUES (1, 1, 40, 'a')"),
    "not_null": ("parents", "INSERT INTO parents VALUES (3, NULL)"),
}


@pytest.fixture
def engine(db):
    db.load(DDL)
    db.execute("INSERT INTO parents VALUES (1, 'abc')")
    engine = create_engine(db.url)
    yield engine
    engine.dispose()


def failure(engine, table: str, sql: str):
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA foreign_keys = ON")
        with pytest.raises(sa.exc.DBAPIError) as caught:
            conn.exec_driver_sql(sql)
    return describe_failure(caught.value, table, engine, introspect(engine))


@pytest.mark.parametrize("kind", list(CASES))
def test_violations_are_named(engine, kind):
    table, sql = CASES[kind]
    err = failure(engine, table, sql)
    assert err.table == table
    assert "nothing was inserted" in err.message
    assert "Traceback" not in err.message
    if kind == "unique":
        assert err.column == "code"
        assert "already exists" in err.message
        if engine.dialect.name != "sqlite":  # SQLite does not say which value
            assert err.value == "abc"
        assert "generator that cannot repeat" in err.hint
    elif kind == "foreign_key":
        assert "points at no row of its parent table" in err.message
        if engine.dialect.name != "sqlite":  # SQLite names neither column nor constraint
            assert err.column == "parent_id"
            assert err.constraint == "kids_parent_fk"
    elif kind == "check":
        assert "breaks the CHECK constraint" in err.message
        if engine.dialect.name != "sqlite" or "kids_age_check" in err.message:
            assert err.constraint == "kids_age_check"
        assert "saved plan" in err.hint
    elif kind == "not_null":
        assert err.column == "code"
        assert "NOT NULL" in err.message


def test_too_long_values_name_the_column(engine, db):
    if db.dialect == "sqlite":
        pytest.skip("SQLite does not enforce VARCHAR lengths")
    err = failure(engine, "kids", "INSERT INTO kids VALUES (1, 1, 5, 'much too long')")
    assert err.column == "nick" or db.dialect == "postgresql"  # PostgreSQL names no column
    assert "too long" in err.message
    assert "max_length" in err.hint
