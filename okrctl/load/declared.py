"""What broken documents still declare, so the rest of the repository resolves against them.

A document that fails its schema (OKR101), or whose kind is misspelt (OKR103), is left out of the
index that views and rules use. Its mistake is reported once, where it is; but a team's check-ins,
the objectives that align to it, the retro of its cycle must not each report a second finding
because it went missing. So every broken document contributes here what it *validly* declares:
each value that passes its own check (an id that is a slug, a cycle id, an ISO date, a list of
alignment targets), read leniently from the raw YAML. A key that is not a field of the kind but is
close to one (``algns`` for ``aligns``) is read as that field: its misspelling is the one finding.

The rules consult this index before saying that something does not exist or is missing
(``okrctl.rules.echo``).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePosixPath
from typing import Any

from okrctl.load.documents import Doc
from okrctl.load.yamlparse import text_lines, wide_encoding
from okrctl.model.base import CYCLE_PATTERN, REF_PATTERN, SLUG_PATTERN
from okrctl.spelling import SpelledInt

_SLUG = re.compile(SLUG_PATTERN)
_REF = re.compile(REF_PATTERN)
_CYCLE = re.compile(CYCLE_PATTERN)
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")

# The fields of each kind (YAML names), enough to guess a kind and to read a misspelt key.
FIELDS: dict[str, tuple[str, ...]] = {
    "Config": ("organization", "cycles", "checkin", "status", "limits", "rules", "exclude"),
    "Unit": ("id", "name", "type", "parent", "members"),
    "Strategy": ("id", "owner", "cycle", "vision", "priorities", "not_doing"),
    "Objective": (
        "id",
        "owner",
        "cycle",
        "title",
        "why",
        "aligns",
        "depends_on",
        "supports",
        "work",
        "rescoped",
        "key_results",
    ),
    "CheckIn": ("owner", "date", "author", "confidence", "results", "issues", "plan"),
    "Reading": ("owner", "date", "source", "author", "values"),
    "Retro": (
        "owner",
        "cycle",
        "stage",
        "date",
        "attractors",
        "detractors",
        "achieved",
        "learned",
        "surprised",
        "change",
        "scores",
    ),
}
# Keys only one kind has: they tell the kind of a document whose ``kind`` is missing or unknown.
_TELLING = {
    "key_results": "Objective",
    "aligns": "Objective",
    "priorities": "Strategy",
    "vision": "Strategy",
    "confidence": "CheckIn",
    "results": "CheckIn",
    "values": "Reading",
    "source": "Reading",
    "stage": "Retro",
    "scores": "Retro",
    "organization": "Config",
    "cycles": "Config",
    "parent": "Unit",
    "members": "Unit",
}


@dataclass
class Declared:
    """The valid parts of one broken document (None: absent or not valid)."""

    doc: Doc
    kind: str
    id: str | None = None
    owner: str | None = None
    cycle: str | None = None
    day: date | None = None
    stage: str | None = None
    parent: str | None = None
    key_results: set[str] = field(default_factory=set)
    priorities: set[str] = field(default_factory=set)
    aligns: list[str] = field(default_factory=list)
    supports: list[str] = field(default_factory=list)
    cycles: list[str] = field(default_factory=list)  # a Config's declared cycle ids


def _slug(value: Any) -> str | None:
    return value if isinstance(value, str) and _SLUG.match(value) else None


def _cycle(value: Any) -> str | None:
    if isinstance(value, SpelledInt):
        return None  # refused (0x7EA is no cycle id): the document may belong to any cycle
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and _CYCLE.match(value) else None


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _items(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if value is not None else []


def _ids(value: Any) -> set[str]:
    out = set()
    for item in _items(value):
        found = _slug(item.get("id")) if isinstance(item, dict) else None
        if found:
            out.add(found)
    return out


def guess_kind(data: dict[str, Any]) -> str | None:
    """The kind a document means: its ``kind`` (or the closest kind name), else what its keys tell."""
    written = data.get("kind")
    if isinstance(written, str):
        if written in FIELDS:
            return written
        close = difflib.get_close_matches(written, list(FIELDS), n=1, cutoff=0.6)
        if close:
            return close[0]
        lowered = {k.lower(): k for k in FIELDS}
        if written.lower() in lowered:
            return lowered[written.lower()]
    votes: dict[str, int] = defaultdict(int)
    for key in data:
        if isinstance(key, str) and key in _TELLING:
            votes[_TELLING[key]] += 1
    if votes:
        return max(sorted(votes), key=lambda k: votes[k])
    return None


def _fields(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The document's keys, a misspelt key read as the field it is closest to (when that one is absent)."""
    known = FIELDS[kind]
    out = {k: v for k, v in data.items() if k in known}
    for key, value in data.items():
        if not isinstance(key, str) or key in known or key in ("apiVersion", "kind"):
            continue
        close = difflib.get_close_matches(key, [k for k in known if k not in out], n=1, cutoff=0.6)
        if close:
            out[close[0]] = value
    return out


