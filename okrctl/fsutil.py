"""File writes that never leave a half-written file behind."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn


def atomic_write(path: Path, text: str, *, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all, and leave no file of its own behind.

    On Linux the text goes to an unnamed file in the target's folder (``O_TMPFILE``), which gets
    its name only once it is written and synced: a process killed before that, even by SIGKILL,
    leaves nothing, since the kernel frees a file nobody named. Elsewhere (another system, a file
    system without ``O_TMPFILE``, no way to name an open file) a named hidden temporary file
    ``.NAME.XXXXXXXX.tmp`` is written and renamed (``_write_named``).

    With ``exclusive`` the final step fails when ``path`` exists: two writers racing for the same
    path cannot both succeed (FileExistsError for the loser). What killed writes of the named way
    leave, ``remove_stale_temporaries`` takes away. An ``OSError`` names ``path`` (or the folder it
    could not make), never the temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    try:
        written = _write_unnamed(path, data, exclusive=exclusive)
    except OSError as exc:
        raise _naming(exc, path) from None
    if not written:
        _write_named(path, data, exclusive=exclusive)
    sync_folder(path.parent)


def holds(path: Path, text: str) -> bool:
    """Whether the file at ``path`` holds ``text``: an ``atomic_write`` stopped by Ctrl-C or a signal
    once the file had its name (its folder being synced) wrote it all the same."""
    try:
        return Path(path).read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def sync_folder(folder: Path) -> None:
    """Make a file's new name in ``folder`` last through a power cut (the file's bytes were synced
    before it got the name). Where a folder cannot be synced (another system, some file systems),
    the name is as durable as the system makes it."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


# ----- an unnamed temporary file (Linux) ----------------------------------------------------------------

# ``os.O_TMPFILE`` where this Python and system know it (Linux 3.11 and later), else None. Set to
# None (a test does) and every write takes the named temporary file's way.
_O_TMPFILE: int | None = getattr(os, "O_TMPFILE", None)
# Where an open file can be named from (``linkat`` through the ``/proc`` link of the descriptor).
_PROC_FD = "/proc/self/fd/{fd}"
_AT_EMPTY_PATH = 0x1000
# errno values of ``open(O_TMPFILE)`` saying "not here": the kernel or the file system has no
# unnamed files (EOPNOTSUPP, EISDIR from kernels older than 3.11, EINVAL), or the way is closed.
_NO_UNNAMED_OPEN = {errno.EOPNOTSUPP, errno.ENOTSUP, errno.EISDIR, errno.ENOENT, errno.EINVAL, errno.ENOSYS}
# errno values of naming an open file saying "not this way": no /proc (ENOENT), a /proc that does
# not lead back to the file's mount (EXDEV, seen in some sandboxes), ``AT_EMPTY_PATH`` refused to
# an unprivileged user before Linux 6.10 (ENOENT, EPERM), no hard links.
_NO_NAMING = {
    errno.ENOENT,
    errno.EXDEV,
    errno.EPERM,
    errno.EACCES,
    errno.EOPNOTSUPP,
    errno.ENOTSUP,
    errno.EINVAL,
    errno.ENOSYS,
    errno.EMLINK,
}
# The file systems (``st_dev``) where an unnamed file could be made but not named: this process
# writes there the named way straight away, instead of writing and syncing every text twice.
_UNNAMEABLE: set[int] = set()
# okrctl's temporary names: ``.NAME.`` + eight of tempfile's letters + ``.tmp`` (as mkstemp makes them).
_TEMP_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
TEMP_PATTERN = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp", re.DOTALL)
STALE_SECONDS = 3600


