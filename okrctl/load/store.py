"""okrctl's store: an SQLite database outside the repository, keyed on file content.

What it holds (one database for every repository the user works on):

* ``entries``: what parsing a file's bytes gave (its documents as plain values, or the problem that
  made it unreadable), by the content digest of those bytes. Shared by every repository and every
  commit, so a file read from git objects with the same bytes is never parsed twice.
* with each entry, a summary of what its file holds (valid check-ins only: whose, when and with
  which result keys; or anything else), so a command about one team, or ``align``, can tell which
  files it needs without reading the others.
* ``stats``: per repository, a stat table (size, mtime, ctime, inode, device → digest), like git's
  index, so an unchanged file is known without reading it.
* ``memo``: per repository, the last outputs of read-only commands (small ones only).
* ``findings``: per repository, the findings of the rules that read nothing but the files, by the
  repository's content fingerprint, the day and the cycles (``rules.memo``): ``align`` with other
  options, ``diff`` and a pull request's gate judge a content already judged without running them.
* ``walks``: per repository, the last walk of a large work tree and git's index at the time
  (``keptwalk``): while git says no tracked file changed, the next run takes the walk from here.
* ``places``: by content digest too, the line and column of a place in a document that a finding
  pointed at, and what it is about (``Finding.about``), learnt when a run had to parse the file
  again for them (``Repo.place``): the next run with that finding needs neither the file nor a
  parse.

Why it is trusted (the threat model is written out in docs/ci.md and docs/security.md):
repository content is not — anyone who can open a pull request writes it. So the store never
lives inside the repository (nor inside the git work tree holding it): a cache that is committed
or planted there is never read, and nothing is ever written there. The store's folder is the
user's cache folder (``$XDG_CACHE_HOME/okrctl``, ``~/.cache/okrctl``) or ``OKRCTL_CACHE_DIR``: a
place only the user (or the CI job's own cache step) writes, as trusted as okrctl's own
installation. It must be a folder owned by the user that nobody else may write. Every entry is
keyed by the BLAKE2b digest of the bytes it describes, so an entry can only ever answer for the
very bytes it was made from, and each code of okrctl (its version, a digest of its source and the
versions of the libraries it works with) has a database of its own: another version, or other code of the same version, starts with a
store of its own, and never reads another's. A corrupt or unreadable
database is removed and rebuilt; one that another okrctl keeps locked is left alone. Any database
error means the command runs without the store, never that it fails.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import re
import sqlite3
import stat
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, NamedTuple

from okrctl import __version__
from okrctl.forked import Background
from okrctl.safetext import shown_path

# One database per code of okrctl (``store_name``), so that two installs of different code sharing
# one cache folder (a pre-commit hook pinned to one release, a newer okrctl on the PATH) keep a
# store each instead of starting afresh whenever the other has run. The stores of other code are
# removed once unused for KEEP_DAYS, and beyond the OTHER_STORES_KEPT used last.
STORE_PATTERN = re.compile(r"store-(?:v1|[0-9a-f]{16})\.sqlite3")  # v1: one database for every code
# git's index as it was when a walk was kept (``keptwalk.index_copy_path``), and one being made.
INDEX_COPY_PATTERN = re.compile(r"walk-[0-9a-f]{32}\.index(?:\.[0-9]+\.tmp)?")
OTHER_STORES_KEPT = 2
# Anything okrctl stores depends on how it parses: a new version (or schema) starts afresh.
STORE_FORMAT = f"okrctl-store/9/{__version__}"
KEEP_DAYS = 30  # entries and memoised results unused for this long are removed
# An entry's day of use is written again only when it is this many days old (a run on a store
# restored from an earlier day would otherwise rewrite every entry it reads); pruning allows for it.
USED_REFRESH_DAYS = 7
MEMO_KEPT = 24  # memoised results per repository
MEMO_MAX_BYTES = 1024 * 1024  # larger outputs are recomputed, never stored
FINDINGS_KEPT = 8  # rule findings kept per repository (``rules.memo``)
FINDINGS_MAX_BYTES = 16 * 1024 * 1024  # compressed; larger ones are found again, never stored
BUSY_MS = 2000
STATS_WRITTEN_MEANWHILE = 2000  # changed stat rows from which a worker writes them (``save_stats``)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries(
    digest TEXT PRIMARY KEY, payload TEXT NOT NULL, used INTEGER NOT NULL, summary TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blobs(oid TEXT PRIMARY KEY, digest TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stats(
    repo TEXT NOT NULL, path TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL,
    ctime INTEGER NOT NULL, ino INTEGER NOT NULL, dev INTEGER NOT NULL, digest TEXT NOT NULL,
    summary TEXT, PRIMARY KEY(repo, path)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memo(
    repo TEXT NOT NULL, key TEXT NOT NULL, text TEXT NOT NULL, exit INTEGER NOT NULL, note TEXT NOT NULL,
    at REAL NOT NULL, PRIMARY KEY(repo, key)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS findings(
    repo TEXT NOT NULL, key TEXT NOT NULL, data BLOB NOT NULL, at REAL NOT NULL, PRIMARY KEY(repo, key));
CREATE TABLE IF NOT EXISTS walks(repo TEXT PRIMARY KEY, head TEXT NOT NULL, data BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS places(
    digest TEXT NOT NULL, doc INTEGER NOT NULL, loc TEXT NOT NULL, line INTEGER NOT NULL,
    col INTEGER NOT NULL, about TEXT NOT NULL, PRIMARY KEY(digest, doc, loc)) WITHOUT ROWID;
"""


class CheckInEntry(NamedTuple):
    """A stored entry that is one valid check-in without ignore comments or findings, undecoded:
    where its document starts, and its values as the JSON text they were stored as (what a
    ``to_json`` of ``{"docs": [[0, line, column, values, [], "CheckIn", true]], "findings": []}``
    holds between its fixed head and tail)."""

    line: int
    column: int
    data: str
    # (owner, date, result keys) as the store's index has them, when the process that analysed the
    # file sends them along: a load with a scope then decides on the check-in without its model.
    summary: tuple[str, str, str | None] | None = None


_ONE_CHECKIN_HEAD = re.compile(r'\{"docs":\[\[0,([1-9][0-9]{0,8}),([1-9][0-9]{0,8}),(?=\{)')
_ONE_CHECKIN_TAIL = ',[],"CheckIn",true]],"findings":[]}'


