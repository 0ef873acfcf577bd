"""``checkin`` for one team parses the files it depends on, not every check-in of the organisation
(``load_repo(skim=True)``), and answers exactly as a load of everything does."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import okrctl.load.pipeline as pipeline
from okrctl.load import store as store_module
from okrctl.load.store import digest
from okrctl.model import KINDS

TEAM = "team-0001"
CHECKIN_RUNS = [
    ("checkin", "--team", TEAM, "--date", "2026-06-17", "-c", "9", "--dry-run", "--today", "2026-06-19"),
    ("checkin", "--team", TEAM, "--date", "2026-05-29", "--amend", "-c", "1", "--dry-run", "--today", "2026-06-19"),
    ("checkin", "--team", "team-0003", "--date", "2026-11-18", "-c", "4", "--dry-run", "--today", "2026-11-20"),
]


@pytest.fixture(scope="module")
def synth_org(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.bench.synth import build

    root = tmp_path_factory.mktemp("skim") / "org"
    build(root, teams=4, units_per_bu=2, weeks=52)
    return root


@pytest.fixture
def org(synth_org: Path, tmp_path: Path) -> Path:
    target = tmp_path / "org"
    shutil.copytree(synth_org, target)
    return target


def _full_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every later load reads every document (no scope, no skimming)."""
    real = pipeline.load_repo

    def everything(*args, **kwargs):
        kwargs.pop("scope", None)
        kwargs.pop("skim", None)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "load_repo", everything)


def _stored_digests() -> set[str]:
    folder = store_module.cache_root()
    assert folder is not None
    with sqlite3.connect(folder / store_module.store_name()) as db:
        return {row[0] for row in db.execute("SELECT digest FROM entries")}


def _runs(cli, org: Path) -> list[tuple[int, str, str]]:
    return [(r.exit_code, r.stdout, r.stderr) for r in (cli(*command, "--repo", str(org)) for command in CHECKIN_RUNS)]


# ----- judging bytes ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", [k for k in KINDS if k != "CheckIn"])
def test_a_file_naming_any_other_kind_is_not_taken_for_check_ins_only(kind: str) -> None:
    assert not pipeline.checkins_only(f"kind: CheckIn\n---\nkind: {kind}\n".encode())
    assert not pipeline.checkins_only(f"kind: {kind}\n".encode())


def test_only_a_file_naming_checkin_without_escapes_is_taken_for_check_ins_only() -> None:
    assert pipeline.checkins_only(b"apiVersion: okrctl/v1\nkind: CheckIn\nowner: team-a\n")
    assert pipeline.checkins_only(b'{"kind": "CheckIn", "owner": "team-a"}')
    # An escape could spell any name: "Obj\x65ctive", "team-\x61".
    assert not pipeline.checkins_only(b'kind: "Obj\\x65ctive"\nnote: CheckIn\n')
    assert not pipeline.checkins_only(b"kind: Objectiv\n")  # no CheckIn at all: a mistake, parsed
    assert pipeline.mentions(b"owner: team-a\n", frozenset({"team-b", "team-a"}))
    assert not pipeline.mentions(b"owner: team-b\n", frozenset({"team-a"}))


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        (b"kind: CheckIn\nowner: team-a\ndate: 2026-12-04\n", "~team-a"),
        (b"kind: CheckIn\r\nowner:\tteam-a  \r\nissues: [a, b]\n", "~team-a"),
        (b"kind: CheckIn\nowner: team-a\nissues: [the owner said]\n", None),  # the word twice
        (b"kind: CheckIn\nowner: team-a\n---\nkind: CheckIn\nowner: team-b\n", None),  # two documents
        (b'kind: CheckIn\nowner: "team-a"\n', None),  # quoted: not told by the line
        (b"kind: CheckIn\n  owner: team-a\n", None),  # not at the start of a line
        (b"kind: CheckIn\nowner: team-a # who\n", None),
        (b"kind: CheckIn\nowner: *who\n", None),
        (b"{kind: CheckIn, owner: team-a}\n", None),
        (b"kind: CheckIn\nowner: Team-A\n", None),
        # An anchored key and an alias make an owner key without writing the word twice.
        (b"kind: CheckIn\ndate: 2026-11-27\nresults: {? &k\nowner: 7\n }\n*k : team-b\n", None),
    ],
)
def test_a_skim_mark_names_the_one_owner_a_file_can_have_or_nothing(text: bytes, mark: str | None) -> None:
    assert pipeline.skim_mark(text) == mark


