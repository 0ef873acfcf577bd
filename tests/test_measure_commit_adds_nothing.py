"""``measure --commit`` whose commit adds no value to the reading as HEAD holds it: its message says
so (docs/friday.md). It fell back to this run's values ("2 values from v.csv") for a commit that
was a pure ``git mv`` of the reading, or a comment added by hand, naming values HEAD held already."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import banco_by_the_kpi_bot

DAY = "2026-11-26"
OLD = f"readings/discover/{DAY}.yaml"
NEW = "readings/discover/moved.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_by_the_kpi_bot(copy_example, git_repo)


@pytest.fixture
def values(tmp_path) -> Path:
    path = tmp_path / "v.csv"
    path.write_text("kr,value\nonboarding-completion,81\nsetup-tickets,320\n", encoding="utf-8")
    return path


def measure(cli, root: Path, values: Path, *args: str):
    return cli(
        "measure", "--repo", str(root), "--today", DAY, "--team", "discover", "--values-from", str(values), *args
    )


def last_message(root: Path) -> str:
    return git(root, "log", "-1", "--format=%s").strip()


def test_the_same_values_committed_after_a_git_mv_make_a_commit_named_as_the_move(cli, banco, values) -> None:
    assert measure(cli, banco, values, "--commit").exit_code == 0
    assert last_message(banco) == f"measure(discover): {DAY} 2 values from v.csv"
    git(banco, "mv", OLD, NEW)
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 0, result.output
    message = f"measure(discover): {DAY} moved to {NEW}"
    assert result.stdout.splitlines()[-2:] == [
        f"nothing changed: {NEW} already holds these values, but it was not committed",
        f"committed {git(banco, 'rev-parse', '--short=7', 'HEAD').strip()} {message}",
    ]
    assert last_message(banco) == message
    # The commit is the move, and only it.
    assert git(banco, "show", "--format=", "--name-status", "-M100%", "HEAD").split() == ["R100", OLD, NEW]
    assert git(banco, "status", "--porcelain").strip() == ""


def test_a_reading_edited_by_hand_and_committed_as_it_is_adds_no_value(cli, banco, values) -> None:
    assert measure(cli, banco, values, "--commit").exit_code == 0
    reading = banco / OLD
    reading.write_text(reading.read_text(encoding="utf-8") + "# checked with Ana\n", encoding="utf-8")
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 0, result.output
    assert f"nothing changed: {OLD} already holds these values, but it was not committed" in result.stdout
    assert last_message(banco) == f"measure(discover): {DAY} no new value"
    assert git(banco, "status", "--porcelain").strip() == ""


def test_a_reading_head_never_held_still_counts_every_value_it_holds(cli, banco, values) -> None:
    """A hook refused the first commit: HEAD holds no such reading, so the commit adds all of it."""
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nexit 1\n")
    hook.chmod(0o755)
    assert measure(cli, banco, values, "--commit").exit_code == 1
    hook.unlink()
    result = measure(cli, banco, values, "--commit")
    assert result.exit_code == 0, result.output
    assert f"nothing changed: {OLD} already holds these values, but it was not committed" in result.stdout
    assert last_message(banco) == f"measure(discover): {DAY} 2 values from v.csv"
