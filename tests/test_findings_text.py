"""The default text output of ``align``: written directly without colour, and exactly what rich
gives when each line is printed on its own (as it was written before thousands of findings made
rich's cost per print a quarter of a second)."""

from __future__ import annotations

from io import StringIO
from itertools import groupby

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from okrctl.findings import Finding, FindingsReport
from okrctl.render.findings import text as findings_text
from okrctl.render.findings.ci import marks
from okrctl.render.widgets import SEVERITY_STYLE
from okrctl.safetext import one_line, shown_path


def _line_by_line(report: FindingsReport, color: bool, width: int) -> str:
    """Each line printed by rich on its own: the reference."""
    buffer = StringIO()
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width, highlight=False, emoji=False, soft_wrap=True
    )
    for path, group in groupby(report.shown(), key=lambda f: f.path):
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
            mark = marks(report, f)
            if mark:
                line.append(mark, style="dim")
            console.print(line)
            if f.hint:
                console.print(Text("      hint: ", style="dim") + Text(one_line(f.hint), style="green"))
        console.print()
    return buffer.getvalue()


# Text from files: wide characters, combining marks, tabs, control characters, escapes, newlines.
_WORDS = st.lists(
    st.sampled_from(
        [*"ab c\t\n\r\x07\x08\x0b\x0c\x00", "\x1b[31m", "\u754c", "\u00e9", "e\u0301", "\U0001f642", "\u202e"]
    ),
    max_size=30,
).map("".join)

_FINDINGS = st.lists(
    st.builds(
        Finding,
        code=st.sampled_from(["OKR502", "OKR104", "OKR501"]),
        severity=st.sampled_from(["error", "warning", "info"]),
        path=st.sampled_from(["okrs/a.yaml", "checkins/x/2026-01-02.yaml", "b\nc.yaml", "d\x1b.yaml", "界.yaml"]),
        line=st.integers(0, 5000),
        column=st.integers(1, 300),
        message=_WORDS,
        hint=_WORDS,
    ),
    max_size=12,
)


@pytest.mark.slow
@settings(max_examples=150, deadline=None)
@given(findings=_FINDINGS, color=st.booleans(), width=st.sampled_from([21, 40, 100, 300]))
def test_the_findings_are_written_as_rich_prints_them_line_by_line(findings, color, width):
    findings.sort(key=lambda f: f.path)
    report = FindingsReport("0.1", "2026-12-04", 3, 3, findings)
    written = findings_text.render(report, color=color, width=width)
    summary = written[len(_line_by_line(report, color, width)) :]
    assert written.startswith(_line_by_line(report, color, width))
    assert report.summary_line() in summary and summary.count("\n") == 1
