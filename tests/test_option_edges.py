"""Every option and setting at the edges of its type: months, COLUMNS, OKRCTL_JOBS.

A value out of range is a usage error (exit 2, one line) or is bounded; it never reaches the
core as an exception (exit 3) or as a request for unbounded work.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrctl.cli.common import DEFAULT_WIDTH, MAX_WIDTH, MIN_WIDTH, terminal_width
from okrctl.errors import UsageError
from okrctl.views.report import parse_month
from tests.conftest import DEMO_DAY, EXAMPLES, ROOT, git

BANCO = str(EXAMPLES / "banco")


@contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set variables for one hypothesis example (function-scoped fixtures do not reset per example)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


# ----- --month -------------------------------------------------------------------------------------
@given(st.one_of(st.from_regex(r"\A\d{4}-\d{2}\Z"), st.text(max_size=12)))
@pytest.mark.slow
def test_a_month_is_a_calendar_month_or_a_usage_error(value):
    try:
        start, end = parse_month(value)
    except UsageError as problem:
        assert problem.exit_code == 2 and "--month" in str(problem)
        return
    assert start.day == 1 and end.month == start.month and end.year == start.year
    assert (end.replace(day=1) if end.month == 12 else end) >= start
    assert end == date(start.year, 12, 31) or date.fromordinal(end.toordinal() + 1).day == 1


@pytest.mark.parametrize(
    ("month", "today", "codes"),
    [
        ("9999-12", "9999-12-31", (0, 1)),
        ("9999-12", DEMO_DAY, (2,)),  # has not begun
        ("0000-01", DEMO_DAY, (2,)),
        ("0001-01", DEMO_DAY, (0, 1)),
        ("2026-13", DEMO_DAY, (2,)),
        ("2026-00", DEMO_DAY, (2,)),
    ],
)
@pytest.mark.parametrize("output", ["text", "json"])
def test_report_at_the_first_and_last_month_a_date_can_have(cli, month, today, codes, output):
    result = cli("report", "--repo", BANCO, "--today", today, "--month", month, "--format", output)
    assert result.exit_code in codes, result.stderr
    assert "internal error" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("okrctl: --month: ") and result.stderr.count("\n") == 1


# ----- COLUMNS -------------------------------------------------------------------------------------
# What an environment variable can hold: any text without NUL (and no lone surrogates).
ENV_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=25)


@given(st.one_of(st.integers(min_value=-(10**25), max_value=10**25).map(str), ENV_TEXT))
def test_the_layout_width_is_always_between_the_bounds(columns):
    with environment(COLUMNS=columns):
        width = terminal_width()
    assert MIN_WIDTH <= width <= MAX_WIDTH
    digits = columns.strip()  # Python's whitespace: a unit separator (\x1f) too, which int() keeps
    if digits.isascii() and digits.isdigit() and MIN_WIDTH <= int(digits) <= MAX_WIDTH:
        assert width == int(digits)
    elif digits.isascii() and digits.isdigit() and 0 < int(digits) < MIN_WIDTH:
        assert width == MIN_WIDTH  # a pane split small: the narrowest layout, not the default's
    elif not (digits.isascii() and digits.isdigit()) or int(digits) == 0:
        assert width == DEFAULT_WIDTH


@pytest.mark.parametrize(("columns", "width"), [("0\x1f", DEFAULT_WIDTH), ("90\x1f", 90), ("0000000090", 90)])
def test_columns_with_a_trailing_separator_or_leading_zeros_is_read_as_its_number(columns, width):
    with environment(COLUMNS=columns):
        assert terminal_width() == width


@pytest.mark.parametrize("columns", ["99999999999999999999", "10000000", "٣٠", "1e9"])
@pytest.mark.parametrize("command", [["status", "--team", "discover"], ["report"], ["rules"]])
def test_a_huge_or_odd_columns_value_gives_bounded_output(cli, columns, command):
    result = cli(*command, "--repo", BANCO, "--today", DEMO_DAY, env={"COLUMNS": columns})
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= MAX_WIDTH
    assert len(result.stdout) < 200_000


# ----- narrow terminals and wide cells (item: a KR column dropped, numbers cut) ----------------------
def _words(text: str) -> str:
    return " ".join(text.split())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(width=st.integers(min_value=MIN_WIDTH, max_value=140))
def test_no_number_of_a_team_status_is_ever_cut_at_any_width(cli, width):
    wide = cli("status", "--team", "discover", "--repo", BANCO, "--today", DEMO_DAY, env={"COLUMNS": "200"})
    narrow = cli("status", "--team", "discover", "--repo", BANCO, "--today", DEMO_DAY, env={"COLUMNS": str(width)})
    assert narrow.exit_code == 0
    for token in re.findall(r"\d+%/\d+%|\S+ → \S+ → \S+", wide.stdout):
        assert token in _words(narrow.stdout), (width, token)


def test_a_very_long_unit_keeps_every_column_and_says_how_it_is_shown(cli, copy_example):
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "discover.yaml"
    unit = "tickets per week counted by the support team " * 4
    text = path.read_text(encoding="utf-8").replace("unit: tickets/week", f"unit: {unit.strip()}")
    assert unit.strip() in text
    path.write_text(text, encoding="utf-8")
    result = cli("status", "--team", "discover", "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 0
    words = _words(result.stdout)
    assert f"400 → 332 → 280 {unit.strip()}" in words
    assert "setup-tickets" in words  # the key result is named, not dropped
    assert "one block per row" in words


def test_a_narrow_overview_keeps_each_value_whole_and_indented_under_its_header(cli):
    result = cli("status", "--repo", BANCO, "--today", DEMO_DAY, env={"COLUMNS": "40"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 40 for line in lines)
    # Too long for its header's line, the bar and its numbers start the next one, whole.
    assert "    progress/expected:" in lines and "        ███░░┃░░░░  34%/55%" in lines
    assert "    status: ▲ at-risk" in lines  # a short value stays beside its header
    # Nothing wraps back to the left edge: there only the blocks' first cells start, up to the caption.
    caption = next(i for i, line in enumerate(lines) if line.startswith("(COLUMNS too narrow: one block per"))
    left = {line for line in lines[3:caption] if not line.startswith(" ")}
    assert left == {
        "Banco Exemplo",
        "Digital Services",
        "Cards",
        "Core Platform",
        "Discover",
        "Identity Platform",
        "Small Business App",
    }


def test_a_narrow_team_status_wraps_each_indented_line_under_itself(cli):
    result = cli("status", "--team", "discover", "--repo", BANCO, "--today", DEMO_DAY, env={"COLUMNS": "40"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert all(len(line) <= 40 for line in lines)
    # The rest of a wrapped line goes on two columns further in than the line, never at the left edge.
    assert "  ● on-track · progress 57%, expected" in lines and "    56% █████┃░░░░" in lines
    assert "    - Two engineers lent to the" in lines and "      card-migration project until end" in lines


def test_the_console_wraps_an_indented_line_under_itself_and_leaves_the_rest_alone():
    from io import StringIO

    from rich.text import Text

    from okrctl.render.console import text_console

    buffer = StringIO()
    console = text_console(buffer, False, 24)
    console.print(Text("  alpha beta gamma delta epsilon zeta"))
    console.print(Text("  fits in one line"))
    console.print(Text("no indent: wraps at the edge as rich does"))
    console.print(Text("  kept whole, cut at the end"), no_wrap=True, overflow="ellipsis")
    assert [line.rstrip() for line in buffer.getvalue().splitlines()] == [
        "  alpha beta gamma delta",
        "    epsilon zeta",
        "  fits in one line",
        "no indent: wraps at the",
        "edge as rich does",
        "  kept whole, cut at th…",
    ]


# ----- OKRCTL_JOBS -------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["300", "99999999999999999999", "0", "-3", "abc", "", "4"])
def test_worker_processes_never_outnumber_the_cores(value):
    from okrctl.load.pipeline import _jobs

    with environment(OKRCTL_JOBS=value):
        jobs = _jobs()
    assert 1 <= jobs <= (os.cpu_count() or 1)


def test_a_huge_jobs_value_still_gives_the_answer(cli):
    result = cli("align", "--repo", BANCO, "--today", DEMO_DAY, "--format", "json", env={"OKRCTL_JOBS": "300"})
    assert result.exit_code == 0


@pytest.mark.parametrize("command", ["status", "align", "diff", "report"])
def test_a_repository_that_is_not_a_folder_names_where_the_path_came_from(cli, tmp_path, command) -> None:
    a_file = tmp_path / "passwd"
    a_file.write_text("root:x:0:0\n", encoding="utf-8")
    from_environment = cli(command, env={"OKRCTL_REPO": str(a_file)})
    assert from_environment.exit_code == 2
    assert from_environment.stderr == f"okrctl: OKRCTL_REPO: {a_file} is not a folder\n"
    from_option = cli(command, "--repo", str(a_file), env={"OKRCTL_REPO": str(tmp_path)})
    assert from_option.exit_code == 2
    assert from_option.stderr == f"okrctl: --repo: {a_file} is not a folder\n"


@pytest.mark.parametrize("command", ["status", "align"])
def test_a_repository_folder_that_does_not_exist_names_where_the_path_came_from(cli, tmp_path, command) -> None:
    missing = tmp_path / "nowhere"
    from_environment = cli(command, env={"OKRCTL_REPO": str(missing)})
    assert from_environment.exit_code == 2
    assert from_environment.stderr == f"okrctl: OKRCTL_REPO: no such folder: {missing}\n"
    from_option = cli(command, "--repo", str(missing))
    assert from_option.exit_code == 2
    assert from_option.stderr == f"okrctl: --repo: no such folder: {missing}\n"


def test_a_bad_today_names_where_it_came_from(cli) -> None:
    from_environment = cli("status", env={"OKRCTL_TODAY": "someday"})
    assert from_environment.exit_code == 2
    assert from_environment.stderr == "okrctl: OKRCTL_TODAY: 'someday' is not a date YYYY-MM-DD\n"
    # the option wins, and is named, even when the variable holds the same text
    for args in (["--today", "someday"], ["--today=someday"]):
        from_option = cli("status", *args, env={"OKRCTL_TODAY": "someday"})
        assert from_option.exit_code == 2
        assert from_option.stderr == "okrctl: --today: 'someday' is not a date YYYY-MM-DD\n"


@pytest.mark.parametrize("command", ["report", "digest", "map", "trends"])
def test_a_repository_without_units_is_refused_alike_by_every_unit_view(cli, tmp_path, command):
    """Found, and asked rightly: what it holds is refused (exit 1), as a unit tree without a top is."""
    root = tmp_path / "no-units"
    root.mkdir()
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: Nu\n", encoding="utf-8")
    result = cli(command, "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 1
    assert result.stderr == "okrctl: the repository defines no unit: add units/ (see 'okrctl schema --kind Unit')\n"


UNIT = "apiVersion: okrctl/v1\nkind: Unit\nid: {id}\nname: {id}\nparent: {parent}\n"


@pytest.mark.parametrize("command", ["report", "digest", "map", "trends", "site"])
@pytest.mark.parametrize("top_parent", ["ghost", "team-a"], ids=["unknown-parent", "loop"])
def test_units_without_a_top_unit_name_the_parent_to_fix(cli, tmp_path, command, top_parent):
    """Units exist, but none is the top of the tree: not "defines no unit" but the unit
    file and line of the parent to fix (exit 1, the repository's content, as align reports it)."""
    root = tmp_path / "no-top"
    (root / "units").mkdir(parents=True)
    (root / "okrctl.yaml").write_text("apiVersion: okrctl/v1\nkind: Config\norganization: Nu\n", encoding="utf-8")
    (root / "units" / "nu.yaml").write_text(UNIT.format(id="nu", parent=top_parent), encoding="utf-8")
    (root / "units" / "team-a.yaml").write_text(UNIT.format(id="team-a", parent="nu"), encoding="utf-8")
    args = [command, *([str(tmp_path / "site")] if command == "site" else []), "--repo", str(root), "--today", DEMO_DAY]
    result = cli(*args)
    assert result.exit_code == 1, result.output
    if top_parent == "ghost":
        expected = (
            "units/nu.yaml:5:9: unit 'nu' has the parent 'ghost', which is not a unit, so the organisation has no "
            "top unit; fix that parent (the top unit has none)"
        )
    else:
        expected = (
            "units/nu.yaml:5:9: the units' parents go round in a loop (nu → team-a → nu), so the organisation has "
            "no top unit; give the top unit no parent"
        )
    assert result.stderr.splitlines()[-1] == f"okrctl: {expected}"


@pytest.mark.parametrize("command", ["report", "digest", "map", "trends"])
@pytest.mark.parametrize(
    ("example", "path", "old", "new", "said"),
    [
        (
            "saas",
            "units/acme.yaml",
            "name: Acme Analytics",
            "name: [Acme Analytics",
            "units/acme.yaml:9: did not find expected ',' or ']' (while parsing a flow sequence from line 8)",
        ),
        (
            "banco",
            "units/banco.yaml",
            "name: Banco Exemplo",
            "name: [1, 2]",
            "units/banco.yaml:6: name: a list is not text",
        ),
    ],
    ids=["yaml-error", "invalid-top-unit"],
)
def test_a_unit_file_with_errors_is_named_not_a_correct_unit_or_no_unit(
    cli, copy_example, command, example, path, old, new, said
):
    """A unit file okrctl cannot read: the views said "the repository defines no unit: add units/"
    (all the units in that one file) or told the user to fix a correct unit's parent (the top unit's
    own file broken); the file with the error is named."""
    root = copy_example(example)
    text = (root / path).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (root / path).write_text(text.replace(old, new), encoding="utf-8")
    result = cli(command, "--repo", str(root), "--today", DEMO_DAY)
    assert (result.exit_code, result.stderr) == (
        1,
        f"okrctl: {said}; the organisation's units cannot be told until it is fixed ('okrctl align' shows every "
        "problem)\n",
    )


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["status", "--team", "discover"], "--team"),
        (["status", "--unit", "discover"], "--unit"),
        (["checkin", "--team", "discover", "-c", "7", "--dry-run"], "--team"),
        (["measure", "--team", "discover", "--dry-run", "--values-from", "VALUES"], "--team"),
        (["plan", "--team", "discover"], "--team"),
        (["retro", "--team", "discover"], "--team"),
        (["retro", "--unit", "discover"], "--unit"),
        (["report", "--unit", "discover"], "--unit"),
        (["trends", "--unit", "discover"], "--unit"),
        (["map", "--unit", "discover"], "--unit"),
        (["digest", "--unit", "discover"], "--unit"),
    ],
)
@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("name: Discover", "name: !team Discover", 6),
        ("members: [ana.costa@example.com,", "members: [Ana <ana.costa@example.com>,", 9),
    ],
    ids=["not-yaml", "invalid-unit"],
)
def test_a_team_or_unit_whose_file_has_errors_is_named_not_an_unknown_unit(
    cli, copy_example, git_repo, tmp_path, args, option, old, new, line
):
    """``--team discover`` with units/discover.yaml broken said "unknown unit 'discover'" (exit 2, a
    typo to the user) on every route; the unit is declared, so its file and the line of its first
    error are named (exit 1, the repository's content), as for the root unit. A typo stays exit 2."""
    root = copy_example("banco")
    path = root / "units" / "discover.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    git_repo(root)
    values = tmp_path / "values.csv"
    values.write_text("onboarding-completion,81\n", encoding="utf-8")
    args = [str(values) if a == "VALUES" else a for a in args]
    result = cli(*args, "--repo", str(root), "--today", DEMO_DAY)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"okrctl: units/discover.yaml:{line}: the unit 'discover' that {option} names has errors here; fix it "
        "first ('okrctl align units/discover.yaml' shows every problem)\n",
    )
    assert git(root, "status", "--porcelain") == ""
    typo = cli(*["discovr" if a == "discover" else a for a in args], "--repo", str(root), "--today", DEMO_DAY)
    assert typo.exit_code == 2 and f"{option}: unknown unit 'discovr'" in typo.stderr


