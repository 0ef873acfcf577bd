"""``okrctl checkin``: the Friday GRIP check-in (goal confidence, results, issues, plan)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from okrctl import checkin as core
    from okrctl.gitio.commit import Committed
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, RepoOption, TodayOption, values_file_path
from okrctl.cli.team import TeamOption

Many = Annotated[Optional[list[str]], typer.Option(show_default=False)]
# What commits a check-in left written and uncommitted, as the lines that leave one say.
AMEND_AGAIN = "okrctl checkin --amend (same team and date)"


@app.command()
def checkin(
    team: TeamOption = None,
    date: Annotated[
        Optional[str],
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="Date of the check-in, YYYY-MM-DD (default: today).",
            show_default=False,
        ),
    ] = None,
    confidence: Annotated[
        Optional[list[str]],
        typer.Option(
            "--confidence",
            "-c",
            metavar="N|OBJ=N",
            help="G: N for every objective, or OBJ=N (repeat).",
            show_default=False,
        ),
    ] = None,
    result: Annotated[
        Optional[list[str]],
        typer.Option(
            "--result",
            "-r",
            metavar="KR=VALUE",
            help="R: KR=VALUE (repeat); milestones take true/false/yes/no/done or 0..1.",
            show_default=False,
        ),
    ] = None,
    note: Annotated[
        Optional[list[str]],
        typer.Option("--note", metavar="KR=TEXT", help="A note on a result: KR=TEXT (repeat).", show_default=False),
    ] = None,
    values_from: Annotated[
        Optional[Path],
        typer.Option(
            "--values-from",
            metavar="FILE",
            parser=values_file_path,
            help="R from a file: CSV (kr,value[,note]), JSON or YAML, as 'okrctl measure' reads it; --result wins.",
            show_default=False,
        ),
    ] = None,
    issue: Annotated[
        Optional[list[str]],
        typer.Option("--issue", "-i", metavar="TEXT", help="I: what is in the way (repeat).", show_default=False),
    ] = None,
    plan: Annotated[
        Optional[list[str]],
        typer.Option("--plan", "-p", metavar="TEXT", help="P: what comes next (repeat).", show_default=False),
    ] = None,
    amend: Annotated[
        bool, typer.Option("--amend", help="Edit the team's check-in of that date (comments and layout kept).")
    ] = False,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Write the file, do not commit it.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the YAML; write and commit nothing.")] = False,
    repo: RepoOption = None,
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """The Friday GRIP check-in: asks what the flags leave open, validates, writes, commits only that file."""
    import sys

    from okrctl import checkin as core
    from okrctl.cli.checkin_flags import complete_from_flags, from_flags, read_flags
    from okrctl.cli.common import (
        color_enabled,
        open_repo,
        out_of_scale_note,
        parse_date,
        refuse_what_a_hook_changed,
        resolve_today,
        terminal_width,
        unreadable_note,
        warn_if_detached,
    )
    from okrctl.cli.team import resolve_team
    from okrctl.errors import UsageError
    from okrctl.gitio.repo import user_email

    day = resolve_today(today)
    when = parse_date(date, "--date") if date is not None else day
    # A mistyped flag is a usage error whatever the repository holds: read before it is opened.
    flags = read_flags(confidence or [], result or [], note or [], issue or [], plan or [])
    if values_from is not None:
        from okrctl.measure import values_kind

        values_kind(values_from)  # a missing file, a folder, an unknown ending; its rows need the team's KRs

    def needs(repository: Repo) -> Scope:
        # The team's own check-ins, and those of the units its fleet shows (it depends on them or
        # they depend on it); no other team's.
        from okrctl.analysis.fleet import fleet_units
        from okrctl.load.pipeline import Scope

        chosen = resolve_team(repository, team)
        return Scope(owners=frozenset(fleet_units(repository, chosen, when)))

    # Other teams' check-ins are not even parsed (``skim``): nothing here reports on them.
    repository = open_repo(repo, scope=needs, skim=True)
    chosen = resolve_team(repository, team)  # a known unit id, checked before it becomes a path
    email = user_email(repository.root)
    try:
        session = core.session_for(repository, chosen, when, day, amend=amend, date_given=date is not None)
    except core.DateAfterToday as problem:
        raise UsageError(f"--date: {problem.message}") from None
    except core.NothingToAmend as problem:
        raise UsageError(f"--amend: {problem.message}") from None
    # The flags and the values file name key results: checked against the team's before what lies
    # at the check-in's path is (an existing check-in), so a typo is a usage error either way.
    answers = from_flags(session, flags)
    if values_from is not None:
        from okrctl.cli.checkin_flags import add_values_file

        add_values_file(session, answers, values_from)
    try:
        core.check_place(session)
    except core.AlreadyCheckedIn as problem:
        from okrctl.checkin.commit import left_uncommitted
        from okrctl.gitio.commit import head_bytes
        from okrctl.safetext import shown_path

        # Asked first: a commit of a new check-in that ends meanwhile makes HEAD hold it too.
        committed_before = head_bytes(repository.root / problem.rel) is not None
        left = left_uncommitted(repository.root / problem.rel)
        if left is None and committed_before:
            # Another run holds it, but HEAD held it already: an `--amend` of a check-in committed
            # long ago is committing. Said as without that run: the check-in exists.
            raise
        if left is None:
            # Another run, started a moment before, wrote it and is committing it (a slow hook):
            # the race of two check-ins at once, not a file a refused commit left behind.
            raise core.AlreadyCheckedIn(
                f"{shown_path(problem.rel)}: another check-in of '{chosen}' for {when} was written meanwhile; "
                "yours was not written (run again with --amend to edit that one)",
                problem.rel,
            ) from None
        # Most often the run before wrote it and a hook refused the commit: say how to finish.
        if not left:
            raise
        raise core.AlreadyCheckedIn(
            f"{shown_path(problem.rel)}: '{chosen}' already has a check-in for {when}, written but not committed; nothing was "
            "written (use --amend to edit it; --amend with nothing to change commits it as it is)",
            problem.rel,
        ) from None
    color = color_enabled(no_color)
    width = terminal_width()
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    left_out = unreadable_note(repository)
    if left_out:
        # A check-in of the team with an error (`confidence: high`) is not its last one: the screen,
        # the defaults and the confidence drop would come from the week before, without a word.
        sys.stderr.write(left_out + "\n")
        sys.stderr.flush()
    # So is a confidence of the team's outside the scale (OKR504) no point of its trend on the screen.
    off_scale = out_of_scale_note(repository, chosen)
    if off_scale:
        sys.stderr.write(off_scale + "\n")
        sys.stderr.flush()
    if interactive:
        from okrctl.analysis.fleet import fleet
        from okrctl.cli.checkin_dialog import ask_everything, confirm
        from okrctl.render.checkin import render_screen

        around = fleet(repository, chosen, when, {line.cycle.id for line in session.objectives})
        try:
            sys.stdout.write(render_screen(session, color=color, width=width, fleet=around))
            ask_everything(session, answers, _ask, _say)
            go_on = confirm(session, _ask, commit=not no_commit, dry_run=dry_run)
        except EOFError:
            _say("")
            raise KeyboardInterrupt from None  # Ctrl-D: stop like Ctrl-C, before anything is written
        except OSError:
            # The terminal closed between two prompts (a line written to it fails with EIO): as
            # at a prompt, it ends as SIGHUP does, nothing written.
            if _hung_up():
                raise _terminal_closed() from None
            raise
        if not go_on:
            _say("Nothing written.")
            return
    else:
        complete_from_flags(session, answers)
    text = core.compose(session, answers, email)
    from okrctl.safetext import shown_path

    # The check-in's name as every line shows it: ``--amend`` edits the team's check-in under any
    # name, and a newline, an escape sequence or a '::' at a line's start in it reaches no log or terminal.
    shown = shown_path(session.rel)
    if core.unchanged(session, text):
        from okrctl.gitio.commit import uncommitted

        core.still_as_read(session)

        if dry_run:
            _unchanged_dry_run(session)
            return
        if no_commit or not uncommitted(session.path):
            _say(f"nothing changed: {shown} already says all that; nothing written or committed")
            return
        checked = None
        if interactive:
            # The file is committed as it is, checked like a new check-in: so against the
            # repository as it is once the team has answered, as below (a scale changed at the
            # prompts, a nested repository made in its folder meanwhile).
            session, checked = _checked_again(session, open_repo(repo, scope=needs, skim=True), text)
        _commit_as_it_is(session, text, answers, checked)
        return
    checked = core.validate(session, text, answers)
    if checked.errors:
        raise core.refusal(session, checked.errors)
    if interactive:
        # Minutes went by at the questions: a `git pull` or an editor may have changed the
        # objectives or the scale the answers were checked against. Checked again if so; a
        # folder on the way made another repository meanwhile (`git init`) is refused either way.
        session, rechecked = _checked_again(session, open_repo(repo, scope=needs, skim=True), text)
        checked = rechecked if rechecked is not None else checked
    if dry_run:
        from okrctl.cli.common import emit

        # Standard output carries the YAML alone (a script may keep it as the check-in); what the
        # checks say of it goes to standard error. It is the file's bytes, UTF-8 whatever the
        # stream's encoding, as JSON is: never the substitutes of the text views ('Equipe ->').
        emit(text, None, data=True)
        from okrctl.render.checkin import render_outcome

        # Said every time, findings or not: a dry run that printed only YAML would leave whoever
        # reads the terminal to guess whether the check-in was saved.
        done = [f"dry run: {shown} not written"]
        noted = color and sys.stderr is not None and sys.stderr.isatty()
        outcome = render_outcome(session, [], checked.signals, done, color=noted, width=width)
        sys.stderr.write(outcome.rstrip("\n") + "\n")
        return
    core.write(session, text)
    # Stopped from here on (a slow hook, a cancelled job, Ctrl-C): the check-in is written, never
    # undone, and the last line says so, or the user would run it again to be told it exists.
    stage = ["no-commit" if no_commit else "uncommitted"]
    try:
        done = [f"{'amended' if session.existing is not None else 'wrote'} {shown}"]
        rejected = None
        detached: Committed | None = None  # a commit made on a detached HEAD: warned about after the outcome
        if no_commit:
            done.append("not committed (--no-commit)")
        else:
            from okrctl.gitio.commit import CommitRejected

            try:
                message, committed = core.commit(session, checked, text.encode("utf-8"))
            except CommitRejected as problem:
                rejected = problem
            else:
                stage[0] = "committed" if committed is not None else "written"
                if committed is None:
                    done.append("not committed: the repository is not inside a git repository")
                else:
                    done.append(committed.said(message))
                    detached = committed
        from okrctl.render.checkin import render_outcome

        # A hook changed the file in its commit: the team's state as written may not be the commit's.
        states = [] if detached is not None and detached.changed_by_hook else core.states_after(checked, session)
        try:
            sys.stdout.write(render_outcome(session, states, checked.signals, done, color=color, width=width))
            sys.stdout.flush()
        except OSError as exc:
            from okrctl.cli.common import done_all_the_same, output_failure

            # The check-in is on disk (and committed): said, or the user would run it again and be
            # refused because it exists. A rejected commit is the bigger news, said below.
            said = output_failure(exc)
            if rejected is None and said is not None:
                raise done_all_the_same(said, "the check-in is saved", done) from None
            if rejected is None:
                raise
        warn_if_detached(detached)
        refuse_what_a_hook_changed(detached)
        if rejected is not None:
            from okrctl.cli.common import commits_it, say_what_git_said
            from okrctl.errors import ContentError

            say_what_git_said(rejected)

            again = commits_it(rejected, AMEND_AGAIN)
            raise ContentError(f"{rejected.message}; {shown} is written and left uncommitted{again}")

    except KeyboardInterrupt as stopped:
        from okrctl.cli.common import written_when_stopped

        if stage[0] in ("no-commit", "written"):  # not to be committed, or outside git
            flagged = " (--no-commit)" if stage[0] == "no-commit" else ""
            stopped.after = f"{shown} is written{flagged}"  # type: ignore[attr-defined]
        else:
            from okrctl.gitio.commit import committed_when_stopped, left_in_index_when_stopped

            # Unless the commit is known to be made, HEAD tells (the signal may come at any moment).
            committed_now = True if stage[0] == "committed" else committed_when_stopped(stopped, session.path)
            stopped.after = written_when_stopped(  # type: ignore[attr-defined]
                session.rel, committed_now, AMEND_AGAIN, left_in_index_when_stopped(stopped)
            )
        raise


def _commit_as_it_is(
    session: core.Session, text: str, answers: core.Answers, checked: core.Checked | None = None
) -> None:
    """Commit the check-in file as it is on disk: written by an earlier run whose commit failed
    (a hook refused it, another git held the index), or edited by hand since its last commit.

    Nothing changes in the file, so nothing is written; it is checked like a new check-in before
    it is committed, alone, with the usual message. Anything else staged stays out of the commit.
    ``checked``: how it was checked already, against the repository read again once the team
    answered (``recheck``), when a file changed meanwhile.
    """
    from okrctl import checkin as checkin_core
    from okrctl.cli.common import commits_it, refuse_what_a_hook_changed, say_what_git_said, warn_if_detached
    from okrctl.errors import ContentError
    from okrctl.gitio.commit import CommitRejected
    from okrctl.safetext import shown_path

    shown = shown_path(session.rel)
    if checked is None:
        checked = checkin_core.validate(session, text, answers)
    if checked.errors:
        raise checkin_core.refusal(session, checked.errors)
    try:
        # Only while the file still holds what this run read and checked: an editor that changed it
        # during the questions would otherwise have its unchecked text committed under this message.
        message, committed = checkin_core.commit(session, checked, written=session.original, as_read=True)
    except CommitRejected as problem:
        say_what_git_said(problem)
        again = commits_it(problem, AMEND_AGAIN)
        raise ContentError(
            f"{problem.message}; {shown} was not written again and is still uncommitted{again}"
        ) from None
    except KeyboardInterrupt as stopped:
        # Stopped while git committed it (a slow hook, Ctrl-C): HEAD tells whether it is committed.
        from okrctl.cli.common import written_when_stopped
        from okrctl.gitio.commit import committed_when_stopped, left_in_index_when_stopped

        stopped.after = written_when_stopped(  # type: ignore[attr-defined]
            session.rel, committed_when_stopped(stopped, session.path), AMEND_AGAIN, left_in_index_when_stopped(stopped)
        )
        raise
    if committed is None:  # uncommitted() found a git working tree; it went away meanwhile
        _say(f"nothing changed: {shown} already says all that; nothing written or committed")
        return
    said = committed.said(message) if committed.changed_by_hook else f"committed {committed.sha[:7]} {message}"
    _say(f"nothing changed: {shown} already says all that, but it was not committed; {said}")
    warn_if_detached(committed)
    refuse_what_a_hook_changed(committed)


def _unchanged_dry_run(session: core.Session) -> None:
    """A dry run of an amendment that changes nothing: the check-in's YAML on standard output, as
    for any dry run, and ``nothing changed`` on standard error.

    A script that keeps standard output as the check-in (``--dry-run > out.yaml``) gets the file's
    own bytes, which are what it would hold, not the line saying so; nothing is committed either,
    even a check-in left uncommitted (a dry run touches nothing)."""
    import sys

    from okrctl.cli.common import emit
    from okrctl.safetext import shown_path

    # The bytes as read (checked unchanged since by ``still_as_read``): an amendment that only
    # re-formats the same documents writes nothing, so the file keeps these, not the composed text.
    assert session.original is not None  # ``unchanged`` holds only for a check-in read from its file
    emit(session.original.decode("utf-8", "replace"), None, data=True)
    sys.stderr.write(
        f"nothing changed: {shown_path(session.rel)} already says all that; nothing written or committed\n"
    )
    sys.stderr.flush()


# Prompts and messages hold repository text (a KR's unit, ids, notes): like every view, they reach
# the terminal without escape sequences or control characters (OSC 52, title, clear-screen).
def _ask(prompt: str) -> str:
    import contextlib

    from okrctl.safetext import clean, the_bytes, undecoded_bytes

    *before, last = _fitted(clean(prompt)).split("\n")
    for line in before:
        print(line, flush=True)
    edited = _line_editing()
    typed = ""  # what the line held when the job stopped (Ctrl-Z): the line shows it again
    while True:
        try:
            restore = _ask_again_when_stopped(edited)
            try:
                answer, encoding = _edited_line(last, typed) if edited else _typed_line(last)
            finally:
                restore()
        except _Stopped as stopped:
            # Readline has given the terminal back its settings, as for Ctrl-C. Continued, the
            # prompt is asked again on a line of its own, with what the line held: the shell left
            # the terminal as it wants it, and what readline held no longer showed.
            typed = stopped.typed
            print(flush=True)
            if stopped.suspend:
                _suspend()
            if not edited:
                _forget_typed_ahead()
            continue
        except (KeyboardInterrupt, EOFError) as stopped:
            # Ctrl-C or Ctrl-D at a prompt: the line that says so starts on a line of its own. A
            # terminal that hung up cannot be written to: that write's error must not stand in for
            # the SIGHUP on its way (exit 2, "cannot write to standard output").
            with contextlib.suppress(OSError, ValueError):
                print(flush=True)
            if isinstance(stopped, EOFError) and _hung_up():
                raise _terminal_closed() from None
            raise
        except OSError:
            if _hung_up():
                raise _terminal_closed() from None
            raise
        except _LineCut as cut:
            print(
                f"  the terminal cuts a line at {cut.limit} bytes, and this one reached it; write it shorter",
                flush=True,
            )
            continue
        # A byte the terminal sent that is not text in the locale's encoding (a Latin-1 'é' under a
        # UTF-8 locale) arrives as a lone surrogate: written into the check-in, it would make a file
        # YAML cannot read. Asked again, as a value out of range is.
        wrong = undecoded_bytes(answer)
        if wrong:
            print(f"  not {encoding} text ({the_bytes(wrong)}); type it again", flush=True)
            continue
        # Without GNU readline an arrow key, Home or Delete is not line editing but its escape code
        # in the answer (the letters typed after it go at the end): taken, the escape codes removed,
        # the file would say what the screen never showed ("Courier strkei").
        if "\x1b" in answer:
            print(
                "  the line holds the code of a key that cannot edit it here (an arrow key?); type it again", flush=True
            )
            continue
        # A Tab (the terminal's own line editing, or a paste): the screen shows it as spaces up to
        # the next tab stop, the check-in would hold one space ("half   done" read, "half done"
        # written). GNU readline's Tab inserts nothing; here the line is asked again.
        if "\t" in answer:
            print("  the line holds a Tab, which the check-in would not keep as shown; type it again", flush=True)
            continue
        return answer


class _Stopped(Exception):
    """The job was stopped at a prompt (Ctrl-Z: ``suspend``), or continued after a stop okrctl did
    not see (SIGCONT after SIGSTOP); ``typed`` is what readline's line held."""

    def __init__(self, typed: str, *, suspend: bool) -> None:
        super().__init__(typed)
        self.typed = typed
        self.suspend = suspend


