"""One finding per cause: questions the rules ask before reporting something as missing.

When a document is broken (it fails its schema) or points at something that does not exist (an
unknown owner or cycle), that mistake is reported once, where it is. Every other rule that would
only repeat it elsewhere — a team's check-ins "outside every cycle" because its objective is broken,
a priority "that nothing aligns to" because the objective aligning to it is broken — asks here
first and stays silent. See docs/rules.md, "One finding per cause".
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from okrctl.load.declared import BrokenIndex, Declared, broken_index, placed_day
from okrctl.load.documents import Doc
from okrctl.load.index import Repo
from okrctl.load.unreadable import ANYONE, unreadable_documents
from okrctl.model import Objective, Reading, Strategy

# A key of a check-in's, a reading's or a retro's mapping: (field, key), ``("results", "nps")``.
Place = tuple[str, str]


@dataclass
class Echoes:
    repo: Repo
    broken: BrokenIndex
    # Owners with a valid objective whose cycle is unknown (OKR104) or with a KR id written twice
    # (OKR102): their check-ins cannot be placed or resolved until that is fixed.
    _cycle_unknown: set[str] = field(default_factory=set)
    # An objective names an owner that is not a unit (OKR104): whose is it really?
    _owner_unknown: bool = False
    _chains: dict[str, bool] | None = None
    _orphans: list[Doc] | None = None  # valid check-ins whose owner is not a unit
    # Units a file okrctl cannot read names (``unreadable_documents``): what their objectives there
    # align to is unknown.
    _unread_owners: set[str] = field(default_factory=set)
    _named_outside: dict[str, list[tuple[Doc, Place]]] | None = None  # ``named_outside_their_cycle``
    # The documents read line by line from files that are not YAML (``unreadable_documents``).
    _unreadable: set[int] = field(default_factory=set)

    @classmethod
    def of(cls, repo: Repo) -> Echoes:
        unreadable, unread_owners = unreadable_documents(repo)
        echoes = cls(repo, broken_index(repo.docs + unreadable, repo.dropped_cycles, _shadowed(repo)))
        echoes._unread_owners = unread_owners
        echoes._unreadable = {id(doc) for doc in unreadable}
        for doc in repo.objectives.values():
            kr_ids = [kr.id for kr in doc.model.key_results]
            if repo.cycle(doc.model.cycle) is None or len(set(kr_ids)) != len(kr_ids):
                echoes._cycle_unknown.add(doc.model.owner)
            if doc.model.owner not in repo.units:
                echoes._owner_unknown = True
        return echoes

    # ----- references ------------------------------------------------------------------------------
    def unit(self, unit_id: str) -> bool:
        """A unit id that a broken Unit document declares."""
        return unit_id in self.broken.units or self.broken.unit_without_id()

    def target(self, ref: str) -> bool:
        """An alignment target (or supported objective) inside a broken objective or strategy."""
        return ref.partition("/")[0] in self.broken.ids or self.broken.target_without_id()

    def cycle(self, cycle_id: str) -> bool:
        """A cycle that the broken okrctl.yaml declares, or may declare: one that cannot be read at
        all (OKR100) may declare any cycle."""
        return str(cycle_id) in self.broken.cycles or self.repo.config_unread()

    # ----- check-ins and retros -------------------------------------------------------------------
    def owner_unsettled(self, owner: str, day: date | None = None) -> bool:
        """Whether the owner's objectives cannot be known well enough to judge its check-ins or retros
        on ``day``: one of them is broken, or has an unknown cycle."""
        if owner in self._cycle_unknown:
            return True
        for found in self.broken.objectives_of(owner):
            cycle = self.repo.cycle(found.cycle) if found.cycle else None
            if day is None or cycle is None or cycle.contains(day):
                return True
        return False

    def ownerless_objectives(self) -> bool:
        """Some objective's owner is unknown or unreadable: a team with check-ins and no objective
        may be its owner, misspelt."""
        return (
            self._owner_unknown
            or self.broken.unknown_owner()
            or any(d.owner is not None and d.owner not in self.repo.units for d in self.broken.objectives)
        )

    def checkin_elsewhere(self, owner: str, after: date | None, until: date) -> bool:
        """A broken check-in of ``owner`` (or one whose owner is unknown and may be a misspelt
        ``owner``) dated in (after, until]: the team did check in.

        A broken check-in whose date cannot be read (``20-11-2026``) is placed by its file name
        (``checkins/banco/2026-11-20.yaml``); one of ``owner`` that neither places may be the latest
        and counts: its OKR101 is the finding, and staleness is judged once its date is fixed."""
        for found in self.broken.checkins:
            if found.owner not in (owner, None):
                continue
            day = placed_day(found)
            if day is None:
                # Not placed: it counts when it names the team (naming nobody is too little to go on).
                if found.owner == owner:
                    return True
            elif day <= until and (after is None or day > after):
                return True
        if self._orphans is None:
            self._orphans = [d for d in self.repo.checkins if d.model.owner not in self.repo.units]
        for doc in self._orphans:
            model = doc.model
            if model.date > until or (after is not None and model.date <= after):
                continue
            close = difflib.get_close_matches(model.owner, list(self.repo.units), n=1, cutoff=0.6)
            if not close or close[0] == owner:
                return True
        return False

    def dated_checkins(self) -> list[tuple[Doc, str, date]]:
        """The broken check-ins whose owner and date can be read, with them: their date is judged
        beside their own error (OKR502). Not those of a file that is not YAML (OKR100): its lines
        tell whose they are, not where a finding on them would go."""
        return [
            (found.doc, found.owner, found.day)
            for found in self.broken.checkins
            if found.owner is not None and found.day is not None and id(found.doc) not in self._unreadable
        ]

    def dated_retros(self) -> list[tuple[Doc, str, date, str | None, str | None]]:
        """The broken retros whose owner and date can be read, with them and their stage and cycle
        where those read: their date is judged beside their own error (OKR502), as a check-in's."""
        return [
            (found.doc, found.owner, found.day, found.stage, found.cycle)
            for found in self.broken.retros
            if found.owner is not None and found.day is not None and id(found.doc) not in self._unreadable
        ]

    def broken_checkins(self, owner: str, start: date, end: date) -> bool:
        """A broken check-in of the owner in [start, end] (placed like ``checkin_elsewhere``; one
        that names the owner and cannot be placed counts): a series of confidences is incomplete."""
        for found in self.broken.checkins:
            if found.owner in (owner, None):
                day = placed_day(found)
                if (day is None and found.owner == owner) or (day is not None and start <= day <= end):
                    return True
        return False

    def retro(self, owner: str, cycle_id: str, stage: str) -> bool:
        """A broken retro that declares this owner, cycle and stage (or leaves one unreadable)."""
        return bool(self.retros_held(owner, cycle_id, stage))

    def retros_held(self, owner: str, cycle_id: str, stage: str) -> list[Declared]:
        """The broken retros counted as the owner's retro of this cycle and stage: each declares
        them or leaves one unreadable (``owner: Cards``, no ``cycle:``, ``stage: End``). ``align``
        counts one as held (no OKR507); ``retro --write`` writes none beside it."""
        return [
            found
            for found in self.broken.retros
            if found.owner in (owner, None) and found.cycle in (cycle_id, None) and found.stage in (stage, None)
        ]

    # ----- keys naming an objective of another cycle --------------------------------------------
    def of_other_cycles(self, owner: str, day: date, keys: Mapping[str, Iterable[str]]) -> dict[Place, list[Objective]]:
        """The keys of a check-in or reading of ``owner`` dated ``day`` (each field's keys: those of
        ``confidence`` name objectives, those of ``results`` and ``values`` key results) that name
        nothing of the owner's objectives of that day, but an objective of the owner whose cycle
        does not contain the day (or one of its key results, ``kr`` or ``objective/kr``): each such
        key -> the objectives it names. One mistake puts them there, most often an objective copied
        from last quarter's file with its ``cycle:`` unchanged: it is reported once, about that
        objective (OKR502), not as a key that names nothing (OKR104) on every check-in."""
        repo = self.repo
        known = repo.keys_on(owner, day) if owner in repo.units else None
        if known is None:
            return {}  # OKR104 on the owner, or OKR502 outside every cycle of its objectives
        unknown: list[Place] = []
        for name, written in keys.items():
            if name == "confidence" and written:
                ids = {d.model.id for d in repo.objectives_on(owner, day)}
                unknown += [(name, key) for key in written if key not in ids]
            elif name != "confidence":
                unknown += [(name, key) for key in written if key not in known]
        if not unknown or self.owner_unsettled(owner, day):
            return {}  # every key names an objective of the day, or a broken one's own finding comes first
        others = []
        for doc in repo.objectives_of(owner):
            cycle = repo.cycle(doc.model.cycle)
            if cycle is not None and not cycle.contains(day):
                others.append(doc.model)
        return _naming(unknown, others)

    def scores_of_other_cycles(self, owner: str, cycle_id: str, keys: Iterable[str]) -> dict[Place, list[Objective]]:
        """``of_other_cycles`` for the score keys of a retro of ``owner`` for ``cycle_id``: those
        that name no key result of the owner's objectives of that cycle, but one of another cycle."""
        current = self.repo.objectives_of(owner, cycle_id)
        known = {kr.id for d in current for kr in d.model.key_results}
        known |= {f"{d.model.id}/{kr.id}" for d in current for kr in d.model.key_results}
        unknown = [("scores", key) for key in keys if key not in known]
        if not unknown:
            return {}
        others = [d.model for d in self.repo.objectives_of(owner) if str(d.model.cycle) != cycle_id]
        return _naming(unknown, others)

    def named_outside_their_cycle(self) -> dict[str, list[tuple[Doc, Place]]]:
        """Objective id -> the valid check-ins and readings of its owner, oldest first, that name it
        alone though its cycle does not contain their date (``of_other_cycles``), each with its
        first key that names it. One document a day, as every view reads them: a second check-in
        or reading of a day is OKR102's."""
        if self._named_outside is None:
            repo = self.repo
            found: dict[str, list[tuple[Doc, Place]]] = {}
            for owner in repo.units:
                docs: list[Doc] = [*repo.checkins_of(owner), *repo.readings_of(owner)]
                for doc in docs:
                    model = doc.model
                    if isinstance(model, Reading):
                        keys: dict[str, Iterable[str]] = {"values": model.values}
                    else:
                        per_objective = model.confidence if isinstance(model.confidence, dict) else {}
                        keys = {"confidence": per_objective, "results": model.results}
                    first: dict[str, Place] = {}
                    for place, objectives in self.of_other_cycles(owner, model.date, keys).items():
                        if len(objectives) == 1:
                            first.setdefault(objectives[0].id, place)
                    for objective_id, place in first.items():
                        found.setdefault(objective_id, []).append((doc, place))
            for named in found.values():
                named.sort(key=lambda each: (each[0].model.date, isinstance(each[0].model, Reading), each[0].path))
            self._named_outside = found
        return self._named_outside

    def chain_broken(self, unit_id: str) -> bool:
        """The unit's chain of parents runs into an unknown unit: its ancestors are unknown."""
        if self._chains is None:
            self._chains = _broken_chains(self.repo)
        return self._chains.get(unit_id, False)

    # ----- alignment -----------------------------------------------------------------------------
    def served(self, ref: str) -> bool:
        """A broken objective declares an alignment to ``ref`` (or into it)."""
        return self.broken.aligned_to(ref)

    def unread_below(self, unit_id: str) -> bool:
        """A file okrctl cannot read (no permission, a Git LFS pointer) names a unit at or below
        ``unit_id``: an objective it holds may align to that unit's objectives and priorities."""
        if ANYONE in self._unread_owners:
            return True
        parents = {uid: doc.model.parent for uid, doc in self.repo.units.items()}
        for owner in self._unread_owners:
            current: str | None = owner
            seen: set[str] = set()
            while current and current not in seen:  # (a loop of parents is OKR106's)
                if current == unit_id:
                    return True
                seen.add(current)
                current = parents.get(current)
        return False

    def supported_by_broken(self, unit_id: str, objective_id: str) -> bool:
        """A broken objective of ``unit_id`` lists ``objective_id`` under supports (or cannot be read)."""
        for found in self.broken.objectives:
            if found.owner in (unit_id, None) and (objective_id in found.supports or not found.supports):
                return True
        return False


