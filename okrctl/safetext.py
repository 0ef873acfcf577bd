"""Text from the repository is shown literally: control and escape sequences never reach a terminal."""

from __future__ import annotations

import re
import unicodedata

# Unicode's format characters (category Cf) that hide or reorder the text around them where they
# stand raw, as Python 3.11's unicodedata (Unicode 14.0) has them. Written out rather than asked of
# unicodedata at import: the terminal and document cleaners below and the e-mail check of a member
# (``model.unit``) share them, and a test (tests/test_invisible_format_chars.py) compares them with
# unicodedata over every code point, so a newer Unicode's format characters are noticed.
HIDDEN_FORMAT_RANGES: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),  # soft hyphen
    (0x061C, 0x061C),  # Arabic letter mark
    (0x180E, 0x180E),  # Mongolian vowel separator
    (0x200B, 0x200B),  # zero-width space
    (0x200E, 0x200F),  # left-to-right and right-to-left marks
    (0x202A, 0x202E),  # bidi embeddings and overrides ("Trojan Source")
    (0x2060, 0x2064),  # word joiner, invisible mathematical operators
    (0x2066, 0x206F),  # bidi isolates, deprecated shaping and digit controls
    (0xFEFF, 0xFEFF),  # zero-width no-break space (byte order mark)
    (0xFFF9, 0xFFFB),  # interlinear annotation controls
    (0x13430, 0x13438),  # Egyptian hieroglyph format controls
    (0x1BCA0, 0x1BCA3),  # shorthand format controls
    (0x1D173, 0x1D17A),  # musical symbol format controls
    (0xE0001, 0xE0001),  # language tag
    (0xE0020, 0xE007F),  # tag characters (invisible ASCII)
)
# The format characters not among them: the zero-width joiner and non-joiner (U+200C, U+200D)
# spell words in Persian and Indic scripts and join emoji (👩‍💻), and reorder nothing: kept where
# the reader's own renderer lays the text out (HTML, Markdown, chat, diagrams), removed on a
# terminal, whose cells are counted without them. The "prepended concatenation marks" are drawn
# (U+0600 ARABIC NUMBER SIGN spans the digits after it, U+06DD END OF AYAH encloses them): they
# hide nothing, and removing them would change the text a reader of Arabic, Syriac or Kaithi sees.
DRAWN_FORMAT_RANGES: tuple[tuple[int, int], ...] = (
    (0x0600, 0x0605),
    (0x06DD, 0x06DD),
    (0x070F, 0x070F),
    (0x0890, 0x0891),
    (0x08E2, 0x08E2),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
)


def _class_item(code: int) -> str:
    # U+FFFF and below as a \uXXXX escape, read alike by Python, by pydantic's Rust regex and by
    # ECMA-262 (a JSON Schema's pattern); above, the character itself: no escape of it is common
    # to the three (Python has \UXXXXXXXX alone, ECMA-262 \u{XXXXX} alone).
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


def _class_text(ranges: tuple[tuple[int, int], ...]) -> str:
    """The inside of a regular expression's character class holding ``ranges``."""
    return "".join(
        _class_item(first) if first == last else f"{_class_item(first)}-{_class_item(last)}" for first, last in ranges
    )


# The inside of a character class of ``HIDDEN_FORMAT_RANGES``, for Python, pydantic and a JSON
# Schema's pattern alike.
HIDDEN_FORMAT = _class_text(HIDDEN_FORMAT_RANGES)

# Control characters (tab and newline stay), the zero-width joiner and non-joiner, and the format
# characters that hide or reorder text: what a terminal must not receive.
_CONTROL = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200c\u200d{HIDDEN_FORMAT}]")
# The same, less the joiners: for the documents another program renders.
_CONTROL_BUT_JOINERS = re.compile(rf"[\x00-\x08\x0b-\x1f\x7f-\x9f{HIDDEN_FORMAT}]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")


def clean(text: object) -> str:
    """Remove terminal escape sequences and control characters (tabs and newlines stay)."""
    value = str(text)
    if value.isprintable():  # no control or format character (most texts): nothing to remove
        return value
    if "\x1b" in value:
        value = _ANSI.sub("", value)
    return _CONTROL.sub("", value)