FLEET = "apiVersion: okrctl/v1\nkind: Unit\nid: fleet\nname: Fleet\ntype: team\nparent: digital-services\n"


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["status", "--team", "UNIT"], "--team"),
        (["status", "--unit", "UNIT"], "--unit"),
        (["checkin", "--team", "UNIT", "-c", "7", "--dry-run"], "--team"),
        (["measure", "--team", "UNIT", "--dry-run", "--values-from", "VALUES"], "--team"),
        (["plan", "--team", "UNIT"], "--team"),
        (["retro", "--team", "UNIT"], "--team"),
        (["retro", "--unit", "UNIT"], "--unit"),
        (["report", "--unit", "UNIT"], "--unit"),
        (["trends", "--unit", "UNIT"], "--unit"),
        (["map", "--unit", "UNIT"], "--unit"),
        (["digest", "--unit", "UNIT"], "--unit"),
    ],
)
@pytest.mark.parametrize(
    ("example", "path", "edit", "unit", "neighbour", "line"),
    [
        (
            "saas",
            "units/acme.yaml",
            lambda text: text.replace("name: Sales\n", "name: !team Sales\n"),
            "sales",
            "marketing",
            31,
        ),
        ("banco", "units/cards.yaml", lambda text: text + FLEET, "fleet", "cards", 9),
    ],
    ids=["whole-tree-in-one-file", "forgotten-document-marker"],
)
def test_a_unit_in_a_file_of_several_with_errors_is_named_not_an_unknown_unit(
    cli, copy_example, git_repo, tmp_path, args, option, example, path, edit, unit, neighbour, line
):
    """A unit in a file not named after it that is not YAML at all (saas keeps every unit in
    units/acme.yaml; a second unit appended to units/cards.yaml without '---') said "unknown unit"
    (exit 2; "units: none: add units under units/" when that file held them all). The file is read
    line by line, as align reads it: the unit whose document has the error is named there, the
    other units of the file are in it (exit 1); an id in no file stays a typo while units are read."""
    root = copy_example(example)
    text = (root / path).read_text(encoding="utf-8")
    assert edit(text) != text
    (root / path).write_text(edit(text), encoding="utf-8")
    git_repo(root)
    values = tmp_path / "values.csv"
    values.write_text("onboarding-completion,81\n", encoding="utf-8")

    def run(unit_id: str):
        named = [str(values) if a == "VALUES" else unit_id if a == "UNIT" else a for a in args]
        return cli(*named, "--repo", str(root), "--today", DEMO_DAY)

    fix = f"fix it first ('okrctl align {path}' shows every problem)\n"
    result = run(unit)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"okrctl: {path}:{line}: the unit '{unit}' that {option} names has errors here; {fix}",
    )
    other = run(neighbour)
    assert (other.exit_code, other.stderr) == (
        1,
        f"okrctl: {path}:{line}: the unit '{neighbour}' that {option} names is in this file, which has errors; {fix}",
    )
    assert git(root, "status", "--porcelain") == ""
    typo = run("nowhere")
    if example == "saas":  # no unit read at all: the file that holds them is named, not "add units"
        assert typo.exit_code == 1 and typo.stderr.startswith(f"okrctl: {path}:{line}: unsupported tag !team; ")
    else:
        assert typo.exit_code == 2 and f"{option}: unknown unit 'nowhere'" in typo.stderr


