"""``checkin --amend`` and ``measure`` keep the comment lines after a block of text (``|``, ``>``)
that ends a list or mapping byte for byte, their indentation included, when they add an entry
after it: the entry goes above them and nothing else moves."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.helpers_git import committed_by_a_member
from tests.test_amend_layout_kept import DISCOVER, HEAD, READING, READING_HEAD, align_reads, amended, measured
from tests.test_checkin_amend_layout import committed

BLOCK = "    Spanish version\n    of the tutorial\n"
# The comment lines after the block, as the team wrote them. The library keeps the first line's
# indentation apart from its text after a block of text; it was dropped, the line written at column 0.
TAILS = {
    "at the item's indentation": "  # a comment about the plan\n",
    "deeper than the item": "   # a comment about the plan\n",
    "shallower than the item": " # a comment about the plan\n",
    "at column 0": "# a comment about the plan\n",
    "several lines, each its own": "  # one\n    # two\n# three\n",
    "a blank line between": "  # one\n\n  # two\n",
    "a blank line first": "\n  # one\n",
}
STYLES = [">-", "|", "|-", ">", "|+"]


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def read(text: str) -> object:
    return YAML(typ="safe", pure=True).load(text)


@pytest.mark.slow
@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("tail", list(TAILS), ids=list(TAILS))
def test_amend_keeps_the_comment_after_a_block_item_as_written(cli, banco: Path, style: str, tail: str) -> None:
    """``plan: [- >- …, # comment]`` amended with ``-p``: the comment was committed at column 0."""
    before = HEAD + f"plan:\n  - {style}\n" + BLOCK + TAILS[tail]
    committed(banco, DISCOVER, before)
    after = amended(cli, banco, "-p", "Second item")
    if style == "|+" and TAILS[tail].startswith("\n"):
        # Kept (+), the blank line before the comment is the block's own text: the item goes after it.
        expected = before.replace(BLOCK + "\n", BLOCK + "\n  - Second item\n", 1)
    else:
        expected = before.replace(BLOCK, BLOCK + "  - Second item\n", 1)
    assert after == expected
    plan = read(before)["plan"]  # type: ignore[index]
    assert read(after)["plan"] == [*plan, "Second item"]  # type: ignore[index]
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_amend_keeps_an_indented_comment_after_a_note_block_above_the_next_document(cli, banco: Path) -> None:
    """A result's note written as a block of text ends the results, an indented comment after it,
    another document after that: the result added goes above the comment, which keeps its spaces."""
    results = "results:\n  onboarding-completion:\n    value: 79\n    note: >\n      two\n      lines\n"
    unit = "---\napiVersion: okrctl/v1\nkind: Unit\nid: later\nname: Later\nparent: discover\n"
    committed(banco, DISCOVER, HEAD + results + "    # about the note\n  # about the results\n" + unit)
    assert amended(cli, banco, "-r", "setup-tickets=300") == (
        HEAD + results + "  setup-tickets: 300\n    # about the note\n  # about the results\n" + unit
    )
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_measure_keeps_an_indented_comment_after_a_value_whose_note_is_a_block(
    cli, banco: Path, tmp_path: Path
) -> None:
    """``measure`` edits a reading the same way: the value it adds goes above the comment."""
    values = "values:\n  onboarding-completion:\n    value: 81\n    note: |-\n      two\n      lines\n"
    committed(banco, READING, READING_HEAD + "source: k.csv\n" + values + "  # checked by hand\n\n    # twice\n")
    assert measured(cli, banco, tmp_path, "kr,value\nsetup-tickets,300\n") == (
        READING_HEAD
        + "source: k.csv\nauthor: ana.costa@example.com\n"
        + values
        + "  setup-tickets: 300\n  # checked by hand\n\n    # twice\n"
    )
    align_reads(cli, banco, READING, "2026-11-27")
