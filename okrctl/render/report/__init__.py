"""Renderers of the leadership report: one module per format, each ``render(report, *, color, width) -> str``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from okrctl.views.report import Report

FORMATS: dict[str, str] = {
    "text": "okrctl.render.report.text",
    "markdown": "okrctl.render.report.markdown",
    "html": "okrctl.render.report.html",
    "json": "okrctl.render.report.json",
}


class ReportRenderer(Protocol):
    def __call__(self, report: Report, *, color: bool, width: int) -> str: ...


def renderer(name: str) -> ReportRenderer:
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]
