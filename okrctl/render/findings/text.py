"""Findings grouped by file with ``line:col``, code, message and hint (the default on a terminal)."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from itertools import groupby

from okrctl.findings import FindingsReport
from okrctl.render.widgets import SEVERITY_STYLE
from okrctl.safetext import one_line, shown_path

# A line as its parts: (text, style), where a style of the whole line comes first with no text.
Line = list[tuple[str, str]]


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    from rich.console import Console
    from rich.text import Text

    buffer = StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False, emoji=False, soft_wrap=True
    )
    if report.baseline is not None:
        console.print(Text(report.baseline.announcement(), style="dim"))
        console.print()
    lines = list(_finding_lines(report))
    # Lines are never wrapped (``soft_wrap``): without colour they are their text, and with colour
    # one rich text of them all is printed at once, which is what a print of each line gives without
    # rich's cost for every print (thousands of findings in a CI log).
    if not color:
        buffer.write("".join("".join(text for text, _style in line) + "\n" for line in lines))
    elif lines:
        body = Text()
        for line in lines:
            if line and not line[0][0]:  # a style over the whole line, under those of its parts
                body.append_text(Text.assemble(*line[1:], style=line[0][1]))
            else:
                for text, style in line:
                    body.append(text, style=style)
            body.append("\n")
        console.print(body, end="")
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


def _finding_lines(report: FindingsReport) -> Iterator[Line]:
    from okrctl.render.findings.ci import marks

    for path, group in groupby(report.shown(), key=lambda f: f.path):
        yield [(shown_path(path), "bold underline")]
        for f in group:
            line: Line = [("  ", ""), (f"{shown_path(f.path)}:{f.line}:{f.column}", "dim"), ("  ", "")]
            line += [(f.code, "bold"), (" ", ""), (f.severity, SEVERITY_STYLE.get(f.severity, "")), ("  ", "")]
            line.append((one_line(f.message), ""))
            mark = marks(report, f)
            if mark:
                line.append((mark, "dim"))
            yield line
            if f.hint:
                yield [("", "dim"), ("      hint: ", ""), (one_line(f.hint), "green")]
        yield []
