"""The colours of the HTML report and the site, in one place: the page's CSS variables, the inline
SVG charts and the map's status colours all read them from here.

``LIGHT`` is what the SVG is drawn with and what prints; ``DARK`` is the same palette for a browser
that prefers a dark scheme. The page's CSS swaps the variables and, since an SVG's colours are
attributes, repaints each SVG colour of ``LIGHT`` with its ``DARK`` twin (``dark_css``).

Every text colour reaches a contrast of at least 5:1 on the surfaces it is drawn on, in both, above
the 4.5:1 that WCAG 1.4.3 asks of small text; ``tests/test_contrast.py`` computes each pair.
"""

from __future__ import annotations

LIGHT: dict[str, str] = {
    "ink": "#111827",  # body text
    "ink2": "#374151",  # code
    "muted": "#57606f",  # secondary text, axis labels
    "line": "#e5e7eb",  # rules, borders, a bar's track
    "bg": "#f6f7f9",  # the page
    "card": "#ffffff",  # a card, a chart's dots
    "code-bg": "#f3f4f6",
    "accent": "#1d4ed8",  # the eyebrow, a link under the pointer, a chart's line
    "plot": "#f9fafb",  # a key result chart's plot area
    "month": "#eff6ff",  # the reported month shaded on a confidence chart
    "on": "#166534",
    "on-bg": "#dcfce7",
    "risk": "#92400e",
    "risk-bg": "#fef3c7",
    "off": "#991b1b",
    "off-bg": "#fee2e2",
    "none": "#4b5563",
    "none-bg": "#f3f4f6",
    "title": "#1f2937",  # an objective's title in a map box
    "priority": "#1e3a8a",  # a strategy priority's box in the map (white text)
    "directional": "#94a3b8",  # a directional link in the map
    "dependency": "#c2410c",  # a peer dependency in the map
}

DARK: dict[str, str] = {
    "ink": "#e6e8eb",
    "ink2": "#d1d5db",
    "muted": "#a3aab5",
    "line": "#343a46",
    "bg": "#111418",
    "card": "#1a1d23",
    "code-bg": "#262b33",
    "accent": "#8ab4f8",
    "plot": "#15181d",
    "month": "#1b2a44",
    "on": "#6ee7a0",
    "on-bg": "#12351f",
    "risk": "#fbbf24",
    "risk-bg": "#3d2a06",
    "off": "#fca5a5",
    "off-bg": "#4a1717",
    "none": "#cbd5e1",
    "none-bg": "#262b33",  # as code-bg: the two are one colour in LIGHT, so one in an SVG
    "title": "#d1d5db",
    "priority": "#1e40af",
    "directional": "#94a3b8",
    "dependency": "#fb923c",
}

# (text / stroke colour, light fill) per status, for HTML, SVG, Mermaid and DOT
STATUS_VARS = {"on-track": "on", "at-risk": "risk", "off-track": "off", "no-data": "none"}
STATUS_COLOR = {status: (LIGHT[key], LIGHT[f"{key}-bg"]) for status, key in STATUS_VARS.items()}


def css_variables(palette: dict[str, str]) -> str:
    """``--ink:#111827;--muted:…`` for a ``:root`` rule."""
    return ";".join(f"--{name}:{value}" for name, value in palette.items())


def dark_css() -> str:
    """The dark scheme, on screens only (a page prints light): the variables of ``DARK``, and every
    SVG fill and stroke drawn in a colour of ``LIGHT`` repainted in its ``DARK`` twin. A CSS rule
    outranks an SVG presentation attribute, so the SVG keeps its light colours for print and for a
    reader without CSS. White text on a priority's box stays white."""
    repaint = {LIGHT[name]: DARK[name] for name in LIGHT}
    rules = "".join(
        f'svg [fill="{light}"]{{fill:{dark}}}svg [stroke="{light}"]{{stroke:{dark}}}'
        for light, dark in repaint.items()
        if light != dark
    )
    return (
        "@media screen and (prefers-color-scheme:dark){\n"
        f":root{{color-scheme:dark;{css_variables(DARK)}}}\n"
        ".card{box-shadow:none}\n"
        f"{rules}\n"
        "svg text.inverse{fill:#ffffff}\n"
        "}\n"
    )
