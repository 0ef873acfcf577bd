"""What a check-in commits when another run or another git works on the same repository meanwhile:
only what this run wrote, and the user's index left as it was when the commit does not happen."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import okrctl.checkin
from tests.conftest import git
from tests.helpers_git import committed_by_a_member, hermetic_git

FRIDAY = "2026-11-27"
CHECKIN = f"checkins/discover/{FRIDAY}.yaml"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def test_a_check_in_another_run_amended_after_this_one_wrote_it_is_not_committed_by_this_one(
    cli, banco: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another run's ``checkin --amend --no-commit`` landed between this run's write and its commit:
    the commit held the other run's draft (confidence 2, "draft, do not commit") under this run's
    message, "confidence 7/10", with exit 0 for both."""
    real_write = okrctl.checkin.write

    def written_then_amended_by_another_run(session, text):
        real_write(session, text)
        path = banco / CHECKIN
        path.write_text(path.read_text(encoding="utf-8").replace("confidence: 7", "confidence: 2"), encoding="utf-8")

    monkeypatch.setattr(okrctl.checkin, "write", written_then_amended_by_another_run)
    before = git(banco, "rev-parse", "HEAD")
    result = cli("checkin", "--repo", str(banco), "--team", "discover", "-c", "7", "--today", FRIDAY)
    assert result.exit_code == 1, result.output
    assert f"another run changed {CHECKIN} after this one wrote it, so this run does not commit it" in result.stderr
    assert git(banco, "rev-parse", "HEAD") == before  # nothing committed
    assert "confidence: 2" in (banco / CHECKIN).read_text(encoding="utf-8")  # the other run's edit kept
    assert git(banco, "ls-files", "--", CHECKIN) == ""  # and nothing staged for a later commit -a


def test_a_stop_while_another_git_holds_the_index_leaves_no_intent_to_add_entry(
    banco: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped after ``git add --intent-to-add`` while another git held the index lock, the entry was
    removed with one try, which the lock made fail: the user's next ``git commit -a`` took the check-in."""
    import okrctl.gitio.commit as commits
    from okrctl.gitio.run import run_git

    path = banco / CHECKIN
    path.write_text("apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-27\nconfidence: 7\n")
    lock = banco / ".git" / "index.lock"

    def stopped_while_the_index_is_held(top, path, rel, message, new, shown=None):
        run_git(top, "add", "--intent-to-add", "--", rel)
        lock.write_text("", encoding="utf-8")  # another git takes the index ...
        threading.Timer(0.4, lock.unlink).start()  # ... and lets it go a moment later
        raise KeyboardInterrupt

    monkeypatch.setattr(commits, "_commit_only", stopped_while_the_index_is_held)
    with pytest.raises(KeyboardInterrupt):
        commits.commit_file(path, "checkin(discover): 2026-11-27 confidence 7/10", CHECKIN)
    assert not lock.exists()
    assert git(banco, "ls-files", "--", CHECKIN) == ""
    assert path.exists()  # the check-in stays written


@pytest.mark.slow
def test_a_hook_that_runs_okrctl_on_the_check_in_being_committed_does_not_hang_it(banco: Path) -> None:
    """The check-in is committed while its file's lock is held: a pre-commit hook running
    ``okrctl checkin --amend`` on that very file waited for the lock, which waited for the hook,
    for ever. The hook's command is refused, saying why, and the commit with it (exit 1)."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text(
        "#!/bin/sh\n"
        f"exec '{sys.executable}' -m okrctl checkin --team discover --date {FRIDAY} --today {FRIDAY} "
        "--amend --no-commit -p 'from the hook' </dev/null\n",
        encoding="utf-8",
    )
    hook.chmod(0o755)
    before = git(banco, "rev-parse", "HEAD")
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", "checkin", "--team", "discover", "-c", "7", "--today", FRIDAY],
        cwd=banco,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    said = f"{CHECKIN}: another okrctl run is committing this file, and runs this command from its git commit"
    assert said in result.stderr, result.stderr
    assert git(banco, "rev-parse", "HEAD") == before
    assert "confidence: 7" in (banco / CHECKIN).read_text(encoding="utf-8")
