"""A base whose tree objects are missing from a full clone (a damaged repository, a ``clone --shared``
or ``--reference`` whose source pruned them) is a base okrctl cannot read: ``align --baseline`` and
``diff`` stop with exit 2, naming the ref and the missing tree, with the fix. Before, git's failure
to list the tree was taken for "no such folder": the gate said the base "has no okrctl.yaml yet:
every finding is new" and failed the change on findings it did not make, and ``diff`` said the base
had no okrctl.yaml.

Each test builds a real repository from examples/banco (an existing error at the base, a change
that adds none) and deletes loose tree objects of the base commit, as a damaged store lacks them.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git
from tests.helpers_align import EXAMPLES, TODAY, align

FIX_WORDS = ("git fetch --refetch origin", "git fsck")


def _banco(folder: Path) -> Path:
    """examples/banco in ``folder`` (made if needed) with an existing OKR101 error committed as the
    base (``HEAD~1``), and a change that adds only a comment (``HEAD``)."""
    shutil.copytree(EXAMPLES / "banco", folder)
    cards = folder / "okrs" / "2026-Q4" / "cards.yaml"
    text = cards.read_text(encoding="utf-8")
    assert "\nowner: cards\n" in text
    cards.write_text(text.replace("\nowner: cards\n", "\nowner: cards\ncolour: red\n", 1), encoding="utf-8")
    return folder


def _commit_base_and_change(top: Path, okr_folder: Path) -> None:
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "base")
    discover = okr_folder / "okrs" / "2026-Q4" / "discover.yaml"
    discover.write_text(discover.read_text(encoding="utf-8") + "# y\n", encoding="utf-8")
    git(top, "commit", "-q", "-am", "change")


def _lose(top: Path, tree_ish: str) -> str:
    """Delete the loose object ``tree_ish`` names (a tree) from the store; its id."""
    oid = git(top, "rev-parse", tree_ish).strip()
    assert git(top, "cat-file", "-t", oid).strip() == "tree"
    (top / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    return oid


def _says_missing(stderr: str, ref: str, oid: str, folder: str) -> None:
    """One line naming the ref, the folder, the tree's id and the fix; never "no okrctl.yaml"."""
    assert stderr.count("\n") == 1 and stderr.startswith("okrctl: "), stderr
    assert ref in stderr and folder in stderr, stderr
    assert f"git object {oid[:12]}, is missing" in stderr, stderr
    assert all(words in stderr for words in FIX_WORDS), stderr
    assert "no okrctl.yaml" not in stderr and "every finding is new" not in stderr, stderr


@pytest.fixture
def banco(tmp_path: Path, git_repo: Any) -> Path:
    root = _banco(tmp_path / "banco")
    git_repo(root, commit=False)
    _commit_base_and_change(root, root)
    return root


def test_the_intact_base_lets_the_change_pass(banco: Path, cli: Any) -> None:
    """The control: with every object there, the base's error is existing and the change passes."""
    gate = align(banco, "--baseline", "HEAD~1", "--format", "concise")
    assert gate.exit_code == 0, gate.output
    assert "only findings new since then block" in gate.stderr
    diff = cli("diff", "HEAD~1", "HEAD", "--repo", str(banco), "--today", TODAY)
    assert diff.exit_code in (0, 1) and "no okrctl.yaml" not in diff.stderr, diff.output


def test_a_base_without_its_top_tree_is_exit_2_naming_the_tree(banco: Path, cli: Any) -> None:
    oid = _lose(banco, "HEAD~1^{tree}")
    gate = align(banco, "--baseline", "HEAD~1", "--format", "concise")
    assert gate.exit_code == 2 and gate.stdout == "", gate.output
    _says_missing(gate.stderr, "--baseline", oid, "the top folder")
    diff = cli("diff", "HEAD~1", "HEAD", "--repo", str(banco), "--today", TODAY)
    assert diff.exit_code == 2 and diff.stdout == "", diff.output
    _says_missing(diff.stderr, "'HEAD~1'", oid, "the top folder")


@pytest.mark.parametrize("folder", ["okrs/2026-Q4", "units"])
def test_a_base_without_a_subtree_is_exit_2_naming_it(banco: Path, cli: Any, folder: str) -> None:
    """okrctl.yaml is in the intact top tree: the gate read further and took the unreadable
    listing for a base without okrctl.yaml."""
    oid = _lose(banco, f"HEAD~1:{folder}")
    gate = align(banco, "--baseline", "HEAD~1", "--format", "concise")
    assert gate.exit_code == 2 and gate.stdout == "", gate.output
    _says_missing(gate.stderr, "'HEAD~1'", oid, f"the folder {folder}")
    diff = cli("diff", "HEAD~1", "HEAD", "--repo", str(banco), "--today", TODAY)
    assert diff.exit_code == 2 and diff.stdout == "", diff.output
    # units is the same tree in both commits: the head, read first, is the one that says so.
    _says_missing(diff.stderr, "'HEAD'" if folder == "units" else "'HEAD~1'", oid, f"the folder {folder}")


