"""A scripted series of OKR changes on a copy of examples/banco, one commit each (for diff tests)."""

from __future__ import annotations

from pathlib import Path

from tests.helpers_git import commit_at, edit

TODAY = "2026-12-04"  # the series is reviewed a week after its last check-in

CHECKIN = """apiVersion: okrctl/v1
kind: CheckIn
owner: discover
date: {day}
author: rui.almeida@example.com
confidence: {confidence}
results:
  onboarding-completion: {completion}
  tutorial-engagement: {tutorial}
  setup-tickets: {tickets}
issues: [Spanish tutorial copy still in review]
plan: [Ship the Spanish tutorial]
"""


def build_series(folder: Path) -> list[str]:
    """Commit the changes one by one on the git repository ``folder``; returns the commits, oldest first."""
    okrs = folder / "okrs/2026-Q4"
    commits = [commit_at(folder, "2026-11-20", "banco as it was")]
    edit(okrs / "discover.yaml", r"baseline: 65\n    target: 90", "baseline: 65\n    target: 80")
    commits.append(commit_at(folder, "2026-11-23", "discover: lower the onboarding target"))
    edit(okrs / "discover.yaml", r"target: 280", "target: 320")
    edit(
        okrs / "discover.yaml",
        r"^key_results:",
        "rescoped:\n  - {date: 2026-11-30, note: Ticket target eased after the support-tool migration}\nkey_results:",
    )
    commits.append(commit_at(folder, "2026-11-30", "discover: ease the ticket target, rescoped"))
    edit(
        okrs / "digital-services.yaml",
        r"title: First-week NPS rises from 20 to 35\n(.*\n){3}    target: 35",
        "title: First-week NPS rises from 20 to 40\n    metric: first-week-nps\n    unit: points\n"
        "    baseline: 20\n    target: 40",
    )
    commits.append(commit_at(folder, "2026-12-01", "digital-services: a bolder NPS target"))
    edit(
        okrs / "cards.yaml",
        r"\{to: digital-first-week/nps, type: explicit\}",
        "{to: digital-first-week/nps, type: directional}",
    )
    commits.append(commit_at(folder, "2026-12-01", "cards: guided by the NPS key result, no longer adopting it"))
    edit(okrs / "discover.yaml", r"^depends_on:\n  - \{unit: identity-platform[^\n]*\n", "")
    commits.append(commit_at(folder, "2026-12-01", "discover: no longer waits for identity-platform"))
    edit(okrs / "banco.yaml", r"^aligns:\n  - \{to: strategy-2026/small-business, type: directional\}\n", "")
    commits.append(commit_at(folder, "2026-12-02", "banco: the SME objective no longer serves the strategy"))
    edit(okrs / "identity-platform.yaml", r"^title: .*$", "title: Identity checks nobody notices")
    commits.append(commit_at(folder, "2026-12-02", "identity-platform: shorter title"))
    checkins = folder / "checkins/discover"
    (checkins / "2026-11-27.yaml").write_text(
        CHECKIN.format(day="2026-11-27", confidence=6, completion=79.5, tutorial=37, tickets=330), encoding="utf-8"
    )
    (checkins / "2026-12-04.yaml").write_text(
        CHECKIN.format(day="2026-12-04", confidence=5, completion=80, tutorial=39, tickets=326), encoding="utf-8"
    )
    commits.append(commit_at(folder, "2026-12-04", "checkin(discover): two weeks"))
    return commits
