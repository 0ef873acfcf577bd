"""The report in the terminal: panels, tables, progress bars and sparklines (plain off a terminal).

Every string from the repository goes into a rich ``Text`` (markup never interpreted) after
``one_line`` (escape sequences removed).
"""

from __future__ import annotations

from io import StringIO

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from okrctl.analysis.kr_chart import KRChart
from okrctl.analysis.state import KRState
from okrctl.forked import in_two
from okrctl.render import numbers, widgets
from okrctl.render import report_widgets as w
from okrctl.render.console import text_console
from okrctl.render.layout import WrappedRows
from okrctl.safetext import one_line
from okrctl.views.report import Contributor, Report, StrategicObjective


def _t(value: object, style: str = "") -> Text:
    return Text(one_line(value), style=style)


def _status(status: str | None) -> Text:
    key = status or "no-data"
    return Text(f"● {w.status_label(key)}", style=w.STATUS_STYLE.get(key, ""))


def _bar(progress: float, expected: float | None, status: str, width: int = 12) -> Text:
    out = widgets.progress_bar(progress, expected, width=width, status=status)
    out.append(f" {numbers.percent(progress)}")
    return out


def _header(report: Report) -> Panel:
    lines = [
        Text(f"{one_line(report.unit_name)} — OKR report, {report.month_label}", style="bold"),
        _t(f"{_organization(report)}{report.cycle_phrase} · as of {report.as_of}"),
        Text(""),
        Text(one_line(report.headline), style="bold"),
    ]
    if report.scope_total:
        counts = Text("  ")
        for status in w.STATUS_ORDER:
            counts.append(f"● {report.scope_counts[status]} {w.status_label(status)}   ", style=w.STATUS_STYLE[status])
        lines.append(counts)
    if report.month_note:
        lines.append(Text(report.month_note, style="yellow"))
    lines.append(_age_line(report))
    if report.problems:
        problems = f"{report.problems} file problem{'' if report.problems == 1 else 's'}"
        lines.append(Text(f"{problems} left documents out: run 'okrctl align'", style="yellow"))
    return Panel(Group(*lines), border_style="blue", padding=(0, 1))


def _age_line(report: Report) -> Text:
    """How old the data is, in one line: the latest and oldest last check-in, and who is stale."""
    dates = [a.last for a in report.ages.values() if a.last is not None]
    if not report.ages:
        return Text("")
    out = Text("Data: ", style="dim")
    if dates:
        latest, oldest = max(dates), min(dates)
        out.append(f"last check-ins {oldest}" + (f" to {latest}" if latest != oldest else ""))
    else:
        out.append("no check-in yet")
    stale = report.stale_owners
    if stale:
        names = ", ".join(one_line(report.name_of(o)) for o in stale)
        out.append(f" · stale (no check-in in {report.stale_after} days): {names}", style="yellow")
    elif all(a.days is not None and a.days <= report.stale_after for a in report.ages.values()):
        out.append(f" · no team stale (checked in within {report.stale_after} days of {report.age_day})", style="dim")
    else:
        # A team whose last check-in is older (or who has none) is not stale while its cycle is
        # younger than that (OKR501): the line must not say it checked in.
        out.append(
            f" · no team stale on {report.age_day} (a cycle under {report.stale_after} days old: not judged yet)",
            style="dim",
        )
    return out


def _title(text: Text, width: int) -> Text:
    """A panel's title, ending in "…" when it is longer than the border leaves room for (four
    columns, and one on each side): the panel would cut it without a sign."""
    text.truncate(max(width - 6, 8), overflow="ellipsis")
    return text


