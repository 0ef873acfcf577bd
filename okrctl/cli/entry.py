"""Where ``okrctl`` starts: standard streams made safe, and Ctrl-C at any moment ends cleanly.

This module imports nothing at load time. The command line (typer and every command module) is
imported inside :func:`main`, so a Ctrl-C while Python is still importing it prints one line and
exits 130 like a Ctrl-C anywhere else, never a traceback.
"""

from __future__ import annotations

import contextlib
import sys

TYPE_CHECKING = False  # typing is not imported at run time here (see above)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    T = TypeVar("T")

INTERRUPTED = 130  # 128 + SIGINT, what shells report for a command stopped by Ctrl-C


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP (``kill``, a CI job cancelled, a closed terminal): the command ends the way
    a Ctrl-C ends it, so every write in progress is undone (no temporary file or half-built site is
    left behind), with one line and exit 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


# The signals this process was stopped by (``signalled``).
_received: list[int] = []

# Whether the command's end is decided (``ending``): it said what stopped it, or its exit code is
# known. A signal that comes from then on is dropped.
_ending: list[bool] = []

# Seconds after which a signal whose exception Python dropped is sent again (``end_on_signals``).
AGAIN_AFTER = 0.01


def signalled() -> KeyboardInterrupt | None:
    """What stopped the command, when a signal did: ``Terminated`` for SIGTERM or SIGHUP, a
    ``KeyboardInterrupt`` for Ctrl-C. For an error that stands in for it: a library that catches the
    exception the signal raised while it called back into Python raises its own instead
    (pydantic-core's ``SchemaError`` when the signal comes while it builds a model)."""
    if not _received:
        return None
    import signal

    signum = _received[-1]
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated(signum)


def end_on_signals() -> Callable[[], None]:
    """Make SIGTERM and SIGHUP raise ``Terminated`` in this process, and note them and Ctrl-C
    (``signalled``); returns what puts the previous handlers back. A signal the caller ignores
    stays ignored (``nohup``). A forked worker that inherits the handler dies of the signal as
    before: only this process undoes its writes.

    Once the command's end is decided (``ending``), a signal is dropped: a second Ctrl-C, or
    ``timeout -s INT``'s signal to okrctl and to its group, is part of the same stop, and an
    exception raised then, with nothing left to catch it, was Python's traceback (exit -2) after
    the one line. And a signal whose exception Python can only ignore (its handler ran in a
    finaliser or one of its callbacks: importlib's, as a module is imported) is not reported as
    "Exception ignored": it is noted, and the same signal is sent again ``AGAIN_AFTER`` seconds
    later (SIGALRM's timer), to be raised where the command runs then. Going on instead, the
    command could wait where nothing else ends the wait (an ``--output`` nobody reads yet: for
    ever). Dropped again, it is sent again; a command that ends first ends as stopped all the
    same (``signalled``)."""
    import os
    import signal

    here = os.getpid()
    _ending.clear()  # (a caller of ``main`` runs one command after another)

    def terminate(signum: int, _frame: object) -> None:
        if os.getpid() != here:
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if _ending:
            return
        _received.append(signum)
        raise Terminated(signum)

    def interrupt(signum: int, _frame: object) -> None:
        if os.getpid() != here:
            # A forked worker (Ctrl-C reaches the terminal's whole process group): it ends as the
            # signal ends a process, with no traceback; okrctl itself says the one line.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        if _ending:
            return
        _received.append(signum)
        raise KeyboardInterrupt  # what Python's own handler does

    def again(_signum: int, _frame: object) -> None:
        # The timer ``ignored`` set: the signal whose exception Python dropped, sent once more.
        if _received and not _ending and os.getpid() == here:
            os.kill(here, _received[-1])

    ours = (terminate.__code__, interrupt.__code__)
    unraisable = sys.unraisablehook
    timed: list[bool] = []  # whether SIGALRM's timer was set (``restore`` clears it)

    def ignored(what: Any) -> None:
        if not (isinstance(what.exc_value, KeyboardInterrupt) and _raised_by(what.exc_traceback, ours)):
            unraisable(what)
            return
        alarm = getattr(signal, "SIGALRM", None)
        if alarm is None or _ending:
            return
        try:
            taken = signal.getsignal(alarm)
            if taken is signal.SIG_DFL:
                previous.append((alarm, signal.signal(alarm, again)))
            elif taken is not again:
                return  # the caller's own use of SIGALRM: the command ends as stopped when it returns
            signal.setitimer(signal.ITIMER_REAL, AGAIN_AFTER)
            timed.append(True)
        except (ValueError, OSError):
            pass

    previous: list[tuple[int, Any]] = []
    for name, handler, usual in (
        ("SIGTERM", terminate, signal.SIG_DFL),
        ("SIGHUP", terminate, signal.SIG_DFL),
        ("SIGINT", interrupt, signal.default_int_handler),
    ):
        number = getattr(signal, name, None)
        if number is None:
            continue
        try:
            if signal.getsignal(number) is not usual:
                continue
            previous.append((number, signal.signal(number, handler)))
        except ValueError:  # not the main thread: signals are not ours to take
            break
    if previous:
        sys.unraisablehook = ignored

    def restore() -> None:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            timed.clear()
        for number, handler in previous:
            signal.signal(number, handler)
        if sys.unraisablehook is ignored:
            sys.unraisablehook = unraisable
        _received.clear()
        _ending.clear()

    return restore


