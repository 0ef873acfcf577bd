"""``okrctl history``: every change of a KR's target, baseline or title, from git."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Optional

import typer

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption, format_option
from okrctl.render.formats import formats

if TYPE_CHECKING:
    from datetime import date
    from pathlib import Path

    from okrctl.analysis.history import History
    from okrctl.load.index import Repo


@app.command()
def history(
    ctx: typer.Context,
    ref: Annotated[
        Optional[str],
        typer.Argument(help="Only this objective, or objective/kr.", show_default=False, metavar="REF"),
    ] = None,
    since: Annotated[
        Optional[str],
        typer.Option(
            "--since", metavar="YYYY-MM-DD", help="Only changes committed on or after YYYY-MM-DD.", show_default=False
        ),
    ] = None,
    format: Annotated[str, format_option(*formats("history"))] = "text",
    repo: RepoOption = None,
    today: TodayOption = None,
    output: OutputOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Who changed which target, baseline or title, when, and whether the cycle had started (from git).

    With --today before the real day, commits dated after it are left out."""
    import re
    from datetime import date

    from okrctl.cli.common import check_choice, parse_date
    from okrctl.cli.show import show
    from okrctl.errors import ContentError, UsageError
    from okrctl.load.documents import did_you_mean
    from okrctl.model.base import REF_PATTERN
    from okrctl.safetext import shown_value

    check_choice("--format", format, formats("history"))
    if ref is not None and not re.match(REF_PATTERN, ref):
        raise UsageError(f"'{shown_value(ref)}' is not an objective id or objective/kr")
    since_day = parse_date(since, "--since") if since is not None else None

    def build(repository: Repo, day: date) -> object:
        import sys

        from okrctl.analysis.history import target_changes
        from okrctl.cli.common import refuse_broken_config

        # Whether a move came after its cycle started depends on the config's cycles: a broken
        # okrctl.yaml stops it, as it stops every view (format.md).
        refuse_broken_config(repository)
        asked = ref.partition("/")[0] if ref is not None else None
        gone = asked is not None and repository.objective(asked) is None
        # An objective that no file holds now may have left with its file: its history is searched
        # in every file git has seen, not only in those that hold objectives today.
        result = target_changes(repository, since=since_day, ref=ref, everywhere=gone)
        if not result.in_git:
            # Like ``diff``: git is where history lives, so outside it the command cannot run (exit 2).
            raise UsageError(
                f"{repository.root} is not in a git repository; history is read from git (run 'git init' and commit)"
            )
        if result.problem:
            _refuse_a_repository_git_will_not_open(repository.root)
            raise ContentError(f"git could not read the history: {result.problem}")
        seen = False
        if today is not None and day < date.today():
            # "As of that day": a commit dated after a pinned day of the past is not part of the
            # answer (the committer's date, as the list shows). On the real day, or a later one,
            # nothing committed yet is after it: a commit a clock ahead, or a committer east of the
            # machine, dated a day later is kept, as OKR601 keeps it.
            result.changes = [change for change in result.changes if change.day <= day]
        if gone:
            seen, result.removed = result.removed_as_of(day if today is not None else None)
        if ref is not None and not result.changes:
            objective_id, _, kr_id = ref.partition("/")
            objective = repository.objective(objective_id)
            if objective is None and not seen:
                # An id close to one git has seen is as likely a slip for it as for a live one.
                known = (set(repository.objectives) | result.objectives_in_git) - {objective_id}
                hints = (_unreadable_now(repository), did_you_mean(objective_id, sorted(known)))
                raise UsageError("; ".join([f"unknown objective '{objective_id}'", *(h for h in hints if h)]))
            if kr_id and objective is not None and objective.key_result(kr_id) is None:
                hint = did_you_mean(kr_id, [kr.id for kr in objective.key_results])
                raise UsageError(f"'{objective_id}' has no key result '{kr_id}'" + (f"; {hint}" if hint else ""))
            if (
                kr_id
                and objective is None
                and kr_id not in result.key_results_in_git
                and not _unreadable_note(objective_id, result, repository)
            ):
                # Gone, it is refused as a live one is: by the key results its versions in git held
                # (its file unreadable now, the version there may hold it: the note says so).
                hint = did_you_mean(kr_id, sorted(result.key_results_in_git))
                raise UsageError(
                    f"no version of '{objective_id}' in git has a key result '{kr_id}'" + (f"; {hint}" if hint else "")
                )
        if gone and (result.changes or seen):
            pinned = day if today is not None else None
            kr_asked = ref.partition("/")[2] if ref is not None else ""
            said = _unreadable_note(asked or "", result, repository, kr_asked) or _gone_note(
                asked or "", result, since_day, pinned, kr_asked
            )
            from okrctl.safetext import inert

            sys.stderr.write(f"okrctl: note: {inert(said)}\n")  # (an author's name is quoted as written)
        result.today = day
        result.since = since_day
        if since_day is not None and since_day > day:
            sys.stderr.write(
                f"okrctl: note: --since {since_day} is after today ({day}): no change can be that recent\n"
            )
        return result

    # Not memoised: the history is read from git on every run, as before; its own notes.
    show(ctx, build, format, output, memoize=False, lenient=True)