@pytest.mark.parametrize("command", [["checkin", "-c", "7", "--dry-run"], ["plan"], ["retro"]])
def test_a_member_of_a_unit_whose_file_has_errors_is_not_told_they_are_in_no_unit(cli, copy_example, command):
    """With no --team, the unit that lists git user.email in a file with errors was left out, and
    the user was told "git user.email ... is not a member of any unit" (exit 2) with a list of teams
    without theirs; that file and the line of its first error are named (exit 1), as for --team."""
    root = copy_example("banco")
    path = root / "units" / "discover.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name: Discover", "name: !team Discover"), encoding="utf-8")
    git(root, "init", "-q")
    git(root, "config", "user.email", "ana.costa@example.com")  # a member of Discover
    result = cli(*command, "--repo", str(root), "--today", DEMO_DAY)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        "okrctl: units/discover.yaml:6: no --team given, and git user.email ana.costa@example.com is a member of "
        "no unit okrctl could read; this file has errors, and a unit in it may list that address: fix it first "
        "('okrctl align units/discover.yaml' shows every problem), or pass --team\n",
    )


# ----- --repo, --today and --no-color on the commands that lacked some of them ---------------------------
def _lately_shared(command: str, tmp_path) -> list[str]:
    """A run of ``command`` that succeeds on a copy of banco, writing only under ``tmp_path``."""
    import shutil

    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    values = tmp_path / "kpis.csv"
    values.write_text("kr,value\nonboarding-completion,81\n", encoding="utf-8")
    return {
        "digest": ["digest", "--repo", str(root)],
        "site": ["site", str(tmp_path / "site"), "--repo", str(root), "--no-history"],
        "measure": ["measure", "--repo", str(root), "--team", "discover", "--values-from", str(values)],
        "codeowners": ["codeowners", "--repo", str(root)],
        "schema": ["schema", "--kind", "Unit", "--repo", str(root)],
        "rules": ["rules", "OKR101", "--repo", str(root)],
    }[command]


