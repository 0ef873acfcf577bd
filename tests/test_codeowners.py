"""``okrctl codeowners``: each pattern owns exactly the files it claims, checked with git's own matcher.

GitHub documents CODEOWNERS patterns as following gitignore rules (with no ``!`` negation and no
``[ ]`` ranges, which the generator never writes). The test hands each written pattern to
``git check-ignore --no-index -v``, i.e. git's wildmatch with gitignore semantics (a pattern also
matches what is under a folder it matches), takes the last line that matches a file as its owner,
and compares that line with the entry that claims it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from okrctl.load.pipeline import load_repo
from okrctl.views.codeowners import codeowners
from tests.conftest import EXAMPLES, Cli, git
from tests.golden import assert_golden

_UNESCAPED_SPACE = re.compile(r"(?<!\\) ")


def _parse(text: str) -> list[tuple[str, list[str]]]:
    """(pattern, owners) of every rule line, as a host reads the file."""
    rules = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *owners = _UNESCAPED_SPACE.split(line)
        rules.append((pattern, owners))
    return rules


def _winners(top: Path, patterns: list[str], paths: list[str], scratch: Path) -> dict[str, int | None]:
    """For each path (relative to ``top``), the 1-based number of the pattern that matches last.

    Git is asked about one pattern at a time: given them all, a folder a line matches keeps its
    files from every later line (gitignore cannot re-include what is under an excluded folder), so
    ``/okrs/*/discover.yaml`` would win ``okrs/x/discover.yaml/lab.yaml`` over that file's own line.
    CODEOWNERS is read line by line, the last match winning: GitHub's own example gives
    ``/apps/github`` (no owner) the folder below ``/apps/ @octocat``."""
    exclude = scratch / "patterns"
    out: dict[str, int | None] = dict.fromkeys(paths)
    for number, pattern in enumerate(patterns, start=1):
        exclude.write_text(pattern + "\n", encoding="utf-8")
        result = subprocess.run(
            ["git", "-c", f"core.excludesFile={exclude}", "check-ignore", "--no-index", "-v", "-n", "-z", "--stdin"],
            cwd=top,
            input="".join(p + "\0" for p in paths).encode(),
            capture_output=True,
            check=False,
        )
        assert result.returncode in (0, 1), result.stderr
        fields = result.stdout.decode().split("\0")
        for i in range(0, len(fields) - 1, 4):
            source, _line, _pattern, path = fields[i : i + 4]
            if source:
                out[path] = number
    return out


def _check(
    top: Path, root: Path, text: str, scratch: Path, unowned: frozenset[str] = frozenset()
) -> dict[str, list[str]]:
    """Assert every rule owns exactly the files it claims, and every okrctl file but ``unowned`` is
    owned; returns each file's owners."""
    rules = _parse(text)
    repo = load_repo(root, use_cache=False)
    prefix = root.relative_to(top).as_posix() + "/" if root != top else ""
    claims = {entry.pattern: [prefix + c for c in entry.claims] for entry in codeowners(repo, prefix).entries()}
    assert [pattern for pattern, _ in rules] == list(claims)  # the text says what the entries say
    tracked = git(top, "ls-files", "-z").split("\0")
    files = [p for p in tracked if p]
    winners = _winners(top, [p for p, _ in rules], files, scratch)
    owned: dict[str, list[str]] = {}
    for number, (pattern, owners) in enumerate(rules, start=1):
        won = sorted(path for path, n in winners.items() if n == number)
        assert won == sorted(claims[pattern]), f"{pattern} matches {won}, claims {claims[pattern]}"
        for path in won:
            owned[path] = owners
    okrctl_files = {prefix + d.path for d in repo.docs} | {prefix + "okrctl.yaml"}
    assert okrctl_files - unowned <= set(owned), f"not owned: {sorted(okrctl_files - unowned - set(owned))}"
    return owned


def test_banco(cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path], tmp_path: Path) -> None:
    folder = git_repo(copy_example("banco"))
    result = cli("codeowners", "--repo", str(folder))
    assert result.exit_code == 0, result.stderr
    assert_golden("codeowners-banco.txt", result.stdout)
    owned = _check(folder, folder, result.stdout, tmp_path)
    discover = ["ana.costa@example.com", "rui.almeida@example.com", "sofia.nunes@example.com"]
    assert owned["okrs/2026-Q4/discover.yaml"] == discover
    assert owned["checkins/discover/2026-11-20.yaml"] == discover
    assert owned["units/discover.yaml"] == ["joao.carvalho@example.com", "ines.duarte@example.com"]
    assert owned["strategy/2026.yaml"] == ["marta.ribeiro@example.com"]


def test_odd_layouts(cli: Cli, tmp_path: Path, git_repo: Callable[..., Path]) -> None:
    top = tmp_path / "company"
    root = top / "okr space"
    shutil.copytree(EXAMPLES / "banco", root)
    # Another team's objective in discover's conventional file; an objective in a file with a space.
    moved = root / "okrs/2026-Q4/cards.yaml"
    discover = root / "okrs/2026-Q4/discover.yaml"
    discover.write_text(discover.read_text(encoding="utf-8") + "---\n" + moved.read_text(encoding="utf-8"))
    moved.unlink()
    (root / "okrs/2026-Q4/core-platform.yaml").rename(root / "okrs/2026-Q4/core platform #1.yaml")
    (root / "units/discover-labs.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: discover-labs\nparent: digital-services\nmembers: [lab@example.com]\n"
    )
    (root / "retros/2026-Q4/discover-labs-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover-labs\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-31\n"
    )
    # Folders named as a conventional file, which its line (no trailing "/") matches too, with all
    # under them: each file there needs a line of its own, a bare one when nobody is to ask (a
    # unit without members: lab), or /okrs/*/discover.yaml gave discover lab's objective.
    (root / "units/cards.yaml").rename(root / "units/cards")
    (root / "units/cards.yaml").mkdir()
    (root / "units/cards").rename(root / "units/cards.yaml/cards.yaml")
    (root / "units/cards.yaml/lab.yaml").write_text("apiVersion: okrctl/v1\nkind: Unit\nid: lab\nparent: banco\n")
    (root / "okrs/2026-Q4-extra/discover.yaml").mkdir(parents=True)
    (root / "okrs/2026-Q4-extra/discover.yaml/lab.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: lab-o\nowner: lab\ncycle: 2026-Q4\ntitle: Lab objective\n"
        "key_results:\n  - {id: k1, title: X goes from 0 to 10, baseline: 0, target: 10}\n"
    )
    (root / "retros/2026-Q4/discover-mid.yaml").rename(root / "retros/2026-Q4/discover-mid")
    (root / "retros/2026-Q4/discover-mid.yaml").mkdir()
    (root / "retros/2026-Q4/discover-mid").rename(root / "retros/2026-Q4/discover-mid.yaml/discover-mid.yaml")
    (root / "retros/2026-Q4/discover-mid.yaml/lab-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: lab\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-31\n"
    )
    (top / "README.md").write_text("not okrctl's\n")
    git_repo(top)
    result = cli("codeowners", "--repo", str(root))
    assert result.exit_code == 0, result.stderr
    owned = _check(top, root, result.stdout, tmp_path)
    assert owned["okr space/okrs/2026-Q4-extra/discover.yaml/lab.yaml"] == []
    assert owned["okr space/units/cards.yaml/lab.yaml"] == ["marta.ribeiro@example.com"]
    assert owned["okr space/units/cards.yaml/cards.yaml"] == ["joao.carvalho@example.com", "ines.duarte@example.com"]
    assert owned["okr space/retros/2026-Q4/discover-mid.yaml/lab-end.yaml"] == []
    assert owned["okr space/retros/2026-Q4/discover-mid.yaml/discover-mid.yaml"] == [
        "ana.costa@example.com",
        "rui.almeida@example.com",
        "sofia.nunes@example.com",
    ]
    assert "/okr\\ space/okrs/2026-Q4/core\\ platform\\ \\#1.yaml" in result.stdout
    assert owned["okr space/okrs/2026-Q4/discover.yaml"] == [
        "carla.mendes@example.com",
        "tomas.ferreira@example.com",
        "ana.costa@example.com",
        "rui.almeida@example.com",
        "sofia.nunes@example.com",
    ]
    assert owned["okr space/retros/2026-Q4/discover-labs-end.yaml"] == ["lab@example.com"]
    assert "README.md" not in owned
    # GitHub reads the top's .github/: from the OKR folder, one folder up.
    assert "okrctl codeowners --output ../.github/CODEOWNERS\n" in result.stdout


