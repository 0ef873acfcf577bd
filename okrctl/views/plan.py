"""The planning-workshop pre-read of one team for one cycle (``okrctl plan``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypeVar

from okrctl.analysis.alignment import in_overlapping_cycle
from okrctl.analysis.state import ObjectiveState, objective_state
from okrctl.load.index import Repo
from okrctl.model import Objective, Strategy
from okrctl.model.cycle import Cycle, calendar_cycle
from okrctl.safetext import shown_path

QUESTIONS = (
    "Our strategic goal: which priority or parent objective does our work serve most this cycle?",
    "The part relevant to us: which piece of it can this team move directly, in its own words?",
    "What can we really move this cycle, given our capacity, our dependencies and what the others drafted?",
    "How will we know? Which metric moves, from which baseline to which target?",
)
PROUD_PROMPT = "Imagine it is the end of {cycle} and you are proud - what happened?"


@dataclass
class Dependency:
    """A need another unit declared on the team."""

    objective_id: str
    owner: str
    owner_name: str
    cycle: str
    need: str
    for_kr: str | None
    acknowledged: bool  # the team lists the needing objective under ``supports``


@dataclass
class PlanView:
    team: str
    team_name: str
    parent: str | None
    parent_name: str | None
    cycle: Cycle
    cycle_reason: str  # how the cycle was chosen (shown to the user)
    strategies: list[Strategy]
    strategy_note: str | None
    parent_objectives: list[Objective]  # of the planned cycle (or overlapping it)
    parent_context: list[Objective]  # the parent's latest objectives when it has none for the cycle yet
    sibling_objectives: list[Objective]
    dependencies: list[Dependency]
    own_objectives: list[Objective]  # what the team already drafted for the cycle
    previous: list[ObjectiveState]  # the team's objectives of the cycle before, as they stand
    alignment_choices: list[str]  # refs the draft objective may align to, best first
    questions: list[str] = field(default_factory=list)
    proud_prompt: str = ""
    today: date | None = None  # the day the pre-read is made on
    scaffolded: str | None = None  # the draft written with --write (relative path)
    existing_draft: str | None = None  # the file --write would create, when it is there already
    blocked_draft: str | None = None  # that path, when a link or a folder stands there (no --write)
    # Where the team names a parent that is no unit (OKR104), "units/cards.yaml:6"; None otherwise.
    parent_missing: str | None = None

    @property
    def past(self) -> bool:
        """The cycle has ended: nothing is "not yet" about it, and nothing later is its context."""
        return self.today is not None and self.cycle.end < self.today


# ----- cycles ------------------------------------------------------------------------------------------
_QUARTER = re.compile(r"^[0-9]{4}-Q[1-4]\Z")
_HALF = re.compile(r"^[0-9]{4}-H[12]\Z")
_YEAR = re.compile(r"^[0-9]{4}\Z")


def _calendar_id(kind: str, day: date) -> str:
    if kind == "half":
        return f"{day.year:04d}-H{1 if day.month <= 6 else 2}"
    if kind == "year":
        return f"{day.year:04d}"
    return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"


def _of_a_kind(cycle: Cycle, other: Cycle) -> bool:
    """Whether ``other`` could follow ``cycle`` in a plan: less than twice as long (a year or a
    half is not the cycle after a quarter). ``days`` is one less than a cycle's length in days:
    a half is 181 to 184 days long, a quarter 90 to 92, so the comparison holds for every pair."""
    return other.id != cycle.id and _shorter_than_twice(other, cycle)


def _shorter_than_twice(cycle: Cycle, than: Cycle) -> bool:
    """``cycle`` lasts less than twice as long as ``than``, counting both cycles' days."""
    return cycle.days + 1 < 2 * (than.days + 1)


def _own_dates(cycle: Cycle) -> bool:
    """Whether the organisation chose ``cycle``'s dates: a name of its own, or a calendar name
    declared for other dates (a fiscal ``2027-Q1`` from October). A calendar name declared with the
    calendar's own dates changes nothing."""
    calendar = calendar_cycle(cycle.id)
    return calendar is None or (calendar.start, calendar.end) != (cycle.start, cycle.end)


def _common_start(one: str, other: str) -> int:
    """How many characters two names share from their start."""
    shared = 0
    for a, b in zip(one, other, strict=False):
        if a != b:
            break
        shared += 1
    return shared


