"""Passwords and API keys never reach stdout, stderr or any file QueryNL writes.

Each case runs the real ``querynl`` process with ``--verbose`` (and once with ``--traceback``),
with OPENAI_API_KEY and ANTHROPIC_API_KEY set, its config, data and cache folders inside the
test's own folder. Afterwards everything captured, and every file under that folder, is
searched for each secret in every form it could leak in: as typed, URL-encoded, hex, base64,
JSON-escaped. The cases cover success and every error path: wrong password (PostgreSQL with
password checks, MariaDB), unreachable host, DNS failure, SSL refused, a broken URL, the
password in DATABASE_URL or a saved connection, and an LLM server that echoes the key back.
"""

from __future__ import annotations

import base64
import json
import logging
import secrets
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from faultkit import CliProcess
from hostile import assert_no_traceback
from llm_server import FakeLLMServer, error_reply
from querynl.cli import main
from querynl.redact import RedactingFilter, RedactingFormatter, register_secret
from test_cli_connect import (  # noqa: F401 - fixtures: a PostgreSQL that checks passwords
    pg_checking_passwords,
    pg_role,
)

TOKEN = secrets.token_hex(4)
PASSWORD = f"Qnl:Pa55/@%#wörd-{TOKEN}"  # every character a URL must encode
OPENAI_KEY = f"sk-qnl-openai-{TOKEN}-0123456789abcdef"
ANTHROPIC_KEY = f"sk-ant-qnl-{TOKEN}-fedcba9876543210"
SECRETS = (PASSWORD, OPENAI_KEY, ANTHROPIC_KEY)
PW = quote(PASSWORD, safe="")  # as it goes into a URL


def forms(secret: str) -> set[str]:
    """Every way a secret could be written out by accident."""
    raw = secret.encode("utf-8")
    found = {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        raw.hex(),
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        repr(secret)[1:-1],
    }
    for pad in range(3):  # base64 of the secret at any alignment, without its ragged ends
        found.add(base64.b64encode(b"\0" * pad + raw)[4 if pad else 0 : -4].decode())
    return found


def assert_nothing_leaked(text: str, folder: Path) -> None:
    for secret in SECRETS:
        for form in forms(secret):
            assert form not in text, f"{secret!r} appears as {form!r} in the output"
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes().decode("utf-8", "replace")
            for secret in SECRETS:
                for form in forms(secret):
                    assert form not in content, f"{secret!r} appears as {form!r} in {path}"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def querynl(
    home: Path, *args: str, env: dict[str, str] | None = None, stdin: str | None = None
) -> CliProcess:
    """Run ``querynl --verbose ARGS`` to the end, with the secrets in its environment."""
    environment = {
        "HOME": str(home),
        "QUERYNL_CONFIG_DIR": str(home / "config"),
        "QUERYNL_KEYRING": "0",
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "XDG_STATE_HOME": str(home / "xdg-state"),
        "XDG_CACHE_HOME": str(home / "xdg-cache"),
        "OPENAI_API_KEY": OPENAI_KEY,
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
        "DATABASE_URL": "",
        **(env or {}),
    }
    with CliProcess(["--verbose", *args], env=environment, cwd=home, stdin=stdin) as cli:
        cli.wait(120)
    return cli


def data(home: Path, url: str, *extra: str, env: dict[str, str] | None = None) -> CliProcess:
    args = ["data", "add 5 items", *(["--db", url] if url else []), "--yes", *extra]
    return querynl(home, *args, env=env)


def assert_fails_cleanly(cli: CliProcess, home: Path, code: int, *said: str) -> None:
    assert cli.returncode == code, cli.output[-3000:]
    assert_no_traceback(cli.output)
    for text in said:
        assert text in " ".join(cli.stderr.split()), cli.stderr[-3000:]
    assert_nothing_leaked(cli.output, home)


# --------------------------------------------------------------------------------------------
# Success with a password in the URL, and the error paths that carry it
# --------------------------------------------------------------------------------------------


@pytest.fixture
def items_pg(pg_db):
    pg_db.load("CREATE TABLE items (id integer PRIMARY KEY, label varchar(40));")
    return pg_db


def test_success_with_a_password_says_nothing_of_it(items_pg, home: Path) -> None:
    # the shared server trusts 127.0.0.1: it never asks for the password, QueryNL still has it
    url = items_pg.url.replace("postgres@", f"postgres:{PW}@")
    cli = data(home, url, "--sample", "3")
    assert cli.returncode == 0, cli.output[-3000:]
    assert items_pg.row_counts() == {"items": 5}
    assert "postgres:***@" in cli.output or "postgres@" not in cli.output
    assert_nothing_leaked(cli.output, home)


