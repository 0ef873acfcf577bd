"""OKR501–OKR508: the weekly rhythm — stale teams, misplaced or malformed check-ins, confidence signals.

Every rule here looks at the objectives of the selected cycles (``ctx.cycles``) and their owners'
check-ins, except OKR507, which looks at cycles that ended in the last 45 days. "Latest" always
means on or before ``ctx.today``: a check-in, reading or retro dated later than tomorrow is itself
an OKR502 error.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from okrctl import metrics
from okrctl.analysis.state import ObjectiveState, bare_score_key_refs, confidence_of, objective_state, result_series
from okrctl.analysis.windows import END_RETRO_WINDOW_DAYS
from okrctl.findings import Finding
from okrctl.load.documents import Doc
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective, Reading, Retro
from okrctl.model.cycle import Cycle, calendar_cycle_like
from okrctl.render import numbers
from okrctl.rules.base import RuleContext
from okrctl.values import far_off

SAME_VALUE_CHECKINS = 4  # OKR508
# A check-in or reading dated the day after today is no OKR502: okrctl dates by the local day, and
# a team in a time zone ahead of this machine's (every zone is within 14 hours of UTC, the clock
# of CI runners) writes tomorrow's date today. Views still read it from its own day.
DAYS_AHEAD_ALLOWED = 1


def _in_the_future(day: date, today: date) -> bool:
    """Whether ``day`` is later than the time zones allow (``DAYS_AHEAD_ALLOWED``); no date
    arithmetic that could overflow at year 9999."""
    return (day - today).days > DAYS_AHEAD_ALLOWED


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from _checkin_documents(ctx)
    yield from _reading_documents(ctx)
    yield from _outside_every_cycle(ctx)
    yield from _named_outside_their_cycle(ctx)
    yield from _retro_scores(ctx)
    yield from _future_retros(ctx)
    yield from _far_off_values(ctx)
    yield from _stale_owners(ctx)
    for doc in ctx.objectives():
        cycle = ctx.repo.cycle(doc.model.cycle)
        if cycle is None or cycle.start > ctx.today or doc.model.owner not in ctx.repo.units:
            continue  # unknown cycle or owner (OKR104), or not started: no check-ins to look at yet
        latest = _checkin_docs(ctx, doc.model, cycle)
        if ctx.focus is not None and not any(ctx.wanted(d) for d in latest):
            continue  # OKR505, OKR506 and OKR508 are placed on one of these check-ins
        if latest and ctx.echo.broken_checkins(doc.model.owner, cycle.start, ctx.today):
            continue  # a broken check-in leaves a hole in the series: its own finding comes first
        if latest:
            # Signals are judged on the day of the latest check-in: what the team said then, against
            # where its numbers stood then (not against a pace that kept moving since).
            state = objective_state(ctx.repo, doc.model, latest[-1].model.date, forecasts=False)
            yield from _confidence_drop(ctx, doc.model, latest)
            if state is not None:
                yield from _optimism_gap(ctx, doc.model, state, latest)
                yield from _same_value(ctx, doc.model, state, latest)
    yield from _missing_end_retros(ctx)


def _checkin_docs(ctx: RuleContext, objective: Objective, cycle: Cycle) -> list[Doc[CheckIn]]:
    """The owner's check-ins inside the objective's cycle, up to today, oldest first."""
    return [
        d for d in ctx.repo.checkins_of(objective.owner) if cycle.contains(d.model.date) and d.model.date <= ctx.today
    ]


# ----- OKR502, OKR503, OKR504: one check-in at a time ------------------------------------------------
def _checkin_documents(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    scale = repo.config.checkin.confidence
    for doc in repo.checkins:
        if not ctx.wanted(doc):
            continue
        checkin: CheckIn = doc.model
        if not ctx.in_selected_cycles(checkin.date) and repo.has_objectives_on(checkin.owner, checkin.date):
            continue  # about objectives of other cycles only (the test just below, without the lists)
        objectives = [d.model for d in repo.objectives_on(checkin.owner, checkin.date)]
        if objectives and not any(ctx.selected(o.cycle) for o in objectives):
            continue
        if not objectives and checkin.confidence is not None:
            # A confidence off the scale is a mistake of its own, whatever the state of the
            # objectives (a broken one among them, the date outside their cycles): the views leave
            # it out and send the reader here.
            yield from _confidence_scale(ctx, doc, checkin, [], scale.min, scale.max)
        if _in_the_future(checkin.date, ctx.today):
            yield _after_tomorrow(ctx, doc, checkin.owner, checkin.date)
        if not objectives:
            continue  # outside every cycle of the owner's objectives: ``_outside_every_cycle``
        keys = repo.result_keys(checkin.owner, checkin.date)  # what ``resolve_result_key`` reads
        for key in checkin.results:
            matches = keys.get(key, ())
            if len(matches) > 1:
                names = ", ".join(f"{o.id}/{kr.id}" for o, kr in matches)
                yield repo.finding(
                    "OKR503",
                    doc,
                    ("results", key),
                    f"result key '{key}' matches key results of several objectives: {names}",
                    f"write the key as objective-id/{key}",
                    key=True,
                )
        yield from _confidence_scale(ctx, doc, checkin, objectives, scale.min, scale.max)
    # One with errors is dated all the same by the date it declares (rules.md, one finding per
    # cause): that date is judged beside its own error, not once that is fixed.
    for doc, owner, day in ctx.echo.dated_checkins():
        if not _in_the_future(day, ctx.today) or not ctx.wanted(doc):
            continue
        cycles = [d.model.cycle for d in repo.objectives_on(owner, day)]
        if not cycles or any(ctx.selected(cycle) for cycle in cycles):
            yield _after_tomorrow(ctx, doc, owner, day)


def _after_tomorrow(ctx: RuleContext, doc: Doc, owner: str, day: date) -> Finding:
    """OKR502 on a check-in of ``owner`` dated ``day``, after tomorrow."""
    return ctx.repo.finding(
        "OKR502",
        doc,
        ("date",),
        f"check-in of '{owner}' is dated {day}, after tomorrow (today is {ctx.today})",
        "date a check-in on the day it was held; fix a typo in the date",
    )


def _confidence_scale(
    ctx: RuleContext, doc: Doc, checkin: CheckIn, objectives: list[Objective], low: float, high: float
) -> Iterator[Finding]:
    repo = ctx.repo
    confidence = checkin.confidence
    # A scale okrctl.yaml writes and okrctl refused (OKR101), or cannot read: the default standing in
    # for it judges nothing, or every check-in would repeat the config's one mistake.
    unsettled = repo.rule_skipped("OKR504")
    if confidence is None:
        # No G at all: missing for every objective the check-in reports on (SPEC §5).
        ids = ", ".join(o.id for o in objectives)
        scale = f"from {numbers.plain(low)} to {numbers.plain(high)}"
        if unsettled:
            scale = "on the scale of checkin.confidence in okrctl.yaml"
        yield repo.finding(
            "OKR504",
            doc,
            ("confidence",),  # ``confidence: null``; the document's start when there is no such line
            f"confidence is missing (the objectives of '{checkin.owner}' on {checkin.date}: {ids})",
            f"add 'confidence:' {scale}, one number or one per objective",
        )
        return
    if not isinstance(confidence, dict) and (unsettled or low <= confidence <= high):
        return  # the common case, told before any text is made
    hint = (
        f"confidence is a number from {numbers.plain(low)} to {numbers.plain(high)} (checkin.confidence in okrctl.yaml)"
    )
    if isinstance(confidence, dict):
        for objective_id, value in confidence.items():
            if not unsettled and not low <= value <= high:
                yield repo.finding(
                    "OKR504",
                    doc,
                    ("confidence", objective_id),
                    f"confidence {repo.spelled(doc, ('confidence', objective_id), numbers.plain(value))} "
                    f"for '{objective_id}' is outside the scale {numbers.plain(low)}–{numbers.plain(high)}",
                    hint,
                )
        # An objective whose id is written with a slip is one finding, OKR104 on the slip (with
        # "did you mean"), not a second one for its confidence missing.
        objective_ids = [o.id for o in objectives]
        known = set(objective_ids)
        meant = {repo.suggestions.closest(key, objective_ids) for key in confidence if key not in known}
        missing = [o.id for o in objectives if o.id not in confidence and o.id not in meant]
        if missing:
            yield repo.finding(
                "OKR504",
                doc,
                ("confidence",),
                f"confidence is missing for {', '.join(missing)} ({checkin.owner}'s objectives on {checkin.date})",
                "give one confidence per objective, or a single number for all of them",
            )
    elif confidence is not None and not low <= confidence <= high:
        yield repo.finding(
            "OKR504",
            doc,
            ("confidence",),
            f"confidence {repo.spelled(doc, ('confidence',), numbers.plain(confidence))} "
            f"is outside the scale {numbers.plain(low)}–{numbers.plain(high)}",
            hint,
        )


# ----- OKR502, OKR503 for readings ------------------------------------------------------------------
def _reading_documents(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    for doc in repo.readings:
        if not ctx.wanted(doc):
            continue
        reading: Reading = doc.model
        objectives = [d.model for d in repo.objectives_on(reading.owner, reading.date)]
        if objectives and not any(ctx.selected(o.cycle) for o in objectives):
            continue
        if _in_the_future(reading.date, ctx.today):
            yield repo.finding(
                "OKR502",
                doc,
                ("date",),
                f"reading of '{reading.owner}' is dated {reading.date}, after tomorrow (today is {ctx.today})",
                "date a reading on the day it was measured",
            )
        if not objectives:
            continue  # outside every cycle of the owner's objectives: ``_outside_every_cycle``
        for key in reading.values:
            matches = repo.resolve_result_key(reading, key)
            if len(matches) > 1:
                names = ", ".join(f"{o.id}/{kr.id}" for o, kr in matches)
                yield repo.finding(
                    "OKR503",
                    doc,
                    ("values", key),
                    f"value key '{key}' matches key results of several objectives: {names}",
                    f"write the key as objective-id/{key}",
                    key=True,
                )


# ----- OKR502 outside every cycle: one finding for the check-ins and readings of one cycle -----------
def _outside_every_cycle(ctx: RuleContext) -> Iterator[Finding]:
    """OKR502 on check-ins and readings dated in no cycle of their owner's objectives.

    One mistake usually puts many of them there: an objective copied from last quarter's file with
    its ``cycle`` unchanged leaves every check-in of the quarter outside. So those of one owner
    inside one cycle (``_cycle_around`` their date) are one finding, on the first of them, saying how
    many there are; one alone keeps its own message. The finding is about the owner and the cycle,
    one member or many: shown at a representative place, its fingerprint is the same whichever
    member shows it and however many there are. A document whose comment silences OKR502 is no
    member: a comment speaks for its own document only. Those dated in no cycle at all are one
    finding each. One dated after tomorrow has its own finding (``_checkin_documents``). An unknown
    owner is OKR104; a broken objective, or one with an unknown cycle or owner, is reported on that
    objective, not again on the check-ins it leaves unplaced. A check-in with errors is a member by
    the owner and date it declares: its date is judged beside its own error, not once that is fixed."""
    repo = ctx.repo
    documents: list[Doc[Any]] = [*repo.checkins, *repo.readings]
    # A second check-in or reading of one owner and day is OKR102's, and never a step of the team's
    # values (``Repo.checkins_of``, ``readings_of``: one a date): not counted here again.
    firsts = {
        id(d)
        for owner in {d.model.owner for d in documents}
        for d in (*repo.checkins_of(owner), *repo.readings_of(owner))
    }
    documents = [d for d in documents if id(d) in firsts]
    # Each member's owner, date and whether it is a check-in; one with errors is no member when it
    # is a second of its day.
    facts = {id(d): (d.model.owner, d.model.date, isinstance(d.model, CheckIn)) for d in documents}
    taken = set(facts.values())
    for doc, owner, day in ctx.echo.dated_checkins():
        if (owner, day, True) not in taken and repo.first_with_errors("CheckIn", owner, day, doc) is None:
            documents.append(doc)
            facts[id(doc)] = (owner, day, True)
    # The finding is on a member wanted: only owners with one wanted can have it (every owner when
    # findings shown at a representative place are wanted wherever they are).
    owners = (
        None if ctx.focus is None or ctx.every_representative else {facts[id(d)][0] for d in documents if ctx.wanted(d)}
    )
    declared = [c for c in (repo.cycle(i) for i in repo.cycles.known_ids()) if c is not None]
    around: dict[tuple[str, date], Cycle | None] = {}
    by_cycle: dict[tuple[str, str], list[Doc[CheckIn] | Doc[Reading]]] = defaultdict(list)
    alone: list[tuple[tuple[str, str], list[Doc[CheckIn] | Doc[Reading]]]] = []  # dated in no cycle at all
    for doc in documents:
        owner, day, _checkin = facts[id(doc)]
        if (owners is not None and owner not in owners) or "OKR502" in doc.ignore:
            continue
        if _in_the_future(day, ctx.today) or repo.has_objectives_on(owner, day) or owner not in repo.units:
            continue
        if ctx.echo.owner_unsettled(owner, day) or (not repo.objectives_of(owner) and ctx.echo.ownerless_objectives()):
            continue
        if (owner, day) not in around:
            around[owner, day] = _cycle_around(repo, declared, owner, day)
        cycle = around[owner, day]
        if cycle is None:
            alone.append(((owner, ""), [doc]))
        else:
            by_cycle[(owner, cycle.id)].append(doc)
    for (owner, cycle_id), docs in [*by_cycle.items(), *alone]:
        docs.sort(key=lambda d: (facts[id(d)][1], not facts[id(d)][2], d.path, d.index))
        first = docs[0]
        _owner, first_day, first_checkin = facts[id(first)]
        # Asked about some files only (``align PATH``, a pre-commit hook given the check-in it
        # adds), the finding is shown on the first of them it counts: a check-in that joins the
        # group is told of it.
        shown = first if ctx.focus is None else next((d for d in docs if ctx.wanted(d)), None)
        if shown is None and cycle_id and ctx.every_representative:
            shown = first
        if shown is None:
            continue
        cycles = sorted({str(d.model.cycle) for d in repo.objectives_of(owner)})
        known = f"its objectives' cycles are {', '.join(cycles)}" if cycles else "it owns no objective"
        if len(docs) > 1:
            checkins = sum(facts[id(d)][2] for d in docs)
            counted = " and ".join(
                f"{n} {noun}{'s' if n > 1 else ''}"
                for n, noun in ((checkins, "check-in"), (len(docs) - checkins, "reading"))
                if n
            )
            last = facts[id(docs[-1])][1]
            dated = f"dated {first_day}" + (f" to {last}" if last != first_day else "")
            message = (
                f"{counted} of '{owner}' in {cycle_id}, {dated}, are outside every cycle of its objectives ({known})"
            )
            hint = (
                f"'{owner}' has no objective of {cycle_id}: check the cycle of the objective they report on, "
                "or their dates"
            )
        elif first_checkin:
            message = f"check-in of '{owner}' on {first_day} is outside every cycle of its objectives ({known})"
            hint = "check the date, or the cycle of the objective it reports on"
        else:
            message = f"reading of '{owner}' on {first_day} is outside every cycle of its objectives"
            hint = "check the date, or the cycle of the objective it measures"
        if not cycle_id:
            yield repo.finding("OKR502", shown, ("date",), message, hint)
            continue
        finding = repo.finding("OKR502", shown, ("date",), message, hint, owner=owner, cycle=cycle_id)
        # About the owner and the cycle: a member that joins, leaves or is named alone leaves it
        # the same finding.
        yield replace(finding, representative=True)


def _cycle_around(repo: Repo, declared: list[Cycle], owner: str, day: date) -> Cycle | None:
    """The cycle in which the owner's documents outside its objectives are counted together: the
    shortest that contains ``day`` of the ``declared`` cycles (okrctl.yaml's) and the calendar
    cycles of the kinds the owner's objectives use (a year, a half, a quarter), else the calendar
    quarter of ``day``; None when not even that is a cycle containing it.

    The owner and the day decide it, never other owners' objectives: the finding's fingerprint
    names the cycle, and another team's first objective of a shorter cycle must not make an
    existing finding new to a baseline."""
    names = {calendar_cycle_like(str(d.model.cycle), day) for d in repo.objectives_of(owner)}
    kinds = [c for c in (repo.cycle(n) for n in names if n is not None) if c is not None]
    containing = [c for c in (*declared, *kinds) if c.contains(day)]
    if containing:
        return min(containing, key=lambda c: (c.days, c.start, c.id))
    quarter = repo.cycle(f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}")
    return quarter if quarter is not None and quarter.contains(day) else None


def _named_outside(ctx: RuleContext) -> dict[str, list[tuple[Doc, tuple[str, str]]]]:
    """The owner's objectives that its check-ins and readings name outside their cycle
    (``Echoes.named_outside_their_cycle``), each with those documents; one whose comment silences
    OKR502 is left out, as from ``_outside_every_cycle``'s groups."""
    found = {}
    for objective_id, named in ctx.echo.named_outside_their_cycle().items():
        kept = [(doc, place) for doc, place in named if "OKR502" not in doc.ignore]
        if kept:
            found[objective_id] = kept
    return found


def _named_outside_their_cycle(ctx: RuleContext) -> Iterator[Finding]:
    """OKR502 on an objective that its owner's check-ins and readings name (its id, or its key
    results) while its cycle does not contain their date, the owner having other objectives then.

    One mistake does it: an objective copied from last quarter's file with its ``cycle``
    unchanged, as when it is the team's only objective (``_outside_every_cycle``), or a check-in
    copied from last quarter's. So it is one finding, not an OKR104 on every key of every
    check-in, shown like that group's: at the first of them, on the key that names the objective
    (asked about some files only, at the first of those named; at the objective's ``cycle`` when
    only its file is named). It is about the owner and the objective: the same finding whichever
    document shows it and however many there are."""
    repo = ctx.repo
    for objective_id, named in sorted(_named_outside(ctx).items()):
        objective = repo.objectives[objective_id]
        shown: tuple[Doc, tuple[str, ...]] | None = named[0]
        if ctx.focus is not None:
            shown = next((member for member in named if ctx.wanted(member[0])), None)
            if shown is None and ctx.wanted(objective):
                shown = (objective, ("cycle",))
            elif shown is None and ctx.every_representative:
                shown = named[0]
        if shown is None:
            continue
        model = objective.model
        checkins = sum(isinstance(d.model, CheckIn) for d, _ in named)
        counted = " and ".join(
            f"{n} {noun}{'s' if n > 1 else ''}"
            for n, noun in ((checkins, "check-in"), (len(named) - checkins, "reading"))
            if n
        )
        if len(named) == 1:
            counted = counted.removeprefix("1 ")
        first, last = named[0][0].model.date, named[-1][0].model.date
        dated = f"{first}" + (f" to {last}" if last != first else "")
        # The cycles the owner's other objectives give those dates: the one it most likely is of.
        cycles = sorted({str(o.model.cycle) for d, _ in named for o in repo.objectives_on(model.owner, d.model.date)})
        fix = f"write 'cycle: {cycles[0]}'" if len(cycles) == 1 else "correct its cycle"
        line, _column, _about = repo.place(objective, ("cycle",))
        finding = repo.finding(
            "OKR502",
            shown[0],
            shown[1],
            f"'{model.id}' is {model.owner}'s objective of {model.cycle}, which does not contain the {counted} "
            f"that name{'s' if len(named) == 1 else ''} it ({dated})",
            f"if it is an objective of {' or '.join(cycles)}, {fix} ({objective.path}:{line}); else take it and "
            f"its key results out of the {counted}",
            key=shown[0] is not objective,
            owner=model.owner,
            objective=model.id,
        )
        # About the owner and the objective: whichever document shows it, the same finding.
        yield replace(finding, representative=True)


def _retro_scores(ctx: RuleContext) -> Iterator[Finding]:
    """OKR503 on a retro's score key that names a key result id more than one objective of the
    owner's cycle has: it scores none of them (``analysis.state.bare_score_key_refs``)."""
    repo = ctx.repo
    for doc in repo.retros:
        retro: Retro = doc.model
        # Of every cycle, as OKR104 on an unknown score key: an end retro is written once its
        # cycle has ended, when align no longer selects the cycle by default.
        if not retro.scores or not ctx.wanted(doc):
            continue
        for key in retro.scores:
            refs = [] if "/" in key else bare_score_key_refs(repo, retro, key)
            if len(refs) > 1:
                yield repo.finding(
                    "OKR503",
                    doc,
                    ("scores", key),
                    f"score key '{key}' matches key results of several objectives: {', '.join(refs)}",
                    f"write the key as objective-id/{key}",
                    key=True,
                )


def _future_retros(ctx: RuleContext) -> Iterator[Finding]:
    """OKR502 on a retro dated after tomorrow: no view reads it before its date (an end retro's
    scores are left out), while OKR507 and ``retro --write`` count it as held."""
    repo = ctx.repo
    dated: list[tuple[Doc, str, date, str | None, str | None]] = [
        (doc, doc.model.owner, doc.model.date, doc.model.stage, str(doc.model.cycle)) for doc in repo.retros
    ]
    # One with errors is dated all the same by the date it declares, beside its own error.
    dated += ctx.echo.dated_retros()
    for doc, owner, day, stage, cycle in dated:
        # Of every cycle, as OKR503 on its scores: an end retro's cycle is no longer selected by default.
        if _in_the_future(day, ctx.today) and ctx.wanted(doc):
            what = f"{stage} retro" if stage else "retro"
            of = f" for {cycle}" if cycle else ""
            yield repo.finding(
                "OKR502",
                doc,
                ("date",),
                f"{what} of '{owner}'{of} is dated {day}, after tomorrow (today is {ctx.today})",
                "date a retro on the day it was held (no view reads it before that day); fix a typo in the date",
            )


# ----- OKR509: values far outside a key result's range ------------------------------------------------
def _far_off_values(ctx: RuleContext) -> Iterator[Finding]:
    """Every check-in result and reading value of the selected cycles, up to today."""
    repo = ctx.repo
    docs: list[Doc[Any]] = [*repo.checkins, *repo.readings]
    # A value is about an objective whose cycle contains its date: outside every selected cycle
    # (most of a year of check-ins), no key is looked up.
    for doc in docs:
        model: CheckIn | Reading = doc.model
        if model.date > ctx.today or not ctx.in_selected_cycles(model.date) or not ctx.wanted(doc):
            continue
        field = "values" if isinstance(model, Reading) else "results"
        known = repo.result_keys(model.owner, model.date)
        for key in getattr(model, field):
            matches = known.get(key, ())
            if len(matches) != 1 or not ctx.selected(matches[0][0].cycle):
                continue
            objective, kr = matches[0]
            value = model.result_value(key)
            found = far_off(kr, value)
            if found is None or doc.silences("OKR509", key):
                continue
            # The value as the file writes it (``8.1e2``, ``0x32A``), not as YAML read it.
            plain = numbers.plain(value)
            written = repo.spelled(doc, (field, key), "") or repo.spelled(doc, (field, key, "value"), plain)
            if written != plain:
                found = far_off(kr, value, written) or found
            yield repo.finding(
                "OKR509",
                doc,
                (field, key),
                f"{objective.id}/{kr.id}: {found.message}",
                f"a typo? values from {numbers.plain(found.low)} to {numbers.plain(found.high)} are believable for this key result; "
                "fix it, or keep it with '# okrctl: ignore[OKR509]'",
                objective=objective.id,
                kr=kr.id,
            )


# ----- OKR501: stale owners -----------------------------------------------------------------------
def _stale_owners(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    if repo.rule_skipped("OKR501"):
        return  # refused in okrctl.yaml (or not read): its finding comes first, not a default's staleness
    stale_after = repo.config.checkin.stale_after_days
    active: dict[str, list[tuple[Doc, Cycle]]] = defaultdict(list)
    for doc in ctx.objectives():
        cycle = repo.cycle(doc.model.cycle)
        if cycle is not None and cycle.contains(ctx.today) and doc.model.owner in repo.units:
            active[doc.model.owner].append((doc, cycle))
    for owner, docs in sorted(active.items()):
        if not ctx.wanted(docs[0][0]):
            continue  # the finding is placed on the owner's first objective
        started = min(cycle.start for _, cycle in docs)
        if (ctx.today - started).days <= stale_after:
            continue  # the cycle is younger than the allowed gap: nobody is late yet
        dates = [d.model.date for d in repo.checkins_of(owner) if d.model.date <= ctx.today]
        last = max(dates) if dates else None
        if last is not None and (ctx.today - last).days <= stale_after:
            continue
        if ctx.echo.checkin_elsewhere(owner, last, ctx.today):
            continue  # a later check-in exists but is broken (or names a misspelt owner): reported there
        since = f"since {last} ({(ctx.today - last).days} days ago)" if last else "at all this cycle"
        first_doc = docs[0][0]
        yield repo.finding(
            "OKR501",
            first_doc,
            ("owner",),
            f"'{owner}' has not checked in {since}; stale after {stale_after} days",
            f"run 'okrctl checkin --team {owner}' (the Friday GRIP check-in)",
            owner=owner,
        )


# ----- OKR505, OKR506, OKR508: the latest check-ins -------------------------------------------------
def _confidence_drop(ctx: RuleContext, objective: Objective, docs: list[Doc[CheckIn]]) -> Iterator[Finding]:
    if ctx.repo.rule_skipped("OKR505"):
        return  # which values are on the scale okrctl.yaml means is unknown until its finding is fixed
    scale = ctx.repo.config.checkin.confidence
    rated: list[tuple[Doc, float]] = []
    for doc in docs:
        value = confidence_of(doc.model, objective.id)
        if value is not None and scale.min <= value <= scale.max:  # OKR504 reports the others
            rated.append((doc, float(value)))
    if len(rated) < 2:
        return
    (before_doc, before), (after_doc, after) = rated[-2], rated[-1]
    series = [(before_doc.model.date, before), (after_doc.model.date, after)]
    if metrics.drops(series):
        loc = ("confidence", objective.id) if isinstance(after_doc.model.confidence, dict) else ("confidence",)
        yield ctx.repo.finding(
            "OKR505",
            after_doc,
            loc,
            f"confidence in '{objective.id}' dropped from {numbers.plain(before)} to {numbers.plain(after)} "
            f"between {before_doc.model.date} and {after_doc.model.date}",
            "name what changed under issues, and what you will do about it under plan",
            owner=objective.owner,
            objective=objective.id,
        )


def _optimism_gap(
    ctx: RuleContext, objective: Objective, state: ObjectiveState, docs: list[Doc[CheckIn]]
) -> Iterator[Finding]:
    repo = ctx.repo
    if state.confidence is None or all(kr.value is None for kr in state.key_results):
        return  # no number reported yet: that is no data, not an objective behind its pace
    if repo.rule_skipped("OKR506"):
        return  # judged on a scale or thresholds okrctl.yaml refused: its finding comes first
    scale = repo.config.checkin.confidence
    if metrics.confidence_band(state.confidence, scale) != metrics.ON_TRACK:
        return
    if metrics.status_from_gap(state.expected, state.progress, repo.config.status) != metrics.OFF_TRACK:
        return
    doc = next(d for d in reversed(docs) if confidence_of(d.model, objective.id) is not None)
    loc = ("confidence", objective.id) if isinstance(doc.model.confidence, dict) else ("confidence",)
    yield repo.finding(
        "OKR506",
        doc,
        loc,
        f"confidence {numbers.plain(state.confidence)}/{numbers.plain(scale.max)} on {state.day} while '{objective.id}' was "
        f"off-track (progress {numbers.percent(state.progress)}, expected {numbers.percent(state.expected)})",
        "is the confidence still right? If the numbers lag behind reality, say why under issues",
        owner=objective.owner,
        objective=objective.id,
    )


def _same_value(
    ctx: RuleContext, objective: Objective, state: ObjectiveState, docs: list[Doc[CheckIn]]
) -> Iterator[Finding]:
    """The same value reported in the latest check-ins while on-track: is the number still measured?

    Only what the team wrote counts: a value measured from data (a reading) is no check-in, and the
    same measurement four times is no sign of a number copied by hand."""
    repo = ctx.repo
    if repo.rule_skipped("OKR508"):
        return  # on-track by thresholds okrctl.yaml refused: its finding comes first
    written = None
    if repo.readings_for(objective, until=state.day):
        written = result_series(repo, objective, [d.model for d in docs if d.model.date <= state.day])
    for kr, kr_state in zip(objective.key_results, state.key_results, strict=True):
        # Milestones move in steps, and a metric KR at its target may rightly stay there. A maintain
        # KR inside its band is always at 1, so its progress cannot tell a held number from a copied one.
        if kr.type == "milestone" or kr_state.status != metrics.ON_TRACK:
            continue
        if kr.type == "metric" and kr_state.progress >= 1.0:
            continue
        series = kr_state.series if written is None else written[kr.id]
        recent = series[-SAME_VALUE_CHECKINS:]
        if len(recent) < SAME_VALUE_CHECKINS or len({v for _, v in recent}) != 1:
            continue
        last_doc = next((d for d in reversed(docs) if d.model.date == recent[-1][0]), None)
        if last_doc is None:
            continue  # (every point is a check-in's: never reached)
        key = next(
            (
                k
                for k in last_doc.model.results
                if [(o.id, r.id) for o, r in repo.resolve_result_key(last_doc.model, k)] == [(objective.id, kr.id)]
            ),
            kr.id,
        )
        yield repo.finding(
            "OKR508",
            last_doc,
            ("results", key),
            f"'{objective.id}/{kr.id}' has been {numbers.plain(recent[-1][1])} in the last {SAME_VALUE_CHECKINS} check-ins "
            f"(since {recent[0][0]}) while on-track",
            "check that the number is still measured, not copied from last week",
            key=True,
            owner=objective.owner,
            objective=objective.id,
        )


# ----- OKR507: end retros of recently ended cycles --------------------------------------------------
def _missing_end_retros(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    ended: dict[tuple[str, str], tuple[Doc, Cycle]] = {}
    named_outside = _named_outside(ctx)
    for doc in repo.objectives_in(None):
        cycle = repo.cycle(doc.model.cycle)
        if cycle is None or doc.model.owner not in repo.units:
            continue  # unknown cycle or owner: OKR104 (and 'retro --team' refuses an owner that is no unit)
        if not 0 < (ctx.today - cycle.end).days <= END_RETRO_WINDOW_DAYS:
            continue
        if doc.model.id in named_outside:
            continue  # its cycle may be wrong (OKR502): no retro asked for a cycle it may not be of
        ended.setdefault((doc.model.owner, cycle.id), (doc, cycle))
    if not ended:
        return
    retros = {
        (r.owner, str(r.cycle)) for r in (d.model for d in repo.retros) if isinstance(r, Retro) and r.stage == "end"
    }
    for (owner, cycle_id), (doc, cycle) in sorted(ended.items(), key=lambda item: item[0]):
        if not ctx.wanted(doc):
            continue
        # Any end retro counts as held, even one dated after today that no view reads yet: after
        # tomorrow it is OKR502's (a typo in its date), and a second one would not be read either.
        if (owner, cycle_id) in retros or ctx.echo.retro(owner, cycle_id, "end"):
            continue
        yield repo.finding(
            "OKR507",
            doc,
            ("cycle",),
            f"cycle {cycle_id} ended on {cycle.end} and '{owner}' has no end retro for it",
            f"hold the retro: 'okrctl retro --team {owner} --cycle {cycle_id} --stage end --write'",
            owner=owner,
        )