def writes_field(kind: str, data: Any, name: str) -> bool:
    """Whether a broken document of ``kind`` writes field ``name`` at all (a misspelt key read as
    it, as ``declared`` reads it), whatever the value: a Unit whose parent does not read is some
    unit's child, never the top unit."""
    return isinstance(data, dict) and _fields(kind, data).get(name) is not None


def declared(doc: Doc) -> Declared | None:
    """What a broken document still declares (None when it is not a mapping or its kind is unknown)."""
    data = doc.data
    if not isinstance(data, dict):
        return None
    kind = doc.kind or guess_kind(data)
    if kind is None or kind not in FIELDS:
        return None
    values = _fields(kind, data)
    out = Declared(doc, kind)
    out.id = _slug(values.get("id"))
    out.owner = _slug(values.get("owner"))
    out.cycle = _cycle(values.get("cycle"))
    out.day = _day(values.get("date"))
    stage = values.get("stage")
    out.stage = stage if stage in ("mid", "end") else None
    out.parent = _slug(values.get("parent"))
    out.key_results = _ids(values.get("key_results"))
    out.priorities = _ids(values.get("priorities"))
    for item in _items(values.get("aligns")):
        target = item.get("to") if isinstance(item, dict) else item
        if isinstance(target, str) and _REF.match(target):
            out.aligns.append(target)
    out.supports = [s for s in (_slug(v) for v in _items(values.get("supports"))) if s]
    for item in _items(values.get("cycles")):
        cycle_id = _cycle(item.get("id")) if isinstance(item, dict) else None
        if cycle_id:
            out.cycles.append(cycle_id)
    return out


@dataclass
class BrokenIndex:
    """Everything the broken documents of a repository declare, by kind."""

    documents: list[Declared] = field(default_factory=list)
    units: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)  # objectives and strategies
    objectives: list[Declared] = field(default_factory=list)
    strategies: list[Declared] = field(default_factory=list)
    checkins: list[Declared] = field(default_factory=list)
    retros: list[Declared] = field(default_factory=list)
    cycles: set[str] = field(default_factory=set)  # cycle ids of broken Config entries
    paths: set[str] = field(default_factory=set)  # files holding a broken document
    # objectives by owner, with the length of ``objectives`` it was built from
    _by_owner: tuple[int, dict[str | None, list[Declared]]] | None = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return bool(self.documents)

    def unit_without_id(self) -> bool:
        """A broken Unit whose id cannot be read: any unknown unit id may be that one."""
        return any(d.kind == "Unit" and d.id is None for d in self.documents)

    def target_without_id(self) -> bool:
        """A broken objective or strategy whose id cannot be read: any unknown target may be it."""
        return any(d.kind in ("Objective", "Strategy") and d.id is None for d in self.documents)

    def objectives_of(self, owner: str) -> list[Declared]:
        if self._by_owner is None or self._by_owner[0] != len(self.objectives):
            by_owner: dict[str | None, list[Declared]] = {}
            for d in self.objectives:
                by_owner.setdefault(d.owner, []).append(d)
            self._by_owner = (len(self.objectives), by_owner)
        return list(self._by_owner[1].get(owner, ()))

    def unknown_owner(self) -> bool:
        """Whether some broken objective's owner could not be read (it might be anyone's)."""
        return any(d.owner is None for d in self.objectives)

    def aligned_to(self, ref: str) -> bool:
        """Whether a broken objective declares an alignment to ``ref`` or to something inside it."""
        return any(t == ref or t.startswith(ref + "/") for d in self.objectives for t in d.aligns)

    def checkin_days(self, owner: str) -> list[date]:
        """The days of the broken check-ins that name ``owner``, each placed by ``placed_day``
        (those it cannot place are left out)."""
        return [day for d in self.checkins if d.owner == owner and (day := placed_day(d)) is not None]


