"""Where a symbolic link of the repository leads: one resolution for the working tree and for a
tree read from git, so that a link gives the same finding read either way.

A link is resolved the way the system resolves it in a checkout (each part of the path in turn, a
link met on the way replaced by its target, at most 40 links), relative to the repository's root,
and stricter than the system in two ways, both of which a checkout elsewhere would also see:

* a link whose target (or a link's on the way) is an absolute path leaves the repository, even
  when it names a place inside this checkout: another clone of it would not find that place;
* a link that leads into a hidden file or folder (``.git`` above all, whose ``config`` can hold a
  CI job's credentials) or into another git repository's folder (a submodule, a nested clone)
  leads where the walk never reads: okrctl does not read through it either.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from typing import Literal

MAX_LINK_HOPS = 40

OUTSIDE_MESSAGE = "symlink points outside the repository"
UNREAD_MESSAGE = "symlink points into a hidden folder or another git repository, which okrctl does not read"
LINK_HINT = "replace the link with the file itself"
# What every finding about a link that is not read is about, whatever the cause (it leaves, it
# leads where okrctl does not read, it leads to nothing): its fingerprint is the same read from the
# working tree or from git, where a nested clone git does not hold is nothing.
LINK_ABOUT = "symlink"

# What a path of the tree is, as ``look`` tells: a link (with its target, None when it cannot be
# read), a file, a folder, another repository's folder, or nothing there.
Kind = Literal["link", "file", "folder", "repository", "missing"]
Outcome = Literal["file", "folder", "outside", "unread", "error"]


def follow(rel: str, look: Callable[[str], tuple[Kind, str | None]]) -> tuple[Outcome, str | None]:
    """Where the link at ``rel`` leads: ("file", its path) | ("folder", None) | ("outside", None) |
    ("unread", None) (see the module) | ("error", the system's words for why a checkout could not
    open it: a loop of links, nothing there, a file taken for a folder)."""
    done: list[str] = []  # the folders resolved so far, from the root
    todo = rel.split("/")
    hops = 0
    while todo:
        part = todo.pop(0)
        if part in ("", "."):
            continue
        if part == "..":
            if not done:
                return "outside", None
            done.pop()
            continue
        if part.startswith("."):
            return "unread", None
        here = "/".join([*done, part])
        kind, target = look(here)
        if kind == "link":
            hops += 1
            if hops > MAX_LINK_HOPS:
                return "error", os.strerror(errno.ELOOP)
            if target is None:
                return "outside", None
            if not target or "\0" in target:
                return "error", os.strerror(errno.ENOENT)
            if target.startswith("/"):
                return "outside", None
            todo = target.split("/") + todo  # relative to the link's own folder: ``done``
        elif kind == "file":
            if todo:  # more after a file ("file.yaml/x", "file.yaml/")
                return "error", os.strerror(errno.ENOTDIR)
            return "file", here
        elif kind == "folder":
            done.append(part)
        elif kind == "repository":
            return "unread", None
        else:
            return "error", os.strerror(errno.ENOENT)
    return "folder", None


def on_disk(root: str) -> Callable[[str], tuple[Kind, str | None]]:
    """``follow``'s ``look`` for the working tree at ``root`` (a folder below it that holds a
    ``.git`` is another repository's, as the walk takes it)."""

    def look(here: str) -> tuple[Kind, str | None]:
        full = os.path.join(root, here)
        try:
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                return "link", os.fsdecode(os.readlink(full))
        except OSError:
            return "missing", None
        if stat.S_ISDIR(mode):
            return ("repository" if os.path.lexists(os.path.join(full, ".git")) else "folder"), None
        return "file", None

    return look


def link_problem(root: str, rel: str, *, folder: bool = False) -> str:
    """The finding's message for the link at ``rel`` of the working tree at ``root``: "" when it is
    read as any file is (what it leads to, read, says what is wrong); else why it is not read, in
    the words a read from git gives. ``folder``: the link leads to a folder, which is never walked;
    only one that leaves the repository is reported."""
    outcome, why = follow(rel, on_disk(root))
    if outcome == "outside":
        return OUTSIDE_MESSAGE
    if folder:
        return ""
    if outcome == "unread":
        return UNREAD_MESSAGE
    if outcome == "error":
        return f"cannot read file: {why}"
    return ""
