"""``okrctl retro``: the retrospective pre-read of a team or a unit; ``--write`` scaffolds the retro file."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from okrctl.load.declared import Declared
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import (
    NoColorOption,
    OutputOption,
    RepoOption,
    TodayOption,
    complete_choice,
    complete_unit,
    format_option,
)
from okrctl.cli.team import TeamOption
from okrctl.render.formats import formats

STAGES = ("mid", "end")


@app.command()
def retro(
    ctx: typer.Context,
    team: TeamOption = None,
    unit: Annotated[
        Optional[str],
        typer.Option(
            "--unit",
            "-u",
            metavar="UNIT",
            help="A unit: scores and check-in discipline of every team under it.",
            show_default=False,
            autocompletion=complete_unit,
        ),
    ] = None,
    cycle: Annotated[
        Optional[str],
        typer.Option(
            "--cycle",
            metavar="CYCLE",
            help="Cycle (default: with --stage end, one that ended in the last 45 days; else the team's cycle "
            "containing today; else the latest that started).",
            show_default=False,
        ),
    ] = None,
    stage: Annotated[
        Optional[str],
        typer.Option(
            "--stage",
            metavar="STAGE",
            help="mid or end (default: end from the cycle's last day on).",
            show_default=False,
            autocompletion=complete_choice(*STAGES),
        ),
    ] = None,
    format: Annotated[str, format_option(*formats("retro"))] = "text",
    write: Annotated[
        bool, typer.Option("--write", help="Scaffold retros/<cycle>/<team>-<stage>.yaml (never overwrites).")
    ] = False,
    repo: RepoOption = None,
    today: TodayOption = None,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Retro pre-read: scores or progress, confidence drops, recurring issues, what was written, questions."""
    from okrctl.cli.common import check_choice, open_repo, refuse_repository_file, resolve_today
    from okrctl.cli.show import present
    from okrctl.errors import UsageError

    check_choice("--format", format, formats("retro"))
    refuse_repository_file(output, repo)
    if team is not None and unit is not None:
        if team == os.environ.get("OKRCTL_TEAM"):
            team = None  # the environment's default team gives way to an explicit --unit
        else:
            raise UsageError("--team and --unit: give one (a team's retro, or a unit's overview)")
    if stage is not None:
        check_choice("--stage", stage, STAGES)
    day = resolve_today(today)

    def needs(repository: Repo) -> Scope:
        """The check-ins of the retro's cycle (the same choice as below; an error falls back to all)."""
        from okrctl.views import retro as views
        from okrctl.views.scope import checkins_of_cycles, known_cycle

        if unit is not None:
            owners = repository.scope_units(unit)
        else:
            from okrctl.cli.team import resolve_team

            owners = [resolve_team(repository, team)]
        if cycle is not None:
            chosen = known_cycle(repository, cycle)
        else:
            found = views.default_cycle(repository, owners, day, stage)
            if found is None:
                raise UsageError("no cycle")
            chosen = found[0]
        # A retro reads the check-ins of its own owners only (the team, or the unit and the units
        # below it): every number it shows is theirs.
        return checkins_of_cycles([chosen], owners=set(owners))

    repository = open_repo(repo, scope=needs, quiet=format == "json")  # (no progress beside JSON)

    from okrctl.views import retro as views
    from okrctl.views.scope import known_cycle, known_unit

    if unit is not None:
        if write:
            raise UsageError("--write scaffolds a team's retro: use it with --team, not --unit")
        known_unit(repository, unit, "--unit")
        owners = repository.scope_units(unit)
        subject = unit
    else:
        from okrctl.cli.team import resolve_team

        subject = resolve_team(repository, team)
        owners = [subject]

    def broken() -> list[Declared]:
        """What the objectives with errors declare, those of a file that is not YAML at all too."""
        from okrctl.rules.echo import Echoes

        return Echoes.of(repository).broken.objectives

    if cycle is not None:
        chosen = known_cycle(repository, cycle)
        reason = "as asked"
    else:
        found = views.default_cycle(repository, owners, day, stage, broken)
        if found is None:
            # No cycle to choose (broken objectives' cycles count): one with errors is still named.
            views.refuse_broken_objective(repository, subject, owners, None, broken, day)
            from okrctl.checkin.session import left_out

            raise UsageError(f"{subject} has no objectives in any cycle; pass --cycle" + left_out(repository))
        chosen, reason = found
    views.refuse_broken_objective(repository, subject, owners, chosen, broken, day)
    chosen_stage = stage or views.default_stage(chosen, day)

    if unit is not None:
        present(
            ctx, views.unit_retro(repository, subject, chosen, reason, chosen_stage, day), format, output, repository
        )
        return

    team_view = views.team_retro(repository, subject, chosen, reason, chosen_stage, day)
    if write:
        from okrctl.errors import ContentError
        from okrctl.scaffold.common import schema_line_kept, tell_what_was_written, write_new
        from okrctl.scaffold.retro import refuse_a_second_end_retro, retro_path, retro_text

        if not team_view.objectives:
            # Like checkin and measure: a retro of no objective would be a file about nothing.
            raise ContentError(f"'{subject}' has no objective in {chosen.id}: no retro to write; nothing was written")
        if day < chosen.start:
            # A retro looks back on a cycle under way or over: before it starts there is nothing yet.
            raise ContentError(
                f"{chosen.id} starts on {chosen.start.isoformat()}: a retro is written once its cycle has "
                "started; nothing was written"
            )

        from okrctl.cli.common import check_output, saying_what_was_done

        check_output(output)
        refuse_a_second_end_retro(repository, team_view)

        done: list[str] = []
        try:
            with saying_what_was_done("the retro is written") as done:
                team_view.scaffolded = retro_path(team_view)
                from okrctl.load.pipeline import refuse_excluded

                refuse_excluded(repository.root, team_view.scaffolded, "the retro")
                text = schema_line_kept(repository.root, retro_text(team_view))
                write_new(repository.root, team_view.scaffolded, text, done=done)  # (says "wrote REL" in done)
                present(ctx, team_view, format, output, repository)
        except KeyboardInterrupt as stopped:
            # Stopped once the retro is written (an --output waiting for its reader): the line says so.
            tell_what_was_written(stopped, "the retro is written", done)
            raise
        return
    present(ctx, team_view, format, output, repository)
