"""What a person sees before anything is written (cli/render.py), on the three databases: how
the request was read, the plan in insertion order with each foreign key's and cycle's
resolution, every column's generator with its parameters, the rationale, the INSERT preview in
the database's own quoting, and sample rows; and that the preview shows the rows the same
command then inserts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from querynl.cli import main, render

ZOO = Path(__file__).parent / "zoo"
QUOTE = {"sqlite": '"', "postgresql": '"', "mysql": "`"}


@pytest.fixture(autouse=True)
def _wide_plain_terminal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "220")  # one preview row per line
    monkeypatch.setenv("QUERYNL_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setattr(render, "_console", None)


def data(db: Any, request: str, *extra: str) -> str:
    args = ["data", request, "--db", db.url, "--seed", "9", "--now", "2025-06-01", *extra]
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def preview_rows(out: str, table: str, q: str) -> list[str]:
    """The value tuples under ``INSERT INTO <table>`` in the preview, one string per row."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"INSERT INTO {q}{table}{q}"))
    rows = []
    for line in lines[start + 1 :]:
        if not line.startswith("  ("):
            break
        rows.append(line.strip().rstrip(",;"))
    return rows


def test_dry_run_shows_plan_keys_cycle_rationale_preview_and_samples(db):
    db.load(ZOO / "cycle_nullable" / f"{db.dialect}.sql")
    q = QUOTE[db.dialect]
    out = data(db, "add 5 departments and 20 employees", "--dry-run")
    flat = " ".join(out.split())

    assert "Understood: counts departments=5, employees=20" in out
    # the plan, parents first, with how each foreign key is filled
    order = re.findall(r"│ (\d) │ (\w+)\s+│\s+([\d,]+) │ requested", out)
    assert order == [("1", "departments", "5"), ("2", "employees", "20")]
    assert "head_id → employees(id): NULL, then UPDATE" in out
    assert re.search(r"department_id → departments\(id\): \w+", out)
    # one table per planned table: every column, its generator and the generator's parameters
    for table, columns in (("departments", ("name", "head_id")), ("employees", ("name",))):
        section = out.split(f"{table} (", 1)[1].split("└", 1)[0]
        for column in columns:
            assert re.search(rf"│ {column}\s+│ \S", section), (table, column)
    assert re.search(r"│ name\s+│ [\w.]+\([a-z_]+=", out)  # parameters are shown
    assert re.search(r"│ head_id\s+│ foreign key → employees\(id\)", out)
    assert re.search(r"│ department_id\s+│ foreign key → departments\(id\)", out)
    # the cycle and the paragraph on why
    assert "Cycle: departments rows are inserted with head_id NULL, then updated" in flat
    assert "25 rows across 2 tables, inserted parents first (departments → employees)." in flat
    assert "Counts for departments, employees come from the request." in flat
    assert "seed 9" in flat and "dates relative to 2025-06-01" in flat
    # the INSERT preview: three rows per table, quoted the way this database quotes
    assert "INSERT preview" in out
    for table in ("departments", "employees"):
        assert f"INSERT INTO {q}{table}{q} ({q}id{q}, {q}name{q}" in out
        assert len(preview_rows(out, table, q)) == 3
        assert f"sample rows: {table}" in out
    assert all(row.endswith("NULL)") for row in preview_rows(out, "departments", q))  # head_id
    assert "Dry run: nothing was inserted." in out
    assert db.row_counts() == {"departments": 0, "employees": 0}


def test_the_preview_shows_the_rows_that_are_then_inserted(db):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    q = QUOTE[db.dialect]
    request = "add 10 users and 20 posts"
    shown = preview_rows(data(db, request, "--dry-run"), "users", q)
    assert len(shown) == 3
    data(db, request, "--yes", "--sample", "0")
    users = db.execute(
        f"SELECT {db.quote('email')}, {db.quote('username')} FROM {db.quote('users')} "
        f"ORDER BY {db.quote('id')}"
    )
    for (email, username), row in zip(users[:3], shown):
        assert f"'{email}'" in row and f"'{username}'" in row, (row, email, username)


def test_sample_option_sets_the_number_of_preview_rows(sqlite_db):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    out = data(sqlite_db, "add 10 users", "--dry-run", "--sample", "5")
    assert len(preview_rows(out, "users", '"')) == 5
    out = data(sqlite_db, "add 10 users", "--dry-run", "--sample", "0")
    assert "INSERT preview" not in out and "sample rows" not in out
    assert "Plan" in out  # the plan itself is always shown


@pytest.mark.parametrize(
    ("request_text", "said"),
    [
        (
            "add 10 users, each user with 1-3 posts",
            "Understood: counts users=10; 1-3 posts per users row Plan",
        ),
        (
            "add 10 users, each user with 1-3 posts",
            "Counts for users come from the request; posts follow from the counts per parent "
            "row; comments use defaults (children get more rows than parents).",
        ),
        (
            "only 5 comments",
            "Counts for comments come from the request; users, posts get rows because other "
            "tables need parents to reference.",
        ),
        ("add some sample data", "Understood: every table, default counts"),
    ],
)
def test_the_rationale_says_where_each_count_comes_from(sqlite_db, request_text, said):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    out = data(sqlite_db, request_text, "--dry-run", "--sample", "0")
    assert said in " ".join(out.split())
