"""The JSON shape of SPEC §5: summary and findings sorted by path, line, column, code."""

from __future__ import annotations

import json

from okrctl.findings import FindingsReport


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    payload = {
        "okrctl": report.version,
        "today": report.today,
        "summary": {"files": report.files, "documents": report.documents, **report.counts()},
        "findings": [f.to_dict() for f in report.findings],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
