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
        from okrctl.views.map import map_scope

        return map_scope(repository, today=day, unit=unit, cycle=cycle)

    def too_long(text: str) -> str:
        from okrctl.render.map.mermaid import past_what_mermaid_draws

        return past_what_mermaid_draws(text) if format == "mermaid" else ""

    show(ctx, build, format, output, scope=needs, note=too_long)
