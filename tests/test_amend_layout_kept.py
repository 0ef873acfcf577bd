"""``checkin --amend`` and ``measure`` adding to a reading change only what they change: an item
added goes above the comment lines after a block of text (``|``), and a value the edit leaves
alone keeps its text, however many lines it runs over."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import committed_by_a_member
from tests.test_checkin_amend_layout import committed

DISCOVER = "checkins/discover/2026-11-20.yaml"
READING = "readings/discover/2026-11-26.yaml"
HEAD = (
    "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-20\nauthor: ana.costa@example.com\n"
    "confidence: 8\n"
)
UNIT = "---\napiVersion: okrctl/v1\nkind: Unit\nid: later\nname: Later\nparent: discover\n"
READING_HEAD = "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\n"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def amended(cli, root: Path, *args: str) -> str:
    """The check-in as ``checkin --amend`` commits it."""
    result = cli(
        "checkin", "--repo", str(root), "--team", "discover", "--date", "2026-11-20", "--today", "2026-11-20",
        "--amend", *args,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "committed" in result.stdout
    return git(root, "show", f"HEAD:{DISCOVER}")


def measured(cli, root: Path, tmp_path: Path, csv: str) -> str:
    """The reading as ``measure`` commits it, with the values of ``k.csv``."""
    values = tmp_path / "k.csv"
    values.write_text(csv, encoding="utf-8")
    result = cli(
        "measure", "--repo", str(root), "--team", "discover", "--values-from", str(values), "--date", "2026-11-26",
        "--today", "2026-11-27", "--commit",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    return git(root, "show", f"HEAD:{READING}")


def align_reads(cli, root: Path, rel: str, today: str) -> None:
    """align reads the file written and finds nothing in it."""
    result = cli("align", "--repo", str(root), "--today", today, "--format", "concise")
    assert result.exit_code in (0, 1), result.stderr  # other files of the example may have findings
    assert rel not in result.stdout


# ----- an item added goes above the comment lines after a block of text ----------------------------
AFTER_A_BLOCK = {
    "--plan after a | item": (
        HEAD + "plan:\n  - |\n    literal\n# okrctl: ignore[OKR509]\n",
        ["-p", "p2"],
        HEAD + "plan:\n  - |\n    literal\n  - p2\n# okrctl: ignore[OKR509]\n",
    ),
    "--plan after a |- item, a blank line before the comment": (
        HEAD + "plan:\n  - |-\n    literal\n\n# Reviewed.\n",
        ["-p", "p2"],
        HEAD + "plan:\n  - |-\n    literal\n  - p2\n\n# Reviewed.\n",
    ),
    "--result after a result whose note is a | block": (
        HEAD + "results:\n  onboarding-completion:\n    value: 79\n    note: |\n      two\n      lines\n"
        "# okrctl: ignore[OKR509]\n",
        ["-r", "setup-tickets=300"],
        HEAD + "results:\n  onboarding-completion:\n    value: 79\n    note: |\n      two\n      lines\n"
        "  setup-tickets: 300\n# okrctl: ignore[OKR509]\n",
    ),
    "--issue after a > item, above the next document's ---": (
        HEAD + "issues:\n  - >\n    folded\n# okrctl: ignore[OKR508]\n" + UNIT,
        ["-i", "Courier strike"],
        HEAD + "issues:\n  - >\n    folded\n  - Courier strike\n# okrctl: ignore[OKR508]\n" + UNIT,
    ),
}


@pytest.mark.parametrize("case", list(AFTER_A_BLOCK), ids=list(AFTER_A_BLOCK))
def test_amend_adds_above_the_comment_after_a_block_of_text(cli, banco: Path, case: str) -> None:
    """After a block of text the YAML library keeps the comment lines without the line end other
    values give them: the item --amend added went below the comment (into the one that ends the
    file, or under the one above ``---``) and was committed so. It goes above it now."""
    before, args, after = AFTER_A_BLOCK[case]
    committed(banco, DISCOVER, before)
    assert amended(cli, banco, *args) == after
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_measure_adds_above_the_comment_after_a_value_whose_note_is_a_block(cli, banco: Path, tmp_path: Path) -> None:
    committed(
        banco,
        READING,
        READING_HEAD + "source: k.csv\nvalues:\n  onboarding-completion:\n    value: 81\n    note: |\n"
        "      two\n      lines\n# okrctl: ignore[OKR509]\n",
    )
    assert measured(cli, banco, tmp_path, "kr,value\nsetup-tickets,300\n") == (
        READING_HEAD + "source: k.csv\nauthor: ana.costa@example.com\nvalues:\n  onboarding-completion:\n"
        "    value: 81\n    note: |\n      two\n      lines\n  setup-tickets: 300\n# okrctl: ignore[OKR509]\n"
    )
    align_reads(cli, banco, READING, "2026-11-27")


# ----- a value the edit leaves alone keeps its text ---------------------------------------------------
UNTOUCHED = (
    "issues:\n"
    '  - "a long issue that\n    goes on a second line"\n'
    "  - plain long issue\n    continued  # by hand\n"
    "plan:\n"
    "  - 'single quoted,\n\n    with a line break'\n"
)


def test_amend_keeps_the_text_of_values_it_does_not_change(cli, banco: Path) -> None:
    """--amend -c rewrote every text running over two lines on one line (and moved the comment
    after it) and committed that. Only the confidence line changes now."""
    committed(banco, DISCOVER, HEAD + UNTOUCHED)
    assert amended(cli, banco, "-c", "7") == HEAD.replace("confidence: 8", "confidence: 7") + UNTOUCHED
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_amend_keeps_those_texts_when_it_adds_and_changes_around_them(cli, banco: Path) -> None:
    """A result changed and an item added beside them; a ``{…}`` over two lines the amendment does
    not touch keeps its lines, one it changes is written anew."""
    results = (
        "results:\n"
        "  tutorial-engagement: {value: 35.5, note: Interactive tutorial\n      shown to all}\n"
        "  setup-tickets: { value: 332,\n      note: by step }  # from support\n"
    )
    committed(banco, DISCOVER, HEAD + results + UNTOUCHED)
    assert amended(cli, banco, "-r", "tutorial-engagement=36", "-i", "Courier strike") == (
        HEAD
        + "results:\n"
        + "  tutorial-engagement: {value: 36, note: Interactive tutorial\n      shown to all}\n"
        + "  setup-tickets: { value: 332,\n      note: by step }  # from support\n"
        + UNTOUCHED.replace("  # by hand\n", "  # by hand\n  - Courier strike\n")
    )
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_amend_keeps_such_a_text_in_a_list_it_writes_with_another_indent(cli, banco: Path) -> None:
    """The library writes a block list two spaces in: the lines after the first of a kept text
    move with the line it starts in, so it reads the same."""
    committed(banco, DISCOVER, HEAD + "issues:\n    - 'four\n      spaced'\n")
    assert amended(cli, banco, "-c", "7") == (
        HEAD.replace("confidence: 8", "confidence: 7") + "issues:\n  - 'four\n    spaced'\n"
    )
    align_reads(cli, banco, DISCOVER, "2026-11-20")


def test_measure_keeps_the_text_of_values_it_does_not_change(cli, banco: Path, tmp_path: Path) -> None:
    committed(
        banco,
        READING,
        READING_HEAD + "source: k.csv\nvalues:\n  onboarding-completion: {value: 81,\n"
        '      note: "checked by hand\n        with the PM"}\n',
    )
    assert measured(cli, banco, tmp_path, "kr,value\nsetup-tickets,300\n") == (
        READING_HEAD + "source: k.csv\nauthor: ana.costa@example.com\nvalues:\n  onboarding-completion: {value: 81,\n"
        '      note: "checked by hand\n        with the PM"}\n  setup-tickets: 300\n'
    )
    align_reads(cli, banco, READING, "2026-11-27")
