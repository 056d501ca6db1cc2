"""The interactive shell: ``querynl repl`` (and plain ``querynl`` when a database is configured).

One line at a time: a backslash command from the registry (``repl_commands``), SQL, or a
sentence that asks for data, which goes to ``\\data`` (``line_router`` decides). It never dies:
Ctrl+C cancels the current action (an insert rolls back), Ctrl+D exits, and any other error is
printed, written with its trace to the log file, and the prompt comes back.

    >>> ReplSession(engine).loop()    # doctest: +SKIP
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text
from sqlalchemy.engine import Engine

from . import repl_commands
from .cli import render
from .errors import QueryNLError
from .line_router import route_line
from .models import SchemaMetadata
from .redact import RedactingFilter, RedactingFormatter, redact
from .sql_runner import StatementResult, run_sql

log = logging.getLogger("querynl.repl")
# Traces of unexpected errors: to the log file only (the terminal gets one line).
error_log = logging.getLogger("querynl.repl.errors")
error_log.propagate = False


class ReplSession:
    """One database, its schema (read lazily, read again after anything that may change it),
    and the options every ``\\data`` request starts from."""

    def __init__(
        self,
        engine: Engine,
        *,
        schema: str | None = None,
        data_defaults: dict[str, Any] | None = None,
        history_file: Path | None = None,
        log_file: Path | None = None,
    ) -> None:
        self.engine = engine
        self.schema = schema
        self.data_defaults = dict(data_defaults or {})
        self.history_file = history_file
        self.log_file = log_file
        self._meta: SchemaMetadata | None = None

    @property
    def console(self) -> Console:
        return render.console()

    # ------------------------------------------------------------------ the schema

    def meta(self, *, count_rows: bool = False) -> SchemaMetadata:
        """The schema; with ``count_rows`` read afresh, so counts are current."""
        from .schema_introspection import introspect

        if count_rows or self._meta is None:
            self._meta = introspect(self.engine, self.schema, count_rows=count_rows)
        return self._meta

    def forget_schema(self) -> None:
        self._meta = None

    def table_names(self) -> list[str]:
        try:
            return self.meta().table_names
        except QueryNLError:
            return []

    def request_examples(self) -> list[str]:
        from .request_parser import request_examples

        return request_examples(self.meta())

    # ------------------------------------------------------------------ one line

    def handle(self, line: str) -> bool:
        """Act on one line; False when the REPL should end."""
        routed = route_line(line, self.table_names(), self.engine.dialect.name)
        if routed.kind == "command":
            cmd = repl_commands.find_command(routed.command or "")
            return cmd.handler(self, routed.argument) is not False
        if routed.kind == "sql":
            self.run_sql(routed.text)
        elif routed.kind == "data":
            self.console.print(Text(f"→ \\data {routed.text}", style="dim"))
            self.run_data(routed.text, {})
        elif routed.kind == "unknown":
            self.print_hint(routed.text)
        return True

    def run_sql(self, text: str) -> None:
        try:
            results = run_sql(self.engine, text)
        finally:
            self.forget_schema()  # DDL may have changed it, even when a later statement failed
        for result in results:
            print_statement(self.console, result)

    def run_data(self, request: str, options: dict[str, Any]) -> None:
        from .cli.data import run_request

        try:
            options = {**self.data_defaults, **options}
            run_request(self.engine, request, schema=self.schema, **options)
        finally:
            self.forget_schema()

    def undo(self, run_id: int | None, *, cascade: bool = False, yes: bool = False) -> None:
        from .cli.data_runs import undo_run

        try:
            undo_run(self.engine, run_id, schema=self.schema, cascade=cascade, yes=yes)
        finally:
            self.forget_schema()

    def clear(self, tables: list[str], *, yes: bool = False) -> None:
        from .cli.data_runs import clear_tables

        try:
            clear_tables(self.engine, tables, schema=self.schema, yes=yes)
        finally:
            self.forget_schema()

    def runs(self) -> None:
        from .cli.data_runs import print_runs

        print_runs(self.engine, self.schema)

    def print_hint(self, line: str = "") -> None:
        readable = self._as_request(line)
        if readable:
            self.console.print(
                Text(f"That reads as a request for data ({readable}). To run it: ", style="yellow")
                + Text(f"\\data {line.strip()}", style="bold")
            )
            return
        tables = self.table_names()
        example = tables[0] if tables else "users"
        self.console.print(
            Text(
                f"That is neither SQL nor a request for data. Try: add 20 {example}  ·  "
                f"SELECT * FROM {example}  ·  \\help",
                style="yellow",
            )
        )

    def _as_request(self, line: str) -> str | None:
        """How the offline parser reads ``line`` when it reads all of it ("80% of orders
        shipped"), else None; a line is never run as a request without ``\\data``."""
        from .request_parser import parse_request

        try:
            req = parse_request(line, self.meta())
        except QueryNLError:
            return None
        if req.unparsed or not line.strip():
            return None
        return render.understood_text(req)

    # ------------------------------------------------------------------ the loop

    def guarded(self, line: str) -> bool:
        """``handle`` that never raises: every failure is reported and the REPL goes on."""
        try:
            return self.handle(line)
        except KeyboardInterrupt:
            render.err_console().print(Text("Cancelled; nothing was changed.", style="yellow"))
        except click.Abort:
            render.err_console().print(Text("Cancelled.", style="yellow"))
        except QueryNLError as exc:
            render.print_error(exc)
        except click.ClickException as exc:
            render.print_error(QueryNLError(exc.format_message(), hint="\\help data"))
        except Exception as exc:  # noqa: BLE001 - the REPL must survive its own bugs
            error_log.error("unexpected error on %r", line, exc_info=True)
            where = f" (details in {self.log_file})" if self.log_file else ""
            render.err_console().print(
                Text("Unexpected error: ", style="bold red")
                + Text(redact(f"{type(exc).__name__}: {exc}{where}"))
            )
        return True

    def loop(self) -> None:
        """Read lines from the terminal until \\quit or Ctrl+D."""
        prompt = self._prompt_session()
        self.print_banner()
        while True:
            try:
                line = prompt.prompt(self.prompt_text())
            except KeyboardInterrupt:
                continue  # Ctrl+C at the prompt clears the line
            except EOFError:
                break
            if not self.guarded(line):
                break
        self.console.print("Bye.")

    def run_lines(self, lines: Iterable[str]) -> None:
        """Without a terminal: each line as if typed (confirmations then need --yes)."""
        for line in lines:
            if not self.guarded(line.rstrip("\n")):
                break

    def prompt_text(self) -> str:
        url = self.engine.url
        name = Path(url.database).name if url.get_backend_name() == "sqlite" else url.database
        return f"{name or url.get_backend_name()}> "

    def print_banner(self) -> None:
        from .connection import display_url

        tables = self.table_names()
        self.console.print(
            Text(f"QueryNL — {display_url(self.engine.url)} ({len(tables)} tables)", style="bold")
        )
        self.console.print(
            "Type a sentence to add data (add 20 rows to every table), SQL, or \\help. "
            "Ctrl+D quits."
        )

    def _prompt_session(self) -> Any:
        from prompt_toolkit import PromptSession
        from prompt_toolkit.history import FileHistory, InMemoryHistory

        from .repl_completion import ReplCompleter

        history: Any = InMemoryHistory()
        if self.history_file is not None:
            try:
                self.history_file.parent.mkdir(parents=True, exist_ok=True)
                self.history_file.touch(exist_ok=True)
                history = FileHistory(str(self.history_file))
            except OSError as exc:
                log.warning("history not kept: cannot write %s (%s)", self.history_file, exc)
        return PromptSession(
            history=history,
            completer=ReplCompleter(_SessionCatalog(self)),
            complete_while_typing=False,
        )


class _SessionCatalog:
    """The names completion offers, from the session's schema."""

    def __init__(self, session: ReplSession) -> None:
        self.session = session

    def tables(self) -> list[str]:
        return self.session.table_names()

    def columns(self, table: str | None) -> list[str]:
        if table is None:
            return []
        try:
            meta = self.session.meta()
        except QueryNLError:
            return []
        folded = {t.lower(): t for t in meta.tables}
        name = table if table in meta.tables else folded.get(table.lower())
        return list(meta.tables[name].column_names) if name else []

    def quote(self, name: str) -> str:
        """The name as typed SQL needs it: bare when that is safe, else quoted exactly (the
        line runs without parameters, so a "%" stays single)."""
        from .dialects import dialect_for

        engine = self.session.engine
        if engine.dialect.identifier_preparer.quote(name) == name:
            return name
        return dialect_for(engine.dialect.name).quote(engine, name)


def print_statement(console: Console, result: StatementResult) -> None:
    """Rows as a table, or how many rows a statement changed."""
    timing = f"({result.seconds * 1000:.0f} ms)"
    if not result.returns_rows:
        if result.rowcount >= 0:
            noun = "row" if result.rowcount == 1 else "rows"
            console.print(f"{result.rowcount:,} {noun} affected {timing}")
        else:
            console.print(f"OK {timing}")
        return
    table = Table(show_lines=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*[render.cell_text(v) for v in row])
    console.print(table)
    shown = f"{len(result.rows):,} row{'s' if len(result.rows) != 1 else ''}"
    more = " (more rows not shown; add LIMIT)" if result.truncated else ""
    console.print(f"{shown}{more} {timing}")


def run_repl(
    engine: Engine,
    *,
    schema: str | None = None,
    data_defaults: dict[str, Any] | None = None,
) -> None:
    """Start the REPL on ``engine``: interactive on a terminal, line by line otherwise."""
    from .config import load_settings

    settings = load_settings()
    _log_to_file(settings.repl.log_file)
    session = ReplSession(
        engine,
        schema=schema,
        data_defaults=data_defaults,
        history_file=settings.repl.history_file,
        log_file=settings.repl.log_file,
    )
    session.meta()  # fail now, with a clear message, if the database cannot be read
    if sys.stdin.isatty():
        session.loop()
    else:
        session.run_lines(sys.stdin)


def _log_to_file(path: Path) -> None:
    """Unexpected errors go to ``path`` with their trace (secrets masked)."""
    logger = error_log
    if any(getattr(h, "baseFilename", None) == str(path) for h in logger.handlers):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return
    handler.setLevel(logging.ERROR)
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())
    logger.addHandler(handler)
