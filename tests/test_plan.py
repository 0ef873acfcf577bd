"""``okrctl plan``: the planning pre-read and the draft objective it scaffolds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES, git
from tests.golden import assert_golden
from tests.helpers_git import edit, hermetic_git

BANCO = str(EXAMPLES / "banco")

PAYMENTS = """apiVersion: okrctl/v1
kind: Unit
id: payments
name: Payments
parent: digital-services
members: [pay@example.com]
"""


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def _append(config: Path, text: str) -> None:
    """Add ``text`` to the end of the config (declared cycles, mostly)."""
    config.write_text(config.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_pre_read_for_the_current_cycle_shows_strategy_parent_peers_and_dependencies(cli) -> None:
    result = cli("plan", "--repo", BANCO, "--team", "identity-platform", "--cycle", "2026-Q4", "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    assert_golden("plan_identity_platform.txt", result.stdout)


def test_default_cycle_is_the_one_after_todays_and_says_so(cli) -> None:
    result = cli("plan", "--repo", BANCO, "--team", "discover", "--today", DEMO_DAY)
    assert result.exit_code == 0
    assert_golden("plan_discover_next.txt", result.stdout)
    assert "cycle: 2027-Q1, 2027-01-01 to 2027-03-31 (the cycle after 2026-Q4" in result.stdout


def test_markdown_and_json(cli) -> None:
    args = ("plan", "--repo", BANCO, "--team", "identity-platform", "--cycle", "2026-Q4", "--today", DEMO_DAY)
    markdown = cli(*args, "--format", "markdown").stdout
    assert markdown.startswith("# Planning pre-read: Identity Platform (identity-platform) for 2026-Q4\n")
    assert "## What other teams need from Identity Platform" in markdown
    payload = json.loads(cli(*args, "--format", "json").stdout)
    assert [d["objective"] for d in payload["dependencies"]] == ["discover-first-week", "sme-open-in-app"]
    assert all(d["acknowledged"] for d in payload["dependencies"])
    assert payload["alignment_choices"][0] == "digital-first-week"
    assert payload["written"] is None


def test_write_scaffolds_a_draft_aligned_to_the_parent_that_passes_align(cli, copy_example) -> None:
    folder = copy_example("banco")
    (folder / "units" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    result = cli(
        "plan", "--repo", str(folder), "--team", "payments", "--cycle", "2026-Q4", "--today", DEMO_DAY, "--write"
    )
    assert result.exit_code == 0, result.stderr
    assert "Wrote okrs/2026-Q4/payments.yaml" in result.stdout
    draft = (folder / "okrs" / "2026-Q4" / "payments.yaml").read_text(encoding="utf-8")
    assert_golden("plan_payments_draft.yaml", draft)
    assert "Imagine it is the end of 2026-Q4 and you are proud - what happened?" in draft
    align = cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--format", "json")
    # Valid as written; but 2026-Q4 has started, so its placeholders are the one error (OKR307, issue 10).
    assert align.exit_code == 1, align.stdout
    findings = json.loads(align.stdout)["findings"]
    errors = [(f["code"], f["path"]) for f in findings if f["severity"] == "error"]
    assert errors == [("OKR307", "okrs/2026-Q4/payments.yaml")]
    from okrctl.load.pipeline import load_repo

    objective = load_repo(folder, use_cache=False).objective("payments-2026-q4")
    assert objective is not None
    assert [a.to for a in objective.aligns] == ["digital-first-week"]
    assert [(kr.baseline, kr.target) for kr in objective.key_results] == [(0, 1), (0, 1)]


def test_write_for_a_cycle_without_parent_okrs_still_passes_align(cli, copy_example) -> None:
    folder = copy_example("banco")
    result = cli("plan", "--repo", str(folder), "--team", "discover", "--today", DEMO_DAY, "--write")
    assert result.exit_code == 0
    draft = (folder / "okrs" / "2027-Q1" / "discover.yaml").read_text(encoding="utf-8")
    assert "\naligns: []\n" in draft and "id: discover-2027-q1\n" in draft
    assert cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--cycle", "all").exit_code == 0


def test_a_draft_aligns_to_nothing_higher_up_while_the_parent_has_no_objective_yet(cli, copy_example) -> None:
    """The parent (Digital Services) has no objective for 2027-Q1 but the company has one: the
    draft aligned to the company's, under a comment saying it serves the parent's. It leaves
    ``aligns: []`` for the team to fill in, names the parent, and lists what is higher up."""
    folder = copy_example("banco")
    (folder / "okrs" / "2027-Q1").mkdir(parents=True)
    (folder / "okrs" / "2027-Q1" / "banco.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: bank-2027\nowner: banco\ncycle: 2027-Q1\n"
        "title: Be the bank people recommend\naligns: []\nkey_results:\n"
        "  - {id: nps, title: NPS rises, baseline: 30, target: 40}\n"
        "  - {id: churn, title: Churn falls, baseline: 8, target: 6}\n",
        encoding="utf-8",
    )
    result = cli(
        "plan", "--repo", str(folder), "--team", "discover", "--cycle", "2027-Q1", "--today", DEMO_DAY, "--write"
    )
    assert result.exit_code == 0, result.stderr
    draft = (folder / "okrs" / "2027-Q1" / "discover.yaml").read_text(encoding="utf-8")
    assert "\naligns: []\n" in draft
    assert "# TODO: digital-services has no objective for 2027-Q1 yet" in draft
    assert "#   bank-2027" in draft and "{to: bank-2027" not in draft


def test_write_never_overwrites(cli, copy_example) -> None:
    folder = copy_example("banco")
    args = ("plan", "--repo", str(folder), "--team", "discover", "--today", DEMO_DAY, "--write")
    assert cli(*args).exit_code == 0
    path = folder / "okrs" / "2027-Q1" / "discover.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited by the team\n", encoding="utf-8")
    result = cli(*args)
    assert result.exit_code == 1
    assert "okrs/2027-Q1/discover.yaml already exists" in result.stderr
    assert path.read_text(encoding="utf-8").endswith("# edited by the team\n")


def test_write_names_a_file_that_stands_where_the_cycle_folder_must_be(cli, copy_example) -> None:
    folder = copy_example("banco")
    (folder / "okrs" / "2027-Q1").write_text("not a folder\n", encoding="utf-8")
    result = cli("plan", "--repo", str(folder), "--team", "discover", "--today", DEMO_DAY, "--write")
    assert result.exit_code == 1
    assert result.stderr == (
        "okrctl: okrs/2027-Q1: is a file, not a folder, so okrs/2027-Q1/discover.yaml cannot be written there; "
        "nothing was written (move that file away)\n"
    )
    assert (folder / "okrs" / "2027-Q1").read_text(encoding="utf-8") == "not a folder\n"


def test_draft_ids_stay_unique(cli, copy_example) -> None:
    """Cards' draft, renamed and retitled, already took the id ``discover-2027-q1``: Discover's
    draft gets ``discover-2027-q1-2``."""
    folder = copy_example("banco")
    args = ("--repo", str(folder), "--today", DEMO_DAY)
    assert cli("plan", *args, "--team", "cards", "--write").exit_code == 0
    cards = folder / "okrs" / "2027-Q1" / "cards.yaml"
    cards.write_text(cards.read_text(encoding="utf-8").replace("id: cards-2027-q1\n", "id: discover-2027-q1\n"))
    assert cli("plan", *args, "--team", "discover", "--write").exit_code == 0
    assert "id: discover-2027-q1-2\n" in (folder / "okrs" / "2027-Q1" / "discover.yaml").read_text(encoding="utf-8")
    assert cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--cycle", "all").exit_code == 0


@pytest.mark.parametrize("team", ["42", "null", "true", "2026-11-20"])
def test_a_draft_quotes_every_id_that_plain_would_read_as_no_text(cli, tmp_path, git_repo, team) -> None:
    """A unit id made only of digits (or ``null``, ``true``, a date) is text only when quoted: the
    draft said ``owner: 42``, which align refused (OKR101 ``owner: 42 is not text``) and every view
    left out. Its owner, the parent's objective it aligns to (``"2027"``) and a year cycle are quoted
    now; its own id and a quarter stay plain. It reads the same to a YAML 1.1 reader (an editor, a
    schema checker) and passes align."""
    from ruamel.yaml import YAML

    folder = tmp_path / "org"
    folder.mkdir()
    git_repo(folder, commit=False)
    (folder / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    (folder / "units").mkdir()
    (folder / "units" / "org.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: co\nname: Co\ntype: company\n---\n"
        f'apiVersion: okrctl/v1\nkind: Unit\nid: "{team}"\nname: Squad\ntype: team\nparent: co\n',
        encoding="utf-8",
    )
    for cycle, objective in (("2027-Q1", "co-q1"), ("2027", "2027")):
        (folder / "okrs" / cycle).mkdir(parents=True)
        (folder / "okrs" / cycle / "co.yaml").write_text(
            f'apiVersion: okrctl/v1\nkind: Objective\nid: "{objective}"\nowner: co\ncycle: "{cycle}"\n'
            "title: Be the bank people recommend\naligns: []\nkey_results:\n"
            "  - {id: nps, title: NPS rises, baseline: 30, target: 40}\n"
            "  - {id: churn, title: Churn falls, baseline: 8, target: 6}\n",
            encoding="utf-8",
        )
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "-m", "org")
    args = ("--repo", str(folder), "--today", DEMO_DAY)
    drafts = []
    for cycle in ("2027-Q1", "2027"):
        result = cli("plan", *args, "--team", team, "--cycle", cycle, "--write")
        assert result.exit_code == 0, result.stderr
        drafts.append((folder / "okrs" / cycle / f"{team}.yaml").read_text(encoding="utf-8"))
    quarter, year = drafts
    assert f'\nid: {team}-2027-q1\nowner: "{team}"\ncycle: 2027-Q1\n' in quarter
    assert "  - {to: co-q1, type: directional}\n" in quarter
    assert f'\nid: {team}-2027\nowner: "{team}"\ncycle: "2027"\n' in year
    assert '  - {to: "2027", type: directional}\n' in year
    for draft in drafts:
        old = YAML(typ="safe", pure=True)
        old.version = (1, 1)
        read = old.load(draft)
        assert read["owner"] == team
        assert all(isinstance(read[key], str) for key in ("id", "cycle"))
        assert all(isinstance(aligned["to"], str) for aligned in read["aligns"])
    align = cli("align", *args, "--cycle", "all", "--format", "json")
    assert align.exit_code == 0, align.stdout
    assert [f["code"] for f in json.loads(align.stdout)["findings"] if f["severity"] == "error"] == []
    from okrctl.load.pipeline import load_repo

    repo = load_repo(folder, use_cache=False)
    assert [(d.model.owner, d.model.aligns[0].to) for d in repo.objectives_of(team, "2027")] == [(team, "2027")]


def _drafts_for_a_long_cycle(cli, folder: Path, cycle: str, teams: list[str]) -> str:
    """``plan --write`` of each of ``teams`` for ``cycle`` (declared in okrctl.yaml), each exit 0,
    after which align finds no error; the last team's draft."""
    _append(folder / "okrctl.yaml", f"cycles:\n  - {{id: {cycle}, start: 2027-04-01, end: 2027-06-30}}\n")
    for team in teams:
        result = cli("plan", "--repo", str(folder), "--team", team, "--cycle", cycle, "--today", DEMO_DAY, "--write")
        assert result.exit_code == 0, result.stderr
    align = cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--cycle", "all", "--format", "json")
    assert align.exit_code == 0, align.stdout
    assert [f["code"] for f in json.loads(align.stdout)["findings"] if f["severity"] == "error"] == []
    return (folder / "okrs" / cycle / f"{teams[-1]}.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "cycle",
    [
        "y27-first-quarter-of-the-financial-year-ending-in-march-27-q1",  # 61 characters: as before
        "fy27-first-quarter-of-the-financial-year-ending-in-march-27-q1",  # 62
        "xfy27-first-quarter-of-the-financial-year-ending-in-march-27-q1",  # 63, the most an id has
    ],
)
def test_a_draft_for_a_cycle_id_of_up_to_63_characters_has_a_valid_id(cli, copy_example, git_repo, cycle) -> None:
    """A cycle id of 62 characters left the team no room: the draft's id began with '-' (OKR101
    '... is not an id'), and one of 63 kept the team whole (68 characters). The team keeps its first
    character and the cycle its end, as for a cycle of 61 characters, and align passes."""
    draft = _drafts_for_a_long_cycle(cli, git_repo(copy_example("banco")), cycle, ["cards"])
    assert "\nid: c-y27-first-quarter-of-the-financial-year-ending-in-march-27-q1\n" in draft


