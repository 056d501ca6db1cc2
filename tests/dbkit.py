"""Real test databases on SQLite, PostgreSQL and MySQL/MariaDB.

A ``Server`` creates and removes databases on one engine; a ``Database`` is one of them, with
the helpers tests need (load a DDL script, count rows, read rows in a stable order, verify
integrity). ``Servers`` hands out databases named from one session prefix, so cleaning up can
never touch a database this test session did not create.

    servers = Servers("qnl_1234_abcd")
    db = servers.create("postgresql", tmp_path)
    db.load("CREATE TABLE t (id int PRIMARY KEY);")
    db.execute("INSERT INTO t VALUES (:id)", {"id": 1})
    assert db.row_counts() == {"t": 1} and db.verify() == []
    servers.release(db)
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.pool import NullPool

from integrity import quote_identifier, sequence_problems, sql_text, verify_integrity

DIALECTS = ("sqlite", "postgresql", "mysql")
SHARED_SCHEMAS = Path(os.environ.get("QUERYNL_SHARED_SCHEMAS", "/work/shared/schemas"))

PG_URL_ENV = "QUERYNL_TEST_PG_URL"
MYSQL_URL_ENV = "QUERYNL_TEST_MYSQL_URL"
# Set to 0 to give every PostgreSQL test a database made by CREATE DATABASE (slower).
PG_RECYCLE_ENV = "QUERYNL_TEST_PG_RECYCLE"

_ALIASES = {
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "postgresql": "postgresql",
    "postgres": "postgresql",
    "pg": "postgresql",
    "mysql": "mysql",
    "mariadb": "mysql",
}
_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg", "mysql": "mysql+pymysql"}


class ServerUnavailable(RuntimeError):
    """The database server for a dialect cannot be reached."""


class LoadError(RuntimeError):
    """A DDL script failed to load; the message carries the database's own error."""


def canonical_dialect(name: str) -> str:
    """``"postgres"`` → ``"postgresql"``, ``"mariadb"`` → ``"mysql"``; unknown names raise."""
    try:
        return _ALIASES[name.lower()]
    except KeyError:
        raise ValueError(f"unknown dialect {name!r}; use one of {', '.join(DIALECTS)}") from None


def parse_admin_url(text: str) -> URL:
    """A server URL as people write it; any driver suffix is dropped (the kit picks drivers)."""
    url = make_url(text.strip())
    return url.set(drivername=canonical_dialect(url.drivername.partition("+")[0]))


def plain_url(url: URL) -> str:
    """The URL without a driver, the way a user types it (``mysql://root@host:3306/db``)."""
    base = url.drivername.partition("+")[0]
    return url.set(drivername=base).render_as_string(hide_password=False)


def driver_url(url: URL) -> URL:
    """The same URL with the driver the project ships (psycopg 3, PyMySQL, sqlite3)."""
    dialect = canonical_dialect(url.drivername.partition("+")[0])
    return url.set(drivername=_DRIVERS[dialect])


# --------------------------------------------------------------------------- rows, sorted


