"""``okrctl checkin``: the Friday check-in, from flags and at a real terminal, in real git repositories."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, git
from tests.helpers_git import committed_by_a_member, drop_from_the_index, edit
from tests.pty_driver import Terminal

FRIDAY = "2026-11-27"  # the Friday after the examples' last check-in
NEW = f"checkins/discover/{FRIDAY}.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    """A git repository holding the banco example; git user.email is a Discover member."""
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def status_of(root: Path) -> str:
    return git(root, "status", "--porcelain")


def run(cli, root: Path, *args: str, today: str = FRIDAY):
    return cli("checkin", "--repo", str(root), "--today", today, *args)


# ----- from flags --------------------------------------------------------------------------------
def test_a_checkin_from_flags_writes_validates_and_commits_only_that_file(cli, banco: Path) -> None:
    # Something else the user had staged stays staged and out of the commit.
    (banco / "notes.md").write_text("draft\n")
    git(banco, "add", "notes.md")
    before = head(banco)
    result = run(
        cli,
        banco,
        "--confidence",
        "7",
        "--result",
        "onboarding-completion=81",
        "--result",
        "tutorial-engagement=38",
        "--note",
        "tutorial-engagement=Spanish version live",
        "--issue",
        "KYC answers slow again",
        "--plan",
        "Tutorial in Spanish for everyone",
    )
    assert result.exit_code == 0, result.stderr
    assert (banco / NEW).read_text() == (
        "# GRIP check-in of Discover for 2026-11-27, written with `okrctl checkin`.\n"
        "apiVersion: okrctl/v1\n"
        "kind: CheckIn\n"
        "owner: discover\n"
        "date: 2026-11-27\n"
        "author: ana.costa@example.com\n"
        "confidence: 7\n"
        "results:\n"
        "  onboarding-completion: 81\n"
        "  tutorial-engagement: {value: 38, note: Spanish version live}\n"
        "issues:\n"
        "  - KYC answers slow again\n"
        "plan:\n"
        "  - Tutorial in Spanish for everyone\n"
    )
    assert git(banco, "log", "-1", "--format=%s").strip() == f"checkin(discover): {FRIDAY} confidence 7/10"
    assert git(banco, "rev-parse", "HEAD~1").strip() == before
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]
    assert status_of(banco) == "A  notes.md\n"
    assert f"wrote {NEW}" in result.stdout
    assert "committed" in result.stdout and "discover-first-week" in result.stdout
    # What align sees afterwards: nothing new to complain about.
    assert cli("align", "--repo", str(banco), "--today", FRIDAY, "--format", "concise").exit_code == 0


def test_the_team_comes_from_the_flag_the_environment_or_git_user_email(cli, banco: Path) -> None:
    result = run(cli, banco, "--team", "cards", "--confidence", "6", "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert (banco / f"checkins/cards/{FRIDAY}.yaml").exists()
    result = cli(
        "checkin",
        "--repo",
        str(banco),
        "--today",
        FRIDAY,
        "-c",
        "6",
        "--no-commit",
        env={"OKRCTL_TEAM": "core-platform"},
    )
    assert result.exit_code == 0, result.stderr
    assert (banco / f"checkins/core-platform/{FRIDAY}.yaml").exists()
    git(banco, "config", "user.email", "nobody@example.com")
    result = run(cli, banco, "-c", "6")
    assert result.exit_code == 2
    assert "no --team given and git user.email nobody@example.com is not a member of any unit" in result.stderr


def test_several_objectives_take_one_confidence_each(cli, banco: Path) -> None:
    result = run(
        cli,
        banco,
        "--team",
        "digital-services",
        "-c",
        "digital-first-week=7",
        "-c",
        "sme-digital-banking=4",
        "-c",
        "resilient-digital-channels=8",
        "-r",
        "nps=29",
        "--no-commit",
    )
    assert result.exit_code == 0, result.stderr
    text = (banco / f"checkins/digital-services/{FRIDAY}.yaml").read_text()
    assert "confidence:\n  digital-first-week: 7\n  sme-digital-banking: 4\n  resilient-digital-channels: 8\n" in text
    assert "results:\n  nps: 29\n" in text


def test_milestone_values_accept_words_and_fractions(cli, banco: Path) -> None:
    objective = banco / "okrs/2026-Q4/discover.yaml"
    objective.write_text(
        objective.read_text() + "  - {id: new-kyc-flow, type: milestone, title: New KYC flow live for all users}\n"
    )
    for word, written in (("done", "true"), ("no", "false"), ("0.25", "0.25"), ("YES", "true")):
        result = run(cli, banco, "-c", "7", "-r", f"new-kyc-flow={word}", "--dry-run")
        assert result.exit_code == 0, result.stderr
        assert f"  new-kyc-flow: {written}\n" in result.stdout
    result = run(cli, banco, "-c", "7", "-r", "new-kyc-flow=1.5", "--dry-run")
    assert result.exit_code == 2
    assert "is not done/not done" in result.stderr


def test_dry_run_prints_the_yaml_and_writes_nothing(cli, banco: Path) -> None:
    before = head(banco)
    result = run(cli, banco, "-c", "8", "-r", "setup-tickets=320", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# GRIP check-in of Discover for 2026-11-27")
    assert "  setup-tickets: 320\n" in result.stdout
    assert not (banco / NEW).exists()
    assert head(banco) == before and status_of(banco) == ""


def test_a_dry_run_without_findings_still_says_nothing_was_written(cli, banco: Path) -> None:
    """docs/checkin.md: standard output carries the YAML alone, and the "not written" line goes to
    standard error, findings or not (as `measure --dry-run` does), so nobody takes the YAML for a
    saved check-in."""
    result = run(cli, banco, "-c", "8", "-r", "setup-tickets=320", "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# GRIP check-in of Discover for 2026-11-27")
    assert "dry run" not in result.stdout
    assert result.stderr == f"✓ dry run: {NEW} not written\n"
    assert not (banco / NEW).exists()


def test_a_dry_run_with_findings_keeps_standard_output_to_the_yaml(cli, banco: Path) -> None:
    """A confidence drop is reported on standard error: standard output stays the check-in alone,
    a document a script can keep (it once carried the findings as two more mapping keys)."""
    import yaml

    result = run(cli, banco, "-c", "2", "-r", "setup-tickets=320", "--dry-run")
    assert result.exit_code == 0, result.stderr
    document = yaml.safe_load(result.stdout)
    assert set(document) <= {"apiVersion", "kind", "owner", "date", "author", "confidence", "results", "issues", "plan"}
    assert document["kind"] == "CheckIn" and document["confidence"] == 2
    assert "Check-in findings" not in result.stdout and "dry run" not in result.stdout
    assert "Check-in findings:" in result.stderr and "OKR505" in result.stderr
    assert f"dry run: {NEW} not written" in result.stderr
    assert not (banco / NEW).exists()


def test_no_commit_writes_only(cli, banco: Path) -> None:
    before = head(banco)
    result = run(cli, banco, "-c", "8", "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert (banco / NEW).exists()
    assert head(banco) == before
    assert status_of(banco) == f"?? {NEW}\n"
    assert "not committed (--no-commit)" in result.stdout


def test_outside_git_it_writes_and_says_so(cli, copy_example) -> None:
    root = copy_example("banco")
    result = run(cli, root, "--team", "discover", "-c", "8")
    assert result.exit_code == 0, result.stderr
    assert (root / NEW).exists()
    assert "not committed: the repository is not inside a git repository" in result.stdout


def test_the_repository_may_live_in_a_subfolder_of_the_git_repository(cli, tmp_path: Path, git_repo) -> None:
    import shutil

    from tests.conftest import EXAMPLES

    top = tmp_path / "monorepo"
    shutil.copytree(EXAMPLES / "banco", top / "okrs-here")
    git_repo(top)
    result = run(cli, top / "okrs-here", "--team", "discover", "-c", "8")
    assert result.exit_code == 0, result.stderr
    assert git(top, "show", "--name-only", "--format=", "HEAD").split() == [f"okrs-here/{NEW}"]


def test_the_checkin_ends_with_the_teams_status_and_its_findings(cli, banco: Path) -> None:
    # 8 → 5 is a confidence drop (OKR505).
    result = run(cli, banco, "-c", "5", "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert "discover-first-week  Make the first week seamless" in result.stdout
    assert "progress 57%, expected 64%" in result.stdout
    assert "Check-in findings:" in result.stdout
    assert "OKR505 warning  confidence in 'discover-first-week' dropped from 8 to 5" in result.stdout
    # Small Business App at 9/10 while far behind is an optimism gap (OKR506).
    result = run(cli, banco, "--team", "small-business-app", "-c", "9", "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert "OKR506 warning  confidence 9/10 on 2026-11-27 while 'sme-open-in-app' was off-track" in result.stdout


def test_a_back_dated_checkin_between_two_others_gets_its_findings_as_of_its_day(cli, banco: Path) -> None:
    """docs/checkin.md: a check-in for an earlier --date ends with its status as of that day, and
    its findings judge its numbers there, against the check-in before it, though a later one is
    the team's latest (which align judges)."""
    later = "2026-12-04"
    for team, confidence in (("discover", "8"), ("small-business-app", "3")):
        result = run(cli, banco, "--team", team, "--date", later, "-c", confidence, today=later)
        assert result.exit_code == 0, result.stderr
    # Filling in the missed week: 8 on 2026-11-20, 5 now, 8 again on 2026-12-04.
    result = run(cli, banco, "--team", "discover", "--date", FRIDAY, "-c", "5", today=later)
    assert result.exit_code == 0, result.stderr
    assert (banco / NEW).exists()
    assert "progress 57%, expected 64%" in result.stdout  # as of 2026-11-27
    assert "Check-in findings:" in result.stdout
    assert (
        "OKR505 warning confidence in 'discover-first-week' dropped from 8 to 5 between 2026-11-20 and 2026-11-27"
        in " ".join(result.stdout.split())  # (the line wraps at the test's width)
    )
    # 9/10 on 2026-11-27 while far behind, though 3/10 a week later: the optimism gap of that day.
    args = ("--team", "small-business-app", "--date", FRIDAY, "-c", "9", "--dry-run")
    result = run(cli, banco, *args, today=later)
    assert result.exit_code == 0, result.stderr
    assert "OKR506 warning  confidence 9/10 on 2026-11-27 while 'sme-open-in-app' was off-track" in result.stderr
    # align still judges the team's latest check-in: 5 → 8 is no drop.
    align = cli("align", "--repo", str(banco), "--today", later, "--format", "concise", "--select", "OKR505")
    assert align.exit_code == 0, align.stderr
    assert "checkins/discover/" not in align.stdout


MISSED = "2026-11-13"  # a week filled in later, the team's check-in of 2026-11-20 after it
SME_LATER = "checkins/small-business-app/2026-11-20.yaml"


