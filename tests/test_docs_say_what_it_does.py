"""What the docs and `okrctl rules` say about OKR502, OKR501 and an empty okrctl.yaml is what okrctl does.

Each test checks the behaviour and the sentence that describes it, so that neither drifts alone.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

from tests.conftest import DEMO_DAY, ROOT

DOCS = ROOT / "docs"


def _section(doc: str, heading: str) -> str:
    """The text under ``heading`` up to the next heading, its whitespace folded (sentences wrap)."""
    text = (DOCS / doc).read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    end = re.compile(r"\n#+ ").search(text, start + len(heading) + 2)
    return " ".join(text[start : end.start() if end else None].split())


def _codes(cli, root: Path, today: str, *args: str) -> list[tuple[str, str, str]]:
    result = cli("align", "--repo", str(root), "--today", today, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]


def test_okr502_is_explained_as_it_fires_after_tomorrow(cli, copy_example: Callable[[str], Path]) -> None:
    catalogue = " ".join(cli("rules").stdout.split())
    assert "OKR502 error cadence check-in, reading or retro dated after tomorrow, or outside every cycle" in catalogue
    explained = " ".join(cli("rules", "OKR502").stdout.split())
    assert "is dated after tomorrow" in explained and "One dated tomorrow is spared" in explained
    assert "in the future" not in explained.split("Bad")[0]

    root = copy_example("banco")
    latest = root / "checkins/discover/2026-11-20.yaml"
    (root / "checkins/discover/2026-11-21.yaml").write_text(
        latest.read_text(encoding="utf-8").replace("date: 2026-11-20", "date: 2026-11-21"), encoding="utf-8"
    )
    assert _codes(cli, root, DEMO_DAY, "--select", "OKR502") == []  # tomorrow: spared
    assert _codes(cli, root, "2026-11-19", "--select", "OKR502") == [
        (
            "OKR502",
            "checkins/discover/2026-11-21.yaml",
            "check-in of 'discover' is dated 2026-11-21, after tomorrow (today is 2026-11-19)",
        )
    ]


def test_okr501_waits_for_stale_after_days_not_cadence_days(cli, copy_example: Callable[[str], Path]) -> None:
    friday = " ".join((DOCS / "friday.md").read_text(encoding="utf-8").split())
    assert "though OKR501 calls no unit stale until the cycle is more than `stale_after_days` old" in friday
    assert "OKR501 calls no unit stale before `cadence_days`" not in friday

    root = copy_example("banco")
    shutil.rmtree(root / "checkins/cards")  # Cards has not checked in this cycle (from 2026-10-01)
    config = root / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("stale_after_days: 10", "stale_after_days: 20"), encoding="utf-8"
    )

    def stale(today: str) -> list[str]:
        return [m for code, _, m in _codes(cli, root, today, "--select", "OKR501") if "'cards'" in m]

    assert stale("2026-10-15") == []  # two weeks in: past cadence_days (7), not past stale_after_days
    assert stale("2026-10-21") == []  # 20 days in: not more than stale_after_days yet
    assert stale("2026-10-22") == ["'cards' has not checked in at all this cycle; stale after 20 days"]


def test_an_empty_okrctl_yaml_is_okr103_and_one_without_a_config_okr105(
    cli, copy_example: Callable[[str], Path]
) -> None:
    said = _section("format.md", "### Finding the root")
    assert "an `okrctl.yaml` with no document at all (empty, or comments only) is OKR103" in said
    assert "one whose documents include no Config (a Unit, say), or more than one Config, is OKR105" in said

    root = copy_example("banco")
    config = root / "okrctl.yaml"
    for empty in ("", "# nothing here yet\n"):
        config.write_text(empty, encoding="utf-8")
        assert _codes(cli, root, DEMO_DAY, "--select", "OKR1") == [
            ("OKR103", "okrctl.yaml", "the file holds no document (empty, or comments only)")
        ]
    config.write_text(
        "apiVersion: okrctl/v1\nkind: Unit\nid: lab\nname: Lab\ntype: team\nparent: banco\n", encoding="utf-8"
    )
    assert [(c, p) for c, p, _ in _codes(cli, root, DEMO_DAY, "--select", "OKR1")] == [("OKR105", "okrctl.yaml")]
