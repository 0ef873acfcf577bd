"""Small values as a team writes them, and the report's words about a month without a check-in."""

from __future__ import annotations

import re
from pathlib import Path

from okrctl.render import numbers
from tests.conftest import Cli
from tests.helpers_git import commit_at

CONFIG = "apiVersion: okrctl/v1\nkind: Config\n"
UNITS = (
    "apiVersion: okrctl/v1\nkind: Unit\nid: co\ntype: company\n---\n"
    "apiVersion: okrctl/v1\nkind: Unit\nid: ta\nparent: co\n"
)


def _org(root: Path, objectives: str, checkin: str, day: str) -> Path:
    for folder in ("units", "okrs", "checkins/ta"):
        (root / folder).mkdir(parents=True)
    (root / "okrctl.yaml").write_text(CONFIG, encoding="utf-8")
    (root / "units/u.yaml").write_text(UNITS, encoding="utf-8")
    (root / "okrs/o.yaml").write_text(objectives, encoding="utf-8")
    (root / f"checkins/ta/{day}.yaml").write_text(
        f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: ta\ndate: {day}\nconfidence: 7\n{checkin}", encoding="utf-8"
    )
    return root


ERROR_RATES = """apiVersion: okrctl/v1
kind: Objective
id: ta-o
owner: ta
cycle: 2026-Q4
title: Fewer errors
key_results:
  - {id: err, title: Error rate stays low, type: maintain, max: 0.00005}
  - {id: fraud, title: Fraud rate falls, baseline: 0.00004, target: 0.00001}
"""


def test_a_value_below_a_ten_thousandth_is_written_out() -> None:
    assert [numbers.number(v) for v in (5e-05, 1.2e-05, -4e-05, 0.00012345)] == [
        "0.00005",
        "0.000012",
        "-0.00004",
        "0.000123",
    ]
    assert numbers.number(5e-05, "%") == "0.00005%"
    assert [numbers.plain(v) for v in (5e-05, 1.2345e-07)] == ["0.00005", "0.00000012345"]
    # Past fifteen zeros after the point, no one counts them.
    assert numbers.number(1e-16) == "1e-16" and numbers.plain(1e-300) == "1e-300"


def test_an_error_rate_written_as_a_fraction_reads_as_written(cli: Cli, tmp_path: Path) -> None:
    """``keep ≤ 5e-05: 1e-05`` and ``4e-05 → 1.2e-05 → 1e-05`` in status, ``≤ 5e-05`` in the report's
    range beside ``0.00001`` in its value column: Python's notation, not the team's."""
    root = _org(tmp_path / "org", ERROR_RATES, "results: {err: 0.00001, fraud: 0.000012}\n", "2026-10-16")
    status = cli("status", "--repo", str(root), "--team", "ta", "--today", "2026-10-16")
    assert status.exit_code == 0, status.stderr
    report = cli(
        "report", "--repo", str(root), "--unit", "ta", "--today", "2026-10-16", "--no-history", "--format", "markdown"
    )
    assert report.exit_code == 0, report.stderr
    for text in (status.stdout, report.stdout):
        assert not re.search(r"\de-\d", text), text
    assert "keep ≤ 0.00005: 0.00001" in status.stdout
    assert "0.00004 → 0.000012 → 0.00001" in status.stdout
    assert "≤ 0.00005" in report.stdout and "0.00004 → 0.00001" in report.stdout


TEAM_UNDER_COMPANY = """apiVersion: okrctl/v1
kind: Objective
id: co-o
owner: co
cycle: 2026-Q4
title: Company
key_results: [{id: a, title: A, baseline: 0, target: 10}, {id: b, title: B, baseline: 0, target: 10}]
---
apiVersion: okrctl/v1
kind: Objective
id: ta-o
owner: ta
cycle: 2026-Q4
title: Team
aligns: [{to: co-o}]
key_results: [{id: c, title: C, baseline: 0, target: 10}, {id: d, title: D, baseline: 0, target: 10}]
"""


