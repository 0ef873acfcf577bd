"""The report view as JSON for other tools (SPEC §5 field names)."""

from __future__ import annotations

from okrctl.render.envelope import render_json
from okrctl.views.report import Report


def render(report: Report, *, color: bool = False, width: int = 100) -> str:
    return render_json(report.today, report.to_dict())
