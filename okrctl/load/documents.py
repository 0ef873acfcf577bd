"""From one file's bytes to validated documents and their per-file findings (OKR100/101/103)."""

from __future__ import annotations

import difflib
import heapq
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic

from typing_extensions import TypeVar  # a default (PEP 696); pydantic depends on it

from okrctl import lfs
from okrctl.findings import Finding
from okrctl.load.yamlparse import (
    LINE_BREAK,
    MAX_FILE_BYTES,
    ParsedDocument,
    Path_,
    YamlProblem,
    decode,
    parse_text,
    quoted_item_hint,
    quoted_text,
    resolve_plain,
    text_lines,
)
from okrctl.model.base import API_VERSION
from okrctl.model.base import written as written_value

ModelT = TypeVar("ModelT", default=Any)  # Doc(...) is a Doc[Any] until it is known to be valid


@dataclass
class Doc(Generic[ModelT]):
    """One document of one file, validated when it fits its kind.

    ``Doc[Objective]`` is a valid objective (what ``Repo.objectives`` holds), so mypy checks every
    ``doc.model.…``; a plain ``Doc`` (``Doc[Any]``) may hold no model yet (``model`` is None).
    """

    path: str
    index: int
    line: int
    column: int
    data: Any
    kind: str | None = None
    model: ModelT = None  # type: ignore[assignment]  # None until validated; kinds' indexes hold valid ones
    ignore: frozenset[str] = frozenset()  # as ``ParsedDocument.ignore``
    parsed: ParsedDocument | None = field(default=None, repr=False)

    @property
    def valid(self) -> bool:
        return self.model is not None

    def silences(self, code: str, key: str) -> bool:
        """Whether the document's comments silence ``code`` on the value of its result key ``key``:
        a comment that names the code alone silences it everywhere in the document, okrctl's
        check-in comment only on the values of the key results it names, however either writes
        the key (``card-delivery-days`` or ``first-card-moment/card-delivery-days``)."""
        short = key.rpartition("/")[2]
        return code in self.ignore or f"{code} {key}" in self.ignore or f"{code} {short}" in self.ignore


def _finding(code: str, path: str, line: int, column: int, message: str, hint: str = "", about: str = "") -> Finding:
    return Finding(code, "error", path, line, column, message, hint, about=about)


def identity(data: Any, kind: str | None = None) -> str:
    """Who a document is, from its own fields (never its position): ``kind:id``, a check-in's
    ``owner@date``, a retro's ``owner/cycle/stage``; "" when it says nothing usable."""
    if not isinstance(data, dict):
        return ""
    kind = kind or (data.get("kind") if isinstance(data.get("kind"), str) else "") or ""

    def text(name: str) -> str:
        value = data.get(name)
        return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""

    if kind == "CheckIn":
        return f"CheckIn:{text('owner')}@{text('date')}"
    if kind == "Retro":
        return f"Retro:{text('owner')}/{text('cycle')}/{text('stage')}"
    if kind == "Config":
        return "Config"
    return f"{kind}:{text('id')}"


def item_name(item: Any) -> str | None:
    """What names a list item whatever its place: its ``id``; an alignment's ``to``; a dependency's
    ``unit``, the key result it is ``for`` and what it ``need``s (two needs of one team for one key
    result are two dependencies); a text item (a supported id, a member) itself; an item with no id
    yet (a key result whose ``id`` is missing) its ``title``; a dated entry (``rescoped``) its
    ``date``, as written."""
    if isinstance(item, str):
        return item
    if not isinstance(item, dict):
        return None
    for key in ("id", "to"):
        if isinstance(item.get(key), str):
            return str(item[key])
    unit = item.get("unit")
    if isinstance(unit, str):
        needed_for, need = item.get("for"), item.get("need")
        name = f"{unit} for {needed_for}" if isinstance(needed_for, str) else unit
        return f"{name}: {' '.join(need.split())}" if isinstance(need, str) and need.strip() else name
    title = item.get("title")
    if isinstance(title, str) and title.strip():
        return "title: " + " ".join(title.split())
    day = item.get("date")
    if isinstance(day, (str, date)) and str(day).strip():
        return f"date: {str(day).strip()}"
    return None


def key_path(data: Any, loc: Path_) -> str:
    """``loc`` as text, list items named by what names them (``key_results[activation]``,
    ``aligns[strategy-2026/simplify-onboarding]``, ``item_name``), so that inserting an item before
    another keeps what a finding is about. Items that share a name are told apart by the order of
    their findings (``with_fingerprints``)."""
    out = ""
    node = data
    for part in loc:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            name = item_name(item)
            out += f"[{name}]" if name is not None else f"[{part}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


def anchor(doc: Doc, loc: Path_) -> str:
    """What a finding at ``loc`` of ``doc`` is about (see ``Finding.about``)."""
    data = doc.data
    if data is None and doc.parsed is not None:
        data = doc.parsed.data  # a loaded check-in keeps no raw values: the file read again has them
    return identity(data, doc.kind) + "|" + key_path(data, loc)


def read_problem(rel: str, problem: YamlProblem) -> Finding:
    hint = problem.hint or "fix the file so it is valid UTF-8 YAML"
    return _finding("OKR100", rel, problem.line, problem.column, problem.message, hint)


# A line git writes where a merge, rebase, cherry-pick or stash could not join two versions:
# ``<<<<<<< HEAD`` before ours, ``>>>>>>> branch`` after theirs (seven signs at the start of the
# line, then a space or the end of the line). No okrctl document has such a line.
_CONFLICT_MARKER = re.compile(r"^(?:<{7}|>{7})(?:[ \t]|\r?$)", re.MULTILINE)
CONFLICT_HINT = (
    "resolve the merge conflict: keep the lines you want between <<<<<<<, ======= and >>>>>>>, "
    "delete the three marker lines, then 'git add' the file"
)


