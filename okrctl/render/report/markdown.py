"""The report as GitHub-flavoured Markdown: pastes into a wiki page or a pull request."""

from __future__ import annotations

from okrctl.render import numbers, widgets
from okrctl.render import report_widgets as w
from okrctl.render.escape import md, md_code, md_row
from okrctl.views.report import Report, StrategicObjective


def _status(status: str | None) -> str:
    key = status or "no-data"
    return f"{w.STATUS_EMOJI.get(key, '')} {w.status_label(key)}"


def _row(*cells: str) -> str:
    return md_row(*cells)


def _confidence(value: float | None, change: float | None, report: Report) -> str:
    text = w.confidence(value, report.confidence_scale[1])
    return text if change is None else f"{text} ({numbers.delta(change)})"


def _objective(number: int, objective: StrategicObjective, report: Report) -> list[str]:
    state = objective.state
    scale = report.confidence_scale
    spark = w.sparkline([v for _, v in state.confidence_series], *scale)
    change = objective.move.change if objective.move else None
    lines = [
        f"## {number}. {md(state.title)}",
        "",
        f"{md_code(state.id)} · {md(state.owner_name)} · **{_status(state.status)}** · "
        f"progress **{numbers.percent(state.progress)}** (expected {numbers.percent(state.expected)}) · "
        + (f"{w.score_phrase(state.score)} · " if state.score is not None else "")
        + f"confidence **{_confidence(state.confidence, change, report)}**"
        + (f" `{spark}`" if spark else "")
        + f" · last check-in {md(w.age_short(report.age(state.owner)))}",
    ]
    for link in objective.serves:
        title = objective.serves_titles.get(link.ref, link.ref)
        lines += ["", f"Serves {md(title)} ({md_code(link.ref)}, {link.type})"]
    lines += (
        [
            "",
            _row("Key result", "Now", "Progress", "Expected", "Status", "Weekly values", "Forecast"),
            _row("---", "---:", "---:", "---:", "---", "---", "---"),
        ]
        if state.key_results
        else ["", md(widgets.NO_KEY_RESULTS)]
    )
    for kr in state.key_results:
        chart = objective.charts.get(kr.id)
        trend, path = w.kr_trend(chart), w.kr_path(kr, chart)
        weekly = (f"`{trend}`" if trend else "—") + (f"<br>{md(path)}" if path else "")
        lines.append(
            _row(
                f"{md(kr.title)}<br>{md_code(kr.id)} · {md(w.kr_range(kr))}",
                md(w.kr_value(kr)),
                numbers.percent(kr.progress),
                numbers.percent(kr.expected),
                _status(kr.status),
                weekly,
                md(w.kr_forecast(kr)) + (f"<br>**{w.score_phrase(kr.score)}**" if kr.score is not None else ""),
            )
        )
    lines.append("")
    if not objective.contributors:
        lines += ["> ⚠️ No objective aligns to this one yet.", ""]
        return lines
    lines += [
        f"### Contributing objectives ({len(objective.contributors)})",
        "",
        _row("Team", "Objective", "Link", "Confidence (Δ month)", "Trend", "Progress", "Status", "Last check-in"),
        _row("---", "---", "---", "---:", "---", "---:", "---", "---"),
    ]
    for contributor in objective.contributors:
        c = contributor.state
        trend = w.sparkline([v for _, v in c.confidence_series], *scale)
        lines.append(
            _row(
                md(c.owner_name),
                f"{md(c.title)}<br>{md_code(c.id)}",
                w.link_phrase(contributor, md_code),
                _confidence(c.confidence, contributor.confidence_change, report),
                f"`{trend}`" if trend else "—",
                f"{numbers.percent(c.progress)} / {numbers.percent(c.expected)}",
                _status(c.status),
                md(w.age_short(contributor.age)),
            )
        )
    lines.append("")
    return lines


def _age(report: Report) -> str:
    dates = [a.last for a in report.ages.values() if a.last is not None]
    if not report.ages:
        return ""
    text = "Data: " + (
        f"last check-ins {min(dates)}" + (f" to {max(dates)}" if max(dates) != min(dates) else "")
        if dates
        else "no check-in yet"
    )
    stale = report.stale_owners
    if stale:
        names = ", ".join(md(report.name_of(o)) for o in stale)
        return f"{text} · ⚠️ stale (no check-in in {report.stale_after} days): {names}"
    return f"{text} · no team stale on {report.age_day}"


def _strategy(report: Report) -> list[str]:
    lines: list[str] = []
    for strategy in report.strategies:
        lines += [f"## Strategy {md_code(strategy.id)} ({md(strategy.cycle)})", ""]
        if strategy.vision:
            lines += [f"**Vision:** {md(strategy.vision)}", ""]
        for number, priority in enumerate(strategy.priorities, 1):
            lines.append(f"{number}. **{md(priority.title)}** ({md_code(priority.ref)})")
            if not priority.objectives:
                lines.append("   - ⚠️ nobody serves this priority")
            for objective in priority.objectives:
                state = objective.state
                n = len(objective.contributors)
                lines.append(
                    f"   - {_status(state.status)} {md(state.title)} — {md(state.owner_name)}, {md_code(state.id)}, "
                    f"{numbers.percent(state.progress)} done, {n} contributing objective{'s' if n != 1 else ''}"
                )
        if strategy.not_doing:
            lines += ["", "**Not doing:** " + "; ".join(md(item) for item in strategy.not_doing)]
        lines.append("")
    if report.business_units:
        lines += [
            "## Health per business unit",
            "",
            _row(
                "Business unit", "Objectives", *(w.status_label(s) for s in w.STATUS_ORDER), "Last check-ins", "Stale"
            ),
            _row("---", "---:", "---:", "---:", "---:", "---:", "---", "---"),
        ]
        for unit in report.business_units:
            stale = ", ".join(md(report.name_of(o)) for o in unit.stale)
            lines.append(
                _row(
                    md(unit.name),
                    str(unit.total),
                    *(str(unit.counts[s]) for s in w.STATUS_ORDER),
                    w.unit_checkins(unit),
                    f"⚠️ {stale}" if stale else ("none" if unit.ages else "—"),
                )
            )
        lines.append("")
    return lines


