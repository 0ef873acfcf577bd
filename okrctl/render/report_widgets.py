"""What the report and map renderers add to the shared widgets: status words, emoji and colours,
and a key result's value, range and forecast. Numbers come from ``okrctl.render.numbers``."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

from okrctl.analysis.kr_chart import KRChart
from okrctl.analysis.state import KRState
from okrctl.render import numbers, widgets
from okrctl.render.palette import STATUS_COLOR as STATUS_COLOR  # re-exported: HTML, SVG, Mermaid, DOT
from okrctl.render.widgets import STATUS_STYLE as STATUS_STYLE  # re-exported: the renderers use w.*
from okrctl.render.widgets import kr_decimals as kr_decimals
from okrctl.safetext import one_written_line
from okrctl.views.report import CheckinAge, Contributor, Report, UnitHealth

STATUS_ORDER = ("on-track", "at-risk", "off-track", "no-data")
STATUS_LABEL = {"on-track": "on track", "at-risk": "at risk", "off-track": "off track", "no-data": "no check-in"}
STATUS_EMOJI = {"on-track": "🟢", "at-risk": "🟡", "off-track": "🔴", "no-data": "⚪"}


def status_label(status: str | None) -> str:
    return STATUS_LABEL.get(status or "no-data", status or "no check-in")


def change_value(value: object) -> str:
    """An old or new value of a moved target: a number as the report writes numbers, a key
    result's title between quotes, else as is."""
    if isinstance(value, float):
        return numbers.number(value)
    if isinstance(value, str):
        return f"“{value}”"
    return "—" if value is None else str(value)


def kr_number(kr: KRState, value: float | None) -> str:
    """A value of this KR at its own precision, with a percent sign when it is one."""
    return numbers.measured(value, kr.unit, decimals=kr_decimals(kr))


def kr_value(kr: KRState) -> str:
    """The current value as a reader expects it (milestones as done / a share done)."""
    if kr.type == "milestone":
        return widgets.milestone_text(kr.value)
    # A metric with no check-in yet is at its baseline, as status shows; the value never reads as
    # the target or bound it misses.
    return numbers.measured(kr.current, kr.unit, decimals=kr_decimals(kr), short_of=widgets.missed_mark(kr))


def kr_range(kr: KRState) -> str:
    """What the KR asks: "32 → 24 %", "≥ 99.9 %", "milestone"."""
    unit = f" {kr.unit}" if kr.unit else ""
    if kr.type == "metric":
        return f"{numbers.number(kr.baseline)} → {numbers.number(kr.target)}{unit}"
    if kr.type == "maintain":
        if kr.min is not None and kr.max is not None:
            return f"between {numbers.number(kr.min)} and {numbers.number(kr.max)}{unit}"
        if kr.min is not None:
            return f"≥ {numbers.number(kr.min)}{unit}"
        return f"≤ {numbers.number(kr.max)}{unit}"
    return "milestone"


def kr_forecast(kr: KRState) -> str:
    """Projected value at the cycle end and the progress it would mean, in words."""
    if kr.forecast is None:
        return "—"
    return forecast_phrase(widgets.forecast_value(kr), kr.forecast_progress)


def score_value(score: float) -> str:
    """ "0.90 (green)": an ended cycle's score (SPEC §3), the end retro's override included, and its band."""
    from okrctl import metrics

    return f"{numbers.fixed(score)} ({metrics.score_band(score)})"


def score_phrase(score: float) -> str:
    return f"score {score_value(score)}"


def forecast_phrase(value: str, share: float | None) -> str:
    """ "forecast at cycle end 24.6%, 92% of the way to target"."""
    text = f"forecast at cycle end {value}"
    if share is not None:
        text += f", {numbers.percent(share)} of the way to target"
    return text


def kr_trend(chart: KRChart | None) -> str:
    """The KR's weekly values as a sparkline on the baseline–target scale (``·``: no value yet)."""
    if chart is None or not chart.weekly:
        return ""
    if chart.type == "milestone":
        low, high = 0.0, 1.0
    elif chart.type == "maintain":
        low, high = chart.low, chart.high
    else:
        ends = [v for v in (chart.baseline, chart.target) if v is not None]
        seen = ends + [v for _, v in chart.values]
        low, high = (min(seen), max(seen)) if seen else (chart.low, chart.high)
    return widgets.sparkline([v for _, v in chart.weekly], low, high, nearest=True, step=None)


