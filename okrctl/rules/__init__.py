"""Rules of SPEC §5, one module per family; ``run`` collects and filters every finding."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import date

from okrctl.findings import Finding, with_fingerprints
from okrctl.load.index import Repo
from okrctl.rules.base import RuleContext, Selection, apply_comments, apply_settings, default_cycles, reported

# Families run in this order; each module exposes ``check(ctx) -> Iterable[Finding]``, and yields
# only codes starting with one of its prefixes (tests/test_rules_catalog.py checks it).
FAMILIES = (
    "okrctl.rules.structure",
    "okrctl.rules.vertical",
    "okrctl.rules.focus",
    "okrctl.rules.horizontal",
    "okrctl.rules.cadence",
    "okrctl.rules.history",
    "okrctl.rules.planning",
)
FAMILY_CODES: dict[str, tuple[str, ...]] = {
    "okrctl.rules.structure": ("OKR1",),
    "okrctl.rules.vertical": ("OKR2",),
    "okrctl.rules.focus": ("OKR3",),
    "okrctl.rules.horizontal": ("OKR4",),
    "okrctl.rules.cadence": ("OKR5",),
    "okrctl.rules.history": ("OKR6",),
    "okrctl.rules.planning": ("OKR209", "OKR210", "OKR307"),
}


def _can_select(family: str, select: list[str]) -> bool:
    """Whether ``--select`` can keep any finding of the family (no select keeps everything)."""
    if not select:
        return True
    return any(p.startswith(c) or c.startswith(p) for p in select for c in FAMILY_CODES[family])


def run(
    repo: Repo,
    today: date,
    *,
    cycles: set[str] | str | None = "default",
    selection: Selection | None = None,
    history: bool = True,
    focus: set[str] | None = None,
    every_representative: bool = False,
    reuse: bool = False,
    narrow: Callable[[Repo], Repo] | None = None,
) -> list[Finding]:
    """Every finding of the repository after document comments, config and ``selection``.

    With ``focus`` (repository paths), only findings in those files are wanted: rules may skip
    work whose findings would land elsewhere, and the others are dropped; with
    ``every_representative`` too, the findings shown at a representative place that are one of a
    kind (``Finding.one_wherever_shown``) are kept wherever they are shown (a baseline asked about some files: such a finding is the same one whichever
    file shows it, so the base's is known even when no file named showed it). With ``reuse``, the
    findings of the families that read only the files are taken from the store when this content
    was judged on this day before, and kept there otherwise (``rules.memo``): only for a repository
    loaded from its files as they are (never one a command put together in memory), as ``align``
    sees it (every check-in its rules read). ``narrow`` gives the repository the rules are to read
    (``rules.needs.narrowed``), worked out only when some family runs.
    """
    from okrctl.rules import memo

    chosen = default_cycles(repo, today) if cycles == "default" else cycles
    chosen_cycles = chosen if not isinstance(chosen, str) else None
    selection = selection or Selection()
    # (OKR601 reads git history only when asked to: without it, its family finds nothing)
    families = [
        name for name in FAMILIES if _can_select(name, selection.select) and (history or name != "okrctl.rules.history")
    ]
    key = memo.key_of(repo, today, chosen_cycles) if reuse and focus is None else None
    kept = memo.recall(repo, key) if key is not None else {}
    missing = [name for name in families if name not in kept]
    if narrow is not None and missing:
        repo = narrow(repo)
    ctx = RuleContext(repo, today, chosen_cycles, history, focus=focus, every_representative=every_representative)
    findings: list[Finding] = apply_comments(repo, list(repo.file_findings))
    # Document comments are what the files say: applied before the findings are kept. The
    # config's settings and the command line's selection are applied below, to kept ones too.
    found = {name: apply_comments(repo, family) for name, family in _families(ctx, missing).items()}
    if key is not None and not repo.changed_meanwhile and any(name not in memo.NOT_KEPT for name in found):
        memo.keep(repo, key, {**kept, **found})
    found = {**kept, **found}
    for name in families:
        findings.extend(found[name])
    if focus is not None:
        # The config's own problems stop every view: kept whatever files are asked about.
        config_problems = set(repo.config_problems())
        findings = [
            f
            for f in findings
            if f.path in focus
            or f.data.get("first") in focus
            or (every_representative and f.one_wherever_shown)
            or f in config_problems
        ]
    if not reported("OKR601", repo.config.rules.ignore, selection):
        from okrctl.rules.history import NOTE_KEY

        repo.derived.pop(NOTE_KEY, None)  # nothing to say about a rule turned off
    result = with_fingerprints(apply_settings(repo, findings, selection))
    repo.save_places()  # what parsing files again for places told, for the next run
    return result


# From this many documents on, the families share the cores: the ones in ``_FORKED`` run in a
# forked worker while this process runs the others (a worker starts in about 20 ms).
PARALLEL_MIN_DOCS = 10_000
_FORKED = frozenset(
    {"okrctl.rules.structure", "okrctl.rules.vertical", "okrctl.rules.focus", "okrctl.rules.horizontal"}
)


def _check(ctx: RuleContext, names: list[str]) -> dict[str, list[Finding]]:
    found: dict[str, list[Finding]] = {}
    for name in names:
        # Each family's "did you mean"s are bounded on their own (what a slip is closest to is worked
        # out once a run, and charged to each family that asks): what a family finds never depends
        # on which families ran before it (a selection, a worker, findings kept by another run).
        ctx.repo.suggestions = ctx.repo.suggestions.for_family()
        found[name] = list(importlib.import_module(name).check(ctx))
    return found


def _families(ctx: RuleContext, names: list[str]) -> dict[str, list[Finding]]:
    """Every family's findings; on a large repository some of them in a forked worker meanwhile."""
    forked = [n for n in names if n in _FORKED]
    here = [n for n in names if n not in _FORKED]
    from okrctl.forked import meanwhile, spare_core

    if len(ctx.repo.docs) < PARALLEL_MIN_DOCS or ctx.focus is not None or not forked or not here or not spare_core():
        return _check(ctx, names)
    repo = ctx.repo
    (theirs, changed, places), out = meanwhile(
        lambda: (_check(ctx, forked), repo.changed_meanwhile, repo.learnt_places), lambda: _check(ctx, here)
    )
    repo.changed_meanwhile = repo.changed_meanwhile or changed  # learnt in the worker (``Repo._reparse``)
    repo.learnt_places.update(places)  # so are these (``Repo.position``)
    out.update(theirs)
    return out


__all__ = ["FAMILIES", "FAMILY_CODES", "RuleContext", "Selection", "run"]
