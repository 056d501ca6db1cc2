"""A Rich progress bar per table, with rows/s and ETA, on stderr."""

from __future__ import annotations

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from .render import err_console


class TableProgress:
    """Context manager; ``update(table, done, total)`` is the executor's progress callback."""

    def __init__(self) -> None:
        self.progress = Progress(
            TextColumn("{task.description}", style="bold", markup=False),  # names are not markup
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}", markup=False),
            TimeRemainingColumn(),
            console=err_console(),
            transient=False,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> TableProgress:
        self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(*exc)  # type: ignore[arg-type]

    def update(self, table: str, done: int, total: int) -> None:
        task = self.tasks.get(table)
        if task is None:
            task = self.tasks[table] = self.progress.add_task(table, total=total, rate="")
        speed = self.progress.tasks[task].speed
        rate = f"{speed:,.0f} rows/s" if speed else ""
        self.progress.update(task, completed=done, rate=rate)
