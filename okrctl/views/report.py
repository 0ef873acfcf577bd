"""The leadership report: a unit's strategic OKRs for one month, with the team OKRs that feed them.

One view, every format: the renderers in ``okrctl/render/report/`` only lay this data out.
Everything is computed as of the end of the month or ``today``, whichever is earlier.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from okrctl import metrics
from okrctl.analysis.alignment import (
    AlignmentIndex,
    Link,
    in_overlapping_cycle,
    links_of,
    objectives_live,
    priority_served,
    served_targets,
    strategies_above,
)
from okrctl.analysis.changes import TargetChange
from okrctl.analysis.history import GOALPOSTS, committed_after
from okrctl.analysis.issues import normalise_issue
from okrctl.analysis.kr_chart import KRChart, kr_chart
from okrctl.analysis.state import ObjectiveState, drops_to_dict, objective_state
from okrctl.errors import UsageError
from okrctl.load.index import Repo
from okrctl.model.cycle import Cycle
from okrctl.views.scope import known_cycle, last_checkin_day, resolve_unit, strategy_cycles

if TYPE_CHECKING:
    from okrctl.load.pipeline import Scope
    from okrctl.views.map import AlignmentMap

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ISSUES_SHOWN = 10
MOVES_SHOWN = 5
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{2})\Z")


# ----- pieces of the report ------------------------------------------------------------------------
@dataclass
class ConfidenceMove:
    """How one objective's confidence moved over the month (from the last value before it)."""

    objective_id: str
    owner: str
    owner_name: str
    start: tuple[date, float]
    end: tuple[date, float]
    drops: list[tuple[date, date, float, float]]

    @property
    def change(self) -> float:
        # 4 − 6.9 is −2.9000000000000004 in floats: the difference as the two values were written.
        return round(self.end[1] - self.start[1], 10)

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective_id,
            "owner": self.owner,
            "from": {"date": self.start[0].isoformat(), "confidence": self.start[1]},
            "to": {"date": self.end[0].isoformat(), "confidence": self.end[1]},
            "change": self.change,
            "drops": drops_to_dict(self.drops),
        }


@dataclass(frozen=True)
class CheckinAge:
    """How old a team's data is: its last check-in (up to the report's day) and whether that is stale."""

    owner: str
    last: date | None
    days: int | None  # since the last check-in, on the day the age is measured
    stale: bool  # no check-in in the last ``stale_after_days`` (OKR501's test)

    def to_dict(self) -> dict[str, Any]:
        return {"last_checkin": self.last.isoformat() if self.last else None, "days": self.days, "stale": self.stale}


@dataclass
class Contributor:
    """An objective that feeds a strategic objective, directly or through intermediate units."""

    state: ObjectiveState
    link: Link  # its own alignment one level up
    depth: int  # 1: aligns to the strategic objective itself (or one of its KRs)
    via: tuple[str, ...]  # objectives in between, top first
    move: ConfidenceMove | None  # None: no check-in with a confidence this month
    age: CheckinAge | None = None

    @property
    def confidence_change(self) -> float | None:
        return self.move.change if self.move else None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.state.to_dict(),
            "team": self.state.owner_name,
            "aligns_to": self.link.ref,
            "link": self.link.type,
            "depth": self.depth,
            "via": list(self.via),
            "confidence_change": self.confidence_change,
            **({"data_age": self.age.to_dict()} if self.age else {}),
        }


@dataclass
class StrategicObjective:
    state: ObjectiveState
    serves: list[Link]  # what the objective itself aligns to (priorities, ancestors' objectives)
    serves_titles: dict[str, str]  # link ref → title, for display
    contributors: list[Contributor]
    move: ConfidenceMove | None
    charts: dict[str, KRChart] = field(default_factory=dict)  # KR id → its chart
    # Owned by a company or business unit: something below should align to it (as OKR202 asks).
    # A team objective serving a priority directly is shown among them, but nothing need align to it.
    strategic: bool = True

    def to_dict(self) -> dict[str, Any]:
        out = {
            **self.state.to_dict(),
            "owner_name": self.state.owner_name,
            "aligns": [{"to": link.ref, "type": link.type} for link in self.serves],
            "confidence_change": self.move.change if self.move else None,
            "contributors": [c.to_dict() for c in self.contributors],
        }
        for kr in out["key_results"]:
            chart = self.charts.get(kr["id"])
            if chart is not None:
                kr["chart"] = chart.to_dict()
        return out


@dataclass(frozen=True)
class UncoveredPriority:
    strategy_id: str
    priority_id: str
    title: str

    @property
    def ref(self) -> str:
        return f"{self.strategy_id}/{self.priority_id}"

    def to_dict(self) -> dict[str, Any]:
        return {"ref": self.ref, "title": self.title}


@dataclass
class PriorityView:
    """One strategy priority and the objectives that serve it directly, at any level of the tree."""

    strategy_id: str
    priority_id: str | None  # None: objectives that serve the whole strategy
    title: str
    objectives: list[StrategicObjective]

    @property
    def ref(self) -> str:
        return f"{self.strategy_id}/{self.priority_id}" if self.priority_id else self.strategy_id

    def to_dict(self) -> dict[str, Any]:
        return {
            "ref": self.ref,
            "title": self.title,
            "objectives": [
                {
                    "id": o.state.id,
                    "owner": o.state.owner,
                    "status": o.state.status,
                    "contributors": len(o.contributors),
                }
                for o in self.objectives
            ],
        }


