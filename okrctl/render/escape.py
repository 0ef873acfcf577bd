"""Escaping for each output language, so that text from the repository is shown, never obeyed.

Every function first applies ``one_written_line`` (terminal escapes and control characters removed,
white space folded; the zero-width joiners that spell words and emoji kept), then the quoting
rules of its language.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from okrctl.safetext import one_written_line

# CommonMark: any ASCII punctuation may be backslash-escaped. These are the ones that can start
# markup inside a line: emphasis, code, links and images (a "(" is harmless once "[" is escaped),
# HTML, strikethrough, GitHub math; "&" becomes "&amp;" so that no entity reference is decoded.
# A pipe is left as it is: in a paragraph it is only a pipe, and GitHub makes a link of a bare URL
# with the backslash or the "&#124;" an escape would leave in it (``https://e.com/a\\|b``). Table
# cells escape their pipes themselves (``md_cell``), where GitHub takes the escape out before it
# reads the cell's text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#+!~$])")
_MD_LEADING = re.compile(r"^(\d{0,9})([-.)])(?=\s|$)")
# A line of only pipes, dashes, colons and blanks under a line of text would make the two a table
# (the delimiter row); "---" or "===" alone would make the line above a heading.
_MD_RULE_LIKE = re.compile(r"[\s|:=-]*")


# An "@" that starts a word mentions someone where Markdown is posted (a GitHub comment, a GitLab
# merge-request note: "@all" notifies every member). A word joiner (U+2060, invisible) after it
# leaves the text as it reads and mentions nobody: both look for a letter, digit, "_" (GitLab: or
# ".") right after the "@", and a backslash escape would not do (the "@" is plain text again once
# rendered). Both take an "@" for the start of a word after anything but an ASCII letter, digit or
# "_" (their "\w" is ASCII): after "-", "." or "+" ("cc-@all"), and after "é" ("café@all"), it
# mentions. An address's "@" follows an ASCII letter or digit ("ana@example.com"): it is left alone.
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@(?=[\w.])")
WORD_JOINER = "\u2060"


def no_mention(markdown: str) -> str:
    """Markdown in which no "@" starts a mention (``_MENTION``)."""
    return _MENTION.sub("@" + WORD_JOINER, markdown) if "@" in markdown else markdown


def rule_like(markdown: str) -> bool:
    """Whether a line of this text alone could be a table's delimiter row or a heading's underline."""
    return _MD_RULE_LIKE.fullmatch(markdown) is not None


# A web address in the text, as far as GitHub would link it bare: it ends at a blank, "<", ">",
# a quote, or punctuation outside ASCII (the digest's own closing "”"), and the ".", ",", ")" and
# the like after it are the sentence's. GitHub links such an address from the Markdown source, so a
# backslash or an "&amp;" written in it would stay in the link and its text ("TAX\_RULES"). It is
# written whole instead: as ``<url>``, where CommonMark reads no backslash escape and which ends
# where the address does; an address without its scheme as ``[text](<http://www…>)``.
_WEB_ADDRESS = re.compile(
    r"(?<![A-Za-z])(?P<scheme>(?i:https?|ftp)://|(?<![0-9])www\.)[^\s<>\"«»\u2000-\u206f\u3000-\u303f]+"
)
_ADDRESS_TAIL = "?!.,:;*_~'"
# Inside ``<url>`` and a link's destination GitHub still decodes "&copy;" and the like.
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def _md_escaped(text: str) -> str:
    """Text with no markup in it: ``&`` as ``&amp;`` and every markup character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))


def _address(found: re.Match[str]) -> str:
    """The address ``found`` without the punctuation after it that GitHub leaves out of a bare link;
    "" when nothing is left after its scheme."""
    url, scheme = found.group(), len(found.group("scheme"))
    while len(url) > scheme and (url[-1] in _ADDRESS_TAIL or (url[-1] == ")" and url.count(")") > url.count("("))):
        url = url[:-1]
    return url if len(url) > scheme else ""


def _md_link(url: str) -> str:
    """A web address as a link whose text and target are the address as written."""
    kept = _ENTITY_LIKE.sub("&amp;", url)
    if url.startswith("www."):
        target = kept.replace("\\", "\\\\")  # a link destination does read backslash escapes
        return f"[{_md_escaped(url)}](<http://{target}>)"
    return f"<{kept}>"


def md_text(text: str, escape: Callable[[str], str] = _md_escaped) -> str:
    """One line of text made literal for Markdown (by ``escape``; ``_MD_SPECIAL`` unless told), each
    web address in it a link that GitHub keeps whole (``_WEB_ADDRESS``), and no "@" outside those
    links starting a mention (``no_mention``). No mention starts inside a link, and a joiner there
    would be in its target too (``https://www.npmjs.com/package/@%E2%81%A0babel/core``)."""
    out, done = [], 0
    for found in _WEB_ADDRESS.finditer(text):
        url = _address(found)
        if url:
            out += [no_mention(escape(text[done : found.start()])), _md_link(url)]
            done = found.start() + len(url)
    out.append(no_mention(escape(text[done:])))
    return "".join(out)


