"""The sentences of ``okrctl diff``, shared by the text and Markdown renderers.

Each renderer passes how it shows free text (``lit``) and ids (``code``); the sentences are the same.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from okrctl.analysis.diff import Change, DiffReport, Reviewer, Side
from okrctl.render.numbers import number, percent
from okrctl.safetext import shown_path

Quote = Callable[[object], str]

HEADINGS = {
    "objectives": "Objectives",
    "key_results": "Key results",
    "goalposts": "Baselines and targets",
    "alignment": "Alignment",
    "dependencies": "Dependencies",
    "priorities": "Strategy priorities",
    "strategy": "Strategy",
    "units": "Units",
    "config": "Configuration",
    "activity": "Check-ins, readings and retros",
}


def side_label(side: Side) -> str:
    """``main (1a2b3c4)``; a commit named by its hash is shown by its short hash alone."""
    if side.commit is None:
        return side.label
    if side.commit.startswith(side.label.lower()) and len(side.label) >= 4:
        return side.commit[:7]
    return f"{side.label} ({side.commit[:7]})"


def value(item: Any, unit: str | None = None) -> str:
    """A goalpost or config value as people write it."""
    if item is None:
        return "(none)"
    if isinstance(item, bool):
        return "yes" if item else "no"
    if isinstance(item, (int, float)):
        return number(item, unit)
    if isinstance(item, dict):
        return ", ".join(f"{k}: {value(v, unit)}" for k, v in item.items()) or "(none)"
    if isinstance(item, list):
        return ", ".join(value(v) for v in item) or "(none)"
    return str(item)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _progress_status(effect: dict[str, Any]) -> str:
    progress = effect["progress"]
    status = effect["status"]
    parts = []
    if progress[0] != progress[1]:
        parts.append(f"progress {percent(progress[0])} → {percent(progress[1])}")
    else:
        parts.append(f"progress {percent(progress[1])} (unchanged)")
    expected = effect.get("expected") or [None, None]
    if expected[0] != expected[1]:  # a pace moved: the status follows the expected progress
        parts.append(f"expected {percent(expected[0])} → {percent(expected[1])}")
    if status[0] != status[1]:
        parts.append(f"{status[0] or '—'} → {status[1] or '—'}")
    else:
        parts.append(f"still {status[1] or '—'}")
    return ", ".join(parts)


def describe(change: Change, lit: Quote, code: Quote) -> tuple[str, list[str]]:
    """One line for the change, and the lines under it (goalposts: cycle, rescoped, effect)."""
    s, k, old, new, d = change.subject, change.kind, change.old, change.new, change.data
    subject = code(s)
    if change.section == "objectives":
        if k == "added":
            return f"{subject} added ({code(change.owner)}, {code(d['cycle'])}): {lit(new)}", []
        if k == "removed":
            return f"{subject} removed ({code(change.owner)}, {code(d['cycle'])}): {lit(old)}", []
        if k == "unreadable":
            return (
                f"{subject} can no longer be read: {code(shown_path(change.path))} has errors (see the findings below)",
                [],
            )
        if k == "readable":
            return (
                f"{subject} can be read again ({code(change.owner)}, {code(d['cycle'])}): {code(shown_path(d.get('was_at') or change.path))} had "
                f"errors on the base, so what changed in it is not compared (see the findings resolved below)",
                [],
            )
        if k == "retitled":
            return f"{subject} retitled: “{lit(old)}” → “{lit(new)}”", []
        if k == "cycle":
            return f"{subject} moved to another cycle: {code(old)} → {code(new)}", []
        if k == "duplicated":
            return (
                f"{subject} added a second time, by {code(change.owner)} in {code(shown_path(change.path))}: "
                f"{code(d['also_at'])} holds this id already (OKR102 below)",
                [],
            )
        if k == "why":
            return f"{subject} why: “{lit(value(old))}” → “{lit(value(new))}”", []
        if k == "work":
            return f"{subject} work: {len(old)} → {len(new)} item{'s' if len(new) != 1 else ''}", [
                f"+ {lit(item)}" for item in new if item not in old
            ] + [f"- {lit(item)}" for item in old if item not in new]
        if k == "supports":
            parts = [f"now supports {', '.join(code(x) for x in new)}"] if new else []
            parts += [f"no longer supports {', '.join(code(x) for x in old)}"] if old else []
            return f"{subject} {'; '.join(parts)}", []
        if k == "rescoped":
            entries = [f"+ {entry['date']}: {lit(entry['note'])}" for entry in new]
            entries += [f"- {entry['date']}: {lit(entry['note'])}" for entry in old]
            return f"{subject} rescoped entries changed", entries
        return f"{subject} moved to another owner: {code(old)} → {code(new)}", []
    if change.section == "key_results":
        if k == "added":
            return f"{subject} added ({d['type']}): {lit(new)}", []
        if k == "removed":
            return f"{subject} removed ({d['type']}): {lit(old)}", []
        if k == "retyped":
            return f"{subject} retyped: {old} → {new}", []
        if k == "retitled":
            return f"{subject} retitled: “{lit(old)}” → “{lit(new)}”", []
        if k in ("unit", "metric"):
            return f"{subject} {k} {lit(value(old))} → {lit(value(new))}", []
        effect = d.get("effect") or {}
        # A weight moves the objective's progress only: its effect, as a goalpost's.
        weighed = [f"objective: {_progress_status(effect['objective'])}"] if effect else []
        return f"{subject} weight {value(old)} → {value(new)}", weighed
    if change.section == "goalposts":
        unit = d.get("unit")
        line = f"{subject} {k} {lit(value(old, d.get('old_unit', unit)))} → {lit(value(new, unit))}"
        under: list[str] = []
        if d.get("cycle_started"):
            when = f"cycle {code(d['cycle'])} started {d['cycle_start']}"
            rescoped = d.get("rescoped")
            if d.get("set_where_none"):
                under.append(f"{when}; set where there was none: no goalpost moved (as OKR601 judges it)")
            elif rescoped:
                under.append(f"{when}; documented in rescoped ({rescoped['date']}: {lit(rescoped['note'])})")
            else:
                under.append(f"{when}; no rescoped entry covers this change")
        else:
            start = d.get("cycle_start")
            under.append(f"cycle {code(d['cycle'])} has not started" + (f" (starts {start})" if start else ""))
        effect = d.get("effect") or {}
        if effect:
            under.append(f"key result: {_progress_status(effect['key_result'])}")
            under.append(f"objective: {_progress_status(effect['objective'])}")
        return line, under
    if change.section == "alignment":
        if k == "new-parent":
            return f"{subject} now aligns to {code(new)} ({d['type']})", []
        if k == "lost-parent":
            return f"{subject} no longer aligns to {code(old)} (was {d['type']})", []
        if k == "type":
            return f"{subject} → {code(d['to'])}: {old} → {new}", []
        if k == "parent-gone":
            return f"{subject} aligns to {code(old)}, which no longer exists ({d['type']})", []
        return f"{subject} is now aligned to nothing", []
    if change.section == "dependencies":
        need = f"{code(d['unit'])} ({lit(d['need'])})"
        if k == "added":
            ack = "acknowledged" if d.get("acknowledged") else "not acknowledged yet"
            return f"{subject} now depends on {need}, {ack}", []
        if k == "dropped":
            return f"{subject} no longer depends on {need}", []
        if k == "need":
            return f"{subject} needs something else of {code(d['unit'])}: “{lit(old)}” → “{lit(new)}”", []
        if k == "acknowledged":
            return f"{subject}: {code(d['unit'])} now acknowledges the dependency ({lit(d['need'])})", []
        return f"{subject}: {code(d['unit'])} no longer acknowledges the dependency ({lit(d['need'])})", []
    if change.section == "priorities":
        if k == "first":
            return f"{subject} gains its first contributor: {', '.join(code(x) for x in d['contributors'])}", []
        return f"{subject} loses its last contributor (was: {', '.join(code(x) for x in d['former'])})", []
    if change.section == "strategy":
        if k == "duplicated":
            return (
                f"strategy {subject} added a second time ({code(d['cycle'])}) in {code(shown_path(change.path))}: "
                f"{code(d['also_at'])} holds this id already (OKR102 below)",
                [],
            )
        if k in ("added", "removed"):
            return f"strategy {subject} {k} ({code(change.owner)}, {code(d['cycle'])})", []
        if k == "unreadable":
            return (
                f"strategy {subject} can no longer be read: {code(shown_path(change.path))} has errors (see the findings below)",
                [],
            )
        if k == "readable":
            return (
                f"strategy {subject} can be read again: {code(shown_path(d.get('was_at') or change.path))} had errors on the base, so what "
                "changed in it is not compared (see the findings resolved below)",
                [],
            )
        if k == "vision":
            return f"{subject} vision: “{lit(value(old))}” → “{lit(value(new))}”", []
        if k in ("owner", "cycle"):
            return f"{subject} {k}: {code(old)} → {code(new)}", []
        if k == "priority-added":
            return f"priority {subject} added: {lit(new)}", []
        if k == "priority-removed":
            return f"priority {subject} removed: {lit(old)}", []
        if k == "priority-retitled":
            return f"priority {subject} retitled: “{lit(old)}” → “{lit(new)}”", []
        if k == "not-doing-added":
            return f"{subject} not doing: + {lit(new)}", []
        return f"{subject} not doing: − {lit(old)}", []
    if change.section == "units":
        if k == "duplicated":
            parent = f", under {code(d['parent'])}" if d.get("parent") else ""
            return (
                f"unit {subject} added a second time ({d['type']}{parent}) in {code(shown_path(change.path))}: "
                f"{code(d['also_at'])} holds this id already (OKR102 below)",
                [],
            )
        if k == "added":
            parent = f", under {code(d['parent'])}" if d.get("parent") else ""
            return f"unit {subject} added ({d['type']}{parent})", []
        if k == "removed":
            return f"unit {subject} removed", []
        if k == "unreadable":
            return (
                f"unit {subject} can no longer be read: {code(shown_path(change.path))} has errors (see the findings below)",
                [],
            )
        if k == "readable":
            return (
                f"unit {subject} can be read again: {code(shown_path(d.get('was_at') or change.path))} had errors on the base, so what changed "
                "in it is not compared (see the findings resolved below)",
                [],
            )
        if k == "parent":
            return f"unit {subject} moved: {code(value(old))} → {code(value(new))}", []
        if k == "renamed":
            return f"unit {subject} renamed: “{lit(old)}” → “{lit(new)}”", []
        if k == "type":
            return f"unit {subject} type {old} → {new}", []
        parts = []
        if d["joined"]:
            parts.append("+ " + ", ".join(lit(m) for m in d["joined"]))
        if d["left"]:
            parts.append("− " + ", ".join(lit(m) for m in d["left"]))
        return f"unit {subject} members: {'; '.join(parts)}", []
    if change.section == "config":
        if k == "unreadable":
            return (
                f"{code(shown_path(change.path))} can no longer be read: its settings are not compared (see the findings below)",
                [],
            )
        if k == "readable":
            return (
                f"{code(shown_path(change.path))} can be read again: it had errors on the base, so its settings are not "
                "compared (see the findings resolved below)",
                [],
            )
        return f"{code(s)}: {lit(value(old))} → {lit(value(new))}", []
    return activity_line(change, lit, code), []


def activity_line(change: Change, lit: Quote, code: Quote) -> str:
    """``discover: 2 check-ins, confidence 6 → 8``."""
    d = change.data
    parts: list[str] = []
    for prefix, word in (("checkins", "check-in"), ("readings", "reading"), ("retros", "retro")):
        added, changed, removed = d[f"{prefix}_added"], d[f"{prefix}_changed"], d[f"{prefix}_removed"]
        if added:
            parts.append(_count(added, word))
        if changed:
            parts.append(f"{_count(changed, word)} changed")
        if removed:
            parts.append(f"{_count(removed, word)} removed")
        # In a file that does not read on one side: there all along, not added or removed.
        if d.get(f"{prefix}_readable"):
            parts.append(f"{_count(d[f'{prefix}_readable'], word)} that can be read again")
        if d.get(f"{prefix}_unreadable"):
            parts.append(f"{_count(d[f'{prefix}_unreadable'], word)} that can no longer be read")
    for objective_id, (old, new) in d["confidence"].items():
        label = f"confidence ({code(objective_id)})" if objective_id else "confidence"
        if old != new:
            parts.append(f"{label} {value(old)} → {value(new)}")
    return f"{code(change.subject)}: {', '.join(parts)}"


def reviewers_line(reviewers: list[Reviewer], code: Quote) -> str:
    """``cards, discover (they adopt digital-first-week/first-week-nps)``."""
    owners = [r for r in reviewers if not r.affected]
    affected = [r for r in reviewers if r.affected]
    text = ", ".join(code(r.unit) for r in owners)
    if affected:
        why = sorted({_reason(reason.verb, reason.refs, code, code) for r in affected for reason in r.reasons})
        listed = ", ".join(code(r.unit) for r in affected)
        text = (text + ", " if text else "") + f"{listed} (they {'; '.join(why)})"
    return text


_SINGULAR = {
    "own": "owns",
    "adopt": "adopts",
    "align to": "aligns to",
    "are served by": "is served by",
    "are needed by": "is needed by",
    "depend on": "depends on",
}


def _reason(verb: str, refs: tuple[str, ...], lit: Quote, code: Quote) -> str:
    quote = lit if verb == "wrote" else code  # "wrote check-ins, readings" names no id
    return f"{verb} {', '.join(quote(x) for x in refs)}"


def reviewer_detail(reviewer: Reviewer, lit: Quote, code: Quote) -> str:
    reasons = "; ".join(_reason(_SINGULAR.get(r.verb, r.verb), r.refs, lit, code) for r in reviewer.reasons)
    members = ", ".join(lit(m) for m in reviewer.members) if reviewer.members else "no members listed"
    return f"{code(reviewer.unit)} ({lit(reviewer.name)}): {reasons} — {members}"


def findings_heading(report: DiffReport) -> str:
    count = len(report.introduced)
    if not count:
        return "Findings this change introduces: none"
    by = {s: sum(1 for f in report.introduced if f.severity == s) for s in ("error", "warning", "info")}
    detail = ", ".join(_count(n, s) for s, n in by.items() if n)
    return f"Findings this change introduces: {count} ({detail})"


def not_judged_heading(cause: str, count: int, path: Callable[[str], str]) -> str:
    """The line above the base's findings that HEAD could not judge while ``cause`` has errors
    (``report.not_judged``): okrctl.yaml, whose broken settings skip their rules, or their own file."""
    from okrctl.load.discover import CONFIG_NAME

    found = _count(count, "finding")
    if cause == CONFIG_NAME:
        return (
            f"Not judged while {path(cause)} has errors: {found} of the base, whose rules are skipped until it is fixed"
        )
    return f"Not judged while {path(cause)} has errors: {found} of the base in it"


def not_compared_line(report: DiffReport, path: Callable[[str], str]) -> str:
    """The line naming the files with errors on both sides that changed (``report.not_compared``)."""
    count = len(report.not_compared)
    names = ", ".join(path(p) for p in report.not_compared[:3]) + (f" and {count - 3} more" if count > 3 else "")
    files = "1 file" if count == 1 else f"{count} files"
    return (
        f"Not compared: {files} with errors changed, moved or removed, and what changed in the documents "
        f"with errors is not shown: {names} ('okrctl align' shows why)"
    )
