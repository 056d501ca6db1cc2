"""Asking before a large insert: the total, the tables, an estimate of the time.

Without a terminal nobody can answer, so the request fails at once with a message that names
``--yes``; it never waits for input that will not come.
"""

from __future__ import annotations

import sys

import click

from ..errors import Cancelled, ConfirmationRequired
from ..models import DataGenerationPlan
from ..schema_design.test_data_generator import estimate_seconds


def can_ask() -> bool:
    """True when a person can answer a question on this terminal."""
    return sys.stdin.isatty()


def check_can_confirm(plan: DataGenerationPlan, threshold: int) -> None:
    """Raise ``ConfirmationRequired`` (exit 8) when the question cannot be asked."""
    if can_ask():
        return
    raise ConfirmationRequired(
        f"This request inserts {plan.total_rows:,} rows (more than {threshold:,}) and there is "
        "no terminal to confirm it.",
        hint="Add --yes to insert without asking, or --dry-run to see the plan only.",
    )


def confirm_insert(plan: DataGenerationPlan, threshold: int) -> None:
    """Ask whether to insert; anything but yes raises ``Cancelled`` and nothing is written."""
    check_can_confirm(plan, threshold)
    tables = len([t for t in plan.tables if t.count])
    question = (
        f"Insert {plan.total_rows:,} rows into {tables} table{'s' if tables != 1 else ''} "
        f"({describe_duration(estimate_seconds(plan))})?"
    )
    try:
        answer = click.confirm(question, default=False, err=True)
    except click.Abort:  # Ctrl+C or Ctrl+D at the question
        answer = False
    if not answer:
        raise Cancelled("Nothing was inserted.")


def describe_duration(seconds: float) -> str:
    """ "under a second", "about 4 seconds", "about 3 minutes", "about 2 hours"."""
    if seconds < 1:
        return "under a second"
    for unit, size in (("hour", 3600), ("minute", 60)):
        if seconds >= 1.5 * size:
            n = round(seconds / size)
            return f"about {n} {unit}s"
    n = max(1, round(seconds))
    return f"about {n} second{'s' if n != 1 else ''}"
