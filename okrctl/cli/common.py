"""Options every command shares, and the small helpers that turn them into core inputs."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from okrctl.errors import ContentError, UsageError
from okrctl.safetext import shown_path, shown_value

if TYPE_CHECKING:
    from okrctl.gitio.commit import CommitRejected, Committed
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope

    ScopeFor = Callable[[Repo], Scope]

RepoOption = Annotated[
    Optional[Path],
    typer.Option(
        "--repo",
        envvar="OKRCTL_REPO",
        metavar="PATH",
        help="Repository root (default: walk up to okrctl.yaml).",
        show_default=False,
    ),
]
# For the commands whose answer no repository changes (``schema``): taken, as every
# command takes it (SPEC §4), and said to be unused rather than called the repository root.
UnusedRepoOption = Annotated[
    Optional[Path],
    typer.Option(
        "--repo",
        envvar="OKRCTL_REPO",
        metavar="PATH",
        help="Taken as by every command, and not read: the answer is the same in every repository.",
        show_default=False,
    ),
]
TodayOption = Annotated[
    Optional[str],
    typer.Option(
        "--today",
        envvar="OKRCTL_TODAY",
        metavar="YYYY-MM-DD",
        help="Pretend today is YYYY-MM-DD (reproducible output).",
        show_default=False,
    ),
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="No colours (also NO_COLOR=1).")]


_FOLDER_ENDINGS = ("/", os.sep, "/.", os.sep + ".")


def _output_path(value: str) -> Path | None:
    """The ``--output`` path as given; ``-`` alone is standard output, as for most tools: no
    ``--output`` at all (a file named ``-``: ``./-``). A path ending in a separator, or in ``/.``,
    names a folder (which ``Path`` would forget: ``Path("out/.")`` is ``out``): refused here unless
    it is one, which the write refuses as such."""
    if value == "-":
        return None
    if not value:  # ``-o "$OUT"`` with the variable unset: not the current folder
        from okrctl.errors import UsageError

        raise UsageError("--output: '' is no file name (a path, or '-' for standard output); nothing was written")
    if value.endswith(_FOLDER_ENDINGS) and not os.path.isdir(value):
        from okrctl.errors import UsageError
        from okrctl.safetext import shown_path

        stem = value
        while len(stem) > 1 and stem.endswith(_FOLDER_ENDINGS):
            stem = stem[:-1]
        ending = "/." if value.endswith(".") else "/"
        what = f"{shown_path(stem)} is no folder" if os.path.lexists(stem) else "there is none"
        raise UsageError(
            f"--output: cannot write {shown_path(value)}: a path that ends in '{ending}' names a folder, and {what};"
            " nothing was written"
        )
    return Path(value)


OutputOption = Annotated[
    Optional[Path],
    typer.Option(
        "--output",
        "-o",
        help="Write to FILE instead of standard output ('-': standard output).",
        show_default=False,
        parser=_output_path,
        metavar="FILE",
    ),
]


def values_file_path(value: str) -> Path:
    """``--values-from FILE`` as given. An empty one (``--values-from "$KPIS"`` with the variable
    unset) is refused by name: ``Path("")`` is the current folder, "is a folder, not a file"."""
    if not value:
        raise UsageError("--values-from: '' is no file name (a .csv, .json, .yaml or .yml file of values)")
    return Path(value)


CycleOption = Annotated[
    Optional[str],
    typer.Option(
        "--cycle", metavar="CYCLE", help="Cycle id (default: the cycles containing today).", show_default=False
    ),
]


def completed(incomplete: str, choices: Iterable[str], *, any_case: bool = False) -> list[str]:
    """The ``choices`` that start with what is typed (as typer keeps them: in the same case). With
    ``any_case``, for an option the command takes in any case (``schema --kind unit``), those that
    start with it in any case: as spelled here where that starts with what is typed (``U`` ->
    ``Unit``), else as typed and the rest in lower case (``u`` -> ``unit``): typer, and zsh, drop
    an offer that does not start with what is typed."""
    if not any_case:
        return [choice for choice in choices if choice.startswith(incomplete)]
    typed = incomplete.lower()
    return [
        choice if choice.startswith(incomplete) else incomplete + choice[len(incomplete) :].lower()
        for choice in choices
        if choice.lower().startswith(typed)
    ]


def complete_choice(*choices: str, any_case: bool = False) -> Callable[[str], list[str]]:
    """The shell's completion of an option with fixed values (``--format``, ``retro --stage``). The
    option stays text the command checks itself (``check_choice``): a wrong value keeps okrctl's
    own message, where click's ``Choice`` would print its own. ``any_case`` where the command takes
    a value in any case, as completion then matches it."""

    def complete(incomplete: str) -> list[str]:
        return completed(incomplete, choices, any_case=any_case)

    return complete


def complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    """The shell's completion of ``--team`` and ``--unit``: the unit ids of the repository the
    command would read (``--repo``, ``OKRCTL_REPO``, else the folders up from here), and nothing
    when there is none or it cannot be read: a completion never fails or says anything."""
    import warnings

    try:
        from okrctl.load.discover import find_root
        from okrctl.load.pipeline import unit_ids

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return completed(incomplete, unit_ids(find_root(override=ctx.params.get("repo"))))
    except Exception:
        return []


UnitOption = Annotated[
    Optional[str],
    typer.Option(
        "--unit",
        "-u",
        metavar="UNIT",
        help="Unit to show (default: the root unit).",
        show_default=False,
        autocompletion=complete_unit,
    ),
]


def format_option(*formats: str) -> Any:
    """``--format``/``-f`` naming ``formats`` in its help, and offering them to the shell's
    completion; the command checks the value with ``check_choice`` (click's own check would print
    its own wording, not okrctl's one line)."""
    listed = ", ".join(formats[:-1]) + f" or {formats[-1]}"
    return typer.Option(
        "--format", "-f", metavar="FORMAT", help=f"Output format: {listed}.", autocompletion=complete_choice(*formats)
    )


def check_choice(option: str, value: str, choices: Iterable[str]) -> None:
    from okrctl.errors import UsageError

    allowed = list(choices)
    if value not in allowed:
        raise UsageError(f"{option}: '{shown_value(value)}' is not one of {', '.join(allowed)}")


def parse_date(value: str, option: str) -> date:
    from okrctl.errors import UsageError

    try:
        # YYYY-MM-DD and nothing else, in ASCII digits, as a file's dates: Python reads an ISO week
        # date ("2026-W48-5") of the same length too.
        if len(value) != 10 or not (value.isascii() and value[4] == value[7] == "-"):
            raise ValueError
        if not (value[:4] + value[5:7] + value[8:]).isdigit():
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option}: '{shown_value(value)}' is not a date YYYY-MM-DD") from None


