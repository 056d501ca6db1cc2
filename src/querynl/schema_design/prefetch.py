"""Batches made by a background thread while the database loads the previous one.

A server database (PostgreSQL, MySQL) parses, checks and stores a batch in its own process;
meanwhile this process can make the next batch instead of waiting. ``ahead`` runs any iterator
in one producer thread, a bounded number of items ahead, so the items and their order are
exactly the iterator's and memory stays flat. An exception in the producer is raised in the
consumer; when the consumer stops early (an error, Ctrl+C) the producer stops after the item
it is making.

``Pipeline`` does it for a run: one thread makes the batches of table after table in plan
order, so the next table's first rows are ready while the server still finishes the last
table's.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator, Sequence
from typing import Any, Generic, TypeVar

from ..errors import GenerationError

T = TypeVar("T")

_DONE = object()


class Ahead(Generic[T]):
    """The items of an iterator, made by a background thread (started at once) at most
    ``depth`` items ahead."""

    def __init__(self, items: Iterator[T], depth: int = 2) -> None:
        self._made: queue.Queue[object] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._produce, args=(items,), name="querynl-batches", daemon=True
        )
        self._thread.start()

    def __iter__(self) -> Ahead[T]:
        return self

    def __next__(self) -> T:
        item = self._made.get()
        if item is _DONE:
            self._made.put(_DONE)  # asked again: still the end
            raise StopIteration
        if isinstance(item, _Failure):
            raise item.exc
        return item  # type: ignore[return-value]

    def close(self) -> None:
        """Stop the producer after the item it is making."""
        self._stop.set()

    def _produce(self, items: Iterator[T]) -> None:
        try:
            for item in items:
                if not self._put(item):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            self._put(_Failure(exc))
            return
        self._put(_DONE)

    def _put(self, item: object) -> bool:
        """Hand ``item`` over unless the consumer has stopped; False when it has."""
        while not self._stop.is_set():
            try:
                self._made.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False


def ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """The items of ``items``, made by a background thread at most ``depth`` items ahead."""
    made = Ahead(items, depth)
    try:
        yield from made
    finally:
        made.close()


class Pipeline:
    """Every batch of ``tables``, in that order, from one background thread.

    The synthesizer's ``batches`` for table after table, exactly as made in turn (the same
    state, the same order); the executor asks for the tables in the same order."""

    def __init__(self, synth: Any, tables: Sequence[str], depth: int = 2) -> None:
        self.tables = frozenset(tables)

        def items() -> Iterator[tuple[str, Any]]:
            for table in tables:
                for rows in synth.batches(table):
                    yield table, rows
                yield table, None  # the table's end

        self._made = Ahead(items(), depth)

    def batches(self, table: str) -> Iterator[list[tuple[Any, ...]]]:
        """The batches of ``table``; the tables must be asked for in the pipeline's order."""
        for name, rows in self._made:
            if name != table:  # pragma: no cover - the executor follows the plan order
                raise GenerationError(f"{table}: rows of {name} arrived instead.", table=table)
            if rows is None:
                return
            yield rows

    def close(self) -> None:
        self._made.close()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc
