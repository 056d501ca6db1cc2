"""Tools for fault tests: the CLI as a real process, a TCP proxy that can cut a connection,
and finding a client's session on the server.

    with CliProcess(["data", "add 3000000 items", "--db", url, "--yes"]) as cli:
        cli.wait_for(r"items: batch of \\d+ rows loaded")   # rows are flowing
        cli.kill()                                           # SIGKILL mid-insert
    assert cli.returncode == -signal.SIGKILL
"""

from __future__ import annotations

import contextlib
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]


class CliProcess:
    """``python -m querynl ARGS`` with stdout and stderr read as they come."""

    def __init__(
        self,
        args: list[str],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        stdin: str | None = None,
    ) -> None:
        self.args = [sys.executable, "-m", "querynl", *args]
        self.stdin = stdin  # typed lines, then end of input; None: no input at all
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", "COLUMNS": "160", **(env or {})}
        self.cwd = cwd
        self.stdout = ""
        self.stderr = ""
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> CliProcess:
        self.proc = subprocess.Popen(
            self.args,
            stdin=subprocess.DEVNULL if self.stdin is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
            cwd=self.cwd,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if self.stdin is not None and self.proc.stdin is not None:
            self.proc.stdin.write(self.stdin.encode("utf-8"))
            self.proc.stdin.close()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.kill()
        self.wait(60)

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout and self.proc.stderr
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ, "stdout")
        sel.register(self.proc.stderr, selectors.EVENT_READ, "stderr")
        open_streams = 2
        while open_streams:
            for key, _ in sel.select():
                chunk = os.read(key.fileobj.fileno(), 65536)  # type: ignore[union-attr]
                if not chunk:
                    sel.unregister(key.fileobj)
                    open_streams -= 1
                    continue
                with self._changed:
                    text = chunk.decode("utf-8", "replace")
                    if key.data == "stdout":
                        self.stdout += text
                    else:
                        self.stderr += text
                    self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        """Block until stdout or stderr matches ``pattern``; fail if the process ends first."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                found = regex.search(self.output)
                if found:
                    return found
                assert self.proc is not None
                if self.proc.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(
                        f"the CLI ended (exit {self.proc.returncode}) before {pattern!r}:\n"
                        + self.output[-3000:]
                    )
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no {pattern!r} after {timeout} s:\n{self.output[-3000:]}"
                    )
                self._changed.wait(min(left, 0.2))

    def signal(self, sig: int) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)

    def wait(self, timeout: float = 60) -> int:
        assert self.proc is not None
        code = self.proc.wait(timeout)
        self._reader.join(timeout)
        return code

    @property
    def returncode(self) -> int | None:
        return None if self.proc is None else self.proc.returncode


class TcpProxy:
    """A loopback proxy to a database server; ``cut()`` drops every connection at once."""

    def __init__(self, target_port: int, target_host: str = "127.0.0.1") -> None:
        self.target = (target_host, target_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while chunk := src.recv(65536):
                dst.sendall(chunk)
        except OSError:
            pass
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)

    def cut(self) -> None:
        """Reset every proxied connection, as a dead network or a restarted router would."""
        with self.lock:
            for sock in self.sockets:
                with contextlib.suppress(OSError):
                    # linger 0: the peer sees "connection reset"; shutdown first, or the pump
                    # thread blocked in recv() keeps the socket alive past close()
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()
            self.sockets.clear()

    def close(self) -> None:
        self.closed = True
        self.cut()
        self.listener.close()


def wait_until(check: Callable[[], bool], timeout: float = 60, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting after {timeout} s: {what}")
        time.sleep(0.1)


# --------------------------------------------------------------------------- server sessions


def admin_engine(dialect: str) -> sa.Engine:
    """A connection to the server that is none of the client's (autocommit)."""
    url = {
        "postgresql": "postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        "mysql": "mysql+pymysql://root@127.0.0.1:3306/test?charset=utf8mb4",
    }[dialect]
    return sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def client_sessions(admin: sa.Engine, dialect: str, database: str) -> list[int]:
    """Server sessions of ``database``, other than the admin's own."""
    sql = {
        "postgresql": "SELECT pid FROM pg_stat_activity WHERE datname = :db "
        "AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
        "mysql": "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = :db "
        "AND ID <> CONNECTION_ID()",
    }[dialect]
    with admin.connect() as conn:
        return [int(x) for x in conn.execute(sa.text(sql), {"db": database}).scalars()]


def inserting_session(admin: sa.Engine, dialect: str, database: str) -> int | None:
    """The session of ``database`` that holds uncommitted inserted rows right now."""
    sql = {
        "postgresql": "SELECT pid FROM pg_stat_activity WHERE datname = :db "
        "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL",
        "mysql": "SELECT t.trx_mysql_thread_id FROM information_schema.INNODB_TRX t "
        "JOIN information_schema.PROCESSLIST p ON p.ID = t.trx_mysql_thread_id "
        "WHERE p.DB = :db AND t.trx_rows_modified > 0",
    }[dialect]
    with admin.connect() as conn:
        found = conn.execute(sa.text(sql), {"db": database}).scalars().first()
    return None if found is None else int(found)


def terminate(admin: sa.Engine, dialect: str, session: int) -> None:
    """End a session from the server side: pg_terminate_backend, MariaDB KILL."""
    with admin.connect() as conn:
        if dialect == "postgresql":
            conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": session})
        else:
            conn.exec_driver_sql(f"KILL CONNECTION {int(session)}")


@contextlib.contextmanager
def proxied(port: int) -> Iterator[TcpProxy]:
    proxy = TcpProxy(port)
    try:
        yield proxy
    finally:
        proxy.close()


def redirect(url: str, port: int) -> str:
    """The same database URL through another port on 127.0.0.1."""
    parsed = sa.engine.make_url(url)
    return parsed.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)


def table_snapshot(db: Any) -> dict[str, Any]:
    """Every table's rows (small tables) or row count (large ones), to compare before/after."""
    counts = db.row_counts()
    return {t: (db.rows(t) if n <= 5000 else n) for t, n in counts.items()}