def _write_unnamed(path: Path, data: bytes, *, exclusive: bool) -> bool:
    """Write ``data`` to an unnamed file in ``path``'s folder and give it its name; False (nothing
    written, nothing left) where unnamed files cannot be made or named here.

    A new file (``exclusive``) is linked to ``path`` itself: atomic, and FileExistsError when
    another process made ``path`` meanwhile. A replacement is linked to a temporary name and
    renamed over ``path``, since a link never replaces: a kill between the two leaves that
    temporary name, the only window left (``remove_stale_temporaries`` takes it away later).
    """
    if _O_TMPFILE is None:
        return False
    if _UNNAMEABLE:
        try:
            if os.stat(path.parent).st_dev in _UNNAMEABLE:
                return False
        except OSError:
            pass  # the open below says what is wrong with the folder
    try:
        fd = os.open(path.parent, _O_TMPFILE | os.O_WRONLY, 0o600)
    except OSError as exc:
        if exc.errno in _NO_UNNAMED_OPEN:
            return False
        raise
    try:
        # Made private (0600) like mkstemp's file; then the permissions of the file it replaces.
        _take_permissions_of(fd, path)
        _write_all(fd, data)
        os.fsync(fd)
        if exclusive:
            return _name_open_file(fd, path) or _unnameable(fd)
        for _ in range(100):
            temporary = path.parent / f".{path.name}.{_random_letters()}.tmp"
            try:
                if not _name_open_file(fd, temporary):
                    return _unnameable(fd)
            except FileExistsError:
                continue
            break
        else:
            raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))
        try:
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        return True
    finally:
        os.close(fd)  # an unnamed file that was not named is freed here


def _unnameable(fd: int) -> bool:
    """No way of naming the unnamed file ``fd`` works on its file system: remembered, so that this
    process's next writes there take the named way at once. False, for the caller to return."""
    with contextlib.suppress(OSError):
        _UNNAMEABLE.add(os.fstat(fd).st_dev)
    return False


def _name_open_file(fd: int, target: Path) -> bool:
    """Give the open unnamed file ``fd`` the name ``target`` (never replacing: FileExistsError when
    it exists). Through ``/proc/self/fd``, else ``linkat(AT_EMPTY_PATH)``; False where neither works."""
    try:
        os.link(_PROC_FD.format(fd=fd), target)
        return True
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in _NO_NAMING:
            raise
    code = _linkat_empty_path(fd, target)
    if code == 0:
        return True
    if code is None or code in _NO_NAMING:
        return False
    raise OSError(code, os.strerror(code), str(target))


def _linkat_empty_path(fd: int, target: Path) -> int | None:
    """Linux ``linkat(fd, "", AT_FDCWD, target, AT_EMPTY_PATH)``: 0 when done, the errno when
    refused, None where the call cannot be reached."""
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        linkat = ctypes.CDLL(None, use_errno=True).linkat
    except (OSError, AttributeError):
        return None
    linkat.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    linkat.restype = ctypes.c_int
    if linkat(fd, b"", _AT_FDCWD, os.fsencode(target), _AT_EMPTY_PATH) == 0:
        return 0
    return ctypes.get_errno()


def _random_letters() -> str:
    import secrets

    return "".join(secrets.choice(_TEMP_LETTERS) for _ in range(8))


def _write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (a write may take only part of them)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# ----- a named temporary file (anywhere) ---------------------------------------------------------------


def _write_named(path: Path, data: bytes, *, exclusive: bool) -> None:
    """``atomic_write`` through a hidden temporary file in the same folder and a rename: the way
    where unnamed files are not available. A failure removes the temporary file; a kill before the
    rename leaves it (``remove_stale_temporaries``)."""
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise _naming(exc, path) from None
    try:
        # mkstemp makes the file private (0600); the result should look like any file the user
        # writes: the permissions of the file it replaces.
        _take_permissions_of(tmp, path)
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
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


def remove_stale_temporaries(
    folder: Path, *, older_than: float = STALE_SECONDS, keep: Callable[[list[str]], set[str]] | None = None
) -> list[str]:
    """Remove the temporary files that writes killed more than ``older_than`` seconds ago left in
    ``folder``; the names removed. Only what okrctl itself could have left is touched: regular
    files (never a link, a folder or anything else) named exactly ``.NAME.XXXXXXXX.tmp``, owned by
    this user, with one name, not modified for the whole period (no write lasts that long), and
    not among the names ``keep`` returns when asked about them (those a repository tracks: a file
    it commits is never okrctl's leftover). Any error leaves the file where it is: tidying never
    stops a write."""
    removed: list[str] = []
    candidates = [entry for entry, info in _left_over(folder, TEMP_PATTERN, older_than) if _lone_file(info)]
    kept = keep([entry.name for entry in candidates]) if keep is not None and candidates else set()
    for entry in candidates:
        if entry.name in kept:
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(entry.name)
    return removed


