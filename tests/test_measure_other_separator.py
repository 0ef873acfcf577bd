"""A values file exported with ';' or tabs between its columns is refused in the one line
docs/friday.md promises, whatever its first row's note holds: a comma in that note cut the row
into cells, and the file got '2 problems' naming a key result 'setup-tickets;1320;from Zendesk'."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers_git import banco_by_the_kpi_bot

DAY = "2026-11-26"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_by_the_kpi_bot(copy_example, git_repo)


def measure(cli, root: Path, values: Path):
    return cli(
        "measure", "--repo", str(root), "--today", DAY, "--team", "discover", "--values-from", str(values)
    )  # fmt: skip


FIRST_ROWS = [
    "setup-tickets{s}1320{s}from Zendesk, weekly",  # the note's comma
    '"setup-tickets"{s}"1320"{s}"from Zendesk, weekly"',  # every cell quoted
    "setup-tickets{s}1320,5{s}from Zendesk, weekly",  # a decimal comma and the note's
    "setup-tickets{s} -1320{s}a, b, c",
    "setup-tickets{s}81%{s}from Zendesk, weekly",
]


@pytest.mark.parametrize(("separator", "shown"), [(";", "';'"), ("\t", "tabs")])
@pytest.mark.parametrize("first", FIRST_ROWS)
def test_an_export_whose_first_note_holds_a_comma_is_refused_in_one_line(
    cli, banco, tmp_path, separator, shown, first
) -> None:
    values = tmp_path / "kpis.csv"
    second = f"onboarding-completion{separator}80\n"
    values.write_text(first.format(s=separator) + "\n" + second, encoding="utf-8")
    result = measure(cli, banco, values)
    assert result.exit_code == 2
    assert result.stderr == (
        f"okrctl: {values}:1: the columns are separated by {shown}; okrctl reads comma-separated rows, "
        "kr,value[,note] (nothing was written)\n"
    )
    assert not (banco / "readings").exists()


def test_a_comma_separated_row_whose_note_holds_a_semicolon_and_digits_is_read(cli, banco, tmp_path) -> None:
    """Only a first cell of a key result, a separator and a number is taken for another separator."""
    values = tmp_path / "kpis.csv"
    values.write_text('setup-tickets,1320,"from Zendesk;12, weekly"\nonboarding-completion,80\n', encoding="utf-8")
    result = measure(cli, banco, values)
    assert result.exit_code == 0, result.output
    assert "setup-tickets          332 → 1320  (from Zendesk;12, weekly)" in result.stdout
