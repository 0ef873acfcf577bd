"""``okrctl status``'s "last": days since the team's last check-in, whatever cycle it was in.

Status reads only its cycles' check-ins, and each team's latest one on or before the day: a team
with no check-in yet in a new cycle is not "never" checked in (``align``'s OKR501 and ``report``'s
data age say when it last did), and with a past ``--cycle`` a check-in since then counts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import git

Q1_DAY = "2027-01-15"  # 56 days after banco's last check-in (2026-11-20)


def cards_in_2027_q1(copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> Path:
    """banco with one more objective of Cards, in 2027-Q1, on which it has not checked in yet."""
    root = copy_example("banco")
    q4 = (root / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    q1 = q4.replace("cycle: 2026-Q4", "cycle: 2027-Q1").replace("id: first-card-moment", "id: card-q1")
    q1 = q1.replace("  - {to: digital-first-week/nps, type: explicit}\n", "").replace("aligns:\n", "")
    (root / "okrs" / "2027-Q1").mkdir()
    (root / "okrs" / "2027-Q1" / "cards.yaml").write_text(q1, encoding="utf-8")
    return git_repo(root)


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def stores(tmp_path: Path) -> list[dict[str, str]]:
    """Without the store, and with one (empty, then filled): the load decides which check-ins to read."""
    with_store = {"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "store")}
    return [{"OKRCTL_NO_CACHE": "1"}, with_store, with_store]


def cards_row(text: str) -> str:
    rows = [line for line in text.splitlines() if line.startswith("Cards ")]
    assert len(rows) == 1, text
    return rows[0]


def cards_json(cli, root: Path, *args: str, env: dict[str, str]) -> dict:
    result = cli("status", "--repo", str(root), "--today", Q1_DAY, "-f", "json", *args, env=env)
    assert result.exit_code == 0, result.output
    [objective] = [o for o in json.loads(result.stdout)["objectives"] if o["owner"] == "cards"]
    return objective


def test_a_new_cycle_without_a_check_in_shows_the_days_since_the_last_one(
    cli, copy_example, git_repo, tmp_path
) -> None:
    """It said "never" (and JSON null) while align and report said 2026-11-20, 56 days ago."""
    root = cards_in_2027_q1(copy_example, git_repo)
    for env in stores(tmp_path):
        overview = cli("status", "--repo", str(root), "--today", Q1_DAY, env=env)
        assert overview.exit_code == 0, overview.output
        assert re.search(r"card-q1 .* 56d$", cards_row(overview.stdout)), overview.stdout
        assert "never" not in overview.stdout
        for args in ((), ("--team", "cards")):
            objective = cards_json(cli, root, *args, env=env)
            assert (objective["last_checkin"], objective["days_since_checkin"]) == ("2026-11-20", 56)
            # The notes are the cycle's own: none yet.
            assert (objective["issues"], objective["plan"]) == ([], [])
        team = cli("status", "--repo", str(root), "--today", Q1_DAY, "--team", "cards", env=env).stdout
        assert "confidence — · last check-in 56 days ago" in team
        assert "No check-in yet this cycle." in team
    # What align and report say of the same team, to the day.
    align = cli("align", "--repo", str(root), "--today", Q1_DAY, "--format", "concise").stdout
    assert "'cards' has not checked in since 2026-11-20 (56 days ago)" in align


def test_a_team_that_never_checked_in_is_still_never(cli, copy_example, git_repo, tmp_path) -> None:
    root = cards_in_2027_q1(copy_example, git_repo)
    for path in (root / "checkins" / "cards").iterdir():
        path.unlink()
    commit_all(root, "no check-in of cards")
    for env in stores(tmp_path):
        assert cards_row(cli("status", "--repo", str(root), "--today", Q1_DAY, env=env).stdout).endswith(" never")
        objective = cards_json(cli, root, env=env)
        assert (objective["last_checkin"], objective["days_since_checkin"]) == (None, None)
        team = cli("status", "--repo", str(root), "--today", Q1_DAY, "--team", "cards", env=env).stdout
        assert "last check-in never" in team


@pytest.mark.parametrize("cycle", [[], ["--cycle", "2026-Q4"]])
def test_a_check_in_in_another_cycle_counts(cli, copy_example, git_repo, tmp_path, cycle: list[str]) -> None:
    """Cards checks in on 2027-01-10, in 2027-Q1: five days ago, in the view of 2027-Q1 and in
    that of the past 2026-Q4 (which counted 56 days from its own last check-in)."""
    root = cards_in_2027_q1(copy_example, git_repo)
    last = (root / "checkins" / "cards" / "2026-11-20.yaml").read_text(encoding="utf-8")
    (root / "checkins" / "cards" / "2027-01-10.yaml").write_text(
        last.replace("date: 2026-11-20", "date: 2027-01-10"), encoding="utf-8"
    )
    commit_all(root, "cards checks in in 2027-Q1")
    for env in stores(tmp_path):
        overview = cli("status", "--repo", str(root), "--today", Q1_DAY, *cycle, env=env)
        assert overview.exit_code == 0, overview.output
        assert cards_row(overview.stdout).endswith(" 5d"), overview.stdout
        objective = cards_json(cli, root, *cycle, env=env)
        assert (objective["last_checkin"], objective["days_since_checkin"]) == ("2027-01-10", 5)
        team = cli("status", "--repo", str(root), "--today", Q1_DAY, "--team", "cards", *cycle, env=env).stdout
        assert "last check-in 5 days ago" in team
    if cycle:
        # The notes below are those of 2026-Q4's last check-in, and say so.
        assert "Last check-in of 2026-Q4: 2026-11-20 by tomas.ferreira@example.com" in team
    else:
        assert "Last check-in 2027-01-10 by tomas.ferreira@example.com" in team


def test_a_check_in_with_errors_counts_as_align_counts_it(cli, copy_example, git_repo, tmp_path) -> None:
    """Discover's check-in of 2026-11-20 has a schema error: "last" said 14d (2026-11-13) while
    OKR501 counts that check-in. The notes shown stay those of the check-in before it."""
    root = copy_example("banco")
    checkin = root / "checkins" / "discover" / "2026-11-20.yaml"
    checkin.write_text(checkin.read_text(encoding="utf-8").replace("confidence: 8\n", "confidence: 8/10\n"), "utf-8")
    git_repo(root)
    for env in stores(tmp_path):
        overview = cli("status", "--repo", str(root), "--today", "2026-11-27", env=env)
        assert overview.exit_code == 0, overview.output
        [row] = [line for line in overview.stdout.splitlines() if line.startswith("Discover ")]
        assert row.endswith(" 7d"), overview.stdout
        result = cli(
            "status", "--repo", str(root), "--today", "2026-11-27", "--team", "discover", "-f", "json", env=env
        )
        [objective] = json.loads(result.stdout)["objectives"]
        assert (objective["last_checkin"], objective["days_since_checkin"]) == ("2026-11-20", 7)
        team = cli("status", "--repo", str(root), "--today", "2026-11-27", "--team", "discover", env=env).stdout
        assert "last check-in 7 days ago" in team
        # Not "Last check-in of 2026-Q4:", which says the team checked in since in another cycle.
        assert "\nLast check-in 2026-11-13 by ana.costa@example.com\n" in team
