"""``okrctl status``: golden screens, a key result worked by hand, JSON fields, literal text."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, an_objective_without_key_results, two_objectives_sharing_a_key_result_id
from tests.golden import assert_golden

BANCO = str(EXAMPLES / "banco")


def test_status_overview_golden(cli) -> None:
    result = cli("status", "--repo", BANCO, "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    assert_golden("status-banco.txt", result.stdout)


def test_status_team_golden(cli) -> None:
    result = cli("status", "--repo", BANCO, "--today", DEMO_DAY, "--team", "discover")
    assert result.exit_code == 0, result.stderr
    assert_golden("status-banco-discover.txt", result.stdout)


@pytest.mark.parametrize("option", ["--unit", "-u"])
def test_unit_is_another_name_of_team_as_in_report_trends_map_and_retro(cli, option) -> None:
    team = cli("status", "--repo", BANCO, "--today", DEMO_DAY, "--team", "discover")
    unit = cli("status", "--repo", BANCO, "--today", DEMO_DAY, option, "discover")
    assert unit.exit_code == 0, unit.stderr
    assert unit.stdout == team.stdout
    unknown = cli("status", "--repo", BANCO, "--today", DEMO_DAY, option, "x")
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("okrctl: --unit: unknown unit 'x'")


def test_team_and_unit_naming_two_units_is_refused(cli) -> None:
    same = cli("status", "--repo", BANCO, "--today", DEMO_DAY, "--team", "discover", "-u", "discover")
    assert same.exit_code == 0, same.stderr
    both = cli("status", "--repo", BANCO, "--today", DEMO_DAY, "--team", "discover", "--unit", "banco")
    assert both.exit_code == 2
    assert both.stderr == "okrctl: --team 'discover' and --unit 'banco' name one unit each; give one\n"


def test_status_team_with_several_objectives_golden(cli) -> None:
    result = cli("status", "--repo", BANCO, "--today", DEMO_DAY, "--team", "digital-services")
    assert result.exit_code == 0, result.stderr
    assert_golden("status-banco-digital-services.txt", result.stdout)


# ----- a key result worked by hand --------------------------------------------------------------------
HAND_REPO = {
    "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\n",
    "units.yaml": (
        "apiVersion: okrctl/v1\nkind: Unit\nid: org\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: alpha\nname: Alpha\nparent: org\n"
    ),
    "okrs/alpha.yaml": """\
apiVersion: okrctl/v1
kind: Objective
id: alpha-support
owner: alpha
cycle: 2026-Q4
title: Support that needs no tickets
key_results:
  - {id: tickets, title: Tickets fall from 400 to 280 a week, unit: tickets/week, baseline: 400, target: 280}
  - {id: signups, title: Self-service signups grow from 0 to 100, baseline: 0, target: 100,
     pace: {2026-10-31: 10, 2026-11-30: 60}}
