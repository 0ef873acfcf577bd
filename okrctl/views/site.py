"""The static site of the whole organisation: what each page shows, computed once.

An index (the organisation's report), a page per unit (its report), per team (status, objectives
with their KR charts, the check-in log with GRIP, retros), per objective, the alignment map, the
trends and the current ``align`` findings. The index and a unit's page carry the company's or the
unit's own check-in log and retros too, as a team's page does. ``Sources`` knows the file and line
of each value, target and confidence, so that the pages can link every number to where it was
written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from okrctl.analysis.alignment import AlignmentIndex, Link, links_of
from okrctl.analysis.kr_chart import KRChart
from okrctl.analysis.state import ObjectiveState, objective_state, result_values
from okrctl.findings import Finding
from okrctl.load.documents import Doc
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective, Reading, Retro
from okrctl.model.cycle import Cycle
from okrctl.views.map import AlignmentMap, build_map
from okrctl.views.report import CheckinAge, Report, build_report, charts_of, checkin_age, cycle_phrase, link_titles
from okrctl.views.scope import cycles_for
from okrctl.views.status import team_last_checkin
from okrctl.views.trends import TrendsView, trends_view

if TYPE_CHECKING:
    from okrctl.analysis.changes import TargetChange
    from okrctl.load.pipeline import Scope


@dataclass
class CheckinEntry:
    checkin: CheckIn
    path: str  # the file, relative to the repository root
    line: int


@dataclass
class ObjectivePage:
    state: ObjectiveState
    model: Objective
    charts: dict[str, KRChart]
    serves: list[Link]
    serves_titles: dict[str, str]
    contributors: list[str]  # objective ids that align to it directly
    path: str
    line: int
    # The owner's last check-in on or before the pages' day, whatever its cycle, as ``status`` and
    # the team page's header count it (``team_last_checkin``); the state's own is of the
    # objective's cycle, none yet in a new one though the team checked in before it.
    last_checkin: date | None = None


@dataclass
class UnitLog:
    """A unit's own check-ins (GRIP) and retrospectives in the site's cycles, as its page lists them."""

    checkins: list[CheckinEntry]  # newest first, inside the site's cycles
    retros: list[Retro]


@dataclass
class TeamPage:
    unit: str
    name: str
    parent: str | None
    members: list[str]
    objectives: list[str]  # objective ids of the site's cycles
    checkins: list[CheckinEntry]  # newest first, inside the site's cycles
    retros: list[Retro]
    age: CheckinAge
    parent_name: str = ""  # the parent unit's display name (its id when it has none)


@dataclass
class Sources:
    """Where each number was written: (path, line) relative to the repository root."""

    kr_value: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    kr_target: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)
    confidence: dict[str, tuple[str, int]] = field(default_factory=dict)
    objective: dict[str, tuple[str, int]] = field(default_factory=dict)


@dataclass
class Site:
    organization: str | None
    today: date
    root: str
    cycles: list[Cycle]
    org: Report
    units: dict[str, Report]  # every unit that is not a team, but the root (the index)
    teams: dict[str, TeamPage]
    objectives: dict[str, ObjectivePage]
    map: AlignmentMap
    trends: TrendsView
    findings: list[Finding]
    sources: Sources
    unit_tree: list[tuple[int, str]]  # (depth, unit id) in tree order
    # The root's and each unit page's own log, for those that own an objective of the site's cycles
    # or checked in or wrote a retro in them (a company's plan and its end retro's hand-set scores).
    logs: dict[str, UnitLog] = field(default_factory=dict)
    # The day teams, objectives, the map and the directory stand as of: the index's, or today when
    # the index covers the month before (``build_site``).
    pages_day: date | None = None

    @property
    def cycle_phrase(self) -> str:
        """The cycles the pages show (``cycles``), their "% elapsed" as of the pages' day. Not the
        index's: its report takes the root unit's cycles, of the month it covers (a yearly company
        objective alone beside quarterly teams, or December's quarter on 5 January)."""
        return cycle_phrase(self.cycles, self.pages_day or self.org.as_of)

    @property
    def history_unread(self) -> str:
        """Why OKR601 (moved targets) was not checked on the findings page ("--no-history", "not a
        git repository"), "" when it was: the history the index's report could not read either."""
        return self.org.moved_targets_unread

    def unit_kind(self, unit_id: str) -> str:
        """ "index", "unit" or "team": which page a unit has."""
        if unit_id == self.root:
            return "index"
        return "team" if unit_id in self.teams else "unit"


def build_site(
    repo: Repo,
    *,
    today: date,
    findings: Sequence[Finding],
    cycle: str | None = None,
    with_sources: bool = False,
    moved_targets: Callable[[date, date], Sequence[TargetChange]] | None = None,
) -> Site:
    """Everything the site shows, as of ``today``, for ``cycle`` (default: the cycles of today, or
    the latest cycle with objectives when none is in them yet: ``site_cycle``).

    ``moved_targets`` reads the targets that moved (``build_report``'s); the reports of the index
    and of every unit cover the same month, so it is read once. None: the history is not read
    (``--no-history``), and the reports say so."""
    moved = None if moved_targets is None else _read_once(moved_targets)
    cycle, note = site_cycle(repo, today, cycle)

    org = build_report(repo, today=today, cycle=cycle, with_map=False, moved_targets=moved)
    if note is not None:  # said on every unit's page, above why another month is covered, if it is
        org.month_note = note + (f" {org.month_note}" if org.month_note else "")
    root = org.unit
    cycles = org.cycles if cycle else (cycles_for(repo, today, None) or org.cycles)
    cycle_ids = {c.id for c in cycles}
    # Teams, objectives, the map and the trends stand as of the index's day; when the index covers
    # the month before (no check-in this month yet), they stand as of today all the same, as
    # ``status`` does: "expected by now" must be today's, beside a data age measured today.
    day = today if org.month_note and org.as_of < today else org.as_of
    units: dict[str, Report] = {}
    teams: dict[str, TeamPage] = {}
    order = _tree(repo, root)
    for _, unit_id in order:
        model = repo.unit(unit_id)
        if model is None or unit_id == root:
            continue
        if model.type == "team":
            continue
        # Every page covers the index's month and measures data age on the same day.
        units[unit_id] = build_report(
            repo,
            today=today,
            unit=unit_id,
            cycle=cycle,
            month=org.month,
            age_on=org.age_day,
            month_note=org.month_note,
            moved_targets=moved,
        )

    docs = [d for d in repo.objectives_in(cycle_ids)]
    states: dict[str, ObjectiveState] = {}
    for doc in docs:
        state = objective_state(repo, doc.model, day, written_by=today)
        if state is not None:
            states[doc.model.id] = state
    index = AlignmentIndex(repo, states)
    objectives: dict[str, ObjectivePage] = {}
    # Each owner's, once: ``site_scope`` loads every owner's latest check-in before the cycles.
    last_checkins: dict[str, date | None] = {}
    for doc in sorted(docs, key=lambda d: d.model.id):
        objective_id = doc.model.id
        if objective_id not in states:
            continue
        serves = links_of(repo, doc.model)
        below = sorted({link.source for link in index.down.get(objective_id, [])})
        owner = doc.model.owner
        if owner not in last_checkins:
            last_checkins[owner] = team_last_checkin(repo, owner, day)
        objectives[objective_id] = ObjectivePage(
            states[objective_id],
            doc.model,
            charts_of(repo, states[objective_id]),
            serves,
            link_titles(repo, serves),
            below,
            doc.path,
            doc.line,
            last_checkins[owner],
        )

    stale_after = repo.config.checkin.stale_after_days
    logs: dict[str, UnitLog] = {}
    for unit_id in [root, *units]:
        log = unit_log(repo, unit_id, cycles, day, today)
        if log.checkins or log.retros or any(page.model.owner == unit_id for page in objectives.values()):
            logs[unit_id] = log
    for _, unit_id in order:
        model = repo.unit(unit_id)
        if model is None or unit_id == root or model.type != "team":
            continue
        owned = sorted(o for o, page in objectives.items() if page.model.owner == unit_id)
        log = unit_log(repo, unit_id, cycles, day, today)
        # Measured on the pages' day, as ``status`` measures it (the index's report may be of a
        # cycle that has ended, as of its last day, when no objective is of today's cycles yet).
        age = checkin_age(repo, unit_id, cycles, day, stale_after)
        if not owned:
            # Nothing to check in on in the period: never stale (OKR501 and the report's data age
            # judge only the owners of objectives).
            age = replace(age, stale=False)
        teams[unit_id] = TeamPage(
            unit_id,
            repo.unit_name(unit_id),
            model.parent,
            model.people,
            owned,
            log.checkins,
            log.retros,
            age,
            repo.unit_name(model.parent) if model.parent else "",
        )

    sources = _sources(repo, objectives, day) if with_sources else Sources()
    return Site(
        organization=repo.config.organization,
        today=today,
        root=root,
        cycles=cycles,
        org=org,
        units=units,
        teams=teams,
        objectives=objectives,
        map=build_map(repo, today=day, unit=root, cycle_ids=cycle_ids),
        trends=trends_view(repo, day, root, cycles),
        findings=list(findings),
        sources=sources,
        unit_tree=order,
        pages_day=day,
        logs=logs,
    )


def unit_log(repo: Repo, unit_id: str, cycles: Sequence[Cycle], day: date, today: date) -> UnitLog:
    """The unit's check-ins dated in ``cycles`` up to ``day`` (newest first), and its retros of
    those cycles written by ``today`` (``retro`` lists none written after the day it is read)."""
    cycle_ids = {c.id for c in cycles}
    entries = []
    for checkin_doc in repo.checkins_of(unit_id):
        checkin = checkin_doc.model
        if any(c.start <= checkin.date <= c.end for c in cycles) and checkin.date <= day:
            entries.append(CheckinEntry(checkin, checkin_doc.path, checkin_doc.line))
    entries.reverse()
    retros = sorted(
        (
            d.model
            for d in repo.retros
            if d.model.owner == unit_id and str(d.model.cycle) in cycle_ids and d.model.date <= today
        ),
        key=lambda r: (r.date, r.stage),
    )
    return UnitLog(entries, retros)


def _read_once(
    moved_targets: Callable[[date, date], Sequence[TargetChange]],
) -> Callable[[date, date], Sequence[TargetChange]]:
    """``moved_targets``, asked once per (start, end); a history that cannot be read
    (``HistoryUnread``) is asked once in all."""
    from okrctl.analysis.history import HistoryUnread

    read: dict[tuple[date, date], Sequence[TargetChange]] = {}
    unread: list[HistoryUnread] = []

    def moved(start: date, end: date) -> Sequence[TargetChange]:
        if unread:
            raise unread[0]
        if (start, end) not in read:
            try:
                read[(start, end)] = moved_targets(start, end)
            except HistoryUnread as exc:
                unread.append(exc)
                raise
        return read[(start, end)]

    return moved


def site_cycle(repo: Repo, today: date, cycle: str | None) -> tuple[str | None, str | None]:
    """The cycle the site shows (None: the cycles of today) and, when it is not the one asked for,
    why. A site is read by people who cannot pass ``--cycle``: on a day when no objective of the
    organisation is in today's cycles yet (a quarter's first days, before the new objectives are
    written), it shows the latest cycle with objectives that has begun, and says so, where a report
    in the terminal points to ``--cycle``."""
    from okrctl.views.scope import latest_cycle

    if cycle is not None:
        return cycle, None
    current = repo.cycles_containing(today)
    ids = {c.id for c in current}
    if any(str(doc.model.cycle) in ids for doc in repo.objectives.values()):
        return None, None
    latest = latest_cycle(repo, (doc.model for doc in repo.objectives.values()), started_by=today)
    if latest is None:
        return None, None
    from okrctl.views.report import MONTH_NAMES

    where = ", ".join(c.id for c in current) or f"{MONTH_NAMES[today.month - 1]} {today.year}"
    return latest, f"No objective in {where} yet: this site shows {latest}, the latest cycle with objectives."


def site_scope(repo: Repo, today: date, cycle: str | None) -> Scope:
    """The check-ins the pages of ``build_site`` read: those of every cycle a page may report on
    and of the month it may cover (today's, or the one before it when no team has checked in this
    month yet: ``build_report``), and each team's latest one before them (its data age)."""
    from datetime import timedelta

    from okrctl.views.report import cycles_run, parse_month
    from okrctl.views.scope import checkins_of_cycles, known_cycle

    cycle, _note = site_cycle(repo, today, cycle)

    this_month = parse_month(f"{today.year:04d}-{today.month:02d}")
    if cycle is not None:
        chosen = known_cycle(repo, cycle)
        last_day = min(today, chosen.end)
        cycles = [chosen]
        months = [parse_month(f"{last_day.year:04d}-{last_day.month:02d}"), this_month]
    else:
        previous_end = this_month[0] - timedelta(days=1) if this_month[0] > date.min else this_month[0]
        cycles = [*repo.cycles_containing(today), *repo.cycles_containing(previous_end)]
        months = [this_month, parse_month(f"{previous_end.year:04d}-{previous_end.month:02d}")]
    first = min(start for start, _ in months)
    last = max(end for _, end in months)
    # Every objective that ran in those months may be on a page, with the whole of its cycle.
    for start, end in months:
        cycles.extend(cycles_run(repo, start, min(end, today)))
    return checkins_of_cycles(cycles, also=(first, last), with_latest_before=True)


def _tree(repo: Repo, root: str) -> list[tuple[int, str]]:
    """Every unit under the root, depth first, siblings by name; then, for the organisation's root,
    every unit cut off from the tree (a ``parent`` that names no unit, OKR104, or parents in a loop,
    OKR106) with the units below it, as the report's health table has them: each keeps its pages."""
    out: list[tuple[int, str]] = []
    seen: set[str] = set()

    def walk(start: str, first_depth: int) -> None:
        stack = [(first_depth, start)]
        while stack:
            depth, unit_id = stack.pop()
            if unit_id in seen:
                continue
            seen.add(unit_id)
            out.append((depth, unit_id))
            children = sorted(repo.children(unit_id), key=lambda u: (repo.unit_name(u), u), reverse=True)
            stack.extend((depth + 1, child) for child in children)

    walk(root, 0)
    if root == repo.root_unit():
        for unit_id in repo.tree_order():
            if unit_id not in seen:
                walk(unit_id, 1)
    return out


def _sources(repo: Repo, objectives: dict[str, ObjectivePage], day: date) -> Sources:
    """The file and line of each KR's target, its latest value (a check-in's result or a reading's
    value) and each objective's confidence."""
    out = Sources()
    for objective_id, page in objectives.items():
        doc = repo.objectives[objective_id]
        out.objective[objective_id] = (doc.path, doc.line)
        for position, kr in enumerate(page.model.key_results):
            field_name = "target" if kr.type == "metric" else ("max" if kr.type == "maintain" else "title")
            if kr.type == "maintain" and getattr(kr, "max", None) is None:
                field_name = "min"
            line, _ = repo.position(doc, ("key_results", position, field_name))
            out.kr_target[(objective_id, kr.id)] = (doc.path, line)
    owners = sorted({page.model.owner for page in objectives.values()})
    for owner in owners:
        # A KR's value is the latest of the check-ins and readings that give it one, and on one
        # date a check-in's stands over a reading's (``result_series``): readings first, a stable
        # sort by date, the last document that gives a value wins.
        documents: list[Doc[CheckIn] | Doc[Reading]] = [*repo.readings_of(owner), *repo.checkins_of(owner)]
        for document in sorted(documents, key=lambda d: d.model.date):
            if document.model.date > day:
                continue
            field_name = "values" if isinstance(document.model, Reading) else "results"
            for objective, kr, key, _value in result_values(repo, document.model):
                if objective.id in objectives:
                    out.kr_value[(objective.id, kr.id)] = _at(repo, document, (field_name, key))
        for checkin_doc in repo.checkins_of(owner):
            checkin: CheckIn = checkin_doc.model
            if checkin.date > day:
                continue
            if isinstance(checkin.confidence, dict):
                for objective_id in checkin.confidence:
                    if objective_id in objectives:
                        out.confidence[objective_id] = _at(repo, checkin_doc, ("confidence", objective_id))
            elif checkin.confidence is not None:
                for objective_id, page in objectives.items():
                    if page.model.owner == owner and page.state.cycle.start <= checkin.date <= page.state.cycle.end:
                        out.confidence[objective_id] = _at(repo, checkin_doc, ("confidence",))
    return out


def _at(repo: Repo, doc: Doc, loc: tuple[str, ...]) -> tuple[str, int]:
    line, _ = repo.position(doc, loc, key=True)
    return doc.path, line