def hides_text(char: str) -> bool:
    """Whether ``char`` is an invisible format character (Unicode category Cf): a bidi embedding,
    override, isolate or mark, a zero-width space, U+2060, U+FEFF, a tag character. It reorders or
    hides the text around it where it stands raw. The zero-width joiner and non-joiner are not
    counted: they spell words and join emoji, and reorder nothing (see ``_CONTROL_BUT_JOINERS``).
    The drawn concatenation marks (``DRAWN_FORMAT_RANGES``) are, though the views keep them: written
    as an escape in YAML, they read back the same."""
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
    if code > 0xFFFF:  # a tag character (U+E0041) as Python and YAML write it
        return f"\\U{code:08x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# Invisible characters a path may hold as it is, which a value quoted in a message must show: the
# reader is told about them (``'ana\u200d@example.com' is not an e-mail address``). Every format
# character that hides text, and the joiners, which an address may not hold either.
_INVISIBLE = re.compile(rf"[\u200c\u200d{HIDDEN_FORMAT}]")


def shown_value(value: object) -> str:
    """A value quoted in a message: ``shown_path``, and invisible characters as ``\\uNNNN`` too."""
    return _INVISIBLE.sub(_escape, shown_path(value))


def shown_path(path: object) -> str:
    """A file path for a line of text output: control and bidi characters as ``\\xNN`` / ``\\uNNNN``,
    and ``##[`` as ``#\\x23[`` (``inert``).

    A newline in a file name must not start a new output line (a CI log would read it as a
    workflow command), and an escape sequence must not reach the terminal.
    """
    return inert(escaped_path(path))


def command_word(value: object) -> str:
    """``value`` (a path, a folder) as one word of a command a message tells the user to run:
    quoted for a POSIX shell where it needs it (``shlex.quote``), then as ``shown_path`` shows it.
    A pasted command runs what okrctl says, never what a name holds (``'x;touch PWNED;.yaml'``, a
    space); an ordinary name stays as it is (``checkins/cards/2026-11-19.yaml``)."""
    import shlex

    return shown_path(shlex.quote(str(value)))


def escaped_path(path: object) -> str:
    """A file path with control and bidi characters as ``\\xNN`` / ``\\uNNNN`` and nothing else
    changed: for a document another program reads a file's name from (JUnit's ``file``), where the
    name must stay the file's own; ``shown_path`` for a line of a log or terminal."""
    return _PATH_UNSAFE.sub(_escape, str(path))


# GitHub's runner still obeys its older form of workflow command, ``##[name]data``, wherever it
# stands in a line of a step's standard output or error (``##[stop-commands]TOKEN`` turns off every
# annotation after it, ``##[error]`` makes one up, ``##[add-mask]`` hides text).
_OLD_WORKFLOW_COMMAND = "##["
# The ``::name::`` form counts at the start of a line, the white space before it dropped first (the
# runner trims it): repository text gets there where a view wraps a title, an issue or a note (a
# newline in it folded into a space), and where a line starts with a file's name (``::error::x.yaml``
# at the root). The runner ends a line at a carriage return too.
_NEW_WORKFLOW_COMMAND = re.compile(r"(?<![^\r\n])([^\S\r\n]*):(?=:)")


def inert(text: str) -> str:
    """``text`` with every ``##[`` written ``#\\x23[`` (the second ``#`` as the escape
    ``shown_path`` writes), and a ``::`` that starts a line (after white space or not) written
    ``\\x3a:``, for text output: no runner reads a workflow command in it, and a reader still sees
    which characters the text holds. A name or value on its own counts as a line: where it stands
    in a line of output, it is shown the same."""
    text = text.replace(_OLD_WORKFLOW_COMMAND, "#\\x23[")
    if "::" not in text:  # (most texts)
        return text
    return _NEW_WORKFLOW_COMMAND.sub(lambda found: f"{found.group(1)}\\x3a", text)