def said_by_the_dry_run_and_the_checkin(cli, banco: Path, args: tuple[str, ...], finding: str) -> None:
    """The dry run (on standard error) and the check-in itself (committed, on standard output)
    both list ``finding`` among the check-in findings, and both pass."""
    dry = run(cli, banco, *args, "--dry-run", today="2026-11-20")
    assert dry.exit_code == 0, dry.stderr
    assert "Check-in findings:" in dry.stderr
    assert finding in " ".join(dry.stderr.split())  # (the lines wrap at the test's width)
    result = run(cli, banco, *args, today="2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "Check-in findings:" in result.stdout
    assert finding in " ".join(result.stdout.split())
    assert status_of(banco) == ""


def strict_about_drops(root: Path) -> None:
    """okrctl.yaml makes a confidence drop (OKR505) an error, committed."""
    with (root / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write("rules:\n  severity: {OKR505: error}\n")
    git(root, "commit", "-q", "-am", "drops are errors")


def test_a_back_dated_checkin_names_the_drop_it_causes_on_the_teams_later_checkin(cli, banco: Path) -> None:
    """docs/checkin.md: a check-in filled in before the team's latest one can make align report
    a drop on that later check-in (7 now, 3 a week later); the check-in findings say so, as align
    will, for a new check-in, a dry run and an amend, and say nothing once it is gone."""
    git(banco, "rm", "-q", f"checkins/small-business-app/{MISSED}.yaml")
    git(banco, "commit", "-q", "-m", "a missed week")
    drop = (
        f"OKR505 warning confidence in 'sme-open-in-app' dropped from 7 to 3 between {MISSED} and 2026-11-20 "
        f"{SME_LATER}:6:13"
    )
    args = ("--team", "small-business-app", "--date", MISSED, "-c", "7")
    said_by_the_dry_run_and_the_checkin(cli, banco, args, drop)
    # align reports what the check-in said, and nothing it did not say.
    align = cli("align", "--repo", str(banco), "--today", "2026-11-20", "--format", "concise", "--strict")
    assert align.exit_code == 1
    assert align.stdout == (
        f"{SME_LATER}:6:13: OKR505 warning confidence in 'sme-open-in-app' dropped from 7 to 3 between "
        f"{MISSED} and 2026-11-20\n"
    )
    # Amended to 4, there is no drop to the later 3 any more: nothing to say, and align passes.
    result = run(cli, banco, "--team", "small-business-app", "--date", MISSED, "--amend", "-c", "4", today="2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "Check-in findings:" not in result.stdout
    align = cli("align", "--repo", str(banco), "--today", "2026-11-20", "--format", "concise", "--strict")
    assert align.exit_code == 0, align.stdout


@pytest.mark.parametrize("dry_run", [False, True])
def test_a_drop_of_error_severity_on_the_teams_later_checkin_refuses_a_back_dated_one(
    cli, banco: Path, dry_run: bool
) -> None:
    """With OKR505 an error, a back-dated check-in that makes the team's latest check-in a drop is
    refused, as a drop on itself would be: align would fail on it."""
    strict_about_drops(banco)
    before = head(banco)
    original = (banco / f"checkins/small-business-app/{MISSED}.yaml").read_bytes()
    args = ["--team", "small-business-app", "--date", MISSED, "--amend", "-c", "7"] + (["--dry-run"] if dry_run else [])
    result = run(cli, banco, *args, today="2026-11-20")
    assert result.exit_code == 1, result.stdout + result.stderr
    assert result.stderr == (
        f"okrctl: the check-in does not pass align; nothing was written: {SME_LATER}:6:13: OKR505 confidence in "
        f"'sme-open-in-app' dropped from 7 to 3 between {MISSED} and 2026-11-20\n"
    )
    assert (banco / f"checkins/small-business-app/{MISSED}.yaml").read_bytes() == original
    assert_untouched(banco, before)


def test_an_amendment_is_not_blamed_for_a_drop_the_later_checkin_had_before_it(cli, banco: Path) -> None:
    """The team's later check-in already drops from the one amended (9 → 6, an error here, which
    align already reports): an amendment that keeps the 9 causes nothing, is written, and names no
    finding of the later file."""
    amended = banco / f"checkins/cards/{MISSED}.yaml"
    text = amended.read_text(encoding="utf-8")
    assert "\nconfidence: 5\n" in text
    amended.write_text(text.replace("\nconfidence: 5\n", "\nconfidence: 9\n"), encoding="utf-8")
    git(banco, "commit", "-q", "-am", "cards: 9 on the 13th")
    strict_about_drops(banco)
    assert cli("align", "--repo", str(banco), "--today", "2026-11-20", "--format", "concise").exit_code == 1
    args = ("--team", "cards", "--date", MISSED, "--amend", "--plan", "Express courier in Lisbon, Porto and Braga")
    dry = run(cli, banco, *args, "--dry-run", today="2026-11-20")
    assert dry.exit_code == 0, dry.stderr
    assert "dropped from 9 to 6" not in dry.stdout + dry.stderr
    result = run(cli, banco, *args, "--no-commit", today="2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "dropped from 9 to 6" not in result.stdout + result.stderr
    assert "Express courier in Lisbon, Porto and Braga" in amended.read_text(encoding="utf-8")


CARDS_NOVEMBER = "checkins/cards/2026-11.yaml"


def a_month_in_one_file(root: Path) -> str:
    """Cards' November check-ins (the 6th, 13th and 20th) moved into one file, committed, the 13th
    at 9, so that the 20th (6) drops from it; returns the text of the file."""
    folder = root / "checkins/cards"
    days = ("2026-11-06", MISSED, "2026-11-20")
    text = "".join("---\n" + (folder / f"{day}.yaml").read_text(encoding="utf-8") for day in days)
    head_of_13th, rest = text.split(f"date: {MISSED}\n")
    text = head_of_13th + f"date: {MISSED}\n" + rest.replace("\nconfidence: 5\n", "\nconfidence: 9\n", 1)
    git(root, "rm", "-q", *(f"checkins/cards/{day}.yaml" for day in days))
    (root / CARDS_NOVEMBER).write_text(text, encoding="utf-8")
    git(root, "add", CARDS_NOVEMBER)
    git(root, "commit", "-q", "-m", "cards: November in one file")
    return text


@pytest.mark.slow  # (about a second: four check-ins written and committed, then amended)
@pytest.mark.parametrize("severity", ["warning", "error"])
def test_an_amendment_is_not_blamed_for_a_drop_another_checkin_of_its_file_had_before_it(
    cli, banco: Path, severity: str
) -> None:
    """docs/checkin.md: a file may hold several check-ins. Amending one of them is judged on its own
    document and on what it causes: the drop the file's last check-in already had (9 → 6) was taken
    for the amended check-in's own, listed under its findings, and with OKR505 an error the
    amendment was refused (exit 1, nothing written), for the dry run and from flags alike. A drop
    the amendment makes there is still its own."""
    text = a_month_in_one_file(banco)
    with (banco / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write(f"rules:\n  severity: {{OKR505: {severity}}}\n")
    git(banco, "commit", "-q", "-am", f"drops are {severity}s")
    align = cli("align", "--repo", str(banco), "--today", "2026-11-20", "--format", "concise", "--strict")
    assert align.exit_code == 1 and "dropped from 9 to 6" in align.stdout
    later = text[text.index("date: 2026-11-20") :]
    for args in (
        ("--date", "2026-11-06", "--amend", "--plan", "Courier in Braga"),
        ("--date", MISSED, "--amend", "-c", "9", "--note", "card-delivery-days=Braga next"),
    ):
        dry = run(cli, banco, "--team", "cards", *args, "--dry-run", today="2026-11-20")
        assert dry.exit_code == 0, dry.stderr
        assert "Check-in findings:" not in dry.stderr and "dropped" not in dry.stderr
        result = run(cli, banco, "--team", "cards", *args, today="2026-11-20")
        assert result.exit_code == 0, result.stderr
        assert "Check-in findings:" not in result.stdout and "dropped" not in result.stdout + result.stderr
        assert status_of(banco) == ""
    amended = (banco / CARDS_NOVEMBER).read_text(encoding="utf-8")
    assert "Courier in Braga" in amended and "Braga next" in amended
    assert amended.endswith(later)  # the last check-in stays as it was
    # Back to 5, no drop; 9 again makes it: the amendment's, refused or listed.
    assert run(cli, banco, "--team", "cards", "--date", MISSED, "--amend", "-c", "5", today="2026-11-20").exit_code == 0
    line = (banco / CARDS_NOVEMBER).read_text(encoding="utf-8").splitlines().index("confidence: 6") + 1
    again = run(cli, banco, "--team", "cards", "--date", MISSED, "--amend", "-c", "9", "--dry-run", today="2026-11-20")
    drop = f"confidence in 'first-card-moment' dropped from 9 to 6 between {MISSED} and 2026-11-20"
    if severity == "error":
        assert again.exit_code == 1, again.stdout + again.stderr
        assert again.stderr == (
            f"okrctl: the check-in does not pass align; nothing was written: {CARDS_NOVEMBER}:{line}:13: OKR505 {drop}\n"
        )
    else:
        assert again.exit_code == 0, again.stderr
        assert f"OKR505 warning {drop} {CARDS_NOVEMBER}:{line}:13" in " ".join(again.stderr.split())


def test_an_amendment_is_not_refused_for_an_error_another_checkin_of_its_file_had_before_it(cli, banco: Path) -> None:
    """The file's last check-in already has an error (``confidence: high``, which align reports):
    amending the first check-in of the file was refused for it (exit 1); it is written and
    committed, the error left where it was, for align to report."""
    a_month_in_one_file(banco)
    edit(banco / CARDS_NOVEMBER, r"^confidence: 6$", "confidence: high")
    git(banco, "commit", "-q", "-am", "cards: a word for a number")
    broken = cli("align", "--repo", str(banco), "--today", "2026-11-20", "--format", "concise")
    assert broken.exit_code == 1 and "OKR101" in broken.stdout
    args = ("--team", "cards", "--date", "2026-11-06", "--amend", "--plan", "Courier in Braga")
    dry = run(cli, banco, *args, "--dry-run", today="2026-11-20")
    assert dry.exit_code == 0, dry.stderr
    result = run(cli, banco, *args, today="2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert status_of(banco) == ""
    text = (banco / CARDS_NOVEMBER).read_text(encoding="utf-8")
    assert "Courier in Braga" in text and "\nconfidence: high\n" in text


def test_an_amendment_answers_for_the_uncommitted_edit_it_commits(cli, banco: Path) -> None:
    """An amended file the last commit does not hold as it is, is checked like a new check-in: a drop
    on the later check-in that an uncommitted edit of the file makes (here 9, by hand, before a 6)
    is the amendment's, which commits that edit. Untracked, with OKR505 an error, it is refused and
    nothing committed; tracked and edited, it is listed."""
    amended = banco / f"checkins/cards/{MISSED}.yaml"
    text = amended.read_text(encoding="utf-8")
    nine = text.replace("\nconfidence: 5\n", "\nconfidence: 9\n")
    strict_about_drops(banco)
    git(banco, "rm", "-q", f"checkins/cards/{MISSED}.yaml")
    git(banco, "commit", "-q", "-m", "cards missed the 13th")
    amended.write_text(nine, encoding="utf-8")  # written by hand, not committed
    before = head(banco)
    refused = run(cli, banco, "--team", "cards", "--date", MISSED, "--amend", today="2026-11-20")
    assert refused.exit_code == 1, refused.stdout + refused.stderr
    assert "dropped from 9 to 6" in refused.stderr
    assert head(banco) == before and amended.read_text(encoding="utf-8") == nine
    # Tracked, and edited by hand before the amendment (OKR505 a warning again): listed.
    (banco / "okrctl.yaml").write_text(
        (banco / "okrctl.yaml").read_text(encoding="utf-8").replace("rules:\n  severity: {OKR505: error}\n", ""),
        encoding="utf-8",
    )
    amended.write_text(text, encoding="utf-8")
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "back to 5")
    amended.write_text(nine, encoding="utf-8")
    args = ("--team", "cards", "--date", MISSED, "--amend", "--plan", "Courier in Braga")
    dry = run(cli, banco, *args, "--dry-run", today="2026-11-20")
    assert dry.exit_code == 0, dry.stderr
    assert "dropped from 9 to 6" in " ".join(dry.stderr.split())


@pytest.mark.parametrize("flag", ["--assume-unchanged", "--skip-worktree"])
def test_a_hand_edit_the_index_hides_is_checked_like_a_new_checkin_and_never_said_committed(
    cli, banco: Path, flag: str
) -> None:
    """An index entry marked assume-unchanged or skip-worktree makes git compare HEAD with the
    entry, not the file: a hand edit under it was taken for the committed file, so an amendment
    committed its drop (an error here), and with skip-worktree said it was "committed meanwhile by
    another run" as a commit that lacks it. The file on disk is what is judged: refused, nothing
    committed."""
    strict_about_drops(banco)
    rel = f"checkins/cards/{MISSED}.yaml"
    git(banco, "update-index", flag, rel)
    amended = banco / rel
    amended.write_text(
        amended.read_text(encoding="utf-8").replace("\nconfidence: 5\n", "\nconfidence: 9\n"), encoding="utf-8"
    )
    before = head(banco)
    result = run(
        cli, banco, "--team", "cards", "--date", MISSED, "--amend", "--plan", "Courier in Braga", today="2026-11-20"
    )
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "does not pass align" in result.stderr and "dropped from 9 to 6" in result.stderr
    assert "meanwhile" not in result.stdout + result.stderr
    assert head(banco) == before


def test_a_back_dated_checkins_own_drop_of_error_severity_is_shown_though_align_does_not_fail(cli, banco: Path) -> None:
    """docs/checkin.md: a drop judged as of a back-dated check-in's day, which align does not
    report (it judges the latest check-in), is shown whatever its severity: an error too, marked
    so, without refusing the check-in."""
    strict_about_drops(banco)
    drop = f"OKR505 error confidence in 'discover-first-week' dropped from 6 to 2 between 2026-11-06 and {MISSED}"
    args = ("--team", "discover", "--date", MISSED, "--amend", "-c", "2")
    said_by_the_dry_run_and_the_checkin(cli, banco, args, drop)
    align = cli("align", "--repo", str(banco), "--today", "2026-11-20", "--format", "concise", "--strict")
    assert align.exit_code == 0, align.stdout


# ----- refusals: exit code, nothing written, nothing committed ---------------------------------------------
def assert_untouched(root: Path, before: str) -> None:
    assert head(root) == before
    assert status_of(root) == ""


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ["--team", "discovr", "-c", "7"],
            2,
            "--team: unknown unit 'discovr'; did you mean 'discover'? (teams: cards,",
        ),
        (
            ["--team", "nope", "-c", "7"],
            2,
            "(teams: cards, core-platform, discover, identity-platform, small-business-app; other units: banco, "
            "digital-services)",
        ),
        (["--team", "../../etc", "-c", "7"], 2, "--team: unknown unit '../../etc'"),
        ([], 2, "--confidence is required off a terminal (a number from 0 to 10)"),
        (["-c", "11"], 2, "--confidence: 11 is outside the confidence scale 0–10"),
        (["-c", "seven"], 2, "--confidence: 'seven' is not a number"),
        # (it was blamed on "the key result", which has no unit %)
        (["-c", "70%"], 2, "--confidence: '70%': a % sign, but a confidence is a number on the team's scale"),
        (
            ["-c", "discover-first-week=7 %"],
            2,
            "--confidence discover-first-week: '7 %': a % sign, but a confidence is a number on the team's scale",
        ),
        (["-c", "7", "-r", "nps=3"], 2, "--result: 'nps' is not a key result of discover on 2026-11-27"),
        (["-c", "7", "-r", "onboarding-completion"], 2, "--result: 'onboarding-completion' is not KR=VALUE"),
        (["-c", "7", "-r", "setup-tickets=lots"], 2, "--result setup-tickets: 'lots' is not a number"),
        (["-c", "7", "-r", "setup-tickets=nan"], 2, "--result setup-tickets: 'nan' is not a number"),
        (["-c", "7", "--note", "nps=hello"], 2, "--note: 'nps' is not a key result"),
        # (the last one was written, the others dropped without a word)
        (
            ["-c", "7", "--note", "setup-tickets=a", "--note", "discover-first-week/setup-tickets=b"],
            2,
            "--note: 'setup-tickets' given twice",
        ),
        (["-c", "7", "--date", "2026-12-04"], 2, "--date: 2026-12-04 is after today (2026-11-27)"),
        (
            ["-c", "7", "--date", "2026-09-04"],
            2,
            "--date: 'discover' has no objective whose cycle contains 2026-09-04: "
            "its objectives are in 2026-Q4 (2026-10-01 to 2026-12-31)",
        ),
        (["-c", "7", "--date", "27/11/2026"], 2, "--date: '27/11/2026' is not a date YYYY-MM-DD"),
        (["-c", "7", "--amend"], 2, "--amend: 'discover' has no check-in for 2026-11-27 to amend"),
        (["-c", "7", "--date", "2026-11-20"], 1, "'discover' already has a check-in for 2026-11-20"),
        (["-c", "7", "--issue", "x" * 2001], 2, "--issue: 2001 characters, over the limit of 2000"),
    ],
)
def test_refusals(cli, banco: Path, args: list[str], code: int, message: str) -> None:
    before = head(banco)
    result = run(cli, banco, *args)
    assert result.exit_code == code, result.stdout + result.stderr
    assert message in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback
    assert_untouched(banco, before)


def test_an_issue_or_plan_item_given_twice_is_written_once(cli, banco: Path) -> None:
    """As at a terminal, where an item typed twice is kept once."""
    result = run(
        cli, banco, "-c", "7", "-i", "Tax data late", "-i", "Tax data late", "-p", "Ask", "-p", "Ask", "--no-commit"
    )
    assert result.exit_code == 0, result.stderr
    text = (banco / "checkins/discover/2026-11-27.yaml").read_text(encoding="utf-8")
    assert text.count("Tax data late") == 1 and text.count("- Ask") == 1


# A mistyped flag is the user's to fix whatever the repository holds: exit 2 with the flag's message,
# never "the check-in exists" (exit 1) because the day's check-in, a file in its place or a broken
# okrctl.yaml happened to be looked at first.
MISTYPED = [
    (["-r", "onboarding-completion"], "--result: 'onboarding-completion' is not KR=VALUE"),
    (["-r", "setup-tickets=lots"], "--result setup-tickets: 'lots' is not a number"),
    (["-r", "nps=3"], "--result: 'nps' is not a key result of discover on 2026-11-20"),
    (["-c", "seven"], "--confidence: 'seven' is not a number"),
    (["-c", "11"], "--confidence: 11 is outside the confidence scale 0–10"),
    (["--note", "nps=hello"], "--note: 'nps' is not a key result"),
    (["--note", "setup-tickets="], "--note setup-tickets: empty text"),
    (["--issue", " "], "--issue: empty text"),
    (["--plan", "x" * 2001], "--plan: 2001 characters, over the limit of 2000"),
    (["--values-from", "no-such-kpis.csv"], "no-such-kpis.csv: no such file"),
]


@pytest.mark.parametrize(("args", "message"), MISTYPED, ids=[" ".join(a)[:40] for a, _ in MISTYPED])
def test_a_mistyped_flag_is_a_usage_error_even_when_the_checkin_exists(cli, banco: Path, args, message) -> None:
    before = head(banco)
    flags = ["-c", "7", *args] if args[0] != "-c" else args
    result = run(cli, banco, "--date", "2026-11-20", *flags)
    assert result.exit_code == 2, result.stderr
    assert result.stderr.startswith(f"okrctl: {message}") and result.stderr.count("\n") == 1
    assert_untouched(banco, before)


def test_a_values_file_with_a_bad_row_is_a_usage_error_even_when_the_checkin_exists(cli, banco, tmp_path) -> None:
    values = tmp_path / "kpis.csv"
    values.write_text("kr,value\nonboarding-completion,1,5\n", encoding="utf-8")
    result = run(cli, banco, "--date", "2026-11-20", "-c", "7", "--values-from", str(values))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"okrctl: {values}:2: '1,5' is ambiguous")


def test_a_mistyped_flag_comes_before_a_file_in_the_way_and_a_broken_config(cli, banco: Path) -> None:
    path = banco / NEW
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not: [a check-in\n")
    result = run(cli, banco, "-c", "7", "-r", "onboarding-completion")
    assert (result.exit_code, result.stderr) == (2, "okrctl: --result: 'onboarding-completion' is not KR=VALUE\n")
    path.unlink()
    config = banco / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "colour: blue\n", encoding="utf-8")
    result = run(cli, banco, "-c", "seven")
    assert result.exit_code == 2 and result.stderr.startswith("okrctl: --confidence: 'seven' is not a number")
    # Well-formed flags still meet the repository's refusals (exit 1).
    assert run(cli, banco, "-c", "7").exit_code == 1


def test_a_broken_objective_is_named_with_its_line_instead_of_no_objective(cli, banco: Path) -> None:
    """The team's objective has an error: the refusal names that file and line (exit 1), not a
    missing objective; so does a file that cannot be parsed at all, read line by line as align
    reads it to tell whose objective it holds."""
    objective = banco / "okrs/2026-Q4/discover.yaml"
    text = objective.read_text(encoding="utf-8")
    before = head(banco)
    objective.write_text(text + "titel: x\n", encoding="utf-8")
    line = len(text.splitlines()) + 1
    refusal = (
        f"okrctl: okrs/2026-Q4/discover.yaml:{line}: the objective of 'discover' here has errors, so 'discover' "
        f"has no valid objective whose cycle contains {FRIDAY}; fix it first "
        "('okrctl align okrs/2026-Q4/discover.yaml' shows every problem)\n"
    )
    result = run(cli, banco, "-c", "7")
    assert (result.exit_code, result.stderr) == (1, refusal)
    objective.write_text(text + "titel: [\n", encoding="utf-8")  # no document can be read at all
    result = run(cli, banco, "-c", "7")
    assert (result.exit_code, result.stderr) == (1, refusal)
    objective.write_text(text, encoding="utf-8")
    assert_untouched(banco, before)


def test_a_yaml_error_in_the_objective_is_no_fault_of_the_date_given(cli, banco: Path) -> None:
    """A duplicate key in the team's objective: with --date, checkin said '--date: 'discover' has no
    objective whose cycle contains 2026-11-27: it owns no objective' (exit 2), without it the same
    words with exit 1. The objective's file and line are named, exit 1, --date or not; a --date
    outside the cycle the broken file declares stays a usage error that names that cycle."""
    objective = banco / "okrs/2026-Q4/discover.yaml"
    text = objective.read_text(encoding="utf-8")
    assert text.count("    target: 90\n") == 1
    objective.write_text(text.replace("    target: 90\n", "    target: 90\n    target: 95\n"), encoding="utf-8")
    git(banco, "commit", "-qam", "a duplicate key")
    before = head(banco)
    line = text.splitlines().index("    target: 90") + 2
    refusal = (
        f"okrctl: okrs/2026-Q4/discover.yaml:{line}: the objective of 'discover' here has errors, so 'discover' "
        f"has no valid objective whose cycle contains {FRIDAY}; fix it first "
        "('okrctl align okrs/2026-Q4/discover.yaml' shows every problem)\n"
    )
    for args in ([], ["--date", FRIDAY], ["--date", FRIDAY, "--dry-run"]):
        result = run(cli, banco, "--team", "discover", "-c", "7", *args)
        assert (result.exit_code, result.stderr) == (1, refusal), args
    outside = run(cli, banco, "--team", "discover", "-c", "7", "--date", "2026-09-25")
    assert outside.exit_code == 2
    assert outside.stderr.startswith(
        "okrctl: --date: 'discover' has no objective whose cycle contains 2026-09-25: "
        "its objectives are in 2026-Q4 (2026-10-01 to 2026-12-31); 1 file with errors left out "
        f"(first: okrs/2026-Q4/discover.yaml:{line})"
    )
    assert_untouched(banco, before)


def test_today_outside_every_cycle_is_the_repositorys_state_exit_1(cli, banco: Path) -> None:
    """docs/checkin.md: without --date, a day outside every cycle of the team's objectives is exit 1
    (nothing the user typed is wrong); the same day given with --date is a usage error (exit 2)."""
    before = head(banco)
    result = run(cli, banco, "-c", "7", today="2027-01-08")
    assert result.exit_code == 1
    assert result.stderr == (
        "okrctl: 'discover' has no objective whose cycle contains 2027-01-08: "
        "its objectives are in 2026-Q4 (2026-10-01 to 2026-12-31)\n"
    )
    assert run(cli, banco, "-c", "7", "--date", "2027-01-08", today="2027-01-08").exit_code == 2
    assert_untouched(banco, before)


def test_a_team_of_several_objectives_must_rate_each_one(cli, banco: Path) -> None:
    before = head(banco)
    result = run(cli, banco, "--team", "digital-services", "-c", "digital-first-week=7")
    assert result.exit_code == 2
    assert "OBJ=N for resilient-digital-channels, sme-digital-banking" in result.stderr
    result = run(cli, banco, "--team", "digital-services", "-c", "7", "-c", "nps=3")
    assert result.exit_code == 2 and "not both" in result.stderr
    result = run(cli, banco, "--team", "digital-services", "-c", "digital-first-wek=7")
    assert result.exit_code == 2 and "did you mean 'digital-first-week'?" in result.stderr
    assert_untouched(banco, before)


def test_an_ambiguous_result_key_needs_the_objective(cli, banco: Path) -> None:
    objective = banco / "okrs/2026-Q4/discover.yaml"
    second = objective.read_text().split("apiVersion:", 1)[1].replace("id: discover-first-week", "id: discover-more")
    objective.write_text(objective.read_text() + "---\napiVersion:" + second)
    git(banco, "commit", "-qam", "second objective")
    before = head(banco)
    result = run(cli, banco, "-c", "7", "-r", "setup-tickets=300")
    assert result.exit_code == 2
    assert "write one of discover-first-week/setup-tickets, discover-more/setup-tickets" in result.stderr
    assert_untouched(banco, before)
    result = run(cli, banco, "-c", "7", "-r", "discover-more/setup-tickets=300", "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert "  discover-more/setup-tickets: 300\n" in (banco / NEW).read_text()


def test_a_file_in_the_way_is_never_replaced(cli, banco: Path) -> None:
    path = banco / NEW
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("not: [a check-in\n")
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"okrctl: {NEW}:1: the file exists but holds no valid check-in")
    assert path.read_text() == "not: [a check-in\n"
    # Amending what is there is refused the same way: the file is not a check-in to amend.
    amend = run(cli, banco, "-c", "7", "--amend")
    assert amend.exit_code == 1 and amend.stderr == result.stderr
    assert path.read_text() == "not: [a check-in\n"


def test_amending_a_check_in_with_errors_names_it_and_its_line(cli, banco: Path) -> None:
    """docs/checkin.md: a file in the way is exit 1; a check-in of the day with an error is not a
    missing check-in (exit 2), it is what to fix."""
    latest = banco / "checkins/discover/2026-11-20.yaml"
    text = latest.read_text(encoding="utf-8")
    latest.write_text(text.replace("confidence: 8", "confidence: high"), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if row.startswith("confidence:"))
    result = run(cli, banco, "-c", "7", "--amend", "--date", "2026-11-20")
    assert result.exit_code == 1
    assert result.stderr == (
        f"okrctl: checkins/discover/2026-11-20.yaml:{line}: the check-in of 'discover' for 2026-11-20 here has "
        "errors; nothing was written (run 'okrctl align checkins/discover/2026-11-20.yaml' and fix it)\n"
    )
    assert latest.read_text(encoding="utf-8") == text.replace("confidence: 8", "confidence: high")
    missing = run(cli, banco, "-c", "7", "--amend", "--date", "2026-11-19")
    assert missing.exit_code == 2 and "'discover' has no check-in for 2026-11-19 to amend" in missing.stderr


def test_a_check_in_of_the_day_with_errors_at_another_path_stops_a_new_one(cli, banco: Path) -> None:
    """A draft of the day with an error, saved under another name: a new check-in beside it would be
    a second of that date once the draft is fixed (OKR102). Refused as ``--amend`` refuses it."""
    draft = banco / "checkins/discover/draft.yaml"
    draft.write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-27\nconfidence: high\n",
        encoding="utf-8",
    )
    before = head(banco)
    result = run(cli, banco, "-c", "7", "--date", "2026-11-27", today="2026-11-27")
    assert result.exit_code == 1, result.stdout
    assert result.stderr == (
        "okrctl: checkins/discover/draft.yaml:5: the check-in of 'discover' for 2026-11-27 here has errors; "
        "nothing was written (run 'okrctl align checkins/discover/draft.yaml' and fix it)\n"
    )
    assert not (banco / "checkins/discover/2026-11-27.yaml").exists() and head(banco) == before
    other_day = run(cli, banco, "-c", "7", "--date", "2026-11-26", "--no-commit", today="2026-11-27")
    assert other_day.exit_code == 0, other_day.stderr


