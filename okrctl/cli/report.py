"""``okrctl report``: the monthly leadership roll-up of a unit's strategic OKRs."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Optional

import typer

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

if TYPE_CHECKING:
    from okrctl.analysis.changes import TargetChange
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope


@app.command()
def report(
    ctx: typer.Context,
    repo: RepoOption = None,
    today: TodayOption = None,
    unit: UnitOption = None,
    cycle: CycleOption = None,
    month: Annotated[
        Optional[str],
        typer.Option(
            "--month", metavar="YYYY-MM", help="Month YYYY-MM (default: the month of --today).", show_default=False
        ),
    ] = None,
    format: Annotated[str, format_option(*formats("report"))] = "text",
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip the moved targets (read from git history).")
    ] = False,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Monthly roll-up for leadership: a unit's strategic OKRs and the team OKRs that feed them."""
    from okrctl.cli.show import show
    from okrctl.views.report import build_report

    def build(repository: Repo, day: date) -> object:
        def moved(start: date, end: date) -> list[TargetChange]:
            from okrctl.analysis.history import moved_targets

            # Only what moved after its cycle had started: changes made while planning are not news.
            return [c for c in moved_targets(repository, start, end) if c.cycle_started]

        return build_report(
            repository,
            today=day,
            unit=unit,
            cycle=cycle,
            month=month,
            moved_targets=None if no_history else moved,
            with_map=format == "html",
        )

    def needs(repository: Repo, day: date) -> Scope:
        from okrctl.views.report import report_scope

        return report_scope(repository, today=day, unit=unit, cycle=cycle, month=month)

    show(ctx, build, format, output, reads_history=not no_history, scope=needs)
