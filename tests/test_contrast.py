"""Every text colour of the HTML report and the site against the surfaces it is drawn on: the WCAG
contrast ratio, computed from the page's own CSS and the charts' colours, is at least 5:1 (small
text needs 4.5:1; the margin keeps a rounding or a screen's gamma from taking it under)."""

from __future__ import annotations

import re

import pytest

from okrctl.render import svg
from okrctl.render.map import svg as map_svg
from okrctl.render.report.html import CSS
from okrctl.render.report_widgets import STATUS_COLOR

FLOOR = 5.0
STATUSES = ("on", "risk", "off", "none")  # the CSS variables of the four statuses


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rgb`` or ``#rrggbb``."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_the_contrast_formula_matches_wcag() -> None:
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#b45309", "#fef3c7") == pytest.approx(4.51, abs=0.01)  # the old at-risk badge


def variables(css: str) -> dict[str, str]:
    """The custom properties of the first ``:root`` rule of ``css``."""
    match = re.search(r":root\{([^}]*)\}", css)
    assert match, "no :root rule"
    return dict(re.findall(r"--([\w-]+):\s*([^;]+)", match.group(1)))


def text_colours(css: str, names: dict[str, str]) -> dict[str, str]:
    """Every colour the CSS gives text (``color:``), by what it is written as: ``var(--c)``, the
    status colour of a badge, tile or card, stands for each status colour."""
    found: dict[str, str] = {}
    for value in re.findall(r"(?<![-\w])color:\s*([^;}!]+)", css):
        value = value.strip()
        if value in ("inherit", "currentColor", "transparent"):
            continue
        if value == "var(--c)":
            found.update({f"var(--c) as --{s}": names[s] for s in STATUSES})
        elif value.startswith("var(--"):
            name = value[6:-1]
            found[value] = names[name]
        else:
            found[value] = value
    return found


def _below(pairs: list[tuple[str, str, str, str]]) -> list[str]:
    return [
        f"{what}: {fg} on {bg} is {contrast(fg, bg):.2f}:1"
        for what, fg, bg in ((f"{a} on {b}", fg, bg) for a, fg, b, bg in pairs)
        if contrast(fg, bg) < FLOOR
    ]


