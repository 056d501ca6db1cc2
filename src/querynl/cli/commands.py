"""Every command of the ``querynl`` group, collected in one list."""

from __future__ import annotations

import click

from . import data_runs  # noqa: F401 - registers `data runs|undo|clear`
from .connect import connect
from .data import data, demo
from .repl import repl
from .schema import schema

COMMANDS: list[click.Command] = [data, demo, repl, connect, schema]
