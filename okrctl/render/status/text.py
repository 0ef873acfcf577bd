"""``okrctl status`` on a terminal: the one-screen overview, and one team's detail."""

from __future__ import annotations

from datetime import date
from io import StringIO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from okrctl import metrics
from okrctl.analysis.state import KRState, ObjectiveState
from okrctl.model.cycle import Cycle
from okrctl.render import numbers, widgets
from okrctl.render.console import text_console
from okrctl.render.layout import fitted_table, print_cut_alike, print_table, row_names
from okrctl.safetext import one_line
from okrctl.views.status import StatusView

BAR_WIDTH = 10


def console_for(buffer: StringIO, color: bool, width: int) -> Console:
    return text_console(buffer, color, width)


def render(view: StatusView, *, color: bool = False, width: int = 100, fit: str | None = "terminal") -> str:
    """``fit``: what the tables fit (``layout.fitted_table``)."""
    chosen = render_team if view.team else render_overview
    text = chosen(view, color=color, width=width, fit=fit)
    return plain_lines(text, color)


def plain_lines(text: str, color: bool) -> str:
    """Without colour, no line ends in the spaces rich pads table cells with."""
    if color:
        return text
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


# ----- pieces shared with checkin ---------------------------------------------------------------------
def cycle_line(today: date, cycles: list[Cycle]) -> str:
    """``2026-Q4: day 51 of 92, 55% gone`` for each cycle."""
    parts = []
    for cycle in cycles:
        if today < cycle.start:
            days = (cycle.start - today).days
            parts.append(f"{cycle.id}: starts {cycle.start.isoformat()}, in {days} day{'s' if days != 1 else ''}")
        elif today > cycle.end:
            parts.append(f"{cycle.id}: ended {cycle.end.isoformat()}")
        else:
            parts.append(
                f"{cycle.id}: day {(today - cycle.start).days + 1} of {cycle.days + 1}, "
                f"{numbers.percent(metrics.elapsed_share(cycle, today))} gone"
            )
    return " · ".join(parts)


def confidence_text(state: ObjectiveState, scale: tuple[float, float], *, spark: bool = True) -> Text:
    low, high = scale
    if state.confidence is None:
        return Text("—", style="dim")
    band = state.confidence_band or metrics.NO_DATA
    text = Text(f"{numbers.number(state.confidence)}/{numbers.number(high)}", style=widgets.STATUS_STYLE[band])
    if spark:
        values = [c for _, c in state.confidence_series]
        text.append(" ")
        text.append(widgets.sparkline(values, low, high), style="cyan")
    return text


def last_checkin_text(days: int | None, *, short: bool = False) -> Text:
    """Days since the team's last check-in (``StatusView.days_since_checkin``): ``3d``/``3 days ago``, ``never``."""
    if days is None:
        return Text("never", style="red")
    label = "today" if days == 0 else (f"{days}d" if short else f"{days} days ago" if days > 1 else "yesterday")
    return Text(label, style="red" if days > 10 else ("yellow" if days > 7 else ""))


def kr_range(kr: KRState) -> str:
    """``65% → 79% → 90%`` (baseline → now → target), ``keep 99.9%–100%: 99.96%``, ``done``."""
    missed = widgets.missed_mark(kr)  # the now never reads as the target or bound it misses
    if kr.type == "metric":
        current = kr.value if kr.value is not None else kr.baseline
        return _with_unit([kr.baseline, current, kr.target], kr.unit, " → ", short_of=missed)
    if kr.type == "maintain":
        if kr.min is not None and kr.max is not None:
            bounds = _with_unit([kr.min, kr.max], kr.unit, "–")
        elif kr.min is not None:
            bounds = "≥ " + _with_unit([kr.min], kr.unit, "")
        else:
            bounds = "≤ " + _with_unit([kr.max], kr.unit, "")
        return f"keep {bounds}: {numbers.with_unit(kr.value, kr.unit, short_of=missed)}"
    return f"milestone: {widgets.milestone_text(kr.value)}"


def _with_unit(values: list[float | None], unit: str | None, sep: str, *, short_of: float | None = None) -> str:
    """``%`` follows every number; a longer unit is written once, at the end. None but ``short_of``
    itself reads as ``short_of`` (a target the value misses)."""
    if unit == "%":
        return sep.join(numbers.number(v, "%", short_of=short_of) for v in values)
    text = sep.join(numbers.number(v, short_of=short_of) for v in values)
    return f"{text} {one_line(unit)}" if unit else text


def progress_cell(progress: float, expected: float, status: str, width: int = BAR_WIDTH) -> Text:
    """``█████┃░░░░  57%/56%``: the bar with the expected marker, then progress/expected."""
    cell = widgets.progress_bar(progress, expected, width=width, status=status)
    cell.append(f" {numbers.percent(progress):>4}/{numbers.percent(expected)}")
    return cell