@dataclass
class StrategyView:
    id: str
    owner: str
    cycle: str
    vision: str | None
    not_doing: list[str]
    priorities: list[PriorityView]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "owner": self.owner,
            "cycle": self.cycle,
            "vision": self.vision,
            "priorities": [p.to_dict() for p in self.priorities],
            "not_doing": list(self.not_doing),
        }


@dataclass
class UnitHealth:
    """A business unit at a glance: its objectives (its own and its teams') by status, and data age."""

    unit: str
    name: str
    counts: dict[str, int]
    ages: list[CheckinAge]  # one per owner of an objective in the unit's subtree

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def stale(self) -> list[str]:
        return [a.owner for a in self.ages if a.stale]

    @property
    def oldest(self) -> date | None:
        """The oldest of the teams' last check-ins (None when a team has none)."""
        dates = [a.last for a in self.ages]
        return None if not dates or None in dates else min(d for d in dates if d is not None)

    @property
    def latest(self) -> date | None:
        dates = [a.last for a in self.ages if a.last is not None]
        return max(dates) if dates else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "objectives": self.total,
            **{status: self.counts[status] for status in metrics.STATUSES},
            "teams": {a.owner: a.to_dict() for a in self.ages},
            "stale": self.stale,
        }


@dataclass
class IssueCount:
    """One issue as teams wrote it (latest spelling), counted over the month's check-ins."""

    text: str
    count: int  # check-ins that raised it
    owners: list[str]  # unit ids, sorted
    owner_names: list[str]
    first: date
    last: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "issue": self.text,
            "count": self.count,
            "owners": self.owners,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
        }


def cycle_summary(cycles: Sequence[Cycle], as_of: date) -> str:
    """ "2026-Q4 (2026-10-01 → 2026-12-31, 55% elapsed)" as of a day, or "no cycle". The share is
    written as every other share (``status``'s "gone", the "expected" beside it): a cycle under way
    never reads 0% or 100% elapsed (a year's first and last days: 0.3%, 99.7%)."""
    from okrctl.render import numbers

    return (
        ", ".join(
            f"{c.id} ({c.start} → {c.end}, {numbers.percent(metrics.elapsed_share(c, as_of))} elapsed)" for c in cycles
        )
        or "no cycle"
    )


def cycle_phrase(cycles: Sequence[Cycle], as_of: date) -> str:
    """ "cycle 2026-Q4 (…)" for a header line, or "no cycle"."""
    return f"cycle {cycle_summary(cycles, as_of)}" if cycles else "no cycle"


