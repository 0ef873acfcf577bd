"""A file moved to a path another file takes, or whose old path another file takes (two names
swapped; a name reused), keeps its findings against a baseline and in ``okrctl diff``, as a file
moved to a new path does (docs/ci.md, "A file that moved keeps its findings"); so does a file
renamed with an edit in the same change that moves the OKR folder into a subfolder.

Every test builds a real repository of examples/banco whose ``discover.yaml`` holds one error at
the base (OKR203, an explicit alignment to an objective) and whose ``cards.yaml`` holds another
(OKR101, a target written as a word), moves files on a branch and runs the real commands.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, git
from tests.helpers_align import EXAMPLES, TODAY, align
from tests.helpers_git import hermetic_git

Q4 = "okrs/2026-Q4"
DISCOVER = f"{Q4}/discover.yaml"
RENAMED = f"{Q4}/discover-renamed.yaml"
SMALL_BUSINESS = f"{Q4}/small-business-app.yaml"
CARDS = f"{Q4}/cards.yaml"
CARDS_TEAM = f"{Q4}/cards-team.yaml"
FOLDERS = ("okrctl.yaml", "units", "strategy", "checkins", "retros", "okrs")
EXISTING = [("OKR101", CARDS, False), ("OKR203", RENAMED, False)]


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def _with_errors(root: Path) -> None:
    """The two base errors: Discover aligns explicitly to an objective, Cards' target is a word."""
    for rel, old, new in (
        (DISCOVER, "{to: digital-first-week, type: directional}", "{to: digital-first-week, type: explicit}"),
        (CARDS, "    target: 40\n", "    target: forty\n"),
    ):
        text = (root / rel).read_text(encoding="utf-8")
        assert text.count(old) == 1
        (root / rel).write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def base(tmp_path: Path, git_repo: Any) -> Path:
    """banco with both errors committed on ``main``, the branch ``pr`` checked out."""
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    _with_errors(root)
    git_repo(root)
    git(root, "checkout", "-q", "-b", "pr")
    return root


def _gate(root: Path) -> tuple[int, list[tuple[str, str, bool]]]:
    """``align --baseline main``: its exit code and every finding as (code, path, new)."""
    result = align(root, "--format", "json", "--baseline", "main", "--show-existing")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return result.exit_code, sorted((f["code"], f["path"], f["new"]) for f in report["findings"])


