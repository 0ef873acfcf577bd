"""The fleet: the units a team depends on and those depending on it, in status and in align (OKR404)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.golden import assert_golden

FRIDAY = "2026-11-27"
FALL = """\
apiVersion: okrctl/v1
kind: CheckIn
owner: identity-platform
date: 2026-11-27
author: lena.weber@example.com
confidence: 2
results: {kyc-answer-time: 3.9}
issues:
  - The KYC vendor is moving data centres
  - Multi-director KYC needs a new data source from the business registry
"""


@pytest.fixture
def fallen(copy_example) -> Path:
    """Banco a week later: Identity Platform, which Discover depends on, fell from 8 to 2."""
    root = copy_example("banco")
    (root / "checkins/identity-platform/2026-11-27.yaml").write_text(FALL, encoding="utf-8")
    return root


def _fleet_section(text: str) -> str:
    return text[text.index("Fleet · ") :]


def test_status_team_shows_the_provider_falling(cli, fallen) -> None:
    result = cli("status", "--repo", str(fallen), "--today", FRIDAY, "--team", "discover", env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    assert_golden("fleet-discover-identity-fell.txt", _fleet_section(result.stdout))


def test_status_team_shows_who_depends_on_the_team(cli, fallen) -> None:
    result = cli("status", "--repo", str(fallen), "--today", FRIDAY, "--team", "identity-platform")
    section = _fleet_section(result.stdout)
    assert "needed by Discover (discover) — discover-first-week: KYC answer under 2 s" in section
    assert "needed by Small Business App (small-business-app)" in section
    assert "sme-open-in-app ✖ off-track" in section


def test_status_json_carries_the_fleet(cli, fallen) -> None:
    result = cli("status", "--repo", str(fallen), "--today", FRIDAY, "--team", "discover", "-f", "json")
    fleet = json.loads(result.stdout)["fleet"]
    assert fleet["depended_on_by"] == []
    [provider] = fleet["depends_on"]
    assert provider["unit"] == "identity-platform" and provider["status"] == "off-track"
    [objective] = provider["objectives"]
    assert objective["confidence_drop_this_week"] == {"before": 8, "after": 2}
    assert objective["at_risk"] == "off-track, its confidence fell 8 → 2 of 10 on 2026-11-27"
    assert provider["issues"][0] == "The KYC vendor is moving data centres"


def test_align_puts_okr404_on_the_depends_on_entries(cli, fallen) -> None:
    result = cli("align", "--repo", str(fallen), "--today", FRIDAY, "--format", "json", "--select", "OKR404")
    found = json.loads(result.stdout)["findings"]
    assert [(f["path"], f["line"]) for f in found] == [
        ("okrs/2026-Q4/discover.yaml", 20),
        ("okrs/2026-Q4/small-business-app.yaml", 15),
    ]
    assert "whose objective 'identity-fast-kyc' is off-track" in found[0]["message"]


def test_the_bundled_examples_have_no_dependency_at_risk(cli) -> None:
    from tests.conftest import EXAMPLES

    result = cli("align", "--repo", str(EXAMPLES / "banco"), "--today", "2026-11-20", "--select", "OKR404")
    assert result.exit_code == 0 and result.stdout == ""


def test_a_provider_that_only_lost_confidence_reads_as_at_risk(cli, copy_example) -> None:
    """Not off-track, but its confidence fell by 3: OKR404 and the digest say it is at risk, in a
    sentence that reads (the reason alone after "is" did not)."""
    root = copy_example("banco")
    on_track = FALL.replace("confidence: 2", "confidence: 5").replace("kyc-answer-time: 3.9", "kyc-answer-time: 2.6")
    (root / "checkins/identity-platform/2026-11-27.yaml").write_text(on_track, encoding="utf-8")
    result = cli("align", "--repo", str(root), "--today", FRIDAY, "--format", "json", "--select", "OKR404")
    messages = [f["message"] for f in json.loads(result.stdout)["findings"]]
    assert messages and all(
        m.endswith("whose objective 'identity-fast-kyc' is at risk: its confidence fell 8 → 5 of 10 on 2026-11-27")
        for m in messages
    ), messages
    digest = cli("digest", "--repo", str(root), "--today", FRIDAY)
    assert digest.exit_code == 0, digest.output
    assert "identity-fast-kyc is at risk: its confidence fell 8 → 5 of 10 on 2026-11-27" in digest.stdout
    data = json.loads(cli("digest", "--repo", str(root), "--today", FRIDAY, "--format", "json").stdout)
    assert {d["risk"] for d in data["dependencies_at_risk"]} == {"its confidence fell 8 → 5 of 10 on 2026-11-27"}


@pytest.mark.parametrize("columns", ["40", "100"])
def test_what_a_unit_needs_is_shown_whole_at_any_width(cli, columns: str) -> None:
    """ "What is needed" is the point of the fleet section: a need longer than the line is wrapped
    under the unit, not cut ("KYC for companies with more …" at 100 columns, nothing at 40)."""
    from tests.conftest import DEMO_DAY, EXAMPLES

    shown = cli(
        "status",
        "--repo",
        str(EXAMPLES / "banco"),
        "--team",
        "identity-platform",
        "--today",
        DEMO_DAY,
        env={"COLUMNS": columns},
    ).stdout
    fleet = " ".join(shown.partition("Fleet")[2].split())
    assert "sme-open-in-app: KYC for companies with more than one director" in fleet
    assert "discover-first-week: KYC answer under 2 s" in fleet
    assert all(len(line) <= int(columns) for line in shown.splitlines())


NEED = "KYC answer under 2 s so kr-platform-latency-2 holds; notes at https://tracker.example/IDP-123/kyc-latency-investigation-notes"
ISSUE = "The KYC vendor is moving data centres, which holds kr-platform-latency-2 back"


@pytest.mark.parametrize("columns", ["21", "40", "120"])
def test_ids_stay_whole_and_nothing_of_a_need_or_an_issue_is_lost(cli, fallen, columns: str) -> None:
    """The need, the at-risk line and the issues are wrapped at spaces: an id such as
    kr-platform-latency-2 was once broken at its hyphens ("kr-" / "platform-latency-2"), and a word
    wider than the line (a link) was cut at the edge. Ids stay whole where they fit on a line, a
    longer word goes on over the next lines, and every character is shown."""
    discover = fallen / "okrs/2026-Q4/discover.yaml"
    text = discover.read_text(encoding="utf-8")
    discover.write_text(text.replace("need: KYC answer under 2 s,", f"need: '{NEED}',"), encoding="utf-8")
    checkin = fallen / "checkins/identity-platform/2026-11-27.yaml"
    head = checkin.read_text(encoding="utf-8").split("issues:")[0]
    checkin.write_text(f"{head}issues:\n  - {ISSUE}\n", encoding="utf-8")
    result = cli("status", "--repo", str(fallen), "--today", FRIDAY, "--team", "discover", env={"COLUMNS": columns})
    assert result.exit_code == 0, result.output
    lines = _fleet_section(result.stdout).splitlines()
    width = int(columns)
    assert all(len(line) <= width for line in lines), lines
    joined = "".join("".join(lines).split())
    for said in (NEED, "at risk: off-track, its confidence fell 8 → 2 of 10 on 2026-11-27"):
        assert "".join(said.split()) in joined, (said, lines)
    # An issue shows three lines at most: cut, it says so.
    if width == 21:
        issue = lines[[line.strip() for line in lines].index("- The KYC") :]
        assert len(issue) == 3 and issue[-1].endswith("…"), issue
    else:
        assert "".join(ISSUE.split()) in joined, lines
    if width - 8 >= len("kr-platform-latency-2"):
        assert sum("kr-platform-latency-2" in line for line in lines) == 2, lines
    link = NEED.split()[-1]
    assert any(link in line for line in lines) == (width - 6 >= len(link)), lines
    assert not any(line.endswith(("kr-", "off-")) for line in lines), lines


def test_a_word_wider_than_the_line_goes_on_over_the_next_lines() -> None:
    from okrctl.render.widgets import wrap_words

    assert wrap_words("see kr-platform-latency-2 now", 12) == ["see", "kr-platform-", "latency-2", "now"]
    assert wrap_words("a 東京東京東京 b", 4) == ["a", "東京", "東京", "東京", "b"]
    assert wrap_words("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap_words("", 10) == [""]
