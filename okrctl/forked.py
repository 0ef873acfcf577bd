"""Two computations at once on a multi-core machine: one in a forked worker, one in this process."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")


def spare_core() -> bool:
    """Whether a second core may be used (``OKRCTL_JOBS=1`` keeps okrctl to one)."""
    import os

    return os.environ.get("OKRCTL_JOBS", "") != "1" and (os.cpu_count() or 1) >= 2


def meanwhile(other: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """``(other(), here())``, with ``other`` computed in a forked worker while ``here`` runs.

    The worker sees this process's memory as it is at the fork (nothing is sent to it) and sends
    its result back through a pipe. Where no worker can be started (no fork on this platform,
    inside a daemon process) or the worker fails, ``other`` is computed here afterwards.
    """
    import multiprocessing
    import os

    parent = os.getpid()
    try:
        context = multiprocessing.get_context("fork")
        receiver, sender = context.Pipe(duplex=False)

        def work() -> None:
            if not _ends_with(parent):
                return  # okrctl is gone: nobody waits for the answer
            try:
                sender.send((True, other()))
            except BaseException:  # whatever went wrong, the parent computes it itself
                sender.send((False, None))

        worker = context.Process(target=work, daemon=True)
        worker.start()
    except (ValueError, OSError, RuntimeError, AssertionError):
        return other(), here()
    sender.close()
    try:
        mine = here()
    except BaseException:  # interrupted, or this side failed: the worker's answer is not wanted
        worker.kill()
        worker.join()
        raise
    try:
        done, theirs = receiver.recv()
    except (EOFError, OSError):
        done, theirs = False, None
    worker.join()
    return (theirs if done else other()), mine


def in_two(
    items: list[T], work: Callable[[list[T]], U], join: Callable[[U, U], U], *, weights: list[int] | None = None
) -> U:
    """``work(items)``, with the items from about half the total weight on worked out in a forked
    worker while this process works out the first ones: ``join(first, second)``. ``work`` must give
    for a list what ``join`` of its two parts gives (rendering blocks of text one after another,
    say). Without ``weights``, every item weighs the same."""
    weights = weights if weights is not None else [1] * len(items)
    total, running, cut = sum(weights), 0, 0
    while cut < len(items) - 1 and (running + weights[cut]) * 2 <= total:
        running += weights[cut]
        cut += 1
    if cut == 0 or not spare_core():
        return work(items)
    second, first = meanwhile(lambda: work(items[cut:]), lambda: work(items[:cut]))
    return join(first, second)


class Background:
    """A computation started now in a forked worker, whose end is waited for later (``join``, or
    ``join_all`` before the process ends); for work that only leaves its result on disk (rows added
    to the store). Nothing comes back."""

    running: list[Background] = []

    def __init__(self, work: Callable[[], object]) -> None:
        import contextlib
        import multiprocessing
        import os

        parent = os.getpid()

        def quietly() -> None:
            # Interrupted (Ctrl-C reaches the whole group) or failed: the work is left undone, which
            # costs the next run time, and nothing is printed. Nor does it outlive okrctl.
            with contextlib.suppress(BaseException):
                if _ends_with(parent):
                    work()

        context = multiprocessing.get_context("fork")
        self.worker = context.Process(target=quietly, daemon=True)
        self.worker.start()
        Background.running.append(self)

    @classmethod
    def start(cls, work: Callable[[], object]) -> Background | None:
        """The worker running ``work``, or None where none can be started (then nothing is done)."""
        try:
            return cls(work)
        except (ValueError, OSError, RuntimeError, AssertionError):
            return None

    def join(self) -> None:
        self.worker.join()
        if self in Background.running:
            Background.running.remove(self)

    @classmethod
    def join_all(cls) -> None:
        """Wait for every worker still running (the command failed before waiting for it)."""
        for started in list(cls.running):
            started.join()


def tied_to(parent: int) -> None:
    """The start of a pool worker (``pipeline._in_workers``): it ends when okrctl ends, even when
    okrctl is killed (``kill -9``, the kernel out of memory). Left alone, it would wait for work
    forever, holding the output pipes okrctl's caller reads to their end (``$(okrctl status)``,
    a CI step), and the caller with it."""
    import os
    import signal

    # Ctrl-C reaches every process of the terminal's group: the pool's workers leave it to okrctl,
    # which stops them (they die with it), instead of each printing its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if not _ends_with(parent):
        os._exit(0)


def _ends_with(parent: int) -> bool:
    """In a worker: be killed when ``parent`` ends (Linux: ``PR_SET_PDEATHSIG``), so that a killed
    okrctl leaves nothing running that still writes; False when it has ended already."""
    import contextlib
    import os
    import signal
    import sys

    if sys.platform.startswith("linux"):
        with contextlib.suppress(ImportError, OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    return os.getppid() == parent
