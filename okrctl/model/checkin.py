"""``CheckIn``: one team's GRIP check-in on one date."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, Strict

from okrctl.model.base import Document, IsoDate, Number, Ref, Slug, Strict_, Text, empty_dict

# Strict: text is never a boolean (``yes``, ``on`` and ``"1"`` are text in YAML 1.2, as the docs say).
ResultValue = Union[Annotated[bool, Strict()], Number]


class ResultEntry(Strict_):
    value: ResultValue
    note: Text | None = None


class CheckIn(Document):
    kind: Literal["CheckIn"]
    owner: Slug
    date: IsoDate
    author: Text | None = None
    # G: one number, or one per objective when the owner has several.
    confidence: Number | dict[Slug, Number] | None = None
    # R: KR id, or objective-id/kr-id where a bare id is ambiguous.
    results: dict[Ref, Union[ResultValue, ResultEntry]] = empty_dict()
    issues: list[Text] = Field(default_factory=list)
    plan: list[Text] = Field(default_factory=list)

    def result_value(self, key: str) -> float | bool | None:
        entry = self.results.get(key)
        if isinstance(entry, ResultEntry):
            return entry.value
        return entry

    def result_note(self, key: str) -> str | None:
        entry = self.results.get(key)
        return entry.note if isinstance(entry, ResultEntry) else None
