"""Small pieces the report and map renderers share: number formats, status words and colours,
text bars and sparklines. Plain functions of data to strings (no rich, no HTML here)."""

from __future__ import annotations

from collections.abc import Sequence

from okrctl.views.state import KRState

STATUS_ORDER = ("on-track", "at-risk", "off-track", "no-data")
STATUS_LABEL = {"on-track": "on track", "at-risk": "at risk", "off-track": "off track", "no-data": "no check-in"}
# rich styles for the terminal
STATUS_STYLE = {"on-track": "green", "at-risk": "yellow", "off-track": "red", "no-data": "dim"}
# (text / stroke colour, light fill) for HTML, SVG, Mermaid and DOT
STATUS_COLOR = {
    "on-track": ("#15803d", "#dcfce7"),
    "at-risk": ("#b45309", "#fef3c7"),
    "off-track": ("#b91c1c", "#fee2e2"),
    "no-data": ("#4b5563", "#f3f4f6"),
}
STATUS_EMOJI = {"on-track": "🟢", "at-risk": "🟡", "off-track": "🔴", "no-data": "⚪"}
SPARKS = "▁▂▃▄▅▆▇█"


def status_label(status: str | None) -> str:
    return STATUS_LABEL.get(status or "no-data", status or "no check-in")


def number(value: float | None) -> str:
    """1075.0 → "1,075"; 27.80 → "27.8"; 0.06 → "0.06"; None → "—"."""
    if value is None:
        return "—"
    decimals = 4 if 0 < abs(value) < 1 else 2
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100):d}%"


def signed(change: float | None) -> str:
    """+3, −1, ±0 (a typographic minus reads better than a hyphen)."""
    if change is None:
        return "—"
    if abs(change) < 1e-9:
        return "±0"
    return ("+" if change > 0 else "−") + number(abs(change))


def with_unit(value: float | None, unit: str | None) -> str:
    if value is None:
        return "—"
    if unit == "%":
        return f"{number(value)}%"
    return number(value)


def kr_value(kr: KRState) -> str:
    """The current value as a reader expects it (milestones as done / a share done)."""
    if kr.type == "milestone":
        if kr.value is None:
            return "—"
        if kr.value >= 1:
            return "done"
        return "not done" if kr.value <= 0 else f"{percent(kr.value)} done"
    return with_unit(kr.value, kr.unit)


def kr_range(kr: KRState) -> str:
    """What the KR asks: "32 → 24 %", "≥ 99.9 %", "milestone"."""
    unit = f" {kr.unit}" if kr.unit else ""
    if kr.type == "metric":
        return f"{number(kr.baseline)} → {number(kr.target)}{unit}"
    if kr.type == "maintain":
        if kr.min is not None and kr.max is not None:
            return f"between {number(kr.min)} and {number(kr.max)}{unit}"
        if kr.min is not None:
            return f"≥ {number(kr.min)}{unit}"
        return f"≤ {number(kr.max)}{unit}"
    return "milestone"


def kr_forecast(kr: KRState) -> str:
    """Projected value at the cycle end and the progress it would mean."""
    if kr.forecast is None:
        return "—"
    return f"{with_unit(kr.forecast, kr.unit)} ({percent(kr.forecast_progress)})"


def confidence(value: float | None, scale_max: float) -> str:
    return "—" if value is None else f"{number(value)}/{number(scale_max)}"


def sparkline(values: Sequence[float], low: float, high: float) -> str:
    """One block character per value, scaled to the confidence scale (not to the data, so that
    two teams' lines compare)."""
    if not values:
        return ""
    span = high - low or 1.0
    out = []
    for value in values:
        share = min(1.0, max(0.0, (value - low) / span))
        out.append(SPARKS[min(len(SPARKS) - 1, int(share * (len(SPARKS) - 1) + 0.5))])
    return "".join(out)


def bar_cells(progress: float, expected: float | None, width: int = 12) -> list[tuple[str, str]]:
    """A text progress bar as (character, role) cells; role is "done", "todo" or "expected".

    The expected pace is a tick inside the bar, so a bar that stops short of its tick is behind.
    """
    done = round(min(1.0, max(0.0, progress)) * width)
    cells = [("█", "done") if i < done else ("░", "todo") for i in range(width)]
    if expected is not None:
        at = min(width - 1, max(0, round(min(1.0, max(0.0, expected)) * width) - 1))
        cells[at] = ("┃", "expected")
    return cells


def bar(progress: float, expected: float | None, width: int = 12) -> str:
    return "".join(ch for ch, _ in bar_cells(progress, expected, width))
