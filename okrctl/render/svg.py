"""Inline SVG charts for the HTML report: drawn here as text, no scripts, no external assets.

Every label goes through ``h`` (HTML-escaped, which is also correct inside inline SVG).
Coordinates are rounded so that the output is stable byte for byte.

A chart's text alternative (its ``aria-label``) is short whatever the data: what it charts and the
headline numbers (how many points, the first and the last, a low or high outside them). Every
point is in the table ``values_table`` draws beside the chart, for everyone to read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from okrctl import metrics
from okrctl.analysis.kr_chart import KRChart
from okrctl.render import numbers, widgets
from okrctl.render.escape import bdi_in, h
from okrctl.render.palette import LIGHT
from okrctl.render.report_widgets import STATUS_COLOR, status_label
from okrctl.safetext import one_written_line

TRACK = LIGHT["line"]
INK = LIGHT["ink"]
MUTED = LIGHT["muted"]
LINE = LIGHT["accent"]
CARD = LIGHT["card"]


def coord(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zero (stable byte for byte)."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _day(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"  # not strftime: the output must not follow the locale


def progress_bar(progress: float, expected: float | None, status: str, *, label: str) -> str:
    """A bar of progress with the expected pace as a tick: behind when the bar stops short of it."""
    width, height = 200.0, 16.0
    color = STATUS_COLOR.get(status, STATUS_COLOR["no-data"])[0]
    done = max(0.0, min(1.0, progress)) * width
    parts = [
        f'<svg class="bar" viewBox="0 0 {coord(width)} {coord(height)}" preserveAspectRatio="none" role="img" '
        f'aria-label="{h(label)}">',
        f'<rect x="0" y="3" width="{coord(width)}" height="10" rx="3" fill="{TRACK}"/>',
        f'<rect x="0" y="3" width="{coord(done)}" height="10" rx="3" fill="{color}"/>',
    ]
    if expected is not None:
        x = max(1.0, min(width - 1.0, max(0.0, min(1.0, expected)) * width))
        parts.append(f'<rect x="{coord(x - 1)}" y="0" width="2" height="{coord(height)}" fill="{INK}"/>')
    parts.append("</svg>")
    return "".join(parts)


def status_strip(counts: dict[str, int], order: Sequence[str]) -> str:
    """One bar split by status: the headline at a glance."""
    total = sum(counts.get(s, 0) for s in order)
    if not total:
        return ""
    width = 1000.0
    x = 0.0
    parts = [
        f'<svg class="strip" viewBox="0 0 {coord(width)} 14" preserveAspectRatio="none" role="img" '
        f'aria-label="{h(", ".join(f"{counts.get(s, 0)} {status_label(s)}" for s in order))}">'
    ]
    for status in order:
        n = counts.get(status, 0)
        if not n:
            continue
        w = width * n / total
        parts.append(f'<rect x="{coord(x)}" y="0" width="{coord(w)}" height="14" fill="{STATUS_COLOR[status][0]}"/>')
        x += w
    parts.append("</svg>")
    return "".join(parts)


NAME_CHARS = 100  # a title in a text alternative; the table beside the chart holds it whole
UNIT_CHARS = 30


def short_name(text: str, limit: int = NAME_CHARS) -> str:
    """A title (or a unit) cut to ``limit`` characters for a chart's text alternative: a title may
    run to 2,000 characters, and a screen reader reads the whole alternative before anything else."""
    text = one_written_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def headline(
    series: Sequence[tuple[date, float | None]], one: str, many: str, show: Callable[[float], str] = numbers.number
) -> str:
    """The numbers a reader needs from a series of any length (WCAG 1.1.1): how many, the first and
    the last, and the lowest or highest when it lies outside them —
    "5 check-ins: 6 on 2026-10-02 to 8 on 2026-11-20, lowest 5 on 2026-10-30"."""
    known = [(d, v) for d, v in series if v is not None]
    if not known:
        return f"no {many} yet"
    (first_day, first), (last_day, last) = known[0], known[-1]
    if len(known) == 1:
        return f"1 {one}: {show(first)} on {first_day.isoformat()}"
    text = f"{len(known)} {many}: {show(first)} on {first_day.isoformat()} to {show(last)} on {last_day.isoformat()}"
    low_day, low = min(known, key=lambda point: point[1])
    high_day, high = max(known, key=lambda point: point[1])
    if low < min(first, last):
        text += f", lowest {show(low)} on {low_day.isoformat()}"
    if high > max(first, last):
        text += f", highest {show(high)} on {high_day.isoformat()}"
    return text


def values_table(
    series: Sequence[tuple[date, float | None]],
    *,
    summary: str,
    day: str,
    value: str,
    show: Callable[[float], str],
    unit: str | None = None,
) -> str:
    """Every point of a chart as a table, folded under the chart (``<details>``): the numbers a
    chart's short text alternative leaves out, for a screen reader and anyone who wants them.
    ``unit``, the repository's words in the ``value`` heading, is isolated there (``bdi_in``)."""
    rows = "".join(
        f'<tr><td>{h(d.isoformat())}</td><td class="num">{h(show(v))}</td></tr>' for d, v in series if v is not None
    )
    if not rows:
        return ""
    return (
        f'<details class="values"><summary>{h(summary)}</summary><table><thead><tr><th>{h(day)}</th>'
        f'<th class="num">{bdi_in(value, unit or "")}</th></tr></thead><tbody>{rows}</tbody></table></details>'
    )


