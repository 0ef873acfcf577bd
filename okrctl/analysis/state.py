"""Where one objective and its key results stand on a date: the numbers every view starts from."""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrctl import metrics
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective, Reading, Retro
from okrctl.model.cycle import Cycle
from okrctl.model.objective import KeyResult
from okrctl.render import numbers


@dataclass
class KRState:
    id: str
    title: str
    type: str
    unit: str | None
    baseline: float | None
    target: float | None
    min: float | None
    max: float | None
    weight: float
    value: float | None
    progress: float
    expected: float
    status: str
    forecast: float | None
    forecast_progress: float | None
    score: float | None
    series: list[tuple[date, float]] = field(default_factory=list)
    note: str | None = None

    @property
    def forecast_band(self) -> str | None:
        """green when the forecast reaches the target, yellow from HIGH_BAND of the way, else red."""
        return None if self.forecast_progress is None else metrics.forecast_band(self.forecast_progress)

    @property
    def current(self) -> float | None:
        """The value at the state's day as SPEC §3 has it: a metric key result with no check-in
        value yet is at its baseline (``value`` stays None: its status is "no data")."""
        if self.value is None and self.type == "metric":
            return self.baseline
        return self.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "unit": self.unit,
            "baseline": self.baseline,
            "target": self.target,
            "min": self.min,
            "max": self.max,
            "weight": self.weight,
            "value": self.current,
            "progress": round(self.progress, 4),
            "expected": round(self.expected, 4),
            "status": self.status,
            "forecast": numbers.json_value(self.forecast),  # a value in the KR's unit, not a ratio
            "forecast_progress": None if self.forecast_progress is None else round(self.forecast_progress, 4),
            "score": self.score,
            "score_band": None if self.score is None else metrics.score_band(self.score),
        }


@dataclass
class ObjectiveState:
    id: str
    owner: str
    owner_name: str
    cycle: Cycle
    title: str
    day: date
    progress: float
    expected: float
    status: str
    confidence: float | None
    confidence_series: list[tuple[date, float]]
    key_results: list[KRState]
    checkins: list[CheckIn]
    score: float | None = None
    confidence_band: str | None = None  # the status the confidence reads as on the configured scale

    @property
    def last_checkin(self) -> CheckIn | None:
        return self.checkins[-1] if self.checkins else None

    @property
    def days_since_checkin(self) -> int | None:
        last = self.last_checkin
        return (self.day - last.date).days if last else None

    @property
    def confidence_slope(self) -> float | None:
        return metrics.slope_per_week(self.confidence_series)

    def to_dict(self) -> dict[str, Any]:
        last = self.last_checkin
        return {
            "id": self.id,
            "owner": self.owner,
            "cycle": self.cycle.id,
            "title": self.title,
            "progress": round(self.progress, 4),
            "expected": round(self.expected, 4),
            "status": self.status,
            "confidence": self.confidence,
            "confidence_trend": [{"date": d.isoformat(), "confidence": c} for d, c in self.confidence_series],
            "last_checkin": last.date.isoformat() if last else None,
            "score": self.score,
            "score_band": None if self.score is None else metrics.score_band(self.score),
            "key_results": [kr.to_dict() for kr in self.key_results],
        }


def drops_to_dict(drops: list[tuple[date, date, float, float]]) -> list[dict[str, Any]]:
    """Confidence drops (``metrics.drops``) in the JSON of SPEC §5."""
    return [{"from": d0.isoformat(), "to": d1.isoformat(), "before": v0, "after": v1} for d0, d1, v0, v1 in drops]


def result_series(
    repo: Repo, objective: Objective, checkins: list[CheckIn], readings: list[Reading] | None = None
) -> dict[str, list[tuple[date, float]]]:
    """Each KR's (date, value) observations from the check-ins and readings (keys resolved like ``align``).

    A KR's value at a date is the latest of its check-ins and readings; on one date a check-in's
    value stands over a reading's (the team saw the measurement and said otherwise).
    """
    by_day: dict[str, dict[date, float]] = {kr.id: {} for kr in objective.key_results}
    documents: list[CheckIn | Reading] = [*(readings or []), *checkins]
    for document in documents:
        for result_objective, kr, _key, value in result_values(repo, document):
            if result_objective.id == objective.id:
                by_day[kr.id][document.date] = value
    return {kr_id: sorted(points.items()) for kr_id, points in by_day.items()}


def result_values(repo: Repo, document: CheckIn | Reading) -> Iterator[tuple[Objective, KeyResult, str, float]]:
    """Each value the check-in's results or the reading's values give a key result: (objective, KR,
    the key as written, the value), keys resolved like ``align``. An ambiguous key, a key of no KR,
    an empty value, or true/false for a metric or maintain KR (OKR101 says so) gives none."""
    entries = document.values if isinstance(document, Reading) else document.results
    known = repo.result_keys(document.owner, document.date)  # what ``resolve_result_key`` reads
    for key in entries:
        matches = known.get(key, ())
        if len(matches) != 1:
            continue  # ambiguous (align reports it)
        objective, kr = matches[0]
        written = document.result_value(key)
        if isinstance(written, bool) and kr.type != "milestone":
            continue
        value = metrics.as_number(written)
        if value is not None:
            yield objective, kr, key, value


