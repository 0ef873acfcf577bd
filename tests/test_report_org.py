"""The organisation's report (the root unit), the age of the data, and every key result charted."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from okrctl.analysis.kr_chart import kr_chart
from okrctl.load.pipeline import load_repo
from okrctl.render.formats import renderer as render_for
from okrctl.views.report import build_report
from tests.conftest import DEMO_DAY, EXAMPLES, write_files
from tests.golden import assert_golden
from tests.test_report import BANCO, report_of


def test_the_root_report_counts_every_objective_of_the_cycle() -> None:
    data = report_of(BANCO)
    assert data["headline"]["text"] == "9 objectives in 2026-Q4: 5 on track, 3 at risk, 1 off track, 0 with no check-in"
    # The same statuses `status` shows for the nine objectives.
    from typer.testing import CliRunner

    from okrctl.cli.app import app

    status = CliRunner().invoke(app, ["status", "--repo", BANCO, "--today", DEMO_DAY, "-f", "json"])
    statuses = [o["status"] for o in __import__("json").loads(status.stdout)["objectives"]]
    assert len(statuses) == 9
    assert data["headline"]["on-track"] == statuses.count("on-track")
    assert data["headline"]["at-risk"] == statuses.count("at-risk")


def test_the_root_report_shows_the_strategy_and_what_serves_each_priority() -> None:
    data = report_of(BANCO)
    (strategy,) = data["strategies"]
    assert strategy["vision"].startswith("Banking that fits in a pocket")
    assert strategy["not_doing"] == [
        "Branch expansion",
        "Lending products for large corporates",
        "Replacing the core banking system in 2026",
    ]
    served = {
        p["ref"]: [(o["id"], o["owner"], o["contributors"]) for o in p["objectives"]] for p in strategy["priorities"]
    }
    assert served == {
        "strategy-2026/simplify-onboarding": [("digital-first-week", "digital-services", 3)],
        "strategy-2026/small-business": [("sme-bank-of-choice", "banco", 2)],
        "strategy-2026/resilience": [("resilient-digital-channels", "digital-services", 1)],
    }
    # Every objective of the cycle appears: the three serving a priority, and their six contributors.
    shown = {o["id"] for o in data["objectives"]} | {c["id"] for o in data["objectives"] for c in o["contributors"]}
    assert len(shown) == 9
    (unit,) = data["business_units"]
    assert (unit["unit"], unit["objectives"], unit["on-track"], unit["off-track"]) == ("digital-services", 8, 5, 1)


def test_a_priority_nobody_serves_is_said(copy_example) -> None:
    root = copy_example("banco")
    path = root / "okrs/2026-Q4/digital-services.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("to: strategy-2026/resilience", "to: strategy-2026/small-business"),
        encoding="utf-8",
    )
    data = report_of(root)
    resilience = next(p for p in data["strategies"][0]["priorities"] if p["ref"] == "strategy-2026/resilience")
    assert resilience["objectives"] == []
    assert data["priorities_without_contributors"] == [
        {"ref": "strategy-2026/resilience", "title": "Improve resilience of critical systems"}
    ]
    text = render_for("report", "text")(
        build_report(load_repo(root, use_cache=False), today=date(2026, 11, 20)), color=False, width=100
    )
    assert "⚠ nobody serves this priority" in text


def test_a_team_objective_serving_a_priority_directly_needs_no_contributor(copy_example, cli) -> None:
    """A team's objective aligned straight to a strategy priority leads the organisation's report
    with the strategic ones, but nothing has to align to a team's objective: it is not listed as a
    strategic objective with no contributor (OKR202 does not flag it either)."""
    root = copy_example("banco")
    path = root / "okrs/2026-Q4/discover.yaml"
    text = path.read_text(encoding="utf-8")
    link = "  - {to: digital-first-week, type: directional}\n"
    assert link in text
    path.write_text(text.replace(link, link + "  - {to: strategy-2026/simplify-onboarding}\n"), encoding="utf-8")
    assert cli("align", "--repo", str(root), "--today", DEMO_DAY, "--select", "OKR202").stdout == ""
    data = report_of(root)
    served = [o["id"] for p in data["strategies"][0]["priorities"] for o in p["objectives"]]
    assert "discover-first-week" in served
    assert "discover-first-week" not in data["objectives_without_contributors"]
    shown = render_for("report", "markdown")(build_report(load_repo(root, use_cache=False), today=date(2026, 11, 20)))
    unsupported = shown.partition("## Strategic objectives with no contributor")[2].partition("\n## ")[0]
    assert "discover-first-week" not in unsupported


def test_a_business_units_report_keeps_its_shape() -> None:
    data = report_of(BANCO, "--unit", "digital-services")
    assert data["strategies"] == [] and data["business_units"] == []
    assert [o["id"] for o in data["objectives"]] == [
        "digital-first-week",
        "resilient-digital-channels",
        "sme-digital-banking",
    ]


@pytest.mark.slow
def test_an_empty_month_falls_back_to_the_previous_one_and_says_so() -> None:
    data = report_of(BANCO, "--today", "2026-12-01")
    assert data["month"] == "2026-11" and data["as_of"] == "2026-11-30"
    assert data["month_note"] == "No check-in in December 2026 yet: this report covers November 2026."
    # Data age is measured on the day the report is read: every team is 11 days behind, stale.
    age = data["data_age"]
    assert age["measured_on"] == "2026-12-01"
    assert age["teams"]["discover"] == {"last_checkin": "2026-11-20", "days": 11, "stale": True}
    assert len(age["stale"]) == 7
    # --month still decides.
    assert report_of(BANCO, "--today", "2026-12-01", "--month", "2026-12")["month_note"] is None


def _discover_last_checked_in(root: Path, day: str) -> Path:
    """banco with discover's check-ins of the cycle replaced by one, of ``day``, before it."""
    for old in (root / "checkins" / "discover").glob("2026-1*.yaml"):
        old.unlink()
    first = (EXAMPLES / "banco" / "checkins" / "discover" / "2026-10-02.yaml").read_text(encoding="utf-8")
    (root / "checkins" / "discover" / f"{day}.yaml").write_text(
        first.replace("date: 2026-10-02", f"date: {day}"), encoding="utf-8"
    )
    return root


