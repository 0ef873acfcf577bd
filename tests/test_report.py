"""`okrctl report`: the monthly leadership roll-up, in every format."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from okrctl.analysis.changes import TargetChange
from okrctl.analysis.issues import normalise_issue
from okrctl.load.pipeline import load_repo
from okrctl.render.formats import formats
from okrctl.render.formats import renderer as render_for
from okrctl.views.report import build_report
from tests.conftest import DEMO_DAY, EXAMPLES, an_objective_without_key_results, write_files
from tests.golden import assert_golden

FORMATS = formats("report")

BANCO = str(EXAMPLES / "banco")
EXTENSIONS = {"text": "txt", "markdown": "md", "html": "html", "json": "json"}


def report_of(repo: Path | str, *args: str) -> dict:
    from typer.testing import CliRunner

    from okrctl.cli.app import app

    result = CliRunner().invoke(app, ["report", "--repo", str(repo), "--today", DEMO_DAY, "-f", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ----- golden files: what a leader sees -------------------------------------------------------------
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_report_of_digital_services_in_every_format(cli, fmt: str) -> None:
    result = cli("report", "--repo", BANCO, "--unit", "digital-services", "--today", DEMO_DAY, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_golden(f"report/digital-services.{EXTENSIONS[fmt]}", result.stdout)


def test_report_of_the_root_unit_is_the_default(cli) -> None:
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY)
    assert result.exit_code == 0, result.output
    assert_golden("report/banco.txt", result.stdout)


# ----- the roll-up --------------------------------------------------------------------------------------
def test_json_carries_the_spec_field_names() -> None:
    data = report_of(BANCO, "--unit", "digital-services")
    assert data["unit"] == {"id": "digital-services", "name": "Digital Services"}
    assert data["month"] == "2026-11" and data["as_of"] == DEMO_DAY
    assert [o["id"] for o in data["objectives"]] == [
        "digital-first-week",
        "resilient-digital-channels",
        "sme-digital-banking",
    ]
    objective_fields = {"id", "owner", "cycle", "progress", "expected", "status", "confidence", "key_results"}
    kr_fields = {"id", "value", "progress", "expected", "status", "forecast", "score"}
    for objective in data["objectives"]:
        assert objective_fields <= objective.keys()
        for contributor in objective["contributors"]:
            assert objective_fields <= contributor.keys()
        for kr in objective["key_results"]:
            assert kr_fields <= kr.keys()
    drop_off = data["objectives"][0]["key_results"][0]
    assert drop_off["id"] == "drop-off" and drop_off["value"] == 27.8 and drop_off["status"] == "on-track"


def test_headline_counts_every_objective_in_scope_by_status() -> None:
    # Digital Services' own three objectives and its five teams' ones; the contributors apart.
    data = report_of(BANCO, "--unit", "digital-services")
    assert data["headline"] == {
        "text": "8 objectives in 2026-Q4: 5 on track, 2 at risk, 1 off track, 0 with no check-in",
        "objectives": 8,
        "other_cycles": [],
        "on-track": 5,
        "at-risk": 2,
        "off-track": 1,
        "no-data": 0,
        "contributors": 5,
        "contributors_by_status": {"on-track": 3, "at-risk": 1, "off-track": 1, "no-data": 0},
    }


def test_contributors_through_intermediate_units_are_rolled_up() -> None:
    data = report_of(BANCO)  # the root unit: banco
    objective = next(o for o in data["objectives"] if o["id"] == "sme-bank-of-choice")
    chain = [(c["id"], c["team"], c["depth"], c["via"]) for c in objective["contributors"]]
    assert chain == [
        ("sme-digital-banking", "Digital Services", 1, []),
        ("sme-open-in-app", "Small Business App", 2, ["sme-digital-banking"]),
    ]


def test_explicit_alignment_to_a_key_result_counts_as_contributing() -> None:
    data = report_of(BANCO, "--unit", "digital-services")
    cards = next(c for c in data["objectives"][0]["contributors"] if c["owner"] == "cards")
    assert cards["aligns_to"] == "digital-first-week/nps" and cards["link"] == "explicit"


def test_confidence_change_is_measured_from_the_last_value_before_the_month() -> None:
    data = report_of(BANCO, "--unit", "digital-services")
    discover = next(c for c in data["objectives"][0]["contributors"] if c["owner"] == "discover")
    assert discover["confidence"] == 8.0 and discover["confidence_change"] == 3.0  # 5 on 2026-10-30
    moves = data["confidence_moves"]
    assert [(m["objective"], m["change"]) for m in moves] == [
        ("discover-first-week", 3.0),
        ("identity-fast-kyc", 2.0),
        ("digital-first-week", 1.0),
    ]


def test_an_earlier_month_is_reported_as_of_its_last_day() -> None:
    data = report_of(BANCO, "--unit", "digital-services", "--month", "2026-10")
    assert data["as_of"] == "2026-10-31"
    discover = next(c for c in data["objectives"][0]["contributors"] if c["owner"] == "discover")
    assert discover["last_checkin"] == "2026-10-30" and discover["confidence"] == 5.0
    drops = next(m for m in data["confidence_moves"] if m["objective"] == "discover-first-week")["drops"]
    assert drops == [{"from": "2026-10-16", "to": "2026-10-23", "before": 7.0, "after": 4.0}]


def test_a_past_cycle_is_reported_on_its_last_month() -> None:
    repo = load_repo(Path(BANCO), use_cache=False)
    report = build_report(repo, today=date(2027, 2, 10), unit="digital-services", cycle="2026-Q4")
    assert report.month == "2026-12" and report.as_of == date(2026, 12, 31)


def test_issues_are_counted_across_spellings(copy_example) -> None:
    root = copy_example("banco")
    spelling = "TWO engineers lent to the card migration project, until end of November!"
    (root / "checkins/discover/2026-11-27.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\n"
        f"date: 2026-11-27\nconfidence: 8\nissues: [{json.dumps(spelling)}]\n",
        encoding="utf-8",
    )
    data = report_of(root, "--unit", "digital-services", "--today", "2026-11-30")
    top = data["issues"][0]
    assert top["count"] == 3 and top["owners"] == ["discover"]
    assert top["issue"] == spelling  # the latest spelling


def test_issue_normalisation_ignores_case_space_and_punctuation() -> None:
    assert normalise_issue("  KYC: slow —  again!! ") == normalise_issue("kyc slow again")


def test_priorities_and_objectives_without_contributors_are_listed(copy_example) -> None:
    root = copy_example("banco")
    strategy = root / "strategy/2026.yaml"
    strategy.write_text(
        strategy.read_text(encoding="utf-8").replace(
            "  - {id: resilience,",
            "  - {id: open-banking, title: Open banking partnerships}\n  - {id: resilience,",
        ),
        encoding="utf-8",
    )
    (root / "okrs/2026-Q4/digital-services-extra.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: ds-lonely\nowner: digital-services\ncycle: 2026-Q4\n"
        "title: A strategic objective nobody feeds\naligns: [{to: strategy-2026/open-banking}]\n"
        "key_results:\n  - {id: a, title: Partners from 0 to 3, baseline: 0, target: 3}\n",
        encoding="utf-8",
    )
    data = report_of(root, "--unit", "digital-services")
    assert data["objectives_without_contributors"] == ["ds-lonely"]
    assert data["priorities_without_contributors"] == []  # ds-lonely serves it
    (root / "okrs/2026-Q4/digital-services-extra.yaml").unlink()
    data = report_of(root, "--unit", "digital-services")
    assert data["priorities_without_contributors"] == [
        {"ref": "strategy-2026/open-banking", "title": "Open banking partnerships"}
    ]
    for fmt in ("text", "markdown", "html"):
        out = render_for("report", fmt)(
            build_report(load_repo(root), today=date(2026, 11, 20), unit="digital-services", with_map=True),
            color=False,
            width=100,
        )
        assert "Open banking partnerships" in out, fmt


# ----- moved targets (from git history; the CLI passes none yet) ------------------------------------
def _change(day: str, objective: str, kr: str | None, field: str, old: object, new: object) -> TargetChange:
    return TargetChange(
        day=date.fromisoformat(day),
        commit="0123456789abcdef0123456789abcdef01234567",
        author_name="Rui Almeida",
        author_email="rui.almeida@example.com",
        path=f"okrs/2026-Q4/{objective}.yaml",
        objective_id=objective,
        kr_id=kr,
        field=field,
        old=old,
        new=new,
        cycle_started=True,
    )


def test_moved_targets_of_the_month_show_in_every_format() -> None:
    repo = load_repo(Path(BANCO), use_cache=False)
    changes = [
        _change("2026-11-12", "sme-open-in-app", "online-openings", "target", 200, 150),
        _change("2026-10-05", "sme-open-in-app", "time-to-open", "target", 1, 2),  # another month
        _change("2026-11-12", "identity-fast-kyc", "kyc-answer-time", "baseline", 6.0, 5.5),
        _change("2026-11-13", "resilient-core-services", "recovery-time", "target", 30, 45),
    ]
    report = build_report(repo, today=date(2026, 11, 20), unit="banco", moved_targets=changes, with_map=True)
    # Only this month's changes of objectives in the report (the organisation's: all of them).
    assert [(c.objective_id, c.kr_id) for c in report.moved_targets] == [
        ("identity-fast-kyc", "kyc-answer-time"),
        ("sme-open-in-app", "online-openings"),
        ("resilient-core-services", "recovery-time"),
    ]
    outputs = {fmt: render_for("report", fmt)(report, color=False, width=100) for fmt in FORMATS}
    assert "sme-open-in-app/online-openings" in outputs["text"] and "200 → 150" in outputs["text"]
    assert "`sme-open-in-app/online-openings`" in outputs["markdown"] and "200 → 150" in outputs["markdown"]
    assert "sme-open-in-app/online-openings" in outputs["html"] and "after the cycle started" in outputs["html"]
    moved = json.loads(outputs["json"])["moved_targets"]
    assert moved == [changes[2].to_dict(), changes[0].to_dict(), changes[3].to_dict()]


NOT_READ = {
    "text": "moved targets were not read (--no-history)",
    "markdown": "_Moved targets were not read (`--no-history`)._",
    "html": '<p class="meta">Moved targets were not read (<code>--no-history</code>).</p>',
}


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_without_history_the_report_says_the_moved_targets_were_not_read(cli, copy_example, git_repo, fmt) -> None:
    """--no-history skips git history: "no target changed" would be a claim nobody checked."""
    root = git_repo(copy_example("banco"))
    args = ("report", "--repo", str(root), "--today", DEMO_DAY, "--format", fmt)
    unread = cli(*args, "--no-history")
    assert unread.exit_code == 0, unread.output
    assert NOT_READ[fmt] in unread.stdout
    assert "no target, baseline or title changed this month" not in unread.stdout.lower()
    read = cli(*args)  # the history is read: nothing moved this month, and the report says that
    assert read.exit_code == 0, read.output
    assert "no target, baseline or title changed this month" in read.stdout.lower()
    assert "not read" not in read.stdout


def test_the_json_report_tells_moved_targets_not_read_from_none_moved(copy_example, git_repo) -> None:
    root = git_repo(copy_example("banco"))
    unread = report_of(root, "--no-history")
    assert (unread["moved_targets"], unread["moved_targets_read"]) == ([], False)
    read = report_of(root)
    assert (read["moved_targets"], read["moved_targets_read"]) == ([], True)
    assert list(read) == list(unread)  # the same keys either way: the list stays a list


# ----- options and errors ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "digital-service"], "unknown unit 'digital-service'; did you mean 'digital-services'?"),
        (["--month", "2026-13"], "--month: '2026-13' is not a month YYYY-MM"),
        (["--month", "2026-12"], "--month: 2026-12 has not begun on 2026-11-20"),
        (["--cycle", "2026-Q4", "--month", "2026-09"], "--month: 2026-09 is outside cycle 2026-Q4"),
        (["--cycle", "2026-Q9"], "--cycle: unknown cycle '2026-Q9'"),
        (["--format", "pdf"], "--format: 'pdf' is not one of text, markdown, html, json"),
    ],
)
def test_bad_options_are_usage_errors(cli, args: list[str], message: str) -> None:
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_output_writes_the_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()  # like the shell's ``>``, --output creates no folder
    result = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "-f", "html", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_unit_without_objectives_gets_a_report_that_says_so(cli) -> None:
    # June: Cards' objective is of 2026-Q4 (one live in December would be counted in 2026's report).
    args = ("--today", "2027-02-10", "--unit", "cards", "--cycle", "2026", "--month", "2026-06")
    result = cli("report", "--repo", BANCO, *args)
    assert result.exit_code == 0, result.output
    assert "Cards owns no objective in 2026." in result.stdout


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_month_no_cycle_covers_says_so_once(cli, fmt: str) -> None:
    result = cli("report", "--repo", BANCO, "--month", "1999-01", "--today", DEMO_DAY, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "no cycle · as of 1999-01-31" in result.stdout.replace("No cycle", "no cycle")
    assert "cycle no cycle" not in result.stdout.lower()


# ----- the HTML file stands alone ------------------------------------------------------------------------
def test_html_is_one_self_contained_file(cli) -> None:
    result = cli("report", "--repo", BANCO, "--unit", "digital-services", "--today", DEMO_DAY, "-f", "html")
    page = result.stdout
    lowered = page.lower()
    for forbidden in ("<script", "<link", "<img", "<iframe", "@import", "src=", "href=", "http://", "https://"):
        assert forbidden not in lowered, forbidden
    assert re.findall(r"url\((.)", page) == ["#"] * len(re.findall(r"url\(", page))  # markers inside the page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page and "@media (max-width:900px)" in page
    assert "default-src 'none'" in page  # Content-Security-Policy: nothing may load or run
    assert page.count("<svg") >= 1 + 5 + 5  # the map, a KR bar per key result, a trend per team
    assert 'class="map"' in page and 'class="trend"' in page


def test_text_fits_a_narrow_terminal(cli) -> None:
    result = cli("report", "--repo", BANCO, "--unit", "digital-services", "--today", DEMO_DAY, env={"COLUMNS": "60"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    for needed in ("Cards", "Identity Platform", "Small Business App", "● off track", "24.6%, 92% of the way to"):
        assert needed in result.stdout, needed


def test_report_and_retro_read_two_spellings_of_an_issue_alike() -> None:
    """One normaliser: the report used to keep the underscore that the retro treated as punctuation."""
    from okrctl.analysis import issues

    assert issues.normalise_issue("KYC_slow: again") == issues.normalise_issue("kyc slow again") == "kyc slow again"


@pytest.mark.parametrize("color", [False, True])
def test_a_large_report_rendered_by_two_processes_is_the_same_text(
    monkeypatch: pytest.MonkeyPatch, color: bool
) -> None:
    import okrctl.forked
    import okrctl.render.report.text as report_text

    repo = load_repo(EXAMPLES / "banco", use_cache=False)
    report = build_report(repo, today=date.fromisoformat(DEMO_DAY), unit="banco")
    alone = report_text.render(report, color=color, width=120)
    halves: list[int] = []
    meanwhile = okrctl.forked.meanwhile

    def counted(other, here):  # type: ignore[no-untyped-def]
        halves.append(1)
        return meanwhile(other, here)

    monkeypatch.setattr(report_text, "PARALLEL_MIN_ROWS", 0)
    monkeypatch.setattr(okrctl.forked, "meanwhile", counted)
    monkeypatch.setattr(okrctl.forked, "spare_core", lambda: True)
    assert report_text.render(report, color=color, width=120) == alone
    assert halves == [1]  # the second half was rendered in a worker


@pytest.mark.slow
def test_an_issue_raised_by_many_teams_names_the_first_few_for_readers(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from okrctl.render import report_widgets

    assert report_widgets.raisers(["A", "B"]) == "A, B"
    names = [f"Team {n}" for n in range(report_widgets.RAISERS_SHOWN + 412)]
    assert report_widgets.raisers(names) == ", ".join(names[: report_widgets.RAISERS_SHOWN]) + " and 412 more"
    monkeypatch.setattr(report_widgets, "RAISERS_SHOWN", 1)
    data = report_of(BANCO)
    shared = next(issue for issue in data["issues"] if len(issue["owners"]) == 2)
    assert len(shared["owners"]) == 2  # JSON names every team
    for fmt in ("text", "markdown", "html"):
        out = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--format", fmt).stdout
        assert "and 1 more" in out, fmt


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_month_no_strategy_covers_says_so_instead_of_every_priority_served(cli, fmt) -> None:
    args = ("report", "--repo", BANCO, "--today", DEMO_DAY, "--no-history", "--format", fmt)
    old = cli(*args, "--month", "1999-01")
    assert old.exit_code == 0, old.stderr
    assert "o strategy covers January 1999" in old.stdout
    assert "every priority has a contributor" not in old.stdout
    assert "every priority has a contributor" in cli(*args).stdout  # the strategy of 2026 is served


def test_a_cycle_that_has_not_begun_is_named_not_a_month_nobody_gave(cli) -> None:
    result = cli("report", "--repo", BANCO, "--cycle", "2099-Q1", "--today", DEMO_DAY)
    assert result.exit_code == 2
    assert result.stderr == (
        "okrctl: --cycle: 2099-Q1 begins on 2099-01-01, after 2026-11-20 (--today): nothing to report yet\n"
    )


def test_the_first_day_of_a_new_quarter_points_to_the_latest_cycle(cli) -> None:
    """On 2027-01-01 no cycle of banco has begun yet: the report says so and where to look, as
    status, map and trends do, rather than an empty page."""
    result = cli("report", "--repo", BANCO, "--today", "2027-01-01", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert "Banco Exemplo owns no objective in January 2027 (pass --cycle 2026-Q4 for the latest)." in result.stdout


@pytest.mark.slow
def test_a_business_unit_with_no_objective_in_the_period_has_no_data_age(cli) -> None:
    """On a quarter's first day no team owns an objective yet: the health table shows "—" for the
    data age, not "none" (which reads as "nobody checked in", while each team's page shows its
    last check-in). JSON keeps saying it with an empty ``teams``."""
    text = cli("report", "--repo", BANCO, "--today", "2027-01-01", env={"COLUMNS": "120"}).stdout
    rows = [line for line in text.splitlines() if line.startswith(("Corporate", "Retail", "Digital"))]
    assert rows and all(line.rstrip().endswith(" —") for line in rows), text
    markdown = cli("report", "--repo", BANCO, "--today", "2027-01-01", "--format", "markdown").stdout
    table = [line for line in markdown.splitlines() if line.startswith("| ") and "| 0 |" in line]
    assert table and all(line.endswith("| — | — |") for line in table), markdown
    html = cli("report", "--repo", BANCO, "--today", "2027-01-01", "--format", "html").stdout
    assert '<td class="date" data-label="Last check-ins">—</td><td data-label="Stale">—</td>' in html
    assert '<td class="date" data-label="Last check-ins">none</td>' not in html
    data = json.loads(cli("report", "--repo", BANCO, "--today", "2027-01-01", "--format", "json").stdout)
    assert all(unit["teams"] == {} and unit["stale"] == [] for unit in data["business_units"])
    # With objectives, the table says when the teams last checked in, as before.
    earlier = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--format", "markdown").stdout
    assert "| — | — |" not in earlier


def test_a_team_whose_latest_check_in_has_errors_is_not_stale_as_align_says(cli, copy_example, git_repo) -> None:
    """Discover's check-in of 2026-11-20 has a schema error: the report said "stale (no check-in in
    10 days): Discover", last check-in 2026-11-13, while OKR501 counts that check-in."""
    root = copy_example("banco")
    checkin = root / "checkins" / "discover" / "2026-11-20.yaml"
    checkin.write_text(checkin.read_text(encoding="utf-8").replace("confidence: 8\n", "confidence: 8/10\n"), "utf-8")
    git_repo(root)
    align = cli("align", "--repo", str(root), "--today", "2026-11-27", "--format", "concise").stdout
    assert "OKR101" in align and "OKR501" not in align
    data = json.loads(cli("report", "--repo", str(root), "--today", "2026-11-27", "--format", "json").stdout)
    assert data["data_age"]["teams"]["discover"] == {"last_checkin": "2026-11-20", "days": 7, "stale": False}
    assert data["data_age"]["stale"] == []
    text = cli("report", "--repo", str(root), "--today", "2026-11-27", env={"COLUMNS": "120"}).stdout
    assert "no team stale" in text and "stale (no check-in" not in text


