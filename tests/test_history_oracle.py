"""``history`` against a plain reading of every commit: random histories of the objective files.

Each history starts from the banco example committed before its cycle starts, then makes commits
after the start that change a target, remove an objective file, put a removed file back (at its
path or another, its target changed or not), or move a file (removed and added in one commit).
The oracle reads the whole tree at each commit and calls a move every target that differs from the
last value the key result had when it was last seen, however long it was gone: what a reviewer
means by "the target moved after the cycle started". ``history`` must list exactly those moves.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import EXAMPLES, git
from tests.helpers_git import commit_at, hermetic_git


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def targets(repo: Path) -> dict[tuple[str, str], object]:
    """(objective, key result) -> target, over every objective file of the tree as it is."""
    yaml = YAML(typ="safe", pure=True)
    found: dict[tuple[str, str], object] = {}
    for path in sorted((repo / "okrs").rglob("*.yaml")):
        for document in yaml.load_all(path.read_text(encoding="utf-8")):
            if isinstance(document, dict) and document.get("kind") == "Objective":
                for kr in document.get("key_results") or []:
                    if "target" in kr:
                        found[(document["id"], kr["id"])] = kr["target"]
    return found


def retarget(text: str, rng: random.Random) -> str:
    """One key result's target set to a random number (never its baseline: the file stays valid)."""
    lines = text.split("\n")
    at = [number for number, line in enumerate(lines) if line.startswith("    target: ")]
    if not at:
        return text
    chosen = rng.choice(at)
    baselines = [line for line in lines[max(chosen - 5, 0) : chosen] if line.startswith("    baseline: ")]
    value = rng.randint(1, 5000)
    if baselines and baselines[-1] == f"    baseline: {value}":
        value += 1
    lines[chosen] = f"    target: {value}"
    return "\n".join(lines)


def random_history(repo: Path, rng: random.Random, commits: int) -> set[tuple[str, str, str, object, object]]:
    """Make ``commits`` random commits after the cycle's start; the moves the oracle sees."""
    last = dict(targets(repo))
    removed: dict[str, str] = {}
    moves: set[tuple[str, str, str, object, object]] = set()
    renamed = 0
    for day in range(2, 2 + commits):
        present = sorted(p.relative_to(repo).as_posix() for p in (repo / "okrs").rglob("*.yaml"))
        for _ in range(rng.randint(1, 2)):
            roll = rng.random()
            if roll < 0.4:
                path = rng.choice(present)
                (repo / path).write_text(retarget((repo / path).read_text(encoding="utf-8"), rng), encoding="utf-8")
            elif roll < 0.6 and len(present) > 1:
                path = rng.choice(present)
                removed[path] = (repo / path).read_text(encoding="utf-8")
                (repo / path).unlink()
                present.remove(path)
            elif roll < 0.85 and removed:
                path = rng.choice(sorted(removed))
                text = removed.pop(path)
                if rng.random() < 0.6:
                    text = retarget(text, rng)
                renamed += 1
                target = path if rng.random() < 0.5 else re.sub(r"(-moved-\d+)?\.yaml$", f"-moved-{renamed}.yaml", path)
                if (repo / target).exists():
                    removed[path] = text
                    continue
                (repo / target).write_text(text, encoding="utf-8")
                present.append(target)
            else:
                path = rng.choice(present)
                renamed += 1
                target = re.sub(r"(-moved-\d+)?\.yaml$", f"-moved-{renamed}.yaml", path)
                text = (repo / path).read_text(encoding="utf-8")
                if rng.random() < 0.5:
                    text = retarget(text, rng)
                (repo / path).unlink()
                (repo / target).write_text(text, encoding="utf-8")
                present[present.index(path)] = target
        if not git(repo, "status", "--porcelain"):
            continue
        sha = commit_at(repo, f"2026-10-{day:02d}", f"change {day}")
        for key, value in targets(repo).items():
            if key in last and last[key] != value:
                moves.add((sha, key[0], key[1], last[key], value))
            last[key] = value
    return moves


@pytest.mark.parametrize("seed", range(6))
def test_history_lists_exactly_the_targets_moved_in_a_random_history(cli, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    git(repo, "init", "-q", "-b", "main")
    commit_at(repo, "2026-09-20", "OKRs for 2026-Q4")
    expected = random_history(repo, rng, commits=12)
    result = cli("history", "--repo", str(repo), "--today", "2026-12-31", "--format", "json")
    assert result.exit_code == 0, result.stderr
    listed = {
        (c["commit"], c["objective"], c["key_result"], c["old"], c["new"])
        for c in json.loads(result.stdout)["changes"]
        if c["field"] == "target"
    }
    assert expected, "the history moved no target: the seed tests nothing"
    assert listed == expected
