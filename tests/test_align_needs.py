"""``align`` leaves out the check-ins its rules do not read (``okrctl.rules.needs``): the findings
must be exactly those of a load of every check-in, from a cold run, a warm store and a store
restored on a fresh checkout.

The organisation is a synthetic year of weekly check-ins, with a problem planted in the check-ins
of ended cycles for each reason a check-in is needed (see the module docstring of ``rules.needs``).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from okrctl.load.pipeline import load_repo
from okrctl.rules import run
from okrctl.rules.base import default_cycles
from okrctl.rules.needs import CheckinNeeds, align_scope, narrowed
from tests.conftest import git

TODAY = date(2026, 11, 20)
HEAD = "apiVersion: okrctl/v1\nkind: CheckIn\n"


def _checkin(owner: str, day: str, results: str, confidence: str = "6", extra: str = "") -> str:
    return f"{extra}{HEAD}owner: {owner}\ndate: {day}\nconfidence: {confidence}\nresults:\n{results}"


def _plant(root: Path) -> None:
    """One problem for each reason a check-in of an ended cycle is still read."""
    c = root / "checkins"
    # An owner that is no unit (OKR104), though it owns an objective whose keys the check-in names.
    (c / "ghost").mkdir()
    for day in ("2026-01-30", "2026-02-06"):
        (c / "ghost" / f"{day}.yaml").write_text(_checkin("ghost-team", day, "  activation: 41\n"))
    (root / "okrs" / "2026-Q1" / "ghost.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: ghost-q1\nowner: ghost-team\ncycle: 2026-Q1\n"
        "title: Ghosts are seen\nkey_results:\n  - {id: activation, title: Activation doubles, baseline: 1, target: 2}\n"
    )
    # A result key that names no key result of the owner on that day (OKR104).
    (c / "team-0001" / "2026-02-06.yaml").write_text(
        _checkin("team-0001", "2026-02-06", "  activation: 41\n  actvation: 42\n")
    )
    # The same key, silenced by a comment in the document.
    (c / "team-0002" / "2026-02-13.yaml").write_text(
        _checkin("team-0002", "2026-02-13", "  tickets: 190\n  tikets: 180\n", extra="# okrctl: ignore[OKR104]\n")
    )
    # A misspelt okrctl comment (OKR107): a valid check-in of an ended cycle with a finding of its own.
    (c / "team-0002" / "2026-02-20.yaml").write_text(
        _checkin("team-0002", "2026-02-20", "  tickets: 185\n", extra="# okrctl: ignroe[OKR104]\n")
    )
    # A second check-in for one owner and date (OKR102).
    (c / "team-0002" / "again-2026-03-06.yaml").write_text(_checkin("team-0002", "2026-03-06", "  tickets: 180\n"))
    # ... the first of them broken (OKR101): the valid one, after it in path order, is the second.
    (c / "team-0002" / "0-2026-03-20.yaml").write_text(
        _checkin("team-0002", "2026-03-20", "  tickets: 180\n").replace("\nconfidence:", "\nconfidnce:")
    )
    # Outside every cycle of the owner's objectives (OKR502).
    (c / "team-0003" / "2025-12-26.yaml").write_text(_checkin("team-0003", "2025-12-26", "  tickets: 199\n"))
    # A confidence per objective, one of which does not exist (OKR104).
    (c / "team-0004" / "2026-05-01.yaml").write_text(
        _checkin("team-0004", "2026-05-01", "  tickets: 190\n", confidence="{team-0004-2026-q2: 7, nope: 3}")
    )
    # Two check-ins in one file, the second with a key that names nothing.
    (c / "team-0001" / "two.yaml").write_text(
        _checkin("team-0001", "2026-05-02", "  uptime: 99.95\n")
        + "---\n"
        + _checkin("team-0001", "2026-05-03", "  uptme: 99.95\n")
    )
    # true for a metric key result (OKR101, judged for the selected cycles): one in Q1, one in Q4.
    for day in ("2026-03-13", "2026-11-13"):
        (c / "team-0003" / f"{day}.yaml").write_text(_checkin("team-0003", day, "  tickets: true\n"))
    # A team that stopped checking in when Q3 ended (OKR501 says since when).
    for path in (c / "team-0005").glob("2026-1[0-2]-*.yaml"):
        path.unlink()
    # The company's yearly objective depends on team-0000, whose Q4 confidence fell (OKR404 with
    # --cycle 2026: the provider's cycle is not among the selected ones).
    (root / "okrs" / "2026").mkdir()
    (root / "okrs" / "2026" / "corp.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: corp-2026\nowner: corp\ncycle: 2026\n"
        "title: Synthetic Corp doubles\naligns: [{to: strategy-2026/grow}]\n"
        "depends_on: [{unit: team-0000, need: the activation work}]\n"
        "key_results:\n  - {id: revenue, title: Revenue doubles, baseline: 100, target: 200}\n"
    )
    for day, confidence in (("2026-11-06", "8"), ("2026-11-13", "8"), ("2026-11-20", "4")):
        path = c / "team-0000" / f"{day}.yaml"
        text = path.read_text()
        start = text.index("confidence: ")
        end = text.index("\n", start)
        path.write_text(text[:start] + f"confidence: {confidence}" + text[end:])


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.bench.synth import build

    root = tmp_path_factory.mktemp("needs") / "org"
    build(root, teams=6, units_per_bu=3, weeks=52)
    _plant(root)
    return root


@pytest.fixture
def org(planted: Path, tmp_path: Path) -> Path:
    target = tmp_path / "org"
    shutil.copytree(planted, target)
    return target


def _rows(findings: list) -> list[tuple]:
    return [(f.code, f.severity, f.path, f.line, f.column, f.message, f.hint, f.fingerprint) for f in findings]


def _cycles(repo, today: date, cycle: str | None) -> set[str]:
    return {cycle} if cycle else default_cycles(repo, today)


def _scoped(root: Path, today: date, cycle: str | None, *, use_cache: bool):
    return load_repo(root, use_cache=use_cache, scope=lambda repo: align_scope(repo, today, cycle))


def _findings(repo, today: date, cycle: str | None) -> list[tuple]:
    return _rows(run(repo, today, cycles=_cycles(repo, today, cycle), history=False))


SCENARIOS = [
    (TODAY, None),
    (TODAY, "2026-Q1"),
    (TODAY, "2026"),
    (TODAY, "2026-Q2"),
    (TODAY, "2026-Q4"),
    (date(2026, 8, 14), None),
    (date(2026, 12, 31), None),
    (date(2027, 1, 8), None),
]


def test_the_planted_problems_are_found(org: Path) -> None:
    """The organisation holds what it is meant to: otherwise the comparison below proves little."""
    full = load_repo(org, use_cache=False)
    found = {(code, path) for code, _s, path, *_ in _findings(full, TODAY, None)}
    assert ("OKR104", "checkins/ghost/2026-01-30.yaml") in found
    assert ("OKR104", "checkins/team-0001/2026-02-06.yaml") in found
    assert ("OKR104", "checkins/team-0001/two.yaml") in found
    assert ("OKR104", "checkins/team-0004/2026-05-01.yaml") in found
    assert ("OKR102", "checkins/team-0002/again-2026-03-06.yaml") in found
    assert ("OKR102", "checkins/team-0002/2026-03-20.yaml") in found
    assert ("OKR502", "checkins/team-0003/2025-12-26.yaml") in found
    assert ("OKR107", "checkins/team-0002/2026-02-20.yaml") in found
    assert ("OKR101", "checkins/team-0003/2026-11-13.yaml") in found
    assert ("OKR101", "checkins/team-0003/2026-03-13.yaml") not in found  # Q1 is not a selected cycle
    q1 = {(code, path) for code, _s, path, *_ in _findings(full, TODAY, "2026-Q1")}
    assert ("OKR101", "checkins/team-0003/2026-03-13.yaml") in q1
    assert not any(path == "checkins/team-0002/2026-02-13.yaml" for _code, path in found)  # ignored
    stale = [f for f in _findings(full, TODAY, None) if f[0] == "OKR501" and "team-0005" in f[5]]
    assert stale and "since 2026-09-25" in stale[0][5]
    yearly = {(code, path) for code, _s, path, *_ in _findings(full, TODAY, "2026")}
    assert ("OKR404", "okrs/2026/corp.yaml") in yearly


@pytest.mark.parametrize(("today", "cycle"), SCENARIOS)
def test_align_reads_fewer_checkins_and_finds_the_same(
    org: Path, monkeypatch: pytest.MonkeyPatch, today: date, cycle: str | None
) -> None:
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    full = load_repo(org, use_cache=False)
    expected = _findings(full, today, cycle)
    documents = len(full.docs)
    # Without a store: every file is analysed, and the check-ins not needed are dropped unbuilt.
    # With a store: the first run fills it, the next ones decide from its index (by the stat
    # table's summaries, then, on a fresh checkout, by the store's own index).
    for label, use_cache in (("no store", False), ("new store", True), ("warm store", True)):
        repo = _scoped(org, today, cycle, use_cache=use_cache)
        assert _findings(repo, today, cycle) == expected, label
        assert len(repo.docs) + repo.left_out == documents, label
        assert repo.left_out > 0, label  # the point of it: not every check-in was read
    _forget_stats()
    repo = _scoped(org, today, cycle, use_cache=True)
    assert _findings(repo, today, cycle) == expected, "restored store"
    assert len(repo.docs) + repo.left_out == documents


def _forget_stats() -> None:
    """What a fresh checkout is to the store: no file known by its stat."""
    from okrctl.load.store import cache_root, store_name

    folder = cache_root()
    assert folder is not None
    paths = list(folder.rglob(store_name()))
    assert paths
    for path in paths:
        with sqlite3.connect(path) as db:
            db.execute("DELETE FROM stats")
            db.execute("DELETE FROM memo")


def test_the_command_prints_what_a_full_load_prints(org: Path, cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """End to end, the JSON of ``align`` (its counts included) is that of a load of everything."""
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    args = ("align", "--repo", str(org), "--today", TODAY.isoformat(), "--format", "json", "--no-history")
    first = cli(*args)
    second = cli(*args, "--select", "OKR")  # a new option: computed again, from the store's index
    monkeypatch.setattr(CheckinNeeds, "wanted", lambda self, owner, day, keys: True)
    everything = cli(*args, "--no-cache")
    assert first.exit_code == second.exit_code == everything.exit_code == 1
    assert json.loads(first.stdout) == json.loads(everything.stdout) == json.loads(second.stdout)
    assert json.loads(first.stdout)["summary"]["documents"] > 300


@pytest.mark.parametrize(("today", "cycle"), [(TODAY, None), (TODAY, "2026"), (date(2026, 8, 14), None)])
def test_with_worker_processes_a_checkin_not_needed_is_never_built(
    org: Path, monkeypatch: pytest.MonkeyPatch, today: date, cycle: str | None
) -> None:
    """A new store and many files: worker processes read and store the files, and send each
    check-in back with its owner, date and keys; those not needed never get a model."""
    import okrctl.load.pipeline as pipeline

    monkeypatch.delenv("OKRCTL_NO_CACHE")
    monkeypatch.setenv("OKRCTL_JOBS", "2")
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 10)
    full = load_repo(org, use_cache=False)
    built: list[str] = []
    real = pipeline._from_entry

    def spy(doc):
        built.append(doc.path)
        return real(doc)

    monkeypatch.setattr(pipeline, "_from_entry", spy)
    repo = _scoped(org, today, cycle, use_cache=True)
    assert _findings(repo, today, cycle) == _findings(full, today, cycle)
    assert len(repo.docs) + repo.left_out == len(full.docs)
    if (os.cpu_count() or 1) > 1:  # workers can be started
        checkins = sum(1 for d in full.docs if d.kind == "CheckIn")
        assert 0 < len(built) < checkins - repo.left_out + 1
        assert repo.left_out > 0
    # The next run decides from what the first wrote down, and finds the same.
    again = _scoped(org, today, cycle, use_cache=True)
    assert _findings(again, today, cycle) == _findings(full, today, cycle)


def test_a_cycle_that_runs_to_the_last_day_there_is(tmp_path: Path, cli) -> None:
    """A cycle may end on 9999-12-31 (``9999``, or a declared one): deciding on the check-ins of
    its owner outside it must not step past the last date."""
    root = tmp_path / "r"
    (root / "checkins").mkdir(parents=True)
    (root / "okrctl.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Config\ncycles:\n  - {id: ongoing, start: 2026-07-01, end: 9999-12-31}\n"
    )
    (root / "team-a.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: team-a\nname: Team A\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Objective\nid: a-someday\nowner: team-a\ncycle: 9999\ntitle: Someday\n"
        "key_results:\n  - {id: k, title: K rises, baseline: 1, target: 2}\n---\n"
        "apiVersion: okrctl/v1\nkind: Objective\nid: a-ongoing\nowner: team-a\ncycle: ongoing\ntitle: Ongoing\n"
        "key_results:\n  - {id: k, title: K rises, baseline: 1, target: 2}\n"
    )
    for day in ("2026-02-06", "2026-02-13", "2026-08-07", "2026-08-14"):
        (root / "checkins" / f"{day}.yaml").write_text(_checkin("team-a", day, "  k: 1.5\n"))
    full = load_repo(root, use_cache=False)
    for cycle in (None, "2026-Q1", "9999"):
        assert _findings(_scoped(root, TODAY, cycle, use_cache=False), TODAY, cycle) == _findings(full, TODAY, cycle)
    result = cli("align", "--repo", str(root), "--today", TODAY.isoformat(), "--format", "concise")
    assert result.exit_code == 1, result.stderr
    assert "outside every cycle" in result.stdout


@pytest.mark.parametrize(("today", "cycle"), SCENARIOS)
def test_a_repository_loaded_whole_is_narrowed_to_the_same_findings(org: Path, today: date, cycle: str | None) -> None:
    """``diff`` loads both sides whole (it compares every check-in) and narrows each for its rules."""
    full = load_repo(org, use_cache=False)
    judged = narrowed(full, today, _cycles(full, today, cycle))
    assert _findings(judged, today, cycle) == _findings(full, today, cycle)
    assert len(judged.docs) + judged.left_out == len(full.docs)
    assert judged.left_out > 0
    assert narrowed(full, today, None) is full  # every cycle: every check-in


def _drop_tickets(org: Path) -> tuple[Path, str]:
    """Remove the key result ``tickets`` from team-0003's objective of 2026-Q1 (an ended cycle);
    the objective's file and its text before."""
    objective = org / "okrs" / "2026-Q1" / "team-0003.yaml"
    text = objective.read_text()
    start = text.index("  - id: tickets")
    end = text.index("  - ", start + 4)
    objective.write_text(text[:start] + text[end:])
    return objective, text


