"""Findings grouped by file with ``line:col``, code, message and hint (the default on a terminal)."""

from __future__ import annotations

from io import StringIO
from itertools import groupby

from okrctl.findings import FindingsReport
from okrctl.render.widgets import SEVERITY_STYLE
from okrctl.safetext import one_line, shown_path


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False, emoji=False, soft_wrap=True
    )
    for path, group in groupby(report.findings, key=lambda f: f.path):
        console.print(Text(shown_path(path), style="bold underline"))
        for f in group:
            line = Text("  ")
            line.append(f"{shown_path(f.path)}:{f.line}:{f.column}", style="dim")
            line.append("  ")
            line.append(f.code, style="bold")
            line.append(" ")
            line.append(f.severity, style=SEVERITY_STYLE.get(f.severity, ""))
            line.append("  ")
            line.append(one_line(f.message))
            console.print(line)
            if f.hint:
                console.print(Text("      hint: ", style="dim") + Text(one_line(f.hint), style="green"))
        console.print()
    counts = report.counts()
    style = "bold red" if counts["error"] else ("yellow" if counts["warning"] else "bold green")
    verdict = "✗" if counts["error"] else "✓"
    console.print(Text(f"{verdict} {report.summary_line()}", style=style))
    if report.other_files:
        shown = ", ".join(shown_path(p) for p in report.other_files[:5]) + (" …" if len(report.other_files) > 5 else "")
        n = len(report.other_files)
        console.print(
            Text(
                f"  not read: {n} file{'s' if n != 1 else ''} that {'are' if n != 1 else 'is'} not YAML ({one_line(shown)})",
                style="dim",
            )
        )
    return buffer.getvalue()