@pytest.mark.parametrize(
    "cycle",
    [
        "y27-first-quarter-of-the-financial-year-ending-in-march-27-q1",  # 61 characters
        "fy27-first-quarter-of-the-financial-year-ending-in-march-27-q1",  # 62
        "xfy27-first-quarter-of-the-financial-year-ending-in-march-27-q1",  # 63
    ],
)
def test_a_second_draft_id_of_a_long_cycle_keeps_the_cycles_end(cli, copy_example, git_repo, cycle) -> None:
    """Cards and Core Platform both begin with 'c': their drafts for a long cycle took one id, and
    the second's '-2' cut off the cycle's end ('c-y27-…-march-27--2'). The cycle is cut at its start
    instead and keeps its end, '-q1', before the '-2'; align passes."""
    draft = _drafts_for_a_long_cycle(cli, git_repo(copy_example("banco")), cycle, ["cards", "core-platform"])
    assert "\nid: c-7-first-quarter-of-the-financial-year-ending-in-march-27-q1-2\n" in draft


def test_a_second_draft_id_of_a_long_team_keeps_the_cycle(cli, copy_example) -> None:
    """A team id long enough to be cut: its draft's '-2' cut off the cycle's end ('…-2027--2'). The
    team is cut further instead, and the id keeps '-2027-q1' before the '-2'."""
    folder = copy_example("banco")
    team = "payments-" + "x" * 51  # 60 characters: 'payments-xxx…-2027-q1' is cut to 63
    (folder / "units" / "payments.yaml").write_text(PAYMENTS.replace("id: payments", f"id: {team}"), encoding="utf-8")
    args = ("--repo", str(folder), "--today", DEMO_DAY)
    assert cli("plan", *args, "--team", "cards", "--write").exit_code == 0
    cards = folder / "okrs" / "2027-Q1" / "cards.yaml"
    taken = team[:55] + "-2027-q1"
    cards.write_text(cards.read_text(encoding="utf-8").replace("id: cards-2027-q1\n", f"id: {taken}\n"))
    assert cli("plan", *args, "--team", team, "--write").exit_code == 0
    draft = (folder / "okrs" / "2027-Q1" / f"{team}.yaml").read_text(encoding="utf-8")
    assert f"\nid: {team[:53]}-2027-q1-2\n" in draft
    assert cli("align", "--repo", str(folder), "--today", DEMO_DAY, "--cycle", "all").exit_code == 0