# ----- what checkin reads# ----- what checkin reads ----------------------------------------------------------------------------
def test_a_one_team_checkin_parses_none_of_the_other_teams_check_ins(cli, org, parsed, monkeypatch) -> None:
    mine = {p.relative_to(org).as_posix() for p in (org / "checkins" / TEAM).glob("*.yaml")}
    others = {p.relative_to(org).as_posix() for p in (org / "checkins").rglob("*.yaml") if p.parent.name != TEAM}
    result = cli(*CHECKIN_RUNS[0], "--repo", str(org))
    assert result.exit_code == 0, result.stderr
    assert not others & set(parsed)
    assert mine <= set(parsed)  # the team's own, and everything that is not a check-in
    assert {p.relative_to(org).as_posix() for p in (org / "okrs").rglob("*.yaml")} <= set(parsed)


def test_checkin_with_a_cold_store_answers_like_a_load_of_everything(cli, org, parsed, monkeypatch) -> None:
    skimmed = _runs(cli, org)  # the first run starts with an empty store; the next ones skim again
    _full_load(monkeypatch)
    monkeypatch.setenv("OKRCTL_NO_CACHE", "1")
    assert _runs(cli, org) == skimmed
    assert all(code == 0 for code, _, _ in skimmed), skimmed


def test_the_workers_hold_back_other_teams_check_ins_and_store_only_what_was_parsed(
    cli, org, parsed, monkeypatch
) -> None:
    """With many files and a new store the workers read every file; they parse the ones that can
    hold more than check-ins, and hand the others back unparsed for the scope to choose from."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(pipeline, "_jobs", lambda: 2)
    first = cli(*CHECKIN_RUNS[0], "--repo", str(org))
    assert first.exit_code == 0, first.stderr
    stored = _stored_digests()
    team_files = sorted((org / "checkins" / TEAM).glob("*.yaml"))
    other_files = [p for p in (org / "checkins").rglob("*.yaml") if p.parent.name != TEAM]
    assert {digest(p.read_bytes()) for p in team_files} <= stored
    assert not {digest(p.read_bytes()) for p in other_files} & stored
    assert {digest(p.read_bytes()) for p in (org / "okrs").rglob("*.yaml")} <= stored
    # A warm store that lacks those entries holds them back the same way, and every answer is
    # the one a load of everything gives.
    skimmed = _runs(cli, org)  # team-0001 and team-0003
    untouched = [p for p in other_files if p.parent.name != "team-0003"]
    assert not {digest(p.read_bytes()) for p in untouched} & _stored_digests()
    _full_load(monkeypatch)
    monkeypatch.setenv("OKRCTL_NO_CACHE", "1")
    full = _runs(cli, org)
    assert full == skimmed
    assert full[0] == (first.exit_code, first.stdout, first.stderr)


def test_the_next_checkin_knows_which_files_to_leave_unread(cli, org, parsed, monkeypatch) -> None:
    """What a skim learnt of a file it left unparsed (its words) is kept by content digest: the
    next one-team check-in opens none of those files again, unless they may hold that team's."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now are recorded too
    reads: list[str] = []
    real = pipeline.read_file
    monkeypatch.setattr(pipeline, "read_file", lambda path: reads.append(str(path)) or real(path))
    first = cli(*CHECKIN_RUNS[0], "--repo", str(org))
    assert first.exit_code == 0, first.stderr
    folder = store_module.cache_root()
    assert folder is not None
    with sqlite3.connect(folder / store_module.store_name()) as db:
        kept = dict(db.execute("SELECT path, summary FROM stats"))
    others = [p for p in (org / "checkins").rglob("*.yaml") if p.parent.name != TEAM]
    assert {p.relative_to(org).as_posix(): pipeline.skim_mark(p.read_bytes()) for p in others}.items() <= kept.items()
    # Another team's check-in arrives (a pull), and the next check-in starts.
    (org / "checkins" / "team-0002" / "2026-12-30.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: team-0002\ndate: 2026-12-30\nconfidence: 5\n"
    )
    reads.clear()
    parsed.clear()
    again = cli(*CHECKIN_RUNS[2], "--repo", str(org))  # team-0003: team-0001's files are no longer wanted
    assert again.exit_code == 0, again.stderr
    opened = {Path(r).relative_to(org).as_posix() for r in reads}
    assert not {p for p in opened if p.startswith("checkins/") and not p.startswith("checkins/team-0003/")} - {
        "checkins/team-0002/2026-12-30.yaml"  # the new file is read once, to learn its words
    }
    assert not [p for p in parsed if p.startswith("checkins/") and not p.startswith("checkins/team-0003/")]
    _full_load(monkeypatch)
    monkeypatch.setenv("OKRCTL_NO_CACHE", "1")
    full = cli(*CHECKIN_RUNS[2], "--repo", str(org))
    assert (full.exit_code, full.stdout, full.stderr) == (again.exit_code, again.stdout, again.stderr)


