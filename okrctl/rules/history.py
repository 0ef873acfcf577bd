"""OKR601: a key result's target or baseline moved after its cycle started (from git history).

A moved target is sometimes the right call (a vendor change, a new measurement) and sometimes a
quiet way to turn red into green. The rule makes every move visible; a ``rescoped`` entry within
a week of the change documents it, and the finding drops to info.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from okrctl.findings import Finding
from okrctl.rules.base import RuleContext

if TYPE_CHECKING:
    from okrctl.analysis.history import History

RESCOPE_WINDOW_DAYS = 7
NOTE_KEY = "history_note"  # in ``Repo.derived``: what OKR601 could not see, for standard error


def history_note(history: History) -> str:
    """A line (or two) when OKR601 saw less than the whole history of a git repository: git failed,
    the clone is shallow (CI checkouts often are), or versions of the objective files could not be
    read. Outside git there is no history to miss: no line."""
    from okrctl.analysis.history import skipped_words, unread_words

    if not history.in_git:
        return ""
    if history.problem:
        return (
            f"okrctl: note: OKR601 (moved targets) was not checked: git could not read the history: {history.problem}"
        )
    lines = []
    if history.shallow:
        since = f" from {history.oldest_day}" if history.oldest_day else ""
        lines.append(
            f"okrctl: note: OKR601 (moved targets) sees the history{since} only: this clone is shallow "
            "(fetch-depth: 0 in actions/checkout, or 'git fetch --unshallow')"
        )
    if history.skipped:
        lines.append(f"okrctl: note: OKR601 (moved targets) may miss changes: {skipped_words(history.skipped)}")
    if history.unread:
        lines.append(f"okrctl: note: OKR601 (moved targets) may miss changes: {unread_words(history.unread)}")
    return "\n".join(lines)


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
    unseen = history_note(history)
    if unseen:
        repo.derived[NOTE_KEY] = unseen  # said on standard error by ``align`` (``cli.common``)
    if not history.in_git or history.problem:
        return  # outside git there is nothing to compare (skipped silently); git failed: noted
    # A --today before the real one leaves out what was committed after it, as history and report
    # do. On the real day (or a later one) nothing committed yet is after it: a commit dated a day
    # ahead (its committer east of the machine, or a clock ahead) is judged all the same.
    as_of = ctx.today if ctx.today < date.today() else date.max
    for change in history.changes:
        if not change.cycle_started or change.day > as_of:
            continue  # planning; or committed after a --today of the past
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
                goalpost=f"{change.kr_id}/{change.field}",
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
                goalpost=f"{change.kr_id}/{change.field}",
            )
