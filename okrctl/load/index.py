"""``Repo``: every document of an OKR repository, validated and indexed (built by ``load.pipeline``)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, TypeVar

from okrctl.findings import Finding
from okrctl.load.documents import Candidates, Doc, Suggestions, locate, parse_bytes, spelled
from okrctl.load.yamlparse import Path_, YamlProblem
from okrctl.model import CheckIn, Config, Objective, Reading, Retro, Strategy, Unit
from okrctl.model.cycle import Cycle, CycleCatalog
from okrctl.model.objective import KeyResult
from okrctl.model.strategy import Priority

_D = TypeVar("_D", CheckIn, Reading)


def _one_a_day(docs: list[Doc[_D]]) -> list[Doc[_D]]:
    """``docs`` of one owner by date, the first of each date in the repository's order (path order),
    as rule OKR102 finds them."""
    docs.sort(key=lambda d: d.model.date)  # stable: a date's documents keep their path order
    out: list[Doc[_D]] = []
    for doc in docs:
        if not out or out[-1].model.date != doc.model.date:
            out.append(doc)
    return out


@dataclass(frozen=True)
class Target:
    """What an alignment reference points at."""

    kind: str  # "objective" | "key_result" | "strategy" | "priority"
    doc: Doc
    key_result: KeyResult | None = None
    priority: Priority | None = None

    @property
    def objective(self) -> Objective | None:
        return self.doc.model if self.kind in ("objective", "key_result") else None

    @property
    def owner(self) -> str:
        return str(self.doc.model.owner)

    @property
    def cycle_id(self) -> str:
        return str(self.doc.model.cycle)

    @property
    def ref(self) -> str:
        base = self.doc.model.id
        if self.key_result is not None:
            return f"{base}/{self.key_result.id}"
        if self.priority is not None:
            return f"{base}/{self.priority.id}"
        return str(base)


# The codes of a file's own findings that are about its okrctl comments (``load.comments``): the
# document they stand in is valid and read.
COMMENT_CODES = frozenset({"OKR104", "OKR107"})
# ``Repo.derived``: the settings of okrctl.yaml refused (``Repo.setting_unsettled``).
_REFUSED = "load.refused_settings"
# ``Repo.derived``: the first document with errors of each kind, owner and date (``first_with_errors``).
_DAYS_WITH_ERRORS = "load.days_with_errors"


def _same_number(written: str, shown: str) -> bool:
    """Whether ``written`` (the file's text) and ``shown`` (the value read, as a message shows it)
    may be the same number (``2026.0`` and ``2026``, ``1e1`` and ``10``); True where either is no
    plain number, which this cannot tell."""
    try:
        return float(written) == float(shown)
    except ValueError:
        return True


@dataclass
class Repo:
    root: Path
    config: Config
    config_doc: Doc[Config] | None
    docs: list[Doc]
    file_findings: list[Finding]
    files: int
    other_files: list[str]
    # Ids of declared cycles that a broken okrctl.yaml could not give (see ``load.declared``).
    dropped_cycles: list[str] = field(default_factory=list, kw_only=True)
    # Valid check-ins a scoped load did not read (``pipeline.Scope``): documents all the same.
    left_out: int = field(default=0, kw_only=True)
    # The parse cache this repository was loaded with (None without one): another load of the same
    # run (the repository at a git ref) shares it, so bytes parsed once are not parsed again.
    parse_cache: Any = field(default=None, kw_only=True, repr=False)
    # The store whose findings the rules may take and keep (``rules.memo``), None without one: the
    # parse cache's for the working tree; for the repository at a git ref, the one its load read.
    findings_store: Any = field(default=None, kw_only=True, repr=False)
    # Content digest of every file (relative path -> digest; "" when unreadable), when known: a load
    # of the same repository at a git ref takes the documents of identical files from here.
    digests: dict[str, str] = field(default_factory=dict, kw_only=True, repr=False)
    # The blob id of each file git finds as committed, when the scan asked git (a fresh checkout).
    clean_blobs: dict[str, str] | None = field(default=None, kw_only=True, repr=False)
    # Files of which the load left some check-ins out while loading other documents (a scope).
    partly_read: set[str] = field(default_factory=set, kw_only=True, repr=False)
    # A file read again for the places of its findings no longer held the bytes loaded (saved
    # meanwhile): places may be those of other bytes, so nothing of this run may be memoised.
    changed_meanwhile: bool = field(default=False, kw_only=True, repr=False)
    cycles: CycleCatalog = field(init=False)
    units: dict[str, Doc[Unit]] = field(init=False, default_factory=dict)
    objectives: dict[str, Doc[Objective]] = field(init=False, default_factory=dict)
    strategies: dict[str, Doc[Strategy]] = field(init=False, default_factory=dict)
    checkins: list[Doc[CheckIn]] = field(init=False, default_factory=list)
    retros: list[Doc[Retro]] = field(init=False, default_factory=list)
    readings: list[Doc[Reading]] = field(init=False, default_factory=list)
    _readings_by_owner: dict[str, list[Doc[Reading]]] = field(init=False, default_factory=dict)
    _checkins_by_owner: dict[str, list[Doc[CheckIn]]] = field(init=False, default_factory=dict)
    # Whether the two above leave out the days a document with errors holds (``_one_a_day_settled``).
    _days_settled: bool = field(init=False, default=False, repr=False)
    # owner -> the dates of its check-ins (``checkins_of``) and their models, in the same order.
    _checkin_days: dict[str, tuple[list[date], list[CheckIn]]] = field(init=False, default_factory=dict, repr=False)
    _children: dict[str, list[str]] = field(init=False, default_factory=dict)
    _objectives_by_owner: dict[str, list[Doc[Objective]]] = field(init=False, default_factory=dict)
    _objectives_on: dict[tuple[str, date], tuple[tuple[str, ...], list[Doc[Objective]]]] = field(
        init=False, default_factory=dict
    )
    _owner_cycles: dict[str, list[tuple[Cycle | None, Doc[Objective]]]] = field(
        init=False, default_factory=dict, repr=False
    )
    # owner -> the days its cycles start and the days after they end, sorted, and the answer of
    # ``_objectives_on_day`` for each stretch of days between two of them (by the stretch's number).
    _owner_stretches: dict[str, tuple[list[date], dict[int, tuple[tuple[str, ...], list[Doc[Objective]]]]]] = field(
        init=False, default_factory=dict, repr=False
    )
    _objectives_on_set: dict[tuple[str, ...], tuple[tuple[str, ...], list[Doc[Objective]]]] = field(
        init=False, default_factory=dict
    )
    # (owner, objective ids) -> every result key a check-in can write -> the (objective, KR) pairs.
    _result_keys: dict[tuple[str, ...], dict[str, list[tuple[Objective, KeyResult]]]] = field(
        init=False, default_factory=dict
    )
    _docs_by_path: dict[str, list[Doc]] | None = field(init=False, default=None)
    _config_file_problems: list[Finding] | None = field(init=False, default=None)
    # ``root_units``, worked out once: the units are fixed once the repository is built, and rules
    # ask for the root once per objective (a scan of every unit each time).
    _root_units: list[str] | None = field(init=False, default=None, repr=False)
    # Values derived from the documents, kept for the run by the layers above (``analysis``): the
    # documents never change once loaded, so what is worked out once stays true.
    derived: dict[str, Any] = field(init=False, default_factory=dict, repr=False)
    # The "did you mean"s the rules give for ids written with a slip, within a budget (one a family).
    suggestions: Suggestions = field(init=False, default_factory=Suggestions, repr=False)
    _unit_spans: dict[str, tuple[int, int]] | None = field(init=False, default=None)
    _alignment_names: tuple[Candidates, dict[str, list[tuple[str, str | None]]], dict[str, list[str]]] | None = field(
        init=False, default=None, repr=False
    )
    # Files parsed again this run for the places of findings: path -> digest of the bytes parsed.
    _reparsed: dict[str, str] = field(init=False, default_factory=dict, repr=False)
    # Places so learnt, for the store (``save_places``): (digest, document, place key) -> (line,
    # column, about).
    learnt_places: dict[tuple[str, int, str], tuple[int, int, str]] = field(
        init=False, default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        self.cycles = CycleCatalog([Cycle(c.id, c.start, c.end) for c in self.config.cycles])
        by_owner: dict[str, list[Doc[CheckIn]]] = defaultdict(list)
        children: dict[str, list[str]] = defaultdict(list)
        for doc in self.docs:
            model = doc.model
            if model is None:
                continue
            if isinstance(model, Unit):
                if model.id not in self.units:
                    self.units[model.id] = doc
                    if model.parent:
                        children[model.parent].append(model.id)
            elif isinstance(model, (Objective, Strategy)):
                if model.id not in self.objectives and model.id not in self.strategies:
                    (self.objectives if isinstance(model, Objective) else self.strategies)[model.id] = doc
            elif isinstance(model, CheckIn):
                self.checkins.append(doc)
                by_owner[model.owner].append(doc)
            elif isinstance(model, Retro):
                self.retros.append(doc)
            elif isinstance(model, Reading):
                self.readings.append(doc)
                self._readings_by_owner.setdefault(model.owner, []).append(doc)
        for doc in self.objectives.values():
            self._objectives_by_owner.setdefault(doc.model.owner, []).append(doc)
        # One check-in (and one reading) per owner and date: the first in path order, the one rule
        # OKR102 keeps; a second of the same day is an error, never a step of the team's series.
        self._checkins_by_owner = {owner: _one_a_day(docs) for owner, docs in by_owner.items()}
        self._readings_by_owner = {owner: _one_a_day(docs) for owner, docs in self._readings_by_owner.items()}
        self._children = {k: sorted(v) for k, v in children.items()}

    # ----- units -------------------------------------------------------------------------------
    def unit(self, unit_id: str) -> Unit | None:
        doc = self.units.get(unit_id)
        return doc.model if doc else None

    def unit_name(self, unit_id: str) -> str:
        """The unit's display name; the id itself for a unit the repository does not declare."""
        unit = self.unit(unit_id)
        return unit.display_name if unit else unit_id

    def children(self, unit_id: str) -> list[str]:
        return self._children.get(unit_id, [])

    def ancestors(self, unit_id: str) -> list[str]:
        """Parent, grandparent, … (stops at a loop or an unknown parent)."""
        chain: list[str] = []
        met = {unit_id}
        current = self.unit(unit_id)
        while current is not None and current.parent and current.parent not in met:
            chain.append(current.parent)
            met.add(current.parent)
            current = self.unit(current.parent)
        return chain

    def is_ancestor(self, candidate: str, unit_id: str) -> bool:
        """Whether ``candidate`` is above ``unit_id`` in the unit tree, in constant time.

        Entry and exit numbers of one depth-first walk of the tree answer it (a unit is above
        another when its span holds the other's); units caught in a parent loop, which the walk
        from the tops never reaches, are answered by walking their parents.
        """
        spans = self._spans()
        mine, theirs = spans.get(candidate), spans.get(unit_id)
        if mine is not None and theirs is not None:
            return mine[0] < theirs[0] and theirs[1] <= mine[1]
        if theirs is not None:
            return False  # a unit on the tree has only tree units above it
        return candidate in self.ancestors(unit_id)

    def _spans(self) -> dict[str, tuple[int, int]]:
        if self._unit_spans is None:
            spans: dict[str, tuple[int, int]] = {}
            clock = 0
            tops = sorted(uid for uid, doc in self.units.items() if doc.model.parent not in self.units)
            for top in tops:
                entered: dict[str, int] = {top: clock}
                clock += 1
                stack = [(top, iter(self.children(top)))]
                while stack:
                    unit_id, below = stack[-1]
                    child = next(below, None)
                    if child is None:
                        stack.pop()
                        spans[unit_id] = (entered[unit_id], clock)
                        clock += 1
                    elif child not in entered and child not in spans:
                        entered[child] = clock
                        clock += 1
                        stack.append((child, iter(self.children(child))))
            self._unit_spans = spans
        return self._unit_spans

    def descendants(self, unit_id: str) -> list[str]:
        """All units below ``unit_id`` (not itself), depth first, loop-safe."""
        out: list[str] = []
        stack = list(reversed(self.children(unit_id)))
        seen = {unit_id}
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            out.append(current)
            stack.extend(reversed(self.children(current)))
        return out

    def tree_order(self) -> list[str]:
        """Every unit: each root then the units below it, depth first; then, by id, the units no
        root reaches (a parent that is no unit, OKR104, or parents in a loop, OKR106)."""
        order: list[str] = []
        for root in self.root_units():
            order.append(root)
            order.extend(self.descendants(root))
        placed = set(order)
        order.extend(sorted(u for u in self.units if u not in placed))
        return order

    def scope_units(self, unit_id: str) -> list[str]:
        """The units a view of ``unit_id`` covers, the unit first. The root's view is the whole
        organisation's: it covers every unit (``tree_order``), so that a unit cut off from the tree
        by a broken parent still has its objectives shown, not silently left out."""
        if unit_id == self.root_unit():
            order = self.tree_order()
            order.remove(unit_id)
            return [unit_id, *order]
        return [unit_id, *self.descendants(unit_id)]

    def root_units(self) -> list[str]:
        """The units without a parent, the root first: of two or more (OKR106), the company, else
        the one with the most units below it, so that a team that lost its ``parent`` is the one
        named as the extra root, not the organisation it was cut from; then the others by id."""
        if self._root_units is not None:
            return list(self._root_units)
        roots = sorted(uid for uid, doc in self.units.items() if not doc.model.parent)
        if len(roots) > 1:
            first = min(
                roots,
                key=lambda uid: (self.units[uid].model.type != "company", -len(self.descendants(uid)), uid),
            )
            roots.remove(first)
            roots.insert(0, first)
        self._root_units = roots
        return list(roots)

    def root_unit(self) -> str | None:
        roots = self._root_units if self._root_units is not None else self.root_units()
        return roots[0] if roots else None

    def teams(self) -> list[str]:
        return sorted(uid for uid, doc in self.units.items() if doc.model.type == "team")

    def unit_for_email(self, email: str) -> list[str]:
        wanted = email.strip().lower()
        return sorted(uid for uid, doc in self.units.items() if wanted in (m.lower() for m in doc.model.members))

    # ----- cycles and objectives ---------------------------------------------------------------
    def cycle(self, cycle_id: str) -> Cycle | None:
        return self.cycles.get(str(cycle_id))

    def cycles_containing(self, day: date) -> list[Cycle]:
        """Every cycle used by an objective (or declared) that contains ``day``. A strategy's cycle is
        not one: a year's strategy would put its year beside every quarter; a view of a unit that
        shows the strategy before the first objective cycle asks ``views.scope.strategy_cycles``."""
        ids = {str(d.model.cycle) for d in self.objectives.values()} | set(self.cycles.known_ids())
        found = [c for c in (self.cycle(i) for i in ids) if c is not None and c.contains(day)]
        return sorted(found, key=lambda c: (c.start, c.end, c.id))

    def objective(self, objective_id: str) -> Objective | None:
        doc = self.objectives.get(objective_id)
        return doc.model if doc else None

    def objectives_of(self, owner: str, cycle_id: str | None = None) -> list[Doc[Objective]]:
        owned = self._objectives_by_owner.get(owner, [])
        return [d for d in owned if cycle_id is None or str(d.model.cycle) == cycle_id]

    def objectives_in(self, cycle_ids: set[str] | None) -> list[Doc[Objective]]:
        """Objectives of the given cycles (all when None), in id order."""
        docs = [d for d in self.objectives.values() if cycle_ids is None or str(d.model.cycle) in cycle_ids]
        return sorted(docs, key=lambda d: d.model.id)

    def objectives_on(self, owner: str, day: date) -> list[Doc[Objective]]:
        """The owner's objectives whose cycle contains ``day`` (what a check-in of that day is about)."""
        return list(self._objectives_on_day(owner, day)[1])

    def has_objectives_on(self, owner: str, day: date) -> bool:
        """Whether ``objectives_on`` has any (without copying the list)."""
        return bool(self._objectives_on_day(owner, day)[1])

    def _objectives_on_day(self, owner: str, day: date) -> tuple[tuple[str, ...], list[Doc[Objective]]]:
        # Every day of a quarter has the same answer: it is worked out once per owner and stretch
        # of days between the bounds of its cycles (no cycle starts or ends inside a stretch), found
        # by bisection, and kept for the day (each check-in of an owner has a day of its own).
        found = self._objectives_on.get((owner, day))
        if found is None:
            spans = self._owner_cycles.get(owner)
            if spans is None:  # each objective's cycle, looked up once per owner
                spans = self._owner_cycles[owner] = [(self.cycle(d.model.cycle), d) for d in self.objectives_of(owner)]
            stretches = self._owner_stretches.get(owner)
            if stretches is None:
                bounds: set[date] = set()
                for cycle, _doc in spans:
                    if cycle is not None:
                        bounds.add(cycle.start)
                        if cycle.end < date.max:
                            bounds.add(cycle.end + timedelta(days=1))
                stretches = self._owner_stretches[owner] = (sorted(bounds), {})
            bounds_sorted, answers = stretches
            stretch = bisect_right(bounds_sorted, day)
            found = answers.get(stretch)
            if found is None:
                docs = [doc for cycle, doc in spans if cycle is not None and cycle.start <= day <= cycle.end]
                docs.sort(key=lambda d: d.model.id)
                key = (owner, *(str(d.model.id) for d in docs))
                found = answers[stretch] = self._objectives_on_set.setdefault(key, (key, docs))
            self._objectives_on[(owner, day)] = found
        return found

    def checkins_of(self, owner: str) -> list[Doc[CheckIn]]:
        """The valid check-ins of ``owner``, oldest first: one a date (the first in path order; none
        on a date whose first is a check-in with errors, ``first_with_errors``)."""
        if not self._days_settled:
            self._one_a_day_settled()
        return self._checkins_by_owner.get(owner, [])

    def first_with_errors(self, kind: str, owner: str, day: date, before: Doc) -> Doc | None:
        """The first document with errors that declares ``kind`` ("CheckIn" or "Reading"),
        ``owner`` and ``day`` (read as align reads it: ``load.unreadable.declared_with_errors``),
        when it comes before ``before`` in path order; else None. Of two for one team and date it
        is the day's once fixed, so ``before`` is the second (OKR102) and never a step of the
        team's series, while the views leave the first out."""
        first = self._days_with_errors().get((kind, owner, day))
        if first is not None and (first.path, first.index) < (before.path, before.index):
            return first
        return None

    def _days_with_errors(self) -> dict[tuple[str, str, date], Doc]:
        """(kind, owner, date) -> the first document with errors in path order that declares them,
        for check-ins and readings; worked out once a run."""
        found: dict[tuple[str, str, date], Doc] | None = self.derived.get(_DAYS_WITH_ERRORS)
        if found is None:
            from okrctl.load.unreadable import declared_with_errors

            found = {}
            for said in declared_with_errors(self).documents:
                if said.kind in ("CheckIn", "Reading") and said.owner and said.day is not None:
                    key = (said.kind, said.owner, said.day)
                    held = found.get(key)
                    if held is None or (said.doc.path, said.doc.index) < (held.path, held.index):
                        found[key] = said.doc
            self.derived[_DAYS_WITH_ERRORS] = found
        return found

    def _one_a_day_settled(self) -> None:
        """Leave out of ``checkins_of`` and ``readings_of`` each document that a document with
        errors comes before on its date (``first_with_errors``). Done when first asked, not while
        the repository is built: the files that are not YAML are read for it."""
        self._days_settled = True
        if not self._days_with_errors():
            return
        self._checkins_by_owner = {
            owner: self._held_left_out("CheckIn", docs) for owner, docs in self._checkins_by_owner.items()
        }
        self._readings_by_owner = {
            owner: self._held_left_out("Reading", docs) for owner, docs in self._readings_by_owner.items()
        }

    def _held_left_out(self, kind: str, docs: list[Doc[_D]]) -> list[Doc[_D]]:
        """``docs`` (one owner's, of ``kind``) less those a document with errors comes before."""
        return [d for d in docs if self.first_with_errors(kind, d.model.owner, d.model.date, d) is None]

    def checkins_for(self, objective: Objective, until: date | None = None) -> list[CheckIn]:
        """Check-ins of the objective's owner inside its cycle (and on or before ``until``)."""
        cycle = self.cycle(objective.cycle)
        if cycle is None:
            return []
        dated = self._checkin_days.get(objective.owner)
        if dated is None:
            docs = self.checkins_of(objective.owner)  # one a date, oldest first: a bisect finds the span
            dated = self._checkin_days[objective.owner] = ([d.model.date for d in docs], [d.model for d in docs])
        days, models = dated
        last = cycle.end if until is None or until > cycle.end else until
        return models[bisect_left(days, cycle.start) : bisect_right(days, last)]

    def readings_of(self, owner: str) -> list[Doc[Reading]]:
        """The valid readings (values measured from data) of ``owner``, oldest first: one a date
        (as ``checkins_of``)."""
        if not self._days_settled:
            self._one_a_day_settled()
        return self._readings_by_owner.get(owner, [])

    def readings_for(self, objective: Objective, until: date | None = None) -> list[Reading]:
        """Readings of the objective's owner inside its cycle (and on or before ``until``)."""
        cycle = self.cycle(objective.cycle)
        if cycle is None:
            return []
        return [
            d.model
            for d in self.readings_of(objective.owner)
            if cycle.contains(d.model.date) and (until is None or d.model.date <= until)
        ]

    def resolve_result_key(self, checkin: CheckIn | Reading, key: str) -> list[tuple[Objective, KeyResult]]:
        """The (objective, KR) pairs a check-in result key can mean; more than one is ambiguous."""
        return list(self.result_keys(checkin.owner, checkin.date).get(key, ()))

    def keys_on(self, owner: str, day: date) -> dict[str, list[tuple[Objective, KeyResult]]] | None:
        """``result_keys``, or None when the owner has no objective on ``day``."""
        found = self._objectives_on_day(owner, day)
        return self._keys_of(found) if found[1] else None

    def result_keys(self, owner: str, day: date) -> dict[str, list[tuple[Objective, KeyResult]]]:
        """Every key a result of ``owner`` on ``day`` can be written as (``kr`` or ``objective/kr``),
        with the (objective, KR) pairs it means; computed once per owner and day."""
        return self._keys_of(self._objectives_on_day(owner, day))

    def _keys_of(
        self, found: tuple[tuple[str, ...], list[Doc[Objective]]]
    ) -> dict[str, list[tuple[Objective, KeyResult]]]:
        key, docs = found
        memo = self._result_keys.get(key)
        if memo is None:
            memo = {}
            for doc in docs:
                objective = doc.model
                seen: set[str] = set()
                for kr in objective.key_results:
                    if kr.id in seen:
                        continue  # the first KR of an id answers, as KeyResult lookup does
                    seen.add(kr.id)
                    memo.setdefault(kr.id, []).append((objective, kr))
                    if "/" not in objective.id:
                        memo.setdefault(f"{objective.id}/{kr.id}", []).append((objective, kr))
            self._result_keys[key] = memo
        return memo

    def resolve(self, ref: str) -> Target | None:
        """An alignment target: objective, objective/kr, strategy or strategy/priority."""
        head, _, tail = ref.partition("/")
        doc = self.objectives.get(head)
        if doc is not None:
            if not tail:
                return Target("objective", doc)
            kr = doc.model.key_result(tail)
            return Target("key_result", doc, key_result=kr) if kr is not None else None
        strategy_doc = self.strategies.get(head)
        if strategy_doc is not None:
            if not tail:
                return Target("strategy", strategy_doc)
            for priority in strategy_doc.model.priorities:
                if priority.id == tail:
                    return Target("priority", strategy_doc, priority=priority)
        return None

    def suggest_ref(self, ref: str, objective: str | None, owner: str | None) -> str:
        """A "did you mean" for an alignment reference of ``objective`` that resolves to nothing."""
        meant = self.meant_ref(ref, objective, owner)
        return f"did you mean '{meant}'?" if meant is not None else ""

    def meant_ref(self, ref: str, objective: str | None, owner: str | None) -> str | None:
        """The reference an alignment of ``objective`` (owned by ``owner``) that resolves to nothing
        most likely meant (its OKR104's "did you mean"), if one is close enough.

        Never the objective itself, one of its key results, or what a unit below ``owner`` pursues:
        following such a hint would give an alignment loop (OKR206). A bare id (``on-time``) means
        the priority or key result of exactly that id, one the owner may align to (of its own
        strategy or of a unit above) first, though a shorter objective id is closer as a string."""
        targets, owners, by_id = self._alignment_targets()

        def allowed(name: str) -> bool:
            return any(self._may_align(objective, owner, *entry) for entry in owners[name])

        if "/" not in ref:
            same_id = [name for name in by_id.get(ref.casefold(), ()) if allowed(name)]
            if same_id:

                def upward(name: str) -> bool:  # of the owner's own strategy or of a unit above it
                    return owner is not None and any(
                        self._may_align(objective, owner, target_owner, of)
                        and (self.is_ancestor(target_owner, owner) or (of is None and target_owner == owner))
                        for target_owner, of in owners[name]
                    )

                return sorted(same_id, key=lambda name: not upward(name))[0]
        return self.suggestions.closest(ref, targets, allowed)

    def _may_align(self, objective: str | None, owner: str | None, target_owner: str, of: str | None) -> bool:
        """Whether an objective may align to what ``target_owner`` holds in objective ``of`` (None: in
        a strategy) without a loop: never to itself or its key results, nor to what a unit below pursues."""
        return (of is None or of != objective) and not (owner is not None and self.is_ancestor(owner, target_owner))

    def _alignment_targets(self) -> tuple[Candidates, dict[str, list[tuple[str, str | None]]], dict[str, list[str]]]:
        """Every reference an alignment can name (an objective, objective/kr, strategy or
        strategy/priority, in that order), who holds each and in which objective (None: a strategy),
        and the references by their last id without case: once for the run, not once for each slip."""
        if self._alignment_names is None:
            owners: dict[str, list[tuple[str, str | None]]] = {}
            for doc in self.objectives.values():
                for name in (doc.model.id, *(f"{doc.model.id}/{kr.id}" for kr in doc.model.key_results)):
                    owners.setdefault(name, []).append((doc.model.owner, doc.model.id))
            for strategy_doc in self.strategies.values():
                strategy = strategy_doc.model
                for name in (strategy.id, *(f"{strategy.id}/{p.id}" for p in strategy.priorities)):
                    owners.setdefault(name, []).append((strategy.owner, None))
            by_id: dict[str, list[str]] = {}
            for name in owners:
                by_id.setdefault(name.rpartition("/")[2].casefold(), []).append(name)
            self._alignment_names = (Candidates(owners), owners, by_id)
        return self._alignment_names

    # ----- positions ---------------------------------------------------------------------------
    def position(self, doc: Doc, loc: Path_ = (), *, key: bool = False) -> tuple[int, int]:
        """Line and column of ``loc`` inside ``doc`` (``place``)."""
        line, column, _about = self.place(doc, loc, key=key)
        return line, column

    def place(self, doc: Doc, loc: Path_ = (), *, key: bool = False) -> tuple[int, int, str]:
        """Line and column of ``loc`` inside ``doc``, and what a finding there is about
        (``documents.anchor``). A document loaded from the store has no marks (nor, for a check-in,
        its raw values): the store's ``places`` may know them from an earlier run, else the file
        is parsed again, and what that tells is kept for the store (``save_places``)."""
        from okrctl.load.documents import anchor

        named = self._place_name(doc, loc, key)
        if doc.parsed is None and named is not None:
            known = self.learnt_places.get(named) or self.parse_cache.store.place(*named)
            if known is not None:
                return known
        if doc.parsed is None:
            self._reparse(doc)
        line, column = locate(doc.parsed, loc, key=key, fallback=(doc.line, doc.column))
        found = (line, column, anchor(doc, loc))
        if named is not None and doc.parsed is not None and self._reparsed.get(doc.path) == named[0]:
            self.learnt_places[named] = found
        return found

    def marks(self, doc: Doc) -> None:
        """Give ``doc`` (and the other documents of its file) the marks of a parse, when it came
        from the store without them (``ParsedDocument``: places, where each document starts)."""
        if doc.parsed is None:
            self._reparse(doc)

    def _place_name(self, doc: Doc, loc: Path_, key: bool) -> tuple[str, int, str] | None:
        """How the store's ``places`` names this place (digest, document, place key), None without
        a store or a known digest."""
        if self.parse_cache is None:
            return None
        from okrctl.load.store import place_key

        file_digest = self.digests.get(doc.path)
        name = place_key(tuple(loc), key) if file_digest else None
        return None if name is None or file_digest is None else (file_digest, doc.index, name)

    def save_places(self) -> None:
        """Give the store the places learnt by parsing files again (``place``)."""
        if self.learnt_places and self.parse_cache is not None:
            self.parse_cache.store.put_places((*name, *place) for name, place in self.learnt_places.items())
            self.learnt_places = {}

    def spelled(self, doc: Doc, loc: Path_, shown: str) -> str:
        """How the file writes the value at ``loc`` of ``doc`` when YAML read it as a number or
        true/false (``0000``, ``2026.0``, ``1e1``; ``load.documents.spelled``), else ``shown``: a
        message echoes what the user wrote, not what it was read as (re-reading the file as
        ``position`` does)."""
        if doc.parsed is None:
            self._reparse(doc)
        source = spelled(doc.parsed, loc)
        if source is None:
            return shown
        # A file changed since this run read it (an editor saving while ``align`` runs) would
        # give a message the value it is about never had: "79 is 88× the target" of a 7900.
        known, read = self.digests.get(doc.path), self._reparsed.get(doc.path)
        if (known and read and known != read) or not _same_number(source, shown):
            return shown
        return source

    def unread_findings(self) -> list[Finding]:
        """The errors of files whose documents (some or all) are left out: YAML or schema errors, a
        file okrctl cannot read. A finding on an okrctl comment (OKR104, OKR107) is also a file's
        own, but its document is read and used all the same: it leaves nothing out."""
        return [f for f in self.file_findings if f.severity == "error" and f.code not in COMMENT_CODES]

    def config_problems(self, *, own_rules_only: bool = False) -> list[Finding]:
        """The findings of okrctl.yaml itself (its YAML or schema errors, no Config in it or more
        than one: OKR105), by line: every view stops on them, and align reports them whatever
        silences or filters others. ``own_rules_only``: the OKR105 ones alone (what the rule adds).
        A finding on an okrctl comment of okrctl.yaml (OKR104, OKR107) is none of them: the Config
        is read all the same, so it goes through the policy like any other and stops nothing."""
        from okrctl.load.discover import CONFIG_NAME

        if self._config_file_problems is None:
            self._config_file_problems = self._config_documents_problems()
        if own_rules_only:
            return list(self._config_file_problems)
        found = [
            f for f in self.file_findings if f.path == CONFIG_NAME and f.code not in COMMENT_CODES
        ] + self._config_file_problems
        return sorted(found, key=lambda f: f.line)

    def config_unread(self) -> bool:
        """Whether okrctl.yaml cannot be read at all: it is not YAML (OKR100: a syntax error, a
        duplicate key, a merge-conflict marker), okrctl may not read it, or nothing of its Config
        validates. Every setting is then a default standing in for what the file may well say,
        and any cycle may be one it declares."""
        return self._refused_settings() is None

    def setting_unsettled(self, *keys: str) -> bool:
        """Whether the setting at ``keys`` (``"checkin", "confidence"``) is not the file's: okrctl.yaml
        cannot be read at all, or it refused the setting, a value inside it or the section holding
        it (OKR101) and the default stands in. The rules that read such a setting are skipped until
        it is fixed: the config's finding is the one (docs/rules.md, "One finding per cause")."""
        refused = self._refused_settings()
        if refused is None:
            return True
        meant = [found for k in refused if (found := _setting_meant(k)) is not None]
        return any(keys[: len(k)] == k or k[: len(keys)] == keys for k in meant)

    def rule_skipped(self, code: str) -> bool:
        """Whether rule ``code`` is skipped here: a setting it judges by is unsettled
        (``catalog.RuleInfo.settings``; OKR504's scale check alone). Its findings on another version
        of the repository are then not judged here, neither kept nor resolved."""
        from okrctl.catalog import RULES

        rule = RULES.get(code)
        return rule is not None and any(self.setting_unsettled(*name.split(".")) for name in rule.settings)

    def _refused_settings(self) -> list[tuple[str, ...]] | None:
        """The keys of each setting of okrctl.yaml refused (``load.declared.refused_settings``);
        None when the file cannot be read at all. Worked out once a run."""
        from okrctl.load.declared import refused_settings
        from okrctl.load.discover import CONFIG_NAME

        if _REFUSED not in self.derived:
            refused: list[tuple[str, ...]] | None = []
            if any(f.path == CONFIG_NAME and f.code == "OKR100" for f in self.file_findings):
                refused = None
            elif self.config_doc is None:
                found = refused_settings(self.docs_at(CONFIG_NAME))
                refused = None if found is None else [keys for keys, _value in found]
            self.derived[_REFUSED] = refused
        return self.derived[_REFUSED]  # type: ignore[no-any-return]

    def _config_documents_problems(self) -> list[Finding]:
        """OKR105 of okrctl.yaml itself: no Config in it, or more than one. Each makes the settings
        every view uses a guess (the defaults, or one Config of several)."""
        from okrctl.load.discover import CONFIG_NAME

        # A config that does not parse, or whose only document is broken, already has its finding.
        if any(f.path == CONFIG_NAME and f.code in ("OKR100", "OKR101", "OKR103") for f in self.file_findings):
            return []
        at_root = [d for d in self.docs_at(CONFIG_NAME) if d.kind == "Config"]
        if not at_root:
            return [
                Finding(
                    "OKR105",
                    "error",
                    CONFIG_NAME,
                    1,
                    1,
                    f"no Config document in {CONFIG_NAME} at the repository root",
                    "create okrctl.yaml with 'apiVersion: okrctl/v1' and 'kind: Config' (okrctl init does it)",
                )
            ]
        return [
            self.finding(
                "OKR105", doc, ("kind",), f"more than one Config in {CONFIG_NAME}", "keep exactly one Config document"
            )
            for doc in at_root[1:]
        ]

    def docs_at(self, path: str) -> list[Doc]:
        """The documents of one file, in file order."""
        if self._docs_by_path is None:
            by_path: dict[str, list[Doc]] = {}
            for doc in self.docs:
                by_path.setdefault(doc.path, []).append(doc)
            self._docs_by_path = by_path
        return self._docs_by_path.get(path, [])

    def _reparse(self, doc: Doc) -> None:
        from okrctl.load.store import digest

        try:
            raw = (self.root / doc.path).read_bytes()
        except OSError:
            return
        known, read = self.digests.get(doc.path), digest(raw)
        if known and read != known:
            self.changed_meanwhile = True  # the file as it is now still gives this run its places
        try:
            parsed = parse_bytes(doc.path, raw)
        except YamlProblem:
            return
        self._reparsed[doc.path] = read
        by_index = {p.index: p for p in parsed}  # a file of many documents stays linear
        if doc.index in by_index:
            doc.parsed = by_index[doc.index]
        for other in self.docs_at(doc.path):
            if other.parsed is None:
                other.parsed = by_index.get(other.index)

    def finding(
        self, code: str, doc: Doc, loc: Path_, message: str, hint: str = "", *, key: bool = False, **data: str
    ) -> Finding:
        """A finding at ``loc`` of ``doc`` with the rule's default severity."""
        from okrctl.catalog import RULES

        line, column, about = self.place(doc, loc, key=key)
        about = self._about_the_key_result(doc, loc, about)
        return Finding(code, RULES[code].severity, doc.path, line, column, message, hint, dict(data), about=about)

    def _about_the_key_result(self, doc: Doc, loc: Path_, about: str) -> str:
        """``about`` of a finding on a result key (``results.onboarding-completion`` of a check-in)
        with the key as the key result it names, ``objective-id/kr-id``, however the file spells
        it: a key written out in full, as OKR503's hint asks, is the same result, so its findings
        keep their fingerprints. The line and column stay the key's as written. A key that names
        no key result, or several (OKR503), keeps its spelling: it is about nothing else.

        Made here, not with the place (``place``): what a key names depends on the objectives,
        other files than the one the store keeps places for."""
        from okrctl.load.documents import key_path

        named = self._key_result_named(doc, loc)
        if named is None or named == loc[1] or not all(isinstance(part, str) for part in loc):
            return about
        written = key_path(None, loc)
        if not about.endswith("|" + written):
            return about  # (every place ``anchor`` makes ends so)
        return about[: len(about) - len(written)] + key_path(None, (loc[0], named, *loc[2:]))

    def _key_result_named(self, doc: Doc, loc: Path_) -> str | None:
        """``objective-id/kr-id`` of the key result a result key at ``loc`` names: a check-in's
        ``results``, a reading's ``values`` (``resolve_result_key``), a retro's ``scores`` (the
        owner's objectives of its cycle, a bare key naming one of them only, as
        ``analysis.state.score_key`` reads it); None for any other place, and for a key that names
        none or several."""
        if len(loc) < 2 or not isinstance(loc[1], str):
            return None
        model, field_name, key = doc.model, loc[0], loc[1]
        if (isinstance(model, CheckIn) and field_name == "results") or (
            isinstance(model, Reading) and field_name == "values"
        ):
            matches = self.result_keys(model.owner, model.date).get(key, ())
            return f"{matches[0][0].id}/{matches[0][1].id}" if len(matches) == 1 else None
        if isinstance(model, Retro) and field_name == "scores":
            names = [
                f"{o.model.id}/{kr_id}"
                for o in self.objectives_of(model.owner, str(model.cycle))
                for kr_id in dict.fromkeys(kr.id for kr in o.model.key_results)
                if key in (kr_id, f"{o.model.id}/{kr_id}")
            ]
            return names[0] if len(names) == 1 else None
        return None

    def valid(self, kind: type) -> Iterator[Doc]:
        return (d for d in self.docs if isinstance(d.model, kind))


def _setting_meant(keys: tuple[str, ...]) -> tuple[str, ...] | None:
    """The setting a refused key of okrctl.yaml stands for: itself when the Config knows it; for a
    field its section does not know (``checkin: {confidance: …}``), that section, whose setting the
    field most likely was; for an unknown top-level key, the section it is most likely a slip for
    (``checkins:``), else None (``colour:`` stands for no setting)."""
    from pydantic import BaseModel

    from okrctl.load.documents import closest
    from okrctl.model.config import Config

    model: type[BaseModel] = Config
    for depth, part in enumerate(keys):
        field = model.model_fields.get(part)
        if field is None:
            if depth:
                return keys[:depth]
            section = closest(part, [name for name in model.model_fields if name not in ("api_version", "kind")])
            return (section,) if section is not None else None
        inner = field.annotation
        if not (isinstance(inner, type) and issubclass(inner, BaseModel)):
            return keys  # a value of its own (a number, a list): the setting is the key as refused
        model = inner
    return keys
