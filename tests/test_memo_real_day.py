"""A result kept in the store is the answer of the machine's real day as well as of ``--today``.

With ``--today`` before the real day, the history is read as of that day (a commit dated after it
is left out, by OKR601 too); on the real day or later, all of it (README, docs/report.md). The
memo handed a run's answer back after the real day had changed (a repeat after midnight, or on a
machine in another time zone sharing the store). Honolulu and Kiritimati are always one calendar
day apart, so the two runs below see one real day each, whatever the hour.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import EXAMPLES, git

WEST, EAST = "Pacific/Honolulu", "Pacific/Kiritimati"

pytestmark = [
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed"),
    pytest.mark.skipif(
        not all(Path("/usr/share/zoneinfo", zone).exists() for zone in (WEST, EAST)),
        reason="the time zone database is not installed",
    ),
]


def _okrctl(repo: Path, zone: str, store: Path | None, *args: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OKRCTL_")}
    env["TZ"] = zone
    if store is None:
        env["OKRCTL_NO_CACHE"] = "1"
    else:
        env["OKRCTL_CACHE_DIR"] = str(store)
    return subprocess.run(
        [sys.executable, "-m", "okrctl", *args, "--repo", str(repo)], env=env, capture_output=True, text=True
    )


@pytest.mark.slow
def test_a_kept_answer_is_not_handed_back_on_another_real_day(tmp_path: Path) -> None:
    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo, ignore=shutil.ignore_patterns(".okrctl-cache"))
    identity = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com"}
    identity |= {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "init", env=identity)
    file = repo / "okrs/2026-Q4/discover.yaml"
    text = file.read_text(encoding="utf-8")
    assert "    target: 50\n" in text
    file.write_text(text.replace("    target: 50\n", "    target: 45\n", 1), encoding="utf-8")
    now_east = datetime.now(ZoneInfo(EAST)).isoformat(timespec="seconds")
    moved = identity | {"GIT_AUTHOR_DATE": now_east, "GIT_COMMITTER_DATE": now_east}
    git(repo, "commit", "-q", "-a", "-m", "lower the target", env=moved)
    day = datetime.now(ZoneInfo(WEST)).date().isoformat()  # the real day in the west, one before the east's
    args = ("align", "--today", day, "--cycle", "2026-Q4", "--format", "concise", "--select", "OKR601")
    store = tmp_path / "store"

    west = _okrctl(repo, WEST, store, *args)
    assert "OKR601" in west.stdout, west.stdout + west.stderr  # the real day: all of the history
    east = _okrctl(repo, EAST, store, *args)
    fresh = _okrctl(repo, EAST, None, *args)
    assert "OKR601" not in fresh.stdout, fresh.stdout  # a day before the real one: the move is after it
    assert (east.returncode, east.stdout) == (fresh.returncode, fresh.stdout)
