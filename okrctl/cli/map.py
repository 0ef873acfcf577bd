"""``okrctl map``: the alignment map, strategy priorities → strategic OKRs → team OKRs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

if TYPE_CHECKING:
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


@app.command(name="map")
def map_(
    repo: RepoOption = None,
    today: TodayOption = None,
    unit: UnitOption = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option("text", "mermaid", "dot", "json")] = "text",
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The alignment map as a tree, or as Mermaid / Graphviz DOT for documentation."""
    from okrctl.cli.common import check_choice, color_enabled, emit, resolve_today, run_read_only, terminal_width
    from okrctl.render.map import FORMATS, renderer
    from okrctl.views.map import build_map

    check_choice("--format", format, FORMATS)
    day = resolve_today(today)
    color, width = color_enabled(no_color, output), terminal_width()

    def compute(repository: Repo) -> tuple[str, int]:
        view = build_map(repository, today=day, unit=unit, cycle=cycle)
        return renderer(format)(view, color=color, width=width), 0

    def needs(repository: Repo) -> Scope:
        from okrctl.views.scope import checkins_of_cycles, cycles_for

        return checkins_of_cycles(cycles_for(repository, day, cycle))

    text, _ = run_read_only(repo, ["map", day, unit, cycle, format, color, width], compute, scope=needs)
    emit(text, output)