def _left_over(
    folder: Path, pattern: re.Pattern[str], older_than: float
) -> list[tuple[os.DirEntry[str], os.stat_result]]:
    """The entries of ``folder`` that may be what a killed okrctl left: named exactly by ``pattern``,
    of this user, not modified for ``older_than`` seconds; each with its own stat (a link's, never
    its target's). What cannot be listed or stat'ed is left out."""
    import time

    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    oldest = time.time() - older_than
    user = os.geteuid() if hasattr(os, "geteuid") else None
    found: list[tuple[os.DirEntry[str], os.stat_result]] = []
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if (user is None or info.st_uid == user) and info.st_mtime <= oldest:
            found.append((entry, info))
    return found


def _lone_file(info: os.stat_result) -> bool:
    """A regular file with one name (never a link, a folder, or a file linked elsewhere too)."""
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 1


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


def link_to_nothing(folder: Path) -> Path | None:
    """The first of the folders above ``folder`` (from the top) and ``folder`` itself that is a
    symbolic link to nothing, or None: a folder made there fails on the link ("File exists"), or
    lands wherever the link points, which is not what a user who named the path meant."""
    folder = Path(folder)
    for part in [*reversed(folder.parents), folder]:
        if os.path.islink(part) and not part.exists():
            return part
    return None


class OutputRefused(OSError):
    """``write_output`` refused the path it was given before writing anything (a missing folder, a
    folder, a link to nothing): the path is wrong, not the file system."""


def output_refused(path: Path) -> OutputRefused | None:
    """Why ``write_output`` would refuse ``path`` before writing anything, or None: a command that
    also writes a file of the repository asks first, so that a wrong ``--output`` writes nothing."""
    path = Path(path)
    try:
        info = os.stat(path)  # follows symlinks
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:  # a name no file can have: the path is wrong
            return OutputRefused(errno.ENAMETOOLONG, "the file name is too long", str(path))
        if not isinstance(exc, (FileNotFoundError, NotADirectoryError)):
            return None  # for the write to meet and name (a folder it may not enter)
        # no such file, or a file where a folder must be
        if os.path.islink(path):
            # Writing would create a file wherever the link points (or replace the link): neither
            # is what ``> path`` on a link to nothing should silently do.
            return OutputRefused(errno.ENOENT, "is a symbolic link to a file that does not exist", str(path))
        parent = path.parent
        if not parent.is_dir():
            what = "is not a folder" if parent.exists() else "does not exist"
            return OutputRefused(
                errno.ENOENT, f"the folder {parent} {what} (okrctl creates no folder for --output)", str(path)
            )
        return None
    if stat.S_ISDIR(info.st_mode):
        return OutputRefused(errno.EISDIR, "is a folder", str(path))
    try:
        _descriptor_named(path)  # a descriptor okrctl opened itself is refused
    except OutputRefused as refused:
        return refused
    return None


# How long ``locked`` waits for another process to release a file's lock (another okrctl run holds
# it for milliseconds, or while git commits the file, its hooks included), and after how much of
# that wait it says so on standard error. ``gitio.commit`` waits as long for git's index lock, which
# a commit holds while its hooks run. A test makes them short.
LOCK_PATIENCE = 10.0
_SAY_WAITING_AFTER = 1.0
_FIRST_PAUSE = 0.02


class LockHeld(OSError):
    """Another process held the lock of a file for longer than ``locked`` waits (``LOCK_PATIENCE``).
    ``held`` says so; ``strerror`` adds what to do, for a line that says nothing was written."""

    def __init__(self, path: Path) -> None:
        why = f"another process held its lock for {LOCK_PATIENCE:g} seconds (another okrctl run, or a program that locked it"
        super().__init__(errno.EWOULDBLOCK, f"{why}: run again once it is done)", str(path))
        self.held = f"{why})"


