"""One mistake in a unit's ``parent`` is one finding, on the unit (docs/rules.md, "One finding per cause").

A unit whose chain of parents does not reach the root unit — a second unit without a parent, or
parents in a loop (OKR106) — has unknown ancestors, as one whose parent is unknown does: its
objectives, and those of the units below it, get no OKR205 that fixing the ``parent`` would take away.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import DEMO_DAY


def _findings(cli, root: Path) -> list[tuple[str, str, str]]:
    result = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--format", "json")
    assert result.exit_code == 1, result.output
    return [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def _edit(file: Path, old: str, new: str) -> None:
    text = file.read_text(encoding="utf-8")
    assert old in text
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_second_unit_without_a_parent_is_one_okr106(cli, copy_example: Callable[[str], Path]) -> None:
    root = copy_example("banco")
    _edit(root / "units/discover.yaml", "parent: digital-services\n", "")

    findings = _findings(cli, root)

    assert [(code, path) for code, path, _ in findings] == [("OKR106", "units/discover.yaml")]
    assert "more than one root unit" in findings[0][2]


def test_a_unit_that_is_its_own_parent_is_one_okr106(cli, copy_example: Callable[[str], Path]) -> None:
    root = copy_example("banco")
    _edit(root / "units/discover.yaml", "parent: digital-services\n", "parent: discover\n")

    findings = _findings(cli, root)

    assert [(code, path) for code, path, _ in findings] == [("OKR106", "units/discover.yaml")]
    assert "the unit tree has a loop: discover → discover" in findings[0][2]


def test_the_units_below_a_cut_off_unit_get_no_okr205_either(cli, copy_example: Callable[[str], Path]) -> None:
    root = copy_example("banco")
    # Discover, below Digital services, also serves a priority of the company's strategy: an
    # ancestor's, as long as Digital services hangs under the company.
    _edit(
        root / "okrs/2026-Q4/discover.yaml",
        "  - {to: digital-first-week, type: directional}\n",
        "  - {to: digital-first-week, type: directional}\n"
        "  - {to: strategy-2026/simplify-onboarding, type: directional}\n",
    )
    assert cli("align", "--repo", str(root), "--today", DEMO_DAY).exit_code == 0
    _edit(root / "units/digital-services.yaml", "parent: banco\n", "")

    findings = _findings(cli, root)

    # Digital services' own links to the company's objectives and strategy, and Discover's, wait
    # for its parent: one OKR106 on the unit.
    assert [(code, path) for code, path, _ in findings] == [("OKR106", "units/digital-services.yaml")]


def test_a_real_okr205_still_fires_beside_the_okr106(cli, copy_example: Callable[[str], Path]) -> None:
    root = copy_example("banco")
    _edit(root / "units/discover.yaml", "parent: digital-services\n", "")
    # Cards, whose place in the tree is known, aligns to Discover: a peer wherever Discover goes.
    _edit(
        root / "okrs/2026-Q4/cards.yaml",
        "  - {to: digital-first-week/nps, type: explicit}\n",
        "  - {to: digital-first-week/nps, type: explicit}\n  - {to: discover-first-week, type: directional}\n",
    )

    findings = _findings(cli, root)

    assert sorted((code, path) for code, path, _ in findings) == [
        ("OKR106", "units/discover.yaml"),
        ("OKR205", "okrs/2026-Q4/cards.yaml"),
    ]
    okr205 = next(message for code, _, message in findings if code == "OKR205")
    assert "aligns to objective 'discover-first-week' of 'discover'" in okr205


def test_a_team_without_a_parent_that_sorts_first_is_the_extra_root(cli, copy_example: Callable[[str], Path]) -> None:
    root = copy_example("banco")
    # "analytics" sorts before "banco": the extra root is still the team that has no parent, not the
    # company, and the company's tree keeps its rules (a real OKR205 below it still fires).
    (root / "units/analytics.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: analytics\nname: Analytics\ntype: team\n"
        "members: [ana.costa@example.com]\n",
        encoding="utf-8",
    )
    _edit(root / "okrs/2026-Q4/cards.yaml", "- {to: ", "- {to: discover-first-week, type: directional}\n  - {to: ")

    findings = _findings(cli, root)

    assert [(code, path) for code, path, _ in findings] == [
        ("OKR205", "okrs/2026-Q4/cards.yaml"),
        ("OKR106", "units/analytics.yaml"),
    ]
    assert "more than one root unit (analytics, banco): 'analytics' has no parent" in findings[1][2]
    status = cli("status", "--repo", str(root), "--today", DEMO_DAY, "--format", "json")
    assert status.exit_code == 0, status.output
