"""``okrctl history``, OKR601 and ``moved_targets`` on real git repositories with dated commits."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, git
from tests.helpers_git import banco_before_q4, commit_at, edit, hermetic_git

DISCOVER = "okrs/2026-Q4/discover.yaml"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_before_q4(copy_example, git_repo)


def lower_target(
    folder: Path, day: str, new: str = "85", *, name: str = "Rui Almeida", email: str = "rui@example.com"
) -> str:
    edit(folder / DISCOVER, r"^    target: 90$", f"    target: {new}")
    return commit_at(folder, day, "lower the onboarding target", name=name, email=email)


def november_changes(cli, folder: Path, *keys: str) -> list[tuple]:
    """``history --since 2026-11-01`` (today 2026-11-20): each change as the tuple of its ``keys``."""
    since = cli("history", "--repo", str(folder), "--since", "2026-11-01", "--today", "2026-11-20", "-f", "json")
    assert since.exit_code == 0, since.output
    return [tuple(change[key] for key in keys) for change in json.loads(since.stdout)["changes"]]


def findings_601(cli, folder: Path, *extra: str) -> list[dict]:
    result = cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json", "--select", "OKR601", *extra)
    return json.loads(result.stdout)["findings"]


# ----- history --------------------------------------------------------------------------------------
def test_target_moved_after_the_start_is_listed_with_author_commit_and_values(cli, banco: Path) -> None:
    sha = lower_target(banco, "2026-10-20")
    result = cli("history", "--repo", str(banco), "--format", "json")
    assert result.exit_code == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    assert changes == [
        {
            "date": "2026-10-20",
            "commit": sha,
            "author": {"name": "Rui Almeida", "email": "rui@example.com"},
            "path": DISCOVER,
            "objective": "discover-first-week",
            "key_result": "onboarding-completion",
            "field": "target",
            "old": 90,
            "new": 85,
            "cycle_started": True,
        }
    ]


def test_an_author_is_named_as_git_recorded_whatever_the_log_output_encoding_set(cli, banco: Path) -> None:
    """A legacy i18n.logOutputEncoding (ISO-8859-1) made git print names in Latin-1, read as UTF-8:
    'Zoë Ådmin' was 'Zo\ufffd \ufffddmin' in history, OKR601 and the JSON."""
    lower_target(banco, "2026-10-20", name="Zoë Ådmin", email="zoe@example.com")
    git(banco, "config", "i18n.logOutputEncoding", "ISO-8859-1")
    result = cli("history", "--repo", str(banco), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [c["author"]["name"] for c in json.loads(result.stdout)["changes"]] == ["Zoë Ådmin"]
    assert "by Zoë Ådmin <zoe@example.com>" in findings_601(cli, banco, "--no-cache")[0]["message"]


def test_a_target_moved_in_a_commit_dated_tomorrow_is_a_finding_when_today_is_the_real_one(
    cli, copy_example, git_repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit made east of the runner (Sydney before 11:00 is "tomorrow" in UTC) is dated after
    the runner's day: OKR601 left it out, as if --today had been pinned before it, while history
    and report list it. The gate passed a moved target. A --today pinned before it leaves it out."""
    monkeypatch.delenv("OKRCTL_TODAY", raising=False)
    today = date.today()
    folder = git_repo(copy_example("banco"), commit=False)
    config = folder / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8")
        + f"cycles:\n  - {{id: live, start: {today - timedelta(days=30)}, end: {today + timedelta(days=30)}}}\n",
        encoding="utf-8",
    )
    edit(folder / DISCOVER, r"^cycle: 2026-Q4$", "cycle: live")
    commit_at(folder, str(today - timedelta(days=40)), "OKRs for the live cycle")
    lower_target(folder, str(today + timedelta(days=1)))
    result = cli("align", "--repo", str(folder), "--format", "json", "--select", "OKR601")
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["OKR601"], result.output
    pinned = cli(
        "align",
        "--repo",
        str(folder),
        "--format",
        "json",
        "--select",
        "OKR601",
        "--today",
        str(today - timedelta(days=1)),
    )
    assert json.loads(pinned.stdout)["findings"] == []
    # history says the same, --today set to the real day too (it listed nothing where OKR601 warned).
    for pinned_day in ([], ["--today", str(today)]):
        listed = cli("history", "--repo", str(folder), "--format", "json", *pinned_day)
        assert [c["date"] for c in json.loads(listed.stdout)["changes"]] == [str(today + timedelta(days=1))]
    real_day = cli("align", "--repo", str(folder), "--format", "json", "--select", "OKR601", "--today", str(today))
    assert [f["code"] for f in json.loads(real_day.stdout)["findings"]] == ["OKR601"]


def test_a_target_that_is_no_finite_number_is_no_target_and_the_json_stays_json(cli, banco: Path) -> None:
    """A broken version's ``.nan`` or ``.inf`` target was carried into history, report and digest
    JSON as the bare words NaN and Infinity, which no strict JSON parser reads; then as text, three
    moves (90 → .nan → .inf → 90) for a target back where it was. It fails its own check (OKR101):
    no target, so nothing moved."""
    lower_target(banco, "2026-11-16", ".nan")
    edit(banco / DISCOVER, r"^    target: \.nan$", "    target: .inf")
    commit_at(banco, "2026-11-17", "infinite")
    edit(banco / DISCOVER, r"^    target: \.inf$", "    target: 90")
    commit_at(banco, "2026-11-18", "back")

    def refused(word: str) -> None:
        raise AssertionError(f"{word} is not JSON")

    assert november_changes(cli, banco, "old", "new") == []
    for command in (["history"], ["report", "--unit", "discover"], ["digest"]):
        result = cli(*command, "--repo", str(banco), "--today", "2026-11-20", "--format", "json")
        assert result.exit_code == 0, result.output
        assert ".inf" not in result.stdout and ".nan" not in result.stdout
        json.loads(result.stdout, parse_constant=refused)
    text = cli("history", "--repo", str(banco), "--today", "2026-11-20")
    assert text.stdout.startswith("No change of a target, baseline or title")


def test_json_has_no_number_that_is_not_finite() -> None:
    """The one JSON writer never writes NaN or Infinity, wherever such a number comes from."""
    from okrctl.render.envelope import dumps

    assert json.loads(dumps({"a": [float("nan"), float("inf"), -float("inf"), 1.5]})) == {
        "a": [".nan", ".inf", "-.inf", 1.5]
    }


def test_history_text_shows_date_ref_values_and_whether_the_cycle_had_started(cli, banco: Path) -> None:
    sha = lower_target(banco, "2026-10-20")
    result = cli("history", "--repo", str(banco))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "2026-10-20  discover-first-week/onboarding-completion  target  90 → 85  after the cycle started"
    )
    assert lines[1] == f"            Rui Almeida <rui@example.com> · commit {sha[:7]} · {DISCOVER}"
    assert lines[-1] == "1 change, 1 after the cycle had started"


def test_an_empty_answer_names_the_since_day_and_a_day_after_today_is_noted(cli, banco: Path) -> None:
    """``history --since`` with nothing in the window said there was no change in the whole git
    history; and a day after today gave that without a word on why."""
    lower_target(banco, "2026-10-20")

    def history(since: str):
        return cli("history", "--repo", str(banco), "--since", since, "--today", "2026-11-20")

    later = history("2026-10-21")
    assert later.exit_code == 0 and later.stderr == ""
    assert later.stdout == (
        "No change of a target, baseline or title since 2026-10-21 in the git history of the objective files.\n"
    )
    ahead = history("2027-01-01")
    assert ahead.exit_code == 0 and "since 2027-01-01" in ahead.stdout
    assert (
        ahead.stderr == "okrctl: note: --since 2027-01-01 is after today (2026-11-20): no change can be that recent\n"
    )
    assert history("2026-10-20").stdout.splitlines()[-1] == "1 change, 1 after the cycle had started"


def test_today_in_the_past_leaves_out_the_commits_dated_after_it(cli, banco: Path, monkeypatch) -> None:
    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^    target: 85$", "    target: 80")
    commit_at(banco, "2026-11-10", "lower it again")

    def days(*extra: str) -> list[str]:
        result = cli("history", "--repo", str(banco), "--format", "json", *extra)
        assert result.exit_code == 0, result.stderr
        return [change["date"] for change in json.loads(result.stdout)["changes"]]

    assert days() == ["2026-10-20", "2026-11-10"]
    assert days("--today", "2026-11-09") == ["2026-10-20"]
    assert days("--today", "2026-11-10") == ["2026-10-20", "2026-11-10"]  # the day itself counts
    assert days("--today", "2026-10-19") == []
    monkeypatch.setenv("OKRCTL_TODAY", "2026-11-09")
    assert days() == ["2026-10-20"]


def test_an_objective_removed_with_its_file_still_has_its_history(cli, banco: Path) -> None:
    """Outside okrs/, only the files that hold objectives now are followed; an objective asked for by
    name that no file holds any more is searched in every file git has seen."""
    elsewhere = banco / "teams" / "extra.yaml"
    elsewhere.parent.mkdir()
    text = (banco / DISCOVER).read_text(encoding="utf-8").replace("id: discover-first-week", "id: extra-week")
    elsewhere.write_text(text, encoding="utf-8")
    commit_at(banco, "2026-09-25", "an objective outside okrs/")
    edit(elsewhere, r"^    target: 90$", "    target: 70")
    sha = commit_at(banco, "2026-10-21", "lower it")
    elsewhere.unlink()
    dropped = commit_at(banco, "2026-11-02", "drop it")
    result = cli("history", "extra-week", "--repo", str(banco), "--format", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    changes = payload["changes"]
    assert [(c["commit"], c["path"], c["field"], c["old"], c["new"]) for c in changes] == [
        (sha, "teams/extra.yaml", "target", 90, 70)
    ]
    assert payload["removed"] == {
        "date": "2026-11-02",
        "commit": dropped,
        "author": {"name": "Ana Example", "email": "ana@example.com"},
        "path": "teams/extra.yaml",
    }
    assert result.stderr == (
        "okrctl: note: 'extra-week' is not in the repository any more: removed on 2026-11-02 by "
        f"Ana Example <ana@example.com> (commit {dropped[:7]}, teams/extra.yaml); its changes before that are listed\n"
    )
    # Asked about a day before the removal, the history does not know of it yet.
    before = cli("history", "extra-week", "--repo", str(banco), "--today", "2026-10-31")
    assert before.exit_code == 0, before.stderr
    assert (
        before.stderr
        == "okrctl: note: 'extra-week' is not in the repository now, but was on 2026-10-31; its changes are listed\n"
    )
    # A window after its last change: no change, and the removal still named (exit 0, not unknown).
    late = cli("history", "extra-week", "--repo", str(banco), "--since", "2026-10-25")
    assert late.exit_code == 0, late.stderr
    assert late.stderr.endswith(
        f"(commit {dropped[:7]}, teams/extra.yaml); no target, baseline or title of it changed from 2026-10-25 before that\n"
    )
    # Before anything git shows of it: it may have been there; no change, no removal yet.
    early = cli("history", "extra-week", "--repo", str(banco), "--today", "2026-09-30", "--format", "json")
    assert early.exit_code == 0, early.stderr
    assert json.loads(early.stdout)["changes"] == [] and json.loads(early.stdout)["removed"] is None
    unknown = cli("history", "never-was", "--repo", str(banco))
    assert unknown.exit_code == 2 and "unknown objective 'never-was'" in unknown.stderr
    assert json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["removed"] is None


def test_an_objective_removed_without_a_changed_target_names_the_commit_that_removed_it(cli, banco: Path) -> None:
    """Not an unknown objective: its removal is its history (exit 0, no changes)."""
    elsewhere = banco / "teams" / "extra.yaml"
    elsewhere.parent.mkdir()
    text = (banco / DISCOVER).read_text(encoding="utf-8").replace("id: discover-first-week", "id: extra-week")
    elsewhere.write_text(text, encoding="utf-8")
    commit_at(banco, "2026-09-25", "an objective outside okrs/")
    elsewhere.unlink()
    dropped = commit_at(banco, "2026-10-02", "drop it")
    result = cli("history", "extra-week", "--repo", str(banco))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        "okrctl: note: 'extra-week' is not in the repository any more: removed on 2026-10-02 by "
        f"Ana Example <ana@example.com> (commit {dropped[:7]}, teams/extra.yaml); "
        "no target, baseline or title of it changed before that\n"
    )
    # Put back later: it is in the repository again, and no removal is named.
    elsewhere.write_text(text, encoding="utf-8")
    commit_at(banco, "2026-10-09", "back again")
    again = cli("history", "extra-week", "--repo", str(banco), "--format", "json")
    assert again.exit_code == 0 and again.stderr == ""
    assert json.loads(again.stdout)["removed"] is None


