"""The ``okrctl`` command. Only typer is imported here: ``--help`` and ``--version`` stay fast."""

from __future__ import annotations

import contextlib
import copy
import errno
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer 0.26 and later carry their own copy of click; before, typer used the click package
    from typer import _click as click
except ImportError:  # pragma: no cover - typer < 0.26
    import click  # type: ignore[no-redef]

from okrctl import __version__

_CLICK_SIGNALS: tuple[type[BaseException], ...] = (
    typer.Exit,
    typer.Abort,
    click.exceptions.ClickException,
)


def _stderr(line: str) -> None:
    """One line on standard error; when that cannot be written either (a full disk behind both
    streams), the exit code alone tells what happened: the line is dropped, never raised instead."""
    try:
        sys.stderr.write(line.rstrip("\n") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


# click 8.2 and later show the help for a command given no arguments by raising this usage error.
_HELP_ERRORS: tuple[type[BaseException], ...] = tuple(
    error for error in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if error is not None
)


def _stopped(exc: KeyboardInterrupt) -> None:
    """Ctrl-C, SIGTERM or SIGHUP (``cli.entry.Terminated``) while a command ran: one line and the
    signal's exit code, as everywhere else."""
    from okrctl.cli.entry import progress_gone, stopped_by

    progress_gone()
    _stderr(f"okrctl: {stopped_by(exc)}")
    raise typer.Exit(getattr(exc, "exit_code", 130)) from None


def _usage_line(exc: Any, command: str = "") -> None:
    """click's usage error (an unknown option or command, a missing value) as okrctl's one line,
    where click would print the usage, a hint and the error on four lines."""
    if isinstance(exc, _HELP_ERRORS):
        raise exc  # ``okrctl`` alone: click prints the help, as asked for
    context = getattr(exc, "ctx", None)
    where = context.command_path if context is not None and context.parent is not None else "okrctl"
    if where == "okrctl" and command:
        where = f"okrctl {command}"
    message = " ".join(str(exc.format_message()).split()).rstrip(".")
    _stderr(f"okrctl: {message} (see '{where} --help')")
    raise typer.Exit(exc.exit_code)


def _option_before_command(exc: Any, command: Any, name: str) -> None:
    """``okrctl --repo X status``: an option of the command written before it (okrctl's own
    options are read up to the command's name, so it came first). click says only that okrctl has
    no such option; the fix is where it goes (exit 2)."""
    option = getattr(exc, "option_name", None)
    if command is None or not isinstance(exc, click.exceptions.NoSuchOption) or not option:
        return
    if not any(option in param.opts for param in command.params):
        return
    _stderr(f"okrctl: {option} goes after the command: okrctl {name} {option} … (see 'okrctl {name} --help')")
    raise typer.Exit(exc.exit_code)


# Errors a write to a stream gives (a full disk, a device that refuses it, a size limit).
WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EDQUOT})


