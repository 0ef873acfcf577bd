"""A repository's files as they are at a git ref, read from git objects (never a checkout).

``resolve_commit`` names the commit, ``list_tree`` lists the tree under the okrctl root with one
``git ls-tree`` and ``blobs`` reads the blobs asked for with one ``git cat-file --batch``: the same
few processes whatever the number of files.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import NamedTuple

from okrctl.gitio.damage import (
    MISSING_OBJECTS_FIX,
    ObjectsMissing,
    refuse_unreadable,
)
from okrctl.gitio.log import commit_time, read_blobs
from okrctl.gitio.run import GitError, StartedGit, last_words, run_git, start_git

_BLOB_MODES = ("100644", "100755")
# A record of ``git ls-files -s -v -z`` for a plain entry: tag H (tracked, neither assume-unchanged
# nor skip-worktree), a blob mode, its id, stage 0 (no conflict), then the path. Matched only at the
# start of a record (after a NUL, which no path holds), never inside a path that looks like one.
_PLAIN_ENTRY = re.compile(rb"(?:^|(?<=\0))H (?:100644|100755) ([0-9a-f]{40}|[0-9a-f]{64}) 0\t([^\0]*)\0")
_LINK_MODE = "120000"


class UnknownRef(GitError):
    """The ref names no commit of this repository (``shallow``: the clone may simply lack it)."""

    def __init__(self, ref: str, shallow: bool, detail: str = "") -> None:
        super().__init__(detail or f"unknown revision {ref}")
        self.ref = ref
        self.shallow = shallow


class AmbiguousRef(GitError):
    """The ref names more than one ref (a branch and a tag of the same name, say): ``names`` are
    their full names, which git would choose among by its own order, silently."""

    def __init__(self, ref: str, names: list[str]) -> None:
        super().__init__(f"refname {ref} is ambiguous")
        self.ref = ref
        self.names = names


class NotAGitRepository(GitError):
    """The folder is not inside a git working tree."""


@dataclass(frozen=True)
class Place:
    """Where a folder sits in its git repository."""

    top: Path  # the working tree's top folder
    prefix: str  # the folder relative to ``top``, with "/" and a trailing "/" ("" at the top)
    shallow: bool


class TreeEntry(NamedTuple):
    path: str  # relative to the listed folder, with "/"
    mode: str  # "100644", "100755", "120000" (symbolic link), "160000" (submodule)
    oid: str

    @property
    def is_file(self) -> bool:
        return self.mode in _BLOB_MODES

    @property
    def is_link(self) -> bool:
        return self.mode == _LINK_MODE


def place(folder: Path) -> Place:
    """The git repository around ``folder``; NotAGitRepository outside one."""
    # ``--show-cdup`` (only "../" steps) rather than ``--show-toplevel`` and ``--show-prefix``: a
    # newline in a folder's name would split those lines in the wrong place.
    result = run_git(
        folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-cdup", check=False
    )
    lines = result.stdout.decode("utf-8", "surrogateescape").split("\n")
    if result.returncode != 0 or len(lines) < 3 or lines[0] != "true":
        raise NotAGitRepository(last_words(result.stderr) or f"{folder} is not inside a git working tree")
    here = os.path.realpath(folder)
    top = os.path.realpath(os.path.join(here, lines[2]))
    prefix = os.path.relpath(here, top).replace(os.sep, "/")
    return Place(Path(top), "" if prefix == "." else prefix + "/", lines[1] == "true")


def tracked(folder: Path, paths: list[str]) -> list[str] | None:
    """The files git tracks at or below ``paths`` (relative to ``folder``; a file or a folder each,
    taken literally), relative to ``folder``; None when git cannot tell (no git, not a work tree)."""
    try:
        result = run_git(folder, "ls-files", "-z", "--", *paths, check=False)  # pathspecs are literal
    except GitError:  # GitMissing is one
        return None
    if result.returncode != 0:
        return None
    return [os.fsdecode(item) for item in result.stdout.split(b"\0") if item]


def resolve_commit(top: Path, ref: str, *, shallow: bool = False) -> str:
    """The commit ``ref`` names (full hash); UnknownRef when none."""
    if not ref or ref.startswith("-") or "\0" in ref or "\n" in ref:
        raise UnknownRef(ref, shallow)
    # Without --quiet: git warns of a name that is both a branch and a tag (and takes the tag),
    # whatever the user's or the repository's configuration says of such warnings.
    result = run_git(
        top,
        "-c",
        "core.warnAmbiguousRefs=true",
        "rev-parse",
        "--verify",
        "--end-of-options",
        f"{ref}^{{commit}}",
        check=False,
    )
    sha = result.stdout.decode("ascii", "replace").strip()
    if result.returncode == 0 and b"is ambiguous" in result.stderr:
        names = _full_names(top, ref)
        if len(names) > 1:
            raise AmbiguousRef(ref, names)
    if result.returncode != 0 or len(sha) < 40:
        # ``:/text`` (the youngest commit whose message matches) takes all that follows as its
        # text, ``^{commit}`` too: the object it names first, then the commit that one is.
        named = run_git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", ref, check=False)
        found = named.stdout.decode("ascii", "replace").strip()
        if named.returncode != 0 or len(found) < 40:
            raise UnknownRef(ref, shallow)
        result = run_git(top, "rev-parse", "--verify", "--quiet", f"{found}^{{commit}}", check=False)
        sha = result.stdout.decode("ascii", "replace").strip()
        if result.returncode != 0 or len(sha) < 40:
            if run_git(top, "cat-file", "-e", found, check=False).returncode != 0:
                if found == ref.lower() and (shallow or _history_whole(top)):
                    # A hash the clone never fetched (the base commit of a pull request, given as
                    # ``${{ github.event.pull_request.base.sha }}`` to a depth-1 checkout, or to a
                    # full clone of the pull request's branch alone, ``--single-branch``): git takes
                    # a full hash as itself, fetched or not. Every commit the refs reach is here, so
                    # no ref of this clone leads to it: a commit not fetched, not a damaged store.
                    raise UnknownRef(ref, shallow)
                # The ref names an object the store lacks (a damaged repository): not an unknown ref.
                named_by = "" if found.startswith(ref.lower()) else f", which '{ref}' names"
                raise ObjectsMissing(
                    f"git cannot read commit {found[:12]}{named_by}: the object is missing; {MISSING_OBJECTS_FIX}"
                )
            raise UnknownRef(ref, shallow)
    return sha


def _history_whole(top: Path) -> bool:
    """Whether git reads every commit the refs and HEAD reach (a walk of the commits alone, asked
    only once a commit is found missing): in a damaged store, one a ref leads to is missing."""
    return run_git(top, "rev-list", "--all", "--quiet", check=False).returncode == 0


def _full_names(top: Path, ref: str) -> list[str]:
    """The refs a short name may stand for, as git looks it up (``git help revisions``)."""
    name = ref.split("^", 1)[0].split("~", 1)[0]
    candidates = [f"refs/{name}", f"refs/tags/{name}", f"refs/heads/{name}", f"refs/remotes/{name}"]
    listed = run_git(top, "for-each-ref", "--format=%(refname)", *candidates, check=False)
    held = set(listed.stdout.decode("utf-8", "surrogateescape").splitlines()) if listed.returncode == 0 else set()
    return [candidate for candidate in candidates if candidate in held]


def object_kind(top: Path, ref: str) -> str | None:
    """What ``ref`` names when it names an object at all ("tree", "blob", "commit", "tag"), else None."""
    if not ref or ref.startswith("-") or "\0" in ref or "\n" in ref:
        return None
    found = run_git(top, "rev-parse", "--verify", "--quiet", "--end-of-options", ref, check=False)
    sha = found.stdout.decode("ascii", "replace").strip()
    if found.returncode != 0 or len(sha) < 40:
        return None
    typed = run_git(top, "cat-file", "-t", sha, check=False)
    kind = typed.stdout.decode("ascii", "replace").strip()
    return kind if typed.returncode == 0 and kind else None


def commit_day(top: Path, commit: str) -> date | None:
    """The day ``commit`` was committed, in its committer's time zone (as ``history`` dates a
    change); None when git cannot tell."""
    # The raw date, not ``%cI``: git refuses to write some dates in ISO form (``gitio.log``).
    result = run_git(
        top, "show", "-s", "--no-show-signature", "--date=raw", "--format=%ct%x00%cd", commit, "--", check=False
    )
    seconds, _, written = result.stdout.decode("ascii", "replace").strip().partition("\0")
    when = commit_time(seconds, written) if result.returncode == 0 else None
    return when.date() if when is not None else None


def merge_base(top: Path, one: str, other: str, *, shallow: bool = False) -> str | None:
    """The best common ancestor of two commits (None when they share no history here)."""
    result = run_git(top, "merge-base", "--end-of-options", one, other, check=False)
    sha = result.stdout.decode("ascii", "replace").strip().split("\n")[0]
    return sha if result.returncode == 0 and len(sha) >= 40 else None


def renames(top: Path, old: str, new: str | None, old_prefix: str, new_prefix: str | None = None) -> dict[str, str]:
    """The files git finds renamed from commit ``old`` under ``old_prefix`` to commit ``new`` under
    ``new_prefix`` (default: ``old_prefix``; another when the okrctl folder moved in between), old
    path -> new path, each relative to its own prefix. Git's rename detection (at least half the
    content kept) with break detection: a path that still exists but holds other bytes (another
    file moved to it, or two names swapped) can be a rename's source. With ``new`` None, to the
    working tree as the index lists its files: a rename staged (``git mv``) and edited since, not
    yet committed, is one; a file moved without git's knowledge (a new file the index does not
    list) is not. A path git names in two renames is left out. Empty when git cannot tell."""
    if new_prefix is None:
        new_prefix = old_prefix
    if new is None:
        # Plumbing: compares the commit with the files of the index as they are on disk, and never
        # rewrites the index (``git diff`` may, to refresh its stat data).
        args = ["diff-index", "-z", "-B", "-M", "--diff-filter=R", "--name-status", "--end-of-options", old]
    else:
        args = ["diff-tree", "-r", "-z", "-B", "-M", "--diff-filter=R", "--name-status", "--end-of-options", old, new]
    # Both folders: git pairs only the paths it is shown (a file of the OKR folder's old place with
    # its new one when the folder moved); the whole repository when either is its top.
    folders = sorted({prefix.rstrip("/") for prefix in (old_prefix, new_prefix)})
    result = run_git(top, *args, *(["--", *folders] if all(folders) else []), check=False)
    if result.returncode != 0:
        return {}
    # Records of "R<score>", the old path and the new path, each ended by a NUL.
    fields = result.stdout.decode("utf-8", "surrogateescape").split("\0")
    pairs = [
        (before[len(old_prefix) :], after[len(new_prefix) :])
        for status, before, after in (fields[i : i + 3] for i in range(0, len(fields) - 2, 3))
        if status.startswith("R") and before.startswith(old_prefix) and after.startswith(new_prefix)
    ]
    sources = Counter(before for before, _after in pairs)
    targets = Counter(after for _before, after in pairs)
    return {before: after for before, after in pairs if sources[before] == 1 and targets[after] == 1}


# A record of ``git ls-tree -r -z``: mode, type (a blob, or a commit for a submodule), id, path.
# Matched only at the start of a record (after a NUL, which no path holds).
_TREE_RECORD = re.compile(r"(?:^|(?<=\0))([0-7]{6}) (?:blob|commit) ([0-9a-f]{40}|[0-9a-f]{64})\t([^\0]*)\0")


def list_tree(top: Path, commit: str, prefix: str) -> list[TreeEntry] | None:
    """Every file under ``prefix`` at ``commit`` (recursively), paths relative to ``prefix``.

    None when ``prefix`` is not a folder at that commit. One ``git ls-tree`` process; the sizes of
    the blobs that will be read are asked for separately (``blob_sizes``), since most of a tree is
    usually known without reading it.
    """
    folder = prefix.rstrip("/")
    tree_ish = f"{commit}:{folder}" if folder else f"{commit}^{{tree}}"
    result = run_git(top, "ls-tree", "-r", "-z", "--end-of-options", tree_ish, check=False)
    if result.returncode != 0:
        # git says the same of a folder the commit does not hold and of one whose tree (or its
        # parent's) it cannot read: only the first is "not a folder".
        refuse_unreadable(top, commit, folder, result.stderr, whole=True)
        return None
    # Paths as the file system would name them (undecodable bytes kept as surrogates), like os.scandir.
    text = result.stdout.decode("utf-8", "surrogateescape")
    new = tuple.__new__
    return [new(TreeEntry, (path, mode, oid)) for mode, oid, path in _TREE_RECORD.findall(text)]


def holds_file(top: Path, commit: str, path: str) -> bool:
    """Whether ``path`` (from the top of the repository) is a file or a symbolic link at ``commit``."""
    result = run_git(top, "ls-tree", "-z", "--end-of-options", commit, "--", path, check=False)
    if result.returncode != 0:
        # A path the commit does not hold is an empty answer; a failure is a tree git cannot read.
        refuse_unreadable(top, commit, posixpath.dirname(path), result.stderr, whole=False)
        return False
    text = result.stdout.decode("utf-8", "surrogateescape")
    return any(mode in (*_BLOB_MODES, _LINK_MODE) and name == path for mode, _, name in _TREE_RECORD.findall(text))


# A folder's record of ``git ls-tree -z`` (``-t`` lists them too when listing with ``-r``).
def blobs(top: Path, oids: list[str], sizes: dict[str, int] | None = None) -> dict[str, bytes]:
    """The content of each blob within the size limit, its size asked for first (``log.read_blobs``)."""
    return read_blobs(top, sorted(set(oids)), sizes)


def clean_blobs(folder: Path) -> dict[str, str] | None:
    """The blob id of every file under ``folder`` that git tracks and finds unchanged in the work
    tree (path relative to ``folder`` → blob id); None outside a git work tree, and None where a
    checkout may write other bytes than the blob's.

    Only plain entries count: a file marked assume-unchanged or skip-worktree, in a merge conflict,
    a link or a submodule is left out, and so is every file ``git diff-files`` finds changed (git
    compares the stat it recorded at checkout, and the content of a racily clean file). What is left
    has exactly the bytes of its blob, unless git converts files on checkout: a filter (Git LFS, a
    smudge command), line endings (``core.autocrlf``, the ``text``/``eol`` attributes) or ``ident``.
    Then git calls a file unchanged whose bytes are not the blob's. Attributes assign filters and
    conversions, so any attributes file (tracked or not, below the folder or in a folder above it
    within the work tree, the repository's ``info/attributes``, the user's, the system's), or ``core.autocrlf``
    in the configuration, gives None.
    """
    return CleanBlobs(folder).result()


_CONVERTING_CONFIG = r"^core\.(autocrlf|attributesfile)$"
_TRACKED_ATTRIBUTES = re.compile(rb"\t(?:[^\0]*/)?\.gitattributes\0")
_UNTRACKED_ATTRIBUTES = re.compile(rb"(?:^|\0|/)\.gitattributes\0")


class CleanBlobs:
    """``clean_blobs`` asked now and answered later: the git commands it runs start at once, side
    by side, and run while the caller does something else (walks the folder, say)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(os.path.realpath(folder))  # git works in the real path, its top above it
        self.commands: list[StartedGit] = []
        try:
            for args in (
                ("ls-files", "-s", "-v", "-z"),
                # Every stat field compared, whatever the user's configuration says: a same-size
                # edit whose mtime was put back is still found (core.checkStat=minimal would miss it).
                (
                    "-c",
                    "core.checkStat=default",
                    "-c",
                    "core.trustctime=true",
                    "diff-files",
                    "-z",
                    "--name-only",
                    "--relative",
                ),
                ("config", "-z", "--get-regexp", _CONVERTING_CONFIG),
                ("rev-parse", "--path-format=absolute", "--git-path", "info/attributes"),
                # Attributes files git reads that the list of tracked files below the folder does
                # not hold: untracked ones below it, and (found from here) those in the folders above.
                # (an untracked folder is listed as one entry: what it holds is no tracked file)
                ("ls-files", "-z", "-o", "--directory"),
                ("rev-parse", "--show-cdup"),
            ):
                self.commands.append(start_git(folder, *args))
        except GitError:
            self.stop()
            raise
        self.listed, self.changed = self.commands[0], self.commands[1]

    def stop(self) -> None:
        """The answer is not wanted after all."""
        for command in self.commands:
            command.stop()

    def result(self) -> dict[str, str] | None:
        """``clean_blobs`` of the folder (waits for the commands to end)."""
        listed, changed, config, attributes, untracked, up = (command.result() for command in self.commands)
        if listed.returncode != 0 or changed.returncode != 0 or config.returncode not in (0, 1):
            return None
        if attributes.returncode != 0 or _converts(config.stdout, attributes.stdout, listed.stdout):
            return None
        if untracked.returncode != 0 or up.returncode != 0 or _UNTRACKED_ATTRIBUTES.search(untracked.stdout):
            return None
        levels = up.stdout.strip().count(b"..")  # "../../" from the folder up to the work tree's top
        for above in [self.folder, *self.folder.parents][: levels + 1]:
            if os.path.lexists(above / ".gitattributes"):
                return None
        if levels:
            # One git tracks above the folder but a sparse checkout left out is read from the index.
            above_names = ["../" * n + ".gitattributes" for n in range(1, levels + 1)]
            try:
                tracked = run_git(self.folder, "ls-files", "-z", "--", *above_names, check=False)
            except GitError:
                return None
            if tracked.returncode != 0 or tracked.stdout:
                return None
        dirty = set(changed.stdout.split(b"\0"))
        return {
            name.decode("utf-8", "surrogateescape"): oid.decode()
            for oid, name in _PLAIN_ENTRY.findall(listed.stdout)
            if name not in dirty
        }


@functools.lru_cache(maxsize=1)
def _system_attribute_files() -> tuple[str, ...]:
    """Where git may read the system's attributes file, ``$(prefix)/etc/gitattributes``: /etc for a
    git installed under /usr, the ``etc`` folder of its prefix for another (/opt/homebrew, /usr/local),
    both where it cannot be told. None when ``GIT_ATTR_NOSYSTEM`` turns it off, as git does."""
    if os.environ.get("GIT_ATTR_NOSYSTEM", "").strip().lower() in ("1", "true", "yes", "on"):
        return ()
    places = {"/etc/gitattributes"}
    found = shutil.which("git")
    if found:
        prefix = os.path.dirname(os.path.dirname(os.path.realpath(found)))
        places.add("/etc/gitattributes" if prefix == "/usr" else os.path.join(prefix, "etc", "gitattributes"))
    return tuple(sorted(places))


def _converts(config: bytes, info_attributes: bytes, listed: bytes) -> bool:
    """Whether git may write a file on checkout with other bytes than its blob (``clean_blobs``)."""
    if _TRACKED_ATTRIBUTES.search(listed):
        return True
    attribute_files = [os.fsdecode(info_attributes.strip())]
    user_file_named = False
    for record in config.split(b"\0"):
        key, _, value = record.partition(b"\n")
        key, value = key.lower(), value.strip()
        if key == b"core.autocrlf" and value.lower() not in (b"", b"false", b"no", b"off", b"0"):
            return True
        if key == b"core.attributesfile":
            user_file_named = True
            if value:
                attribute_files.append(os.path.expanduser(os.fsdecode(value)))
    if not user_file_named:  # git's default place for the user's attributes
        home = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
        attribute_files.append(os.path.join(home, "git", "attributes"))
    attribute_files += _system_attribute_files()
    for name in attribute_files:
        try:
            if name and os.path.getsize(name) > 0:
                return True
        except OSError:
            continue
    return False