def place_key(loc: tuple[Any, ...], key: bool) -> str | None:
    """How the ``places`` table names a place in a document: JSON of whether it is the key's place
    or the value's, then the path's parts (None for a part that is not a text or a number)."""
    if not all(type(part) in (str, int) for part in loc):
        return None
    return json.dumps([int(key), *loc], ensure_ascii=False, separators=(",", ":"))


def one_checkin(payload: Any) -> CheckInEntry | None:
    """The ``CheckInEntry`` of a stored payload of that shape, else None (nothing is decoded).

    The head is the first document's and the tail the last one's: an entry of several documents
    has "],[" between them, and a check-in's values never hold it (no list of lists), so such an
    entry is decoded as usual, as is the rare one-check-in entry with "],[" inside a text.
    """
    if type(payload) is not str or not payload.endswith(_ONE_CHECKIN_TAIL):
        return None
    head = _ONE_CHECKIN_HEAD.match(payload)
    if head is None:
        return None
    data = payload[head.end() : len(payload) - len(_ONE_CHECKIN_TAIL)]
    if "],[" in data:
        return None
    return CheckInEntry(int(head[1]), int(head[2]), data)


def cache_enabled() -> bool:
    return not os.environ.get("OKRCTL_NO_CACHE")


def cache_root() -> Path | None:
    """Where the store lives: ``OKRCTL_CACHE_DIR``, else the user's cache folder.

    A relative ``XDG_CACHE_HOME`` is ignored, as the XDG specification asks: it would name a
    folder inside whatever directory the command happens to run in (often the repository).
    A relative ``OKRCTL_CACHE_DIR`` is taken from the working directory. Inside the repository
    it is refused, unless it is a folder a CI cache step restores (``_ci_folder``); the walk never
    lists the store's files there (``pipeline._cache_folder_inside``).
    """
    chosen = os.environ.get("OKRCTL_CACHE_DIR", "")
    if chosen:
        return Path(os.path.abspath(os.path.expanduser(chosen)))
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "okrctl"
    home = os.path.expanduser("~")
    if not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "okrctl"


def repository_boundaries(root: Path) -> list[str]:
    """The folders whose content a pull request controls, found without running git: the git work
    tree holding ``root`` (else ``root`` itself), and, when that work tree's ``.git`` is a file (a
    submodule, a linked worktree), each work tree around it too, up to one whose ``.git`` is a
    folder: a submodule's superproject commits what it likes beside the submodule."""
    real = os.path.realpath(root)
    found: list[str] = []
    current = real
    while True:
        marker = os.path.join(current, ".git")
        if os.path.lexists(marker):
            found.append(current)
            if os.path.isdir(marker) and not os.path.islink(marker):
                return found
        parent = os.path.dirname(current)
        if parent == current:
            return found or [real]
        current = parent


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def digest(raw: bytes) -> str:
    """The content digest every store entry is keyed on."""
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def repository_key(root: Path) -> str:
    return hashlib.blake2b(os.fsencode(os.path.realpath(root)), digest_size=16).hexdigest()