CHECKIN_HEAD = "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\n"
UNPLACED_CHECKIN = {
    # (where it lies, its text, what the refusal calls it, the line of its first error as align reports it)
    "no owner, in the team's folder": (
        "checkins/discover/friday.yaml",
        f"apiVersion: okrctl/v1\nkind: CheckIn\ndate: {FRIDAY}\nconfidence: 7\n",
        f"a check-in for {FRIDAY} here with no readable owner, among those of 'discover',",
        1,
    ),
    "a date with a time": (
        "checkins/discover/friday.yaml",
        f"{CHECKIN_HEAD}date: {FRIDAY} 09:00\nconfidence: 7\n",
        f"the check-in of 'discover' for {FRIDAY} here",
        4,
    ),
    "the second of a file of two": (
        "checkins/discover/week.yaml",
        f"{CHECKIN_HEAD}date: 2026-11-26\nconfidence: high\n---\n{CHECKIN_HEAD}date: {FRIDAY}\nconfidence: high\n",
        f"the check-in of 'discover' for {FRIDAY} here",
        11,
    ),
}


@pytest.mark.parametrize("args", [(), ("--dry-run",)], ids=["commit", "dry run"])
@pytest.mark.parametrize("broken", list(UNPLACED_CHECKIN))
def test_a_broken_check_in_of_the_day_without_an_owner_with_a_time_or_in_a_file_of_two_stops_a_new_one(
    cli, banco: Path, broken, args
) -> None:
    """A broken check-in of the day without an owner in the team's folder, or whose date holds a
    time, let checkin write (and commit) a second one of that day, an OKR102 error once the first is
    fixed. It is refused as one that names the team is, with the line of the first error of that
    check-in, not of its file (a check-in of another day before it), as align reports it."""
    rel, text, whose, line = UNPLACED_CHECKIN[broken]
    (banco / rel).write_text(text, encoding="utf-8")
    git(banco, "add", "-A")
    git(banco, "commit", "-qm", "check-in by hand")
    before = head(banco)
    assert f"{rel}:{line}:" in cli("align", "--repo", str(banco), "--today", FRIDAY).stdout
    result = run(cli, banco, "--team", "discover", "-c", "7", "-r", "onboarding-completion=81", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"okrctl: {rel}:{line}: {whose} has errors; nothing was written (run 'okrctl align {rel}' and fix it)\n",
    )
    assert not (banco / NEW).exists() and head(banco) == before and status_of(banco) == ""