def _ask_again_when_stopped(edited: bool) -> Callable[[], None]:
    """Make Ctrl-Z (SIGTSTP) and SIGCONT end the reading of a prompt with ``_Stopped``; returns what
    puts the previous handlers back.

    Python turns readline's own handling of signals off: stopped at a prompt, the job left the
    terminal in readline's settings, and continued (``fg``), readline went on under the shell's
    (every key shown twice), its line holding what the screen no longer showed ("8" typed before
    Ctrl-Z, "1" after it: 81 written). Without readline, the prompt was not shown again either. A
    signal the caller ignores stays ignored."""
    import signal

    def stopped(signum: int, _frame: object) -> None:
        typed = ""
        if edited:
            import readline

            typed = readline.get_line_buffer()
        raise _Stopped(typed, suspend=signum == signal.SIGTSTP)

    previous: list[tuple[int, Any]] = []
    for name in ("SIGTSTP", "SIGCONT"):
        number = getattr(signal, name, None)  # none on Windows
        try:
            if number is None or signal.getsignal(number) == signal.SIG_IGN:
                continue
            previous.append((number, signal.signal(number, stopped)))
        except ValueError:  # not the main thread: signals are not ours to take
            break

    def restore() -> None:
        for number, handler in previous:
            signal.signal(number, handler)

    return restore


