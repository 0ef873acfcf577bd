"""Rules of SPEC §5, one module per family; ``run`` collects and filters every finding."""

from __future__ import annotations

import importlib
from datetime import date

from okrctl.findings import Finding
from okrctl.load.index import Repo
from okrctl.rules.base import RuleContext, Selection, apply_policy, default_cycles

# Families run in this order; each module exposes ``check(ctx) -> Iterable[Finding]``.
FAMILIES = (
    "okrctl.rules.structure",
    "okrctl.rules.vertical",
    "okrctl.rules.focus",
    "okrctl.rules.horizontal",
    "okrctl.rules.cadence",
    "okrctl.rules.history",
)


def run(
    repo: Repo,
    today: date,
    *,
    cycles: set[str] | str | None = "default",
    selection: Selection | None = None,
    history: bool = True,
) -> list[Finding]:
    """Every finding of the repository after document comments, config and ``selection``."""
    chosen = default_cycles(repo, today) if cycles == "default" else cycles
    ctx = RuleContext(repo, today, chosen if not isinstance(chosen, str) else None, history)
    findings: list[Finding] = list(repo.file_findings)
    for name in FAMILIES:
        findings.extend(importlib.import_module(name).check(ctx))
    return apply_policy(repo, findings, selection or Selection())


__all__ = ["FAMILIES", "RuleContext", "Selection", "run"]
