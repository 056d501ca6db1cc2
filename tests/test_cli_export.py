"""``--sql-out``, ``--format csv|jsonl --out``, ``--save-plan`` and ``--plan`` on the real
databases: a script replayed through the database's own client gives exactly the rows of a
direct run (hostile text, binary and NULLs included), a dry run touches nothing, files are
byte-identical for the same seed, and a saved plan replays as edited or says what no longer
fits."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from querynl.cli import main

ZOO = Path(__file__).parent / "zoo"

HOSTILE = [
    "it's",
    "back\\slash",
    "ends with \\",
    "\\'; DROP TABLE t; --",
    'double "quotes"',
    "line\nbreak\r\nand\ttab",
    "%s %(name)s ? :name $1 $$",
    "é ü ß ñ 中文 日本語",
    "😀 𝄞 𠜎",
    "",
]

DDL = {
    "sqlite": """CREATE TABLE owners (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
        CREATE TABLE notes (id INTEGER PRIMARY KEY, owner_id INTEGER REFERENCES owners (id),
        s TEXT, b BLOB, n NUMERIC(10, 2), d DATE, flag BOOLEAN)""",
    "postgresql": """CREATE TABLE owners (id serial PRIMARY KEY, name text NOT NULL);
        CREATE TABLE notes (id serial PRIMARY KEY, owner_id integer REFERENCES owners (id),
        s text, b bytea, n numeric(10, 2), d date, flag boolean)""",
    "mysql": """CREATE TABLE owners (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(100) NOT NULL);
        CREATE TABLE notes (id INT AUTO_INCREMENT PRIMARY KEY, owner_id INT NULL,
        s TEXT, b BLOB, n DECIMAL(10, 2), d DATE, flag BOOLEAN,
        FOREIGN KEY (owner_id) REFERENCES owners (id)) CHARACTER SET utf8mb4""",
}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def data(db, *args: str):
    result = run("data", *args, "--db", db.url, "--yes", "--sample", "0")
    assert result.exit_code == 0, result.output
    return result


def load(db, ddl: str) -> None:
    for statement in ddl.split(";"):
        if statement.strip():
            db.execute(statement)


def replay(db, script: Path) -> str:
    """Load ``script`` through the database's own command-line client (else its driver)."""
    text = script.read_bytes().decode("utf-8")  # keeps \r\n inside values as written
    if db.dialect == "sqlite":
        client = shutil.which("sqlite3")
        if client is None:
            db.server.load_script(db, text)
            return "driver"
        _client(db, [client, "-bail", str(db.path)], text)
        return client
    client = db.server.client()
    if client is None:
        db.server.load_with_driver(db, text)
        return "driver"
    url = db._url
    if db.dialect == "postgresql":
        target = url.set(drivername="postgresql").render_as_string(hide_password=False)
        args = [client, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-f", "-", "-d", target]
    else:
        args = [client, "--no-defaults", "--protocol=TCP", "-h", url.host or "127.0.0.1"]
        args += ["-P", str(url.port or 3306), "-u", url.username or "root", str(url.database)]
    _client(db, args, text)
    return client


def _client(db, args: list[str], text: str) -> None:
    env = dict(os.environ, PGOPTIONS="-c client_min_messages=warning")
    if db._url.password:
        env["PGPASSWORD"] = env["MYSQL_PWD"] = str(db._url.password)
    done = subprocess.run(args, input=text.encode(), env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode(errors="replace")


def hostile_plan(db, tmp_path: Path) -> Path:
    """A saved plan whose notes.s draws from hostile text, with NULLs and random bytes."""
    path = tmp_path / "plan.yaml"
    data(db, "add 4 owners and 60 notes", "--save-plan", str(path), "--dry-run")
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    notes = next(t for t in plan["tables"] if t["table"] == "notes")
    s = next(c for c in notes["columns"] if c["name"] == "s")
    s.update(generator="choice", params={"values": HOSTILE}, null_rate=0.2)
    b = next(c for c in notes["columns"] if c["name"] == "b")
    b.update(generator="binary", params={}, null_rate=0.2)
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_script_replays_exactly_the_rows_of_a_direct_run(db, make_db, tmp_path):
    direct, replayed, dry = db, make_db(db.dialect), make_db(db.dialect)
    for target in (direct, replayed, dry):
        load(target, DDL[db.dialect])
    plan = hostile_plan(direct, tmp_path)
    script, dry_script = tmp_path / "run.sql", tmp_path / "dry.sql"
    data(direct, "--plan", str(plan), "--seed", "11", "--sql-out", str(script))
    data(dry, "--plan", str(plan), "--seed", "11", "--sql-out", str(dry_script), "--dry-run")
    assert dry.row_counts() == {"owners": 0, "notes": 0}  # the dry run wrote nothing
    assert dry_script.read_bytes() == script.read_bytes()
    replay(replayed, script)
    for table in ("owners", "notes"):
        assert replayed.rows(table) == direct.rows(table), table
    values = {r[2] for r in direct.rows("notes")}
    assert None in values and "it's" in values and "line\nbreak\r\nand\ttab" in values
    assert "back\\slash" in values and "😀 𝄞 𠜎" in values
    blobs = [r[3] for r in direct.rows("notes") if r[3] is not None]
    assert blobs and any(len(bytes(b)) for b in blobs)


@pytest.mark.parametrize(
    "case", ["cycle_nullable", "cycle_not_null", "quoting", "composite_keys", "autoincrement"]
)
def test_scripts_replay_cycles_and_odd_names(db, make_db, tmp_path, case):
    other = make_db(db.dialect)
    for target in (db, other):
        target.load(ZOO / case / f"{db.dialect}.sql")
    script = tmp_path / "run.sql"
    data(db, "add 12 rows to every table", "--seed", "4", "--sql-out", str(script))
    replay(other, script)
    for table in db.table_names():
        assert other.rows(table) == db.rows(table), table
    assert other.verify() == []


def test_failed_run_leaves_no_script(sqlite_db, tmp_path):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    script = tmp_path / "run.sql"
    sqlite_db.execute(
        "CREATE TRIGGER no_posts BEFORE INSERT ON posts BEGIN "
        "SELECT RAISE(ABORT, 'no posts today'); END"
    )
    result = run(
        "data",
        "add 3 users and 3 posts",
        "--db",
        sqlite_db.url,
        "--yes",
        "--sample",
        "0",
        "--sql-out",
        str(script),
    )
    assert result.exit_code == 7
    assert not script.exists() and not list(tmp_path.glob(".run.sql*"))


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_files_per_table_byte_identical_and_nothing_inserted(db, tmp_path, fmt):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        data(
            db,
            "add 20 users and 40 posts",
            "--seed",
            "3",
            "--now",
            "2025-01-01",
            "--format",
            fmt,
            "--out",
            str(out),
        )
    assert db.row_counts() == {"users": 0, "posts": 0, "comments": 0}
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(f"{t}.{fmt}" for t in ("users", "posts", "comments"))
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes()
    users = (first / f"users.{fmt}").read_text(encoding="utf-8")
    if fmt == "csv":
        rows = list(csv.reader(users.splitlines()))
        assert rows[0][:3] == ["id", "email", "username"] and len(rows) == 21
    else:
        records = [json.loads(line) for line in users.splitlines()]
        assert len(records) == 20 and records[0]["id"] == 1 and "@" in records[0]["email"]


def test_saved_plan_edited_and_replayed(db, tmp_path):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    path = tmp_path / "plan.yaml"
    data(db, "add 5 users and 10 posts", "--seed", "2", "--save-plan", str(path), "--dry-run")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# A QueryNL data plan")
    plan = yaml.safe_load(text)
    users = next(t for t in plan["tables"] if t["table"] == "users")
    users["count"] = 7
    name = next(c for c in users["columns"] if c["name"] == "full_name")
    name.update(generator="constant", params={"value": "Pat O'Neill"}, null_rate=0.0)
    path.write_text(yaml.safe_dump(plan, allow_unicode=True, sort_keys=False), encoding="utf-8")
    data(db, "--plan", str(path))
    counts = db.row_counts()
    assert counts["users"] == 7 and counts["posts"] == 10
    assert {r[3] for r in db.rows("users")} == {"Pat O'Neill"}
    assert db.verify() == []


def test_saved_plan_against_a_changed_schema(db, tmp_path):
    db.load(ZOO / "blog" / f"{db.dialect}.sql")
    path = tmp_path / "plan.yaml"
    data(db, "add 5 users and 10 posts", "--save-plan", str(path), "--dry-run")
    posts, users = db.quote("posts"), db.quote("users")
    db.execute(f"ALTER TABLE {posts} RENAME COLUMN {db.quote('title')} TO {db.quote('headline')}")
    db.execute(f"ALTER TABLE {users} ADD COLUMN nickname VARCHAR(20) NOT NULL DEFAULT 'x'")
    db.execute(f"DROP TABLE {db.quote('comments')}")
    result = run("data", "--plan", str(path), "--db", db.url, "--yes")
    assert result.exit_code == 5
    assert f"The saved plan {path} no longer fits the database" in result.output
    assert "table 'comments' does not exist" in result.output
    assert "posts.title: no such column" in result.output
    assert "posts.headline: NOT NULL without a default" in result.output
    assert db.row_counts() == {"users": 0, "posts": 0}


def test_saved_plan_runs_from_the_repl(sqlite_db, tmp_path):
    from querynl.connection import create_engine
    from querynl.repl import ReplSession

    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    path = tmp_path / "plan.yaml"
    data(sqlite_db, "add 6 users only", "--save-plan", str(path), "--dry-run")
    engine = create_engine(sqlite_db.url)
    try:
        ReplSession(engine, data_defaults={"yes": True, "sample": 0}).guarded(
            f"\\data --plan {path}"
        )
    finally:
        engine.dispose()
    assert sqlite_db.row_counts()["users"] == 6


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('tables: !!python/object/apply:os.system ["echo hi"]\n', "not a readable YAML plan"),
        ("- just\n- a list\n", "does not hold a plan"),
        ("dialect: sqlite\nseed: 1\nnow: 2025-01-01\ntables: []\nextra: 1\n", "extra"),
        (
            "dialect: sqlite\nseed: 1\nnow: 2025-01-01\ntables:\n- table: users\n  count: -5\n",
            "tables.0.count",
        ),
    ],
)
def test_hostile_plan_files_are_refused(sqlite_db, tmp_path, content, message):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    path = tmp_path / "plan.yaml"
    path.write_text(content, encoding="utf-8")
    result = run("data", "--plan", str(path), "--db", sqlite_db.url, "--yes")
    assert result.exit_code == 5, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_plan_generators_are_checked_against_the_catalogue(sqlite_db, tmp_path):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    path = tmp_path / "plan.yaml"
    data(sqlite_db, "add 5 users only", "--save-plan", str(path), "--dry-run")
    plan = yaml.safe_load(path.read_text(encoding="utf-8"))
    cols = plan["tables"][0]["columns"]
    next(c for c in cols if c["name"] == "full_name")["generator"] = "persn.full_name"
    next(c for c in cols if c["name"] == "created_at")["params"] = {"days_back": "DROP TABLE"}
    path.write_text(yaml.safe_dump(plan), encoding="utf-8")
    result = run("data", "--plan", str(path), "--db", sqlite_db.url, "--yes")
    assert result.exit_code == 5
    assert "users.full_name: unknown generator" in result.output
    assert "person.full_name" in result.output
    assert "users.created_at:" in result.output
    assert sqlite_db.row_counts()["users"] == 0


def test_usage_errors_for_the_new_options(sqlite_db, tmp_path):
    sqlite_db.load(ZOO / "blog" / "sqlite.sql")
    no_request = run("data", "--db", sqlite_db.url)
    assert no_request.exit_code == 2 and "--plan FILE" in no_request.output
    half = run("data", "add 5 users", "--db", sqlite_db.url, "--format", "csv")
    assert half.exit_code == 2 and "--format and --out go together" in half.output


def test_csv_keeps_null_and_empty_text_apart(pg_db, make_db, tmp_path):
    """Read back by PostgreSQL's own COPY ... CSV, an empty text is '' and NULL is NULL."""
    pg_db.load(ZOO / "blog" / "postgresql.sql")
    plan_path, out = tmp_path / "plan.yaml", tmp_path / "files"
    data(pg_db, "add 30 users only", "--seed", "2", "--save-plan", str(plan_path), "--dry-run")
    plan = yaml.safe_load(plan_path.read_text(encoding="utf-8"))
    users = next(t for t in plan["tables"] if t["table"] == "users")
    name = next(c for c in users["columns"] if c["name"] == "full_name")
    name.update(generator="choice", params={"values": ["", "Ann Lee"]}, null_rate=0.5)
    plan_path.write_text(yaml.safe_dump(plan, sort_keys=False), encoding="utf-8")
    data(pg_db, "--plan", str(plan_path), "--format", "csv", "--out", str(out))
    text = (out / "users.csv").read_text(encoding="utf-8")
    target = make_db("postgresql")
    target.load(ZOO / "blog" / "postgresql.sql")
    import psycopg

    with (
        psycopg.connect(target.url.replace("+psycopg", "")) as conn,
        conn.cursor() as cur,
        cur.copy("COPY users FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
    ):
        copy.write(text)
    names = [r[0] for r in target.execute("SELECT full_name FROM users ORDER BY id")]
    assert len(names) == 30 and None in names and "" in names, (names, text)
    assert set(names) <= {None, "", "Ann Lee"}
    assert text.splitlines()[0] == '"id","email","username","full_name","created_at"'
    # the same values the database would have got
    data(pg_db, "--plan", str(plan_path))
    assert [r[0] for r in pg_db.execute("SELECT full_name FROM users ORDER BY id")] == names
