"""File names okrctl does not trust: bytes that are not UTF-8, newlines, escape sequences, bidi marks.

Every command ends cleanly; a name never starts a new line of output (a CI log would obey it as a
workflow command), never reaches the terminal as an escape sequence, and machine formats stay
parseable.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import xml.dom.minidom
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DEMO_DAY, ROOT, git
from tests.helpers_git import commit_at, hermetic_git

GOOD = ROOT / "tests" / "fixtures" / "good" / "minimal"
UNIT = b"apiVersion: okrctl/v1\nkind: Unit\nid: planted\nname: Planted\nparent: web\n"

# The corpus: (name as bytes, relative to the root; what okrctl shows for it).
NOT_UTF8 = [
    (b"zz\xff.yaml", "zz\\xff.yaml"),
    (b"zz\xfe.txt", "zz\\xfe.txt"),
    (b"caf\xe9/unit.yaml", "caf\\xe9/unit.yaml"),
    (b"\xc3(.yml", "\\xc3(.yml"),
    (b"okrs/\xed\xa0\x80.yaml", "okrs/\\xed\\xa0\\x80.yaml"),  # an encoded surrogate
]
CONTROL = [
    (b"zz\n::error file=README.md::planted\n.yaml", "zz\\x0a::error file=README.md::planted\\x0a.yaml"),
    (b"zz\r.yaml", "zz\\x0d.yaml"),
    (b"zz\x1b]0;title\x07.yaml", "zz\\x1b]0;title\\x07.yaml"),
    (b"zz\x1b[2J.yaml", "zz\\x1b[2J.yaml"),
    (b"zz\xc2\x9b31m.yaml", "zz\\x9b31m.yaml"),  # the one-character CSI
    (b"zz\xe2\x80\xaelmay.yaml", "zz\\u202elmay.yaml"),  # right-to-left override
    (b"zz\xe2\x80\xa8next.yaml", "zz\\u2028next.yaml"),  # line separator
    (b"zz\xef\xbf\xbf\xef\xbf\xbe.yaml", "zz\\uffff\\ufffe.yaml"),  # not characters (XML refuses them)
    # GitHub's older workflow command, obeyed anywhere in a line of the log: the second # escaped.
    (b"zz##[stop-commands]x.yaml", "zz#\\x23[stop-commands]x.yaml"),
    # GitHub's workflow command at the start of a line (a name at the root starts the line of
    # concise and text): the first colon escaped.
    (b"::error::zz.yaml", "\\x3a:error::zz.yaml"),
    (b"::warning::d/zz.yaml", "\\x3a:warning::d/zz.yaml"),
]


def repo_with_names(tmp_path: Path, names: list[bytes], content: bytes = b"kind: Foo\n") -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(GOOD, repo)
    for name in names:
        target = os.path.join(os.fsencode(repo), name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(content)
    return repo


def run(cli, repo: Path, *args: str):
    result = cli(*args, "--repo", str(repo), "--today", DEMO_DAY)
    assert "internal error" not in result.stderr, result.stderr
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    return result


@pytest.mark.parametrize(("name", "shown"), NOT_UTF8, ids=[s for _, s in NOT_UTF8])
def test_a_name_that_is_not_utf8_is_reported_by_its_escaped_name_and_not_read(cli, tmp_path, name, shown):
    repo = repo_with_names(tmp_path, [name], UNIT)
    report = json.loads(run(cli, repo, "align", "--format", "json").stdout)
    if shown.endswith(".txt"):
        assert report["findings"] == []
        assert "zz\\xfe.txt" in run(cli, repo, "align", "--format", "text").stdout
        return
    assert [(f["code"], f["path"], f["message"]) for f in report["findings"]] == [
        ("OKR100", shown, "file name is not valid UTF-8 (shown here with \\x escapes); the file is not read")
    ]


@pytest.mark.parametrize(
    "command",
    [
        ["align", "--format", "concise"],
        ["align", "--format", "text"],
        ["align", "--format", "sarif"],
        ["align", "--format", "junit"],
        ["align", "--format", "github"],
        ["align", "--format", "gitlab"],
        ["status"],
        ["status", "--format", "json"],
        ["trends", "--format", "csv"],
        ["report", "--format", "html"],
        ["map", "--format", "mermaid"],
        ["retro", "--team", "web"],
        ["plan", "--team", "web"],
        ["history"],
    ],
    ids=lambda c: " ".join(c),
)
def test_every_command_ends_cleanly_among_hostile_names(cli, tmp_path, git_repo, command):
    repo = repo_with_names(tmp_path, [n for n, _ in NOT_UTF8 + CONTROL])
    if command[0] == "history":
        git_repo(repo)  # history is read from git, hostile names committed too
    result = run(cli, repo, *command)
    for line in (result.stdout + result.stderr).splitlines():
        assert "\x1b" not in line and "\x07" not in line
        assert not line.startswith("::error file=README"), line
    if command[-1] in ("sarif", "gitlab") or command[-1] == "json":
        json.loads(result.stdout)
    if command[-1] == "junit":
        xml.dom.minidom.parseString(result.stdout.encode("utf-8"))


@pytest.mark.parametrize(("name", "shown"), CONTROL, ids=[s for _, s in CONTROL])
def test_concise_and_text_show_one_line_per_finding_with_the_name_escaped(cli, tmp_path, name, shown):
    repo = repo_with_names(tmp_path, [name])
    concise = run(cli, repo, "align", "--format", "concise").stdout.splitlines()
    assert concise == [
        f"{shown}:1:1: OKR103 error missing apiVersion",
        f"{shown}:1:7: OKR103 error unknown kind 'Foo'",
    ]
    text = run(cli, repo, "align", "--format", "text").stdout.splitlines()
    assert text[0] == shown
    assert text[1].startswith(f"  {shown}:1:1  OKR103 error")
    # The exact name stays in JSON, where a string cannot break out of its quotes.
    report = json.loads(run(cli, repo, "align", "--format", "json").stdout)
    assert {f["path"] for f in report["findings"]} == {os.fsdecode(name)}


@pytest.mark.parametrize(("name", "shown"), CONTROL[:3], ids=[s for _, s in CONTROL[:3]])
def test_the_views_note_names_a_broken_file_on_one_line(cli, tmp_path, name, shown):
    repo = repo_with_names(tmp_path, [name])
    result = run(cli, repo, "status")
    assert result.stderr == (
        f"okrctl: note: the documents with errors in 1 file are left out of what is shown (first: {shown}); "
        "'okrctl align' shows why\n"
    )


_NAME_BYTES = st.binary(min_size=1, max_size=24).map(lambda b: b.replace(b"/", b"_").replace(b"\0", b"_"))


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_NAME_BYTES, min_size=1, max_size=4, unique=True), suffix=st.sampled_from([b".yaml", b".txt"]))
def test_any_bytes_as_file_names_never_break_align(cli, tmp_path_factory, names, suffix):
    folder = tmp_path_factory.mktemp("names")
    wanted = [n + suffix for n in names if not n.startswith(b".")]
    repo = repo_with_names(folder, wanted)
    concise = run(cli, repo, "align", "--format", "concise").stdout
    report = json.loads(run(cli, repo, "align", "--format", "json").stdout)
    # One line per finding: no name split a line or added one.
    assert len(concise.splitlines()) == len(report["findings"])
    assert "\x1b" not in concise
    xml.dom.minidom.parseString(run(cli, repo, "align", "--format", "junit").stdout.encode("utf-8"))


@pytest.mark.parametrize("command", [["diff"], ["diff", "HEAD", "--format", "json"], ["digest"]])
def test_names_read_from_git_objects_are_escaped_the_same_way(cli, tmp_path, git_repo, command):
    """The same names committed: commands that read the tree from git objects end cleanly too."""
    repo = git_repo(repo_with_names(tmp_path, [n for n, _ in NOT_UTF8 + CONTROL]))
    (repo / "okrctl.yaml").write_text((repo / "okrctl.yaml").read_text() + "# edited\n")
    result = run(cli, repo, *command)
    if command[-1] == "json":
        json.loads(result.stdout)
    for line in (result.stdout + result.stderr).splitlines():
        assert "\x1b" not in line and not line.startswith("::error file=README"), line


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_loop_of_links_is_a_finding_not_the_end_of_every_command(cli, tmp_path: Path, jobs: str) -> None:
    """Links that point at each other cannot be followed: a YAML one is a file that cannot be read
    (OKR100 with the system's words), a folder or other file one is passed over, and every command
    still runs."""
    repo = tmp_path / "saas"
    shutil.copytree(ROOT / "examples" / "saas", repo)
    for one, other in (("l1.yaml", "l2.yaml"), ("d1", "d2"), ("n1.txt", "n2.txt")):
        (repo / one).symlink_to(other)
        (repo / other).symlink_to(one)
    env = {"OKRCTL_JOBS": jobs}
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", env=env)
    assert result.exit_code == 1
    found = {(f["path"], f["code"]) for f in json.loads(result.stdout)["findings"]}
    assert found == {("l1.yaml", "OKR100"), ("l2.yaml", "OKR100")}
    assert cli("status", "--repo", str(repo), "--today", DEMO_DAY, env=env).exit_code == 0


def test_a_refusal_that_names_a_planted_file_stays_one_line_without_escapes(cli, copy_example, git_repo) -> None:
    """The day's check-in kept under a name with an escape sequence and a newline: the refusal
    names it with escapes (one line, nothing for the terminal to act on), exit 1."""
    root = git_repo(copy_example("banco"))
    planted = root / "checkins" / "discover" / "x\x1b]0;owned\x07\n.yaml"
    latest = root / "checkins" / "discover" / "2026-11-20.yaml"
    planted.write_bytes(latest.read_bytes())
    latest.unlink()
    result = cli("checkin", "--repo", str(root), "--team", "discover", "--today", "2026-11-20", "-c", "7")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "already has a check-in for 2026-11-20" in result.stderr and "\\x1b]0;owned\\x07\\x0a.yaml" in result.stderr


# A command a refusal tells the user to run names the file as one shell word: pasted, it runs
# ``okrctl align`` on that file, never what its name holds.
SHELL_NAMES = [
    ("x;touch PWNED;.yaml", "'checkins/cards/x;touch PWNED;.yaml'"),
    ("with space.yaml", "'checkins/cards/with space.yaml'"),
    ("it's $(touch PWNED).yaml", "'checkins/cards/it'\"'\"'s $(touch PWNED).yaml'"),
    ("plain.yaml", "checkins/cards/plain.yaml"),  # an ordinary name as it is
]


def suggested(stderr: str) -> list[str]:
    """The words a shell reads in the ``okrctl align`` command a refusal suggests (an unquoted
    ``;`` or ``&`` a word of its own, as the shell splits the line there)."""
    found = re.search(r"'(okrctl align .*?)' (?:and fix it|shows every problem)", stderr)
    assert found is not None, stderr
    return list(shlex.shlex(found.group(1), posix=True, punctuation_chars=True))


@pytest.mark.parametrize(("name", "word"), SHELL_NAMES, ids=["semicolons", "space", "quote and $()", "plain"])
def test_the_align_command_a_checkin_refusal_suggests_quotes_the_name_for_a_shell(
    cli, copy_example, git_repo, name, word
) -> None:
    """A committed check-in of the day with an error, under a name a shell would split or run:
    the refusal (exit 1) suggests ``okrctl align`` with the name quoted, so that the pasted
    command names that file and runs nothing else."""
    root = git_repo(copy_example("banco"))
    (root / "checkins" / "cards" / name).write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: 2026-11-19\nconfidence: 6\nbogus: 1\n",
        encoding="utf-8",
    )
    git(root, "add", "-A")
    git(root, "commit", "-qm", "a check-in under a strange name")
    result = cli(
        "checkin", "--repo", str(root), "--team", "cards", "-c", "6", "--date", "2026-11-19", "--today", "2026-11-20"
    )
    assert result.exit_code == 1, result.output
    assert f"nothing was written (run 'okrctl align {word}' and fix it)" in result.stderr
    assert suggested(result.stderr) == ["okrctl", "align", f"checkins/cards/{name}"]


@pytest.mark.parametrize("command", [["checkin", "-c", "6", "--dry-run"], ["retro"]], ids=["checkin", "retro"])
def test_the_align_command_for_a_broken_objective_quotes_the_name_for_a_shell(
    cli, copy_example, git_repo, command
) -> None:
    """The team's objective file with an error, named ``c;touch PWNED;.yaml``: the check-in and
    the retro refuse (exit 1) with ``okrctl align`` and the name quoted as one shell word."""
    root = git_repo(copy_example("banco"), commit=False)
    objective = root / "okrs" / "2026-Q4" / "cards.yaml"
    text = objective.read_text(encoding="utf-8").replace("\ntitle: Make", "\nbogus: 1\ntitle: Make", 1)
    objective.unlink()
    (objective.parent / "c;touch PWNED;.yaml").write_text(text, encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "initial")
    result = cli(*command, "--repo", str(root), "--team", "cards", "--today", "2026-11-20")
    assert result.exit_code == 1, result.output
    assert "('okrctl align 'okrs/2026-Q4/c;touch PWNED;.yaml'' shows every problem)" in result.stderr
    assert suggested(result.stderr) == ["okrctl", "align", "okrs/2026-Q4/c;touch PWNED;.yaml"]


# ----- GitHub's older workflow command, ``##[name]data``, obeyed wherever it stands in a line ------
# ``##[stop-commands]TOKEN`` in a step's log turns off every annotation after it; ``##[error]``
# makes one up. In a line of text okrctl writes the second ``#`` as ``\x23``.


def a_big_version_in_the_history(root: Path, name: str) -> None:
    """``root`` (banco) committed, then an objective file called ``name`` added, grown past the
    1 MiB limit, and removed again: only the history holds its name."""
    git(root, "init", "-q", "-b", "main")
    commit_at(root, "2026-11-02", "initial")
    cards = (root / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    planted = root / "okrs" / "2026-Q4" / name
    planted.write_text(cards.replace("id: first-card-moment", "id: side-quest"), encoding="utf-8")
    commit_at(root, "2026-11-03", "add an objective")
    planted.write_text(planted.read_text(encoding="utf-8") + "# " + "0" * 1_100_000 + "\n", encoding="utf-8")
    commit_at(root, "2026-11-04", "one version over 1 MiB")
    planted.unlink()
    commit_at(root, "2026-11-05", "remove it")


@pytest.mark.parametrize(
    ("command", "note"),
    [
        (["align"], "okrctl: note: OKR601 (moved targets) may miss changes: 1 version of the objective files"),
        (["report"], "okrctl: note: the targets that moved since "),
    ],
    ids=["align", "report"],
)
def test_a_name_from_the_history_in_a_note_is_no_workflow_command(
    cli, copy_example, monkeypatch, tmp_path, command, note
) -> None:
    """The note that names a version okrctl could not read writes ``##[`` as ``#\\x23[``: said as it
    was, it was the first line the runner read and stopped every annotation of the findings."""
    hermetic_git(monkeypatch, tmp_path)
    root = copy_example("banco")
    a_big_version_in_the_history(root, "##[stop-commands]zz.yaml")
    result = cli(*command, "--repo", str(root), "--today", DEMO_DAY)
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.stderr.splitlines() if line.startswith(note)]
    assert "(over the 1 MiB limit: okrs/2026-Q4/#\\x23[stop-commands]zz.yaml as committed in " in line
    assert "##[" not in result.stdout + result.stderr


def test_an_error_that_names_a_file_is_no_workflow_command(cli, tmp_path) -> None:
    """The one line of a command that stops on a file writes its name with ``##[`` as ``#\\x23[``."""
    broken = b"apiVersion: okrctl/v1\nkind: Unit\nid: planted\nname: [broken\n"
    repo = repo_with_names(tmp_path, [b"units/##[error]Approved by security.yaml"], broken)
    result = cli("codeowners", "--repo", str(repo), "--today", DEMO_DAY)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("okrctl: units/#\\x23[error]Approved by security.yaml:4: ")
    assert result.stderr.count("\n") == 1 and "##[" not in result.stderr


def test_junit_names_a_file_holding_the_old_workflow_command_as_it_is(cli, tmp_path) -> None:
    """JUnit is a document GitLab and Jenkins read file names from, not a log: a file whose name
    holds ``##[`` keeps it in ``file`` and ``classname`` (``#\\x23[`` named no file there)."""
    from xml.etree import ElementTree as ET

    name = "okrs/2026-Q4/##[stop-commands]x.yaml"
    repo = repo_with_names(tmp_path, [name.encode()], b"cycle: 2026-Q4\nowner: web\nobjective: bad: colon\n")
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "junit")
    assert result.exit_code == 1
    cases = [case for case in ET.fromstring(result.stdout).iter("testcase") if "stop-commands" in case.get("file", "")]
    assert cases and all(case.get("file") == name and case.get("classname") == name for case in cases)