@pytest.mark.parametrize(
    "form", ["valid", "failing-its-schema", "not-yaml", "utf-16", "utf-16-le", "utf-32", "a-copy-keeping-the-id"]
)
def test_write_makes_no_second_draft_beside_the_teams_objectives_under_another_name(cli, copy_example, form) -> None:
    """The draft renamed (or objectives written by hand under another name): the pre-read names that
    file as the one to edit, and ``--write`` refuses (exit 1), writing nothing. Also when the
    repository's index leaves that file's objective out: it fails its schema (``titel:``), it is not
    YAML at all (a brace left open), it is last cycle's file copied with its id kept (OKR102). It
    is still the team's plan for the cycle, to fix rather than draft again."""
    folder = copy_example("banco")
    args = ("plan", "--repo", str(folder), "--team", "discover", "--today", DEMO_DAY)
    first = folder / "okrs" / "2027-Q1" / "first.yaml"
    if form == "a-copy-keeping-the-id":
        first.parent.mkdir()
        last = (folder / "okrs" / "2026-Q4" / "discover.yaml").read_text(encoding="utf-8")
        first.write_text(last.replace("cycle: 2026-Q4\n", "cycle: 2027-Q1\n"), encoding="utf-8")
    else:
        assert cli(*args, "--write").exit_code == 0
        (folder / "okrs" / "2027-Q1" / "discover.yaml").rename(first)
    written = first.read_text(encoding="utf-8")
    if form == "failing-its-schema":
        first.write_text(written.replace("  title:", "  titel:", 1), encoding="utf-8")
    elif form == "not-yaml":
        first.write_text(written.replace("  - id:", "  - {id:", 1), encoding="utf-8")
    elif form.startswith("utf-"):  # saved by an editor in another encoding (with or without a BOM): OKR100
        first.write_bytes(written.encode(form))
    assert (first.read_bytes() == written.encode("utf-8")) == (form in ("valid", "a-copy-keeping-the-id"))
    pre_read = cli(*args)
    assert "okrs/2027-Q1/first.yaml holds the team's objectives for 2027-Q1: edit it" in " ".join(
        pre_read.stdout.split()
    )
    assert "Scaffold the draft" not in pre_read.stdout
    result = cli(*args, "--write")
    assert result.exit_code == 1
    assert result.stderr == (
        "okrctl: okrs/2027-Q1/first.yaml already holds discover's objectives for 2027-Q1; edit it with the team"
        " ('plan --write' writes no second draft)\n"
    )
    assert sorted(p.name for p in (folder / "okrs" / "2027-Q1").iterdir()) == ["first.yaml"]
    data = json.loads(cli(*args, "-f", "json").stdout)
    assert data["existing_draft"] == "okrs/2027-Q1/first.yaml"


def test_team_from_env_or_git_email_else_a_usage_error_listing_teams(cli, copy_example, git_repo, monkeypatch) -> None:
    folder = copy_example("banco")
    result = cli("plan", "--repo", str(folder), "--today", DEMO_DAY)
    assert result.exit_code == 2
    assert "teams: cards, core-platform, discover, identity-platform, small-business-app" in result.stderr
    monkeypatch.setenv("OKRCTL_TEAM", "cards")
    assert "Cards (cards)" in cli("plan", "--repo", str(folder), "--today", DEMO_DAY).stdout
    monkeypatch.setenv("OKRCTL_TEAM", "crads")  # the message names what the user set: the variable
    wrong = cli("plan", "--repo", str(folder), "--today", DEMO_DAY)
    assert wrong.exit_code == 2 and wrong.stderr.startswith("okrctl: OKRCTL_TEAM: unknown unit 'crads'")
    monkeypatch.delenv("OKRCTL_TEAM")
    git_repo(folder)
    git(folder, "config", "user.email", "Sofia.Nunes@example.com")
    assert "Discover (discover)" in cli("plan", "--repo", str(folder), "--today", DEMO_DAY).stdout


@pytest.mark.parametrize("team", ["../../etc", "nobody", "discover/../x"])
def test_unknown_team_never_reaches_a_path(cli, copy_example, team: str) -> None:
    folder = copy_example("banco")
    result = cli("plan", "--repo", str(folder), "--team", team, "--today", DEMO_DAY, "--write")
    assert result.exit_code == 2
    assert "unknown unit" in result.stderr
    assert sorted(p.name for p in (folder / "okrs").iterdir()) == ["2026-Q4"]


def test_unknown_cycle_is_a_usage_error(cli) -> None:
    result = cli("plan", "--repo", BANCO, "--team", "discover", "--cycle", "next-quarter", "--today", DEMO_DAY)
    assert result.exit_code == 2


def test_hostile_titles_are_shown_literally(cli, copy_example) -> None:
    folder = copy_example("banco")
    path = folder / "okrs" / "2026-Q4" / "cards.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "title: Make the first card moment a reason new customers recommend us in week one",
        'title: "[bold red]Cards[/] \\e[31mred\\e[0m <script>x</script>"',
    )
    path.write_text(text, encoding="utf-8")
    args = ("plan", "--repo", str(folder), "--team", "discover", "--cycle", "2026-Q4", "--today", DEMO_DAY)
    out = cli(*args).stdout
    assert "[bold red]Cards[/] red <script>x</script>" in out
    assert "\x1b" not in out
    markdown = cli(*args, "--format", "markdown").stdout
    assert "\\[bold red\\]Cards\\[/\\] red \\<script\\>x\\</script\\>" in markdown


