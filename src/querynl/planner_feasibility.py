"""Whether a plan's counts can be met: unique values a column's type and generator can
make, one-to-one and distinct-pair limits, per-parent counts, foreign keys the database cannot
check. Every problem is collected, then raised together (``InfeasibleError``); a count nobody
asked for is shrunk to what fits, with a note.

``Feasibility`` is a part of the planner (``planner._Planner`` inherits it), written apart to
keep each file to one concern.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import generators
from .errors import InfeasibleError, PlanError
from .models import ColumnPlan, ForeignKeyPlan, SchemaMetadata, TableInfo, TablePlan

if TYPE_CHECKING:
    from .dialects import Dialect
    from .generators.base import RunEnv


class Feasibility:
    """The planner's checks of its counts (see the module docstring)."""

    meta: SchemaMetadata
    dialect: Dialect
    env: RunEnv
    notes: list[str]
    problems: list[str]
    explicit: set[str]

    def _feasibility(self, tables: list[TablePlan]) -> None:
        problems: list[str] = list(self.problems)
        counts = {t.table: t.count for t in tables}
        problems += self._unusable_foreign_keys(tables)
        for tplan in tables:
            problems += self._per_parent_problems(tplan, counts)
        for tplan in tables:
            table = self.meta.table(tplan.table)
            limit, why = self._max_rows(table, tplan, counts)
            if limit is None or tplan.count <= limit:
                continue
            if tplan.table in self.explicit:
                problems.append(
                    f"{tplan.table}: {tplan.count:,} rows requested, but {why}; "
                    f"at most {limit:,} new rows fit."
                )
            else:
                self.notes.append(f"{tplan.table}: {tplan.count} rows shrunk to {limit} ({why}).")
                tplan.count = limit
        if problems:
            raise InfeasibleError(problems, hint="Ask for at most the counts above.")

    def _max_rows(
        self, table: TableInfo, tplan: TablePlan, counts: dict[str, int]
    ) -> tuple[int | None, str]:
        best: tuple[int | None, str] = (None, "")

        def tighter(limit: int, why: str) -> None:
            nonlocal best
            if best[0] is None or limit < best[0]:
                best = (max(0, limit), why)

        for cp in tplan.columns:
            if not cp.unique or cp.generator == "foreign_key":
                continue
            cap = self._capacity(table, cp, tplan.count)
            if cap is not None and table.column(cp.name).nullable:
                if cap < tplan.count + table.row_count:
                    self.notes.append(
                        f"{tplan.table}.{cp.name} is unique with {cap:,} possible values: "
                        "rows after those get NULL."
                    )
            elif cap is not None and cp.generator == "sequence":
                start = cp.params.get("start") or 1
                tighter(
                    cap,
                    f"the keys of {cp.name} would overflow {table.column(cp.name).type.sql}: "
                    f"the next key is {start:,} and the type holds up to {start + cap - 1:,}",
                )
            elif cap is not None:
                held = f", {table.row_count:,} of them in use" if table.row_count else ""
                tighter(
                    cap - table.row_count,
                    f"{cp.name} must be unique and its type/generator "
                    f"({table.column(cp.name).type.sql}) allows only {cap:,} distinct "
                    f"values{held}",
                )
        parents = {fp.name: self._parent_rows(fp, counts) for fp in tplan.foreign_keys}
        groups: dict[str, int] = {}
        anchored = {fp.group for fp in tplan.foreign_keys if fp.strategy == "per_parent"}
        for fp in tplan.foreign_keys:
            if fp.strategy == "one_to_one":
                held = f" and {table.row_count:,} already have one" if table.row_count else ""
                tighter(
                    parents[fp.name] - table.row_count,
                    f"each {fp.ref_table} row can have one {table.name} row "
                    f"({parents[fp.name]:,} {fp.ref_table} rows{held})",
                )
            elif fp.strategy == "pairs" and fp.group and fp.group not in anchored:
                groups[fp.group] = groups.get(fp.group, 1) * max(parents[fp.name], 0)
            elif parents[fp.name] == 0 and fp.null_rate == 0 and fp.strategy not in ("tree",):
                tighter(0, f"{fp.ref_table} has no rows to reference")
        for group, combos in groups.items():
            held = f", {table.row_count:,} of them already used" if table.row_count else ""
            tighter(
                combos - table.row_count,
                f"({group.replace(',', ', ')}) must be distinct and the parents allow "
                f"{combos:,} combinations{held}",
            )
        return best

    def _unusable_foreign_keys(self, tables: list[TablePlan]) -> list[str]:
        """Foreign keys the database itself cannot check: SQLite refuses every insert into
        either table ("foreign key mismatch") when the parent columns are not a key."""
        if not self.dialect.requires_unique_fk_target:
            return []
        filled = {t.table for t in tables}
        problems = []
        for table in self.meta.tables.values():
            for fk in table.foreign_keys:
                if table.key not in filled and fk.ref_table not in filled:
                    continue
                parent = self.meta.tables.get(fk.ref_table)
                if parent is None:
                    problems.append(
                        f"{table.key}: foreign key {fk.label} points at table {fk.ref_table}, "
                        "which does not exist; the database rejects every insert into "
                        f"{table.key}."
                    )
                elif set(fk.ref_columns) not in [set(u) for u in parent.unique_sets]:
                    problems.append(
                        f"{table.key}: foreign key {fk.label} points at "
                        f"{fk.ref_table}({', '.join(fk.ref_columns)}), which is neither the "
                        f"primary key nor UNIQUE; {self.meta.dialect} rejects inserts into both "
                        'tables ("foreign key mismatch"). Make those columns UNIQUE or fix the '
                        "foreign key."
                    )
        return problems

    def _per_parent_problems(self, tplan: TablePlan, counts: dict[str, int]) -> list[str]:
        """ "each order with 1-4 items" where (order_id, product_id) is unique: every order
        needs up to 4 distinct products."""
        problems = []
        for anchor in tplan.foreign_keys:
            if anchor.strategy != "per_parent" or not anchor.group:
                continue
            partners = [
                fp for fp in tplan.foreign_keys if fp.group == anchor.group and fp is not anchor
            ]
            combos = 1
            for fp in partners:
                combos *= self._parent_rows(fp, counts)
            top = anchor.max_per_parent or 0
            group = anchor.group.replace(",", ", ")
            if top > combos:
                names = ", ".join(fp.ref_table for fp in partners)
                problems.append(
                    f"{tplan.table}: up to {top} rows per {anchor.ref_table} row were asked for, "
                    f"but ({group}) must be distinct and {names} "
                    f"{'has' if len(partners) == 1 else 'have'} only {combos:,} "
                    f"{'rows' if len(partners) == 1 else 'combinations'}; "
                    f"at most {combos:,} per {anchor.ref_table} row fit."
                )
        return problems

    def _parent_rows(self, fp: ForeignKeyPlan, counts: dict[str, int]) -> int:
        existing = (
            self.meta.table(fp.ref_table).row_count if fp.ref_table in self.meta.tables else 0
        )
        return existing + (counts.get(fp.ref_table, 0) if fp.use_new else 0)

    def _capacity(self, table: TableInfo, cp: ColumnPlan, rows: int) -> int | None:
        try:
            gen = generators.build(
                cp.generator,
                cp.params,
                table.column(cp.name),
                table,
                self.env,
                unique=True,
                rows=rows,
            )
        except (ValueError, PlanError):
            return None
        return gen.capacity()