class OkrctlGroup(TyperGroup):
    """Turns domain errors into one line and an exit code, and anything unexpected into exit 3."""

    def make_context(self, info_name: Any, args: list[str], *rest: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(info_name, args, *rest, **kwargs)
        except click.exceptions.UsageError as exc:  # ``okrctl --bogus``, ``okrctl status --team``
            command = next((word for word in args if word in self.commands), "")
            _option_before_command(exc, self.commands.get(command), command)
            _usage_line(exc, command)
        except BrokenPipeError:  # ``okrctl --help | head -1``: the reader has what it wanted
            from okrctl.cli.entry import reader_left

            reader_left()
            raise typer.Exit(0) from None
        except KeyboardInterrupt as exc:
            # While the options are read (typer imports pydantic then): typer would exit 130 silently.
            _stopped(exc)

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                done = self._invoke(ctx)
                from okrctl.cli.entry import signalled

                stopped = signalled()
                if stopped is not None:
                    # The signal's exception was raised where Python ignores exceptions (a
                    # callback git's fork or a finalizer ran): the command went on, but it was
                    # stopped all the same, and says so with the signal's exit code.
                    raise stopped
                return done
            finally:
                from okrctl.forked import Background

                # Workers that write to the store while the command goes on: done before it returns.
                Background.join_all()
                store = sys.modules.get("okrctl.load.store")
                if store is not None:
                    store.forget_notes()  # (the next command of this process says its own again)
        except KeyboardInterrupt as exc:  # out of ``_invoke``'s reach: typer would exit 130 silently
            _stopped(exc)

    def _invoke(self, ctx: Any) -> Any:
        from okrctl.cli.streams import tolerant_streams
        from okrctl.errors import OkrctlError

        tolerant_streams()
        # The command's name, read before click takes the words to run it (for a usage error's hint).
        words = [*getattr(ctx, "_protected_args", getattr(ctx, "protected_args", [])), *ctx.args]
        command = words[0] if words and words[0] in self.commands else ""
        try:
            _refuse_undecodable(ctx, self.commands.get(command), words[1:])
            _refuse_option_as_value(ctx, self.commands.get(command), words[1:])
            return super().invoke(ctx)
        except click.exceptions.UsageError as exc:  # ``okrctl bogus``, ``okrctl status --bogus``
            _usage_line(exc, command)
        except _CLICK_SIGNALS:
            raise
        except OkrctlError as exc:
            # Whatever it quotes, no escape sequence or control character reaches the terminal
            # (``safetext.shown_path``); a message of several lines (every problem of a values
            # file) keeps its lines, and names quoted from the repository are escaped where made.
            from okrctl.safetext import shown_path

            _stderr("okrctl: " + "\n".join(shown_path(line) for line in str(exc).split("\n")))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt as exc:
            _stopped(exc)
        except BrokenPipeError:
            # The reader left early (``okrctl status --help | head -1``): what writes outside
            # ``common.emit`` (which goes on quietly) is help and the lines of a command that did
            # its work (checkin, measure, plan --write): its own exit code is 0.
            from okrctl.cli.entry import reader_left

            reader_left()
            raise typer.Exit(0) from None
        except OSError as exc:
            # A path the user named cannot be read or written: their input, not our bug. An
            # error without a path that only a write gives is the output stream's (/dev/full).
            where = f"{exc.filename}: " if exc.filename else ""
            if not exc.filename and exc.errno in WRITE_ERRNOS:
                where = "cannot write to standard output: "
            from okrctl.safetext import shown_path

            if not exc.filename and exc.errno == errno.ENOENT and _working_folder_gone():
                # A relative path is found from the working folder, which was removed after the
                # shell entered it (os.getcwd fails): git says "Unable to read current working directory".
                _stderr(
                    "okrctl: the folder okrctl runs in no longer exists (removed after the shell entered it): "
                    "cd to a folder that exists, or give absolute paths"
                )
                raise typer.Exit(2) from None
            _stderr(f"okrctl: {shown_path(f'{where}{exc.strerror or exc}')}")
            raise typer.Exit(2) from None
        except Exception as exc:
            from okrctl.cli.entry import signalled

            stopped = signalled()
            if stopped is not None:  # a library raised its own error for the signal (``signalled``)
                _stopped(stopped)
            if os.environ.get("OKRCTL_DEBUG"):
                import traceback

                traceback.print_exc()
            detail = " ".join(str(exc).split())[:300]
            _stderr(f"okrctl: internal error: {type(exc).__name__}: {detail} (set OKRCTL_DEBUG=1 for the traceback)")
            raise typer.Exit(3) from None


def _working_folder_gone() -> bool:
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


def _undecodable(text: object) -> bool:
    """Whether ``text`` holds bytes Python could not decode in the locale's encoding: it reads the
    command line and the environment with ``surrogateescape``, each such byte a lone surrogate."""
    from okrctl.safetext import undecoded_bytes

    return isinstance(text, str) and bool(undecoded_bytes(text))


def _refuse_undecodable(ctx: Any, command: Any, words: list[str]) -> None:
    """A usage error (2) for a text option, argument or ``OKRCTL_`` variable whose bytes are not
    text in the locale's encoding (a Latin-1 ``é`` from an old script under a UTF-8 locale):
    written into a check-in, it would come back as a YAML error of a file never written. One
    place for every command; paths (``--repo``, ``--output``, ``--values-from``) may hold any
    bytes a file name can, and are left alone."""
    variables = [name for name, value in os.environ.items() if name.startswith("OKRCTL_") and _undecodable(value)]
    if command is None or not (variables or any(_undecodable(word) for word in words)):
        return
    context = click.Context(command, info_name=command.name, parent=ctx, resilient_parsing=True)
    try:
        given, _rest, _order = command.make_parser(context).parse_args(args=list(words))
    except click.exceptions.ClickException:
        return  # a mistyped option: click's own line names it
    if given.get("help"):
        return  # the help reads no option: it is shown as asked
    for param in command.get_params(context):
        if _names_a_path(param):
            continue
        value = given.get(param.name)
        values = value if isinstance(value, (list, tuple)) else [value]
        named = _option_name(param)
        if not any(isinstance(v, str) for v in values):
            envvars = param.envvar if isinstance(param.envvar, (list, tuple)) else [param.envvar]
            found = next((name for name in envvars if name in variables), None)
            if found is None:
                continue
            values, named = [os.environ[found]], found
        for text in values:
            if _undecodable(text):
                from okrctl.errors import UsageError

                raise UsageError(_undecodable_words(named, text))


def _refuse_option_as_value(ctx: Any, command: Any, words: list[str]) -> None:
    """A usage error (2) for an option that takes a value followed by another of the command's
    options: ``checkin -p --dry-run`` (the plan's text forgotten) would take ``--dry-run`` as the
    plan and commit the check-in, ``align -o --strict`` write a file named ``--strict``. click takes
    any word after such an option as its value. A value that is an option's name is still given
    as ``--plan=--dry-run``; a word that is no option of the command (``-5``, ``-``) is a value."""
    if command is None:
        return
    takes_value: dict[str, str] = {}
    names: set[str] = set()
    for param in command.params:
        if getattr(param, "param_type_name", "") != "option":
            continue
        every = [*param.opts, *param.secondary_opts]
        names.update(every)
        if not param.is_flag and not param.count:
            long = next((o for o in param.opts if o.startswith("--")), param.opts[0])
            takes_value.update(dict.fromkeys(param.opts, long))
    # The help option is no parameter of the command: its names (``-h``, ``--help``) as the
    # context gives them.
    names.update(["--help", *getattr(ctx, "help_option_names", ())])
    index = 0
    while index < len(words) - 1:
        word = words[index]
        if word == "--":
            return  # what follows is arguments, never options
        if word in takes_value:
            following = words[index + 1]
            # ``--format=json``, and a short option with its value glued on (``-iblocked``, ``-fjson``).
            glued = following[:2] if following[:1] == "-" and following[1:2] != "-" else ""
            if following.split("=", 1)[0] in names or (len(following) > 2 and glued in takes_value):
                from okrctl.errors import UsageError
                from okrctl.safetext import shown_value

                long = takes_value[word]
                raise UsageError(
                    f"{word} needs a value, but the next word is the option {shown_value(following)}; "
                    f"give {word} its value (write {long}={shown_value(following)} if that is the value)"
                )
            index += 2
            continue
        index += 1


# Parameters that name a file or folder, whatever their type: ``--output`` (parsed by its own
# function, so not a click Path), ``schema --output`` and ``init DIR`` (text, so that an empty value
# is not read as '.').
_PATH_PARAMETERS = frozenset({"output", "repo", "values_from", "directory", "outdir"})


def _names_a_path(param: Any) -> bool:
    if getattr(param, "name", None) in _PATH_PARAMETERS:
        return True
    described = getattr(param, "type_descriptor", None)  # typer 0.26 and later
    if described is not None:
        return bool(getattr(described, "is_path", False) or getattr(described, "is_file", False))
    kinds = tuple(kind for kind in (getattr(click, "Path", None), getattr(click, "File", None)) if kind is not None)
    return bool(kinds) and isinstance(getattr(param, "type", None), kinds)


def _option_name(param: Any) -> str:
    opts = [name for name in getattr(param, "opts", []) if name.startswith("-")]
    if opts:
        return max(opts, key=len)
    return str(param.name or "argument").upper()


def _undecodable_words(named: str, text: str) -> str:
    """``--issue: 'caf\\xe9 machine down' is not valid UTF-8 text (the byte 0xe9): …``."""
    from okrctl.safetext import shown_value, the_bytes, undecoded_bytes

    encoding = sys.getfilesystemencoding().upper()
    shown = shown_value(text)  # each undecoded byte as ``\\xNN``
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return (
        f"{named}: '{shown}' is not valid {encoding} text ({the_bytes(undecoded_bytes(text))}); "
        f"give it in {encoding}, the encoding of the locale"
    )


def _argument_word(argument: Any) -> str:
    """How a command's help names an argument, in its usage line and in its list of arguments, as
    click writes it: ``OUTDIR`` when it must be given, ``[BASE]`` when it may be left out,
    ``[PATHS]...`` for any number. typer 0.29 writes ``{OUTDIR}`` in the usage line and a Python
    type in the list (``paths... <list[Path]>``, ``OUTDIR <str>``); earlier ones write the metavar
    as given, brackets or not."""
    word = argument.metavar or (argument.name or "").upper()
    if not argument.required:
        word = f"[{word}]"
    return word + ("..." if argument.nargs != 1 else "")


class OkrctlCommand(TyperCommand):
    """A command whose help reads the same on every typer okrctl runs on (see ``_argument_word``);
    an option's value is named by its metavar."""

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        return pieces + [_argument_word(p) for p in self.get_params(ctx) if p.param_type_name == "argument"]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                arguments.append((_argument_word(param), record[1]))
            else:
                options.append(record)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class OkrctlTyper(typer.Typer):
    """okrctl's command line: every command is an ``OkrctlCommand``."""

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["cls"] = kwargs.get("cls") or OkrctlCommand
        return super().command(*args, **kwargs)


app = OkrctlTyper(
    cls=OkrctlGroup,
    name="okrctl",
    help="OKRs as YAML files in a git repository: check-ins, alignment checks, reports.",
    no_args_is_help=True,
    # --install-completion / --show-completion; the completion code is imported only when they are used.
    add_completion=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def version_line() -> str:
    """``okrctl 0.2.0 from /…/site-packages/okrctl (Python 3.11.7)``: which copy answers, and on what."""
    import platform

    import okrctl

    where = os.path.dirname(os.path.abspath(okrctl.__file__ or "okrctl"))
    return f"okrctl {__version__} from {where} (Python {platform.python_version()})"


def _version(value: bool) -> None:
    if value:
        typer.echo(version_line())
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
    ),
) -> None:
    """OKRs as YAML files in a git repository: check-ins, alignment checks, reports."""


