"""The alignment map: strategy priorities → strategic OKRs → team OKRs, with peer dependencies.

Nodes are the objectives owned by the unit and every unit below it, plus whatever they align to
upward (objectives of ancestor units and strategy priorities, shown as context), plus every
priority of the strategies of the unit and its ancestors (so a priority nobody serves is seen).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from okrctl.analysis.alignment import (
    AlignmentIndex,
    Link,
    in_overlapping_cycle,
    links_of,
    objectives_live,
    priority_served,
    served_targets,
    strategies_above,
)
from okrctl.analysis.state import objective_state
from okrctl.load.index import Repo
from okrctl.model import Objective
from okrctl.model.cycle import Cycle
from okrctl.views.scope import checkins_of_cycles, cycles_for, latest_cycle, resolve_unit, strategy_cycles

if TYPE_CHECKING:
    from okrctl.load.pipeline import Scope


@dataclass
class MapNode:
    key: str  # objective id, strategy id, or "strategy-id/priority-id"
    kind: str  # "priority" | "strategy" | "objective"
    title: str
    owner: str | None = None
    owner_name: str | None = None
    cycle: str | None = None
    status: str | None = None
    confidence: float | None = None
    progress: float | None = None
    in_scope: bool = True  # False: shown for context (what the map's objectives align to)
    # For a context node: owned by an ancestor of the unit (``above``), by a unit neither above it
    # nor below it, a peer say (``outside``), else by the unit or one below it in another cycle
    # than the map's (neither).
    above: bool = True
    outside: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.key, "kind": self.kind, "title": self.title, "in_scope": self.in_scope}
        if self.kind == "objective":
            out.update(
                owner=self.owner,
                cycle=self.cycle,
                status=self.status,
                confidence=self.confidence,
                progress=None if self.progress is None else round(self.progress, 4),
            )
        return out


@dataclass(frozen=True)
class Dependency:
    """A peer dependency (horizontal alignment) of an objective on the map."""

    source: str  # the objective that needs something
    unit: str
    unit_name: str
    need: str
    for_kr: str | None
    # An objective of the providing unit, in a cycle overlapping the source's, lists ``source``
    # under ``supports`` (OKR401's test, whatever cycles the map shows).
    acknowledged: bool
    # The providing unit's objective the drawings point the need at, on the map: the acknowledging
    # one; with no acknowledgement, any of the unit's (the need is still its). None: none there.
    provider: str | None
    # The objective that acknowledges it (one on the map first), on the map or not: only that one
    # is named, never another objective of the providing unit that does not list ``source``.
    acknowledged_by: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "objective": self.source,
            "unit": self.unit,
            "need": self.need,
            "for": self.for_kr,
            "acknowledged": self.acknowledged,
            "acknowledged_by": self.acknowledged_by,
            "provider": self.provider,
        }


@dataclass
class AlignmentMap:
    organization: str | None
    unit: str
    unit_name: str
    cycles: list[Cycle]
    day: date
    confidence_max: float
    nodes: dict[str, MapNode]  # in display order
    links: list[Link]  # child → parent, only between nodes of the map
    dependencies: list[Dependency]
    orphans: list[str]  # objectives of the unit's subtree that align to nothing
    # With no objective of the unit's subtree in the cycles: the latest started cycle that has some.
    latest_elsewhere: str | None = None

    children: dict[str, list[Link]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for link in self.links:
            self.children.setdefault(link.target, []).append(link)

    def roots(self) -> list[str]:
        """Priorities and strategies: the top of the tree."""
        return [k for k, n in self.nodes.items() if n.kind != "objective"]

    def uncovered(self) -> list[str]:
        """Priorities nothing on the map aligns to."""
        return [k for k in self.roots() if k not in self.children]

    def layers(self) -> dict[str, int]:
        """Layer of each node for a drawing: priorities 0, then one below the lowest thing served."""
        up: dict[str, list[str]] = {}
        for link in self.links:
            up.setdefault(link.source, []).append(link.target)
        layer: dict[str, int] = {}
        # Depth first with an explicit stack; a parent still on the stack closes a loop and is
        # skipped, exactly as a recursion would skip the keys on its own path.
        on_path: set[str] = set()
        for start in self.nodes:
            if start in layer:
                continue
            stack = [start]
            on_path.add(start)
            while stack:
                key = stack[-1]
                if self.nodes[key].kind != "objective":
                    layer[key] = 0
                else:
                    pending = [p for p in up.get(key, []) if p not in layer and p not in on_path]
                    if pending:
                        stack.append(pending[0])
                        on_path.add(pending[0])
                        continue
                    known = [layer[p] for p in up.get(key, []) if p in layer]
                    layer[key] = 1 + max(known, default=0)
                stack.pop()
                on_path.discard(key)
        return layer

    def to_dict(self) -> dict[str, Any]:
        return {
            "unit": {"id": self.unit, "name": self.unit_name},
            "cycles": [c.id for c in self.cycles],
            "nodes": [n.to_dict() for n in self.nodes.values()],
            "links": [
                {"from": link.source, "to": link.target, "key_result": link.key_result, "type": link.type}
                for link in self.links
            ],
            "dependencies": [d.to_dict() for d in self.dependencies],
            "orphans": self.orphans,
            "priorities_without_contributors": self.uncovered(),
        }


def _objectives_of_map(repo: Repo, unit_id: str, wanted: set[str]) -> list[Objective]:
    """The objectives the map is about: those of ``unit_id`` and every unit below it in the cycles
    ``wanted``, in tree order."""
    owners = repo.scope_units(unit_id)
    owner_rank = {owner: i for i, owner in enumerate(owners)}
    return sorted(
        (d.model for d in repo.objectives.values() if d.model.owner in owner_rank and str(d.model.cycle) in wanted),
        key=lambda o: (owner_rank[o.owner], o.id),
    )


def _reached(repo: Repo, start: list[str]) -> list[str]:
    """``start`` and every objective reached from it by walking its alignments upward, in the order
    they are reached (each once)."""
    pending, seen, out = list(start), set(), []
    while pending:
        objective_id = pending.pop(0)
        if objective_id in seen:
            continue
        seen.add(objective_id)
        model = repo.objective(objective_id)
        if model is None:
            continue
        out.append(objective_id)
        pending += [link.target for link in links_of(repo, model) if link.target_kind == "objective"]
    return out


def _map_cycles(repo: Repo, unit_id: str, today: date, cycle: str | None) -> list[Cycle]:
    """``--cycle``, else the cycles containing today; before the first objective cycle of the unit
    and the units under it, the cycle of the strategy above the unit that holds the day, as
    ``report`` takes it: its priorities are drawn, served by nobody yet. In a gap between two
    objective cycles (the week after a quarter ended) the map says so and names the latest cycle
    instead: the strategy's year would be drawn as holding no objective, its priorities served."""
    found = cycles_for(repo, today, cycle)
    if found or cycle is not None:
        return found
    owned = (d.model for owner in repo.scope_units(unit_id) for d in repo.objectives_of(owner))
    if latest_cycle(repo, owned, started_by=today) is not None:
        return []
    return strategy_cycles(repo, unit_id, today)


