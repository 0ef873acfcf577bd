"""The caches, kept in okrctl's store (``okrctl.load.store``) outside the repository.

* The parse cache gives the plain values of each file's documents (or the problem that made it
  unreadable) by content digest, so bytes already parsed — in this repository, another one, or
  another commit — are never parsed again. Positions are not stored: the few files that need them
  for a finding are parsed again.
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

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from okrctl.load.documents import Doc
from okrctl.load.store import Store, cache_enabled, digest
from okrctl.load.yamlparse import ParsedDocument, YamlProblem

__all__ = ["ParseCache", "ResultMemo", "cache_enabled", "code_stamp", "digest", "documents_by_digest"]

RACY_SECONDS = 2.0
StatRow = tuple[int, int, int, int, int, str]


def _plain_keys(value: Any) -> bool:
    """JSON turns every mapping key into text: only cache files whose keys already are text."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_keys(v) for v in value)
    return True


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    return text if len(text) <= 200 else None


def index_columns(documents: list[ParsedDocument]) -> list[tuple[Any, ...]]:
    """(index, kind, owner, cycle, id, date) of each document, for the store's indexes."""
    rows = []
    for doc in documents:
        data = doc.data if isinstance(doc.data, dict) else {}
        rows.append(
            (
                doc.index,
                _text(data.get("kind")),
                _text(data.get("owner")),
                _text(data.get("cycle")),
                _text(data.get("id")),
                _text(data.get("date")),
            )
        )
    return rows


def encode_entry(
    documents: list[ParsedDocument] | None = None, problem: YamlProblem | None = None
) -> dict[str, Any] | None:
    """The stored form of one file's parse; None when it cannot be stored faithfully as JSON."""
    if problem is not None:
        return {"problem": [problem.message, problem.line, problem.column]}
    docs = documents or []
    if not all(_plain_keys(d.data) for d in docs):
        return None
    return {"docs": [[d.index, d.line, d.column, d.data, sorted(d.ignore)] for d in docs]}


def decode_entry(rel: str, entry: Any) -> list[Doc] | YamlProblem | None:
    """Documents (or the problem) of a stored entry; None when the entry is not of okrctl's shape."""
    try:
        if "problem" in entry:
            message, line, column = entry["problem"]
            return YamlProblem(str(message), int(line), int(column))
        return [
            Doc(rel, int(d[0]), int(d[1]), int(d[2]), d[3], ignore=frozenset(str(c) for c in d[4]))
            for d in entry["docs"]
        ]
    except (KeyError, TypeError, ValueError):
        return None


class ParseCache:
    """Parse results by content digest, plus the stat table of one repository."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.stats: dict[str, StatRow] = store.stats()
        self.new_stats: dict[str, StatRow] = {}
        self.scanned: set[str] = set()  # digests of every file of this scan, recorded or not
        self._entries: dict[str, Any] | None = None
        self.pending: list[tuple[str, str, list[tuple[Any, ...]]]] = []
        self.started = time.time()

    @classmethod
    def open(cls, root: Path) -> ParseCache | None:
        store = Store.open(root)
        return cls(store) if store is not None else None

    # ----- stat table ----------------------------------------------------------------------------
    def known_digest(self, rel: str, st: os.stat_result) -> str | None:
        """The content digest of an unchanged file (same size, mtime, ctime, inode and device)."""
        row = self.stats.get(rel)
        if (
            row is not None
            and row[0] == st.st_size
            and row[1] == st.st_mtime_ns
            and row[2] == st.st_ctime_ns
            and row[3] == st.st_ino
            and row[4] == st.st_dev
        ):
            self.new_stats[rel] = row
            self.scanned.add(row[5])
            return str(row[5])
        return None

    def remember_stat(self, rel: str, st: os.stat_result, file_digest: str) -> None:
        self.scanned.add(file_digest)
        newest = max(st.st_mtime, st.st_ctime)
        if self.started - newest > RACY_SECONDS:
            self.new_stats[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev, file_digest)

    def save_stats(self) -> None:
        """Written after every scan (cheap: only the rows that changed), so the next run knows."""
        self.store.save_stats(self.stats, self.new_stats)
        self.stats = dict(self.new_stats)

    # ----- parse results -------------------------------------------------------------------------
    @property
    def entries(self) -> dict[str, Any]:
        """The stored entries of the files this scan saw (one bulk fetch)."""
        if self._entries is None:
            self._entries = self.store.payloads(self.scanned)
        return self._entries

    def get(self, rel: str, file_digest: str) -> list[Doc] | YamlProblem | None:
        entry = self.entries.get(file_digest)
        if entry is None:
            entry = self.store.payloads([file_digest]).get(file_digest)
        return decode_entry(rel, entry) if entry is not None else None

    def put(
        self,
        file_digest: str,
        *,
        documents: list[ParsedDocument] | None = None,
        problem: YamlProblem | None = None,
    ) -> None:
        entry = encode_entry(documents, problem)
        if entry is None:
            return
        try:
            payload = json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
        except ValueError:  # e.g. an integer too long to print: parsed again next time
            return
        self.pending.append((file_digest, payload, index_columns(documents or [])))

    def save(self) -> None:
        self.store.put_entries(self.pending)
        self.pending = []
        self.store.prune()


def documents_by_digest(store: Store | None, rel: str, raw: bytes) -> list[Doc] | YamlProblem:
    """The documents of ``raw`` (named ``rel`` in findings), from the store when these bytes were
    parsed before, else parsed now and stored. For readers of other sources (git objects)."""
    from okrctl.load.documents import parse_bytes

    key = digest(raw)
    if store is not None:
        found = store.payloads([key]).get(key)
        decoded = decode_entry(rel, found) if found is not None else None
        if decoded is not None:
            return decoded
    try:
        parsed = parse_bytes(rel, raw, want_positions=False)
    except YamlProblem as problem:
        if store is not None:
            payload = json.dumps(encode_entry(problem=problem))
            store.put_entries([(key, payload, [])])
        return problem
    if store is not None:
        entry = encode_entry(parsed)
        if entry is not None:
            with contextlib.suppress(ValueError):  # an integer too long to print: not stored
                store.put_entries([(key, json.dumps(entry, ensure_ascii=False), index_columns(parsed))])
    return [Doc(rel, p.index, p.line, p.column, p.data, ignore=p.ignore) for p in parsed]


def code_stamp() -> str:
    """Changes whenever okrctl's own code changes (an upgrade, or an edit in a development
    install), so a result memoised by other code is never reused."""
    from okrctl import __version__

    package = Path(__file__).resolve().parents[1]
    newest = 0
    count = 0
    for folder, _dirs, names in os.walk(package):
        for name in names:
            if name.endswith(".py"):
                count += 1
                newest = max(newest, os.stat(os.path.join(folder, name)).st_mtime_ns)
    return f"{__version__}:{count}:{newest}"


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