@pytest.mark.parametrize("inside_repository", [False, True])
def test_write_never_follows_a_linked_cycle_folder(cli, copy_example, tmp_path, inside_repository) -> None:
    """A cycle folder that is a symbolic link (planted, or pointing out of the repository) is refused:
    nothing is written, wherever it points (issue 16, item 10)."""
    folder = copy_example("banco")
    (folder / "units" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    target = (folder / "units") if inside_repository else (tmp_path / "elsewhere")
    target.mkdir(exist_ok=True)
    before = sorted(p.name for p in target.iterdir())
    (folder / "okrs" / "2027-Q1").symlink_to(target, target_is_directory=True)
    result = cli(
        "plan", "--repo", str(folder), "--team", "payments", "--cycle", "2027-Q1", "--today", DEMO_DAY, "--write"
    )
    assert result.exit_code == 1
    assert "okrs/2027-Q1 is a symbolic link; okrctl never writes through one" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(p.name for p in target.iterdir()) == before


def test_the_drafts_note_says_what_align_makes_of_its_placeholders(cli, copy_example) -> None:
    folder = copy_example("banco")
    (folder / "units" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    draft = folder / "okrs" / "2027-Q1" / "payments.yaml"
    cases = [  # (today, the draft's note, the OKR307 findings of align that day)
        ("2026-11-20", "`okrctl align` passes while you draft, and warns from 14 days before 2027-01-01", []),
        ("2026-12-20", "2027-Q1 starts on 2027-01-01, so `okrctl align` warns (OKR307)", ["warning"]),
        ("2027-01-04", "2027-Q1 has started, so `okrctl align` fails (OKR307)", ["error"]),
        # A team recording the objective of a cycle gone by (adopting okrctl mid-year): OKR307 judges
        # no ended cycle, so the note does not promise that align fails.
        ("2027-04-01", "2027-Q1 ended on 2027-03-31, and `okrctl align` no longer checks", []),
    ]
    for today, note, severities in cases:
        draft.unlink(missing_ok=True)
        args = ("--repo", str(folder), "--today", today)
        assert cli("plan", *args, "--team", "payments", "--cycle", "2027-Q1", "--write").exit_code == 0
        assert note in draft.read_text(encoding="utf-8"), today
        findings = json.loads(cli("align", *args, "--format", "json").stdout)["findings"]
        assert [f["severity"] for f in findings if f["code"] == "OKR307"] == severities, today


@pytest.mark.parametrize(
    ("configured", "before_the_start", "after_it"),
    [
        ("error", "warning", "error"),  # the rule's own default changes nothing
        ("warning", "warning", "warning"),
        ("info", "info", "info"),  # lighter than the early warning: lighter both times
    ],
)
def test_a_severity_in_okrctl_yaml_grades_placeholders_after_the_start_and_the_early_warning_stays(
    cli, copy_example, configured: str, before_the_start: str, after_it: str
) -> None:
    folder = copy_example("banco")
    (folder / "units" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    assert cli("plan", "--repo", str(folder), "--team", "payments", "--cycle", "2027-Q1", "--write").exit_code == 0
    _append(folder / "okrctl.yaml", f"rules: {{severity: {{OKR307: {configured}}}}}\n")
    for today, severity in (("2026-12-20", before_the_start), ("2027-01-04", after_it)):
        result = cli("align", "--repo", str(folder), "--today", today, "--format", "json", "--select", "OKR307")
        assert [f["severity"] for f in json.loads(result.stdout)["findings"]] == [severity], today
        assert result.exit_code == (1 if severity == "error" else 0), today


def test_at_the_end_of_the_calendar_plan_says_it_plans_todays_cycle(cli) -> None:
    result = cli("plan", "--repo", BANCO, "--team", "cards", "--today", "9999-12-31")
    assert result.exit_code == 0, result.stderr
    assert "cycle: 9999-Q4, 9999-10-01 to 9999-12-31 (today's cycle, the last of the calendar;" in result.stdout
    assert "the cycle after 9999-Q4" not in result.stdout


def test_before_a_fiscal_quarter_that_took_a_calendar_name_plan_prepares_that_quarter(cli, copy_example) -> None:
    """A fiscal 2026-Q1 from February leaves January in no quarter. Planning in January took the
    declared 2026-Q1 for today's cycle and prepared the one after it, 2026-Q2 (May)."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: 2027-Q1, start: 2027-02-01, end: 2027-04-30}\n"
        + "  - {id: 2027-Q2, start: 2027-05-01, end: 2027-07-31}\n",
    )
    args = ("plan", "--repo", str(folder), "--team", "cards")
    result = cli(*args, "--today", "2027-01-15")
    assert result.exit_code == 0, result.stderr
    assert "cycle: 2027-Q1, 2027-02-01 to 2027-04-30 (the next cycle to start; pass --cycle" in result.stdout
    assert "2027-Q2" not in result.stdout
    # Inside the fiscal quarter, the one after it as before.
    result = cli(*args, "--today", "2027-03-01")
    assert "cycle: 2027-Q2, 2027-05-01 to 2027-07-31 (the cycle after 2027-Q1;" in result.stdout


def test_after_the_last_declared_fiscal_quarter_plan_asks_for_the_next_one(cli, copy_example) -> None:
    """Fiscal quarters named by the year they end in (2027-Q1 from October 2026): in the last one
    declared, the calendar's next name (2027-Q4 for October) is the fiscal quarter under way; plan
    once offered it as "today's cycle, the last of the calendar". It asks for the next one instead,
    and offers it once declared."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    fiscal = (
        "cycles:\n  - {id: 2027-Q1, start: 2026-10-01, end: 2026-12-31}\n"
        "  - {id: 2027-Q2, start: 2027-01-01, end: 2027-03-31}\n"
        "  - {id: 2027-Q3, start: 2027-04-01, end: 2027-06-30}\n"
        "  - {id: 2027-Q4, start: 2027-07-01, end: 2027-09-30}\n"
    )
    _append(config, fiscal)
    args = ("plan", "--repo", str(folder), "--team", "cards")
    assert (
        "cycle: 2027-Q4, 2027-07-01 to 2027-09-30 (the cycle after 2027-Q3;"
        in cli(*args, "--today", "2027-05-10").stdout
    )
    last = cli(*args, "--today", "2027-08-10")
    assert last.exit_code == 2 and last.stdout == ""
    assert last.stderr.strip() == (
        "okrctl: okrctl.yaml declares 2027-Q4 (2027-07-01 to 2027-09-30) and no cycle after it;"
        " declare the next one under cycles, or pass --cycle"
    )
    _append(config, "  - {id: 2028-Q1, start: 2027-10-01, end: 2027-12-31}\n")
    assert (
        "cycle: 2028-Q1, 2027-10-01 to 2027-12-31 (the cycle after 2027-Q4;"
        in cli(*args, "--today", "2027-08-10").stdout
    )


def test_a_calendar_year_declared_with_its_own_dates_changes_no_plan(cli, copy_example) -> None:
    """Declaring 2027 as 1 January to 31 December is what the calendar says: with no objectives of
    the year, planning in February prepares 2027-Q2, as without the declaration (it once prepared
    2028)."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    args = ("plan", "--repo", str(folder), "--team", "cards", "--today", "2027-02-10")
    before = cli(*args).stdout
    assert "cycle: 2027-Q2, 2027-04-01 to 2027-06-30 (the cycle after 2027-Q1;" in before
    _append(config, "cycles:\n  - {id: '2027', start: 2027-01-01, end: 2027-12-31}\n")
    assert cli(*args).stdout == before


def test_a_year_plan_sees_the_quarters_of_siblings_and_of_the_team_as_it_sees_the_parents(cli) -> None:
    """``--cycle 2026`` overlaps 2026-Q4: the parent's objectives of the quarter are shown, and so
    are the siblings' and the team's own (the draft must not be written twice)."""
    data = json.loads(
        cli("plan", "--repo", BANCO, "--team", "cards", "--cycle", "2026", "--today", "2026-11-27", "-f", "json").stdout
    )
    assert [o["id"] for o in data["parent_objectives"]] == [
        "digital-first-week",
        "sme-digital-banking",
        "resilient-digital-channels",
    ]
    assert sorted(o["id"] for o in data["sibling_objectives"]) == [
        "discover-first-week",
        "identity-fast-kyc",
        "resilient-core-services",
        "sme-open-in-app",
    ]
    assert [o["id"] for o in data["own_objectives"]] == ["first-card-moment"]


def test_a_past_cycle_is_planned_without_yet_and_without_later_context(cli) -> None:
    """2025-Q1 ended long before 2026-11-27: no "none yet", no later strategy or parent objectives
    shown "for context"."""
    text = cli("plan", "--repo", BANCO, "--team", "cards", "--cycle", "2025-Q1", "--today", "2026-11-27").stdout
    assert "no strategy of this unit or its ancestors covered 2025-Q1" in text
    assert "Digital Services's OKRs for 2025-Q1\n  none\n" in text
    assert "What the sibling teams drafted for 2025-Q1\n  nothing\n" in text
    assert " yet" not in text.split("Questions for the workshop")[0] and "for context" not in text
    future = cli("plan", "--repo", BANCO, "--team", "cards", "--cycle", "2027-Q2", "--today", "2026-11-27").stdout
    assert "none yet; its latest (2026-Q4) for context" in future


def test_a_parents_latest_objectives_for_context_are_those_of_every_cycle_that_ends_last(cli, copy_example) -> None:
    """Digital Services has its 2026-Q4 objectives and a yearly 2026 one, both ending 2026-12-31:
    the pre-read for 2027-Q1 once showed only one of the two cycles (the one whose file came
    first), in text, Markdown and JSON alike."""
    folder = copy_example("banco")
    (folder / "okrs" / "2026").mkdir()
    (folder / "okrs" / "2026" / "digital-services.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: digital-year\nowner: digital-services\ncycle: '2026'\n"
        "title: A digital year\nkey_results:\n  - {id: users, title: Active users, baseline: 1, target: 2}\n",
        encoding="utf-8",
    )
    args = ("plan", "--repo", str(folder), "--team", "cards", "--cycle", "2027-Q1", "--today", DEMO_DAY)
    text = cli(*args).stdout
    assert "Digital Services's OKRs for 2027-Q1\n  none yet; its latest (2026-Q4, 2026) for context\n" in text
    assert "  • digital-first-week: " in text and "  • digital-year: A digital year\n" in text
    markdown = cli(*args, "--format", "markdown").stdout
    assert "*none yet; its latest (2026-Q4, 2026) for context*" in markdown and "- digital-year: " in markdown
    context = json.loads(cli(*args, "--format", "json").stdout)["parent_context"]
    assert [(o["id"], o["cycle"]) for o in context] == [
        ("digital-first-week", "2026-Q4"),
        ("sme-digital-banking", "2026-Q4"),
        ("resilient-digital-channels", "2026-Q4"),
        ("digital-year", "2026"),
    ]


def test_the_latest_strategies_are_those_of_every_cycle_that_ends_last(cli, copy_example) -> None:
    """No strategy covers 2027-Q1; the bank's 2026 strategy and Digital Services' own for 2026-H2
    both end 2026-12-31. The pre-read once showed one of them (the one whose file came first)."""
    folder = copy_example("banco")
    (folder / "strategy" / "digital-services.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Strategy\nid: digital-h2\nowner: digital-services\ncycle: 2026-H2\n"
        "priorities:\n  - {id: apps, title: Apps first}\n",
        encoding="utf-8",
    )
    text = cli("plan", "--repo", str(folder), "--team", "cards", "--cycle", "2027-Q1", "--today", DEMO_DAY).stdout
    strategy = text.split("\nStrategy\n")[1].split("\n\n")[0]
    assert strategy.startswith("  no strategy covers 2027-Q1 yet; the latest ones (2026, 2026-H2) are shown\n")
    assert "• strategy-2026 (2026), owned by banco\n" in strategy
    assert "• digital-h2 (2026-H2), owned by digital-services\n" in strategy


def test_declared_cycles_with_a_cool_down_week_between_them_follow_each_other(cli, copy_example) -> None:
    """c1 ends on a Sunday, c2 starts a week later: planning during c1, or in the week between,
    prepares c2 (it once prepared the calendar quarter under way, 2026-Q1, or 2026-Q3). A declared
    year that starts the day after a quarter is not that quarter's next cycle."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: c2-2026, start: 2026-04-06, end: 2026-06-28}\n"
        + "  - {id: c1-2026, start: 2026-01-05, end: 2026-03-29}\n"
        + "  - {id: '2027', start: 2027-01-01, end: 2027-12-31}\n",
    )
    args = ("plan", "--repo", str(folder), "--team", "cards")
    during = cli(*args, "--today", "2026-03-20")
    assert during.exit_code == 0, during.stderr
    assert "cycle: c2-2026, 2026-04-06 to 2026-06-28 (the cycle after c1-2026;" in during.stdout
    between = cli(*args, "--today", "2026-04-01")
    assert "cycle: c2-2026, 2026-04-06 to 2026-06-28 (the next cycle to start;" in between.stdout
    after_q4 = cli(*args, "--today", "2026-11-20")
    assert "cycle: 2027-Q1, 2027-01-01 to 2027-03-31 (the cycle after 2026-Q4;" in after_q4.stdout
    # The gap's days before the calendar quarter ends too; a third cycle after the second.
    _append(config, "  - {id: c3-2026, start: 2026-07-06, end: 2026-09-27}\n")
    for day, offered in (("2026-03-30", "c2-2026"), ("2026-03-31", "c2-2026"), ("2026-06-30", "c3-2026")):
        assert f"cycle: {offered}, " in cli(*args, "--today", day).stdout, day


def test_a_declared_cycle_that_overlaps_the_end_of_the_current_one_is_the_next(cli, copy_example) -> None:
    """c2 starts a week before c1 ends: planning during c1 prepares c2, not the calendar quarter
    that contains c1's last days."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: c1-2026, start: 2026-01-05, end: 2026-03-29}\n"
        + "  - {id: c2-2026, start: 2026-03-23, end: 2026-06-21}\n",
    )
    for day in ("2026-03-01", "2026-03-25"):
        shown = cli("plan", "--repo", str(folder), "--team", "cards", "--today", day).stdout
        assert "cycle: c2-2026, 2026-03-23 to 2026-06-21 (the cycle after c1-2026;" in shown, day


def test_a_link_or_a_folder_where_the_draft_goes_is_no_draft_to_edit(cli, copy_example) -> None:
    folder = copy_example("banco")
    (folder / "okrs" / "2027-Q1").mkdir()
    (folder / "okrs" / "2027-Q1" / "cards.yaml").symlink_to("/nonexistent/x.yaml")
    args = ("plan", "--repo", str(folder), "--team", "cards", "--cycle", "2027-Q1", "--today", "2026-11-20")
    data = json.loads(cli(*args, "-f", "json").stdout)
    assert data["existing_draft"] is None and data["blocked_draft"] == "okrs/2027-Q1/cards.yaml"
    shown = cli(*args).stdout
    assert "edit it with the team" not in shown and "--write (creates" not in shown
    assert "okrs/2027-Q1/cards.yaml is a link or a folder: 'plan --write' writes the draft there only" in shown


def test_the_pre_read_offers_no_write_of_a_draft_that_is_there_already(cli) -> None:
    """Cards has okrs/2026-Q4/cards.yaml: the pre-read says to edit it rather than suggest a
    --write that would be refused; JSON names it."""
    args = ("plan", "--repo", BANCO, "--team", "cards", "--cycle", "2026-Q4", "--today", "2026-11-27")
    text = cli(*args).stdout
    assert "--write" not in text.replace("'plan --write' never overwrites", "")
    assert "okrs/2026-Q4/cards.yaml is there already: edit it with the team" in text
    assert json.loads(cli(*args, "-f", "json").stdout)["existing_draft"] == "okrs/2026-Q4/cards.yaml"
    fresh = json.loads(cli(*args[:-4], "--cycle", "2027-Q1", "--today", "2026-11-27", "-f", "json").stdout)
    assert fresh["existing_draft"] is None
    assert (
        "--cycle 2027-Q1 --write (creates\nokrs/2027-Q1/cards.yaml)"
        in cli(*args[:-4], "--cycle", "2027-Q1", "--today", "2026-11-27").stdout
    )


def test_the_previous_cycle_shows_the_scores_of_its_end_retro_held_since(cli, copy_example) -> None:
    """In January the workshop's "where the team comes from" shows the end retro's scores, as
    `status`, `retro` and `report` do (it once showed the progress of 2026-12-31 without them)."""
    folder = copy_example("banco")
    (folder / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2027-01-08\n"
        "scores: {onboarding-completion: 1.0, tutorial-engagement: 1.0, setup-tickets: 1.0}\n",
        encoding="utf-8",
    )
    args = ("plan", "--repo", str(folder), "--team", "discover", "--cycle", "2027-Q1", "-f", "json")
    before = json.loads(cli(*args, "--today", "2027-01-07").stdout)["previous"]
    after = json.loads(cli(*args, "--today", "2027-01-12").stdout)["previous"]
    assert [p["score"] for p in after] == [1.0] and [p["score"] for p in before] != [1.0]


def test_a_team_plans_after_its_own_cycle_not_another_teams(cli, copy_example) -> None:
    """Platform works in cycles of its own (pf-a, then pf-b); Cards in calendar quarters. On
    20 September Cards prepares 2026-Q4 (it once prepared pf-b, Platform's next cycle: pf-a is
    shorter than the quarter), and Platform pf-b."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: pf-a, start: 2026-07-06, end: 2026-09-27}\n"
        + "  - {id: pf-b, start: 2026-09-28, end: 2026-12-20}\n",
    )
    okrs = folder / "okrs" / "2026-Q4"
    for team, cycle in (("cards", "2026-Q3"), ("identity-platform", "pf-a")):
        text = (okrs / f"{team}.yaml").read_text(encoding="utf-8")
        (okrs / f"{team}.yaml").write_text(text.replace("cycle: 2026-Q4", f"cycle: {cycle}"), encoding="utf-8")
    offered = {
        team: cli("plan", "--repo", str(folder), "--team", team, "--today", "2026-09-20").stdout.splitlines()[1]
        for team in ("cards", "identity-platform")
    }
    assert offered == {
        "cards": "cycle: 2026-Q4, 2026-10-01 to 2026-12-31 (the cycle after 2026-Q3; pass --cycle to plan another)",
        "identity-platform": "cycle: pf-b, 2026-09-28 to 2026-12-20 (the cycle after pf-a; pass --cycle to plan another)",
    }


