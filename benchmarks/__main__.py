"""``python -m benchmarks``: QueryNL end to end against each database's raw bulk-load speed.

    python -m benchmarks                          # SQLite, PostgreSQL, MariaDB; 100k and 1M rows
    python -m benchmarks --ten-million            # and 10,000,000 rows on SQLite
    python -m benchmarks --databases sqlite --rows 100000 --json out.json

Each case runs in its own subprocess on a database made for it and dropped after it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from . import databases

HELP_RUNS = 5
DEFAULT_REQUEST_RUNS = 3


def main(argv: list[str] | None = None) -> None:
    args = _arguments(argv)
    _compile_bytecode()
    print(_machine(args.databases))
    results: list[dict[str, Any]] = []
    for dialect in args.databases:
        sizes = list(args.rows)
        if args.ten_million and dialect == "sqlite":
            sizes.append(10_000_000)
        for total in sizes:
            raw = _case("raw", dialect, total, args.seed)
            ours = _case("querynl", dialect, total, args.seed)
            results.append({"database": dialect, "rows": total, "raw": raw, "querynl": ours})
            print(_row(results[-1]), flush=True)
    print()
    print(table(results))
    print(f"Load average at the end (1, 5, 15 min): {_load()}")
    startup = {} if args.skip_startup else _startup(args.databases)
    if startup:
        print()
        print(startup_table(startup))
    if args.json:
        Path(args.json).write_text(
            json.dumps({"cases": results, "startup": startup}, indent=2), encoding="utf-8"
        )


def _compile_bytecode() -> None:
    """QueryNL's modules as bytecode, as installing a wheel leaves them: with
    PYTHONDONTWRITEBYTECODE set (or a read-only checkout) every timed process would otherwise
    compile them from source again."""
    import compileall

    import querynl

    for folder in querynl.__path__:
        compileall.compile_dir(folder, quiet=1)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument(
        "--databases",
        type=lambda s: [d.strip() for d in s.split(",") if d.strip()],
        default=["sqlite", "postgresql", "mysql"],
        help="comma-separated: sqlite, postgresql, mysql (MariaDB)",
    )
    parser.add_argument(
        "--rows",
        type=lambda s: [int(n) for n in s.replace("_", "").split(",")],
        default=[100_000, 1_000_000],
        help="comma-separated row counts in all (default 100000,1000000)",
    )
    parser.add_argument("--ten-million", action="store_true", help="add 10,000,000 on SQLite")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-startup", action="store_true", help="skip the start-up timings")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    return parser.parse_args(argv)


def _case(mode: str, dialect: str, total: int, seed: int) -> dict[str, Any]:
    with databases.fresh_database(dialect) as url:
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.worker", mode, url, str(total), str(seed)],
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{mode} on {dialect} with {total:,} rows failed:\n{done.stderr}")
    found = json.loads(done.stdout.strip().splitlines()[-1])
    found["process_seconds"] = wall
    if found["rows"] != total:
        raise SystemExit(f"{mode} on {dialect} inserted {found['rows']:,} of {total:,} rows")
    return found


def _rate(case: dict[str, Any]) -> float:
    return case["rows"] / case["seconds"]


def _row(r: dict[str, Any]) -> str:
    raw, ours = r["raw"], r["querynl"]
    return (
        f"| {databases.LABELS[r['database']]} | {r['rows']:,} | {_rate(raw):,.0f} | "
        f"{_rate(ours):,.0f} | {_rate(ours) / _rate(raw):.2f} | {raw['seconds']:.2f} | "
        f"{ours['seconds']:.2f} | {ours['rss_mb']:.0f} | {raw['rss_mb']:.0f} |"
    )


def table(results: list[dict[str, Any]]) -> str:
    """The results as a Markdown table (what the README shows)."""
    head = (
        "| database | rows | raw rows/s | QueryNL rows/s | QueryNL / raw | raw s | QueryNL s "
        "| QueryNL peak RSS MB | raw peak RSS MB |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    paths = sorted({f"{databases.LABELS[r['database']]}: {r['raw']['path']}" for r in results})
    return "\n".join([head, *(_row(r) for r in results), "", "Raw paths: " + "; ".join(paths)])


def _startup(dialects: list[str]) -> dict[str, float]:
    """Median wall times: ``querynl --help``, and the default request on a 10-table schema
    (a fresh database each run, start-up of the ``querynl`` process included)."""
    command = _querynl_command()
    found: dict[str, float] = {}
    found["querynl --help"] = _median(HELP_RUNS, lambda: _timed([*command, "--help"]))
    for dialect in dialects:

        def once(dialect: str = dialect) -> float:
            with databases.fresh_database(dialect, ten_tables=True) as url:
                request = [*command, "data", "add some sample data", "--db", url, "--yes"]
                return _timed(request)

        label = f'querynl data "add some sample data" ({databases.LABELS[dialect]}, 10 tables)'
        found[label] = _median(DEFAULT_REQUEST_RUNS, once)
    return found


def startup_table(startup: dict[str, float]) -> str:
    lines = ["| command | wall time s (median) |", "| --- | ---: |"]
    lines += [f"| `{name}` | {seconds:.2f} |" for name, seconds in startup.items()]
    return "\n".join(lines)


def _querynl_command() -> list[str]:
    script = Path(sys.executable).with_name("querynl")
    if script.exists():
        return [str(script)]
    found = shutil.which("querynl")
    return [found] if found else [sys.executable, "-m", "querynl"]


def _timed(command: list[str]) -> float:
    began = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command[:2])} failed:\n{done.stderr or done.stdout}")
    return seconds


def _median(runs: int, measure: Any) -> float:
    return statistics.median(measure() for _ in range(runs))


def _machine(dialects: list[str]) -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    ) if Path("/proc/cpuinfo").exists() else platform.processor()  # fmt: skip
    memory = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory = f", {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    versions = ", ".join(f"{databases.LABELS[d]} {databases.server_version(d)}" for d in dialects)
    return (
        f"Machine: {os.cpu_count()} cores ({cpu}){memory}; Python {platform.python_version()}; "
        f"{versions}; load average (1, 5, 15 min): {_load()}"
    )


def _load() -> str:
    """The machine's load average: other work on the same cores slows every case."""
    if not hasattr(os, "getloadavg"):
        return "unknown"
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
