"""OKR401–OKR403, horizontal alignment: dependencies acknowledged, not mutual, metrics not pulled apart."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from okrctl.analysis.acknowledgement import acknowledging
from okrctl.findings import Finding
from okrctl.load.documents import Doc
from okrctl.model import Objective
from okrctl.model.objective import Dependency, MetricKR
from okrctl.render import numbers
from okrctl.rules.base import RuleContext
from okrctl.rules.relations import cycle_of, direction, overlap


def check(ctx: RuleContext) -> Iterator[Finding]:
    yield from _unacknowledged(ctx)
    yield from _mutual(ctx)
    yield from _opposite_metrics(ctx)
    yield from _providers_at_risk(ctx)


# ----- OKR401 ------------------------------------------------------------------------------------
def _unacknowledged(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    by_owner: dict[str, list[Objective]] = defaultdict(list)
    for other in repo.objectives.values():
        by_owner[other.model.owner].append(other.model)
    for doc in ctx.objectives():
        model: Objective = doc.model
        if cycle_of(repo, model) is None:
            continue  # an unknown cycle is OKR104
        for i, dep in enumerate(model.depends_on):
            if dep.unit not in repo.units or dep.unit == model.owner:
                continue  # an unknown unit is OKR104
            providers = sorted((o for o in by_owner[dep.unit] if overlap(repo, o, model)), key=lambda o: o.id)
            if acknowledging(repo, model, dep.unit) or ctx.echo.supported_by_broken(dep.unit, model.id):
                continue  # (a slip in the acknowledgement, its cycle or its owner is that objective's OKR104)
            if providers:
                hint = (
                    f"ask '{dep.unit}' to add '{model.id}' under 'supports:' of "
                    f"{' or '.join(repr(p.id) for p in providers[:2])}, or agree on another way in planning"
                )
            else:
                hint = (
                    f"'{dep.unit}' has no objective in {model.cycle} yet: agree on the need with them in planning "
                    f"so that their objective lists '{model.id}' under 'supports:'"
                )
            yield repo.finding(
                "OKR401",
                doc,
                ("depends_on", i, "unit"),
                f"'{model.id}' depends on '{dep.unit}' ({dep.need}), but no objective of '{dep.unit}' "
                f"in an overlapping cycle lists '{model.id}' under supports",
                hint,
                objective=model.id,
                unit=dep.unit,
            )


# ----- OKR402 ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Need:
    doc: Doc
    index: int
    dependency: Dependency

    @property
    def objective(self) -> Objective:
        return self.doc.model  # type: ignore[no-any-return]


def _mutual(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    needs: dict[tuple[str, str], list[_Need]] = defaultdict(list)  # (needing unit, providing unit)
    for doc in sorted(repo.objectives.values(), key=lambda d: d.model.id):
        model: Objective = doc.model
        for i, dep in enumerate(model.depends_on):
            if dep.unit != model.owner and dep.unit in repo.units:
                needs[(model.owner, dep.unit)].append(_Need(doc, i, dep))
    for (first, second), forward in sorted(needs.items()):
        if first > second:
            continue  # each pair once, from the unit with the smaller id
        pairs = [
            (a, b)
            for a in forward
            for b in needs.get((second, first), [])
            if overlap(repo, a.objective, b.objective)
            and (ctx.selected(a.objective.cycle) or ctx.selected(b.objective.cycle))
        ]
        if not pairs:
            continue
        # On the first unit's objective when one is selected, quoting needs of selected cycles first.
        a, b = min(
            pairs, key=lambda p: (not ctx.selected(p[0].objective.cycle), not ctx.selected(p[1].objective.cycle))
        )
        at = a if ctx.selected(a.objective.cycle) else b
        yield repo.finding(
            "OKR402",
            at.doc,
            ("depends_on", at.index, "unit"),
            f"'{first}' and '{second}' depend on each other: '{a.objective.id}' needs {a.dependency.need!r} "
            f"from '{second}', '{b.objective.id}' needs {b.dependency.need!r} from '{first}'",
            "mutual needs stall easily: agree in planning who delivers what first, "
            "or share one objective for the joint work",
            objective=at.objective.id,
            unit=at.dependency.unit,
        )


# ----- OKR403 ------------------------------------------------------------------------------------
def _opposite_metrics(ctx: RuleContext) -> Iterator[Finding]:
    repo = ctx.repo
    by_metric: dict[str, list[tuple[Doc, int, MetricKR]]] = defaultdict(list)
    # By objective id, not by file: which of a pair reports it stays the same when files are renamed.
    for doc in sorted(repo.objectives.values(), key=lambda d: (d.model.id, d.path, d.line)):
        for i, kr in enumerate(doc.model.key_results):
            if isinstance(kr, MetricKR) and kr.metric and direction(kr):
                by_metric[kr.metric].append((doc, i, kr))
    for metric, entries in sorted(by_metric.items()):
        reported: set[frozenset[str]] = set()
        for doc, i, kr in entries:
            if not ctx.selected(doc.model.cycle):
                continue
            for other_doc, _, other in entries:
                pair = frozenset((doc.model.id, other_doc.model.id))
                if (
                    other_doc.model.id == doc.model.id
                    or pair in reported
                    or direction(other) == direction(kr)
                    or not overlap(repo, doc.model, other_doc.model)
                ):
                    continue
                reported.add(pair)
                way = "raise" if direction(kr) > 0 else "lower"
                other_way = "raise" if direction(other) > 0 else "lower"
                yield repo.finding(
                    "OKR403",
                    doc,
                    ("key_results", i, "metric"),
                    f"'{doc.model.id}/{kr.id}' wants to {way} metric '{metric}' "
                    f"({numbers.plain(kr.baseline)} → {numbers.plain(kr.target)}) while '{other_doc.model.id}/{other.id}' "
                    f"of '{other_doc.model.owner}' wants to {other_way} it "
                    f"({numbers.plain(other.baseline)} → {numbers.plain(other.target)})",
                    f"the two teams pull against each other: agree with '{other_doc.model.owner}' on one "
                    "direction, or name two different metrics if they measure different things",
                    objective=doc.model.id,
                    key_result=kr.id,
                    target=f"{other_doc.model.id}/{other.id}",
                )


# ----- OKR404 ------------------------------------------------------------------------------------
def _providers_at_risk(ctx: RuleContext) -> Iterator[Finding]:
    from okrctl.analysis.fleet import after_is, provider_risk, providing_objectives
    from okrctl.analysis.state import objective_state

    repo = ctx.repo
    if repo.rule_skipped("OKR404"):
        return  # a provider's state by thresholds or a scale okrctl.yaml refused: its finding comes first
    high = repo.config.checkin.confidence.max
    for doc in ctx.objectives():
        model: Objective = doc.model
        if cycle_of(repo, model) is None:
            continue
        for i, dep in enumerate(model.depends_on):
            if dep.unit not in repo.units or dep.unit == model.owner:
                continue
            for provider in providing_objectives(repo, model, dep.unit, ctx.today):
                cycle = repo.cycle(provider.cycle)
                if cycle is None or cycle.start > ctx.today:
                    continue
                state = objective_state(repo, provider, min(ctx.today, cycle.end), forecasts=False)
                risk = provider_risk(state, high) if state is not None else None
                if risk is None:
                    continue
                yield repo.finding(
                    "OKR404",
                    doc,
                    ("depends_on", i, "unit"),
                    f"'{model.id}' depends on '{dep.unit}' ({dep.need}), whose objective '{provider.id}' is {after_is(risk)}",
                    f"talk to '{dep.unit}' this week: agree what still arrives and when, and plan "
                    f"'{model.id}' around it (the fleet section of 'okrctl status --team {model.owner}' shows both)",
                    objective=model.id,
                    unit=dep.unit,
                    provider=provider.id,
                )
