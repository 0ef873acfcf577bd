"""The one way okrctl runs git: a program with an argument list, bytes in, bytes out.

Every git call in okrctl goes through ``run_git``; no other module starts git (a test over the
import graph holds that). What it guarantees to every caller:

* no shell, and ``--`` before paths in the callers, so no id or file name becomes an option;
* **literal pathspecs** (``--literal-pathspecs``): a file named ``:!*.yaml`` or ``*`` is that
  file, never pathspec magic that widens or empties the set of paths (a command that runs hooks
  names each path ``:(literal)…`` instead: git hands the option on to the hooks);
* **the repository around the folder it is given**, never one named by the environment: the
  variables git uses to point elsewhere (``GIT_DIR``, ``GIT_INDEX_FILE``, ``GIT_WORK_TREE``, …,
  as set inside a git hook or a script) are removed, so a check-in made from a hook builds its
  commit from the real index;
* **the objects as written**: replace refs are ignored (``--no-replace-objects``), so a planted
  ``refs/replace/`` cannot rewrite the history okrctl reads;
* **only a repository found through a ``.git``** (``safe.bareRepository=explicit``): a folder
  holding ``HEAD``, ``config``, ``objects/`` and ``refs/`` is what a commit can plant, and git
  would take it for a bare repository and obey its config (a file system monitor, a hooks folder,
  a pager); git refuses it, and ``run_git`` raises ``RefusedRepository`` whatever ``check`` says;
* output that parses the same everywhere: no colours, no quoted paths, no signature lines, no
  prompts (``GIT_TERMINAL_PROMPT=0``), no optional locks taken behind the user's back;
* **no network**: every transport is forbidden (``protocol.allow=never``, and
  ``GIT_ALLOW_PROTOCOL`` empty, which overrides a ``protocol.<name>.allow`` of any configuration),
  and lazy fetching is off where git knows the switch (``GIT_NO_LAZY_FETCH=1``, git 2.45 on). A
  partial clone would otherwise fetch a blob it lacks from its promisor remote the moment a
  command needs it, running ``core.sshCommand`` or ``GIT_SSH_COMMAND`` and waiting on the network
  as long as the remote takes; forbidden, git fails at once, and the blob is missing (callers
  say so). The one exception is a command that runs the repository's hooks (``offline=False``:
  the ``add`` and ``commit`` of a check-in): hooks are the user's programs and run as they run
  under a plain ``git commit``, a hook that fetches included (the settings would reach them).

Why not gitpython's ``Git`` runner: it starts every command from a copy of ``os.environ`` and can
only add variables, never remove one (an inherited ``GIT_INDEX_FILE`` cannot be dropped), it forces
``LC_ALL=C`` on hooks whose messages the user reads, and it silently runs in the current folder
when the one given is not accessible. A thin function over ``subprocess.run`` says exactly what
runs; it also costs no import time.
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import signal
import subprocess
import tempfile
import unicodedata
from pathlib import Path
from typing import IO, TypeAlias

# Global options placed before every subcommand.
_GLOBAL_OPTIONS = (
    "--literal-pathspecs",
    "--no-replace-objects",
    "-c",
    "color.ui=false",
    "-c",
    "core.quotepath=off",
    "-c",
    "log.showSignature=false",
    # ``log.follow`` makes a log of one path follow renames and hide the root and boundary commits
    # (with ``log.showRoot=false``): where the history starts would be read wrong.
    "-c",
    "log.follow=false",
    "-c",
    "log.showRoot=true",
    "-c",
    "safe.bareRepository=explicit",
)
# Placed after them unless a command runs hooks (``run_git``'s ``offline``): no transport at all.
_OFFLINE_OPTIONS = ("-c", "protocol.allow=never")
# An empty list of allowed protocols: git allows none, whatever ``protocol.<name>.allow`` says in any
# configuration; and no lazy fetch in a partial clone (git 2.45 and newer; older ones fail on the
# forbidden protocol instead).
_OFFLINE_VARIABLES = {"GIT_ALLOW_PROTOCOL": "", "GIT_NO_LAZY_FETCH": "1"}

# Variables that make git use another repository, index, object store or pathspec dialect than
# the one around the folder okrctl names (git's own list, ``git rev-parse --local-env-vars``,
# less the GIT_CONFIG_* settings, plus the pathspec switches and the namespace).
DROPPED_VARIABLES = frozenset(
    {
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_COMMON_DIR",
        "GIT_DIR",
        "GIT_GRAFT_FILE",
        "GIT_IMPLICIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_INTERNAL_SUPER_PREFIX",
        "GIT_NAMESPACE",
        "GIT_NO_REPLACE_OBJECTS",
        "GIT_OBJECT_DIRECTORY",
        "GIT_PREFIX",
        "GIT_REPLACE_REF_BASE",
        "GIT_SHALLOW_FILE",
        "GIT_WORK_TREE",
        "GIT_GLOB_PATHSPECS",
        "GIT_ICASE_PATHSPECS",
        "GIT_LITERAL_PATHSPECS",
        "GIT_NOGLOB_PATHSPECS",
    }
)


# What ``run_git`` returns, named for the callers' annotations (only this module imports subprocess).
GitResult: TypeAlias = "subprocess.CompletedProcess[bytes]"


class GitError(Exception):
    """A git command failed; the message is git's own last words."""


