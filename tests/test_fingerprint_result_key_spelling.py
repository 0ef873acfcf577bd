"""A finding on a result key is about the key result the key names, not about how it is spelt.

docs/format.md lets a check-in's ``results``, a reading's ``values`` and a retro's ``scores`` write a
key as ``kr-id`` or as ``objective-id/kr-id``, and OKR503's hint asks for the second. Writing a key
out in full is no change to what is reported: a finding that was on the key stays the same finding
against a baseline (``align --baseline --strict`` passes, ``diff`` introduces and resolves
nothing), at the key as the file now writes it. A finding on another key result is still new.

Each test commits banco with the finding on ``main`` and re-spells the key on a branch.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git
from tests.helpers_align import EXAMPLES, TODAY, align

CHECKIN = Path("checkins/discover/2026-11-20.yaml")
READING = Path("readings/discover/2026-11-20.yaml")
END_RETRO = Path("retros/2026-Q4/discover-end.yaml")
BARE = "onboarding-completion"
FULL = "discover-first-week/onboarding-completion"

A_READING = """\
apiVersion: okrctl/v1
kind: Reading
owner: discover
date: 2026-11-20
source: kpis.csv
values:
  {key}: 790
"""

# Two lines for one key result: the second is OKR102 ("given twice"), whichever spelling comes first.
AN_END_RETRO = """\
apiVersion: okrctl/v1
kind: Retro
owner: discover
cycle: 2026-Q4
stage: end
date: 2026-11-20
scores:
  {first}: 0.7
  {second}: 0.7
"""


@pytest.fixture
def banco(tmp_path: Path, git_repo: Callable[..., Path]) -> Path:
    """banco as a git repository with nothing committed yet."""
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    return git_repo(root, commit=False)


def _write(root: Path, rel: Path, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def _replace(root: Path, rel: Path, old: str, new: str) -> None:
    text = (root / rel).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    _write(root, rel, text.replace(old, new))


def _commit_on_main_then_branch(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "main with a finding")
    git(root, "checkout", "-q", "-b", "change")


def _commit(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "the change")


def _gate(root: Path) -> tuple[int, list[dict[str, Any]]]:
    """``align --baseline main --strict --show-existing`` as json: the exit code and the findings."""
    result = align(root, "--format", "json", "--baseline", "main", "--strict", "--show-existing")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)["findings"]


def _diff(cli: Any, root: Path) -> str:
    result = cli("diff", "main", "--repo", str(root), "--today", TODAY)
    assert result.exit_code == 0, result.output
    return str(result.output)


def _introduces_nothing(shown: str) -> bool:
    """Whether ``diff``'s text says the change introduces and resolves no finding."""
    said = "Findings this change introduces: none" in shown or "the same objectives, check-ins and findings" in shown
    return said and "Findings this change resolves" not in shown


def test_a_checkin_result_key_written_out_in_full_keeps_its_far_off_finding(banco: Path, cli: Any) -> None:
    _replace(banco, CHECKIN, f"  {BARE}: 79\n", f"  {BARE}: 790\n")
    _commit_on_main_then_branch(banco)
    before = [f for f in _gate(banco)[1] if f["code"] == "OKR509"]
    _replace(banco, CHECKIN, f"  {BARE}: 790\n", f"  {FULL}: 790\n")
    _commit(banco)

    code, findings = _gate(banco)
    assert code == 0
    far_off = [f for f in findings if f["code"] == "OKR509"]
    assert [(f["path"], f["line"], f["column"], f["new"]) for f in far_off] == [(str(CHECKIN), 10, 46, False)]
    assert [f["fingerprint"] for f in far_off] == [f["fingerprint"] for f in before]
    shown = _diff(cli, banco)
    assert _introduces_nothing(shown), shown


def test_a_key_written_in_full_then_bare_again_keeps_its_finding(banco: Path) -> None:
    _replace(banco, CHECKIN, f"  {BARE}: 79\n", f"  {FULL}: 790\n")
    _commit_on_main_then_branch(banco)
    _replace(banco, CHECKIN, f"  {FULL}: 790\n", f"  {BARE}: {{value: 790, note: from the dashboard}}\n")
    _commit(banco)

    code, findings = _gate(banco)
    assert code == 0
    assert [(f["code"], f["line"], f["new"]) for f in findings if f["code"] == "OKR509"] == [("OKR509", 10, False)]


def test_a_far_off_value_of_another_key_result_is_still_new(banco: Path, cli: Any) -> None:
    _replace(banco, CHECKIN, f"  {BARE}: 79\n", f"  {BARE}: 790\n")
    _commit_on_main_then_branch(banco)
    _replace(banco, CHECKIN, f"  {BARE}: 790\n", f"  {FULL}: 790\n")
    _replace(banco, CHECKIN, "  setup-tickets: 332\n", "  discover-first-week/setup-tickets: 33200\n")
    _commit(banco)

    code, findings = _gate(banco)
    assert code == 1
    assert sorted((f["message"].split(":")[0], f["new"]) for f in findings if f["code"] == "OKR509") == [
        (FULL, False),
        ("discover-first-week/setup-tickets", True),
    ]
    shown = _diff(cli, banco)
    assert "Findings this change introduces: 1 (1 warning)" in shown
    assert "Findings this change resolves" not in shown


def test_a_reading_value_key_written_out_in_full_keeps_its_far_off_finding(banco: Path, cli: Any) -> None:
    _write(banco, READING, A_READING.format(key=BARE))
    _commit_on_main_then_branch(banco)
    _write(banco, READING, A_READING.format(key=FULL))
    _commit(banco)

    code, findings = _gate(banco)
    assert code == 0
    assert [(f["path"], f["new"]) for f in findings if f["code"] == "OKR509"] == [(str(READING), False)]
    shown = _diff(cli, banco)
    assert _introduces_nothing(shown), shown


def test_a_retro_score_given_twice_stays_one_finding_when_its_two_spellings_swap(banco: Path, cli: Any) -> None:
    _write(banco, END_RETRO, AN_END_RETRO.format(first=FULL, second=BARE))
    _commit_on_main_then_branch(banco)
    _write(banco, END_RETRO, AN_END_RETRO.format(first=BARE, second=FULL))
    _commit(banco)

    code, findings = _gate(banco)
    assert code == 0
    twice = [f for f in findings if f["code"] == "OKR102"]
    # Shown at the second line, the full spelling now; the same finding as at the bare one before.
    assert [(f["path"], f["line"], f["new"]) for f in twice] == [(str(END_RETRO), 9, False)]
    assert f"as '{BARE}' and as '{FULL}'" in twice[0]["message"]
    shown = _diff(cli, banco)
    assert _introduces_nothing(shown), shown