def test_the_drafts_of_a_team_and_of_its_parent_pass_align_strict(cli, tmp_path, git_repo) -> None:
    """Both drafts of plan --write hold the same placeholder key results (0 → 1, "TODO: outcome 1 …"),
    and the team's aligns to its parent's: that is no cascaded copy (OKR208). Once the parent has
    written its key result, a team that copies it still gets OKR208."""
    folder = tmp_path / "org"
    folder.mkdir()
    git_repo(folder, commit=False)
    (folder / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n", encoding="utf-8")
    (folder / "units").mkdir()
    (folder / "units" / "org.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: co\nname: Co\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: team-a\nname: Team A\ntype: team\nparent: co\n",
        encoding="utf-8",
    )
    (folder / "strategy").mkdir()
    (folder / "strategy" / "s.yaml").write_text(
        'apiVersion: okrctl/v1\nkind: Strategy\nid: s\nowner: co\ncycle: "2027"\n'
        "priorities:\n  - {id: grow, title: Grow}\n",
        encoding="utf-8",
    )
    args = ("--repo", str(folder), "--today", "2026-12-01")
    for team in ("co", "team-a"):
        assert cli("plan", *args, "--team", team, "--cycle", "2027-Q1", "--write").exit_code == 0
    team_draft = (folder / "okrs" / "2027-Q1" / "team-a.yaml").read_text(encoding="utf-8")
    assert "- {to: co-2027-q1, type: directional}" in team_draft
    result = cli("align", *args, "--strict")
    assert (result.exit_code, result.stdout) == (0, "")

    def both_titled(before: str, after: str) -> list[dict]:
        """co's key result titled ``after``, and team-a's word for word: the findings."""
        for team in ("co", "team-a"):
            edit(folder / "okrs" / "2027-Q1" / f"{team}.yaml", before, after)
        findings = json.loads(cli("align", *args, "--format", "json").stdout)["findings"]
        assert [(f["code"], f["path"]) for f in findings if f["code"] == "OKR208"] == [
            ("OKR208", "okrs/2027-Q1/team-a.yaml")
        ]
        return findings

    # The real thing: co writes its key result and team-a copies it word for word.
    both_titled(r'"TODO: outcome 1 moves from its baseline to its target"', "Signups rise from 0 to 1 a day")
    assert cli("align", *args, "--strict").exit_code == 1
    # A title that begins with the word in another language ("Todo cliente novo…", Portuguese) is
    # no placeholder: the copy is OKR208 all the same, and no OKR307 is made of it.
    findings = both_titled(r"Signups rise from 0 to 1 a day", "Todo cliente novo ativa o cartão")
    assert not any("Todo" in f["message"] for f in findings if f["code"] == "OKR307")


def test_two_teams_in_cycles_of_their_own_each_plan_their_own_next_cycle(cli, copy_example) -> None:
    """Identity Platform works in pf-a, pf-b; Cards in xx-a, xx-b, starting a few days apart. In
    September each prepares its own next cycle (Cards was once offered pf-a, Identity's cycle
    already under way); in the cool-down week after its cycle, too (Cards was offered pf-b, and
    Identity 2026-Q4)."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: pf-a, start: 2026-07-06, end: 2026-09-27}\n"
        + "  - {id: pf-b, start: 2026-10-05, end: 2026-12-27}\n"
        + "  - {id: xx-a, start: 2026-07-01, end: 2026-09-25}\n"
        + "  - {id: xx-b, start: 2026-10-10, end: 2026-12-31}\n",
    )
    okrs = folder / "okrs" / "2026-Q4"
    for team, cycle in (("cards", "xx-a"), ("identity-platform", "pf-a")):
        text = (okrs / f"{team}.yaml").read_text(encoding="utf-8")
        (okrs / f"{team}.yaml").write_text(text.replace("cycle: 2026-Q4", f"cycle: {cycle}"), encoding="utf-8")

    def offered(team: str, day: str) -> str:
        return cli("plan", "--repo", str(folder), "--team", team, "--today", day).stdout.splitlines()[1]

    for day in ("2026-09-20", "2026-09-28", "2026-10-03"):
        assert offered("cards", day).startswith("cycle: xx-b, 2026-10-10 to 2026-12-31 (the cycle after xx-a;"), day
    for day in ("2026-09-20", "2026-09-30", "2026-10-03"):
        assert offered("identity-platform", day).startswith(
            "cycle: pf-b, 2026-10-05 to 2026-12-27 (the cycle after pf-a;"
        ), day


@pytest.mark.parametrize(
    ("declared", "day", "last"),
    [
        (  # fiscal quarters named by the year they end in: October, after the last declared one
            "  - {id: 2027-Q3, start: 2027-04-01, end: 2027-06-30}\n  - {id: 2027-Q4, start: 2027-07-01, end: 2027-09-30}\n",
            "2027-10-01",
            "2027-Q4 (2027-07-01 to 2027-09-30)",
        ),
        (  # fiscal halves from February
            "  - {id: 2027-H1, start: 2027-02-01, end: 2027-07-31}\n  - {id: 2027-H2, start: 2027-08-01, end: 2028-01-31}\n",
            "2028-02-05",
            "2027-H2 (2027-08-01 to 2028-01-31)",
        ),
    ],
)
def test_after_the_last_declared_fiscal_cycle_has_ended_plan_asks_for_the_next_one(
    cli, copy_example, declared: str, day: str, last: str
) -> None:
    """Once the last declared fiscal cycle is over, the calendar's quarter of the day is no cycle
    of the organisation's either: plan asks for the next one to be declared (it once offered the
    calendar's next quarter, skipping the months between)."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(config, "cycles:\n" + declared)
    result = cli("plan", "--repo", str(folder), "--team", "cards", "--today", day)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.strip() == (
        f"okrctl: okrctl.yaml declares {last} and no cycle after it; declare the next one under cycles, or pass --cycle"
    )


def test_fiscal_cycles_long_over_do_not_stop_an_organisation_now_in_calendar_quarters(cli, copy_example) -> None:
    """Fiscal quarters declared for 2025, objectives since in calendar quarters (2026-Q4): plan in
    February 2027 prepares 2027-Q2 as before, not a request to declare the cycle after 2025-Q4."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: 2025-Q3, start: 2025-04-01, end: 2025-06-30}\n"
        + "  - {id: 2025-Q4, start: 2025-07-01, end: 2025-09-30}\n",
    )
    result = cli("plan", "--repo", str(folder), "--team", "cards", "--today", "2027-02-10")
    assert result.exit_code == 0, result.stderr
    assert "cycle: 2027-Q2, 2027-04-01 to 2027-06-30 (the cycle after 2027-Q1;" in result.stdout


def test_another_teams_cycle_of_its_own_is_no_cycle_of_a_team_in_quarters(cli, copy_example) -> None:
    """After the last declared fiscal quarter (2027-Q4, July to September), on 1 October, Cards
    (in quarters) was offered that ended quarter "after pf-x", Identity Platform's own cycle under
    way. pf-x is not Cards' cycle: plan asks for the next fiscal quarter to be declared."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: 2027-Q3, start: 2027-04-01, end: 2027-06-30}\n"
        + "  - {id: 2027-Q4, start: 2027-07-01, end: 2027-09-30}\n"
        + "  - {id: pf-x, start: 2027-09-15, end: 2027-12-10}\n",
    )
    identity = folder / "okrs" / "2026-Q4" / "identity-platform.yaml"
    identity.write_text(identity.read_text(encoding="utf-8").replace("cycle: 2026-Q4", "cycle: pf-x"), "utf-8")
    result = cli("plan", "--repo", str(folder), "--team", "cards", "--today", "2027-10-01")
    assert result.exit_code == 2 and result.stdout == ""
    assert "okrctl.yaml declares 2027-Q4 (2027-07-01 to 2027-09-30) and no cycle after it" in result.stderr