class GitMissing(GitError):
    """git itself cannot be run."""


class GitKilled(GitError):
    """A signal killed the git command (``killed_by``): it said nothing, and left its lock files."""


class RefusedRepository(GitError):
    """git refused the repository: a bare repository in a folder of the work tree (files a commit
    can plant), or one owned by another user (``safe.directory``). Not "outside git": a repository
    git will not run in, said as such."""


class SetUpRefused(RefusedRepository):
    """git will not work in the repository as this machine has it set up, whatever its content:
    a ref cannot be read here (exit 2, as outside git), a check-in not committed (exit 1)."""


class NotOwned(SetUpRefused):
    """git refused a repository another user owns (``safe.directory``)."""


class BrokenLink(SetUpRefused):
    """The ``.git`` file of a linked worktree leads to no repository (its main one moved or was
    removed)."""


def git_env(*, offline: bool = True) -> dict[str, str]:
    """The environment git runs in: the user's, without the variables that point elsewhere, and
    (``offline``) with every transport forbidden."""
    env = {name: value for name, value in os.environ.items() if name not in DROPPED_VARIABLES}
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["GIT_OPTIONAL_LOCKS"] = "0"
    if offline:
        env.update(_OFFLINE_VARIABLES)
    return env


def _hooks_see_plain_pathspecs(args: tuple[str, ...]) -> list[str]:
    """The global options and ``args`` of a command that runs the repository's hooks: git hands
    ``--literal-pathspecs`` on to them (``GIT_LITERAL_PATHSPECS=1``), where a hook that picks its
    files with a glob (``git diff --cached -- '*.yaml'``) would then find none and pass what it
    should refuse. Each path after ``--`` is made literal by itself (``:(literal)``) instead."""
    options = [option for option in _GLOBAL_OPTIONS if option != "--literal-pathspecs"]
    if "--" not in args:
        return [*options, *args]
    at = args.index("--")
    return [*options, *args[: at + 1], *(f":(literal){path}" for path in args[at + 1 :])]


