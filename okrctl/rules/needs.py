"""Which valid check-ins the rules of ``align`` read, so that the load can leave out the others.

Most check-ins of a large repository are about cycles that have ended. For them only the rules of
every file (1xx) apply, and a stored check-in is known to be clean for those without building its
model: its owner, date and result keys are in the store's index. The load asks ``CheckinNeeds``
about each valid check-in; one it does not need is never read. A check-in is needed when any of
these holds (each line is what some rule reads):

* its owner is not a unit (OKR104; echo's misspelt owners);
* its date is after today (OKR502), or the owner has no objective on that day (OKR502);
* one of its result keys names no key result of the owner's objectives on that day, or its keys
  are not in the index (a confidence per objective, keys that are not plain text): OKR104, or
  OKR502 when they name an objective of the owner of another cycle;
* another check-in, valid or with errors, has the same owner and date (OKR102);
* it is the owner's latest check-in up to today (OKR501 says since when);
* it falls in the cycle of an objective of the owner that the rules judge: an objective of the
  selected cycles (OKR502–OKR509, OKR101 on a true/false for a metric key result of such an
  objective, and the objectives' states), or one that such an objective depends on (OKR404 reads
  its state, ``fleet.providing_objectives``).

A file with findings of its own (a valid check-in may have one: an okrctl comment okrctl cannot
follow) is never left out: the store summarises it as "not only valid check-ins".

Leaving out a check-in that is not needed cannot change a finding; reading one more than needed
only costs time. tests/test_align_needs.py compares ``align`` with and without this on
repositories built to hit each line above. A new rule that reads check-ins must add its line here.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import chain
from typing import Any

from okrctl.load.entry import KEYS_SEPARATOR
from okrctl.load.index import Repo
from okrctl.load.pipeline import Scope
from okrctl.load.unreadable import declared_with_errors

ONE_DAY = timedelta(days=1)


class CheckinNeeds:
    """The check-ins ``align`` needs on ``today`` for the selected ``cycles`` (None: all of them)."""

    def __init__(self, repo: Repo, today: date, cycles: set[str] | None) -> None:
        from okrctl.analysis.fleet import providing_objectives

        self.repo = repo
        self.today = today
        self.every = cycles is None
        self._days: dict[Any, date | None] = {}
        self._must: set[tuple[str, date]] = set()
        self._seen_elsewhere: list[tuple[Any, Any]] = []  # ``also_seen``
        self._stretches: dict[str, tuple[list[date], dict[int, dict[str, Any] | None]]] = {}
        spans: dict[str, set[tuple[date, date]]] = {}

        def judged(owner: str, cycle_id: str) -> None:
            cycle = repo.cycle(cycle_id)
            if cycle is not None:
                spans.setdefault(owner, set()).add((cycle.start, cycle.end))

        for doc in repo.objectives_in(cycles):
            model = doc.model
            judged(model.owner, str(model.cycle))
            for dep in model.depends_on:
                if dep.unit == model.owner or dep.unit not in repo.units:
                    continue
                for provider in providing_objectives(repo, model, dep.unit, today):
                    judged(provider.owner, str(provider.cycle))
        self._spans = {owner: sorted(found) for owner, found in spans.items()}

    def _day(self, value: Any) -> date | None:
        if isinstance(value, date):
            return value
        if not isinstance(value, str):
            return None
        if value not in self._days:
            try:
                self._days[value] = date.fromisoformat(value)
            except ValueError:
                self._days[value] = None
        return self._days[value]

    def also_seen(self, checkins: Iterable[tuple[Any, Any]]) -> None:
        """The (owner, day) of valid check-ins the repository holds that the load does not decide
        (documents lent by another load of the same run): ``settle`` counts them too."""
        self._seen_elsewhere.extend(checkins)

    def settle(self, checkins: Iterable[tuple[Any, Any]]) -> None:
        """Learn every valid check-in's (owner, day) first: duplicates and each owner's latest up to
        today are needed whatever else is true of them."""
        seen: Counter[tuple[str, date]] = Counter()
        latest: dict[str, date] = {}
        for owner, value in chain(checkins, self._seen_elsewhere):
            day = self._day(value)
            if not isinstance(owner, str) or day is None:
                continue
            seen[(owner, day)] += 1
            if day <= self.today and (owner not in latest or day > latest[owner]):
                latest[owner] = day
        self._must = {pair for pair, count in seen.items() if count > 1}
        self._must.update(latest.items())
        # A check-in with errors still holds its team's date (``Repo.first_with_errors``).
        self._must.update(
            (said.owner, said.day)
            for said in declared_with_errors(self.repo).checkins
            if said.owner is not None and said.day is not None
        )

    def wanted(self, owner: Any, value: Any, keys: str | None) -> bool:
        """Whether the check-in of ``owner`` dated ``value`` with result ``keys`` (as the index
        holds them, ``entry.result_keys_text``) is needed."""
        if self.every:
            return True
        known = self._known_unless_needed(owner, value)
        return known is None or _names_unknown(keys, known)

    def wanted_model(self, model: Any) -> bool:
        """``wanted`` for a check-in already built: its result keys are worked out only when its
        owner and date leave the question open."""
        if self.every:
            return True
        known = self._known_unless_needed(model.owner, model.date)
        # What the index would hold (``entry.result_keys_text``), read from the model: a confidence
        # per objective makes its keys references too; each result key must be known.
        return known is None or isinstance(model.confidence, dict) or any(key not in known for key in model.results)

    def _known_unless_needed(self, owner: Any, value: Any) -> dict[str, Any] | None:
        """None when the owner and date alone make the check-in needed; else the result keys the
        owner's objectives know on that day."""
        if isinstance(value, date):
            day: date | None = value
        elif isinstance(value, str):
            day = self._days[value] if value in self._days else self._day(value)
        else:
            return None
        if day is None or not isinstance(owner, str) or day > self.today or (owner, day) in self._must:
            return None
        if owner not in self.repo.units:
            return None
        for start, end in self._spans.get(owner, ()):
            if start <= day <= end:
                return None
        return self._known(owner, day)  # None: no objective on that day

    def _known(self, owner: str, day: date) -> dict[str, Any] | None:
        """``Repo.keys_on``, asked once for each stretch of days in which the same objectives of
        the owner are active (their cycles' starts and ends cut the calendar into such stretches)."""
        found = self._stretches.get(owner)
        if found is None:
            cuts: set[date] = set()
            for doc in self.repo.objectives_of(owner):
                cycle = self.repo.cycle(doc.model.cycle)
                if cycle is not None:
                    cuts.add(cycle.start)
                    if cycle.end < date.max:  # a cycle may run to 9999-12-31: no day comes after it
                        cuts.add(cycle.end + ONE_DAY)
            found = self._stretches[owner] = (sorted(cuts), {})
        cuts_in_order, answers = found
        stretch = bisect_right(cuts_in_order, day)
        if stretch not in answers:
            answers[stretch] = self.repo.keys_on(owner, day)
        return answers[stretch]


