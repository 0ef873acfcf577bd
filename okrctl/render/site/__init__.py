"""The static site as files: relative path → HTML. No script, no external asset, relative links only,
so the folder works from ``file://`` and from any static host.

Pages: ``index.html`` (the organisation's report), ``units/<id>.html`` (a unit's report),
``teams/<id>.html`` (status, objectives with KR charts, check-in log, retros; the index and a
unit's page end with the company's or the unit's own),
``objectives/<id>.html``, ``map.html``, ``trends.html``, ``align.html`` and ``directory.html``
(every unit and objective, so that no page is out of reach).
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import quote

from okrctl import __version__
from okrctl.analysis.state import confidence_of
from okrctl.model import CheckIn, Retro
from okrctl.model.cycle import Cycle
from okrctl.render import numbers, svg
from okrctl.render import report_widgets as w
from okrctl.render.escape import bdi, bdi_in, h
from okrctl.render.map.svg import render_svg
from okrctl.render.report.html import NOT_ACKNOWLEDGED, Links, a, kr_rows, page, priority_anchor, report_body
from okrctl.safetext import shown_value
from okrctl.views.map import Dependency, MapNode
from okrctl.views.site import CheckinEntry, ObjectivePage, Site, TeamPage

LINK_FIELDS = ("commit", "path", "line")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def scheme_lowered(template: str) -> str:
    """``HTTPS://host/…`` as ``https://host/…``: a URL's scheme is the same in any case (RFC 3986
    §3.1), and the checks below and every browser's link read it in lower case."""
    scheme, sep, rest = template.partition("://")
    if sep and scheme.lower() in ("http", "https", "file") and scheme != scheme.lower():
        return scheme.lower() + sep + rest
    return template


class LinkBaseError(ValueError):
    """A ``--link-base`` template okrctl cannot fill."""


def _refuse_a_broken_authority(template: str) -> None:
    """Refuse an http(s) template whose host part no browser opens (every link of the site would
    do nothing): an empty host (``https://x@/``), a port that is not a number from 1 to 65535
    (``https://x:abc/``), an unclosed ``[`` (``https://[::1/``). The host part is what lies between
    ``//`` and the first ``/``, ``?`` or ``#``; placeholders in it are filled with a sample value."""
    from urllib.parse import urlsplit

    filled = template.replace("{commit}", "0" * 40).replace("{path}", "okrs/x.yaml").replace("{line}", "1")
    try:
        parts = urlsplit(filled)
        host, _port = parts.hostname, parts.port  # (a port that is no number, or out of range, raises)
    except ValueError as exc:
        raise LinkBaseError(f"'{template}' is not an address a browser opens: {exc}; write https://HOST/…") from None
    if not host:
        raise LinkBaseError(f"'{template}' names no host a browser opens: write https://HOST/…")
    if "[" in parts.netloc:
        # Between brackets browsers take an IPv6 address alone: no zone (``%25eth0``), no IPvFuture;
        # and the brackets are the whole host, followed by a port or nothing (``[::1]x`` is none).
        import ipaddress

        try:
            ipaddress.IPv6Address(host)
            bracketed = "%" not in host
        except ValueError:
            bracketed = False
        if not bracketed:
            raise LinkBaseError(f"'{template}' is not an address a browser opens: [{host}] is no IPv6 address")
        written = parts.netloc.rpartition("@")[2]
        if not re.fullmatch(r"\[[^\[\]]*\](:[0-9]*)?", written):
            raise LinkBaseError(
                f"'{template}' is not an address a browser opens: '{written}' is no bracketed IPv6 address "
                "followed by a port or nothing"
            )


