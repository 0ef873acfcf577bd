"""What a baseline needs beyond reading a tree (``gitio.tree``): every commit reachable from one."""

from __future__ import annotations

from pathlib import Path

from okrctl.gitio.repo import GitError, run_git


def reachable(folder: Path, commit: str) -> set[str]:
    """Every commit reachable from ``commit`` (one ``git rev-list`` call; empty when git fails)."""
    try:
        result = run_git(folder, "rev-list", "--end-of-options", commit, "--")
    except GitError:
        return set()
    return set(result.stdout.decode("ascii", "replace").split())
