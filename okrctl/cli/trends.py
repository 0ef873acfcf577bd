"""``okrctl trends``: weekly confidence and progress of every team under a unit, attention first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from datetime import date

    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import CycleOption, NoColorOption, RepoOption, TodayOption, UnitOption, format_option
from okrctl.render.formats import formats


@app.command()
def trends(
    ctx: typer.Context,
    unit: UnitOption = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option(*formats("trends"))] = "text",
    repo: RepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Confidence and progress trends of every team under a unit: weekly series, slope, last change, drops."""
    from okrctl.cli.show import show
    from okrctl.views.scope import checkins_of_cycles, cycles_for, resolve_unit
    from okrctl.views.trends import trends_view

    def build(repository: Repo, day: date) -> object:
        cycles = cycles_for(repository, day, cycle)
        # No unit at all: the same usage error (exit 2) as report, digest, map and site.
        return trends_view(repository, day, resolve_unit(repository, unit), cycles)

    def needs(repository: Repo, day: date) -> Scope:
        return checkins_of_cycles(cycles_for(repository, day, cycle))

    show(ctx, build, format, None, scope=needs)