def test_output_file(cli: Cli, copy_example: Callable[[str], Path], tmp_path: Path) -> None:
    folder = copy_example("banco")
    target = tmp_path / "CODEOWNERS"
    result = cli("codeowners", "--repo", str(folder), "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("# Written by `okrctl codeowners`")
    assert "okrctl codeowners --output .github/CODEOWNERS\n" in target.read_text(encoding="utf-8")
    # Its own file okrctl writes again; a CODEOWNERS of the larger repository it never replaces.
    target.write_text(target.read_text(encoding="utf-8").replace("marta.ribeiro", "someone.else"), encoding="utf-8")
    assert cli("codeowners", "--repo", str(folder), "--output", str(target)).exit_code == 0
    assert "someone.else" not in target.read_text(encoding="utf-8")
    (tmp_path / "CODEOWNERS.okrctl").write_bytes(target.read_bytes())
    theirs = "* @acme/platform\n/src/ @acme/backend\n"
    target.write_text(theirs, encoding="utf-8")
    refused = cli("codeowners", "--repo", str(folder), "--output", str(target))
    assert refused.exit_code == 1
    assert refused.stderr.startswith(f"okrctl: {target}: not written by okrctl codeowners")
    assert "nothing was written" in refused.stderr
    assert target.read_text(encoding="utf-8") == theirs
    # A foreign line after 70,000 blank ones is still someone's (the file was read in part before).
    target.write_text("\n" * 70_000 + "* @everyone-must-review\n", encoding="utf-8")
    assert cli("codeowners", "--repo", str(folder), "--output", str(target)).exit_code == 1
    assert target.read_text(encoding="utf-8").endswith("* @everyone-must-review\n")
    # An empty file holds nobody's lines; okrctl's own with an editor's byte-order mark is okrctl's.
    for before in (b"", b"\n", b"\xef\xbb\xbf" + (tmp_path / "CODEOWNERS.okrctl").read_bytes()):
        target.write_bytes(before)
        assert cli("codeowners", "--repo", str(folder), "--output", str(target)).exit_code == 0
        assert target.read_text(encoding="utf-8").startswith("# Written by `okrctl codeowners`")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("new\nline.yaml", "new\\x0aline.yaml"),
        ("new\rline.yaml", "new\\x0dline.yaml"),
        ("new\tline.yaml", "new\\x09line.yaml"),
    ],
)
def test_a_file_name_with_a_control_character_gets_no_line(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path], tmp_path: Path, name: str, shown: str
) -> None:
    # A unit file outside its conventional name needs a line of its own; CODEOWNERS cannot escape
    # a newline (the rest of the name would become a pattern owning every "line.yaml"), a carriage
    # return or a tab (which separates a pattern from its owners).
    folder = copy_example("banco")
    (folder / "units" / name).write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: nl\nname: NL\ntype: team\nparent: banco\nmembers: [n@x.com]\n"
    )
    git_repo(folder)
    result = cli("codeowners", "--repo", str(folder))
    assert result.exit_code == 0, result.stderr
    rules = [line for line in result.stdout.split("\n") if line and not line.startswith("#")]
    assert all(line.startswith("/") for line in rules), rules  # every pattern anchored, none made of a name's tail
    assert "line.yaml" not in "\n".join(rules)
    assert (
        f"# No line of their own (a control character in the name, which CODEOWNERS cannot write): units/{shown}"
        in result.stdout.splitlines()
    )
    assert result.stderr.splitlines() == [
        f"okrctl: note: units/{shown}: no line of its own in CODEOWNERS: its name holds a control character, "
        "which CODEOWNERS cannot write (rename the file)"
    ]
    owned = _check(folder, folder, result.stdout, tmp_path, unowned=frozenset({f"units/{name}"}))
    assert f"units/{name}" not in owned
    assert owned["okrs/2026-Q4/discover.yaml"] == [
        "ana.costa@example.com",
        "rui.almeida@example.com",
        "sofia.nunes@example.com",
    ]


