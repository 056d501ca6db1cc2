"""Database URLs as people write them, turned into SQLAlchemy engines with the shipped drivers.

``postgresql://``, ``postgres://`` → psycopg 3; ``mysql://``, ``mariadb://`` → PyMySQL;
``sqlite:///file.db`` or a bare path → the standard library's sqlite3. A URL that names a driver
(``postgresql+psycopg2://``) is used as given.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, Engine, RootTransaction, make_url
from sqlalchemy.exc import ArgumentError

from .errors import ConnectionFailed, UsageError
from .redact import redact, register_secret

log = logging.getLogger("querynl.connection")
sql_log = logging.getLogger("querynl.sql")

_DEFAULT_DRIVERS = {
    "postgresql": "postgresql+psycopg",
    "postgres": "postgresql+psycopg",
    "mysql": "mysql+pymysql",
    "mariadb": "mariadb+pymysql",
    "sqlite": "sqlite",
}


def normalize_url(raw: str) -> URL:
    """Turn a user's database URL (or SQLite file path) into a SQLAlchemy URL.

    >>> normalize_url("postgres://me@db:5432/shop").drivername
    'postgresql+psycopg'
    """
    text = raw.strip()
    if not text:
        raise UsageError("The database URL is empty.", hint="Pass --db URL or set DATABASE_URL.")
    if "://" not in text:
        return _sqlite_path_url(text)
    scheme, rest = text.split("://", 1)
    base, _, driver = scheme.partition("+")
    if not driver:
        if base.lower() not in _DEFAULT_DRIVERS:
            supported = ", ".join(sorted(_DEFAULT_DRIVERS))
            raise UsageError(
                f"Unsupported database URL scheme {base!r}.",
                hint=f"Use one of: {supported} (for example postgresql://user@host:5432/db).",
            )
        scheme = _DEFAULT_DRIVERS[base.lower()]
    try:
        url = make_url(f"{scheme}://{rest}")
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise UsageError(f"Cannot read the database URL: {redact(str(exc))}") from None
    if url.password:
        register_secret(str(url.password))
    return url


def _sqlite_path_url(path: str) -> URL:
    if path == ":memory:":
        return URL.create("sqlite", database=":memory:")
    return URL.create("sqlite", database=str(Path(path).expanduser()))


def display_url(url: URL) -> str:
    """The URL as it may be shown: never with its password."""
    return url.render_as_string(hide_password=True)


def resolve_url(db: str | None, env: dict[str, str] | None = None) -> URL:
    """The database to use: ``--db``, else ``DATABASE_URL``; a clear message when neither."""
    source = db or (env if env is not None else os.environ).get("DATABASE_URL")
    if not source:
        raise UsageError(
            "No database given.",
            hint="Pass --db URL (or --connection NAME), or set DATABASE_URL.",
        )
    return normalize_url(source)


def create_engine(url: URL | str, *, echo: bool = False) -> Engine:
    """An engine for ``url``; the dialect registry prepares every new connection."""
    from .dialects import dialect_for

    if isinstance(url, str):
        url = normalize_url(url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = Path(url.database).expanduser().resolve().parent
        if not folder.is_dir():
            raise ConnectionFailed(
                f"Cannot open the SQLite database {url.database!r}: folder {folder} does not exist."
            )
    kwargs = dialect_for(url.get_backend_name()).engine_options(url)
    try:
        engine = sa.create_engine(url, echo=echo, **kwargs)
    except (ArgumentError, ImportError) as exc:
        raise UsageError(f"Cannot use the database URL: {redact(str(exc))}") from None
    dialect_for(engine.dialect.name).install(engine)
    _log_statements(engine)
    return engine


def _log_statements(engine: Engine) -> None:
    """With ``--verbose``: every statement SQLAlchemy runs, on one line, with its time.

    Values are bound parameters and are not logged; the text passes the secret filter.
    """

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        conn.info["querynl_started"] = time.perf_counter()

    @sa.event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if not sql_log.isEnabledFor(logging.DEBUG):
            return
        took = (time.perf_counter() - conn.info.pop("querynl_started", time.perf_counter())) * 1000
        flat = " ".join(statement.split())
        sql_log.debug("(%.1f ms) %s", took, flat if len(flat) <= 300 else flat[:299] + "…")


def check_connection(engine: Engine) -> None:
    """Open one connection, or raise ``ConnectionFailed`` with a message free of secrets."""
    open_connection(engine).close()


def open_connection(engine: Engine) -> Connection:
    """A new connection, or ``ConnectionFailed`` with a message free of secrets.

    Not only driver errors: a URL option the driver trips over (``?ssl_ca=`` naming a missing
    file, ``?ssl=true`` where PyMySQL wants a dict) fails here too, as a Python exception.
    """
    try:
        return engine.connect()
    except Exception as exc:  # noqa: BLE001 - every way of not connecting is "cannot connect"
        raise connection_error(engine, exc) from None


def connection_error(engine: Engine, exc: BaseException) -> ConnectionFailed:
    """A ``ConnectionFailed`` that names the database (without password) and the cause."""
    orig = getattr(exc, "orig", None) or exc
    reason = redact(str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__)
    if not isinstance(exc, sa.exc.DBAPIError):  # a Python error: its name says what went wrong
        reason = f"{type(orig).__name__}: {reason}"
    return ConnectionFailed(
        f"Cannot connect to {display_url(engine.url)}: {reason}",
        hint="Check that the server is running, and the host, port, user, password and "
        "database name.",
    )


def rollback_or_close(conn: Connection, tx: RootTransaction) -> None:
    """Roll back; when that fails (the connection is gone, or Ctrl+C left it mid-statement or
    mid-COPY), close the connection instead: the server discards an open transaction with its
    connection, and the pool never hands that connection out again."""
    try:
        tx.rollback()
    except Exception:  # noqa: BLE001 - any failure here ends the same way
        log.debug("rollback failed; closing the connection, the server discards the transaction")
        conn.invalidate()
