"""The findings of the rule families that read nothing but the files, kept in okrctl's store.

Those families (every one but ``history``, which reads git) give the same findings for the same
files on the same day and cycles, whichever command asks and however it loaded them: ``align``
with other options than last time (another format, ``--select``, a terminal width), ``diff``'s
two sides, and the base of a pull request's gate, whose content a job on the base branch judged
already that day. The key is the repository's content fingerprint (every path and the digest of
its bytes, the other files, okrctl's version), the day and the cycles; the store itself is one per
code of okrctl, so findings of other code are never read. Nothing is kept from a run that could
not tell every file's bytes (an unreadable file, a file saved while the rules placed findings in
it) or that asked about some files only (``focus``).

Findings are kept once the documents' own comments (``# okrctl: ignore[CODE]``) have silenced
what they silence, which the files alone decide, and before the config's settings and the
command's selection are applied (``rules.run`` applies those to kept and new findings alike).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from datetime import date
from typing import Any

from okrctl.findings import Finding
from okrctl.load.index import Repo

# The families whose findings depend on git as well as on the files: never kept.
NOT_KEPT = frozenset({"okrctl.rules.history"})
_FIELDS = 11  # code, severity, path, line, column, message, hint, data, about, representative, stops_views


def key_of(repo: Repo, today: date, cycles: set[str] | None) -> str | None:
    """The key of the repository's findings on ``today`` for ``cycles`` (None: every cycle), or
    None when they may not be kept: no store, or a file whose bytes the load could not tell."""
    from okrctl.load.pipeline import content_fingerprint

    if repo.findings_store is None or not repo.digests:
        return None
    if "" in repo.digests.values():
        return None  # unreadable, a pipe, a link out of the repository: no digest to key on
    fingerprint = content_fingerprint(repo.digests, repo.other_files)
    material = json.dumps(["findings", fingerprint, today.isoformat(), sorted(cycles) if cycles is not None else None])
    return hashlib.blake2b(material.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()


# Findings recalled by a load's scope before the check-ins were chosen (``lighter_scope``): the
# rules of that run take exactly these, whatever the store holds by then (another process may
# have pruned them meanwhile, and the repository loaded without check-ins could not find them).
_PINNED: dict[str, dict[str, list[Finding]]] = {}


def recall(repo: Repo, key: str) -> dict[str, list[Finding]]:
    """The families' findings kept under ``key`` (empty when none, or when what is kept is not
    what ``keep`` writes)."""
    if key in _PINNED:
        return _PINNED[key]
    data = repo.findings_store.findings_get(key)
    if data is None:
        return {}
    try:
        value = json.loads(zlib.decompress(data))
        return {name: [_finding(row) for row in rows] for name, rows in value.items() if isinstance(name, str)}
    except (ValueError, TypeError, AttributeError, zlib.error):
        return {}


def keep(repo: Repo, key: str, found: dict[str, list[Finding]]) -> None:
    """Keep the findings of the families in ``found`` (those of ``NOT_KEPT`` left out) under ``key``."""
    value = {name: [_row(finding) for finding in findings] for name, findings in found.items() if name not in NOT_KEPT}
    if value:
        text = json.dumps(value, separators=(",", ":"))  # ASCII: a lone surrogate is kept as its escape
        repo.findings_store.findings_put(key, zlib.compress(text.encode("ascii"), 1))


def _row(finding: Finding) -> list[Any]:
    return [
        finding.code,
        finding.severity,
        finding.path,
        finding.line,
        finding.column,
        finding.message,
        finding.hint,
        finding.data,
        finding.about,
        finding.representative,
        finding.stops_views,
    ]


def _finding(row: Any) -> Finding:
    """A kept row as a finding; TypeError or ValueError for anything ``_row`` does not write."""
    if not isinstance(row, list) or len(row) != _FIELDS:
        raise ValueError("not a kept finding")
    code, severity, path, line, column, message, hint, data, about, representative, stops_views = row
    texts = (code, severity, path, message, hint, about)
    if not all(isinstance(text, str) for text in texts):
        raise TypeError("not a kept finding")
    if not all(type(number) is int for number in (line, column)):
        raise TypeError("not a kept finding")
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise TypeError("not a kept finding")
    if type(representative) is not bool or type(stops_views) is not bool:
        raise TypeError("not a kept finding")
    return Finding(
        code,
        severity,
        path,
        line,
        column,
        message,
        hint,
        data=data,
        about=about,
        representative=representative,
        stops_views=stops_views,
    )


def lighter_scope(repo: Repo, today: date, cycles: set[str] | None) -> bool:
    """Whether every family but OKR601's has findings kept for this content, day and cycles: then
    ``align`` needs no check-in at all (its rules run on none), and the findings are pinned for
    the rules of this run. ``repo`` is what a load knows before it chooses check-ins: every
    document but them, and every file's digest."""
    from okrctl.rules import FAMILIES

    key = key_of(repo, today, cycles)
    if key is None:
        return False
    kept = recall(repo, key)
    if any(name not in kept for name in FAMILIES if name not in NOT_KEPT):
        return False
    _PINNED[key] = kept
    return True


def unpin() -> None:
    """Forget what ``lighter_scope`` pinned (the command that loaded is done)."""
    _PINNED.clear()