def _raised_by(trace: Any, handlers: tuple[object, ...]) -> bool:
    """Whether the exception of ``trace`` was raised by one of the signal ``handlers`` (the last
    frame of its traceback is theirs)."""
    while trace is not None and trace.tb_next is not None:
        trace = trace.tb_next
    return trace is not None and trace.tb_frame.f_code in handlers


def ending() -> None:
    """The command's end is decided from here: a signal that comes until the process ends is part
    of the same stop and is dropped, the exit code and the line already said standing (for a
    Ctrl-C, 130)."""
    if not _ending:
        _ending.append(True)


class ClosedStream:
    """Stands for a standard stream the caller closed (``okrctl status >&-``).

    Python starts with ``sys.stdout`` set to None then. Writing here fails like writing to a
    closed file descriptor (an ``OSError`` the command line turns into one line and exit 2);
    reading finds nothing, as from an empty file.
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.encoding = "utf-8"
        self.errors = "strict"
        self.closed = False

    def write(self, text: str) -> int:
        if not text:
            return 0
        import errno

        raise OSError(errno.EBADF, f"standard {self.name} is closed")

    def writelines(self, lines: object) -> None:
        for line in lines:  # type: ignore[attr-defined]
            self.write(line)

    def read(self, size: int = -1) -> str:
        return ""

    def readline(self, size: int = -1) -> str:
        return ""

    def flush(self) -> None:
        pass

    def close(self) -> None:
        """What a forked worker does to its standard input first (``multiprocessing``)."""
        self.closed = True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation(f"standard {self.name} is closed")


class _Discard(ClosedStream):
    """A closed standard error: messages have nowhere to go, and that must not stop okrctl."""

    def write(self, text: str) -> int:
        return len(text)


class _KeptStderr:
    """Standard error that a failed write cannot stop: a reader that left (``2>&1 >out | head -n 0``)
    or a full disk behind it (``2>/dev/full``). Notes then have nowhere to go, as with a closed
    standard error: the first failure sends the rest to the null device, and the command goes on to
    write its output and files and end with its own exit code. (Left alone, the error would be
    taken for standard output's: a reader gone from it, or a disk it cannot write to.)"""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._gone = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def write(self, text: str) -> int:
        if not self._gone:
            try:
                return self._stream.write(text)  # type: ignore[no-any-return]
            except (OSError, ValueError):
                self._lost()
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        if not self._gone:
            try:
                self._stream.flush()
            except (OSError, ValueError):
                self._lost()

    def _lost(self) -> None:
        """Nothing more is written; the descriptor is given the null device, so that a child
        process (git) writing to it meets no broken pipe either, and a last flush finds nothing."""
        import os

        self._gone = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, self._stream.fileno())
            os.close(null)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            # What the stream still holds in its buffer would fail again at the next flush.
            self._stream.flush()


def guard_streams() -> None:
    """Put a stand-in where the caller closed stdin, stdout or stderr.

    The closed descriptor itself is given the null device: otherwise the next file okrctl opens
    (its store, a repository file) would take its number, and a path such as ``/dev/stdout``, or
    a child process writing to its standard output, would reach that file.
    """
    if sys.stdin is None:
        _occupy(0)
        sys.stdin = ClosedStream("input")  # type: ignore[assignment]
    if sys.stdout is None:
        _occupy(1)
        sys.stdout = ClosedStream("output")  # type: ignore[assignment]
    if sys.stderr is None:
        _occupy(2)
        sys.stderr = _Discard("error")  # type: ignore[assignment]
    elif not isinstance(sys.stderr, (_Discard, _KeptStderr)):
        sys.stderr = _KeptStderr(sys.stderr)  # type: ignore[assignment]


def closed_output() -> bool:
    """Whether the caller closed standard output (``okrctl ... >&-``)."""
    return isinstance(sys.stdout, ClosedStream)


def reader_left() -> None:
    """The reader of standard output left early (``okrctl status | head -1``): what is still to be
    written goes to the null device, so that no later write or the last flush fails, and the
    command ends with its own exit code."""
    import contextlib
    import os

    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


