"""The caches, kept in okrctl's store (``okrctl.load.store``) outside the repository.

* The parse cache gives, by content digest, what a file's bytes say on their own
  (``okrctl.load.entry``): its documents as plain values, which are valid, and the file's own
  findings with their places. Bytes already seen — in this repository, another one, or another
  commit — are never parsed or validated again.
* A stat table (size, mtime, ctime, inode, device → digest), like git's index, lets an unchanged
  file be known without reading it. ctime catches an edit that restored the mtime (``cp -p``,
  ``rsync -t``, tar). Files changed in the last seconds are not recorded, so a write that lands
  within the clock's granularity is still seen next time.
* The result memo keeps the last (small) outputs of read-only commands, keyed on the
  repository's content fingerprint, okrctl's code and every input of the command.

Nothing is pickled, nothing is signed: the store is trusted because of where it is (see
``okrctl.load.store``), and because every entry is keyed on the digest of the bytes it describes.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrctl.findings import Finding
from okrctl.forked import Background
from okrctl.load.discover import FileStat
from okrctl.load.documents import Doc
from okrctl.load.entry import ONLY_CHECKINS as _ONLY_CHECKINS
from okrctl.load.entry import (
    SKIM_MARK,
    Entry,
    analyse_for_store,
    build_model,
    entry_summary,
    valid_flags,
    well_formed,
)
from okrctl.load.entry import documents as entry_documents
from okrctl.load.entry import findings as entry_findings
from okrctl.load.entry import summary_of as _summary_of
from okrctl.load.store import CheckInEntry, Store, cache_enabled, code_stamp, digest, write_stats

if TYPE_CHECKING:
    from okrctl.load.keptwalk import KeptFiles

__all__ = ["ParseCache", "ResultMemo", "cache_enabled", "code_stamp", "digest", "documents_by_digest"]

RACY_SECONDS = 2.0
FLUSH_EVERY = 4000  # new entries written to the store in batches of this many
# size, mtime, ctime, inode, device, content digest, summary of what the file holds (None: not yet
# known; "" : something else than valid check-ins only; "~…": left unparsed by a skim, see SKIM_MARK;
# else "owner\x1fdate\x1fkeys" per check-in, "\x1e"-joined, where keys are its result keys
# (``entry.result_keys_text``), left out with their "\x1f" when they cannot be told that way)
StatRow = tuple[int, int, int, int, int, str, str | None]
_SKIM_MARK_FORM = re.compile(r"~[a-z0-9][a-z0-9-]{0,62}")


def same_stat(row: StatRow, st: os.stat_result | FileStat) -> bool:
    """Whether a stat row still describes the file (same size, mtime, ctime, inode and device)."""
    return (
        row[0] == st.st_size
        and row[1] == st.st_mtime_ns
        and row[2] == st.st_ctime_ns
        and row[3] == st.st_ino
        and row[4] == st.st_dev
    )


def _row(started: float, st: os.stat_result | FileStat, file_digest: str, summary: str | None) -> StatRow | None:
    """The stat row of a file, None when it changed too shortly before the run ``started`` to be
    recorded (a write within the clock's granularity could go unseen next time)."""
    if started - max(st.st_mtime_ns, st.st_ctime_ns) / 1e9 > RACY_SECONDS:
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, file_digest, summary)
    return None