def md(text: object) -> str:
    """Literal text for Markdown, in a line or (through ``md_cell``) in a GitHub table cell."""
    value = md_text(one_written_line(text))
    if value and rule_like(value):
        return re.sub(r"([|:=-])", r"\\\1", value)
    # At the start of a list item, "- x" or "1. x" would open a nested list.
    return _MD_LEADING.sub(r"\1\\\2", value)


def md_code(text: object) -> str:
    """An inline code span that cannot be broken out of (ids, refs); in a table cell, through
    ``md_cell`` like any other text."""
    value = one_written_line(text)
    fence = "`"
    while fence in value:
        fence += "`"
    pad = " " if value.startswith("`") or value.endswith("`") else ""
    return f"{fence}{pad}{value}{pad}{fence}"


_CELL_PIPE = re.compile(r"\\[\\|]|\|")


def md_cell(markdown: str) -> str:
    """Markdown already escaped (``md``, ``md_code``, okrctl's own markup) made one GitHub table
    cell: every pipe not yet escaped is written ``\\|``, also inside a code span (GitHub takes the
    backslash of ``\\|`` out of a cell before it reads the cell's inline markup)."""
    return _CELL_PIPE.sub(lambda m: "\\|" if m.group() == "|" else m.group(), markdown)


def md_row(*cells: str) -> str:
    """A GitHub table row of cells already escaped for Markdown."""
    return "| " + " | ".join(md_cell(cell) for cell in cells) + " |"


def h(text: object) -> str:
    """Literal text for HTML content and attribute values (quotes escaped too)."""
    return html.escape(one_written_line(text), quote=True)


# Text from the repository may be written right to left (Arabic, Hebrew). Put as it is beside the
# page's own words, the Unicode bidi algorithm joins it with the numbers and punctuation around it:
# "— <name>, 55% done" is drawn "— 55 ,<name>% done". In a <bdi> it is laid out on its own, in its
# own direction, and the page's text keeps its order (a browser's style sheet isolates <bdi>; the
# bidi controls that could close it early are gone, ``one_written_line``). An attribute value is
# no layout: it keeps ``h``.
def bdi(text: object) -> str:
    """A piece of repository text for HTML element content: escaped (``h``) and isolated (``<bdi>``)."""
    value = h(text)
    return f"<bdi>{value}</bdi>" if value else ""


def bdi_in(text: object, *pieces: object) -> str:
    """A phrase of okrctl's words that holds pieces of repository text (``"{name} owns no objective"``,
    ``"32 → 24 {unit}"``), for HTML element content: escaped, and each of ``pieces`` in it isolated
    as ``bdi`` isolates a whole text. Where a piece's words happen to occur in okrctl's own words as
    well, those are isolated too, which changes nothing for left-to-right words."""
    value = one_written_line(text)
    wanted = sorted({one_written_line(p) for p in pieces} - {""}, key=len, reverse=True)
    if not wanted:
        return html.escape(value, quote=True)
    split = re.split("(" + "|".join(re.escape(p) for p in wanted) + ")", value)
    # re.split with one group: the pieces found are at the odd places, okrctl's words between them.
    return "".join(
        f"<bdi>{html.escape(part, quote=True)}</bdi>" if i % 2 else html.escape(part, quote=True)
        for i, part in enumerate(split)
    )


# "%" too: Mermaid looks for ``%%{...}%%`` directives anywhere in the text, inside a quoted label
# or a comment as well, and obeys them (theme, CSS); a bare ``%%{`` stops the whole diagram. And
# ":": before it decodes entities, Mermaid drops the last ";" of any line that matches
# ``style.*:\S*#.*;`` (or ``classDef``), meant for its own style statements; a title such as
# "style guide at https://wiki/a#b" matched, and an entity written after it lost its ";".
_MERMAID_ENTITY = {
    ":": "#58;",
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
    title would be drawn as ``R&D`` and ``&lt;b&gt;`` as markup-looking text. A character XML 1.0
    forbids (U+FFFE, U+FFFF) is U+FFFD: Graphviz copies it into the SVG, which no XML parser reads."""
    escaped = one_written_line(text).replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
    return '"' + xml_chars(escaped) + '"'


# Characters XML 1.0 cannot carry at all, not even as a character reference.
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_chars(text: str) -> str:
    """``text`` with every character XML 1.0 forbids replaced by U+FFFD, so any parser accepts it."""
    return _XML_INVALID.sub("\ufffd", text)