def resolve_today(value: str | None) -> date:
    # An empty OKRCTL_TODAY is unset (click passes None); an empty --today "" is a date left out.
    if value is None:
        return date.today()
    return parse_date(value, _named("today", "--today", "OKRCTL_TODAY"))


def _current_context() -> Any:
    """The running command's click context, or None."""
    try:  # typer 0.26 and later run commands with their own copy of click (see ``cli.app``)
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover - typer < 0.26
        from click import get_current_context  # type: ignore[no-redef]

    return get_current_context(silent=True)


def _named(parameter: str, option: str, variable: str) -> str:
    """How the user set ``parameter``, for a message: ``variable`` when its value came from the
    environment (click records the source), else ``option``."""
    context = _current_context()
    source = context.get_parameter_source(parameter) if context is not None else None
    return variable if source is not None and source.name == "ENVIRONMENT" else option


def find_repo_root(repo: Path | str | None) -> Path:
    """The repository root (``find_root``), naming in its messages what the user set: ``--repo``,
    or ``OKRCTL_REPO`` when the folder came from the environment (click records the source)."""
    from okrctl.load.discover import find_root

    return find_root(override=repo, named=_named("repo", "--repo", "OKRCTL_REPO"))


def open_repo(
    repo: Path | None,
    *,
    use_cache: bool = True,
    scope: ScopeFor | None = None,
    skim: bool = False,
    quiet: bool = False,
) -> Repo:
    """The repository, loaded; a broken okrctl.yaml stops the command (exit 1, with its line).

    Every command that computes or writes with the configuration (the confidence scale, cycles,
    limits) must not fall back to the defaults without saying so: a check-in would be validated
    and committed against the default 0-10 scale. ``skim``: see ``load_repo``. ``quiet``: the
    command writes output a program reads (``--format json``), beside which no progress is shown.
    """
    from okrctl.cli.entry import keep
    from okrctl.load.pipeline import load_repo, scan

    root = find_repo_root(repo)
    snapshot = keep(scan(root, use_cache=use_cache))
    repository = load_repo(
        root, snapshot=snapshot, scope=lenient_scope(scope), progress=progress_line(quiet), skim=skim
    )
    refuse_broken_config(repository)
    return keep(repository)