def _confidence_said(label: str, series: Sequence[tuple[date, float]]) -> str:
    return f"{label}: {headline(series, 'check-in', 'check-ins')}"


def sparkline(series: Sequence[tuple[date, float]], low: float, high: float, *, label: str) -> str:
    """A small confidence line (check-in order, scaled to the confidence scale); ``label`` names it,
    the headline numbers follow."""
    width, height, pad = 84.0, 22.0, 3.0
    if not series:
        return ""
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(1, len(series) - 1)
    points = [
        (pad + i * step, height - pad - (min(high, max(low, v)) - low) / span * (height - 2 * pad))
        for i, (_, v) in enumerate(series)
    ]
    path = " ".join(f"{coord(x)},{coord(y)}" for x, y in points)
    last_x, last_y = points[-1]
    return (
        f'<svg class="spark" viewBox="0 0 {coord(width)} {coord(height)}" role="img" '
        f'aria-label="{h(_confidence_said(label, series))}">'
        f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="1.6" stroke-linejoin="round"/>'
        f'<circle cx="{coord(last_x)}" cy="{coord(last_y)}" r="2.4" fill="{LINE}"/></svg>'
    )


def confidence_chart(
    series: Sequence[tuple[date, float]],
    start: date,
    end: date,
    low: float,
    high: float,
    *,
    month: tuple[date, date] | None = None,
    label: str,
) -> str:
    """Confidence over the cycle: a line through the check-ins, the reported month shaded."""
    width, height = 240.0, 112.0
    left, right, top, bottom = 20.0, 12.0, 10.0, 20.0
    plot_w, plot_h = width - left - right, height - top - bottom
    days = max(1, (end - start).days)
    span = (high - low) or 1.0

    def x_of(day: date) -> float:
        return left + max(0.0, min(1.0, (day - start).days / days)) * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - (min(high, max(low, value)) - low) / span * plot_h

    bands = (
        f"; dashed lines at {numbers.number(low + metrics.HIGH_BAND * span)} (upper) and "
        f"{numbers.number(low + metrics.LOW_BAND * span)} (lower)"
    )
    shaded = f"; shaded: {month[0].isoformat()} to {month[1].isoformat()}" if month is not None else ""
    parts = [
        f'<svg class="trend" viewBox="0 0 {coord(width)} {coord(height)}" role="img" '
        f'aria-label="{h(_confidence_said(label, series) + bands + shaded)}">'
    ]
    if month is not None:
        x0, x1 = x_of(month[0]), x_of(month[1])
        parts.append(
            f'<rect x="{coord(x0)}" y="{coord(top)}" width="{coord(x1 - x0)}" height="{coord(plot_h)}" fill="{LIGHT["month"]}"/>'
        )
    for share in (0.0, 0.5, 1.0):
        value = low + share * span
        y = y_of(value)
        parts.append(
            f'<line x1="{coord(left)}" y1="{coord(y)}" x2="{coord(width - right)}" y2="{coord(y)}" stroke="{TRACK}"/>'
            f'<text x="{coord(left - 4)}" y="{coord(y + 3.5)}" text-anchor="end" font-size="10" fill="{MUTED}">'
            f"{h(numbers.number(value))}</text>"
        )
    # the 70% and 40% confidence bands of SPEC §3, as faint guides
    for share, color in (
        (metrics.HIGH_BAND, STATUS_COLOR["on-track"][0]),
        (metrics.LOW_BAND, STATUS_COLOR["off-track"][0]),
    ):
        y = y_of(low + share * span)
        parts.append(
            f'<line x1="{coord(left)}" y1="{coord(y)}" x2="{coord(width - right)}" y2="{coord(y)}" stroke="{color}" '
            f'stroke-opacity="0.35" stroke-dasharray="3 3"/>'
        )
    parts.append(
        f'<text x="{coord(left)}" y="{coord(height - 5)}" font-size="10" fill="{MUTED}">{h(_day(start))}</text>'
        f'<text x="{coord(width - right)}" y="{coord(height - 5)}" font-size="10" fill="{MUTED}" text-anchor="end">'
        f"{h(_day(end))}</text>"
    )
    if series:
        points = [(x_of(d), y_of(v)) for d, v in series]
        path = " ".join(f"{coord(x)},{coord(y)}" for x, y in points)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2" stroke-linejoin="round"/>'
        )
        for x, y in points:
            parts.append(
                f'<circle cx="{coord(x)}" cy="{coord(y)}" r="2.6" fill="{CARD}" stroke="{LINE}" stroke-width="1.5"/>'
            )
        last_x, last_y = points[-1]
        parts.append(
            f'<text x="{coord(min(last_x + 5, width - right))}" y="{coord(max(top + 9, last_y - 6))}" font-size="12" '
            f'font-weight="700" fill="{INK}" text-anchor="{"end" if last_x > width - 40 else "start"}">'
            f"{h(numbers.number(series[-1][1]))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def kr_chart(chart: KRChart, status: str, *, label: str, notes: str = "") -> str:
    """A key result over its cycle: the values week by week (line and dots) against the expected
    path (dashed), the target (or the maintain band), the forecast (dotted, to the cycle end) and
    the chart's day (a thin vertical line). Its text alternative is ``label`` (what is charted),
    the weekly values' headline numbers, then ``notes`` (the expected value, the forecast)."""
    width, height = 320.0, 132.0
    left, right, top, bottom = 52.0, 54.0, 12.0, 20.0  # room for a label of seven digits: 0.000125
    plot_w, plot_h = width - left - right, height - top - bottom
    days = max(1, (chart.end - chart.start).days)
    span = (chart.high - chart.low) or 1.0
    colour = STATUS_COLOR.get(status, STATUS_COLOR["no-data"])[0]

    def x_of(day: date) -> float:
        return left + max(0.0, min(1.0, (day - chart.start).days / days)) * plot_w

    def y_of(value: float) -> float:
        return top + plot_h - (min(chart.high, max(chart.low, value)) - chart.low) / span * plot_h

    def polyline(points: Sequence[tuple[date, float]]) -> str:
        return " ".join(f"{coord(x_of(d))},{coord(y_of(v))}" for d, v in points)

    unit = chart.unit if chart.unit and chart.type != "milestone" else None
    unit_said = f" ({short_name(unit, UNIT_CHARS)})" if unit and unit != "%" else ""
    weeks = headline(chart.weekly, f"weekly value{unit_said}", f"weekly values{unit_said}", kr_value_of(chart))
    said = "; ".join(part for part in (label, weeks, notes) if part)
    parts = [
        f'<svg class="krchart" viewBox="0 0 {coord(width)} {coord(height)}" role="img" aria-label="{h(said)}">',
        f'<rect x="{coord(left)}" y="{coord(top)}" width="{coord(plot_w)}" height="{coord(plot_h)}" fill="{LIGHT["plot"]}"/>',
    ]
    if chart.type == "maintain":
        low = chart.min if chart.min is not None else chart.low
        high = chart.max if chart.max is not None else chart.high
        y0, y1 = y_of(high), y_of(low)
        parts.append(
            f'<rect x="{coord(left)}" y="{coord(y0)}" width="{coord(plot_w)}" height="{coord(max(1.0, y1 - y0))}" '
            f'fill="{STATUS_COLOR["on-track"][1]}"/>'
        )
        for bound in (chart.min, chart.max):
            if bound is not None:
                parts.append(_axis_label(left, y_of(bound), _value(chart, bound)))
    for value, name in ((chart.baseline, "baseline"), (chart.goal, "target")):
        if value is None or chart.type == "maintain":
            continue
        y = y_of(value)
        if name == "target":
            parts.append(
                f'<line x1="{coord(left)}" y1="{coord(y)}" x2="{coord(width - right)}" y2="{coord(y)}" '
                f'stroke="{STATUS_COLOR["on-track"][0]}" stroke-width="1.2" stroke-dasharray="5 3"/>'
                f'<text x="{coord(width - right + 4)}" y="{coord(y + 3.5)}" font-size="10" '
                f'fill="{STATUS_COLOR["on-track"][0]}">target</text>'
            )
        label_text = "done" if chart.type == "milestone" and name == "target" else _value(chart, value)
        if chart.type == "milestone" and name == "baseline":
            continue
        parts.append(_axis_label(left, y, label_text))
    if chart.expected_path:
        parts.append(
            f'<polyline points="{polyline(chart.expected_path)}" fill="none" stroke="{MUTED}" stroke-width="1.2" '
            'stroke-dasharray="2 3"/>'
        )
    today_x = x_of(chart.day)
    if chart.start < chart.day < chart.end:
        parts.append(
            f'<line x1="{coord(today_x)}" y1="{coord(top)}" x2="{coord(today_x)}" y2="{coord(top + plot_h)}" '
            f'stroke="{INK}" stroke-opacity="0.25"/>'
        )
    if chart.forecast is not None and chart.forecast_from is not None:
        start_day, start_value = chart.forecast_from
        parts.append(
            f'<line x1="{coord(x_of(start_day))}" y1="{coord(y_of(start_value))}" x2="{coord(x_of(chart.end))}" '
            f'y2="{coord(y_of(chart.forecast))}" stroke="{colour}" stroke-width="1.6" stroke-dasharray="1 3" '
            'stroke-linecap="round"/>'
            f'<text x="{coord(width - right + 4)}" y="{coord(_forecast_label_y(chart, y_of))}" font-size="10" '
            f'fill="{colour}">{h(_value(chart, chart.forecast, projected=True))}</text>'
        )
    if chart.values:
        shown = chart.values
        if chart.baseline is not None and chart.type == "metric" and shown[0][0] > chart.start:
            shown = [(chart.start, chart.baseline), *shown]
        parts.append(
            f'<polyline points="{polyline(shown)}" fill="none" stroke="{LINE}" stroke-width="2" '
            'stroke-linejoin="round"/>'
        )
        for d, v in chart.values:
            parts.append(
                f'<circle cx="{coord(x_of(d))}" cy="{coord(y_of(v))}" r="2.4" fill="{CARD}" stroke="{LINE}" '
                'stroke-width="1.4"/>'
            )
        last_day, last_value = chart.values[-1]
        text = widgets_value(last_value, chart.type, unit, chart)
        parts.append(
            f'<text x="{coord(min(x_of(last_day) + 5, width - right - 2))}" y="{coord(max(top + 9, y_of(last_value) - 6))}" '
            f'font-size="11" font-weight="700" fill="{INK}" '
            f'text-anchor="{"end" if x_of(last_day) > width - right - 40 else "start"}">{h(text)}</text>'
        )
    parts.append(
        f'<text x="{coord(left)}" y="{coord(height - 5)}" font-size="10" fill="{MUTED}">{h(_day(chart.start))}</text>'
        f'<text x="{coord(width - right)}" y="{coord(height - 5)}" font-size="10" fill="{MUTED}" text-anchor="end">'
        f"{h(_day(chart.end))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def _forecast_label_y(chart: KRChart, y_of: Callable[[float], float]) -> float:
    """Under the forecast's end, or above it when the target's label sits just below."""
    y = y_of(chart.forecast or 0.0)
    goal = chart.goal
    if goal is None:
        return y + 12
    target_y = y_of(goal)
    if abs(y - target_y) < 14:
        return target_y - 8 if y <= target_y else target_y + 15
    return y + 4


def _axis_label(left: float, y: float, text: str) -> str:
    return (
        f'<text x="{coord(left - 4)}" y="{coord(y + 3.5)}" text-anchor="end" font-size="10" fill="{MUTED}">'
        f"{h(text)}</text>"
    )


def _value(chart: KRChart, value: float, *, projected: bool = False) -> str:
    """A value on the chart, as precise as the KR's own numbers (a count stays a count), and
    compact from 10,000 up (``1.41M``): a label has about six characters of room beside the plot.
    A ``projected`` one (the forecast) below 1 keeps its own three significant digits, and never
    reads as the target it falls short of (``numbers.projected``); nor does a value the target or
    bound it misses (:func:`_missed`)."""
    decimals = numbers.decimals_of(chart.baseline, chart.target, chart.min, chart.max, *(v for _, v in chart.values))
    short_of = None if projected else _missed(chart, value)
    if projected:
        decimals = numbers.projected_decimals(value, decimals)
        if chart.forecast_progress is not None and chart.forecast_progress < 1:
            short_of = chart.target
    return numbers.compact(value, decimals=decimals, digits=_label_digits(chart, decimals), short_of=short_of)


def _label_digits(chart: KRChart, decimals: int) -> int:
    """The fewest significant digits (3 to 6) that keep the chart's values apart in its labels: a
    key result from 1,200,000 to 1,204,000 reads 1.2M / 1.204M, not 1.2M twice."""
    known = {
        v for v in (chart.baseline, chart.target, chart.min, chart.max, *(v for _, v in chart.values)) if v is not None
    }
    for digits in (3, 4, 5):
        if len({numbers.compact(v, decimals=decimals, digits=digits) for v in known}) == len(known):
            return digits
    return 6


def kr_value_of(chart: KRChart) -> Callable[[float], str]:
    """How the text alternative and the table of a key result's chart write a value: in full, at
    the key result's own precision, a percent sign joined ("2,440", "24.6%", "done"), never as the
    target or bound it misses; another unit is said once, beside the values."""
    if chart.type == "milestone":
        return widgets.milestone_text
    decimals = numbers.decimals_of(chart.baseline, chart.target, chart.min, chart.max, *(v for _, v in chart.values))
    unit = chart.unit

    def show(value: float) -> str:
        return numbers.measured(value, unit, decimals=decimals, short_of=_missed(chart, value))

    return show


def _missed(chart: KRChart, value: float) -> float | None:
    """The target or bound a value of the chart misses, which it must never read as: a week at
    99.896 outside ``≥ 99.9`` read 99.9 (``widgets.mark_missed_by``)."""
    return widgets.mark_missed_by(chart, value, chart.progress_of(value))


def kr_values(chart: KRChart) -> str:
    """The weekly values of a key result's chart as a folded table under it."""
    unit = (
        short_name(chart.unit, UNIT_CHARS) if chart.unit and chart.unit != "%" and chart.type != "milestone" else None
    )
    return values_table(
        chart.weekly,
        summary="Table of weekly values",
        day="Week to",
        value=f"Value ({unit})" if unit else "Value",
        show=kr_value_of(chart),
        unit=unit,
    )


def confidence_values(series: Sequence[tuple[date, float]]) -> str:
    """Each check-in's confidence of a confidence chart as a folded table under it."""
    return values_table(series, summary="Table of check-ins", day="Check-in", value="Confidence", show=numbers.number)


def widgets_value(value: float, kind: str, unit: str | None, chart: KRChart) -> str:
    """A charted value: a milestone's share as words, a number with a percent sign when it is one."""
    if kind == "milestone":
        return widgets.milestone_text(value)
    text = _value(chart, value)
    return f"{text}%" if unit == "%" else text
