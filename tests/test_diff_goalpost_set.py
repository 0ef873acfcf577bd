"""``okrctl diff`` on a goalpost set where the base held none (a ``min`` added beside a ``max``): as
OKR601 judges it, that moves no goalpost, so the line is kept but asks for no rescoped entry
(docs/diff.md), where ``history`` and ``align --baseline`` report nothing either.

Each test commits a copy of examples/banco on 2026-11-01 and the change on 2026-11-20, after the
2026-Q4 cycle started, with no rescoped entry.
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
