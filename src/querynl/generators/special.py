"""Generators for the less common native types: geometry and XML (PostgreSQL).

Values are the types' text forms, which PostgreSQL reads both from COPY and from parameters.
"""

from __future__ import annotations

from typing import Any

from . import register
from .base import BatchContext, Generator


@register
class Geometry(Generator):
    """Points, boxes, circles, segments, lines, paths and polygons in a small plane."""

    name = "geometry"
    summary = "geometric values (point, box, circle, lseg, line, path, polygon)"
    kinds = ("geometry",)

    def generate(self, ctx: BatchContext) -> list[Any]:
        r = ctx.rng(self.column.name).random
        shape = self.column.type.sql.split("(")[0].strip().lower()
        make = _SHAPES.get(shape, _point)
        return [make(r) for _ in range(ctx.n)]


def _xy(r: Any) -> str:
    return f"({round(r() * 200 - 100, 3)},{round(r() * 200 - 100, 3)})"


def _point(r: Any) -> str:
    return _xy(r)


def _box(r: Any) -> str:
    return f"({_xy(r)},{_xy(r)})"


def _circle(r: Any) -> str:
    return f"<{_xy(r)},{round(r() * 10 + 0.5, 3)}>"


def _lseg(r: Any) -> str:
    return f"[{_xy(r)},{_xy(r)}]"


def _line(r: Any) -> str:
    # Ax + By + C = 0 with A and B not both zero
    return f"{{{round(r() * 9 + 1, 3)},{round(r() * 9 + 1, 3)},{round(r() * 20 - 10, 3)}}}"


def _path(r: Any) -> str:
    return "(" + ",".join(_xy(r) for _ in range(3)) + ")"


_SHAPES = {
    "point": _point,
    "box": _box,
    "circle": _circle,
    "lseg": _lseg,
    "line": _line,
    "path": _path,
    "polygon": _path,
}


@register
class Xml(Generator):
    """Small well-formed XML documents."""

    name = "xml"
    summary = "small XML documents"
    kinds = ("xml", "text", "string")

    def generate(self, ctx: BatchContext) -> list[Any]:
        rng = ctx.rng(self.column.name)
        words = self.env.pools.get("word")
        return [
            f"<item><name>{rng.choice(words)}</name><rank>{rng.randint(1, 100)}</rank></item>"
            for _ in range(ctx.n)
        ]
