"""``okrctl map``: the alignment map, strategy priorities → strategic OKRs → team OKRs."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption

MAP_FORMATS = "text, mermaid, dot, json"


@app.command(name="map")
def map_(
    repo: RepoOption = None,
    today: TodayOption = None,
    unit: Annotated[
        Optional[str],
        typer.Option("--unit", "-u", help="Unit whose map to draw (default: the root unit).", show_default=False),
    ] = None,
    cycle: Annotated[
        Optional[str],
        typer.Option("--cycle", help="Cycle id (default: the cycles containing today).", show_default=False),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {MAP_FORMATS}.")] = "text",
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The alignment map as a tree, or as Mermaid / Graphviz DOT for documentation."""
    from okrctl.cli.common import color_enabled, emit, open_repo, resolve_today, terminal_width
    from okrctl.errors import UsageError
    from okrctl.render.map import FORMATS, renderer
    from okrctl.views.map import build_map

    if format not in FORMATS:
        raise UsageError(f"--format: '{format}' is not one of {', '.join(FORMATS)}")
    day = resolve_today(today)
    view = build_map(open_repo(repo), today=day, unit=unit, cycle=cycle)
    text = renderer(format)(view, color=color_enabled(no_color, output), width=terminal_width())
    emit(text, output)
