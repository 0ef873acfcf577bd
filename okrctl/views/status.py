"""``okrctl status``: where each objective of the chosen cycles stands today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from okrctl.analysis.fleet import Fleet, fleet
from okrctl.analysis.state import ObjectiveState, states
from okrctl.load.index import Repo
from okrctl.model.cycle import Cycle
from okrctl.views.scope import latest_cycle


@dataclass
class StatusView:
    today: date
    organization: str | None
    cycles: list[Cycle]
    team: str | None  # the unit of the detail view; None for the overview
    team_name: str | None
    objectives: list[ObjectiveState]
    scale: tuple[float, float]  # the confidence scale (min, max)
    fleet: Fleet | None = None  # with --team: the units it depends on and those depending on it
    # With no objective to show: the latest cycle that has some (of the team, with --team), for a hint.
    latest_elsewhere: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON payload (``okrctl.render.envelope`` puts the version and the day before it)."""
        return {
            "cycles": [{"id": c.id, "start": c.start.isoformat(), "end": c.end.isoformat()} for c in self.cycles],
            "team": self.team,
            "confidence_scale": {"min": self.scale[0], "max": self.scale[1]},
            "objectives": [objective_dict(state) for state in self.objectives],
            **({"fleet": self.fleet.to_dict()} if self.fleet is not None else {}),
        }


def objective_dict(state: ObjectiveState) -> dict[str, Any]:
    """SPEC §5 fields (``ObjectiveState.to_dict``) plus what the status screen shows besides."""
    out = state.to_dict()
    last = state.last_checkin
    slope = state.confidence_slope
    out["owner_name"] = state.owner_name
    out["days_since_checkin"] = state.days_since_checkin
    out["confidence_slope_per_week"] = None if slope is None else round(slope, 4)
    out["issues"] = list(last.issues) if last else []
    out["plan"] = list(last.plan) if last else []
    notes = {kr.id: kr.note for kr in state.key_results if kr.note}
    for kr in out["key_results"]:
        kr["note"] = notes.get(kr["id"])
    return out


def unit_order(repo: Repo) -> dict[str, int]:
    """Units in the order of the org tree (root first, then depth first); strays after, by id."""
    return {unit: i for i, unit in enumerate(repo.tree_order())}


def status_view(repo: Repo, today: date, cycles: list[Cycle], team: str | None = None) -> StatusView:
    chosen = states(repo, today, {c.id for c in cycles}, {team} if team else None)
    order = unit_order(repo)
    chosen.sort(key=lambda s: (order.get(s.owner, len(order)), s.cycle.start, s.id))
    scale = repo.config.checkin.confidence
    used = sorted({s.cycle for s in chosen} | set(cycles), key=lambda c: (c.start, c.end, c.id))
    latest_elsewhere = None
    if not chosen:
        owned = repo.objectives_of(team) if team else repo.objectives.values()
        latest_elsewhere = latest_cycle(repo, (d.model for d in owned), started_by=today)
    return StatusView(
        today=today,
        organization=repo.config.organization,
        cycles=used,
        team=team,
        team_name=repo.unit_name(team) if team else None,
        objectives=chosen,
        scale=(scale.min, scale.max),
        fleet=fleet(repo, team, today, {c.id for c in cycles}) if team else None,
        latest_elsewhere=latest_elsewhere,
    )
