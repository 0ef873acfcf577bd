"""``history`` against a plain reading of every commit: random histories of the objective files.

Each history starts from the banco example committed before its cycle starts, then makes commits
after the start that change a target, remove an objective file, put a removed file back (at its
path or another, its target changed or not), or move a file (removed and added in one commit).
The oracle reads the whole tree at each commit and calls a move every target that differs from the
last value the key result had when it was last seen, however long it was gone: what a reviewer
means by "the target moved after the cycle started". ``history`` must list exactly those moves,
and with ``--since`` those committed from that day.
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


def take_out_key_result(text: str, rng: random.Random) -> tuple[str, tuple[str, str] | None]:
    """``text`` without one key result of one of its objectives (never the last one), and the
    objective's id with the key result's lines; None when none can go."""
    lines = text.split("\n")
    starts = [n for n, line in enumerate(lines) if line.startswith("  - id: ")]
    chosen = [n for n in starts if sum(1 for m in starts if _objective_at(lines, m) == _objective_at(lines, n)) > 1]
    if not chosen:
        return text, None
    start = rng.choice(chosen)
    end = start + 1
    while end < len(lines) and lines[end].startswith("    "):
        end += 1
    block = "\n".join(lines[start:end])
    return "\n".join(lines[:start] + lines[end:]), (_objective_at(lines, start), block)


def _objective_at(lines: list[str], number: int) -> str:
    return next(line[4:] for line in reversed(lines[:number]) if line.startswith("id: "))


def put_back_key_result(repo: Path, objective_id: str, block: str) -> bool:
    """The key result's lines put back at the top of its objective's key results, where the
    objective is now; False when no file holds it."""
    for path in sorted((repo / "okrs").rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        if f"id: {objective_id}" not in lines:
            continue
        at = lines.index(f"id: {objective_id}")
        heading = next(n for n in range(at, len(lines)) if lines[n] == "key_results:")
        path.write_text("\n".join([*lines[: heading + 1], block, *lines[heading + 1 :]]), encoding="utf-8")
        return True
    return False


def random_history(repo: Path, rng: random.Random, commits: int) -> set[tuple[str, str, str, object, object]]:
    """Make ``commits`` random commits after the cycle's start; the moves the oracle sees."""
    last = dict(targets(repo))
    removed: dict[str, str] = {}
    krs_out: list[tuple[str, str]] = []
    moves: set[tuple[str, str, str, object, object]] = set()
    renamed = 0
    for day in range(2, 2 + commits):
        present = sorted(p.relative_to(repo).as_posix() for p in (repo / "okrs").rglob("*.yaml"))
        for _ in range(rng.randint(1, 2)):
            roll = rng.random()
            if roll < 0.12:  # an objective of a file of several taken out, to come back in a file of its own
                path = rng.choice(present)
                documents = (repo / path).read_text(encoding="utf-8").split("\n---\n")
                if len(documents) > 1:
                    out = documents.pop(rng.randrange(1, len(documents)))
                    (repo / path).write_text("\n---\n".join(documents), encoding="utf-8")
                    renamed += 1
                    removed[f"okrs/2026-Q4/taken-{renamed}.yaml"] = out
                continue
            if roll < 0.22:  # a key result taken out, or one taken out put back
                if krs_out and rng.random() < 0.5:
                    objective_id, block = krs_out.pop(rng.randrange(len(krs_out)))
                    if rng.random() < 0.5:
                        block = retarget(block, rng)
                    if not put_back_key_result(repo, objective_id, block):
                        krs_out.append((objective_id, block))
                else:
                    path = rng.choice(present)
                    text, out = take_out_key_result((repo / path).read_text(encoding="utf-8"), rng)
                    if out is not None:
                        (repo / path).write_text(text, encoding="utf-8")
                        krs_out.append(out)
                continue
            if roll < 0.45:
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
    # From a day on (``--since``): the moves committed from then, even of what was taken out before.
    since = f"2026-10-{rng.randint(4, 12):02d}"
    window = cli("history", "--repo", str(repo), "--today", "2026-12-31", "--since", since, "--format", "json")
    assert window.exit_code == 0, window.stderr
    days = {c["commit"]: c["date"] for c in json.loads(result.stdout)["changes"]}
    assert {
        (c["commit"], c["objective"], c["key_result"], c["old"], c["new"])
        for c in json.loads(window.stdout)["changes"]
        if c["field"] == "target"
    } == {move for move in expected if days[move[0]] >= since}
