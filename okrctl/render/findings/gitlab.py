"""GitLab Code Quality JSON (a Code Climate subset): shown in merge requests.

Severities follow whether a finding fails the pipeline: error -> critical, warning -> minor,
info -> info. Fingerprints are unique per finding and stable across runs.
"""

from __future__ import annotations

import json

from okrctl.findings import FindingsReport
from okrctl.render.findings.ci import checkout_path, exact_path, fingerprints
from okrctl.safetext import one_line

SEVERITIES = {"error": "critical", "warning": "minor", "info": "info"}


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    issues = []
    for f, fingerprint in zip(report.findings, fingerprints(report), strict=True):
        description = f"{f.code} {one_line(f.message)}" + (f" (hint: {one_line(f.hint)})" if f.hint else "")
        issues.append(
            {
                "type": "issue",
                "check_name": f.code,
                "description": description,
                "categories": ["Clarity"],
                "severity": SEVERITIES.get(f.severity, "minor"),
                "fingerprint": fingerprint,
                "location": {"path": exact_path(checkout_path(report, f)), "lines": {"begin": max(f.line, 1)}},
            }
        )
    return json.dumps(issues, indent=2, ensure_ascii=False) + "\n"
