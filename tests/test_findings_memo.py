"""The findings of the rules kept in okrctl's store (``rules.memo``): a content already judged on a
day is not judged again by ``align`` with other options, ``diff`` or a pull request's gate, and
what they print is what a run without the store prints."""

from __future__ import annotations

import json
import sqlite3
import zlib
from pathlib import Path

import pytest

import okrctl.rules.structure as structure
from okrctl.load import store as store_module
from tests.conftest import DEMO_DAY, git
from tests.helpers_git import commit_at, edit, hermetic_git

DISCOVER = "okrs/2026-Q4/discover.yaml"
NO_CACHE = {"OKRCTL_NO_CACHE": "1"}


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the structure rules ran in this process (one of the families kept)."""
    calls: list[int] = []
    real = structure.check

    def check(ctx):
        calls.append(len(ctx.repo.docs))
        return real(ctx)

    monkeypatch.setattr(structure, "check", check)
    return calls


@pytest.fixture
def banco(copy_example, git_repo, parsed) -> Path:
    """The banco example committed before 2026-Q4 starts, with the store on (``parsed``)."""
    folder = git_repo(copy_example("banco"), commit=False)
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    return folder


def align(cli, folder: Path, *args: str, env: dict[str, str] | None = None):
    return cli("align", "--repo", str(folder), "--today", DEMO_DAY, *args, env=env)


def store_file() -> Path:
    folder = store_module.cache_root()
    assert folder is not None
    return folder / store_module.store_name()


@pytest.mark.slow
def test_align_with_other_options_takes_the_findings_of_the_same_content_from_the_store(cli, banco, judged):
    formats = ["json", "sarif", "concise", "github", "junit"]
    cold = [align(cli, banco, "--format", f, env=NO_CACHE) for f in formats]
    judged.clear()
    for wanted, form in zip(cold, formats, strict=True):
        result = align(cli, banco, "--format", form)
        assert (result.exit_code, result.stdout) == (wanted.exit_code, wanted.stdout)
    assert len(judged) == 1  # the first run judged; the other formats took its findings

    # Options that keep or drop findings apply to the kept ones as to new ones.
    chosen = ("--format", "json", "--select", "OKR1", "--ignore", "OKR101")
    picked = align(cli, banco, *chosen)
    assert len(judged) == 1
    assert picked.stdout == align(cli, banco, *chosen, env=NO_CACHE).stdout

    # Another day, other cycles, other bytes: judged again, and the same as without the store.
    for args in (["--today", "2026-10-05"], ["--cycle", "all"]):
        judged.clear()
        result = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "json", *args)
        alone = cli("align", "--repo", str(banco), "--today", DEMO_DAY, "--format", "json", *args, env=NO_CACHE)
        assert (result.exit_code, result.stdout) == (alone.exit_code, alone.stdout)
        assert len(judged) == 2
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 91")
    judged.clear()
    result = align(cli, banco, "--format", "sarif")
    assert result.stdout == align(cli, banco, "--format", "sarif", env=NO_CACHE).stdout
    assert len(judged) == 2


def test_a_run_that_asks_about_some_files_neither_reads_nor_keeps_findings(cli, banco, judged):
    align(cli, banco, "--format", "json")
    judged.clear()
    asked = str(banco / DISCOVER)
    result = align(cli, banco, "--format", "json", asked)
    assert result.exit_code == 0, result.output
    assert result.stdout == align(cli, banco, "--format", "json", asked, env=NO_CACHE).stdout
    assert len(judged) == 2
    with sqlite3.connect(store_file()) as db:
        assert db.execute("SELECT count(*) FROM findings").fetchone()[0] == 1


@pytest.mark.parametrize(
    "damage",
    [
        b"not zlib",
        zlib.compress(b"[1, 2]"),
        zlib.compress(
            b'{"okrctl.rules.cadence": [["OKR502", "warning", "a.yaml", "1", 1, "m", "", {}, "", false, false]]}'
        ),
        zlib.compress(
            b'{"okrctl.rules.cadence": [["OKR502", "warning", "a.yaml", 1, 1, "m", "", {"a": 1}, "", false, false]]}'
        ),
        zlib.compress(b'{"okrctl.rules.cadence": [["OKR502", "warning"]]}'),
        zlib.compress(b"\xff\xfe"),
    ],
    ids=["not compressed", "a list", "a line as text", "data not text", "a short row", "not UTF-8"],
)
def test_damaged_findings_in_the_store_are_found_again(cli, banco, judged, damage):
    """The store is trusted for where it is, but may be damaged: what ``keep`` cannot have written
    is read as nothing kept."""
    cold = align(cli, banco, "--format", "json", env=NO_CACHE)
    align(cli, banco, "--format", "concise")
    with sqlite3.connect(store_file()) as db:
        assert db.execute("UPDATE findings SET data=?", (damage,)).rowcount == 1
    judged.clear()
    result = align(cli, banco, "--format", "json")
    assert (result.exit_code, result.stdout, result.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert len(judged) == 1


def test_the_base_of_a_pull_request_judged_that_day_on_its_branch_is_not_judged_again(cli, banco, judged):
    git(banco, "checkout", "-q", "-b", "feature")
    align(cli, banco, "--format", "concise")  # the job on main: the base's content judged today
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 80")
    commit_at(banco, "2026-11-16", "lower the bar")
    judged.clear()
    gate = align(cli, banco, "--format", "json", "--baseline", "main")
    assert len(judged) == 1  # the branch's content only
    alone = align(cli, banco, "--format", "json", "--baseline", "main", env=NO_CACHE)
    assert (gate.exit_code, gate.stdout) == (alone.exit_code, alone.stdout)
    moved = [f for f in json.loads(gate.stdout)["findings"] if f["code"] == "OKR601"]
    assert len(moved) == 1 and moved[0]["new"] is True  # git history is read every time


def test_a_target_moved_in_history_is_judged_from_history_every_time(cli, banco, judged):
    """OKR601 reads git, not only the files: the same content with another history has other
    findings (a moved target squashed into the commit that wrote it is no move any more)."""
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 80")
    commit_at(banco, "2026-10-20", "lower the bar")
    before = json.loads(align(cli, banco, "--format", "json").stdout)["findings"]
    assert [f["code"] for f in before if f["code"] == "OKR601"] == ["OKR601"]
    git(banco, "reset", "-q", "--soft", "HEAD~1")
    git(banco, "commit", "-q", "--amend", "--no-edit")
    after = align(cli, banco, "--format", "sarif")
    assert "OKR601" not in json.dumps([r["ruleId"] for r in json.loads(after.stdout)["runs"][0]["results"]])
    assert after.stdout == align(cli, banco, "--format", "sarif", env=NO_CACHE).stdout


def test_diff_of_two_sides_with_the_same_files_judges_them_once(cli, banco, judged):
    judged.clear()
    same = cli("diff", "HEAD", "--repo", str(banco), "--today", DEMO_DAY, env=NO_CACHE)
    assert same.exit_code == 0, same.output
    assert "No OKR changes" in same.stdout
    assert len(judged) == 1


def test_diff_takes_both_sides_findings_from_the_store_when_align_judged_them(cli, banco, judged):
    align(cli, banco, "--format", "concise")  # the committed content
    edit(banco / DISCOVER, r"^    target: 90$", "    target: 80")
    align(cli, banco, "--format", "concise")  # the working tree's
    judged.clear()
    result = cli("diff", "HEAD", "--repo", str(banco), "--today", DEMO_DAY, "--format", "json")
    assert judged == []
    alone = cli("diff", "HEAD", "--repo", str(banco), "--today", DEMO_DAY, "--format", "json", env=NO_CACHE)
    assert (result.exit_code, result.stdout) == (alone.exit_code, alone.stdout)
    assert "80" in result.stdout


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many check-ins the repository held that each ``align`` judged in this process."""
    import okrctl.rules as rules

    counts: list[int] = []
    real = rules.run

    def run(repo, *args, **kwargs):
        counts.append(len(repo.checkins))
        return real(repo, *args, **kwargs)

    monkeypatch.setattr(rules, "run", run)
    return counts