def _diff(cli: Cli, root: Path, *refs: str) -> dict[str, list[tuple[str, str]]]:
    """``okrctl diff``'s introduced and resolved findings as (code, path)."""
    result = cli("diff", *(refs or ("main",)), "--repo", str(root), "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    return {side: [(f["code"], f["path"]) for f in findings[side]] for side in ("introduced", "resolved")}


NOTHING = {"introduced": [], "resolved": []}


def _move(root: Path, how: str, old: str, new: str) -> None:
    """Move ``old`` to ``new``: with ``git mv`` (``how`` "committed" or "staged") or a plain rename
    git is told nothing of ("unstaged")."""
    if how == "unstaged":
        (root / old).rename(root / new)
    else:
        git(root, "mv", old, new)


def _done(root: Path, how: str) -> None:
    if how == "committed":
        git(root, "commit", "-q", "-am", "moved")


def _prepend(path: Path, line: str) -> None:
    path.write_bytes(line.encode() + b"\n" + path.read_bytes())


@pytest.mark.parametrize("how", ["committed", "staged", "unstaged"])
def test_a_file_moved_whole_whose_old_name_another_file_takes_keeps_its_findings(
    cli: Cli, base: Path, how: str
) -> None:
    _move(base, how, DISCOVER, RENAMED)
    _move(base, how, SMALL_BUSINESS, DISCOVER)
    _done(base, how)
    assert _gate(base) == (0, EXISTING)
    assert _diff(cli, base) == NOTHING


@pytest.mark.parametrize("how", ["committed", "unstaged"])
def test_two_files_whose_names_were_swapped_keep_their_findings(cli: Cli, base: Path, how: str) -> None:
    _move(base, how, DISCOVER, f"{Q4}/swap.yaml")
    _move(base, how, SMALL_BUSINESS, DISCOVER)
    _move(base, how, f"{Q4}/swap.yaml", SMALL_BUSINESS)
    _done(base, how)
    assert _gate(base) == (0, [("OKR101", CARDS, False), ("OKR203", SMALL_BUSINESS, False)])
    assert _diff(cli, base) == NOTHING


@pytest.mark.parametrize("how", ["committed", "staged"])
def test_a_file_renamed_with_an_edit_whose_old_name_another_file_takes_keeps_its_findings(
    cli: Cli, base: Path, how: str
) -> None:
    """Git's rename detection pairs the two paths although the old one still exists (it holds
    another file): committed, or staged with ``git mv`` and edited since."""
    _move(base, how, DISCOVER, RENAMED)
    _move(base, how, SMALL_BUSINESS, DISCOVER)
    _prepend(base / RENAMED, "# Discover, renamed")
    _done(base, how)
    assert _gate(base) == (0, EXISTING)
    assert _diff(cli, base) == NOTHING


def _unknown_field(path: Path) -> None:
    """An unknown field in the file's objective (OKR101): the file is no longer read, so its
    other findings are gone."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nkey_results:\n", "\ncolour: blue\nkey_results:\n", 1), encoding="utf-8")


def test_a_new_finding_in_a_file_moved_to_or_from_a_reused_name_is_still_new(cli: Cli, base: Path) -> None:
    _move(base, "committed", DISCOVER, RENAMED)
    _move(base, "committed", SMALL_BUSINESS, DISCOVER)
    _unknown_field(base / DISCOVER)  # the file that took Discover's old name
    git(base, "commit", "-q", "-am", "moved, a field added to the Small Business file")
    assert _gate(base) == (1, sorted([*EXISTING, ("OKR101", DISCOVER, True)]))
    assert _diff(cli, base) == {"introduced": [("OKR101", DISCOVER)], "resolved": []}
    _unknown_field(base / RENAMED)  # the file that moved from the reused name
    code, findings = _gate(base)
    assert code == 1
    assert findings == sorted([("OKR101", CARDS, False), ("OKR101", DISCOVER, True), ("OKR101", RENAMED, True)])
    assert sorted(_diff(cli, base)["introduced"]) == sorted([("OKR101", DISCOVER), ("OKR101", RENAMED)])


def test_a_file_moved_whole_to_a_reused_name_in_a_crlf_checkout_keeps_its_findings(
    cli: Cli, base: Path, tmp_path: Path
) -> None:
    """A plain rename (nothing staged) in a checkout git writes with CRLF line endings: the bytes
    git would store of the file at its new path are the base's blob."""
    clone = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", "-c", "core.autocrlf=true", "-b", "main", str(base), str(clone))
    assert b"\r\n" in (clone / DISCOVER).read_bytes()  # the case this test is about
    _move(clone, "unstaged", DISCOVER, RENAMED)
    _move(clone, "unstaged", SMALL_BUSINESS, DISCOVER)
    assert _gate(clone) == (0, EXISTING)
    assert _diff(cli, clone) == NOTHING


def _into_subfolder(root: Path) -> Path:
    """The OKR folder moved into ``org/okr`` with ``git mv``; the folder it is now."""
    (root / "org" / "okr").mkdir(parents=True)
    git(root, "mv", *FOLDERS, "org/okr/")
    return root / "org" / "okr"


def test_a_file_renamed_with_an_edit_as_the_okr_folder_moves_into_a_subfolder_keeps_its_findings(
    cli: Cli, base: Path
) -> None:
    folder = _into_subfolder(base)
    git(folder, "mv", CARDS, CARDS_TEAM)
    _prepend(folder / CARDS_TEAM, "# Cards team")
    git(base, "commit", "-q", "-am", "into org/okr, cards renamed")
    assert _gate(folder) == (0, [("OKR101", CARDS_TEAM, False), ("OKR203", DISCOVER, False)])
    assert _diff(cli, folder) == NOTHING
    assert _diff(cli, folder, "main", "pr") == NOTHING  # between two refs across the move
    _unknown_field(folder / DISCOVER)  # a real new finding in a file of the moved folder is still new
    assert _gate(folder) == (1, [("OKR101", CARDS_TEAM, False), ("OKR101", DISCOVER, True)])


def test_a_rename_with_an_edit_not_yet_committed_after_the_folder_moved_keeps_its_findings(
    cli: Cli, base: Path
) -> None:
    """The folder's move committed, the rename staged and edited in the working tree."""
    folder = _into_subfolder(base)
    git(base, "commit", "-q", "-m", "into org/okr")
    git(folder, "mv", CARDS, CARDS_TEAM)
    _prepend(folder / CARDS_TEAM, "# Cards team")
    assert _gate(folder) == (0, [("OKR101", CARDS_TEAM, False), ("OKR203", DISCOVER, False)])
    assert _diff(cli, folder) == NOTHING
