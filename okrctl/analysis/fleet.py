"""The fleet around a team: the units it depends on and the units that depend on it.

Teams adjust to each other's progress like ships sailing together: what matters to Discover this
Friday is not only its own numbers but whether Identity Platform, whose KYC answer it needs, is
still on course. For every unit a team depends on (``depends_on``) and every unit with an
objective that depends on the team, the fleet shows that unit's objectives concerned — status,
confidence, any fall of confidence this week — and the issues of its latest check-in.

A dependency is *at risk* (:func:`provider_risk`, rule OKR404, the digest) when the providing
objective is off-track or its confidence fell by ``metrics.DROP_POINTS`` or more between its last
two check-ins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrctl import metrics
from okrctl.analysis.state import ObjectiveState, objective_state
from okrctl.load.index import Repo
from okrctl.model import Objective
from okrctl.model.cycle import days_before
from okrctl.render import numbers

WEEK_DAYS = 7


@dataclass(frozen=True)
class Need:
    """One ``depends_on`` entry: ``objective`` (of ``needer``) needs ``need`` from ``provider``."""

    needer: str
    objective: str
    provider: str
    need: str
    for_kr: str | None


@dataclass
class FleetObjective:
    state: ObjectiveState
    drop: tuple[float, float] | None  # (before, after) when confidence fell in the last 7 days
    risk: str | None  # why a dependency on it is at risk (provider side only)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.state.id,
            "status": self.state.status,
            "confidence": self.state.confidence,
            "confidence_drop_this_week": None if self.drop is None else {"before": self.drop[0], "after": self.drop[1]},
            "at_risk": self.risk,
        }


@dataclass
class FleetUnit:
    unit: str
    name: str
    role: str  # "provider" (the team depends on it) | "dependent" (it depends on the team)
    needs: list[Need]
    objectives: list[FleetObjective]
    issues: list[str] = field(default_factory=list)
    last_checkin: date | None = None

    @property
    def status(self) -> str:
        if not self.objectives:
            return metrics.NO_DATA
        known = [o.state.status for o in self.objectives if o.state.status != metrics.NO_DATA]
        return metrics.worse(*known) if known else metrics.NO_DATA

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "name": self.name,
            "role": self.role,
            "status": self.status,
            "needs": [
                {"objective": n.objective, "from": n.provider, "need": n.need, "for": n.for_kr} for n in self.needs
            ],
            "objectives": [o.to_dict() for o in self.objectives],
            "issues": list(self.issues),
            "last_checkin": None if self.last_checkin is None else self.last_checkin.isoformat(),
        }


@dataclass
class Fleet:
    team: str
    day: date
    providers: list[FleetUnit]
    dependents: list[FleetUnit]

    @property
    def empty(self) -> bool:
        return not self.providers and not self.dependents

    def to_dict(self) -> dict[str, Any]:
        return {
            "depends_on": [u.to_dict() for u in self.providers],
            "depended_on_by": [u.to_dict() for u in self.dependents],
        }


def week_drop(state: ObjectiveState, day: date) -> tuple[float, float] | None:
    """(before, after) when the latest confidence, given in the last 7 days, is lower than the one before."""
    series = state.confidence_series
    if len(series) < 2:
        return None
    (_, before), (last_day, after) = series[-2], series[-1]
    if after < before and days_before(day, WEEK_DAYS) < last_day <= day:
        return before, after
    return None


def provider_risk(state: ObjectiveState, scale_high: float | None = None) -> str | None:
    """Why an objective others depend on is at risk: off-track, or a confidence drop of 3 or more."""
    reasons = []
    if state.status == metrics.OFF_TRACK:
        reasons.append("off-track")
    drops = metrics.drops(state.confidence_series)
    if drops and drops[-1][1] == state.confidence_series[-1][0]:
        _, on, before, after = drops[-1]
        high = f" of {numbers.plain(scale_high)}" if scale_high is not None else ""
        reasons.append(f"its confidence fell {numbers.plain(before)} → {numbers.plain(after)}{high} on {on}")
    return ", ".join(reasons) or None


def after_is(risk: str) -> str:
    """``provider_risk`` as it reads after "objective X is": a drop alone is said to be a risk
    ("at risk: its confidence fell …"); off-track, with a drop or not, reads as it is."""
    return risk if risk.startswith("off-track") else f"at risk: {risk}"


def _overlapping(repo: Repo, a: Objective, b: Objective) -> bool:
    ca, cb = repo.cycle(a.cycle), repo.cycle(b.cycle)
    return ca is not None and cb is not None and ca.start <= cb.end and cb.start <= ca.end


def providing_objectives(repo: Repo, needer: Objective, provider: str, day: date) -> list[Objective]:
    """The provider's objectives a dependency of ``needer`` leans on: those that acknowledge it under
    ``supports``, else every objective of the provider active on ``day`` in an overlapping cycle."""
    active = [d.model for d in repo.objectives_of(provider) if _overlapping(repo, d.model, needer)]
    active = [o for o in active if (c := repo.cycle(o.cycle)) is not None and c.contains(day)] or active
    supporting = [o for o in active if needer.id in o.supports]
    return sorted(supporting or active, key=lambda o: o.id)


def dependency_needs(repo: Repo, team: str, day: date, cycle_ids: set[str]) -> tuple[list[Need], list[Need]]:
    """(what ``team`` needs from others, what others need from ``team``) in the given cycles."""
    needs: list[Need] = []
    needed: list[Need] = []
    for doc in repo.objectives_in(cycle_ids):
        objective: Objective = doc.model
        for dep in objective.depends_on:
            if dep.unit == objective.owner or dep.unit not in repo.units:
                continue
            entry = Need(objective.owner, objective.id, dep.unit, dep.need, dep.for_)
            if objective.owner == team:
                needs.append(entry)
            elif dep.unit == team:
                needed.append(entry)
    return needs, needed


def fleet(repo: Repo, team: str, day: date, cycle_ids: set[str] | None = None) -> Fleet:
    """The units ``team`` depends on and those that depend on it, as they stand on ``day``."""
    if cycle_ids is None:
        cycle_ids = {c.id for c in repo.cycles_containing(day)}
    needs, needed = dependency_needs(repo, team, day, cycle_ids)
    states: dict[str, ObjectiveState | None] = {}

    def state_of(objective: Objective) -> ObjectiveState | None:
        if objective.id not in states:
            states[objective.id] = objective_state(repo, objective, day)
        return states[objective.id]

    high = repo.config.checkin.confidence.max
    providers: dict[str, FleetUnit] = {}
    for need in needs:
        unit = providers.get(need.provider)
        if unit is None:
            unit = providers[need.provider] = FleetUnit(
                need.provider, repo.unit_name(need.provider), "provider", [], []
            )
        unit.needs.append(need)
        needer = repo.objective(need.objective)
        if needer is None:
            continue
        for objective in providing_objectives(repo, needer, need.provider, day):
            if any(o.state.id == objective.id for o in unit.objectives):
                continue
            state = state_of(objective)
            if state is not None:
                unit.objectives.append(FleetObjective(state, week_drop(state, day), provider_risk(state, high)))
    dependents: dict[str, FleetUnit] = {}
    for need in needed:
        unit = dependents.get(need.needer)
        if unit is None:
            unit = dependents[need.needer] = FleetUnit(need.needer, repo.unit_name(need.needer), "dependent", [], [])
        unit.needs.append(need)
        needing = repo.objective(need.objective)
        if needing is None or any(o.state.id == needing.id for o in unit.objectives):
            continue
        state = state_of(needing)
        if state is not None:
            unit.objectives.append(FleetObjective(state, week_drop(state, day), None))
    for unit in [*providers.values(), *dependents.values()]:
        latest = max(
            (o.state.last_checkin for o in unit.objectives if o.state.last_checkin is not None),
            key=lambda c: c.date,
            default=None,
        )
        if latest is not None:
            unit.issues = list(latest.issues)
            unit.last_checkin = latest.date
    return Fleet(
        team,
        day,
        sorted(providers.values(), key=lambda u: u.unit),
        sorted(dependents.values(), key=lambda u: u.unit),
    )


def fleet_units(repo: Repo, team: str, day: date, cycle_ids: set[str] | None = None) -> set[str]:
    """``team`` and every unit its fleet shows (what a loader must read check-ins of)."""
    if cycle_ids is None:
        cycle_ids = {c.id for c in repo.cycles_containing(day)}
    needs, needed = dependency_needs(repo, team, day, cycle_ids)
    return {team} | {n.provider for n in needs} | {n.needer for n in needed}
