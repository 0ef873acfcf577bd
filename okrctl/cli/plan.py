"""``okrctl plan``: the planning-workshop pre-read of a team; ``--write`` scaffolds its draft objective."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption, format_option
from okrctl.cli.team import TeamOption
from okrctl.render.formats import formats


@app.command()
def plan(
    ctx: typer.Context,
    team: TeamOption = None,
    cycle: Annotated[
        Optional[str],
        typer.Option(
            "--cycle", metavar="CYCLE", help="Cycle to plan (default: the one after today's).", show_default=False
        ),
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Scaffold okrs/<cycle>/<team>.yaml (never overwrites).")
    ] = False,
    format: Annotated[str, format_option(*formats("plan"))] = "text",
    repo: RepoOption = None,
    today: TodayOption = None,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Planning pre-read: strategy, the parent's OKRs, peers' drafts, dependencies on the team, questions."""
    from okrctl.cli.common import check_choice, open_repo, refuse_repository_file, resolve_today
    from okrctl.cli.show import present
    from okrctl.cli.team import resolve_team

    check_choice("--format", format, formats("plan"))
    refuse_repository_file(output, repo)
    day = resolve_today(today)
    repository = open_repo(repo, quiet=format == "json")  # (no progress beside JSON)
    team_id = resolve_team(repository, team)

    from okrctl.views.plan import default_plan_cycle, plan_view
    from okrctl.views.scope import known_cycle

    if cycle is not None:
        chosen = known_cycle(repository, cycle, hint="use YYYY, YYYY-Qn, YYYY-Hn or a declared cycle")
        reason = "as asked"
    else:
        chosen, reason = default_plan_cycle(repository, day, team_id)
    view = plan_view(repository, team_id, chosen, reason, day)

    from okrctl.scaffold.objective import note_what_stands_at_the_draft

    note_what_stands_at_the_draft(repository, view)
    if not write:
        present(ctx, view, format, output, repository)
        return
    from okrctl.cli.common import check_output, saying_what_was_done
    from okrctl.scaffold.objective import refuse_a_second_draft

    check_output(output)
    refuse_a_second_draft(view)
    from okrctl.scaffold.common import schema_line_kept, tell_what_was_written, write_new
    from okrctl.scaffold.objective import draft_objective, draft_path

    done: list[str] = []
    try:
        with saying_what_was_done("the draft objective is written") as done:
            rel = draft_path(view)
            from okrctl.load.pipeline import refuse_excluded

            refuse_excluded(repository.root, rel, "the draft objective")
            text = schema_line_kept(repository.root, draft_objective(repository, view))
            write_new(repository.root, rel, text, done=done)  # (says "wrote REL" in done)
            view.scaffolded = rel
            present(ctx, view, format, output, repository)
    except KeyboardInterrupt as stopped:
        # Stopped once the draft is written (an --output waiting for its reader): the line says so.
        tell_what_was_written(stopped, "the draft objective is written", done)
        raise
