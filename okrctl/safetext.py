"""Text from the repository is shown literally: control and escape sequences never reach a terminal."""

from __future__ import annotations

import re
import unicodedata

# Control characters (tab and newline stay), and the invisible characters that make text read
# other than it is: bidi embeddings, overrides and isolates (U+202A-202E, U+2066-2069, the
# "Trojan Source" reordering), the bidi marks (U+061C, U+200E, U+200F) and zero-width characters
# (U+200B-200F, U+2060-2064, U+FEFF).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# The same, less the zero-width joiner and non-joiner (U+200C, U+200D): they spell words in Persian
# and Indic scripts and join emoji (👩‍💻), and reorder nothing. Kept where the reader's own renderer
# lays the text out (HTML, Markdown, chat, diagrams); a terminal's cells are counted without them.
_CONTROL_BUT_JOINERS = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: object) -> str:
    """Remove terminal escape sequences and control characters (tabs and newlines stay)."""
    value = str(text)
    if "\x1b" in value:
        value = _ANSI.sub("", value)
    return _CONTROL.sub("", value)


def hides_text(char: str) -> bool:
    """Whether ``char`` is an invisible format character (Unicode category Cf): a bidi embedding,
    override, isolate or mark, a zero-width space, U+2060, U+FEFF, a tag character. It reorders or
    hides the text around it where it stands raw. The zero-width joiner and non-joiner are not
    counted: they spell words and join emoji, and reorder nothing (see ``_CONTROL_BUT_JOINERS``)."""
    return unicodedata.category(char) == "Cf" and char not in "\u200c\u200d"


def holds_hidden(text: str) -> bool:
    """Whether ``text`` holds a character ``hides_text``."""
    return not text.isascii() and any(hides_text(c) for c in text)


def hidden_escaped(text: str) -> str:
    """``text`` with each character that ``hides_text`` as ``\\uXXXX`` (``\\UXXXXXXXX`` above
    U+FFFF): for the inside of a double-quoted YAML scalar, which reads the escape back as that very
    character, and which every editor and review then shows as written."""
    if not holds_hidden(text):
        return text
    return "".join(
        (f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}") if hides_text(c) else c for c in text
    )


def one_line(text: object) -> str:
    """``clean`` and fold every run of white space into one space."""
    return " ".join(clean(text).split())


def one_written_line(text: object) -> str:
    """``one_line`` for a document another program renders (HTML, Markdown, Slack, Mermaid, DOT):
    the zero-width joiner and non-joiner stay, as written (``_CONTROL_BUT_JOINERS``)."""
    value = str(text)
    if "\x1b" in value:
        value = _ANSI.sub("", value)
    return " ".join(_CONTROL_BUT_JOINERS.sub("", value).split())


# In a path, every character that could end a line, move the cursor or reorder text is written
# as an escape instead of being dropped, so the name shown still tells which file it is.
_PATH_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def undecoded_bytes(text: str) -> list[int]:
    """The bytes of ``text`` that were not text in the locale's encoding, each once, in order:
    Python reads the command line, the environment, file names and the terminal with
    ``surrogateescape``, each such byte a lone surrogate (0xe9 as U+DCE9)."""
    return sorted({ord(c) - 0xDC00 for c in text if "\udc80" <= c <= "\udcff"})


def the_bytes(raw: list[int]) -> str:
    """``the byte 0xe9``, ``the bytes 0xe9, 0xfc`` (five at most, then "...")."""
    listed = ", ".join(f"0x{b:02x}" for b in raw[:5]) + (", ..." if len(raw) > 5 else "")
    return f"the byte{'s' if len(raw) > 1 else ''} {listed}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (``surrogateescape``): the byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Invisible characters a path may hold as it is, which a value quoted in a message must show: the
# reader is told about them (``'ana\u200d@example.com' is not an e-mail address``).
_INVISIBLE = re.compile(r"[\u00ad\u061c\u200b-\u200d\u2060-\u2064\ufeff]")


def shown_value(value: object) -> str:
    """A value quoted in a message: ``shown_path``, and invisible characters as ``\\uNNNN`` too."""
    return _INVISIBLE.sub(_escape, shown_path(value))


def shown_path(path: object) -> str:
    """A file path for a line of text output: control and bidi characters as ``\\xNN`` / ``\\uNNNN``.

    A newline in a file name must not start a new output line (a CI log would read it as a
    workflow command), and an escape sequence must not reach the terminal.
    """
    return _PATH_UNSAFE.sub(_escape, str(path))
