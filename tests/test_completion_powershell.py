"""``--install-completion powershell``: the script goes into the profile PowerShell names, once, and
nothing else of the user's PowerShell changes; where PowerShell is missing, one line says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, user_environment

# A stand-in for PowerShell: it writes down how it was called, and answers ``$PROFILE``.
FAKE_PWSH = """#!/bin/sh
printf '%s\\n' "$*" >> "{log}"
case "$*" in
  *'$PROFILE'*) printf '%s\\r\\n' "{profile}" ;;
esac
"""


def _install(shell: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "okrctl", "--install-completion", shell],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _with_fake(tmp_path: Path, name: str) -> tuple[dict[str, str], Path, Path]:
    home = tmp_path / "home"
    tools = tmp_path / "tools"
    tools.mkdir()
    log = tmp_path / "calls.log"
    profile = home / ".config" / "powershell" / "Microsoft.PowerShell_profile.ps1"
    fake = tools / name
    fake.write_text(FAKE_PWSH.format(log=log, profile=profile), encoding="utf-8")
    fake.chmod(0o755)
    env = {**user_environment(home), "PYTHONPATH": str(ROOT), "PATH": f"{tools}:/usr/bin:/bin"}
    return env, profile, log


def test_the_script_goes_into_the_profile_once_and_no_policy_is_changed(tmp_path: Path) -> None:
    env, profile, log = _with_fake(tmp_path, "pwsh")  # PowerShell's name on Linux and macOS
    profile.parent.mkdir(parents=True)
    profile.write_text("Set-Alias ll Get-ChildItem\n", encoding="utf-8")
    for _ in range(2):
        result = _install("powershell", env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines()[0] == f"powershell completion installed in {profile}"
    text = profile.read_text(encoding="utf-8")
    assert text.startswith("Set-Alias ll Get-ChildItem\n")
    assert text.count("Register-ArgumentCompleter") == 1
    assert "_OKRCTL_COMPLETE" in text
    calls = log.read_text(encoding="utf-8")
    assert "ExecutionPolicy" not in calls
    assert calls.count("$PROFILE") == 2


def test_without_powershell_it_is_one_line_and_exit_1(tmp_path: Path) -> None:
    home = tmp_path / "home"
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**user_environment(home), "PYTHONPATH": str(ROOT), "PATH": str(empty)}
    result = _install("powershell", env)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "okrctl: --install-completion: PowerShell is not installed here (neither 'pwsh' nor 'powershell' is on "
        "PATH); run it from PowerShell, or add the output of 'okrctl --show-completion powershell' to your $PROFILE"
    ]
    assert not (home / ".config").exists()


def test_a_linked_profile_keeps_its_link_its_line_endings_and_its_byte_order_mark(tmp_path: Path) -> None:
    """A profile kept with dotfiles is a link: the script is added to the file it points at, in that
    file's line endings, after its byte-order mark; the link was replaced by a copy of the file, its
    CRLF made LF and its mark dropped."""
    env, profile, _log = _with_fake(tmp_path, "pwsh")
    kept = tmp_path / "dotfiles" / "profile.ps1"
    kept.parent.mkdir()
    kept.write_bytes(b"\xef\xbb\xbfSet-Alias ll Get-ChildItem\r\n")
    profile.parent.mkdir(parents=True)
    profile.symlink_to(kept)
    for _ in range(2):
        result = _install("powershell", env)
        assert result.returncode == 0, result.stderr
    assert profile.is_symlink() and profile.resolve() == kept.resolve()
    data = kept.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfSet-Alias ll Get-ChildItem\r\n")
    assert data.count(b"Register-ArgumentCompleter") == 1
    assert b"\n" not in data.replace(b"\r\n", b"")  # every line ends as the file's did