""",
    "checkins/alpha/2026-10-15.yaml": "confidence: 7\nresults: {tickets: 380, signups: 4}\n",
    "checkins/alpha/2026-10-29.yaml": "confidence: 7\nresults: {tickets: 350, signups: 9}\n",
    "checkins/alpha/2026-11-12.yaml": "confidence: 4\nresults: {tickets: 340, signups: 30}\n",
}


def hand_repo(root: Path) -> Path:
    for name, text in HAND_REPO.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.startswith("checkins/"):
            day = path.stem
            text = f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: alpha\ndate: {day}\n" + text
        path.write_text(text)
    return root


def test_a_key_result_worked_by_hand_matches_status_json(cli, tmp_path: Path) -> None:
    """2026-Q4 runs 2026-10-01 → 2026-12-31: 91 days from start to end. Today is 2026-11-16, day 46.

    tickets (400 → 280, falling):
      value    340 (the check-in of 2026-11-12, the latest on or before today)
      progress (340 − 400) / (280 − 400) = −60 / −120 = 0.500
      expected 46 / 91 = 0.505
      status   gap 0.005 ≤ 0.15: on-track
      forecast points (0, 400) (14, 380) (28, 350) (42, 340): mean x 21, mean y 367.5,
               Σdx·dy = −1470, Σdx² = 980, slope −1.5 a day, intercept 399;
               at day 91: 399 − 136.5 = 262.5, past the target: progress 1.0
    signups (0 → 100 with pace 10 on 10-31 (day 30) and 60 on 11-30 (day 60)):
      value    30, progress 0.300
      expected paced value on day 46: 10 + (60 − 10) × 16 / 30 = 36.667, progress 0.367
      status   gap 0.067: on-track
      forecast points (0, 0) (14, 4) (28, 9) (42, 30): mean y 10.75, Σdx·dy = 665,
               slope 665 / 980 = 0.679, intercept 10.75 − 0.679 × 21 = −3.5;
               at day 91: −3.5 + 0.679 × 91 = 58.25, progress 0.583
    objective:
      progress (0.5 + 0.3) / 2 = 0.400, expected (0.505 + 0.367) / 2 = 0.436, gap 0.036: on-track
      confidence 4 of 0..10 is 0.4: at-risk; the worse of the two: at-risk
      confidence slope: 7, 7, 4 at weeks 0, 2, 4: Σdx·dy = −6, Σdx² = 8: −0.75 a week
    """
    root = hand_repo(tmp_path / "hand")
    result = cli("status", "--repo", str(root), "--today", "2026-11-16", "--team", "alpha", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    [objective] = data["objectives"]
    tickets, signups = objective["key_results"]

    def close(actual: float | None, by_hand: float) -> None:
        assert actual is not None and round(actual, 3) == round(by_hand, 3)

    assert tickets["value"] == 340
    close(tickets["progress"], 0.5)
    close(tickets["expected"], 46 / 91)
    assert tickets["status"] == "on-track"
    close(tickets["forecast"], 262.5)
    close(tickets["forecast_progress"], 1.0)

    assert signups["value"] == 30
    close(signups["progress"], 0.3)
    close(signups["expected"], 36.667 / 100)
    assert signups["status"] == "on-track"
    close(signups["forecast"], 58.25)
    close(signups["forecast_progress"], 0.5825)

    close(objective["progress"], 0.4)
    close(objective["expected"], (46 / 91 + 36.667 / 100) / 2)
    assert objective["status"] == "at-risk"
    assert objective["confidence"] == 4
    close(objective["confidence_slope_per_week"], -0.75)
    assert objective["last_checkin"] == "2026-11-12"
    assert objective["days_since_checkin"] == 4

    # The same numbers on the screen; a forecast as the KR's numbers are written (whole), half up.
    screen = cli("status", "--repo", str(root), "--today", "2026-11-16", "--team", "alpha").stdout
    text = "\n".join(" ".join(line.split()) for line in screen.splitlines())
    assert "▲ at-risk · progress 40%, expected 44%" in text
    assert "tickets 400 → 340 → 280 tickets/week ████░┃░░░░ 50%/51% ● on-track 263 (100%)" in text
    assert "signups 0 → 30 → 100 ███┃░░░░░░ 30%/37% ● on-track 58 (58%)" in text
    assert "▼ confidence drop 7 → 4 on 2026-11-12 (from 2026-10-29)" in text


ON_PLAN = {
    "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Fc Co\n",
    "units/ops.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: ops\nname: Ops\ntype: company\n",
    "okrs/ops.yaml": (
        "apiVersion: okrctl/v1\nkind: Objective\nid: ops-grow\nowner: ops\ncycle: 2026-Q2\ntitle: Grow active teams\n"
        "key_results:\n"
        "  - {id: teams, title: Weekly active teams rise from 10 to 280, baseline: 10, target: 280}\n"
        "  - {id: other, title: Other rises from 0 to 10, baseline: 0, target: 10}\n"
    ),
    "checkins/ops/2026-04-03.yaml": "confidence: 8\nresults: {teams: 16, other: 1}\n",
    "checkins/ops/2026-04-10.yaml": "confidence: 8\nresults: {teams: 37, other: 1}\n",
}


def on_plan_repo(root: Path, git_repo: Callable[..., Path]) -> Path:
    """2026-Q2 runs 2026-04-01 → 2026-06-30, 90 days. ``teams`` goes 10 → 280, 3 a day, and its
    points (0, 10) (2, 16) (9, 37) all lie on 10 + 3x: the forecast at day 90 is the target, 280,
    progress 1. The least-squares line gives 279.99999999999994 in floats."""
    return _written_repo(root, git_repo, ON_PLAN, "owner: ops\n")


def _written_repo(root: Path, git_repo: Callable[..., Path], files: dict[str, str], checkin_head: str) -> Path:
    """``files`` written under ``root`` (each check-in after its head: ``checkin_head`` and the date
    its name gives) and committed."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if name.startswith("checkins/"):
            text = f"apiVersion: okrctl/v1\nkind: CheckIn\n{checkin_head}date: {path.stem}\n" + text
        path.write_text(text)
    return git_repo(root)


def test_a_forecast_on_the_target_but_for_float_noise_reads_100_percent(cli, tmp_path: Path, git_repo) -> None:
    """A team exactly on its planned pace is forecast to reach the target. The text said
    "280 (>99.9%)", in yellow, beside a JSON forecast_progress of 1.0: the progress was taken of
    the float's noise (279.99999999999994) that the value itself leaves out."""
    root = on_plan_repo(tmp_path / "on-plan", git_repo)
    result = cli("status", "--repo", str(root), "--today", "2026-04-10", "--team", "ops", env={"COLUMNS": "150"})
    assert result.exit_code == 0, result.stderr
    [row] = [" ".join(line.split()) for line in result.stdout.splitlines() if line.strip().startswith("teams ")]
    assert row.endswith("● on-track 280 (100%)"), row
    result = cli("status", "--repo", str(root), "--today", "2026-04-10", "--format", "json")
    assert result.exit_code == 0, result.stderr
    teams = json.loads(result.stdout)["objectives"][0]["key_results"][0]
    assert (teams["forecast"], teams["forecast_progress"]) == (280, 1)


@pytest.mark.slow
def test_a_forecast_on_the_target_but_for_float_noise_is_green_at_a_terminal(tmp_path: Path, git_repo) -> None:
    """At a terminal the forecast's share is coloured by its band: green when it reaches the
    target. The on-plan forecast of 280 for a target of 280 was yellow, the colour of a shortfall."""
    import os
    import sys

    from tests.conftest import ROOT
    from tests.pty_driver import Terminal

    root = on_plan_repo(tmp_path / "on-plan", git_repo)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_NO_CACHE": "1", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "okrctl", "status", "--repo", str(root), "--today", "2026-04-10", "--team", "ops"]
    with Terminal(command, cwd=tmp_path, env=env, columns=150) as terminal:
        shown = terminal.expect_exit(0)
    [row] = [line for line in shown.splitlines() if "teams " in line]
    assert " 280\x1b[32m (100%)\x1b[0m" in row, repr(row)