LFS_HINT = f"fetch it with 'git lfs pull'; {lfs.FIX}"


def parse_bytes(rel: str, raw: bytes, *, want_positions: bool = True) -> list[ParsedDocument]:
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(f"file is over the {MAX_FILE_BYTES} byte limit ({MAX_FILE_BYTES // 1024} KiB)")
    if lfs.pointer(raw):
        # A checkout made without git-lfs: said as what it is, not as a document that is no mapping.
        raise YamlProblem(lfs.IN_CHECKOUT, 1, 1, LFS_HINT)
    text = decode(raw)
    marker = _CONFLICT_MARKER.search(text)
    if marker is not None:
        # Said as what it is, at the marker, not as the YAML error it causes a line or two later.
        line = len(LINE_BREAK.findall(text, 0, marker.start())) + 1
        raise YamlProblem(f"unresolved merge conflict marker '{marker.group()[:7]}'", line, 1, CONFLICT_HINT)
    try:
        return parse_text(text, want_positions=want_positions)
    except YamlProblem as problem:
        problem.line, problem.column = _on_a_line(text, problem.line, problem.column)
        raise


def _on_a_line(text: str, line: int, column: int) -> tuple[int, int]:
    """A place on a line the file has: the parser reports a problem found at the end of the input
    (an unclosed ``{``) on the line after the last, which no editor can go to. Such a place
    becomes the end of the last line (its length + 1); any other place is kept."""
    lines = text_lines(text) or [""]
    if line <= len(lines):
        return line, column
    return len(lines), len(lines[-1]) + 1


def mapping_fields(kind: str | None, data: Any, where: Path_) -> list[str]:
    """The keys the mapping at ``where`` of a document of ``kind`` takes, as a file writes them
    (``apiVersion``, ``for``): the document's own fields at the top, a key result's fields of its
    type in ``key_results[0]``, a config section's in ``checkin``. Only these are worth a "did you
    mean": a field of another kind or another mapping is another unknown field once written.
    Empty when the place is not a mapping okrctl knows."""
    from okrctl.model import KIND_MODELS

    model = KIND_MODELS.get(kind) if isinstance(kind, str) else None
    if model is None:
        return []
    shapes = _alternatives(model, data)
    node = data
    for part in where:
        node = value_at(node, (part,))
        shapes = [inner for outer in shapes for at in _inside(outer, part) for inner in _alternatives(at, node)]
    names: list[str] = []
    for found in shapes:
        for name, info in getattr(found, "model_fields", {}).items():
            key = info.alias or name
            if key not in names:
                names.append(key)
    return names


def _alternatives(annotation: Any, value: Any) -> list[Any]:
    """The types ``annotation`` may be for ``value``: itself, its metadata (``Annotated``) set
    aside, each member of a union, and of a tagged union (the key results) only the member the
    value's tag picks, so that a milestone is not offered a metric's fields."""
    import types
    import typing

    from pydantic import Discriminator, Tag

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        picker = next((m for m in metadata if isinstance(m, Discriminator)), None)
        members = _alternatives(inner, value)
        if picker is None:
            return members
        how = picker.discriminator
        tag = how(value) if callable(how) else (value.get(how) if isinstance(value, dict) else None)
        tagged = [
            member
            for member in typing.get_args(inner)
            if any(isinstance(m, Tag) and m.tag == tag for m in typing.get_args(member)[1:])
        ]
        return [found for member in tagged for found in _alternatives(member, value)] or members
    if origin is typing.Union or origin is types.UnionType:
        return [found for member in typing.get_args(annotation) for found in _alternatives(member, value)]
    return [annotation]


def _inside(annotation: Any, part: Any) -> list[Any]:
    """The types of what ``part`` names inside a value of type ``annotation``: a model's field
    (by the key the file writes), a list's or tuple's item, a mapping's value."""
    import typing

    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.annotation for name, info in annotation.model_fields.items() if (info.alias or name) == part]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (list, set, frozenset, tuple) and isinstance(part, int):
        return [arg for arg in args if arg is not Ellipsis]
    if origin is dict and len(args) == 2:
        return [args[1]]
    return []


def did_you_mean(word: str, candidates: Sequence[str] | set[str] | Candidates) -> str:
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match is not None else ""


def closest(word: str, candidates: Sequence[str] | set[str] | Candidates) -> str | None:
    """The candidate ``word`` is most likely a slip for, if any is close enough."""
    index = candidates if isinstance(candidates, Candidates) else Candidates(candidates)
    return _closest(word, index, None, math.inf)[0]