def today_number() -> int:
    return int(time.time() // 86400)


class StoreRefused(Exception):
    """The configured place cannot hold a trusted store (the reason is the message)."""


# On Windows a folder's mode says nothing of who may write it (every folder reads as 0o777), so
# the check of other users' write access there would refuse every cache folder.
MODE_BITS_MEAN_ACCESS = os.name != "nt"


def _trusted_folder(folder: Path, root: Path) -> Path:
    """Create (0700) and check the store's folder; raise ``StoreRefused`` when it is not safe."""
    real_folder = os.path.realpath(folder)
    boundaries = repository_boundaries(root)
    # Every link followed on the way, where it lies: one on the path as written, and one a link
    # leads to (``~/.cache/okrctl`` linked to a link the repository commits) alike.
    links = links_followed(folder)
    for boundary in boundaries:
        if _inside(real_folder, boundary) and not _ci_folder(real_folder, boundary):
            raise StoreRefused(f"the cache folder {folder} is inside the repository; caches there are never trusted")
        link = next((shown for shown, where in links if _inside(where, boundary)), None)
        if link is not None:
            # A link the repository holds (a pull request can commit one) decides where the store goes.
            raise StoreRefused(
                f"the cache folder {folder} is reached through {link}, a link inside the repository; "
                "caches there are never trusted"
            )
    committed = _committed_in_another_work_tree(folder, real_folder, boundaries, links)
    if committed is not None:
        raise StoreRefused(committed)
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.stat(folder)
    except OSError as exc:
        raise StoreRefused(f"cannot use the cache folder {folder}: {exc.strerror or exc}") from None
    except RecursionError:  # thousands of folders to create, one call deep each
        raise StoreRefused(f"cannot use the cache folder {folder}: too many folders to create") from None
    if not stat.S_ISDIR(info.st_mode):
        raise StoreRefused(f"the cache folder {folder} is not a folder")
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise StoreRefused(f"the cache folder {folder} belongs to another user")
    if MODE_BITS_MEAN_ACCESS and info.st_mode & 0o022:
        raise StoreRefused(f"the cache folder {folder} may be written by other users (chmod go-w)")
    # The folder checked is the one used, even if a link on the way is changed meanwhile.
    return Path(real_folder)


def _committed_in_another_work_tree(
    folder: Path, real_folder: str, judged: list[str], links: list[tuple[str, str]]
) -> str | None:
    """Why the store may not go in ``folder`` when another git work tree commits it, else None.

    The repository read is judged above; a work tree around it (a project that checks the OKR
    repository out inside itself in CI) or around the working directory is another's content all the
    same: a folder it tracks, or a link on the way that it tracks, is a store a pull request planted.
    A folder git does not track there (a CI cache step restored it) is trusted, as in the repository."""
    for top in _work_trees_around(real_folder):
        if top in judged:
            continue
        if _tracked_there(Path(top), [os.path.relpath(real_folder, top)]):
            return f"the cache folder {folder} is committed in the git repository {top}; caches there are never trusted"
    for shown, link in links:
        for top in _work_trees_around(os.path.dirname(link)):
            if _tracked_there(Path(top), [os.path.relpath(link, top)]):
                return (
                    f"the cache folder {folder} is reached through {shown}, a link committed in the git "
                    f"repository {top}; caches there are never trusted"
                )
    return None


def links_followed(path: Path | str, *, limit: int = 40) -> list[tuple[str, str]]:
    """Every symbolic link followed to reach ``path``, one part at a time as the system does, each
    as (the path it was reached by, where it lies: its folder resolved), in order. Links a link
    leads to count too. The parts not there yet (made later) end the way; so do ``limit`` links
    (a loop), whatever else the way would have held."""
    start = os.fspath(path)
    pending = list(Path(os.path.join(os.getcwd(), start)).parts)
    current = pending.pop(0)  # the root
    found: list[tuple[str, str]] = []
    while pending:
        part = pending.pop(0)
        if part == "..":
            current = os.path.dirname(current)
            continue
        step = os.path.join(current, part)
        try:
            linked = stat.S_ISLNK(os.lstat(step).st_mode)
            target = os.readlink(step) if linked else ""
        except OSError:  # not there yet, or not to be read: no link the way goes through
            return found
        if not linked:
            current = step
            continue
        found.append((step if not found else f"{step} (a link {found[0][0]} leads to)", step))
        if len(found) >= limit:
            return found
        parts = list(Path(target).parts)
        if os.path.isabs(target):
            current, parts = parts[0], parts[1:]
        pending = parts + pending
    return found


def _work_trees_around(path: str) -> list[str]:
    """Every folder at or above ``path`` with a ``.git`` in it (the top of a git work tree), nearest
    first, found without running git."""
    found: list[str] = []
    current = path
    while True:
        if os.path.lexists(os.path.join(current, ".git")):
            found.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            return found
        current = parent


def _tracked_there(folder: Path, paths: list[str]) -> list[str]:
    """What git tracks at or below ``paths`` in the work tree ``folder`` (none when git cannot tell)."""
    from okrctl.gitio.tree import tracked as tracked_by_git

    return tracked_by_git(folder, paths) or []


def _ci_folder(folder: str, boundary: str) -> bool:
    """A folder inside the git work tree that a CI cache step restores (GitLab's cache can only hold
    folders inside the project): trusted only when ``OKRCTL_CACHE_DIR`` names it, it is not the
    top of the work tree, and git tracks nothing in it — a cache a pull request commits is
    tracked, one the CI service restores is not."""
    if not os.environ.get("OKRCTL_CACHE_DIR") or folder == boundary:
        return False
    if not os.path.isdir(os.path.join(boundary, ".git")) and not os.path.isfile(os.path.join(boundary, ".git")):
        return False  # not a git work tree: nothing tells a committed cache from a restored one
    from okrctl.gitio.tree import tracked

    return tracked(Path(boundary), [os.path.relpath(folder, boundary)]) == []


_OPENED: list[Store] = []  # the stores opened in this process (``close_stores``)
_SAID: set[str] = set()  # the notes of refused folders (and of a store set aside) said by this process
SET_ASIDE_NOTE = "okrctl: note: the store held rows okrctl did not write; it is removed and rebuilt\n"
MEMO_EXITS = range(4)  # the exit codes okrctl uses (SPEC §4): a memo row of another is not believed
# Databases another process kept locked past ``BUSY_MS`` in this command: it goes on without them at
# once, in every store of theirs it opened and in the workers it forks after (each would wait again).
_LOCKED_OUT: set[Path] = set()


def close_stores() -> None:
    """Close every store opened in this process so far (``cli.entry.main``, for a caller in the same
    process: what a command loaded may live on, and its connections with it)."""
    while _OPENED:
        _OPENED.pop().close()


def forget_notes() -> None:
    """The command is done: a next one in this process says its notes of refused folders again,
    and tries again a store that was locked."""
    _SAID.clear()
    _LOCKED_OUT.clear()


class Store:
    """An open store; every method swallows database errors (the command then runs without it)."""

    def __init__(self, connection: sqlite3.Connection, path: Path, repo: str) -> None:
        self.db = connection
        self.path = path
        self.repo = repo
        self.today = today_number()
        self.broken = False
        self.used_now: set[str] = set()  # entries read by this run whose day of use is old (``tidy``)
        # A connection is never used across a fork: a forked worker of the run that reads the store
        # opens one of its own (``_reader``).
        self.pid = os.getpid()
        self._forked_reader: tuple[int, sqlite3.Connection | None] | None = None

    # ----- opening ----------------------------------------------------------------------------
    @classmethod
    def open(cls, root: Path, *, announce: bool = True) -> Store | None:
        """The store for the repository at ``root``, or None (disabled, refused or unusable)."""
        if not cache_enabled():
            return None
        folder = cache_root()
        if folder is None:
            return None
        try:
            real = _trusted_folder(folder, root)
        except StoreRefused as refused:
            # The folder's name as a line may show it (a newline or an escape in it neither starts
            # a line nor reaches the terminal), said once however often the run opens the store
            # (``diff`` opens it for each side).
            note = f"okrctl: note: {shown_path(refused)}; running without a cache\n"
            if announce and note not in _SAID:
                _SAID.add(note)
                sys.stderr.write(note)
            return None
        path = real / store_name()
        if path in _LOCKED_OUT:
            return None
        if not os.path.lexists(path):
            _prune_other_stores(real, path)
        for attempt in (1, 2):
            try:
                connection = _connect(path)
            except StoreBusy:
                # Another okrctl holds it longer than a run waits: this run goes without it, and
                # the store stays (removing it would pull it from under that process).
                return None
            if connection is not None:
                store = cls(connection, path, repository_key(root))
                _OPENED.append(store)
                return store
            if attempt == 1 and not _remove_database(path):
                return None
        return None

    @classmethod
    def open_existing(cls, root: Path) -> Store | None:
        """The store ``open`` would give for ``root`` when it exists already, else None: nothing is
        created, pruned, removed or said (the shell's completion peeks at it). Close it after use."""
        if not cache_enabled():
            return None
        folder = cache_root()
        if folder is None or not os.path.isdir(folder):
            return None
        try:
            real = _trusted_folder(folder, root)
            connection = _connect(real / store_name(), create=False)
        except (StoreRefused, StoreBusy):
            return None
        return None if connection is None else cls(connection, real / store_name(), repository_key(root))

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.db.close()

    def _fail(self) -> None:
        """Stop using the store for the rest of the command (called while a database error is
        handled). When another process keeps it locked, every store of this command on the same
        database stops too, and later workers do not try it: the run loses ``BUSY_MS`` once."""
        self.broken = True
        failed = sys.exc_info()[1]
        if isinstance(failed, sqlite3.Error) and _busy(failed):
            _LOCKED_OUT.add(self.path)
            for other in _OPENED:
                if other.path == self.path:
                    other.broken = True

    def set_aside(self) -> None:
        """Stop using a store whose rows okrctl cannot have written (a row of the wrong type or
        shape: tampered with, or damaged), and remove it: the next run starts a new one."""
        self._fail()
        self.close()
        _remove_database(self.path)

    def reject(self) -> None:
        """``set_aside`` for a row read here that okrctl cannot have written, said on standard
        error (once per command) as ``pipeline.load_repo`` says it of a row that failed to read."""
        self.set_aside()
        if SET_ASIDE_NOTE not in _SAID:
            _SAID.add(SET_ASIDE_NOTE)
            sys.stderr.write(SET_ASIDE_NOTE)

    # ----- parse entries ----------------------------------------------------------------------
    def empty(self) -> bool:
        """Whether the store holds no entry at all (a new store: it can answer for nothing)."""
        if self.broken:
            return True
        try:
            return self.db.execute("SELECT 1 FROM entries LIMIT 1").fetchone() is None
        except sqlite3.Error:
            self._fail()
            return True

    def known(self) -> set[str]:
        """Every digest the store can answer for."""
        if self.broken:
            return set()
        try:
            return {row[0] for row in self.db.execute("SELECT digest FROM entries")}
        except sqlite3.Error:
            self._fail()
            return set()

    def payloads(self, digests: Iterable[str], *, lazy_checkins: bool = False) -> dict[str, Any]:
        """The stored entries of ``digests`` (decoded), fetched in a few queries. With
        ``lazy_checkins``, an entry that is one valid check-in and nothing else comes undecoded, as
        a ``CheckInEntry``: most entries of a large repository are such, and pydantic builds their
        model from the JSON text itself faster than from decoded values."""
        wanted = list(dict.fromkeys(digests))
        found: dict[str, Any] = {}
        stale = self.used_now
        if self.broken or not wanted:
            return found
        old = self.today - USED_REFRESH_DAYS
        try:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, payload, used in self.db.execute(
                    f"SELECT digest, payload, used FROM entries WHERE digest IN ({marks})", chunk
                ):
                    lazy = one_checkin(payload) if lazy_checkins else None
                    if lazy is not None:
                        found[key] = lazy
                        if used < old:
                            stale.add(key)
                        continue
                    try:
                        value = json.loads(payload)
                    except ValueError:
                        continue
                    if isinstance(value, dict):
                        found[key] = value
                        if used < old:
                            stale.add(key)
        except sqlite3.Error:
            self._fail()
        return found

    def forget(self, digests: list[str]) -> None:
        """Remove the entries of ``digests`` (found stale): their files are analysed again."""
        if self.broken or not digests:
            return
        try:
            with self.db:
                self.db.executemany("DELETE FROM entries WHERE digest=?", [(k,) for k in digests])
        except sqlite3.Error:
            self._fail()

    def put_entries(self, rows: list[tuple[str, str, str]]) -> None:
        """``(digest, payload JSON, summary of what the file holds)`` for each new entry
        (``entry.entry_summary``)."""
        if self.broken or not rows:
            return
        try:
            _insert_entries(self.db, rows, self.today)
        except sqlite3.Error:
            self._fail()

    def writer_path(self) -> Path | None:
        """Where another process of this run (a worker) may add entries, None when it may not."""
        return None if self.broken else self.path

    def index_of(self, digests: Iterable[str]) -> dict[str, str]:
        """For each of ``digests`` the store knows: what its file holds (``entry.summary_of``: valid
        check-ins only, whose, when and with which result keys, or anything else), so a command can
        tell which files it needs before reading any entry."""
        if self.broken:
            return {}
        wanted = digests if isinstance(digests, (set, frozenset)) else set(digests)
        try:
            stored = self.db.execute("SELECT count(*) FROM entries").fetchone()[0]
            if len(wanted) * 4 >= stored:
                # Most of the store is wanted (a fresh checkout): one pass over the table is quicker
                # than looking each digest up.
                return {
                    key: summary
                    for key, summary in self.db.execute("SELECT digest, summary FROM entries")
                    if key in wanted
                }
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(digest TEXT PRIMARY KEY) WITHOUT ROWID")
                self.db.execute("DELETE FROM wanted")
                self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((d,) for d in wanted))
                rows = self.db.execute(
                    "SELECT entries.digest, summary FROM entries JOIN wanted ON entries.digest = wanted.digest"
                ).fetchall()
                self.db.execute("DELETE FROM wanted")
        except sqlite3.Error:
            self._fail()
            return {}
        return dict(rows)

    # ----- git blobs ---------------------------------------------------------------------------
    def blob_digests(self, oids: Iterable[str]) -> dict[str, tuple[str, str | None]]:
        """The content digest of each git blob id the store has seen (see ``put_blobs``), with the
        summary of its entry (``index_of``; None when the entry is gone)."""
        found: dict[str, tuple[str, str | None]] = {}
        if self.broken:
            return found
        wanted = oids if isinstance(oids, (set, frozenset)) else set(oids)
        pairs = "SELECT blobs.oid, blobs.digest, entries.summary FROM blobs LEFT JOIN entries ON entries.digest = blobs.digest"
        try:
            stored = self.db.execute("SELECT count(*) FROM blobs").fetchone()[0]
            if not stored:
                return found  # a new store: nothing to look up
            if len(wanted) * 4 >= stored:
                # Most of them (a fresh checkout): one pass over each table is much quicker than
                # looking each entry up.
                return self._every_blob(wanted)
            with self.db:
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted_blobs(oid TEXT PRIMARY KEY) WITHOUT ROWID")
                self.db.execute("DELETE FROM wanted_blobs")
                self.db.executemany("INSERT OR IGNORE INTO wanted_blobs VALUES (?)", ((o,) for o in wanted))
                rows = self.db.execute(f"{pairs} JOIN wanted_blobs ON blobs.oid = wanted_blobs.oid").fetchall()
                self.db.execute("DELETE FROM wanted_blobs")
        except sqlite3.Error:
            self._fail()
            return {}
        return {oid: (key, summary) for oid, key, summary in rows}

    def every_blob_digest(self, most: int) -> dict[str, tuple[str, str | None]] | None:
        """``blob_digests`` of every blob the store has seen, when it has seen at most ``most``
        (for a fresh checkout of that many files, asked before git says which blobs they are);
        else None."""
        if self.broken:
            return {}
        try:
            if self.db.execute("SELECT count(*) FROM blobs").fetchone()[0] > most:
                return None
            return self._every_blob(None)
        except sqlite3.Error:
            self._fail()
            return {}

    def _every_blob(self, wanted: set[str] | frozenset[str] | None) -> dict[str, tuple[str, str | None]]:
        """One pass over the blobs and one over the entries (raises ``sqlite3.Error``)."""
        blobs = self.db.execute("SELECT oid, digest FROM blobs")
        keys = dict(blobs) if wanted is None else {oid: key for oid, key in blobs if oid in wanted}
        known = set(keys.values())
        summaries = {
            key: summary for key, summary in self.db.execute("SELECT digest, summary FROM entries") if key in known
        }
        return {oid: (key, summaries.get(key)) for oid, key in keys.items()}

    def put_blobs(self, pairs: list[tuple[str, str]]) -> None:
        """Remember ``(git blob id, content digest)`` pairs: a fresh checkout of the same files
        (a CI runner with a restored store) then knows them without reading them."""
        if self.broken or not pairs:
            return
        try:
            with self.db:
                self.db.executemany("INSERT OR IGNORE INTO blobs(oid, digest) VALUES (?, ?)", pairs)
        except sqlite3.Error:
            self._fail()

    # ----- places of findings -------------------------------------------------------------------
    def place(self, key: str, doc: int, loc: str) -> tuple[int, int, str] | None:
        """The line, column and ``about`` that ``put_places`` learnt for ``loc`` (``place_key``) of
        document ``doc`` of the bytes of digest ``key``, if any."""
        db = self._reader()
        if db is None:
            return None
        try:
            row = db.execute(
                "SELECT line, col, about FROM places WHERE digest=? AND doc=? AND loc=?", (key, doc, loc)
            ).fetchone()
        except sqlite3.Error:
            self._fail()
            return None
        if row is None or type(row[0]) is not int or type(row[1]) is not int or type(row[2]) is not str:
            return None
        return (row[0], row[1], row[2]) if row[0] >= 1 and row[1] >= 1 else None

    def _reader(self) -> sqlite3.Connection | None:
        """The connection to read with in this process: the store's own, or in a forked worker one
        opened there (None when it cannot be)."""
        if self.broken:
            return None
        if os.getpid() == self.pid:
            return self.db
        if self._forked_reader is None or self._forked_reader[0] != os.getpid():
            try:
                connection = _connect(self.path, create=False)
            except StoreBusy:
                connection = None
            self._forked_reader = (os.getpid(), connection)
        return self._forked_reader[1]

    def put_places(self, rows: Iterable[tuple[str, int, str, int, int, str]]) -> None:
        """Remember ``(digest, document index, place key, line, column, about)`` rows (``place``); from a
        forked worker of the run, through a connection of its own."""
        rows = list(rows)
        if self.broken or not rows:
            return

        def work(db: sqlite3.Connection) -> None:
            with db:
                db.executemany(
                    "INSERT OR IGNORE INTO places(digest, doc, loc, line, col, about) VALUES (?, ?, ?, ?, ?, ?)", rows
                )

        self._write(work)

    def _write(self, work: Callable[[sqlite3.Connection], None]) -> None:
        """``work`` on this process's connection, or in a forked worker of the run on one of its
        own (a connection is never used across a fork); a database error here stops the store."""
        if os.getpid() != self.pid:
            _on_own_connection(self.path, work)
            return
        try:
            work(self.db)
        except sqlite3.Error:
            self._fail()

    # ----- the stat table ---------------------------------------------------------------------
    def stats(self) -> dict[str, tuple[int, int, int, int, int, str, str | None]]:
        if self.broken:
            return {}
        try:
            rows = self.db.execute(
                "SELECT path, size, mtime, ctime, ino, dev, digest, summary FROM stats WHERE repo=?", (self.repo,)
            ).fetchall()
        except sqlite3.Error:
            self._fail()
            return {}
        return self._believed(rows)

    def _believed(self, rows: list[Any]) -> dict[str, tuple[int, int, int, int, int, str, str | None]]:
        """The stat table's ``rows`` by path, or none when one holds a path or a digest that is not
        text, or a summary neither text nor NULL: okrctl cannot have written it (the run goes on
        without the store, set aside). (A size, time, inode or device of another type matches no
        file: its file is read.)"""
        found = {
            row[0]: row[1:]
            for row in rows
            if type(row[0]) is str and type(row[6]) is str and (row[7] is None or type(row[7]) is str)
        }
        if len(found) == len(rows):
            return found
        self.reject()
        return {}

    def stat_rows_of(self, paths: list[str]) -> dict[str, tuple[int, int, int, int, int, str, str | None]]:
        """``stats`` of the given files only."""
        if self.broken:
            return {}
        rows: list[Any] = []
        paths = list(dict.fromkeys(paths))  # (a path twice would be a row twice)
        try:
            for at in range(0, len(paths), 500):
                part = paths[at : at + 500]
                marks = ",".join("?" * len(part))
                rows += self.db.execute(
                    "SELECT path, size, mtime, ctime, ino, dev, digest, summary FROM stats "
                    f"WHERE repo=? AND path IN ({marks})",
                    (self.repo, *part),
                )
        except sqlite3.Error:
            self._fail()
            return {}
        return self._believed(rows)

    def stat_row(self, path: str) -> tuple[int, int, int, int, int] | None:
        """The size, mtime, ctime, inode and device the stat table holds for one file, if any."""
        if self.broken:
            return None
        try:
            row = self.db.execute(
                "SELECT size, mtime, ctime, ino, dev FROM stats WHERE repo=? AND path=?", (self.repo, path)
            ).fetchone()
        except sqlite3.Error:
            self._fail()
            return None
        return None if row is None else (row[0], row[1], row[2], row[3], row[4])

    def save_stats(
        self, old: dict[str, tuple[Any, ...]], new: dict[str, tuple[Any, ...]], *, remove: bool = True
    ) -> Background | None:
        """Write the rows of ``new`` that differ from ``old``; with ``remove``, delete the rows of
        ``old`` that ``new`` lacks (files gone, or changed too recently to be recorded). Many rows
        (a first run on a checkout) are written by a forked worker while the command goes on, which
        is returned (okrctl waits for every such worker before it ends, ``forked.Background``)."""
        if self.broken or old == new:
            return None
        gone = [(self.repo, path) for path in old if path not in new] if remove else []
        changed = [(self.repo, path, *row) for path, row in new.items() if old.get(path) != row]
        if len(gone) + len(changed) >= STATS_WRITTEN_MEANWHILE:
            path = self.path
            later = Background.start(lambda: write_stats(path, gone, changed))
            if later is not None:
                return later
        try:
            _write_stats_with(self.db, gone, changed)
        except sqlite3.Error:
            self._fail()
        return None

    # ----- the kept walk (``keptwalk``) ---------------------------------------------------------
    def kept_walk(self, part: str, head: str | None = None) -> str | bytes | None:
        """The ``head`` or the ``data`` ``keep_walk`` kept for this repository, if any (the head
        alone tells whether the data can answer: a few kB of a few MB). The data only with the
        ``head`` read before: another okrctl may have kept another walk meanwhile."""
        if self.broken or part not in ("head", "data") or (part == "data") != (head is not None):
            return None
        try:
            if head is None:
                row = self.db.execute("SELECT head FROM walks WHERE repo=?", (self.repo,)).fetchone()
            else:
                row = self.db.execute("SELECT data FROM walks WHERE repo=? AND head=?", (self.repo, head)).fetchone()
        except sqlite3.Error:
            self._fail()
            return None
        if row is None or not isinstance(row[0], str if part == "head" else bytes):
            return None
        value: str | bytes = row[0]
        return value

    def keep_walk(self, made: Callable[[], tuple[str, bytes] | None]) -> Background | None:
        """Keep a walk of this repository (one per repository: the last one replaces it), as
        ``made`` makes it (None: nothing to keep), by a forked worker while the command goes on
        (okrctl waits for it before it ends); here when no worker can be started."""
        path = self.writer_path()
        if path is None:
            return None
        repo = self.repo

        def work(db: sqlite3.Connection) -> None:
            kept = made()
            if kept is not None:
                with db:
                    db.execute("INSERT OR REPLACE INTO walks VALUES (?,?,?)", (repo, *kept))

        later = Background.start(lambda: _on_own_connection(path, work))
        if later is None:
            try:
                work(self.db)
            except sqlite3.Error:
                self._fail()
        return later

    # ----- memoised results -------------------------------------------------------------------
    def memo_get(self, key: str) -> tuple[str, int, str] | None:
        if self.broken:
            return None
        try:
            row = self.db.execute(
                "SELECT text, exit, note FROM memo WHERE repo=? AND key=?", (self.repo, key)
            ).fetchone()
        except sqlite3.Error:
            self._fail()
            return None
        if row is None:
            return None
        if type(row[0]) is not str or type(row[1]) is not int or row[1] not in MEMO_EXITS or type(row[2]) is not str:
            self.reject()
            return None
        return row[0], row[1], row[2]

    def memo_put(self, key: str, text: str, exit_code: int, note: str) -> None:
        if self.broken or len(text) + len(note) > MEMO_MAX_BYTES:
            return
        try:
            with self.db:
                self.db.execute(
                    "INSERT OR REPLACE INTO memo VALUES (?,?,?,?,?,?)",
                    (self.repo, key, text, exit_code, note, time.time()),
                )
                self.db.execute(
                    "DELETE FROM memo WHERE repo=? AND key NOT IN "
                    "(SELECT key FROM memo WHERE repo=? ORDER BY at DESC LIMIT ?)",
                    (self.repo, self.repo, MEMO_KEPT),
                )
        except sqlite3.Error:
            self._fail()

    # ----- findings of the rules (``rules.memo``) ------------------------------------------------
    def findings_get(self, key: str) -> bytes | None:
        """What ``findings_put`` kept under ``key`` for this repository; also in a forked worker."""
        db = self._reader()
        if db is None:
            return None
        try:
            row = db.execute("SELECT data FROM findings WHERE repo=? AND key=?", (self.repo, key)).fetchone()
        except sqlite3.Error:
            if db is self.db:
                self._fail()
            return None
        return row[0] if row is not None and isinstance(row[0], bytes) else None

    def findings_put(self, key: str, data: bytes) -> None:
        """Keep ``data`` under ``key`` (the last FINDINGS_KEPT of the repository stay); from a forked
        worker of the run through a connection of its own."""
        if self.broken or len(data) > FINDINGS_MAX_BYTES:
            return
        repo = self.repo

        def work(db: sqlite3.Connection) -> None:
            with db:
                db.execute("INSERT OR REPLACE INTO findings VALUES (?,?,?,?)", (repo, key, data, time.time()))
                db.execute(
                    "DELETE FROM findings WHERE repo=? AND key NOT IN "
                    "(SELECT key FROM findings WHERE repo=? ORDER BY at DESC LIMIT ?)",
                    (repo, repo, FINDINGS_KEPT),
                )

        self._write(work)

    # ----- housekeeping -----------------------------------------------------------------------
    def tidy(self) -> Background | None:
        """What the store keeps for later, done by a forked worker while the command goes on (which
        is returned; where none can be started, done here): the day of use of the entries this run
        read (``USED_REFRESH_DAYS``), and once a day the pruning of entries and results nobody used
        for ``KEEP_DAYS`` days. A store restored from an earlier day would otherwise spend a fifth
        of a second of every run at 1,000 teams on it."""
        if self.broken:
            return None
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key='pruned'").fetchone()
        except sqlite3.Error:
            self._fail()
            return None
        prune = (row is None or str(row[0]) != str(self.today)) and self.path not in _PRUNED
        if prune:
            _PRUNED.add(self.path)  # once per process too (``diff`` saves two loads)
        used = sorted(self.used_now)
        self.used_now = set()
        if not prune and not used:
            return None
        path, today = self.path, self.today
        later = Background.start(lambda: tidy_store(path, today, used, prune))
        if later is None:
            try:
                _tidy_with(self.db, today, used, prune)
            except sqlite3.Error:
                self._fail()
        return later

    def flush_used(self) -> None:
        """Write the day of use of the entries read so far, here and now."""
        used = sorted(self.used_now)
        self.used_now = set()
        if self.broken or not used:
            return
        try:
            _tidy_with(self.db, self.today, used, prune=False)
        except sqlite3.Error:
            self._fail()