@pytest.mark.parametrize("to_file", [True, False], ids=["output", "stdout"])
@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("okr\nx", "a control character"),
        # Byte 0xff (no UTF-8), as the operating system hands it over: -o stopped with "internal
        # error: UnicodeEncodeError" (exit 3), and standard output got lines holding the raw byte.
        ("okr\udcff", "the byte 0xff, not UTF-8,"),
    ],
    ids=["control", "not-utf8"],
)
def test_a_repository_folder_that_codeowners_cannot_write_is_refused(
    cli: Cli, tmp_path: Path, git_repo: Callable[..., Path], name: str, why: str, to_file: bool
) -> None:
    # The folder starts every pattern: written as is, each line would break in two, the second
    # half an unanchored pattern ("x/okrctl.yaml" anywhere) with the owners of the first; or hold
    # bytes that are no text in a file the host reads as UTF-8.
    top = tmp_path / "top"
    folder = top / name
    shutil.copytree(EXAMPLES / "banco", folder, ignore=shutil.ignore_patterns(".okrctl-cache"))
    git_repo(top)
    target = tmp_path / "CODEOWNERS"
    result = cli("codeowners", "--repo", str(folder), *(["--output", str(target)] if to_file else []))
    assert result.exit_code == 1
    assert result.stdout == ""
    shown = name.replace("\n", "\\x0a").replace("\udcff", "\\xff")
    assert result.stderr == (
        f"okrctl: {shown}: the OKR repository's folder has {why} in its path, which CODEOWNERS "
        "cannot write; rename the folder\n"
    )
    assert not target.exists()


