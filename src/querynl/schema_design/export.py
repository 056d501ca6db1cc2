"""A plan's rows written somewhere other than the database: an SQL script (``--sql-out``) or
one CSV / JSON Lines file per table (``--format csv|jsonl --out DIR``).

Both are sinks of the same rows the insertion executor loads: during a real run they listen to
the executor (``on_rows``, ``on_update``), and without one ``synthesize`` makes the rows from
the plan alone, reading the schema's existing keys and values but writing nothing.

    sink = SqlScript(path, engine, meta, plan)
    synthesize(prepared, engine, sink)        # or: executor.execute(plan, on_rows=sink.rows, ...)
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any, Protocol

from sqlalchemy.engine import Engine

from ..bulk_gc import collector_paused
from ..connection import open_connection
from ..dialects import dialect_for
from ..errors import UsageError
from ..models import DataGenerationPlan, SchemaMetadata
from .data_synthesizer import DataSynthesizer

ROWS_PER_INSERT = 500
BYTES_PER_INSERT = 1_000_000  # well under MySQL's smallest max_allowed_packet default (4 MiB)


class RowSink(Protocol):
    def rows(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None: ...

    def updates(
        self,
        table: str,
        set_columns: list[str],
        key_columns: list[str],
        rows: list[tuple[Any, ...]],
    ) -> None: ...

    def close(self, ok: bool) -> None: ...


def synthesize(
    plan: DataGenerationPlan,
    meta: SchemaMetadata,
    engine: Engine,
    sink: RowSink,
    *,
    batch_size: int = 10_000,
) -> dict[str, int]:
    """Make every row of ``plan`` as an insert would, into ``sink``; the database is only read
    (its next keys, existing keys and unique values) and the transaction rolled back."""
    with collector_paused():
        return _synthesize(plan, meta, engine, sink, batch_size)


def _synthesize(
    plan: DataGenerationPlan, meta: SchemaMetadata, engine: Engine, sink: RowSink, batch_size: int
) -> dict[str, int]:
    dialect = dialect_for(engine.dialect.name)
    synth = DataSynthesizer(plan, meta, dialect, batch_size=batch_size)
    counts: dict[str, int] = {}
    conn = open_connection(engine)
    try:
        synth.compile(conn)
        synth.use_database_checks(conn)
        for tplan in plan.tables:
            compiled = synth.tables[tplan.table]
            counts[tplan.table] = 0
            for rows in synth.batches(tplan.table):
                sink.rows(tplan.table, compiled.columns, rows)
                counts[tplan.table] += len(rows)
        for tplan in plan.tables:
            for set_cols, key_cols, rows in synth.deferred_updates(tplan.table):
                sink.updates(tplan.table, set_cols, key_cols, rows)
        synth.finish()
    finally:
        conn.rollback()
        conn.close()
    return counts


class _AtomicFile:
    """A file that appears under its name only when complete (written beside it, renamed)."""

    def __init__(self, path: Path, *, newline: str | None = None) -> None:
        self.path = path
        folder = path.parent if str(path.parent) else Path(".")
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        except OSError as exc:
            raise UsageError(f"Cannot write {path}: {exc.strerror or exc}.") from None
        self.tmp = Path(tmp)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(self.tmp, 0o666 & ~mask)  # as an ordinary new file (mkstemp makes it 0600)
        self.file: IO[str] = os.fdopen(fd, "w", encoding="utf-8", newline=newline)

    def close(self, ok: bool) -> None:
        self.file.close()
        if ok:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# SQL scripts
# ---------------------------------------------------------------------------------------------


class SqlScript:
    """A standalone script for the target database: session settings, one transaction, the
    INSERTs in insertion order with values as the dialect's literals, the UPDATEs that close
    foreign-key cycles, the checks of suspended keys, COMMIT."""

    def __init__(
        self, path: Path, engine: Engine, meta: SchemaMetadata, plan: DataGenerationPlan
    ) -> None:
        self.engine = engine
        self.meta = meta
        self.dialect = dialect_for(engine.dialect.name)
        self.out = _AtomicFile(path, newline="")  # a \r inside a value stays as it is
        self.suspended = [
            (meta.table(b.table), fk)
            for b in plan.cycle_breaks
            if b.strategy != "null_then_update"
            for fk in meta.table(b.table).foreign_keys
            if fk.label == b.foreign_key
        ]
        self.loaded: list[str] = []
        self._head(plan)

    def _write(self, text: str) -> None:
        self.out.file.write(text + "\n")

    def _head(self, plan: DataGenerationPlan) -> None:
        request = plan.request.text if plan.request is not None else ""
        for line in (
            f"QueryNL test data for {self.engine.dialect.name}: {plan.total_rows:,} rows "
            f"in {len(plan.tables)} tables",
            f"request: {' '.join(request.split())}",
            f"seed {plan.seed}, reference day {plan.now.isoformat()}, locale {plan.locale}",
        ):
            self._write("-- " + line.replace("\n", " "))
        for statement in self.dialect.SCRIPT_SETTINGS:
            self._write(statement)
        self._write(self.dialect.SCRIPT_BEGIN)
        for table, fk in self.suspended:
            for statement in self.dialect.suspend_statements(self.engine, table, fk):
                self._write(statement + ";")

    def rows(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        info = self.meta.table(table)
        if table not in self.loaded:
            self.loaded.append(table)
        types = [info.column(c).type for c in columns]
        lit = self.dialect.literal
        head = self.dialect.literal_insert_head(self.engine, info, columns) + "\n"
        chunk: list[str] = []
        size = 0
        for row in rows:
            text = "  (" + ", ".join(lit(v, t) for v, t in zip(row, types)) + ")"
            if chunk and (len(chunk) >= ROWS_PER_INSERT or size + len(text) > BYTES_PER_INSERT):
                self._write(head + ",\n".join(chunk) + ";")
                chunk, size = [], 0
            chunk.append(text)
            size += len(text)
        if chunk:
            self._write(head + ",\n".join(chunk) + ";")

    def updates(
        self,
        table: str,
        set_columns: list[str],
        key_columns: list[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        info = self.meta.table(table)
        target = self.dialect.qualified(self.engine, info)
        names = [self.dialect.quote(self.engine, c) for c in [*set_columns, *key_columns]]
        types = [info.column(c).type for c in [*set_columns, *key_columns]]
        n = len(set_columns)
        for row in rows:
            parts = [
                f"{name} = {self.dialect.literal(v, t)}" for name, v, t in zip(names, row, types)
            ]
            self._write(
                f"UPDATE {target} SET {', '.join(parts[:n])} WHERE {' AND '.join(parts[n:])};"
            )

    def close(self, ok: bool) -> None:
        if ok:
            for table, fk in self.suspended:
                for statement in self.dialect.resume_statements(self.engine, table, fk):
                    self._write(statement + ";")
            for name in self.loaded:
                for statement in self.dialect.script_after_table(
                    self.engine, self.meta.table(name)
                ):
                    self._write(statement)
            self._write("COMMIT;")
        self.out.close(ok)


# ---------------------------------------------------------------------------------------------
# CSV and JSON Lines files
# ---------------------------------------------------------------------------------------------

FORMATS = ("csv", "jsonl")


class TableFiles:
    """One file per table in ``folder``: ``<table>.csv`` (a header, then the values as quoted
    text, NULL as an empty field without quotes, so an empty text stays ``""`` — as
    PostgreSQL's ``COPY ... CSV`` writes and reads them) or ``<table>.jsonl`` (one JSON object
    per row)."""

    def __init__(
        self, folder: Path, fmt: str, engine: Engine, meta: SchemaMetadata, plan: DataGenerationPlan
    ) -> None:
        if fmt not in FORMATS:
            raise UsageError(f"Unknown format {fmt!r}.", hint="Use --format csv or --format jsonl.")
        for brk in plan.cycle_breaks:
            if brk.strategy == "null_then_update":
                raise UsageError(
                    f"{brk.table} closes a foreign-key cycle ({brk.foreign_key}) with UPDATEs "
                    "after the insert, which files cannot hold; nothing was written.",
                    table=brk.table,
                    hint="Export the run as an SQL script instead: --sql-out FILE --dry-run.",
                )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"Cannot create the folder {folder}: {exc.strerror or exc}.") from None
        self.folder = folder
        self.fmt = fmt
        self.meta = meta
        self.dialect = dialect_for(engine.dialect.name)
        self.files: dict[str, _AtomicFile] = {}
        self.paths: dict[str, Path] = {}  # table -> its file

    def _open(self, table: str, columns: list[str]) -> _AtomicFile:
        name = table.replace("/", "_").replace("\\", "_")
        out = _AtomicFile(self.folder / f"{name}.{self.fmt}", newline="")
        self.files[table] = out
        self.paths[table] = out.path
        if self.fmt == "csv":
            out.file.write(_csv_line(columns))
        return out

    def rows(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        out = self.files.get(table) or self._open(table, columns)
        info = self.meta.table(table)
        types = [info.column(c).type for c in columns]
        as_text = self.dialect.text_value
        if self.fmt == "csv":
            out.file.writelines(
                _csv_line([None if v is None else str(as_text(v, t)) for v, t in zip(row, types)])
                for row in rows
            )
            return
        for row in rows:
            record = {c: _json_value(v, t, as_text) for c, v, t in zip(columns, row, types)}
            out.file.write(json.dumps(record, ensure_ascii=False) + "\n")

    def updates(
        self,
        table: str,
        set_columns: list[str],
        key_columns: list[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        return None  # refused in __init__: plans with such cycles are not exported to files

    def close(self, ok: bool) -> None:
        for out in self.files.values():
            out.close(ok)


def _csv_line(values: Sequence[str | None]) -> str:
    """One CSV record: every text quoted (quotes inside doubled), NULL an empty field without
    quotes. (The csv module quotes all or nothing alike: it writes None as "" too.)"""
    return ",".join("" if v is None else '"' + v.replace('"', '""') + '"' for v in values) + "\n"


def _json_value(value: Any, type_info: Any, as_text: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, (dict, list)) and type_info.kind in ("json", "array"):
        return value
    return as_text(value, type_info)


def close_all(sinks: Sequence[RowSink], ok: bool) -> None:
    for sink in sinks:
        sink.close(ok)
