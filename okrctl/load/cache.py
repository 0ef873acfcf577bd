"""Caches in ``.okrctl-cache/`` (safe to delete, ignored by git), keyed on file content.

* The parse cache stores the plain values of each file's documents (or the problem that made it
  unreadable) by content digest, so an unchanged file is never parsed twice. Positions are not
  stored: the few files that need them for a finding are parsed again.
* A stat table (size, mtime, inode → digest), like git's index, lets an unchanged file be known
  without reading it. Files changed in the last seconds are not recorded, so a write that lands
  within the clock's granularity is still seen next time.
* The result memo keeps the last outputs of read-only commands, keyed on the repository's content
  fingerprint and every input of the command; an unchanged repeat run prints at once.

Everything is JSON, never pickle, and signed with a key kept in the user's cache folder, so a cache
planted in a repository is ignored rather than trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from okrctl import __version__
from okrctl.load.documents import Doc
from okrctl.load.yamlparse import ParsedDocument, YamlProblem

CACHE_DIR = ".okrctl-cache"
CACHE_FILE = "parse-v1.json"
RESULTS_FILE = "results-v1.json"
STATS_FILE = "stats-v1.json"
FORMAT = f"okrctl-parse-cache/3/{__version__}"
RESULTS_FORMAT = f"okrctl-results/1/{__version__}"
STATS_FORMAT = f"okrctl-stats/1/{__version__}"
RESULTS_KEPT = 24
RACY_SECONDS = 2.0


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "okrctl" / "cache-key"


def _signing_key() -> bytes | None:
    path = _key_file()
    try:
        key = path.read_bytes()
        if len(key) >= 32:
            return key
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(key)
        return key
    except FileExistsError:
        try:
            return path.read_bytes()
        except OSError:
            return None
    except OSError:
        return None


def digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _read_signed(path: Path, key: bytes, fmt: str) -> dict[str, Any] | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    signature, _, body = blob.partition(b"\n")
    expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        loaded = json.loads(body)
    except ValueError:
        return None
    return loaded if isinstance(loaded, dict) and loaded.get("format") == fmt else None


def _write_signed(folder: Path, name: str, key: bytes, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode()
    signature = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# okrctl's cache: safe to delete\n*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            handle.write(signature + b"\n" + body)
        os.replace(tmp, folder / name)
    except OSError:
        pass  # a read-only checkout simply runs without a cache


def _plain_keys(value: Any) -> bool:
    """JSON turns every mapping key into text: only cache files whose keys already are text."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_keys(v) for v in value)
    return True


def cache_enabled() -> bool:
    return not os.environ.get("OKRCTL_NO_CACHE")


