"""Every use of git goes through this package (gitpython, argument lists, ``--`` before paths).

Importing it is cheap: gitpython itself is imported inside the functions that need it, and a
machine without git behaves like a folder outside any repository.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any


def _git_module() -> Any | None:
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")  # no git installed: no repository, no noise
    try:
        import git
    except ImportError:
        return None
    return git


def open_repository(path: Path) -> Any | None:
    """The git repository that holds ``path`` (searching upwards), or None outside git."""
    git = _git_module()
    if git is None:
        return None
    try:
        return git.Repo(path, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError, git.GitCommandNotFound):
        return None


def relative_to_worktree(repository: Any, path: Path) -> str | None:
    """``path`` relative to the repository's working tree (posix), or None when it lies outside."""
    top = repository.working_tree_dir
    if top is None:
        return None
    rel = os.path.relpath(Path(path).resolve(), Path(top).resolve())
    if rel == ".." or rel.startswith(".." + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def user_email(path: Path) -> str | None:
    """``git config user.email`` as seen from ``path`` (repository, then global settings)."""
    git = _git_module()
    if git is None:
        return None
    folder = path if path.is_dir() else path.parent
    try:
        status, out, _ = git.Git(str(folder)).execute(
            ["git", "config", "--get", "user.email"], with_extended_output=True, with_exceptions=False
        )
    except (git.GitCommandNotFound, OSError):
        return None
    email = out.strip() if status == 0 else ""
    return email or None


__all__ = ["open_repository", "relative_to_worktree", "user_email"]
