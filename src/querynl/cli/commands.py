"""Every command of the ``querynl`` group, collected in one list."""

from __future__ import annotations

import click

from .connect import connect
from .data import data, demo

COMMANDS: list[click.Command] = [data, demo, connect]
