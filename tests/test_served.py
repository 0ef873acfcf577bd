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
