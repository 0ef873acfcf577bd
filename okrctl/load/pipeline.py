"""The loading pipeline: scan the files, parse them (from the cache, or in worker processes), validate,
and build the :class:`~okrctl.load.index.Repo` index."""

from __future__ import annotations

import gc
import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrctl.findings import Finding
from okrctl.load.declared import root_config
from okrctl.load.discover import (
    BAD_NAME_HINT,
    BAD_NAME_MESSAGE,
    CONFIG_NAME,
    YAML_SUFFIXES,
    Discovery,
    FileStat,
    SourceFile,
    _excluded,
    discover,
)
from okrctl.load.documents import Doc, fits, parse_bytes
from okrctl.load.entry import Entry, analyse_and_store, analyse_for_store, build_model, rows_of, valid_flags
from okrctl.load.entry import documents as entry_documents
from okrctl.load.entry import findings as entry_findings
from okrctl.load.index import Repo
from okrctl.load.keptwalk import KEPT_WALK_MIN_FILES, Keeping, Kept, index_mark, kept_discover
from okrctl.load.links import LINK_ABOUT, LINK_HINT
from okrctl.load.store import SET_ASIDE_NOTE, CheckInEntry, Store
from okrctl.load.yamlparse import MAX_FILE_BYTES, YamlProblem

if TYPE_CHECKING:
    from okrctl.gitio.tree import CleanBlobs


@dataclass
class Snapshot:
    """What the repository holds, known cheaply: every file with its content digest.

    Unchanged files (per the cache's stat table) are not even read; ``fingerprint`` changes
    whenever any file's content, the set of files, or okrctl's version changes.
    """

    root: Path
    discovery: Discovery
    digests: dict[str, str]  # relative path -> content digest ("" when unreadable)
    contents: dict[str, bytes]  # the files that had to be read during the scan
    problems: dict[str, Finding]  # files that could not be read at all
    # "" while some files are still to be read (``deferred``) and when nothing of the run may be
    # memoised; None until asked (``fingerprint``): a command that memoises nothing never needs it.
    known_fingerprint: str | None
    cache: Any = None
    # Files left for the worker processes to read (a new or absent store cannot know any of them):
    # their digests, and the fingerprint, are filled in by ``load_repo``.
    deferred: dict[str, SourceFile] = field(default_factory=dict)
    oids: dict[str, str] = field(default_factory=dict)  # git blob ids of deferred files, when known
    # Git's answer for the files as committed (``_clean_blobs``) when the scan asked for it, else None.
    clean: dict[str, str] | None = None
    # For a load from git objects: reads the named files' bytes when the load needs bytes the scan
    # did not keep (``bytes_of``); None for the working tree, whose files are read again.
    late: Callable[[list[str]], dict[str, bytes]] | None = None
    # Files whose bytes as read are not what git's answer (``clean``) said, or changed after the scan
    # took their digest: saved meanwhile. Another load of the run must not take them for git's blob.
    moved: set[str] = field(default_factory=set)

    @property
    def fingerprint(self) -> str:
        """``content_fingerprint`` of what the scan found, worked out when first asked."""
        if self.known_fingerprint is None:
            self.known_fingerprint = _fingerprint(self.digests, self.discovery, self.problems)
        return self.known_fingerprint

    @fingerprint.setter
    def fingerprint(self, value: str) -> None:
        self.known_fingerprint = value

    def bytes_of(self, sources: list[SourceFile]) -> dict[str, bytes]:
        """The bytes of ``sources``, for a load that must analyse them after all: kept by the scan,
        else read now (the store lost their entry meanwhile, or has none). A file read now whose
        digest is no longer the scan's takes its new digest, and nothing of this run is memoised:
        what is analysed and stored is always what the bytes are."""
        from okrctl.load.store import digest

        out = {s.rel: raw for s in sources if (raw := self.contents.get(s.rel)) is not None}
        missing = [s for s in sources if s.rel not in out]
        if missing and self.late is not None:
            out.update(self.late([s.rel for s in missing]))
        for source in missing:
            raw = out.get(source.rel)
            if raw is None:
                raw = out[source.rel] = read_file(source.path)
            key = digest(raw)
            if key != self.digests.get(source.rel):
                self.digests[source.rel] = key
                self.fingerprint = ""
                self.moved.add(source.rel)
        return out

    def save_stats(self) -> None:
        """Write the stat table learnt by the scan, for a run that then loads nothing (a memoised
        answer); ``load_repo`` writes it itself, together with what each file holds."""
        if self.cache is not None:
            self.cache.save_stats()


def read_file(path: str | Path) -> bytes:
    """At most ``MAX_FILE_BYTES + 1`` bytes of a file, in a buffer the size of the file.

    ``read(MAX_FILE_BYTES + 1)`` would allocate a 1 MiB buffer for every file and shrink it, which
    leaves each file's bytes in a memory mapping of its own: past about 65,000 files the process
    runs out of mappings (Linux allows 65,530). Asking for the size the file has avoids that.

    Opened without blocking: a file the scan found regular but replaced by a pipe since then gives
    no bytes (or an error) instead of waiting for a writer forever.
    """
    handle = os.open(
        path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    )
    try:
        size = os.fstat(handle).st_size
        limit = MAX_FILE_BYTES + 1
        parts: list[bytes] = []
        total = 0
        want = min(size, MAX_FILE_BYTES) + 1  # one byte more tells a file that grew meanwhile
        while total < limit:
            chunk = os.read(handle, min(limit - total, max(want - total, 65536 if total else want)))
            if not chunk:
                break
            parts.append(chunk)
            total += len(chunk)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(handle)


_read = read_file


def _exclude_patterns(root: Path) -> list[str]:
    """The config decides what else is read (``exclude``), so it is read first."""
    return _exclude_of(root)[0]


# The word on a line that does not start with "#" (a line that does is a comment, or the text of a
# block scalar: never a key).
_EXCLUDE_OUTSIDE_COMMENTS = re.compile(rb"^(?![ \t]*#).*exclude", re.MULTILINE)


def _cache_folder_inside(root: Path) -> list[str]:
    """The store's own files (``store-<digest>.sqlite3`` and its ``-wal``, ``-shm``, ``-journal``, and
    the copies of git's index kept with a walk, ``walk-<digest>.index``) in the
    folder ``OKRCTL_CACHE_DIR`` names, as patterns the walk skips, when it lies inside the
    repository (a CI cache step's folder, ``store.Store``'s one exception): they are no file of the
    repository, with the store on or off. The folder's other files are read as any others: a folder
    refused as a store (git tracks files in it) or unused hides none of them. Empty otherwise."""
    import glob

    chosen = os.environ.get("OKRCTL_CACHE_DIR", "")
    if not chosen:
        return []
    folder = os.path.realpath(os.path.abspath(os.path.expanduser(chosen)))
    top = os.path.realpath(root)
    if not folder.startswith(top.rstrip(os.sep) + os.sep):
        return []
    inside = glob.escape(Path(os.path.relpath(folder, top)).as_posix())
    # The names exactly as ``store.STORE_PATTERN`` and ``store.INDEX_COPY_PATTERN`` give them: a
    # wider glob ("store-*.sqlite3-*") matched "store-1.sqlite3-x.yaml", and "walk-*.index" a folder
    # of that name, whose YAML the walk then skipped.
    hex16, hex32 = "[0-9a-f]" * 16, "[0-9a-f]" * 32
    databases = [f"{inside}/store-{digest}.sqlite3" for digest in ("v1", hex16)]
    return [
        *databases,
        *(f"{name}{suffix}" for name in databases for suffix in ("-wal", "-shm", "-journal")),
        f"{inside}/walk-{hex32}.index",
        f"{inside}/walk-{hex32}.index.[0-9]*.tmp",
    ]