def test_a_key_result_no_version_of_a_gone_objective_held_is_refused_as_a_live_ones_is(cli, banco: Path) -> None:
    """A slip in the key result of an objective renamed away is a usage error (exit 2) with the
    closest key result its versions in git held, as for a live objective; not "no change" (its
    target did move). A key result it held and never moved is no change, said of that key result."""
    cards = banco / "okrs/2026-Q4/cards.yaml"
    edit(cards, r"^    target: 75$", "    target: 70")
    commit_at(banco, "2026-10-09", "lower the activation target")
    edit(cards, r"^id: first-card-moment$", "id: first-card-wow")
    commit_at(banco, "2026-10-12", "rename the objective")

    def history(ref: str, *args: str):
        return cli("history", ref, "--repo", str(banco), "--today", "2026-11-20", *args)

    for fmt in ("text", "json"):
        slip = history("first-card-moment/card-activaton-7d", "--format", fmt)
        assert (slip.exit_code, slip.stdout) == (2, "")
        assert slip.stderr == (
            "okrctl: no version of 'first-card-moment' in git has a key result 'card-activaton-7d'; "
            "did you mean 'card-activation-7d'?\n"
        )
    live = history("first-card-wow/card-activaton-7d")
    assert live.exit_code == 2
    assert live.stderr.endswith("has no key result 'card-activaton-7d'; did you mean 'card-activation-7d'?\n")
    never = history("first-card-moment/no-such-kr")
    assert never.exit_code == 2
    assert never.stderr == "okrctl: no version of 'first-card-moment' in git has a key result 'no-such-kr'\n"
    moved = history("first-card-moment/card-activation-7d", "--format", "json")
    assert moved.exit_code == 0, moved.stderr
    assert [(c["old"], c["new"]) for c in json.loads(moved.stdout)["changes"]] == [(75, 70)]
    kept = history("first-card-moment/virtual-card-day-one")
    assert kept.exit_code == 0, kept.stderr
    assert kept.stderr.endswith(
        "; no target, baseline or title of its key result 'virtual-card-day-one' changed before that\n"
    )
    # An id close to the objective gone is offered it, not only the live one.
    close = history("first-card-momnet")
    assert close.exit_code == 2
    assert close.stderr == "okrctl: unknown objective 'first-card-momnet'; did you mean 'first-card-moment'?\n"


def test_an_objective_dropped_by_a_merge_names_the_merge(cli, banco: Path) -> None:
    """Removed on a branch and merged: the commit that took it out of the branch checked out is
    the merge (the history of the branch's own line, each merge against its first parent)."""
    from tests.conftest import git

    elsewhere = banco / "teams" / "extra.yaml"
    elsewhere.parent.mkdir()
    text = (banco / DISCOVER).read_text(encoding="utf-8").replace("id: discover-first-week", "id: extra-week")
    elsewhere.write_text(text, encoding="utf-8")
    commit_at(banco, "2026-09-25", "an objective outside okrs/")
    main = git(banco, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(banco, "switch", "-q", "-c", "tidy")
    elsewhere.unlink()
    commit_at(banco, "2026-10-05", "drop it on a branch")
    git(banco, "switch", "-q", main)
    (banco / "notes.yaml").write_text("# main moves on\n", encoding="utf-8")
    commit_at(banco, "2026-10-06", "main moves on")
    env = {"GIT_COMMITTER_DATE": "2026-10-07T12:00:00+00:00", "GIT_AUTHOR_DATE": "2026-10-07T12:00:00+00:00"}
    git(
        banco,
        "-c",
        "user.name=Ana Example",
        "-c",
        "user.email=ana@example.com",
        "merge",
        "-q",
        "--no-ff",
        "tidy",
        "-m",
        "merge tidy",
        env=env,
    )
    merge = git(banco, "rev-parse", "HEAD").strip()
    result = cli("history", "extra-week", "--repo", str(banco), "--format", "json")
    assert result.exit_code == 0, result.stderr
    removed = json.loads(result.stdout)["removed"]
    assert (removed["commit"], removed["date"], removed["path"]) == (merge, "2026-10-07", "teams/extra.yaml")


def _merge_conflicting_targets(banco: Path, resolved: str) -> tuple[str, str, str]:
    """A branch sets Discover's target to 80, main to 85, and the merge (conflicting) writes
    ``resolved``: the hashes of the branch's commit, main's and the merge."""
    main = git(banco, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(banco, "switch", "-q", "-c", "stretch")
    side = lower_target(banco, "2026-10-05", "80", name="Bo Branch", email="bo@example.com")
    git(banco, "switch", "-q", main)
    ours = lower_target(banco, "2026-10-06", "85")
    merging = subprocess.run(["git", "merge", "-q", "stretch"], cwd=banco, capture_output=True, text=True, check=False)
    assert merging.returncode != 0, "the two targets conflict"
    text = (banco / DISCOVER).read_text(encoding="utf-8")
    before, rest = text.split("<<<<<<<", 1)
    after = rest.split(">>>>>>>", 1)[1].split("\n", 1)[1]
    (banco / DISCOVER).write_text(f"{before}    target: {resolved}\n{after}", encoding="utf-8")
    merge = commit_at(banco, "2026-10-07", "merge stretch", name="Di Merger", email="di@example.com")
    return side, ours, merge


def test_a_target_a_merge_sets_itself_is_listed_with_the_merge(cli, banco: Path) -> None:
    """A conflict resolved to a third value (neither side's) is a change the merge made: history
    lists it against main's value, and OKR601 reports it, as a commit of its own would be."""
    side, ours, merge = _merge_conflicting_targets(banco, "95")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["commit"], c["author"]["name"], c["old"], c["new"]) for c in changes] == [
        (side, "Bo Branch", 90, 80),
        (ours, "Rui Almeida", 90, 85),
        (merge, "Di Merger", 85, 95),
    ]
    moves = [(f["message"], f["path"]) for f in findings_601(cli, banco)]
    assert any("85 → 95 on 2026-10-07" in message and merge[:7] in message for message, _ in moves), moves
    assert len(moves) == 3


def test_a_merge_that_keeps_one_side_adds_no_change_of_its_own(cli, banco: Path) -> None:
    """Resolved to the branch's value: the change is the branch commit's; the merge made none of
    its own. Main's own move (90 → 85, held a day) is listed too: git's simplified history left out
    the side whose files the merge did not keep, and with it a move made after the cycle started."""
    side, ours, _merge = _merge_conflicting_targets(banco, "80")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["commit"], c["old"], c["new"]) for c in changes] == [(side, 90, 80), (ours, 90, 85)]


def test_a_move_undone_before_a_merge_of_other_work_stays_in_the_history(cli, banco: Path) -> None:
    """Main moves a target and back, then merges a branch that changed another file: the merge's
    files equal the branch's, and git's simplified history dropped main's two moves, from
    ``history`` and from OKR601 alike."""
    main = git(banco, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(banco, "switch", "-q", "-c", "cards-work")
    edit(banco / "okrs/2026-Q4/cards.yaml", r"^    baseline: 48$", "    baseline: 45")
    branch = commit_at(banco, "2026-10-12", "cards baseline")
    git(banco, "switch", "-q", main)
    up = lower_target(banco, "2026-10-15", "95")
    edit(banco / DISCOVER, r"^    target: 95$", "    target: 90")
    back = commit_at(banco, "2026-10-18", "the target back")
    git(banco, "merge", "-q", "--no-ff", "cards-work", "-m", "merge cards-work")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["commit"], c["old"], c["new"]) for c in changes] == [(branch, 48, 45), (up, 90, 95), (back, 95, 90)]
    assert len(findings_601(cli, banco)) == 3


def test_a_merge_lists_only_the_values_no_parent_held(cli, banco: Path) -> None:
    """One file, two key results: the merge takes the branch's onboarding target (80, over main's
    85) and sets the tutorial target to 65, which neither side had. Only the second is the merge's
    change; the first is the branch commit's, listed with it."""
    main = git(banco, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(banco, "switch", "-q", "-c", "stretch")
    edit(banco / DISCOVER, r"^    target: 50$", "    target: 55")
    side = lower_target(banco, "2026-10-05", "80", name="Bo Branch", email="bo@example.com")
    git(banco, "switch", "-q", main)
    edit(banco / DISCOVER, r"^    target: 50$", "    target: 60")
    ours = lower_target(banco, "2026-10-06", "85")
    git(banco, "merge", "-q", "--no-commit", "-s", "ours", "stretch")
    edit(banco / DISCOVER, r"^    target: 85$", "    target: 80")
    edit(banco / DISCOVER, r"^    target: 60$", "    target: 65")
    merge = commit_at(banco, "2026-10-07", "merge stretch", name="Di Merger", email="di@example.com")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["commit"], c["key_result"], c["old"], c["new"]) for c in changes] == [
        (side, "onboarding-completion", 90, 80),
        (side, "tutorial-engagement", 50, 55),
        (ours, "onboarding-completion", 90, 85),
        (ours, "tutorial-engagement", 50, 60),
        (merge, "tutorial-engagement", 60, 65),
    ]


