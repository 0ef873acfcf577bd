"""Vertical alignment as a graph: who aligns to what, resolved once for the report and the map."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from okrctl.load.index import Repo
from okrctl.model import Objective, Strategy
from okrctl.model.cycle import Cycle


@dataclass(frozen=True)
class Link:
    """One resolved ``aligns`` entry of an objective."""

    source: str  # the objective that aligns
    target: str  # an objective id, a strategy id, or "strategy-id/priority-id"
    target_kind: str  # "objective" | "priority" | "strategy"
    key_result: str | None  # set when the objective aligns to one key result of ``target``
    type: str  # "explicit" | "directional"

    @property
    def ref(self) -> str:
        """The reference as written in the file (``objective/kr`` for a key result)."""
        return f"{self.target}/{self.key_result}" if self.key_result else self.target


def links_of(repo: Repo, objective: Objective) -> list[Link]:
    """The objective's alignments that resolve (dangling ones are `align`'s business: OKR104)."""
    out: list[Link] = []
    for alignment in objective.aligns:
        target = repo.resolve(alignment.to)
        if target is None:
            continue
        if target.kind == "key_result" and target.key_result is not None:
            out.append(Link(objective.id, target.doc.model.id, "objective", target.key_result.id, alignment.type))
        elif target.kind == "objective":
            out.append(Link(objective.id, target.doc.model.id, "objective", None, alignment.type))
        elif target.kind == "priority":
            out.append(Link(objective.id, target.ref, "priority", None, alignment.type))
        else:
            out.append(Link(objective.id, target.doc.model.id, "strategy", None, alignment.type))
    return out


@dataclass(frozen=True)
class Contribution:
    """An objective that feeds a target, directly (depth 1) or through others (``via``)."""

    objective_id: str
    link: Link  # its own link one level up (to the target, or to the objective in ``via[-1]``)
    depth: int
    via: tuple[str, ...]  # objectives between the target and this one, top first


class AlignmentIndex:
    """Links up and down between a set of objectives (and the priorities they serve)."""

    def __init__(self, repo: Repo, objective_ids: Iterable[str]) -> None:
        self.up: dict[str, list[Link]] = {}
        self.down: dict[str, list[Link]] = {}
        for objective_id in sorted(set(objective_ids)):
            objective = repo.objective(objective_id)
            if objective is None:
                continue
            links = links_of(repo, objective)
            self.up[objective_id] = links
            for link in links:
                self.down.setdefault(link.target, []).append(link)

    def contributors(self, target: str, order: dict[str, tuple] | None = None) -> list[Contribution]:
        """Everything that aligns to ``target`` or one of its KRs, transitively, parents before children.

        Each objective appears once (on its first path); alignment loops end where they close.
        ``order`` gives the sort key of siblings (default: the objective id).
        """
        out: list[Contribution] = []
        seen = {target}

        def key(link: Link) -> tuple:
            return (order or {}).get(link.source, ()) + (link.source,)

        # Depth first with an explicit stack (a chain of thousands of objectives is no deeper for
        # Python than a flat list): each frame is a node's sorted links and how far along they are.
        stack: list[tuple[list[Link], int, int, tuple[str, ...]]] = [
            (sorted(self.down.get(target, []), key=key), 0, 1, ())
        ]
        while stack:
            links, index, depth, via = stack.pop()
            if index >= len(links):
                continue
            stack.append((links, index + 1, depth, via))
            link = links[index]
            if link.source in seen:
                continue
            seen.add(link.source)
            out.append(Contribution(link.source, link, depth, via))
            stack.append((sorted(self.down.get(link.source, []), key=key), 0, depth + 1, via + (link.source,)))
        return out

    def reaches(self, objective_id: str) -> set[str]:
        """Every target above ``objective_id`` (objectives, priorities, strategies), loop-safe."""
        return self.reaches_from([objective_id])

    def reaches_from(self, objective_ids: Iterable[str]) -> set[str]:
        """Every target above any of ``objective_ids``: one walk, each link followed once."""
        found: set[str] = set()
        stack = list(objective_ids)
        while stack:
            current = stack.pop()
            for link in self.up.get(current, []):
                if link.target not in found:
                    found.add(link.target)
                    stack.append(link.target)
        return found


def served_targets(repo: Repo, objective_ids: Iterable[str], index: AlignmentIndex | None = None) -> set[str]:
    """Every target (objective, priority, strategy) the objectives serve, directly or through the
    objectives they align to. ``index`` (default: one over these objectives) is what is walked."""
    ids = list(objective_ids)
    index = index if index is not None else AlignmentIndex(repo, ids)
    return index.reaches_from(ids)


def priority_served(served: set[str], strategy_id: str, priority_id: str) -> bool:
    """Is this priority served? Yes when an objective serves it, or its whole strategy.

    The one answer for ``align`` (OKR202), ``report`` (priorities without contributors) and ``map``.
    """
    return strategy_id in served or f"{strategy_id}/{priority_id}" in served


def in_overlapping_cycle(repo: Repo, objective: Objective, cycles: Iterable[Cycle]) -> bool:
    """Whether the objective's cycle overlaps one of ``cycles`` (a quarter's objective serves its
    year's priorities): how ``report``, ``map`` and ``plan`` take the objectives of a period."""
    found = repo.cycle(objective.cycle)
    return found is not None and any(found.overlaps(c) for c in cycles)


