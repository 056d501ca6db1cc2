"""Which generated rows a table's CHECK constraints reject, before they are sent.

Two judges, cheapest first:

* the Python predicates ``checks.analyse`` compiled from each CHECK it can read;
* the database itself, for the CHECKs it cannot read and for those whose Python reading could
  accept what the database rejects (text ordered by a collation, regular expressions): the
  candidate rows go into a temporary table with the same column types and collations, and one
  ``SELECT ... WHERE NOT (check)`` names the rows to redraw. Values travel as bound
  parameters; the CHECK text is the database's own.
"""

from __future__ import annotations

import decimal
import itertools
import logging
import re
from collections.abc import Callable, Collection, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import checks as checks_mod
from ..dialects import Dialect
from ..models import CheckInfo, TableInfo

log = logging.getLogger("querynl.checks")

_COUNTER = itertools.count(1)


def row_values(columns: dict[str, list[Any]], j: int, names: frozenset[str]) -> dict[str, Any]:
    return {c: columns[c][j] for c in names if c in columns}


def failing_rows(
    predicates: Sequence[tuple[CheckInfo, checks_mod.Predicate, frozenset[str]]],
    columns: dict[str, list[Any]],
    rows: Sequence[int],
    intervals: Collection[int] = (),
) -> list[int]:
    """Rows (of ``rows``) that some Python predicate rejects (in the order of ``rows``).

    ``intervals`` names (by id) the CHECKs that accept one interval of numbers."""
    bad: set[int] = set()
    for check, predicate, cols in predicates:
        names = [c for c in cols if c in columns]
        if len(names) == 1:
            column = columns[names[0]]
            interval = id(check) in intervals
            bad |= _failing_on_one_column(check, predicate, names[0], column, rows, bad, interval)
            continue
        for j in rows:
            if j not in bad and not checks_mod.passes(predicate, row_values(columns, j, cols)):
                bad.add(j)
    return [j for j in rows if j in bad]


# Values of these types that are equal are the same value to any predicate; decimals and
# floats are too when the CHECK only compares and computes (1.0 and 1.00 are equal numbers
# but not the same text).
_ALIKE_WHEN_EQUAL = (str, int)
_NUMBERS = (decimal.Decimal, float)
_ORDERED_NUMBERS = (int, decimal.Decimal)  # no NaN among them
_TEXT_OPERATIONS = re.compile(
    r"(?i)\b(?!(?:in|and|or|not|check|between|is)\b)\w+\s*\(|\b(?:like|glob|regexp|similar)\b"
    r"|\|\||::|~"
)


def _failing_on_one_column(
    check: CheckInfo,
    predicate: checks_mod.Predicate,
    name: str,
    values: list[Any],
    rows: Sequence[int],
    skip: set[int],
    interval: bool = False,
) -> set[int]:
    """Rows a one-column predicate rejects: each distinct value is judged once when values
    of the column's type that are equal cannot be told apart by the CHECK."""
    whole = isinstance(rows, range) and len(rows) == len(values)
    subset = values if whole else [values[j] for j in rows]
    kinds = set(map(type, subset))
    has_null = type(None) in kinds
    kinds.discard(type(None))
    kind = kinds.pop() if len(kinds) == 1 else None
    if not kinds and (
        kind is None
        or kind in _ALIKE_WHEN_EQUAL
        # an interval CHECK compares the bare column with numbers only (casts of numbers
        # included: PostgreSQL writes ``0::numeric``); others must show no text operation
        or (kind in _NUMBERS and (interval or not _TEXT_OPERATIONS.search(check.sqltext)))
    ):
        if interval and kind in _ORDERED_NUMBERS:
            # the CHECK accepts one interval: its ends decide for everything between
            present = [v for v in subset if v is not None] if has_null else subset
            if not present or all(
                checks_mod.passes(predicate, {name: v}) for v in (min(present), max(present))
            ):
                return set()
        rejected = {v for v in set(subset) if not checks_mod.passes(predicate, {name: v})}
        if not rejected:
            return set()
        return {j for j in rows if j not in skip and values[j] in rejected}
    row: dict[str, Any] = {}
    bad: set[int] = set()
    for j in rows:
        if j not in skip:
            row[name] = values[j]
            if not checks_mod.passes(predicate, row):
                bad.add(j)
    return bad


