"""The Markdown job summary for ``$GITHUB_STEP_SUMMARY``: GitHub shows only a few annotations per step."""

from __future__ import annotations

import os
import re

from okrctl.findings import FindingsReport
from okrctl.render.findings.ci import checkout_path
from okrctl.safetext import one_line

MAX_ROWS = 200
_ICON = {"error": "❌ error", "warning": "⚠️ warning", "info": "ℹ️ info"}
_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")


def escape_markdown(text: object) -> str:
    """Text from files shown literally in a table cell: no markup, no HTML, one line."""
    value = one_line(text).replace("&", "&amp;").replace("<", "&lt;")
    return _MARKDOWN.sub(r"\\\1", value)


def markdown_summary(report: FindingsReport) -> str:
    counts = report.counts()
    verdict = "✗" if counts["error"] else "✓"
    lines = [f"### okrctl align: {verdict} {escape_markdown(report.summary_line())}", ""]
    if not report.findings:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    lines += ["| Severity | Rule | Where | Finding | How to fix |", "|---|---|---|---|---|"]
    for f in report.findings[:MAX_ROWS]:
        where = checkout_path(report, f) + (f":{f.line}" if f.line > 0 else "")
        lines.append(
            f"| {_ICON.get(f.severity, f.severity)} | {f.code} | {escape_markdown(where)} "
            f"| {escape_markdown(f.message)} | {escape_markdown(f.hint)} |"
        )
    if len(report.findings) > MAX_ROWS:
        more = len(report.findings) - MAX_ROWS
        lines += ["", f"… and {more} more: run `okrctl align` locally to see them all."]
    lines.append("")
    lines.append("Explain a rule with `okrctl rules CODE`.")
    return "\n".join(lines) + "\n"


def step_summary(report: FindingsReport, path: str | os.PathLike[str]) -> None:
    """Append the summary to the file GitHub names in ``$GITHUB_STEP_SUMMARY`` (OSError to the caller)."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(markdown_summary(report) + "\n")
