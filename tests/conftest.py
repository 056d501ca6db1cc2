"""Fixtures for real SQLite, PostgreSQL and MySQL/MariaDB databases.

- ``db``: a fresh empty database, parametrized over the three dialects (ids sqlite,
  postgresql, mysql; each also carries a mark of that name, so ``-m "not mysql"`` works);
- ``sqlite_db``, ``pg_db``, ``mysql_db``: one dialect;
- ``make_db(dialect)``: a factory for tests that need several databases.

Every database is named ``<db_prefix>_<n>`` and removed at teardown; at the end of the session
any database still carrying this session's prefix is dropped. PostgreSQL databases are emptied
and reused between tests (about 25 ms instead of about 150 ms for CREATE + DROP DATABASE);
QUERYNL_TEST_PG_RECYCLE=0 makes a new one for every test.

Servers: PostgreSQL at 127.0.0.1:5432 (user postgres) and MariaDB/MySQL at 127.0.0.1:3306
(user root), or the admin URLs in QUERYNL_TEST_PG_URL / QUERYNL_TEST_MYSQL_URL. A server that
does not answer skips its tests, unless QUERYNL_REQUIRE_SERVERS=1 (as in CI), which fails them.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The helpers are plain modules beside the tests; keep them importable under any import mode.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dbkit import DIALECTS, Database, MakeDb, Servers, ServerUnavailable  # noqa: E402

REQUIRE_SERVERS_ENV = "QUERYNL_REQUIRE_SERVERS"


def servers_required() -> bool:
    return os.environ.get(REQUIRE_SERVERS_ENV, "").strip().lower() not in ("", "0", "false", "no")


def pytest_configure(config: pytest.Config) -> None:
    for dialect in DIALECTS:
        config.addinivalue_line("markers", f"{dialect}: runs against a real {dialect} database")


_SINGLE_DIALECT_FIXTURES = {"sqlite_db": "sqlite", "pg_db": "postgresql", "mysql_db": "mysql"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Tests on one dialect carry its mark too, like the ones parametrized through ``db``.
    for item in items:
        for fixture, dialect in _SINGLE_DIALECT_FIXTURES.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(dialect)


@pytest.fixture(autouse=True, scope="session")
def _private_pool_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Value pools are kept on disk in a folder of this session's, never the user's cache
    (subprocesses started by tests inherit it)."""
    before = os.environ.get("QUERYNL_CACHE_DIR")
    os.environ["QUERYNL_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if before is None:
        os.environ.pop("QUERYNL_CACHE_DIR", None)
    else:
        os.environ["QUERYNL_CACHE_DIR"] = before


@pytest.fixture(autouse=True)
def _private_ledger(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Every test records its runs in a ledger of its own, never in the user's data folder."""
    monkeypatch.setenv("QUERYNL_DATA_DIR", str(tmp_path_factory.mktemp("data")))


@pytest.fixture(scope="session")
def db_prefix() -> str:
    """A name prefix unique to this test session (process id and random hex)."""
    return f"qnl_{os.getpid()}_{secrets.token_hex(3)}"


@pytest.fixture(scope="session")
def db_servers(db_prefix: str) -> Iterator[Servers]:
    servers = Servers(db_prefix)
    yield servers
    servers.close()


@pytest.fixture
def make_db(db_servers: Servers, tmp_path: Path) -> Iterator[MakeDb]:
    """``make_db("postgresql")`` → a new empty Database; all are removed after the test."""
    created: list[Database] = []

    def make(dialect: str) -> Database:
        try:
            db = db_servers.create(dialect, tmp_path)
        except ServerUnavailable as exc:
            reason = str(exc)
        else:
            created.append(db)
            return db
        # Outside the except block, so the report shows the reason and not a chained traceback.
        if servers_required():
            pytest.fail(f"{reason} ({REQUIRE_SERVERS_ENV} is set)", pytrace=False)
        pytest.skip(reason)

    yield make
    for db in reversed(created):
        db_servers.release(db)


@pytest.fixture(params=[pytest.param(d, id=d, marks=getattr(pytest.mark, d)) for d in DIALECTS])
def db(request: pytest.FixtureRequest, make_db: MakeDb) -> Database:
    """A fresh empty database, once per dialect."""
    return make_db(request.param)


@pytest.fixture
def sqlite_db(make_db: MakeDb) -> Database:
    return make_db("sqlite")


@pytest.fixture
def pg_db(make_db: MakeDb) -> Database:
    return make_db("postgresql")


@pytest.fixture
def mysql_db(make_db: MakeDb) -> Database:
    return make_db("mysql")