def _strategy(report: Report, width: int = 100) -> list[RenderableType]:
    """The organisation's strategy: vision, each priority with what serves it, and what we do not do."""
    out: list[RenderableType] = []
    for strategy in report.strategies:
        parts: list[RenderableType] = []
        if strategy.vision:
            parts.append(_t(strategy.vision, "bold"))
            parts.append(Text(""))
        for number, priority in enumerate(strategy.priorities, 1):
            line = Text(f"{number}. ", style="bold")
            line.append(one_line(priority.title), style="bold")
            line.append(f" ({one_line(priority.ref)})", style="dim")
            parts.append(line)
            if not priority.objectives:
                parts.append(Text("   ⚠ nobody serves this priority", style="yellow"))
            for objective in priority.objectives:
                state = objective.state
                row = Text("   ")
                row.append_text(_status(state.status))
                row.append(f"  {one_line(state.title)}")
                n = len(objective.contributors)
                row.append(
                    f"\n     {one_line(state.owner_name)} · {one_line(state.id)} · {numbers.percent(state.progress)} done"
                    f" · {n} contributing objective{'s' if n != 1 else ''}",
                    style="dim",
                )
                parts.append(row)
        if strategy.not_doing:
            parts.append(Text(""))
            parts.append(Text("Not doing: ", style="bold").append(one_line("; ".join(strategy.not_doing))))
        title = _title(Text(f" Strategy · {one_line(strategy.id)} · {one_line(strategy.cycle)} "), width)
        out.append(Panel(Group(*parts), title=title, title_align="left", border_style="blue"))
    return out


def _business_units(report: Report, width: int = 100) -> list[RenderableType]:
    """One row per business unit: its objectives by status and how old its teams' data is; the
    stale teams are named below the table. Stacked below ``NARROW`` columns."""
    if not report.business_units:
        return []
    if width < NARROW:
        return _business_units_stacked(report)
    table = Table(box=None, pad_edge=False, show_edge=False, expand=True, header_style="bold")
    table.add_column("Business unit", min_width=12, ratio=1, overflow="fold")
    table.add_column("Objectives", justify="right", no_wrap=True)
    table.add_column("By status", ratio=2, overflow="fold")
    table.add_column("Last check-ins", no_wrap=True)
    stale_lines = []
    for unit in report.business_units:
        when = w.unit_checkins(unit)
        if unit.stale:
            when += " ⚠"
            line = Text(f"  ⚠ {one_line(unit.name)}: ", style="yellow")
            line.append(", ".join(one_line(report.name_of(o)) for o in unit.stale))
            line.append(f" (no check-in in {report.stale_after} days)", style="dim")
            stale_lines.append(line)
        by_status = Text()
        for status in w.STATUS_ORDER:
            if unit.counts[status]:
                by_status.append(f"● {unit.counts[status]} {w.status_label(status)}  ", style=w.STATUS_STYLE[status])
        table.add_row(_t(unit.name, "bold"), Text(str(unit.total)), by_status, Text(when))
    return [_section("Health per business unit"), table, *stale_lines, Text("")]


def _business_units_stacked(report: Report) -> list[RenderableType]:
    out: list[RenderableType] = [_section("Health per business unit")]
    for unit in report.business_units:
        head = _t(unit.name, "bold")
        head.append(f" · {unit.total} objective{'s' if unit.total != 1 else ''}")
        out.append(head)
        by_status = Text()
        for status in w.STATUS_ORDER:
            if unit.counts[status]:
                by_status.append(f"● {unit.counts[status]} {w.status_label(status)}  ", style=w.STATUS_STYLE[status])
        out.append(_indented(by_status, 2))
        out.append(_indented(Text(f"last check-ins {w.unit_checkins(unit)}", style="dim"), 2))
        if unit.stale:
            stale = Text("⚠ ", style="yellow")
            stale.append(", ".join(one_line(report.name_of(o)) for o in unit.stale), style="yellow")
            stale.append(f" (no check-in in {report.stale_after} days)", style="dim")
            out.append(_indented(stale, 2))
    out.append(Text(""))
    return out


def _organization(report: Report) -> str:
    org = report.organization
    return f"{org} · " if org and org != report.unit_name else ""


def _indented(text: Text, columns: int) -> Padding:
    """``text`` set in by ``columns``, its wrapped lines too."""
    return Padding(text, (0, 0, 0, columns))


def _stacked(rows: list[tuple[Text, list[Text]]]) -> Group:
    """A table for a narrow terminal: each row's first cell whole, its other cells on one line
    under it (a column of five letters would cut every word)."""
    parts: list[RenderableType] = []
    for first, rest in rows:
        parts.append(first)
        line = Text()
        for number, cell in enumerate(rest):
            if number:
                line.append(" · ", style="dim")
            line.append_text(cell)
        parts.append(_indented(line, 2))
    return Group(*parts)