def placed_day(found: Declared) -> date | None:
    """The day of a broken check-in: its own valid date, else the date its file is named after
    (``checkins/<team>/<date>.yaml``, as ``okrctl checkin`` names it); None when neither tells."""
    if found.day is not None:
        return found.day
    stem = PurePosixPath(found.doc.path).stem
    if _DATE.match(stem):
        try:
            return date.fromisoformat(stem)
        except ValueError:
            return None
    return None


def broken_index(
    docs: list[Doc], config_cycles: list[str] | None = None, shadowed: frozenset[int] = frozenset()
) -> BrokenIndex:
    """The index of every document that is not valid (no model) but still has a kind to go by, and
    of the valid ones left out of the repository's index (``shadowed``, by ``id()``: an objective
    whose id an earlier objective or strategy already has, OKR102)."""
    index = BrokenIndex()
    for doc in docs:
        if doc.model is not None and id(doc) not in shadowed:
            continue
        found = declared(doc)
        if found is None:
            continue
        index.documents.append(found)
        index.paths.add(doc.path)
        if found.kind == "Unit" and found.id:
            index.units.add(found.id)
        elif found.kind == "Objective":
            index.objectives.append(found)
            if found.id:
                index.ids.add(found.id)
        elif found.kind == "Strategy":
            index.strategies.append(found)
            if found.id:
                index.ids.add(found.id)
        elif found.kind == "CheckIn":
            index.checkins.append(found)
        elif found.kind == "Retro":
            index.retros.append(found)
        elif found.kind == "Config":
            index.cycles.update(found.cycles)
    index.cycles.update(config_cycles or [])
    return index


def salvage_config(doc: Doc) -> tuple[Any, list[str]]:
    """The root Config without its invalid parts, and the ids of the cycles that had to be dropped.

    A misspelt setting must not switch every other setting back to its default (the declared
    cycles, ignored rules, thresholds): each invalid value is removed and the rest validated
    again. None when nothing usable is left.
    """
    config, dropped, _removed = _salvaged(doc)
    return config, dropped


def refused_settings(docs: list[Doc]) -> list[tuple[tuple[str, ...], Any]] | None:
    """The settings of a broken okrctl.yaml that ``root_config`` leaves out (their defaults stand in
    for them), each as (its keys, its value as written): an item of a list (a cycle, an ``exclude``
    glob) is its whole list. [] when okrctl.yaml is valid or holds no Config; None when nothing of it
    could be kept (every setting is a default)."""
    doc = _broken_config(docs)
    if doc is None:
        return []
    config, _dropped, removed = _salvaged(doc)
    if config is None:
        return None
    refused: list[tuple[tuple[str, ...], Any]] = []
    for loc in removed:
        keys: list[str] = []
        value: Any = doc.data
        for part in loc:
            if not isinstance(part, str) or not isinstance(value, dict) or part not in value:
                break
            keys.append(part)
            value = value[part]
        if keys and all(keys[: len(seen)] != list(seen) for seen, _value in refused):
            refused = [(seen, was) for seen, was in refused if list(seen[: len(keys)]) != keys]
            refused.append((tuple(keys), value))
    return refused


def _salvaged(doc: Doc) -> tuple[Any, list[str], list[tuple[Any, ...]]]:
    """``salvage_config``, with where each part it removed was (``_remove``)."""
    import copy

    from pydantic import ValidationError

    from okrctl.load.documents import error_loc
    from okrctl.model import Config
    from okrctl.model.base import API_VERSION

    if not isinstance(doc.data, dict):
        return None, [], []
    data: dict[str, Any] = copy.deepcopy(doc.data)
    data["apiVersion"] = API_VERSION
    data["kind"] = "Config"
    dropped: list[str] = []
    removed: list[tuple[Any, ...]] = []
    for _ in range(200):
        try:
            return Config.model_validate(data), dropped, removed
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False)
        loc = error_loc(errors[0])
        if not loc or not _remove(data, loc, dropped, removed):
            return None, dropped, removed
    return None, dropped, removed


