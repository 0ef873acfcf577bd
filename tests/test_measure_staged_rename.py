"""``measure --commit`` on a reading the user moved with ``git mv`` (staged, not committed): the
commit takes the move with it, and its message counts and names only what it adds to the reading
as HEAD holds it, under its old name (docs/friday.md). It compared with no file at all, so the
values HEAD held already were counted and named again ("3 values from a.csv, b.csv")."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import banco_by_the_kpi_bot

DAY = "2026-11-26"
OLD = f"readings/discover/{DAY}.yaml"
NEW = "readings/discover/thursday.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_by_the_kpi_bot(copy_example, git_repo)


def measure(cli, root: Path, values: Path, *args: str):
    return cli(
        "measure", "--repo", str(root), "--today", DAY, "--team", "discover", "--values-from", str(values), *args
    )


def last_message(root: Path) -> str:
    return git(root, "log", "-1", "--format=%s").strip()


@pytest.fixture
def moved(cli, banco, tmp_path) -> Path:
    """The day's reading committed with a.csv's value, then moved with ``git mv`` (staged only)."""
    first = tmp_path / "a.csv"
    first.write_text("onboarding-completion,81\n", encoding="utf-8")
    result = measure(cli, banco, first, "--commit")
    assert result.exit_code == 0, result.output
    assert last_message(banco) == f"measure(discover): {DAY} 1 value from a.csv"
    git(banco, "mv", OLD, NEW)
    return banco


def test_the_commit_after_a_staged_move_counts_only_the_values_it_adds(cli, moved, tmp_path) -> None:
    second = tmp_path / "b.csv"
    second.write_text("setup-tickets,320\ntutorial-engagement,37\n", encoding="utf-8")
    result = measure(cli, moved, second, "--commit")
    assert result.exit_code == 0, result.output
    message = f"measure(discover): {DAY} 2 values from b.csv"
    assert f"updated {NEW}" in result.stdout and message in result.stdout, result.stdout
    assert last_message(moved) == message
    # The move went into that commit: HEAD holds the reading under its new name alone.
    assert git(moved, "ls-tree", "--name-only", "HEAD", "readings/discover/").split() == [NEW]
    assert git(moved, "status", "--porcelain").strip() == ""


def test_values_left_uncommitted_after_the_move_count_and_those_head_held_do_not(cli, moved, tmp_path) -> None:
    """A run without --commit after the move, then one with it: the commit adds both runs' values,
    and names both files; a.csv's value, which HEAD held under the old name, is not counted."""
    second, third = tmp_path / "b.csv", tmp_path / "c.csv"
    second.write_text("setup-tickets,320\n", encoding="utf-8")
    third.write_text("tutorial-engagement,37\n", encoding="utf-8")
    assert measure(cli, moved, second).exit_code == 0
    result = measure(cli, moved, third, "--commit")
    assert result.exit_code == 0, result.output
    assert last_message(moved) == f"measure(discover): {DAY} 2 values from b.csv, c.csv"
    assert git(moved, "status", "--porcelain").strip() == ""