def _whole_series(repo: Repo, objective: Objective) -> tuple[dict[str, list[tuple[date, float]]], date | None]:
    """``result_series`` of all the objective's check-ins and readings of its cycle, and the day of
    its first check-in (None before any): worked out once per objective and run.

    A value at a date depends only on the documents of that date, so the series up to any day is
    this one cut at that day: views that ask for every week of a cycle (trends) no longer resolve
    every result again for each week."""
    memo = repo.derived.setdefault("result_series", {})
    key = (objective.id, id(objective))
    found = memo.get(key)
    if found is None:
        checkins = repo.checkins_for(objective)
        full = result_series(repo, objective, checkins, repo.readings_for(objective))
        found = memo[key] = (full, min((c.date for c in checkins), default=None))
    return found


def _series_until(repo: Repo, objective: Objective, day: date) -> dict[str, list[tuple[date, float]]]:
    """``result_series`` of the objective's check-ins and readings up to ``day``."""
    full, _first = _whole_series(repo, objective)
    return {kr_id: [p for p in points if p[0] <= day] for kr_id, points in full.items()}


def confidence_of(checkin: CheckIn, objective_id: str) -> float | None:
    """The check-in's confidence for one objective (a single number covers all of them)."""
    if isinstance(checkin.confidence, dict):
        return checkin.confidence.get(objective_id)
    return checkin.confidence


def confidence_series(checkins: list[CheckIn], objective_id: str) -> list[tuple[date, float]]:
    out = []
    for checkin in checkins:
        value = confidence_of(checkin, objective_id)
        if value is not None:
            out.append((checkin.date, float(value)))
    return out


def outside_scale(repo: Repo, owner: str | None = None) -> list[str]:
    """The paths of the loaded check-ins (of ``owner``; None: all) that give a confidence outside
    the configured scale (OKR504): their values count, that confidence is no point of a trend
    (``objective_state``)."""
    scale = repo.config.checkin.confidence
    outside = []
    for doc in repo.checkins if owner is None else repo.checkins_of(owner):
        confidence = doc.model.confidence
        values = confidence.values() if isinstance(confidence, dict) else () if confidence is None else (confidence,)
        if any(not scale.min <= value <= scale.max for value in values):
            outside.append(doc.path)
    return sorted(outside)


def end_retro(repo: Repo, objective: Objective, day: date | None = None) -> Retro | None:
    """The end retro of the objective's owner and cycle; with ``day``, only one dated on or before
    it (a view of a past day shows what had been written by then)."""
    for doc in repo.retros:
        retro: Retro = doc.model
        if retro.owner == objective.owner and str(retro.cycle) == str(objective.cycle) and retro.stage == "end":
            return retro if day is None or retro.date <= day else None
    return None


def bare_score_key_refs(repo: Repo, retro: Retro, key: str) -> list[str]:
    """``objective-id/kr-id`` of every key result of the retro owner's cycle that a bare ``key``
    of ``retro.scores`` names: more than one, and it scores none of them (rule OKR503)."""
    return [
        f"{doc.model.id}/{key}"
        for doc in repo.objectives_of(retro.owner, str(retro.cycle))
        if any(kr.id == key for kr in doc.model.key_results)
    ]


def score_key(repo: Repo, retro: Retro, objective: Objective, kr: KeyResult) -> str | None:
    """The key of ``retro.scores`` that scores ``kr`` of ``objective``: ``objective-id/kr-id``,
    else the bare ``kr-id`` when it names no other objective's key result, else None."""
    full = f"{objective.id}/{kr.id}"
    if full in retro.scores:
        return full
    if kr.id not in retro.scores or len(bare_score_key_refs(repo, retro, kr.id)) > 1:
        return None
    return kr.id


def score_override(repo: Repo, retro: Retro | None, objective: Objective, kr: KeyResult) -> float | None:
    """The score the end retro sets for ``kr`` of ``objective``, if any (``score_key``)."""
    if retro is None:
        return None
    key = score_key(repo, retro, objective, kr)
    return None if key is None else retro.score_of(key)


def progress_over(repo: Repo, objective: Objective, days: list[date]) -> list[tuple[float, float, bool]] | None:
    """(progress, expected, any check-in yet) of the objective on each of ``days``: the same numbers
    as ``objective_state``, without the rest (forecasts, scores, notes), for views that ask every
    week of a cycle. None when its cycle is unknown."""
    cycle = repo.cycle(objective.cycle)
    if cycle is None:
        return None
    series, first_checkin = _whole_series(repo, objective)  # ``value_at`` looks no further than a day
    krs = objective.key_results
    weights = [kr.weight for kr in krs]
    # Each KR's dates once, not once a day (``metrics.value_at`` would list them for every call).
    points = [(kr, series[kr.id], [d for d, _ in series[kr.id]]) for kr in krs]
    out = []
    for day in days:
        actual = []
        for kr, observed, dates in points:
            index = bisect.bisect_right(dates, day)
            actual.append(metrics.progress(kr, observed[index - 1][1] if index else None))
        progress = metrics.weighted_mean(actual, weights)
        if krs:
            expected = metrics.weighted_mean([metrics.expected_progress(kr, cycle, day) for kr in krs], weights)
        else:
            expected = metrics.elapsed_share(cycle, day)
        out.append((progress, expected, first_checkin is not None and first_checkin <= day))
    return out


