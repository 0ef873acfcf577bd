"""``okrctl plan --write``: a draft objective for a team, with the workshop's questions as comments."""

from __future__ import annotations

from okrctl.load.index import Repo
from okrctl.scaffold.common import comment_text, schema_header, yaml_id, yaml_string
from okrctl.views.plan import PlanView


def draft_path(view: PlanView) -> str:
    return f"okrs/{view.cycle.id}/{view.team}.yaml"


def note_what_stands_at_the_draft(repo: Repo, view: PlanView) -> None:
    """Tell the pre-read what already stands where ``--write`` would create the draft, so that it
    offers no ``--write`` that would be refused: a file to edit (``existing_draft``), or a link
    (okrctl never writes through one) or a folder (``blocked_draft``). A file of another name that
    holds the team's objectives of the cycle (a draft renamed, objectives written by hand) is the
    file to edit too: a second draft beside it would be a second plan for one cycle."""
    import os

    rel = draft_path(view)
    where = repo.root / rel
    if os.path.isfile(where) and not os.path.islink(where):
        view.existing_draft = rel
    elif os.path.lexists(where):
        view.blocked_draft = rel
    else:
        elsewhere = {doc.path for doc in repo.objectives_of(view.team, view.cycle.id)}
        elsewhere.update(_broken_objectives_of(repo, view.team, str(view.cycle.id)))
        if elsewhere:
            view.existing_draft = sorted(elsewhere)[0]


def _broken_objectives_of(repo: Repo, team: str, cycle_id: str) -> set[str]:
    """Files holding an objective the repository's index leaves out but which still says it is
    ``team``'s for ``cycle_id``: one that fails its schema (a misspelt key), a file that is not
    YAML at all (read line by line, as ``align`` reads it), a copy whose id another objective
    already has (OKR102). It is the team's plan, to be fixed rather than drafted again."""
    from okrctl.rules.echo import Echoes

    return {found.doc.path for found in Echoes.of(repo).broken.objectives_of(team) if found.cycle == cycle_id}


def refuse_a_second_draft(view: PlanView) -> None:
    """``plan --write`` when the team's objectives of the cycle stand in a file of another name:
    ContentError naming it (exit 1, as for a draft already there), nothing written."""
    from okrctl.errors import ContentError
    from okrctl.safetext import shown_path

    if view.existing_draft is not None and view.existing_draft != draft_path(view):
        raise ContentError(
            f"{shown_path(view.existing_draft)} already holds {view.team}'s objectives for {view.cycle.id}; edit it"
            " with the team ('plan --write' writes no second draft)",
            path=None,
        )


def draft_id(repo: Repo, view: PlanView) -> str:
    """``<team>-<cycle>``, made unique in the shared objective/strategy namespace (``-2``, ``-3``, …
    after the cycle)."""
    cycle_id = view.cycle.id.lower()
    candidate, n = _team_and_cycle(view.team, cycle_id, ""), 2
    while candidate in repo.objectives or candidate in repo.strategies:
        candidate = _team_and_cycle(view.team, cycle_id, f"-{n}")
        n += 1
    return candidate


def _team_and_cycle(team: str, cycle_id: str, tail: str) -> str:
    """``<team>-<cycle><tail>`` within 63 characters. Past them the team is cut; when that would
    leave the team nothing, it keeps its first character and the cycle is cut at its start: the
    cycle's end is what tells one cycle from the next (``…-q1``), so it is kept, also before ``tail``."""
    suffix = f"-{cycle_id}{tail}"
    if len(suffix) > 62:
        suffix = "-" + suffix[len(suffix) - 61 :].lstrip("-")
    return team[: 63 - len(suffix)].rstrip("-") + suffix


def _kr_count(repo: Repo) -> int:
    low, high = repo.config.limits.krs_per_objective
    return min(max(2, low), high)


def _placeholder_note(view: PlanView) -> str:
    """What ``align`` makes of the placeholders, by how near the cycle is (OKR307)."""
    from okrctl.rules.planning import DRAFT_WARNING_DAYS

    cycle = view.cycle
    days_left = (cycle.start - view.today).days if view.today is not None else DRAFT_WARNING_DAYS + 1
    if days_left > DRAFT_WARNING_DAYS:
        return (
            "# Every TODO below is a valid placeholder: `okrctl align` passes while you draft, and warns"
            f" from {DRAFT_WARNING_DAYS} days before {cycle.start} (OKR307). Replace them all."
        )
    if days_left > 0:
        return f"# Every TODO below is a placeholder: {cycle.id} starts on {cycle.start}, so `okrctl align` warns (OKR307) until you replace them all."
    if view.today is not None and view.today > cycle.end:
        # A cycle that has ended: a team recording the objective it had then (adopting okrctl, say).
        return (
            f"# Every TODO below is a placeholder: {cycle.id} ended on {cycle.end}, and `okrctl align` no longer"
            " checks an ended cycle's placeholders (OKR307), so replace them all before you commit."
        )
    return f"# Every TODO below is a placeholder: {cycle.id} has started, so `okrctl align` fails (OKR307) until you replace them all."