def test_diff_finds_what_it_found_with_every_checkin_read(org: Path, cli, git_repo, monkeypatch) -> None:
    """A change that removes a key result of an ended cycle: its check-ins are needed at the head
    (they now name nothing) and not at the base. Both sides' findings must be those of the rules
    run on every check-in."""
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    git_repo(org)
    git(org, "checkout", "-q", "-b", "change")
    _drop_tickets(org)
    (org / "checkins" / "team-0004" / "2026-11-20.yaml").unlink()
    git(org, "commit", "-qam", "drop a key result")
    args = ["diff", "main", "change", "--repo", str(org), "--today", TODAY.isoformat(), "--format", "json"]
    narrow = cli(*args)
    working = cli("diff", "main", "--repo", str(org), "--today", TODAY.isoformat(), "--format", "json")
    import okrctl.rules.needs as needs

    monkeypatch.setattr(needs, "narrowed", lambda repo, today, cycles: repo)
    whole = cli(*args)
    assert narrow.exit_code == whole.exit_code == working.exit_code == 0, narrow.stderr
    assert json.loads(narrow.stdout) == json.loads(whole.stdout)
    assert json.loads(working.stdout)["findings"] == json.loads(whole.stdout)["findings"]
    findings = json.loads(whole.stdout)["findings"]
    assert any(
        "'tickets'" in f["message"] and f["path"].startswith("checkins/team-0003/") for f in findings["introduced"]
    )


