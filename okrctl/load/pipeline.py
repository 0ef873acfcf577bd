"""The loading pipeline: scan the files, parse them (from the cache, or in worker processes), validate,
and build the :class:`~okrctl.load.index.Repo` index."""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrctl.findings import Finding
from okrctl.load.discover import CONFIG_NAME, Discovery, SourceFile, discover
from okrctl.load.documents import Doc, parse_bytes, read_problem, validate
from okrctl.load.index import Repo
from okrctl.load.yamlparse import MAX_FILE_BYTES, ParsedDocument, YamlProblem
from okrctl.model import Config


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
    fingerprint: str
    cache: Any = None


def _read(path: str | Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def _exclude_patterns(root: Path) -> list[str]:
    """The config decides what else is read (``exclude``), so it is read first."""
    config_path = root / CONFIG_NAME
    if not config_path.is_file():
        return []
    try:
        parsed = parse_bytes(CONFIG_NAME, _read(config_path))
    except (OSError, YamlProblem):
        return []
    for document in parsed:
        data = document.data
        if isinstance(data, dict) and data.get("kind") == "Config" and isinstance(data.get("exclude"), list):
            return [p for p in data["exclude"] if isinstance(p, str)]
    return []


def scan(root: Path, *, use_cache: bool = True) -> Snapshot:
    """Discover the files and learn each one's content digest (from the stat table when unchanged)."""
    from okrctl import __version__
    from okrctl.load.cache import ParseCache, digest

    cache = ParseCache.open(root) if use_cache else None
    found = discover(root, _exclude_patterns(root))
    digests: dict[str, str] = {}
    contents: dict[str, bytes] = {}
    problems: dict[str, Finding] = {}
    for source in found.files:
        if source.outside_link:
            problems[source.rel] = Finding(
                "OKR100",
                "error",
                source.rel,
                1,
                1,
                "symlink points outside the repository",
                "replace the link with the file itself",
            )
            digests[source.rel] = ""
            continue
        try:
            st = os.stat(source.path)
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
            if known is None:
                raw = _read(source.path)
                known = digest(raw)
                contents[source.rel] = raw
                if cache is not None:
                    cache.remember_stat(source.rel, st, known)
        except OSError as exc:
            problems[source.rel] = Finding(
                "OKR100", "error", source.rel, 1, 1, f"cannot read file: {exc.strerror or exc}", ""
            )
            digests[source.rel] = ""
            continue
        digests[source.rel] = known
    if cache is not None:
        cache.save_stats()
    hasher = hashlib.blake2b(digest_size=20)
    hasher.update(__version__.encode())
    for rel in sorted(digests):
        hasher.update(f"\0{rel}\0{digests[rel]}".encode())
    for rel in found.other_files:
        hasher.update(f"\0other\0{rel}".encode())
    return Snapshot(root, found, digests, contents, problems, hasher.hexdigest(), cache)


# Outcome of parsing one file without positions: its documents, or (message, line, column).
ParseOutcome = list[ParsedDocument] | tuple[str, int, int]
PARALLEL_MIN_FILES = 2000  # below this, starting worker processes costs more than it saves


def _parse_batch(batch: list[tuple[str, bytes]]) -> list[ParseOutcome]:
    """Parse files without positions (positions are found again only where a finding needs them)."""
    out: list[ParseOutcome] = []
    for rel, raw in batch:
        try:
            out.append(parse_bytes(rel, raw, want_positions=False))
        except YamlProblem as problem:
            out.append((problem.message, problem.line, problem.column))
    return out


def _jobs() -> int:
    cores = os.cpu_count() or 1
    value = os.environ.get("OKRCTL_JOBS", "")
    if value.isdigit() and int(value) > 0:
        return min(int(value), cores)
    return min(cores, 4)


def parse_files(
    items: list[tuple[str, bytes]], *, jobs: int | None = None, min_files: int = PARALLEL_MIN_FILES
) -> list[ParseOutcome]:
    """Parse many files, spread over worker processes when there are enough to be worth it."""
    jobs = _jobs() if jobs is None else jobs
    if jobs <= 1 or len(items) < min_files:
        return _parse_batch(items)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    try:
        context = multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - platforms without fork parse in one process
        return _parse_batch(items)
    size = max(1, -(-len(items) // (jobs * 4)))
    batches = [items[k : k + size] for k in range(0, len(items), size)]
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            return [outcome for result in pool.map(_parse_batch, batches) for outcome in result]
    except (OSError, RuntimeError):  # no processes to be had: the same work in this one
        return _parse_batch(items)


def _load_file(snapshot: Snapshot, source: SourceFile, outcome: ParseOutcome | None) -> tuple[list[Doc], list[Finding]]:
    """Documents of one file, from this run's parse (``outcome``) or from the cache."""
    rel = source.rel
    if rel in snapshot.problems:
        return [], [snapshot.problems[rel]]
    cache = snapshot.cache
    file_digest = snapshot.digests[rel]
    cached = cache.get(rel, file_digest) if cache is not None and outcome is None else None
    if outcome is None and cached is None:
        outcome = _parse_batch([(rel, snapshot.contents.get(rel) or _read(source.path))])[0]
    if outcome is not None:
        if isinstance(outcome, tuple):
            problem = YamlProblem(*outcome)
            if cache is not None:
                cache.put(file_digest, problem=problem)
            return [], [read_problem(rel, problem)]
        if cache is not None:
            cache.put(file_digest, documents=outcome)
        docs = [Doc(rel, p.index, p.line, p.column, p.data, ignore=p.ignore) for p in outcome]
    elif isinstance(cached, YamlProblem):
        return [], [read_problem(rel, cached)]
    else:
        docs = cached or []
    findings: list[Finding] = []
    if not docs:
        findings.append(
            Finding(
                "OKR103",
                "error",
                rel,
                1,
                1,
                "the file holds no document (empty, or comments only)",
                "add a document with apiVersion and kind, delete the file, or add it to 'exclude' in okrctl.yaml",
            )
        )
    for doc in docs:
        problems = validate(doc)
        if problems:
            # Values were built without marks: parse this one file again to place the findings.
            raw = snapshot.contents.get(rel) or _read(source.path)
            parsed_again = parse_bytes(rel, raw)
            doc.parsed = next((p for p in parsed_again if p.index == doc.index), None)
            doc.model = None
            problems = validate(doc)
        findings.extend(problems)
    return docs, findings


def load_repo(root: Path, *, use_cache: bool = True, snapshot: Snapshot | None = None) -> Repo:
    """Read, parse and validate every file of the repository at ``root``."""
    snapshot = snapshot or scan(root, use_cache=use_cache)
    sources = snapshot.discovery.files
    cache = snapshot.cache
    # Files the cache cannot answer are parsed together, so that many can use every core.
    todo = [
        s
        for s in sources
        if s.rel not in snapshot.problems and (cache is None or snapshot.digests[s.rel] not in cache.entries)
    ]
    parsed = parse_files([(s.rel, snapshot.contents.get(s.rel) or _read(s.path)) for s in todo])
    outcomes = {s.rel: outcome for s, outcome in zip(todo, parsed, strict=True)}
    all_docs: list[Doc] = []
    findings: list[Finding] = []
    for source in sources:
        docs, problems = _load_file(snapshot, source, outcomes.get(source.rel))
        all_docs.extend(docs)
        findings.extend(problems)
    if snapshot.cache is not None:
        snapshot.cache.save()
    config = Config.default()
    config_doc = next((d for d in all_docs if d.path == CONFIG_NAME and isinstance(d.model, Config)), None)
    if config_doc is not None:
        config = config_doc.model
    files = snapshot.discovery
    return Repo(root, config, config_doc, all_docs, findings, len(files.files), files.other_files)