# Each module registers its command on ``app``; they import only typer at module level.
from okrctl.cli import align as _align  # noqa: E402,F401
from okrctl.cli import checkin as _checkin  # noqa: E402,F401
from okrctl.cli import codeowners as _codeowners  # noqa: E402,F401
from okrctl.cli import diff as _diff  # noqa: E402,F401
from okrctl.cli import digest as _digest  # noqa: E402,F401
from okrctl.cli import history as _history  # noqa: E402,F401
from okrctl.cli import init as _init  # noqa: E402,F401
from okrctl.cli import map as _map  # noqa: E402,F401
from okrctl.cli import measure as _measure  # noqa: E402,F401
from okrctl.cli import plan as _plan  # noqa: E402,F401
from okrctl.cli import report as _report  # noqa: E402,F401
from okrctl.cli import retro as _retro  # noqa: E402,F401
from okrctl.cli import rules as _rules  # noqa: E402,F401
from okrctl.cli import schema as _schema  # noqa: E402,F401
from okrctl.cli import site as _site  # noqa: E402,F401
from okrctl.cli import status as _status  # noqa: E402,F401
from okrctl.cli import trends as _trends  # noqa: E402,F401


def app_for(args: list[str]) -> typer.Typer:
    """The command line that runs ``args``: where they start with a command's name, okrctl's group
    holding that command alone. typer turns every command's signature into click's options before
    it runs one (about 30 ms for the seventeen, a third of the start-up of ``okrctl --help``); the
    others are built only for what needs them all: the group's help, its options, a mistyped name
    (for click's suggestion), the shell's completion."""
    if args and not args[0].startswith("-"):
        from typer.main import get_command_name

        for info in app.registered_commands:
            if args[0] == (info.name or get_command_name(getattr(info.callback, "__name__", ""))):
                one = copy.copy(app)
                one.registered_commands = [info]
                return one
    return app


SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")
_COMPLETION_FLAGS = ("--install-completion", "--show-completion")


def _shell_running_okrctl() -> str:
    """The name of the shell okrctl was started from, or "" where it cannot be told."""
    try:
        import shellingham  # typer's own dependency for the same question

        return str(shellingham.detect_shell()[0]).lower()
    except Exception:  # not installed (typer-slim), or no shell among the parent processes
        return ""


def _completion(args: list[str]) -> None:
    """``--install-completion [SHELL]`` and ``--show-completion [SHELL]``.

    typer's own options only detect the shell okrctl runs in, and ignore a name after them. Here
    the name is used, and a shell that cannot be told or is not known is a one-line usage error.
    """
    from typer._completion_shared import get_completion_script, install

    flag, named = args[0], args[1] if len(args) > 1 else ""
    if len(args) > 2:
        _stderr(f"okrctl: {flag}: takes at most the name of a shell, not {' '.join(args[2:])!r}")
        sys.exit(2)
    shell = named.lower() or _shell_running_okrctl()
    if shell not in SHELLS:
        if named:
            problem = f"unknown shell {named!r}"
        elif shell:
            problem = f"okrctl does not complete {shell}, the shell it runs in"
        else:
            problem = "cannot tell which shell okrctl runs in"
        _stderr(f"okrctl: {flag}: {problem}; name one of: {', '.join(SHELLS)}")
        sys.exit(2)
    variable = "_OKRCTL_COMPLETE"
    if flag == "--show-completion":
        typer.echo(get_completion_script(prog_name="okrctl", complete_var=variable, shell=shell))
    else:
        if shell in ("powershell", "pwsh"):
            path = _install_powershell(
                shell, get_completion_script(prog_name="okrctl", complete_var=variable, shell=shell)
            )
        else:
            with _rc_file_kept_on_failure(shell):
                shell, path = install(shell=shell, prog_name="okrctl", complete_var=variable)
                if shell == "bash":
                    _bashrc_line_quoted(path)
        typer.echo(f"{shell} completion installed in {path}")
        typer.echo("Completion takes effect in a new terminal.")
    sys.exit(0)


