"""Progress of a long run on stderr: files read, rules run.

Shown only where a person watches: stderr is a terminal, not a CI job (``CI``/``GITHUB_ACTIONS``),
not ``TERM=dumb``, and never for machine-read output. Nothing appears for a run that ends within
about a second, and the line is removed when the run ends, so the output is what it always was.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from typing import Any

SHOW_AFTER = 1.0  # seconds: a faster run never shows progress

Reporter = Callable[[str, int, int], None]


def wanted() -> bool:
    if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS") == "true" or os.environ.get("TERM") == "dumb":
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Progress:
    def __init__(self, plain: bool = False) -> None:
        self.plain = plain  # ``--no-color``: the bar and spinner without colours, as the output
        self.started = time.monotonic()
        self.bar: Any = None
        self.tasks: dict[str, Any] = {}

    def __call__(self, stage: str, done: int, total: int) -> None:
        finished = total > 0 and done >= total
        if self.bar is None:
            if finished or time.monotonic() - self.started < SHOW_AFTER:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

            self.bar = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                console=Console(stderr=True, no_color=self.plain or None),  # (None: NO_COLOR decides)
                transient=True,
            )
            self.bar.start()
        task = self.tasks.get(stage)
        if task is None:
            task = self.tasks[stage] = self.bar.add_task(stage, total=total or None)
        self.bar.update(task, completed=done, total=total or None)
        if finished and all(self.bar.tasks[t].finished for t in range(len(self.bar.tasks))):
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
            self.tasks = {}


_current: _Progress | None = None


def reporter(*, plain: bool = False) -> Reporter | None:
    """The progress reporter of this run, or None where progress must not be shown; ``plain``:
    without colours (``--no-color``)."""
    global _current
    if not wanted():
        return None
    if _current is None:
        _current = _Progress(plain)
    return _current


def finish() -> None:
    """Remove the progress line (the run has ended, or output is about to be written)."""
    if _current is not None:
        _current.close()