def lenient_scope(scope: ScopeFor | None) -> Callable[[Repo], Scope] | None:
    """A command's scope, or every check-in when the scope cannot be told (an unknown option value
    or a broken config): the command itself then says what is wrong, in its usual words and order."""
    if scope is None:
        return None
    chosen = scope

    def decide(repository: Repo) -> Scope:
        from okrctl.errors import OkrctlError
        from okrctl.load.pipeline import Scope

        try:
            return chosen(repository)
        except OkrctlError:
            return Scope()

    return decide


def progress_line(quiet: bool = False) -> Callable[[str, int, int], None] | None:
    """Progress of a long load on stderr, on a terminal only (never in a pipe, a CI log or for
    machine-read output)."""
    if quiet:
        return None
    from okrctl.cli.progress import reporter

    return reporter(plain=_given_no_color())


def _given_no_color() -> bool:
    """Whether the running command was given ``--no-color`` (``NO_COLOR`` rich reads itself)."""
    context = _current_context()
    return bool(context is not None and context.params.get("no_color"))


def color_enabled(no_color: bool, output: Path | None = None) -> bool:
    if no_color or output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout is not None and sys.stdout.isatty()


# Text is laid out for MIN_WIDTH to MAX_WIDTH columns: a wider terminal gets lines of
# MAX_WIDTH (a 20-digit COLUMNS must not ask for gigabytes of spaces), a narrower one (a pane
# split small) the narrowest layout, MIN_WIDTH, whose lines it wraps at their last character at
# most, never the default width's, which it would cut through every number. 0 (what a terminal
# that cannot tell reports) or no number at all gives the default width.
MIN_WIDTH = 21
MAX_WIDTH = 1000
DEFAULT_WIDTH = 100


def _columns() -> int | None:
    """The width COLUMNS sets, or None when it holds no width (unset, 0, no number)."""
    columns = os.environ.get("COLUMNS", "").strip()
    # At most nine digits besides leading zeros: a longer number is no terminal's width (and no
    # string of digits is made an int of any size).
    if columns.isascii() and columns.isdigit() and len(columns.lstrip("0")) <= 9 and int(columns) > 0:
        return min(max(int(columns), MIN_WIDTH), MAX_WIDTH)
    return None


def terminal_width() -> int:
    columns = _columns()
    if columns is not None:
        return columns
    if sys.stdout is not None and sys.stdout.isatty():
        import shutil

        size = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
        return min(max(size, MIN_WIDTH), MAX_WIDTH) if size > 0 else DEFAULT_WIDTH
    return DEFAULT_WIDTH


def tables_fit() -> str | None:
    """What a table too wide for ``terminal_width`` must fit, leaving columns out (a caption says
    which): ``"terminal"`` on a terminal, ``"COLUMNS"`` off one where that variable sets the width.
    A file, a pipe or a CI log without COLUMNS has no width to fit: None, and each table is laid out
    whole, as wide as it needs (the text around it keeps the default width)."""
    if sys.stdout is not None and sys.stdout.isatty():
        return "terminal"
    return "COLUMNS" if _columns() is not None else None


def refuse_repository_file(output: Path | None, repo: Path | str | None) -> None:
    """A usage error when ``--output`` names a file okrctl reads as part of the repository (a YAML
    file under the root, outside hidden folders and ``exclude``): writing there would replace an
    OKR document or the config with a report. Nor is a path of git's own (``.git/HEAD``): a report
    there would break the repository. Checked before the command does its work."""
    if output is None:
        return
    from okrctl.errors import OkrctlError, UsageError
    from okrctl.gitio.repo import git_owned_words
    from okrctl.load.pipeline import read_as_document
    from okrctl.repofiles import link_refusal

    linked = link_refusal(output)  # refused before the work, as a wrong path is
    if linked is not None:
        raise UsageError(f"--output: cannot write {shown_path(output)}: {shown_path(linked)}")
    owned = git_owned_words(output)
    if owned is not None:
        raise UsageError(f"--output: {shown_path(output)} {owned}; write the output elsewhere")

    try:
        root = find_repo_root(repo)
    except OkrctlError:
        return  # the command says so itself
    rel = read_as_document(root, output)
    if rel is None:
        return
    named = "" if Path(output).as_posix() == rel else f" ({rel} in the repository)"
    raise UsageError(
        f"--output: {shown_path(output)}{shown_path(named)} is a file okrctl reads as an OKR document; "
        "write the output elsewhere"
    )


