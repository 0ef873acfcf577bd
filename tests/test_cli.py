"""The command-line contract: exit codes, one-line errors, fast --help, documented commands."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT, git


def run(*args: str, env: dict[str, str] | None = None, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd or ROOT, env={**os.environ, **(env or {})}
    )


def test_version(cli):
    from okrctl import __version__

    result = cli("--version")  # the rest of the line: tests/test_packaging.py
    assert result.exit_code == 0 and result.stdout.startswith(f"okrctl {__version__} from ")


def test_help_and_version_import_nothing_heavy():
    for flag in ("--help", "--version"):
        result = run("-X", "importtime", "-m", "okrctl", flag)
        assert result.returncode == 0
        imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
        heavy = {m for m in imported if m.split(".")[0] in {"pydantic", "ruamel", "git", "rich"}}
        assert heavy == set(), f"okrctl {flag} imported {sorted(heavy)[:5]}"


def commands() -> list[str]:
    from okrctl.cli.app import app

    return sorted(c.name or c.callback.__name__ for c in app.registered_commands)


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help_and_appears_in_the_readme(cli, command):
    result = cli(command, "--help")
    assert result.exit_code == 0
    assert "--help" in result.stdout and len(result.stdout.splitlines()) > 3
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"okrctl {command}\b", readme), f"'okrctl {command}' is not shown in README.md"


# What follows [OPTIONS] in each command's usage line (nothing for the others).
ARGUMENTS = {
    "align": "[PATHS]...",
    "diff": "[BASE] [HEAD]",
    "history": "[REF]",
    "init": "[DIR]",
    "rules": "[CODE]",
    "site": "OUTDIR",
}


def help_names(text: str) -> list[str]:
    """The first column of a help's lists of arguments and options: each name and its value's."""
    names, listing = [], False
    for line in text.splitlines():
        if line in ("Arguments:", "Options:"):
            listing = True
        elif not line.startswith(" "):
            listing = False
        elif listing and re.match(r"  \S", line):
            names.append(re.split(r"\s{2,}", line.strip())[0])
    return names


@pytest.mark.parametrize("command", commands())
def test_the_help_names_arguments_and_values_in_words_not_python_types(cli, command):
    """With the typer pip installs today (0.29) the help read 'Usage: okrctl diff [OPTIONS]
    [[BASE]] [[HEAD]]', 'Usage: okrctl site [OPTIONS] {OUTDIR}', 'paths... <list[Path]>' and
    '--today <str>'. An optional argument is in brackets once, a required one bare, and every value
    is named in words, whatever typer runs okrctl (tests/test_packaging.py: the lowest one)."""
    result = cli(command, "--help")
    assert result.exit_code == 0
    usage = " ".join(["Usage: okrctl", command, "[OPTIONS]", *ARGUMENTS.get(command, "").split()])
    assert result.stdout.splitlines()[0] == usage
    names = help_names(result.stdout)
    assert "-h, --help" in names
    assert [name for name in names if re.search(r"[<>{}]|\[\[", name)] == []
    listed = [name for name in names if not name.startswith("-")]
    assert listed == ARGUMENTS.get(command, "").split()


@pytest.mark.parametrize("command", commands())
def test_a_command_run_alone_says_what_it_says_among_all_of_them(command):
    """``okrctl <command>`` builds that command alone (``cli.app.app_for``): its help, its usage
    errors and its exit codes are those of the whole command line's."""
    from typer.testing import CliRunner

    from okrctl.cli.app import app, app_for

    for words in ([command, "--help"], [command, "--no-such-option"]):
        alone, among_all = (CliRunner().invoke(program, words) for program in (app_for(words), app))
        assert app_for(words) is not app
        assert (alone.exit_code, alone.stdout, alone.stderr) == (
            among_all.exit_code,
            among_all.stdout,
            among_all.stderr,
        )
    assert app_for(["--help"]) is app and app_for(["statsu"]) is app


def test_unknown_option_is_exit_2(cli):
    assert cli("align", "--no-such-option").exit_code == 2