TO_ZERO = {
    "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Fc Co\n",
    "units/app.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: app\nname: App\ntype: company\n",
    "okrs/app.yaml": (
        "apiVersion: okrctl/v1\nkind: Objective\nid: stable-app\nowner: app\ncycle: 2026-Q4\ntitle: A stable app\n"
        "key_results:\n"
        '  - {id: crashes, title: Crash rate falls from 1.3% to 0, unit: "%", baseline: 1.3, target: 0}\n'
        "  - {id: debt, title: Debt rises from -1.3 to 0, baseline: -1.3, target: 0}\n"
        "  - {id: adoption, title: Adoption rises from 0 to 4.03, baseline: 0, target: 4.03}\n"
        "  - {id: bugs, title: Open bugs fall from 1.31 to 0, baseline: 1.31, target: 0}\n"
        "  - {id: latency, type: maintain, title: Latency stays under 2, max: 2}\n"
        "  - {id: uptime, type: maintain, title: Uptime stays over 1, min: 1}\n"
        "  - {id: load, type: maintain, title: Load stays within 0 to 1, min: 0, max: 1}\n"
    ),
    "checkins/app/2026-10-08.yaml": (
        "results: {crashes: 1.2, debt: -1.2, adoption: 0.31, bugs: 1.21, latency: 1, uptime: 2, load: 0}\n"
    ),
    "checkins/app/2026-10-15.yaml": (
        "results: {crashes: 1.1, debt: -1.1, adoption: 0.62, bugs: 1.11, latency: 1, uptime: 2, load: 0}\n"
    ),
}


def to_zero_repo(root: Path, git_repo: Callable[..., Path]) -> Path:
    """2026-Q4: the line is drawn over 91 days. ``crashes`` (1.3 → 0), ``debt`` (-1.3 → 0) and
    ``adoption`` (0 → 4.03) are exactly on their pace; the least-squares line gives 2.22e-16,
    -2.22e-16 and 4.029999999999999. ``bugs`` (1.31 → 0) is forecast at 0.01, a real shortfall."""
    return _written_repo(root, git_repo, TO_ZERO, "owner: app\nconfidence: 7\n")


def test_a_forecast_on_a_target_of_0_but_for_float_noise_reads_the_target(cli, tmp_path: Path, git_repo) -> None:
    """Near 0 the forecast's float noise has no significant digits to lose: a team on its pace to a
    crash rate of 0 read "0% (>99.9%)" in yellow and JSON gave a forecast of 2.22044604925e-16. The
    noise is judged on the key result's own scale (``to_zero_repo``); a forecast 0.01 above its
    target of 0 falls short and says so, and a maintain key result (min, max or both) has no
    forecast at all."""
    root = to_zero_repo(tmp_path / "to-zero", git_repo)
    result = cli("status", "--repo", str(root), "--today", "2026-10-15", "--team", "app", env={"COLUMNS": "150"})
    assert result.exit_code == 0, result.stderr
    rows = {line.split()[0]: " ".join(line.split()) for line in result.stdout.splitlines() if line.startswith("  ")}
    assert rows["crashes"].endswith("● on-track 0% (100%)"), rows["crashes"]
    assert rows["debt"].endswith("● on-track 0 (100%)"), rows["debt"]
    assert rows["adoption"].endswith("● on-track 4.03 (100%)"), rows["adoption"]
    assert rows["bugs"].endswith(" 0.01 (99.2%)"), rows["bugs"]
    assert not [row for kr, row in rows.items() if kr in ("latency", "uptime", "load") and "%)" in row]
    result = cli("status", "--repo", str(root), "--today", "2026-10-15", "--format", "json")
    assert result.exit_code == 0, result.stderr
    krs = {kr["id"]: kr for kr in json.loads(result.stdout)["objectives"][0]["key_results"]}
    forecasts = {kr: (krs[kr]["forecast"], krs[kr]["forecast_progress"]) for kr in krs}
    assert forecasts == {
        "crashes": (0, 1),
        "debt": (0, 1),
        "adoption": (4.03, 1),
        "bugs": (0.01, 0.9924),
        "latency": (None, None),
        "uptime": (None, None),
        "load": (None, None),
    }