def _install_powershell(shell: str, script: str) -> Path:
    """Add the completion script to PowerShell's ``$PROFILE``, which PowerShell itself names.

    typer's own install also set the user's execution policy to ``Unrestricted``, a security
    setting nobody asked okrctl to change, and where PowerShell is missing it failed with
    "powershell: No such file or directory". Here only the profile's path is asked (``pwsh`` where
    ``powershell`` is not installed, as on Linux and macOS), the script is added once, and a
    PowerShell that is missing or does not answer is one line, exit 1.
    """
    import shutil

    from okrctl.fsutil import atomic_write
    from okrctl.gitio.run import ask_program

    flag = "--install-completion"
    found = shutil.which(shell) or shutil.which("pwsh" if shell == "powershell" else "powershell")
    if found is None:
        _stderr(
            f"okrctl: {flag}: PowerShell is not installed here (neither 'pwsh' nor 'powershell' is on PATH); "
            f"run it from PowerShell, or add the output of 'okrctl --show-completion {shell}' to your $PROFILE"
        )
        sys.exit(1)
    answer = ask_program([found, "-NoLogo", "-NoProfile", "-NonInteractive", "-Command", "$PROFILE"], timeout=60)
    if isinstance(answer, str):
        _stderr(f"okrctl: {flag}: could not ask {found} for its profile: {answer}")
        sys.exit(1)
    returncode, said = answer
    lines = said.decode("utf-8", "replace").strip().splitlines()
    if returncode != 0 or not lines or not lines[-1].strip():
        _stderr(f"okrctl: {flag}: {found} did not name its profile (exit {returncode})")
        sys.exit(1)
    profile = Path(lines[-1].strip())
    try:
        if not profile.exists():
            atomic_write(profile, script.rstrip("\n") + "\n")  # a new file: whole or not at all
        else:
            # Added at the end of the file itself, through a link (a profile kept with dotfiles),
            # in its own line endings: nothing before it changes, its byte-order mark neither.
            before = profile.read_bytes()
            newline = b"\r\n" if b"\r\n" in before else b"\n"
            if script.strip().encode("utf-8") not in before.replace(b"\r\n", b"\n"):
                lines_of = script.rstrip("\n").encode("utf-8").split(b"\n")
                added = (newline if before and not before.endswith(b"\n") else b"") + newline.join(lines_of) + newline
                with open(os.path.realpath(profile), "ab") as file:
                    file.write(added)
                    file.flush()
                    os.fsync(file.fileno())
    except OSError as exc:
        _stderr(f"okrctl: {flag}: cannot write {profile}: {getattr(exc, 'strerror', None) or exc}")
        sys.exit(1)
    return profile