@contextlib.contextmanager
def locked(path: Path, *, shown: str | None = None) -> Iterator[None]:
    """Hold an exclusive lock on the file at ``path`` (POSIX ``flock``; nothing where there is none).

    A replacement is atomic and gives the path a new file: a process that waited on the file it
    replaced locks the new one instead once it gets that lock, so whoever holds the lock holds the
    file that is at ``path`` (one that reads it, adds to it and replaces it loses no one's write).

    Another process holding the lock is waited for, never silently for ever: after
    ``_SAY_WAITING_AFTER`` one line on standard error names the file (``shown``, else ``path``
    from the working folder), and after ``LOCK_PATIENCE`` the wait ends with ``LockHeld``. A
    signal during the wait ends it as anywhere else (the file is left as it was).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the compare after it is all there is
        yield
        return
    started, said, pause = time.monotonic(), False, _FIRST_PAUSE
    while True:
        fd = os.open(path, os.O_RDONLY)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    pass  # another process holds it
                waited = time.monotonic() - started
                if waited >= LOCK_PATIENCE:
                    raise LockHeld(path)
                if not said and worth_saying(waited):
                    said = True
                    _say_waiting(shown if shown is not None else from_here(path))
                time.sleep(min(pause, LOCK_PATIENCE - waited))
                pause = min(pause * 2, 0.25)
            held, now = os.fstat(fd), os.stat(path)
        except BaseException:
            os.close(fd)
            raise
        if (held.st_ino, held.st_dev) == (now.st_ino, now.st_dev):
            break
        os.close(fd)  # replaced while this process waited: lock the file now there
    try:
        yield
    finally:
        os.close(fd)  # closing releases the lock


def worth_saying(waited: float) -> bool:
    """Whether a wait for another process that lasted ``waited`` seconds so far is said (``say_waiting``)."""
    return waited >= _SAY_WAITING_AFTER


def _say_waiting(shown: str) -> None:
    from okrctl.safetext import shown_path

    say_waiting(f"another process that holds the lock of {shown_path(shown)}")


def say_waiting(holder: str) -> None:
    """One line on standard error: okrctl waits for ``holder`` ("another process that holds the
    lock of FILE"), for up to ``LOCK_PATIENCE``."""
    import sys

    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"okrctl: note: waiting for {holder} (up to {LOCK_PATIENCE:g} seconds)\n")
        sys.stderr.flush()


def from_here(path: Path) -> str:
    """``path`` from the working folder when it is below it, else as it is."""
    try:
        relative = os.path.relpath(path)
    except (OSError, ValueError):  # no working folder
        return os.fspath(path)
    return os.fspath(path) if relative.startswith("..") else relative


def write_output(path: Path, text: str, *, keep: Callable[[Path], None] | None = None) -> None:
    """Write a command's output to ``path`` the way a user expects of ``> path``.

    A regular file (or a new one) is replaced atomically, when its user may write it (as ``>``
    would); a symlink is followed to the file it names; anything else (a terminal, a pipe, a
    device) is written in place, never replaced. A name of one of this process's own descriptors
    (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``) is written to that
    descriptor where it stands, as standard output is: the file the caller sent it to is never
    replaced, and what the caller wrote there before and after stays (``_descriptor_named``).
    Like the shell, it creates no missing folder, and a link to nothing is refused, not replaced
    (``OutputRefused``); anything else the system refuses is its ``OSError``, with the system's
    reason for ``path`` itself.

    ``keep`` raises to refuse replacing the file at ``path`` (one the command did not write). It
    is asked under the file's lock (``locked``), held until the new file is in place, and a new
    file takes the name only if none came meanwhile (else that file is asked about): of two okrctl
    runs checking and writing one file at once, the second is refused as if run after the first.
    """
    path = Path(path)
    refused = output_refused(path)
    if refused is not None:
        raise refused
    descriptor = _descriptor_named(path)
    if descriptor is not None:
        _write_to_descriptor(descriptor, text.encode("utf-8"))
        return
    try:
        info = os.stat(path)  # follows symlinks
    except (FileNotFoundError, NotADirectoryError):
        try:
            atomic_write(path, text, exclusive=keep is not None)  # a new file in a folder that exists
        except FileExistsError:
            if keep is None:
                raise
            write_output(path, text, keep=keep)  # made meanwhile: ``keep`` is asked about it
        return
    if stat.S_ISREG(info.st_mode):
        if not os.access(path, os.W_OK):
            # The shell's ``>`` refuses a file its user may not write (read-only, another user's);
            # a replacement would go through, as the folder allows it, and take the file's place.
            _refuse_as_the_shell_would(path)
        real = Path(os.path.realpath(path))
        with contextlib.ExitStack() as held:
            if keep is not None:
                try:
                    held.enter_context(locked(real, shown=os.fspath(path)))
                except FileNotFoundError:
                    write_output(path, text, keep=keep)  # removed meanwhile: a new file
                    return
                except LockHeld:
                    raise  # taken by another process for too long: not a file system without locks
                except OSError:
                    pass  # not readable, or no locks on its file system: ``keep`` reads what it can
                keep(path)
            _replace(path, real, text)
        return
    _write_in_place(path, text.encode("utf-8"))