@pytest.mark.parametrize("command", ["digest", "site", "measure", "codeowners", "schema", "rules"])
def test_no_color_and_today_are_taken_and_a_bad_today_is_a_usage_error(cli, tmp_path, command) -> None:
    args = _lately_shared(command, tmp_path)
    for bad in (["--today", "someday"], ["--today=2026-02-30"]):
        refused = cli(*args, *bad, "--no-color")
        assert refused.exit_code == 2
        assert refused.stderr == f"okrctl: --today: '{bad[-1].split('=')[-1]}' is not a date YYYY-MM-DD\n"
    from_environment = cli(*args, env={"OKRCTL_TODAY": "someday"})
    assert from_environment.exit_code == 2
    assert from_environment.stderr == "okrctl: OKRCTL_TODAY: 'someday' is not a date YYYY-MM-DD\n"
    assert not (tmp_path / "banco" / "readings").exists()  # measure refused before writing anything
    result = cli(*args, "--today", DEMO_DAY, "--no-color", env={"NO_COLOR": ""})
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.stdout


# The commands that colour their text at a terminal, each with what it needs to print something.
COLOURED = [
    ["status"],
    ["trends"],
    ["map"],
    ["report"],
    ["align"],
    ["retro", "--team", "discover"],
    ["plan", "--team", "discover"],
]