def _suspend() -> None:
    """Stop the job, as Ctrl-Z asked, until it is continued (``fg``)."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGTSTP)


def _forget_typed_ahead() -> None:
    """Drop what the terminal holds of a line not sent: the prompt is asked again on a line of its
    own, and the answer is what that line shows."""
    import sys

    try:
        import termios

        termios.tcflush(sys.stdin.fileno(), termios.TCIFLUSH)
    except (ImportError, OSError, ValueError, AttributeError):
        pass  # (termios.error is an OSError)


class _LineCut(Exception):
    """A line as long as the terminal's own line editing keeps: what was typed past it is lost."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def _line_editing() -> bool:
    """Whether GNU readline edits the answers: arrow keys, Home, End, Backspace over a character two
    columns wide, a line of any length, and Ctrl-D on a line with text deletes a character (on an
    empty line it stops, exit 130). Imported here, at a prompt at a terminal, never for a pipe.

    Nothing is kept: no history file is read or written, and answers are not added to the history
    (Up recalls none). Tab completes nothing: the module's default completion is file names, which
    an ``~/.inputrc`` binding Tab to ``complete`` would insert into an answer. libedit (macOS) is not
    used, its line editing differs; without GNU readline the terminal edits the line
    (``_typed_line``), as it does under a locale whose encoding is not UTF-8 (``_utf8_locale``)."""
    if not _utf8_locale():
        return False
    try:
        import readline
    except ImportError:
        return False
    backend = getattr(readline, "backend", None)  # Python 3.13 and later
    gnu = backend == "readline" if backend is not None else "libedit" not in (readline.__doc__ or "")
    if not gnu:
        return False
    readline.set_completer(_nothing_to_complete)
    # Python's readline binds Tab to insert a tab: the line showed it as spaces up to the next tab
    # stop and the answer held a TAB ("'8\x097' is ambiguous"; a note that read "half     done" was
    # written "half done"). Bound to an empty macro, after ~/.inputrc is read (at import), Tab
    # inserts nothing, without a bell, whatever the inputrc binds it to.
    readline.parse_and_bind(r'"\t": ""')
    readline.set_auto_history(False)
    return True


