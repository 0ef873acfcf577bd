"""``okrctl diff`` as Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

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
from okrctl.render.escape import md, md_code, md_row
from okrctl.safetext import shown_path


def render(report: DiffReport, *, color: bool = False, width: int = 100) -> str:
    lines = [
        f"### OKR changes: {md_code(side_label(report.base))} → {md_code(side_label(report.head))}",
        "",
        f"As of {report.today}.",
    ]
    if report.empty:
        lines += ["", "No OKR changes: both sides hold the same objectives, check-ins and findings."]
        return "\n".join(lines) + "\n"
    if report.not_compared:
        lines += ["", not_compared_line(report, lambda path: md_code(shown_path(path)))]
    for section in SECTIONS:
        changes = report.section(section)
        if not changes:
            continue
        lines += ["", f"#### {HEADINGS[section]}", ""]
        for change in changes:
            line, under = describe(change, md, md_code)
            lines.append(f"- {line}")
            lines.extend(f"  - {item}" for item in under)
    if report.reviewers:
        lines += ["", f"**Needs review from:** {reviewers_line(report.reviewers, md_code)}", ""]
        lines.extend(f"- {reviewer_detail(r, md, md_code)}" for r in report.reviewers)
    lines += ["", f"#### {findings_heading(report)}"]
    if report.introduced:
        lines += ["", "| where | code | severity | message |", "|---|---|---|---|"]
        for f in report.introduced:
            lines.append(md_row(md_code(f"{shown_path(f.path)}:{f.line}"), md(f.code), md(f.severity), md(f.message)))
    if report.resolved:
        lines += ["", f"Findings this change resolves: {len(report.resolved)}", ""]
        lines.extend(f"- {md_code(f'{shown_path(f.path)}:{f.line}')} {f.code} {md(f.message)}" for f in report.resolved)
    for cause, findings in report.not_judged.items():
        lines += ["", not_judged_heading(cause, len(findings), lambda path: md_code(shown_path(path))), ""]
        lines.extend(f"- {md_code(f'{shown_path(f.path)}:{f.line}')} {f.code} {md(f.message)}" for f in findings)
    return "\n".join(lines) + "\n"
