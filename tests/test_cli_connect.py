"""``querynl connect``: exit codes, exact messages, and no password in any output."""

from __future__ import annotations

import base64
import json
import logging
import os
import secrets
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import types
import uuid
from collections.abc import Callable, Iterator
from glob import glob
from pathlib import Path
from urllib.parse import quote, quote_plus

import click
import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from querynl.cli.main import QueryNLGroup, main
from querynl.cli.options import database_options
from querynl.connection import display_url
from querynl.connections import resolve_database

PASSWORD = "Qnl-Pa55/wörd@42"
SHARED_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private config folder and the key file instead of the OS keyring."""
    folder = tmp_path / "config"
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(folder))
    monkeypatch.setenv("QUERYNL_KEYRING", "0")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    return folder


@pytest.fixture(autouse=True)
def error_printer(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI prints errors through ``querynl.cli.render``; a plain stand-in until it exists."""
    try:
        import querynl.cli.render  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "querynl.cli.render":
            raise
        stand_in = types.ModuleType("querynl.cli.render")

        def print_error(error: Exception) -> None:
            click.echo(f"Error: {error}", err=True)
            if getattr(error, "hint", None):
                click.echo(f"Hint: {error.hint}", err=True)  # type: ignore[attr-defined]

        stand_in.print_error = print_error  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "querynl.cli.render", stand_in)


@pytest.fixture
def run(caplog: pytest.LogCaptureFixture):
    """Invoke ``querynl``; every result's stdout, stderr and log text are checked for leaks."""
    results: list[Result] = []
    caplog.set_level(logging.DEBUG)

    def invoke(*args: str, input: str | None = None) -> Result:
        result = CliRunner().invoke(main, list(args), input=input)
        results.append(result)
        return result

    yield invoke
    for result in results:
        assert_no_secret(all_output(result) + caplog.text)


def all_output(result: Result) -> str:
    text = result.stdout + result.stderr
    if result.exception and not isinstance(result.exception, SystemExit):
        text += repr(result.exception)
    return text


def flat(text: str) -> str:
    """Whitespace folded, so wrapped terminal lines compare as one."""
    return " ".join(text.split())


def assert_no_secret(text: str, secret: str = PASSWORD) -> None:
    raw = secret.encode("utf-8")
    forms = [secret, quote(secret, safe=""), quote_plus(secret), raw.hex()]
    for pad in range(3):
        forms.append(base64.b64encode(b"\0" * pad + raw)[4 if pad else 0 : -4].decode())
    for form in forms:
        assert form not in text, f"the password appears as {form!r}"


def add_url(run, name: str, url: str, password: str = PASSWORD) -> Result:
    result = run("connect", "add", name, "--url", url, "--ask-password", input=f"{password}\n")
    assert result.exit_code == 0, all_output(result)
    return result


# ---------------------------------------------------------------------------------------------
# add / list / remove
# ---------------------------------------------------------------------------------------------


def test_add_by_prompts(run, config_home: Path) -> None:
    answers = "postgresql\n127.0.0.1\n5432\ntest\npostgres\n" + PASSWORD + "\n"
    result = run("connect", "add", "pg", input=answers)
    assert result.exit_code == 0, all_output(result)
    assert result.stdout.endswith(
        "Saved connection 'pg': postgresql+psycopg://postgres:***@127.0.0.1:5432/test\n"
        f"The password is stored encrypted; its key is in the key file {config_home / 'key'}.\n"
    )
    for path in config_home.iterdir():
        assert_no_secret(path.read_bytes().decode("utf-8", "replace"))


def test_add_sqlite_by_prompts(run, tmp_path: Path) -> None:
    path = tmp_path / "blog.db"
    result = run("connect", "add", "blog", input=f"sqlite\n{path}\n")
    assert result.exit_code == 0, all_output(result)
    assert result.stdout.endswith(f"Saved connection 'blog': sqlite:///{path}\n")


def test_add_with_options_skips_prompts(run) -> None:
    result = run(
        "connect",
        "add",
        "m",
        "--type",
        "mariadb",
        "--host",
        "127.0.0.1",
        "--port",
        "3306",
        "--database",
        "test",
        "--user",
        "root",
        input="\n",
    )
    assert result.exit_code == 0, all_output(result)
    assert result.stdout.endswith(
        "Saved connection 'm': mariadb+pymysql://root@127.0.0.1:3306/test\n"
    )