_PRUNED: set[Path] = set()  # the stores this process has pruned (or started to)


def _tidy_with(db: sqlite3.Connection, today: int, used: list[str], prune: bool) -> None:
    with db:
        # First the entries this run read, so that the pruning keeps them.
        db.executemany("UPDATE entries SET used=? WHERE digest=?", [(today, key) for key in used])
        if not prune:
            return
        # An entry's day of use may be up to USED_REFRESH_DAYS older than its last use.
        db.execute("DELETE FROM entries WHERE used < ?", (today - KEEP_DAYS - USED_REFRESH_DAYS,))
        db.execute("DELETE FROM blobs WHERE digest NOT IN (SELECT digest FROM entries)")
        db.execute("DELETE FROM places WHERE digest NOT IN (SELECT digest FROM entries)")
        db.execute("DELETE FROM memo WHERE at < ?", (time.time() - KEEP_DAYS * 86400,))
        db.execute("DELETE FROM findings WHERE at < ?", (time.time() - KEEP_DAYS * 86400,))
        db.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)", (str(today),))


def tidy_store(path: Path, today: int, used: list[str], prune: bool) -> None:
    """``Store.tidy`` in a worker process; what cannot be written now is left to a later run."""
    _on_own_connection(path, lambda db: _tidy_with(db, today, used, prune))


