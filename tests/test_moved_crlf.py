"""A file moved without git in a checkout that git writes with CRLF line endings (``core.autocrlf``,
as on Windows runners, or ``eol=crlf`` in ``.gitattributes``) keeps its findings against a baseline,
as it does in an LF checkout: the checkout's bytes are never the base's blob, but what git would
store of them is (docs/ci.md, "A file that moved keeps its findings").

Every test clones a real repository of examples/banco whose ``discover.yaml`` holds one error at
the base (OKR101, an unknown field), moves that file with a plain rename (nothing staged) and runs
the real commands.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, git
from tests.helpers_align import EXAMPLES, TODAY, align
from tests.helpers_git import hermetic_git

OLD = "okrs/2026-Q4/discover.yaml"
NEW = "okrs/moved/discover.yaml"


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The line endings are the repository's own settings, never the machine's."""
    hermetic_git(monkeypatch, tmp_path)


def _origin(tmp_path: Path, git_repo: Any, *, attributes: str | None = None) -> Path:
    """banco with an unknown field in Discover's objective, committed on ``main`` (LF in git)."""
    root = tmp_path / "origin"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    discover = root / OLD
    text = discover.read_text(encoding="utf-8")
    assert "\nid: discover-first-week\n" in text
    discover.write_text(text.replace("\nid: discover-first-week\n", "\nid: discover-first-week\ncolour: blue\n", 1))
    if attributes is not None:
        (root / ".gitattributes").write_text(attributes, encoding="utf-8")
    return git_repo(root)


def _checkout(origin: Path, tmp_path: Path, *config: str) -> Path:
    """A clone of ``origin`` (with ``config`` set at clone time), whose Discover file git wrote
    with CRLF line endings."""
    clone = tmp_path / "checkout"
    options = [word for setting in config for word in ("-c", setting)]
    git(tmp_path, "clone", "-q", *options, str(origin), str(clone))
    assert b"\r\n" in (clone / OLD).read_bytes()  # the case this file is about
    return clone


@pytest.fixture(params=["core.autocrlf", "eol=crlf"])
def checkout(request: pytest.FixtureRequest, tmp_path: Path, git_repo: Any) -> Path:
    if request.param == "core.autocrlf":
        return _checkout(_origin(tmp_path, git_repo), tmp_path, "core.autocrlf=true")
    return _checkout(_origin(tmp_path, git_repo, attributes="*.yaml text eol=crlf\n"), tmp_path)


def _move(root: Path, *, edit: bool = False) -> None:
    """``mv`` the Discover file into a new folder, git told nothing; with ``edit``, one line added."""
    (root / NEW).parent.mkdir()
    (root / OLD).rename(root / NEW)
    if edit:
        (root / NEW).write_bytes(b"# moved with Discover's other files\r\n" + (root / NEW).read_bytes())


def _gate(root: Path) -> tuple[int, dict[str, Any]]:
    result = align(root, "--format", "json", "--baseline", "HEAD", "--show-existing")
    assert result.exit_code in (0, 1), result.output
    return result.exit_code, json.loads(result.stdout)


def _diff(cli: Cli, root: Path) -> dict[str, Any]:
    result = cli("diff", "HEAD", "--repo", str(root), "--today", TODAY, "--format", "json")
    assert result.exit_code == 0, result.output
    findings: dict[str, Any] = json.loads(result.stdout)["findings"]
    return findings


def test_an_unedited_file_moved_in_a_crlf_checkout_keeps_its_findings(checkout: Path) -> None:
    _move(checkout)
    assert git(checkout, "status", "--porcelain", "--", NEW) == f"?? {NEW}\n"  # not staged
    code, report = _gate(checkout)
    assert code == 0, report
    assert [(f["code"], f["path"], f["new"]) for f in report["findings"]] == [("OKR101", NEW, False)]
    assert report["summary"]["new"] == 0 and report["summary"]["existing"] == 1


def test_diff_lists_no_finding_introduced_or_resolved_by_a_move_in_a_crlf_checkout(cli: Cli, checkout: Path) -> None:
    _move(checkout)
    assert _diff(cli, checkout) == {"introduced": [], "resolved": []}


def test_a_file_edited_as_it_moved_in_a_crlf_checkout_is_still_a_new_file(cli: Cli, checkout: Path) -> None:
    """An edit git does not know of (nothing staged) makes the moved file new, as in an LF checkout."""
    _move(checkout, edit=True)
    code, report = _gate(checkout)
    assert code == 1
    assert [(f["code"], f["path"], f["new"]) for f in report["findings"]] == [("OKR101", NEW, True)]
    findings = _diff(cli, checkout)
    assert [f["path"] for f in findings["introduced"]] == [NEW]
    assert [f["path"] for f in findings["resolved"]] == [OLD]
