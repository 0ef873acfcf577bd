"""The report as ONE self-contained HTML file: inline CSS and SVG, no script, no external asset.

It opens in any browser, reads on a phone (viewport, fluid layout, tables that become cards) and
prints (``@media print``). A Content-Security-Policy forbids scripts and remote loads, so even a
mistake in escaping could not run anything; every piece of repository text goes through ``h``, and
in element content through ``bdi`` (or ``bdi_in`` inside okrctl's own phrase): text written right to
left is laid out on its own, and the numbers and words around it keep their order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from okrctl import __version__
from okrctl.analysis.kr_chart import KRChart
from okrctl.analysis.state import KRState
from okrctl.render import numbers, svg, widgets
from okrctl.render import report_widgets as w
from okrctl.render.escape import bdi, bdi_in, h
from okrctl.render.map.svg import render_svg
from okrctl.render.palette import LIGHT, css_variables, dark_css
from okrctl.views.map import MapNode
from okrctl.views.report import CheckinAge, ConfidenceMove, Report, StrategicObjective

CSS = (
    "\n:root{"
    + css_variables(LIGHT)
    + """}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Noto Sans","Liberation Sans",sans-serif;overflow-wrap:anywhere}
main{max-width:1100px;margin:0 auto;padding:28px 20px 48px}
header.top{border-bottom:3px solid var(--ink);padding-bottom:14px;margin-bottom:22px}
.eyebrow{margin:0;color:var(--accent);font-weight:700;letter-spacing:.08em;text-transform:uppercase;font-size:12px}
h1{font-size:30px;line-height:1.2;margin:6px 0 6px}
h2{font-size:21px;line-height:1.3;margin:0}
h3{font-size:13px;text-transform:uppercase;letter-spacing:.07em;color:var(--muted);margin:22px 0 10px}
.meta{color:var(--muted);margin:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 22px;margin:0 0 20px;
box-shadow:0 1px 2px rgba(17,24,39,.05)}
.headline .lead{font-size:20px;font-weight:700;margin:0 0 14px}
.strip{display:block;width:100%;height:12px;border-radius:6px;overflow:hidden;margin-bottom:14px}
.tiles{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px;margin:0;padding:0;list-style:none}
.tile{border-radius:10px;padding:10px 14px;border:1px solid transparent}
.tile b{display:block;font-size:28px;line-height:1.1}
.tile span{font-size:13px;font-weight:600}
.on-track{--c:var(--on);--cb:var(--on-bg)}.at-risk{--c:var(--risk);--cb:var(--risk-bg)}
.off-track{--c:var(--off);--cb:var(--off-bg)}.no-data{--c:var(--none);--cb:var(--none-bg)}
.tile{background:var(--cb);color:var(--c);border-color:color-mix(in srgb,var(--c) 25%,transparent)}
.badge{display:inline-block;white-space:nowrap;background:var(--cb);color:var(--c);border-radius:999px;
padding:1px 10px;font-size:12.5px;font-weight:700}
.badge::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:var(--c);
margin-right:6px;vertical-align:1px}
.alert{border-left:4px solid var(--risk);background:var(--risk-bg);padding:8px 12px;border-radius:6px;margin:12px 0 0}
.objective{border-top:5px solid var(--c)}
.obj-head{display:flex;gap:12px;align-items:flex-start;justify-content:space-between;flex-wrap:wrap}
.obj-head .sub{color:var(--muted);margin:4px 0 0;font-size:13.5px}
.kpis{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:10px;margin:16px 0 0}
.kpi{border:1px solid var(--line);border-radius:10px;padding:8px 12px}
.kpi small{display:block;color:var(--muted);font-size:12px}
.kpi b{font-size:20px}
.kpi em{font-style:normal;color:var(--muted);font-size:13px}
code{font:12.5px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;color:var(--ink2);
background:var(--code-bg);border-radius:4px;padding:0 4px}
table{width:100%;border-collapse:collapse;font-size:14px}
th{text-align:left;font-size:12px;color:var(--muted);font-weight:600;border-bottom:1px solid var(--line);padding:6px 8px}
td{border-bottom:1px solid var(--line);padding:9px 8px;vertical-align:top}
tr:last-child td{border-bottom:0}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
td.date{overflow-wrap:normal}
td.rule{white-space:nowrap;overflow-wrap:normal}
.capped{display:inline-block;max-width:26em}
td .small{display:block;color:var(--muted);font-size:12.5px;margin-top:2px}
.barcell{min-width:190px}
.krs td:first-child,.contributors td:nth-child(2){min-width:210px}
.bar{display:block;width:100%;height:16px}
.barcell .small{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 6px}
.spark{width:84px;height:22px;vertical-align:middle}
.up{color:var(--on);font-weight:700}.down{color:var(--off);font-weight:700}.flat{color:var(--muted)}
.trends{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:12px}
.trend-card{border:1px solid var(--line);border-radius:10px;padding:10px 12px}
.trend-card h2,.trend-card h3,.trend-card h4{margin:0;font-size:14px;font-weight:700;text-transform:none;letter-spacing:0;color:var(--ink)}
h2.section{font-size:13px;text-transform:uppercase;letter-spacing:.07em;color:var(--muted);margin:22px 0 10px;font-weight:700}
.trend-card p{margin:0;color:var(--muted);font-size:12.5px}
.trend{display:block;width:100%;height:auto;margin-top:6px}
.mapwrap{overflow-x:auto}
.map{display:block;width:100%;min-width:720px;height:auto}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;color:var(--muted);font-size:12.5px;margin:10px 0 0;padding:0;list-style:none}
.legend i{display:inline-block;width:26px;height:0;border-top:2px solid;vertical-align:middle;margin-right:6px}
.legend .explicit{border-color:var(--ink);border-top-width:3px}.legend .directional{border-color:var(--directional)}
.legend .dependency{border-color:var(--dependency);border-top-style:dashed}
ul.plain{margin:0;padding-left:18px}
footer{color:var(--muted);font-size:12.5px;text-align:center;margin-top:28px}
a{color:inherit;text-decoration-color:color-mix(in srgb,currentColor 35%,transparent);text-underline-offset:2px}
a:hover{color:var(--accent)}
.krchart{display:block;width:100%;max-width:320px;height:auto}
.chartcell{min-width:230px}
details.values{margin:4px 0 0;font-size:12.5px}
details.values summary{color:var(--muted);cursor:pointer;width:max-content}
details.values table{width:auto;font-size:12.5px;margin:2px 0 0}
details.values th,.krs details.values td{min-width:0;padding:2px 12px 2px 0;border-bottom:1px solid var(--line)}
details.values td{white-space:nowrap}
details.values th.num{white-space:normal}
.stale{color:var(--risk);font-weight:700}
.priority{border-left:4px solid var(--accent);padding:4px 0 4px 14px;margin:14px 0}
.priority h3{margin:0 0 6px;color:var(--ink);text-transform:none;letter-spacing:0;font-size:16px}
.vision{font-size:18px;font-weight:600;margin:0 0 8px}
nav.site{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:14px;margin:0 0 18px;padding:10px 0;border-bottom:1px solid var(--line)}
nav.site a{text-decoration:none;font-weight:600}
nav.site a[aria-current]{color:var(--accent)}
@media (max-width:900px){
main{padding:18px 12px 32px}
h1{font-size:24px}
.tiles,.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}
.card{padding:16px 14px}
table.stack thead{display:none}
table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
table.stack tr{border-bottom:1px solid var(--line);padding:8px 0}
table.stack td{border:0;padding:3px 0}
table.stack td.num{text-align:left}
table.stack details.values table{display:table;width:auto}table.stack details.values thead{display:table-header-group}
table.stack details.values tbody{display:table-row-group}table.stack details.values tr{display:table-row;padding:0}
table.stack details.values td{display:table-cell;width:auto;padding:2px 12px 2px 0}table.stack details.values td.num{text-align:right}
table.stack td[data-label]::before{content:attr(data-label) ": ";color:var(--muted);font-size:12px;font-weight:600}
}
@media print{
@page{margin:14mm}
body{background:#fff;font-size:11pt}
main{max-width:none;padding:0}
.card{box-shadow:none;border-color:#d1d5db}
h1,h2,h3{break-after:avoid;page-break-after:avoid}
.objective{break-inside:auto;page-break-inside:auto;border-top-color:var(--c)}
.barcell{min-width:140px}
tr,.trend-card,.kpi{break-inside:avoid;page-break-inside:avoid}
.mapwrap{overflow:visible}.map{min-width:0!important}
details.values{display:none}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""
    + dark_css()
)


MapHref = Callable[[MapNode], "str | None"]
NOT_ACKNOWLEDGED = '<span class="down">not acknowledged</span>'


class Links:
    """Where a page links things. The standalone report links nothing; the site gives every
    objective, unit and team its page, and (with ``--link-base``) every number its source line."""

    def objective(self, objective_id: str) -> str | None:
        return None

    def unit(self, unit_id: str) -> str | None:
        return None

    def kr_value(self, objective_id: str, kr_id: str) -> str | None:
        return None

    def kr_target(self, objective_id: str, kr_id: str) -> str | None:
        return None

    def confidence(self, objective_id: str) -> str | None:
        return None

    def findings(self) -> str | None:
        """The page that lists why files were left out (the site's ``align.html``); None: the
        reader is told to run ``okrctl align``."""
        return None


NO_LINKS = Links()


def a(url: str | None, inner: str, *, title: str | None = None) -> str:
    """``inner`` (already HTML) as a link to ``url``, or as it is without one."""
    if not url:
        return inner
    tip = f' title="{h(title)}"' if title else ""
    return f'<a href="{h(url)}"{tip}>{inner}</a>'


SOURCE_TIP = "the file and line this number comes from"


def _forecast_cell(kr: KRState) -> str:
    """The forecast under a key result's bar: only a metric key result has one (docs/format.md); one
    with too few points has none yet, and the others are not said to wait for one."""
    if kr.forecast is not None:
        return f'<span class="small">{h(w.kr_forecast(kr))}</span>'
    return '<span class="small">no forecast yet</span>' if kr.type == "metric" else ""


def _badge(status: str | None) -> str:
    key = status or "no-data"
    return f'<span class="badge {h(key)}">{h(w.status_label(key))}</span>'


def _change(change: float | None) -> str:
    if change is None:
        return '<span class="flat">no check-in this month</span>'
    cls = "up" if change > 0 else ("down" if change < 0 else "flat")
    return f'<span class="{cls}">{h(numbers.delta(change))}</span>'


def _change_this_month(change: float | None) -> str:
    """``+0.4 this month``, or ``no check-in this month`` (said once)."""
    return _change(change) if change is None else f"{_change(change)} this month"


def kr_rows(objective_id: str, krs: list[KRState], charts: dict[str, KRChart], links: Links = NO_LINKS) -> str:
    """The KR table: value (linked to its check-in line), the chart of its weeks against the
    expected path, progress against expected, status and the forecast written out."""
    if not krs:
        return f'<p class="small">{h(widgets.NO_KEY_RESULTS)}</p>'
    rows = []
    for kr in krs:
        label = f"{kr.id}: progress {numbers.percent(kr.progress)}, expected {numbers.percent(kr.expected)}"
        chart = charts.get(kr.id)
        drawn = (
            svg.kr_chart(
                chart,
                kr.status,
                label=f"{svg.short_name(kr.title)}: {svg.short_name(w.kr_range(kr))}",
                notes="; ".join(
                    x for x in (w.kr_path(kr, chart), w.kr_forecast(kr) if kr.forecast is not None else "") if x
                ),
            )
            + svg.kr_values(chart)
            if chart is not None
            else ""
        )
        target = a(links.kr_target(objective_id, kr.id), bdi_in(w.kr_range(kr), kr.unit or ""), title=SOURCE_TIP)
        value = a(links.kr_value(objective_id, kr.id), h(w.kr_value(kr)), title=SOURCE_TIP)
        rows.append(
            "<tr>"
            f'<td data-label="Key result">{bdi(kr.title)}<span class="small"><code>{h(kr.id)}</code> · '
            f"{target}</span></td>"
            f'<td class="num" data-label="Now">{value}</td>'
            f'<td class="chartcell" data-label="Weekly values">{drawn}</td>'
            f'<td class="barcell" data-label="Progress vs expected">'
            f"{svg.progress_bar(kr.progress, kr.expected, kr.status, label=label)}"
            f'<span class="small"><span>{h(numbers.percent(kr.progress))} done</span>'
            f"<span>expected {h(numbers.percent(kr.expected))}</span></span>{_badge(kr.status)}"
            + _forecast_cell(kr)
            + (
                f'<span class="small"><strong>{h(w.score_phrase(kr.score))}</strong></span>'
                if kr.score is not None
                else ""
            )
            + "</td>"
            "</tr>"
        )
    return (
        '<table class="stack krs"><thead><tr><th>Key result</th><th class="num">Now</th>'
        "<th>Weekly values · expected path · forecast</th><th>Progress vs expected · status</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _code(text: str) -> str:
    return f"<code>{h(text)}</code>"


def _contributor_rows(objective: StrategicObjective, report: Report, links: Links = NO_LINKS) -> str:
    low, high = report.confidence_scale
    rows = []
    for contributor in objective.contributors:
        state = contributor.state
        spark = svg.sparkline(
            state.confidence_series, low, high, label=f"confidence of {svg.short_name(state.owner_name)}"
        )
        label = f"{state.id}: progress {numbers.percent(state.progress)}, expected {numbers.percent(state.expected)}"
        rows.append(
            "<tr>"
            f'<td data-label="Team"><b>{a(links.unit(state.owner), bdi(state.owner_name))}</b>'
            f"{_age(contributor.age)}</td>"
            f'<td data-label="Objective">{a(links.objective(state.id), bdi(state.title))}<span class="small">'
            f"<code>{h(state.id)}</code> {w.link_phrase(contributor, _code)}</span></td>"
            f'<td data-label="Confidence" class="num">{spark} '
            f"<b>{a(links.confidence(state.id), h(w.confidence(state.confidence, high)), title=SOURCE_TIP)}</b>"
            f'<span class="small">{_change_this_month(contributor.confidence_change)}</span></td>'
            f'<td class="barcell" data-label="Progress">'
            f"{svg.progress_bar(state.progress, state.expected, state.status, label=label)}"
            f'<span class="small"><span>{h(numbers.percent(state.progress))}</span>'
            f"<span>expected {h(numbers.percent(state.expected))}</span></span></td>"
            f'<td data-label="Status">{_badge(state.status)}</td>'
            "</tr>"
        )
    return (
        '<table class="stack contributors"><thead><tr><th>Team</th><th>Objective</th><th class="num">Confidence</th>'
        f"<th>Progress vs expected</th><th>Status</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _age(age: CheckinAge | None) -> str:
    """The team's last check-in under its name; stale ones stand out."""
    if age is None:
        return ""
    if age.stale:
        return f'<span class="small stale">⚠ {h(w.age_text(age))}</span>'
    return f'<span class="small">last check-in {h(w.age_text(age))}</span>'


def _age_inline(age: CheckinAge | None) -> str:
    if age is None:
        return ""
    text = f"last check-in {h(w.age_text(age))}"
    return f'<span class="stale">⚠ {text}</span>' if age.stale else text


def _trends(objective: StrategicObjective, report: Report) -> str:
    low, high = report.confidence_scale
    cards = []
    for contributor in objective.contributors:
        state = contributor.state
        chart = svg.confidence_chart(
            state.confidence_series,
            state.cycle.start,
            state.cycle.end,
            low,
            high,
            month=(report.month_start, report.as_of),
            label=f"confidence of {svg.short_name(state.owner_name)} over {state.cycle.id}",
        )
        cards.append(
            f'<div class="trend-card"><h4>{bdi(state.owner_name)}</h4>'
            f"<p><code>{h(state.id)}</code> · {_change_this_month(contributor.confidence_change)}</p>{chart}"
            f"{svg.confidence_values(state.confidence_series)}</div>"
        )
    return f'<div class="trends">{"".join(cards)}</div>'


def _objective(number: int, objective: StrategicObjective, report: Report, links: Links = NO_LINKS) -> str:
    state = objective.state
    high = report.confidence_scale[1]
    serves = "".join(
        f'<p class="sub">Serves {bdi(objective.serves_titles.get(link.ref, link.ref))} '
        f"(<code>{h(link.ref)}</code>, {h(link.type)})</p>"
        for link in objective.serves
    )
    change = objective.move.change if objective.move else None
    parts = [
        f'<section class="card objective {h(state.status)}" id="objective-{h(state.id)}">',
        '<div class="obj-head"><div>',
        f'<p class="eyebrow">Strategic objective {number} · {a(links.unit(state.owner), bdi(state.owner_name))}</p>',
        f"<h2>{a(links.objective(state.id), bdi(state.title))}</h2>",
        f'<p class="sub"><code>{h(state.id)}</code> · cycle {h(state.cycle.id)} · '
        f"{_age_inline(report.age(state.owner))}</p>{serves}</div>",
        f"<div>{_badge(state.status)}</div></div>",
        '<div class="kpis">',
        f'<div class="kpi"><small>Progress</small><b>{h(numbers.percent(state.progress))}</b></div>',
        f'<div class="kpi"><small>Expected by now</small><b>{h(numbers.percent(state.expected))}</b></div>',
        *(
            [f'<div class="kpi"><small>Score</small><b>{h(w.score_value(state.score))}</b></div>']
            if state.score is not None
            else []
        ),
        f'<div class="kpi"><small>Confidence</small>'
        f"<b>{a(links.confidence(state.id), h(w.confidence(state.confidence, high)), title=SOURCE_TIP)}</b> "
        f"<em>{_change(change)}</em></div>",
        f'<div class="kpi"><small>Contributing objectives</small><b>{len(objective.contributors)}</b></div>',
        "</div>",
        "<h3>Key results</h3>",
        kr_rows(state.id, state.key_results, objective.charts, links),
    ]
    if objective.contributors:
        parts += [
            "<h3>Contributing team objectives</h3>",
            _contributor_rows(objective, report, links),
            "<h3>Confidence trend per contributing team</h3>",
            _trends(objective, report),
        ]
    else:
        parts.append('<p class="alert">No objective aligns to this one yet.</p>')
    parts.append("</section>")
    return "".join(parts)


def _headline(report: Report, links: Links = NO_LINKS) -> str:
    parts = [
        '<section class="card headline" aria-label="Headline">',
        f'<p class="lead">{bdi_in(report.headline, report.unit_name)}</p>',
    ]
    if report.scope_total:
        parts.append(svg.status_strip(report.scope_counts, w.STATUS_ORDER))
        parts.append('<ul class="tiles">')
        for status in w.STATUS_ORDER:
            parts.append(
                f'<li class="tile {h(status)}"><b>{report.scope_counts[status]}</b>'
                f"<span>{h(w.status_label(status))}</span></li>"
            )
        parts.append("</ul>")
    if report.month_note:
        parts.append(f'<p class="alert">{h(report.month_note)}</p>')
    parts.append(_age_summary(report))
    attention = []  # HTML

    def many(count: int, one: str, more: str) -> str:
        return f"{count} {one if count == 1 else more}"

    if report.uncovered_priorities:
        priorities = many(len(report.uncovered_priorities), "strategy priority", "strategy priorities")
        attention.append(h(f"{priorities} with no contributor"))
    if report.unsupported:
        objectives = many(len(report.unsupported), "strategic objective", "strategic objectives")
        attention.append(h(f"{objectives} with no contributor"))
    if report.moved_targets:
        attention.append(h(f"{many(len(report.moved_targets), 'target change', 'target changes')} this month"))
    if report.problems:
        # A reader of the site may have no terminal: the site points to its own findings page.
        findings = links.findings()
        why = f"{a(findings, 'the findings page')} lists why" if findings else "run okrctl align"
        attention.append(f"{h(many(report.problems, 'file problem', 'file problems'))} left documents out ({why})")
    if attention:
        parts.append(f'<p class="alert">Needs attention: {"; ".join(attention)}.</p>')
    parts.append("</section>")
    return "".join(parts)


def _age_summary(report: Report) -> str:
    """How old the data is: the span of the teams' last check-ins, and the stale teams by name."""
    if not report.ages:
        return ""
    dates = [x.last for x in report.ages.values() if x.last is not None]
    text = (
        f"Data: last check-ins {min(dates)}" + (f" to {max(dates)}" if max(dates) != min(dates) else "")
        if dates
        else "Data: no check-in yet"
    )
    stale = report.stale_owners
    if stale:
        names = ", ".join(bdi(report.name_of(o)) for o in stale)
        return (
            f'<p class="meta">{h(text)} · <span class="stale">⚠ stale (no check-in in {report.stale_after} days): '
            f"{names}</span></p>"
        )
    return f'<p class="meta">{h(text)} · no team stale on {h(str(report.age_day))}</p>'


def priority_anchor(ref: str) -> str:
    """The id of a priority's block in the organisation's report (``strategy/priority``)."""
    return "priority-" + ref.replace("/", "--")


def _strategy(report: Report, links: Links) -> str:
    """The organisation's strategy: vision, each priority with the objectives serving it, not doing."""
    parts = []
    for strategy in report.strategies:
        parts.append(f'<section class="card" id="strategy-{h(strategy.id)}"><p class="eyebrow">Strategy · ')
        parts.append(f"{h(strategy.cycle)}</p><h2>Where we are going</h2>")
        if strategy.vision:
            parts.append(f'<p class="vision">{bdi(strategy.vision)}</p>')
        for number, priority in enumerate(strategy.priorities, 1):
            parts.append(
                f'<div class="priority" id="{h(priority_anchor(priority.ref))}">'
                f"<h3>{number}. {bdi(priority.title)} <code>{h(priority.ref)}</code></h3>"
            )
            if not priority.objectives:
                parts.append('<p class="alert">Nobody serves this priority.</p>')
            items = []
            for objective in priority.objectives:
                state = objective.state
                n = len(objective.contributors)
                items.append(
                    f"<li>{_badge(state.status)} {a(links.objective(state.id), bdi(state.title))} "
                    f'<span class="meta">— {a(links.unit(state.owner), bdi(state.owner_name))}, '
                    f"{h(numbers.percent(state.progress))} done (expected {h(numbers.percent(state.expected))}), "
                    f"{n} contributing objective{'s' if n != 1 else ''}</span></li>"
                )
            if items:
                parts.append(f'<ul class="plain">{"".join(items)}</ul>')
            parts.append("</div>")
        if strategy.not_doing:
            not_doing = "".join(f"<li>{bdi(item)}</li>" for item in strategy.not_doing)
            parts.append(f'<h3>Not doing</h3><ul class="plain">{not_doing}</ul>')
        parts.append("</section>")
    if report.business_units:
        rows = []
        for unit in report.business_units:
            stale = ", ".join(bdi(report.name_of(o)) for o in unit.stale)
            counts = "".join(
                f'<td class="num" data-label="{h(w.status_label(st))}">{unit.counts[st]}</td>' for st in w.STATUS_ORDER
            )
            rows.append(
                f'<tr><td data-label="Business unit"><b class="capped">{a(links.unit(unit.unit), bdi(unit.name))}</b></td>'
                f'<td class="num" data-label="Objectives">{unit.total}</td>{counts}'
                f'<td class="date" data-label="Last check-ins">{h(w.unit_checkins(unit))}</td>'
                f'<td data-label="Stale">{f"<span class=stale>⚠ {stale}</span>" if stale else ("none" if unit.ages else "—")}</td></tr>'
            )
        heads = "".join(f'<th class="num">{h(w.status_label(st))}</th>' for st in w.STATUS_ORDER)
        parts.append(
            '<section class="card" id="business-units"><h2>Health per business unit</h2>'
            f'<table class="stack"><thead><tr><th>Business unit</th><th class="num">Objectives</th>{heads}'
            f"<th>Last check-ins</th><th>Stale teams</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
        )
    return "".join(parts)


def _map(report: Report, href: MapHref | None = None) -> str:
    amap = report.alignment
    if amap is None or not amap.nodes:
        return ""
    deps = "".join(
        f"<li><b>{bdi(amap.nodes[d.source].owner_name if d.source in amap.nodes else d.source)}</b> needs "
        f"{bdi(d.need)} from <b>{bdi(d.unit_name)}</b> — "
        + (
            f"acknowledged by <code>{h(d.acknowledged_by)}</code>"
            if d.acknowledged and d.acknowledged_by
            else "acknowledged"
            if d.acknowledged
            else NOT_ACKNOWLEDGED
        )
        + "</li>"
        for d in amap.dependencies
    )
    orphans = ", ".join(f"<code>{h(o)}</code>" for o in amap.orphans)
    return (
        '<section class="card" id="alignment-map"><h2>Alignment map</h2>'
        f'<p class="sub meta">Strategy priorities → strategic objectives → team objectives of {bdi(amap.unit_name)}; '
        "dashed boxes are context: what those objectives align to above the unit, in another unit or in another cycle.</p>"
        f'<div class="mapwrap" tabindex="0" role="region" aria-label="Alignment map (scrolls sideways when wider than '
        f'the page)">{render_svg(amap, href)}</div>'
        '<ul class="legend"><li><i class="explicit"></i>explicit (adopts a key result)'
        '</li><li><i class="directional"></i>directional</li>'
        '<li><i class="dependency"></i>peer dependency</li></ul>'
        + (f'<h3>Peer dependencies</h3><ul class="plain">{deps}</ul>' if deps else "")
        + (f'<p class="alert">Not aligned to anything: {orphans}</p>' if orphans else "")
        + "</section>"
    )


def _drops(move: ConfidenceMove) -> str:
    return ", ".join(f"{numbers.number(b)} → {numbers.number(a)} on {d1}" for _, d1, b, a in move.drops) or "—"


def _changed(value: object) -> str:
    """A moved target's old or new value: a title (``change_value`` quotes it) isolated."""
    return bdi_in(w.change_value(value), value) if isinstance(value, str) else h(w.change_value(value))


def _titles_moved(report: Report) -> list[str]:
    """The titles a past month's note on later target changes may quote (``moved_since_note``)."""
    return [v for c in report.moved_since for v in (c.old, c.new) if isinstance(v, str)]


def _month(report: Report, links: Links = NO_LINKS) -> str:
    month = h(report.month_label)
    parts = ['<section class="card" id="this-month">', f"<h2>{month}: what teams said and changed</h2>"]
    parts.append(f"<h3>Issues raised most in {month}</h3>")
    if report.issues:
        rows = "".join(
            f'<tr><td class="num" data-label="Times"><b>{issue.count}×</b></td><td data-label="Issue">{bdi(issue.text)}</td>'
            f'<td data-label="Raised by">{bdi_in(w.raisers(issue.owner_names), *issue.owner_names)}</td>'
            f'<td class="num" data-label="Last">{h(str(issue.last))}</td></tr>'
            for issue in report.issues
        )
        parts.append(
            '<table class="stack"><thead><tr><th class="num">Times</th><th>Issue</th><th>Raised by</th>'
            f'<th class="num">Last raised</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        parts.append('<p class="meta">No issue raised in this month\'s check-ins.</p>')
    parts.append(f"<h3>Largest confidence moves in {month}</h3>")
    if report.confidence_moves:
        rows = "".join(
            f'<tr><td data-label="Team"><b>{bdi(m.owner_name)}</b></td><td data-label="Objective"><code>{h(m.objective_id)}</code></td>'
            f'<td class="num" data-label="From">{h(numbers.number(m.start[1]))} <span class="small">{h(str(m.start[0]))}</span></td>'
            f'<td class="num" data-label="To">{h(numbers.number(m.end[1]))} <span class="small">{h(str(m.end[0]))}</span></td>'
            f'<td class="num" data-label="Change">{_change(m.change)}</td>'
            f'<td data-label="Drops of 3+">{h(_drops(m))}</td></tr>'
            for m in report.confidence_moves
        )
        parts.append(
            '<table class="stack"><thead><tr><th>Team</th><th>Objective</th><th class="num">From</th>'
            f'<th class="num">To</th><th class="num">Change</th><th>Drops of 3+</th></tr></thead><tbody>{rows}</tbody></table>'
        )
    else:
        parts.append('<p class="meta">No confidence moved this month.</p>')
    parts.append(f"<h3>Targets that moved in {month}</h3>")
    if report.moved_targets:
        rows = "".join(
            f'<tr><td class="date" data-label="Date">{h(str(c.day))}</td>'
            f'<td data-label="Key result"><code>{h(c.ref)}</code></td>'
            f'<td data-label="Change">{h(c.field)}: {_changed(c.old)} → <b>{_changed(c.new)}</b>'
            + ('<span class="small down">after the cycle started</span>' if c.cycle_started else "")
            + f'</td><td data-label="By">{bdi(c.author_name)} <span class="small"><code>{h(c.commit[:8])}</code></span></td></tr>'
            for c in report.moved_targets
        )
        parts.append(
            '<table class="stack"><thead><tr><th>Date</th><th>Key result</th><th>Change</th><th>By</th></tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    elif not report.moved_targets_read:
        why = report.moved_targets_unread
        shown = f"<code>{h(why)}</code>" if why.startswith("--") else h(why)
        parts.append(f'<p class="meta">Moved targets were not read ({shown}).</p>')
    else:
        parts.append('<p class="meta">No target, baseline or title changed this month.</p>')
    since = w.moved_since_note(report)
    if since:
        parts.append(f'<p class="alert">{bdi_in(since, *_titles_moved(report))}</p>')
    parts.append("<h3>Strategy priorities with no contributor</h3>")
    if report.uncovered_priorities:
        items = "".join(f"<li>{bdi(p.title)} <code>{h(p.ref)}</code></li>" for p in report.uncovered_priorities)
        parts.append(f'<ul class="plain">{items}</ul>')
    elif not report.has_strategy:
        parts.append(f'<p class="meta">No strategy covers {h(report.month_label)}.</p>')
    else:
        parts.append('<p class="meta">None: every priority has a contributor.</p>')
    if report.unsupported:
        parts.append("<h3>Strategic objectives with no contributor</h3>")
        items = "".join(f"<li>{bdi(o.state.title)} <code>{h(o.state.id)}</code></li>" for o in report.unsupported)
        parts.append(f'<ul class="plain">{items}</ul>')
    if report.others:
        parts.append(f"<h3>Other objectives under {bdi(report.unit_name)} ({len(report.others)})</h3>")
        parts.append('<p class="meta">Counted above; they align to none of the objectives shown.</p>')
        items = "".join(
            f"<li>{_badge(st.status)} {a(links.objective(st.id), bdi(st.title))} "
            f"<code>{h(st.id)}</code> · {bdi(st.owner_name)} · progress {h(numbers.percent(st.progress))} "
            f"(expected {h(numbers.percent(st.expected))})</li>"
            for st in report.others
        )
        parts.append(f'<ul class="plain">{items}</ul>')
    parts.append("</section>")
    return "".join(parts)


def page(title: str, body: str, *, nav: str = "") -> str:
    """A whole HTML document: inline CSS, a policy that forbids scripts and remote loads."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f'<meta name="generator" content="okrctl {h(__version__)}">\n'
        f"<title>{h(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{nav}{body}\n</main>\n</body>\n</html>\n"
    )


def report_body(
    report: Report, links: Links = NO_LINKS, *, map_href: MapHref | None = None, extra: Sequence[str] = ()
) -> str:
    """The report's sections, for the standalone file and for the site's index and unit pages;
    ``extra``: sections of the site's page after them (the unit's own check-in log and retros)."""
    eyebrow = f"{bdi(report.organization)} · " if report.organization else ""
    kind = "Organisation report" if report.organisation else "Monthly OKR report"
    body = [
        '<header class="top">',
        f'<p class="eyebrow">{eyebrow}{kind}</p>',
        f"<h1>{bdi(report.unit_name)} — {h(report.month_label)}</h1>",
        f'<p class="meta">{h(report.cycle_phrase[:1].upper() + report.cycle_phrase[1:])} · as of {h(str(report.as_of))}</p>',
        "</header>",
        _headline(report, links),
        _strategy(report, links),
        _map(report, map_href),
        *(_objective(i, o, report, links) for i, o in enumerate(report.objectives, 1)),
        _month(report, links),
        *extra,
        f"<footer>Generated by okrctl {h(__version__)} on {h(str(report.today))}. Confidence on the "
        f"{h(numbers.number(report.confidence_scale[0]))}–{h(numbers.number(report.confidence_scale[1]))} scale; the shaded "
        "band of each trend chart is the reported month; dashed lines mark 70% and 40% of the scale. Key result "
        "charts: the blue line is the weekly values, the dashed grey line the expected path, the green dashed "
        "line the target, the dotted line the forecast to the cycle end.</footer>",
    ]
    return "\n".join(part for part in body if part)


def render(report: Report, *, color: bool = False, width: int = 100) -> str:
    title = f"{report.unit_name} — OKR report, {report.month_label}"
    return page(title, report_body(report))