def _exclude_of(root: Path) -> tuple[list[str], int]:
    """The ``exclude`` patterns of the config, and the line of its ``exclude`` key (0: none)."""
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        return [], 0
    try:
        raw = _read(config_path)
        if b"\\" not in raw and _EXCLUDE_OUTSIDE_COMMENTS.search(raw) is None:
            # No ``exclude`` key can be written without the word on a line that is not a comment
            # (only an escape in a quoted key could spell it otherwise): nothing to parse, and no
            # YAML parser to load for it (``okrctl init`` writes the key commented out).
            return [], 0
        parsed = parse_bytes(CONFIG_NAME, raw)
    except (OSError, YamlProblem):
        return [], 0
    for document in parsed:
        data = document.data
        if isinstance(data, dict) and data.get("kind") == "Config" and isinstance(data.get("exclude"), list):
            line = document.key_positions.get(("exclude",), (document.line, 1))[0]
            return [p for p in data["exclude"] if isinstance(p, str)], line
    return [], 0


def _refuse_excluding_everything(root: Path, found: Discovery, patterns: list[str], line: int) -> None:
    """A gate that checks nothing must not pass: ``exclude`` patterns that leave no file to read but
    okrctl.yaml (``exclude: ["**"]``) are a configuration error, not a clean repository. A
    repository that holds no other YAML file whatever its patterns is left as it is: the patterns
    are not what empties it."""
    if not patterns or any(source.rel != CONFIG_NAME for source in found.files):
        return
    if not any(source.rel != CONFIG_NAME for source in discover(root).files):
        return
    from okrctl.errors import UsageError

    raise UsageError(
        f"the exclude patterns leave no OKR file to check: every YAML file but {CONFIG_NAME} matches them; "
        'exclude only what is not an okrctl document (e.g. "drafts/**")',
        path=CONFIG_NAME,
        line=line,
    )


def _refuse_sparse_checkout(root: Path, patterns: list[str]) -> None:
    """A sparse checkout (``git sparse-checkout``) that leaves out OKR files git tracks under the
    root is refused: the files it does not have would count as deleted, a partial organisation
    judged as the whole one (every unit removed, every reference to one unknown). ``checkin`` and
    ``measure`` stop here too, before git refuses to add their file."""
    from okrctl.gitio.repo import sparse_left_out

    found = sparse_left_out(root)
    if found is None:
        return
    top, names = found
    prefix = os.path.relpath(os.path.realpath(root), os.path.realpath(top)).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    read = []
    for name in names:
        rel = name[len(prefix) :] if name.startswith(prefix) else name
        hidden = rel.startswith(".") or "/." in rel
        if (
            rel.endswith(YAML_SUFFIXES)
            and not hidden
            and not any(_excluded("/".join(rel.split("/")[:depth]), patterns) for depth in range(1, rel.count("/") + 2))
        ):
            read.append(rel)
    if not read:
        return
    from okrctl.errors import UsageError
    from okrctl.safetext import command_word, one_line

    # The folders to add, named from the top of the work tree as ``git sparse-checkout add`` takes them.
    folders = sorted({prefix + rel.split("/")[0] if "/" in rel else prefix.rstrip("/") or "." for rel in read})
    count = len(read)
    raise UsageError(
        one_line(
            f"{root} is a sparse checkout that leaves out {count} OKR file{'s' if count != 1 else ''} git tracks: "
            "okrctl would judge part of the organisation as the whole; run 'git sparse-checkout disable', "
            f"or include them ('git sparse-checkout add {' '.join(map(command_word, folders))}')"
        )
    )


def excluded_by(root: Path, rel: str) -> tuple[str, int] | None:
    """The ``exclude`` pattern of the config (and the line of the ``exclude`` key) that keeps okrctl
    from reading ``rel`` (root-relative), or one of the folders it lies in; None when it is read."""
    patterns, line = _exclude_of(root)
    if not patterns:
        return None
    parts = rel.split("/")
    for depth in range(1, len(parts) + 1):
        step = "/".join(parts[:depth])
        for pattern in patterns:
            if _excluded(step, [pattern]):
                return pattern, line
    return None


def refuse_excluded(root: Path, rel: str, what: str) -> None:
    """A ContentError (exit 1) when okrctl would never read the file it is about to write: ``what``
    would be written for nothing (a check-in no view counts, a draft align never checks)."""
    from okrctl.errors import ContentError

    found = excluded_by(root, rel)
    shown = rel
    if found is None:
        # Written through a link, the file lands where the link leads: judged there (a folder
        # linked into an excluded one holds files okrctl never reads).
        top = os.path.realpath(root)
        landed = os.path.realpath(os.path.join(top, rel))
        landed_rel = os.path.relpath(landed, top).replace(os.sep, "/")
        if landed.startswith(top + os.sep) and landed_rel != rel:
            found = excluded_by(root, landed_rel)
            shown = f"{rel}, written through a link to {landed_rel},"
    if found is not None:
        pattern, line = found
        raise ContentError(
            f"{shown} matches the exclude pattern '{pattern}', so okrctl would never read {what}; nothing was "
            "written (change the pattern, or write the file elsewhere)",
            path=CONFIG_NAME,
            line=line or None,
        )


def read_as_document(root: Path, path: str | os.PathLike[str]) -> str | None:
    """The root-relative name under which okrctl reads ``path`` as a file of the repository at
    ``root`` (a YAML file under it, outside hidden folders and ``exclude``; a link is judged by the
    file it names), or None when okrctl never reads it."""
    top = Path(os.path.realpath(root))
    target = Path(os.path.realpath(path))
    if not target.name.endswith(YAML_SUFFIXES) or target == top or not target.is_relative_to(top):
        return None
    rel = target.relative_to(top).as_posix()
    if any(part.startswith(".") for part in rel.split("/")) or _excluded(rel, _exclude_patterns(top)):
        return None
    return rel


# Bytes without these cannot hold a unit (an escape may spell its kind otherwise).
_MAY_HOLD_A_UNIT = re.compile(rb"Unit|\\")


def unit_ids(root: Path) -> list[str]:
    """The ids of the valid units of the repository at ``root``, sorted, read without the rest of
    it (for the shell's completion of ``--team`` and ``--unit``): the files a scan finds, of which
    only those whose bytes may hold a unit are parsed, and only their units validated. Nothing is
    written; a file that cannot be read or parsed holds no unit here. A file the store knows by its
    unchanged stat to hold check-ins only is not read (``_checkin_files``): most files of a large
    repository."""
    from okrctl.load.cache import same_stat

    patterns = [*_exclude_patterns(root), *_cache_folder_inside(root)]
    ids: set[str] = set()
    checkin_files: dict[str, Any] = {}
    found = _kept_check_in_files(root, patterns, checkin_files)

    def read_rows() -> None:  # while a forked process walks a share of a large tree
        checkin_files.update(_checkin_files(root))

    if found is None:
        found = discover(root, patterns, jobs=_jobs(), meanwhile=read_rows)
    for source in found.files:
        if source.link_problem or source.bad_name:
            continue
        row = checkin_files.get(source.rel)
        if row is not None and source.stat is not None and same_stat(row, source.stat):
            continue
        try:
            raw = _read(source.path)
            parsed = parse_bytes(source.rel, raw, want_positions=False) if _MAY_HOLD_A_UNIT.search(raw) else []
        except (OSError, YamlProblem):
            continue
        for document in parsed:
            if not isinstance(document.data, dict) or document.data.get("kind") != "Unit":
                continue
            doc = Doc(source.rel, document.index, document.line, document.column, document.data)
            if fits(doc):
                ids.add(doc.model.id)
    return sorted(ids)


def _kept_check_in_files(root: Path, patterns: list[str], checkin_files: dict[str, Any]) -> Discovery | None:
    """What a walk would find, from the walk the store keeps (``keptwalk``), with the rows of the
    files it knows to hold check-ins only put in ``checkin_files``; None when there is no store yet
    or it keeps no walk that holds (the tree must be walked)."""
    store = Store.open_existing(root)
    if store is None:
        return None
    try:
        kept, _index = kept_discover(root, patterns, store, keep_anew=False)
    finally:
        store.close()
    if kept is None:
        return None
    checkin_files.update((rel, row) for rel, row in kept.rows.items() if row[6])
    return kept.found