def test_status_json_carries_the_spec_field_names(cli) -> None:
    result = cli("status", "--repo", BANCO, "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["today"] == DEMO_DAY and [c["id"] for c in data["cycles"]] == ["2026-Q4"]
    assert len(data["objectives"]) == 9
    for objective in data["objectives"]:
        assert {"id", "owner", "cycle", "progress", "expected", "status", "confidence", "key_results"} <= set(objective)
        for kr in objective["key_results"]:
            assert {"id", "value", "progress", "expected", "status", "forecast", "score"} <= set(kr)
    discover = next(o for o in data["objectives"] if o["id"] == "discover-first-week")
    assert discover["issues"] == ["Two engineers lent to the card-migration project until end of November"]
    assert discover["key_results"][1]["note"].startswith("Interactive tutorial")


def test_after_the_cycle_the_scores_show(cli) -> None:
    result = cli("status", "--repo", BANCO, "--today", "2027-01-04", "--cycle", "2026-Q4", "--format", "json")
    data = json.loads(result.stdout)
    discover = next(o for o in data["objectives"] if o["id"] == "discover-first-week")
    # Progress at the cycle end (no check-in after 2026-11-20): 14/25 = 0.56, 20.5/35 = 0.586, 68/120 = 0.567.
    assert [kr["score"] for kr in discover["key_results"]] == [0.56, 0.59, 0.57]
    assert discover["score"] == 0.57
    text = cli("status", "--repo", BANCO, "--today", "2027-01-04", "--cycle", "2026-Q4", "--team", "discover").stdout
    assert "score 0.57 yellow" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--team", "discovr"], "--team: unknown unit 'discovr'; did you mean 'discover'? (units: banco, cards,"),
        (["--cycle", "2026-Q9"], "--cycle: unknown cycle '2026-Q9'"),
        # A slip of case is told, as OKR104 tells it in a file.
        (["--cycle", "2026-q4"], "--cycle: unknown cycle '2026-q4' (did you mean '2026-Q4'?)"),
        (["--format", "yaml"], "--format: 'yaml' is not one of text, json"),
        (["--today", "20/11/2026"], "--today: '20/11/2026' is not a date YYYY-MM-DD"),
    ],
)
def test_status_usage_errors(cli, args: list[str], message: str) -> None:
    result = cli("status", "--repo", BANCO, "--today", DEMO_DAY, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_nothing_active_is_said_plainly(cli) -> None:
    result = cli("status", "--repo", BANCO, "--today", "2027-03-01")
    assert result.exit_code == 0
    assert "No objective in a cycle that contains 2027-03-01; pass --cycle 2026-Q4 for the latest." in result.stdout


def test_text_from_files_is_shown_literally(cli, copy_example) -> None:
    root = copy_example("banco")
    path = root / "okrs/2026-Q4/discover.yaml"
    path.write_text(
        path.read_text().replace(
            "title: Make the first week seamless and confidence-boosting for new users",
            'title: "[bold red]Pwned[/bold red] \\e[31mred\\e[0m \\e]8;;http://x\\athere"',
        )
    )
    unit = root / "units/discover.yaml"
    unit.write_text(unit.read_text().replace("name: Discover", "name: '[link=http://x]Disc[/link]'"))
    for args in (["--team", "discover"], []):
        result = cli("status", "--repo", str(root), "--today", DEMO_DAY, *args)
        assert result.exit_code == 0, result.stderr
        assert "\x1b" not in result.stdout
        assert "[link=http://x]Di" in result.stdout
    result = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "discover")
    assert "[bold red]Pwned[/bold red] red there" in result.stdout
    assert "[link=http://x]Disc[/link] (discover)" in result.stdout


def test_the_cycle_line_says_when_a_cycle_starts_or_ended():
    from datetime import date

    from okrctl.model.cycle import calendar_cycle
    from okrctl.render.status.text import cycle_line

    q1 = calendar_cycle("2027-Q1")
    assert cycle_line(date(2026, 11, 20), [q1]) == "2027-Q1: starts 2027-01-01, in 42 days"
    assert cycle_line(date(2027, 4, 2), [q1]) == "2027-Q1: ended 2027-03-31"
    assert cycle_line(date(2027, 1, 1), [q1]) == "2027-Q1: day 1 of 90, 0% gone"


