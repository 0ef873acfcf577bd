"""GitLab Code Quality JSON (a Code Climate subset): shown in merge requests.

Severities follow whether a finding fails the pipeline: error -> critical, warning -> minor,
info -> info. Fingerprints are unique per finding and stable across runs.
"""

from __future__ import annotations

from okrctl.findings import FindingsReport
from okrctl.render.envelope import dumps
from okrctl.render.findings.ci import checkout_message, checkout_path, exact_path, fingerprints, marks

SEVERITIES = {"error": "critical", "warning": "minor", "info": "info"}


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    issues = []
    for f, fingerprint in zip(report.shown(), fingerprints(report), strict=True):
        # The exact text, as ``--format json`` carries it: ``dumps`` writes every control and
        # invisible character as a ``\uXXXX`` escape, so a program reads what the file says and the
        # merge request shows none of them raw.
        description = f"{f.code} {checkout_message(report, f)}{marks(report, f)}" + (
            f" (hint: {f.hint})" if f.hint else ""
        )
        issues.append(
            {
                "type": "issue",
                "check_name": f.code,
                "description": description,
                "categories": ["Clarity"],
                # A finding already in the baseline never fails the pipeline: shown as info.
                "severity": SEVERITIES.get(f.severity, "minor") if f.new is not False else "info",
                "fingerprint": fingerprint,
                "location": {"path": exact_path(checkout_path(report, f)), "lines": {"begin": max(f.line, 1)}},
            }
        )
    return dumps(issues) + "\n"
