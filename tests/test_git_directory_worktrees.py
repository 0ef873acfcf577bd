"""A linked worktree's git directory (``.git/worktrees/NAME``, a bare repository's too) given as
``--repo``: the line names that worktree's own folder, read from git's ``gitdir`` file only when the
folder it names proves to be that worktree's. On real git repositories built here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import banco_before_q4, hermetic_git

TODAY = "2026-11-21"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_before_q4(copy_example, git_repo)


# ----- a linked worktree's git directory as --repo -------------------------------------------------
def test_a_linked_worktrees_git_directory_names_that_worktree(cli, banco: Path, tmp_path: Path) -> None:
    """``.git/worktrees/wt`` was called part of the main checkout's git directory (another branch's
    folder was named), and a bare repository's ``worktrees/wt`` a bare repository with no checkout."""
    worktree = tmp_path / "wt"
    git(banco, "worktree", "add", "-q", str(worktree), "-b", "wtb", "HEAD")
    linked = banco / ".git" / "worktrees" / "wt"
    bare = tmp_path / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", banco.as_uri(), str(bare))
    bare_worktree = tmp_path / "bwt"
    git(bare, "worktree", "add", "-q", str(bare_worktree), "main")
    cases = [
        (linked, f"{linked} is the git directory of the linked worktree {worktree}; use {worktree}"),
        (linked / "logs", f"is inside {linked}, the git directory of the linked worktree {worktree}; use {worktree}"),
        (bare / "worktrees" / "bwt", f"the git directory of the linked worktree {bare_worktree}; use {bare_worktree}"),
    ]
    for given, said in cases:
        (given).mkdir(exist_ok=True)
        for command in (["align"], ["status"]):
            result = cli(*command, "--repo", str(given), "--today", TODAY)
            assert result.exit_code == 2, (given, result.output)
            assert result.stderr.count("\n") == 1 and result.stderr.endswith(said + "\n"), result.stderr
    assert cli("align", "--repo", str(worktree), "--today", TODAY).exit_code in (0, 1)


def test_a_linked_worktrees_gitdir_file_is_not_trusted_blindly(cli, banco: Path, tmp_path: Path) -> None:
    """The ``gitdir`` file names the checkout; a folder it names is given only when its ``.git`` file
    is there, names this git directory back, and no symbolic link lies on the way."""
    worktree = tmp_path / "wt"
    git(banco, "worktree", "add", "-q", str(worktree), "-b", "wtb", "HEAD")
    linked = banco / ".git" / "worktrees" / "wt"
    link = tmp_path / "through-a-link"
    os.symlink(worktree, link)
    for named in (banco / ".git", link / ".git", tmp_path / "gone" / ".git"):
        (linked / "gitdir").write_text(f"{named}\n", encoding="utf-8")
        result = cli("align", "--repo", str(linked), "--today", TODAY)
        assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
        assert "a linked worktree whose folder cannot be told" in result.stderr, (named, result.stderr)
        assert f"'git -C {banco / '.git'} worktree list' lists them" in result.stderr
        assert f"use {banco}" not in result.stderr and f"use {link}" not in result.stderr


def test_the_worktree_list_command_quotes_a_git_directory_with_a_space(cli, banco: Path, tmp_path: Path) -> None:
    """The repository in ``my repos/banco``: pasted, the suggested ``git -C my repos/banco/.git
    worktree list`` ran ``git -C my`` with the rest for a command. The folder is one shell word."""
    moved = tmp_path / "my repos" / "banco"
    moved.parent.mkdir()
    banco.rename(moved)
    worktree = tmp_path / "wt"
    git(moved, "worktree", "add", "-q", str(worktree), "-b", "wtb", "HEAD")
    linked = moved / ".git" / "worktrees" / "wt"
    (linked / "gitdir").write_text(f"{tmp_path / 'gone' / '.git'}\n", encoding="utf-8")
    result = cli("align", "--repo", str(linked), "--today", TODAY)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert f"('git -C '{moved / '.git'}' worktree list' lists them)" in result.stderr, result.stderr
