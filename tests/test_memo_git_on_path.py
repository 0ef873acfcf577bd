"""Why the moved targets were not read, outside git, depends on the machine: "git is not installed"
when git is not on PATH, "not a git repository" when it is. A result memoised by a run without git
is not the answer of a later run with it, in the same store; nor is one of a plain folder that
of the same folder after `git init` (no commit yet), or back."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

NOT_INSTALLED = "okrctl: note: the targets that moved were not read: git is not installed\n"
NOT_A_REPOSITORY = "okrctl: note: the targets that moved were not read: not a git repository\n"


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    """banco in a folder that no git repository holds."""
    folder = tmp_path / "plain"
    shutil.copytree(EXAMPLES / "banco", folder, ignore=shutil.ignore_patterns(".okrctl-cache"))
    return folder


def _environments(tmp_path: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(without git on PATH, with it), both with the store on in one folder of the test's."""
    store = {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store")}
    (tmp_path / "no-git-here").mkdir()
    return {**store, "PATH": str(tmp_path / "no-git-here")}, {**store, "PATH": os.environ["PATH"]}


def test_report_after_a_run_without_git_says_not_a_git_repository(cli, plain: Path, tmp_path: Path) -> None:
    without_git, with_git = _environments(tmp_path)
    args = ("report", "--repo", str(plain), "--today", DEMO_DAY)
    first = cli(*args, env=without_git)
    assert (first.exit_code, first.stderr) == (0, NOT_INSTALLED)
    second = cli(*args, env=with_git)
    assert (second.exit_code, second.stderr) == (0, NOT_A_REPOSITORY)
    assert "git is not installed" not in second.stdout
    again = cli(*args, env=without_git)  # and back: each machine's own answer
    assert (again.exit_code, again.stderr) == (0, NOT_INSTALLED)


def test_digest_after_a_run_without_git_says_not_a_git_repository(cli, plain: Path, tmp_path: Path) -> None:
    without_git, with_git = _environments(tmp_path)
    args = ("digest", "--repo", str(plain), "--today", DEMO_DAY)
    first = cli(*args, env=without_git)
    assert first.exit_code == 0, first.output
    assert "Moved targets were not read (git is not installed)." in first.stdout
    second = cli(*args, env=with_git)
    assert (second.exit_code, second.stderr) == (0, NOT_A_REPOSITORY)
    assert "Moved targets were not read (not a git repository)." in second.stdout
    assert "git is not installed" not in second.stdout


def test_report_after_git_init_and_after_removing_git_says_its_own_reason(cli, plain: Path, tmp_path: Path) -> None:
    _, with_git = _environments(tmp_path)
    args = ("report", "--repo", str(plain), "--today", DEMO_DAY)
    no_commit = "okrctl: note: the targets that moved were not read: no commit holds the objective files\n"
    assert cli(*args, env=with_git).stderr == NOT_A_REPOSITORY
    subprocess.run(["git", "init", "-q", str(plain)], check=True)
    unborn = cli(*args, env=with_git)
    assert (unborn.exit_code, unborn.stderr) == (0, no_commit)
    assert "not a git repository" not in unborn.stdout
    shutil.rmtree(plain / ".git")
    gone = cli(*args, env=with_git)
    assert (gone.exit_code, gone.stderr) == (0, NOT_A_REPOSITORY)