class Candidates:
    """The ids a slip may mean, each once and in their order, kept for ``closest`` by length (two
    strings of lengths far apart cannot be alike) and by spelling without case."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.ids = list(dict.fromkeys(ids))
        self.by_length: dict[int, list[str]] = {}
        self.folded: dict[str, list[str]] = {}
        for name in self.ids:
            self.by_length.setdefault(len(name), []).append(name)
            self.folded.setdefault(name.casefold(), []).append(name)


# What comparing a slip with candidates costs, in characters read: difflib's bound of how alike two
# strings can be from their letters alone (``quick_ratio``) reads the candidate once, the full
# comparison (``ratio``) about four times each character of the two.
_FULL_COMPARISON = 4


def _closest(
    word: str, candidates: Candidates, allowed: Callable[[str], bool] | None, limit: float
) -> tuple[str | None, int, bool]:
    """``closest`` among the ``allowed`` candidates, what it cost, and whether it was done within
    ``limit`` (else no candidate is given)."""
    # Ids are lower-case slugs: `CARDS`, `SETUP-TICKETS` (a spreadsheet's column in capitals) are
    # the plainest slip of all, though difflib, which tells case apart, finds them nothing alike.
    same = [name for name in candidates.folded.get(word.casefold(), ()) if allowed is None or allowed(name)]
    if same:
        return same[0], 0, True
    match, cost, done = _close_match(word, candidates, allowed, limit)
    if match is None and done and word != word.lower():
        match, more, done = _close_match(word.lower(), candidates, allowed, limit - cost)
        cost += more
    return match, cost, done


def _close_match(
    word: str, candidates: Candidates, allowed: Callable[[str], bool] | None, limit: float, cutoff: float = 0.6
) -> tuple[str | None, int, bool]:
    """``difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)`` (among the ``allowed``
    ones), its cost and whether it was found within ``limit``.

    difflib compares ``word`` with every candidate, up to a microsecond for each character of the
    two: 0.3 s for one slip against the 16,000 alignment targets of 1,000 teams. Its answer is the
    candidate of the highest ratio (the greater string of equal ones), and each ratio has two cheap
    upper bounds, from the lengths alone (``real_quick_ratio``) and from the letters
    (``quick_ratio``): the candidates are visited by decreasing bound, and once no bound left can
    beat the best ratio found, the rest are never compared. The same answer, from a few dozen full
    comparisons instead of every one."""
    if len(candidates.by_length) > limit:
        return None, len(candidates.by_length), False  # a budget spent: not one bound more
    matcher = difflib.SequenceMatcher()
    matcher.set_seq2(word)  # as difflib does: the ratio of a pair depends on which string is which
    lengths: list[tuple[float, int]] = []  # (bound from the lengths, length), greatest bound first
    for length, group in candidates.by_length.items():
        matcher.set_seq1(group[0])
        bound = matcher.real_quick_ratio()
        if bound >= cutoff:
            lengths.append((bound, length))
    lengths.sort(reverse=True)
    cost = len(candidates.by_length)
    best: tuple[float, str] | None = None  # (ratio, candidate): the greater wins, as in difflib
    bounded: list[tuple[float, str]] = []  # heap of (-quick_ratio, candidate)
    next_length = 0
    while next_length < len(lengths) or bounded:
        if cost > limit:
            return None, cost, False
        if next_length < len(lengths) and (not bounded or lengths[next_length][0] >= -bounded[0][0]):
            bound, length = lengths[next_length]
            next_length += 1
            if best is not None and bound < best[0]:
                break  # every bound left is lower still
            for name in candidates.by_length[length]:
                if best is not None and (bound, name) <= best:
                    continue
                matcher.set_seq1(name)
                quick = matcher.quick_ratio()
                cost += length
                if quick >= cutoff and (best is None or (quick, name) > best):
                    heapq.heappush(bounded, (-quick, name))
            continue
        negative, name = heapq.heappop(bounded)
        if best is not None and (-negative, name) <= best:
            if -negative < best[0]:
                break
            continue  # it could at most tie, and loses the tie
        if allowed is not None and not allowed(name):
            continue
        matcher.set_seq1(name)
        ratio = matcher.ratio()
        cost += _FULL_COMPARISON * (len(word) + len(name))
        if ratio >= cutoff and (best is None or (ratio, name) > best):
            best = (ratio, name)
    if cost > limit:
        return None, cost, False
    return (best[1] if best is not None else None), cost, True


# A misspelt key or reference is compared in full with few of the ids it may mean (``_close_match``),
# but slips alike against ids alike still cost each other: a thousand `kr-0nnnn-alpah` against a
# thousand `kr-0nnnn-alpha` bound each of them from its letters. The rules of one family read this
# many characters at most: about two seconds. At 1,000 teams a misspelt alignment to the objective
# above reads about 2,000, one to another team's key result up to 200,000.
SUGGESTION_CHARACTERS = 10_000_000

# A file's own findings (``validate``: an unknown field, a kind, a key result's type) are worked out
# from the file alone, once per content, in any process (``load.entry``): their "did you mean"s read
# this many characters at most per file, about 40 ms, which a few hundred slips never reach (an
# unknown field costs some 70 to 300 against the dozen keys its mapping takes). A file written to
# have tens of thousands then costs about what reading it costs, in every command.
FILE_SUGGESTION_CHARACTERS = 200_000


@dataclass
class Suggestions:
    """The "did you mean"s of a rule family over the ids the repository declares (``Repo.suggestions``,
    ``for_family`` for each family: ``rules._check``). They share ``SUGGESTION_CHARACTERS``, charged
    with what each comparison reads: once it is spent, a slip gets none, as one close to no id,
    and the run goes on at the cost of its size.

    What a slip is closest to is worked out once a run (a renamed objective leaves dozens of
    alignments with the same slip) and kept with what it cost: each family is charged that cost
    the first time it asks, so what it finds never depends on the families before it.

    A file's own findings have theirs too, with a budget of the file (``for_file``)."""

    left: int = SUGGESTION_CHARACTERS
    # Shared by the families of a run: (slip, candidates) -> (the closest, its cost); the candidates.
    found: dict[tuple[str, Candidates], tuple[str | None, int]] = field(default_factory=dict)
    indexes: dict[tuple[str, ...], Candidates] = field(default_factory=dict)
    # What this family has been charged for already.
    paid: set[tuple[str, Candidates]] = field(default_factory=set)

    def for_family(self) -> Suggestions:
        """Suggestions with a budget of their own and what the run has found so far."""
        return Suggestions(found=self.found, indexes=self.indexes)

    @classmethod
    def for_file(cls) -> Suggestions:
        """The "did you mean"s of one file's own findings, shared by its documents
        (``FILE_SUGGESTION_CHARACTERS``)."""
        return cls(left=FILE_SUGGESTION_CHARACTERS)

    @property
    def spent(self) -> bool:
        return self.left <= 0

    def closest(
        self,
        word: str,
        candidates: Sequence[str] | set[str] | Candidates,
        allowed: Callable[[str], bool] | None = None,
    ) -> str | None:
        """``closest`` (among the ``allowed`` candidates), while the family has characters left to read."""
        if isinstance(candidates, Candidates):
            index = candidates
        else:
            ids = tuple(candidates)
            known_index = self.indexes.get(ids)
            index = known_index if known_index is not None else self.indexes.setdefault(ids, Candidates(ids))
        key = (word, index)
        known = self.found.get(key)
        if key in self.paid:
            if known is None:
                return None  # it ran past the budget before
        elif known is not None:
            self.paid.add(key)
            afforded = known[1] <= self.left  # else worked out here it would have run past the budget
            self.left -= known[1]
            if not afforded:
                return None
        else:
            match, cost, done = _closest(word, index, None, self.left)
            self.paid.add(key)
            self.left -= cost
            if not done:
                return None
            self.found[key] = known = (match, cost)
        match = known[0]
        if match is None or allowed is None or allowed(match):
            return match
        # The closest of all is one this slip may not mean: the closest of the others, if affordable.
        match, cost, done = _closest(word, index, allowed, self.left)
        self.left -= cost
        return match if done else None

    def did_you_mean(self, word: str, candidates: Sequence[str] | set[str] | Candidates) -> str:
        match = self.closest(word, candidates)
        return f"did you mean '{match}'?" if match is not None else ""


