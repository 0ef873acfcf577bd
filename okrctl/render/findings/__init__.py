"""Renderers of ``align`` findings: one module per format (see ``okrctl.render.formats``)."""

from __future__ import annotations

from okrctl.findings import FindingsReport


def step_summary(report: FindingsReport, path: str) -> None:
    """Append the Markdown job summary to ``$GITHUB_STEP_SUMMARY`` (see ``summary.py``)."""
    from okrctl.render.findings.summary import step_summary as append

    append(report, path)