@pytest.mark.parametrize("args", [[], ["--team", "discover"]])
def test_a_narrow_terminal_leaves_columns_out_instead_of_cutting_numbers(cli, args):
    import re

    result = cli("status", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, *args, env={"COLUMNS": "60"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 60 for line in lines)
    assert not [line for line in lines if re.search(r"\d%?/…|\d…|on-tra…", line)], result.stdout
    # (COLUMNS off a terminal: the caption names it, not a terminal)
    assert "(COLUMNS too narrow:" in result.stdout
    assert re.search(r"\d+%/\d+%", result.stdout)


def _weekly_year_repo(root: Path, git_repo: Callable[..., Path]) -> Path:
    """A team's objective of 2026 whose key result has a long unit, with a check-in every week from
    January to November (a confidence sparkline of 44 points); committed."""
    unit = "tickets per week counted by the support team " * 3
    files = {
        "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\n",
        "units/t.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: t\nname: Team T\n",
        "okrs/t.yaml": (
            "apiVersion: okrctl/v1\nkind: Objective\nid: o\nowner: t\ncycle: 2026\ntitle: A year\nkey_results:\n"
            f"  - {{id: tickets, title: Fewer tickets, unit: {unit.strip()}, baseline: 400, target: 280}}\n"
        ),
    }
    for month in range(1, 12):
        for day in (1, 8, 15, 22):
            files[f"checkins/t/2026-{month:02}-{day:02}.yaml"] = "confidence: 7\nresults: {tickets: 390}\n"
    return _written_repo(root, git_repo, files, "owner: t\n")


@pytest.mark.parametrize("args", [[], ["--team", "t"]])
def test_a_file_or_a_pipe_without_columns_carries_each_table_whole(
    cli, tmp_path: Path, git_repo, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """Off a terminal the tables were fitted to 100 columns: the overview lost "confidence" and
    "last" under a caption that called the file a narrow terminal, the key results turned into
    blocks. With no COLUMNS set each table is as wide as it needs; COLUMNS set still fits it,
    under a caption that names COLUMNS."""
    root = _weekly_year_repo(tmp_path / "org", git_repo)
    fitted = cli("status", "--repo", str(root), "--today", "2026-12-20", *args, env={"COLUMNS": "100"})
    assert fitted.exit_code == 0, fitted.stderr
    assert "(COLUMNS too narrow: " in fitted.stdout and "narrow terminal" not in fitted.stdout
    monkeypatch.delenv("COLUMNS")
    result = cli("status", "--repo", str(root), "--today", "2026-12-20", *args)
    assert result.exit_code == 0, result.stderr
    assert "too narrow" not in result.stdout and "narrow terminal" not in result.stdout
    lines = result.stdout.splitlines()
    if args:
        [header] = [line for line in lines if line.startswith("  key result ")]
        assert header.split() == ["key", "result", "baseline", "→", "now", "→", "target", "progress/expected"] + [
            "status",
            "forecast",
        ]
        [row] = [line for line in lines if line.startswith("  tickets ")]
        assert "400 → 390 → 280 tickets per week" in row and re.search(r"\d+%/\d+% +✖ off-track +\S", row), row
    else:
        [header] = [line for line in lines if line.startswith("team ")]
        assert header.split() == ["team", "objective", "progress/expected", "status", "confidence", "last"]
        [row] = [line for line in lines if line.startswith("Team T ")]
        assert re.search(r"7/10 ▆{44} +28d$", row), row


def test_a_result_key_that_names_no_key_result_leaves_the_numbers_alone(cli, copy_example) -> None:
    root = copy_example("banco")
    before = json.loads(
        cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "cards", "--format", "json").stdout
    )
    path = root / "checkins/cards/2026-11-20.yaml"
    text = path.read_text().replace("  card-activation-7d: 56\n", "  card-activation-7d: 56\n  no-such-kr: 99\n")
    path.write_text(text)
    result = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "cards", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == before
    align = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", "concise")
    assert "result for 'no-such-kr', which is not a key result of cards's objectives on 2026-11-20" in align.stdout


def test_between_cycles_status_says_where_the_objectives_are_instead_of_none_in_any_cycle(cli) -> None:
    """After 2026-Q4 ended and before a 2027 objective exists, the team still has objectives: the
    screen says which cycle holds them and how to see it, never that there are none at all."""
    after = "2027-01-08"
    team = cli("status", "--repo", BANCO, "--today", after, "--team", "cards")
    assert team.exit_code == 0, team.stderr
    assert "any cycle" not in team.stdout
    assert "cards has no objective in a cycle that contains 2027-01-08; pass --cycle 2026-Q4 for its latest" in (
        " ".join(team.stdout.split())
    )
    overview = cli("status", "--repo", BANCO, "--today", after)
    assert "any cycle" not in overview.stdout
    assert "No objective in a cycle that contains 2027-01-08; pass --cycle 2026-Q4 for the latest" in (
        " ".join(overview.stdout.split())
    )
    shown = cli("status", "--repo", BANCO, "--today", after, "--team", "cards", "--cycle", "2026-Q4")
    assert "first-card-moment" in shown.stdout


@pytest.mark.parametrize("command", [["status", "--team", "cards"], ["trends", "--unit", "cards"], ["report"]])
def test_a_second_check_in_of_a_date_is_no_step_of_the_series(cli, copy_example, command: list[str]) -> None:
    """Two check-ins of cards for 2026-11-20 (rule OKR102): the views use the first in path order,
    the one the rule keeps, and never show the second as a move within the day ("6 → 3")."""
    root = copy_example("banco")
    first = root / "checkins/cards/2026-11-20.yaml"
    text = first.read_text(encoding="utf-8")
    args = [*command, "--repo", str(root), "--today", "2026-11-27", "--format", "json"]
    alone = cli(*args)
    assert alone.exit_code == 0, alone.stderr
    second = first.parent / "2026-11-20b.yaml"  # after the first in path order: the first stays
    second.write_text(text.replace("confidence: 6", "confidence: 3"), encoding="utf-8")
    after = cli(*args)
    assert after.exit_code == 0, after.stderr
    assert json.loads(after.stdout) == json.loads(alone.stdout)
    second.unlink()
    first.write_text(text.replace("confidence: 6", "confidence: 3"), encoding="utf-8")
    replaced = cli(*args)  # the day's one check-in says 3
    assert replaced.exit_code == 0 and json.loads(replaced.stdout) != json.loads(alone.stdout)
    before = first.parent / "2026-11-19z.yaml"  # before the first in path order: it is the day's
    before.write_text(text.replace("confidence: 6", "confidence: 3"), encoding="utf-8")
    first.write_text(text, encoding="utf-8")
    both = cli(*args)
    assert both.exit_code == 0, both.stderr
    assert json.loads(both.stdout) == json.loads(replaced.stdout)


def test_a_note_shows_on_the_key_result_it_was_written_for_only(cli, copy_example) -> None:
    """Two objectives of cards each have a key result 'x'; the check-in writes a note on ``o2/x``:
    status shows it under o2 only, never under o1's 'x' too."""
    root = copy_example("banco")
    two_objectives_sharing_a_key_result_id(root)
    checkin = root / "checkins/cards/2026-11-20.yaml"
    checkin.write_text(
        checkin.read_text(encoding="utf-8").replace(
            "results:\n", "results:\n  o1/x: 5\n  o2/x: {value: 50, note: only about o2}\n"
        ),
        encoding="utf-8",
    )
    data = json.loads(
        cli("status", "--repo", str(root), "--today", "2026-11-27", "--team", "cards", "-f", "json").stdout
    )
    notes = {o["id"]: [kr.get("note") for kr in o["key_results"]] for o in data["objectives"]}
    assert notes["o1"] == [None] and notes["o2"] == ["only about o2"]


def test_a_maintain_key_result_out_of_its_band_is_off_track_at_the_start_of_the_cycle(cli, copy_example) -> None:
    root = copy_example("banco")
    checkin = root / "checkins/digital-services/2026-10-09.yaml"
    text = checkin.read_text(encoding="utf-8")
    assert "app-availability:" in text
    checkin.write_text(re.sub(r"app-availability: [0-9.]+", "app-availability: 97.0", text), encoding="utf-8")
    args = ("status", "--repo", str(root), "--today", "2026-10-09", "--team", "digital-services", "-f", "json")
    krs = {kr["id"]: kr for o in json.loads(cli(*args).stdout)["objectives"] for kr in o["key_results"]}
    assert (krs["app-availability"]["progress"], krs["app-availability"]["status"]) == (0.0, "off-track")


def test_an_objective_without_key_results_says_so_instead_of_an_empty_table(cli, copy_example) -> None:
    root = copy_example("banco")
    an_objective_without_key_results(root)
    result = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "cards")
    assert result.exit_code == 0, result.stderr
    block = result.stdout.split("empty-one", 1)[1].split("\n\n", 1)[0]
    assert "No key results: nothing measures this objective (OKR302)." in block
    assert "baseline → now → target" not in block
    # Nothing measures it, so it is 0% against the cycle's elapsed share: off-track by now.
    assert "✖ off-track · progress 0%, expected 55%" in block


