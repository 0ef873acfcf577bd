"""Git LFS pointers: what git holds, and a checkout without git-lfs leaves, in place of a file kept
in Git LFS. okrctl reads its YAML as text and runs no LFS filter, so a pointer is never the YAML it
stands for; it is named as what it is wherever okrctl meets one (a working tree file, a blob)."""

from __future__ import annotations

# What a pointer begins with (the spec's first line; "hawser" is its first name).
_POINTER_STARTS = (b"version https://git-lfs.github.com/spec/", b"version https://hawser.github.com/spec/")
_POINTER_MAX_BYTES = 1024  # the spec's own limit: a longer file is no pointer

FIX = (
    "okrctl reads its YAML files from git as text and runs no LFS filter; keep them out of Git LFS "
    "(remove their pattern from .gitattributes, then 'git add --renormalize .' and commit)"
)
# An OKR100 finding's message for a working tree file that is a pointer (the echo rules take such a
# file as unreadable: what it holds is unknown).
IN_CHECKOUT = "is a Git LFS pointer, not the YAML it stands for"


def pointer(raw: bytes) -> bool:
    """Whether ``raw`` is a Git LFS pointer rather than a file's content."""
    return len(raw) <= _POINTER_MAX_BYTES and raw.startswith(_POINTER_STARTS) and b"\noid " in raw
