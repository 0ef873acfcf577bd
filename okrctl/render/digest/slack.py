"""The digest as a Slack Block Kit payload for an incoming webhook (``curl -d @digest.json``).

Text from the repository is escaped for Slack's mrkdwn (``&``, ``<``, ``>``), so a title can never
become a link or a mention; ids are shown as code. Slack mentions need member ids, which the
repository does not hold: members are shown by their e-mail. Sections are cut to Slack's limits
(3000 characters a text, 50 blocks a message), saying how many items were left out.
"""

from __future__ import annotations

import json
from typing import Any

from okrctl.render.digest import CODE, MENTION, Segment, not_read, sections, spaced, summary, title
from okrctl.safetext import one_line, one_written_line
from okrctl.views.digest import Digest

MAX_TEXT = 3000
MAX_HEADER = 150
# One entry's share of a section: a long one (a team of 120 members, an issue of a page) is cut to
# this, so that the entries after it are still listed within the section's 3000 characters.
MAX_ITEM = 600


def escape(text: object) -> str:
    return one_written_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _item(segments: list[Segment]) -> str:
    out = []
    for kind, text in segments:
        if kind == CODE:
            out.append("`" + escape(text).replace("`", "'") + "`")
        elif kind == MENTION:
            out.append(escape(text))
        else:
            out.append(spaced(text, escape))
    return "".join(out)


def _shortened(item: str, most: int = MAX_ITEM) -> str:
    """``item`` cut to ``most`` characters with "…", never inside an escape (``&amp;``) or a code
    span (an odd backtick is closed)."""
    if len(item) <= most:
        return item
    cut = item[: most - 2]
    amp = cut.rfind("&")
    if amp > cut.rfind(";"):
        cut = cut[:amp]  # "&am" would show as text, or swallow what follows
    if cut.count("`") % 2:
        cut += "`"
    return cut.rstrip() + "…"


def _section_text(heading: str, items: list[str]) -> str:
    text = f"*{heading}*"
    for index, item in enumerate(items):
        line = f"\n• {_shortened(item)}"
        rest = len(items) - index
        if len(text) + len(line) > MAX_TEXT - 40:
            text += f"\n… and {rest} more"
            break
        text += line
    return text


def payload(digest: Digest) -> dict[str, Any]:
    header = _shortened(escape(title(digest)), MAX_HEADER)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": one_line(title(digest))[:MAX_HEADER], "emoji": False},
        },
        {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(summary(digest))}]},
    ]
    shown = [s for s in sections(digest) if s.items]
    for section in shown:
        blocks.append({"type": "divider"})
        text = _section_text(f"{escape(section.title)} ({len(section.items)})", [_item(i) for i in section.items])
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": text}})
    if not shown:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "Nothing to report this week."}})
    if not digest.history_read:
        # Last, and kept within Slack's 50 blocks: "nothing to report" must not read as "no target moved".
        note = {"type": "context", "elements": [{"type": "mrkdwn", "text": escape(not_read(digest))}]}
        blocks = [*blocks[:49], note]
    return {"text": header, "blocks": blocks[:50]}


def render(digest: Digest, *, color: bool = False, width: int = 100) -> str:
    return json.dumps(payload(digest), indent=2, ensure_ascii=False) + "\n"