def _gone_note(objective_id: str, result: History, since: date | None, pinned: date | None, kr_id: str = "") -> str:
    """What the history says of an objective that no file holds now: the commit that removed it,
    as of the day asked about, when git saw one (a file never committed, or removed without a
    commit, has none); on a pinned day before its removal, that it was still there. ``kr_id``: the
    key result asked about, of which "no change" is said."""
    from okrctl.safetext import one_line, shown_path

    removed = result.removed
    if removed is None and pinned is not None and result.presence:
        said = f"'{objective_id}' is not in the repository now, but was on {pinned}"
    else:
        said = f"'{objective_id}' is not in the repository any more"
    if removed is not None:
        who = one_line(f"{removed.author_name} <{removed.author_email}>")
        said += f": removed on {removed.day} by {who} (commit {removed.commit[:7]}, {shown_path(removed.path)})"
    if not result.changes:
        window = f" from {since}" if since is not None else ""
        return (
            said
            + f"; no target, baseline or title of {_what(kr_id)} changed{window}"
            + (" before that" if removed else "")
        )
    return said + ("; its changes before that are listed" if removed is not None else "; its changes are listed")


def _unreadable_now(repository: Repo) -> str:
    """``N files cannot be read now (first: …), it may be in one of them``, or "" when all can."""
    from okrctl.safetext import shown_path

    broken = sorted({f.path for f in repository.unread_findings()})
    if not broken:
        return ""
    count = len(broken)
    return (
        f"{count} file{'s' if count != 1 else ''} cannot be read now (first: {shown_path(broken[0])}), "
        "it may be in one of them ('okrctl align' shows why)"
    )


def _unreadable_note(objective_id: str, result: History, repository: Repo, kr_id: str = "") -> str:
    """For an objective no file holds now, whose file in git's last version of it is in the
    repository but cannot be read now (a merge conflict left in it, a file over the size limit, a
    YAML error): that, rather than that it left the repository. "" otherwise."""
    from okrctl.safetext import one_line, shown_path

    where = result.last_file
    if where is None or (result.removed is not None and result.removed.path == where):
        return ""
    problems = sorted((f for f in repository.unread_findings() if f.path == where), key=lambda f: f.line)
    if not problems:
        return ""
    first = problems[0]
    said = (
        f"'{objective_id}' cannot be read now: {shown_path(where)}, the file that holds it, has an error on line "
        f"{first.line}: {one_line(first.message)} ('okrctl align' lists its errors)"
    )
    return said + (
        "; its changes are listed" if result.changes else f"; no target, baseline or title of {_what(kr_id)} changed"
    )


def _what(kr_id: str) -> str:
    """What "no target, baseline or title of … changed" is said of: the objective, or the key result asked about."""
    return f"its key result '{kr_id}'" if kr_id else "it"


def _refuse_a_repository_git_will_not_open(root: Path) -> None:
    """A repository another user owns, which git refuses (``safe.directory``), a worktree whose
    ``.git`` leads to no repository, or git missing: the history cannot be read on this machine as
    it stands, a usage error (exit 2) as outside git, not a finding."""
    from okrctl.errors import UsageError
    from okrctl.gitio.repo import GitError, work_tree
    from okrctl.gitio.run import GitMissing, SetUpRefused

    try:
        work_tree(root)
    except (SetUpRefused, GitMissing) as refused:
        raise UsageError(f"git could not read the history: {refused}") from None
    except GitError:
        return
