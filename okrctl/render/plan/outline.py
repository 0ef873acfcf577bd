"""``okrctl plan``: the planning pre-read as an outline, laid out as text or Markdown by ``text.py`` / ``markdown.py``."""

from __future__ import annotations

from okrctl.model import Objective
from okrctl.render import numbers
from okrctl.render.outline import Outline, Section
from okrctl.views.plan import PlanView


def _num(value: object) -> str:
    """A baseline, target or bound as the other views show it: ``2,000``, ``7.65``."""
    return numbers.number(value, empty="(none)") if isinstance(value, (int, float)) else numbers.as_written(value)


def _kr_line(kr: object) -> str:
    kind = getattr(kr, "type", "metric")
    unit = getattr(kr, "unit", None)
    suffix = ("" if unit == "%" else " ") + unit if unit else ""
    if kind == "metric":
        movement = f"{_num(getattr(kr, 'baseline', None))} → {_num(getattr(kr, 'target', None))}{suffix}"
    elif kind == "maintain":
        low, high = getattr(kr, "min", None), getattr(kr, "max", None)
        if low is None:
            movement = f"at most {_num(high)}{suffix}"
        elif high is None:
            movement = f"at least {_num(low)}{suffix}"
        else:
            movement = f"between {_num(low)} and {_num(high)}{suffix}"
    else:
        movement = "milestone"
    return f"{kr.id}: {kr.title} ({movement})"  # type: ignore[attr-defined]


def _objective(section: Section, objective: Objective, *, owner: bool = False) -> None:
    who = f"{objective.owner} · " if owner else ""
    section.add(f"{who}{objective.id}: {objective.title}", style="bold")
    if objective.aligns:
        links = ", ".join(f"{a.to} ({a.type})" for a in objective.aligns)
        section.add(f"aligns to {links}", 1, "dim", bullet=False)
    for kr in objective.key_results:
        section.add(_kr_line(kr), 1)


def outline(view: PlanView) -> Outline:
    cycle = view.cycle
    doc = Outline(f"Planning pre-read: {view.team_name} ({view.team}) for {cycle.id}")
    doc.facts.append(f"cycle: {cycle.id}, {cycle.start} to {cycle.end} ({view.cycle_reason})")
    if view.parent_missing:
        doc.facts.append(
            f"parent unit: '{view.parent}' is not a unit ({view.parent_missing}, OKR104; 'okrctl align' shows why)"
        )
    elif view.parent:
        doc.facts.append(f"parent unit: {view.parent_name} ({view.parent})")

    strategy = doc.section("Strategy", view.strategy_note)
    for s in view.strategies:
        strategy.add(f"{s.id} ({s.cycle}), owned by {s.owner}", style="bold")
        if s.vision:
            strategy.add(f"Vision: {s.vision}", 1, bullet=False)
        for p in s.priorities:
            strategy.add(f"priority {s.id}/{p.id}: {p.title}", 1)
        if s.not_doing:
            strategy.add("Not doing: " + "; ".join(s.not_doing), 1, "dim", bullet=False)

    if view.parent and not view.parent_missing:
        title = f"{view.parent_name}'s OKRs for {cycle.id}"
        if view.parent_objectives:
            section = doc.section(title)
            for objective in view.parent_objectives:
                _objective(section, objective)
        elif view.parent_context:
            # Every cycle the context comes from, as for "Where … comes from" below.
            cycles = ", ".join(dict.fromkeys(str(objective.cycle) for objective in view.parent_context))
            section = doc.section(title, f"none yet; its latest ({cycles}) for context")
            for objective in view.parent_context:
                _objective(section, objective)
        else:
            doc.section(title, "none" if view.past else "none yet")

    siblings = doc.section(f"What the sibling teams drafted for {cycle.id}")
    if view.sibling_objectives:
        for objective in view.sibling_objectives:
            _objective(siblings, objective, owner=True)
    else:
        siblings.note = "nothing" if view.past else "nothing yet"

    deps = doc.section(f"What other teams need from {view.team_name}")
    if view.dependencies:
        for d in view.dependencies:
            status = "acknowledged in our supports" if d.acknowledged else "not acknowledged yet"
            target = f", for {d.for_kr}" if d.for_kr else ""
            deps.add(f"{d.owner_name} · {d.objective_id} ({d.cycle}{target}): {d.need}", style="bold")
            deps.add(status, 1, "green" if d.acknowledged else "yellow", bullet=False)
    else:
        deps.note = "no dependencies declared on this team"

    if view.own_objectives:
        own = doc.section(f"Already drafted by {view.team_name} for {cycle.id}")
        for objective in view.own_objectives:
            _objective(own, objective)

    if view.previous:
        # Every cycle the items come from: the team's last cycles can end on one day (a quarter and
        # the year it closes), and one name would place a yearly objective in the quarter.
        cycles = ", ".join(dict.fromkeys(state.cycle.id for state in view.previous))
        previous = doc.section(f"Where {view.team_name} comes from ({cycles})")
        for state in view.previous:
            if state.score is not None:
                how = f"score {numbers.fixed(state.score)}"
            else:
                how = f"progress {numbers.percent(state.progress)} (expected {numbers.percent(state.expected)}), {state.status}"
            if state.confidence is not None:
                how += f", confidence {numbers.as_written(state.confidence)}"
            previous.add(f"{state.id}: {state.title}", style="bold")
            previous.add(f"{how}, as of {state.day}", 1, bullet=False)

    questions = doc.section("Questions for the workshop", numbered=True)
    for question in [*view.questions, view.proud_prompt]:
        questions.add(question)
    if view.scaffolded:
        doc.footer.append(
            f"Wrote {view.scaffolded}: a draft objective to fill in with the team (run 'okrctl align' after)."
        )
    elif view.blocked_draft:
        doc.footer.append(
            f"{view.blocked_draft} is a link or a folder: 'plan --write' writes the draft there only once it is"
            " moved away."
        )
    elif view.existing_draft and view.existing_draft != f"okrs/{cycle.id}/{view.team}.yaml":
        doc.footer.append(
            f"{view.existing_draft} holds the team's objectives for {cycle.id}: edit it with the team ('plan --write'"
            " writes no second draft; run 'okrctl align' after)."
        )
    elif view.existing_draft:
        doc.footer.append(
            f"{view.existing_draft} is there already: edit it with the team ('plan --write' never overwrites"
            " it; run 'okrctl align' after)."
        )
    else:
        doc.footer.append(
            f"Scaffold the draft: okrctl plan --team {view.team} --cycle {cycle.id} --write"
            f" (creates okrs/{cycle.id}/{view.team}.yaml)"
        )
    return doc