def _names_unknown(keys: str | None, known: dict[str, Any]) -> bool:
    """Whether result ``keys`` (None: not told by the index) may name a key result not ``known``."""
    return keys is None or (bool(keys) and any(key not in known for key in keys.split(KEYS_SEPARATOR)))


def align_scope(repo: Repo, today: date, cycle: str | None = None) -> Scope:
    """The load's scope for ``align --cycle C`` (default cycles when None): the check-ins the rules
    read. An unknown cycle selects nothing here; ``align`` itself then says it is unknown."""
    from okrctl.rules.base import default_cycles

    return Scope(checkins=CheckinNeeds(repo, today, {cycle} if cycle else default_cycles(repo, today)))


def narrowed(repo: Repo, today: date, cycles: set[str] | None) -> Repo:
    """The repository as the rules of ``align`` see it on ``today`` for ``cycles`` (None: all):
    the check-ins they do not need left out, and counted (``Repo.left_out``). For a repository
    loaded whole because something else reads every check-in (``diff`` compares them): its rules
    then read what a scoped load would have given them."""
    if cycles is None:
        return repo
    needs = CheckinNeeds(repo, today, cycles)
    needs.settle((doc.model.owner, doc.model.date) for doc in repo.checkins)
    left = {id(doc) for doc in repo.checkins if not needs.wanted_model(doc.model)}
    if not left:
        return repo
    docs = [doc for doc in repo.docs if id(doc) not in left]
    return dataclasses.replace(repo, docs=docs, left_out=repo.left_out + len(left))