@pytest.mark.parametrize(
    "member",
    [
        "\x1b]0;TITLE\x07@example.com",
        "\x1b[2J@example.com",
        "ana\u202e@example.com",
        "ana\u200b@example.com",
        "<ana@example.com>",
        "ana#x@example.com",
        "Ana Costa <ana@example.com>",
    ],
    ids=["osc-title", "clear-screen", "bidi-override", "zero-width", "angle-brackets", "hash", "display-name"],
)
def test_a_member_holding_an_escape_or_invisible_character_is_no_address(
    cli: Cli, copy_example: Callable[[str], Path], member: str
) -> None:
    """A planted member (an escape sequence that retitles the terminal or clears it, a bidi
    override, an invisible space) is not an e-mail address: align says so on the member's line,
    and CODEOWNERS never carries it to the terminal or the file."""
    folder = copy_example("banco")
    unit = folder / "units" / "discover.yaml"
    text = unit.read_text(encoding="utf-8")
    members = next(line for line in text.splitlines() if line.startswith("members:"))
    written = member.encode("unicode_escape").decode("ascii")  # as YAML escapes in a quoted string
    unit.write_text(text.replace(members, f'members: ["{written}", ana.costa@example.com]'), encoding="utf-8")
    line = text.splitlines().index(members) + 1
    found = cli("align", "--repo", str(folder), "--today", "2026-11-20", "--format", "concise")
    assert found.exit_code == 1
    assert f"units/discover.yaml:{line}:11: OKR101 error members[0]: " in found.stdout
    assert "is not an e-mail address" in found.stdout
    # The unit is invalid: no CODEOWNERS is written without it; the refusal names the member
    # escaped (a printable one as it is written).
    shown = cli("codeowners", "--repo", str(folder))
    assert shown.exit_code == 1 and shown.stdout == ""
    assert shown.stderr.startswith(f"okrctl: units/discover.yaml:{line}: members[0]: ")
    assert "\x1b" not in shown.output
    assert member not in shown.output or (member.isascii() and member.isprintable())


def test_an_invisible_character_in_a_member_is_shown_in_the_message(
    cli: Cli, copy_example: Callable[[str], Path]
) -> None:
    """The finding shows what to fix: a zero-width joiner or a soft hyphen quoted as an escape,
    never dropped or printed invisible."""
    folder = copy_example("banco")
    unit = folder / "units" / "discover.yaml"
    text = unit.read_text(encoding="utf-8")
    members = next(line for line in text.splitlines() if line.startswith("members:"))
    unit.write_text(
        text.replace(members, 'members: ["ana\\u200d@example.com", "x\\u00ad@example.com"]'), encoding="utf-8"
    )
    found = cli("align", "--repo", str(folder), "--today", "2026-11-20", "--format", "concise").stdout
    assert "members[0]: 'ana\\u200d@example.com' is not an e-mail address" in found
    assert "members[1]: 'x\\xad@example.com' is not an e-mail address" in found