def run_git(
    cwd: Path, *args: str, input: bytes | None = None, check: bool = True, offline: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd`` and return the completed process (bytes in, bytes out).

    ``check``: a non-zero exit raises ``GitError`` with git's message; otherwise the caller reads
    ``returncode``. ``GitMissing`` when git cannot be started at all. ``offline``: no transport (the
    default); False only for a command that runs the repository's hooks, which then run as the
    user's own ``git commit`` would run them.
    """
    if not Path(cwd).is_dir():
        raise GitError(f"folder not found: {cwd}")
    if offline:
        command = ["git", *_GLOBAL_OPTIONS, *_OFFLINE_OPTIONS, *args]
    else:
        command = ["git", *_hooks_see_plain_pathspecs(args)]
    try:
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.PIPE if input is not None else None,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=git_env(offline=offline),
        )
    except FileNotFoundError:
        raise GitMissing("git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitMissing(f"cannot run git: {exc.strerror or exc}") from None
    try:
        stdout, stderr = process.communicate(input)
    except KeyboardInterrupt as stopped:
        _let_git_clean_up(process, stopped)
        raise
    result = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if result.returncode != 0 and b"safe.bareRepository" in result.stderr:
        raise RefusedRepository(refused_words(result.stderr))
    if result.returncode != 0 and b"safe.directory" in result.stderr:
        raise NotOwned(unsafe_words(result.stderr, Path(cwd)))
    if result.returncode != 0 and _BROKEN_LINK.search(result.stderr) is not None:
        raise BrokenLink(broken_link_words(result.stderr, Path(cwd)))
    if check and result.returncode != 0:
        killed = killed_by(result.returncode)
        what = f"git {args[0] if args else ''}"
        if killed:
            raise GitKilled(f"{what} was {killed}")
        raise GitError(last_words(result.stderr) or f"{what} failed")
    return result


# How long git may take to remove its lock files once told to stop.
_CLEAN_UP_SECONDS = 5.0


def _let_git_clean_up(process: subprocess.Popen[bytes], stopped: BaseException) -> None:
    """okrctl was stopped while git ran (Ctrl-C, or ``kill`` of okrctl alone: ``cli.entry.Terminated``):
    git is given the same signal, which makes it remove the lock files it holds (``index.lock``)
    and end, and is waited for a few seconds before it is killed. Killed at once, as Python does
    after a quarter of a second, a ``git commit`` running a hook would leave ``.git/index.lock``
    behind and stop every later git command."""
    number = getattr(stopped, "signum", signal.SIGINT)
    try:
        with contextlib.suppress(ValueError):  # Windows sends no such signal; a console Ctrl-C reaches git too
            process.send_signal(number)
        process.wait(timeout=_CLEAN_UP_SECONDS)
    except (OSError, subprocess.TimeoutExpired, KeyboardInterrupt):
        process.kill()
        process.wait()


# git's words for a ``.git`` file (a linked worktree's, a submodule's) that leads to no repository:
# "not a git repository: PATH" (the folder it names is gone), "invalid gitfile format: PATH". Outside
# any repository git says "not a git repository (or any of the parent directories)" instead.
_BROKEN_LINK = re.compile(rb"fatal: (?:not a git repository: |invalid gitfile format: )")


def broken_link_words(stderr: bytes, cwd: Path | None = None) -> str:
    """What to tell the user when the ``.git`` file above ``cwd`` leads to no repository: a linked
    worktree whose main repository moved or was removed. Not "outside git": running ``git init``
    there fails too."""
    said = last_words(stderr).removeprefix("fatal: ")
    folder = _repository_above(cwd) if cwd is not None else None
    where = os.path.join(folder, ".git") if folder is not None else ".git"
    return (
        f"git cannot open the repository: {where} leads to no repository ({said}); a worktree whose "
        "main repository moved or was removed: run 'git worktree repair' in the main repository, or clone again"
    )


def refused_words(stderr: bytes) -> str:
    """What to tell the user when git refuses a bare repository it found in a folder."""
    said = last_words(stderr).removeprefix("fatal: ")
    found = re.match(r"cannot use bare repository '(.*)' \(safe\.bareRepository", said)
    folder = found.group(1) if found else "the folder"
    return (
        f"{folder} holds files that make it a bare git repository (HEAD, objects/, refs/, config), as a "
        "commit can plant them; okrctl runs git only in a repository found through .git"
    )


def unsafe_words(stderr: bytes, cwd: Path | None = None) -> str:
    """What to tell the user when git refuses a repository another user owns (``safe.directory``),
    with git's own way to trust it. The folder is the one holding ``.git`` above ``cwd`` (where git
    ran) when there is one, as git found it: git writes a control character of its name as "?"."""
    folder = _repository_above(cwd) if cwd is not None else None
    if folder is None:
        text = stderr.decode("utf-8", "surrogateescape")
        # git quotes the folder for a shell, ' as '\'', and any other byte as it is (a newline too).
        found = re.search(r"safe\.directory[ \t]+'((?:[^']|'\\'')*)'", text)
        if found is not None:
            folder = found.group(1).replace("'\\''", "'")
        else:  # git before 2.36 wrote the folder unquoted
            unquoted = re.search(r"safe\.directory[ \t]+(\S.*)", text)
            folder = unquoted.group(1).strip() if unquoted else "FOLDER"
    return (
        f"git refuses the repository at {_shell_word(folder)}: it belongs to another user "
        f"(if you trust it: git config --global --add safe.directory {_shell_word(folder)})"
    )


def _repository_above(cwd: Path) -> str | None:
    """The folder at or above ``cwd`` that holds ``.git``, as the system names it; None when none does."""
    try:
        here = Path(os.path.abspath(cwd))
    except OSError:
        return None
    for folder in (here, *here.parents):
        if os.path.lexists(folder / ".git"):
            return os.fspath(folder)
    return None


def _shell_word(text: str) -> str:
    """``text`` as one word a POSIX shell reads back: single-quoted, or in bash's ``$'...'`` when it
    holds a character a line cannot show as itself (a control or format character, a byte that is
    not UTF-8): each such character is written as the escapes of its bytes, the very bytes of the
    name whatever the shell's locale (a newline would end the line it is said on, a bidi control
    would be shown as ``\u202e`` text, which the shell keeps as those six characters)."""
    if all(_shown_as_itself(c) for c in text):
        return shlex.quote(text)

    def escaped(c: str) -> str:
        if c in "\\'":
            return "\\" + c
        if _shown_as_itself(c):
            return c
        raw = os.fsencode(c)  # (a lone surrogate of ``surrogateescape`` is the byte it stands for)
        return "".join(f"\\x{byte:02x}" for byte in raw)

    return "$'" + "".join(map(escaped, text)) + "'"


def _shown_as_itself(char: str) -> bool:
    """Whether a line of okrctl's shows ``char`` as it is (not as an escape, not as nothing)."""
    if char.isascii():
        return " " <= char <= "~"
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