def _on_own_connection(path: Path, work: Callable[[sqlite3.Connection], None]) -> bool:
    """``work`` on the store at ``path`` through a connection of this process's own (a worker of
    the run); False when the database cannot take it."""
    if path in _LOCKED_OUT:
        return False
    try:
        connection = _connect(path, create=False)
    except StoreBusy:
        return False
    if connection is None:
        return False
    try:
        work(connection)
        return True
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def _insert_entries(db: sqlite3.Connection, rows: list[tuple[str, str, str]], today: int) -> None:
    with db:
        # The same bytes always give the same entry: one stored already stays as it is.
        db.executemany(
            "INSERT OR IGNORE INTO entries(digest, payload, used, summary) VALUES (?, ?, ?, ?)",
            [(key, payload, today, summary) for key, payload, summary in rows],
        )


def add_entries(path: Path, rows: list[tuple[str, str, str]]) -> bool:
    """Add entries from another process of the same run (a worker that analysed them), through a
    connection of its own; False when the database cannot take them (the caller stores them)."""
    return _on_own_connection(path, lambda db: _insert_entries(db, rows, today_number()))


def _write_stats_with(db: sqlite3.Connection, gone: list[tuple[str, str]], changed: list[tuple[Any, ...]]) -> None:
    with db:
        db.executemany("DELETE FROM stats WHERE repo=? AND path=?", gone)
        db.executemany("INSERT OR REPLACE INTO stats VALUES (?,?,?,?,?,?,?,?,?)", changed)


