"""What a key result's chart shows: its values week by week against the path it should follow.

One computation for every format: the HTML report and the site draw it as SVG, the text and
Markdown reports as a sparkline with the numbers. The expected path is the straight line from the
baseline to the target, or the line through the KR's ``pace`` points (SPEC §3); the forecast is the
least-squares line of ``metrics.forecast``, drawn from the chart's day to the cycle end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrctl import metrics
from okrctl.model.cycle import Cycle, weeks_of
from okrctl.model.objective import KeyResult
from okrctl.render import numbers


@dataclass
class KRChart:
    kr_id: str
    type: str  # metric | maintain | milestone
    unit: str | None
    start: date  # the cycle
    end: date
    day: date  # values up to this day
    baseline: float | None
    target: float | None
    min: float | None
    max: float | None
    values: list[tuple[date, float]]  # the check-ins' values up to ``day``
    weekly: list[tuple[date, float | None]]  # value at the end of each week begun by ``day``
    expected_path: list[tuple[date, float]]  # metric KRs: baseline → pace points → target
    expected_now: float | None  # the value the path asks for on ``day``
    forecast: float | None  # projected value at the cycle end
    forecast_progress: float | None
    forecast_from: tuple[date, float] | None  # where the forecast line starts (its value on ``day``)
    key_result: KeyResult = field(repr=False, compare=False)  # what its values are measured against
    low: float = field(default=0.0)  # the value axis
    high: float = field(default=1.0)

    @property
    def goal(self) -> float | None:
        """The value that means done: the target, or the maintain bound that is set."""
        if self.type == "metric":
            return self.target
        if self.type == "milestone":
            return 1.0
        return None

    def progress_of(self, value: float) -> float:
        """The progress ``value`` means for the key result (``metrics.progress``): 1 where it
        reaches the target or keeps within the bounds."""
        return metrics.progress(self.key_result, value)

    def to_dict(self) -> dict[str, Any]:
        def points(series: list[tuple[date, float]]) -> list[dict[str, Any]]:
            return [{"date": d.isoformat(), "value": v} for d, v in series]

        return {
            "weekly": [{"week_end": d.isoformat(), "value": v} for d, v in self.weekly],
            "expected_path": points(self.expected_path),
            "expected_now": numbers.json_value(self.expected_now),  # values in the KR's unit, not ratios
            "target": self.target,
            "forecast": numbers.json_value(self.forecast),
            "forecast_progress": None if self.forecast_progress is None else round(self.forecast_progress, 4),
        }


def week_ends(cycle: Cycle, day: date) -> list[date]:
    """The last day of every week of the cycle begun by ``day`` (the running week ends on ``day``)."""
    return [end for _, _, end in weeks_of(cycle, day)]


def kr_chart(kr: KeyResult, cycle: Cycle, series: list[tuple[date, float]], day: date) -> KRChart:
    """The chart of ``kr`` on ``day`` from its check-in ``series`` (oldest first)."""
    values = [(d, v) for d, v in series if cycle.start <= d <= day]
    weekly: list[tuple[date, float | None]] = [(end, metrics.value_at(values, end)) for end in week_ends(cycle, day)]
    baseline = getattr(kr, "baseline", None)
    target = getattr(kr, "target", None)
    path: list[tuple[date, float]] = []
    expected_now = None
    line = None
    if kr.type == "metric" and baseline is not None and target is not None:
        path = [(cycle.start, float(baseline))]
        path += sorted((d, float(v)) for d, v in kr.pace.items() if cycle.start < d < cycle.end)
        path.append((cycle.end, float(target)))
        expected_now = metrics.expected_value(kr, cycle, min(max(day, cycle.start), cycle.end))
        line = metrics.forecast_line(kr, cycle, values, day)
    projected = forecast_from = projected_progress = None
    if line is not None:
        slope, intercept = line
        projected = metrics.forecast_at_end(kr, cycle, line)
        projected_progress = metrics.forecast_progress(kr, projected)
        at = min(max(day, cycle.start), cycle.end)
        forecast_from = (at, intercept + slope * (at - cycle.start).days)
    chart = KRChart(
        kr_id=kr.id,
        type=kr.type,
        unit=getattr(kr, "unit", None),
        start=cycle.start,
        end=cycle.end,
        day=day,
        baseline=None if baseline is None else float(baseline),
        target=None if target is None else float(target),
        min=getattr(kr, "min", None),
        max=getattr(kr, "max", None),
        values=values,
        weekly=weekly,
        expected_path=path,
        expected_now=expected_now,
        forecast=projected,
        forecast_progress=projected_progress,
        forecast_from=forecast_from,
        key_result=kr,
    )
    chart.low, chart.high = _axis(chart)
    return chart


def _axis(chart: KRChart) -> tuple[float, float]:
    """A value axis holding every value drawn, with a little room above and below."""
    if chart.type == "milestone":
        return 0.0, 1.0
    seen = [v for _, v in chart.values] + [v for _, v in chart.expected_path]
    seen += [v for v in (chart.min, chart.max, chart.forecast) if v is not None]
    if chart.forecast_from is not None:
        seen.append(chart.forecast_from[1])
    if not seen:
        return 0.0, 1.0
    low, high = min(seen), max(seen)
    if high == low:
        pad = abs(high) * 0.1 or 1.0
        return low - pad, high + pad
    pad = (high - low) * 0.08
    return low - pad, high + pad
