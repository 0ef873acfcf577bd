"""``okrctl trends``: every team's weekly confidence (and progress against expected) under a unit.

Weeks are counted from the start of the objective's cycle: week 1 is its first seven days. A
week's confidence is the one of the team's last check-in inside that week (none: a gap); its
progress and expected progress are those at the end of the week (or today, in the running week).

Rows are sorted so that the teams that need attention come first:

1. status now: off-track, then at-risk, then no-data (no check-in yet), then on-track;
2. then a team whose latest check-in is a confidence drop (a fall of 3 points or more);
3. then the steepest falling confidence (least-squares slope per week, lowest first);
4. then the furthest behind its expected progress;
5. then by team and objective id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrctl import metrics
from okrctl.analysis.state import KRState, ObjectiveState, drops_to_dict, progress_over, states
from okrctl.load.index import Repo
from okrctl.model import Objective
from okrctl.model.cycle import Cycle, weeks_of
from okrctl.views.scope import latest_cycle

_ATTENTION = {metrics.OFF_TRACK: 0, metrics.AT_RISK: 1, metrics.NO_DATA: 2, metrics.ON_TRACK: 3}


@dataclass
class Week:
    number: int  # 1-based, from the start of the cycle
    start: date
    end: date  # the week's last day, or today in the running week
    confidence: float | None  # of the last check-in inside the week
    progress: float
    expected: float
    # The objective's status at the end of the week, as SPEC §3 defines it: the worse of progress
    # against expected and the band of the confidence then (the latest check-in's, carried over a
    # week without one); no-data before any check-in. What ``status`` means everywhere in JSON.
    status: str
    pace: str  # progress against expected alone: the text view's "on pace" cells

    def to_dict(self) -> dict[str, Any]:
        return {
            "week": self.number,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "confidence": self.confidence,
            "progress": round(self.progress, 4),
            "expected": round(self.expected, 4),
            "status": self.status,
        }


@dataclass
class TeamTrend:
    owner: str
    owner_name: str
    objective: str
    title: str
    cycle: Cycle
    status: str
    progress: float
    expected: float
    confidence: float | None
    series: list[tuple[date, float]]  # every check-in's confidence, oldest first
    weeks: list[Week]
    slope_per_week: float | None
    last_change: float | None  # latest confidence minus the one before
    drops: list[tuple[date, date, float, float]]
    several: bool = False  # the owner has more than one objective in the view
    rank: int = 0  # 1 = needs attention most
    # Each key result today (SPEC §4: the objectives of every view's JSON carry them).
    key_results: list[KRState] = field(default_factory=list)

    @property
    def latest_is_drop(self) -> bool:
        return bool(self.drops) and bool(self.series) and self.drops[-1][1] == self.series[-1][0]

    def attention_key(self) -> tuple[Any, ...]:
        return (
            _ATTENTION.get(self.status, 3),
            0 if self.latest_is_drop else 1,
            self.slope_per_week if self.slope_per_week is not None else 0.0,
            self.progress - self.expected,
            self.owner,
            self.objective,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "owner": self.owner,
            "owner_name": self.owner_name,
            "id": self.objective,
            "title": self.title,
            "cycle": self.cycle.id,
            "status": self.status,
            "progress": round(self.progress, 4),
            "expected": round(self.expected, 4),
            "confidence": self.confidence,
            "slope_per_week": None if self.slope_per_week is None else round(self.slope_per_week, 4),
            "last_change": self.last_change,
            "drops": drops_to_dict(self.drops),
            "confidence_trend": [{"date": d.isoformat(), "confidence": c} for d, c in self.series],
            "weeks": [w.to_dict() for w in self.weeks],
            "key_results": [kr.to_dict() for kr in self.key_results],
        }


@dataclass
class TrendsView:
    today: date
    unit: str
    unit_name: str
    cycles: list[Cycle]
    scale: tuple[float, float]
    teams: list[TeamTrend] = field(default_factory=list)
    # With no team to show: the latest started cycle in which the unit's teams have objectives.
    latest_elsewhere: str | None = None
    planned: int = 0  # objectives of the chosen cycles that have not started yet
    unit_is_team: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The JSON payload (``okrctl.render.envelope`` puts the version and the day before it)."""
        return {
            "unit": self.unit,
            "cycles": [{"id": c.id, "start": c.start.isoformat(), "end": c.end.isoformat()} for c in self.cycles],
            "confidence_scale": {"min": self.scale[0], "max": self.scale[1]},
            "teams": [t.to_dict() for t in self.teams],
            "not_started": self.planned,
        }