def forecast_text(kr: KRState) -> Text:
    """``87.87 (91%)``: the projected value at the cycle end as the report writes it (``%`` after
    it, as after every number of a key result measured in %) and the progress it would mean."""
    if kr.forecast is None:
        return Text("—", style="dim")
    text = Text(widgets.forecast_value(kr))
    if kr.forecast_progress is not None:
        text.append(f" ({numbers.percent(kr.forecast_progress)})", style=widgets.BAND_STYLE[kr.forecast_band or ""])
    return text


# ----- overview -------------------------------------------------------------------------------------
def render_overview(view: StatusView, *, color: bool = False, width: int = 100, fit: str | None = "terminal") -> str:
    buffer = StringIO()
    console = console_for(buffer, color, width)
    title = Text(one_line(view.organization or "OKR status"), style="bold")
    title.append(f" · {view.today}", style="")
    console.print(title)
    if view.cycles:
        console.print(Text(cycle_line(view.today, view.cycles), style="dim"))
    if not view.objectives:
        console.print(Text(f"No objective in {nowhere(view.today, view.cycles, view.latest_elsewhere, 'the latest')}."))
        return buffer.getvalue()
    console.print()
    headers = ["team", "objective", "progress/expected", "status", "confidence", "last"]
    rows = [
        [
            Text(one_line(state.owner_name)),
            Text(state.id),
            progress_cell(state.progress, state.expected, state.status),
            widgets.status_text(state.status),
            confidence_text(state, view.scale),
            last_checkin_text(view.days_since_checkin(state.owner), short=True),
        ]
        for state in view.objectives
    ]
    whole = row_names(rows, (0, 1))
    table = fitted_table(
        headers, rows, width, flexible={0: (8, 20), 1: (12, 30)}, right={5}, gap=1, droppable=(5, 4), fit=fit
    )
    print_table(console, table)
    print_cut_alike(console, rows, whole, (0, 1))
    console.print()
    console.print(_counts(view.objectives))
    return buffer.getvalue()


def _counts(objectives: list[ObjectiveState]) -> Text:
    counts = {s: 0 for s in metrics.STATUSES}
    for state in objectives:
        counts[state.status] = counts.get(state.status, 0) + 1
    text = Text(f"{len(objectives)} objective{'s' if len(objectives) != 1 else ''}: ")
    parts = [s for s in metrics.STATUSES if counts[s]]
    for i, status in enumerate(parts):
        if i:
            text.append(", ")
        text.append(f"{counts[status]} {status}", style=widgets.STATUS_STYLE[status])
    return text


def nowhere(today: date, cycles: list[Cycle], latest: str | None, which: str) -> str:
    """Where a view with nothing to show looked (the cycles, or the day when no cycle contains it),
    and the latest cycle that has objectives when it is not among them."""
    where = ", ".join(c.id for c in cycles) or f"a cycle that contains {today}"
    if latest is None or latest in {c.id for c in cycles}:
        return where
    return f"{where}; pass --cycle {latest} for {which}"


# ----- one team -------------------------------------------------------------------------------------
def render_team(view: StatusView, *, color: bool = False, width: int = 100, fit: str | None = "terminal") -> str:
    buffer = StringIO()
    console = console_for(buffer, color, width)
    title = Text(one_line(view.team_name or view.team or ""), style="bold")
    if view.team_name != view.team:
        title.append(f" ({view.team})", style="dim")
    title.append(f" · {view.today}")
    console.print(title)
    if view.cycles:
        console.print(Text(cycle_line(view.today, view.cycles), style="dim"))
    if not view.objectives:
        console.print(
            Text(
                f"{view.team} has no objective in {nowhere(view.today, view.cycles, view.latest_elsewhere, 'its latest')}."
            )
        )
        return buffer.getvalue()
    for state in view.objectives:
        console.print()
        objective_block(console, state, view.scale, width, view.days_since_checkin(state.owner), fit)
    last = max((s.last_checkin for s in view.objectives if s.last_checkin), key=lambda c: c.date, default=None)
    console.print()
    if last is None:
        console.print(Text("No check-in yet this cycle.", style="yellow"))
        _fleet(console, view, width)
        return buffer.getvalue()
    heading = "Last check-in"
    team_last = view.last_checkins.get(last.owner)
    if (
        team_last is not None
        and team_last > last.date
        and not any(s.cycle.contains(team_last) for s in view.objectives)
    ):
        # A past --cycle: the team has checked in since, in another cycle (what each objective's
        # "last check-in" counts from); these are the notes of the cycle's own last one. A later
        # one inside these cycles has errors: left out of the notes, as standard error says.
        heading += " of " + ", ".join(sorted({s.cycle.id for s in view.objectives})) + ":"
    gripe = Text(f"{heading} {last.date}", style="bold")
    if last.author:
        gripe.append(f" by {one_line(last.author)}", style="")
    console.print(gripe)
    grip_lists(console, last.issues, last.plan)
    _fleet(console, view, width)
    return buffer.getvalue()


