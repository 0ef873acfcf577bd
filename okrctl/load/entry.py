"""What one file's bytes say on their own: its documents (plain values, kind, valid or not) and its
own findings (OKR100, OKR101, OKR103, and OKR104 / OKR107 on its okrctl comments).

Nothing here depends on any other file, so the answer is computed once per content digest (in a
worker process when there are many files) and kept in the store; a later run rebuilds the models of
the valid documents it needs from it, without parsing or placing findings again.

An entry is plain data (JSON in the store):
``{"docs": [[index, line, column, data, ignore, kind, valid], …],
"findings": [[code, severity, line, column, message, hint, data], …]}``
"""

from __future__ import annotations

import json
import re
from typing import Any

from okrctl.findings import Finding
from okrctl.load.comments import comment_findings
from okrctl.load.documents import Doc, Suggestions, fits, parse_bytes, read_problem, validate
from okrctl.load.yamlparse import YamlProblem
from okrctl.spelling import SpelledInt

Entry = dict[str, Any]

NO_DOCUMENT = (
    "the file holds no document (empty, or comments only)",
    "add a document with apiVersion and kind, delete the file, or add it to 'exclude' in okrctl.yaml",
)


def _finding_row(finding: Finding) -> list[Any]:
    return [
        finding.code,
        finding.severity,
        finding.line,
        finding.column,
        finding.message,
        finding.hint,
        dict(finding.data),
        finding.about,  # what its fingerprint is made of: without it, an index in the message moves it
    ]


def analyse_for_store(rel: str, raw: bytes) -> tuple[Entry, str | None, list[Any]]:
    """The entry of one file, its stored form (``to_json``), and the models of its documents (None
    where not valid)."""
    entry, models, text_keys = _analyse(rel, raw)
    return entry, to_json(entry, text_keys=text_keys), models


def _analyse(rel: str, raw: bytes) -> tuple[Entry, list[Any], bool]:
    """The entry, the models, and whether every mapping key is text (as the parser saw it)."""
    try:
        parsed = parse_bytes(rel, raw, want_positions=False)
    except YamlProblem as problem:
        return {"docs": [], "findings": [_finding_row(read_problem(rel, problem))]}, [], True
    docs: list[list[Any]] = []
    findings: list[list[Any]] = []
    models: list[Any] = []
    if not parsed:
        findings.append(_finding_row(Finding("OKR103", "error", rel, 1, 1, *NO_DOCUMENT)))
    placed: dict[int, Any] | None = None  # by document index: a file of many documents stays linear
    suggestions = Suggestions.for_file()
    for document in parsed:
        doc = Doc(rel, document.index, document.line, document.column, document.data, ignore=document.ignore)
        if not fits(doc):
            # Values were built without marks: the findings are worked out once, on this one
            # file parsed again with them.
            if placed is None:
                placed = {p.index: p for p in parse_bytes(rel, raw)}
            doc.parsed = placed.get(doc.index)
            doc.model = None
            findings.extend(_finding_row(f) for f in validate(doc, suggestions))
        if document.comments:
            findings.extend(_finding_row(f) for f in comment_findings(rel, document.comments, document))
        docs.append(
            [
                document.index,
                document.line,
                document.column,
                document.data,
                sorted(document.ignore),
                doc.kind,
                doc.model is not None,
            ]
        )
        models.append(doc.model)
    return {"docs": docs, "findings": findings}, models, all(document.text_keys for document in parsed)


def analyse_batch(batch: list[tuple[str, bytes]]) -> list[tuple[Entry, str | None]]:
    """Entries of many files with their JSON for the store (what a worker process sends back)."""
    return [(entry, payload) for entry, payload, _ in (analyse_for_store(rel, raw) for rel, raw in batch)]


def analyse_and_store(batch: list[tuple[str, bytes]], store_path: str | None) -> list[tuple[Any, str | None]]:
    """``analyse_batch``, and the entries added to the store at ``store_path`` by this process; what
    it stored comes back without its JSON (the main process then has nothing left to store), and an
    entry of one valid check-in as its ``CheckInEntry`` (smaller to send; the model is built from it
    as from a stored one)."""
    results = analyse_batch(batch)
    if store_path is None:
        return results
    from pathlib import Path

    from okrctl.load.store import add_entries, digest

    indexed = [index_rows(entry) if payload is not None else [] for entry, payload in results]
    rows = [
        (digest(raw), payload, entry_summary(entry, entry_rows))
        for (_rel, raw), (entry, payload), entry_rows in zip(batch, results, indexed, strict=True)
        if payload is not None
    ]
    if rows and add_entries(Path(store_path), rows):
        return [
            (_compact(entry, payload, entry_rows), None)
            for (entry, payload), entry_rows in zip(results, indexed, strict=True)
        ]
    return results


