"""Careful numbers: OKR509 reports values far outside a key result's range (fixtures good/ and bad/)."""

from __future__ import annotations

import shutil
from types import SimpleNamespace

import pytest

from okrctl.values import far_off
from tests.helpers_align import FIXTURES, GOOD_ORG, align_json, copy_org


def _org(tmp_path, kind):
    root = copy_org(GOOD_ORG, tmp_path / "org")
    shutil.copy(FIXTURES / kind / "cadence" / "OKR509.yaml", root / "okrs" / "zz-case.yaml")
    return root


def test_the_bad_fixture_reports_each_far_off_value_at_the_value(tmp_path) -> None:
    found = [f for f in align_json(_org(tmp_path, "bad"), "--select", "OKR509") if f["code"] == "OKR509"]
    assert [(f["path"], f["line"], f["severity"]) for f in found] == [
        ("okrs/zz-case.yaml", 8, "warning"),
        ("okrs/zz-case.yaml", 17, "warning"),
    ]
    assert found[0]["message"] == ("alpha-activation/setup-time: 150 is 15× the target 10")
    assert "-10 to 50" in found[0]["hint"] and "ignore[OKR509]" in found[0]["hint"]
    assert found[1]["message"] == "alpha-activation/invited-teammates: 310 is 7.8× the target 40"


def test_a_far_off_value_is_quoted_as_the_file_writes_it(tmp_path) -> None:
    """``1.5e2`` or ``0x136`` are echoed as written, not as the 150 and 310 YAML reads them as."""
    root = _org(tmp_path, "bad")
    case = root / "okrs" / "zz-case.yaml"
    text = case.read_text(encoding="utf-8").replace("setup-time: 150", "setup-time: 1.5e2")
    case.write_text(text.replace("invited-teammates: 310", "invited-teammates: {value: 0x136}"), encoding="utf-8")
    found = [f for f in align_json(root, "--select", "OKR509") if f["code"] == "OKR509"]
    assert [f["message"] for f in found] == [
        "alpha-activation/setup-time: 1.5e2 is 15× the target 10",
        "alpha-activation/invited-teammates: 0x136 is 7.8× the target 40",
    ]


def test_the_good_fixture_reports_nothing(tmp_path) -> None:
    assert align_json(_org(tmp_path, "good"), "--select", "OKR509,OKR1") == []


def _kr(baseline, target, kind="metric"):
    return SimpleNamespace(type=kind, baseline=baseline, target=target)


@pytest.mark.parametrize(
    ("baseline", "target", "value", "message"),
    [
        (65, 90, 810, "810 is 9× the target 90"),
        (65, 90, 9, "9 is 56 below the baseline 65, more than the whole distance 65 → 90"),
        (400, 280, 2800, "2800 is 10× the target 280"),
        (400, 280, 28, "28 is 252 below the target 280, more than the whole distance 400 → 280"),
        (0, 10, -11, "-11 is 11 below the baseline 0, more than the whole distance 0 → 10"),
        # The gap as the written decimals say: a float subtraction gave 18.099999999999994.
        (70, 88, 106.1, "106.1 is 18.1 above the target 88, more than the whole distance 70 → 88"),
        (1.1, 1.2, 0.7, "0.7 is 0.4 below the baseline 1.1, more than the whole distance 1.1 → 1.2"),
    ],
)
def test_far_off_values_say_how_far(baseline, target, value, message) -> None:
    found = far_off(_kr(baseline, target), value)
    assert found is not None and found.message == message


@pytest.mark.parametrize(("baseline", "target", "value"), [(65, 90, 40), (65, 90, 115), (65, 90, 79), (400, 280, 160)])
def test_values_up_to_a_whole_distance_beyond_are_believable(baseline, target, value) -> None:
    assert far_off(_kr(baseline, target), value) is None


def test_only_metric_key_results_with_a_distance_are_judged() -> None:
    assert far_off(_kr(5, 5), 500) is None
    assert far_off(SimpleNamespace(type="maintain", min=0, max=1), 500) is None
    assert far_off(_kr(65, 90), True) is None
