"""A key result's values in JSON keep their precision: only ratios are rounded to 4 decimals.

A forecast or an expected value is in the key result's own unit: a failure rate of 0.000023 must
not read 0.0 (below its baseline) next to a forecast progress of 65%.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

TODAY = "2026-10-29"  # day 28 of 2026-Q4 (2026-10-01 → 2026-12-31, 91 days)

OBJECTIVE = """\
apiVersion: okrctl/v1
kind: Objective
id: reliable
owner: ops
cycle: 2026-Q4
title: Fewer lost payments
key_results:
  - id: tiny
    title: Recovered-payment share grows from 0.00001 to 0.00003
    baseline: 0.00001
    target: 0.00003
"""


@pytest.fixture
def tiny_repo(tmp_path: Path, git_repo) -> Path:
    """One key result from 0.00001 to 0.00003, checked in on days 14 and 28 of the cycle.

    The forecast line runs through (0, 0.00001) (14, 0.000012) (28, 0.000014): 0.000002 every 14
    days, so at day 91 it reads 0.00001 + 91 × 0.000002 / 14 = 0.000023, progress 13 / 20 = 0.65.
    Expected now, on day 28: 0.00001 + 0.00002 × 28 / 91.
    """
    root = tmp_path / "org"
    (root / "okrs").mkdir(parents=True)
    (root / "checkins" / "ops").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    (root / "units.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: ops\nname: Ops\n", encoding="utf-8")
    (root / "okrs" / "ops.yaml").write_text(OBJECTIVE, encoding="utf-8")
    for day, value in (("2026-10-15", "0.000012"), ("2026-10-29", "0.000014")):
        (root / "checkins" / "ops" / f"{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: ops\ndate: {day}\nconfidence: 6\nresults:\n  tiny: {value}\n",
            encoding="utf-8",
        )
    return git_repo(root)


def test_status_json_gives_a_tiny_forecast_in_full(cli, tiny_repo: Path) -> None:
    result = cli("status", "--repo", str(tiny_repo), "--team", "ops", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [kr] = json.loads(result.stdout)["objectives"][0]["key_results"]
    # The value as worked out by hand, float noise dropped: not 0.0 (4 decimals), below the baseline.
    assert kr["forecast"] == 0.000023
    # Ratios stay at 4 decimals.
    assert (kr["progress"], kr["expected"], kr["forecast_progress"]) == (0.2, 0.3077, 0.65)


def test_report_json_gives_a_tiny_forecast_and_expected_value_in_full(cli, tiny_repo: Path) -> None:
    result = cli("report", "--repo", str(tiny_repo), "--unit", "ops", "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    [kr] = json.loads(result.stdout)["objectives"][0]["key_results"]
    assert kr["forecast"] == 0.000023
    chart = kr["chart"]
    assert chart["forecast"] == 0.000023
    assert chart["expected_now"] == pytest.approx(0.00001 + 0.00002 * 28 / 91, rel=1e-11)
    assert chart["forecast_progress"] == 0.65


def test_float_noise_is_dropped_and_large_values_keep_their_whole_units() -> None:
    """Twelve significant digits: what a float adds past them goes, no whole unit of a large value does."""
    from okrctl.render.numbers import json_value

    assert json_value(0.1 + 0.2) == 0.3
    assert json_value(262.49999999999997) == 262.5
    assert json_value(0.0000752123) == 0.0000752123
    assert json_value(1_234_567_890_123_456.0) == 1_234_567_890_123_456.0
    assert json_value(None) is None