@pytest.mark.slow
@pytest.mark.parametrize("args", COLOURED, ids=[args[0] for args in COLOURED])
def test_no_color_turns_the_colours_of_a_terminal_off(tmp_path, args) -> None:
    import sys

    from tests.conftest import ROOT
    from tests.pty_driver import Terminal

    env = {**os.environ, "PYTHONPATH": str(ROOT), "OKRCTL_NO_CACHE": "1", "TERM": "xterm-256color"}
    env.pop("NO_COLOR", None)
    shown = {}
    for extra in ([], ["--no-color"]):
        command = [sys.executable, "-m", "okrctl", *args, "--repo", BANCO, "--today", DEMO_DAY, *extra]
        with Terminal(command, cwd=tmp_path, env=env) as terminal:
            shown[bool(extra)] = terminal.expect_exit(0)
    assert "\x1b[" in shown[False]  # coloured at a terminal ...
    assert "\x1b[" not in shown[True] and shown[True].strip()  # ... and plain with --no-color


def test_an_empty_today_option_is_refused_and_an_empty_today_variable_is_unset(cli) -> None:
    """``--today ""`` is a date left out of a script (``--today "$DAY"``), not "today": it is a
    usage error. An empty ``OKRCTL_TODAY`` is an unset variable, as for any other."""
    banco = str(EXAMPLES / "banco")
    result = cli("status", "--repo", banco, "--today", "")
    assert result.exit_code == 2
    assert result.stderr == "okrctl: --today: '' is not a date YYYY-MM-DD\n"
    unset = cli("status", "--repo", banco, "--format", "json", env={"OKRCTL_TODAY": ""})
    assert unset.exit_code == 0, unset.stderr
    assert unset.stdout and f'"today": "{date.today().isoformat()}"' in unset.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["checkin", "--team", "cards", "-c", "6", "--dry-run", "--date", ""], "--date: '' is not a date YYYY-MM-DD"),
        (
            ["measure", "--team", "cards", "--values-from", "VALUES", "--dry-run", "--date", ""],
            "--date: '' is not a date YYYY-MM-DD",
        ),
        (["history", "--since", ""], "--since: '' is not a date YYYY-MM-DD"),
        (["align", "--cycle", ""], "--cycle: unknown cycle ''"),
        (["plan", "--team", "cards", "--cycle", ""], "--cycle: unknown cycle ''"),
        (["retro", "--team", "cards", "--cycle", ""], "--cycle: unknown cycle ''"),
    ],
)
def test_an_empty_date_or_cycle_option_is_refused_not_taken_for_the_default(
    cli, tmp_path: Path, args: list[str], message: str
) -> None:
    """``--date "$MEASURED_ON"`` with the variable unset recorded today's date without a word."""
    values = tmp_path / "values.csv"
    values.write_text("card-activation-7d,50\n", encoding="utf-8")
    args = [str(values) if a == "VALUES" else a for a in args]
    result = cli(*args, "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"okrctl: {message}")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["--format", ""], {}, "--format: '' is not one of text, concise, json, github, sarif, junit, gitlab"),
        (["-f", ""], {"GITHUB_ACTIONS": "true"}, "--format: '' is not one of text, concise, json, github, sarif"),
        (["--select", ""], {}, "--select: '' names no rule code"),
        (["--select", ","], {}, "--select: ',' names no rule code"),
        (["--ignore", ""], {}, "--ignore: '' names no rule code"),
    ],
)
def test_an_empty_align_format_or_code_list_is_refused_not_taken_for_the_default(
    cli, copy_example, args: list[str], env: dict[str, str], message: str
) -> None:
    """``align --format "$FMT" --output okrctl.sarif`` with the variable unset wrote the concise text
    (the github format under GITHUB_ACTIONS) into the file and exited 0, so the CI step passed and
    the upload after it failed; ``--select ""`` ran every rule. Each is exit 2, one line, as
    ``status --format ""`` is, and nothing is written."""
    root = copy_example("banco")
    git(root, "init", "-q")
    kr = root / "okrs" / "2026-Q4" / "discover.yaml"
    kr.write_text(kr.read_text(encoding="utf-8").replace("    target: 280", "    target: 400"), encoding="utf-8")
    out = root.parent / "okrctl.sarif"
    assert cli("align", "--repo", str(root), "--today", DEMO_DAY, "--output", str(out)).exit_code == 0
    assert "OKR304" in out.read_text(encoding="utf-8")  # the warning the refused runs would have written
    out.unlink()
    result = cli("align", *args, "--repo", str(root), "--today", DEMO_DAY, "--output", str(out), env=env)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"okrctl: {message}"), result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("width", [MIN_WIDTH, 30, 40, 50, 60])