def test_a_monorepo_base_missing_a_tree_above_the_okr_folder_is_exit_2(tmp_path: Path, git_repo: Any, cli: Any) -> None:
    """The OKR folder is org/okr: a tree on the way to it (org) is missing, which git reports as
    it reports a folder the commit does not hold."""
    top = tmp_path / "mono"
    okr = _banco(top / "org" / "okr")
    (top / "README.md").write_text("a monorepo\n", encoding="utf-8")
    git_repo(top, commit=False)
    _commit_base_and_change(top, okr)
    oid = _lose(top, "HEAD~1:org")
    gate = align(okr, "--baseline", "HEAD~1", "--format", "concise")
    assert gate.exit_code == 2 and gate.stdout == "", gate.output
    _says_missing(gate.stderr, "--baseline", oid, "the folder org")
    diff = cli("diff", "HEAD~1", "HEAD", "--repo", str(okr), "--today", TODAY)
    assert diff.exit_code == 2 and diff.stdout == "", diff.output
    _says_missing(diff.stderr, "'HEAD~1'", oid, "the folder org")


def test_a_base_without_a_files_blob_is_exit_2_naming_the_file(banco: Path, cli: Any) -> None:
    """A blob the base names is missing: the file was taken for one with errors on the base, so the
    gate reported the base's own finding there as new (exit 1), and diff said the file "can be read
    again" and hid what changed in it."""
    rel = "okrs/2026-Q4/cards.yaml"
    cards = banco / rel
    cards.write_text(cards.read_text(encoding="utf-8").replace("target: 75", "target: 60"), encoding="utf-8")
    git(banco, "commit", "-q", "-am", "edit cards")
    oid = git(banco, "rev-parse", f"HEAD~2:{rel}").strip()
    (banco / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    gate = align(banco, "--baseline", "HEAD~2", "--format", "concise")
    assert gate.exit_code == 2 and gate.stdout == "", gate.output
    _says_missing(gate.stderr, "'HEAD~2'", oid, rel)
    diff = cli("diff", "HEAD~2", "HEAD", "--repo", str(banco), "--today", TODAY)
    assert diff.exit_code == 2 and diff.stdout == "", diff.output
    _says_missing(diff.stderr, "'HEAD~2'", oid, rel)


def test_a_base_whose_commit_object_is_missing_is_not_an_unknown_ref(banco: Path, cli: Any) -> None:
    """The ref exists, its commit does not: it was "unknown git ref 'HEAD~1'", sending the user to
    look for a typo in a name that is right."""
    oid = git(banco, "rev-parse", "HEAD~1").strip()
    git(banco, "branch", "base", oid)
    (banco / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    for args, named in ((("align", "--baseline", "base"), ", which 'base' names"), (("diff", oid, "HEAD"), "")):
        result = cli(*args, "--repo", str(banco), "--today", TODAY)
        assert result.exit_code == 2 and result.stdout == "", result.output
        assert f"git cannot read commit {oid[:12]}{named}: the object is missing" in result.stderr, result.stderr
        assert "unknown git ref" not in result.stderr and result.stderr.count("\n") == 1
        assert all(words in result.stderr for words in FIX_WORDS)


def test_a_base_that_truly_lacks_the_okr_folder_still_has_no_okrctl_yaml(
    tmp_path: Path, git_repo: Any, cli: Any
) -> None:
    """The control: a base made before the OKR folder existed is still "no okrctl.yaml" (every
    finding new for the gate, exit 2 for diff), not a damaged repository."""
    top = tmp_path / "mono"
    top.mkdir()
    (top / "README.md").write_text("a monorepo\n", encoding="utf-8")
    git_repo(top)
    okr = _banco(top / "org" / "okr")
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "add the OKRs")
    gate = align(okr, "--baseline", "HEAD~1", "--format", "concise")
    assert gate.exit_code == 1, gate.output
    assert "has no okrctl.yaml yet: every finding is new" in gate.stderr
    diff = cli("diff", "HEAD~1", "HEAD", "--repo", str(okr), "--today", TODAY)
    assert diff.exit_code == 2, diff.output
    assert diff.stderr.startswith("okrctl: 'HEAD~1' has no okrctl.yaml in org/okr"), diff.stderr
