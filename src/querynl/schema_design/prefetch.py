"""Batches made by a background thread while the database loads the previous one.

A server database (PostgreSQL, MySQL) parses, checks and stores a batch in its own process;
meanwhile this process can make the next batch instead of waiting. ``ahead`` runs any iterator
in one producer thread, a bounded number of items ahead, so the items and their order are
exactly the iterator's and memory stays flat. An exception in the producer is raised in the
consumer; when the consumer stops early (an error, Ctrl+C) the producer stops after the item
it is making.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_DONE = object()


def ahead(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """The items of ``items``, made by a background thread at most ``depth`` items ahead."""
    made: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(made, item, stop):
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            _put(made, _Failure(exc), stop)
            return
        _put(made, _DONE, stop)

    producer = threading.Thread(target=produce, name="querynl-batches", daemon=True)
    producer.start()
    try:
        while True:
            item = made.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.exc
            yield item  # type: ignore[misc]
    finally:
        stop.set()


class _Failure:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


def _put(made: queue.Queue[object], item: object, stop: threading.Event) -> bool:
    """Hand ``item`` over unless the consumer has stopped; False when it has."""
    while not stop.is_set():
        try:
            made.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False