@pytest.mark.slow
def test_before_the_first_objective_cycle_the_strategy_of_the_year_is_reported(cli) -> None:
    """In September 2026 banco's objectives (2026-Q4) have not begun, but its strategy (cycle
    2026) holds the day: the report is on that cycle, lists its priorities as served by nobody
    yet, and stays on September (August had no check-in to cover instead)."""
    data = json.loads(cli("report", "--repo", BANCO, "--today", "2026-09-15", "--format", "json").stdout)
    assert [c["id"] for c in data["cycles"]] == ["2026"]
    assert (data["month"], data["month_note"]) == ("2026-09", None)
    assert [p["ref"] for p in data["priorities_without_contributors"]] == [
        "strategy-2026/simplify-onboarding",
        "strategy-2026/small-business",
        "strategy-2026/resilience",
    ]
    text = cli("report", "--repo", BANCO, "--today", "2026-09-15").stdout
    assert "no strategy covers" not in text.lower()
    assert "⚠ Grow into the small-business segment (strategy-2026/small-business)" in text


def test_a_years_priorities_are_served_by_quarterly_objectives_in_the_strategy_panel(cli, copy_example) -> None:
    """The company's objective is of the year (cycle 2026), its teams' of the quarter: the report
    is on 2026, and the strategy panel lists the quarterly objectives serving each priority, as
    the priorities without contributors (and align's OKR202) count them. It never says
    "nobody serves this priority" next to "every priority has a contributor"."""
    root = copy_example("saas")
    path = root / "okrs/2026-Q4/acme.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cycle: 2026-Q4", 'cycle: "2026"'), encoding="utf-8")
    data = json.loads(cli("report", "--repo", str(root), "--today", "2026-11-27", "--format", "json").stdout)
    assert [c["id"] for c in data["cycles"]] == ["2026"]
    served = {p["ref"]: [o["id"] for o in p["objectives"]] for s in data["strategies"] for p in s["priorities"]}
    assert served == {
        "strategy-2026/grow-subscriptions": ["subscriptions-5000"],
        "strategy-2026/scale-operations": ["platform-ready-for-5000"],
        "strategy-2026/loved-by-customers": ["value-in-two-weeks"],
    }
    assert data["priorities_without_contributors"] == []
    text = cli("report", "--repo", str(root), "--today", "2026-11-27").stdout
    assert "nobody serves this priority" not in text
    for args in (["--repo", str(root)], ["--repo", BANCO, "--cycle", "2026"]):
        shown = cli("map", *args, "--today", "2026-11-27").stdout
        assert "no contributor" not in shown, shown


