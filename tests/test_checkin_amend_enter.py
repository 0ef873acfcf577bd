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


def _enter_at_every_prompt(term: Terminal) -> None:
    """Press Enter at whatever the check-in asks next, until it ends (exit 0)."""
    deadline = time.monotonic() + 60
    while not term.closed and time.monotonic() < deadline:
        term._read(0.3)
        if term.output.rstrip(" ").endswith((":", "]", ">")):
            term.send("")
    term.expect_exit(0)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


ENV = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
CHECKIN_COMMAND = [sys.executable, "-m", "okrctl", "checkin", "--team", "discover", "--today", FRIDAY]


def _checked_in(banco: Path, *flags: str) -> None:
    """The check-in of the day written off a terminal, with ``flags`` alone, and committed."""
    subprocess.run(
        [*CHECKIN_COMMAND, *flags], cwd=banco, env=ENV, stdin=subprocess.DEVNULL, capture_output=True, check=True
    )


def _amended_with_enter_everywhere(banco: Path, prompts: list[str]) -> None:
    """``checkin --amend`` at a terminal, Enter at each of ``prompts`` (in order) and at every
    prompt after them: it says "nothing changed", and the file and HEAD stay as they were."""
    written = (banco / CHECKIN).read_bytes()
    head = git(banco, "rev-parse", "HEAD")
    with Terminal([*CHECKIN_COMMAND, "--amend"], cwd=banco, env=ENV) as term:
        for prompt in prompts:
            term.expect(prompt)
            term.send("")
        _enter_at_every_prompt(term)
    assert "nothing changed" in term.output, term.output
    assert (banco / CHECKIN).read_bytes() == written
    assert git(banco, "rev-parse", "HEAD") == head


@pytest.mark.slow
def test_enter_at_every_prompt_of_an_amendment_leaves_out_what_the_check_in_left_out(banco: Path) -> None:
    """A check-in written off a terminal names one key result; an amendment with Enter at every
    prompt added the two others with last week's values and committed them ("✓ amended"), where
    the docs promise "nothing changed"."""
    _checked_in(banco, "-c", "7", "-r", "setup-tickets=330", "--issue", "i1", "--plan", "p1")
    _amended_with_enter_everywhere(banco, ["Confidence [7]: ", "[1] onboarding-completion (%) [left out; last 79]: "])


SECOND = """---
apiVersion: okrctl/v1
kind: Objective
id: discover-second
owner: discover
cycle: 2026-Q4
title: Second objective sharing a key result id
aligns:
  - {to: digital-first-week, type: directional}
key_results:
  - {id: setup-tickets, title: Tickets fall from 400 to 200 a week, unit: tickets/week, baseline: 400, target: 200}
  - {id: other, title: Other falls from 10 to 5, baseline: 10, target: 5}
"""


@pytest.mark.slow
def test_enter_at_every_prompt_of_an_amendment_with_two_objectives_changes_nothing(banco: Path) -> None:
    """Two objectives sharing a key result's id: the check-in's 'discover-first-week/setup-tickets'
    was taken for 'discover-second/setup-tickets' too (so that one was filled with last week's
    value), and its one confidence was written again as one per objective, then committed."""
    with (banco / "okrs/2026-Q4/discover.yaml").open("a", encoding="utf-8") as file:
        file.write(SECOND)
    last = banco / "checkins/discover/2026-11-20.yaml"
    text = last.read_text(encoding="utf-8").replace(
        "  setup-tickets: 332",
        "  discover-first-week/setup-tickets: 332\n  discover-second/setup-tickets: 350\n  other: 9",
    )
    last.write_text(text, encoding="utf-8")
    git(banco, "commit", "-qam", "a second objective")
    given = ["-c", "7", "-r", "onboarding-completion=80", "-r", "tutorial-engagement=36"]
    _checked_in(banco, *given, "-r", "discover-first-week/setup-tickets=320", "-r", "other=8", "-i", "i1", "-p", "p1")
    _amended_with_enter_everywhere(
        banco,
        [
            "Confidence in discover-first-week [7]: ",
            "Confidence in discover-second [7]: ",
            *["]: "] * 3,
            "[4] discover-second/setup-tickets (tickets/week) [left out; last 350]: ",
        ],
    )


@pytest.mark.slow
def test_enter_at_every_prompt_keeps_a_confidence_written_as_a_mapping(banco: Path) -> None:
    """One objective, its confidence written ``{discover-first-week: 7}`` (format.md allows it):
    Enter at every prompt of an amendment wrote ``confidence: 7`` and committed it."""
    (banco / CHECKIN).write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-27\nauthor: ana.costa@example.com\n"
        "confidence: {discover-first-week: 7}\n"
        "results: {onboarding-completion: 80, tutorial-engagement: 36, setup-tickets: 320}\n"
        "issues: [i1]\nplan: [p1]\n",
        encoding="utf-8",
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-qm", "a check-in")
    _amended_with_enter_everywhere(banco, ["Confidence [7]: "])
