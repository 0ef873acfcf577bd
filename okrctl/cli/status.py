"""``okrctl status``: where each objective stands — progress vs expected, status, confidence, forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import CycleOption, NoColorOption, RepoOption, TodayOption, format_option

STATUS_FORMATS = ("text", "json")


@app.command()
def status(
    team: Annotated[
        Optional[str],
        typer.Option(
            "--team",
            "-t",
            metavar="UNIT",
            help="One unit in detail (default: an overview of every objective).",
            show_default=False,
        ),
    ] = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option(*STATUS_FORMATS)] = "text",
    repo: RepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Where each objective stands: KR progress vs expected, status, forecast, confidence, last check-in."""
    import json

    from okrctl.cli.common import check_choice, color_enabled, emit, resolve_today, run_read_only, terminal_width
    from okrctl.views.scope import checkins_of_cycles, cycles_for, known_unit
    from okrctl.views.status import status_view

    check_choice("--format", format, STATUS_FORMATS)
    day = resolve_today(today)
    color, width = color_enabled(no_color), terminal_width()

    def compute(repository: Repo) -> tuple[str, int]:
        cycles = cycles_for(repository, day, cycle)
        if team is not None:
            known_unit(repository, team, "--team")
        view = status_view(repository, day, cycles, team)
        if format == "json":
            return json.dumps(view.to_dict(), indent=2, ensure_ascii=False), 0
        from okrctl.render.status import render

        return render(view, color=color, width=width), 0

    def needs(repository: Repo) -> Scope:
        return checkins_of_cycles(cycles_for(repository, day, cycle), owners={team} if team else None)

    text, _ = run_read_only(repo, ["status", day, team, cycle, format, color, width], compute, scope=needs)
    emit(text, None)
