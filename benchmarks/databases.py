"""Databases the benchmark creates, fills with the schema, and drops again.

Server URLs come from ``QUERYNL_BENCH_PG_URL`` and ``QUERYNL_BENCH_MYSQL_URL`` (defaults: the
local servers the test suite uses). Every database is named ``qnl_bench_<pid>_<n>`` and is
dropped when its case ends, whatever happened.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from querynl.connection import normalize_url
from querynl.dialects import dialect_for

from . import schema

SERVERS = {
    "postgresql": os.environ.get(
        "QUERYNL_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
    ),
    "mysql": os.environ.get("QUERYNL_BENCH_MYSQL_URL", "mysql://root@127.0.0.1:3306/mysql"),
}
LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL", "mysql": "MariaDB"}

_names = itertools.count(1)


def server_version(dialect: str) -> str:
    """The server's own version string ("3.40.1" for SQLite)."""
    if dialect == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    engine = sa.create_engine(normalize_url(SERVERS[dialect]))
    try:
        with engine.connect() as conn:
            text = str(conn.exec_driver_sql("SELECT version()").scalar())
            return text.split(" on ")[0].removeprefix("PostgreSQL ")
    finally:
        engine.dispose()


@contextlib.contextmanager
def fresh_database(dialect: str, *, ten_tables: bool = False) -> Iterator[str]:
    """A new database holding the benchmark schema; yields its URL, drops it afterwards."""
    name = f"qnl_bench_{os.getpid()}_{next(_names)}"
    if dialect == "sqlite":
        with tempfile.TemporaryDirectory(prefix="qnl_bench_") as folder:
            path = Path(folder) / f"{name}.db"
            url = f"sqlite:///{path}"
            _load(url, dialect, ten_tables)
            yield url
        return
    admin = sa.create_engine(normalize_url(SERVERS[dialect]), isolation_level="AUTOCOMMIT")
    quoted = dialect_for(dialect).quote(admin, name)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {quoted}")
        url = make_url(SERVERS[dialect]).set(database=name)
        text = url.render_as_string(hide_password=False)
        try:
            _load(text, dialect, ten_tables)
            yield text
        finally:
            with admin.connect() as conn:
                if dialect == "postgresql":
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
                else:
                    conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {quoted}")
    finally:
        admin.dispose()


def _load(url: str, dialect: str, ten_tables: bool) -> None:
    engine = sa.create_engine(normalize_url(url))
    try:
        with engine.begin() as conn:
            for statement in schema.statements(schema.ddl(dialect, ten_tables=ten_tables)):
                conn.exec_driver_sql(statement)
    finally:
        engine.dispose()
