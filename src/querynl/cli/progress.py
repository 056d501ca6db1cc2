"""Progress on stderr: a Rich progress bar per table with rows/s and ETA, and a spinner."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from .render import err_console


class RowsPerSecondColumn(ProgressColumn):
    """Rows per second of one table, from the moment its first batch started."""

    def render(self, task: Task) -> Text:
        elapsed = task.finished_time if task.finished else task.elapsed
        if not task.completed or not elapsed:
            return Text("")
        return Text(f"{task.completed / elapsed:,.0f} rows/s", style="cyan")


class TableProgress:
    """Context manager; ``update(table, done, total)`` is the executor's progress callback.

    Every planned table shows from the start; its clock starts when its first batch does
    (the executor reports ``done=0`` then).
    """

    def __init__(self, tables: list[tuple[str, int]] | None = None) -> None:
        self.planned = tables or []
        self.progress = Progress(
            TextColumn("{task.description}", style="bold", markup=False),
            BarColumn(),
            MofNCompleteColumn(),
            RowsPerSecondColumn(),
            TimeRemainingColumn(),
            console=err_console(),
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> TableProgress:
        self.progress.__enter__()
        for table, total in self.planned:  # every table listed from the start, in order
            self.tasks[table] = self.progress.add_task(table, total=total, start=False)
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]

    def update(self, table: str, done: int, total: int) -> None:
        task = self.tasks.get(table)
        if task is None:
            task = self.tasks[table] = self.progress.add_task(table, total=total, start=False)
        if not self.progress.tasks[task].started:
            self.progress.start_task(task)
        self.progress.update(task, completed=done, total=total)


def planning_status(
    quiet: bool = False, message: str = "Reading the schema and planning…"
) -> AbstractContextManager[object]:
    """A spinner on stderr while something runs that shows no progress of its own.

    Only on a terminal: in scripts and under ``--json`` it does nothing.
    """
    out = err_console()
    if quiet or not out.is_terminal:
        return nullcontext()
    return out.status(message, spinner="dots")
