"""Hostile plans (saved, edited or proposed by an LLM) are refused before anything runs.

A plan is data from outside: a column name may carry SQL, a table or generator may not exist,
a count may be negative, absurd or not a number, and generator parameters may try to read
files, render templates or size unbounded work. Each is refused with a message naming the
field, the database keeps exactly its rows, and no parameter value ever opens a file.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from hostile import property_settings
from querynl import generators
from querynl.connection import create_engine
from querynl.errors import PlanError, QueryNLError
from querynl.models import MAX_TABLE_ROWS, DataGenerationPlan, TestDataRequest
from querynl.planner import PlanOptions, build_plan
from querynl.schema_design.insertion_executor import InsertionExecutor
from querynl.schema_introspection import introspect

INJECTED = "email, name) SELECT k, v FROM secrets --"


@pytest.fixture
def shop(db):
    """users to fill, and a secrets table a hostile plan would like to read."""
    db.load(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(80) NOT NULL, "
        "name VARCHAR(80) NOT NULL);\n"
        "CREATE TABLE secrets (k VARCHAR(20) PRIMARY KEY, v VARCHAR(40) NOT NULL);\n"
        "INSERT INTO secrets (k, v) VALUES ('api', 'the-secret-value');"
    )
    return db


def plan_for(db, counts: dict[str, int]) -> tuple[DataGenerationPlan, Any, Any]:
    engine = create_engine(db.url)
    meta = introspect(engine)
    request = TestDataRequest(counts=counts, all_tables=False)
    plan = build_plan(request, meta, PlanOptions(seed=1, now=dt.date(2025, 1, 1)))
    return plan, meta, engine


def run_refused(db, plan: DataGenerationPlan, meta: Any, engine: Any) -> QueryNLError:
    """Execute the plan; it must fail with a QueryNLError and leave every table as it was."""
    before = {t: db.rows(t) for t in db.table_names()}
    try:
        with pytest.raises(QueryNLError) as caught:
            InsertionExecutor(engine, meta).execute(plan)
    finally:
        engine.dispose()
    assert {t: db.rows(t) for t in db.table_names()} == before
    return caught.value


def test_a_column_name_carrying_sql_is_refused(shop) -> None:
    plan, meta, engine = plan_for(shop, {"users": 3})
    plan.table("users").column("email").name = INJECTED
    error = run_refused(shop, plan, meta, engine)
    assert isinstance(error, PlanError)
    assert INJECTED in error.message and "does not exist" in error.message
    assert "the-secret-value" not in error.message


def test_a_table_that_does_not_exist_is_refused(shop) -> None:
    plan, meta, engine = plan_for(shop, {"users": 3})
    plan.tables[0].table = "users; DROP TABLE secrets"
    error = run_refused(shop, plan, meta, engine)
    assert "users; DROP TABLE secrets" in error.message and "does not exist" in error.message


def test_a_generator_outside_the_catalogue_is_refused(shop) -> None:
    plan, meta, engine = plan_for(shop, {"users": 3})
    column = plan.table("users").column("name")
    column.generator, column.params = "__import__('os').system", {"cmd": "id"}
    error = run_refused(shop, plan, meta, engine)
    assert "Unknown generator" in error.message and "__import__" in error.message


@pytest.mark.parametrize(
    ("count", "problem"),
    [
        (-1, "greater than or equal to 0"),
        (10**12, "less than or equal to"),
        ("abc", "valid integer"),
        (2.5, "valid integer"),
        (None, "valid integer"),
    ],
)
def test_absurd_counts_are_refused_naming_the_field(count: Any, problem: str) -> None:
    data = {
        "dialect": "sqlite",
        "seed": 1,
        "now": "2025-01-01",
        "tables": [{"table": "users", "count": count}],
    }
    with pytest.raises(ValidationError) as caught:
        DataGenerationPlan.model_validate(data)
    (error,) = caught.value.errors()
    assert error["loc"] == ("tables", 0, "count")
    assert problem in error["msg"]


def test_the_largest_count_is_accepted() -> None:
    data = {"dialect": "sqlite", "seed": 1, "now": "2025-01-01"}
    data["tables"] = [{"table": "users", "count": MAX_TABLE_ROWS}]
    assert DataGenerationPlan.model_validate(data).total_rows == MAX_TABLE_ROWS


# ---------------------------------------------------------------------------------------------
# Every generator of the catalogue, with hostile parameters
# ---------------------------------------------------------------------------------------------

SECRET_TEXT = "QNL-SECRET-FILE-CONTENT-5f1c"

# One column per kind of value SQLite can hold; each generator fills the first that fits.
KIND_COLUMNS = {
    "string": "s",
    "text": "txt",
    "integer": "n",
    "decimal": "dec",
    "float": "f",
    "date": "d",
    "datetime": "ts",
    "time": "tm",
    "binary": "b",
    "boolean": "flag",
    "json": "j",
    "uuid": "u",
}
HOSTILE_TABLE = f"""
CREATE TABLE target (
    id INTEGER PRIMARY KEY, s VARCHAR(50), txt TEXT, n INTEGER, dec NUMERIC(10, 2), f REAL,
    d DATE, ts TIMESTAMP, tm TIME, b BLOB, flag BOOLEAN, j JSON, u UUID,
    start_at TIMESTAMP, {", ".join(f"x{i} TEXT" for i in range(3))}
);
"""


def hostile_strings(secret: Path) -> list[str]:
    path = str(secret)
    return [
        path,
        f"file://{path}",
        f"@{path}",
        f"$(cat {path})",
        f"`cat {path}`",
        f"{{{{ open('{path}').read() }}}}",
        f"{{% include '{path}' %}}",
        f'<!--#include file="{path}" -->',
        "{0.__class__.__mro__}",
        "%(x)s %s %n",
        "${jndi:ldap://127.0.0.1/x}",
        "../" * 12 + "etc/passwd",
        "\\\\127.0.0.1\\share\\x",
        "x" * 5000,
        "",
    ]


WILD_NUMBERS = [
    -1,
    0,
    1,
    2**31,
    2**63,
    10**12,
    -(10**12),
    10**40,
    math.inf,
    -math.inf,
    math.nan,
    1e308,
    0.5,
]


def param_values(annotation: Any, strings: list[str]) -> st.SearchStrategy[Any]:
    """Hostile values for a parameter, by its annotation (always some of every kind too)."""
    text = repr(annotation)
    anything = st.one_of(
        st.sampled_from(strings),
        st.sampled_from(WILD_NUMBERS),
        st.lists(st.sampled_from(strings), max_size=3),
        st.just({"__class__": "os.system"}),
        st.none(),
    )
    if "Literal" in text:
        return st.one_of(st.sampled_from(typing.get_args(annotation) or ["x"]), anything)
    if "list" in text:
        return st.one_of(st.lists(st.sampled_from(strings), min_size=1, max_size=4), anything)
    if "int" in text or "float" in text:
        return st.one_of(st.sampled_from(WILD_NUMBERS), st.integers(), anything)
    if "date" in text:
        return st.one_of(
            st.sampled_from(["0001-01-01", "9999-12-31", "2025-02-30", "yesterday"]), anything
        )
    return anything


@st.composite
def catalogue_choices(draw: st.DrawFn, strings: list[str]) -> tuple[str, dict[str, Any]]:
    name = draw(st.sampled_from(sorted(generators.catalogue())))
    fields = generators.get(name).Params.model_fields
    chosen = draw(st.lists(st.sampled_from(sorted(fields)), unique=True)) if fields else []
    params = {f: draw(param_values(fields[f].annotation, strings)) for f in chosen}
    if draw(st.booleans()):
        params[draw(st.sampled_from(["__class__", "eval", "path", "template", "regex"]))] = draw(
            st.sampled_from(strings)
        )
    return name, params


def target_column(name: str) -> str:
    kinds = generators.get(name).kinds
    for kind in kinds or ("text",):
        if kind in KIND_COLUMNS:
            return KIND_COLUMNS[kind]
    return "txt"


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET_TEXT + "\n", encoding="utf-8")
    return path


@pytest.fixture
def file_opens() -> list[str]:
    """Every file this process opens while the fixture is active (PEP 578 audit events)."""
    seen: list[str] = []
    active = [True]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if active[0] and event == "open" and args and isinstance(args[0], (str, bytes, Path)):
            seen.append(str(args[0]))

    sys.addaudithook(hook)  # audit hooks cannot be removed; this one goes quiet after the test
    yield seen
    active[0] = False


@given(data=st.data())
@property_settings(examples=120)
def test_hostile_generator_parameters_never_escape(
    sqlite_db, secret_file: Path, file_opens: list[str], data: st.DataObject
) -> None:
    """Any generator, any parameters: refused with a QueryNLError that names the column (and
    nothing inserted), or rows are generated and inserted; never another exception, never a
    read of a file named in a parameter, never its content in a value."""
    db = sqlite_db
    if not db.table_names():
        db.load(HOSTILE_TABLE)
    strings = hostile_strings(secret_file)
    name, params = data.draw(catalogue_choices(strings), label="generator and parameters")
    plan, meta, engine = plan_for(db, {"target": 4})
    column = plan.table("target").column(target_column(name))
    column.generator, column.params = name, params
    opened_before = len(file_opens)
    try:
        result = InsertionExecutor(engine, meta, batch_size=2).execute(plan)
    except QueryNLError as exc:
        assert column.name in exc.message or name in exc.message or "target" in exc.message
        assert db.row_counts()["target"] == 0
    else:
        assert result.total_rows == db.row_counts()["target"] == 4
        with db.engine.begin() as conn:
            rows = conn.execute(sa.text("SELECT * FROM target")).fetchall()
            conn.execute(sa.text("DELETE FROM target"))
        assert SECRET_TEXT not in repr(rows)
    finally:
        engine.dispose()
    assert not [p for p in file_opens[opened_before:] if "secret" in p]