def _occupy(number: int) -> None:
    import contextlib
    import os

    try:
        os.fstat(number)
        return  # open after all (Python may have had other reasons to leave the stream unset)
    except OSError:
        pass
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    if null != number:
        with contextlib.suppress(OSError):
            os.dup2(null, number)
        os.close(null)


def interrupted(exc: BaseException | None = None) -> None:
    """One line and the exit code of a Ctrl-C (130), or of the signal that ended the command."""
    progress_gone()
    try:
        sys.stderr.write(f"okrctl: {stopped_by(exc)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    raise SystemExit(getattr(exc, "exit_code", INTERRUPTED))


def progress_gone() -> None:
    """A progress line on the terminal taken away, and the cursor it hid shown again, before a
    line says what stopped the command: the shell's next output starts on a line of its own.
    Both lines that say so (``interrupted`` and the command line's own) start here, so this is where
    the stop is decided (``ending``): a further signal cannot take the line away or change the
    exit code."""
    ending()
    progress = sys.modules.get("okrctl.cli.progress")
    if progress is not None:
        with contextlib.suppress(Exception):
            progress.finish()


def stopped_by(exc: BaseException | None) -> str:
    """What ended the command, in a word: ``interrupted`` (Ctrl-C) or ``terminated`` (a signal),
    and what it had done by then when a command said so (``exc.after``: a check-in written)."""
    word = "terminated" if isinstance(exc, Terminated) else "interrupted"
    after = getattr(exc, "after", "")
    return f"{word}; {after}" if after else word


# What a command loaded, kept until the process leaves (``program`` sets it; ``keep``): freeing a
# large repository's hundred thousand objects one by one, then again at interpreter shutdown,
# costs more than printing its output.
kept: list[object] | None = None


def keep(thing: T) -> T:
    """Hold ``thing`` until the process leaves when run as the ``okrctl`` program (in tests and for
    a caller of ``main``, nothing is held)."""
    if kept is not None:
        kept.append(thing)
    return thing


def main() -> None:
    """The ``okrctl`` command line, for a caller in the same process: it ends with ``SystemExit``.
    The stores the command opened are closed when it ends (as the program, the process ends)."""
    restore: Callable[[], None] | None = None
    try:
        restore = end_on_signals()  # (a Ctrl-C may come while it sets the handlers up)
        guard_streams()
        from okrctl.cli.app import run

        run()
    except KeyboardInterrupt as exc:
        interrupted(exc)
    finally:
        ending()  # the exit code is known (``SystemExit``)
        if restore is not None and kept is None:
            # (As the program, okrctl keeps its handlers to the end, which drop every signal now:
            # Python's own would raise one where nothing catches it, in ``program`` or ``leave``.)
            restore()
        if kept is None:
            from okrctl.load.store import close_stores

            close_stores()


def program() -> None:
    """The ``okrctl`` program (the installed command and ``python -m okrctl``): ``main``, then the
    process ends as soon as the output is out (``leave``). Under a profiler, a debugger or
    ``python -i``, it is ``main`` alone."""
    global kept
    if _watched():
        main()
        return
    kept = []
    try:
        main()
    except SystemExit as done:
        code = done.code
    except KeyboardInterrupt as exc:  # a Ctrl-C before ``main`` set its handlers (Python's own raised it)
        try:
            interrupted(exc)
        except SystemExit as done:
            code = done.code
    else:
        code = 0
    leave(code)


def leave(code: object) -> None:
    """End the process with ``code`` as ``SystemExit`` would, once the output is out, without
    tearing down what the command built (see ``kept``). Every file okrctl writes is closed (and
    renamed into place) by the command itself, every child process waited for, and the store's
    transactions committed, before the command returns."""
    import contextlib
    import os

    from okrctl.forked import Background

    Background.join_all()
    if _watched():
        raise SystemExit(code)  # one started meanwhile: it still has work to do at shutdown
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(f"{code}\n")
        status = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            pass  # the reader left early: the command ends with its own exit code
        except (OSError, ValueError):
            if stream is sys.stdout and status == 0:
                status = 1
    os._exit(status & 0xFF)


def _watched() -> bool:
    """Whether something expects Python to shut down as usual: a profiler, a coverage tool or a
    debugger (which may have stopped tracing), or an interactive prompt to come (``python -i``,
    ``PYTHONINSPECT``)."""
    import os

    if sys.gettrace() is not None or sys.getprofile() is not None or "bdb" in sys.modules:
        return True
    if sys.flags.inspect or os.environ.get("PYTHONINSPECT"):
        return True
    monitoring = getattr(sys, "monitoring", None)  # Python 3.12 and later
    return monitoring is not None and any(monitoring.get_tool(tool) is not None for tool in range(6))
