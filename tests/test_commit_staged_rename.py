"""A staged deletion of another check-in or reading stays staged when ``checkin`` or ``measure``
commits its file: only a staged ``git mv`` of that very file goes into the commit with it.

git pairs a deletion and an addition as a rename when the files are alike, and two files okrctl
wrote are (another team's check-in, another date's reading): the deletion was committed under the
check-in's message, as ``checkins/{cards => discover}/2026-11-27.yaml``, and left the user's index.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import committed_by_a_member

FRIDAY = "2026-11-27"
MINE = f"checkins/discover/{FRIDAY}.yaml"
THEIRS = f"checkins/cards/{FRIDAY}.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    """A git repository holding the banco example; git user.email is a Discover member."""
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def checkin(cli, root: Path, team: str, *args: str):
    return cli("checkin", "--repo", str(root), "--today", FRIDAY, "--team", team, *args)


def committed_paths(root: Path) -> list[str]:
    return git(root, "show", "--name-only", "--format=", "HEAD").split()


@pytest.mark.parametrize("change", [("-c", "6"), ()], ids=["amended", "unchanged-but-uncommitted"])
def test_another_teams_staged_deletion_stays_staged_when_a_check_in_is_committed(
    cli, banco: Path, change: tuple[str, ...]
) -> None:
    """Two check-ins alike but for their team, one staged as new, the other's deletion staged:
    ``checkin --amend`` (with a change, or with none to commit what was left uncommitted) commits
    its own file alone."""
    same = ("-c", "7", "-i", "KYC slow", "-p", "Spanish tutorial")
    assert checkin(cli, banco, "cards", *same).exit_code == 0
    assert checkin(cli, banco, "discover", *same, "--no-commit").exit_code == 0
    git(banco, "add", MINE)
    git(banco, "rm", "-q", THEIRS)
    before = git(banco, "rev-parse", "HEAD").strip()

    result = checkin(cli, banco, "discover", "--amend", *change)

    assert result.exit_code == 0, result.stderr
    assert git(banco, "rev-parse", "HEAD^").strip() == before  # one commit
    assert git(banco, "log", "-1", "--format=%s").startswith(f"checkin(discover): {FRIDAY} confidence ")
    assert committed_paths(banco) == [MINE]
    assert git(banco, "cat-file", "-t", f"HEAD:{THEIRS}").strip() == "blob"  # cards' check-in is still in HEAD
    assert git(banco, "status", "--porcelain") == f"D  {THEIRS}\n"  # and its deletion still staged


def test_another_dates_staged_deletion_stays_staged_when_measure_commits(cli, banco: Path, tmp_path: Path) -> None:
    """A reading written without --commit and staged, the day before's reading's deletion staged:
    ``measure --commit`` commits the day's reading alone."""
    values = tmp_path / "kpis.csv"
    values.write_text("kr,value\nonboarding-completion,81\n", encoding="utf-8")
    more = tmp_path / "more.csv"
    more.write_text("kr,value\nsetup-tickets,300\n", encoding="utf-8")

    def measure(day: str, source: Path, *args: str):
        return cli(
            "measure", "--repo", str(banco), "--today", day, "--team", "discover", "--values-from", str(source), *args
        )

    assert measure("2026-11-25", values, "--commit").exit_code == 0
    assert measure("2026-11-26", values).exit_code == 0
    git(banco, "add", "readings/discover/2026-11-26.yaml")
    git(banco, "rm", "-q", "readings/discover/2026-11-25.yaml")

    result = measure("2026-11-26", more, "--commit")

    assert result.exit_code == 0, result.output
    assert committed_paths(banco) == ["readings/discover/2026-11-26.yaml"]
    assert git(banco, "status", "--porcelain") == "D  readings/discover/2026-11-25.yaml\n"


def test_a_moved_check_in_whose_changes_were_staged_too_is_committed_under_its_new_name_alone(cli, banco: Path) -> None:
    """``git mv`` and then ``git add`` of an edit: the index no longer shows a move (git cannot tell
    it from another file's deletion), so the old name's deletion stays staged, as docs/checkin.md
    says. (A ``git mv`` alone is committed whole: test_checkin.py.)"""
    old, new = "checkins/discover/2026-11-20.yaml", "checkins/discover/final-1120.yaml"
    git(banco, "mv", old, new)
    moved = banco / new
    moved.write_text(moved.read_text(encoding="utf-8") + "# moved\n", encoding="utf-8")
    git(banco, "add", new)

    result = checkin(cli, banco, "discover", "--amend", "--date", "2026-11-20", "-c", "6")

    assert result.exit_code == 0, result.stderr
    assert committed_paths(banco) == [new]
    assert git(banco, "status", "--porcelain") == f"D  {old}\n"
