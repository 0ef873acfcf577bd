"""``okrctl diff`` for the terminal and CI logs: one line per change, grouped by section."""

from __future__ import annotations

from okrctl.analysis.diff import SECTIONS, DiffReport
from okrctl.render.diff.words import (
    HEADINGS,
    describe,
    findings_heading,
    not_compared_line,
    not_judged_heading,
    reviewer_detail,
    reviewers_line,
    side_label,
)
from okrctl.safetext import one_line, shown_path


def _code(text: object) -> str:
    return one_line(text)


def render(report: DiffReport, *, color: bool = False, width: int = 100) -> str:
    lines = [
        f"okrctl diff: {one_line(side_label(report.base))} → {one_line(side_label(report.head))}, as of {report.today}"
    ]
    if report.empty:
        lines += ["", "No OKR changes: both sides hold the same objectives, check-ins and findings."]
        return "\n".join(lines) + "\n"
    if report.not_compared:
        lines += ["", not_compared_line(report, shown_path)]
    for section in SECTIONS:
        changes = report.section(section)
        if not changes:
            continue
        lines += ["", HEADINGS[section]]
        for change in changes:
            line, under = describe(change, one_line, _code)
            lines.append(f"  • {line}")
            lines.extend(f"      {item}" for item in under)
    if report.reviewers:
        lines += ["", f"Needs review from: {reviewers_line(report.reviewers, _code)}"]
        lines.extend(f"  {reviewer_detail(r, one_line, _code)}" for r in report.reviewers)
    lines += ["", findings_heading(report)]
    for f in report.introduced:
        lines.append(f"  {shown_path(f.path)}:{f.line}:{f.column}  {f.code} {f.severity}  {one_line(f.message)}")
    if report.resolved:
        lines.append(f"Findings this change resolves: {len(report.resolved)}")
        for f in report.resolved:
            lines.append(f"  {shown_path(f.path)}:{f.line}:{f.column}  {f.code} {f.severity}  {one_line(f.message)}")
    for cause, findings in report.not_judged.items():
        lines.append(not_judged_heading(cause, len(findings), shown_path))
        for f in findings:
            lines.append(f"  {shown_path(f.path)}:{f.line}:{f.column}  {f.code} {f.severity}  {one_line(f.message)}")
    return "\n".join(lines) + "\n"