def page_pairs(names: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(text name, its colour, surface name, its colour) for every pair the report and site draw."""
    pairs = []
    for what, colour in text_colours(CSS, names).items():
        for surface in ("bg", "card"):  # every text can sit on the page or on a card
            pairs.append((what, colour, f"--{surface}", names[surface]))
    for status in STATUSES:  # a badge, a tile: the status colour on its own light fill
        pairs.append((f"--{status}", names[status], f"--{status}-bg", names[f"{status}-bg"]))
        pairs.append(("--ink", names["ink"], f"--{status}-bg", names[f"{status}-bg"]))  # .alert, map boxes
    pairs.append(("--ink2", names["ink2"], "--code-bg", names["code-bg"]))  # <code>
    pairs.append(("--ink", names["ink"], "--month", names["month"]))  # the last value over the shaded month
    pairs.append(("--ink", names["ink"], "--plot", names["plot"]))
    pairs.append(("--muted", names["muted"], "--plot", names["plot"]))
    return pairs


def test_every_text_colour_of_the_page_reaches_5_to_1_on_its_surfaces() -> None:
    names = variables(CSS)
    pairs = page_pairs(names)
    assert len(pairs) > 30
    assert not _below(pairs), _below(pairs)


def test_the_at_risk_badge_reads_at_5_to_1() -> None:
    """The at-risk badge was #b45309 on #fef3c7: 4.51:1, a hair above the floor of small text."""
    names = variables(CSS)
    assert contrast(names["risk"], names["risk-bg"]) >= FLOOR
    assert ".badge{" in CSS and re.search(r"\.badge\{[^}]*background:var\(--cb\);color:var\(--c\)", CSS)
    assert ".at-risk{--c:var(--risk);--cb:var(--risk-bg)}" in CSS


def test_every_text_of_the_charts_and_the_map_reaches_5_to_1() -> None:
    """The charts' labels are drawn on a card or the plot; the map's boxes write the team, the
    title and the status on the status's fill, a priority in white on its dark blue."""
    card = "#ffffff"
    pairs = []
    for status, (colour, fill) in STATUS_COLOR.items():
        pairs += [(status, colour, "card", card), (status, colour, f"{status} fill", fill)]
        pairs += [("map title", "#1f2937", f"{status} fill", fill), ("map team", svg.INK, f"{status} fill", fill)]
    pairs += [("axis label", svg.MUTED, "card", card), ("priority", "#ffffff", "", map_svg.PRIORITY_FILL)]
    pairs += [("link label", map_svg.EXPLICIT, "halo", card)]
    assert not _below(pairs), _below(pairs)


def test_the_page_the_charts_and_the_map_share_one_palette() -> None:
    from okrctl.render import palette

    assert variables(CSS) == palette.LIGHT
    assert tuple(palette.LIGHT[k] for k in ("ink", "muted", "line", "accent")) == (
        svg.INK,
        svg.MUTED,
        svg.TRACK,
        svg.LINE,
    )
    assert {s: (palette.LIGHT[k], palette.LIGHT[f"{k}-bg"]) for s, k in palette.STATUS_VARS.items()} == STATUS_COLOR


# ----- the dark scheme -------------------------------------------------------------------------------
def dark_block(css: str) -> str:
    match = re.search(r"@media screen and \(prefers-color-scheme:dark\)\{(.*?)\n\}\n", css, re.S)
    assert match, "no dark scheme for screens"
    return match.group(1)


def test_every_text_colour_reaches_5_to_1_in_the_dark_scheme_too() -> None:
    names = variables(dark_block(CSS))
    assert set(names) == set(variables(CSS)), "the dark scheme sets every variable the light one does"
    pairs = page_pairs(names)
    assert not _below(pairs), _below(pairs)


def test_every_colour_an_svg_draws_is_repainted_in_the_dark_scheme(cli) -> None:
    """An SVG's colours are attributes, which the CSS variables do not reach: the dark scheme
    repaints each one, and its texts keep 5:1 on the dark surfaces they sit on."""
    from okrctl.render import palette
    from tests.conftest import DEMO_DAY, EXAMPLES

    html = cli("report", "--repo", str(EXAMPLES / "banco"), "--today", DEMO_DAY, "-f", "html").stdout
    dark = dark_block(CSS)
    repainted = dict(re.findall(r'svg \[fill="(#[0-9a-f]{6})"\]\{fill:(#[0-9a-f]{6})\}', dark))
    drawn = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', "".join(re.findall(r"<svg.*?</svg>", html, re.S))))
    assert drawn and drawn - set(repainted) <= {palette.LIGHT["directional"]}, drawn - set(repainted)
    assert "svg text.inverse{fill:#ffffff}" in dark  # a priority's white words on its blue box
    d = palette.DARK
    pairs = []
    for key in ("on", "risk", "off", "none"):
        pairs += [(key, d[key], "card", d["card"]), (key, d[key], f"{key}-bg", d[f"{key}-bg"])]
        pairs += [("map title", d["title"], f"{key}-bg", d[f"{key}-bg"]), ("map team", d["ink"], "", d[f"{key}-bg"])]
    pairs += [("axis label", d["muted"], "card", d["card"]), ("priority", "#ffffff", "", d["priority"])]
    pairs += [("link label", d["ink"], "halo", d["card"]), ("value", d["ink"], "plot", d["plot"])]
    assert not _below(pairs), _below(pairs)


def test_the_page_prints_light_whatever_the_browser_prefers() -> None:
    """The dark scheme is for screens: paper keeps the light colours (and the ink they save)."""
    assert CSS.count("prefers-color-scheme") == CSS.count("@media screen and (prefers-color-scheme:dark)") == 1
    assert re.search(r"@media print\{.*?body\{background:#fff", CSS, re.S)
