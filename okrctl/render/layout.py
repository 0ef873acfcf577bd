"""Tables that fit the terminal: fixed columns keep their width, named columns give way (with …)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.containers import Lines
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Span, Text

_NO_STYLE = Style.null()


def fitted_table(
    headers: list[str],
    rows: list[list[Text]],
    width: int,
    *,
    flexible: dict[int, tuple[int, int]],
    right: set[int] | frozenset[int] = frozenset(),
    gap: int = 2,
    droppable: tuple[int, ...] = (),
    instead: str = "widen it or use --format json",
    fit: str | None = "terminal",
) -> Table | FixedRows:
    """A borderless table no wider than ``width``, the width of what ``fit`` names: ``"terminal"``,
    or ``"COLUMNS"`` (the variable set, off a terminal), which the caption names. With None (a
    file or a pipe, no width to fit) the table is laid out whole, as wide as it needs: print it
    with ``print_table``.

    ``flexible`` maps a column index to its (min, max) width; those columns shrink, in order,
    when the others leave too little room, and their cells end in ``…`` when cut. If that is not
    enough, the ``droppable`` columns are left out whole, in order (a caption names them), so that
    no number is ever cut short. When even that does not fit (a very narrow terminal, or a cell as
    wide as the terminal, such as a number with a long unit), each row becomes a block of
    ``header: value`` lines that wrap: every column is kept and nothing is cut, and a caption says so.
    ``instead`` ends the caption: what the reader can do about it (a command without ``--format``
    only says to widen the terminal).
    """
    widths = [max([len(h)] + [row[i].cell_len for row in rows]) for i, h in enumerate(headers)]
    whole = list(widths)
    if fit is None:
        width = max(width, sum(whole) + gap * (len(headers) - 1))
    for index, (_, most) in flexible.items():
        widths[index] = min(widths[index], most)
    wanted = list(widths)
    excess = sum(widths) + gap * (len(headers) - 1) - width
    for index, (least, _) in flexible.items():
        if excess <= 0:
            break
        cut = min(excess, widths[index] - least)
        if cut > 0:
            widths[index] -= cut
            excess -= cut
    dropped: list[int] = []
    for index in droppable:
        if excess <= 0:
            break
        dropped.append(index)
        excess -= widths[index] + gap
    # Room freed by a dropped column goes back to the columns that were shortened.
    for index in reversed(list(flexible)):
        if excess >= 0:
            break
        grow = min(-excess, wanted[index] - widths[index])
        widths[index] += grow
        excess += grow
    if excess > 0:
        return _stacked(headers, rows, width, instead, fit)
    # Room still left on a wide terminal goes to the names ``most`` capped, in order: a name is cut
    # only where the terminal has no room for it whole (nowhere else says it in full).
    for index in flexible:
        if excess >= 0 or dropped:
            break
        grow = min(-excess, whole[index] - widths[index])
        widths[index] += grow
        excess += grow
    kept = [i for i in range(len(headers)) if i not in dropped]
    caption = None
    if dropped:
        names = ", ".join(headers[i].strip() for i in sorted(dropped))
        caption = Text(f"({_narrow(fit)}: {names} left out; {instead})", style="dim")
    for row in rows:
        for index in flexible:
            row[index].truncate(widths[index], overflow="ellipsis")
    if (
        kept
        and all(_plain_cell(cell) for row in rows for cell in row)
        and not any("\n" in h or "\t" in h for h in headers)
    ):
        return FixedRows(
            [headers[i] for i in kept],
            [[row[i] for i in kept] for row in rows],
            [widths[i] for i in kept],
            [i in right for i in kept],
            gap,
            caption,
        )
    table = Table(
        box=None,
        pad_edge=False,
        show_edge=False,
        header_style="bold",
        padding=(0, gap, 0, 0),
        caption=caption,
        caption_justify="left",
    )
    for i in kept:
        table.add_column(
            headers[i], justify="right" if i in right else "left", no_wrap=True, overflow="ellipsis", width=widths[i]
        )
    for row in rows:
        table.add_row(*(row[i] for i in kept))
    return table


def _narrow(fit: str | None) -> str:
    """How a caption says the width was too narrow: never "terminal" for a width COLUMNS set, in
    a file or a pipe."""
    return "COLUMNS too narrow" if fit == "COLUMNS" else "narrow terminal"


def print_table(console: Console, table: Table | FixedRows) -> None:
    """Print a table of ``fitted_table``: one laid out wider than ``console`` (whole, with no width
    to fit) through a console as wide as it, writing to the same place (a console cuts what is
    wider than itself)."""
    if isinstance(table, FixedRows):
        widths, gap = table.widths, table.gap
    else:
        widths, gap = [column.width or 0 for column in table.columns], table.padding[1]
    needed = sum(widths) + gap * (len(widths) - 1)
    if needed <= console.width:
        console.print(table)
        return
    from okrctl.render.console import text_console

    wider = text_console(console.file, console.color_system is not None, needed)  # type: ignore[arg-type]
    wider.print(table)


def row_names(rows: list[list[Text]], columns: Sequence[int]) -> list[str]:
    """Each row's name: its cells in ``columns`` (``Product · platform-ready-for-5000``). Taken
    before ``fitted_table`` cuts them, for ``print_cut_alike``."""
    return [" · ".join(row[i].plain.strip() for i in columns) for row in rows]


def print_cut_alike(
    console: Console,
    rows: list[list[Text]],
    whole: list[str],
    columns: Sequence[int],
    *,
    number: int | None = None,
    indent: str = "",
) -> None:
    """Under a fitted table, the rows whose names (``row_names`` before the table was fitted) were
    cut alike, named in whole: ``Digital Servi…`` three times, or ``dashboard-…`` for both p95 and
    p99, tell the rows apart no more. A row is named by its ``number`` column, else in the table's
    order; a name cut but unlike any other needs no note."""
    shown = row_names(rows, columns)
    seen = Counter(shown)
    alike = [i for i, name in enumerate(shown) if seen[name] > 1 and name != whole[i]]
    if not alike:
        return
    order = "" if number is not None else ", in the table's order"
    console.print(Text(f"{indent}Rows whose names were cut alike{order}:", style="dim"))
    for i in alike:
        line = Text(f"{indent}  {rows[i][number].plain:>2} " if number is not None else f"{indent}  ", style="dim")
        line.append(whole[i])
        console.print(line)


def _plain_cell(cell: Text) -> bool:
    """A cell that is one line (no line break of any kind: ``\n``, ``\r``, ``\u2028``, …), lays
    out the way its column says, and has no tab to expand."""
    return (
        cell.justify is None
        and cell.overflow is None
        and cell.no_wrap is None
        and cell.end == "\n"
        and cell.tab_size is None
        and "\t" not in cell.plain
        and (not cell.plain or cell.plain.splitlines() == [cell.plain])  # no line break of any kind
    )


class FixedRows:
    """What rich's borderless ``Table`` prints for columns of fixed width and one-line cells, made
    directly: the same segments, without measuring every cell again and wrapping it in padding
    (for a thousand rows rich spends a third of a second on that). Every step below is the one rich
    takes for such a cell: its ``Text`` justified and cut to the column's width the way
    ``Text.wrap`` does, joined the way ``Text.__rich_console__`` does, then the gap to the next
    column; the header row in bold. ``tests/test_layout.py`` compares the two on random tables,
    with and without colour."""

    def __init__(
        self,
        headers: list[str],
        rows: list[list[Text]],
        widths: list[int],
        right: list[bool],
        gap: int,
        caption: Text | None,
    ) -> None:
        self.headers = headers
        self.rows = rows
        self.widths = widths
        self.right = right
        self.gap = gap
        self.caption = caption

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        widths = self.widths
        table_width = sum(widths) + self.gap * (len(widths) - 1)
        if table_width > options.max_width:
            # Only a console narrower than the table was fitted to: rich's own table shrinks it.
            yield from console.render(self._table(), options)
            return
        gap = Segment(" " * self.gap, Style.null()) if self.gap else None
        header_style = console.get_style("bold")
        lines = [self._row(console, [Text(header) for header in self.headers], gap, header_style)]
        lines += [self._row(console, row, gap, None) for row in self.rows]
        if any(line is None for line in lines):
            # A style that splits a cluster of characters (an emoji sequence, say): rich measures
            # such a line piece by piece, more than once. Its own table prints it.
            yield from console.render(self._table(), options)
            return
        end = Segment.line()
        for line in lines:
            yield from line or ()
            yield end
        if self.caption is not None:
            caption_options = options.update(width=table_width, highlight=False, height=None, justify="left")
            yield from console.render(self.caption, caption_options)

    def _row(
        self, console: Console, cells: list[Text], gap: Segment | None, style: Style | None
    ) -> list[Segment] | None:
        """One line of the table, or None when a cell's pieces do not add up to its width."""
        last = len(cells) - 1
        joiner = Text("\n")
        out: list[Segment] = []
        # Without colours no style is printed: a cell's spans change nothing it shows.
        unstyled = console.color_system is None
        for index, (cell, width, right) in enumerate(zip(cells, self.widths, self.right, strict=True)):
            plain = cell.plain
            if (
                (unstyled or not cell.spans)
                and len(plain) <= width
                and plain.isprintable()
                and (plain.isascii() or all(cell_len(character) == 1 for character in plain))
            ):
                # Most cells of a large table: text of one style (or printed without any), one
                # column a character. What the lines below make of it, without copying, measuring
                # and splitting it.
                padded = plain.rstrip().rjust(width) if right else plain.ljust(width)
                style_of = console.get_style(cell.style, default=_NO_STYLE) if cell.style else None
                segments = [Segment(padded, style_of)] if padded else []
            else:
                text = cell.copy()
                Lines([text]).justify(console, width, justify="right" if right else "left", overflow="ellipsis")
                text.truncate(width, overflow="ellipsis")
                segments = [s for s in joiner.join([text]).render(console) if s.text]
                if Segment.get_line_length(segments) != width:
                    return None
            if index != last and gap is not None:
                segments.append(gap)
            out += Segment.apply_style(segments, style) if style is not None else segments
        return out

    def _table(self) -> Table:
        table = Table(
            box=None,
            pad_edge=False,
            show_edge=False,
            header_style="bold",
            padding=(0, self.gap, 0, 0),
            caption=self.caption,
            caption_justify="left",
        )
        for header, width, right in zip(self.headers, self.widths, self.right, strict=True):
            table.add_column(
                header, justify="right" if right else "left", no_wrap=True, overflow="ellipsis", width=width
            )
        for row in self.rows:
            table.add_row(*row)
        return table


