"""``okrctl plan``: what its JSON says of each key result, and what its headings say of the cycles
the items come from (beside ``test_plan.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES
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


CARDS_2026 = """apiVersion: okrctl/v1
kind: Objective
id: cards-2026
owner: cards
cycle: "2026"
title: Grow the card business all year
aligns: [{to: digital-first-week}]
key_results:
  - {id: cards-issued, title: Cards issued 1000 to 2000 a month, baseline: 1000, target: 2000}
  - {id: cards-active, title: Active cards 50 to 70 pct, baseline: 50, target: 70}
"""


def test_where_the_team_comes_from_names_every_cycle_of_its_items(cli, copy_example, git_repo) -> None:
    """A team whose last quarter (2026-Q4) ends with its year (2026): both objectives are where it
    comes from, and the heading names both cycles, not the quarter alone."""
    folder = copy_example("banco")
    (folder / "okrs" / "2026").mkdir()
    (folder / "okrs" / "2026" / "cards.yaml").write_text(CARDS_2026, encoding="utf-8")
    git_repo(folder)
    args = ("plan", "--repo", str(folder), "--team", "cards", "--today", DEMO_DAY)
    text = cli(*args).stdout
    section = text.split("Where Cards comes from ")[1].split("\n\n")[0]
    assert section.startswith("(2026-Q4, 2026)\n"), section
    assert "first-card-moment:" in section and "cards-2026:" in section
    markdown = cli(*args, "--format", "markdown").stdout
    assert "\n## Where Cards comes from (2026-Q4, 2026)\n" in markdown
    previous = json.loads(cli(*args, "-f", "json").stdout)["previous"]
    assert [(p["id"], p["cycle"]) for p in previous] == [("first-card-moment", "2026-Q4"), ("cards-2026", "2026")]


def test_where_the_team_comes_from_names_its_one_cycle_once(cli) -> None:
    """The usual case: the objectives of one quarter, under a heading naming it once."""
    args = ("plan", "--repo", str(EXAMPLES / "banco"), "--team", "discover", "--today", DEMO_DAY)
    assert "\nWhere Discover comes from (2026-Q4)\n" in cli(*args).stdout


PAYMENTS_UNIT = (
    "apiVersion: okrctl/v1\nkind: Unit\nid: payments\nname: Payments\ntype: team\nparent: digital-services\n"
)


def test_a_draft_for_an_ended_cycle_says_the_parent_had_no_objective_not_yet(cli, copy_example, git_repo) -> None:
    """2026-Q3 ended before 2026-11-20: its draft waits for nothing ("yet", "once it has"); a cycle
    still ahead keeps them."""
    folder = copy_example("banco")
    (folder / "units" / "payments.yaml").write_text(PAYMENTS_UNIT, encoding="utf-8")
    git_repo(folder)
    args = ("plan", "--repo", str(folder), "--team", "payments", "--today", DEMO_DAY, "--write")
    assert cli(*args, "--cycle", "2026-Q3").exit_code == 0
    draft = (folder / "okrs" / "2026-Q3" / "payments.yaml").read_text(encoding="utf-8")
    assert "# TODO: digital-services had no objective for 2026-Q3; link up to what this objective served" in draft
    assert " yet" not in draft and "once it has" not in draft and "Until then" not in draft
    assert "strategy-2026/simplify-onboarding" in draft  # the targets higher up are still offered
    align = cli("align", "--repo", str(folder), "--today", DEMO_DAY)
    assert align.exit_code == 0, align.stdout
    # With nothing higher up to offer either: an ended cycle had none, one ahead has none yet.
    assert cli(*args, "--cycle", "2025-Q1").exit_code == 0
    old = (folder / "okrs" / "2025-Q1" / "payments.yaml").read_text(encoding="utf-8")
    assert "# strategy priority (none existed for this cycle): aligns: [{to: some-objective}]" in old
    assert " yet" not in old
    assert cli(*args, "--cycle", "2027-Q1").exit_code == 0
    ahead = (folder / "okrs" / "2027-Q1" / "payments.yaml").read_text(encoding="utf-8")
    assert "# strategy priority (none exists for this cycle yet): aligns: [{to: some-objective}]" in ahead