@pytest.mark.parametrize(
    "args",
    [["status", "--team", "discover"], ["status"], ["trends", "--unit", "discover"], ["retro", "--team", "discover"]],
)
def test_a_confidence_outside_the_scale_is_left_out_and_the_view_says_so(cli, copy_example, args) -> None:
    """Its values are shown; its confidence (OKR504) is no point of a trend, and the last confidence
    shown is an older check-in's: said on standard error, as documents with errors are."""
    folder = copy_example("banco")
    (folder / "checkins" / "discover" / "2026-11-21.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-21\nconfidence: 42\n"
        "results: {onboarding-completion: 89}\n",
        encoding="utf-8",
    )
    result = cli(*args, "--repo", str(folder), "--today", "2026-11-21")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "okrctl: note: a confidence outside the scale 0–10 in 1 check-in is left out of what is shown "
        "(first: checkins/discover/2026-11-21.yaml); 'okrctl align' shows where (OKR504)\n"
    )
    assert cli(*args, "--repo", str(EXAMPLES / "banco"), "--today", "2026-11-21").stderr == ""


def test_between_cycles_status_names_the_latest_cycle_that_has_started(cli, copy_example) -> None:
    """An objective planned for a cycle months ahead sent the reader there (`pass --cycle 2027-Q2`),
    where trends, map and report name the cycle that just ended."""
    root = copy_example("banco")
    planned = (root / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    planned = planned.replace("cycle: 2026-Q4", "cycle: 2027-Q2").replace("id: first-card-moment", "id: cards-later")
    (root / "okrs" / "cards-2027-q2.yaml").write_text(planned, encoding="utf-8")
    for args, said in (
        ((), "pass --cycle 2026-Q4 for the latest"),
        (("--team", "cards"), "pass --cycle 2026-Q4 for its latest"),
    ):
        result = cli("status", "--repo", str(root), "--today", "2027-01-08", *args)
        assert result.exit_code == 0, result.stderr
        assert said in " ".join(result.stdout.split())


def test_before_the_first_checkin_a_metric_is_at_its_baseline_in_every_format(cli) -> None:
    """SPEC §3: with no check-in, a key result's value is its baseline. The text said 65% and the
    JSON null; the report's text said "—". Its status is still no data."""
    day = "2026-10-01"
    data = json.loads(cli("status", "--repo", BANCO, "--today", day, "--team", "discover", "--format", "json").stdout)
    kr = data["objectives"][0]["key_results"][0]
    assert (kr["id"], kr["value"], kr["baseline"], kr["status"]) == ("onboarding-completion", 65, 65, "no-data")
    text = cli("status", "--repo", BANCO, "--today", day, "--team", "discover").stdout
    assert "65% → 65% → 90%" in " ".join(text.split())
    report = cli("report", "--repo", BANCO, "--today", day, "--unit", "discover", "--no-history")
    assert re.search(r"Onboarding completion rises from 65% to 90% +65% ", report.stdout), report.stdout
    data = json.loads(cli("report", "--repo", BANCO, "--today", day, "--format", "json", "--no-history").stdout)
    values = [k["value"] for o in data["objectives"] for k in o["key_results"] if k["type"] == "metric"]
    assert values and None not in values


@pytest.mark.parametrize("weight", ["5e-324", "1e-320", "1e-300"])
def test_equal_weights_however_small_give_the_plain_mean(cli, copy_example, weight: str) -> None:
    """Every key result weighted the same, however small the number (align accepts any weight > 0),
    the objective's progress and expected progress are those of equal weights: a weight of 5e-324
    times a progress rounds to nothing, which showed 100%/100% where the key results stood at 55%."""
    repo = copy_example("saas")

    def product() -> dict:
        result = cli("status", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return next(o for o in json.loads(result.stdout)["objectives"] if o["id"] == "platform-ready-for-5000")

    plain = product()
    path = repo / "okrs/2026-Q4/product.yaml"
    path.write_text(path.read_text().replace("    title: ", f"    weight: {weight}\n    title: "))
    assert cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--no-history").exit_code == 0
    weighed = product()
    assert [kr["weight"] for kr in weighed["key_results"]] == [float(weight)] * len(plain["key_results"])
    assert (weighed["progress"], weighed["expected"]) == (plain["progress"], plain["expected"])
    assert 0.5 < plain["progress"] < 0.9


# ----- ids cut alike, titles too long for the line ------------------------------------------------------
def _look_alike_ids(root: Path) -> Path:
    """saas with a second Product objective whose id extends the first one's, a p99 key result
    beside the p95 one, and a title with a large number in it."""
    product = root / "okrs/2026-Q4/product.yaml"
    text = product.read_text(encoding="utf-8")
    eu = re.sub(
        r"(?m)^supports:.*$", "", text.replace("id: platform-ready-for-5000\n", "id: platform-ready-for-5000-eu\n")
    )
    (root / "okrs/2026-Q4/product-eu.yaml").write_text(eu.replace("  - id: ", "  - id: eu-"), encoding="utf-8")
    p99 = (
        "  - id: dashboard-load-p99\n    title: 99th-percentile dashboard load time falls from 9 s to 4 s\n"
        "    unit: s\n    baseline: 9\n    target: 4\n  - id: billing-automation"
    )
    text = text.replace("  - id: billing-automation", p99, 1)
    product.write_text(text.replace("at 5,000 new subscriptions a month", "at 15,000,000 requests a day"), "utf-8")
    return root


def test_objectives_whose_ids_were_cut_alike_are_named_in_whole_under_the_table(cli, copy_example, git_repo) -> None:
    """At 80 columns platform-ready-for-5000 (on-track) and platform-ready-for-5000-eu (off-track)
    both read "Product  platform-ready-for…": nothing told which one was off-track. Under the table,
    as trends does, the rows cut alike are named in whole, in the table's order."""
    root = git_repo(_look_alike_ids(copy_example("saas")))
    assert cli("align", "--repo", str(root), "--today", DEMO_DAY).exit_code == 0
    for columns in ("80", "60"):
        result = cli("status", "--repo", str(root), "--today", DEMO_DAY, env={"COLUMNS": columns})
        assert result.exit_code == 0, result.stderr
        table, _, rest = result.stdout.partition("Rows whose names were cut alike, in the table's order:\n")
        rows = [line for line in table.splitlines() if line.startswith("Product  platform-ready-for…")]
        assert len(rows) == 2 and "● on-track" in rows[0] and "✖ off-track" in rows[1], table
        assert rest.split("\n\n")[0].splitlines() == [
            "  Product · platform-ready-for-5000",
            "  Product · platform-ready-for-5000-eu",
        ]
        assert "Acme Analytics" not in rest and "7 objectives: 4 on-track, 1 at-risk, 2 off-track" in rest
    wide = cli("status", "--repo", str(root), "--today", DEMO_DAY, env={"COLUMNS": "120"}).stdout
    assert "platform-ready-for-5000-eu " in wide and "cut alike" not in wide


def test_key_results_whose_ids_were_cut_alike_are_named_in_whole_under_their_table(cli, copy_example, git_repo) -> None:
    """status --team at 60 and 80 columns read "dashboard-…" for both dashboard-load-p95 and
    dashboard-load-p99, the ids a check-in names: they are named in whole under the table, in its
    order; eu-dashboard-load-p95, cut unlike any other, is not."""
    root = git_repo(_look_alike_ids(copy_example("saas")))
    for columns in ("60", "80", "85"):
        result = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "product", env={"COLUMNS": columns})
        assert result.exit_code == 0, result.stderr
        first, second = result.stdout.split("\nplatform-ready-for-5000-eu ")
        table, _, rest = first.partition("  Rows whose names were cut alike, in the table's order:\n")
        rows = [line for line in table.splitlines() if line.startswith("  dashboard-")]
        assert len(rows) == 2 and rows[0].split()[0] == rows[1].split()[0], table
        assert "3.2 → 2.3 → 1.5 s" in rows[0] and "9 → 9 → 4 s" in rows[1]
        key = rest.splitlines()
        assert key[:2] == ["    dashboard-load-p95", "    dashboard-load-p99"]
        assert key[2].startswith("  note on billing-automation:")
        assert "cut alike" not in second
    wide = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "product", env={"COLUMNS": "120"})
    assert "  dashboard-load-p99 " in wide.stdout and "cut alike" not in wide.stdout