def test_a_merge_of_two_sides_that_touched_different_files_is_read_once_from_a_day_on(
    cli, banco: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The usual pull-request merge: the branch lowered Discover's target, main Cards'; the merge
    takes each file from its side and sets nothing itself. It is no commit of its own in the
    history, and ``--since`` reads the history once (a commit without versions once sent it back to
    the whole history, as a commit that only adds files must)."""
    import okrctl.analysis.history as history_module

    main = git(banco, "rev-parse", "--abbrev-ref", "HEAD").strip()
    git(banco, "switch", "-q", "-c", "stretch")
    side = lower_target(banco, "2026-10-05", "80")
    git(banco, "switch", "-q", main)
    edit(banco / "okrs/2026-Q4/cards.yaml", r"^    target: 75$", "    target: 70")
    ours = commit_at(banco, "2026-10-06", "cards: lower the activation target")
    git(banco, "-c", "user.name=Di", "-c", "user.email=di@example.com", "merge", "-q", "--no-edit", "stretch")
    readings: list[object] = []
    real = history_module.file_history

    def counted(*args, **kwargs):
        readings.append(kwargs.get("since"))
        return real(*args, **kwargs)

    monkeypatch.setattr(history_module, "file_history", counted)
    result = cli("history", "--repo", str(banco), "--since", "2026-10-01", "--today", "2026-11-20", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [(c["commit"], c["new"]) for c in json.loads(result.stdout)["changes"]] == [(side, 80), (ours, 70)]
    assert readings == [date(2026, 10, 1)]


def test_change_before_the_cycle_start_is_history_but_not_a_finding(cli, banco: Path) -> None:
    lower_target(banco, "2026-09-28")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["date"], c["cycle_started"]) for c in changes] == [("2026-09-28", False)]
    assert findings_601(cli, banco) == []


def test_a_target_changed_before_its_objective_was_moved_to_a_later_cycle_is_planning_for_it(cli, banco: Path) -> None:
    # Lowered on 2026-10-20, while the objective was of 2026-Q4 (started); deferred to 2027-Q1 a week
    # later. Its cycle now has not started: the move was planning for it, neither OKR601 nor a
    # change "after the cycle started" (which named 2027-Q1 as started on 2026-10-20).
    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^cycle: 2026-Q4$", "cycle: 2027-Q1")
    commit_at(banco, "2026-10-27", "defer the onboarding objective")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json", "--today", DEMO_DAY).stdout)[
        "changes"
    ]
    assert [(c["date"], c["field"], c["cycle_started"]) for c in changes] == [("2026-10-20", "target", False)]
    text = cli("history", "--repo", str(banco), "--today", DEMO_DAY).stdout
    assert "before the cycle started" in text and "0 after the cycle had started" in text
    assert findings_601(cli, banco) == []


def test_a_target_lowered_in_the_commit_that_defers_its_objective_counts_once_it_is_back(cli, banco: Path) -> None:
    # The commit of 2026-10-20 lowers the target of a running 2026-Q4 objective and defers it to
    # 2027-Q1 at once: planning while it stays deferred, a goalpost moved once it is a 2026-Q4
    # objective again, as the same edits in two commits are.
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    edit(banco / DISCOVER, r"^cycle: 2026-Q4$", "cycle: 2027-Q1")
    sha = commit_at(banco, "2026-10-20", "defer the onboarding objective and lower its target")
    assert findings_601(cli, banco) == []
    edit(banco / DISCOVER, r"^cycle: 2027-Q1$", "cycle: 2026-Q4")
    commit_at(banco, "2026-11-05", "back to 2026-Q4")
    [finding] = findings_601(cli, banco)
    assert finding["message"].startswith(
        "target of 'onboarding-completion' changed 90 → 85 on 2026-10-20 after 2026-Q4"
    )
    assert f"(commit {sha[:7]} " in finding["message"]
    text = cli("history", "--repo", str(banco), "--today", DEMO_DAY).stdout
    assert "90 → 85  after the cycle started" in text


def test_okr601_warns_with_commit_author_and_values_at_the_target_line(cli, banco: Path) -> None:
    sha = lower_target(banco, "2026-10-20")
    [finding] = findings_601(cli, banco)
    assert finding["severity"] == "warning"
    assert finding["path"] == DISCOVER
    line = (banco / DISCOVER).read_text(encoding="utf-8").splitlines()[finding["line"] - 1]
    assert line.strip() == "target: 85"
    assert finding["message"] == (
        "target of 'onboarding-completion' changed 90 → 85 on 2026-10-20 after 2026-Q4 started "
        f"(commit {sha[:7]} by Rui Almeida <rui@example.com>)"
    )
    assert "rescoped" in finding["hint"]


def test_okr601_is_info_when_rescoped_documents_the_change_within_a_week(cli, banco: Path) -> None:
    lower_target(banco, "2026-10-20")
    edit(
        banco / DISCOVER,
        r"^key_results:$",
        "rescoped:\n  - {date: 2026-10-23, note: KYC vendor change slowed every check}\nkey_results:",
    )
    commit_at(banco, "2026-10-23", "document the rescope")
    [finding] = findings_601(cli, banco)
    assert finding["severity"] == "info"
    assert "documented in rescoped (2026-10-23: KYC vendor change slowed every check)" in finding["message"]
    result = cli("align", "--repo", str(banco), "--today", DEMO_DAY)
    assert result.exit_code == 0


@pytest.mark.parametrize(
    ("configured", "documented", "undocumented", "exit_code"),
    [
        (None, "info", "warning", 0),
        ("warning", "info", "warning", 0),  # the rule's own default changes nothing
        ("error", "info", "error", 1),  # "block undocumented goal-post moves"
        ("info", "info", "info", 0),
    ],
)
def test_a_severity_in_okrctl_yaml_grades_undocumented_moves_and_a_documented_one_stays_info(
    cli, banco: Path, configured: str | None, documented: str, undocumented: str, exit_code: int
) -> None:
    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^key_results:$", "rescoped:\n  - {date: 2026-10-23, note: KYC vendor}\nkey_results:")
    commit_at(banco, "2026-10-23", "document the rescope")
    edit(banco / DISCOVER, r"^    target: 85$", "    target: 80")
    commit_at(banco, "2026-11-10", "lower it again, without a word")
    if configured is not None:
        config = banco / "okrctl.yaml"
        config.write_text(
            config.read_text(encoding="utf-8") + f"rules: {{severity: {{OKR601: {configured}}}}}\n", encoding="utf-8"
        )
    graded = {re.search(r" on (\S+) after", f["message"])[1]: f["severity"] for f in findings_601(cli, banco)}
    assert graded == {"2026-10-20": documented, "2026-11-10": undocumented}
    result = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "concise", "--select", "OKR601")
    assert result.exit_code == exit_code, result.stdout


def test_with_okr601_made_an_error_a_documented_move_alone_passes_strict(cli, banco: Path) -> None:
    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^key_results:$", "rescoped:\n  - {date: 2026-10-23, note: KYC vendor}\nkey_results:")
    commit_at(banco, "2026-10-23", "document the rescope")
    config = banco / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "rules: {severity: {OKR601: error}}\n", encoding="utf-8")
    args = ("--today", DEMO_DAY, "--format", "concise", "--select", "OKR601", "--strict")
    result = cli("align", "--repo", str(banco), *args)
    assert result.exit_code == 0, result.stdout
    assert " OKR601 info target of 'onboarding-completion' changed 90 → 85 " in result.stdout


def test_a_rescope_more_than_seven_days_away_does_not_count(cli, banco: Path) -> None:
    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^key_results:$", "rescoped:\n  - {date: 2026-11-02, note: Later}\nkey_results:")
    commit_at(banco, "2026-11-02", "a rescope for something else")
    [finding] = findings_601(cli, banco)
    assert finding["severity"] == "warning"


def test_align_no_history_skips_okr601(cli, banco: Path) -> None:
    lower_target(banco, "2026-10-20")
    assert findings_601(cli, banco, "--no-history") == []


def test_okr601_looks_only_at_the_selected_cycles(cli, banco: Path) -> None:
    lower_target(banco, "2026-10-20")
    # On 2027-02-01 the quarter has ended: by default align no longer looks at it.
    result = cli("align", "--repo", str(banco), "--today", "2027-02-01", "--format", "json", "--select", "OKR601")
    assert json.loads(result.stdout)["findings"] == []
    result = cli(
        "align",
        "--repo",
        str(banco),
        "--today",
        "2027-02-01",
        "--format",
        "json",
        "--select",
        "OKR601",
        "--cycle",
        "all",
    )
    assert len(json.loads(result.stdout)["findings"]) == 1


def test_baseline_and_titles_are_tracked_and_only_goalposts_are_findings(cli, banco: Path) -> None:
    text = (banco / DISCOVER).read_text(encoding="utf-8")
    text = text.replace("    baseline: 65\n", "    baseline: 62.5\n", 1)
    text = text.replace(
        "title: Make the first week seamless and confidence-boosting for new users",
        "title: Make the first week seamless for new users",
    )
    text = text.replace(
        "title: Onboarding completion rises from 65% to 90%", "title: Onboarding completion rises to 90%"
    )
    (banco / DISCOVER).write_text(text, encoding="utf-8")
    commit_at(banco, "2026-10-12", "reword and re-measure")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["key_result"], c["field"], c["old"], c["new"]) for c in changes] == [
        (
            None,
            "title",
            "Make the first week seamless and confidence-boosting for new users",
            "Make the first week seamless for new users",
        ),
        (
            "onboarding-completion",
            "title",
            "Onboarding completion rises from 65% to 90%",
            "Onboarding completion rises to 90%",
        ),
        ("onboarding-completion", "baseline", 65, 62.5),
    ]
    assert [f["message"].split(" changed")[0] for f in findings_601(cli, banco)] == [
        "baseline of 'onboarding-completion'"
    ]


def test_reformatting_or_comments_are_not_changes(cli, banco: Path) -> None:
    text = (banco / DISCOVER).read_text(encoding="utf-8")
    text = text.replace("    target: 90\n", "    target: 90.0   # unchanged, written differently\n")
    (banco / DISCOVER).write_text("# a new comment\n" + text, encoding="utf-8")
    commit_at(banco, "2026-10-12", "cosmetics")
    result = cli("history", "--repo", str(banco))
    assert (
        result.stdout.strip() == "No change of a target, baseline or title in the git history of the objective files."
    )


def test_ref_filters_by_objective_or_key_result(cli, banco: Path) -> None:
    lower_target(banco, "2026-10-20")
    edit(banco / "okrs/2026-Q4/cards.yaml", r"^    target: 75$", "    target: 70")
    commit_at(banco, "2026-10-21", "cards too")

    def refs(*args: str) -> list[str]:
        out = json.loads(cli("history", "--repo", str(banco), "--format", "json", *args).stdout)
        return [f"{c['objective']}/{c['key_result']}" for c in out["changes"]]

    assert refs() == ["discover-first-week/onboarding-completion", "first-card-moment/card-activation-7d"]
    assert refs("first-card-moment") == ["first-card-moment/card-activation-7d"]
    assert refs("discover-first-week/onboarding-completion") == ["discover-first-week/onboarding-completion"]
    assert refs("discover-first-week/setup-tickets") == []
    assert refs("--since", "2026-10-21") == ["first-card-moment/card-activation-7d"]


def test_unknown_ref_is_a_usage_error_with_a_suggestion(cli, banco: Path) -> None:
    result = cli("history", "discover-first-wek", "--repo", str(banco))
    assert result.exit_code == 2
    assert "did you mean 'discover-first-week'" in result.stderr
    assert cli("history", "../etc", "--repo", str(banco)).exit_code == 2


def test_an_objective_moved_to_another_file_in_the_same_commit_is_compared_with_itself(cli, banco: Path) -> None:
    source = banco / DISCOVER
    text = source.read_text(encoding="utf-8").replace("    target: 90\n", "    target: 80\n")
    source.unlink()
    (banco / "okrs/2026-Q4/onboarding.yaml").write_text(text, encoding="utf-8")
    commit_at(banco, "2026-10-20", "split files")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["path"], c["old"], c["new"]) for c in changes] == [("okrs/2026-Q4/onboarding.yaml", 90, 80)]


def test_a_target_moved_before_the_objective_files_left_okrs_keeps_its_history(cli, banco: Path) -> None:
    """Only the files holding objectives now, and okrs/ while it existed, were followed: once the
    layout moved to another folder, every earlier change (and its OKR601) was gone."""
    sha = lower_target(banco, "2026-10-20")
    git(banco, "mv", "okrs", "objectives")
    commit_at(banco, "2026-11-10", "a new layout")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["commit"], c["path"], c["old"], c["new"]) for c in changes] == [(sha, DISCOVER, 90, 85)]
    assert [f["code"] for f in findings_601(cli, banco)] == ["OKR601"]


def test_a_broken_version_in_the_history_does_not_stop_the_reading(cli, banco: Path) -> None:
    (banco / DISCOVER).write_text("key_results: [unclosed\n", encoding="utf-8")
    commit_at(banco, "2026-10-05", "oops")
    git(banco, "checkout", "-q", "HEAD~1", "--", DISCOVER)
    commit_at(banco, "2026-10-06", "restore")
    lower_target(banco, "2026-10-20")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["date"], c["new"]) for c in changes] == [("2026-10-20", 85)]


def test_a_typo_elsewhere_in_the_objective_still_shows_the_moved_target(cli, banco: Path) -> None:
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 80\n    tagret: 1")
    commit_at(banco, "2026-10-20", "typo and a moved target")
    changes = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)["changes"]
    assert [(c["field"], c["old"], c["new"]) for c in changes] == [("target", 90, 80)]


def test_history_outside_git_is_refused_and_align_skips_okr601_silently(cli, copy_example) -> None:
    folder = copy_example("banco")
    result = cli("history", "--repo", str(folder))
    assert result.exit_code == 2  # as for diff: the command cannot run there
    assert "is not in a git repository; history is read from git" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    result = cli("align", "--repo", str(folder), "--today", DEMO_DAY)
    assert result.exit_code == 0
    assert result.stdout.strip() == "" or "OKR601" not in result.stdout


def test_history_of_a_shallow_clone_says_what_is_missing(cli, banco: Path, tmp_path: Path) -> None:
    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^    target: 85$", "    target: 82")
    last = commit_at(banco, "2026-11-02", "lower again")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", banco.as_uri(), str(clone))
    result = cli("history", "--repo", str(clone), "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["shallow"] is True
    assert payload["changes"] == []  # the one commit of the clone only adds files
    assert payload["oldest_commit"] == last
    assert "shallow clone" in payload["note"] and "git fetch --unshallow" in payload["note"]
    text = cli("history", "--repo", str(clone)).stdout
    assert text.startswith("note: shallow clone: the history starts at 2026-11-02")
    # A deeper clone sees the last change, and still says that older history is missing.
    deeper = tmp_path / "deeper"
    git(tmp_path, "clone", "-q", "--depth", "2", banco.as_uri(), str(deeper))
    payload = json.loads(cli("history", "--repo", str(deeper), "--format", "json").stdout)
    assert [(c["old"], c["new"]) for c in payload["changes"]] == [(85, 82)]
    assert payload["shallow"] is True


def test_align_in_a_shallow_clone_says_how_much_history_okr601_saw(cli, banco: Path, tmp_path: Path) -> None:
    """A CI checkout is shallow unless asked otherwise: OKR601 then sees almost nothing, and align
    says so on standard error (never on standard output, whatever the format)."""
    lower_target(banco, "2026-10-20")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", banco.as_uri(), str(clone))
    for form in ("text", "json", "sarif"):
        result = cli("align", "--repo", str(clone), "--today", DEMO_DAY, "--format", form)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines() == [
            "okrctl: note: OKR601 (moved targets) sees the history from 2026-10-20 only: this clone is shallow "
            "(fetch-depth: 0 in actions/checkout, or 'git fetch --unshallow')"
        ]
        assert "okrctl: note" not in result.stdout and "this clone is shallow" not in result.stdout
    # The whole history, --no-history, or no git at all: nothing to say.
    assert cli("align", "--repo", str(banco), "--today", DEMO_DAY).stderr == ""
    assert cli("align", "--repo", str(clone), "--today", DEMO_DAY, "--no-history").stderr == ""
    shutil.rmtree(clone / ".git")
    assert cli("align", "--repo", str(clone), "--today", DEMO_DAY).stderr == ""


def test_a_memoised_align_repeats_the_okr601_note(cli, banco: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("OKRCTL_NO_CACHE", raising=False)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    lower_target(banco, "2026-10-20")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", banco.as_uri(), str(clone))
    args = ("align", "--repo", str(clone), "--today", DEMO_DAY, "--format", "concise")
    first, again = cli(*args), cli(*args)
    assert "this clone is shallow" in first.stderr
    assert (again.stdout, again.stderr, again.exit_code) == (first.stdout, first.stderr, first.exit_code)


def test_the_okr601_note_follows_the_rule_and_the_process_that_runs_it(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No note for a rule turned off (command line or config); with a baseline on a large
    repository the rules run in a forked worker, and the note comes back from it."""
    import okrctl.load.pipeline as pipeline

    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^    target: 85$", "    target: 82")
    commit_at(banco, "2026-11-02", "lower again")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", banco.as_uri(), str(clone))
    args = ("align", "--repo", str(clone), "--today", DEMO_DAY, "--format", "concise")
    assert "OKR601" in cli(*args).stderr
    assert cli(*args, "--ignore", "OKR601").stderr == ""
    assert cli(*args, "--select", "OKR1").stderr == ""
    config = clone / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "rules: {ignore: [OKR601]}\n", encoding="utf-8")
    assert cli(*args).stderr == ""
    git(clone, "checkout", "-q", "--", "okrctl.yaml")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
    result = cli(*args, "--baseline", "HEAD~1")
    notes = [line for line in result.stderr.splitlines() if "OKR601" in line]
    assert notes == [
        "okrctl: note: OKR601 (moved targets) sees the history from 2026-10-20 only: this clone is shallow "
        "(fetch-depth: 0 in actions/checkout, or 'git fetch --unshallow')"
    ], result.stderr