def test_a_title_in_a_text_view_or_json_is_no_workflow_command(cli, tmp_path) -> None:
    """A title is shown with ``##[`` as ``#\\x23[`` in a text view; JSON writes the second ``#`` as
    ``\\u0023``, which a program reads back as the very title."""
    repo = repo_with_names(tmp_path, [])
    web = repo / "okrs" / "2026-Q4" / "web.yaml"
    title = "##[error]Approved by security"
    web.write_text(
        web.read_text(encoding="utf-8").replace("Make signing up effortless", f'"{title}"'), encoding="utf-8"
    )
    text = run(cli, repo, "status", "--team", "web")
    assert "#\\x23[error]Approved by security" in text.stdout
    assert "##[" not in text.stdout + text.stderr
    raw = run(cli, repo, "status", "--team", "web", "--format", "json").stdout
    assert "##[" not in raw and '"title": "#\\u0023[error]Approved by security"' in raw
    assert [o["title"] for o in json.loads(raw)["objectives"]] == [title]


# ----- GitHub's workflow command ``::name::data``, obeyed at the start of a line ----------------------
# The runner drops the white space a line starts with before it looks for ``::``. Where repository
# text would start a line of text output (a file's name, or a title, an issue or a team's name that
# a view wraps), okrctl writes its first ``:`` as ``\x3a``; Markdown as ``\:``.

