"""``okrctl digest``: what a scheduled job posts to chat before the Friday check-in and after it.

For the units under ``--unit`` that own objectives active today (with ``--cycle``, those of that
cycle, as of its last day once it has ended): the teams due for their check-in
(or stale), with their members so the post can mention them; confidence drops of the last seven
days; objectives that became off-track this week; targets moved this week (git history);
dependencies at risk (the rule of OKR404); and issues that keep coming back in check-ins.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from okrctl import metrics
from okrctl.analysis.changes import TargetChange
from okrctl.analysis.fleet import after_is, provider_risk, providing_objectives
from okrctl.analysis.state import ObjectiveState, objective_state
from okrctl.load.index import Repo
from okrctl.model.cycle import Cycle, days_before
from okrctl.views.retro import RecurringIssue, recurring_issues
from okrctl.views.scope import last_checkin_day

WEEK_DAYS = 7


@dataclass
class DueTeam:
    unit: str
    name: str
    members: list[str]
    last_checkin: date | None
    days: int  # since the last check-in, or since the cycle started when there is none
    stale: bool  # over ``stale_after_days`` (OKR501); otherwise only due this week

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "members": self.members,
            "last_checkin": None if self.last_checkin is None else self.last_checkin.isoformat(),
            "days_since": self.days,
            "stale": self.stale,
        }


@dataclass
class ObjectiveNews:
    """One objective's news: a confidence drop, or a status that became off-track this week."""

    unit: str
    name: str
    members: list[str]
    objective: str
    title: str
    status: str
    confidence: float | None
    before: float | None = None  # drops: the confidence before
    on: date | None = None  # drops: the day of the check-in that dropped
    was: str | None = None  # off-track: the status a week ago

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "members": self.members,
            "objective": self.objective,
            "title": self.title,
            "status": self.status,
            "confidence": self.confidence,
            "before": self.before,
            "date": None if self.on is None else self.on.isoformat(),
            "was": self.was,
        }


@dataclass
class DependencyAtRisk:
    unit: str
    name: str
    members: list[str]
    objective: str
    provider: str
    provider_name: str
    provider_members: list[str]
    provider_objective: str
    need: str
    risk: str

    @property
    def risk_after_is(self) -> str:
        """The risk as it reads after "objective X is" (``fleet.after_is``)."""
        return after_is(self.risk)

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "members": self.members,
            "objective": self.objective,
            "provider": self.provider,
            "provider_name": self.provider_name,
            "provider_members": self.provider_members,
            "provider_objective": self.provider_objective,
            "need": self.need,
            "risk": self.risk,
        }


@dataclass
class TeamIssue:
    unit: str
    name: str
    issue: RecurringIssue

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "name": self.name, **self.issue.to_dict()}


@dataclass
class Digest:
    today: date
    organization: str | None
    unit: str
    unit_name: str
    cycles: list[Cycle]
    scale: tuple[float, float]
    due: list[DueTeam]
    drops: list[ObjectiveNews]
    off_track: list[ObjectiveNews]
    moved_targets: list[TargetChange]
    dependencies: list[DependencyAtRisk]
    recurring: list[TeamIssue]
    history_unread: str = ""  # why the moved targets were not read ("--no-history"); "" when they were
    checked_in: list[str] = field(default_factory=list)  # units that checked in this week
    # Units that did not check in this week and are not due yet (a cadence longer than a week).
    not_due_yet: list[str] = field(default_factory=list)
    cadence_days: int = WEEK_DAYS
    # Who the summary says holds no objective when none is active: "" for the root unit (the whole
    # organisation); a unit below it speaks for itself, other units may hold some today.
    held_by: str = ""

    @property
    def history_read(self) -> bool:
        return not self.history_unread

    @property
    def since(self) -> date:
        return days_before(self.today, WEEK_DAYS - 1)

    @property
    def quiet(self) -> bool:
        return not (
            self.due or self.drops or self.off_track or self.moved_targets or self.dependencies or self.recurring
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_name": self.unit_name,
            "since": self.since.isoformat(),
            "cycles": [{"id": c.id, "start": c.start.isoformat(), "end": c.end.isoformat()} for c in self.cycles],
            "confidence_scale": {"min": self.scale[0], "max": self.scale[1]},
            "checked_in": self.checked_in,
            "not_due_yet": self.not_due_yet,
            "due": [d.to_dict() for d in self.due],
            "confidence_drops": [d.to_dict() for d in self.drops],
            "new_off_track": [o.to_dict() for o in self.off_track],
            "moved_targets": None if not self.history_read else [c.to_dict() for c in self.moved_targets],
            "moved_targets_read": self.history_read,
            "dependencies_at_risk": [d.to_dict() for d in self.dependencies],
            "recurring_issues": [r.to_dict() for r in self.recurring],
        }


def _members(repo: Repo, unit: str) -> list[str]:
    model = repo.unit(unit)
    return model.people if model is not None else []


def _held_by(repo: Repo, unit: str, scope: Sequence[str]) -> str:
    if unit == repo.root_unit():
        return ""
    name = repo.unit_name(unit)
    return f"{name} or a unit under it" if len(scope) > 1 else name


