"""A pre-read as sections of lines, rendered as terminal text or Markdown.

``plan`` and ``retro`` build an ``Outline`` (data) and pick a renderer here. Text from the
repository goes in as plain strings: the text renderer strips terminal escapes and never reads
rich markup; the Markdown renderer escapes every character Markdown would interpret.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import StringIO

from okrctl.render.escape import md_text, rule_like
from okrctl.safetext import one_line, one_written_line


@dataclass
class Line:
    text: str
    level: int = 0  # indentation depth under the section
    style: str = ""  # rich style on a terminal (ignored in Markdown)
    bullet: bool = True


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)
    note: str | None = None  # a line in italics under the title (e.g. "none yet")
    numbered: bool = False

    def add(self, text: str, level: int = 0, style: str = "", *, bullet: bool = True) -> None:
        self.lines.append(Line(text, level, style, bullet))


@dataclass
class Outline:
    title: str
    facts: list[str] = field(default_factory=list)  # "label: value" lines under the title
    sections: list[Section] = field(default_factory=list)
    footer: list[str] = field(default_factory=list)

    def section(self, title: str, note: str | None = None, *, numbered: bool = False) -> Section:
        found = Section(title, note=note, numbered=numbered)
        self.sections.append(found)
        return found


def render_text(outline: Outline, *, color: bool = False, width: int = 100) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    buffer = StringIO()
    # (with a height, rich keeps the width under TERM=dumb: ``render.console.text_console``)
    console = Console(
        file=buffer, force_terminal=color, no_color=not color, width=width, height=25, highlight=False, emoji=False
    )

    def hanging(prefix: str, text: Text) -> None:
        # Wrapped lines stay under the text, not under the bullet.
        grid = Table.grid(padding=0)
        grid.add_column(width=len(prefix), no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(prefix, text)
        console.print(grid)

    console.print(Text(one_line(outline.title), style="bold"))
    for fact in outline.facts:
        console.print(Text(one_line(fact), style="dim"))
    for section in outline.sections:
        console.print()
        console.print(Text(one_line(section.title), style="bold underline"))
        if section.note:
            hanging("  ", Text(one_line(section.note), style="dim italic"))
        number = 0
        for line in section.lines:
            indent = "  " * (line.level + 1)
            if section.numbered and line.level == 0:
                number += 1
                marker = f"{number}. "
            else:
                marker = "• " if line.bullet else ""
            hanging(indent + marker, Text(one_line(line.text), style=line.style))
    if outline.footer:
        console.print()
        for footer in outline.footer:
            console.print(Text(one_line(footer)))
    # Table cells pad wrapped lines to the full width: no trailing blanks in what people copy.
    return "\n".join(row.rstrip() for row in buffer.getvalue().splitlines()) + "\n"


def md(text: str) -> str:
    """Repository text made literal in Markdown (and in the HTML a wiki renders from it)."""
    # Joiners, pipes and web addresses kept and no "@" a mention, as in ``render.escape.md`` (no table here).
    value = md_text(one_written_line(text))
    if value and rule_like(value):  # a table's delimiter row, or a heading's underline
        return re.sub(r"([|:=-])", r"\\\1", value)
    # A leading "-", "1." or ">" would start a list or a quote.
    value = re.sub(r"^(\d+)\.(?=\s|$)", r"\1\\.", value)
    # At the start of a line these would open a list, heading, quote or rule; "::" would be a GitHub
    # workflow command where the Markdown is printed in a CI log (``safetext.inert``).
    return "\\" + value if value.startswith(("-", "=", "::")) else value  # "#" and "+" are escaped already


def render_markdown(outline: Outline) -> str:
    out = [f"# {md(outline.title)}", ""]
    for fact in outline.facts:
        out.append(f"- {md(fact)}")
    if outline.facts:
        out.append("")
    for section in outline.sections:
        out += [f"## {md(section.title)}", ""]
        if section.note:
            out += [f"*{md(section.note)}*", ""]
        number = 0
        listed = False  # the last line written is a list item
        for line in section.lines:
            indent = "  " * line.level if not section.numbered else "   " * line.level
            if section.numbered and line.level == 0:
                number += 1
                marker = f"{number}. "
            else:
                marker = "- " if line.bullet else ""
            if not marker and line.level == 0:
                # Right under a list item a line continues it (a lazy continuation line): a blank
                # line first makes it a paragraph of its own.
                out += ["", md(line.text) + "  "] if listed else [md(line.text) + "  "]
                listed = False
            else:
                out.append(f"{indent}{marker or '- '}{md(line.text)}")
                listed = True
        out.append("")
    for footer in outline.footer:
        out.append(md(footer) + "  ")
    return "\n".join(out).rstrip("\n") + "\n"