def following_cycle(repo: Repo, cycle: Cycle) -> Cycle:
    """The cycle after ``cycle``, of the same kind (itself at 9999-12-31): a declared one that
    starts the day after it ends; after a cycle whose dates the organisation chose, the next such
    one to start (declared cycles may leave a cool-down week between them); else the calendar's.

    UsageError after a cycle whose dates the organisation chose when no declared cycle follows it:
    the calendar's next name would not start where it ends (fiscal quarters are declared), nor is
    it the next of a cycle of the organisation's own naming."""
    if cycle.end >= date.max:
        return cycle  # dates end here: there is no next cycle to plan
    day = cycle.end + timedelta(days=1)
    for declared in repo.cycles.declared.values():
        if declared.start == day and _of_a_kind(cycle, declared):
            return declared
    if _own_dates(cycle):
        # One that overlaps the end of this one follows it too: it starts in its second half and
        # ends later (one that starts with it runs beside it: another team's). Of those, the one
        # named most like it (pf-26c3 → pf-26c4 rather than another team's xx-b), then the first.
        middle = cycle.start + timedelta(days=cycle.days // 2)
        fiscal = calendar_cycle(cycle.id) is not None  # followed by the next of its names, not a team's own
        later = [
            c
            for c in repo.cycles.declared.values()
            if c.start > middle
            and c.end > cycle.end
            and _of_a_kind(cycle, c)
            and (not fiscal or calendar_cycle(c.id) is not None)
        ]
        if later:
            return min(later, key=lambda c: (-_common_start(c.id, cycle.id), c.start, c.days, c.id))
        from okrctl.errors import UsageError

        raise UsageError(
            f"okrctl.yaml declares {cycle.id} ({cycle.start} to {cycle.end}) and no cycle after it;"
            " declare the next one under cycles, or pass --cycle"
        )
    kind = "quarter"
    if _HALF.match(cycle.id):
        kind = "half"
    elif _YEAR.match(cycle.id):
        kind = "year"
    found = repo.cycle(_calendar_id(kind, day))
    return found or calendar_cycle(_calendar_id(kind, day))  # type: ignore[return-value]


# A cycle's first days: a team that has not written its objectives for the cycle that has just
# started still prepares that one (its workshop is late); after them, the one after it.
FIRST_DAYS = 14


def _started(repo: Repo, team: str, day: date) -> list[Cycle]:
    """The cycles of the team's objectives that have started by ``day`` (what it has worked in)."""
    found = {c.id: c for d in repo.objectives_of(team) if (c := repo.cycle(d.model.cycle)) is not None}
    return [c for c in found.values() if c.start <= day]


def _another_teams_kind(repo: Repo, team: str | None, day: date) -> set[str]:
    """The declared cycles of the organisation's own naming that are not ``team``'s kind of cycle:
    for a team that has so far worked only in calendar names (quarters, or fiscal quarters that
    took them), every one it has no objectives in, used by another team or by nobody yet. A team
    that keeps cycles of its own, or has worked in none yet, may take any."""
    if team is None:
        return set()
    started = _started(repo, team, day)
    if not started or any(calendar_cycle(c.id) is None for c in started):
        return set()
    own = {str(d.model.cycle) for d in repo.objectives_of(team)}
    return {i for i in repo.cycles.declared if calendar_cycle(i) is None and i not in own}


def _in_use(repo: Repo, day: date, team: str | None = None) -> list[Cycle]:
    """The cycles containing ``day`` that plans follow: those of objectives, and those declared,
    except a calendar name declared with the calendar's own dates and no objectives (as if it had
    not been declared). The team's own, when it has objectives in some of them: another team's
    cycle of its own is not the one this team plans after, nor, for a team in calendar names, a
    cycle of the organisation's own naming that nobody works in yet."""
    found = repo.cycles_containing(day)
    if team is not None:
        own = {str(d.model.cycle) for d in repo.objectives_of(team)}
        if any(c.id in own for c in found):
            return [c for c in found if c.id in own]
        if own:
            # Nor, for a team with objectives, a cycle of dates of their own that only other
            # teams' objectives use: the team does not work in it.
            others = {str(d.model.cycle) for d in repo.objectives.values() if d.model.owner != team}
            foreign = _another_teams_kind(repo, team, day)
            found = [c for c in found if not (_own_dates(c) and c.id in others) and c.id not in foreign]
            # Nor a cycle twice as long as its last one or longer (the company's year, or a
            # half, for a team in quarters): it is not the kind of cycle the team plans in (see
            # _of_a_kind).
            started = _started(repo, team, day)
            if started:
                last = max(started, key=lambda c: (c.end, -c.days, c.id))
                found = [c for c in found if _shorter_than_twice(c, last)]
    if all(_own_dates(c) for c in found):
        return found
    used = {str(d.model.cycle) for d in repo.objectives.values()}
    return [c for c in found if _own_dates(c) or c.id in used]


def current_cycle(repo: Repo, day: date, team: str | None = None) -> Cycle | None:
    """The shortest cycle in use that contains ``day`` (a quarter over a year), of the team's own
    when it has objectives in one; else its quarter.

    None when the quarter's name is declared for other dates (a fiscal ``2026-Q1`` from February
    leaves January in no quarter)."""
    found = _in_use(repo, day, team)
    if found:
        return min(found, key=lambda c: (c.days, c.start, c.id))
    quarter = repo.cycle(_calendar_id("quarter", day)) or calendar_cycle(_calendar_id("quarter", day))
    return quarter if quarter is not None and quarter.contains(day) else None


def _after(cycle: Cycle, upcoming: Cycle) -> tuple[Cycle, str]:
    if upcoming.id == cycle.id:  # the last cycle of the calendar (9999-Q4) has none after it
        return cycle, "today's cycle, the last of the calendar; pass --cycle to plan another"
    return upcoming, f"the cycle after {cycle.id}; pass --cycle to plan another"


def _within(repo: Repo, team: str, long: Cycle, day: date) -> tuple[Cycle, str] | None:
    """For a unit whose cycle under way holds the shorter cycles its units below plan in (a business
    unit's year, its teams' quarters): the next of those before the last one of the year; in the
    last one, None (the cycle after the year is next)."""
    below = set(repo.descendants(team))

    def inside(c: Cycle) -> bool:
        return long.start <= c.start and c.end <= long.end and 2 * c.days <= long.days

    cycles = {c.id: c for d in repo.objectives.values() if d.model.owner in below and (c := repo.cycle(d.model.cycle))}
    if not any(inside(c) for c in cycles.values()):
        return None
    theirs = set(cycles)
    # Of their kind: calendar names (or fiscal ones that took them), or cycles of their own.
    shorter = [c for c in _in_use(repo, day) if inside(c) and (calendar_cycle(c.id) is not None or c.id in theirs)]
    if not shorter:  # the calendar's quarter of the day, when no declared one or objective holds it
        quarter = repo.cycle(_calendar_id("quarter", day))
        shorter = [quarter] if quarter is not None and quarter.contains(day) and inside(quarter) else []
    if not shorter:
        return None
    now = min(shorter, key=lambda c: (c.days, c.start, c.id))
    if (day - now.start).days < FIRST_DAYS and now.id not in theirs and now.start > date.min:
        # Its first days, before the units below wrote theirs: that one, as they prepare it.
        eve = now.start - timedelta(days=1)
        before = [c for c in repo.cycles_containing(eve) if inside(c) and c.end == eve]
        quarter = repo.cycle(_calendar_id("quarter", eve))
        if not before and quarter is not None and inside(quarter) and quarter.end == eve:
            before = [quarter]
        if before:
            return now, f"the cycle after {min(before, key=lambda c: (c.days, c.id)).id}; pass --cycle to plan another"
    if now.end >= long.end:
        return None
    return _after(now, following_cycle(repo, now))


def _teams_next(repo: Repo, day: date, team: str) -> tuple[Cycle, str] | None:
    """The next cycle reasoned from the team's own: the one after its cycle under way (for a unit
    whose year holds its teams' quarters, the next quarter until the year's last one); between two
    of its cycles (a cool-down week) or in the first days of the one after its last, that one; later,
    the one after the cycle of its kind under way, or the next of its kind to start. None when its
    own cycles do not tell (none started yet, or idle for longer than a cycle in calendar names)."""
    started = _started(repo, team, day)
    if not started:
        return None
    now = [c for c in started if c.contains(day)]
    if now:
        long = min(now, key=lambda c: (c.days, c.start, c.id))
        return _within(repo, team, long, day) or _after(long, following_cycle(repo, long))
    last = max(started, key=lambda c: (c.end, -c.days, c.id))
    if (day - last.end).days > last.days and calendar_cycle(last.id) is not None:
        # Idle for longer than a cycle in calendar names (or fiscal ones that took them): the
        # organisation's cycles of the team's kind tell (fiscal quarters declared since, or not).
        # A cycle of the organisation's own naming is followed by the next such cycle, however
        # long ago (the calendar's quarters are no cycle of that team's).
        return None
    cycle = last
    while True:  # each next cycle ends later: this ends once one contains the day or starts after it
        upcoming = following_cycle(repo, cycle)  # UsageError after the last declared of its naming
        if upcoming.id == cycle.id:
            return None
        if not _own_dates(cycle) and upcoming.start != cycle.end + timedelta(days=1):
            return None  # the calendar's next name was declared for other dates (fiscal): not its next
        if upcoming.start > day or (cycle is last and (day - upcoming.start).days < FIRST_DAYS):
            return upcoming, f"the cycle after {cycle.id}; pass --cycle to plan another"
        if upcoming.contains(day):
            # Well under way without the team's objectives: still its kind of cycle under way (a
            # quarter), not a longer one that another unit's objectives put in use (the company's
            # year), nor the calendar's quarter for a team in cycles of the organisation's naming.
            return _within(repo, team, upcoming, day) or _after(upcoming, following_cycle(repo, upcoming))
        cycle = upcoming  # over too, without the team's objectives: the one after it


def default_plan_cycle(repo: Repo, day: date, team: str | None = None) -> tuple[Cycle, str]:
    """Planning prepares the next cycle: the one after today's (the team's, when it has worked in
    one); between declared cycles, the next one to start."""
    if team is not None:
        chosen = _teams_next(repo, day, team)
        if chosen is not None:
            return chosen
    now = current_cycle(repo, day, team)
    if not _in_use(repo, day, team):
        # No cycle in use contains the day (before the first declared cycle, or in a gap between
        # two): the next declared one to start, if it is of the organisation's own naming or starts
        # within the calendar's quarter of the day (not a declared year months away), and not
        # another team's kind of cycle.
        foreign = _another_teams_kind(repo, team, day)
        ahead = [
            c
            for c in repo.cycles.declared.values()
            if c.start > day
            and (now is None or c.start <= now.end or calendar_cycle(c.id) is None)
            and c.id not in foreign
        ]
        if ahead:
            upcoming = min(ahead, key=lambda c: (c.start, c.days, c.id))
            return upcoming, "the next cycle to start; pass --cycle to plan another"
        # Nothing declared ahead, after fiscal cycles that took calendar names: the calendar's
        # quarter of the day is no cycle of the organisation's (following_cycle says what to do).
        fiscal = [
            c
            for c in repo.cycles.declared.values()
            if c.end < day and _own_dates(c) and calendar_cycle(c.id) is not None
        ]
        if fiscal:
            last = max(fiscal, key=lambda c: (c.end, -c.days, c.id))
            # Only when they are the last such cycles worked in: objectives of a later calendar
            # cycle (after fiscal cycles long over) say the organisation moved on; a team's cycle
            # of its own does not.
            used = [c for d in repo.objectives.values() if (c := repo.cycle(d.model.cycle)) is not None]
            if not any(c.end > last.end and not _own_dates(c) for c in used):
                upcoming = following_cycle(repo, last)
                return upcoming, f"the cycle after {last.id}; pass --cycle to plan another"
    if now is None:
        now = calendar_cycle(_calendar_id("quarter", day))  # type: ignore[assignment]
        assert now is not None
    return _after(now, following_cycle(repo, now))


# ----- the pre-read ------------------------------------------------------------------------------------
def _overlapping(repo: Repo, objective: Objective, cycle: Cycle) -> bool:
    return in_overlapping_cycle(repo, objective, (cycle,))


def _strategies(repo: Repo, team: str, cycle: Cycle, day: date) -> tuple[list[Strategy], str | None]:
    owners = {team, *repo.ancestors(team)}
    mine = [d.model for d in repo.strategies.values() if d.model.owner in owners]
    covering = [s for s in mine if (c := repo.cycle(s.cycle)) is not None and c.overlaps(cycle)]
    if covering:
        return covering, None
    if cycle.end < day:  # a cycle that has ended: a later strategy is no context of it
        return [], f"no strategy of this unit or its ancestors covered {cycle.id}"
    if not mine:
        return [], "no strategy of this unit or its ancestors yet"
    latest = _ending_last(repo, mine)
    cycles = ", ".join(dict.fromkeys(str(s.cycle) for s in latest))
    if len(latest) == 1:
        return latest, f"no strategy covers {cycle.id} yet; the latest one ({cycles}) is shown"
    return latest, f"no strategy covers {cycle.id} yet; the latest ones ({cycles}) are shown"


_Dated = TypeVar("_Dated", Objective, Strategy)


def _ending_last(repo: Repo, items: list[_Dated]) -> list[_Dated]:
    """Those of ``items`` whose cycle ends last, in their order (an unknown cycle ends before any
    other): every one of them, as cycles can end on one day (a quarter and the year it closes)."""

    def end_of(item: _Dated) -> date:
        found = repo.cycle(item.cycle)
        return found.end if found else date.min

    last = max(map(end_of, items), default=None)
    return [item for item in items if end_of(item) == last]


def _of_cycle_first(repo: Repo, objectives: list[Objective], cycle: Cycle) -> list[Objective]:
    """The objectives of ``cycle``, then those of the other cycles overlapping it."""
    exact = [o for o in objectives if str(o.cycle) == cycle.id]
    return exact + [o for o in objectives if str(o.cycle) != cycle.id and _overlapping(repo, o, cycle)]


def _previous_cycle_states(repo: Repo, team: str, cycle: Cycle, day: date) -> list[ObjectiveState]:
    earlier = [d.model for d in repo.objectives_of(team) if (c := repo.cycle(d.model.cycle)) and c.end < cycle.start]
    if not earlier:
        return []
    last_end = max(repo.cycle(o.cycle).end for o in earlier)  # type: ignore[union-attr]
    out = []
    for objective in earlier:
        found = repo.cycle(objective.cycle)
        if found is not None and found.end == last_end:
            state = objective_state(
                repo, objective, min(day, found.end) if day >= found.start else found.start, written_by=day
            )
            if state is not None:
                out.append(state)
    return out


def _missing_parent(repo: Repo, team: str) -> str | None:
    """The file and line where ``team`` names a parent that is no unit (OKR104), else None."""
    doc = repo.units.get(team)
    if doc is None or not doc.model.parent or doc.model.parent in repo.units:
        return None
    line, _column, _about = repo.place(doc, ("parent",))
    return f"{shown_path(doc.path)}:{line}"


def plan_view(repo: Repo, team: str, cycle: Cycle, reason: str, day: date) -> PlanView:
    unit = repo.unit(team)
    parent = unit.parent if unit else None
    strategies, strategy_note = _strategies(repo, team, cycle, day)

    parent_objectives: list[Objective] = []
    parent_context: list[Objective] = []
    if parent:
        all_parent = [d.model for d in repo.objectives_of(parent)]
        parent_objectives = [o for o in all_parent if str(o.cycle) == cycle.id]
        parent_objectives += [o for o in all_parent if str(o.cycle) != cycle.id and _overlapping(repo, o, cycle)]
        if not parent_objectives and all_parent and cycle.end >= day:
            parent_context = _ending_last(repo, [o for o in all_parent if repo.cycle(o.cycle) is not None])

    siblings = [u for u in repo.children(parent)] if parent else []
    # Of the planned cycle first, then of cycles overlapping it (a year's plan sees its quarters),
    # as the parent's objectives are chosen.
    sibling_objectives = _of_cycle_first(
        repo, [d.model for s in siblings if s != team for d in repo.objectives_of(s)], cycle
    )
    own = _of_cycle_first(repo, [d.model for d in repo.objectives_of(team)], cycle)
    supported = {s for d in repo.objectives_of(team) if _overlapping(repo, d.model, cycle) for s in d.model.supports}
    dependencies = []
    for doc in repo.objectives.values():
        objective: Objective = doc.model
        if objective.owner == team or not _overlapping(repo, objective, cycle):
            continue
        for dep in objective.depends_on:
            if dep.unit == team:
                dependencies.append(
                    Dependency(
                        objective.id,
                        objective.owner,
                        repo.unit_name(objective.owner),
                        str(objective.cycle),
                        dep.need,
                        dep.for_,
                        objective.id in supported,
                    )
                )
    return PlanView(
        team=team,
        team_name=repo.unit_name(team),
        parent_missing=_missing_parent(repo, team),
        parent=parent,
        parent_name=repo.unit_name(parent) if parent else parent,
        cycle=cycle,
        cycle_reason=reason,
        strategies=strategies,
        strategy_note=strategy_note,
        parent_objectives=parent_objectives,
        parent_context=parent_context,
        sibling_objectives=sibling_objectives,
        dependencies=dependencies,
        own_objectives=own,
        previous=_previous_cycle_states(repo, team, cycle, day),
        alignment_choices=_alignment_choices(repo, team, cycle, parent_objectives, strategies),
        questions=list(QUESTIONS),
        proud_prompt=PROUD_PROMPT.format(cycle=cycle.id),
        today=day,
    )


def _alignment_choices(
    repo: Repo, team: str, cycle: Cycle, parent_objectives: list[Objective], strategies: list[Strategy]
) -> list[str]:
    """What a draft may align to without breaking OKR205/OKR207: parent, ancestors, then priorities."""
    refs = [o.id for o in parent_objectives]
    for ancestor in repo.ancestors(team)[1:]:
        refs += [d.model.id for d in repo.objectives_of(ancestor) if _overlapping(repo, d.model, cycle)]
    for strategy in strategies:
        found = repo.cycle(strategy.cycle)
        if found is not None and found.overlaps(cycle):
            refs += [f"{strategy.id}/{p.id}" for p in strategy.priorities]
    return list(dict.fromkeys(refs))


def to_dict(view: PlanView) -> dict[str, Any]:
    def objective(o: Objective) -> dict[str, Any]:
        return {
            "id": o.id,
            "owner": o.owner,
            "cycle": str(o.cycle),
            "title": o.title,
            "aligns": [{"to": a.to, "type": a.type} for a in o.aligns],
            "key_results": [key_result(kr) for kr in o.key_results],
        }

    def key_result(kr: Any) -> dict[str, Any]:
        # A key result as written, with the names and forms of ``retro``/``status`` JSON (KRState):
        # every field there for every type (None where the type has none), so that a tool reading
        # a milestone or a maintained range tells it from a metric without a baseline.
        fields = vars(kr)  # each KR type's own fields, as analysis.state reads them
        return {
            "id": kr.id,
            "title": kr.title,
            "type": kr.type,
            "unit": fields.get("unit"),
            "baseline": fields.get("baseline"),
            "target": fields.get("target"),
            "min": fields.get("min"),
            "max": fields.get("max"),
            "weight": kr.weight,
        }

    return {
        "team": view.team,
        "parent": view.parent,
        "parent_is_unit": view.parent is not None and view.parent_missing is None,
        "cycle": {"id": view.cycle.id, "start": view.cycle.start.isoformat(), "end": view.cycle.end.isoformat()},
        "cycle_reason": view.cycle_reason,
        "strategies": [
            {
                "id": s.id,
                "cycle": str(s.cycle),
                "vision": s.vision,
                "priorities": [{"id": p.id, "title": p.title} for p in s.priorities],
                "not_doing": list(s.not_doing),
            }
            for s in view.strategies
        ],
        "parent_objectives": [objective(o) for o in view.parent_objectives],
        "parent_context": [objective(o) for o in view.parent_context],
        "sibling_objectives": [objective(o) for o in view.sibling_objectives],
        "dependencies": [
            {
                "objective": d.objective_id,
                "owner": d.owner,
                "cycle": d.cycle,
                "need": d.need,
                "for": d.for_kr,
                "acknowledged": d.acknowledged,
            }
            for d in view.dependencies
        ],
        "own_objectives": [objective(o) for o in view.own_objectives],
        "previous": [s.to_dict() for s in view.previous],
        "alignment_choices": view.alignment_choices,
        "questions": view.questions + [view.proud_prompt],
    }
