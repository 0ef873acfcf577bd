"""Inline SVG charts for the HTML report: drawn here as text, no scripts, no external assets.

Every label goes through ``h`` (HTML-escaped, which is also correct inside inline SVG).
Coordinates are rounded so that the output is stable byte for byte.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from okrctl import metrics
from okrctl.render import numbers
from okrctl.render.escape import h
from okrctl.render.report_widgets import STATUS_COLOR

TRACK = "#e5e7eb"
INK = "#111827"
MUTED = "#6b7280"
LINE = "#1d4ed8"


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
        f'aria-label="{h(", ".join(f"{counts.get(s, 0)} {s}" for s in order))}">'
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


def sparkline(series: Sequence[tuple[date, float]], low: float, high: float, *, label: str) -> str:
    """A small confidence line (check-in order, scaled to the confidence scale)."""
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
        f'<svg class="spark" viewBox="0 0 {coord(width)} {coord(height)}" role="img" aria-label="{h(label)}">'
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

    parts = [f'<svg class="trend" viewBox="0 0 {coord(width)} {coord(height)}" role="img" aria-label="{h(label)}">']
    if month is not None:
        x0, x1 = x_of(month[0]), x_of(month[1])
        parts.append(
            f'<rect x="{coord(x0)}" y="{coord(top)}" width="{coord(x1 - x0)}" height="{coord(plot_h)}" fill="#eff6ff"/>'
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
                f'<circle cx="{coord(x)}" cy="{coord(y)}" r="2.6" fill="#ffffff" stroke="{LINE}" stroke-width="1.5"/>'
            )
        last_x, last_y = points[-1]
        parts.append(
            f'<text x="{coord(min(last_x + 5, width - right))}" y="{coord(max(top + 9, last_y - 6))}" font-size="12" '
            f'font-weight="700" fill="{INK}" text-anchor="{"end" if last_x > width - 40 else "start"}">'
            f"{h(numbers.number(series[-1][1]))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