def test_a_check_in_of_the_team_is_found_wherever_and_however_it_is_written(org, parsed) -> None:
    """Where a file is, or how it spells its YAML, never hides a check-in of the team."""
    from okrctl.load.pipeline import Scope, load_repo

    (org / "checkins" / "team-0002" / "misfiled.yaml").write_text(
        f'{{"apiVersion": "okrctl/v1", "kind": "CheckIn", "owner": "{TEAM}", "date": "2026-12-01"}}\n'
    )
    (org / "checkins" / "team-0002" / "second.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: team-0002\ndate: 2026-12-02\n"
        f"---\napiVersion: okrctl/v1\nkind: CheckIn\nowner: '{TEAM}'\ndate: 2026-12-02\n"
    )
    (org / "checkins" / "team-0002" / "aliased.yaml").write_text(
        f"apiVersion: okrctl/v1\nkind: CheckIn\ndate: 2026-12-07\nresults: {{? &k\nowner: 7\n }}\n*k : {TEAM}\n"
    )
    (org / "checkins" / "team-0002" / "escaped.yaml").write_text(
        'apiVersion: okrctl/v1\nkind: CheckIn\nowner: "team-000\\x31"\ndate: 2026-12-03\n'
    )
    repo = load_repo(org, scope=Scope(owners=frozenset({TEAM})), skim=True)
    dates = {str(d.model.date) for d in repo.checkins if d.model.owner == TEAM}
    assert {"2026-12-01", "2026-12-02", "2026-12-03", "2026-12-07"} <= dates
    assert {d.model.owner for d in repo.checkins} == {TEAM}
    assert not any(rel.startswith("checkins/team-0000/") for rel in parsed)


def test_a_broken_file_of_the_team_is_reported_and_other_teams_broken_files_are_not(org, parsed) -> None:
    from okrctl.load.pipeline import Scope, load_repo

    (org / "checkins" / TEAM / "broken.yaml").write_text(f"kind: CheckIn\nowner: {TEAM}\ndate: [\n")
    (org / "checkins" / "team-0002" / "broken.yaml").write_text("kind: CheckIn\nowner: team-0002\ndate: [\n")
    skimmed = load_repo(org, scope=Scope(owners=frozenset({TEAM})), skim=True)
    assert {f.path for f in skimmed.file_findings} == {f"checkins/{TEAM}/broken.yaml"}
    everything = load_repo(org, scope=Scope(owners=frozenset({TEAM})))
    assert {f.path for f in everything.file_findings} == {
        f"checkins/{TEAM}/broken.yaml",
        "checkins/team-0002/broken.yaml",
    }


def test_after_a_skim_every_other_command_answers_like_a_cold_run(cli, org, parsed, monkeypatch) -> None:
    """Files a check-in left unparsed (their stat rows carry a skim mark) are parsed by the next
    command that needs them, and their marks give way to what they hold."""
    from okrctl.load import cache as cache_module

    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)
    assert cli(*CHECKIN_RUNS[0], "--repo", str(org)).exit_code == 0

    def marks() -> list[str]:
        folder = store_module.cache_root()
        assert folder is not None
        with sqlite3.connect(folder / store_module.store_name()) as db:
            return [s for (s,) in db.execute("SELECT summary FROM stats") if s and s.startswith("~")]

    assert len(marks()) == 3 * 52  # the other teams' check-ins
    commands = [
        ("status", "--team", "team-0002", "--format", "json", "--today", "2026-11-20"),
        ("align", "--format", "json", "--no-history", "--today", "2026-11-20"),
        ("status", "--format", "json", "--today", "2026-11-20"),
    ]
    warm = [cli(*c, "--repo", str(org)) for c in commands]
    assert marks() == []  # align read every file: each row now says what its file holds
    monkeypatch.setenv("OKRCTL_NO_CACHE", "1")
    cold = [cli(*c, "--repo", str(org)) for c in commands]
    assert [(r.exit_code, r.stdout, r.stderr) for r in warm] == [(r.exit_code, r.stdout, r.stderr) for r in cold]


def test_a_broken_okrctl_yaml_is_never_skimmed(cli, org, parsed) -> None:
    """The configuration decides the confidence scale of what is written: an okrctl.yaml without
    its kind is a broken config, even if its bytes look like a file of check-ins only."""
    (org / "okrctl.yaml").write_text(
        "# Team CheckIn settings\napiVersion: okrctl/v1\norganization: Synthetic Corp\n"
        "checkin:\n  confidence: {min: 1, max: 5}\n"
    )
    result = cli("checkin", "--team", TEAM, "-c", "8", "--no-commit", "--repo", str(org), "--today", "2026-06-17")
    assert result.exit_code == 1
    assert result.stderr.startswith("okrctl: okrctl.yaml:") and "fix the config first" in result.stderr
    assert not (org / "checkins" / TEAM / "2026-06-17.yaml").exists()
