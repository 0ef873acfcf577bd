"""``okrctl diff`` on a goalpost set where the base held none (a ``min`` added beside a ``max``): as
OKR601 judges it, that moves no goalpost, so the line is kept but asks for no rescoped entry
(docs/diff.md), where ``history`` and ``align --baseline`` report nothing either.

Each test commits a copy of examples/banco on 2026-11-01 and the change on 2026-11-20, after the
2026-Q4 cycle started, with no rescoped entry. A value set, taken out and set again is a move for
OKR601: the tests at the end check diff's words against align's OKR601, in the working tree and
once committed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, git
from tests.helpers_align import TODAY
from tests.helpers_git import commit_at, edit

IDENTITY = "okrs/2026-Q4/identity-platform.yaml"
FRAUD = "identity-fast-kyc/fraud-rate"  # a maintain key result with only ``max: 0.1``


@pytest.fixture
def banco(copy_example: Callable[[str], Path]) -> Path:
    root = copy_example("banco")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    commit_at(root, "2026-11-01", "banco")
    return root


def _diff(cli: Cli, root: Path, *args: str) -> str:
    result = cli("diff", "HEAD~1", "HEAD", "--repo", str(root), "--today", TODAY, *args)
    assert result.exit_code == 0, result.output
    out: str = result.stdout
    return out


def _goalposts(cli: Cli, root: Path) -> list[dict[str, Any]]:
    return [c for c in json.loads(_diff(cli, root, "--format", "json"))["changes"] if c["section"] == "goalposts"]


def test_a_min_set_beside_a_max_moves_no_goalpost(cli: Cli, banco: Path) -> None:
    edit(banco / IDENTITY, r"^    max: 0\.1$", "    min: 0\n    max: 0.1")
    commit_at(banco, "2026-11-20", "identity-platform: a floor for the fraud rate")
    text = _diff(cli, banco)
    assert (
        f"  • {FRAUD} min (none) → 0%\n"
        "      cycle 2026-Q4 started 2026-10-01; set where there was none: no goalpost moved (as OKR601 judges it)\n"
    ) in text
    assert "no rescoped entry covers" not in text
    markdown = _diff(cli, banco, "--format", "markdown")
    assert "set where there was none: no goalpost moved (as OKR601 judges it)" in markdown
    assert "no rescoped entry covers" not in markdown
    [line] = _goalposts(cli, banco)
    assert (line["subject"], line["kind"], line["old"], line["new"]) == (FRAUD, "min", None, 0)
    assert line["set_where_none"] is True and line["rescoped"] is None and line["cycle_started"] is True
    # OKR601 and history agree: nothing moved.
    history = cli("history", "--repo", str(banco), "--today", TODAY, "--format", "json")
    assert history.exit_code == 0, history.output
    assert json.loads(history.stdout)["changes"] == []


def test_a_goalpost_moved_or_taken_away_still_needs_a_rescoped_entry(cli: Cli, banco: Path) -> None:
    edit(banco / IDENTITY, r"^    max: 0\.1$", "    min: 0")
    commit_at(banco, "2026-11-20", "identity-platform: a floor instead of a ceiling")
    lines = {line["kind"]: line for line in _goalposts(cli, banco)}
    assert lines["max"]["old"] == 0.1 and lines["max"]["new"] is None
    assert "set_where_none" not in lines["max"]
    assert lines["min"]["set_where_none"] is True
    text = _diff(cli, banco)
    assert f"  • {FRAUD} max 0.1% → (none)\n      cycle 2026-Q4 started 2026-10-01; no rescoped entry covers" in text


# ----- set, taken out and set again: a move, as OKR601 judges it --------------------------------------
DIGITAL = "okrs/2026-Q4/digital-services.yaml"
AVAILABILITY = "resilient-digital-channels/app-availability"  # a maintain key result: ``min: 99.9``, ``max: 100``


def _set_min(root: Path, value: str) -> None:
    edit(root / DIGITAL, r"^    max: 100$", f"    min: {value}\n    max: 100")


def _okr601(cli: Cli, root: Path) -> list[str]:
    """align's OKR601 lines (as of TODAY, 2026-11-20)."""
    result = cli("align", "--repo", str(root), "--today", TODAY, "--select", "OKR601")
    assert result.exit_code in (0, 1), result.output
    return [line for line in result.stdout.splitlines() if "OKR601" in line]


@pytest.fixture
def unset_min(copy_example: Callable[[str], Path]) -> Path:
    """banco with app-availability's ``min`` taken out, committed before 2026-Q4 started (A)."""
    root = copy_example("banco")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "commit.gpgsign", "false")
    edit(root / DIGITAL, r"^    min: 99\.9\n", "")
    commit_at(root, "2026-09-20", "A: no min")
    return root


def test_a_min_set_taken_out_and_set_again_is_a_move_in_diff_as_in_okr601(cli: Cli, unset_min: Path) -> None:
    root = unset_min
    _set_min(root, "99")
    commit_at(root, "2026-11-02", "B: min 99")
    edit(root / DIGITAL, r"^    min: 99\n", "")
    commit_at(root, "2026-11-09", "C: min taken out")
    _set_min(root, "98")  # the working tree: set again, lower
    asked = "cycle 2026-Q4 started 2026-10-01; no rescoped entry covers this change"
    working = cli("diff", "--repo", str(root), "--today", TODAY)
    assert working.exit_code == 0, working.output
    assert f"  • {AVAILABILITY} min (none) → 98%\n      {asked}\n" in working.stdout
    assert "no goalpost moved" not in working.stdout
    as_json = cli("diff", "--repo", str(root), "--today", TODAY, "--format", "json")
    [line] = [c for c in json.loads(as_json.stdout)["changes"] if c["section"] == "goalposts"]
    assert "set_where_none" not in line and line["cycle_started"] is True
    # Committed, OKR601 flags it; so does diff of that commit, as the working tree's diff did.
    commit_at(root, "2026-11-20", "D: min 98")
    assert any(
        "min of 'app-availability' changed (none) → 98 on 2026-11-20 after 2026-Q4 started" in line
        for line in _okr601(cli, root)
    )
    committed = _diff(cli, root)
    assert f"  • {AVAILABILITY} min (none) → 98%\n      {asked}\n" in committed
    assert "no goalpost moved" not in committed


def test_a_min_never_set_before_moves_no_goalpost_in_the_working_tree_as_in_okr601(cli: Cli, unset_min: Path) -> None:
    root = unset_min
    _set_min(root, "98")  # never set since the history began
    working = cli("diff", "--repo", str(root), "--today", TODAY)
    assert working.exit_code == 0, working.output
    assert (
        f"  • {AVAILABILITY} min (none) → 98%\n"
        "      cycle 2026-Q4 started 2026-10-01; set where there was none: no goalpost moved (as OKR601 judges it)\n"
    ) in working.stdout
    commit_at(root, "2026-11-20", "min 98")
    assert _okr601(cli, root) == []
    assert "set where there was none: no goalpost moved" in _diff(cli, root)
