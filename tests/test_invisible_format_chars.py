"""Every Unicode format character that hides text (category Cf but the zero-width joiner and
non-joiner and the drawn concatenation marks) is one class: a member address holding one is
refused, and the terminal and the documents okrctl writes show none of them. A tag character
(U+E0041, an invisible "A"), U+206A, U+180E or U+1D173 passed the members check and reached
CODEOWNERS and the terminal raw, as a title holding one reached report, plan and init's output."""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest

from okrctl.safetext import DRAWN_FORMAT_RANGES, HIDDEN_FORMAT_RANGES, clean, one_written_line
from tests.conftest import Cli

DAY = "2026-11-20"
# Format characters outside the lists the checks once had: a tag, a deprecated format character,
# the Mongolian vowel separator, a musical format control, an interlinear annotation anchor.
PLANTED = ["\U000e0041", "\u206a", "\u180e", "\U0001d173", "\ufff9"]


def expanded(ranges: tuple[tuple[int, int], ...]) -> set[int]:
    return {code for first, last in ranges for code in range(first, last + 1)}


def hidden(text: str) -> list[str]:
    """The characters of ``text`` that hide text, by unicodedata itself."""
    return [f"U+{ord(c):04X}" for c in text if unicodedata.category(c) == "Cf" and c not in "\u200c\u200d"]


def test_the_written_ranges_are_unicodedatas_format_characters() -> None:
    """The ranges are written out (Unicode 14.0, Python 3.11): a Python whose Unicode adds or
    moves a format character fails here until they are written anew."""
    every = {code for code in range(sys.maxunicode + 1) if unicodedata.category(chr(code)) == "Cf"}
    hides, drawn = expanded(HIDDEN_FORMAT_RANGES), expanded(DRAWN_FORMAT_RANGES)
    assert not hides & drawn
    assert every - hides - drawn == {0x200C, 0x200D}, unicodedata.unidata_version
    assert hides | drawn <= every, unicodedata.unidata_version
    assert list(HIDDEN_FORMAT_RANGES) == sorted(HIDDEN_FORMAT_RANGES)


def test_every_hiding_format_character_is_removed_the_joiners_and_drawn_marks_kept_as_the_reader_needs() -> None:
    for code in expanded(HIDDEN_FORMAT_RANGES):
        assert clean(f"a{chr(code)}b") == "ab", f"U+{code:04X}"
        assert one_written_line(f"a{chr(code)}b") == "ab", f"U+{code:04X}"
    for code in expanded(DRAWN_FORMAT_RANGES):
        assert clean(f"{chr(code)}12") == one_written_line(f"{chr(code)}12") == f"{chr(code)}12"
    assert clean("👩\u200d💻") == "👩💻" and one_written_line("👩\u200d💻") == "👩\u200d💻"


