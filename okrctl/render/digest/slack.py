"""The digest as a Slack Block Kit payload for an incoming webhook (``curl -d @digest.json``).

Each list is a ``rich_text`` block: a bold heading and a bulleted list whose entries are ``text``
elements. Slack shows such text as it is, never as markup: mrkdwn has no escape for ``*``, ``_``,
``~`` or a backtick, so a title like ``*urgent*`` or ``~old~`` would be drawn bold or struck
through in a ``mrkdwn`` section. ids are text styled as code; members are shown by their e-mail
(Slack mentions need member ids, which the repository does not hold). The only mrkdwn left is
the message's ``text``, the fallback a notification shows: its ``&``, ``<`` and ``>`` are escaped,
so that no title can become a link or a mention such as ``<!channel>``. Lists are cut to Slack's
limits (3000 characters of text a block, 150 in the header, 50 blocks a message), saying how many
entries were left out. A character is counted as a UTF-16 code unit, as a JavaScript string's
length counts it: an emoji beyond the Basic Multilingual Plane is two. Where Slack counts code
points instead, the text is within its limits all the same.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from okrctl.render.digest import CODE, Segment, not_read, sections, spaced, summary, title
from okrctl.render.envelope import dumps
from okrctl.safetext import one_line, one_written_line
from okrctl.views.digest import Digest

MAX_TEXT = 3000
MAX_HEADER = 150
# One entry's share of a list: a long one (a team of 120 members, an issue of a page) is cut to
# this, so that the entries after it are still listed within the block's 3000 characters.
MAX_ITEM = 600


def units(text: str) -> int:
    """The length of ``text`` in UTF-16 code units (a character beyond U+FFFF is two)."""
    return len(text) + sum(1 for character in text if ord(character) > 0xFFFF)


def cut(text: str, most: int) -> str:
    """The longest start of ``text`` within ``most`` UTF-16 code units that ends between two
    characters as a reader sees them (``_whole``): 👩‍💻, 🇵🇹 or 👍🏽 is kept or left out whole."""
    if len(text) <= most // 2 or units(text) <= most:
        return text
    used = 0
    for index, character in enumerate(text):
        used += 2 if ord(character) > 0xFFFF else 1
        if used > most:
            return text[: _whole(text, index)]
    return text


_ZWJ = "\u200d"


def _joins(character: str, before: str) -> bool:
    """Whether ``character`` belongs to ``before``, the one written before it: a mark (a vowel sign
    is one too), a variation selector, a skin tone, a tag of a subdivision flag, a zero-width
    joiner, a letter after a virama (a conjunct: क्ष), or a Hangul vowel or final after a jamo
    or syllable (각 written as three jamo)."""
    code = ord(character)
    if (
        character == _ZWJ
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
        or 0xE0100 <= code <= 0xE01EF
        or unicodedata.category(character) in ("Mn", "Me", "Mc")
    ):
        return True
    if unicodedata.combining(before) == 9 and unicodedata.category(character) == "Lo":  # 9: a virama
        return True
    return _hangul_tail(code) and (_hangul_tail(ord(before)) or _hangul_lead(ord(before)))


def _hangul_lead(code: int) -> bool:
    """A leading consonant jamo, or a syllable (which a vowel or a final may follow)."""
    return 0x1100 <= code <= 0x115F or 0xA960 <= code <= 0xA97C or 0xAC00 <= code <= 0xD7A3


def _hangul_tail(code: int) -> bool:
    """A vowel or final consonant jamo: it belongs to the jamo or syllable before it."""
    return 0x1160 <= code <= 0x11FF or 0xD7B0 <= code <= 0xD7FB


def _regional(character: str) -> bool:
    return 0x1F1E6 <= ord(character) <= 0x1F1FF  # a letter of a flag (two make one)


def _whole(text: str, index: int) -> int:
    """``index``, moved back to the start of the character-as-seen it falls inside."""
    while 0 < index < len(text):
        if _joins(text[index], text[index - 1]) or text[index - 1] == _ZWJ:
            index -= 1
            continue
        if _regional(text[index]) and _regional(text[index - 1]):
            run = 0
            while index - run - 1 >= 0 and _regional(text[index - run - 1]):
                run += 1
            if run % 2:  # the cut would part a flag's two letters
                index -= 1
                continue
        break
    return index


def escape(text: object) -> str:
    """Text for a mrkdwn field (the notification's fallback): ``&``, ``<`` and ``>`` escaped."""
    return one_written_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(text: str, **style: bool) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "text", "text": text}
    if style:
        element["style"] = style
    return element