def _value_key(value: Any) -> tuple[Any, ...]:
    """A sort key that orders any mix of values a driver returns.

    Values of one kind compare naturally; kinds are ranked so that None, numbers, text, bytes
    and dates never meet in one comparison. Unknown kinds (dicts from JSON, ranges, network
    addresses) sort by a canonical text form, which keeps equal values equal.
    """
    if value is None:
        return (0,)
    if isinstance(value, (bool, int, float, Decimal)):
        if isinstance(value, (float, Decimal)) and math.isnan(value):
            return (1, 1, 0)
        return (1, 0, value)
    if isinstance(value, str):
        return (2, value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return (3, bytes(value))
    if isinstance(value, (datetime, time)):
        # Aware and naive values cannot be compared with each other.
        return (4, type(value).__name__, value.tzinfo is not None, value)
    if isinstance(value, date):
        return (5, value)
    if isinstance(value, timedelta):
        return (6, value)
    if isinstance(value, (list, tuple)):
        return (7, tuple(_value_key(item) for item in value))
    return (8, type(value).__qualname__, _canonical_text(value))


def _canonical_text(value: Any) -> str:
    if isinstance(value, dict):
        return json.dumps(value, sort_keys=True, default=str)
    return str(value)


def sort_rows(rows: Iterable[Sequence[Any]]) -> list[tuple[Any, ...]]:
    """Rows as tuples in a stable order, for exact before/after comparisons."""
    return sorted((tuple(row) for row in rows), key=lambda row: tuple(map(_value_key, row)))


# --------------------------------------------------------------------------- the database


class Database:
    """One database of a test: its URLs, a lazy engine and inspection helpers."""

    def __init__(self, server: Server, url: URL) -> None:
        self.server = server
        self.dialect: str = server.dialect
        self._url = url
        self._engine: Engine | None = None
        self.dropped = False

    def __repr__(self) -> str:
        return f"<Database {self.dialect} {self.name}>"

    @property
    def name(self) -> str:
        """The database name (for SQLite, the file name)."""
        return (
            Path(self._url.database or "").name
            if self.dialect == "sqlite"
            else str(self._url.database)
        )

    @property
    def url(self) -> str:
        """The URL as a user writes it, without a driver suffix."""
        return plain_url(self._url)

    @property
    def sa_url(self) -> str:
        """The SQLAlchemy URL with the project's drivers."""
        return self.server.engine_url(self._url).render_as_string(hide_password=False)

    @property
    def path(self) -> Path | None:
        """The SQLite file; None for server databases."""
        return Path(self._url.database or "") if self.dialect == "sqlite" else None

    @property
    def engine(self) -> Engine:
        """A SQLAlchemy engine, made on first use and disposed when the database is released."""
        if self._engine is None:
            self._engine = self.server.make_engine(self._url)
        return self._engine

    def dispose(self) -> None:
        """Close the pooled connections of this helper's engine."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def quote(self, name: str) -> str:
        """An identifier quoted by this database's dialect, for SQL given as text."""
        return quote_identifier(self.engine.dialect, name)

    def qualified(self, table: str, schema: str | None = None) -> str:
        """A quoted table name, schema-qualified when a schema is given."""
        return self.quote(table) if schema is None else f"{self.quote(schema)}.{self.quote(table)}"

    def execute(
        self, sql: str | sa.Executable, params: dict[str, Any] | list[dict[str, Any]] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run one statement in its own committed transaction; rows come back as tuples.

        Plain strings are SQLAlchemy ``text()``: bind values as ``:name``. A list of dicts
        runs the statement once per dict (executemany).
        """
        statement = sa.text(sql) if isinstance(sql, str) else sql
        with self.engine.begin() as conn:
            result = (
                conn.execute(statement, params) if params is not None else conn.execute(statement)
            )
            return [tuple(row) for row in result] if result.returns_rows else []

    def load(self, script: str | os.PathLike[str]) -> None:
        """Run a DDL script (a path, or the SQL text itself) the way the dialect's own tools do."""
        self.server.load_script(self, _script_text(script))

    def load_shared(self, name: str) -> None:
        """Load ``/work/shared/schemas/<name>/<dialect>.sql``."""
        path = SHARED_SCHEMAS / name / f"{self.dialect}.sql"
        if not path.is_file():
            raise FileNotFoundError(f"no {self.dialect} schema named {name!r} (looked for {path})")
        self.load(path)

    def inspector(self) -> sa.Inspector:
        """A fresh Inspector (they cache, so take a new one after DDL)."""
        return sa.inspect(self.engine)

    def table_names(self, schema: str | None = None) -> list[str]:
        """Base tables (no views) in the default schema or the one given, sorted."""
        return sorted(self.inspector().get_table_names(schema=schema))

    def row_counts(self, schema: str | None = None) -> dict[str, int]:
        """``{table: number of rows}`` for every table of the schema."""
        with self.engine.connect() as conn:
            return {
                table: conn.execute(
                    sql_text(f"SELECT COUNT(*) FROM {self.qualified(table, schema)}")
                ).scalar_one()
                for table in self.table_names(schema)
            }

    def rows(self, table: str, schema: str | None = None) -> list[tuple[Any, ...]]:
        """Every row of a table as tuples, sorted so two databases can be compared exactly."""
        with self.engine.connect() as conn:
            result = conn.execute(sql_text(f"SELECT * FROM {self.qualified(table, schema)}"))
            return sort_rows(result)

    def verify(self, schema: str | None = None) -> list[str]:
        """Constraint problems found by ``integrity.verify_integrity``; [] when all is well."""
        return verify_integrity(self.engine, schema)

    def verify_sequences(self, schema: str | None = None) -> list[str]:
        """Generated keys (sequences, AUTO_INCREMENT) whose next value is already taken."""
        return sequence_problems(self.engine, schema)

    def drop(self) -> None:
        """Remove the database now (fixtures also do this at teardown)."""
        self.dispose()
        if not self.dropped:
            self.server.destroy(self)
            self.dropped = True


def _script_text(script: str | os.PathLike[str]) -> str:
    if isinstance(script, os.PathLike):
        return Path(script).read_text(encoding="utf-8")
    looks_like_path = "\n" not in script and script.rstrip().endswith(".sql")
    if looks_like_path and Path(script).is_file():
        return Path(script).read_text(encoding="utf-8")
    return script


# --------------------------------------------------------------------------- servers


class Server:
    """Creates, loads and drops databases on one engine. Subclasses hold what differs."""

    dialect: ClassVar[str]
    label: ClassVar[str]
    default_port: ClassVar[int] = 0
    connect_args: ClassVar[dict[str, Any]] = {}

    def __init__(self, admin_url: URL) -> None:
        self.admin_url = admin_url
        self._admin: Engine | None = None
        self._unavailable: ServerUnavailable | None = None
        self._checked = False

    # -- reachability

    @property
    def where(self) -> str:
        return f"{self.admin_url.host or 'localhost'}:{self.admin_url.port or self.default_port}"

    def ensure_available(self) -> None:
        """Raise ServerUnavailable (once checked, from cache) when the server does not answer."""
        if not self._checked:
            self._checked = True
            try:
                with self.admin().connect() as conn:
                    conn.execute(sa.text("SELECT 1"))
            except Exception as exc:  # any failure at all means "not reachable"
                reason = _first_line(getattr(exc, "orig", None) or exc)
                self._unavailable = ServerUnavailable(
                    f"{self.label} at {self.where} is not reachable: {reason}"
                )
        if self._unavailable is not None:
            raise self._unavailable

    def admin(self) -> Engine:
        """An autocommit engine on the server's maintenance database."""
        if self._admin is None:
            self._admin = sa.create_engine(
                self.engine_url(self.admin_url),
                isolation_level="AUTOCOMMIT",
                pool_size=1,
                max_overflow=2,
                connect_args=self.connect_args,
            )
        return self._admin

    def close(self) -> None:
        if self._admin is not None:
            self._admin.dispose()
            self._admin = None

    # -- engines

    def engine_url(self, url: URL) -> URL:
        return driver_url(url)

    def make_engine(self, url: URL) -> Engine:
        return sa.create_engine(self.engine_url(url), connect_args=self.connect_args)

    # -- database lifecycle

    def create(self, name: str, directory: Path) -> Database:
        """A new empty database called ``name``."""
        self.ensure_available()
        self.create_database(name)
        return Database(self, self.admin_url.set(database=name))

    def release(self, db: Database) -> None:
        """Done with a database: by default, drop it."""
        db.drop()

    def destroy(self, db: Database) -> None:
        self.drop_database(db.name)

    def create_database(self, name: str) -> None:
        raise NotImplementedError

    def drop_database(self, name: str) -> None:
        raise NotImplementedError

    def database_names(self) -> list[str]:
        raise NotImplementedError

    def drop_all(self, prefix: str) -> list[str]:
        """Drop every database whose name starts with ``prefix`` + ``_``; return their names."""
        if not self._checked or self._unavailable is not None:
            return []
        names = [name for name in self.database_names() if name.startswith(prefix + "_")]
        for name in names:
            self.drop_database(name)
        return names

    def quote(self, name: str) -> str:
        return quote_identifier(self.admin().dialect, name)

    # -- loading scripts

    client_names: ClassVar[tuple[str, ...]] = ()

    def client(self) -> str | None:
        """The command-line client, or None when it is not installed."""
        return next(filter(None, map(shutil.which, self.client_names)), None)

    def load_script(self, db: Database, text: str) -> None:
        client = self.client()
        if client is None:
            self.load_with_driver(db, text)
        else:
            self.load_with_client(db, client, text)

    def load_with_client(self, db: Database, client: str, text: str) -> None:
        raise NotImplementedError

    def load_with_driver(self, db: Database, text: str) -> None:
        raise NotImplementedError


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _run_client(args: list[str], text: str, env: dict[str, str], what: str) -> None:
    done = subprocess.run(
        args, input=text.encode("utf-8"), env=env, capture_output=True, timeout=600
    )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
        raise LoadError(f"{what} failed (exit {done.returncode}): {detail}")


class SQLiteServer(Server):
    """SQLite "server": files in a directory; nothing to reach."""

    dialect = "sqlite"
    label = "SQLite"

    def __init__(self, directory: Path) -> None:
        super().__init__(URL.create("sqlite"))
        self.directory = directory
        self._checked = True

    def create(self, name: str, directory: Path) -> Database:
        path = Path(directory) / f"{name}.db"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        return Database(self, URL.create("sqlite", database=str(path)))

    def make_engine(self, url: URL) -> Engine:
        engine = sa.create_engine(self.engine_url(url))
        sa.event.listen(engine, "connect", _sqlite_foreign_keys_on)
        return engine

    def destroy(self, db: Database) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{db.path}{suffix}").unlink(missing_ok=True)

    def drop_all(self, prefix: str) -> list[str]:
        return []  # files live in pytest's tmp directories, which pytest removes

    def load_script(self, db: Database, text: str) -> None:
        raw = db.engine.raw_connection()
        try:
            raw.dbapi_connection.executescript(text)  # type: ignore[union-attr]
            raw.commit()
        except Exception as exc:
            raise LoadError(f"SQLite could not load the script: {exc}") from exc
        finally:
            raw.close()


def _sqlite_foreign_keys_on(dbapi_connection: Any, _record: Any) -> None:
    # SQLite ignores foreign keys unless each connection asks for them.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


class PostgresServer(Server):
    """PostgreSQL: one database per test, recycled between tests unless told otherwise.

    CREATE DATABASE copies the template through the WAL and DROP DATABASE waits for
    the checkpointer: about 0.1-0.4 s per test together. Emptying a database and handing it to
    the next test costs a few milliseconds; a database that cannot be proven empty afterwards
    is dropped instead of reused.
    """

    dialect = "postgresql"
    label = "PostgreSQL"
    default_port = 5432
    connect_args: ClassVar[dict[str, Any]] = {"connect_timeout": 5}
    client_names = ("psql",)

    def __init__(self, admin_url: URL, recycle: bool = True) -> None:
        super().__init__(admin_url)
        self.recycle = recycle
        self._free: list[str] = []

    def create(self, name: str, directory: Path) -> Database:
        self.ensure_available()
        if self._free:
            name = self._free.pop()
        else:
            self.create_database(name)
        return Database(self, self.admin_url.set(database=name))

    def create_database(self, name: str) -> None:
        # template0 is never connected to (template1 may be, which makes CREATE fail) and
        # holds no site-local objects; UTF8 so non-ASCII identifiers and data work.
        with self.admin().connect() as conn:
            conn.execute(
                sa.text(f"CREATE DATABASE {self.quote(name)} TEMPLATE template0 ENCODING 'UTF8'")
            )

    def drop_database(self, name: str) -> None:
        with self.admin().connect() as conn:
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {self.quote(name)} WITH (FORCE)"))

    def database_names(self) -> list[str]:
        with self.admin().connect() as conn:
            return list(conn.execute(sa.text("SELECT datname FROM pg_database")).scalars())

    def release(self, db: Database) -> None:
        db.dispose()
        if db.dropped:
            return
        if self.recycle and self._scrub(db):
            self._free.append(db.name)
        else:
            db.drop()

    def drop_all(self, prefix: str) -> list[str]:
        self._free.clear()
        return super().drop_all(prefix)

    def _scrub(self, db: Database) -> bool:
        """Empty a used database in place; True only when it is then as empty as a new one."""
        try:
            self._disconnect_others(db.name)
            engine = sa.create_engine(
                self.engine_url(db._url), poolclass=NullPool, isolation_level="AUTOCOMMIT"
            )
            try:
                with engine.connect() as conn:
                    _pg_empty_database(conn, db.name, self.quote)
                    return conn.execute(sa.text(_PG_USER_OBJECTS)).scalar_one() == 0
            finally:
                engine.dispose()
        except sa.exc.SQLAlchemyError:
            return False

    def _disconnect_others(self, name: str) -> None:
        # Engines made by the code under test may still hold connections (and temp tables).
        with self.admin().connect() as conn:
            conn.execute(
                sa.text(
                    "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                    " WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )

    def load_with_client(self, db: Database, client: str, text: str) -> None:
        target = db._url.set(drivername="postgresql", password=None)
        env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning", PGCONNECT_TIMEOUT="10")
        if db._url.password:
            env["PGPASSWORD"] = str(db._url.password)
        args = [client, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", "-f", "-"]
        args += ["-d", target.render_as_string(hide_password=False)]
        _run_client(args, text, env, f"psql loading into {db.name}")

    def load_with_driver(self, db: Database, text: str) -> None:
        # Without parameters psycopg sends the whole script as one simple query.
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute(text)
            cursor.close()
            raw.commit()
        except Exception as exc:
            raw.rollback()
            raise LoadError(f"PostgreSQL could not load the script: {exc}") from exc
        finally:
            raw.close()


_PG_SYSTEM_SCHEMAS = (
    "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema')"
    " AND nspname NOT LIKE 'pg\\_toast%' AND nspname NOT LIKE 'pg\\_temp\\_%'"
)

# Everything a test can leave behind has an OID at or above FirstNormalObjectId (16384);
# initdb's own objects are below it. Temporary schemas persist as names only.
_PG_USER_OBJECTS = """
SELECT (SELECT count(*) FROM pg_class WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_type WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_proc WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_namespace WHERE oid >= 16384 AND nspname <> 'public'
          AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%')
     + (SELECT count(*) FROM pg_extension WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_cast WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_operator WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_collation WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_language WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_foreign_data_wrapper WHERE oid >= 16384)
     + (SELECT count(*) FROM pg_foreign_server)
     + (SELECT count(*) FROM pg_event_trigger)
     + (SELECT count(*) FROM pg_publication)
     + (SELECT count(*) FROM pg_largeobject_metadata)
     + (SELECT count(*) FROM pg_default_acl)
     + (SELECT count(*) FROM pg_db_role_setting
          WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database()))
"""


def _pg_empty_database(conn: Connection, name: str, quote: Any) -> None:
    schemas = list(conn.execute(sa.text(_PG_SYSTEM_SCHEMAS)).scalars())
    extensions = list(
        conn.execute(sa.text("SELECT extname FROM pg_extension WHERE oid >= 16384")).scalars()
    )
    for trigger in conn.execute(sa.text("SELECT evtname FROM pg_event_trigger")).scalars():
        conn.execute(sa.text(f"DROP EVENT TRIGGER {quote(trigger)}"))
    if extensions:
        conn.execute(sa.text(f"DROP EXTENSION {', '.join(map(quote, extensions))} CASCADE"))
    if schemas:
        conn.execute(sa.text(f"DROP SCHEMA {', '.join(map(quote, schemas))} CASCADE"))
    conn.execute(sa.text("SELECT lo_unlink(oid) FROM pg_largeobject_metadata"))
    conn.execute(sa.text(f"ALTER DATABASE {quote(name)} RESET ALL"))
    version = conn.execute(sa.text("SHOW server_version_num")).scalar_one()
    if int(version) >= 150000:
        # PostgreSQL 15's public schema: owned by the database owner, USAGE for everyone.
        conn.execute(sa.text("CREATE SCHEMA public AUTHORIZATION pg_database_owner"))
        conn.execute(sa.text("GRANT USAGE ON SCHEMA public TO PUBLIC"))
    else:
        conn.execute(sa.text("CREATE SCHEMA public"))
        conn.execute(sa.text("GRANT ALL ON SCHEMA public TO PUBLIC"))
    conn.execute(sa.text("COMMENT ON SCHEMA public IS 'standard public schema'"))


class MySQLServer(Server):
    """MySQL/MariaDB: CREATE DATABASE per test is cheap (about a millisecond)."""

    dialect = "mysql"
    label = "MySQL/MariaDB"
    default_port = 3306
    connect_args: ClassVar[dict[str, Any]] = {"connect_timeout": 5}
    client_names = ("mariadb", "mysql")

    def engine_url(self, url: URL) -> URL:
        return driver_url(url).update_query_dict({"charset": "utf8mb4"})

    def create_database(self, name: str) -> None:
        # utf8mb4 with the server's default collation: case-insensitive, like most real
        # installations, so 'A@x.org' and 'a@x.org' collide in a UNIQUE column.
        with self.admin().connect() as conn:
            conn.execute(sa.text(f"CREATE DATABASE {self.quote(name)} CHARACTER SET utf8mb4"))

    def drop_database(self, name: str) -> None:
        with self.admin().connect() as conn:
            # An idle transaction elsewhere holds metadata locks that make DROP wait forever.
            conn.execute(sa.text("SET SESSION lock_wait_timeout = 30"))
            self._kill_sessions(conn, name)
            conn.execute(sa.text(f"DROP DATABASE IF EXISTS {self.quote(name)}"))

    @staticmethod
    def _kill_sessions(conn: Connection, name: str) -> None:
        ids = conn.execute(
            sa.text(
                "SELECT ID FROM information_schema.PROCESSLIST"
                " WHERE DB = :name AND ID <> CONNECTION_ID()"
            ),
            {"name": name},
        ).scalars()
        for session_id in list(ids):
            with contextlib.suppress(sa.exc.DBAPIError):  # it may have ended meanwhile
                conn.execute(sa.text("KILL CONNECTION :id"), {"id": int(session_id)})

    def database_names(self) -> list[str]:
        with self.admin().connect() as conn:
            return list(conn.execute(sa.text("SHOW DATABASES")).scalars())

    def load_with_client(self, db: Database, client: str, text: str) -> None:
        url = db._url
        env = dict(os.environ)
        env.pop("MYSQL_PWD", None)
        if url.password:
            env["MYSQL_PWD"] = str(url.password)  # not on the command line, where ps shows it
        args = [client, "--no-defaults", "--default-character-set=utf8mb4", "--protocol=TCP"]
        args += ["-h", url.host or "127.0.0.1", "-P", str(url.port or self.default_port)]
        args += ["-u", url.username or "root", str(url.database)]
        _run_client(args, text, env, f"{Path(client).name} loading into {db.name}")

    def load_with_driver(self, db: Database, text: str) -> None:
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for statement in split_mysql_script(text):
                cursor.execute(statement)
            cursor.close()
            raw.commit()
        except Exception as exc:
            raw.rollback()
            raise LoadError(f"MySQL could not load the script: {exc}") from exc
        finally:
            raw.close()


# --------------------------------------------------------------------------- MySQL scripts

_DELIMITER_LINE = re.compile(r"^[ \t]*DELIMITER[ \t]+(\S+)[ \t]*$", re.I | re.M)


def split_mysql_script(text: str) -> list[str]:
    """Statements of a mysql-client script, honouring DELIMITER lines, quotes and comments.

    Comments stay inside their statement (``/*!40101 ... */`` is executable), but a piece
    that is nothing but ordinary comments is not a statement.
    """
    statements: list[str] = []
    delimiter = ";"
    start = pos = 0
    at_line_start = True
    while pos < len(text):
        if at_line_start and (match := _DELIMITER_LINE.match(text, pos)):
            statements.append(text[start:pos])
            delimiter, pos = match.group(1), match.end()
            start = pos
            continue
        if text.startswith(delimiter, pos):
            statements.append(text[start:pos])
            pos += len(delimiter)
            start = pos
            at_line_start = False
            continue
        end = _skip_token(text, pos)
        at_line_start = text[pos:end].endswith("\n")
        pos = end
    statements.append(text[start:])
    return [s.strip() for s in statements if _has_code(s)]


def _skip_token(text: str, pos: int) -> int:
    """Index just past the quoted string, comment or single character at ``pos``."""
    char = text[pos]
    if char in "'\"`":
        return _skip_quoted(text, pos, char)
    if text.startswith("/*", pos):
        end = text.find("*/", pos + 2)
        return len(text) if end < 0 else end + 2
    if char == "#" or (text.startswith("--", pos) and text[pos + 2 : pos + 3] in (" ", "\t", "\n")):
        end = text.find("\n", pos)
        return len(text) if end < 0 else end + 1
    return pos + 1


def _skip_quoted(text: str, pos: int, quote: str) -> int:
    i = pos + 1
    while i < len(text):
        if text[i] == "\\" and quote != "`":
            i += 2
        elif text[i] == quote:
            if text[i + 1 : i + 2] != quote:
                return i + 1
            i += 2
        else:
            i += 1
    return len(text)


_PLAIN_COMMENT = re.compile(r"/\*(?!!).*?\*/|(?:#|--[ \t])[^\n]*", re.S)


def _has_code(statement: str) -> bool:
    return bool(_PLAIN_COMMENT.sub("", statement).strip())


# --------------------------------------------------------------------------- the pool

MakeDb = Callable[[str], Database]  # the make_db fixture: dialect -> fresh database


def server_for(dialect: str, env: dict[str, str] | None = None) -> Server:
    """The server a dialect's tests use; environment variables override the default URLs."""
    env = dict(os.environ) if env is None else env
    if dialect == "postgresql":
        url = parse_admin_url(
            env.get(PG_URL_ENV) or "postgresql://postgres@127.0.0.1:5432/postgres"
        )
        if not url.database:
            url = url.set(database="postgres")
        return PostgresServer(url, recycle=env.get(PG_RECYCLE_ENV, "1") != "0")
    if dialect == "mysql":
        url = parse_admin_url(env.get(MYSQL_URL_ENV) or "mysql://root@127.0.0.1:3306/")
        return MySQLServer(url.set(database=None))
    raise ValueError(f"no server for {dialect!r}")


class Servers:
    """Databases for one test session, all named ``<prefix>_<n>``."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._servers: dict[str, Server] = {}
        self._count = 0

    def server(self, dialect: str) -> Server:
        dialect = canonical_dialect(dialect)
        if dialect not in self._servers:
            self._servers[dialect] = server_for(dialect)
        return self._servers[dialect]

    def next_name(self) -> str:
        self._count += 1
        return f"{self.prefix}_{self._count}"

    def create(self, dialect: str, directory: Path) -> Database:
        """A fresh empty database; raises ServerUnavailable when its server is down."""
        dialect = canonical_dialect(dialect)
        if dialect == "sqlite":
            return SQLiteServer(directory).create(self.next_name(), directory)
        return self.server(dialect).create(self.next_name(), directory)

    def release(self, db: Database) -> None:
        """Drop (or, on PostgreSQL, empty for reuse) a database a test is done with."""
        db.server.release(db)

    def close(self) -> dict[str, list[str]]:
        """Drop every database of this session that still exists; return them per dialect."""
        dropped = {}
        for dialect, server in self._servers.items():
            dropped[dialect] = server.drop_all(self.prefix)
            server.close()
        return dropped
