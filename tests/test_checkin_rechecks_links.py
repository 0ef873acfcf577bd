"""The check-in's place looked at again once the team has answered: a link on the way that came
while the team answered (a ``git checkout`` of a branch that commits it, a folder moved out and
linked back), and an amended file that can no longer be read (a folder put in its place)."""

from __future__ import annotations

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import committed_by_a_member
from tests.pty_driver import TIMEOUT, Terminal

FRIDAY = "2026-11-27"
LAST = "2026-11-20"
NEW = f"checkins/cards/{FRIDAY}.yaml"
AMENDED = f"checkins/cards/{LAST}.yaml"
ENV = {"PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "TERM": "dumb"}
# Cards' answers given on the command line: the prompts left are the issues, the plan and the confirmation.
ANSWERS = ["-c", "5", "-r", "card-activation-7d=57", "-r", "virtual-card-day-one=20", "-r", "card-delivery-days=5"]
OUTSIDE = "resolves outside the repository; nothing was written"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    root = committed_by_a_member(git_repo(copy_example("banco"), commit=False))
    git(root, "config", "user.email", "tomas.ferreira@example.com")  # a member of Cards
    return root


@pytest.fixture
def outside(tmp_path: Path, banco: Path) -> Path:
    """A folder outside the checkout holding a copy of Cards' check-ins."""
    folder = tmp_path / "outside"
    shutil.copytree(banco / "checkins/cards", folder)
    return folder


def commits(root: Path) -> int:
    return int(git(root, "rev-list", "--all", "--count"))


def _branch_with_link(root: Path, target: str) -> Callable[[], None]:
    """A branch ``links`` that commits ``checkins/cards`` as a link to ``target``, made now; checking
    it out (what a ``git pull`` of such a commit does too) is the change returned."""
    git(root, "checkout", "-q", "-b", "links")
    git(root, "rm", "-rq", "checkins/cards")
    (root / "checkins/cards").symlink_to(target)
    git(root, "add", "checkins/cards")
    git(root, "commit", "-q", "-m", "link")
    git(root, "checkout", "-q", "main")
    return lambda: git(root, "checkout", "-q", "links")


def _moved_and_linked(root: Path, outside: Path) -> Callable[[], None]:
    """The team's folder moved out of the checkout and a link left in its place (no commit)."""

    def move() -> None:
        shutil.rmtree(outside)
        (root / "checkins/cards").rename(outside)
        (root / "checkins/cards").symlink_to(outside)

    return move


def _at_the_prompts(root: Path, args: list[str], change: Callable[[], object], code: int) -> str:
    """``okrctl checkin --team cards ARGS`` at a terminal, ``change`` made at its first prompt, then
    Enter at every prompt up to and including the confirmation; what the terminal showed, its words
    on one line, once okrctl exits ``code``."""
    command = [sys.executable, "-m", "okrctl", "checkin", "--team", "cards", "--today", FRIDAY, *args]
    changed = False
    with Terminal(command, cwd=root, env={**os.environ, **ENV}, columns=400) as term:
        deadline = time.monotonic() + TIMEOUT  # guards against a hang only
        while True:
            shown = term.output[term.position :]
            if shown.endswith(("]: ", "> ", ": ", "[Y/n] ")) and term.settled():
                if not changed:
                    change()
                    changed = True
                term.position = len(term.output)
                term.send("")
                if shown.endswith("and commit it? [Y/n] "):
                    break
                continue
            assert not term.closed and time.monotonic() < deadline, f"no prompt; the terminal shows:\n{shown}"
            term._read(0.1)
        return " ".join(term.expect_exit(code).split())


# ----- a link on the way that came while the team answered ------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("how", ["checked out", "moved"])
def test_a_link_out_of_the_repository_that_came_at_the_prompts_gets_no_checkin(banco, outside, how) -> None:
    """``checkins/cards`` made a link to a folder outside the checkout at the prompts: the check-in
    was written there, "not committed: the repository is not inside a git repository", exit 0.
    Refused as before the questions, nothing written anywhere."""
    change = _branch_with_link(banco, str(outside)) if how == "checked out" else _moved_and_linked(banco, outside)
    before = commits(banco)
    out = _at_the_prompts(banco, ["--date", FRIDAY, *ANSWERS], change, 1)
    assert f"okrctl: {NEW}: {OUTSIDE}" in out
    assert "wrote" not in out and "committed" not in out
    assert not (outside / f"{FRIDAY}.yaml").exists()
    assert commits(banco) == before


def test_the_refusal_after_the_questions_is_the_one_before_them(banco, outside) -> None:
    """The same link there from the start is refused before the questions, in the same words."""
    _branch_with_link(banco, str(outside))()
    command = [sys.executable, "-m", "okrctl", "checkin", "--team", "cards", "--today", FRIDAY, "--date", FRIDAY]
    with Terminal([*command, *ANSWERS], cwd=banco, env={**os.environ, **ENV}, columns=400) as term:
        out = " ".join(term.expect_exit(1).split())
    assert out == f"okrctl: {NEW}: {OUTSIDE}"


@pytest.mark.slow
def test_a_link_a_commit_put_in_the_checkout_at_the_prompts_gets_no_checkin(banco) -> None:
    """``checkins/cards -> discover`` checked out at the prompts: Cards' check-in went into
    Discover's folder. Refused as before the questions."""
    change = _branch_with_link(banco, "discover")
    before = commits(banco)
    out = _at_the_prompts(banco, ["--date", FRIDAY, *ANSWERS], change, 1)
    assert (
        f"okrctl: {NEW}: checkins/cards is a symbolic link a commit put in the checkout; okrctl never writes "
        "through one; nothing was written"
    ) in out
    assert not (banco / "checkins/discover" / f"{FRIDAY}.yaml").exists()
    assert commits(banco) == before


@pytest.mark.slow
@pytest.mark.parametrize("answers", [[], ["-c", "3"]], ids=["changes nothing", "changes the confidence"])
def test_an_amend_through_a_link_out_of_the_repository_that_came_at_the_prompts_is_refused(
    banco, outside, answers
) -> None:
    """The amend wrote the copy outside the checkout (exit 0); the one that changed nothing said that
    copy "already says all that". Both refused as before the questions; the copy stays as it was."""
    copy = (outside / f"{LAST}.yaml").read_bytes()
    change = _branch_with_link(banco, str(outside))
    before = commits(banco)
    out = _at_the_prompts(banco, ["--amend", "--date", LAST, *answers], change, 1)
    assert f"okrctl: {AMENDED}: {OUTSIDE}" in out
    assert "already says all that" not in out and "amended" not in out
    assert (outside / f"{LAST}.yaml").read_bytes() == copy
    assert commits(banco) == before


# ----- an amended file that can no longer be read -----------------------------------------------------------
def _made_a_folder(path: Path) -> Callable[[], None]:
    def swap() -> None:
        path.unlink()
        path.mkdir()

    return swap


@pytest.mark.slow
@pytest.mark.parametrize(
    ("answers", "said"),
    [
        ([], "cannot be read: Is a directory; nothing was written or committed"),
        (["-c", "3"], "cannot be written: Is a directory; nothing was written"),
    ],
    ids=["changes nothing", "changes the confidence"],
)
def test_an_amend_whose_checkin_became_a_folder_at_the_prompts_is_refused_by_its_path(banco, answers, said) -> None:
    """The amend that changed nothing ended at exit 2 with the folder's absolute path ("okrctl:
    /…/2026-11-20.yaml: Is a directory"). Refused as the amend that changes something is: exit 1,
    the path in the repository, nothing written or committed."""
    before = commits(banco)
    out = _at_the_prompts(banco, ["--amend", "--date", LAST, *answers], _made_a_folder(banco / AMENDED), 1)
    assert f"okrctl: {AMENDED}: {said}" in out
    assert str(banco) not in out
    assert (banco / AMENDED).is_dir() and not any((banco / AMENDED).iterdir())
    assert commits(banco) == before
