"""What the files that are not valid YAML still declare, read line by line, as align reads them.

A file okrctl cannot read into documents (OKR100: a syntax error, a tag, a duplicate key, a
forgotten ``---``) is left out of the index, but its lines still say whose documents it held
(``load.declared.scan_unreadable``). The rules ask it before calling something missing
(``rules.echo``), and a command asks it before calling an id unknown (``views.scope``).
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from okrctl import lfs
from okrctl.load.declared import scan_unreadable
from okrctl.load.documents import Doc
from okrctl.load.links import LINK_ABOUT, link_problem
from okrctl.load.yamlparse import BINARY_FILE, MAX_FILE_BYTES

if TYPE_CHECKING:
    from okrctl.load.declared import BrokenIndex
    from okrctl.load.index import Repo

ANYONE = ""  # in ``unreadable_documents``' owners: a file that names no unit may hold anyone's objectives
_WITH_ERRORS = "load.with_errors"  # ``Repo.derived``: ``declared_with_errors``


def declared_with_errors(repo: Repo) -> BrokenIndex:
    """What the documents with errors of ``repo`` declare, as align reads them: those of a file that
    is not YAML at all read line by line (``unreadable_documents``). Worked out once a run, and
    only when some file has errors (``Repo.unread_findings``)."""
    from okrctl.load.declared import BrokenIndex, broken_index

    found: BrokenIndex | None = repo.derived.get(_WITH_ERRORS)
    if found is None:
        found = BrokenIndex()
        if repo.unread_findings():
            unreadable, _owners = unreadable_documents(repo)
            found = broken_index(repo.docs + unreadable)
        repo.derived[_WITH_ERRORS] = found
    return found


def unreadable_documents(repo: Repo) -> tuple[list[Doc], set[str]]:
    """What the files that are not valid YAML (OKR100) declare, line by line (``scan_unreadable``),
    and the units whose objectives a file of unknown content may hold (``ANYONE`` among them when
    its path names none)."""
    out: list[Doc] = []
    owners: set[str] = set()
    # Of unknown content: a file or folder okrctl may not read (a link it does not follow is not
    # the repository's: what it points at is not asked about), a Git LFS pointer in a checkout made
    # without git-lfs, a binary file (UTF-32 without a byte-order mark, say).
    unknown_content = {
        f.path
        for f in repo.file_findings
        if f.code == "OKR100"
        and (
            (f.message.startswith("cannot read") and f.about != LINK_ABOUT)
            or f.message in (lfs.IN_CHECKOUT, BINARY_FILE)
        )
    }
    for path in sorted({f.path for f in repo.file_findings if f.code == "OKR100"}):
        if path not in unknown_content:
            raw = read_source(repo, path)
            if raw is not None:
                out.extend(scan_unreadable(path, raw))
            continue
        # What it holds is unknown, so only what its path names is taken as unsettled, never the
        # whole repository (a real mistake elsewhere is still reported). For each unit the path
        # names, an objective of that owner whose cycle is unknown (its check-ins are not "outside
        # every cycle") and a check-in of it (it is not "never checked in"); a folder that names no
        # unit (``checkins/``) may hold anyone's check-ins.
        stems = [part.removesuffix(".yaml").removesuffix(".yml") for part in PurePosixPath(path).parts]
        named = [stem for stem in stems if stem in repo.units]
        found: list[dict[str, str]] = []
        if not named:
            # A path that names no unit (a strategy's file, a cycle's folder, the file of a unit
            # that is then unknown): it may declare anything. An objective, a unit and a strategy
            # of unknown ids and owner, so that what refers to them is not "unknown" (OKR104) and
            # no team's check-ins are "outside every cycle": its OKR100 is the finding.
            found += [{"kind": "Objective"}, {"kind": "Unit"}, {"kind": "Strategy"}]
            owners.add(ANYONE)
        unknown = f"(unreadable {path})"  # an id no document can have: it stands for nothing else
        found += [{"kind": "Objective", "id": unknown, "owner": owner} for owner in named]
        owners.update(named)
        folder = path.endswith("/") or path in (".", "./")
        found += [{"kind": "CheckIn", "owner": owner} for owner in named or (sorted(repo.units) if folder else [])]
        out += [Doc(path, index, 1, 1, data) for index, data in enumerate(found)]
    return out, owners


def read_source(repo: Repo, path: str) -> bytes | None:
    """The bytes of one of the repository's files as the repository holds them (None if unreadable).

    Read again while the rules run, they must be the bytes the load read (``Repo.digests``): a
    file saved meanwhile gives none, and the run is marked as one whose answer may be shown but
    never kept or memoised (``Repo.changed_meanwhile``), as for the places of findings."""
    from okrctl.load.store import digest

    wanted = repo.digests.get(path)
    contents = getattr(repo, "contents", None)
    if isinstance(contents, dict):  # a repository read from git objects holds its own bytes
        found = contents.get(path)
        if isinstance(found, bytes):
            return found
        # ... but not those of a file it borrowed from the other side of the run (the same bytes:
        # ``load.gitref.Shared``), which the lender reads, checked to be those very bytes.
        lender = getattr(repo, "lender", None)
        if lender is None or not wanted or lender.digests.get(path) != wanted:
            return None
        held = getattr(lender, "contents", None)
        raw = held.get(path) if isinstance(held, dict) else _read_file_of(lender, path)
    else:
        raw = _read_file_of(repo, path)
    # (a file over the size limit is read in part: nothing to check its bytes against)
    if raw is not None and wanted and len(raw) <= MAX_FILE_BYTES and digest(raw) != wanted:
        repo.changed_meanwhile = True
        return None
    return raw


def _read_file_of(repo: Repo, path: str) -> bytes | None:
    """A working tree file's bytes, read as the loader reads them."""
    target = repo.root / path
    try:
        if target.is_symlink():
            # Read as the loader reads it: through a link that stays inside the repository (the same
            # bytes, linked or not, declare the same); one that leaves it, or leads where the walk
            # never reads (``load.links``), is never read.
            if link_problem(os.fspath(repo.root), path):
                return None
            target = Path(os.path.realpath(target))
        if not target.is_file():
            return None
        with open(target, "rb") as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