@pytest.mark.parametrize("char", PLANTED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_member_holding_a_format_character_is_refused_and_never_reaches_codeowners(
    cli: Cli, copy_example: Callable[[str], Path], char: str
) -> None:
    folder = copy_example("banco")
    unit = folder / "units" / "cards.yaml"
    text = unit.read_text(encoding="utf-8").split("members:")[0]
    escaped = f"\\U{ord(char):08x}" if ord(char) > 0xFFFF else f"\\u{ord(char):04x}"
    unit.write_text(text + f'members: [carla.mendes@example.com, "tomas{escaped}.ferreira@example.com"]\n', "utf-8")
    found = cli("align", "--repo", str(folder), "--today", DAY, "--format", "concise")
    assert found.exit_code == 1
    # The message shows the character as the file writes it, not dropped or raw.
    assert f"OKR101 error members[1]: 'tomas{escaped}.ferreira@example.com' is not an e-mail address" in found.stdout
    assert hidden(found.output) == []
    shown = cli("codeowners", "--repo", str(folder))
    assert shown.exit_code == 1 and shown.stdout == ""
    assert f"members[1]: 'tomas{escaped}.ferreira@example.com' is not an e-mail address" in shown.stderr
    assert hidden(shown.output) == []


def test_the_schema_refuses_such_a_member_as_align_does_in_python_and_in_ecma_262(cli: Cli) -> None:
    """The pattern goes to the JSON Schema as it is: an editor's check (ECMA-262, Unicode mode) and
    a Python one (check-jsonschema) refuse what align refuses, above U+FFFF too."""
    result = cli("schema", "--kind", "Unit")
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    unit = {"apiVersion": "okrctl/v1", "kind": "Unit", "id": "web", "members": ["ana@example.com"]}
    assert list(validator.iter_errors(unit)) == []
    planted = [f"ana{char}@example.com" for char in [*PLANTED, "\u200b", "\u200d"]]
    for member in planted:
        assert list(validator.iter_errors({**unit, "members": [member]})), ascii(member)
    regress = pytest.importorskip("regress")
    pattern = regress.Regex(schema["properties"]["members"]["items"]["pattern"], "u")
    assert pattern.find("ana@example.com") is not None
    assert [member for member in planted if pattern.find(member) is not None] == []


@pytest.fixture
def titled(copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> Path:
    """banco, with Cards' objective titled with a tag character and an invisible plus, and the unit
    named with them."""
    root = copy_example("banco")
    cards = root / "okrs/2026-Q4/cards.yaml"
    text = cards.read_text(encoding="utf-8")
    written = 'title: "Make the\\U000E0041 first\\u2064 card moment{}"'  # YAML escapes
    planted = re.sub(r"^title: Make the first card moment(.*)$", lambda m: written.format(m[1]), text, flags=re.M)
    assert planted != text
    cards.write_text(planted, encoding="utf-8")
    unit = root / "units/cards.yaml"
    text = unit.read_text(encoding="utf-8")
    unit.write_text(text.replace("\nname: Cards\n", '\nname: "Ca\\U000E0041rds\\u2064"\n'), encoding="utf-8")
    assert unit.read_text(encoding="utf-8") != text
    return git_repo(root)


@pytest.mark.parametrize(
    "args",
    [
        ["report", "--no-history"],
        ["report", "--no-history", "--format", "markdown"],
        ["report", "--no-history", "--format", "html"],
        ["plan", "--team", "cards"],
        ["plan", "--team", "cards", "--format", "markdown"],
    ],
    ids=["report", "report-markdown", "report-html", "plan", "plan-markdown"],
)
def test_a_title_holding_format_characters_is_shown_without_them(cli: Cli, titled: Path, args: list[str]) -> None:
    result = cli(*args, "--repo", str(titled), "--today", DAY)
    assert result.exit_code == 0, result.stderr
    assert hidden(result.output) == []
    # The title is shown, folded onto one line wherever it fits.
    assert "Make the first card moment" in " ".join(result.stdout.split())


@pytest.mark.parametrize("command", ["report", "status", "map"])
def test_json_writes_them_as_escapes_and_a_reader_gets_the_very_text(cli: Cli, titled: Path, command: str) -> None:
    """security.md: JSON carries such characters as escapes. The tag character U+E0041 was written
    raw (its list was another fixed one); above U+FFFF it is the pair of escapes JSON spells it with."""
    result = cli(command, "--repo", str(titled), "--today", DAY, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert hidden(result.stdout) == []
    assert "\\udb40\\udc41" in result.stdout and "\\u2064" in result.stdout
    assert "Make the\U000e0041 first\u2064 card moment" in json.dumps(json.loads(result.stdout), ensure_ascii=False)


def test_the_unit_named_with_them_reads_plainly_in_status_and_codeowners(cli: Cli, titled: Path) -> None:
    status = cli("status", "--repo", str(titled), "--today", DAY)
    assert status.exit_code == 0, status.stderr
    assert hidden(status.output) == []
    assert re.search(r"^Cards +first-card-moment ", status.stdout, flags=re.M)
    codeowners = cli("codeowners", "--repo", str(titled))
    assert codeowners.exit_code == 0, codeowners.stderr
    assert hidden(codeowners.output) == []
    assert "\n# Cards (cards)\n" in codeowners.stdout


def test_init_names_the_organisation_without_them_and_writes_them_as_escapes(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "acme"
    result = cli("init", str(folder), "--organization", "Acme\U000e0041 Bank\u2064", "--no-commit")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Created an OKR repository for Acme Bank in {folder}\n")
    assert hidden(result.output) == []
    assert 'organization: "Acme\\U000e0041 Bank\\u2064"' in (folder / "okrctl.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("hidden", ["\u200b", "\u2060", "\u00ad", "\U000e0041"])
def test_a_value_that_is_no_number_is_quoted_with_its_hidden_characters_shown(
    cli: Cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path], tmp_path: Path, hidden: str
) -> None:
    """``'320' is not a number`` on a terminal, the zero-width space between the digits unseen:
    the value a values file or ``--result`` gave is quoted with it as an escape."""
    root = git_repo(copy_example("banco"))
    code = ord(hidden)
    escape = f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
    values = tmp_path / "values.csv"
    values.write_text(f"kr,value\nsetup-tickets,32{hidden}0\n", encoding="utf-8")
    measured = cli(
        "measure",
        "--repo",
        str(root),
        "--team",
        "discover",
        "--values-from",
        str(values),
        "--today",
        "2026-11-27",
        "--dry-run",
    )
    flagged = cli(
        "checkin", "--repo", str(root), "--team", "discover", "--today", "2026-11-27", "-c", "5",
        "-r", f"setup-tickets=3{hidden}20", "--dry-run",
    )  # fmt: skip
    for result in (measured, flagged):
        assert result.exit_code == 2, result.output
        assert hidden not in result.stderr
        assert escape in result.stderr and "is not a number" in result.stderr
