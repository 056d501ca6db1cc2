"""Every command of the ``querynl`` group, collected in one list."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
