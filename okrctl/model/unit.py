"""``Unit``: a node of the organisation tree."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from okrctl.model.base import Document, Slug, Text, empty_list

Email = Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+$", max_length=254)]
UnitType = Literal["company", "business-unit", "team"]


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