FORGED = "::error::forged-annotation"


def starting_a_command(output: str) -> list[str]:
    """The lines of ``output`` the runner would read as a workflow command (after white space; a
    carriage return ends a line for the runner too)."""
    return [line for line in output.splitlines() if line.lstrip().startswith("::")]


def test_diff_names_a_file_whose_name_starts_with_two_colons_escaped(cli, copy_example, git_repo) -> None:
    """A pull request adds ``::error::forged.yaml`` and ``::warning::dir/x.yaml`` at the root, each
    with an error: ``diff`` names them with ``\\x3a:`` (exit 0), as ``align`` text and concise do
    (exit 1), and no line of either is a workflow command."""
    root = git_repo(copy_example("banco"))
    unit = "apiVersion: okrctl/v1\nkind: Unit\nid: {id}\nname: Ops\nparent: banco\ncolour: red\n"
    (root / "::error::forged.yaml").write_text(unit.format(id="ops"), encoding="utf-8")
    (root / "::warning::dir").mkdir()
    (root / "::warning::dir" / "x.yaml").write_text(unit.format(id="ops2"), encoding="utf-8")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "pull request")
    diff = cli("diff", "HEAD~1", "HEAD", "--repo", str(root), "--today", "2026-11-20")
    assert diff.exit_code == 0, diff.output
    assert "  \\x3a:error::forged.yaml:6:1  OKR101 error  unknown field 'colour'" in diff.stdout.splitlines()
    assert "  \\x3a:warning::dir/x.yaml:6:1  OKR101 error  unknown field 'colour'" in diff.stdout.splitlines()
    assert starting_a_command(diff.stdout + diff.stderr) == []
    for fmt in ("concise", "text"):
        align = cli("align", "--format", fmt, "--repo", str(root), "--today", "2026-11-20")
        assert align.exit_code == 1, align.output
        assert "\\x3a:error::forged.yaml:6:1" in align.stdout and "\\x3a:warning::dir/x.yaml:6:1" in align.stdout
        assert starting_a_command(align.stdout + align.stderr) == []