def test_a_team_that_stopped_before_the_cycle_shows_when_it_last_checked_in(copy_example, cli, tmp_path) -> None:
    """The report reads only its cycles' and month's check-ins, and each team's latest one before
    them: a team whose last check-in is older than the cycle is not shown as never checked in."""
    root = _discover_last_checked_in(copy_example("banco"), "2026-09-25")
    expected = {"last_checkin": "2026-09-25", "days": 56, "stale": True}
    # Without the store, with an empty one, with a filled one: the same answer.
    for env in ({"OKRCTL_NO_CACHE": "1"}, {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store")}):
        for _ in range(2):
            result = cli("report", "--repo", str(root), "--today", DEMO_DAY, "-f", "json", env=env)
            assert result.exit_code == 0, result.output
            assert json.loads(result.stdout)["data_age"]["teams"]["discover"] == expected
            text = cli("report", "--repo", str(root), "--today", DEMO_DAY, "--no-color", env=env).stdout
            assert "Data: last check-ins 2026-09-25 to 2026-11-20" in text


def test_a_team_not_judged_in_a_young_cycle_is_not_said_to_have_checked_in(copy_example, cli) -> None:
    """A week into the cycle, a team whose last check-in is a month old is not stale (OKR501 waits
    for the cycle to run that long): the line said "no team stale (checked in within 10 days)"."""
    root = _discover_last_checked_in(copy_example("banco"), "2026-09-10")
    data = json.loads(cli("report", "--repo", str(root), "--today", "2026-10-08", "-f", "json").stdout)
    assert data["data_age"]["teams"]["discover"] == {"last_checkin": "2026-09-10", "days": 28, "stale": False}
    text = " ".join(cli("report", "--repo", str(root), "--today", "2026-10-08", "--no-color").stdout.split())
    assert "no team stale on 2026-10-08 (a cycle under 10 days old: not judged yet)" in text.replace("│ ", "")
    assert "checked in within" not in text


def test_stale_teams_are_marked_in_every_format(copy_example) -> None:
    root = copy_example("banco")
    for day in ("2026-11-13", "2026-11-20"):
        (root / f"checkins/cards/{day}.yaml").unlink()
    repo = load_repo(root, use_cache=False)
    report = build_report(repo, today=date(2026, 11, 20), unit="digital-services")
    assert report.stale_owners == ["cards"]
    text = render_for("report", "text")(report, color=False, width=100)
    assert "2026-11-06 ⚠ stale" in text and "stale (no check-in in 10 days): Cards" in text
    assert "2026-11-06 ⚠ stale" in render_for("report", "markdown")(report, color=False, width=100)
    assert "⚠ 2026-11-06, stale (14 days)" in render_for("report", "html")(report, color=False, width=100)


def test_the_root_report_golden() -> None:
    from typer.testing import CliRunner

    from okrctl.cli.app import app

    args = ["report", "--repo", BANCO, "--today", DEMO_DAY, "--no-history"]
    for fmt, ext in (("text", "txt"), ("markdown", "md")):
        result = CliRunner().invoke(app, [*args, "--format", fmt], env={"COLUMNS": "100"})
        assert result.exit_code == 0, result.output
        assert_golden(f"report/banco-organisation.{ext}", result.stdout)


# ----- key result charts ---------------------------------------------------------------------------
def _objective(repo, objective_id):
    model = repo.objective(objective_id)
    return model, repo.cycle(model.cycle)


def test_a_paced_kr_is_charted_against_its_pace() -> None:
    repo = load_repo(Path(BANCO), use_cache=False)
    model, cycle = _objective(repo, "discover-first-week")
    kr = next(k for k in model.key_results if k.id == "tutorial-engagement")
    chart = kr_chart(kr, cycle, [(date(2026, 10, 9), 18.0), (date(2026, 11, 6), 30.0)], date(2026, 11, 20))
    assert chart.expected_path == [
        (date(2026, 10, 1), 15.0),
        (date(2026, 10, 31), 25.0),
        (date(2026, 11, 30), 40.0),
        (date(2026, 12, 31), 50.0),
    ]
    assert chart.expected_now == 35.0  # 25 + 15 × 20/30
    # One value per week begun by the day; the weeks before the first check-in have none.
    assert chart.weekly[0] == (date(2026, 10, 7), None)
    assert chart.weekly[1] == (date(2026, 10, 14), 18.0)
    assert chart.weekly[-1] == (date(2026, 11, 20), 30.0)
    assert len(chart.weekly) == 8
    # The forecast: the least-squares line through (start, 15), (8, 18), (36, 30) at day 91:
    # slope 300 / 714.67 a day, 14.84 at the start.
    assert chart.forecast is not None and abs(chart.forecast - 53.04) < 0.01
    assert chart.forecast_from is not None and chart.forecast_from[0] == date(2026, 11, 20)


def test_a_kr_without_enough_points_has_no_forecast_and_a_linear_path() -> None:
    repo = load_repo(Path(BANCO), use_cache=False)
    model, cycle = _objective(repo, "digital-first-week")
    kr = next(k for k in model.key_results if k.id == "drop-off")
    chart = kr_chart(kr, cycle, [(date(2026, 10, 9), 31.0)], date(2026, 11, 20))
    assert chart.expected_path == [(date(2026, 10, 1), 32.0), (date(2026, 12, 31), 24.0)]
    assert chart.forecast is None and chart.forecast_from is None
    assert chart.low < 24.0 and chart.high > 32.0


def test_every_key_result_is_charted_in_html_and_as_a_sparkline_in_text() -> None:
    repo = load_repo(Path(BANCO), use_cache=False)
    report = build_report(repo, today=date(2026, 11, 20))
    krs = sum(len(o.state.key_results) for o in report.objectives)
    html = render_for("report", "html")(report, color=False, width=100)
    assert html.count('<svg class="krchart"') == krs == 7
    text = render_for("report", "text")(report, color=False, width=100)
    assert "██▇▇▆▆▅▄ weekly · expected now 27.6%, target 24%" in text
    assert "forecast at cycle end 24.6%, 92% of the way to target" in text


def test_numbers_are_written_for_people() -> None:
    """A count stays a count, a value keeps the precision its KR is written with, the forecast in words."""
    repo = load_repo(Path(BANCO), use_cache=False)
    report = build_report(repo, today=date(2026, 11, 20), unit="digital-services")
    text = render_for("report", "text")(report, color=False, width=120)
    assert "forecast at cycle end 2,765, 51% of the way to target" in text  # users: 2,000 → 3,500
    assert "expected now 2,824, target 3,500" in text
    assert "forecast at cycle end 7.57, 100% of the way to target" in text  # minutes: 9.0 → 7.65
    assert "2,765.16" not in text and "24.61" not in text


def test_a_small_valued_key_result_shows_the_digits_status_shows(cli, tmp_path) -> None:
    """An error rate from 0.005% to 0.001% at 0.0031% was "Now 0%, target 0%" in the report (two
    decimals at most) while status showed 0.005% → 0.0031% → 0.001%."""
    root = tmp_path / "nums"
    (root / "checkins" / "co").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: Nums\n", "utf-8")
    (root / "units.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: co\nname: Co\ntype: company\n", "utf-8")
    (root / "obj.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: co-obj\nowner: co\ncycle: 2026-Q4\ntitle: Fewer errors\n"
        'key_results:\n  - {id: errors, title: Error rate, unit: "%", baseline: 0.005, target: 0.001}\n',
        "utf-8",
    )
    for day in ("2026-10-09", "2026-11-13"):
        (root / "checkins" / "co" / f"{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: co\ndate: {day}\nconfidence: 7\nresults: {{errors: 0.0031}}\n",
            "utf-8",
        )
    args = ("--repo", str(root), "--today", "2026-11-20")
    assert "0.005% → 0.0031% → 0.001%" in cli("status", *args, "--unit", "co").stdout
    text = cli("report", *args).stdout
    assert "0.0031%" in text and "0.001%" in text
    markdown = cli("report", *args, "--format", "markdown").stdout
    assert "| 0.0031% |" in markdown and "target 0.001%" in markdown
    html = cli("report", *args, "--format", "html").stdout
    assert 'data-label="Now">0.0031%</td>' in html and "target 0.001%" in html
    assert ">0.005</text>" in html and ">0.001</text>" in html  # the chart's axis


def test_measured_numbers() -> None:
    from okrctl.render import numbers

    assert numbers.decimals_of(2000, 3500, 2440.0) == 0
    assert numbers.decimals_of(32, 24, 27.8) == 1
    assert numbers.decimals_of(9.0, 7.65) == 2
    assert numbers.decimals_of(1.1, 4 / 3) == 2  # at most two from 1 up
    assert numbers.decimals_of(0.1, 1 / 3) == 3  # three significant digits below 1, as status shows them
    assert numbers.decimals_of(0.005, 0.001, 0.0031) == 4
    assert numbers.measured(2765.16, "users", decimals=0) == "2,765"
    assert numbers.measured(24.61, "%", decimals=1) == "24.6%"
    assert numbers.measured(8.2, None, decimals=2) == "8.2"
    assert numbers.measured(-0.004, None, decimals=2) == "0"
    assert numbers.measured(None, decimals=1) == "—"


def test_a_business_unit_inside_another_is_counted_in_the_outer_ones_row(cli, copy_example) -> None:
    """Digital Services holds a business unit of its own (Cards made one): the health table has one
    row per outermost business unit, so its column adds up to the objectives in scope."""
    import json

    root = copy_example("banco")
    cards = root / "units/cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("type: team", "type: business-unit"), encoding="utf-8")
    data = json.loads(cli("report", "--repo", str(root), "--today", "2026-11-20", "--format", "json").stdout)
    rows = {row["unit"]: row["objectives"] for row in data["business_units"]}
    assert list(rows) == ["digital-services"]
    assert sum(rows.values()) == 8  # every objective below the root; the root's own is not a unit's row


def test_a_team_with_no_check_in_keeps_the_others_date_in_every_format(cli, copy_example) -> None:
    """With Cards never checked in, Markdown and HTML wrote only "a team has none" and lost the
    others' last check-in, which text showed: "2026-11-20 (a team has none)"."""
    import shutil

    root = copy_example("banco")
    shutil.rmtree(root / "checkins" / "cards")
    args = ("report", "--repo", str(root), "--today", "2026-11-20")
    assert "2026-11-20 (a team has none) ⚠" in cli(*args).stdout
    markdown = cli(*args, "--format", "markdown").stdout
    assert "| 2026-11-20 (a team has none) | ⚠️ Cards |" in markdown
    html = cli(*args, "--format", "html").stdout
    assert '<td class="date" data-label="Last check-ins">2026-11-20 (a team has none)</td>' in html


def test_a_team_with_no_check_in_keeps_the_others_oldest_date_too(cli, copy_example) -> None:
    """The cell said "2026-11-20 (a team has none)" though Discover's last check-in was 2026-11-06:
    the oldest of the others was dropped."""
    import shutil

    root = copy_example("banco")
    shutil.rmtree(root / "checkins" / "cards")
    for day in ("2026-11-13", "2026-11-20"):
        (root / "checkins" / "discover" / f"{day}.yaml").unlink()
    args = ("report", "--repo", str(root), "--today", "2026-11-20")
    assert "| 2026-11-06 – 2026-11-20 (a team has none) | " in cli(*args, "--format", "markdown").stdout


def test_a_new_cycle_is_not_stale_on_its_first_days_though_the_last_check_in_is_older(cli, tmp_path) -> None:
    """Day 6 of Q4, the last check-ins from Q3: OKR501 and the digest say nobody is late yet, and
    so does the data age of October's report (it once called both units stale, from their Q3
    check-ins). That day's report covers September, Q3, which is not young
    (``test_a_report_of_the_quarter_that_ended_judges_that_quarter_whatever_was_drafted_since``)."""
    root = tmp_path / "org"
    (root / "okrs").mkdir(parents=True)
    (root / "checkins").mkdir()
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    (root / "units.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: co\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: tm\ntype: team\nparent: co\n",
        encoding="utf-8",
    )
    for owner in ("co", "tm"):
        for cycle in ("2026-Q3", "2026-Q4"):
            (root / "okrs" / f"{owner}-{cycle}.yaml").write_text(
                "# okrctl: ignore[OKR201,OKR302]\napiVersion: okrctl/v1\nkind: Objective\n"
                f"id: {owner}-{cycle.lower()}\nowner: {owner}\ncycle: {cycle}\ntitle: Grow\n"
                "key_results:\n  - {id: k1, title: K1 moves, baseline: 0, target: 10}\n",
                encoding="utf-8",
            )
        (root / "checkins" / f"{owner}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: {owner}\ndate: 2026-09-25\nconfidence: 7\n"
            "results: {k1: 5}\n",
            encoding="utf-8",
        )
    # The company also has an objective for the year: its own cycles are old, the team's are not.
    (root / "okrs" / "co-2026.yaml").write_text(
        "# okrctl: ignore[OKR201,OKR302]\napiVersion: okrctl/v1\nkind: Objective\nid: co-year\nowner: co\n"
        'cycle: "2026"\ntitle: A good year\nkey_results:\n  - {id: k2, title: K2 moves, baseline: 0, target: 10}\n',
        encoding="utf-8",
    )
    env = {"OKRCTL_NO_CACHE": "1"}

    def age(day: str, *args: str) -> dict:
        result = cli("report", "--repo", str(root), "--today", day, "--no-history", "-f", "json", *args, env=env)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["data_age"]

    def okr501(day: str) -> list[str]:
        result = cli("align", "--repo", str(root), "--today", day, "--select", "OKR501", "-f", "json", env=env)
        return sorted(f["message"].split("'")[1] for f in json.loads(result.stdout)["findings"])

    young = age("2026-10-06", "--month", "2026-10")
    assert young["stale"] == ["co"] and okr501("2026-10-06") == ["co"]
    assert young["teams"]["tm"] == {"last_checkin": "2026-09-25", "days": 11, "stale": False}
    assert age("2026-10-12")["stale"] == ["co", "tm"] and okr501("2026-10-12") == ["co", "tm"]


def quarter_ended_with_a_draft(root: Path) -> Path:
    """Acme, a business unit and its two teams with 2026-Q4 objectives, the teams' serving the
    unit's: Web last checked in on 2026-10-30 and has drafted 2027-Q1 already, App last checked in
    on 2026-12-18 and has not, the unit on 2026-12-30."""
    unit = "apiVersion: okrctl/v1\nkind: Unit\nid: {}\nname: {}\ntype: {}\n"
    files = {
        "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Acme\n",
        "units.yaml": "---\n".join(
            [
                unit.format("acme", "Acme", "company"),
                unit.format("bu", "Business", "business-unit") + "parent: acme\n",
                unit.format("web", "Web", "team") + "parent: bu\n",
                unit.format("app", "App", "team") + "parent: bu\n",
            ]
        ),
    }
    for owner, cycle in (("bu", "2026-Q4"), ("web", "2026-Q4"), ("app", "2026-Q4"), ("web", "2027-Q1")):
        aligns = "aligns:\n  - {to: bu-2026-q4, type: directional}\n" if owner != "bu" else ""
        files[f"okrs/{cycle}/{owner}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: Objective\nid: {owner}-{cycle.lower()}\nowner: {owner}\n"
            f"cycle: {cycle}\ntitle: {owner} in {cycle}\n{aligns}key_results:\n"
            "  - {id: a, title: A from 0 to 10, unit: x, baseline: 0, target: 10}\n"
            "  - {id: b, title: B from 0 to 10, unit: x, baseline: 0, target: 10}\n"
        )
    for owner, day in (("web", "2026-10-30"), ("app", "2026-12-18"), ("bu", "2026-12-30")):
        files[f"checkins/{owner}/{day}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: {owner}\ndate: {day}\nauthor: a@b\n"
            "confidence: 7\nresults: {a: 3}\n"
        )
    return write_files(root, files)


def test_a_report_of_the_quarter_that_ended_judges_that_quarter_whatever_was_drafted_since(
    cli, git_repo, tmp_path
) -> None:
    """On 2027-01-05 the report covers December and 2026-Q4. Web, silent for 67 days, was "not
    stale" because it had drafted 2027-Q1 (five days old), and the line said "no team stale (a cycle
    under 10 days old)"; App, with no draft, was stale at 18 days. Both are judged in 2026-Q4."""
    root = git_repo(quarter_ended_with_a_draft(tmp_path / "org"))
    for unit in ("acme", "bu"):
        args = ("report", "--repo", str(root), "--today", "2027-01-05", "--unit", unit, "--no-history")
        result = cli(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        data = json.loads(result.stdout)
        assert (data["month"], [c["id"] for c in data["cycles"]]) == ("2026-12", ["2026-Q4"])
        age = data["data_age"]
        assert age["teams"]["web"] == {"last_checkin": "2026-10-30", "days": 67, "stale": True}
        assert age["teams"]["app"] == {"last_checkin": "2026-12-18", "days": 18, "stale": True}
        assert age["stale"] == ["app", "web"]
        assert age["teams"]["bu"] == {"last_checkin": "2026-12-30", "days": 6, "stale": False}
        if unit == "acme":
            assert [b["stale"] for b in data["business_units"]] == [["app", "web"]]
        else:
            [objective] = data["objectives"]
            contributors = {c["owner"]: c["data_age"]["stale"] for c in objective["contributors"]}
            assert contributors == {"web": True, "app": True}
            assert "2026-10-30 ⚠ stale" in cli(*args, "--format", "markdown").stdout
        text = " ".join(cli(*args).stdout.replace("│", "").split())
        assert "stale (no check-in in 10 days): App, Web" in text
        assert "not judged yet" not in text
    # Sprints: the November report on the second one's third day covers both, and judges the first.
    config = root / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "cycles:\n  - {id: s1, start: 2026-10-01, end: 2026-11-27}\n"
        "  - {id: s2, start: 2026-11-28, end: 2027-01-31}\n",
        encoding="utf-8",
    )
    for path in (root / "okrs").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("2026-Q4", "s1").replace("2027-Q1", "s2"), encoding="utf-8")
    checkin = (root / "checkins" / "app" / "2026-12-18.yaml").read_text(encoding="utf-8")
    (root / "checkins" / "app" / "2026-11-27.yaml").write_text(
        checkin.replace("2026-12-18", "2026-11-27"), encoding="utf-8"
    )
    data = json.loads(cli("report", "--repo", str(root), "--today", "2026-11-30", "--no-history", "-f", "json").stdout)
    assert [c["id"] for c in data["cycles"]] == ["s1", "s2"]
    assert data["data_age"]["teams"]["web"] == {"last_checkin": "2026-10-30", "days": 31, "stale": True}


def test_the_first_days_of_a_quarter_report_the_one_that_ended_even_with_the_next_planned(copy_example, cli) -> None:
    """Once a team had drafted its next quarter's objective, the report of 2 January covered
    January (the draft alone, "no check-in") and the quarter's results were gone; and with no
    strategy spanning both quarters it never fell back."""
    root = copy_example("banco")
    (root / "strategy").mkdir(exist_ok=True)
    for path in root.rglob("*.yaml"):
        if "kind: Strategy" in path.read_text(encoding="utf-8"):
            path.unlink()  # no strategy of the year that holds both quarters
    draft = (root / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    draft = draft.replace("cycle: 2026-Q4", "cycle: 2027-Q1").replace("id: first-card-moment", "id: cards-2027-q1")
    (root / "okrs" / "cards-2027-q1.yaml").write_text(draft, encoding="utf-8")
    last = (root / "checkins" / "cards" / "2026-11-20.yaml").read_text(encoding="utf-8")
    (root / "checkins" / "cards" / "2026-12-18.yaml").write_text(
        last.replace("date: 2026-11-20", "date: 2026-12-18"), encoding="utf-8"
    )
    for args in ((), ("--unit", "cards")):
        result = cli("report", "--repo", str(root), "--today", "2027-01-02", "--format", "json", "--no-history", *args)
        assert result.exit_code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["month"] == "2026-12", args
        assert data["month_note"] == "No check-in in January 2027 yet: this report covers December 2026."


def test_scores_carry_their_band_in_the_json_as_in_the_text(cli) -> None:
    """report.md: the objective and each key result carry their score with its band in every
    format; the JSON had the score alone."""
    args = ("report", "--repo", BANCO, "--today", "2027-01-08", "--cycle", "2026-Q4", "--no-history")
    data = json.loads(cli(*args, "--format", "json").stdout)
    text = " ".join(cli(*args).stdout.split())
    scored = [o for o in data["objectives"] if o["score"] is not None]
    assert scored
    for objective in scored:
        band = "green" if objective["score"] >= 0.7 else ("yellow" if objective["score"] >= 0.4 else "red")
        assert objective["score_band"] == band
        assert f"score {objective['score']:.2f} ({band})" in text
        for kr in objective["key_results"]:
            assert kr["score_band"] == (None if kr["score"] is None else metrics_band(kr["score"]))


def metrics_band(score: float) -> str:
    return "green" if score >= 0.7 else ("yellow" if score >= 0.4 else "red")


def test_a_stray_checkin_of_the_month_before_does_not_move_the_report_there(copy_example, cli) -> None:
    """A check-in dated in September, outside every cycle of its team's objectives (OKR502), made
    the report of 1 October cover September, a month of no objective, instead of the quarter that
    had just begun."""
    root = copy_example("banco")
    last = (root / "checkins" / "discover" / "2026-11-20.yaml").read_text(encoding="utf-8")
    (root / "checkins" / "discover" / "2026-09-25.yaml").write_text(
        last.replace("date: 2026-11-20", "date: 2026-09-25"), encoding="utf-8"
    )
    args = ("report", "--repo", str(root), "--today", "2026-10-01", "--unit", "digital-services", "--no-history")
    data = json.loads(cli(*args, "--format", "json").stdout)
    assert data["month"] == "2026-10" and data["month_note"] is None


def test_a_team_under_the_company_outside_every_business_unit_has_a_health_row(cli, git_repo, tmp_path) -> None:
    """People Ops sits under the company, in no business unit: its off-track objective counted in
    the headline but was in no row of "Health per business unit", which showed Retail BU alone."""
    root = tmp_path / "org"
    files = {
        "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Acme\n",
        "units/units.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: acme\nname: Acme\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: retail\nname: Retail BU\ntype: business-unit\nparent: acme\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: sales\nname: Sales\ntype: team\nparent: retail\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: hr\nname: People Ops\ntype: team\nparent: acme\n",
    }
    for owner, confidence, value in [("sales", 8, 5), ("hr", 2, 0)]:
        files[f"okrs/{owner}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: Objective\nid: {owner}-q4\nowner: {owner}\ncycle: 2026-Q4\n"
            f"title: Objective of {owner}\nkey_results:\n"
            "  - {id: k1, title: K1 from 0 to 10, baseline: 0, target: 10}\n"
            "  - {id: k2, title: K2 from 0 to 10, baseline: 0, target: 10}\n"
        )
        files[f"checkins/{owner}/2026-11-13.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: {owner}\ndate: 2026-11-13\nconfidence: {confidence}\n"
            f"results: {{k1: {value}, k2: {value}}}\n"
        )
    write_files(root, files)
    git_repo(root)
    day = ["--repo", str(root), "--today", "2026-11-20"]
    result = cli("report", *day, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["headline"]["text"] == "2 objectives in 2026-Q4: 1 on track, 0 at risk, 1 off track, 0 with no check-in"
    assert [(b["unit"], b["objectives"]) for b in data["business_units"]] == [("hr", 1), ("retail", 1)]
    text = cli("report", *day).stdout
    health = text[text.index("Health per business unit") :]
    assert "People Ops                         1  ● 1 off track" in health
    assert "Retail BU                          1  ● 1 on track" in health
