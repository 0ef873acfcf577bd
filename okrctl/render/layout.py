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
) -> Table:
    """A borderless table no wider than ``width``.

    ``flexible`` maps a column index to its (min, max) width; those columns shrink, in order,
    when the others leave too little room, and their cells end in ``…`` when cut.
    """
    widths = [max([len(h)] + [row[i].cell_len for row in rows]) for i, h in enumerate(headers)]
    for index, (_, most) in flexible.items():
        widths[index] = min(widths[index], most)
    excess = sum(widths) + gap * (len(headers) - 1) - width
    for index, (least, _) in flexible.items():
        if excess <= 0:
            break
        cut = min(excess, widths[index] - least)
        if cut > 0:
            widths[index] -= cut
            excess -= cut
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", padding=(0, gap, 0, 0))
    for i, header in enumerate(headers):
        table.add_column(
            header, justify="right" if i in right else "left", no_wrap=True, overflow="ellipsis", width=widths[i]
        )
    for row in rows:
        for index in flexible:
            row[index].truncate(widths[index], overflow="ellipsis")
        table.add_row(*row)
    return table
