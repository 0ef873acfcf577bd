"""A damaged base (a tree or a blob of the base commit missing from a full clone) while the OKR
folder's move into a subfolder is not yet committed (a plain ``mv``, or staged): ``align --baseline``
and ``diff`` stop with exit 2 naming the commit, the missing object and the fix, as they do when the
folder has not moved or the move is committed (docs/ci.md).

Before, the look for the folder's place at the base (from the base's commit to the working tree)
took git's failure to list the base for "no move": the gate said the base "has no okrctl.yaml yet:
every finding is new" and failed the change on the base's own finding (exit 1), and ``diff`` said
the base had no okrctl.yaml in the new folder.

Each test builds a real repository from examples/banco: an OKR104 error committed at the base
(tag ``base``), a later commit that edits the same file (so the base's tree of okrs/2026-Q4 is
only the base's), then the whole folder moved into ``sub/`` in the working tree.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git
from tests.helpers_align import EXAMPLES, TODAY, align

FIX_WORDS = ("git fetch --refetch origin", "git fsck")
CARDS = "okrs/2026-Q4/cards.yaml"
# Every name examples/banco holds at its top: what a plain ``mv`` moves into ``sub/``.
MOVED = sorted(path.name for path in (EXAMPLES / "banco").iterdir() if path.name != ".okrctl-cache")


def _base_and_change(top: Path, git_repo: Any) -> None:
    """examples/banco committed at ``top`` with an OKR104 error (tagged ``base``), then a commit
    that edits the file holding it (the error stays: it is existing, not new)."""
    shutil.copytree(EXAMPLES / "banco", top, ignore=shutil.ignore_patterns(".okrctl-cache"))
    git_repo(top, commit=False)
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "initial")
    cards = top / CARDS
    text = cards.read_text(encoding="utf-8")
    assert "digital-first-week/nps" in text
    cards.write_text(text.replace("digital-first-week/nps", "digital-first-week/nope"), encoding="utf-8")
    git(top, "commit", "-q", "-am", "an existing error")
    git(top, "tag", "base")
    text = cards.read_text(encoding="utf-8")
    assert "\ntitle: Make the first card moment" in text
    cards.write_text(
        text.replace("\ntitle: Make the first card moment", "\ntitle: Make the first card moments"), encoding="utf-8"
    )
    git(top, "commit", "-q", "-am", "change")


def _move_into_sub(top: Path, how: str) -> Path:
    """The OKR folder moved into ``sub/`` in the working tree, not committed: with a plain ``mv``
    (git's index knows nothing), or staged (``git add -A``). The moved folder."""
    sub = top / "sub"
    sub.mkdir()
    for name in MOVED:
        (top / name).rename(sub / name)
    if how == "staged":
        git(top, "add", "-A")
    return sub


def _lose(top: Path, name: str, kind: str) -> str:
    """Delete the loose object ``name`` names (a ``kind``) from the store; its id."""
    oid = git(top, "rev-parse", name).strip()
    assert git(top, "cat-file", "-t", oid).strip() == kind
    (top / ".git" / "objects" / oid[:2] / oid[2:]).unlink()
    return oid


def _says_missing(stderr: str, what: str, oid: str) -> None:
    """One line naming what git cannot read, the object's id and the fix; never "no okrctl.yaml"."""
    assert stderr.count("\n") == 1 and stderr.startswith("okrctl: "), stderr
    assert f"git cannot read {what} of commit " in stderr, stderr
    assert f"git object {oid[:12]}, is missing" in stderr, stderr
    assert all(words in stderr for words in FIX_WORDS), stderr
    assert "no okrctl.yaml" not in stderr and "every finding is new" not in stderr, stderr


@pytest.fixture
def banco(tmp_path: Path, git_repo: Any) -> Path:
    top = tmp_path / "banco"
    _base_and_change(top, git_repo)
    return top


@pytest.mark.parametrize("how", ["mv", "staged"])
def test_the_intact_base_of_a_moved_folder_lets_the_change_pass(banco: Path, cli: Any, how: str) -> None:
    """The control: with every object there, the base is read where the folder was, its error is
    existing and the change passes; diff compares it."""
    sub = _move_into_sub(banco, how)
    gate = align(sub, "--baseline", "base", "--format", "concise")
    assert gate.exit_code == 0, gate.output
    assert "no okrctl.yaml" not in gate.stderr, gate.stderr
    diff = cli("diff", "base", "--repo", str(sub), "--today", TODAY)
    assert diff.exit_code in (0, 1) and "no okrctl.yaml" not in diff.stderr, diff.output


@pytest.mark.parametrize("how", ["mv", "staged"])
def test_a_base_missing_a_tree_is_exit_2_naming_it_before_the_move_is_committed(
    banco: Path, cli: Any, how: str
) -> None:
    oid = _lose(banco, "base:okrs/2026-Q4", "tree")
    sub = _move_into_sub(banco, how)
    gate = align(sub, "--baseline", "base", "--format", "concise")
    assert gate.exit_code == 2 and gate.stdout == "", gate.output
    _says_missing(gate.stderr, "the folder okrs/2026-Q4", oid)
    diff = cli("diff", "base", "--repo", str(sub), "--today", TODAY)
    assert diff.exit_code == 2 and diff.stdout == "", diff.output
    _says_missing(diff.stderr, "the folder okrs/2026-Q4", oid)


def test_a_base_missing_its_configs_blob_is_exit_2_naming_it_before_the_move_is_committed(
    banco: Path, cli: Any
) -> None:
    """The base's okrctl.yaml differs from the one staged in ``sub/``: git's rename detection reads
    the base's blob to pair them, and failed on the missing one."""
    config = banco / "okrctl.yaml"
    git(banco, "checkout", "-q", "base")
    config.write_text(config.read_text(encoding="utf-8") + "# as the base had it\n", encoding="utf-8")
    git(banco, "commit", "-q", "-am", "the base's config")
    git(banco, "tag", "-f", "base")
    git(banco, "checkout", "-q", "-")
    git(banco, "merge", "-q", "--no-edit", "-s", "ours", "base")  # the head keeps its config
    oid = _lose(banco, "base:okrctl.yaml", "blob")
    sub = _move_into_sub(banco, "staged")
    gate = align(sub, "--baseline", "base", "--format", "concise")
    assert gate.exit_code == 2 and gate.stdout == "", gate.output
    _says_missing(gate.stderr, "okrctl.yaml", oid)
    diff = cli("diff", "base", "--repo", str(sub), "--today", TODAY)
    assert diff.exit_code == 2 and diff.stdout == "", diff.output
    assert f"git object {oid[:12]}, is missing" in diff.stderr and "no okrctl.yaml" not in diff.stderr, diff.stderr


@pytest.mark.parametrize("how", ["mv", "staged"])
def test_a_base_made_before_the_okr_folder_still_has_no_okrctl_yaml(
    tmp_path: Path, git_repo: Any, cli: Any, how: str
) -> None:
    """The control: a base commit that holds no OKR folder at all (intact) is still "no
    okrctl.yaml" while the folder's move is not committed: every finding new for the gate, exit 2
    for diff."""
    top = tmp_path / "mono"
    top.mkdir()
    (top / "README.md").write_text("a monorepo\n", encoding="utf-8")
    git_repo(top)
    git(top, "tag", "base")
    shutil.copytree(EXAMPLES / "banco", top / "okr", ignore=shutil.ignore_patterns(".okrctl-cache"))
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", "add the OKRs")
    (top / "okr").rename(top / "okrs-moved")
    if how == "staged":
        git(top, "add", "-A")
    moved = top / "okrs-moved"
    gate = align(moved, "--baseline", "base", "--format", "concise")
    assert gate.exit_code in (0, 1), gate.output
    assert "has no okrctl.yaml yet: every finding is new" in gate.stderr, gate.stderr
    diff = cli("diff", "base", "--repo", str(moved), "--today", TODAY)
    assert diff.exit_code == 2, diff.output
    assert diff.stderr.startswith("okrctl: 'base' has no okrctl.yaml in okrs-moved"), diff.stderr