def test_align_of_a_content_judged_that_day_reads_no_check_in(cli, banco, loaded):
    """Every family that reads check-ins has its findings kept: the load leaves every check-in
    out, and says the same (the same findings, the same count of documents)."""
    day = ("--today", "2026-10-05")  # dozens of check-ins dated after it: OKR502 on each
    first = align(cli, banco, "--format", "json", *day)
    assert loaded[-1] > 0 and json.loads(first.stdout)["summary"]["error"] > 20
    for form in ("sarif", "json", "concise"):
        result = align(cli, banco, "--format", form, *day, "--no-history")
        alone = align(cli, banco, "--format", form, *day, "--no-history", env=NO_CACHE)
        assert (result.exit_code, result.stdout) == (alone.exit_code, alone.stdout)
        assert loaded[-2] == 0  # (the last is the run without the store)
    # Not for a baseline, nor for some files: those read what they need.
    align(cli, banco, "--format", "json", *day, str(banco / DISCOVER))
    assert loaded[-1] > 0


def test_a_check_in_silenced_by_its_comment_stays_silent_when_findings_are_kept(cli, banco, loaded):
    checkin = sorted((banco / "checkins" / "cards").glob("*.yaml"))[-1]
    named = f'"{checkin.relative_to(banco).as_posix()}"'
    day = ("--today", "2026-10-05")
    assert named in align(cli, banco, "--format", "json", *day, env=NO_CACHE).stdout  # OKR502 there
    checkin.write_text("# okrctl: ignore[OKR502]\n" + checkin.read_text(encoding="utf-8"), encoding="utf-8")
    alone = align(cli, banco, "--format", "json", *day, env=NO_CACHE)
    assert named not in alone.stdout
    align(cli, banco, "--format", "concise", *day)
    result = align(cli, banco, "--format", "json", *day)
    assert loaded[-1] == 0
    assert result.stdout == alone.stdout


