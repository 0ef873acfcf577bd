"""`okrctl map`: strategy priorities → strategic OKRs → team OKRs, for the terminal and for docs."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from okrctl.render.formats import FORMATS as ALL_FORMATS
from tests.conftest import DEMO_DAY, EXAMPLES, write_files
from tests.golden import assert_golden

FORMATS = ALL_FORMATS["map"]

BANCO = str(EXAMPLES / "banco")
EXTENSIONS = {"text": "txt", "mermaid": "mmd", "dot": "dot", "json": "json"}


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_map_of_the_organisation_in_every_format(cli, fmt: str) -> None:
    result = cli("map", "--repo", BANCO, "--today", DEMO_DAY, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert_golden(f"map/banco.{EXTENSIONS[fmt]}", result.stdout)


def test_map_of_a_team_shows_what_is_above_it_as_context(cli) -> None:
    result = cli("map", "--repo", BANCO, "--today", DEMO_DAY, "--unit", "discover")
    assert result.exit_code == 0, result.output
    assert_golden("map/discover.txt", result.stdout)
    data = json.loads(cli("map", "--repo", BANCO, "--today", DEMO_DAY, "--unit", "discover", "-f", "json").stdout)
    scoped = {n["id"]: n["in_scope"] for n in data["nodes"] if n["kind"] == "objective"}
    assert scoped == {"digital-first-week": False, "discover-first-week": True}
    # only the priority this team serves: the others have contributors elsewhere
    assert [n["id"] for n in data["nodes"] if n["kind"] == "priority"] == ["strategy-2026/simplify-onboarding"]


def test_explicit_and_directional_links_are_told_apart(cli) -> None:
    text = cli("map", "--repo", BANCO, "--today", DEMO_DAY).stdout
    assert "⇒ ● at risk  Cards · first-card-moment · confidence 6/10 · adopts KR nps" in text
    assert "→ ● on track  Discover · discover-first-week · confidence 8/10" in text
    mermaid = cli("map", "--repo", BANCO, "--today", DEMO_DAY, "-f", "mermaid").stdout
    assert '==>|"adopts KR nps"|' in mermaid
    data = json.loads(cli("map", "--repo", BANCO, "--today", DEMO_DAY, "-f", "json").stdout)
    assert {"from": "first-card-moment", "to": "digital-first-week", "key_result": "nps", "type": "explicit"} in data[
        "links"
    ]


def test_peer_dependencies_are_side_links(cli, copy_example) -> None:
    text = cli("map", "--repo", BANCO, "--today", DEMO_DAY).stdout
    assert "⇢ needs from Identity Platform: KYC answer under 2 s (for onboarding-completion)" in text
    root = copy_example("banco")
    edit(root, "okrs/2026-Q4/identity-platform.yaml", "supports: [discover-first-week, sme-open-in-app]", "")
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY).stdout
    assert "not acknowledged" in text
    mermaid = cli("map", "--repo", str(root), "--today", DEMO_DAY, "-f", "mermaid").stdout
    assert '-.->|"needs: KYC answer under 2 s (not acknowledged)"|' in mermaid


def test_orphans_and_uncovered_priorities_are_listed_apart(cli, copy_example) -> None:
    root = copy_example("banco")
    edit(root, "okrs/2026-Q4/cards.yaml", "aligns:\n  - {to: digital-first-week/nps, type: explicit}\n", "")
    edit(
        root,
        "strategy/2026.yaml",
        "  - {id: resilience,",
        "  - {id: open-banking, title: Open banking partnerships}\n  - {id: resilience,",
    )
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY).stdout
    orphans = text.split("Not aligned to anything (orphans)")[1]
    assert "Cards · first-card-moment" in orphans
    assert "◆ Open banking partnerships  strategy-2026/open-banking  no contributor" in text
    data = json.loads(cli("map", "--repo", str(root), "--today", DEMO_DAY, "-f", "json").stdout)
    assert data["orphans"] == ["first-card-moment"]
    assert data["priorities_without_contributors"] == ["strategy-2026/open-banking"]
    mermaid = cli("map", "--repo", str(root), "--today", DEMO_DAY, "-f", "mermaid").stdout
    assert "Strategy priority · no contributor" in mermaid and "uncovered" in mermaid


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--unit", "nobody"], "--unit: unknown unit 'nobody'"),
        (["--cycle", "2031-Q1x"], "--cycle: unknown cycle '2031-Q1x'"),
        (["--format", "svg"], "--format: 'svg' is not one of text, mermaid, dot, json"),
    ],
)
def test_bad_options_are_usage_errors(cli, args: list[str], message: str) -> None:
    result = cli("map", "--repo", BANCO, "--today", DEMO_DAY, *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_without_a_strategy_the_orphans_follow_the_title_after_one_blank_line(cli, copy_example) -> None:
    """With no strategy (a new repository), the map printed two blank lines between its title and
    the objectives not aligned to anything; with a strategy, one separates the tree from them."""
    root = copy_example("banco")
    shutil.rmtree(root / "strategy")
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY).stdout
    assert text.startswith("Alignment map of Banco Exemplo · 2026-Q4 · as of 2026-11-20\n\nNot aligned to anything")
    assert "\n\n\n" not in text
    edit(root, "okrs/2026-Q4/cards.yaml", "aligns:\n  - {to: digital-first-week/nps, type: explicit}\n", "")
    shutil.copytree(EXAMPLES / "banco" / "strategy", root / "strategy")
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY).stdout
    assert "\n\nNot aligned to anything (orphans)\n" in text and "\n\n\n" not in text


def test_mermaid_is_a_flowchart_with_one_line_per_statement(cli) -> None:
    mermaid = cli("map", "--repo", BANCO, "--today", DEMO_DAY, "-f", "mermaid").stdout
    lines = mermaid.splitlines()
    assert lines[0] == "flowchart BT"
    assert all(line.startswith("  ") for line in lines[1:])
    assert sum(1 for line in lines if line.startswith("  O") and '["' in line) == 9  # objectives
    assert sum(1 for line in lines if line.startswith("  P") and '["' in line) == 3  # priorities


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_graphviz_draws_the_dot_output(cli) -> None:
    dot = cli("map", "--repo", BANCO, "--today", DEMO_DAY, "-f", "dot").stdout
    svg = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    assert "<svg" in svg and "Cards · at risk · 6/10" in svg


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_a_name_holding_a_character_xml_forbids_still_makes_an_svg_an_xml_parser_reads(cli, copy_example) -> None:
    """U+FFFF in a unit's name (align takes it) went raw into the DOT, and Graphviz copied it into
    the SVG: the documented ``map --format dot | dot -Tsvg`` made a file no XML parser opens."""
    from xml.dom import minidom

    root = copy_example("banco")
    unit = root / "units" / "discover.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("name: Discover", 'name: "Disc\\uFFFFover"'), "utf-8")
    result = cli("map", "--repo", str(root), "--today", DEMO_DAY, "-f", "dot")
    assert result.exit_code == 0, result.output
    svg = subprocess.run(["dot", "-Tsvg"], input=result.stdout.encode(), capture_output=True, check=True).stdout
    drawn = minidom.parseString(svg).toxml()
    assert "Disc\ufffdover" in drawn


def test_a_map_with_no_objective_says_so_and_where_the_latest_are(cli) -> None:
    """The week after a quarter ended (no OKRs written yet) the map was a title and a legend: it
    now says why, like status and trends, and names the cycle to pass."""
    result = cli("map", "--repo", BANCO, "--today", "2027-01-10")
    assert result.exit_code == 0, result.output
    assert " ".join(result.stdout.split()) == (
        "Alignment map of Banco Exemplo · no cycle · as of 2027-01-10 "
        "No objective under banco in a cycle that contains 2027-01-10; pass --cycle 2026-Q4 for the latest."
    )
    result = cli("map", "--repo", BANCO, "--today", DEMO_DAY, "--cycle", "2027-Q1", "--unit", "cards")
    assert "No objective under cards in 2027-Q1; pass --cycle 2026-Q4 for the latest." in result.stdout
    # Priorities nobody serves yet are still drawn under the line.
    result = cli("map", "--repo", BANCO, "--today", DEMO_DAY, "--cycle", "2026-Q3")
    assert "No objective under banco in 2026-Q3; pass --cycle 2026-Q4 for the latest." in result.stdout
    assert "◆ Simplify onboarding for new customers" in result.stdout


def test_before_the_first_objective_cycle_the_map_draws_the_strategys_priorities_as_the_report_lists_them(
    cli, copy_example, git_repo
) -> None:
    """On 2026-09-30 (banco's objectives start in October) the map said "no cycle" and drew nothing,
    in every format and for every unit, while the report of that day listed the strategy's three
    priorities as served by nobody: the map now takes the strategy's cycle, as the report does."""
    root = str(git_repo(copy_example("banco")))
    day = ["--repo", root, "--today", "2026-09-30"]
    unserved = [
        "strategy-2026/simplify-onboarding",
        "strategy-2026/small-business",
        "strategy-2026/resilience",
    ]
    report = json.loads(cli("report", *day, "--format", "json").stdout)
    assert [p["ref"] for p in report["priorities_without_contributors"]] == unserved
    for unit in ("banco", "discover"):
        data = json.loads(cli("map", *day, "--unit", unit, "--format", "json").stdout)
        assert data["cycles"] == ["2026"]
        assert data["priorities_without_contributors"] == unserved
    result = cli("map", *day)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:3] == [
        "Alignment map of Banco Exemplo · 2026 · as of 2026-09-30",
        "",
        "No objective under banco in 2026.",
    ]
    assert "◆ Grow into the small-business segment  strategy-2026/small-business  no contributor" in result.stdout
    assert (
        "Strategy priority · no contributor<br/>Grow into the small-business"
        in cli("map", *day, "-f", "mermaid").stdout
    )
    assert "NO CONTRIBUTOR\\nGrow into the small-business segment" in cli("map", *day, "-f", "dot").stdout


