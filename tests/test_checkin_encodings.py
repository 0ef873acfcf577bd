"""Check-in and measure where standard input or output is not UTF-8 (``PYTHONIOENCODING=ascii``, a
Latin-1 locale): answers typed at a terminal never stop the check-in, and ``--dry-run`` prints the
very bytes the file would hold."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.helpers_git import committed_by_a_member
from tests.pty_driver import Terminal, without_readline

FRIDAY = "2026-11-27"
CHECKIN = f"checkins/discover/{FRIDAY}.yaml"


@pytest.fixture
def banco(copy_example, git_repo) -> Path:
    return committed_by_a_member(git_repo(copy_example("banco"), commit=False))


def _environment(**extra: str) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1", **extra}


def _okrctl(cwd: Path, *args: str | bytes, **extra: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "okrctl", *args],
        cwd=cwd,
        env=_environment(**extra),
        capture_output=True,
        timeout=120,
        check=False,
    )


def _latin1_locale() -> str | None:
    listing = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.split()
    for name in listing:
        if name.lower().replace("-", "") in ("en_us.iso88591", "de_de.iso88591", "pt_pt.iso88591", "c.iso88591"):
            return name
    return None


# ----- answers typed at a terminal whose input encoding is ASCII ----------------------------------------
def test_an_answer_typed_at_an_ascii_terminal_is_read_as_utf8_or_asked_again(banco):
    """Under ``PYTHONIOENCODING=ascii`` a non-ASCII answer stopped the check-in with exit 3 ("internal
    error: UnicodeDecodeError"), every answer typed so far lost. UTF-8 is read as such ('café'); a
    byte that is not UTF-8 either (a Latin-1 0xe9) is asked again, saying why."""
    # The terminal's own line editing: GNU readline leaves such a byte out of the line as it is typed
    # (tests/test_checkin_line_editing.py).
    env = without_readline(_environment(PYTHONIOENCODING="ascii", LC_ALL="C.UTF-8"), banco.parent / "no-readline")
    command = [sys.executable, "-m", "okrctl", "checkin", "--today", FRIDAY, "--no-commit", "--team", "discover"]
    with Terminal(command, cwd=banco, env=env) as term:
        term.expect("Confidence [8]: ")
        os.write(term.master, b"\xe9\r")
        term.expect("not ASCII or UTF-8 text (the byte 0xe9); type it again")
        term.expect("Confidence [8]: ")
        term.send("7")
        for _ in range(3):
            term.expect(": ")
            term.send("")
        term.expect("note> ")
        term.send("")
        term.expect("[Y/n] ")
        term.send("y")
        term.expect("New issue (Enter to finish): ")
        os.write(term.master, "café ".encode() + b"\xe9\r")
        term.expect("not ASCII or UTF-8 text (the byte 0xe9); type it again")
        term.expect("New issue (Enter to finish): ")
        term.send("café machine down")
        term.expect("New issue (Enter to finish): ")
        term.send("")
        term.expect("Plan item (Enter to finish): ")
        term.send("")
        term.expect("? [Y/n] ")
        term.send("")
        term.expect_exit(0)
    written = (banco / CHECKIN).read_text(encoding="utf-8")
    assert "- café machine down\n" in written
    assert "confidence: 7\n" in written


# ----- --dry-run prints the file's bytes, whatever standard output's encoding -----------------------------
@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_checkin_dry_run_prints_the_bytes_the_file_holds(banco, encoding):
    """``-p "Équipe → 東京"`` under ``PYTHONIOENCODING=ascii`` showed ``- "Equipe ->????"`` (the text
    views' substitutes) while the file holds ``- "Équipe → 東京"``."""
    args = ["checkin", "--team", "discover", "--today", FRIDAY, "-c", "7", "-p", "Équipe → 東京"]
    shown = _okrctl(banco, *args, "--dry-run", PYTHONIOENCODING=encoding)
    assert shown.returncode == 0, shown.stderr
    assert not (banco / CHECKIN).exists()
    assert b"dry run: " in shown.stderr  # the note around the YAML stays on standard error
    wrote = _okrctl(banco, *args, "--no-commit", PYTHONIOENCODING=encoding)
    assert wrote.returncode == 0, wrote.stderr
    assert shown.stdout == (banco / CHECKIN).read_bytes()
    assert '- "Équipe → 東京"\n'.encode() in shown.stdout


@pytest.mark.slow
def test_a_checkin_dry_run_in_a_latin1_locale_prints_utf8(banco):
    """In a Latin-1 locale 'café' (typed in Latin-1) came out of ``--dry-run`` as the byte 0xe9."""
    locale = _latin1_locale()
    if locale is None:
        pytest.skip("no Latin-1 locale on this machine (locale -a)")
    env = {"LC_ALL": locale, "LANG": locale, "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}
    args = ["checkin", "--team", "discover", "--today", FRIDAY, "-c", "7", "-p", "caf\xe9 down".encode("latin-1")]
    shown = _okrctl(banco, *args, "--dry-run", **env)
    assert shown.returncode == 0, shown.stderr
    wrote = _okrctl(banco, *args, "--no-commit", **env)
    assert wrote.returncode == 0, wrote.stderr
    assert shown.stdout == (banco / CHECKIN).read_bytes()
    assert "- café down\n".encode() in shown.stdout


@pytest.mark.slow
def test_a_measure_dry_run_prints_the_bytes_the_reading_holds(banco, tmp_path):
    """A note's 'café → 東京' in ``measure --dry-run`` under ``PYTHONIOENCODING=ascii``: the reading's
    UTF-8, not the substitutes; the summary on standard error keeps them."""
    values = tmp_path / "values.csv"
    values.write_text("kr,value,note\nonboarding-completion,80,café → 東京\n", encoding="utf-8")
    args = ["measure", "--team", "discover", "--today", FRIDAY, "--values-from", str(values)]
    shown = _okrctl(banco, *args, "--dry-run", PYTHONIOENCODING="ascii")
    assert shown.returncode == 0, shown.stderr
    reading = banco / "readings" / "discover" / f"{FRIDAY}.yaml"
    assert not reading.exists()
    assert b"(cafe ->????)" in shown.stderr  # the summary is a text view: substitutes, as before
    wrote = _okrctl(banco, *args, PYTHONIOENCODING="ascii")
    assert wrote.returncode == 0, wrote.stderr
    assert shown.stdout == reading.read_bytes()
    assert "café → 東京".encode() in shown.stdout