def _extras(report: Report) -> list[str]:
    month = report.month_label
    lines = ["## Strategy priorities with no contributor", ""]
    if report.uncovered_priorities:
        lines += [f"- ⚠️ {md(p.title)} ({md_code(p.ref)})" for p in report.uncovered_priorities]
    elif not report.has_strategy:
        lines.append(f"No strategy covers {month}.")
    else:
        lines.append("None: every priority has a contributor.")
    lines.append("")
    if report.unsupported:
        lines += ["## Strategic objectives with no contributor", ""]
        lines += [f"- ⚠️ {md(o.state.title)} ({md_code(o.state.id)})" for o in report.unsupported]
        lines.append("")
    if report.others:
        lines += [f"## Other objectives under {md(report.unit_name)} ({len(report.others)})", ""]
        lines += ["Counted above; they align to none of the objectives shown.", ""]
        lines += [
            f"- {w.STATUS_EMOJI.get(st.status, '')} {md(w.status_label(st.status))}: {md(st.title)} "
            f"({md_code(st.id)}, {md(st.owner_name)}) · progress {numbers.percent(st.progress)} "
            f"(expected {numbers.percent(st.expected)})"
            for st in report.others
        ]
        lines.append("")
    lines += [f"## Issues raised most in {month}", ""]
    if report.issues:
        lines += [_row("Times", "Issue", "Raised by", "Last"), _row("---:", "---", "---", "---")]
        for issue in report.issues:
            lines.append(_row(str(issue.count), md(issue.text), md(w.raisers(issue.owner_names)), str(issue.last)))
    else:
        lines.append("No issue raised in this month's check-ins.")
    lines += ["", f"## Largest confidence moves in {month}", ""]
    if report.confidence_moves:
        lines += [
            _row("Team", "Objective", "From", "To", "Change", "Drops of 3+"),
            _row("---", "---", "---", "---", "---:", "---"),
        ]
        for move in report.confidence_moves:
            drops = ", ".join(f"{numbers.number(b)} → {numbers.number(a)} on {d1}" for _, d1, b, a in move.drops) or "—"
            lines.append(
                _row(
                    md(move.owner_name),
                    md_code(move.objective_id),
                    f"{numbers.number(move.start[1])} ({move.start[0]})",
                    f"{numbers.number(move.end[1])} ({move.end[0]})",
                    f"**{numbers.delta(move.change)}**",
                    drops,
                )
            )
    else:
        lines.append("No confidence moved this month.")
    lines += ["", f"## Targets that moved in {month}", ""]
    if report.moved_targets:
        lines += [
            _row("Date", "Key result", "Field", "Old → new", "Cycle started", "By"),
            _row("---", "---", "---", "---", "---", "---"),
        ]
        for change in report.moved_targets:
            lines.append(
                _row(
                    str(change.day),
                    md_code(change.ref),
                    md(change.field),
                    f"{md(w.change_value(change.old))} → {md(w.change_value(change.new))}",
                    "⚠️ yes" if change.cycle_started else "no",
                    f"{md(change.author_name)} ({md_code(change.commit[:8])})",
                )
            )
    elif not report.moved_targets_read:
        why = report.moved_targets_unread
        lines.append(f"_Moved targets were not read ({md_code(why) if why.startswith('--') else md(why)})._")
    else:
        lines.append("No target, baseline or title changed this month.")
    since = w.moved_since_note(report)
    if since:
        lines += ["", f"> ⚠️ {md(since)}"]
    lines.append("")
    return lines


def render(report: Report, *, color: bool = False, width: int = 100) -> str:
    org = f"{md(report.organization)} · " if report.organization and report.organization != report.unit_name else ""
    lines = [
        f"# {md(report.unit_name)} — OKR report, {report.month_label}",
        "",
        f"{org}{report.cycle_phrase} · as of {report.as_of}",
        "",
        f"> **{md(report.headline)}**",
    ]
    if report.scope_total:
        lines.append(
            ">\n> "
            + " · ".join(f"{w.STATUS_EMOJI[s]} {report.scope_counts[s]} {w.status_label(s)}" for s in w.STATUS_ORDER)
        )
    if report.month_note:
        lines.append(f">\n> ⚠️ {md(report.month_note)}")
    if report.ages:
        lines.append(f">\n> {_age(report)}")
    if report.problems:
        problems = f"{report.problems} file problem{'' if report.problems == 1 else 's'}"
        lines.append(f">\n> ⚠️ {problems} left documents out: run `okrctl align`.")
    lines.append("")
    lines += _strategy(report)
    for number, objective in enumerate(report.objectives, 1):
        lines += _objective(number, objective, report)
    lines += _extras(report)
    low, high = (numbers.number(v) for v in report.confidence_scale)
    lines.append(
        f"<sub>Confidence on the {low}–{high} scale, change over the month in brackets; trend: one block per "
        f"weekly check-in. Progress / expected pace. ⇒ explicit alignment (adopts a key result), → directional."
        f" Generated by okrctl on {report.today}.</sub>"
    )
    return "\n".join(lines) + "\n"