def build_digest(
    repo: Repo,
    unit: str,
    today: date,
    cycles: list[Cycle],
    moved_targets: Callable[[date, date], Sequence[TargetChange]] | None = None,
) -> Digest:
    settings = repo.config.checkin
    # With --cycle, a cycle that has ended is shown as of its last day (friday.md): its closing
    # digest, posted after it, is about its last week, not about a week with none of it active.
    ends = [c.end for c in cycles]
    if ends and max(ends) < today:
        today = max(ends)
    scope = repo.scope_units(unit)
    cycle_ids = {c.id for c in cycles}
    week_ago = days_before(today, WEEK_DAYS)
    since = days_before(today, WEEK_DAYS - 1)
    objectives = [d.model for d in repo.objectives_in(cycle_ids) if d.model.owner in scope]
    order = {u: i for i, u in enumerate(scope)}
    objectives.sort(key=lambda o: (order.get(o.owner, len(order)), o.id))
    states: dict[str, ObjectiveState] = {}
    for objective in objectives:
        state = objective_state(repo, objective, today)
        if state is not None:
            states[objective.id] = state

    due: list[DueTeam] = []
    checked_in: list[str] = []
    waiting: list[str] = []
    # The digest is about the objectives active today (friday.md), in every section: one of a cycle
    # that has ended has no check-in due, and its drops and dependencies are no news either.
    active_now = [o for o in objectives if o.id in states and states[o.id].cycle.contains(today)]
    owners = list(dict.fromkeys(o.owner for o in active_now))
    for owner in owners:
        active = [states[o.id] for o in objectives if o.owner == owner and o.id in states]
        started = min(s.cycle.start for s in active)
        last = last_checkin_day(repo, owner, today, started)  # one with errors counts, as for OKR501
        days = (today - (last or started)).days
        stale = days > settings.stale_after_days  # as OKR501 and the report judge it
        if last is not None and last >= since:
            checked_in.append(owner)
            if not stale:
                continue
            # Checked in this week, and stale all the same (stale_after_days under a week).
        if stale or days >= settings.cadence_days or (last is None and days >= 0):
            due.append(DueTeam(owner, repo.unit_name(owner), _members(repo, owner), last, days, stale))
        else:  # a cadence longer than the week: checked in before it, and not due yet
            waiting.append(owner)
    due.sort(key=lambda d: (not d.stale, -d.days, order.get(d.unit, 0)))

    drops: list[ObjectiveNews] = []
    off_track: list[ObjectiveNews] = []
    for objective in active_now:
        state = states.get(objective.id)
        if state is None:
            continue
        news = ObjectiveNews(
            objective.owner,
            state.owner_name,
            _members(repo, objective.owner),
            objective.id,
            objective.title,
            state.status,
            state.confidence,
        )
        for _before_day, after_day, before, after in metrics.drops(state.confidence_series):
            if after_day >= since:
                drops.append(replace(news, before=before, on=after_day, confidence=after))
        if state.status == metrics.OFF_TRACK:
            # A week ago is judged with today's objective files (friday.md): the first value of a
            # key result is no sign the objective is new, as one a team gave only a confidence for
            # was off-track weeks before it (status says so on those days).
            earlier = objective_state(repo, objective, week_ago) if week_ago >= state.cycle.start else None
            was = earlier.status if earlier is not None else metrics.NO_DATA
            if was != metrics.OFF_TRACK:
                off_track.append(replace(news, was=was))

    dependencies: list[DependencyAtRisk] = []
    high = settings.confidence.max
    for objective in active_now:
        for dep in objective.depends_on:
            if dep.unit not in repo.units or dep.unit == objective.owner:
                continue
            for provider in providing_objectives(repo, objective, dep.unit, today):
                provider_state = states.get(provider.id) or objective_state(repo, provider, today)
                risk = provider_risk(provider_state, high) if provider_state is not None else None
                if risk is None:
                    continue
                dependencies.append(
                    DependencyAtRisk(
                        objective.owner,
                        repo.unit_name(objective.owner),
                        _members(repo, objective.owner),
                        objective.id,
                        dep.unit,
                        repo.unit_name(dep.unit),
                        _members(repo, dep.unit),
                        provider.id,
                        dep.need,
                        risk,
                    )
                )

    recurring: list[TeamIssue] = []
    for owner in owners:
        checkins = [d.model for d in repo.checkins_of(owner) if d.model.date <= today]
        active = [states[o.id] for o in objectives if o.owner == owner and o.id in states]
        started = min(s.cycle.start for s in active)
        checkins = [c for c in checkins if c.date >= started]
        if not checkins:
            continue
        latest = checkins[-1]
        for issue in recurring_issues(checkins):
            if issue.last == latest.date:  # still open in the latest check-in
                recurring.append(TeamIssue(owner, repo.unit_name(owner), issue))
    recurring.sort(key=lambda t: (-t.issue.weeks, -t.issue.checkins, order.get(t.unit, 0), t.issue.text))

    from okrctl.views.report import unread_moves

    read, unread = unread_moves(moved_targets, since, today)
    # Of the objectives the digest is about, as every other section: a target of an ended cycle
    # (or, with --cycle, of another one) moved this week is not this week's news of these.
    about = {o.id for o in active_now}
    moved = [c for c in read if c.objective_id in about]
    scale = settings.confidence
    return Digest(
        today=today,
        organization=repo.config.organization,
        unit=unit,
        unit_name=repo.unit_name(unit),
        cycles=cycles,
        scale=(scale.min, scale.max),
        due=due,
        drops=drops,
        off_track=off_track,
        moved_targets=moved,
        dependencies=dependencies,
        recurring=recurring,
        history_unread=unread,
        checked_in=checked_in,
        not_due_yet=waiting,
        cadence_days=settings.cadence_days,
        held_by=_held_by(repo, unit, scope),
    )
