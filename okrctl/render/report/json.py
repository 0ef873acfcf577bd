"""The report view as JSON for other tools (SPEC §5 field names)."""

from __future__ import annotations

import json

from okrctl.views.report import Report


def render(report: Report, *, color: bool = False, width: int = 100) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
