"""Output streams that cannot fail on a character: substitutes where the encoding has no glyph.

A Latin-1 locale, ``PYTHONIOENCODING=ascii`` or a Windows code page cannot show the block
characters of bars and sparklines, arrows or ``·``. Instead of failing half-way through (after a
check-in was already committed), every character the stream cannot encode is written as a
readable ASCII substitute: bars keep their shape (``#`` full, ``+`` half, ``.`` low), arrows
become ``->``, and anything else its closest ASCII letters or ``?``.
"""

from __future__ import annotations

import codecs
import sys
import unicodedata
from typing import Any

HANDLER = "okrctl-substitute"

_SUBSTITUTES = {
    # bars and sparklines (lowest to highest), shades
    "▁": "_",
    "▂": ".",
    "▃": ":",
    "▄": "-",
    "▅": "=",
    "▆": "+",
    "▇": "*",
    "█": "#",
    "▒": "+",
    "░": ".",
    "▓": "%",
    # lines, arrows, marks
    "┃": "|",
    "│": "|",
    "─": "-",
    "━": "-",
    "·": ".",
    "•": "*",
    "…": "...",
    "→": "->",
    "←": "<-",
    "⇒": "=>",
    "⇢": "~>",
    "↑": "^",
    "↓": "v",
    "▲": "^",
    "▼": "v",
    "◆": "*",
    "●": "o",
    "○": "o",
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "✖": "x",
    "⚠": "!",
    "±": "+-",
    "−": "-",
    "–": "-",
    "—": "--",
    "≥": ">=",
    "≤": "<=",
    "×": "x",
    "“": '"',
    "”": '"',
    "‘": "'",
    "’": "'",
    "\u00a0": " ",
}


def _substitute(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    out = []
    for ch in error.object[error.start : error.end]:
        known = _SUBSTITUTES.get(ch)
        if known is None:
            # Letters with accents keep their letter (é → e); anything else is a question mark.
            known = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode("ascii") or "?"
        out.append(known)
    return "".join(out), error.end


def encoding_of(stream: object) -> str:
    """The stream's encoding, named one way: ``utf8``, ``utf8sig``, ``latin1``, ``cp1252`` ("" when
    it has none)."""
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")


def tolerant_streams() -> None:
    """Make stdout and stderr write substitutes instead of raising on unencodable characters."""
    try:
        codecs.lookup_error(HANDLER)
    except LookupError:
        codecs.register_error(HANDLER, _substitute)
    for stream in (sys.stdout, sys.stderr):
        reconfigure: Any = getattr(stream, "reconfigure", None)
        if reconfigure is None or encoding_of(stream) in ("utf8", "utf16", "utf32"):
            continue
        try:
            reconfigure(errors=HANDLER)
        except (ValueError, OSError):  # a closed or detached stream: nothing to protect
            continue
