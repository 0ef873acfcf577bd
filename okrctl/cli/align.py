"""``okrctl align``: validate every file and run the rules; exit 1 on errors (warnings with --strict)."""

from __future__ import annotations

import os
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from datetime import date

    from okrctl.findings import Baseline, Finding, FindingsReport
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption, complete_choice
from okrctl.render.formats import formats

ALIGN_FORMATS = ", ".join(formats("align"))
# Formats read by CI systems, whose paths start at the top of the git checkout.
CI_FORMATS = ("github", "sarif", "junit", "gitlab")


@app.command()
def align(
    ctx: typer.Context,
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(
            help="Report only findings in these files or folders (the whole repository is still read; okrctl.yaml among them: every finding).",
            show_default=False,
        ),
    ] = None,
    repo: RepoOption = None,
    today: TodayOption = None,
    cycle: Annotated[
        Optional[str],
        typer.Option(
            "--cycle",
            metavar="CYCLE",
            help="Cycle id, or 'all' (default: cycles not ended before today).",
            show_default=False,
        ),
    ] = None,
    format: Annotated[
        Optional[str],
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"Output format: {ALIGN_FORMATS}.",
            show_default=False,
            autocompletion=complete_choice(*formats("align")),
        ),
    ] = None,
    select: Annotated[
        Optional[str],
        typer.Option(
            "--select",
            metavar="CODES",
            help="Only these codes or prefixes, comma-separated (e.g. OKR1,OKR201).",
            show_default=False,
        ),
    ] = None,
    ignore: Annotated[
        Optional[str],
        typer.Option(
            "--ignore", metavar="CODES", help="Skip these codes or prefixes, comma-separated.", show_default=False
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too (exit 1).")] = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Skip the rules that read git history (OKR601).")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every file again, without okrctl's store.")
    ] = False,
    baseline: Annotated[
        Optional[str],
        typer.Option(
            "--baseline",
            metavar="REF",
            help="Only findings new since the merge base of git REF and HEAD block (in a GitHub pull request: automatic).",
            show_default=False,
        ),
    ] = None,
    no_baseline: Annotated[
        bool, typer.Option("--no-baseline", help="Judge the whole repository, even in a GitHub pull request.")
    ] = False,
    show_existing: Annotated[
        bool, typer.Option("--show-existing", help="With a baseline, list the existing findings too.")
    ] = False,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Validate every file and check alignment, focus, dependencies and cadence (like a linter)."""
    from okrctl import __version__
    from okrctl.cli.common import check_choice, find_repo_root, lenient_scope, progress_line, resolve_today
    from okrctl.cli.show import show
    from okrctl.findings import FindingsReport
    from okrctl.forked import meanwhile, spare_core
    from okrctl.load.pipeline import PARALLEL_MIN_FILES
    from okrctl.rules import Selection, run
    from okrctl.rules.baseline import (
        baseline_findings,
        before_moves,
        classify,
        files_in_paths,
        focus_of,
        in_paths,
        unmoved_goalposts,
    )
    from okrctl.rules.needs import align_scope
    from okrctl.views.scope import known_cycle

    # ``--format "$FMT"`` with the variable unset is a value left out, refused as any other: not the default.
    chosen_format = _default_format(output) if format is None else format
    check_choice("--format", chosen_format, formats("align"))  # before the codes, as always
    selection = Selection(_codes(select, "--select"), _codes(ignore, "--ignore"))
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY") if chosen_format == "github" else None
    reports: list[FindingsReport] = []
    resolve_today(today)  # a bad --today is the first thing said, as in every command
    root = find_repo_root(repo)
    wanted, whole = _wanted_paths(root, paths)
    base = _baseline(root, baseline, no_baseline, show_existing)
    # The result memo is keyed on the parameters: key it on what they resolve to (files relative to
    # the root, the baseline's commit), not on how they were written.
    ctx.params["paths"] = wanted
    # What the output says of it too: the ref as named, whether it is a merge base, automatic.
    ctx.params["baseline"] = (
        [base.commit, base.ref, base.tip, base.automatic, base.before_okrctl] if base is not None else None
    )
    if chosen_format in CI_FORMATS:
        from okrctl.render.findings.ci import workspace_prefix

        # These formats name files from the top of the git work tree: key the memo on where it is.
        ctx.params["workspace"] = workspace_prefix(root)

    def build(repository: Repo, day: date) -> FindingsReport:
        cycles: set[str] | str | None = "default"
        if cycle == "all":
            cycles = None
        elif cycle is not None:
            known_cycle(repository, cycle)
            cycles = {cycle}
        tick = progress_line(quiet=chosen_format == "json")
        if tick is not None:
            tick("running rules", 0, 1)

        def here() -> list[Finding]:
            return in_paths(
                run(
                    repository,
                    day,
                    cycles=cycles,
                    selection=selection,
                    history=not no_history,
                    focus=focus_of(repository, wanted),
                    reuse=True,
                ),
                wanted,
            )

        existing = 0
        if base is None:
            findings = here()
        else:

            def evaluate(at_base: Repo, moves: dict[str, str]) -> list[Finding]:
                # The same options and the same today; history is judged by commit ancestry instead.
                # With paths, a file that moved into them is judged at its old path, and a finding
                # shown at a representative place is known wherever the base showed it.
                there = before_moves(wanted, moves)
                return in_paths(
                    run(
                        at_base,
                        day,
                        cycles=cycles,
                        selection=selection,
                        history=False,
                        focus=focus_of(at_base, there),
                        every_representative=True,
                        reuse=True,
                    ),
                    there,
                    every_representative=True,
                )

            # The base reads the check-ins its rules need, as the working tree did.
            at_base = None if cycles is None else lenient_scope(lambda repo: align_scope(repo, day, cycle))

            def at_the_base() -> tuple[list[Finding], set[str], Repo | None]:
                # (Run in this process: the repository at the base stays here for its goalposts.)
                if base.before_okrctl:
                    from okrctl.gitio.refs import reachable

                    return [], reachable(root, base.commit), None
                return baseline_findings(root, base.commit, evaluate, repository, scope=at_base, label=base.ref)

            # On a large repository the working tree's rules run in a forked worker while the base is
            # loaded and judged here (which keeps the store's connections and workers to this process).
            if len(repository.docs) >= PARALLEL_MIN_FILES and spare_core():
                from okrctl.rules.history import NOTE_KEY

                def here_with_note() -> tuple[list[Finding], object, bool]:
                    found = here()  # what the rules leave on the repository stays in the worker:
                    # the note of OKR601, and whether a file changed meanwhile; they come back too
                    return found, repository.derived.get(NOTE_KEY), repository.changed_meanwhile

                (findings, note, changed), (before, commits, base_repo) = meanwhile(here_with_note, at_the_base)
                if note:
                    repository.derived[NOTE_KEY] = note
                repository.changed_meanwhile = repository.changed_meanwhile or changed
            else:
                findings = here()
                before, commits, base_repo = at_the_base()
            unmoved = unmoved_goalposts(repository, base_repo, findings, commits)
            findings, existing = classify(findings, before, commits, unmoved)
        if tick is not None:
            tick("running rules", 1, 1)
        documents = len(repository.docs) + repository.left_out
        report = FindingsReport(
            __version__, day.isoformat(), repository.files, documents, findings, repository.other_files
        )
        report.baseline = base
        report.existing = existing
        report.paths = wanted
        if wanted is not None:
            report.checked = len(files_in_paths(repository.digests, wanted))
        report.strict = strict
        if chosen_format in CI_FORMATS:
            from okrctl.render.findings.ci import workspace_prefix

            report.path_prefix = workspace_prefix(repository.root)
        reports.append(report)
        return report

    def exit_code(report: FindingsReport) -> int:
        return 1 if report.fails() else 0

    from okrctl.rules.memo import unpin

    announced = base.announcement() if base is not None and chosen_format != "github" else ""
    try:
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
            # Every check-in is read for --cycle all. None when the findings of this content are
            # kept for the day (``rules.memo``): the rules that read check-ins then do not run.
            scope=None if cycle == "all" else partial(_scope, cycle=cycle, judged=base is None and wanted is None),
            # The github format says the baseline in its own output (a notice). Said before the
            # findings once the base was read: a base that cannot be is one line, not announced
            # (nor a whole repository that a config error stops).
            preamble="\n".join(line for line in (whole, announced) if line),
        )
    finally:
        unpin()  # what this run's load pinned is this run's alone
    if summary_file and reports:
        from okrctl.render.findings import step_summary

        try:
            step_summary(reports[0], summary_file)
        except OSError as exc:
            sys.stderr.write(f"okrctl: cannot write the job summary to $GITHUB_STEP_SUMMARY: {exc.strerror or exc}\n")
    if code:
        raise typer.Exit(code)


def _scope(repository: Repo, day: date, cycle: str | None, judged: bool) -> Scope:
    """The check-ins ``align`` reads (``rules.needs.align_scope``); none at all when the whole
    repository is judged (no baseline, no paths) and the store keeps the findings of its content
    for the day and cycles (``rules.memo.lighter_scope``)."""
    from okrctl.load.pipeline import Scope
    from okrctl.rules.base import default_cycles
    from okrctl.rules.memo import lighter_scope
    from okrctl.rules.needs import align_scope

    if judged and lighter_scope(repository, day, {cycle} if cycle else default_cycles(repository, day)):
        return Scope(owners=frozenset())
    return align_scope(repository, day, cycle)


def _default_format(output: object) -> str:
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text" if output is None and sys.stdout.isatty() else "concise"


def _codes(value: str | None, option: str) -> list[str]:
    from okrctl.catalog import matching, normal_code
    from okrctl.errors import UsageError
    from okrctl.safetext import shown_value

    if value is None:
        return []
    codes = [normal_code(part) for part in value.split(",") if part.strip()]
    if not codes:  # ``--select "$CODES"`` with the variable unset: not every rule
        raise UsageError(f"{option}: '{shown_value(value)}' names no rule code (codes or prefixes, comma-separated)")
    for code in codes:
        if not matching(code):
            raise UsageError(f"{option}: '{shown_value(code)}' matches no rule code (see 'okrctl rules')")
    return codes


def _wanted_paths(root: Path, paths: list[Path] | None) -> tuple[list[str] | None, str]:
    """``align PATH...``: the root-relative files (and folders, ending in '/') whose findings count,
    and the line for standard error when they are every file although paths were given.

    Paths outside the OKR repository (a pre-commit hook passes every staged file) are left out;
    when none is inside, standard error says so, since no finding can be reported (exit 0 still: a
    commit of files beside the OKR repository has nothing for okrctl to judge). A link to a folder
    is left out too (okrctl never walks one, so no file it reads lies through it), and said.
    The root's okrctl.yaml among them is the whole repository (None): its settings (limits, rules,
    cycles) change findings in every file, so a commit of it alone is judged as ``align`` judges.
    """
    from okrctl.errors import UsageError
    from okrctl.load.discover import CONFIG_NAME
    from okrctl.safetext import shown_path

    if not paths:
        return None, ""
    top = Path(os.path.realpath(root))
    out: list[str] = []
    config: Path | None = None
    outside: list[str] = []
    linked: list[str] = []
    for path in paths:
        given = os.path.abspath(path)
        if not os.path.lexists(given):
            raise UsageError(f"{shown_path(path)}: no such file or folder")
        if os.path.realpath(given) == str(top):
            return None, ""  # the root itself (by any name): every finding counts, as without PATH
        # The folders on the way are taken as the system resolves them (``$PWD`` may name the
        # repository through a link, as /tmp does on macOS); the path's own name is kept, as a
        # link inside the repository is a file of its own there.
        absolute = Path(os.path.realpath(os.path.dirname(given))) / os.path.basename(given)
        try:
            rel = absolute.relative_to(top).as_posix()
        except ValueError:
            outside.append(str(path))
            continue
        if absolute.is_symlink() and absolute.is_dir():
            linked.append(str(path))  # never walked: no file okrctl reads lies through it
            continue
        if absolute.is_dir():
            out.append(rel.rstrip("/") + "/")
        else:
            out.append(rel)
        if rel == CONFIG_NAME:
            config = path

    def listed(names: list[str]) -> str:
        more = f" and {len(names) - 3} more" if len(names) > 3 else ""
        return ", ".join(shown_path(name) for name in names[:3]) + more

    if linked:
        # Said whatever else was named: the user meant the folder, and its files were not checked.
        lead = "no finding to report for " if out or outside else "no finding to report: "
        sys.stderr.write(
            f"okrctl: {lead}{listed(linked)}: a link to a folder, which okrctl never follows; name the folder itself\n"
        )
    if outside and not out:
        sys.stderr.write(f"okrctl: no finding to report: {listed(outside)} not in the repository {shown_path(top)}\n")
    if config is not None:
        return None, (
            f"okrctl: {shown_path(str(config))} is among the paths: its settings reach every file, "
            "so the whole repository is judged"
        )
    return sorted(set(out)), ""


def _baseline(root: Path, ref: str | None, no_baseline: bool, show_existing: bool) -> Baseline | None:
    """The commit to compare with: ``--baseline REF``, else in a GitHub pull request the merge base
    with ``origin/$GITHUB_BASE_REF``; None with ``--no-baseline`` or outside both.

    A ref that cannot be used is a usage error (exit 2) whose one line says how to fix it."""
    from okrctl.errors import UsageError
    from okrctl.findings import Baseline
    from okrctl.gitio.damage import ObjectsNotFetched
    from okrctl.gitio.tree import Place, holds_file, merge_base
    from okrctl.load.discover import CONFIG_NAME
    from okrctl.load.gitref import RefError, fetch_words, former_prefix, git_place, resolve

    def before_okrctl(where: Place, commit: str) -> bool:
        # The pull request that adds the OKR repository: its base has nothing to compare with. One
        # that moves the OKR folder (into a monorepo's subfolder) has its files where they were.
        try:
            if holds_file(where.top, commit, where.prefix + CONFIG_NAME):
                return False
            return former_prefix(root, where, commit) is None
        except ObjectsNotFetched as problem:  # not "no okrctl.yaml": git cannot tell here
            raise UsageError(f"{option}: {problem}") from None

    def where_shallow(folder: Path) -> bool:
        try:
            return git_place(folder).shallow
        except RefError:
            return False

    if ref is not None and no_baseline:
        raise UsageError("--baseline and --no-baseline exclude each other")
    base_ref = os.environ.get("GITHUB_BASE_REF", "").strip()
    if ref is None and (no_baseline or not base_ref):
        return None
    option = "--baseline" if ref is not None else "GITHUB_BASE_REF"
    remote = f"origin/{base_ref}"
    try:
        where = git_place(root)
        if ref is not None:
            commit = resolve(where, ref)
            try:
                head: str | None = resolve(where, "HEAD")
            except RefError:
                head = None  # no commit yet: nothing forked from anything, REF is the base
    except RefError as problem:
        raise UsageError(f"{option}: {problem.message}") from None
    if ref is not None:
        # What the branch changed, as a pull request shows it: judged from where it forked from REF
        # (REF itself when it is an ancestor of HEAD), not against commits REF gained since.
        found = commit if head is None else merge_base(where.top, commit, head, shallow=where.shallow)
        if found is None:
            fix = (
                "this clone is shallow: fetch the history ('git fetch --unshallow')"
                if where.shallow
                else "they share no history"
            )
            raise UsageError(f"--baseline: no merge base of HEAD and {ref}; {fix}")
        return Baseline(ref, found, show_existing=show_existing, before_okrctl=before_okrctl(where, found), tip=commit)
    try:
        base = resolve(where, remote)
        head = resolve(where, "HEAD")
    except RefError as problem:
        if ref is None and not where_shallow(root) and "unknown git ref" in problem.message:
            raise UsageError(
                f"GITHUB_BASE_REF: '{remote}' is not fetched; fetch it ('git fetch {fetch_words('origin', base_ref, remote)}', "
                "or fetch-depth: 0 in actions/checkout)"
            ) from None
        raise UsageError(f"{option}: {problem.message}") from None
    found = merge_base(where.top, base, head, shallow=where.shallow)
    if found is None:
        fix = (
            "this clone is shallow: fetch the history (fetch-depth: 0 in actions/checkout)"
            if where.shallow
            else "they share no history"
        )
        raise UsageError(f"{option}: no merge base of HEAD and {remote}; {fix}")
    return Baseline(
        remote, found, automatic=True, show_existing=show_existing, before_okrctl=before_okrctl(where, found)
    )
