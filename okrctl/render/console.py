"""The rich console every terminal renderer writes into: text from files is never read as markup."""

from __future__ import annotations

from io import StringIO
from typing import Any

from rich.console import Console
from rich.text import Text


class _Console(Console):
    """A console on which an indented line too long for the width wraps under itself, two columns
    further in, instead of going on at the left edge, where it would read as a line of its own (a
    narrow terminal: ``COLUMNS=40``). Lines that fit print as they always did."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        if len(objects) == 1 and isinstance(objects[0], Text) and not kwargs.get("no_wrap"):
            objects = (self._hanging(objects[0]),)
        super().print(*objects, **kwargs)

    def _hanging(self, text: Text) -> Text:
        plain = text.plain
        indent = len(plain) - len(plain.lstrip(" "))
        room = self.width - indent - HANG
        if not indent or "\n" in plain or text.cell_len <= self.width or room < self.width // 2:
            return text
        body = text[indent:]
        first = body.wrap(self, self.width - indent)[0]  # the first line takes the whole width
        start = len(first.plain.rstrip(" "))
        while start < len(body.plain) and body.plain[start] == " ":
            start += 1
        out = Text(" " * indent, style=text.style, end=text.end)
        out.append_text(first)
        for line in body[start:].wrap(self, room) if start < len(body.plain) else ():
            out.append("\n" + " " * (indent + HANG))
            out.append_text(line)
        return out


HANG = 2  # how much further in the rest of a wrapped indented line goes


def text_console(buffer: StringIO, color: bool, width: int, *, truecolor: bool = False) -> Console:
    """A console that renders into ``buffer``: plain without ``color``, no markup, no emoji.

    ``truecolor`` asks for the status colours as drawn, unless the terminal says it has no colours
    (``TERM=dumb``, which rich's "auto" honours and a forced colour system would not)."""
    import os

    exact = truecolor and os.environ.get("TERM") != "dumb"
    return _Console(
        file=buffer,
        force_terminal=color,
        no_color=not color,
        color_system="truecolor" if color and exact else ("auto" if color else None),
        width=width,
        # With a height as well, rich keeps the width okrctl laid the text out for: given a width
        # alone, it renders at 80 columns wherever TERM says "dumb" or "unknown" (Emacs' shell),
        # squeezing tables already fitted to the terminal and cutting their numbers.
        height=25,
        highlight=False,
        emoji=False,
        markup=False,
    )