@pytest.mark.slow
def test_a_mistyped_command_line_is_one_line_naming_the_help_to_read(tmp_path):
    cases = {
        ("bogus",): "No such command 'bogus' (see 'okrctl --help')",
        ("--bogus",): "No such option: --bogus (see 'okrctl --help')",
        ("status", "--bogus"): "No such option: --bogus (see 'okrctl status --help')",
        ("status", "extra"): "Got unexpected extra argument(s) (extra) (see 'okrctl status --help')",
        ("status", "--team"): "Option '--team' requires an argument (see 'okrctl status --help')",
        (
            "align",
            "--formt",
            "json",
        ): "No such option: --formt (Possible options: --format) (see 'okrctl align --help')",
        # An option of the command written before it: where it goes, not that okrctl lacks it.
        ("--repo", ".", "status"): "--repo goes after the command: okrctl status --repo … (see 'okrctl status --help')",
        ("--today=2026-11-20", "align"): (
            "--today goes after the command: okrctl align --today … (see 'okrctl align --help')"
        ),
        ("--bogus", "status"): "No such option: --bogus (see 'okrctl status --help')",
    }
    for args, message in cases.items():
        result = run("-m", "okrctl", *args, cwd=tmp_path)
        assert (result.returncode, result.stdout, result.stderr) == (2, "", f"okrctl: {message}\n"), args
    # No command at all is a request for the help, not a mistake.
    bare = run("-m", "okrctl", cwd=tmp_path)
    shown = bare.stdout + bare.stderr  # click 8.2 and later write it to standard error, exit 2
    assert shown.startswith("Usage: okrctl [OPTIONS] COMMAND [ARGS]...") and "Commands:" in shown


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["checkin", "--team", "cards", "-c", "7", "-p", "--dry-run"],
            "-p needs a value, but the next word is the "
            "option --dry-run; give -p its value (write --plan=--dry-run if that is the value)",
        ),
        (
            ["checkin", "--team", "cards", "-c", "7", "--issue", "--no-commit"],
            "--issue needs a value, but the next "
            "word is the option --no-commit; give --issue its value (write --issue=--no-commit if that is the value)",
        ),
        (
            ["align", "-o", "--strict"],
            "-o needs a value, but the next word is the option --strict; give -o its value "
            "(write --output=--strict if that is the value)",
        ),
        (
            ["checkin", "--team", "cards", "-c", "7", "-p", "-iblocked"],
            "-p needs a value, but the next word is the option -iblocked; give -p its value (write --plan=-iblocked "
            "if that is the value)",
        ),
        (
            ["align", "-o", "-fjson"],
            "-o needs a value, but the next word is the option -fjson; give -o its value (write --output=-fjson if "
            "that is the value)",
        ),
        (
            ["checkin", "--team", "cards", "-c", "7", "-p", "-h"],
            "-p needs a value, but the next word is the option -h; give -p its value (write --plan=-h if that is the value)",
        ),
        (
            ["status", "--team", "--format=json"],
            "--team needs a value, but the next word is the option "
            "--format=json; give --team its value (write --team=--format=json if that is the value)",
        ),
    ],
)
def test_an_option_followed_by_another_option_instead_of_its_value_is_refused(cli, copy_example, git_repo, args, said):
    """``-p --dry-run`` (the plan's text forgotten) took ``--dry-run`` as the plan and committed the
    check-in; ``align -o --strict`` wrote a file named ``--strict`` and judged without --strict."""
    repo = copy_example("banco")
    git_repo(repo)
    before = sorted(p.name for p in repo.iterdir())
    head = git(repo, "rev-parse", "HEAD")
    result = cli(*args, "--repo", str(repo), "--today", "2026-11-27")
    assert (result.exit_code, result.stderr) == (2, f"okrctl: {said}\n")
    assert sorted(p.name for p in repo.iterdir()) == before
    assert git(repo, "rev-parse", "HEAD") == head and git(repo, "status", "--porcelain") == ""


def test_a_value_that_looks_like_an_option_is_still_given_with_an_equals_sign(cli, copy_example, git_repo):
    repo = copy_example("banco")
    git_repo(repo)
    result = cli(
        "checkin",
        "--repo",
        str(repo),
        "--today",
        "2026-11-27",
        "--team",
        "cards",
        "-c",
        "7",
        "--plan=--dry-run",
        "--dry-run",
        "-r",
        "card-delivery-days=-5",
    )
    assert result.exit_code == 0, result.stderr
    assert '- "--dry-run"' in result.stdout and "card-delivery-days: -5" in result.stdout
    assert git(repo, "status", "--porcelain") == ""