def _checkin_files(root: Path) -> dict[str, Any]:
    """The stat rows of the files the store (when there is one already) knows to hold nothing but
    check-ins, or nothing but what can only be check-ins (a skim's mark): such bytes cannot hold a
    unit while the file keeps that stat."""
    store = Store.open_existing(root)
    if store is None:
        return {}
    try:
        return {rel: row for rel, row in store.stats().items() if row[6]}
    finally:
        store.close()


def scan(root: Path, *, use_cache: bool = True) -> Snapshot:
    """Discover the files and learn each one's content digest (from the stat table when unchanged)."""
    collecting = gc.isenabled()
    gc.disable()  # a tuple or two per file, none of them garbage: no cycle hunting meanwhile
    try:
        return _scan(root, use_cache)
    finally:
        if collecting:
            gc.freeze()  # what the scan found lives as long as the command
            gc.enable()


def _scan(root: Path, use_cache: bool) -> Snapshot:
    from okrctl.load.cache import ParseCache, digest

    # The store is opened before the walk (a store kept inside the repository is then among the
    # files it finds, as on any later run); its stat table is read during the walk.
    store = Store.open(root) if use_cache else None
    # A large tree with a new store, or freshly checked out (the config's stat row no longer
    # matches): most files will be unknown by their stat, and git is asked which of them are as
    # committed (below). Its commands start once the walk finds the tree large, and run meanwhile.
    # A store that knows blobs then learns the files from git's index instead of their stats: the
    # walk does not stat them, and the stat table is not read (on a CI runner its rows are another
    # runner's; no row is removed then). The files known by their blob are stat'ed, and their rows
    # written, by a forked worker while the command goes on (``ParseCache.stat_later``).
    started: list[CleanBlobs | None] = []
    opened: list[ParseCache | None] = []
    fresh = store is not None and _fresh(store, root)
    knows_blobs = fresh and store is not None and not store.empty()

    # A store that knows the files by their stat also keeps the walk of a large tree, taken again
    # while few folders changed and git can tell which tracked files did (``keptwalk``): git is asked
    # once the walk finds the tree large, and the walk is kept by a worker once the scan is done.
    keeping: list[Keeping] = []
    # The index file git read when the last walk was kept, and its mark, taken before this walk.
    index_known: list[str | None] = [None, None]
    walk_began = [0.0]  # when the walk began: a folder changed since may hold what it did not see

    large_asked = [False]  # whether ``large`` was asked (a walk in one process, or of few folders, never asks)

    def large() -> bool:
        large_asked[0] = True
        if not fresh:
            keeper = Keeping.start(root, *index_known, begun=walk_began[0]) if store is not None else None
            if keeper is not None:
                keeping.append(keeper)
            return False
        early = _start_clean_blobs(root)
        started.append(early)
        return early is not None and knows_blobs

    def meanwhile() -> None:  # after ``large``, when the walk is shared
        bare = bool(started) and started[0] is not None and knows_blobs
        opened.append(ParseCache(store, stat_rows=not bare) if store is not None else None)

    try:
        patterns, exclude_line = _exclude_of(root)
        patterns = [*patterns, *_cache_folder_inside(root)]
        _refuse_sparse_checkout(root, patterns)
        kept: Kept | None = None
        if store is not None and not fresh:
            kept, index_known[0] = kept_discover(root, patterns, store)
            walk_began[0] = time.time()
            if kept is None and index_known[0] is not None:
                index_known[1] = index_mark(index_known[0])
        if kept is not None and store is not None:
            found = kept.found
            by_rows = ParseCache(store, stat_rows=False)
            by_rows.take_kept_rows(kept.rows, kept.again)
            if kept.keeping is not None:
                keeping.append(kept.keeping)  # git's index changed: kept anew with it, as a walk is
            else:
                by_rows.keep_walk = kept.files  # kept again at the end if a file's row changes
            opened.append(by_rows)
        else:
            found = discover(
                root,
                patterns,
                jobs=_jobs(),
                meanwhile=meanwhile,
                large=large if store is not None else None,
            )
            if keeping and len(found.files) < KEPT_WALK_MIN_FILES:
                keeping.pop().stop()
            elif not large_asked[0] and not fresh and store is not None and len(found.files) >= KEPT_WALK_MIN_FILES:
                # A large tree walked in one process (``OKRCTL_JOBS=1``, one core) or of few deep
                # folders: git is asked now, the walk kept as any other (marked before it began).
                keeper = Keeping.start(root, *index_known, begun=walk_began[0])
                if keeper is not None:
                    keeping.append(keeper)
        _refuse_excluding_everything(root, found, patterns, exclude_line)
    except BaseException:
        for early in started:
            if early is not None:
                early.stop()
        for keeper in keeping:
            keeper.stop()
        raise
    early = started[0] if started else None
    walked_bare = early is not None and knows_blobs  # the walk did not stat the files below its first levels
    cache = opened[0]
    digests: dict[str, str] = {}
    contents: dict[str, bytes] = {}
    problems: dict[str, Finding] = {}
    known_row = (cache.stats if cache is not None else {}).get
    kept_rows = cache.new_stats if cache is not None else {}
    scanned: set[str] = cache.scanned if cache is not None else set()
    is_regular = stat.S_ISREG
    pending: list[SourceFile] = []  # regular files the stat table does not know
    sources = found.files
    if kept is not None and cache is not None:
        # A kept walk holds only regular files with good names, and the rows of their stats as
        # found: the files with a row are known (what the loop below would find, in one pass).
        by_stat = kept.rows  # (each the row of its file's stat as found: ``kept_discover``)
        kept_rows.update(by_stat)
        scanned.update(row[5] for row in by_stat.values())
        digests.update((rel, row[5]) for rel, row in by_stat.items())
        sources = [source for source in sources if source[0] not in by_stat]
    for source in sources:
        # The common case first: a regular file whose stat the table knows (nothing read). What
        # ``ParseCache.known_digest`` does, written out: this runs once per file.
        rel, _path, link_problem, known_stat, bad_name = source
        if known_stat is not None and not bad_name and not link_problem:
            row = known_row(rel)
            # the same size, mtime, ctime, inode and device
            if row is not None and row[:5] == known_stat[1:] and is_regular(known_stat[0]):
                kept_rows[rel] = row
                scanned.add(row[5])
                digests[rel] = row[5]
                continue
        if source.bad_name:
            problems[source.rel] = Finding(
                "OKR100",
                "error",
                source.rel,
                1,
                1,
                BAD_NAME_MESSAGE,
                BAD_NAME_HINT,
            )
            digests[source.rel] = ""
            continue
        if source.link_problem:
            problems[source.rel] = Finding(
                "OKR100", "error", source.rel, 1, 1, source.link_problem, LINK_HINT, about=LINK_ABOUT
            )
            digests[source.rel] = ""
            continue
        pending.append(source)
    # Many files the stat table does not know (a fresh clone, a CI runner with a restored store):
    # git knows which are unchanged since checkout, and the store which of their blobs it has seen.
    blobs: dict[str, str] = {}
    asked: dict[str, str] | None = None  # git's answer, when it was asked
    by_blob: dict[str, tuple[str, str | None]] = {}  # blob id -> (content digest, summary of its entry)
    if cache is not None and len(pending) >= GIT_BLOBS_MIN_FILES:
        # Learnt while git answers, when the walk left the files to it and the store has seen
        # about as many blobs as there are files.
        every = cache.store.every_blob_digest(4 * len(pending)) if walked_bare else None
        blobs = asked = _clean_blobs(root, early)
        if blobs and every is not None:
            by_blob = every
        elif blobs:
            wanted = set(map(blobs.get, [source[0] for source in pending], repeat("")))
            wanted.discard("")
            by_blob = cache.store.blob_digests(wanted)
    elif early is not None:
        early.stop()
    if by_blob and cache is not None:
        # The common case of a fresh checkout first: a regular file whose blob the store knows
        # (nothing read). Its stat, when the walk took it, was compared with the stat table above.
        rest: list[SourceFile] = []
        known_now: list[tuple[str, FileStat | None, str, str | None]] = []
        unstatted: list[tuple[str, str, str, str | None]] = []  # known by their blob, without a stat
        for source in pending:
            rel, found_stat = source[0], source[3]
            pair = by_blob.get(blobs.get(rel, ""))
            if pair is None or (not is_regular(found_stat[0]) if found_stat is not None else not walked_bare):
                rest.append(source)  # (git lists no pipe or device as unchanged, but a stat says more)
                continue
            known_now.append((rel, found_stat, *pair))
            digests[rel] = pair[0]
            if found_stat is None:
                unstatted.append((rel, source.path, *pair))
        cache.remember_stats(known_now)
        cache.stat_later(unstatted)  # their rows, for the next run: written meanwhile
        pending = rest
    if walked_bare and cache is not None and sum(s.stat is None for s in pending) >= GIT_BLOBS_MIN_FILES:
        # Git's index could not answer for them (files it converts on checkout, no answer at all):
        # they are stat'ed one by one below, and the stat table may know them after all.
        cache.consult_stat_rows()
    deferred: dict[str, SourceFile] = {}
    if len(pending) >= PARALLEL_MIN_FILES and (cache is None or cache.store.empty()) and _jobs() > 1:
        # Nothing here can be known without parsing it: the worker processes read the files as
        # they parse them, instead of this process reading them all first.
        for source in pending:
            if source.stat is not None and stat.S_ISREG(source.stat.st_mode):
                deferred[source.rel] = source
        pending = [s for s in pending if s.rel not in deferred]
    seen_blobs: list[tuple[str, str]] = []
    moved: set[str] = set()  # read here, and not the blob git named: saved since git looked
    for source in pending:
        try:
            st: FileStat | os.stat_result = source.stat if source.stat is not None else os.stat(source.path)
            if stat.S_ISDIR(st.st_mode):
                # A folder the walk could not list (``discover``): its files are missing, said once.
                problems[source.rel] = Finding(
                    "OKR100",
                    "error",
                    source.rel,
                    1,
                    1,
                    f"cannot read folder: {_why_unlisted(source.path)}; no file in it is read",
                    "make it readable, or add it to 'exclude' in okrctl.yaml",
                )
                digests[source.rel] = ""
                continue
            if not stat.S_ISREG(st.st_mode):
                # A pipe or device named *.yaml would block or never end: never opened.
                problems[source.rel] = Finding(
                    "OKR100",
                    "error",
                    source.rel,
                    1,
                    1,
                    "not a regular file (a pipe, device or socket)",
                    "remove it, or add it to 'exclude' in okrctl.yaml",
                )
                digests[source.rel] = ""
                continue
            known = cache.known_digest(source.rel, st) if cache is not None else None
            oid = blobs.get(source.rel)
            if known is None and oid is not None and oid in by_blob:
                known = by_blob[oid][0]
                if cache is not None:
                    cache.remember_stat(source.rel, st, known)
            if known is None:
                raw = read_file(source.path)
                known = digest(raw)
                contents[source.rel] = raw
                if cache is not None:
                    cache.remember_stat(source.rel, st, known)
                if oid is not None:
                    if blob_id(raw, len(oid)) == oid:
                        seen_blobs.append((oid, known))
                    else:
                        moved.add(source.rel)
        except OSError as exc:
            problems[source.rel] = Finding(
                "OKR100", "error", source.rel, 1, 1, f"cannot read file: {exc.strerror or exc}", ""
            )
            digests[source.rel] = ""
            continue
        digests[source.rel] = known
    if cache is not None and seen_blobs:
        cache.store.put_blobs(seen_blobs)
    if keeping and cache is not None:
        # The walk just made, kept by a worker while the load goes on, with the rows the scan knows.
        keeping.pop().keep_later(cache.store, found, patterns, cache.new_stats)
    # The stat rows are written once, at the end of the load, with what each file holds (a run that
    # loads nothing writes them itself: ``Snapshot.save_stats``).
    fingerprint = "" if deferred else None  # worked out when a memo asks for it
    oids = {rel: blobs[rel] for rel in deferred if rel in blobs}
    snapshot = Snapshot(root, found, digests, contents, problems, fingerprint, cache, deferred, oids, asked)
    snapshot.moved = moved
    return snapshot