def locate(
    parsed: ParsedDocument | None, loc: Path_, *, key: bool = False, fallback: tuple[int, int] = (1, 1)
) -> tuple[int, int]:
    """Line and column of the deepest part of ``loc`` that exists in the document."""
    if parsed is None:
        return fallback
    found: Path_ = ()
    for part in loc:
        candidate = found + (part,)
        if candidate in parsed.positions:
            found = candidate
    if key and found and found == tuple(loc) and found in parsed.key_positions:
        return parsed.key_positions[found]
    return parsed.positions.get(found, (parsed.line, parsed.column))


# What pydantic adds to a location for the alternatives of a union (the constrained float of a
# retro score, the ``{score, reason}`` mapping beside it), never a key of a document.
_TYPE_SEGMENTS = {
    "bool",
    "float",
    "int",
    "str",
    "none",
    "dict",
    "list",
    "ResultEntry",
    "ReadingEntry",
    "Score",
    "constrained-float",
    "constrained-int",
    "constrained-str",
    "[key]",  # a mapping's key, not its value
}


KR_TYPES = ("metric", "maintain", "milestone")

# pydantic's names of the schemas a union tries (``function-after[check(), Objective]``,
# ``list[str]``): the user's own key may hold brackets too (``note[1]``), and is kept.
_UNION_TAG = re.compile(
    r"(function-(after|before|wrap|plain)|tagged-union|union|list|dict|set|frozenset|tuple|literal|nullable"
    r"|json-or-python|lax-or-strict|chain|definition-ref|default|is-instance|custom-error|constrained-[a-z]+)\[.*\]\Z",
    re.DOTALL,
)


def clean_loc(loc: Path_) -> Path_:
    """Drop what pydantic adds to a location for unions, so it names YAML keys only."""
    out: list[Any] = []
    for i, part in enumerate(loc):
        if isinstance(part, str):
            after_kr = i >= 2 and loc[i - 2] == "key_results" and isinstance(loc[i - 1], int)
            if after_kr and part in ("metric", "maintain", "milestone"):
                continue
            if part in _TYPE_SEGMENTS or _UNION_TAG.match(part):
                continue
        out.append(part)
    return tuple(out)


def _data_keys(data: Any, loc: Path_) -> Path_:
    """``loc`` with each key as the document holds it: pydantic writes a key YAML read as a float
    or null as text (``'1000.0'``, ``'None'``), and a whole number past 64 bits too, which names no
    key of the data."""
    out: list[Any] = []
    here = data
    for part in loc:
        if isinstance(here, dict) and isinstance(part, str) and part not in here:
            part = next((k for k in here if not isinstance(k, str) and str(k) == part), part)
        out.append(part)
        here = (
            here.get(part)
            if isinstance(here, dict)
            else (here[part] if isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here) else None)
        )
    return tuple(out)


def error_loc(error: Mapping[str, Any]) -> Path_:
    """The YAML keys a pydantic error is about (``clean_loc``). The key an unknown field error
    names is the user's own, kept whatever it looks like (``list[1]: x`` is a key, not a schema)."""
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "extra_forbidden" and loc:
        return clean_loc(loc[:-1]) + loc[-1:]
    return clean_loc(loc)


def loc_text(loc: Path_, parsed: ParsedDocument | None = None) -> str:
    """``loc`` as a message names it: ``key_results[0].target``; with ``parsed``, a mapping key that
    YAML read as other than text as the file writes it (``results.0012``, not ``results[12]``)."""
    text = ""
    for end, part in enumerate(loc, start=1):
        source = spelled(parsed, loc[:end], key=True)
        if source is not None:
            part = source
        elif isinstance(part, int):
            text += f"[{part}]"
            continue
        text += f".{key_text(part)}" if text else key_text(part)
    return text


KEY_SHOWN = 80  # a key is quoted in a message up to this many characters


def key_text(key: object) -> str:
    """A key from the file as a message quotes it: on one line (control and bidi characters as
    escapes) and at most KEY_SHOWN characters, so one finding stays one line whatever the key holds."""
    from okrctl.safetext import shown_value

    text = shown_value(key)
    return text if len(text) <= KEY_SHOWN else text[: KEY_SHOWN - 1] + "…"


