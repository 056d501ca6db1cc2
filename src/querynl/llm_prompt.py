"""What the LLM is told: a compact schema summary, the generator catalogue with each generator's
parameter schema, the offline reading of the request, and the JSON schema its answer must
follow (:class:`plan_proposal.PlanProposal`)."""

from __future__ import annotations

import copy
import json
from typing import Any

from . import generators
from . import request_vocabulary as V
from .models import DataGenerationPlan, SchemaMetadata, TableInfo, TestDataRequest
from .plan_proposal import PlanProposal

MAX_TABLES = 150  # tables described column by column; the rest by name only
MAX_CHECK = 160  # characters of one CHECK's text

SYSTEM = """\
You plan test data for a relational database. QueryNL inserts the rows; you only propose a plan.
Answer with one JSON object that follows the given schema exactly. Never write SQL.

- tables: row counts for the tables the request names or implies (whole numbers, 0 to 100000000).
  Tables you leave out get QueryNL's defaults. only_tables: true only when the request limits
  the run to those tables. exclude: tables the request says to leave out.
- columns: for columns where the request (or realism) calls for specific values, pick one
  generator from the catalogue, with parameters from that generator's parameter schema, as a list
  of {{"name": ..., "value": ...}} pairs. Do not choose generators for primary or foreign keys.
- distributions: shares of values in a column ("80% of orders shipped"); shares are fractions
  from 0 to 1; rest lists the values that share what remains.
- cardinalities: child rows per parent row ("each user with 1-5 posts").
- ranges: kind "number" (low/high numbers), "age" (years), "date" (YYYY-MM-DD), "recent_days"
  (low = number of days back from today).
- locale: a Faker locale such as de_DE when the request implies one; domain: one of
  {domains}; rationale: one short paragraph.
Use only table and column names from the schema, exactly as written. Leave lists empty when
the request says nothing about them.
"""


def system_prompt() -> str:
    return SYSTEM.format(domains=", ".join(sorted(set(V.DOMAIN_PHRASES.values()))))


def _column_line(table: TableInfo, name: str) -> str:
    col = table.column(name)
    bits = [col.name, col.type.sql]
    if name in table.primary_key:
        bits.append("PK")
    if col.autoincrement:
        bits.append("auto")
    if not col.nullable:
        bits.append("NOT NULL")
    if any(u.columns == (name,) for u in table.uniques):
        bits.append("UNIQUE")
    for fk in table.foreign_keys:
        if name in fk.columns:
            bits.append(f"-> {fk.ref_table}.{fk.ref_columns[fk.columns.index(name)]}")
    if col.type.values:
        bits.append("values " + "|".join(col.type.values))
    if col.computed:
        bits.append("computed")
    return " ".join(bits)


def schema_summary(meta: SchemaMetadata) -> str:
    """One block per table: name, existing rows, columns with types and keys, CHECKs.

    >>> print(schema_summary(meta))  # doctest: +SKIP
    table users (0 rows)
      id INTEGER PK auto NOT NULL; email VARCHAR(255) NOT NULL UNIQUE; ...
    """
    lines = [f"dialect: {meta.dialect}"]
    names = list(meta.tables)
    for name in names[:MAX_TABLES]:
        table = meta.tables[name]
        lines.append(f"table {name} ({table.row_count:,} rows)")
        lines.append("  " + "; ".join(_column_line(table, c.name) for c in table.columns))
        multi = [u for u in table.uniques if len(u.columns) > 1]
        if multi:
            lines.append("  unique: " + "; ".join("(" + ", ".join(u.columns) + ")" for u in multi))
        if len(table.primary_key) > 1:
            lines.append("  primary key: (" + ", ".join(table.primary_key) + ")")
        for check in table.checks:
            text = " ".join(check.sqltext.split())
            lines.append("  check: " + (text[:MAX_CHECK] + "…" if len(text) > MAX_CHECK else text))
    if len(names) > MAX_TABLES:
        lines.append("more tables (names only): " + ", ".join(names[MAX_TABLES:]))
    return "\n".join(lines)


def _params_schema(cls: Any) -> dict[str, Any]:
    schema = cls.Params.model_json_schema()
    props = {}
    for key, prop in schema.get("properties", {}).items():
        prop = {k: v for k, v in prop.items() if k != "title"}
        props[key] = prop
    return props


def catalogue_summary() -> str:
    """One line per generator: name, the column types it fills, what it does, its parameters."""
    from .generators.pools import POOL_SOURCES

    lines = []
    for name, cls in generators.catalogue().items():
        if name in ("foreign_key", "sequence"):
            continue
        kinds = ",".join(cls.kinds) if cls.kinds else "any"
        params = json.dumps(_params_schema(cls), separators=(",", ":"), default=str)
        line = f"- {name} [{kinds}]: {cls.summary}; params {params}"
        if name == "pool":
            line += "; pools: " + ", ".join(POOL_SOURCES)
        lines.append(line)
    return "\n".join(lines)


def offline_summary(request: TestDataRequest, plan: DataGenerationPlan | None) -> str:
    """What the offline parser read, so the model refines instead of starting over."""
    lines = []
    data = request.model_dump(exclude={"text", "notes"}, exclude_defaults=True)
    lines.append("offline parser read: " + json.dumps(data, default=str))
    if request.unparsed:
        lines.append("offline parser could not read: " + "; ".join(request.unparsed))
    if plan is not None:
        counts = ", ".join(f"{t.table}={t.count}" for t in plan.tables)
        lines.append(f"offline plan counts: {counts}")
        lines.append(f"reference day: {plan.now.isoformat()}; locale: {plan.locale}")
    return "\n".join(lines)


def user_prompt(
    text: str, meta: SchemaMetadata, request: TestDataRequest, plan: DataGenerationPlan | None
) -> str:
    return "\n\n".join(
        [
            f"Request: {text}",
            offline_summary(request, plan),
            "Schema:\n" + schema_summary(meta),
            "Generator catalogue (name [column types]: what; params JSON schema):\n"
            + catalogue_summary(),
        ]
    )


# ---------------------------------------------------------------------------------------------
# The answer's JSON schema
# ---------------------------------------------------------------------------------------------

_DROP = ("title", "default", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def proposal_schema() -> dict[str, Any]:
    """The JSON schema of :class:`PlanProposal`, in the strict form structured outputs need.

    References are inlined, every object lists all its properties as required and forbids
    others, and generator names are limited to the catalogue.
    """
    schema = PlanProposal.model_json_schema()
    defs = schema.pop("$defs", {})
    inlined = _inline(schema, defs)
    names = [n for n in generators.catalogue() if n not in ("foreign_key", "sequence")]
    column = inlined["properties"]["columns"]["items"]
    column["properties"]["generator"] = {"type": "string", "enum": names}
    return inlined


def _inline(node: Any, defs: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(n, defs) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _inline(copy.deepcopy(defs[node["$ref"].rsplit("/", 1)[-1]]), defs)
    out = {k: _inline(v, defs) for k, v in node.items() if k not in _DROP}
    if out.get("type") == "object" and "properties" in out:
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


__all__ = ["proposal_schema", "schema_summary", "system_prompt", "user_prompt"]