def write_stats(path: Path, gone: list[tuple[str, str]], changed: list[tuple[Any, ...]]) -> None:
    """Stat rows deleted (``(repo, path)``) and written (``(repo, path, size, mtime, ctime, inode,
    device, digest, summary)``) from a worker process; what cannot be written is left to the next
    run."""
    _on_own_connection(path, lambda db: _write_stats_with(db, gone, changed))


class StoreBusy(Exception):
    """Another process holds the database locked for longer than ``BUSY_MS``: nothing is wrong with
    it, so it is neither used nor removed."""


def _busy(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc)


def _connect(path: Path, *, create: bool = True) -> sqlite3.Connection | None:
    """Open (or create) the database; None when it is not a regular file, corrupt or of another
    version; ``StoreBusy`` when another process keeps it locked."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return None  # a link or a device where the database should be: never opened
    except FileNotFoundError:
        if not create:
            return None
    except OSError:
        return None
    connection: sqlite3.Connection | None = None
    try:
        # Python's default transaction handling: "with connection" commits or rolls back.
        connection = sqlite3.connect(path, timeout=BUSY_MS / 1000)
        connection.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        row = _format_of(connection)
        if row is None and not create:
            connection.close()
            return None
        if row is None:
            row = _create(connection)
        if row != STORE_FORMAT or not _same_code(connection):
            connection.close()
            return None
        return connection
    except sqlite3.Error as exc:
        if connection is not None:
            connection.close()
        if _busy(exc):
            raise StoreBusy(str(exc)) from None
        return None


def _create(connection: sqlite3.Connection) -> str:
    """Make the tables and the meta rows in one transaction, unless another process made them
    first; the format the store then has. Processes that start at once on an empty folder (a CI
    matrix, an editor and a terminal) wait for each other here: none of them ever sees a store
    half made (a meta table without its format, which is what a damaged store looks like, and is
    removed)."""
    code, stamp = code_digest(), code_stamp()  # worked out before the database is locked
    connection.execute("BEGIN IMMEDIATE")
    try:
        row = _format_of(connection)
        if row is None:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (STORE_FORMAT,))
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (code,))
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('code_stamp', ?)", (stamp,))
            # A new store has nothing to forget: it is pruned tomorrow at the earliest.
            connection.execute("INSERT OR REPLACE INTO meta VALUES ('pruned', ?)", (str(today_number()),))
            row = STORE_FORMAT
        connection.commit()
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.rollback()
        raise
    return row


def store_name() -> str:
    """The file name of this code's database: the digest of okrctl's code in it (``code_digest``),
    so that a fresh install of the same code (a CI runner) finds the store a cache step restored."""
    return f"store-{code_digest()[:16]}.sqlite3"


def _prune_other_stores(folder: Path, mine: Path) -> None:
    """Before this code makes its store: remove the stores of other code unused for KEEP_DAYS, and
    those beyond the OTHER_STORES_KEPT used last (an upgrade leaves one behind; editing okrctl
    itself makes one per edit). Only regular files named like a store are touched. So are the copies
    of git's index kept with a walk whose index is older than KEEP_DAYS (a copy bears its index's
    time; without it, the next run after git's index changed walks, and keeps a copy anew)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    others: list[tuple[float, Path]] = []
    oldest_kept = time.time() - KEEP_DAYS * 86400
    for name in names:
        if INDEX_COPY_PATTERN.fullmatch(name):
            with contextlib.suppress(OSError):
                info = os.lstat(folder / name)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < oldest_kept:
                    os.unlink(folder / name)
            continue
        if not STORE_PATTERN.fullmatch(name) or name == mine.name:
            continue
        path = folder / name
        last = 0.0
        for suffix in ("", "-wal"):
            with contextlib.suppress(OSError):
                info = os.lstat(f"{path}{suffix}")
                if stat.S_ISREG(info.st_mode):
                    last = max(last, info.st_mtime)
        if last:
            others.append((last, path))
    others.sort(reverse=True)
    for number, (last, path) in enumerate(others):
        if number >= OTHER_STORES_KEPT or last < oldest_kept:
            _remove_database(path)


