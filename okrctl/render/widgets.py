"""Small terminal widgets shared by every renderer: data in, rich ``Text`` or ``str`` out.

Each widget stays readable without colour (NO_COLOR, pipes, golden files): shapes and words carry
the meaning, colour only repeats it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from okrctl import metrics
from okrctl.render import numbers

if TYPE_CHECKING:
    from okrctl.analysis.kr_chart import KRChart
    from okrctl.analysis.state import KRState

SPARK_BLOCKS = "▁▂▃▄▅▆▇█"
GAP = "·"  # a week without a value
# The widest scale, in steps, whose values a sparkline spreads over its blocks: up to 11, no value
# is drawn more than two blocks from its place (0–12 already moves one three).
SPREAD_POINTS = 11
# In place of a key result table with no rows: what is missing, and the rule of align that warns of it.
NO_KEY_RESULTS = "No key results: nothing measures this objective (OKR302)."

STATUS_STYLE = {
    metrics.ON_TRACK: "green",
    metrics.AT_RISK: "yellow",
    metrics.OFF_TRACK: "red",
    metrics.NO_DATA: "dim",
}
STATUS_MARK = {
    metrics.ON_TRACK: "●",
    metrics.AT_RISK: "▲",
    metrics.OFF_TRACK: "✖",
    metrics.NO_DATA: "○",
}
BAND_STYLE = {metrics.GREEN: "green", metrics.YELLOW: "yellow", metrics.RED: "red"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}  # of a finding
# Heat-strip cells: the band of the week's confidence, told apart by shade as well as colour.
HEAT_CELL = {metrics.ON_TRACK: "█", metrics.AT_RISK: "▒", metrics.OFF_TRACK: "░"}


def milestone_text(value: float | None) -> str:
    """``done``, ``not done`` or ``40% done``; ``—`` before any value."""
    if value is None:
        return "—"
    if value >= 1:
        return "done"
    if value <= 0:
        return "not done"
    # Under way never reads as either end (``numbers.percent``): 99.6% is not "100% done".
    return f"{numbers.percent(value)} done"


def kr_decimals(kr: KRState) -> int:
    """The decimals the KR's numbers are written with: a count stays a count (2,765 users)."""
    return numbers.decimals_of(kr.baseline, kr.target, kr.min, kr.max, *(v for _, v in kr.series))


def expected_value(kr: KRState, value: float | None) -> str:
    """A key result's expected value on a day (where its pace puts it) as ``report``, ``site`` and
    ``checkin`` all write it: at the KR's own precision, rounded half up (72.5 reads 73% for a KR
    written in whole percents, 80.625 reads 80.63% for one written to a hundredth)."""
    return numbers.measured(value, kr.unit, decimals=kr_decimals(kr))


def missed_mark(kr: KRState) -> float | None:
    """What a key result's current value must never read as (:func:`mark_missed_by`)."""
    return mark_missed_by(kr, kr.value, kr.progress)


def mark_missed_by(kr: KRState | KRChart, value: float | None, progress: float) -> float | None:
    """What ``value`` of a key result, of ``progress`` (``metrics.progress``), must never read as:
    the target a metric falls short of, the bound a maintain key result is outside of; None when it
    reaches them. Rounded as usual, 99.896 outside ``keep ≥ 99.9%`` read ``99.9%`` beside
    "off-track" (``numbers.number``'s ``short_of``), and so did that week of the key result's chart."""
    if value is None or progress >= 1:
        return None
    if kr.type == "metric":
        return kr.target
    if kr.type == "maintain":
        return kr.min if kr.min is not None and value < kr.min else kr.max
    return None


def forecast_value(kr: KRState) -> str:
    """A key result's forecast as ``status``, ``report`` and ``site`` all write it: at the KR's own
    precision, and never as the target it falls short of (``numbers.projected``: 49.8 beside a
    target of 50, at 99.1% of the way)."""
    short = kr.forecast_progress is not None and kr.forecast_progress < 1
    return numbers.projected(kr.forecast, kr.unit, decimals=kr_decimals(kr), short_of=kr.target if short else None)


def sparkline(
    values: Sequence[float | None], low: float, high: float, *, nearest: bool = False, step: float | None = 1.0
) -> str:
    """One block per value on a fixed scale (so two teams' lines compare); ``·`` for a gap.

    The scale is cut into as many equal bands as there are blocks; with ``nearest`` a value takes
    the block whose level (lowest block at ``low``, highest at ``high``) is nearest instead. Eight
    blocks cannot tell eleven confidence levels apart, so when two values of the series ``step``
    or more apart (a confidence point) would share a block, the series' values are spread over
    the blocks nearest to their places on the scale, keeping their order: every move of a point
    shows; a value is never more than a block or two from its place on the fixed scale. That holds
    on a scale of at most :data:`SPREAD_POINTS` steps (0–10, 1–10); on a wider one (0–100) a point
    is a small part of a block, and spreading would stretch a team's line over its own range (10 to
    17 drawn as ``▁▂▃▄▅▆▇█``, like 30 to 100), so there, as with ``step=None`` (key result values),
    the scale alone decides.
    """
    span = high - low
    top = len(SPARK_BLOCKS) - 1

    def place(value: float) -> int:
        share = 0.0 if span <= 0 else metrics.clamp((value - low) / span)
        index = int(share * top + 0.5) if nearest else int(share * len(SPARK_BLOCKS))
        return min(top, index)

    distinct = sorted({v for v in values if v is not None})
    places = [place(v) for v in distinct]
    if step is None or span > step * SPREAD_POINTS:
        blocks = dict(zip(distinct, places, strict=True))
    else:
        blocks = _spread(distinct, places, top, step)
    return "".join(GAP if v is None else SPARK_BLOCKS[blocks[v]] for v in values)


