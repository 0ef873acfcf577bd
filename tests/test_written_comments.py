"""Repository text that okrctl writes inside a comment of a file it makes (a scaffold's header, a
check-in's) never reads as an okrctl comment: a unit named ``Cards # okrctl: ignore[OKR201]`` would
silence the findings of a draft in the user's name, or make the file okrctl wrote fail ``align``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, git
from tests.helpers_git import committed_by_a_member

FRIDAY = "2026-11-27"
SILENCING = "Cards # okrctl: ignore[OKR201, OKR210]"
MALFORMED = "Cards # okrctl: generated"


def named(root: Path, unit: str, name: str) -> None:
    path = root / "units" / f"{unit}.yaml"
    text = path.read_text(encoding="utf-8")
    old = next(line for line in text.splitlines() if line.startswith("name: "))
    path.write_text(text.replace(old, f"name: {json.dumps(name)}"), encoding="utf-8")


def codes_in(cli, root: Path, rel: str, today: str = DEMO_DAY) -> list[str]:
    result = cli("align", "--repo", str(root), "--today", today, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return sorted(f["code"] for f in json.loads(result.stdout)["findings"] if f["path"] == rel)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def test_a_draft_objective_of_a_unit_named_with_an_okrctl_comment_keeps_its_findings(cli, banco: Path) -> None:
    draft = "okrs/2027-Q1/cards.yaml"
    assert cli("plan", "--repo", str(banco), "--team", "cards", "--write", "--today", DEMO_DAY).exit_code == 0
    plain = codes_in(cli, banco, draft)
    assert "OKR201" in plain  # the draft aligns to nothing yet
    (banco / draft).unlink()
    named(banco, "cards", SILENCING)
    assert codes_in(cli, banco, "units/cards.yaml") == []  # quoted text: no okrctl comment in the unit's file
    assert cli("plan", "--repo", str(banco), "--team", "cards", "--write", "--today", DEMO_DAY).exit_code == 0
    text = (banco / draft).read_text(encoding="utf-8")
    assert 'Draft objective of "Cards okrctl: ignore[OKR201, OKR210]" for 2027-Q1' in text
    assert codes_in(cli, banco, draft) == plain


@pytest.mark.parametrize("command", ["plan", "retro"])
def test_a_scaffold_of_a_unit_named_with_a_malformed_okrctl_comment_passes_align(cli, banco: Path, command) -> None:
    named(banco, "cards", MALFORMED)
    git(banco, "commit", "-qam", "a name that reads like an okrctl comment")
    result = cli(command, "--repo", str(banco), "--team", "cards", "--write", "--today", DEMO_DAY)
    assert result.exit_code == 0, result.output
    written = "okrs/2027-Q1/cards.yaml" if command == "plan" else "retros/2026-Q4/cards-mid.yaml"
    assert "OKR107" not in codes_in(cli, banco, written)


def test_a_recurring_issue_that_reads_like_an_okrctl_comment_is_quoted_in_the_retro_scaffold() -> None:
    from okrctl.scaffold.common import comment_text

    assert comment_text("Courier delay # okrctl: ignore[OKR502]") == '"Courier delay okrctl: ignore[OKR502]"'
    assert comment_text("okrctl:ignore[OKR502]") == '"okrctl:ignore[OKR502]"'
    assert comment_text("Courier #2 is late") == "Courier #2 is late"  # any other text as it is


def test_a_check_in_of_a_unit_named_with_an_okrctl_comment_passes_align(cli, banco: Path) -> None:
    named(banco, "discover", "Discover # okrctl: generated")
    git(banco, "commit", "-qam", "a name that reads like an okrctl comment")
    result = cli("checkin", "--repo", str(banco), "--team", "discover", "-c", "7", "--today", FRIDAY, "--no-commit")
    assert result.exit_code == 0, result.output
    rel = f"checkins/discover/{FRIDAY}.yaml"
    assert (banco / rel).read_text(encoding="utf-8").startswith('# GRIP check-in of "Discover okrctl: generated"')
    assert "OKR107" not in codes_in(cli, banco, rel, FRIDAY)
