"""Build a synthetic organisation: N teams under business units, a year of weekly check-ins."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

QUARTERS = [
    ("2026-Q1", date(2026, 1, 1)),
    ("2026-Q2", date(2026, 4, 1)),
    ("2026-Q3", date(2026, 7, 1)),
    ("2026-Q4", date(2026, 10, 1)),
]


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def build(root: Path, teams: int = 1000, units_per_bu: int = 50, weeks: int = 52, seed: int = 7) -> int:
    """Write the organisation under ``root``; returns the number of files written."""
    rng = random.Random(seed)
    count = 0
    _write(root / "okrctl.yaml", "apiVersion: okrctl/v1\nkind: Config\norganization: Synthetic Corp\n")
    _write(
        root / "units" / "corp.yaml",
        "apiVersion: okrctl/v1\nkind: Unit\nid: corp\nname: Synthetic Corp\ntype: company\n",
    )
    _write(
        root / "strategy" / "2026.yaml",
        "apiVersion: okrctl/v1\nkind: Strategy\nid: strategy-2026\nowner: corp\ncycle: 2026\n"
        "priorities:\n  - {id: grow, title: Grow revenue}\n  - {id: delight, title: Delight customers}\n",
    )
    count += 3
    bus = max(1, teams // units_per_bu)
    for b in range(bus):
        bu = f"bu-{b:03d}"
        _write(
            root / "units" / f"{bu}.yaml",
            f"apiVersion: okrctl/v1\nkind: Unit\nid: {bu}\nname: Business unit {b}\ntype: business-unit\nparent: corp\n",
        )
        count += 1
        for cycle, _ in QUARTERS:
            _write(
                root / "okrs" / cycle / f"{bu}.yaml",
                f"apiVersion: okrctl/v1\nkind: Objective\nid: {bu}-{cycle.lower()}\nowner: {bu}\ncycle: {cycle}\n"
                f"title: Business unit {b} grows in {cycle}\naligns: [{{to: strategy-2026/{'grow' if b % 2 else 'delight'}}}]\n"
                "key_results:\n  - {id: revenue, title: Revenue rises from 100 to 130, baseline: 100, target: 130}\n"
                "  - {id: nps, title: NPS rises from 20 to 35, baseline: 20, target: 35}\n",
            )
            count += 1
    for t in range(teams):
        team = f"team-{t:04d}"
        bu = f"bu-{t % bus:03d}"
        _write(
            root / "units" / f"{team}.yaml",
            f"apiVersion: okrctl/v1\nkind: Unit\nid: {team}\nname: Team {t}\nparent: {bu}\nmembers: [{team}@example.com]\n",
        )
        count += 1
        for cycle, _start in QUARTERS:
            oid = f"{team}-{cycle.lower()}"
            _write(
                root / "okrs" / cycle / f"{team}.yaml",
                f"# Team {t}, {cycle}\napiVersion: okrctl/v1\nkind: Objective\nid: {oid}\nowner: {team}\ncycle: {cycle}\n"
                f"title: Team {t} makes customers succeed in {cycle}\naligns: [{{to: {bu}-{cycle.lower()}}}]\n"
                "key_results:\n"
                "  - id: activation\n    title: Activation rises from 40% to 60%\n    unit: '%'\n    baseline: 40\n    target: 60\n"
                "  - id: tickets\n    title: Support tickets fall from 200 to 150 a week\n    baseline: 200\n    target: 150\n"
                "  - {id: uptime, type: maintain, title: Keep availability above 99.9%, min: 99.9}\n",
            )
            count += 1
        day = date(2026, 1, 2)
        confidence = 7
        for w in range(weeks):
            quarter_start = max(s for _, s in QUARTERS if s <= day)
            progress = min(1.0, (day - quarter_start).days / 91 * rng.uniform(0.6, 1.2))
            confidence = max(3, min(9, confidence + rng.choice((-1, 0, 0, 1))))
            _write(
                root / "checkins" / team / f"{day.isoformat()}.yaml",
                f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: {team}\ndate: {day.isoformat()}\nauthor: {team}@example.com\n"
                f"confidence: {confidence}\nresults:\n  activation: {40 + 20 * progress:.1f}\n  tickets: {200 - 50 * progress:.0f}\n"
                f"  uptime: {rng.choice((99.95, 99.92, 99.97))}\nissues: [Waiting on data platform access {w % 3}]\nplan: [Ship the next experiment]\n",
            )
            count += 1
            day += timedelta(days=7)
    return count


# An objective with a finding (it aligns to nothing that exists), for runs that flip a file between
# it and the same text moved three lines down (the stress script and its regression test).
FLIPPING_OBJECTIVE = """apiVersion: okrctl/v1
kind: Objective
id: extra-objective
owner: marketing
cycle: 2026-Q4
title: Extra objective
aligns:
  - {to: no-such-thing}
key_results:
  - {id: a, title: A rises, baseline: 1, target: 2}
  - {id: b, title: B rises, baseline: 1, target: 2}
"""
