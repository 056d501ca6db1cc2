"""The raw limit: ready-made rows loaded through each database's own fastest bulk path.

The rows are the very rows QueryNL would insert (driver-ready values, synthesized before the
clock starts); only loading them and the COMMIT are timed. Paths:

* SQLite: ``sqlite3`` ``executemany`` in one transaction, with the page cache QueryNL's own
  connections use;
* PostgreSQL: the tables' foreign keys dropped, psycopg 3 ``COPY ... FROM STDIN`` with
  ``write_row``, the keys added back (checking every row at once), as pg_restore loads;
* MariaDB: ``LOAD DATA LOCAL INFILE`` from a tab-separated file written from the rows (the
  writing is timed too) when the server allows it, else PyMySQL's multi-row ``executemany``.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from collections.abc import Sequence
from typing import Any

from sqlalchemy.engine import URL, Engine

from querynl.dialects import dialect_for
from querynl.dialects.sqlite import CACHE_PRAGMA


class Loader:
    """One raw driver connection and one open transaction."""

    path = ""

    def __init__(self, url: URL, engine: Engine) -> None:
        self.url = url
        self.dialect = dialect_for(engine.dialect.name)
        self.engine = engine
        self.seconds = 0.0

    def names(self, table: str, columns: Sequence[str]) -> tuple[str, str]:
        q = self.dialect.quote
        return q(self.engine, table), ", ".join(q(self.engine, c) for c in columns)

    def timed_load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        began = time.perf_counter()
        self.load(table, columns, rows)
        self.seconds += time.perf_counter() - began

    def timed_commit(self) -> None:
        began = time.perf_counter()
        self.finish()
        self.conn.commit()
        self.seconds += time.perf_counter() - began
        self.conn.close()

    def load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """The last step before COMMIT (timed with it)."""


class SQLiteLoader(Loader):
    path = "sqlite3 executemany, one transaction, 64 MiB page cache"

    def __init__(self, url: URL, engine: Engine) -> None:
        import sqlite3

        super().__init__(url, engine)
        self.conn = sqlite3.connect(str(url.database))
        self.conn.execute("PRAGMA foreign_keys = ON")
        self.conn.execute(CACHE_PRAGMA)  # as QueryNL's connections

    def load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        target, cols = self.names(table, columns)
        marks = ", ".join("?" * len(columns))
        self.conn.executemany(f"INSERT INTO {target} ({cols}) VALUES ({marks})", rows)


# The foreign keys of the schema's tables: (table, name, definition).
_PG_FOREIGN_KEYS = """
SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
WHERE con.contype = 'f' AND c.relnamespace = current_schema()::regnamespace
ORDER BY c.relname, con.conname
"""


class PostgreSQLLoader(Loader):
    path = "foreign keys dropped, psycopg COPY FROM STDIN (write_row), keys added back"

    def __init__(self, url: URL, engine: Engine) -> None:
        import psycopg

        super().__init__(url, engine)
        self.conn = psycopg.connect(
            host=url.host, port=url.port, user=url.username, password=url.password,
            dbname=url.database,
        )  # fmt: skip
        self.dropped: list[tuple[str, str, str]] | None = None

    def load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if self.dropped is None:
            self.drop_foreign_keys()
        target, cols = self.names(table, columns)
        with self.conn.cursor() as cursor, cursor.copy(f"COPY {target} ({cols}) FROM STDIN") as cp:
            write = cp.write_row
            for row in rows:
                write(row)

    def drop_foreign_keys(self) -> None:
        with self.conn.cursor() as cursor:
            self.dropped = cursor.execute(_PG_FOREIGN_KEYS).fetchall()
            for table, name, _ in self.dropped:
                target, constraint = self.names(table, [name])
                cursor.execute(f"ALTER TABLE {target} DROP CONSTRAINT {constraint}")

    def finish(self) -> None:
        with self.conn.cursor() as cursor:
            for table, name, definition in self.dropped or []:
                target, constraint = self.names(table, [name])
                cursor.execute(f"ALTER TABLE {target} ADD CONSTRAINT {constraint} {definition}")


class MariaDBLoader(Loader):
    def __init__(self, url: URL, engine: Engine) -> None:
        import pymysql

        super().__init__(url, engine)
        self.conn = pymysql.connect(
            host=url.host, port=url.port or 3306, user=url.username, password=url.password or "",
            database=url.database, charset="utf8mb4", local_infile=True,
        )  # fmt: skip
        with self.conn.cursor() as cursor:
            cursor.execute("SET SESSION time_zone = '+00:00'")
            cursor.execute("SELECT @@local_infile")
            self.infile = bool(int(cursor.fetchone()[0]))
        self.path = (
            "LOAD DATA LOCAL INFILE (tab-separated file written from the rows)"
            if self.infile
            else "PyMySQL multi-row executemany"
        )

    def load(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        target, cols = self.names(table, columns)
        with self.conn.cursor() as cursor:
            if not self.infile:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {target} ({cols}) VALUES ({marks})", rows)
                return
            fd, path = tempfile.mkstemp(suffix=".tsv", prefix="qnl_bench_")
            try:
                with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
                    out.writelines("\t".join(map(tsv_field, row)) + "\n" for row in rows)
                cursor.execute(
                    f"LOAD DATA LOCAL INFILE %s INTO TABLE {target} CHARACTER SET utf8mb4 ({cols})",
                    (path,),
                )
            finally:
                os.unlink(path)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"})


def tsv_field(value: Any) -> str:
    """A value in LOAD DATA's default text format (tabs, backslash escapes, NULL as \\N)."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_ESCAPES)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        return value.isoformat(" ")
    return str(value)


LOADERS: dict[str, type[Loader]] = {
    "sqlite": SQLiteLoader,
    "postgresql": PostgreSQLLoader,
    "mysql": MariaDBLoader,
}
