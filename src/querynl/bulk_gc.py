"""Python's cycle collector, tuned for making and loading millions of small rows.

Rows are tuples of scalars in lists: they hold no reference cycles, and reference counting frees
each batch once it is loaded. The cycle collector still walks them, and every object alive
before the run (value pools, schema, library modules) on each full collection, which costs
about a tenth of the time of a 100,000-row run. ``collector_paused`` moves the objects alive at
its start out of the collector's way (``gc.freeze``) and lets young collections run after
10,000 allocations instead of 700; both are put back when the run ends, also on failure.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

YOUNG_THRESHOLD = 10_000

_depth = 0  # nested runs (an export inside a REPL session) tune and restore once


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth
    if _depth:
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(YOUNG_THRESHOLD, before[0]), *before[1:])
    _depth = 1
    try:
        yield
    finally:
        _depth = 0
        gc.set_threshold(*before)
        gc.unfreeze()
