"""Large requests ask first; without a terminal they fail fast and name --yes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from querynl.cli import main
from querynl.cli.confirm import describe_duration

ZOO = Path(__file__).parent / "zoo"


def querynl(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The real command in a child process whose stdin is not a terminal."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return subprocess.run(
        [sys.executable, "-m", "querynl", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


def test_no_terminal_and_no_yes_fails_fast_naming_yes(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    started = time.monotonic()
    result = querynl("data", "add 2000 users", "--db", db.url)
    assert time.monotonic() - started < 60  # never waits for an answer
    assert result.returncode == 8, result.stderr
    assert re.search(r"inserts [\d,]+ rows \(more than 1,000\)", result.stderr), result.stderr
    assert "no terminal to confirm it" in result.stderr
    assert "--yes" in result.stderr
    assert "Traceback" not in result.stderr
    assert db.row_counts() == {"users": 0, "posts": 0, "comments": 0}


def test_threshold_from_option_and_config(sqlite_db, tmp_path, monkeypatch):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    runner = CliRunner()
    args = ["data", "add 30 users", "--db", sqlite_db.url, "--sample", "0"]
    asked = runner.invoke(main, [*args, "--confirm-over", "10"])
    assert asked.exit_code == 8
    assert "--yes" in asked.output
    (tmp_path / "config.toml").write_text("[data]\nconfirm_over = 5\n")
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path))
    assert runner.invoke(main, args).exit_code == 8
    assert runner.invoke(main, [*args, "--confirm-over", "1000"]).exit_code == 0
    assert sqlite_db.row_counts()["users"] == 30


def test_dry_run_needs_no_confirmation(sqlite_db):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    result = querynl("data", "add 5000 users", "--db", sqlite_db.url, "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "Dry run: nothing was inserted." in result.stdout


def test_json_result_parses_and_matches_the_database(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    result = querynl("data", "add 1500 users and 40 posts", "--db", db.url, "--yes", "--json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)  # stdout holds the JSON object and nothing else
    counts = db.row_counts()
    assert payload["inserted"] == counts
    assert payload["total_rows"] == sum(counts.values())
    assert [t["table"] for t in payload["tables"]] == list(payload["planned"])
    assert {t["table"]: t["rows"] for t in payload["tables"]} == counts
    assert all(t["seconds"] >= 0 and t["rows_per_second"] >= 0 for t in payload["tables"])
    assert payload["dry_run"] is False and isinstance(payload["seed"], int)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.2, "under a second"),
        (1.2, "about 1 second"),
        (42, "about 42 seconds"),
        (600, "about 10 minutes"),
        (7200, "about 2 hours"),
    ],
)
def test_duration_words(seconds: float, text: str):
    assert describe_duration(seconds) == text
