"""``report`` counts a target moved in a commit dated ahead of the machine's day (its committer
east of the machine, a clock ahead) as the month's move when ``--today`` is not pinned in the past,
as ``history`` and OKR601 count it (README: nothing committed yet is after today)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.helpers_git import commit_at, edit, hermetic_git

DISCOVER = "okrs/2026-Q4/discover.yaml"


@pytest.fixture(autouse=True)
def _hermetic(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    hermetic_git(monkeypatch, tmp_path)


def live_cycle(copy_example, git_repo, first: date, last: date) -> Path:
    """The banco example with Discover's objective in a cycle ``live`` from ``first`` to ``last``,
    committed before it starts."""
    folder = git_repo(copy_example("banco"), commit=False)
    config = folder / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + f"cycles:\n  - {{id: live, start: {first}, end: {last}}}\n",
        encoding="utf-8",
    )
    edit(folder / DISCOVER, r"^cycle: 2026-Q4$", "cycle: live")
    commit_at(folder, str(first - timedelta(days=10)), "OKRs for the live cycle")
    return folder


def lower_target(folder: Path, day: date) -> None:
    edit(folder / DISCOVER, r"^    target: 90$", "    target: 85")
    commit_at(folder, str(day), "lower the onboarding target", name="Rui Almeida", email="rui@example.com")


def report(cli, folder: Path, *options: str) -> tuple[list[str], list[str]]:
    """The days of the month's moved targets, and of those listed as changed after its day."""
    result = cli("report", "--repo", str(folder), "--format", "json", *options)
    assert result.exit_code == 0, result.stderr
    view = json.loads(result.stdout)
    return [c["date"] for c in view["moved_targets"]], [c["date"] for c in view["moved_since"]]


def test_a_target_moved_in_a_commit_dated_tomorrow_is_this_month_s_move(
    cli, copy_example, git_repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --today (nor OKRCTL_TODAY), a commit dated tomorrow: the report said "no target,
    baseline or title changed this month" and listed the same change as made after today, while
    history and OKR601 counted it. On a month's last day tomorrow is the next month's: then it is
    a change after this month, as before."""
    monkeypatch.delenv("OKRCTL_TODAY", raising=False)
    today = date.today()
    tomorrow = today + timedelta(days=1)
    folder = live_cycle(copy_example, git_repo, today - timedelta(days=40), today + timedelta(days=40))
    lower_target(folder, tomorrow)
    # --month: without it a month without check-ins yet is reported on the month before (``report``).
    month = f"{today.year:04d}-{today.month:02d}"
    if tomorrow.month == today.month:
        assert report(cli, folder, "--month", month) == ([str(tomorrow)], [])
    else:
        assert report(cli, folder, "--month", month) == ([], [str(tomorrow)])


def test_a_today_pinned_later_than_the_real_one_counts_a_commit_dated_after_it(cli, copy_example, git_repo) -> None:
    """--today set to a day after the real one: nothing committed yet is after it, so a commit dated
    the day after it (within its month) is the month's move, not a change made after."""
    future = (date.today() + timedelta(days=40)).replace(day=1)
    folder = live_cycle(copy_example, git_repo, date.today() - timedelta(days=10), future + timedelta(days=60))
    lower_target(folder, future + timedelta(days=1))
    month = f"{future.year:04d}-{future.month:02d}"
    assert report(cli, folder, "--today", str(future), "--month", month) == ([str(future + timedelta(days=1))], [])


def test_a_today_of_the_past_still_leaves_a_later_commit_out_of_its_month(cli, copy_example, git_repo) -> None:
    """--today pinned before the commit's day (the history as of that day): the change is made
    after it, and the report says so under the moved targets rather than count it."""
    folder = live_cycle(copy_example, git_repo, date(2026, 10, 1), date(2026, 12, 31))
    lower_target(folder, date(2026, 11, 21))
    assert report(cli, folder, "--today", "2026-11-20", "--month", "2026-11") == ([], ["2026-11-21"])
