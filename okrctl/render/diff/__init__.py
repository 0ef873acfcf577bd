"""Renderers of ``okrctl diff``: one module per format, each with ``render(report) -> str``."""

from __future__ import annotations

import importlib
from typing import Protocol

from okrctl.analysis.diff import DiffReport

FORMATS: dict[str, str] = {
    "text": "okrctl.render.diff.text",
    "markdown": "okrctl.render.diff.markdown",
    "json": "okrctl.render.diff.json",
}


class DiffRenderer(Protocol):
    def __call__(self, report: DiffReport) -> str: ...


def renderer(name: str) -> DiffRenderer:
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]
