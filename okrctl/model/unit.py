"""``Unit``: a node of the organisation tree."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import StringConstraints

from okrctl.model.base import Document, Slug, Text, empty_list
from okrctl.safetext import HIDDEN_FORMAT

# No space, and no control or invisible character (an escape sequence, a bidi override, a tag
# character: the joiners and every format character that hides text, ``safetext.HIDDEN_FORMAT``):
# an address is written into CODEOWNERS and mentioned in chats as it is. Nor what only a display
# form or a quoted local part holds (``<x@y.com>``, a comma, brackets, a quote): CODEOWNERS takes
# plain addresses, and a ``#`` there starts a comment.
# Written to the JSON Schema as it is, so valid as an ECMA-262 regular expression in Unicode mode
# too, where only syntax characters may be escaped: the quote stands unescaped, and the format
# characters above U+FFFF stand as themselves (ECMA-262 and Python spell their escapes differently).
_NOT_IN_EMAIL = r"@\s<>#,;:" '"' r"()\[\]\\\x00-\x1f\x7f-\x9f\u200c\u200d" + HIDDEN_FORMAT
Email = Annotated[str, StringConstraints(pattern=rf"^[^{_NOT_IN_EMAIL}]+@[^{_NOT_IN_EMAIL}]+$", max_length=254)]
_ADDRESS = re.compile(rf"[^{_NOT_IN_EMAIL}]+@[^{_NOT_IN_EMAIL}]+")


def is_address(text: object) -> bool:
    """Whether ``text`` is a member address a Unit takes (``Email``)."""
    return isinstance(text, str) and len(text) <= 254 and _ADDRESS.fullmatch(text) is not None


def distinct_people(addresses: Iterable[str]) -> list[str]:
    """Each person of ``addresses`` once, as first written: ``Ana@Example.com`` and
    ``ana@example.com`` are one person to a git host or a chat (they match addresses whatever the
    case), not two owners of a CODEOWNERS line or two mentions."""
    seen: set[str] = set()
    out: list[str] = []
    for address in addresses:
        if address.lower() not in seen:
            seen.add(address.lower())
            out.append(address)
    return out


UnitType = Literal["company", "business-unit", "team"]
# The units whose objectives are strategic: something below them should align to each (OKR202).
STRATEGIC_UNIT_TYPES = ("company", "business-unit")


class Unit(Document):
    kind: Literal["Unit"]
    id: Slug
    name: Text | None = None
    type: UnitType = "team"
    parent: Slug | None = None
    members: list[Email] = empty_list()

    @property
    def display_name(self) -> str:
        return self.name or self.id

    @property
    def people(self) -> list[str]:
        """The members, each once as first written (``distinct_people``)."""
        return distinct_people(self.members)
