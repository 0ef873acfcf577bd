"""Something that is no folder (a file, a link to nothing) where a new check-in's or reading's folder
must be: the dry run is refused as the write is, with its words, and both before any question.

``checkin --dry-run`` and ``measure --dry-run`` printed the YAML and exit 0 ("dry run: ... not
written") where the real command is refused ("checkins/cards: is a file, not a folder, ..."), and
the interactive check-in was refused only once every answer was typed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import committed_by_a_member
from tests.test_checkin import terminal

DAY = "2026-11-27"
CHECKIN = ("-c", "6", "-r", "card-activation-7d=57")


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    """The banco example, committed; git's user.email is a member of Discover."""
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def _committed_file(root: Path, where: str) -> None:
    """A file a commit put where the folder must be (the reviewer's repro)."""
    if (root / where).is_dir():
        git(root, "rm", "-rq", where)
        shutil.rmtree(root / where, ignore_errors=True)
    (root / where).write_text("x\n", encoding="utf-8")
    git(root, "add", where)
    git(root, "commit", "-qm", f"plant {where}")


def _dangling_link(root: Path, where: str) -> None:
    """An untracked link to nothing where the folder must be (the folder moved away, uncommitted)."""
    if (root / where).is_dir():
        shutil.rmtree(root / where)
    os.symlink("nowhere", root / where)


BLOCKERS: dict[str, Callable[[Path, str], None]] = {"file": _committed_file, "dangling-link": _dangling_link}


def _refusal(blocking: str, what: str, kind: str) -> str:
    if kind == "file":
        return (
            f"okrctl: {blocking}: is a file, not a folder, so {what} cannot be written there; nothing was written "
            "(move that file away)\n"
        )
    return (
        f"okrctl: {blocking}: is a symbolic link that leads to no folder, so {what} cannot be written there; "
        "nothing was written (move that link away)\n"
    )


def _snapshot(root: Path) -> tuple[str, str, list[str]]:
    """What the user sees of the repository: HEAD, git status and every path on disk."""
    paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts)
    return git(root, "rev-parse", "HEAD"), git(root, "status", "--porcelain"), paths


@pytest.mark.parametrize("mode", ["--dry-run", "--no-commit", "--commit"])
@pytest.mark.parametrize("blocking", ["checkins/cards", "checkins"])
@pytest.mark.parametrize("kind", sorted(BLOCKERS))
def test_a_checkin_whose_folder_is_no_folder_is_refused_dry_run_or_not(cli, banco, mode, blocking, kind):
    BLOCKERS[kind](banco, blocking)
    before = _snapshot(banco)
    args = ("checkin", "--repo", str(banco), "--team", "cards", *CHECKIN, "--date", DAY, "--today", DAY)
    result = cli(*args, *([] if mode == "--commit" else [mode]))
    assert (result.exit_code, result.stdout) == (1, "")  # no YAML, no "dry run: ... not written"
    assert result.stderr == _refusal(blocking, "the check-in", kind)
    assert _snapshot(banco) == before


@pytest.mark.parametrize("mode", ["--dry-run", "", "--commit"])
@pytest.mark.parametrize("blocking", ["readings", "readings/cards"])
@pytest.mark.parametrize("kind", sorted(BLOCKERS))
def test_a_reading_whose_folder_is_no_folder_is_refused_dry_run_or_not(cli, banco, tmp_path, mode, blocking, kind):
    if blocking == "readings/cards":
        (banco / "readings").mkdir()
    BLOCKERS[kind](banco, blocking)
    values = tmp_path / "v.csv"
    values.write_text("card-activation-7d,57\n", encoding="utf-8")
    before = _snapshot(banco)
    args = ("measure", "--repo", str(banco), "--team", "cards", "--values-from", str(values), "--date", DAY)
    result = cli(*args, "--today", DAY, *([mode] if mode else []))
    # Refused before the values are listed, as nothing of them would be written.
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == _refusal(blocking, f"readings/cards/{DAY}.yaml", kind)
    assert _snapshot(banco) == before


@pytest.mark.parametrize("mode", ["--dry-run", "--no-commit"])
def test_an_amended_checkin_outside_the_blocked_folder_is_written_where_it_is(cli, banco, mode):
    """An amendment is written where the check-in lies: no folder is made, nothing is in the way."""
    git(banco, "mv", "checkins/cards/2026-11-20.yaml", "checkins/cards-2026-11-20.yaml")
    git(banco, "commit", "-qm", "moved")
    _committed_file(banco, "checkins/cards")
    args = ("checkin", "--repo", str(banco), "--team", "cards", "--amend", *CHECKIN, "--date", "2026-11-20")
    result = cli(*args, "--today", DAY, mode)
    assert result.exit_code == 0, result.output
    written = (banco / "checkins/cards-2026-11-20.yaml").read_text(encoding="utf-8")
    assert ("card-activation-7d: 57\n" in written) == (mode == "--no-commit")
    assert (banco / "checkins/cards").read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize("mode", ["--dry-run", "--no-commit"])
def test_at_a_terminal_the_refusal_comes_before_the_first_question(banco, mode):
    _committed_file(banco, "checkins/discover")
    with terminal(banco, mode) as term:
        out = term.expect_exit(1)
    assert "Confidence [" not in out
    assert _refusal("checkins/discover", "the check-in", "file").removeprefix("okrctl: ").rstrip() in out
    assert (banco / "checkins/discover").read_text(encoding="utf-8") == "x\n"


@pytest.mark.parametrize("mode", ["--dry-run", "--no-commit"])
def test_a_file_put_there_while_the_team_answers_is_refused_dry_run_or_not(banco, mode):
    with terminal(banco, mode, "-c", "7", "-i", "None", "-p", "More") as term:
        for _ in range(3):
            term.expect("]: ")
            term.send("")
        term.expect("note> ")
        _committed_file(banco, "checkins/discover")  # a `git checkout` of a branch with that file
        term.send("")
        if mode == "--no-commit":
            term.expect("? [Y/n] ")
            term.send("")
        out = term.expect_exit(1)
    assert _refusal("checkins/discover", "the check-in", "file").removeprefix("okrctl: ").rstrip() in out
    assert "dry run:" not in out
    assert (banco / "checkins/discover").read_text(encoding="utf-8") == "x\n"
