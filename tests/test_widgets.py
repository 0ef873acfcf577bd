"""The shared terminal widgets: pure functions, readable without colour."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrctl.render import widgets


def test_sparkline_uses_a_fixed_scale_and_marks_gaps() -> None:
    assert widgets.sparkline([0, 5, 10, None, 7], 0, 10) == "▁▅█·▆"
    # A fixed scale: the same value draws the same block whatever else is in the series.
    assert widgets.sparkline([7], 0, 10) == widgets.sparkline([2, 7, 9], 0, 10)[1]
    assert widgets.sparkline([], 0, 10) == ""
    assert widgets.sparkline([-3, 14], 0, 10) == "▁█"


@given(values=st.lists(st.none() | st.floats(-100, 100), max_size=20))
def test_sparkline_has_one_cell_per_value(values: list[float | None]) -> None:
    assert len(widgets.sparkline(values, 0, 10)) == len(values)


def test_progress_bar_marks_the_expected_pace() -> None:
    assert widgets.progress_bar(0.5, 0.7, width=10).plain == "████░░┃░░░"
    assert widgets.progress_bar(0.8, 0.3, width=10).plain == "███┃████░░"
    assert widgets.progress_bar(1.0, 1.0, width=10).plain == "█████████┃"
    assert widgets.progress_bar(0.0, None, width=5).plain == "░░░░░"
    # The tick never takes a filled cell: 75% against an expected 63% shows 8 of 11 cells filled.
    assert widgets.progress_bar(0.75, 0.63, width=12).plain == "███████┃█░░░"
    assert widgets.progress_bar(1.0, 0.0, width=4).plain == "┃███"


@given(progress=st.floats(-1, 2), expected=st.none() | st.floats(-1, 2), width=st.integers(2, 40))
def test_progress_bar_has_its_width(progress: float, expected: float | None, width: int) -> None:
    bar = widgets.progress_bar(progress, expected, width=width).plain
    assert len(bar) == width
    assert bar.count("┃") == (0 if expected is None else 1)


def test_heat_strip_shades_by_confidence_band() -> None:
    assert widgets.heat_strip([8, 7, 6.9, 4, 3.9, None, 0], 0, 10).plain == "██▒▒░·░"


def test_status_text_carries_a_word_and_a_mark() -> None:
    assert widgets.status_text("off-track").plain == "✖ off-track"
    assert widgets.status_text("at-risk", short=True).plain == "▲"
    assert widgets.band_text(0.7).plain == "0.70 green"


@pytest.mark.parametrize("nearest", [False, True])
@pytest.mark.parametrize("low", range(10))
def test_a_one_point_confidence_move_shows_in_every_sparkline(low: int, nearest: bool) -> None:
    line = widgets.sparkline([low, low + 1, low], 0, 10, nearest=nearest)
    assert line[0] == line[2] != line[1]


@given(values=st.lists(st.integers(0, 10), min_size=1, max_size=30))
def test_sparklines_keep_order_and_tell_every_value_apart(values: list[int]) -> None:
    line = widgets.sparkline(values, 0, 10)
    blocks = {v: widgets.SPARK_BLOCKS.index(c) for v, c in zip(values, line, strict=True)}
    ordered = [blocks[v] for v in sorted(blocks)]
    if len(blocks) <= len(widgets.SPARK_BLOCKS):
        assert ordered == sorted(set(ordered)) and len(set(ordered)) == len(ordered)
    else:
        assert ordered == sorted(ordered)


@pytest.mark.parametrize(
    ("values", "drawn"),
    [
        (range(10, 18), "▁▁▁▂▂▂▂▂"),  # was ▁▂▃▄▅▆▇█, as 30, 40 … 100
        (range(30, 101, 10), "▃▄▅▅▆▇██"),
        (range(70, 75), "▆▆▆▆▆"),  # was ▄▅▆▇█, as 60, 70 … 100
        (range(95, 99), "████"),  # was ▅▆▇█: 95/100 at mid height
    ],
)
def test_a_sparkline_on_a_wide_scale_draws_each_value_at_its_place(values: range, drawn: str) -> None:
    """On a 0–100 scale a point is a small part of a block: the values are not spread over the
    blocks, which stretched a team's line over its own range."""
    assert widgets.sparkline(list(values), 0, 100) == drawn


@pytest.mark.parametrize(("low", "high"), [(1, 5), (0, 10), (0, 100)])
def test_report_and_status_draw_a_confidence_series_alike(low: int, high: int) -> None:
    """The report drew its confidence sparklines with the nearest block, status and trends by
    band: 4,4,4,2,2,3,4,4 on a 1–5 scale was ▆▆▆▃▃▅▆▆ in one and ▇▇▇▃▃▅▇▇ in the other."""
    from okrctl.render import report_widgets

    series = [low + (high - low) * share for share in (0.75, 0.75, 0.75, 0.25, 0.25, 0.5, 0.75, 0.75)]
    assert report_widgets.sparkline(series, low, high) == widgets.sparkline(series, low, high)
    if (low, high) == (1, 5):
        assert report_widgets.sparkline(series, low, high) == "▇▇▇▃▃▅▇▇"


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (0.005, "0.5% done"),  # was "1% done": half a percent read as one
        (0.0004, "<0.1% done"),
        (0.4, "40% done"),
        (0.996, "99.6% done"),  # was "100% done" while not done
        (0.9999, ">99.9% done"),
        (1, "done"),
        (0, "not done"),
        (None, "—"),
    ],
)
def test_a_milestone_under_way_is_never_rounded_to_either_end(share, shown) -> None:
    from okrctl.render.widgets import milestone_text

    assert milestone_text(share) == shown
