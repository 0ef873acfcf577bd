"""``okrctl trends`` on a terminal: one row per team objective, the teams that need attention first."""

from __future__ import annotations

from io import StringIO

from rich.text import Text

from okrctl import metrics
from okrctl.render import numbers, widgets
from okrctl.render.layout import fitted_table, print_cut_alike, print_table, row_names
from okrctl.render.status.text import console_for, cycle_line, nowhere, plain_lines
from okrctl.safetext import one_line
from okrctl.views.trends import TeamTrend, TrendsView

# Progress-against-expected cells: the week's status, by shade as well as colour.
PACE_CELL = {metrics.ON_TRACK: "█", metrics.AT_RISK: "▒", metrics.OFF_TRACK: "░", metrics.NO_DATA: widgets.GAP}


def _team_label(team: TeamTrend) -> Text:
    label = Text(one_line(team.owner_name))
    if team.several:
        label.append(f" · {team.objective}", style="dim")
    return label


def _pace_strip(team: TeamTrend) -> Text:
    strip = Text()
    for week in team.weeks:
        strip.append(PACE_CELL[week.pace], style=widgets.STATUS_STYLE[week.pace])
    return strip


def _confidence_cells(team: TeamTrend, low: float, high: float) -> Text:
    values = [w.confidence for w in team.weeks]
    cell = widgets.heat_strip(values, low, high)
    cell.append(" ")
    cell.append(widgets.sparkline(values, low, high), style="cyan")
    return cell


def _last_change(team: TeamTrend) -> Text:
    if team.last_change is None:
        return Text("—", style="dim")
    dropped = team.latest_is_drop
    return Text(numbers.delta(team.last_change), style="bold red" if dropped else "")


def _drops(team: TeamTrend) -> Text:
    if not team.drops:
        return Text("—", style="dim")
    return Text(f"▼{len(team.drops)}", style="red")


def render(view: TrendsView, *, color: bool = False, width: int = 100, fit: str | None = "terminal") -> str:
    buffer = StringIO()
    console = console_for(buffer, color, width)
    low, high = view.scale
    title = Text(f"Confidence trends · {one_line(view.unit_name)}", style="bold")
    if view.unit_name != view.unit:
        title.append(f" ({view.unit})", style="dim")
    title.append(f" · {view.today}")
    console.print(title)
    if view.cycles:
        console.print(Text(cycle_line(view.today, view.cycles), style="dim"))
    if not view.teams and view.planned:
        n = view.planned
        starts = min(c.start for c in view.cycles)
        whose = f"of {view.unit}" if view.unit_is_team else f"of teams under {view.unit}"
        console.print(
            Text(
                f"{n} objective{'s' if n != 1 else ''} {whose} in a cycle that starts on "
                f"{starts}: the trends begin with its first week."
            )
        )
        return plain_lines(buffer.getvalue(), color)
    if not view.teams:
        where = nowhere(view.today, view.cycles, view.latest_elsewhere, "the latest")
        console.print(Text(f"No team under {view.unit} has an objective in {where}."))
        return plain_lines(buffer.getvalue(), color)
    console.print(
        Text("Teams that need attention first (status, a drop last week, falling confidence, gap).", style="dim")
    )
    console.print()
    headers = ["#", "team", "weekly confidence", "now", "/week", "last", "drops", "on pace, weekly"]
    rows = []
    for team in view.teams:
        now = Text("—", style="dim") if team.confidence is None else Text(numbers.number(team.confidence))
        pace = _pace_strip(team)
        pace.append(f" {numbers.percent(team.progress):>4}/{numbers.percent(team.expected)}")
        rows.append(
            [
                Text(str(team.rank)),
                _team_label(team),
                _confidence_cells(team, low, high),
                now,
                Text(numbers.slope(team.slope_per_week)),
                _last_change(team),
                _drops(team),
                pace,
            ]
        )
    # Every column but the team's keeps its width: a narrow terminal shortens the team names.
    whole = row_names(rows, (1,))
    table = fitted_table(
        headers, rows, width, flexible={1: (8, 34)}, right={0, 3, 4, 5}, droppable=(7, 6, 5, 2), fit=fit
    )
    print_table(console, table)
    print_cut_alike(console, rows, whole, (1,), number=0)
    dropped = [(team, drop) for team in view.teams for drop in team.drops]
    if dropped:
        console.print()
        console.print(Text("Drops (a fall of 3 points or more between two check-ins):", style="bold"))
        for team, (before_day, after_day, before, after) in dropped:
            line = Text("  ▼ ", style="red")
            line.append_text(_team_label(team))
            line.append(f"  {numbers.number(before)} → {numbers.number(after)} on {after_day} (from {before_day})")
            console.print(line)
    console.print()
    console.print(
        Text("weekly confidence: █ ≥ 70% of the scale  ▒ ≥ 40%  ░ lower  · no valid check-in that week", style="dim")
    )
    console.print(Text("on pace, weekly: progress against expected, █ on-track  ▒ at-risk  ░ off-track", style="dim"))
    return plain_lines(buffer.getvalue(), color)
