"""``checkin --amend`` and ``measure`` edit a file okrctl reads as it stands: its tabs and comments
stay where the team put them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import committed_by_a_member

CARDS = "checkins/cards/2026-11-20.yaml"
DISCOVER = "checkins/discover/2026-11-20.yaml"
READING = "readings/discover/2026-11-26.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def committed(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", f"edit {rel}")
    return path


def amend(cli, root: Path, team: str, *args: str):
    return cli(
        "checkin", "--repo", str(root), "--team", team, "--date", "2026-11-20", "--today", "2026-11-20", "--amend",
        "--no-commit", *args,
    )  # fmt: skip


def measure(cli, root: Path, values: Path, *args: str):
    return cli(
        "measure", "--repo", str(root), "--team", "discover", "--values-from", str(values), "--date", "2026-11-26",
        "--today", "2026-11-27", *args,
    )  # fmt: skip


def measured(cli, root: Path, folder: Path, name: str, rows: str) -> None:
    """``measure`` with the values file ``folder/name`` holding ``rows`` (CSV), which must pass."""
    values = folder / name
    values.write_text(rows, encoding="utf-8")
    result = measure(cli, root, values)
    assert result.exit_code == 0, result.stderr


# ----- a tab before a comment ------------------------------------------------------------------------
def test_amend_keeps_a_tab_before_a_comment_that_align_accepts(cli, banco: Path) -> None:
    """``confidence: 6<TAB># gut feeling`` passes align; --amend stopped with an internal error (exit
    3: the round-trip library's scanner refuses the tab). The amendment is written and every line
    it does not change keeps its bytes, tabs included."""
    path = banco / CARDS
    original = path.read_text(encoding="utf-8")
    tabbed = original.replace("confidence: 6\n", "confidence: 6\t# gut feeling\n").replace(
        "  - Card-migration cut-over moved to 2026-11-27\n",
        "  - Card-migration cut-over moved to 2026-11-27\t\t# see the\tthread\n",
    )
    committed(banco, CARDS, tabbed)
    align = cli("align", "--repo", str(banco), "--today", "2026-11-20", "--format", "concise")
    assert CARDS not in align.stdout
    result = amend(cli, banco, "cards", "-i", "Courier strike")
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == tabbed.replace(
        "# see the\tthread\n", "# see the\tthread\n  - Courier strike\n"
    )
    changed = amend(cli, banco, "cards", "-c", "7")
    assert changed.exit_code == 0, changed.stderr
    assert "confidence: 7 # gut feeling\n" in path.read_text(encoding="utf-8")  # the line it changed


def test_a_tab_after_a_colon_or_a_flow_mapping_is_kept_too(cli, banco: Path) -> None:
    path = committed(
        banco,
        CARDS,
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: 2026-11-20\nconfidence:\t6\n"
        "results: {card-activation-7d: 56}\t# from the dashboard\n"
        "issues:\t# open\n  - |-\n    Courier\tstrike\n",
    )
    before = path.read_text(encoding="utf-8")
    result = amend(cli, banco, "cards", "-p", "Call the courier")
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == before + "plan:\n  - Call the courier\n"


def test_measure_keeps_a_tab_before_a_comment_of_the_reading(cli, banco: Path, tmp_path: Path) -> None:
    reading = (
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: a.csv\n"
        "values:\t# from the job\n  onboarding-completion: 81\t# okrctl: ignore[OKR509]\n"
    )
    path = committed(banco, READING, reading)
    measured(cli, banco, tmp_path, "k.csv", "kr,value\nsetup-tickets,300\n")
    assert path.read_text(encoding="utf-8") == (
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: a.csv, k.csv\n"
        "author: ana.costa@example.com\n"
        "values:\t# from the job\n  onboarding-completion: {value: 81, source: a.csv}\t# okrctl: ignore[OKR509]\n"
        "  setup-tickets: {value: 300, source: k.csv}\n"
    )


def test_measure_keeps_the_tab_before_the_comment_of_a_value_it_gives_its_source(
    cli, banco: Path, tmp_path: Path
) -> None:
    """A second values file gives each value of the day its own ``source``: the lines of the values
    that did not change are written again, and turned the tab before their comment into a space.
    It stays, on each line whose value does not change; a value that changes gets a space there."""
    reading = (
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: a.csv\n"
        "author: ana.costa@example.com\nvalues:\n"
        "  onboarding-completion: 81\t# from BI\n  setup-tickets: 320 \t\t# Zendesk\n"
    )
    path = committed(banco, READING, reading)
    measured(cli, banco, tmp_path, "b.csv", "tutorial-engagement,41\n")
    head = reading.split("values:\n")[0].replace("source: a.csv\n", "source: a.csv, b.csv\n")
    assert path.read_text(encoding="utf-8") == head + (
        "values:\n  onboarding-completion: {value: 81, source: a.csv}\t# from BI\n"
        "  setup-tickets: {value: 320, source: a.csv} \t\t# Zendesk\n"
        "  tutorial-engagement: {value: 41, source: b.csv}\n"
    )
    git(banco, "commit", "-q", "-am", "second file")
    measured(cli, banco, tmp_path, "act.csv", "onboarding-completion,82\nsetup-tickets,320\n")
    assert path.read_text(encoding="utf-8") == head.replace("a.csv, b.csv", "act.csv, b.csv") + (
        "values:\n  onboarding-completion: {value: 82, source: act.csv} # from BI\n"
        "  setup-tickets: {value: 320, source: act.csv} \t\t# Zendesk\n"
        "  tutorial-engagement: {value: 41, source: b.csv}\n"
    )
    assert cli("align", "--repo", str(banco), "--today", "2026-11-27", "--strict").exit_code == 0


@pytest.mark.parametrize("newline", ["\r", "\r\n"], ids=["CR", "CRLF"])
def test_measure_keeps_the_line_ends_of_the_reading(cli, banco: Path, tmp_path: Path, newline: str) -> None:
    """A reading with lone CR line ends got its document written again with LF ones below the
    comment that kept CR: one file, two line-end styles."""
    reading = (
        "# from the job\napiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\n"
        "source: a.csv\nauthor: ana.costa@example.com\nvalues:\n  onboarding-completion: {value: 81, source: a.csv}\n"
    )
    path = committed(banco, READING, reading.replace("\n", newline))
    measured(cli, banco, tmp_path, "k.csv", "kr,value\nsetup-tickets,300\n")
    after = (
        reading.replace("source: a.csv\n", "source: a.csv, k.csv\n") + "  setup-tickets: {value: 300, source: k.csv}\n"
    )
    assert path.read_bytes() == after.replace("\n", newline).encode("utf-8")


def test_a_file_the_round_trip_library_reads_otherwise_is_refused_by_line_not_an_internal_error(
    cli, banco: Path, tmp_path: Path
) -> None:
    """A next-line character (U+0085) in a comment is text to okrctl's parser (YAML 1.2), a line end
    to the round-trip library's: one line naming the file and line, exit 1, nothing written."""
    path = committed(
        banco,
        CARDS,
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: cards\ndate: 2026-11-20\nconfidence: 6 # gut\x85feel\nplan: [a]\n",
    )
    before = path.read_bytes()
    result = amend(cli, banco, "cards", "-c", "7")
    assert result.exit_code == 1, result.stderr
    assert result.stderr.startswith(f"okrctl: {CARDS}:5: the check-in cannot be written again in place")
    assert "nothing was written" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before
    reading = committed(
        banco,
        READING,
        "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: a # b\x85c\nvalues: {setup-tickets: 3}\n",
    )
    before = reading.read_bytes()
    values = tmp_path / "k.csv"
    values.write_text("setup-tickets,300\n", encoding="utf-8")
    refused = measure(cli, banco, values)
    assert refused.exit_code == 1, refused.stderr
    assert refused.stderr.startswith(f"okrctl: {READING}:5: the reading cannot be written again in place")
    assert reading.read_bytes() == before


