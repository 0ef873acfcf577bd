"""Writing a check-in: atomically, never replacing someone else's."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path

from okrctl.checkin.session import Session
from okrctl.errors import ContentError


@contextlib.contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file at ``path`` (POSIX ``flock``; nothing where there is none).

    Two amendments of one file take turns: the second one waits, then finds the file changed.
    Its atomic replace gives the path a new file, so the lock of the one it replaced is harmless.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the compare below is all there is
        yield
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def write(session: Session, text: str) -> None:
    """Atomically; a new check-in never replaces a file, an amended one only if nobody changed it.

    A file system that refuses the write (read-only, full) stops it with the check-in's path. The
    write first removes from the check-in's folder the hidden temporary files that killed okrctl
    writes left there more than an hour ago (``fsutil.remove_stale_temporaries``): they are
    untracked litter in the user's repository. Only this folder is tidied: ``atomic_write`` also
    writes ``--output`` files into any folder, where another program's temporary files may happen
    to be named the same way."""
    try:
        _write(session, text)
    except OSError as exc:
        raise ContentError(f"{session.rel}: cannot be written: {exc.strerror or exc}; nothing was written") from None


def _write(session: Session, text: str) -> None:
    from okrctl.fsutil import atomic_write

    if session.existing is None:
        _folder_for(session)
        try:
            _tidy(session)
            atomic_write(session.path, text, exclusive=True)
        except FileExistsError:
            raise ContentError(
                f"{session.rel}: another check-in of '{session.team}' for {session.day} was written meanwhile; "
                "yours was not written (run again with --amend to edit that one)"
            ) from None
        return
    # Compare and swap: the file must still be the one the answers were applied to, checked and
    # replaced while no other amendment can do the same.
    with _exclusive(session.path):
        if session.path.read_bytes() != session.original:
            raise ContentError(f"{session.rel}: changed by someone else while you amended it; nothing was written")
        _tidy(session)
        atomic_write(session.path, text)


def _tidy(session: Session) -> None:
    """Remove from the check-in's folder what killed writes left there, never a file git tracks."""
    from okrctl.fsutil import remove_stale_temporaries

    remove_stale_temporaries(session.path.parent, keep=partial(_tracked, session.path.parent))


def _tracked(folder: Path, names: list[str]) -> set[str]:
    """Which of ``names`` (files in ``folder``) git tracks; all of them when git cannot tell (no
    git, or not a repository): a file is removed only when it is known to be nobody's."""
    from okrctl.gitio.tree import tracked

    listed = tracked(folder, names)
    if listed is None:
        return set(names)
    return set(names) & {os.path.basename(path) for path in listed}


def _folder_for(session: Session) -> None:
    """The check-in's folder exists as a folder (made if missing); a file in its place is named."""
    folder = session.path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        rel_folder = session.rel.rsplit("/", 1)[0]
        raise ContentError(
            f"{rel_folder}: is a file, not a folder, so the check-in cannot be written there; "
            "nothing was written (move that file away)"
        ) from None


def unchanged(session: Session, text: str) -> bool:
    """An amend whose answers leave the check-in as it was (same bytes, or the same documents)."""
    from okrctl.load.documents import parse_bytes
    from okrctl.load.yamlparse import YamlProblem

    if session.existing is None or session.original is None:
        return False
    if text.encode("utf-8") == session.original:
        return True
    try:
        before = [p.data for p in parse_bytes(session.rel, session.original, want_positions=False)]
        after = [p.data for p in parse_bytes(session.rel, text.encode("utf-8"), want_positions=False)]
    except YamlProblem:
        return False
    return before == after