def test_every_objective_the_headline_counts_can_be_found_in_the_report(cli, copy_example) -> None:
    """Small Business App aligns straight to the company's objective, past Digital Services: the
    business unit's headline counts it (off track), so its report lists it under "Other
    objectives", with its team's issues among those raised most."""
    root = copy_example("banco")
    path = root / "okrs/2026-Q4/small-business-app.yaml"
    text = path.read_text(encoding="utf-8")
    assert "{to: sme-digital-banking, type: directional}" in text
    path.write_text(text.replace("{to: sme-digital-banking", "{to: sme-bank-of-choice"), encoding="utf-8")
    args = ("report", "--repo", str(root), "--unit", "digital-services", "--today", "2026-11-27")
    data = json.loads(cli(*args, "--format", "json").stdout)
    assert (data["headline"]["objectives"], data["headline"]["off-track"]) == (8, 1)
    assert [(o["id"], o["status"]) for o in data["other_objectives"]] == [("sme-open-in-app", "off-track")]
    assert any("proof-of-address" in issue["issue"] for issue in data["issues"])
    text_out = cli(*args).stdout
    assert "Other objectives under Digital Services (1)" in text_out and "sme-open-in-app" in text_out
    html = cli(*args, "--format", "html").stdout
    assert "<h3>Other objectives under <bdi>Digital Services</bdi> (1)</h3>" in html


