"""``checkin --amend`` and ``measure`` keep the text of a block of text (``|``, ``>``) they do not
change byte for byte, its header included: the library wrote ``|+`` (``>+``, ``|2+``) as ``|``
(``>``, ``|2``) when the text ends with one line break, ``|-`` as ``|2-`` when it starts with a
blank line, the lines at its own indentation, and ended the document with ``...`` after a ``|+``
whose blank lines end it, on any amendment, even one that changed nothing there."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.helpers_git import committed_by_a_member
from tests.test_amend_layout_kept import DISCOVER, HEAD, READING, READING_HEAD, align_reads, amended, measured
from tests.test_checkin_amend_layout import committed

STYLES = ["|+", ">+", "|-", ">-", "|2", "|2+", ">2-"]


def block(style: str, indent: int) -> str:
    """A block of text in ``style`` whose lines start ``indent`` spaces in, ending with one line
    break; with an indentation indicator its first line starts deeper (what the indicator is for)."""
    deeper = "  " if style[1:2].isdigit() else ""
    pad = " " * indent
    return f"{style}\n{pad}{deeper}first line\n{pad}second line\n"


def document(style: str) -> str:
    return (
        HEAD
        + "results:\n  onboarding-completion:\n    value: 79\n    note: "
        + block(style, 6)
        + "issues:\n  - "
        + block(style, 4)
        + "plan:\n  - Ship the tutorial\n  - "
        + block(style, 4)
    )


def read(text: str) -> object:
    """The file as YAML reads it, with the C parser (okrctl's) and the pure one agreeing."""
    pure = YAML(typ="safe", pure=True).load(text)
    assert YAML(typ="safe").load(text) == pure
    return pure


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


# Each amendment and how it changes the file: only the line it changes or adds moves.
AMENDMENTS = {
    "-c": (["-c", "7"], lambda text: text.replace("confidence: 8\n", "confidence: 7\n", 1)),
    "-r a value whose note is the block": (
        ["-r", "onboarding-completion=80"],
        lambda text: text.replace("    value: 79\n", "    value: 80\n", 1),
    ),
    "-r a result added after the block": (
        ["-r", "setup-tickets=300"],
        lambda text: text.replace("issues:\n", "  setup-tickets: 300\nissues:\n", 1),
    ),
    "-p an item added after the block": (["-p", "Second item"], lambda text: text + "  - Second item\n"),
}


@pytest.mark.parametrize("amendment", list(AMENDMENTS), ids=list(AMENDMENTS))
@pytest.mark.parametrize("style", STYLES)
def test_amend_keeps_a_block_of_text_it_does_not_change(cli, banco: Path, style: str, amendment: str) -> None:
    """The note, the issue and the plan item are blocks of text in ``style``: each keeps its bytes."""
    before = document(style)
    committed(banco, DISCOVER, before)
    args, change = AMENDMENTS[amendment]
    after = amended(cli, banco, *args)
    assert after == change(before)
    wanted = read(change(before))
    assert read(after) == wanted
    # The texts themselves read as they did.
    assert wanted["plan"][1] == read(before)["plan"][1]  # type: ignore[index]
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_amend_keeps_the_header_of_a_block_in_a_list_it_indents_its_own_way(cli, banco: Path) -> None:
    """The library writes a list indented four spaces two in: a block item's lines move with its
    ``-``, its header stays, and it reads the same."""
    committed(banco, DISCOVER, HEAD + "issues:\n    - |2+\n        deeper\n      kept\n    - >-\n      folded\n")
    after = amended(cli, banco, "-c", "7")
    assert after == HEAD.replace("confidence: 8", "confidence: 7") + (
        "issues:\n  - |2+\n      deeper\n    kept\n  - >-\n    folded\n"
    )
    assert read(after)["issues"] == ["  deeper\nkept\n", "folded"]  # type: ignore[index]
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_amend_keeps_a_block_whose_own_indentation_is_deeper(cli, banco: Path) -> None:
    """A block of text indented deeper than the library would: its lines stay where they were, and
    so does a ``|-`` the library would write ``|2-`` (a text that starts with a blank line)."""
    note = "    note: |\n          six in\n          again\n"
    starts_blank = "plan:\n  - |-\n\n    after a blank line\n"
    text = HEAD + "results:\n  onboarding-completion:\n    value: 79\n" + note + starts_blank
    committed(banco, DISCOVER, text)
    assert amended(cli, banco, "-c", "7") == text.replace("confidence: 8", "confidence: 7")
    align_reads(cli, banco, DISCOVER, "2026-11-20")


@pytest.mark.parametrize("after_it", ["", "...\n", "# the end\n"], ids=["end of file", "...", "a comment"])
def test_amend_adds_no_document_end_after_a_kept_block_that_ends_the_file(cli, banco: Path, after_it: str) -> None:
    """A ``|+`` whose blank lines end the document: the library ended it with ``...`` (a second
    one after the team's); the file keeps its own end now."""
    before = HEAD + "plan:\n  - |+\n    kept blank lines\n\n\n" + after_it
    committed(banco, DISCOVER, before)
    after = amended(cli, banco, "-c", "7")
    assert after == before.replace("confidence: 8", "confidence: 7")
    assert read(after)["plan"] == ["kept blank lines\n\n\n"]  # type: ignore[index]
    align_reads(cli, banco, DISCOVER, "2026-11-20")


@pytest.mark.parametrize("style", ["|+", ">+", "|2+"])
def test_measure_keeps_a_note_block_it_does_not_change(cli, banco: Path, tmp_path: Path, style: str) -> None:
    """``measure`` adding a value leaves the note of another, a block of text, as it was."""
    values = "values:\n  onboarding-completion:\n    value: 81\n    note: " + block(style, 6)
    committed(banco, READING, READING_HEAD + "source: k.csv\n" + values)
    assert measured(cli, banco, tmp_path, "kr,value\nsetup-tickets,300\n") == (
        READING_HEAD + "source: k.csv\nauthor: ana.costa@example.com\n" + values + "  setup-tickets: 300\n"
    )
    align_reads(cli, banco, READING, "2026-11-27")