def _replace(path: Path, real: Path, text: str) -> None:
    """Replace the regular file ``real`` (``path``, its links followed) with ``text``."""
    try:
        atomic_write(real, text)
    except OSError as exc:
        if exc.errno in _FOLDER_REFUSES and os.path.isfile(real):
            # The file is there and may be written, but its folder refuses the new file that
            # takes its place (/proc, another user's file in a sticky folder): its own error
            # ("No such file or directory" of /proc) would deny that the file exists.
            reason = f"okrctl replaces a file whole, and its folder refuses the new file ({exc.strerror})"
            raise type(exc)(exc.errno, reason, str(path)) from None
        raise


# What making or renaming the new file says when the folder refuses it, not the file.
_FOLDER_REFUSES = {errno.ENOENT, errno.EACCES, errno.EPERM}


def _refuse_as_the_shell_would(path: Path) -> NoReturn:
    """Raise the system's reason for not writing ``path``, which ``os.access`` said its user may
    not write: what opening it for writing says, as ``> path`` is told (``Read-only file system``),
    not a ``Permission denied`` guessed whatever the cause. Nothing is opened for long or truncated.
    Where the open goes through all the same (``os.access`` answers for the real user), that
    answer stands: ``Permission denied``."""
    flags = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _naming(exc, path) from None
    os.close(fd)
    raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))


# The names of a process's own descriptors: ``/dev/stdout`` and ``/dev/fd/1`` lead to
# ``/proc/self/fd/1``, a link to the file the caller sent standard output to.
_STREAM_NAMES = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_DESCRIPTOR_NAME = re.compile(r"/(?:dev/fd|proc/(?:self|thread-self|([0-9]+))/fd)/([0-9]+)")
_DESCRIPTOR_NUMBER = re.compile(r"[0-9]+")
# The folders that list this process's descriptors, by the names a link may lead to them.
_DESCRIPTOR_FOLDERS = ("/proc/self/fd", "/dev/fd", "/proc/thread-self/fd")
_MAX_LINKS = 40  # as many links as Linux follows in one path


