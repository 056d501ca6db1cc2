"""Ctrl+C held back while a statement that must not be cut in half is on its way."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def interrupts_deferred() -> Iterator[list[int]]:
    """Hold back Ctrl+C (SIGINT) while a COMMIT, a ROLLBACK or a file load is on its way.

    The signals that arrived are in the yielded list afterwards. A second Ctrl+C is not held
    back, so a commit that hangs on a dead network can still be abandoned. Outside the main
    thread (where signal handlers cannot be set) this does nothing.
    """
    received: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield received
        return

    def hold(signum: int, _frame: Any) -> None:
        received.append(signum)
        if len(received) > 1:
            raise KeyboardInterrupt

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield received
    finally:
        signal.signal(signal.SIGINT, previous)
