"""Saved plans: a plan as YAML a person can edit (``--save-plan FILE``), and read back and
checked against the current schema before it runs (``--plan FILE``).

A saved plan is data from outside, like an LLM's answer: it is read with ``yaml.safe_load``
(no tags, no objects), must have the plan's exact shape (unknown keys refused), and every
table, column, foreign key and generator it names must fit the schema as it is now. Each
column choice passes the same rules as an LLM's (``plan_proposal.check_column_choice``: the
closed catalogue, the generator's own parameter model, size caps, the column's type). Every
problem is reported at once, naming the table and column.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import PlanError, UsageError, did_you_mean
from .models import ColumnPlan, DataGenerationPlan, SchemaMetadata, TableInfo, TablePlan, TotalPlan
from .plan_proposal import KEY_GENERATORS, check_column_choice

MAX_PLAN_BYTES = 10_000_000

HEADER = """\
# A QueryNL data plan. Edit it, then run it with:  querynl data --plan {name} --db ...
# Per table: count (rows to insert) and, per column, a generator from the catalogue with its
# parameters (choice takes values and weights, integer/decimal min and max, date ranges...),
# null_rate (0-1) and unique. Key columns (sequence) and foreign keys (foreign_key, see
# foreign_keys: strategy, min_per_parent/max_per_parent) are filled by QueryNL. `seed` makes
# the rows reproducible; --seed on the command line overrides it.
"""


def save_plan(plan: DataGenerationPlan, path: Path) -> None:
    """Write ``plan`` to ``path`` as commented YAML."""
    data = plan.model_dump(mode="json", exclude={"llm"})
    text = HEADER.format(name=path.name) + yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100
    )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot write the plan to {path}: {exc.strerror or exc}.") from None


def load_plan(path: Path) -> DataGenerationPlan:
    """Read a saved plan; a clear ``PlanError`` for anything that is not one."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"Cannot read the plan {path}: {exc.strerror or exc}.") from None
    if len(raw) > MAX_PLAN_BYTES:
        raise PlanError(f"{path} is {len(raw):,} bytes; a saved plan is at most 10 MB.")
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise PlanError(
            f"{path} is not a readable YAML plan: {_first_line(exc)}",
            hint="Fix the file, or save a new one with --save-plan FILE.",
        ) from None
    if not isinstance(data, dict):
        raise PlanError(f"{path} does not hold a plan (a mapping with tables: ...).")
    try:
        return DataGenerationPlan.model_validate(data)
    except ValidationError as exc:
        problems = [_validation_text(e) for e in exc.errors()[:10]]
        raise PlanError(
            f"{path} is not a valid plan:\n" + "\n".join(f"  - {p}" for p in problems),
            hint="Compare it with a plan saved by --save-plan FILE.",
        ) from None


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:300]


def _validation_text(error: Any) -> str:
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {error['msg']}"[:300]


def check_plan(plan: DataGenerationPlan, meta: SchemaMetadata, source: str) -> None:
    """Raise ``PlanError`` listing everything in ``plan`` that no longer fits ``meta``."""
    problems: list[str] = []
    names = [t.table for t in plan.tables]
    if len(set(names)) != len(names):
        problems.append("a table is listed twice")
    for tplan in plan.tables:
        if tplan.table not in meta.tables:
            problems.append(
                f"table {tplan.table!r} does not exist" + did_you_mean(tplan.table, meta.tables)
            )
            continue
        problems += _table_problems(tplan, meta.table(tplan.table), names)
    for total in plan.totals:
        problem = _total_problem(total, meta, names)
        if problem is not None:
            problems.append(problem)
    if problems:
        raise PlanError(
            f"The saved plan {source} no longer fits the database:\n"
            + "\n".join(f"  - {p}" for p in problems),
            hint="Edit those entries, or save a new plan for this schema with --save-plan FILE.",
        )
    plan.dialect = meta.dialect


def _table_problems(tplan: TablePlan, table: TableInfo, planned: list[str]) -> list[str]:
    problems: list[str] = []
    name = tplan.table
    fks = {fk.label: fk for fk in table.foreign_keys}
    planned_fks = {fp.name for fp in tplan.foreign_keys}
    for fp in tplan.foreign_keys:
        fk = fks.get(fp.name)
        gone = fk is None or list(fk.columns) != fp.columns or fk.ref_table != fp.ref_table
        if gone and fp.declared:
            problems.append(
                f"{name}: foreign key {fp.name!r} ({', '.join(fp.columns)} -> "
                f"{fp.ref_table}) is not in the schema" + did_you_mean(fp.name, fks)
            )
            continue
        if fp.ref_table not in planned and fp.use_new and not fp.use_existing:
            problems.append(f"{name}: foreign key {fp.name!r} needs rows of {fp.ref_table}")
    for cp in tplan.columns:
        if not table.has_column(cp.name):
            problems.append(
                f"{name}.{cp.name}: no such column" + did_you_mean(cp.name, table.column_names)
            )
            continue
        problem = _column_problem(table, cp, tplan)
        if problem:
            problems.append(f"{name}.{cp.name}: {problem}")
    filled = {cp.name for cp in tplan.columns}
    for col in table.columns:
        if col.name in filled or col.computed or col.nullable or col.has_default:
            continue
        problems.append(
            f"{name}.{col.name}: NOT NULL without a default, and the plan does not fill it "
            "(added or renamed since the plan was saved?)"
        )
    for fk in table.foreign_keys:
        needed = any(not table.column(c).nullable for c in fk.columns)
        if needed and fk.label not in planned_fks and tplan.count:
            problems.append(f"{name}: the plan does not fill the foreign key {fk.label}")
    return problems


def _column_problem(table: TableInfo, cp: ColumnPlan, tplan: TablePlan) -> str | None:
    if cp.generator == "foreign_key":
        if not any(cp.name in fp.columns for fp in tplan.foreign_keys):
            return "foreign_key fills only columns of a foreign key listed under foreign_keys"
        return None
    if cp.generator in KEY_GENERATORS:
        from . import generators

        try:
            generators.validate_params(cp.generator, cp.params, f"{table.name}.{cp.name}")
        except PlanError as exc:
            return exc.message.split(": ", 1)[-1]
        return None
    return check_column_choice(table, table.column(cp.name), cp.generator, cp.params)


def _total_problem(total: TotalPlan, meta: SchemaMetadata, planned: list[str]) -> str | None:
    """A total must name planned tables, their columns and the child's key to the parent."""
    where = f"totals: {total.table}.{total.column}"
    for name in (total.table, total.child):
        if name not in planned or name not in meta.tables:
            return f"{where}: table {name!r} is not in the plan"
    parent, child = meta.table(total.table), meta.table(total.child)
    for table, column in (
        (parent, total.column),
        (parent, total.key),
        (child, total.fk),
        (child, total.price),
        (child, total.quantity),
        (child, total.discount),
    ):
        if column is not None and not table.has_column(column):
            return f"{where}: {table.name} has no column {column!r}"
    if not any(list(fk.columns) == [total.fk] for fk in child.foreign_keys):
        return f"{where}: {child.name}.{total.fk} is not a foreign key to {parent.name}"
    return None