def _fingerprint(digests: dict[str, str], found: Discovery, problems: dict[str, Finding]) -> str:
    return content_fingerprint(digests, found.other_files, problems)


def content_fingerprint(digests: dict[str, str], others: list[str], problems: dict[str, Finding] | None = None) -> str:
    """Changes whenever any file's content, the set of files, what keeps a file from being read
    (a pipe, a link that leaves the repository, an error: such a file has no digest), or okrctl's
    version changes (the work tree's and a git revision's alike). No path, digest or name holds NUL,
    and the counts come first: one NUL-joined text tells every part apart, and is built in a few
    calls for any size."""
    from okrctl import __version__

    rels = sorted(digests)
    marks = list(map(digests.__getitem__, rels))
    if problems:
        for at, rel in enumerate(rels):
            if not marks[at] and rel in problems:
                marks[at] = "!" + problems[rel].message.replace("\0", " ")
    text = "\0".join([__version__, str(len(rels)), str(len(others)), *rels, *marks, *others])
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


def _fresh(store: Store, root: Path) -> bool:
    """Whether the store is new, or does not know the root config by its stat (a fresh checkout)."""
    try:
        st = os.stat(root / CONFIG_NAME)  # a link's row is its target's stat, as the scan records it
    except OSError:
        return False
    known = store.stat_row(CONFIG_NAME)
    return known != (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev) or store.empty()


def _start_clean_blobs(root: Path) -> CleanBlobs | None:
    """``gitio.tree.CleanBlobs`` of the root, started; None when git cannot be started."""
    from okrctl.gitio.run import GitError
    from okrctl.gitio.tree import CleanBlobs

    try:
        return CleanBlobs(root)
    except GitError:  # GitMissing is one
        return None


def _clean_blobs(root: Path, started: CleanBlobs | None = None) -> dict[str, str]:
    """``gitio.tree.clean_blobs`` of the root (the answer of ``started`` when given), empty outside
    git (or without git)."""
    from okrctl.gitio.run import GitError
    from okrctl.gitio.tree import clean_blobs

    try:
        return (started.result() if started is not None else clean_blobs(root)) or {}
    except GitError:  # GitMissing is one
        return {}


def blob_id(raw: bytes, width: int) -> str:
    """git's object id of a blob of these bytes (SHA-1, or SHA-256 when ``width`` is 64): a pair
    (blob id, digest) is stored only when the bytes read are that blob, whatever git said."""
    hasher = hashlib.sha256() if width == 64 else hashlib.sha1(usedforsecurity=False)
    hasher.update(b"blob %d\0" % len(raw))
    hasher.update(raw)
    return hasher.hexdigest()


GIT_BLOBS_MIN_FILES = 500  # files with an unknown stat before git is asked which are unchanged
FETCH_SLICE = 2000  # stored entries decoded at a time
PARALLEL_MIN_FILES = 2000  # below this, starting worker processes costs more than it saves
# Analysed: (entry, its JSON for the store, the models when analysed in this process).
Analysed = tuple[Entry, str | None, list[Any] | None]


