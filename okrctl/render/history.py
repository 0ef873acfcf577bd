"""``okrctl history`` as text (two lines per change) or JSON."""

from __future__ import annotations

import json
from io import StringIO

from okrctl.render.safe import one_line, shown_path
from okrctl.views.history import History, show_value


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def render_text(history: History, *, color: bool = False, width: int = 100) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False, emoji=False)
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
        line.append(one_line(show_value(change.old)), style="red")
        line.append(" → ")
        line.append(one_line(show_value(change.new)), style="green")
        line.append("  ")
        if change.cycle_started:
            line.append("after the cycle started", style="bold yellow")
        else:
            line.append("before the cycle started", style="dim")
        console.print(line)
        detail = Text(" " * 12, style="dim")
        detail.append(one_line(f"{change.author_name} <{change.author_email}>"), style="dim")
        detail.append(f" · commit {change.commit[:7]} · ", style="dim")
        detail.append(shown_path(change.path), style="dim")
        console.print(detail)
    if history.changes:
        console.print()
        moved = sum(1 for c in history.changes if c.cycle_started)
        console.print(f"{_plural(len(history.changes), 'change')}, {moved} after the cycle had started")
    elif history.in_git and not history.problem:
        console.print("No change of a target, baseline or title in the git history of the objective files.")
    return "\n".join(row.rstrip() for row in buffer.getvalue().splitlines()) + "\n"


def render_json(history: History, *, version: str, today: str) -> str:
    payload = {"okrctl": version, "today": today, **history.to_dict()}
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
