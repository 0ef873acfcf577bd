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


SIDE = ("2026-11-04", "tutorial-engagement", "target", 50, 45)


def branch_lowers_tutorial(folder: Path, path: str) -> None:
    """A branch ``side``, from HEAD, that lowers the tutorial target in ``path`` on 2026-11-04;
    main is checked out again after it."""
    git(folder, "checkout", "-q", "-b", "side")
    edit(folder / path, r"^    target: 50$", "    target: 45")
    commit_at(folder, "2026-11-04", "lower the tutorial target")
    git(folder, "checkout", "-q", "main")


def merge_at(folder: Path, day: str, branch: str, *extra: str) -> None:
    stamp = f"{day}T12:00:00+00:00"
    env = {"GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    git(folder, "merge", "-q", "--no-ff", "-m", f"merge {branch}", *extra, branch, env=env)


@pytest.mark.parametrize(
    ("before", "after"),
    [("teams/discover.yaml", DISCOVER), (DISCOVER, "okrs/discover/discover.yaml")],
    ids=["into-okrs", "inside-okrs"],
)
def test_a_change_merged_across_a_move_is_listed_once(cli, copy_example, git_repo, before: str, after: str) -> None:
    """Main moves the file, a branch lowers a target at its former path, the merge carries the
    edit to the new path: history listed the change at the branch's commit and again at the
    merge, OKR601 fired twice and the report listed it twice. The merge took the value from the
    side, whose version lay at the former path: the side's change alone."""
    folder = git_repo(copy_example("banco"), commit=False)
    if before != DISCOVER:
        (folder / before).parent.mkdir()
        (folder / DISCOVER).rename(folder / before)
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    branch_lowers_tutorial(folder, before)
    move(folder, "2026-11-05", before, after)
    merge_at(folder, "2026-11-06", "side")
    assert moves(cli, folder) == [SIDE]
    assert findings_601(cli, folder) == [after]
    assert reported(cli, folder) == [SIDE]


def test_a_file_moved_in_a_merge_commit_keeps_its_moved_target(cli, in_teams: Path) -> None:
    """``git merge --no-commit side``, ``git mv teams/discover.yaml okrs/…``, commit: the move is
    the merge's own, which the search for renames never looked at (git shows no file of a merge
    unless asked)."""
    git(in_teams, "checkout", "-q", "-b", "side")
    (in_teams / "notes.yaml").write_text("note: merged\n", encoding="utf-8")
    commit_at(in_teams, "2026-11-04", "a note")
    git(in_teams, "checkout", "-q", "main")
    merge_at(in_teams, "2026-11-05", "side", "--no-commit")
    git(in_teams, "mv", "teams/discover.yaml", DISCOVER)
    commit_at(in_teams, "2026-11-05", "merge side, move Discover's file under okrs/")
    assert moves(cli, in_teams) == [LOWERED]
    assert findings_601(cli, in_teams) == [DISCOVER]


def test_a_file_moved_into_okrs_then_with_the_whole_folder_into_a_subfolder_keeps_its_moved_target(
    cli, in_teams: Path
) -> None:
    """``teams/`` to ``okrs/`` at git's top, then every entry into ``okr/`` (a monorepo): each
    step alone was followed, not both, and history said "No change" from ``okr/``."""
    move(in_teams, "2026-11-05", "teams/discover.yaml", DISCOVER)
    (in_teams / "okr").mkdir()
    for entry in sorted({line.split("/")[0] for line in git(in_teams, "ls-files").splitlines()}):
        git(in_teams, "mv", entry, "okr/")
    commit_at(in_teams, "2026-11-06", "the OKRs into okr/")
    assert moves(cli, in_teams / "okr") == [LOWERED]
    assert findings_601(cli, in_teams / "okr") == [DISCOVER]


def test_a_file_removed_outside_okrs_and_put_back_under_okrs_later_keeps_its_moved_targets(cli, in_teams: Path) -> None:
    """``teams/discover.yaml`` removed in one commit, its objective put back in
    ``okrs/2026-Q4/discover.yaml`` with a lower target in the next: git pairs no rename, and the
    former file, outside okrs/, was never read. History said "No change", align found no OKR601 and
    the report no moved target, though ``diff`` of the two ends showed 85 → 80."""
    text = (in_teams / "teams" / "discover.yaml").read_text(encoding="utf-8")
    git(in_teams, "rm", "-q", "teams/discover.yaml")
    commit_at(in_teams, "2026-11-05", "drop Discover's OKRs")
    (in_teams / DISCOVER).write_text(text.replace("    target: 85\n", "    target: 80\n", 1), encoding="utf-8")
    commit_at(in_teams, "2026-11-06", "Discover's OKRs back, under okrs/")
    lowered_again = ("2026-11-06", "onboarding-completion", "target", 85, 80)
    assert moves(cli, in_teams) == [LOWERED, lowered_again]
    assert findings_601(cli, in_teams) == [DISCOVER, DISCOVER]
    assert reported(cli, in_teams) == [LOWERED, lowered_again]


def test_a_file_rewritten_as_it_moves_into_okrs_keeps_its_moved_target(cli, copy_example, git_repo) -> None:
    """``teams/discover.yaml`` written anew as ``okrs/2026-Q4/discover.yaml`` (in flow style, its
    comments gone) with a lower target in one commit: below git's similarity the commit removes one
    file and adds another, and the removed one, outside okrs/, was not read: no move listed."""
    import io

    from ruamel.yaml import YAML

    folder = git_repo(copy_example("banco"), commit=False)
    (folder / "teams").mkdir()
    (folder / DISCOVER).rename(folder / "teams" / "discover.yaml")
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    data = YAML(typ="safe").load((folder / "teams" / "discover.yaml").read_text(encoding="utf-8"))
    data["key_results"][0]["target"] = 85
    git(folder, "rm", "-q", "teams/discover.yaml")
    flow = YAML(typ="safe")
    flow.default_flow_style = True
    written = io.StringIO()
    flow.dump(data, written)
    (folder / DISCOVER).write_text(written.getvalue(), encoding="utf-8")
    commit_at(folder, "2026-11-03", "Discover's OKRs under okrs/, rewritten, target lowered")
    assert "R" not in git(folder, "show", "-M", "--name-status", "--format=", "HEAD").split()  # no rename paired
    assert moves(cli, folder) == [LOWERED]
    assert findings_601(cli, folder) == [DISCOVER]
    assert reported(cli, folder) == [LOWERED]