def test_add_with_test(run, tmp_path: Path) -> None:
    path = tmp_path / "shop.db"
    sqlite3.connect(path).close()
    result = run("connect", "add", "shop", "--url", f"sqlite:///{path}", "--test")
    assert result.exit_code == 0
    assert result.stdout == (
        f"Connected: SQLite {sqlite3.sqlite_version}\nSaved connection 'shop': sqlite:///{path}\n"
    )


def test_add_duplicate(run) -> None:
    add_url(run, "pg", SHARED_PG)
    result = run("connect", "add", "pg")  # refused before any question
    assert result.exit_code == 2
    assert "Type" not in result.stdout
    result = run("connect", "add", "pg", "--url", SHARED_PG)
    assert result.exit_code == 2
    assert "A connection named 'pg' already exists." in flat(result.stderr)
    assert run("connect", "add", "pg", "--url", SHARED_PG, "--replace").exit_code == 0


def test_add_bad_url(run) -> None:
    result = run("connect", "add", "x", "--url", "oracle://u:pw@h/db")
    assert result.exit_code == 2
    assert "Unsupported database URL scheme 'oracle'." in flat(result.stderr)


def test_list_table_and_json(run) -> None:
    add_url(run, "pg", SHARED_PG)
    run("connect", "add", "maria", "--url", "mariadb://root@127.0.0.1:3306/test")
    result = run("connect", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [c.strip() for c in lines[1].strip("┃").split("┃")] == [
        "name",
        "type",
        "host",
        "port",
        "database",
        "user",
    ]
    rows = [[c.strip() for c in line.strip("│").split("│")] for line in lines if "│" in line]
    assert rows == [
        ["maria", "mariadb", "127.0.0.1", "3306", "test", "root"],
        ["pg", "postgresql", "127.0.0.1", "5432", "test", "postgres"],
    ]
    listed = json.loads(run("connect", "list", "--json").stdout)
    assert [(c["name"], c["has_password"]) for c in listed] == [("maria", False), ("pg", True)]
    assert set(listed[0]) == {
        "name",
        "type",
        "host",
        "port",
        "database",
        "user",
        "options",
        "has_password",
    }


def test_list_empty(run) -> None:
    result = run("connect", "list")
    assert (result.exit_code, result.stdout) == (
        0,
        "No saved connections. Add one with: querynl connect add NAME\n",
    )
    assert run("connect", "list", "--json").stdout == "[]\n"


def test_remove_with_yes(run) -> None:
    add_url(run, "pg", SHARED_PG)
    result = run("connect", "remove", "pg", "--yes")
    assert (result.exit_code, result.stdout) == (0, "Removed connection 'pg'.\n")
    assert json.loads(run("connect", "list", "--json").stdout) == []


def test_remove_without_tty_names_yes(run) -> None:
    add_url(run, "pg", SHARED_PG)
    result = run("connect", "remove", "pg")
    assert result.exit_code == 8
    assert "Removing connection 'pg' needs confirmation; pass --yes." in flat(result.stderr)


@pytest.mark.parametrize(("answer", "code", "left"), [("n", 1, ["pg"]), ("y", 0, [])])
def test_remove_asks(
    run, monkeypatch: pytest.MonkeyPatch, answer: str, code: int, left: list[str]
) -> None:
    from querynl.cli import connect

    add_url(run, "pg", SHARED_PG)
    monkeypatch.setattr(connect, "_interactive", lambda: True)
    result = run("connect", "remove", "pg", input=f"{answer}\n")
    assert result.exit_code == code
    assert "Remove connection 'pg'? [y/N]" in result.stdout
    assert [c["name"] for c in json.loads(run("connect", "list", "--json").stdout)] == left


def test_unknown_name(run) -> None:
    add_url(run, "production", SHARED_PG)
    for command in ("test", "remove"):
        result = run("connect", command, "prodution")
        assert result.exit_code == 2
        assert "No saved connection named 'prodution'. Did you mean 'production'?" in flat(
            result.stderr
        )


def test_wrong_key(run, config_home: Path) -> None:
    add_url(run, "pg", SHARED_PG)
    (config_home / "key").write_text(base64.b64encode(os.urandom(32)).decode())
    result = run("connect", "test", "pg")
    assert result.exit_code == 2
    assert (
        "Cannot decrypt the password of connection 'pg': the key in the key file "
        f"{config_home / 'key'} does not match; re-add the connection." in flat(result.stderr)
    )
    assert "Traceback" not in all_output(result)


# ---------------------------------------------------------------------------------------------
# connect test against real databases
# ---------------------------------------------------------------------------------------------


def test_postgresql_ok(run) -> None:
    add_url(run, "pg", SHARED_PG)  # trust auth accepts the password; it must still stay hidden
    result = run("connect", "test", "pg")
    assert result.exit_code == 0, all_output(result)
    assert result.stdout.startswith(
        "OK: pg (postgresql+psycopg://postgres:***@127.0.0.1:5432/test) is PostgreSQL 15."
    )


def test_mariadb_ok(run) -> None:
    run("connect", "add", "maria", "--url", "mariadb://root@127.0.0.1:3306/test")
    result = run("connect", "test", "maria")
    assert result.exit_code == 0, all_output(result)
    assert result.stdout.startswith(
        "OK: maria (mariadb+pymysql://root@127.0.0.1:3306/test) is MariaDB "
    )


def test_sqlite_ok(run, tmp_path: Path) -> None:
    path = tmp_path / "blog.db"
    sqlite3.connect(path).close()
    run("connect", "add", "blog", "--url", str(path))
    result = run("connect", "test", "blog")
    assert (result.exit_code, result.stdout) == (
        0,
        f"OK: blog (sqlite:///{path}) is SQLite {sqlite3.sqlite_version}.\n",
    )


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("postgresql://postgres@127.0.0.1:1/test", "Connection refused"),
        ("mariadb://root@127.0.0.1:1/test", "Connection refused"),
        ("postgresql://postgres@no-such-host.invalid:5432/test", "no-such-host.invalid"),
        ("mariadb://root@no-such-host.invalid:3306/test", "no-such-host.invalid"),
    ],
)
def test_unreachable(run, url: str, reason: str) -> None:
    add_url(run, "down", url)
    result = run("connect", "test", "down")
    assert result.exit_code == 3
    shown = url.replace("root@", "root:***@").replace("postgres@", "postgres:***@")
    shown = shown.replace("postgresql://", "postgresql+psycopg://")
    shown = shown.replace("mariadb://", "mariadb+pymysql://")
    assert flat(result.stderr).startswith(f"Error: Cannot connect to {shown}: ") or (
        f"Cannot connect to {shown}: " in flat(result.stderr)
    )
    assert reason in result.stderr