def _nothing_to_complete(text: str, state: int) -> None:
    return None


def _utf8_locale() -> bool:
    """Whether the C library's locale, the one GNU readline edits by, reads UTF-8.

    Not ``sys.stdin.encoding``: under LC_ALL=C, Python reads and writes UTF-8 all the same (its
    UTF-8 mode), but readline edits bytes there, not characters: Backspace after ``東京`` erased the
    last of 京's three bytes ("not UTF-8 text (the bytes 0xba, 0xe4)"), and an ``é`` typed first
    vanished, taken for a Meta key (``é1`` read as 1). The terminal's own line editing reads such a
    line whole, and what is not text is asked again (``_typed_line``)."""
    import codecs
    import locale

    try:
        return codecs.lookup(locale.nl_langinfo(locale.CODESET)).name == "utf-8"
    except (AttributeError, LookupError, ValueError):  # no nl_langinfo (Windows), an unknown codeset
        return False


def _edited_line(prompt: str, typed: str = "") -> tuple[str, str]:
    """The answer read by GNU readline (``input`` uses it once imported), and the encoding it is
    said to be in when it is not text; the line starts with ``typed``, shown after the prompt."""
    import codecs
    import readline
    import sys

    def refill() -> None:
        readline.insert_text(typed)
        readline.redisplay()

    encoding = (getattr(sys.stdin, "encoding", None) or "utf-8").upper()
    if typed:
        readline.set_pre_input_hook(refill)
    try:
        return input(prompt), encoding
    except UnicodeDecodeError as problem:
        # Standard input's encoding reads strictly but under the C locale: under
        # PYTHONIOENCODING=ascii (or a UTF-8 locale other than C) an 'é' typed stopped the
        # check-in, every answer lost. The line is read as UTF-8, a terminal's usual encoding
        # and the check-in's own; a byte that is not UTF-8 either is asked again (``_ask``).
        raw = bytes(problem.object).rstrip(b"\r\n")
        if codecs.lookup(problem.encoding).name != "utf-8":
            encoding = f"{encoding} or UTF-8"
        return raw.decode("utf-8", "surrogateescape"), encoding
    finally:
        if typed:
            readline.set_pre_input_hook()