def test_align_says_when_git_could_not_read_the_history_for_okr601(cli, banco: Path) -> None:
    lower_target(banco, "2026-10-20")
    objects = banco / ".git" / "objects"
    for folder in objects.iterdir():
        if len(folder.name) == 2:
            shutil.rmtree(folder)  # a repository whose objects are gone: git log fails
    result = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "concise")
    assert "Traceback" not in result.stderr
    notes = [line for line in result.stderr.splitlines() if "OKR601" in line]
    assert len(notes) == 1 and notes[0].startswith(
        "okrctl: note: OKR601 (moved targets) was not checked: git could not read the history: "
    ), result.stderr


def test_okrctl_root_below_the_git_top_folder(cli, copy_example, git_repo, tmp_path: Path) -> None:
    top = tmp_path / "mono"
    top.mkdir()
    shutil.copytree(copy_example("banco"), top / "okr")
    git_repo(top, commit=False)
    commit_at(top, "2026-09-20", "monorepo")
    lower_target(top / "okr", "2026-10-20")
    changes = json.loads(cli("history", "--repo", str(top / "okr"), "--format", "json").stdout)["changes"]
    assert [c["path"] for c in changes] == [DISCOVER]


# ----- moved_targets (the report's "targets that moved this month") ------------------------------------
def test_moved_targets_returns_goalpost_changes_committed_in_the_range(banco: Path) -> None:
    from okrctl.analysis.history import moved_targets
    from okrctl.load.pipeline import load_repo

    lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^title: .*$", "title: A new wording")
    edit(banco / "okrs/2026-Q4/cards.yaml", r"^    baseline: 48$", "    baseline: 45")
    commit_at(banco, "2026-11-03", "November changes")
    repo = load_repo(banco, use_cache=False)
    october = moved_targets(repo, date(2026, 10, 1), date(2026, 10, 31))
    assert [(c.objective_id, c.kr_id, c.field, c.old, c.new) for c in october] == [
        ("discover-first-week", "onboarding-completion", "target", 90, 85)
    ]
    november = moved_targets(repo, date(2026, 11, 1), date(2026, 11, 30))
    assert [(c.objective_id, c.field, c.cycle_started) for c in november] == [("first-card-moment", "baseline", True)]
    assert moved_targets(repo, date(2026, 12, 1), date(2026, 12, 31)) == []


def test_moved_targets_outside_git_are_unread_not_empty(copy_example) -> None:
    """Outside git there is no history: "nothing moved" would be a claim okrctl cannot make."""
    from okrctl.analysis.history import MOVED_NOTE_KEY, HistoryUnread, moved_targets
    from okrctl.load.pipeline import load_repo

    repo = load_repo(copy_example("saas"), use_cache=False)
    with pytest.raises(HistoryUnread, match=r"^not a git repository$"):
        moved_targets(repo, date(2026, 10, 1), date(2026, 10, 31))
    assert repo.derived[MOVED_NOTE_KEY] == "okrctl: note: the targets that moved were not read: not a git repository"


@pytest.mark.parametrize("command", ["report", "digest", "site"])
def test_leadership_views_say_moved_targets_were_not_read_without_git(cli, tmp_path, command) -> None:
    """A copy of the repository without git (an export), or no git on PATH: every leadership view
    says the moved targets were not read, in the document and on standard error, never "no target
    changed"."""
    folder = tmp_path / "export"
    shutil.copytree(EXAMPLES / "banco", folder)
    args = [command, "--repo", str(folder), "--today", "2026-11-20"]
    if command == "site":
        args.insert(1, str(tmp_path / "site"))
    else:
        args += ["--format", "json"]
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "okrctl: note: the targets that moved were not read: not a git repository\n" in result.stderr
    if command == "site":
        page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
        assert "Moved targets were not read (not a git repository)." in page
        assert "No target, baseline or title changed" not in page
    else:
        shown = json.loads(result.stdout)
        assert shown["moved_targets_read"] is False
        assert not shown["moved_targets"]