@dataclass(frozen=True)
class Scope:
    """The check-ins a command needs; every other document is always loaded.

    A command about one team needs that team's check-ins, a view of some cycles the check-ins
    dated inside them; ``align`` needs everything (no scope). Check-ins outside the scope are not
    read from the store at all (a file of valid check-ins only is known by the store's index).
    """

    owners: frozenset[str] | None = None  # None: every owner
    first: date | None = None  # check-ins dated on or after
    last: date | None = None  # check-ins dated on or before
    # Decides each check-in by its owner, day and result keys, after learning every check-in's owner
    # and day (``rules.needs.CheckinNeeds``: what ``align`` reads); None: the fields above decide.
    checkins: Any = field(default=None, compare=False)
    # Deciders like ``checkins`` whose yes keeps a check-in the rest leaves out (each owner's latest
    # check-in before ``first``, which a report's data age reads: ``views.scope.LatestBefore``).
    also: tuple[Any, ...] = field(default=(), compare=False)
    # The answer for each day written as text (the index's days): a year has few of them.
    _days: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def wants(self, owner: Any, day: Any) -> bool:
        if self.owners is not None and owner not in self.owners:
            return False
        if isinstance(day, str):
            found = self._days.get(day)
            if found is None:
                try:
                    found = self._in_range(date.fromisoformat(day))
                except ValueError:
                    found = True  # not a date the index can judge: let the model decide
                self._days[day] = found
            return found
        return self._in_range(day) if isinstance(day, date) else True

    def _in_range(self, day: date) -> bool:
        return (self.first is None or day >= self.first) and (self.last is None or day <= self.last)

    def keeps(self, owner: Any, day: Any, keys: str | None) -> bool:
        """``wants``, and what ``checkins`` says of a check-in with these result keys; or what one
        of ``also`` says."""
        if self.wants(owner, day) and (self.checkins is None or self.checkins.wanted(owner, day, keys)):
            return True
        return any(decider.wanted(owner, day, keys) for decider in self.also)

    def deciders(self) -> list[Any]:
        """What must learn every valid check-in's (owner, day) before deciding (``settle``)."""
        return ([self.checkins] if self.checkins is not None else []) + list(self.also)

    def by_owner_and_day(self) -> bool:
        """Whether ``keeps`` is told by a check-in's owner and day alone (no decider reads its result
        keys): a one-check-in file's summary then decides its check-in as its model would."""
        return self.checkins is None and all(getattr(decider, "by_owner_and_day", False) for decider in self.also)


def _keys_of(doc: Doc) -> str | None:
    """A held check-in's result keys as the index holds them (``entry.result_keys_text``)."""
    from okrctl.load.entry import result_keys_text

    if type(doc.data) is CheckInEntry and doc.data.summary is not None:
        return doc.data.summary[2]
    if doc.model is not None:
        return result_keys_text({"results": doc.model.results, "confidence": doc.model.confidence})
    return result_keys_text(doc.data) if isinstance(doc.data, dict) else None


ScopeRule = Scope | Callable[[Repo], Scope] | None


def _jobs() -> int:
    cores = os.cpu_count() or 1
    value = os.environ.get("OKRCTL_JOBS", "")
    if value.isdigit() and int(value) > 0:
        return min(int(value), cores)
    return min(cores, 4)


def _analyse_here(items: list[tuple[str, bytes]]) -> list[Analysed]:
    out: list[Analysed] = []
    for rel, raw in items:
        out.append(analyse_for_store(rel, raw))
    return out


def analyse_files(
    items: list[tuple[str, bytes]],
    *,
    jobs: int | None = None,
    min_files: int = PARALLEL_MIN_FILES,
    store_path: Path | None = None,
) -> Iterator[Analysed]:
    """Analyse many files, in worker processes when there are enough to be worth it; results come
    in order, as soon as each batch is done, so the caller works while the workers parse.

    With ``store_path``, the workers also add what they analysed to the store themselves (an
    analysed item then comes back without its JSON: nothing is left to store)."""
    jobs = _jobs() if jobs is None else jobs
    if jobs <= 1 or len(items) < min_files:
        yield from _analyse_here(items)
        return
    work = partial(analyse_and_store, store_path=None if store_path is None else os.fspath(store_path))
    for entry, payload in _in_workers(work, items, jobs):
        yield entry, payload, None


def _in_workers(work: Callable[[list[Any]], list[Any]], items: list[Any], jobs: int) -> Iterator[Any]:
    """``work`` over ``items`` in forked worker processes, a batch each time; the results come in
    order, as each batch is done. Where no worker can be started, the rest is done in this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from okrctl.forked import tied_to

    size = max(1, -(-len(items) // (jobs * 8)))
    batches = [items[k : k + size] for k in range(0, len(items), size)]
    done = 0
    try:
        context = multiprocessing.get_context("fork")
        # Each worker ends with this process, even a killed one (``forked.tied_to``).
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=tied_to, initargs=(os.getpid(),)
        ) as pool:
            for result in pool.map(work, batches):
                done += len(result)
                yield from result
    except (ValueError, OSError, RuntimeError):  # no fork, or no processes to be had
        yield from work(items[done:])


# What a worker sends back for a file it read: (digest, why it could not be read, whether the bytes
# are the git blob named, the entry, its JSON when the worker did not store it, and for a file held
# back unparsed its skim mark, or its bytes when it has none).
ReadAndAnalysed = tuple[str, str | None, bool, Entry | None, str | None, str | bytes | None]


def _why_unlisted(folder: str) -> str:
    """Why the folder cannot be listed, in the system's words."""
    try:
        os.listdir(folder)
    except OSError as exc:
        return exc.strerror or str(exc)
    return "it could not be listed"


def _read_and_analyse(
    batch: list[tuple[str, str, str | None]], store_path: str | None, hold: bool = False
) -> list[ReadAndAnalysed]:
    """In a worker: read each file, learn its digest, analyse it, and add it to the store. With
    ``hold``, a file that can only hold check-ins (``checkins_only``) comes back unparsed, with its
    ``skim_mark`` (its bytes when it has none): whether it is wanted depends on a scope known only
    once the other files are in."""
    from okrctl.load.store import digest

    out: list[ReadAndAnalysed] = []
    read: list[tuple[str, bytes]] = []
    for rel, path, oid in batch:
        try:
            raw = read_file(path)
        except OSError as exc:
            out.append(("", exc.strerror or str(exc), False, None, None, None))
            continue
        is_blob = oid is not None and blob_id(raw, len(oid)) == oid
        if hold and rel != CONFIG_NAME and checkins_only(raw):
            out.append((digest(raw), None, is_blob, None, None, skim_mark(raw) or raw))
            continue
        out.append((digest(raw), None, is_blob, None, None, None))
        read.append((rel, raw))
    analysed = iter(analyse_and_store(read, store_path))
    return [
        (key, None, is_blob, *next(analysed), None) if problem is None and held is None else item
        for item in out
        for key, problem, is_blob, _entry, _payload, held in (item,)
    ]


def read_files(
    items: list[tuple[str, str, str | None]], *, store_path: Path | None = None, hold: bool = False
) -> Iterator[ReadAndAnalysed]:
    """``(rel, path, git blob id or None)`` read and analysed by worker processes, in order, as each
    batch is done; in this process when no worker can be started. With ``hold``, files that can only
    hold check-ins come back with their ``skim_mark`` or their bytes instead of analysed
    (``_read_and_analyse``)."""
    target = None if store_path is None else os.fspath(store_path)
    yield from _in_workers(partial(_read_and_analyse, store_path=target, hold=hold), items, _jobs())


# Every kind but CheckIn, and the backslash of an escape sequence: a file without any of these that
# names CheckIn can hold nothing but check-ins (or documents of no kind at all), and names every
# owner it holds literally. The text is UTF-8 (``yamlparse.decode``), where a name without escapes
# is its own bytes; a YAML line fold inserts a space, which no kind name or owner id holds.
_NOT_ONLY_CHECKINS = re.compile(rb"Config|Unit|Strategy|Objective|Reading|Retro|\\")


def checkins_only(raw: bytes) -> bool:
    """Whether the bytes of a file can only hold check-ins (and documents of no kind): judged
    without parsing, conservatively (a note that says "Objective" makes it False)."""
    return b"CheckIn" in raw and _NOT_ONLY_CHECKINS.search(raw) is None


_OWNER_LINE = re.compile(rb"^owner:[ \t]+([a-z0-9][a-z0-9-]{0,62})[ \t]*\r?$", re.MULTILINE)