def _in_cycle(folder: Path, team: str, cycle: str) -> None:
    """Move the team's bundled objectives from 2026-Q4 to ``cycle``."""
    path = folder / "okrs" / "2026-Q4" / f"{team}.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cycle: 2026-Q4", f"cycle: {cycle}"), encoding="utf-8")


def test_a_team_in_quarters_is_not_offered_a_declared_cycle_nobody_works_in_yet(cli, copy_example) -> None:
    """Identity Platform works in pf-a; pf-b is declared next, with no objectives yet. Cards, in
    calendar quarters, prepares 2027-Q1 in its first days (it was offered pf-b, "the next cycle to
    start", then 2027-Q1 "the cycle after pf-b"), and 2027-Q2 once 2027-Q1 is well under way;
    Identity Platform prepares pf-b."""
    folder = copy_example("banco")
    _append(
        folder / "okrctl.yaml",
        "cycles:\n  - {id: pf-a, start: 2026-10-05, end: 2026-12-27}\n"
        + "  - {id: pf-b, start: 2027-01-04, end: 2027-03-28}\n",
    )
    _in_cycle(folder, "identity-platform", "pf-a")

    def offered(team: str, day: str) -> str:
        result = cli("plan", "--repo", str(folder), "--team", team, "--today", day)
        assert result.exit_code == 0, result.stderr
        return result.stdout.splitlines()[1]

    for day in ("2026-12-29", "2027-01-02", "2027-01-10"):
        assert offered("cards", day).startswith("cycle: 2027-Q1, 2027-01-01 to 2027-03-31 (the cycle after 2026-Q4;"), (
            day
        )
    for day in ("2027-01-20", "2027-03-01"):
        assert offered("cards", day).startswith("cycle: 2027-Q2, 2027-04-01 to 2027-06-30 (the cycle after 2027-Q1;"), (
            day
        )
    assert offered("identity-platform", "2026-12-30").startswith(
        "cycle: pf-b, 2027-01-04 to 2027-03-28 (the cycle after pf-a;"
    )


