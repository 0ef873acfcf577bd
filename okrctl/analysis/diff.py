"""What a change of the OKR repository means, in model terms: two loaded sides compared.

``compare(base, head, today)`` answers with plain values (``DiffReport``): objectives and key
results added, removed, retitled or moved; goalposts moved with their effect on progress and status
as of ``today``; alignment, dependencies, priorities, strategy, units and config; check-ins and
retros per team; and who must review (owners of what changed and, transitively, the units whose
objectives align to it). Findings are computed by the caller (rules sit above this layer) and
compared here by ``new_findings``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from okrctl.analysis.acknowledgement import acknowledging
from okrctl.analysis.alignment import AlignmentIndex, Link, aligned_while_unplaced, priority_contributors
from okrctl.analysis.state import objective_state
from okrctl.findings import TRIGGER_TIME, Finding, as_moved, moved_files
from okrctl.load.declared import BrokenIndex
from okrctl.load.documents import Doc, identity
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective, Strategy, Unit

# A ``rescoped`` entry this close to the change documents it (the window of OKR601).
RESCOPE_WINDOW_DAYS = 7
GOALPOST_FIELDS = {"metric": ("baseline", "target", "pace"), "maintain": ("min", "max")}
SECTIONS = (
    "objectives",
    "key_results",
    "goalposts",
    "alignment",
    "dependencies",
    "priorities",
    "strategy",
    "units",
    "config",
    "activity",
)


@dataclass(frozen=True)
class Side:
    """One side of the comparison: a git ref (and its commit) or the working tree."""

    label: str  # what the user named: a ref, or "working tree"
    commit: str | None = None  # None for the working tree
    day: date | None = None  # the commit's day (the working tree's changes are of --today)


@dataclass
class Change:
    """One change in model terms. ``kind`` says what happened to ``subject`` within its section."""

    section: str  # one of SECTIONS
    kind: str
    subject: str  # objective id, objective/kr, strategy/priority, unit id, config key, team
    owner: str | None  # the unit answerable for the subject
    path: str | None = None  # the file holding it (head side; base side when removed)
    old: Any = None
    new: Any = None
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "kind": self.kind,
            "subject": self.subject,
            "owner": self.owner,
            "path": self.path,
            "old": _plain(self.old),
            "new": _plain(self.new),
            **{k: _plain(v) for k, v in self.data.items()},
        }


@dataclass(frozen=True)
class Reason:
    verb: str  # "own" | "adopt" | "align to" | "are needed by" | "wrote" (of the unit: "they adopt …")
    # refs: ids, or for "wrote" what the unit wrote ("check-ins", "readings", "retros")
    refs: tuple[str, ...]


@dataclass
class Reviewer:
    unit: str
    name: str
    members: list[str]
    reasons: list[Reason]
    affected: bool  # True: reached through alignment or a dependency, not an owner of what changed

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "members": self.members,
            "affected": self.affected,
            "reasons": [{"verb": r.verb, "refs": list(r.refs)} for r in self.reasons],
        }


@dataclass
class DiffReport:
    base: Side
    head: Side
    today: date
    changes: list[Change]
    reviewers: list[Reviewer]
    introduced: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    broken: dict[str, list[str]] = field(default_factory=dict)  # side -> files with errors
    # Files with errors on both sides whose bytes changed: what changed in their documents with
    # errors is not compared (a target moved there is not a line of the diff).
    not_compared: list[str] = field(default_factory=list)
    # Findings of the base that HEAD could not judge, neither kept nor resolved, by the file on HEAD
    # whose errors keep them from being judged (``_not_judged``): okrctl.yaml first.
    not_judged: dict[str, list[Finding]] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return (
            not self.changes
            and not self.introduced
            and not self.resolved
            and not self.not_compared
            and not self.not_judged
        )

    def section(self, name: str) -> list[Change]:
        return [c for c in self.changes if c.section == name]

    def members(self) -> list[str]:
        """Members of every owning and affected unit, each once, sorted."""
        once = {m.lower(): m for r in reversed(self.reviewers) for m in reversed(r.members)}  # first spelling
        return sorted(once.values(), key=str.lower)


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(_plain(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, (set, frozenset)) else items
    return value


# ----- objectives and key results -----------------------------------------------------------------
def _objective_changes(base: Repo, head: Repo) -> list[Change]:
    out: list[Change] = []
    broken_on_base, broken_on_head = _unread(base), _unread(head)
    for oid in sorted(set(base.objectives) | set(head.objectives)):
        old_doc, new_doc = base.objectives.get(oid), head.objectives.get(oid)
        if old_doc is None and new_doc is not None:
            new: Objective = new_doc.model
            # In a file that did not read on the base: it may have been there all along.
            kind = "readable" if new_doc.path in broken_on_base else "added"
            out.append(
                Change("objectives", kind, oid, new.owner, new_doc.path, new=new.title, data={"cycle": str(new.cycle)})
            )
            continue
        if new_doc is None and old_doc is not None:
            old: Objective = old_doc.model
            # Still in a file that no longer reads: broken, not removed.
            kind = "unreadable" if old_doc.path in broken_on_head else "removed"
            out.append(
                Change("objectives", kind, oid, old.owner, old_doc.path, old=old.title, data={"cycle": str(old.cycle)})
            )
            continue
        assert old_doc is not None and new_doc is not None
        old, new = old_doc.model, new_doc.model
        where = new_doc.path
        if old.title != new.title:
            out.append(Change("objectives", "retitled", oid, new.owner, where, old.title, new.title))
        if str(old.cycle) != str(new.cycle):
            out.append(Change("objectives", "cycle", oid, new.owner, where, str(old.cycle), str(new.cycle)))
        if old.owner != new.owner:
            out.append(Change("objectives", "owner", oid, new.owner, where, old.owner, new.owner))
        if old.why != new.why:
            out.append(Change("objectives", "why", oid, new.owner, where, old.why, new.why))
        if Counter(old.work) != Counter(new.work):  # their order is no change
            out.append(Change("objectives", "work", oid, new.owner, where, list(old.work), list(new.work)))
        added = [s for s in new.supports if s not in old.supports]
        dropped = [s for s in old.supports if s not in new.supports]
        if added or dropped:
            out.append(Change("objectives", "supports", oid, new.owner, where, dropped, added))
        rescopes = [r for r in new.rescoped if r not in old.rescoped]
        gone = [r for r in old.rescoped if r not in new.rescoped]
        if rescopes or gone:
            out.append(
                Change(
                    "objectives",
                    "rescoped",
                    oid,
                    new.owner,
                    where,
                    [{"date": r.date, "note": r.note} for r in gone],
                    [{"date": r.date, "note": r.note} for r in rescopes],
                )
            )
    return out


def _kr_changes(
    base: Repo,
    head: Repo,
    today: date,
    changed_on: date | None = None,
    commits: tuple[str | None, str | None] = (None, None),
) -> list[Change]:
    """``changed_on``: the day of the change (the head commit's; default ``today``), from which a
    ``rescoped`` entry must lie within OKR601's window to document a goalpost move. ``commits``:
    the base's and the head's (None: the working tree), whose history tells whether a goalpost set
    where the base held none moved (``_moved_by_history``)."""
    out: list[Change] = []
    moving: list[tuple[Objective, Objective, list[Change]]] = []  # their effect added once all are known
    for oid in sorted(set(base.objectives) & set(head.objectives)):
        old_doc, new_doc = base.objectives[oid], head.objectives[oid]
        old: Objective = old_doc.model
        new: Objective = new_doc.model
        old_krs = {kr.id: kr for kr in old.key_results}
        new_krs = {kr.id: kr for kr in new.key_results}
        goalposts: list[Change] = []
        for kid in [k.id for k in old.key_results if k.id not in new_krs] + [k.id for k in new.key_results]:
            ref = f"{oid}/{kid}"
            before, after = old_krs.get(kid), new_krs.get(kid)
            if before is None and after is not None:
                out.append(
                    Change(
                        "key_results", "added", ref, new.owner, new_doc.path, new=after.title, data={"type": after.type}
                    )
                )
            elif after is None and before is not None:
                out.append(
                    Change(
                        "key_results",
                        "removed",
                        ref,
                        new.owner,
                        new_doc.path,
                        old=before.title,
                        data={"type": before.type},
                    )
                )
            elif before is not None and after is not None:
                if before.type != after.type:
                    out.append(Change("key_results", "retyped", ref, new.owner, new_doc.path, before.type, after.type))
                    # The goalposts of the old type give way to those of the new (9 → 7.65 becomes
                    # "keep 0–8"): each is said, with the effect, as a move of one type's would be.
                    names = GOALPOST_FIELDS.get(before.type, ()) + GOALPOST_FIELDS.get(after.type, ())
                else:
                    names = GOALPOST_FIELDS.get(after.type, ())
                # A retyped one is retitled or reweighted as any other (each said, the weight with
                # its own effect: the goalposts' line counts only theirs).
                if before.title != after.title:
                    out.append(
                        Change("key_results", "retitled", ref, new.owner, new_doc.path, before.title, after.title)
                    )
                if before.weight != after.weight:
                    out.append(
                        Change("key_results", "weight", ref, new.owner, new_doc.path, before.weight, after.weight)
                    )
                for name in ("unit", "metric"):  # what the numbers measure: the goalposts mean something else
                    was, now = getattr(before, name, None), getattr(after, name, None)
                    if was != now:
                        out.append(Change("key_results", name, ref, new.owner, new_doc.path, was, now))
                goalposts += _moved(before, after, names, ref, new.owner, new_doc.path)
        reweighted = [
            c for c in out if c.section == "key_results" and c.kind == "weight" and c.subject.startswith(f"{oid}/")
        ]
        if reweighted:
            _add_weight_effect(head, old, new, reweighted, today)
        if goalposts:
            moving.append((old, new, goalposts))
            out.extend(goalposts)
    moved = _moved_by_history(base, head, [c for _, _, lines in moving for c in lines], commits, changed_on or today)
    for old, new, goalposts in moving:
        _add_effect(base, head, old, new, goalposts, today, changed_on or today, moved)
    return out


def _set_where_none(change: Change) -> bool:
    """A goalpost the base held none of, set by the change. A pace is there before it is written
    (the straight line from baseline to target), so setting one is a move, never this."""
    return change.old is None and change.new is not None and change.kind != "pace"


def _goalpost_key(change: Change) -> tuple[str, str, str]:
    """(objective id, kr id, field), as history names a changed field."""
    objective_id, kid = change.subject.rsplit("/", 1)
    return objective_id, kid, change.kind


def _moved_by_history(
    base: Repo, head: Repo, goalposts: list[Change], commits: tuple[str | None, str | None], on: date
) -> set[tuple[str | None, ...]] | None:
    """The goalposts that git's history, as OKR601 judges each commit, counts as changed from the
    base's commit to the head's (the working tree: as a commit of ``on`` on top of HEAD), asked
    only when the change sets one where the base held none. Such a value moves no goalpost when it
    was never set before; set, taken out and set again (within the cycle or before it), it does,
    which the two sides alone cannot tell. None when history cannot tell (no base commit, a
    shallow clone, a head HEAD does not reach: ``history.goalposts_changed``)."""
    wanted = [c for c in goalposts if _set_where_none(c)]
    if not wanted:
        return set()
    base_commit, head_commit = commits
    if base_commit is None:
        return None
    from okrctl.analysis.history import goalposts_changed

    objectives = {_goalpost_key(c)[0] for c in wanted}
    # The working tree is compared with HEAD in the files that hold these objectives on either side.
    files = sorted({side.objectives[oid].path for oid in objectives for side in (base, head)})
    changed = goalposts_changed(head, base_commit, head_commit, on=on, files=files, objectives=objectives)
    return None if changed is None else set(changed)


def _add_weight_effect(head: Repo, old: Objective, new: Objective, changes: list[Change], today: date) -> None:
    """A weight moves the objective's progress (and maybe its status), not the key result's: its
    effect as of ``today``, with HEAD's check-ins and goalposts and only the old weights put back."""
    old_weights = {kr.id: kr.weight for kr in old.key_results}
    restored = [
        kr.model_copy(update={"weight": old_weights[kr.id]}) if old_weights.get(kr.id, kr.weight) != kr.weight else kr
        for kr in new.key_results
    ]
    before = objective_state(head, new.model_copy(update={"key_results": restored}), today)
    after = objective_state(head, new, today)
    if before is None or after is None:
        return  # (an unknown cycle or owner: no progress to compare)
    effect = {
        "objective": {
            "progress": [_share(before.progress), _share(after.progress)],
            "expected": [_share(before.expected), _share(after.expected)],
            "status": [before.status, after.status],
        }
    }
    for change in changes:
        change.data["effect"] = effect


def _moved(before: Any, after: Any, names: tuple[str, ...], ref: str, owner: str, path: str) -> list[Change]:
    """A goalposts change for each of ``names`` whose value differs between the two key results
    (each name once, in order)."""
    # Each side in its own unit: "6 days → 144 hours" when the unit changed too ("old_unit"), and
    # "6 days → 144" when the change took the unit away.
    was, now = getattr(before, "unit", None), getattr(after, "unit", None)
    data: dict[str, Any] = {"unit": now} if was == now else {"unit": now, "old_unit": was}
    return [
        Change("goalposts", name, ref, owner, path, _goalpost(before, name), _goalpost(after, name), data=dict(data))
        for name in dict.fromkeys(names)
        if _goalpost(before, name) != _goalpost(after, name)
    ]


def _goalpost(kr: Any, name: str) -> Any:
    """A key result's goalpost ``name``; None when its type has none, or it is left empty (``pace:
    {}`` is no pace, as a type without pace has none). A number stays what it is, 0 included."""
    value = getattr(kr, name, None)
    return None if isinstance(value, (list, tuple, dict)) and not value else value


def _add_effect(
    base: Repo,
    head: Repo,
    old: Objective,
    new: Objective,
    changes: list[Change],
    today: date,
    changed_on: date,
    moved: set[tuple[str | None, ...]] | None = None,
) -> None:
    """Cycle started?, rescoped? (an entry within OKR601's window of ``changed_on``), and progress /
    status before and after, as of ``today``. ``moved``: the goalposts history counts as changed
    between the sides (``_moved_by_history``; None: it cannot tell)."""
    cycle = head.cycle(new.cycle)
    started = cycle is not None and cycle.start <= today
    # The effect of the goalposts alone: the same check-ins (the head's), the old key results with
    # their new weights (a new weight has its own line and effect, ``_add_weight_effect``).
    old_krs = {kr.id: kr for kr in old.key_results}
    restored = [
        old_krs[kr.id].model_copy(update={"weight": kr.weight})
        if kr.id in old_krs
        else kr  # (a retyped one: its old type's)
        for kr in new.key_results
    ]
    before = objective_state(head, new.model_copy(update={"key_results": restored}), today)
    after = objective_state(head, new, today)
    # An entry covers the change when it is dated within OKR601's window of the change's day (the
    # head commit's, or --today for the working tree), as the rule judges it; one this change
    # added comes first.
    near = [r for r in new.rescoped if abs((r.date - changed_on).days) <= RESCOPE_WINDOW_DAYS]
    added_near = [r for r in near if r not in old.rescoped]
    covering = (added_near or near)[-1] if near else None
    for change in changes:
        kid = change.subject.rsplit("/", 1)[1]
        kr_before = next((k for k in before.key_results if k.id == kid), None) if before else None
        kr_after = next((k for k in after.key_results if k.id == kid), None) if after else None
        # A value set where the base held none moves no goalpost, as OKR601 judges it (a ``min``
        # added beside a ``max``, a baseline written in at last): no rescoped entry is asked of it.
        # Only history tells it from a value set, taken out and set again (which OKR601 flags):
        # unless it says no commit of the change moved it, the line asks for an entry.
        set_where_none = _set_where_none(change) and moved is not None and _goalpost_key(change) not in moved
        if set_where_none:
            change.data["set_where_none"] = True
        change.data.update(
            {
                "cycle": str(new.cycle),
                "cycle_start": cycle.start if cycle else None,
                "cycle_started": started,
                "rescoped": {"date": covering.date, "note": covering.note} if covering and not set_where_none else None,
                "effect": {
                    "key_result": {
                        "progress": [
                            _share(kr_before.progress if kr_before else None),
                            _share(kr_after.progress if kr_after else None),
                        ],
                        # A pace moves the expected progress, and with it the status, not the progress.
                        "expected": [
                            _share(kr_before.expected if kr_before else None),
                            _share(kr_after.expected if kr_after else None),
                        ],
                        "status": [kr_before.status if kr_before else None, kr_after.status if kr_after else None],
                    },
                    "objective": {
                        "progress": [
                            _share(before.progress if before else None),
                            _share(after.progress if after else None),
                        ],
                        "expected": [
                            _share(before.expected if before else None),
                            _share(after.expected if after else None),
                        ],
                        "status": [before.status if before else None, after.status if after else None],
                    },
                },
            }
        )


def _share(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


# ----- alignment ----------------------------------------------------------------------------------
def _links(repo: Repo, objective: Objective) -> dict[str, Link]:
    from okrctl.analysis.alignment import links_of

    return {link.ref: link for link in links_of(repo, objective)}


def _alignment_changes(base: Repo, head: Repo) -> list[Change]:
    out: list[Change] = []
    for oid in sorted(set(base.objectives) & set(head.objectives)):
        old: Objective = base.objectives[oid].model
        new: Objective = head.objectives[oid].model
        path = head.objectives[oid].path
        before = {a.to: a.type for a in old.aligns}
        after = {a.to: a.type for a in new.aligns}
        # A parent the objective still names but that the change removed (an objective, a key
        # result, a priority or a strategy): the objective loses it without a line of its own file.
        gone = {ref for ref in after if ref in before and _target_gone(base, head, ref)}
        if [(a.to, a.type) for a in old.aligns] == [(a.to, a.type) for a in new.aligns] and not gone:
            continue
        for ref in sorted(set(after) - set(before)):
            out.append(Change("alignment", "new-parent", oid, new.owner, path, new=ref, data={"type": after[ref]}))
        for ref in sorted(set(before) - set(after)):
            out.append(Change("alignment", "lost-parent", oid, new.owner, path, old=ref, data={"type": before[ref]}))
        for ref in sorted(set(before) & set(after)):
            if before[ref] != after[ref]:
                out.append(Change("alignment", "type", oid, new.owner, path, before[ref], after[ref], data={"to": ref}))
        for ref in sorted(gone):
            out.append(Change("alignment", "parent-gone", oid, new.owner, path, old=ref, data={"type": after[ref]}))
        # Aligned to nothing: it wrote parents and writes none, or it reached a parent on the base
        # and none now (those it still names are gone; one in a file that no longer reads is there).
        reached = any(base.resolve(ref) is not None for ref in before)
        reaches = any(
            head.resolve(ref) is not None or (ref in before and ref not in gone and base.resolve(ref) is not None)
            for ref in after
        )
        if (before and not after) or (reached and not reaches):
            out.append(Change("alignment", "aligned-to-nothing", oid, new.owner, path))
    return out


def _target_gone(base: Repo, head: Repo, ref: str) -> bool:
    """Whether the alignment target ``ref`` existed on the base and no longer does on HEAD. One in
    a file that no longer reads is still there (as ``align`` counts it): unreadable, not gone."""
    if base.resolve(ref) is None or head.resolve(ref) is not None:
        return False
    holder = ref.split("/")[0]
    doc = base.objectives.get(holder) or base.strategies.get(holder)
    return doc is None or doc.path not in _unread(head)


# ----- dependencies -------------------------------------------------------------------------------
def _acknowledged_with_errors(repo: Repo, objective_id: str, unit: str) -> bool:
    """Whether a document with errors of ``unit`` (or one whose owner cannot be read) acknowledges
    ``objective_id``, as ``align`` counts it (no OKR401): it lists the id under ``supports``, or its
    ``supports`` cannot be read (a file that is not YAML at all, read line by line)."""
    from okrctl.load.unreadable import declared_with_errors

    return any(
        found.owner in (unit, None) and (objective_id in found.supports or not found.supports)
        for found in declared_with_errors(repo).objectives
    )


def _paired_dependencies(old: Iterable[Any], new: Iterable[Any]) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Both sides' dependencies paired: (pairs, added, dropped). A dependency is the same on both
    sides when it names the same unit for the same key result (two needs of one unit for different
    key results are two dependencies); among several of one unit and key result, those with the
    same need pair first (their order is no change), then the rest in the order written."""
    groups: dict[tuple[str, str], tuple[list[Any], list[Any]]] = {}
    for side, dependencies in ((0, old), (1, new)):
        for dependency in dependencies:
            groups.setdefault((dependency.unit, dependency.for_ or ""), ([], []))[side].append(dependency)
    pairs: list[tuple[Any, Any]] = []
    added: list[Any] = []
    dropped: list[Any] = []
    for key in sorted(groups):
        olds, news = list(groups[key][0]), []
        for dependency in groups[key][1]:
            same = next((o for o in olds if o.need == dependency.need), None)
            if same is not None:
                olds.remove(same)
                pairs.append((same, dependency))
            else:
                news.append(dependency)
        pairs.extend(zip(olds, news, strict=False))
        added.extend(news[len(olds) :])
        dropped.extend(olds[len(news) :])
    return pairs, added, dropped


def _dependency_changes(base: Repo, head: Repo) -> list[Change]:
    out: list[Change] = []
    broken_on_base, broken_on_head = _unread(base), _unread(head)
    for oid in sorted(set(base.objectives) | set(head.objectives)):
        old_doc, new_doc = base.objectives.get(oid), head.objectives.get(oid)
        # An objective added or removed brings or takes its dependencies with it (their providers
        # review it); one whose file does not read on the other side is not compared.
        if old_doc is None and new_doc is not None and new_doc.path in broken_on_base:
            continue
        if new_doc is None and old_doc is not None and old_doc.path in broken_on_head:
            continue
        side = new_doc or old_doc
        assert side is not None
        old: Objective = (old_doc or side).model
        new: Objective = side.model
        path = side.path
        pairs, added, dropped = _paired_dependencies(
            old.depends_on if old_doc is not None else [], new.depends_on if new_doc is not None else []
        )
        for dep in added:
            out.append(
                Change(
                    "dependencies",
                    "added",
                    oid,
                    new.owner,
                    path,
                    data={
                        "unit": dep.unit,
                        "need": dep.need,
                        "for": dep.for_,
                        "acknowledged": bool(acknowledging(head, new, dep.unit))
                        or _acknowledged_with_errors(head, oid, dep.unit),
                    },
                )
            )
        for dep in dropped:
            out.append(
                Change(
                    "dependencies",
                    "dropped",
                    oid,
                    new.owner,
                    path,
                    data={"unit": dep.unit, "need": dep.need, "for": dep.for_},
                )
            )
        for was_dep, now_dep in pairs:
            if was_dep.need != now_dep.need:
                out.append(
                    Change(
                        "dependencies",
                        "need",
                        oid,
                        new.owner,
                        path,
                        was_dep.need,
                        now_dep.need,
                        data={"unit": now_dep.unit, "need": now_dep.need, "for": now_dep.for_},
                    )
                )
        # Acknowledgement is of the objective by a unit (its ``supports``): told once per unit that
        # it depends on on both sides.
        for unit in sorted({now_dep.unit for _, now_dep in pairs}):
            first = next(now_dep for _, now_dep in pairs if now_dep.unit == unit)
            was, now = acknowledging(base, old, unit), acknowledging(head, new, unit)
            # A side without a valid acknowledgement may still hold one in a document with errors,
            # as ``align`` counts it: a file broken or mended is no acknowledgement withdrawn or given.
            if bool(was) != bool(now) and not _acknowledged_with_errors(head if was else base, oid, unit):
                # Said by the provider's objective (its ``supports``): the provider made this change.
                by = (now or was)[0]
                out.append(
                    Change(
                        "dependencies",
                        "acknowledged" if now else "unacknowledged",
                        oid,
                        unit,
                        by.path,
                        data={
                            "unit": unit,
                            "need": first.need,
                            "for": first.for_,
                            "by": by.model.id,
                            "dependant": new.owner,
                        },
                    )
                )
    return out


# ----- priorities, strategy, units, config ----------------------------------------------------------
def _priority_changes(base: Repo, head: Repo, base_index: AlignmentIndex, head_index: AlignmentIndex) -> list[Change]:
    out: list[Change] = []
    # An objective whose file no longer reads still serves what it aligns to (as ``align`` counts
    # it): its priority loses no contributor through it.
    broken_on_head = _unread(head)
    unread = {oid for oid, doc in base.objectives.items() if oid not in head.objectives and doc.path in broken_on_head}
    for sid in sorted(set(base.strategies) & set(head.strategies)):
        old: Strategy = base.strategies[sid].model
        new: Strategy = head.strategies[sid].model
        if base.cycle(str(old.cycle)) is None or head.cycle(str(new.cycle)) is None:
            continue  # no objective serves a strategy of an unknown cycle (align: its OKR104, no OKR202)
        kept = [p.id for p in new.priorities if any(q.id == p.id for q in old.priorities)]
        for pid in kept:
            ref = f"{sid}/{pid}"
            # Counted as align counts them (OKR202): objectives of a cycle that overlaps the strategy's.
            # An objective whose cycle is unknown on the other side still serves it, as align counts
            # it (an okrctl.yaml that cannot be read leaves every declared cycle unknown).
            was = priority_contributors(base, base_index, old, pid)
            now = priority_contributors(head, head_index, new, pid)
            if was and not now and not set(was) & unread and not aligned_while_unplaced(head, ref, sid):
                out.append(
                    Change("priorities", "lost-last", ref, new.owner, head.strategies[sid].path, data={"former": was})
                )
            elif now and not was and not aligned_while_unplaced(base, ref, sid):
                out.append(
                    Change("priorities", "first", ref, new.owner, head.strategies[sid].path, data={"contributors": now})
                )
    return out


def _appeared(
    section: str, subject: str, owner: str, doc: Doc, added: bool, data: dict[str, Any], broken: set[str]
) -> Change:
    """A subject that exists on one side only (a strategy, a unit): added or removed, or, when its
    file does not read on the other side (``broken``), readable again or no longer readable."""
    kinds = ("readable", "unreadable") if doc.path in broken else ("added", "removed")
    return Change(section, kinds[0] if added else kinds[1], subject, owner, doc.path, data=data)


# The files each side of the comparison under way counts as unreadable (``_compared``), by ``id``.
_UNREAD_NOW: ContextVar[dict[int, set[str]] | None] = ContextVar("_UNREAD_NOW", default=None)


def _unread(repo: Repo) -> set[str]:
    """The files of one side that do not read (their documents are missing from it, not removed);
    during a comparison, with the former or new paths of the renamed ones (``_compared``)."""
    known = _UNREAD_NOW.get()
    if known is not None and id(repo) in known:
        return known[id(repo)]
    return {f.path for f in repo.unread_findings()}


def _broken_elsewhere(base: Repo, head: Repo, added: bool) -> set[str]:
    """The files that do not read on the side a subject is missing from."""
    return _unread(base if added else head)


def _field_moves(section: str, subject: str, owner: str, path: str, fields: list[tuple[str, Any, Any]]) -> list[Change]:
    """One change per (kind, old, new) whose two values differ."""
    return [Change(section, kind, subject, owner, path, was, now) for kind, was, now in fields if was != now]


def _strategy_changes(base: Repo, head: Repo) -> list[Change]:
    out: list[Change] = []
    for sid in sorted(set(base.strategies) | set(head.strategies)):
        old_doc, new_doc = base.strategies.get(sid), head.strategies.get(sid)
        if old_doc is None or new_doc is None:
            doc = new_doc or old_doc
            assert doc is not None
            model: Strategy = doc.model
            facts = {"cycle": str(model.cycle), "priorities": [p.id for p in model.priorities]}
            added = old_doc is None
            out.append(_appeared("strategy", sid, model.owner, doc, added, facts, _broken_elsewhere(base, head, added)))
            continue
        old: Strategy = old_doc.model
        new: Strategy = new_doc.model
        path = new_doc.path
        out += _field_moves(
            "strategy",
            sid,
            new.owner,
            path,
            [
                ("vision", old.vision, new.vision),
                ("owner", old.owner, new.owner),
                ("cycle", str(old.cycle), str(new.cycle)),
            ],
        )
        before = {p.id: p.title for p in old.priorities}
        after = {p.id: p.title for p in new.priorities}
        for pid in [p.id for p in new.priorities if p.id not in before]:
            out.append(Change("strategy", "priority-added", f"{sid}/{pid}", new.owner, path, new=after[pid]))
        for pid in [p.id for p in old.priorities if p.id not in after]:
            out.append(Change("strategy", "priority-removed", f"{sid}/{pid}", new.owner, path, old=before[pid]))
        for pid in [p.id for p in new.priorities if p.id in before and before[p.id] != after[p.id]]:
            out.append(
                Change("strategy", "priority-retitled", f"{sid}/{pid}", new.owner, path, before[pid], after[pid])
            )
        for text in [t for t in new.not_doing if t not in old.not_doing]:
            out.append(Change("strategy", "not-doing-added", sid, new.owner, path, new=text))
        for text in [t for t in old.not_doing if t not in new.not_doing]:
            out.append(Change("strategy", "not-doing-removed", sid, new.owner, path, old=text))
    return out


def _unit_changes(base: Repo, head: Repo) -> list[Change]:
    out: list[Change] = []
    declared: list[BrokenIndex] = []  # the base's broken documents, worked out once when asked
    for uid in sorted(set(base.units) | set(head.units)):
        old_doc, new_doc = base.units.get(uid), head.units.get(uid)
        if old_doc is None or new_doc is None:
            doc = new_doc or old_doc
            assert doc is not None
            model: Unit = doc.model
            facts = {"parent": model.parent, "type": model.type, "name": model.display_name}
            added = old_doc is None
            broken = _broken_elsewhere(base, head, added)
            # The unit above reviews it; under a parent that is no unit (OKR104), the top unit.
            known = model.parent is not None and (model.parent in head.units or model.parent in base.units)
            reviewer = model.parent if known and model.parent else (head.root_unit() or base.root_unit() or uid)
            if added and (doc.path in broken or uid in _declared_above(base, uid, declared)[1].units):
                # Its file did not read on the base (mended there, or moved and mended, or the unit
                # written anew elsewhere): the unit above it as the base declares it, never the
                # parent the change writes (it would choose its approvers), else the base's top unit.
                reviewer = _declared_above(base, uid, declared)[0] or base.root_unit() or reviewer
            out.append(_appeared("units", uid, reviewer, doc, added, facts, broken))
            continue
        old: Unit = old_doc.model
        new: Unit = new_doc.model
        path = new_doc.path
        # A unit's own file is its parent's to review (CODEOWNERS gives it to the unit above it, the
        # top unit's to itself), as the base has it: a unit never approves its own new members.
        reviewer = old.parent or uid
        out += _field_moves(
            "units",
            uid,
            reviewer,
            path,
            [
                ("parent", old.parent, new.parent),
                ("renamed", old.display_name, new.display_name),
                ("type", old.type, new.type),
            ],
        )
        # An address written in another case is the same person: no one joined or left.
        before, after = {m.lower() for m in old.members}, {m.lower() for m in new.members}
        joined = [m for m in new.people if m.lower() not in before]
        left = [m for m in old.people if m.lower() not in after]
        if joined or left:
            out.append(Change("units", "members", uid, reviewer, path, data={"joined": joined, "left": left}))
    return out


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return out
    return {prefix: value}


def _config_changes(base: Repo, head: Repo) -> list[Change]:
    from okrctl.load.discover import CONFIG_NAME

    root = head.root_unit() or base.root_unit()
    settings = {id(side): _settings_written(side) for side in (base, head)}
    # An okrctl.yaml that is not YAML at all declares nothing (nor one of which nothing validates):
    # its settings are not "the defaults" and are not compared; the change says it no longer reads
    # (its finding says why).
    unreadable = [
        side
        for side in (base, head)
        if settings[id(side)] is None or any(f.path == CONFIG_NAME and f.code == "OKR100" for f in side.file_findings)
    ]
    if unreadable:
        if unreadable == [head]:
            return [Change("config", "unreadable", CONFIG_NAME, root, CONFIG_NAME)]
        if unreadable == [base]:
            return [Change("config", "readable", CONFIG_NAME, root, CONFIG_NAME)]
        return []
    before, after = settings[id(base)] or {}, settings[id(head)] or {}
    return [
        Change("config", "changed", key, root, CONFIG_NAME, before.get(key), after.get(key))
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key) and key not in ("apiVersion", "kind")
    ]


def _settings_written(repo: Repo) -> dict[str, Any] | None:
    """Every setting of one side, by its dotted key: what the Config declares, and a value that a
    broken okrctl.yaml writes and okrctl refuses (OKR101) as written, never the default that stands
    in for it. A refused section takes the place of the settings it writes only: one it leaves out
    keeps its default, as in a valid file. None when nothing of the file could be kept."""
    from okrctl.load.declared import refused_settings
    from okrctl.load.discover import CONFIG_NAME

    refused = refused_settings(repo.docs_at(CONFIG_NAME)) if repo.config_doc is None else []
    if refused is None:
        return None
    settings = _flatten(repo.config.model_dump(mode="json", by_alias=True))
    for keys, value in refused:
        settings.pop(".".join(keys), None)
        settings.update(_flatten(value, ".".join(keys)))
    return settings


# ----- check-ins and retros -----------------------------------------------------------------------
def _said(doc: Doc) -> tuple[Any, frozenset[str]]:
    """What a valid document says: its values and which fields it writes (a loaded check-in keeps
    no raw data, see ``load.pipeline``)."""
    return doc.model, frozenset(doc.model.model_fields_set)


def _pairs(old: Iterable[Doc], new: Iterable[Doc], key: Any) -> list[tuple[Any, Doc | None, Doc | None]]:
    """The documents of both sides paired as the same document: by path where the path holds the
    same key (owner, date …) on both sides, then by key among the rest in path order (a file that
    moved). What is left is added or removed: a second check-in of a date shows as added, never
    hidden behind the first. Each pair comes with its key, the pairs sorted by key and path."""
    old_by_path = {d.path: d for d in old}
    new_by_path = {d.path: d for d in new}
    pairs: list[tuple[Any, Doc | None, Doc | None]] = []
    old_rest: dict[Any, list[Doc]] = defaultdict(list)
    new_rest: dict[Any, list[Doc]] = defaultdict(list)
    for path, before in old_by_path.items():
        after = new_by_path.get(path)
        if after is not None and key(after.model) == key(before.model):
            pairs.append((key(before.model), before, after))
        else:
            old_rest[key(before.model)].append(before)
    paired = {id(after) for _key, _before, after in pairs}
    for after in new_by_path.values():
        if id(after) not in paired:
            new_rest[key(after.model)].append(after)
    for k in set(old_rest) | set(new_rest):
        befores = sorted(old_rest.get(k, []), key=lambda d: d.path)
        afters = sorted(new_rest.get(k, []), key=lambda d: d.path)
        for i in range(max(len(befores), len(afters))):
            pairs.append((k, befores[i] if i < len(befores) else None, afters[i] if i < len(afters) else None))
    pairs.sort(key=lambda p: (p[0], (p[2] or p[1]).path))  # type: ignore[union-attr]
    return pairs


def _last_confidence(checkins: list[CheckIn]) -> Any:
    for checkin in reversed(checkins):
        if checkin.confidence is not None:
            return checkin.confidence
    return None


def _confidence_move(old: Any, new: Any) -> dict[str, list[Any]]:
    """Per objective (or "" for one number on both sides): the team's latest confidence before and
    after, each a number or None, changed or not (a pair of two None left out). One number on one
    side and one per objective on the other: that number is every objective's."""
    if not isinstance(old, dict) and not isinstance(new, dict):
        return {"": [old, new]} if old != new or old is not None else {}
    before = old if isinstance(old, dict) else None
    after = new if isinstance(new, dict) else None
    ids = sorted(set(before or {}) | set(after or {}))

    def at(side: Any, per_objective: dict[str, Any] | None, objective_id: str) -> Any:
        return per_objective.get(objective_id) if per_objective is not None else side

    moves = {i: [at(old, before, i), at(new, after, i)] for i in ids}
    return {i: pair for i, pair in moves.items() if pair[0] != pair[1] or pair[0] is not None}


def _activity_changes(base: Repo, head: Repo) -> list[Change]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    paths: dict[str, str] = {}
    dates: dict[str, set[date]] = defaultdict(set)
    # A check-in read from the same bytes on both sides is one document (``load.gitref.Shared``):
    # unchanged without a look at what it says.
    broken_on_base, broken_on_head = _unread(base), _unread(head)

    def kind_of(before: Doc | None, after: Doc | None) -> str:
        """added, removed, changed, or "" (the same); in a file that does not read on the other
        side, readable or unreadable instead of added or removed."""
        if before is None:
            assert after is not None
            return "readable" if after.path in broken_on_base else "added"
        if after is None:
            return "unreadable" if before.path in broken_on_head else "removed"
        if before is after:
            return ""
        return "changed" if _said(before) != _said(after) else ""

    sides: list[tuple[str, list[Doc], list[Doc], Any]] = [
        ("checkins", base.checkins, head.checkins, lambda m: (m.owner, m.date)),
        ("readings", base.readings, head.readings, lambda m: (m.owner, m.date)),
        ("retros", base.retros, head.retros, lambda m: (m.owner, str(m.cycle), m.stage)),
    ]
    for prefix, old, new, key in sides:
        for k, before, after in _pairs(old, new, key):
            kind = kind_of(before, after)
            if kind:
                owner = k[0]
                counts[owner][f"{prefix}_{kind}"] += 1
                if prefix != "retros":
                    dates[owner].add(k[1])
                paths.setdefault(owner, (after or before).path)  # type: ignore[union-attr]
    out: list[Change] = []
    for owner in sorted(counts):
        move = _confidence_move(
            _last_confidence([d.model for d in base.checkins_of(owner)]),
            _last_confidence([d.model for d in head.checkins_of(owner)]),
        )
        tally = counts[owner]
        data: dict[str, Any] = {
            name: tally.get(name, 0)
            for name in (
                "checkins_added",
                "checkins_changed",
                "checkins_removed",
                "checkins_readable",
                "checkins_unreadable",
                "readings_added",
                "readings_changed",
                "readings_removed",
                "readings_readable",
                "readings_unreadable",
                "retros_added",
                "retros_changed",
                "retros_removed",
                "retros_readable",
                "retros_unreadable",
            )
        }
        data["dates"] = sorted(dates[owner])
        data["confidence"] = move
        out.append(Change("activity", "team", owner, owner, paths.get(owner), data=data))
    return out


# ----- reviewers ----------------------------------------------------------------------------------
_VERBS = ("own", "adopt", "align to", "are served by", "are needed by", "depend on", "wrote")


def _affected_by(index: AlignmentIndex, ref: str) -> list[tuple[str, Link]]:
    """Objectives aligned (transitively) to ``ref`` (an objective, or objective/kr), with their first link."""
    objective_id, _, kr_id = ref.partition("/")
    found: list[tuple[str, Link]] = []
    tops: set[str] = set()
    for contribution in index.contributors(objective_id):
        if contribution.depth == 1:
            if kr_id and contribution.link.key_result != kr_id:
                continue
            tops.add(contribution.objective_id)
            found.append((contribution.objective_id, contribution.link))
        elif contribution.via and contribution.via[0] in tops:
            found.append((contribution.objective_id, contribution.link))
    return found


def _reviewers(
    base: Repo,
    head: Repo,
    changes: list[Change],
    base_index: AlignmentIndex,
    head_index: AlignmentIndex,
    not_compared: tuple[str, ...] | list[str] = (),
) -> list[Reviewer]:
    reasons: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    owners: set[str] = set()
    broken: list[BrokenIndex] = []  # the base's broken documents, worked out once when asked
    for path in not_compared:
        # A file with errors on both sides that changed: what changed in it is not shown, but it
        # is reviewed all the same, by the owners its documents declare on the base (a unit's file
        # by the unit above it), else by the base's top unit: never by whom the change names.
        for owner in _declared_owners(base, path, broken) or [base.root_unit() or _declared_top(base, broken)]:
            if owner:
                reasons[owner]["own"].add(path)
                owners.add(owner)
    # Objectives whose own file changed what they align to (an objective left aligned to nothing
    # by anything else lost its parents to another file's change).
    realigned = {
        c.subject for c in changes if c.section == "alignment" and c.kind in ("new-parent", "lost-parent", "type")
    }
    for change in changes:
        if change.section == "alignment" and (
            change.kind == "parent-gone" or (change.kind == "aligned-to-nothing" and change.subject not in realigned)
        ):
            # Its parent was removed by a change elsewhere: its team is asked as one that aligned to
            # what was removed, never as the author of a change it did not make.
            if change.kind == "parent-gone" and change.owner:
                target = base.resolve(change.old)
                explicit_kr = change.data["type"] == "explicit" and target is not None and target.kind == "key_result"
                reasons[change.owner]["adopt" if explicit_kr else "align to"].add(change.old)
            continue
        if change.owner:
            owners.add(change.owner)
            if change.section == "activity":
                for prefix, what in (("checkins", "check-ins"), ("readings", "readings"), ("retros", "retros")):
                    if any(n for k, n in change.data.items() if k.startswith(f"{prefix}_") and isinstance(n, int)):
                        reasons[change.owner]["wrote"].add(what)
            else:
                # An acknowledgement is said by the provider's own objective (``by``).
                reasons[change.owner]["own"].add(change.data.get("by") or change.subject)
        if change.section in ("objectives", "strategy") and change.kind == "owner" and change.old:
            reasons[change.old]["own"].add(change.subject)  # the unit giving it away is asked too
            owners.add(change.old)
        if change.section == "units" and change.kind == "parent" and change.new and head.unit(change.new):
            reasons[change.new]["own"].add(change.subject)  # the unit it moves under is asked too
            owners.add(change.new)
        if change.section == "dependencies":
            reasons[change.data["unit"]]["are needed by"].add(change.subject)
            if change.data.get("dependant") and change.data["dependant"] != change.owner:
                reasons[change.data["dependant"]]["depend on"].add(change.data["by"])
        if change.section == "objectives" and change.kind == "removed":
            # The objectives it aligned to lose a contributor: their owners review it.
            gone = base.objective(change.subject)
            for alignment in gone.aligns if gone is not None else []:
                parent = base.objective(alignment.to.split("/")[0])
                if parent is not None and parent.owner != change.owner:
                    reasons[parent.owner]["are served by"].add(change.subject)
        # What the team's own file says of its work (links, acknowledgements, rescoped notes) or a
        # duplicate of the id is no change of what others align to: only its owner reviews it.
        own_only = change.section == "objectives" and change.kind in ("work", "supports", "rescoped", "duplicated")
        if change.section in ("objectives", "key_results", "goalposts", "alignment") and not own_only:
            # Who aligns to it now; for something removed, who aligned to it before.
            removed = change.kind in ("removed", "unreadable")
            for index, repo in ((base_index, base),) if removed else ((head_index, head),):
                for objective_id, link in _affected_by(index, change.subject):
                    objective = repo.objective(objective_id)
                    if objective is None:
                        continue
                    verb = "adopt" if link.type == "explicit" and link.key_result else "align to"
                    reasons[objective.owner][verb].add(
                        link.ref if link.target == change.subject.split("/")[0] else change.subject
                    )
    out: list[Reviewer] = []
    for unit_id, by_verb in reasons.items():
        unit = head.unit(unit_id) or base.unit(unit_id)
        # Who reviews is who the base says: the change's own member lists would let it name its
        # approvers (a member added by it, or the whole list replaced). A unit it adds has no other.
        people = _members_asked(base, head, unit_id, unit, broken)
        out.append(
            Reviewer(
                unit_id,
                unit.display_name if unit else unit_id,
                people,
                [Reason(verb, tuple(sorted(by_verb[verb]))) for verb in _VERBS if verb in by_verb],
                affected=unit_id not in owners,
            )
        )
    out.sort(key=lambda r: (r.affected, r.unit))
    return out


def _members_asked(base: Repo, head: Repo, unit_id: str, unit: Unit | None, broken: list[BrokenIndex]) -> list[str]:
    """The members asked to review for ``unit_id``: those the base names. A unit the change adds has
    no others: those it names. One the base holds but could not read (a broken file the change
    mends, renamed or not) is asked through the nearest unit above it that the base declares, else
    the base's top unit; with none, nobody is named: the change's own list, or the parent it
    writes, would let it choose its approvers."""
    known = base.unit(unit_id)
    if known is not None:
        return list(known.people)
    declared = _declared_on_base(base, broken)
    doc = head.units.get(unit_id)
    maybe_there = (
        unit_id in declared.units or declared.unit_without_id() or (doc is not None and doc.path in base.digests)
    )
    if not maybe_there:
        return list(unit.people) if unit is not None else []
    # The parent as the base's broken file declares it, never the change's: a change that mends
    # the file could put the unit under a unit of its choosing.
    above, index = _declared_above(base, unit_id, broken)
    if above is not None:
        found = base.unit(above)
        return list(found.people) if found is not None else []
    own = [d for d in index.documents if d.kind == "Unit" and d.id == unit_id and _declares_no_parent(d)]
    if len(own) == 1 and base.root_unit() is None and _declared_top(base, broken) == unit_id:
        # The top unit's own file did not read on the base: no unit is above it, so the addresses
        # the base's file lists for it (the base's words, never the change's) are asked, each
        # person once as first written (``Unit.people``).
        from okrctl.model.unit import is_address

        listed = own[0].doc.data.get("members")
        seen: set[str] = set()
        people: list[str] = []
        for address in listed if isinstance(listed, list) else []:
            if is_address(address) and address.lower() not in seen:
                seen.add(address.lower())
                people.append(address)
        return people
    top = base.root_unit()
    return list(base.units[top].model.people) if top is not None and top != unit_id else []


def _declared_top(base: Repo, broken: list[BrokenIndex]) -> str:
    """The top unit as the base's broken documents declare it (a Unit without a parent), when the
    base's own top unit did not read: "" when none does."""
    _above, index = _declared_above(base, "", broken)
    tops = [d.id for d in index.documents if d.kind == "Unit" and d.id and _declares_no_parent(d)]
    return tops[0] if len(tops) == 1 else ""


def _declares_no_parent(declared: Any) -> bool:
    """Whether a broken Unit document writes no parent at all (the top unit): a parent written but
    not valid (``parent: Digital Services``, or under a misspelt key, ``Parent:``) is some unit's,
    not none."""
    from okrctl.load.declared import writes_field

    data = declared.doc.data
    return isinstance(data, dict) and not writes_field("Unit", data, "parent")


def _declared_owners(base: Repo, path: str, broken: list[BrokenIndex]) -> list[str]:
    """The units that own the broken documents of ``path`` on the base, as they declare them (a
    unit's own document: the unit above it, as the base declares that)."""
    _above, index = _declared_above(base, "", broken)
    found: list[str] = []
    for declared in index.documents:
        if declared.doc.path != path:
            continue
        if declared.kind == "Unit":
            owner = _declared_above(base, declared.id, broken)[0] if declared.id else None
            if (
                owner is None
                and declared.id
                and _declares_no_parent(declared)
                and _declared_top(base, broken) == declared.id
            ):
                owner = declared.id  # the top unit's own file is its own to review, as CODEOWNERS has it
        else:
            # A unit the base holds, or declares in a broken file of its own (its members are then
            # asked through the unit above it: ``_members_asked``).
            known = declared.owner is not None and (
                base.unit(declared.owner) is not None or declared.owner in index.units
            )
            owner = declared.owner if known else None
        if owner and owner not in found:
            found.append(owner)
    return found


def _declared_on_base(base: Repo, broken: list[BrokenIndex]) -> BrokenIndex:
    """What the base's documents with errors declare, as ``align`` reads them: those of a file that
    is not YAML at all line by line (``load.unreadable``), whose ``owner:`` or ``parent:`` is the
    base's word all the same. Worked out once into ``broken``."""
    if not broken:
        from okrctl.load.unreadable import declared_with_errors

        broken.append(declared_with_errors(base))
    return broken[0]


def _declared_above(base: Repo, unit_id: str, broken: list[BrokenIndex]) -> tuple[str | None, BrokenIndex]:
    """The nearest unit the base holds above ``unit_id``, following the parents the base's broken
    documents declare (None when they lead to none); with the base's ``BrokenIndex`` (worked out
    once into ``broken``)."""
    index = _declared_on_base(base, broken)
    met = {unit_id}
    parent = next((d.parent for d in index.documents if d.kind == "Unit" and d.id == unit_id), None)
    while parent and parent not in met:
        if base.unit(parent) is not None:
            return parent, index
        met.add(parent)
        parent = next((d.parent for d in index.documents if d.kind == "Unit" and d.id == parent), None)
    return None, index


# ----- findings -----------------------------------------------------------------------------------
def finding_key(finding: Finding) -> tuple[str, str, str]:
    """What identifies a finding across two versions: its fingerprint (what it is about, never its line),
    the same one ``align --baseline`` compares; (code, path, message) for a finding built without one."""
    if finding.fingerprint:
        return ("fingerprint", finding.fingerprint, "")
    return (finding.code, finding.path, finding.message)


def new_findings(base: list[Finding], head: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(introduced, resolved): findings of ``head`` that ``base`` did not have, and the reverse.

    Introduced as ``align --baseline`` judges new (``rules.baseline.classify``): a finding only the
    calendar raises never is, and one that stops every view (a broken okrctl.yaml) always is."""
    before = Counter(finding_key(f) for f in base)
    after = Counter(finding_key(f) for f in head)
    introduced: list[Finding] = []
    for finding in head:
        key = finding_key(finding)
        had = before[key] > 0
        if had:
            before[key] -= 1
        if finding.stops_views or (not had and finding.trigger != TRIGGER_TIME):
            introduced.append(finding)
    resolved: list[Finding] = []
    for finding in base:
        key = finding_key(finding)
        if after[key] > 0:
            after[key] -= 1
        else:
            resolved.append(finding)
    return introduced, resolved


def _config_first(by_file: dict[str, list[Finding]]) -> dict[str, list[Finding]]:
    """``by_file`` with okrctl.yaml first, then the other files in path order."""
    from okrctl.load.discover import CONFIG_NAME

    return dict(sorted(by_file.items(), key=lambda item: (item[0] != CONFIG_NAME, item[0])))


def _not_judged(head: Repo, gone: list[Finding], unread_head: set[str]) -> dict[int, str]:
    """Of the base's findings ``head`` lacks (at HEAD's paths), those HEAD could not judge, by
    ``id``, with the file whose errors kept it from judging them: okrctl.yaml, which refuses a
    setting their rule judges by or cannot be read at all (the rule is skipped), or their own file,
    which has errors on HEAD that leave out the document they are about. Such a finding is not
    resolved: no rule looked at it. The file rules judge a file with errors too: theirs are."""
    from okrctl.catalog import RULES
    from okrctl.load.discover import CONFIG_NAME

    out: dict[int, str] = {}
    for finding in gone:
        rule = RULES.get(finding.code)
        if head.rule_skipped(finding.code):
            out[id(finding)] = CONFIG_NAME
        elif finding.path in unread_head and rule is not None and rule.family != "files":
            about = finding.about.partition("|")[0]  # the document, "Objective:cards-q4"
            read = {identity(doc.data, doc.kind) for doc in head.docs_at(finding.path) if doc.valid}
            if not about or about not in read:
                out[id(finding)] = finding.path
    return out


# ----- all together -------------------------------------------------------------------------------
# Kinds whose id a new file can repeat, with the ``Repo`` mappings that share their ids: objectives
# and strategies share one namespace (the first document in path order holds an id, of either kind).
_Kind = type[Objective] | type[Unit] | type[Strategy]
_DUPLICABLE: tuple[tuple[_Kind, tuple[str, ...]], ...] = (
    (Objective, ("objectives", "strategies")),
    (Unit, ("units",)),
    (Strategy, ("strategies", "objectives")),
)


def _holder(repo: Repo, mappings: tuple[str, ...], oid: str) -> Doc | None:
    """The document ``oid`` names in ``repo`` among ``mappings`` (one namespace)."""
    for mapping in mappings:
        doc: Doc | None = getattr(repo, mapping).get(oid)
        if doc is not None:
            return doc
    return None


def _displaced(base: Repo, head: Repo, kind: _Kind, mappings: tuple[str, ...], moves: dict[str, str]) -> dict[str, Doc]:
    """Documents of ``kind`` whose id another file took on HEAD: the file holding it on the base
    still holds it (at its path, or where git pairs it as renamed: ``moves``), but a file that
    sorts first now does (OKR102; an objective may take a strategy's id, and the other way round),
    so the id names that file's document. By id, the base's document that is still there."""
    out: dict[str, Doc] = {}
    for oid, was in getattr(base, mappings[0]).items():
        where = moves.get(was.path, was.path)
        now = _holder(head, mappings, oid)
        if now is None or (now.path == where and isinstance(now.model, kind)):
            continue
        for doc in head.docs_at(where):
            if isinstance(doc.model, kind) and doc.model.id == oid:
                out[oid] = doc
                break
    return out


def _duplicate_lines(base: Repo, head: Repo, moves: dict[str, str]) -> list[Change]:
    """An objective, unit or strategy added with an id another file already holds is a duplicate,
    not a change of the one that holds the id: one line tells it. (The documents that hold the id
    on both sides are compared with each other: ``_like_with_like``.)"""
    lines: list[Change] = []
    for kind, mappings in _DUPLICABLE:
        lines += _duplicates_of(base, head, kind, mappings, moves)
    return lines


def _counts(repo: Repo, mappings: tuple[str, ...]) -> Counter[str]:
    """How many documents of the namespace of ``mappings`` each id names in ``repo``."""
    kinds = tuple({"objectives": Objective, "strategies": Strategy, "units": Unit}[m] for m in mappings)
    return Counter(d.model.id for d in repo.docs if isinstance(d.model, kinds))


def _duplicates_of(
    base: Repo, head: Repo, kind: _Kind, mappings: tuple[str, ...], moves: dict[str, str]
) -> list[Change]:
    # An id the base held twice already is no duplicate this change adds (a file renamed, say),
    # unless the change holds it more often still.
    before, after = _counts(base, mappings), _counts(head, mappings)
    kept_twice = {oid for oid, count in before.items() if count > 1 and after.get(oid, 0) <= count}
    displaced = {
        oid: doc for oid, doc in _displaced(base, head, kind, mappings, moves).items() if oid not in kept_twice
    }
    told: list[tuple[str, Doc, str]] = []
    for oid, original in displaced.items():
        taken = _holder(head, mappings, oid)
        if taken is not None:
            told.append((oid, taken, original.path))
    # A new file that sorts after the one holding the id: the id still names the old document,
    # and the new one is nowhere in the comparison but for its finding.
    for doc in head.docs:
        model = doc.model
        if not isinstance(model, kind) or model.id in kept_twice:
            continue
        holder = _holder(head, mappings, model.id)
        if holder is None or holder is doc:
            continue
        still = displaced.get(model.id)
        if still is not None:
            if doc is still:
                continue  # the original, which the id named on the base
            holder = still  # a third file with the id: it repeats the original's too
        if any(isinstance(d.model, kind) and d.model.id == model.id for d in base.docs_at(doc.path)):
            continue  # the duplicate was there on the base too: no change of this diff
        told.append((model.id, doc, holder.path))
    return [
        _duplicate_line(base, head, oid, taken, also_at)
        for oid, taken, also_at in sorted(told, key=lambda t: (t[0], t[1].path))
    ]


def _like_with_like(base: Repo, head: Repo, moves: dict[str, str]) -> Repo:
    """HEAD as the two sides are compared: an id that a new file sorting first took on HEAD (OKR102)
    names the document still at the path that held it on the base (or where git pairs that file as
    renamed), and the new file's document is left out (its duplicate line tells it): comparing the
    two would tell of changes no file made (the objective moved to another owner, the unit renamed,
    the strategy removed), and leaving the original out would hide what the change did make to it
    (a target moved, a member added).
    HEAD is indexed again without the documents left out, so that what goes by owner (a team's
    objectives, the result keys its check-ins write) holds the original as what goes by id does:
    a moved target's effect counts the original owner's check-ins, and its ``supports`` still
    acknowledges. HEAD itself when no id was taken."""
    holders: dict[tuple[bool, str], Doc] = {}  # (of a unit?, id) -> the document that keeps the id
    for kind, mappings in _DUPLICABLE:
        for oid, still in _displaced(base, head, kind, mappings, moves).items():
            holders[(kind is Unit, oid)] = still
    if not holders:
        return head
    kept = [
        doc
        for doc in head.docs
        if not isinstance(doc.model, (Objective, Strategy, Unit))
        or holders.get((isinstance(doc.model, Unit), doc.model.id), doc) is doc
    ]
    return replace(head, docs=kept)


def _duplicate_line(base: Repo, head: Repo, oid: str, taken: Doc, also_at: str) -> Change:
    """The one line of an id added a second time, in the section of the document that repeats it.
    A unit's is reviewed as the unit the base holds under that id is (its parent there, else the
    top unit), never by the parent the new file writes: the change would choose its approvers."""
    model = taken.model
    if isinstance(model, Unit):
        unit = base.units.get(oid)
        reviewer = (unit.model.parent if unit is not None else None) or base.root_unit() or head.root_unit() or oid
        data = {"also_at": also_at, "type": model.type, "parent": model.parent}
        return Change("units", "duplicated", oid, reviewer, taken.path, new=model.display_name, data=data)
    if isinstance(model, Strategy):
        strategy = base.strategies.get(oid)
        owner = strategy.model.owner if strategy is not None else model.owner
        return Change(
            "strategy", "duplicated", oid, owner, taken.path, data={"also_at": also_at, "cycle": str(model.cycle)}
        )
    return Change(
        "objectives",
        "duplicated",
        oid,
        model.owner,
        taken.path,
        new=model.title,
        data={"also_at": also_at, "cycle": str(model.cycle)},
    )


def _without_told_twice(changes: list[Change]) -> list[Change]:
    """What another line tells already is not told twice: a supported id added or dropped that a
    dependency's (un)acknowledgement tells, a ``rescoped`` entry a goalpost line names as covering
    it. A change left with nothing to tell is left out."""
    told = {
        (c.data.get("by"), c.subject)
        for c in changes
        if c.section == "dependencies" and c.kind in ("acknowledged", "unacknowledged")
    }
    covering = {
        (c.subject.split("/")[0], c.data["rescoped"]["date"], c.data["rescoped"]["note"])
        for c in changes
        if c.section == "goalposts" and c.data.get("rescoped")
    }
    out: list[Change] = []
    for change in changes:
        if change.section == "objectives" and change.kind == "supports":
            change.old = [x for x in change.old if (change.subject, x) not in told]
            change.new = [x for x in change.new if (change.subject, x) not in told]
            if not change.old and not change.new:
                continue
        if change.section == "objectives" and change.kind == "rescoped":
            change.new = [e for e in change.new if (change.subject, e["date"], e["note"]) not in covering]
            if not change.old and not change.new:
                continue
        out.append(change)
    return out


def compare(
    base: Repo,
    head: Repo,
    today: date,
    *,
    base_side: Side,
    head_side: Side,
    base_findings: list[Finding] | None = None,
    head_findings: list[Finding] | None = None,
    moves: dict[str, str] | None = None,
) -> DiffReport:
    """Everything that changed from ``base`` to ``head``, and who must review it.

    ``moves`` (old path -> new path) are the files that moved: their findings are compared in their
    new place (default: the files whose bytes moved whole)."""
    if moves is None:
        moves = moved_files(base.digests, head.digests)
    duplicates = _duplicate_lines(base, head, moves)
    compared = _like_with_like(base, head, moves)
    return _compared(base, compared, today, base_side, head_side, base_findings, head_findings, moves, duplicates)


def _compared(
    base: Repo,
    head: Repo,
    today: date,
    base_side: Side,
    head_side: Side,
    base_findings: list[Finding] | None,
    head_findings: list[Finding] | None,
    moves: dict[str, str],
    duplicates: list[Change],
) -> DiffReport:
    # A file that moved keeps its findings: neither introduced nor resolved.
    unread_base, unread_head = _unread(base), _unread(head)
    # While the sides are compared, a file git pairs as renamed counts as one file: broken at its
    # new place, its former path is a file that no longer reads (its documents unreadable, not
    # removed, still serving and depending as ``align`` counts them); broken at its former place,
    # its new path is one that did not read on the base (readable again, not added).
    # (A path whose broken file moved away and that another file took is that file's now.)
    left_broken = {old: new for old, new in moves.items() if old in unread_base}
    came_broken = {old: new for old, new in moves.items() if new in unread_head}
    unread_then = (unread_base - set(left_broken)) | set(left_broken.values())  # at HEAD's paths
    token = _UNREAD_NOW.set(
        {
            id(base): unread_then,
            id(head): (unread_head - set(came_broken.values())) | set(came_broken),
        }
    )
    try:
        base_index = AlignmentIndex(base, base.objectives)
        head_index = AlignmentIndex(head, head.objectives)
        changes = (
            _objective_changes(base, head)
            + _kr_changes(base, head, today, head_side.day, (base_side.commit, head_side.commit))
            + _alignment_changes(base, head)
            + _dependency_changes(base, head)
            + _priority_changes(base, head, base_index, head_index)
            + _strategy_changes(base, head)
            + _unit_changes(base, head)
            + _config_changes(base, head)
            + _activity_changes(base, head)
        )
    finally:
        _UNREAD_NOW.reset(token)
    changes = _told_where_moved(_without_told_twice(changes), moves, unread_base) + duplicates
    order = {name: i for i, name in enumerate(SECTIONS)}
    changes.sort(key=lambda c: order[c.section])  # stable: each section keeps its own order
    before = base_findings or []
    placed = as_moved(before, moves)
    introduced, gone = new_findings(placed, head_findings or [])
    # A finding gone that HEAD could not judge is not resolved (``_not_judged``). Either is named
    # where the base had it, not at the path its file moved to.
    unjudged = _not_judged(head, gone, unread_head)
    where_it_was = {id(moved): finding for moved, finding in zip(placed, before, strict=True)}
    resolved = [where_it_was.get(id(f), f) for f in gone if id(f) not in unjudged]
    not_judged: dict[str, list[Finding]] = {}
    for f in gone:
        if id(f) in unjudged:
            not_judged.setdefault(unjudged[id(f)], []).append(where_it_was.get(id(f), f))
    unread_changed = _unread_changed(base, head, moves)
    not_compared = [shown for _was, shown in unread_changed]
    # An objective, strategy, check-in, reading or retro whose file the change mends (in place or as
    # it moves) is reviewed by the owners its documents declare on the base too, else the base's top
    # unit: the owner the mended file writes would otherwise approve it alone (a change cannot choose
    # its approvers). A team's activity is told by team, so its mended files are found by path.
    came_from = {new: old for old, new in left_broken.items()}
    activity: list[Doc[Any]] = [*head.checkins, *head.readings, *head.retros]
    mended = sorted(
        {
            c.data.get("was_at") or c.path
            for c in changes
            if c.kind == "readable" and c.section in ("objectives", "strategy") and c.path is not None
        }
        | {came_from.get(doc.path, doc.path) for doc in activity if doc.path in unread_then}
    )
    return DiffReport(
        base_side,
        head_side,
        today,
        changes,
        _reviewers(base, head, changes, base_index, head_index, [was for was, _shown in unread_changed] + mended),
        introduced,
        resolved,
        {
            "base": sorted(_unread(base)),
            "head": sorted(_unread(head)),
        },
        not_compared,
        _config_first(not_judged),
    )


def _told_where_moved(changes: list[Change], moves: dict[str, str], unread_base: set[str]) -> list[Change]:
    """A document unreadable in a file git pairs as renamed is named at the file's new place; one
    readable again in such a file says where its file had errors on the base (``was_at``)."""
    came_from = {new: old for old, new in moves.items()}
    for change in changes:
        path = change.path
        if path is None or change.section not in ("objectives", "units", "strategy"):
            continue
        if change.kind == "unreadable" and path in moves:
            change.path = moves[path]
        elif change.kind == "readable" and came_from.get(path) in unread_base:
            change.data["was_at"] = came_from[path]
    return changes


def _unread_changed(base: Repo, head: Repo, moves: dict[str, str]) -> list[tuple[str, str]]:
    """The files with errors on the base whose documents with errors cannot be compared, as (path
    on the base, path shown): changed with errors on both sides (at the same path, or at the path
    it moved to), or removed. Their owners on the base review them (``_reviewers``)."""
    unread_base, unread_head = _unread(base), _unread(head)
    out: list[tuple[str, str]] = []
    for was in sorted(unread_base):
        now = moves.get(was, was)
        if now in unread_head:
            if base.digests.get(was) != head.digests.get(now):
                out.append((was, now))
        elif now not in head.digests:
            out.append((was, was))  # removed: what it held is gone unread
    unchanged = _stored_as_on_base(base, head, [(was, now) for was, now in out if now in head.digests])
    return sorted((pair for pair in out if pair not in unchanged), key=lambda pair: pair[1])


def _stored_as_on_base(base: Repo, head: Repo, pairs: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Of ``pairs`` (path on the base, path in the working tree), those whose file git would store
    as the base's blob: in a checkout git converts (``core.autocrlf``, ``eol=crlf``, a smudge
    filter) the bytes on disk are never the blob's, so an untouched file with errors would be
    "changed" and its owners asked to review nothing. The bytes git would store are what count
    (``gitio.hashing.stored_ids``), as for a file moved with a plain ``mv``. A head read from git
    holds the stored bytes already: nothing to ask."""
    from okrctl.load.gitref import RefRepo

    if not pairs or (isinstance(head, RefRepo) and head.commit):
        return set()
    oids: dict[str, str] = getattr(base, "oids", {})
    # Only files on disk: a name the load could not read or shows with escapes is no path git can open.
    pairs = [(was, now) for was, now in pairs if oids.get(was) and (head.root / now).is_file()]
    if not pairs:
        return set()
    from okrctl.gitio.hashing import stored_ids
    from okrctl.gitio.run import GitError
    from okrctl.gitio.tree import place

    try:
        where = place(head.root)
        stored = stored_ids(where.top, [where.prefix + now for _was, now in pairs])
    except GitError:  # git missing, or no longer a work tree: each file counts as changed
        return set()
    return {(was, now) for was, now in pairs if stored.get(where.prefix + now) == oids[was]}


__all__ = [
    "SECTIONS",
    "Change",
    "DiffReport",
    "Reason",
    "Reviewer",
    "Side",
    "compare",
    "finding_key",
    "new_findings",
]
