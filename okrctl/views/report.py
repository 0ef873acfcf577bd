"""The leadership report: a unit's strategic OKRs for one month, with the team OKRs that feed them.

One view, every format: the renderers in ``okrctl/render/report/`` only lay this data out.
Everything is computed as of the end of the month or ``today``, whichever is earlier.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from okrctl import __version__, metrics
from okrctl.errors import UsageError
from okrctl.load.repo import Repo
from okrctl.model import Strategy
from okrctl.model.cycle import Cycle
from okrctl.views.alignment import AlignmentIndex, Link, links_of
from okrctl.views.changes import TargetChange
from okrctl.views.scope import known_cycle, resolve_unit
from okrctl.views.state import ObjectiveState, drops_to_dict, objective_state

if TYPE_CHECKING:
    from okrctl.views.map import AlignmentMap

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ISSUES_SHOWN = 10
MOVES_SHOWN = 5
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_NOT_WORD = re.compile(r"[^\w\s]+")


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
        return self.end[1] - self.start[1]

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective_id,
            "owner": self.owner,
            "from": {"date": self.start[0].isoformat(), "confidence": self.start[1]},
            "to": {"date": self.end[0].isoformat(), "confidence": self.end[1]},
            "change": self.change,
            "drops": drops_to_dict(self.drops),
        }


@dataclass
class Contributor:
    """An objective that feeds a strategic objective, directly or through intermediate units."""

    state: ObjectiveState
    link: Link  # its own alignment one level up
    depth: int  # 1: aligns to the strategic objective itself (or one of its KRs)
    via: tuple[str, ...]  # objectives in between, top first
    move: ConfidenceMove | None  # None: no check-in with a confidence this month

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
        }


@dataclass
class StrategicObjective:
    state: ObjectiveState
    serves: list[Link]  # what the objective itself aligns to (priorities, ancestors' objectives)
    serves_titles: dict[str, str]  # link ref → title, for display
    contributors: list[Contributor]
    move: ConfidenceMove | None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.state.to_dict(),
            "owner_name": self.state.owner_name,
            "aligns": [{"to": link.ref, "type": link.type} for link in self.serves],
            "confidence_change": self.move.change if self.move else None,
            "contributors": [c.to_dict() for c in self.contributors],
        }


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
    problems: int = 0  # files or documents `align` rejects (left out of the report)
    alignment: AlignmentMap | None = field(default=None, repr=False)

    @property
    def contributor_total(self) -> int:
        return sum(self.counts.values())

    @property
    def unsupported(self) -> list[StrategicObjective]:
        """Strategic objectives that nothing aligns to."""
        return [o for o in self.objectives if not o.contributors]

    @property
    def cycle_summary(self) -> str:
        """ "2026-Q4 (2026-10-01 → 2026-12-31, 55% elapsed)": the pace "expected" is measured against."""
        return (
            ", ".join(
                f"{c.id} ({c.start} → {c.end}, {round(metrics.elapsed_share(c, self.as_of) * 100)}% elapsed)"
                for c in self.cycles
            )
            or "no cycle"
        )

    @property
    def month_label(self) -> str:
        return f"{MONTH_NAMES[self.month_start.month - 1]} {self.month_start.year}"

    @property
    def headline(self) -> str:
        """The one line a leader reads first."""
        if not self.objectives:
            where = ", ".join(c.id for c in self.cycles) or self.month_label
            return f"{self.unit_name} owns no objective in {where}."
        total = self.contributor_total
        if total == 0:
            return "No objective aligns to these objectives yet."
        noun = "objective" if total == 1 else "objectives"
        return (
            f"{total} contributing {noun}: {self.counts[metrics.ON_TRACK]} on track, "
            f"{self.counts[metrics.AT_RISK]} at risk, {self.counts[metrics.OFF_TRACK]} off track, "
            f"{self.counts[metrics.NO_DATA]} with no check-in"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "okrctl": __version__,
            "today": self.today.isoformat(),
            "organization": self.organization,
            "unit": {"id": self.unit, "name": self.unit_name},
            "cycles": [{"id": c.id, "start": c.start.isoformat(), "end": c.end.isoformat()} for c in self.cycles],
            "month": self.month,
            "as_of": self.as_of.isoformat(),
            "elapsed": {c.id: round(metrics.elapsed_share(c, self.as_of), 4) for c in self.cycles},
            "headline": {
                "text": self.headline,
                "contributors": self.contributor_total,
                **{status: self.counts[status] for status in metrics.STATUSES},
            },
            "objectives": [o.to_dict() for o in self.objectives],
            "objectives_without_contributors": [o.state.id for o in self.unsupported],
            "priorities_without_contributors": [p.to_dict() for p in self.uncovered_priorities],
            "issues": [i.to_dict() for i in self.issues],
            "confidence_moves": [m.to_dict() for m in self.confidence_moves],
            "moved_targets": [c.to_dict() for c in self.moved_targets],
            "problems": self.problems,
        }


# ----- building it -----------------------------------------------------------------------------------
def parse_month(value: str) -> tuple[date, date]:
    """``YYYY-MM`` → (first day, last day)."""
    import calendar

    match = _MONTH.match(value)
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1:
        raise UsageError(f"--month: '{value}' is not a month YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def normalise_issue(text: str) -> str:
    """The key two spellings of one issue share: case, spacing and punctuation do not count."""
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


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


def _report_cycles(repo: Repo, unit: str, cycle: str | None, today: date, month: str | None) -> list[Cycle]:
    if cycle is not None:
        return [known_cycle(repo, cycle)]
    day = parse_month(month)[1] if month else today
    day = min(day, today)
    containing = repo.cycles_containing(day)
    owned = [c for c in containing if repo.objectives_of(unit, c.id)]
    return owned or containing


def build_report(
    repo: Repo,
    *,
    today: date,
    unit: str | None = None,
    cycle: str | None = None,
    month: str | None = None,
    moved_targets: Sequence[TargetChange] | Callable[[date, date], Sequence[TargetChange]] = (),
    with_map: bool = False,
) -> Report:
    """The roll-up of SPEC §4 for ``unit`` (default: the root) in ``cycle`` for ``month``.

    ``moved_targets`` is a list of changes, or a function of (month start, as-of day) that reads
    them (from git history), called once the month is known.
    """
    unit_id = resolve_unit(repo, unit)
    cycles = _report_cycles(repo, unit_id, cycle, today, month)
    if month is None:
        # A past cycle is reported on its last month, the current one on today's month.
        last_day = min([today, *(c.end for c in cycles)]) if cycle else today
        month = f"{last_day.year:04d}-{last_day.month:02d}"
    month_start, month_end = parse_month(month)
    if month_start > today:
        raise UsageError(f"--month: {month} has not begun on {today.isoformat()} (--today)")
    for c in cycles:
        if not (c.start <= month_end and month_start <= c.end):
            raise UsageError(f"--month: {month} is outside cycle {c.id} ({c.start} – {c.end})")
    as_of = min(month_end, today)
    changes = moved_targets(month_start, as_of) if callable(moved_targets) else moved_targets
    period_start = max([month_start, *(c.start for c in cycles)])

    state_cache: dict[str, ObjectiveState | None] = {}

    def state_of(objective_id: str) -> ObjectiveState | None:
        if objective_id not in state_cache:
            model = repo.objective(objective_id)
            state_cache[objective_id] = objective_state(repo, model, as_of) if model else None
        return state_cache[objective_id]

    # Objectives live in the month: the strategic ones' contributors and what the unit serves.
    active = []
    for doc in repo.objectives.values():
        objective_cycle = repo.cycle(doc.model.cycle)
        if objective_cycle is not None and objective_cycle.start <= as_of and period_start <= objective_cycle.end:
            active.append(doc.model.id)
    index = AlignmentIndex(repo, active)
    unit_names = {uid: (d.model.display_name) for uid, d in repo.units.items()}
    sibling_order = {d.model.id: (unit_names.get(d.model.owner, ""),) for d in map(repo.objectives.__getitem__, active)}

    cycle_ids = {c.id for c in cycles}
    strategic: list[StrategicObjective] = []
    moves: dict[str, ConfidenceMove] = {}
    contributing: dict[str, ObjectiveState] = {}
    for doc in sorted(repo.objectives_of(unit_id), key=lambda d: d.model.id):
        if str(doc.model.cycle) not in cycle_ids:
            continue
        state = state_of(doc.model.id)
        if state is None:
            continue
        contributors = []
        for contribution in index.contributors(doc.model.id, sibling_order):
            contributor_state = state_of(contribution.objective_id)
            if contributor_state is None:
                continue
            move = month_move(contributor_state, month_start, as_of)
            contributors.append(
                Contributor(contributor_state, contribution.link, contribution.depth, contribution.via, move)
            )
            contributing[contributor_state.id] = contributor_state
            if move:
                moves[contributor_state.id] = move
        serves = links_of(repo, doc.model)
        move = month_move(state, month_start, as_of)
        if move:
            moves[state.id] = move
        strategic.append(StrategicObjective(state, serves, _titles(repo, serves), contributors, move))

    counts = dict.fromkeys(metrics.STATUSES, 0)
    for contributor_state in contributing.values():
        counts[contributor_state.status] += 1

    # The unit's own check-ins count too: its leaders raise issues that concern the teams.
    owners = sorted({unit_id, *(s.owner for s in contributing.values())})
    shown_ids = {o.state.id for o in strategic} | set(contributing)
    moved = sorted(
        (c for c in changes if c.objective_id in shown_ids and month_start <= c.day <= as_of),
        key=lambda c: (c.day, c.objective_id, c.kr_id or "", c.field, c.commit),
    )
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
        issues=count_issues(repo, owners, month_start, as_of),
        confidence_moves=ranked_moves[:MOVES_SHOWN],
        moved_targets=moved,
        problems=sum(1 for f in repo.file_findings if f.severity == "error"),
    )
    if with_map:
        from okrctl.views.map import build_map

        report.alignment = build_map(repo, today=as_of, unit=unit_id, cycle_ids=cycle_ids)
    return report


def _titles(repo: Repo, links: list[Link]) -> dict[str, str]:
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
    served = index.reaches_from(active)
    out = []
    for strategy in strategies_above(repo, unit, cycles):
        if strategy.id in served:
            continue  # an objective serves the whole strategy
        for priority in strategy.priorities:
            if f"{strategy.id}/{priority.id}" not in served:
                out.append(UncoveredPriority(strategy.id, priority.id, priority.title))
    return out


def strategies_above(repo: Repo, unit: str, cycles: list[Cycle]) -> list[Strategy]:
    """Strategies owned by the unit or an ancestor, in a cycle that overlaps ``cycles``; id order."""
    owners = {unit, *repo.ancestors(unit)}
    out = []
    for strategy_id in sorted(repo.strategies):
        strategy = repo.strategies[strategy_id].model
        strategy_cycle = repo.cycle(strategy.cycle)
        if strategy.owner in owners and strategy_cycle is not None and any(strategy_cycle.overlaps(c) for c in cycles):
            out.append(strategy)
    return out
