"""Foreign keys that must be distinct together: junctions, UNIQUE(order_id, product_id).

The foreign keys of a group take distinct combinations of parent rows. A combination is one
number ``c = i0 + s0 * (i1 + s1 * (...))`` over the parents' sizes ``s0, s1, ...``, and a
``Permutation`` scatters the numbers, so row ``i`` of the table takes combination ``perm(i)``:
distinct by construction, without a set of what was used.

- A CHECK on the group's columns (``tag1 < tag2``, ``follower_id <> followee_id``) filters
  that sequence: the valid combinations are collected once per run, in permutation order, up to
  the number of rows wanted, so every row is distinct *and* valid.
- When one foreign key of the group is counted per parent ("each order with 1-4 items"), the
  others are distinct within each parent: row ``r`` of parent ``p`` takes the partner
  combination ``perm_p(r)``, so an order never lists a product twice.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import GenerationError
from ..generators.base import Permutation, derive_seed

# Walking more candidates than this to find valid combinations means the CHECK leaves almost
# nothing: stop and report rather than spin.
MAX_WALK = 50_000_000


@dataclass(frozen=True)
class ComboSpace:
    """Combinations of parent rows, one size per foreign key of the group."""

    sizes: tuple[int, ...]

    @property
    def total(self) -> int:
        total = 1
        for s in self.sizes:
            total *= max(s, 0)
        return total

    def decode(self, combo: int) -> list[int]:
        out = []
        for s in self.sizes:
            combo, r = divmod(combo, s)
            out.append(r)
        return out

    def decode_many(self, combos: Sequence[int]) -> list[list[int]]:
        """``decode`` of every combination, one list per foreign key (column by column)."""
        out = []
        rest = list(combos)
        for s in self.sizes:
            out.append([c % s for c in rest])
            rest = [c // s for c in rest]
        return out


def distinct_combos(
    space: ComboSpace,
    seed: int,
    needed: int,
    valid: Callable[[list[int]], bool] | None = None,
) -> list[int] | None:
    """The first ``needed`` valid combinations in permutation order (None: no filter needed).

    Without a filter every combination is valid and the permutation alone is enough, so
    nothing is precomputed; with one, the walk happens once per run and its result is shared
    by every batch.
    """
    if valid is None:
        return None
    perm = Permutation(space.total, seed)
    found: list[int] = []
    limit = min(space.total, MAX_WALK)
    position = 0
    while len(found) < needed and position < limit:
        combo = perm(position)
        if valid(space.decode(combo)):
            found.append(combo)
        position += 1
    return found


def combos_for_rows(
    space: ComboSpace, seed: int, start: int, n: int, filtered: list[int] | None
) -> list[list[int]]:
    """Per-row parent indices (one list per foreign key) for rows ``start .. start + n``."""
    if filtered is None:
        picks = Permutation(space.total, seed).many(start, n)
    else:
        picks = filtered[start : start + n]
    return space.decode_many(picks)


def partners_within_parent(
    space: ComboSpace,
    seed: int,
    parent_of_row: Sequence[int | None],
    rank: Sequence[int],
    taken: Callable[[int, list[int]], bool] | None = None,
) -> list[list[int | None]]:
    """Partner indices distinct within each parent: row of rank ``r`` under parent ``p``
    takes combination ``perm_p(r)``, skipping combinations existing rows hold (``taken``)."""
    total = space.total
    out: list[list[int | None]] = [[] for _ in space.sizes]
    free: dict[int, list[int]] = {}
    for p, r in zip(parent_of_row, rank):
        if p is None:
            for col in out:
                col.append(None)
            continue
        if taken is None:
            combo = Permutation(total, derive_seed(seed, p))(r % total)
        else:
            combo = _free_combo(space, derive_seed(seed, p), p, r, taken, free)
        for col, idx in zip(out, space.decode(combo)):
            col.append(idx)
    return out


def _free_combo(
    space: ComboSpace,
    seed: int,
    parent: int,
    rank: int,
    taken: Callable[[int, list[int]], bool],
    free: dict[int, list[int]],
) -> int:
    perm = Permutation(space.total, seed)
    found = free.setdefault(parent, [])
    position = found[-1] + 1 if found else 0
    while len(found) <= rank and position < space.total:
        if not taken(parent, space.decode(perm(position))):
            found.append(position)
        position += 1
    return perm(found[rank] if rank < len(found) else rank % space.total)


def check_enough(found: int, needed: int, table: str, group: str, total: int) -> None:
    """A clear error when a CHECK leaves fewer valid combinations than rows wanted."""
    if found < needed:
        raise GenerationError(
            f"{table}: ({group}) must be distinct and satisfy the table's CHECK; only {found:,} "
            f"of the {total:,} combinations of parent rows do, but {needed:,} rows were planned.",
            table=table,
            hint=f"Ask for at most {found:,} rows of {table}, or more parent rows.",
        )
