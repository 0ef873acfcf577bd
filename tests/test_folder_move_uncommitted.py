"""A change that moves the whole OKR folder (into a subfolder, or up to git's top) is judged against
the base's files where the base had them before the move is committed too (docs/ci.md, "the move
alone makes no finding new"): staged with ``git mv``, or the folder moved with a plain ``mv``. The
gate keeps the base's findings as existing and ``okrctl diff`` compares instead of refusing.

Every test builds a real repository of examples/banco whose ``cards.yaml`` holds one error at the
base (OKR101, a target written as a word), moves the folder on a branch and runs the real commands.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, git
from tests.helpers_align import EXAMPLES, GOOD_ORG, TODAY, align
from tests.helpers_git import hermetic_git

CARDS = "okrs/2026-Q4/cards.yaml"
DISCOVER = "okrs/2026-Q4/discover.yaml"
FOLDERS = ("okrctl.yaml", "units", "strategy", "checkins", "retros", "okrs")
EXISTING = [("OKR101", CARDS, False)]
NOTHING = {"introduced": [], "resolved": []}


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def _banco(target: Path) -> None:
    """examples/banco copied to ``target``, Cards' target written as a word (OKR101)."""
    shutil.copytree(EXAMPLES / "banco", target, ignore=shutil.ignore_patterns(".okrctl-cache"))
    cards = target / CARDS
    text = cards.read_text(encoding="utf-8")
    assert text.count("    target: 40\n") == 1
    cards.write_text(text.replace("    target: 40\n", "    target: forty\n"), encoding="utf-8")


def _repository(top: Path, git_repo: Any, folder: str = "") -> Path:
    """A repository at ``top`` holding banco in ``folder`` (the top itself when empty), committed on
    ``main``, the branch ``pr`` checked out."""
    _banco(top / folder if folder else top)
    git_repo(top)
    git(top, "checkout", "-q", "-b", "pr")
    return top


def _gate(root: Path) -> tuple[int, list[tuple[str, str, bool]]]:
    """``align --baseline main``: its exit code and every finding as (code, path, new)."""
    result = align(root, "--format", "json", "--baseline", "main", "--show-existing")
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    return result.exit_code, sorted((f["code"], f["path"], f["new"]) for f in report["findings"])


def _diff(cli: Cli, root: Path) -> dict[str, list[tuple[str, str]]]:
    """``okrctl diff main``'s introduced and resolved findings as (code, path)."""
    result = cli("diff", "main", "--repo", str(root), "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)["findings"]
    return {side: [(f["code"], f["path"]) for f in findings[side]] for side in ("introduced", "resolved")}


def _into(top: Path, folder: str, *, staged: bool = True) -> Path:
    """The OKR folder at ``top`` moved into ``folder`` (``git mv``, or a plain ``mv`` git is told
    nothing of); the folder it is now."""
    (top / folder).mkdir(parents=True)
    if staged:
        git(top, "mv", *FOLDERS, f"{folder}/")
    else:
        for name in FOLDERS:
            (top / name).rename(top / folder / name)
    return top / folder


def test_a_folder_moved_into_a_subfolder_with_git_mv_keeps_its_findings(
    cli: Cli, tmp_path: Path, git_repo: Any
) -> None:
    top = _repository(tmp_path / "repo", git_repo)
    folder = _into(top, "org/okr")
    assert _gate(folder) == (0, EXISTING)
    assert _diff(cli, folder) == NOTHING
    git(top, "commit", "-q", "-m", "into org/okr")  # the same once committed, as before
    assert _gate(folder) == (0, EXISTING)
    assert _diff(cli, folder) == NOTHING


def test_a_folder_moved_up_to_the_top_with_git_mv_keeps_its_findings(cli: Cli, tmp_path: Path, git_repo: Any) -> None:
    top = _repository(tmp_path / "repo", git_repo, "org/okr")
    for name in FOLDERS:
        git(top, "mv", f"org/okr/{name}", name)
    assert _gate(top) == (0, EXISTING)
    assert _diff(cli, top) == NOTHING


def test_a_real_new_finding_in_a_folder_moved_with_git_mv_is_still_new(cli: Cli, tmp_path: Path, git_repo: Any) -> None:
    top = _repository(tmp_path / "repo", git_repo)
    folder = _into(top, "org/okr")
    discover = folder / DISCOVER
    text = discover.read_text(encoding="utf-8")
    discover.write_text(text.replace("\nkey_results:\n", "\ncolour: blue\nkey_results:\n", 1), encoding="utf-8")
    assert _gate(folder) == (1, [("OKR101", CARDS, False), ("OKR101", DISCOVER, True)])
    assert _diff(cli, folder)["introduced"] == [("OKR101", DISCOVER)]


def test_a_folder_moved_with_its_config_rewritten_keeps_its_findings(cli: Cli, tmp_path: Path, git_repo: Any) -> None:
    """The config's comments dropped as it moves: below git's 50 % similarity, no rename; the one
    config gone since the base is its former place, as for a commit that does the same."""
    top = _repository(tmp_path / "repo", git_repo)
    folder = _into(top, "org/okr")
    (folder / "okrctl.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Config\norganization: Banco Exemplo\n", encoding="utf-8"
    )
    git(folder, "add", "okrctl.yaml")
    assert _gate(folder) == (0, EXISTING)


def test_a_folder_moved_without_git_keeps_its_findings(cli: Cli, tmp_path: Path, git_repo: Any) -> None:
    """A plain ``mv`` of the whole folder, not staged: the config's bytes are the base's."""
    top = _repository(tmp_path / "repo", git_repo)
    folder = _into(top, "org/okr", staged=False)
    assert _gate(folder) == (0, EXISTING)
    assert _diff(cli, folder) == NOTHING


def test_a_folder_moved_without_git_and_its_config_edited_is_judged_as_new(tmp_path: Path, git_repo: Any) -> None:
    """Nothing tells such a folder from a new one (git knows neither its config nor its files)."""
    top = _repository(tmp_path / "repo", git_repo)
    folder = _into(top, "org/okr", staged=False)
    config = folder / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "# moved\n", encoding="utf-8")
    assert _gate(folder) == (1, [("OKR101", CARDS, True)])


def test_a_new_okr_folder_beside_the_old_one_is_still_new(tmp_path: Path, git_repo: Any) -> None:
    """A second OKR folder added (a copy, the first kept): nothing moved, every finding of it new."""
    top = _repository(tmp_path / "repo", git_repo)
    _banco(top / "org" / "okr")
    git(top, "add", "org")
    assert _gate(top / "org" / "okr") == (1, [("OKR101", CARDS, True)])


def test_of_two_okr_folders_with_the_same_config_the_one_whose_files_moved_is_the_base(
    tmp_path: Path, git_repo: Any
) -> None:
    """Two OKR folders whose configs are the same bytes; the change retires one and moves the
    other: its base is the folder its files came from, whichever config git pairs with its own."""
    top = tmp_path / "repo"
    _banco(top / "b")
    shutil.copytree(GOOD_ORG, top / "a")
    shutil.copy(top / "b" / "okrctl.yaml", top / "a" / "okrctl.yaml")
    git_repo(top)
    git(top, "checkout", "-q", "-b", "pr")
    git(top, "rm", "-q", "-r", "a")
    git(top, "mv", "b", "c")
    assert _gate(top / "c") == (0, EXISTING)
