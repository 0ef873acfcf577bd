"""A second signal while okrctl stops, or once it knows its exit code: part of the same stop.

Ctrl-C pressed twice, or ``timeout -s INT`` (which signals okrctl and its process group), sent
okrctl a signal after ``main`` had put Python's own handler back: Python then printed a traceback
after "okrctl: interrupted" and the process died of the signal (exit -2). The tests send the
signals from inside the process at the moments where that happened, or from a git hook.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, ROOT

BANCO = ["--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY]

# The command run as the installed program, with signals sent to it at chosen moments: FIRST (a
# signal number, or 0 for none) as the repository is loaded, and SECOND when WHEN happens:
# "saying" just after okrctl took away its progress line to say what stopped it, "leaving" while
# the process ends (``cli.entry.leave`` waits for the store's workers), "finaliser" from inside an
# object's finaliser as the repository is loaded (where Python can only ignore an exception).
_SIGNALLED = """
import os, signal, sys
first, when, second, *argv = sys.argv[1:]
first, second = int(first), int(second)
import okrctl.cli.entry as entry
import okrctl.forked as forked
import okrctl.load.pipeline as pipeline

def send(number):
    os.kill(os.getpid(), number)

class Dropped:
    def __del__(self):
        send(second)
        self.gone = True  # (Python runs the signal's handler here, inside the finaliser)

real_load = pipeline.load_repo
def load_repo(*args, **kwargs):
    if when == "finaliser":
        Dropped()
    if first:
        send(first)
    return real_load(*args, **kwargs)
pipeline.load_repo = load_repo

real_gone = entry.progress_gone
def progress_gone():
    real_gone()
    if when == "saying":
        send(second)
entry.progress_gone = progress_gone

real_join = forked.Background.join_all.__func__
def join_all(cls):
    if when == "leaving" and sys._getframe(1).f_code.co_name == "leave":
        send(second)
    real_join(cls)
forked.Background.join_all = classmethod(join_all)

sys.argv = ["okrctl", *argv]
entry.program()
"""


def _run(first: int, when: str, second: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-c", _SIGNALLED, str(first), when, str(second), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("first", "when", "second", "code", "said"),
    [
        (2, "saying", 2, 130, "interrupted"),  # Ctrl-C twice
        (2, "leaving", 2, 130, "interrupted"),  # the reported traceback (exit -2)
        (15, "saying", 2, 143, "terminated"),  # a cancelled job, then a Ctrl-C
        (2, "leaving", 15, 130, "interrupted"),
        (2, "leaving", 1, 130, "interrupted"),
    ],
    ids=["int-int-saying", "int-int-leaving", "term-int-saying", "int-term-leaving", "int-hup-leaving"],
)
@pytest.mark.slow
def test_a_second_signal_once_okrctl_says_it_was_stopped_is_part_of_the_same_stop(first, when, second, code, said):
    """One line and the first signal's exit code. Before: a second Ctrl-C as okrctl said it was
    stopped took the line away (exit 130, nothing said); as it left, a traceback and exit -2."""
    result = _run(first, when, second, "status", *BANCO)
    assert (result.returncode, result.stderr) == (code, f"okrctl: {said}\n")
    assert result.stdout == ""


@pytest.mark.parametrize("second", [2, 15])
def test_a_signal_as_a_finished_command_leaves_does_not_change_its_end(second):
    """The command did its work and its exit code is known: a Ctrl-C or ``kill`` as the process
    ends is dropped, the output whole. Before: a traceback (exit -2), or killed (exit -15)."""
    result = _run(0, "leaving", second, "rules", "OKR101")
    assert (result.returncode, result.stderr) == (0, "")
    assert "OKR101" in result.stdout


def test_a_signal_whose_exception_python_ignores_is_not_reported_and_still_stops_the_command():
    """The handler ran inside a finaliser, where Python prints "Exception ignored in: ..." with a
    traceback and goes on: okrctl goes on too, but ends as stopped, with its one line."""
    result = _run(0, "finaliser", 2, "status", *BANCO)
    assert (result.returncode, result.stderr) == (130, "okrctl: interrupted\n")


# A pre-commit hook that sends okrctl (whose process id is in PID_FILE) Ctrl-C after Ctrl-C, as
# fast as Python sends them, until okrctl has ended; the hook itself lets the commit go on.
_HOOK = """#!{python}
import os, signal, sys, time
path = {pid_file!r}
while not os.path.exists(path):
    time.sleep(0.01)
pid = int(open(path).read())
if os.fork() == 0:
    os.setsid()
    nothing = os.open(os.devnull, os.O_RDWR)
    for number in (0, 1, 2):  # (okrctl reads git's output to its end)
        os.dup2(nothing, number)
    deadline = time.monotonic() + 60  # a bound, should okrctl's end go unseen
    while time.monotonic() < deadline:
        try:
            os.kill(pid, signal.SIGINT)
        except ProcessLookupError:
            break
        time.sleep(0.0002)
    os._exit(0)
"""

_CHECKIN = ["checkin", "--team", "discover", "-c", "7"]
_MEASURE = ["measure", "--team", "discover", "--values-from", "{values}", "--commit"]


@pytest.mark.parametrize("command", [_CHECKIN, _MEASURE], ids=["checkin", "measure"])
@pytest.mark.slow
def test_ctrl_c_after_ctrl_c_while_a_hook_runs_is_one_line_and_exit_130(copy_example, git_repo, tmp_path, command):
    """However many Ctrl-Cs come, and whenever they land, okrctl says one line and exits 130; never
    a traceback or "Exception ignored". (Where they land varies from run to run: before the fix,
    about one run in two of each command ended in a traceback and exit -2.)"""
    root = git_repo(copy_example("banco"))
    pid_file = tmp_path / "okrctl.pid"
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(_HOOK.format(python=sys.executable, pid_file=str(pid_file)), encoding="utf-8")
    hook.chmod(0o755)
    values = tmp_path / "kpis.csv"
    values.write_text("onboarding-completion,81\n", encoding="utf-8")
    args = [part.replace("{values}", str(values)) for part in command]
    env = {**os.environ, "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    okrctl = subprocess.Popen(
        [sys.executable, "-m", "okrctl", *args, "--repo", str(root), "--today", "2026-11-27"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    Path(f"{pid_file}.part").write_text(str(okrctl.pid), encoding="utf-8")
    os.replace(f"{pid_file}.part", pid_file)
    _out, err = okrctl.communicate(timeout=120)
    assert okrctl.returncode == 130, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err.startswith("okrctl: interrupted") and err.count("\n") == 1, err
