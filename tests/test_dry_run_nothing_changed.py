"""``--dry-run`` when nothing would change: standard output is still the YAML the file would hold
(the file as it is), and "nothing changed" goes to standard error, for ``checkin --amend`` and
``measure`` alike (docs/checkin.md: "Standard output carries the YAML alone, so a script can keep
it"; docs/friday.md: "``--dry-run`` prints the YAML on standard output"). They printed the line
on standard output (checkin), or nothing at all there (measure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import git
from tests.helpers_git import banco_by_the_kpi_bot

CHECKIN = "checkins/discover/2026-11-20.yaml"
READING = "readings/discover/2026-11-27.yaml"
UNCHANGED = f"nothing changed: {CHECKIN} already says all that; nothing written or committed"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return banco_by_the_kpi_bot(copy_example, git_repo)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").strip()


def amend(cli, root: Path, *args: str):
    return cli(
        "checkin", "--repo", str(root), "--today", "2026-11-27", "--team", "discover", "--date", "2026-11-20", "--amend",
        *args,
    )  # fmt: skip


def measure(cli, root: Path, values: Path, *args: str):
    return cli(
        "measure", "--repo", str(root), "--today", "2026-11-27", "--team", "discover", "--values-from", str(values),
        *args,
    )  # fmt: skip


@pytest.mark.parametrize(
    "args",
    [
        pytest.param((), id="no-values"),
        pytest.param(("-c", "8", "-r", "onboarding-completion=79"), id="flags-that-repeat-it"),
        pytest.param(("--values-from", "same.csv"), id="values-file-that-repeats-it"),
    ],
)
def test_checkin_amend_dry_run_with_nothing_to_change_prints_the_file_and_says_so_on_stderr(
    cli, banco, tmp_path, args
) -> None:
    (tmp_path / "same.csv").write_text("onboarding-completion,79\nsetup-tickets,332\n", encoding="utf-8")
    args = tuple(str(tmp_path / a) if a == "same.csv" else a for a in args)
    before, original = head(banco), (banco / CHECKIN).read_bytes()
    result = amend(cli, banco, *args, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == original
    assert result.stderr == UNCHANGED + "\n"
    assert head(banco) == before and (banco / CHECKIN).read_bytes() == original


def test_checkin_amend_dry_run_of_an_uncommitted_check_in_prints_it_and_commits_nothing(cli, banco) -> None:
    """A check-in left uncommitted (a refused commit): ``--amend`` alone would commit it; a dry run
    prints it, says nothing changed, and leaves it uncommitted."""
    path = banco / CHECKIN
    path.write_text(path.read_text(encoding="utf-8").replace("confidence: 8", "confidence: 7"), encoding="utf-8")
    before, edited = head(banco), path.read_bytes()
    result = amend(cli, banco, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == edited
    assert result.stderr == UNCHANGED + "\n"
    assert head(banco) == before and git(banco, "status", "--porcelain", "--", CHECKIN).strip() == f"M {CHECKIN}"


def test_checkin_amend_without_dry_run_still_says_nothing_changed_on_stdout(cli, banco) -> None:
    result = amend(cli, banco)
    assert result.exit_code == 0, result.output
    assert result.stdout == UNCHANGED + "\n" and result.stderr == ""


def test_measure_dry_run_with_nothing_new_prints_the_reading_and_says_so_on_stderr(cli, banco, tmp_path) -> None:
    values = tmp_path / "kpis.csv"
    values.write_text("onboarding-completion,81\nsetup-tickets,320\n", encoding="utf-8")
    assert measure(cli, banco, values, "--commit").exit_code == 0
    before, reading = head(banco), (banco / READING).read_bytes()
    result = measure(cli, banco, values, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == reading
    assert result.stderr.endswith(f"nothing changed: {READING} already holds these values\n"), result.stderr
    assert head(banco) == before and (banco / READING).read_bytes() == reading
    # Without --dry-run, what it says stays on standard output, and it says only that.
    again = measure(cli, banco, values)
    assert again.exit_code == 0 and again.stderr == ""
    assert again.stdout.endswith(f"nothing changed: {READING} already holds these values\n"), again.stdout
