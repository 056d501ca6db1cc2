"""SQL literals and plain text for values, as each database reads them.

Values reach the database as bound parameters; literals exist only for display (plan previews,
the REPL) and for ``--sql-out`` scripts, which a test replays through each database's own
client. A literal must therefore make the database store exactly what the bound value would.

Each dialect holds a class table ``LITERALS`` of (Python type, renderer) pairs, checked in
order (``bool`` before ``int``, ``datetime`` before ``date``). A renderer takes the dialect,
the value and the column's ``TypeInfo`` (or None) and returns SQL text. Values may come raw
from a generator or already adapted for the driver; renderers accept both.

Why not SQLAlchemy's literal processors everywhere: they are right for plain strings and
numbers, but the PostgreSQL ones assume backslash escapes unless connected, none renders
bytes, arrays or ranges, and MySQL's float literal differs from what PyMySQL sends (``0.1e0``,
a DOUBLE, not the DECIMAL ``0.1``). So PostgreSQL text comes from psycopg's own text dumpers
(the COPY path uses the same ones) and MySQL literals from PyMySQL's own escaping (what
``executemany`` sends); SQLite's rules are short enough to write here.
"""

from __future__ import annotations

import datetime as dt
import decimal
import ipaddress
import json
import math
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..models import TypeInfo
    from .base import Dialect

Renderer = Callable[["Dialect", Any, "TypeInfo | None"], str]

NUMERIC_KINDS = frozenset({"integer", "decimal", "float", "year"})


def quote_text(text: str) -> str:
    """Standard SQL string literal: quotes doubled, everything else as is."""
    return "'" + text.replace("'", "''") + "'"


def json_text(value: Any) -> str:
    """JSON as the adapters send it: compact, Unicode kept."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)


def _kind(type_info: TypeInfo | None) -> str | None:
    return type_info.kind if type_info is not None else None


def _numeric_column(type_info: TypeInfo | None) -> bool:
    return type_info is None or type_info.kind in NUMERIC_KINDS


# ---------------------------------------------------------------------------------------------
# plain text (CSV files, and PostgreSQL literals, which are quoted text)
# ---------------------------------------------------------------------------------------------


def plain_text(value: Any) -> str:
    """A value as text that reads back the same: ISO dates, JSON for structures, hex bytes."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return _interval_text(value)
    if isinstance(value, (dict, list, tuple)):
        return json_text(list(value) if isinstance(value, tuple) else value)
    return str(value)


def _interval_text(value: dt.timedelta) -> str:
    micro = value.microseconds
    seconds = f"{value.seconds}.{micro:06d}" if micro else str(value.seconds)
    return f"{value.days} days {seconds} seconds"


# ---------------------------------------------------------------------------------------------
# generic (ANSI) renderers, the base Dialect's table
# ---------------------------------------------------------------------------------------------


def r_null(_d: Dialect, _v: Any, _t: TypeInfo | None) -> str:
    return "NULL"


def r_bool(_d: Dialect, value: bool, t: TypeInfo | None) -> str:
    if _kind(t) in (None, "boolean"):
        return "TRUE" if value else "FALSE"
    return "1" if value else "0"


def r_number(_d: Dialect, value: Any, t: TypeInfo | None) -> str:
    text = plain_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return quote_text(text)
    return text if _numeric_column(t) else quote_text(text)


def r_text(_d: Dialect, value: Any, _t: TypeInfo | None) -> str:
    return quote_text(plain_text(value))


def r_hex_bytes(_d: Dialect, value: Any, _t: TypeInfo | None) -> str:
    return f"X'{bytes(value).hex()}'"


def r_json(_d: Dialect, value: Any, _t: TypeInfo | None) -> str:
    return quote_text(json_text(value))


def r_date(_d: Dialect, value: dt.date, _t: TypeInfo | None) -> str:
    return f"DATE '{value.isoformat()}'"


def r_timestamp(_d: Dialect, value: dt.datetime, _t: TypeInfo | None) -> str:
    keyword = "TIMESTAMP WITH TIME ZONE" if value.tzinfo is not None else "TIMESTAMP"
    return f"{keyword} '{value.isoformat(sep=' ')}'"


def r_time(_d: Dialect, value: dt.time, _t: TypeInfo | None) -> str:
    return f"TIME '{value.isoformat()}'"


def r_interval(_d: Dialect, value: dt.timedelta, _t: TypeInfo | None) -> str:
    return f"INTERVAL '{_interval_text(value)}'"


def r_sequence(d: Dialect, value: Any, t: TypeInfo | None) -> str:
    """Lists: a SET's members, else JSON (the base and SQLite store arrays as JSON text)."""
    if _kind(t) == "set":
        return quote_text(",".join(str(v) for v in value))
    return quote_text(json_text(list(value)))


GENERIC: tuple[tuple[type | tuple[type, ...], Renderer], ...] = (
    (type(None), r_null),
    (bool, r_bool),
    ((int, float, decimal.Decimal), r_number),
    (str, r_text),
    ((bytes, bytearray, memoryview), r_hex_bytes),
    (dt.datetime, r_timestamp),
    (dt.date, r_date),
    (dt.time, r_time),
    (dt.timedelta, r_interval),
    (dict, r_json),
    ((list, tuple), r_sequence),
    ((uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address), r_text),
)


# ---------------------------------------------------------------------------------------------
# SQLite: dates as ISO text, booleans as 0/1, JSON text, X'..' blobs
# ---------------------------------------------------------------------------------------------