@dataclass
class Report:
    organization: str | None
    unit: str
    unit_name: str
    cycles: list[Cycle]
    month: str  # YYYY-MM
    month_start: date
    month_end: date
    as_of: date
    today: date
    confidence_scale: tuple[float, float]
    objectives: list[StrategicObjective]
    counts: dict[str, int]  # contributing objectives by status
    uncovered_priorities: list[UncoveredPriority]
    issues: list[IssueCount]
    confidence_moves: list[ConfidenceMove]
    moved_targets: list[TargetChange]
    # Why the history was not read ("--no-history", "not a git repository"); "" when it was: an
    # empty list then says nothing.
    moved_targets_unread: str = ""
    # A past month: targets changed after ``as_of`` up to today. The report reads the objective
    # files as they are today, so these numbers are not quite what a reader saw on ``as_of``.
    moved_since: list[TargetChange] = field(default_factory=list)
    problems: int = 0  # files or documents `align` rejects (left out of the report)
    alignment: AlignmentMap | None = field(default=None, repr=False)
    # Every objective in scope (the unit's subtree and whatever contributes to its objectives) by status.
    scope_counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(metrics.STATUSES, 0))
    organisation: bool = False  # the root unit's report: the strategy and every business unit
    strategies: list[StrategyView] = field(default_factory=list)
    business_units: list[UnitHealth] = field(default_factory=list)
    serving_nothing: list[ObjectiveState] = field(default_factory=list)  # in scope, reaching no priority
    # In scope (counted in the headline) but neither the unit's own nor contributing to them: a
    # team that aligns straight to an ancestor's objective, or to nothing. Listed, so that every
    # objective behind a count can be found.
    others: list[ObjectiveState] = field(default_factory=list)
    # The cycles of the objectives counted in the headline that are not the report's own (an
    # objective of an overlapping cycle contributing to the unit's, a team's quarter under the
    # unit's half-year), so the headline names them.
    other_cycles: list[str] = field(default_factory=list)
    ages: dict[str, CheckinAge] = field(default_factory=dict)  # owner → age of its data
    age_day: date | None = None  # the day data age is measured on
    stale_after: int = 10
    month_note: str | None = None  # why the report covers another month than today's
    # No cycle to report on (the first day of a new quarter): the latest cycle with objectives of
    # the unit or below it, for "pass --cycle … for the latest".
    latest_elsewhere: str | None = None
    # Whether a strategy of the unit or its ancestors covers the month: with none, no priority can
    # lack a contributor, and the report says there is no strategy rather than that all are served.
    has_strategy: bool = True

    owner_names: dict[str, str] = field(default_factory=dict)

    def age(self, owner: str) -> CheckinAge | None:
        return self.ages.get(owner)

    def name_of(self, owner: str) -> str:
        return self.owner_names.get(owner, owner)

    @property
    def scope_total(self) -> int:
        return sum(self.scope_counts.values())

    @property
    def stale_owners(self) -> list[str]:
        return sorted(o for o, a in self.ages.items() if a.stale)

    @property
    def contributor_total(self) -> int:
        return sum(self.counts.values())

    @property
    def unsupported(self) -> list[StrategicObjective]:
        """Strategic objectives (of a company or business unit) that nothing aligns to."""
        return [o for o in self.objectives if o.strategic and not o.contributors]

    @property
    def cycle_summary(self) -> str:
        """ "2026-Q4 (2026-10-01 → 2026-12-31, 55% elapsed)": the pace "expected" is measured against."""
        return cycle_summary(self.cycles, self.as_of)

    @property
    def cycle_phrase(self) -> str:
        """ "cycle 2026-Q4 (…)" for the header line, or "no cycle" when none covers the month."""
        return cycle_phrase(self.cycles, self.as_of)

    @property
    def month_label(self) -> str:
        return f"{MONTH_NAMES[self.month_start.month - 1]} {self.month_start.year}"

    @property
    def headline(self) -> str:
        """The one line a leader reads first: every objective in scope, by status."""
        if not self.objectives and not self.scope_total:
            where = ", ".join(c.id for c in self.cycles) or self.month_label
            latest = f" (pass --cycle {self.latest_elsewhere} for the latest)" if self.latest_elsewhere else ""
            return f"{self.unit_name} owns no objective in {where}{latest}."
        total = self.scope_total
        if total == 0:
            return "No objective aligns to these objectives yet."
        noun = "objective" if total == 1 else "objectives"
        where = ", ".join([c.id for c in self.cycles] + self.other_cycles)
        return (
            f"{total} {noun} in {where}: {self.scope_counts[metrics.ON_TRACK]} on track, "
            f"{self.scope_counts[metrics.AT_RISK]} at risk, {self.scope_counts[metrics.OFF_TRACK]} off track, "
            f"{self.scope_counts[metrics.NO_DATA]} with no check-in"
        )

    @property
    def moved_targets_read(self) -> bool:
        return not self.moved_targets_unread

    def to_dict(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "unit": {"id": self.unit, "name": self.unit_name},
            "cycles": [{"id": c.id, "start": c.start.isoformat(), "end": c.end.isoformat()} for c in self.cycles],
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "elapsed": {c.id: round(metrics.elapsed_share(c, self.as_of), 4) for c in self.cycles},
            "headline": {
                "text": self.headline,
                "objectives": self.scope_total,
                # The cycles of the counted objectives that are not the report's own (the text names them).
                "other_cycles": list(self.other_cycles),
                **{status: self.scope_counts[status] for status in metrics.STATUSES},
                "contributors": self.contributor_total,
                "contributors_by_status": dict(self.counts),
            },
            "month_note": self.month_note,
            "data_age": {
                "measured_on": self.age_day.isoformat() if self.age_day else None,
                "stale_after_days": self.stale_after,
                "teams": {owner: age.to_dict() for owner, age in sorted(self.ages.items())},
                "stale": self.stale_owners,
            },
            "strategies": [st.to_dict() for st in self.strategies],
            "business_units": [b.to_dict() for b in self.business_units],
            "serving_no_priority": [st.id for st in self.serving_nothing],
            "objectives": [o.to_dict() for o in self.objectives],
            "objectives_without_contributors": [o.state.id for o in self.unsupported],
            "other_objectives": [
                {"id": st.id, "owner": st.owner, "status": st.status, "progress": round(st.progress, 4)}
                for st in self.others
            ],
            "priorities_without_contributors": [p.to_dict() for p in self.uncovered_priorities],
            "issues": [i.to_dict() for i in self.issues],
            "confidence_moves": [m.to_dict() for m in self.confidence_moves],
            "moved_targets": [c.to_dict() for c in self.moved_targets],
            # Beside the list rather than instead of it (null), so that a consumer iterating the
            # list keeps working: false means the targets were not read, not that none moved.
            "moved_targets_read": self.moved_targets_read,
            "moved_since": [c.to_dict() for c in self.moved_since],
            "problems": self.problems,
        }


