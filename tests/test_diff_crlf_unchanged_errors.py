"""``okrctl diff`` in a checkout git writes with CRLF line endings (``core.autocrlf``, as on
Windows runners, or ``eol=crlf`` in ``.gitattributes``): a file with errors that nobody touched is
no change. Its bytes on disk are never its blob's, but what git would store of them is, and that is
what counts (docs/diff.md): no "Not compared" line, no owner asked to review it, as in an LF clone.

Every test clones a real repository of examples/banco whose Discover check-in of 2026-11-20 holds
an unknown field (OKR101) at the base, and runs the real command.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Cli, git
from tests.helpers_align import EXAMPLES, TODAY
from tests.helpers_git import hermetic_git

BROKEN = "checkins/discover/2026-11-20.yaml"
MOVED = "checkins/discover/moved.yaml"


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The line endings are the repository's own settings, never the machine's."""
    hermetic_git(monkeypatch, tmp_path)


def _origin(tmp_path: Path, git_repo: Any, *, attributes: str | None = None) -> Path:
    """banco with an unknown field in Discover's last check-in, committed (LF in git)."""
    root = tmp_path / "origin"
    shutil.copytree(EXAMPLES / "banco", root, ignore=shutil.ignore_patterns(".okrctl-cache"))
    checkin = root / BROKEN
    text = checkin.read_text(encoding="utf-8")
    assert "\nconfidence: 8\n" in text
    checkin.write_text(text.replace("\nconfidence: 8\n", "\nconfidence: 8\nfoo: 1\n", 1), encoding="utf-8")
    if attributes is not None:
        (root / ".gitattributes").write_text(attributes, encoding="utf-8")
    return git_repo(root)


@pytest.fixture(params=["core.autocrlf", "eol=crlf"])
def checkout(request: pytest.FixtureRequest, tmp_path: Path, git_repo: Any) -> Path:
    """A clone whose broken check-in git wrote with CRLF line endings, clean to ``git status``."""
    if request.param == "core.autocrlf":
        origin, options = _origin(tmp_path, git_repo), ["-c", "core.autocrlf=true"]
    else:
        origin, options = _origin(tmp_path, git_repo, attributes="*.yaml text eol=crlf\n"), []
    clone = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", *options, str(origin), str(clone))
    assert b"\r\n" in (clone / BROKEN).read_bytes()  # the case this file is about
    assert git(clone, "status", "--porcelain") == ""
    return clone


def _diff(cli: Cli, root: Path, *args: str) -> Any:
    result = cli("diff", "HEAD", "--repo", str(root), "--today", TODAY, *args)
    assert result.exit_code == 0, result.output
    return result


def test_an_untouched_file_with_errors_is_no_change(cli: Cli, checkout: Path) -> None:
    out = _diff(cli, checkout).stdout
    assert "No OKR changes" in out, out
    assert "Not compared" not in out and "Needs review from" not in out
    payload = json.loads(_diff(cli, checkout, "--format", "json").stdout)
    assert payload["empty"] is True
    assert payload["not_compared"] == [] and payload["reviewers"] == [] and payload["members"] == []
    assert payload["files_with_errors"] == {"base": [BROKEN], "head": [BROKEN]}
    assert _diff(cli, checkout, "--reviewers").stdout == ""


def test_a_file_with_errors_moved_with_a_plain_mv_is_no_change_either(cli: Cli, checkout: Path) -> None:
    (checkout / BROKEN).rename(checkout / MOVED)
    payload = json.loads(_diff(cli, checkout, "--format", "json").stdout)
    assert payload["not_compared"] == [] and payload["reviewers"] == []
    assert payload["findings"] == {"introduced": [], "resolved": []}


def test_a_file_with_errors_edited_in_a_crlf_checkout_is_still_not_compared(cli: Cli, checkout: Path) -> None:
    """What git would store changed: its owner reviews it, as in an LF checkout."""
    path = checkout / BROKEN
    path.write_bytes(path.read_bytes().replace(b"foo: 1", b"foo: 2"))
    payload = json.loads(_diff(cli, checkout, "--format", "json").stdout)
    assert payload["not_compared"] == [BROKEN]
    assert [(r["unit"], r["reasons"]) for r in payload["reviewers"]] == [
        ("discover", [{"verb": "own", "refs": [BROKEN]}])
    ]
