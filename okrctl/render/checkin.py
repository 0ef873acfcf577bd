"""``okrctl checkin`` on a terminal: what the team sees before answering, and the outcome."""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.text import Text

from okrctl.analysis.fleet import Fleet
from okrctl.analysis.state import ObjectiveState
from okrctl.checkin import Session
from okrctl.findings import Finding
from okrctl.model import CheckIn
from okrctl.render import numbers, widgets
from okrctl.render.layout import fitted_table, print_cut_alike, row_names
from okrctl.render.status.text import (
    confidence_text,
    console_for,
    cycle_line,
    kr_range,
    objective_heading,
    plain_lines,
    progress_cell,
    status_line,
)
from okrctl.safetext import inert, one_line, shown_path


def render_screen(session: Session, *, color: bool = False, width: int = 100, fleet: Fleet | None = None) -> str:
    """The last GRIP, then every KR as baseline → now → target against its expected pace."""
    buffer = StringIO()
    console = console_for(buffer, color, width)
    title = Text(f"Check-in · {one_line(session.team_name)}", style="bold")
    if session.team_name != session.team:
        title.append(f" ({session.team})", style="dim")
    title.append(f" · {session.day}")
    if session.existing is not None:
        title.append(" · amending", style="yellow")
    console.print(title)
    console.print(
        Text(cycle_line(session.day, sorted({o.cycle for o in session.objectives}, key=lambda c: c.start)), style="dim")
    )
    console.print()
    _last_grip(console, session, session.previous)
    number = 0
    for line in session.objectives:
        console.print()
        objective_heading(console, line.objective.id, line.objective.title, width)
        console.print(_objective_summary(line.state, session.scale))
        headers = ["#", "key result", "baseline → now → target", "progress/expected", "expected now"]
        rows = []
        for kr in line.krs:
            number += 1
            expected = widgets.expected_value(kr.state, kr.expected_value)  # as the report writes it
            rows.append(
                [
                    Text(str(number)),
                    Text(kr.key),
                    Text(kr_range(kr.state)),
                    progress_cell(kr.state.progress, kr.state.expected, kr.state.status),
                    Text(expected),
                ]
            )
        whole = row_names(rows, (1,))
        console.print(
            fitted_table(
                headers, rows, width, flexible={1: (12, 30)}, right={0}, gap=2, droppable=(4,), instead="widen it"
            )
        )
        print_cut_alike(console, rows, whole, (1,), number=0)
        for kr in line.krs:
            if kr.measured is not None:
                console.print(
                    Text(
                        f"  {kr.key}: {numbers.plain(float(kr.measured.value))} measured {kr.measured.day} "
                        f"from {one_line(kr.measured.source)}",
                        style="cyan",
                    ),
                    overflow="ellipsis",
                    no_wrap=True,
                )
    if fleet is not None and not fleet.empty:
        from okrctl.render.fleet import print_fleet

        console.print()
        print_fleet(console, fleet, session.team_name, session.scale, width)
    return inert(plain_lines(buffer.getvalue(), color))


def _objective_summary(state: ObjectiveState, scale: tuple[float, float]) -> Text:
    line = status_line(state)
    line.append(" · confidence ")
    line.append_text(confidence_text(state, scale))
    return line


def _last_grip(console: Console, session: Session, checkin: CheckIn | None) -> None:
    if checkin is None:
        console.print(Text("First check-in of the cycle.", style="dim"))
        return
    head = Text(f"Last check-in {checkin.date}", style="bold")
    if checkin.author:
        head.append(f" by {one_line(checkin.author)}")
    console.print(head)
    high = session.scale[1]
    if isinstance(checkin.confidence, dict):
        given = ", ".join(
            f"{one_line(k)} {numbers.number(v)}/{numbers.number(high)}" for k, v in checkin.confidence.items()
        )
    elif checkin.confidence is not None:
        given = f"{numbers.number(checkin.confidence)}/{numbers.number(high)}"
    else:
        given = "—"
    console.print(Text(f"  G  confidence {given}"))
    results = []
    for key in checkin.results:
        value = checkin.result_value(key)
        shown = ("done" if value else "not done") if isinstance(value, bool) else numbers.number(value)
        results.append(f"{one_line(key)} {shown}")
    console.print(Text(f"  R  {', '.join(results) if results else '—'}"))
    for label, items in (("I", checkin.issues), ("P", checkin.plan)):
        if not items:
            console.print(Text(f"  {label}  —"))
        for i, item in enumerate(items):
            console.print(Text(f"  {label if i == 0 else ' '}  - {one_line(item)}"))


def render_outcome(
    session: Session,
    states: list[ObjectiveState],
    signals: list[Finding],
    done: list[str],
    *,
    color: bool = False,
    width: int = 100,
) -> str:
    """What was written and committed, where the team stands now, and what the numbers say."""
    buffer = StringIO()
    console = console_for(buffer, color, width)
    for line in done:
        console.print(Text(f"✓ {line}", style="green"))
    console.print()
    for state in states:
        objective_heading(console, state.id, state.title, width)
        console.print(_objective_summary(state, session.scale))
    if signals:
        console.print()
        console.print(Text("Check-in findings:", style="bold"))
        for finding in signals:
            said = Text("  ")
            said.append(finding.code, style="bold")
            said.append(f" {finding.severity}", style=widgets.SEVERITY_STYLE.get(finding.severity, ""))
            said.append(f"  {one_line(finding.message)}")
            console.print(said, soft_wrap=True)
            where = Text(f"    {shown_path(finding.path)}:{finding.line}:{finding.column}", style="dim")
            if finding.hint:
                where.append(f" · {one_line(finding.hint)}", style="dim")
            console.print(where, soft_wrap=True)
    return inert(plain_lines(buffer.getvalue(), color))