def test_add_with_failing_test_saves_nothing(run) -> None:
    result = run(
        "connect",
        "add",
        "down",
        "--url",
        "postgresql://postgres@127.0.0.1:1/test",
        "--ask-password",
        "--test",
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 3
    assert "Connection 'down' was not saved." in flat(result.stderr)
    assert json.loads(run("connect", "list", "--json").stdout) == []


@pytest.fixture
def mariadb_user() -> Iterator[str]:
    """A MariaDB user that really needs its password (created here, dropped after)."""
    name = f"qnl_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine("mysql+pymysql://root@127.0.0.1:3306/test")
    with engine.begin() as conn:
        for host in ("%%", "localhost"):
            conn.exec_driver_sql(f"CREATE USER '{name}'@'{host}' IDENTIFIED BY 'right-pw-31'")
    yield name
    with engine.begin() as conn:
        for host in ("%%", "localhost"):
            conn.exec_driver_sql(f"DROP USER '{name}'@'{host}'")
    engine.dispose()


def test_mariadb_wrong_password(run, mariadb_user: str) -> None:
    add_url(run, "maria", f"mariadb://{mariadb_user}@127.0.0.1:3306/test")
    result = run("connect", "test", "maria")
    assert result.exit_code == 3
    assert f"Access denied for user '{mariadb_user}'" in result.stderr
    assert "using password: YES" in result.stderr


# ---------------------------------------------------------------------------------------------
# PostgreSQL with a wrong password
# ---------------------------------------------------------------------------------------------


def shared_pg_trusts_loopback() -> bool:
    """True when the shared server's first 127.0.0.1 rule in pg_hba.conf is ``trust``."""
    engine = sa.create_engine(SHARED_PG)
    try:
        with engine.connect() as conn:
            rules = conn.exec_driver_sql(
                "SELECT address, auth_method FROM pg_hba_file_rules "
                "WHERE type LIKE 'host%%' ORDER BY line_number"
            ).fetchall()
    finally:
        engine.dispose()
    for address, method in rules:
        if address in ("127.0.0.1", "0.0.0.0", "all", "samehost"):
            return method == "trust"
    return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_private_cluster() -> tuple[str, str, Callable[[], None]]:
    """A throwaway PostgreSQL with scram-sha-256 on 127.0.0.1; returns its URL and a stopper."""
    bindirs = sorted(glob("/usr/lib/postgresql/*/bin"))
    bindir = Path(bindirs[-1]) if bindirs else None
    if bindir is None or not (bindir / "initdb").exists():
        pytest.skip("no initdb to start a PostgreSQL that checks passwords")
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="qnl-pg-"))
    admin_pw = secrets.token_hex(12)
    (folder / "pw").write_text(admin_pw)
    if as_user:
        shutil.chown(folder, "postgres")
        shutil.chown(folder / "pw", "postgres")
    port = free_port()
    data = folder / "data"
    subprocess.run(
        [
            *as_user,
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=scram-sha-256",
            f"--pwfile={folder / 'pw'}",
            "-N",
        ],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *as_user,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-w",
            "-l",
            str(folder / "log"),
            "start",
        ],
        check=True,
        capture_output=True,
    )

    def stop() -> None:
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)

    return f"postgresql+psycopg://postgres:{admin_pw}@127.0.0.1:{port}/postgres", str(port), stop


