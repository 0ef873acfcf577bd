"""Small git operations on the working tree: where it is, who the user is, init and one commit.

Git is run as a program with argument lists (never a shell) and ``--`` before paths, so no id or
file name can become an option. Nothing here prompts: a missing identity or a rejected hook is
reported with git's own message.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

# Settings that would change what git prints (signatures, colours, quoting) or make it ask questions.
_QUIET_CONFIG = ("-c", "color.ui=false", "-c", "core.quotepath=off", "-c", "log.showSignature=false")


class GitError(Exception):
    """A git command failed; the message is git's own last words."""


class GitMissing(GitError):
    """git itself cannot be run."""


def git_env() -> dict[str, str]:
    env = dict(os.environ)
    env["GIT_TERMINAL_PROMPT"] = "0"
    env.pop("GIT_DIR", None)  # the repository is the one around ``cwd``, never an inherited one
    env.pop("GIT_WORK_TREE", None)
    return env


def run_git(
    cwd: Path, *args: str, input: bytes | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """Run ``git args`` in ``cwd`` and return the completed process (bytes in, bytes out)."""
    if not Path(cwd).is_dir():
        raise GitError(f"folder not found: {cwd}")
    try:
        result = subprocess.run(
            ["git", *_QUIET_CONFIG, *args],
            cwd=cwd,
            input=input,
            capture_output=True,
            env=git_env(),
            check=False,
        )
    except FileNotFoundError:
        raise GitMissing("git is not installed (or not on PATH)") from None
    except OSError as exc:
        raise GitMissing(f"cannot run git: {exc.strerror or exc}") from None
    if check and result.returncode != 0:
        raise GitError(last_words(result.stderr) or f"git {args[0] if args else ''} failed")
    return result


def last_words(stderr: bytes) -> str:
    """git's error output folded into one line (hints dropped)."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    kept = [line for line in lines if line and not line.startswith("hint:")]
    return " ".join(kept)[:500]


@dataclass(frozen=True)
class WorkTree:
    """The git working tree around a folder."""

    top: Path  # the working tree's top folder
    shallow: bool  # a clone made with --depth: older history is missing


def work_tree(folder: Path) -> WorkTree | None:
    """The working tree that contains ``folder``; None outside git (or without git)."""
    try:
        result = run_git(
            folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-toplevel", check=False
        )
    except GitError:
        return None
    lines = result.stdout.decode("utf-8", "replace").splitlines()
    if result.returncode != 0 or len(lines) < 3 or lines[0] != "true":
        return None
    return WorkTree(Path(lines[2]), lines[1] == "true")


def user_email(folder: Path) -> str | None:
    """``git config user.email`` as seen from ``folder`` (None when unset or outside git)."""
    try:
        result = run_git(folder, "config", "--get", "user.email", check=False)
    except GitError:
        return None
    email = result.stdout.decode("utf-8", "replace").strip()
    return email or None


def init(folder: Path) -> None:
    """``git init`` (the user's default branch name is kept)."""
    run_git(folder, "init", "-q")


def commit_paths(folder: Path, paths: list[str], message: str) -> str:
    """Commit exactly ``paths`` (relative to ``folder``), leaving anything else staged untouched.

    Returns the new commit's hash. Hooks run as usual; a rejection raises GitError with git's words.
    """
    run_git(folder, "add", "--", *paths)
    run_git(folder, "commit", "-q", "--only", "-m", message, "--", *paths)
    return run_git(folder, "rev-parse", "HEAD").stdout.decode().strip()