def test_a_broken_check_in_without_an_owner_in_a_teams_folder_is_that_teams_alone(cli, banco: Path) -> None:
    """An ownerless broken check-in of the day in cards' folder, in a file whose other check-in is
    discover's: both cards and discover were refused ('among those of ...'). The folder decides:
    it stops cards alone, and discover checks in."""
    rel = "checkins/cards/shared.yaml"
    (banco / rel).write_text(
        f"{CHECKIN_HEAD}date: 2026-11-26\nconfidence: 7\n---\n"
        f"apiVersion: okrctl/v1\nkind: CheckIn\ndate: {FRIDAY}\nconfidence: 7\n",
        encoding="utf-8",
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-qm", "check-ins by hand")
    before = head(banco)
    cards = run(cli, banco, "--team", "cards", "-c", "7", "--dry-run")
    assert (cards.exit_code, cards.stdout, cards.stderr) == (
        1,
        "",
        f"okrctl: {rel}:7: a check-in for {FRIDAY} here with no readable owner, among those of 'cards', has "
        f"errors; nothing was written (run 'okrctl align {rel}' and fix it)\n",
    )
    assert head(banco) == before
    discover = run(cli, banco, "--team", "discover", "-c", "7", "-r", "onboarding-completion=81")
    assert discover.exit_code == 0, discover.stderr
    assert "owner: discover" in (banco / NEW).read_text(encoding="utf-8")
    assert git(banco, "log", "-1", "--format=%H", "--", NEW).strip() == head(banco) != before


def test_a_team_folder_that_links_out_of_the_repository_is_refused(cli, banco: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (banco / "checkins" / "cards").rename(tmp_path / "cards-old")
    (banco / "checkins" / "cards").symlink_to(outside)
    result = run(cli, banco, "--team", "cards", "-c", "7", "--no-commit")
    assert result.exit_code == 1
    assert "resolves outside the repository" in result.stderr
    assert list(outside.iterdir()) == []


def test_a_team_folder_a_commit_made_a_link_is_never_written_through(cli, banco: Path) -> None:
    """A commit that makes ``checkins/cards`` a link to ``discover`` would put Cards' check-in, and
    its commit, in Discover's folder. A link a commit put in the checkout is never written through
    (one the user made is followed); nothing is written or committed."""
    git(banco, "rm", "-q", "-r", "checkins/cards")
    (banco / "checkins" / "cards").symlink_to("discover")
    git(banco, "add", "checkins/cards")
    git(banco, "commit", "-q", "-m", "link")
    before, listed = head(banco), sorted(p.name for p in (banco / "checkins" / "discover").iterdir())
    result = run(cli, banco, "--team", "cards", "-c", "7", "--date", "2026-11-27", today="2026-11-27")
    assert result.exit_code == 1, result.stdout
    assert result.stderr == (
        "okrctl: checkins/cards/2026-11-27.yaml: checkins/cards is a symbolic link a commit put in the checkout; "
        "okrctl never writes through one; nothing was written\n"
    )
    assert sorted(p.name for p in (banco / "checkins" / "discover").iterdir()) == listed
    assert head(banco) == before and status_of(banco) == ""


def test_a_checkin_file_a_commit_made_a_link_is_named_once_in_the_refusal(cli, banco: Path) -> None:
    """``--amend`` of a check-in that a commit made a link: one line naming the file once."""
    rel = "checkins/cards/2026-11-20.yaml"
    (banco / "checkins" / "cards" / "elsewhere.txt").write_bytes((banco / rel).read_bytes())
    (banco / rel).unlink()
    (banco / rel).symlink_to("elsewhere.txt")
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "link")
    result = run(cli, banco, "--team", "cards", "--amend", "-c", "6", "--date", "2026-11-20", today="2026-11-20")
    assert result.exit_code == 1, result.stdout
    assert result.stderr == (
        f"okrctl: {rel}: is a symbolic link a commit put in the checkout; okrctl never writes through one; "
        "nothing was written\n"
    )
    assert status_of(banco) == ""


def test_a_checkin_of_the_same_team_and_day_written_after_the_load_is_called_so(banco: Path) -> None:
    """Two check-ins of one team for one day started at once: the loser found the winner's file in
    its place and called it a file that holds no valid check-in, to fix or move."""
    from datetime import date

    from okrctl import checkin as core
    from okrctl.errors import ContentError
    from okrctl.load.pipeline import load_repo

    repo = load_repo(banco, use_cache=False)
    winner = core.prepare(repo, "discover", date(2026, 11, 27), date(2026, 11, 27), amend=False)
    text = core.compose(winner, core.Answers(confidence=8.0), "ana.costa@example.com")
    (banco / NEW).write_text(text, encoding="utf-8")  # the other run, between this one's load and its write
    with pytest.raises(ContentError) as refused:
        core.prepare(repo, "discover", date(2026, 11, 27), date(2026, 11, 27), amend=False)
    assert str(refused.value.message) == (
        f"{NEW}: another check-in of 'discover' for 2026-11-27 was written meanwhile; yours was not written "
        "(run again with --amend to edit that one)"
    )
    # A file that was there when the repository was read is still judged as it is.
    (banco / NEW).write_text("not: [a check-in\n", encoding="utf-8")
    with pytest.raises(ContentError, match="fix or move it"):
        core.prepare(load_repo(banco, use_cache=False), "discover", date(2026, 11, 27), date(2026, 11, 27), amend=False)


def test_the_document_is_validated_with_align_before_anything_is_written(banco: Path) -> None:
    """The last line of defence: rules run on a repository that includes the new document."""
    from datetime import date

    from okrctl import checkin as core
    from okrctl.load.pipeline import load_repo

    repo = load_repo(banco, use_cache=False)
    session = core.prepare(repo, "discover", date(2026, 11, 27), date(2026, 11, 27), amend=False)
    good = core.compose(session, core.Answers(confidence=7.0), "ana.costa@example.com")
    assert core.validate(session, good).errors == []
    bad = good.replace("confidence: 7", "confidence: 12").replace("kind: CheckIn", "kind: CheckIn\nmood: great")
    errors = core.validate(session, bad).errors
    assert [(f.code, f.line) for f in errors] == [("OKR101", 4)]
    bad = good.replace("confidence: 7", "confidence: 12") + "results:\n  nps: 3\n"
    errors = core.validate(session, bad).errors
    assert sorted((f.code, f.line) for f in errors) == [("OKR104", 9), ("OKR504", 7)]
    with pytest.raises(Exception, match="does not pass align; nothing was written"):
        raise core.refusal(session, errors)


# ----- git hooks ----------------------------------------------------------------------------------
def install_hook(root: Path, body: str) -> None:
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\n" + body)
    hook.chmod(0o755)


def test_a_pre_commit_hook_that_rejects_keeps_the_file_and_exits_1(cli, banco: Path) -> None:
    install_hook(banco, 'echo "check-ins need a ticket number" >&2\nexit 1\n')
    (banco / "notes.md").write_text("draft\n")
    git(banco, "add", "notes.md")
    before = head(banco)
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 1
    assert "check-ins need a ticket number" in result.stderr
    assert f"{NEW} is written and left uncommitted" in result.stderr
    assert (banco / NEW).exists()
    assert head(banco) == before
    # The index is as the user left it: their file staged, the check-in untracked.
    assert status_of(banco) == f"A  notes.md\n?? {NEW}\n"


# A new check-in, one amended, one amended with nothing to change: how each is left when git refuses.
_REFUSED_AND_LEFT = (
    (("-c", "7"), "is written and left uncommitted"),
    (("--amend", "-c", "6"), "is written and left uncommitted"),
    (("--amend",), "was not written again and is still uncommitted"),
)


def test_a_commit_a_hook_refuses_is_named_with_what_commits_it_once_fixed(cli, banco: Path) -> None:
    """A hook's refusal ended with '… is written and left uncommitted' and named nothing that
    commits the file, where the lines of a lock held too long name ``checkin --amend``. A new
    check-in, an amended one and one amended with nothing to change now name it; once the hook
    lets the commit through, that command commits the file."""
    install_hook(banco, 'echo "check-ins need a ticket number" >&2\nexit 1\n')
    before = head(banco)
    named = "(once the cause is fixed, okrctl checkin --amend (same team and date) commits it)"
    refused = "okrctl: git commit of checkins/discover/2026-11-27.yaml failed: check-ins need a ticket number; "
    for args, left in _REFUSED_AND_LEFT:
        result = run(cli, banco, *args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr.splitlines()[-1] == f"{refused}{NEW} {left} {named}", args
        assert head(banco) == before and status_of(banco) == f"?? {NEW}\n", args
    (banco / ".git" / "hooks" / "pre-commit").unlink()
    amended = run(cli, banco, "--amend")
    assert amended.exit_code == 0, amended.output
    assert git(banco, "log", "-1", "--format=%s").strip() == "checkin(discover): 2026-11-27 confidence 6/10"
    assert status_of(banco) == ""


@pytest.mark.parametrize("cause", ["ignore rule", "corrupt index"])
def test_a_checkin_git_will_not_add_is_named_with_what_commits_it_once_fixed(cli, banco: Path, cause: str) -> None:
    """An ignore rule that matches the check-in, or an index git cannot read, ended the line with
    '… is written and left uncommitted' and named nothing that commits the file, where a hook's
    refusal names ``checkin --amend``. A new check-in, an amended one and one amended with nothing
    to change now name it; once the cause is fixed, that command commits the file."""
    index = banco / ".git" / "index"
    kept = index.read_bytes()
    if cause == "ignore rule":
        (banco / ".git" / "info").mkdir(exist_ok=True)
        (banco / ".git" / "info" / "exclude").write_text(f"/{NEW}\n", encoding="utf-8")
        refused = f"okrctl: {NEW} is ignored by git (a .gitignore or .git/info/exclude rule matches it; "
    else:
        index.write_bytes(b"not an index")
        refused = f"okrctl: git could not commit {NEW}: "
    before = head(banco)
    named = "(once the cause is fixed, okrctl checkin --amend (same team and date) commits it)"
    for args, left in _REFUSED_AND_LEFT:
        result = run(cli, banco, *args)
        assert result.exit_code == 1, (args, result.output)
        last = result.stderr.splitlines()[-1]
        assert last.startswith(refused) and last.endswith(f"; {NEW} {left} {named}"), (args, last)
        assert head(banco) == before, args
    if cause == "ignore rule":
        (banco / ".git" / "info" / "exclude").write_text("", encoding="utf-8")
    else:
        index.write_bytes(kept)
    amended = run(cli, banco, "--amend")
    assert amended.exit_code == 0, amended.output
    assert git(banco, "log", "-1", "--format=%s").strip() == "checkin(discover): 2026-11-27 confidence 6/10"
    assert status_of(banco) == ""


def test_another_runs_commit_that_moves_head_meanwhile_is_waited_for_and_named_apart(cli, banco: Path) -> None:
    """Check-ins of several teams at once: another run committed between git reading HEAD and
    updating it, and git gave up ("cannot lock ref 'HEAD'"): the check-in was left uncommitted. Once
    committed, the line named HEAD, another team's commit when that run was quicker still. The hook
    below makes both happen: it commits another run's work once before this commit, and once after."""
    move = 'new=$(git commit-tree "HEAD^{tree}" -p HEAD -m "another team\'s check-in"); git update-ref HEAD "$new"\n'
    install_hook(banco, f"[ -e .git/moved-once ] && exit 0\ntouch .git/moved-once\n{move}")
    after = banco / ".git" / "hooks" / "post-commit"
    after.write_text(f"#!/bin/sh\n[ -e .git/moved-after ] && exit 0\ntouch .git/moved-after\n{move}")
    after.chmod(0o755)
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 0, result.stderr
    mine = git(banco, "log", "-1", "--format=%H", "--", NEW).strip()
    assert head(banco) != mine  # the other run's commit came after this one
    assert f"committed {mine[:7]}" in result.stdout + result.stderr
    assert git(banco, "show", "--name-only", "--format=", mine).split() == [NEW]
    assert git(banco, "log", "--format=%s", "-3").splitlines()[0] == "another team's check-in"
    assert status_of(banco) == ""


def test_during_a_merge_the_checkin_is_written_and_git_says_why_once(cli, banco: Path) -> None:
    """git refuses to commit one file while a merge is unfinished: the check-in is written and left
    uncommitted, the merge as the user left it, and git's one line is said once, in okrctl's."""
    main = git(banco, "rev-parse", "--abbrev-ref", "HEAD").strip()
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    git(banco, "switch", "-q", "-c", "other")
    cards.write_text(cards.read_text(encoding="utf-8").replace("    target: 75\n", "    target: 80\n"))
    git(banco, "commit", "-qam", "other")
    git(banco, "switch", "-q", main)
    cards.write_text(cards.read_text(encoding="utf-8").replace("    target: 75\n", "    target: 70\n"))
    git(banco, "commit", "-qam", "main")
    merging = subprocess.run(["git", "merge", "-q", "other"], cwd=banco, capture_output=True, text=True, check=False)
    assert merging.returncode != 0
    before = head(banco)
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 1
    assert result.stderr.count("cannot do a partial commit during a merge") == 1, result.stderr
    assert f"{NEW} is written and left uncommitted" in result.stderr
    assert (banco / NEW).exists() and head(banco) == before
    assert status_of(banco) == f"UU okrs/2026-Q4/cards.yaml\n?? {NEW}\n"


def test_what_a_refusing_hook_echoes_of_the_repository_reaches_the_terminal_without_escapes(cli, banco: Path) -> None:
    """A lint hook lists a file whose name holds an OSC 52 clipboard write and a clear-screen: the
    hook's words are shown, its escape sequences are not (the repository's text passes the filter)."""
    planted = "okrs/a\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J.yaml"
    install_hook(banco, f"printf '%s\\n' '{planted}' 'trailing spaces in the files above' >&2\nexit 1\n")
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 1
    assert "trailing spaces in the files above" in result.stderr
    assert "okrs/a" in result.stderr and ".yaml" in result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr


def test_a_pre_commit_hook_that_passes_runs_and_sees_only_the_checkin(cli, banco: Path) -> None:
    install_hook(banco, "git diff --cached --name-only > hook-saw.txt\n")
    (banco / "notes.md").write_text("draft\n")
    git(banco, "add", "notes.md")
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 0, result.stderr
    assert (banco / "hook-saw.txt").read_text() == f"{NEW}\n"
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]
    assert "A  notes.md\n" in status_of(banco)


# A pre-commit hook in lint-staged's way: it rewrites each staged file and stages its own version.
FIXER_HOOK = (
    "for f in $(git diff --cached --name-only); do\n"
    '  sed \'s/^confidence: 7$/confidence: 2/\' "$f" > .git/fixed && cat .git/fixed > "$f" && git add -- "$f"\n'
    "done\n"
)


def test_a_hook_that_changes_the_checkin_in_its_commit_is_said_and_exits_1(cli, banco: Path, monkeypatch) -> None:
    """A hook that rewrote the check-in as git committed it (confidence 7 → 2) left a commit holding
    its version, yet okrctl said '✓ committed … confidence 7/10', showed the team at confidence
    7/10 and ended with exit 0; git left the check-in as written staged against that commit (the
    next plain 'git commit' would undo the hook). The commit stays and the index is as git left it,
    but the outcome says the commit is not as written, shows no confidence it does not hold, and one
    line (exit 1) names the commit, what git left staged and how to unstage it."""
    install_hook(banco, FIXER_HOOK)
    monkeypatch.chdir(banco)  # the path to unstage is named as the user types it from where they are
    result = run(cli, banco, "-c", "7", "-r", "onboarding-completion=81", "-r", "tutorial-engagement=38")
    assert result.exit_code == 1, result.output
    short = git(banco, "rev-parse", "--short=7", "HEAD").strip()
    assert result.stdout.splitlines()[:2] == [
        f"✓ wrote {NEW}",
        f"✓ committed {short}, but not as written: a git hook changed the file in it",
    ]
    assert "7/10" not in result.stdout
    assert result.stderr.splitlines() == [
        f"okrctl: a git hook changed {NEW} in commit {short}, which holds the hook's version, not what this run "
        f"wrote; git left this run's version staged ('git restore --staged -- {NEW}' unstages it)"
    ]
    assert "confidence: 2\n" in git(banco, "show", f"HEAD:{NEW}")
    assert "confidence: 7\n" in git(banco, "show", f":{NEW}")
    assert status_of(banco) == f"MM {NEW}\n"
    git(banco, "restore", "--staged", "--", NEW)
    assert status_of(banco) == ""


@pytest.mark.parametrize("setting", ["text=auto", "core.autocrlf"])
def test_an_amended_crlf_checkin_under_line_end_rules_is_committed_as_written_without_a_hook(
    cli, banco: Path, setting: str
) -> None:
    """A check-in committed with CRLF line ends, then ``* text=auto`` (or ``core.autocrlf``) set:
    git keeps CRLF in a file its index holds with CR (its safer-autocrlf rule), and with no hook at
    all the amendment said "a git hook changed the file in it", exit 1, as its check hashed the file
    anew where git keeps it as it was. The commit holds what this run wrote: committed, exit 0."""
    old = "checkins/discover/2026-11-20.yaml"
    crlf = (banco / old).read_bytes().replace(b"\n", b"\r\n")
    (banco / old).write_bytes(crlf)
    git(banco, "commit", "-qam", "a check-in with CRLF line ends")
    if setting == "text=auto":
        (banco / ".gitattributes").write_text("* text=auto\n", encoding="utf-8")
        git(banco, "add", ".gitattributes")
        git(banco, "commit", "-qm", "line-end rules")
    else:
        git(banco, "config", "core.autocrlf", "true")
    result = run(cli, banco, "--date", "2026-11-20", "--amend", "-c", "7")
    assert result.exit_code == 0, result.output
    short = git(banco, "rev-parse", "--short=7", "HEAD").strip()
    assert f"✓ committed {short} checkin(discover): 2026-11-20 confidence 7/10" in result.stdout
    assert "hook" not in result.output
    assert status_of(banco) == ""


def test_a_hook_that_changes_a_checkin_left_uncommitted_as_amend_commits_it_is_said_and_exits_1(
    cli, banco: Path, monkeypatch
) -> None:
    """``checkin --amend`` with nothing to change commits a check-in a refused commit left behind:
    a hook that rewrote it in that commit was not seen either ('… committed 1a2b3c4
    checkin(discover): 2026-11-27 confidence 7/10', exit 0). It is said the same way as for a new
    check-in, with exit 1."""
    install_hook(banco, "exit 1\n")
    assert run(cli, banco, "-c", "7").exit_code == 1
    install_hook(banco, FIXER_HOOK)
    monkeypatch.chdir(banco)
    result = run(cli, banco, "--amend")
    assert result.exit_code == 1, result.output
    short = git(banco, "rev-parse", "--short=7", "HEAD").strip()
    assert result.stdout.splitlines() == [
        f"nothing changed: {NEW} already says all that, but it was not committed; committed {short}, but not as "
        "written: a git hook changed the file in it"
    ]
    assert result.stderr.splitlines()[-1] == (
        f"okrctl: a git hook changed {NEW} in commit {short}, which holds the hook's version, not what this run "
        f"wrote; git left this run's version staged ('git restore --staged -- {NEW}' unstages it)"
    )
    assert "confidence: 2\n" in git(banco, "show", f"HEAD:{NEW}")
    assert status_of(banco) == f"MM {NEW}\n"


def test_on_a_detached_head_the_checkin_is_committed_there_and_a_warning_says_so(cli, banco: Path) -> None:
    """docs/checkin.md#committing: the commit is made as asked (a CI job pushes HEAD), and one line
    on stderr says it is on no branch, before a checkout leaves it behind."""
    git(banco, "checkout", "-q", "--detach", "HEAD")
    before = head(banco)
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 0, result.stderr
    after = head(banco)
    assert git(banco, "rev-parse", "HEAD~1").strip() == before
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]
    assert git(banco, "for-each-ref", "--contains", after, "refs/heads").strip() == ""  # on no branch
    assert f"committed {after[:7]} checkin(discover)" in result.stdout
    assert result.stderr == (
        f"okrctl: warning: committed on a detached HEAD at {after[:7]}, not on any branch: the next checkout "
        f"leaves it behind; keep it with 'git branch NAME {after[:7]}' (or 'git switch -c NAME')\n"
    )
    # On a branch nothing is said; with --no-commit there is no commit to warn about.
    git(banco, "switch", "-q", "-c", "friday")
    amended = run(cli, banco, "--amend", "-c", "6")
    assert amended.exit_code == 0 and amended.stderr == ""
    git(banco, "checkout", "-q", "--detach", "HEAD")
    assert run(cli, banco, "--amend", "-c", "5", "--no-commit").stderr == ""


