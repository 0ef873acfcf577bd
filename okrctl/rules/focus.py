"""OKR301–OKR306, focus and quality: few objectives, a handful of measurable KRs that ask for movement."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

from okrctl.findings import Finding
from okrctl.load.documents import Doc
from okrctl.model import Objective
from okrctl.model.objective import MaintainKR, MetricKR
from okrctl.render import numbers
from okrctl.rules.base import RuleContext
from okrctl.rules.relations import cycle_of, span

# The first word of a KR that describes work to do rather than a result to reach (SPEC §5, OKR305).
TASK_VERBS = frozenset(
    [
        "launch",
        "build",
        "implement",
        "ship",
        "deliver",
        "create",
        "complete",
        "release",
        "deploy",
        "migrate",
        "write",
        "design",
        "develop",
    ]
)
_FIRST_WORD = re.compile(r"\s*([^\W\d_]+)")
_NUMBER = r"(?:[^\w\s]{1,3}\s*)?[-+]?\d[\d.,]*(?:[\s\u00a0\u202f]\d{3}(?!\d))*[a-zA-Z%]{0,3}[^\w\s]{0,3}(?!\w)"
# "Build time falls from 20 to 8 minutes": the first word is a noun when the title itself says how a
# metric moves. Imperative task titles ("Build the new portal") use no such verb.
_MOVEMENT = re.compile(
    r"\b(rises|grows|falls|drops|increases|decreases|improves|doubles|halves|shrinks|climbs|reaches|"
    r"exceeds|stays|remains|goes (up|down))\b"
    # A number may carry a sign, a currency symbol before it, glued or not ("€ 20"), groups of
    # thousands ("1 200"), and a unit after it, glued or as a word or two ("6 days", "6.0 s",
    # "20.000 €", "10k"). A word with a digit in it is no number ("from v1 to v2"), and neither is
    # a word before one: "from Java 8 to Java 17" is a task's versions (a currency code too).
    rf"|\bfrom\s+{_NUMBER}(?:\s+[^\s\d]\S*){{0,2}}\s+to\s+{_NUMBER}",
    re.IGNORECASE,
)


def check(ctx: RuleContext) -> Iterator[Finding]:
    objectives = ctx.objectives()
    yield from _too_many_objectives(ctx, objectives)
    for doc in objectives:
        yield from _kr_count(ctx, doc)
        model: Objective = doc.model
        for i, kr in enumerate(model.key_results):
            yield from _measurable(ctx, doc, i, kr)
            yield from _task_like(ctx, doc, i, kr)
            if isinstance(kr, MetricKR) and kr.pace:
                yield from _pace(ctx, doc, i, kr)


# ----- OKR301 ------------------------------------------------------------------------------------
def _too_many_objectives(ctx: RuleContext, objectives: list[Doc]) -> Iterator[Finding]:
    if ctx.repo.rule_skipped("OKR301"):
        return  # refused in okrctl.yaml (or not read): its finding comes first, not the default's
    limit = ctx.repo.config.limits.objectives_per_team
    groups: dict[tuple[str, str], list[Doc]] = defaultdict(list)
    for doc in objectives:
        # A comment silences its own document: an objective whose file says ``ignore[OKR301]`` (one
        # agreed beyond the limit) is not counted, so the answer is the same whichever file shows it.
        if "OKR301" not in doc.ignore:
            groups[(doc.model.owner, str(doc.model.cycle))].append(doc)
    for (owner, cycle), docs in sorted(groups.items()):
        if len(docs) <= limit:
            continue
        docs = sorted(docs, key=lambda d: (d.path, d.line))
        extra = docs[limit]
        if ctx.focus is not None and not ctx.wanted(extra):
            # Asked about some files (``align PATH``, a gate given a pull request's files): shown on
            # the first of the team's objectives named, whichever of them is past the limit by
            # path (a new file whose name sorts first put the finding on an unchanged one).
            extra = next((d for d in docs if ctx.wanted(d)), extra)
        ids = ", ".join(d.model.id for d in docs)
        finding = ctx.repo.finding(
            "OKR301",
            extra,
            ("id",),
            f"'{owner}' has {len(docs)} objectives in {cycle}, more than the limit of {limit}: {ids}",
            f"focus on at most {limit} (move the others to a later cycle or the backlog), "
            "or raise limits.objectives_per_team in okrctl.yaml",
            unit=owner,
            cycle=cycle,
        )
        # About the team and cycle, shown at the first objective past the limit by path: a file
        # renamed before it leaves it the same finding.
        yield replace(finding, representative=True)


# ----- OKR302 ------------------------------------------------------------------------------------
def _kr_count(ctx: RuleContext, doc: Doc[Objective]) -> Iterator[Finding]:
    if ctx.repo.rule_skipped("OKR302"):
        return  # refused in okrctl.yaml (or not read): its finding comes first, not the default's
    low, high = ctx.repo.config.limits.krs_per_objective
    model: Objective = doc.model
    count = len(model.key_results)
    if low <= count <= high:
        return
    has_list = isinstance(doc.data, dict) and "key_results" in doc.data
    if count > high:
        loc: tuple[Any, ...] = ("key_results", high)
        message = f"'{model.id}' has {count} key results, more than {high}"
        hint = f"keep the {high} that best show the objective is reached; the rest are tasks or health metrics"
    else:
        loc = ("key_results",) if has_list else ("id",)
        message = f"'{model.id}' has {count} key result{'s' if count != 1 else ''}, fewer than {low}"
        hint = "add key results that show from more than one side that the objective is reached"
    yield ctx.repo.finding(
        "OKR302",
        doc,
        loc,
        message,
        hint + " (limits.krs_per_objective in okrctl.yaml sets the range)",
        key=loc == ("key_results",),
        objective=model.id,
    )


# ----- OKR303, OKR304 ----------------------------------------------------------------------------
def _measurable(ctx: RuleContext, doc: Doc[Objective], i: int, kr: Any) -> Iterator[Finding]:
    model: Objective = doc.model
    ref = f"{model.id}/{kr.id}"
    if isinstance(kr, MetricKR):
        missing = [name for name in ("baseline", "target") if getattr(kr, name) is None]
        if missing:
            yield ctx.repo.finding(
                "OKR303",
                doc,
                ("key_results", i, "id"),
                f"metric key result '{ref}' has no {' and no '.join(missing)}",
                "a metric KR moves a number: add 'baseline:' (the value today) and 'target:' (the value at the "
                "end of the cycle), or make it 'type: milestone' if it is done or not done",
                objective=model.id,
                key_result=kr.id,
            )
        elif kr.baseline == kr.target:
            yield ctx.repo.finding(
                "OKR304",
                doc,
                ("key_results", i, "target"),
                f"key result '{ref}' asks for no movement: target equals baseline "
                f"({ctx.repo.spelled(doc, ('key_results', i, 'target'), numbers.plain(kr.target))})",
                "set the target the team wants to reach, or make it 'type: maintain' with min/max "
                "if holding the level is the point",
                objective=model.id,
                key_result=kr.id,
            )
    elif isinstance(kr, MaintainKR) and kr.min is None and kr.max is None:
        yield ctx.repo.finding(
            "OKR303",
            doc,
            ("key_results", i, "id"),
            f"maintain key result '{ref}' has neither min nor max",
            "add 'min:' and/or 'max:': the range the metric must stay in",
            objective=model.id,
            key_result=kr.id,
        )
    elif isinstance(kr, MaintainKR) and kr.min is not None and kr.max is not None and kr.min > kr.max:
        # No value is both at least min and at most max: the key result could never be on track.
        yield ctx.repo.finding(
            "OKR303",
            doc,
            ("key_results", i, "min"),
            f"maintain key result '{ref}' has min {ctx.repo.spelled(doc, ('key_results', i, 'min'), numbers.plain(kr.min))} "
            f"above max {ctx.repo.spelled(doc, ('key_results', i, 'max'), numbers.plain(kr.max))}: no value fits",
            "swap them: 'min:' is the lowest acceptable value and 'max:' the highest",
            objective=model.id,
            key_result=kr.id,
        )


# ----- OKR305 ------------------------------------------------------------------------------------
def _task_like(ctx: RuleContext, doc: Doc[Objective], i: int, kr: Any) -> Iterator[Finding]:
    match = _FIRST_WORD.match(kr.title)
    if match is None:
        return
    word = match.group(1)
    if word.lower() not in TASK_VERBS or _MOVEMENT.search(kr.title, match.end()):
        return
    model: Objective = doc.model
    yield ctx.repo.finding(
        "OKR305",
        doc,
        ("key_results", i, "title"),
        f"key result '{model.id}/{kr.id}' reads like a task: it starts with '{word}'",
        "name the outcome the work should cause (e.g. 'Onboarding completion rises from 65% to 90%') "
        "and list the work itself under 'work:'",
        objective=model.id,
        key_result=kr.id,
    )


# ----- OKR306 ------------------------------------------------------------------------------------
def _raw_pace_keys(doc: Doc[Objective], i: int) -> dict[date, Any]:
    """Pace dates as written in the file (positions are keyed by the raw YAML key)."""
    try:
        raw = doc.data["key_results"][i]["pace"]
    except (KeyError, IndexError, TypeError):
        return {}
    out: dict[date, Any] = {}
    for key in raw if isinstance(raw, dict) else ():
        try:
            out[key if isinstance(key, date) else date.fromisoformat(str(key))] = key
        except ValueError:
            continue
    return out


def _pace(ctx: RuleContext, doc: Doc[Objective], i: int, kr: MetricKR) -> Iterator[Finding]:
    repo = ctx.repo
    model: Objective = doc.model
    ref = f"{model.id}/{kr.id}"
    raw_keys = _raw_pace_keys(doc, i)
    cycle = cycle_of(repo, model)
    unused: set[date] = set()  # points reported for their date: the expected line does not use them
    if cycle is not None:
        for day in sorted(kr.pace):
            # The expected line runs from (start, baseline) to (end, target) through the pace
            # points: one on the first or last day would say what those say, and is not used.
            if not cycle.contains(day) or day in (cycle.start, cycle.end):
                if not cycle.contains(day):
                    where = f"is outside the cycle {span(cycle)}"
                elif cycle.start == cycle.end:  # a one-day cycle: on its day the target is expected
                    where = f"is on the only day of {cycle.id}, where the target is what is expected"
                else:
                    where = (
                        f"is on the {'first' if day == cycle.start else 'last'} day of {cycle.id}, where the "
                        f"{'baseline' if day == cycle.start else 'target'} is what is expected"
                    )
                unused.add(day)
                yield repo.finding(
                    "OKR306",
                    doc,
                    ("key_results", i, "pace", raw_keys.get(day, str(day))),
                    f"pace point {day} of '{ref}' {where}",
                    f"date pace points after {cycle.start} and before {cycle.end}; the baseline is what is "
                    "expected at the cycle's start and the target at its end",
                    key=True,
                    objective=model.id,
                    key_result=kr.id,
                )
    if kr.baseline is None or kr.target is None or kr.baseline == kr.target:
        return  # OKR303 / OKR304
    rising = kr.target > kr.baseline
    previous, previous_label = kr.baseline, f"baseline {numbers.plain(kr.baseline)}"
    for day in sorted(set(kr.pace) - unused):  # a point dated a year off is one finding, not two
        value = kr.pace[day]
        backwards = value < previous if rising else value > previous
        beyond = value > kr.target if rising else value < kr.target
        if backwards or beyond:
            what = (
                f"goes back from {previous_label}" if backwards else f"goes past the target {numbers.plain(kr.target)}"
            )
            place = ("key_results", i, "pace", raw_keys.get(day, str(day)))
            yield repo.finding(
                "OKR306",
                doc,
                place,
                f"pace of '{ref}' at {day} is {repo.spelled(doc, place, numbers.plain(value))}, which {what} "
                f"(the KR moves {numbers.plain(kr.baseline)} → {numbers.plain(kr.target)})",
                f"pace values move step by step from the baseline toward the target: each between "
                f"{numbers.plain(previous)} and {numbers.plain(kr.target)}",
                objective=model.id,
                key_result=kr.id,
            )
            return  # one finding per KR: later points are judged against a broken sequence
        previous, previous_label = value, f"{numbers.plain(value)} on {day}"
