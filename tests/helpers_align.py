"""Shared helpers of the align tests (issue 3): fixture organisations and a CLI runner."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from okrctl.cli.app import app_for

PROJECT = Path(__file__).resolve().parents[1]
FIXTURES = PROJECT / "tests" / "fixtures"
EXAMPLES = PROJECT / "examples"
GOLDEN = PROJECT / "tests" / "golden"
TODAY = "2026-11-20"
GOOD_ORG = FIXTURES / "good" / "align"
BAD_ORG = FIXTURES / "bad" / "align"
# The codes of issue 3 (2xx-4xx) and the structure rules; the cadence and history families belong to
# other issues, so the fixture tests select only these and stay valid when those families land.
OWN_FAMILIES = "OKR1,OKR2,OKR3,OKR4"
ENV = {
    "COLUMNS": "100",
    "NO_COLOR": "1",
    "OKRCTL_NO_CACHE": "1",
    "GITHUB_ACTIONS": "",
    "GITHUB_STEP_SUMMARY": "",
    "GITHUB_BASE_REF": "",
}


def copy_org(source: Path, target: Path) -> Path:
    """A private copy of a fixture organisation (tests never write into the source tree)."""
    shutil.copytree(source, target)
    return target


def org_with_case(tmp_path: Path, kind: str, code: str) -> Path:
    """The healthy organisation plus the good or bad case file of one rule."""
    root = copy_org(GOOD_ORG, tmp_path / "org")
    shutil.copy(FIXTURES / kind / "rules" / f"{code}.yaml", root / "okrs" / "zz-case.yaml")
    return root


def align(root: Path, *args: str, env: dict[str, str] | None = None) -> Any:
    """Run ``okrctl align --repo root --today TODAY *args`` and return the click result."""
    words = ["align", "--repo", str(root), "--today", TODAY, *args]
    return CliRunner().invoke(app_for(words), words, env={**ENV, **(env or {})}, catch_exceptions=False)


def align_json(root: Path, *args: str) -> list[dict[str, Any]]:
    """The findings of ``align --format json`` (only this issue's families unless args select others)."""
    if not any(a.startswith("--select") for a in args):
        args = ("--select", OWN_FAMILIES, *args)
    result = align(root, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]  # type: ignore[no-any-return]


def codes(findings: list[dict[str, Any]]) -> list[str]:
    return [f["code"] for f in findings]


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