def test_between_two_objective_cycles_the_map_names_the_latest_not_the_strategys_year(
    cli, copy_example, git_repo
) -> None:
    """The strategy's cycle is the map's only before the first objective cycle. The week after a
    quarter ended, before the next one's files exist, it drew "2026" as holding no objective and no
    priority (the ended quarter's objectives serve them): it says that no cycle holds the day and
    names the latest, as it did before it took the strategy's cycle."""
    root = copy_example("banco")
    for path in (root / "okrs" / "2026-Q4").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("cycle: 2026-Q4", "cycle: 2026-Q3"), "utf-8")
    git_repo(root)
    day = ["--repo", str(root), "--today", "2026-10-05"]
    result = cli("map", *day)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Alignment map of Banco Exemplo · no cycle · as of 2026-10-05",
        "",
        "No objective under banco in a cycle that contains 2026-10-05; pass --cycle 2026-Q3 for the latest.",
    ]
    data = json.loads(cli("map", *day, "--format", "json").stdout)
    assert (data["cycles"], data["priorities_without_contributors"]) == ([], [])
    before = json.loads(cli("map", "--repo", str(root), "--today", "2026-06-30", "--format", "json").stdout)
    assert before["cycles"] == ["2026"] and len(before["priorities_without_contributors"]) == 3