def _remove(data: dict[str, Any], loc: tuple[Any, ...], dropped: list[str], removed: list[tuple[Any, ...]]) -> bool:
    """Delete the deepest existing part of ``loc`` (a missing field: its parent), and add where it
    was to ``removed``. False if nothing was."""
    parents: list[Any] = [data]
    node: Any = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
        else:
            break
        parents.append(node)
    depth = len(parents) - 1
    if depth == 0:
        return False
    container, key = parents[depth - 1], loc[depth - 1]
    if loc[0] == "cycles" and depth >= 2:
        entry = data["cycles"][loc[1]]
        cycle_id = _cycle(entry.get("id")) if isinstance(entry, dict) else None
        if cycle_id:
            dropped.append(cycle_id)
        del data["cycles"][loc[1]]
        removed.append(loc[:2])
        return True
    del container[key]
    removed.append(loc[:depth])
    return True


_TOP_SCALAR = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):[ \t]*(?:'([^'\n]*)'|\"([^\"\n]*)\"|([^#\n]*?))[ \t]*(?:#.*)?$")
_ALIGN_TO = re.compile(r"\bto:[ \t]*['\"]?([a-z0-9][a-z0-9/-]*)")
# The keys that open a document: one written again where no '---' came between is the next
# document's (a forgotten '---', OKR100 duplicate key), not a second value of the same one.
_HEAD_KEY = re.compile(r"^(apiVersion|kind):")


def scan_unreadable(path: str, raw: bytes) -> list[Doc]:
    """Documents of a file that is not valid YAML (OKR100), read line by line: each top-level
    ``key: value`` line is a declaration of its own, and ``to: ref`` an alignment target. A document
    ends at a '---' line, or where an ``apiVersion`` or ``kind`` line comes again. Enough for the
    index to know whose objective it was, never used for anything else."""
    # A file saved as UTF-16 or UTF-32 (OKR100: okrctl reads UTF-8 only) still says whose it is.
    text = raw.decode(wide_encoding(raw) or "utf-8", "replace")
    chunks: list[tuple[int, list[str]]] = [(1, [])]
    heads: set[str] = set()  # the apiVersion and kind lines of the chunk so far
    for number, line in enumerate(text_lines(text), 1):
        if line.startswith("---"):
            chunks.append((number + 1, []))
            heads = set()
            continue
        head = _HEAD_KEY.match(line)
        if head and head.group(1) in heads:
            chunks.append((number, []))
            heads = set()
        if head:
            heads.add(head.group(1))
        chunks[-1][1].append(line)
    docs: list[Doc] = []
    for index, (first_line, lines) in enumerate(chunks):
        data: dict[str, Any] = {}
        for line in lines:
            match = _TOP_SCALAR.match(line)
            if match and match.group(1) not in data:
                value = next((g for g in match.group(2, 3, 4) if g is not None), "")
                if value and not value.startswith(("[", "{", "|", ">", "&", "*", "!")):
                    data[match.group(1)] = value
        targets = [m.group(1) for line in lines for m in _ALIGN_TO.finditer(line)]
        if targets:
            data["aligns"] = [{"to": t} for t in targets]
        if data:
            docs.append(Doc(path, index, first_line, 1, data))
    return docs


def root_config(docs: list[Doc]) -> tuple[Any, Doc | None, list[str]]:
    """The Config of the repository (okrctl.yaml at the root), its document, and the declared cycle
    ids lost to a broken okrctl.yaml. A broken okrctl.yaml still gives every setting it validly
    declares (``salvage_config``); without one, the defaults."""
    from okrctl.load.discover import CONFIG_NAME
    from okrctl.model import Config

    for doc in docs:
        if doc.path == CONFIG_NAME and isinstance(doc.model, Config):
            return doc.model, doc, []
    broken = _broken_config(docs)
    if broken is not None:
        config, dropped = salvage_config(broken)
        return (config or Config.default()), None, dropped
    return Config.default(), None, []


def _broken_config(docs: list[Doc]) -> Doc | None:
    """The Config document of okrctl.yaml that ``root_config`` salvages: None when one is valid, or
    when there is none."""
    from okrctl.load.discover import CONFIG_NAME
    from okrctl.model import Config

    if any(doc.path == CONFIG_NAME and isinstance(doc.model, Config) for doc in docs):
        return None
    for doc in docs:
        if doc.path == CONFIG_NAME and isinstance(doc.data, dict) and guess_kind(doc.data) == "Config":
            return doc
    return None