def test_a_detached_head_warning_comes_with_a_commit_of_the_file_as_it_is_too(cli, banco: Path) -> None:
    install_hook(banco, "exit 1")
    assert run(cli, banco, "-c", "7").exit_code == 1  # written, the commit refused
    (banco / ".git/hooks/pre-commit").unlink()
    git(banco, "checkout", "-q", "--detach", "HEAD")
    result = run(cli, banco, "--amend")
    assert result.exit_code == 0, result.stderr
    assert "but it was not committed; committed" in result.stdout
    assert result.stderr.startswith(f"okrctl: warning: committed on a detached HEAD at {head(banco)[:7]},")


def test_after_a_refused_commit_amend_with_no_change_commits_the_file_alone(cli, banco: Path) -> None:
    install_hook(banco, "exit 1\n")
    assert run(cli, banco, "-c", "5").exit_code == 1
    (banco / ".git" / "hooks" / "pre-commit").unlink()
    (banco / "notes.md").write_text("draft\n")
    git(banco, "add", "notes.md")
    before = head(banco)
    # The same command again never touches an existing check-in, and says how to commit it.
    again = run(cli, banco, "-c", "5")
    assert again.exit_code == 1
    assert "written but not committed" in again.stderr
    assert "--amend with nothing to change commits it as it is" in again.stderr
    assert head(banco) == before
    # --no-commit and --dry-run still commit nothing.
    for flag in ("--no-commit", "--dry-run"):
        quiet = run(cli, banco, "--amend", "-c", "5", flag)
        assert quiet.exit_code == 0, quiet.stderr
        # A dry run's standard output is the YAML alone (the file as it stands), its note on stderr.
        said = quiet.stderr if flag == "--dry-run" else quiet.stdout
        assert "nothing written or committed" in said
        if flag == "--dry-run":
            assert quiet.stdout == (banco / NEW).read_text(encoding="utf-8")
        assert head(banco) == before
    amended = run(cli, banco, "--amend", "-c", "5")
    assert amended.exit_code == 0, amended.stderr
    message = f"checkin(discover): {FRIDAY} confidence 5/10"
    assert f"already says all that, but it was not committed; committed {head(banco)[:7]} {message}" in amended.stdout
    assert git(banco, "log", "-1", "--format=%s").strip() == message
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]
    assert status_of(banco) == "A  notes.md\n"  # the user's staged file stays staged, out of the commit
    # Committed as it is now: nothing to do, as before.
    done = run(cli, banco, "--amend", "-c", "5")
    assert done.exit_code == 0
    assert "nothing written or committed" in done.stdout
    plain = run(cli, banco, "-c", "5")
    assert plain.exit_code == 1
    assert "written but not committed" not in plain.stderr


def test_amend_with_no_change_commits_a_hand_edit_and_a_refusal_keeps_it_uncommitted(cli, banco: Path) -> None:
    path = banco / "checkins/discover/2026-10-23.yaml"
    path.write_text(path.read_text() + "# checked with Ana\n")  # committed before, edited since
    install_hook(banco, 'echo "no commits today" >&2\nexit 1\n')
    refused = run(cli, banco, "--date", "2026-10-23", "--amend")
    assert refused.exit_code == 1
    assert "no commits today" in refused.stderr
    assert "checkins/discover/2026-10-23.yaml was not written again and is still uncommitted" in refused.stderr
    assert status_of(banco) == " M checkins/discover/2026-10-23.yaml\n"
    (banco / ".git" / "hooks" / "pre-commit").unlink()
    done = run(cli, banco, "--date", "2026-10-23", "--amend")
    assert done.exit_code == 0, done.stderr
    assert "but it was not committed; committed" in done.stdout
    assert status_of(banco) == ""


def test_a_checkin_committed_with_crlf_under_a_later_text_auto_is_committed_as_it_is(cli, banco: Path) -> None:
    """git leaves the CRLF line ends a committed file holds under a ``* text=auto`` added since, and
    sees nothing to commit; okrctl compared git's LF form of the file with HEAD and said the check-in
    was not committed: the amend that changes nothing failed (exit 1, "nothing to commit"), and the
    plain run sent the user to that amend."""
    rel = "checkins/discover/2026-11-20.yaml"
    crlf = (banco / rel).read_bytes().replace(b"\n", b"\r\n")
    (banco / rel).write_bytes(crlf)
    git(banco, "commit", "-qam", "saved on Windows")
    (banco / ".gitattributes").write_text("* text=auto\n")
    git(banco, "add", ".gitattributes")
    git(banco, "commit", "-qm", "normalise line ends")
    assert status_of(banco) == ""
    before = head(banco)
    amended = run(cli, banco, "--date", "2026-11-20", "--amend", "-c", "8")
    assert amended.exit_code == 0, amended.stderr
    assert f"nothing changed: {rel} already says all that; nothing written or committed" in amended.stdout
    plain = run(cli, banco, "--date", "2026-11-20", "-c", "8")
    assert plain.exit_code == 1
    assert plain.stderr.splitlines()[-1] == (
        f"okrctl: {rel}: 'discover' already has a check-in for 2026-11-20; nothing was written (use --amend to edit it)"
    )
    assert (banco / rel).read_bytes() == crlf
    assert head(banco) == before
    assert status_of(banco) == ""


