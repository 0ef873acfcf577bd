"""Writing a file into the user's repository (a check-in, a reading, a draft): its folder, a lock
for compare and swap, and tidying what killed writes left in the file's folder."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from okrctl.errors import ContentError


class Unwritable(ContentError):
    """A write the file system refused (read-only, full, no permission, a file where a folder must
    be): one line naming the path, the system's reason, and that nothing was written (exit 1).
    ``where`` and ``reason`` let a caller that wrote other files first say so instead."""

    def __init__(self, where: str, exc: OSError) -> None:
        from okrctl.safetext import shown_path

        self.where = shown_path(where)  # one line whatever the name holds (a line break)
        self.reason = str(exc.strerror or exc)
        accepted, total = getattr(exc, "accepted", 0), getattr(exc, "total", 0)
        # Written in place (a pipe, a device): what went out before the refusal cannot be taken back.
        self.partly = bool(accepted)  # part of it went out before the refusal
        outcome = f"only {accepted} of {total} bytes were written" if accepted else "nothing was written"
        self.outcome = outcome
        super().__init__(f"{self.where}: cannot be written: {self.reason}; {outcome}")


def folder_for(root: Path, path: Path, what: str) -> list[Path]:
    """Make the folder ``path`` (a file of the repository at ``root``) goes into, and return the
    folders made, the deepest last (``unmake`` takes them away again when the write fails). A file
    standing where a folder must be is named, the first one from the root, with ``what`` could not
    be written there (ContentError, exit 1). Another refusal (a read-only file system) is the
    caller's to name (``Unwritable``)."""
    missing = missing_folders(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ContentError(not_a_folder(root, path, what) or _blocked(root, path.parent, what)) from None
    except OSError:
        unmake(missing)  # the folders made before the refusal (a full disk)
        raise
    return missing


def not_a_folder(root: Path, path: Path, what: str) -> str | None:
    """The refusal ``folder_for`` gives when something that is no folder (a file, a link to nothing
    or to a file) stands where a folder on the way to ``path`` must be, or None when nothing does.
    Nothing is made: a dry run asks it to refuse what the write would refuse, with its words."""
    for folder in reversed(path.parents):
        # ``lexists``: a link that leads nowhere is in the way as much as a file is; ``is_dir``
        # follows links, so a link to a folder is a folder.
        if not os.path.lexists(folder):
            return None  # the write makes this folder and the ones below it
        if not folder.is_dir():
            return _blocked(root, folder, what)
    return None


def _blocked(root: Path, blocking: Path, what: str) -> str:
    """The one line refusing to write ``what`` below ``blocking``, which is no folder."""
    from okrctl.safetext import shown_path

    where = blocking.relative_to(root).as_posix() if blocking.is_relative_to(root) else str(blocking)
    if blocking.is_symlink():
        return (
            f"{shown_path(where)}: is a symbolic link that leads to no folder, so {what} cannot be written there; "
            "nothing was written (move that link away)"
        )
    return (
        f"{shown_path(where)}: is a file, not a folder, so {what} cannot be written there; nothing was written "
        "(move that file away)"
    )


def missing_folders(path: Path) -> list[Path]:
    """The folders a write of ``path`` would make, the deepest last."""
    missing = []
    for folder in (path.parent, *path.parent.parents):
        if folder.is_dir():
            break
        missing.append(folder)
    return missing[::-1]


def unmake(made: list[Path]) -> None:
    """Remove the folders ``folder_for`` made, deepest first, as long as they are empty: a write
    that failed leaves no empty folder behind ("nothing was written"). Ctrl-C and the termination
    signals are held back meanwhile: a second one (``timeout``'s, to the process group) as the
    first one's write is undone left the folders."""
    from okrctl.fsutil import signals_held

    with signals_held():
        for folder in reversed(made):
            try:
                folder.rmdir()
            except OSError:
                return


@contextlib.contextmanager
def exclusive(path: Path, shown: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file at ``path`` (``fsutil.locked``: POSIX ``flock``; nothing
    where there is none). Two replacements of one file take turns: the second one waits, then finds
    the file changed; a lock another process keeps longer than ``fsutil.LOCK_PATIENCE`` ends the
    wait (``fsutil.LockHeld``, an OSError). ``shown``: how the command's other lines name the file
    (from the OKR folder), for the line that says the wait.

    A command run by the git commit an okrctl run makes of that very file while it holds the lock
    (a hook: ``committing``) would wait for itself: it is refused instead (ContentError).
    """
    from okrctl.fsutil import from_here, locked

    if os.environ.get(COMMITTING) == os.path.realpath(path):
        # Named from where the command runs (a hook runs at the top of the work tree).
        raise ContentError(
            f"{from_here(path)}: another okrctl run is committing this file, and runs this command from its git commit "
            "(a hook): it would wait for itself; run it once that commit is done"
        )
    with locked(path, shown=shown):
        yield


@contextlib.contextmanager
def exclusive_to_commit(path: Path, rel: str) -> Iterator[None]:
    """``exclusive``, held while the file ``rel`` at ``path`` is committed: a lock another process
    keeps longer than okrctl waits refuses the commit as git's index lock does (``CommitRejected``,
    the file written and left uncommitted, the same command named to commit it)."""
    from okrctl.fsutil import LockHeld
    from okrctl.gitio.commit import CommitRejected
    from okrctl.safetext import shown_path

    with contextlib.ExitStack() as held:
        try:
            held.enter_context(exclusive(path, rel))
        except LockHeld as waited:
            raise CommitRejected(f"{shown_path(rel)}: {waited.held}", "", again=True) from None
        yield


# The file an okrctl run is committing while it holds its lock (its real path), for the commands
# its git commit runs: hooks inherit the environment.
COMMITTING = "OKRCTL_COMMITTING"


@contextlib.contextmanager
def committing(path: Path) -> Iterator[None]:
    """Say, to the commands the git commit of ``path`` runs, that this run holds its lock."""
    before = os.environ.get(COMMITTING)
    os.environ[COMMITTING] = os.path.realpath(path)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(COMMITTING, None)
        else:
            os.environ[COMMITTING] = before


def tidy(folder: Path) -> None:
    """Remove from ``folder`` the hidden temporary files that killed okrctl writes left there more
    than an hour ago (``fsutil.remove_stale_temporaries``), never a file git tracks: they are
    untracked litter in the user's repository. Only the folder okrctl writes its file into is
    tidied: ``atomic_write`` also writes ``--output`` files into any folder, where another
    program's temporary files may happen to be named the same way."""
    from okrctl.fsutil import remove_stale_temporaries

    remove_stale_temporaries(folder, keep=partial(_tracked, folder))


def _tracked(folder: Path, names: list[str]) -> set[str]:
    """Which of ``names`` (files in ``folder``) git tracks; all of them when git cannot tell (no
    git, or not a repository): a file is removed only when it is known to be nobody's."""
    from okrctl.gitio.tree import tracked

    listed = tracked(folder, names)
    if listed is None:
        return set(names)
    return set(names) & {os.path.basename(path) for path in listed}


def tracked_entries(folder: Path, names: list[str]) -> set[str]:
    """Which of ``names`` (files or folders in ``folder``) git tracks, or tracks anything below:
    none outside a git work tree, all of them where a work tree holds ``folder`` and git cannot
    tell. A folder okrctl would remove as its leftover (``fsutil.remove_stale_builds``) is kept
    when a commit put files in it."""
    from okrctl.gitio.tree import tracked

    if _work_tree_top(os.path.realpath(folder)) is None:
        return set()
    listed = tracked(folder, names)
    if listed is None:
        return set(names)
    return set(names) & {path.split("/", 1)[0] for path in listed}


def _work_tree_top(folder: str) -> str | None:
    """The nearest folder at or above ``folder`` that holds ``.git``, None when there is none."""
    current = folder
    while not os.path.lexists(os.path.join(current, ".git")):
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
    return current


def _committed_link(link: str) -> bool:
    """Whether git's index holds ``link`` as a symbolic link (mode 120000): what a commit put there,
    a merge request's as much as the user's. A link git does not track is the user's own (a home
    folder kept in git, a build tool's output link). Where a git work tree holds it and git cannot
    say, it is taken as committed: nothing is written through it."""
    from okrctl.gitio.run import run_git

    folder = os.path.realpath(os.path.dirname(link))
    if _work_tree_top(folder) is None:
        return False  # in no git work tree: nothing was committed there
    try:
        listed = run_git(Path(folder), "ls-files", "-s", "-z", "--", os.path.basename(link), check=False)
    except Exception:  # git missing, a refused repository: unsure, so not written through
        return True
    if listed.returncode != 0:
        return True
    return listed.stdout.startswith(b"120000 ")


def planted_link(path: Path) -> str | None:
    """The first part of ``path`` that is a symbolic link a commit put in a checkout, or None.

    A checkout holds what its commits put there, and a commit can hold a link to anywhere (a merge
    request's ``report.json -> ~/.profile``): writing through it would replace a file outside the
    repository. A link git does not track (``/dev/stdout``, a link the user made) is followed, as
    ``>`` follows it. The path is walked as the system walks it: ``link/../x`` goes through ``link``."""
    # A relative path from the working folder as the shell reached it: a link on the way there
    # (``cd team``, then ``-o report.html``) is on the way to the file, as in the absolute path.
    given = os.fspath(path)
    if not os.path.isabs(given):
        given = os.path.join(logical_cwd(), given)
    current = os.sep
    for part in given.split(os.sep):
        if part in ("", "."):
            continue
        current = os.path.join(current, part)
        if part != ".." and os.path.islink(current) and _committed_link(current):
            return current
        if not os.path.lexists(current):
            return None
    return None


def logical_cwd() -> str:
    """The working folder as the shell reached it (``$PWD``, which keeps the links it went
    through: ``cd team`` where ``team`` is a link a commit planted), when it names the folder
    okrctl runs in; else the real path. A relative path is taken from there, as the shell's own
    ``>`` takes it."""
    physical = os.getcwd()
    shown = os.environ.get("PWD", "")
    if shown and os.path.isabs(shown) and shown != physical:
        try:
            if os.path.samefile(shown, physical):
                return shown
        except OSError:
            pass
    return physical


def planted_in(root: Path, rel: str) -> str | None:
    """The first part of ``rel``, a file of the repository at ``root``, that is a symbolic link a
    commit put in the checkout (``planted_link``), as ``rel`` writes it (``readings``,
    ``readings/discover``), or None. Only the parts below ``root`` are asked: where the repository
    itself lies is the user's choice."""
    parts = rel.split("/")
    current = root
    for count, part in enumerate(parts, start=1):
        current = current / part
        # ``islink`` is False, not an error, where the part cannot be looked at (a folder that
        # cannot be searched): the write then meets the reason and names it.
        if os.path.islink(current) and _committed_link(os.fspath(current)):
            return "/".join(parts[:count])
        if not os.path.lexists(current):
            return None
    return None


def planted_refusal(rel: str, linked: str, shown: Callable[[str], str] = str) -> str:
    """The one line refusing to write ``rel`` through ``linked`` (``planted_in``): the file itself is
    named once when it is the link."""
    where = f"{shown(rel)}:" if linked == rel else f"{shown(rel)}: {shown(linked)}"
    return (
        f"{where} is a symbolic link a commit put in the checkout; okrctl never writes through one; nothing was written"
    )


def other_repository(root: Path, rel: str) -> str | None:
    """The first folder on the way to ``rel``, a file of the repository at ``root``, that is the work
    tree of another git repository (a submodule, a clone inside this one), as the repository's path
    to it (``checkins/cards``), or None.

    The load never reads such a folder (a folder below the root that holds a ``.git``, file or
    folder: ``load.links.on_disk``, as the walk takes it), so a file written there would be that
    repository's, committed in its history and never counted here. The folders are looked at as
    the system finds them, links resolved: a link the user made that leads into one is named by
    where it leads."""
    from okrctl.load.links import on_disk

    real_root = os.path.realpath(root)
    folder = os.path.realpath(os.path.join(real_root, os.path.dirname(rel)))
    if folder == real_root or not folder.startswith(real_root + os.sep):
        return None  # the root's own ``.git`` is this repository's; a way out is refused elsewhere
    look = on_disk(real_root)
    parts = os.path.relpath(folder, real_root).split(os.sep)
    for count in range(1, len(parts) + 1):
        here = "/".join(parts[:count])
        kind, _ = look(here)
        if kind == "repository":
            return here
        if kind != "folder":  # not there yet (the write makes it), or replaced meanwhile
            return None
    return None


def other_repository_refusal(rel: str, folder: str, shown: Callable[[str], str] = str) -> str:
    """The one line refusing to write ``rel`` into ``folder``, another repository's work tree
    (``other_repository``)."""
    return (
        f"{shown(rel)}: {shown(folder)}/ is the work tree of another git repository (a submodule or a nested clone), "
        "which okrctl does not read; nothing was written"
    )


LINK_REFUSED = (
    "is a symbolic link a commit put in the checkout; okrctl never writes through one (give the path it points to)"
)


def link_refusal(path: Path) -> str | None:
    """Why ``--output path`` is refused for a committed link on its way (``planted_link``), or None."""
    link = planted_link(path)
    if link is None:
        return None
    relative = os.path.relpath(link)
    shown = (
        "it" if os.path.abspath(path) == os.path.abspath(link) else (link if relative.startswith("..") else relative)
    )
    return f"{shown} {LINK_REFUSED}"
