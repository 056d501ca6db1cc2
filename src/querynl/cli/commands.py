"""Every command of the ``querynl`` group, collected in one list."""

from __future__ import annotations

import click

from .connect import connect
from .data import data, demo
from .repl import repl

COMMANDS: list[click.Command] = [data, demo, repl, connect]