def test_a_cycle_well_under_way_is_not_prepared_as_the_next_one(cli, copy_example) -> None:
    """Identity Platform's last objectives are in pf-26c1. In the cool-down week and the first two
    weeks of pf-26c2 it prepares pf-26c2; later in pf-26c2 (it was offered pf-26c2 "the cycle after
    pf-26c1" up to its last day), the cycle after it: a request to declare it while none is, then
    pf-26c3. Cards, in calendar quarters, is never offered those cycles."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: pf-26c1, start: 2026-01-05, end: 2026-03-29}\n"
        + "  - {id: pf-26c2, start: 2026-04-06, end: 2026-06-28}\n",
    )
    _in_cycle(folder, "identity-platform", "pf-26c1")
    _in_cycle(folder, "cards", "2026-Q1")
    args = ("plan", "--repo", str(folder), "--team", "identity-platform", "--today")
    for day in ("2026-04-01", "2026-04-19"):
        shown = cli(*args, day).stdout
        assert "cycle: pf-26c2, 2026-04-06 to 2026-06-28 (the cycle after pf-26c1;" in shown, day
    for day in ("2026-04-20", "2026-06-27"):
        result = cli(*args, day)
        assert (result.exit_code, result.stdout) == (2, ""), day
        assert result.stderr.strip() == (
            "okrctl: okrctl.yaml declares pf-26c2 (2026-04-06 to 2026-06-28) and no cycle after it;"
            " declare the next one under cycles, or pass --cycle"
        )
    _append(config, "  - {id: pf-26c3, start: 2026-07-06, end: 2026-09-27}\n")
    for day in ("2026-05-15", "2026-06-27"):
        assert "cycle: pf-26c3, 2026-07-06 to 2026-09-27 (the cycle after pf-26c2;" in cli(*args, day).stdout, day
    cards = ("plan", "--repo", str(folder), "--team", "cards", "--today")
    assert "cycle: 2026-Q2, 2026-04-01 to 2026-06-30 (the cycle after 2026-Q1;" in cli(*cards, "2026-04-01").stdout
    for day in ("2026-05-15", "2026-06-27"):
        assert "cycle: 2026-Q3, 2026-07-01 to 2026-09-30 (the cycle after 2026-Q2;" in cli(*cards, day).stdout, day


def _unit_in_a_year(folder: Path, config: str, year: str, quarter: str) -> None:
    """An organisation whose business unit ``prod`` sets its objectives for ``year`` and whose team
    ``alpha`` works in ``quarter``, aligned to them."""
    folder.mkdir()
    (folder / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\n" + config, encoding="utf-8")
    units = [("acme", "company", None), ("prod", "business-unit", "acme"), ("alpha", "team", "prod")]
    (folder / "units").mkdir()
    (folder / "units" / "units.yaml").write_text(
        "---\n".join(
            f"apiVersion: okrctl/v1\nkind: Unit\nid: {i}\nname: {i.title()}\ntype: {kind}\n"
            + (f"parent: {parent}\n" if parent else "")
            for i, kind, parent in units
        ),
        encoding="utf-8",
    )
    for owner, cycle, aligns in (("prod", year, "[]"), ("alpha", quarter, "[{to: prod-goal}]")):
        (folder / "okrs" / cycle).mkdir(parents=True)
        (folder / "okrs" / cycle / f"{owner}.yaml").write_text(
            f"apiVersion: okrctl/v1\nkind: Objective\nid: {owner}-goal\nowner: {owner}\ncycle: '{cycle}'\n"
            f"title: Grow {owner}\naligns: {aligns}\nkey_results:\n"
            "  - {id: k1, title: Raise signups, unit: '%', baseline: 10, target: 50}\n",
            encoding="utf-8",
        )


def test_a_business_unit_in_a_year_prepares_its_teams_next_quarter_until_the_years_last(
    cli, tmp_path, git_repo
) -> None:
    """A business unit sets objectives for the fiscal year 2027 (October to September) and its team
    plans in the year's quarters. plan once stopped with exit 2 on every day of the year, asking to
    declare fiscal 2028: the unit prepares its team's next quarter, and asks for the next year
    only in the year's last quarter (past its first two weeks), or prepares it once declared."""
    folder = tmp_path / "org"
    fiscal = (
        "cycles:\n  - {id: '2027', start: 2026-10-01, end: 2027-09-30}\n"
        "  - {id: 2027-Q1, start: 2026-10-01, end: 2026-12-31}\n"
        "  - {id: 2027-Q2, start: 2027-01-01, end: 2027-03-31}\n"
        "  - {id: 2027-Q3, start: 2027-04-01, end: 2027-06-30}\n"
        "  - {id: 2027-Q4, start: 2027-07-01, end: 2027-09-30}\n"
    )
    _unit_in_a_year(folder, fiscal, "2027", "2027-Q1")
    git_repo(folder, commit=False)
    args = ("plan", "--repo", str(folder), "--team", "prod", "--today")

    def offered(day: str) -> str:
        result = cli(*args, day)
        assert result.exit_code == 0, result.stderr
        return result.stdout.splitlines()[1]

    for day, line in (
        ("2026-12-01", "cycle: 2027-Q2, 2027-01-01 to 2027-03-31 (the cycle after 2027-Q1;"),
        ("2027-01-05", "cycle: 2027-Q2, 2027-01-01 to 2027-03-31 (the cycle after 2027-Q1;"),
        ("2027-05-10", "cycle: 2027-Q4, 2027-07-01 to 2027-09-30 (the cycle after 2027-Q3;"),
    ):
        assert offered(day).startswith(line), day
    last = cli(*args, "2027-07-20")
    assert (last.exit_code, last.stdout) == (2, "")
    assert last.stderr.strip() == (
        "okrctl: okrctl.yaml declares 2027 (2026-10-01 to 2027-09-30) and no cycle after it;"
        " declare the next one under cycles, or pass --cycle"
    )
    _append(folder / "okrctl.yaml", "  - {id: '2028', start: 2027-10-01, end: 2028-09-30}\n")
    assert offered("2027-07-20").startswith("cycle: 2028, 2027-10-01 to 2028-09-30 (the cycle after 2027;")
    assert offered("2026-12-01").startswith("cycle: 2027-Q2, ")


def test_a_business_unit_in_a_calendar_year_prepares_the_next_year_in_its_last_quarter(cli, tmp_path, git_repo) -> None:
    folder = tmp_path / "org"
    _unit_in_a_year(folder, "", "2026", "2026-Q1")
    git_repo(folder, commit=False)
    args = ("plan", "--repo", str(folder), "--team", "prod", "--today")
    assert "cycle: 2026-Q2, 2026-04-01 to 2026-06-30 (the cycle after 2026-Q1;" in cli(*args, "2026-02-01").stdout
    assert "cycle: 2027, 2027-01-01 to 2027-12-31 (the cycle after 2026;" in cli(*args, "2026-10-20").stdout