def kr_path(kr: KRState, chart: KRChart | None) -> str:
    """What the chart shows in words: the expected value today and the target."""
    if chart is None or chart.type != "metric" or chart.expected_now is None:
        return ""
    return f"expected now {widgets.expected_value(kr, chart.expected_now)}, target {kr_number(kr, chart.target)}"


RAISERS_SHOWN = 8  # teams named per issue; JSON lists them all


def raisers(names: Sequence[str]) -> str:
    """Who raised an issue, for a reader: ``A, B, C and 412 more`` past ``RAISERS_SHOWN`` names (in
    a large organisation an issue raised by every team would otherwise fill pages)."""
    if len(names) <= RAISERS_SHOWN:
        return ", ".join(names)
    return f"{', '.join(names[:RAISERS_SHOWN])} and {len(names) - RAISERS_SHOWN} more"


def age_short(age: CheckinAge | None) -> str:
    """ "2026-11-20" or "2026-11-09 ⚠ stale": fits a narrow column."""
    if age is None:
        return "—"
    text = age.last.isoformat() if age.last else "no check-in"
    return f"{text} ⚠ stale" if age.stale else text


def unit_checkins(unit: UnitHealth) -> str:
    """A business unit's last check-ins, oldest to latest: "2026-10-30 – 2026-11-20", or
    "2026-11-20 (a team has none)" so that the others' date is not lost; "—" with no objective."""
    oldest, latest = unit.oldest, unit.latest
    if not unit.ages:
        return "—"  # no objective in the period: no team whose data could be old
    if latest is None:
        return "none"
    if oldest is None:
        # The oldest of those who checked in, then that a team never did.
        known = min(a.last for a in unit.ages if a.last is not None)
        return f"{known}" + (f" – {latest}" if latest != known else "") + " (a team has none)"
    return f"{oldest}" + (f" – {latest}" if latest != oldest else "")


def age_text(age: CheckinAge | None) -> str:
    """ "2026-11-20" or "2026-11-09, stale (11 days)"; "none, stale" before any check-in."""
    if age is None:
        return "—"
    if age.last is None:
        return "none, stale" if age.stale else "none yet"
    text = age.last.isoformat()
    return f"{text}, stale ({numbers.count(age.days or 0)} days)" if age.stale else text


def confidence(value: float | None, scale_max: float) -> str:
    return "—" if value is None else f"{numbers.number(value)}/{numbers.number(scale_max)}"


def link_phrase(contributor: Contributor, code: Callable[[str], str]) -> str:
    """How a contributor feeds the strategic objective, with each id set in ``code``."""
    link = contributor.link
    if contributor.via:
        return f"via {code(contributor.via[-1])}"
    if link.key_result:
        verb = "⇒ adopts KR" if link.type == "explicit" else "→ toward KR"
        return f"{verb} {code(link.key_result)}"
    return "→ directional"


def wrapped(text: str, width: int, lines: int) -> list[str]:
    """``text`` on at most ``lines`` lines of ``width``; the last one ends in … when cut (for a
    diagram another program draws: joiners kept, ``one_written_line``)."""
    out = textwrap.wrap(one_written_line(text), width=width, break_long_words=True) or [""]
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def sparkline(values: Sequence[float], low: float, high: float) -> str:
    """Confidence on the confidence scale (not on the data, so that two teams' lines compare),
    drawn as status and trends draw it: a series reads the same in every command."""
    return widgets.sparkline(values, low, high)


SINCE_SHOWN = 5  # target changes after a past month's day named in its note; JSON lists them all


def moved_since_note(report: Report) -> str | None:
    """For a past month: the targets changed after its day, which its numbers include (the files
    are read as they are today); None when there are none."""
    changes = report.moved_since
    if not changes:
        return None
    named = [
        f"{c.ref} {c.field} {change_value(c.old)} → {change_value(c.new)} ({c.day})" for c in changes[:SINCE_SHOWN]
    ]
    more = f"; and {len(changes) - SINCE_SHOWN} more" if len(changes) > SINCE_SHOWN else ""
    return (
        f"The numbers above read today's objective files, which changed after {report.as_of}: {'; '.join(named)}{more}."
    )
