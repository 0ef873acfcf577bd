"""`okrctl map`: who acknowledged a peer dependency, as `align` (OKR401) decides it, in every format."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import DEMO_DAY

YEARLY = """apiVersion: okrctl/v1
kind: Objective
id: identity-year
owner: identity-platform
cycle: "2026"
title: Identity platform yearly objective
aligns:
  - {to: digital-first-week}
supports: [discover-first-week]
key_results:
  - {id: a, title: a, unit: '%', baseline: 0, target: 10}
  - {id: b, title: b, unit: '%', baseline: 0, target: 10}
"""


def edit(root: Path, path: str, old: str, new: str) -> None:
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def flat(text: str) -> str:
    """The text map with its wrapping and tree guides taken out: the words as a reader reads them."""
    return " ".join(word for word in text.split() if word not in ("│", "└──", "├──"))


def dependency(cli, root: Path, need: str, *args: str) -> dict:
    data = json.loads(cli("map", "--repo", str(root), "--today", DEMO_DAY, "-f", "json", *args).stdout)
    [found] = [d for d in data["dependencies"] if d["need"] == need]
    return found


def budget_acknowledged_off_discovers_map(root: Path, git_repo: Callable[..., Path]) -> Path:
    """Discover needs a budget of Digital Services, whose resilient-digital-channels (not on
    Discover's map) lists discover-first-week under supports; committed."""
    edit(
        root,
        "okrs/2026-Q4/discover.yaml",
        "depends_on:\n",
        "depends_on:\n  - {unit: digital-services, need: Budget for the tutorial}\n",
    )
    edit(
        root,
        "okrs/2026-Q4/digital-services.yaml",
        "id: resilient-digital-channels\n",
        "id: resilient-digital-channels\nsupports: [discover-first-week]\n",
    )
    return git_repo(root)


def test_a_dependency_is_said_acknowledged_by_the_objective_that_lists_it_not_by_one_on_the_map(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """Discover needs a budget of Digital Services, whose resilient-digital-channels acknowledges it;
    the map of Discover showed digital-first-week (on the map as context, with no supports) as the
    one that acknowledged it, and drew the arrow to it."""
    root = budget_acknowledged_off_discovers_map(copy_example("banco"), git_repo)
    align = cli("align", "--repo", str(root), "--today", DEMO_DAY)
    assert "OKR401" not in align.stdout
    args = ("map", "--repo", str(root), "--today", DEMO_DAY, "--unit", "discover")
    text = flat(cli(*args).stdout)
    assert "⇢ needs from Digital Services: Budget for the tutorial acknowledged by resilient-digital-channels" in text
    assert "acknowledged by digital-first-week" not in text
    found = dependency(cli, root, "Budget for the tutorial", "--unit", "discover")
    assert (found["acknowledged"], found["acknowledged_by"], found["provider"]) == (
        True,
        "resilient-digital-channels",
        None,  # not on the map of Discover: no arrow to a box that is not there
    )
    # The drawings point the need at a box of the acknowledging objective, never at digital-first-week.
    mermaid = cli(*args, "-f", "mermaid").stdout
    assert '["Digital Services<br/>objective not on this map<br/>resilient-digital-channels"]' in mermaid
    [arrow] = [line for line in mermaid.splitlines() if "Budget for the tutorial" in line]
    box = next(line for line in mermaid.splitlines() if "resilient-digital-channels" in line).split("[")[0].strip()
    assert arrow.endswith(f"| {box}")
    dot = cli(*args, "-f", "dot").stdout
    assert '"discover-first-week" -> "resilient-digital-channels" [style=dashed' in dot
    assert '"discover-first-week" -> "digital-first-week" [style=dashed' not in dot
    # On the organisation's map the acknowledging objective is there: the arrow goes to it.
    assert dependency(cli, root, "Budget for the tutorial")["provider"] == "resilient-digital-channels"


def test_a_dependency_acknowledged_by_a_yearly_objective_is_acknowledged_on_a_quarters_map(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """Identity Platform acknowledges Discover's need in its objective of 2026, which overlaps
    2026-Q4: `align --cycle 2026-Q4` finds no OKR401, and the map of 2026-Q4 said "not acknowledged"."""
    root = copy_example("banco")
    edit(
        root,
        "okrs/2026-Q4/identity-platform.yaml",
        "supports: [discover-first-week, sme-open-in-app]",
        "supports: [sme-open-in-app]",
    )
    (root / "okrs/2026").mkdir()
    (root / "okrs/2026/identity-year.yaml").write_text(YEARLY, encoding="utf-8")
    git_repo(root)
    align = cli("align", "--repo", str(root), "--today", DEMO_DAY, "--cycle", "2026-Q4")
    assert "OKR401" not in align.stdout
    for cycle in (("--cycle", "2026-Q4"), ()):
        text = flat(cli("map", "--repo", str(root), "--today", DEMO_DAY, *cycle).stdout)
        assert "KYC answer under 2 s (for onboarding-completion) acknowledged by identity-year" in text, cycle
        assert "not acknowledged" not in text, cycle
        found = dependency(cli, root, "KYC answer under 2 s", *cycle)
        assert (found["acknowledged"], found["acknowledged_by"]) == (True, "identity-year"), cycle
        mermaid = cli("map", "--repo", str(root), "--today", DEMO_DAY, "-f", "mermaid", *cycle).stdout
        assert '-.->|"needs: KYC answer under 2 s"|' in mermaid, cycle
        # identity-fast-kyc, on the map, no longer supports it: the need is never drawn to it.
        dot = cli("map", "--repo", str(root), "--today", DEMO_DAY, "-f", "dot", *cycle).stdout
        assert '"discover-first-week" -> "identity-year" [style=dashed' in dot, cycle
        assert '"discover-first-week" -> "identity-fast-kyc" [style=dashed' not in dot, cycle


LOOP = """apiVersion: okrctl/v1
kind: Objective
id: loop-a
owner: cards
cycle: 2026-Q4
title: Loop A
aligns: [{to: loop-b}]
depends_on: [{unit: core-platform, need: Loop A needs core}]
key_results:
  - {id: k, title: k, unit: '%', baseline: 0, target: 10}
  - {id: k2, title: k2, unit: '%', baseline: 0, target: 10}
---
apiVersion: okrctl/v1
kind: Objective
id: loop-b
owner: core-platform
cycle: 2026-Q4
title: Loop B
aligns: [{to: loop-a}]
key_results:
  - {id: k, title: k, unit: '%', baseline: 0, target: 10}
  - {id: k2, title: k2, unit: '%', baseline: 0, target: 10}
"""


def test_the_dependencies_of_objectives_in_an_alignment_loop_are_in_the_text_map(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path]
) -> None:
    """JSON and Mermaid had loop-a's need of Core Platform; the text map's loop section left it out."""
    root = copy_example("banco")
    (root / "okrs/2026-Q4/loop.yaml").write_text(LOOP, encoding="utf-8")
    git_repo(root)
    text = cli("map", "--repo", str(root), "--today", DEMO_DAY).stdout
    loops = text[text.index("In an alignment loop (see OKR206)") :]
    assert "⇢ needs from Core Platform: Loop A needs core  not acknowledged" in loops
    assert loops.splitlines()[1:5] == [
        "  ● off track  Cards · loop-a · confidence 6/10",
        "  Loop A",
        "  └── ⇢ needs from Core Platform: Loop A needs core  not acknowledged",
        "  ● off track  Core Platform · loop-b · confidence 8/10",
    ]
    assert dependency(cli, root, "Loop A needs core")["objective"] == "loop-a"


def test_the_site_and_the_html_report_name_the_objective_that_acknowledged_a_need(
    cli, copy_example: Callable[[str], Path], git_repo: Callable[..., Path], tmp_path: Path
) -> None:
    """The site's map page lists every need in words: it said "acknowledged · no objective on this
    map" of a need the providing unit's other objective acknowledged; it names that objective now,
    linked to its page, as the text map does; the HTML report's list names it too."""
    root = budget_acknowledged_off_discovers_map(copy_example("banco"), git_repo)
    site = cli("site", str(tmp_path / "site"), "--repo", str(root), "--today", DEMO_DAY)
    assert site.exit_code == 0, site.stderr
    page = (tmp_path / "site" / "map.html").read_text(encoding="utf-8")
    [item] = [line for line in page.split("<li>")[1:] if "Budget for the tutorial" in line]
    assert 'acknowledged by <a href="objectives/resilient-digital-channels.html">' in item
    assert "no objective on this map" not in item
    report = cli("report", "--repo", str(root), "--today", DEMO_DAY, "--unit", "discover", "-f", "html")
    assert report.exit_code == 0, report.stderr
    [item] = [line for line in report.stdout.split("<li>")[1:] if "Budget for the tutorial" in line]
    assert "acknowledged by <code>resilient-digital-channels</code>" in item
