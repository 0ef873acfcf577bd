"""``okrctl retro``: the retro pre-read of a team or a unit as an outline (text or Markdown)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrctl import metrics
from okrctl.render import numbers, widgets
from okrctl.render.outline import Outline
from okrctl.safetext import shown_path
from okrctl.views.retro import RETRO_LISTS, SET_WITHOUT_REASON, Discipline, ObjectiveRetro, TeamRetro, UnitRetro

if TYPE_CHECKING:
    from okrctl.analysis.state import KRState

_BAND_STYLE = {metrics.GREEN: "green", metrics.YELLOW: "yellow", metrics.RED: "red"}


def _num(value: float | None) -> str:
    return numbers.number(value, empty="-")


_STATUS_STYLE = {metrics.ON_TRACK: "green", metrics.AT_RISK: "yellow", metrics.OFF_TRACK: "red"}


def _discipline(d: Discipline) -> str:
    if not d.started:
        return f"{d.owner_name}: the cycle has not started"
    # A cadence other than a week counts its own periods: "4 of 7 weeks" read wrong for 14 days.
    period = "week" if d.cadence_days == 7 else "period"
    length = "" if d.cadence_days == 7 else f" of {d.cadence_days} days"
    if not d.weeks:  # the cycle's first week is under way and holds no check-in yet: nothing is due
        return f"{d.owner_name}: no full {period}{length} yet"
    periods = period + ("" if d.weeks == 1 else "s") + length
    share = numbers.percent(d.share or 0)
    return f"{d.owner_name}: {d.weeks_with_checkin} of {d.weeks} {periods} with a check-in ({share})"


def _kr_values(kr: KRState) -> str:
    value = getattr(kr, "value", None)
    kind = getattr(kr, "type", "metric")
    unit = getattr(kr, "unit", None) or ""
    unit = unit if unit == "%" or not unit else " " + unit
    # The value never reads as the target or bound it misses.
    now = "no check-in" if value is None else f"now {numbers.number(value, short_of=widgets.missed_mark(kr))}"
    if kind == "metric":
        return f"{_num(getattr(kr, 'baseline', None))} → {_num(getattr(kr, 'target', None))}{unit}, {now}"
    if kind == "maintain":
        low, high = getattr(kr, "min", None), getattr(kr, "max", None)
        if low is not None and high is None:  # one bound: said as status says it
            return f"keep ≥ {_num(low)}{unit}, {now}"
        if high is not None and low is None:
            return f"keep ≤ {_num(high)}{unit}, {now}"
        return f"keep within [{_num(low)}, {_num(high)}]{unit}, {now}"
    return f"milestone, {now}"


def _objective_section(doc: Outline, row: ObjectiveRetro, stage: str, provisional: bool) -> None:
    state = row.state
    section = doc.section(f"{state.id}: {state.title}")
    confidence = "no confidence yet" if state.confidence is None else f"confidence {_num(state.confidence)}"
    if stage == "end" and row.score is not None:
        label = "score so far" if provisional else "score"
        section.add(
            f"{label} {numbers.fixed(row.score)} ({row.band}), {confidence}",
            style=_BAND_STYLE.get(row.band or "", ""),
            bullet=False,
        )
    else:
        section.add(
            f"progress {numbers.percent(state.progress)} against {numbers.percent(state.expected)} expected: {state.status}, {confidence}",
            style=_STATUS_STYLE.get(state.status, ""),
            bullet=False,
        )
    for kr in state.key_results:
        if stage == "end":
            score = row.kr_scores.get(kr.id)
            head = f"{kr.id}: score {numbers.fixed(score)}" if score is not None else f"{kr.id}: no score"
            band = metrics.score_band(score) if score is not None else ""
            section.add(f"{head} ({_kr_values(kr)})", style=_BAND_STYLE.get(band, ""))
            if kr.id in row.overrides:
                reason = row.overrides[kr.id]
                said = SET_WITHOUT_REASON if reason == SET_WITHOUT_REASON else f"{SET_WITHOUT_REASON}: {reason}"
                section.add(said, 1, "dim", bullet=False)
        else:
            section.add(
                f"{kr.id}: {numbers.percent(kr.progress)} against {numbers.percent(kr.expected)} expected, {kr.status} ({_kr_values(kr)})",
                style=_STATUS_STYLE.get(kr.status, ""),
            )
    series = state.confidence_series
    if series:
        trail = " → ".join(_num(v) for _, v in series)
        slope = state.confidence_slope
        trend = "" if slope is None else f" (slope {numbers.slope(slope)} a week)"
        section.add(f"confidence {series[0][0]} to {series[-1][0]}: {trail}{trend}", bullet=False)
    for drop in row.drops:
        section.add(
            f"drop {_num(drop.before)} → {_num(drop.after)} on {drop.end} (from {drop.start})", style="bold red"
        )
        for issue in drop.issues:
            mark = " (new that week)" if issue in drop.new_issues else ""
            section.add(f"issue: {issue}{mark}", 1)


def _cycle_facts(doc: Outline, view: TeamRetro | UnitRetro) -> None:
    doc.facts.append(f"cycle: {view.cycle.id}, {view.cycle.start} to {view.cycle.end} ({view.cycle_reason})")
    when = f"today {view.day}"
    if view.provisional and view.day == view.cycle.end:
        when += ": the cycle's last day, scores are what they would be if it ended today"
    elif view.provisional:
        when += ": the cycle has not ended, scores are what they would be if it ended today"
    doc.facts.append(when)


def team_outline(view: TeamRetro) -> Outline:
    stage_name = "End-of-cycle" if view.stage == "end" else "Mid-cycle"
    doc = Outline(f"{stage_name} retro pre-read: {view.team_name} ({view.team}), {view.cycle.id}")
    _cycle_facts(doc, view)
    if not view.objectives:
        doc.section("Objectives", f"{view.team} has no objectives in {view.cycle.id}")
    for row in view.objectives:
        _objective_section(doc, row, view.stage, view.provisional)

    recurring = doc.section("Recurring issues", None if view.recurring else "no issue came up twice")
    for issue in view.recurring:
        span = f"{issue.first} to {issue.last}" if issue.first != issue.last else str(issue.first)
        recurring.add(f"{issue.text}")
        weeks = numbers.counted(issue.weeks, "week")
        recurring.add(f"in {issue.checkins} check-ins, {span} ({weeks})", 1, "dim", bullet=False)

    written = doc.section("Already written", None if view.written else "no retro written for this cycle yet")
    for retro in view.written:
        written.add(f"{shown_path(retro.path)} ({retro.stage}, {retro.date})", style="bold", bullet=False)
        for name in RETRO_LISTS:
            for item in retro.lists[name]:
                written.add(f"{name[:-1] if name.endswith('s') else name}: {item}", 1)

    discipline = doc.section("Check-in discipline")
    discipline.add(_discipline(view.discipline), bullet=False)

    questions = doc.section("Questions for the meeting", numbered=True)
    for question in view.questions:
        questions.add(question)
    if view.scaffolded:
        doc.footer.append(f"Wrote {view.scaffolded}: fill it in during the meeting (run 'okrctl align' after).")
    return doc


def unit_outline(view: UnitRetro) -> Outline:
    doc = Outline(f"Retro across {view.unit_name} ({view.unit}), {view.cycle.id}")
    _cycle_facts(doc, view)

    counts = view.distribution
    total = sum(counts.values())
    scores = doc.section("Scores", None if total else "no objectives in this cycle")
    if total:
        scores.add(
            f"green {counts[metrics.GREEN]} · yellow {counts[metrics.YELLOW]} · red {counts[metrics.RED]}"
            f" of {total} objectives",
            bullet=False,
        )
        reached = view.reached
        scores.add(
            f"{numbers.percent(reached or 0)} reached {numbers.plain(metrics.HIGH_BAND)} or better", bullet=False
        )
    for row in sorted(view.objectives, key=lambda r: (-(r.score or 0), r.state.owner, r.state.id)):
        confidence = "" if row.state.confidence is None else f", confidence {_num(row.state.confidence)}"
        score = numbers.fixed(row.score)
        scores.add(
            f"{score} {row.band or ''}  {row.state.owner} · {row.state.id}{confidence}",
            style=_BAND_STYLE.get(row.band or "", ""),
        )

    discipline = doc.section("Check-in discipline", None if view.discipline else "no owners with objectives")
    for d in view.discipline:
        discipline.add(_discipline(d))

    questions = doc.section("Questions for the meeting", numbered=True)
    for question in view.questions:
        questions.add(question)
    return doc
