"""Dates at the edges of the calendar: year 0001, year 9999, year 0000 and cycles over centuries.

Every command ends cleanly (exit 0, 1 or 2, one line); the work a long cycle causes is bounded by
what the repository holds, not by how many weeks its dates span.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

COMMANDS = [
    ["align", "--format", "json", "--cycle", "all"],
    ["status", "--format", "json"],
    ["trends", "--format", "csv"],
    ["trends"],
    ["report", "--format", "json"],
    ["report", "--format", "html"],
    ["map", "--format", "mermaid"],
    ["retro", "--team", "discover"],
    ["retro", "--unit", "banco", "--stage", "end", "--format", "json"],
    ["plan", "--team", "cards"],
    ["history"],
    ["checkin", "--team", "discover", "-c", "7", "--dry-run"],
    ["digest", "--format", "json"],
    ["status", "--team", "discover", "--format", "json"],
]


def bank_in_year(tmp_path: Path, year: str) -> Path:
    """The bank example with every 2026 moved to ``year`` (cycles, dates, the strategy)."""
    repo = tmp_path / f"banco-{year}"
    shutil.copytree(EXAMPLES / "banco", repo)
    for path in repo.rglob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("2026", year), encoding="utf-8")
    for path in sorted(repo.rglob("*2026*"), reverse=True):
        path.rename(path.with_name(path.name.replace("2026", year)))
    return repo


@pytest.mark.parametrize(("year", "today"), [("9999", "9999-12-31"), ("9999", "9999-11-20"), ("0001", "0001-11-20")])
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_every_command_ends_cleanly_at_the_ends_of_the_calendar(cli, tmp_path, git_repo, year, today, command):
    repo = bank_in_year(tmp_path, year)
    if command[0] == "history":
        git_repo(repo)  # history is read from git (outside it, exit 2)
    result = cli(*command, "--repo", str(repo), "--today", today)
    assert "internal error" not in result.stderr
    assert result.exit_code in (0, 1), result.stderr
    if command[0] == "align":
        assert json.loads(result.stdout)["summary"]["error"] == 0


def test_plan_after_the_last_quarter_there_can_be_plans_that_quarter(cli, tmp_path):
    repo = bank_in_year(tmp_path, "9999")
    result = cli("plan", "--team", "cards", "--repo", str(repo), "--today", "9999-11-20")
    assert result.exit_code == 0
    assert "9999-Q4" in result.stdout


def test_plan_in_year_one_names_the_next_quarter_with_four_digits(cli, tmp_path):
    repo = bank_in_year(tmp_path, "0001")
    result = cli("plan", "--team", "cards", "--repo", str(repo), "--today", "0001-11-20")
    assert result.exit_code == 0
    assert "0002-Q1" in result.stdout


@pytest.mark.parametrize("cycle", ["0000", "0000-Q1", "0000-H2"])
def test_a_cycle_in_year_zero_is_an_unknown_cycle(cli, tmp_path, cycle):
    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    path = repo / "okrs" / "2026-Q4" / "discover.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cycle: 2026-Q4", f'cycle: "{cycle}"'), encoding="utf-8")
    result = cli("align", "--repo", str(repo), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 1
    assert any(
        f["code"] == "OKR104" and f"unknown cycle '{cycle}'" in f["message"]
        for f in json.loads(result.stdout)["findings"]
    )
    for command in (["status"], ["trends"], ["report"], ["map"], ["retro", "--team", "discover"]):
        result = cli(*command, "--repo", str(repo), "--today", "2026-11-20")
        assert result.exit_code in (0, 1, 2)  # retro: discover has no objective left to look back on
        assert "internal error" not in result.stderr


@pytest.mark.parametrize("month", ["9999-12", "0001-01"])
def test_report_months_at_the_ends_of_the_calendar(cli, tmp_path, month):
    repo = bank_in_year(tmp_path, month[:4])
    result = cli("report", "--repo", str(repo), "--today", f"{month}-15", "--month", month, "--format", "json")
    assert result.exit_code == 0, result.stderr


def test_a_month_of_year_zero_is_a_usage_error(cli):
    result = cli("report", "--repo", str(EXAMPLES / "banco"), "--today", "2026-11-20", "--month", "0000-01")
    assert result.exit_code == 2
    assert result.stderr == "okrctl: --month: '0000-01' is not a month YYYY-MM\n"


# ----- a cycle over centuries ---------------------------------------------------------------------------
@pytest.fixture
def forever(tmp_path: Path) -> Path:
    """The bank example with its quarter declared as 0001-01-01..9999-12-31 and daily cadence."""
    repo = tmp_path / "forever"
    shutil.copytree(EXAMPLES / "banco", repo)
    config = repo / "okrctl.yaml"
    text = config.read_text(encoding="utf-8").replace("cadence_days: 7", "cadence_days: 1")
    config.write_text(text + "cycles:\n  - {id: forever, start: 0001-01-01, end: 9999-12-31}\n", encoding="utf-8")
    for path in [*(repo / "okrs").rglob("*.yaml"), *(repo / "retros").rglob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r'^cycle: "?2026-Q4"?$', "cycle: forever", text, flags=re.M), encoding="utf-8")
    return repo


def test_trends_of_a_cycle_over_centuries_show_a_bounded_series(cli, forever):
    from okrctl.model.cycle import MAX_WEEKS

    result = cli("trends", "--repo", str(forever), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 0, result.stderr
    teams = json.loads(result.stdout)["teams"]
    assert teams
    weeks_since_start = (date(2026, 11, 20) - date(1, 1, 1)).days // 7 + 1  # 105,637
    for team in teams:
        assert len(team["weeks"]) == MAX_WEEKS
        assert team["weeks"][-1]["week"] == weeks_since_start
        assert team["weeks"][-1]["end"] == "2026-11-20"
    csv_rows = cli("trends", "--repo", str(forever), "--today", "2026-11-20", "--format", "csv").stdout.splitlines()
    assert len(csv_rows) == 1 + MAX_WEEKS * len(teams)


def test_retro_discipline_of_a_cycle_over_centuries_is_counted_not_walked(cli, forever):
    result = cli("retro", "--repo", str(forever), "--unit", "banco", "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 0, result.stderr
    by_owner = {d["owner"]: d for d in json.loads(result.stdout)["checkin_discipline"]}
    days = (date(2026, 11, 20) - date(1, 1, 1)).days + 1  # one window per day, every one over or today
    checkins = len(list((forever / "checkins" / "discover").glob("*.yaml")))
    assert by_owner["discover"]["weeks"] == days
    assert by_owner["discover"]["weeks_with_checkin"] == checkins


def test_the_weeks_of_an_ordinary_quarter_are_unchanged():
    from okrctl.model.cycle import calendar_cycle, weeks_of

    quarter = calendar_cycle("2026-Q4")
    assert quarter is not None
    weeks = weeks_of(quarter, date(2026, 11, 20))
    assert weeks[0] == (1, date(2026, 10, 1), date(2026, 10, 7))
    assert weeks[-1] == (8, date(2026, 11, 19), date(2026, 11, 20))
    assert weeks_of(quarter, date(2027, 3, 1))[-1] == (14, date(2026, 12, 31), date(2026, 12, 31))
    assert weeks_of(quarter, date(2026, 9, 30)) == []


@pytest.mark.parametrize("written", ["２０２６-１１-２１", "٢٠٢٦-١١-٢١", "2026-11-21\\n"])
def test_a_date_in_other_digits_or_with_a_line_break_is_refused_for_what_it_is(written):
    """Other scripts' digits and a trailing line break passed the ISO form's pattern (``\\d``, ``$``),
    so the day was refused as "November 2026 has 30 days", which is true and no reason."""
    from okrctl.model.base import FieldProblem, _iso_date

    value = written.replace("\\n", "\n")
    with pytest.raises(FieldProblem) as refused:
        _iso_date(value)
    assert "has 30 days" not in str(refused.value) and str(refused.value).endswith("is not a date")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["status", "--cycle", "２０２６-Q4"], "--cycle: unknown cycle '２０２６-Q4'"),
        (
            ["retro", "--team", "cards", "--cycle", "2026-Q4\n"],
            "--cycle: unknown cycle '2026-Q4\\x0a' (did you mean '2026-Q4'?)",
        ),
        (["report", "--month", "２０２６-11"], "--month: '２０２６-11' is not a month YYYY-MM"),
        (["report", "--month", "2026-11\n"], "--month: '2026-11\\x0a' is not a month YYYY-MM"),
        (
            ["plan", "--team", "cards", "--cycle", "٢٠٢٧-Q1", "--write"],
            "--cycle: unknown cycle '٢٠٢٧-Q1' (use YYYY, YYYY-Qn, YYYY-Hn or a declared cycle)",
        ),
    ],
)
def test_a_cycle_or_month_in_other_digits_or_with_a_line_break_is_unknown(cli, copy_example, args, said):
    """``２０２６-Q4`` and ``2026-Q4\\n`` passed the calendar's patterns (``\\d``, ``$``): ``status`` said
    the cycle had no objective, and ``plan --write`` wrote a file ``align`` then called no cycle."""
    repo = copy_example("banco")
    result = cli(*args, "--repo", str(repo), "--today", "2026-11-20")
    assert result.exit_code == 2
    assert result.stderr == f"okrctl: {said}\n"
    assert sorted(p.name for p in (repo / "okrs").iterdir()) == ["2026-Q4"]
