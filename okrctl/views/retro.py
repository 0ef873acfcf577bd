"""The retrospective pre-read (``okrctl retro``): for one team, or across a unit.

Everything is computed through ``metrics`` and ``views.state``: scores (end of cycle, with the
retro's overrides) or progress against the expected pace (mid-cycle), the confidence trajectory
and its drops, and the issues the team kept raising.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from okrctl import metrics
from okrctl.analysis.issues import normalise_issue
from okrctl.analysis.state import ObjectiveState, end_retro, objective_state, score_key, score_override
from okrctl.analysis.windows import END_RETRO_WINDOW_DAYS
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective, Retro
from okrctl.model.cycle import Cycle
from okrctl.render import numbers

if TYPE_CHECKING:
    from okrctl.load.declared import Declared

RECURRING_MIN = 2


# ----- pieces -------------------------------------------------------------------------------------------
@dataclass
class Drop:
    """A confidence fall of 3 points or more between two consecutive check-ins."""

    objective_id: str
    start: date
    end: date
    before: float
    after: float
    issues: list[str]  # the issues of the check-in that reported the drop
    new_issues: list[str]  # those not raised the check-in before

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.objective_id,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            "before": self.before,
            "after": self.after,
            "issues": self.issues,
            "new_issues": self.new_issues,
        }


@dataclass
class RecurringIssue:
    """The same issue (after normalising case, spacing and punctuation) in several check-ins."""

    text: str  # as written the last time
    checkins: int
    first: date
    last: date
    weeks: int  # calendar span from the first to the last mention, in weeks (inclusive)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "checkins": self.checkins,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "weeks": self.weeks,
        }


@dataclass
class Discipline:
    """Check-in discipline: cadence weeks of the cycle up to today that have a check-in."""

    owner: str
    owner_name: str
    weeks: int
    weeks_with_checkin: int
    cadence_days: int = 7  # the length of each "week": the configured cadence
    started: bool = True  # False before the cycle's first day (its first week also has 0 weeks)

    @property
    def share(self) -> float | None:
        return self.weeks_with_checkin / self.weeks if self.weeks else None

    def to_dict(self) -> dict[str, Any]:
        share = self.share
        return {
            "owner": self.owner,
            "weeks": self.weeks,
            "weeks_with_checkin": self.weeks_with_checkin,
            "cadence_days": self.cadence_days,
            "share": None if share is None else round(share, 4),
        }


@dataclass
class ObjectiveRetro:
    state: ObjectiveState
    score: float | None  # end: final (or provisional) objective score; mid: None
    kr_scores: dict[str, float]
    overrides: dict[str, str]  # KR id -> the end retro's reason for overriding its score
    drops: list[Drop]

    @property
    def band(self) -> str | None:
        return None if self.score is None else metrics.score_band(self.score)

    def to_dict(self, stage: str) -> dict[str, Any]:
        data = self.state.to_dict()
        if stage == "end":
            data["score"] = self.score
            data["score_band"] = self.band
            for kr in data["key_results"]:
                kr["score"] = self.kr_scores.get(kr["id"])
                # The band goes with the score shown (provisional before the cycle's end, as the
                # objective's), not with the state's, which has none until the end.
                kr["score_band"] = None if kr["score"] is None else metrics.score_band(kr["score"])
                if kr["id"] in self.overrides:
                    kr["score_reason"] = self.overrides[kr["id"]]
        data["drops"] = [d.to_dict() for d in self.drops]
        return data


@dataclass
class WrittenRetro:
    path: str
    stage: str
    date: date
    lists: dict[str, list[str]]  # attractors, detractors, achieved, learned, surprised, change

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "stage": self.stage, "date": self.date.isoformat(), **self.lists}


SET_WITHOUT_REASON = "set in the end retro"  # an override's reason when the retro gives none
RETRO_LISTS = ("attractors", "detractors", "achieved", "learned", "surprised", "change")


@dataclass
class TeamRetro:
    team: str
    team_name: str
    cycle: Cycle
    cycle_reason: str
    stage: str
    day: date
    provisional: bool  # an end retro prepared before the cycle ended: scores so far
    objectives: list[ObjectiveRetro]
    recurring: list[RecurringIssue]
    written: list[WrittenRetro]
    discipline: Discipline
    checkins: int
    questions: list[str] = field(default_factory=list)
    scaffolded: str | None = None  # the retro file written with --write (relative path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "team": self.team,
            "name": self.team_name,
            "cycle": _cycle_dict(self.cycle),
            "cycle_reason": self.cycle_reason,
            "stage": self.stage,
            "provisional": self.provisional,
            "objectives": [o.to_dict(self.stage) for o in self.objectives],
            "recurring_issues": [r.to_dict() for r in self.recurring],
            "retros": [w.to_dict() for w in self.written],
            "checkin_discipline": self.discipline.to_dict(),
            "questions": self.questions,
        }


@dataclass
class UnitRetro:
    unit: str
    unit_name: str
    cycle: Cycle
    cycle_reason: str
    stage: str
    day: date
    provisional: bool  # the cycle has not ended: scores so far
    objectives: list[ObjectiveRetro]
    discipline: list[Discipline]
    questions: list[str] = field(default_factory=list)

    @property
    def distribution(self) -> dict[str, int]:
        counts = {metrics.GREEN: 0, metrics.YELLOW: 0, metrics.RED: 0}
        for o in self.objectives:
            if o.band is not None:
                counts[o.band] += 1
        return counts

    @property
    def reached(self) -> float | None:
        """Share of objectives that scored 0.7 or better."""
        scored = [o.score for o in self.objectives if o.score is not None]
        return sum(1 for s in scored if metrics.score_band(s) == metrics.GREEN) / len(scored) if scored else None

    def to_dict(self) -> dict[str, Any]:
        reached = self.reached
        return {
            "unit": self.unit,
            "name": self.unit_name,
            "cycle": _cycle_dict(self.cycle),
            "cycle_reason": self.cycle_reason,
            "stage": self.stage,
            "provisional": self.provisional,
            "distribution": self.distribution,
            "share_at_0_7": None if reached is None else round(reached, 4),
            "objectives": [o.to_dict("end") for o in self.objectives],
            "checkin_discipline": [d.to_dict() for d in self.discipline],
            "questions": self.questions,
        }


def _cycle_dict(cycle: Cycle) -> dict[str, str]:
    return {"id": cycle.id, "start": cycle.start.isoformat(), "end": cycle.end.isoformat()}


# ----- choices ----------------------------------------------------------------------------------------
def default_cycle(
    repo: Repo,
    owners: Sequence[str],
    day: date,
    stage: str | None,
    broken: Callable[[], Sequence[Declared]] | None = None,
) -> tuple[Cycle, str] | None:
    """The cycle a retro is about when --cycle is not given (None: the owners have no objectives).

    An end retro is held in the weeks after a cycle ends, so a cycle that ended in the last 45
    days wins for ``--stage end``; otherwise the cycle containing today, else the latest started.
    The owners' objectives with errors (of ``broken``, read only when a file has errors) are theirs
    all the same: their cycles count, so that a broken objective of this quarter is refused
    (``refuse_broken_objective``) rather than passed over for last quarter's. As checkin takes it,
    an objective with no known cycle (none, or unknown: OKR104) may be today's, and one with no
    readable owner may be the owners' when its cycle contains today: the cycles of today count.
    """
    cycles: dict[str, Cycle] = {}
    today = repo.cycles_containing(day)

    def take(cycle_id: str | None, theirs: bool) -> None:
        found = repo.cycle(cycle_id) if cycle_id else None
        for cycle in [found] if found is not None else today:
            if theirs or cycle.contains(day):
                cycles[cycle.id] = cycle

    for owner in owners:
        for doc in repo.objectives_of(owner):
            take(str(doc.model.cycle), True)
    if broken is not None and repo.unread_findings():
        for said in broken():
            if said.owner is None or said.owner in owners:
                take(said.cycle, said.owner is not None)
    if not cycles:
        return None
    every = sorted(cycles.values(), key=lambda c: (c.end, c.start, c.id))
    if stage == "end":
        recent = [c for c in every if c.end <= day and (day - c.end).days <= END_RETRO_WINDOW_DAYS]
        if recent:
            return recent[-1], f"ended {recent[-1].end}"
    containing = [c for c in every if c.contains(day)]
    if containing:
        chosen = min(containing, key=lambda c: (c.days, c.start))
        # A retro is of one cycle, the shortest; objectives of another cycle of today (a company's
        # yearly one beside the quarter's) are not in it, and the reason says where they are.
        others = []
        for other in containing:
            if other is not chosen:
                count = sum(len(repo.objectives_of(owner, other.id)) for owner in owners)
                if count:
                    more = f"{count} more objective{'s' if count != 1 else ''}"
                    others.append(f"{more} in {other.id}: pass --cycle {other.id}")
        return chosen, "; ".join(["contains today", *others])
    started = [c for c in every if c.start <= day]
    if started:
        return started[-1], "the latest cycle that started"
    return every[0], "the next cycle"


def refuse_broken_objective(
    repo: Repo,
    subject: str,
    owners: Sequence[str],
    cycle: Cycle | None,
    broken: Callable[[], Sequence[Declared]],
    day: date,
) -> None:
    """Owners with no valid objective (in ``cycle``, when given) may have one with errors (of
    ``broken``, what the broken objectives declare, read only then): that file is what to fix, named
    with the line of that objective's first error (exit 1, as checkin does), rather than "no
    objectives in any cycle" or a pre-read of no objective. One naming an unknown cycle may be today's (as in
    ``default_cycle``): it counts for a cycle that contains ``day`` only, not for a past one asked."""
    if any(repo.objectives_of(owner, cycle.id if cycle else None) for owner in owners):
        return
    from okrctl.errors import ContentError
    from okrctl.safetext import command_word, shown_value
    from okrctl.views.scope import broken_document_line

    who = f"'{subject}' has" if len(owners) == 1 else f"'{subject}' and the units below it have"
    then = f"so {who} no valid objective {f'in {cycle.id}' if cycle else 'in any cycle'} to look back on"
    wanted = {*owners, None}

    def of_another_cycle(named: str | None) -> bool:
        if cycle is None or not named:
            return False  # one with no cycle line may be of this one
        found = repo.cycle(named)
        return found.id != cycle.id if found is not None else not cycle.contains(day)

    for said in sorted(broken(), key=lambda said: (said.doc.path, said.doc.index)):
        if said.owner not in wanted or of_another_cycle(said.cycle):
            continue  # another's, or of another cycle
        whose = f"the objective of '{said.owner}' here" if said.owner else "an objective here with no readable owner"
        raise ContentError(
            f"{whose} has errors, {then}; fix it first ('okrctl align {command_word(said.doc.path)}' shows every "
            "problem)",
            path=said.doc.path,
            line=broken_document_line(repo, said.doc),
        )
    for doc in sorted((d for owner in owners for d in repo.objectives_of(owner)), key=lambda d: (d.path, d.index)):
        named = str(doc.model.cycle)
        if repo.cycle(named) is None and not of_another_cycle(named):  # loaded, of a cycle not known (OKR104)
            raise ContentError(
                f"the objective of '{doc.model.owner}' here names the unknown cycle "
                f"'{shown_value(str(doc.model.cycle))}', {then}; fix it first ('okrctl align "
                f"{command_word(doc.path)}' shows every problem)",
                path=doc.path,
                line=repo.place(doc, ("cycle",))[0] or doc.line,
            )


def default_stage(cycle: Cycle, day: date) -> str:
    return "end" if day >= cycle.end else "mid"


# ----- computations -----------------------------------------------------------------------------------
def recurring_issues(checkins: Sequence[CheckIn], minimum: int = RECURRING_MIN) -> list[RecurringIssue]:
    """Issues raised in ``minimum`` check-ins or more, most frequent first."""
    seen: dict[str, list[tuple[date, str]]] = {}
    for checkin in checkins:
        once: dict[str, str] = {}
        for text in checkin.issues:
            once.setdefault(normalise_issue(text), text)  # the same issue twice in one check-in counts once
        for key, text in once.items():
            if key:
                seen.setdefault(key, []).append((checkin.date, text))
    out = []
    for mentions in seen.values():
        if len(mentions) < minimum:
            continue
        mentions.sort()
        first, last = mentions[0][0], mentions[-1][0]
        out.append(RecurringIssue(mentions[-1][1], len(mentions), first, last, (last - first).days // 7 + 1))
    out.sort(key=lambda r: (-r.checkins, r.first, r.text))
    return out


def confidence_drops(objective_id: str, state: ObjectiveState) -> list[Drop]:
    by_date = {c.date: c for c in state.checkins}
    out = []
    for start, end, before, after in metrics.drops(state.confidence_series):
        raised = list(by_date[end].issues) if end in by_date else []
        earlier = {normalise_issue(t) for t in by_date[start].issues} if start in by_date else set()
        new = [t for t in raised if normalise_issue(t) not in earlier]
        out.append(Drop(objective_id, start, end, before, after, raised, new))
    return out


def checkin_discipline(repo: Repo, owner: str, cycle: Cycle, day: date) -> Discipline:
    """Cadence windows of the cycle from its start up to today, and how many hold a check-in.

    A window still in progress counts only once it has a check-in, so a team is not marked down
    on a Wednesday for the check-in it will write on Friday. The cycle's last window, when shorter
    than the cadence, counts when it holds the weekday the team checks in on most, or a check-in
    (a quarter's last Wednesday alone holds no Friday; its last six days do).
    """
    cadence = repo.config.checkin.cadence_days
    last_day = min(day, cycle.end)
    if last_day < cycle.start:
        return Discipline(owner, repo.unit_name(owner), 0, 0, cadence, started=False)
    # Windows are counted, not walked: a cycle declared over centuries costs what its check-ins cost.
    first = cycle.start.toordinal()
    complete = (last_day.toordinal() - first + 1) // cadence  # whole windows that end on or before today
    # Only what was written by then: a check-in dated after today (in the week under way, or
    # later) is not yet there.
    windows_with_checkin = {
        (d.model.date.toordinal() - first) // cadence
        for d in repo.checkins_of(owner)
        if cycle.start <= d.model.date <= last_day
    }
    running = {w for w in windows_with_checkin if w >= complete}  # counts once it has a check-in
    short = (last_day.toordinal() - first + 1) % cadence
    if last_day == cycle.end and short and complete not in running:
        # The cycle's short last window, over: due when it holds the team's usual day.
        days = Counter(d.model.date.weekday() for d in repo.checkins_of(owner) if cycle.contains(d.model.date))
        usual = max(days, key=lambda weekday: (days[weekday], -weekday), default=None)
        window_start = date.fromordinal(first + complete * cadence)
        if usual is not None and any((window_start + timedelta(days=n)).weekday() == usual for n in range(short)):
            complete += 1
    weeks = complete + len(running)
    covered = len(windows_with_checkin)
    return Discipline(owner, repo.unit_name(owner), weeks, covered, cadence)


def _objective_retro(repo: Repo, objective: Objective, day: date, stage: str, cycle: Cycle) -> ObjectiveRetro | None:
    state = objective_state(repo, objective, day)
    if state is None:
        return None
    overrides: dict[str, str] = {}
    ended = day >= state.cycle.end  # as ``objective_state`` tells an ended cycle (its score, if any)
    retro = end_retro(repo, objective, day)  # only what the team had written by that day counts
    if retro is not None:
        for kr in objective.key_results:
            key = score_key(repo, retro, objective, kr)
            if key is not None:
                reason = getattr(retro.scores[key], "reason", None)
                overrides[kr.id] = reason or SET_WITHOUT_REASON
    kr_scores: dict[str, float] = {}
    score: float | None = None
    if stage == "end" or day >= cycle.end:
        if ended:
            kr_scores = {k.id: k.score for k in state.key_results if k.score is not None}
            score = state.score
        elif objective.key_results:  # before the cycle ends: the scores if it ended today, overrides included
            terms = []
            for kr, kr_state in zip(objective.key_results, state.key_results, strict=True):
                override = score_override(repo, retro, objective, kr)
                kr_scores[kr_state.id] = metrics.score(kr_state.progress, override)
                terms.append(kr_state.progress if override is None else override)
            weights = [k.weight for k in state.key_results]
            score = metrics.objective_score(terms, weights)
    return ObjectiveRetro(state, score, kr_scores, overrides, confidence_drops(objective.id, state))


def _written(repo: Repo, owner: str, cycle: Cycle, day: date) -> list[WrittenRetro]:
    """The retros of ``owner`` and ``cycle`` written by ``day`` (a replay shows no later one)."""
    out = []
    for doc in repo.retros:
        retro: Retro = doc.model
        if retro.owner == owner and str(retro.cycle) == cycle.id and retro.date <= day:
            out.append(
                WrittenRetro(doc.path, retro.stage, retro.date, {k: list(getattr(retro, k)) for k in RETRO_LISTS})
            )
    return sorted(out, key=lambda w: (w.date, w.stage, w.path))


def team_retro(repo: Repo, team: str, cycle: Cycle, reason: str, stage: str, day: date) -> TeamRetro:
    objectives = [d.model for d in repo.objectives_of(team, cycle.id)]
    rows = [r for o in objectives if (r := _objective_retro(repo, o, day, stage, cycle)) is not None]
    checkins = [d.model for d in repo.checkins_of(team) if cycle.contains(d.model.date) and d.model.date <= day]
    view = TeamRetro(
        team=team,
        team_name=repo.unit_name(team),
        cycle=cycle,
        cycle_reason=reason,
        stage=stage,
        day=day,
        provisional=stage == "end" and day <= cycle.end,
        objectives=rows,
        recurring=recurring_issues(checkins),
        written=_written(repo, team, cycle, day),
        discipline=checkin_discipline(repo, team, cycle, day),
        checkins=len(checkins),
    )
    view.questions = team_questions(view)
    return view


def unit_retro(repo: Repo, unit_id: str, cycle: Cycle, reason: str, stage: str, day: date) -> UnitRetro:
    owners = repo.scope_units(unit_id)
    rows: list[ObjectiveRetro] = []
    teams: list[str] = []
    for owner in owners:
        mine = [d.model for d in repo.objectives_of(owner, cycle.id)]
        if mine:
            teams.append(owner)
        for objective in mine:
            row = _objective_retro(repo, objective, day, "end", cycle)
            if row is not None:
                rows.append(row)
    view = UnitRetro(
        unit=unit_id,
        unit_name=repo.unit_name(unit_id),
        cycle=cycle,
        cycle_reason=reason,
        stage=stage,
        day=day,
        provisional=day <= cycle.end,
        objectives=rows,
        discipline=[checkin_discipline(repo, owner, cycle, day) for owner in teams],
    )
    view.questions = unit_questions(view)
    return view


# ----- questions ----------------------------------------------------------------------------------------
def team_questions(view: TeamRetro) -> list[str]:
    questions: list[str] = []
    if view.stage == "end":
        questions += [
            "What did we achieve, and what did we not?",
            "What did we learn?",
            "What surprised us?",
            "What will we do differently next cycle?",
        ]
    elif not view.objectives:
        # Nothing to keep or change: the question is whether the team should hold an objective at all.
        questions.append(
            "We hold no objective this cycle: should we set one now, or is our work best spent on other teams' objectives?"
        )
    elif len(view.objectives) == 1:
        questions.append(
            "Is our objective still the right one? What would make us change it now rather than at the end?"
        )
    else:
        questions.append(
            "Are our objectives still the right ones? What would make us change one now rather than at the end?"
        )
    for row in view.objectives:
        for kr in row.state.key_results:
            if view.stage == "end":
                score = row.kr_scores.get(kr.id)
                if score is not None and metrics.score_band(score) == metrics.RED:
                    questions.append(
                        f"{kr.id} scored {numbers.fixed(score)}: was the target too ambitious, the plan wrong, "
                        "or the key result the wrong measure?"
                    )
                elif score is not None and score >= 1.0:
                    questions.append(f"{kr.id} scored {numbers.fixed(score)}: was the target ambitious enough?")
            elif kr.status in (metrics.AT_RISK, metrics.OFF_TRACK):
                questions.append(
                    f"{kr.id} is at {numbers.percent(kr.progress)} against {numbers.percent(kr.expected)} expected: keep going, "
                    "change the plan, or rescope (and record it under `rescoped`)?"
                )
        for drop in row.drops:
            questions.append(
                f"Confidence fell from {numbers.plain(drop.before)} to {numbers.plain(drop.after)} on {drop.end}: what happened "
                "that week, and what would have warned us earlier?"
            )
    for issue in view.recurring:
        questions.append(
            f"'{issue.text}' came up in {issue.checkins} check-ins over {numbers.counted(issue.weeks, 'week')}: "
            "what would it take to remove it, and who can help?"
        )
    if view.objectives:
        goal = "the objective" if len(view.objectives) == 1 else "our objectives"
        questions.append(f"What pulled us toward {goal} (attractors), and what pushed us away (detractors)?")
    if view.stage == "end":
        questions.append("What do we carry into the next cycle, and what do we stop?")
    return questions


def unit_questions(view: UnitRetro) -> list[str]:
    questions = [
        "Which detractors and recurring issues show up in several teams, and who can remove them?",
        f"Which objectives reached {numbers.plain(metrics.HIGH_BAND)} or better, and what did those teams do that others could copy?",
    ]
    low = [d for d in view.discipline if d.share is not None and d.share < 0.75]
    if low:
        names = ", ".join(d.owner for d in low)
        days = low[0].cadence_days  # the configured cadence, the same for every unit
        rhythm = "weekly rhythm" if days == 7 else f"rhythm of a check-in every {days} days"
        questions.append(f"Check-ins were irregular in {names}: what got in the way of the {rhythm}?")
    full = [o for o in view.objectives if o.score is not None and o.score >= 1.0]
    if full:
        questions.append(
            "Objectives scored 1.0 (" + ", ".join(o.state.id for o in full) + "): were they ambitious enough?"
        )
    questions.append("What should the next cycle's strategic OKRs change, given what the teams learned?")
    return questions