def _compact(entry: Entry, payload: str | None, rows: list[tuple[Any, ...]]) -> Any:
    """What a worker sends back of an entry it stored: a ``CheckInEntry`` (with its owner, date and
    result keys) for one valid check-in, else the entry. ``rows``: its ``index_rows``."""
    from okrctl.load.store import one_checkin

    found = one_checkin(payload) if payload else None
    if found is None:
        return entry
    _index, _kind, owner, _cycle, keys, day, _valid = rows[0]
    if isinstance(owner, str) and isinstance(day, str):
        return found._replace(summary=(owner, day, keys))
    return found


def _plain_keys(value: Any) -> bool:
    """JSON turns every mapping key into text: only entries whose keys already are text are stored."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_keys(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain_keys(v) for v in value)
    return True


def _holds_spelled(value: Any) -> bool:
    """Whether ``value`` holds an integer spelled other than in its digits (``SpelledInt``)."""
    if isinstance(value, SpelledInt):
        return True
    if isinstance(value, dict):
        return any(_holds_spelled(k) or _holds_spelled(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_spelled(v) for v in value)
    return False


def to_json(entry: Entry, *, text_keys: bool = False) -> str | None:
    """The stored form of an entry; None when JSON cannot hold it faithfully (it is then simply
    analysed again next time). ``text_keys``: the parser saw that every mapping key is text."""
    if not text_keys and not all(_plain_keys(d[3]) for d in entry["docs"]):
        return None
    if any(not d[6] and _holds_spelled(d[3]) for d in entry["docs"]):
        # JSON would keep 0x7EA as 2026, and a broken document is read for what it declares
        # (``declared``): a cycle written 0x7EA is no cycle, 2026 is one.
        return None
    try:
        return json.dumps(entry, separators=(",", ":"), ensure_ascii=False)
    except ValueError:  # e.g. an integer too long to print
        return None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    return text if len(text) <= 200 else None


def index_rows(entry: Entry) -> list[tuple[Any, ...]]:
    """(index, kind, owner, cycle, id, date, valid) of each document, for the store's indexes. A
    valid check-in has no id: its place holds its result keys instead (``result_keys_text``)."""
    rows = []
    for index, _line, _column, data, _ignore, kind, valid in entry["docs"]:
        fields = data if isinstance(data, dict) else {}
        ident = result_keys_text(fields) if kind == "CheckIn" and valid else _text(fields.get("id"))
        rows.append(
            (
                index,
                kind,
                _text(fields.get("owner")),
                _text(fields.get("cycle")),
                ident,
                _text(fields.get("date")),
                1 if valid else 0,
            )
        )
    return rows


KEYS_SEPARATOR = "\x1d"
_KEYS_MAX = 4000


def result_keys_text(fields: dict[str, Any]) -> str | None:
    """The result keys of a check-in's values, joined by ``KEYS_SEPARATOR``; None when they cannot be
    told that way (not text, holding a separator, too long) or when the confidence is given per
    objective (then its keys are references too). A command that leaves out check-ins it does not
    need (``align``) reads every check-in whose keys are None."""
    results = fields.get("results")
    if isinstance(fields.get("confidence"), dict) or not isinstance(results, dict):
        return None
    keys = list(results)
    if not all(type(k) is str and k for k in keys):
        return None
    text = KEYS_SEPARATOR.join(keys)
    if len(text) > _KEYS_MAX or _NOT_IN_KEYS.search(text) is not None:
        return None
    if keys and text.count(KEYS_SEPARATOR) != len(keys) - 1:
        return None  # a key holds the separator
    return text


_NOT_IN_KEYS = re.compile("[\x1c\x1e\x1f]")  # the separators of a summary (``summary_of``)


def well_formed(entry: Any) -> bool:
    """Whether a stored entry has okrctl's shape (anything else is analysed again)."""
    try:
        return (
            isinstance(entry, dict)
            and all(
                isinstance(d, list)
                and len(d) == 7
                and all(isinstance(d[i], int) for i in range(3))
                and isinstance(d[4], list)
                and (d[5] is None or isinstance(d[5], str))
                and isinstance(d[6], bool)
                for d in entry["docs"]
            )
            and all(
                isinstance(f, list) and len(f) == 8 and isinstance(f[2], int) and isinstance(f[3], int)
                for f in entry["findings"]
            )
        )
    except (KeyError, TypeError):
        return False