def _spread(distinct: list[float], places: list[int], top: int, step: float) -> dict[float, int]:
    """Rising blocks for the rising ``distinct`` values, as near their ``places`` as can be: values
    ``step`` or more apart on different blocks, closer ones on the same or a higher one."""
    apart = [j > 0 and distinct[j] - distinct[j - 1] >= step for j in range(len(distinct))]
    clash = any(apart[j] and places[j] == places[j - 1] for j in range(1, len(distinct)))
    if not clash or sum(apart) + 1 > top + 1:
        return dict(zip(distinct, places, strict=True))
    # cost[j][b]: the least total distance when value j takes block b (values before it below b).
    cost: list[list[float]] = []
    choice: list[list[int]] = []
    for j, wanted in enumerate(places):
        row: list[float] = []
        came: list[int] = []
        for block in range(top + 1):
            if j == 0:
                row.append(float(abs(block - wanted)))
                came.append(-1)
                continue
            below = range(block) if apart[j] else range(block + 1)
            best = min(below, key=lambda b: cost[j - 1][b], default=None)
            row.append(float("inf") if best is None else cost[j - 1][best] + abs(block - wanted))
            came.append(-1 if best is None else best)
        cost.append(row)
        choice.append(came)
    block = min(range(top + 1), key=lambda b: cost[-1][b])
    out: dict[float, int] = {}
    for j in range(len(distinct) - 1, -1, -1):
        out[distinct[j]] = block
        block = choice[j][block]
    return out


def status_text(status: str, *, short: bool = False) -> Text:
    """``● on-track`` in green, ``✖ off-track`` in red …"""
    mark = STATUS_MARK.get(status, "?")
    return Text(mark if short else f"{mark} {status}", style=STATUS_STYLE.get(status, ""))


def band_text(score: float) -> Text:
    band = metrics.score_band(score)
    return Text(f"{score:.2f} {band}", style=BAND_STYLE[band])


def progress_bar(progress: float, expected: float | None = None, *, width: int = 20, status: str = "") -> Text:
    """``█████████░░░░┃░░░░░`` — filled to ``progress``, with ``┃`` where ``expected`` is.

    The tick is a character of its own between two cells (the bar then has one cell fewer, and the
    same width): it stands just after the cells done at the expected pace and never hides a filled
    cell, so 75% against an expected 63% still shows 75% filled.
    """
    width = max(2, width)
    cells = width - 1 if expected is not None else width
    filled = round(metrics.clamp(progress) * cells)
    tick = round(metrics.clamp(expected) * cells) if expected is not None else None
    style = STATUS_STYLE.get(status, "cyan")
    bar = Text()
    for i in range(cells + 1):
        if i == tick:
            bar.append("┃", style="bold")
        if i < filled:
            bar.append("█", style=style)
        elif i < cells:
            bar.append("░", style="dim")
    return bar


def heat_strip(values: Sequence[float | None], low: float, high: float) -> Text:
    """One cell per week: ``█`` confident (≥ 70% of the scale), ``▒`` unsure, ``░`` low, ``·`` none."""
    from okrctl.model.config import ConfidenceScale

    scale = ConfidenceScale(min=low, max=high)
    strip = Text()
    for value in values:
        if value is None:
            strip.append(GAP, style="dim")
            continue
        band = metrics.confidence_band(value, scale)
        strip.append(HEAT_CELL[band], style=STATUS_STYLE[band])
    return strip


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` columns, broken at spaces only: an id such as
    ``kr-platform-latency-2`` stays whole wherever it fits on a line. A word wider than the line
    starts a line of its own and goes on over the next ones, broken after its last hyphen that
    fits, else at the line's end: every character is shown, none cut off."""
    width = max(width, 2)  # room for any one character, two columns wide at most
    lines: list[str] = []
    current = ""
    for word in (w for w in text.split(" ") if w):
        if current and cell_len(current) + 1 + cell_len(word) <= width:
            current += " " + word
            continue
        if current:
            lines.append(current)
        while cell_len(word) > width:
            piece = _first_piece(word, width)
            lines.append(piece)
            word = word[len(piece) :]
        current = word
    if current:
        lines.append(current)
    return lines or [""]


def _first_piece(word: str, width: int) -> str:
    """The start of ``word`` that fills a line of ``width``: up to its last hyphen there, if any."""
    end = 0
    while end < len(word) and cell_len(word[: end + 1]) <= width:
        end += 1
    piece = word[: max(end, 1)]
    hyphen = piece.rfind("-")
    return piece[: hyphen + 1] if hyphen > 0 else piece
