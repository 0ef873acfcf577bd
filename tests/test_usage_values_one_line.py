"""A usage error quoting a value the user typed is one line of standard error, exit 2: a line break,
carriage return or tab in the value is shown escaped (``'x\\x0ay'``), as ``--team`` and ``--cycle``
show theirs, so the message is never split over two lines (nor a CI log's line rewritten)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import DEMO_DAY, EXAMPLES

KEY_RESULTS = "card-activation-7d, virtual-card-day-one, card-delivery-days"
NOT_A_NUMBER = "is not a number; accepted: 1325, 1325.5, 1,325 or 1 325 (thousands), +12, -3"

# (what the user types, with <V> for the value; what standard error says, with <E> for the value
# shown; <SITE>, <NEW> and <MISSING> are folders of the test's own, the last one missing)
CASES = [
    (["diff", "<V>"], "unknown git ref '<E>'; give a branch, tag or commit ('git log --oneline' lists commits)"),
    (
        ["align", "--baseline", "<V>"],
        "--baseline: unknown git ref '<E>'; give a branch, tag or commit ('git log --oneline' lists commits)",
    ),
    (["history", "<V>"], "'<E>' is not an objective id or objective/kr"),
    (["rules", "<V>"], "unknown rule '<E>' (see 'okrctl rules')"),
    (["align", "--select", "<V>"], "--select: '<E>' matches no rule code (see 'okrctl rules')"),
    (["align", "--ignore", "<V>"], "--ignore: '<E>' matches no rule code (see 'okrctl rules')"),
    (["align", "<V>"], "<E>: no such file or folder"),
    (["checkin", "--team", "cards", "-r", "<V>", "--dry-run"], "--result: '<E>' is not KR=VALUE"),
    (["checkin", "--team", "cards", "--note", "<V>", "--dry-run"], "--note: '<E>' is not KR=TEXT"),
    (
        ["checkin", "--team", "cards", "-r", "k<V>=1", "--dry-run"],
        f"--result: 'k<E>' is not a key result of cards on {DEMO_DAY} (key results: {KEY_RESULTS})",
    ),
    (["checkin", "--team", "cards", "-c", "a<V>=x", "--dry-run"], f"--confidence a<E>: 'x' {NOT_A_NUMBER}"),
    (
        ["site", "<SITE>", "--link-base", "<V>"],
        "--link-base: '<E>' has no {path}: a link would not say which file",
    ),
    (["init", "<NEW>", "--example", "<V>"], "--example: '<E>' is not a bundled example (banco, saas)"),
    (
        ["digest", "-o", "<MISSING>/<V>/digest.txt"],
        "--output: cannot write <MISSING>/<E>/digest.txt: the folder <MISSING>/<E> does not exist "
        "(okrctl creates no folder for --output)",
    ),
    (
        ["plan", "--team", "cards", "--write", "-o", "<MISSING>/<V>/plan.md"],
        "--output: cannot write <MISSING>/<E>/plan.md: the folder <MISSING>/<E> does not exist "
        "(okrctl creates no folder for --output); nothing was written",
    ),
]

# Each character that would break or rewrite the line, and how the message shows it.
BREAKS = [("\n", "\\x0a"), ("\r", "\\x0d"), ("\t", "\\x09")]


@pytest.mark.parametrize(("typed", "said"), CASES, ids=[" ".join(typed) for typed, _ in CASES])
@pytest.mark.parametrize(("char", "escaped"), BREAKS, ids=["newline", "carriage-return", "tab"])
def test_a_typed_value_with_a_line_break_is_one_line_of_the_usage_error(
    cli,
    copy_example: Callable[[str], Path],
    git_repo: Callable[[Path], Path],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    typed: list[str],
    said: str,
    char: str,
    escaped: str,
) -> None:
    root = git_repo(copy_example("banco"))
    monkeypatch.chdir(root)
    # A rule code is read in capitals; the escape is written after, as everywhere.
    upper = "--select" in typed or "--ignore" in typed
    names = {
        "<SITE>": str(tmp_path / "site"),
        "<NEW>": str(tmp_path / "new"),
        "<MISSING>": str(tmp_path / "missing"),
        "<V>": f"x{char}y",
        "<E>": f"X{escaped}Y" if upper else f"x{escaped}y",
    }

    def filled(text: str) -> str:
        for name, value in names.items():
            text = text.replace(name, value)
        return text

    result = cli(*[filled(word) for word in typed], "--today", DEMO_DAY)

    assert (result.exit_code, result.stderr) == (2, f"okrctl: {filled(said)}\n")
    assert not (tmp_path / "new").exists() and not (tmp_path / "site").exists()


@pytest.mark.parametrize(
    ("command", "said"),
    [
        (["init"], "x\\x0ay exists and is not a folder"),
        (["site"], "x\\x0ay: exists and is not a folder; refusing to replace it"),
    ],
)
def test_a_folder_argument_with_a_line_break_is_named_on_one_line(cli, tmp_path, monkeypatch, command, said) -> None:
    """``init DIR`` and ``site OUTDIR`` naming a file whose name holds a line break: the refusal
    was printed over two lines."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x\ny").write_text("", encoding="utf-8")
    extra = ["--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY] if command == ["site"] else []
    result = cli(*command, "x\ny", *extra)
    assert (result.exit_code, result.stderr) == (2, f"okrctl: {said}\n")


def test_a_path_below_a_folder_with_a_line_break_is_named_on_one_line(cli, tmp_path, monkeypatch) -> None:
    """A file standing where a folder with a line break in its name must be, and a .gitignore that
    is a folder under such a name: the refusals were split over two lines."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "new\nrepo" / ".gitignore").mkdir(parents=True)
    result = cli("init", "new\nrepo", "--no-commit")
    assert (result.exit_code, result.stderr) == (
        1,
        "okrctl: new\\x0arepo/.gitignore is not a file, so init cannot add .okrctl-cache/ to it; nothing was written\n",
    )
    (tmp_path / "a\nb").write_text("x", encoding="utf-8")
    result = cli("site", "a\nb/out", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY)
    assert (result.exit_code, result.stderr) == (
        1,
        "okrctl: a\\x0ab: is a file, not a folder, so the site cannot be written there; nothing was written "
        "(move that file away)\n",
    )


def test_a_site_built_in_or_from_a_folder_with_a_line_break_says_so_on_one_line(cli, tmp_path, monkeypatch) -> None:
    """What ``site`` wrote, and its note on a ``{commit}`` that a folder outside git cannot give,
    were split over two lines by the folder's name."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(EXAMPLES / "saas", tmp_path / "saas\nx")
    result = cli("site", "out\nx", "--repo", "saas\nx", "--today", DEMO_DAY, "--link-base", "https://h/{commit}/{path}")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("okrctl: wrote ") and result.stdout.endswith(" to out\\x0ax\n")
    assert result.stdout.count("\n") == 1
    [note] = [line for line in result.stderr.splitlines() if "--link-base" in line]
    assert note.startswith("okrctl: note: --link-base needs a git commit for {commit} and ")
    assert "saas\\x0ax has none: the site is built without source links" in note


def test_schema_output_and_init_name_a_folder_with_a_line_break_on_one_line(cli, tmp_path, monkeypatch) -> None:
    """``schema -o`` (written, or refused by a file of that name) and ``init`` below a file of such a
    name: the folder's name split each line in two."""
    monkeypatch.chdir(tmp_path)
    result = cli("schema", "-o", "out\nX")
    assert (result.exit_code, result.stdout) == (0, "wrote 8 schema files to out\\x0aX\n")
    (tmp_path / "file\nF").write_text("", encoding="utf-8")
    result = cli("schema", "-o", "file\nF")
    assert (result.exit_code, result.stderr) == (2, "okrctl: --output: file\\x0aF exists and is not a folder\n")
    result = cli("init", "file\nF/acme")
    assert (result.exit_code, result.stderr) == (
        1,
        "okrctl: file\\x0aF/acme: cannot be written: Not a directory; nothing was written\n",
    )


def test_an_output_refused_as_a_repository_or_someone_elses_file_is_named_on_one_line(
    cli, copy_example, tmp_path, monkeypatch
) -> None:
    """``-o`` naming an OKR document of the repository, and ``codeowners -o`` a CODEOWNERS file okrctl
    did not write, under names holding a line break: each refusal was split over two lines."""
    root = copy_example("banco")
    monkeypatch.chdir(root)
    result = cli("align", "--today", DEMO_DAY, "-o", "okrs/2026-Q4/new\nfile.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "okrctl: --output: okrs/2026-Q4/new\\x0afile.yaml is a file okrctl reads as an OKR document; "
        "write the output elsewhere\n",
    )
    theirs = tmp_path / "CODE\nOWNERS"
    theirs.write_text("* @x\n", encoding="utf-8")
    result = cli("codeowners", "-o", str(theirs))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "CODE\\x0aOWNERS: not written by okrctl codeowners" in result.stderr