def test_bad_today_is_a_one_line_usage_error(cli, tmp_path):
    result = cli("align", "--repo", str(tmp_path), "--today", "2026-13-45")
    assert result.exit_code == 2
    assert result.stderr == "okrctl: --today: '2026-13-45' is not a date YYYY-MM-DD\n"


@pytest.mark.parametrize("day", ["2026-W48-5", "2026-11-2７", "２026-11-27", "2026_11_27"])
def test_a_day_written_other_than_yyyy_mm_dd_is_refused(cli, tmp_path, day):
    """Python reads an ISO week date (2026-W48-5, ten characters) and other digits; okrctl's dates
    are YYYY-MM-DD alone, as in a file, where the same text is refused."""
    result = cli("align", "--repo", str(tmp_path), "--today", day)
    assert result.exit_code == 2
    assert result.stderr == f"okrctl: --today: '{day}' is not a date YYYY-MM-DD\n"


def test_repository_not_found_is_exit_2(tmp_path):
    result = run("-m", "okrctl", "align", cwd=tmp_path, env={"OKRCTL_REPO": ""})
    assert result.returncode == 2
    assert result.stderr.startswith("okrctl: no okrctl.yaml in ")
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_root_is_found_by_walking_up(tmp_path):
    from tests.conftest import ROOT as project

    example = project / "examples" / "saas"
    result = run("-m", "okrctl", "align", "--today", "2026-11-20", cwd=example / "okrs", env={"OKRCTL_NO_CACHE": "1"})
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_unexpected_exception_is_exit_3_with_one_line(tmp_path):
    """A bug must never show a traceback: one line, exit 3; OKRCTL_DEBUG=1 shows the traceback."""
    script = (
        "import okrctl.rules.structure as s\n"
        "def boom(ctx): raise RuntimeError('simulated bug')\n"
        "s.check = boom\n"
        "import sys; sys.argv = ['okrctl', 'align', '--repo', sys.argv[1]]\n"
        "from okrctl.cli.app import main; main()\n"
    )
    repo = ROOT / "tests" / "fixtures" / "good" / "minimal"
    result = run("-c", script, str(repo), env={"OKRCTL_NO_CACHE": "1"})
    assert result.returncode == 3
    assert result.stderr == (
        "okrctl: internal error: RuntimeError: simulated bug (set OKRCTL_DEBUG=1 for the traceback)\n"
    )
    debug = run("-c", script, str(repo), env={"OKRCTL_NO_CACHE": "1", "OKRCTL_DEBUG": "1"})
    assert debug.returncode == 3 and "Traceback (most recent call last)" in debug.stderr


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r"<!-- test-command -->\n```(?:sh|bash)\n(.+?)\n```", readme, re.S)
    assert match, "README.md marks its test command with <!-- test-command -->"
    assert match.group(1).strip() in ci


def test_every_option_of_every_command_is_named_in_the_documentation():
    """An option only ``--help`` names is one a user cannot learn what it does (or that it exists)."""
    import typer.main

    from okrctl.cli.app import app

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    written = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    group = typer.main.get_command(app)
    missing = []
    for name, command in sorted(group.commands.items()):  # type: ignore[attr-defined]
        for param in command.params:
            for flag in [*param.opts, *param.secondary_opts]:
                if flag.startswith("--") and flag != "--help" and not re.search(rf"{re.escape(flag)}\b", written):
                    missing.append(f"okrctl {name} {flag}")
    assert missing == []


@pytest.mark.parametrize("command", commands())
def test_every_command_takes_repo_today_and_no_color(command):
    """SPEC §4: every command takes --repo and --today and honours --no-color (digest, site,
    measure and codeowners once refused --no-color, and codeowners --today, as unknown options).
    init's --repo names the new repository, as its DIR, and never comes from OKRCTL_REPO."""
    import typer.main

    from okrctl.cli.app import app

    params = typer.main.get_command(app).commands[command].params  # type: ignore[attr-defined]
    flags = {flag for param in params for flag in param.opts}
    assert {"--repo", "--today", "--no-color"} <= flags
    envvars = {param.opts[0]: param.envvar for param in params}
    repo_variable = None if command == "init" else "OKRCTL_REPO"
    assert (envvars["--repo"], envvars["--today"]) == (repo_variable, "OKRCTL_TODAY")