def objectives_live(repo: Repo, start: date, end: date) -> list[str]:
    """The objectives whose cycle runs on some day from ``start`` to ``end``: those a period's
    ``report`` and ``map`` count as serving a priority (last quarter's objective does not serve
    this quarter's month, though both quarters overlap the year). Repository order."""
    out = []
    for doc in repo.objectives.values():
        found = repo.cycle(doc.model.cycle)
        if found is not None and found.start <= end and start <= found.end:
            out.append(doc.model.id)
    return out


def serving_objectives(repo: Repo, strategy: Strategy) -> list[str]:
    """The objectives whose alignments count for a strategy's priorities: those whose cycle overlaps
    the strategy's (a quarter's objective serves its year's priorities; next year's does not); none
    when the strategy's cycle is unknown (its OKR104 comes first). Repository order."""
    found = repo.cycle(str(strategy.cycle))
    return [d.model.id for d in repo.objectives.values() if found and in_overlapping_cycle(repo, d.model, (found,))]


def priority_contributors(repo: Repo, index: AlignmentIndex, strategy: Strategy, priority_id: str) -> list[str]:
    """The objectives that serve a priority, in id order: those of ``serving_objectives`` that align to
    it or to the whole strategy, directly or through other objectives. Not empty exactly when
    ``priority_served`` says so for ``align`` (OKR202); what ``diff`` counts as contributors."""
    counted = set(serving_objectives(repo, strategy))
    reaching = index.contributors(f"{strategy.id}/{priority_id}") + index.contributors(strategy.id)
    return sorted({c.objective_id for c in reaching} & counted)


def aligned_while_unplaced(repo: Repo, ref: str, whole: str | None = None) -> bool:
    """Whether an objective whose cycle is unknown (OKR104; any cycle, when okrctl.yaml cannot be
    read) aligns to ``ref`` or into it (one of its key results), or to ``whole`` (a priority's
    strategy). Its cycle is judged first: what it aligns to is served as far as ``align`` tells
    (no OKR202), and ``diff`` says it neither lost its last contributor nor got its first."""
    for doc in repo.objectives.values():
        if repo.cycle(str(doc.model.cycle)) is None and any(
            link.to in (ref, whole) or link.to.startswith(ref + "/") for link in doc.model.aligns
        ):
            return True
    return False


def strategies_above(repo: Repo, unit: str, cycles: list[Cycle]) -> list[Strategy]:
    """Strategies owned by the unit or an ancestor, in a cycle that overlaps ``cycles``; id order."""
    owners = {unit, *repo.ancestors(unit)}
    out = []
    for strategy_id in sorted(repo.strategies):
        strategy = repo.strategies[strategy_id].model
        strategy_cycle = repo.cycle(strategy.cycle)
        if strategy.owner in owners and strategy_cycle is not None and any(strategy_cycle.overlaps(c) for c in cycles):
            out.append(strategy)
    return out