# ----- building it -----------------------------------------------------------------------------------
def parse_month(value: str) -> tuple[date, date]:
    """``YYYY-MM`` → (first day, last day)."""
    import calendar

    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        from okrctl.safetext import shown_value

        raise UsageError(f"--month: '{shown_value(value)}' is not a month YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_move(state: ObjectiveState, month_start: date, as_of: date) -> ConfidenceMove | None:
    """Confidence at the month's last check-in against the last value before the month began."""
    before = [p for p in state.confidence_series if p[0] < month_start]
    within = [p for p in state.confidence_series if month_start <= p[0] <= as_of]
    if not within:
        return None
    start = before[-1] if before else within[0]
    return ConfidenceMove(state.id, state.owner, state.owner_name, start, within[-1], metrics.drops([start, *within]))


def count_issues(repo: Repo, owners: Sequence[str], start: date, end: date) -> list[IssueCount]:
    found: dict[str, IssueCount] = {}
    for owner in owners:
        for doc in repo.checkins_of(owner):
            checkin = doc.model
            if not start <= checkin.date <= end:
                continue
            name = repo.unit_name(owner)
            for key in dict.fromkeys(normalise_issue(i) for i in checkin.issues if normalise_issue(i)):
                spelled = next(i for i in checkin.issues if normalise_issue(i) == key)
                entry = found.get(key)
                if entry is None:
                    found[key] = IssueCount(spelled, 1, [owner], [name], checkin.date, checkin.date)
                    continue
                entry.count += 1
                if owner not in entry.owners:
                    entry.owners.append(owner)
                    entry.owner_names.append(name)
                if checkin.date >= entry.last:
                    entry.text, entry.last = spelled, checkin.date
                entry.first = min(entry.first, checkin.date)
    ranked = sorted(found.values(), key=lambda i: (-i.count, -i.last.toordinal(), i.text.casefold()))
    for entry in ranked:
        pairs = sorted(zip(entry.owners, entry.owner_names, strict=True))
        entry.owners, entry.owner_names = [p[0] for p in pairs], [p[1] for p in pairs]
    return ranked[:ISSUES_SHOWN]


def cycles_run(repo: Repo, first: date, last: date, owners: set[str] | None = None) -> list[Cycle]:
    """The cycles of the objectives (of ``owners``, when given) that ran some day from ``first`` to
    ``last``: a month's report covers them, a team's cycle that ended before the month did too."""
    found = {
        c.id: c
        for doc in repo.objectives.values()
        if (owners is None or doc.model.owner in owners)
        and (c := repo.cycle(doc.model.cycle)) is not None
        and c.start <= last
        and first <= c.end
    }
    return sorted(found.values(), key=lambda c: (c.start, c.end, c.id))


def _report_cycles(repo: Repo, unit: str, cycle: str | None, today: date, month: str | None) -> list[Cycle]:
    if cycle is not None:
        return [known_cycle(repo, cycle)]
    first, day = parse_month(month) if month else parse_month(f"{today.year:04d}-{today.month:02d}")
    day = min(day, today)
    containing = repo.cycles_containing(day)
    owned = [c for c in containing if repo.objectives_of(unit, c.id)]
    if owned:
        # With the unit's own cycles that ended during the month (a team's cycle of its own ending
        # on the 27th, the next one under way on the 30th): that month held both.
        return cycles_run(repo, first, day, {unit})
    # The unit owns no objective on the day (an organisation whose teams hold them): the cycles in
    # which the units under it held objectives during the month, one that ended before the month did
    # included (a team's own cycle ending on the 27th is part of that month).
    below = cycles_run(repo, first, day, set(repo.scope_units(unit)))
    if below or containing:
        return below or containing
    # Before the first objective cycle (September, objectives from October): the strategy above
    # the unit whose cycle holds the day is still the month's, and its priorities are unserved.
    return strategy_cycles(repo, unit, day)


def report_scope(repo: Repo, *, today: date, unit: str | None, cycle: str | None, month: str | None) -> Scope:
    """The check-ins ``build_report`` reads: those of its cycles and of its month, and each team's
    latest one before them (its data age: when it last checked in)."""
    from okrctl.views.scope import checkins_of_cycles

    unit_id = resolve_unit(repo, unit)
    cycles = _report_cycles(repo, unit_id, cycle, today, month)
    # The month ``build_report`` covers: ``--month``, a past cycle's last one, or today's; and the
    # one before it when it falls back to it (no check-in this month yet), with its cycles.
    if month is not None:
        months = [parse_month(month)]
    else:
        last_day = min([today, *(c.end for c in cycles)]) if cycle is not None else today
        months = [parse_month(f"{last_day.year:04d}-{last_day.month:02d}")]
        if last_day == today and months[0][0] > date.min:
            previous_end = months[0][0] - timedelta(days=1)
            previous = f"{previous_end.year:04d}-{previous_end.month:02d}"
            months.append(parse_month(previous))
            if cycle is None:
                cycles = [*cycles, *_report_cycles(repo, unit_id, None, today, previous)]
    # Every objective that ran in the month is in scope (a contributor of another cycle), and its
    # state reads the whole of its cycle.
    for first, last in months:
        cycles = [*cycles, *cycles_run(repo, first, min(last, today))]
    first = min(start for start, _ in months)
    return checkins_of_cycles(cycles, also=(first, max(end for _, end in months)), with_latest_before=True)


def _latest_elsewhere(repo: Repo, units: set[str], today: date) -> str | None:
    from okrctl.views.scope import latest_cycle

    return latest_cycle(repo, (d.model for d in repo.objectives.values() if d.model.owner in units), today)


def _net_changes(changes: Iterable[TargetChange]) -> list[TargetChange]:
    """One change per key result and field, from its first old value to its last new one (dated
    by the last); none where they are equal: a change undone since is not in the numbers."""
    first: dict[tuple[str, str | None, str], TargetChange] = {}
    last: dict[tuple[str, str | None, str], TargetChange] = {}
    for change in sorted(changes, key=lambda c: (c.day, c.commit)):
        key = (change.objective_id, change.kr_id, change.field)
        first.setdefault(key, change)
        last[key] = change
    net = [dataclasses.replace(last[key], old=first[key].old) for key in last]
    return sorted(
        (c for c in net if c.old != c.new),
        key=lambda c: (c.day, c.objective_id, c.kr_id or "", c.field, c.commit),
    )


def unread_moves(
    moved_targets: Sequence[TargetChange] | Callable[[date, date], Sequence[TargetChange]] | None,
    start: date,
    end: date,
) -> tuple[Sequence[TargetChange], str]:
    """The moved targets from ``start`` to ``end`` (a list, or the function that reads them), and
    why they were not read ("" when they were): ``--no-history`` (None), or the history's reason."""
    from okrctl.analysis.history import HistoryUnread

    if moved_targets is None:
        return (), "--no-history"
    if not callable(moved_targets):
        return moved_targets, ""
    try:
        return moved_targets(start, end), ""
    except HistoryUnread as unread:
        return (), str(unread)


def build_report(
    repo: Repo,
    *,
    today: date,
    unit: str | None = None,
    cycle: str | None = None,
    month: str | None = None,
    moved_targets: Sequence[TargetChange] | Callable[[date, date], Sequence[TargetChange]] | None = (),
    with_map: bool = False,
    age_on: date | None = None,
    month_note: str | None = None,
) -> Report:
    """The roll-up of SPEC §4 for ``unit`` (default: the root) in ``cycle`` for ``month``.

    ``moved_targets`` is a list of changes, or a function of (month start, as-of day) that reads
    them (from git history), called once the month is known; None when the history is not read
    (``--no-history``), which the report says instead of "no target changed". The root unit's report is the
    organisation's: its strategy, every objective serving each priority at any level, and the
    health of each business unit. ``age_on`` and ``month_note`` let a page of the site follow the
    index's month and data age.
    """
    unit_id = resolve_unit(repo, unit)
    cycles = _report_cycles(repo, unit_id, cycle, today, month)
    cycle_ids = {c.id for c in cycles}
    subtree = set(repo.scope_units(unit_id))
    if month is None:
        if cycle and all(c.start > today for c in cycles):
            first = min(c.start for c in cycles)
            raise UsageError(
                f"--cycle: {cycle} begins on {first}, after {today.isoformat()} (--today): nothing to report yet"
            )
        # A past cycle is reported on its last month, the current one on today's month.
        last_day = min([today, *(c.end for c in cycles)]) if cycle else today
        month = f"{last_day.year:04d}-{last_day.month:02d}"
        if last_day == today:  # a past cycle keeps its last month, however quiet
            month, month_note = _month_with_data(repo, month, last_day, cycles if cycle else None, subtree)
            if month_note and cycle is None:
                # The month before is reported: its cycles, as ``--month`` would take them (a quarter
                # that ended then, not today's year); ``report_scope`` loaded their check-ins.
                then = _report_cycles(repo, unit_id, None, today, month)
                if then:
                    cycles = then
                    cycle_ids = {c.id for c in cycles}
    month_start, month_end = parse_month(month)
    if month_start > today:
        raise UsageError(f"--month: {month} has not begun on {today.isoformat()} (--today)")
    for c in cycles:
        if not (c.start <= month_end and month_start <= c.end):
            raise UsageError(f"--month: {month} is outside cycle {c.id} ({c.start} – {c.end})")
    as_of = min(month_end, today)
    # Data age is measured on the reader's day, unless they asked for a past month or cycle.
    age_day = age_on or (today if (month_note or (cycle is None and as_of == today)) else as_of)
    # The moves the month counts end on ``as_of`` for a --today of the past, as history and OKR601
    # end them. On the real day (or a later one) nothing committed yet is after it: a commit dated
    # ahead within the month (its committer east of the machine, a clock ahead) is this month's
    # move, as OKR601 counts it, not a change made after the report's day.
    moves_end = month_end if today >= date.today() else as_of
    changes, unread = unread_moves(moved_targets, month_start, moves_end)
    # The month, from the first day one of the report's cycles runs (a cycle that ended on the 27th
    # and the one that began the next day are both the month's).
    period_start = max(month_start, min((c.start for c in cycles), default=month_start))

    state_cache: dict[str, ObjectiveState | None] = {}

    def state_of(objective_id: str) -> ObjectiveState | None:
        if objective_id not in state_cache:
            model = repo.objective(objective_id)
            state_cache[objective_id] = objective_state(repo, model, as_of, written_by=today) if model else None
        return state_cache[objective_id]

    # Objectives live in the month: the strategic ones' contributors and what the unit serves.
    active = objectives_live(repo, period_start, as_of)
    index = AlignmentIndex(repo, active)
    unit_names = {uid: (d.model.display_name) for uid, d in repo.units.items()}
    sibling_order = {d.model.id: (unit_names.get(d.model.owner, ""),) for d in map(repo.objectives.__getitem__, active)}

    stale_after = repo.config.checkin.stale_after_days
    ages: dict[str, CheckinAge] = {}

    def age_of(owner: str) -> CheckinAge:
        if owner not in ages:
            ages[owner] = checkin_age(repo, owner, cycles, age_day, stale_after, (period_start, as_of))
        return ages[owner]

    moves: dict[str, ConfidenceMove] = {}
    contributing: dict[str, ObjectiveState] = {}

    def strategic_objective(objective_id: str) -> StrategicObjective | None:
        state = state_of(objective_id)
        model = repo.objective(objective_id)
        if state is None or model is None:
            return None
        contributors = []
        for contribution in index.contributors(objective_id, sibling_order):
            contributor_state = state_of(contribution.objective_id)
            if contributor_state is None:
                continue
            move = month_move(contributor_state, month_start, as_of)
            contributors.append(
                Contributor(
                    contributor_state,
                    contribution.link,
                    contribution.depth,
                    contribution.via,
                    move,
                    age_of(contributor_state.owner),
                )
            )
            contributing[contributor_state.id] = contributor_state
            if move:
                moves[contributor_state.id] = move
        serves = links_of(repo, model)
        move = month_move(state, month_start, as_of)
        if move:
            moves[state.id] = move
        age_of(state.owner)
        from okrctl.model.unit import STRATEGIC_UNIT_TYPES

        owner = repo.unit(state.owner)
        return StrategicObjective(
            state,
            serves,
            link_titles(repo, serves),
            contributors,
            move,
            charts_of(repo, state),
            strategic=owner is not None and owner.type in STRATEGIC_UNIT_TYPES,
        )

    strategic: list[StrategicObjective] = []
    for doc in sorted(repo.objectives_of(unit_id), key=lambda d: d.model.id):
        if str(doc.model.cycle) not in cycle_ids:
            continue
        built = strategic_objective(doc.model.id)
        if built is not None:
            strategic.append(built)

    organisation = unit_id == repo.root_unit()
    strategies: list[StrategyView] = []
    if organisation:
        strategies = _strategy_views(repo, unit_id, cycles, active, index, strategic, strategic_objective)
        # The objectives serving a priority directly, at any level, lead the organisation's report.
        seen = {o.state.id for o in strategic}
        for view in strategies:
            for priority in view.priorities:
                for objective in priority.objectives:
                    if objective.state.id not in seen:
                        seen.add(objective.state.id)
                        strategic.append(objective)

    counts = dict.fromkeys(metrics.STATUSES, 0)
    for contributor_state in contributing.values():
        counts[contributor_state.status] += 1

    # Everything in scope: the unit's subtree in the cycles, plus what feeds its objectives. The
    # subtree's objectives live in the month count whatever their cycle (a team's quarter under a
    # group's half-year), as contributors do, whether they feed the unit's, an ancestor's or nothing.
    in_scope: dict[str, ObjectiveState] = {o.state.id: o.state for o in strategic} | contributing
    for doc in [*repo.objectives_in(cycle_ids), *(repo.objectives[i] for i in sorted(active))]:
        if doc.model.owner in subtree and doc.model.id not in in_scope:
            found = state_of(doc.model.id)
            if found is not None:
                in_scope[found.id] = found
    scope_counts = dict.fromkeys(metrics.STATUSES, 0)
    for state in in_scope.values():
        scope_counts[state.status] += 1
        age_of(state.owner)
    served: set[str] = set()
    serving_nothing = []
    for objective_id, state in sorted(in_scope.items()):
        reached = index.reaches(objective_id)
        served |= reached
        if not any(repo.strategies.get(t.split("/", 1)[0]) for t in reached):
            serving_nothing.append(state)

    # The unit's own check-ins count too: its leaders raise issues that concern the teams; and so
    # do those of every team below it, whose objectives the headline counts.
    owners = sorted({unit_id, *(s.owner for s in contributing.values())} | {*subtree})
    shown_ids = {o.state.id for o in strategic} | set(contributing)
    tree_rank = {owner: i for i, owner in enumerate(repo.tree_order())}
    others = sorted(
        (state for objective_id, state in in_scope.items() if objective_id not in shown_ids),
        key=lambda st: (tree_rank.get(st.owner, len(tree_rank)), st.id),
    )
    # The other objectives are in the report too: their confidence moves and moved targets count
    # as those of the objectives shown above them do (the digest of the unit lists them).
    for state in others:
        move = month_move(state, month_start, as_of)
        if move:
            moves[state.id] = move
    moved = sorted(
        (c for c in changes if c.objective_id in in_scope and month_start <= c.day <= moves_end),
        key=lambda c: (c.day, c.objective_id, c.kr_id or "", c.field, c.commit),
    )
    since: Sequence[TargetChange] = ()
    if callable(moved_targets) and not unread and (moves_end < today or committed_after(repo, moves_end)):
        # The objective files are read as they are now (commits dated after a pinned --today
        # included): a target changed since ``moves_end`` is in these numbers, and the report says
        # so rather than pass them off as that day's. (``--today`` itself pinned before the latest
        # commit is such a day too.)
        since, _ = unread_moves(moved_targets, moves_end + timedelta(days=1), date.max)
    moved_since = _net_changes(c for c in since if c.objective_id in in_scope and c.field in GOALPOSTS)
    ranked_moves = sorted(
        (m for m in moves.values() if m.change != 0 or m.drops),
        key=lambda m: (-abs(m.change), -len(m.drops), m.objective_id),
    )
    scale = repo.config.checkin.confidence
    organization = repo.config.organization
    report = Report(
        organization=organization,
        unit=unit_id,
        unit_name=repo.unit_name(unit_id),
        cycles=cycles,
        month=month,
        month_start=month_start,
        month_end=month_end,
        as_of=as_of,
        today=today,
        confidence_scale=(scale.min, scale.max),
        objectives=strategic,
        counts=counts,
        uncovered_priorities=_uncovered_priorities(repo, unit_id, cycles, index, active),
        has_strategy=bool(strategies_above(repo, unit_id, cycles)),
        issues=count_issues(repo, owners, month_start, as_of),
        confidence_moves=ranked_moves[:MOVES_SHOWN],
        moved_targets=moved,
        moved_targets_unread=unread,
        moved_since=moved_since,
        problems=len(repo.unread_findings()),
        scope_counts=scope_counts,
        organisation=organisation,
        strategies=strategies,
        business_units=_business_units(repo, unit_id, in_scope, age_of) if organisation else [],
        serving_nothing=serving_nothing if organisation else [],
        others=others,
        other_cycles=sorted({str(st.cycle.id) for st in in_scope.values()} - {c.id for c in cycles}),
        ages=ages,
        age_day=age_day,
        stale_after=stale_after,
        month_note=month_note,
        latest_elsewhere=_latest_elsewhere(repo, subtree, today) if not cycles else None,
        owner_names={owner: repo.unit_name(owner) for owner in ages},
    )
    if with_map:
        from okrctl.views.map import build_map

        # Every cycle the headline counts objectives of (a contributor of another cycle too).
        # Its priorities served by the month's objectives, as the report's own sections count them.
        report.alignment = build_map(
            repo,
            today=as_of,
            unit=unit_id,
            cycle_ids=set(cycle_ids) | set(report.other_cycles),
            period=(period_start, as_of),
        )
    return report


def charts_of(repo: Repo, state: ObjectiveState) -> dict[str, KRChart]:
    """The chart of each of the objective's key results, on the state's day."""
    model = repo.objective(state.id)
    if model is None:
        return {}
    series = {kr.id: kr.series for kr in state.key_results}
    return {kr.id: kr_chart(kr, state.cycle, series.get(kr.id, []), state.day) for kr in model.key_results}


def checkin_age(
    repo: Repo,
    owner: str,
    cycles: Sequence[Cycle],
    day: date,
    stale_after: int,
    period: tuple[date, date] | None = None,
) -> CheckinAge:
    """The owner's last check-in on or before ``day`` and whether it is stale on ``day``.

    Stale as OKR501 has it: no check-in in the last ``stale_after`` days, once the cycle has run
    that long (a cycle that began last week is not stale yet). A check-in with errors counts
    (``last_checkin_day``). The cycles judged are those of the days the view covers, ``period``
    (a report's month up to its as-of day), or of ``day`` alone when it covers today's.
    """
    last = last_checkin_day(repo, owner, day)
    # As OKR501: from the start of the owner's own cycles (a company's year does not make a team's
    # quarter old) that ran in the period; the view's cycles when the owner has none. A report of
    # the quarter that just ended judges that quarter, not the next one a team has drafted already.
    first, end = period or (day, day)
    own = [
        c
        for d in repo.objectives_of(owner)
        if (c := repo.cycle(d.model.cycle)) is not None and c.start <= end and first <= c.end
    ]
    started = min((c.start for c in own or cycles), default=day)
    young = (day - started).days <= stale_after  # nobody is late yet, whatever came before the cycle
    if last is not None:
        days = (day - last).days
        return CheckinAge(owner, last, days, days > stale_after and not young)
    return CheckinAge(owner, None, None, not young)


def _month_with_data(
    repo: Repo, month: str, last_day: date, cycles: Sequence[Cycle] | None, owners: set[str]
) -> tuple[str, str | None]:
    """Today's month, or the one before it when no team in scope has checked in this month yet but
    did then (a report of empty monthly sections helps no one); the note says which and why.

    ``cycles``: the cycle asked for (``--cycle``), whose months alone are reported; None when the
    month's own cycles are (the first days of a quarter report the one that just ended, even when a
    team has planned the new one already)."""
    start, _ = parse_month(month)

    def checked_in(first: date, last: date) -> bool:
        # A check-in outside every cycle of its owner's objectives (OKR502) reports on nothing.
        return any(
            first <= doc.model.date <= last and repo.has_objectives_on(owner, doc.model.date)
            for owner in owners
            for doc in repo.checkins_of(owner)
        )

    if checked_in(start, last_day):
        return month, None
    if start == date.min:
        return month, None  # no month before January of year 1
    previous_end = start - timedelta(days=1)
    if cycles is not None and not any(c.start <= previous_end <= c.end for c in cycles):
        return month, None
    previous = f"{previous_end.year:04d}-{previous_end.month:02d}"
    if not checked_in(parse_month(previous)[0], previous_end):
        return month, None  # no check-in the month before either (before the first cycle's check-ins)
    this_label = f"{MONTH_NAMES[start.month - 1]} {start.year}"
    previous_label = f"{MONTH_NAMES[previous_end.month - 1]} {previous_end.year}"
    return previous, f"No check-in in {this_label} yet: this report covers {previous_label}."


def _strategy_views(
    repo: Repo,
    unit: str,
    cycles: list[Cycle],
    active: list[str],
    index: AlignmentIndex,
    strategic: list[StrategicObjective],
    build: Callable[[str], StrategicObjective | None],
) -> list[StrategyView]:
    """The unit's strategies with, per priority, the objectives of the period that serve it directly:
    of the report's cycles and of every cycle overlapping them (a year's priorities are served by
    quarterly objectives, as ``align`` and the priorities without contributors count them)."""
    built = {o.state.id: o for o in strategic}

    in_cycles = sorted(
        o for o in active if (model := repo.objective(o)) is not None and in_overlapping_cycle(repo, model, cycles)
    )
    direct: dict[str, list[str]] = {}
    for objective_id in in_cycles:
        for link in index.up.get(objective_id, []):
            if link.target_kind in ("priority", "strategy"):
                direct.setdefault(link.target, []).append(objective_id)

    def objectives_for(ref: str) -> list[StrategicObjective]:
        out = []
        ids = sorted(direct.get(ref, []), key=lambda i: (_level(repo, i), repo.unit_name(repo.objective(i).owner), i))  # type: ignore[union-attr]
        for objective_id in ids:
            if objective_id not in built:
                made = build(objective_id)
                if made is None:
                    continue
                built[objective_id] = made
            out.append(built[objective_id])
        return out

    views = []
    for strategy in strategies_above(repo, unit, cycles):
        if strategy.owner != unit:
            continue
        priorities = [
            PriorityView(strategy.id, p.id, p.title, objectives_for(f"{strategy.id}/{p.id}"))
            for p in strategy.priorities
        ]
        whole = objectives_for(strategy.id)
        if whole:
            priorities.append(PriorityView(strategy.id, None, "The whole strategy", whole))
        views.append(
            StrategyView(
                strategy.id, strategy.owner, str(strategy.cycle), strategy.vision, list(strategy.not_doing), priorities
            )
        )
    return views


def _level(repo: Repo, objective_id: str) -> int:
    """How far below the root the objective's owner sits: the company's own objectives first."""
    model = repo.objective(objective_id)
    return len(repo.ancestors(model.owner)) if model else 99


def _cut_off_tops(repo: Repo, root: str, below: list[str]) -> list[str]:
    """The units the organisation's report covers that ``root`` does not reach (a parent that is no
    unit, another root, parents in a loop), as few as cover them all: each has a row of its own
    in the health table, so that no objective drops out of it."""
    if root != repo.root_unit():
        return []
    reached = {root, *below}
    cut_off = [u for u in repo.tree_order() if u not in reached]
    tops: list[str] = []
    covered: set[str] = set()
    outside = [u for u in cut_off if (m := repo.unit(u)) is None or m.parent not in cut_off]
    for unit in outside + cut_off:  # those whose parent is cut off too (a loop) last
        if unit not in covered:
            tops.append(unit)
            covered.update([unit, *repo.descendants(unit)])
    return tops


def _business_units(
    repo: Repo, root: str, in_scope: dict[str, ObjectiveState], age_of: Callable[[str], CheckinAge]
) -> list[UnitHealth]:
    """Health per business unit: the outermost units typed ``business-unit``, and each of the root's
    children outside them all (a staff team under the company); the root's children when none is
    typed so."""
    below = repo.descendants(root)
    typed = [u for u in below if (m := repo.unit(u)) is not None and m.type == "business-unit"]
    # A business unit inside another is counted in the outer one's row: one row each, and the
    # column adds up to the objectives in scope.
    outer = set(typed)
    typed = [u for u in typed if not outer.intersection(repo.ancestors(u))]
    # A child of the root in no business unit has a row of its own, counting its subtree but the
    # business units inside it (each has its row): no objective below the root drops out.
    outside = [u for u in repo.children(root) if u not in typed]
    inside_typed = {v for u in typed for v in (u, *repo.descendants(u))}
    chosen = typed + outside + _cut_off_tops(repo, root, below)
    out = []
    for unit in sorted(chosen, key=lambda u: (repo.unit_name(u), u)):
        owners = {unit, *repo.descendants(unit)}
        if unit not in inside_typed:
            owners -= inside_typed
        counts = dict.fromkeys(metrics.STATUSES, 0)
        owning = set()
        for state in in_scope.values():
            if state.owner in owners:
                counts[state.status] += 1
                owning.add(state.owner)
        ages = [age_of(o) for o in sorted(owning, key=lambda o: (repo.unit_name(o), o))]
        out.append(UnitHealth(unit, repo.unit_name(unit), counts, ages))
    return out


def link_titles(repo: Repo, links: list[Link]) -> dict[str, str]:
    titles = {}
    for link in links:
        target = repo.resolve(link.ref)
        if target is None:
            continue
        if target.priority is not None:
            titles[link.ref] = target.priority.title
        elif target.key_result is not None:
            titles[link.ref] = target.key_result.title
        elif target.kind == "objective":
            titles[link.ref] = target.doc.model.title
        else:
            titles[link.ref] = target.doc.model.vision or target.doc.model.id
    return titles


def _uncovered_priorities(
    repo: Repo, unit: str, cycles: list[Cycle], index: AlignmentIndex, active: list[str]
) -> list[UncoveredPriority]:
    """Priorities of the strategies of the unit and its ancestors that no objective of the month
    serves, anywhere in the organisation (a team is not asked to serve every priority)."""
    served = served_targets(repo, active, index)
    out = []
    for strategy in strategies_above(repo, unit, cycles):
        for priority in strategy.priorities:
            if not priority_served(served, strategy.id, priority.id):
                out.append(UncoveredPriority(strategy.id, priority.id, priority.title))
    return out
