"""Generators for the less common native types: PostgreSQL's geometry and XML, and the
spatial (OGC) types of MySQL and MariaDB.

PostgreSQL values are the types' text forms, which it reads both from COPY and from
parameters; spatial values are MySQL's own storage form (SRID, then WKB), which it takes as a
bound binary value.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
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


@register
class Spatial(Generator):
    """OGC geometries as MySQL stores them: points as longitude/latitude, short lines, small
    closed polygons, and their MULTI and COLLECTION forms."""

    name = "spatial"
    summary = "spatial values (POINT, LINESTRING, POLYGON, MULTI..., GEOMETRYCOLLECTION)"
    kinds = ("spatial",)

    def generate(self, ctx: BatchContext) -> list[Any]:
        r = ctx.rng(self.column.name).random
        shape = self.column.type.sql.split("(")[0].strip().lower()
        make = _WKB.get(shape, _wkb_point)
        srid = struct.pack("<I", 0)
        return [srid + make(r) for _ in range(ctx.n)]


def _lon_lat(r: Callable[[], float]) -> tuple[float, float]:
    return round(r() * 360 - 180, 6), round(r() * 180 - 90, 6)


def _wkb(kind: int, body: bytes) -> bytes:
    return struct.pack("<BI", 1, kind) + body  # 1: little-endian


def _points(r: Callable[[], float], count: int) -> bytes:
    x, y = _lon_lat(r)
    coords = [(x + i * 0.01, y + (r() - 0.5) * 0.01) for i in range(count)]
    return struct.pack("<I", count) + b"".join(struct.pack("<dd", *c) for c in coords)


def _wkb_point(r: Callable[[], float]) -> bytes:
    return _wkb(1, struct.pack("<dd", *_lon_lat(r)))


def _wkb_line(r: Callable[[], float]) -> bytes:
    return _wkb(2, _points(r, 3))


def _wkb_polygon(r: Callable[[], float]) -> bytes:
    x, y = _lon_lat(r)
    side = round(0.001 + r() * 0.01, 6)
    ring = [(x, y), (x + side, y), (x + side, y + side), (x, y + side), (x, y)]
    body = struct.pack("<II", 1, len(ring)) + b"".join(struct.pack("<dd", *c) for c in ring)
    return _wkb(3, body)


def _multi(kind: int, part: Callable[[Callable[[], float]], bytes]) -> Callable[..., bytes]:
    def make(r: Callable[[], float]) -> bytes:
        return _wkb(kind, struct.pack("<I", 2) + part(r) + part(r))

    return make


_WKB: dict[str, Callable[[Callable[[], float]], bytes]] = {
    "point": _wkb_point,
    "linestring": _wkb_line,
    "polygon": _wkb_polygon,
    "multipoint": _multi(4, _wkb_point),
    "multilinestring": _multi(5, _wkb_line),
    "multipolygon": _multi(6, _wkb_polygon),
    "geometrycollection": _multi(7, _wkb_point),
    "geomcollection": _multi(7, _wkb_point),
}
