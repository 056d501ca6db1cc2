"""The run ledger: what each run inserted, so that it can be listed and undone.

It lives in a local SQLite file in the user's data folder (``platformdirs.user_data_dir``, or
``$QUERYNL_DATA_DIR``), never in the database being filled. A run is recorded only after its
transaction committed: its id, time, database (without secrets), request, seed, plan, and the
keys of every row it inserted per table, compactly: consecutive integer keys as ``[first,
last]`` ranges, any other key (text, composite, with gaps) as explicit tuples.

>>> recorder = KeyRecorder(meta, plan)             # doctest: +SKIP
>>> executor.execute(plan, on_rows=recorder.rows)  # doctest: +SKIP
>>> Ledger().record(new_run(engine, plan, recorder.tables()))  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import json
import sqlite3
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL, Engine

from .errors import LedgerError
from .folders import user_folder
from .models import DataGenerationPlan, SchemaMetadata, TableInfo

DATA_DIR_ENV = "QUERYNL_DATA_DIR"
LEDGER_FILE = "ledger.sqlite3"
_SCHEMA_VERSION = 1


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """The QueryNL data folder: ``$QUERYNL_DATA_DIR`` or the platform's user data dir."""
    return user_folder("data", DATA_DIR_ENV, env)


def database_label(url: URL) -> str:
    """The database as the ledger names it: no password, no driver, no options.

    >>> database_label(make_url("postgresql+psycopg://me:secret@db:5432/shop?sslmode=require"))
    'postgresql://me@db:5432/shop'
    """
    backend = url.get_backend_name()
    backend = "mysql" if backend == "mariadb" else backend
    if backend == "sqlite":
        path = url.database or ""
        if path and path != ":memory:":
            path = str(Path(path).expanduser().resolve())
        return f"sqlite:///{path}"
    plain = URL.create(backend, username=url.username, host=url.host, port=url.port)
    return plain.render_as_string(hide_password=True).rstrip("/") + f"/{url.database or ''}"


# ---------------------------------------------------------------------------------------------
# keys of the inserted rows
# ---------------------------------------------------------------------------------------------


def row_key(table: TableInfo, columns: Sequence[str] | None = None) -> list[str] | None:
    """The columns that tell one row of ``table`` from every other: the primary key, else a
    UNIQUE key without NULLs; only among ``columns`` when given. None when there is none."""
    have = set(columns) if columns is not None else set(table.column_names)
    candidates = [table.primary_key] if table.primary_key else []
    candidates += [
        u.columns for u in table.uniques if all(not table.column(c).nullable for c in u.columns)
    ]
    for cols in candidates:
        if cols and all(c in have for c in cols):
            return list(cols)
    return None


@dataclass
class TableKeys:
    """The rows one run inserted into one table, by key.

    ``ranges`` hold ``[first, last]`` of consecutive integer keys (single-column keys only);
    ``keys`` hold every other key as a tuple of the key columns' values.
    """

    table: str
    columns: list[str]
    rows: int = 0
    ranges: list[list[int]] = field(default_factory=list)
    keys: list[tuple[Any, ...]] = field(default_factory=list)

    @property
    def keyed(self) -> bool:
        return bool(self.columns)

    def add(self, values: Sequence[tuple[Any, ...]]) -> None:
        """Append the keys of a batch, merging consecutive integers into ranges."""
        self.rows += len(values)
        if not self.columns:
            return
        if len(self.columns) != 1:
            self.keys.extend(values)
            return
        self._add_column([v for (v,) in values])

    def add_column(self, column: list[Any]) -> None:
        """Append the keys of a batch of a single-column key, given as the column's values."""
        self.rows += len(column)
        self._add_column(column)

    def _add_column(self, column: list[Any]) -> None:
        if column and _consecutive(column):
            self._add_run(column[0], column[-1])
            return
        for value in column:
            if isinstance(value, int) and not isinstance(value, bool):
                self._add_run(value, value)
            else:
                self.keys.append((value,))

    def _add_run(self, first: int, last: int) -> None:
        if self.ranges and self.ranges[-1][1] + 1 == first:
            self.ranges[-1][1] = last
        else:
            self.ranges.append([first, last])

    def compact(self) -> TableKeys:
        """Single-value ranges become explicit keys."""
        ranges = [r for r in self.ranges if r[0] != r[1]]
        singles = [(r[0],) for r in self.ranges if r[0] == r[1]]
        return TableKeys(self.table, self.columns, self.rows, ranges, singles + self.keys)

    def to_json(self) -> dict[str, Any]:
        return {
            "columns": self.columns,
            "ranges": self.ranges,
            "keys": [[encode_value(v) for v in key] for key in self.keys],
        }

    @classmethod
    def from_json(cls, table: str, rows: int, data: Mapping[str, Any]) -> TableKeys:
        keys = [tuple(decode_value(v) for v in key) for key in data.get("keys", [])]
        return cls(table, list(data["columns"]), rows, [list(r) for r in data["ranges"]], keys)