@pytest.mark.parametrize("columns", [40, 60, 78, 80, 85, 100])
def test_an_objective_title_too_long_for_the_line_wraps_under_its_heading(
    cli, copy_example, git_repo, columns: int
) -> None:
    """The heading of status --team was cut: "…to run at 15,00…" at 80 columns, "Make the produ…"
    at 40, where the block layout promises nothing is cut. The title wraps at its spaces, its
    further lines set in under the block, every word whole."""
    root = git_repo(_look_alike_ids(copy_example("saas")))
    result = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "product", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(len(line) <= columns for line in lines), [line for line in lines if len(line) > columns]
    titles = {
        "platform-ready-for-5000": "Make the product effortless to buy and to run at 15,000,000 requests a day",
        "platform-ready-for-5000-eu": "Make the product effortless to buy and to run at 5,000 new subscriptions a month",
    }
    for objective, title in titles.items():
        start = next(n for n, line in enumerate(lines) if line.split(" ")[0] == objective)
        end = next(
            n for n in range(start + 1, len(lines)) if lines[n].startswith("  ● ") or lines[n].startswith("  ✖ ")
        )
        heading = lines[start:end]
        assert all(line.startswith("    ") for line in heading[1:]), heading
        assert " ".join(" ".join(heading).split()) == f"{objective} {title}", heading
        assert "…" not in "".join(heading)


LONG_ID = "trials-to-subscriptions-for-small-teams-in-europe-and-america"  # 61 characters, a valid id