def test_a_new_repository_with_only_a_strategy_maps_its_priorities(cli, git_repo, tmp_path: Path) -> None:
    """A repository made by ``init`` with a strategy of 2026 and no objective yet: the map of
    2026-11-20 said "no cycle" and listed nothing, though ``--cycle 2026`` and the report showed
    both priorities with no contributor."""
    root = tmp_path / "acme"
    assert cli("init", str(root), "--organization", "Acme", "--no-commit").exit_code == 0
    write_files(
        root,
        {
            "strategy/2026.yaml": 'apiVersion: okrctl/v1\nkind: Strategy\nid: strategy-2026\nowner: acme\ncycle: "2026"\n'
            "priorities: [{id: grow, title: Grow revenue}, {id: delight, title: Delight customers}]\n"
        },
    )
    day = ["--repo", str(git_repo(root)), "--today", "2026-11-20"]
    text = cli("map", *day).stdout
    assert text == cli("map", *day, "--cycle", "2026").stdout
    assert "Alignment map of Acme · 2026 · as of 2026-11-20" in text
    assert "◆ Grow revenue  strategy-2026/grow  no contributor" in text
    assert "◆ Delight customers  strategy-2026/delight  no contributor" in text
    report = json.loads(cli("report", *day, "--format", "json").stdout)
    mapped = json.loads(cli("map", *day, "--format", "json").stdout)
    assert mapped["priorities_without_contributors"] == [p["ref"] for p in report["priorities_without_contributors"]]
    assert mapped["priorities_without_contributors"] == ["strategy-2026/grow", "strategy-2026/delight"]