@pytest.mark.parametrize(
    "args",
    [
        ["checkin", "-t", "discover", "-c", "6", "--dry-run", "--date", "2026-11-19"],
        ["measure", "-t", "discover", "--values-from", "VALUES", "--dry-run"],
        ["plan", "-t", "discover"],
        ["retro", "-t", "discover"],
        ["retro", "-u", "digital-services"],
        ["status", "-t", "discover"],
        ["status", "-u", "discover"],
        ["digest", "-u", "digital-services"],
        ["map", "-u", "digital-services"],
        ["report", "-u", "digital-services"],
        ["trends", "-u", "digital-services"],
    ],
)
def test_t_and_u_are_short_for_team_and_unit_in_every_command_that_takes_them(
    cli, copy_example, git_repo, tmp_path, args
):
    """status and measure took -t, and report, trends, map and digest -u, while checkin, plan and
    retro refused them ('No such option: -t', exit 2): one option has one spelling everywhere."""
    from tests.conftest import DEMO_DAY

    root = git_repo(copy_example("banco"))
    values = tmp_path / "values.csv"
    values.write_text("onboarding-completion,81\n", encoding="utf-8")
    args = [str(values) if a == "VALUES" else a for a in args]
    long = [{"-t": "--team", "-u": "--unit"}.get(a, a) for a in args]
    short_run, long_run = (cli(*words, "--repo", str(root), "--today", DEMO_DAY) for words in (args, long))
    assert short_run.exit_code == 0, short_run.stderr
    assert (short_run.stdout, short_run.stderr) == (long_run.stdout, long_run.stderr)
    assert long_run.exit_code == 0 and short_run.stdout


def test_every_team_option_takes_t_and_every_unit_option_u():
    """What ``--help`` shows: -t beside every --team, -u beside every --unit, in every command."""
    import typer.main

    from okrctl.cli.app import app

    missing = []
    for name, command in sorted(typer.main.get_command(app).commands.items()):  # type: ignore[attr-defined]
        for param in command.params:
            for long, short in (("--team", "-t"), ("--unit", "-u")):
                if long in param.opts and short not in param.opts:
                    missing.append(f"okrctl {name} {long}")
    assert missing == []


def test_init_takes_repo_as_its_folder_and_never_from_the_environment(cli, tmp_path):
    made = cli("init", "--repo", str(tmp_path / "a"), "--organization", "A", "--no-commit", "--no-color")
    assert made.exit_code == 0, made.stderr
    assert (tmp_path / "a" / "okrctl.yaml").is_file()
    both = cli("init", str(tmp_path / "b"), "--repo", str(tmp_path / "c"), "--no-commit")
    assert both.exit_code == 2 and "give one of them" in both.stderr
    assert not (tmp_path / "b").exists() and not (tmp_path / "c").exists()
    moved = cli("init", str(tmp_path / "d"), "--no-commit", env={"OKRCTL_REPO": str(tmp_path / "a")})
    assert moved.exit_code == 0, moved.stderr
    assert (tmp_path / "d" / "okrctl.yaml").is_file()
    bad_day = cli("init", str(tmp_path / "e"), "--today", "2026-02-30", "--no-commit")
    assert bad_day.exit_code == 2 and "--today: '2026-02-30' is not a date YYYY-MM-DD" in bad_day.stderr
    assert not (tmp_path / "e").exists()


def test_a_completion_request_without_the_shells_variables_is_one_line(tmp_path):
    """``_OKRCTL_COMPLETE`` set outside the completion function (``COMP_WORDS`` missing, or
    ``COMP_CWORD`` not a number) gave the library's traceback, exit 1."""
    for extra in ({}, {"COMP_WORDS": "okrctl align", "COMP_CWORD": "abc"}):
        env = {"_OKRCTL_COMPLETE": "complete_bash", **extra}
        result = run("-m", "okrctl", cwd=tmp_path, env=env)
        assert result.returncode == 2, result.stderr
        assert "Traceback" not in result.stderr and result.stderr.startswith("okrctl: _OKRCTL_COMPLETE is set")
    done = run(
        "-m",
        "okrctl",
        cwd=tmp_path,
        env={"_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": "okrctl al", "COMP_CWORD": "1"},
    )
    assert (done.returncode, done.stdout.split()) == (0, ["align"])