# ----- the index lock ------------------------------------------------------------------------------
@pytest.mark.slow
def test_an_index_lock_that_stays_is_named_and_the_file_kept(cli, banco: Path, monkeypatch) -> None:
    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 2.0)  # (10 s: as long as a file's lock)
    monkeypatch.chdir(banco)  # the lock is named as the user types it from where they are
    lock = banco / ".git" / "index.lock"
    lock.touch()  # as a git that crashed leaves it
    before = head(banco)
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"okrctl: git add refused {NEW}: another git process holds .git/index.lock and kept it for 2 seconds "
        f"(remove it only if no git command is running); {NEW} is written and left uncommitted "
        "(okrctl checkin --amend (same team and date) commits it)"
    )
    assert (banco / NEW).exists()
    lock.unlink()
    assert head(banco) == before
    assert status_of(banco) == f"?? {NEW}\n"


@pytest.mark.slow
def test_an_index_lock_that_stays_stops_an_amend_too(cli, banco: Path, monkeypatch) -> None:
    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 2.0)
    (banco / ".git" / "index.lock").touch()
    result = run(cli, banco, "--date", "2026-10-23", "--amend", "-c", "3")
    assert result.exit_code == 1
    # Run from outside the repository (--repo): the whole path, not a climb out of the folder.
    assert result.stderr.splitlines()[-1] == (
        "okrctl: git commit of checkins/discover/2026-10-23.yaml failed: another git process holds "
        f"{banco / '.git' / 'index.lock'} and kept it for 2 seconds (remove it only if no git command is running); "
        "checkins/discover/2026-10-23.yaml is written and left uncommitted "
        "(okrctl checkin --amend (same team and date) commits it)"
    )


@pytest.mark.slow
def test_in_a_larger_repository_git_advice_names_paths_from_the_okr_folder(cli, copy_example, tmp_path, monkeypatch):
    """The OKR folder of a monorepo is not git's top: the lines named the file from the top
    (okrs/checkins/…) beside okrctl's own path, and 'git check-ignore -v okrs/…' and
    '.git/index.lock' named nothing from the OKR folder, where the user runs okrctl."""
    import shutil

    top = tmp_path / "company"
    okrs = top / "my okrs"
    shutil.copytree(copy_example("banco"), okrs)
    (top / ".gitignore").write_text("/my okrs/checkins/discover/2026-11-27.yaml\n", encoding="utf-8")
    git(top, "init", "-q")
    git(top, "config", "user.name", "Ana Example")
    git(top, "config", "user.email", "ana@example.com")
    git(top, "add", "-A")
    git(top, "commit", "-qm", "init")
    monkeypatch.chdir(okrs)
    flags = ["--team", "discover", "-c", "7", "-i", "x", "-p", "y"]
    ignored = cli("checkin", *flags, "--date", "2026-11-27", "--today", "2026-11-27")
    assert ignored.exit_code == 1
    new = "checkins/discover/2026-11-27.yaml"
    assert ignored.stderr.splitlines()[-1] == (
        f"okrctl: {new} is ignored by git (a .gitignore or .git/info/exclude rule matches it; "
        f"'git check-ignore -v {new}' names the rule); git commits no ignored file; {new} is written and left "
        "uncommitted (once the cause is fixed, okrctl checkin --amend (same team and date) commits it)"
    )
    assert git(okrs, "check-ignore", "-v", new).startswith(".gitignore:1:")  # the advice works where it is given
    (top / ".git" / "index.lock").touch()
    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 2.0)
    locked = cli("checkin", *flags, "--date", "2026-11-26", "--today", "2026-11-27")
    assert locked.exit_code == 1
    assert "another git process holds ../.git/index.lock and kept it" in locked.stderr


@pytest.mark.parametrize("detached", [False, True], ids=["branch", "detached"])
def test_a_ref_lock_a_crashed_git_left_is_named_and_the_file_kept(cli, banco: Path, monkeypatch, detached) -> None:
    """git's last words for a ref lock that stays are its advice, "remove the file manually to
    continue", which named no file: okrctl's line said that alone."""
    monkeypatch.chdir(banco)
    if detached:
        git(banco, "checkout", "-q", "--detach")
    lock = ".git/HEAD.lock" if detached else ".git/refs/heads/main.lock"
    (banco / lock).touch()  # as a git that crashed while it committed leaves it
    before = head(banco)
    new = run(cli, banco, "-c", "7")
    assert new.exit_code == 1
    assert new.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {NEW} failed: another git process holds {lock} "
        f"(remove it if no git command is running); {NEW} is written and left uncommitted "
        "(once the cause is fixed, okrctl checkin --amend (same team and date) commits it)"
    )
    assert status_of(banco) == f"?? {NEW}\n"
    amended = run(cli, banco, "--date", "2026-10-23", "--amend", "-c", "3")
    assert amended.exit_code == 1
    assert amended.stderr.splitlines()[-1] == (
        "okrctl: git commit of checkins/discover/2026-10-23.yaml failed: another git process holds "
        f"{lock} (remove it if no git command is running); checkins/discover/2026-10-23.yaml is written and "
        "left uncommitted (once the cause is fixed, okrctl checkin --amend (same team and date) commits it)"
    )
    (banco / lock).unlink()
    assert head(banco) == before


def test_an_index_lock_released_meanwhile_is_waited_for(cli, banco: Path) -> None:
    """Another git holds the index when the check-in is written, and lets go half a second later."""
    lock = banco / ".git" / "index.lock"
    lock.touch()

    def release() -> None:
        deadline = time.monotonic() + 60
        while not (banco / NEW).exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(0.5)  # git add has met the lock by now
        lock.unlink()

    holder = threading.Thread(target=release)
    holder.start()
    try:
        result = run(cli, banco, "-c", "7")
    finally:
        holder.join()
    assert result.exit_code == 0, result.stderr
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]
    assert status_of(banco) == ""


@pytest.mark.slow
def test_the_wait_for_the_index_lock_is_one_wait_for_the_whole_commit(cli, banco: Path, monkeypatch) -> None:
    """One git holds .git/index.lock as the check-in is written, another takes it right after its
    ``git add`` and keeps it. The run said it waits "up to 3 seconds" (the patience, 10 seconds,
    made 3 here), then waited as long again for each git command: the add, the commit, and the
    ``git rm --cached`` that undoes the add (more than 7.5 seconds). The add and the commit share
    the wait, and taking the entry out again waits a second more at most."""
    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 3.0)
    lock = banco / ".git" / "index.lock"
    hook = banco / ".git" / "hooks" / "post-index-change"
    hook.write_text(f"#!/bin/sh\n[ -e '{lock}.taken' ] && exit 0\ntouch '{lock}.taken' '{lock}'\n")
    hook.chmod(0o755)
    lock.touch()

    def release() -> None:
        deadline = time.monotonic() + 60
        while not (banco / NEW).exists() and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(1.5)
        lock.unlink()  # the first holder lets go; the hook takes it once git add is done

    holder = threading.Thread(target=release)
    holder.start()
    started = time.monotonic()
    try:
        result = run(cli, banco, "-c", "7")
    finally:
        holder.join()
    took = time.monotonic() - started
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {NEW} failed: another git process holds {lock} and kept it for 3 seconds "
        f"(remove it only if no git command is running) (and git could not take it out of the index again: "
        f"git rm --cached -- {banco / NEW}); {NEW} is written and left uncommitted "
        "(okrctl checkin --amend (same team and date) commits it)"
    )
    assert took < 3 + 1 + 1.2, took  # the wait, the second to undo the add, and the run itself
    lock.unlink()
    assert status_of(banco) == f" A {NEW}\n"


@pytest.mark.slow
def test_a_checkin_waits_for_the_index_lock_another_teams_commit_holds_while_its_hook_runs(banco: Path) -> None:
    """git keeps .git/index.lock for as long as a commit's pre-commit hook runs (a linter: seconds).
    Check-ins of two teams started at once: the second waited 2 seconds, then ended with exit 1, its
    file uncommitted and advice to remove the lock of a git that was running. It waits as long as
    for a file's lock, says so once, and is committed (exit 0)."""
    started = banco / ".git" / "hook-started"
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\n[ -e '{started}' ] && exit 0\ntouch '{started}'\nsleep 4\n")
    hook.chmod(0o755)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1"}
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "-c", "7"]

    def start(*team: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [*command, *team],
            cwd=banco,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    first = start("--team", "cards")
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    second = start()  # discover's, while cards' commit holds the index lock for 4 seconds
    (_, first_err), (_, second_err) = first.communicate(timeout=60), second.communicate(timeout=60)
    assert (first.returncode, second.returncode) == (0, 0), first_err + second_err
    assert second_err.splitlines() == [
        "okrctl: note: waiting for another git process that holds .git/index.lock (up to 10 seconds)"
    ]
    assert git(banco, "log", "-2", "--format=%s").splitlines() == [
        f"checkin(discover): {FRIDAY} confidence 7/10",
        f"checkin(cards): {FRIDAY} confidence 7/10",
    ]
    assert status_of(banco) == ""


def test_an_intent_to_add_entry_another_git_wrote_the_index_without_is_added_again(cli, banco: Path) -> None:
    """Check-ins of several teams started at once: another run's commit wrote the index back
    without this check-in's entry, and git's commit of it failed ("pathspec ... did not match any
    file(s) known to git"): exit 1, the file left uncommitted, and advice (git rm --cached) that
    failed too. The entry is added again and the check-in committed."""
    drop_from_the_index(banco, NEW, times=1)
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 0, result.stderr
    assert (banco / ".git" / "drops").read_text().strip() == "1"  # the other git did write it back
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]
    assert git(banco, "log", "-1", "--format=%s").strip() == f"checkin(discover): {FRIDAY} confidence 7/10"
    assert status_of(banco) == ""


@pytest.mark.slow
def test_an_intent_to_add_entry_dropped_for_longer_than_the_wait_names_the_amend_that_commits_it(
    cli, banco: Path, monkeypatch
) -> None:
    """Other gits keep writing the index without the entry past the seconds a run waits (2 here):
    exit 1, and the line names what commits the check-in, not a 'git rm --cached' that fails."""
    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 2.0)
    drop_from_the_index(banco, NEW, times=10_000)
    before = head(banco)
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {NEW} failed: other git processes kept writing the index without it for 2 seconds; "
        f"{NEW} is written and left uncommitted (okrctl checkin --amend (same team and date) commits it)"
    )
    assert "did not match" not in result.stderr and "git rm" not in result.stderr
    assert head(banco) == before
    assert status_of(banco) == f"?? {NEW}\n"
    (banco / ".git" / "hooks" / "post-index-change").unlink()  # the other gits are done
    amended = run(cli, banco, "--amend")
    assert amended.exit_code == 0, amended.stderr
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]
    assert status_of(banco) == ""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
@pytest.mark.slow
def test_a_checkin_another_process_keeps_locked_is_waited_for_then_named(cli, banco: Path, monkeypatch) -> None:
    """``--amend`` replaces the check-in, and commits it, under the file's lock: another process that
    kept it (a stuck ``flock``, a run that hangs) made okrctl wait for ever, saying nothing. The wait
    is said after a moment and ends after a bound (10 s, made short here), with exit 1 and the file
    named: as it was, or, held when the commit comes, written and left for the amend to commit."""
    import fcntl

    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 0.3)
    monkeypatch.setattr(fsutil, "_SAY_WAITING_AFTER", 0.05)
    rel = "checkins/discover/2026-10-23.yaml"
    path = banco / rel
    before, first = path.read_bytes(), head(banco)
    waiting = f"okrctl: note: waiting for another process that holds the lock of {rel} (up to 0.3 seconds)"
    held = "another process held its lock for 0.3 seconds (another okrctl run, or a program that locked it"
    with path.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        refused = run(cli, banco, "--date", "2026-10-23", "--amend", "-c", "3")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [
        waiting,
        f"okrctl: {rel}: cannot be written: {held}: run again once it is done); nothing was written",
    ]
    assert (path.read_bytes(), head(banco), status_of(banco)) == (before, first, "")
    assert run(cli, banco, "--date", "2026-10-23", "--amend", "-c", "3", "--no-commit").exit_code == 0
    written = path.read_bytes()
    with path.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        uncommitted = run(cli, banco, "--date", "2026-10-23", "--amend")  # changes nothing: commits it
    assert uncommitted.exit_code == 1
    assert uncommitted.stderr.splitlines() == [
        waiting,
        f"okrctl: {rel}: {held}); {rel} was not written again and is still uncommitted "
        "(okrctl checkin --amend (same team and date) commits it)",
    ]
    assert (path.read_bytes(), head(banco), status_of(banco)) == (written, first, f" M {rel}\n")
    assert run(cli, banco, "--date", "2026-10-23", "--amend").exit_code == 0  # the lock let go
    assert status_of(banco) == ""


