"""Parse one YAML file into plain values plus the line/column of every key and value.

The C parser composes a node tree whose nodes carry marks; we build plain Python values from it
ourselves. That gives us YAML 1.2 core-schema scalars (``no`` is a string), duplicate-key detection,
and hard limits on aliases, depth and size, so a hostile file becomes a finding, never a crash.

Two shortcuts serve large repositories, each checked against the parser's reading: the C parser
builds okrctl's lean node classes (``_lean_nodes``), and a file in the plainest YAML, as okrctl
writes a check-in, is read without the parser when no positions are wanted (``_simple_document``).
"""

from __future__ import annotations

import contextlib
import itertools
import math
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from okrctl.spelling import SpelledInt

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 64
MAX_ALIASES = 100
MAX_NODES = 100_000
# Documents per file: without a bound, a megabyte of "--- {}" lines is 150,000 documents, each a
# finding (gigabytes of them across a few files).
MAX_DOCUMENTS = 10_000
# A number okrctl can use fits a float (about 309 digits); Python refuses to read integers of more
# than 4,300 digits at all, and printing one as large fails the same way.
MAX_INTEGER_DIGITS = 1000

Path_ = tuple[Any, ...]
Position = tuple[int, int]  # 1-based line, column

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"^[-+]?[0-9]+$")
_OCT = re.compile(r"^0o[0-7]+$")
_HEX = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(inf|Inf|INF)$")
_NAN = re.compile(r"^\.(nan|NaN|NAN)$")
IGNORE = re.compile(r"#\s*okrctl:\s*ignore\[([A-Za-z0-9,\s]*)\]")
# A comment meant for okrctl: "okrctl:" after the "#" and spaces, in any case and with spaces
# allowed before the colon, or "okrctl ignore[" with the colon left out. One that IGNORE does not
# read silences nothing, so it is kept for a finding (``load.comments``) instead of passed over.
MARKER = re.compile(r"(?:^|(?<=\s))#\s*okrctl(?:\s*:|\s+ignore\s*\[)", re.IGNORECASE)
MENTION = re.compile(r"okrctl\s*:|okrctl\s+ignore", re.IGNORECASE)
# The reason ``okrctl checkin`` writes after ``# okrctl: ignore[OKR509]`` when far-off values are
# kept at the prompt, after the key results it names: that comment silences OKR509 for the values
# of those key results only (``ParsedDocument.ignore``), not for a later slip of another one.
CONFIRMED_REASON = "far outside the key result's range, confirmed at the check-in."
_CONFIRMED = re.compile(r" ([^:\r\n]+): " + re.escape(CONFIRMED_REASON))

_CORE = "tag:yaml.org,2002:"
_STR = _CORE + "str"
_IMPLICIT = {None, "?", "!"}  # "?": left unresolved by okrctl's composer; "!": non-specific
_KNOWN_TAGS = {_CORE + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}


class NumberTooLarge(ValueError):
    """A plain integer with more digits than MAX_INTEGER_DIGITS (placed by the builder)."""