class StartedGit:
    """A git command running while this process does something else (``start_git``). Its output
    goes to unnamed temporary files, not pipes: nobody needs to read while it runs, and a large
    output never stalls it."""

    def __init__(self, process: subprocess.Popen[bytes], out: IO[bytes], err: IO[bytes]) -> None:
        self.process = process
        self.out = out
        self.err = err

    def result(self) -> subprocess.CompletedProcess[bytes]:
        """Wait for it to end: what ``run_git(..., check=False)`` would have returned."""
        code = self.process.wait()
        try:
            self.out.seek(0)
            self.err.seek(0)
            return subprocess.CompletedProcess(self.process.args, code, self.out.read(), self.err.read())
        finally:
            self.out.close()
            self.err.close()

    def stop(self) -> None:
        """Its answer is not wanted: end it now, with whatever it started (a hook, a wrapper's git).
        Nothing once its answer was taken (``result``): its process id may be another's by then."""
        if self.out.closed:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own process group (``start_git``)
        except (AttributeError, OSError):  # no process groups here, or nothing left in it
            if self.process.poll() is None:
                self.process.kill()
        self.process.wait()
        self.out.close()
        self.err.close()


def start_git(cwd: Path, *args: str, index_file: str | None = None) -> StartedGit:
    """Start ``git args`` in ``cwd`` as ``run_git`` runs it, and return at once (``StartedGit``).
    ``GitError`` / ``GitMissing`` as ``run_git`` raises them. ``index_file``: an index git reads
    instead of the repository's own (a copy okrctl keeps: ``load.keptwalk``)."""
    if not Path(cwd).is_dir():
        raise GitError(f"folder not found: {cwd}")
    # Kept open past this function: ``StartedGit`` closes them when the command is done.
    files: list[IO[bytes]] = []
    try:
        files.append(tempfile.TemporaryFile())  # noqa: SIM115
        files.append(tempfile.TemporaryFile())  # noqa: SIM115
    except OSError as exc:
        for handle in files:
            handle.close()
        raise GitError(f"cannot make a temporary file for git's output: {exc.strerror or exc}") from None
    out, err = files
    env = git_env()
    if index_file is not None:
        env["GIT_INDEX_FILE"] = index_file
    try:
        process = subprocess.Popen(
            ["git", *_GLOBAL_OPTIONS, *_OFFLINE_OPTIONS, *args],
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=env,
            start_new_session=True,  # a group of its own, which ``stop`` ends whole
        )
    except OSError as exc:
        out.close()
        err.close()
        if isinstance(exc, FileNotFoundError):
            raise GitMissing("git is not installed (or not on PATH)") from None
        raise GitMissing(f"cannot run git: {exc.strerror or exc}") from None
    return StartedGit(process, out, err)


def killed_by(returncode: int) -> str:
    """How a signal ended a git command, for its message: ``killed by signal SIGXFSZ (file size
    limit exceeded)`` (``ulimit -f`` reached while git writes the index: Python lets its children
    die of it), ``killed by signal SIGKILL (killed)`` (the OOM killer); "" when git exited by itself
    (``returncode`` 0 or more). Such a git says nothing, and its lock files stay behind."""
    if returncode >= 0:
        return ""
    number = -returncode
    try:
        name = signal.Signals(number).name
    except ValueError:
        name = str(number)
    described = signal.strsignal(number)
    return f"killed by signal {name}" + (f" ({described[:1].lower()}{described[1:]})" if described else "")


def last_words(stderr: bytes) -> str:
    """git's error output folded into one line (hints dropped)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    kept = [line for line in lines if line and not line.startswith("hint:")]
    return " ".join(kept)[:500]


def ask_program(argv: list[str], *, timeout: float) -> tuple[int, bytes] | str:
    """The exit code and standard output of another program okrctl asks one question (PowerShell,
    for its profile's path): no shell, no standard input, its standard error kept from the user's
    terminal. What went wrong in one line instead, where it cannot be started or does not answer in
    ``timeout`` seconds. The one other process okrctl starts, kept beside git's runner so that a
    test over the import graph still finds a single module that starts processes."""
    try:
        done = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"{argv[0]} did not answer in {timeout:g} s"
    except OSError as exc:
        return f"{argv[0]}: {exc.strerror or exc}"
    return done.returncode, done.stdout