def test_a_mermaid_map_past_what_mermaid_draws_says_so_on_stderr(cli, monkeypatch) -> None:
    """Mermaid refuses a diagram past its maxTextSize (50,000 characters by default, which GitHub
    keeps): the map is still written, and a note says how to draw it (part of it, or as DOT)."""
    import okrctl.render.map.mermaid as mermaid_map

    banco = str(EXAMPLES / "banco")
    whole = cli("map", "--format", "mermaid", "--repo", banco, "--today", DEMO_DAY)
    assert whole.exit_code == 0 and whole.stderr == ""
    monkeypatch.setattr(mermaid_map, "MERMAID_MAX_TEXT", 1000)
    long = cli("map", "--format", "mermaid", "--repo", banco, "--today", DEMO_DAY)
    assert long.exit_code == 0 and long.stdout == whole.stdout
    measured = _as_mermaid_measures(whole.stdout)
    assert long.stderr == (
        f"okrctl: note: the Mermaid map is {measured:,} characters, past the 1,000 Mermaid draws by "
        "default (maxTextSize): draw part of it with --unit, or use --format dot\n"
    )
    assert cli("map", "--format", "dot", "--repo", banco, "--today", DEMO_DAY).stderr == ""


def test_a_dependency_on_a_unit_with_no_objective_is_drawn_in_every_format(cli, copy_example, tmp_path) -> None:
    """Discover needs something of Payments, a team with no objective yet (OKR401): the riskiest
    dependency. Mermaid and DOT draw a box for the unit, the site's map page lists it in words."""
    root = copy_example("banco")
    (root / "units/payments.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: payments\nname: Payments\ntype: team\nparent: digital-services\n",
        encoding="utf-8",
    )
    edit(
        root,
        "okrs/2026-Q4/discover.yaml",
        "depends_on:\n",
        "depends_on:\n  - {unit: payments, need: Instant IBAN, for: onboarding-completion}\n",
    )
    args = ("map", "--repo", str(root), "--today", DEMO_DAY)
    mermaid = cli(*args, "-f", "mermaid").stdout
    assert '  U1["Payments<br/>no objective on this map<br/>payments"]' in mermaid
    assert '-.->|"needs: Instant IBAN (not acknowledged)"| U1' in mermaid
    assert "  class U1 unit" in mermaid
    dot = cli(*args, "-f", "dot").stdout
    assert '"discover-first-week" -> "unit:payments"' in dot and "Instant IBAN" in dot
    drawn = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True).stdout
    assert "no objective on this map" in drawn
    site = tmp_path / "site"
    assert cli("site", str(site), "--repo", str(root), "--today", DEMO_DAY, "--no-history").exit_code == 0
    page = (site / "map.html").read_text(encoding="utf-8")
    assert 'needs <bdi>Instant IBAN</bdi> from <a href="teams/payments.html"><bdi>Payments</bdi></a> — <span' in page
    assert "· no objective on this map</li>" in page


