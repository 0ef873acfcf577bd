"""Fitted tables: the rows okrctl lays out itself print exactly what rich's table prints.

``status``, ``trends`` and ``checkin`` print their tables through ``FixedRows`` (rich's borderless
table, made directly). Every property below builds the same table twice, once each way, and
compares the text a console writes: plain, with 16 colours and with true colour.
"""

from __future__ import annotations

from io import StringIO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from okrctl.render.console import text_console
from okrctl.render.layout import FixedRows, fitted_table

# Characters of every width rich knows: ASCII, wide (CJK, emoji), combining and zero-width ones,
# the blocks and bars okrctl draws, and spaces at the ends.
PIECES = ["a", "Zq", " ", "  ", "ü", "界", "漢字", "😀", "e\u0301", "\u200b", "█", "▒", "░", "┃", "…", "—", "·", "7%"]
# Clusters a style span can split, and characters that are not text at all.
PIECES += ["❤\ufe0f", "👩\u200d💻", "\u200d", "\u2028", "\x07", "\x1b", "\r"]
STYLES = ["", "bold", "dim", "red", "green", "cyan", "bold red", "yellow on blue", "italic dim", "underline"]


@st.composite
def cells(draw: st.DrawFn) -> tuple[str, str, list[tuple[int, int, str]]]:
    text = "".join(draw(st.lists(st.sampled_from(PIECES), max_size=8)))
    base = draw(st.sampled_from(STYLES))
    spans = []
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, len(text)))
        spans.append((start, end, draw(st.sampled_from(STYLES[1:]))))
    return text, base, spans


def _text(cell: tuple[str, str, list[tuple[int, int, str]]]) -> Text:
    plain, base, spans = cell
    text = Text(plain, style=base)
    for start, end, style in spans:
        text.stylize(style, start, end)
    return text


@st.composite
def tables(draw: st.DrawFn) -> dict:
    columns = draw(st.integers(1, 6))
    headers = [
        draw(st.sampled_from(["team", "#", "objective", "now", "last", "progress/expected", "界"]))
        for _ in range(columns)
    ]
    rows = draw(st.lists(st.lists(cells(), min_size=columns, max_size=columns), max_size=6))
    flexible_columns = draw(st.lists(st.integers(0, columns - 1), unique=True, max_size=2))
    flexible = {i: (draw(st.integers(1, 8)), draw(st.integers(8, 30))) for i in flexible_columns}
    return {
        "headers": headers,
        "rows": rows,
        "width": draw(st.integers(10, 140)),
        "flexible": flexible,
        "right": set(draw(st.lists(st.integers(0, columns - 1), unique=True))),
        "gap": draw(st.integers(0, 3)),
        "droppable": tuple(draw(st.lists(st.integers(0, columns - 1), unique=True))),
    }


def _console(kind: str, buffer: StringIO, width: int) -> Console:
    if kind == "plain":
        return text_console(buffer, False, width)
    return text_console(buffer, True, width, truecolor=kind == "truecolor")


def _printed(renderable: object, kind: str, width: int) -> str:
    buffer = StringIO()
    _console(kind, buffer, width).print(renderable)
    return buffer.getvalue()


def _both(spec: dict) -> tuple[object, object]:
    """The table from ``fitted_table``, and rich's own table of the very same columns and cells."""
    made = fitted_table(
        list(spec["headers"]),
        [[_text(cell) for cell in row] for row in spec["rows"]],
        spec["width"],
        flexible=spec["flexible"],
        right=spec["right"],
        gap=spec["gap"],
        droppable=spec["droppable"],
    )
    if not isinstance(made, FixedRows):
        return made, made
    return made, made._table()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["plain", "standard", "truecolor"]))
def test_fixed_rows_print_what_richs_table_prints(spec: dict, kind: str) -> None:
    ours, rich_table = _both(spec)
    if ours is rich_table:
        return  # rich's own table: nothing to compare (and rich 15 fails on some zero-width joiners,
        # which okrctl removes from terminal text before any table: ``safetext.clean``)
    assert _printed(ours, kind, spec["width"]) == _printed(rich_table, kind, spec["width"])


@settings(max_examples=60, deadline=None)
@given(tables(), st.integers(1, 60))
def test_on_a_console_narrower_than_the_fit_rich_shrinks_it(spec: dict, console_width: int) -> None:
    ours, rich_table = _both(spec)
    if ours is rich_table:
        return
    assert _printed(ours, "standard", console_width) == _printed(rich_table, "standard", console_width)


def test_the_fast_rows_are_used_for_one_line_cells(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [[Text("team-1"), Text("█▒ 40%", style="green")], [Text("界界"), Text("—", style="dim")]]
    made = fitted_table(["team", "progress"], rows, 40, flexible={0: (4, 10)}, right={1})
    assert isinstance(made, FixedRows)
    monkeypatch.setattr(FixedRows, "_table", lambda self: pytest.fail("printed through rich's table"))
    assert _printed(made, "plain", 40) == ("team    progress\nteam-1    █▒ 40%\n界界           —\n")


def test_a_cell_of_one_column_characters_is_padded_without_rich_printed_plain_even_with_spans(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The rows of a large table are made directly: a cell of one-column characters (the bars and
    dashes okrctl draws too), and without colours also one whose parts have their own styles."""
    bar = Text("██▒░ 40%")
    bar.stylize("green", 0, 2)
    rows = [[Text("Müller · Ω"), bar], [Text("—", style="dim"), Text("ok", style="bold")]]
    made = fitted_table(["team", "progress"], rows, 40, flexible={0: (4, 12)}, right={1})
    assert isinstance(made, FixedRows)
    monkeypatch.setattr(Text, "render", lambda *args: pytest.fail("a cell went through rich's text"))
    plain = _printed(made, "plain", 40)
    assert plain == "team        progress\nMüller · Ω  ██▒░ 40%\n—                 ok\n"
    monkeypatch.setenv("TERM", "xterm-256color")  # (a dumb terminal gets no colour at all)
    with pytest.raises(pytest.fail.Exception):  # in colour, the spans are rich's to print
        _printed(made, "truecolor", 40)


@pytest.mark.parametrize(
    "cell",
    [Text("two\nlines"), Text("a\ttab"), Text("set", justify="center"), Text("set", overflow="fold")],
)
def test_other_cells_go_through_richs_table(cell: Text) -> None:
    made = fitted_table(["h", "other"], [[Text("x"), cell]], 40, flexible={})
    assert not isinstance(made, FixedRows)


def test_a_dropped_column_is_named_in_the_caption_either_way() -> None:
    rows = [[Text("a" * 12), Text("12345"), Text("yesterday")]]
    made = fitted_table(["team", "value", "last"], rows, 20, flexible={0: (6, 12)}, droppable=(2,))
    assert isinstance(made, FixedRows)
    out = _printed(made, "plain", 20)
    assert "last left out" in out
    assert out == _printed(made._table(), "plain", 20)


def test_a_style_that_splits_a_joined_sequence_is_left_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    cell = Text("aaa\u200daa👩\u200d💻Zq")
    cell.stylize("bold", 0, 4)  # ends right after a zero-width joiner
    made = fitted_table(["team", "team"], [[Text(""), cell]], 20, flexible={})
    assert isinstance(made, FixedRows)
    expected = _printed(made._table(), "plain", 20)
    used: list[int] = []
    table = FixedRows._table

    def counted(self: FixedRows) -> object:
        used.append(1)
        return table(self)

    monkeypatch.setattr(FixedRows, "_table", counted)
    assert _printed(made, "plain", 20) == expected
    assert used == [1]