def test_password_in_database_url(items_pg, home: Path) -> None:
    url = items_pg.url.replace("postgres@", f"postgres:{PW}@")
    cli = data(home, "", env={"DATABASE_URL": url})
    assert cli.returncode == 0, cli.output[-3000:]
    assert_nothing_leaked(cli.output, home)


def test_wrong_password_on_postgresql(pg_role: tuple[str, str], home: Path) -> None:  # noqa: F811
    role, port = pg_role
    cli = data(home, f"postgresql://{role}:{PW}@127.0.0.1:{port}/postgres")
    assert_fails_cleanly(cli, home, 3, f'password authentication failed for user "{role}"')


@pytest.fixture
def maria_user() -> Iterator[tuple[str, str]]:
    """A MariaDB user whose password is PASSWORD, owning a fresh database with a table."""
    name = f"qnl_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine("mysql+pymysql://root@127.0.0.1:3306/test", poolclass=sa.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
        conn.exec_driver_sql(f"CREATE TABLE {name}.items (id int PRIMARY KEY, label varchar(40))")
        for host in ("%", "localhost"):
            conn.execute(
                sa.text(f"CREATE USER '{name}'@'{host}' IDENTIFIED BY :pw"), {"pw": PASSWORD}
            )
            conn.execute(sa.text(f"GRANT ALL ON {name}.* TO '{name}'@'{host}'"))
    yield name, name
    with engine.begin() as conn:
        for host in ("%", "localhost"):
            conn.execute(sa.text(f"DROP USER '{name}'@'{host}'"))
        conn.exec_driver_sql(f"DROP DATABASE {name}")
    engine.dispose()


def test_mariadb_with_its_password_and_with_a_wrong_one(maria_user, home: Path) -> None:
    user, database = maria_user
    cli = data(home, f"mariadb://{user}:{PW}@127.0.0.1:3306/{database}", "--sample", "3")
    assert cli.returncode == 0, cli.output[-3000:]
    assert_nothing_leaked(cli.output, home)
    wrong = quote(PASSWORD[::-1], safe="")
    cli = data(home, f"mariadb://{user}:{wrong}@127.0.0.1:3306/{database}")
    assert_fails_cleanly(cli, home, 3, f"Access denied for user '{user}'")
    assert PASSWORD[::-1] not in cli.output


