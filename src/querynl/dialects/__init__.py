"""The dialect registry, keyed on ``engine.dialect.name``.

One default implementation (``base.Dialect``) and one subclass per database that overrides what
differs; the differences are class-level tables and capability flags, so the rest of the code
never asks which database it is talking to.
"""

from __future__ import annotations

from .base import Dialect

_REGISTRY: dict[str, type[Dialect]] = {}


def register(cls: type[Dialect]) -> type[Dialect]:
    for name in cls.names:
        _REGISTRY[name] = cls
    return cls


def dialect_for(name: str) -> Dialect:
    """The implementation for a SQLAlchemy dialect name ("sqlite", "postgresql", "mysql"...)."""
    _load_builtin()
    return _REGISTRY.get(name, Dialect)()


def _load_builtin() -> None:
    if _REGISTRY:
        return
    from . import mysql, postgresql, sqlite

    for module in (sqlite, postgresql, mysql):
        register(module.IMPLEMENTATION)


__all__ = ["Dialect", "dialect_for", "register"]
