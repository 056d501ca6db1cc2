"""Hostile table and column names, and hostile values, survive the whole pipeline.

A Hypothesis property builds random schemas whose every name is made of quotes, backslashes,
semicolons, comment openers, driver placeholders (``%s``, ``:name``, ``?``), reserved words,
spaces, emoji and right-to-left text; fills some rows first with hostile values (text from every
Unicode plane, binary with every byte), then runs a plan whose text columns draw from hostile
values given by the user, round-tripped through JSON as a saved plan would be. Every row read
back must equal what the synthesizer generates for the same plan and seed, the rows that were
there before must be untouched, and no constraint may be broken.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import mysql

from dbkit import sort_rows
from hostile import (
    assert_no_traceback,
    fold,
    long_value,
    names,
    property_settings,
    text_values,
)
from querynl.cli import main
from querynl.connection import create_engine
from querynl.dialects import dialect_for
from querynl.models import DataGenerationPlan, TestDataRequest
from querynl.planner import PlanOptions, build_plan
from querynl.schema_design.data_synthesizer import DataSynthesizer
from querynl.schema_design.insertion_executor import InsertionExecutor
from querynl.schema_introspection import introspect

KINDS = ("text", "integer", "binary", "unique_text")
BATCH = 4


@dataclass
class TableShape:
    name: str
    key: str
    autoincrement: bool
    columns: list[tuple[str, str]]  # (name, kind)
    parent: int | None  # index of an earlier table the first extra column references
    count: int
    existing: list[dict[str, Any]] = field(default_factory=list)


def _text_type() -> sa.types.TypeEngine[Any]:
    return sa.Text().with_variant(mysql.LONGTEXT(), "mysql", "mariadb")


def _type(kind: str) -> sa.types.TypeEngine[Any]:
    return {
        "text": _text_type(),
        "integer": sa.Integer(),
        "binary": sa.LargeBinary().with_variant(mysql.BLOB(), "mysql", "mariadb"),
        "unique_text": sa.String(60),
        "fk": sa.Integer(),
    }[kind]


@st.composite
def schemas(draw: st.DrawFn, dialect: str) -> list[TableShape]:
    n_tables = draw(st.integers(1, 3))
    table_names = draw(names(dialect, min_size=n_tables, max_size=n_tables))
    shapes: list[TableShape] = []
    for i, tname in enumerate(table_names):
        n_cols = draw(st.integers(2, 5))
        key, *rest = draw(names(dialect, min_size=n_cols, max_size=n_cols))
        kinds = draw(st.lists(st.sampled_from(KINDS), min_size=len(rest), max_size=len(rest)))
        parent = draw(st.none() | st.integers(0, i - 1)) if i else None
        columns = list(zip(rest, kinds))
        if parent is not None:
            columns[0] = (columns[0][0], "fk")
        shape = TableShape(
            name=tname,
            key=key,
            autoincrement=draw(st.booleans()),
            columns=columns,
            parent=parent,
            count=draw(st.integers(1, 9)),
        )
        shape.existing = draw(_existing_rows(shape, shapes, dialect))
        shapes.append(shape)
    return shapes


@st.composite
def _existing_rows(
    draw: st.DrawFn, shape: TableShape, before: list[TableShape], dialect: str
) -> list[dict[str, Any]]:
    """Rows already in the table: hostile values a user put there, keys 1..n."""
    n = draw(st.integers(0, 2))
    rows: list[dict[str, Any]] = []
    seen_unique: dict[str, set[str]] = {}
    for k in range(1, n + 1):
        row: dict[str, Any] = {shape.key: k}
        for name, kind in shape.columns:
            if kind == "text":
                row[name] = draw(text_values(dialect))
            elif kind == "integer":
                row[name] = draw(st.integers(-(2**31), 2**31 - 1))
            elif kind == "binary":
                row[name] = draw(st.binary(max_size=40))
            elif kind == "unique_text":
                value = draw(text_values(dialect).map(lambda v: v[:60]))
                seen = seen_unique.setdefault(name, set())
                if fold(value) in seen or (
                    dialect == "mysql" and any(ord(c) > 0xFFFF for c in value)
                ):
                    value = f"u{k}"
                seen.add(fold(value))
                row[name] = value
            else:  # a foreign key to an existing parent row, or NULL
                parent = before[shape.parent]  # type: ignore[index]
                keys = [r[parent.key] for r in parent.existing]
                row[name] = draw(st.sampled_from(keys)) if keys else None
        rows.append(row)
    return rows


def _create(engine: sa.Engine, shapes: list[TableShape]) -> tuple[sa.MetaData, list[sa.Table]]:
    """The schema, built by SQLAlchemy Core (quoting done independently of QueryNL)."""
    meta = sa.MetaData()
    tables: list[sa.Table] = []
    for shape in shapes:
        cols: list[sa.Column[Any]] = [
            sa.Column(shape.key, sa.Integer, primary_key=True, autoincrement=shape.autoincrement)
        ]
        for name, kind in shape.columns:
            args: list[Any] = []
            if kind == "fk":
                parent = tables[shape.parent]  # type: ignore[index]
                args.append(sa.ForeignKey(parent.c[shapes[shape.parent].key]))  # type: ignore[index]
            cols.append(sa.Column(name, _type(kind), *args, unique=kind == "unique_text"))
        tables.append(sa.Table(shape.name, meta, *cols))
    meta.create_all(engine)
    with engine.begin() as conn:
        for shape, table in zip(shapes, tables):
            if shape.existing:
                conn.execute(table.insert(), shape.existing)
    return meta, tables


def _hostile_plan(
    plan: DataGenerationPlan, shapes: list[TableShape], values: list[str]
) -> DataGenerationPlan:
    """Plain text columns draw from values the user gave; the plan goes through JSON."""
    text_columns = {(s.name, c) for s in shapes for c, kind in s.columns if kind == "text"}
    for tplan in plan.tables:
        for cp in tplan.columns:
            if (tplan.table, cp.name) in text_columns:
                cp.generator, cp.params, cp.null_rate = "choice", {"values": values}, 0.0
    return DataGenerationPlan.model_validate_json(plan.model_dump_json())


def _expected(plan: DataGenerationPlan, meta: Any, engine: sa.Engine) -> dict[str, Any]:
    """What the synthesizer generates for this plan and seed, before anything is inserted."""
    synth = DataSynthesizer(
        copy.deepcopy(plan), meta, dialect_for(engine.dialect.name), batch_size=BATCH
    )
    with engine.connect() as conn:
        synth.compile(conn)
        conn.rollback()
    out = {}
    for tplan in plan.tables:
        rows = [row for batch in synth.batches(tplan.table) for row in batch]
        out[tplan.table] = (synth.tables[tplan.table].columns, rows)
    return out


@given(data=st.data())
@property_settings(examples=8)
def test_hostile_names_and_values_round_trip(db, data: st.DataObject) -> None:
    shapes = data.draw(schemas(db.dialect), label="schema")
    values = data.draw(
        st.lists(text_values(db.dialect), min_size=1, max_size=6, unique=True), label="values"
    )
    if data.draw(st.booleans(), label="a very long value"):
        values.append(long_value())
    meta_sa, tables = _create(db.engine, shapes)
    engine = create_engine(db.url)
    try:
        meta = introspect(engine)
        assert sorted(meta.tables) == sorted(s.name for s in shapes)
        request = TestDataRequest(counts={s.name: s.count for s in shapes})
        options = PlanOptions(seed=data.draw(st.integers(0, 2**31)), now=dt.date(2025, 1, 15))
        plan = _hostile_plan(build_plan(request, meta, options), shapes, values)
        expected = _expected(plan, meta, engine)
        result = InsertionExecutor(engine, meta, batch_size=BATCH).execute(plan)
        assert {t.table: t.rows for t in result.tables} == {t.table: t.count for t in plan.tables}
        for shape, table in zip(shapes, tables):
            columns, rows = expected[shape.name]
            before = [tuple(r.get(c) for c in columns) for r in shape.existing]
            with db.engine.connect() as conn:
                found = conn.execute(sa.select(*[table.c[c] for c in columns])).fetchall()
            assert sort_rows(found) == sort_rows(before + rows), shape.name
        assert db.verify() == []
    finally:
        engine.dispose()
        meta_sa.drop_all(db.engine)


# A fixed schema through the whole command line: plan, sample rows and results are printed
# with these names in them, so the terminal output must survive them too.
FIXED_NAMES = {
    "sqlite": [
        'a"b',
        "it's",
        "x`y",
        "back\\slash",
        "semi;colon",
        "dash--dash",
        "pct%s",
        "pct%(x)s",
        ":name",
        "select",
        "with space",
        "[bold]rich[/]",
        "🎉 party",
        "שלום עולם",
        "\u202eevil",
    ],
}
FIXED_NAMES["postgresql"] = FIXED_NAMES["sqlite"]
FIXED_NAMES["mysql"] = [n for n in FIXED_NAMES["sqlite"] if n != "🎉 party"]


def test_hostile_names_through_the_cli(db) -> None:
    names_ = FIXED_NAMES[db.dialect]
    meta = sa.MetaData()
    parent = sa.Table(
        names_[0],
        meta,
        sa.Column(names_[1], sa.Integer, primary_key=True),
        *[sa.Column(n, sa.String(40)) for n in names_[2:8]],
    )
    sa.Table(
        names_[8],
        meta,
        sa.Column(names_[9], sa.Integer, primary_key=True),
        sa.Column(names_[10], sa.Integer, sa.ForeignKey(parent.c[names_[1]]), nullable=False),
        sa.Column(names_[11], sa.String(40), unique=True),
        *[sa.Column(n, sa.Text) for n in names_[12:]],
    )
    meta.create_all(db.engine)
    result = CliRunner().invoke(
        main,
        ["data", "add some sample data", "--db", db.url, "--yes", "--seed", "5"],
    )
    assert_no_traceback(result.output)
    assert result.exit_code == 0, result.output
    counts = db.row_counts()
    assert counts[names_[0]] > 0 and counts[names_[8]] > 0
    assert db.verify() == []
    for name in names_[:12]:
        assert name in result.output, name


def test_sqlite_file_named_like_sql(tmp_path: Path) -> None:
    """A database file whose path carries quotes and semicolons is only a path."""
    path = tmp_path / "it's; DROP TABLE x; --.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql('CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "v" TEXT)')
    engine.dispose()
    result = CliRunner().invoke(main, ["data", "add 5 t", "--db", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    with sa.create_engine(f"sqlite:///{path}").connect() as conn:
        assert conn.exec_driver_sql('SELECT COUNT(*) FROM "t"').scalar() == 5


# Names that SQLAlchemy's reflection reads out of DDL text and once got wrong: PostgreSQL's
# foreign-key columns split on commas, MySQL's doubled backticks kept. Introspection must
# return them exactly, and a composite foreign key over them must be filled.
REFLECTION_TRAPS = [",", "a, b", ") REFERENCES x(", "back`tick", 'dq"', "it's"]


def test_names_that_break_ddl_parsers(db) -> None:
    meta = sa.MetaData()
    cols = REFLECTION_TRAPS
    parent = sa.Table(
        "parent, (x)",
        meta,
        *[sa.Column(c, sa.Integer, primary_key=True, autoincrement=False) for c in cols[:2]],
        sa.Column(cols[2], sa.String(20), unique=True),
    )
    sa.Table(
        '"child" `x`',
        meta,
        sa.Column(cols[3], sa.Integer, primary_key=True),
        sa.Column(cols[4], sa.Integer, nullable=False),
        sa.Column(cols[5], sa.Integer, nullable=False),
        sa.ForeignKeyConstraint([cols[4], cols[5]], [parent.c[cols[0]], parent.c[cols[1]]]),
    )
    meta.create_all(db.engine)
    engine = create_engine(db.url)
    try:
        schema = introspect(engine)
    finally:
        engine.dispose()
    child = schema.table('"child" `x`')
    assert [c.name for c in child.columns] == cols[3:]
    (fk,) = child.foreign_keys
    assert (fk.columns, fk.ref_table, fk.ref_columns) == (
        tuple(cols[4:6]),
        "parent, (x)",
        tuple(cols[:2]),
    )
    assert schema.table("parent, (x)").primary_key == tuple(cols[:2])
    result = CliRunner().invoke(
        main, ["data", "add some sample data", "--db", db.url, "--yes", "--sample", "0"]
    )
    assert result.exit_code == 0, result.output
    assert all(n > 0 for n in db.row_counts().values())
    assert db.verify() == []
