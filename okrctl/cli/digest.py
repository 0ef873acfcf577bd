"""``okrctl digest``: what a scheduled job posts to chat before and after the Friday check-in."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

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


@app.command()
def digest(
    ctx: typer.Context,
    unit: UnitOption = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option(*formats("digest"))] = "text",
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip the moved targets (read from git history).")
    ] = False,
    output: OutputOption = None,
    repo: RepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Teams due or stale (with members to mention), drops, new off-track, moved targets, dependencies at risk."""
    from okrctl.cli.show import show
    from okrctl.views.digest import build_digest
    from okrctl.views.scope import cycles_for, resolve_unit

    def build(repository: Repo, day: date) -> object:
        def moved(start: date, end: date) -> list[TargetChange]:
            from okrctl.analysis.history import moved_targets

            # Only what moved after its cycle had started: changes made while planning are not news.
            return [c for c in moved_targets(repository, start, end) if c.cycle_started]

        chosen = resolve_unit(repository, unit)
        return build_digest(repository, chosen, day, cycles_for(repository, day, cycle), None if no_history else moved)

    show(ctx, build, format, output, reads_history=not no_history)
