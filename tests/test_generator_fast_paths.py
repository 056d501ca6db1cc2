"""The shortcuts that make column generation fast give exactly what the plain way gives: the
same numbers from the same random stream, the same times, the same cut texts."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from querynl.generators.base import RunEnv, cut, randints
from querynl.generators.pools import Pools
from querynl.generators.relations import _later_times_mixed, later_times


@pytest.mark.parametrize(("lo", "hi"), [(2, 6), (5, 5), (0, 1), (-3, 3), (1, 1000), (0, 2**40)])
def test_randints_are_randint_from_the_same_stream(lo: int, hi: int) -> None:
    ours, theirs = random.Random(42), random.Random(42)
    assert randints(ours, lo, hi, 3000) == [theirs.randint(lo, hi) for _ in range(3000)]
    assert ours.random() == theirs.random()  # the stream is left where randint leaves it


@pytest.mark.parametrize("future", [False, True])
def test_later_times_of_naive_datetimes_match_the_general_path(future: bool) -> None:
    env = RunEnv(seed=1, now=dt.date(2025, 6, 1), locale="en_US", pools=Pools("en_US"))
    start = dt.datetime(2025, 5, 20, 8, 30)
    # far back, close to the reference moment, and after it
    base = [start - dt.timedelta(days=400 * (i % 3), hours=i) for i in range(500)]
    base += [dt.datetime(2025, 6, 1, 23, 0), dt.datetime(2025, 7, 1)]
    fast = later_times(base, random.Random(7).random, 0.5, 30, env, future)
    lo, top = 0.5 * 86400, 30 * 86400
    plain = _later_times_mixed(base, random.Random(7).random, lo, top, env.now_dt, future)
    assert fast == plain
    assert all(b <= v for b, v in zip(base, fast))
    if not future:
        assert all(v <= max(b, env.now_dt) for b, v in zip(base, fast))


def test_later_times_keep_nulls_text_and_zones() -> None:
    env = RunEnv(seed=1, now=dt.date(2025, 6, 1), locale="en_US", pools=Pools("en_US"))
    aware = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
    base = [None, "2025-01-02 10:00:00", aware]
    out = later_times(base, random.Random(3).random, 0, 5, env, False)
    assert out[0] is None
    assert out[1] > dt.datetime(2025, 1, 2, 10)
    assert out[2].tzinfo is not None and out[2] >= aware


def test_cut_trims_only_what_is_too_long() -> None:
    values = ["short", "exactly10!", "this one is too long"]
    assert cut(values, 10) == ["short", "exactly10!", "this one i"]
    same = ["a", "bb"]
    assert cut(same, 5) is same  # nothing to cut: the list itself
    assert cut([None, "toolong", 3], 3) == [None, "too", 3]
