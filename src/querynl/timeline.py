"""The times of a row in the order things happen, and after the times of their parent rows.

A row is created, then ordered or started, published, shipped, delivered or ended, updated,
and at last deleted. The planner keeps the first of a table's times on its own window and
makes each later one follow the one before it (``after``), so ``created_at <= updated_at <=
deleted_at`` and ``order_date <= shipped_date`` hold in every row by construction. The first
time of a child row follows the time of its parent row (``after_parent``): comments come
after their post, an employee's salaries after the hire.
"""

from __future__ import annotations

from . import semantics
from .models import ColumnPlan, ForeignKeyPlan, SchemaMetadata, TableInfo, TablePlan

# meaning -> (rank in a row's life, smallest gap, largest gap in days, may pass the reference day)
STAGES: dict[str, tuple[int, float, float, bool]] = {
    "creation time": (1, 0, 0, False),
    "hire date": (1, 0, 0, False),
    "order time": (2, 0, 30, False),
    "start time": (2, 0, 60, False),
    "publication time": (3, 0, 30, False),
    "shipping time": (4, 0.1, 5, False),
    "delivery time": (5, 0.5, 10, False),
    "end time": (5, 1, 365, False),
    "due date": (5, 7, 60, True),  # counted from the row's first time
    "last login": (6, 0, 180, False),
    "update time": (7, 0, 365, False),
    "deletion time": (8, 0, 180, False),
}
TIME_GENERATORS = ("datetime", "date")
DELETED_NULL_RATE = 0.85  # most rows are not deleted


FROM_ROOT = ("due date",)
LATEST = ("update time", "deletion time")
# a child row's first time follows its parent's creation, order or start, not its updates
PARENT_STAGES = 3


def _stage(cp: ColumnPlan) -> int | None:
    stage = STAGES.get(cp.note or "")
    if stage is None or cp.generator not in TIME_GENERATORS:
        return None
    return stage[0]


def _bounded(cp: ColumnPlan) -> bool:
    """A window a CHECK (or partition bound) set: the column keeps it."""
    return bool(cp.params.get("start") or cp.params.get("end"))


def order_times(table: TableInfo, columns: list[ColumnPlan]) -> ColumnPlan | None:
    """Chain the row's times in the order things happen; returns the first (the root).

    A unique time keeps its own values (they are distinct by construction) but later times
    still follow it."""
    timed = [(rank, i, cp) for i, cp in enumerate(columns) if (rank := _stage(cp)) is not None]
    timed.sort(key=lambda t: (t[0], t[1]))
    if not timed:
        return None
    root = timed[0][2]
    placed = [root]
    for _rank, _i, cp in timed[1:]:
        if cp.unique or _bounded(cp):
            placed.append(cp)
            continue
        nullable = table.column(cp.name).nullable
        chain = placed[:1] if cp.note in FROM_ROOT else placed
        base = next(
            (b for b in reversed(chain) if nullable or not table.column(b.name).nullable),
            None,
        )
        if base is None:
            continue
        _, low, high, future = STAGES[cp.note or ""]
        params: dict[str, object] = {"column": base.name, "min_days": low, "max_days": high}
        if future:
            params["future"] = True
        if cp.note in LATEST:  # an update comes after everything else that happened
            others = [b.name for b in placed if b is not base and b.note not in FROM_ROOT]
            if others:
                params["also"] = others
        cp.generator, cp.params = "after", params
        if cp.note == "deletion time" and nullable:
            cp.null_rate = DELETED_NULL_RATE
        cp.note = f"{cp.note}, after {base.name}"
        placed.append(cp)
    return root


def follow_parent(
    table: TableInfo,
    root: ColumnPlan | None,
    fks: list[ForeignKeyPlan],
    parent_roots: dict[str, tuple[str, str]],
) -> None:
    """Let the row's first time come after its parent row's (the latest-stage parent that
    happens no later than the row itself). ``parent_roots``: table -> (time column, meaning)."""
    if root is None or root.generator not in TIME_GENERATORS or root.unique or _bounded(root):
        return
    rank = STAGES[root.note or ""][0] if root.note in STAGES else None
    if rank is None:
        return
    best: tuple[int, ForeignKeyPlan, str] | None = None
    for fp in fks:
        if fp.ref_table == table.key or fp.strategy in ("deferred", "deferred_update", "tree"):
            continue
        found = parent_roots.get(fp.ref_table)
        if found is None:
            continue
        column, meaning = found
        parent_rank = STAGES[meaning][0]
        if parent_rank > PARENT_STAGES:
            continue
        if parent_rank <= rank and (best is None or parent_rank > best[0]):
            best = (parent_rank, fp, column)
    if best is None:
        return
    _, fp, column = best
    meaning = root.note
    root.generator = "after_parent"
    root.params = {"fk": fp.name, "column": column}
    root.note = f"{meaning}, after {fp.ref_table}.{column}"


def root_time(tplan: TablePlan) -> tuple[str, str] | None:
    """(column, meaning) of a planned table's first time, for its children to follow."""
    for cp in tplan.columns:
        meaning = (cp.note or "").split(",")[0]
        if meaning in STAGES and cp.generator in (*TIME_GENERATORS, "after_parent"):
            return cp.name, meaning
    return None


def age_from_birth(columns: list[ColumnPlan]) -> None:
    """An ``age`` column next to a birth date is counted from it, so the two agree."""
    birth = next((c for c in columns if c.generator == "person.birth_date"), None)
    if birth is None:
        return
    for cp in columns:
        if cp.generator != "person.age":
            continue
        asked = {k: cp.params[k] for k in ("min_age", "max_age") if k in cp.params}
        if asked:  # "customers aged 18 to 30" reached the age: the birth dates take it
            birth.params = {**birth.params, **asked}
        cp.params = {"birth_column": birth.name}
        cp.note = f"age, from {birth.name}" + (" (ages from the request)" if asked else "")


def existing_roots(
    meta: SchemaMetadata, counts: dict[str, int], domain: str | None
) -> dict[str, tuple[str, str]]:
    """The first time of each table a run does not fill but whose rows children may
    reference: table -> (column, meaning)."""
    roots: dict[str, tuple[str, str]] = {}
    for table in meta.tables.values():
        if counts.get(table.key) or not table.row_count:
            continue
        found = []
        for col in table.columns:
            guessed = semantics.guess(col, table, domain)
            if guessed is not None and guessed[2] in STAGES:
                found.append((STAGES[guessed[2]][0], col.name, guessed[2]))
        if found:
            _, column, meaning = min(found)
            roots[table.key] = (column, meaning)
    return roots