def test_a_team_without_a_check_in_this_month_is_said_so_once(cli: Cli, tmp_path: Path) -> None:
    """The HTML report read "no check-in this month this month" in the team's row and card."""
    root = _org(tmp_path / "org", TEAM_UNDER_COMPANY, "results: {c: 5}\n", "2026-11-20")
    out = tmp_path / "r.html"
    args = ("--repo", str(root), "--today", "2026-12-10", "--month", "2026-12", "--no-history")
    result = cli("report", *args, "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    text = re.sub(r"<[^>]+>", "", out.read_text(encoding="utf-8"))
    assert "no check-in this month" in text
    assert "this month this month" not in text


def test_a_small_target_moved_reads_as_written_in_history_its_rule_and_the_digest(
    cli: Cli, copy_example, git_repo
) -> None:
    """``target 1e-05 → 5e-06`` in history, OKR601's message and the digest, where report and diff
    said ``0.00001 → 0.000005`` of the same change."""
    root = git_repo(copy_example("banco"), commit=False)
    cards = root / "okrs/2026-Q4/cards.yaml"
    added = "  - id: fraud-rate\n    title: Fraud rate falls\n    baseline: 0.0005\n    target: 0.00001\n"
    cards.write_text(cards.read_text(encoding="utf-8") + added, encoding="utf-8")
    commit_at(root, "2026-09-20", "OKRs")
    cards.write_text(cards.read_text(encoding="utf-8").replace("target: 0.00001", "target: 0.000005"), encoding="utf-8")
    commit_at(root, "2026-11-05", "lower the fraud target")
    moved = "0.00001 → 0.000005"
    history = cli("history", "--repo", str(root), "--today", "2026-11-20")
    align = cli("align", "--repo", str(root), "--today", "2026-11-20", "--select", "OKR601")
    digest = cli("digest", "--repo", str(root), "--today", "2026-11-06")
    for result in (history, align, digest):
        assert result.exit_code in (0, 1), result.output
        assert moved in result.stdout and "e-0" not in result.stdout, result.stdout


FRAUD_RATE = """apiVersion: okrctl/v1
kind: Objective
id: ta-o
owner: ta
cycle: 2026-Q4
title: Less fraud
key_results:
  - {id: fraud, title: Fraud rate falls, baseline: 0.05, target: 0.01, unit: "%"}
"""


def test_a_forecast_far_below_the_key_results_numbers_keeps_its_digits_in_report_and_site(
    cli: Cli, tmp_path: Path, git_repo
) -> None:
    """A fraud rate written 0.05% → 0.023% is forecast at 0.000302%, as `status` says: the report
    and the site read "forecast at cycle end 0%", and the chart's forecast label "0", at the three
    decimals of the numbers the team wrote. A forecast below 1 keeps its three significant digits."""
    weeks = ("2026-10-09", "2026-10-16", "2026-10-23", "2026-10-30", "2026-11-06", "2026-11-13", "2026-11-20")
    root = _org(tmp_path / "org", FRAUD_RATE, "results: {fraud: 0.05}\n", "2026-10-02")
    for day, value in zip(weeks, ("0.046", "0.042", "0.038", "0.034", "0.030", "0.027", "0.023"), strict=True):
        (root / f"checkins/ta/{day}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: ta\ndate: {day}\nconfidence: 7\nresults: {{fraud: {value}}}\n",
            encoding="utf-8",
        )
    git_repo(root)
    day = ("--repo", str(root), "--today", "2026-11-20")
    status = cli("status", *day, "--team", "ta")
    assert status.exit_code == 0, status.output
    assert "0.000302% (100%)" in status.stdout
    said = "forecast at cycle end 0.000302%, 100% of the way to target"

    report = cli("report", *day, "--unit", "ta", "--format", "markdown")
    assert report.exit_code == 0, report.output
    assert said in report.stdout

    site = tmp_path / "site"
    built = cli("site", str(site), *day)
    assert built.exit_code == 0, built.output
    for page in ("teams/ta.html", "objectives/ta-o.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert html.count(said) == 2, page  # under the key result's bar and in its chart's text alternative
        assert "forecast at cycle end 0%" not in html
        chart = re.search(r'<svg class="krchart".*?</svg>', html, re.S)
        assert chart is not None
        assert re.search(r'stroke-dasharray="1 3"[^>]*/><text[^>]*>0\.000302</text>', chart.group(0)), page


RATES = """apiVersion: okrctl/v1
kind: Objective
id: ta-o
owner: ta
cycle: 2026-Q4
title: A reliable web shop
key_results:
  - {id: errors, type: maintain, title: Keep the error rate at most 0.5%, unit: "%", max: 0.5}
  - {id: conv, title: Checkout conversion from 0.01 to 0.05, baseline: 0.01, target: 0.05}
"""


def test_a_value_below_1_is_rounded_half_up_alike_in_every_output(cli: Cli, tmp_path: Path, git_repo) -> None:
    """A check-in of 0.2345 read 0.234 in status, retro and the site's check-in table (half to even,
    on the float) and 0.235 in the report and the site's key result rows; 0.03125 read 0.0312 and
    0.0313. docs/format.md rounds half up, as a person rounds: 0.235 and 0.0313 everywhere."""
    root = git_repo(_org(tmp_path / "org", RATES, "results: {errors: 0.2345, conv: 0.03125}\n", "2026-11-20"))
    day = ("--repo", str(root), "--today", "2026-11-20")
    status = cli("status", *day, "--team", "ta")
    retro = cli("retro", *day, "--team", "ta")
    report = cli("report", *day, "--unit", "ta", "--format", "markdown")
    site = tmp_path / "site"
    built = cli("site", str(site), *day)
    for result in (status, retro, report, built):
        assert result.exit_code == 0, result.output
    page = (site / "teams/ta.html").read_text(encoding="utf-8")
    assert "keep ≤ 0.5%: 0.235%" in status.stdout and "0.01 → 0.0313 → 0.05" in status.stdout
    assert "keep ≤ 0.5%, now 0.235)" in retro.stdout and "0.01 → 0.05, now 0.0313)" in retro.stdout
    assert "| 0.235% |" in report.stdout and "| 0.0313 |" in report.stdout
    assert "<code>errors</code> 0.235</li>" in page and "<code>conv</code> 0.0313</li>" in page  # check-in table
    assert ">0.235%</td>" in page and ">0.0313</td>" in page  # the key result rows
    for text in (status.stdout, retro.stdout, report.stdout, page):
        assert "0.234" not in text and "0.0312" not in text


SCORES = """apiVersion: okrctl/v1
kind: Objective
id: ta-o
owner: ta
cycle: 2026-Q4
title: Grow the web shop
key_results:
  - {id: revenue, title: Revenue from 100 to 200, unit: k€, baseline: 100, target: 200}
  - {id: nps, title: NPS from 30 to 50, unit: points, baseline: 30, target: 50}
"""


def test_a_forecast_reads_alike_in_status_report_and_site_and_never_as_a_target_it_falls_short_of(
    cli: Cli, tmp_path: Path, git_repo
) -> None:
    """Forecasts of 196.754 (k€, written to a tenth) and 49.85 (points, whole) read 197 and 49.8 in
    status (three significant digits) but 196.8 and 50 in the report and the site, which said
    "forecast at cycle end 50, 99.2% of the way to target" beside "target 50". One rule now: the
    KR's own precision, and a forecast short of its target keeps the digit that says so."""
    root = _org(tmp_path / "org", SCORES, "results: {revenue: 110, nps: 32}\n", "2026-10-09")
    for day, revenue, nps in (("2026-10-23", 125, 34), ("2026-11-06", 140, 38), ("2026-11-20", 152.5, 41)):
        (root / f"checkins/ta/{day}.yaml").write_text(
            "apiVersion: okrctl/v1\nkind: CheckIn\nowner: ta\n"
            f"date: {day}\nconfidence: 7\nresults: {{revenue: {revenue}, nps: {nps}}}\n",
            encoding="utf-8",
        )
    git_repo(root)
    day = ("--repo", str(root), "--today", "2026-11-27")
    status = cli("status", *day, "--team", "ta")
    report = cli("report", *day, "--unit", "ta", "--format", "markdown")
    site = tmp_path / "site"
    built = cli("site", str(site), *day)
    for result in (status, report, built):
        assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in status.stdout.splitlines()]
    assert any(line.startswith("revenue ") and line.endswith(" 196.8 (97%)") for line in lines), status.stdout
    assert any(line.startswith("nps ") and line.endswith(" 49.8 (99.2%)") for line in lines), status.stdout
    said = ("forecast at cycle end 196.8, 97% of the way to target", "forecast at cycle end 49.8, 99.2% of the way")
    page = (site / "objectives/ta-o.html").read_text(encoding="utf-8")
    for text in (report.stdout, page):
        assert all(words in text for words in said), text
        assert "forecast at cycle end 50," not in text
    labels = re.findall(r'stroke-dasharray="1 3"[^>]*/><text[^>]*>([^<]*)</text>', page)
    assert labels == ["196.8", "49.8"]  # the charts' forecast labels


CORRUPTIONS = """apiVersion: okrctl/v1
kind: Objective
id: ta-o
owner: ta
cycle: 2026-Q4
title: Fewer silent data corruptions
key_results:
  - {id: rows, title: Corrupted rows per row written fall, unit: per row, baseline: 0.00000002, target: 0.00000001}
  - {id: pages, title: Corrupted pages per page read stay low, type: maintain, max: 0.000000005}
"""


def test_a_value_near_a_billionth_keeps_its_own_three_digits(cli: Cli, tmp_path: Path, git_repo) -> None:
    """A check-in of 0.0000000123496 read 0.0000000124 in status, report and retro, and
    0.00000000123456789 read 0.00000000124: rounded a first time at twelve decimals (0.00000001235),
    then again to three significant digits. Rounded once, half up, they read 0.0000000123 and
    0.00000000123."""
    checkin = "results: {rows: 0.0000000123496, pages: 0.00000000123456789}\n"
    root = git_repo(_org(tmp_path / "org", CORRUPTIONS, checkin, "2026-11-20"))
    day = ("--repo", str(root), "--today", "2026-11-20")
    status = cli("status", *day, "--team", "ta")
    retro = cli("retro", *day, "--team", "ta")
    report = cli("report", *day, "--unit", "ta", "--format", "markdown")
    for result in (status, retro, report):
        assert result.exit_code == 0, result.output
    assert "0.00000002 → 0.0000000123 → 0.00000001" in status.stdout
    assert "keep ≤ 0.000000005: 0.00000000123" in status.stdout
    assert "now 0.0000000123)" in retro.stdout and "now 0.00000000123)" in retro.stdout
    assert "| 0.0000000123 |" in report.stdout and "| 0.00000000123 |" in report.stdout
    for text in (status.stdout, retro.stdout, report.stdout):
        assert "0.0000000124" not in text and "0.00000000124" not in text