def r_sqlite_text(_d: Dialect, value: Any, _t: TypeInfo | None) -> str:
    text = plain_text(value)
    if "\x00" in text or "\r" in text:
        # a literal cannot hold NUL, and the sqlite3 shell drops a CR before a line break;
        # the UTF-8 bytes cast to TEXT store the same string
        return f"CAST(X'{text.encode('utf-8').hex()}' AS TEXT)"
    return quote_text(text)


def r_sqlite_float(_d: Dialect, value: float, _t: TypeInfo | None) -> str:
    if math.isnan(value):
        return "NULL"  # SQLite stores a bound NaN as NULL
    if math.isinf(value):
        return "9e999" if value > 0 else "-9e999"
    return repr(value)


def r_sqlite_bool(_d: Dialect, value: bool, _t: TypeInfo | None) -> str:
    return "1" if value else "0"


def r_sqlite_int(_d: Dialect, value: int, _t: TypeInfo | None) -> str:
    return str(value)


def r_sqlite_seconds(d: Dialect, value: dt.timedelta, t: TypeInfo | None) -> str:
    return r_sqlite_float(d, value.total_seconds(), t)


SQLITE: tuple[tuple[type | tuple[type, ...], Renderer], ...] = (
    (type(None), r_null),
    (bool, r_sqlite_bool),
    (int, r_sqlite_int),
    (float, r_sqlite_float),
    ((bytes, bytearray, memoryview), r_hex_bytes),
    (dt.timedelta, r_sqlite_seconds),
    (dict, r_json),
    ((list, tuple), r_sequence),
    # text, Decimal, dates and times, UUIDs: the adapters bind them as text
    (object, r_sqlite_text),
)


# ---------------------------------------------------------------------------------------------
# PostgreSQL: the text psycopg sends through COPY, quoted; the column's type reads it
# ---------------------------------------------------------------------------------------------


def pg_text(value: Any) -> str:
    """The text form psycopg gives a value (what COPY sends), for any type it adapts."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, dict):
        return json_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, float):
        return repr(value)
    from psycopg.adapt import PyFormat

    tx = _pg_transformer()
    dumped = tx.get_dumper(value, PyFormat.TEXT).dump(value)
    return bytes(dumped).decode("utf-8") if dumped is not None else ""


_TRANSFORMER: Any = None


def _pg_transformer() -> Any:
    global _TRANSFORMER
    if _TRANSFORMER is None:
        from psycopg.adapt import Transformer

        _TRANSFORMER = Transformer()
    return _TRANSFORMER


def r_pg_bytes(_d: Dialect, value: Any, t: TypeInfo | None) -> str:
    text = f"'\\x{bytes(value).hex()}'"
    return text + "::bytea" if _kind(t) in (None, "binary") else text


def r_pg_number(_d: Dialect, value: Any, t: TypeInfo | None) -> str:
    text = pg_text(value)
    finite = not isinstance(value, float) or math.isfinite(value)
    return text if finite and _numeric_column(t) else quote_text(text)


def r_pg_bool(_d: Dialect, value: bool, t: TypeInfo | None) -> str:
    if _kind(t) in (None, "boolean"):
        return "TRUE" if value else "FALSE"
    return quote_text("t" if value else "f")  # what COPY would write into that column


def r_pg_text(_d: Dialect, value: Any, _t: TypeInfo | None) -> str:
    return quote_text(pg_text(value))


def r_pg_sequence(d: Dialect, value: Any, t: TypeInfo | None) -> str:
    if _kind(t) in ("json", "text", "string"):
        return quote_text(json_text(list(value)))
    return quote_text(pg_text(list(value)))


POSTGRESQL: tuple[tuple[type | tuple[type, ...], Renderer], ...] = (
    (type(None), r_null),
    (bool, r_pg_bool),
    ((int, float, decimal.Decimal), r_pg_number),
    ((bytes, bytearray, memoryview), r_pg_bytes),
    ((list, tuple), r_pg_sequence),
    # text, dates and times, intervals, UUIDs, JSON, ranges, network addresses
    (object, r_pg_text),
)


# ---------------------------------------------------------------------------------------------
# MySQL / MariaDB: what PyMySQL's executemany sends (backslash escapes on, pinned by scripts)
# ---------------------------------------------------------------------------------------------


def _pymysql(value: Any) -> str:
    from pymysql.converters import escape_item

    return str(escape_item(value, "utf8mb4"))


def _mysql_value(value: Any, t: TypeInfo | None) -> Any:
    """The value as the MySQL adapters hand it to PyMySQL."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.timezone.utc).replace(tzinfo=None)
    if isinstance(value, dict):
        return json_text(value)
    if isinstance(value, (list, tuple)):
        if _kind(t) == "set":
            return ",".join(str(v) for v in value)
        return json_text(list(value))
    if isinstance(value, (uuid.UUID, ipaddress.IPv4Address, ipaddress.IPv6Address)):
        return str(value)
    return value


def r_mysql(_d: Dialect, value: Any, t: TypeInfo | None) -> str:
    value = _mysql_value(value, t)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"MySQL cannot store the float {value!r}")
    return _pymysql(value)


MYSQL: tuple[tuple[type | tuple[type, ...], Renderer], ...] = (
    (type(None), r_null),
    ((bytes, bytearray, memoryview), r_hex_bytes),
    # everything else exactly as PyMySQL's executemany writes it into the statement
    (object, r_mysql),
)


def render(
    table: tuple[tuple[type | tuple[type, ...], Renderer], ...],
    dialect: Dialect,
    value: Any,
    type_info: TypeInfo | None,
) -> str:
    """The first renderer of ``table`` whose type matches ``value``."""
    for types, renderer in table:
        if isinstance(value, types):
            return renderer(dialect, value, type_info)
    return quote_text(str(value))
