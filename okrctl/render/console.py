"""The rich console every terminal renderer writes into: text from files is never read as markup."""

from __future__ import annotations

from io import StringIO

from rich.console import Console


def text_console(buffer: StringIO, color: bool, width: int, *, truecolor: bool = False) -> Console:
    """A console that renders into ``buffer``: plain without ``color``, no markup, no emoji."""
    return Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="truecolor" if color and truecolor else ("auto" if color else None),
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
    )
