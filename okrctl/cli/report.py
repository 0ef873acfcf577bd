"""``okrctl report``: the monthly leadership roll-up of a unit's strategic OKRs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption

if TYPE_CHECKING:
    from okrctl.views.changes import TargetChange

REPORT_FORMATS = "text, markdown, html, json"


@app.command()
def report(
    repo: RepoOption = None,
    today: TodayOption = None,
    unit: Annotated[
        Optional[str],
        typer.Option("--unit", "-u", help="Unit to report on (default: the root unit).", show_default=False),
    ] = None,
    cycle: Annotated[
        Optional[str],
        typer.Option("--cycle", help="Cycle id (default: the cycles containing today).", show_default=False),
    ] = None,
    month: Annotated[
        Optional[str],
        typer.Option("--month", help="Month YYYY-MM (default: the month of --today).", show_default=False),
    ] = None,
    format: Annotated[str, typer.Option("--format", "-f", help=f"Output format: {REPORT_FORMATS}.")] = "text",
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip the moved targets (read from git history).")
    ] = False,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Monthly roll-up for leadership: a unit's strategic OKRs and the team OKRs that feed them."""
    from okrctl.cli.common import color_enabled, emit, open_repo, resolve_today, terminal_width
    from okrctl.errors import UsageError
    from okrctl.render.report import FORMATS, renderer
    from okrctl.views.report import build_report

    if format not in FORMATS:
        raise UsageError(f"--format: '{format}' is not one of {', '.join(FORMATS)}")
    day = resolve_today(today)
    repository = open_repo(repo)

    def moved(start: date, end: date) -> list[TargetChange]:
        from okrctl.views.history import moved_targets

        # Only what moved after its cycle had started: changes made while planning are not news.
        return [c for c in moved_targets(repository, start, end) if c.cycle_started]

    view = build_report(
        repository,
        today=day,
        unit=unit,
        cycle=cycle,
        month=month,
        moved_targets=() if no_history else moved,
        with_map=format == "html",
    )
    text = renderer(format)(view, color=color_enabled(no_color, output), width=terminal_width())
    emit(text, output)
