"""``okrctl status``: where each objective stands — progress vs expected, status, confidence, forecast."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from datetime import date

    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import CycleOption, NoColorOption, RepoOption, TodayOption, complete_unit, format_option
from okrctl.render.formats import formats


@app.command()
def status(
    ctx: typer.Context,
    team: Annotated[
        Optional[str],
        typer.Option(
            "--team",
            "-t",
            metavar="UNIT",
            help="One unit in detail (default: an overview of every objective).",
            show_default=False,
            autocompletion=complete_unit,
        ),
    ] = None,
    # The name report, trends, map and retro give a unit: the same id, shown in detail here. An
    # option of its own, so that a message names the option the user typed.
    unit: Annotated[
        Optional[str],
        typer.Option(
            "--unit", "-u", metavar="UNIT", help="The same as --team.", show_default=False, autocompletion=complete_unit
        ),
    ] = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option(*formats("status"))] = "text",
    repo: RepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Where each objective stands: KR progress vs expected, status, forecast, confidence, last check-in."""
    from okrctl.cli.show import show
    from okrctl.views.scope import cycles_for, known_unit
    from okrctl.views.status import status_scope, status_view

    option = "--unit" if unit is not None else "--team"
    if unit is not None and team is not None and unit != team:
        from okrctl.errors import UsageError

        raise UsageError(f"--team '{team}' and --unit '{unit}' name one unit each; give one")
    team = unit if unit is not None else team

    def build(repository: Repo, day: date) -> object:
        cycles = cycles_for(repository, day, cycle)
        if team is not None:
            known_unit(repository, team, option)
        return status_view(repository, day, cycles, team)

    def needs(repository: Repo, day: date) -> Scope:
        from okrctl.load.pipeline import Scope

        cycles = cycles_for(repository, day, cycle)
        if team is None:
            return status_scope(day, cycles)
        # The team and the units it depends on or that depend on it (their objectives may run in
        # other cycles: every check-in of these units).
        from okrctl.analysis.fleet import fleet_units

        return Scope(owners=frozenset(fleet_units(repository, team, day, {c.id for c in cycles})))

    show(ctx, build, format, None, scope=needs)
