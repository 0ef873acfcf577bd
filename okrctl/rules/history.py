"""OKR601: a key result's target or baseline moved after its cycle started (from git history).

A moved target is sometimes the right call (a vendor change, a new measurement) and sometimes a
quiet way to turn red into green. The rule makes every move visible; a ``rescoped`` entry within
a week of the change documents it, and the finding drops to info.
"""

from __future__ import annotations

from collections.abc import Iterator

from okrctl.findings import Finding
from okrctl.rules.base import RuleContext

RESCOPE_WINDOW_DAYS = 7


def check(ctx: RuleContext) -> Iterator[Finding]:
    if not ctx.history:
        return
    repo = ctx.repo
    cycle_ids = {str(doc.model.cycle) for doc in ctx.objectives()}
    if not cycle_ids:
        return
    from okrctl.analysis.history import GOALPOSTS, target_changes
    from okrctl.render import numbers

    history = target_changes(repo, cycle_ids=cycle_ids, fields=GOALPOSTS)
    if not history.in_git or history.problem:
        return  # outside git (or git unusable) there is nothing to compare: skipped silently
    for change in history.changes:
        if not change.cycle_started:
            continue
        doc = repo.objectives.get(change.objective_id)
        if doc is None:
            continue
        objective = doc.model
        loc: tuple[object, ...] = ("id",)
        for index, kr in enumerate(objective.key_results):
            if kr.id == change.kr_id:
                present = getattr(kr, change.field, None) is not None
                loc = ("key_results", index, change.field) if present else ("key_results", index, "id")
        who = f"{change.author_name} <{change.author_email}>"
        message = (
            f"{change.field} of '{change.kr_id}' changed {numbers.as_written(change.old)} → {numbers.as_written(change.new)} "
            f"on {change.day} after {objective.cycle} started (commit {change.commit[:7]} by {who})"
        )
        documented = [r for r in objective.rescoped if abs((r.date - change.day).days) <= RESCOPE_WINDOW_DAYS]
        if documented:
            entry = documented[0]
            finding = repo.finding(
                "OKR601",
                doc,
                loc,
                f"{message}; documented in rescoped ({entry.date}: {entry.note})",
                "",
                objective=objective.id,
                commit=change.commit,
            )
            yield finding.with_severity("info")
        else:
            yield repo.finding(
                "OKR601",
                doc,
                loc,
                message,
                f"if the move is intended, say why under 'rescoped' ({{date: {change.day}, note: ...}}); "
                f"'okrctl history {objective.id}' lists every change",
                objective=objective.id,
                commit=change.commit,
            )