def _stacked(headers: list[str], rows: list[list[Text]], width: int, instead: str, fit: str | None) -> Table:
    """One block per row: its first cell, then each other cell under its header, wrapped, not cut.

    A cell that fits on its header's line follows it; a longer one starts on the next line, indented
    under the header, and wraps there: a wrapped value never runs back to the left edge.
    """
    from rich.console import Group

    caption = Text(f"({_narrow(fit)}: one block per row; {instead})", style="dim")
    table = Table.grid(padding=0)
    table.caption = caption
    table.caption_justify = "left"
    table.add_column(overflow="fold", max_width=max(width, 1))
    for row in rows:
        parts: list[Text | Padding] = [row[0]]
        for header, cell in zip(headers[1:], row[1:], strict=True):
            label = Text(f"{header.strip()}:", style="dim")
            if 4 + label.cell_len + 1 + cell.cell_len <= width:
                line = label.copy()
                line.append(" ")
                line.append_text(cell)
                parts.append(Padding(line, (0, 0, 0, 4)))
            else:
                parts.append(Padding(label, (0, 0, 0, 4)))
                parts.append(Padding(cell, (0, 0, 0, 8)))
        table.add_row(Group(*parts))
    return table


class WrappedRows:
    """What rich prints for a borderless ``Table`` of ``Text`` cells that may hold several lines
    (the report's tables: a thousand contributing objectives at 1,000 teams), made with fewer steps.

    The column widths are rich's own. A cell whose every line fits its column (most cells) is
    printed the way ``Text.wrap`` prints a line that needs no break: the line padded to the width,
    the lines joined and rendered as ``Text.__rich_console__`` joins and renders them, set in
    the padding between columns as ``Padding`` sets it. Without colours no style is printed, so
    such a cell is its padded lines. Any other cell (a line to wrap, a wide or invisible
    character, a tab) goes through rich's own steps for a cell, and a table of another shape is
    printed by rich whole. ``tests/test_layout.py`` compares the two on random tables, with and
    without colour."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return self.table.__rich_measure__(console, options)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        table = self.table
        widths = _rich_widths(table, console, options) if _shaped(table) else None
        if widths is None:
            yield table
            return
        render_options = options.update(width=sum(widths), highlight=table.highlight, height=None)
        last = len(widths) - 1
        header_style = console.get_style(table.header_style or "")
        plain = console.color_system is None
        new_line = Segment.line()
        columns = table.columns
        rows: list[list[object]] = [[column.header for column in columns]]
        rows += [list(cells) for cells in zip(*(list(column.cells) for column in columns), strict=True)]
        for number, cells in enumerate(rows):
            rendered: list[tuple[list[list[Segment]], Style]] = []
            for index, (cell, column, width) in enumerate(zip(cells, columns, widths, strict=True)):
                left, right = (0 if index == 0 else 1), (0 if index == last else 1)
                style = header_style + console.get_style(column.header_style or "") if not number else _NO_STYLE
                lines = None
                if number and isinstance(cell, Text):
                    lines = _fitting_cell(console, cell, width - left - right, left, right, plain)
                if lines is None:  # rich's own steps for one cell of its table
                    cell_options = render_options.update(
                        width=width,
                        justify=column.justify,
                        no_wrap=column.no_wrap,
                        overflow=column.overflow,
                        height=None,
                        highlight=getattr(column, "highlight", False),  # (rich 13.7's columns have none)
                    )
                    padded = Padding(cell, (0, right, 0, left))  # type: ignore[arg-type]
                    lines = Segment.set_shape(console.render_lines(padded, cell_options, style=style), width)
                rendered.append((lines, style))
            height = max(len(lines) for lines, _style in rendered)
            if not height:  # no cell has a line (columns of no width): rich prints one blank line
                yield from [Segment(" " * width) for width in widths]
                yield new_line
                continue
            for line_number in range(height):
                for (lines, style), width in zip(rendered, widths, strict=True):
                    # Body cells are set at the top of their row, header cells at the bottom.
                    at = line_number if number else line_number - (height - len(lines))
                    if 0 <= at < len(lines):
                        yield from lines[at]
                    else:
                        yield Segment(" " * width, style)
                yield new_line


def _shaped(table: Table) -> bool:
    """``_plain_shape``, False for a rich whose tables lack what it looks at (rich's own printing)."""
    try:
        return _plain_shape(table)
    except AttributeError:
        return False


def _plain_shape(table: Table) -> bool:
    """A table whose rows ``WrappedRows`` prints: no box, title or footer, the default padding
    not at the edges, no row styles, columns that justify left and align to the top."""
    return (
        table.box is None
        and table.show_header
        and not table.show_footer
        and not table.show_lines
        and not table.leading
        and table.padding == (0, 1, 0, 1)
        and not table.pad_edge
        and not table.collapse_padding
        and table.title is None
        and table.caption is None
        and table.width is None
        and not table.row_styles
        and table.style in (None, "", "none")
        and all(row.style is None and not row.end_section for row in table.rows)
        and all(
            column.justify == "left"
            and column.vertical == "top"
            and not column.style
            and not getattr(column, "highlight", False)
            and isinstance(column.header, (str, Text))
            for column in table.columns
        )
        and len(table.columns) > 0
    )


def _rich_widths(table: Table, console: Console, options: ConsoleOptions) -> list[int] | None:
    """The widths rich gives the columns (its own calculation), or None if this rich has none."""
    calculate = getattr(table, "_calculate_column_widths", None)
    if calculate is None:
        return None
    try:
        widths = calculate(console, options.update_width(options.max_width))
    except (TypeError, AttributeError):
        return None
    if not isinstance(widths, list) or len(widths) != len(table.columns):
        return None
    return widths


_COLUMNS: dict[str, bool] = {}


def _one_column(character: str) -> bool:
    """Whether rich gives ``character`` one column (remembered: a report draws the same blocks
    and bars on every line)."""
    known = _COLUMNS.get(character)
    if known is None:
        known = _COLUMNS[character] = cell_len(character) == 1
    return known


def _fitting_cell(
    console: Console, cell: Text, width: int, left: int, right: int, plain: bool
) -> list[list[Segment]] | None:
    """The lines rich prints for ``cell`` in a column ``width`` wide with ``left`` and ``right``
    columns of padding, when every line of it fits; None for a cell rich must wrap or measure."""
    text = cell.plain
    if (
        width < 1
        or "\t" in text
        or cell.end != "\n"
        or cell.justify not in (None, "left")
        or not all(
            len(line) <= width and line.isprintable() and (line.isascii() or all(map(_one_column, line)))
            for line in text.split("\n")
        )
    ):
        return None
    pad_left = Segment(" " * left, _NO_STYLE) if left else None
    pad_right = Segment(" " * right, _NO_STYLE) if right else None
    if plain:  # no style is printed: the text of each line, padded
        segments_of = [[Segment(line.ljust(width))] for line in text.split("\n")]
    elif "\n" not in text:
        # One line: what Text.wrap and Text.__rich_console__ make of it, built directly (its text
        # padded, its style a span over the whole of it, before its own spans).
        spans = [Span(0, width, cell.style), *cell.spans] if cell.style else list(cell.spans)
        padded = Text(text + " " * (width - len(text)), spans=spans)
        segments_of = list(
            Segment.split_and_crop_lines(padded.render(console, end=cell.end), width, pad=True, include_new_lines=False)
        )
    else:  # as Text.wrap pads each line that fits, then as Text.__rich_console__ joins and renders
        pieces = cell.split("\n", allow_blank=True)
        for piece in pieces:
            piece.truncate(width, overflow=cell.overflow or "fold", pad=True)
        joined = Text("\n").join(pieces)
        segments_of = list(
            Segment.split_and_crop_lines(joined.render(console, end=cell.end), width, pad=True, include_new_lines=False)
        )
    lines = []
    for segments in segments_of:
        line = [pad_left, *segments] if pad_left is not None else list(segments)
        if pad_right is not None:
            line.append(pad_right)
        lines.append(line)
    return lines