# ----- a comment after the last entry stays after it ---------------------------------------------------
HEAD = (
    "apiVersion: okrctl/v1\nkind: CheckIn\nowner: discover\ndate: 2026-11-20\nauthor: rui.almeida@example.com\n"
    "confidence: 8\n"
)
RESULTS = "results:\n  onboarding-completion: 79  # from the dashboard\n"
ISSUES = "issues:\n  - Two engineers lent to the card-migration project\n"
PLAN = "plan:\n  - Spanish version of the tutorial\n"
END = "\n# Reviewed with the PM on Friday.\n"
UNIT = "---\napiVersion: okrctl/v1\nkind: Unit\nid: later\nname: Later\nparent: discover\n"
TRAILING = {
    "--plan, plan last": (
        HEAD + RESULTS + ISSUES + PLAN + END,
        ["-p", "Third plan item"],
        HEAD + RESULTS + ISSUES + PLAN + "  - Third plan item\n" + END,
    ),
    "--result, results last": (
        HEAD + ISSUES + PLAN + RESULTS + END,
        ["-r", "setup-tickets=330"],
        HEAD + ISSUES + PLAN + RESULTS + "  setup-tickets: 330\n" + END,
    ),
    "--issue, issues last": (
        HEAD + RESULTS + PLAN + ISSUES + END,
        ["-i", "Courier strike"],
        HEAD + RESULTS + PLAN + ISSUES + "  - Courier strike\n" + END,
    ),
    "a section added after the last one": (
        HEAD + RESULTS + END,
        ["-p", "Third plan item"],
        HEAD + RESULTS + "plan:\n  - Third plan item\n" + END,
    ),
    "a result written as a block mapping, last": (
        HEAD + "results:\n  setup-tickets:\n    value: 332\n    note: By step\n" + END,
        ["-r", "onboarding-completion=80", "--note", "setup-tickets=By step, with support"],
        HEAD + "results:\n  setup-tickets:\n    value: 332\n    note: By step, with support\n"
        "  onboarding-completion: 80\n" + END,
    ),
    "a list flush with its key, the comment without a blank line": (
        HEAD + "plan:\n- Spanish version of the tutorial\n# Reviewed.\n\n",
        ["-p", "Third plan item"],
        HEAD + "plan:\n- Spanish version of the tutorial\n- Third plan item\n# Reviewed.\n\n",
    ),
    "a comment above the next document's ---": (
        HEAD + RESULTS + PLAN + "# okrctl: ignore[OKR508]\n" + UNIT,
        ["-p", "Third plan item"],
        HEAD + RESULTS + PLAN + "  - Third plan item\n# okrctl: ignore[OKR508]\n" + UNIT,
    ),
    "a comment between two sections stays above the second": (
        HEAD + RESULTS + "\n# What stands in the way:\n" + ISSUES + PLAN,
        ["-r", "setup-tickets=330"],
        HEAD + RESULTS + "  setup-tickets: 330\n\n# What stands in the way:\n" + ISSUES + PLAN,
    ),
}