def skim_mark(raw: bytes) -> str | None:
    """What a skim can keep of a file that ``checkins_only``, to know it next time without reading
    it: "~" and the one owner its check-ins can have, or None when the bytes do not tell.

    They tell when the word ``owner`` occurs exactly once, as a top-level key at the start of a
    line with a plain slug after it, and the file has no anchor (``&``). A valid check-in needs an
    ``owner`` key, spelled out (a file without a backslash has no escapes) or made by an alias of an
    anchored one: without anchors, the one occurrence is that key, and the slug is its value.
    Anything else in the file (flow collections, quotes, more documents) cannot make a second owner
    without writing the word again.
    """
    if raw.count(b"owner") != 1 or b"&" in raw:
        return None  # an anchor on the key lets an alias make a second one: ``? &k owner`` … ``*k : x``
    found = _OWNER_LINE.search(raw)
    return None if found is None else "~" + found[1].decode("ascii")


def mentions(raw: bytes, owners: frozenset[str]) -> bool:
    """Whether a file that ``checkins_only`` may hold a check-in of one of ``owners``: an owner id
    is a slug, which the file must then spell out."""
    return any(owner.encode() in raw for owner in owners)


def _wanted_skim(rel: str, mark: str | None, raw: bytes | None, owners: frozenset[str] | None) -> bool:
    """Whether a skimmed file may hold a check-in of ``owners`` (every owner: None). A file whose
    bytes do not tell its one owner is also read when it lies in a folder named after one
    (``checkins/discover/``): a broken check-in there with no readable owner is that unit's. So is
    one in a file whose bytes tell another owner, when it lies in that unit's own folder
    (``checkins/discover/``, at any depth): the folder decides whose it is."""
    if owners is None:
        return True
    if mark is not None:
        folders = rel.split("/")[:-1]
        return mark[1:] in owners or (len(folders) > 1 and folders[1] in owners)
    return raw is None or mentions(raw, owners) or not owners.isdisjoint(rel.split("/")[:-1])


class _StaleEntry(Exception):
    """A stored entry whose valid documents no longer validate (tampered with, or a bug): the load
    starts again without the store, and the entry is forgotten, so the next run analyses that
    file again instead of meeting it once more."""

    def __init__(self, rel: str) -> None:
        super().__init__(rel)
        self.rel = rel


def _with_models(docs: list[Doc], entry: Entry, models: list[Any] | None, held: list[Doc] | None) -> None:
    """Give the valid documents their models; check-ins go to ``held`` (when a scope decides) instead."""
    for position, (doc, valid) in enumerate(zip(docs, valid_flags(entry), strict=True)):
        if not valid:
            continue
        if held is not None and doc.kind == "CheckIn":
            held.append(doc)
            continue
        if models is not None and models[position] is not None:
            doc.model = models[position]
        elif not build_model(doc):
            raise _StaleEntry(doc.path)
        _settle(doc)


def _docs_of(rel: str, entry: Any, models: list[Any] | None, held: list[Doc] | None) -> tuple[list[Doc], list[Finding]]:
    """A file's documents (models built for the valid ones; check-ins to ``held`` when a scope
    decides) and its own findings, from its entry or its ``CheckInEntry``."""
    if type(entry) is CheckInEntry:
        if held is not None and entry.summary is not None:
            # Whether it is wanted is told by its summary: the model is built only if it is.
            doc: Doc = Doc(rel, 0, entry.line, entry.column, entry, kind="CheckIn")
        else:
            doc = _lazy_checkin(rel, entry)
        if held is not None:
            held.append(doc)
        return [doc], []
    docs = entry_documents(rel, entry)
    _with_models(docs, entry, models, held)
    return docs, entry_findings(rel, entry)


def _summarise(cache: Any, rel: str, entry: Any, docs: list[Doc]) -> None:
    if type(entry) is not CheckInEntry:
        cache.summarise(rel, entry)
    elif entry.summary is not None:
        cache.summarise_checkin(rel, *entry.summary)
    elif not cache.needs_summary(rel):
        return
    else:
        model = docs[0].model
        cache.summarise_checkin(rel, model.owner, model.date.isoformat(), _keys_of(docs[0]))


_from_json: list[Callable[[str], Any]] = []  # CheckIn.model_validate_json, imported once


def _lazy_checkin(rel: str, entry: CheckInEntry) -> Doc:
    """The document of a stored one-check-in entry, its model built from the stored JSON text."""
    doc: Doc = Doc(rel, 0, entry.line, entry.column, entry, kind="CheckIn")
    _from_entry(doc)
    return doc


def _from_entry(doc: Doc) -> None:
    """Build the model of a check-in document that holds its ``CheckInEntry`` (``_docs_of``)."""
    if not _from_json:
        from okrctl.model import CheckIn

        _from_json.append(CheckIn.model_validate_json)
    try:
        doc.model = _from_json[0](doc.data.data)
    except ValueError:  # pydantic's ValidationError is one
        raise _StaleEntry(doc.path) from None
    doc.data = None


def _settle(doc: Doc) -> None:
    """A valid check-in keeps its model only: check-ins are most of a large repository, and their
    raw values would double what it holds in memory. What a finding needs of them (its place, what
    it is about) comes from the file again, as positions always have (``Repo.position``)."""
    if doc.kind == "CheckIn" and doc.model is not None:
        doc.data = None


def load_repo(
    root: Path,
    *,
    use_cache: bool = True,
    snapshot: Snapshot | None = None,
    scope: ScopeRule = None,
    progress: Callable[[str, int, int], None] | None = None,
    skim: bool = False,
) -> Repo:
    """Read, parse and validate the repository at ``root`` (every document, or what ``scope`` needs).

    With ``skim`` (and a scope of some owners), a file the store cannot answer for that can only
    hold check-ins (``checkins_only``) and names none of those owners is not parsed at all: the
    repository then leaves out what such files hold, their problems included. For a command about
    one team that reports nothing of the others (``checkin``), never for a view or ``align``.
    """
    snapshot = snapshot or scan(root, use_cache=use_cache)
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of new objects, none of them garbage: no cycle hunting
    try:
        try:
            return _load(snapshot, snapshot.cache, scope, progress, skim)
        except _StaleEntry as stale:
            if snapshot.cache is not None and snapshot.digests.get(stale.rel):
                snapshot.cache.store.forget([snapshot.digests[stale.rel]])
            return _load(snapshot, None, scope, progress, skim)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            # Perhaps a row of the store that okrctl cannot have written (a number where a summary
            # goes, a summary of another shape): the repository is read again without the store,
            # from a new scan. Only when that read goes well was the store the cause: it is then
            # set aside, to be rebuilt; an error of okrctl's own is raised by that read too, and
            # the store stays as it was.
            if snapshot.cache is None:
                raise
            repo = _load(scan(snapshot.root, use_cache=False), None, scope, progress, skim)
            snapshot.cache.store.set_aside()
            sys.stderr.write(SET_ASIDE_NOTE)
            return repo
    finally:
        if collecting:
            # What was loaded lives as long as the command: the collector need never walk it again.
            gc.freeze()
            gc.enable()


