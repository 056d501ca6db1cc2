"""The one orchestration call behind the CLI, the REPL and the Python API.

request text ──► parse_request ──► TestDataRequest
database ──────► introspect ──► SchemaMetadata
(request, schema) ──► build_plan ──► DataGenerationPlan
plan ──► InsertionExecutor (DataSynthesizer batches, one transaction) ──► InsertionResult
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine

from .. import llm
from ..connection import check_connection, create_engine, resolve_url
from ..dialects import dialect_for
from ..errors import RequestError
from ..models import DataGenerationPlan, InsertionResult, SchemaMetadata, TestDataRequest
from ..planner import PlanOptions, build_plan
from ..relation_inference import infer_relations
from ..schema_introspection import introspect, require_tables
from .data_synthesizer import DataSynthesizer
from .export import RowSink, close_all, synthesize
from .insertion_executor import InsertionExecutor, Progress

log = logging.getLogger("querynl.generate")


@dataclass(frozen=True)
class DataOptions:
    """Everything that shapes a data request besides its text (one object, not 30 arguments)."""

    seed: int | None = None
    now: dt.date | None = None
    locale: str | None = None
    schema: str | None = None
    batch_size: int = 10_000
    default_count: int | None = None
    sample_rows: int = 3
    llm: llm.LLMConfig | None = None  # see llm.resolve_llm; None plans offline only
    record: bool = True  # keep the run in the ledger (so it can be undone)
    infer_relations: bool = False  # treat "user_id"-style columns as undeclared foreign keys
    # check foreign keys row by row even in a large PostgreSQL load, instead of dropping them
    # and adding them back (slower, but no exclusive table locks)
    keep_foreign_keys: bool = False


@dataclass
class PreparedRequest:
    """A request read and planned against a live schema, not yet executed."""

    meta: SchemaMetadata
    request: TestDataRequest
    plan: DataGenerationPlan
    samples: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = field(default_factory=dict)
    advice: list[str] = field(default_factory=list)  # for requests not fully understood


def prepare(
    text: str,
    engine: Engine,
    options: DataOptions | None = None,
    *,
    plan: DataGenerationPlan | None = None,
    planner: Callable[[TestDataRequest, SchemaMetadata, PlanOptions], DataGenerationPlan]
    | None = None,
) -> PreparedRequest:
    """Read the schema, parse the request and build the plan (nothing is written)."""
    options = options or DataOptions()
    check_connection(engine)
    began = time.perf_counter()
    meta = introspect(engine, options.schema)
    log.info("schema read: %d tables in %.2f s", len(meta.tables), time.perf_counter() - began)
    require_tables(meta)
    inferred: list[str] = []
    if options.infer_relations:
        meta, inferred = infer_relations(meta)
    if plan is not None:
        request = plan.request or TestDataRequest(text=text)
        return PreparedRequest(meta=meta, request=request, plan=plan)
    plan_options = PlanOptions(
        seed=options.seed,
        now=options.now,
        locale=options.locale or "en_US",
        default_count=options.default_count,
    )

    def build(req: TestDataRequest) -> DataGenerationPlan:
        return (planner or build_plan)(req, meta, plan_options)

    began = time.perf_counter()
    prepared = _plan_request(text, meta, build, options.llm)
    built = prepared.plan
    built.notes[:0] = inferred
    log.info(
        "planned %d rows in %d tables in %.2f s (seed %d, batch size %d)",
        built.total_rows,
        len(built.tables),
        time.perf_counter() - began,
        built.seed,
        options.batch_size,
    )
    return prepared


def _plan_request(
    text: str,
    meta: SchemaMetadata,
    build: Callable[[TestDataRequest], DataGenerationPlan],
    config: llm.LLMConfig | None,
) -> PreparedRequest:
    """Parse offline, plan, and let the LLM refine when it is configured and wanted."""
    from ..request_parser import parse_request, request_examples

    try:
        request = parse_request(text, meta)
    except RequestError as exc:
        if config is None or not llm.wanted(config, None):
            raise
        return _llm_only(text, meta, exc, build, config)
    built = build(request)
    used = config is not None and llm.wanted(config, request)
    if used and config is not None:
        built = llm.refine(text, request, meta, built, build, config)
    advice = llm.unparsed_advice(request, config, used, request_examples(meta))
    return PreparedRequest(meta=meta, request=built.request or request, plan=built, advice=advice)


def _llm_only(
    text: str,
    meta: SchemaMetadata,
    error: RequestError,
    build: Callable[[TestDataRequest], DataGenerationPlan],
    config: llm.LLMConfig,
) -> PreparedRequest:
    """The offline parser could not read the request at all: the model gets the whole of it."""
    request = TestDataRequest(text=text, notes=[f"Offline parser: {error.message}"])
    try:
        plan = llm.refine(text, request, meta, None, build, config)
    except llm.LLMFailed as failed:
        why = f"The LLM ({config.label}) could not help: {failed.message}."
        error.hint = f"{error.hint}\n{why}" if error.hint else why
        raise error from None
    return PreparedRequest(meta=meta, request=plan.request or request, plan=plan)


def sample_rows(
    prepared: PreparedRequest, engine: Engine, rows: int = 3, *, batch_size: int = 10_000
) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The first rows of each table as they would be inserted (driver-ready values)."""
    dialect = dialect_for(engine.dialect.name)
    synth = DataSynthesizer(prepared.plan, prepared.meta, dialect, batch_size=batch_size)
    with engine.connect() as conn:
        synth.compile(conn)
        conn.rollback()
    out: dict[str, tuple[list[str], list[tuple[Any, ...]]]] = {}
    for tplan in prepared.plan.tables:
        compiled = synth.tables[tplan.table]
        batch = synth.rows(tplan.table, 0)
        out[tplan.table] = (compiled.columns, batch[:rows])
    prepared.samples = out
    return out


