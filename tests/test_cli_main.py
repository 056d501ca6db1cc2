"""The ``querynl`` group: plain ``querynl``, group-level --db, --verbose with secrets masked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"


def test_plain_querynl_without_a_database_shows_help(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path))
    result = CliRunner().invoke(main, [])
    assert result.exit_code == 0
    assert "Usage: " in result.output and "Commands:" in result.output
    assert "repl" in result.output


def test_plain_querynl_with_a_database_starts_the_repl(sqlite_db, tmp_path, monkeypatch):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    # without a terminal the REPL reads its lines from stdin, one after the other
    result = CliRunner().invoke(main, [], input="\\tables\nadd 4 users --yes\nSELECT 1 AS one\n")
    assert result.exit_code == 0, result.output
    assert "comments" in result.output
    assert "→ \\data add 4 users --yes" in result.output
    assert sqlite_db.row_counts()["users"] == 4
    assert "one" in result.output


def test_group_database_option_reaches_the_command(sqlite_db, tmp_path, monkeypatch):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path))
    runner = CliRunner()
    result = runner.invoke(main, ["--db", sqlite_db.url, "data", "add 3 users", "--yes"])
    assert result.exit_code == 0, result.output
    assert sqlite_db.row_counts()["users"] == 3
    result = runner.invoke(main, ["--db", sqlite_db.url], input="\\quit\nSELECT 1\n")
    assert result.exit_code == 0
    assert "1 row" not in result.output  # \quit ended the session


def test_repl_without_terminal_needs_yes_for_large_requests(sqlite_db, tmp_path, monkeypatch):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path))
    result = CliRunner().invoke(
        main, ["repl", "--db", sqlite_db.url], input="add 3000 users\nSELECT 2 AS two\n"
    )
    assert result.exit_code == 0
    assert "--yes" in result.output
    assert "two" in result.output  # the next line still ran
    assert sqlite_db.row_counts()["users"] == 0


def test_verbose_shows_sql_batches_and_timings_without_secrets(pg_db, tmp_path):
    pg_db.load(ZOO / "blog" / "postgresql.sql")
    secret = "Sup3r-s3cret-pw"
    url = pg_db.url.replace("postgres@", f"postgres:{secret}@", 1)  # trust auth ignores it
    assert secret in url
    env = {**os.environ, "QUERYNL_CONFIG_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "querynl", "-v", "data", "add 30 users", "--db", url, "--yes"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    log = result.stderr
    assert 'COPY "users"' in log  # the bulk statement
    assert "batch of 30 rows loaded in" in log  # batch sizes and timings
    assert "querynl.sql: (" in log and "ms) SELECT" in log  # statements with their time
    assert "schema read:" in log and "planned" in log
    assert secret not in result.stdout + result.stderr


def test_help_loads_no_heavy_module():
    """`querynl --help` starts quickly: the pipeline, SQLAlchemy, Faker, Rich, Pydantic and
    the LLM SDKs load only when a command runs."""
    heavy = ["sqlalchemy", "faker", "rich", "pydantic", "sqlglot", "openai", "anthropic"]
    probe = (
        "import sys\n"
        "from querynl.cli import main\n"
        "try:\n"
        "    main(['--help'], prog_name='querynl')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Commands:" in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_connection_types_of_the_command_line_are_the_saved_connection_types():
    from querynl import connections
    from querynl.cli import connect

    assert connect.TYPES == connections.TYPES


def test_ctrl_c_wrapped_by_the_code_it_interrupted_is_still_a_cancellation(
    sqlite_db, tmp_path, monkeypatch
):
    """Ctrl+C while a module loads inside a run arrives as a RuntimeError around the
    KeyboardInterrupt (Python wraps errors of class creation); the run says it was
    cancelled, exits 130 and leaves the database as it was, not "a bug in QueryNL"."""
    import querynl.schema_design.test_data_generator as generator

    def interrupted_import(*_args, **_kwargs):
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as exc:
            raise RuntimeError("Error calling __set_name__ on 'Field' instance") from exc

    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    monkeypatch.setattr(generator, "execute", interrupted_import)
    result = CliRunner().invoke(
        main, ["data", "add 20 users", "--db", sqlite_db.url, "--yes", "--sample", "0"]
    )
    assert result.exit_code == 130, result.output
    assert "Cancelled; nothing was inserted." in result.output
    assert "unexpected" not in result.output
    assert sqlite_db.row_counts()["users"] == 0
