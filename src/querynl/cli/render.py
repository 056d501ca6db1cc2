"""Everything QueryNL prints: plans, sample rows, results and errors, through Rich."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import Cancelled, QueryNLError
from ..models import DataGenerationPlan, InsertionResult, TablePlan
from ..redact import redact

_console: Console | None = None
_err_console: Console | None = None


def console() -> Console:
    global _console
    if _console is None:
        # markup off: table and column names such as "[weird]" print as they are
        _console = Console(highlight=False, soft_wrap=False, markup=False)
    return _console


def err_console() -> Console:
    global _err_console
    if _err_console is None:
        _err_console = Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
    return _err_console


def reset_consoles() -> None:
    """Forget cached consoles (the streams change under Click's test runner)."""
    global _console, _err_console
    _console = _err_console = None


def print_error(exc: QueryNLError) -> None:
    """One clear message, where it happened and a hint, on stderr; never a trace or a secret."""
    out = err_console()
    if isinstance(exc, Cancelled):
        out.print(Text(redact(exc.message), style="yellow"))
        return
    out.print(Text("Error: ", style="bold red") + Text(redact(exc.message)))
    where = error_location(exc)
    if where:
        out.print(Text("Where: ", style="red") + Text(redact(where)))
    if exc.hint:
        out.print(Text("Hint: ", style="yellow") + Text(redact(exc.hint)))


def error_location(exc: QueryNLError) -> str:
    """ "table orders, column status, constraint orders_status_check, value 'lost'" — the
    structured fields the message does not already name."""
    parts = []
    for label, value in (
        ("table", exc.table),
        ("column", exc.column),
        ("constraint", exc.constraint),
    ):
        if value and str(value) not in exc.message:
            parts.append(f"{label} {value}")
    if exc.value is not None and repr(exc.value) not in exc.message:
        parts.append(f"value {_short(exc.value)}")
    return ", ".join(parts)


def describe_generator(generator: str, params: dict[str, Any]) -> str:
    shown = {k: v for k, v in params.items() if v is not None and k != "fk"}
    if generator == "choice" and "values" in shown:
        values = shown["values"]
        weights = shown.get("weights")
        if weights:
            parts = [f"{v} {w:.0%}" for v, w in zip(values, weights)]
        else:
            parts = [str(v) for v in values]
        text = ", ".join(parts[:6]) + (" …" if len(parts) > 6 else "")
        return f"choice({text})"
    args = ", ".join(f"{k}={_short(v)}" for k, v in shown.items())
    return f"{generator}({args})" if args else generator


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 40 else text[:37] + "…"


def plan_table(plan: DataGenerationPlan) -> Table:
    table = Table(title="Plan", title_justify="left", show_lines=False, expand=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("table", style="bold")
    table.add_column("rows", justify="right")
    table.add_column("why")
    table.add_column("existing", justify="right", style="dim")
    table.add_column("foreign keys")
    for i, t in enumerate(plan.tables, 1):
        fks = "; ".join(_fk_text(fp) for fp in t.foreign_keys) or "-"
        table.add_row(str(i), t.table, f"{t.count:,}", t.reason, f"{t.existing_rows:,}", fks)
    return table


def _fk_text(fp: Any) -> str:
    target = f"{fp.ref_table}({', '.join(fp.ref_columns)})"
    how = {
        "draw": f"{fp.distribution} over parents",
        "tree": "earlier rows (tree)",
        "one_to_one": "one per parent",
        "pairs": "distinct combinations",
        "per_parent": f"{fp.min_per_parent}-{fp.max_per_parent} per parent",
        "deferred_update": "NULL, then UPDATE",
        "deferred": "checked at commit",
    }.get(fp.strategy, fp.strategy)
    return f"{', '.join(fp.columns)} → {target}: {how}"


def columns_table(tplan: TablePlan) -> Table:
    table = Table(
        title=f"{tplan.table} ({tplan.count:,} rows)",
        title_justify="left",
        show_header=True,
        expand=False,
    )
    table.add_column("column")
    table.add_column("generator")
    table.add_column("null", justify="right")
    table.add_column("note", style="dim")
    refs = {c: fp for fp in tplan.foreign_keys for c in fp.columns}
    for cp in tplan.columns:
        gen = describe_generator(cp.generator, cp.params)
        if cp.generator == "foreign_key" and cp.name in refs:
            fp = refs[cp.name]
            gen = f"foreign key → {fp.ref_table}({', '.join(fp.ref_columns)})"
        elif cp.generator == "foreign_key":
            gen = f"foreign key {cp.params.get('fk', '')}"
        flags = " unique" if cp.unique else ""
        table.add_row(
            cp.name, gen + flags, f"{cp.null_rate:.0%}" if cp.null_rate else "", cp.note or ""
        )
    for name, why in tplan.skipped.items():
        table.add_row(name, "-", "", why)
    return table


def print_plan(
    plan: DataGenerationPlan, *, details: bool = True, advice: list[str] | None = None
) -> None:
    out = console()
    if plan.request is not None:
        print_request(plan, advice)
    out.print(plan_table(plan))
    if details:
        for tplan in plan.tables:
            out.print(columns_table(tplan))
    for brk in plan.cycle_breaks:
        out.print(Text("Cycle: ", style="magenta") + Text(brk.note))
    for note in plan.notes:
        out.print(Text("Note: ", style="cyan") + Text(note))
    if plan.rationale:
        out.print(Text(plan.rationale, style="italic"))


def print_request(plan: DataGenerationPlan, advice: list[str] | None = None) -> None:
    """How the request was read ("Understood: ..."), what was not, and what would help."""
    req = plan.request
    if req is None:
        return
    out = console()
    out.print(Text("Understood: ", style="bold") + Text(understood_text(req)))
    if req.unparsed:
        shown = ", ".join(repr(u) for u in req.unparsed)
        out.print(Text("Not understood: ", style="yellow") + Text(shown))
    for line in advice or []:
        out.print(Text("  " + line, style="yellow"))
    for note in req.notes:
        out.print(Text("Note: ", style="cyan") + Text(note))
    if plan.llm is not None:
        out.print(Text("LLM: ", style="bold") + Text(llm_usage_text(plan.llm)))


def understood_text(req: Any) -> str:
    """The parse result in one line: counts, tables, per-parent counts, shares, ranges..."""
    from ..request_details import describe_distribution, describe_range

    parts = []
    if req.counts:
        parts.append("counts " + ", ".join(f"{t}={c:,}" for t, c in req.counts.items()))
    if req.tables:
        parts.append("only " + ", ".join(req.tables) + " (and the tables they need)")
    if req.exclude:
        parts.append("except " + ", ".join(req.exclude))
    if req.default_count:
        parts.append(f"{req.default_count:,} rows per table")
    for c in req.cardinalities:
        many = str(c.min) if c.min == c.max else f"{c.min}-{c.max}"
        parts.append(f"{many} {c.child} per {c.parent} row")
    parts.extend(describe_distribution(d) for d in req.distributions)
    parts.extend(describe_range(r) for r in req.ranges)
    if req.locale:
        parts.append(f"locale {req.locale}")
    if req.domain:
        parts.append(f"domain {req.domain}")
    if req.spread:
        parts.append("children spread evenly" if req.spread == "uniform" else "popularity skew")
    if req.seed is not None:
        parts.append(f"seed {req.seed}")
    return "; ".join(parts) if parts else "every table, default counts"


def llm_usage_text(usage: Any) -> str:
    """ "openai gpt-4o-mini: 1,234 prompt + 210 completion = 1,444 tokens"."""
    return (
        f"{usage.provider} {usage.model}: {usage.prompt_tokens:,} prompt + "
        f"{usage.completion_tokens:,} completion = {usage.total_tokens:,} tokens"
    )


def print_samples(samples: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    """A few rows per table as they would be inserted; wide tables one column per line."""
    out = console()
    for name, (columns, rows) in samples.items():
        if rows:
            out.print(sample_table(name, columns, rows, out.width))


def sample_table(name: str, columns: list[str], rows: list[tuple[Any, ...]], width: int) -> Table:
    cells = [[cell_text(v) for v in row] for row in rows]
    widths = [
        min(_MAX_CELL, max(len(c), *(len(r[i]) for r in cells))) for i, c in enumerate(columns)
    ]
    title = f"sample rows: {name}"
    if sum(widths) + 3 * len(columns) + 1 <= width:
        table = Table(title=title, title_justify="left")
        for c in columns:
            table.add_column(c, overflow="ellipsis", no_wrap=True, max_width=_MAX_CELL)
        for row in cells:
            table.add_row(*row)
        return table
    # too wide for the terminal: one line per column, one column per sample row
    table = Table(title=title, title_justify="left")
    name_width = max(len(c) for c in columns)
    table.add_column("column", style="bold", no_wrap=True, min_width=name_width)
    room = max(8, (width - name_width - 3 * (len(cells) + 1) - 1) // max(1, len(cells)))
    for i in range(len(cells)):
        table.add_column(f"row {i + 1}", overflow="ellipsis", no_wrap=True, max_width=room)
    for i, column in enumerate(columns):
        table.add_row(column, *(row[i] for row in cells))
    return table


_MAX_CELL = 24


def print_insert_preview(preview: dict[str, str]) -> None:
    """The INSERT statements of the first rows, highlighted as SQL."""
    from rich.syntax import Syntax

    if not preview:
        return
    out = console()
    out.print(
        Text("INSERT preview (first rows of each table; values are bound when run)", style="bold")
    )
    for statement in preview.values():
        out.print(
            Syntax(statement, "sql", theme="ansi_dark", word_wrap=True, background_color="default")
        )


def cell_text(value: Any) -> str:
    """A value as a table cell shows it: NULL, short hex for bytes, text otherwise."""
    if value is None:
        return "NULL"
    if isinstance(value, bytes):
        return "0x" + value[:12].hex() + ("…" if len(value) > 12 else "")
    return str(value)


def print_result(result: InsertionResult) -> None:
    table = Table(title="Inserted", title_justify="left")
    table.add_column("table", style="bold")
    table.add_column("rows", justify="right")
    table.add_column("seconds", justify="right")
    table.add_column("rows/s", justify="right")
    for t in result.tables:
        table.add_row(t.table, f"{t.rows:,}", f"{t.seconds:.2f}", _rate(t.rows, t.seconds))
    console().print(table)
    console().print(
        f"{result.total_rows:,} rows in {result.seconds:.2f} s "
        f"({result.rows_per_second:,.0f} rows/s), committed in one transaction."
    )


def _rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}" if rows and seconds > 0 else "-"


def result_json(plan: DataGenerationPlan, result: InsertionResult | None) -> str:
    """The run as one JSON object: what was planned and, unless a dry run, what landed."""
    data: dict[str, Any] = {
        "seed": plan.seed,
        "now": plan.now.isoformat(),
        "dry_run": result is None,
        "planned": {t.table: t.count for t in plan.tables},
        "notes": list(plan.notes),
    }
    if plan.llm is not None:
        data["llm"] = plan.llm.model_dump()
    if result is not None:
        data.update(
            inserted={t.table: t.rows for t in result.tables},
            tables=[
                {
                    "table": t.table,
                    "rows": t.rows,
                    "seconds": round(t.seconds, 4),
                    "rows_per_second": round(t.rows / t.seconds, 1) if t.seconds > 0 else 0.0,
                }
                for t in result.tables
            ],
            total_rows=result.total_rows,
            seconds=round(result.seconds, 4),
            rows_per_second=round(result.rows_per_second, 1),
            run_id=result.run_id,
        )
    return json.dumps(data)


def is_interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
