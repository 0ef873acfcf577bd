"""Output streams that cannot fail on a character: substitutes where the encoding has no glyph.

A Latin-1 locale, ``PYTHONIOENCODING=ascii`` or a Windows code page cannot show the block
characters of bars and sparklines, box drawing, arrows or ``…``. Instead of failing half-way
through (after a check-in was already committed), every character the stream cannot encode is
written as a readable substitute that takes as many columns as the character did, since the text
was laid out (tables, boxes, wrapped lines) before it reaches the stream: bars keep their shape
(``#`` full, ``+`` half, ``.`` low), box lines become ``-``, ``|`` and ``+``, ``…`` becomes ``~``,
arrows ``>``. Where spaces follow, a longer substitute takes their room instead (``->``, ``--``,
``>=``), so nothing after it moves; an arrow or ``≥`` followed by a single space takes that space
(``5 ->8``, ``>=99.9``) rather than read as a comparison (``5 > 8``); where a tree's branch leads to
such an arrow, the branch gives it a column instead (``└── → ● on track`` is ``+- -> o on track``),
so the arrow keeps the space before what it points at. Letters keep their letter
(``é`` and ``Ł`` are ``e`` and ``L``; ``ß``, ``Æ``, ``Œ`` and ``Þ`` the first of ``ss``, ``AE``,
``OE`` and ``TH``). A character two columns wide that has no substitute is ``??``, one of no width
(a combining mark) nothing.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from typing import Any

HANDLER = "okrctl-substitute"

# Substitutes of one column, for characters one column wide; the first the encoding has is used
# (Latin-1 has ``»``, ``±`` and ``·``).
_NARROW: dict[str, tuple[str, ...]] = {
    # bars and sparklines (lowest to highest), shades
    "▁": ("_",),
    "▂": (".",),
    "▃": (":",),
    "▄": ("-",),
    "▅": ("=",),
    "▆": ("+",),
    "▇": ("*",),
    "█": ("#",),
    "▒": ("+",),
    "░": (".",),
    "▓": ("%",),
    # marks
    "·": (".",),
    "•": ("*",),
    "…": ("~",),
    "→": (">",),
    "←": ("<",),
    "⇒": ("»", "="),
    "⇢": ("~",),
    "↑": ("^",),
    "↓": ("v",),
    "▲": ("^",),
    "▼": ("v",),
    "◆": ("*",),
    "●": ("o",),
    "○": ("o",),
    "✓": ("v",),
    "✔": ("v",),
    "✗": ("x",),
    "✖": ("x",),
    "⚠": ("!",),
    "±": ("±", "~"),
    "−": ("-",),
    "–": ("-",),
    "—": ("-",),
    "≥": (">",),
    "≤": ("<",),
    "×": ("×", "x"),
    "“": ('"',),
    "”": ('"',),
    "‘": ("'",),
    "’": ("'",),
    "\u00a0": (" ",),
}
# Letters that keep no ASCII letter when their accents are taken off (Unicode gives them no
# decomposition): the letter they are written as. Those written with two letters in ASCII (ß as
# ``ss``, Æ as ``AE``, Œ as ``OE``, Þ as ``TH``) keep the first one, as wide as the letter.
_LETTERS = {
    "Ł": "L",
    "ł": "l",
    "Ø": "O",
    "ø": "o",
    "Đ": "D",
    "đ": "d",
    "Ð": "D",
    "ð": "d",
    "Ħ": "H",
    "ħ": "h",
    "ı": "i",
    "Ŧ": "T",
    "ŧ": "t",
    "Ŋ": "N",
    "ŋ": "n",
    "ĸ": "k",
    "Ə": "E",
    "ə": "e",
    "ƒ": "f",
    "ß": "s",
    "ẞ": "S",
    "Æ": "A",
    "æ": "a",
    "Œ": "O",
    "œ": "o",
    "Þ": "T",
    "þ": "t",
}
# Box drawing (U+2500-U+257F): lines and corners, as rich draws them in ASCII.
_BOX_HORIZONTAL = "─━┄┅┈┉╌╍═╴╶╸╺╼╾"
_BOX_VERTICAL = "│┃┆┇┊┋╎╏║╵╷╹╻╽╿"
# The readable form, where the spaces after the character leave room for it (one space stays).
_WIDE = {
    "…": "...",
    "→": "->",
    "←": "<-",
    "⇒": "=>",
    "⇢": "~>",
    "±": "+-",
    "—": "--",
    "≥": ">=",
    "≤": "<=",
}
# Signs whose one-column form reads as something else: with a single space after them they take
# it, joined to what follows, rather than shrink. ``≥ 99.9`` is ``>=99.9``, not ``> 99.9``; an
# arrow ``5 → 8`` is ``5 ->8``, not ``5 > 8`` (greater than) nor ``5 = 8`` for ``⇒``. An encoding
# with a sign of its own keeps it (Latin-1's ``»`` for ``⇒``).
_JOINS_NEXT = frozenset("≥≤→←⇒⇢")
# A tree's branch (``├── ``, ``└── ``) and then an arrow with a single space after it, as the
# alignment map draws every link (``└── → ● on track``); colour codes may stand between them.
_BRANCH_CORNERS = "├└┣┗╠╚"  # where a tree's branch starts: its tee or corner, then horizontals
_BRANCH_TO_ARROW = re.compile(r"(?:\x1b\[[0-9;]*m)* (?:\x1b\[[0-9;]*m)*([→←⇒⇢]) (?! )")


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except (UnicodeError, LookupError):
        return False
    return True


def _narrow(ch: str, encoding: str) -> str:
    """A substitute of one column for ``ch`` (which takes one)."""
    for candidate in _NARROW.get(ch, ()):
        if _encodable(candidate, encoding):
            return candidate
    if ch in _BOX_HORIZONTAL:
        return "=" if ch == "═" else "-"
    if ch in _BOX_VERTICAL:
        return "|"
    if "\u2500" <= ch <= "\u257f":
        return "+"  # corners, tees and crossings
    # Letters with accents keep their letter (é → e, Ł → L, ß → s); anything else is a question mark.
    return _plain_letters(ch)[:1] or _LETTERS.get(ch, "?")


def _plain_letters(ch: str) -> str:
    """The ASCII letters or digits ``ch`` is written with (``é`` → ``e``, fullwidth ``１`` → ``1``):
    only for a letter or a decimal digit. ``½`` is ``1⁄2`` and ``⁶`` is ``6`` to Unicode, but shown as
    ``1`` and ``6`` they would be other numbers (a goal of 10⁶ read 106): they are none."""
    if not unicodedata.category(ch).startswith(("L", "Nd")):
        return ""
    return unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii")


def _joins_next(ch: str, encoding: str) -> bool:
    """Whether ``ch`` with a single space after it takes that space for its longer form."""
    return ch in _JOINS_NEXT and _narrow(ch, encoding).isascii()


def _branch_to_arrow(error: UnicodeEncodeError) -> tuple[str, int] | None:
    """A tree's branch that leads to an arrow with a single space after it, written one column
    shorter so that the arrow takes its longer form in that column (``+- -> o on track``).

    Joined to the space after it, the arrow ran into what it points at (``+-- ->o on track``: the
    status mark of the map, ``~>needs``); the branch's line loses nothing a reader needs by being
    one dash shorter, and nothing after the arrow moves."""
    text, start, end = error.object, error.start, error.end
    drawn = text[start:end]
    if len(drawn) < 3 or drawn[0] not in _BRANCH_CORNERS or drawn[1:].strip(_BOX_HORIZONTAL):
        return None  # a run of box characters in a title, say, is drawn as it always was
    found = _BRANCH_TO_ARROW.match(text, end)
    if found is None or not _joins_next(found.group(1), error.encoding):
        return None
    branch = "".join(_narrow(ch, error.encoding) for ch in drawn[:-1])
    between = text[end : found.start(1)]  # the space, and the colour codes if any
    return branch + between + _WIDE[found.group(1)], found.end(1)


def _substitute(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    from rich.cells import cell_len

    branch = _branch_to_arrow(error)
    if branch is not None:
        return branch
    text, end = error.object, error.end
    out = []
    index = error.start
    if index > 0 and cell_len(text[index]) == 0:
        # Marks that make the character before them, which the stream could write, wider (a
        # keycap: 1 and U+FE0F U+20E3 are two columns): the columns it gained.
        joined = _cluster_end(text, index, end)
        out.append("?" * max(0, cell_len(text[index - 1 : joined]) - cell_len(text[index - 1])))
        index = joined
    while index < end:
        ch = text[index]
        cluster = _cluster_end(text, index + 1, end)
        if cluster > index + 1:
            # A character with the marks and joined characters that make one picture with it
            # (❤️, 🏳️‍🌈): one substitute as wide as rich counted the whole.
            width = cell_len(text[index:cluster])
            first = _fitted(ch, width) if cell_len(ch) > 1 else _narrow(ch, error.encoding)
            out.append((first + "?" * width)[:width])
            index = cluster
            continue
        index += 1
        width = cell_len(ch)
        if width == 0:
            continue  # a combining mark or a joiner: it took no column
        if width > 1:
            out.append(_fitted(ch, width))
            continue
        wide = _WIDE.get(ch)
        if wide is not None and index == end:
            extra = len(wide) - 1
            spaces = len(text[end : end + extra + 1]) - len(text[end : end + extra + 1].lstrip(" "))
            if spaces > extra or (spaces == extra and _joins_next(ch, error.encoding)):
                # The spaces after it take the longer form: what follows stays where it was.
                return "".join(out) + wide, end + extra
        out.append(_narrow(ch, error.encoding))
    return "".join(out), end


def _cluster_end(text: str, index: int, end: int) -> int:
    """Where the marks and joined characters that go with the character before ``index`` end
    (``index`` when none follow it): characters of no width (variation selectors, combining marks,
    the zero-width joiner) and each character a joiner joins."""
    from rich.cells import cell_len

    while index < end and (cell_len(text[index]) == 0 or text[index - 1] == "\u200d"):
        index += 1
    return index


def _fitted(ch: str, width: int) -> str:
    """A substitute as wide as ``ch`` (a character two columns wide, such as 東)."""
    return (_plain_letters(ch) + "?" * width)[:width]


def encoding_of(stream: object) -> str:
    """The stream's encoding, named one way: ``utf8``, ``utf8sig``, ``latin1``, ``cp1252`` ("" when
    it has none)."""
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")


def register_substitutes() -> None:
    """Make ``errors=HANDLER`` known to the codecs (``text.encode("ascii", HANDLER)``)."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _substitute)


def tolerant_streams() -> None:
    """Make stdout and stderr write substitutes instead of raising on unencodable characters."""
    register_substitutes()
    for stream in (sys.stdout, sys.stderr):
        reconfigure: Any = getattr(stream, "reconfigure", None)
        if reconfigure is None or encoding_of(stream) in ("utf8", "utf16", "utf32"):
            continue
        try:
            reconfigure(errors=HANDLER)
        except (ValueError, OSError):  # a closed or detached stream: nothing to protect
            continue