@pytest.mark.parametrize("case", list(TRAILING), ids=list(TRAILING))
def test_amend_adds_after_the_last_entry_and_keeps_the_comment_after_it(cli, banco: Path, case: str) -> None:
    """A comment after the last entry of a block list or mapping is kept with that entry by the
    YAML library: an item --amend added went below it (into the comment that ends the document,
    or below the comment above the next ``---``). The comment stays where it was, below the item."""
    before, args, after = TRAILING[case]
    path = committed(banco, DISCOVER, before)
    result = amend(cli, banco, "discover", *args)
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == after


READING_HEAD = "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: dashboard\n"
READING_AFTER = (
    "apiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-26\nsource: dashboard, k.csv\n"
    "author: ana.costa@example.com\n"
    "values:\n  onboarding-completion: {value: 81, source: dashboard} # by hand\n"
    "  setup-tickets: {value: 300, source: k.csv}\n"
)
OTHER_READING = "---\napiVersion: okrctl/v1\nkind: Reading\nowner: discover\ndate: 2026-11-25\nsource: dashboard\n"
MEASURED = {
    "values last": (
        READING_HEAD + "values:\n  onboarding-completion: 81  # by hand\n\n# Checked with the PM.\n",
        READING_AFTER + "\n# Checked with the PM.\n",
    ),
    "a comment above the next document's ---": (
        READING_HEAD
        + "values:\n  onboarding-completion: 81  # by hand\n# okrctl: ignore[OKR508]\n"
        + OTHER_READING
        + "values:\n  onboarding-completion: 80\n",
        READING_AFTER + "# okrctl: ignore[OKR508]\n" + OTHER_READING + "values:\n  onboarding-completion: 80\n",
    ),
}


@pytest.mark.parametrize("case", list(MEASURED), ids=list(MEASURED))
def test_measure_adds_after_the_last_value_and_keeps_the_comment_after_it(
    cli, banco: Path, tmp_path: Path, case: str
) -> None:
    before, after = MEASURED[case]
    path = committed(banco, READING, before)
    measured(cli, banco, tmp_path, "k.csv", "kr,value\nsetup-tickets,300\n")
    assert path.read_text(encoding="utf-8") == after


# ----- an error the file has already is named where align names it -----------------------------------
def concise(cli, root: Path, today: str) -> str:
    return cli("align", "--repo", str(root), "--today", today, "--format", "concise").stdout


@pytest.mark.parametrize(
    ("line", "place"),
    [
        ("  onboarding-completion: 83  # okrctl: ignroe[OKR509]\n", "7:30: OKR107"),
        ("  onboarding-complete: 83\n", "7:3: OKR104"),
    ],
    ids=["a misspelt okrctl comment", "a key result the team does not have"],
)
def test_measure_names_an_error_the_reading_has_already_at_its_line_on_disk(
    cli, banco: Path, tmp_path: Path, line: str, place: str
) -> None:
    """measure named the line the error would have in the reading it was about to write (one
    line down: ``author:`` added above it), not the line align names in the file."""
    path = committed(banco, READING, READING_HEAD + "values:\n" + line)
    assert f"{READING}:{place}" in concise(cli, banco, "2026-11-26")
    before = path.read_bytes()
    values = tmp_path / "support.csv"
    values.write_text("kr,value\nsetup-tickets,318\n", encoding="utf-8")
    result = cli(
        "measure", "--repo", str(banco), "--team", "discover", "--values-from", str(values), "--today", "2026-11-26"
    )
    assert result.exit_code == 1
    assert f"nothing was written: {READING}:{place} " in result.stderr
    assert path.read_bytes() == before


def test_amend_names_an_error_the_check_in_has_already_at_its_line_on_disk(cli, banco: Path) -> None:
    """--amend -i added a line above a misspelt comment after the plan and named its line in the
    text it was about to write (14), not the one align names (13)."""
    path = committed(banco, DISCOVER, HEAD + RESULTS + ISSUES + PLAN + "  # okrctl: ignroe[OKR509]\n")
    assert f"{DISCOVER}:13:3: OKR107" in concise(cli, banco, "2026-11-20")
    before = path.read_bytes()
    result = amend(cli, banco, "discover", "-i", "Courier strike")
    assert result.exit_code == 1
    assert f"nothing was written: {DISCOVER}:13:3: OKR107 " in result.stderr
    assert path.read_bytes() == before
