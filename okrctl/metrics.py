"""The formulas of SPEC §3, as pure functions. Every command computes through this module only.

A KR's observations are a *series*: ``(date, value)`` pairs from the owner's check-ins inside the
objective's cycle, oldest first. Values are numbers; a milestone's ``true``/``false`` is 1/0.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from okrctl.model.cycle import Cycle
from okrctl.render import numbers

if TYPE_CHECKING:
    from okrctl.model.config import ConfidenceScale, StatusSettings
    from okrctl.model.objective import KeyResult

Series = Sequence[tuple[date, float]]

ON_TRACK = "on-track"
AT_RISK = "at-risk"
OFF_TRACK = "off-track"
NO_DATA = "no-data"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA)
_BADNESS = {ON_TRACK: 0, AT_RISK: 1, OFF_TRACK: 2}

GREEN, YELLOW, RED = "green", "yellow", "red"
# The bands of SPEC §3, for a score and for confidence as a share of its scale (the config has no
# setting for them): at or above HIGH_BAND is good, below LOW_BAND is bad.
HIGH_BAND, LOW_BAND = 0.7, 0.4
DROP_POINTS = 3.0


def clamp(x: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, x))


def as_number(value: float | bool | None) -> float | None:
    if value is None:
        return None
    return float(value)


# ----- value and progress ------------------------------------------------------------------------
def value_at(series: Series, day: date) -> float | None:
    """The latest value on or before ``day``; None when there is none (the KR keeps its baseline)."""
    index = bisect.bisect_right([d for d, _ in series], day)
    return series[index - 1][1] if index else None


def progress(kr: KeyResult, value: float | None) -> float:
    """Progress in [0, 1] of ``value`` (None means no check-in yet: no progress)."""
    if kr.type == "metric":
        if kr.baseline is None or kr.target is None:
            return 0.0
        if value is None:
            return 0.0  # the baseline: no progress, also when the target is the baseline
        current = value
        if kr.target == kr.baseline:
            return 1.0 if current == kr.target else 0.0
        return clamp((current - kr.baseline) / (kr.target - kr.baseline))
    if value is None:
        return 0.0
    if kr.type == "maintain":
        above_min = kr.min is None or value >= kr.min
        below_max = kr.max is None or value <= kr.max
        return 1.0 if above_min and below_max else 0.0
    return clamp(float(value))  # milestone: 1/0 or a fraction


def weighted_mean(values: Sequence[float], weights: Sequence[float]) -> float:
    """The mean of ``values``, each counted its weight times. The weights are first brought near 1
    by a power of two, which is exact: equal weights give the plain mean however small they are
    (``5e-324`` times a progress would round to nothing)."""
    if not values or not weights or max(weights) <= 0:
        return 0.0
    shift = -math.frexp(max(weights))[1]
    scaled = [math.ldexp(w, shift) for w in weights]
    total = sum(scaled)
    if total <= 0:
        return 0.0
    return sum(v * w for v, w in zip(values, scaled, strict=True)) / total


def objective_progress(krs: Sequence[KeyResult], progresses: Sequence[float]) -> float:
    """Weight-averaged KR progress."""
    return weighted_mean(progresses, [kr.weight for kr in krs])


# ----- expected pace -------------------------------------------------------------------------------
def elapsed_share(cycle: Cycle, day: date) -> float:
    """``clamp((day − start) / (end − start))`` in days."""
    if cycle.days <= 0:
        return 1.0 if day >= cycle.end else 0.0
    return clamp((day - cycle.start).days / cycle.days)


def paced_value(kr: KeyResult, cycle: Cycle, day: date) -> float | None:
    """The value a metric KR with ``pace`` should have on ``day``: linear through its pace points."""
    if kr.type != "metric" or kr.baseline is None or kr.target is None:
        return None
    points = [(cycle.start, kr.baseline)]
    points += sorted((d, v) for d, v in kr.pace.items() if cycle.start < d < cycle.end)
    points.append((cycle.end, kr.target))
    if day >= cycle.end:  # first: a cycle of one day is at its end on that day, as ``elapsed_share`` has it
        return kr.target
    if day <= cycle.start:
        return kr.baseline
    for (d0, v0), (d1, v1) in itertools.pairwise(points):
        if d0 <= day <= d1:
            span = (d1 - d0).days
            return v1 if span == 0 else v0 + (v1 - v0) * (day - d0).days / span
    return kr.target


def expected_progress(kr: KeyResult, cycle: Cycle, day: date) -> float:
    """Where the KR should be on ``day``: elapsed share of the cycle, or along its ``pace``."""
    if kr.type == "metric" and kr.pace:
        value = paced_value(kr, cycle, day)
        if value is not None:
            return progress(kr, value)
    return elapsed_share(cycle, day)


def expected_value(kr: KeyResult, cycle: Cycle, day: date) -> float | None:
    """The value a metric KR should show on ``day`` (None for maintain and milestone KRs)."""
    if kr.type != "metric" or kr.baseline is None or kr.target is None:
        return None
    if kr.pace:
        return paced_value(kr, cycle, day)
    return kr.baseline + (kr.target - kr.baseline) * elapsed_share(cycle, day)


# ----- status ---------------------------------------------------------------------------------------
def status_from_gap(expected: float, actual: float, settings: StatusSettings) -> str:
    gap = expected - actual
    if gap <= settings.at_risk_gap + 1e-9:
        return ON_TRACK
    if gap <= settings.off_track_gap + 1e-9:
        return AT_RISK
    return OFF_TRACK


def confidence_share(confidence: float, scale: ConfidenceScale) -> float:
    return (confidence - scale.min) / (scale.max - scale.min)


def confidence_band(confidence: float, scale: ConfidenceScale) -> str:
    """The status a confidence reads as: on track from HIGH_BAND of the scale, off track below LOW_BAND."""
    return {GREEN: ON_TRACK, YELLOW: AT_RISK, RED: OFF_TRACK}[score_band(confidence_share(confidence, scale))]


def worse(*statuses: str) -> str:
    known = [s for s in statuses if s in _BADNESS]
    return max(known, key=_BADNESS.__getitem__) if known else NO_DATA


def kr_status(
    has_value: bool, expected: float, actual: float, settings: StatusSettings, *, maintain: bool = False
) -> str:
    """A key result's status: by its gap to the expected progress; a maintain key result by its
    band, which must hold on every day of the cycle (out of it is off-track from the first day,
    where the gap would read a blown limit as on-track for weeks)."""
    if not has_value:
        return NO_DATA
    if maintain:
        return ON_TRACK if actual >= 1.0 else OFF_TRACK
    return status_from_gap(expected, actual, settings)


def objective_status(
    has_checkin: bool,
    expected: float,
    actual: float,
    confidence: float | None,
    settings: StatusSettings,
    scale: ConfidenceScale,
) -> str:
    """Worse of progress-vs-expected and the confidence band; no-data before the first check-in."""
    if not has_checkin:
        return NO_DATA
    by_progress = status_from_gap(expected, actual, settings)
    if confidence is None:
        return by_progress
    return worse(by_progress, confidence_band(confidence, scale))


# ----- forecast -------------------------------------------------------------------------------------
def least_squares(points: Sequence[tuple[float, float]]) -> tuple[float, float] | None:
    """(slope, intercept) of the least-squares line, or None when x does not vary."""
    n = len(points)
    if n < 2:
        return None
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((x - mean_x) ** 2 for x, _ in points)
    if sxx == 0:
        return None
    sxy = sum((x - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx
    return slope, mean_y - slope * mean_x


def forecast_line(kr: KeyResult, cycle: Cycle, series: Series, day: date) -> tuple[float, float] | None:
    """(slope per day, value at the cycle start) of the forecast line, or None (see ``forecast``)."""
    if kr.type != "metric" or kr.baseline is None or kr.target is None:
        return None
    points = [(0.0, float(kr.baseline))]
    points += [(float((d - cycle.start).days), v) for d, v in series if cycle.start <= d <= day]
    if len(points) < 3:
        return None
    return least_squares(points)


def forecast(kr: KeyResult, cycle: Cycle, series: Series, day: date) -> float | None:
    """Value projected at the cycle end from (start, baseline) and the check-ins up to ``day``.

    Needs at least 3 points in all; metric KRs only (maintain and milestone KRs have no baseline
    to draw a line from).
    """
    line = forecast_line(kr, cycle, series, day)
    if line is None:
        return None
    return forecast_at_end(kr, cycle, line)


def forecast_at_end(kr: KeyResult, cycle: Cycle, line: tuple[float, float]) -> float:
    """The value of the forecast ``line`` (slope per day, value at the cycle start) at the cycle end,
    read as the target when only a float's noise parts them. The noise is judged on the key result's
    own scale (the larger of its range and its target), not on the value's magnitude: a team exactly
    on its pace from 1.3 to 0 is forecast 2.22e-16, which is 0, as 279.99999999999994 is 280. A real
    shortfall (0.01 above a target of 0) stays short."""
    slope, intercept = line
    projected = intercept + slope * cycle.days
    target = getattr(kr, "target", None)
    baseline = getattr(kr, "baseline", None)
    if target is None or baseline is None:
        return projected
    scale = max(abs(target - baseline), abs(target))
    return float(target) if abs(projected - target) <= scale * 10.0**-numbers.VALUE_DIGITS else projected


def forecast_progress(kr: KeyResult, projected: float) -> float:
    """Progress of a forecast (``forecast_at_end``), read as the value every output gives it
    (``numbers.json_value``): a least-squares line's float noise is no shortfall. 279.99999999999994
    beside a target of 280 reads 280, so its progress is 1 (green, "100%"), not 0.9999999999999998
    (yellow, ">99.9%")."""
    return progress(kr, numbers.json_value(projected))


# ----- score ---------------------------------------------------------------------------------------
def round_half_up(value: float, places: int = 2) -> float:
    """Round the way a person does (0.695 → 0.70), not the way binary floats fall (round() → 0.69).

    The value is first read as the decimal it was meant to be (rounding to 12 decimal places drops the
    noise of ``139 / 200``), then rounded half up.
    """
    exact = Decimal(repr(round(value, 12)))
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def score(progress_at_end: float, override: float | None = None) -> float:
    """End-of-cycle score: the retro's override, else progress at the cycle end; 2 decimals."""
    return round_half_up(override if override is not None else progress_at_end, 2)


