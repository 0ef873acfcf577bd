"""``okrctl plan``: what its JSON says of each key result, and what its headings say of the cycles
the items come from (beside ``test_plan.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY
from tests.helpers_git import hermetic_git


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def test_json_gives_each_key_results_type_unit_and_bounds_as_retro_does(cli, copy_example, git_repo) -> None:
    """A milestone and a maintained range are not metrics without a baseline: plan's JSON says which
    each key result is, with retro's field names, in every list of objectives."""
    folder = git_repo(copy_example("saas"))
    common = ("--repo", str(folder), "--team", "product", "--today", DEMO_DAY, "-f", "json")
    args = (*common, "--cycle", "2026-Q4")
    plan = json.loads(cli("plan", *args).stdout)
    own = {kr["id"]: kr for o in plan["own_objectives"] for kr in o["key_results"]}
    assert own["billing-automation"] == {
        "id": "billing-automation",
        "title": "Billing runs without manual steps for every plan",
        "type": "milestone",
        "unit": None,
        "baseline": None,
        "target": None,
        "min": None,
        "max": None,
        "weight": 1.0,
    }
    assert {k: own["uptime"][k] for k in ("type", "unit", "min", "max")} == {
        "type": "maintain",
        "unit": "%",
        "min": 99.9,
        "max": 100.0,
    }
    # The same fields and values as retro's JSON gives for these key results.
    retro = json.loads(cli("retro", *args).stdout)
    fields = ("id", "title", "type", "unit", "baseline", "target", "min", "max", "weight")
    retro_krs = {kr["id"]: {f: kr[f] for f in fields} for o in retro["objectives"] for kr in o["key_results"]}
    assert own == retro_krs
    # The parent's and the siblings' objectives carry them too.
    for section in ("parent_objectives", "sibling_objectives"):
        assert plan[section], section
        for objective in plan[section]:
            for kr in objective["key_results"]:
                assert set(fields) <= set(kr), (section, kr)
    parent = {kr["id"]: kr for o in plan["parent_objectives"] for kr in o["key_results"]}
    assert parent["scaled-to-5000"]["type"] == "milestone"
    # And the parent's latest objectives shown for context of a cycle it has none in yet.
    later = json.loads(cli("plan", *common, "--cycle", "2027-Q1").stdout)
    context = {kr["id"]: kr for o in later["parent_context"] for kr in o["key_results"]}
    assert context["scaled-to-5000"]["type"] == "milestone"
    assert context["site-visitors"]["type"] == "metric"
