"""Rows made by a forked child process while this process loads them.

Making values is Python work, and so is storing rows with SQLite, which runs in this very
process: in one interpreter they take turns. For a large run on Linux the executor forks
once it has compiled the synthesizer; the child makes every table's batches in plan order, the
same rows the executor would make itself (same seeds, same state at the fork), and sends them
down a pipe, at most a pipe's worth ahead; the parent only loads. The child never touches the
database connection, the terminal or the run's files, ignores Ctrl+C (the parent handles it and
stops the child), and ends with ``os._exit`` so nothing of the parent's is cleaned up twice.
A failure in the child (a CHECK no value satisfies) is raised in the parent as it was raised.

Used where the database stores rows in this process (SQLite); a server already works on the
other core. Not used where making rows needs the connection (CHECKs the database judges,
foreign-key cycles filled in afterwards), off Linux, or for runs too small to gain from it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import Any

from ..errors import GenerationError
from ..models import DataGenerationPlan
from .data_synthesizer import DataSynthesizer

log = logging.getLogger("querynl.insert")

# below this many rows in all the fork costs more than it gains
MIN_ROWS = 50_000
_PIPE_BUFFER = 1 << 20


def usable(plan: DataGenerationPlan, synth: DataSynthesizer) -> bool:
    """Whether this run's rows can be made in a child process."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if synth.dialect.loads_in_another_process:
        # a server stores the rows on the other core already: a third busy process only
        # slows the three down (PostgreSQL, 1,000,000 rows: 5.6 s with it, 4.9 s without)
        return False
    if plan.total_rows < MIN_ROWS:
        return False
    if any(compiled.judged for compiled in synth.tables.values()):
        return False  # the database judges some CHECKs, on the run's own connection
    return not any(
        fp.strategy == "deferred_update" for tplan in plan.tables for fp in tplan.foreign_keys
    )  # cycle keys are filled from the parents' keys this process would not have


class Producer:
    """The child process and the parent's end of its pipe."""

    def __init__(self, synth: DataSynthesizer, tables: Sequence[str]) -> None:
        self.tables = frozenset(tables)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            os.close(read_end)
            _produce(synth, tables, write_end)
        os.close(write_end)
        self.pid: int | None = pid
        self.reader = os.fdopen(read_end, "rb", buffering=_PIPE_BUFFER)
        log.debug("rows are made by process %d", pid)

    def batches(self, table: str) -> Iterator[list[tuple[Any, ...]]]:
        """The batches of ``table``, as the child sends them."""
        while True:
            message = self._message()
            if message is None:
                raise GenerationError(
                    f"{table}: the process making the rows stopped unexpectedly.",
                    table=table,
                    hint="Run again; if it repeats, run with --verbose and report the log.",
                )
            kind, name, payload = message
            if kind == "error":
                raise payload
            if name != table:  # pragma: no cover - the tables are asked for in plan order
                raise GenerationError(f"{table}: rows of {name} arrived instead.", table=table)
            if kind == "end":
                return
            yield payload

    def _message(self) -> Any:
        """The next message (a length, then a pickle of its own), None at the end of the pipe."""
        head = self.reader.read(8)
        if len(head) < 8:
            return None
        size = int.from_bytes(head, "little")
        body = self.reader.read(size)
        if len(body) < size:
            return None
        return pickle.loads(body)

    def close(self) -> None:
        """Stop the child (if it still runs) and collect it."""
        pid, self.pid = self.pid, None
        if pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        self.reader.close()


def _produce(synth: DataSynthesizer, tables: Sequence[str], fd: int) -> None:
    """The child: every batch of ``tables`` into ``fd``, then exit without cleaning up."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        out = os.fdopen(fd, "wb", buffering=_PIPE_BUFFER)

        def send(message: tuple[str, str | None, Any]) -> None:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
            out.write(len(data).to_bytes(8, "little"))
            out.write(data)
            out.flush()

        try:
            for table in tables:
                for rows in synth.batches(table):
                    send(("rows", table, rows))
                send(("end", table, None))
        except Exception as exc:  # noqa: BLE001 - raised in the parent, where it is handled
            send(("error", None, _portable(exc)))
    except BaseException:  # noqa: BLE001 - the parent went away (broken pipe) or stopped us
        code = 1
    finally:
        os._exit(code)


def _portable(exc: Exception) -> Exception:
    """``exc`` if it survives pickling, else a GenerationError with its message."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure to pickle means: send the message only
        return GenerationError(f"{type(exc).__name__}: {exc}")
    return exc