class OutputFailed(UsageError):
    """Standard output could not be written (a full disk, a device that refuses it): exit 2, one
    line that says so (``cannot write to standard output: No space left on device``)."""

    def __init__(self, exc: OSError) -> None:
        said = str(exc.strerror or exc)
        super().__init__(said if "standard output" in said else f"cannot write to standard output: {said}")


def output_failure(exc: BaseException) -> str | None:
    """The line for standard output failing (:class:`OutputFailed`, or the ``OSError`` of a write to
    it), or None when ``exc`` is another failure: an error that names a file is about that file, and
    a pipe whose reader left is no failure (``okrctl … | head -1``)."""
    import errno

    from okrctl.cli.app import WRITE_ERRNOS
    from okrctl.cli.entry import closed_output

    if isinstance(exc, OutputFailed):
        return exc.message
    if not isinstance(exc, OSError) or isinstance(exc, BrokenPipeError) or exc.filename:
        return None
    if exc.errno in WRITE_ERRNOS or (exc.errno == errno.EBADF and closed_output()):
        return OutputFailed(exc).message
    return None


def done_all_the_same(said: str, what: str, done: list[str]) -> UsageError:
    """The refusal when standard output failed (``said``) after the command wrote or committed
    something: what was ``done``, so that nobody runs it again, or that nothing was written."""
    if not done:
        return UsageError(f"{said}; nothing was written")
    return UsageError(f"{said}; {what} all the same ({'; '.join(done)})")


@contextmanager
def saying_what_was_done(what: str) -> Iterator[list[str]]:
    """Around the part of a command that writes files (or commits) and says so: each step goes into
    the list given (``wrote okrs/2027-Q1/cards.yaml``, ``committed 1a2b3c4 …``). When standard output
    fails (a full disk), before or after those steps, the line names what was done all the same —
    ``… the draft objective is written all the same (wrote …)`` — or says that nothing was written,
    and the exit code is 2, as for ``checkin``. An ``--output`` the file system refuses after the
    steps (read-only, full) names them too, exit 1 as any refused write. Output still in the buffer
    is flushed inside, so a failure at the end is caught here too, not at exit."""
    from okrctl.repofiles import Unwritable

    done: list[str] = []
    try:
        yield done
        sys.stdout.flush()
    except Unwritable as exc:
        if not done:  # the file of the repository itself could not be written
            raise
        # ``--output`` on a file system that refuses it, after the file was written: said, so that
        # nobody runs the command again with another output to be refused because the file exists.
        outcome = f" ({exc.outcome})" if exc.partly else ""
        raise ContentError(
            f"{exc.where}: cannot be written: {exc.reason}{outcome}; {what} all the same ({'; '.join(done)})"
        ) from None
    except (OSError, UsageError) as exc:
        said = output_failure(exc)
        if said is None:
            raise
        raise done_all_the_same(said, what, done) from None


def check_output(output: Path | None) -> None:
    """Refuse a wrong ``--output`` (exit 2) before a command writes a file of the repository
    (``plan --write``, ``retro --write``): the usage error then means that nothing was written."""
    if output is None:
        return
    from okrctl.errors import UsageError
    from okrctl.fsutil import output_refused
    from okrctl.repofiles import link_refusal

    linked = link_refusal(output)
    if linked is not None:
        raise UsageError(f"--output: cannot write {shown_path(output)}: {shown_path(linked)}; nothing was written")
    refused = output_refused(output)
    if refused is not None:
        raise UsageError(
            f"--output: cannot write {shown_path(output)}: {shown_path(refused.strerror or refused)}; nothing was written"
        )
    closed = closed_stream_named(output)
    if closed is not None:  # asked here too: at ``emit`` the file of the repository is written
        raise UsageError(f"--output: cannot write {shown_path(output)}: {closed}; nothing was written")


