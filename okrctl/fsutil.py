"""File writes that never leave a half-written file behind."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def atomic_write(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    With ``exclusive`` the final step is a hard link, which fails when ``path`` exists: two
    writers racing for the same path cannot both succeed (FileExistsError for the loser).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private (0600); the result should look like any file the user
        # writes: the mode of the file it replaces, else what the umask allows.
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            os.link(tmp, path)
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_output(path: Path, text: str) -> None:
    """Write a command's output to ``path`` the way a user expects of ``> path``.

    A regular file (or a new one) is replaced atomically; a symlink is followed to the file it
    names; anything else (a terminal, a pipe, /dev/stdout) is written in place, never replaced.
    """
    path = Path(path)
    try:
        info = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        atomic_write(path, text)
        return
    if stat.S_ISREG(info.st_mode):
        atomic_write(Path(os.path.realpath(path)), text)
        return
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "is a folder", str(path))
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
