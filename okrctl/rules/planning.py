"""The planning gate: OKR209 chains that never reach the strategy, OKR210 cycles without a
strategy, OKR307 drafts of ``plan --write`` still holding their placeholders.

One finding per cause here too: a chain that stops short is reported once, on the objective where
it stops (not on every objective below it); a cycle without a strategy is reported once, not as
an OKR209 on each of its objectives.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from okrctl.findings import Finding
from okrctl.load.documents import Doc
from okrctl.model import Objective
from okrctl.model.cycle import Cycle
from okrctl.render.numbers import counted
from okrctl.rules.base import RuleContext
from okrctl.rules.relations import cycle_of, listing, placeholder, unit_type

DRAFT_WARNING_DAYS = 14  # OKR307 warns this many days before the cycle starts


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from _without_strategy(ctx)
    yield from _chains(ctx)
    yield from _placeholders(ctx)


def _strategy_cycles(ctx: RuleContext) -> list[Cycle]:
    """Cycles of every Strategy, including broken ones that still declare a cycle."""
    repo = ctx.repo
    ids = [str(d.model.cycle) for d in repo.strategies.values()]
    ids += [d.cycle for d in ctx.echo.broken.strategies if d.cycle]
    return [c for c in (repo.cycle(i) for i in ids) if c is not None]


def _covered(ctx: RuleContext, cycle: Cycle) -> bool:
    if any(s.overlaps(cycle) for s in _strategy_cycles(ctx)):
        return True
    # A strategy whose cycle is unknown (OKR104) or unreadable (OKR101) may be the one: its own
    # finding comes first.
    unknown = any(ctx.repo.cycle(str(d.model.cycle)) is None for d in ctx.repo.strategies.values())
    return unknown or any(d.cycle is None or ctx.repo.cycle(d.cycle) is None for d in ctx.echo.broken.strategies)


# ----- OKR210 ------------------------------------------------------------------------------------
def _without_strategy(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    by_cycle: dict[str, tuple[Cycle, list[Doc]]] = {}
    for doc in ctx.objectives():
        cycle = cycle_of(repo, doc.model)
        if cycle is None or cycle.end < ctx.today:
            continue  # unknown (OKR104) or over: only active and planned cycles need a strategy
        by_cycle.setdefault(cycle.id, (cycle, []))[1].append(doc)
    for cycle_id in sorted(by_cycle):
        cycle, docs = by_cycle[cycle_id]
        if _covered(ctx, cycle):
            continue
        first = min(docs, key=lambda d: (d.path, d.line))
        when = "an active" if cycle.start <= ctx.today else "a planned"
        names = listing(sorted(d.model.id for d in docs), 3)
        finding = repo.finding(
            "OKR210",
            first,
            ("cycle",),
            f"no Strategy covers '{cycle_id}' ({cycle.start} – {cycle.end}), {when} cycle with "
            f"{len(docs)} objective{'s' if len(docs) != 1 else ''} ({names})",
            f"write the strategy its objectives serve (kind: Strategy, cycle: {cycle_id} or its year) "
            "with its priorities, so that teams can align to them",
            cycle=cycle_id,
        )
        # About the cycle, shown at its first objective: another objective file added, removed or
        # renamed before it leaves it the same finding.
        yield replace(finding, representative=True)


# ----- OKR209 ------------------------------------------------------------------------------------
def _chains(ctx: RuleContext) -> Iterator[Finding]:
    """Objectives where an alignment chain stops without reaching a strategy or one of its priorities."""
    repo = ctx.repo
    below: dict[str, set[str]] = {}  # objective id -> objectives that align to it (directly)
    for doc in repo.objectives.values():
        for link in doc.model.aligns:
            target = repo.resolve(link.to)
            if target is not None and target.objective is not None and target.objective.id != doc.model.id:
                below.setdefault(target.objective.id, set()).add(doc.model.id)
    for doc in ctx.objectives():
        model: Objective = doc.model
        if model.aligns:
            continue  # it links up: where its chain stops is judged at the top of the chain
        if unit_type(repo, model.owner) in ("team", None):
            continue  # a team objective aligned to nothing is OKR201; an unknown owner OKR104
        cycle = cycle_of(repo, model)
        if cycle is None or not _covered(ctx, cycle):
            continue  # an unknown cycle is OKR104; no strategy at all is OKR210
        relying = _all_below(model.id, below)
        candidates = _priorities(ctx, model, cycle)
        hint = (
            f"link it to what it serves: 'aligns: [{{to: {candidates[0]}}}]' (priorities: {listing(candidates, 4)})"
            if candidates
            else "link it to a strategy priority of its unit or an ancestor: 'aligns: [{to: strategy-id/priority-id}]'"
        )
        message = f"'{model.id}' of '{model.owner}' aligns to no strategy priority"
        if relying:
            many = len(relying) != 1
            message += (
                f", so the {len(relying)} objective{'s' if many else ''} aligned up through it "
                f"({listing(sorted(relying), 3)}) never reach{'' if many else 'es'} the strategy either"
            )
        yield repo.finding("OKR209", doc, ("id",), message, hint, objective=model.id)


def _all_below(objective_id: str, below: dict[str, set[str]]) -> set[str]:
    out: set[str] = set()
    stack = [objective_id]
    while stack:
        for child in below.get(stack.pop(), ()):
            if child not in out and child != objective_id:
                out.add(child)
                stack.append(child)
    return out


def _priorities(ctx: RuleContext, model: Objective, cycle: Cycle) -> list[str]:
    repo = ctx.repo
    owners = {model.owner, *repo.ancestors(model.owner)}
    out: list[str] = []
    for doc in sorted(repo.strategies.values(), key=lambda d: d.model.id):
        strategy_cycle = repo.cycle(str(doc.model.cycle))
        if doc.model.owner in owners and strategy_cycle is not None and strategy_cycle.overlaps(cycle):
            out.extend(f"{doc.model.id}/{p.id}" for p in doc.model.priorities)
    return out


# ----- OKR307 ------------------------------------------------------------------------------------
def _placeholders(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    for doc in ctx.objectives():
        model: Objective = doc.model
        cycle = cycle_of(repo, model)
        if cycle is None or cycle.end < ctx.today:
            continue
        days_left = (cycle.start - ctx.today).days
        if days_left > DRAFT_WARNING_DAYS:
            continue  # still planning: placeholders are what a draft is made of
        places = list(_placeholder_places(model))
        if not places:
            continue
        names = [name for _, name in places]
        if days_left <= 0:
            when, severity = f"its cycle {cycle.id} started on {cycle.start}", "error"
        else:
            when, severity = f"its cycle {cycle.id} starts on {cycle.start}, in {counted(days_left, 'day')}", "warning"
        finding = repo.finding(
            "OKR307",
            doc,
            places[0][0],
            f"'{model.id}' still holds {len(places)} placeholder{'s' if len(places) != 1 else ''} "
            f"of 'okrctl plan --write' ({listing(names, 3)}) and {when}",
            "write the objective and its key results in the team's own words, with measured baselines "
            "and targets, and remove every TODO",
            objective=model.id,
        )
        yield finding.with_severity(severity) if finding.severity != severity else finding


def _placeholder_places(model: Objective) -> Iterator[tuple[tuple[object, ...], str]]:
    if placeholder(model.title):
        yield ("title",), "title"
    if placeholder(model.why):
        yield ("why",), "why"
    for i, kr in enumerate(model.key_results):
        if placeholder(kr.title):
            yield ("key_results", i, "title"), f"{kr.id}.title"
        if placeholder(getattr(kr, "unit", None)):
            yield ("key_results", i, "unit"), f"{kr.id}.unit"
    for i, dep in enumerate(model.depends_on):
        if placeholder(dep.need):
            yield ("depends_on", i, "need"), f"depends_on[{i}].need"
