"""``plan --write`` and ``retro --write`` stopped by Ctrl-C or a signal once their file is written:
the last line says the file is written all the same (as ``checkin``, ``measure`` and ``site`` do),
so that nobody runs the command again to be told that it exists. Stopped before, it is the bare
``interrupted`` or ``terminated``, and nothing is left in the repository."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, ROOT, git

RETRO = (["retro", "--team", "cards", "--write"], "retros/2026-Q4/cards-mid.yaml", "the retro is written")
PLAN = (
    ["plan", "--team", "cards", "--cycle", "2027-Q1", "--write"],
    "okrs/2027-Q1/cards.yaml",
    "the draft objective is written",
)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return git_repo(copy_example("banco"))


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("command", [RETRO, PLAN], ids=["retro", "plan"])
def test_a_signal_once_the_file_is_written_says_it_is_written(
    banco: Path, tmp_path: Path, command: tuple[list[str], str, str], signal_name: str
) -> None:
    """--output a named pipe nobody reads: the command waits there with its file written. A
    cancelled job or Ctrl-C then said only "terminated" or "interrupted", and the next run was
    refused because the file exists."""
    args, rel, what = command
    fifo = tmp_path / "pre-read.txt"
    os.mkfifo(fifo)
    run = subprocess.Popen(
        [sys.executable, "-m", "okrctl", *args, "--repo", str(banco), "--today", DEMO_DAY, "-o", str(fifo)],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a user's shell leaves it
    )
    written = banco / rel
    deadline = time.monotonic() + 60
    while not written.exists() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert written.exists(), run.communicate()
    run.send_signal(getattr(signal, signal_name))
    _out, err = run.communicate(timeout=60)
    word, code = ("terminated", 143) if signal_name == "SIGTERM" else ("interrupted", 130)
    assert run.returncode == code, err
    assert err.decode().splitlines()[-1] == f"okrctl: {word}; {what} all the same (wrote {rel})"
    assert "kind:" in written.read_text(encoding="utf-8")  # whole, not half-written
    assert git(banco, "status", "--porcelain", "--untracked-files=all") == f"?? {rel}\n"


def _signal_at(monkeypatch: pytest.MonkeyPatch, *, after_naming: bool) -> None:
    """A Ctrl-C that comes while the file is being written (``after_naming``: once it has its
    name, while its folder is synced), raised where Python's handler would raise it."""
    from okrctl import fsutil

    real = fsutil.sync_folder

    def sync_folder(folder: Path) -> None:
        if after_naming:
            raise KeyboardInterrupt
        real(folder)

    def write_unnamed(path: Path, data: bytes, *, exclusive: bool) -> bool:
        raise KeyboardInterrupt  # before the file has a name

    monkeypatch.setattr(fsutil, "sync_folder", sync_folder)
    if not after_naming:
        monkeypatch.setattr(fsutil, "_write_unnamed", write_unnamed)


def _everything(root: Path) -> set[str]:
    """Every file and folder of the work tree."""
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.relative_to(root).parts}


@pytest.mark.parametrize("command", [RETRO, PLAN], ids=["retro", "plan"])
def test_a_signal_before_the_file_has_its_name_leaves_nothing(
    cli, banco: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[list[str], str, str]
) -> None:
    """Nothing written: the bare "interrupted", and not even the folder made for the file (a
    second run writes it as a first one would)."""
    args, rel, _what = command
    before = _everything(banco)
    _signal_at(monkeypatch, after_naming=False)
    result = cli(*args, "--repo", str(banco), "--today", DEMO_DAY)
    assert result.exit_code == 130
    assert result.stderr == "okrctl: interrupted\n"
    assert _everything(banco) == before  # (plan's okrs/2027-Q1/ folder is gone again)
    monkeypatch.undo()
    again = cli(*args, "--repo", str(banco), "--today", DEMO_DAY)
    assert again.exit_code == 0, again.output
    assert (banco / rel).is_file()


@pytest.mark.parametrize("command", [RETRO, PLAN], ids=["retro", "plan"])
def test_a_signal_just_after_the_file_has_its_name_says_it_is_written(
    cli, banco: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[list[str], str, str]
) -> None:
    """The file is named, then its folder synced: a Ctrl-C in between leaves it written, and says so."""
    args, rel, what = command
    _signal_at(monkeypatch, after_naming=True)
    result = cli(*args, "--repo", str(banco), "--today", DEMO_DAY)
    assert result.exit_code == 130
    assert result.stderr == f"okrctl: interrupted; {what} all the same (wrote {rel})\n"
    assert (banco / rel).is_file()


# The command run as the installed program: once its file is written, SIGNAL comes as an object's
# finaliser runs, where Python runs the signal's handler and can only ignore the exception it raises
# (as when the signal lands just before one of importlib's callbacks, while the output is rendered).
_DROPPED_ONCE_WRITTEN = """
import os, sys
import okrctl.fsutil as fsutil
signum, *argv = sys.argv[1:]

class Dropped:
    def __del__(self):
        os.kill(os.getpid(), int(signum))
        self.gone = True  # (Python runs the signal's handler here, inside the finaliser)

real = fsutil.atomic_write
def atomic_write(*args, **kwargs):
    real(*args, **kwargs)
    Dropped()
fsutil.atomic_write = atomic_write

sys.argv = ["okrctl", *argv]
from okrctl.cli.entry import program
program()
"""


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
@pytest.mark.parametrize("command", [RETRO, PLAN], ids=["retro", "plan"])
def test_a_signal_python_drops_once_the_file_is_written_still_ends_the_wait_for_the_output(
    banco: Path, tmp_path: Path, command: tuple[list[str], str, str], signal_name: str
) -> None:
    """--output a named pipe nobody reads, and the signal's exception dropped by Python (it came as a
    finaliser ran): okrctl went on to wait for a reader for ever (a CI job's ``kill`` never ended it).
    It now ends as stopped, with the signal's exit code, and says the file is written."""
    args, rel, what = command
    fifo = tmp_path / "pre-read.txt"
    os.mkfifo(fifo)
    number = getattr(signal, signal_name)
    where = ["--repo", str(banco), "--today", DEMO_DAY, "-o", str(fifo)]
    run = subprocess.Popen(
        [sys.executable, "-c", _DROPPED_ONCE_WRITTEN, str(number), *args, *where],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a user's shell leaves it
    )
    try:
        _out, err = run.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        run.kill()
        _out, err = run.communicate()
        pytest.fail(f"okrctl still waited for a reader of its output: {err.decode()!r}")
    word = "terminated" if signal_name == "SIGTERM" else "interrupted"
    assert (run.returncode, err.decode()) == (128 + number, f"okrctl: {word}; {what} all the same (wrote {rel})\n")
    assert "kind:" in (banco / rel).read_text(encoding="utf-8")