def _typed_line(prompt: str) -> tuple[str, str]:
    """The answer as the terminal's own line editing gives it (no GNU readline), and the encoding
    it is said to be in when it is not text.

    Not ``input``: a line that ends without Enter (Ctrl-D after typing) came to it as one that does,
    its last character cut off as the line's end ("4.7" for "4.75"). Here such a line stops the
    check-in as Ctrl-D does: it was never sent. Nor a buffered ``readline()``: after the bytes
    Ctrl-D handed over it reads on, and took them as the start of the next line sent ("6", Ctrl-D,
    Enter answered 6). One ``read`` of the terminal gets a line, or what Ctrl-D handed over alone."""
    import codecs
    import os
    import sys

    sys.stdout.write(prompt)
    sys.stdout.flush()
    raw = os.read(sys.stdin.fileno(), 65536)  # more than any terminal keeps of a line
    if not raw.endswith(b"\n"):
        raise EOFError
    raw = raw[:-1]
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    limit = _canonical_limit()
    if len(raw) >= limit:
        # The terminal kept the line's first bytes and dropped the rest without a word (a paste of
        # 1,500 CJK characters, 4,500 bytes): taken, the check-in would hold a cut text.
        raise _LineCut(limit)
    name = getattr(sys.stdin, "encoding", None) or "utf-8"
    encoding = name.upper()
    try:
        return raw.decode(name, getattr(sys.stdin, "errors", None) or "strict"), encoding
    except UnicodeDecodeError:
        # As in ``_edited_line``: read as UTF-8; a byte that is not UTF-8 either is asked again.
        if codecs.lookup(name).name != "utf-8":
            encoding = f"{encoding} or UTF-8"
        return raw.decode("utf-8", "surrogateescape"), encoding