def spelled(parsed: ParsedDocument | None, loc: Path_, *, key: bool = False) -> str | None:
    """How the file writes the plain scalar at ``loc`` (the key that ends ``loc``, with ``key``)
    when YAML read it as other than text: ``0000``, ``2026.0``, ``0x1F``, ``TRUE``, escaped and
    shortened as a message quotes text. None for text (it is shown as it is), for a value that is
    not a plain scalar, and for a document read without its marks."""
    if parsed is None:
        return None
    source = (parsed.key_spellings if key else parsed.spellings).get(tuple(loc))
    if source is None:
        return None
    from okrctl.model.base import SHOWN
    from okrctl.safetext import shown_path

    text = shown_path(source)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _kr_fields() -> dict[str, set[str]]:
    from okrctl.model.objective import MaintainKR, MetricKR, MilestoneKR

    return {
        "metric": set(MetricKR.model_fields),
        "maintain": set(MaintainKR.model_fields),
        "milestone": set(MilestoneKR.model_fields),
    }


def _field_of_another_type(data: Any, loc: Path_) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for a key result field that belongs to another type of key
    result (a milestone's ``target``, a maintain's ``baseline``); None for any other unknown field."""
    if len(loc) != 3 or loc[0] != "key_results" or not isinstance(loc[1], int) or not isinstance(loc[2], str):
        return None
    try:
        kr = data["key_results"][loc[1]]
    except (KeyError, IndexError, TypeError):
        return None
    kr_type = kr.get("type", "metric") if isinstance(kr, dict) else None
    fields = _kr_fields()
    if kr_type not in fields:
        return None
    name = loc[2]
    others = [other for other, names in fields.items() if other != kr_type and name in names]
    if not others:
        return None
    article = "an" if kr_type[0] in "aeiou" else "a"
    switch = " or ".join(f"a {other} with 'type: {other}'" for other in others)
    return (
        f"{article} {kr_type} key result has no {name}",
        f"remove it, or make the key result {switch}",
    )


def _text_cut_at_a_comma(parsed: ParsedDocument | None, data: Any, loc: Path_) -> str | None:
    """How to fix an unknown field that is the rest of a text a comma cut inside { }: in
    ``{title: Deliver on time, every time}`` the comma ends the title and ``every time`` is a key
    with no value. None for any other unknown field."""
    mapping = value_at(data, loc[:-1])
    if parsed is None or not loc or not isinstance(mapping, dict) or mapping.get(loc[-1], _MISSING) is not None:
        return None
    line = parsed.key_positions.get(tuple(loc), (0, 0))[0]
    keys = list(mapping)
    at = keys.index(loc[-1])
    start, end = at, at + 1

    def cut_off(key: Any) -> bool:  # a key with no value on the same line: a piece of the text
        place = parsed.key_positions.get((*loc[:-1], key), (0, 0))[0]
        return isinstance(key, str) and mapping[key] is None and place == line

    while start > 0 and cut_off(keys[start - 1]):
        start -= 1
    while end < len(keys) and cut_off(keys[end]):
        end += 1
    if start == 0 or not all(isinstance(key, str) for key in keys[start:end]):
        return None
    field_name, text = keys[start - 1], mapping[keys[start - 1]]
    if not isinstance(text, str) or parsed.positions.get((*loc[:-1], field_name), (0, 0))[0] != line:
        return None
    whole = ", ".join([text, *keys[start:end]])
    return f"put the text in quotes: {key_text(field_name)}: {quoted_text(whole)} (inside {{ }}, a comma ends a value)"


def _text_cut_at_a_colon(parsed: ParsedDocument | None, item: Any, loc: Path_) -> str | None:
    """How to fix an item of a list of texts that the colon and space in it made a mapping of one
    pair: ``- Vendor update: KYC slow`` reads as {Vendor update: KYC slow}. None for any other value,
    and for a mapping written over lines, which is no slip of one text."""
    if parsed is None or not loc or not isinstance(loc[-1], int) or not isinstance(item, dict) or len(item) != 1:
        return None
    ((key, value),) = item.items()
    place = (*loc, key)
    if not isinstance(key, str) or value is None or isinstance(value, (dict, list)):
        return None
    line = parsed.key_positions.get(place, (0, 0))[0]
    if not line or parsed.positions.get(place, (0, 0))[0] != line:
        return None
    text = value if isinstance(value, str) else parsed.spellings.get(place)
    if text is None:
        return None
    return quoted_item_hint(f"{key}: {text}", flow=loc[:-1] in parsed.flow_lists)


_MISSING = object()


def value_at(data: Any, loc: Path_) -> Any:
    """The value the document holds at ``loc`` (a cleaned location), or ``_MISSING``."""
    node = data
    for part in loc:
        found = isinstance(node, dict) and part in node
        found = found or (isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node))
        if not found:
            return _MISSING
        node = node[part]
    return node


def _as_written(data: Any, errors: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The errors of the alternative the user wrote. A field that takes a number or a mapping
    (``confidence``, a check-in result) fails both ways when the mapping is wrong; the mapping
    written means the number alternative's complaint about it is noise: one mistake, one finding."""
    locs = [error_loc(error) for error in errors]
    kept = []
    for error, loc in zip(errors, locs, strict=True):
        written = value_at(data, loc)
        if isinstance(written, (dict, list)) and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in locs
        ):
            continue
        kept.append(error)
    return kept


_NUMBER_ERRORS = {"float_type", "float_parsing", "int_type", "int_parsing"}
_BOUND_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}
_PERCENT = re.compile(r"^\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*%\s*$")
_THOUSANDS = re.compile(r"^\s*[-+]?\d{1,3}(?:[,_ '\u00a0\u202f]\d{3})+(?:\.\d+)?\s*$")
_DECIMAL_COMMA = re.compile(r"^\s*[-+]?\d+,\d+\s*$")
_FRACTION = re.compile(r"^\s*([-+]?\d+(?:\.\d+)?)\s*/\s*\d+(?:\.\d+)?\s*$")