def test_a_parent_that_is_no_unit_is_named_as_such_with_its_place(cli, copy_example) -> None:
    """A team whose ``parent`` names no unit (OKR104): the pre-read said "parent unit: ghost
    (ghost)" and listed "ghost's OKRs for 2027-Q1: none yet", as if the unit existed."""
    root = copy_example("banco")
    edit(root / "units/cards.yaml", r"^parent: digital-services$", "parent: ghost")
    result = cli("plan", "--repo", str(root), "--team", "cards", "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr
    assert "parent unit: 'ghost' is not a unit (units/cards.yaml:7, OKR104; 'okrctl align' shows why)\n" in (
        result.stdout
    )
    assert "ghost's OKRs" not in result.stdout and "(ghost)" not in result.stdout
    payload = json.loads(cli("plan", "--repo", str(root), "--team", "cards", "--today", DEMO_DAY, "-f", "json").stdout)
    assert (payload["parent"], payload["parent_is_unit"]) == ("ghost", False)
    assert json.loads(cli("plan", "--repo", BANCO, "--team", "cards", "--today", DEMO_DAY, "-f", "json").stdout)[
        "parent_is_unit"
    ]


def test_a_team_in_quarters_is_not_offered_the_year_of_another_units_objectives(cli, copy_example) -> None:
    """Every team's last objectives are in 2026-Q3, the company's are for the year 2026. From the
    fifteenth day of 2026-Q4, Cards was offered 2027 ("the cycle after 2026") and --write created
    okrs/2027/cards.yaml: it prepares 2027-Q1, as without the company's year, and so does a team
    idle since 2026-Q1."""
    folder = copy_example("banco")
    for team in ("cards", "core-platform", "digital-services", "discover", "identity-platform", "small-business-app"):
        _in_cycle(folder, team, "2026-Q3")
    _in_cycle(folder, "banco", "'2026'")
    args = ("plan", "--repo", str(folder), "--team", "cards", "--today")

    def offered(day: str) -> str:
        result = cli(*args, day)
        assert result.exit_code == 0, result.stderr
        return result.stdout.splitlines()[1]

    assert offered("2026-10-14").startswith("cycle: 2026-Q4, 2026-10-01 to 2026-12-31 (the cycle after 2026-Q3;")
    for day in ("2026-10-15", "2026-11-20", "2026-12-31"):
        assert offered(day).startswith("cycle: 2027-Q1, 2027-01-01 to 2027-03-31 (the cycle after 2026-Q4;"), day
    written = cli(*args, "2026-11-20", "--write")
    assert written.exit_code == 0, written.stderr
    assert (folder / "okrs" / "2027-Q1" / "cards.yaml").is_file() and not (folder / "okrs" / "2027").exists()
    edit(folder / "okrs" / "2026-Q4" / "discover.yaml", "cycle: 2026-Q3", "cycle: 2026-Q1")  # idle since
    discover = cli("plan", "--repo", str(folder), "--team", "discover", "--today", "2026-11-20")
    assert discover.exit_code == 0, discover.stderr
    assert "cycle: 2027-Q1, 2027-01-01 to 2027-03-31 (the cycle after 2026-Q4;" in discover.stdout


@pytest.mark.parametrize("last", ["2026-Q1", "2026-Q3"])
def test_a_team_in_quarters_is_not_offered_the_half_of_its_parents_objectives(cli, copy_example, last: str) -> None:
    """Cards' last objectives are in a quarter, Digital Services' in a half, the company's in the
    year. On 2026-12-31, 92 days after 2026-Q3 ended, Cards was offered 2027-H1 ("the cycle after
    2026-H2"): a half, 184 days, passed as at most twice a quarter of 92; after 2026-Q1 (90 days)
    it did not. A half is never a quarter's kind: 2027-Q1, whichever quarter came last."""
    folder = copy_example("banco")
    for team in ("cards", "core-platform", "discover", "identity-platform", "small-business-app"):
        _in_cycle(folder, team, last)
    _in_cycle(folder, "digital-services", "2026-H2")
    _in_cycle(folder, "banco", "'2026'")
    for day in ("2026-11-20", "2026-12-30", "2026-12-31"):
        result = cli("plan", "--repo", str(folder), "--team", "cards", "--today", day)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[1].startswith("cycle: 2027-Q1, 2027-01-01 to 2027-03-31"), (
            day,
            result.stdout,
        )


def test_a_team_idle_since_a_cycle_of_its_own_naming_stays_in_that_naming(cli, copy_example) -> None:
    """Payments' last objectives are in pf-26c3; pf-26c4 and pf-27c1 follow, a cool-down week
    before each. Idle for longer than a cycle, it was handed the calendar's quarters: 2027-Q1 in the
    week before pf-27c1, and 2027-Q2 or 2027-Q3 with exit 0 once pf-27c1 was over. It prepares
    pf-27c1 in that week, and plan stops with exit 2 in or after the last declared cycle until the
    next one is declared."""
    folder = copy_example("banco")
    config = folder / "okrctl.yaml"
    _append(
        config,
        "cycles:\n  - {id: pf-26c3, start: 2026-07-06, end: 2026-09-27}\n"
        + "  - {id: pf-26c4, start: 2026-10-05, end: 2026-12-27}\n"
        + "  - {id: pf-27c1, start: 2027-01-04, end: 2027-03-28}\n",
    )
    (folder / "units" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    (folder / "okrs" / "pf-26c3").mkdir()
    (folder / "okrs" / "pf-26c3" / "payments.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: pay-c3\nowner: payments\ncycle: pf-26c3\n"
        "title: Payments settle the same day\nkey_results:\n"
        "  - {id: same-day, title: Same-day settlement from 40% to 90%, unit: '%', baseline: 40, target: 90}\n",
        encoding="utf-8",
    )
    args = ("plan", "--repo", str(folder), "--team", "payments", "--today")

    def offered(day: str) -> str:
        result = cli(*args, day)
        assert result.exit_code == 0, (day, result.stderr)
        return result.stdout.splitlines()[1]

    for day in ("2026-10-20", "2026-12-27", "2026-12-28", "2027-01-03"):
        assert offered(day).startswith("cycle: pf-27c1, 2027-01-04 to 2027-03-28 (the cycle after pf-26c4;"), day
    for day in ("2027-01-20", "2027-03-29", "2027-04-01"):
        result = cli(*args, day)
        assert (result.exit_code, result.stdout) == (2, ""), day
        assert result.stderr.strip() == (
            "okrctl: okrctl.yaml declares pf-27c1 (2027-01-04 to 2027-03-28) and no cycle after it;"
            " declare the next one under cycles, or pass --cycle"
        ), day
    _append(config, "  - {id: pf-27c2, start: 2027-04-05, end: 2027-06-27}\n")
    for day in ("2027-01-20", "2027-03-29", "2027-04-01"):
        assert offered(day).startswith("cycle: pf-27c2, 2027-04-05 to 2027-06-27 (the cycle after pf-27c1;"), day
    # Cards, in calendar quarters, is never offered those cycles.
    cards = cli("plan", "--repo", str(folder), "--team", "cards", "--today", "2027-03-29")
    assert "cycle: 2027-Q2, 2027-04-01 to 2027-06-30 (the cycle after 2027-Q1;" in cards.stdout


def test_the_early_warning_counts_the_days_left_in_words(cli, copy_example) -> None:
    # The day before the cycle starts: "in 1 day", not "in 1 days"; two days before: "in 2 days".
    folder = copy_example("banco")
    (folder / "units" / "payments.yaml").write_text(PAYMENTS, encoding="utf-8")
    assert cli("plan", "--repo", str(folder), "--team", "payments", "--cycle", "2027-Q1", "--write").exit_code == 0
    for today, left in (("2026-12-31", "in 1 day"), ("2026-12-30", "in 2 days")):
        result = cli("align", "--repo", str(folder), "--today", today, "--format", "json", "--select", "OKR307")
        (finding,) = json.loads(result.stdout)["findings"]
        assert finding["message"].endswith(f"its cycle 2027-Q1 starts on 2027-01-01, {left}"), finding["message"]
