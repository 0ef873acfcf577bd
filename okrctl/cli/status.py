"""``okrctl status``: where each objective stands — progress vs expected, status, confidence, forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from okrctl.load.repo import Repo

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
    from okrctl.errors import UsageError
    from okrctl.views.status import cycles_for, status_view

    check_choice("--format", format, STATUS_FORMATS)
    day = resolve_today(today)
    color, width = color_enabled(no_color), terminal_width()

    def compute(repository: Repo) -> tuple[str, int]:
        if cycle is not None and repository.cycle(cycle) is None:
            raise UsageError(f"--cycle: unknown cycle '{cycle}'")
        if team is not None:
            check_unit(repository, team, "--team")
        view = status_view(repository, day, cycles_for(repository, day, cycle), team)
        if format == "json":
            return json.dumps(view.to_dict(), indent=2, ensure_ascii=False), 0
        from okrctl.render.status import render

        return render(view, color=color, width=width), 0

    text, _ = run_read_only(repo, ["status", day, team, cycle, format, color, width], compute)
    emit(text, None)


def check_unit(repository: object, unit: str, option: str) -> None:
    """An unknown unit id is a usage error that lists the units (and never reaches a path)."""
    from okrctl.errors import UsageError
    from okrctl.load.documents import did_you_mean

    units = sorted(repository.units)  # type: ignore[attr-defined]
    if unit not in units:
        hint = did_you_mean(unit, units)
        raise UsageError(f"{option}: unknown unit '{unit}'{'; ' + hint if hint else ''} (units: {', '.join(units)})")
