"""``Strategy``: the bold priorities of a unit for a cycle."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from okrctl.model.base import CycleId, Document, Slug, Strict_, Text, empty_list


class Priority(Strict_):
    id: Slug
    title: Text


class Strategy(Document):
    kind: Literal["Strategy"]
    id: Slug
    owner: Slug
    cycle: CycleId
    vision: Text | None = None
    priorities: list[Priority] = Field(min_length=1)
    not_doing: list[Text] = empty_list()
