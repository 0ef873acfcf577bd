"""Cycles: named date ranges (inclusive). Calendar names are understood without declaration."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_YEAR = re.compile(r"^([0-9]{4})\Z")
_QUARTER = re.compile(r"^([0-9]{4})-Q([1-4])\Z")
_HALF = re.compile(r"^([0-9]{4})-H([12])\Z")


@dataclass(frozen=True)
class Cycle:
    id: str
    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Cycle) -> bool:
        return self.start <= other.end and other.start <= self.end


# A cycle may be declared over centuries (0001-01-01..9999-12-31): a weekly series holds at most
# the latest MAX_WEEKS weeks, so its size is bounded whatever the dates say.
MAX_WEEKS = 260


def weeks_of(cycle: Cycle, today: date, *, limit: int = MAX_WEEKS) -> list[tuple[int, date, date]]:
    """(number, start, end) of the weeks of the cycle that have begun by today, the latest ``limit``.

    Week 1 starts on the cycle's first day; the last week may be running (it ends today) and the
    cycle's last week may be short. Counted with day numbers, so 9999-12-31 is no edge.
    """
    last_day = min(today, cycle.end)
    if last_day < cycle.start:
        return []
    first_ordinal, last_ordinal = cycle.start.toordinal(), last_day.toordinal()
    count = (last_ordinal - first_ordinal) // 7 + 1
    out = []
    for index in range(max(0, count - limit), count):
        start = first_ordinal + 7 * index
        out.append((index + 1, date.fromordinal(start), date.fromordinal(min(start + 6, last_ordinal))))
    return out


def days_before(day: date, days: int) -> date:
    """``day`` minus ``days``, never before 0001-01-01 (the first day a date can have)."""
    return date.fromordinal(max(1, day.toordinal() - days))


def days_after(day: date, days: int) -> date:
    """``day`` plus ``days``, never after 9999-12-31 (the last day a date can have)."""
    return date.fromordinal(min(date.max.toordinal(), day.toordinal() + days))


def _month_end(year: int, month: int) -> date:
    if month == 12:
        return date(year, 12, 31)
    return date(year, month + 1, 1) - timedelta(days=1)


def calendar_cycle(cycle_id: str) -> Cycle | None:
    """``YYYY``, ``YYYY-Qn`` or ``YYYY-Hn``; None for any other name.

    Year 0000 has no calendar (dates start at 0001-01-01): such a name is an unknown cycle.
    """
    if cycle_id.startswith("0000"):
        return None
    if m := _YEAR.match(cycle_id):
        year = int(m.group(1))
        return Cycle(cycle_id, date(year, 1, 1), date(year, 12, 31))
    if m := _QUARTER.match(cycle_id):
        year, quarter = int(m.group(1)), int(m.group(2))
        first = 3 * quarter - 2
        return Cycle(cycle_id, date(year, first, 1), _month_end(year, first + 2))
    if m := _HALF.match(cycle_id):
        year, half = int(m.group(1)), int(m.group(2))
        first = 1 if half == 1 else 7
        return Cycle(cycle_id, date(year, first, 1), _month_end(year, first + 5))
    return None


def calendar_cycle_like(cycle_id: str, day: date) -> str | None:
    """The name of the calendar cycle of ``cycle_id``'s kind (a year, a half or a quarter) whose
    calendar dates contain ``day``; None when ``cycle_id`` is no calendar name."""
    if _YEAR.match(cycle_id):
        return f"{day.year:04d}"
    if _HALF.match(cycle_id):
        return f"{day.year:04d}-H{(day.month - 1) // 6 + 1}"
    if _QUARTER.match(cycle_id):
        return f"{day.year:04d}-Q{(day.month - 1) // 3 + 1}"
    return None


class CycleCatalog:
    """Declared cycles (which may redefine calendar names, e.g. fiscal years) then calendar ones."""

    def __init__(self, declared: list[Cycle] | None = None) -> None:
        self.declared = {c.id: c for c in declared or []}
        self._memo: dict[str, Cycle | None] = {}

    def get(self, cycle_id: str) -> Cycle | None:
        try:
            return self._memo[cycle_id]
        except KeyError:
            found = self._memo[cycle_id] = self.declared.get(cycle_id) or calendar_cycle(cycle_id)
            return found

    def known_ids(self) -> list[str]:
        return list(self.declared)