def test_a_unit_whose_id_extends_another_gets_its_own_retros_and_every_unit_its_readings(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """``cards-b2b`` starts with ``cards-``: the retros it will write (``retro --write``) are its
    own members' to review, never Cards'. A reading (``measure``) is its team's, as a check-in is."""
    folder = copy_example("banco")
    (folder / "units/cards-b2b.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: cards-b2b\nname: Cards B2B\ntype: team\nparent: banco\n"
        "members: [b2b@example.com]\n",
        encoding="utf-8",
    )
    (folder / "readings/discover").mkdir(parents=True)
    (folder / "readings/discover/2026-11-27.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-27\nsource: kpis.csv\n"
        "values:\n  onboarding-completion: 81\n",
        encoding="utf-8",
    )
    folder = git_repo(folder)
    result = cli("codeowners", "--repo", str(folder))
    assert result.exit_code == 0, result.stderr
    owned = _check(folder, folder, result.stdout, tmp_path)
    discover = ["ana.costa@example.com", "rui.almeida@example.com", "sofia.nunes@example.com"]
    assert owned["readings/discover/2026-11-27.yaml"] == discover
    future = ["retros/2026-Q4/cards-b2b-end.yaml", "retros/2026-Q4/cards-b2b-mid.yaml", "retros/2026-Q4/cards-end.yaml"]
    winners = _winners(folder, [p for p, _ in _parse(result.stdout)], future, tmp_path)
    rules = _parse(result.stdout)
    owners = {path: rules[number - 1][1] if number else None for path, number in winners.items()}
    assert (
        owners["retros/2026-Q4/cards-b2b-end.yaml"]
        == owners["retros/2026-Q4/cards-b2b-mid.yaml"]
        == ["b2b@example.com"]
    )
    assert owners["retros/2026-Q4/cards-end.yaml"] == ["carla.mendes@example.com", "tomas.ferreira@example.com"]


def test_a_unit_tree_with_problems_is_noted_on_stderr(cli: Cli, copy_example: Callable[[str], Path]) -> None:
    """Owners were made from a looped tree with exit 0 and no word: the file is written all the
    same, with a note per problem."""
    folder = copy_example("banco")
    (folder / "units" / "loop.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: l1\nparent: l2\nmembers: [a@x.com]\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: l2\nparent: l1\nmembers: [b@x.com]\n",
        encoding="utf-8",
    )
    result = cli("codeowners", "--repo", str(folder))
    assert result.exit_code == 0
    note = "okrctl: note: the owners follow a unit tree with problems ('okrctl align' shows them): "
    assert result.stderr.splitlines() == [note + "units in a loop of parents: l1, l2 (OKR106)"]
    assert cli("codeowners", "--repo", str(EXAMPLES / "banco")).stderr == ""


@pytest.mark.parametrize("name", ["aa.yaml", "zz.yaml"])
def test_a_unit_id_used_twice_is_refused_and_nothing_is_written(
    cli: Cli, copy_example: Callable[[str], Path], name: str
) -> None:
    """A second unit 'cards' in a file that sorts first (units/aa.yaml) took the team's files over:
    its member owned them and the team's own members were in no line, with exit 0 and a note."""
    folder = copy_example("banco")
    (folder / "units" / name).write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: cards\nname: Cards\nparent: banco\nmembers: [mallory@x.com]\n",
        encoding="utf-8",
    )
    output = folder / "CODEOWNERS"
    result = cli("codeowners", "--repo", str(folder), "--output", str(output))
    assert result.exit_code == 1, result.output
    first, second = sorted([f"units/{name}:3", "units/cards.yaml:4"])
    assert result.stderr.startswith(f"okrctl: {second}: unit id 'cards' is used twice (first at {first}) (OKR102)")
    assert result.stderr.endswith("nothing was written\n") and result.stderr.count("\n") == 1
    assert not output.exists()


@pytest.mark.parametrize(
    ("name", "text", "place"),
    [
        ("cards.yaml", None, "units/cards.yaml:9: "),  # a YAML error: no document of it is known
        ("zz.yaml", "apiVersion: okrctl/v1\nkind: Unit\nid: zz\nname: 3\nparent: banco\n", "units/zz.yaml:4: "),
    ],
    ids=["unreadable", "an invalid unit"],
)
def test_a_unit_file_with_errors_is_refused_and_nothing_is_written(
    cli: Cli, copy_example: Callable[[str], Path], name: str, text: str | None, place: str
) -> None:
    """A broken unit file left its unit, and every review of its files, out of a CODEOWNERS written
    with exit 0: refused now, with the place to fix."""
    folder = copy_example("banco")
    unit = folder / "units" / name
    unit.write_text(text if text is not None else unit.read_text(encoding="utf-8") + "members: [x@y.com\n")
    output = folder / "CODEOWNERS"
    result = cli("codeowners", "--repo", str(folder), "--output", str(output))
    assert result.exit_code == 1
    assert result.stderr.startswith("okrctl: " + place) and result.stderr.count("\n") == 1
    assert "nothing was written" in result.stderr
    assert not output.exists()
    # A check-in with errors leaves no unit out: noted, and written.
    unit.unlink() if text is not None else unit.write_text((EXAMPLES / "banco" / "units" / name).read_text())
    (folder / "checkins" / "cards" / "2026-11-21.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: 2026-11-21\nconfidence: x\nresults: {}\n"
    )
    result = cli("codeowners", "--repo", str(folder), "--output", str(output))
    assert result.exit_code == 0, result.stderr
    assert "/checkins/cards/" in output.read_text(encoding="utf-8")