def test_align_against_a_baseline_finds_what_it_found_with_every_checkin_read(
    org: Path, cli, git_repo, monkeypatch
) -> None:
    """With a baseline both sides read only the check-ins their rules need, and the base decides on
    its whole repository, the documents it borrows from the working tree included. Its findings,
    new and existing, must be those of every check-in read: a key result removed on the branch
    (its ended cycle's check-ins are needed at the head, not at the base), and a second check-in
    for one owner and day whose file changed on the branch (at the base the pair is needed, and
    one of them is borrowed from the working tree)."""
    monkeypatch.delenv("OKRCTL_NO_CACHE")
    git_repo(org)
    git(org, "checkout", "-q", "-b", "change")
    _drop_tickets(org)
    again = org / "checkins" / "team-0002" / "again-2026-03-06.yaml"
    again.write_text(again.read_text().replace("confidence: 6", "confidence: 5"))
    git(org, "commit", "-qam", "drop a key result, reword a duplicate")
    args = ["align", "--baseline", "main", "--repo", str(org), "--today", TODAY.isoformat(), "--format", "json"]
    args += ["--no-history", "--show-existing"]
    scoped = cli(*args)
    warm = cli(*args, "--select", "OKR")  # a new option: computed again, from the store's index
    monkeypatch.setattr(CheckinNeeds, "wanted", lambda self, owner, day, keys: True)
    everything = cli(*args, "--no-cache")
    assert scoped.exit_code == warm.exit_code == everything.exit_code == 1, scoped.stderr
    assert json.loads(scoped.stdout) == json.loads(warm.stdout) == json.loads(everything.stdout)
    findings = json.loads(everything.stdout)["findings"]
    assert any(
        f["new"] and "'tickets'" in f["message"] and f["path"].startswith("checkins/team-0003/") for f in findings
    )
    twice = [f for f in findings if f["code"] == "OKR102"]
    assert twice and not any(f["new"] for f in twice)  # at the base already