def _fleet(console: Console, view: StatusView, width: int) -> None:
    if view.fleet is None:
        return
    from okrctl.render.fleet import print_fleet

    console.print()
    print_fleet(console, view.fleet, view.team_name or view.team or "", view.scale, width)


def grip_lists(console: Console, issues: list[str], plan: list[str], indent: str = "  ") -> None:
    for label, items in (("Issues", issues), ("Plan", plan)):
        if not items:
            console.print(Text(f"{indent}{label}: none", style="dim"))
            continue
        console.print(Text(f"{indent}{label}:"))
        for item in items:
            console.print(Text(f"{indent}  - {one_line(item)}"))


def objective_heading(console: Console, objective_id: str, title: str, width: int) -> None:
    """``id  title``, the id in bold. A title too long for the line wraps at its spaces, set in
    under the block as the block's own wrapped lines are, rather than being cut: cut, it could end
    mid-number (``at 15,00…``). Nor is a long id ever cut: it goes on over the next line."""
    head = Text(objective_id, style="bold")
    head.append(f"  {one_line(title)}")
    if head.cell_len <= width:
        console.print(head, no_wrap=True)
        return
    room = width - cell_len(objective_id) - 2
    words = [word for word in one_line(title).split(" ") if word]
    first = 0
    while first < len(words) and cell_len(" ".join(words[: first + 1])) <= room:
        first += 1
    head = Text(objective_id, style="bold")
    if first:
        head.append("  " + " ".join(words[:first]))
    # Never no_wrap here: rich crops such a line whatever its overflow. An id wider than the line is
    # alone on it (no room for a word of the title) and folds over the next.
    console.print(head, overflow="fold")
    if first < len(words):
        for line in widgets.wrap_words(" ".join(words[first:]), width - TITLE_HANG):
            console.print(Text(" " * TITLE_HANG + line), no_wrap=True, overflow="fold")


TITLE_HANG = 4  # where a heading's wrapped title goes on: as far in as the block's wrapped lines


def status_line(state: ObjectiveState) -> Text:
    """``  ● on-track · progress 57%, expected 56% █████┃░░░░``"""
    line = Text("  ")
    line.append_text(widgets.status_text(state.status))
    line.append(f" · progress {numbers.percent(state.progress)}, expected {numbers.percent(state.expected)} ")
    line.append_text(widgets.progress_bar(state.progress, state.expected, width=BAR_WIDTH, status=state.status))
    return line


def objective_block(
    console: Console,
    state: ObjectiveState,
    scale: tuple[float, float],
    width: int,
    days_since: int | None,
    fit: str | None = "terminal",
) -> None:
    """One objective of ``status --team``; ``days_since``: since the team's last check-in, whatever its
    cycle; ``fit``: what its table fits (``layout.fitted_table``)."""
    objective_heading(console, state.id, state.title, width)
    line = status_line(state)
    if state.score is not None:
        line.append(" · score ")
        line.append_text(widgets.band_text(state.score))
    console.print(line)
    line = Text("  confidence ")
    line.append_text(confidence_text(state, scale))
    slope = state.confidence_slope
    if slope is not None:
        line.append(f" {numbers.slope(slope)}/week", style="dim")
    line.append(" · last check-in ")
    line.append_text(last_checkin_text(days_since))
    console.print(line)
    for before_day, after_day, before, after in metrics.drops(state.confidence_series):
        console.print(
            Text(
                f"  ▼ confidence drop {numbers.number(before)} → {numbers.number(after)} on {after_day} "
                f"(from {before_day})",
                style="red",
            )
        )
    if not state.key_results:
        # A header over no rows says nothing; what is missing does (OKR302 warns of it in align).
        console.print(Text(f"  {widgets.NO_KEY_RESULTS}", style="dim"))
        return
    headers = ["  key result", "baseline → now → target", "progress/expected", "status", "forecast"]
    rows = [
        [
            Text(f"  {kr.id}"),
            Text(kr_range(kr)),
            progress_cell(kr.progress, kr.expected, kr.status),
            widgets.band_text(kr.score) if kr.score is not None else widgets.status_text(kr.status),
            forecast_text(kr),
        ]
        for kr in state.key_results
    ]
    whole = row_names(rows, (0,))
    table = fitted_table(headers, rows, width, flexible={0: (10, 28)}, gap=1, droppable=(4, 3), fit=fit)
    print_table(console, table)
    print_cut_alike(console, rows, whole, (0,), indent="  ")
    for kr in state.key_results:
        if kr.note:
            console.print(Text(f"  note on {kr.id}: {one_line(kr.note)}", style="dim"))