def test_the_fleet_block_never_cuts_a_status_or_a_confidence(cli, width):
    """Identity Platform is needed by two teams: each one's status and confidence stay whole at any
    width (its objective id goes on a line of its own first, the sparkline is left out)."""
    wide = cli(
        "status", "--team", "identity-platform", "--repo", BANCO, "--today", "2026-11-27", env={"COLUMNS": "200"}
    )
    fleet = wide.stdout.split("\nFleet")[1]
    tokens = re.findall(r"[●▲✖] [a-z-]+|confidence \d+/\d+", fleet)
    assert len(tokens) == 4, fleet
    narrow = cli(
        "status", "--team", "identity-platform", "--repo", BANCO, "--today", "2026-11-27", env={"COLUMNS": str(width)}
    )
    shown = narrow.stdout.split("\nFleet")[1]
    for token in tokens:
        assert token in shown, (width, token, shown)
    assert all(len(line) <= width for line in shown.splitlines()), shown


@pytest.mark.parametrize("command", [["digest"], ["report", "--format", "json"], ["codeowners"], ["map"]])
def test_output_dash_is_standard_output_and_a_file_named_dash_is_dot_slash_dash(cli, copy_example, command):
    """``--output -`` writes to standard output, as ``-`` does for most tools: never a file named
    ``-`` in the repository. A path to it (``./-``) is that file, for whoever wants one."""
    root = copy_example("banco")
    plain = cli(*command, "--repo", str(root), "--today", DEMO_DAY)
    dashed = cli(*command, "--repo", str(root), "--today", DEMO_DAY, "--output", "-")
    assert dashed.exit_code == 0, dashed.stderr
    assert dashed.stdout == plain.stdout and dashed.stdout
    assert not (root / "-").exists() and not any(p.name == "-" for p in root.parent.iterdir())
    named = root / "-"
    assert cli(*command, "--repo", str(root), "--today", DEMO_DAY, "--output", str(named)).exit_code == 0
    assert named.read_text(encoding="utf-8") == plain.stdout


@pytest.mark.parametrize(
    ("args", "by_email"),
    [
        (["checkin", "-c", "6", "--dry-run", "--date", "2026-11-19"], True),
        (["plan"], True),
        (["retro"], True),
        (["measure", "--dry-run", "--values-from", "VALUES"], True),
        (["status"], False),
    ],
)
def test_an_empty_team_is_refused_not_taken_for_the_team_of_git_user_email(cli, copy_example, tmp_path, args, by_email):
    """``--team "$TEAM"`` with the variable unset planned, retro'd and checked in for the team of the
    git user's e-mail address without a word; it is refused as every unknown unit is. An empty
    OKRCTL_TEAM is an unset variable, as for any other: the team is then the git user's."""
    root = copy_example("banco")
    git(root, "init", "-q")
    git(root, "config", "user.email", "ana.costa@example.com")  # a member of Discover
    values = tmp_path / "values.csv"
    values.write_text("onboarding-completion,81\n", encoding="utf-8")
    args = [str(values) if a == "VALUES" else a for a in args]
    result = cli(*args, "--team", "", "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith("okrctl: --team: unknown unit '' (") and "discover" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    if by_email:
        unset = cli(*args, "--repo", str(root), "--today", DEMO_DAY, env={"OKRCTL_TEAM": ""})
        assert unset.exit_code == 0, unset.stderr
        assert "Discover" in unset.stdout or "owner: discover" in unset.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["status", "--team", "a\nb"], "--team: unknown unit 'a\\x0ab' ("),
        (["checkin", "--team", "a\nb", "-c", "6", "--dry-run"], "--team: unknown unit 'a\\x0ab' ("),
        (["status", "--format", "a\nb"], "--format: 'a\\x0ab' is not one of text, json"),
        (["status", "--cycle", "a\nb"], "--cycle: unknown cycle 'a\\x0ab'"),
        (["status", "--today", "a\nb"], "--today: 'a\\x0ab' is not a date YYYY-MM-DD"),
        (["report", "--month", "a\nb"], "--month: 'a\\x0ab' is not a month YYYY-MM"),
        (["schema", "--kind", "a\nb"], "--kind: 'a\\x0ab' is not one of "),
    ],
)
def test_an_option_value_with_a_newline_is_quoted_on_the_one_line_of_its_error(cli, args, message):
    """``--team "$(cat team.txt)"`` with a trailing line: the value is quoted with the newline
    written as an escape, so the error stays one line (a CI log reads each line apart)."""
    extra = [] if args[0] == "schema" else ["--repo", BANCO]
    if "--today" not in args and args[0] != "schema":
        extra += ["--today", DEMO_DAY]
    result = cli(*args, *extra)
    assert result.exit_code == 2, result.stdout
    assert result.stderr.startswith(f"okrctl: {message}"), result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_an_empty_output_is_refused_not_taken_for_the_current_folder(cli, copy_example):
    """``--output "$OUT"`` with the variable unset said "cannot write .: is a folder": the empty
    text is named for what it is, and nothing is written."""
    root = copy_example("banco")
    before = sorted(p.name for p in root.iterdir())
    for command in (["digest"], ["report"], ["align", "--format", "json"], ["codeowners"], ["map"]):
        result = cli(*command, "--repo", str(root), "--today", DEMO_DAY, "--output", "")
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stderr == (
            "okrctl: --output: '' is no file name (a path, or '-' for standard output); nothing was written\n"
        )
    assert sorted(p.name for p in root.iterdir()) == before


