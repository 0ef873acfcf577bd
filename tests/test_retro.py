"""``okrctl retro``: the team and unit pre-reads, and the retro file it scaffolds."""

from __future__ import annotations

import json
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, git, two_objectives_sharing_a_key_result_id
from tests.golden import assert_golden
from tests.helpers_git import hermetic_git

BANCO = str(EXAMPLES / "banco")
AFTER_Q4 = "2027-01-08"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def test_mid_retro_of_a_team_text(cli) -> None:
    result = cli("retro", "--repo", BANCO, "--team", "discover", "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    assert_golden("retro_discover_mid.txt", result.stdout)


def test_end_retro_after_the_cycle_text(cli) -> None:
    result = cli("retro", "--repo", BANCO, "--team", "cards", "--stage", "end", "--today", AFTER_Q4)
    assert result.exit_code == 0, result.stderr
    assert_golden("retro_cards_end.txt", result.stdout)


def test_unit_retro_text_and_markdown(cli) -> None:
    args = ("retro", "--repo", BANCO, "--unit", "digital-services", "--today", AFTER_Q4)
    assert_golden("retro_digital_services_unit.txt", cli(*args).stdout)
    assert_golden("retro_digital_services_unit.md", cli(*args, "--format", "markdown").stdout)


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_key_result_numbers_read_as_in_the_other_views(cli, fmt: str) -> None:
    result = cli("retro", "--repo", BANCO, "--team", "digital-services", "--today", DEMO_DAY, "-f", fmt)
    assert result.exit_code == 0, result.output
    assert "2,000 → 3,500 users, now 2,440" in result.stdout


def _paragraphs_and_items(markdown: str) -> tuple[list[str], list[str]]:
    """The paragraphs and the list items' own text of Markdown as CommonMark (and GitHub) reads it."""
    from markdown_it import MarkdownIt

    paragraphs: list[str] = []
    items: list[str] = []
    depth = 0
    tokens = MarkdownIt("commonmark").parse(markdown)
    for before, token in pairwise(tokens):
        depth += {"list_item_open": 1, "list_item_close": -1}.get(before.type, 0)
        if token.type == "inline" and before.type == "paragraph_open":
            (items if depth else paragraphs).append(token.content)  # the source text, escapes kept
    return paragraphs, items


@pytest.mark.parametrize("stage", ["mid", "end"])
def test_markdown_gives_the_confidence_line_and_a_second_retro_a_paragraph_not_the_last_bullet(
    cli, copy_example, git_repo, stage: str
) -> None:
    """The Markdown pre-read wrote the confidence trajectory right under the last key result, so
    CommonMark read it as the rest of that bullet (with a score set in the end retro, the rest of
    its nested "set in the end retro" bullet), and a second written retro as the rest of the first
    one's last item. Each is a paragraph of its own, the drops a list under the trajectory."""
    root = copy_example("banco")
    (root / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2026-11-20\n"
        "scores:\n  setup-tickets: {score: 0.6, reason: Measured by support}\n",
        encoding="utf-8",
    )
    git_repo(root)
    args = ("retro", "--repo", str(root), "--team", "discover", "--stage", stage, "--today", DEMO_DAY)
    result = cli(*args, "--format", "markdown")
    assert result.exit_code == 0, result.stderr
    trajectory = "confidence 2026-10-02 to 2026-11-20: 7 → 7 → 7 → 4 → 5 → 6 → 7 → 8 (slope \\+0.06 a week)"
    last = (
        "  - set in the end retro: Measured by support"
        if stage == "end"
        else "- setup-tickets: 57% against 55% expected, on-track (400 → 280 tickets/week, now 332)"
    )
    assert f"{last}\n\n{trajectory}  \n- drop 7 → 4 on 2026-10-23 (from 2026-10-16)\n" in result.stdout
    assert "\n\nretros/2026-Q4/discover-end.yaml (end, 2026-11-20)  \n" in result.stdout
    paragraphs, items = _paragraphs_and_items(result.stdout)
    assert trajectory in paragraphs
    assert "retros/2026-Q4/discover-end.yaml (end, 2026-11-20)" in paragraphs
    assert "drop 7 → 4 on 2026-10-23 (from 2026-10-16)" in items
    assert not [item for item in items if "\n" in item]  # no line continues a list item


def _zed_checking_in(root: Path, confidences: dict[str, int]) -> Path:
    """A team ``z`` with one objective of 2027-Q1 and a check-in of each confidence (by date)."""
    (root / "units").mkdir(parents=True)
    (root / "okrs").mkdir()
    (root / "checkins" / "z").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: Nine\n", encoding="utf-8")
    (root / "units" / "all.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: root\nname: Root\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: z\nname: Zed\nparent: root\n",
        encoding="utf-8",
    )
    (root / "okrs" / "z.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: z-obj\nowner: z\ncycle: 2027-Q1\ntitle: Zed\n"
        "key_results:\n  - {id: z1, title: Z one from 0 to 10, baseline: 0, target: 10}\n",
        encoding="utf-8",
    )
    for value, (day, confidence) in enumerate(confidences.items(), start=1):
        (root / "checkins" / "z" / f"{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: z\ndate: {day}\nconfidence: {confidence}\n"
            f"results:\n  z1: {value}\n",
            encoding="utf-8",
        )
    return root


@pytest.mark.parametrize(
    ("confidences", "shown"),
    [
        # Weeks 0, 1, 2, 3 and 10: a slope of −0.0032 a week, which the retro read "-0.00".
        ({"2027-01-01": 4, "2027-01-08": 4, "2027-01-15": 4, "2027-01-22": 5, "2027-03-12": 4}, "±0"),
        # One point in eight weeks: −0.125 and +0.125, which the retro read "-0.12" and "+0.12".
        ({"2027-01-15": 5, "2027-03-12": 4}, "−0.13"),
        ({"2027-01-15": 4, "2027-03-12": 5}, "+0.13"),
        # (8, 5), (22, 2), (36, 3) days in: −1/14 a day, and 6 → 2 in a week; every view dropped the
        # zeros ("−0.5", "−4") where docs/format.md writes a slope with two decimals.
        ({"2027-02-12": 5, "2027-02-26": 2, "2027-03-12": 3}, "−0.50"),
        ({"2027-03-05": 6, "2027-03-12": 2}, "−4.00"),
    ],
    ids=["rounds-to-zero", "falling", "rising", "tenths", "whole"],
)
def test_the_confidence_slope_reads_as_in_status_and_trends(cli, tmp_path: Path, git_repo, confidences, shown) -> None:
    """The retro wrote its slope as Python does ("-0.00 a week", a hyphen, a tie rounded to even),
    where ``status`` and ``trends`` read "±0/week" and "−0.13" (a real minus sign, half up); every
    view, the site's trends page too, keeps both decimals ("−0.50", never "−0.5")."""
    root = git_repo(_zed_checking_in(tmp_path / "nine", confidences))
    base = ("--repo", str(root), "--today", "2027-03-12")
    status = cli("status", *base, "--team", "z")
    assert status.exit_code == 0, status.stderr
    assert f" {shown}/week · last check-in today" in status.stdout
    trends = cli("trends", *base)
    assert trends.exit_code == 0, trends.stderr
    [row] = [line for line in trends.stdout.splitlines() if line.startswith("1  Zed ")]  # not a drop's line
    assert shown in row.split()
    for fmt in ("text", "markdown"):
        retro = cli("retro", *base, "--team", "z", "-f", fmt)
        assert retro.exit_code == 0, retro.stderr
        said = shown if fmt == "text" else shown.replace("+", "\\+")  # Markdown escapes a plus sign
        assert f" (slope {said} a week)" in retro.stdout, fmt
        assert "-0.00" not in retro.stdout and "slope -" not in retro.stdout, fmt
    site = cli("site", str(tmp_path / "site"), *base, "--no-history")
    assert site.exit_code == 0, site.stderr
    assert f"trend {shown} a week" in (tmp_path / "site" / "trends.html").read_text(encoding="utf-8")


def test_a_provisional_end_retro_gives_each_key_results_score_its_band(cli) -> None:
    """Before the cycle's end the scores are provisional; each key result's band goes with its score,
    as the objective's does (none of them null beside a score)."""
    result = cli("retro", "--repo", BANCO, "--team", "discover", "--stage", "end", "--today", DEMO_DAY, "-f", "json")
    [objective] = json.loads(result.stdout)["objectives"]
    assert (objective["score"], objective["score_band"]) == (0.57, "yellow")
    assert [(kr["score"], kr["score_band"]) for kr in objective["key_results"]] == [
        (0.56, "yellow"),
        (0.59, "yellow"),
        (0.57, "yellow"),
    ]


def test_end_json_uses_spec_field_names_and_scores(cli) -> None:
    result = cli("retro", "--repo", BANCO, "--team", "discover", "--stage", "end", "--today", AFTER_Q4, "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["stage"] == "end" and payload["provisional"] is False
    assert payload["cycle"] == {"id": "2026-Q4", "start": "2026-10-01", "end": "2026-12-31"}
    [objective] = payload["objectives"]
    assert {"id", "owner", "cycle", "progress", "expected", "status", "confidence", "key_results"} <= set(objective)
    assert objective["score"] == 0.57 and objective["score_band"] == "yellow"
    assert [(kr["id"], kr["score"]) for kr in objective["key_results"]] == [
        ("onboarding-completion", 0.56),
        ("tutorial-engagement", 0.59),
        ("setup-tickets", 0.57),
    ]
    assert objective["drops"] == [
        {
            "objective": "discover-first-week",
            "from": "2026-10-16",
            "to": "2026-10-23",
            "before": 7.0,
            "after": 4.0,
            "issues": [
                "Analytics events for step 3 are missing",
                "KYC answer slower than 5 s for 30% of users since the vendor update",
                "Setup tickets up: people stuck waiting for the identity check",
            ],
            "new_issues": [
                "KYC answer slower than 5 s for 30% of users since the vendor update",
                "Setup tickets up: people stuck waiting for the identity check",
            ],
        }
    ]
    assert payload["recurring_issues"][0] == {
        "text": "Analytics events for step 3 are missing",
        "checkins": 3,
        "first": "2026-10-09",
        "last": "2026-10-23",
        "weeks": 3,
    }
    assert payload["checkin_discipline"] == {
        "owner": "discover",
        "weeks": 13,
        "weeks_with_checkin": 8,
        "cadence_days": 7,
        "share": 0.6154,
    }
    assert payload["retros"][0]["path"] == "retros/2026-Q4/discover-mid.yaml"


def test_end_retro_scores_honour_the_end_retro_overrides(cli, copy_example) -> None:
    folder = copy_example("banco")
    (folder / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-06\n"
        "scores:\n  onboarding-completion: {score: 0.8, reason: Measured on the new funnel}\n",
        encoding="utf-8",
    )
    args = ("retro", "--repo", str(folder), "--team", "discover", "--stage", "end", "--today", AFTER_Q4)
    payload = json.loads(cli(*args, "-f", "json").stdout)
    kr = payload["objectives"][0]["key_results"][0]
    assert (kr["score"], kr["score_reason"]) == (0.8, "Measured on the new funnel")
    assert "set in the end retro: Measured on the new funnel" in cli(*args).stdout


def test_end_retro_before_the_cycle_ends_gives_scores_so_far(cli) -> None:
    result = cli("retro", "--repo", BANCO, "--team", "discover", "--stage", "end", "--today", DEMO_DAY, "-f", "json")
    payload = json.loads(result.stdout)
    assert payload["provisional"] is True
    assert payload["objectives"][0]["score"] == 0.57


def test_an_objective_score_is_its_progress_at_the_end_rounded_once_the_same_before_and_after_the_end(cli) -> None:
    """resilient-digital-channels: KR progress 1 and 4/6, objective progress 0.8333 (83%). Its score is
    0.83 on every screen and every day: not 0.84 from averaging the KR scores already rounded (1.00
    and 0.67) once the cycle has ended, next to 0.83 in the pre-read a week before."""
    scores = []
    for day in ("2026-12-20", AFTER_Q4):
        args = (
            "retro",
            "--repo",
            BANCO,
            "--team",
            "digital-services",
            "--stage",
            "end",
            "--cycle",
            "2026-Q4",
            "--today",
            day,
            "-f",
            "json",
        )
        objectives = {o["id"]: o for o in json.loads(cli(*args).stdout)["objectives"]}
        scores.append(objectives["resilient-digital-channels"]["score"])
    status = cli(
        "status", "--repo", BANCO, "--team", "digital-services", "--cycle", "2026-Q4", "--today", AFTER_Q4, "-f", "json"
    )
    objectives = {o["id"]: o for o in json.loads(status.stdout)["objectives"]}
    scores.append(objectives["resilient-digital-channels"]["score"])
    assert scores == [0.83, 0.83, 0.83]


def test_default_cycle_for_an_end_retro_is_the_one_that_just_ended(cli, copy_example) -> None:
    folder = copy_example("banco")
    path = folder / "okrs" / "2027-Q1" / "discover.yaml"
    path.parent.mkdir()
    text = (folder / "okrs" / "2026-Q4" / "discover.yaml").read_text(encoding="utf-8")
    path.write_text(
        text.replace("id: discover-first-week", "id: discover-q1").replace("cycle: 2026-Q4", "cycle: 2027-Q1"),
        encoding="utf-8",
    )
    base = ("retro", "--repo", str(folder), "--team", "discover", "--today", "2027-01-20", "-f", "json")
    assert json.loads(cli(*base, "--stage", "end").stdout)["cycle"]["id"] == "2026-Q4"
    mid = json.loads(cli(*base).stdout)
    assert (mid["cycle"]["id"], mid["stage"]) == ("2027-Q1", "mid")


def test_with_no_cycle_of_today_the_retro_is_of_the_latest_that_started_as_its_help_says(cli, copy_example) -> None:
    folder = copy_example("banco")
    base = ("retro", "--repo", str(folder), "--team", "discover", "--today", "2027-03-08", "-f", "json")
    assert json.loads(cli(*base, "--stage", "end").stdout)["cycle"]["id"] == "2026-Q4"
    shown = " ".join(cli("retro", "--help", env={"COLUMNS": "200"}).stdout.split())
    assert (
        "with --stage end, one that ended in the last 45 days; else the team's cycle containing today; else the latest that started"
        in shown
    )


def test_write_end_retro_prefilled_passes_align(cli, copy_example) -> None:
    folder = copy_example("banco")
    result = cli("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4, "--write")
    assert result.exit_code == 0, result.stderr
    written = folder / "retros" / "2026-Q4" / "cards-end.yaml"
    assert_golden("retro_cards_end.yaml", written.read_text(encoding="utf-8"))
    align = cli("align", "--repo", str(folder), "--today", AFTER_Q4, "--cycle", "all")
    assert align.exit_code == 0, align.stdout
    from okrctl.load.pipeline import load_repo

    retros = [d.model for d in load_repo(folder, use_cache=False).retros if d.path.endswith("cards-end.yaml")]
    assert retros[0].scores == {} and retros[0].date == date(2027, 1, 8) and retros[0].attractors == []


def test_write_refuses_a_second_end_retro_and_align_reports_one(cli, copy_example) -> None:
    """A hand-written end retro under another name was not seen: --write added a second one, whose
    empty scores were read first (by path) and silently replaced the team's score overrides."""
    folder = copy_example("banco")
    final = folder / "retros" / "2026-Q4" / "cards-final.yaml"
    final.write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: cards\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-07\n"
        "scores:\n  card-activation-7d: {score: 1.0, reason: counted on the new funnel}\n",
        encoding="utf-8",
    )
    before = cli("retro", "--repo", str(folder), "--team", "cards", "--today", AFTER_Q4).stdout
    result = cli("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4, "--write")
    assert result.exit_code == 1
    assert result.stderr == (
        "okrctl: 'cards' already has the end retro of 2026-Q4: retros/2026-Q4/cards-final.yaml:1; "
        "nothing was written (edit it)\n"
    )
    assert not (folder / "retros" / "2026-Q4" / "cards-end.yaml").exists()
    assert cli("retro", "--repo", str(folder), "--team", "cards", "--today", AFTER_Q4).stdout == before
    # Written by hand, a second one is OKR102 on its stage.
    (folder / "retros" / "2026-Q4" / "cards-z.yaml").write_text(final.read_text(encoding="utf-8"), encoding="utf-8")
    align = cli("align", "--repo", str(folder), "--today", AFTER_Q4, "--cycle", "all", "--format", "concise")
    assert (
        "retros/2026-Q4/cards-z.yaml:5:8: OKR102 error second end retro of 'cards' for 2026-Q4 "
        "(first at retros/2026-Q4/cards-final.yaml:5)"
    ) in align.stdout


def test_write_refuses_beside_an_end_retro_dated_later_and_says_why_the_pre_read_has_none(cli, copy_example) -> None:
    """An end retro held on 2027-01-07 with its month typed wrong: the pre-read said "no retro
    written for this cycle yet", '--write' that the team already had one, and align passed. align
    now fails on its date, and the refusal says why no view of the day reads it."""
    folder = copy_example("banco")
    (folder / "retros" / "2026-Q4" / "cards-final.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: cards\ncycle: 2026-Q4\nstage: end\ndate: 2027-10-07\n"
        "scores:\n  card-activation-7d: {score: 1.0, reason: counted on the new funnel}\n",
        encoding="utf-8",
    )
    before = cli("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4).stdout
    assert "Already written\n  no retro written for this cycle yet\n" in before
    result = cli("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4, "--write")
    assert result.exit_code == 1
    assert result.stderr == (
        "okrctl: 'cards' already has the end retro of 2026-Q4: retros/2026-Q4/cards-final.yaml:6, dated 2027-10-07, "
        "later than 2027-01-08 (no view of that day reads it); nothing was written (edit it: is its date right?)\n"
    )
    assert not (folder / "retros" / "2026-Q4" / "cards-end.yaml").exists()
    align = cli("align", "--repo", str(folder), "--today", AFTER_Q4, "--format", "concise")
    assert align.exit_code == 1
    assert (
        "retros/2026-Q4/cards-final.yaml:6:7: OKR502 error end retro of 'cards' for 2026-Q4 is dated 2027-10-07, "
        "after tomorrow (today is 2027-01-08)"
    ) in align.stdout.splitlines()
    assert "'cards' has no end retro" not in align.stdout


_END_RETRO_WITH_A_TYPO = (
    "apiVersion: okrctl/v1\nkind: Retro\nowner: cards\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-06\n"
    "learned: [Courier contracts need a quarter of lead time]\n"
    "scores:\n  card-activation-7d: {score: 0.8, resaon: measured on the new funnel}\n"
)


@pytest.mark.parametrize(
    ("name", "text", "line"),
    [
        ("cards-final.yaml", _END_RETRO_WITH_A_TYPO, 9),  # a schema error (a misspelt key)
        ("cards-end-retro.yaml", _END_RETRO_WITH_A_TYPO, 9),  # sorts before the scaffold's name
        ("cards-final.yaml", _END_RETRO_WITH_A_TYPO.replace("time]", "time"), 8),  # not YAML at all
    ],
)
def test_write_refuses_a_second_end_retro_beside_one_with_errors(cli, copy_example, git_repo, name, text, line) -> None:
    """The team's end retro failed its schema (or was no YAML at all): --write saw no end retro and
    wrote an empty one; once the typo was fixed, align failed on a second end retro (OKR102) and the
    first by path gave the scores, the team's override (0.8, yellow) lost. It refuses, naming the
    file to fix, and nothing is written."""
    folder = git_repo(copy_example("banco"))
    team_file = folder / "retros" / "2026-Q4" / name
    team_file.write_text(text, encoding="utf-8")
    args = ("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4)
    for format in ("text", "json"):
        result = cli(*args, "--write", "--format", format)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert result.stderr == (
            f"okrctl: 'cards' already has the end retro of 2026-Q4, with errors: retros/2026-Q4/{name}:{line}; "
            f"nothing was written (fix it: 'okrctl align retros/2026-Q4/{name}' shows every problem)\n"
        )
    assert git(folder, "status", "--porcelain", "--untracked-files=all") == f"?? retros/2026-Q4/{name}\n"
    # Fixed, the team's retro is the cycle's end retro: its score stands and align passes.
    team_file.write_text(_END_RETRO_WITH_A_TYPO.replace("resaon", "reason"), encoding="utf-8")
    assert "  • card-activation-7d: score 0.80 (48 → 75%, now 56)\n" in cli(*args).stdout
    align = cli("align", "--repo", str(folder), "--today", AFTER_Q4, "--cycle", "2026-Q4", "--format", "concise")
    assert align.exit_code == 0, align.stdout


_END_RETRO_OF_ANY_STAGE = (
    "apiVersion: okrctl/v1\nkind: Retro\nowner: cards\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-08\n"
    "scores:\n  card-activation-7d: {score: 0.5, reason: measured again}\n"
)


def _refused_beside_cards_final(result, folder: Path, line: int) -> None:
    """``retro --write`` refused beside the team's broken ``cards-final.yaml`` (its first error on
    ``line``): exit 1, the one line naming it, and nothing written."""
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"okrctl: 'cards' already has the end retro of 2026-Q4, with errors: retros/2026-Q4/cards-final.yaml:{line}; "
        "nothing was written (fix it: 'okrctl align retros/2026-Q4/cards-final.yaml' shows every problem)\n"
    )
    assert git(folder, "status", "--porcelain", "--untracked-files=all") == "?? retros/2026-Q4/cards-final.yaml\n"


@pytest.mark.parametrize(
    ("stage", "line"),
    [("stage: End", 5), ("stage: final", 5), ("", 1)],  # a typo, another word, no stage at all
)
def test_write_refuses_a_second_end_retro_beside_one_whose_stage_does_not_read(
    cli, copy_example, git_repo, stage, line
) -> None:
    """The team's end retro wrote its stage wrong: align counted it as the end retro (no OKR507), yet
    --write wrote cards-end.yaml beside it (exit 0); once the stage was fixed, align failed on a
    second end retro (OKR102) and the empty scaffold, first by path, hid the team's override (0.50
    shown as 0.30). It refuses, naming the file to fix, and nothing is written."""
    folder = git_repo(copy_example("banco"))
    team_file = folder / "retros" / "2026-Q4" / "cards-final.yaml"
    team_file.write_text(
        _END_RETRO_OF_ANY_STAGE.replace("stage: end\n", f"{stage}\n" if stage else ""), encoding="utf-8"
    )
    args = ("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4)
    result = cli(*args, "--write")
    _refused_beside_cards_final(result, folder, line)
    # Fixed, the team's retro is the cycle's end retro: its score stands and align passes.
    team_file.write_text(_END_RETRO_OF_ANY_STAGE, encoding="utf-8")
    assert "  • card-activation-7d: score 0.50 (48 → 75%, now 56)\n" in cli(*args).stdout
    align = cli("align", "--repo", str(folder), "--today", AFTER_Q4, "--cycle", "2026-Q4", "--format", "concise")
    assert align.exit_code == 0, align.stdout


@pytest.mark.parametrize(
    ("written", "line"),
    # an owner that is the team's id in other letters (no id), no cycle
    [("owner: Cards\ncycle: 2026-Q4", 3), ("owner: CARDS\ncycle: 2026-Q4", 3), ("owner: cards", 1)],
)
def test_write_refuses_a_second_end_retro_beside_one_whose_owner_or_cycle_does_not_read(
    cli, copy_example, git_repo, written, line
) -> None:
    """The team's end retro wrote its owner or cycle wrong: align counted it as cards' end retro (no
    OKR507), yet --write wrote cards-end.yaml beside it (exit 0); once it was fixed, align failed on
    a second end retro (OKR102) and the team's override was hidden. It refuses, as align counts."""
    folder = git_repo(copy_example("banco"))
    team_file = folder / "retros" / "2026-Q4" / "cards-final.yaml"
    team_file.write_text(_END_RETRO_OF_ANY_STAGE.replace("owner: cards\ncycle: 2026-Q4", written), encoding="utf-8")
    align = cli("align", "--repo", str(folder), "--today", AFTER_Q4, "--cycle", "2026-Q4", "--format", "concise")
    assert "'cards' has no end retro" not in align.stdout
    args = ("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4)
    result = cli(*args, "--cycle", "2026-Q4", "--write")
    _refused_beside_cards_final(result, folder, line)
    team_file.write_text(_END_RETRO_OF_ANY_STAGE, encoding="utf-8")
    assert "  • card-activation-7d: score 0.50 (48 → 75%, now 56)\n" in cli(*args).stdout


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("retros/2026-Q4/discover-end.yaml", "owner: Discover\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-31\n"),
        ("retros/2026-Q3/notes.yaml", "stage: end\ndate: 2026-09-30\nattractors: [a, b\n"),
    ],
)
def test_write_end_retro_beside_another_teams_broken_retro(cli, copy_example, git_repo, path, text) -> None:
    """Another team's end retro whose owner does not read (or a file of no owner at all) once
    refused every team's end retro ("'cards' already has the end retro …", exit 1): it is not
    cards' retro, and cards' is written."""
    folder = git_repo(copy_example("banco"))
    (folder / path).parent.mkdir(exist_ok=True)
    (folder / path).write_text("apiVersion: okrctl/v1\nkind: Retro\n" + text, encoding="utf-8")
    args = ("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4)
    result = cli(*args, "--cycle", "2026-Q4", "--write")
    assert result.exit_code == 0, result.stderr
    assert (folder / "retros" / "2026-Q4" / "cards-end.yaml").is_file()


def test_write_end_retro_beside_a_broken_mid_retro(cli, copy_example) -> None:
    """A mid retro with errors is no end retro: the end retro is written beside it."""
    folder = copy_example("banco")
    (folder / "retros" / "2026-Q4" / "cards-mid.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: cards\ncycle: 2026-Q4\nstage: mid\ndate: 2026-11-13\n"
        "learnd: [Courier contracts need a quarter of lead time]\n",
        encoding="utf-8",
    )
    align = cli("align", "--repo", str(folder), "--today", AFTER_Q4, "--cycle", "2026-Q4", "--format", "concise")
    assert "retros/2026-Q4/cards-mid.yaml:7:1: OKR101 error" in align.stdout
    result = cli("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4, "--write")
    assert result.exit_code == 0, result.stderr
    assert (folder / "retros" / "2026-Q4" / "cards-end.yaml").is_file()


@pytest.mark.parametrize("command", ["retro", "plan"])
def test_write_with_an_output_that_cannot_be_written_writes_nothing(cli, copy_example, tmp_path, command) -> None:
    """The scaffold was written, then --output refused (exit 2, a usage error that says nothing was
    done), and running it again with a good --output was refused: the file already existed."""
    folder = copy_example("banco")
    today = AFTER_Q4 if command == "retro" else DEMO_DAY
    args = (command, "--repo", str(folder), "--team", "cards", "--today", today, "--write")
    result = cli(*args, "--output", str(tmp_path / "missing" / "pre-read.txt"))
    assert result.exit_code == 2
    assert result.stderr.endswith("(okrctl creates no folder for --output); nothing was written\n")
    assert not (folder / "okrs" / "2027-Q1").exists()
    assert not (folder / "retros" / "2026-Q4" / "cards-end.yaml").exists()
    assert cli(*args, "--output", str(tmp_path / "pre-read.txt")).exit_code == 0


def test_write_mid_retro_passes_align_and_never_overwrites(cli, copy_example) -> None:
    folder = copy_example("banco")
    args = ("retro", "--repo", str(folder), "--team", "cards", "--today", DEMO_DAY, "--write")
    assert cli(*args).exit_code == 0
    text = (folder / "retros" / "2026-Q4" / "cards-mid.yaml").read_text(encoding="utf-8")
    assert "stage: mid" in text and "scores" not in text.split("apiVersion", 1)[1]
    assert cli("align", "--repo", str(folder), "--today", DEMO_DAY).exit_code == 0
    again = cli(*args)
    assert again.exit_code == 1 and "never overwrites" in again.stderr
    # Discover's mid retro exists in the example already.
    result = cli("retro", "--repo", str(folder), "--team", "discover", "--today", DEMO_DAY, "--write")
    assert result.exit_code == 1


@pytest.mark.parametrize("team", ["42", "null", "true"])
def test_write_quotes_a_team_id_that_plain_would_read_as_no_text(cli, copy_example, git_repo, team) -> None:
    """A team id made only of digits (or ``null``, ``true``) is text only when quoted: the retro
    said ``owner: 42``, which align refused (OKR101 ``owner: 42 is not text``). It says
    ``owner: "42"`` now, at mid-cycle and at the end, and the retro is the team's."""
    folder = copy_example("banco")
    (folder / "units" / "squad.yaml").write_text(
        f'apiVersion: okrctl/v1\nkind: Unit\nid: "{team}"\nname: Squad\ntype: team\nparent: digital-services\n',
        encoding="utf-8",
    )
    (folder / "okrs" / "2026-Q4" / "squad.yaml").write_text(
        f'apiVersion: okrctl/v1\nkind: Objective\nid: squad-q4\nowner: "{team}"\ncycle: 2026-Q4\n'
        "title: Make the first week seamless for the squad's users\n"
        "aligns:\n  - {to: digital-first-week, type: directional}\nkey_results:\n"
        "  - {id: activation, title: Activation rises, baseline: 30, target: 40}\n"
        "  - {id: churn, title: Churn falls, baseline: 8, target: 6}\n",
        encoding="utf-8",
    )
    git_repo(folder)
    for stage, today in (("mid", DEMO_DAY), ("end", AFTER_Q4)):
        args = ("--repo", str(folder), "--today", today)
        result = cli("retro", *args, "--team", team, "--cycle", "2026-Q4", "--stage", stage, "--write")
        assert result.exit_code == 0, result.stderr
        text = (folder / "retros" / "2026-Q4" / f"{team}-{stage}.yaml").read_text(encoding="utf-8")
        assert f'\nowner: "{team}"\ncycle: 2026-Q4\nstage: {stage}\n' in text
        align = cli("align", *args, "--cycle", "2026-Q4", "--format", "json")
        assert align.exit_code == 0, align.stdout
        assert [f["code"] for f in json.loads(align.stdout)["findings"] if f["severity"] == "error"] == []
    from okrctl.load.pipeline import load_repo

    retros = [d.model for d in load_repo(folder, use_cache=False).retros if d.model.owner == team]
    assert sorted(r.stage for r in retros) == ["end", "mid"]


def test_write_refuses_a_cycle_in_which_the_team_has_no_objective(cli, copy_example) -> None:
    folder = copy_example("banco")
    result = cli(
        "retro", "--repo", str(folder), "--team", "cards", "--cycle", "2027-Q1", "--today", DEMO_DAY, "--write"
    )
    assert result.exit_code == 1
    assert result.stderr == "okrctl: 'cards' has no objective in 2027-Q1: no retro to write; nothing was written\n"
    assert not (folder / "retros" / "2027-Q1").exists()


def test_write_refuses_a_cycle_that_has_not_started(cli, copy_example) -> None:
    folder = copy_example("banco")
    assert cli("plan", "--repo", str(folder), "--team", "cards", "--today", DEMO_DAY, "--write").exit_code == 0
    args = ("retro", "--repo", str(folder), "--team", "cards", "--cycle", "2027-Q1", "--write")
    early = cli(*args, "--today", DEMO_DAY)
    assert early.exit_code == 1
    assert early.stderr == (
        "okrctl: 2027-Q1 starts on 2027-01-01: a retro is written once its cycle has started; nothing was written\n"
    )
    assert not (folder / "retros" / "2027-Q1").exists()
    assert cli(*args, "--today", "2027-02-15").exit_code == 0  # under way: the mid-cycle retro
    assert (folder / "retros" / "2027-Q1" / "cards-mid.yaml").exists()


def test_usage_errors(cli) -> None:
    base = ("retro", "--repo", BANCO, "--today", DEMO_DAY)
    assert cli(*base, "--unit", "digital-services", "--write").exit_code == 2
    assert cli(*base, "--unit", "nope").exit_code == 2
    assert cli(*base, "--team", "discover", "--stage", "final").exit_code == 2
    assert cli(*base, "--team", "discover", "--format", "html").exit_code == 2
    result = cli(*base)
    assert result.exit_code == 2 and "teams: cards" in result.stderr


# ----- the computations -------------------------------------------------------------------------------
def test_recurring_issues_match_after_normalising_case_spacing_and_punctuation() -> None:
    from okrctl.analysis.issues import normalise_issue
    from okrctl.model import CheckIn
    from okrctl.views.retro import recurring_issues

    def checkin(day: str, *issues: str) -> CheckIn:
        return CheckIn.model_validate(
            {"apiVersion": "okrctl/v1", "kind": "CheckIn", "owner": "t", "date": day, "issues": list(issues)}
        )

    assert normalise_issue("  KYC   slow!! (again) ") == normalise_issue("kyc slow again")
    found = recurring_issues(
        [
            checkin("2026-10-02", "KYC is slow.", "Other"),
            checkin("2026-10-09", "kyc is  slow"),
            checkin("2026-10-16", "Once only"),
            checkin("2026-10-23", "KYC, is slow!", "kyc is slow"),  # twice in one check-in counts once
        ]
    )
    assert [(r.text, r.checkins, r.first, r.last, r.weeks) for r in found] == [
        ("KYC, is slow!", 3, date(2026, 10, 2), date(2026, 10, 23), 4)
    ]


def test_checkin_discipline_counts_cadence_weeks_up_to_today(copy_example) -> None:
    from okrctl.load.pipeline import load_repo
    from okrctl.views.retro import checkin_discipline

    folder = copy_example("banco")
    (folder / "checkins" / "cards" / "2026-10-09.yaml").unlink()
    repo = load_repo(folder, use_cache=False)
    q4 = repo.cycle("2026-Q4")
    assert q4 is not None
    wednesday = checkin_discipline(repo, "cards", q4, date(2026, 11, 18))
    assert (wednesday.weeks, wednesday.weeks_with_checkin) == (7, 6)  # this week's Friday is not due yet
    friday = checkin_discipline(repo, "cards", q4, date(2026, 11, 20))
    assert (friday.weeks, friday.weeks_with_checkin) == (8, 7)
    assert checkin_discipline(repo, "cards", q4, date(2026, 9, 1)).share is None


def test_a_check_in_dated_after_today_is_not_yet_counted_by_the_retro(cli, copy_example) -> None:
    """On Thursday 2026-11-19 the week under way holds only Friday's check-in, written ahead: it is
    not there yet, so that week does not count, and the week without a check-in still shows."""
    folder = copy_example("banco")
    (folder / "checkins" / "discover" / "2026-11-13.yaml").unlink()
    result = cli("retro", "--team", "discover", "--repo", str(folder), "--today", "2026-11-19", "--format", "json")
    assert result.exit_code == 0, result.output
    discipline = json.loads(result.stdout)["checkin_discipline"]
    assert (discipline["weeks"], discipline["weeks_with_checkin"]) == (7, 6)
    text = cli("retro", "--team", "discover", "--repo", str(folder), "--today", "2026-11-19").stdout
    assert "6 of 7 weeks" in text


def test_a_team_that_checked_in_every_friday_of_a_quarter_has_every_week(cli, copy_example) -> None:
    """2026-Q4 is 13 weeks and a Thursday (the 31st): Cards checking in on all 13 Fridays has 13
    of 13 weeks, not 13 of 14; a check-in on the 31st makes the short week count, 14 of 14."""
    folder = copy_example("banco")
    cards = folder / "checkins" / "cards"
    last = (cards / "2026-11-20.yaml").read_text(encoding="utf-8")
    for day in ("2026-11-27", "2026-12-04", "2026-12-11", "2026-12-18", "2026-12-25"):
        (cards / f"{day}.yaml").write_text(last.replace("2026-11-20", day), encoding="utf-8")
    args = ("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", "2027-01-08")
    assert "  Cards: 13 of 13 weeks with a check-in (100%)\n" in cli(*args).stdout
    (cards / "2026-12-31.yaml").write_text(last.replace("2026-11-20", "2026-12-31"), encoding="utf-8")
    assert "  Cards: 14 of 14 weeks with a check-in (100%)\n" in cli(*args).stdout


def test_a_short_last_week_that_holds_the_teams_check_in_day_is_a_week(cli, copy_example) -> None:
    """2027-Q1 runs from Friday 1 January to Wednesday 31 March: its last week is six days, Friday
    the 26th to the 31st. Cards checks in on Fridays and skips the 26th: 12 of 13 weeks (it once
    read 12 of 12, a missed Friday unseen); checking in that Friday makes 13 of 13."""
    from datetime import date, timedelta

    folder = copy_example("banco")
    objective = folder / "okrs" / "2026-Q4" / "cards.yaml"
    objective.write_text(objective.read_text("utf-8").replace("cycle: 2026-Q4", "cycle: 2027-Q1"), "utf-8")
    cards = folder / "checkins" / "cards"
    last = (cards / "2026-11-20.yaml").read_text(encoding="utf-8")
    for path in cards.glob("*.yaml"):
        path.unlink()
    day = date(2027, 1, 1)
    while day <= date(2027, 3, 19):
        (cards / f"{day}.yaml").write_text(last.replace("2026-11-20", str(day)), encoding="utf-8")
        day += timedelta(days=7)
    args = ("retro", "--repo", str(folder), "--team", "cards", "--cycle", "2027-Q1", "--today", "2027-04-05")
    assert "  Cards: 12 of 13 weeks with a check-in (92%)\n" in cli(*args).stdout
    (cards / "2027-03-26.yaml").write_text(last.replace("2026-11-20", "2027-03-26"), encoding="utf-8")
    assert "  Cards: 13 of 13 weeks with a check-in (100%)\n" in cli(*args).stdout


def test_write_never_follows_a_linked_retro_folder(cli, copy_example, tmp_path) -> None:
    """retros/<cycle> linked out of the repository: refused, nothing written there (issue 16, item 10)."""
    folder = copy_example("banco")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "retros" / "2026-Q4").rename(tmp_path / "kept")
    (folder / "retros" / "2026-Q4").symlink_to(elsewhere, target_is_directory=True)
    result = cli("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4, "--write")
    assert result.exit_code == 1
    assert "retros/2026-Q4 is a symbolic link; okrctl never writes through one" in result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_unit_retro_names_the_other_cycle_of_today_that_holds_objectives(cli, copy_example) -> None:
    """The company's objective is of the year, its teams' of the quarter: the retro is of the
    quarter (the shortest cycle of today), and says where the yearly objective is instead of
    leaving it out unsaid. A team with only quarterly objectives is told nothing more."""
    root = copy_example("saas")
    path = root / "okrs/2026-Q4/acme.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cycle: 2026-Q4", 'cycle: "2026"'), encoding="utf-8")
    data = json.loads(cli("retro", "--repo", str(root), "--unit", "acme", "--today", "2026-11-27", "-f", "json").stdout)
    assert data["cycle"]["id"] == "2026-Q4"
    assert data["cycle_reason"] == "contains today; 1 more objective in 2026: pass --cycle 2026"
    team = json.loads(
        cli("retro", "--repo", str(root), "--team", "product", "--today", "2026-11-27", "-f", "json").stdout
    )
    assert team["cycle_reason"] == "contains today"
    yearly = json.loads(
        cli(
            "retro", "--repo", str(root), "--unit", "acme", "--today", "2026-11-27", "--cycle", "2026", "-f", "json"
        ).stdout
    )
    assert [o["id"] for o in yearly["objectives"]] == ["subscriptions-5000"]


def test_an_end_retro_held_before_the_cycle_ends_scores_with_the_overrides_written_by_then(cli, copy_example) -> None:
    """Discover holds its end retro on 2026-12-18, before 2026-Q4 ends, and overrides two key
    results: the scores so far use them, as the scores on the cycle's last day will. A retro
    written after the day asked about does not count yet."""
    folder = copy_example("banco")
    (folder / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-18\n"
        "scores:\n  onboarding-completion: {score: 1.0, reason: New funnel}\n"
        "  tutorial-engagement: {score: 1.0, reason: New funnel}\n",
        encoding="utf-8",
    )

    def scored(day: str) -> tuple[float, dict[str, float]]:
        args = ("retro", "--repo", str(folder), "--team", "discover", "--stage", "end", "--today", day, "-f", "json")
        objective = json.loads(cli(*args).stdout)["objectives"][0]
        return objective["score"], {kr["id"]: kr["score"] for kr in objective["key_results"]}

    before_the_end, krs = scored("2026-12-30")
    assert (krs["onboarding-completion"], krs["tutorial-engagement"]) == (1.0, 1.0)
    assert before_the_end == scored("2026-12-31")[0] == scored(AFTER_Q4)[0]
    assert scored("2026-12-17")[1]["onboarding-completion"] != 1.0  # written the next day


def test_a_bare_score_key_two_objectives_share_scores_neither_and_align_says_so(cli, copy_example) -> None:
    """Two objectives of one team each have a key result 'x': ``scores: {x: 0.9}`` cannot tell
    which is meant, as in a check-in (OKR503). It overrides neither."""
    folder = copy_example("banco")
    two_objectives_sharing_a_key_result_id(folder)
    (folder / "retros" / "2026-Q4" / "cards-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: cards\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-05\n"
        "scores:\n  x: 0.9\n  o1/x: 0.5\n",
        encoding="utf-8",
    )
    found = json.loads(cli("align", "--repo", str(folder), "--today", AFTER_Q4, "-f", "json").stdout)["findings"]
    ambiguous = [f for f in found if f["code"] == "OKR503"]
    assert [(f["path"], f["message"]) for f in ambiguous] == [
        ("retros/2026-Q4/cards-end.yaml", "score key 'x' matches key results of several objectives: o1/x, o2/x")
    ]
    args = ("retro", "--repo", str(folder), "--team", "cards", "--stage", "end", "--today", AFTER_Q4, "-f", "json")
    scores = {o["id"]: o["key_results"][0]["score"] for o in json.loads(cli(*args).stdout)["objectives"]}
    assert scores["o1"] == 0.5 and scores["o2"] == 0.0  # o1 by its full key; o2 by nothing


def test_a_maintain_key_result_with_one_bound_reads_as_status_says_it(cli) -> None:
    """``keep within [-, 0.1]%`` for a band with no minimum: it reads ``keep ≤ 0.1%``, as in status."""
    result = cli("retro", "--repo", str(EXAMPLES / "banco"), "--team", "identity-platform", "--today", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "fraud-rate: 100% against 55% expected, on-track (keep ≤ 0.1%, now 0.06)" in result.stdout
    assert "[-," not in result.stdout


def test_a_score_set_without_a_reason_says_so_once(cli, copy_example) -> None:
    """``scores: {kr: 0.3}`` with no reason printed "set in the end retro: set in the end retro"."""
    root = copy_example("banco")
    (root / "retros" / "cards-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: cards\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-31\n"
        "scores: {card-activation-7d: 0.3}\n",
        encoding="utf-8",
    )
    result = cli("retro", "--repo", str(root), "--team", "cards", "--cycle", "2026-Q4", "--today", "2027-01-04")
    assert result.exit_code == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines() if "set in the end retro" in line]
    assert lines == ["set in the end retro"]


def test_an_end_retro_held_after_the_day_asked_about_does_not_score_it(cli, copy_example) -> None:
    """Replaying the cycle's last day (or any day before the retro) shows what had been written by
    then: an end retro dated 2027-01-06 does not set the scores of 2026-12-31 in `status` or
    `retro`, and does from its own day."""
    folder = copy_example("banco")
    (folder / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-06\n"
        "scores:\n  onboarding-completion: {score: 0.1, reason: Counted twice}\n",
        encoding="utf-8",
    )

    def scores(day: str) -> tuple[float, float]:
        status = json.loads(
            cli(
                "status",
                "--repo",
                str(folder),
                "--team",
                "discover",
                "--cycle",
                "2026-Q4",
                "--today",
                day,
                "-f",
                "json",
            ).stdout
        )
        kr = next(k for o in status["objectives"] for k in o["key_results"] if k["id"] == "onboarding-completion")
        args = ("retro", "--repo", str(folder), "--team", "discover", "--stage", "end", "--today", day, "-f", "json")
        retro = json.loads(cli(*args).stdout)["objectives"][0]["key_results"][0]
        return kr["score"], retro["score"]

    assert scores("2026-12-31") != (0.1, 0.1)
    assert 0.1 not in scores("2027-01-05")
    assert scores("2027-01-06") == (0.1, 0.1)

    def listed(day: str) -> list[str]:
        args = ("retro", "--repo", str(folder), "--team", "discover", "--stage", "end", "--today", day, "-f", "json")
        return [r["path"] for r in json.loads(cli(*args).stdout)["retros"]]

    assert "retros/2026-Q4/discover-end.yaml" not in listed("2026-12-31")
    assert "retros/2026-Q4/discover-end.yaml" in listed("2027-01-10")
    # The cycle's report, made after the retro, shows December as of 2026-12-31 with its scores.
    args = ("report", "--repo", str(folder), "--unit", "discover", "--cycle", "2026-Q4", "--no-history", "-f", "json")
    for day, expected in (("2027-01-10", 0.1), ("2026-12-31", None)):
        report = json.loads(cli(*args, "--today", day).stdout)
        krs = [k for o in report["objectives"] for k in o.get("key_results", []) if k["id"] == "onboarding-completion"]
        assert krs, report.keys()
        assert (krs[0]["score"] == 0.1) is (expected == 0.1), (day, krs[0])


@pytest.mark.parametrize("unit", [False, True])
def test_on_the_cycles_last_day_the_end_retro_says_its_scores_are_so_far(cli, unit: bool) -> None:
    """On 31 December a check-in of 2026-Q4 can still land (OKR507 counts the cycle ended from the
    day after): the end retro's scores are so far, as on any earlier day; the day after, final. The
    end stage is the default from the last day on, and the line says it is the last day (it said
    "the cycle has not ended" under an end-of-cycle title)."""
    who = ["--unit", "digital-services"] if unit else ["--team", "cards"]
    last = cli("retro", "--repo", BANCO, *who, "--today", "2026-12-31", "-f", "json")
    after = cli("retro", "--repo", BANCO, *who, "--today", "2027-01-01", "--cycle", "2026-Q4", "-f", "json")
    assert last.exit_code == after.exit_code == 0, last.output + after.output
    assert json.loads(last.stdout)["provisional"] is True
    assert json.loads(after.stdout)["provisional"] is False
    text = cli("retro", "--repo", BANCO, *who, "--today", "2026-12-31").stdout
    assert text.startswith("Retro across" if unit else "End-of-cycle retro pre-read")
    assert "today 2026-12-31: the cycle's last day, scores are what they would be if it ended today" in text
    before = cli("retro", "--repo", BANCO, *who, "--today", "2026-12-30", "--stage", "end").stdout
    assert "today 2026-12-30: the cycle has not ended, scores are what they would be if it ended today" in before


def test_check_in_discipline_under_a_longer_cadence_counts_its_periods_not_weeks(cli, tmp_path: Path) -> None:
    """With check-ins every 14 days, a quarter holds 7 periods: they were called "7 weeks"."""
    import shutil

    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    config = repo / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("cadence_days: 7 ", "cadence_days: 14"), encoding="utf-8"
    )
    args = ("retro", "--repo", str(repo), "--unit", "digital-services", "--stage", "end", "--today", "2027-01-08")
    text = cli(*args).stdout
    assert "Cards: 4 of 7 periods of 14 days with a check-in (57%)" in text
    assert " weeks with a check-in" not in text
    # The question asks about the configured rhythm, not a weekly one.
    said = " ".join(text.split())  # (the question wraps at the width)
    assert "what got in the way of the rhythm of a check-in every 14 days?" in said
    assert "weekly rhythm" not in said
    payload = json.loads(cli(*args, "-f", "json").stdout)
    assert {d["cadence_days"] for d in payload["checkin_discipline"]} == {14}


def test_one_week_is_said_in_the_singular(cli, copy_example) -> None:
    """An issue raised on Thursday and again on Friday came up "(1 weeks)"; on the cycle's third
    day the discipline read "1 of 1 weeks"."""
    folder = copy_example("banco")
    friday = folder / "checkins/discover/2026-11-20.yaml"
    text = friday.read_text(encoding="utf-8").replace("issues:\n", "issues:\n  - Staging down\n")
    friday.write_text(text, encoding="utf-8")
    (folder / "checkins/discover/2026-11-19.yaml").write_text(text.replace("2026-11-20", "2026-11-19"), "utf-8")
    result = cli("retro", "--repo", str(folder), "--team", "discover", "--today", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "in 2 check-ins, 2026-11-19 to 2026-11-20 (1 week)\n" in result.stdout
    assert "'Staging down' came up in 2 check-ins over 1 week: " in result.stdout
    assert "1 weeks" not in result.stdout
    third_day = cli("retro", "--repo", str(folder), "--team", "discover", "--today", "2026-10-03")
    assert "  Discover: 1 of 1 week with a check-in (100%)\n" in third_day.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_in_the_cycles_first_week_the_discipline_has_no_full_week_yet_not_a_cycle_not_started(
    cli, copy_example, fmt: str
) -> None:
    """On 2026-10-01, the first day of 2026-Q4, the pre-read said the cycle "contains today" and its
    discipline "the cycle has not started"; that is kept for a cycle that starts after today."""
    first_day = ("retro", "--repo", BANCO, "--today", "2026-10-01", "-f", fmt)
    team = cli(*first_day, "--team", "discover")
    assert team.exit_code == 0, team.stderr
    assert "Discover: no full week yet" in team.stdout
    unit = cli(*first_day, "--unit", "digital-services").stdout
    assert "Cards: no full week yet" in unit and "Core Platform: no full week yet" in unit
    assert "has not started" not in team.stdout + unit
    before = cli(
        "retro", "--repo", BANCO, "--team", "discover", "--cycle", "2026-Q4", "--today", "2026-09-20", "-f", fmt
    )
    assert "Discover: the cycle has not started" in before.stdout
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    config.write_text(config.read_text("utf-8").replace("cadence_days: 7 ", "cadence_days: 14"), "utf-8")
    fortnight = cli("retro", "--repo", str(folder), "--team", "cards", "--today", "2026-10-01", "-f", fmt)
    assert "Cards: no full period of 14 days yet" in fortnight.stdout


def test_the_questions_speak_of_the_objectives_the_team_holds(cli) -> None:
    """A team with no objective in the cycle was asked "Is our objective still the right one?" and
    what pulled it toward "the objective"; one with three was asked about one objective."""

    def questions(*args: str) -> str:
        result = cli("retro", "--repo", BANCO, *args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return "\n".join(json.loads(result.stdout)["questions"])

    none = questions("--team", "discover", "--cycle", "2027-Q1", "--today", DEMO_DAY)
    assert "We hold no objective this cycle" in none
    assert "our objective" not in none and "the objective" not in none
    several = questions("--team", "digital-services", "--today", DEMO_DAY)
    assert "Are our objectives still the right ones?" in several
    assert "What pulled us toward our objectives (attractors)" in several
    one = questions("--team", "discover", "--today", DEMO_DAY)
    assert "Is our objective still the right one?" in one and "toward the objective" in one


def test_an_objective_without_key_results_has_no_score_after_its_cycle_as_in_status(cli, copy_example) -> None:
    """An objective with no key result yet (OKR302, a warning) has no score once its cycle ended:
    ``status`` and ``report`` give none, and the retro read the cycle as still running (its test
    was "a score is there") and scored it 0.00, red."""
    root = copy_example("saas")
    sales = root / "okrs" / "2026-Q4" / "sales.yaml"
    sales.write_text(
        sales.read_text(encoding="utf-8")
        + "---\napiVersion: okrctl/v1\nkind: Objective\nid: sales-empty\nowner: sales\ncycle: 2026-Q4\n"
        "title: Key results to come\naligns: [{to: subscriptions-5000}]\n",
        encoding="utf-8",
    )
    args = ("--repo", str(root), "--cycle", "2026-Q4", "--today", "2027-01-05", "--format", "json")
    retro = json.loads(cli("retro", "--team", "sales", *args).stdout)
    status = json.loads(cli("status", *args).stdout)
    scores = {o["id"]: o["score"] for o in retro["objectives"]}
    assert scores["sales-empty"] is None
    assert scores == {o["id"]: o["score"] for o in status["objectives"] if o["owner"] == "sales"}


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("    target: 90", "    target: .inf", 30),
        ("title: Make the first week", "title: !goal Make the first week", 15),
    ],
    ids=["infinite-target", "tag"],
)
def test_a_team_whose_only_objective_has_errors_is_sent_to_that_file_not_told_it_has_none(
    cli, copy_example, git_repo, old, new, line
) -> None:
    """The retro said "discover has no objectives in any cycle; pass --cycle" (exit 2, no file), or,
    given the cycle, "discover has no objectives in 2026-Q4" and asked whether to set one. The team
    holds one: its file and the line of its first error are named (exit 1), as checkin does."""
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "discover.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    git_repo(root)
    where = f"okrctl: okrs/2026-Q4/discover.yaml:{line}: the objective of 'discover' here has errors, so"
    fix = "to look back on; fix it first ('okrctl align okrs/2026-Q4/discover.yaml' shows every problem)\n"
    base = ("retro", "--repo", str(root), "--today", DEMO_DAY)
    for args, said in [
        (("--team", "discover"), "'discover' has no valid objective in 2026-Q4"),
        (("--unit", "discover"), "'discover' has no valid objective in 2026-Q4"),
        (("--team", "discover", "--write"), "'discover' has no valid objective in 2026-Q4"),
        (("--team", "discover", "--cycle", "2026-Q4"), "'discover' has no valid objective in 2026-Q4"),
    ]:
        result = cli(*base, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"{where} {said} {fix}"), args
    assert git(root, "status", "--porcelain") == ""  # --write wrote nothing
    # Another cycle, which the broken objective is not of, is still a pre-read (with the usual note).
    other = cli(*base, "--team", "discover", "--cycle", "2026-Q3")
    assert other.exit_code == 0 and "Discover (discover), 2026-Q3" in other.stdout
    assert "are left out of what is shown (first: okrs/2026-Q4/discover.yaml)" in other.stderr
    # The unit above it still has valid objectives of that cycle: its overview goes on, with the note.
    unit = cli(*base, "--unit", "digital-services")
    assert unit.exit_code == 0 and "are left out of what is shown" in unit.stderr


def _discover_valid_last_quarter(root: Path) -> Path:
    """banco (``root``) with a valid 2026-Q3 objective of discover beside its 2026-Q4 one, whose
    file it returns (for the test to break)."""
    (root / "okrs" / "2026-Q3").mkdir()
    (root / "okrs" / "2026-Q3" / "discover.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: discover-q3\nowner: discover\ncycle: 2026-Q3\n"
        "title: Make account setup shorter\nkey_results:\n  - id: setup-minutes\n"
        "    title: Account setup falls from 20 to 10 minutes\n    baseline: 20\n    target: 10\n",
        encoding="utf-8",
    )
    return root / "okrs" / "2026-Q4" / "discover.yaml"


def test_a_broken_objective_of_today_s_cycle_is_named_not_passed_over_for_last_cycle_s(
    cli, copy_example, git_repo
) -> None:
    """With last quarter's objective valid and this quarter's broken, the retro with no --cycle
    reviewed last quarter (exit 0, 'the latest cycle that started') and --write wrote its retro
    file. The default cycle is the shortest that contains today, the broken objective's: its file
    and the line of its first error are named (exit 1, nothing written), as checkin does."""
    root = copy_example("banco")
    path = _discover_valid_last_quarter(root)
    text = path.read_text(encoding="utf-8")
    assert text.count("    target: 90") == 1
    path.write_text(text.replace("    target: 90", "    target: .inf"), encoding="utf-8")
    git_repo(root)
    refusal = (
        "okrctl: okrs/2026-Q4/discover.yaml:30: the objective of 'discover' here has errors, so 'discover' has "
        "no valid objective in 2026-Q4 to look back on; fix it first ('okrctl align okrs/2026-Q4/discover.yaml' "
        "shows every problem)\n"
    )
    base = ("retro", "--repo", str(root), "--today", DEMO_DAY)
    for args in [
        ("--team", "discover"),
        ("--team", "discover", "--write"),
        ("--team", "discover", "--format", "json"),
        ("--team", "discover", "--format", "markdown", "--stage", "end"),
        ("--unit", "discover"),
    ]:
        result = cli(*base, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", refusal), args
    assert git(root, "status", "--porcelain") == ""  # no retros/2026-Q3/discover-end.yaml
    # Last quarter's end retro, in the weeks after it ended, and last quarter asked for, are still pre-reads.
    ended = cli("retro", "--repo", str(root), "--today", "2026-10-20", "--team", "discover", "--stage", "end")
    assert ended.exit_code == 0 and "cycle: 2026-Q3, 2026-07-01 to 2026-09-30 (ended 2026-09-30)" in ended.stdout
    asked = cli(*base, "--team", "discover", "--cycle", "2026-Q3")
    assert asked.exit_code == 0 and "Discover (discover), 2026-Q3" in asked.stdout


# Last quarter's objective of discover with an error (its baseline is text), for the tests of which
# broken objective a retro names.
LAST_QUARTERS_BROKEN = (
    "apiVersion: okrctl/v1\nkind: Objective\nid: discover-q3\nowner: discover\ncycle: 2026-Q3\n"
    "title: Make account setup shorter\nkey_results:\n  - id: setup-minutes\n    title: Setup\n"
    "    baseline: x\n    target: 10\n"
)
# The ways a retro of discover is asked for that all refuse alike.
RETRO_VARIANTS = [
    ("--team", "discover"),
    ("--team", "discover", "--format", "json"),
    ("--team", "discover", "--stage", "mid"),
    ("--team", "discover", "--write"),
    ("--unit", "discover"),
]


def _no_valid_objective_in_q4(line: int) -> str:
    return (
        f"okrctl: okrs/2026-Q4/discover.yaml:{line}: the objective of 'discover' here has errors, so 'discover' "
        "has no valid objective in 2026-Q4 to look back on; fix it first ('okrctl align "
        "okrs/2026-Q4/discover.yaml' shows every problem)\n"
    )


def test_a_broken_objective_is_named_with_the_line_of_its_own_first_error_not_of_its_file(
    cli, copy_example, git_repo
) -> None:
    """A file that holds a broken objective of last quarter before this quarter's broken one: the
    retro of this quarter named line 10, the error of last quarter's objective. It names the first
    error of this quarter's objective, where align reports it (text, JSON, --stage mid, --write,
    --unit), as checkin does."""
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "discover.yaml"
    last_quarter = LAST_QUARTERS_BROKEN + "---\n"
    text = path.read_text(encoding="utf-8")
    assert text.count("    target: 90") == 1
    path.write_text(last_quarter + text.replace("    target: 90", "    target: .inf"), encoding="utf-8")
    git_repo(root)
    line = len(last_quarter.splitlines()) + 30
    align = cli("align", "--repo", str(root), "--today", DEMO_DAY).stdout
    assert "okrs/2026-Q4/discover.yaml:10:" in align and f"okrs/2026-Q4/discover.yaml:{line}:" in align
    refusal = _no_valid_objective_in_q4(line)
    base = ("retro", "--repo", str(root), "--today", DEMO_DAY, "--cycle", "2026-Q4")
    for args in [
        *RETRO_VARIANTS,
    ]:
        result = cli(*base, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", refusal), args
    assert git(root, "status", "--porcelain") == ""  # --write wrote nothing


@pytest.mark.parametrize("one_file", [False, True], ids=["files-of-each-quarter", "one-file"])
def test_with_no_cycle_given_this_quarter_s_broken_objective_is_named_not_last_quarter_s(
    cli, copy_example, git_repo, one_file: bool
) -> None:
    """Last quarter's objective and this quarter's both broken: the retro with no --cycle named last
    quarter's first error (okrs/2026-Q3/discover.yaml:10, '... no valid objective in any cycle'),
    while --cycle 2026-Q4 and checkin named this quarter's. The default cycle is 2026-Q4: its
    objective's first error is named, in text, JSON, --stage, --write and --unit, as with --cycle."""
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "discover.yaml"
    last_quarter = LAST_QUARTERS_BROKEN
    text = path.read_text(encoding="utf-8")
    assert text.count("    target: 90") == 1
    text = text.replace("    target: 90", "    target: .inf")
    line = 30
    if one_file:
        path.write_text(last_quarter + "---\n" + text, encoding="utf-8")
        line += len(last_quarter.splitlines()) + 1
    else:
        path.write_text(text, encoding="utf-8")
        (root / "okrs" / "2026-Q3").mkdir()
        (root / "okrs" / "2026-Q3" / "discover.yaml").write_text(last_quarter, encoding="utf-8")
    git_repo(root)
    refusal = _no_valid_objective_in_q4(line)
    base = ("retro", "--repo", str(root), "--today", DEMO_DAY)
    for args in [
        *RETRO_VARIANTS,
        ("--team", "discover", "--cycle", "2026-Q4"),
    ]:
        result = cli(*base, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", refusal), args
    assert git(root, "status", "--porcelain") == ""  # --write wrote nothing
    checkin = cli("checkin", "--repo", str(root), "--today", DEMO_DAY, "--team", "discover", "-c", "7", "--dry-run")
    assert checkin.exit_code == 1 and f"okrs/2026-Q4/discover.yaml:{line}:" in checkin.stderr


@pytest.mark.parametrize(
    ("old", "new", "line", "whose"),
    [
        ("cycle: 2026-Q4\n", "", 10, "the objective of 'discover' here has errors"),
        (
            "cycle: 2026-Q4\n",
            "cycle: 2026Q4\n",
            14,
            "the objective of 'discover' here names the unknown cycle '2026Q4'",
        ),
        ("owner: discover\n", "", 10, "an objective here with no readable owner has errors"),
    ],
    ids=["no-cycle", "unknown-cycle", "no-owner"],
)
def test_today_s_objective_with_a_broken_cycle_or_owner_is_named_not_passed_over_for_last_cycle_s(
    cli, copy_example, git_repo, old: str, new: str, line: int, whose: str
) -> None:
    """This quarter's objective that lost its cycle line, names an unknown cycle (OKR104) or lost
    its owner could not be placed in a cycle: the retro with no --cycle reviewed last quarter
    (exit 0) and --write wrote retros/2026-Q3/discover-end.yaml, while checkin refused. Such an
    objective may be today's, as checkin takes it: its file and line are named (exit 1), nothing
    is written."""
    root = copy_example("banco")
    path = _discover_valid_last_quarter(root)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    git_repo(root)
    refusal = (
        f"okrctl: okrs/2026-Q4/discover.yaml:{line}: {whose}, so 'discover' has no valid objective in 2026-Q4 "
        "to look back on; fix it first ('okrctl align okrs/2026-Q4/discover.yaml' shows every problem)\n"
    )
    base = ("retro", "--repo", str(root), "--today", DEMO_DAY)
    for args in [
        ("--team", "discover"),
        ("--team", "discover", "--write"),
        ("--team", "discover", "--format", "json"),
        ("--unit", "discover"),
    ]:
        result = cli(*base, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (1, "", refusal), args
    assert git(root, "status", "--porcelain") == ""  # no retros/2026-Q3/discover-end.yaml
    asked = cli(*base, "--team", "discover", "--cycle", "2026-Q3")
    assert asked.exit_code == 0 and "Discover (discover), 2026-Q3" in asked.stdout


def test_an_objective_of_an_unknown_cycle_today_does_not_stop_the_retro_of_a_past_cycle_asked(
    cli, copy_example, git_repo
) -> None:
    """This quarter's objective naming an unknown cycle (2026Q4) may be today's, but not last
    quarter's: retro --cycle 2026-Q3 refused (exit 1), blaming it for 'no valid objective in
    2026-Q3'. The past cycle asked for is answered as it is when the file is valid; with no --cycle
    (today's cycle) the file is still named."""
    root = copy_example("saas")
    git_repo(root)
    base = ("retro", "--repo", str(root), "--today", DEMO_DAY, "--team", "sales", "--cycle", "2026-Q3")
    asked = [(), ("--format", "json"), ("--write",)]
    valid = [cli(*base, *args) for args in asked]
    assert "sales has no objectives in 2026-Q3" in valid[0].stdout and valid[0].exit_code == 0
    path = root / "okrs" / "2026-Q4" / "sales.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("cycle: 2026-Q4\n") == 1
    path.write_text(text.replace("cycle: 2026-Q4\n", "cycle: 2026Q4\n"), encoding="utf-8")
    for args, before in zip(asked, valid, strict=True):
        result = cli(*base, *args)
        assert (result.exit_code, result.stdout, result.stderr) == (before.exit_code, before.stdout, before.stderr), (
            args
        )
    today = cli("retro", "--repo", str(root), "--today", DEMO_DAY, "--team", "sales")
    assert (
        today.exit_code == 1
        and "okrs/2026-Q4/sales.yaml:7: the objective of 'sales' here names the unknown cycle '2026Q4'" in today.stderr
    )