def map_scope(repo: Repo, *, today: date, unit: str | None = None, cycle: str | None = None) -> Scope:
    """The check-ins ``build_map`` reads: those of its cycles, and of the cycles of the context
    objectives it reaches upward (their states read their own cycles' check-ins)."""
    unit_id = resolve_unit(repo, unit)
    cycles = _map_cycles(repo, unit_id, today, cycle)
    wanted = {c.id for c in cycles}
    shown = _reached(repo, [o.id for o in _objectives_of_map(repo, unit_id, wanted)])
    other_ids = {str(model.cycle) for i in shown if (model := repo.objective(i)) is not None} - wanted
    others = [found for i in sorted(other_ids) if (found := repo.cycle(i)) is not None]
    return checkins_of_cycles([*cycles, *others])


def build_map(
    repo: Repo,
    *,
    today: date,
    unit: str | None = None,
    cycle: str | None = None,
    cycle_ids: set[str] | None = None,
    period: tuple[date, date] | None = None,
) -> AlignmentMap:
    """The map of ``unit`` (default: the root) for ``cycle`` (default: the cycles containing today,
    else the strategy's above the unit: ``_map_cycles``).

    ``period`` (default: from the latest start of the cycles up to today, within them) is when an
    objective must run to count as serving a priority."""
    unit_id = resolve_unit(repo, unit)
    cycles = (
        [c for c in (repo.cycle(i) for i in sorted(cycle_ids)) if c is not None]
        if cycle_ids is not None
        else _map_cycles(repo, unit_id, today, cycle)
    )
    wanted = {c.id for c in cycles}
    owners = repo.scope_units(unit_id)
    subtree = set(owners)
    ancestors = set(repo.ancestors(unit_id))
    names = {uid: d.model.display_name for uid, d in repo.units.items()}
    in_scope = _objectives_of_map(repo, unit_id, wanted)
    nodes: dict[str, MapNode] = {}
    objective_nodes: dict[str, MapNode] = {}
    links: list[Link] = []

    # Strategy priorities of the unit and its ancestors come first, in the strategy's order: those
    # the map's objectives serve, and those nothing in the organisation serves (a gap to see).
    index = AlignmentIndex(repo, list(repo.objectives))  # reaching up through ancestors' objectives too
    served_here = served_targets(repo, [o.id for o in in_scope], index)
    # Served anywhere: by an objective running in the map's period (a year's priority is served by
    # this quarter's objectives, not by last quarter's), as ``report`` counts it for its month. A
    # priority only an ended cycle served is a gap of the period, drawn with no contributor.
    if period is None:
        start = max((c.start for c in cycles), default=today)
        period = (start, min(min((c.end for c in cycles), default=today), max(today, start)))
    served_anywhere = served_targets(repo, objectives_live(repo, *period))
    for strategy in strategies_above(repo, unit_id, cycles):
        for priority in strategy.priorities:
            key = f"{strategy.id}/{priority.id}"
            # Served through the map's objectives (its links are drawn), or by nothing at all (a gap).
            if key in served_here or not priority_served(served_anywhere, strategy.id, priority.id):
                nodes[key] = MapNode(key, "priority", priority.title, owner=strategy.owner, cycle=str(strategy.cycle))

    def objective_node(objective_id: str, scoped: bool) -> MapNode | None:
        model = repo.objective(objective_id)
        if model is None:
            return None
        state = objective_state(repo, model, today, forecasts=False)  # a node shows no forecast
        return MapNode(
            model.id,
            "objective",
            model.title,
            owner=model.owner,
            owner_name=names.get(model.owner, model.owner),
            cycle=str(model.cycle),
            status=state.status if state else None,
            confidence=state.confidence if state else None,
            progress=state.progress if state else None,
            in_scope=scoped,
            # Only an ancestor's objective is "above the unit": a peer's is not (OKR205's "peer unit").
            above=model.owner in ancestors,
            outside=model.owner not in subtree and model.owner not in ancestors,
        )

    # Walk upward from every objective of the subtree; context nodes join as they are reached.
    pending = [o.id for o in in_scope]
    scoped_ids = set(pending)
    orphans = []
    while pending:
        objective_id = pending.pop(0)
        if objective_id in objective_nodes:
            continue
        node = objective_node(objective_id, objective_id in scoped_ids)
        if node is None:
            continue
        objective_nodes[objective_id] = node
        model = repo.objective(objective_id)
        own_links = links_of(repo, model) if model is not None else []
        if not own_links and objective_id in scoped_ids:
            orphans.append(objective_id)
        for link in own_links:
            links.append(link)
            if link.target_kind == "objective":
                pending.append(link.target)
            elif link.target not in nodes:
                target = repo.resolve(link.target)
                title = link.target
                if target is not None and target.priority is not None:
                    title = target.priority.title
                elif target is not None:
                    title = target.doc.model.vision or target.doc.model.id
                nodes[link.target] = MapNode(
                    link.target, link.target_kind, title, owner=target.owner if target else None, in_scope=False
                )

    # Context objectives first (they sit above), then the unit's own in tree order.
    context = sorted((n for n in objective_nodes.values() if not n.in_scope), key=lambda n: n.key)
    for node in context:
        nodes[node.key] = node
    for objective in in_scope:
        if objective.id in objective_nodes:
            nodes[objective.id] = objective_nodes[objective.id]
    links = [link for link in links if link.source in nodes and link.target in nodes]

    dependencies = []
    for objective in in_scope:
        found = repo.cycle(objective.cycle)
        own_cycle = [found] if found is not None else []
        for need in objective.depends_on:
            # Acknowledged as OKR401 has it: by an objective of the unit in a cycle overlapping the
            # needing objective's (a year's objective acknowledges a quarter's need), on the map or not.
            acknowledging = sorted(
                (
                    d.model.id
                    for d in repo.objectives_of(need.unit)
                    if objective.id in d.model.supports and in_overlapping_cycle(repo, d.model, own_cycle)
                ),
                key=lambda i: (i not in nodes, i),
            )
            if acknowledging:
                # The arrow goes to the acknowledging objective or to none: never to another of
                # the unit's objectives, which would read as the one that took the need on.
                provider = acknowledging[0] if acknowledging[0] in nodes else None
            else:
                on_map = [d.model.id for d in repo.objectives_of(need.unit) if d.model.id in nodes]
                provider = on_map[0] if on_map else None
            dependencies.append(
                Dependency(
                    objective.id,
                    need.unit,
                    names.get(need.unit, need.unit),
                    need.need,
                    need.for_,
                    bool(acknowledging),
                    provider,
                    acknowledging[0] if acknowledging else None,
                )
            )
    latest_elsewhere = None
    if not in_scope:
        owned = (d.model for owner in owners for d in repo.objectives_of(owner))
        latest_elsewhere = latest_cycle(repo, owned, started_by=today)
    scale = repo.config.checkin.confidence
    return AlignmentMap(
        organization=repo.config.organization,
        unit=unit_id,
        unit_name=names.get(unit_id, unit_id),
        cycles=cycles,
        day=today,
        confidence_max=scale.max,
        nodes=nodes,
        links=links,
        dependencies=dependencies,
        orphans=orphans,
        latest_elsewhere=latest_elsewhere,
    )
