"""Renderers of ``align`` findings: one module per format, each with ``render(report, *, color, width) -> str``."""

from __future__ import annotations

import importlib
from typing import Protocol

from okrctl.findings import FindingsReport

FORMATS: dict[str, str] = {
    "text": "okrctl.render.findings.text",
    "concise": "okrctl.render.findings.concise",
    "json": "okrctl.render.findings.json",
    "github": "okrctl.render.findings.github",
    "sarif": "okrctl.render.findings.sarif",
    "junit": "okrctl.render.findings.junit",
    "gitlab": "okrctl.render.findings.gitlab",
}


class FindingsRenderer(Protocol):
    def __call__(self, report: FindingsReport, *, color: bool, width: int) -> str: ...


def renderer(name: str) -> FindingsRenderer:
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]


def step_summary(report: FindingsReport, path: str) -> None:
    """Append the Markdown job summary to ``$GITHUB_STEP_SUMMARY`` (see ``summary.py``)."""
    from okrctl.render.findings.summary import step_summary as append

    append(report, path)