def _canonical_limit() -> int:
    """The bytes of a line the terminal's own line editing keeps, its end aside: 4,095 on Linux,
    MAX_CANON less one elsewhere (1,023 on macOS)."""
    import os
    import sys

    if sys.platform.startswith("linux"):
        return 4095
    try:
        return max(os.fpathconf(sys.stdin.fileno(), "PC_MAX_CANON") - 1, 1)
    except (OSError, ValueError, AttributeError):
        return 4095


def _hung_up() -> bool:
    """Whether the terminal of the prompts hung up (its window closed, the ssh connection dropped):
    reading it then finds the end of the input, and writing to it fails with EIO, as asking it for
    its settings does. The SIGHUP the system sends may come after that, or never (``nohup``)."""
    import errno
    import sys

    try:
        import termios
    except ImportError:  # no terminals of that kind (Windows)
        return False
    for stream in (sys.stdin, sys.stdout):
        try:
            termios.tcgetattr(stream.fileno())
        except termios.error as problem:
            if problem.args and problem.args[0] == errno.EIO:
                return True
        except (OSError, ValueError, AttributeError):
            continue
    return False


def _terminal_closed() -> KeyboardInterrupt:
    """What a SIGHUP raises (``okrctl: terminated``, exit 129): the terminal closed at a prompt."""
    import signal

    from okrctl.cli.entry import Terminated

    return Terminated(getattr(signal, "SIGHUP", 1))


