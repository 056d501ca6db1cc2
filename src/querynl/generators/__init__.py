"""The closed catalogue of value generators.

Plans (offline, saved as YAML, or proposed by an LLM) name generators from this catalogue only;
``build`` validates the parameters with the generator's Pydantic model before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from ..errors import PlanError, did_you_mean
from ..models import ColumnInfo, TableInfo
from .base import BatchContext, Generator, RunEnv, derive_seed
from .pools import Pools

CATALOGUE: dict[str, type[Generator]] = {}


def register(cls: type[Generator]) -> type[Generator]:
    if not cls.name or cls.name in CATALOGUE:
        raise ValueError(f"generator name missing or taken: {cls.name!r}")
    CATALOGUE[cls.name] = cls
    return cls


def _load() -> None:
    # Unconditional: importing one module of the catalogue directly must not hide the others.
    from . import codes, core, people, places, relations, special  # noqa: F401  (registers)


def catalogue() -> dict[str, type[Generator]]:
    _load()
    return CATALOGUE


def get(name: str) -> type[Generator]:
    _load()
    try:
        return CATALOGUE[name]
    except KeyError:
        raise PlanError(
            f"Unknown generator {name!r}." + did_you_mean(name, CATALOGUE),
            hint="Run `querynl schema --generators` to list the catalogue.",
        ) from None


def validate_params(name: str, params: dict[str, Any], where: str) -> Any:
    """Parameters checked against the generator's model; errors name the field."""
    cls = get(name)
    try:
        return cls.Params.model_validate(params or {})
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'params'}: {e['msg']}" for e in exc.errors()
        )
        raise PlanError(f"{where}: invalid parameters for {name}: {problems}") from None


def build(
    name: str,
    params: dict[str, Any],
    column: ColumnInfo,
    table: TableInfo,
    env: RunEnv,
    *,
    unique: bool = False,
    unique_key: Callable[[Any], Any] | None = None,
    rows: int = 0,
) -> Generator:
    """Instantiate a catalogue generator for one column of one run."""
    cls = get(name)
    where = f"{table.name}.{column.name}"
    model = validate_params(name, params, where)
    try:
        return cls(model, column, table, env, unique=unique, unique_key=unique_key, rows=rows)
    except ValueError as exc:  # the generator's own check of its parameters, in setup()
        raise PlanError(f"{where}: invalid parameters for {name}: {exc}") from None


__all__ = [
    "CATALOGUE",
    "BatchContext",
    "Generator",
    "Pools",
    "RunEnv",
    "build",
    "catalogue",
    "derive_seed",
    "get",
    "register",
    "validate_params",
]
