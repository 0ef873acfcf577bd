"""OKR201–OKR208, vertical alignment: every team objective links up, only upward, without loops or copies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from okrctl.analysis.alignment import (
    AlignmentIndex,
    aligned_while_unplaced,
    priority_served,
    served_targets,
    serving_objectives,
)
from okrctl.findings import Finding
from okrctl.load.documents import Doc
from okrctl.load.index import Target
from okrctl.model import Objective
from okrctl.model.objective import MetricKR
from okrctl.model.unit import STRATEGIC_UNIT_TYPES
from okrctl.render import numbers
from okrctl.rules.base import RuleContext
from okrctl.rules.relations import cycle_of, listing, normal_title, overlap, placeholder_kr, span, unit_type

STRATEGIC_TYPES = STRATEGIC_UNIT_TYPES


def check(ctx: RuleContext) -> Iterator[Finding]:
    for doc in ctx.objectives():
        yield from _aligns_to_nothing(ctx, doc)
        yield from _explicit(ctx, doc)
        yield from _targets(ctx, doc)
        yield from _cascaded_copy(ctx, doc)
    yield from _uncovered(ctx)
    yield from _loops(ctx)


def _upward_candidates(ctx: RuleContext, model: Objective) -> list[str]:
    """What an objective could align to: objectives of its ancestors, then strategy priorities."""
    repo = ctx.repo
    out: list[str] = []
    for ancestor in repo.ancestors(model.owner):
        docs = sorted(repo.objectives_of(ancestor), key=lambda d: d.model.id)
        out.extend(d.model.id for d in docs if overlap(repo, d.model, model))
    owners = {model.owner, *repo.ancestors(model.owner)}
    for doc in sorted(repo.strategies.values(), key=lambda d: d.model.id):
        if doc.model.owner in owners and overlap(repo, doc.model, model):
            out.extend(f"{doc.model.id}/{p.id}" for p in doc.model.priorities)
    return out


# ----- OKR201 ------------------------------------------------------------------------------------
def _aligns_to_nothing(ctx: RuleContext, doc: Doc[Objective]) -> Iterator[Finding]:
    model: Objective = doc.model
    if model.aligns or unit_type(ctx.repo, model.owner) != "team":
        return
    candidates = _upward_candidates(ctx, model)
    if candidates:
        hint = f"link it up with 'aligns: [{{to: {candidates[0]}}}]' (candidates: {listing(candidates, 4)})"
    else:
        hint = "link it up to an objective, key result or strategy priority of a parent unit: 'aligns: [{to: ...}]'"
    yield ctx.repo.finding(
        "OKR201",
        doc,
        ("id",),
        f"team objective '{model.id}' of '{model.owner}' aligns to nothing",
        hint,
        objective=model.id,
    )


# ----- OKR203, OKR204 ----------------------------------------------------------------------------
def _explicit(ctx: RuleContext, doc: Doc[Objective]) -> Iterator[Finding]:
    repo = ctx.repo
    model: Objective = doc.model
    explicit = [(i, link) for i, link in enumerate(model.aligns) if link.type == "explicit"]
    for i, link in explicit:
        target = repo.resolve(link.to)
        if target is None or target.kind == "key_result":
            continue  # a dangling target is OKR104
        if target.kind == "objective":
            krs = [f"{link.to}/{kr.id}" for kr in target.doc.model.key_results]
            what = "an objective"
            hint = (
                f"adopt one of its key results ({listing(krs, 3)}) or make the link 'type: directional'"
                if krs
                else "point at a key result (objective-id/kr-id) or make the link 'type: directional'"
            )
        else:
            what = "a strategy priority" if target.kind == "priority" else "a strategy"
            hint = "explicit alignment adopts a key result; link to a strategy with 'type: directional'"
        yield repo.finding(
            "OKR203",
            doc,
            ("aligns", i, "to"),
            f"explicit alignment of '{model.id}' points at '{link.to}', {what}, not a key result",
            hint,
            objective=model.id,
            target=link.to,
        )
    if len(explicit) > 1:
        first_index, first = explicit[0]
        for i, link in explicit[1:]:
            yield repo.finding(
                "OKR204",
                doc,
                ("aligns", i, "type"),
                f"'{model.id}' has more than one explicit alignment: '{link.to}' after '{first.to}' "
                f"(aligns[{first_index}])",
                "an objective adopts at most one key result; make the others 'type: directional'",
                objective=model.id,
                target=link.to,
            )


# ----- OKR205, OKR207 ----------------------------------------------------------------------------
def _relation(ctx: RuleContext, owner: str, other: str) -> str:
    repo = ctx.repo
    if other == owner:
        return "its own unit"
    if repo.is_ancestor(owner, other):
        return "a unit below it"
    mine, theirs = repo.unit(owner), repo.unit(other)
    if mine is not None and theirs is not None and mine.parent and mine.parent == theirs.parent:
        return "a peer unit"
    return "a unit that is not its ancestor"


def _ancestry_unknown(ctx: RuleContext, unit_id: str) -> bool:
    """The unit's chain of parents does not end at the root unit: it runs into a parent that is no
    unit (OKR104), into a loop of parents, or up to a second unit without a parent (OKR106).

    Which units are above it then depends on how that one mistake is fixed, so whether an alignment
    points up cannot be told: the unit's own finding is the one (one finding per cause), for its
    objectives and for those of the units below it, whose chain passes through it.
    """
    if ctx.echo.chain_broken(unit_id):
        return True
    repo = ctx.repo
    root = repo.root_unit()  # the root OKR106 keeps: the other units without a parent are its findings
    if unit_id == root:
        return False
    return root is None or not repo.is_ancestor(root, unit_id)


def _targets(ctx: RuleContext, doc: Doc[Objective]) -> Iterator[Finding]:
    repo = ctx.repo
    model: Objective = doc.model
    own_cycle = cycle_of(repo, model)
    for i, link in enumerate(model.aligns):
        target = repo.resolve(link.to)
        if target is None:
            continue
        yield from _upward(ctx, doc, i, target)
        target_cycle = repo.cycle(target.cycle_id)
        if own_cycle is not None and target_cycle is not None and not own_cycle.overlaps(target_cycle):
            yield repo.finding(
                "OKR207",
                doc,
                ("aligns", i, "to"),
                f"'{model.id}' of {span(own_cycle)} aligns to '{link.to}' of {span(target_cycle)}: "
                "the cycles do not overlap",
                "align to what the parent pursues in the same period (its objective of an overlapping cycle), "
                "or correct the cycle",
                objective=model.id,
                target=link.to,
            )


def _upward(ctx: RuleContext, doc: Doc[Objective], index: int, target: Target) -> Iterator[Finding]:
    repo = ctx.repo
    model: Objective = doc.model
    if model.owner not in repo.units or target.owner not in repo.units:
        return  # an unknown owner is OKR104
    if _ancestry_unknown(ctx, model.owner):
        return  # the unit's own OKR104 or OKR106 is the finding: its ancestors cannot be told
    if target.kind in ("objective", "key_result") and target.doc.model.id == model.id:
        return  # aligning to itself is a loop (OKR206)
    if repo.is_ancestor(target.owner, model.owner):
        return
    if target.kind in ("strategy", "priority"):
        if target.owner == model.owner:
            return  # a unit may serve its own strategy
        what = "priority" if target.kind == "priority" else "strategy"
    else:
        what = "key result" if target.kind == "key_result" else "objective"
    relation = _relation(ctx, model.owner, target.owner)
    ancestors = repo.ancestors(model.owner)
    up = ", ".join(ancestors) if ancestors else "none: it is the root unit"
    yield repo.finding(
        "OKR205",
        doc,
        ("aligns", index, "to"),
        f"'{model.id}' of '{model.owner}' aligns to {what} '{target.ref}' of '{target.owner}', {relation}",
        f"vertical alignment points up to an ancestor (of '{model.owner}': {up}); "
        "for help from a peer use 'depends_on' / 'supports'",
        objective=model.id,
        target=target.ref,
    )


# ----- OKR208 ------------------------------------------------------------------------------------
def _same_kr(mine: MetricKR, theirs: MetricKR) -> bool:
    if placeholder_kr(mine) or placeholder_kr(theirs):
        # A draft of ``plan --write`` repeats the same placeholders (0 → 1) for every team: they
        # copy nothing yet, and OKR307 already tells the team to write its own.
        return False
    same_metric = mine.metric is not None and mine.metric == theirs.metric
    same_title = normal_title(mine.title) == normal_title(theirs.title)
    return (same_metric or same_title) and mine.baseline == theirs.baseline and mine.target == theirs.target


def _cascaded_copy(ctx: RuleContext, doc: Doc[Objective]) -> Iterator[Finding]:
    repo = ctx.repo
    model: Objective = doc.model
    parents: list[Objective] = []
    for link in model.aligns:
        target = repo.resolve(link.to)
        if target is None or target.objective is None or target.objective.id == model.id:
            continue
        if all(p.id != target.objective.id for p in parents):
            parents.append(target.objective)
    if not parents:
        return
    for i, kr in enumerate(model.key_results):
        if not isinstance(kr, MetricKR) or kr.baseline is None or kr.target is None:
            continue
        copied = next(
            (
                (parent, theirs)
                for parent in parents
                for theirs in parent.key_results
                if isinstance(theirs, MetricKR) and _same_kr(kr, theirs)
            ),
            None,
        )
        if copied is None:
            continue
        parent, theirs = copied
        yield repo.finding(
            "OKR208",
            doc,
            ("key_results", i, "title"),
            f"key result '{model.id}/{kr.id}' copies '{parent.id}/{theirs.id}' of '{parent.owner}' "
            f"({numbers.plain(kr.baseline)} → {numbers.plain(kr.target)})",
            f"write the lever '{model.owner}' controls: what will this team move so that "
            f"'{parent.id}/{theirs.id}' moves? (co-create, do not cascade)",
            objective=model.id,
            key_result=kr.id,
            target=f"{parent.id}/{theirs.id}",
        )


# ----- OKR202 ------------------------------------------------------------------------------------
def _is_served(
    ctx: RuleContext, ref: str, what: Any, served: dict[str, list[Objective]], whole: str | None = None
) -> bool:
    """Something aligns to ``ref`` (or to ``whole``, the strategy of a priority, which serves each of its
    priorities) in an overlapping cycle — or an objective whose cycle is unknown, or a broken one, does:
    their own findings come first (one finding per cause)."""
    repo = ctx.repo
    aligned = served.get(ref, []) + (served.get(whole, []) if whole else [])
    if any(overlap(repo, o, what) or cycle_of(repo, o) is None for o in aligned):
        return True
    return ctx.echo.served(ref)


def _echoed(ctx: RuleContext, ref: str, whole: str | None = None) -> bool:
    """A broken objective, or one whose cycle is unknown, aligns to ``ref`` (or into it), or to ``whole``
    (a priority's strategy): its own finding comes first."""
    if ctx.echo.served(ref) or (whole is not None and any(whole in f.aligns for f in ctx.echo.broken.objectives)):
        return True
    return aligned_while_unplaced(ctx.repo, ref, whole)


def _uncovered(ctx: RuleContext) -> Iterator[Finding]:
    """Priorities and strategic objectives that no objective of an overlapping cycle aligns to."""
    repo = ctx.repo
    served: dict[str, list[Objective]] = defaultdict(list)  # objective id -> objectives aligned to it
    # A target misspelt (OKR104, whose "did you mean" names the intended one) -> the objectives that
    # wrote it: the priority or objective they meant is not reported unserved for that same slip.
    meant: dict[str, list[Objective]] = defaultdict(list)
    for doc in repo.objectives.values():
        model: Objective = doc.model
        for link in model.aligns:
            target = repo.resolve(link.to)
            if target is None:
                # (never its own id: a slip of that is no alignment to it, and serves nothing)
                guess = repo.meant_ref(link.to, model.id, model.owner)
                if guess is not None:
                    meant[guess].append(model)
                    head = guess.split("/", 1)[0]
                    if head != guess and head in repo.objectives:  # an objective/kr: the objective too
                        meant[head].append(model)
                continue
            if target.kind in ("objective", "key_result") and target.doc.model.id != model.id:
                served[target.doc.model.id].append(model)
    selected_cycles = [c for c in (repo.cycle(i) for i in ctx.cycles or ()) if c is not None]
    index = AlignmentIndex(repo, list(repo.objectives))
    for strategy_doc in sorted(repo.strategies.values(), key=lambda d: d.model.id):
        strategy = strategy_doc.model
        strategy_cycle = cycle_of(repo, strategy)
        if strategy_cycle is None:
            continue
        if ctx.cycles is not None and not any(strategy_cycle.overlaps(c) for c in selected_cycles):
            continue
        served_by_cycle = served_targets(repo, serving_objectives(repo, strategy), index)
        for i, priority in enumerate(strategy.priorities):
            ref = f"{strategy.id}/{priority.id}"
            if priority_served(served_by_cycle, strategy.id, priority.id) or _echoed(ctx, ref, strategy.id):
                continue
            if _is_served(ctx, ref, strategy, meant, whole=strategy.id):
                continue  # an alignment to it or to its strategy is misspelt: that one mistake is its OKR104
            if ctx.echo.unread_below(strategy.owner):
                continue  # what the file okrctl cannot read aligns to is unknown: its OKR100 comes first
            yield repo.finding(
                "OKR202",
                strategy_doc,
                ("priorities", i, "id"),
                f"strategy priority '{ref}' has no objective aligned to it in {strategy_cycle.id}",
                f"align an objective of {strategy_cycle.id} to it ('aligns: [{{to: {ref}}}]'), "
                "or drop the priority if it is no longer one",
                strategy=strategy.id,
                priority=priority.id,
            )
    for doc in ctx.objectives():
        model = doc.model
        if unit_type(repo, model.owner) not in STRATEGIC_TYPES or cycle_of(repo, model) is None:
            continue
        if _is_served(ctx, model.id, model, served) or ctx.echo.unread_below(model.owner):
            continue
        if _is_served(ctx, model.id, model, meant):
            continue  # an alignment to it (or to one of its key results) is misspelt: its OKR104
        below = repo.children(model.owner)
        who = f"an objective of {listing(below, 4)}" if below else "an objective"
        yield repo.finding(
            "OKR202",
            doc,
            ("id",),
            f"strategic objective '{model.id}' of '{model.owner}' has nothing aligned to it",
            f"align {who} to it or to one of its key results ('aligns: [{{to: {model.id}}}]')",
            objective=model.id,
        )


# ----- OKR206 ------------------------------------------------------------------------------------
def _loops(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    # objective id -> [(target objective id, alignment index)]
    edges: dict[str, list[tuple[str, int]]] = {}
    for oid, doc in repo.objectives.items():
        out: list[tuple[str, int]] = []
        for i, link in enumerate(doc.model.aligns):
            target = repo.resolve(link.to)
            if target is not None and target.objective is not None:
                out.append((target.objective.id, i))
        edges[oid] = out
    reported: set[frozenset[str]] = set()
    for loop in _find_loops(edges):
        members = frozenset(loop)
        if members in reported:
            continue
        reported.add(members)
        if not any(ctx.selected(repo.objectives[o].model.cycle) for o in loop):
            continue
        start = loop.index(min(loop))
        ordered = loop[start:] + loop[:start]
        nxt = ordered[1] if len(ordered) > 1 else ordered[0]
        index = next(i for target, i in edges[ordered[0]] if target == nxt)
        doc = repo.objectives[ordered[0]]
        link = doc.model.aligns[index]
        yield repo.finding(
            "OKR206",
            doc,
            ("aligns", index, "to"),
            "alignment loop: " + " → ".join([*ordered, ordered[0]]),
            f"alignment points up the tree and must end at a strategy; remove '{link.to}' from the aligns of "
            f"'{ordered[0]}' or of another objective in the loop",
            objective=ordered[0],
            target=link.to,
        )


def _find_loops(edges: dict[str, list[tuple[str, int]]]) -> Iterator[list[str]]:
    """One loop for every back edge an iterative depth-first search meets (loop-safe, no recursion)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for root in sorted(edges):
        if root in state:
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(sorted({t for t, _ in edges[root]})))]
        path = [root]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            if child not in edges:
                continue
            if state.get(child) == 1:
                yield path[path.index(child) :]
            elif child not in state:
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted({t for t, _ in edges[child]}))))