def emit(text: str, output: Path | None, *, data: bool = False, keep: Callable[[Path], None] | None = None) -> None:
    """Write the rendered text to ``--output`` (atomically) or standard output. A path that cannot
    be an output (a folder, a missing folder) is a usage error (exit 2); a write the file system
    refuses (read-only, full) is ``Unwritable`` (exit 1): nothing was written.

    ``data``: a format for programs and files (JSON, SARIF, HTML, Markdown, …), written to standard
    output as UTF-8 whatever its encoding (a Latin-1 locale, a Windows code page), as ``--output``
    writes it; the text views are written in the stream's encoding, with ASCII substitutes for what
    it cannot show, and ``##[`` written ``#\\x23[`` (``safetext.inert``): a title is no workflow
    command in a CI log.

    ``keep``: refuses (raises) to replace the file ``output`` names, asked under its lock until the
    new file is in place (``fsutil.write_output``)."""
    if not data:
        from okrctl.safetext import inert

        text = inert(text)
    if "okrctl.cli.progress" in sys.modules:
        from okrctl.cli.progress import finish

        finish()
    if output is None:
        if text and not text.endswith("\n"):
            text += "\n"
        try:
            from okrctl.cli.entry import closed_output
            from okrctl.cli.streams import encoding_of

            if not text and closed_output():
                # Nothing to write (no finding): a closed stream is refused all the same, as any
                # other output is, and as an empty write to ``/dev/full`` fails.
                import errno

                raise OSError(errno.EBADF, "standard output is closed")
            # (utf-8-sig is no UTF-8 here: it would open a pipe with a byte-order mark)
            raw = getattr(sys.stdout, "buffer", None) if data and encoding_of(sys.stdout) != "utf8" else None
            if raw is not None:
                sys.stdout.flush()
                raw.write(text.encode("utf-8"))
                raw.flush()
            else:
                sys.stdout.write(text)
            sys.stdout.flush()
        except BrokenPipeError:  # the reader has what it wanted (``okrctl status | head -1``)
            from okrctl.cli.entry import reader_left

            reader_left()
        except OSError as exc:  # a full disk or a device that refuses the output
            raise OutputFailed(exc) from None
        return
    from okrctl.errors import UsageError
    from okrctl.fsutil import OutputRefused, write_output
    from okrctl.repofiles import Unwritable

    closed = closed_stream_named(output)
    if closed is not None:
        raise UsageError(f"--output: cannot write {shown_path(output)}: {closed}")
    from okrctl.repofiles import link_refusal

    linked = link_refusal(output)  # asked again: the work may have taken a while
    if linked is not None:
        raise UsageError(f"--output: cannot write {shown_path(output)}: {shown_path(linked)}")
    try:
        # The same bytes as standard output: an empty output (no finding, no reviewer) is an empty
        # file, not one blank line a ``while read`` loop would take for an entry.
        write_output(output, text if not text or text.endswith("\n") else text + "\n", keep=keep)
    except OutputRefused as exc:  # the path given is wrong: a usage error (exit 2)
        # The path as given, escaped (the reason may name its folder): one line, whatever the name holds.
        raise UsageError(f"--output: cannot write {shown_path(output)}: {shown_path(exc.strerror or exc)}") from None
    except BrokenPipeError:
        return  # ``-o /dev/stdout | head -1``: the reader has what it wanted, as on standard output
    except OSError as exc:  # the file system refused the write (read-only, full): exit 1, as a check-in
        raise Unwritable(str(output), exc) from None


def closed_stream_named(output: Path) -> str | None:
    """``standard output is closed`` (``error``, ``input``) when ``output`` names one of okrctl's
    standard streams that the caller closed (``okrctl report -o /dev/stdout >&-``), else None.

    The stream is found as ``write_output`` finds it (``fsutil.descriptor_named``): ``/dev/stdout``,
    ``//dev/stdout``, ``/dev/fd/1`` or a link to one of them. Its descriptor holds the null device
    then (``entry.guard_streams``), so the write would go through and the output be lost, exit 0."""
    from okrctl.cli.entry import ClosedStream
    from okrctl.fsutil import OutputRefused, descriptor_named

    try:
        fd = descriptor_named(output)
    except OutputRefused:
        return None  # none of the standard streams: the write refuses it
    stream = {0: sys.stdin, 1: sys.stdout, 2: sys.stderr}.get(fd) if fd is not None else None
    if isinstance(stream, ClosedStream):  # a closed standard error is its subclass, ``_Discard``
        return f"standard {stream.name} is closed"
    return None