def _tab(words: str, **env: str) -> list[str]:
    """What bash's completion function is offered for the last word of ``words`` (a space at the
    end: a new word), asked of okrctl in-process through the variables bash sets."""
    from typer.testing import CliRunner

    from okrctl.cli.app import app

    cword = len(words.split()) - (0 if words.endswith(" ") else 1)
    asked = {"_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword), **env}
    result = CliRunner().invoke(app, [], env=asked)
    assert (result.exit_code, result.stderr) == (0, ""), words
    return result.stdout.split()


def test_tab_offers_the_values_of_options_with_fixed_choices(cli):
    """Tab after --format (or -f), retro --stage, schema --kind and init --example offered nothing;
    it offers the command's own values now, and a wrong value still gets okrctl's one line."""
    from okrctl.kinds import KINDS
    from okrctl.render.formats import FORMATS

    for command, formats in FORMATS.items():
        assert _tab(f"okrctl {command} --format ") == list(formats)
    assert _tab("okrctl rules -f ") == ["text", "json"]
    assert _tab("okrctl align -f s") == ["sarif"]
    assert _tab("okrctl map -f m") == ["mermaid"]
    assert _tab("okrctl retro --stage ") == ["mid", "end"]
    assert _tab("okrctl schema --kind ") == list(KINDS)
    assert _tab("okrctl schema --kind C") == ["Config", "CheckIn"]
    assert _tab("okrctl init --example ") == ["banco", "saas"]
    wrong = cli("retro", "--stage", "start")
    assert (wrong.exit_code, wrong.stderr) == (2, "okrctl: --stage: 'start' is not one of mid, end\n")


def test_tab_completes_schema_kind_in_any_case_as_the_command_takes_it(cli):
    """``schema --kind unit`` is taken (and the files are named so: unit.schema.json), but Tab
    after ``--kind u`` offered nothing, only after ``U``; it completes the kind in either case now.
    Options the command takes in one case only are completed in that case alone."""
    assert _tab("okrctl schema --kind u") == ["unit"]
    assert _tab("okrctl schema --kind U") == ["Unit"]
    assert _tab("okrctl schema --kind c") == ["config", "checkin"]
    assert _tab("okrctl schema --kind chECK") == ["chECKin"]
    assert _tab("okrctl schema --kind x") == []
    for typed in ("unit", "chECKin"):
        taken = cli("schema", "--kind", typed)
        assert taken.exit_code == 0 and f'/{typed.lower()}.schema.json"' in taken.stdout, typed
    assert _tab("okrctl map -f M") == []
    assert _tab("okrctl retro --stage M") == []
    assert _tab("okrctl init --example B") == []


# The unit ids of examples/banco, as Tab after --team offers them.
BANCO_UNITS = [
    "banco",
    "cards",
    "core-platform",
    "digital-services",
    "discover",
    "identity-platform",
    "small-business-app",
]


def test_tab_reads_no_file_the_store_knows_to_hold_check_ins_only(cli, copy_example, git_repo, tmp_path, monkeypatch):
    """Tab after --team read every file's bytes, about 1.7 s at 1,000 teams, most of them weekly
    check-ins: a file the store knows by its unchanged stat to hold check-ins only is not read now.
    The offer is the same, a check-in file turned into a unit is offered, and a completion creates
    no store where there is none."""
    from okrctl.load import cache as cache_module
    from okrctl.load import pipeline

    monkeypatch.delenv("OKRCTL_NO_CACHE")
    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now get stat rows
    store = tmp_path / "store"
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(store))
    root = git_repo(copy_example("banco"))
    units = BANCO_UNITS
    read: list[str] = []
    real_read = pipeline._read

    def spy(path: str) -> bytes:
        read.append(os.path.relpath(path, root))
        return real_read(path)

    monkeypatch.setattr(pipeline, "_read", spy)
    assert _tab("okrctl status --team ", OKRCTL_REPO=str(root)) == units
    assert not store.exists()  # no store yet: none made
    assert any(rel.startswith("checkins") for rel in read)
    assert cli("status", "--repo", str(root)).exit_code == 0  # a command fills the store
    read.clear()
    assert _tab("okrctl status --team ", OKRCTL_REPO=str(root)) == units
    assert read and not any(rel.startswith("checkins") for rel in read), read
    turned = root / "checkins" / "discover" / "2026-10-02.yaml"
    turned.write_text("apiVersion: okrctl/v1\nkind: Unit\nid: payments\nname: Payments\nparent: banco\n")
    assert _tab("okrctl status --team p", OKRCTL_REPO=str(root)) == ["payments"]


