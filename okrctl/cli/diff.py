"""``okrctl diff``: what an OKR change means, in model terms, and whose review it needs."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption, format_option
from okrctl.render.formats import formats


@app.command()
def diff(
    ctx: typer.Context,
    base: Annotated[
        Optional[str],
        typer.Argument(
            help="Base ref, or BASE..HEAD / BASE...HEAD (default: the merge base with origin/HEAD, main or master).",
            show_default=False,
            metavar="BASE",
        ),
    ] = None,
    head: Annotated[
        Optional[str],
        typer.Argument(
            help="Head ref (default: the working tree, uncommitted changes included).",
            show_default=False,
            metavar="HEAD",
        ),
    ] = None,
    format: Annotated[str, format_option(*formats("diff"))] = "text",
    reviewers: Annotated[
        bool, typer.Option("--reviewers", help="Print only the members of the owning and affected units, one a line.")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file again, without okrctl's store.")
    ] = False,
    repo: RepoOption = None,
    today: TodayOption = None,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """What an OKR change means: moved targets and their effect, alignment, dependencies, who must review."""
    from okrctl.cli.common import check_choice, emit, find_repo_root, refuse_repository_file, resolve_today
    from okrctl.cli.entry import keep
    from okrctl.rules import run
    from okrctl.rules.base import default_cycles
    from okrctl.rules.needs import narrowed
    from okrctl.views.diff import build_diff

    check_choice("--format", format, formats("diff"))
    refuse_repository_file(output, repo)
    day = resolve_today(today)
    root = find_repo_root(repo)
    # Rules that read git history (OKR601) describe the checkout, not a side: the diff reports
    # goalpost moves itself, with their cycle and rescoped entries. Each side is loaded whole (the
    # comparison reads every check-in); its rules read the check-ins they need.
    report = build_diff(
        root,
        base,
        head,
        day,
        lambda side: run(
            side, day, history=False, reuse=True, narrow=lambda whole: narrowed(whole, day, default_cycles(whole, day))
        ),
        use_cache=not no_cache,
        hold=keep,
    )
    if reviewers:
        members = report.members()
        if format == "json":
            from okrctl.render.envelope import dumps

            emit(dumps(members, indent=None) + "\n", output, data=True)  # a JSON array of addresses
        else:
            emit("\n".join(members) + ("\n" if members else ""), output, data=True)  # addresses, for a program
        return
    from okrctl.cli.show import present

    present(ctx, report, format, output)
