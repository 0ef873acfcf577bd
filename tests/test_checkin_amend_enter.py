"""``checkin --amend`` at a terminal, Enter at every prompt: the check-in stays as it was."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import committed_by_a_member
from tests.pty_driver import Terminal

FRIDAY = "2026-11-27"
CHECKIN = f"checkins/discover/{FRIDAY}.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def test_enter_at_every_prompt_of_an_amendment_leaves_out_what_the_check_in_left_out(banco: Path) -> None:
    """A check-in written off a terminal names one key result; an amendment with Enter at every
    prompt added the two others with last week's values and committed them ("✓ amended"), where
    the docs promise "nothing changed"."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
    first = [sys.executable, "-m", "okrctl", "checkin", "--team", "discover", "--today", FRIDAY]
    subprocess.run(
        [*first, "-c", "7", "-r", "setup-tickets=330", "--issue", "i1", "--plan", "p1"],
        cwd=banco,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        check=True,
        timeout=120,
    )
    written = (banco / CHECKIN).read_bytes()
    head = git(banco, "rev-parse", "HEAD")
    with Terminal([*first, "--amend"], cwd=banco, env=env) as term:
        term.expect("Confidence [7]: ")
        term.send("")
        term.expect("[1] onboarding-completion (%) [left out; last 79]: ")
        term.send("")
        deadline = time.monotonic() + 60
        while not term.closed and time.monotonic() < deadline:  # Enter at every prompt, whatever it asks
            term._read(0.3)
            if term.output.rstrip(" ").endswith((":", "]", ">")) or term.output.endswith(": "):
                term.send("")
        term.expect_exit(0)
    assert "nothing changed" in term.output, term.output
    assert (banco / CHECKIN).read_bytes() == written
    assert git(banco, "rev-parse", "HEAD") == head