def documents(rel: str, entry: Entry) -> list[Doc]:
    """The documents of an entry, without models (``build_models`` adds them)."""
    return [Doc(rel, d[0], d[1], d[2], d[3], kind=d[5], ignore=frozenset(str(c) for c in d[4])) for d in entry["docs"]]


def valid_flags(entry: Entry) -> list[bool]:
    return [bool(d[6]) for d in entry["docs"]]


def findings(rel: str, entry: Entry) -> list[Finding]:
    return [
        Finding(
            str(f[0]),
            str(f[1]),
            rel,
            f[2],
            f[3],
            str(f[4]),
            str(f[5]),
            {str(k): str(v) for k, v in dict(f[6]).items()},
            about=str(f[7]),
        )
        for f in entry["findings"]
    ]


def build_model(doc: Doc) -> bool:
    """Rebuild the model of a document known to be valid; False if it is not (a stale entry)."""
    from pydantic import ValidationError

    from okrctl.model import KIND_MODELS

    model_class = KIND_MODELS.get(doc.kind or "")
    if model_class is None:
        return False
    try:
        doc.model = model_class.model_validate(doc.data)
    except ValidationError:
        return False
    return True


# What a file holds, as text (``summary_of``): the kind of the documents a summary can describe, and
# the mark of a stat row whose file a skim left unparsed: "~" and the one owner its check-ins can
# have (``pipeline.skim_mark``). No summary starts with "~".
ONLY_CHECKINS = "CheckIn"
SKIM_MARK = "~"


def entry_summary(entry: Entry, rows: list[tuple[Any, ...]] | None = None) -> str:
    """``summary_of`` the documents of an entry (``rows``: its ``index_rows``, when known). A file
    with findings of its own (a valid check-in may have some: a misspelt okrctl comment) is
    summarised as "anything else": a load that leaves out the check-ins it does not need still
    reads such a file, so that its findings are reported warm as they are cold."""
    if entry["findings"]:
        return ""
    rows = index_rows(entry) if rows is None else rows
    return summary_of([(kind, owner, day, valid, keys) for _i, kind, owner, _c, keys, day, valid in rows])


def summary_of(rows: list[tuple[Any, ...]]) -> str:
    """What a file holds, in one text (the store keeps it with each entry and in each stat row):
    "" for anything but valid check-ins only, else "owner\x1fdate\x1fkeys" per check-in, joined by
    "\x1e", its result keys (``result_keys_text``) left out with their "\x1f" when they cannot be
    told that way. ``rows`` are ``(kind, owner, date, valid, keys)``."""
    pairs = []
    for kind, owner, day, valid, keys in rows:
        if kind != ONLY_CHECKINS or not valid or not isinstance(owner, str) or not isinstance(day, str):
            return ""
        if "\x1e" in owner + day or "\x1f" in owner + day or owner.startswith(SKIM_MARK):
            return ""
        if isinstance(keys, str) and "\x1e" not in keys and "\x1f" not in keys:
            pairs.append(f"{owner}\x1f{day}\x1f{keys}")
        else:
            pairs.append(f"{owner}\x1f{day}")
    return "\x1e".join(pairs)


def rows_of(summary: str) -> list[tuple[Any, ...]]:
    """The index rows a summary stands for (one row that is no valid check-in for "")."""
    if not summary:
        return [("", None, None, 0, None)]
    if "\x1e" not in summary:  # one check-in: most files
        owner, day, *keys = summary.split("\x1f", 2)
        return [(ONLY_CHECKINS, owner, day, 1, keys[0] if keys else None)]
    rows: list[tuple[Any, ...]] = []
    for pair in summary.split("\x1e"):
        owner, day, *keys = pair.split("\x1f", 2)
        rows.append((ONLY_CHECKINS, owner, day, 1, keys[0] if keys else None))
    return rows