def _kr_table(
    krs: list[KRState], compact: bool, charts: dict[str, KRChart] | None = None, narrow: bool = False
) -> WrappedRows | Group:
    """One row per KR: under its title the weekly values as a sparkline, the expected value and the
    target, and the forecast written out. ``narrow``: stacked (``_stacked``)."""
    if narrow:
        return _stacked(
            [
                (
                    _kr_cell(kr, charts),
                    [_t(w.kr_value(kr)), _bar(kr.progress, kr.expected, kr.status, 6), _status(kr.status)],
                )
                for kr in krs
            ]
        )
    table = Table(box=None, pad_edge=False, show_edge=False, expand=True, header_style="bold")
    table.add_column("Key result", ratio=1, min_width=16, overflow="fold")
    table.add_column("Now", justify="right", no_wrap=True)
    table.add_column("Progress (┃ expected)" if not compact else "Progress", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for kr in krs:
        row = [
            _kr_cell(kr, charts),
            _t(w.kr_value(kr)),
            _bar(kr.progress, kr.expected, kr.status, 6 if compact else 12),
        ]
        row.append(_status(kr.status))
        table.add_row(*row)
    return WrappedRows(table)


def _kr_cell(kr: KRState, charts: dict[str, KRChart] | None) -> Text:
    chart = (charts or {}).get(kr.id)
    cell = _t(kr.title)
    cell.append("\n")
    cell.append(f"{one_line(kr.id)} · {one_line(w.kr_range(kr))}", style="dim")
    trend, path = w.kr_trend(chart), w.kr_path(kr, chart)
    if trend or path:
        cell.append("\n")
        if trend:
            cell.append(trend, style="cyan")
            cell.append(" weekly" + (" · " if path else ""), style="dim")
        cell.append(path, style="dim")
    if kr.forecast is not None:
        cell.append(f"\n{one_line(w.kr_forecast(kr))}", style="dim")
    if kr.score is not None:
        cell.append(f"\n{w.score_phrase(kr.score)}", style="bold")
    return cell


def _confidence_cell(contributor: Contributor, scale: tuple[float, float], compact: bool) -> Text:
    state = contributor.state
    out = Text("" if compact else w.sparkline([v for _, v in state.confidence_series], *scale) + " ", style="cyan")
    out.append(numbers.number(state.confidence) if state.confidence is not None else "—")
    change = contributor.confidence_change
    if change is None:
        out.append(" —", style="dim")
    else:
        out.append(f" {numbers.delta(change)}", style="red" if change < 0 else ("green" if change > 0 else "dim"))
    return out


def link_phrase(contributor: Contributor) -> str:
    """How a contributor feeds the strategic objective, in a few words."""
    link = contributor.link
    if contributor.via:
        return f"via {contributor.via[-1]}"
    if link.key_result:
        return f"adopts KR {link.key_result}" if link.type == "explicit" else f"toward KR {link.key_result}"
    return link.type


def _contributors_table(
    objective: StrategicObjective, scale: tuple[float, float], compact: bool, narrow: bool = False
) -> WrappedRows | Group:
    """One row per contributing objective; on a narrow terminal the team heads the objective cell
    and the sparkline is left out; narrower still, stacked (``_stacked``)."""
    if narrow:
        rows = []
        for contributor in objective.contributors:
            state = contributor.state
            first = _t(state.owner_name, "bold")
            first.append(f" · last check-in {w.age_short(contributor.age)}", style=_age_style(contributor))
            first.append(f"\n{one_line(state.title)}")
            arrow = "⇒" if contributor.link.type == "explicit" else "→"
            first.append(f"\n{one_line(state.id)} {arrow} {one_line(link_phrase(contributor))}", style="dim")
            rest = [
                Text("conf. ") + _confidence_cell(contributor, scale, True),
                _bar(state.progress, state.expected, state.status, 6),
                _status(state.status),
            ]
            rows.append((first, rest))
        return _stacked(rows)
    table = Table(box=None, pad_edge=False, show_edge=False, expand=True, header_style="bold")
    if not compact:
        table.add_column("Team", max_width=18)
    table.add_column("Objective", ratio=1, min_width=16, overflow="fold")
    table.add_column("Confidence" if not compact else "Conf.", no_wrap=True)
    table.add_column("Progress", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for contributor in objective.contributors:
        state = contributor.state
        title = Text()
        if compact:
            title.append(one_line(state.owner_name) + "\n", style="bold")
            title.append(f"last check-in {w.age_short(contributor.age)}\n", style=_age_style(contributor))
        title.append(one_line(state.title))
        arrow = "⇒" if contributor.link.type == "explicit" else "→"
        title.append(f"\n{one_line(state.id)} {arrow} {one_line(link_phrase(contributor))}", style="dim")
        team = _t(state.owner_name, "bold")
        team.append(f"\n{w.age_short(contributor.age)}", style=_age_style(contributor))
        row = [] if compact else [team]
        row += [
            title,
            _confidence_cell(contributor, scale, compact),
            _bar(state.progress, state.expected, state.status, 6),
            _status(state.status),
        ]
        table.add_row(*row)
    return WrappedRows(table)


def _age_style(contributor: Contributor) -> str:
    return "yellow" if contributor.age and contributor.age.stale else "dim"


def _objective_panel(
    number: int, objective: StrategicObjective, report: Report, compact: bool, width: int = 100
) -> Panel:
    narrow = width < NARROW
    state = objective.state
    scale = report.confidence_scale
    summary = Text()
    summary.append_text(_status(state.status))
    summary.append(f"   progress {numbers.percent(state.progress)} (expected {numbers.percent(state.expected)})")
    if state.score is not None:
        summary.append(f"   {w.score_phrase(state.score)}", style="bold")
    summary.append(f"   confidence {w.confidence(state.confidence, scale[1])}")
    if objective.move is not None:
        summary.append(f" ({numbers.delta(objective.move.change)} this month)")
    spark = w.sparkline([v for _, v in state.confidence_series], *scale)
    if spark:
        summary.append(f"  {spark}", style="cyan")
    parts: list[RenderableType] = [_t(state.title, "bold"), summary]
    age = report.age(state.owner)
    if age is not None:
        parts.append(
            Text(
                f"last check-in of {one_line(state.owner_name)}: {w.age_text(age)}",
                style="yellow" if age.stale else "dim",
            )
        )
    for link in objective.serves:
        serves = Text("serves ", style="dim")
        serves.append(one_line(objective.serves_titles.get(link.ref, link.ref)))
        serves.append(f" ({one_line(link.ref)}, {link.type})", style="dim")
        parts.append(serves)
    if state.key_results:
        parts += [Text(""), _kr_table(state.key_results, compact, objective.charts, narrow), Text("")]
    else:
        parts += [Text(""), Text(widgets.NO_KEY_RESULTS, style="dim"), Text("")]
    if objective.contributors:
        n = len(objective.contributors)
        parts.append(Text(f"Contributing objective{'s' if n != 1 else ''} ({n})", style="bold underline"))
        parts.append(_contributors_table(objective, scale, compact, narrow))
    else:
        parts.append(Text("No objective aligns to this one yet.", style="yellow"))
    title = Text(f" {number} · ")
    title.append(one_line(state.id))
    title.append(f" · {one_line(state.owner_name)} ")
    title = _title(title, width)
    return Panel(Group(*parts), title=title, title_align="left", border_style=w.STATUS_STYLE.get(state.status, ""))


def _section(title: str) -> Text:
    return Text(title, style="bold underline")


def _extras(report: Report, width: int = 100) -> list[RenderableType]:
    out: list[RenderableType] = []
    out.append(_section("Strategy priorities with no contributor"))
    if report.uncovered_priorities:
        for priority in report.uncovered_priorities:
            line = Text("  ⚠ ", style="yellow")
            line.append(one_line(priority.title))
            line.append(f" ({one_line(priority.ref)})", style="dim")
            out.append(line)
    elif not report.has_strategy:
        out.append(Text(f"  no strategy covers {report.month_label}", style="dim"))
    else:
        out.append(Text("  none: every priority has a contributor", style="dim"))
    if report.unsupported:
        out.append(_section("Strategic objectives with no contributor"))
        for objective in report.unsupported:
            line = Text("  ⚠ ", style="yellow")
            line.append(one_line(objective.state.title))
            line.append(f" ({one_line(objective.state.id)})", style="dim")
            out.append(line)
    if report.others:
        out.append(Text(""))
        out.append(_section(f"Other objectives under {one_line(report.unit_name)} ({len(report.others)})"))
        out.append(Text("  counted above; they align to none of the objectives shown", style="dim"))
        for state in report.others:
            line = Text("  ")
            line.append_text(_status(state.status))
            line.append(f"  {one_line(state.title)}")
            line.append(
                f"\n     {one_line(state.owner_name)} · {one_line(state.id)} · progress {numbers.percent(state.progress)}"
                f" (expected {numbers.percent(state.expected)})",
                style="dim",
            )
            out.append(line)
    out.append(Text(""))
    out.append(_section(f"Issues raised most in {report.month_label}"))
    if report.issues and width < NARROW:
        for issue in report.issues:
            line = Text(f"{issue.count}× ", style="bold")
            line.append_text(_t(issue.text))
            out.append(_indented(line, 2))
            out.append(
                _indented(
                    Text(f"raised by {one_line(w.raisers(issue.owner_names))} · last {issue.last}", style="dim"), 5
                )
            )
    elif report.issues:
        table = Table(box=None, pad_edge=False, show_edge=False, expand=True, header_style="bold")
        table.add_column("Times", justify="right", no_wrap=True)
        table.add_column("Issue", ratio=1)
        table.add_column("Raised by", max_width=34)
        table.add_column("Last", no_wrap=True)
        for issue in report.issues:
            table.add_row(
                Text(str(issue.count)), _t(issue.text), _t(w.raisers(issue.owner_names)), Text(str(issue.last))
            )
        out.append(table)
    else:
        out.append(Text("  no issue raised in this month's check-ins", style="dim"))
    out.append(Text(""))
    out.append(_section(f"Largest confidence moves in {report.month_label}"))
    if report.confidence_moves and width < NARROW:
        for move in report.confidence_moves:
            who = _t(move.owner_name, "bold")
            who.append(f" · {one_line(move.objective_id)}", style="dim")
            out.append(_indented(who, 2))
            moved = Text(f"{numbers.number(move.start[1])} → {numbers.number(move.end[1])} ")
            moved.append(numbers.delta(move.change), style="red" if move.change < 0 else "green")
            moved.append(f" ({move.start[0]} → {move.end[0]})", style="dim")
            out.append(_indented(moved, 4))
            for _, day, before, after in move.drops:
                drop = f"drop of 3+: {numbers.number(before)} → {numbers.number(after)} on {day}"
                out.append(_indented(Text(drop, style="dim"), 4))
    elif report.confidence_moves:
        table = Table(box=None, pad_edge=False, show_edge=False, expand=True, header_style="bold")
        table.add_column("Team / objective", ratio=1, overflow="fold")
        table.add_column("Confidence", no_wrap=True)
        table.add_column("Change", justify="right", no_wrap=True)
        table.add_column("Drops of 3+")
        for move in report.confidence_moves:
            who = _t(move.owner_name, "bold")
            who.append(f"\n{one_line(move.objective_id)}", style="dim")
            moved = Text(f"{numbers.number(move.start[1])} → {numbers.number(move.end[1])}")
            moved.append(f"\n{move.start[0]} → {move.end[0]}", style="dim")
            table.add_row(
                who,
                moved,
                Text(numbers.delta(move.change), style="red" if move.change < 0 else "green"),
                Text(
                    ", ".join(f"{numbers.number(b)} → {numbers.number(a)} on {d1}" for _, d1, b, a in move.drops) or "—"
                ),
            )
        out.append(table)
    else:
        out.append(Text("  no confidence moved this month", style="dim"))
    out.append(Text(""))
    out.append(_section(f"Targets that moved in {report.month_label}"))
    if report.moved_targets and width < NARROW:
        for change in report.moved_targets:
            ref = Text(f"{change.day} ")
            ref.append_text(_t(change.ref, "bold"))
            out.append(_indented(ref, 2))
            what = Text(
                f"{change.field}: {one_line(w.change_value(change.old))} → {one_line(w.change_value(change.new))}"
            )
            if change.cycle_started:
                what.append(" (after the cycle started)", style="yellow")
            out.append(_indented(what, 4))
            out.append(_indented(Text(f"{one_line(change.author_name)} · {change.commit[:8]}", style="dim"), 4))
    elif report.moved_targets:
        table = Table(box=None, pad_edge=False, show_edge=False, expand=True, header_style="bold")
        table.add_column("Date", no_wrap=True)
        # A key result's id is cut only when it cannot fit half the width: the change's words wrap
        # first. On a narrow terminal both share the width.
        longest = max(cell_len(one_line(change.ref)) for change in report.moved_targets)
        if width >= 90:
            table.add_column("Key result", min_width=min(longest, width // 2), overflow="fold")
        else:
            table.add_column("Key result", ratio=1, overflow="fold")
        table.add_column("Change", ratio=1)
        table.add_column("By", max_width=24)
        for change in report.moved_targets:
            what = Text(f"{change.field}: ")
            what.append(one_line(w.change_value(change.old)))
            what.append(" → ")
            what.append(one_line(w.change_value(change.new)))
            if change.cycle_started:
                what.append("\nafter the cycle started", style="yellow")
            table.add_row(
                Text(str(change.day)), _t(change.ref), what, _t(f"{change.author_name} · {change.commit[:8]}")
            )
        out.append(table)
    elif not report.moved_targets_read:
        out.append(Text(f"  moved targets were not read ({report.moved_targets_unread})", style="dim"))
    else:
        out.append(Text("  no target, baseline or title changed this month", style="dim"))
    since = w.moved_since_note(report)
    if since:
        out.append(Text(f"  {one_line(since)}", style="yellow"))
    return out


# From this many table rows on, half the report is rendered in a forked worker (rich takes about
# 0.3 ms a row); the text is the same either way.
PARALLEL_MIN_ROWS = 300


def _rows(part: RenderableType) -> int:
    """About how much rendering a part of the report takes: its table rows, and one per other line."""
    if isinstance(part, Table):
        return part.row_count + 1
    if isinstance(part, WrappedRows):
        return part.table.row_count + 1
    if isinstance(part, Panel):
        return _rows(part.renderable) + 2
    if isinstance(part, Group):
        return sum(_rows(inner) for inner in part.renderables)
    return 1


# Below this many columns even the compact tables squeeze a column to a few letters a line: tables
# are stacked, each row's cells one after another.
NARROW = 70


def render(report: Report, *, color: bool = False, width: int = 100) -> str:
    compact = width < 90  # below this the wide tables would squeeze the titles to nothing
    parts: list[RenderableType] = [_header(report), *_strategy(report, width), *_business_units(report, width)]
    parts += [
        _objective_panel(number, objective, report, compact, width)
        for number, objective in enumerate(report.objectives, 1)
    ]
    parts += _extras(report, width)
    low, high = (numbers.number(v) for v in report.confidence_scale)
    parts += [
        Text(""),
        Text(
            f"█ progress  ┃ expected pace · confidence: one block per check-in on the {low}–{high} scale, "
            "latest value, change over the month · ⇒ explicit (adopts a key result)  → directional",
            style="dim",
        ),
    ]

    def printed(some: list[RenderableType]) -> str:
        buffer = StringIO()
        console = text_console(buffer, color, width, truecolor=True)
        for part in some:
            console.print(part)
        return buffer.getvalue()

    weights = [_rows(part) for part in parts]
    text = in_two(parts, printed, str.__add__, weights=weights) if sum(weights) >= PARALLEL_MIN_ROWS else printed(parts)
    # Rich pads table cells to the column width; trailing blanks help no one (and break diffs).
    return "\n".join(line.rstrip() for line in text.split("\n"))
