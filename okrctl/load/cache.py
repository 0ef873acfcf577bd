"""A parse cache keyed on file content, kept in ``.okrctl-cache/`` (safe to delete, ignored by git).

It stores the plain values of each file's documents (or the problem that made it unreadable), so an
unchanged file is never parsed twice. Positions are not stored: the few files that need them for a
finding are parsed again. The cache is JSON, never pickle, and signed with a key kept in the
user's cache folder, so a cache planted in a repository is ignored rather than trusted.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

from okrctl import __version__
from okrctl.load.documents import Doc
from okrctl.load.yamlparse import ParsedDocument, YamlProblem

CACHE_DIR = ".okrctl-cache"
CACHE_FILE = "parse-v1.json"
FORMAT = f"okrctl-parse-cache/2/{__version__}"


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


def _digest(raw: bytes) -> str:
    return hashlib.blake2b(raw, digest_size=20).hexdigest()


def _plain_keys(value: Any) -> bool:
    """JSON turns every mapping key into text: only cache files whose keys already are text."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_keys(v) for v in value)
    return True


class ParseCache:
    def __init__(self, folder: Path, key: bytes, entries: dict[str, Any]) -> None:
        self.folder = folder
        self.key = key
        self.entries = entries  # content digest -> entry
        self.used: dict[str, Any] = {}
        self.changed = False

    @classmethod
    def open(cls, root: Path) -> ParseCache | None:
        if os.environ.get("OKRCTL_NO_CACHE"):
            return None
        key = _signing_key()
        if key is None:
            return None
        folder = root / CACHE_DIR
        entries: dict[str, Any] = {}
        try:
            blob = (folder / CACHE_FILE).read_bytes()
            signature, _, body = blob.partition(b"\n")
            expected = hmac.new(key, body, hashlib.sha256).hexdigest().encode()
            if hmac.compare_digest(signature, expected):
                loaded = json.loads(body)
                if loaded.get("format") == FORMAT and isinstance(loaded.get("entries"), dict):
                    entries = loaded["entries"]
        except (OSError, ValueError):
            entries = {}
        return cls(folder, key, entries)

    def get(self, rel: str, raw: bytes) -> list[Doc] | YamlProblem | None:
        digest = _digest(raw)
        entry = self.entries.get(digest)
        if entry is None:
            return None
        self.used[digest] = entry
        if "problem" in entry:
            message, line, column = entry["problem"]
            return YamlProblem(message, line, column)
        return [Doc(rel, d[0], d[1], d[2], d[3], ignore=frozenset(d[4])) for d in entry["docs"]]

    def put(
        self, rel: str, raw: bytes, *, documents: list[ParsedDocument] | None = None, problem: YamlProblem | None = None
    ) -> None:
        digest = _digest(raw)
        if problem is not None:
            entry: dict[str, Any] = {"problem": [problem.message, problem.line, problem.column]}
        else:
            docs = documents or []
            if not all(_plain_keys(d.data) for d in docs):
                return
            entry = {"docs": [[d.index, d.line, d.column, d.data, sorted(d.ignore)] for d in docs]}
        self.used[digest] = entry
        self.changed = True

    def save(self) -> None:
        """Keep the entries of this run only (so the cache never grows without bound)."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        body = json.dumps({"format": FORMAT, "entries": self.used}, separators=(",", ":")).encode()
        signature = hmac.new(self.key, body, hashlib.sha256).hexdigest().encode()
        try:
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# okrctl's cache: safe to delete\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(prefix=".parse-", dir=self.folder)
            with os.fdopen(fd, "wb") as handle:
                handle.write(signature + b"\n" + body)
            os.replace(tmp, self.folder / CACHE_FILE)
        except OSError:
            pass  # a read-only checkout simply runs without a cache