def insert_preview(prepared: PreparedRequest, engine: Engine, rows: int = 3) -> dict[str, str]:
    """The first ``rows`` rows of each table as the INSERT statement that would load them,
    values written as literals by the dialect (what ``--sql-out`` writes)."""
    samples = prepared.samples or sample_rows(prepared, engine, rows)
    dialect = dialect_for(engine.dialect.name)
    return {
        table: dialect.literal_insert(engine, prepared.meta.table(table), columns, batch[:rows])
        for table, (columns, batch) in samples.items()
        if batch
    }


def execute(
    prepared: PreparedRequest,
    engine: Engine,
    options: DataOptions | None = None,
    progress: Progress | None = None,
    sinks: Sequence[RowSink] = (),
) -> InsertionResult:
    """Insert the prepared plan in one transaction, then record it in the run ledger.

    ``sinks`` (an SQL script) get every batch and UPDATE as it is loaded, and are closed as
    complete only when the transaction committed."""
    from ..ledger import KeyRecorder

    options = options or DataOptions()
    executor = InsertionExecutor(
        engine,
        prepared.meta,
        batch_size=options.batch_size,
        keep_foreign_keys=options.keep_foreign_keys,
    )
    recorder = KeyRecorder(prepared.meta, prepared.plan)
    listeners = [recorder, *sinks]

    def on_rows(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        for listener in listeners:
            listener.rows(table, columns, rows)

    def on_update(table: str, sets: list[str], keys: list[str], rows: list[Any]) -> None:
        for sink in sinks:
            sink.updates(table, sets, keys, rows)

    try:
        # totals are read back after their UPDATE only for a sink that writes them
        result = executor.execute(
            prepared.plan, progress, on_rows=on_rows, on_update=on_update if sinks else None
        )
    except BaseException:
        close_all(sinks, ok=False)
        raise
    close_all(sinks, ok=True)
    if options.record:
        result.run_id = _record(engine, prepared.plan, recorder, options.schema)
    return result


def _record(
    engine: Engine, plan: DataGenerationPlan, recorder: Any, schema: str | None
) -> str | None:
    """The rows are committed: a ledger that cannot be written costs the undo, not the run."""
    from ..errors import LedgerError
    from ..ledger import Ledger, new_run

    try:
        return str(Ledger().record(new_run(engine, plan, recorder.tables(), schema)))
    except LedgerError as exc:
        log.warning("The run was not recorded, so it cannot be undone: %s", exc.message)
        return None


def export(
    prepared: PreparedRequest,
    engine: Engine,
    sinks: Sequence[RowSink],
    options: DataOptions | None = None,
) -> dict[str, int]:
    """Write the plan's rows into ``sinks`` without inserting them; rows per table."""
    options = options or DataOptions()
    try:
        counts = synthesize(
            prepared.plan, prepared.meta, engine, _Fanout(sinks), batch_size=options.batch_size
        )
    except BaseException:
        close_all(sinks, ok=False)
        raise
    close_all(sinks, ok=True)
    return counts


class _Fanout:
    def __init__(self, sinks: Sequence[RowSink]) -> None:
        self.sinks = sinks

    def rows(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        for sink in self.sinks:
            sink.rows(table, columns, rows)

    def updates(self, table: str, sets: list[str], keys: list[str], rows: list[Any]) -> None:
        for sink in self.sinks:
            sink.updates(table, sets, keys, rows)

    def close(self, ok: bool) -> None:
        close_all(self.sinks, ok)


def estimate_seconds(plan: DataGenerationPlan) -> float:
    """A rough duration for executing ``plan``, from the database's typical speed.

    >>> estimate_seconds(plan)   # 90,000 rows on SQLite  # doctest: +SKIP
    2.0
    """
    return plan.total_rows / dialect_for(plan.dialect).typical_rows_per_second


def generate_data(
    text: str,
    db: str | None = None,
    *,
    options: DataOptions | None = None,
    dry_run: bool = False,
) -> tuple[DataGenerationPlan, InsertionResult | None]:
    """Fill a database from one sentence; the Python face of ``querynl data``.

    >>> plan, result = generate_data("add 50 users", "sqlite:///blog.db")  # doctest: +SKIP
    """
    engine = create_engine(resolve_url(db))
    try:
        prepared = prepare(text, engine, options)
        if dry_run:
            return prepared.plan, None
        return prepared.plan, execute(prepared, engine, options)
    finally:
        engine.dispose()