def test_report_without_git_on_the_path_says_so(cli, tmp_path, monkeypatch, git_repo) -> None:
    """In a git repository, on a machine where git cannot be found: the report says the moved
    targets were not read, and standard error says why."""
    folder = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", folder)
    git_repo(folder)
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    result = cli("report", "--repo", str(folder), "--today", "2026-11-20", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "_Moved targets were not read (git could not read the history)._" in result.stdout
    assert result.stderr.endswith(
        "okrctl: note: the targets that moved were not read: git could not read the history: "
        "git is not installed (or not on PATH)\n"
    )


# ----- the git log parser ----------------------------------------------------------------------------
def test_parse_log_reads_paths_with_spaces_and_non_ascii(tmp_path: Path, git_repo) -> None:
    from okrctl.gitio.log import file_history

    folder = tmp_path / "odd"
    (folder / "okrs").mkdir(parents=True)
    (folder / "okrs" / "équipe one.yaml").write_text("a: 1\n", encoding="utf-8")
    git_repo(folder, commit=False)
    first = commit_at(folder, "2026-10-01", "one")
    (folder / "okrs" / "équipe one.yaml").write_text("a: 2\n", encoding="utf-8")
    second = commit_at(folder, "2026-10-02", "two")
    log = file_history(folder, ["okrs"])
    assert [c.sha for c in log.commits] == [first, second]
    assert [(f.path, f.old, f.new) for f in log.commits[1].files] == [("okrs/équipe one.yaml", b"a: 1\n", b"a: 2\n")]
    assert log.commits[0].files[0].old is None


def test_a_path_that_is_not_utf8_is_named_as_align_names_it(cli, tmp_path: Path, git_repo) -> None:
    """git writes a file's name as its bytes: a byte that is not UTF-8 was read as U+FFFD, so
    ``history`` showed the replacement character where ``align`` says ``okrs/t\\xff.yaml``. Both
    name it with the byte escaped, in text and in JSON."""
    folder = tmp_path / "minimal"
    shutil.copytree(Path(__file__).parent / "fixtures" / "good" / "minimal", folder)
    git_repo(folder, commit=False)
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    web = folder / "okrs" / "2026-Q4" / "web.yaml"
    odd = os.path.join(os.fsencode(folder), b"okrs", b"t\xff.yaml")
    os.rename(web, odd)
    commit_at(folder, "2026-09-21", "a name in Latin-1")
    with open(odd, "rb") as handle:
        content = handle.read()
    with open(odd, "wb") as handle:
        handle.write(content.replace(b"baseline: 2, target: 4}", b"baseline: 2, target: 5}"))
    commit_at(folder, "2026-10-20", "raise the signup target")
    where = ["--repo", str(folder), "--today", DEMO_DAY]
    shown = "okrs/t\\xff.yaml"
    findings = json.loads(cli("align", *where, "--format", "json").stdout)["findings"]
    assert [f["path"] for f in findings if f["code"] == "OKR100"] == [shown]
    assert f"{shown}:1:1: OKR100" in cli("align", *where).stdout
    text = cli("history", *where)
    assert text.exit_code == 0, text.stderr
    assert f"commit {git(folder, 'rev-parse', '--short=7', 'HEAD').strip()} · {shown}" in text.stdout
    assert "\ufffd" not in text.stdout
    changes = json.loads(cli("history", *where, "--format", "json").stdout)["changes"]
    assert [(c["path"], c["key_result"], c["old"], c["new"]) for c in changes] == [(shown, "signup-rate", 4, 5)]


def test_the_import_of_an_organisation_reads_no_blob_and_a_removal_is_read(
    tmp_path: Path, git_repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import of a whole organisation (every file new, nothing removed before it) has nothing to
    compare, so git is not asked for its blobs. A commit that removes a file is read (what it took
    out); a commit that only adds files after it names its blobs, read only when what it adds may
    put back something taken out (``AddedBlobs``), all at once."""
    import okrctl.gitio.log as log_module

    folder = tmp_path / "org"
    (folder / "okrs").mkdir(parents=True)
    for name in ("a", "b", "c"):
        (folder / "okrs" / f"{name}.yaml").write_text(f"{name}: 1\n", encoding="utf-8")
    git_repo(folder, commit=False)
    commit_at(folder, "2026-10-01", "import")
    (folder / "okrs" / "a.yaml").write_text("a: 2\n", encoding="utf-8")
    (folder / "okrs" / "d.yaml").write_text("d: 1\n", encoding="utf-8")
    commit_at(folder, "2026-10-02", "edit one, add one")
    (folder / "okrs" / "b.yaml").unlink()
    commit_at(folder, "2026-10-03", "remove one")
    (folder / "okrs" / "b.yaml").write_text("b: 2\n", encoding="utf-8")
    commit_at(folder, "2026-10-04", "put it back")
    asked: list[str] = []
    reader = log_module.read_blobs
    monkeypatch.setattr(log_module, "read_blobs", lambda f, oids, *rest: asked.extend(oids) or reader(f, oids, *rest))
    log = log_module.file_history(folder, ["okrs"])
    assert [len(c.files) for c in log.commits] == [3, 2, 1, 1]
    assert all(f.old is None and f.new is None and f.new_oid is None for f in log.commits[0].files)
    assert [(f.path, f.old, f.new) for f in log.commits[1].files] == [
        ("okrs/a.yaml", b"a: 1\n", b"a: 2\n"),
        ("okrs/d.yaml", None, b"d: 1\n"),
    ]
    assert [(f.path, f.old, f.new) for f in log.commits[2].files] == [("okrs/b.yaml", b"b: 1\n", None)]
    assert [(f.path, f.old, f.new) for f in log.commits[3].files] == [("okrs/b.yaml", None, None)]
    assert len(asked) == 4  # a.yaml before and after, d.yaml, b.yaml removed: not the import, not b put back
    put_back = log_module.AddedBlobs(folder, log.commits).read(log.commits[3])
    assert [(f.path, f.old, f.new) for f in put_back.files] == [("okrs/b.yaml", None, b"b: 2\n")]
    assert len(asked) == 5


def remove_and_put_back_lower(banco: Path, removed: str, back: str) -> str:
    """Discover's objective file removed in a commit on ``removed``, added back with the target of
    onboarding-completion lowered 90 → 85 in one on ``back``; that commit's hash."""
    path = banco / DISCOVER
    text = path.read_text(encoding="utf-8")
    path.unlink()
    commit_at(banco, removed, "remove the objective file")
    path.write_text(text.replace("    target: 90\n", "    target: 85\n", 1), encoding="utf-8")
    return commit_at(banco, back, "put it back")


def test_a_target_lowered_by_removing_its_file_and_putting_it_back_is_a_move(cli, banco: Path) -> None:
    """Removing an objective file in one commit and adding it back with a lower target in the next
    escaped ``history`` and OKR601: a commit that only removed or only added files was not read."""
    sha = remove_and_put_back_lower(banco, "2026-10-20", "2026-10-21")
    assert november_changes(cli, banco, "field", "old", "new") == []  # before November
    result = cli("history", "--repo", str(banco), "--today", "2026-11-20", "-f", "json")
    changes = json.loads(result.stdout)["changes"]
    assert [(c["objective"], c["key_result"], c["field"], c["old"], c["new"], c["commit"]) for c in changes] == [
        ("discover-first-week", "onboarding-completion", "target", 90, 85, sha)
    ]
    assert [f["message"].split(" on ")[0] for f in findings_601(cli, banco)] == [
        "target of 'onboarding-completion' changed 90 → 85"
    ]


def test_a_target_lowered_by_moving_its_objective_into_a_new_file_later_is_a_move(
    cli, banco: Path, monkeypatch
) -> None:
    """The objective taken out of its file in one commit (the file kept, holding another one) and
    put into a new file with a lower target in the next: the second commit only adds a file, which
    was not read. A commit of added files that names nothing taken out is not parsed."""
    import okrctl.analysis.history as history_module

    path = banco / DISCOVER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: discover-first-week\n", "id: discover-later\n", 1), encoding="utf-8")
    commit_at(banco, "2026-10-20", "another objective in the file")
    (banco / "okrs/2026-Q4/discover-b.yaml").write_text(text.replace("    target: 90\n", "    target: 85\n", 1))
    sha = commit_at(banco, "2026-10-21", "the objective in a file of its own")
    (banco / "okrs/2026-Q4/later.yaml").write_text(text.replace("id: discover-first-week\n", "id: later-one\n", 1))
    commit_at(banco, "2026-10-22", "a new objective")
    parsed: list[str] = []
    reader = history_module.objectives_in_version
    monkeypatch.setattr(history_module, "objectives_in_version", lambda p, raw: parsed.append(p) or reader(p, raw))
    result = cli("history", "discover-first-week", "--repo", str(banco), "--today", "2026-11-20", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert [(c["path"], c["old"], c["new"], c["commit"]) for c in json.loads(result.stdout)["changes"]] == [
        ("okrs/2026-Q4/discover-b.yaml", 90, 85, sha)
    ]
    assert "okrs/2026-Q4/later.yaml" not in parsed  # added after, naming nothing taken out


def test_a_file_removed_before_since_and_put_back_after_with_a_lower_target_is_listed(cli, banco: Path) -> None:
    """``history --since`` reads the commits from that day; a file removed before it and added back
    after it with a lower target was a commit of added files with nothing taken out in the window:
    not read, so the move was not listed."""
    sha = remove_and_put_back_lower(banco, "2026-10-20", "2026-11-03")
    assert november_changes(cli, banco, "commit", "old", "new") == [(sha, 90, 85)]


def test_an_objective_put_back_with_its_id_spelled_with_an_escape_is_compared(cli, banco: Path) -> None:
    """A commit of added files is read for what it puts back when its text names an objective taken
    out; an id written with an escape (``"discover\\x2dfirst-week"``) names it too."""
    path = banco / DISCOVER
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id: discover-first-week\n", "id: discover-later\n", 1), encoding="utf-8")
    commit_at(banco, "2026-10-20", "another objective in the file")
    plain = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("#"))
    spelled = plain.replace("id: discover-first-week\n", 'id: "discover\\x2dfirst-week"\n', 1)
    assert b"discover-first-week" not in spelled.encode()
    (banco / "okrs/2026-Q4/discover-b.yaml").write_text(spelled.replace("    target: 90\n", "    target: 85\n", 1))
    sha = commit_at(banco, "2026-10-21", "the objective in a file of its own")
    result = cli("history", "--repo", str(banco), "--today", "2026-11-20", "-f", "json")
    assert [(c["objective"], c["old"], c["new"], c["commit"]) for c in json.loads(result.stdout)["changes"]] == [
        ("discover-first-week", 90, 85, sha)
    ]


def test_a_file_added_after_a_removal_is_not_parsed_for_an_asterisk_in_a_comment(
    cli, banco: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once an objective was taken out after its cycle started, a commit that only adds files is
    parsed when it may put it back: it names it, or holds an escape, alias or tag that could spell
    it. Markdown's "*directionally*" in a comment spells nothing: a thousand new objective files
    with it were each parsed."""
    import okrctl.analysis.history as history_module

    (banco / "okrs/2026-Q4/cards.yaml").unlink()
    commit_at(banco, "2026-10-20", "drop the cards objective")
    text = (banco / DISCOVER).read_text(encoding="utf-8")
    assert "*directionally*" in text and "first-card-moment" not in text
    (banco / "okrs/2026-Q4/later.yaml").write_text(text.replace("discover-first-week", "later-one"))
    commit_at(banco, "2026-10-21", "a new objective")
    parsed: list[str] = []
    reader = history_module.objectives_in_version
    monkeypatch.setattr(history_module, "objectives_in_version", lambda p, raw: parsed.append(p) or reader(p, raw))
    assert cli("history", "--repo", str(banco), "--today", "2026-11-20").exit_code == 0
    assert parsed and "okrs/2026-Q4/later.yaml" not in parsed


def test_history_of_a_repository_without_commits_is_empty(cli, copy_example, git_repo) -> None:
    folder = git_repo(copy_example("banco"), commit=False)
    result = cli("history", "--repo", str(folder))
    assert result.exit_code == 0
    assert "No change" in result.stdout
    assert cli("align", "--repo", str(folder), "--today", DEMO_DAY).exit_code == 0


# ----- report ------------------------------------------------------------------------------------------
def test_report_lists_a_target_moved_this_month_after_the_cycle_started(cli, banco: Path) -> None:
    """The leadership report reads the same history: November's move shows, October's does not."""
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(banco, "2026-10-20", "lower onboarding target")
    edit(banco / DISCOVER, r"^    target: 280$", "    target: 300")
    sha = commit_at(banco, "2026-11-10", "loosen setup tickets", name="Rui Almeida", email="rui@example.com")
    args = ("report", "--repo", str(banco), "--unit", "digital-services", "--today", DEMO_DAY, "--format", "json")
    moved = json.loads(cli(*args).stdout)["moved_targets"]
    assert [
        (m["date"], m["objective"], m["key_result"], m["field"], m["old"], m["new"], m["commit"]) for m in moved
    ] == [("2026-11-10", "discover-first-week", "setup-tickets", "target", 280, 300, sha)]
    assert json.loads(cli(*args, "--month", "2026-10").stdout)["moved_targets"][0]["new"] == 85
    assert json.loads(cli(*args, "--no-history").stdout)["moved_targets"] == []
    markdown = cli(*args[:-1], "markdown").stdout
    assert "setup-tickets" in markdown and "280 → 300" in markdown


# ----- versions git cannot give -----------------------------------------------------------------------
def _two_moves(banco: Path) -> tuple[str, str]:
    """Target 90 → 85 on 2026-10-20, then baseline 65 → 60 on 2026-10-27: the version between them
    is the one a test takes away."""
    first = lower_target(banco, "2026-10-20")
    edit(banco / DISCOVER, r"^    baseline: 65$", "    baseline: 60")
    second = commit_at(banco, "2026-10-27", "lower the baseline")
    return first, second


def test_a_missing_git_object_is_a_note_not_a_history_without_changes(cli, banco: Path) -> None:
    """A version whose git object is gone (a damaged repository) cannot be compared: history and
    OKR601 say so, instead of 'no change' and no finding."""
    first, _second = _two_moves(banco)
    blob = git(banco, "rev-parse", f"{first}:{DISCOVER}").strip()
    (banco / ".git" / "objects" / blob[:2] / blob[2:]).unlink()  # fresh commits: loose objects
    note = (
        f"1 version of the objective files could not be read (git object missing: {DISCOVER} as committed in "
        f"{first[:7]}); changes to or from it are not shown"
    )
    result = cli("history", "discover-first-week", "--repo", str(banco))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        *textwrap.wrap("note: " + note, 100, break_on_hyphens=False, break_long_words=False),
        "",
        "No change of a target, baseline or title in the versions of the objective files that could be read.",
    ]
    payload = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert payload["note"] == note and payload["changes"] == []
    aligned = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "concise")
    assert aligned.exit_code == 0, aligned.stderr
    assert "OKR601" not in aligned.stdout
    assert aligned.stderr.splitlines() == [f"okrctl: note: OKR601 (moved targets) may miss changes: {note}"]


_PEAK_MEMORY = """
import sys
from okrctl.cli.entry import main
sys.argv = ["okrctl", *sys.argv[1:]]
try:
    main()
finally:
    # VmHWM: this process's own peak since it started (getrusage's would count what the process
    # that started it held when it forked)
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    sys.stderr.write(f"peak {peak}\\n")
"""


def _okrctl_with_peak(folder: Path, *args: str) -> tuple[subprocess.CompletedProcess[str], int]:
    """okrctl run in a process of its own, and the most memory that process held (KiB)."""
    import os
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "COLUMNS": "100", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PEAK_MEMORY, *args], cwd=folder, env=env, capture_output=True, text=True, check=False
    )
    *said, peak = done.stderr.splitlines()
    done.stderr = "".join(line + "\n" for line in said)
    return done, int(peak.removeprefix("peak "))


@pytest.mark.slow  # several seconds: run by CI with the slow tests
@pytest.mark.skipif(sys.platform != "linux", reason="the peak is read from /proc/self/status")
def test_a_huge_version_in_the_history_is_never_read_and_is_noted_not_taken_for_a_removal(banco: Path) -> None:
    """A version over the 1 MiB limit (here 160 MiB) costs no memory: its size is asked first and
    it is not read. history lists the changes between the versions it can read, names the ones it
    cannot, and says the objective's file cannot be read now, not that the objective was removed."""
    first, second = _two_moves(banco)
    small_run, small_peak = _okrctl_with_peak(banco, "history", "discover-first-week")
    assert small_run.returncode == 0, small_run.stderr
    path = banco / DISCOVER
    text = path.read_text(encoding="utf-8")

    def write_with_a_huge_comment(content: str) -> None:
        with path.open("w", encoding="utf-8") as out:
            out.write(content + "# ")
            for _ in range(160):
                out.write("y" * (1 << 20))
            out.write("\n")

    write_with_a_huge_comment(text)
    huge = commit_at(banco, "2026-11-02", "a huge comment")
    write_with_a_huge_comment(text.replace("    target: 85\n", "    target: 80\n"))
    after = commit_at(banco, "2026-11-03", "and a target moved in it")
    result, peak = _okrctl_with_peak(banco, "history", "discover-first-week")
    assert result.returncode == 0, result.stderr
    assert peak < small_peak + 48 * 1024, (small_peak, peak)  # before: 160 MiB more, and more again
    note = (
        f"note: 2 versions of the objective files could not be read (over the 1 MiB limit: {DISCOVER} as committed in "
        f"{huge[:7]}, {DISCOVER} as committed in {after[:7]}); changes to or from them are not shown"
    )
    lines = result.stdout.splitlines()
    assert " ".join(lines[:3]) == note
    assert [line.split("  ")[2:4] for line in lines if line.startswith("2026-")] == [
        ["target", "90 → 85"],
        ["baseline", "65 → 60"],
    ]
    assert f"commit {first[:7]}" in result.stdout and f"commit {second[:7]}" in result.stdout
    assert result.stderr == (
        f"okrctl: note: 'discover-first-week' cannot be read now: {DISCOVER}, the file that holds it, has an error "
        "on line 1: file is over the 1048576 byte limit (1024 KiB) ('okrctl align' lists its errors); its changes are listed\n"
    )


def test_a_partial_clone_fetches_nothing_and_runs_no_ssh_command(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A blobless clone lacks the old versions. git would fetch each from the remote as a command
    needs it, through the repository's core.sshCommand (or GIT_SSH_COMMAND), and wait as long as
    the remote takes. okrctl forbids git every transport: nothing runs, nothing waits, and the
    versions are missing, as history and OKR601 say."""
    first, _second = _two_moves(banco)
    git(banco, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--no-local", "--filter=blob:none", banco.as_uri(), str(clone))
    ran = tmp_path / "ran"
    command = f"sh -c 'echo ran >> {ran}; sleep 5' --"
    git(clone, "remote", "set-url", "origin", "ssh://example.invalid/okrs")
    git(clone, "config", "core.sshCommand", command)
    git(clone, "config", "protocol.ssh.allow", "always")  # no configuration lets a transport through
    monkeypatch.setenv("GIT_SSH_COMMAND", command)
    note = (
        f"2 versions of the objective files could not be read (git objects missing: {DISCOVER} before {first[:7]}, "
        f"{DISCOVER} as committed in {first[:7]}); changes to or from them are not shown"
    )
    result = cli("history", "discover-first-week", "--repo", str(clone), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["note"] == note
    aligned = cli("align", "--repo", str(clone), "--today", DEMO_DAY, "--format", "concise")
    assert aligned.exit_code == 0, aligned.stderr
    assert f"okrctl: note: OKR601 (moved targets) may miss changes: {note}" in aligned.stderr.splitlines()
    # A gate or a diff against a base whose files the clone lacks stops, saying how to fetch them.
    gate = cli("align", "--repo", str(clone), "--today", DEMO_DAY, "--format", "concise", "--baseline", "HEAD~2")
    assert gate.exit_code == 2 and "this is a partial clone" in gate.stderr
    diff = cli("diff", "HEAD~2", "HEAD", "--repo", str(clone))
    assert diff.exit_code == 2 and "this is a partial clone" in diff.stderr
    assert not ran.exists()


def test_during_a_merge_conflict_the_objective_is_unreadable_now_not_gone(cli, banco: Path) -> None:
    """A merge that stops on a conflict leaves markers in the file: align names the marker, and
    history says the objective's file cannot be read now, not that the objective left."""
    first = lower_target(banco, "2026-10-20")
    git(banco, "checkout", "-q", "-b", "other", "HEAD~1")
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 70")
    commit_at(banco, "2026-10-21", "another target on another branch")
    git(banco, "checkout", "-q", "main")
    merging = subprocess.run(["git", "merge", "-q", "other"], cwd=banco, capture_output=True, text=True, check=False)
    assert merging.returncode == 1, merging.stderr
    marker = (banco / DISCOVER).read_text(encoding="utf-8").splitlines().index("<<<<<<< HEAD") + 1
    aligned = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "json")
    found = [f for f in json.loads(aligned.stdout)["findings"] if f["path"] == DISCOVER]
    assert [(f["code"], f["line"], f["column"], f["message"]) for f in found] == [
        ("OKR100", marker, 1, "unresolved merge conflict marker '<<<<<<<'")
    ]
    assert found[0]["hint"].startswith("resolve the merge conflict")
    result = cli("history", "discover-first-week", "--repo", str(banco))
    assert result.exit_code == 0, result.stderr
    assert f"commit {first[:7]}" in result.stdout
    assert result.stderr == (
        f"okrctl: note: 'discover-first-week' cannot be read now: {DISCOVER}, the file that holds it, has an error "
        f"on line {marker}: unresolved merge conflict marker '<<<<<<<' ('okrctl align' lists its errors); its changes are listed\n"
    )


@pytest.mark.parametrize(
    ("pattern", "replacement", "message"),
    [
        (
            r"^  - id: setup-tickets$",
            "  - <<: {unit: tickets}\n    id: setup-tickets",
            "merge keys (<<) are not supported",
        ),
        (r"^    target: 90$", "<<<<<<< HEAD\n    target: 90", "unresolved merge conflict marker '<<<<<<<'"),
        (r"^    target: 90$", "\t  target: 90", "a tab indents this line; YAML indents with spaces only"),
        (r"^    target: 90$", "    target: !!python/object:os.system 90", "unsupported tag !!python/object:os.system"),
    ],
)
def test_a_committed_yaml_error_is_no_removal_of_the_objective(
    cli, banco: Path, pattern: str, replacement: str, message: str
) -> None:
    """A commit that leaves the objective's file not YAML (OKR100) does not take the objective out:
    history said it was "removed" by that commit. It says the file cannot be read now; the commit
    that deletes the file later is the one that removes it."""
    edit(banco / DISCOVER, pattern, replacement)
    commit_at(banco, "2026-10-20", "share defaults", name="Rui Almeida", email="rui@example.com")
    aligned = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "json")
    found = [f for f in json.loads(aligned.stdout)["findings"] if f["path"] == DISCOVER and f["severity"] == "error"]
    assert [(f["code"], f["message"]) for f in found] == [("OKR100", message)]
    result = cli("history", "discover-first-week", "--repo", str(banco))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"okrctl: note: 'discover-first-week' cannot be read now: {DISCOVER}, the file that holds it, has an error "
        f"on line {found[0]['line']}: {message} ('okrctl align' lists its errors); "
        "no target, baseline or title of it changed\n"
    )
    as_json = cli("history", "discover-first-week", "--repo", str(banco), "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["removed"] is None
    (banco / DISCOVER).unlink()
    deleted = commit_at(banco, "2026-10-27", "drop the file")
    gone = cli("history", "discover-first-week", "--repo", str(banco))
    assert gone.exit_code == 0, gone.stderr
    assert gone.stderr == (
        "okrctl: note: 'discover-first-week' is not in the repository any more: removed on 2026-10-27 by "
        f"Ana Example <ana@example.com> (commit {deleted[:7]}, {DISCOVER}); "
        "no target, baseline or title of it changed before that\n"
    )


@pytest.mark.parametrize("same_commit", [False, True], ids=["renamed-later", "renamed-and-broken-at-once"])
def test_a_renamed_unreadable_file_still_holds_the_objective(cli, banco: Path, same_commit: bool) -> None:
    """git mv of a file left not YAML (OKR100): history said the objective was "not in the repository
    any more", naming no commit, though the renamed file holds it. It names that file and its error."""
    renamed = "okrs/2026-Q4/discover-team.yaml"
    edit(banco / DISCOVER, r"^cycle: 2026-Q4$", "cycle: 2026-Q4\ncycle: 2026-Q4")
    if not same_commit:
        commit_at(banco, "2026-10-20", "discover: edit")
    git(banco, "mv", DISCOVER, renamed)
    commit_at(banco, "2026-10-27", "rename the discover file")
    result = cli("history", "discover-first-week", "--repo", str(banco))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"okrctl: note: 'discover-first-week' cannot be read now: {renamed}, the file that holds it, has an error "
        "on line 15: duplicate key 'cycle' (first at line 14) ('okrctl align' lists its errors); "
        "no target, baseline or title of it changed\n"
    )
    as_json = cli("history", "discover-first-week", "--repo", str(banco), "--format", "json")
    assert as_json.exit_code == 0 and json.loads(as_json.stdout)["removed"] is None
    (banco / renamed).unlink()
    deleted = commit_at(banco, "2026-11-03", "drop the file")
    gone = cli("history", "discover-first-week", "--repo", str(banco))
    assert gone.stderr == (
        "okrctl: note: 'discover-first-week' is not in the repository any more: removed on 2026-11-03 by "
        f"Ana Example <ana@example.com> (commit {deleted[:7]}, {renamed}); "
        "no target, baseline or title of it changed before that\n"
    )


@pytest.mark.parametrize(
    ("path", "pattern", "broken", "mended"),
    [
        (
            "checkins/cards/2026-11-27.yaml",
            None,
            "  - Vendor update: KYC slow: 3x\n",
            '  - "Vendor update: KYC slow: 3x"\n',
        ),
        ("okrs/2026-Q4/cards.yaml", r"^cycle: 2026-Q4$", "cycle: 2026-Q4\ncycle: 2026-Q4", "cycle: 2026-Q4"),
    ],
    ids=["checkin", "another-objective-file"],
)
def test_an_unreadable_file_that_never_names_the_objective_is_not_its_home(
    cli, banco: Path, path: str, pattern: str | None, broken: str, mended: str
) -> None:
    """A commit deletes an objective's file and leaves another file not YAML: history named that other
    file as the one that holds the objective, and the commit that mended it as removing it."""
    (banco / DISCOVER).unlink()
    if pattern is None:
        head = "apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: 2026-11-27\nconfidence: 7\nissues:\n"
        (banco / path).write_text(head + broken, encoding="utf-8")
    else:
        edit(banco / path, pattern, broken)
    removed = commit_at(banco, "2026-11-27", "wrap up Q4")
    expected = (
        "okrctl: note: 'discover-first-week' is not in the repository any more: removed on 2026-11-27 by "
        f"Ana Example <ana@example.com> (commit {removed[:7]}, {DISCOVER}); "
        "no target, baseline or title of it changed before that\n"
    )
    result = cli("history", "discover-first-week", "--repo", str(banco))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == expected
    edit(banco / path, re.escape(broken) if pattern is None else r"^cycle: 2026-Q4\ncycle: 2026-Q4$", mended)
    commit_at(banco, "2026-11-28", "mend the file", name="Bo Example", email="bo@example.com")
    later = cli("history", "discover-first-week", "--repo", str(banco))
    assert later.exit_code == 0 and later.stderr == expected
    as_json = cli("history", "discover-first-week", "--repo", str(banco), "--format", "json")
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout)["removed"] == {
        "date": "2026-11-27",
        "commit": removed,
        "author": {"name": "Ana Example", "email": "ana@example.com"},
        "path": DISCOVER,
    }


