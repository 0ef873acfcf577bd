"""``checkin --amend`` with flags that repeat the check-in's confidence, however it is spelt (one
number, or a mapping by objective): "nothing changed", nothing written, nothing committed, exit 0.

The flags repeated a confidence written ``{discover-first-week: 7}`` as ``confidence: 7`` and
committed that, where docs/checkin.md promises "nothing changed" for flags that repeat the check-in.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import committed_by_a_member
from tests.pty_driver import Terminal
from tests.test_checkin_amend_enter import _enter_at_every_prompt

FRIDAY = "2026-11-27"
DISCOVER = f"checkins/discover/{FRIDAY}.yaml"
MAPPED = (
    "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-27\nauthor: ana.costa@example.com\n"
    "confidence: {discover-first-week: 7}\n"
    "results: {onboarding-completion: 80, tutorial-engagement: 36, setup-tickets: 320}\n"
    "issues: [i1]\nplan: [p1]\n"
)
# digital-services has three objectives; its check-in of the examples' last Friday gives each one.
DIGITAL_DAY = "2026-11-20"
DIGITAL = f"checkins/digital-services/{DIGITAL_DAY}.yaml"
THREE = ("digital-first-week", "sme-digital-banking", "resilient-digital-channels")


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def _committed(root: Path, rel: str, text: str) -> None:
    (root / rel).write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the check-in as the team wrote it")


def _with_confidence(root: Path, spelt: str) -> str:
    """digital-services' check-in with its confidence block replaced by ``spelt`` (YAML lines)."""
    text = (root / DIGITAL).read_text(encoding="utf-8")
    start = text.index("confidence:")
    end = text.index("results:")
    return text[:start] + spelt + text[end:]


def _amend(cli, root: Path, team: str, today: str, *flags: str):
    return cli("checkin", "--repo", str(root), "--team", team, "--today", today, "--amend", *flags)


def _nothing_changed(cli, root: Path, rel: str, team: str, today: str, *flags: str) -> None:
    written = (root / rel).read_bytes()
    head = git(root, "rev-parse", "HEAD")
    result = _amend(cli, root, team, today, *flags)
    assert result.exit_code == 0, result.output
    assert "nothing changed" in result.stdout, result.stdout
    assert (root / rel).read_bytes() == written
    assert git(root, "rev-parse", "HEAD") == head
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    "flags",
    [
        ["-c", "discover-first-week=7"],
        ["-c", "7"],
        ["-c", "7.0"],
        ["-c", "7", "-r", "setup-tickets=3.2e2", "-i", "i1"],
    ],
)
def test_flags_that_repeat_a_confidence_written_as_a_mapping_change_nothing(cli, banco: Path, flags) -> None:
    """One objective, ``confidence: {discover-first-week: 7}``: ``-c 7`` wrote ``confidence: 7``."""
    _committed(banco, DISCOVER, MAPPED)
    _nothing_changed(cli, banco, DISCOVER, "discover", FRIDAY, *flags)


@pytest.mark.parametrize(
    "flags",
    [
        ["-c", "7"],
        ["-c", "sme-digital-banking=7"],
        ["-c", "digital-first-week=7", "-c", "sme-digital-banking=7.0", "-c", "resilient-digital-channels=7"],
    ],
)
def test_flags_that_repeat_a_mapping_of_three_objectives_change_nothing(cli, banco: Path, flags) -> None:
    """Three objectives, each at 7 in a mapping: ``-c 7`` wrote ``confidence: 7``."""
    _committed(banco, DIGITAL, _with_confidence(banco, "confidence:\n" + "".join(f"  {o}: 7\n" for o in THREE)))
    _nothing_changed(cli, banco, DIGITAL, "digital-services", DIGITAL_DAY, *flags)


@pytest.mark.parametrize(
    "flags",
    [
        ["-c", "sme-digital-banking=7"],
        ["-c", "digital-first-week=7", "-c", "sme-digital-banking=7", "-c", "resilient-digital-channels=7.0"],
    ],
)
def test_flags_by_objective_that_repeat_one_number_change_nothing(cli, banco: Path, flags) -> None:
    """Three objectives, ``confidence: 7``: the same 7 given per objective wrote a mapping."""
    _committed(banco, DIGITAL, _with_confidence(banco, "confidence: 7\n"))
    _nothing_changed(cli, banco, DIGITAL, "digital-services", DIGITAL_DAY, *flags)


def test_a_real_change_of_one_objective_keeps_the_mapping_for_the_others(cli, banco: Path) -> None:
    _committed(banco, DIGITAL, _with_confidence(banco, "confidence:\n" + "".join(f"  {o}: 7\n" for o in THREE)))
    head = git(banco, "rev-parse", "HEAD")
    result = _amend(cli, banco, "digital-services", DIGITAL_DAY, "-c", "sme-digital-banking=5")
    assert result.exit_code == 0, result.output
    assert "confidence:\n  digital-first-week: 7\n  sme-digital-banking: 5\n  resilient-digital-channels: 7\n" in (
        banco / DIGITAL
    ).read_text(encoding="utf-8")
    assert git(banco, "rev-parse", "HEAD") != head
    assert git(banco, "status", "--porcelain") == ""


def test_a_confidence_flag_at_a_terminal_that_repeats_the_mapping_changes_nothing(banco: Path) -> None:
    """At a terminal the flag answers the confidence question: ``-c 7`` and Enter at every other
    prompt wrote ``confidence: 7`` over ``{discover-first-week: 7}`` and committed it."""
    _committed(banco, DISCOVER, MAPPED)
    written = (banco / DISCOVER).read_bytes()
    head = git(banco, "rev-parse", "HEAD")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "okrctl", "checkin", "--team", "discover", "--today", FRIDAY, "--amend", "-c", "7"]
    with Terminal(command, cwd=banco, env=env) as term:
        _enter_at_every_prompt(term)
    assert "nothing changed" in term.output, term.output
    assert (banco / DISCOVER).read_bytes() == written
    assert git(banco, "rev-parse", "HEAD") == head
