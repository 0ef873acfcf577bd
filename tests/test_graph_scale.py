"""Graph walks are iterative and linear: long alignment chains and deep unit trees.

No timing asserts: the sizes are ones where a linear walk is instant and the old recursive or
cubic one either overflows Python's stack (about 1,000 frames) or needs minutes; operation
counts check the rest.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY

CHAIN = 1100  # deeper than Python's default recursion limit


def chain_repo(folder: Path, units: int, objectives: int, *, per_file: int = 400) -> Path:
    """A unit tree that is one long parent chain; the last ``objectives`` units each have an
    objective aligned to the objective of the unit above (the first one to the strategy)."""
    folder.mkdir(parents=True)
    (folder / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: Chain\n")
    docs = [
        f"apiVersion: okrctl/v1\nkind: Unit\nid: u{i}\nname: Unit {i}\ntype: {'company' if i == 0 else 'team'}"
        + (f"\nparent: u{i - 1}" if i else "")
        + "\n"
        for i in range(units)
    ]
    (folder / "units.yaml").write_text("---\n".join(docs))
    first = units - objectives
    (folder / "strategy.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Strategy\nid: plan\nowner: u0\ncycle: '2026'\n"
        "priorities:\n  - {id: grow, title: Grow}\n"
    )
    objs = []
    for i in range(first, units):
        target = "plan/grow" if i == first else f"o{i - 1}"
        objs.append(
            f"apiVersion: okrctl/v1\nkind: Objective\nid: o{i}\nowner: u{i}\ncycle: 2026-Q4\n"
            f"title: Objective {i}\naligns: [{{to: {target}}}]\nkey_results:\n"
            f"  - {{id: a{i}, title: Signups rise to {i}, metric: signups-{i}, baseline: 1, target: {i + 2}}}\n"
            f"  - {{id: b{i}, title: Visits rise to {i}, metric: visits-{i}, baseline: 1, target: {i + 2}}}\n"
        )
    (folder / "okrs").mkdir()
    for k in range(0, len(objs), per_file):
        (folder / "okrs" / f"part-{k:05d}.yaml").write_text("---\n".join(objs[k : k + per_file]))
    return folder


@pytest.fixture(scope="module")
def long_chain(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return chain_repo(tmp_path_factory.mktemp("chain") / "repo", CHAIN, CHAIN)


@pytest.mark.parametrize(
    "command",
    [
        ["align", "--format", "json"],
        ["report", "--unit", "u0"],
        ["report", "--unit", "u0", "--format", "json"],
        ["report", "--unit", "u0", "--format", "markdown"],
        ["report", "--unit", "u0", "--format", "html"],
        ["map", "--unit", "u0"],
        ["map", "--unit", "u0", "--format", "mermaid"],
        ["map", "--unit", "u0", "--format", "dot"],
        ["map", "--unit", "u0", "--format", "json"],
    ],
    ids=lambda c: " ".join(c),
)
@pytest.mark.slow
def test_an_alignment_chain_deeper_than_the_python_stack_works_everywhere(cli, long_chain, command):
    # (The chain lives outside git: the report reads no history, without a word about it.)
    history = ["--no-history"] if command[0] == "report" else []
    result = cli(*command, *history, "--repo", str(long_chain), "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    said = result.stderr.splitlines()
    if command[-1] == "mermaid":  # thousands of boxes: past what Mermaid draws, which is said
        assert len(result.stdout) > 50_000
        assert [line.partition(" is ")[0] for line in said] == ["okrctl: note: the Mermaid map"]
    else:
        assert said == []


@pytest.mark.slow
def test_the_report_follows_the_whole_chain_in_order(cli, long_chain):
    result = cli("report", "--unit", "u0", "--format", "json", "--repo", str(long_chain), "--today", DEMO_DAY)
    report = json.loads(result.stdout)
    [strategic] = [o for o in report["objectives"] if o["id"] == "o0"]
    depths = [(c["id"], c["depth"]) for c in strategic["contributors"]]
    assert depths == [(f"o{i}", i) for i in range(1, CHAIN)]
    assert strategic["contributors"][2]["via"] == ["o1", "o2"]


@pytest.mark.slow
def test_the_map_layers_a_long_chain_one_below_the_other(cli, long_chain):
    from okrctl.load.pipeline import load_repo
    from okrctl.views.map import build_map

    repo = load_repo(long_chain, use_cache=False)
    amap = build_map(repo, today=date(2026, 11, 20), unit="u0")
    layers = amap.layers()
    assert layers["plan/grow"] == 0
    assert [layers[f"o{i}"] for i in range(0, CHAIN, 100)] == [i + 1 for i in range(0, CHAIN, 100)]


def test_a_unit_tree_that_is_one_long_chain_is_checked_in_linear_steps(cli, tmp_path, monkeypatch):
    """3,000 units in one chain and 200 objectives at its bottom: the old walks needed ~10^9 steps."""
    from okrctl.load.index import Repo

    repo = chain_repo(tmp_path / "deep", 3000, 200)
    walked = {"parents": 0}
    real_unit = Repo.unit

    def counting_unit(self, unit_id):
        walked["parents"] += 1
        return real_unit(self, unit_id)

    monkeypatch.setattr(Repo, "unit", counting_unit)
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["summary"]["error"] == 0
    # A linear check looks each unit up a bounded number of times (here: about 6 per unit).
    assert walked["parents"] < 20 * 3000


def test_is_ancestor_answers_like_walking_the_parents(tmp_path):
    from okrctl.load.pipeline import load_repo

    folder = tmp_path / "tree"
    folder.mkdir()
    (folder / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n")
    parents = {"root": None, "a": "root", "b": "a", "c": "a", "d": "c", "x": "y", "y": "x", "z": "x", "o": "gone"}
    docs = [
        f"apiVersion: okrctl/v1\nkind: Unit\nid: {u}\nname: {u}" + (f"\nparent: {p}" if p else "") + "\n"
        for u, p in parents.items()
    ]
    (folder / "units.yaml").write_text("---\n".join(docs))
    repo = load_repo(folder, use_cache=False)
    for unit in parents:
        for candidate in parents:
            assert repo.is_ancestor(candidate, unit) == (candidate in repo.ancestors(unit)), (candidate, unit)
    assert repo.ancestors("d") == ["c", "a", "root"]
    assert repo.ancestors("z") == ["x", "y"]
    assert repo.is_ancestor("y", "z") and not repo.is_ancestor("z", "y")