def _code_files() -> list[tuple[str, os.stat_result]]:
    """okrctl's own source files (``*.py`` regular files, none hidden: an editor's lock link or
    backup is no code), by path relative to the package, sorted, with their stat."""
    package = Path(__file__).resolve().parents[1]
    found: list[tuple[str, os.stat_result]] = []
    for folder, dirs, names in os.walk(package):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.endswith(".py") and not name.startswith("."):
                path = os.path.join(folder, name)
                try:
                    info = os.stat(path, follow_symlinks=False)
                except OSError:
                    continue
                if stat.S_ISREG(info.st_mode):
                    found.append((os.path.relpath(path, package), info))
    found.sort(key=lambda item: item[0])
    return found


# The libraries whose work a store keeps: the parse (ruamel.yaml), the validation and its messages
# (pydantic), the rendering of remembered outputs (rich, typer, click). Another version of one of
# them is other code too.
LIBRARIES = ("pydantic", "pydantic_core", "rich", "ruamel.yaml", "_ruamel_yaml", "typer", "click")
# The distribution a module comes in, where its name differs (the C parser of ruamel.yaml).
_DISTRIBUTIONS = {"_ruamel_yaml": "ruamel.yaml.clib"}


def dist_version(entries: list[str], project: str) -> str | None:
    """The version of ``project`` from the names of a folder's entries: "<name>-<version>.dist-info",
    the name as the installer wrote it ("ruamel_yaml" or "ruamel.yaml", any case; no "-" in either)."""
    wanted = _normal(project)
    for entry in sorted(entries):
        name, _, rest = entry.partition("-")
        if rest.endswith(".dist-info") and _normal(name) == wanted:
            return rest[: -len(".dist-info")]
    return None


