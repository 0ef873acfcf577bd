"""The data of ``okrctl diff``: both sides loaded (from git objects or the working tree), their
findings, and the comparison of ``analysis.diff``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from okrctl.analysis.diff import DiffReport, Side, compare
from okrctl.findings import Finding
from okrctl.gitio.tree import commit_day
from okrctl.load.gitref import RefRepo, Shared, load_ref, moved_since, sides
from okrctl.load.index import Repo
from okrctl.load.pipeline import PARALLEL_MIN_FILES, load_repo, scan

FindingsOf = Callable[[Repo], list[Finding]]


def build_diff(
    root: Path,
    first: str | None,
    second: str | None,
    today: date,
    findings_of: FindingsOf,
    *,
    use_cache: bool = True,
    hold: Callable[[Repo], object] | None = None,
) -> DiffReport:
    """Compare BASE and HEAD as the user named them (see ``load.gitref.sides``); ``findings_of``
    gives a side's findings (``align``'s rules, which sit beside this layer); ``hold`` is given
    both sides once loaded (the command line keeps them until the process ends)."""
    base_spec, head_spec, where = sides(root, first, second)
    head: Repo
    if head_spec.commit is None:
        snapshot = scan(root, use_cache=use_cache)
        head = load_repo(root, snapshot=snapshot)
        lent = Shared.of_work_tree(head, snapshot.digests, root)
    else:
        head = load_ref(root, head_spec.commit, use_cache=use_cache, where=where, label=head_spec.label)
        lent = Shared.of(head) if isinstance(head, RefRepo) else Shared(head, {})
    # A file with the same bytes on both sides is read, parsed and validated once.
    base = load_ref(
        root, base_spec.commit or "HEAD", use_cache=use_cache, where=where, label=base_spec.label, shared=lent
    )
    if hold is not None:
        hold(base)
        hold(head)
    base_findings, head_findings = _findings_of_both(findings_of, base, head)
    return compare(
        base,
        head,
        today,
        base_side=Side(base_spec.label, base_spec.commit),
        head_side=Side(
            head_spec.label, head_spec.commit, commit_day(where.top, head_spec.commit) if head_spec.commit else None
        ),
        base_findings=base_findings,
        head_findings=head_findings,
        moves=moved_since(root, base, head),
    )


def _findings_of_both(findings_of: FindingsOf, base: Repo, head: Repo) -> tuple[list[Finding], list[Finding]]:
    """Both sides' findings; on a large repository the base side's in a forked worker meanwhile."""
    from okrctl.forked import meanwhile, spare_core

    if _same_files(base, head):
        found = findings_of(head)  # the same bytes at the same paths: the same findings
        return list(found), found
    if len(base.docs) < PARALLEL_MIN_FILES or not spare_core():
        return findings_of(base), findings_of(head)
    return meanwhile(lambda: findings_of(base), lambda: findings_of(head))


def _same_files(base: Repo, head: Repo) -> bool:
    """Whether both sides hold the same bytes at the same paths (every one of them read), and the
    same other files."""
    return (
        bool(base.digests)
        and "" not in base.digests.values()
        and base.digests == head.digests
        and base.other_files == head.other_files
    )