def _number_hint(text: str, loc: Path_) -> str:
    """How to write ``text`` (found where a number belongs) as a number YAML reads as one."""
    score = loc[:1] == ("scores",)
    if match := _PERCENT.match(text):
        if score:
            return f"write the score as a share of 1: {float(match.group(1)) / 100:g}"
        return f"write the number alone ({match.group(1)}) and put '%' in the key result's 'unit'"
    if _THOUSANDS.match(text):
        return "write it without separators: " + re.sub(r"[,_ '\u00a0\u202f]", "", text.strip())
    if _DECIMAL_COMMA.match(text):
        return "write the decimals after a point: " + text.strip().replace(",", ".")
    if (match := _FRACTION.match(text)) and loc[:1] == ("confidence",):
        return f"write the confidence alone ({match.group(1)}): the scale is set in okrctl.yaml (checkin.confidence)"
    try:
        plain = resolve_plain(text.strip())
    except ValueError:  # more digits than a number okrctl reads
        plain = None
    if isinstance(plain, (int, float)) and not isinstance(plain, bool) and math.isfinite(plain):
        return f"remove the quotes: {text.strip()} unquoted is a number"
    if loc[:1] in (("results",), ("values",)) and text.strip().lower().strip("\"'") in _YES_NO:
        return "a milestone is done or not: write true or false (unquoted); any other key result takes a number"
    if score:
        return "write a score from 0 to 1, such as 0.7: no unit, no quotes"
    return "write a number, such as 42 or 7.5: no unit, no quotes"


# Words YAML 1.1 (and people) read as yes or no, which YAML 1.2 reads as text.
_YES_NO = frozenset({"yes", "no", "y", "n", "on", "off", "true", "false", "done", "1", "0"})


_SLUG_HINT = "ids are lowercase slugs: letters, digits and '-', starting with a letter or digit, at most 63 characters"
_CALENDAR = re.compile(r"^\s*(?:(\d{4})[\s_/.-]*([QqHh])([1-4])|([QqHh])([1-4])[\s_/.-]*(\d{4}))\s*$")


def calendar_guess(written: str) -> str | None:
    """The calendar cycle id that ``written`` spells another way (``Q4-2026``, ``2026 q4``,
    ``2026Q4`` are ``2026-Q4``), or None."""
    match = _CALENDAR.match(written)
    if match is None:
        return None
    year = match.group(1) or match.group(6)
    letter = (match.group(2) or match.group(4)).upper()
    number = match.group(3) or match.group(5)
    if letter == "H" and number not in ("1", "2"):
        return None
    return f"{year}-{letter}{number}"


def _not_matching(label: str, written: Any, pattern: str) -> tuple[str, str]:
    """(message, hint) for text that does not match the pattern of its field, in the field's terms."""
    from okrctl.model.base import CYCLE_PATTERN, SLUG_PATTERN, TEXT_PATTERN

    shown = f"'{key_text(written)}'" if isinstance(written, str) else "the value"
    if pattern == CYCLE_PATTERN:
        guess = calendar_guess(written) if isinstance(written, str) else None
        if guess:
            return f"{label}: {shown} is not a cycle id", f"did you mean '{guess}'?"
        return (
            f"{label}: {shown} is not a cycle id",
            "a cycle id is letters, digits and '-' (2026, 2026-Q4, 2026-H1, or one declared under 'cycles')",
        )
    if "@" in pattern:
        return (
            f"{label}: {shown} is not an e-mail address okrctl can use",
            "write the plain address alone, e.g. ana@example.com: it goes into CODEOWNERS and mentions as written, "
            "so no name, <>, #, quote, bracket, comma, space or invisible character",
        )
    if pattern == SLUG_PATTERN:
        return f"{label}: {shown} is not an id", _SLUG_HINT
    if pattern == TEXT_PATTERN:
        # What was written shows nothing (white space or invisible characters): no use quoting it.
        return (
            f"{label} is blank: nothing visible is written",
            "write the text, or leave the field out where it is optional",
        )
    return f"{label}: {shown} is not a reference", _SLUG_HINT + "; a key result or a priority is 'parent-id/child-id'"


def _said_plainly(
    kind: str, error: Mapping[str, Any], label: str, written: Any, loc: Path_, shown: str | None = None
) -> tuple[str, str]:
    """(message, hint) of an error not handled by ``schema_findings`` itself, in okrctl's words
    (``shown``: the value as the file writes it, when YAML read it as other than text)."""
    from okrctl.load.schema_words import in_plain_words

    ctx = error.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        return _not_matching(label, written, str(ctx.get("pattern", "")))
    if kind == "value_error":
        # okrctl's own validators speak plainly already; a FieldProblem also says how to fix it.
        problem = ctx.get("error")
        msg = str(problem) if problem is not None else str(error.get("msg", "")).removeprefix("Value error, ")
        names = str(getattr(problem, "names", "") or "")
        if shown is not None and names and msg.startswith(names):
            msg = shown + msg[len(names) :]
        return f"{label}: {msg}", str(getattr(problem, "hint", "") or "")
    said = in_plain_words(kind, error, label, written, loc, missing=_MISSING, shown=shown)
    if said is not None:
        return said
    return f"{label}: {error.get('msg', 'invalid value')}", ""