def _normal(project: str) -> str:
    """A distribution's name as packaging compares it: runs of "-", "_" and "." alike, any case."""
    return re.sub(r"[-_.]+", "_", project).lower()


@functools.cache
def library_versions() -> str:
    """The Python and the installed version of each of ``LIBRARIES``, from the names of their
    ``*.dist-info`` folders beside them (reading their metadata would cost a tenth of a second);
    "?" for one installed otherwise. Nothing is imported."""
    import importlib.util
    import sys

    listings: dict[str, list[str]] = {}
    found = [f"python={sys.implementation.name}-{'.'.join(map(str, sys.version_info[:3]))}"]
    for name in LIBRARIES:
        version = "?"
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.origin:
            # (a package's origin is its __init__.py, a folder deeper than a module's own file)
            package = spec.submodule_search_locations is not None
            site = os.fspath(Path(spec.origin).parents[name.count(".") + package])
            if site not in listings:
                try:
                    listings[site] = os.listdir(site)
                except OSError:
                    listings[site] = []
            version = dist_version(listings[site], _DISTRIBUTIONS.get(name, name)) or "?"
        found.append(f"{name}={version}")
    return " ".join(found)


@functools.cache
def code_stamp() -> str:
    """Changes whenever okrctl's own code changes (an upgrade, or an edit in a development
    install), so a result memoised by other code is never reused: the files' count, total size,
    newest mtime and newest ctime (which no copy or installer keeps). Worked out once per
    process (a forked worker inherits it)."""
    from okrctl import __version__

    files = _code_files()
    size = sum(info.st_size for _rel, info in files)
    newest = max((info.st_mtime_ns for _rel, info in files), default=0)
    changed = max((info.st_ctime_ns for _rel, info in files), default=0)
    return f"{__version__}:{len(files)}:{size}:{newest}:{changed}:{library_versions()}"


@functools.cache
def code_digest() -> str:
    """A digest of okrctl's own source files and of the libraries' versions (``library_versions``):
    the same code has the same digest wherever and whenever it is installed (a CI runner's fresh
    install of the same commit keeps a restored store), and any change of it, released or not, or
    an upgrade of a library, gives another. A file that cannot be read counts as empty."""
    package = Path(__file__).resolve().parents[1]
    hasher = hashlib.blake2b(digest_size=16)
    for rel, _info in _code_files():
        try:
            with open(package / rel, "rb") as handle:
                body = handle.read()
        except OSError:
            body = b""
        label = rel.encode("utf-8", "surrogateescape")
        hasher.update(b"%d:%s%d:" % (len(label), label, len(body)))
        hasher.update(body)
    hasher.update(library_versions().encode("utf-8", "surrogateescape"))
    return hasher.hexdigest()


def _same_code(connection: sqlite3.Connection) -> bool:
    """Whether the store was filled by this very code of okrctl. Its files' count, sizes and times
    are asked first (``code_stamp``); when they differ (another install, an edit), the digest of their
    bytes decides, and a store of the same code learns the new stamp. An entry holds what okrctl's
    code made of a file: another code, even of the same version, starts afresh."""
    stamp = code_stamp()
    known = dict(connection.execute("SELECT key, value FROM meta WHERE key IN ('code', 'code_stamp')").fetchall())
    if known.get("code_stamp") == stamp:
        return True
    if known.get("code") != code_digest():
        return False
    with contextlib.suppress(sqlite3.Error), connection:  # a store that cannot be written is still read
        connection.execute("INSERT OR REPLACE INTO meta VALUES ('code_stamp', ?)", (stamp,))
    return True


def _format_of(connection: sqlite3.Connection) -> str | None:
    has_meta = connection.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'").fetchone()
    if not has_meta:
        return None
    row = connection.execute("SELECT value FROM meta WHERE key='format'").fetchone()
    return str(row[0]) if row else ""


def _remove_database(path: Path) -> bool:
    """Remove a database that cannot be used (corrupt, another version); True when it is gone.

    The write-ahead log (``-wal``) and its index (``-shm``) go first, the database last, so that a
    run killed in between leaves a database without its log, never a log without its database:

    * a database without its log is a database as of its last checkpoint, or a damaged one; either
      way the next run opens it or finds it unusable and removes it again, as this one was doing;
    * a log without its database is replayed by SQLite into whatever database next appears under
      that name and is not empty: a store that a CI cache step restores, or a copy, would read the
      old store's pages. (A store okrctl creates is safe: SQLite deletes the log of an empty
      database.)

    An index left alone (a kill right after the log went) is harmless: the first connection to
    open the database resets it. Only regular files are removed; a database that is not one (a
    link, a folder) is refused (False) and its log and index are left as they are.
    """
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
    except FileNotFoundError:
        pass
    except OSError:
        return False
    for suffix in ("-wal", "-shm", ""):
        target = f"{path}{suffix}"
        try:
            if stat.S_ISREG(os.lstat(target).st_mode):
                _unlink(target)
            elif suffix == "":
                return False
        except FileNotFoundError:
            continue
        except OSError:
            return False
    return True


def _unlink(path: str) -> None:
    """``os.unlink`` (a test makes it fail midway, as a kill would)."""
    os.unlink(path)