def _load(
    snapshot: Snapshot,
    cache: Any,
    scope: ScopeRule,
    progress: Callable[[str, int, int], None] | None,
    skim: bool = False,
) -> Repo:
    sources = snapshot.discovery.files
    digests = snapshot.digests
    # The index tells, before any entry is read, which files hold only valid check-ins (those wait
    # for the scope) and which the store lacks; without a scope, fetching tells the latter.
    skimming = skim and scope is not None
    index: dict[str, str] = cache.index(skim=skimming) if cache is not None and scope is not None else {}
    later: list[SourceFile] = []  # files of valid check-ins only: read once the scope is known
    later_summaries: list[str] = []  # what each of them holds (``entry.summary_of``)
    now: list[SourceFile] = []
    fresh: list[SourceFile] = []
    deferred: list[SourceFile] = []
    problems, deferring = snapshot.problems, snapshot.deferred
    for source in sources:
        rel = source.rel
        if rel in problems:
            continue
        if rel in deferring:
            deferred.append(source)
            continue
        summary = index.get(digests[rel])
        if summary is None and scope is None and cache is not None:
            now.append(source)  # read from the store when it has it, else analysed
        elif summary is None:
            fresh.append(source)
        elif summary and scope is not None:  # valid check-ins only ("" is anything else)
            later.append(source)
            later_summaries.append(summary)
        else:
            now.append(source)
    held: list[Doc] | None = [] if scope is not None else None
    by_file: dict[str, tuple[list[Doc], list[Finding]]] = {}
    # Stored entries are decoded a slice at a time: the decoded values of a slice are dropped once
    # its documents have models, which keeps the peak memory of a large repository down.
    for start in range(0, len(now) if cache is not None else 0, FETCH_SLICE):
        part = now[start : start + FETCH_SLICE]
        entries: dict[str, Any] = cache.fetch((digests[s.rel] for s in part), lazy_checkins=True)
        for source in part:
            entry = entries.get(digests[source.rel])
            if entry is None:
                fresh.append(source)
                continue
            if skimming and type(entry) is dict and entry.get("findings") and source.rel != CONFIG_NAME:
                # A file with findings of its own (rare) is decided as a run without the store
                # decides it: one that can only hold check-ins waits for the scope, unparsed, so a
                # broken check-in of a team the command is not about is not said here either.
                fresh.append(source)
                continue
            by_file[source.rel] = _docs_of(source.rel, entry, None, held)
            _summarise(cache, source.rel, entry, by_file[source.rel][0])
        del entries
    if cache is None:
        fresh.extend(now)
    # Skimming: files that can only hold check-ins wait, unparsed, for the scope to tell whose
    # check-ins are wanted (``maybe``); the workers hold them back as they read them.
    maybe: list[tuple[SourceFile, str | None, bytes | None]] | None = [] if skimming else None
    if maybe is not None and fresh:
        fresh = _hold_back(snapshot, fresh, deferred, maybe, cache)
    if deferred:
        _read_deferred(snapshot, deferred, cache, scope, held, by_file, progress, maybe)
    if fresh:
        raw_of = snapshot.bytes_of(fresh)
        items = [(s.rel, raw_of[s.rel]) for s in fresh]
        store_path = cache.store.writer_path() if cache is not None else None
        for count, (source, (entry, payload, models)) in enumerate(
            zip(fresh, analyse_files(items, store_path=store_path), strict=True), start=1
        ):
            by_file[source.rel] = _docs_of(source.rel, entry, models, held)
            if cache is not None:
                cache.put(digests[source.rel], entry, payload)
                _summarise(cache, source.rel, entry, by_file[source.rel][0])
            if progress is not None and (count % 500 == 0 or count == len(fresh)):
                progress("files read", count, len(fresh))
    held_ids = {id(d) for d in held or ()}
    all_docs: list[Doc] = []
    findings: list[Finding] = []
    problems = snapshot.problems  # the deferred files' problems too, now that they are read
    for source in sources:
        rel = source.rel
        if rel in problems:
            findings.append(problems[rel])
            continue
        docs_and_findings = by_file.get(rel)
        if docs_and_findings is not None:
            all_docs.extend(d for d in docs_and_findings[0] if id(d) not in held_ids)
            findings.extend(docs_and_findings[1])
    repo = _repo(snapshot, all_docs, findings)
    if held is None or scope is None:
        _save(cache)
        return repo
    chosen = scope(repo) if callable(scope) else scope

    def owner_and_day(doc: Doc) -> tuple[Any, Any]:
        if doc.model is not None:  # built from its stored JSON already (``_lazy_checkin``)
            return doc.model.owner, doc.model.date
        if type(doc.data) is CheckInEntry and doc.data.summary is not None:
            return doc.data.summary[0], doc.data.summary[1]
        data = doc.data if isinstance(doc.data, dict) else {}
        return data.get("owner"), data.get("date")

    deciders = chosen.deciders()
    if deciders:
        seen = [owner_and_day(d) for d in held] + [
            (row[1], row[2]) for summary in later_summaries for row in rows_of(summary)
        ]
        for decider in deciders:
            decider.settle(seen)

    def in_scope(doc: Doc) -> bool:
        if doc.model is None and not isinstance(doc.data, (dict, CheckInEntry)):
            return False
        owner, day = owner_and_day(doc)
        return chosen.keeps(owner, day, _keys_of(doc)) if deciders else chosen.wants(owner, day)

    wanted = [d for d in held if in_scope(d)]
    left_out = len(held) - len(wanted)  # valid check-ins not read: counted as documents all the same
    wanted_later = []
    plain = (
        chosen.checkins is not None
        and not chosen.also
        and chosen.owners is None
        and chosen.first is None
        and chosen.last is None
    )
    decide = chosen.checkins.wanted if plain else chosen.keeps  # the same answer, in fewer steps
    # Nothing but the owners and days deciding (``Scope.wants``): another owner's check-in is told
    # by the text of its summary before its first "\x1f", without reading the rest (most files of a
    # command about one team).
    simple = chosen.checkins is None and not chosen.also
    owners = chosen.owners if simple else None
    # Files of one check-in whose summary decided it as its model would (its owner and day alone
    # decide): that check-in is not asked again below.
    decided: set[str] = set()
    by_owner_and_day = chosen.by_owner_and_day()
    for source, summary in zip(later, later_summaries, strict=True):
        if "\x1e" not in summary:  # one check-in: most files
            owner, mark, rest = summary.partition("\x1f")
            if not mark:
                raise ValueError(f"a summary without a date: {summary!r}")  # as ``rows_of`` refuses it
            if owners is not None and owner not in owners:
                left_out += 1
                continue
            day, sep, keys = rest.partition("\x1f")
            wanted_file = chosen.wants(owner, day) if simple else decide(owner, day, keys if sep else None)
            count = 1
            if wanted_file and by_owner_and_day:
                decided.add(source.rel)
        else:
            rows = rows_of(summary)
            wanted_file = any(decide(row[1], row[2], row[4]) for row in rows)
            count = len(rows)
        if wanted_file:
            wanted_later.append(source)
        else:
            left_out += count
    stored = (
        cache.fetch((digests[s.rel] for s in wanted_later), lazy_checkins=True)
        if cache is not None and wanted_later
        else {}
    )
    extra: list[Doc] = []  # documents of a re-read file that are not valid check-ins (it changed)
    decided_ids: set[int] = set()
    for source in wanted_later:
        found = stored.get(digests[source.rel])
        if type(found) is CheckInEntry:
            doc = _lazy_checkin(source.rel, found)
            wanted.append(doc)
            if source.rel in decided:
                decided_ids.add(id(doc))
            continue
        if found is not None:
            entry = found
        else:  # the store lost it since its index answered (pruned meanwhile): analysed again
            entry, payload, _models = analyse_for_store(source.rel, snapshot.bytes_of([source])[source.rel])
            if cache is not None:
                cache.put(digests[source.rel], entry, payload)
        for doc, valid in zip(entry_documents(source.rel, entry), valid_flags(entry), strict=True):
            (wanted if valid and doc.kind == "CheckIn" else extra).append(doc)
    problems_before = len(findings)
    skimmed = _read_skimmed(
        snapshot,
        [(s, raw) for s, mark, raw in maybe or () if _wanted_skim(s.rel, mark, raw, chosen.owners)],
        findings,
    )
    if skimmed:
        store_path = cache.store.writer_path() if cache is not None else None
        items = [(s.rel, raw) for s, raw in skimmed]
        for (source, _raw), (entry, payload, models) in zip(
            skimmed, analyse_files(items, store_path=store_path), strict=True
        ):
            if type(entry) is CheckInEntry:
                wanted.append(_lazy_checkin(source.rel, entry))
                if cache is not None:  # parsed now: the row says what it holds instead of a mark
                    _summarise(cache, source.rel, entry, wanted[-1:])
                continue
            if cache is not None:
                cache.put(digests[source.rel], entry, payload)
                cache.summarise(source.rel, entry)
            docs = entry_documents(source.rel, entry)
            for position, (doc, valid) in enumerate(zip(docs, valid_flags(entry), strict=True)):
                if valid and models and models[position] is not None:
                    doc.model = models[position]
                (wanted if valid and doc.kind == "CheckIn" else extra).append(doc)
            findings.extend(entry_findings(source.rel, entry))
    for doc in wanted:
        if type(doc.data) is CheckInEntry:
            _from_entry(doc)
        elif doc.model is None and not build_model(doc):
            raise _StaleEntry(doc.path)
        _settle(doc)
    # Check-ins decided one by one (``Scope.checkins``) were kept with their whole file: keeping one
    # more than needed changes nothing.
    kept = wanted if chosen.checkins is not None else [d for d in wanted if id(d) in decided_ids or in_scope(d)]
    left_out += len(wanted) - len(kept)
    # Files of which some documents are loaded and some check-ins left out (decided one by one):
    # another load of the run must not borrow them as whole files (``load.gitref.Shared``).
    kept_ids = {id(d) for d in kept}
    partly = {d.path for d in held if id(d) not in kept_ids} | {d.path for d in wanted if id(d) not in kept_ids}
    _save(cache)
    if not kept and not extra and not skimmed and len(findings) == problems_before:
        repo.left_out = left_out
        repo.partly_read = partly
        return repo
    all_docs.extend(kept)
    all_docs.extend(extra)
    all_docs.sort(key=lambda d: (d.path, d.index))
    repo = _repo(snapshot, all_docs, findings)
    repo.left_out = left_out
    repo.partly_read = partly
    return repo