def _consecutive(values: list[Any]) -> bool:
    """True when ``values`` are plain integers counting up by one (a batch of sequence keys:
    the common case, told apart in C-speed steps rather than value by value)."""
    first = values[0]
    return (
        type(first) is int
        and set(map(type, values)) == {int}
        and values == list(range(first, first + len(values)))
    )


class KeyRecorder:
    """Collects the keys of the rows of a run as the executor loads them (its ``on_rows``)."""

    def __init__(self, meta: SchemaMetadata, plan: DataGenerationPlan) -> None:
        self.meta = meta
        self._tables: dict[str, TableKeys] = {}
        self._positions: dict[str, list[int]] = {}
        self._order = [t.table for t in plan.tables]

    def rows(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        keys = self._tables.get(table)
        if keys is None:
            key = row_key(self.meta.table(table), columns) or []
            keys = self._tables[table] = TableKeys(table, key)
            self._positions[table] = [columns.index(c) for c in key]
        pos = self._positions[table]
        if len(pos) == 1:
            i = pos[0]
            keys.add_column([row[i] for row in rows])
        else:
            keys.add([tuple(row[i] for i in pos) for row in rows])

    def tables(self) -> list[TableKeys]:
        """What was recorded, in insertion order, ranges compacted."""
        return [self._tables[t].compact() for t in self._order if t in self._tables]


_TAGS: tuple[tuple[type, str], ...] = (
    (decimal.Decimal, "decimal"),
    (dt.datetime, "datetime"),
    (dt.date, "date"),
    (dt.time, "time"),
    (uuid.UUID, "uuid"),
    (bytes, "bytes"),
)


def encode_value(value: Any) -> Any:
    """A key value as JSON: plain for text and numbers, tagged for the rest (read back by
    ``decode_value`` as the same Python type, so it binds as it was inserted)."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, (bytearray, memoryview)):
        value = bytes(value)
    for cls, tag in _TAGS:
        if isinstance(value, cls):
            if isinstance(value, bytes):
                text = base64.b64encode(value).decode()
            elif isinstance(value, (dt.date, dt.time)):
                text = value.isoformat()
            else:
                text = str(value)
            return {"$": tag, "v": text}
    return str(value)


def decode_value(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    tag, text = value.get("$"), value.get("v", "")
    readers: dict[str, Any] = {
        "decimal": decimal.Decimal,
        "datetime": dt.datetime.fromisoformat,
        "date": dt.date.fromisoformat,
        "time": dt.time.fromisoformat,
        "uuid": uuid.UUID,
        "bytes": base64.b64decode,
    }
    return readers[tag](text) if tag in readers else text


# ---------------------------------------------------------------------------------------------
# runs and the ledger file
# ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    """One recorded run."""

    id: int | None
    created_at: str  # ISO time, UTC
    database: str
    schema_name: str | None
    dialect: str
    request: str
    seed: int
    plan: dict[str, Any]
    tables: list[TableKeys]
    undone_at: str | None = None

    @property
    def total_rows(self) -> int:
        return sum(t.rows for t in self.tables)


def new_run(
    engine: Engine, plan: DataGenerationPlan, tables: list[TableKeys], schema: str | None = None
) -> Run:
    """A run to record, for rows ``plan`` just committed into ``engine``'s database."""
    return Run(
        id=None,
        created_at=_now(),
        database=database_label(engine.url),
        schema_name=schema,
        dialect=engine.dialect.name,
        request=plan.request.text if plan.request is not None else "",
        seed=plan.seed,
        plan=plan.model_dump(mode="json"),
        tables=[t for t in tables if t.rows],
    )


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


_DDL = (
    """CREATE TABLE IF NOT EXISTS runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        created_at TEXT NOT NULL,
        database TEXT NOT NULL,
        schema_name TEXT,
        dialect TEXT NOT NULL,
        request TEXT NOT NULL,
        seed INTEGER NOT NULL,
        plan TEXT NOT NULL,
        total_rows INTEGER NOT NULL,
        undone_at TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS run_tables (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        table_name TEXT NOT NULL,
        rows INTEGER NOT NULL,
        keys TEXT NOT NULL,
        PRIMARY KEY (run_id, position)
    )""",
    "CREATE INDEX IF NOT EXISTS runs_database ON runs (database, id)",
)

_RUN_COLUMNS = (
    "id, created_at, database, schema_name, dialect, request, seed, plan, undone_at, total_rows"
)


class Ledger:
    """The ledger file. Each call opens, works and closes: several processes may share it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or data_dir() / LEDGER_FILE

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            con = sqlite3.connect(self.path, timeout=30)
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > _SCHEMA_VERSION:
                con.close()
                raise LedgerError(
                    f"The run ledger {self.path} was written by a newer QueryNL.",
                    hint="Upgrade QueryNL, or point QUERYNL_DATA_DIR at another folder.",
                )
            if version < _SCHEMA_VERSION:
                with con:
                    for statement in _DDL:
                        con.execute(statement)
                    con.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")
            return con
        except (OSError, sqlite3.Error) as exc:
            raise LedgerError(
                f"Cannot open the run ledger {self.path}: {exc}.",
                hint=f"Check that the folder is writable, or set {DATA_DIR_ENV} to another one.",
            ) from None

    def record(self, run: Run) -> int:
        """Store ``run`` and return its id."""
        con = self._connect()
        try:
            with con:
                cur = con.execute(
                    "INSERT INTO runs (created_at, database, schema_name, dialect, request, "
                    "seed, plan, total_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        run.created_at,
                        run.database,
                        run.schema_name,
                        run.dialect,
                        run.request,
                        run.seed,
                        json.dumps(run.plan, ensure_ascii=False),
                        run.total_rows,
                    ),
                )
                run_id = int(cur.lastrowid or 0)
                con.executemany(
                    "INSERT INTO run_tables (run_id, position, table_name, rows, keys) "
                    "VALUES (?, ?, ?, ?, ?)",
                    [
                        (run_id, i, t.table, t.rows, json.dumps(t.to_json(), ensure_ascii=False))
                        for i, t in enumerate(run.tables)
                    ],
                )
        finally:
            con.close()
        run.id = run_id
        return run_id

    def runs(self, database: str, schema_name: str | None = None) -> list[Run]:
        """The runs of one database, newest first (keys not loaded)."""
        con = self._connect()
        try:
            rows = con.execute(
                f"SELECT {_RUN_COLUMNS} FROM runs WHERE database = ? "
                "AND coalesce(schema_name, '') = ? ORDER BY id DESC",
                (database, schema_name or ""),
            ).fetchall()
            return [self._run(con, row, keys=False) for row in rows]
        finally:
            con.close()

    def get(self, run_id: int) -> Run | None:
        con = self._connect()
        try:
            row = con.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (run_id,)).fetchone()
            return self._run(con, row, keys=True) if row else None
        finally:
            con.close()

    def mark_undone(self, run_id: int) -> str:
        when = _now()
        con = self._connect()
        try:
            with con:
                con.execute("UPDATE runs SET undone_at = ? WHERE id = ?", (when, run_id))
        finally:
            con.close()
        return when

    def _run(self, con: sqlite3.Connection, row: tuple[Any, ...], *, keys: bool) -> Run:
        run_id = int(row[0])
        tables = []
        for name, rows, data in con.execute(
            "SELECT table_name, rows, keys FROM run_tables WHERE run_id = ? ORDER BY position",
            (run_id,),
        ):
            if keys:
                tables.append(TableKeys.from_json(name, rows, json.loads(data)))
            else:
                tables.append(TableKeys(name, [], rows))
        return Run(
            id=run_id,
            created_at=row[1],
            database=row[2],
            schema_name=row[3],
            dialect=row[4],
            request=row[5],
            seed=int(row[6]),
            plan=json.loads(row[7]) if keys else {},
            tables=tables,
            undone_at=row[8],
        )