@pytest.mark.slow
def test_an_output_name_too_long_for_any_file_is_a_usage_error_as_in_schema(cli, tmp_path):
    """A name longer than the file system allows is a wrong path, like a missing folder (exit 2),
    for every --output as for ``schema --output``; not a write the file system refused (exit 1)."""
    long = tmp_path / ("a" * 300)
    for command in (["digest"], ["report"], ["align", "--format", "json"]):
        result = cli(*command, "--repo", BANCO, "--today", DEMO_DAY, "--output", str(long))
        assert result.exit_code == 2, (command, result.stderr)
        assert result.stderr == f"okrctl: --output: cannot write {long}: the file name is too long\n"
    assert cli("schema", "--output", str(long)).exit_code == 2


@pytest.mark.parametrize("width", [MIN_WIDTH, 40, 50])
def test_the_fleet_blocks_drop_and_risk_lines_wrap_instead_of_cutting_numbers(cli, copy_example, width):
    """Identity Platform fell 9 → 5: the drop and "at risk" lines under it wrap at any width, and
    no line of the fleet block with a digit is cut short with "…"."""
    root = copy_example("banco")
    for day, confidence in (("2026-11-13", "9"), ("2026-11-20", "5")):
        path = root / f"checkins/identity-platform/{day}.yaml"
        path.write_text(re.sub(r"(?m)^confidence: .*$", f"confidence: {confidence}", path.read_text()), "utf-8")
    args = ("status", "--team", "discover", "--repo", str(root), "--today", "2026-11-20")
    fleet = cli(*args, env={"COLUMNS": str(width)}).stdout.split("\nFleet")[1].split("latest issues")[0]
    words = " ".join(fleet.split())
    assert "▼ confidence 9 → 5 this week" in words and "fell 9 → 5 of 10" in words, fleet
    assert not [line for line in fleet.splitlines() if "…" in line and re.search(r"\d", line)], fleet


def test_schema_output_dash_is_refused_not_a_folder_named_dash(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("schema", "--output", "-")
    assert result.exit_code == 2
    assert result.stderr == "okrctl: --output: '-' is standard output; leave --output out to print the schema there\n"
    assert list(tmp_path.iterdir()) == []


# ----- text options whose bytes are not text in the locale's encoding ------------------------------
# Python reads the command line and the environment with ``surrogateescape``: a byte that is not
# UTF-8 (a Latin-1 'é', 0xe9, from an old script or terminal) arrives as the lone surrogate U+DCE9.
LATIN1_E = "\udce9"


def test_a_checkin_text_that_is_not_utf8_is_a_usage_error_naming_the_option(git_repo, copy_example) -> None:
    """The bytes as a shell passes them, under a UTF-8 locale: exit 2 and one line naming the
    option, nothing written. The text was written into the YAML as an escape YAML cannot read,
    and refused with exit 1 as if the repository failed align (OKR100 at a line of a file never
    written)."""
    import subprocess
    import sys

    from tests.conftest import ROOT, git

    root = git_repo(copy_example("banco"))
    before = sorted(p.name for p in (root / "checkins" / "discover").iterdir())
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    for option, value in (("--issue", b"caf\xe9 machine down"), ("--note", b"onboarding-completion=caf\xe9")):
        result = subprocess.run(
            [sys.executable, "-m", "okrctl", "checkin", "--team", "discover", "-c", "5", option.encode(), value]
            + ["--repo", str(root), "--today", "2026-11-27"],
            capture_output=True,
            env=env,
            timeout=120,
        )
        shown = value.decode("latin-1").replace("\xe9", "\\xe9")
        assert (result.returncode, result.stderr.decode()) == (
            2,
            f"okrctl: {option}: '{shown}' is not valid UTF-8 text (the byte 0xe9); "
            "give it in UTF-8, the encoding of the locale\n",
        )
    assert sorted(p.name for p in (root / "checkins" / "discover").iterdir()) == before
    assert git(root, "status", "--porcelain") == ""


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["checkin", "--team", "discover", "-c", "5", "--plan", f"caf{LATIN1_E}"], {}, "--plan"),
        (["checkin", "--team", "discover", "-c", "5", "-i", f"caf{LATIN1_E}"], {}, "--issue"),
        (["checkin", "--team", f"disc{LATIN1_E}", "-c", "5"], {}, "--team"),
        (["checkin", "-c", "5"], {"OKRCTL_TEAM": f"disc{LATIN1_E}"}, "OKRCTL_TEAM"),
        (["plan", "--team", f"disc{LATIN1_E}"], {}, "--team"),
        (["retro", "--team", f"disc{LATIN1_E}"], {}, "--team"),
        (["status", "--cycle", f"2026-Q{LATIN1_E}"], {}, "--cycle"),
        (["status"], {"OKRCTL_TODAY": f"2026-11-27{LATIN1_E}"}, "OKRCTL_TODAY"),
        (["history", f"HEAD{LATIN1_E}"], {}, "REF"),
        (["measure", "--team", f"disc{LATIN1_E}", "--values-from", "kpis.csv"], {}, "--team"),
        (["align", "--select", f"OKR1{LATIN1_E}"], {}, "--select"),
    ],
)
def test_every_text_option_not_in_the_locale_encoding_is_one_usage_error(cli, copy_example, args, env, named):
    root = copy_example("banco")
    result = cli(*args, "--repo", str(root), env={"OKRCTL_TODAY": DEMO_DAY, **env})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"okrctl: {named}: '"), result.stderr
    assert "is not valid UTF-8 text (the byte 0xe9)" in result.stderr
    assert result.stderr.count("\n") == 1


def test_init_refuses_an_organization_name_not_in_the_locale_encoding(cli, tmp_path) -> None:
    result = cli("init", str(tmp_path / "org"), "--organization", f"Caf{LATIN1_E}", "--no-commit")
    assert result.exit_code == 2
    assert result.stderr.startswith("okrctl: --organization: 'Caf\\xe9' is not valid UTF-8 text")
    assert not (tmp_path / "org").exists()