def test_an_objective_git_never_saw_changed_in_an_unreadable_file_is_unknown_with_a_hint(cli, banco: Path) -> None:
    path = banco / DISCOVER
    path.write_text(path.read_text(encoding="utf-8").replace("    target: 90\n", "<<<<<<< ours\n    target: 90\n"))
    result = cli("history", "discover-first-week", "--repo", str(banco))
    assert result.exit_code == 2
    assert result.stderr == (
        f"okrctl: unknown objective 'discover-first-week'; 1 file cannot be read now (first: {DISCOVER}), it may be "
        "in one of them ('okrctl align' shows why); did you mean 'digital-first-week'?\n"
    )


def test_moved_targets_are_unread_when_no_commit_holds_the_objective_files(cli, tmp_path, git_repo) -> None:
    """A repository with no commit yet, or an okrctl folder git ignores inside another repository:
    there is git, but no history of the objective files, so not "no target changed"."""
    fresh = tmp_path / "fresh"
    shutil.copytree(EXAMPLES / "banco", fresh)
    git_repo(fresh, commit=False)
    outer = tmp_path / "outer"
    outer.mkdir()
    git_repo(outer, commit=False)
    shutil.copytree(EXAMPLES / "banco", outer / "okr")
    (outer / ".gitignore").write_text("okr/\n", encoding="utf-8")
    git(outer, "add", ".gitignore")
    git(outer, "commit", "-qm", "ignore the okrctl folder")
    for root in (fresh, outer / "okr"):
        result = cli("report", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["moved_targets_read"] is False
        assert result.stderr.endswith(
            "okrctl: note: the targets that moved were not read: no commit holds the objective files\n"
        )


def test_okr601_leaves_out_the_commits_dated_after_today_as_history_does(cli, banco: Path) -> None:
    """A target lowered on 2026-11-30: ``align --today 2026-11-27`` does not report it, as
    ``history``, ``digest`` and ``report`` of that day do not list it; the next day's align does."""
    lower_target(banco, "2026-11-30")

    def moved(today: str) -> list[str]:
        result = cli("align", "--repo", str(banco), "--today", today, "-f", "json", "--select", "OKR601")
        return [f["message"] for f in json.loads(result.stdout)["findings"]]

    assert moved("2026-11-27") == []
    assert [m.split(" on ")[1][:10] for m in moved("2026-11-30")] == ["2026-11-30"]
    history = cli("history", "--repo", str(banco), "--today", "2026-11-27", "-f", "json")
    assert json.loads(history.stdout)["changes"] == []


def test_a_pace_changed_after_the_start_is_a_moved_goalpost_everywhere(cli, banco: Path) -> None:
    """tutorial-engagement's pace points lowered mid-cycle: the expected line moves as with a new
    target. ``history`` lists it, OKR601 reports it, and the report lists it among the moved
    targets; ``diff`` already showed it with the goalposts."""
    edit(banco / DISCOVER, r"pace: \{2026-10-31: 25, 2026-11-30: 40\}", "pace: {2026-10-31: 20, 2026-11-30: 30}")
    commit_at(banco, "2026-11-12", "slower pace for the tutorial")
    history = json.loads(cli("history", "--repo", str(banco), "--today", DEMO_DAY, "-f", "json").stdout)
    paced = [(c["key_result"], c["field"], c["old"], c["new"]) for c in history["changes"]]
    assert paced == [
        ("tutorial-engagement", "pace", "2026-10-31: 25, 2026-11-30: 40", "2026-10-31: 20, 2026-11-30: 30")
    ]
    assert [f["message"].split(" changed ")[0] for f in findings_601(cli, banco)] == ["pace of 'tutorial-engagement'"]
    report = json.loads(cli("report", "--repo", str(banco), "--today", DEMO_DAY, "-f", "json").stdout)
    assert [(c["key_result"], c["field"]) for c in report["moved_targets"]] == [("tutorial-engagement", "pace")]


def test_a_long_author_never_leaves_a_line_at_column_zero(cli, banco: Path) -> None:
    """At 100 columns an author with a long e-mail pushed "· commit" to the end of a line and the
    hash to column 0; the report's "Targets that moved" cut the key result's id in two."""
    edit(banco / "okrs/2026-Q4/discover.yaml", r"^    target: 90$", "    target: 85")
    commit_at(
        banco,
        "2026-11-10",
        "lower",
        name="Maximiliana Longname-Example",
        email="maximiliana.longname-example@very-long-domain.example.com",
    )
    shown = cli("history", "--repo", str(banco), "--today", DEMO_DAY, env={"COLUMNS": "100"}).stdout
    lines = shown.splitlines()
    assert (
        lines[1]
        == "            Maximiliana Longname-Example <maximiliana.longname-example@very-long-domain.example.com>"
    )
    assert lines[2].startswith("            commit ") and lines[2].endswith(" · okrs/2026-Q4/discover.yaml")
    report = cli("report", "--repo", str(banco), "--today", DEMO_DAY, env={"COLUMNS": "100"}).stdout
    assert "discover-first-week/onboarding-completion" in report


def test_an_answer_that_saw_the_history_in_part_is_not_reused_once_the_objects_are_fetched(
    cli, banco: Path, tmp_path: Path, parsed
) -> None:
    """A blobless clone's align says OKR601 may miss changes, and passes; the note says to fetch
    the objects. The memo gave the same answer again after they were fetched (nothing in its key
    changed), so `--strict` still passed over the moved target."""
    _two_moves(banco)
    git(banco, "config", "uploadpack.allowFilter", "true")
    git(banco, "config", "uploadpack.allowAnySHA1InWant", "true")
    clone = tmp_path / "partial"
    git(tmp_path, "clone", "-q", "--no-local", "--filter=blob:none", banco.as_uri(), str(clone))
    args = ("align", "--repo", str(clone), "--today", DEMO_DAY, "--format", "concise", "--strict")
    before = cli(*args)
    assert "may miss changes" in before.stderr and "OKR601" not in before.stdout
    missing = git(clone, "rev-list", "--objects", "--missing=print", "--all").split()
    for oid in [m[1:] for m in missing if m.startswith("?")]:
        git(clone, "cat-file", "-p", oid)  # git fetches what the clone lacks
    after = cli(*args)
    assert "may miss changes" not in after.stderr
    assert "OKR601" in after.stdout and after.exit_code == 1


def test_a_misspelt_key_fixed_after_the_start_moved_nothing(cli, banco: Path) -> None:
    """A key result added with ``basline: 5`` (OKR101 in that commit) and spelled right the next day:
    its baseline was never set before, so nothing moved — no OKR601 for the rest of the cycle, no
    change in ``history``, nothing under the report's "Targets that moved". A value that was set
    and then moves is a change as ever."""
    edit(banco / DISCOVER, r"^key_results:$", "key_results:\n  - {id: typo, title: T, basline: 5, target: 9}")
    commit_at(banco, "2026-10-05", "a key result with a typo")
    edit(banco / DISCOVER, r"basline: 5", "baseline: 5")
    commit_at(banco, "2026-10-06", "fix the typo")
    align = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--strict")
    assert (align.exit_code, align.stdout) == (0, "")
    history = cli("history", "--repo", str(banco), "--today", DEMO_DAY)
    assert history.stdout.startswith("No change of a target, baseline or title")
    report = cli("report", "--repo", str(banco), "--today", "2026-10-30")
    assert "no target, baseline or title changed this month" in report.stdout
    assert "typo" not in report.stdout.partition("Targets that moved")[2]

    edit(banco / DISCOVER, r"baseline: 5, target: 9\}", "baseline: 4, target: 9}")
    commit_at(banco, "2026-10-21", "re-measure the new key result's baseline")
    changes = json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"]
    assert [(c["key_result"], c["field"], c["old"], c["new"]) for c in changes] == [("typo", "baseline", 5, 4)]
    assert [f["message"].split(" on ")[0] for f in findings_601(cli, banco)] == ["baseline of 'typo' changed 5 → 4"]


def test_a_value_a_broken_version_left_unreadable_is_compared_with_the_last_one_read(cli, banco: Path) -> None:
    """A typo that breaks a set baseline (``basline: 5``) and its fix move nothing (the break was
    once "5 → (none)", an OKR601 for the rest of the cycle); a target changed across a broken
    version (9, misspelt, 10) is one move, 9 → 10, dated by the version that reads again."""
    edit(banco / DISCOVER, r"^key_results:$", "key_results:\n  - {id: typo, title: T, baseline: 5, target: 9}")
    commit_at(banco, "2026-09-20", "a key result before the cycle")
    edit(banco / DISCOVER, r"baseline: 5", "basline: 5")
    commit_at(banco, "2026-10-05", "a typo")
    edit(banco / DISCOVER, r"basline: 5", "baseline: 5")
    commit_at(banco, "2026-10-06", "fix the typo")
    assert findings_601(cli, banco) == []
    assert cli("history", "--repo", str(banco), "--today", DEMO_DAY).stdout.startswith(
        "No change of a target, baseline or title"
    )
    edit(banco / DISCOVER, r"target: 9\}", "targte: 9}")
    commit_at(banco, "2026-10-12", "a typo in the target")
    edit(banco / DISCOVER, r"targte: 9\}", "target: 10}")
    commit_at(banco, "2026-10-13", "the target fixed, and raised")
    changes = json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"]
    assert [(c["key_result"], c["field"], c["old"], c["new"], c["date"]) for c in changes] == [
        ("typo", "target", 9, 10, "2026-10-13")
    ]
    assert [f["message"].split(" on ")[0] for f in findings_601(cli, banco)] == ["target of 'typo' changed 9 → 10"]


@pytest.mark.parametrize("mistake", ['"90"', "90%", "9_0"], ids=["quoted", "percent", "underscore"])
def test_a_target_briefly_written_as_text_and_put_back_moved_nothing(cli, banco: Path, mistake: str) -> None:
    """Target 90 written as text (``"90"``, ``90%``, ``9_0``: OKR101 "is text, not a number") in
    October and put back to 90 in November, the file as it was: ``history``, OKR601 and both
    months' report listed two moves ("changed 90 → 90", "target: 90 → “90”"), and ``align
    --strict`` failed. A value that fails its own check is no target: nothing moved. A target
    changed across such a version (90, "85", 85) is one move, 90 → 85."""
    lower_target(banco, "2026-10-20", mistake)
    edit(banco / DISCOVER, rf"^    target: {re.escape(mistake)}$", "    target: 90")
    commit_at(banco, "2026-11-03", "a number again")
    assert git(banco, "diff", "HEAD~2", "HEAD") == ""
    align = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--strict")
    assert (align.exit_code, align.stdout) == (0, "")
    for since in ([], ["--since", "2026-11-01"]):
        history = cli("history", "--repo", str(banco), "--today", DEMO_DAY, *since)
        assert history.stdout.startswith("No change of a target, baseline or title"), history.stdout
    for today in ("2026-10-30", DEMO_DAY):
        report = cli("report", "--repo", str(banco), "--unit", "discover", "--today", today)
        assert "no target, baseline or title changed this month" in report.stdout

    edit(banco / DISCOVER, r"^    target: 90$", '    target: "85"')
    commit_at(banco, "2026-11-05", "lower it, quoted")
    edit(banco / DISCOVER, r'^    target: "85"$', "    target: 85")
    commit_at(banco, "2026-11-06", "unquote it")
    assert november_changes(cli, banco, "field", "old", "new", "date") == [("target", 90, 85, "2026-11-06")]
    assert [f["message"].split(" on ")[0] for f in findings_601(cli, banco)] == [
        "target of 'onboarding-completion' changed 90 → 85"
    ]


def test_a_target_taken_out_and_set_again_is_two_changes(cli, banco: Path) -> None:
    """A target taken out (75 → none) and set again (none → 80) is two changes in ``history``, the
    report and OKR601 (the second was once dropped as "a value set where none was": this one was
    set before)."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"\n    target: 75\n", "\n")
    commit_at(banco, "2026-10-20", "no target for a while")
    edit(cards, r"(    baseline: 48\n)", r"\1    target: 80\n")
    commit_at(banco, "2026-10-22", "target 80")
    changes = json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"]
    moved = [(c["key_result"], c["field"], c["old"], c["new"]) for c in changes]
    assert moved == [("card-activation-7d", "target", 75, None), ("card-activation-7d", "target", None, 80)]
    report = json.loads(
        cli("report", "--repo", str(banco), "--unit", "cards", "--today", "2026-10-31", "-f", "json").stdout
    )
    assert [(m["old"], m["new"]) for m in report["moved_targets"] if m["key_result"] == "card-activation-7d"] == [
        (75, None),
        (None, 80),
    ]
    assert sorted(f["message"].split(" on ")[0] for f in findings_601(cli, banco)) == [
        "target of 'card-activation-7d' changed (none) → 80",
        "target of 'card-activation-7d' changed 75 → (none)",
    ]


@pytest.mark.parametrize(
    ("breaking", "broken"),
    [
        (r"    target: 75\n", "    target: 75:\n"),  # not YAML at all (OKR100)
        (r"  - id: card-activation-7d\n", "  - ID: card-activation-7d\n"),  # the key result's id misspelt
        (r"\nid: first-card-moment\n", "\nidd: first-card-moment\n"),  # the objective's id misspelt
        (r"\nkind: Objective\n", "\nkind: Objectiv\n"),  # its kind misspelt
    ],
)
def test_a_target_changed_across_a_version_that_cannot_be_read_is_one_move(
    cli, banco: Path, breaking: str, broken: str
) -> None:
    """A commit leaves cards.yaml unreadable (not YAML, or the key result's id misspelt), the next
    repairs it and moves the target: 75 → 80 is one move, compared with the last version that could
    be read (it once went unseen: nothing held the key result in the version before)."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, breaking, broken)
    commit_at(banco, "2026-10-20", "broken")
    repaired = (
        broken.replace("ID:", "id:").replace("75:", "75").replace("idd:", "id:").replace("Objectiv\n", "Objective\n")
    )
    text = cards.read_text(encoding="utf-8").replace(broken, repaired)
    cards.write_text(text.replace("    target: 75\n", "    target: 80\n", 1), encoding="utf-8")
    commit_at(banco, "2026-10-21", "repaired, and the target raised")
    changes = json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"]
    assert [(c["key_result"], c["field"], c["old"], c["new"]) for c in changes] == [
        ("card-activation-7d", "target", 75, 80)
    ]
    assert [f["message"].split(" on ")[0] for f in findings_601(cli, banco)] == [
        "target of 'card-activation-7d' changed 75 → 80"
    ]


def out_and_back(folder: Path, out: str, back: str) -> None:
    """Cards' ``card-activation-7d`` taken out in a commit of ``out``, put back in one of ``back``
    with target 80 for 75."""
    cards = folder / "okrs" / "2026-Q4" / "cards.yaml"
    kept = cards.read_text(encoding="utf-8")
    start = kept.index("  - id: card-activation-7d\n")
    end = kept.index("  - id:", start + 1) if "  - id:" in kept[start + 1 :] else len(kept)
    cards.write_text(kept[:start] + kept[end:], encoding="utf-8")
    commit_at(folder, out, "card activation out")
    cards.write_text(kept.replace("    target: 75\n", "    target: 80\n", 1), encoding="utf-8")
    commit_at(folder, back, "card activation back, with another target")


def test_a_key_result_taken_out_after_the_start_and_put_back_with_another_target_moved_it(cli, banco: Path) -> None:
    """Taken out on 20 October (the cycle began on the 1st) and put back two days later under its
    id with 80 for 75: the same key result to every check-in and progress figure, its target moved
    in two commits. ``history``, OKR601 and a month's reading all say 75 → 80 on the 22nd (before,
    the two commits let a target move past the pull request's gate)."""
    out_and_back(banco, "2026-10-20", "2026-10-22")
    changes = json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"]
    assert [(c["date"], c["key_result"], c["field"], c["old"], c["new"]) for c in changes] == [
        ("2026-10-22", "card-activation-7d", "target", 75, 80)
    ]
    assert [f["message"] for f in findings_601(cli, banco)] == [
        "target of 'card-activation-7d' changed 75 → 80 on 2026-10-22 after 2026-Q4 started "
        "(commit " + changes[0]["commit"][:7] + " by Ana Example <ana@example.com>)"
    ]
    since = cli("history", "--repo", str(banco), "--since", "2026-10-21", "-f", "json")
    assert [(c["key_result"], c["old"], c["new"]) for c in json.loads(since.stdout)["changes"]] == [
        ("card-activation-7d", 75, 80)
    ]


def test_a_key_result_taken_out_before_the_start_and_put_back_is_an_addition(cli, banco: Path) -> None:
    """Taken out while the cycle was being planned (September) and put back with another target
    once it had begun: planning, not a move; the key result is added."""
    out_and_back(banco, "2026-09-25", "2026-10-22")
    assert json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"] == []
    assert findings_601(cli, banco) == []
    since = cli("history", "--repo", str(banco), "--since", "2026-10-21", "-f", "json")
    assert json.loads(since.stdout)["changes"] == []


def test_a_move_across_a_broken_version_before_the_month_is_in_that_month(cli, banco: Path) -> None:
    """Target 75, a misspelt key committed in October, the key fixed and the target set to 80 on
    2 November: November's report and ``history --since 2026-11-01`` show 75 → 80 as OKR601 does,
    though the version before their first commit cannot be read."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"    target: 75\n", "    targt: 75\n")
    commit_at(banco, "2026-10-30", "a typo")
    edit(cards, r"    targt: 75\n", "    target: 80\n")
    commit_at(banco, "2026-11-02", "the key fixed, and the target raised")
    report = json.loads(
        cli("report", "--repo", str(banco), "--unit", "cards", "--today", "2026-11-20", "-f", "json").stdout
    )
    assert [(m["key_result"], m["old"], m["new"]) for m in report["moved_targets"]] == [("card-activation-7d", 75, 80)]
    assert november_changes(cli, banco, "key_result", "old", "new", "date") == [
        ("card-activation-7d", 75, 80, "2026-11-02")
    ]


def test_a_pace_set_where_there_was_none_moves_the_expected_line(cli, banco: Path) -> None:
    """Without a pace the expected line runs straight from baseline to target: a pace added after
    the start bends it, a goalpost moved, though the field was not written before."""
    edit(banco / DISCOVER, r"^(    target: 90\n)", r"\1    pace: {2026-11-15: 70}\n")
    commit_at(banco, "2026-10-20", "a slower start for onboarding")
    [finding] = findings_601(cli, banco)
    assert finding["message"].startswith(
        "pace of 'onboarding-completion' changed (none) → 2026-11-15: 70 on 2026-10-20"
    )


def test_a_move_across_a_broken_version_moved_to_another_file_before_the_month_is_in_it(cli, banco: Path) -> None:
    """Target 75; a misspelt key committed in October, then the objective moved, still broken, to a
    file of its own; the key fixed and the target set to 80 on 2 November in that file: the month's
    readings follow the objective back through both files, as OKR601 does over the whole history."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"    target: 75\n", "    targt: 75\n")
    commit_at(banco, "2026-10-20", "a typo")
    moved = cards.with_name("cards-card-moment.yaml")
    cards.rename(moved)
    commit_at(banco, "2026-10-25", "the objective in a file named after it")
    for day in ("2026-10-26", "2026-10-27"):  # unrelated history, which the reading need not read
        edit(banco / DISCOVER, r"\Z", f"# reviewed {day}\n")
        commit_at(banco, day, "reviewed")
    edit(moved, r"    targt: 75\n", "    target: 80\n")
    commit_at(banco, "2026-11-02", "the key fixed, and the target raised")
    assert november_changes(cli, banco, "key_result", "old", "new", "date") == [
        ("card-activation-7d", 75, 80, "2026-11-02")
    ]
    report = json.loads(
        cli("report", "--repo", str(banco), "--unit", "cards", "--today", "2026-11-20", "-f", "json").stdout
    )
    assert [(m["key_result"], m["old"], m["new"]) for m in report["moved_targets"]] == [("card-activation-7d", 75, 80)]


def test_a_move_across_a_broken_version_renamed_in_two_commits_before_the_month_is_in_it(cli, banco: Path) -> None:
    """The broken file copied in one commit and removed in the next (a rename in two steps, the copy
    a file added in a commit of its own): the month still reads 75 → 80, as OKR601 does."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"    target: 75\n", "    targt: 75\n")
    commit_at(banco, "2026-10-05", "a typo")
    copy = cards.with_name("cards-copy.yaml")
    shutil.copyfile(cards, copy)
    commit_at(banco, "2026-10-12", "a copy")
    cards.unlink()
    commit_at(banco, "2026-10-13", "the old file removed")
    edit(copy, r"    targt: 75\n", "    target: 80\n")
    commit_at(banco, "2026-11-03", "the key fixed, and the target raised")
    assert november_changes(cli, banco, "key_result", "old", "new", "date") == [
        ("card-activation-7d", 75, 80, "2026-11-03")
    ]


def test_a_move_across_a_broken_version_whose_id_is_written_with_an_escape_is_in_the_month(cli, banco: Path) -> None:
    """Before the month the objective's id is written with a YAML escape (``momen\\x74``): the bytes
    of the id are not in the file, yet its versions are still read for the value a broken version
    hides (77 → 80)."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"^id: first-card-moment\n", 'id: "first-card-momen\\\\x74"\n')
    assert 'id: "first-card-momen\\x74"\n' in cards.read_text(encoding="utf-8")
    edit(cards, r"\*explicit\*", "explicit")  # no "*" left: the escape alone may hide the id
    commit_at(banco, "2026-10-01", "the id in quotes")
    edit(cards, r"    target: 75\n", "    target: 77\n")
    commit_at(banco, "2026-10-10", "the target raised before the month")
    edit(cards, r"    target: 77\n", "    targt: 77\n")
    commit_at(banco, "2026-10-20", "a typo")
    edit(cards, r'^id: "first-card-momen\\x74"\n', "id: first-card-moment\n")
    edit(cards, r"    targt: 77\n", "    target: 80\n")
    commit_at(banco, "2026-11-02", "the key fixed, and the target raised")
    assert november_changes(cli, banco, "key_result", "old", "new", "date") == [
        ("card-activation-7d", 77, 80, "2026-11-02")
    ]


def test_a_second_objective_broken_in_the_same_commit_keeps_its_own_move_in_the_month(cli, banco: Path) -> None:
    """Two objectives broken in one commit before the month; the second fixed before it at 410, then
    broken and fixed again at 420 in the month: its move (410 → 420) is in the month beside the
    first one's (75 → 80); what was read for the first one before the month (the second's 400 in
    the commit that broke both) does not change it."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    discover = banco / DISCOVER
    edit(cards, r"    target: 75\n", "    targt: 75\n")
    edit(discover, r"    baseline: 400\n", "    basline: 400\n")
    edit(discover, r"\*directionally\*", "directionally")  # nothing left that may spell the other's id
    commit_at(banco, "2026-10-02", "both broken")
    edit(discover, r"    basline: 400\n", "    baseline: 410\n")
    commit_at(banco, "2026-10-03", "one fixed, at another baseline")
    edit(cards, r"    targt: 75\n", "    target: 80\n")
    commit_at(banco, "2026-11-02", "the other fixed, and its target raised")
    edit(discover, r"    baseline: 410\n", "    basline: 410\n")
    commit_at(banco, "2026-11-03", "broken again")
    edit(discover, r"    basline: 410\n", "    baseline: 420\n")
    commit_at(banco, "2026-11-04", "fixed, and its baseline moved")
    assert november_changes(cli, banco, "key_result", "field", "old", "new") == [
        ("card-activation-7d", "target", 75, 80),
        ("setup-tickets", "baseline", 410, 420),
    ]


@pytest.mark.parametrize("another_broken", [False, True], ids=["alone", "beside-a-broken-objective"])
def test_a_target_taken_out_before_the_month_and_set_again_in_it_is_a_move_of_the_month(
    cli, banco: Path, another_broken: bool
) -> None:
    """Taken out in October, set again to 80 in November: the whole history calls it a move
    (OKR601), and so do the month's readings, which cannot see the October commit on their own."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"    target: 75\n", "")
    commit_at(banco, "2026-10-10", "the target taken out")
    if another_broken:  # read again from the start for that one's sake
        edit(banco / DISCOVER, r"    baseline: 400\n", "    basline: 400\n")
        commit_at(banco, "2026-10-12", "a typo elsewhere")
    edit(cards, r"(    baseline: 48\n)", r"\1    target: 80\n")
    commit_at(banco, "2026-11-05", "the target set again")
    if another_broken:
        edit(banco / DISCOVER, r"    basline: 400\n", "    baseline: 400\n")
        commit_at(banco, "2026-11-06", "the typo fixed")
    assert november_changes(cli, banco, "key_result", "old", "new") == [("card-activation-7d", None, 80)]
    report = json.loads(
        cli("report", "--repo", str(banco), "--unit", "cards", "--today", "2026-11-20", "-f", "json").stdout
    )
    assert [(m["key_result"], m["old"], m["new"]) for m in report["moved_targets"]] == [
        ("card-activation-7d", None, 80)
    ]


@pytest.mark.parametrize(("mended_at", "moved"), [(77, []), (75, [("card-activation-7d", 77, 75)])])
def test_commits_dated_before_the_month_that_come_after_one_of_it_are_read_in_their_place(
    cli, banco: Path, mended_at: int, moved: list
) -> None:
    """After a commit of 5 November come two whose dates are in October (a clock set wrong, a
    rebase that kept its dates): the target set to 77 there, then the file made unreadable; mended
    on the 10th. The month reads them where they stand, as the whole history (and OKR601) does: the
    move to 77 is October's, not the 10th's; mended back at 75, the 10th moved it from 77."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    edit(cards, r"\Z", "# reviewed\n")
    commit_at(banco, "2026-11-05", "a November commit to the same file")
    edit(cards, r"    target: 75\n", "    target: 77\n")
    commit_at(banco, "2026-10-25", "the target raised, dated in October")
    good = cards.read_text(encoding="utf-8")
    cards.write_text(good + "broken: [unclosed\n", encoding="utf-8")
    commit_at(banco, "2026-10-26", "the file broken, dated in October")
    cards.write_text(good.replace("    target: 77\n", f"    target: {mended_at}\n"), encoding="utf-8")
    commit_at(banco, "2026-11-10", "the file mended")
    assert november_changes(cli, banco, "key_result", "old", "new") == moved
    whole = cli("history", "--repo", str(banco), "--today", "2026-11-20", "-f", "json")
    in_november = [c for c in json.loads(whole.stdout)["changes"] if c["date"] >= "2026-11-01"]
    assert [(c["key_result"], c["old"], c["new"]) for c in in_november] == moved


def test_a_key_result_taken_out_then_put_back_after_a_broken_version_is_a_move(cli, banco: Path) -> None:
    """Taken out in October (after the start), the objective's title misspelt in November, the key
    result put back with another target: a move 40 → 50, as without the broken version between,
    in the whole history (and OKR601) as in the month's reading."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    text = cards.read_text(encoding="utf-8")
    block = text[text.index("  - id: virtual-card-day-one\n") : text.index("  - id: card-delivery-days\n")]
    cards.write_text(text.replace(block, ""), encoding="utf-8")
    commit_at(banco, "2026-10-19", "a key result taken out")
    edit(cards, r"^title:", "titel:")
    commit_at(banco, "2026-11-02", "a typo")
    edit(cards, r"^titel:", "title:")
    cards.write_text(
        cards.read_text(encoding="utf-8").replace(
            "  - id: card-delivery-days\n", block.replace("target: 40", "target: 50") + "  - id: card-delivery-days\n"
        ),
        encoding="utf-8",
    )
    commit_at(banco, "2026-11-17", "the key result put back")
    assert "target: 50" in cards.read_text(encoding="utf-8")
    moved = [("virtual-card-day-one", 40, 50)]
    assert november_changes(cli, banco, "key_result", "old", "new") == moved
    whole = cli("history", "--repo", str(banco), "--today", "2026-11-20", "-f", "json")
    in_november = [c for c in json.loads(whole.stdout)["changes"] if c["date"] >= "2026-11-01"]
    assert [(c["key_result"], c["old"], c["new"]) for c in in_november] == moved
    assert [f for f in findings_601(cli, banco) if "virtual-card-day-one" in f["message"]]


def test_an_objective_taken_out_of_its_file_and_put_back_is_compared_with_what_it_held(cli, banco: Path) -> None:
    """The objective taken out of its file on 20 October (the file left holding a comment) and put
    back on 5 November with 80 for 75: a move in the whole history, OKR601 and November's report."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    kept = cards.read_text(encoding="utf-8")
    cards.write_text("# being rewritten\n", encoding="utf-8")
    commit_at(banco, "2026-10-20", "cards' objective out")
    cards.write_text(kept.replace("    target: 75\n", "    target: 80\n", 1), encoding="utf-8")
    commit_at(banco, "2026-11-05", "cards' objective back")
    moved = [("card-activation-7d", 75, 80)]
    whole = json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"]
    assert [(c["key_result"], c["old"], c["new"]) for c in whole] == moved
    assert [f for f in findings_601(cli, banco) if "card-activation-7d" in f["message"]]
    assert november_changes(cli, banco, "key_result", "old", "new") == moved


def test_a_key_result_taken_out_while_planning_in_a_broken_version_is_an_addition(cli, banco: Path) -> None:
    """Taken out on 22 September in a commit that also misspelt the title, the title fixed on 10
    October, the key result put back with another target in November: no valid version held it
    after the cycle began, so it was taken out while planning, and it is added (not 75 → 80)."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    kept = cards.read_text(encoding="utf-8")
    start = kept.index("  - id: card-activation-7d\n")
    end = kept.index("  - id:", start + 1)
    cards.write_text((kept[:start] + kept[end:]).replace("\ntitle:", "\ntitel:", 1), encoding="utf-8")
    commit_at(banco, "2026-09-22", "card activation out, and a typo")
    edit(cards, r"^titel:", "title:")
    commit_at(banco, "2026-10-10", "the typo fixed")
    cards.write_text(kept.replace("    target: 75\n", "    target: 80\n", 1), encoding="utf-8")
    commit_at(banco, "2026-11-05", "card activation back")
    assert json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"] == []
    assert findings_601(cli, banco) == []
    assert november_changes(cli, banco, "key_result") == []


def test_a_key_result_put_back_in_another_cycle_is_an_addition_in_every_reading(cli, banco: Path) -> None:
    """Taken out in October, the objective moved to 2027-Q1, the key result put back with another
    target in November: a key result of the next cycle, added; the whole history and November's
    reading agree (the month's once missed what the whole history called a move)."""
    cards = banco / "okrs" / "2026-Q4" / "cards.yaml"
    kept = cards.read_text(encoding="utf-8")
    start = kept.index("  - id: card-activation-7d\n")
    end = kept.index("  - id:", start + 1)
    cards.write_text(kept[:start] + kept[end:], encoding="utf-8")
    commit_at(banco, "2026-10-10", "card activation out")
    edit(cards, r"^cycle: 2026-Q4", "cycle: 2027-Q1")
    commit_at(banco, "2026-10-20", "to the next quarter")
    cards.write_text(
        kept.replace("    target: 75\n", "    target: 80\n", 1).replace("cycle: 2026-Q4", "cycle: 2027-Q1"),
        encoding="utf-8",
    )
    commit_at(banco, "2026-11-05", "card activation back")
    whole = json.loads(cli("history", "--repo", str(banco), "-f", "json").stdout)["changes"]
    assert [c for c in whole if c["key_result"] == "card-activation-7d"] == []
    assert november_changes(cli, banco, "key_result") == []


def test_a_broken_config_stops_history_as_it_stops_every_view(cli, banco: Path) -> None:
    """Whether a move came after its cycle started depends on the config's cycles: with a broken
    okrctl.yaml, history went on with none of them and called a move of a declared cycle one made
    before it started (exit 0)."""
    config = banco / "okrctl.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "organization: [broken\n", encoding="utf-8")
    result = cli("history", "--repo", str(banco), "--today", "2026-11-20")
    assert result.exit_code == 1
    assert result.stderr.startswith("okrctl: okrctl.yaml:") and "fix the config first" in result.stderr


def test_a_clone_cut_in_two_places_says_its_history_starts_at_the_newer_cut(cli, banco: Path, tmp_path: Path) -> None:
    """A merge near the depth cuts the clone in two places: the branch's move (made on a commit
    whose parent the clone lacks) was missing while the notes said the history was seen from the
    older cut, and the month's report said nothing at all."""
    (banco / "NOTES.md").write_text("main goes on\n", encoding="utf-8")
    commit_at(banco, "2026-10-28", "a note on main")
    git(banco, "checkout", "-q", "-b", "lower")
    lower_target(banco, "2026-11-03")
    git(banco, "checkout", "-q", "-")
    env = {"GIT_AUTHOR_DATE": "2026-11-05T12:00:00+00:00", "GIT_COMMITTER_DATE": "2026-11-05T12:00:00+00:00"}
    git(banco, "merge", "-q", "--no-ff", "-m", "merge lower", "lower", env=env)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "2", banco.as_uri(), str(clone))
    assert len((clone / ".git" / "shallow").read_text().split()) == 2  # cut in two places
    payload = json.loads(cli("history", "--repo", str(clone), "--format", "json").stdout)
    assert payload["changes"] == []  # the move is behind the newer cut
    assert payload["oldest_date"] == "2026-11-03"
    result = cli("align", "--repo", str(clone), "--today", "2026-11-21", "--select", "OKR601")
    assert "sees the history from 2026-11-03 only" in result.stderr
    result = cli("report", "--repo", str(clone), "--unit", "digital-services", "--today", "2026-11-21")
    assert result.exit_code == 0
    assert "shallow clone whose history starts at 2026-11-03" in result.stderr
    # The whole history sees the move.
    whole = json.loads(cli("history", "--repo", str(banco), "--format", "json").stdout)
    assert [(c["old"], c["new"]) for c in whole["changes"]] == [(90, 85)]


def test_a_users_log_follow_setting_does_not_move_where_the_history_starts(
    cli, banco: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``log.follow = true`` with ``log.showRoot = false`` in the user's git config made git's log of
    the objective files follow one path and hide the root commit: the history was said to start at
    the first change, not at the commit that added the files."""
    lower_target(banco, "2026-10-20")
    plain = json.loads(cli("history", "--repo", str(banco), "--today", "2026-11-20", "--format", "json").stdout)
    config = tmp_path / "user-gitconfig"
    config.write_text("[log]\n\tfollow = true\n\tshowRoot = false\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    configured = cli("history", "--repo", str(banco), "--today", "2026-11-20", "--format", "json")
    assert configured.exit_code == 0, configured.stderr
    assert json.loads(configured.stdout) == plain
    assert plain["oldest_commit"] != plain["changes"][0]["commit"]