class ParseCache:
    """Parse results by content digest, plus the stat table; the (large) results load lazily.

    A repeat run whose result is memoised needs only the small stat table, never the parse results.
    """

    def __init__(self, folder: Path, key: bytes, stats: dict[str, Any]) -> None:
        self.folder = folder
        self.key = key
        self.stats = stats  # relative path -> [size, mtime_ns, inode, digest]
        self._entries: dict[str, Any] | None = None  # content digest -> entry
        self.used: dict[str, Any] = {}
        self.new_stats: dict[str, list[Any]] = {}
        self.changed = False
        self.started = time.time()

    @classmethod
    def open(cls, root: Path) -> ParseCache | None:
        if not cache_enabled():
            return None
        key = _signing_key()
        if key is None:
            return None
        folder = root / CACHE_DIR
        loaded = _read_signed(folder / STATS_FILE, key, STATS_FORMAT) or {}
        stats = loaded.get("stats")
        return cls(folder, key, stats if isinstance(stats, dict) else {})

    @property
    def entries(self) -> dict[str, Any]:
        if self._entries is None:
            loaded = _read_signed(self.folder / CACHE_FILE, self.key, FORMAT) or {}
            entries = loaded.get("entries")
            self._entries = entries if isinstance(entries, dict) else {}
        return self._entries

    # ----- stat table ----------------------------------------------------------------------------
    def known_digest(self, rel: str, st: os.stat_result) -> str | None:
        """The content digest of an unchanged file (same size, mtime and inode), without reading it."""
        row = self.stats.get(rel)
        if row and len(row) == 4 and row[0] == st.st_size and row[1] == st.st_mtime_ns and row[2] == st.st_ino:
            self.new_stats[rel] = row
            return str(row[3])
        return None

    def remember_stat(self, rel: str, st: os.stat_result, file_digest: str) -> None:
        if self.started - st.st_mtime > RACY_SECONDS:
            self.new_stats[rel] = [st.st_size, st.st_mtime_ns, st.st_ino, file_digest]

    def save_stats(self) -> None:
        """Written after every scan (cheap), so the next run knows the unchanged files."""
        if self.new_stats != self.stats:
            _write_signed(self.folder, STATS_FILE, self.key, {"format": STATS_FORMAT, "stats": self.new_stats})
            self.stats = dict(self.new_stats)

    # ----- parse results -------------------------------------------------------------------------
    def get(self, rel: str, file_digest: str) -> list[Doc] | YamlProblem | None:
        entry = self.entries.get(file_digest)
        if entry is None:
            return None
        self.used[file_digest] = entry
        if "problem" in entry:
            message, line, column = entry["problem"]
            return YamlProblem(message, line, column)
        return [Doc(rel, d[0], d[1], d[2], d[3], ignore=frozenset(d[4])) for d in entry["docs"]]

    def put(
        self,
        file_digest: str,
        *,
        documents: list[ParsedDocument] | None = None,
        problem: YamlProblem | None = None,
    ) -> None:
        if problem is not None:
            entry: dict[str, Any] = {"problem": [problem.message, problem.line, problem.column]}
        else:
            docs = documents or []
            if not all(_plain_keys(d.data) for d in docs):
                return
            entry = {"docs": [[d.index, d.line, d.column, d.data, sorted(d.ignore)] for d in docs]}
        self.used[file_digest] = entry
        self.changed = True

    def save(self) -> None:
        """Keep the entries of this run only (so the cache never grows without bound)."""
        if self._entries is None or (not self.changed and len(self.used) == len(self._entries)):
            return
        _write_signed(self.folder, CACHE_FILE, self.key, {"format": FORMAT, "entries": self.used})


def code_stamp() -> str:
    """Changes whenever okrctl's own code changes (an upgrade, or an edit in a development
    install), so a result memoised by other code is never reused."""
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

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder = folder
        self.key = key

    @classmethod
    def open(cls, root: Path) -> ResultMemo | None:
        if not cache_enabled():
            return None
        key = _signing_key()
        return cls(root / CACHE_DIR, key) if key is not None else None

    def _load(self) -> dict[str, Any]:
        loaded = _read_signed(self.folder / RESULTS_FILE, self.key, RESULTS_FORMAT) or {}
        results = loaded.get("results")
        return results if isinstance(results, dict) else {}

    def get(self, memo_key: str) -> tuple[str, int, str] | None:
        """(output, exit code, note for stderr) of an identical earlier run."""
        entry = self._load().get(memo_key)
        if isinstance(entry, dict) and isinstance(entry.get("text"), str) and isinstance(entry.get("exit"), int):
            return entry["text"], entry["exit"], str(entry.get("note", ""))
        return None

    def put(self, memo_key: str, text: str, exit_code: int, note: str = "") -> None:
        results = self._load()
        results[memo_key] = {"text": text, "exit": exit_code, "note": note, "at": time.time()}
        newest = sorted(results.items(), key=lambda item: item[1].get("at", 0), reverse=True)[:RESULTS_KEPT]
        _write_signed(self.folder, RESULTS_FILE, self.key, {"format": RESULTS_FORMAT, "results": dict(newest)})
