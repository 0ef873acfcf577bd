"""Writing a file into the user's repository (a check-in, a reading): a lock for compare and swap,
and tidying what killed writes left in the file's folder."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from functools import partial
from pathlib import Path


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file at ``path`` (POSIX ``flock``; nothing where there is none).

    Two replacements of one file take turns: the second one waits, then finds the file changed.
    Its atomic replace gives the path a new file, so the lock of the one it replaced is harmless.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the compare after it is all there is
        yield
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


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
