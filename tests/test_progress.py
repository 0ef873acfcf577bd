"""The progress line on a terminal: shown on stderr while a long run reads files, gone when it ends
or is stopped, never beside machine-read output. Each run is a real process whose stderr is a
pseudo-terminal; the line is shown from the first step (``SHOW_AFTER`` 0) and the run held at its
first step, so what a person sees at that moment is what the test reads."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
SHOW_CURSOR = b"\x1b[?25h"
HIDE_CURSOR = b"\x1b[?25l"
ERASE_LINE = b"\x1b[2K"

# okrctl with the progress line shown at once, and the first step held for ``HOLD`` seconds.
RUN = """
import os, sys, time
import okrctl.cli.progress as progress
progress.SHOW_AFTER = 0
held = []
real = progress._Progress.__call__
def call(self, stage, done, total):
    if not held and total:
        # The first step shown half-way (a small repository's steps are whole at once), held.
        held.append(1)
        real(self, stage, total // 2, total)
        self.bar.refresh()
        os.write(2, b"<held>")  # (past rich, which colours what is written to stderr meanwhile)
        time.sleep(float(os.environ["HOLD"]))
    real(self, stage, done, total)
progress._Progress.__call__ = call
sys.argv = ["okrctl", *sys.argv[1:]]
from okrctl.cli.entry import program
program()
"""


def run_on_a_terminal(
    args: list[str], tmp_path: Path, *, hold: float, stop: int | None = None, extra: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """(exit code, all the process wrote to its terminal) of okrctl ``args`` (in an environment
    of no CI job, with ``extra`` variables); with ``stop``, that signal is sent once the progress
    line is shown."""
    controller, terminal = pty.openpty()
    env = {
        **os.environ,
        "HOLD": str(hold),
        "PYTHONPATH": str(ROOT),
        "OKRCTL_CACHE_DIR": str(tmp_path / "store"),
        "TERM": "xterm-256color",
        "COLUMNS": "100",
    }
    for name in ("CI", "GITHUB_ACTIONS", "OKRCTL_NO_CACHE", "NO_COLOR"):
        env.pop(name, None)
    env.update(extra or {})
    process = subprocess.Popen(
        [sys.executable, "-c", RUN, *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    seen = b""
    sent = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal's other end is closed: the process is done
                break
            if not chunk:
                break
            seen += chunk
        if stop is not None and not sent and b"<held>" in seen:
            process.send_signal(stop)
            sent = True
        if process.poll() is not None and not ready:
            break
    os.close(controller)
    return process.wait(timeout=30), seen


@pytest.mark.slow
def test_the_line_shows_while_files_are_read_and_is_gone_at_the_end(tmp_path: Path) -> None:
    code, seen = run_on_a_terminal(
        ["align", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY], tmp_path, hold=0.2
    )
    assert code == 0, seen
    assert b"<held>" in seen and HIDE_CURSOR in seen
    # Taken away at the end: the cursor shown again, the line erased.
    assert SHOW_CURSOR in seen[seen.rfind(HIDE_CURSOR) :] and seen.endswith(ERASE_LINE), seen[-200:]


@pytest.mark.parametrize("plain", [["--no-color"], []], ids=["--no-color", "NO_COLOR"])
@pytest.mark.slow
def test_no_colour_in_the_line_with_no_color(tmp_path: Path, plain: list[str]) -> None:
    """``--no-color`` is what ``NO_COLOR=1`` is, for the progress line as for the output."""
    extra = {} if plain else {"NO_COLOR": "1"}
    args = ["align", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, *plain]
    code, seen = run_on_a_terminal(args, tmp_path, hold=0.1, extra=extra)
    assert code == 0, seen
    assert b"<held>" in seen and HIDE_CURSOR in seen
    assert b"\x1b[3" not in seen and b"\x1b[9" not in seen and b"\x1b[38" not in seen, seen  # no colour code


@pytest.mark.parametrize(
    ("stop", "code", "said"), [(signal.SIGINT, 130, b"interrupted"), (signal.SIGTERM, 143, b"terminated")]
)
def test_a_run_stopped_while_the_line_shows_takes_it_away_and_shows_the_cursor(
    tmp_path: Path, stop: int, code: int, said: bytes
) -> None:
    """The line stayed on screen under "okrctl: interrupted", the shell's next output ran on into
    it, and the cursor it hid stayed hidden after okrctl had exited."""
    exit_code, seen = run_on_a_terminal(
        ["align", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY], tmp_path, hold=30, stop=stop
    )
    assert exit_code == code, seen
    before, _, after = seen.rpartition(b"okrctl: " + said)
    assert SHOW_CURSOR in before[before.rfind(b"<held>") :], seen[-300:]  # the line gone before the word
    assert after.strip() == b"", after


@pytest.mark.parametrize(
    "args",
    [
        ["retro", "--team", "discover", "--format", "json"],
        ["plan", "--team", "discover", "--format", "json"],
        ["status", "--format", "json"],
    ],
    ids=["retro", "plan", "status"],
)
def test_no_line_beside_json(tmp_path: Path, args: list[str]) -> None:
    """retro and plan showed the line with --format json (only the views' own path knew JSON)."""
    code, seen = run_on_a_terminal([*args, "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY], tmp_path, hold=0)
    assert code == 0, seen
    assert HIDE_CURSOR not in seen and b"<held>" not in seen, seen[-300:]


@pytest.mark.parametrize(
    "extra", [{"CI": "true"}, {"GITHUB_ACTIONS": "true"}, {"TERM": "dumb"}], ids=["ci", "gha", "dumb"]
)
def test_no_line_in_a_ci_job_or_on_a_dumb_terminal(tmp_path: Path, extra: dict[str, str]) -> None:
    args = ["align", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY]
    code, seen = run_on_a_terminal(args, tmp_path, hold=0, extra=extra)
    assert code == 0 and HIDE_CURSOR not in seen and b"<held>" not in seen, seen


# ----- Ctrl-C reaches every process of the terminal's group -----------------------------------------
FORKED = """
import os, signal, sys, time
from okrctl.cli.entry import end_on_signals
end_on_signals()
child = os.fork()
if child == 0:
    if sys.argv[1] == "worker":
        from okrctl.forked import tied_to
        tied_to(os.getppid())
    time.sleep(1.5)
    os._exit(0)
time.sleep(0.5)
os.kill(child, signal.SIGINT)
_, status = os.waitpid(child, 0)
print(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGINT, os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0)
"""


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "said"), [("fork", "True False"), ("worker", "False True")])
def test_ctrl_c_in_a_forked_process_prints_no_traceback(kind: str, said: str) -> None:
    """A Ctrl-C during a parallel load printed each worker's traceback ("Process ForkProcess-2: …
    KeyboardInterrupt") before okrctl's line: a forked process dies of the signal quietly, and a
    pool worker leaves it to okrctl, which stops it."""
    done = subprocess.run(
        [sys.executable, "-c", FORKED, kind],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=30,
    )
    assert done.stdout.strip() == said, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr, done.stderr


def test_a_ctrl_c_python_ignored_still_ends_the_command_as_interrupted(cli, monkeypatch) -> None:
    """Raised where Python ignores exceptions (a callback of a fork, a finalizer: "Exception ignored
    in: <function _releaseLock …> KeyboardInterrupt"), Ctrl-C let the command go on to exit 0."""
    import signal as signals

    from okrctl.cli import entry

    monkeypatch.setattr(entry, "_received", [signals.SIGINT])
    result = cli("rules")
    assert result.exit_code == 130
    assert result.stderr.endswith("okrctl: interrupted\n")