@contextlib.contextmanager
def _rc_file_kept_on_failure(shell: str) -> Iterator[None]:
    """The shell's start-up file as it was when installing the completion fails: the library adds
    the line that sources the script before it writes the script, so a script it cannot write (a
    file where its folder must be, a full disk) left every new shell printing an error."""
    rc = {"bash": ".bashrc", "zsh": ".zshrc"}.get(shell)
    path = Path.home() / rc if rc else None
    before: bytes | None = None
    if path is not None:
        try:
            before = path.read_bytes()
        except FileNotFoundError:
            before = None
        except OSError:
            path = None  # unreadable: the library's own write fails on it, naming it
    try:
        yield
    except OSError:
        if path is not None:
            with contextlib.suppress(OSError):
                if before is None:
                    path.unlink()
                else:
                    path.write_bytes(before)
        raise


def _bashrc_line_quoted(script: Path) -> None:
    """The line of ``~/.bashrc`` that sources the completion script, quoted for bash.

    typer writes it as ``source '<path>'``: a home whose path holds a ``'`` ends the quotes there,
    and every new bash then printed "unexpected EOF while looking for matching `''" without the
    completion. Where that line is wrong it is replaced by the path as ``shlex.quote`` gives it;
    where it is right (no ``'``) it stays as typer wrote it, so a later install still finds it.
    Called inside ``_rc_file_kept_on_failure``: a file that cannot be rewritten is put back.
    """
    import locale
    import shlex

    if "'" not in str(script):
        return
    # typer writes the file in the locale's encoding (``write_text`` without one); bytes elsewhere
    # in it are the user's and kept as they are.
    encoding = locale.getpreferredencoding(False)
    typers = f"source '{script}'".encode(encoding, "surrogateescape")
    ours = f"source {shlex.quote(str(script))}".encode(encoding, "surrogateescape")
    rc = Path.home() / ".bashrc"
    lines = rc.read_bytes().split(b"\n")
    kept = [line for line in lines if line != typers]
    if ours not in kept:  # where typer put its line: last, before the final newline
        kept.insert(len(kept) - 1 if kept[-1:] == [b""] else len(kept), ours)
    if kept != lines:
        rc.write_bytes(b"\n".join(kept))


def _complete() -> None:
    """A completion request of the shell's completion function (``_OKRCTL_COMPLETE`` set): what
    that function sets beside it (``COMP_WORDS``, ``COMP_CWORD``, …) missing or malformed is one
    line and exit 2, not the library's traceback."""
    try:
        app(prog_name="okrctl")
    except (KeyError, ValueError, IndexError) as exc:
        _stderr(
            "okrctl: _OKRCTL_COMPLETE is set, but the variables the shell's completion sets beside it are "
            f"missing or malformed ({type(exc).__name__}: {exc}); it is for the completion script alone"
        )
        sys.exit(2)


def run() -> None:
    """Run the command line (streams already made safe by ``okrctl.cli.entry``)."""
    try:
        args = sys.argv[1:]
        if args[:1] and args[0] in _COMPLETION_FLAGS:
            _completion(args)
        if os.environ.get("_OKRCTL_COMPLETE"):
            _complete()
        app_for(args)(prog_name="okrctl")
    except KeyboardInterrupt as exc:  # between click's own handling and the exit: still one line
        from okrctl.cli.entry import interrupted

        interrupted(exc)
    except BrokenPipeError:  # ``okrctl --help | head -1``: the reader has what it wanted
        from okrctl.cli.entry import reader_left

        reader_left()
        sys.exit(0)
    except OSError as exc:  # outside a command: a stream that cannot be written, or a file it names
        said = str(exc.strerror or exc)
        if exc.filename:
            said = f"{exc.filename}: {said}"
        elif exc.errno in WRITE_ERRNOS and "standard output" not in said:
            said = f"cannot write to standard output: {said}"
        _stderr(f"okrctl: {said}")
        sys.exit(2)


def main() -> None:
    """The ``okrctl`` command (``okrctl.cli.entry.main`` also guards the imports above)."""
    from okrctl.cli.entry import guard_streams

    guard_streams()
    run()
