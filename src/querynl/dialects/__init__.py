"""The dialect registry, keyed on ``engine.dialect.name``.

One default implementation (``base.Dialect``) and one subclass per database that overrides what
differs; the differences are class-level tables and capability flags, so the rest of the code
never asks which database it is talking to.
"""

from __future__ import annotations

import importlib

from .base import Dialect

_REGISTRY: dict[str, type[Dialect]] = {}


def register(cls: type[Dialect]) -> type[Dialect]:
    for name in cls.names:
        _REGISTRY[name] = cls
    return cls


# SQLAlchemy dialect name -> the module of its built-in implementation, imported on first use
# (each one imports its driver's SQLAlchemy dialect: a SQLite run never loads PostgreSQL's)
_BUILTIN = {"sqlite": "sqlite", "postgresql": "postgresql", "mysql": "mysql", "mariadb": "mysql"}


def dialect_for(name: str) -> Dialect:
    """The implementation for a SQLAlchemy dialect name ("sqlite", "postgresql", "mysql"...)."""
    if name not in _REGISTRY and name in _BUILTIN:
        module = importlib.import_module(f"{__name__}.{_BUILTIN[name]}")
        register(module.IMPLEMENTATION)
    return _REGISTRY.get(name, Dialect)()


__all__ = ["Dialect", "dialect_for", "register"]
