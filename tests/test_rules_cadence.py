"""OKR501–OKR508: each rule has a repository that triggers it and one that does not."""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, git
from tests.helpers_git import commit_at, edit

CONFIG = """\
apiVersion: okrctl/v1
kind: Config
checkin: {stale_after_days: 10, confidence: {min: 0, max: 10}}
"""
UNITS = """\
apiVersion: okrctl/v1
kind: Unit
id: org
type: company
---
apiVersion: okrctl/v1
kind: Unit
id: team-a
parent: org
"""
OBJECTIVE = """\
apiVersion: okrctl/v1
kind: Objective
id: {id}
owner: team-a
cycle: {cycle}
title: Objective {id}
aligns: [{{to: org-goal/growth}}]
key_results:
  - {{id: {kr}, title: Signups grow from 0 to 100, baseline: 0, target: 100}}
  - {{id: churn-{id}, title: Churn falls from 10 to 5, baseline: 10, target: 5}}
"""
STRATEGY = """\
apiVersion: okrctl/v1
kind: Strategy
id: org-goal
owner: org
cycle: "2026"
priorities: [{id: growth, title: Grow}]
"""


def make_repo(root: Path, checkins: dict[str, str], objectives: list[str] | None = None) -> Path:
    """A two-unit organisation with one objective of team-a in 2026-Q4 (unless given others)."""
    (root / "okrs").mkdir(parents=True)
    (root / "okrctl.yaml").write_text(CONFIG)
    (root / "units.yaml").write_text(UNITS)
    (root / "okrs" / "org.yaml").write_text(STRATEGY)
    for i, text in enumerate(objectives or [OBJECTIVE.format(id="grow", cycle="2026-Q4", kr="signups")]):
        (root / "okrs" / f"team-a-{i}.yaml").write_text(text)
    for name, body in checkins.items():
        path = root / "checkins" / f"{name}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            "apiVersion: okrctl/v1\nkind: CheckIn\nowner: team-a\n" + textwrap.dedent(body), encoding="utf-8"
        )
    return root


def checkin(day: str, confidence: object = 7, **results: object) -> str:
    lines = [f"date: {day}", f"confidence: {json.dumps(confidence)}"]
    if results:
        lines.append("results:")
        lines += [f"  {k.replace('__', '/')}: {json.dumps(v)}" for k, v in results.items()]
    return "\n".join(lines) + "\n"


def weekly(days: list[str], confidences: list[object], signups: list[float]) -> dict[str, str]:
    return {d: checkin(d, c, signups=s) for d, c, s in zip(days, confidences, signups, strict=True)}


WEEKS = ["2026-10-30", "2026-11-06", "2026-11-13", "2026-11-20"]


def findings(cli, root: Path, *args: str, today: str = DEMO_DAY, select: str = "OKR5") -> list[dict]:
    result = cli("align", "--repo", str(root), "--today", today, "--format", "json", "--select", select, *args)
    assert result.exit_code in (0, 1), result.stderr
    return json.loads(result.stdout)["findings"]


def codes(found: list[dict]) -> list[str]:
    return [f["code"] for f in found]


