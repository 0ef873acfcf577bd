"""The fleet section of ``status --team`` and of the check-in screen: the units around a team."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from okrctl.analysis.fleet import Fleet, FleetObjective, FleetUnit
from okrctl.render import numbers, widgets
from okrctl.safetext import one_line

MAX_ISSUES = 3
MAX_ISSUE_LINES = 3  # of each issue; a longer one ends in …


def _objective_lines(item: FleetObjective, scale: tuple[float, float], width: int) -> list[Text]:
    """``    id ▲ at-risk · confidence 5/10 ▆▆▅`` on one line when it fits; else the parts go on
    lines of their own under the id, the sparkline first left out: the id may be cut, a number
    never (``status --team`` at 40 columns)."""
    low, high = scale
    state = item.state
    status = widgets.status_text(state.status)
    confidence = Text("confidence ")
    spark = Text("")
    if state.confidence is None:
        confidence.append("—", style="dim")
    else:
        confidence.append(f"{numbers.number(state.confidence)}/{numbers.number(high)}")
        spark = Text(widgets.sparkline([c for _, c in state.confidence_series], low, high), style="cyan")
    line = Text("    ")
    line.append(state.id)
    line.append(" ")
    line.append_text(status)
    line.append(" · ")
    line.append_text(confidence)
    if spark.plain:
        whole = line.copy()
        whole.append(" ")
        whole.append_text(spark)
        if whole.cell_len <= width:
            return [whole]
    if line.cell_len <= width:
        return [line]
    first = Text("    ")
    first.append(state.id)
    rest = Text("      ")
    rest.append_text(status)
    rest.append(" · ")
    rest.append_text(confidence)
    if rest.cell_len <= width:
        return [first, rest]
    second = Text("      ")
    second.append_text(status)
    third = Text("      ")
    third.append_text(confidence)
    return [first, second, third]


def _unit_block(console: Console, unit: FleetUnit, scale: tuple[float, float], width: int) -> None:
    head = Text("  ")
    if unit.role == "provider":
        head.append("needs ", style="bold")
        needs = [one_line(n.need) + (f" (for {one_line(n.for_kr)})" if n.for_kr else "") for n in unit.needs]
    else:
        head.append("needed by ", style="bold")
        needs = [f"{one_line(n.objective)}: {one_line(n.need)}" for n in unit.needs]
    head.append(one_line(unit.name), style="bold")
    if unit.name != unit.unit:
        head.append(f" ({unit.unit})", style="dim")
    if len(needs) == 1 and head.cell_len + 3 + cell_len(needs[0]) <= width:
        head.append(f" — {needs[0]}")
        console.print(head, overflow="ellipsis", no_wrap=True)
    else:
        # What is needed is the point of the section: each need whole, wrapped under the unit.
        console.print(head, overflow="ellipsis", no_wrap=True)
        for need in needs:
            wrapped = widgets.wrap_words(need, max(12, width - 6))
            for number, piece in enumerate(wrapped):
                console.print(Text(("    – " if number == 0 else "      ") + piece), no_wrap=True, overflow="fold")
    if not unit.objectives:
        console.print(Text("    no objective active in this cycle", style="yellow"))
    for item in unit.objectives:
        for line in _objective_lines(item, scale, width):
            console.print(line, overflow="ellipsis", no_wrap=True)
        if item.drop is not None:
            before, after = item.drop
            _wrapped(console, f"▼ confidence {numbers.number(before)} → {numbers.number(after)} this week", width)
        if item.risk:
            _wrapped(console, f"⚠ at risk: {one_line(item.risk)}", width)
    if unit.issues:
        when = f" ({unit.last_checkin})" if unit.last_checkin else ""
        console.print(Text(f"    latest issues{when}:"))
        for issue in unit.issues[:MAX_ISSUES]:
            lines = _first_lines(one_line(issue), max(12, width - 8), MAX_ISSUE_LINES)
            console.print(Text("      - " + lines[0]), no_wrap=True, overflow="ellipsis")
            for rest in lines[1:]:
                console.print(Text("        " + rest), no_wrap=True, overflow="ellipsis")
        if len(unit.issues) > MAX_ISSUES:
            console.print(Text(f"      … and {len(unit.issues) - MAX_ISSUES} more", style="dim"))
    elif unit.last_checkin is not None:
        console.print(Text(f"    no issues in the check-in of {unit.last_checkin}", style="dim"))


def _first_lines(text: str, width: int, most: int) -> list[str]:
    """``text`` wrapped at ``width``, on ``most`` lines at most: the last one shown ends in … when
    more follows."""
    lines = widgets.wrap_words(text, width)
    if len(lines) <= most:
        return lines
    last = lines[most - 1]
    while last and cell_len(last) + 1 > width:
        last = last[:-1]
    return [*lines[: most - 1], last.rstrip() + "…"]


def _wrapped(console: Console, text: str, width: int) -> None:
    """A red line under an objective, wrapped at spaces rather than cut: it holds numbers."""
    lines = widgets.wrap_words(text, max(12, width - 6))
    for number, line in enumerate(lines):
        console.print(Text(("    " if number == 0 else "      ") + line, style="red"), no_wrap=True, overflow="fold")


def print_fleet(console: Console, fleet: Fleet, team_name: str, scale: tuple[float, float], width: int) -> None:
    """``Fleet`` heading, then one block per unit the team depends on, then per unit depending on it."""
    title = Text("Fleet", style="bold")
    title.append(f" · who {one_line(team_name)} depends on, and who depends on it")
    console.print(title, overflow="ellipsis", no_wrap=True)
    if fleet.empty:
        console.print(Text("  no dependencies either way in this cycle", style="dim"))
        return
    for unit in [*fleet.providers, *fleet.dependents]:
        _unit_block(console, unit, scale, width)