def test_an_other_objective_s_confidence_move_and_moved_target_are_in_the_report(cli, copy_example, git_repo) -> None:
    """Small Business App aligns straight to the company's objective, past Digital Services, and is
    listed under "Other objectives". Its confidence fell 3 → 0 and its target moved in November:
    the business unit's report said "no target, baseline or title changed this month" and left the
    fall out of the largest moves, while the unit's digest listed the moved target."""
    from tests.helpers_git import commit_at, edit

    root = git_repo(copy_example("banco"), commit=False)
    edit(root / "okrs/2026-Q4/small-business-app.yaml", r"\{to: sme-digital-banking", "{to: sme-bank-of-choice")
    commit_at(root, "2026-09-25", "OKRs for 2026-Q4")
    edit(root / "checkins/small-business-app/2026-11-20.yaml", r"^confidence: 3$", "confidence: 0")
    edit(root / "okrs/2026-Q4/small-business-app.yaml", r"^    target: 200$", "    target: 180")
    commit_at(root, "2026-11-18", "a harder month")
    args = ("--repo", str(root), "--unit", "digital-services", "--today", DEMO_DAY)
    data = json.loads(cli("report", *args, "--format", "json").stdout)
    assert [o["id"] for o in data["other_objectives"]] == ["sme-open-in-app"]
    moved = [(c["objective"], c["field"], c["old"], c["new"]) for c in data["moved_targets"]]
    assert ("sme-open-in-app", "target", 200, 180) in moved
    digest = json.loads(cli("digest", *args, "--format", "json").stdout)
    assert ("sme-open-in-app", "target") in [(c["objective"], c["field"]) for c in digest["moved_targets"]]
    [move] = [m for m in data["confidence_moves"] if m["objective"] == "sme-open-in-app"]
    assert (move["from"]["confidence"], move["to"]["confidence"]) == (3, 0)
    text = " ".join(cli("report", *args).stdout.split())
    assert "sme-open-in-app/" in text and "no target, baseline or title changed this month" not in text


def _half_year_group_with_quarterly_teams(root: Path, b_aligns: str) -> Path:
    """acme (yearly objective) → business unit bu (half-year objective) → teams a and b (quarterly):
    a-q2 feeds bu-h1; b-q2 aligns as ``b_aligns`` says. Everyone checked in on 2026-06-12."""
    head = "apiVersion: okrctl/v1\n"
    krs = (
        "key_results:\n"
        '  - {id: k1, title: Raise k1, unit: "%", baseline: 0, target: 100}\n'
        '  - {id: k2, title: Raise k2, unit: "%", baseline: 0, target: 100}\n'
    )
    files = {
        "okrctl.yaml": f"{head}kind: Config\norganization: T\n",
        "units/all.yaml": "---\n".join(
            f"{head}kind: Unit\nid: {unit}\n{extra}"
            for unit, extra in (
                ("acme", "type: company\n"),
                ("bu", "type: business-unit\nparent: acme\n"),
                ("a", "parent: bu\n"),
                ("b", "parent: bu\n"),
            )
        ),
        "strategy/s.yaml": f"{head}kind: Strategy\nid: s\nowner: acme\ncycle: '2026'\n"
        "priorities:\n  - {id: grow, title: Grow}\n",
    }
    for objective_id, owner, cycle, aligns in (
        ("acme-y", "acme", "'2026'", "aligns: [{to: s/grow}]\n"),
        ("bu-h1", "bu", "2026-H1", "aligns: [{to: acme-y}]\n"),
        ("a-q2", "a", "2026-Q2", "aligns: [{to: bu-h1}]\n"),
        ("b-q2", "b", "2026-Q2", b_aligns),
    ):
        files[f"okrs/{owner}.yaml"] = (
            f"{head}kind: Objective\nid: {objective_id}\nowner: {owner}\ncycle: {cycle}\n"
            f"title: Objective of {owner}\n{aligns}{krs}"
        )
        files[f"checkins/{owner}/2026-06-12.yaml"] = (
            f"{head}kind: CheckIn\nowner: {owner}\ndate: 2026-06-12\nconfidence: 2\n"
            f"results: {{k1: 10, k2: 10}}\nissues: [Blocked {owner}]\n"
        )
    return write_files(root, files)


@pytest.mark.parametrize("b_aligns", ["aligns: [{to: acme-y}]\n", ""], ids=["past-the-unit", "to-nothing"])
def test_a_teams_quarterly_objective_not_feeding_the_units_half_year_is_counted(
    cli, tmp_path: Path, git_repo, b_aligns: str
) -> None:
    """bu's objective is of the half-year, its teams' of the quarter. b-q2 aligns past bu to the
    company's objective, or to nothing (OKR201): bu's report counted only bu-h1 and a-q2, and the
    root's report counted b-q2 in bu's row only when it fed the company's objective, while
    "Blocked b" was among the issues of both. It is counted, and listed, in every format and on
    the site's page of bu."""
    root = git_repo(_half_year_group_with_quarterly_teams(tmp_path / "org", b_aligns))
    args = ("report", "--repo", str(root), "--today", "2026-06-15")
    unit = json.loads(cli(*args, "--unit", "bu", "-f", "json").stdout)
    assert (
        unit["headline"]["text"]
        == "3 objectives in 2026-H1, 2026-Q2: 0 on track, 0 at risk, 3 off track, 0 with no check-in"
    )
    assert [(o["id"], o["status"]) for o in unit["other_objectives"]] == [("b-q2", "off-track")]
    org = json.loads(cli(*args, "-f", "json").stdout)
    assert org["headline"]["objectives"] == 4 and org["headline"]["off-track"] == 4
    assert [(b["unit"], b["objectives"], b["off-track"]) for b in org["business_units"]] == [("bu", 3, 3)]
    if not b_aligns:  # an orphan: listed as such in the organisation's report
        assert org["serving_no_priority"] == ["b-q2"]
        assert [o["id"] for o in org["other_objectives"]] == ["b-q2"]
    for fmt in ("text", "markdown", "html"):
        out = " ".join(cli(*args, "--unit", "bu", "--format", fmt).stdout.split())
        assert "3 objectives in 2026-H1, 2026-Q2" in out, fmt
        listed = out[out.index("Other objectives under") :]
        assert listed.startswith(("Other objectives under bu (1)", "Other objectives under <bdi>bu</bdi> (1)")), fmt
        assert "b-q2" in listed, fmt
    site = tmp_path / "site"
    assert cli("site", str(site), "--repo", str(root), "--today", "2026-06-15").exit_code == 0
    page = " ".join((site / "units" / "bu.html").read_text(encoding="utf-8").split())
    assert "3 objectives in 2026-H1, 2026-Q2" in page and "Other objectives under <bdi>bu</bdi> (1)" in page


