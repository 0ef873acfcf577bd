"""The site's objective card gives the team's last check-in on or before --today, whatever its
cycle, as the team page's header and ``status`` do (docs/site.md). For an objective of a new cycle
with no check-in yet it said "Last check-in none", beside a header saying the team last checked
in 61 days ago."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import DEMO_DAY

TODAY = "2027-01-20"  # 2027-Q1 has begun; cards last checked in on DEMO_DAY, in 2026-Q4
CARD = re.compile(r"<small>Last check-in</small><b>([^<]*)</b>")


def _cards_in_a_new_cycle(copy_example, git_repo) -> Path:
    """banco, with an objective of cards for 2027-Q1 (no check-in yet in that quarter)."""
    root = copy_example("banco")
    old = (root / "okrs" / "2026-Q4" / "cards.yaml").read_text(encoding="utf-8")
    new = old.replace("cycle: 2026-Q4", "cycle: 2027-Q1").replace("id: first-card-moment", "id: card-q1")
    # The explicit alignment names an objective of 2026-Q4: left out (another finding).
    new = new.replace("aligns:\n  - {to: digital-first-week/nps, type: explicit}\n", "")
    (root / "okrs" / "2027-Q1").mkdir()
    (root / "okrs" / "2027-Q1" / "cards.yaml").write_text(new, encoding="utf-8")
    return git_repo(root)


def test_an_objective_of_a_new_cycle_gives_the_team_s_last_check_in_as_status_does(
    cli, copy_example, git_repo, tmp_path
) -> None:
    root = _cards_in_a_new_cycle(copy_example, git_repo)
    status = cli("status", "--repo", str(root), "--team", "cards", "--today", TODAY, "--format", "json")
    assert status.exit_code == 0, status.output
    [objective] = json.loads(status.stdout)["objectives"]
    assert (objective["id"], objective["last_checkin"]) == ("card-q1", DEMO_DAY)

    site = tmp_path / "site"
    result = cli("site", str(site), "--repo", str(root), "--today", TODAY, "--no-history")
    assert result.exit_code == 0, result.output
    page = (site / "objectives" / "card-q1.html").read_text(encoding="utf-8")
    assert CARD.findall(page) == [DEMO_DAY]
    team = (site / "teams" / "cards.html").read_text(encoding="utf-8")
    assert CARD.findall(team) == [DEMO_DAY]
    # The same day the team page's header gives.
    assert f"last check-in {DEMO_DAY}" in re.sub(r"<[^>]+>", "", team)
