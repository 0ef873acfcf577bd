"""A unit cut off from the unit tree (its parent is no unit, OKR104; parents in a loop, OKR106) is an
error ``align`` reports; the organisation's views still show its objectives, never drop them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY

UNITS = "units/acme.yaml"


def _reparent(root: Path, parents: dict[str, str]) -> None:
    """Give the units of the saas example (one file, a document each) other parents."""
    file = root / UNITS
    documents = file.read_text(encoding="utf-8").split("\n---\n")
    for index, document in enumerate(documents):
        for unit, parent in parents.items():
            if f"\nid: {unit}\n" in document:
                assert "parent: acme" in document
                documents[index] = document.replace("parent: acme", f"parent: {parent}")
    file.write_text("\n---\n".join(documents), encoding="utf-8")


CASES = {
    "a parent that is no unit": ({"marketing": "nowhere"}, "OKR104", ["marketing"]),
    "parents in a loop": ({"marketing": "sales", "sales": "marketing"}, "OKR106", ["marketing", "sales"]),
}


@pytest.fixture(params=list(CASES), ids=list(CASES))
def cut_off(request, copy_example: Callable[[str], Path]) -> tuple[Path, list[str]]:
    parents, code, units = CASES[request.param]
    root = copy_example("saas")
    _reparent(root, parents)
    return root, [code, *units]


def _json(cli, root: Path, *args: str) -> dict:
    result = cli(*args, "--repo", str(root), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_align_reports_the_cut(cli, cut_off) -> None:
    root, (code, *_units) = cut_off
    result = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", "concise")
    assert result.exit_code == 1
    assert f"{UNITS}:" in result.stdout and f" {code} error " in result.stdout


def test_the_views_of_the_organisation_still_show_its_objectives(cli, cut_off) -> None:
    root, (_code, *units) = cut_off
    owned = {"marketing": "nps-above-90", "sales": "trials-to-subscriptions"}
    wanted = {owned[u] for u in units}

    amap = _json(cli, root, "map")
    assert wanted <= {n["id"] for n in amap["nodes"] if n["kind"] == "objective" and n["in_scope"]}
    # placed where its own alignment says: Marketing adopts the company's key result
    assert {(link["from"], link["to"]) for link in amap["links"]} >= {("nps-above-90", "subscriptions-5000")}
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY).stdout
    assert "Marketing · nps-above-90" in text

    trends = _json(cli, root, "trends")
    assert wanted <= {t["id"] for t in trends["teams"]}
    status = _json(cli, root, "status")
    assert wanted <= {o["id"] for o in status["objectives"]}
    retro = _json(cli, root, "retro", "--unit", "acme")
    assert wanted <= {o["id"] for o in retro["objectives"]}
    digest = _json(cli, root, "digest")
    assert set(units) <= set(digest["checked_in"])

    report = _json(cli, root, "report")
    health = {b["unit"]: b["objectives"] for b in report["business_units"]}
    # every team's objective counted once in the health table, the cut-off ones too (the five
    # teams' one each; the company's own objective is in no business unit)
    assert sum(health.values()) == 5
    assert units[0] in health


def test_a_view_of_a_unit_below_the_root_stays_its_subtree(cli, copy_example) -> None:
    root = copy_example("saas")
    _reparent(root, {"marketing": "nowhere"})
    amap = _json(cli, root, "map", "--unit", "sales")
    assert {n["id"] for n in amap["nodes"] if n["kind"] == "objective" and n["in_scope"]} == {"trials-to-subscriptions"}


def test_the_site_keeps_a_page_and_a_directory_entry_for_a_cut_off_team(cli, cut_off, tmp_path) -> None:
    """The site of the root, like the report, covers the units cut off from the tree: each keeps
    its team page (its check-in log) and its line in the directory, which the index links from."""
    root, (_code, *units) = cut_off
    outdir = tmp_path / "site"
    result = cli("site", str(outdir), "--repo", str(root), "--today", DEMO_DAY, "--no-history")
    assert result.exit_code == 0, result.output
    directory = (outdir / "directory.html").read_text(encoding="utf-8")
    for unit in units:
        assert (outdir / "teams" / f"{unit}.html").is_file(), unit
        assert f'href="teams/{unit}.html"' in directory, unit
