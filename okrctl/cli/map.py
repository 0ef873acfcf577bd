"""``okrctl map``: the alignment map, strategy priorities → strategic OKRs → team OKRs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from datetime import date

    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import (
    CycleOption,
    NoColorOption,
    OutputOption,
    RepoOption,
    TodayOption,
    UnitOption,
    format_option,
)
from okrctl.render.formats import formats


@app.command(name="map")
def map_(
    ctx: typer.Context,
    repo: RepoOption = None,
    today: TodayOption = None,
    unit: UnitOption = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option(*formats("map"))] = "text",
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The alignment map as a tree, or as Mermaid / Graphviz DOT for documentation."""
    from okrctl.cli.show import show
    from okrctl.views.map import build_map

    def build(repository: Repo, day: date) -> object:
        return build_map(repository, today=day, unit=unit, cycle=cycle)

    def needs(repository: Repo, day: date) -> Scope:
        from okrctl.views.scope import checkins_of_cycles, cycles_for

        return checkins_of_cycles(cycles_for(repository, day, cycle))

    def too_long(text: str) -> str:
        if format != "mermaid":
            return ""
        import re

        # Mermaid measures a JavaScript string: a character past U+FFFF (an emoji) counts twice.
        length = len(text.encode("utf-16-le")) // 2
        links = len(re.findall(r"^  [A-Za-z]\w* (?:-->|==>|-\.->)", text, flags=re.MULTILINE))
        past = []
        if length > MERMAID_MAX_TEXT:
            past.append(
                f"is {length:,} characters, past the {MERMAID_MAX_TEXT:,} Mermaid draws by default (maxTextSize)"
            )
        if links > MERMAID_MAX_EDGES:
            past.append(f"has {links:,} links, past the {MERMAID_MAX_EDGES:,} Mermaid draws by default (maxEdges)")
        if not past:
            return ""
        return f"okrctl: note: the Mermaid map {', and '.join(past)}: draw part of it with --unit, or use --format dot"

    show(ctx, build, format, output, scope=needs, note=too_long)


# Mermaid refuses a diagram longer than this unless its page raises ``maxTextSize`` (GitHub does not):
# ``MAX_TEXTLENGTH = 5e4`` in mermaid.core, a JavaScript string's length.
MERMAID_MAX_TEXT = 50_000
# Nor one with more links than its flowchart's ``maxEdges`` (500 by default: "Edge limit exceeded").
MERMAID_MAX_EDGES = 500
