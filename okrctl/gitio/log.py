"""The git history of a few files in one ``git log`` call, and their versions in one ``cat-file``.

``file_history`` asks git for every commit that touched the given paths together with the blob
ids before and after (``--raw``), then reads all the blobs it needs through a single
``git cat-file --batch`` process. Two processes in all, whatever the number of commits: a
repository with thousands of commits answers in about the time git needs to walk it.

The log is read NUL-separated (``-z``, and NUL between the header fields): an author name or a
file name may hold any other byte, a newline or a separator character included, and still split
the same way. A commit whose date cannot be read is left out and named in ``skipped``; one with a
time zone offset Python cannot represent is dated in UTC.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from okrctl import lfs
from okrctl.gitio.moves import FormerPlaces, Places
from okrctl.gitio.repo import PARTIAL_CLONE_FIX, GitError, WorkTree, last_words, partial_clone, run_git, work_tree

# One record per commit: a marker and the hash, then name, email, committer time (seconds since
# the epoch) and the raw date (for its offset: ``--date=raw``), each field ended by NUL. Git forbids
# NUL in a name. Not ``%cI``: git stops the whole log on a date it cannot write in ISO form (a commit
# of the first hours of 1970 in a zone west of UTC: "Timestamp before Unix epoch").
_FORMAT = "%x1e%H%x00%an%x00%ae%x00%ct%x00%cd%x00"
_HEADER_FIELDS = 4  # after the hash
_SHA = re.compile(rb"^[0-9a-f]{40}([0-9a-f]{24})?$")
_OFFSET = re.compile(r"([+-])(\d\d):?(\d\d)$")
_FILE_MODES = ("100644", "100755")
_YAML_SUFFIXES = (".yaml", ".yml")
MAX_BLOB_BYTES = 1024 * 1024  # the loader's own limit: a bigger version is not read


@dataclass(frozen=True)
class FileVersion:
    """One file changed by one commit: its content before and after (None: absent, unreadable, or
    not read because the commit has nothing to compare it with)."""

    path: str  # relative to the folder the history was asked from, with "/" (bytes not UTF-8 as \xNN)
    old: bytes | None
    new: bytes | None
    # The version is in the history but could not be read (``FileHistory.unread`` says why): what
    # it held is unknown, which is not the same as nothing.
    old_unread: bool = False
    new_unread: bool = False
    # The blob of the version after, not read yet (``AddedBlobs`` reads it when it is wanted).
    new_oid: str | None = None
    # A merge's versions of the file in its other parents (``old`` is the first parent's): a value
    # the merge took from one of them is that side's change, not the merge's.
    others: tuple[bytes | None, ...] = ()


UNREAD_MISSING = "missing"  # git has no such object here (a damaged repository, a partial clone)
UNREAD_TOO_LARGE = "too large"  # over MAX_BLOB_BYTES: never read, as the loader never reads such a file
UNREAD_LFS = "Git LFS pointer"  # git holds a pointer to the file in Git LFS, not the file (``lfs.pointer``)


@dataclass(frozen=True)
class UnreadVersion:
    """A version of a file the history needed and could not read."""

    path: str
    commit: str  # the first commit (oldest first) that has it as its version after, or else before
    after: bool  # whether it is the version ``commit`` wrote (else the one ``commit`` replaced)
    reason: str  # UNREAD_MISSING or UNREAD_TOO_LARGE


@dataclass(frozen=True)
class Commit:
    sha: str
    author_name: str
    author_email: str
    committed: datetime  # committer date, in the committer's time zone
    files: list[FileVersion] = field(default_factory=list)

    @property
    def day(self) -> date:
        return self.committed.date()


@dataclass
class FileHistory:
    """What git knows about some files: commits oldest first, and whether it knows everything."""

    commits: list[Commit]
    in_git: bool = True
    shallow: bool = False  # a shallow clone: commits before the oldest one here are missing
    problem: str | None = None  # git failed; the history is empty
    # The oldest commit git listed for these files (before ``since``): where a shallow history starts.
    oldest_sha: str | None = None
    oldest_day: date | None = None
    skipped: list[str] = field(default_factory=list)  # commits whose date could not be read
    unread: list[UnreadVersion] = field(default_factory=list)  # versions compared but not readable
    # Where the folder lies and lay in git's tree (``gitio.moves``): handed to the next
    # ``file_history`` of the same folder, which then asks git no more about it.
    places: Places | None = None


@dataclass
class _RawChange:
    path: str
    old_oid: str | None
    new_oid: str | None
    other_oids: tuple[str | None, ...] = ()  # a merge's other parents' versions
    rank: int = 0  # under the folder where it is now (0), or under a former one (1 + its index)


@dataclass
class _RawCommit:
    sha: str
    author_name: str
    author_email: str
    committed: datetime
    changes: list[_RawChange]


def file_history(
    folder: Path,
    paths: list[str],
    *,
    since: date | None = None,
    tree: WorkTree | None = None,
    first_parent: bool = False,
    places: Places | None = None,
) -> FileHistory:
    """Every commit that changed one of the YAML files under ``paths`` (relative to ``folder``).

    ``since`` keeps the commits from the newest back to the oldest dated on or after it (their
    "before" versions are still read, so the first change in range has something to compare with);
    a commit dated earlier among them is kept too. The versions before a commit that only removes
    files are read (what it took out), and after one that only adds files once an earlier commit
    changed or removed one (what it may put back). With
    ``first_parent``, the history is the branch's own line: merges included, each compared with its
    first parent (what the merge brought to the branch), and the commits they merged left out.
    Without it, a merge brings only the files it changed itself (that differ from every parent),
    compared with its first parent.
    A folder below git's top that was moved there (``okrctl.yaml`` renamed with it) has its
    former paths read too, each as the path it has now (``gitio.moves``): the history reads as if
    the folder had always been where it is, and a move of the whole folder changes nothing by
    itself. ``places``: where the folder lies and lay, as an earlier call found (``FileHistory.places``).
    Outside git, the history is empty and ``in_git`` is False.
    """
    try:
        tree = tree or work_tree(folder)
    except GitError as exc:
        return FileHistory([], problem=str(exc))
    if tree is None:
        return FileHistory([], in_git=False)
    if not paths:
        return FileHistory([], shallow=tree.shallow)
    # Where the folder lay before is asked of git only below the top, while the log runs: a folder
    # at the top, or one whose place is known, costs no command; one that never moved, no wait.
    former = FormerPlaces(folder, tree.top) if places is None else None
    try:
        result = (
            None
            if places is not None and places.before
            else run_git(folder, *_log_args(paths, first_parent), check=False)
        )
        if former is not None:
            places = former.result()
            former = None
        relocate = None
        if places is not None and places.before and (result is None or result.returncode == 0):
            # Moved: read from the top, under the folder's former paths as well.
            moved = places

            def relocate(commit: str, raw: bytes) -> tuple[int, bytes, bool] | None:
                placed = moved.relocate(commit, raw, paths, folder)
                return None if placed is None else (*placed, moved.leaving(commit, placed[0]))

            result = run_git(
                tree.top, *_log_args(moved.pathspecs(paths, folder), first_parent, relative=False), check=False
            )
    except GitError as exc:
        return FileHistory([], shallow=tree.shallow, problem=str(exc), places=places)
    finally:
        if former is not None:
            former.stop()  # the log failed: its answer is not wanted
    assert result is not None
    if result.returncode != 0:
        if not _has_commits(folder):
            return FileHistory([], shallow=tree.shallow)  # a fresh repository: no history yet
        if partial_clone(folder):
            return FileHistory([], shallow=tree.shallow, problem=PARTIAL_CLONE_FIX)
        return FileHistory([], shallow=tree.shallow, problem=last_words(result.stderr) or "git log failed")
    skipped: list[str] = []
    listed = parse_log(result.stdout, skipped, relocate)
    oldest = listed[-1] if listed else None
    if since is not None:
        # The commits from the newest back to the oldest one dated on or after ``since``, in git's
        # order: one dated earlier that comes after such a commit (a clock set wrong, a rebase that
        # kept the author's dates) is part of that tail, and the versions around it are compared as
        # they follow each other. The caller keeps the changes of the days it asked for.
        last = max((i for i, c in enumerate(listed) if c.committed.date() >= since), default=-1)
        listed_since = listed[: last + 1]
    else:
        listed_since = listed
    # A commit with no YAML file of its own (a merge that took each file from one side, another
    # file under the paths) holds no version to compare: left out, so that it never reads as a
    # commit that only adds files (which sends a reading from a day back to the whole history).
    raw_commits = [c for c in reversed(listed_since) if c.changes]  # oldest first
    # A version is compared with another version of the same commit, or with what an earlier
    # commit took out. A commit that changes or removes files is read (what it took out, a later
    # commit may put back). One that only adds files after such a commit may put back what was
    # taken out (a target lowered on the way): its blobs are named (``FileVersion.new_oid``) and
    # read only when wanted (``AddedBlobs``); before one (the import of a whole organisation,
    # where nothing can have been taken out), they are not. A commit not read has its files listed
    # with neither version.
    compared: set[str] = set()
    added_later: set[str] = set()
    # an earlier commit changed or removed a file (one before ``since`` too, outside the list)
    changed_before = any(ch.old_oid for c in listed[len(listed_since) :] for ch in c.changes)
    for c in raw_commits:
        had_old = any(ch.old_oid for ch in c.changes)
        if had_old:
            compared.add(c.sha)
        elif changed_before:
            added_later.add(c.sha)
        changed_before = changed_before or had_old
    wanted = {
        oid
        for c in raw_commits
        if c.sha in compared
        for ch in c.changes
        for oid in (ch.old_oid, ch.new_oid, *ch.other_oids)
        if oid
    }
    sizes: dict[str, int] = {}
    try:
        blobs = read_blobs(folder, sorted(wanted), sizes)
    except GitError as exc:
        return FileHistory([], shallow=tree.shallow, problem=str(exc))
    # A version kept in Git LFS is held as a pointer: unread, never taken for a broken file (whose
    # objectives would vanish and "come back" at the next version git holds as text).
    pointers = _take_lfs_pointers(blobs)
    unread: dict[str, UnreadVersion] = {}

    def version(sha: str, path: str, oid: str | None, after: bool) -> tuple[bytes | None, bool]:
        """The content of one version, and whether it is one that could not be read."""
        if oid is None or sha not in compared:
            return None, False
        found = blobs.get(oid)
        if found is None and oid not in unread:
            too_large = sizes.get(oid, 0) > MAX_BLOB_BYTES
            reason = UNREAD_LFS if oid in pointers else UNREAD_TOO_LARGE if too_large else UNREAD_MISSING
            unread[oid] = UnreadVersion(path, sha, after, reason)
        return found, found is None

    commits = []
    for c in raw_commits:
        files = []
        for ch in c.changes:
            old, old_unread = version(c.sha, ch.path, ch.old_oid, False)
            new, new_unread = version(c.sha, ch.path, ch.new_oid, True)
            later = ch.new_oid if c.sha in added_later else None
            others = tuple(blobs.get(oid) if oid and c.sha in compared else None for oid in ch.other_oids)
            files.append(FileVersion(ch.path, old, new, old_unread, new_unread, later, others))
        commits.append(Commit(c.sha, c.author_name, c.author_email, c.committed, files))
    oldest_sha, oldest_day = (oldest.sha, oldest.committed.date()) if oldest else (None, None)
    if tree.shallow:
        # A clone cut in several places (a merge near the depth): the commits behind the newest
        # cut are missing too, so the history is whole only from that cut on.
        cut = newest_cut(folder)
        if cut is not None and (oldest_day is None or cut[1] > oldest_day):
            oldest_sha, oldest_day = cut
    return FileHistory(
        commits,
        shallow=tree.shallow,
        oldest_sha=oldest_sha,
        oldest_day=oldest_day,
        skipped=skipped,
        unread=list(unread.values()),
        places=places,
    )


def _log_args(pathspecs: list[str], first_parent: bool, *, relative: bool = True) -> list[str]:
    """``git log --raw`` of ``pathspecs``: the paths printed relative to the folder git runs in
    (``relative``), or else to the top."""
    return [
        "log",
        "--raw",
        "--no-abbrev",
        "--no-renames",
        # A merge is listed with what it changed itself (``-c``: the files that differ from every
        # parent, such as a conflict resolved to a third value), compared with its first parent;
        # what it took from one side is that side's commits' change, listed with them.
        # Every line of the history, not the one git's simplification keeps: a merge whose
        # files equal one parent's would hide the other parent's commits (main's own moves,
        # when it merges a branch that touched other files after moving a target and back).
        *(["--first-parent", "-m"] if first_parent else ["-c", "--full-history"]),
        *(["--relative"] if relative else []),
        "-z",
        # Names in UTF-8, as they are read, whatever i18n.logOutputEncoding a user's config sets.
        "--encoding=UTF-8",
        "--date=raw",
        f"--format={_FORMAT}",
        "--",
        *pathspecs,
    ]


def newest_cut(folder: Path) -> tuple[str, date] | None:
    """In a shallow clone, the newest commit reachable from HEAD whose parents the clone lacks,
    and its day; None when it cannot be told (no such commit, git failing)."""
    try:
        where = run_git(folder, "rev-parse", "--git-path", "shallow", check=False)
        if where.returncode != 0:
            return None
        name = where.stdout[:-1] if where.stdout.endswith(b"\n") else where.stdout
        try:
            with open(os.path.join(folder, os.fsdecode(name)), "rb") as handle:
                listed = handle.read(4 << 20).split()
        except OSError:
            return None
        cuts = {line.decode("ascii") for line in listed if _SHA.fullmatch(line)}
        if not cuts:
            return None
        reachable = run_git(folder, "rev-list", "HEAD", check=False)
        if reachable.returncode != 0:
            return None
        ours = sorted(cuts.intersection(reachable.stdout.decode("ascii", "replace").split()))
        if not ours:
            return None
        dated = run_git(folder, "log", "--no-walk=unsorted", "--date=raw", "--format=%H %ct %cd", *ours, check=False)
    except GitError:
        return None
    newest: tuple[datetime, str] | None = None
    for line in dated.stdout.decode("ascii", "replace").splitlines() if dated.returncode == 0 else ():
        sha, _, rest = line.partition(" ")
        seconds, _, written = rest.partition(" ")
        when = commit_time(seconds, written)
        if when is not None and (newest is None or when > newest[0]):
            newest = (when, sha)
    return (newest[1], newest[0].date()) if newest is not None else None


_SHA = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")


class AddedBlobs:
    """The versions that commits of only added files name (``FileVersion.new_oid``), read all at
    once, through one ``git cat-file``, the first time one of them is wanted."""

    def __init__(self, folder: Path, commits: list[Commit]) -> None:
        self.folder = folder
        self.oids = sorted({v.new_oid for c in commits for v in c.files if v.new_oid is not None})
        self.blobs: dict[str, bytes] | None = None

    def read(self, commit: Commit) -> Commit:
        """``commit`` with the versions its files were added with read; a version that cannot be
        read is marked so, as ``file_history`` marks one."""
        if not any(version.new_oid is not None for version in commit.files):
            return commit
        if self.blobs is None:
            try:
                self.blobs = read_blobs(self.folder, self.oids)
            except GitError:
                self.blobs = {}
            _take_lfs_pointers(self.blobs)  # unread, as ``file_history`` takes them
        blobs = self.blobs
        files = [
            FileVersion(v.path, v.old, blobs.get(v.new_oid), v.old_unread, v.new_oid not in blobs)
            if v.new_oid is not None
            else v
            for v in commit.files
        ]
        return Commit(commit.sha, commit.author_name, commit.author_email, commit.committed, files)


def _take_lfs_pointers(blobs: dict[str, bytes]) -> set[str]:
    """Take the Git LFS pointers out of ``blobs``; their ids."""
    pointers = {oid for oid, raw in blobs.items() if lfs.pointer(raw)}
    for oid in pointers:
        del blobs[oid]
    return pointers


def _has_commits(folder: Path) -> bool:
    try:
        return run_git(folder, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode == 0
    except GitError:
        return False


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _path(raw: bytes) -> str:
    """A path as git wrote it, each byte that is not UTF-8 as ``\\xNN``: the name discovery gives
    the file (``load.discover.shown_name``), so ``history`` names it as ``align`` does. Read as
    U+FFFD the byte was lost, and two names differing only there became one."""
    return raw.decode("utf-8", "backslashreplace")


def commit_time(seconds: str, written: str) -> datetime | None:
    """The committer time in the committer's zone, whose offset ends ``written`` (the raw date,
    ``1 -1200``, or an ISO one); UTC when git records an offset Python cannot hold.

    None when the time itself cannot be read (not a number, or beyond the years a date can have).
    """
    try:
        instant = datetime.fromtimestamp(int(seconds), UTC)
    except (ValueError, OverflowError, OSError):
        return None
    match = _OFFSET.search(written)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        hours, minutes = int(match.group(2)), int(match.group(3))
        if hours < 24 and minutes < 60:
            try:
                return instant.astimezone(timezone(sign * timedelta(hours=hours, minutes=minutes)))
            except (ValueError, OverflowError):
                pass
    return instant


def parse_log(
    output: bytes,
    skipped: list[str] | None = None,
    relocate: Callable[[str, bytes], tuple[int, bytes, bool] | None] | None = None,
) -> list[_RawCommit]:
    """Commits of ``git log --raw -z`` with the format above, newest first (as git prints them).

    Fields are taken by position, never searched for, so no byte inside a name or path can shift
    them. The hash of a commit that cannot be dated is added to ``skipped``. ``relocate`` maps each
    path git printed (and its commit) to the folder's path as it is now, with its rank
    and whether the commit moved the folder out of that place (``Places.relocate``); the
    versions of one path under two places in a commit (the folder moved) are then one change.
    """
    commits: list[_RawCommit] = []
    current: _RawCommit | None = None
    tokens = output.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x1e"):
            sha = token[1:]
            fields = [_text(t) for t in tokens[i : i + _HEADER_FIELDS]]
            i += _HEADER_FIELDS
            committed = commit_time(fields[2], fields[3]) if len(fields) == _HEADER_FIELDS else None
            if committed is None or not _SHA.match(sha):
                current = None  # its changes are skipped with it
                if skipped is not None:
                    skipped.append(_text(sha)[:12] or "?")
                continue
            current = _RawCommit(sha.decode("ascii"), fields[0], fields[1], committed, [])
            commits.append(current)
        elif token.startswith(b":"):
            if i >= len(tokens):
                break
            raw_path, rank, leaving = tokens[i], 0, False
            i += 1  # the path always follows its change line, whatever bytes it holds
            if relocate is not None:
                placed = relocate(current.sha, raw_path) if current is not None else None
                if placed is None:
                    continue
                rank, raw_path, leaving = placed
            path = _path(raw_path)
            # One colon per parent (a merge's combined line has two or more), then a mode for each
            # parent and the commit, a blob id for each likewise, and the status letters. The version
            # before is the first parent's.
            parents = len(token) - len(token.lstrip(b":"))
            meta = _text(token[parents:]).split()
            if current is None or len(meta) < 2 * parents + 3 or not path.endswith(_YAML_SUFFIXES):
                continue
            modes, oids = meta[: parents + 1], meta[parents + 1 : 2 * parents + 2]
            held = [
                oid if oid.strip("0") and mode in _FILE_MODES else None for mode, oid in zip(modes, oids, strict=True)
            ]
            if leaving:
                # The commit that moved the folder away: its version there after is another file's.
                held[-1] = None
                if not any(held):
                    continue
            current.changes.append(_RawChange(path, held[0], held[-1], tuple(held[1:-1]), rank))
    if relocate is not None:
        for commit in commits:
            commit.changes = _one_change_a_path(commit.changes)
    return commits


def _one_change_a_path(changes: list[_RawChange]) -> list[_RawChange]:
    """The changes of one commit with those of the same path (a file that left a former folder and
    came to the new one) made one: each version from the newest place that has one. The same
    version before and after is no change (a move of the whole folder changes nothing)."""
    by_path: dict[str, list[_RawChange]] = {}
    for change in changes:
        by_path.setdefault(change.path, []).append(change)
    kept: list[_RawChange] = []
    for path, same in by_path.items():
        if len(same) == 1:
            kept.append(same[0])
            continue
        same.sort(key=lambda change: change.rank)
        width = max(len(change.other_oids) for change in same)

        def first(oids: list[str | None]) -> str | None:
            return next((oid for oid in oids if oid), None)

        old = first([change.old_oid for change in same])
        new = first([change.new_oid for change in same])
        others = tuple(
            first([change.other_oids[n] if n < len(change.other_oids) else None for change in same])
            for n in range(width)
        )
        if old == new and all(other == new for other in others):
            continue
        kept.append(_RawChange(path, old, new, others, same[0].rank))
    return kept


def blob_sizes(folder: Path, oids: list[str]) -> dict[str, int]:
    """The size in bytes of each blob of ``oids`` (one ``git cat-file --batch-check``), before any
    is read; a missing object, or one that is not a blob, is left out."""
    if not oids:
        return {}
    unique = sorted(set(oids))
    result = run_git(folder, "cat-file", "--batch-check", input=("\n".join(unique) + "\n").encode(), check=False)
    if result.returncode != 0:
        # A partial clone: git would fetch a blob it lacks from the promisor remote, which okrctl
        # forbids (``run.py``), and then stops at the first one. Those it holds are asked again.
        unique = present(folder, unique)
        if not unique:
            return {}
        result = run_git(folder, "cat-file", "--batch-check", input=("\n".join(unique) + "\n").encode())
    sizes: dict[str, int] = {}
    for line in result.stdout.decode("ascii", "replace").split("\n"):
        fields = line.split(" ")
        if len(fields) == 3 and fields[1] == "blob" and fields[2].isdigit():
            sizes[fields[0]] = int(fields[2])
    return sizes


def present(folder: Path, oids: list[str]) -> list[str]:
    """The objects of ``oids`` (blobs) that this repository holds, without fetching any: ``git
    rev-list --missing=print`` never asks a promisor remote, even on a git that knows no
    ``GIT_NO_LAZY_FETCH``."""
    result = run_git(
        folder,
        "rev-list",
        "--objects",
        "--no-walk",
        "--missing=print",
        "--ignore-missing",
        "--stdin",
        input=("\n".join(oids) + "\n").encode(),
    )
    held = {line.split(" ", 1)[0] for line in result.stdout.decode("ascii", "replace").split("\n")}
    return [oid for oid in oids if oid in held]


def named_versions(folder: Path, names: list[str]) -> dict[str, bytes]:
    """The content of each version ``names`` gives as ``REV:./PATH`` (relative to ``folder``) that
    git holds as a blob within MAX_BLOB_BYTES: one ``git cat-file --batch-check`` to name their
    blobs, then ``read_blobs``. A name git cannot resolve (no such file in that commit) is left
    out, as is every one when git fails."""
    wanted = [name for name in names if "\n" not in name]
    if not wanted:
        return {}
    try:
        named = run_git(
            folder, "cat-file", "--batch-check", input="".join(f"{n}\n" for n in wanted).encode(), check=False
        )
        if named.returncode != 0:
            return {}
        # One line an input, in its order: "<oid> blob <size>", or the name and "missing".
        lines = named.stdout.decode("utf-8", "replace").split("\n")
        oids = {}
        for name, line in zip(wanted, lines, strict=False):
            fields = line.split(" ")
            if len(fields) == 3 and fields[1] == "blob" and _SHA.fullmatch(fields[0].encode("ascii", "replace")):
                oids[name] = fields[0]
        blobs = read_blobs(folder, sorted(set(oids.values())))
    except GitError:
        return {}
    return {name: blobs[oid] for name, oid in oids.items() if oid in blobs}


def read_blobs(folder: Path, oids: list[str], sizes: dict[str, int] | None = None) -> dict[str, bytes]:
    """The content of every blob in ``oids`` within MAX_BLOB_BYTES, through one ``git cat-file
    --batch`` process; the size of every blob found is added to ``sizes``.

    The sizes are asked for first (``blob_sizes``): a repository may hold a version of any size,
    and one over the limit is never read, so what is held here is at most MAX_BLOB_BYTES a blob.
    Missing objects and blobs over the limit are left out.
    """
    if not oids:
        return {}
    known = blob_sizes(folder, oids)
    if sizes is not None:
        sizes.update(known)
    small = sorted(oid for oid in set(oids) if known.get(oid, MAX_BLOB_BYTES + 1) <= MAX_BLOB_BYTES)
    if not small:
        return {}
    result = run_git(folder, "cat-file", "--batch", input=("\n".join(small) + "\n").encode())
    out = result.stdout
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.find(b"\n", pos)
        if end < 0:
            break
        header = out[pos:end].split()
        pos = end + 1
        if len(header) != 3:
            continue  # "<oid> missing" and the like
        oid, kind, size_text = _text(header[0]), header[1], header[2]
        try:
            size = int(size_text)
        except ValueError:
            break
        if kind == b"blob" and size <= MAX_BLOB_BYTES:
            blobs[oid] = out[pos : pos + size]
        pos += size + 1  # the content is followed by a newline
    return blobs