@pytest.mark.parametrize("columns", [30, 50, 60])
def test_an_objective_id_wider_than_the_terminal_goes_on_over_the_next_line(
    cli, copy_example, git_repo, columns: int
) -> None:
    """status --team at 50 columns read "trials-to-subscriptions-for-small-teams-in-europe-" and
    went on with the title: the id's end was cropped, with no "…", so the line read as a whole id
    that okrctl history did not know. The id now goes on over the next line, every character shown."""
    root = copy_example("saas")
    for rel in ("okrs/2026-Q4/sales.yaml", "okrs/2026-Q4/product.yaml"):
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8").replace("trials-to-subscriptions", LONG_ID), "utf-8")
    root = git_repo(root)
    assert cli("align", "--repo", str(root), "--today", DEMO_DAY).exit_code == 0
    result = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--team", "sales", env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("trials-to-"))
    end = next(n for n in range(start, len(lines)) if lines[n].startswith("    Turn more trials"))
    assert "".join(lines[start:end]) == LONG_ID, lines[start:end]
    assert all(len(line) <= columns for line in lines[start:end])


# Eight Fridays of 2026-Q1: Low checks in at 10, 11 … 17 on a 0–100 scale, High at 30, 40 … 100.
WIDE_SCALE_WEEKS = [
    "2026-01-02",
    "2026-01-09",
    "2026-01-16",
    "2026-01-23",
    "2026-01-30",
    "2026-02-06",
    "2026-02-13",
    "2026-02-20",
]
WIDE_SCALE = {
    "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Demo\ncheckin: {confidence: {min: 0, max: 100}}\n",
    "units/org.yaml": (
        "apiVersion: okrctl/v1\nkind: Unit\nid: org\nname: Org\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: low\nname: Low\nparent: org\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: high\nname: High\nparent: org\n"
    ),
    **{
        f"okrs/{team}.yaml": (
            f"apiVersion: okrctl/v1\nkind: Objective\nid: {team}-obj\nowner: {team}\ncycle: 2026-Q1\ntitle: {team}\n"
            "key_results:\n  - {id: k1, title: K one, baseline: 0, target: 100}\n"
        )
        for team in ("low", "high")
    },
    **{
        f"checkins/{team}/{day}.yaml": f"owner: {team}\nconfidence: {confidence}\nresults: {{k1: 30}}\n"
        for week, day in enumerate(WIDE_SCALE_WEEKS)
        for team, confidence in (("low", 10 + week), ("high", 30 + 10 * week))
    },
}


@pytest.mark.parametrize("command", [["status"], ["status", "--team", "low"], ["status", "--team", "high"], ["trends"]])
def test_confidence_sparklines_on_a_wide_scale_draw_each_value_at_its_place(
    cli, tmp_path: Path, git_repo, command: list[str]
) -> None:
    """On a 0–100 scale, Low going 10, 11 … 17 and High going 30, 40 … 100 both drew ▁▂▃▄▅▆▇█ in
    status (overview and --team) and trends: each team's line was stretched over its own range,
    17/100 a full block beside a heat strip of low weeks. Each value now stands where the scale puts
    it, so the two lines compare."""
    root = _written_repo(tmp_path / "wide", git_repo, WIDE_SCALE, "")
    result = cli(*command, "--repo", str(root), "--today", "2026-02-20")
    assert result.exit_code == 0, result.stderr
    lines = {
        team: line
        for line in result.stdout.splitlines()
        for team in ("low", "high")
        if f" {team.title()} " in f" {line} "
    }
    drawn = {"low": " ▁▁▁▂▂▂▂▂ ", "high": " ▃▄▅▅▆▇██ "}  # 10–12 below an eighth of the scale, 13–17 above
    if command in (["status"], ["trends"]):
        assert drawn["low"] in lines["low"] and drawn["high"] in lines["high"], result.stdout
    else:
        [line] = [line for line in result.stdout.splitlines() if line.strip().startswith("confidence ")]
        assert drawn[command[-1]] in line, line


MISSED = {
    "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Demo\n",
    "units/d.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: d\nname: Dee\ntype: team\n",
    "okrs/d.yaml": (
        "apiVersion: okrctl/v1\nkind: Objective\nid: d1\nowner: d\ncycle: 2026-Q1\ntitle: Reliable\n"
        "key_results:\n"
        '  - {id: availability, type: maintain, title: Availability at three nines, unit: "%", min: 99.9}\n'
        "  - {id: uptime-ratio, type: maintain, title: Uptime ratio at three nines, min: 0.999}\n"
        "  - {id: latency, type: maintain, title: Latency under 250 ms, unit: ms, max: 250}\n"
        "  - {id: signups, title: Signups, baseline: 0, target: 1000}\n"
    ),
    "checkins/d/2026-02-06.yaml": (
        "confidence: 7\nresults: {availability: 99.896, uptime-ratio: 0.9986, latency: 250.004, signups: 999.996}\n"
    ),
}


@pytest.mark.parametrize(
    "command",
    [["status", "--team", "d"], ["report"], ["report", "--format", "markdown"], ["retro", "--team", "d"]],
)
def test_a_value_outside_its_bound_or_short_of_its_target_never_reads_as_it(
    cli, tmp_path: Path, git_repo, command: list[str]
) -> None:
    """Rounded as usual, 99.896 outside ``keep ≥ 99.9%`` read "99.9%" beside "off-track", 0.9986
    read 0.999, 250.004 above ``≤ 250`` read 250, and 999.996 of a target of 1,000 read "0 → 1,000 →
    1,000" beside ">99.9%", in status --team, the report and the retro alike. The value keeps the
    first decimal that tells it from the bound or target, as a forecast short of its target does."""
    root = _written_repo(tmp_path / "missed", git_repo, MISSED, "owner: d\n")
    result = cli(*command, "--repo", str(root), "--today", "2026-02-06")
    assert result.exit_code == 0, result.stderr
    for shown in ("99.896", "0.9986", "250.004", "999.996"):
        assert shown in result.stdout, (shown, result.stdout)