def _naming(unknown: list[Place], others: list[Objective]) -> dict[Place, list[Objective]]:
    """Each (field, key) of ``unknown`` -> the objectives of ``others`` it names: an objective id
    under ``confidence``, else a key result (``kr`` or ``objective/kr``). A key-result id that
    several of them have names those the document names by id, when it names any of them so
    (``confidence: {alpha-b: 6}`` beside ``lead-time: 9``)."""
    named: dict[Place, list[Objective]] = {}
    for name, key in unknown:
        if name == "confidence":
            found = [o for o in others if o.id == key]
        elif "/" in key:
            head, _, tail = key.partition("/")
            found = [o for o in others if o.id == head and any(kr.id == tail for kr in o.key_results)]
        else:
            found = [o for o in others if any(kr.id == key for kr in o.key_results)]
        if found:
            named[name, key] = found
    by_id = {o.id for (name, key), found in named.items() if name == "confidence" or "/" in key for o in found}
    for place, found in named.items():
        if len(found) > 1:
            named[place] = [o for o in found if o.id in by_id] or found
    return named


def _shadowed(repo: Repo) -> frozenset[int]:
    """Valid objectives and strategies whose id an earlier one already has (OKR102): the index
    holds the first, so the owner of the second would seem to have no objective at all."""
    return frozenset(
        id(doc)
        for doc in repo.docs
        if isinstance(doc.model, (Objective, Strategy))
        and (repo.objectives.get(doc.model.id) or repo.strategies.get(doc.model.id)) is not doc
    )


def _broken_chains(repo: Repo) -> dict[str, bool]:
    """For every unit, whether its chain of parents reaches an unknown parent (one pass, loop-safe)."""
    parents = {uid: doc.model.parent for uid, doc in repo.units.items()}
    known: dict[str, bool] = {}
    for start in parents:
        path: list[str] = []
        on_path: set[str] = set()
        current: str | None = start
        result = False
        while current is not None:
            if current in known:
                result = known[current]
                break
            if current in on_path:  # a loop (OKR106): no unknown parent on it
                break
            path.append(current)
            on_path.add(current)
            parent = parents.get(current)
            if parent and parent not in parents:
                result = True
                break
            current = parent or None
        for unit in path:
            known[unit] = result
    return known
