"""``okrctl plan``: the planning-workshop pre-read of a team; ``--write`` scaffolds its draft objective."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import OUTLINE_FORMATS, NoColorOption, OutputOption, RepoOption, TodayOption, format_option
from okrctl.cli.team import TeamOption


@app.command()
def plan(
    team: TeamOption = None,
    cycle: Annotated[
        Optional[str],
        typer.Option("--cycle", help="Cycle to plan (default: the one after today's).", show_default=False),
    ] = None,
    write: Annotated[
        bool, typer.Option("--write", help="Scaffold okrs/<cycle>/<team>.yaml (never overwrites).")
    ] = False,
    format: Annotated[str, format_option(*OUTLINE_FORMATS)] = "text",
    repo: RepoOption = None,
    today: TodayOption = None,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Planning pre-read: strategy, the parent's OKRs, peers' drafts, dependencies on the team, questions."""
    from okrctl.cli.common import check_choice, emit_json, emit_outline, open_repo, resolve_today
    from okrctl.cli.team import resolve_team

    check_choice("--format", format, OUTLINE_FORMATS)
    day = resolve_today(today)
    repository = open_repo(repo)
    team_id = resolve_team(repository, team)

    from okrctl.views.plan import default_plan_cycle, plan_view
    from okrctl.views.scope import known_cycle

    if cycle:
        chosen = known_cycle(repository, cycle, hint="use YYYY, YYYY-Qn, YYYY-Hn or a declared cycle")
        reason = "as asked"
    else:
        chosen, reason = default_plan_cycle(repository, day)
    view = plan_view(repository, team_id, chosen, reason, day)

    written = None
    if write:
        from okrctl.scaffold.common import write_new
        from okrctl.scaffold.objective import draft_objective, draft_path

        rel = draft_path(view)
        write_new(repository.root, rel, draft_objective(repository, view))
        written = rel

    if format == "json":
        from okrctl.views.plan import to_dict

        emit_json({**to_dict(view), "written": written}, day, output)
        return
    from okrctl.render.plan import outline

    doc = outline(view)
    if written:
        doc.footer.append(f"Wrote {written}: a draft objective to fill in with the team (run 'okrctl align' after).")
    else:
        doc.footer.append(
            f"Scaffold the draft: okrctl plan --team {team_id} --cycle {view.cycle.id} --write"
            f" (creates okrs/{view.cycle.id}/{team_id}.yaml)"
        )
    emit_outline(doc, format, output, no_color)
