"""``Reading``: key result values measured from data on one date (no confidence: that stays the team's)."""

from __future__ import annotations

from typing import Literal, Union

from okrctl.model.base import Document, IsoDate, Ref, Slug, Text
from okrctl.model.checkin import ResultEntry, ResultValue


class Reading(Document):
    kind: Literal["Reading"]
    owner: Slug
    date: IsoDate
    # Where the numbers came from: a file name, a dashboard, a query.
    source: Text
    author: Text | None = None
    # KR id, or objective-id/kr-id where a bare id is ambiguous (as in a check-in's results).
    values: dict[Ref, Union[ResultValue, ResultEntry]]

    def result_value(self, key: str) -> float | bool | None:
        entry = self.values.get(key)
        if isinstance(entry, ResultEntry):
            return entry.value
        return entry

    def result_note(self, key: str) -> str | None:
        entry = self.values.get(key)
        return entry.note if isinstance(entry, ResultEntry) else None
