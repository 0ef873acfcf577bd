"""Helpers for tests on real git repositories with commits at chosen dates."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import git


def hermetic_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No system or user git config (signing, hooks, identity) leaks into a test."""
    empty = tmp_path / "empty-gitconfig"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL"):
        monkeypatch.delenv(name, raising=False)


def commit_at(
    folder: Path, day: str, message: str, *, name: str = "Ana Example", email: str = "ana@example.com"
) -> str:
    """Commit everything in ``folder`` as if on ``day`` (noon UTC); returns the hash."""
    stamp = f"{day}T12:00:00+00:00"
    env = {
        "GIT_AUTHOR_DATE": stamp,
        "GIT_COMMITTER_DATE": stamp,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": email,
    }
    git(folder, "add", "-A")
    git(folder, "commit", "-q", "--no-verify", "-m", message, env=env)
    return git(folder, "rev-parse", "HEAD").strip()


def edit(path: Path, pattern: str, replacement: str) -> None:
    """Replace exactly one match of ``pattern`` (a regex over the whole file)."""
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(pattern, replacement, text, count=1, flags=re.MULTILINE)
    assert count == 1, f"{pattern!r} not found in {path}"
    path.write_text(new, encoding="utf-8")


def committed_by_a_member(root: Path) -> Path:
    """``root`` (a git repository of the banco example, nothing committed) committed with git's
    user.email set to a member of Discover, as a team lead's check-in commits it."""
    git(root, "config", "user.email", "ana.costa@example.com")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def drop_from_the_index(root: Path, rel: str, times: int) -> None:
    """Another git (another team's check-in committing) read the index before this run's ``git add
    --intent-to-add`` and writes it back after it, without the entry: ``times`` times, through a
    hook run after each write of the index (a write under the commit's own lock cannot drop it)."""
    hook = root / ".git" / "hooks" / "post-index-change"
    hook.write_text(
        "#!/bin/sh\n"
        "count=$(cat .git/drops 2>/dev/null || echo 0)\n"
        f'[ "$count" -lt {times} ] || exit 0\n'
        f"git ls-files --error-unmatch -- '{rel}' >/dev/null 2>&1 || exit 0\n"
        f"git rm --cached -q -- '{rel}' 2>/dev/null && echo $((count + 1)) > .git/drops\n"
        "exit 0\n"
    )
    hook.chmod(0o755)


def banco_before_q4(copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> Path:
    """The banco example committed on ``main`` before 2026-Q4 starts (2026-09-20): what the tests of
    git histories, refs and checkouts start from (each file's ``banco`` fixture returns it)."""
    folder = git_repo(copy_example("banco"), commit=False)
    commit_at(folder, "2026-09-20", "OKRs for 2026-Q4")
    return folder


def banco_by_the_kpi_bot(copy_example: Callable[[str], Path], git_repo: Callable[..., Path]) -> Path:
    """The banco example committed as "initial" by a KPI bot, the repository's own git identity:
    what the tests of ``measure`` and of the check-in's dry runs start from (their ``banco``)."""
    from tests.conftest import git

    root = git_repo(copy_example("banco"), commit=False)
    git(root, "config", "user.email", "kpi-bot@example.com")
    git(root, "config", "user.name", "KPI bot")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root
