"""What git cannot read of a commit: the tree, blob or commit object a damaged repository (or a
clone whose ``--shared`` source pruned it), or a partial clone that never fetched it, lacks. Named
for the user, never taken for a folder or file the commit does not hold. A module of its own: the
listings of trees and the questions about moves both ask it (``tree`` imports ``log``, which
imports ``moves``)."""

from __future__ import annotations

import re
from pathlib import Path

from okrctl.gitio.repo import PARTIAL_CLONE_FIX, partial_clone
from okrctl.gitio.run import GitError, last_words, run_git


class ObjectsNotFetched(GitError):
    """A partial clone lacks objects a command needs: the remote has them, this clone never fetched them."""


class ObjectsMissing(ObjectsNotFetched):
    """A repository that is no partial clone lacks a tree a command needs (a damaged object store,
    or a clone made with ``--shared`` or ``--reference`` whose source pruned it): git cannot read
    the commit's files. An ObjectsNotFetched to its callers, which stop rather than judge a commit
    they cannot read, as they do for a partial clone's; never taken for "no such folder"."""


# What to do about a tree git lacks where no remote promises it. ``--refetch`` (git 2.36) fetches
# every object again, whatever the object store claims to have.
MISSING_OBJECTS_FIX = (
    "the repository is damaged, or was cloned with --shared or --reference from one that has pruned objects "
    "since; fetch them again (git fetch --refetch origin) or see what is missing (git fsck)"
)


_FOLDER_RECORD = re.compile(r"(?:^|(?<=\0))040000 tree ([0-9a-f]{40}|[0-9a-f]{64})\t([^\0]*)\0")


def refuse_unreadable(top: Path, commit: str, folder: str, said: bytes, *, whole: bool) -> None:
    """Stop when git failed to list ``folder`` (from the top, "" for it; ``whole``: recursively) at
    ``commit`` because it cannot read a tree: ObjectsNotFetched in a partial clone (the remote has
    it), else ObjectsMissing naming the tree (``_unreadable_folder``). Returns when the commit
    simply holds no such folder. Every listing of a commit's trees fails here, so that no caller
    takes a tree git lacks for a folder, a file or a move the commit does not hold."""
    if partial_clone(top):
        raise ObjectsNotFetched(f"git has not fetched the files of {commit[:12]}; {PARTIAL_CLONE_FIX}")
    _unreadable_folder(top, commit, folder, said, whole=whole)


def _unreadable_folder(top: Path, commit: str, folder: str, said: bytes, *, whole: bool) -> None:
    """ObjectsMissing when git failed to list ``folder`` (from the top, "" for it) at ``commit``
    because it cannot read a tree: one on the way from the commit's root down to the folder, the
    folder's own, or (``whole``: the listing was recursive) one below it. Returns when the commit
    simply holds no such folder, the one failure that means "not a folder". ``said``: git's
    words, for a failure on a folder that is there and whose trees git has (a damaged object).

    Asked only once git has failed: one ``git ls-tree`` for each folder on the way, then the
    folder's trees (listed as far as git gets) checked in one ``git cat-file --batch-check``."""
    header = run_git(top, "cat-file", "commit", commit, check=False)
    first = header.stdout.split(b"\n", 1)[0].decode("ascii", "replace")
    if header.returncode != 0 or not first.startswith("tree "):
        raise ObjectsMissing(f"git cannot read commit {commit[:12]}; {MISSING_OBJECTS_FIX}")
    oid, here = first[len("tree ") :].strip(), ""
    for name in folder.split("/") if folder else []:
        listed = run_git(top, "ls-tree", "-z", "--end-of-options", oid, "--", name, check=False)
        if listed.returncode != 0:
            raise _tree_missing(top, commit, here, oid)
        text = listed.stdout.decode("utf-8", "surrogateescape")
        found = next((child for child, path in _FOLDER_RECORD.findall(text) if path == name), None)
        if found is None:
            return  # no such folder at the commit: what git's failure meant
        oid, here = found, f"{here}/{name}" if here else name
    # The folder is there: its tree, or one below it, is what git could not read.
    trees = [(here, oid)]
    if whole:
        below = run_git(top, "ls-tree", "-r", "-t", "-z", "--end-of-options", oid, check=False)
        text = below.stdout.decode("utf-8", "surrogateescape")  # as far as git got
        trees += [(f"{here}/{path}" if here else path, child) for child, path in _FOLDER_RECORD.findall(text)]
    checked = run_git(top, "cat-file", "--batch-check", input="".join(f"{t}\n" for _, t in trees).encode(), check=False)
    absent = {
        line.split()[0] for line in checked.stdout.decode("ascii", "replace").splitlines() if line.endswith(" missing")
    }
    for path, tree in trees:
        if tree in absent:
            raise _tree_missing(top, commit, path, tree, missing=True)
    raise ObjectsMissing(
        f"git cannot read the files of {commit[:12]}: {last_words(said) or 'git ls-tree failed'}; {MISSING_OBJECTS_FIX}"
    )


def _tree_missing(top: Path, commit: str, folder: str, oid: str, *, missing: bool | None = None) -> ObjectsMissing:
    """The ObjectsMissing that names the tree of ``folder`` ("" for the top) at ``commit``: missing
    from the object store, or there but damaged (``missing`` None: git is asked)."""
    if missing is None:
        missing = run_git(top, "cat-file", "-e", oid, check=False).returncode != 0
    where = f"the folder {folder}" if folder else "the top folder"
    state = "is missing" if missing else "cannot be read"
    return ObjectsMissing(
        f"git cannot read {where} of commit {commit[:12]}: its tree, git object {oid[:12]}, {state}; "
        f"{MISSING_OBJECTS_FIX}"
    )
