"""The check-in writer says exactly what the team answered: texts that look like YAML syntax,
aliases in the file being amended, and a guard that refuses any text that would read back wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

DAY = "2026-11-20"
NEW_DAY = "2026-11-21"
EXISTING = f"checkins/discover/{DAY}.yaml"

# Text a plain YAML scalar cannot start with (or be), in flow and block context alike.
INDICATOR_TEXTS = [
    "? what now",
    ": colon first",
    "- dash first",
    "?",
    ":",
    "-",
    "? ",
    "-x",
    "?x",
    ":x",
    "a: b",
    "#1 blocker",
]


def reread(path: Path) -> dict:
    return YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("text", INDICATOR_TEXTS)
def test_a_note_issue_or_plan_item_that_looks_like_yaml_syntax_is_written_as_that_text(cli, copy_example, text):
    root = copy_example("banco")
    result = cli(
        "checkin",
        *("--repo", str(root), "--today", NEW_DAY, "--team", "discover", "-c", "6"),
        *("--result", "onboarding-completion=80", "--note", f"onboarding-completion={text}"),
        *("--issue", text, "--plan", text, "--no-commit"),
    )
    expected = " ".join(text.split())
    assert result.exit_code == 0, result.stderr
    data = reread(root / f"checkins/discover/{NEW_DAY}.yaml")
    assert data["results"]["onboarding-completion"] == {"value": 80, "note": expected}
    assert data["issues"] == [expected]
    assert data["plan"] == [expected]
    assert cli("align", "--repo", str(root), "--today", NEW_DAY, "--format", "concise").exit_code in (0, 1)
    assert "OKR100" not in cli("align", "--repo", str(root), "--today", NEW_DAY, "--format", "concise").stdout


@pytest.mark.parametrize("text", ["? what now", ": colon first", "- dash first"])
def test_an_amended_note_and_issue_that_look_like_yaml_syntax(cli, copy_example, text):
    root = copy_example("banco")
    result = cli(
        "checkin",
        *("--repo", str(root), "--today", DAY, "--team", "discover", "--amend", "--no-commit"),
        *("--note", f"tutorial-engagement={text}", "--result", "tutorial-engagement=36", "--issue", text),
    )
    assert result.exit_code == 0, result.stderr
    data = reread(root / EXISTING)
    assert data["results"]["tutorial-engagement"] == {"value": 36, "note": text}
    assert data["issues"][-1] == text


def test_an_amended_value_keeps_the_note_already_on_its_key_result(cli, copy_example):
    """docs/checkin.md: --result on --amend changes the number; the key result's note stays unless
    --note replaces it."""
    root = copy_example("banco")
    before = reread(root / EXISTING)["results"]["tutorial-engagement"]["note"]
    args = ("checkin", "--repo", str(root), "--today", DAY, "--team", "discover", "--amend", "--no-commit")
    assert cli(*args, "--result", "tutorial-engagement=36").exit_code == 0
    assert reread(root / EXISTING)["results"]["tutorial-engagement"] == {"value": 36, "note": before}
    assert cli(*args, "--result", "tutorial-engagement=37", "--note", "tutorial-engagement=Shown to all").exit_code == 0
    assert reread(root / EXISTING)["results"]["tutorial-engagement"] == {"value": 37, "note": "Shown to all"}


def _alias(root: Path, old: str, new: str) -> None:
    path = root / EXISTING
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


SHARED_LISTS = (
    "issues:\n  - Two engineers lent to the card-migration project until end of November\nplan:\n"
    "  - Spanish version of the tutorial\n  - Review setup tickets by step with the support team\n"
)


def test_amending_issues_when_plan_is_an_alias_of_them_changes_issues_only(cli, copy_example):
    root = copy_example("banco")
    _alias(
        root,
        SHARED_LISTS,
        "issues: &shared\n  - Two engineers lent to the card-migration project until end of November\nplan: *shared\n",
    )
    result = cli(
        "checkin",
        *(
            "--repo",
            str(root),
            "--today",
            DAY,
            "--team",
            "discover",
            "--amend",
            "--no-commit",
            "--issue",
            "New blocker",
        ),
    )
    assert result.exit_code == 0, result.stderr
    data = reread(root / EXISTING)
    lent = "Two engineers lent to the card-migration project until end of November"
    assert data["issues"] == [lent, "New blocker"]
    assert data["plan"] == [lent]


def test_amending_plan_when_it_is_the_anchor_of_issues(cli, copy_example):
    root = copy_example("banco")
    _alias(root, SHARED_LISTS, "plan: &shared\n  - Spanish version of the tutorial\nissues: *shared\n")
    result = cli(
        "checkin",
        *("--repo", str(root), "--today", DAY, "--team", "discover", "--amend", "--no-commit", "--plan", "Ship it"),
    )
    assert result.exit_code == 0, result.stderr
    data = reread(root / EXISTING)
    assert data["plan"] == ["Spanish version of the tutorial", "Ship it"]
    assert data["issues"] == ["Spanish version of the tutorial"]


def test_amending_a_result_entry_that_another_one_aliases(cli, copy_example):
    root = copy_example("banco")
    _alias(
        root,
        "  tutorial-engagement: {value: 35.5, note: Interactive tutorial shown to 100% of new users since Tuesday}\n",
        "  tutorial-engagement: &entry {value: 35.5, note: Same}\n",
    )
    _alias(root, "  setup-tickets: 332\n", "  setup-tickets: *entry\n")
    result = cli(
        "checkin",
        *("--repo", str(root), "--today", DAY, "--team", "discover", "--amend", "--no-commit"),
        *("--result", "tutorial-engagement=40"),
    )
    assert result.exit_code == 0, result.stderr
    data = reread(root / EXISTING)
    assert data["results"]["tutorial-engagement"] == {"value": 40, "note": "Same"}
    assert data["results"]["setup-tickets"] == {"value": 35.5, "note": "Same"}


def test_a_composed_text_that_would_read_back_differently_is_refused_and_not_written(cli, copy_example, monkeypatch):
    import importlib

    compose = importlib.import_module("okrctl.checkin.compose")  # the package exports a function of that name
    root = copy_example("banco")
    monkeypatch.setattr(compose, "_yaml_text", lambda text: text[:-1] or "x")
    result = cli(
        "checkin",
        *("--repo", str(root), "--today", NEW_DAY, "--team", "discover", "-c", "6", "--no-commit"),
        *("--issue", "Analytics events missing"),
    )
    assert result.exit_code == 1
    assert "would not read back as your answers" in result.stderr
    assert "issues" in result.stderr
    assert not (root / f"checkins/discover/{NEW_DAY}.yaml").exists()
