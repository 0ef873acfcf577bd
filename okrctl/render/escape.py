"""Escaping for each output language, so that text from the repository is shown, never obeyed.

Every function first applies ``one_written_line`` (terminal escapes and control characters removed,
white space folded; the zero-width joiners that spell words and emoji kept), then the quoting
rules of its language.
"""

from __future__ import annotations

import html
import re

from okrctl.safetext import one_written_line

# CommonMark: any ASCII punctuation may be backslash-escaped. These are the ones that can start
# markup inside a line or a GFM table cell: emphasis, code, links and images (a "(" is harmless
# once "[" is escaped), HTML, table pipes, strikethrough, GitHub math; "&" becomes "&amp;" so
# that no entity reference is decoded.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!~$])")
_MD_LEADING = re.compile(r"^(\d{0,9})([-.)])(?=\s|$)")


def md(text: object) -> str:
    """Literal text for Markdown, safe inside a GitHub table cell."""
    # A pipe as a character reference: it splits no table cell, and outside a table it leaves no
    # backslash behind (GitHub keeps one in a link it makes of a bare URL).
    value = _MD_SPECIAL.sub(r"\\\1", one_written_line(text).replace("&", "&amp;")).replace("|", "&#124;")
    # At the start of a list item, "- x" or "1. x" would open a nested list.
    value = _MD_LEADING.sub(r"\1\\\2", value)
    return value


def md_code(text: object) -> str:
    """An inline code span that cannot be broken out of (ids, refs)."""
    value = one_written_line(text).replace("|", "\\|")
    fence = "`"
    while fence in value:
        fence += "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def h(text: object) -> str:
    """Literal text for HTML content and attribute values (quotes escaped too)."""
    return html.escape(one_written_line(text), quote=True)


# "%" too: Mermaid looks for ``%%{...}%%`` directives anywhere in the text, inside a quoted label
# or a comment as well, and obeys them (theme, CSS); a bare ``%%{`` stops the whole diagram.
_MERMAID_ENTITY = {
    '"': "#quot;",
    "#": "#35;",
    "<": "#lt;",
    ">": "#gt;",
    "&": "#amp;",
    "`": "#96;",
    "%": "#37;",
}


def mermaid_label(text: object) -> str:
    """A Mermaid label body for ``["..."]``: quotes, ``%`` and markup characters as ``#name;`` entities."""
    return "".join(_MERMAID_ENTITY.get(ch, ch) for ch in one_written_line(text))


def dot_string(text: object) -> str:
    """A Graphviz double-quoted string: backslashes and quotes escaped (no escString sequences), and
    ``&`` as ``&amp;``: Graphviz decodes HTML entity references in any label, so ``R&amp;D`` in a
    title would be drawn as ``R&D`` and ``&lt;b&gt;`` as markup-looking text."""
    return '"' + one_written_line(text).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"') + '"'


# Characters XML 1.0 cannot carry at all, not even as a character reference.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_chars(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD, so any parser accepts it."""
    return _XML_INVALID.sub("\ufffd", text)