def objective_score(terms: Sequence[float], weights: Sequence[float]) -> float:
    """An objective's end-of-cycle score: the weight-averaged progress at the cycle end, each key
    result's term replaced by its retro override where there is one, rounded once (2 decimals).

    Averaging the key results' scores after they were rounded would round twice: KR scores 1.00 and
    0.67 (progress 1 and 4/6) would give 0.84 for an objective whose progress is 0.8333.
    """
    return round_half_up(weighted_mean(terms, weights), 2)


def score_band(value: float) -> str:
    """green from HIGH_BAND, yellow from LOW_BAND, red below (a score, or a share of a scale)."""
    if value >= HIGH_BAND - 1e-9:
        return GREEN
    if value >= LOW_BAND - 1e-9:
        return YELLOW
    return RED


def forecast_band(reach: float) -> str:
    """A forecast reaching the target is green, one reaching HIGH_BAND of the way yellow, else red."""
    if reach >= 1:
        return GREEN
    return YELLOW if reach >= HIGH_BAND else RED


# ----- confidence trend ----------------------------------------------------------------------------
def slope_per_week(series: Series) -> float | None:
    """Least-squares slope of confidence per week; None with fewer than two dates."""
    line = least_squares([((d - series[0][0]).days / 7.0, v) for d, v in series]) if series else None
    return line[0] if line else None


def drops(series: Series, points: float = DROP_POINTS) -> list[tuple[date, date, float, float]]:
    """Falls of ``points`` or more between consecutive check-ins: (from, to, before, after).

    The fall is compared at 6 decimals, so that 7.3 → 4.3 (2.9999999999999996 in binary) is the
    drop of 3 a person sees.
    """
    out = []
    for (d0, v0), (d1, v1) in itertools.pairwise(series):
        if round(v0 - v1, 6) >= points:
            out.append((d0, d1, v0, v1))
    return out
