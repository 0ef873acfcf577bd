"""The data of ``okrctl diff``: both sides loaded (from git objects or the working tree), their
findings, and the comparison of ``analysis.diff``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from okrctl.analysis.diff import DiffReport, Side, compare
from okrctl.load.gitref import SideSpec, load_ref, sides
from okrctl.load.repo import Repo, load_repo, scan
from okrctl.rules import run


def _load(root: Path, spec: SideSpec, cache: Any, where: Any) -> Repo:
    return load_ref(root, spec.commit or "HEAD", cache=cache, where=where, label=spec.label)


def build_diff(root: Path, first: str | None, second: str | None, today: date, *, use_cache: bool = True) -> DiffReport:
    """Compare BASE and HEAD as the user named them (see ``load.gitref.sides``)."""
    from okrctl.load.cache import ParseCache

    base_spec, head_spec, where = sides(root, first, second)
    # One parse cache for both sides: a file unchanged between them is parsed (at most) once.
    head: Repo
    if head_spec.commit is None:
        snapshot = scan(root, use_cache=use_cache)
        cache = snapshot.cache
        head = load_repo(root, snapshot=snapshot)
    else:
        cache = ParseCache.open(root) if use_cache else None
        head = _load(root, head_spec, cache, where)
    base = _load(root, base_spec, cache, where)
    # Rules reading git history (OKR601) describe the checkout, not a side: goalpost moves are
    # reported by the diff itself, with their cycle and rescoped entries.
    base_findings = run(base, today, history=False)
    head_findings = run(head, today, history=False)
    return compare(
        base,
        head,
        today,
        base_side=Side(base_spec.label, base_spec.commit),
        head_side=Side(head_spec.label, head_spec.commit),
        base_findings=base_findings,
        head_findings=head_findings,
    )