def _read_deferred(
    snapshot: Snapshot,
    deferred: list[SourceFile],
    cache: Any,
    scope: ScopeRule,
    held: list[Doc] | None,
    by_file: dict[str, tuple[list[Doc], list[Finding]]],
    progress: Callable[[str, int, int], None] | None,
    maybe: list[tuple[SourceFile, str | None, bytes | None]] | None = None,
) -> None:
    """The files the scan left to the workers: read, digested and analysed there; their digests,
    stats and blob pairs are recorded here, and the snapshot may then have a fingerprint. With
    ``maybe``, the files that can only hold check-ins are left unparsed there (``_read_and_analyse``)."""
    store_path = cache.store.writer_path() if cache is not None else None
    items = [(s.rel, s.path, snapshot.oids.get(s.rel)) for s in deferred]
    seen_blobs: list[tuple[str, str]] = []
    for count, (source, (key, problem, is_blob, entry, payload, unparsed)) in enumerate(
        zip(deferred, read_files(items, store_path=store_path, hold=maybe is not None), strict=True), start=1
    ):
        rel = source.rel
        held_back = problem is None and entry is None and unparsed is not None and maybe is not None
        if not held_back and (problem is not None or entry is None):
            snapshot.problems[rel] = Finding("OKR100", "error", rel, 1, 1, f"cannot read file: {problem}", "")
            snapshot.digests[rel] = ""
            continue
        snapshot.digests[rel] = key
        if rel in snapshot.oids and not is_blob:
            snapshot.moved.add(rel)  # git named another blob: saved since git looked
        if cache is not None:
            if source.stat is not None:
                cache.remember_stat(rel, source.stat, key)
            if is_blob:
                seen_blobs.append((snapshot.oids[rel], key))
        if held_back and maybe is not None and unparsed is not None:
            if cache is not None and isinstance(unparsed, str):
                cache.mark_skimmed(rel, unparsed)
            maybe.append((source, unparsed, None) if isinstance(unparsed, str) else (source, None, unparsed))
            continue
        if cache is not None:
            cache.put(key, entry, payload)
        by_file[rel] = _docs_of(rel, entry, None, held)
        if cache is not None:
            _summarise(cache, rel, entry, by_file[rel][0])
        if progress is not None and (count % 500 == 0 or count == len(deferred)):
            progress("files read", count, len(deferred))
    if cache is not None:
        cache.store.put_blobs(seen_blobs)
    snapshot.deferred = {}
    snapshot.known_fingerprint = None  # every file has its digest now


def _hold_back(
    snapshot: Snapshot,
    fresh: list[SourceFile],
    deferred: list[SourceFile],
    maybe: list[tuple[SourceFile, str | None, bytes | None]],
    cache: Any,
) -> list[SourceFile]:
    """Skimming the files the store cannot answer for: those whose stat row carries the mark of an
    earlier skim, and those already read that can only hold check-ins, go to ``maybe`` unparsed; the
    unread ones go to the workers (``deferred``) when there are enough of them, which hold such
    files back as they read them. The rest are analysed. A file read here (the scan knew it by its
    stat or blob, and the store lost its entry since) takes the digest of the bytes read
    (``Snapshot.bytes_of``): saved meanwhile, its entry would else be stored under the digest of
    bytes it does not describe, and answer for them in every later run."""
    marks = {
        s.rel: m
        for s in fresh
        if cache is not None and s.rel != CONFIG_NAME and (m := cache.skim_mark_of(s.rel)) is not None
    }
    unread = [s for s in fresh if s.rel not in snapshot.contents and s.rel not in marks]
    to_workers = len(unread) >= PARALLEL_MIN_FILES and _jobs() > 1
    rest: list[SourceFile] = []
    for source in fresh:
        raw = snapshot.contents.get(source.rel)
        mark = marks.get(source.rel)
        if mark is not None:
            maybe.append((source, mark, raw))  # known to hold only check-ins: read only if wanted
            continue
        if raw is None and to_workers:
            deferred.append(source)
            continue
        if raw is None:
            try:
                raw = snapshot.contents[source.rel] = snapshot.bytes_of([source])[source.rel]
            except OSError as exc:
                _unreadable(snapshot, source.rel, exc)
                continue
        if source.rel != CONFIG_NAME and checkins_only(raw):
            mark = skim_mark(raw)
            if cache is not None and mark is not None:
                cache.mark_skimmed(source.rel, mark)
            maybe.append((source, mark, raw))
        else:
            rest.append(source)
    return rest


def _unreadable(snapshot: Snapshot, rel: str, exc: OSError) -> Finding:
    """A file the load could not read after the scan: its finding, recorded in the snapshot."""
    finding = Finding("OKR100", "error", rel, 1, 1, f"cannot read file: {exc.strerror or exc}", "")
    snapshot.problems[rel] = finding
    snapshot.digests[rel] = ""
    return finding


def _read_skimmed(
    snapshot: Snapshot, chosen: list[tuple[SourceFile, bytes | None]], findings: list[Finding]
) -> list[tuple[SourceFile, bytes]]:
    """The bytes of the skimmed files the scope wants, reading those that were left unread. A file
    that changed since its digest was taken is read as it is now (its new digest is the one kept);
    one that cannot be read any more is a finding (added to ``findings``)."""
    from okrctl.load.store import digest

    out: list[tuple[SourceFile, bytes]] = []
    for source, raw in chosen:
        if raw is None:
            try:
                raw = read_file(source.path)
            except OSError as exc:
                findings.append(_unreadable(snapshot, source.rel, exc))
                snapshot.fingerprint = ""
                continue
            key = digest(raw)
            if key != snapshot.digests.get(source.rel):
                snapshot.digests[source.rel] = key
                snapshot.fingerprint = ""  # no longer what the scan saw: nothing may be memoised
                snapshot.moved.add(source.rel)
        out.append((source, raw))
    return out


def _save(cache: Any) -> None:
    if cache is not None:
        cache.save()


def _repo(snapshot: Snapshot, docs: list[Doc], findings: list[Finding]) -> Repo:
    # A broken okrctl.yaml still gives every setting it validly declares (``load.declared``).
    config, config_doc, dropped_cycles = root_config(docs)
    files = snapshot.discovery
    repo = Repo(snapshot.root, config, config_doc, docs, findings, len(files.files), files.other_files)
    repo.dropped_cycles = dropped_cycles
    repo.parse_cache = snapshot.cache
    repo.findings_store = snapshot.cache.store if snapshot.cache is not None else None
    repo.digests = dict(snapshot.digests)
    # Git's answer, less the files this run read as other bytes: lent as git's blob, a file saved
    # meanwhile would give the other side of ``diff`` (or the baseline) this run's new text.
    clean = snapshot.clean
    repo.clean_blobs = (
        clean
        if clean is None or not snapshot.moved
        else {rel: oid for rel, oid in clean.items() if rel not in snapshot.moved}
    )
    return repo
