"""``okrctl align``: validate every file and run the rules; exit 1 on errors (warnings with --strict)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from datetime import date

    from okrctl.findings import FindingsReport
    from okrctl.load.index import Repo

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption
from okrctl.render.formats import formats

ALIGN_FORMATS = ", ".join(formats("align"))
# Formats read by CI systems, whose paths start at the top of the git checkout.
CI_FORMATS = ("github", "sarif", "junit", "gitlab")


@app.command()
def align(
    ctx: typer.Context,
    repo: RepoOption = None,
    today: TodayOption = None,
    cycle: Annotated[
        Optional[str],
        typer.Option(
            "--cycle", help="Cycle id, or 'all' (default: cycles not ended before today).", show_default=False
        ),
    ] = None,
    format: Annotated[
        Optional[str], typer.Option("--format", "-f", help=f"Output format: {ALIGN_FORMATS}.", show_default=False)
    ] = None,
    select: Annotated[
        Optional[str],
        typer.Option(
            "--select", help="Only these codes or prefixes, comma-separated (e.g. OKR1,OKR201).", show_default=False
        ),
    ] = None,
    ignore: Annotated[
        Optional[str],
        typer.Option("--ignore", help="Skip these codes or prefixes, comma-separated.", show_default=False),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip the rules that read git history (OKR601).")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file again, without okrctl's store.")
    ] = False,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Validate every file and check alignment, focus, dependencies and cadence (like a linter)."""
    from okrctl import __version__
    from okrctl.cli.common import check_choice, progress_line
    from okrctl.cli.show import show
    from okrctl.findings import FindingsReport
    from okrctl.rules import Selection, run
    from okrctl.views.scope import known_cycle

    chosen_format = format or _default_format(output)
    check_choice("--format", chosen_format, formats("align"))  # before the codes, as always
    selection = Selection(_codes(select, "--select"), _codes(ignore, "--ignore"))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if chosen_format == "github" else None
    reports: list[FindingsReport] = []

    def build(repository: Repo, day: date) -> FindingsReport:
        cycles: set[str] | str | None = "default"
        if cycle == "all":
            cycles = None
        elif cycle:
            known_cycle(repository, cycle)
            cycles = {cycle}
        tick = progress_line(quiet=chosen_format == "json")
        if tick is not None:
            tick("running rules", 0, 1)
        findings = run(repository, day, cycles=cycles, selection=selection, history=not no_history)
        if tick is not None:
            tick("running rules", 1, 1)
        report = FindingsReport(
            __version__, day.isoformat(), repository.files, len(repository.docs), findings, repository.other_files
        )
        if chosen_format in CI_FORMATS:
            from okrctl.render.findings.ci import workspace_prefix

            report.path_prefix = workspace_prefix(repository.root)
        reports.append(report)
        return report

    def exit_code(report: FindingsReport) -> int:
        counts = report.counts()
        return 1 if counts["error"] or (strict and counts["warning"]) else 0

    code = show(
        ctx,
        build,
        chosen_format,
        output,
        exit_code=exit_code,
        use_cache=not no_cache,
        # The job summary is written from the findings themselves: always compute for it.
        memoize=summary_file is None,
        reads_history=not no_history,
        lenient=True,
    )
    if summary_file and reports:
        from okrctl.render.findings import step_summary

        try:
            step_summary(reports[0], summary_file)
        except OSError as exc:
            sys.stderr.write(f"okrctl: cannot write the job summary to $GITHUB_STEP_SUMMARY: {exc.strerror or exc}\n")
    if code:
        raise typer.Exit(code)


def _default_format(output: object) -> str:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text" if output is None and sys.stdout.isatty() else "concise"


def _codes(value: str | None, option: str) -> list[str]:
    from okrctl.catalog import matching, normal_code
    from okrctl.errors import UsageError

    if not value:
        return []
    codes = [normal_code(part) for part in value.split(",") if part.strip()]
    for code in codes:
        if not matching(code):
            raise UsageError(f"{option}: '{code}' matches no rule code (see 'okrctl rules')")
    return codes