def _cards_owners(cli: Cli, folder: Path, members: str) -> tuple[list[str], str]:
    """The owners of Cards' check-ins, and the whole CODEOWNERS, with Cards' members set to ``members``."""
    unit = folder / "units/cards.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace(
            "members: [carla.mendes@example.com, tomas.ferreira@example.com]", f"members: [{members}]"
        ),
        encoding="utf-8",
    )
    result = cli("codeowners", "--repo", str(folder))
    assert result.exit_code == 0, result.stderr
    return dict(_parse(result.stdout))["/checkins/cards/"], result.stdout


def test_an_address_written_in_two_cases_is_one_owner(cli: Cli, copy_example: Callable[[str], Path]) -> None:
    """``Carla.Mendes@Example.com`` and ``carla.mendes@example.com`` are one person to the git host:
    Cards' lines name her once, as first written, not as two owners."""
    members = "Carla.Mendes@Example.com, tomas.ferreira@example.com, carla.mendes@example.com"
    owners, text = _cards_owners(cli, copy_example("banco"), members)
    assert owners == ["Carla.Mendes@Example.com", "tomas.ferreira@example.com"]
    assert "carla.mendes@example.com" not in text


def test_addresses_that_only_fold_alike_stay_two_people(cli: Cli, copy_example: Callable[[str], Path]) -> None:
    """``straße@`` and ``strasse@`` are two mailboxes: only case is ignored, not Unicode folding."""
    owners, _text = _cards_owners(cli, copy_example("banco"), "straße@example.de, strasse@example.de")
    assert owners == ["straße@example.de", "strasse@example.de"]


def test_the_last_matching_line_is_found_among_the_few_that_could_match() -> None:
    """The generator used to check every conventional pattern against every file (minutes at
    1,000 teams); the index must find what that loop found, the last match winning."""
    from itertools import product

    from okrctl.views.codeowners import _last_match, _matches

    conventional = [
        ("okrctl.yaml", "root"),
        ("units/cards.yaml", "root"),
        ("okrs/*/cards.yaml", "cards"),
        ("checkins/cards/", "cards"),
        ("checkins/cards/deep/", "other"),
        ("retros/*/cards-end.yaml", "cards"),
        ("okrs/2026-Q4/*.yaml", "glob"),  # a glob in the last segment: checked for every path
        ("okrs/*/cards.yaml", "again"),  # the same pattern twice: the later one wins
    ]
    parts = ["okrctl.yaml", "units", "okrs", "2026-Q4", "cards.yaml", "checkins", "cards", "deep", "x.yaml", "retros"]
    paths = ["/".join(p) for depth in (1, 2, 3, 4) for p in product(parts, repeat=depth)]
    last = _last_match(conventional)
    for path in paths:
        brute = None
        for pattern, _unit in conventional:
            if _matches(pattern, path):
                brute = pattern
        assert last(path) == brute, path