def run_read_only(
    repo: Path | None,
    inputs: list[object],
    compute: Callable[[Repo], tuple[str, int]],
    *,
    use_cache: bool = True,
    memoize: bool = True,
    reads_history: bool = False,
    lenient: bool | None = None,
    scope: ScopeFor | None = None,
) -> tuple[str, int]:
    """Load the repository and ``compute`` (text, exit code), or reuse the last identical result.

    Unless ``lenient`` (the default for ``align``, which reports every problem itself), a broken
    config stops the command and files left out for their errors are noted on standard error.

    The result memo is keyed on the repository's content fingerprint, git HEAD when the command
    reads history (outside git, whether git is on PATH), and ``inputs`` (every option, today, colour
    and width), so an unchanged repeat run prints at once without parsing or validating anything.
    """
    import hashlib
    import json

    from okrctl.cli.entry import keep
    from okrctl.load.cache import ResultMemo
    from okrctl.load.pipeline import load_repo, scan

    root = find_repo_root(repo)
    snapshot = keep(scan(root, use_cache=use_cache))
    memo = ResultMemo.open(root) if use_cache and memoize else None

    def memo_key() -> str:
        history = ""
        if reads_history:
            from okrctl.gitio.repo import head_state

            history = head_state(root)
            if not history:
                import shutil

                # Outside git the answer says why the history was not read, "git is not installed"
                # or "not a git repository": the machine's PATH tells which, not the repository,
                # so a result of a run without git on PATH is not one of a run with it.
                history = "git on PATH" if shutil.which("git") else "no git on PATH"
            # A --today before the real day reads the history as of that day (commits after it left
            # out), the real day or later reads all of it: which one depends on the machine's
            # day, not only on --today (a repeat after midnight, or in another time zone).
            history += f" {date.today().isoformat()}"
        from okrctl.load.cache import code_stamp

        material = json.dumps([snapshot.fingerprint, code_stamp(), str(root), history, [str(i) for i in inputs]])
        return hashlib.blake2b(material.encode(), digest_size=20).hexdigest()

    # A snapshot whose files are still to be read has no fingerprint yet: nothing can be reused.
    if memo is not None and snapshot.fingerprint:
        hit = memo.get(memo_key())
        if hit is not None:
            snapshot.save_stats()
            _note(hit[2])
            return hit[0], hit[1]
    quiet = any(str(value) == "json" for value in inputs)
    repository = load_repo(root, snapshot=snapshot, scope=lenient_scope(scope), progress=progress_line(quiet))
    if lenient is None:
        lenient = bool(inputs) and inputs[0] == "align"
    if not lenient:
        refuse_broken_config(repository)
    text, code = compute(keep(repository))
    note = history_note(repository) if lenient else view_notes(repository)
    _note(note)
    # A file saved while the command ran may have given it places from other bytes than the
    # fingerprint's: such an answer is shown, never reused. Nor is one that saw the history in part
    # (objects a partial clone lacks): fetching them changes the answer, not the key.
    from okrctl.analysis.history import history_incomplete

    if memo is not None and snapshot.fingerprint and not repository.changed_meanwhile and not history_incomplete(note):
        memo.put(memo_key(), text, code, note)
    return text, code


def refuse_broken_config(repository: Repo) -> None:
    """Numbers computed with the default scale or cycles instead of the configured ones would be
    wrong without saying so: a broken okrctl.yaml stops every view."""
    from okrctl.errors import ContentError
    from okrctl.load.discover import CONFIG_NAME

    problems = repository.config_problems()
    if problems:
        first = problems[0]
        raise ContentError(
            f"{first.message}; fix the config first ('okrctl align' shows every problem)",
            path=CONFIG_NAME,
            line=first.line,
        )


def unreadable_note(repository: Repo) -> str:
    """Views show what is valid; say so when some documents were left out (a file with errors may
    hold valid documents too, which are shown)."""
    from okrctl.safetext import shown_path

    broken = {f.path for f in repository.unread_findings()}
    if not broken:
        return ""
    count = len(broken)
    return (
        f"okrctl: note: the documents with errors in {count} file{'s' if count != 1 else ''} are left out of what "
        f"is shown (first: {shown_path(sorted(broken)[0])}); 'okrctl align' shows why"
    )


