"""One benchmark case in its own process: ``python -m benchmarks.worker MODE URL ROWS SEED``.

MODE ``raw`` loads ready-made rows through the database's bulk path (see ``raw.py``);
``querynl`` runs the request end to end through the public API (read the schema, parse, plan,
synthesize, insert, commit). Prints one JSON object: rows, seconds, peak RSS and the path used.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import resource
import sys
import time
from typing import Any

from . import schema


def run_querynl(url: str, total: int, seed: int) -> dict[str, Any]:
    from querynl.connection import create_engine
    from querynl.schema_design.test_data_generator import DataOptions, generate_data

    # modules load before the clock (those a run imports on first use and the driver's too),
    # as on the raw path: start-up is measured on its own (``--help``, the default request)
    _import_run_modules()
    create_engine(url).dispose()
    began = time.perf_counter()
    _plan, result = generate_data(schema.request(total), url, options=DataOptions(seed=seed))
    seconds = time.perf_counter() - began
    assert result is not None
    return {"rows": result.total_rows, "seconds": seconds, "path": "querynl"}


def _import_run_modules() -> None:
    import querynl.generators
    import querynl.ledger
    import querynl.request_parser  # noqa: F401

    for found in pkgutil.iter_modules(querynl.generators.__path__, "querynl.generators."):
        importlib.import_module(found.name)


def run_raw(url: str, total: int, seed: int) -> dict[str, Any]:
    from querynl.connection import create_engine, normalize_url
    from querynl.dialects import dialect_for
    from querynl.schema_design.data_synthesizer import DataSynthesizer
    from querynl.schema_design.test_data_generator import DataOptions, prepare

    from .raw import LOADERS

    sa_url = normalize_url(url)
    engine = create_engine(sa_url)
    prepared = prepare(schema.request(total), engine, DataOptions(seed=seed))
    synth = DataSynthesizer(prepared.plan, prepared.meta, dialect_for(engine.dialect.name))
    with engine.connect() as conn:
        synth.compile(conn)
        conn.rollback()
    loader = LOADERS[engine.dialect.name](sa_url, engine)
    rows_done = 0
    for tplan in prepared.plan.tables:
        rows = [row for batch in synth.batches(tplan.table) for row in batch]
        loader.timed_load(tplan.table, synth.tables[tplan.table].columns, rows)
        rows_done += len(rows)
        del rows
    loader.timed_commit()
    engine.dispose()
    return {"rows": rows_done, "seconds": loader.seconds, "path": loader.path}


def main(argv: list[str]) -> None:
    mode, url, total, seed = argv[0], argv[1], int(argv[2]), int(argv[3])
    found = (run_raw if mode == "raw" else run_querynl)(url, total, seed)
    # with a child making the rows (SQLite), both processes' peaks count
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    found["rss_mb"] = (own + children) / 1024
    print(json.dumps(found))


if __name__ == "__main__":
    main(sys.argv[1:])
