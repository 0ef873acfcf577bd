"""An objective file moved between folders outside ``okrs/`` keeps its history: the paths it was
renamed from, wherever they lay, are followed too (``analysis.history.renamed_from``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, git
from tests.helpers_git import commit_at, edit, hermetic_git

DISCOVER = "okrs/2026-Q4/discover.yaml"
LOWERED = ("2026-11-03", "onboarding-completion", "target", 90, 85)


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def in_teams(copy_example, git_repo) -> Path:
    """The banco example with Discover's objective in ``teams/discover.yaml``, committed before
    2026-Q4, its onboarding target lowered there on 2026-11-03 (after the cycle started)."""
    folder = git_repo(copy_example("banco"), commit=False)
    (folder / "teams").mkdir()
    (folder / DISCOVER).rename(folder / "teams" / "discover.yaml")
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    edit(folder / "teams" / "discover.yaml", r"^    target: 90$", "    target: 85")
    commit_at(folder, "2026-11-03", "lower the onboarding target", name="Rui Almeida", email="rui@example.com")
    return folder


def move(folder: Path, day: str, old: str, new: str) -> None:
    (folder / new).parent.mkdir(parents=True, exist_ok=True)
    git(folder, "mv", old, new)
    commit_at(folder, day, f"move {old} to {new}")


def moves(cli, folder: Path) -> list[tuple]:
    result = cli("history", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [(c["date"], c["key_result"], c["field"], c["old"], c["new"]) for c in json.loads(result.stdout)["changes"]]


def findings_601(cli, folder: Path) -> list[str]:
    result = cli(
        "align", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json", "--select", "OKR601", "--no-cache"
    )
    assert result.exit_code in (0, 1), result.stderr
    return [f["path"] for f in json.loads(result.stdout)["findings"]]


def reported(cli, folder: Path) -> list[tuple]:
    result = cli("report", "--repo", str(folder), "--today", DEMO_DAY, "--month", "2026-11", "--format", "json")
    assert result.exit_code == 0, result.stderr
    view = json.loads(result.stdout)
    assert view["moved_targets_read"] is True
    return [(c["date"], c["key_result"], c["field"], c["old"], c["new"]) for c in view["moved_targets"]]


def test_a_file_moved_into_okrs_from_another_folder_keeps_its_moved_target(cli, in_teams: Path) -> None:
    """``git mv teams/discover.yaml okrs/2026-Q4/discover.yaml``: history said "No change of a
    target", align found no OKR601 and the report no moved target, though the move lost nothing."""
    assert moves(cli, in_teams) == [LOWERED]
    move(in_teams, "2026-11-05", "teams/discover.yaml", DISCOVER)
    assert moves(cli, in_teams) == [LOWERED]
    assert findings_601(cli, in_teams) == [DISCOVER]
    assert reported(cli, in_teams) == [LOWERED]


def test_a_file_moved_between_two_folders_outside_okrs_keeps_its_moved_target(cli, in_teams: Path) -> None:
    """``teams/`` to ``squads/``: neither path is under okrs/, and only the new one was followed."""
    move(in_teams, "2026-11-05", "teams/discover.yaml", "squads/discover.yaml")
    assert moves(cli, in_teams) == [LOWERED]
    assert findings_601(cli, in_teams) == ["squads/discover.yaml"]
    assert reported(cli, in_teams) == [LOWERED]


def test_a_file_moved_twice_keeps_the_target_moved_where_it_first_lay(cli, in_teams: Path) -> None:
    """``teams/`` to ``squads/`` to ``okrs/``: each former path leads to the one before it."""
    move(in_teams, "2026-11-05", "teams/discover.yaml", "squads/discover.yaml")
    move(in_teams, "2026-11-06", "squads/discover.yaml", DISCOVER)
    assert moves(cli, in_teams) == [LOWERED]
    assert findings_601(cli, in_teams) == [DISCOVER]


def test_a_target_lowered_in_the_commit_that_moves_the_file_is_a_move(cli, copy_example, git_repo) -> None:
    """The commit that renames ``teams/discover.yaml`` into okrs/ and lowers the target in it
    compares the file's two paths as one: before, it only added a file, which moves nothing."""
    folder = git_repo(copy_example("banco"), commit=False)
    (folder / "teams").mkdir()
    (folder / DISCOVER).rename(folder / "teams" / "discover.yaml")
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    git(folder, "mv", "teams/discover.yaml", DISCOVER)
    edit(folder / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(folder, "2026-11-03", "move Discover's file under okrs/ and lower its target")
    assert moves(cli, folder) == [LOWERED]
    assert findings_601(cli, folder) == [DISCOVER]
