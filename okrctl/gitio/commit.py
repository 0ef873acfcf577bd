"""Commit one file, and only that file, the way ``git commit`` on the command line would.

gitpython's ``index.commit`` writes the whole index and skips the hooks; a check-in must do
neither. ``git commit --only -- <path>`` (through gitpython's git command wrapper: argument lists,
``--`` before paths) commits exactly that path from the working tree, leaves whatever else the user
had staged as it was, and runs the repository's hooks. The working tree is found the way every
other git access finds it (``gitio.repo.work_tree``); gitpython is imported only when a commit is
made, and a machine without git behaves like a folder outside any repository.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrctl.errors import ContentError
from okrctl.gitio.repo import work_tree


def _git_module() -> Any | None:
    os.environ.setdefault("GIT_PYTHON_REFRESH", "quiet")  # no git installed: no repository, no noise
    try:
        import git
    except ImportError:
        return None
    return git


class CommitRejected(ContentError):
    """git (or one of its hooks) refused the commit; the file stays written."""

    def __init__(self, message: str, output: str) -> None:
        super().__init__(message)
        self.output = output


@dataclass(frozen=True)
class Committed:
    sha: str
    path: str  # relative to the git working tree


def commit_file(path: Path, message: str) -> Committed | None:
    """Commit ``path`` alone with ``message``; None when ``path`` is not inside a git repository."""
    tree = work_tree(path.parent)
    module = _git_module()
    if tree is None or module is None:
        return None
    try:
        rel = path.resolve().relative_to(tree.top.resolve()).as_posix()
    except ValueError:
        return None  # the file lies outside the working tree (through a link)
    repository = module.Repo(tree.top)
    git = repository.git
    new = not git.ls_files("--", rel)
    if new:
        # --only needs git to know the path; an intent-to-add entry stages no content.
        status, out, err = git.add("--intent-to-add", "--", rel, with_extended_output=True, with_exceptions=False)
        if status != 0:
            raise CommitRejected(f"git add refused {rel}: {_last_line(err or out)}", (err or out).strip())
    status, out, err = git.commit(
        "--quiet", "-m", message, "--only", "--", rel, with_extended_output=True, with_exceptions=False
    )
    if status != 0:
        if new:
            # Back to untracked: the user's index looks exactly as before the attempt.
            git.rm("--cached", "--quiet", "--", rel, with_exceptions=False)
        output = "\n".join(part for part in (out.strip(), err.strip()) if part)
        raise CommitRejected(f"git commit of {rel} failed: {_last_line(output)}", output)
    return Committed(repository.head.commit.hexsha, rel)


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no message from git"
