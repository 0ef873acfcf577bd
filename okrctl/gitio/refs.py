"""Naming commits: resolve a ref, the merge base of two, and every commit reachable from one."""

from __future__ import annotations

from pathlib import Path

from okrctl.gitio.repo import GitError, run_git, work_tree


class RefProblem(Exception):
    """A ref that cannot be used; the message says how to fix it in one line."""


FETCH_HINT = "fetch the history: 'git fetch --unshallow', or in GitHub Actions 'actions/checkout' with 'fetch-depth: 0'"


def resolve_commit(folder: Path, ref: str) -> str:
    """The full hash of the commit ``ref`` names (RefProblem when it names none)."""
    if not ref or ref.startswith("-"):
        raise RefProblem(f"'{ref}' is not a git ref")
    tree = work_tree(folder)
    if tree is None:
        raise RefProblem(f"'{folder}' is not inside a git repository, so there is no '{ref}' to compare with")
    result = run_git(folder, "rev-parse", "--verify", "-q", "--end-of-options", f"{ref}^{{commit}}", check=False)
    if result.returncode != 0:
        if tree.shallow:
            raise RefProblem(f"'{ref}' is not in this shallow clone; {FETCH_HINT}")
        raise RefProblem(f"'{ref}' names no commit of this repository (a branch, tag or commit; try 'git fetch')")
    return result.stdout.decode("ascii", "replace").strip()


def merge_base(folder: Path, ref: str, other: str = "HEAD") -> str:
    """The commit where ``other`` (HEAD) branched off ``ref``: what a pull request is compared with."""
    base = resolve_commit(folder, ref)
    head = resolve_commit(folder, other)
    result = run_git(folder, "merge-base", base, head, check=False)
    if result.returncode != 0:
        tree = work_tree(folder)
        if tree is not None and tree.shallow:
            raise RefProblem(f"no merge base of {other} and '{ref}' in this shallow clone; {FETCH_HINT}")
        raise RefProblem(f"{other} and '{ref}' have no common history")
    return result.stdout.decode("ascii", "replace").strip()


def reachable(folder: Path, commit: str) -> set[str]:
    """Every commit reachable from ``commit`` (one ``git rev-list`` call)."""
    try:
        result = run_git(folder, "rev-list", commit, "--")
    except GitError:
        return set()
    return set(result.stdout.decode("ascii", "replace").split())
