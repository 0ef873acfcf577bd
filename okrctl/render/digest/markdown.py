"""The digest as Markdown (a wiki page, a pull request comment, chats that render Markdown)."""

from __future__ import annotations

from okrctl.render.digest import CODE, MENTION, Segment, not_read, sections, spaced, summary, title
from okrctl.render.escape import md, md_code
from okrctl.views.digest import Digest


def _item(segments: list[Segment]) -> str:
    out = []
    for kind, text in segments:
        if kind == CODE:
            out.append(md_code(text))
        elif kind == MENTION:
            out.append(md(text))  # an e-mail address, as it is (see the text renderer)
        else:
            out.append(spaced(text, md))
    return "".join(out)


def render(digest: Digest, *, color: bool = False, width: int = 100) -> str:
    lines = [f"## {md(title(digest))}", "", md(summary(digest))]
    for section in sections(digest):
        lines += ["", f"### {md(section.title)}", ""]
        lines += [f"- {_item(item)}" for item in section.items] or ["_none_"]
    if not digest.history_read:
        lines += ["", f"_{md(not_read(digest))}_"]
    return "\n".join(lines) + "\n"
