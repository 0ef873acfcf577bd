"""``okrctl diff`` as JSON for tools: the sides, every change with its facts, reviewers and findings."""

from __future__ import annotations

from typing import Any

from okrctl.analysis.diff import DiffReport, Side
from okrctl.render.diff.words import describe
from okrctl.render.envelope import render_json
from okrctl.safetext import one_line


def _side(side: Side) -> dict[str, Any]:
    return {"label": side.label, "commit": side.commit, "working_tree": side.commit is None}


def render(report: DiffReport, *, color: bool = False, width: int = 100) -> str:
    changes = []
    for change in report.changes:
        line, under = describe(change, one_line, one_line)
        changes.append({**change.to_dict(), "text": line, "details": under})
    payload = {
        "base": _side(report.base),
        "head": _side(report.head),
        "empty": report.empty,
        "changes": changes,
        "reviewers": [r.to_dict() for r in report.reviewers],
        "members": report.members(),
        "findings": {
            "introduced": [f.to_dict() for f in report.introduced],
            "resolved": [f.to_dict() for f in report.resolved],
        },
        "files_with_errors": report.broken,
        "not_compared": report.not_compared,
        # The base's findings HEAD could not judge, each with the file whose errors kept it from them.
        "not_judged": [
            {**f.to_dict(), "while_broken": cause} for cause, findings in report.not_judged.items() for f in findings
        ],
    }
    return render_json(report.today, payload)
