"""``okrctl diff`` when a change removes what another objective aligns to: the objective that named
it is told under "Alignment" (its parent no longer exists, and, when that was its only one, it is
left aligned to nothing), in every format, though its own file did not change (docs/diff.md).

Each test commits a copy of examples/banco and changes its working tree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli
from tests.helpers_align import TODAY
from tests.helpers_git import commit_at

SERVICES = "okrs/2026-Q4/digital-services.yaml"


@pytest.fixture
def banco(copy_example: Callable[[str], Path], git_repo: Callable[[Path], Path]) -> Path:
    return git_repo(copy_example("banco"))


def _remove_document(root: Path, path: str, objective_id: str) -> None:
    """Delete the document of ``objective_id`` from a file of several, separated by ``---``."""
    file = root / path
    documents = file.read_text(encoding="utf-8").split("\n---\n")
    kept = [d for d in documents if not re.search(rf"^id: {objective_id}$", d, flags=re.MULTILINE)]
    assert len(kept) == len(documents) - 1
    file.write_text("\n---\n".join(kept), encoding="utf-8")


def _diff(cli: Cli, root: Path, format: str) -> str:
    result = cli("diff", "HEAD", "--repo", str(root), "--today", TODAY, "--format", format)
    assert result.exit_code == 0, result.output
    out: str = result.stdout
    return out


def _alignment(cli: Cli, root: Path) -> list[tuple[Any, ...]]:
    payload = json.loads(_diff(cli, root, "json"))
    return [
        (c["kind"], c["subject"], c["owner"], c["old"], c.get("type"))
        for c in payload["changes"]
        if c["section"] == "alignment"
    ]


def test_an_objective_whose_only_parent_is_removed_is_left_aligned_to_nothing(cli: Cli, banco: Path) -> None:
    _remove_document(banco, SERVICES, "sme-digital-banking")  # sme-open-in-app's only parent
    assert _alignment(cli, banco) == [
        ("parent-gone", "sme-open-in-app", "small-business-app", "sme-digital-banking", "directional"),
        ("aligned-to-nothing", "sme-open-in-app", "small-business-app", None, None),
    ]
    text = _diff(cli, banco, "text")
    assert (
        "Alignment\n"
        "  • sme-open-in-app aligns to sme-digital-banking, which no longer exists (directional)\n"
        "  • sme-open-in-app is now aligned to nothing\n"
    ) in text
    markdown = _diff(cli, banco, "markdown")
    assert (
        "#### Alignment\n\n"
        "- `sme-open-in-app` aligns to `sme-digital-banking`, which no longer exists (directional)\n"
        "- `sme-open-in-app` is now aligned to nothing\n"
    ) in markdown
    # Its team reviews it as one that aligned to what was removed, not as the author of a change.
    reviewers = json.loads(_diff(cli, banco, "json"))["reviewers"]
    team = next(r for r in reviewers if r["unit"] == "small-business-app")
    assert team["affected"] is True
    assert team["reasons"] == [{"verb": "align to", "refs": ["sme-digital-banking"]}]


def test_a_removed_key_result_an_objective_adopts_is_told_under_alignment(cli: Cli, banco: Path) -> None:
    file = banco / SERVICES
    text = file.read_text(encoding="utf-8")
    new, count = re.subn(r"  - id: nps\n(    .*\n){5}", "", text)
    assert count == 1
    file.write_text(new, encoding="utf-8")
    assert _alignment(cli, banco) == [
        ("parent-gone", "first-card-moment", "cards", "digital-first-week/nps", "explicit"),
        ("aligned-to-nothing", "first-card-moment", "cards", None, None),
    ]


def test_a_parent_whose_file_no_longer_reads_is_not_gone(cli: Cli, banco: Path) -> None:
    """Unreadable, not removed: ``align`` still counts what aligns to it."""
    file = banco / SERVICES
    text = file.read_text(encoding="utf-8")
    file.write_text(text.replace("id: sme-digital-banking\n", "id: sme-digital-banking\nbogus: 1\n", 1), "utf-8")
    assert _alignment(cli, banco) == []


def test_an_objective_that_keeps_another_parent_is_not_aligned_to_nothing(cli: Cli, banco: Path) -> None:
    child = banco / "okrs/2026-Q4/small-business-app.yaml"
    text = child.read_text(encoding="utf-8")
    written = "  - {to: sme-digital-banking, type: directional}\n"
    assert written in text
    child.write_text(text.replace(written, written + "  - {to: strategy-2026/small-business}\n", 1), "utf-8")
    commit_at(banco, "2026-11-20", "a second parent")
    _remove_document(banco, SERVICES, "sme-digital-banking")
    assert _alignment(cli, banco) == [
        ("parent-gone", "sme-open-in-app", "small-business-app", "sme-digital-banking", "directional"),
    ]