@pytest.fixture
def in_process(home: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture):
    """``querynl --verbose ARGS`` through Click's runner; returns what a user would read on the
    terminal: stdout, stderr and every log line as the CLI's masking handler writes it."""
    for name, value in {
        "QUERYNL_CONFIG_DIR": str(home / "config"),
        "QUERYNL_KEYRING": "0",
        "XDG_CONFIG_HOME": str(home / "xdg-config"),
        "XDG_DATA_HOME": str(home / "xdg-data"),
        "OPENAI_API_KEY": OPENAI_KEY,
        "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    caplog.set_level(logging.DEBUG)

    def invoke(*args: str) -> tuple[int, str]:
        caplog.clear()
        result = CliRunner().invoke(main, ["--verbose", *args])
        shown, formatter = RedactingFilter(), RedactingFormatter("%(name)s: %(message)s")
        logged = [formatter.format(r) for r in caplog.records if shown.filter(r)]
        text = result.stdout + result.stderr + "\n".join(logged)
        if result.exception and not isinstance(result.exception, SystemExit):
            text += repr(result.exception)
        return result.exit_code, text

    return invoke


@pytest.mark.parametrize(
    ("url", "said"),
    [
        (f"postgresql://postgres:{PW}@127.0.0.1:1/test", "Connection refused"),
        (f"mariadb://root:{PW}@127.0.0.1:1/test", "Connection refused"),
        (f"postgresql://postgres:{PW}@no-such-host.invalid:5432/test", "no-such-host.invalid"),
        (f"mariadb://root:{PW}@no-such-host.invalid:3306/test", "no-such-host.invalid"),
        (f"postgresql://postgres:{PW}@127.0.0.1:5432/test?sslmode=require", "SSL"),
        (f"mariadb://root:{PW}@127.0.0.1:3306/test?ssl_verify_cert=true", "SSL"),
        (f"mariadb://root:{PW}@127.0.0.1:3306/test?ssl_ca=/no/such/ca.pem", "No such file"),
        (f"postgresql://postgres:{PW}@127.0.0.1:notaport/test", "Cannot read the database URL"),
    ],
    ids=[
        "pg-refused",
        "maria-refused",
        "pg-dns",
        "maria-dns",
        "pg-ssl",
        "maria-ssl",
        "ca-file",
        "broken-url",
    ],
)
def test_cannot_connect(in_process, home: Path, url: str, said: str) -> None:
    code, text = in_process("data", "add 5 items", "--db", url, "--yes")
    assert code == (2 if "URL" in said else 3), text[-3000:]
    assert_no_traceback(text)
    assert said in " ".join(text.split())
    assert_nothing_leaked(text, home)


def test_traceback_on_request_is_masked_too(home: Path) -> None:
    cli = querynl(
        home,
        "--traceback",
        "data",
        "add 5 items",
        "--db",
        f"postgresql://postgres:{PW}@127.0.0.1:1/test",
        "--yes",
    )
    assert cli.returncode == 3
    assert "Traceback" in cli.stderr  # asked for, so shown: masked
    assert_nothing_leaked(cli.output, home)


def test_saved_connection_with_a_password(items_pg, home: Path) -> None:
    url = items_pg.url.replace("postgres@", f"postgres:{PW}@")
    added = querynl(home, "connect", "add", "shop", "--url", url)
    assert added.returncode == 0, added.output[-3000:]
    for args in (
        ["connect", "list"],
        ["connect", "test", "shop"],
        ["data", "add 5 items", "-c", "shop", "--yes"],
    ):
        cli = querynl(home, *args, *(["--yes"] if args[0] == "data" else []))
        assert cli.returncode == 0, cli.output[-3000:]
        assert_nothing_leaked(cli.output, home)
    assert list((home / "config").iterdir())  # the connection was stored (encrypted)


def test_repl_session_with_errors_says_nothing_of_the_password(items_pg, home: Path) -> None:
    url = items_pg.url.replace("postgres@", f"postgres:{PW}@")
    lines = [
        "SELECT * FROM no_such_table;",
        "INSERT INTO items (id, label) VALUES (1, 'a'), (1, 'b');",
        "\\data add 5 items --yes --sample 2",
        "\\data add 5 nothings --yes",
        "\\tables",
    ]
    cli = querynl(home, "repl", "--db", url, stdin="\n".join(lines) + "\n")
    assert cli.returncode == 0, cli.output[-3000:]
    said = " ".join(cli.output.split())
    assert "no_such_table" in said and "items" in said
    assert items_pg.row_counts() == {"items": 5}
    assert_no_traceback(cli.output)
    assert_nothing_leaked(cli.output, home)


# --------------------------------------------------------------------------------------------
# API keys
# --------------------------------------------------------------------------------------------


def test_an_llm_server_echoing_the_key(items_pg, home: Path) -> None:
    server = FakeLLMServer()
    try:
        server.script(error_reply(401, f"Incorrect API key provided: {OPENAI_KEY}"))
        cli = data(
            home,
            items_pg.url,
            "--llm",
            "openai",
            "--llm-base-url",
            server.openai_url,
            "--llm-model",
            "test-model",
        )
    finally:
        server.close()
    assert server.requests and server.requests[0].headers["authorization"] == f"Bearer {OPENAI_KEY}"
    assert cli.returncode == 0, cli.output[-3000:]  # the offline plan, with a note
    assert "HTTP 401" in cli.output
    assert_nothing_leaked(cli.output, home)


def test_an_interrupt_logged_by_a_library_shows_its_line_without_a_trace() -> None:
    formatter = RedactingFormatter("%(levelname)s %(name)s: %(message)s")

    def logged(exc: BaseException) -> str:
        try:
            raise exc
        except BaseException:
            record = logging.getLogger("sqlalchemy.pool").makeRecord(
                "sqlalchemy.pool",
                logging.ERROR,
                __file__,
                1,
                "Exception closing connection",
                (),
                sys.exc_info(),
            )
        return formatter.format(record)

    interrupted = logged(KeyboardInterrupt())
    assert interrupted == "ERROR sqlalchemy.pool: Exception closing connection"
    assert_no_traceback(interrupted)
    # other exceptions keep their trace for --verbose readers, still masked
    register_secret(PASSWORD)
    failed = logged(RuntimeError(f"bad password {PASSWORD}"))
    assert "Traceback" in failed and PASSWORD not in failed
