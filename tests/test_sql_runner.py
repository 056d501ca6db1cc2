"""SQL typed at the REPL, run on the real databases: rows, counts, errors, rollback."""

from __future__ import annotations

import pytest

from querynl.connection import create_engine
from querynl.errors import SqlError
from querynl.sql_runner import run_sql, split_statements


@pytest.fixture
def engine(db):
    db.execute("CREATE TABLE items (id INTEGER PRIMARY KEY, name VARCHAR(40))")
    engine = create_engine(db.url)
    yield engine
    engine.dispose()


def test_select_returns_rows_and_columns(db, engine):
    run_sql(engine, "INSERT INTO items VALUES (1, 'a%b'), (2, 'it''s')")
    [result] = run_sql(engine, "SELECT id, name FROM items WHERE name LIKE 'a%' ORDER BY id")
    assert result.returns_rows
    assert result.columns == ["id", "name"]
    assert result.rows == [(1, "a%b")]


def test_writes_report_affected_rows_and_commit(db, engine):
    [insert] = run_sql(engine, "INSERT INTO items VALUES (1, 'x'), (2, 'y'), (3, 'z')")
    assert not insert.returns_rows
    assert insert.rowcount == 3
    [update] = run_sql(engine, "UPDATE items SET name = 'w' WHERE id < 3")
    assert update.rowcount == 2
    assert db.rows("items") == [(1, "w"), (2, "w"), (3, "z")]


def test_several_statements_run_in_order(db, engine):
    results = run_sql(engine, "INSERT INTO items VALUES (1, ';'); SELECT name FROM items;")
    assert [r.returns_rows for r in results] == [False, True]
    assert results[1].rows == [(";",)]


def test_a_failing_statement_rolls_back_the_line(db, engine):
    with pytest.raises(SqlError) as caught:
        run_sql(engine, "INSERT INTO items VALUES (1, 'x'); INSERT INTO items VALUES (1, 'dup')")
    assert "statement 2 of 2" in caught.value.message
    assert "rolled back" in caught.value.message
    assert db.row_counts() == {"items": 0}
    run_sql(engine, "INSERT INTO items VALUES (1, 'x')")  # the connection is still usable
    assert db.row_counts() == {"items": 1}


def test_syntax_error_is_one_message(engine):
    with pytest.raises(SqlError) as caught:
        run_sql(engine, "SELEC 1")
    assert caught.value.message.startswith("The database refused the statement: ")
    assert "SELEC" in caught.value.message


def test_long_results_are_cut(db, engine):
    values = ", ".join(f"({i}, 'n{i}')" for i in range(1, 31))
    run_sql(engine, f"INSERT INTO items VALUES {values}")
    [result] = run_sql(engine, "SELECT * FROM items", max_rows=10)
    assert len(result.rows) == 10
    assert result.truncated


def test_split_statements_respects_strings_and_comments():
    text = "SELECT ';' AS x; -- a comment; with a semicolon\nSELECT 2;\n  ;  "
    assert split_statements(text, "postgresql") == [
        "SELECT ';' AS x",
        "-- a comment; with a semicolon\nSELECT 2",
    ]
    assert split_statements("  -- nothing\n", "sqlite") == []