def _misspelt_required(errors: Sequence[Mapping[str, Any]]) -> dict[Path_, Path_]:
    """Unknown keys that are a required field misspelt (``ownr`` where ``owner`` is missing, in the
    same mapping): the place of each unknown key -> the place of the missing field. One mistake,
    reported once, on the key as written; each key and each field paired at most once."""
    import difflib

    missing: dict[Path_, list[str]] = {}
    unknown: dict[Path_, list[Path_]] = {}
    for error in errors:
        loc = error_loc(error)
        if not loc or not isinstance(loc[-1], str):
            continue
        if error.get("type") == "missing":
            missing.setdefault(loc[:-1], []).append(loc[-1])
        elif error.get("type") == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(loc)
    pairs: dict[Path_, Path_] = {}
    for parent, fields in missing.items():
        keys = list(unknown.get(parent, ()))
        for field_name in fields:
            close = difflib.get_close_matches(field_name, [str(k[-1]) for k in keys], n=1, cutoff=0.6)
            if close:
                key = next(k for k in keys if str(k[-1]) == close[0])
                keys.remove(key)
                pairs[key] = parent + (field_name,)
    return pairs


def schema_findings(doc: Doc, errors: Sequence[Mapping[str, Any]], suggestions: Suggestions) -> list[Finding]:
    """One OKR101 finding per offending place (union alternatives collapse into one); the "did you
    mean"s in their hints while ``suggestions`` has characters left (past them, the plain hint)."""
    findings: list[Finding] = []
    seen: set[tuple[int, int]] = set()
    errors = _as_written(doc.data, errors)
    wants_number = {error_loc(e) for e in errors if e.get("type") in _NUMBER_ERRORS}
    # A number out of reach where true/false is also allowed (a result): the bound is what to say.
    out_of_reach = {error_loc(e) for e in errors if e.get("type") in _BOUND_ERRORS}
    misspelt = _misspelt_required(errors)
    taken: dict[Path_, list[str]] = {}  # the keys each mapping takes (``mapping_fields``), by its place
    # Every required field missing from one mapping, in one finding at that mapping: a place holds
    # one finding, and naming only the first would make CI a round trip per field.
    absent: dict[Path_, list[str]] = {}
    for error in errors:
        loc = error_loc(error)
        if error.get("type") == "missing" and loc and isinstance(loc[-1], str) and loc not in misspelt.values():
            names = absent.setdefault(loc[:-1], [])
            if loc[-1] not in names:
                names.append(loc[-1])
    for error in errors:
        loc = _data_keys(doc.data, error_loc(error))
        kind = error.get("type", "")
        if kind == "invalid_key":  # a top-level key YAML read as other than text (``.inf:``, ``null:``)
            error = {**error, "type": "string_type", "loc": (*tuple(error.get("loc", ())), "[key]")}
            kind = "string_type"
        if kind == "bool_type" and loc in out_of_reach:
            continue
        if kind == "missing" and loc in misspelt.values():
            continue  # the same mistake as the unknown key close to it: reported there, once
        each = getattr((error.get("ctx") or {}).get("error"), "each", ()) if kind == "value_error" else ()
        if each:
            # One check of a field that found several parts wrong: each where it is written.
            for inside, said, how in each:
                place = loc + tuple(inside)
                line, column = locate(doc.parsed, place, fallback=(doc.line, doc.column))
                if (line, column) not in seen:
                    seen.add((line, column))
                    message = f"{loc_text(place, doc.parsed)}: {said}"
                    findings.append(_finding("OKR101", doc.path, line, column, message, how, anchor(doc, place)))
            continue
        label = loc_text(loc, doc.parsed) or doc.kind or "document"
        hint = ""
        written = value_at(doc.data, loc)
        if loc in wants_number and isinstance(written, str):
            # Whichever alternative pydantic names first (a boolean, a mapping), a number was meant.
            line, column = locate(doc.parsed, loc, fallback=(doc.line, doc.column))
            message = f"{label}: '{key_text(written)}' is text, not a number"
            hint = _number_hint(written, loc)
        elif kind == "extra_forbidden":
            line, column = locate(doc.parsed, loc, key=True, fallback=(doc.line, doc.column))
            field_name = str(loc[-1]) if loc else "?"
            message = f"unknown field '{key_text(field_name)}'"
            parent = loc_text(loc[:-1], doc.parsed)
            if parent:
                message += f" in {parent}"
            elsewhere = _field_of_another_type(doc.data, loc)
            if loc in misspelt:
                meant = key_text(misspelt[loc][-1])
                message += f" (the required field '{meant}' is missing)"
                hint = f"did you mean '{meant}'?"
            elif elsewhere:
                message += f": {elsewhere[0]}"
                hint = elsewhere[1]
            else:
                # Only the keys this mapping takes: a Unit's 'titel' is no slip for an objective's
                # title, which a Unit would refuse in turn.
                known = taken.get(loc[:-1])
                if known is None:
                    known = taken[loc[:-1]] = mapping_fields(doc.kind, doc.data, loc[:-1])
                hint = (
                    suggestions.did_you_mean(field_name, [name for name in known if name != field_name])
                    or _text_cut_at_a_comma(doc.parsed, doc.data, loc)
                    or "remove it: unknown fields are errors so that typos never pass"
                )
        elif kind == "missing" and loc and isinstance(loc[-1], int):
            # A pair written with one number (``krs_per_objective: [2]``): its second item is missing.
            line, column = locate(doc.parsed, loc[:-1], fallback=(doc.line, doc.column))
            message = f"{loc_text(loc[:-1], doc.parsed)}: {loc[-1]} number{'s' if loc[-1] != 1 else ''}, not a pair"
            hint = "write [min, max], e.g. [2, 5]"
        elif kind == "missing":
            line, column = locate(doc.parsed, loc[:-1], fallback=(doc.line, doc.column))
            names = absent.get(loc[:-1], []) if loc else []
            if len(names) > 1:
                quoted = [f"'{key_text(name)}'" for name in names]
                message = f"missing required fields {', '.join(quoted[:-1])} and {quoted[-1]}"
            else:
                message = f"missing required field '{key_text(loc[-1])}'" if loc else "missing required field"
            parent = loc_text(loc[:-1], doc.parsed)
            if parent:
                message += f" in {parent}"
            hint = "add the fields" if len(names) > 1 else "add the field"
        elif kind in ("union_tag_invalid", "union_tag_not_found"):
            line, column = locate(doc.parsed, loc + ("type",), fallback=(doc.line, doc.column))
            given = value_at(doc.data, loc + ("type",))
            if given is None:
                message = f"{label}.type: empty"
            else:
                shown = spelled(doc.parsed, loc + ("type",))
                what = shown if shown is not None else written_value(given)
                message = f"{label}.type: {what} is not one of metric, maintain, milestone"
            hint = (suggestions.did_you_mean(given, KR_TYPES) if isinstance(given, str) else "") or (
                "a key result's type is metric (default), maintain or milestone"
            )
        else:
            line, column = locate(doc.parsed, loc, fallback=(doc.line, doc.column))
            shown = spelled(doc.parsed, loc)
            keyed = tuple(error.get("loc", ()))[-1:] == ("[key]",) and bool(loc)
            if keyed:
                # A mapping key (a result's KR id, a pace date): the key is the mistake, not its value.
                written = loc[-1]
                shown = spelled(doc.parsed, loc, key=True)
                line, column = locate(doc.parsed, loc, key=True, fallback=(line, column))
            if keyed and kind == "string_type" and shown is not None:
                # A key YAML read as a number or true/false (``0012:``): the key is not text.
                message = f"{label}: the key {shown} is not text"
                hint = f"write the key as text; to keep {shown} as it is, quote it: '{shown}'"
            else:
                message, hint = _said_plainly(kind, error, label, written, loc, shown)
                if kind == "string_type":
                    hint = _text_cut_at_a_colon(doc.parsed, written, loc) or hint
        if (line, column) in seen:
            continue
        seen.add((line, column))
        findings.append(_finding("OKR101", doc.path, line, column, message, hint, anchor(doc, loc)))
    return findings