def test_svg_box_lines_are_cut_by_drawn_width_and_end_in_an_ellipsis_that_fits() -> None:
    from okrctl.render.map.svg import drawn_width, fitted

    # Capitals take more room than small letters: the same count of them wraps sooner.
    assert fitted("make every number trustworthy now", 150, 11.5, 3, bold=True) == [
        "make every number",
        "trustworthy now",
    ]
    assert fitted("MAKE EVERY NUMBER TRUSTWORTHY NOW", 150, 11.5, 3, bold=True) == [
        "MAKE EVERY",
        "NUMBER",
        "TRUSTWORTHY NOW",
    ]
    # A word wider than a line is cut between characters; every line fits, the last ends in "…".
    lines = fitted("x" * 200, 100, 11, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(drawn_width(line, 11) <= 100 for line in lines)
    assert fitted("", 100, 11, 2) == [""]
    assert fitted("short title", 100, 11, 2) == ["short title"]
    # Never inside what a reader sees as one character: a flag, an accented letter, a family emoji.
    from okrctl.render.map.svg import clusters

    for word in ("🇵🇹" * 30, "Cafe\u0301" * 20, "👨\u200d👩\u200d👧" * 20):
        bounds, at = {0}, 0
        for part in clusters(word):
            at += len(part)
            bounds.add(at)
        lines = [line.removesuffix("…") for line in fitted(word, 190, 11, 3)]
        assert word.startswith("".join(lines))
        ends = [sum(len(line) for line in lines[: i + 1]) for i in range(len(lines))]
        assert set(ends) <= bounds, (word, lines)
        assert clusters("🇵🇹🇪🇸") == ["🇵🇹", "🇪🇸"] and clusters("Cafe\u0301") == ["C", "a", "f", "e\u0301"]


def test_mermaid_counts_the_maps_length_as_javascript_does(cli, copy_example, monkeypatch) -> None:
    """Mermaid measures a JavaScript string, where an emoji is two characters: a map of 🚀 names
    can pass the limit in Mermaid's count while under it in Python's. okrctl once counted code
    points and said nothing."""
    import okrctl.render.map.mermaid as mermaid_map

    root = copy_example("banco")
    cards = root / "units" / "cards.yaml"
    cards.write_text(re.sub(r"(?m)^name: .*$", "name: " + "🚀" * 60, cards.read_text("utf-8")), encoding="utf-8")
    text = cli("map", "--format", "mermaid", "--repo", str(root), "--today", DEMO_DAY).stdout
    javascript = _as_mermaid_measures(text)
    points = len(re.sub(r"(?m)^\s*%%[^\n]+\n?", "", text).lstrip())
    assert javascript > points
    monkeypatch.setattr(mermaid_map, "MERMAID_MAX_TEXT", points)
    result = cli("map", "--format", "mermaid", "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 0 and result.stdout == text
    assert result.stderr == (
        f"okrctl: note: the Mermaid map is {javascript:,} characters, past the {points:,} Mermaid draws by "
        "default (maxTextSize): draw part of it with --unit, or use --format dot\n"
    )


def _as_mermaid_measures(text: str) -> int:
    """The length Mermaid compares with maxTextSize: a JavaScript string's (an emoji is two), of
    the text without its ``%%`` comment lines (its cleanupComments), leading blanks gone."""
    return len(re.sub(r"(?m)^\s*%%(?!\{)[^\n]+\n?", "", text).lstrip().encode("utf-16-le")) // 2


def test_the_comment_line_mermaid_drops_does_not_count_toward_its_limit(cli, monkeypatch) -> None:
    """The map's first comment (the unit's name and the cycle) is taken out before Mermaid measures
    the text: a map just over the limit with it and under without it draws, and no note is given."""
    import okrctl.render.map.mermaid as mermaid_map

    text = cli("map", "--format", "mermaid", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY).stdout
    assert text.splitlines()[1].lstrip().startswith("%%")
    monkeypatch.setattr(mermaid_map, "MERMAID_MAX_TEXT", _as_mermaid_measures(text))
    assert len(text) > mermaid_map.MERMAID_MAX_TEXT
    assert cli("map", "--format", "mermaid", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY).stderr == ""


@pytest.mark.parametrize("command", ["map", "report"])
def test_a_dumb_terminal_gets_no_colour_codes_from_the_map_or_the_report(command, monkeypatch) -> None:
    """``TERM=dumb`` says the terminal shows no colours: ``status`` and ``trends`` honoured it, the
    map and the report (drawn in exact colours) wrote escape codes all the same."""
    from okrctl.load.pipeline import load_repo
    from okrctl.render.map.text import render as render_map
    from okrctl.render.report.text import render as render_report
    from okrctl.views.map import build_map
    from okrctl.views.report import build_report

    repo = load_repo(EXAMPLES / "banco", use_cache=False)
    day = date.fromisoformat(DEMO_DAY)

    def drawn() -> str:
        if command == "map":
            return render_map(build_map(repo, today=day), color=True, width=100)
        return render_report(build_report(repo, today=day, moved_targets=None), color=True, width=100)

    monkeypatch.setenv("TERM", "xterm-256color")
    assert "\x1b[" in drawn()
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b[" not in drawn()


def test_a_chain_deeper_than_the_terminal_is_wide_loses_no_objective(cli, tmp_path) -> None:
    """Eleven units in a chain, each objective aligned to its parent's: at 40 columns the tree's
    guides leave the eleventh no room, and it was left out without a word. The deep part runs past
    the edge instead; every objective is on the map at every width."""
    root = tmp_path / "chain"
    root.mkdir()
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    documents = []
    for n in range(11):
        parent = f"parent: u{n - 1}\n" if n else ""
        aligns = f"aligns: [{{to: obj-{n - 1}}}]\n" if n else ""
        documents.append(
            f"apiVersion: okrctl/v1\nkind: Unit\nid: u{n}\nname: Unit {n}\ntype: {'team' if n else 'company'}\n{parent}"
        )
        documents.append(
            f"apiVersion: okrctl/v1\nkind: Objective\nid: obj-{n}\nowner: u{n}\ncycle: 2026-Q4\n"
            f"title: Objective number {n}\n{aligns}"
            "key_results:\n  - {id: k, title: K rises from 0 to 1, baseline: 0, target: 1}\n"
        )
    (root / "org.yaml").write_text("---\n".join(documents), encoding="utf-8")
    for columns in ("30", "40", "60", "100"):
        shown = cli("map", "--repo", str(root), "--today", DEMO_DAY, env={"COLUMNS": columns}).stdout
        assert sorted(set(re.findall(r"obj-\d+", shown))) == sorted(f"obj-{n}" for n in range(11)), columns
        assert "Objective number 10" in shown, columns


def _three_cycles(root: Path) -> Path:
    """A company ``co`` with a business unit ``bu`` and teams ``t1`` (below bu) and ``t2`` (below
    t1); cycles h2 (a half-year), sp (a sprint that ends in October) and nq (from November). The
    team t1's objective of nq aligns to its own objective of h2, which aligns to bu's objective of
    sp, which aligns to co's objective of h2. Everyone checked in on 2026-09-25."""
    files = {
        "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Co\ncycles:\n"
        "  - {id: h2, start: 2026-09-01, end: 2027-02-28}\n  - {id: sp, start: 2026-08-15, end: 2026-10-15}\n"
        "  - {id: nq, start: 2026-11-01, end: 2027-01-31}\n",
        "units/units.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: co\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: bu\ntype: business-unit\nparent: co\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: t1\nparent: bu\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: t2\nparent: t1\n",
        "strategy/s.yaml": "apiVersion: okrctl/v1\nkind: Strategy\nid: s\nowner: co\ncycle: h2\n"
        "priorities: [{id: p, title: Root priority}]\n",
    }
    objectives = [
        ("co-obj", "co", "h2", "s/p"),
        ("bu-obj", "bu", "sp", "co-obj"),
        ("t1-obj", "t1", "h2", "bu-obj"),
        ("t2-sp", "t2", "sp", "t1-obj"),
        ("t1-next", "t1", "nq", "t1-obj"),
    ]
    for objective, owner, cycle, target in objectives:
        files[f"okrs/{objective}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: Objective\nid: {objective}\nowner: {owner}\ncycle: {cycle}\n"
            f"title: Objective {objective}\naligns: [{{to: {target}}}]\nkey_results:\n"
            "  - {id: k1, title: K1 rises, baseline: 0, target: 10}\n"
            "  - {id: k2, title: K2 rises, baseline: 0, target: 10}\n"
        )
    for owner in ("co", "bu", "t1", "t2"):
        files[f"checkins/{owner}/2026-09-25.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: {owner}\ndate: 2026-09-25\nconfidence: 8\n"
            "results: {k1: 5, k2: 5}\n"
        )
    return write_files(root, files)


def test_context_of_another_cycle_has_its_state_and_says_its_cycle(cli, tmp_path: Path) -> None:
    """The map of nq reaches up to objectives of h2 and sp. Their states were worked out without
    their cycles' check-ins (all "no check-in", progress 0, where ``status`` said on track at 50%),
    and each was called "(above the unit)", the root's own objective included."""
    root = _three_cycles(tmp_path / "org")
    result = cli("map", "--repo", str(root), "--today", "2026-09-25", "--cycle", "nq", "--format", "json")
    assert result.exit_code == 0, result.output
    nodes = {n["id"]: n for n in json.loads(result.stdout)["nodes"] if n["kind"] == "objective"}
    status = cli("status", "--repo", str(root), "--today", "2026-09-25", "--format", "json")
    states = {o["id"]: o for o in json.loads(status.stdout)["objectives"]}
    for context in ("co-obj", "bu-obj", "t1-obj"):
        assert not nodes[context]["in_scope"]
        assert (nodes[context]["status"], nodes[context]["progress"]) == (
            states[context]["status"],
            states[context]["progress"],
        )
        assert nodes[context]["progress"] == 0.5
    text = cli("map", "--repo", str(root), "--today", "2026-09-25", "--cycle", "nq").stdout
    assert "(above the unit)" not in text
    assert text.count("(cycle h2)") == 2 and text.count("(cycle sp)") == 1
    # Of the team t2, the same objectives are above the unit (t1 and those above it).
    team = cli("map", "--repo", str(root), "--today", "2026-09-25", "--unit", "t2", "--cycle", "sp").stdout
    assert team.count("(above the unit)") == 3 and "(cycle" not in team


def test_the_html_reports_map_holds_every_objective_its_headline_counts(cli, tmp_path: Path) -> None:
    """The report of h2 counts t2's sprint objective (it feeds t1's), but its map was drawn for
    the report's own cycle only: the objective was missing, and bu's drawn as context."""
    root = _three_cycles(tmp_path / "org")
    page = tmp_path / "report.html"
    result = cli("report", "--repo", str(root), "--today", "2026-09-25", "--format", "html", "--output", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    drawn = html[html.index('id="alignment-map"') : html.index("</section>", html.index('id="alignment-map"'))]
    for objective in ("co-obj", "bu-obj", "t1-obj", "t2-sp"):
        assert objective in drawn, objective


def _served_last_quarter(root: Path) -> Path:
    """Acme's strategy of the year fy27 has two priorities: ``grow``, served by the company's
    objective of the year (and through it by the shop's of fy27-q4), and ``delight``, served only by
    the shop's objective of fy27-q3, a quarter that ended on 2026-10-31."""
    files = {
        "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: Acme\ncycles:\n"
        "  - {id: fy27, start: 2026-02-01, end: 2027-01-31}\n  - {id: fy27-q3, start: 2026-08-01, end: 2026-10-31}\n"
        "  - {id: fy27-q4, start: 2026-11-01, end: 2027-01-31}\n",
        "units/units.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: acme\nname: Acme\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: shop\nname: Shop\ntype: team\nparent: acme\n",
        "strategy/fy27.yaml": "apiVersion: okrctl/v1\nkind: Strategy\nid: strategy-fy27\nowner: acme\ncycle: fy27\n"
        "priorities: [{id: grow, title: Grow revenue}, {id: delight, title: Delight customers}]\n",
    }
    for objective, owner, cycle, target in [
        ("acme-growth", "acme", "fy27", "strategy-fy27/grow"),
        ("shop-q3", "shop", "fy27-q3", "strategy-fy27/delight"),
        ("shop-q4", "shop", "fy27-q4", "acme-growth"),
    ]:
        files[f"okrs/{objective}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: Objective\nid: {objective}\nowner: {owner}\ncycle: {cycle}\n"
            f"title: Objective {objective}\naligns: [{{to: {target}}}]\nkey_results:\n"
            "  - {id: k1, title: K1 rises, baseline: 0, target: 10}\n"
            "  - {id: k2, title: K2 rises, baseline: 0, target: 10}\n"
        )
    for owner, day in [("acme", "2026-11-13"), ("shop", "2026-10-09"), ("shop", "2026-11-13")]:
        files[f"checkins/{owner}/{day}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: {owner}\ndate: {day}\nconfidence: 7\nresults: {{k1: 5, k2: 5}}\n"
        )
    return write_files(root, files)


def test_a_priority_only_an_ended_quarter_served_is_drawn_with_no_contributor(cli, git_repo, tmp_path: Path) -> None:
    """In November the year's priority ``delight`` was left off the map in every format (neither
    drawn nor among the priorities without contributors), while the report of the same day said
    nobody serves it and the map inside the HTML report left it out too."""
    root = str(git_repo(_served_last_quarter(tmp_path / "org")))
    day = ["--repo", root, "--today", "2026-11-20"]
    data = json.loads(cli("map", *day, "--format", "json").stdout)
    assert [n["id"] for n in data["nodes"] if n["kind"] == "priority"] == [
        "strategy-fy27/grow",
        "strategy-fy27/delight",
    ]
    assert data["priorities_without_contributors"] == ["strategy-fy27/delight"]
    text = cli("map", *day).stdout
    assert "◆ Delight customers  strategy-fy27/delight  no contributor" in text
    assert "Strategy priority · no contributor<br/>Delight customers" in cli("map", *day, "-f", "mermaid").stdout
    assert "NO CONTRIBUTOR\\nDelight customers" in cli("map", *day, "-f", "dot").stdout
    report = json.loads(cli("report", *day, "--format", "json").stdout)
    assert [p["ref"] for p in report["priorities_without_contributors"]] == ["strategy-fy27/delight"]
    page = tmp_path / "report.html"
    result = cli("report", *day, "--format", "html", "--output", str(page))
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    drawn = html[html.index('id="alignment-map"') : html.index("</section>", html.index('id="alignment-map"'))]
    assert "Delight customers" in drawn
    # The quarter that served it still draws it served, as align judges that cycle.
    quarter = json.loads(cli("map", *day, "--cycle", "fy27-q3", "--format", "json").stdout)
    assert "strategy-fy27/delight" in [n["id"] for n in quarter["nodes"]]
    assert quarter["priorities_without_contributors"] == []