def _descriptor_named(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names (``/dev/stdout``, ``/dev/stderr``,
    ``/dev/fd/N``, ``/proc/self/fd/N``, a link to one of them, or ``N`` in a folder reached through
    links to the descriptors' folder: ``fds/1`` with ``fds`` a link to ``/proc/self/fd``, ``p/fd/1``
    with ``p`` a link to ``/proc/self``), when the caller handed it down open for writing; else None.

    Opened by its name, such a descriptor is its file opened anew: a regular file would be
    replaced (``{ echo HEADER; okrctl ... -o /dev/stdout; } > a.txt`` left only the output in
    a.txt, the caller's later writes going to the replaced file). The name must lead to the
    descriptor's own file (the same ``st_dev`` and ``st_ino``). A descriptor okrctl opened itself
    (close-on-exec, as Python opens every file) is none of the caller's: ``OutputRefused`` (its store's
    database was replaced by ``-o /dev/fd/3``).
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows has no such names
        return None
    name = "/" + os.path.abspath(path).lstrip("/")  # '//dev/stdout' is '/dev/stdout'
    for _ in range(_MAX_LINKS):
        fd = _STREAM_NAMES.get(name)
        match = _DESCRIPTOR_NAME.fullmatch(name)
        if match is not None and (match.group(1) is None or int(match.group(1)) == os.getpid()):
            fd = int(match.group(2))
        if fd is not None:
            break
        folder, leaf = os.path.split(name)
        if _DESCRIPTOR_NUMBER.fullmatch(leaf) and _lists_own_descriptors(folder):
            # Asked before the link ``leaf`` is read: that link leads to the file behind the
            # descriptor, which would then be replaced as any file is.
            fd = int(leaf)
            break
        try:
            target = os.readlink(name)
        except (OSError, ValueError):
            return None  # no link (or none to read): a file of its own
        # A relative target starts from the link's real folder, as the system reads it ('..' of a
        # folder reached through a link is not the '..' of the name as written).
        name = "/" + os.path.abspath(os.path.join(os.path.realpath(folder), target)).lstrip("/")
    else:
        return None
    try:
        named, held = os.stat(path), os.fstat(fd)
        access = fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE
        own = fd > 2 and fcntl.fcntl(fd, fcntl.F_GETFD) & fcntl.FD_CLOEXEC
    except (OSError, ValueError, OverflowError):
        return None
    if (named.st_dev, named.st_ino) != (held.st_dev, held.st_ino):
        return None
    if own:
        # Its file is one okrctl opened (its store): replacing it or writing into it would damage that.
        raise OutputRefused(errno.EBADF, f"descriptor {fd} is not one the caller gave okrctl", str(path))
    return fd if access in (os.O_WRONLY, os.O_RDWR) else None


def _lists_own_descriptors(folder: str) -> bool:
    """Whether ``folder``, its links followed, is the folder of this process's descriptors
    (``/proc/self/fd`` is ``/proc/PID/fd``): a link to it, or to ``/proc/self``, names what the
    name ``/proc/self/fd`` does. Compared after the system resolved both, so a ``/proc`` of another
    PID namespace, where this process has another number, is answered alike."""
    try:
        real = os.path.realpath(folder)
        return any(real == os.path.realpath(own) for own in _DESCRIPTOR_FOLDERS if os.path.isdir(own))
    except (OSError, ValueError):
        return False


def descriptor_named(path: Path) -> int | None:
    """The descriptor of this process that ``path`` names, by the test ``write_output`` makes
    (``/dev/stdout`` and ``//dev/stdout`` are 1, so is a link to either; ``/dev/fd/5`` is 5), or None
    for the name of a file. Output there goes to the stream where it stands: a check that reads or
    refuses the file at ``path`` (someone else's CODEOWNERS) has no file to read, and a check of a
    closed stream must know which stream it is. ``OutputRefused`` for a descriptor okrctl opened
    itself, which ``write_output`` refuses alike."""
    return _descriptor_named(Path(path))


def _write_to_descriptor(fd: int, data: bytes) -> None:
    """Write ``data`` to the open descriptor ``fd`` where it stands (its offset, or the end when
    opened to append), after what this process already wrote to its standard streams."""
    import sys

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError, AttributeError):
            if stream is not None:
                stream.flush()
    _write_counted(fd, data)


class WrittenInPart(OSError):
    """``write_output`` wrote part of its text in place (a pipe, a device) before the system refused
    the rest: ``accepted`` of ``total`` bytes were taken, and cannot be taken back."""

    def __init__(self, exc: OSError, accepted: int, total: int) -> None:
        super().__init__(exc.errno, exc.strerror or str(exc))
        self.accepted = accepted
        self.total = total


def _write_in_place(path: Path, data: bytes) -> None:
    """Write ``data`` to what ``path`` is (a pipe, a device, a terminal), counting the bytes the
    system takes, so a refusal can say whether anything went out."""
    fd = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0), 0o666
    )
    try:
        _write_counted(fd, data)
    finally:
        os.close(fd)


def _write_counted(fd: int, data: bytes) -> None:
    """``os.write`` all of ``data`` to ``fd``; a refusal after some bytes went out is ``WrittenInPart``."""
    accepted = 0
    view = memoryview(data)
    while accepted < len(data):
        try:
            accepted += os.write(fd, view[accepted:])
        except BrokenPipeError:
            raise  # the reader has what it wanted, as with standard output
        except OSError as exc:
            if accepted:
                raise WrittenInPart(exc, accepted, len(data)) from None
            raise


def _take_permissions_of(new: int | str, path: Path) -> None:
    """Give the new file ``new`` (its descriptor, or its name) the permissions of the file it
    replaces at ``path``, as ``> path`` keeps them: its group, its owner (only root may give another
    user's), then its mode, set last since a change of owner clears the setuid and setgid bits. A new
    file gets the mode the umask allows, and the owner and group the system gives. What the system
    refuses (a group the user is not in; file systems without Unix modes or owners: FAT, exFAT, some
    network mounts) is left as it gives it: the file is still written."""
    try:
        previous: os.stat_result | None = os.stat(path)
    except OSError:
        previous = None
    if previous is not None and hasattr(os, "chown"):  # not on Windows
        try:
            os.chown(new, previous.st_uid, previous.st_gid)
        except OSError:
            with contextlib.suppress(OSError):
                os.chown(new, -1, previous.st_gid)  # another user's file: its group, where the user is in it
    mode = stat.S_IMODE(previous.st_mode) if previous is not None else 0o666 & ~_umask()
    with contextlib.suppress(OSError):
        os.chmod(new, mode)


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