def test_a_path_may_hold_any_bytes_a_file_name_can(cli, copy_example, tmp_path) -> None:
    """Folders and files are named by bytes: a repository in a folder whose name is not UTF-8 is read."""
    import shutil

    folder = tmp_path / f"d{LATIN1_E}"
    shutil.copytree(copy_example("banco"), folder)
    result = cli("status", "--repo", str(folder), "--today", DEMO_DAY)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        [b"report", b"-f", b"markdown", b"--output", b"r\xe9.md"],
        [b"align", b"--output", b"a\xe9.txt"],
        [b"schema", b"--output", b"sch\xe9"],
        [b"init", b"--no-commit", b"--organization", b"X", b"n\xe9w"],
    ],
    ids=["report", "align", "schema", "init"],
)
def test_an_output_file_or_folder_may_be_named_by_any_bytes(copy_example, tmp_path, args) -> None:
    """``--output``, ``schema --output`` and ``init DIR`` name files: a byte that is not UTF-8 is
    part of the name, written as given (not a usage error, as for a text option)."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    root = copy_example("banco")
    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONPATH": str(ROOT), "OKRCTL_TODAY": DEMO_DAY}
    repo = [] if args[0] == b"init" else [b"--repo", os.fsencode(root)]
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", *args, *repo], capture_output=True, env=env, cwd=tmp_path, timeout=120
    )
    assert result.returncode in (0, 1), result.stderr
    assert b"not valid UTF-8" not in result.stderr
    assert os.path.lexists(os.path.join(os.fsencode(tmp_path), args[-1]))


def test_help_is_shown_whatever_bytes_an_okrctl_variable_holds(cli) -> None:
    result = cli("checkin", "--help", env={"OKRCTL_TEAM": f"x{LATIN1_E}"})
    assert result.exit_code == 0
    assert "Usage:" in result.stdout


def test_the_word_help_as_an_options_value_does_not_let_other_text_through(cli, copy_example) -> None:
    """``-p --help`` is a plan item that reads "--help": the issue beside it is still refused."""
    root = copy_example("banco")
    args = ["checkin", "--team", "discover", "-c", "5", "-i", f"caf{LATIN1_E}", "-p", "--help"]
    result = cli(*args, "--repo", str(root), env={"OKRCTL_TODAY": DEMO_DAY})
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("okrctl: --issue: 'caf\\xe9' is not valid UTF-8 text")


def test_init_in_a_folder_whose_name_is_not_utf8_asks_for_the_organisation(tmp_path) -> None:
    """The organisation's name comes from the folder's: bytes that are not text cannot be it (an
    internal error, exit 3, once). With ``--organization`` the repository is made, and the folder is
    shown with the byte as ``\\xe9``, as okrctl shows such bytes everywhere."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {**os.environ, "LC_ALL": "C.UTF-8", "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-m", "okrctl", "init", "--no-commit"]
    refused = subprocess.run([*run, b"caf\xe9"], capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert (refused.returncode, refused.stderr) == (
        2,
        b"okrctl: the folder name 'caf\\xe9' is not UTF-8 text, so it cannot name the organisation;"
        b" give the name with --organization\n",
    )
    assert os.listdir(os.fsencode(tmp_path)) == []
    made = subprocess.run(
        [*run, "--organization", "Caf", b"caf\xe9"], capture_output=True, env=env, cwd=tmp_path, timeout=120
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(b"Created an OKR repository for Caf in ") and b"/caf\\xe9\n" in made.stdout


@pytest.mark.parametrize("term", ["dumb", "unknown"])
@pytest.mark.parametrize(
    "args", [["status", "--team", "cards"], ["trends"], ["history"]], ids=["status", "trends", "history"]
)
def test_a_dumb_terminal_gets_the_layout_of_its_width(term, args) -> None:
    """At a terminal whose TERM is "dumb" (Emacs' shell) or "unknown", rich drew every table at 80
    columns, whatever width okrctl had laid it out for: a table fitted to 120 columns was squeezed,
    its numbers cut ("43%…"). The lines now are as wide as the layout, no wider than the terminal."""
    import re
    import sys

    from tests.pty_driver import Terminal

    env = {**os.environ, "PYTHONPATH": str(ROOT), "TERM": term, "COLUMNS": "120", "OKRCTL_NO_CACHE": "1"}
    env.pop("NO_COLOR", None)
    command = [sys.executable, "-m", "okrctl", *args, "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY]
    with Terminal(command, cwd=ROOT, env=env, columns=120) as screen:
        out = screen.expect_exit(0)
    lines = [re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line) for line in out.replace("\r", "").split("\n")]
    assert max(len(line) for line in lines) > 80  # laid out for 120 columns, drawn so
    assert all(len(line) <= 120 for line in lines)
    assert not any(re.search(r"\d…", line) for line in lines)


@pytest.mark.parametrize("columns", ["20", "12", "1"])
def test_a_terminal_narrower_than_the_narrowest_layout_gets_that_layout(cli, columns) -> None:
    """A pane split to 20 columns got the 100-column layout, which the terminal cut through every
    number; it gets the narrowest one (21 columns), which it wraps at its last character at most."""
    result = cli(
        "status", "--team", "cards", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, env={"COLUMNS": columns}
    )
    assert result.exit_code == 0, result.output
    assert max(len(line) for line in result.stdout.splitlines()) <= MIN_WIDTH
