"""The formulas of SPEC §3: invariants (hypothesis) and examples worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from okrctl import metrics
from okrctl.model.config import ConfidenceScale, StatusSettings
from okrctl.model.cycle import Cycle, calendar_cycle
from okrctl.model.objective import MaintainKR, MetricKR, MilestoneKR

Q4 = calendar_cycle("2026-Q4")  # 2026-10-01 .. 2026-12-31: 91 days from start to end
assert Q4 is not None and Q4.days == 91
SETTINGS = StatusSettings()  # at_risk_gap 0.15, off_track_gap 0.35
SCALE = ConfidenceScale()  # 0..10

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
day_offsets = st.integers(min_value=-30, max_value=130)


def metric(baseline: float, target: float, **extra: object) -> MetricKR:
    return MetricKR(id="kr", title="A key result", baseline=baseline, target=target, **extra)


def day(offset: int) -> date:
    return Q4.start + timedelta(days=offset)


# ----- progress ----------------------------------------------------------------------------------
@given(baseline=finite, target=finite, value=st.none() | finite)
def test_metric_progress_stays_in_unit_interval(baseline: float, target: float, value: float | None) -> None:
    assert 0.0 <= metrics.progress(metric(baseline, target), value) <= 1.0


@given(low=st.none() | finite, high=st.none() | finite, value=st.none() | finite)
def test_maintain_progress_is_zero_or_one(low: float | None, high: float | None, value: float | None) -> None:
    kr = MaintainKR(id="kr", title="Keep it", type="maintain", min=low, max=high)
    assert metrics.progress(kr, value) in (0.0, 1.0)


@given(value=st.none() | st.booleans() | finite)
def test_milestone_progress_stays_in_unit_interval(value: float | bool | None) -> None:
    kr = MilestoneKR(id="kr", title="Done", type="milestone")
    assert 0.0 <= metrics.progress(kr, metrics.as_number(value)) <= 1.0


@given(baseline=finite, drop=st.floats(min_value=1e-3, max_value=1e5), a=finite, b=finite)
def test_a_decreasing_kr_gains_progress_as_the_value_falls(baseline: float, drop: float, a: float, b: float) -> None:
    target = baseline - drop
    assume(target < baseline)
    kr = metric(baseline, target)
    lower, higher = sorted((a, b))
    assert metrics.progress(kr, lower) >= metrics.progress(kr, higher)


@given(baseline=finite, rise=st.floats(min_value=1e-3, max_value=1e5), a=finite, b=finite)
def test_an_increasing_kr_gains_progress_as_the_value_rises(baseline: float, rise: float, a: float, b: float) -> None:
    target = baseline + rise
    assume(target > baseline)
    kr = metric(baseline, target)
    lower, higher = sorted((a, b))
    assert metrics.progress(kr, lower) <= metrics.progress(kr, higher)


def test_progress_worked_by_hand() -> None:
    # Rising: 65% → 90%, now 72.5%: 7.5 / 25 = 0.3.
    assert metrics.progress(metric(65, 90), 72.5) == pytest.approx(0.3)
    # Falling: 400 → 280 tickets, now 340: (340 − 400) / (280 − 400) = −60 / −120 = 0.5.
    assert metrics.progress(metric(400, 280), 340) == pytest.approx(0.5)
    # A falling KR that rose instead has no progress; one past its target is done.
    assert metrics.progress(metric(400, 280), 420) == 0.0
    assert metrics.progress(metric(400, 280), 250) == 1.0
    # No check-in yet: the baseline, no progress.
    assert metrics.progress(metric(400, 280), None) == 0.0
    maintain = MaintainKR(id="fraud", title="Keep fraud below 0.1%", type="maintain", max=0.1)
    assert metrics.progress(maintain, 0.08) == 1.0
    assert metrics.progress(maintain, 0.12) == 0.0
    milestone = MilestoneKR(id="kyc", title="New KYC flow live", type="milestone")
    assert metrics.progress(milestone, metrics.as_number(True)) == 1.0
    assert metrics.progress(milestone, metrics.as_number(False)) == 0.0
    assert metrics.progress(milestone, 0.25) == 0.25


def test_objective_progress_is_weight_averaged() -> None:
    krs = [metric(0, 10, weight=3), metric(0, 10)]
    # (0.5 × 3 + 1.0 × 1) / 4 = 0.625
    assert metrics.objective_progress(krs, [0.5, 1.0]) == pytest.approx(0.625)


# ----- value at a date ---------------------------------------------------------------------------
def test_value_at_takes_the_latest_value_on_or_before_the_day() -> None:
    series = [(day(1), 65.0), (day(8), 67.0), (day(15), 68.0)]
    assert metrics.value_at(series, day(0)) is None
    assert metrics.value_at(series, day(1)) == 65.0
    assert metrics.value_at(series, day(14)) == 67.0
    assert metrics.value_at(series, day(15)) == 68.0
    assert metrics.value_at(series, day(90)) == 68.0


# ----- expected progress -------------------------------------------------------------------------
@given(a=day_offsets, b=day_offsets)
def test_linear_expected_progress_is_monotone_in_time(a: int, b: int) -> None:
    kr = metric(0, 10)
    early, late = sorted((a, b))
    e1, e2 = metrics.expected_progress(kr, Q4, day(early)), metrics.expected_progress(kr, Q4, day(late))
    assert 0.0 <= e1 <= e2 <= 1.0


@st.composite
def paced_krs(draw: st.DrawFn) -> MetricKR:
    """A metric KR whose pace points move from the baseline toward the target (what OKR306 allows)."""
    baseline = draw(st.floats(min_value=-1000, max_value=1000))
    span = draw(st.floats(min_value=0.5, max_value=1000)) * draw(st.sampled_from([1, -1]))
    target = baseline + span
    offsets = draw(st.lists(st.integers(min_value=1, max_value=Q4.days - 1), min_size=1, max_size=5, unique=True))
    shares = sorted(draw(st.lists(st.floats(0, 1), min_size=len(offsets), max_size=len(offsets))))
    pace = {day(o): baseline + span * s for o, s in zip(sorted(offsets), shares, strict=True)}
    return metric(baseline, target, pace=pace)


@given(kr=paced_krs(), a=day_offsets, b=day_offsets)
def test_paced_expected_progress_is_monotone_in_time(kr: MetricKR, a: int, b: int) -> None:
    early, late = sorted((a, b))
    e1, e2 = metrics.expected_progress(kr, Q4, day(early)), metrics.expected_progress(kr, Q4, day(late))
    assert 0.0 <= e1 <= e2 + 1e-12 <= 1.0 + 1e-12


@given(kr=paced_krs())
def test_pace_starts_at_zero_and_ends_at_one(kr: MetricKR) -> None:
    assert metrics.expected_progress(kr, Q4, Q4.start) == pytest.approx(0.0, abs=1e-9)
    assert metrics.expected_progress(kr, Q4, Q4.end) == pytest.approx(1.0)


def test_on_the_day_of_a_one_day_cycle_a_paced_key_result_is_expected_at_its_target() -> None:
    """Its start is its end: the paced line gave the baseline (0% expected) where every other key
    result is expected at 100%, and the objective read on-track."""
    one = Cycle("2026-X", date(2026, 11, 20), date(2026, 11, 20))
    paced = metric(15, 50, pace={date(2026, 11, 1): 25})
    assert metrics.expected_progress(paced, one, one.end) == 1.0
    assert metrics.expected_progress(metric(15, 50), one, one.end) == 1.0


def test_expected_progress_worked_by_hand() -> None:
    # 2026-11-20 is 50 of the 91 days of 2026-Q4: 50 / 91 = 0.5495.
    assert metrics.expected_progress(metric(65, 90), Q4, date(2026, 11, 20)) == pytest.approx(50 / 91)
    assert metrics.expected_progress(metric(65, 90), Q4, date(2026, 9, 1)) == 0.0
    assert metrics.expected_progress(metric(65, 90), Q4, date(2027, 1, 15)) == 1.0
    # Pace 15 → 25 on 10-31 (day 30) → 40 on 11-30 (day 60) → 50 on 12-31 (day 91). On 11-20 (day 50)
    # the paced value is 25 + (40 − 25) × 20 / 30 = 35, whose progress is (35 − 15) / (50 − 15) = 4/7.
    paced = metric(15, 50, pace={date(2026, 10, 31): 25, date(2026, 11, 30): 40})
    assert metrics.paced_value(paced, Q4, date(2026, 11, 20)) == pytest.approx(35)
    assert metrics.expected_progress(paced, Q4, date(2026, 11, 20)) == pytest.approx(4 / 7)
    # Before the first pace point: 15 → 25 over 30 days; day 15 is 20, progress 5/35.
    assert metrics.expected_progress(paced, Q4, date(2026, 10, 16)) == pytest.approx(5 / 35)
    # Falling paced KR: 400 → 280 with 370 due on day 30: on day 15 the value is 385, progress 15/120.
    falling = metric(400, 280, pace={date(2026, 10, 31): 370})
    assert metrics.expected_progress(falling, Q4, date(2026, 10, 16)) == pytest.approx(15 / 120)


def test_expected_value_worked_by_hand() -> None:
    # 65 → 90 with 50 of 91 days gone: 65 + 25 × 50 / 91 = 78.74.
    assert metrics.expected_value(metric(65, 90), Q4, date(2026, 11, 20)) == pytest.approx(65 + 25 * 50 / 91)
    paced = metric(15, 50, pace={date(2026, 10, 31): 25, date(2026, 11, 30): 40})
    assert metrics.expected_value(paced, Q4, date(2026, 11, 20)) == pytest.approx(35)
    assert metrics.expected_value(MilestoneKR(id="m", title="Live", type="milestone"), Q4, Q4.end) is None


# ----- status --------------------------------------------------------------------------------------
@given(expected=st.floats(0, 1), actual=st.floats(0, 1))
def test_status_follows_the_gap(expected: float, actual: float) -> None:
    status = metrics.status_from_gap(expected, actual, SETTINGS)
    gap = expected - actual
    if gap <= 0.15 - 1e-6:
        assert status == metrics.ON_TRACK
    elif 0.15 + 1e-6 < gap <= 0.35 - 1e-6:
        assert status == metrics.AT_RISK
    elif gap > 0.35 + 1e-6:
        assert status == metrics.OFF_TRACK


def test_status_thresholds_worked_by_hand() -> None:
    # Gaps exactly on a threshold count as the better status (≤), even after float noise:
    # 0.55 − 0.40 is 0.15000000000000002 in binary floating point.
    assert metrics.status_from_gap(0.55, 0.40, SETTINGS) == metrics.ON_TRACK
    assert metrics.status_from_gap(0.55, 0.39, SETTINGS) == metrics.AT_RISK
    assert metrics.status_from_gap(0.55, 0.20, SETTINGS) == metrics.AT_RISK
    assert metrics.status_from_gap(0.55, 0.19, SETTINGS) == metrics.OFF_TRACK
    assert metrics.kr_status(False, 0.9, 0.0, SETTINGS) == metrics.NO_DATA


def test_confidence_bands_worked_by_hand() -> None:
    assert metrics.confidence_band(7, SCALE) == metrics.ON_TRACK
    assert metrics.confidence_band(6.9, SCALE) == metrics.AT_RISK
    assert metrics.confidence_band(4, SCALE) == metrics.AT_RISK
    assert metrics.confidence_band(3.9, SCALE) == metrics.OFF_TRACK
    # On a 1..5 scale, 3.8 is (3.8 − 1) / 4 = 0.7: on-track.
    assert metrics.confidence_band(3.8, ConfidenceScale(min=1, max=5)) == metrics.ON_TRACK


def test_objective_status_is_the_worse_of_progress_and_confidence() -> None:
    # On pace but the team says 3/10: off-track.
    assert metrics.objective_status(True, 0.5, 0.5, 3, SETTINGS, SCALE) == metrics.OFF_TRACK
    # Confident but far behind: off-track all the same.
    assert metrics.objective_status(True, 0.8, 0.2, 9, SETTINGS, SCALE) == metrics.OFF_TRACK
    assert metrics.objective_status(True, 0.5, 0.45, 5, SETTINGS, SCALE) == metrics.AT_RISK
    assert metrics.objective_status(True, 0.5, 0.45, 8, SETTINGS, SCALE) == metrics.ON_TRACK
    assert metrics.objective_status(True, 0.5, 0.45, None, SETTINGS, SCALE) == metrics.ON_TRACK
    assert metrics.objective_status(False, 0.5, 0.0, None, SETTINGS, SCALE) == metrics.NO_DATA


@given(expected=st.floats(0, 1), actual=st.floats(0, 1), confidence=st.none() | st.floats(0, 10), has=st.booleans())
def test_objective_status_is_never_better_than_its_progress(
    expected: float, actual: float, confidence: float | None, has: bool
) -> None:
    status = metrics.objective_status(has, expected, actual, confidence, SETTINGS, SCALE)
    if not has:
        assert status == metrics.NO_DATA
    else:
        by_progress = metrics.status_from_gap(expected, actual, SETTINGS)
        assert metrics.worse(status, by_progress) == status


# ----- forecast ------------------------------------------------------------------------------------
def test_forecast_needs_three_points_in_all() -> None:
    kr = metric(400, 280)
    # The baseline at the start counts as one point: one check-in makes two, not enough.
    assert metrics.forecast(kr, Q4, [(day(14), 380.0)], day(14)) is None
    assert metrics.forecast(kr, Q4, [(day(14), 380.0), (day(28), 350.0)], day(28)) is not None
    # Check-ins after the day do not count.
    assert metrics.forecast(kr, Q4, [(day(14), 380.0), (day(28), 350.0)], day(20)) is None
    # Maintain and milestone KRs have no line to draw.
    milestone = MilestoneKR(id="kyc", title="Live", type="milestone")
    assert metrics.forecast(milestone, Q4, [(day(1), 0.0), (day(8), 0.5), (day(15), 1.0)], day(15)) is None


@given(
    values=st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=0, max_size=12),
    baseline=st.floats(min_value=-1e4, max_value=1e4),
)
def test_forecast_exists_exactly_with_three_points(values: list[float], baseline: float) -> None:
    kr = metric(baseline, baseline + 10)
    series = [(day(7 * (i + 1)), v) for i, v in enumerate(values)]
    projected = metrics.forecast(kr, Q4, series, Q4.end)
    assert (projected is None) == (len(series) + 1 < 3)


@given(slope=st.floats(min_value=-50, max_value=50), baseline=st.floats(min_value=-1e4, max_value=1e4))
def test_forecast_of_a_straight_line_is_that_line_at_the_end(slope: float, baseline: float) -> None:
    kr = metric(baseline, baseline + 1)
    series = [(day(d), baseline + slope * d) for d in (7, 14, 21, 28)]
    assert metrics.forecast(kr, Q4, series, day(28)) == pytest.approx(baseline + slope * 91, abs=1e-6)


def test_forecast_worked_by_hand() -> None:
    # Points (days since start, value): (0, 400) (14, 380) (28, 350) (42, 340).
    # mean x = 21, mean y = 367.5; Σdx·dy = −21·32.5 − 7·12.5 + 7·(−17.5) + 21·(−27.5) = −1470;
    # Σdx² = 441 + 49 + 49 + 441 = 980; slope = −1.5 a day; intercept = 367.5 + 1.5·21 = 399.
    # At the end (day 91): 399 − 1.5·91 = 262.5, past the target of 280: progress clamps to 1.
    kr = metric(400, 280)
    series = [(day(14), 380.0), (day(28), 350.0), (day(42), 340.0)]
    projected = metrics.forecast(kr, Q4, series, day(42))
    assert projected == pytest.approx(262.5)
    assert metrics.progress(kr, projected) == 1.0


# ----- score ---------------------------------------------------------------------------------------
@given(progress=st.floats(0, 1), override=st.none() | st.floats(0, 1))
def test_score_has_two_decimals_and_stays_in_range(progress: float, override: float | None) -> None:
    value = metrics.score(progress, override)
    assert 0.0 <= value <= 1.0
    assert value == round(value, 2)
    if override is not None:
        assert abs(value - override) <= 0.005 + 1e-9


def test_score_rounds_half_up_as_people_do() -> None:
    # 139 of 200 is 0.695: a person rounds it to 0.70 (green). Binary floating point holds 0.695 as
    # 0.69499999…, and round() would make it 0.69 (yellow) — a different band for the same result.
    assert metrics.score(139 / 200) == 0.70
    assert metrics.score_band(metrics.score(139 / 200)) == metrics.GREEN
    assert metrics.score(0.125) == 0.13
    assert metrics.score(0.285) == 0.29
    assert metrics.score(0.394) == 0.39
    assert metrics.score(0.4449999) == 0.44
    assert metrics.score(1.0) == 1.0
    assert metrics.score(0.0) == 0.0
    # The retro's override wins over the computed progress.
    assert metrics.score(0.2, override=0.8) == 0.8


@given(thousandths=st.integers(min_value=0, max_value=1000))
def test_score_of_a_three_decimal_progress_is_its_half_up_rounding(thousandths: int) -> None:
    from decimal import ROUND_HALF_UP, Decimal

    by_hand = float((Decimal(thousandths) / 1000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    assert metrics.score(thousandths / 1000) == by_hand


def test_score_bands() -> None:
    assert metrics.score_band(0.7) == metrics.GREEN
    assert metrics.score_band(0.69) == metrics.YELLOW
    assert metrics.score_band(0.4) == metrics.YELLOW
    assert metrics.score_band(0.39) == metrics.RED


@given(progress=st.floats(0, 1))
def test_score_bands_cover_the_scale_in_order(progress: float) -> None:
    band = metrics.score_band(metrics.score(progress))
    value = metrics.score(progress)
    assert band == (metrics.GREEN if value >= 0.7 else metrics.YELLOW if value >= 0.4 else metrics.RED)


# ----- confidence trend ----------------------------------------------------------------------------
def test_slope_per_week_worked_by_hand() -> None:
    # Weekly 7, 7, 7, 4, 5, 6, 7, 8 (Discover in the banco example). x = weeks 0..7, mean 3.5;
    # mean y = 51 / 8 = 6.375. dx = −3.5 … 3.5, dy = .625 .625 .625 −2.375 −1.375 −.375 .625 1.625;
    # Σdx·dy = −2.1875 − 1.5625 − 0.9375 + 1.1875 − 0.6875 − 0.5625 + 1.5625 + 5.6875 = 2.5;
    # Σdx² = 2 × (12.25 + 6.25 + 2.25 + 0.25) = 42; slope = 2.5 / 42 = 0.0595 a week.
    values = [7, 7, 7, 4, 5, 6, 7, 8]
    series = [(day(1 + 7 * i), float(v)) for i, v in enumerate(values)]
    assert metrics.slope_per_week(series) == pytest.approx(2.5 / 42)
    assert metrics.slope_per_week(series[:1]) is None
    assert metrics.slope_per_week([]) is None


def test_drops_worked_by_hand() -> None:
    series = [(day(1), 7.0), (day(8), 7.0), (day(15), 4.0), (day(22), 5.0), (day(29), 2.5), (day(36), 0.0)]
    # 7 → 4 is a fall of 3 (a drop); 5 → 2.5 is 2.5 (not); 2.5 → 0 is 2.5 (not).
    assert metrics.drops(series) == [(day(8), day(15), 7.0, 4.0)]


@given(values=st.lists(st.floats(min_value=0, max_value=10), max_size=15))
def test_drops_are_exactly_the_falls_of_three_points(values: list[float]) -> None:
    series = [(day(7 * i), v) for i, v in enumerate(values)]
    found = metrics.drops(series)
    # A fall is compared at 6 decimals (so 7.3 -> 4.3 is a drop of 3, as a person reads it).
    expected = [
        (series[i][0], series[i + 1][0]) for i in range(len(values) - 1) if round(values[i] - values[i + 1], 6) >= 3
    ]
    assert [(a, b) for a, b, _, _ in found] == expected
    assert all(round(before - after, 6) >= 3 for _, _, before, after in found)
    assert metrics.drops([(day(1), 7.3), (day(8), 4.3)]) != []


@given(values=st.lists(st.floats(min_value=0, max_value=10), max_size=15))
def test_a_series_that_never_falls_has_no_drop(values: list[float]) -> None:
    rising = sorted(values)
    assert metrics.drops([(day(7 * i), v) for i, v in enumerate(rising)]) == []


def test_a_one_day_cycle_is_all_expected_at_its_end() -> None:
    one_day = Cycle("launch-day", date(2026, 5, 4), date(2026, 5, 4))
    assert metrics.elapsed_share(one_day, date(2026, 5, 3)) == 0.0
    assert metrics.elapsed_share(one_day, date(2026, 5, 4)) == 1.0


def test_the_bands_live_in_one_place() -> None:
    from okrctl import metrics

    assert (metrics.HIGH_BAND, metrics.LOW_BAND) == (0.7, 0.4)
    assert [metrics.score_band(v) for v in (0.7, 0.69, 0.4, 0.39)] == ["green", "yellow", "yellow", "red"]
    assert [metrics.forecast_band(v) for v in (1.0, 0.7, 0.69)] == ["green", "yellow", "red"]


def test_a_key_result_whose_target_is_its_baseline_has_no_progress_before_any_value() -> None:
    """SPEC §3: with no check-in the value is the baseline, "no progress" — also when the target is
    the baseline (a KR written as "keep it at 0.1"), which a first value then reaches or not."""
    kr = MetricKR(id="fraud", title="Fraud stays at 0.1%", baseline=0.1, target=0.1)
    assert metrics.progress(kr, None) == 0.0
    assert metrics.progress(kr, 0.1) == 1.0
    assert metrics.progress(kr, 0.2) == 0.0


def test_a_maintain_key_result_out_of_its_band_is_off_track_from_the_first_day() -> None:
    """A band must hold on every day: 97% availability against 99.9–100 is off-track on the
    cycle's second week, when its gap to the expected progress (9%) would read on-track."""
    settings = StatusSettings()
    assert metrics.kr_status(True, 0.09, 0.0, settings, maintain=True) == "off-track"
    assert metrics.kr_status(True, 0.09, 1.0, settings, maintain=True) == "on-track"
    assert metrics.kr_status(True, 0.95, 1.0, settings, maintain=True) == "on-track"
    assert metrics.kr_status(False, 0.09, 0.0, settings, maintain=True) == "no-data"
    assert metrics.kr_status(True, 0.09, 0.0, settings) == "on-track"  # a metric KR: by its gap


@pytest.mark.parametrize(
    ("share", "shown"), [(0.625, "63%"), (0.125, "13%"), (0.525, "53%"), (0.575, "58%"), (0.79, "79%"), (0.0, "0%")]
)
def test_a_percentage_rounds_half_up_as_scores_do(share: float, shown: str) -> None:
    """0.625 is 63% beside its score 0.63, not 62% (Python's round() goes to the even number)."""
    from okrctl.render import numbers

    assert numbers.percent(share) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(80.625, "80.63"), (2.675, "2.68"), (1234.125, "1,234.13"), (35.5, "35.5")]
)
def test_a_value_rounds_half_up_to_two_decimals(value: float, shown: str) -> None:
    from okrctl.render import numbers

    assert numbers.number(value) == shown
    assert numbers.measured(value, decimals=2) == shown