@dataclass(frozen=True)
class LinkBase:
    """``--link-base``: a URL template with ``{commit}``, ``{path}`` and ``{line}``.

    ``prefix`` is the repository root's folder inside the git work tree (``""`` at its top), so that
    ``{path}`` is the path a git host knows.
    """

    template: str
    commit: str
    prefix: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "template", scheme_lowered(self.template))

    @staticmethod
    def check(template: str) -> None:
        """Refuse a template without ``{path}``, with an unknown field, or with broken braces."""
        template = scheme_lowered(template)
        # The template as typed, escaped: a line break in it must not split the one-line message.
        shown = shown_value(template)
        try:
            parsed = [
                (name, spec, conv) for _, name, spec, conv in string.Formatter().parse(template) if name is not None
            ]
        except ValueError as exc:
            raise LinkBaseError(f"'{shown}' is not a template: {exc}") from None
        fields = [name for name, _spec, _conv in parsed]
        shaped = next(
            (
                f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}"
                for name, spec, conv in parsed
                if spec or conv
            ),
            None,
        )
        if shaped is not None and not [f for f in fields if f not in LINK_FIELDS]:
            # ``{line:x}`` wrote lines in hex, ``{path:>30}`` spaces into every link, ``{path:d}``
            # failed half-way: a field is its value, as written.
            raise LinkBaseError(
                f"'{shown}' shapes a field ({shown_value(shaped)}); write {{commit}}, {{path}} and {{line}} "
                "as they are, without a format or conversion"
            )
        unknown = sorted({f for f in fields if f not in LINK_FIELDS})
        if unknown:
            raise LinkBaseError(
                f"'{shown}' has unknown field(s) {', '.join('{' + f + '}' for f in unknown)}; "
                "use {commit}, {path} and {line}"
            )
        if "path" not in fields:
            raise LinkBaseError(f"'{shown}' has no {{path}}: a link would not say which file")
        if not template.startswith(("https://", "http://", "file://", "/", "./", "../")):
            raise LinkBaseError(f"'{shown}' is not an http(s) or relative address")
        if "\\" in template:
            # Browsers read a backslash in an http(s) address as a slash: ``/\\HOST/{path}`` is ``//HOST/…``.
            raise LinkBaseError(f"'{shown}' holds a backslash, which browsers read as '/'; write / or %5C")
        if template.startswith("//") or re.match(r"https?:///", template):
            # ``//host/{path}`` is another host, reached by the page's own scheme; ``https:///`` none.
            raise LinkBaseError(f"'{shown}' is not an http(s) or relative address: write https://HOST/…")
        if any(ch.isspace() or unicodedata.category(ch)[0] == "C" for ch in template):
            raise LinkBaseError(f"{template!r} holds a space or a control character; write them %-encoded (%20)")
        if template.startswith(("https://", "http://")):
            _refuse_a_broken_authority(template)

    @property
    def relative(self) -> bool:
        """A template like ``../src/{path}``: relative to the site's top folder, where index.html is."""
        return self.template.startswith(("./", "../"))

    def url(self, path: str, line: int, up: str = "") -> str:
        """The link from a page ``up`` (``"../"`` per folder) below the site's top."""
        full = f"{self.prefix}/{path}" if self.prefix else path
        filled = self.template.format(commit=quote(self.commit), path=quote(full, safe="/"), line=line)
        return up + filled if self.relative else filled


class SiteLinks(Links):
    """Relative links from a page ``depth`` folders below the site's top."""

    def __init__(self, site: Site, depth: int, link_base: LinkBase | None) -> None:
        self.site = site
        self.up = "../" * depth
        self.link_base = link_base

    def to(self, path: str) -> str:
        return self.up + path

    def objective(self, objective_id: str) -> str | None:
        return self.to(f"objectives/{objective_id}.html") if objective_id in self.site.objectives else None

    def unit(self, unit_id: str) -> str | None:
        kind = self.site.unit_kind(unit_id)
        if kind == "index":
            return self.to("index.html")
        if kind == "team":
            return self.to(f"teams/{unit_id}.html")
        return self.to(f"units/{unit_id}.html") if unit_id in self.site.units else None

    def source(self, where: tuple[str, int] | None) -> str | None:
        if where is None or self.link_base is None:
            return None
        return self.link_base.url(*where, up=self.up)

    def kr_value(self, objective_id: str, kr_id: str) -> str | None:
        return self.source(self.site.sources.kr_value.get((objective_id, kr_id)))

    def kr_target(self, objective_id: str, kr_id: str) -> str | None:
        return self.source(self.site.sources.kr_target.get((objective_id, kr_id)))

    def confidence(self, objective_id: str) -> str | None:
        return self.source(self.site.sources.confidence.get(objective_id))

    def findings(self) -> str | None:
        return self.to("align.html")


NAV = (
    ("index.html", "Organisation"),
    ("map.html", "Alignment map"),
    ("trends.html", "Trends"),
    ("align.html", "Findings"),
    ("directory.html", "All units and objectives"),
)


