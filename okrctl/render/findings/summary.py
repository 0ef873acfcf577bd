"""The Markdown job summary for ``$GITHUB_STEP_SUMMARY``: GitHub shows only a few annotations per step."""

from __future__ import annotations

import os
import re

from okrctl.findings import FindingsReport
from okrctl.render.escape import md_cell, md_text
from okrctl.render.findings.ci import checkout_message, checkout_path, marks
from okrctl.safetext import one_line, shown_path

MAX_ROWS = 200
# GitHub drops a step's summary over 1 MiB whole, and the action may append `diff` and `report`
# to align's in the same step: align's summary keeps within a quarter of it. A cell holds at most
# CELL_CHARS characters of the file's text (escaping may make each of them up to five).
SUMMARY_BYTES = 256 * 1024
CELL_CHARS = 300
_ICON = {"error": "❌ error", "warning": "⚠️ warning", "info": "ℹ️ info"}
_MARKDOWN = re.compile(r"([\\`*_\[\]|~])")


def _literal(text: str) -> str:
    """Text with no markup and no HTML in it."""
    return _MARKDOWN.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def escape_markdown(text: object, most: int | None = None) -> str:
    """Text from files shown literally in a table cell: no markup, no HTML, one line; with ``most``,
    cut to that many characters (with …) before escaping."""
    value = one_line(text)
    if most is not None and len(value) > most:
        value = value[: most - 1] + "…"
    # A web address is a link that keeps it whole, and an "@all" pings nobody (``md_text``), as in
    # every Markdown output; the pipes are escaped for the cell too.
    return md_cell(md_text(value, _literal))


def markdown_summary(report: FindingsReport) -> str:
    verdict = "✗" if report.fails() else "✓"
    lines = [f"### okrctl align: {verdict} {escape_markdown(report.summary_line())}", ""]
    if report.baseline is not None:
        lines += [escape_markdown(report.baseline.announcement().removeprefix("okrctl: ")), ""]
    shown = report.shown()
    if not shown:
        lines.append("No findings.")
        return "\n".join(lines) + "\n"
    lines += ["| Severity | Rule | Where | Finding | How to fix |", "|---|---|---|---|---|"]
    size = sum(len(line.encode("utf-8")) + 1 for line in lines)
    rows = 0
    for f in shown[:MAX_ROWS]:
        # The name as the concise format writes it (a CR or LF as \x0d, \x0a), not cleaned: dropped
        # or folded into a space, it would name another file, one that does not exist.
        where = shown_path(checkout_path(report, f)) + (f":{f.line}" if f.line > 0 else "")
        row = (
            f"| {_ICON.get(f.severity, f.severity)} | {f.code} | {escape_markdown(where, CELL_CHARS)} "
            f"| {escape_markdown(checkout_message(report, f) + marks(report, f), CELL_CHARS)} | {escape_markdown(f.hint, CELL_CHARS)} |"
        )
        size += len(row.encode("utf-8")) + 1
        if size > SUMMARY_BYTES:
            break
        lines.append(row)
        rows += 1
    if len(shown) > rows:
        more = len(shown) - rows
        lines += ["", f"… and {more} more: run `okrctl align` locally to see them all."]
    lines.append("")
    lines.append("Explain a rule with `okrctl rules CODE`.")
    return "\n".join(lines) + "\n"


def step_summary(report: FindingsReport, path: str | os.PathLike[str]) -> None:
    """Append the summary to the file GitHub names in ``$GITHUB_STEP_SUMMARY`` (OSError to the caller)."""
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(markdown_summary(report) + "\n")
