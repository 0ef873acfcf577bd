"""The site once a cycle has ended: every objective's card gives its score with its band, as the index,
`report`, `status` and `retro` do."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import DEMO_DAY

ENDED = "2027-01-05"
SCORE = re.compile(r"<small>Score</small><b>([^<]*)</b>")


def _banco_with_an_end_retro(copy_example) -> Path:
    root = copy_example("banco")
    (root / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-31\n"
        "scores:\n  setup-tickets: {score: 0.9, reason: new funnel}\n",
        encoding="utf-8",
    )
    return root


def _site(cli, root: Path, outdir: Path, today: str) -> Path:
    result = cli("site", str(outdir), "--repo", str(root), "--cycle", "2026-Q4", "--today", today, "--no-history")
    assert result.exit_code == 0, result.output
    return outdir


def _index_scores(index: str) -> dict[str, str]:
    """Each objective card of the index: its id → the score it shows."""
    cards = re.findall(r'<section class="card objective [^"]*" id="objective-([^"]+)">(.*?)</section>', index, re.S)
    return {objective: m.group(1) for objective, card in cards if (m := SCORE.search(card))}


def test_an_ended_cycles_objective_and_team_pages_give_the_objective_s_score(cli, copy_example, tmp_path) -> None:
    """After the cycle, an objective's page and its team's page gave each key result's score and never
    the objective's, which the index, `report` and `status` give: each card now says it, the same
    number and band as the index; before the cycle ends there is none to give."""
    root = _banco_with_an_end_retro(copy_example)
    site = _site(cli, root, tmp_path / "ended", ENDED)

    index = _index_scores((site / "index.html").read_text(encoding="utf-8"))
    assert index, "the index shows no objective's score"
    for objective, shown in index.items():
        page = (site / "objectives" / f"{objective}.html").read_text(encoding="utf-8")
        assert SCORE.findall(page) == [shown], objective

    # A team's objective, which the index does not show: its page and its team's page give the
    # score `report` gives, the end retro's override of a key result included.
    args = ("report", "--repo", str(root), "--unit", "discover", "--cycle", "2026-Q4", "--no-history")
    [objective] = json.loads(cli(*args, "--today", ENDED, "--format", "json").stdout)["objectives"]
    said = f"{objective['score']:.2f} ({objective['score_band']})"
    assert said == "0.68 (yellow)"
    page = (site / "objectives" / "discover-first-week.html").read_text(encoding="utf-8")
    assert SCORE.findall(page) == [said]
    team = (site / "teams" / "discover.html").read_text(encoding="utf-8")
    assert SCORE.findall(team) == [said]

    running = _site(cli, root, tmp_path / "running", DEMO_DAY)
    for path in [*running.glob("objectives/*.html"), *running.glob("teams/*.html")]:
        assert "<small>Score</small>" not in path.read_text(encoding="utf-8"), path.name


def test_the_team_page_gives_each_score_override_of_the_end_retro_with_its_reason(
    cli, copy_example, git_repo, tmp_path
) -> None:
    """The retrospective on a team's page listed the end retro's overrides as bare numbers
    ("onboarding-completion 0.9"), while `retro` says why each was set by hand: each now gives its
    reason beside it; a score written as a bare number has none to give."""
    root = copy_example("banco")
    (root / "retros" / "2026-Q4" / "discover-end.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: 2026-Q4\nstage: end\ndate: 2026-12-30\n"
        "scores:\n"
        "  onboarding-completion: {score: 0.9, reason: Completion measured on the new funnel}\n"
        "  setup-tickets: 0.1\n",
        encoding="utf-8",
    )
    git_repo(root)
    site = _site(cli, root, tmp_path / "ended", ENDED)

    team = (site / "teams" / "discover.html").read_text(encoding="utf-8")
    retros = re.search(r'<section class="card" id="retros">(.*?)</section>', team, re.S)
    assert retros is not None
    scores = re.search(r"<p><b>Scores</b></p><ul[^>]*>(.*?)</ul>", retros.group(1), re.S)
    assert scores is not None
    said = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li>(.*?)</li>", scores.group(1))]
    assert said == ["onboarding-completion 0.9 — Completion measured on the new funnel", "setup-tickets 0.1"]

    retro = cli("retro", "--repo", str(root), "--team", "discover", "--cycle", "2026-Q4", "--today", ENDED)
    assert "set in the end retro: Completion measured on the new funnel" in retro.stdout, retro.output
