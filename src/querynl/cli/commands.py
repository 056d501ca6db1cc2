"""Every command of the ``querynl`` group, collected in one list."""

from __future__ import annotations

import click

from .connect import connect

COMMANDS: list[click.Command] = [connect]
