"""Tables that fit the terminal: fixed columns keep their width, named columns give way (with …)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text


def fitted_table(
    headers: list[str],
    rows: list[list[Text]],
    width: int,
    *,
    flexible: dict[int, tuple[int, int]],
    right: set[int] | frozenset[int] = frozenset(),
    gap: int = 2,
    droppable: tuple[int, ...] = (),
) -> Table:
    """A borderless table no wider than ``width``.

    ``flexible`` maps a column index to its (min, max) width; those columns shrink, in order,
    when the others leave too little room, and their cells end in ``…`` when cut. If that is not
    enough, the ``droppable`` columns are left out whole, in order (a caption names them), so that
    no number is ever cut short. When even that does not fit (a very narrow terminal, or a cell as
    wide as the terminal, such as a number with a long unit), each row becomes a block of
    ``header: value`` lines that wrap: every column is kept and nothing is cut, and a caption says so.
    """
    widths = [max([len(h)] + [row[i].cell_len for row in rows]) for i, h in enumerate(headers)]
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
        return _stacked(headers, rows, width)
    kept = [i for i in range(len(headers)) if i not in dropped]
    caption = None
    if dropped:
        names = ", ".join(headers[i].strip() for i in sorted(dropped))
        caption = Text(f"(narrow terminal: {names} left out; widen it or use --format json)", style="dim")
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
        for index in flexible:
            row[index].truncate(widths[index], overflow="ellipsis")
        table.add_row(*(row[i] for i in kept))
    return table


def _stacked(headers: list[str], rows: list[list[Text]], width: int) -> Table:
    """One block per row: its first cell, then each other cell under its header, wrapped, not cut."""
    caption = Text("(narrow terminal: one block per row; widen it or use --format json)", style="dim")
    table = Table.grid(padding=0)
    table.caption = caption
    table.caption_justify = "left"
    table.add_column(overflow="fold", max_width=max(width, 1))
    for row in rows:
        block = Text()
        block.append_text(row[0])
        for header, cell in zip(headers[1:], row[1:], strict=True):
            block.append(f"\n    {header.strip()}: ", style="dim")
            block.append_text(cell)
        table.add_row(block)
    return table
