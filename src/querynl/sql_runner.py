"""Run SQL a person typed (in the REPL) and hand back rows or affected counts.

The text goes to the driver unchanged: no parameters are bound, so ``%`` and ``?`` in string
literals mean what they say. Several statements separated by ``;`` run one after the other in one
transaction, committed when all of them succeed and rolled back when one fails (or on Ctrl+C).

    >>> [r.rows for r in run_sql(engine, "SELECT 1; SELECT 2")]   # doctest: +SKIP
    [[(1,)], [(2,)]]
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from .connection import open_connection, rollback_or_close
from .dialects.failures import driver_message
from .errors import Cancelled, SqlError
from .redact import redact

log = logging.getLogger("querynl.sql")

MAX_ROWS = 1000


@dataclass
class StatementResult:
    """What one statement gave: rows (when it returns rows) or the number of rows it changed."""

    sql: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    returns_rows: bool = False
    rowcount: int = -1  # -1: the driver does not know
    truncated: bool = False  # more rows exist than were fetched
    seconds: float = 0.0


def split_statements(text: str, dialect: str | None = None) -> list[str]:
    """Cut ``text`` at top-level semicolons (not inside strings, comments or identifiers)."""
    from sqlglot.dialects import Dialect as SqlglotDialect
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    from .checks import SQLGLOT_DIALECTS

    try:
        tokenizer = SqlglotDialect.get_or_raise(SQLGLOT_DIALECTS.get(dialect or "", None))
        tokens = tokenizer.tokenize(text)
    except (TokenError, ValueError):
        return [text.strip().rstrip(";").strip()] if text.strip() else []
    pieces, start = [], 0
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            pieces.append(text[start : token.start])
            start = token.end + 1
    pieces.append(text[start:])
    return [p.strip() for p in pieces if _has_code(p, tokenizer)]


def _has_code(piece: str, tokenizer: Any) -> bool:
    """False for pieces that hold only whitespace or comments."""
    if not piece.strip():
        return False
    try:
        return bool(tokenizer.tokenize(piece))
    except Exception:  # noqa: BLE001 - let the database judge what sqlglot cannot read
        return True


def run_sql(engine: Engine, text: str, *, max_rows: int = MAX_ROWS) -> list[StatementResult]:
    """Run every statement of ``text`` in one transaction; raise ``SqlError`` on failure."""
    statements = split_statements(text, engine.dialect.name)
    if not statements:
        return []
    conn = open_connection(engine)
    results: list[StatementResult] = []
    with conn:
        tx = conn.begin()
        try:
            cursor = conn.connection.driver_connection.cursor()
            try:
                for sql in statements:
                    results.append(_run_one(cursor, sql, max_rows))
            finally:
                cursor.close()
            tx.commit()
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                _cancel(engine, conn)
            rollback_or_close(conn, tx)
            if isinstance(exc, sa.exc.DBAPIError):  # raised by COMMIT, through SQLAlchemy
                exc = exc.orig or exc
            if isinstance(exc, KeyboardInterrupt):
                raise Cancelled("Cancelled; the statement was rolled back.") from None
            if isinstance(exc, engine.dialect.loaded_dbapi.Error):
                raise _sql_error(exc, statements, len(results), engine.dialect.name) from None
            raise
    return results


def _cancel(engine: Engine, conn: Connection) -> None:
    from .dialects import dialect_for

    try:
        dialect_for(engine.dialect.name).cancel_query(engine, conn)
    except Exception:  # noqa: BLE001 - closing the connection below ends the statement anyway
        log.debug("could not cancel the running statement", exc_info=True)


def _run_one(cursor: Any, sql: str, max_rows: int) -> StatementResult:
    began = time.perf_counter()
    cursor.execute(sql)
    result = StatementResult(sql=sql, rowcount=cursor.rowcount)
    if cursor.description:
        result.returns_rows = True
        result.columns = [d[0] for d in cursor.description]
        fetched = cursor.fetchmany(max_rows + 1)
        result.truncated = len(fetched) > max_rows
        result.rows = [tuple(r) for r in fetched[:max_rows]]
    result.seconds = time.perf_counter() - began
    log.debug("SQL (%.1f ms): %s", result.seconds * 1000, _one_line(sql))
    return result


def _sql_error(exc: Exception, statements: list[str], index: int, dialect: str) -> SqlError:
    from .dialects import dialect_for

    reason = redact(driver_message(exc)).rstrip(".")
    if len(statements) == 1:
        return SqlError(f"The database refused the statement: {reason}.")
    done = "the statements before it were rolled back"
    if not dialect_for(dialect).transactional_ddl:
        done += " (except CREATE, ALTER and DROP, which this database commits at once)"
    return SqlError(
        f"The database refused statement {index + 1} of {len(statements)}: {reason}; {done}."
    )


def _one_line(sql: str, limit: int = 300) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
