"""What align's CI formats do with the control and invisible characters of a file's text.

docs/security.md ("Text from files is shown, never obeyed"): JSON, SARIF and GitLab carry the
exact text, each such character written as a ``\\uXXXX`` escape; JUnit and GitHub workflow commands
remove the escape sequences and the bidi controls, and keep the zero-width joiner of 👩‍💻. SARIF,
GitLab and JUnit used to delete all of them, and GitHub the joiner (👩💻).
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from tests.conftest import DEMO_DAY
from tests.test_align_formats import _validate_sarif

# A need of discover's (its team does not support the one it depends on: OKR401 quotes the need),
# written with YAML's escapes: an escape sequence, a right-to-left override and its end, and the
# emoji "woman technologist", two emoji joined by a zero-width joiner.
NEED = r'"X \e[31mRED\e[0m \u202eevil\u202c \U0001F469\u200D\U0001F4BB"'
EXACT = "X \x1b[31mRED\x1b[0m \u202eevil\u202c \U0001f469\u200d\U0001f4bb"
SHOWN = "X RED evil \U0001f469\u200d\U0001f4bb"
RAW = ("\x1b", "\u202e", "\u202c", "\u200d")


@pytest.fixture
def repo(copy_example, git_repo) -> Path:
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "discover.yaml"
    text = path.read_text(encoding="utf-8")
    old = "  - {unit: identity-platform, need: KYC answer under 2 s, for: onboarding-completion}\n"
    assert old in text
    path.write_text(
        text.replace(old, f"  - {{unit: cards, need: {NEED}, for: onboarding-completion}}\n"), encoding="utf-8"
    )
    return git_repo(root)


def _align(cli, repo: Path, fmt: str) -> str:
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", fmt)
    assert result.exit_code in (0, 1), result.output
    return str(result.stdout)


def _the_need(messages: list[str]) -> str:
    """The one message that quotes the need."""
    quoting = [m for m in messages if "RED" in m]
    assert len(quoting) == 1, messages
    return quoting[0]


def test_json_carries_the_exact_text(cli, repo) -> None:
    out = _align(cli, repo, "json")
    message = _the_need([f["message"] for f in json.loads(out)["findings"]])
    assert f"({EXACT})" in message
    assert not any(c in out for c in RAW)


def test_sarif_carries_the_exact_text_as_json_does(cli, repo) -> None:
    out = _align(cli, repo, "sarif")
    results = _validate_sarif(out)["runs"][0]["results"]
    message = _the_need([r["message"]["text"] for r in results])
    assert f"({EXACT})" in message
    assert r"\u001b[31mRED\u001b[0m \u202eevil\u202c" in out and "\\u200d" in out
    assert not any(c in out for c in RAW)


def test_gitlab_carries_the_exact_text_as_json_does(cli, repo) -> None:
    out = _align(cli, repo, "gitlab")
    description = _the_need([issue["description"] for issue in json.loads(out)])
    assert description.startswith("OKR401 ") and f"({EXACT})" in description
    assert r"\u001b[31mRED\u001b[0m \u202eevil\u202c" in out and "\\u200d" in out
    assert not any(c in out for c in RAW)


def test_junit_removes_escapes_and_bidi_controls_and_keeps_the_joiner(cli, repo) -> None:
    out = _align(cli, repo, "junit")
    root = ET.fromstring(out.encode("utf-8"))
    failures = root.findall(".//failure")
    message = _the_need([f.get("message", "") for f in failures])
    assert message.startswith("OKR401 ") and f"({SHOWN})" in message
    body = _the_need([f.text or "" for f in failures])
    assert f"({SHOWN})" in body
    assert "\x1b" not in out and "\u202e" not in out


def test_github_removes_escapes_and_bidi_controls_and_keeps_the_joiner(cli, repo) -> None:
    out = _align(cli, repo, "github")
    line = _the_need(out.splitlines())
    assert line.startswith("::warning file=okrs/2026-Q4/discover.yaml,") and f"({SHOWN})" in line
    assert "\x1b" not in out and "\u202e" not in out
