"""The README documents every command, subcommand, REPL command and exit code, and its captured
sessions are what the program says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pexpect
import pytest

from querynl import errors, repl_commands
from querynl.cli import main
from test_repl import PROMPT_END, PROMPT_START, clean

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


# --------------------------------------------------------------------------- captured sessions

_PLAN_ROW = re.compile(
    r"^│ +\d+ │ \S+ +│ +[\d,]+ │ (?:requested|default|per parent|required parent|plan) "
)
_SAID = re.compile(r"^(?:Note: |Cycle: |Insert [\d,]+ rows into |[\d,]+ rows (?:across|in) )")


def session_shape(text: str) -> list[str]:
    """What a transcript says, numbers and durations aside: how the request was read, the plan's
    rows, notes, the question and the result line."""
    lines = [line.removeprefix("    ").rstrip() for line in text.splitlines()]
    said = []
    for i, line in enumerate(lines):
        if line.startswith("Understood: "):
            end = next(j for j in range(i, len(lines)) if lines[j] == "Plan")
            said.append(" ".join(lines[i:end]))
        elif _PLAN_ROW.match(line) or _SAID.match(line):
            said.append(line.split(" (", 1)[0] if line.startswith("Insert ") else line)
    return [re.sub(r"\d[\d,.]*", "N", s) for s in said]


def readme_block(after: str) -> str:
    """The indented block that starts with the line ``after`` (a command)."""
    block = README.split(f"    {after}\n", 1)[1]
    return block.split("\n\n", 1)[0]


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "COLUMNS": "100", "QUERYNL_CONFIG_DIR": str(tmp_path / "config")}
    env.update(TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    env.pop("DATABASE_URL", None)
    return env


def test_the_readme_sessions_are_what_the_program_says(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    demo = subprocess.run(
        [sys.executable, "-m", "querynl", "demo", "--seed", "42"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert demo.returncode == 0, demo.stderr
    shown = readme_block("$ querynl demo --seed 42")
    assert session_shape(demo.stdout) == session_shape(shown)
    assert len(session_shape(shown)) >= 9  # the reading, seven plan rows, the result

    repl = readme_block("$ querynl repl --db querynl-demo.db")
    typed = [line.split("> ", 1)[1] for line in repl.splitlines() if "querynl-demo.db> " in line]
    assert typed[0].startswith("\\data ") and typed[1].startswith("SELECT ")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "querynl", "repl", "--db", "querynl-demo.db"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        dimensions=(50, 100),
        timeout=120,
    )
    child.expect_exact(PROMPT_START)
    child.sendline(typed[0])
    child.expect(r"\[y/N\]: ")
    asked = child.before + child.after
    child.sendline("y")
    child.expect_exact(PROMPT_START)
    answered = child.before
    child.sendline(typed[1])
    child.expect_exact(PROMPT_END)
    child.expect_exact(PROMPT_START)
    queried = clean(child.before)
    child.sendeof()
    child.expect(pexpect.EOF)
    said = clean(asked + answered)
    assert session_shape(said) == session_shape(repl)
    for status in ("shipped", "pending"):  # the query shows both, as in the transcript
        assert re.search(rf"│ {status} +│ \d+", queried), queried
