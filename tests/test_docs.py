"""The README documents every command, subcommand, REPL command and exit code."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from querynl import errors, repl_commands
from querynl.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def command_paths(group: click.Group, prefix: str = "querynl") -> list[str]:
    ctx = click.Context(group)
    paths = []
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        assert cmd is not None
        if cmd.hidden:  # `querynl data request` is how `querynl data REQUEST` runs
            continue
        paths.append(f"{prefix} {name}")
        if isinstance(cmd, click.Group):
            paths.extend(command_paths(cmd, f"{prefix} {name}"))
    return paths


@pytest.mark.parametrize("path", command_paths(main))
def test_every_command_is_documented(path: str) -> None:
    assert f"`{path}" in README or f"    {path}" in README, f"{path} is not in the README"


@pytest.mark.parametrize("cmd", repl_commands.all_commands(), ids=lambda c: c.name)
def test_every_repl_command_is_documented(cmd: repl_commands.ReplCommand) -> None:
    assert f"`\\{cmd.name}" in README, f"\\{cmd.name} is not in the README"
    for alias in cmd.aliases:
        assert f"`\\{alias}`" in README, f"\\{alias} is not in the README"
    for sub in cmd.subcommands:
        assert f"`\\{cmd.name} {sub}" in README


def _error_classes() -> list[type[errors.QueryNLError]]:
    found, todo = [], [errors.QueryNLError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [c for c in found if c is not errors.QueryNLError]


@pytest.mark.parametrize("cls", _error_classes(), ids=lambda c: c.__name__)
def test_every_exit_code_is_in_the_table(cls: type[errors.QueryNLError]) -> None:
    table = README.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    codes = {int(m) for m in re.findall(r"^\| (\d+) \|", table, flags=re.M)}
    assert cls.exit_code in codes, f"{cls.__name__} exits {cls.exit_code}, not in the table"