def objective_state(
    repo: Repo, objective: Objective, day: date, *, forecasts: bool = True, written_by: date | None = None
) -> ObjectiveState | None:
    """The objective on ``day`` (None when its cycle is unknown); without ``forecasts`` (the rules
    read none), no key result is projected to the cycle's end."""
    cycle = repo.cycle(objective.cycle)
    if cycle is None:
        return None
    settings = repo.config.status
    scale = repo.config.checkin.confidence
    checkins = repo.checkins_for(objective, until=day)
    series = _series_until(repo, objective, day)
    ended = day >= cycle.end
    # The end retro counts once written: by ``day``, or by ``written_by`` when the view is read on
    # a later day than the one it shows (a report of the cycle's last month, made in January).
    retro = end_retro(repo, objective, written_by or day) if ended else None
    notes = {}
    if checkins:
        last = checkins[-1]
        for key in last.results:
            note = last.result_note(key)
            if note:
                # Only a note on this objective's key result: another objective's KR of the same
                # id has its own (``o2/x``), and an ambiguous bare key belongs to none (OKR503).
                matches = repo.resolve_result_key(last, key)
                if len(matches) == 1 and matches[0][0].id == objective.id:
                    notes[matches[0][1].id] = note
    krs: list[KRState] = []
    score_terms: list[float] = []  # each KR's share of the objective's score, not yet rounded
    for kr in objective.key_results:
        observed = series[kr.id]
        value = metrics.value_at(observed, day)
        actual = metrics.progress(kr, value)
        expected = metrics.expected_progress(kr, cycle, day)
        projected = metrics.forecast(kr, cycle, observed, day) if forecasts else None
        kr_score = None
        if ended:
            at_end = metrics.progress(kr, metrics.value_at(observed, cycle.end))
            override = score_override(repo, retro, objective, kr)
            kr_score = metrics.score(at_end, override)
            score_terms.append(at_end if override is None else override)
        # A field another type of key result has (a milestone has no unit): None, without the
        # slow way pydantic says a model has no such attribute.
        fields = vars(kr)
        krs.append(
            KRState(
                id=kr.id,
                title=kr.title,
                type=kr.type,
                unit=fields.get("unit"),
                baseline=fields.get("baseline"),
                target=fields.get("target"),
                min=fields.get("min"),
                max=fields.get("max"),
                weight=kr.weight,
                value=value,
                progress=actual,
                expected=expected,
                status=metrics.kr_status(value is not None, expected, actual, settings, maintain=kr.type == "maintain"),
                forecast=projected,
                forecast_progress=None if projected is None else metrics.forecast_progress(kr, projected),
                score=kr_score,
                series=list(observed),
                note=notes.get(kr.id),
            )
        )
    weights = [kr.weight for kr in objective.key_results]
    progress = metrics.weighted_mean([k.progress for k in krs], weights)
    expected = metrics.weighted_mean([k.expected for k in krs], weights) if krs else metrics.elapsed_share(cycle, day)
    # A confidence outside the configured scale is an OKR504 error, not a point of the trend.
    confidences = [(d, c) for d, c in confidence_series(checkins, objective.id) if scale.min <= c <= scale.max]
    confidence = confidences[-1][1] if confidences else None
    objective_score = None
    if ended and krs:
        objective_score = metrics.objective_score(score_terms, weights)
    return ObjectiveState(
        id=objective.id,
        owner=objective.owner,
        owner_name=repo.unit_name(objective.owner),
        cycle=cycle,
        title=objective.title,
        day=day,
        progress=progress,
        expected=expected,
        status=metrics.objective_status(bool(checkins), expected, progress, confidence, settings, scale),
        confidence=confidence,
        confidence_series=confidences,
        key_results=krs,
        checkins=checkins,
        score=objective_score,
        confidence_band=None if confidence is None else metrics.confidence_band(confidence, scale),
    )


def states(
    repo: Repo, day: date, cycle_ids: set[str] | None = None, owners: set[str] | None = None
) -> list[ObjectiveState]:
    """States of every objective of the cycles (default: those containing ``day``) and owners."""
    if cycle_ids is None:
        cycle_ids = {c.id for c in repo.cycles_containing(day)}
    out = []
    for doc in repo.objectives_in(cycle_ids):
        if owners is not None and doc.model.owner not in owners:
            continue
        state = objective_state(repo, doc.model, day)
        if state is not None:
            out.append(state)
    return out
