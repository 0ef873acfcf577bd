"""`okrctl map`: what a context objective (one the map's objectives align to) is said to be."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.conftest import DEMO_DAY

LOST = """apiVersion: okrctl/v1
kind: Unit
id: lost
name: Lost
type: team
parent: nowhere
"""

LOST_OBJECTIVE = """apiVersion: okrctl/v1
kind: Objective
id: lost-objective
owner: lost
cycle: 2026-Q4
title: Lost objective
aligns: [{to: digital-first-week}]
key_results:
  - {id: k, title: k, unit: '%', baseline: 0, target: 10}
  - {id: k2, title: k2, unit: '%', baseline: 0, target: 10}
"""


def context_labels(text: str) -> dict[str, str]:
    """Objective id → what its line says in brackets at its end, for the context objectives."""
    out = {}
    for line in text.splitlines():
        if " · confidence " in line and line.endswith(")"):
            objective = line.split(" · ")[1]
            out[objective] = line[line.rindex("(") + 1 : -1]
    return out


def test_a_peer_units_objective_is_not_said_to_be_above_the_unit(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """Discover aligns to an objective of Identity Platform, its peer (OKR205): the map of Discover
    called it "(above the unit)", as it does Digital Services' objective (its parent's)."""
    root = copy_example("banco")
    file = root / "okrs/2026-Q4/discover.yaml"
    old = "  - {to: digital-first-week, type: directional}\n"
    assert old in file.read_text(encoding="utf-8")
    file.write_text(
        file.read_text(encoding="utf-8").replace(old, old + "  - {to: identity-fast-kyc}\n", 1), encoding="utf-8"
    )
    git_repo(root)
    assert "a peer unit" in cli("align", "--repo", str(root), "--today", DEMO_DAY).stdout
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY, "--unit", "discover").stdout
    assert context_labels(text) == {"digital-first-week": "above the unit", "identity-fast-kyc": "another unit"}


def test_a_unit_cut_off_from_the_tree_has_nothing_above_it(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """A team whose parent names no unit (OKR104) has no ancestor: the objective of Digital
    Services it aligns to is another unit's, not "above the unit"."""
    root = copy_example("banco")
    (root / "units/lost.yaml").write_text(LOST, encoding="utf-8")
    (root / "okrs/2026-Q4/lost.yaml").write_text(LOST_OBJECTIVE, encoding="utf-8")
    git_repo(root)
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY, "--unit", "lost").stdout
    assert "(above the unit)" not in text
    assert context_labels(text) == {"digital-first-week": "another unit"}