@pytest.fixture(scope="module")
def pg_checking_passwords() -> Iterator[tuple[str, str]]:
    """(admin URL, port) of a PostgreSQL that rejects wrong passwords on 127.0.0.1.

    The shared server's pg_hba.conf says ``trust`` for 127.0.0.1, so it accepts any password;
    in that case a private cluster with scram-sha-256 is started for these tests.
    """
    if not shared_pg_trusts_loopback():
        yield SHARED_PG, "5432"
        return
    admin_url, port, stop = start_private_cluster()
    try:
        yield admin_url, port
    finally:
        stop()


@pytest.fixture
def pg_role(pg_checking_passwords: tuple[str, str]) -> Iterator[tuple[str, str]]:
    """A role with the password 'right-pw-77', created for one test and dropped after."""
    admin_url, port = pg_checking_passwords
    name = f"qnl_{uuid.uuid4().hex[:8]}"
    engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {name} LOGIN PASSWORD 'right-pw-77'")
    yield name, port
    with engine.connect() as conn:
        conn.exec_driver_sql(f"DROP ROLE {name}")
    engine.dispose()


def test_postgresql_wrong_password(run, pg_role: tuple[str, str]) -> None:
    role, port = pg_role
    add_url(run, "pgpw", f"postgresql://{role}@127.0.0.1:{port}/postgres")
    result = run("connect", "test", "pgpw")
    assert result.exit_code == 3
    assert f'password authentication failed for user "{role}"' in result.stderr
    assert f"Cannot connect to postgresql+psycopg://{role}:***@127.0.0.1:{port}/postgres" in flat(
        result.stderr
    )

    result = run(
        "connect",
        "add",
        "pgpw",
        "--url",
        f"postgresql://{role}@127.0.0.1:{port}/postgres",
        "--ask-password",
        "--replace",
        "--test",
        input=f"{PASSWORD}\n",
    )
    assert result.exit_code == 3
    assert "Connection 'pgpw' was not saved." in flat(result.stderr)

    add_url(run, "pgok", f"postgresql://{role}@127.0.0.1:{port}/postgres", password="right-pw-77")
    result = run("connect", "test", "pgok")
    assert result.exit_code == 0, all_output(result)
    assert "is PostgreSQL " in result.stdout
    assert_no_secret(all_output(result), "right-pw-77")


# ---------------------------------------------------------------------------------------------
# database_options on any command
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def where() -> QueryNLGroup:
    group = QueryNLGroup("t")

    @group.command()
    @database_options
    def show(db: str | None, connection: str | None) -> None:
        click.echo(display_url(resolve_database(db, connection)))

    return group


def test_database_options(run, where: QueryNLGroup, monkeypatch: pytest.MonkeyPatch) -> None:
    add_url(run, "pg", SHARED_PG)
    runner = CliRunner()
    result = runner.invoke(where, ["show", "-c", "pg"])
    assert result.stdout == "postgresql+psycopg://postgres:***@127.0.0.1:5432/test\n"
    result = runner.invoke(where, ["show", "--db", "sqlite:///x.db"])
    assert result.stdout == "sqlite:///x.db\n"
    monkeypatch.setenv("DATABASE_URL", "mysql://root@h/db")
    assert runner.invoke(where, ["show"]).stdout == "mysql+pymysql://root@h/db\n"
    monkeypatch.delenv("DATABASE_URL")
    result = runner.invoke(where, ["show"])
    assert result.exit_code == 2
    assert "No database given: pass --db URL or --connection NAME, or set DATABASE_URL." in flat(
        result.stderr
    )
    result = runner.invoke(where, ["show", "--connection", "pgg"])
    assert result.exit_code == 2
    assert "Did you mean 'pg'?" in result.stderr
