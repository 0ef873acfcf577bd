"""The data of ``okrctl diff``: both sides loaded (from git objects or the working tree), their
findings, and the comparison of ``analysis.diff``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from okrctl.analysis.diff import DiffReport, Side, compare
from okrctl.findings import Finding
from okrctl.load.gitref import load_ref, sides
from okrctl.load.index import Repo
from okrctl.load.pipeline import load_repo


def build_diff(
    root: Path,
    first: str | None,
    second: str | None,
    today: date,
    findings_of: Callable[[Repo], list[Finding]],
    *,
    use_cache: bool = True,
) -> DiffReport:
    """Compare BASE and HEAD as the user named them (see ``load.gitref.sides``); ``findings_of``
    gives a side's findings (``align``'s rules, which sit beside this layer)."""
    base_spec, head_spec, where = sides(root, first, second)
    # The store is keyed on content: a file unchanged between the sides is parsed at most once.
    head: Repo
    if head_spec.commit is None:
        head = load_repo(root, use_cache=use_cache)
    else:
        head = load_ref(root, head_spec.commit, use_cache=use_cache, where=where, label=head_spec.label)
    base = load_ref(root, base_spec.commit or "HEAD", use_cache=use_cache, where=where, label=base_spec.label)
    return compare(
        base,
        head,
        today,
        base_side=Side(base_spec.label, base_spec.commit),
        head_side=Side(head_spec.label, head_spec.commit),
        base_findings=findings_of(base),
        head_findings=findings_of(head),
    )
