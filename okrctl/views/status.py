"""``okrctl status``: where each objective of the chosen cycles stands today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from okrctl.analysis.fleet import Fleet, fleet
from okrctl.analysis.state import ObjectiveState, states
from okrctl.load.index import Repo
from okrctl.model.cycle import Cycle
from okrctl.views.scope import last_checkin_day, latest_cycle

if TYPE_CHECKING:
    from okrctl.load.pipeline import Scope


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
    # Each owner's last check-in on or before ``today``, whatever its cycle (``team_last_checkin``):
    # what "last" says. The state's own is the objective's cycle's, none yet in a new cycle.
    last_checkins: dict[str, date | None] = field(default_factory=dict)

    def days_since_checkin(self, owner: str) -> int | None:
        """Days from the owner's last check-in (``last_checkins``) to ``today``; None: it never checked in."""
        last = self.last_checkins.get(owner)
        return None if last is None else (self.today - last).days

    def to_dict(self) -> dict[str, Any]:
        """The JSON payload (``okrctl.render.envelope`` puts the version and the day before it)."""
        return {
            "cycles": [{"id": c.id, "start": c.start.isoformat(), "end": c.end.isoformat()} for c in self.cycles],
            "team": self.team,
            "confidence_scale": {"min": self.scale[0], "max": self.scale[1]},
            "objectives": [
                objective_dict(state, self.last_checkins.get(state.owner), self.days_since_checkin(state.owner))
                for state in self.objectives
            ],
            **({"fleet": self.fleet.to_dict()} if self.fleet is not None else {}),
        }


def objective_dict(state: ObjectiveState, team_last: date | None, days_since: int | None) -> dict[str, Any]:
    """SPEC §5 fields (``ObjectiveState.to_dict``) plus what the status screen shows besides.

    ``last_checkin`` and ``days_since_checkin`` are the team's last check-in, whatever its cycle, as
    the screen's "last" says (``StatusView.last_checkins``); ``issues`` and ``plan`` stay those of
    the objective's last check-in in its cycle (none yet: empty)."""
    out = state.to_dict()
    last = state.last_checkin
    slope = state.confidence_slope
    out["owner_name"] = state.owner_name
    out["last_checkin"] = None if team_last is None else team_last.isoformat()
    out["days_since_checkin"] = days_since
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


def team_last_checkin(repo: Repo, owner: str, day: date) -> date | None:
    """The day of the owner's last check-in on or before ``day``, whatever its cycle, as the
    report's data age has it (``views.report.checkin_age``): a team with no check-in yet in a new
    cycle did check in before it. The command loads that one (``status_scope``). A check-in with
    errors counts, as for OKR501 (``last_checkin_day``)."""
    return last_checkin_day(repo, owner, day)


def status_scope(day: date, cycles: list[Cycle]) -> Scope:
    """The check-ins the overview reads: those dated in ``cycles``, and each owner's latest one on
    or before ``day`` (``views.scope.LatestBefore``), which may be older than the cycles (none yet
    in a new one) or, with a past ``--cycle``, newer. Not every check-in of the repository."""
    from okrctl.load.pipeline import Scope
    from okrctl.model.cycle import days_after
    from okrctl.views.scope import LatestBefore, checkins_of_cycles

    inside = checkins_of_cycles(cycles)
    # The day after ``day``: LatestBefore keeps the latest check-in dated before its first day.
    return Scope(inside.owners, inside.first, inside.last, also=(LatestBefore(days_after(day, 1)),))


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
        last_checkins={owner: team_last_checkin(repo, owner, today) for owner in {s.owner for s in chosen}},
    )
