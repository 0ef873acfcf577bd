"""The render pipeline's table: for each command, its formats and the module that renders each.

A renderer module has ``render(view, *, color: bool, width: int) -> str``: data in, text out. Adding
a format is adding a module under ``okrctl/render/<command>/`` and a line here; the CLI's
``--format`` help, its check and the lookup all read this table. It imports nothing, so the CLI can
read it while building ``--help``.
"""

from __future__ import annotations

import importlib
from typing import Any, Protocol

# command -> format -> module; the first format is the default one.
FORMATS: dict[str, dict[str, str]] = {
    "align": {
        "text": "okrctl.render.findings.text",
        "concise": "okrctl.render.findings.concise",
        "json": "okrctl.render.findings.json",
        "github": "okrctl.render.findings.github",
        "sarif": "okrctl.render.findings.sarif",
        "junit": "okrctl.render.findings.junit",
        "gitlab": "okrctl.render.findings.gitlab",
    },
    "status": {
        "text": "okrctl.render.status.text",
        "json": "okrctl.render.status.json",
    },
    "trends": {
        "text": "okrctl.render.trends.text",
        "json": "okrctl.render.trends.json",
        "csv": "okrctl.render.trends.csv",
    },
    "map": {
        "text": "okrctl.render.map.text",
        "mermaid": "okrctl.render.map.mermaid",
        "dot": "okrctl.render.map.dot",
        "json": "okrctl.render.map.json",
    },
    "report": {
        "text": "okrctl.render.report.text",
        "markdown": "okrctl.render.report.markdown",
        "html": "okrctl.render.report.html",
        "json": "okrctl.render.report.json",
    },
    "history": {
        "text": "okrctl.render.history.text",
        "json": "okrctl.render.history.json",
    },
    "plan": {
        "text": "okrctl.render.plan.text",
        "markdown": "okrctl.render.plan.markdown",
        "json": "okrctl.render.plan.json",
    },
    "digest": {
        "text": "okrctl.render.digest.text",
        "markdown": "okrctl.render.digest.markdown",
        "slack": "okrctl.render.digest.slack",
        "json": "okrctl.render.digest.json",
    },
    "diff": {
        "text": "okrctl.render.diff.text",
        "markdown": "okrctl.render.diff.markdown",
        "json": "okrctl.render.diff.json",
    },
    "retro": {
        "text": "okrctl.render.retro.text",
        "markdown": "okrctl.render.retro.markdown",
        "json": "okrctl.render.retro.json",
    },
}


# The renderers whose tables fit the width (``render.layout.fitted_table``): they also take ``fit``,
# what that width is of (``cli.common.tables_fit``: None off a terminal, each table whole).
FITTED = frozenset({"okrctl.render.status.text", "okrctl.render.trends.text"})


class Renderer(Protocol):
    def __call__(self, view: Any, *, color: bool, width: int) -> str: ...


def formats(command: str) -> tuple[str, ...]:
    """The formats of ``command``, the default first."""
    return tuple(FORMATS[command])


def renderer(command: str, format: str, *, fit: str | None = "terminal") -> Renderer:
    """The ``render`` function of ``command`` in ``format`` (checked against the table first), given
    ``fit`` when it takes it (``FITTED``)."""
    module = FORMATS[command][format]
    render = importlib.import_module(module).render
    if module in FITTED:
        from functools import partial

        return partial(render, fit=fit)
    return render  # type: ignore[no-any-return]