def _entry(segments: list[Segment], most: int = MAX_ITEM) -> list[dict[str, Any]]:
    """The ``text`` elements of one entry, cut to ``most`` characters with "…" (the text as it is,
    one line each; ids as code)."""
    out: list[dict[str, Any]] = []
    left = most
    for kind, raw in segments:
        text = spaced(raw, one_written_line)
        if not text:
            continue
        if units(text) > left:
            text = cut(text, max(left - 1, 0)).rstrip() + "…"
            out.append(_text(text, code=True) if kind == CODE else _text(text))
            break
        if kind != CODE and out and "style" not in out[-1]:
            out[-1]["text"] += text  # one element for the plain text between two ids
        else:
            out.append(_text(text, code=True) if kind == CODE else _text(text))
        left -= units(text)
    return out or [_text(" ")]


def _length(elements: list[dict[str, Any]]) -> int:
    return sum(units(e["text"]) for e in elements)


def _list_block(heading: str, entries: list[list[Segment]]) -> dict[str, Any]:
    """A bold heading and the entries as a bulleted list, within ``MAX_TEXT`` characters of text."""
    used = units(heading)
    items: list[dict[str, Any]] = []
    for index, segments in enumerate(entries):
        elements = _entry(segments)
        if used + _length(elements) > MAX_TEXT - 40:
            items.append(
                {"type": "rich_text_section", "elements": [_text(f"… and {len(entries) - index} more", italic=True)]}
            )
            break
        items.append({"type": "rich_text_section", "elements": elements})
        used += _length(elements)
    return {
        "type": "rich_text",
        "elements": [
            {"type": "rich_text_section", "elements": [_text(heading, bold=True)]},
            {"type": "rich_text_list", "style": "bullet", "elements": items},
        ],
    }


def _shortened(item: str, most: int = MAX_ITEM) -> str:
    """``item`` (escaped mrkdwn) cut to ``most`` characters with "…", never inside an escape
    (``&amp;``)."""
    if units(item) <= most:
        return item
    start = cut(item, most - 2)
    amp = start.rfind("&")
    if amp > start.rfind(";"):
        start = start[:amp]  # "&am" would show as text, or swallow what follows
    return start.rstrip() + "…"


def _plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(one_line(text), MAX_TEXT) or " ", "emoji": False}


def _header(digest: Digest) -> str:
    """The title within Slack's 150 characters of a header: a long unit name is cut with "…",
    never the week it is about."""
    full = one_written_line(title(digest))  # a joiner (👩‍💻) stays, as in every Slack text
    week = f" · week to {digest.today.isoformat()}"
    if units(full) <= MAX_HEADER or not full.endswith(week):
        return cut(full, MAX_HEADER)
    return cut(full[: -len(week)], MAX_HEADER - units(week) - 1).rstrip() + "…" + week


def payload(digest: Digest) -> dict[str, Any]:
    header = escape(_header(digest))
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": _header(digest), "emoji": False},
        },
        {"type": "context", "elements": [_plain(summary(digest))]},
    ]
    shown = [s for s in sections(digest) if s.items]
    for section in shown:
        blocks.append({"type": "divider"})
        blocks.append(_list_block(f"{one_line(section.title)} ({len(section.items)})", section.items))
    if not shown:
        blocks.append({"type": "section", "text": _plain("Nothing to report this week.")})
    if not digest.history_read:
        # Last, and kept within Slack's 50 blocks: "nothing to report" must not read as "no target moved".
        note = {"type": "context", "elements": [_plain(not_read(digest))]}
        blocks = [*blocks[:49], note]
    return {"text": header, "blocks": blocks[:50]}


def render(digest: Digest, *, color: bool = False, width: int = 100) -> str:
    return dumps(payload(digest)) + "\n"
