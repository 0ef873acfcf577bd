"""``okrctl history`` as text: two lines per change."""

from __future__ import annotations

from io import StringIO

from okrctl.analysis.history import History
from okrctl.render import numbers
from okrctl.safetext import one_line, shown_path


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def render(history: History, *, color: bool = False, width: int = 100) -> str:
    from rich.cells import cell_len
    from rich.console import Console
    from rich.padding import Padding
    from rich.text import Text

    buffer = StringIO()
    # (with a height, rich keeps the width under TERM=dumb: ``render.console.text_console``)
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width, height=25, highlight=False, emoji=False
    )
    if history.note:
        console.print(Text("note: " + history.note, style="yellow"))
        console.print()
    for change in history.changes:
        line = Text(change.day.isoformat(), style="bold")
        line.append("  ")
        line.append(one_line(change.ref), style="bold")
        line.append("  ")
        line.append(change.field, style="cyan")
        line.append("  ")
        line.append(one_line(numbers.as_written(change.old)), style="red")
        line.append(" → ")
        line.append(one_line(numbers.as_written(change.new)), style="green")
        line.append("  ")
        if change.cycle_started:
            line.append("after the cycle started", style="bold yellow")
        else:
            line.append("before the cycle started", style="dim")
        console.print(line)
        # Who, which commit, which file: one line under the change when it fits, else the author
        # on one and the commit and file on the next, each indented (never a line at column 0).
        who = one_line(f"{change.author_name} <{change.author_email}>")
        where = f"commit {change.commit[:7]} · {shown_path(change.path)}"
        rows = [f"{who} · {where}"] if cell_len(f"{who} · {where}") <= width - 12 else [who, where]
        for row in rows:
            console.print(Padding(Text(row, style="dim"), (0, 0, 0, 12)))
    if history.changes:
        console.print()
        moved = sum(1 for c in history.changes if c.cycle_started)
        console.print(f"{_plural(len(history.changes), 'change')}, {moved} after the cycle had started")
    elif history.in_git and not history.problem and history.unread:
        console.print(
            f"No change of a target, baseline or title{_window(history)} in the versions of the objective files"
            " that could be read."
        )
    elif history.in_git and not history.problem:
        console.print(
            f"No change of a target, baseline or title{_window(history)} in the git history of the objective files."
        )
    return "\n".join(row.rstrip() for row in buffer.getvalue().splitlines()) + "\n"


def _window(history: History) -> str:
    """ " since DAY" when ``--since`` narrowed the history (an empty answer then says of what)."""
    return f" since {history.since.isoformat()}" if history.since is not None else ""