def _nav(links: SiteLinks, current: str) -> str:
    items = []
    for path, label in NAV:
        here = ' aria-current="page"' if path == current else ""
        items.append(f'<a href="{h(links.to(path))}"{here}>{h(label)}</a>')
    org = links.site.organization
    brand = f"<b>{bdi(org)}</b>" if org else ""
    return f'<nav class="site" aria-label="Site">{brand}{"".join(items)}</nav>\n'


def _footer(site: Site, link_base: LinkBase | None) -> str:
    commit = f" from commit <code>{h(link_base.commit[:12])}</code>" if link_base else ""
    return (
        f"<footer>Built by okrctl {h(__version__)} on {h(str(site.today))}{commit}. "
        "Every page is plain HTML: no script, nothing loaded from elsewhere.</footer>"
    )


def _page(site: Site, links: SiteLinks, current: str, title: str, body: str, link_base: LinkBase | None) -> str:
    return page(title, body + _footer(site, link_base), nav=_nav(links, current))


def render_site(site: Site, link_base: LinkBase | None = None) -> dict[str, str]:
    """Every page of the site: relative path → HTML."""
    return dict(site_pages(site, link_base))


def site_pages(site: Site, link_base: LinkBase | None = None) -> Iterator[tuple[str, str]]:
    """Every page of the site as (relative path, HTML), one at a time: a site of a thousand teams
    is written page by page, never held whole."""
    top = SiteLinks(site, 0, link_base)
    org_title = f"{site.org.unit_name} — OKRs, {site.org.month_label}"
    index = report_body(site.org, top, extra=_unit_log(site, site.root, top))
    yield "index.html", _page(site, top, "index.html", org_title, index, link_base)
    down = SiteLinks(site, 1, link_base)
    for unit_id, report in site.units.items():
        title = f"{report.unit_name} — OKR report, {report.month_label}"
        body = report_body(report, down, extra=_unit_log(site, unit_id, down))
        yield f"units/{unit_id}.html", _page(site, down, "", title, body, link_base)
    for unit_id, team in site.teams.items():
        yield f"teams/{unit_id}.html", _page(site, down, "", f"{team.name} — team", _team(site, team, down), link_base)
    for objective_id, objective in site.objectives.items():
        yield (
            f"objectives/{objective_id}.html",
            _page(site, down, "", objective.state.title, _objective(site, objective, down), link_base),
        )
    yield "map.html", _page(site, top, "map.html", "Alignment map", _map(site, top), link_base)
    yield "trends.html", _page(site, top, "trends.html", "Confidence trends", _trends(site, top), link_base)
    yield "align.html", _page(site, top, "align.html", "Findings", _findings(site, top), link_base)
    yield (
        "directory.html",
        _page(site, top, "directory.html", "All units and objectives", _directory(site, top), link_base),
    )


# ----- pieces ------------------------------------------------------------------------------------------
def _badge(status: str | None) -> str:
    key = status or "no-data"
    return f'<span class="badge {h(key)}">{h(w.status_label(key))}</span>'


def _header(eyebrow: str, title: str, meta: str) -> str:
    """A page's header; ``title`` is often repository text (a team's name, an objective's title), isolated."""
    return (
        f'<header class="top"><p class="eyebrow">{eyebrow}</p><h1>{bdi(title)}</h1><p class="meta">{meta}</p></header>'
    )


def _confidence_chart(series: Sequence[tuple[date, float]], cycle: Cycle, low: float, high: float, owner: str) -> str:
    """An owner's confidence over its cycle, with the table of its values folded under it."""
    label = f"confidence of {svg.short_name(owner)}"
    return svg.confidence_chart(series, cycle.start, cycle.end, low, high, label=label) + svg.confidence_values(series)


