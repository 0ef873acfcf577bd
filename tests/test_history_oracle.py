"""``history`` against a plain reading of every commit: random histories of the objective files.

Each history starts from the banco example committed before its cycle starts, then makes commits
after the start that change a target, remove an objective file, put a removed file back (at its
path or another, its target changed or not), or move a file (removed and added in one commit).
The oracle reads the whole tree at each commit and calls a move every target that differs from the
last value the key result had when it was last seen, however long it was gone: what a reviewer
means by "the target moved after the cycle started". ``history`` must list exactly those moves,
and with ``--since`` those committed from that day. Histories with merges are read the same way:
each merge must be listed with exactly the targets that neither of its parents held.
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


def targets_in(texts: list[str]) -> dict[tuple[str, str], object]:
    """(objective, key result) -> target, over the objective files of these texts."""
    yaml = YAML(typ="safe", pure=True)
    found: dict[tuple[str, str], object] = {}
    for text in texts:
        for document in yaml.load_all(text):
            if isinstance(document, dict) and document.get("kind") == "Objective":
                for kr in document.get("key_results") or []:
                    if "target" in kr:
                        found[(document["id"], kr["id"])] = kr["target"]
    return found


def targets(repo: Path) -> dict[tuple[str, str], object]:
    """``targets_in`` every objective file of the tree as it is."""
    return targets_in([path.read_text(encoding="utf-8") for path in sorted((repo / "okrs").rglob("*.yaml"))])


def committed_banco(tmp_path: Path) -> Path:
    """The banco example in a new repository, committed before its cycle starts."""
    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    git(repo, "init", "-q", "-b", "main")
    commit_at(repo, "2026-09-20", "OKRs for 2026-Q4")
    return repo


def target_moves(cli, repo: Path, *options: str) -> list[dict]:
    """The target changes ``history --format json`` lists (today 2026-12-31)."""
    result = cli("history", "--repo", str(repo), "--today", "2026-12-31", *options, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [change for change in json.loads(result.stdout)["changes"] if change["field"] == "target"]


def as_move(change: dict) -> tuple[str, str, str, object, object]:
    return (change["commit"], change["objective"], change["key_result"], change["old"], change["new"])


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


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(6))
def test_history_lists_exactly_the_targets_moved_in_a_random_history(cli, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    repo = committed_banco(tmp_path)
    expected = random_history(repo, rng, commits=12)
    changes = target_moves(cli, repo)
    assert expected, "the history moved no target: the seed tests nothing"
    assert set(map(as_move, changes)) == expected
    # From a day on (``--since``): the moves committed from then, even of what was taken out before.
    since = f"2026-10-{rng.randint(4, 12):02d}"
    days = {c["commit"]: c["date"] for c in changes}
    window = target_moves(cli, repo, "--since", since)
    assert set(map(as_move, window)) == {move for move in expected if days[move[0]] >= since}


def targets_at(repo: Path, commit: str) -> dict[tuple[str, str], object]:
    """``targets_in`` every objective file of the tree of ``commit``."""
    listed = git(repo, "ls-tree", "-r", "--name-only", commit, "--", "okrs").split("\n")
    return targets_in([git(repo, "show", f"{commit}:{path}") for path in filter(None, listed)])


def set_target(repo: Path, key: tuple[str, str], value: object) -> None:
    """The target of one key result (objective id, key result id) set to ``value``, where it is."""
    for path in sorted((repo / "okrs").rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        if f"id: {key[0]}" not in lines:
            continue
        at = lines.index(f"  - id: {key[1]}", lines.index(f"id: {key[0]}"))
        line = next(n for n in range(at + 1, len(lines)) if lines[n].startswith("    target: "))
        lines[line] = f"    target: {value}"
        path.write_text("\n".join(lines), encoding="utf-8")
        return


def random_merges(repo: Path, rng: random.Random, rounds: int) -> set[tuple[str, str, str, object, object]]:
    """Rounds of a branch and main each retargeting key results, then a merge that settles each
    key result on main's value, the branch's or a value of its own; what each merge set itself:
    every target it holds that neither parent held, moved from its first parent's."""
    main = git(repo, "rev-parse", "--abbrev-ref", "HEAD").strip()
    keys = sorted(targets(repo))
    expected: set[tuple[str, str, str, object, object]] = set()
    day = 2
    for number in range(rounds):
        git(repo, "switch", "-q", "-c", f"side-{number}")
        for _ in range(rng.randint(1, 3)):
            set_target(repo, rng.choice(keys), rng.randint(1, 5000))
            commit_at(repo, f"2026-10-{day:02d}", "on the branch", name="Bo Branch", email="bo@example.com")
            day += 1
        side = targets(repo)
        git(repo, "switch", "-q", main)
        for _ in range(rng.randint(0, 2)):
            set_target(repo, rng.choice(keys), rng.randint(1, 5000))
            commit_at(repo, f"2026-10-{day:02d}", "on main")
            day += 1
        ours = targets(repo)
        git(
            repo,
            "-c",
            "user.name=Di",
            "-c",
            "user.email=di@example.com",
            "merge",
            "-q",
            "--no-commit",
            "-s",
            "ours",
            f"side-{number}",
        )
        for key in keys:
            roll = rng.random()
            if roll < 0.4:
                set_target(repo, key, side[key])
            elif roll < 0.55:
                set_target(repo, key, rng.randint(1, 5000))
        merge = commit_at(repo, f"2026-10-{day:02d}", f"merge side-{number}", name="Di Merger", email="di@example.com")
        day += 1
        now = targets(repo)
        for key, value in now.items():
            if value not in (ours[key], side[key]):
                expected.add((merge, key[0], key[1], ours[key], value))
    return expected


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(4))
def test_history_lists_what_each_merge_set_itself(cli, tmp_path: Path, seed: int) -> None:
    """Merges in a random history: each is listed with exactly the targets no parent held."""
    rng = random.Random(seed)
    repo = committed_banco(tmp_path)
    expected = random_merges(repo, rng, rounds=4)
    merges = set(filter(None, git(repo, "rev-list", "--merges", "HEAD").split("\n")))
    for merge in merges:  # the oracle's own reading agrees with the trees git holds
        parents = git(repo, "rev-list", "--parents", "-n", "1", merge).split()[1:]
        at, first, second = targets_at(repo, merge), targets_at(repo, parents[0]), targets_at(repo, parents[1])
        assert {
            (merge, *key, first[key], value) for key, value in at.items() if value not in (first[key], second[key])
        } == {move for move in expected if move[0] == merge}
    listed = {as_move(change) for change in target_moves(cli, repo) if change["commit"] in merges}
    assert expected, "no merge set a target of its own: the seed tests nothing"
    assert listed == expected