# ----- --amend ---------------------------------------------------------------------------------------
def test_amend_edits_in_place_keeping_comments_and_layout(cli, banco: Path) -> None:
    path = banco / "checkins/discover/2026-10-23.yaml"
    original = path.read_text()
    result = run(
        cli,
        banco,
        "--date",
        "2026-10-23",
        "--amend",
        "-r",
        "tutorial-engagement=25",
        "-r",
        "onboarding-completion=66",
        "--note",
        "setup-tickets=Peak on Monday",
        "--plan",
        "Escalate to the vendor",
    )
    assert result.exit_code == 0, result.stderr
    amended = path.read_text()
    expected = (
        original.replace("tutorial-engagement: 24", "tutorial-engagement: 25")
        .replace("{value: 66.5, note:", "{value: 66, note:")
        .replace("setup-tickets: 410", "setup-tickets: {value: 410, note: Peak on Monday}")
        .replace(
            "  - Daily KYC latency check with identity-platform\n",
            "  - Daily KYC latency check with identity-platform\n  - Escalate to the vendor\n",
        )
    )
    assert amended == expected
    assert git(banco, "log", "-1", "--format=%s").strip() == "checkin(discover): 2026-10-23 confidence 4/10"
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == ["checkins/discover/2026-10-23.yaml"]


def test_amend_a_checkin_that_lists_flush_with_its_keys(cli, banco: Path) -> None:
    path = banco / "checkins/cards/2026-11-20.yaml"
    flush = path.read_text().replace("\n  - ", "\n- ")
    path.write_text("# hand written\n" + flush)
    git(banco, "commit", "-qam", "flush lists")
    result = run(cli, banco, "--team", "cards", "--date", "2026-11-20", "--amend", "-c", "5", "-i", "Courier strike")
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == "# hand written\n" + flush.replace("confidence: 6", "confidence: 5").replace(
        "- Card-migration cut-over moved to 2026-11-27\n",
        "- Card-migration cut-over moved to 2026-11-27\n- Courier strike\n",
    )


def test_amend_off_a_terminal_replaces_the_confidence_it_names_and_keeps_the_others(cli, banco: Path) -> None:
    """``--amend -c OBJ=N`` replaces that objective's confidence, like ``-r`` replaces one result."""
    path = banco / "checkins/digital-services/2026-11-20.yaml"
    original = path.read_text()
    result = run(
        cli, banco, "--team", "digital-services", "--date", "2026-11-20", "--amend", "-c", "sme-digital-banking=3"
    )
    assert result.exit_code == 0, result.stderr
    assert path.read_text() == original.replace("sme-digital-banking: 5", "sme-digital-banking: 3")
    assert git(banco, "log", "-1", "--format=%s").strip() == (
        "checkin(digital-services): 2026-11-20 confidence digital-first-week 7/10, sme-digital-banking 3/10, "
        "resilient-digital-channels 8/10"
    )


# ----- two check-ins at once ---------------------------------------------------------------------------
def test_two_sessions_for_one_team_and_date_cannot_both_write(banco: Path) -> None:
    """Both start before either writes: the hard link lets exactly one of them in."""
    from datetime import date

    from okrctl import checkin as core
    from okrctl.errors import ContentError
    from okrctl.load.pipeline import load_repo

    day = date(2026, 11, 27)
    sessions = [core.prepare(load_repo(banco, use_cache=False), "discover", day, day, amend=False) for _ in range(2)]
    texts = [core.compose(s, core.Answers(confidence=c), None) for s, c in zip(sessions, (6.0, 9.0), strict=True)]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def write(i: int) -> None:
        barrier.wait()
        try:
            core.write(sessions[i], texts[i])
            outcomes.append(f"ok {i}")
        except ContentError as problem:
            outcomes.append(f"refused {i}: {problem}")

    threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o.startswith("ok")]
    losers = [o for o in outcomes if o.startswith("refused")]
    assert len(winners) == 1 and len(losers) == 1
    assert "another check-in of 'discover' for 2026-11-27 was written meanwhile; yours was not written" in losers[0]
    winner = int(winners[0].split()[1])
    assert (banco / NEW).read_text() == texts[winner]
    assert [p.name for p in (banco / "checkins/discover").iterdir() if p.name.startswith(".")] == []


@pytest.mark.slow
def test_two_processes_for_one_team_and_date_one_wins(banco: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1"}
    command = [sys.executable, "-m", "okrctl", "checkin", "--repo", str(banco), "--today", FRIDAY, "--no-commit"]
    procs = [
        subprocess.Popen([*command, "-c", c], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in ("6", "9")
    ]
    results = [(p.wait(timeout=60), p.stderr.read()) for p in procs]  # type: ignore[union-attr]
    for p in procs:
        p.stdout.close()  # type: ignore[union-attr]
        p.stderr.close()  # type: ignore[union-attr]
    assert sorted(code for code, _ in results) == [0, 1]
    loser = next(err for code, err in results if code == 1)
    assert "nothing was written" in loser or "yours was not written" in loser
    assert (banco / NEW).read_text().count("confidence:") == 1


# ----- at a real terminal ----------------------------------------------------------------------------
def terminal(root: Path, *args: str) -> Terminal:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "GIT_CONFIG_NOSYSTEM": "1",
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "TERM": "dumb",
    }
    return Terminal([sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, *args], cwd=root, env=env)


@pytest.mark.slow
def test_the_interactive_checkin_end_to_end(banco: Path) -> None:
    (banco / "notes.md").write_text("draft\n")
    git(banco, "add", "notes.md")
    with terminal(banco) as term:
        screen = term.expect("Confidence [8]: ")
        # The last GRIP, then every KR as baseline → now → target with its bar and expected pace.
        assert "Check-in · Discover (discover) · 2026-11-27" in screen
        assert "Last check-in 2026-11-20 by rui.almeida@example.com" in screen
        assert "  G  confidence 8/10" in screen
        assert "  I  - Two engineers lent to the card-migration project until end of November" in screen
        assert "1  onboarding-completion  65% → 79% → 90%" in screen
        assert "┃" in screen and "56%/63%" in screen and "80.7%" in screen
        term.send("11")
        term.expect("outside the confidence scale 0–10")
        term.expect("Confidence [8]: ")
        term.send("6")
        term.expect("[1] onboarding-completion (%) [79]: ")
        term.send("81")
        term.expect("[2] tutorial-engagement (%) [35.5]: ")
        term.send("")  # Enter keeps the value
        term.expect("[3] setup-tickets (tickets/week) [332]: ")
        term.send("lots")
        term.expect("'lots' is not a number")
        term.expect("[3] setup-tickets (tickets/week) [332]: ")
        term.send("325")
        term.expect("note> ")
        term.send("2: Spanish version live")
        term.expect("note> ")
        term.send("")
        term.expect('Still open: "Two engineers lent to the card-migration project until end of November"? [Y/n] ')
        term.send("n")
        term.expect("New issue (Enter to finish): ")
        term.send("KYC answers slow again")
        term.expect("New issue (Enter to finish): ")
        term.send("")
        term.expect("Plan item (Enter to finish): ")
        term.send("Tutorial in Spanish for everyone")
        term.expect("Plan item (Enter to finish): ")
        term.send("")
        term.expect(f"Write {NEW} and commit it? [Y/n] ")
        term.send("")
        outcome = term.expect_exit(0)
    assert f"✓ wrote {NEW}" in outcome
    assert f"checkin(discover): {FRIDAY} confidence 6/10" in outcome
    assert (banco / NEW).read_text() == (
        "# GRIP check-in of Discover for 2026-11-27, written with `okrctl checkin`.\n"
        "apiVersion: okrctl/v1\n"
        "kind: CheckIn\n"
        "owner: discover\n"
        "date: 2026-11-27\n"
        "author: ana.costa@example.com\n"
        "confidence: 6\n"
        "results:\n"
        "  onboarding-completion: 81\n"
        "  tutorial-engagement: {value: 35.5, note: Spanish version live}\n"
        "  setup-tickets: 325\n"
        "issues:\n"
        "  - KYC answers slow again\n"
        "plan:\n"
        "  - Tutorial in Spanish for everyone\n"
    )
    assert git(banco, "show", "--name-only", "--format=%s", "HEAD").split("\n")[:3] == [
        f"checkin(discover): {FRIDAY} confidence 6/10",
        "",
        NEW,
    ]
    assert status_of(banco) == "A  notes.md\n"


@pytest.mark.slow
def test_flags_answer_their_questions_at_a_terminal_too(banco: Path) -> None:
    with terminal(banco, "-c", "7", "-r", "onboarding-completion=80", "-i", "None", "-p", "More") as term:
        term.expect("[2] tutorial-engagement (%) [35.5]: ")
        term.send("")
        term.expect("[3] setup-tickets (tickets/week) [332]: ")
        term.send("")
        term.expect("note> ")
        term.send("")
        term.expect("and commit it? [Y/n] ")
        term.send("n")
        out = term.expect_exit(0)
    assert "Nothing written." in out
    assert not (banco / NEW).exists()


@pytest.mark.slow
def test_a_text_over_the_limit_is_asked_again_not_refused_after_the_last_question(banco: Path) -> None:
    long = "x" * 2100  # the model takes 2,000 characters a text; a terminal line takes 4,096 bytes
    with terminal(banco, "-c", "7", "-r", "onboarding-completion=80") as term:
        term.expect("[2] tutorial-engagement (%) [35.5]: ")
        term.send("")
        term.expect("[3] setup-tickets (tickets/week) [332]: ")
        term.send("")
        term.expect("note> ")
        term.send(f"1: {long}")
        term.expect("2100 characters, over the limit of 2000")
        term.expect("note> ")
        term.send("")
        term.expect("Still open: ")
        term.send("y")
        term.expect("New issue (Enter to finish): ")
        term.send(long)
        term.expect("2100 characters, over the limit of 2000")
        term.expect("New issue (Enter to finish): ")
        term.send("")
        term.expect("Plan item (Enter to finish): ")
        term.send(long)
        term.expect("2100 characters, over the limit of 2000")
        term.expect("Plan item (Enter to finish): ")
        term.send("Shorter")
        term.expect("Plan item (Enter to finish): ")
        term.send("")
        term.expect("and commit it? [Y/n] ")
        term.send("")
        term.expect_exit(0)
    text = (banco / NEW).read_text()
    assert long not in text and "  - Shorter\n" in text


@pytest.mark.slow
def test_the_note_prompt_explains_itself_with_the_teams_own_key_result(banco: Path) -> None:
    with terminal(banco, "--team", "cards", "-c", "5", "-i", "None", "-p", "More") as term:
        for prompt in ("[56]: ", "[19.5]: ", "[5.1]: "):
            term.expect(prompt)
            term.send("")
        term.expect("note> ")
        term.send("late again")
        screen = term.expect("note> ")
        term.send("")
        term.expect("and commit it? [Y/n] ")
        term.send("n")
        term.expect_exit(0)
    assert "write it as 1: the note, or card-activation-7d: the note" in screen
    assert "tutorial-engagement" not in screen


@pytest.mark.slow
def test_a_second_note_typed_for_a_key_result_asks_before_it_replaces_the_first(banco: Path) -> None:
    # The second note replaced the first without a word: "recount after the migration" was lost.
    with terminal(banco, "-c", "7", "-i", "None", "-p", "More", "--no-commit") as term:
        for prompt in ("[79]: ", "[35.5]: ", "[332]: "):
            term.expect(prompt)
            term.send("")
        term.expect("note> ")
        term.send("3: recount after the migration")
        term.expect("note> ")
        term.send("3: support team changed the form")
        term.expect('  setup-tickets has the note "recount after the migration"; replace it? [y/N] ')
        term.send("")  # no: the first stays
        term.expect("note> ")
        term.send("1: Spanish tutorial")
        term.expect("note> ")
        term.send("onboarding-completion: tutorial in Spanish")
        term.expect('  onboarding-completion has the note "Spanish tutorial"; replace it? [y/N] ')
        term.send("y")
        term.expect("note> ")
        term.send("")
        term.expect(f"Write {NEW}? [Y/n] ")
        term.send("")
        term.expect_exit(0)
    text = (banco / NEW).read_text(encoding="utf-8")
    assert "  onboarding-completion: {value: 79, note: tutorial in Spanish}\n" in text
    assert "  setup-tickets: {value: 332, note: recount after the migration}\n" in text
    assert "support team" not in text and "Spanish tutorial" not in text


@pytest.mark.slow
def test_interactive_amend_starts_from_the_checkin_being_amended(banco: Path) -> None:
    path = banco / "checkins/discover/2026-11-20.yaml"
    with terminal(banco, "--date", "2026-11-20", "--amend", "--no-commit") as term:
        screen = term.expect("Confidence [8]: ")
        assert "amending" in screen
        term.send("")
        for prompt in ("[79]: ", "[35.5]: ", "[332]: "):
            term.expect(prompt)
            term.send("")
        term.expect("note> ")
        term.send("")
        term.expect('Still open: "Two engineers lent')
        term.send("y")
        term.expect("New issue (Enter to finish): ")
        term.send("")
        term.expect('Keep: "Spanish version of the tutorial"? [Y/n] ')
        term.send("y")
        term.expect('Keep: "Review setup tickets by step with the support team"? [Y/n] ')
        term.send("n")
        term.expect("Plan item (Enter to finish): ")
        term.send("")
        term.expect("Amend checkins/discover/2026-11-20.yaml? [Y/n] ")
        term.send("y")
        term.expect_exit(0)
    original = (ROOT / "examples/banco/checkins/discover/2026-11-20.yaml").read_text()
    assert path.read_text() == original.replace("  - Review setup tickets by step with the support team\n", "")


@pytest.mark.slow
def test_a_narrow_screen_names_no_option_the_checkin_does_not_have(banco: Path) -> None:
    # At 70 columns "expected now" gives way; the caption said "or use --format json", which
    # `checkin` does not take (exit 2 when tried).
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "TERM": "dumb"}
    env["COLUMNS"] = "70"
    args = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY]
    with Terminal(args, cwd=banco, env=env, columns=70) as term:
        screen = term.expect("Confidence [8]: ")
        term.send_until("\x04", "okrctl: interrupted")
        term.expect_exit(130)
    assert "(narrow terminal: expected now left out; widen it)" in " ".join(screen.split())
    assert "--format" not in screen


