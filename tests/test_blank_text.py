"""A text that shows nothing is blank (OKR101), however it is written: control characters and
terminal escape sequences (YAML escapes such as "\\e[0m"), which every output removes, and the
invisible format characters count as nothing, as white space does."""

from __future__ import annotations

import contextlib
import json
import re
import sys
import unicodedata

import jsonschema
import pytest
from pydantic import TypeAdapter, ValidationError

from okrctl.model.base import Text
from okrctl.safetext import one_line

BLANK = "is blank: nothing visible is written"


def _with_name_and_title(copy_example, name: str, title: str):
    """banco, its cards unit named and its cards objective titled as written (YAML's own spelling)."""
    root = copy_example("banco")
    unit = root / "units/cards.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("name: Cards", f"name: {name}"), encoding="utf-8")
    objective = root / "okrs/2026-Q4/cards.yaml"
    text = objective.read_text(encoding="utf-8")
    objective.write_text(re.sub(r"^title: .*$", lambda _: f"title: {title}", text, count=1, flags=re.M), "utf-8")
    return root


def test_a_name_and_a_title_of_escape_sequences_and_control_characters_are_blank(cli, copy_example) -> None:
    """The report's pair: both passed align, and showed as nothing in status, the site, the map."""
    root = _with_name_and_title(copy_example, r'"\e[0m"', r'"\e[1m\a"')
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "concise")
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if "OKR101" in line] == [
        f"okrs/2026-Q4/cards.yaml:12:8: OKR101 error title {BLANK}",
        f"units/cards.yaml:5:7: OKR101 error name {BLANK}",
    ]


@pytest.mark.parametrize(
    "written",
    [
        r'"\a"',  # BEL
        r'"\x7f"',  # DEL
        r'"\x9b \x85"',  # C1: CSI, NEL
        r'"\e]8;;https://example.com\a\e]8;;\a"',  # a terminal's hyperlink, with no text
        r'"\u200d"',  # the zero-width joiner alone
        r'"\u200c \u200d"',
        r'"\u2061\u2062"',
        r'"\U000E0041\U000E0042"',  # tag characters (beyond U+FFFF)
        r'"\e[1m \u200b\t"',
    ],
)
def test_a_name_that_shows_nothing_is_blank(cli, copy_example, written: str) -> None:
    root = _with_name_and_title(copy_example, written, "Cards for everyone")
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 1
    found = [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert found == [("OKR101", "units/cards.yaml", f"name {BLANK}")]


@pytest.mark.parametrize(
    "written",
    [r'"\e[1mCards\e[0m"', r'"Ca\u200drds"', '"👩\u200d💻"', "Карты", r'"\x9b31m"', "é", r'"\u06dd"'],
)
def test_a_name_with_something_to_show_is_not_blank(cli, copy_example, written: str) -> None:
    root = _with_name_and_title(copy_example, written, "Cards for everyone")
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    assert [f for f in json.loads(result.stdout)["findings"] if f["code"] == "OKR101"] == []


# The format characters drawn as signs over numbers (Arabic, Syriac, Kaithi): seen, and kept by every output.
DRAWN = "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2\U000110bd\U000110cd"


def test_every_control_and_invisible_format_character_alone_is_blank_and_nothing_else_is() -> None:
    """As Python's Unicode database names the categories: Cc and Cf (and white space) are blank but
    the drawn signs, any other character is text; "\\e[0m" (removed whole by every output) is blank."""
    text = TypeAdapter(Text)

    def blank(value: str) -> bool:
        try:
            text.validate_python(value)
        except ValidationError:
            return True
        return False

    invisible = [chr(c) for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) in ("Cc", "Cf")]
    assert [hex(ord(c)) for c in invisible if blank(c) is (c in DRAWN)] == []
    assert [hex(ord(c)) for c in invisible if one_line(c) and unicodedata.category(c) == "Cc"] == []
    assert not [c for c in ("a", "1", "-", "é", "К", "数", "😀", "\U000e0100") if blank(c)]
    assert blank("\x1b[0m") and blank("\x1b[1m\x07") and not blank("\x1b[1mX")


@pytest.mark.parametrize(
    ("value", "in_schema", "in_align"),
    [
        ("Cards", True, True),
        ("\u0600", True, True),
        ("\x07", False, False),
        ("\x7f\x9b", False, False),
        ("\u200d", False, False),
        ("\u00ad \u2061", False, False),
        ("\U000e0041", False, False),
        # Beyond a pattern of one character (the schema's): align alone refuses it.
        ("\x1b[0m", True, False),
    ],
)
def test_the_schema_refuses_what_its_pattern_can_say_align_refuses(cli, value: str, in_schema, in_align) -> None:
    """The editor's schema (``okrctl schema``) refuses a control or invisible format character alone
    as align does; an escape sequence, which shows nothing only as a whole, is align's alone."""
    schema = json.loads(cli("schema", "--kind", "Unit").stdout)
    unit = {"apiVersion": "okrctl/v1", "kind": "Unit", "id": "cards", "type": "team", "name": value}
    assert jsonschema.Draft202012Validator(schema).is_valid(unit) is in_schema
    with contextlib.nullcontext() if in_align else pytest.raises(ValidationError):
        TypeAdapter(Text).validate_python(value)