def test_a_healthy_team_has_no_cadence_finding(cli, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", weekly(WEEKS, [7, 7, 6, 7], [30, 38, 45, 52]))
    assert findings(cli, root) == []


# ----- OKR501 ----------------------------------------------------------------------------------------
def test_okr501_a_team_that_stopped_checking_in_is_stale(cli, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", weekly(WEEKS[:2], [7, 7], [30, 38]))
    found = findings(cli, root)
    assert codes(found) == ["OKR501"]
    assert found[0]["path"] == "okrs/team-a-0.yaml"
    assert found[0]["line"] == 4  # the owner line
    assert "since 2026-11-06 (14 days ago)" in found[0]["message"]
    assert found[0]["severity"] == "warning"
    # Ten days is still fine; eleven is not.
    assert findings(cli, root, today="2026-11-16") == []
    assert codes(findings(cli, root, today="2026-11-17")) == ["OKR501"]


def test_okr501_waits_until_the_cycle_is_older_than_the_allowed_gap(cli, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {})
    assert findings(cli, root, today="2026-10-11") == []
    found = findings(cli, root, today="2026-10-12")
    assert codes(found) == ["OKR501"] and "at all this cycle" in found[0]["message"]
    # Once the cycle is over nobody is asked to check in on it.
    assert findings(cli, root, "--cycle", "2026-Q4", today="2027-01-05", select="OKR501") == []


def test_okr501_not_for_a_team_whose_latest_checkin_has_a_misspelt_date(cli, tmp_path: Path) -> None:
    """The team did check in: its one mistake is the date (OKR101), not a stale team (issue: echo)."""
    misspelt = {**weekly(WEEKS[:2], [7, 7], [30, 38]), "2026-11-20": checkin("20-11-2026")}
    root = make_repo(tmp_path / "r", misspelt)
    found = findings(cli, root, select="OKR1,OKR5")
    assert [(f["code"], f["path"]) for f in found] == [("OKR101", "checkins/2026-11-20.yaml")]
    # Named otherwise, the check-in cannot be placed in time: it may be the latest, so it counts.
    (root / "checkins" / "2026-11-20.yaml").rename(root / "checkins" / "latest.yaml")
    found = findings(cli, root, select="OKR1,OKR5")
    assert [(f["code"], f["path"]) for f in found] == [("OKR101", "checkins/latest.yaml")]


@pytest.mark.parametrize(
    ("typed", "said"),
    [("2026-12-13", "is dated 2026-12-13, after tomorrow"), ("2025-11-13", "on 2025-11-13 is outside every cycle")],
    ids=["a month ahead", "a year back"],
)
def test_okr502_a_broken_checkin_whose_date_is_typed_wrong_is_one_finding_in_the_same_run(
    cli, tmp_path: Path, git_repo, typed: str, said: str
) -> None:
    """docs/rules.md, one finding per cause: the 2026-11-13 check-in, its month or year typed wrong
    and a key misspelt, gave the OKR101 and an OKR501 (stale since 2026-11-06); the OKR502 came
    only once the key was fixed. The date is read all the same: its OKR502 in the same run. The
    OKR501 stays, before and after: which day was meant cannot be told, and a misdated check-in
    that silenced it hid a team stale for weeks (a reviewer's `2025-10-09` for `2026-10-09`)."""
    broken = checkin(typed, 7, signups=45).replace("confidence:", "confidnce:")
    root = git_repo(make_repo(tmp_path / "r", {**weekly(WEEKS[:2], [7, 7], [30, 38]), "2026-11-13": broken}))

    def found() -> list[tuple[str, str, str]]:
        return [(f["code"], f["path"], f["fingerprint"]) for f in findings(cli, root, select="OKR1,OKR5")]

    first = found()
    misdated = [f for f in first if f[1] == "checkins/2026-11-13.yaml"]
    assert [code for code, _path, _fingerprint in misdated] == ["OKR502", "OKR101"]
    assert [code for code, _path, _fingerprint in first if _path != "checkins/2026-11-13.yaml"] == ["OKR501"]
    assert said in findings(cli, root, select="OKR502")[0]["message"]
    edit(root / "checkins/2026-11-13.yaml", "^confidnce:", "confidence:")
    assert sorted(found()) == sorted(f for f in first if f[0] != "OKR101")  # the same OKR502 and OKR501


def test_okr501_still_for_a_stale_team_beside_broken_checkins_that_do_not_help(cli, tmp_path: Path) -> None:
    # Its broken check-in is placed by its file name, before its last valid one.
    old = {**weekly(WEEKS[:2], [7, 7], [30, 38]), "2026-10-23": checkin("23-10-2026")}
    root = make_repo(tmp_path / "r", old)
    found = findings(cli, root, select="OKR1,OKR5")
    assert sorted(codes(found)) == ["OKR101", "OKR501"]
    assert "since 2026-11-06 (14 days ago)" in next(f["message"] for f in found if f["code"] == "OKR501")
    # Another unit's check-in whose date cannot be read says nothing about team-a.
    root = make_repo(tmp_path / "s", weekly(WEEKS[:2], [7, 7], [30, 38]))
    (root / "checkins" / "org.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: org\ndate: someday\nconfidence: 7\n", encoding="utf-8"
    )
    found = findings(cli, root, select="OKR1,OKR5")
    assert sorted(codes(found)) == ["OKR101", "OKR501"]


# ----- OKR502 ----------------------------------------------------------------------------------------
def test_okr502_a_checkin_dated_after_tomorrow(cli, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", weekly(WEEKS, [7, 7, 6, 7], [30, 38, 45, 52]))
    found = findings(cli, root, today="2026-11-18")
    assert codes(found) == ["OKR502"]
    assert found[0]["path"] == "checkins/2026-11-20.yaml" and found[0]["line"] == 4
    assert "dated 2026-11-20, after tomorrow (today is 2026-11-18)" in found[0]["message"]
    assert found[0]["severity"] == "error"


def test_okr502_spares_a_checkin_dated_tomorrow_written_in_a_time_zone_ahead(cli, tmp_path: Path) -> None:
    """A team east of the CI runner's clock (Sydney's Friday morning is Thursday in UTC) dates its
    check-in by its own day: one day ahead is no error, or the gate would refuse the team's own
    Friday check-in until midnight UTC. A reading likewise."""
    root = make_repo(tmp_path / "r", weekly(WEEKS, [7, 7, 6, 7], [30, 38, 45, 52]))
    (root / "readings").mkdir()
    (root / "readings" / "r.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Reading\nowner: team-a\ndate: 2026-11-20\nsource: kpis.csv\nvalues: {signups: 53}\n",
        encoding="utf-8",
    )
    assert codes(findings(cli, root, today="2026-11-19", select="OKR502")) == []
    found = findings(cli, root, today="2026-11-18", select="OKR502")
    assert sorted(f["path"] for f in found) == ["checkins/2026-11-20.yaml", "readings/r.yaml"]
    assert "reading of 'team-a' is dated 2026-11-20, after tomorrow" in next(
        f["message"] for f in found if f["path"] == "readings/r.yaml"
    )


def test_okr502_a_date_a_year_ahead_is_one_finding_not_two(cli, tmp_path: Path) -> None:
    """The commonest slip of a date (the year) made it both "after tomorrow" and "outside every
    cycle": two findings on one place. A reading likewise."""
    root = make_repo(tmp_path / "r", {**weekly(WEEKS, [7, 7, 6, 7], [30, 38, 45, 52]), "typo": checkin("2027-11-13")})
    (root / "readings").mkdir()
    (root / "readings" / "r.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Reading\nowner: team-a\ndate: 2027-11-19\nsource: kpis.csv\nvalues: {signups: 53}\n",
        encoding="utf-8",
    )
    found = findings(cli, root, today="2026-11-20", select="OKR502")
    assert sorted((f["path"], f["message"].split(" is dated ")[1][:10]) for f in found) == [
        ("checkins/typo.yaml", "2027-11-13"),
        ("readings/r.yaml", "2027-11-19"),
    ]
    assert all("after tomorrow" in f["message"] for f in found)


def test_okr502_a_retro_dated_after_tomorrow(cli, tmp_path: Path) -> None:
    """An end retro held on 2027-01-15 with its month typed wrong: align passed (OKR507 counted it
    held) while every view of the day left out its scores, so 'status' silently showed the computed
    score. Its date is an error now, as a check-in's is; OKR507 does not pile on (docs/cadence-rules.md)."""
    root = make_repo(tmp_path / "r", weekly(WEEKS, [7, 7, 6, 7], [30, 38, 45, 52]))
    retro = (
        "apiVersion: okrctl/v1\nkind: Retro\nowner: team-a\ncycle: 2026-Q4\nstage: {stage}\ndate: {day}\n"
        "scores:\n  signups: {{score: 0.9, reason: Counted on the new funnel}}\n"
    )
    (root / "retros").mkdir()
    (root / "retros" / "end.yaml").write_text(retro.format(stage="end", day="2027-10-15"), encoding="utf-8")
    result = cli("align", "--repo", str(root), "--today", "2027-01-20", "--format", "concise", "--select", "OKR5")
    assert result.exit_code == 1, result.stdout
    assert result.stdout.splitlines() == [
        "retros/end.yaml:6:7: OKR502 error end retro of 'team-a' for 2026-Q4 is dated 2027-10-15, after tomorrow "
        "(today is 2027-01-20)"
    ]
    # Dated tomorrow (a team ahead of the runner's time zone) it is spared, and held.
    (root / "retros" / "end.yaml").write_text(retro.format(stage="end", day="2027-01-21"), encoding="utf-8")
    assert findings(cli, root, today="2027-01-20") == []
    # A mid retro likewise, of a cycle align does not select.
    mid = retro.format(stage="mid", day="2027-11-13").split("scores:")[0]
    (root / "retros" / "mid.yaml").write_text(mid, encoding="utf-8")
    found = findings(cli, root, today="2027-01-20")
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("OKR502", "retros/mid.yaml", 6)]
    assert found[0]["message"].startswith("mid retro of 'team-a' for 2026-Q4 is dated 2027-11-13, after tomorrow")


def test_okr502_a_broken_retro_dated_after_tomorrow_is_reported_beside_its_own_error(cli, tmp_path: Path) -> None:
    """A retro with a schema error and its date typed wrong: the OKR502 came only once the other
    error was fixed, while OKR507 counted the retro held and the views left its scores out. Its
    date is judged in the same run, with the fingerprint it keeps once the error is fixed."""
    root = make_repo(tmp_path / "r", weekly(WEEKS, [7, 7, 6, 7], [30, 38, 45, 52]))
    (root / "retros").mkdir()
    retro = root / "retros" / "end.yaml"
    retro.write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: team-a\ncycle: 2026-Q4\nstage: end\ndate: 2027-10-15\n"
        "attractors: Express courier\n",
        encoding="utf-8",
    )

    def found() -> list[tuple[str, int, str]]:
        return [
            (f["code"], f["line"], f["fingerprint"])
            for f in findings(cli, root, today="2027-01-20", select="OKR1,OKR5")
        ]

    first = found()
    assert [(code, line) for code, line, _fingerprint in first] == [("OKR502", 6), ("OKR101", 7)]
    edit(retro, "^attractors: Express courier", "attractors: [Express courier]")
    assert found() == first[:1]


def test_okr502_a_checkin_outside_every_cycle_of_the_owner(cli, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", {**weekly(WEEKS, [7, 7, 6, 7], [30, 38, 45, 52]), "old": checkin("2026-08-07")})
    found = findings(cli, root)
    assert codes(found) == ["OKR502"]
    assert found[0]["path"] == "checkins/old.yaml"
    assert "outside every cycle" in found[0]["message"] and "2026-Q4" in found[0]["message"]


def test_okr502_an_objective_left_in_last_quarters_cycle_is_one_finding_not_one_per_checkin(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[[Path], Path]
) -> None:
    """Last quarter's file copied to okrs/2026-Q4/ with its ``cycle:`` left unchanged put every
    check-in of the quarter outside the team's objectives: eight OKR502 errors, one per weekly
    check-in, for one mistake. One finding now, on the first of them, naming how many there are
    and the cycles the team's objectives do have; a reading of the quarter is counted with them."""
    root = copy_example("banco")
    objective = root / "okrs/2026-Q4/cards.yaml"
    text = objective.read_text(encoding="utf-8")
    assert text.count("\ncycle: 2026-Q4\n") == 1
    objective.write_text(text.replace("\ncycle: 2026-Q4\n", "\ncycle: 2026-Q3\n"), encoding="utf-8")
    git_repo(root)

    def align(*args: str) -> tuple[int, list[dict]]:
        result = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", "json", *args)
        return result.exit_code, json.loads(result.stdout)["findings"]

    said = (
        "8 check-ins of 'cards' in 2026-Q4, dated 2026-10-02 to 2026-11-20, are outside every cycle of its "
        "objectives (its objectives' cycles are 2026-Q3)"
    )
    for args in [(), ("--cycle", "all", "--select", "OKR5"), (str(root / "checkins/cards/2026-10-02.yaml"),)]:
        code, found = align(*args)
        assert code == 1
        assert [(f["code"], f["path"], f["line"], f["message"]) for f in found] == [
            ("OKR502", "checkins/cards/2026-10-02.yaml", 4, said)
        ]
    assert found[0]["hint"] == (
        "'cards' has no objective of 2026-Q4: check the cycle of the objective they report on, or their dates"
    )
    grouped = found[0]["fingerprint"]
    # Asked about a later check-in alone (a pre-commit hook given the one it adds): told there, the
    # same finding as the whole repository's.
    code, found = align(str(root / "checkins/cards/2026-11-20.yaml"))
    assert code == 1
    assert [(f["code"], f["path"], f["message"]) for f in found] == [("OKR502", "checkins/cards/2026-11-20.yaml", said)]
    assert found[0]["fingerprint"] == grouped

    (root / "readings").mkdir()
    (root / "readings/cards.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Reading\nowner: cards\ndate: 2026-11-16\nsource: bi\nvalues: {x: 1}\n",
        encoding="utf-8",
    )
    code, found = align()
    assert [(f["code"], f["path"], f["message"].split(", are ")[0]) for f in found] == [
        (
            "OKR502",
            "checkins/cards/2026-10-02.yaml",
            "8 check-ins and 1 reading of 'cards' in 2026-Q4, dated 2026-10-02 to 2026-11-20",
        )
    ]

    assert found[0]["fingerprint"] == grouped

    # A second check-in and a second reading of one day are OKR102's: not counted again ("9
    # check-ins and 2 readings" before).
    shutil.copy(root / "checkins/cards/2026-11-20.yaml", root / "checkins/cards/2026-11-20-b.yaml")
    shutil.copy(root / "readings/cards.yaml", root / "readings/cards-b.yaml")
    code, found = align()
    assert sorted((f["code"], f["message"].split(", are ")[0]) for f in found) == [
        ("OKR102", "second check-in of 'cards' for 2026-11-20 (first at checkins/cards/2026-11-20-b.yaml:4)"),
        ("OKR102", "second reading of 'cards' for 2026-11-16 (first at readings/cards-b.yaml:4)"),
        ("OKR502", "8 check-ins and 1 reading of 'cards' in 2026-Q4, dated 2026-10-02 to 2026-11-20"),
    ]
    (root / "checkins/cards/2026-11-20-b.yaml").unlink()
    (root / "readings/cards-b.yaml").unlink()

    # One check-in alone outside keeps its own message; the finding, about the team and the
    # quarter, keeps its fingerprint (the last of the group left: not the file it was shown on).
    (root / "readings/cards.yaml").unlink()
    for earlier in sorted((root / "checkins/cards").glob("*.yaml"))[:-1]:
        earlier.unlink()
    code, found = align()
    assert [(f["code"], f["path"], f["message"]) for f in found] == [
        (
            "OKR502",
            "checkins/cards/2026-11-20.yaml",
            "check-in of 'cards' on 2026-11-20 is outside every cycle of its objectives "
            "(its objectives' cycles are 2026-Q3)",
        )
    ]
    assert found[0]["fingerprint"] == grouped


def _cards_left_in_last_quarter(copy_example: Callable[[str], Path], git_repo: Callable[[Path], Path]) -> Path:
    """examples/banco, committed, with Cards' objective of 2026-Q4 still saying ``cycle: 2026-Q3``:
    its eight check-ins of the quarter (2026-10-02 to 2026-11-20) are one OKR502."""
    root = copy_example("banco")
    edit(root / "okrs/2026-Q4/cards.yaml", r"^cycle: 2026-Q4$", "cycle: 2026-Q3")
    return git_repo(root)


def _okr502(cli, root: Path, *args: str) -> tuple[int, list[tuple[str, str, str]]]:
    """``align --format json`` on ``root`` at DEMO_DAY: its exit code, and its OKR502 findings as
    (path, message, fingerprint)."""
    result = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", "json", *args)
    found = json.loads(result.stdout)["findings"]
    return result.exit_code, [(f["path"], f["message"], f["fingerprint"]) for f in found if f["code"] == "OKR502"]


def test_okr502_a_change_that_removes_or_re_dates_the_first_of_a_group_passes_the_baseline_gate(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[[Path], Path]
) -> None:
    """The group's finding was fingerprinted on the file of its first check-in: a pull request
    that removed that check-in, or dated it back into a cycle of the team's objectives, moved the
    finding to the next check-in, which the gate took for a new error (exit 1) though the change
    only took one away. The finding is about the team and the quarter: not new, exit 0."""
    root = _cards_left_in_last_quarter(copy_example, git_repo)
    _, [(_, _, fingerprint)] = _okr502(cli, root)

    git(root, "rm", "-q", "checkins/cards/2026-10-02.yaml")
    commit_at(root, "2026-11-20", "remove a wrong check-in")
    for paths in [(), (str(root / "checkins/cards") + "/",)]:
        code, found = _okr502(cli, root, "--baseline", "HEAD~", "--show-existing", *paths)
        assert code == 0
        assert [(path, message.split(",")[0], fp) for path, message, fp in found] == [
            ("checkins/cards/2026-10-09.yaml", "7 check-ins of 'cards' in 2026-Q4", fingerprint)
        ]

    edit(root / "checkins/cards/2026-10-09.yaml", r"^date: 2026-10-09$", "date: 2026-09-25")
    commit_at(root, "2026-11-20", "date a check-in of last quarter right")
    for paths in [(), (str(root / "checkins/cards/2026-10-09.yaml"),)]:
        code, found = _okr502(cli, root, "--baseline", "HEAD~", *paths)
        assert (code, found) == (0, [])


def test_okr502_a_comment_silences_its_own_checkin_in_the_group_not_the_others(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[[Path], Path]
) -> None:
    """``# okrctl: ignore[OKR502]`` on the first check-in of the group silenced the whole group
    (the finding was shown there), and on a later one it silenced nothing, except for ``align`` given
    that file. A comment speaks for its own document: that check-in is left out of the group, and
    the others are still one OKR502, the same whichever file ``align`` is given."""
    root = _cards_left_in_last_quarter(copy_example, git_repo)
    checkins = root / "checkins/cards"
    silence = "# okrctl: ignore[OKR502]  # held early, agreed with digital-services\n"

    first = checkins / "2026-10-02.yaml"
    first.write_text(silence + first.read_text(encoding="utf-8"), encoding="utf-8")
    said = (
        "7 check-ins of 'cards' in 2026-Q4, dated 2026-10-09 to 2026-11-20, are outside every cycle of its "
        "objectives (its objectives' cycles are 2026-Q3)"
    )
    code, found = _okr502(cli, root)
    assert code == 1
    assert [(path, message) for path, message, _ in found] == [("checkins/cards/2026-10-09.yaml", said)]
    code, named = _okr502(cli, root, str(checkins / "2026-11-20.yaml"))
    assert code == 1
    assert named == [("checkins/cards/2026-11-20.yaml", said, found[0][2])]
    assert _okr502(cli, root, str(first)) == (0, [])

    git(root, "checkout", "-q", "--", "checkins/cards/2026-10-02.yaml")
    last = checkins / "2026-11-20.yaml"
    last.write_text(silence + last.read_text(encoding="utf-8"), encoding="utf-8")
    code, found = _okr502(cli, root)
    assert code == 1
    assert [(path, message.split(", are")[0]) for path, message, _ in found] == [
        ("checkins/cards/2026-10-02.yaml", "7 check-ins of 'cards' in 2026-Q4, dated 2026-10-02 to 2026-11-13")
    ]
    assert _okr502(cli, root, str(last)) == (0, [])

    for each in checkins.glob("*.yaml"):
        if not each.read_text(encoding="utf-8").startswith("# okrctl"):
            each.write_text(silence + each.read_text(encoding="utf-8"), encoding="utf-8")
    assert _okr502(cli, root) == (0, [])


@pytest.mark.slow
def test_okr502_a_checkin_joining_a_group_is_judged_alike_by_the_whole_repository_and_its_path(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[[Path], Path]
) -> None:
    """One more check-in outside the team's objectives, in a quarter where the others already are
    one OKR502: the gate passed it for the whole repository and its folder, and failed it for the
    file (a pre-commit hook's), whose finding had a fingerprint of its own. One finding, one
    fingerprint, one verdict: not new, exit 0. A check-in outside in another quarter is new in
    both."""
    root = _cards_left_in_last_quarter(copy_example, git_repo)
    checkins = root / "checkins/cards"
    added = checkins / "2026-11-19.yaml"
    added.write_text((checkins / "2026-11-20.yaml").read_text(encoding="utf-8").replace("2026-11-20", "2026-11-19"))
    commit_at(root, "2026-11-20", "add a check-in")

    fingerprints = set()
    for paths in [(), (str(checkins) + "/",), (str(added),)]:
        code, found = _okr502(cli, root, "--baseline", "HEAD~", "--show-existing", *paths)
        assert code == 0
        assert [message.split(",")[0] for _, message, _ in found] == ["9 check-ins of 'cards' in 2026-Q4"]
        fingerprints.add(found[0][2])
    assert len(fingerprints) == 1

    stray = checkins / "2026-06-05.yaml"
    stray.write_text(added.read_text(encoding="utf-8").replace("2026-11-19", "2026-06-05"))
    commit_at(root, "2026-11-20", "add a check-in of the quarter before last")
    for paths in [(), (str(stray),)]:
        code, found = _okr502(cli, root, "--baseline", "HEAD~", *paths)
        assert code == 1
        assert [(path, message.split(" is ")[0]) for path, message, _ in found] == [
            ("checkins/cards/2026-06-05.yaml", "check-in of 'cards' on 2026-06-05")
        ]


def test_okr502_another_teams_first_objective_of_the_quarter_leaves_the_group_existing_to_the_baseline(
    cli, tmp_path: Path, git_repo: Callable[[Path], Path]
) -> None:
    """Team-a's objective left at last quarter's cycle put its October check-ins outside: one
    OKR502 on main. Its cycle was the shortest containing them of those the repository's
    objectives used: 2026 (the company's yearly objective) on main, 2026-Q4 once another team's
    pull request added its first objective of the quarter. That pull request touched none of
    team-a's files, yet the finding took another fingerprint and the gate failed it as new (exit
    1). The team's own objectives (quarters) and the dates decide: 2026-Q4 on both, existing, exit 0."""
    yearly = OBJECTIVE.format(id="win", cycle='"2026"', kr="revenue").replace("owner: team-a", "owner: org")
    days = ["2026-10-02", "2026-10-09"]
    root = make_repo(
        tmp_path / "r",
        weekly(days, [7, 7], [10, 12]),
        [OBJECTIVE.format(id="grow", cycle="2026-Q3", kr="signups"), yearly],
    )
    (root / "units.yaml").write_text(UNITS + "---\napiVersion: okrctl/v1\nkind: Unit\nid: team-b\nparent: org\n")
    git_repo(root)
    said = (
        "2 check-ins of 'team-a' in 2026-Q4, dated 2026-10-02 to 2026-10-09, are outside every cycle of its "
        "objectives (its objectives' cycles are 2026-Q3)"
    )

    def align(*args: str) -> tuple[int, dict]:
        result = cli("align", "--repo", str(root), "--today", "2026-10-12", "--format", "json", *args)
        return result.exit_code, json.loads(result.stdout)

    code, report = align()
    [(message, fingerprint)] = [(f["message"], f["fingerprint"]) for f in report["findings"] if f["code"] == "OKR502"]
    assert (code, message) == (1, said)

    git(root, "checkout", "-q", "-b", "team-b-q4")
    quarterly = OBJECTIVE.format(id="delight", cycle="2026-Q4", kr="csat").replace("owner: team-a", "owner: team-b")
    (root / "okrs" / "team-b.yaml").write_text(quarterly, encoding="utf-8")
    commit_at(root, "2026-10-12", "team-b: its objective of 2026-Q4")
    code, report = align("--baseline", "main", "--show-existing")
    assert code == 0, report["findings"]
    assert [(f["message"], f["fingerprint"], f["new"]) for f in report["findings"] if f["code"] == "OKR502"] == [
        (said, fingerprint, False)
    ]
    assert report["summary"]["new"] == 0


def test_okr502_an_objective_left_in_last_quarters_cycle_beside_another_is_one_finding_not_one_per_key(
    cli, tmp_path: Path, git_repo: Callable[[Path], Path]
) -> None:
    """A team's second objective, copied from last quarter's file with its ``cycle:`` unchanged:
    every check-in of the quarter names it and its key results, and each of those keys was an
    OKR104 error (three a check-in, "confidence for 'ship', which is not an objective of team-a on
    2026-10-02"; 'did you mean 'churn-grow'?' for 'churn-ship', exactly a key result of 'ship'),
    beside an OKR507 asking for last quarter's retro, and the end retro's scores were OKR104s too.
    One finding now, an OKR502 as when the objective is the team's only one: on the first check-in,
    at the key that names it, saying which cycle the objective is of and which check-ins and
    readings name it; the same finding as check-ins join it; none once the cycle is right."""
    weeks = ["2026-10-02", "2026-10-09", "2026-10-16"]

    def results(week: int) -> dict[str, int]:
        return {"signups": 10 * week, "deploys": 3 + week, "churn-ship": 9 - week}

    root = make_repo(
        tmp_path / "r",
        {day: checkin(day, {"grow": 7, "ship": 6}, **results(week)) for week, day in enumerate(weeks)},
        objectives=[
            OBJECTIVE.format(id="grow", cycle="2026-Q4", kr="signups"),
            OBJECTIVE.format(id="ship", cycle="2026-Q3", kr="deploys"),
        ],
    )
    (root / "readings").mkdir()
    (root / "readings/team-a.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Reading\nowner: team-a\ndate: 2026-10-12\nsource: bi\nvalues: {deploys: 4}\n",
        encoding="utf-8",
    )
    git_repo(root)

    def align(*args: str, today: str = "2026-10-19") -> tuple[int, list[dict]]:
        result = cli("align", "--repo", str(root), "--today", today, "--format", "json", "--select", "OKR1,OKR5", *args)
        return result.exit_code, json.loads(result.stdout)["findings"]

    said = (
        "'ship' is team-a's objective of 2026-Q3, which does not contain the 3 check-ins and 1 reading that "
        "name it (2026-10-02 to 2026-10-16)"
    )
    code, found = align()
    assert (code, [(f["code"], f["path"], f["line"], f["message"]) for f in found]) == (
        1,
        [("OKR502", "checkins/2026-10-02.yaml", 5, said)],
    )
    assert found[0]["hint"] == (
        "if it is an objective of 2026-Q4, write 'cycle: 2026-Q4' (okrs/team-a-1.yaml:5); "
        "else take it and its key results out of the 3 check-ins and 1 reading"
    )
    fingerprint = found[0]["fingerprint"]
    text = cli("align", "--repo", str(root), "--today", "2026-10-19", "--no-color")
    assert "did you mean" not in text.stdout and "OKR104" not in text.stdout and "OKR507" not in text.stdout

    # Asked about a later check-in alone (a pre-commit hook's): told there, the same finding.
    code, found = align(str(root / "checkins/2026-10-16.yaml"))
    assert (code, [(f["path"], f["message"], f["fingerprint"]) for f in found]) == (
        1,
        [("checkins/2026-10-16.yaml", said, fingerprint)],
    )

    # One more check-in naming it joins the finding: not new to the gate.
    (root / "checkins/2026-10-23.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: team-a\n"
        + checkin("2026-10-23", {"grow": 7, "ship": 5}, **results(3)),
        encoding="utf-8",
    )
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a check-in")
    code, found = align("--baseline", "HEAD~", "--show-existing", today="2026-10-23")
    assert (code, [(f["code"], f["new"], f["fingerprint"]) for f in found]) == (0, [("OKR502", False, fingerprint)])
    assert "4 check-ins and 1 reading" in found[0]["message"]

    # The end retro of 2026-Q4 scores its key results: the same mistake, no OKR104 of its own.
    (root / "retros").mkdir()
    (root / "retros/team-a.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: team-a\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-05\n"
        "scores: {signups: 0.6, deploys: 0.4, ship/churn-ship: 0.3}\n",
        encoding="utf-8",
    )
    code, found = align(today="2027-01-06")
    assert [(f["code"], f["fingerprint"]) for f in found] == [("OKR502", fingerprint)]

    edit(root / "okrs/team-a-1.yaml", r"^cycle: 2026-Q3$", "cycle: 2026-Q4")
    assert align("--cycle", "all", today="2027-01-06") == (0, [])


# ----- OKR503 ----------------------------------------------------------------------------------------
def test_okr503_a_result_key_shared_by_two_objectives(cli, tmp_path: Path) -> None:
    objectives = [
        OBJECTIVE.format(id="grow", cycle="2026-Q4", kr="signups"),
        OBJECTIVE.format(id="keep", cycle="2026-Q4", kr="signups"),
    ]
    days = {
        d: checkin(d, {"grow": 7, "keep": 7}, grow__signups=s) for d, s in zip(WEEKS, [30, 38, 45, 52], strict=True)
    }
    days["2026-11-20"] = checkin("2026-11-20", {"grow": 7, "keep": 7}, signups=52)
    root = make_repo(tmp_path / "r", days, objectives)
    found = findings(cli, root, select="OKR503")
    assert codes(found) == ["OKR503"]
    assert found[0]["line"] == 7 and found[0]["column"] == 3
    assert "grow/signups, keep/signups" in found[0]["message"]
    assert "objective-id/signups" in found[0]["hint"]


# ----- OKR504 ----------------------------------------------------------------------------------------
def two_objectives_with_a_last_confidence(root: Path, confidence: object) -> Path:
    """team-a with objectives grow and keep, weekly check-ins, the last (2026-11-20) with ``confidence``."""
    objectives = [
        OBJECTIVE.format(id="grow", cycle="2026-Q4", kr="signups"),
        OBJECTIVE.format(id="keep", cycle="2026-Q4", kr="logins"),
    ]
    days = {d: checkin(d, 7, signups=s, logins=s) for d, s in zip(WEEKS, [30, 38, 45, 52], strict=True)}
    days["2026-11-20"] = checkin("2026-11-20", confidence, signups=52, logins=52)
    return make_repo(root, days, objectives)


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [
        (11, "confidence 11 is outside the scale 0–10"),
        (-1, "confidence -1 is outside the scale 0–10"),
        ({"grow": 7}, "confidence is missing for keep"),
        ({"grow": 7, "keep": 12}, "confidence 12 for 'keep' is outside the scale 0–10"),
        # null: no confidence at all, missing for every objective (SPEC §5).
        (None, "confidence is missing (the objectives of 'team-a' on 2026-11-20: grow, keep)"),
    ],
)
def test_okr504_confidence_off_the_scale_or_missing_for_an_objective(
    cli, tmp_path: Path, confidence: object, expected: str
) -> None:
    root = two_objectives_with_a_last_confidence(tmp_path / "r", confidence)
    found = findings(cli, root, select="OKR504")
    assert codes(found) == ["OKR504"]
    assert expected in found[0]["message"]
    assert found[0]["path"] == "checkins/2026-11-20.yaml"
    if confidence is None:
        assert found[0]["line"] == 5  # on ``confidence: null``; the document's first line when there is none


@pytest.mark.parametrize(
    ("confidence", "expected"),
    [
        # One slip in an objective's id: one finding on the slip, not a second on the id it meant.
        ({"grow": 7, "kep": 6}, [("OKR104", "confidence for 'kep'", "did you mean 'keep'?")]),
        # A key like no objective's: the objective's confidence is missing too.
        (
            {"grow": 7, "zzz": 6},
            [("OKR104", "confidence for 'zzz'", "objectives: grow, keep"), ("OKR504", "missing for keep", "")],
        ),
    ],
)
def test_okr504_says_nothing_of_an_objective_whose_id_okr104_says_was_misspelt(
    cli, tmp_path: Path, confidence: dict, expected: list
) -> None:
    root = two_objectives_with_a_last_confidence(tmp_path / "r", confidence)
    found = sorted(findings(cli, root, select="OKR104,OKR504"), key=lambda f: f["code"])
    assert [f["code"] for f in found] == [code for code, _, _ in expected]
    for finding, (_, said, hint) in zip(found, expected, strict=True):
        assert said in finding["message"]
        assert hint in finding.get("hint", "")


def test_okr504_a_confidence_off_the_scale_is_reported_while_the_teams_objective_is_broken(cli, tmp_path: Path) -> None:
    """The views leave such a confidence out and say "'okrctl align' shows where (OKR504)"; align
    said nothing of it until the objective was fixed, so fixing one finding revealed the next."""
    broken = OBJECTIVE.format(id="grow", cycle="2026-Q4", kr="signups") + "colour: blue\n"
    days = {d: checkin(d, 7, signups=s) for d, s in zip(WEEKS, [30, 38, 45, 52], strict=True)}
    days["2026-11-20"] = checkin("2026-11-20", 12, signups=52)
    root = make_repo(tmp_path / "r", days, [broken])
    found = findings(cli, root, select="OKR101,OKR504")
    assert sorted(f["code"] for f in found) == ["OKR101", "OKR504"]
    assert "confidence 12 is outside the scale 0–10" in next(f["message"] for f in found if f["code"] == "OKR504")


def test_okr504_a_single_number_covers_every_objective(cli, tmp_path: Path) -> None:
    objectives = [
        OBJECTIVE.format(id="grow", cycle="2026-Q4", kr="signups"),
        OBJECTIVE.format(id="keep", cycle="2026-Q4", kr="logins"),
    ]
    days = {d: checkin(d, 7, signups=s, logins=s) for d, s in zip(WEEKS, [30, 38, 45, 52], strict=True)}
    root = make_repo(tmp_path / "r", days, objectives)
    assert findings(cli, root) == []


def test_okr504_follows_the_configured_scale(cli, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", weekly(WEEKS, [4, 4, 4, 5], [30, 38, 45, 52]))
    (root / "okrctl.yaml").write_text(CONFIG.replace("{min: 0, max: 10}", "{min: 1, max: 5}"))
    assert findings(cli, root) == []
    (root / "checkins" / "2026-11-20.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: team-a\n" + checkin("2026-11-20", 0.5, signups=52)
    )
    assert codes(findings(cli, root, select="OKR504")) == ["OKR504"]


# ----- OKR505 ----------------------------------------------------------------------------------------
def test_okr505_confidence_dropped_by_three_points(cli, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "r", weekly(WEEKS, [7, 7, 8, 5], [30, 38, 45, 52]))
    found = findings(cli, root)
    assert codes(found) == ["OKR505"]
    assert found[0]["path"] == "checkins/2026-11-20.yaml" and found[0]["line"] == 5
    assert "dropped from 8 to 5 between 2026-11-13 and 2026-11-20" in found[0]["message"]


def test_okr505_only_looks_at_the_latest_change(cli, tmp_path: Path) -> None:
    # A fall of 2.5 is no drop; an older drop that was followed by a recovery is history.
    root = make_repo(tmp_path / "r", weekly(WEEKS, [8, 4, 6, 3.5], [30, 38, 45, 52]))
    assert codes(findings(cli, root)) == []
    # As of 2026-11-06 the 8 → 4 drop was the latest change.
    assert "OKR505" in codes(findings(cli, root, today="2026-11-06"))


# ----- OKR506 ----------------------------------------------------------------------------------------
def test_okr506_optimism_gap(cli, tmp_path: Path) -> None:
    # On 2026-11-20, 50 of 91 days are gone (expected 55%); signups at 10 of 100 (10%), churn
    # untouched: progress 5%, a gap of 0.5 — off-track, while the team says 8/10.
    root = make_repo(tmp_path / "r", weekly(WEEKS, [8, 8, 8, 8], [4, 6, 8, 10]))
    found = findings(cli, root)
    assert codes(found) == ["OKR506"]
    assert "confidence 8/10 on 2026-11-20" in found[0]["message"]
    assert "progress 5%, expected 55%" in found[0]["message"]
    # An honest 5/10 is no optimism gap (the objective is still off-track, which status shows).
    root2 = make_repo(tmp_path / "r2", weekly(WEEKS, [6, 6, 6, 5], [4, 6, 8, 10]))
    assert findings(cli, root2) == []


# ----- OKR507 ----------------------------------------------------------------------------------------
def test_okr507_ended_cycle_without_an_end_retro(cli, tmp_path: Path) -> None:
    objectives = [OBJECTIVE.format(id="q3", cycle="2026-Q3", kr="signups")]
    root = make_repo(tmp_path / "r", {"q3": checkin("2026-09-25", 7, signups=80)}, objectives)
    found = findings(cli, root, today="2026-10-20")
    assert codes(found) == ["OKR507"]
    assert "cycle 2026-Q3 ended on 2026-09-30 and 'team-a' has no end retro" in found[0]["message"]
    # Not yet ended, or ended more than 45 days ago: nothing to say.
    assert findings(cli, root, today="2026-09-30", select="OKR507") == []
    assert codes(findings(cli, root, today="2026-11-14")) == ["OKR507"]
    assert findings(cli, root, today="2026-11-15") == []
    # A mid retro does not count; an end retro does.
    retro = "apiVersion: okrctl/v1\nkind: Retro\nowner: team-a\ncycle: 2026-Q3\nstage: {stage}\ndate: 2026-10-02\n"
    (root / "retro.yaml").write_text(retro.format(stage="mid"))
    assert codes(findings(cli, root, today="2026-10-20")) == ["OKR507"]
    (root / "retro.yaml").write_text(retro.format(stage="end"))
    assert findings(cli, root, today="2026-10-20") == []


def test_okr507_not_for_an_objective_whose_owner_is_no_unit(cli, tmp_path: Path) -> None:
    """The owner misspelt is OKR104's alone: OKR507 piled on, and its hint ('okrctl retro --team
    taem-a ... --write') was a command that refuses an unknown unit (docs/cadence-rules.md)."""
    objectives = [OBJECTIVE.format(id="q3", cycle="2026-Q3", kr="signups").replace("owner: team-a", "owner: taem-a")]
    root = make_repo(tmp_path / "r", {}, objectives)
    found = findings(cli, root, today="2026-10-20", select="OKR1,OKR5")
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("OKR104", "okrs/team-a-0.yaml", 4)]
    assert "owner 'taem-a' is not a unit" in found[0]["message"]


# ----- OKR508 ----------------------------------------------------------------------------------------
def test_okr508_the_same_value_four_weeks_running_while_on_track(cli, tmp_path: Path) -> None:
    # Signups at 60 (60%) from 2026-10-30: ahead of pace on every one of those dates.
    days = {d: checkin(d, 7, signups=60, **{"churn-grow": 7 - i / 10}) for i, d in enumerate(WEEKS)}
    root = make_repo(tmp_path / "r", days)
    found = findings(cli, root)
    assert codes(found) == ["OKR508"]
    assert found[0]["severity"] == "info"
    assert found[0]["path"] == "checkins/2026-11-20.yaml" and found[0]["line"] == 7
    assert "'grow/signups' has been 60 in the last 4 check-ins (since 2026-10-30)" in found[0]["message"]
    # Three weeks is not yet a pattern.
    assert findings(cli, root, today="2026-11-13", select="OKR508") == []


def test_okr508_not_for_a_key_result_at_its_target(cli, tmp_path: Path) -> None:
    days = {d: checkin(d, 7, signups=100, **{"churn-grow": 7 - i / 10}) for i, d in enumerate(WEEKS)}
    assert findings(cli, make_repo(tmp_path / "r", days)) == []


READING = """\
apiVersion: okrctl/v1
kind: Reading
owner: team-a
date: {day}
source: warehouse
values: {{signups: {value}}}
"""


def with_readings(root: Path, days: list[str], value: float) -> None:
    for day in days:
        (root / "readings").mkdir(exist_ok=True)
        (root / "readings" / f"{day}.yaml").write_text(READING.format(day=day, value=value))


def test_okr508_counts_check_ins_only_not_values_measured_from_data(cli, tmp_path: Path) -> None:
    """The same measured value four days running, then a check-in that names another key result:
    align stopped with an internal error (the latest value was no check-in's); with a reading on
    the check-in's own day, four readings were "the last 4 check-ins", placed on another key."""
    days = {d: checkin(d, 7, signups=s, **{"churn-grow": 7}) for d, s in zip(WEEKS, [30, 38, 45, 52], strict=True)}
    days["2026-11-27"] = checkin("2026-11-27", 7, **{"churn-grow": 6.5})
    root = make_repo(tmp_path / "r", days)
    with_readings(root, ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"], 70)
    assert findings(cli, root, today="2026-11-27", select="OKR508") == []
    with_readings(root, ["2026-11-27"], 70)
    assert findings(cli, root, today="2026-11-27", select="OKR508") == []
    # Four check-ins of one value are still that, whatever the readings between them say.
    days = {d: checkin(d, 7, signups=60, **{"churn-grow": 7 - i / 10}) for i, d in enumerate(WEEKS)}
    root = make_repo(tmp_path / "s", days)
    with_readings(root, ["2026-11-02", "2026-11-09", "2026-11-16"], 61)
    found = findings(cli, root, select="OKR508")
    assert [(f["path"], f["line"]) for f in found] == [("checkins/2026-11-20.yaml", 7)]
    assert "'grow/signups' has been 60 in the last 4 check-ins (since 2026-10-30)" in found[0]["message"]


MAINTAINED = """\
apiVersion: okrctl/v1
kind: Objective
id: steady
owner: team-a
cycle: 2026-Q4
title: Keep the service steady while signups grow
aligns: [{to: org-goal/growth}]
key_results:
  - {id: uptime, type: maintain, title: Uptime stays at or above 99.9%, unit: "%", min: 99.9}
  - {id: signups, title: Signups grow from 0 to 100, baseline: 0, target: 100}
"""


@pytest.mark.parametrize(
    ("uptimes", "expected"),
    [
        ([99.95, 99.95, 99.95, 99.95], ["'steady/uptime' has been 99.95 in the last 4 check-ins (since 2026-10-30)"]),
        ([99.95, 99.93, 99.97, 99.95], []),  # measured every week
        ([99.5, 99.5, 99.5, 99.5], []),  # below its band: off-track, its own trouble
    ],
)
def test_okr508_for_a_maintain_key_result_held_at_one_value_inside_its_band(
    cli, tmp_path: Path, uptimes: list[float], expected: list[str]
) -> None:
    """Inside its band a maintain key result is always at 100%: that is no target reached, and the
    same number four weeks running is as suspicious as for a metric one (docs/cadence-rules.md)."""
    days = {d: checkin(d, 8, uptime=u, signups=s) for d, u, s in zip(WEEKS, uptimes, [30, 38, 45, 52], strict=True)}
    root = make_repo(tmp_path / "r", days, [MAINTAINED])
    found = findings(cli, root, select="OKR508")
    assert [f["message"].split(" while")[0] for f in found] == expected
    assert all(f["path"] == "checkins/2026-11-20.yaml" and f["severity"] == "info" for f in found)


# ----- the bundled examples ------------------------------------------------------------------------
@pytest.mark.parametrize("example", ["banco", "saas"])
def test_the_examples_are_free_of_errors_and_warnings(cli, example: str) -> None:
    from tests.conftest import EXAMPLES

    result = cli("align", "--repo", str(EXAMPLES / example), "--today", DEMO_DAY, "--format", "json", "--strict")
    assert result.exit_code == 0, result.stdout
    summary = json.loads(result.stdout)["summary"]
    assert (summary["error"], summary["warning"]) == (0, 0)


def test_a_value_edited_after_the_run_read_it_is_told_as_the_run_read_it(tmp_path: Path) -> None:
    """A file saved again while ``align`` runs (an editor, a sync): the rule judged the value it
    read, 7900, but its message took the number's written form from the file as it is now, "79 is
    88× the target", which no version of the file says."""
    from datetime import date

    from okrctl.load.pipeline import load_repo
    from okrctl.rules import run

    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    path = root / "checkins/discover/2026-11-20.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("onboarding-completion: 79\n") == 1
    path.write_text(text.replace("onboarding-completion: 79\n", "onboarding-completion: 7900\n"), encoding="utf-8")
    repo = load_repo(root, use_cache=False)
    path.write_text(text, encoding="utf-8")  # saved again, as it was, before the rules run
    [found] = [f for f in run(repo, date(2026, 11, 20)) if f.code == "OKR509"]
    assert found.message.startswith("discover-first-week/onboarding-completion: 7900 is 88× the target 90")
