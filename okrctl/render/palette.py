"""The colours of the HTML report and the site, in one place: the page's CSS variables, the inline
SVG charts and the map's status colours all read them from here.

Every text colour reaches a contrast of at least 5:1 on the surfaces it is drawn on, above the
4.5:1 that WCAG 1.4.3 asks of small text; ``tests/test_contrast.py`` computes each pair.
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
}

# (text / stroke colour, light fill) per status, for HTML, SVG, Mermaid and DOT
STATUS_VARS = {"on-track": "on", "at-risk": "risk", "off-track": "off", "no-data": "none"}
STATUS_COLOR = {status: (LIGHT[key], LIGHT[f"{key}-bg"]) for status, key in STATUS_VARS.items()}


def css_variables(palette: dict[str, str]) -> str:
    """``--ink:#111827;--muted:…`` for a ``:root`` rule."""
    return ";".join(f"--{name}:{value}" for name, value in palette.items())
