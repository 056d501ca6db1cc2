"""One exception tree for the whole project.

Core code raises these; the CLI and the REPL turn them into one clear message with a hint and a
non-zero exit code. Each class carries structured fields so messages can name the table, the
column and the constraint involved.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class QueryNLError(Exception):
    """Base class of every expected failure. ``hint`` says what to change."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        table: str | None = None,
        column: str | None = None,
        constraint: str | None = None,
        value: object | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.table = table
        self.column = column
        self.constraint = constraint
        self.value = value

    def __str__(self) -> str:
        return self.message


class UsageError(QueryNLError):
    """The command line or the options are wrong."""

    exit_code = 2


class ConnectionFailed(QueryNLError):
    """The database cannot be reached or refused the login."""

    exit_code = 3


class SchemaError(QueryNLError):
    """The schema is empty, or cannot be filled as it stands."""

    exit_code = 4


class RequestError(QueryNLError):
    """The request names something that does not exist or asks for something impossible."""

    exit_code = 5


class PlanError(QueryNLError):
    """A plan (offline, saved or from an LLM) does not fit the schema or its constraints."""

    exit_code = 5


class InfeasibleError(PlanError):
    """The requested counts cannot be met under the schema's constraints.

    ``problems`` lists every problem found, so the user sees them all at once.
    """

    def __init__(self, problems: list[str], *, hint: str | None = None) -> None:
        body = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"The request cannot be met:\n{body}", hint=hint)
        self.problems = problems


class GenerationError(QueryNLError):
    """A value could not be generated within a column's constraints."""

    exit_code = 6


class InsertionError(QueryNLError):
    """The database rejected the data; the transaction was rolled back."""

    exit_code = 7


class SqlError(QueryNLError):
    """The database refused a statement typed at the REPL; its transaction was rolled back."""

    exit_code = 7


class ConfirmationRequired(QueryNLError):
    """A large request needs a yes, and there is nobody to ask."""

    exit_code = 8


class Cancelled(QueryNLError):
    """The user cancelled (Ctrl+C or answered no); nothing was written."""

    exit_code = 130


class LedgerError(QueryNLError):
    """The run ledger cannot do what was asked (unknown run, rows referenced elsewhere)."""

    exit_code = 9


class ConfigError(QueryNLError):
    """The configuration or a saved connection is unreadable or incomplete."""

    exit_code = 2


def did_you_mean(name: str, candidates: Iterable[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest candidate, or an empty string."""
    pool = list(candidates)
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return f" Did you mean {lowered[close[0]]!r}?" if close else ""