def test_a_file_written_for_another_okr_folder_is_not_replaced(
    cli: Cli, tmp_path: Path, git_repo: Callable[..., Path]
) -> None:
    """Two OKR folders of one git repository, each writing ``../.github/CODEOWNERS``: the second
    replaced the first's lines (exit 0, every ``/bank/`` line gone). The header names the folder;
    another folder's file is refused, and each folder's own file joined into one is kept."""
    top = tmp_path / "top"
    for name, example in (("bank", "banco"), ("saas", "saas")):
        shutil.copytree(EXAMPLES / example, top / name, ignore=shutil.ignore_patterns(".okrctl-cache"))
    (top / ".github").mkdir()
    git_repo(top)
    target = top / ".github/CODEOWNERS"

    def write(folder: str, output: Path = target) -> tuple[int, str]:
        result = cli("codeowners", "--repo", str(top / folder), "--output", str(output))
        return result.exit_code, result.stderr

    assert write("bank") == (0, "")
    bank = target.read_text(encoding="utf-8")
    assert bank.splitlines()[1] == "# OKR folder (from the top of the git repository): /bank/"
    refused = (
        1,
        f"okrctl: {target}: holds the lines okrctl codeowners wrote for the OKR folder {{}}, not this one ({{}}); "
        "nothing was written (write each folder's lines to its own file and join them: 'okrctl codeowners "
        "--output FILE' in each folder, then cat the files into this one)\n",
    )
    assert write("saas") == (refused[0], refused[1].format("/bank/", "/saas/"))
    assert target.read_text(encoding="utf-8") == bank
    assert write("bank") == (0, "")  # its own folder's file it writes again
    # Each folder's lines in a file of its own, joined: the first folder's header starts it, and
    # writing that folder's lines over it would drop the second's.
    assert write("bank", top / ".github/CODEOWNERS.bank") == (0, "")
    assert write("saas", top / ".github/CODEOWNERS.saas") == (0, "")
    joined = (top / ".github/CODEOWNERS.bank").read_text() + (top / ".github/CODEOWNERS.saas").read_text()
    target.write_text(joined, encoding="utf-8")
    assert write("bank") == (refused[0], refused[1].format("/saas/", "/bank/"))
    assert target.read_text(encoding="utf-8") == joined
    # A file of an older okrctl names no folder: its lines tell whose it is (the next test).


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the meeting point names files through /proc")
@pytest.mark.parametrize("before", [None, ""], ids=["no-file", "empty-file"])
def test_two_okr_folders_writing_one_codeowners_at_once_refuses_the_second(
    tmp_path: Path, git_repo: Callable[..., Path], before: str | None
) -> None:
    """Two OKR folders of one git repository write ``../.github/CODEOWNERS`` at the same moment (two
    CI steps, ``make -j``), where no file is yet or an empty one: both passed the check before
    either wrote, both exited 0, and the file held one folder's lines only, the other's lost with
    no word. Met where the first of them touches the file (its lock, or the naming of the new
    file), the second is refused as when run after the first, and the file keeps the first's lines."""
    from tests.conftest import ROOT
    from tests.test_measure import _MEET_AT_THE_READING as MEET_AT_THE_FILE  # any command, any file

    top = tmp_path / "top"
    for name, example in (("bank", "banco"), ("saas", "saas")):
        shutil.copytree(EXAMPLES / example, top / name, ignore=shutil.ignore_patterns(".okrctl-cache"))
    (top / ".github").mkdir()
    git_repo(top)
    target = top / ".github/CODEOWNERS"
    if before is not None:
        target.write_text(before, encoding="utf-8")
    meeting = tmp_path / "meeting"
    meeting.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    script = [sys.executable, "-c", MEET_AT_THE_FILE, str(meeting), str(target), "codeowners", "--output"]
    runs = {
        folder: subprocess.Popen(
            [*script, "../.github/CODEOWNERS"],
            cwd=top / folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        for folder in ("bank", "saas")
    }
    outcomes = {
        folder: (run.wait(timeout=120), *(part.decode() for part in run.communicate())) for folder, run in runs.items()
    }
    assert len(list(meeting.iterdir())) == 2  # both reached the file at once
    assert sorted(code for code, _, _ in outcomes.values()) == [0, 1], outcomes
    first = next(folder for folder, (code, _, _) in outcomes.items() if code == 0)
    second = "saas" if first == "bank" else "bank"
    assert outcomes[first][1:] == ("", "")
    assert outcomes[second][1:] == (
        "",
        "okrctl: ../.github/CODEOWNERS: holds the lines okrctl codeowners wrote for the OKR folder "
        f"/{first}/, not this one (/{second}/); nothing was written (write each folder's lines to its own file "
        "and join them: 'okrctl codeowners --output FILE' in each folder, then cat the files into this one)\n",
    )
    lines = target.read_text(encoding="utf-8").splitlines()
    assert f"# OKR folder (from the top of the git repository): /{first}/" in lines
    assert any(line.startswith(f"/{first}/") for line in lines)
    assert not any(line.startswith(f"/{second}/") for line in lines)
    assert [entry.name for entry in target.parent.iterdir()] == ["CODEOWNERS"]  # no temporary file left


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
def test_a_codeowners_another_process_keeps_locked_is_waited_for_then_left_alone(
    cli: Cli, copy_example: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process holds the lock of the file (a stuck ``flock``, a run that hangs): okrctl
    waited for it for ever, saying nothing, a CI step silent until its time-out. The wait is said
    after a moment, and ends after a bound (10 s, made short here) with exit 1, the file untouched;
    a lock let go within the bound is only waited for."""
    import fcntl

    from okrctl import fsutil

    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 0.3)
    monkeypatch.setattr(fsutil, "_SAY_WAITING_AFTER", 0.05)
    folder = copy_example("banco")
    target = tmp_path / "CODEOWNERS"
    assert cli("codeowners", "--repo", str(folder), "--output", str(target)).exit_code == 0
    before = target.read_text(encoding="utf-8").replace("marta.ribeiro", "someone.else")
    target.write_text(before, encoding="utf-8")
    waiting = f"okrctl: note: waiting for another process that holds the lock of {target} (up to 0.3 seconds)\n"
    with target.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        result = cli("codeowners", "--repo", str(folder), "--output", str(target))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == waiting + (
        f"okrctl: {target}: cannot be written: another process held its lock for 0.3 seconds (another okrctl "
        "run, or a program that locked it: run again once it is done); nothing was written\n"
    )
    assert target.read_text(encoding="utf-8") == before
    assert sorted(entry.name for entry in tmp_path.iterdir()) == ["CODEOWNERS", "banco"]  # nothing left behind
    # Let go once okrctl says it waits: the file is written.
    monkeypatch.setattr(fsutil, "LOCK_PATIENCE", 30.0)
    say_waiting = fsutil._say_waiting

    def said_then_let_go(shown: str) -> None:
        say_waiting(shown)
        holder.close()

    monkeypatch.setattr(fsutil, "_say_waiting", said_then_let_go)
    with target.open("rb") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        written = cli("codeowners", "--repo", str(folder), "--output", str(target))
    assert (written.exit_code, written.stderr) == (0, waiting.replace("0.3", "30"))
    assert "someone.else" not in target.read_text(encoding="utf-8")


def _older(text: str) -> str:
    """A CODEOWNERS as okrctl wrote it before its header named the OKR folder."""
    return "".join(line for line in text.splitlines(keepends=True) if not line.startswith("# OKR folder"))


def test_a_file_of_an_older_okrctl_joined_to_another_folders_is_not_replaced(
    cli: Cli, tmp_path: Path, git_repo: Callable[..., Path]
) -> None:
    """A CODEOWNERS joined from one folder's file and another's written by an older okrctl (no
    ``# OKR folder`` line) was replaced by the first folder's lines, exit 0, every line of the
    other folder gone; in either order. okrctl writes its header once and, from a sub-folder, every
    pattern under that folder: a second header, or a line outside the folder, is refused."""
    top = tmp_path / "top"
    for name, example in (("bank", "banco"), ("saas", "saas")):
        shutil.copytree(EXAMPLES / example, top / name, ignore=shutil.ignore_patterns(".okrctl-cache"))
    (top / ".github").mkdir()
    git_repo(top)
    target = top / ".github/CODEOWNERS"

    def write(folder: str, output: Path = target) -> tuple[int, str]:
        result = cli("codeowners", "--repo", str(top / folder), "--output", str(output))
        return result.exit_code, result.stderr

    join = "(write each folder's lines to its own file and join them: 'okrctl codeowners --output FILE' in each folder, then cat the files into this one)\n"
    assert write("bank", top / ".github/CODEOWNERS.bank") == (0, "")
    assert write("saas", top / ".github/CODEOWNERS.saas") == (0, "")
    bank = (top / ".github/CODEOWNERS.bank").read_text(encoding="utf-8")
    saas = (top / ".github/CODEOWNERS.saas").read_text(encoding="utf-8")
    assert sum(line.startswith("/saas/") for line in saas.splitlines()) == 38
    joined_twice = (
        f"okrctl: {target}: holds 2 files okrctl codeowners wrote, joined (its first line is there 2 times), "
        f"not this OKR folder's (/bank/) alone; nothing was written {join}"
    )
    for joined in (bank + _older(saas), _older(saas) + bank):
        target.write_text(joined, encoding="utf-8")
        assert write("bank") == (1, joined_twice)
        assert target.read_text(encoding="utf-8") == joined
    # Both headers older: neither names a folder.
    target.write_text(_older(bank) + _older(saas), encoding="utf-8")
    assert write("saas") == (1, joined_twice.replace("/bank/", "/saas/"))
    # Another folder's file alone, of an older okrctl: its lines are not this folder's.
    target.write_text(_older(saas), encoding="utf-8")
    assert write("bank") == (
        1,
        f"okrctl: {target}: holds lines outside this OKR folder (/bank/), such as line 7 ('/saas/okrctl.yaml'): "
        f"another folder's, joined or written by an older okrctl; nothing was written {join}",
    )
    assert target.read_text(encoding="utf-8") == _older(saas)
    # This folder's own file of an older okrctl is replaced, its header now naming the folder.
    target.write_text(_older(bank).replace("marta.ribeiro", "someone.else"), encoding="utf-8")
    assert write("bank") == (0, "")
    assert target.read_text(encoding="utf-8") == bank