def _objective_card(site: Site, objective: ObjectivePage, links: SiteLinks, *, heading: bool = True) -> str:
    state = objective.state
    low, high = site.org.confidence_scale
    serves = (
        "".join(
            f'<p class="sub">Serves {a(_target_link(site, link.target, links), bdi(objective.serves_titles.get(link.ref, link.ref)))} '
            f"(<code>{h(link.ref)}</code>, {h(link.type)})</p>"
            for link in objective.serves
        )
        or '<p class="sub stale">Aligns to nothing.</p>'
    )
    chart = _confidence_chart(state.confidence_series, state.cycle, low, high, state.owner_name)
    confidence = a(links.confidence(state.id), h(w.confidence(state.confidence, high)), title="the check-in line")
    title = a(links.objective(state.id), bdi(state.title)) if heading else bdi(state.title)
    parts = [
        f'<section class="card objective {h(state.status)}" id="objective-{h(state.id)}">',
        f'<div class="obj-head"><div><h2>{title}</h2>',
        f'<p class="sub"><code>{h(state.id)}</code> · cycle {h(state.cycle.id)} · '
        f"{a(links.unit(state.owner), bdi(state.owner_name))}</p>{serves}</div>",
        f"<div>{_badge(state.status)}</div></div>",
        '<div class="kpis">',
        f'<div class="kpi"><small>Progress</small><b>{h(numbers.percent(state.progress))}</b></div>',
        f'<div class="kpi"><small>Expected by now</small><b>{h(numbers.percent(state.expected))}</b></div>',
        # Once the cycle has ended, the objective's own score beside its key results', as the index's
        # card, ``status`` and ``retro`` give it: the same state's score, never worked out here again.
        *(
            [f'<div class="kpi"><small>Score</small><b>{h(w.score_value(state.score))}</b></div>']
            if state.score is not None
            else []
        ),
        f'<div class="kpi"><small>Confidence</small><b>{confidence}</b></div>',
        # The team's last check-in whatever its cycle, as the team page's header and ``status`` give it.
        f'<div class="kpi"><small>Last check-in</small><b>{h(str(objective.last_checkin) if objective.last_checkin else "none")}</b></div>',
        "</div>",
        "<h3>Key results</h3>",
        kr_rows(state.id, state.key_results, objective.charts, links),
        f'<h3>Confidence over the cycle</h3><div class="trends"><div class="trend-card">{chart}</div></div>',
        "</section>",
    ]
    return "".join(parts)


def _target_link(site: Site, target: str, links: SiteLinks) -> str | None:
    """Where an alignment target is shown: an objective's page, or a strategy (or one of its
    priorities) on the index, which shows the organisation's strategies alone; a unit's own
    strategy has no place on the site, and is named without a link."""
    if target in site.objectives:
        return links.objective(target)
    strategy = target.split("/", 1)[0]
    if not any(view.id == strategy for view in site.org.strategies):
        return None
    if "/" in target:
        return links.to("index.html") + "#" + priority_anchor(target)
    return links.to("index.html") + f"#strategy-{target}"