def test_tab_takes_the_walk_the_store_keeps(cli, copy_example, git_repo, tmp_path, monkeypatch):
    """Tab after --team walked the whole tree (about 0.6 s at 1,000 teams) where a command's walk
    was kept in the store: it takes that walk now, reading no check-in file, and still offers a
    unit written into a check-in file in place, or into a new file beside others."""
    from okrctl.load import cache as cache_module
    from okrctl.load import discover as discover_module
    from okrctl.load import pipeline

    monkeypatch.delenv("OKRCTL_NO_CACHE")
    monkeypatch.setattr(cache_module, "RACY_SECONDS", -1.0)  # files written just now get stat rows
    monkeypatch.setattr(discover_module, "SHARED_WALK_MIN_FOLDERS", 0)
    monkeypatch.setattr(pipeline, "KEPT_WALK_MIN_FILES", 1)
    monkeypatch.setenv("OKRCTL_CACHE_DIR", str(tmp_path / "store"))
    root = git_repo(copy_example("banco"))
    for _ in range(3):  # fills the store, learns which index git reads, keeps the walk
        assert cli("status", "--repo", str(root)).exit_code == 0
    read: list[str] = []
    walked: list[object] = []
    real_read, real_discover = pipeline._read, pipeline.discover

    def spy_read(path: str) -> bytes:
        read.append(os.path.relpath(path, root))
        return real_read(path)

    def spy_discover(at, *args, **kwargs):
        walked.append(at)
        return real_discover(at, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_read", spy_read)
    monkeypatch.setattr(pipeline, "discover", spy_discover)
    assert _tab("okrctl status --team ", OKRCTL_REPO=str(root)) == BANCO_UNITS
    assert walked == []
    assert read and not any(rel.startswith("checkins") for rel in read), read
    turned = root / "checkins" / "discover" / "2026-10-02.yaml"
    turned.write_text("apiVersion: okrctl/v1\nkind: Unit\nid: payments\nname: Payments\nparent: banco\n")
    (root / "checkins" / "cards" / "unit.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: pricing\nname: Pricing\nparent: banco\n"
    )
    assert _tab("okrctl status --team p", OKRCTL_REPO=str(root)) == ["payments", "pricing"]
    assert walked == []


@pytest.mark.slow
def test_tab_offers_the_unit_ids_of_the_repository_after_team_and_unit(
    cli, copy_example, git_repo, tmp_path, monkeypatch
):
    """Tab after --team or --unit offered nothing; it offers the ids of the repository's units,
    found as the command finds the repository, and nothing (exit 0, not a word on stderr) where
    there is none or it cannot be read."""
    root = git_repo(copy_example("banco"))
    units = BANCO_UNITS
    for words in (
        "okrctl checkin --team ",
        "okrctl measure -t ",
        "okrctl plan --team ",
        "okrctl retro --team ",
        "okrctl retro --unit ",
        "okrctl status --team ",
        "okrctl status -t ",
        "okrctl status --unit ",
        "okrctl digest --unit ",
        "okrctl map -u ",
        "okrctl report --unit ",
        "okrctl trends -u ",
    ):
        assert _tab(words, OKRCTL_REPO=str(root)) == units, words
    assert _tab(f"okrctl report --repo {root} -u c") == ["cards", "core-platform"]

    # The shell's own call, from a folder inside the repository: found by walking up, as commands do.
    env = {"_OKRCTL_COMPLETE": "complete_bash", "COMP_WORDS": "okrctl checkin --team d", "COMP_CWORD": "3"}
    shell = run("-m", "okrctl", cwd=root / "checkins" / "discover", env=env)
    assert (shell.returncode, shell.stdout.split(), shell.stderr) == (0, ["digital-services", "discover"], "")
    outside = tmp_path / "outside"
    outside.mkdir()
    monkeypatch.chdir(outside)
    assert _tab("okrctl checkin --team ") == []
    assert _tab(f"okrctl status --repo {outside / 'gone'} --team ") == []
    (root / "units" / "cards.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: [cards\n", encoding="utf-8")
    assert _tab("okrctl map -u c", OKRCTL_REPO=str(root)) == ["core-platform"]
    (root / "okrctl.yaml").unlink()
    (root / "okrctl.yaml").mkdir()  # a config that is a folder: the command refuses the repository
    assert _tab("okrctl status --team ", OKRCTL_REPO=str(root)) == []
    assert cli("status", "--team", "discover", "--repo", str(root)).exit_code == 2