def draft_objective(repo: Repo, view: PlanView) -> str:
    """The text of ``okrs/<cycle>/<team>.yaml``: valid as written, every placeholder marked TODO."""
    rel = draft_path(view)
    cycle = view.cycle
    lines = [
        schema_header(rel).rstrip("\n"),
        f"# Draft objective of {comment_text(view.team_name)} for {cycle.id} ({cycle.start} to {cycle.end}),",
        f"# scaffolded by `okrctl plan --team {view.team} --write`. The pre-read:",
        f"#   okrctl plan --team {view.team} --cycle {cycle.id}",
        "#",
        "# Before writing anything:",
        f"#   {view.proud_prompt}",
        "# Write that down as the objective: qualitative, in the team's own words. Then ask how you",
        "# would know it happened: those measurements are the key results.",
        "#",
        "# The questions of the workshop:",
    ]
    lines += [f"#   {n}. {question}" for n, question in enumerate(view.questions, 1)]
    lines += [
        "#",
        _placeholder_note(view),
        "apiVersion: okrctl/v1",
        "kind: Objective",
        f"id: {yaml_id(draft_id(repo, view))}",
        f"owner: {yaml_id(view.team)}",
        f"cycle: {yaml_id(cycle.id)}",
        "title: " + yaml_string(f"TODO: what will be different at the end of {cycle.id}, in our own words?"),
        "# why: what makes this the most important thing for us now (optional)",
    ]
    lines += _aligns(view)
    lines += _horizontal(view)
    lines += [
        "key_results:",
        "  # Outcomes, not tasks: a metric moving from a baseline (today) to a target (end of the cycle).",
        "  # Measure the baseline before the cycle starts. A milestone (type: milestone) is the exception.",
    ]
    for n in range(1, _kr_count(repo) + 1):
        lines += [
            f"  - id: kr-{n}",
            "    title: " + yaml_string(f"TODO: outcome {n} moves from its baseline to its target"),
            '    # unit: "%"',
            "    baseline: 0   # TODO: the value today",
            f"    target: 1     # TODO: the value that would make us proud at the end of {cycle.id}",
        ]
    return "\n".join(lines) + "\n"


def _aligns(view: PlanView) -> list[str]:
    choices = view.alignment_choices
    if not choices:
        # A cycle that has ended will get none: nothing in it is "not yet" (docs/tour.md §3).
        none = "none existed for this cycle" if view.past else "none exists for this cycle yet"
        return [
            "# TODO: link up to what this objective serves, e.g. an objective of the parent unit or a",
            f"# strategy priority ({none}): aligns: [{{to: some-objective}}]",
            "aligns: []",
        ]
    if view.parent is not None and not view.parent_objectives:
        # A unit higher up is no stand-in for the parent, which has not written its OKRs yet: the
        # team chooses once it has (or picks one of these on purpose). For a cycle that has ended
        # there is nothing to wait for: the team records what it served then.
        if view.past:
            lines = [
                f"# TODO: {view.parent} had no objective for {view.cycle.id}; link up to what this objective"
                " served, e.g. one of these targets higher up:",
            ]
        else:
            lines = [
                f"# TODO: {view.parent} has no objective for {view.cycle.id} yet; link up to"
                " the one this objective serves once it has.",
                "# Until then, possible targets higher up:",
            ]
        lines += ["#   " + ", ".join(choices[i : i + 3]) for i in range(0, min(len(choices), 6), 3)]
        if len(choices) > 6:
            lines.append(f"#   … and {len(choices) - 6} more (see `okrctl plan`)")
        return [*lines, "aligns: []"]
    lines = [
        "aligns:",
        "  # Directional: we serve the parent's objective in our own words. Use `type: explicit` only to",
        "  # adopt ONE parent key result as our objective (to: objective-id/kr-id).",
        f"  - {{to: {yaml_id(choices[0])}, type: directional}}",
    ]
    others = choices[1:7]
    if others:
        lines.append("  # Other possible targets:")
        lines += ["  #   " + ", ".join(others[i : i + 3]) for i in range(0, len(others), 3)]
        if len(choices) > 7:
            lines.append(f"  #   … and {len(choices) - 7} more (see `okrctl plan`)")
    return lines


def _horizontal(view: PlanView) -> list[str]:
    lines = [
        "# What we need from other units (they acknowledge it under their `supports`):",
        "# depends_on:",
        "#   - {unit: other-team, need: what we need from them, for: kr-1}",
    ]
    asking = sorted({d.objective_id for d in view.dependencies})
    if asking:
        lines += [
            "# Other teams declared dependencies on us (see the pre-read); acknowledge the ones we commit to:",
            f"# supports: [{', '.join(yaml_id(objective) for objective in asking)}]",
        ]
    return lines
