"""A check-in made from inside a real git hook of another repository (git sets GIT_INDEX_FILE,
GIT_DIR and friends for its hooks): the check-in commit is built from the OKR repository's own
index, and neither repository is left with anything staged."""

from __future__ import annotations

import os
import stat
import sys

import pytest

from tests.conftest import DEMO_DAY, ROOT, git


@pytest.mark.slow
def test_a_checkin_from_another_repositorys_hook_commits_only_in_the_okr_repository(copy_example, git_repo, tmp_path):
    okrs = git_repo(copy_example("banco"))
    before = git(okrs, "rev-parse", "HEAD").strip()
    other = tmp_path / "other"
    other.mkdir()
    git_repo(other, commit=False)
    log = tmp_path / "hook.log"
    hook = other / ".git" / "hooks" / "post-commit"
    hook.write_text(
        "#!/bin/sh\n"
        f'cd "{okrs}" && PYTHONPATH="{ROOT}" OKRCTL_NO_CACHE=1 "{sys.executable}" -m okrctl checkin '
        f'--team discover --date {DEMO_DAY} --today {DEMO_DAY} -c 7 --amend > "{log}" 2>&1\n'
        f'echo "exit $?" >> "{log}"\n'
        'env | grep "^GIT_" | sed "s/=.*//" >> "' + str(log) + '"\n',
        encoding="utf-8",
    )
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    (other / "file.txt").write_text("x\n")
    git(other, "add", "file.txt")
    git(other, "commit", "-q", "-m", "a commit that runs the hook", env={k: v for k, v in os.environ.items()})
    ran = log.read_text(encoding="utf-8")
    assert "exit 0" in ran, ran
    assert "GIT_INDEX_FILE" in ran  # the hook really ran with git's variables set
    assert git(okrs, "rev-parse", "HEAD~1").strip() == before
    assert git(okrs, "log", "-1", "--format=%s").startswith(f"checkin(discover): {DEMO_DAY}")
    assert git(okrs, "status", "--porcelain") == ""
    assert git(other, "status", "--porcelain") == ""
    assert git(other, "log", "--format=%s").strip() == "a commit that runs the hook"
