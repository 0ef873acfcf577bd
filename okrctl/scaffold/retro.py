"""``okrctl retro --write``: a team's retro file with the computed numbers as comments, lists to fill."""

from __future__ import annotations

from okrctl.load.index import Repo
from okrctl.render import numbers
from okrctl.scaffold.common import comment_text, schema_header, yaml_id
from okrctl.views.retro import TeamRetro


def retro_path(view: TeamRetro) -> str:
    return f"retros/{view.cycle.id}/{view.team}-{view.stage}.yaml"


def refuse_a_second_end_retro(repo: Repo, view: TeamRetro) -> None:
    """``retro --write`` of an end retro when the team's end retro of the cycle is already written,
    under any name: ContentError naming it (exit 1), nothing written. A second end retro would not
    be read: the first by path gives the cycle's scores. One that does not pass ``align`` yet (a
    schema error, a file that is not YAML at all) counts too: once it is fixed, an empty scaffold
    beside it would hide the team's own scores, or be the second one that ``align`` fails on. So
    does one whose stage or cycle cannot be read (``End``, no ``cycle:``), or whose owner is the
    team's id in other letters (``owner: Cards``), as ``align`` counts it as held
    (``Echoes.retros_held``, no OKR507); one whose stage reads ``mid``, or another team's, does not.
    One dated later than the view's day, which no view of that day reads, is named with its date."""
    from okrctl.errors import ContentError

    if view.stage != "end":
        return
    team, cycle_id = view.team, view.cycle.id
    ended = [
        d for d in repo.retros if d.model.owner == team and str(d.model.cycle) == cycle_id and d.model.stage == "end"
    ]
    if ended and ended[0].model.date > view.day:
        # The pre-read, like every view of that day, does not count it: say why it is there all the same.
        line = repo.place(ended[0], ("date",))[0]
        raise ContentError(
            f"'{team}' already has the end retro of {cycle_id}: {ended[0].path}:{line}, dated "
            f"{ended[0].model.date}, later than {view.day} (no view of that day reads it); nothing was written "
            "(edit it: is its date right?)"
        )
    if ended:
        raise ContentError(
            f"'{team}' already has the end retro of {cycle_id}: {ended[0].path}:{ended[0].line}; "
            "nothing was written (edit it)"
        )
    if not repo.unread_findings():
        return  # (no file has errors: no broken retro to look for)
    from okrctl.rules.echo import Echoes
    from okrctl.safetext import command_word
    from okrctl.views.scope import broken_document_line

    # One whose owner cannot be read is the team's only when it spells the team's id in other
    # letters (``owner: Cards``): another team's file (``owner: Discover``) or one of no owner at all
    # is never this team's second end retro.
    broken = [
        found.doc
        for found in Echoes.of(repo).retros_held(team, cycle_id, "end")
        if found.owner == team or _spells(found.doc.data, team)
    ]
    if broken:
        first = min(broken, key=lambda doc: (doc.path, doc.index))
        raise ContentError(
            f"'{team}' already has the end retro of {cycle_id}, with errors: {first.path}:"
            f"{broken_document_line(repo, first)}; nothing was written (fix it: 'okrctl align "
            f"{command_word(first.path)}' shows every problem)"
        )


def _spells(data: object, team: str) -> bool:
    """Whether a broken retro's ``owner``, which does not read as an id, is ``team`` in other letters."""
    owner = data.get("owner") if isinstance(data, dict) else None
    return isinstance(owner, str) and owner.strip().casefold() == team.casefold()


def retro_text(view: TeamRetro) -> str:
    rel = retro_path(view)
    cycle = view.cycle
    stage_name = "End-of-cycle" if view.stage == "end" else "Mid-cycle"
    lines = [
        schema_header(rel).rstrip("\n"),
        f"# {stage_name} retro of {comment_text(view.team_name)} for {cycle.id}, scaffolded on {view.day}.",
        f"# The pre-read: okrctl retro --team {view.team} --cycle {cycle.id} --stage {view.stage}",
        "# Fill the lists during the meeting, one short line per item.",
        "#",
    ]
    if view.stage == "end":
        if view.provisional:
            lines.append(f"# Scores so far (the cycle ends {cycle.end}; they become final then):")
        else:
            lines.append("# Scores computed from the check-ins (progress at the cycle end):")
        for row in view.objectives:
            score = "" if row.score is None else f"{numbers.fixed(row.score)}  {row.band}"
            lines.append(f"#   {row.state.id}  {score}")
            for kr in row.state.key_results:
                kr_score = row.kr_scores.get(kr.id)
                if kr_score is not None:
                    lines.append(f"#     {kr.id}  {numbers.fixed(kr_score)}")
        lines += [
            "# They stay computed. To override one, add it under `scores` with the reason, e.g.",
            "#   some-kr: {score: 0.8, reason: measured on the new funnel from November}",
        ]
    else:
        lines.append(f"# Progress against the expected pace on {view.day}:")
        for row in view.objectives:
            state = row.state
            lines.append(
                f"#   {state.id}  {numbers.percent(state.progress)} (expected {numbers.percent(state.expected)})  {state.status}"
            )
            for kr in state.key_results:
                lines.append(
                    f"#     {kr.id}  {numbers.percent(kr.progress)} (expected {numbers.percent(kr.expected)})  {kr.status}"
                )
    for row in view.objectives:
        for drop in row.drops:
            lines.append(
                f"# Confidence of {row.state.id} fell {numbers.plain(drop.before)} → {numbers.plain(drop.after)} on {drop.end}."
            )
    lines += [
        "apiVersion: okrctl/v1",
        "kind: Retro",
        f"owner: {yaml_id(view.team)}",
        f"cycle: {yaml_id(cycle.id)}",
        f"stage: {view.stage}",
        f"date: {view.day}",
        "# Attractors: what pulled us toward the objective?",
        "attractors: []",
        "# Detractors: what pushed us away from it?",
    ]
    if view.recurring:
        lines.append("# Issues the check-ins kept raising:")
        lines += [
            f"#   - {comment_text(issue.text)} ({issue.checkins} check-ins, {numbers.counted(issue.weeks, 'week')})"
            for issue in view.recurring[:8]
        ]
    lines += [
        "detractors: []",
        "# The four questions:",
        "achieved: []    # What did we achieve?",
        "learned: []     # What did we learn?",
        "surprised: []   # What surprised us?",
        "change: []      # What will we do differently?",
    ]
    if view.stage == "end":
        lines.append("scores: {}      # overrides only, each with a reason (see above)")
    return "\n".join(lines) + "\n"