class YamlProblem(Exception):
    """A file that cannot be read as okrctl YAML, with the 1-based place of the problem."""

    def __init__(self, message: str, line: int = 1, column: int = 1, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.hint = hint  # how to fix it, when the problem says more than "not valid YAML"


@dataclass
class ParsedDocument:
    index: int
    line: int
    column: int
    data: Any
    positions: dict[Path_, Position] = field(default_factory=dict)
    key_positions: dict[Path_, Position] = field(default_factory=dict)
    # The source text of each plain scalar that YAML reads as other than text (a number, true or
    # false, null), for a value (``spellings``) or a mapping key (``key_spellings``, keyed like
    # ``key_positions``): a message names ``0000`` or ``2026.0`` as written, not as 0 or 2026.
    # Recorded with the positions.
    spellings: dict[Path_, str] = field(default_factory=dict)
    key_spellings: dict[Path_, str] = field(default_factory=dict)
    # The codes the document's ignore comments silence; ``CODE KEY`` (a space between them) where
    # okrctl's check-in comment names key results: the code is silenced on their values alone.
    ignore: frozenset[str] = frozenset()
    # Every okrctl comment of the document, well-formed or not: (line, column of its "#", its text
    # from the "#" to the end of the line). ``load.comments`` reports those okrctl cannot follow.
    comments: tuple[tuple[int, int, str], ...] = ()
    text_keys: bool = True  # every mapping key is text (JSON keeps the data as it is)
    # The first line of the lines the document owns: its comments there, and the findings placed
    # there, are its own (the "---" that opens it, and comment lines above its first key).
    first_line: int = 1
    # The lists written in [ ] (not one "- item" line each): a hint writes an item as it stands.
    flow_lists: frozenset[Path_] = frozenset()


def resolve_plain(text: str) -> Any:
    """Resolve a plain (unquoted) scalar with the YAML 1.2 core schema."""
    if not text:
        return None
    first = text[0]
    if first in _NUMBER_START:
        if _INT.match(text):
            number = int(text) if len(text) <= MAX_INTEGER_DIGITS else _too_large(text)
            # ``+2026``, ``02026``: the number keeps its spelling (see ``SpelledInt``).
            return number if first != "+" and str(number) == text else SpelledInt(number, text)
        if _FLOAT.match(text):
            return float(text)
        if _OCT.match(text):
            return SpelledInt(int(text[2:], 8), text) if len(text) <= MAX_INTEGER_DIGITS else _too_large(text)
        if _HEX.match(text):
            return SpelledInt(int(text[2:], 16), text) if len(text) <= MAX_INTEGER_DIGITS else _too_large(text)
        if _INF.match(text):
            return float("-inf") if first == "-" else float("inf")
        if _NAN.match(text):
            return float("nan")
        return text
    if first in _WORD_START:
        if text in _NULL:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
    return text


def _too_large(text: str) -> Any:
    raise NumberTooLarge(f"integer of {len(text)} characters is too large (okrctl reads at most {MAX_INTEGER_DIGITS})")


_NUMBER_START = frozenset("0123456789+-.")
_WORD_START = frozenset("~nNtTfF")
_RESOLVED_START = _NUMBER_START | _WORD_START  # a plain scalar that starts otherwise is text as it is


def decode(raw: bytes) -> str:
    """Bytes to text: UTF-8 only (a BOM is allowed); anything else is a problem with a place."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif (wide := wide_encoding(raw)) is not None:
        # (a UTF-32 byte-order mark begins with UTF-16's: the encoding is named as it is)
        name = "UTF-32" if wide.startswith("utf-32") else "UTF-16"
        raise YamlProblem(f"file is {name}; okrctl reads UTF-8 only", hint=_SAVE_AS_UTF8.replace("UTF-16", name))
    if b"\x00" in raw:
        raise YamlProblem(BINARY_FILE, *place_of_byte(raw, raw.index(b"\x00")))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = place_of_byte(raw, exc.start)
        raise YamlProblem(f"not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded", line, column) from None


def place_of_byte(raw: bytes, offset: int) -> Position:
    """The line and column of byte ``offset`` of ``raw``, counted in characters as every other place
    is (not in bytes: ``é`` before it is one column); a byte before it that is no UTF-8 is one."""
    before = LINE_BREAK.split(raw[:offset].decode("utf-8", "replace"))
    return len(before), len(before[-1]) + 1


BINARY_FILE = "binary file (contains NUL bytes), not YAML"
_FORGOTTEN_START = (
    "probably a forgotten '---' between two documents: put '---' on a line of its own where the second "
    "one starts (above line {line})"
)
_SAVE_AS_UTF8 = "save the file as UTF-8 (in the editor's encoding menu, or with iconv -f UTF-16 -t UTF-8)"


def wide_encoding(raw: bytes) -> str | None:
    """The encoding of text saved in UTF-16 or UTF-32 (which okrctl refuses, OKR100), with a
    byte-order mark or without one (UTF-16 only); None for anything else. For reading such a file
    line by line, to tell whose document it was (``load.declared.scan_unreadable``)."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if _utf32_without_bom(raw):
        return "utf-32-le" if raw[0:1] != b"\x00" else "utf-32-be"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    return _utf16_without_bom(raw)


def _utf32_without_bom(raw: bytes) -> bool:
    """Text saved as UTF-32 without a byte-order mark: each of its first characters is four bytes
    whose highest is NUL and next highest at most 0x10 (no character lies beyond U+10FFFF), on the
    same side every time, and none is NUL itself."""
    head = raw[: min(64, len(raw) // 4 * 4)]
    if len(head) < 8:
        return False
    groups = [head[i : i + 4] for i in range(0, len(head), 4)]
    little = all(g[3] == 0 and g[2] <= 0x10 and g != b"\x00\x00\x00\x00" for g in groups)
    big = all(g[0] == 0 and g[1] <= 0x10 and g != b"\x00\x00\x00\x00" for g in groups)
    return little or big


# The characters YAML reads (its c-printable): tab, line breaks and printable text, without the
# other control characters, NUL, a lone surrogate half or the non-characters U+FFFE and U+FFFF.
_NOT_YAML_TEXT = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _utf16_without_bom(raw: bytes) -> str | None:
    """The byte order of text saved as UTF-16 without a byte-order mark ("utf-16-le" or
    "utf-16-be"), else None. Its first characters decode in that order to characters YAML reads, and
    they look like YAML: a line that starts with a key (``kind:``), or at least a quarter of them
    ASCII (YAML's own syntax is: keys, colons, dashes, line breaks), so a comment in Cyrillic or
    Chinese among them, before the keys or after them, leaves it UTF-16. UTF-8 text read as UTF-16
    has an ASCII character only where it holds a NUL byte, and a binary file as good as always has a
    NUL or a control character among its first: neither is taken for UTF-16."""
    # The first 2,048 characters: a file may begin with a few lines of comment in another script
    # before its keys bring the ASCII in.
    head = raw[: min(4096, len(raw) // 2 * 2)]
    if len(head) < 4 or b"\x00" not in head:  # (UTF-8 text holds no NUL byte: the common case ends here)
        return None
    best, most = None, 0
    commented: list[str] = []  # byte orders whose head is lines of text, though no key is among them
    for codec, high in (("utf-16-le", -1), ("utf-16-be", -2)):
        text = _decoded_head(head, codec, high)
        if text is None or _NOT_YAML_TEXT.search(text) is not None:
            continue
        plain = sum(1 for c in text if c < "\x80")
        looks = plain * 4 >= len(text) or _KEY_LINE.search(text) is not None
        if plain > most and looks:
            best, most = codec, plain
        elif not looks and "\n" in text:
            commented.append(codec)
    if best is None and len(head) == 4096:
        # A long comment in another script first (28 lines of Cyrillic fill the head): the keys
        # come further on. Read on, up to 64 KiB, for a line that starts with one.
        longer = raw[: min(65536, len(raw) // 2 * 2)]
        for codec in commented:
            text = _decoded_head(longer, codec, -1 if codec == "utf-16-le" else -2)
            if text is not None and _NOT_YAML_TEXT.search(text) is None and _KEY_LINE.search(text) is not None:
                return codec
    return best


def _decoded_head(head: bytes, codec: str, high: int) -> str | None:
    """``head`` decoded in ``codec`` (None when it cannot be); the head may cut a character of two
    code units (a surrogate pair) after its first, which is left out."""
    part = head[:-2] if 0xD8 <= head[high] <= 0xDB else head
    try:
        return part.decode(codec)
    except UnicodeDecodeError:  # a lone surrogate half: not this byte order
        return None


# A line that starts with a YAML key okrctl's kinds use (``apiVersion:``, ``  - id:``).
_KEY_LINE = re.compile(r"(?m)^[ \t-]*[A-Za-z_][A-Za-z0-9_-]*:[ \t\r\n]")


class _Builder:
    def __init__(self, want_positions: bool, text: str = "") -> None:
        self.want_positions = want_positions
        self.text = text  # the document's file, to place a duplicate key that is an alias (``_key_places``)
        self.positions: dict[Path_, Position] = {}
        self.key_positions: dict[Path_, Position] = {}
        self.spellings: dict[Path_, str] = {}
        self.key_spellings: dict[Path_, str] = {}
        self.flow_lists: set[Path_] = set()
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.aliases = 0
        self.nodes = 0
        self.expanding = 0  # how deep inside an alias's value the build is: its nodes are no uses
        self.copied = 0  # values built again for an alias

    def build(self, node: Any, path: Path_, depth: int) -> Any:
        mark = node.start_mark
        if depth > MAX_DEPTH:
            raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1)
        ident = id(node)
        if ident in self.active:
            raise YamlProblem("recursive alias", mark.line + 1, mark.column + 1)
        # An alias is one use, whatever its value holds: the values it copies count among the
        # document's nodes (MAX_NODES), which is what stops a bomb of nested aliases.
        alias = ident in self.seen and not self.expanding
        if alias:
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise YamlProblem(
                    f"more than {MAX_ALIASES} alias uses (YAML bomb?); the anchor is here",
                    mark.line + 1,
                    mark.column + 1,
                )
        self.seen.add(ident)
        self.nodes += 1
        if self.expanding or alias:
            self.copied += 1
        if self.nodes > MAX_NODES:
            copied = ", counting each value an alias copies (YAML bomb?)" if self.copied else ""
            raise YamlProblem(f"more than {MAX_NODES} values in one document{copied}", mark.line + 1, mark.column + 1)
        if self.want_positions:
            self.positions[path] = (mark.line + 1, mark.column + 1)
        tag = _checked_tag(node)
        node_id = node.id
        if node_id == "scalar":
            if _as_text(node, tag):
                return node.value  # quoted, block, or tagged as text
            value = _placed(node)
            if self.want_positions and value.__class__ is not str:
                self.spellings[path] = node.value
            return value
        self.active.add(ident)
        self.expanding += alias
        try:
            if node_id == "sequence":
                if self.want_positions and node.flow_style:
                    self.flow_lists.add(path)
                return [self.build(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
            if node_id == "mapping":
                return self._mapping(node, path, depth)
        finally:
            self.active.discard(ident)
            self.expanding -= alias
        raise YamlProblem(f"unexpected YAML node {node_id}", mark.line + 1, mark.column + 1)

    def _mapping(self, node: Any, path: Path_, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_pair: dict[Any, int] = {}  # the pair that gave each key first
        for index, (key_node, value_node) in enumerate(node.value):
            kmark = key_node.start_mark
            if key_node.id != "scalar":
                raise YamlProblem("a mapping key must be a plain value", kmark.line + 1, kmark.column + 1)
            # A key is read as a value is: its tag checked, quoted or tagged as text (``!!str 42``) text.
            text = _as_text(key_node, _checked_tag(key_node))
            key = key_node.value if text else _placed(key_node)
            if key != key:
                key = NAN_KEY
            if key == "<<" and not text:
                raise YamlProblem("merge keys (<<) are not supported", kmark.line + 1, kmark.column + 1)
            if key in result:
                first = first_pair[key]
                places = _key_places(self.text, node, (first, index))
                fmark = node.value[first][0].start_mark
                line, column = places.get(index, (kmark.line + 1, kmark.column + 1))
                first_line = places.get(first, (fmark.line + 1, fmark.column + 1))[0]
                # A document's apiVersion or kind again: most often the '---' before a second one forgotten.
                hint = _FORGOTTEN_START.format(line=line) if depth == 0 and key in ("apiVersion", "kind") else ""
                raise YamlProblem(f"duplicate key {key!r} (first at line {first_line})", line, column, hint)
            if key.__class__ is not str:
                _Keys.odd = True
            first_pair[key] = index
            if self.want_positions:
                self.key_positions[path + (key,)] = (kmark.line + 1, kmark.column + 1)
                if key.__class__ is not str:
                    self.key_spellings[path + (key,)] = key_node.value
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return result


def _key_places(text: str, mapping: Any, pairs: tuple[int, ...]) -> dict[int, Position]:
    """Where the keys of ``pairs`` (indexes into ``mapping.value``) are written in ``text``, for the
    keys that are aliases (``*name :``). The composer gives an alias the anchored node itself, whose
    marks are the anchor's, so only the parser's events still know where the alias stands. A rare
    path (a duplicate key): the text is read again up to the mapping's end. Empty when the text has
    no alias, or the mapping is not found again; the nodes' own marks are then right."""
    places: dict[int, Position] = {}
    if "*" not in text:
        return places
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, MappingStartEvent

    start = mapping.start_mark.index
    events = _events(text)
    try:
        for event in events:
            if event.__class__ is MappingStartEvent and event.start_mark.index == start:
                break
        else:
            return places
        depth = 0
        items = 0  # keys and values of the mapping, in turn
        for event in events:
            if depth == 0:
                if isinstance(event, CollectionEndEvent):
                    break  # the mapping's own end
                if items % 2 == 0 and items // 2 in pairs:
                    places[items // 2] = (event.start_mark.line + 1, event.start_mark.column + 1)
                    if len(places) == len(set(pairs)):
                        break
                items += 1
            if isinstance(event, CollectionStartEvent):
                depth += 1
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:  # (the composer read this text; the events cannot differ)
        return {}
    return places


def _document_start(text: str, number: int) -> Position | None:
    """Where document ``number`` (0-based) of ``text`` starts: at its ``---`` when it has one, else at
    its first value. An empty document's root node starts where the next document does, a line
    late. A rare path (too many documents); None where the events say otherwise."""
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import DocumentStartEvent

    seen = -1
    try:
        for event in _events(text):
            if event.__class__ is DocumentStartEvent:
                seen += 1
                if seen == number:
                    return event.start_mark.line + 1, event.start_mark.column + 1
    except YAMLError:
        pass
    return None


def _events(text: str) -> Any:
    """The parser's events of ``text``, one by one (the C parser's, or ruamel's pure one's)."""
    if not _Parsers.ready:
        _make_parsers()
    if _Parsers.plain is None:
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).parse(text)
        return
    parser = _Parsers.plain(text)
    while parser.check_event():
        yield parser.get_event()


def _checked_tag(node: Any) -> str:
    """A node's tag ("?" when left implicit); a problem at the node for a tag okrctl refuses."""
    if node.__class__ in _LEAN_NODES:
        tag: Any = node.tag
        if tag.__class__ is slice:  # left unresolved by the lean composer: implicit
            tag = "?"
    else:
        ctag = node.ctag
        # The raw suffix is the tag as the C parser gave it; rendering ``node.tag`` is costly.
        tag = ctag.suffix if ctag is not None and ctag.handle is None else node.tag
    if tag not in _IMPLICIT and tag not in _KNOWN_TAGS:
        mark = node.start_mark
        shown = f"!!{tag[len(_CORE) :]}" if tag.startswith(_CORE) else tag
        raise YamlProblem(f"unsupported tag {shown}", mark.line + 1, mark.column + 1)
    return str(tag)


def _as_text(node: Any, tag: str) -> bool:
    """Whether a scalar is text whatever it reads as: quoted, a block, or tagged as text."""
    return tag == _STR or tag == "!" or node.style not in (None, "")


# Every ``.nan`` key is this one object: NaN equals nothing, itself included, and its hash is the
# object's, so a key of one parse of a file would name nothing in another parse of it (the finding
# on it, placed by the second parse, fell back to another message and line). Two ``.nan`` keys of
# one mapping are then the duplicate they are.
NAN_KEY = float("nan")


class _Keys:
    odd = False  # a mapping key that is not text was built (since ``parse_text`` cleared it)


def _placed(node: Any) -> Any:
    """``resolve_plain`` of a scalar node, a number too large for okrctl reported at its place."""
    try:
        return resolve_plain(node.value)
    except NumberTooLarge as exc:
        mark = node.start_mark
        raise YamlProblem(str(exc), mark.line + 1, mark.column + 1) from None


def _plain_values(node: Any, depth: int = 0) -> Any:
    """Values of a document with no anchors, aliases or tags, built without positions.

    The common case, and the hot loop of reading a large repository: no alias bookkeeping and no
    tag checks are needed, since the text has neither ``&`` nor ``!``.
    """
    if depth > MAX_DEPTH:
        mark = node.start_mark
        raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1)
    kind = node.id
    if kind == "scalar":
        return resolve_plain(node.value) if node.style in (None, "") else node.value
    if kind == "sequence":
        return [_plain_values(item, depth + 1) for item in node.value]
    result: dict[Any, Any] = {}
    resolving = _RESOLVED_START
    inline = depth < MAX_DEPTH  # a scalar value one level down is still within the limit
    for key_node, value_node in node.value:
        if key_node.id != "scalar":
            kmark = key_node.start_mark
            raise YamlProblem("a mapping key must be a plain value", kmark.line + 1, kmark.column + 1)
        key = key_node.value
        plain = not key_node.style  # (a plain scalar's style is "" from the C parser, None otherwise)
        if plain and (not key or key[0] in resolving):
            key = resolve_plain(key)
            if key != key:
                key = NAN_KEY
        if key in result or (plain and key == "<<"):
            # Rare: let the thorough builder say exactly what is wrong, and where.
            return _Builder(want_positions=False).build(node, (), depth)
        if key.__class__ is not str:
            _Keys.odd = True
        if inline and value_node.id == "scalar":
            # Most values: a scalar, resolved here (a plain one that starts otherwise is its text).
            value = value_node.value
            if not value_node.style and (not value or value[0] in resolving):
                value = resolve_plain(value)
            result[key] = value
        else:
            result[key] = _plain_values(value_node, depth + 1)
    return result


# Files this small hold fewer values than MAX_NODES, so the lean builder needs no counter.
_LEAN_MAX_CHARS = 2 * MAX_NODES


def _okrctl_comments(
    lines: list[str], first: int, last: int, root: Any
) -> tuple[frozenset[str], tuple[tuple[int, int, str], ...]]:
    """The codes the ignore comments of lines ``first``..``last`` (0-based, end excluded) silence
    (``ParsedDocument.ignore``), and every okrctl comment there (``ParsedDocument.comments``). Only comments count: text that
    looks like one inside a value of the document ``root`` (a quoted title, a line of a block
    scalar) is the value's text, and neither silences nor is reported."""
    found: dict[tuple[int, int], re.Match[str] | None] = {}
    for number in range(first, min(last, len(lines))):
        text = lines[number]
        if MENTION.search(text) is None:
            continue
        for match in IGNORE.finditer(text):
            found[(number, match.start())] = match
        for match in MARKER.finditer(text):
            found.setdefault((number, match.start()), None)
    if found:
        for place in _inside_scalars(root, set(found)):
            del found[place]
    codes: set[str] = set()
    comments: list[tuple[int, int, str]] = []
    for (number, start), ignore in sorted(found.items(), key=lambda item: item[0]):
        named = _CONFIRMED.match(lines[number], ignore.end()) if ignore is not None else None
        if ignore is not None and named is not None and ignore.group(1).strip().upper() == "OKR509":
            # Each key result by the key as written and by its id alone (a key may be written
            # ``objective-id/kr-id``): ``Doc.silences`` asks with the file's key and its id.
            for key in named.group(1).split(", "):
                codes.update((f"OKR509 {key}", f"OKR509 {key.rpartition('/')[2]}"))
        elif ignore is not None:
            codes.update(code.strip().upper() for code in ignore.group(1).split(",") if code.strip())
        comments.append((number + 1, start + 1, lines[number][start:]))
    return frozenset(codes), tuple(comments)


def _inside_scalars(root: Any, places: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """Which of ``places`` (0-based line and column) lie inside a scalar of the tree under ``root``,
    from its first character to its end (a plain scalar ends before a comment, a quoted or block
    one takes everything up to its end)."""
    inside: set[tuple[int, int]] = set()
    for node in _scalar_nodes(root):
        start, end = node.start_mark, node.end_mark
        if start is None or end is None:
            continue
        begin, stop = (start.line, start.column), (end.line, end.column)
        inside.update(place for place in places if begin <= place < stop)
        if len(inside) == len(places):
            break
    return inside


def _scalar_nodes(root: Any) -> Iterator[Any]:
    """Every scalar node (key or value) of the tree under ``root``, each once: an alias makes a
    node appear twice, and may make a cycle."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen.add(id(node))
        kind = node.id
        if kind == "scalar":
            yield node
        elif kind == "sequence":
            stack.extend(node.value)
        elif kind == "mapping":
            for key_node, value_node in node.value:
                stack.append(key_node)
                stack.append(value_node)


class _LeanNode:
    """A node as okrctl's composer has the C parser build it: the plain values the builders read,
    set in one call. ruamel's own node classes take three Python calls per node (the node, its base
    class, a ``Tag``), which was a third of the time it took to parse a file. The last value is a
    scalar's style (a collection's flow style, which a sequence gives as ruamel's does)."""

    __slots__ = ("end_mark", "start_mark", "style", "tag", "value")
    id = ""

    def __init__(self, tag: Any, value: Any, start_mark: Any = None, end_mark: Any = None, style: Any = None) -> None:
        self.tag = tag
        self.value = value
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.style = style


class _LeanScalar(_LeanNode):
    __slots__ = ()
    id = "scalar"


class _LeanSequence(_LeanNode):
    __slots__ = ()
    id = "sequence"

    @property
    def flow_style(self) -> Any:
        return self.style


class _LeanMapping(_LeanNode):
    __slots__ = ()
    id = "mapping"


_LEAN_NODES: frozenset[Any] = frozenset({_LeanScalar, _LeanSequence, _LeanMapping})
_NODE_NAMES = ("ScalarNode", "SequenceNode", "MappingNode")
# A text that has the C composer build every kind of node, tag and style once: the lean composer is
# used only when it reads this exactly as ruamel's own node classes do (``_lean_works``).
_PROBE = """%YAML 1.2
---
a: &x [1, 'two', "three", {b: null}]
c: *x
d: !!str 4
f: ! 5
g: |
  block
? h
: >-
  folded
---
- plain
- ~
"""
_PROBE_PLAIN = "a: [1, 'two', \"three\", {b: null}]\nc: |\n  block\nd: [yes, 0x1f, .inf, 1.5e3]\n"


class _Parsers:
    """The C parser classes okrctl composes with, made on first use (ruamel.yaml.clib may be missing)."""

    plain: Any = None  # tags left unresolved ("?"), ruamel's node classes
    lean: Any = None  # the same, building okrctl's lean node classes (None: not usable here)
    module: Any = None  # the C module whose node classes ``lean`` swaps while it composes
    ready = False


def _make_parsers() -> None:
    _Parsers.ready = True
    try:
        from ruamel.yaml.cyaml import CParser
    except ImportError:  # pragma: no cover - CPython installs ruamel.yaml.clib
        return

    class _ImplicitTagParser(CParser):  # type: ignore[misc,valid-type]
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return "?"

        def descend_resolver(self, parent: Any, index: Any) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    class _LeanParser(CParser):  # type: ignore[misc,valid-type]
        # The composer calls these for every node and keeps only what ``resolve`` returns, as the
        # tag of an untagged node. Built-in callables that take those arguments answer without a
        # Python frame; the slice that ``resolve`` returns marks the tag as left unresolved.
        resolve = slice
        descend_resolver = slice
        ascend_resolver = tuple

    _Parsers.plain = _ImplicitTagParser
    _Parsers.module = sys.modules.get(CParser.__module__)
    if _Parsers.module is not None and all(hasattr(_Parsers.module, name) for name in _NODE_NAMES):
        _Parsers.lean = _LeanParser
        if not _lean_works():
            _Parsers.lean = None


def _lean_works() -> bool:
    """Whether the C composer builds okrctl's lean nodes, and they read as ruamel's nodes do. The
    composer finds its node classes among its module's names, which ``_lean_nodes`` swaps; another
    version of ruamel.yaml.clib may not, or may call its resolvers otherwise."""
    lean_parser = _Parsers.lean

    def read() -> list[dict[str, Any]]:
        documents = parse_text(_PROBE, want_positions=True) + parse_text(_PROBE_PLAIN, want_positions=False)
        return [vars(document) for document in documents]

    try:
        lean = read()
        with _lean_nodes():
            composer = lean_parser(_PROBE)
            built = composer.check_node() and composer.get_node().__class__ is _LeanMapping
        _Parsers.lean = None  # ruamel's node classes, for the same texts
        plain = read()
    except Exception:  # any surprise means: compose as before
        return False
    finally:
        _Parsers.lean = lean_parser
    return built and lean == plain


class _lean_nodes:
    """While it is entered, the C composer builds okrctl's lean node classes (okrctl composes in
    one thread; the module's own classes are back when it is left, whatever happened)."""

    def __enter__(self) -> None:
        module = _Parsers.module
        self.saved = [getattr(module, name) for name in _NODE_NAMES]
        for name, lean in zip(_NODE_NAMES, (_LeanScalar, _LeanSequence, _LeanMapping), strict=True):
            setattr(module, name, lean)

    def __exit__(self, *exc: object) -> None:
        for name, saved in zip(_NODE_NAMES, self.saved, strict=True):
            setattr(_Parsers.module, name, saved)


def _composer(text: str) -> Any:
    """A node composer over the C parser (fresh per file), or ruamel's pure one where C is missing.

    Tags are left unresolved ("?" for implicit ones): okrctl resolves scalars itself, so ruamel's
    Python resolver, which would run for every node, is not needed.
    """
    if not _Parsers.ready:
        _make_parsers()
    if _Parsers.plain is not None:
        return _Parsers.plain(text)
    from ruamel.yaml import YAML

    return _PureComposer(YAML(typ="safe", pure=True).compose_all(text))


class _PureComposer:
    def __init__(self, nodes: Any) -> None:
        self._nodes = iter(nodes)
        self._next: Any = None

    def check_node(self) -> bool:
        if self._next is None:
            self._next = next(self._nodes, None)
        return self._next is not None

    def get_node(self) -> Any:
        node, self._next = self._next, None
        return node


# The plainest YAML, read without the composer (``_simple_document``): one document, a mapping at the
# left margin whose values are plain scalars or one-line flow sequences of them, or, one level in, a
# mapping of such values or a list of plain scalars; printable ASCII, comments only at the left
# margin, and nothing that asks the parser to decide (quotes, indicators, a second ": ", a comment
# after a value). That is how okrctl writes a check-in (a note aside), and most of a large
# repository. Anything else is left to the parser.
_NOT_SIMPLE = re.compile(
    r"[^\n -~]"  # a tab, a carriage return, a control or non-ASCII character
    r"|(?i:okrctl *(?::|ignore))"  # an okrctl comment (``_okrctl_comments``)
    r"| #"  # a comment after a value, or one indented
    r"|^(?:---|\.\.\.|%)"  # documents, directives
    r"|: [^\n]*(?:: |:$)"  # a second ": " on a line, or a value that ends with ":"
    r"|: +[-?:,\]{}#&*!|>'\"%@`]"  # a value that starts with an indicator (a flow sequence aside)
    r"|^ *- [^\n]*(?:: |:$)"  # an item that is a mapping, or ends with ":"
    r"|^ *- +[-?:,\[\]{}#&*!|>'\"%@`]",  # an item that starts with an indicator
    re.MULTILINE,
)
# Each line: a key, then its value or nothing (a block follows); an item of a list; a comment; blank.
# A value runs to the end of its line, trailing spaces and all (they are stripped after): a lazy
# value before optional spaces would make a long run of spaces inside a line cost its square.
_SIMPLE_LINE = re.compile(
    r"^(?:( *)([A-Za-z_][A-Za-z0-9_-]*):(?: +([^ \n][^\n]*)| *)|( +)- +([^ \n][^\n]*)|#[^\n]*| *)$",
    re.MULTILINE,
)
_NOT_SIMPLE_ITEM = re.compile(r"[:#\[\]{}'\"&*!|>%@`\\?]")  # (libyaml stops a flow scalar at "?")
_WORD_KEYS = _NULL | _TRUE | _FALSE  # keys that would not be text


def _simple_document(text: str) -> list[ParsedDocument] | None:
    """The document of a text in the plainest YAML (above), as ``parse_text`` reads it without
    positions; None when the text is anything else."""
    if len(text) >= _LEAN_MAX_CHARS or _NOT_SIMPLE.search(text):
        return None
    found = _SIMPLE_LINE.findall(text)
    if len(found) != text.count("\n") + 1:
        return None  # a line of another form
    data: dict[str, Any] = {}
    opened = ""  # the last key given no value: a block of keys or of items follows
    block: Any = None  # that block (a dict or a list), once its first line is read
    indent = ""  # the block's indentation
    first_line = 0
    resolving = _RESOLVED_START
    try:
        for number, (spaces, key, raw, item_spaces, item) in enumerate(found, start=1):
            if item:
                item = item.rstrip(" ")
                if not opened or (block is None and indent) or item_spaces != (indent or item_spaces):
                    return None
                if block is None:
                    block = data[opened] = []
                    indent = item_spaces
                elif block.__class__ is not list:
                    return None
                block.append(resolve_plain(item) if item[0] in resolving else item)
                continue
            if not key:
                continue  # a comment or a blank line
            if key in _WORD_KEYS:
                return None
            raw = raw.rstrip(" ")
            value: Any = raw
            if raw:
                if raw[0] == "[":
                    value = _simple_flow(raw)
                    if value is None:
                        return None
                elif raw[0] in resolving:
                    value = resolve_plain(raw)
            if spaces:
                if not opened or not raw or spaces != (indent or spaces):
                    return None
                if block is None:
                    block = data[opened] = {}
                    indent = spaces
                elif block.__class__ is not dict or key in block:
                    return None
                block[key] = value
                continue
            if (opened and block is None) or key in data:
                return None  # a block left empty, or a key given twice
            if not first_line:
                first_line = number
            block, indent = None, ""
            if raw:
                data[key] = value
                opened = ""
            else:
                opened = key
    except NumberTooLarge:
        return None
    if not data or (opened and block is None):
        return None
    return [ParsedDocument(index=0, line=first_line, column=1, data=data)]


def _simple_flow(raw: str) -> list[Any] | None:
    """The items of a one-line flow sequence of plain scalars (``_simple_document``)."""
    if raw[-1] != "]" or _NOT_SIMPLE_ITEM.search(raw, 1, len(raw) - 1):
        return None
    inner = raw[1:-1]
    if not inner.strip(" "):
        return []
    items: list[Any] = []
    for item in inner.split(","):
        item = item.strip(" ")
        if not item or item[0] in "-?":
            return None
        items.append(resolve_plain(item) if item[0] in _RESOLVED_START else item)
    return items


# YAML 1.2's line breaks (§5.4): LF, CRLF and CR, by which every line okrctl names is counted.
LINE_BREAK = re.compile(r"\r\n|\r|\n")
# Line breaks to YAML 1.1 only: NEL (U+0085), LINE SEPARATOR (U+2028) and PARAGRAPH SEPARATOR
# (U+2029). The parsers (libyaml, ruamel) follow YAML 1.1 here; to YAML 1.2 they are text.
_YAML11_BREAKS = re.compile("[\x85\u2028\u2029]")


def text_lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML 1.2 counts them, not as ``str.splitlines`` does (which also
    ends a line at NEL, U+2028, U+2029, a form feed, …): line N of a finding is line N here."""
    # (``split`` where the text has no CR: a third of the time of the pattern, on every file read)
    lines = LINE_BREAK.split(text) if "\r" in text else text.split("\n")
    if lines[-1] == "":
        lines.pop()  # the break that ends the last line opens no line of its own
    return lines


def _yaml11_breaks_stood_in(text: str) -> tuple[str, dict[int, str]]:
    """``text`` with each NEL, U+2028 and U+2029 replaced by a private-use character it does not
    hold, which the parser reads as text, as YAML 1.2 reads them, in every context (a plain, quoted
    or block scalar, a key, a comment); and the table that puts them back. One character for one,
    so every line and column the parser gives stays true."""
    if "\x85" not in text and "\u2028" not in text and "\u2029" not in text:
        return text, {}  # nearly every file: three searches in C, no pattern
    found = sorted(set(_YAML11_BREAKS.findall(text)))
    held = set(text)
    # Private-use characters first; a file of MAX_FILE_BYTES cannot hold every code point past U+FFFF.
    codes = itertools.chain(range(0xE000, 0xF900), range(0xF0000, 0x10FFFE), range(0x10000, 0xF0000))
    candidates = (chr(code) for code in codes if chr(code) not in held)
    stand_ins = dict(zip(found, candidates, strict=False))
    back = {ord(stand_in): original for original, stand_in in stand_ins.items()}
    return text.translate({ord(original): stand_in for original, stand_in in stand_ins.items()}), back


def _put_back(root: Any, back: dict[int, str]) -> None:
    """The characters ``_yaml11_breaks_stood_in`` replaced, back in every scalar (key or value)
    under ``root``, before a builder reads them."""
    for node in _scalar_nodes(root):
        if node.value.__class__ is str:
            node.value = node.value.translate(back)


def parse_text(text: str, *, want_positions: bool = True) -> list[ParsedDocument]:
    """Every document of one file. Raises ``YamlProblem`` with a place on anything unreadable."""
    if "\ufeff" not in text:  # (nearly every file: one search in C)
        return _parse_text(text, want_positions)
    read, dropped = _document_boms_dropped(text)
    try:
        documents = _parse_text(read, want_positions)
    except YamlProblem as problem:
        stray = _stray_bom(read, problem.line)
        if stray is not None:
            raise YamlProblem(_STRAY_BOM, stray, 1, _STRAY_BOM_HINT) from None
        problem.line, problem.column = _counting_the_bom((problem.line, problem.column), dropped)
        raise
    if dropped:
        for document in documents:
            _count_the_boms(document, dropped)
    return documents


# A byte-order mark may open any document of a stream (YAML 1.2 §5.2), as where files saved with
# one are joined (``cat a.yaml b.yaml``): at the start of the line of the document's "---", or of
# its first line, after a "---" alone on the line before (or at the start of the text, when a file
# starts with two). The C parser skips one there but counts it as a column, so the document's keys
# seem indented by one (the pure one reads it as text): okrctl reads the document without it, and
# counts it back in the columns of its line, as an editor shows it.
_DOCUMENT_START = re.compile(r"---(?:[ \t]|$)")
_MARKER_ALONE = re.compile(r"---[ \t]*(?:#.*)?")
_LINES_AND_BREAKS = re.compile(f"({LINE_BREAK.pattern})")
_STRAY_BOM = "byte-order mark (U+FEFF) inside a document; YAML allows one only where a document starts"
_STRAY_BOM_HINT = (
    "delete it; or, if a second document starts on this line (two files joined), put '---' on a line "
    "of its own above it"
)


def _document_boms_dropped(text: str) -> tuple[str, frozenset[int]]:
    """``text`` without the byte-order marks that open a document (above), and the lines (1-based)
    they were dropped from. One character fewer on those lines; every line stays where it was."""
    parts = _LINES_AND_BREAKS.split(text)  # the lines, each followed by its line break
    dropped: set[int] = set()
    for index in range(0, len(parts), 2):
        line = parts[index]
        if line.startswith("\ufeff") and (
            _DOCUMENT_START.match(line, 1) or index == 0 or _MARKER_ALONE.fullmatch(parts[index - 2])
        ):
            parts[index] = line[1:]
            dropped.add(index // 2 + 1)
    return ("".join(parts) if dropped else text), frozenset(dropped)


def _stray_bom(text: str, line: int) -> int | None:
    """The line of a byte-order mark that starts line ``line`` of ``text``, or else the line before
    it (where the parsers find what it breaks); None when neither starts with one."""
    lines = text_lines(text)
    for number in (line, line - 1):
        if 1 <= number <= len(lines) and lines[number - 1].startswith("\ufeff"):
            return number
    return None


def _counting_the_bom(place: Position, dropped: frozenset[int]) -> Position:
    """A place in the text ``_document_boms_dropped`` read, in the file: one column further on a
    line whose byte-order mark was dropped."""
    line, column = place
    return (line, column + 1) if line in dropped else place


def _count_the_boms(document: ParsedDocument, dropped: frozenset[int]) -> None:
    """Every place of ``document`` (read without the byte-order marks of ``dropped``) in the file."""
    document.line, document.column = _counting_the_bom((document.line, document.column), dropped)
    for places in (document.positions, document.key_positions):
        for path, place in places.items():
            places[path] = _counting_the_bom(place, dropped)
    document.comments = tuple(
        (line, column + 1 if line in dropped else column, comment) for line, column, comment in document.comments
    )


def _parse_text(text: str, want_positions: bool) -> list[ParsedDocument]:
    """``parse_text`` of a text whose byte-order marks that open a document are dropped."""
    if not want_positions:
        simple = _simple_document(text)
        if simple is not None:
            return simple
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    documents: list[ParsedDocument] = []
    lines = text_lines(text)
    read, back = _yaml11_breaks_stood_in(text)
    if not _Parsers.ready:
        _make_parsers()
    lean_parser = _Parsers.lean
    try:
        _refuse_deep_nesting(read)
        with _lean_nodes() if lean_parser is not None else contextlib.nullcontext():
            composer = lean_parser(read) if lean_parser is not None else _composer(read)
            _compose_all(composer, read, lines, want_positions, documents, back)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = str(exc.problem or exc.context or "YAML syntax error").translate(back)
        if exc.context and exc.context_mark is not None and exc.problem_mark is not None:
            # e.g. "did not find expected ',' or ']' (while parsing a flow sequence from line 5)"
            # At the end of the input the parser counts the line after the last: the last line it is.
            started = min(exc.context_mark.line + 1, max(1, len(lines)))
            problem += f" ({exc.context} from line {started})"
        if mark is None:
            raise YamlProblem(problem) from None
        tab = _indenting_tab(lines, mark.line)
        if tab is not None:
            raise YamlProblem(
                "a tab indents this line; YAML indents with spaces only",
                mark.line + 1,
                tab + 1,
                "replace the tab with spaces (set your editor to insert spaces for Tab in YAML files)",
            ) from None
        hint = _slip_hint(lines, mark.line, mark.column)
        raise YamlProblem(problem, mark.line + 1, mark.column + 1, hint) from None
    except ReaderError as exc:
        # The reader knows only an offset into the text (the C reader's counts the bytes of its
        # UTF-8, the pure one's characters): turn it into a line and column.
        offset = max(0, int(getattr(exc, "position", 0) or 0))
        if _Parsers.plain is not None:
            offset = len(read.encode("utf-8", "surrogatepass")[:offset].decode("utf-8", "ignore"))
        before = LINE_BREAK.split(text[:offset])
        line, column = len(before), len(before[-1]) + 1
        character = getattr(exc, "character", None)
        what = f"U+{character:04X}" if isinstance(character, int) else repr(character)
        raise YamlProblem(f"control character {what} is not allowed in YAML", line, column) from None
    except YAMLError as exc:
        raise YamlProblem(" ".join(str(exc).split()) or "YAML error") from None
    except RecursionError:
        raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels") from None
    return documents


# The C composer builds nested nodes by recursion in C: tens of thousands of levels overflow the
# process's stack (a crash, no exception) before okrctl's builder can count them. A text that
# cannot nest deeper than this is composed directly; another is first read as a flat stream of
# events, counting levels, and refused past MAX_DEPTH.
_COMPOSE_SAFE_DEPTH = 2_000
_NESTING_MARKS = ("[", "{", "- ", "-\t", "? ", "?\t")


def _refuse_deep_nesting(text: str) -> None:
    """Raise ``YamlProblem`` (at the first level too many) for a text nested deeper than MAX_DEPTH
    levels, when it could be nested deep enough to crash the C composer."""
    # A level takes a character at least; on one line it opens with a flow bracket, a block entry
    # ("- ") or a complex key ("? "); on the next, by indenting further, and n levels by indentation
    # alone take a text of n²/2 spaces.
    if len(text) <= _COMPOSE_SAFE_DEPTH:
        return
    by_indent = math.isqrt(2 * len(text)) + 1
    if text.count("[") + text.count("{") + text.count("-") + text.count("?") + by_indent <= _COMPOSE_SAFE_DEPTH:
        return  # the common case, in a few microseconds (a date's dashes count too, wrongly but safely)
    bound = sum(text.count(mark) for mark in _NESTING_MARKS) + by_indent
    if bound <= _COMPOSE_SAFE_DEPTH:
        return
    if not _Parsers.ready:
        _make_parsers()
    if _Parsers.plain is None:
        return  # the pure composer recurses in Python: RecursionError, which parse_text turns into a problem
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import CollectionEndEvent, CollectionStartEvent, DocumentStartEvent

    parser = _Parsers.plain(text)
    depth = documents = 0
    try:
        while parser.check_event():
            event = parser.get_event()
            if isinstance(event, DocumentStartEvent):
                documents += 1  # (composing would stop there too: no need to read further)
                if documents > MAX_DOCUMENTS:
                    mark = event.start_mark
                    raise YamlProblem(
                        f"more than {MAX_DOCUMENTS} documents in one file", mark.line + 1, mark.column + 1
                    )
            elif isinstance(event, CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH + 1:
                    mark = event.start_mark
                    raise YamlProblem(f"nesting deeper than {MAX_DEPTH} levels", mark.line + 1, mark.column + 1)
            elif isinstance(event, CollectionEndEvent):
                depth -= 1
    except YAMLError:
        return  # a syntax error: composing the text says where, as for any other file


def _indenting_tab(lines: list[str], index: int) -> int | None:
    """The 0-based column of a tab in the indentation of line ``index``, if there is one: the
    parser then says "found character that cannot start any token", not what the user did."""
    if not 0 <= index < len(lines):
        return None
    text = lines[index]
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    return indent.index("\t") if "\t" in indent else None


def quoted_text(text: str) -> str:
    """``text`` as a YAML quoted value: in double quotes, or in single quotes (each one inside
    doubled) when it holds a double quote or a backslash, which double quotes would read otherwise."""
    if '"' in text or "\\" in text:
        return "'" + text.replace("'", "''") + "'"
    return f'"{text}"'


# Where a quoted value may end: the end of the line or a comment, or in { } and [ ] the next item.
_QUOTE_ENDS = re.compile(r"\s*(?:$|#|[,}\]])")
# What a value follows: a key's colon, a list's dash, or an opening or separating { [ ,.
_VALUE_AFTER = tuple(":-{[,")


def _slip_hint(lines: list[str], index: int, column: int) -> str:
    """How to fix the commonest slip a syntax error at 0-based ``column`` of line ``index`` comes
    from, or "" for another: a quote ending a quoted value early, or a colon in unquoted text. The
    parser says what it expected next ("did not find expected key"), not what the user wrote."""
    if not 0 <= index < len(lines) or not 0 < column < len(lines[index]):
        return ""
    line = lines[index]
    before, at = line[column - 1], line[column]
    if before in "'\"" and not at.isspace() and at not in ",}]#:":
        return _inner_quote_hint(line, column - 1)
    if at == ":":
        return _colon_hint(lines, index, column)
    return ""


def _inner_quote_hint(line: str, closing: int) -> str:
    """The quote at ``closing`` ended a quoted value the user meant to go on (``'a depot's'``)."""
    quote = line[closing]
    opening = next(
        (i for i in range(closing - 1, -1, -1) if line[i] == quote and line[:i].rstrip().endswith(_VALUE_AFTER)),
        None,
    )
    end = next((j for j in range(closing + 1, len(line)) if line[j] == quote and _QUOTE_ENDS.match(line, j + 1)), None)
    if quote == "'":
        if opening is None or end is None:
            return "an apostrophe ends a text in single quotes: write it twice ('') or put the text in double quotes"
        text = line[opening + 1 : end]
        twice = "'" + text.replace("'", "''") + "'"
        double = f', or put the text in double quotes: "{text}"' if '"' not in text and "\\" not in text else ""
        return f"an apostrophe ends a text in single quotes: write it twice, {twice}{double}"
    if opening is None or end is None:
        return 'a double quote ends a text in double quotes: write it as \\" or put the text in single quotes'
    text = line[opening + 1 : end]
    return f"a double quote ends a text in double quotes: put the text in single quotes: {quoted_text(text)}"


# Why a colon ends a text written without quotes, in [ ] or { }, and elsewhere.
_FLOW_COLON = "inside { } and [ ], a colon in a text without quotes ends a key"
_BLOCK_COLON = "a colon and a space in a text without quotes start a key"
# The dashes that open a block list item, and a line that holds only a key ("plan:", "- aligns:").
_ITEM_DASHES = re.compile(r"[ ]*(?:-[ ]+)+")
_KEY_ALONE = re.compile(r"^[ ]*(?:-[ ]+)*([^\s#:][^#:]*?)[ ]*:[ ]*(?:#.*)?$")


def _colon_hint(lines: list[str], index: int, colon: int) -> str:
    """A colon at ``colon`` of line ``index`` inside a text written without quotes: a value
    (``title: Ratio: 3 to 1``) or, in a list of texts, the whole item (``- Vendor update: KYC slow:
    3x``, ``[Push, Depot at 5:00]``), which the first colon would make a mapping."""
    line = lines[index]
    opener = _flow_opener(line, colon)
    dashes = None if opener >= 0 else _ITEM_DASHES.match(line)
    if opener >= 0:
        item_start = max(line.rfind(c, opener, colon) for c in ",{[") + 1
        ends = [i for i in (line.find(c, colon) for c in ",}]") if i >= 0]
        end = min(ends, default=len(line))
        why = _FLOW_COLON
    else:
        item_start = dashes.end() if dashes else 0
        comment = line.find(" #", colon)
        end = comment if comment >= 0 else len(line)
        why = _BLOCK_COLON
    key_end = line.rfind(": ", item_start, colon)
    in_list = line[opener] == "[" if opener >= 0 else dashes is not None
    if in_list and not _holds_mappings(lines, index, opener if opener >= 0 else line.index("-")):
        item = line[item_start:end].strip()
        if key_end < 0 and opener < 0:
            return ""  # a plain item reads up to its end: not a text's colon
        if not item or item[0] in "'\"":
            return f"put the text in quotes: {why}"
        return quoted_item_hint(item, flow=opener >= 0)
    if key_end < 0:
        return ""  # no key before it on the line: not a value's colon (an indentation slip, say)
    key = line[item_start:key_end].strip()
    value = line[key_end + 2 : end].strip()
    if not key or not value or value[0] in "'\"":
        return f"put the text in quotes: {why}"
    return f"put the text in quotes: {key}: {quoted_text(value)} ({why})"


def quoted_item_hint(item: str, *, flow: bool) -> str:
    """The hint that quotes ``item``, the whole text of an item of a list of texts that a colon in
    it made a mapping: ``- "Vendor update: KYC slow"``, or in [ ] ``"Vendor update: KYC slow"``."""
    return (
        f"put the text in quotes: {'' if flow else '- '}{quoted_text(item)} ({_FLOW_COLON if flow else _BLOCK_COLON})"
    )


def _flow_opener(line: str, end: int) -> int:
    """The column of the innermost "{" or "[" left open before ``end`` on ``line``, or -1."""
    opened: list[int] = []
    for at, c in enumerate(line[:end]):
        if c in "{[":
            opened.append(at)
        elif c in "}]" and opened:
            opened.pop()
    return opened[-1] if opened else -1


def _holds_mappings(lines: list[str], index: int, column: int) -> bool:
    """Whether the list whose item starts at ``column`` of line ``index`` (its "-" or "[") is one
    whose items are mappings (``key_results``, ``aligns``, …), by the key that holds it: on the same
    line (``aligns: [``), or on the nearest line above that is less indented, or as indented and no
    item itself (``plan:`` above ``- …``). A list of texts, or under no key okrctl knows, is not."""
    from okrctl.load.schema_words import MAPPING_LISTS

    before = lines[index][:column]
    if before.strip(" -"):
        key = before.rstrip()
        if not key.endswith(":"):
            return False
        return key[max(key.rfind(c) for c in "{[,") + 1 : -1].strip(" -") in MAPPING_LISTS
    for above in reversed(lines[:index]):
        text = above.lstrip(" ")
        indent = len(above) - len(text)
        if not text or text.startswith("#") or (indent == column and text.startswith("-")):
            continue
        if indent <= column:
            held = _KEY_ALONE.match(above)
            return held is not None and held.group(1) in MAPPING_LISTS
    return False


def _compose_all(
    composer: Any,
    text: str,
    lines: list[str],
    want_positions: bool,
    documents: list[ParsedDocument],
    back: dict[int, str] | None = None,
) -> None:
    """Every document ``composer`` gives, built into ``documents`` (``parse_text``, which turns the
    parser's errors into problems with a place); ``back`` puts back what ``text`` stands in for."""
    previous_end = 0
    marked = MENTION.search(text) is not None
    lean = not want_positions and len(text) < _LEAN_MAX_CHARS and "&" not in text and "!" not in text
    index = -1
    while composer.check_node():
        root = composer.get_node()
        index += 1
        if index >= MAX_DOCUMENTS and root is not None:
            mark = root.start_mark
            line, column = _document_start(text, index) or (mark.line + 1, mark.column + 1)
            raise YamlProblem(f"more than {MAX_DOCUMENTS} documents in one file", line, column)
        if root is None or (root.value == "" and not root.style):
            continue  # an empty document (after a final "---", say) is no document
        if back:
            _put_back(root, back)
        builder = _Builder(want_positions, text)
        _Keys.odd = False
        try:
            data = _plain_values(root) if lean else builder.build(root, (), 0)
        except NumberTooLarge:
            data = builder.build(root, (), 0)  # rare: the thorough builder says where
        end_line = root.end_mark.line + 1
        if root.end_mark.column == 0 and lines[end_line - 1 : end_line] and lines[end_line - 1].startswith("---"):
            # The node ends where the next document's "---" starts: a comment on that line
            # ("--- # okrctl: ignore[...]") belongs to the document it opens.
            end_line -= 1
        ignore, comments = _okrctl_comments(lines, previous_end, end_line, root) if marked else (frozenset(), ())
        documents.append(
            ParsedDocument(
                index=index,
                line=root.start_mark.line + 1,
                column=root.start_mark.column + 1,
                data=data,
                positions=builder.positions,
                key_positions=builder.key_positions,
                spellings=builder.spellings,
                key_spellings=builder.key_spellings,
                flow_lists=frozenset(builder.flow_lists),
                ignore=ignore,
                comments=comments,
                text_keys=not _Keys.odd,
                first_line=previous_end + 1,
            )
        )
        previous_end = end_line