def team_trend(repo: Repo, objective: Objective, state: ObjectiveState, today: date) -> TeamTrend:
    settings = repo.config.status
    scale = repo.config.checkin.confidence
    weeks = []
    spans = weeks_of(state.cycle, today)
    at_ends = progress_over(repo, objective, [end for _number, _start, end in spans])
    if at_ends is None:  # a cycle okrctl does not know: no week to draw
        spans, at_ends = [], []
    for (number, start, end), (progress, expected, has_data) in zip(spans, at_ends, strict=True):
        in_week = [c for d, c in state.confidence_series if start <= d <= end]
        so_far = [c for d, c in state.confidence_series if d <= end]
        pace = metrics.status_from_gap(expected, progress, settings) if has_data else metrics.NO_DATA
        status = metrics.objective_status(has_data, expected, progress, so_far[-1] if so_far else None, settings, scale)
        confidence = in_week[-1] if in_week else None
        weeks.append(Week(number, start, end, confidence, progress, expected, status, pace))
    series = state.confidence_series
    # Rounded past float noise (4 − 6.9 is −2.9000000000000004), to the precision written.
    last_change = round(series[-1][1] - series[-2][1], 10) if len(series) >= 2 else None
    return TeamTrend(
        owner=state.owner,
        owner_name=state.owner_name,
        objective=state.id,
        title=state.title,
        cycle=state.cycle,
        status=state.status,
        progress=state.progress,
        expected=state.expected,
        confidence=state.confidence,
        series=series,
        weeks=weeks,
        slope_per_week=metrics.slope_per_week(series),
        last_change=last_change,
        drops=metrics.drops(series),
        key_results=state.key_results,
    )


def trends_view(repo: Repo, today: date, unit: str, cycles: list[Cycle]) -> TrendsView:
    owners = set(repo.scope_units(unit))
    every = states(repo, today, {c.id for c in cycles}, owners)
    chosen = [s for s in every if s.cycle.start <= today]
    # Objectives of a cycle that has not started: no week to draw yet, but they exist (status lists them).
    planned = len(every) - len(chosen)
    teams = [team_trend(repo, objective, s, today) for s in chosen if (objective := repo.objective(s.id))]
    per_owner: dict[str, int] = {}
    for team in teams:
        per_owner[team.owner] = per_owner.get(team.owner, 0) + 1
    for team in teams:
        team.several = per_owner[team.owner] > 1
    teams.sort(key=TeamTrend.attention_key)
    for rank, team in enumerate(teams, 1):
        team.rank = rank
    scale = repo.config.checkin.confidence
    used = sorted({t.cycle for t in teams} or set(cycles), key=lambda c: (c.start, c.end, c.id))
    latest_elsewhere = None
    if not teams:
        owned = (d.model for owner in owners for d in repo.objectives_of(owner))
        latest_elsewhere = latest_cycle(repo, owned, started_by=today)
    return TrendsView(
        today=today,
        unit=unit,
        unit_name=repo.unit_name(unit),
        cycles=used,
        scale=(scale.min, scale.max),
        teams=teams,
        latest_elsewhere=latest_elsewhere,
        planned=planned,
        unit_is_team=not repo.children(unit),
    )
