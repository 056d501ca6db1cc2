"""MySQL and MariaDB bulk loads through ``LOAD DATA LOCAL INFILE``.

The rows of a batch go into a private temporary file in LOAD DATA's default text format (tab
between fields, backslash escapes, ``\\N`` for NULL) and the server reads them from there: no
SQL is built from values, the file name is a bound parameter. This is about twice as fast as
PyMySQL's multi-row INSERT, which escapes every value in Python.

Two things make it safe to use:

* ``LOCAL`` loads turn errors into warnings and skip the rows they concern (the server cannot
  stop the client half-way through the file). Every load is checked: fewer rows than sent, or
  any warning, raises the server's first complaint as the driver error an INSERT would have
  raised (a duplicate key, a failed CHECK or foreign key, a value that does not fit), so the run
  rolls back and reports it as usual.
* A server may ask a client with ``local_infile`` for any file, not just the one named. QueryNL
  connects with the capability but keeps the driver's switch off except while its own
  ``LOAD DATA`` statement runs.

Tables with columns whose values do not travel well as text (binary, BIT, spatial, times of
day and intervals) and servers with ``local_infile`` off use the INSERT path.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import logging
import os
import tempfile
import weakref
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

from ..interrupts import interrupts_deferred
from ..models import TableInfo

log = logging.getLogger("querynl.dialect")

# column kinds whose generated values LOAD DATA reads back exactly from their text
TEXT_KINDS = frozenset(
    {
        "integer",
        "decimal",
        "float",
        "string",
        "text",
        "boolean",
        "date",
        "datetime",
        "uuid",
        "json",
        "enum",
        "set",
        "year",
    }
)

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0"})
_NEEDS_ESCAPE = ("\\", "\t", "\n", "\r", "\0")

# a warning of one of these levels means a row was skipped or a value changed
_PROBLEM_LEVELS = ("Warning", "Error")

_allowed: weakref.WeakKeyDictionary[Any, bool] = weakref.WeakKeyDictionary()


class NotText(Exception):
    """A value of a type this module does not write as LOAD DATA text."""


def loadable(table: TableInfo, columns: Sequence[str]) -> bool:
    """Whether every column of the load takes its values as LOAD DATA text."""
    return bool(columns) and all(
        table.has_column(c) and table.column(c).type.kind in TEXT_KINDS for c in columns
    )


def server_allows(dbapi_conn: Any) -> bool:
    """``local_infile`` on the server and the capability on this connection (asked once)."""
    known = _allowed.get(dbapi_conn)
    if known is None:
        from pymysql.constants import CLIENT

        capable = bool(getattr(dbapi_conn, "client_flag", 0) & CLIENT.LOCAL_FILES)
        known = capable and hasattr(dbapi_conn, "_local_infile") and _variable_on(dbapi_conn)
        _allowed[dbapi_conn] = known
    return known


def _variable_on(dbapi_conn: Any) -> bool:
    cursor = dbapi_conn.cursor()
    try:
        cursor.execute("SELECT @@local_infile")
        row = cursor.fetchone()
    finally:
        cursor.close()
    return bool(row and int(row[0]))


def lock_files(dbapi_conn: Any) -> None:
    """Refuse file requests from the server (the default between QueryNL's own loads)."""
    if hasattr(dbapi_conn, "_local_infile"):
        dbapi_conn._local_infile = False


def text_rows(rows: Sequence[Sequence[Any]]) -> bytes:
    """The rows in LOAD DATA's default text format, UTF-8 encoded; a column at a time.

    Raises ``NotText`` for a value of a type it does not know."""
    if not rows:
        return b""
    columns = [_text_column(list(values)) for values in zip(*rows)]
    lines = map("\t".join, zip(*columns))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _text_column(values: list[Any]) -> list[str]:
    kinds = set(map(type, values))
    if len(kinds) == 1:
        kind = next(iter(kinds))
        whole = _WHOLE.get(kind)
        if whole is not None:
            return whole(values)
    return [_field(v) for v in values]


def _texts(values: list[str]) -> list[str]:
    joined = "".join(values)  # one scan in C instead of one per value
    if any(mark in joined for mark in _NEEDS_ESCAPE):
        return list(map(str.translate, values, repeat(_ESCAPES)))
    return values


def _decimal(value: decimal.Decimal) -> str:
    if not value.is_finite():
        raise NotText(value)
    return format(value, "f")  # never exponent notation


def _float(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        raise NotText(value)
    return repr(value)


_WHOLE: dict[type, Callable[[list[Any]], list[str]]] = {
    int: lambda values: list(map(str, values)),
    str: _texts,
    dt.datetime: lambda values: list(map(dt.datetime.isoformat, values, repeat(" "))),
    dt.date: lambda values: list(map(dt.date.isoformat, values)),
    decimal.Decimal: lambda values: list(map(_decimal, values)),
    float: lambda values: list(map(_float, values)),
    type(None): lambda values: ["\\N"] * len(values),
}


def _field(value: Any) -> str:
    kind = type(value)
    if value is None:
        return "\\N"
    if kind is str:
        return value.translate(_ESCAPES)
    if kind is bool:
        return "1" if value else "0"
    if kind is int:
        return str(value)
    if kind is dt.datetime:
        return value.isoformat(" ")
    if kind is dt.date:
        return value.isoformat()
    if kind is decimal.Decimal:
        return _decimal(value)
    if kind is float:
        return _float(value)
    raise NotText(value)


def load(dbapi_conn: Any, sql: str, data: bytes, expected: int) -> bool:
    """Run ``sql`` (a LOAD DATA LOCAL INFILE with one placeholder for the file) on ``data``
    and raise the server's complaint when it skipped a row or changed a value.

    False, with nothing sent, when the file cannot be written (no usable temporary folder)."""
    try:
        fd, path = tempfile.mkstemp(prefix="querynl-", suffix=".tsv")
    except OSError as exc:
        log.debug("no temporary file for LOAD DATA (%s); rows go through INSERT", exc)
        return False
    try:
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
        except OSError as exc:
            log.debug("the temporary file for LOAD DATA failed (%s); rows go through INSERT", exc)
            return False
        cursor = dbapi_conn.cursor()
        try:
            # Ctrl+C in the middle of the file would leave the connection out of step with
            # the server: it waits for this load to finish and is raised right after it
            with interrupts_deferred() as interrupted:
                dbapi_conn._local_infile = True
                try:
                    cursor.execute(sql, (path,))
                except AttributeError as exc:
                    _raise_if_lost(dbapi_conn, exc)
                    raise
                finally:
                    dbapi_conn._local_infile = False
            if interrupted:
                raise KeyboardInterrupt
            stored, warned = cursor.rowcount, cursor.warning_count
            if stored != expected or warned:
                _raise_complaint(cursor, stored, expected)
        finally:
            cursor.close()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return True


def _raise_if_lost(dbapi_conn: Any, exc: AttributeError) -> None:
    """PyMySQL, losing the connection while it sends the file, fails once more in its own
    clean-up (the socket is gone): what happened is the lost connection, raised as such."""
    if getattr(dbapi_conn, "_sock", True) is not None:
        return
    from pymysql import err

    lost = exc.__context__
    if isinstance(lost, err.Error):
        raise lost from None
    raise err.OperationalError(
        2013, "Lost connection to the server during LOAD DATA LOCAL INFILE"
    ) from None


def _raise_complaint(cursor: Any, stored: int, expected: int) -> None:
    from pymysql import err

    cursor.execute("SHOW WARNINGS")
    problems = [w for w in cursor.fetchall() if w[0] in _PROBLEM_LEVELS]
    if not problems and stored == expected:
        return  # notes only (a decimal rounded to its scale, as an INSERT would)
    if problems:
        _level, code, message = problems[0][:3]
        raise err.error_map.get(int(code), err.OperationalError)(int(code), message)
    raise err.OperationalError(
        0, f"the server stored {stored} of {expected} rows sent with LOAD DATA"
    )
