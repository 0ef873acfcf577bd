"""The JSON shape of SPEC §5: summary and findings sorted by path, line, column, code."""

from __future__ import annotations

from okrctl.findings import FindingsReport
from okrctl.render.envelope import render_json


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    summary: dict[str, object] = {"files": report.files, "documents": report.documents, **report.counts()}
    payload: dict[str, object] = {"summary": summary}
    if report.paths is not None:
        summary["checked_files"] = report.checked_files()
    if report.baseline is not None:
        summary["new"] = len(report.blocking())
        summary["existing"] = report.existing
        payload["baseline"] = {
            "ref": report.baseline.ref,
            "commit": report.baseline.commit,
            "automatic": report.baseline.automatic,
        }
    payload["findings"] = [f.to_dict() for f in report.shown()]
    return render_json(report.today, payload)
