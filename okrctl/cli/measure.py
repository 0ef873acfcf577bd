"""``okrctl measure``: key result values measured from data, written as the team's ``Reading``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional, TextIO

import typer

if TYPE_CHECKING:
    from datetime import date

    from okrctl.measure import Measurement

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, RepoOption, TodayOption, values_file_path
from okrctl.cli.team import TeamOption


@app.command()
def measure(
    values_from: Annotated[
        Path,
        typer.Option(
            "--values-from",
            metavar="FILE",
            parser=values_file_path,
            help="Values: CSV (kr,value[,note]), JSON or YAML (kr: value, or a list of {kr, value, note}).",
        ),
    ],
    # The team as checkin, plan and retro take it (SPEC §4): --team, OKRCTL_TEAM, git user.email.
    team: TeamOption = None,
    date: Annotated[
        Optional[str],
        typer.Option("--date", metavar="YYYY-MM-DD", help="Date measured (default: today).", show_default=False),
    ] = None,
    commit: Annotated[bool, typer.Option("--commit", help="Commit the reading file (and only it).")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the YAML; write nothing.")] = False,
    repo: RepoOption = None,
    today: TodayOption = None,
    # Every command takes it (SPEC §4); what measure prints is plain text.
    no_color: NoColorOption = False,
) -> None:
    """Record measured KR values (confidence stays the team's: the next check-in starts from them)."""
    from okrctl import measure as core
    from okrctl.cli.common import open_repo, parse_date, resolve_today
    from okrctl.cli.team import resolve_team
    from okrctl.gitio.repo import user_email

    day = resolve_today(today)
    when = parse_date(date, "--date") if date is not None else day
    repository = open_repo(repo)
    chosen = resolve_team(repository, team)  # a known unit id, checked before it becomes a path
    measurement = core.prepare(
        repository, chosen, when, day, values_from, name=str(values_from), date_given=date is not None
    )
    author = user_email(repository.root)
    text = core.compose(measurement, author)
    reported = core.check(measurement, text, day)
    from okrctl.cli.common import saying_what_was_done
    from okrctl.scaffold.common import tell_what_was_written

    # What is on disk and in git is said even when standard output fails (a full disk), before the
    # reading is written (nothing was) or after (written all the same, so not run again).
    done: list[str] = []
    try:
        with saying_what_was_done("the reading is written") as done:
            _record(measurement, text, day, author, commit=commit, dry_run=dry_run, done=done, reported=bool(reported))
    except KeyboardInterrupt as stopped:
        # Stopped once the reading is written (as it says so): the line says so too. A commit
        # stopped midway has said what git holds already (``_commit``).
        if not getattr(stopped, "after", ""):
            tell_what_was_written(stopped, "the reading is written", done)
        raise


def _record(
    measurement: Measurement,
    text: str,
    day: date,
    author: str | None,
    *,
    commit: bool,
    dry_run: bool,
    done: list[str],
    reported: bool = True,
) -> None:
    """List the values, write the reading and commit it as asked; each step done goes into ``done``."""
    import sys

    from okrctl import measure as core

    # A dry run's standard output is the reading's YAML alone (a script may keep it); the summary
    # and the notes go to standard error.
    from okrctl.safetext import inert, one_line, shown_path

    out = sys.stderr if dry_run else sys.stdout
    # The reading's name as every line shows it: it may be any name (a rename merged in git), and a
    # newline, an escape sequence or a '::' at a line's start in it must reach no log or terminal.
    shown = shown_path(measurement.rel)
    out.write(f"{measurement.team} · values measured on {measurement.day} from {measurement.values.source}\n")
    width = max(len(row.choice.key) for row in measurement.values.rows)
    for row in measurement.values.rows:
        before = measurement.previous.get(row.choice.key)
        milestone = row.choice.kr.type == "milestone"
        was = "—" if before is None else _shown(before, milestone)
        # On the terminal a note is shown as any text from the repository is: what hides or
        # reorders text removed, no workflow command left (the reading itself keeps it, escaped).
        note = f"  ({inert(one_line(row.note))})" if row.note else ""
        now = _shown(row.value, milestone)
        kept = measurement.kept.get(row.choice.key)
        if kept is None:
            out.write(f"  {row.choice.key:<{width}}  {was} → {now}{note}\n")
            continue
        # The team's check-in of the same date gives this key result too: its value stays the day's.
        said = "the same" if kept == row.value else f"{_shown(kept, milestone)}, which stays that day's value"
        on = measurement.day.isoformat()
        out.write(f"  {row.choice.key:<{width}}  {now} recorded; the check-in of {on} gives {said}{note}\n")
    far_rows = core.far_off_rows(measurement.values)
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    for row, found in far_rows:
        out.write(f"  ! {row.choice.key} ({measurement.values.name}:{row.line}): {found.message} (OKR509)\n")
    if far_rows and interactive and not dry_run:
        from okrctl.cli.checkin import _ask
        from okrctl.cli.checkin_dialog import _yes

        try:
            write_anyway = _yes(_ask, "Far-off values: write them anyway?", default=False)
        except EOFError:
            raise KeyboardInterrupt from None  # Ctrl-D: stop like Ctrl-C, nothing written
        if not write_anyway:
            out.write("Nothing written.\n")
            return
    if core.unchanged(measurement, text):
        from okrctl.gitio.commit import uncommitted

        if dry_run:
            from okrctl.cli.common import emit

            out.flush()
            # As any dry run, standard output is the reading's YAML (a script may keep it as the
            # reading): the file's own bytes, which are what it would hold, since none is written.
            assert measurement.original is not None  # ``unchanged`` holds only for a reading on disk
            emit(measurement.original.decode("utf-8", "replace"), None, data=True)
        if commit and not dry_run and uncommitted(measurement.path):
            # Most often the run before wrote it and a hook refused the commit: commit it now.
            out.write(f"nothing changed: {shown} already holds these values, but it was not committed\n")
            _commit(measurement, out, done)
        else:
            out.write(f"nothing changed: {shown} already holds these values\n")
        return
    if dry_run:
        from okrctl.cli.common import emit

        out.flush()
        # The reading's bytes, UTF-8 whatever standard output's encoding, as the file holds them
        # (the substitutes are for the text views: a note's 'é' is no 'e' here).
        emit(text, None, data=True)
        out.write(f"dry run: {shown} not written\n")
        return
    try:
        changed = core.write(measurement, text, day, author)
    except KeyboardInterrupt:
        if measurement.written is not None:  # stopped once the file has its name: it is written
            done.append(f"{'updated' if measurement.existing is not None else 'wrote'} {shown}")
        raise
    if not changed:
        # Another measure wrote the day's reading meanwhile, with these values in it.
        out.write(f"nothing changed: {shown} already holds these values\n")
        return
    done.append(f"{'updated' if measurement.existing is not None else 'wrote'} {shown}")
    out.write(f"{done[-1]}\n")
    if far_rows and reported:
        out.write("  written as measured; 'okrctl align' reports the far-off values (OKR509)\n")
    elif far_rows:
        out.write("  written as measured; align does not report it here (OKR509 is silenced for this reading)\n")
    if commit:
        _commit(measurement, out, done)
    out.flush()


def _commit(measurement: Measurement, out: TextIO, done: list[str]) -> None:
    """Commit the reading file alone, and say so."""
    from okrctl import measure as core
    from okrctl.cli.common import commits_it, refuse_what_a_hook_changed, say_what_git_said, warn_if_detached
    from okrctl.errors import ContentError
    from okrctl.gitio.commit import CommitRejected, commit_file
    from okrctl.repofiles import committing, exclusive_to_commit
    from okrctl.safetext import shown_path

    shown = shown_path(measurement.rel)
    try:
        # Under the reading's lock, as another ``measure`` replaces it under that lock: the commit
        # holds the reading as it is then, and its message names what it adds (this run's values,
        # and any an earlier run wrote without committing them). Another run that added to it
        # since, after this run wrote it, kept these values in it: committed together, as nothing
        # says that run commits at all (one run without --commit left the reading to nobody).
        with exclusive_to_commit(measurement.path, measurement.rel):
            now = measurement.path.read_bytes()
            committed_as, moved_from = _held_by_head(measurement.path)
            if measurement.written is not None and now != measurement.written:
                if committed_as == now:
                    done.append("another run added to the reading since and committed it, with these values in it")
                    out.write(f"{done[-1]}\n")
                    return
                if not core.still_holds(measurement, now):
                    # Not another measure's addition: an edit by hand (maybe a broken one), or a
                    # value of this run replaced. Committed by no one here: its author checks it.
                    raise ContentError(
                        f"{shown}: changed since this run wrote it, and no longer a reading that holds its "
                        "values as written; not committed (check it, then commit it)"
                    )
                done.append("another run added to the reading since, without committing it: committed with its values")
                out.write(f"{done[-1]}\n")
            message = core.commit_message(measurement, now, committed_as, moved_from)
            with committing(measurement.path):
                committed = commit_file(measurement.path, message, shown)
    except FileNotFoundError:
        raise ContentError(f"{shown}: removed by someone else before it was committed") from None
    except CommitRejected as problem:
        # What a refusing hook said comes first, whole (its reason may not be its last line), as
        # ``checkin`` shows it; the reading stays written.
        out.flush()
        say_what_git_said(problem)
        again = commits_it(problem, "the same measure again")
        raise ContentError(f"{problem.message}; {shown} is written and left uncommitted{again}") from None
    except KeyboardInterrupt as stopped:
        from okrctl.cli.common import written_when_stopped
        from okrctl.gitio.commit import committed_when_stopped, left_in_index_when_stopped

        stopped.after = written_when_stopped(  # type: ignore[attr-defined]
            measurement.rel,
            committed_when_stopped(stopped, measurement.path),
            "the same measure again",
            left_in_index_when_stopped(stopped),
        )
        raise
    if committed is None:
        out.write("not committed: the repository is not inside a git repository\n")
    else:
        done.append(committed.said(message))
        out.write(f"{done[-1]}\n")
        out.flush()
        warn_if_detached(committed)
        refuse_what_a_hook_changed(committed)


def _held_by_head(path: Path) -> tuple[bytes | None, str | None]:
    """The reading as HEAD holds it (None: not at all), for the commit's message: under its own
    name, or, when the file is the new name of a move the user staged (``git mv``), under the old
    one, which comes second (None when there is no such move). The commit takes that move with it
    (``commit_file``), so what it adds is what the file holds beyond HEAD's file of the old name:
    compared with no file at all, the values HEAD held already would be counted, and named, as
    added; and when it adds none, the commit is the move."""
    from okrctl.gitio.commit import head_bytes, staged_rename_to
    from okrctl.gitio.repo import work_tree
    from okrctl.gitio.run import GitError

    held = head_bytes(path)
    if held is not None:
        return held, None
    try:
        tree = work_tree(path.parent)
        if tree is None:
            return None, None
        rel = path.resolve().relative_to(tree.top.resolve()).as_posix()
        # The exact move the commit takes, as it finds it (a similar file's staged deletion is not one).
        moved_from = staged_rename_to(tree.top, rel)
    except (GitError, ValueError, OSError):
        return None, None
    if not moved_from:
        return None, None
    return head_bytes(tree.top / moved_from[0]), moved_from[0]


def _shown(value: float | bool, milestone: bool) -> str:
    """A value as the screens show it: a milestone as ``done``, ``not done`` or ``40% done``."""
    if milestone:
        from okrctl.render.widgets import milestone_text

        return milestone_text(float(value))
    from okrctl.render import numbers

    return numbers.plain(value)
