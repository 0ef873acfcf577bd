"""``okrctl trends``: weekly confidence and pace of every team, the ones that need attention first."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES
from tests.golden import assert_golden

BANCO = str(EXAMPLES / "banco")


def trends(cli, *args: str):
    result = cli("trends", "--repo", BANCO, "--today", DEMO_DAY, *args)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_trends_golden(cli) -> None:
    assert_golden("trends-banco.txt", trends(cli))


def test_trends_of_a_business_unit_golden(cli) -> None:
    assert_golden("trends-banco-digital-services.txt", trends(cli, "--unit", "digital-services"))


def test_teams_that_need_attention_come_first(cli) -> None:
    data = json.loads(trends(cli, "--format", "json"))
    order = [(t["owner"], t["id"], t["status"]) for t in data["teams"]]
    # Off-track first, then at-risk (falling confidence first), then on-track.
    assert order[0] == ("small-business-app", "sme-open-in-app", "off-track")
    statuses = [status for _, _, status in order]
    assert statuses == sorted(statuses, key=["off-track", "at-risk", "no-data", "on-track"].index)
    at_risk = [t for t in data["teams"] if t["status"] == "at-risk"]
    assert [t["slope_per_week"] for t in at_risk] == sorted(t["slope_per_week"] for t in at_risk)
    assert [t["rank"] for t in data["teams"]] == list(range(1, len(order) + 1))


def test_trends_json_holds_the_weekly_series(cli) -> None:
    data = json.loads(trends(cli, "--format", "json", "--unit", "discover"))
    assert data["unit"] == "discover" and [c["id"] for c in data["cycles"]] == ["2026-Q4"]
    [team] = data["teams"]
    assert [w["confidence"] for w in team["weeks"]] == [7, 7, 7, 4, 5, 6, 7, 8]
    assert team["weeks"][0] == {
        "week": 1,
        "start": "2026-10-01",
        "end": "2026-10-07",
        "confidence": 7.0,
        "progress": 0.0,
        "expected": team["weeks"][0]["expected"],
        "status": "on-track",
    }
    assert team["weeks"][-1]["end"] == DEMO_DAY  # the running week ends today
    assert team["drops"] == [{"from": "2026-10-16", "to": "2026-10-23", "before": 7.0, "after": 4.0}]
    assert team["last_change"] == 1.0
    assert round(team["slope_per_week"], 4) == round(2.5 / 42, 4)  # worked out in test_metrics
    assert {"progress", "expected", "status", "confidence"} <= set(team)


def test_each_objective_of_trends_json_carries_its_key_results_as_status_gives_them(cli) -> None:
    """SPEC §4: the objectives of status, trends, report and retro JSON carry ``key_results``."""
    teams = json.loads(trends(cli, "-f", "json"))["teams"]
    status = json.loads(
        cli("status", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, "--format", "json").stdout
    )
    by_id = {o["id"]: o for o in status["objectives"]}
    assert teams and all(team["key_results"] for team in teams)
    for team in teams:
        expected = [{k: v for k, v in kr.items() if k != "note"} for kr in by_id[team["id"]]["key_results"]]
        assert team["key_results"] == expected


def test_a_weeks_status_is_the_objectives_status_then_with_its_confidence(cli) -> None:
    """SPEC §3: status is the worse of progress against expected and the confidence band."""
    data = json.loads(trends(cli, "-f", "json"))
    for team in data["teams"]:
        running = team["weeks"][-1]
        assert running["end"] == DEMO_DAY
        assert running["status"] == team["status"], team["id"]  # the running week ends today
    discover = next(t for t in data["teams"] if t["id"] == "discover-first-week")
    # On pace in weeks 5 and 6, with a confidence of 5 and 6 of 10: at-risk, as status said then.
    assert [(w["week"], w["confidence"], w["status"]) for w in discover["weeks"][4:6]] == [
        (5, 5.0, "at-risk"),
        (6, 6.0, "at-risk"),
    ]
    rows = list(csv.DictReader(io.StringIO(trends(cli, "-f", "csv"))))
    assert [r["status"] for r in rows if r["objective"] == "discover-first-week"][4:6] == ["at-risk", "at-risk"]


def test_trends_csv_is_one_row_per_team_and_week(cli) -> None:
    rows = list(csv.DictReader(io.StringIO(trends(cli, "--format", "csv"))))
    assert len(rows) == 9 * 8
    drop = [r for r in rows if r["drop"] == "yes"]
    assert [(r["owner"], r["week"], r["confidence"]) for r in drop] == [("discover", "4", "4")]
    assert rows[0]["rank"] == "1" and rows[0]["owner"] == "small-business-app"


def test_a_week_without_a_checkin_is_a_gap(cli, copy_example) -> None:
    root = copy_example("banco")
    (root / "checkins/cards/2026-10-16.yaml").unlink()
    result = cli("trends", "--repo", str(root), "--today", DEMO_DAY, "--unit", "cards", "--format", "json")
    weeks = json.loads(result.stdout)["teams"][0]["weeks"]
    assert [w["confidence"] for w in weeks][:4] == [7, 7, None, 6]
    text = cli("trends", "--repo", str(root), "--today", DEMO_DAY, "--unit", "cards").stdout
    assert "██·▒▒▒▒▒ ▆▆·▅▅▄▄▅" in text  # 6 → 5 → 6: every one-point move shows


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "digital"], "--unit: unknown unit 'digital'"),
        (["--cycle", "2025-Q9"], "--cycle: unknown cycle '2025-Q9'"),
        (["--format", "html"], "--format: 'html' is not one of text, json, csv"),
    ],
)
def test_trends_usage_errors(cli, args: list[str], message: str) -> None:
    result = cli("trends", "--repo", BANCO, "--today", DEMO_DAY, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_a_unit_without_objectives_says_so(cli) -> None:
    """Between cycles the line names the day and where the objectives are (it said "in these
    cycles" and named none); before any cycle there is nowhere to send the reader."""
    result = cli("trends", "--repo", BANCO, "--today", "2027-02-01")
    assert result.exit_code == 0
    assert " ".join(result.stdout.split()).endswith(
        "No team under banco has an objective in a cycle that contains 2027-02-01; pass --cycle 2026-Q4 for the latest."
    )
    result = cli("trends", "--repo", BANCO, "--today", DEMO_DAY, "--cycle", "2027-Q1")
    assert "No team under banco has an objective in 2027-Q1; pass --cycle 2026-Q4 for the latest." in result.stdout
    result = cli("trends", "--repo", BANCO, "--today", "2026-09-20")
    assert result.stdout.splitlines()[-1] == "No team under banco has an objective in a cycle that contains 2026-09-20."


def test_weeks_before_the_first_checkin_have_no_data(cli, copy_example) -> None:
    root = copy_example("banco")
    for day in ("2026-10-02", "2026-10-09"):
        (root / f"checkins/cards/{day}.yaml").unlink()
    result = cli("trends", "--repo", str(root), "--today", DEMO_DAY, "--unit", "cards", "--format", "json")
    weeks = json.loads(result.stdout)["teams"][0]["weeks"]
    assert [w["status"] for w in weeks][:2] == ["no-data", "no-data"]
    assert "no-data" not in [w["status"] for w in weeks][2:]
    assert [w["confidence"] for w in weeks][:3] == [None, None, 6]


def _cards_confidence(root: Path, *, before: str, last: str) -> None:
    """Every check-in of Cards gives the confidence ``before``, its last one (2026-11-20) ``last``."""
    for path in sorted((root / "checkins/cards").glob("*.yaml")):
        value = last if path.name == "2026-11-20.yaml" else before
        text = path.read_text(encoding="utf-8")
        path.write_text(
            "\n".join(f"confidence: {value}" if line.startswith("confidence:") else line for line in text.splitlines())
            + "\n",
            "utf-8",
        )


def test_a_confidence_change_in_json_is_the_difference_as_written(cli, copy_example) -> None:
    """6.9 then 4 gave "last_change": -2.9000000000000004 (trends) and the same in the report."""
    root = copy_example("banco")
    _cards_confidence(root, before="6.9", last="4")
    trends = json.loads(cli("trends", "--repo", str(root), "--today", DEMO_DAY, "--format", "json").stdout)
    assert [row["last_change"] for row in trends["teams"] if row["owner"] == "cards"] == [-2.9]
    report = cli("report", "--repo", str(root), "--today", DEMO_DAY, "--no-history", "--format", "json").stdout
    assert "-2.9000000000000004" not in report and '"confidence_change": -2.9' in report


def test_the_last_change_reads_as_the_report_gives_it(cli, copy_example) -> None:
    """Cards' confidence 8.5 then 6.25: the report said "−2.25", the trends table "−2.2"."""
    root = copy_example("banco")
    _cards_confidence(root, before="8.5", last="6.25")
    shown = cli("trends", "--repo", str(root), "--today", DEMO_DAY).stdout
    [row] = [line for line in shown.splitlines() if "Cards" in line]
    assert " −2.25 " in row and " −2.2 " not in row, row
    report = cli("report", "--repo", str(root), "--today", DEMO_DAY, "--unit", "cards", "--no-history").stdout
    assert "8.5 → 6.25" in report and "−2.25" in report


def test_objectives_of_a_cycle_not_started_are_counted_not_denied(cli, copy_example) -> None:
    """trends said no team had an objective in 2027-Q1 while status listed one: the cycle had not
    started, so there was no week to draw. It says how many objectives wait, and from when."""
    root = copy_example("banco")
    (root / "okrs" / "next.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: discover-q1\nowner: discover\ncycle: 2027-Q1\n"
        "title: Next quarter\nkey_results:\n  - {id: a, title: A, baseline: 0, target: 10}\n"
        "  - {id: b, title: B, baseline: 0, target: 10}\n",
        encoding="utf-8",
    )
    args = ("trends", "--repo", str(root), "--today", "2026-12-20", "--cycle", "2027-Q1", "--unit", "discover")
    text = cli(*args)
    assert text.exit_code == 0, text.stderr
    assert "1 objective of discover in a cycle that starts on 2027-01-01" in text.stdout
    assert "No team" not in text.stdout
    payload = json.loads(cli(*args, "--format", "json").stdout)
    assert (payload["teams"], payload["not_started"]) == ([], 1)


def test_rows_whose_names_were_cut_alike_are_named_under_the_table(cli) -> None:
    """At 80 columns Digital Services' three objectives all read "Digital Servi…": the rows could
    not be told apart. They are named in whole under the table, by their number; a name cut but
    unlike any other is not."""
    shown = cli("trends", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, env={"COLUMNS": "80"}).stdout
    table, _, rest = shown.partition("Rows whose names were cut alike:\n")
    assert table.count("Digital Servi…") == 3
    key = rest.split("\n\n")[0].splitlines()
    assert [line.split(maxsplit=1)[1] for line in key] == [
        "Digital Services · sme-digital-banking",
        "Digital Services · digital-first-week",
        "Digital Services · resilient-digital-channels",
    ]
    for line in key:
        number = line.split()[0]
        assert f"\n{number}  Digital Servi…" in "\n" + table
    assert "Identity Plat…" in table and "Identity Platform" not in rest.split("\n\n")[0]
    wide = cli("trends", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, env={"COLUMNS": "120"}).stdout
    assert "cut alike" not in wide


def _half_year_repo(root: Path, git_repo, cycle: str) -> Path:
    """One team, two key results, an objective of ``cycle`` (``2026-H2``: 26 weeks; ``2026``: 52),
    five weekly check-ins in July; committed."""
    from tests.conftest import write_files

    checkin = "apiVersion: okrctl/v1\nkind: CheckIn\nowner: t\ndate: {day}\nconfidence: 7\nresults: {{a: 10}}\n"
    files = {
        "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\n",
        "units/t.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: t\nname: Team T\n",
        "okrs/t.yaml": (
            f"apiVersion: okrctl/v1\nkind: Objective\nid: o\nowner: t\ncycle: {cycle}\ntitle: Half year\n"
            "key_results:\n"
            '  - {id: a, title: A, unit: "%", baseline: 0, target: 100}\n'
            '  - {id: b, title: B, unit: "%", baseline: 0, target: 100}\n'
        ),
    }
    for day in ("2026-07-03", "2026-07-10", "2026-07-17", "2026-07-24", "2026-07-31"):
        files[f"checkins/t/{day}.yaml"] = checkin.format(day=day)
    return git_repo(write_files(root, files))


TRENDS_HEADERS = ["#", "team", "weekly confidence", "now", "/week", "last", "drops", "on pace, weekly"]


# 2026-12-20 is in the 25th week of 2026-H2 (26 weeks) and the 51st of 2026 (52 weeks).
@pytest.mark.parametrize(("cycle", "weeks"), [("2026-H2", 25), ("2026", 51)])
def test_a_file_or_a_pipe_without_columns_carries_every_weekly_column_of_a_long_cycle(
    cli, tmp_path: Path, git_repo, monkeypatch, cycle: str, weeks: int
) -> None:
    """Off a terminal the text was laid out for 100 columns: a half year lost "on pace, weekly", a
    year also "weekly confidence", "last" and "drops", under a caption that called the file a
    narrow terminal. With no COLUMNS set, the table is as wide as it needs, every column kept."""
    root = _half_year_repo(tmp_path / "org", git_repo, cycle)
    monkeypatch.delenv("COLUMNS")
    result = cli("trends", "--repo", str(root), "--today", "2026-12-20")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    [header] = [line for line in lines if line.startswith("#  ")]
    assert [cell.strip() for cell in header.split("  ") if cell.strip()] == TRENDS_HEADERS
    [row] = [line for line in lines if line.startswith("1  Team T")]
    assert len(header) > 100 and len(row) > 100
    strip = rf"[█▒░·]{{{weeks}}}"
    # The confidence strip and its sparkline, now, /week, last, drops, then the pace strip.
    assert re.search(rf"Team T  {strip} [▁-█·]{{{weeks}}} +7 +±0 +±0  —  +{strip} +5%/\d+%$", row), row
    assert "left out" not in result.stdout and "narrow terminal" not in result.stdout


def test_a_width_columns_sets_off_a_terminal_leaves_columns_out_without_calling_it_a_terminal(
    cli, tmp_path: Path, git_repo
) -> None:
    """COLUMNS set off a terminal is the width asked for: the table fits it, and its caption names
    COLUMNS, never a narrow terminal."""
    root = _half_year_repo(tmp_path / "org", git_repo, "2026-H2")
    result = cli("trends", "--repo", str(root), "--today", "2026-12-20", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.stderr
    assert all(len(line) <= 100 for line in result.stdout.splitlines())
    assert "(COLUMNS too narrow: on pace, weekly left out; widen it or use --format json)" in result.stdout
    assert "narrow terminal" not in result.stdout


@pytest.mark.slow
def test_a_narrow_terminal_still_leaves_the_weekly_columns_out_and_says_so(tmp_path: Path, git_repo) -> None:
    """At a real terminal of 100 columns (no COLUMNS) the table fits it, as before: a caption says
    which columns were left out."""
    import os
    import sys

    from tests.conftest import ROOT
    from tests.pty_driver import Terminal

    root = _half_year_repo(tmp_path / "org", git_repo, "2026-H2")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_NO_CACHE": "1"}
    env.pop("COLUMNS", None)
    command = [sys.executable, "-m", "okrctl", "trends", "--repo", str(root), "--today", "2026-12-20"]
    with Terminal(command, cwd=tmp_path, env=env, columns=100) as terminal:
        shown = terminal.expect_exit(0)
    assert "(narrow terminal: on pace, weekly left out; widen it or use --format json)" in shown
    assert all(len(line) <= 100 for line in shown.splitlines())