def test_findings_pruned_while_the_load_ran_are_still_those_of_the_run(cli, banco, loaded, monkeypatch):
    """The load chose to read no check-in because the store kept the findings; another okrctl
    pruned them before the rules asked: the run still gives them, never the findings of a
    repository without check-ins."""
    import okrctl.rules.memo as memo

    day = ("--today", "2026-10-05")
    alone = align(cli, banco, "--format", "json", *day, "--no-history", env=NO_CACHE)
    align(cli, banco, "--format", "concise", *day)
    real = memo.lighter_scope

    def then_pruned(repo, today, cycles):
        light = real(repo, today, cycles)
        with sqlite3.connect(store_file()) as db:
            db.execute("DELETE FROM findings")
        return light

    monkeypatch.setattr(memo, "lighter_scope", then_pruned)
    result = align(cli, banco, "--format", "json", *day, "--no-history")
    assert loaded[-1] == 0
    assert (result.exit_code, result.stdout) == (alone.exit_code, alone.stdout)


def test_a_broken_file_saved_while_the_rules_read_it_leaves_no_findings_behind(cli, banco, monkeypatch):
    """A file that is not YAML is read again by the rules for what it declares. Saved between the
    load and the rules, it gave them other bytes: that run's findings were kept under the first
    bytes' digest, and later runs on those bytes answered with them (an objective id the first
    bytes declare called unknown)."""
    import okrctl.rules as rules

    objective = banco / "okrs" / "2026-Q4" / "digital-services.yaml"
    first = objective.read_text(encoding="utf-8") + "oops: [unclosed\n"
    saved = first.replace("id: digital-first-week", "id: zzzzz-first-week")
    objective.write_text(first, encoding="utf-8")
    real = rules.run

    def saved_meanwhile(*args, **kwargs):
        objective.write_text(saved, encoding="utf-8")
        return real(*args, **kwargs)

    monkeypatch.setattr(rules, "run", saved_meanwhile)
    align(cli, banco, "--format", "json", "--today", "2026-12-05")
    monkeypatch.setattr(rules, "run", real)
    objective.write_text(first, encoding="utf-8")
    for command in (("align", "--format", "json"), ("diff", "HEAD", "--format", "json")):
        kept = cli(*command, "--repo", str(banco), "--today", "2026-12-05")
        alone = cli(*command, "--repo", str(banco), "--today", "2026-12-05", env=NO_CACHE)
        assert (kept.exit_code, kept.stdout) == (alone.exit_code, alone.stdout)
    assert "zzzzz" not in alone.stdout
