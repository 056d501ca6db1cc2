"""What a REPL line is: a command, SQL, a request for data, or neither."""

from __future__ import annotations

import pytest

from querynl.line_router import looks_like_data_request, route_line

TABLES = ["users", "posts", "order_items", "categories", "products", "orders"]


@pytest.mark.parametrize(
    "line",
    [
        "add 20 sample orders",
        "populate the products table",
        "fill everything",
        "add some sample data",
        "insert 20 orders",
        "create 10 users",
        "generate 1k posts",
        "50 users and 200 posts",
        "please add a few categories",
        "can you fill every table with 20 rows",
        "add twenty order items",
        "seed the database",
    ],
)
def test_sentences_that_ask_for_data_go_to_data(line: str) -> None:
    assert route_line(line, TABLES, "sqlite").kind == "data"


@pytest.mark.parametrize(
    "line",
    [
        "SELECT * FROM users",
        "select count(*) from orders where status = 'x'",
        "INSERT INTO users (id) VALUES (1)",
        "insert into users values (1)",
        "CREATE TABLE t (id INT)",
        "create index ix on users (id)",
        "update users set name = 'a'",
        "delete from users",
        "WITH x AS (SELECT 1) SELECT * FROM x",
        "PRAGMA table_info(users)",
        "show tables",
        "drop table posts",
        "(SELECT 1)",
        "delete 10 users",  # SQL keyword, not a data verb: the database answers
    ],
)
def test_sql_goes_to_sql(line: str) -> None:
    assert route_line(line, TABLES, "postgresql").kind == "sql"


@pytest.mark.parametrize(
    "line", ["hello", "what is this", "make it faster", "add", "thanks!", "users"]
)
def test_anything_else_is_unknown(line: str) -> None:
    assert route_line(line, TABLES).kind == "unknown"


def test_backslash_commands_keep_their_argument() -> None:
    routed = route_line("  \\schema  order_items  ", TABLES)
    assert (routed.kind, routed.command, routed.argument) == ("command", "schema", "order_items")
    assert route_line("\\Q", TABLES).command == "q"


def test_empty_line() -> None:
    assert route_line("   ", TABLES).kind == "empty"


def test_table_names_by_singular_and_spaces() -> None:
    assert looks_like_data_request("3 order items", TABLES)
    assert looks_like_data_request("add one category", TABLES)
    assert not looks_like_data_request("3 reasons", TABLES)