@pytest.mark.slow
def test_the_screens_expected_now_reads_as_the_report_writes_it(cli, banco: Path) -> None:
    # Pace points put onboarding-completion (written to a tenth: 66.5) at 80.35 and setup-tickets
    # (whole tickets) at 322.5 on the day: the screen read "80.3%" and "322" (three significant
    # digits, half to even on the float) where the report reads "expected now 80.4%" and "323".
    objective = banco / "okrs/2026-Q4/discover.yaml"
    text = objective.read_text(encoding="utf-8")
    text = text.replace(
        "    baseline: 65\n    target: 90\n", "    baseline: 65\n    target: 90\n    pace: {2026-11-27: 80.35}\n"
    )
    text = text.replace(
        "    baseline: 400\n    target: 280", "    baseline: 400\n    target: 280\n    pace: {2026-11-27: 322.5}"
    )
    objective.write_text(text, encoding="utf-8")
    git(banco, "commit", "-qam", "pace")
    report = cli("report", "--repo", str(banco), "--unit", "discover", "--today", FRIDAY, "--no-history")
    assert report.exit_code == 0, report.output
    assert "expected now 80.4%, target 90%" in report.stdout and "expected now 323, target 280" in report.stdout
    with terminal(banco) as term:
        screen = term.expect("Confidence [8]: ")
        term.send_until("\x04", "okrctl: interrupted")
        term.expect_exit(130)
    rows = [" ".join(line.split()) for line in screen.splitlines()]
    assert any(row.startswith("1 onboarding-completion ") and row.endswith(" 80.4%") for row in rows), screen
    assert any(row.startswith("3 setup-tickets ") and row.endswith(" 323") for row in rows), screen


@pytest.mark.slow
def test_a_note_number_that_is_another_key_results_id_is_not_guessed(banco: Path) -> None:
    # Key result ids may be digits: "1: …" went to the first key result listed, id "2", while the
    # key result with id "1" was right below it.
    (banco / "units/numbers.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: numbers\nname: Numbers\nparent: digital-services\n"
    )
    (banco / "okrs/2026-Q4/numbers.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: numbers-q4\nowner: numbers\ncycle: 2026-Q4\n"
        "title: Count\naligns: [{to: digital-first-week}]\nkey_results:\n"
        '  - {id: "2", title: Listed first, baseline: 0, target: 10}\n'
        '  - {id: "1", title: Listed second, baseline: 0, target: 10}\n'
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "numbers")
    with terminal(banco, "--team", "numbers", "-c", "5", "-r", "2=3", "-r", "1=4", "-i", "x", "-p", "y") as term:
        term.expect("note> ")
        term.send("1: for the key result with id 1")
        screen = term.expect("note> ")
        assert "'1' is the number of 2 and the id of another key result; write numbers-q4/2 or numbers-q4/1" in screen
        term.send("numbers-q4/1: for the key result with id 1")
        term.expect("note> ")
        term.send("2: for the second")  # number 2 is id "1"; id "2" is number 1: asked again
        term.expect("write numbers-q4/1 or numbers-q4/2")
        term.expect("note> ")
        term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        term.expect_exit(0)
    text = (banco / "checkins/numbers/2026-11-27.yaml").read_text()
    assert "  '2': 3\n  '1': {value: 4, note: for the key result with id 1}\n" in text


@pytest.mark.slow
def test_the_first_checkin_of_a_new_cycle_has_no_confidence_default(banco: Path) -> None:
    # Last quarter's single confidence rated last quarter's objective: Enter must not copy it onto
    # the new one, whose screen line says it has no confidence yet (its values have no default either).
    q4 = (banco / "okrs/2026-Q4/discover.yaml").read_text()
    (banco / "okrs/2027-Q1").mkdir()
    (banco / "okrs/2027-Q1/discover.yaml").write_text(
        q4.replace("2026-Q4", "2027-Q1")
        .replace("id: discover-first-week", "id: discover-q1")
        .replace("pace: {2026-10-31: 25, 2026-11-30: 40}", "pace: {2027-01-31: 25, 2027-02-28: 40}")
    )
    git(banco, "add", "-A")
    git(banco, "commit", "-q", "-m", "2027-Q1")
    with terminal(banco, "--today", "2027-01-08", "--no-commit") as term:
        screen = term.expect("Confidence: ")
        assert "Last check-in 2026-11-20" in screen and "confidence 8/10" in screen  # shown, not kept
        assert "Confidence [" not in screen
        term.send("")
        term.expect("a number from 0 to 10, please")
        term.expect("Confidence: ")
        term.send("5")
        term.expect("[1] onboarding-completion (%): ")
        term.send_until("\x04", "okrctl: interrupted")
        term.expect_exit(130)
    assert not (banco / "checkins/discover/2027-01-08.yaml").exists()


@pytest.mark.slow
@pytest.mark.parametrize("key", ["\x04", "\x03"])  # Ctrl-D, Ctrl-C
def test_stopping_at_a_prompt_writes_nothing(banco: Path, key: str) -> None:
    before = head(banco)
    with terminal(banco) as term:
        term.expect("Confidence [8]: ")
        term.send_until(key, "okrctl: interrupted")
        out = term.expect_exit(130)
    assert "okrctl: interrupted" in out or "okrctl: interrupted" in term.output
    assert "Traceback" not in out
    # The line starts a line of its own, not after the prompt's "^C".
    assert re.search(r"(^|\n)okrctl: interrupted", term.output), term.output
    assert_untouched(banco, before)


@pytest.mark.slow
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_stopped_while_a_hook_runs_says_the_checkin_is_written_and_uncommitted(banco: Path, signal_name: str) -> None:
    """A cancelled job (SIGTERM) or Ctrl-C while git commits and a slow pre-commit hook runs: the
    check-in stays written, the last line says so and how to commit it (not a bare "terminated"
    that invites running it again), and the user's index is as before (the file untracked)."""
    import signal

    started = banco / ".hook-started"
    hook = banco / ".git" / "hooks" / "pre-commit"
    hook.write_text(f"#!/bin/sh\ntouch '{started}'\nsleep 30\n", encoding="utf-8")
    hook.chmod(0o755)
    run = subprocess.Popen(
        [sys.executable, "-m", "okrctl", "checkin", "--repo", str(banco), "--team", "discover"]
        + ["--today", "2026-11-27", "-c", "6", "--issue", "x"],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        # Ctrl-C as a user's shell leaves it: a test run started in the background of a script
        # inherits SIGINT ignored, and okrctl would then keep ignoring it (``nohup``'s rule).
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    assert started.exists(), run.communicate()
    run.send_signal(getattr(signal, signal_name))
    _out, err = run.communicate(timeout=60)
    word, code = ("terminated", 143) if signal_name == "SIGTERM" else ("interrupted", 130)
    assert run.returncode == code
    rel = "checkins/discover/2026-11-27.yaml"
    assert err.decode().splitlines()[-1] == (
        f"okrctl: {word}; {rel} is written and left uncommitted "
        "(okrctl checkin --amend (same team and date) commits it)"
    )
    assert (banco / rel).is_file()
    assert git(banco, "status", "--porcelain", "--", "checkins") == f"?? {rel}\n"


def _gpg_that_fails(root: Path) -> str:
    git(root, "config", "commit.gpgsign", "true")
    git(root, "config", "gpg.program", "false")
    return "error: gpg failed to sign the data"


def _sparse_without_the_folder(root: Path) -> str:
    # Only the new check-in is left out: a sparse checkout that leaves out files git tracks stops
    # every command before it reads (tests/test_git_checkouts.py).
    git(root, "sparse-checkout", "set", "--no-cone", "/*", "!/checkins/discover/2026-11-27.yaml")
    return "the file is outside the sparse-checkout definition (git sparse-checkout add its folder)"


@pytest.mark.parametrize("setup", [_gpg_that_fails, _sparse_without_the_folder], ids=["gpg", "sparse"])
def test_a_refused_commit_is_summed_up_by_its_cause(cli, banco: Path, setup) -> None:
    """git's whole message is printed above; the one line names the cause ("gpg failed to sign",
    not "failed to write commit object"; the sparse checkout, not the bare path git lists last)."""
    reason = setup(banco)
    result = cli("checkin", "--repo", str(banco), "--team", "discover", "--today", "2026-11-27", "-c", "6")
    assert result.exit_code == 1
    last = result.stderr.splitlines()[-1]
    assert reason in last, last
    assert last.endswith(
        "checkins/discover/2026-11-27.yaml is written and left uncommitted "
        "(once the cause is fixed, okrctl checkin --amend (same team and date) commits it)"
    )
    assert ".;" not in last


def test_a_pre_commit_hook_that_fetches_still_can(cli, banco: Path, tmp_path: Path) -> None:
    """okrctl forbids git every transport (docs/security.md), but not the hooks of a check-in: they
    are the user's programs and run as under a plain 'git commit', fetching included."""
    upstream = tmp_path / "upstream"
    git(tmp_path, "clone", "-q", "--bare", str(banco), str(upstream))
    git(banco, "remote", "add", "upstream", upstream.as_uri())
    install_hook(banco, "git fetch -q upstream && git rev-parse upstream/main > hook-fetched.txt\n")
    result = run(cli, banco, "-c", "7")
    assert result.exit_code == 0, result.stderr
    assert len((banco / "hook-fetched.txt").read_text().strip()) == 40
    assert git(banco, "show", "--name-only", "--format=", "HEAD").split() == [NEW]


def test_amending_a_check_in_whose_rename_is_staged_commits_the_rename_whole(cli, banco: Path) -> None:
    """``git mv`` of the check-in staged, then ``checkin --amend``: the commit holds the file under
    its new name only. Committing the new path alone left the old one in HEAD as well, two
    check-ins of one date there (OKR102 on a checkout of the commit)."""
    git(banco, "mv", "checkins/discover/2026-11-20.yaml", "checkins/discover/final-1120.yaml")
    result = cli(
        "checkin",
        "--repo",
        str(banco),
        "--team",
        "discover",
        "--amend",
        "--date",
        "2026-11-20",
        "-c",
        "6",
        "--today",
        "2026-11-27",
    )
    assert result.exit_code == 0, result.stderr
    held = git(banco, "ls-tree", "-r", "--name-only", "HEAD", "checkins/discover/").split()
    assert "checkins/discover/final-1120.yaml" in held and "checkins/discover/2026-11-20.yaml" not in held
    assert git(banco, "status", "--porcelain") == ""
    checkout = banco.parent / "at-head"
    git(banco, "worktree", "add", "-q", str(checkout), "HEAD")
    assert cli("align", "--repo", str(checkout), "--today", "2026-11-27", "--select", "OKR102").exit_code == 0


def test_a_hook_that_picks_its_files_with_a_glob_sees_the_check_in(cli, banco: Path) -> None:
    """okrctl gave git ``--literal-pathspecs``, which git hands on to hooks: a pre-commit hook that
    picks the staged check-ins with ``-- 'checkins/*.yaml'`` found none and let through what it
    refuses under the user's own ``git commit``."""
    install_hook(
        banco,
        "for f in $(git diff --cached --name-only --diff-filter=AM -- 'checkins/*.yaml'); do\n"
        '  git show ":$f" | grep -q "^issues:" || { echo "pre-commit: $f has no issues" >&2; exit 1; }\n'
        "done\n",
    )
    before = head(banco)
    result = run(cli, banco, "-c", "7", "-r", "onboarding-completion=81")
    assert result.exit_code == 1, result.stdout
    assert f"pre-commit: {NEW} has no issues" in result.stderr
    assert head(banco) == before and status_of(banco) == f"?? {NEW}\n"


def test_a_refused_commit_leaves_a_staged_deletion_of_the_same_file_as_it_was(cli, banco: Path) -> None:
    """The user staged the deletion of the day's check-in; okrctl writes it again and the hook
    refuses the commit. An intent-to-add entry stayed in the index (``DA``), for the user's next
    ``git commit -a`` to take."""
    day = "2026-11-20"
    path = f"checkins/discover/{day}.yaml"
    git(banco, "rm", "-q", path)
    install_hook(banco, "echo no >&2; exit 1\n")
    result = run(cli, banco, "-c", "6", "-r", "onboarding-completion=80", today=day)
    assert result.exit_code == 1
    assert status_of(banco) == f"D  {path}\n?? {path}\n"


def test_the_closing_status_shows_an_objective_id_wider_than_the_terminal_in_whole(cli, copy_example, git_repo) -> None:
    """The status the check-in ends with cropped a long objective id at the terminal's edge, with no
    "…" (…-for-the-whole-comp at 60 columns): it now goes on over the next line."""
    long_id = "discover-first-week-for-every-new-customer-of-the-whole-company"
    root = git_repo(copy_example("banco"), commit=False)
    for path in (root / "okrs/2026-Q4").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("discover-first-week", long_id), "utf-8")
    committed_by_a_member(root)
    result = cli("checkin", "--repo", str(root), "--today", FRIDAY, "-c", "7", "--no-commit", env={"COLUMNS": "60"})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("discover-first-week-"))
    end = next(n for n in range(start, len(lines)) if lines[n].startswith("    Make the first week"))
    assert "".join(lines[start:end]) == long_id, lines[start:end]
    assert all(len(line) <= 60 for line in lines[start:end])