def judged_checks(model: checks_mod.CheckModel, generated: Sequence[str]) -> list[CheckInfo]:
    """The CHECKs the database must judge, among those whose columns are all generated."""
    present = set(generated)
    found = []
    for i, (check, _) in enumerate(model.unreadable):
        if model.unreadable_columns.get(i, frozenset()) <= present:
            found.append(check)
    by_check = {id(c): cols for c, _, cols in model.predicates}
    found += [c for c in model.confirm if by_check.get(id(c), frozenset()) <= present]
    return found


class DatabaseChecks:
    """Asks the database which candidate rows its CHECKs reject, inside the run's transaction."""

    def __init__(self, conn: Connection, dialect: Dialect) -> None:
        self.conn = conn
        self.dialect = dialect
        self.scratch: dict[str, tuple[str, list[str]]] = {}  # table -> (temp table, columns)
        self.failed: set[str] = set()  # tables whose CHECKs the database could not evaluate

    def rejected(
        self,
        table: TableInfo,
        key: str,
        checks: list[CheckInfo],
        columns: list[str],
        values: dict[str, list[Any]],
        rows: Sequence[int],
        adapt: Callable[[str, list[Any]], list[Any]],
    ) -> set[int]:
        """Indices (of ``rows``) for which some CHECK of ``checks`` is FALSE."""
        if not checks or not rows or key in self.failed:
            return set()
        try:
            return self._rejected(table, key, checks, columns, values, rows, adapt)
        except (sa.exc.DBAPIError, self.conn.dialect.loaded_dbapi.Error) as exc:
            # a CHECK that only the real table can evaluate: the insert itself will judge
            self.failed.add(key)
            log.warning("%s: the database cannot evaluate its CHECKs apart: %s", key, exc)
            return set()

    def _rejected(
        self,
        table: TableInfo,
        key: str,
        checks: list[CheckInfo],
        columns: list[str],
        values: dict[str, list[Any]],
        rows: Sequence[int],
        adapt: Callable[[str, list[Any]], list[Any]],
    ) -> set[int]:
        conn, dialect = self.conn, self.dialect
        with self._guard():
            name = self._scratch(table, key, columns)
            picked = [adapt(c, [values[c][j] for j in rows]) for c in columns]
            batch = list(zip(list(rows), *picked))
            scratch = TableInfo(name=name, columns=())
            dialect.bulk_insert(conn, scratch, ["qnl_row", *columns], batch)
            conditions = [c.sqltext for c in checks]  # the database's own CHECK text
            where = " OR ".join(f"NOT ({condition})" for condition in conditions)
            sql = f"SELECT qnl_row FROM {dialect.quote(conn, name)} WHERE {where}"
            found = {int(r[0]) for r in dialect.run(conn, sql)}
            dialect.run(conn, f"DELETE FROM {dialect.quote(conn, name)}")
        return found

    def _scratch(self, table: TableInfo, key: str, columns: list[str]) -> str:
        known = self.scratch.get(key)
        if known is not None:
            return known[0]
        name = f"qnl_check_{next(_COUNTER)}"
        self.dialect.run(self.conn, self.dialect.scratch_table_sql(self.conn, table, name, columns))
        self.scratch[key] = (name, columns)
        return name

    def _guard(self) -> Any:
        """A savepoint where an error spoils the transaction (PostgreSQL), else nothing."""
        if self.dialect.errors_abort_transaction:
            return self.conn.begin_nested()
        return _Nothing()

    def close(self) -> None:
        """Drop the temporary tables (pooled connections outlive the run)."""
        for name, _ in self.scratch.values():
            try:
                with self._guard():
                    self.dialect.run(self.conn, self.dialect.drop_scratch_sql(self.conn, name))
            except sa.exc.DBAPIError:
                log.debug("could not drop %s", name)
        self.scratch.clear()


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None
