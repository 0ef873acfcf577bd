"""The digest as plain text (a terminal, an e-mail, a chat without formatting)."""

from __future__ import annotations

from okrctl.render.digest import MENTION, Segment, not_read, sections, spaced, summary, title
from okrctl.safetext import one_line
from okrctl.views.digest import Digest


def _item(segments: list[Segment]) -> str:
    # A member is an e-mail address (the Unit schema): shown as it is. An "@" before it, as chats
    # write a handle, made "@marta.ribeiro@example.com", which is neither a handle nor an address.
    return "".join(one_line(text) if kind == MENTION else spaced(text, one_line) for kind, text in segments)


def render(digest: Digest, *, color: bool = False, width: int = 100) -> str:
    lines = [one_line(title(digest)), one_line(summary(digest))]
    for section in sections(digest):
        lines.append("")
        lines.append(f"{section.title} ({len(section.items)})" if section.items else f"{section.title}: none")
        lines += [f"  - {_item(item)}" for item in section.items]
    if not digest.history_read:
        lines += ["", not_read(digest)]
    return "\n".join(lines) + "\n"