class ParseCache:
    """Parse results by content digest, plus the stat table of one repository."""

    def __init__(self, store: Store, *, stat_rows: bool = True) -> None:
        """``stat_rows`` False: the stat table is not read (a scan that learns the files from git's
        index); the rows this run learns are then added to it, and none is removed."""
        self.store = store
        self.stats: dict[str, StatRow] = store.stats() if stat_rows else {}
        self.removes = stat_rows  # whether saving removes the rows of files this scan did not record
        self.background: Background | None = None  # stat'ing files known without their stat
        self.new_stats: dict[str, StatRow] = {}
        self.scanned: set[str] = set()  # digests of every file of this scan, recorded or not
        self.told: dict[str, str] = {}  # digest -> summary of its entry, as the blob lookup gave it
        self.pending: list[tuple[str, str, str]] = []
        self.started = time.time()
        # A walk to keep (``keptwalk``) with the rows this run saves, and the rows it was taken with.
        self.keep_walk: KeptFiles | None = None
        self.kept_rows: dict[str, StatRow] | None = None

    def take_kept_rows(self, rows: dict[str, StatRow], again: list[str]) -> None:
        """Know the files by the stat rows a kept walk holds (instead of the stat table, which is
        not read), and by the table's rows for the files git named beside it (``again``)."""
        self.kept_rows = rows
        self.stats = dict(rows)
        if again:
            self.stats.update(self.store.stat_rows_of(again))

    @classmethod
    def open(cls, root: Path, *, stat_rows: bool = True) -> ParseCache | None:
        store = Store.open(root)
        return cls(store, stat_rows=stat_rows) if store is not None else None

    # ----- stat table ----------------------------------------------------------------------------
    def known_digest(self, rel: str, st: os.stat_result | FileStat) -> str | None:
        """The content digest of an unchanged file (same size, mtime, ctime, inode and device)."""
        row = self.stats.get(rel)
        if row is not None and same_stat(row, st):
            self.new_stats[rel] = row
            self.scanned.add(row[5])
            return str(row[5])
        return None

    def remember_stat(self, rel: str, st: os.stat_result | FileStat, file_digest: str) -> None:
        self.scanned.add(file_digest)
        row = _row(self.started, st, file_digest, None)
        if row is not None:
            self.new_stats[rel] = row

    def remember_stats(self, found: list[tuple[str, FileStat | None, str, str | None]]) -> None:
        """``remember_stat`` of many files at once (on a fresh checkout, every file), written out,
        each row with the summary of what its file holds when the store told it already (a file
        known without its stat, from git's index, gets no row)."""
        started, rows, scanned, told = self.started, self.new_stats, self.scanned, self.told
        for rel, st, file_digest, summary in found:
            scanned.add(file_digest)
            if summary is not None:
                told[file_digest] = summary  # for ``index``, also when the row is not recorded
            # st: mode, size, mtime, ctime, inode, device
            if st is not None and started - max(st[2], st[3]) / 1e9 > RACY_SECONDS:
                rows[rel] = (st[1], st[2], st[3], st[4], st[5], file_digest, summary)

    def stat_later(self, files: list[tuple[str, str, str, str | None]]) -> None:
        """Record the stat rows of files known without their stat (from git's index): ``(rel,
        path, digest, summary)``, stat'ed and written by a forked worker while this process goes
        on (``save_stats`` waits for it). As for every row, a file changed since shortly before the
        run started is not recorded: git's answer may predate the change. Where no worker can be
        started, the next run records them."""
        path = self.store.writer_path()
        if not files or path is None:
            return
        started, repo = self.started, self.store.repo

        def work() -> None:
            rows: list[tuple[Any, ...]] = []
            for rel, full, file_digest, summary in files:
                try:
                    st = os.lstat(full)
                except OSError:
                    continue
                row = _row(started, st, file_digest, summary) if stat.S_ISREG(st.st_mode) else None
                if row is not None:
                    rows.append((repo, rel, *row))
            write_stats(path, [], rows)

        self.background = Background.start(work)

    def save_stats(self) -> None:
        """Written once per run, when the load is done (only the rows that changed, each with what its
        file holds when that is known), so the next run knows."""
        if self.background is not None:  # one write at a time: a later one is never overwritten
            self.background.join()
        self.background = self.store.save_stats(self.stats, self.new_stats, remove=self.removes)
        self.stats = dict(self.new_stats)
        kept, self.keep_walk = self.keep_walk, None
        if kept is not None and self.kept_rows is not None and _kept_rows_changed(kept, self.kept_rows, self.new_stats):
            kept.keep(self.store, self.new_stats)

    def consult_stat_rows(self) -> None:
        """Read the stat table after all (git's index could not say which files are unchanged), to
        know files by their stat; saving still removes no row."""
        self.stats = self.store.stats()

    def summarise(self, rel: str, entry: Entry) -> None:
        """Note what the file ``rel`` holds (from its entry) in its stat row, when the row lacks it:
        a run that reads every file (``align``) prepares the next scoped command."""
        if not self.needs_summary(rel):
            return
        self.new_stats[rel] = (*self.new_stats[rel][:6], entry_summary(entry))

    def needs_summary(self, rel: str) -> bool:
        """Whether the file's stat row does not say yet what the file holds (a skim mark does not)."""
        row = self.new_stats.get(rel)
        return row is not None and (row[6] is None or row[6].startswith(SKIM_MARK))

    def summarise_checkin(self, rel: str, owner: str, day: str, keys: str | None) -> None:
        """``summarise`` for a file that holds one valid check-in, known from its model or from what
        a worker sent: ``summary_of`` that one check-in, written out (it runs for most files)."""
        row = self.new_stats.get(rel)
        if row is None or (row[6] is not None and not row[6].startswith(SKIM_MARK)):
            return
        if type(owner) is not str or type(day) is not str:
            summary = _summary_of([(_ONLY_CHECKINS, owner, day, 1, keys)])
        else:
            pair = owner + "\x1f" + day
            if "\x1e" in pair or pair.count("\x1f") != 1 or owner.startswith(SKIM_MARK):
                summary = ""
            elif type(keys) is str and "\x1e" not in keys and "\x1f" not in keys:
                summary = pair + "\x1f" + keys
            else:
                summary = pair
        self.new_stats[rel] = (*row[:6], summary)

    def mark_skimmed(self, rel: str, mark: str) -> None:
        """Note in the file's stat row that a skim left it unparsed, with its ``pipeline.skim_mark``."""
        row = self.new_stats.get(rel)
        if row is not None and (row[6] is None or row[6].startswith(SKIM_MARK)):
            self.new_stats[rel] = (*row[:6], mark)

    def skim_mark_of(self, rel: str) -> str | None:
        """The skim mark of the file's stat row, when it has a well-formed one."""
        row = self.new_stats.get(rel)
        summary = row[6] if row is not None else None
        if summary is not None and summary.startswith(SKIM_MARK) and _SKIM_MARK_FORM.fullmatch(summary):
            return summary
        return None

    # ----- entries ------------------------------------------------------------------------------
    def index(self, *, skim: bool = False) -> dict[str, str]:
        """What the store knows of this scan's files: digest → the summary of what the file holds
        (``entry.summary_of``: "" for anything but valid check-ins only, else whose check-ins and
        when; ``entry.rows_of`` reads it). Left as text: most files are check-ins a command about
        a few owners never reads, and an owner is told by the text before its first "\x1f".

        Files known by their stat carry a summary in their stat row (read with the stat table, no
        other query); the store's document index answers for the rest, and their summaries are
        kept for the next run. A file a skim left unparsed is looked up too, unless this load
        skims as well (its skim mark then says enough). A summary that is not text (a row okrctl
        did not write) raises, as reading it would."""
        found: dict[str, str] = {}
        unsummarised: dict[str, list[str]] = {}
        skimmed: set[str] = set()
        for rel, row in self.new_stats.items():
            summary = row[6]
            if summary is None:
                unsummarised.setdefault(row[5], []).append(rel)
            elif summary.startswith(SKIM_MARK):
                if skim:
                    skimmed.add(row[5])
                else:
                    unsummarised.setdefault(row[5], []).append(rel)
            elif row[5] not in found:
                found[row[5]] = summary
        missing = self.scanned - found.keys() - skimmed
        # A fresh checkout's files known by their blob came with their summary; the store's document
        # index answers for the rest (a new store knows nothing yet).
        answers = {key: self.told[key] for key in missing & self.told.keys()}
        missing -= answers.keys()
        if missing and not self.store.empty():
            answers.update(self.store.index_of(missing))
        for key, summary in answers.items():
            found[key] = _summary_text(summary)
            for rel in unsummarised.get(key, ()):
                self.new_stats[rel] = (*self.new_stats[rel][:6], summary)  # written by ``save``
        return found

    def fetch(self, digests: Iterable[str], *, lazy_checkins: bool = False) -> dict[str, Any]:
        """The stored entries of ``digests`` that have okrctl's shape (``Store.payloads``: with
        ``lazy_checkins``, one-check-in entries come as ``CheckInEntry``)."""
        return {
            key: entry
            for key, entry in self.store.payloads(digests, lazy_checkins=lazy_checkins).items()
            if type(entry) is CheckInEntry or well_formed(entry)
        }

    def put(self, file_digest: str, entry: Entry, payload: str | None) -> None:
        if payload is not None:
            self.pending.append((file_digest, payload, entry_summary(entry)))
            if len(self.pending) >= FLUSH_EVERY:  # a cold run of a large repository: keep memory flat
                self.store.put_entries(self.pending)
                self.pending = []

    def save(self) -> None:
        """Everything learnt: new entries, and the stat rows with what each file holds (one write per
        row that changed, the summary in it)."""
        self.store.put_entries(self.pending)
        self.pending = []
        self.save_stats()
        self.store.tidy()


