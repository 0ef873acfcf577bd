"""The git history of a few files in one ``git log`` call, and their versions in one ``cat-file``.

``file_history`` asks git for every commit that touched the given paths together with the blob
ids before and after (``--raw``), then reads all the blobs it needs through a single
``git cat-file --batch`` process. Two processes in all, whatever the number of commits: a
repository with thousands of commits answers in about the time git needs to walk it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from okrctl.gitio.repo import GitError, WorkTree, last_words, run_git, work_tree

# One record per commit: a separator no header field contains, then fields split by \x1f.
_FORMAT = "%x1e%H%x1f%an%x1f%ae%x1f%cI"
_NULL_OID = "0" * 40
_FILE_MODES = ("100644", "100755")
_YAML_SUFFIXES = (".yaml", ".yml")
MAX_BLOB_BYTES = 1024 * 1024  # the loader's own limit: a bigger version is not read


@dataclass(frozen=True)
class FileVersion:
    """One file changed by one commit: its content before and after (None: absent or unreadable)."""

    path: str  # relative to the folder the history was asked from, with "/"
    old: bytes | None
    new: bytes | None


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


@dataclass
class _RawChange:
    path: str
    old_oid: str | None
    new_oid: str | None


@dataclass
class _RawCommit:
    sha: str
    author_name: str
    author_email: str
    committed: datetime
    changes: list[_RawChange]


def file_history(
    folder: Path, paths: list[str], *, since: date | None = None, tree: WorkTree | None = None
) -> FileHistory:
    """Every commit that changed one of the YAML files under ``paths`` (relative to ``folder``).

    ``since`` keeps the commits dated on or after it (their "before" versions are still read, so
    the first change in range has something to compare with). Outside git, the history is empty
    and ``in_git`` is False.
    """
    tree = tree or work_tree(folder)
    if tree is None:
        return FileHistory([], in_git=False)
    if not paths:
        return FileHistory([], shallow=tree.shallow)
    try:
        result = run_git(
            folder,
            "log",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            "--no-merges",
            "--relative",
            "-z",
            f"--format={_FORMAT}",
            "--",
            *paths,
            check=False,
        )
    except GitError as exc:
        return FileHistory([], shallow=tree.shallow, problem=str(exc))
    if result.returncode != 0:
        if not _has_commits(folder):
            return FileHistory([], shallow=tree.shallow)  # a fresh repository: no history yet
        return FileHistory([], shallow=tree.shallow, problem=last_words(result.stderr) or "git log failed")
    listed = parse_log(result.stdout)
    oldest = listed[-1] if listed else None
    raw_commits = [c for c in reversed(listed) if since is None or c.committed.date() >= since]  # oldest first
    wanted = {oid for c in raw_commits for ch in c.changes for oid in (ch.old_oid, ch.new_oid) if oid}
    try:
        blobs = read_blobs(folder, sorted(wanted))
    except GitError as exc:
        return FileHistory([], shallow=tree.shallow, problem=str(exc))
    commits = [
        Commit(
            c.sha,
            c.author_name,
            c.author_email,
            c.committed,
            [
                FileVersion(
                    ch.path,
                    blobs.get(ch.old_oid) if ch.old_oid else None,
                    blobs.get(ch.new_oid) if ch.new_oid else None,
                )
                for ch in c.changes
            ],
        )
        for c in raw_commits
    ]
    return FileHistory(
        commits,
        shallow=tree.shallow,
        oldest_sha=oldest.sha if oldest else None,
        oldest_day=oldest.committed.date() if oldest else None,
    )


def _has_commits(folder: Path) -> bool:
    try:
        return run_git(folder, "rev-parse", "-q", "--verify", "HEAD", check=False).returncode == 0
    except GitError:
        return False


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _parse_date(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_log(output: bytes) -> list[_RawCommit]:
    """Commits of ``git log --raw -z`` with the format above, newest first (as git prints them)."""
    commits: list[_RawCommit] = []
    current: _RawCommit | None = None
    tokens = output.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x1e"):
            fields = _text(token[1:]).split("\x1f")
            committed = _parse_date(fields[3]) if len(fields) == 4 else None
            if committed is None:
                current = None  # malformed header: skip this commit rather than guess
                continue
            current = _RawCommit(fields[0], fields[1], fields[2], committed, [])
            commits.append(current)
        elif token.startswith(b":"):
            if i >= len(tokens):
                break
            path = _text(tokens[i])
            i += 1  # the path always follows its change line, whatever bytes it holds
            meta = _text(token[1:]).split()
            if current is None or len(meta) < 5 or not path.endswith(_YAML_SUFFIXES):
                continue
            old_mode, new_mode, old_oid, new_oid = meta[0], meta[1], meta[2], meta[3]
            current.changes.append(
                _RawChange(
                    path,
                    old_oid if old_oid != _NULL_OID and old_mode in _FILE_MODES else None,
                    new_oid if new_oid != _NULL_OID and new_mode in _FILE_MODES else None,
                )
            )
    return commits


def read_blobs(folder: Path, oids: list[str]) -> dict[str, bytes]:
    """The content of every blob in ``oids`` through one ``git cat-file --batch`` process.

    Blobs over MAX_BLOB_BYTES (or missing ones, e.g. beyond a partial clone) are left out.
    """
    if not oids:
        return {}
    result = run_git(folder, "cat-file", "--batch", input=("\n".join(oids) + "\n").encode())
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
