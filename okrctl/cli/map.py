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
        if format != "mermaid" or len(text) <= MERMAID_MAX_TEXT:
            return ""
        return (
            f"okrctl: note: the Mermaid map is {len(text):,} characters, past the {MERMAID_MAX_TEXT:,} Mermaid draws "
            "by default (maxTextSize): draw part of it with --unit, or use --format dot"
        )

    show(ctx, build, format, output, scope=needs, note=too_long)


# Mermaid refuses a diagram longer than this unless its page raises ``maxTextSize`` (GitHub does not).
MERMAID_MAX_TEXT = 50_000