def validate(doc: Doc, suggestions: Suggestions | None = None) -> list[Finding]:
    """Check apiVersion/kind (OKR103) and the kind's schema (OKR101); set ``doc.model``.

    ``suggestions``: the "did you mean"s of the document's file, one budget for all its documents
    (``Suggestions.for_file``); when not given, the document has a budget of its own."""
    if suggestions is None:
        suggestions = Suggestions.for_file()
    findings = _kind_findings(doc, suggestions)
    if findings:
        return findings
    errors = _schema_errors(doc)
    return schema_findings(doc, errors, suggestions) if errors else []


def fits(doc: Doc) -> bool:
    """Whether ``validate`` finds the document valid, setting ``doc.model`` as it does, without
    working out what is wrong with one that is not: for a caller that wants no more, or that works
    that out once the file is read with its marks (``load.entry``)."""
    # No "did you mean" is worked out for a finding no one reads: a budget of nothing.
    return not _kind_findings(doc, Suggestions(left=0)) and not _schema_errors(doc)


def _schema_errors(doc: Doc) -> list[Any]:
    """What pydantic finds wrong with a document of a known kind (``doc.kind``); none when it is
    valid, and ``doc.model`` is then set."""
    from pydantic import ValidationError

    from okrctl.model import KIND_MODELS

    try:
        doc.model = KIND_MODELS[str(doc.kind)].model_validate(doc.data)
    except ValidationError as exc:
        return list(exc.errors(include_url=False, include_input=False))
    return []


def _kind_findings(doc: Doc, suggestions: Suggestions) -> list[Finding]:
    """OKR103 when the document is no mapping, or its apiVersion or kind is not okrctl's; else none,
    and ``doc.kind`` is set."""
    from okrctl.model import KIND_MODELS

    data = doc.data
    if not isinstance(data, dict):
        return [
            _finding(
                "OKR103",
                doc.path,
                doc.line,
                doc.column,
                "document is not a mapping with apiVersion and kind",
                f"start the document with 'apiVersion: {API_VERSION}' and 'kind: ...'",
            )
        ]
    findings: list[Finding] = []
    api = data.get("apiVersion")
    kind = data.get("kind")
    if api is None and kind is None:
        return [
            _finding(
                "OKR103",
                doc.path,
                doc.line,
                doc.column,
                "not an okrctl document: no apiVersion and no kind",
                f"start it with 'apiVersion: {API_VERSION}' and 'kind: ...', or add the file to 'exclude' in okrctl.yaml",
            )
        ]
    if api != API_VERSION:
        line, column = locate(doc.parsed, ("apiVersion",), fallback=(doc.line, doc.column))
        what = (
            "missing apiVersion"
            if api is None
            else f"unknown apiVersion {spelled(doc.parsed, ('apiVersion',)) or repr(api)}"
        )
        findings.append(_finding("OKR103", doc.path, line, column, what, f"use 'apiVersion: {API_VERSION}'"))
    if not isinstance(kind, str) or kind not in KIND_MODELS:
        line, column = locate(doc.parsed, ("kind",), fallback=(doc.line, doc.column))
        what = "missing kind" if kind is None else f"unknown kind {spelled(doc.parsed, ('kind',)) or repr(kind)}"
        hint = suggestions.did_you_mean(str(kind), list(KIND_MODELS)) if kind is not None else ""
        findings.append(
            _finding("OKR103", doc.path, line, column, what, hint or "kind is one of " + ", ".join(KIND_MODELS))
        )
        return findings
    doc.kind = kind
    return findings
