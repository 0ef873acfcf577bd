"""The JSON shape of SPEC §5: summary and findings sorted by path, line, column, code."""

from __future__ import annotations

from okrctl.findings import FindingsReport
from okrctl.render.envelope import render_json


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    payload = {
        "summary": {"files": report.files, "documents": report.documents, **report.counts()},
        "findings": [f.to_dict() for f in report.findings],
    }
    return render_json(report.today, payload)
