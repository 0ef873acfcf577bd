"""File writes that never leave a half-written file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename.

    With ``exclusive`` the final step is a hard link, which fails when ``path`` exists: two
    writers racing for the same path cannot both succeed (FileExistsError for the loser).
    An ``OSError`` names ``path`` (or the folder it could not make), never the temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        # mkstemp makes the file private (0600); the result should look like any file the user
        # writes: the mode of the file it replaces, else what the umask allows. File systems
        # without Unix modes (FAT, exFAT, some network mounts) may refuse: the file is still written.
        with contextlib.suppress(OSError):
            os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if exclusive:
            _move_exclusive(tmp, path)
        else:
            os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.filename in (None, tmp):
            raise _naming(exc, path) from None
        raise


def _naming(exc: OSError, path: Path) -> OSError:
    """The same error (same type, errno and reason) about ``path``: the user knows the file they
    asked for, not the temporary one (a full disk's write error names no file at all)."""
    if exc.errno is None:
        return exc
    return type(exc)(exc.errno, exc.strerror, str(path))


# errno values saying "this file system cannot make hard links" (FAT/exFAT, many network mounts,
# some container overlays), as opposed to "the name exists".
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.ENOSYS, errno.EMLINK, errno.EACCES}
_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2


def _move_exclusive(tmp: str, path: Path) -> None:
    """Give the finished ``tmp`` the name ``path`` only if nothing has that name (else
    FileExistsError), in one step: a hard link where the file system has them, else a rename
    that refuses to replace (Linux ``renameat2(RENAME_NOREPLACE)``), else the name is claimed
    with an exclusive create and the content renamed over the claim (a reader may then see an
    empty file for an instant, never a part of one)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_LINKS:
            raise
    else:
        os.unlink(tmp)
        return
    if _rename_noreplace(tmp, path):
        return
    claim = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # FileExistsError for the loser
    os.close(claim)
    try:
        os.replace(tmp, path)
    except BaseException:
        os.unlink(path)
        raise


def _renameat2(source: str | Path, target: str | Path, flag: int) -> int | None:
    """Linux ``renameat2(source, target, flag)``: 0 when done, the errno when refused, None where the
    system call cannot be reached (another system, or a C library without it)."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    if renameat2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flag) == 0:
        return 0
    return ctypes.get_errno()


# The file system or the kernel cannot do this kind of rename: the caller falls back.
_UNSUPPORTED = (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EPERM)


def _rename_noreplace(source: str, target: Path) -> bool:
    """Rename unless ``target`` exists (FileExistsError); False where the system cannot say."""
    code = _renameat2(source, target, _RENAME_NOREPLACE)
    if code == 0:
        return True
    if code is None or code in _UNSUPPORTED:
        return False
    if code == errno.EEXIST:
        raise FileExistsError(code, os.strerror(code), str(target))
    raise OSError(code, os.strerror(code), str(target))


def write_output(path: Path, text: str) -> None:
    """Write a command's output to ``path`` the way a user expects of ``> path``.

    A regular file (or a new one) is replaced atomically; a symlink is followed to the file it
    names; anything else (a terminal, a pipe, /dev/stdout) is written in place, never replaced.
    Like the shell, it creates no missing folder, and a link to nothing is refused, not replaced.
    """
    path = Path(path)
    try:
        info = os.stat(path)  # follows symlinks
    except FileNotFoundError:
        if os.path.islink(path):
            # Writing would create a file wherever the link points (or replace the link): neither
            # is what ``> path`` on a link to nothing should silently do.
            raise FileNotFoundError(
                errno.ENOENT, "is a symbolic link to a file that does not exist", str(path)
            ) from None
        parent = path.parent
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            raise FileNotFoundError(
                errno.ENOENT, f"the folder {parent} {what} (okrctl creates no folder for --output)", str(path)
            ) from None
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


# ----- a folder replaced as a whole ------------------------------------------------------------------


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``): a reader resolving either
    name sees the old folder or the new one, never neither. False where the system or the file
    system cannot do it (the caller falls back to two renames)."""
    code = _renameat2(first, second, _RENAME_EXCHANGE)
    if code == 0:
        return True
    if code is None or code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(second))


def replace_folder(target: Path, fill: Callable[[Path], None]) -> None:
    """Build a new ``target`` folder with ``fill`` next to it, then put it in place at once.

    The new tree is written in a hidden sibling folder (same file system, so the final step is a
    rename). A first build renames it into place. A rebuild exchanges it with the old folder in one
    system call where Linux allows, else renames the old one aside and the new one in (a reader
    may then find no folder for an instant, never half of one). The old tree is deleted after.
    Nothing is left behind when ``fill`` fails.
    """
    import shutil

    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=parent))
    try:
        os.chmod(building, 0o777 & ~_umask())
        fill(building)
        if not os.path.lexists(target):
            os.rename(building, target)
            return
        if exchange(building, target):
            shutil.rmtree(building, ignore_errors=True)  # now the previous site
            return
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.previous-", dir=parent))
        os.rmdir(aside)
        os.rename(target, aside)
        try:
            os.rename(building, target)
        except OSError:
            os.rename(aside, target)
            raise
        shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