def replace_folder(
    target: Path,
    fill: Callable[[Path], None],
    *,
    ready: Callable[[Path], None] | None = None,
    keep: Callable[[list[str]], set[str]] | None = None,
) -> None:
    """Build a new ``target`` folder with ``fill`` next to it, then put it in place at once.

    The new tree is written in a hidden sibling folder ``.NAME.building-XXXXXXXX`` (same file
    system, so the final step is a rename). A first build renames it into place. A rebuild
    exchanges it with the old folder in one system call where Linux allows, else renames the old
    one aside (``.NAME.previous-XXXXXXXX``) and the new one in (a reader may then find no folder for
    an instant, never half of one). The old tree is deleted after. Nothing is left behind when
    ``fill`` fails or a signal stops the build (a second signal waits until the build is taken
    away); what a killed build left is removed by a later one (``remove_stale_builds``).

    ``keep`` names the leftovers that are not okrctl's to remove (``remove_stale_builds``).

    ``ready(target)`` is called right before each attempt to put the new tree in place, and may
    raise to refuse what is there now. Another build may put its folder in place while this one
    fills its own (two builds of a new folder at once): this one then replaces that one as a
    rebuild would, after asking ``ready`` again, so both end with a whole folder in place.
    """
    target = Path(target)
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(parent, target.name, keep=keep)
    building = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=parent))
    lock = _hold(building)
    placed, previous = False, None
    try:
        mode = _take_place_of(building, target)
        fill(building)
        if mode & stat.S_IRWXU != stat.S_IRWXU:
            with contextlib.suppress(OSError):
                os.chmod(building, mode)
        # The renames that put it in place run with Ctrl-C and the termination signals held back:
        # a signal that comes meanwhile is delivered once it is known whether the new folder is in
        # place (never between the two renames of a system without an exchange, which would
        # leave no folder at all, or the previous one aside).
        with signals_held():
            previous = _put_in_place(building, target, ready)
            placed = True
        if previous is not None:
            _remove_folder(previous)
    except BaseException as stopped:
        # Held back meanwhile: a second signal (``timeout``'s, to the process group) cut the removal
        # short, which left part of the build (or of the previous folder) behind.
        with signals_held():
            if not placed:
                _remove_folder(building)
            elif isinstance(stopped, KeyboardInterrupt) and previous is not None:
                _remove_folder(previous)  # Ctrl-C or a signal once the new folder is in place: it goes all the same
        raise
    finally:
        if lock is not None:
            os.close(lock)


def _take_place_of(building: Path, target: Path) -> int:
    """Give the new folder ``building`` the group and the mode (setgid and sticky bits included) of
    the folder it replaces at ``target``: a rebuild neither widens nor narrows who may read the site
    (a folder kept at 0750 stays so), and a setgid folder gives its group to what the build writes,
    as to what anyone writes there. A first build gets what ``mkdir`` gives: what the umask allows,
    and the setgid bit of a setgid parent. The owner may write the folder while it is filled; the
    mode returned is set once it is (a site kept read-only, 0555). A group the user is not in (only
    root gives those), or a file system without Unix modes or groups, is left as the system allows."""
    try:
        previous = os.lstat(target)
    except OSError:
        previous = None
    if previous is not None and stat.S_ISDIR(previous.st_mode):
        if hasattr(os, "chown"):  # not on Windows
            with contextlib.suppress(OSError):
                os.chown(building, -1, previous.st_gid)
        mode = stat.S_IMODE(previous.st_mode)
    else:
        mode = (0o777 & ~_umask()) | (os.stat(building).st_mode & stat.S_ISGID)
    with contextlib.suppress(OSError):
        os.chmod(building, mode | stat.S_IRWXU)
    return mode