@pytest.fixture
def forged_where_views_wrap(copy_example, git_repo) -> Path:
    """banco, then a pull request: the Cards check-in of 2026-11-20 with confidence 2 and an issue,
    the Cards objective's title, both holding ``::error::forged-annotation`` again and again (a
    view that wraps either starts a line with it), and the team named ``::error::… Cards``."""
    root = git_repo(copy_example("banco"))
    forged = " ".join([FORGED] * 6)

    def plant(path: str, old: str, new: str) -> None:
        file = root / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    plant("checkins/cards/2026-11-20.yaml", "confidence: 6\n", "confidence: 2\n")
    plant(
        "checkins/cards/2026-11-20.yaml",
        "  - Card-migration cut-over moved to 2026-11-27\n",
        f'  - "Cut-over moved {forged}"\n',
    )
    plant(
        "okrs/2026-Q4/cards.yaml",
        "title: Make the first card moment a reason new customers recommend us in week one\n",
        f'title: "Make {forged}"\n',
    )
    plant("units/cards.yaml", "name: Cards\n", f'name: "{FORGED} Cards"\n')
    git(root, "commit", "-qam", "pull request")
    return root


@pytest.mark.parametrize(
    ("command", "escaped"),
    [
        (["report"], "\\x3a:error::forged-annotation"),
        (["retro", "--team", "cards"], "\\x3a:error::forged-annotation"),
        (["plan", "--team", "cards"], "\\x3a:error::forged-annotation"),
        (["status", "--team", "cards"], "\\x3a:error::forged-annotation"),
        (["retro", "--team", "cards", "--format", "markdown"], "\\::error::forged-annotation Cards: "),
        (["checkin", "--team", "cards", "-c", "5", "--date", "2026-11-21"], "\\x3a:error::forged-annotation"),
    ],
    ids=["report", "retro", "plan", "status", "retro markdown", "checkin"],
)
def test_repository_text_a_view_wraps_starts_no_workflow_command(
    cli, forged_where_views_wrap, command, escaped
) -> None:
    """Off a terminal (80 columns), the views wrap the issue, the title and the team's name so
    that ``::error::…`` starts a line: it is written ``\\x3a:error::…`` there (``\\::error::…``
    in Markdown), exit 0, and no line of the output is a workflow command; the check-in's outcome
    too. ``::`` inside a line stays as it is."""
    today = "2026-11-21" if command[0] == "checkin" else "2026-11-20"
    result = cli(*command, "--repo", str(forged_where_views_wrap), "--today", today, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert escaped in result.stdout
    assert f" {FORGED}" in result.stdout
    assert starting_a_command(result.stdout + result.stderr) == []


# ----- the team's file of the day under a planted name: what checkin --amend and measure print --------
# Both edit the team's check-in or reading of the day under any name (a rename merged in git), and
# every line that names it shows the name as ``shown_path`` does: a newline, a ``::`` after it and an
# escape sequence as ``\xNN``, on one line.
REFUSING_HOOK = "#!/bin/sh\necho 'need ticket' >&2\nexit 1\n"


def obeyed_by_a_runner_or_terminal(*outputs: str) -> list[str]:
    """The lines of ``outputs`` that a CI runner would read as a workflow command or that hold a
    character a terminal acts on (ESC, BEL)."""
    return [
        line
        for output in outputs
        for line in output.splitlines()
        if line.lstrip().startswith("::") or "##[" in line or "\x1b" in line or "\x07" in line
    ]


def _checkin_under_a_planted_name(root: Path) -> Path:
    """``root`` with Discover's check-in of 2026-11-27 committed under a name holding a newline,
    ``::error::`` and ESC [31m (a merged pull request can plant one)."""
    checkins = root / "checkins" / "discover"
    week_before = (checkins / "2026-11-20.yaml").read_text(encoding="utf-8")
    (checkins / "a\n::error::x\x1b[31m.yaml").write_text(week_before.replace("2026-11-20", "2026-11-27"))
    git(root, "add", "-A")
    git(root, "commit", "-qm", "the check-in under a planted name")
    return root


def test_checkin_amend_names_a_checkin_under_a_planted_name_escaped_on_every_line(cli, copy_example, git_repo) -> None:
    """The team's check-in of 2026-11-27 under a name holding a newline, ``::error::`` and ESC [31m:
    ``--amend`` printed the name as it is in its outcome, its dry run and its "nothing changed",
    and the refused commit's one-line error became three lines, the second an annotation. Every
    line now names it escaped, once, and the outcome is exit 0 (exit 1 for the refused commit)."""
    root = _checkin_under_a_planted_name(git_repo(copy_example("banco")))
    shown = "checkins/discover/a\\x0a::error::x\\x1b[31m.yaml"

    def amend(confidence: str, *more: str):
        return cli(
            "checkin", "--repo", str(root), "--team", "discover", "--today", "2026-11-27", "--amend",
            "-c", confidence, "-r", "onboarding-completion=81", "-r", "tutorial-engagement=38", *more,
        )  # fmt: skip

    dry = amend("5", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stderr.splitlines()[0] == f"✓ dry run: {shown} not written"
    amended = amend("6")
    assert amended.exit_code == 0, amended.output
    assert amended.stdout.splitlines()[0] == f"✓ amended {shown}"
    same = amend("6")
    assert same.exit_code == 0, same.output
    assert same.stdout == f"nothing changed: {shown} already says all that; nothing written or committed\n"
    same_dry = amend("6", "--dry-run")
    assert same_dry.exit_code == 0, same_dry.output
    assert same_dry.stderr == f"nothing changed: {shown} already says all that; nothing written or committed\n"
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(REFUSING_HOOK)
    hook.chmod(0o755)
    refused = amend("4")
    assert refused.exit_code == 1
    assert refused.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {shown} failed: need ticket; {shown} is written and left uncommitted (once the "
        "cause is fixed, okrctl checkin --amend (same team and date) commits it)"
    )
    hook.unlink()
    committed = amend("4")
    assert committed.exit_code == 0, committed.output
    assert committed.stdout.startswith(
        f"nothing changed: {shown} already says all that, but it was not committed; committed "
    )
    said = [r.stdout + r.stderr for r in (dry, amended, same, same_dry, refused, committed)]
    assert obeyed_by_a_runner_or_terminal(*said) == []


def test_the_interactive_amend_asks_about_a_planted_name_on_one_line(copy_example, git_repo) -> None:
    """The question before the write named the check-in's planted name raw: its newline split the
    question, and the line after it started with ``::error::``. It names it escaped now."""
    import sys

    from tests.pty_driver import Terminal

    root = _checkin_under_a_planted_name(git_repo(copy_example("banco")))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", "TERM": "dumb"}
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", "2026-11-27", "--team", "discover", "--amend"]
    command += ["-c", "6", "-r", "onboarding-completion=81", "-r", "tutorial-engagement=38"]
    with Terminal(command, cwd=root, env=env) as term:
        for prompt in ("[332]: ", "note> ", "[Y/n] ", "(Enter to finish): ", "[Y/n] ", "[Y/n] ", "(Enter to finish): "):
            term.expect(prompt)
            term.send("")
        asked = term.expect("? [Y/n] ")
        term.send("n")
        term.expect("Nothing written.")
        term.expect_exit(0)
    assert asked.splitlines()[-1] == "Amend checkins/discover/a\\x0a::error::x\\x1b[31m.yaml and commit it? [Y/n] "
    assert obeyed_by_a_runner_or_terminal(term.output) == []


def test_measure_names_a_reading_under_a_planted_name_escaped_on_every_line(
    cli, copy_example, git_repo, tmp_path
) -> None:
    """The team's reading of 2026-11-27 moved (``git mv``) to a name holding a newline,
    ``::warning::`` and an OSC title sequence: measure's ``updated``, ``dry run``, "nothing changed"
    and refused-commit lines printed it as it is, a forged annotation in the scheduled job's log and
    a new window title on a terminal. Every line now names it escaped, once."""
    root = git_repo(copy_example("banco"))
    first, second = tmp_path / "k1.csv", tmp_path / "k2.csv"
    first.write_text("kr,value\nonboarding-completion,80\n")
    second.write_text("kr,value\ntutorial-engagement,37\n")

    def measure(values: Path, *more: str):
        return cli(
            "measure", "--repo", str(root), "--team", "discover", "--today", "2026-11-27",
            "--values-from", str(values), *more,
        )  # fmt: skip

    assert measure(first, "--commit").exit_code == 0
    git(root, "mv", "readings/discover/2026-11-27.yaml", "readings/discover/r\n::warning::forged\x1b]0;pwned\x07.yaml")
    git(root, "commit", "-qm", "the reading under a planted name")
    shown = "readings/discover/r\\x0a::warning::forged\\x1b]0;pwned\\x07.yaml"

    dry = measure(second, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stderr.splitlines()[-1] == f"dry run: {shown} not written"
    hook = root / ".git" / "hooks" / "pre-commit"
    hook.write_text(REFUSING_HOOK)
    hook.chmod(0o755)
    refused = measure(second, "--commit")
    assert refused.exit_code == 1
    assert refused.stdout.splitlines()[-1] == f"updated {shown}"
    assert refused.stderr.splitlines()[-1] == (
        f"okrctl: git commit of {shown} failed: need ticket; {shown} is written and left uncommitted (once the "
        "cause is fixed, the same measure again commits it)"
    )
    hook.unlink()
    committed = measure(second, "--commit")
    assert committed.exit_code == 0, committed.output
    assert f"nothing changed: {shown} already holds these values, but it was not committed\n" in committed.stdout
    same = measure(second, "--commit")
    assert same.exit_code == 0, same.output
    assert same.stdout.splitlines()[-1] == f"nothing changed: {shown} already holds these values"
    same_dry = measure(second, "--dry-run")
    assert same_dry.exit_code == 0, same_dry.output
    assert same_dry.stderr.splitlines()[-1] == f"nothing changed: {shown} already holds these values"
    third = tmp_path / "k3.csv"
    third.write_text("kr,value\ntutorial-engagement,39\n")
    updated = measure(third, "--commit")
    assert updated.exit_code == 0, updated.output
    assert updated.stdout.splitlines()[-2:] == [
        f"updated {shown}",
        f"committed {git(root, 'rev-parse', '--short=7', 'HEAD').strip()} measure(discover): 2026-11-27 1 value from k3.csv",
    ]
    said = [r.stdout + r.stderr for r in (dry, refused, committed, same, same_dry, updated)]
    assert obeyed_by_a_runner_or_terminal(*said) == []