def _checkin_log(entries: Sequence[CheckinEntry], site: Site, links: SiteLinks) -> str:
    if not entries:
        return '<p class="meta">No check-in in this cycle yet.</p>'
    high = site.org.confidence_scale[1]
    rows = []
    for entry in entries:
        checkin = entry.checkin
        source = links.source((entry.path, entry.line))
        if isinstance(checkin.confidence, dict):
            confidence = ", ".join(f"{h(k)}: {h(numbers.number(v))}" for k, v in checkin.confidence.items())
        else:
            confidence = h(w.confidence(confidence_of(checkin, ""), high))
        results = "".join(
            f"<li><code>{h(key)}</code> {h(_result(checkin, key))}"
            + (f' <span class="meta">— {bdi(note)}</span>' if (note := checkin.result_note(key)) else "")
            + "</li>"
            for key in checkin.results
        )
        issues = "".join(f"<li>{bdi(i)}</li>" for i in checkin.issues)
        plan = "".join(f"<li>{bdi(p)}</li>" for p in checkin.plan)
        rows.append(
            f'<tr><td class="date" data-label="Date"><b>{a(source, h(str(checkin.date)))}</b>'
            f'<span class="small">{bdi(checkin.author or "")}</span></td>'
            f'<td data-label="Goal confidence" class="num">{confidence}</td>'
            f'<td data-label="Results"><ul class="plain">{results}</ul></td>'
            f'<td data-label="Issues"><ul class="plain">{issues}</ul></td>'
            f'<td data-label="Plan"><ul class="plain">{plan}</ul></td></tr>'
        )
    return (
        '<table class="stack"><thead><tr><th>Date</th><th class="num">G: confidence</th><th>R: results</th>'
        f"<th>I: issues</th><th>P: plan</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _result(checkin: CheckIn, key: str) -> str:
    value = checkin.result_value(key)
    if isinstance(value, bool):
        return "done" if value else "not done"
    return numbers.number(value)


def _retros(retros: Sequence[Retro]) -> str:
    if not retros:
        return '<p class="meta">No retrospective written in this cycle.</p>'
    parts = []
    for retro in retros:
        parts.append(
            f'<div class="trend-card"><h3>{h("End" if retro.stage == "end" else "Mid-cycle")} retro, '
            f"{h(str(retro.date))}</h3>"
        )
        for label, items in (
            ("Attractors (pulled us toward the OKR)", retro.attractors),
            ("Detractors (pushed us away)", retro.detractors),
            ("Achieved", retro.achieved),
            ("Learned", retro.learned),
            ("Surprised us", retro.surprised),
            ("Do differently", retro.change),
        ):
            if items:
                parts.append(
                    f'<p><b>{h(label)}</b></p><ul class="plain">{"".join(f"<li>{bdi(i)}</li>" for i in items)}</ul>'
                )
        if retro.scores:
            # Each override with its reason, as ``retro`` shows it: the number alone cannot be checked.
            scores = "".join(
                f"<li><code>{h(key)}</code> {h(numbers.number(retro.score_of(key)))}"
                + (f' <span class="meta">— {bdi(reason)}</span>' if (reason := retro.reason_of(key)) else "")
                + "</li>"
                for key in retro.scores
            )
            parts.append(f'<p><b>Scores</b></p><ul class="plain">{scores}</ul>')
        parts.append("</div>")
    return f'<div class="trends">{"".join(parts)}</div>'


def _team(site: Site, team: TeamPage, links: SiteLinks) -> str:
    parent = (
        f" · part of {a(links.unit(team.parent), bdi(team.parent_name or team.parent or ''))}" if team.parent else ""
    )
    age = team.age
    # The words say when and how stale (``age_text``); the mark stands out beside them, once.
    when = h(w.age_text(replace(age, stale=False)))
    if age.stale:
        days = "" if age.days is None else f" ({numbers.count(age.days)} days)"
        when += f' <span class="stale">⚠ stale{days}</span>'
    parts = [
        _header("Team", team.name, f"<code>{h(team.unit)}</code>{parent} · last check-in {when}"),
    ]
    states = [site.objectives[o].state for o in team.objectives]
    if states:
        rows = "".join(
            f'<tr><td data-label="Objective">{a(links.objective(s.id), bdi(s.title))}</td>'
            f'<td data-label="Status">{_badge(s.status)}</td>'
            f'<td class="num" data-label="Progress / expected">{h(numbers.percent(s.progress))} / '
            f"{h(numbers.percent(s.expected))}</td>"
            f'<td class="num" data-label="Confidence">{h(w.confidence(s.confidence, site.org.confidence_scale[1]))}'
            "</td></tr>"
            for s in states
        )
        parts.append(
            '<section class="card"><h2>Status</h2><table class="stack"><thead><tr><th>Objective</th><th>Status</th>'
            f'<th class="num">Progress / expected</th><th class="num">Confidence</th></tr></thead><tbody>{rows}'
            "</tbody></table></section>"
        )
    else:
        parts.append('<section class="card"><p class="meta">No objective in this cycle.</p></section>')
    parts += [_objective_card(site, site.objectives[o], links) for o in team.objectives]
    parts.append(
        f'<section class="card" id="checkins"><h2>Check-ins (GRIP)</h2>{_checkin_log(team.checkins, site, links)}</section>'
    )
    parts.append(f'<section class="card" id="retros"><h2>Retrospectives</h2>{_retros(team.retros)}</section>')
    return "".join(parts)


def _unit_log(site: Site, unit_id: str, links: SiteLinks) -> list[str]:
    """The company's or a unit's own check-in log and retros, as a team's page has them, for the
    end of its report page; none for a unit that owns no objective and wrote neither."""
    log = site.logs.get(unit_id)
    if log is None:
        return []
    name = bdi(site.units[unit_id].unit_name if unit_id in site.units else site.org.unit_name)
    return [
        f'<section class="card" id="checkins"><h2>Check-ins (GRIP) of {name}</h2>'
        f"{_checkin_log(log.checkins, site, links)}</section>",
        f'<section class="card" id="retros"><h2>Retrospectives of {name}</h2>{_retros(log.retros)}</section>',
    ]


def _objective(site: Site, objective: ObjectivePage, links: SiteLinks) -> str:
    state, model = objective.state, objective.model
    source = links.source((objective.path, objective.line))
    meta = f"<code>{a(source, h(state.id))}</code> · {a(links.unit(state.owner), bdi(state.owner_name))} · cycle {h(state.cycle.id)}"
    parts = [_header("Objective", state.title, meta)]
    if model.why:
        parts.append(f'<section class="card"><h2 class="section">Why</h2><p>{bdi(model.why)}</p></section>')
    parts.append(_objective_card(site, objective, links, heading=False))
    extra = []
    if objective.contributors:
        items = "".join(
            f"<li>{a(links.objective(o), bdi(site.objectives[o].state.title))} — "
            f"{a(links.unit(site.objectives[o].state.owner), bdi(site.objectives[o].state.owner_name))} "
            f"{_badge(site.objectives[o].state.status)}</li>"
            for o in objective.contributors
            if o in site.objectives
        )
        extra.append(f'<h3>Objectives that align to it</h3><ul class="plain">{items}</ul>')
    if model.depends_on:
        items = "".join(
            f"<li>needs <b>{bdi(d.need)}</b> from {a(links.unit(d.unit), bdi(site.org.name_of(d.unit)))}"
            + (f" (for <code>{h(d.for_)}</code>)" if d.for_ else "")
            + "</li>"
            for d in model.depends_on
        )
        extra.append(f'<h3>Depends on</h3><ul class="plain">{items}</ul>')
    if model.supports:
        items = "".join(
            f"<li>{a(links.objective(o), bdi(site.objectives[o].state.title if o in site.objectives else o))}</li>"
            for o in model.supports
        )
        extra.append(f'<h3>Supports</h3><ul class="plain">{items}</ul>')
    if model.work:
        items = "".join(
            f"<li>{a(item if item.startswith(('https://', 'http://')) else None, bdi(item))}</li>"
            for item in model.work
        )
        extra.append(f'<h3>Work</h3><ul class="plain">{items}</ul>')
    if model.rescoped:
        items = "".join(f"<li>{h(str(r.date))}: {bdi(r.note)}</li>" for r in model.rescoped)
        extra.append(f'<h3>Rescoped</h3><ul class="plain">{items}</ul>')
    if extra:
        parts.append(f'<section class="card">{"".join(extra)}</section>')
    return "".join(parts)


def _acknowledgement(dep: Dependency, on_map: Mapping[str, MapNode], links: SiteLinks) -> str:
    """ "acknowledged by <the objective that lists the need under supports>" (linked to its page;
    "not on this map" when the drawing has no box for it), or "not acknowledged", with "no
    objective on this map" when the drawing has no box of the providing unit to point at."""
    if dep.acknowledged and dep.acknowledged_by:
        by = a(links.objective(dep.acknowledged_by), bdi(dep.acknowledged_by))
        return f"acknowledged by {by}" + ("" if dep.acknowledged_by in on_map else " · not on this map")
    if dep.acknowledged:
        return "acknowledged"
    return NOT_ACKNOWLEDGED + ("" if dep.provider in on_map else " · no objective on this map")


def _map(site: Site, links: SiteLinks) -> str:
    amap = site.map

    def href(node: MapNode) -> str | None:
        if node.kind == "objective":
            return links.objective(node.key)
        return _target_link(site, node.key, links)

    drawn = render_svg(amap, href)
    # Every dependency in words too: one on a unit with no objective on the map has no box to
    # point at in the drawing, and is the riskiest of all.
    deps = "".join(
        f"<li>{a(links.objective(d.source), bdi(amap.nodes[d.source].owner_name or d.source))} needs {bdi(d.need)} "
        f"from {a(links.unit(d.unit), bdi(d.unit_name))} — " + _acknowledgement(d, amap.nodes, links) + "</li>"
        for d in amap.dependencies
        if d.source in amap.nodes
    )
    return (
        _header(
            "Alignment map",
            f"{site.org.unit_name}",
            f"{h(site.cycle_phrase[:1].upper() + site.cycle_phrase[1:])} · every box links to its page",
        )
        + f'<section class="card"><div class="mapwrap">{drawn or "<p>Nothing to draw.</p>"}</div>'
        '<ul class="legend"><li><i class="explicit"></i>explicit (adopts a key result)'
        '</li><li><i class="directional"></i>directional</li>'
        '<li><i class="dependency"></i>peer dependency</li></ul>'
        + (f'<h2>Peer dependencies</h2><ul class="plain">{deps}</ul>' if deps else "")
        + "</section>"
    )


def _trends(site: Site, links: SiteLinks) -> str:
    view = site.trends
    low, high = view.scale
    cards = []
    for team in view.teams:
        chart = _confidence_chart(team.series, team.cycle, low, high, team.owner_name)
        slope = "—" if team.slope_per_week is None else f"{numbers.slope(team.slope_per_week)} a week"
        drops = f", {len(team.drops)} drop(s) of 3+" if team.drops else ""
        cards.append(
            f'<div class="trend-card"><h2>{a(links.unit(team.owner), bdi(team.owner_name))} {_badge(team.status)}</h2>'
            f"<p>{a(links.objective(team.objective), bdi(team.title))}</p>"
            f"<p>confidence {h(w.confidence(team.confidence, high))}, trend {h(slope)}{h(drops)}</p>{chart}</div>"
        )
    body = "".join(cards) or '<p class="meta">No objective with check-ins in this cycle.</p>'
    return (
        _header("Trends", "Confidence trends", f"Every team of {bdi(view.unit_name)}, the ones needing attention first")
        + f'<section class="card"><div class="trends">{body}</div>'
        + (
            '<p class="meta">In each chart the dashed lines mark 70% (upper) and 40% (lower) of the confidence scale.</p>'
            if cards
            else ""
        )
        + "</section>"
    )


def _findings(site: Site, links: SiteLinks) -> str:
    findings = sorted(site.findings, key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.path, f.line, f.code))
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    summary = ", ".join(f"{n} {s}{'s' if n != 1 and s != 'info' else ''}" for s, n in counts.items())
    rows = "".join(
        f'<tr><td data-label="Severity"><span class="badge {"off-track" if f.severity == "error" else "at-risk" if f.severity == "warning" else "no-data"}">'
        f'{h(f.severity)}</span></td><td data-label="Code" class="rule"><code>{h(f.code)}</code></td>'
        f'<td data-label="Where"><code>{a(links.source((f.path, f.line)) if f.line else None, bdi_in(f"{f.path}:{f.line}" if f.line else f.path, f.path))}</code></td>'
        # A rule writes its message as one text, repository words inside (a title, an author): the
        # message is isolated whole, so that they move nothing outside it.
        f'<td data-label="Finding">{bdi(f.message)}'
        + (f'<span class="small">{bdi(f.hint)}</span>' if f.hint else "")
        + "</td></tr>"
        for f in findings
    )
    why = site.history_unread
    # Without the history OKR601 was not run: its silence says nothing of the targets that moved,
    # as the reports say "Moved targets were not read" rather than that none moved.
    unchecked = (
        '<p class="meta">OKR601 (moved targets) was not checked: the git history was not read '
        f"({f'<code>{h(why)}</code>' if why.startswith('--') else h(why)}).</p>"
        if why
        else ""
    )
    table = (
        '<table class="stack"><thead><tr><th>Severity</th><th>Code</th><th>Where</th><th>Finding</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        if findings
        else f'<p class="meta">No finding: every file is valid and every {"other " if why else ""}rule passes.</p>'
    )
    return (
        _header("okrctl align", "Findings", f"{h(summary)} on {h(str(site.today))}")
        + f'<section class="card">{unchecked}{table}</section>'
    )


def _directory(site: Site, links: SiteLinks) -> str:
    items = []
    for depth, unit_id in site.unit_tree:
        name = site.org.name_of(unit_id) if unit_id in site.org.owner_names else unit_id
        page = links.unit(unit_id)
        objectives = [o for o in site.objectives.values() if o.model.owner == unit_id]
        inner = "".join(
            f"<li>{_badge(o.state.status)} {a(links.objective(o.state.id), bdi(o.state.title))}</li>"
            for o in objectives
        )
        team_name = (
            site.teams[unit_id].name
            if unit_id in site.teams
            else (
                site.units[unit_id].unit_name
                if unit_id in site.units
                else site.org.unit_name
                if unit_id == site.root
                else name
            )
        )
        items.append(
            f'<li style="margin-left:{depth * 22}px"><b>{a(page, bdi(team_name))}</b> <code>{h(unit_id)}</code>'
            + (f'<ul class="plain">{inner}</ul>' if inner else "")
            + "</li>"
        )
    return _header(
        "Directory", "All units and objectives", f"{h(site.cycle_phrase[:1].upper() + site.cycle_phrase[1:])}"
    ) + (f'<section class="card"><ul class="plain">{"".join(items)}</ul></section>')