def _remove_folder(folder: Path) -> None:
    """Remove ``folder`` (a build's, or the site it replaced) and what it holds, as far as the system
    allows. A site kept read-only (0555) is a folder its owner may not empty: it is made writable
    first (the folders in it are the build's own, writable). Never through a link."""
    import shutil

    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
        try:
            if hasattr(os, "fchmod"):  # not on Windows
                os.fchmod(fd, stat.S_IMODE(os.fstat(fd).st_mode) | stat.S_IRWXU)
        finally:
            os.close(fd)
    shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGINT, SIGTERM and SIGHUP held back inside (delivered as it ends); as they come elsewhere."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


# A rename onto a folder that is not empty: another build's folder is in place since it was looked at.
_TAKEN = {errno.ENOTEMPTY, errno.EEXIST}
# How many times a build tries to put its folder in place while other builds keep doing the same.
_PLACE_ATTEMPTS = 5


def _put_in_place(building: Path, target: Path, ready: Callable[[Path], None] | None) -> Path | None:
    """Put the finished ``building`` at ``target`` (see ``replace_folder``), starting over when
    another build changed ``target`` between two steps; OSError (EBUSY) when others kept doing so.
    The previous folder, now out of place, is returned for the caller to remove."""
    for _ in range(_PLACE_ATTEMPTS):
        if ready is not None:
            ready(target)
        if not os.path.lexists(target):
            try:
                os.rename(building, target)
                return None
            except OSError as exc:
                if exc.errno not in _TAKEN:
                    raise
                continue  # another build's folder arrived first: replace it, as a rebuild does
        try:
            swapped = exchange(building, target)
        except FileNotFoundError:
            continue  # gone since it was seen (another build moved it aside)
        if swapped:
            return building  # now the previous folder
        aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.previous-", dir=target.parent))
        os.rmdir(aside)
        try:
            os.rename(target, aside)
        except FileNotFoundError:
            continue
        try:
            os.rename(building, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                os.rename(aside, target)  # the previous folder back in place
            if os.path.lexists(aside) and os.path.lexists(target):
                _remove_folder(aside)  # another build's folder took the place
            if exc.errno in _TAKEN:
                continue
            raise
        return aside
    raise OSError(
        errno.EBUSY, "other builds kept replacing it at the same time; this build was not put in place", str(target)
    )


def _hold(folder: Path) -> int | None:
    """An exclusive ``flock`` on ``folder`` for as long as the descriptor returned stays open, so that
    ``remove_stale_builds`` in another process never takes a build under way for a leftover, however
    long it lasts; None where there are no such locks (the hour of ``STALE_SECONDS`` is then all)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    with contextlib.suppress(OSError):  # a file system without locks: the descriptor is harmless
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def remove_stale_builds(
    parent: Path, name: str, *, older_than: float = STALE_SECONDS, keep: Callable[[list[str]], set[str]] | None = None
) -> list[str]:
    """Remove what killed builds of the folder ``name`` left in ``parent``; the names removed.

    Only folders okrctl makes are touched: named exactly ``.NAME.building-XXXXXXXX`` or
    ``.NAME.previous-XXXXXXXX``, real folders (never a link, which could lead anywhere), owned by
    this user, not modified for ``older_than`` seconds, not locked by a build under way
    (``_hold``), and not among the names ``keep`` returns when asked about them (a folder a
    repository tracks files in is never okrctl's leftover, whatever its name). Any error leaves the
    folder where it is: tidying never stops a build.
    """
    pattern = re.compile(rf"\.{re.escape(name)}\.(?:building|previous)-[a-z0-9_]{{8}}", re.DOTALL)
    removed: list[str] = []
    candidates = [
        (entry, info) for entry, info in _left_over(parent, pattern, older_than) if stat.S_ISDIR(info.st_mode)
    ]
    kept = keep([entry.name for entry, _info in candidates]) if keep is not None and candidates else set()
    for entry, info in candidates:
        if entry.name in kept:
            continue
        if _locked(entry.path, info):
            continue
        _remove_folder(Path(entry.path))
        if not os.path.lexists(entry.path):
            removed.append(entry.name)
    return removed


def _locked(path: str, info: os.stat_result) -> bool:
    """Whether a build under way holds ``path`` (``_hold``); also True when ``path`` is no longer the
    folder ``info`` describes, or cannot be opened as one: then it is not touched either."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return True
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False  # no locks on this file system: the age decides
        return False
    finally:
        os.close(fd)  # releases the lock taken to look


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
