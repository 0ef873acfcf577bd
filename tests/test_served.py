""" "Is this priority served?" has one answer (``analysis.alignment.priority_served``): align, report and map agree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from okrctl.analysis.alignment import priority_served
from tests.conftest import DEMO_DAY, EXAMPLES


@pytest.fixture
def whole_strategy(tmp_path: Path) -> Path:
    """saas, where customer-success serves the whole strategy instead of one of its priorities."""
    target = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", target)
    path = target / "okrs" / "2026-Q4" / "customer-success.yaml"
    text = path.read_text()
    assert "{to: strategy-2026/loved-by-customers, type: directional}" in text
    path.write_text(text.replace("{to: strategy-2026/loved-by-customers,", "{to: strategy-2026,"))
    return target


def _json(cli, *args: str) -> dict:
    result = cli(*args, "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def test_serving_the_whole_strategy_serves_each_priority(cli, whole_strategy: Path) -> None:
    repo = ("--repo", str(whole_strategy))
    findings = _json(cli, "align", *repo)["findings"]
    assert [f for f in findings if f["code"] == "OKR202" and "strategy-2026/" in f["message"]] == []
    assert _json(cli, "report", *repo, "--no-history")["priorities_without_contributors"] == []
    assert _json(cli, "map", *repo)["priorities_without_contributors"] == []


def test_a_priority_nothing_serves_is_named_by_all_three(cli, whole_strategy: Path) -> None:
    path = whole_strategy / "okrs" / "2026-Q4" / "customer-success.yaml"
    path.write_text(path.read_text().replace("  - {to: strategy-2026, type: directional}\n", ""))
    repo = ("--repo", str(whole_strategy))
    findings = _json(cli, "align", *repo)["findings"]
    assert any(f["code"] == "OKR202" and "strategy-2026/loved-by-customers" in f["message"] for f in findings)
    report = _json(cli, "report", *repo, "--no-history")["priorities_without_contributors"]
    assert [p["ref"] for p in report] == ["strategy-2026/loved-by-customers"]
    assert _json(cli, "map", *repo)["priorities_without_contributors"] == ["strategy-2026/loved-by-customers"]


def test_priority_served_reads_the_strategy_and_the_priority() -> None:
    assert priority_served({"s"}, "s", "p")
    assert priority_served({"s/p"}, "s", "p")
    assert not priority_served({"s/q", "t"}, "s", "p")


CS = "okrs/2026-Q4/customer-success.yaml"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("cycle: 2026-Q4", "cycle: 2026-Q5", [("OKR104", CS, "unknown cycle '2026-Q5'")]),
        ("\nkey_results:", "\ncolour: red\nkey_results:", [("OKR101", CS, "unknown field 'colour'")]),
        ("{to: strategy-2026,", "{to: strategy-2062,", [("OKR104", CS, "alignment target 'strategy-2062' does")]),
        # A slip naming another priority of the strategy serves that one, not loved-by-customers.
        (
            "{to: strategy-2026,",
            "{to: strategy-2026/grow-subscriptons,",
            [
                ("OKR104", CS, "alignment target 'strategy-2026/grow-subscriptons' does not exist"),
                ("OKR202", "strategy/2026.yaml", "strategy priority 'strategy-2026/loved-by-customers' has no"),
            ],
        ),
    ],
    ids=["unknown cycle", "broken objective", "strategy id misspelt", "another priority misspelt"],
)
def test_a_mistake_in_the_objective_serving_the_whole_strategy_leaves_its_priorities_served(
    cli, whole_strategy: Path, git_repo, old: str, new: str, expected: list[tuple[str, str, str]]
) -> None:
    """customer-success alone serves loved-by-customers, through the whole strategy. A wrong cycle, a
    broken file or a misspelt strategy id there is its one finding (docs/rules.md, "One finding per
    cause"), as when it names the priority: no OKR202 saying nothing serves loved-by-customers."""
    root = git_repo(whole_strategy)
    path = root / CS
    text = path.read_text()
    assert text.count(old) == 1
    path.write_text(text.replace(old, new))
    result = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 1, result.output
    found = [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert [(code, where) for code, where, _message in found] == [(code, where) for code, where, _ in expected]
    assert all(m.startswith(start) for (_c, _w, m), (_, _, start) in zip(found, expected, strict=True)), found