def test_a_base_reads_itself_the_checkins_the_working_tree_left_unread(org: Path, git_repo, monkeypatch) -> None:
    """The base may need check-ins that the working tree's load did not read: here the branch
    restores a key result that the base lacks, so at the base the ended cycle's check-ins that name
    it are findings, and at the head they are not needed. The base reads them itself: its findings
    are those of every check-in read."""
    from okrctl.load.gitref import load_ref
    from okrctl.rules.baseline import baseline_findings

    monkeypatch.delenv("OKRCTL_NO_CACHE")
    git_repo(org)
    objective, whole = _drop_tickets(org)
    git(org, "commit", "-qam", "drop a key result")
    git(org, "checkout", "-q", "-b", "restore")
    objective.write_text(whole)

    def findings(repo, moves=None) -> list:
        return run(repo, TODAY, cycles=_cycles(repo, TODAY, None), history=False)

    head = _scoped(org, TODAY, None, use_cache=True)
    assert head.left_out > 0
    before, _commits, _base = baseline_findings(
        org, "main", findings, head, scope=lambda repo: align_scope(repo, TODAY, None)
    )
    expected = findings(load_ref(org, "main", use_cache=False))
    assert _rows(before) == _rows(expected)
    assert any("'tickets'" in f.message and f.path.startswith("checkins/team-0003/") for f in expected)
