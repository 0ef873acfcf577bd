"""``path:line:col: CODE severity message``, one finding a line (the default off a terminal)."""

from __future__ import annotations

from okrctl.findings import FindingsReport
from okrctl.safetext import one_line, shown_path


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    lines = [
        f"{shown_path(f.path)}:{f.line}:{f.column}: {f.code} {f.severity} {one_line(f.message)}"
        for f in report.findings
    ]
    return "\n".join(lines) + ("\n" if lines else "")