def _say(text: str) -> None:
    from okrctl.safetext import clean

    print(_fitted(clean(text)), flush=True)


def _checked_again(session: core.Session, repo: Repo, text: str) -> tuple[core.Session, core.Checked | None]:
    """The session and the check of ``text`` against ``repo``, the repository read again once the
    team has answered (``core.recheck``); the session given and no check when nothing it reads
    changed. A check with errors is refused (exit 1), saying what changed meanwhile."""
    from okrctl import checkin as core

    again = core.recheck(session, repo, text)
    if again is None:
        return session, None
    session, checked, changed = again
    if checked.errors:
        raise core.refusal(session, checked.errors, changed)
    return session, checked


def _fitted(text: str) -> str:
    """On a terminal, ``text`` wrapped at its width between words, each wrapped line set in two
    columns further than the line it continues ("[Y/n]" is never split, nor a word); elsewhere as
    it is (a pipe, a test's transcript). Widths are display columns: a CJK character takes two,
    and a run of them (written without spaces) may break between any two of them."""
    import shutil
    import sys

    if not sys.stdout.isatty():
        return text
    return _wrapped_to(text, shutil.get_terminal_size((100, 24)).columns)


def _wrapped_to(text: str, width: int) -> str:
    """``text`` wrapped at ``width`` display columns, as ``_fitted`` says."""
    from rich.cells import cell_len

    width = max(width, 20)
    out: list[str] = []
    for line in text.split("\n"):
        if cell_len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        trailing = line[len(line.rstrip(" ")) :]  # a prompt's last blank, where the answer starts
        wrapped: list[str] = []
        current, used = indent, cell_len(indent)
        pieces = _break_points(line.strip(" "))
        for number, (piece, spaced) in enumerate(pieces, start=1):
            # The last piece keeps the blank after it on its line (the answer is typed there).
            tail = len(trailing) if number == len(pieces) else 0
            size = cell_len(piece) + (1 if spaced else 0) + tail
            if used + size > width and current.strip(" "):
                wrapped.append(current)
                current, used = indent + "  " + piece, len(indent) + 2 + cell_len(piece)
                continue
            current += (" " if spaced else "") + piece
            used += size
        wrapped.append(current + trailing)
        out.extend(wrapped)
    return "\n".join(out)


def _break_points(text: str) -> list[tuple[str, bool]]:
    """The pieces a line may break between, each with whether a space comes before it: the words,
    and inside a word each character two columns wide on its own (CJK text breaks between any two
    characters), the rest of the word kept whole. What joins a character (a combining mark, a
    variation selector, the character after a zero-width joiner: one emoji of a family) stays
    with it."""
    from rich.cells import cell_len

    pieces: list[tuple[str, bool]] = []
    for number, word in enumerate(w for w in text.split(" ") if w):
        run, last, first = "", 0, number > 0
        for char in word:
            size = cell_len(char)
            if run and size and not run.endswith("\u200d") and (size == 2 or last == 2):
                pieces.append((run, first))
                run, first = "", False
            run += char
            last = size or last
        if run:
            pieces.append((run, first))
    return pieces
