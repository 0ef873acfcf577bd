"""``Reading``: key result values measured from data on one date (no confidence: that stays the team's)."""

from __future__ import annotations

from typing import Literal, Union

from okrctl.model.base import Document, IsoDate, Ref, Slug, Text
from okrctl.model.checkin import ResultEntry, ResultValue


class ReadingEntry(ResultEntry):
    """A measured value with its note and, when the reading's values came from several sources, its own."""

    source: Text | None = None


class Reading(Document):
    kind: Literal["Reading"]
    owner: Slug
    date: IsoDate
    # Where the numbers came from: a file name, a dashboard, a query (every one, when several).
    source: Text
    author: Text | None = None
    # KR id, or objective-id/kr-id where a bare id is ambiguous (as in a check-in's results).
    values: dict[Ref, Union[ResultValue, ReadingEntry]]

    def result_value(self, key: str) -> float | bool | None:
        entry = self.values.get(key)
        if isinstance(entry, ResultEntry):
            return entry.value
        return entry

    def result_note(self, key: str) -> str | None:
        entry = self.values.get(key)
        return entry.note if isinstance(entry, ResultEntry) else None

    def result_source(self, key: str) -> str:
        """Where the value of ``key`` came from: its own ``source``, else the reading's (a reading
        of one source, or one written before values had their own)."""
        entry = self.values.get(key)
        own = entry.source if isinstance(entry, ReadingEntry) else None
        return own or self.source