def _kept_rows_changed(kept: KeptFiles, before: dict[str, StatRow], after: dict[str, StatRow]) -> bool:
    """Whether a row of a kept walk's files changed during the run (a file recorded at last, or
    with another digest): it is then kept again. A summary learnt meanwhile is not reason enough:
    the store's index tells it to the next run as well."""
    if before.keys() - after.keys():
        return True  # a row no longer recorded
    tracked: set[str] | None = None
    for rel, row in after.items():
        old = before.get(rel)
        if old is row:
            continue
        if old is None:
            if tracked is None:
                tracked = set(kept.rels)
            if rel in tracked:
                return True
        elif old[:6] != row[:6]:
            return True
    return False


def _summary_text(summary: Any) -> str:
    """A summary the store answered with, as text: none is "anything else" (``entry.rows_of``
    reads it so); any other value than text is refused as reading it would refuse it."""
    if type(summary) is str:
        return summary
    if not summary:
        return ""
    raise TypeError(f"a summary of another kind: {type(summary).__name__}")


def documents_by_digest(store: Store | None, rel: str, raw: bytes) -> tuple[list[Doc], list[Finding]]:
    """The documents of ``raw`` (named ``rel``; models built for the valid ones) and the file's own
    findings, from the store when these bytes were seen before, else analysed now and stored.
    For readers of other sources than the work tree (git objects)."""
    key = digest(raw)
    entry = None
    if store is not None:
        found = store.payloads([key]).get(key)
        store.flush_used()
        entry = found if well_formed(found) else None
    if entry is None:
        entry, payload, _models = analyse_for_store(rel, raw)
        if store is not None and payload is not None:
            store.put_entries([(key, payload, entry_summary(entry))])
    docs = entry_documents(rel, entry)
    for doc, valid in zip(docs, valid_flags(entry), strict=True):
        if valid and not build_model(doc):
            return documents_by_digest(None, rel, raw)
    return docs, entry_findings(rel, entry)


class ResultMemo:
    """The last outputs of read-only commands, by a key over everything they depend on."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @classmethod
    def open(cls, root: Path) -> ResultMemo | None:
        store = Store.open(root, announce=False)
        return cls(store) if store is not None else None

    def get(self, memo_key: str) -> tuple[str, int, str] | None:
        """(output, exit code, note for stderr) of an identical earlier run."""
        return self.store.memo_get(memo_key)

    def put(self, memo_key: str, text: str, exit_code: int, note: str = "") -> None:
        self.store.memo_put(memo_key, text, exit_code, note)
