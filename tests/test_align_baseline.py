"""``align --baseline REF`` on real git repositories (issue 10): only what a change introduces blocks.

Every test builds a real repository from examples/banco, commits a base on ``main`` and a change on
a branch, and runs the real command.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import git
from tests.helpers_align import EXAMPLES, align
from tests.helpers_git import commit_at

TODAY = "2026-11-20"
SIXTY_DAYS_LATER = "2027-01-19"

BAD_OBJECTIVE = """\
apiVersion: okrctl/v1
kind: Objective
id: cards-extra
owner: cards
cycle: 2026-Q4
title: Pay with the phone from the first day
aligns: [{to: digital-first-week/nps}]
key_results:
  - {id: wallet, title: Wallet payments grow from 1% to 5%, baseline: 1, target: 5, colour: red}
  - {id: tap, title: Tap-to-pay users grow from 2% to 6%, baseline: 2, target: 6}
"""


@pytest.fixture
def base(tmp_path: Path, git_repo: Any) -> Path:
    """banco on ``main`` with one existing warning (Cards' objective aligns to nothing, OKR201)."""
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    cards = root / "okrs" / "2026-Q4" / "cards.yaml"
    text = cards.read_text(encoding="utf-8")
    cards.write_text(text.replace("aligns:\n  - {to: digital-first-week/nps, type: explicit}\n", ""), "utf-8")
    git_repo(root)
    git(root, "checkout", "-q", "-b", "change")
    return root


def _commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def _json(root: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict[str, Any]]:
    result = align(root, "--format", "json", *args, env=env)
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def test_a_branch_adding_one_bad_file_reports_exactly_one_new_finding(base: Path) -> None:
    plain_code, plain = _json(base)
    assert plain_code == 0 and [f["code"] for f in plain["findings"]] == ["OKR201"]
    (base / "okrs" / "2026-Q4" / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    _commit(base, "a second objective for Cards")
    code, report = _json(base, "--baseline", "main")
    assert code == 1
    assert report["summary"]["new"] == 1 and report["summary"]["existing"] == 1
    assert [(f["code"], f["path"], f["new"]) for f in report["findings"]] == [
        ("OKR101", "okrs/2026-Q4/extra.yaml", True)
    ]
    assert report["baseline"]["ref"] == "main" and len(report["baseline"]["commit"]) == 40
    shown = align(base, "--format", "concise", "--baseline", "main", "--show-existing")
    assert shown.stdout.count("\n") == 2 and "OKR201" in shown.stdout and "[existing]" in shown.stdout


def test_a_baseline_ref_that_moved_on_is_judged_from_the_merge_base(base: Path) -> None:
    """``--baseline main`` after main gained commits since the branch forked: what main fixed or broke
    since then is not the branch's change. Judged against main's tip, the Cards warning the branch
    still carries (fixed on main meanwhile) would be new."""
    fork = git(base, "rev-parse", "HEAD").strip()
    git(base, "checkout", "-q", "main")
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    text = (EXAMPLES / "banco" / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    cards.write_text(text, encoding="utf-8")  # main fixes the OKR201 warning
    (base / "okrs" / "2026-Q4" / "main-only.yaml").write_text(
        BAD_OBJECTIVE.replace("cards-extra", "main-extra"), "utf-8"
    )
    _commit(base, "main: fix Cards, add a broken objective")
    git(base, "checkout", "-q", "change")
    (base / "okrs" / "2026-Q4" / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    _commit(base, "a second objective for Cards")
    code, report = _json(base, "--baseline", "main")
    assert code == 1
    assert [(f["code"], f["path"], f["new"]) for f in report["findings"]] == [
        ("OKR101", "okrs/2026-Q4/extra.yaml", True)
    ]
    assert report["summary"]["new"] == 1 and report["summary"]["existing"] == 1
    assert report["baseline"]["commit"] == fork
    gated = align(base, "--format", "concise", "--baseline", "main", "--show-existing")
    assert gated.stderr == f"okrctl: baseline main (merge base {fork[:12]}): only findings new since then block\n"
    assert "OKR201" in gated.stdout and "[existing]" in gated.stdout


def test_a_baseline_that_shares_no_history_with_head_is_refused(base: Path) -> None:
    git(base, "checkout", "-q", "--orphan", "elsewhere")
    _commit(base, "an unrelated history")
    result = align(base, "--baseline", "main")
    assert result.exit_code == 2
    assert result.stderr == "okrctl: --baseline: no merge base of HEAD and main; they share no history\n"


def test_a_baseline_given_as_a_whole_commit_is_named_once(base: Path) -> None:
    """The GitHub action passes the merge base it computed as a full hash: the announcement names it
    once, short, rather than "baseline <40 hex digits> (<the same 12>)"."""
    commit = git(base, "rev-parse", "main").strip()
    result = align(base, "--format", "concise", "--baseline", commit)
    assert result.exit_code == 0, result.output
    assert result.stderr == f"okrctl: baseline {commit[:12]}: only findings new since then block\n"
    named = align(base, "--format", "concise", "--baseline", "main")
    assert named.stderr == f"okrctl: baseline main ({commit[:12]}): only findings new since then block\n"


@pytest.mark.parametrize(
    "fmt", ["text", *(pytest.param(f, marks=pytest.mark.slow) for f in ("concise", "json", "sarif", "junit", "gitlab"))]
)
def test_the_baseline_is_announced_on_standard_error_never_in_the_report(base: Path, tmp_path: Path, fmt: str) -> None:
    """``--format text --output FILE`` wrote the announcement as the report's first line and left
    standard error empty, where the other formats say it; every format but ``github`` (a notice)
    says it on standard error now, and the report holds the findings alone."""
    commit = git(base, "rev-parse", "main").strip()
    announcement = f"okrctl: baseline main ({commit[:12]}): only findings new since then block\n"
    report = tmp_path / f"report.{fmt}"
    result = align(base, "--format", fmt, "--baseline", "main", "--show-existing", "--output", str(report))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", announcement), result.output
    written = report.read_text(encoding="utf-8")
    assert "OKR201" in written and "only findings new since then block" not in written
    shown = align(base, "--format", fmt, "--baseline", "main", "--show-existing")
    assert (shown.stdout, shown.stderr) == (written, announcement)


def test_the_calendar_never_fails_an_unchanged_branch(base: Path) -> None:
    """60 days later every team is stale and the cycle lacks its retros: a scheduled job's news,
    not a reason to fail a pull request that changed nothing."""
    plain = align(base, "--strict", "--today", SIXTY_DAYS_LATER, "--format", "concise")
    assert plain.exit_code == 1 and "OKR507" in plain.stdout
    gated = align(base, "--strict", "--today", SIXTY_DAYS_LATER, "--format", "concise", "--baseline", "main")
    assert gated.exit_code == 0, gated.output
    assert gated.stdout == ""
    assert "baseline main" in gated.stderr


def test_time_triggered_findings_are_never_new_and_say_so(base: Path) -> None:
    # The branch removes Cards' check-ins: Cards is stale, but only the calendar says so.
    shutil.rmtree(base / "checkins" / "cards")
    _commit(base, "check-ins of Cards removed")
    _code, report = _json(base, "--baseline", "main", "--show-existing", "--cycle", "all")
    stale = [f for f in report["findings"] if f["code"] == "OKR501"]
    assert stale and all(f["trigger"] == "time" and f["new"] is False for f in stale)
    _plain_code, plain = _json(base)
    assert {f["trigger"] for f in plain["findings"] if f["code"] == "OKR501"} == {"time"}


def test_inserting_a_comment_keeps_every_fingerprint(base: Path) -> None:
    _, before = _json(base)
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    cards.write_text("# a new comment line\n\n" + cards.read_text(encoding="utf-8"), encoding="utf-8")
    _commit(base, "a comment")
    _, after = _json(base)
    assert [f["fingerprint"] for f in before["findings"]] == [f["fingerprint"] for f in after["findings"]]
    assert [f["line"] for f in before["findings"]] != [f["line"] for f in after["findings"]]
    code, gated = _json(base, "--baseline", "main", "--strict")
    assert code == 0 and gated["summary"]["new"] == 0 and gated["summary"]["existing"] == 1


def test_a_file_that_only_moved_keeps_its_findings(base: Path) -> None:
    """Moving files into another folder layout is no new finding: whether the move is committed
    (``git mv``), staged, or made in the working tree alone, and whether the gate judges the whole
    repository or only the new place (a hook's paths)."""
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    moved = base / "okrs" / "cards" / "2026-Q4.yaml"
    moved.parent.mkdir()
    cards.rename(moved)  # not staged: git knows nothing of the new file
    for paths in ((), (str(moved),), (str(moved.parent),)):
        code, report = _json(base, *paths, "--baseline", "main", "--strict")
        assert code == 0, report
        assert report["summary"]["new"] == 0 and report["summary"]["existing"] == 1
    _commit(base, "one folder a team")
    code, report = _json(base, "--baseline", "main", "--strict", "--show-existing")
    assert code == 0
    assert [(f["code"], f["path"], f["new"]) for f in report["findings"]] == [
        ("OKR201", "okrs/cards/2026-Q4.yaml", False)
    ]


def test_a_file_moved_and_changed_keeps_its_findings_once_git_sees_the_rename(base: Path) -> None:
    """A file moved and changed in the same change: git's rename detection (half the content kept)
    pairs the two paths once the move is staged or committed; before that (git does not know the
    new file), and for a file rewritten beyond recognition, the new path is a new file (docs/ci.md)."""
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    text = cards.read_text(encoding="utf-8")
    moved = base / "okrs" / "2026-Q4" / "cards-team.yaml"
    moved.write_text("# moved and retitled\n" + text.replace("title: ", "title: Now ", 1), encoding="utf-8")
    cards.unlink()
    code, report = _json(base, "--baseline", "main", "--strict")
    assert code == 1 and [(f["path"], f["new"]) for f in report["findings"]] == [("okrs/2026-Q4/cards-team.yaml", True)]
    git(base, "add", "-A")  # staged (what ``git mv`` does), then edited again: not committed
    moved.write_text(moved.read_text(encoding="utf-8") + "# one more edit, not staged\n", encoding="utf-8")
    index = (base / ".git" / "index").read_bytes()
    code, report = _json(base, "--baseline", "main", "--strict")
    assert code == 0 and report["summary"]["existing"] == 1 and report["summary"]["new"] == 0
    assert (base / ".git" / "index").read_bytes() == index  # the user's index is left as it was
    _commit(base, "moved and changed")
    code, report = _json(base, "--baseline", "main", "--strict")
    assert code == 0 and report["summary"]["existing"] == 1
    rewritten = "".join(f"# line {n} of a long preface\n" for n in range(60)) + moved.read_text(encoding="utf-8")
    moved.write_text(rewritten, encoding="utf-8")
    _commit(base, "rewritten")
    code, report = _json(base, "--baseline", "main", "--strict")
    assert code == 1 and report["summary"]["new"] == 1


def test_a_github_pull_request_compares_with_the_merge_base_and_announces_it(base: Path, tmp_path: Path) -> None:
    git(base, "remote", "add", "origin", str(base))
    git(base, "fetch", "-q", "origin")
    (base / "okrs" / "2026-Q4" / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    _commit(base, "a second objective for Cards")
    env = {"GITHUB_BASE_REF": "main", "GITHUB_ACTIONS": "true"}
    result = align(base, env=env)
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::notice title=okrctl baseline::") and "origin/main" in lines[0]
    assert [line.split(" ", 1)[0] for line in lines[1:-1]] == ["::error"]
    assert lines[-1].startswith("okrctl align: 1 new (1 error, 0 warnings, 0 info), 1 existing")
    off = align(base, "--no-baseline", "--format", "concise", env=env)
    assert off.exit_code == 1 and off.stdout.count("\n") == 2 and off.stderr == ""


def test_an_unusable_baseline_is_exit_2_with_the_fix_in_one_line(base: Path, tmp_path: Path) -> None:
    unknown = align(base, "--baseline", "no-such-branch")
    assert unknown.exit_code == 2
    assert unknown.stderr.count("\n") == 1 and "no-such-branch" in unknown.stderr
    not_fetched = align(base, env={"GITHUB_BASE_REF": "main"})
    assert not_fetched.exit_code == 2 and "fetch-depth: 0" in not_fetched.stderr
    both = align(base, "--baseline", "main", "--no-baseline")
    assert both.exit_code == 2
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--branch", "change", f"file://{base}", str(clone)],
        check=True,
        capture_output=True,
    )
    shallow = align(clone, env={"GITHUB_BASE_REF": "main"})
    assert shallow.exit_code == 2
    assert shallow.stderr.count("\n") == 1 and "fetch-depth: 0" in shallow.stderr


@pytest.mark.parametrize("folder", ["", "okrs"])
def test_the_pull_request_that_adds_the_okr_repository_is_judged_whole(
    tmp_path: Path, git_repo: Any, folder: str
) -> None:
    """The base predates okrctl (no okrctl.yaml there): it has no findings, so every finding of the
    change is new — not a usage error that fails the first pull request of every adopter."""
    top = tmp_path / "project"
    top.mkdir()
    (top / "README.md").write_text("Our project\n", encoding="utf-8")
    git_repo(top)
    git(top, "checkout", "-q", "-b", "adopt-okrctl")
    root = top / folder
    shutil.copytree(EXAMPLES / "banco", root, dirs_exist_ok=True)
    (root / "okrs" / "2026-Q4" / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    _commit(top, "OKRs in git")
    git(top, "remote", "add", "origin", str(top))
    git(top, "fetch", "-q", "origin")
    for args, env in (
        (["--baseline", "main"], None),
        ([], {"GITHUB_BASE_REF": "main"}),
    ):
        result = align(root, "--format", "concise", *args, env=env)
        assert result.exit_code == 1, result.output
        assert result.stdout.startswith("okrs/2026-Q4/extra.yaml:") and "OKR101" in result.stdout
        assert "has no okrctl.yaml yet: every finding is new" in result.stderr
    code, report = _json(root, "--baseline", "main", "--today", SIXTY_DAYS_LATER)
    assert code == 1 and report["summary"]["new"] == 1  # calendar findings are still never new
    assert report["summary"]["existing"] > 0  # the stale teams: counted, never blocking


def test_a_target_moved_before_the_base_is_existing_and_one_moved_on_the_branch_is_new(base: Path) -> None:
    discover = base / "okrs" / "2026-Q4" / "discover.yaml"
    text = discover.read_text(encoding="utf-8")
    assert "target: 90" in text
    discover.write_text(text.replace("target: 90", "target: 80", 1), encoding="utf-8")
    commit_at(base, "2026-11-16", "lower the bar")  # by --today: a later commit is not yet (OKR601)
    _code, report = _json(base, "--baseline", "main")
    moved = [f for f in report["findings"] if f["code"] == "OKR601"]
    assert len(moved) == 1 and moved[0]["new"] is True
    _code, later = _json(base, "--baseline", "HEAD")
    assert [f for f in later["findings"] if f["code"] == "OKR601"] == []
    assert later["summary"]["existing"] == 2


def test_a_target_moved_and_put_back_by_the_branch_is_not_new_and_passes_strict(base: Path) -> None:
    """The branch lowers a target and puts it back: it changes no goalpost, so its two OKR601 are
    existing (diff says "No OKR changes"); a target it moves and leaves moved is new."""
    discover = base / "okrs" / "2026-Q4" / "discover.yaml"
    text = discover.read_text(encoding="utf-8")
    discover.write_text(text.replace("target: 90", "target: 80", 1), encoding="utf-8")
    commit_at(base, "2026-11-10", "lower the bar")
    discover.write_text(text, encoding="utf-8")
    commit_at(base, "2026-11-12", "put the bar back")
    code, report = _json(base, "--baseline", "main", "--strict")
    assert code == 0 and report["findings"] == []
    assert report["summary"]["existing"] == 3  # OKR201 of the base, and the two moves undone
    shown = _json(base, "--baseline", "main", "--show-existing")[1]["findings"]
    assert sorted((f["code"], f["new"]) for f in shown) == [("OKR201", False), ("OKR601", False), ("OKR601", False)]
    # A target it moves and leaves moved is new, in another objective and in the same one: the
    # undone move beside it stays existing.
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("baseline: 48", "baseline: 45", 1), encoding="utf-8")
    discover.write_text(text.replace("target: 280", "target: 300", 1), encoding="utf-8")
    commit_at(base, "2026-11-13", "a truer baseline, more tickets")
    code, report = _json(base, "--baseline", "main", "--strict")
    assert code == 1
    assert sorted((f["path"], f["message"].split(" changed ")[0], f["new"]) for f in report["findings"]) == [
        ("okrs/2026-Q4/cards.yaml", "baseline of 'card-activation-7d'", True),
        ("okrs/2026-Q4/discover.yaml", "target of 'setup-tickets'", True),
    ]
    assert report["summary"]["existing"] == 3


def test_paths_limit_what_is_reported_and_counted(base: Path) -> None:
    (base / "okrs" / "2026-Q4" / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    checkin = base / "checkins" / "cards" / "2026-11-20.yaml"
    only_checkin = align(base, str(checkin), "--format", "json")
    assert only_checkin.exit_code == 0
    report = json.loads(only_checkin.stdout)
    assert report["findings"] == [] and report["summary"]["checked_files"] == 1
    both = align(base, str(checkin), str(base / "okrs"), "--format", "concise")
    assert both.exit_code == 1
    assert [line.split(":")[0] for line in both.stdout.splitlines()] == [
        "okrs/2026-Q4/cards.yaml",
        "okrs/2026-Q4/extra.yaml",
    ]
    missing = align(base, str(base / "nope.yaml"))
    assert missing.exit_code == 2 and "nope.yaml" in missing.stderr


def test_sarif_and_gitlab_mark_existing_findings(base: Path) -> None:
    from tests.test_align_formats import _validate_sarif

    (base / "okrs" / "2026-Q4" / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    _commit(base, "a second objective for Cards")
    sarif = align(base, "--format", "sarif", "--baseline", "main", "--show-existing")
    payload = _validate_sarif(sarif.stdout)
    states = sorted((r["ruleId"], r["baselineState"]) for r in payload["runs"][0]["results"])
    assert states == [("OKR101", "new"), ("OKR201", "unchanged")]
    gitlab = json.loads(align(base, "--format", "gitlab", "--baseline", "main", "--show-existing").stdout)
    assert sorted((i["check_name"], i["severity"]) for i in gitlab) == [("OKR101", "critical"), ("OKR201", "info")]
    assert all(i["fingerprint"] for i in gitlab)


PARTLY_READ = {
    "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: M3\n",
    "units/corp.yaml": (
        "apiVersion: okrctl/v1\nkind: Unit\nid: corp\nname: Corp\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: x\nname: Team X\nparent: corp\n"
    ),
    "okrs/q2.yaml": (
        "apiVersion: okrctl/v1\nkind: Objective\nid: x-q2\nowner: x\ncycle: 2026-Q2\ntitle: Team X grows usage in Q2\n"
        "key_results:\n  - {id: k1, title: Usage rises from 0 to 100, baseline: 0, target: 100}\n"
    ),
    "okrs/main.yaml": (
        "apiVersion: okrctl/v1\nkind: Objective\nid: x-main\nowner: x\ncycle: 2026\ntitle: Team X grows usage\n"
        "key_results:\n  - {id: k1, title: Usage rises from 0 to 100, baseline: 0, target: 100}\n"
        "  - {id: k2, title: Revenue rises from 0 to 100, baseline: 0, target: 100}\n"
    ),
    # Two check-ins in one file: the working tree needs only the second, the base both.
    "checkins/x.yaml": (
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: x\ndate: 2026-05-08\nauthor: x@example.com\nconfidence: 8\n"
        "results:\n  k2: 100\n---\n"
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: x\ndate: 2026-11-13\nauthor: x@example.com\nconfidence: 8\n"
        "results:\n  k1: 20\n"
    ),
}


@pytest.mark.parametrize(
    ("store", "holder"),
    [("--no-cache", "checkins/x.yaml"), ("warm", "checkins/x.yaml"), ("warm", "units/corp.yaml")],
)
def test_a_file_the_working_tree_read_only_in_part_is_not_borrowed_by_the_base(
    tmp_path: Path, git_repo: Any, store: str, holder: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The working tree's load may keep some check-ins of a file and leave others out (decided one
    by one: without a store, or in a file that holds other documents too). The base must then read
    that file itself: here it needs the check-in the working tree left out, and without it an
    off-track warning the branch introduces would pass for an existing one."""
    root = tmp_path / "m3"
    files = dict(PARTLY_READ)
    if holder != "checkins/x.yaml":
        files[holder] += "---\n" + files.pop("checkins/x.yaml")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    git_repo(root)
    main = root / "okrs" / "main.yaml"
    main.write_text(main.read_text().replace("cycle: 2026\n", "cycle: 2026-Q4\n"), encoding="utf-8")
    q2 = root / "okrs" / "q2.yaml"
    q2.write_text(q2.read_text() + "  - {id: k2, title: Revenue rises from 0 to 100, baseline: 0, target: 100}\n")
    (root / "checkins").mkdir(exist_ok=True)
    (root / "checkins" / "x2.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: x\ndate: 2026-11-06\nauthor: x@example.com\nconfidence: 8\n"
        "results:\n  k2: 0\n",
        encoding="utf-8",
    )
    args = ["--baseline", "main", "--show-existing", "--no-history"]
    env = {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store")}
    if store == "--no-cache":
        args.append("--no-cache")
    else:
        assert align(root, "--no-history", env=env).exit_code == 0  # fills the store
    _code, report = _json(root, *args, env=env)
    from okrctl.rules.needs import CheckinNeeds

    monkeypatch.setattr(CheckinNeeds, "wanted", lambda self, owner, day, keys: True)
    monkeypatch.setattr(CheckinNeeds, "wanted_model", lambda self, model: True)
    _code, everything = _json(root, *args, "--no-cache")
    assert report == everything
    off_track = [f for f in report["findings"] if f["code"] == "OKR506" and f["path"] == holder]
    assert off_track and off_track[0]["new"] is True


@pytest.mark.slow
def test_entries_the_store_loses_during_the_base_load_are_read_from_git(
    tmp_path: Path, git_repo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another okrctl may prune the store while the base is loaded: the entries its index has just
    named are gone when they are fetched. The base then reads those files from git objects (never
    the working tree, never nothing), its findings stay right, and the store keeps no wrong entry."""
    import sqlite3

    from okrctl.load.cache import ParseCache
    from okrctl.load.store import store_name
    from tests.bench.synth import build

    root = tmp_path / "org"
    build(root, teams=3, units_per_bu=3, weeks=52)
    git_repo(root)
    env = {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store")}
    assert align(root, "--no-history", env=env).exit_code in (0, 1)  # the store knows the base's files
    objective = next((root / "okrs" / "2026-Q4").glob("*.yaml"))
    objective.write_text(objective.read_text().replace("title: ", "title: Renamed: ", 1), encoding="utf-8")
    for checkin in (root / "checkins").rglob("*.yaml"):  # none of them is borrowed from the working tree
        checkin.write_text(checkin.read_text() + "# edited\n", encoding="utf-8")
    args = ["--baseline", "main", "--show-existing", "--no-history"]
    _code, expected = _json(root, *args, "--no-cache", env=env)
    real_index = ParseCache.index
    calls: list[int] = []

    def index(self: ParseCache, **options: Any) -> Any:
        found = real_index(self, **options)
        calls.append(len(found))
        if len(calls) == 2:  # the base's load: the store is pruned under it
            with sqlite3.connect(tmp_path / "store" / store_name()) as db:
                db.execute("DELETE FROM entries")
        return found

    monkeypatch.setattr(ParseCache, "index", index)
    _code, raced = _json(root, *args, env=env)
    assert len(calls) == 2 and calls[1] > 0
    assert raced == expected
    monkeypatch.setattr(ParseCache, "index", real_index)
    _code, after = _json(root, *args, "--select", "OKR", env=env)  # new options: nothing memoised
    _code, expected_selected = _json(root, *args, "--select", "OKR", "--no-cache", env=env)
    assert after == expected_selected


def test_the_working_tree_judged_in_a_worker_gives_the_same_report(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a large repository the working tree's rules run in a forked worker while the base is
    loaded and judged: the report is the one worked out in one process."""
    import okrctl.load.pipeline as pipeline

    (base / "okrs" / "2026-Q4" / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    _commit(base, "a second objective for Cards")
    (base / "okrs" / "2026-Q4" / "cards.yaml").write_text(
        (base / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8").replace("target: 75", "target: 70")
    )
    args = ("--baseline", "main", "--show-existing", "--select", "OKR")
    _code, alone = _json(base, *args)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
    code, forked = _json(base, *args, env={"OKRCTL_JOBS": "2"})
    assert forked == alone
    assert code == 1 and (forked["summary"]["new"], forked["summary"]["existing"]) == (1, 1)


def test_a_submodule_holding_yaml_is_read_on_neither_side(base: Path, tmp_path: Path) -> None:
    """A submodule's files belong to another repository: git's commits hold only its commit id, so
    the walk of the working tree skips its folder too, and an unchanged checkout has nothing new."""
    library = tmp_path / "library"
    library.mkdir()
    (library / "thing.yaml").write_text("foo: 1\n", encoding="utf-8")
    git(library, "init", "-q")
    git(library, "add", "-A")
    git(library, "-c", "user.name=Lib", "-c", "user.email=lib@example.com", "commit", "-q", "-m", "library")
    git(base, "-c", "protocol.file.allow=always", "submodule", "add", "-q", library.as_uri(), "vendor/lib")
    _commit(base, "a submodule")
    assert (base / "vendor" / "lib" / "thing.yaml").is_file()
    code, report = _json(base, "--baseline", "HEAD")
    assert code == 0, report["findings"]
    assert report["findings"] == [] and report["summary"]["new"] == 0
    code, plain = _json(base)
    assert [f["path"] for f in plain["findings"] if f["path"].startswith("vendor/")] == []


def test_a_link_gives_the_same_finding_read_from_git_as_from_disk(base: Path) -> None:
    """A link is resolved from git's tree as a checkout resolves it: a loop, a link to nothing, a
    file taken for a folder give the system's own words on both sides, a link to a folder is
    skipped on both, and one through a linked folder is read on both: an unchanged checkout has
    nothing new."""
    okrs = base / "okrs"
    links = {
        "loop.yaml": "loop.yaml",
        "ping.yaml": "pong.yaml",
        "pong.yaml": "ping.yaml",
        "dangling.yaml": "nowhere.yaml",
        "folder.yaml": "2026-Q4",
        "not-a-folder.yaml": "2026-Q4/cards.yaml/",
        "through-a-linked-folder.yaml": "folder.yaml/cards.yaml",
    }
    for name, target in links.items():
        (okrs / name).symlink_to(target)
    _commit(base, "links")
    code, report = _json(base, "--baseline", "HEAD", "--show-existing")
    unreadable = sorted((f["path"], f["message"], f["new"]) for f in report["findings"] if f["code"] == "OKR100")
    assert unreadable == [
        ("okrs/dangling.yaml", "cannot read file: No such file or directory", False),
        ("okrs/loop.yaml", "cannot read file: Too many levels of symbolic links", False),
        ("okrs/not-a-folder.yaml", "cannot read file: Not a directory", False),
        ("okrs/ping.yaml", "cannot read file: Too many levels of symbolic links", False),
        ("okrs/pong.yaml", "cannot read file: Too many levels of symbolic links", False),
    ]
    assert code == 0 and report["summary"]["new"] == 0, [f for f in report["findings"] if f["new"]]
    assert "okrs/through-a-linked-folder.yaml" in {f["path"] for f in report["findings"]}  # read: a duplicate


def test_a_branch_a_ci_checkout_has_only_as_origin_is_named_in_the_fix(base: Path, tmp_path: Path) -> None:
    """A CI checkout (actions/checkout) makes the remote's branches only, under origin/: a gate
    given ``--baseline main`` said only "unknown git ref"; it names the ref to give."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    git(checkout, "init", "-q")
    git(checkout, "remote", "add", "origin", f"file://{base}")
    git(checkout, "fetch", "-q", "origin", "+refs/heads/*:refs/remotes/origin/*")
    git(checkout, "checkout", "-q", "--detach", "origin/change")
    result = align(checkout, "--baseline", "main")
    assert result.exit_code == 2
    assert "unknown git ref 'main'; this checkout has 'origin/main'" in result.stderr
    assert "give origin/main" in result.stderr
    assert align(checkout, "--baseline", "origin/main").exit_code == 0


def test_a_link_to_where_the_walk_never_reads_is_not_read_and_not_new_against_git(base: Path) -> None:
    """A link into ``.git`` (whose config can hold a CI job's token), into a hidden folder or into
    another repository's folder was read in the working tree, though the walk skips those places;
    read from git, it was a link to nothing. So what ``.git/config`` says was reported (and the
    nested clone's unit loaded), and a gate against a base that already had these links blocked on
    them. Now no such link is read, on either side; an absolute link, which a clone elsewhere would
    not find, leaves the repository on both sides; and each is one finding, not new."""
    units = base / "units"
    (base / ".hidden").mkdir()
    (base / ".hidden" / "unit.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: hidden\nname: Hidden\nparent: banco\n", encoding="utf-8"
    )
    nested = base / "nested"
    nested.mkdir()
    git(nested, "init", "-q")
    (nested / "u.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: ghost\nname: Ghost\nparent: banco\n", encoding="utf-8"
    )
    (units / "gitcfg.yaml").symlink_to("../.git/config")
    (units / "hidden.yaml").symlink_to("../.hidden/unit.yaml")
    (units / "ghost.yaml").symlink_to("../nested/u.yaml")
    (units / "absolute.yaml").symlink_to(units / "cards.yaml")
    # A check-in of the hidden unit: the rules, which read a broken file again for the ids it
    # declares, must not read through the link either.
    checkin = (base / "checkins" / "cards" / "2026-11-20.yaml").read_text(encoding="utf-8")
    (base / "checkins" / "hidden").mkdir()
    (base / "checkins" / "hidden" / "2026-11-20.yaml").write_text(
        checkin.replace("owner: cards", "owner: hidden"), encoding="utf-8"
    )
    for name in ("gitcfg.yaml", "hidden.yaml", "ghost.yaml", "absolute.yaml", "../.hidden/unit.yaml"):
        git(base, "add", f"units/{name}")
    git(base, "add", "checkins/hidden")
    git(base, "commit", "-q", "-m", "links")
    cards = units / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8") + "# an unrelated change\n", encoding="utf-8")
    code, report = _json(base, "--baseline", "HEAD", "--show-existing")
    links = sorted((f["path"], f["message"], f["new"]) for f in report["findings"] if f["code"] == "OKR100")
    unread = "symlink points into a hidden folder or another git repository, which okrctl does not read"
    assert links == [
        ("units/absolute.yaml", "symlink points outside the repository", False),
        ("units/ghost.yaml", unread, False),  # git holds no nested clone: a link to nothing there
        ("units/gitcfg.yaml", unread, False),
        ("units/hidden.yaml", unread, False),
    ]
    assert code == 0 and report["summary"]["new"] == 0, [f for f in report["findings"] if f["new"]]
    assert "owner 'hidden' is not a unit" in {f["message"] for f in report["findings"]}
    from okrctl.load.pipeline import load_repo

    loaded = load_repo(base, use_cache=False)
    assert {"ghost", "hidden"}.isdisjoint(loaded.units) and "units/gitcfg.yaml" not in {d.path for d in loaded.docs}


@pytest.mark.parametrize("fetched", ["tree:0", "blob:none"])
@pytest.mark.slow
def test_a_partial_clone_lacking_the_base_is_exit_2_with_the_fix(
    base: Path, tmp_path: Path, cli: Any, fetched: str
) -> None:
    """A clone made with ``--filter`` lacks the base's trees (``tree:0``) or the old version of a
    changed file (``blob:none``), and okrctl lets git fetch nothing. Before, the gate said the base
    had "no okrctl.yaml yet: every finding is new", or read the file as missing; now the gate and
    ``diff`` stop with exit 2 and say how to fetch what is missing. A full clone is judged as usual."""
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("title: Make", "title: Now make"), "utf-8")
    _commit(base, "edit cards")
    git(base, "config", "uploadpack.allowfilter", "true")
    clones = {}
    for name, options in (("partial", [f"--filter={fetched}"]), ("full", [])):
        clones[name] = tmp_path / name
        subprocess.run(
            ["git", "clone", "-q", *options, "--branch", "change", f"file://{base}", str(clones[name])],
            check=True,
            capture_output=True,
        )
    gate = align(clones["partial"], "--baseline", "HEAD~1")
    assert gate.exit_code == 2, gate.output
    assert gate.stderr.count("\n") == 1  # (the base was announced in use, then refused: two lines)
    assert gate.stderr.startswith("okrctl: ")
    assert "this is a partial clone (made with --filter)" in gate.stderr
    assert "git fetch --refetch --no-filter origin" in gate.stderr
    assert "every finding is new" not in gate.stderr and gate.stdout == ""
    if fetched == "blob:none":  # the trees are there: the message names the file git lacks
        assert "git has not fetched okrs/2026-Q4/cards.yaml" in gate.stderr
    diff = cli("diff", "HEAD~1", "--repo", str(clones["partial"]), "--today", "2026-11-27")
    assert diff.exit_code == 2 and diff.stdout == ""
    assert diff.stderr.count("\n") == 1 and "partial clone" in diff.stderr
    full = align(clones["full"], "--baseline", "HEAD~1")
    assert full.exit_code in (0, 1) and "partial clone" not in full.stderr
    assert "only findings new since then block" in full.stderr
    # Once the objects are fetched, the partial clone is judged like the full one.
    subprocess.run(
        ["git", "-C", str(clones["partial"]), "fetch", "-q", "--refetch", "--no-filter", "origin"],
        check=True,
        capture_output=True,
    )
    fetched_now = align(clones["partial"], "--baseline", "HEAD~1")
    assert (fetched_now.exit_code, fetched_now.stdout) == (full.exit_code, full.stdout)


def _fingerprints(root: Path) -> dict[str, str]:
    _code, report = _json(root, "--no-history")
    return {f["fingerprint"]: f["code"] for f in report["findings"]}


def test_an_item_inserted_above_a_finding_in_an_id_less_list_keeps_its_fingerprint(base: Path) -> None:
    """Alignments, dependencies and supported ids have no ``id``: a finding in one of them is named
    by what the item says (``to``, ``unit`` and ``for``, the id itself), not by its place, so an
    item added above it leaves it an existing finding."""
    okrs = base / "okrs" / "2026-Q4"
    cards, identity, sba = okrs / "cards.yaml", okrs / "identity-platform.yaml", okrs / "small-business-app.yaml"
    text = cards.read_text(encoding="utf-8")
    cards.write_text(
        text.replace("key_results:", "aligns:\n  - {to: digital-first-week, type: explicit}\nkey_results:", 1), "utf-8"
    )
    identity.write_text(
        identity.read_text(encoding="utf-8").replace(
            "supports: [discover-first-week, sme-open-in-app]", "supports: [discover-first-week, ghost-objective]"
        ),
        "utf-8",
    )
    _commit(base, "an explicit alignment without a key result, a misspelt supported id")
    git(base, "branch", "-f", "with-findings")
    before = _fingerprints(base)
    assert sorted(before.values()) == ["OKR104", "OKR203", "OKR401"]  # and the unacknowledged dependency
    cards.write_text(
        cards.read_text(encoding="utf-8").replace(
            "aligns:\n", "aligns:\n  - {to: strategy-2026/simplify-onboarding}\n", 1
        ),
        "utf-8",
    )
    identity.write_text(
        identity.read_text(encoding="utf-8").replace(
            "supports: [discover-first-week, ghost-objective]",
            "supports: [sme-digital-banking, discover-first-week, ghost-objective]",
        ),
        "utf-8",
    )
    sba.write_text(
        sba.read_text(encoding="utf-8").replace(
            "depends_on:\n",
            "depends_on:\n  - {unit: discover, need: the new-customer list, for: multi-director-opening}\n",
            1,
        ),
        "utf-8",
    )
    after = _fingerprints(base)
    assert before.keys() <= after.keys(), (before, after)
    _code, gated = _json(base, "--baseline", "with-findings", "--no-history")
    assert gated["summary"]["existing"] == 3
    assert all(f["code"] not in ("OKR104", "OKR203") or f["new"] is False for f in gated["findings"])


def test_a_duplicate_key_stays_existing_when_lines_are_added_above_it(base: Path) -> None:
    """OKR100's message names the line of the first key ("first at line 16"); that line moving is
    no new finding."""
    discover = base / "okrs" / "2026-Q4" / "discover.yaml"
    discover.write_text(
        re.sub(r"^(why: .*)$", r"\1\nwhy: again", discover.read_text(encoding="utf-8"), count=1, flags=re.M), "utf-8"
    )
    _commit(base, "a duplicate key")
    git(base, "branch", "-f", "with-duplicate")
    discover.write_text("# reviewed\n# twice\n" + discover.read_text(encoding="utf-8"), encoding="utf-8")
    code, gated = _json(base, "--baseline", "with-duplicate", "--no-history")
    assert code == 0 and gated["summary"]["new"] == 0, gated["findings"]
    _code, shown = _json(base, "--baseline", "with-duplicate", "--no-history", "--show-existing")
    assert [f["new"] for f in shown["findings"] if "duplicate key" in f["message"]] == [False]


def test_with_strict_a_warning_is_a_cross_in_the_summary_as_in_the_exit_code(base: Path, tmp_path: Path) -> None:
    """The base has one warning (OKR201). ``--strict`` fails on it: the summary line and the job
    summary say ✗, as the exit code does; without ``--strict`` they say ✓."""
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary)}
    strict = align(base, "--strict", "--format", "github", env=env)
    assert strict.exit_code == 1
    assert summary.read_text(encoding="utf-8").startswith("### okrctl align: ✗ 0 errors, 1 warning")
    text = align(base, "--strict", "--format", "text")
    assert text.exit_code == 1 and text.stdout.rstrip().splitlines()[-1].startswith("✗ 0 errors, 1 warning")
    lenient = align(base, "--format", "text")
    assert lenient.exit_code == 0 and lenient.stdout.rstrip().splitlines()[-1].startswith("✓ 0 errors, 1 warning")


def test_a_schema_error_in_a_list_item_stays_existing_when_an_item_is_inserted_above_it(base: Path) -> None:
    """OKR101's message names the item by its place (``key_results[2]``); its fingerprint names it
    by id, so a key result, alignment or dependency added above the broken one leaves the error an
    existing finding (the id was once dropped on the way through the parse cache, and the gate
    failed the change for an error it did not make)."""
    okrs = base / "okrs" / "2026-Q4"
    cards, sba = okrs / "cards.yaml", okrs / "small-business-app.yaml"
    cards.write_text(
        cards.read_text(encoding="utf-8").replace("    target: 3\n", "    target: 3\n    colour: red\n"), "utf-8"
    )
    sba.write_text(
        sba.read_text(encoding="utf-8").replace("depends_on:\n  - {", "depends_on:\n  - {colour: red, ", 1), "utf-8"
    )
    _commit(base, "two unknown fields")
    git(base, "branch", "-f", "with-findings")
    before = _fingerprints(base)
    assert sorted(before.values()).count("OKR101") == 2
    cards.write_text(
        cards.read_text(encoding="utf-8").replace(
            "key_results:\n",
            "key_results:\n  - {id: card-nps, title: Card NPS rises from 20 to 40, baseline: 20, target: 40}\n",
            1,
        ),
        "utf-8",
    )
    sba.write_text(
        sba.read_text(encoding="utf-8").replace(
            "depends_on:\n", "depends_on:\n  - {unit: discover, need: the new-customer list}\n", 1
        ),
        "utf-8",
    )
    _commit(base, "a key result and a dependency first")
    for store in ((), ("--no-cache",)):
        code, gated = _json(base, "--baseline", "with-findings", "--show-existing", "--no-history", *store)
        schema = [f for f in gated["findings"] if f["code"] == "OKR101"]
        assert sorted(f["message"] for f in schema) == [
            "unknown field 'colour' in depends_on[1]",
            "unknown field 'colour' in key_results[3]",
        ]
        assert [f["new"] for f in schema] == [False, False], (store, schema)
        assert code == 0, (store, gated["summary"])


@pytest.mark.slow
def test_a_remembered_gate_answer_follows_the_staging_area(base: Path, tmp_path: Path) -> None:
    """The renames since the base are git's, read from the staging area: staging or unstaging a
    rename (same files, same HEAD) changes what the change introduces, so a remembered answer is
    not given again (it once passed the gate after ``git reset`` with the staged answer)."""
    okrs = base / "okrs" / "2026-Q4"
    (okrs / "extra.yaml").write_text(BAD_OBJECTIVE, encoding="utf-8")
    _commit(base, "an objective with an unknown field")
    git(base, "mv", "okrs/2026-Q4/extra.yaml", "okrs/2026-Q4/extra2.yaml")
    moved = okrs / "extra2.yaml"
    moved.write_text(moved.read_text(encoding="utf-8").replace("from the first day", "from day one"), "utf-8")
    store = {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store")}
    answers = []
    for step in ("staged", "unstaged", "staged again"):
        if step == "unstaged":
            git(base, "reset", "-q")
        elif step == "staged again":
            git(base, "add", "-A")
        warm = align(base, "--baseline", "HEAD", "--format", "concise", env=store)
        cold = align(base, "--baseline", "HEAD", "--format", "concise")
        assert (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout), step
        answers.append(warm.exit_code)
    assert answers == [0, 1, 0]  # a rename of an existing finding's file; then a new file with it


def _four_cards_objectives(root: Path) -> None:
    source = (root / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    for letter in "bcd":
        text = source.replace("id: first-card-moment", f"id: cards-{letter}", 1)
        (root / "okrs" / "2026-Q4" / f"cards-{letter}.yaml").write_text(text, encoding="utf-8")


def _opposite_metric(root: Path) -> None:
    (root / "okrs" / "2026-Q4" / "pull.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: pull-apart\nowner: discover\ncycle: 2026-Q4\n"
        "title: Fewer accounts\naligns: [{to: digital-first-week}]\nkey_results:\n"
        "  - {id: fewer, title: Accounts fall from 200 to 100, metric: accounts, baseline: 200, target: 100}\n",
        encoding="utf-8",
    )
    (root / "okrs" / "2026-Q4" / "push.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: push-together\nowner: cards\ncycle: 2026-Q4\n"
        "title: More accounts\naligns: [{to: digital-first-week}]\nkey_results:\n"
        "  - {id: more, title: Accounts grow from 100 to 200, metric: accounts, baseline: 100, target: 200}\n",
        encoding="utf-8",
    )


@pytest.mark.parametrize(
    ("code", "make", "renamed", "to"),
    [
        (
            "OKR102",
            lambda root: shutil.copy(root / "units" / "cards.yaml", root / "units" / "zz-cards.yaml"),
            "units/cards.yaml",
            "units/zzz-cards.yaml",
        ),
        ("OKR301", _four_cards_objectives, "okrs/2026-Q4/cards.yaml", "okrs/2026-Q4/a-cards.yaml"),
        ("OKR403", _opposite_metric, "okrs/2026-Q4/pull.yaml", "okrs/2026-Q4/zzz-pull.yaml"),
    ],
)
def test_renaming_a_file_makes_no_finding_of_another_new(base: Path, code: str, make, renamed: str, to: str) -> None:
    """Rules that show one finding at the first or the second of several files by path (a duplicate
    id, too many objectives, two teams pulling one metric apart): a pull request that only renames
    one of them past the other moved the finding to another file, where the gate called it new."""
    git(base, "checkout", "-q", "main")
    make(base)
    _commit(base, "the finding on main")
    git(base, "checkout", "-q", "-b", "rename")
    _code, before = _json(base, "--strict")
    assert code in [f["code"] for f in before["findings"]]
    git(base, "mv", renamed, to)  # past the other file(s) by path
    _commit(base, "rename only")
    result, report = _json(base, "--baseline", "main", "--strict")
    assert report["summary"]["new"] == 0, [f for f in report["findings"] if f.get("new")]
    assert result == 0


def test_a_second_need_of_one_team_is_the_new_finding_wherever_it_is_written(base: Path) -> None:
    """Two needs of Core Platform for one key result, neither acknowledged: the one the branch adds
    is new, the one on main existing, whichever comes first in the file (they were numbered by
    line, so the added line took the old finding's number and the old line was called new)."""
    git(base, "checkout", "-q", "main")
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    dependency = "  - {{unit: core-platform, need: {need}, for: card-activation-7d}}\n"
    text = cards.read_text(encoding="utf-8")
    anchor = 'work: ["https://tracker.example/CARD-7"]\n'
    cards.write_text(text.replace(anchor, anchor + "depends_on:\n" + dependency.format(need="Old export")), "utf-8")
    _commit(base, "one need")
    git(base, "checkout", "-q", "-b", "second-need")
    text = cards.read_text(encoding="utf-8")
    cards.write_text(text.replace("depends_on:\n", "depends_on:\n" + dependency.format(need="New feed")), "utf-8")
    _commit(base, "a second need, written first")
    _code, report = _json(base, "--baseline", "main", "--show-existing")
    dependencies = [f for f in report["findings"] if f["path"] == "okrs/2026-Q4/cards.yaml" and f["code"] == "OKR401"]
    assert sorted((f["new"], "New feed" in f["message"]) for f in dependencies) == [(False, False), (True, True)]
    new_line = next(f["line"] for f in dependencies if f["new"])
    assert "New feed" in cards.read_text(encoding="utf-8").splitlines()[new_line - 1]


def test_an_item_without_an_id_keeps_its_finding_when_an_item_is_inserted_before_it(base: Path) -> None:
    git(base, "checkout", "-q", "main")
    discover = base / "okrs" / "2026-Q4" / "discover.yaml"
    with discover.open("a", encoding="utf-8") as file:
        file.write("  - {title: Churn falls from 5 to 3, baseline: 5, target: 3}\n")
    _commit(base, "a key result without an id")
    git(base, "checkout", "-q", "-b", "insert")
    text = discover.read_text(encoding="utf-8")
    inserted = "key_results:\n  - {id: nps, title: NPS rises from 20 to 40, baseline: 20, target: 40}\n"
    discover.write_text(text.replace("key_results:\n", inserted, 1), encoding="utf-8")
    _commit(base, "a key result before it")
    _code, report = _json(base, "--baseline", "main", "--show-existing")
    missing = [f for f in report["findings"] if f["code"] == "OKR101" and "'id'" in f["message"]]
    assert len(missing) == 1 and missing[0]["new"] is False
    assert report["summary"]["new"] == 0


def test_a_rescoped_entry_keeps_its_finding_when_an_entry_is_written_above_or_below_it(base: Path) -> None:
    """``rescoped`` entries have no id: they are named by their date, so recording another rescope
    before or after one with a mistake leaves that mistake an existing finding (its place in the list
    was in the fingerprint, and the gate failed a change that added one valid line)."""
    git(base, "checkout", "-q", "main")
    discover = base / "okrs" / "2026-Q4" / "discover.yaml"
    text = discover.read_text(encoding="utf-8")
    typo = "rescoped:\n  - {date: 2026-11-02, note: Referral programme paused, nots: typo}\n"
    discover.write_text(text.replace("key_results:\n", typo + "key_results:\n", 1), encoding="utf-8")
    _commit(base, "a rescope with a typo")
    git(base, "checkout", "-q", "-b", "another-rescope")
    before_it = "rescoped:\n  - {date: 2026-10-20, note: Survey vendor changed}\n"
    discover.write_text(discover.read_text(encoding="utf-8").replace("rescoped:\n", before_it, 1), encoding="utf-8")
    _commit(base, "an older rescope written first")
    for store in ((), ("--no-cache",)):
        code, report = _json(base, "--baseline", "main", "--show-existing", "--no-history", *store)
        typos = [f for f in report["findings"] if f["code"] == "OKR101"]
        assert [(f["message"], f["new"]) for f in typos] == [("unknown field 'nots' in rescoped[1]", False)], store
        assert (code, report["summary"]["new"]) == (0, 0), store


@pytest.mark.slow
def test_a_file_that_is_no_yaml_on_both_sides_still_declares_its_objective_at_the_base(base: Path) -> None:
    """An objective file that does not parse declares its id line by line, so the check-ins of its
    team are not called orphans. At the base, a file with the same bytes as the working tree's is
    borrowed from it, and its bytes were not read: the base lost that declaration, and a change
    elsewhere showed its team's check-ins as resolved findings of the base (and new ones as new)."""
    git(base, "checkout", "-q", "main")
    banco = base / "okrs" / "2026-Q4" / "banco.yaml"
    banco.write_text(banco.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
    _commit(base, "a file that does not parse")
    git(base, "checkout", "-q", "-b", "comment")
    checkin = sorted((base / "checkins" / "cards").glob("*.yaml"))[-1]
    checkin.write_text("# reworded\n" + checkin.read_text(encoding="utf-8"), encoding="utf-8")
    _commit(base, "a comment elsewhere")
    _code, plain = _json(base)
    assert [f["code"] for f in plain["findings"] if f["path"].startswith("checkins/banco/")] == []
    _code, report = _json(base, "--baseline", "main")
    assert report["summary"]["new"] == 0, [f for f in report["findings"] if f.get("new")]
    diff = subprocess.run(
        [sys.executable, "-m", "okrctl", "diff", "main", "--repo", str(base), "--today", TODAY, "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "OKRCTL_NO_CACHE": "1"},
    )
    assert diff.returncode == 0, diff.stderr
    assert json.loads(diff.stdout)["findings"] == {"introduced": [], "resolved": []}


def test_a_comment_pasted_above_the_same_one_in_another_objective_is_the_new_finding(base: Path) -> None:
    """Findings of okrctl comments were told apart by code, path and message only, numbered in
    line order: the same malformed comment pasted above one already in the file took its number,
    so the untouched old line was new and the pasted one existing."""
    okrs = base / "okrs" / "2026-Q4"
    cards = (okrs / "cards.yaml").read_text(encoding="utf-8")
    cards = re.sub(r"(?m)^(title: .*)$", r"\1\n# okrctl ignore[OKR201]", cards, count=1)
    together = (okrs / "discover.yaml").read_text(encoding="utf-8") + "---\n" + cards
    (okrs / "discover.yaml").write_text(together, encoding="utf-8")
    (okrs / "cards.yaml").unlink()
    git(base, "add", "-A")
    git(base, "commit", "-q", "-m", "two objectives in one file, the second with a malformed comment")
    git(base, "branch", "-f", "main")
    text = (okrs / "discover.yaml").read_text(encoding="utf-8")
    (okrs / "discover.yaml").write_text(
        re.sub(r"(?m)^(title: .*)$", r"\1\n# okrctl ignore[OKR201]", text, count=1), encoding="utf-8"
    )
    code, report = _json(base, "--baseline", "main", "--show-existing")
    comments = sorted((f["line"], f["new"]) for f in report["findings"] if f["code"] == "OKR107")
    first_title = next(i for i, line in enumerate(text.splitlines(), 1) if line.startswith("title: "))
    assert comments[0] == (first_title + 1, True)  # the line the change added
    assert [new for _, new in comments[1:]] == [False]  # the one main had
    assert code == 1


@pytest.mark.parametrize("fmt", [pytest.param("text", marks=pytest.mark.slow), "concise", "json"])
def test_the_baseline_is_announced_before_the_findings_at_a_terminal(base: Path, fmt: str) -> None:
    """At a terminal the announcement came after the findings it qualifies (it was written once
    the command had printed them)."""
    from tests.conftest import ROOT
    from tests.pty_driver import Terminal

    args = [sys.executable, "-m", "okrctl", "align", "--baseline", "main", "--show-existing", "--format", fmt]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_NO_CACHE": "1", "NO_COLOR": "1", "COLUMNS": "120"}
    with Terminal([*args, "--today", "2026-11-20"], cwd=base, env=env, columns=120) as screen:
        out = screen.expect_exit(0)
    lines = [line for line in out.replace("\r", "").split("\n") if line.strip()]
    assert lines[0].startswith("okrctl: baseline main ("), lines
    assert any("OKR201" in line for line in lines[1:])


def test_a_third_copy_of_an_id_is_new_to_the_gate_given_its_file_as_to_the_whole_gate(base: Path) -> None:
    """A branch that adds a third copy of an objective two files already hold passed ``align
    --baseline main PATH`` given that file (exit 0, "[existing]") while the whole repository's gate
    failed it: the base kept the duplicate of the second copy, with the fingerprint the third's
    took once the others were left out. A duplicate is judged where its first is, never as a
    finding that is one of a kind wherever shown."""
    cards = base / "okrs" / "2026-Q4" / "cards.yaml"
    shutil.copy(cards, cards.with_name("cards-copy.yaml"))
    _commit(base, "a copy")
    git(base, "branch", "-f", "main")
    third = cards.with_name("cards-third.yaml")
    shutil.copy(cards, third)
    _commit(base, "a third copy")
    for paths in ((), (str(third),)):
        code, report = _json(base, "--baseline", "main", *paths)
        assert code == 1, paths
        assert ("OKR102", True) in [(f["code"], f["new"]) for f in report["findings"]], paths


def test_a_new_second_check_in_is_new_beside_an_existing_second_reading_of_that_team_and_day(base: Path) -> None:
    """A second check-in and a second reading of one team and day shared one fingerprint (the team
    and the day): against a base that had the reading's duplicate, a branch adding the check-in's
    had its new finding called existing and the untouched reading's new, and once the branch also
    dropped the second reading the whole repository's gate passed the new duplicate (exit 0)."""
    readings = base / "readings"
    readings.mkdir()
    reading = "apiVersion: okrctl/v1\nkind: Reading\nowner: cards\ndate: 2026-11-20\nsource: {0}.csv\nvalues:\n  {1}\n"
    (readings / "cards-a.yaml").write_text(reading.format("a", "card-activation-7d: 56"), encoding="utf-8")
    (readings / "cards-b.yaml").write_text(reading.format("b", "card-delivery-days: 5"), encoding="utf-8")
    _commit(base, "a known second reading")
    git(base, "branch", "-f", "main")
    checkin = base / "checkins" / "cards" / "2026-11-20.yaml"
    again = checkin.with_name("2026-11-20-again.yaml")
    again.write_text(checkin.read_text(encoding="utf-8").replace("confidence: 6", "confidence: 7"), encoding="utf-8")
    _commit(base, "a second check-in of that day")

    def duplicates() -> tuple[int, list[tuple[str, bool]]]:
        code, report = _json(base, "--baseline", "main", "--show-existing")
        return code, sorted((f["path"], f["new"]) for f in report["findings"] if f["code"] == "OKR102")

    assert duplicates() == (1, [("checkins/cards/2026-11-20.yaml", True), ("readings/cards-b.yaml", False)])
    git(base, "rm", "-q", "readings/cards-b.yaml")
    _commit(base, "the second reading dropped")
    assert duplicates() == (1, [("checkins/cards/2026-11-20.yaml", True)])


def test_an_objective_past_the_limit_is_new_to_the_gate_given_its_file_whatever_its_name(base: Path) -> None:
    """A branch adding a fourth objective of Cards in a file whose name sorts first (``a-…``) put
    OKR301 on an unchanged file: ``align --baseline main PATH`` given the new file said nothing
    (exit 0) where the whole repository's gate failed it; named ``z-…`` it failed both. The
    finding is about the team and the cycle: given some files, it is shown on the first of the
    team's objectives named, and new or existing as in the whole repository."""
    git(base, "checkout", "-q", "main")
    okrs = base / "okrs" / "2026-Q4"
    source = (okrs / "cards.yaml").read_text(encoding="utf-8")
    for letter in "bc":
        (okrs / f"cards-{letter}.yaml").write_text(source.replace("id: first-card-moment", f"id: cards-{letter}", 1))
    _commit(base, "three objectives of Cards")
    git(base, "checkout", "-q", "-b", "fourth")
    added = okrs / "a-cards.yaml"
    added.write_text(source.replace("id: first-card-moment", "id: cards-a", 1), encoding="utf-8")
    _commit(base, "a fourth")
    verdicts = []
    for paths in ((), (str(added),)):
        code, report = _json(base, "--baseline", "main", "--strict", "--select", "OKR301", *paths)
        verdicts.append((code, [(f["code"], f["new"]) for f in report["findings"]]))
        if paths:
            assert [f["path"] for f in report["findings"]] == ["okrs/2026-Q4/a-cards.yaml"]
    assert verdicts == [(1, [("OKR301", True)])] * 2
    whole = _json(base, "--select", "OKR301")[1]["findings"]
    named = _json(base, "--select", "OKR301", str(added))[1]["findings"]
    assert [f["fingerprint"] for f in whole] == [f["fingerprint"] for f in named]
    # A comment silences its own objective: not counted, whichever file carries it (the one the
    # whole repository shows the finding on, or the one a pull request adds), given any path.
    for commented in (base / whole[0]["path"], added):
        text = commented.read_text(encoding="utf-8")
        commented.write_text("# okrctl: ignore[OKR301]\n" + text, encoding="utf-8")
        for paths in ((), (str(added),), (str(okrs / "cards.yaml"),)):
            assert _json(base, "--select", "OKR301", *paths)[1]["findings"] == [], (commented, paths)
        commented.write_text(text, encoding="utf-8")
    assert _json(base, "--select", "OKR301", str(added))[1]["findings"] == named


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "gitlab", "github", "concise", "text"])
def test_the_config_among_the_paths_judges_the_whole_repository(base: Path, fmt: str) -> None:
    """A commit that only lowers ``limits.objectives_per_team`` (and makes OKR301 an error) failed
    ``align`` and ``align --baseline main`` but passed both given ``okrctl.yaml`` (the pre-commit
    hook's file), which held no finding: the config's settings change findings in every file. Given
    it, alone or with other files, the whole repository is judged, as without paths, and said."""
    config = base / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "limits: {objectives_per_team: 1}\nrules: {severity: {OKR301: error}}\n",
        encoding="utf-8",
    )
    _commit(base, "one objective per team")
    said = f"okrctl: {config} is among the paths: its settings reach every file, so the whole repository is judged\n"
    checkin = str(base / "checkins" / "cards" / "2026-11-20.yaml")
    for gate, paths in ((("--no-baseline",), (str(config),)), (("--baseline", "main"), (checkin, str(config)))):
        whole = align(base, "--format", fmt, *gate)
        assert whole.exit_code == 1 and "OKR301" in whole.stdout, gate
        named = align(base, "--format", fmt, *gate, *paths)
        assert (named.exit_code, named.stdout, named.stderr) == (1, whole.stdout, said + whole.stderr), gate
        if fmt == "json":  # the summary counts every file, as without paths
            summary = json.loads(named.stdout)["summary"]
            assert "checked_files" not in summary and summary["error"] == 1, gate
        if fmt == "text":
            assert "checked file" not in named.stdout and " in 73 files (" in named.stdout, gate
    # Another file alone is still judged on its own findings.
    only = align(base, "--format", fmt, "--no-baseline", checkin)
    assert (only.exit_code, only.stderr) == (0, "")
