"""The store against a run without it: random edits of banco, each followed by one command.

Each round edits a line of a random file (removes it, doubles it, changes its digits, adds a
``# okrctl: ignore[OKR502]`` comment or a trailing comment) or commits the work tree, then runs
``align`` (some format, day, selection or cycles), the pull-request gate against HEAD, ``diff
HEAD`` or a view (status, report, trends, retro, map, digest, plan, a check-in's dry run) once
with okrctl's store and once without it. Exit code and output must be the same: the store (parsed entries, stat rows,
places, kept findings, memoised output) may change how fast an answer comes, never what it says.
The same store serves every round, so later rounds meet what earlier ones kept for another
content, another day or the other side of a ``diff``.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, git
from tests.helpers_git import commit_at, hermetic_git

STAMP = {
    "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00",
    "GIT_AUTHOR_NAME": "Ana Example",
    "GIT_AUTHOR_EMAIL": "ana@example.com",
    "GIT_COMMITTER_NAME": "Ana Example",
    "GIT_COMMITTER_EMAIL": "ana@example.com",
}
DAYS = ["2026-10-05", "2026-11-20", "2026-12-31", "2027-01-10"]
ALIGN = [
    ["--format", "json"],
    ["--format", "sarif"],
    ["--format", "concise"],
    ["--format", "json", "--select", "OKR5"],
    ["--format", "json", "--cycle", "all"],
    ["--format", "concise", "--no-history"],
    ["--format", "json", "--ignore", "OKR502"],
]

VIEWS = [
    ["status", "--format", "json"],
    ["status", "--team", "cards", "--format", "json"],
    ["report", "--format", "json", "--no-history"],
    ["trends", "--format", "json"],
    ["retro", "--team", "discover", "--format", "json"],
    ["map", "--format", "json"],
    ["digest", "--format", "json"],
    ["plan", "--team", "cards", "--format", "json"],
    ["checkin", "--team", "cards", "-c", "6", "--dry-run", "--date", "2026-11-27"],
]


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def _edit(rng: random.Random, files: list[Path]) -> None:
    path = rng.choice(files)
    lines = path.read_text(encoding="utf-8").splitlines(True)
    if not lines:
        return
    at, how = rng.randrange(len(lines)), rng.random()
    if how < 0.3:
        del lines[at]
    elif how < 0.5:
        lines.insert(at, lines[at])
    elif how < 0.7:
        lines[at] = lines[at].replace("7", "3").replace("0", "9")
    elif how < 0.85:
        lines.insert(at, "# okrctl: ignore[OKR502]\n")
    else:
        lines[at] = lines[at].rstrip("\n") + "  # note\n"
    path.write_text("".join(lines), encoding="utf-8")


def rounds(cli, tmp_path: Path, seed: int, count: int) -> list[str]:
    """What differed, round by round (empty when every answer with the store was the one without)."""
    rng = random.Random(seed)
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-09-20", "OKRs for 2026-Q4")
    files = sorted(root.rglob("*.yaml"))
    differed: list[str] = []
    for number in range(count):
        step = rng.random()
        if step < 0.35:
            _edit(rng, files)
        elif step < 0.45:
            git(root, "add", "-A")
            git(root, "commit", "-q", "--allow-empty", "--no-verify", "-m", f"round {number}", env=STAMP)
        day, options, pick = rng.choice(DAYS), rng.choice(ALIGN), rng.random()
        if pick < 0.1:
            command = ["diff", "HEAD", "--today", day, "--format", "json"]
        elif pick < 0.25:
            command = ["align", "--baseline", "HEAD", "--today", day, "--format", "json", "--show-existing"]
        elif pick < 0.55:
            command = [*rng.choice(VIEWS), "--today", day]
        else:
            command = ["align", "--today", day, *options]
        kept = cli(*command, "--repo", str(root))
        alone = cli(*command, "--repo", str(root), env={"OKRCTL_NO_CACHE": "1"})
        if (kept.exit_code, kept.stdout) != (alone.exit_code, alone.stdout) or "Traceback" in kept.output:
            differed.append(f"round {number}: {' '.join(command)}")
    return differed


@pytest.mark.slow  # 8.6 s a seed: with the longer runs, in CI
@pytest.mark.parametrize("seed", [1, 2])
def test_the_store_never_changes_an_answer(cli, parsed, tmp_path: Path, seed: int) -> None:
    assert rounds(cli, tmp_path, seed, 60) == []


@pytest.mark.slow
@pytest.mark.parametrize("seed", [3, 4, 5, 6])
def test_the_store_never_changes_an_answer_over_longer_runs(cli, parsed, tmp_path: Path, seed: int) -> None:
    assert rounds(cli, tmp_path, seed, 150) == []
