"""``okrctl digest``: what a scheduled job posts to chat before and after the Friday check-in."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from okrctl.cli.app import app
from okrctl.cli.common import CycleOption, OutputOption, RepoOption, TodayOption, UnitOption, format_option

if TYPE_CHECKING:
    from okrctl.analysis.changes import TargetChange
    from okrctl.load.index import Repo

DIGEST_FORMATS = ("text", "markdown", "slack", "json")


@app.command()
def digest(
    unit: UnitOption = None,
    cycle: CycleOption = None,
    format: Annotated[str, format_option(*DIGEST_FORMATS)] = "text",
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip the moved targets (read from git history).")
    ] = False,
    output: OutputOption = None,
    repo: RepoOption = None,
    today: TodayOption = None,
) -> None:
    """Teams due or stale (with members to mention), drops, new off-track, moved targets, dependencies at risk."""
    from okrctl.cli.common import check_choice, emit, resolve_today, run_read_only

    check_choice("--format", format, DIGEST_FORMATS)
    day = resolve_today(today)

    def compute(repository: Repo) -> tuple[str, int]:
        from okrctl.views.digest import build_digest
        from okrctl.views.scope import cycles_for, resolve_unit

        chosen = resolve_unit(repository, unit)
        cycles = cycles_for(repository, day, cycle)

        def moved(start: date, end: date) -> list[TargetChange]:
            from okrctl.analysis.history import moved_targets

            return moved_targets(repository, start, end)

        view = build_digest(repository, chosen, day, cycles, None if no_history else moved)
        if format == "json":
            import json

            from okrctl import __version__

            body = {"okrctl": __version__, "today": day.isoformat(), **view.to_dict()}
            return json.dumps(body, indent=2, ensure_ascii=False), 0
        if format == "markdown":
            from okrctl.render.digest.markdown import render
        elif format == "slack":
            from okrctl.render.digest.slack import render
        else:
            from okrctl.render.digest.text import render
        return render(view), 0

    inputs: list[object] = ["digest", day, unit, cycle, format, no_history]
    text, _ = run_read_only(repo, inputs, compute, reads_history=not no_history)
    emit(text, output)
