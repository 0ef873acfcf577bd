"""``path:line:col: CODE severity message``, one finding a line (the default off a terminal)."""

from __future__ import annotations

from okrctl.findings import FindingsReport
from okrctl.safetext import inert, one_line, shown_path


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    from okrctl.render.findings.ci import marks

    lines = [
        f"{shown_path(f.path)}:{f.line}:{f.column}: {f.code} {f.severity} {inert(one_line(f.message))}{marks(report, f)}"
        for f in report.shown()
    ]
    return "\n".join(lines) + ("\n" if lines else "")