def out_of_scale_note(repository: Repo, owner: str | None = None) -> str:
    """A check-in whose confidence lies outside the configured scale is valid, and its values are
    shown, but that confidence is no point of any trend (OKR504): say so, or the last confidence
    shown would be an older check-in's without a word. ``owner``: of that team's check-ins only."""
    from okrctl.analysis.state import outside_scale
    from okrctl.safetext import shown_path

    outside = outside_scale(repository, owner)
    if not outside:
        return ""
    scale = repository.config.checkin.confidence
    count = len(outside)
    return (
        f"okrctl: note: a confidence outside the scale {scale.min:g}–{scale.max:g} in {count} check-in"
        f"{'s' if count != 1 else ''} is left out of what is shown (first: {shown_path(outside[0])}); "
        "'okrctl align' shows where (OKR504)"
    )


def view_notes(repository: Repo) -> str:
    """The lines a view says on standard error: files left out, confidences outside the scale left
    out, and history it could not see."""
    from okrctl.analysis.history import MOVED_NOTE_KEY

    moved = repository.derived.get(MOVED_NOTE_KEY, "")
    lines = (unreadable_note(repository), out_of_scale_note(repository), moved if isinstance(moved, str) else "")
    return "\n".join(line for line in lines if line)


def history_note(repository: Repo) -> str:
    """What OKR601 could not see of the git history (``rules.history.history_note``), when the
    rules ran on this repository."""
    from okrctl.rules.history import NOTE_KEY

    note = repository.derived.get(NOTE_KEY, "")
    return note if isinstance(note, str) else ""


def _note(line: str) -> None:
    if line:
        from okrctl.safetext import inert

        # (Its names are escaped where it was made; git's own words and an author's name are not.)
        sys.stderr.write(inert(line) + "\n")


def say_what_git_said(problem: CommitRejected) -> None:
    """What git or a refusing hook printed, whole, on standard error, before okrctl's own line
    (nothing when that line already says all of it: ``CommitRejected.shown_output``)."""
    said = problem.shown_output()
    if said:
        sys.stderr.write(said.rstrip("\n") + "\n")


def commits_it(problem: CommitRejected, command: str) -> str:
    """What commits a file whose commit ``problem`` refused, for the end of the line that says so
    (`` (okrctl checkin --amend (same team and date) commits it)``): ``command`` at once when other
    gits were in the way, once the cause is fixed when git or a hook refused it; else nothing."""
    if problem.again:
        return f" ({command} commits it)"
    if problem.once_fixed:
        return f" (once the cause is fixed, {command} commits it)"
    return ""


def warn_if_detached(committed: Committed | None) -> None:
    """One line on stderr when a commit okrctl made is on a detached HEAD: on no branch, it is left
    behind by the next checkout, and only git's reflog still knows it."""
    if committed is None or not committed.detached:
        return
    short = committed.sha[:7]
    sys.stderr.write(
        f"okrctl: warning: committed on a detached HEAD at {short}, not on any branch: the next checkout "
        f"leaves it behind; keep it with 'git branch NAME {short}' (or 'git switch -c NAME')\n"
    )
    sys.stderr.flush()


def refuse_what_a_hook_changed(committed: Committed | None) -> None:
    """Exit 1 when a git hook changed the file in the commit okrctl made (``changed_by_hook``): the
    commit stays as git made it, but it does not hold what the run wrote, so the run did not do
    what it was asked, and a script that runs it (the Friday job) learns so."""
    if committed is not None and committed.changed_by_hook:
        raise ContentError(committed.changed_by_hook)


def written_when_stopped(rel: str, committed: bool | None, again: str, left: str = "") -> str:
    """What a command stopped while git committed its file had done (the file is written, never
    undone): for the "interrupted" line, so that nobody runs it again to be told the file exists.
    ``committed``: as HEAD tells (``gitio.commit.committed_when_stopped``); None when git cannot.
    ``left``: the git command that takes the file's intent-to-add entry out of the index, when git
    could not (``gitio.commit.left_in_index_when_stopped``)."""
    from okrctl.safetext import shown_path

    if committed:
        return f"{shown_path(rel)} is written and committed"
    also = f", and git could not take it out of the index again: {left}" if left else ""
    if committed is None:
        return f"{shown_path(rel)} is written; git could not tell whether it is committed (see 'git status'){also}"
    return f"{shown_path(rel)} is written and left uncommitted ({again} commits it){also}"
