"""Findings grouped by file with ``line:col``, code, message and hint (the default on a terminal)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from io import StringIO
from itertools import groupby
from typing import TYPE_CHECKING

from okrctl.findings import FindingsReport
from okrctl.render.widgets import SEVERITY_STYLE
from okrctl.safetext import one_line, shown_path

if TYPE_CHECKING:
    from rich.console import Console

# A line as its parts, (text, style); a first part without text gives a style to the whole line.
Line = list[tuple[str, str]]


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    from rich.console import Console
    from rich.text import Text

    def console_on(buffer: StringIO) -> Console:
        return Console(
            file=buffer,
            force_terminal=color,
            no_color=not color,
            width=width,
            height=25,  # (with a height, rich keeps the width under TERM=dumb: ``render.console``)
            highlight=False,
            emoji=False,
            soft_wrap=True,
        )

    buffer = StringIO()
    console = console_on(buffer)
    buffer.write(_findings_text(report, console_on if color else None))
    counts = report.counts()
    style = "bold red" if report.fails() else ("yellow" if counts["warning"] else "bold green")
    verdict = "✗" if report.fails() else "✓"  # as the exit code says (``--strict``: warnings fail)
    console.print(Text(f"{verdict} {report.summary_line()}", style=style))
    # A folder (``sub/``) is the work tree of another repository; the rest are files that are not YAML.
    folders = [p for p in report.other_files if p.endswith("/")]
    files = [p for p in report.other_files if not p.endswith("/")]
    for found, what in (
        (files, "{n} file{s} that {are} not YAML"),
        (folders, "{n} folder{s} of another git repository (run okrctl in {it})"),
    ):
        if found:
            shown = ", ".join(shown_path(p) for p in found[:5]) + (" …" if len(found) > 5 else "")
            n = len(found)
            said = what.format(
                n=n, s="s" if n != 1 else "", are="are" if n != 1 else "is", it="each" if n != 1 else "it"
            )
            console.print(Text(f"  not read: {said} ({one_line(shown)})", style="dim"))
    return buffer.getvalue()


def _findings_text(report: FindingsReport, console_on: Callable[[StringIO], Console] | None) -> str:
    """The findings, by file: exactly what a rich print of each line gives (lines are never
    wrapped, ``soft_wrap``), written directly. Each part of a line is its text, in colour between
    the escape codes rich writes for its style, asked of rich once a style rather than once a part:
    rich's work for each print took a quarter of a second for 2,000 findings."""
    parts: list[tuple[str, str]] = []
    for line in _finding_lines(report):
        whole = line[0][1] if line and not line[0][0] else ""
        parts.extend((text, f"{whole} {style}".strip()) for text, style in line if text)
        parts.append(("\n", ""))
    if console_on is None:
        return "".join(text for text, _style in parts)
    codes = {style: _codes_of(style, console_on) for style in {style for _text, style in parts}}
    return "".join(f"{codes[style][0]}{text}{codes[style][1]}" for text, style in parts)


def _codes_of(style: str, console_on: Callable[[StringIO], Console]) -> tuple[str, str]:
    """The escape codes rich writes before and after a text in ``style``."""
    from rich.text import Text

    if not style:
        return "", ""
    probe = StringIO()
    console_on(probe).print(Text("x", style=style))
    before, _x, after = probe.getvalue()[: -len("\n")].partition("x")
    return before, after


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
