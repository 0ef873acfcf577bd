"""``--install-completion bash`` for a home whose path holds a ``'``: the line it adds to ``~/.bashrc``
is bash's own quoting of the path, so a new bash loads the completion instead of printing an error."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, user_environment

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, env=env, timeout=120)


def _new_bash(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """What a new terminal's bash does: read ``~/.bashrc``, then the user asks for the completion."""
    return _run(["bash", "-i", "-c", "complete -p okrctl"], env)


def _errors(stderr: str) -> list[str]:
    # ``bash -i`` without a terminal says so about job control; that is not the start-up file's doing
    return [line for line in stderr.splitlines() if "job control" not in line and "process group" not in line]


def test_install_completion_in_a_home_with_a_quote_is_loaded_by_a_new_bash(tmp_path: Path) -> None:
    home = tmp_path / "h o'me"
    env = {**user_environment(home), "PYTHONPATH": str(ROOT)}
    (home / ".bashrc").write_text("# mine\n", encoding="utf-8")
    for _ in range(2):  # a second install neither adds the line again nor brings typer's back
        result = _run([sys.executable, "-m", "okrctl", "--install-completion", "bash"], env)
        assert result.returncode == 0, result.stderr
    bashrc = (home / ".bashrc").read_text(encoding="utf-8")
    script = home / ".bash_completions" / "okrctl.sh"
    assert bashrc.startswith("# mine\n")
    assert bashrc.count("source ") == 1
    assert f"source '{script}'" not in bashrc
    shell = _new_bash(env)
    assert _errors(shell.stderr) == []
    assert (shell.returncode, shell.stdout) == (0, "complete -o default -F _okrctl_completion okrctl\n")


def test_a_home_without_a_quote_keeps_the_line_typer_writes(tmp_path: Path) -> None:
    """The line earlier installs wrote stays the line: reinstalling does not add a second form."""
    home = tmp_path / "h o me"
    env = {**user_environment(home), "PYTHONPATH": str(ROOT)}
    result = _run([sys.executable, "-m", "okrctl", "--install-completion", "bash"], env)
    assert result.returncode == 0, result.stderr
    script = home / ".bash_completions" / "okrctl.sh"
    assert (home / ".bashrc").read_text(encoding="utf-8") == f"\nsource '{script}'\n"
    shell = _new_bash(env)
    assert _errors(shell.stderr) == []
    assert "_okrctl_completion" in shell.stdout