def test_the_headline_names_the_cycle_of_every_objective_it_counts(cli, copy_example) -> None:
    """A Sales objective of a declared cycle overlapping 2026-Q4 feeds the company's objective: the
    headline counts it, and names its cycle too, not "7 objectives in 2026-Q4"."""
    root = copy_example("saas")
    with (root / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write("cycles:\n  - {id: sprint-x, start: 2026-11-01, end: 2027-01-31}\n")
    (root / "okrs/2026-Q4/sprint.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: sprint-sales\nowner: sales\ncycle: sprint-x\n"
        "title: Close the winter deals\naligns: [{to: subscriptions-5000, type: directional}]\n"
        "key_results:\n  - {id: deals, title: Deals closed, baseline: 0, target: 10}\n",
        encoding="utf-8",
    )
    data = json.loads(cli("report", "--repo", str(root), "--today", "2026-11-27", "--format", "json").stdout)
    assert data["headline"]["text"].startswith("7 objectives in 2026-Q4, sprint-x: ")
    assert [c["id"] for c in data["cycles"]] == ["2026-Q4"] and data["headline"]["other_cycles"] == ["sprint-x"]


def test_needs_attention_counts_read_as_words(cli, copy_example) -> None:
    """One file with errors: "1 file problem", not "1 file problem(s)", in every format."""
    root = copy_example("banco")
    (root / "okrs/2026-Q4/broken.yaml").write_text("apiVersion: okrctl/v1\nkind: Objective\nid: [\n", encoding="utf-8")
    for fmt in ("text", "markdown", "html"):
        out = cli("report", "--repo", str(root), "--today", "2026-11-20", "--format", fmt).stdout
        assert "1 file problem left documents out" in out and "(s)" not in out, fmt


@pytest.mark.parametrize(
    ("today", "month", "said"), [("2026-12-30", "2026-12", "99.7%"), ("2026-01-02", "2026-01", "0.3%")]
)
def test_a_years_first_and_last_days_are_not_0_or_100_percent_elapsed(cli, copy_example, today, month, said) -> None:
    """The header's elapsed share reads as status's "gone" and the "expected" under it: a cycle under
    way is never 0% or 100% elapsed, in every format."""
    root = copy_example("banco")
    (root / "okrs/2026").mkdir()
    (root / "okrs/2026/banco.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: banco-year\nowner: banco\ncycle: '2026'\n"
        "title: A yearly objective of the bank\naligns: [{to: strategy-2026/small-business, type: directional}]\n"
        "key_results:\n  - {id: year-revenue, title: Revenue grows from 100 to 200, baseline: 100, target: 200}\n",
        encoding="utf-8",
    )
    status = cli("status", "--repo", str(root), "--today", today, "--cycle", "2026").stdout
    assert f"{said} gone" in status
    for fmt in ("text", "markdown", "html"):
        out = cli("report", "--repo", str(root), "--today", today, "--month", month, "--cycle", "2026", "--format", fmt)
        assert f"{said} elapsed" in " ".join(out.stdout.split()), fmt


def test_the_month_before_is_reported_with_its_own_cycles(cli, tmp_path) -> None:
    """On 1 July, before any check-in of July, the report covers June: with June's quarter (100%
    elapsed), as ``--month 2026-06`` does, not with today's year (49% elapsed)."""
    root = tmp_path / "fb"
    for folder in ("okrs", "checkins/org", "strategy"):
        (root / folder).mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: T\n", encoding="utf-8")
    (root / "units.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: org\nname: Org\ntype: company\n", encoding="utf-8"
    )
    (root / "strategy/s.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Strategy\nid: s\nowner: org\ncycle: 2026\npriorities:\n  - {id: p1, title: Priority one}\n",
        encoding="utf-8",
    )
    (root / "okrs/o.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: org-o\nowner: org\ncycle: 2026-Q2\ntitle: Grow the thing\n"
        "aligns: [{to: s/p1}]\nkey_results:\n  - {id: x, title: Signups grow from 0 to 100, baseline: 0, target: 100}\n"
        "  - {id: y, title: Usage grows from 0 to 100, baseline: 0, target: 100}\n",
        encoding="utf-8",
    )
    (root / "checkins/org/2026-06-26.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: org\ndate: 2026-06-26\nconfidence: 8\nresults: {x: 90, y: 90}\n",
        encoding="utf-8",
    )
    asked = json.loads(
        cli(
            "report",
            "--repo",
            str(root),
            "--today",
            "2026-07-01",
            "--month",
            "2026-06",
            "--no-history",
            "--format",
            "json",
        ).stdout
    )
    found = json.loads(
        cli("report", "--repo", str(root), "--today", "2026-07-01", "--no-history", "--format", "json").stdout
    )
    assert [c["id"] for c in found["cycles"]] == [c["id"] for c in asked["cycles"]] == ["2026-Q2"]
    assert found["elapsed"] == {"2026-Q2": 1.0} and found["headline"] == asked["headline"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_an_objective_without_key_results_says_so_instead_of_an_empty_table(cli, copy_example, fmt) -> None:
    root = copy_example("banco")
    an_objective_without_key_results(root)
    result = cli("report", "--repo", str(root), "--today", DEMO_DAY, "--unit", "cards", "--format", fmt, "--no-history")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.count("No key results: nothing measures this objective (OKR302).") == 1
    # Two objectives of cards, one key result table: none is drawn as a head over no rows.
    table_head = {
        "text": r"Key result +Now",
        "markdown": r"\| Key result \| Now \|",
        "html": r'<table class="stack krs">',
    }
    assert len(re.findall(table_head[fmt], result.stdout)) == 1


def test_the_site_page_of_an_objective_without_key_results_says_so(cli, copy_example, tmp_path) -> None:
    root = copy_example("banco")
    an_objective_without_key_results(root)
    result = cli("site", str(tmp_path / "site"), "--repo", str(root), "--today", DEMO_DAY, "--no-history")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "site" / "objectives" / "empty-one.html").read_text(encoding="utf-8")
    assert '<h3>Key results</h3><p class="small">No key results: nothing measures this objective (OKR302).</p>' in page
    assert '<table class="stack krs">' not in page


@pytest.mark.parametrize("fmt", ["text", "markdown", "html", "json"])
def test_a_past_month_says_which_targets_changed_after_its_day(cli, copy_example, git_repo, fmt) -> None:
    """October's report made in November read November's target (90 → 85) and showed a better
    progress than October's readers saw, with no word: it names the changes after its day."""
    from tests.helpers_git import commit_at, edit

    root = git_repo(copy_example("banco"), commit=False)
    commit_at(root, "2026-09-25", "OKRs for 2026-Q4")
    edit(root / "okrs/2026-Q4/discover.yaml", r"^    target: 90$", "    target: 85")
    commit_at(root, "2026-11-10", "retarget onboarding")
    args = ("report", "--repo", str(root), "--today", DEMO_DAY, "--unit", "discover", "--format", fmt)
    past = cli(*args, "--month", "2026-10")
    assert past.exit_code == 0, past.stderr
    said = "changed after 2026-10-31: discover-first-week/onboarding-completion target 90 → 85 (2026-11-10)"
    if fmt == "json":
        [change] = json.loads(past.stdout)["moved_since"]
        assert (change["objective"], change["old"], change["new"], change["date"]) == (
            "discover-first-week",
            90,
            85,
            "2026-11-10",
        )
    else:
        assert said in " ".join(past.stdout.split()).replace("&gt;", ">")
    now = cli(*args)  # this month: its day is today, nothing changed after it
    assert "changed after" not in now.stdout
    assert fmt != "json" or json.loads(now.stdout)["moved_since"] == []


def test_a_past_month_names_net_changes_only_and_those_after_a_pinned_today(cli, copy_example, git_repo) -> None:
    """A target changed and changed back after the month was named twice ("2 targets"), though
    the numbers were October's; one changed after a pinned --today was not named, though the files
    read hold it."""
    from tests.helpers_git import commit_at, edit

    root = git_repo(copy_example("banco"), commit=False)
    commit_at(root, "2026-09-25", "OKRs for 2026-Q4")
    discover = root / "okrs/2026-Q4/discover.yaml"
    edit(discover, r"^    target: 90$", "    target: 95")
    commit_at(root, "2026-11-10", "retarget")
    edit(discover, r"^    target: 95$", "    target: 90")
    commit_at(root, "2026-11-12", "undo")
    edit(discover, r"^    target: 280$", "    target: 300")
    commit_at(root, "2026-11-25", "ease setup tickets")
    args = ("report", "--repo", str(root), "--today", DEMO_DAY, "--unit", "discover", "--format", "json")
    moved = json.loads(cli(*args, "--month", "2026-10").stdout)["moved_since"]
    assert [(c["key_result"], c["old"], c["new"], c["date"]) for c in moved] == [
        ("setup-tickets", 280, 300, "2026-11-25")
    ]


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_this_months_report_with_a_pinned_today_names_the_targets_changed_after_it(
    cli, copy_example, git_repo, fmt
) -> None:
    """``--today`` pinned before a commit that moved a target: the report read the moved target
    and passed the numbers off as that day's; ``--month`` of the same day named the change."""
    from tests.helpers_git import commit_at, edit

    root = git_repo(copy_example("banco"), commit=False)
    commit_at(root, "2026-09-25", "OKRs for 2026-Q4")
    edit(root / "okrs/2026-Q4/discover.yaml", r"^    target: 90$", "    target: 85")
    commit_at(root, "2026-11-25", "retarget onboarding")
    result = cli("report", "--repo", str(root), "--today", DEMO_DAY, "--unit", "discover", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    if fmt == "json":
        [change] = json.loads(result.stdout)["moved_since"]
        assert (change["key_result"], change["old"], change["new"], change["date"]) == (
            "onboarding-completion",
            90,
            85,
            "2026-11-25",
        )
    else:
        said = f"changed after {DEMO_DAY}: discover-first-week/onboarding-completion target 90 → 85 (2026-11-25)"
        assert said in " ".join(result.stdout.split())


def _text_alternatives(html: str, kind: str) -> list[str]:
    import html as html_text

    return [html_text.unescape(m) for m in re.findall(rf'<svg class="{kind}"[^>]*aria-label="([^"]*)"', html)]


def test_every_chart_of_the_html_report_names_what_it_draws_and_its_headline_numbers(cli) -> None:
    """A screen reader gets what each chart shows and its headline numbers in a short text
    alternative (WCAG 1.1.1): how many points, the first and the last, a low outside them, the
    expected value, target and forecast, the bands and the shaded month."""
    html = cli("report", "--repo", BANCO, "--unit", "digital-services", "--today", DEMO_DAY, "-f", "html").stdout
    krs = _text_alternatives(html, "krchart")
    assert (
        "First-week drop-off falls by 25%, from 32% to 24%: 32 → 24 %; 8 weekly values: 32% on 2026-10-07 to "
        "27.8% on 2026-11-20; expected now 27.6%, target 24%; forecast at cycle end 24.6%, 92% of the way to target"
    ) in krs
    assert any("8 weekly values (minutes): 9 on 2026-10-07 to 8.2 on 2026-11-20;" in x for x in krs)
    assert "<title>" not in "".join(re.findall(r'<svg class="krchart".*?</svg>', html)), "the name read twice"
    trends = _text_alternatives(html, "trend")
    assert (
        "confidence of Identity Platform over 2026-Q4: 8 check-ins: 7 on 2026-10-02 to 8 on 2026-11-20, lowest 5 "
        "on 2026-10-23; dashed lines at 7 (upper) and 4 (lower); shaded: 2026-11-01 to 2026-11-20"
    ) in trends
    sparks = _text_alternatives(html, "spark")
    assert (
        "confidence of Identity Platform: 8 check-ins: 7 on 2026-10-02 to 8 on 2026-11-20, lowest 5 on 2026-10-23"
        in sparks
    )
    assert _text_alternatives(html, "strip") == ["5 on track, 2 at risk, 1 off track, 0 no check-in"]


def _said_in_every_format(cli, root: Path, today: str, said: str) -> dict[str, str]:
    """The report of ``today`` in every format (each exit 0), after checking that the text, the
    Markdown and the HTML chart's text alternative say ``said``."""
    shown = {}
    for fmt in ("text", "markdown", "html", "json"):
        result = cli("report", "--repo", str(root), "--today", today, "--no-history", "--format", fmt)
        assert result.exit_code == 0, result.stderr
        shown[fmt] = result.stdout
    assert said in " ".join(shown["text"].replace("│", " ").split())
    assert said in shown["markdown"]
    assert any(alternative.endswith(f"; {said}") for alternative in _text_alternatives(shown["html"], "krchart"))
    return shown


def test_a_forecast_on_the_target_but_for_float_noise_reads_100_percent_in_every_format(
    cli, tmp_path: Path, git_repo
) -> None:
    """A team exactly on its planned pace (tests.test_status.on_plan_repo) is forecast at its target
    of 280. The text, Markdown and HTML reports (the chart's text alternative and the caption under
    the bar) said "280, >99.9% of the way to target" while the JSON said 1.0."""
    from tests.test_status import on_plan_repo

    root = on_plan_repo(tmp_path / "on-plan", git_repo)
    said = "forecast at cycle end 280, 100% of the way to target"
    shown = _said_in_every_format(cli, root, "2026-04-10", said)
    assert f'<span class="small">{said}</span>' in shown["html"]
    assert "99.9%" not in shown["text"] + shown["markdown"] + shown["html"]
    [teams] = [kr for o in json.loads(shown["json"])["objectives"] for kr in o["key_results"] if kr["id"] == "teams"]
    assert (teams["forecast"], teams["forecast_progress"]) == (280, 1)


def test_a_forecast_on_a_target_of_0_but_for_float_noise_reads_100_percent_in_every_format(
    cli, tmp_path: Path, git_repo
) -> None:
    """A team on its pace to a crash rate of 0 (tests.test_status.to_zero_repo) is forecast at 0.
    The reports said "forecast at cycle end 0%, >99.9% of the way to target" and the JSON gave a
    forecast of 2.22044604925e-16; a real shortfall of 0.01 still reads short."""
    from tests.test_status import to_zero_repo

    root = to_zero_repo(tmp_path / "to-zero", git_repo)
    said = "forecast at cycle end 0%, 100% of the way to target"
    shown = _said_in_every_format(cli, root, "2026-10-15", said)
    assert "forecast at cycle end 0.01, 99.2% of the way to target" in shown["markdown"]
    assert "99.9%" not in shown["text"] + shown["markdown"] + shown["html"]
    krs = {kr["id"]: kr for o in json.loads(shown["json"])["objectives"] for kr in o["key_results"]}
    assert (krs["crashes"]["forecast"], krs["crashes"]["forecast_progress"]) == (0, 1)
    assert (krs["debt"]["forecast"], krs["debt"]["forecast_progress"]) == (0, 1)


def test_every_value_a_chart_draws_is_in_the_table_folded_under_it(cli) -> None:
    """The values a short text alternative leaves out are in a table under each chart, for a
    screen reader and for anyone who wants the exact numbers."""
    html = cli("report", "--repo", BANCO, "--unit", "digital-services", "--today", DEMO_DAY, "-f", "html").stdout
    tables = re.findall(r'<details class="values"><summary>([^<]*)</summary>(.*?)</details>', html)
    weekly = [body for summary, body in tables if summary == "Table of weekly values"]
    assert len(weekly) == len(re.findall(r'<svg class="krchart"', html))
    cells = re.findall(r"<tr><td>([^<]*)</td><td class=\"num\">([^<]*)</td></tr>", weekly[0])
    assert cells == [
        ("2026-10-07", "32%"),
        ("2026-10-14", "31.6%"),
        ("2026-10-21", "31%"),
        ("2026-10-28", "30.8%"),
        ("2026-11-04", "29.9%"),
        ("2026-11-11", "29.2%"),
        ("2026-11-18", "28.6%"),
        ("2026-11-20", "27.8%"),
    ]
    assert any('<th class="num">Value (<bdi>minutes</bdi>)</th>' in body for body in weekly)
    checkins = [body for summary, body in tables if summary == "Table of check-ins"]
    assert len(checkins) == len(re.findall(r'<svg class="trend"', html))
    assert all(len(re.findall(r"<tr><td>2026-\d\d-\d\d</td>", body)) == 8 for body in checkins)


def test_a_chart_s_text_alternative_stays_short_with_long_names_and_a_long_cycle(cli, copy_example) -> None:
    """A title may run to 2,000 characters and a year has 52 weeks: the text alternative is cut to
    what identifies the chart and its headline numbers; the title and every value stay on the page."""
    from datetime import date, timedelta

    from okrctl.render import svg

    root = copy_example("banco")
    long_title = "First-week drop-off falls " + "and keeps falling " * 100
    okr = root / "okrs/2026-Q4/digital-services.yaml"
    text = okr.read_text(encoding="utf-8")
    okr.write_text(
        text.replace("First-week drop-off falls by 25%, from 32% to 24%", long_title.strip()), encoding="utf-8"
    )
    unit = root / "units/cards.yaml"
    long_name = "Cards " + "of the bank " * 60
    unit.write_text(unit.read_text(encoding="utf-8").replace("name: Cards", f"name: {long_name.strip()}"))
    html = cli("report", "--repo", str(root), "--unit", "digital-services", "--today", DEMO_DAY, "-f", "html").stdout
    said = [
        *_text_alternatives(html, "krchart"),
        *_text_alternatives(html, "trend"),
        *_text_alternatives(html, "spark"),
    ]
    assert said and max(len(x) for x in said) <= 400, max(said, key=len)
    assert any(x.startswith("First-week drop-off falls and keeps falling") and "…" in x for x in said)
    assert any(x.startswith("confidence of Cards of the bank") for x in said)
    assert long_title.strip() in html and long_name.strip() in html  # the page still holds them whole

    start = date(2026, 1, 1)
    series = [(start + timedelta(weeks=i), float(i % 10)) for i in range(52)]
    chart = svg.confidence_chart(series, start, date(2026, 12, 31), 0.0, 10.0, label="confidence of Cards")
    (alternative,) = re.findall(r'aria-label="([^"]*)"', chart)
    assert alternative == (
        "confidence of Cards: 52 check-ins: 0 on 2026-01-01 to 1 on 2026-12-24, highest 9 on 2026-03-05; "
        "dashed lines at 7 (upper) and 4 (lower)"
    )
    assert svg.confidence_values(series).count("<tr><td>") == 52


_TEAM_CYCLES = """\
apiVersion: okrctl/v1
kind: Config
cycles:
  - {id: pf-a, start: 2026-07-06, end: 2026-09-27}
  - {id: pf-b, start: 2026-09-28, end: 2026-12-20}
"""
_TEAM_CYCLES_ORG = """\
apiVersion: okrctl/v1
kind: Unit
id: co
type: company
---
apiVersion: okrctl/v1
kind: Unit
id: team-x
parent: co
---
apiVersion: okrctl/v1
kind: Unit
id: team-p
parent: co
---
apiVersion: okrctl/v1
kind: Strategy
id: s
owner: co
cycle: 2026
priorities: [{id: fast, title: Be fast}]
"""


def _team_objective(objective_id: str, owner: str, cycle: str) -> str:
    return (
        f"---\napiVersion: okrctl/v1\nkind: Objective\nid: {objective_id}\nowner: {owner}\ncycle: {cycle}\n"
        f"title: {owner} gets faster\naligns: [{{to: s/fast}}]\nkey_results:\n"
        f"  - {{id: {owner}-1, title: One rises from 0 to 10, baseline: 0, target: 10}}\n"
    )


def _team_checkin(owner: str, day: str, value: int) -> str:
    return (
        f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: {owner}\ndate: {day}\nauthor: a@x.example\n"
        f"confidence: 8\nresults:\n  {owner}-1: {value}\n"
    )


def _team_cycles_org(tmp_path: Path, objectives: str, checkins: dict[str, tuple[tuple[str, int], ...]]) -> Path:
    """An organisation of two teams in cycles of their own, with these objectives and, by owner,
    check-ins (day, value of the owner's one key result)."""
    root = tmp_path / "org"
    root.mkdir()
    (root / "okrctl.yaml").write_text(_TEAM_CYCLES, encoding="utf-8")
    (root / "org.yaml").write_text(_TEAM_CYCLES_ORG + objectives, encoding="utf-8")
    for owner, days in checkins.items():
        for day, value in days:
            path = root / "checkins" / owner / f"{day}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(_team_checkin(owner, day, value), encoding="utf-8")
    return root


def test_a_teams_cycle_that_ended_before_the_month_did_is_in_that_months_report(cli, tmp_path: Path) -> None:
    """team-p works in its own cycle pf-a, which ends on 27 September; the company owns no
    objective. The September report made on the 30th, on 2 October (which covers September: no
    check-in in October yet) and with --month 2026-09 are one report, with team-p's objective in
    it and its whole cycle's check-ins read (it once dropped the objective on the 30th, and on
    2 October spoke of pf-b, a cycle nobody has objectives in)."""
    root = _team_cycles_org(
        tmp_path,
        _team_objective("x-obj", "team-x", "2026-Q3") + _team_objective("p-obj", "team-p", "pf-a"),
        {owner: (("2026-07-10", 2), ("2026-08-14", 5), ("2026-09-25", 9)) for owner in ("team-x", "team-p")},
    )

    def report(today: str, *args: str) -> dict:
        result = cli("report", "--repo", str(root), "--today", today, "--no-history", "-f", "json", *args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    for today, args in (
        ("2026-09-26", ()),
        ("2026-09-30", ()),
        ("2026-10-02", ()),
        ("2026-10-02", ("--month", "2026-09")),
    ):
        data = report(today, *args)
        assert data["month"] == "2026-09", (today, args)
        assert [c["id"] for c in data["cycles"]] == ["2026-Q3", "pf-a"], (today, args)
        assert data["headline"]["objectives"] == 2, (today, args)
        (priority,) = data["strategies"][0]["priorities"]
        assert [o["id"] for o in priority["objectives"]] == ["p-obj", "x-obj"], (today, args)
        objectives = {o["id"]: o for o in data["objectives"]}
        assert sorted(objectives) == ["p-obj", "x-obj"], (today, args)
        for objective in objectives.values():  # every check-in of the cycle read, July's too
            assert objective["progress"] == 0.9, (today, args)
            assert objective["confidence_trend"][0]["date"] == "2026-07-10", (today, args)


@pytest.mark.parametrize("columns", [40, 60])
def test_a_narrow_terminal_gets_every_word_of_the_report(cli, columns: int) -> None:
    """Below 70 columns the tables are stacked: every issue, team and key-result title is there
    in whole words (at 40 columns a column of five letters once cut them, "Multi… / KYC / avail…",
    a table printed a name one letter a line, and panel titles were cut without a sign)."""
    result = cli(
        "report",
        "--repo",
        BANCO,
        "--unit",
        "digital-services",
        "--today",
        DEMO_DAY,
        "--no-history",
        env={"COLUMNS": str(columns)},
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    body = [line for line in lines if not line.startswith("╭─  ")]  # panel titles end in "…" when cut
    words = " ".join(line.strip(" │") for line in body).split()
    flowing = " ".join(words)
    for phrase in (
        "Multi-director KYC needs a new data source from the business registry",
        "Two engineers lent to the card-migration project until end of November",
        "raised by Identity Platform · last 2026-11-20",
        "Discover · discover-first-week",
        "First-week drop-off falls by 25%, from 32% to 24%",
    ):
        assert phrase in flowing, phrase
    assert not any(word.endswith("…") and len(word) <= 6 for word in words), [w for w in words if w.endswith("…")]
    titles = [line for line in lines if line.startswith("╭─  ")]
    assert titles and all(line.endswith("─╮") for line in titles)
    assert all(" · " in line for line in titles)
    cut = [line for line in titles if "…" in line]
    assert all(line.rstrip("─╮ ").endswith("…") for line in cut)


def test_a_narrow_terminal_gets_the_business_units_and_the_strategy_title_whole_or_marked(cli) -> None:
    """At 40 columns the health table once read "Busi / ness" and "● 2 at / risk"; it is stacked.
    A strategy panel's title too long for its border ends in "…", as the objectives' do."""
    shown = cli("report", "--repo", BANCO, "--today", DEMO_DAY, "--no-history", env={"COLUMNS": "40"}).stdout
    health = shown.partition("Health per business unit\n")[2].split("\n\n")[0]
    assert health.splitlines()[0] == "Digital Services · 8 objectives"
    assert "last check-ins 2026-11-20" in health
    assert all(len(line) <= 40 for line in shown.splitlines())
    titles = [line for line in shown.splitlines() if line.startswith("╭─  Strategy")]
    assert titles and all(line.rstrip("─╮ ").endswith(("…", "2026")) for line in titles), titles


def test_a_teams_own_report_holds_its_cycle_that_ended_during_the_month(cli, tmp_path: Path) -> None:
    """team-p's cycle pf-a ends on 27 September and pf-b starts the next day: team-p's report of
    September, made on the 30th, covers both (it once held pf-b alone, though three weeks of the
    month and pf-a's final check-ins were pf-a's); October's holds pf-b alone."""
    root = _team_cycles_org(
        tmp_path,
        _team_objective("p-obj", "team-p", "pf-a") + _team_objective("p-next", "team-p", "pf-b"),
        {"team-p": (("2026-07-10", 2), ("2026-08-14", 5), ("2026-09-25", 9), ("2026-10-09", 3))},
    )

    def report(today: str) -> dict:
        args = ("report", "--repo", str(root), "--unit", "team-p", "--today", today, "--no-history", "-f", "json")
        result = cli(*args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    september = report("2026-09-30")
    assert [c["id"] for c in september["cycles"]] == ["pf-a", "pf-b"]
    objectives = {o["id"]: o for o in september["objectives"]}
    assert sorted(objectives) == ["p-next", "p-obj"]
    assert objectives["p-obj"]["progress"] == 0.9
    october = report("2026-10-30")
    assert october["month"] == "2026-10"
    assert [c["id"] for c in october["cycles"]] == ["pf-b"]


def test_an_ended_cycle_s_report_gives_each_score_in_every_format(cli, copy_example) -> None:
    """After the cycle, the report's text, Markdown and HTML said "57% ● off track" of a key result
    the end retro scored 0.9, which only its JSON carried: each score now reads beside its status,
    with its band, as `status` gives it; before the cycle ends there is none to give."""
    root = copy_example("banco")
    (root / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-31\n"
        "scores:\n  setup-tickets: {score: 0.9, reason: new funnel}\n",
        encoding="utf-8",
    )
    args = ("report", "--repo", str(root), "--unit", "discover", "--cycle", "2026-Q4", "--no-history")
    data = json.loads(cli(*args, "--today", "2027-01-05", "--format", "json").stdout)
    [objective] = data["objectives"]
    scores = {kr["id"]: kr["score"] for kr in objective["key_results"]}
    assert scores["setup-tickets"] == 0.9
    krs = ["score 0.90 (green)"] + [f"score {score:.2f}" for score in scores.values()]
    whole = f"{objective['score']:.2f} (yellow)"
    for fmt, said in (
        ("text", f"score {whole}"),
        ("markdown", f"score {whole}"),
        ("html", f"<small>Score</small><b>{whole}"),
    ):
        shown = cli(*args, "--today", "2027-01-05", "--format", fmt, "--no-color")
        assert shown.exit_code == 0, shown.stderr
        for phrase in [said, *krs]:
            assert phrase in shown.stdout, (fmt, phrase)
        mid = cli(*args, "--today", DEMO_DAY, "--format", fmt, "--no-color")
        assert "score 0." not in mid.stdout and "<small>Score</small>" not in mid.stdout, fmt


_CHARTED_MISSES = {
    "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Demo\n",
    "units/d.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: d\nname: Dee\ntype: team\n",
    "okrs/d.yaml": (
        "apiVersion: okrctl/v1\nkind: Objective\nid: d1\nowner: d\ncycle: 2026-Q1\ntitle: Reliable\n"
        "key_results:\n"
        '  - {id: availability, type: maintain, title: Availability, unit: "%", min: 99.9}\n'
        "  - {id: uptime-ratio, type: maintain, title: Uptime ratio, min: 0.999}\n"
        "  - {id: latency, type: maintain, title: Latency, unit: ms, max: 250}\n"
        "  - {id: signups, title: Signups, baseline: 0, target: 1000}\n"
    ),
}


def _charted_checkin(day: str, results: str) -> str:
    return f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: d\ndate: {day}\nconfidence: 7\nresults: {{{results}}}\n"


def test_a_charted_week_outside_its_bound_or_short_of_its_target_never_reads_as_it(
    cli, tmp_path: Path, git_repo
) -> None:
    """A week of a key result's chart at 99.896 outside ``≥ 99.9`` read "99.9%" in the chart's
    label, its text alternative and the table of weekly values under it, in the HTML report and
    on the site, beside a "Now" of 99.896%; 0.9986 read 0.999, 250.004 above ``≤ 250`` read 250
    and 999.996 of a target of 1,000 read 1,000. Each week's value now keeps the first decimal that
    tells it from the bound or target it misses, as the current value does; a week within its bound
    (249.996 of ``≤ 250``) still reads as the bound."""
    files = {
        **_CHARTED_MISSES,
        "checkins/d/2026-01-30.yaml": _charted_checkin(
            "2026-01-30", "availability: 99.896, uptime-ratio: 0.9986, latency: 250.004, signups: 999.996"
        ),
        "checkins/d/2026-02-06.yaml": _charted_checkin(
            "2026-02-06", "availability: 99.897, uptime-ratio: 0.9987, latency: 249.996, signups: 999.997"
        ),
    }
    root = git_repo(write_files(tmp_path / "org", files))
    report = cli("report", "--repo", str(root), "--today", "2026-02-06", "--no-history", "--format", "html")
    assert report.exit_code == 0, report.stderr
    site = cli("site", str(tmp_path / "site"), "--repo", str(root), "--today", "2026-02-06", "--no-history")
    assert site.exit_code == 0, site.stderr
    weeks = {
        "Availability": ("99.896%", "99.897%"),
        "Uptime ratio": ("0.9986", "0.9987"),
        "Latency": ("250.004", "250"),
        "Signups": ("999.996", "999.997"),
    }
    for page in (report.stdout, (tmp_path / "site" / "objectives" / "d1.html").read_text(encoding="utf-8")):
        charts = re.findall(r'(<svg class="krchart".*?</svg>)(<details class="values">.*?</details>)', page)
        assert len(charts) == len(weeks)
        alternatives = _text_alternatives(page, "krchart")
        for (drawn, table), alternative, (title, (first, last)) in zip(
            charts, alternatives, weeks.items(), strict=True
        ):
            assert alternative.startswith(f"{title}: "), alternative
            assert (
                f"2 weekly values{' (ms)' if title == 'Latency' else ''}: {first} on 2026-02-04 to {last} on 2026-02-06"
                in alternative
            )
            cells = re.findall(r'<tr><td>([^<]*)</td><td class="num">([^<]*)</td></tr>', table)
            assert cells == [("2026-02-04", first), ("2026-02-06", last)], title
            labels = re.findall(r'<text [^>]*font-weight="700"[^>]*>([^<]*)</text>', drawn)
            assert labels == [last], title  # the latest value, drawn beside its dot
