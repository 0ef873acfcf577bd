"""The alignment map as inline SVG (for the HTML report): a simple layered drawing.

Priorities on top, each objective one layer below the lowest thing it serves; within a layer,
nodes sit near the average position of what they serve (one barycentre sweep down).
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Callable

from okrctl.render.escape import h
from okrctl.render.palette import LIGHT
from okrctl.render.report_widgets import STATUS_COLOR, confidence, status_label
from okrctl.render.svg import coord
from okrctl.safetext import one_written_line
from okrctl.views.map import AlignmentMap, Dependency, MapNode

NODE_W, OBJ_H, TOP_H = 212.0, 86.0, 60.0
GAP_X, GAP_Y, MARGIN = 26.0, 64.0, 16.0
MIN_SCALE = 0.7  # a box 148 px wide, its title at 7.7 px: still read without zooming
PRIORITY_FILL = LIGHT["priority"]
EXPLICIT = LIGHT["ink"]
DIRECTIONAL = LIGHT["directional"]
DEPENDENCY = LIGHT["dependency"]
CARD = LIGHT["card"]
WHITE = "#ffffff"  # a priority's words on its dark box, in either scheme (class "inverse")


# Advance widths in em of a common sans-serif (the page's system-ui falls back to DejaVu Sans on
# Linux, the widest of the usual ones), by class of character: a box's lines are wrapped by their
# drawn width, since a title in capitals is a third wider than the same count of small letters.
# Each class is priced at its widest usual member (semi-bold "n" is 0.71 em); any other symbol
# (an em dash, "&", "€", an arrow) at a whole em, an emoji (drawn by a colour font) at more.
_NARROW = frozenset(" .,:;'!|ilj")
_SLIM = frozenset('frtI()[]{}-/"`')
_WIDE = frozenset("mwMW@%—…")
# Letters of other scripts (and Latin ligatures) as wide as "W" or wider, measured in Chromium with
# DejaVu Sans: Cyrillic Щ is 1.09 em, and 1.33 semi-bold (a fifth wider, where the 15% of
# ``drawn_width`` holds for Latin letters), Ж Ш Ю Љ Њ Œ up to 1.08 and 1.24; the small letters of
# these, ф, ы, Greek ω, æ and œ up to 0.94 and 1.1. A title in them ran 20 px past its box. A letter
# with accents is priced as its base letter (Ё as Е, Ӂ as Ж).
_WIDER = frozenset("ЖШЩЮЉЊŒ")
_WIDE_LETTERS = frozenset("жшщюљњфыωæœÆ")
# A letter of a script other than Latin, Greek and Cyrillic, priced at the widest letter of its
# block as Chromium draws it with DejaVu Sans: regular, or semi-bold and bold over the 15% of
# ``drawn_width``, whichever asks more (Lao ໝ is 1.03 em, 1.36 bold). Georgian ლ 1.07, Arabic س
# 1.22 and its final form ﺲ 1.28, Armenian խ 0.98 were counted as 0.74 em, and a title of them ran
# up to 63 px past its box. (first, last code point, em), in order.
_SCRIPT_EM = (
    (0x0530, 0x058F, 0.99),  # Armenian: խ 0.98, Մ 0.92
    (0x0590, 0x05FF, 0.72),  # Hebrew: ק 0.71, ש 0.76 bold
    (0x0600, 0x06FF, 1.28),  # Arabic, priced as its widest form: the final ﺲ of س
    (0x0750, 0x077F, 1.28),  # Arabic Supplement
    (0x07C0, 0x07FF, 0.96),  # N'Ko: ߘ 0.96
    (0x08A0, 0x08FF, 1.28),  # Arabic Extended-A
    (0x0E80, 0x0EFF, 1.19),  # Lao: ໝ 1.03, 1.36 bold
    (0x10A0, 0x10FF, 1.07),  # Georgian: ლ 1.07
    (0x1400, 0x167F, 1.76),  # Canadian syllabics: ᙶ 1.63, 2.02 bold
    (0x1680, 0x169F, 1.63),  # Ogham: ᚔ 1.37, 1.87 bold
    (0x18B0, 0x18FF, 1.76),  # Canadian syllabics extended
    (0x2100, 0x214F, 1.07),  # letterlike symbols: ℳ 1.07
    (0x2D00, 0x2D2F, 0.96),  # Georgian supplement: ⴊ 0.95
    (0x2D30, 0x2D7F, 0.96),  # Tifinagh: ⵋ 0.95
    (0xA4D0, 0xA4FF, 0.99),  # Lisu: ꓪ 0.99
    (0xFB13, 0xFB17, 1.53),  # Armenian ligatures: ﬗ 1.53
    (0xFB1D, 0xFB4F, 0.91),  # Hebrew presentation forms: ﬣ 0.91
    (0xFB50, 0xFDFF, 1.28),  # Arabic presentation forms
    (0xFE70, 0xFEFF, 1.28),
)
# Any other script (Devanagari, Thai, Ethiopic, Khmer...): DejaVu Sans has none of their letters, so
# what draws them depends on the reader's fonts; priced wider than any letter measured in the
# scripts above but the syllabics.
_OTHER_SCRIPT_EM = 1.25
# Joined to the character before them when a line is cut: combining marks (by category), the
# zero-width joiner, variation selectors, skin tones and the tags of a subdivision flag.
_JOINING = frozenset("\u200d\ufe0e\ufe0f")


def _joins(char: str) -> bool:
    return (
        char in _JOINING
        or unicodedata.combining(char) != 0
        or "\U0001f3fb" <= char <= "\U0001f3ff"
        or "\U000e0020" <= char <= "\U000e007f"
    )


def _regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def clusters(text: str) -> list[str]:
    """``text`` cut into what a reader sees as one character: a letter with its accents, an emoji
    with its joiners and modifiers, the two letters of a flag. A line is only ever cut between them."""
    out: list[str] = []
    for char in text:
        if out and (
            _joins(char) or out[-1].endswith("\u200d") or (_regional(char) and len(out[-1]) == 1 and _regional(out[-1]))
        ):
            out[-1] += char
        else:
            out.append(char)
    return out


def _em(char: str) -> float:
    if _joins(char):
        return 0.0
    if char in _NARROW:
        return 0.34
    if char in _SLIM:
        return 0.45
    if char in _WIDE:
        return 1.0
    if unicodedata.east_asian_width(char) in ("W", "F") or unicodedata.category(char) == "So":
        return 1.3 if ord(char) >= 0x1F000 else 1.0
    if char.isascii() or not char.isalpha():
        if char.isupper():
            return 0.74
        if char.isdigit():
            return 0.66
        return 0.62 if char.isalpha() else 1.0
    base = unicodedata.normalize("NFD", char)[0]
    if base in _WIDER:
        return 1.16
    if base in _WIDE_LETTERS:
        return 1.0
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return 0.74 if char.isupper() else 0.62  # é, Ö, ñ: priced as the letters they accent
    if ord(char) >= 0x0530 and not name.startswith(("GREEK", "CYRILLIC")):
        return _script_em(ord(char))
    # A capital of Cyrillic or Greek is wider than a Latin one on the whole (М, Ф and Ы 0.86 to
    # 0.88 em, Д and Ц 0.78), and so are its small letters (м 0.75, д 0.69).
    return 0.9 if char.isupper() else 0.74


def _script_em(code: int) -> float:
    """The width of a letter of a script other than Latin, Greek and Cyrillic (``_SCRIPT_EM``)."""
    index = bisect.bisect_right(_SCRIPT_EM, (code, 0x10FFFF, 9.0)) - 1
    if index >= 0 and _SCRIPT_EM[index][0] <= code <= _SCRIPT_EM[index][1]:
        return _SCRIPT_EM[index][2]
    return _OTHER_SCRIPT_EM


def drawn_width(text: str, size: float, bold: bool = False) -> float:
    """About how many pixels ``text`` takes at ``size`` px (semi-bold 15% wider); errs on the wide
    side (measured in Chromium with DejaVu Sans: 0.56 em a small letter on average, 0.67 a capital)."""
    return sum(_em(c) for c in text) * size * (1.15 if bold else 1.0)


def fitted(text: str, width: float, size: float, lines: int, *, bold: bool = False) -> list[str]:
    """``text`` on at most ``lines`` lines that each fit ``width`` px at ``size`` px; a word wider than
    a line is cut between characters (never inside one, ``clusters``), and the last line ends in …
    when the text does not fit."""

    def fits(line: str) -> bool:
        return drawn_width(line, size, bold) <= width

    out: list[str] = []
    line = ""
    for word in one_written_line(text).split():
        joined = f"{line} {word}" if line else word
        if fits(joined):
            line = joined
            continue
        if line:
            out.append(line)
        line = ""
        for part in clusters(word):  # the word starts a line; a word wider than a line is cut where it must be
            if line and not fits(line + part):
                out.append(line)
                line = ""
            line += part
    if line or not out:
        out.append(line)
    if len(out) > lines:
        out = out[:lines]
        kept = clusters(out[-1].rstrip())
        while kept and not fits("".join(kept) + "…"):
            kept.pop()
            while kept and kept[-1].isspace():
                kept.pop()
        out[-1] = "".join(kept) + "…"
    return out


def _order(amap: AlignmentMap, layer_of: dict[str, int]) -> list[list[str]]:
    depth = max(layer_of.values(), default=0)
    layers: list[list[str]] = [[] for _ in range(depth + 1)]
    for key in amap.nodes:
        layers[layer_of[key]].append(key)
    parents: dict[str, list[str]] = {}
    for link in amap.links:
        parents.setdefault(link.source, []).append(link.target)
    position: dict[str, float] = {key: float(i) for i, key in enumerate(layers[0])}
    for index in range(1, len(layers)):
        original = {key: i for i, key in enumerate(layers[index])}

        def centre(key: str, original: dict[str, int] = original) -> tuple[float, int]:
            known = [position[p] for p in parents.get(key, []) if p in position]
            return (sum(known) / len(known) if known else 1e9, original[key])

        layers[index].sort(key=centre)
        for i, key in enumerate(layers[index]):
            position[key] = float(i)
    return layers


def _spread(keys: list[str], wanted: dict[str, float], width: float) -> dict[str, float]:
    """Left edges as near as possible to ``wanted`` without overlaps, inside ``width``."""
    step = NODE_W + GAP_X
    ordered = sorted(keys, key=lambda k: (wanted[k], keys.index(k)))
    xs: list[float] = []
    for key in ordered:
        xs.append(max(wanted[key], xs[-1] + step if xs else MARGIN))
    overflow = xs[-1] + NODE_W + MARGIN - width if xs else 0.0
    if overflow > 0:  # pushed past the right edge: slide back, keeping the gaps
        xs[-1] -= overflow
        for i in range(len(xs) - 2, -1, -1):
            xs[i] = min(xs[i], xs[i + 1] - step)
    return dict(zip(ordered, xs, strict=True))


def _place(amap: AlignmentMap, layers: list[list[str]]) -> tuple[dict[str, float], float]:
    """Left edge of every node: the widest layer evenly spaced; the layers below it under what they
    serve, the layers above it over what serves them."""
    widest = max(range(len(layers)), key=lambda i: (len(layers[i]), -i))
    width = 2 * MARGIN + len(layers[widest]) * NODE_W + (len(layers[widest]) - 1) * GAP_X
    xs = {key: MARGIN + i * (NODE_W + GAP_X) for i, key in enumerate(layers[widest])}
    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for link in amap.links:
        parents.setdefault(link.source, []).append(link.target)
        children.setdefault(link.target, []).append(link.source)

    def wanted(layer: list[str], relatives: dict[str, list[str]]) -> dict[str, float]:
        out: dict[str, float] = {}
        row_w = len(layer) * NODE_W + (len(layer) - 1) * GAP_X
        for i, key in enumerate(layer):
            known = [xs[r] for r in relatives.get(key, []) if r in xs]
            out[key] = sum(known) / len(known) if known else (width - row_w) / 2 + i * (NODE_W + GAP_X)
        return out

    for index in range(widest + 1, len(layers)):
        xs.update(_spread(layers[index], wanted(layers[index], parents), width))
    for index in range(widest - 1, -1, -1):
        xs.update(_spread(layers[index], wanted(layers[index], children), width))
    return xs, width


def _node(node: MapNode, x: float, y: float, height: float, uncovered: bool, scale_max: float) -> str:
    status = node.status or "no-data"
    footer = f"{status_label(status)} · confidence {confidence(node.confidence, scale_max)}"
    if node.kind != "objective":
        tip = one_written_line(node.title)
    else:  # the box's name for a screen reader (a link's name on the site): what the box shows
        tip = one_written_line(f"{node.key}: {node.title} ({node.owner_name or node.owner or ''}; {footer})")
    parts = [f'<g class="node"><title>{h(tip)}</title>']
    if node.kind != "objective":
        fill, stroke, ink = (PRIORITY_FILL, PRIORITY_FILL, WHITE)
        dash, inverse = "", ' class="inverse"'
        if uncovered:
            inverse = ""
            fill, stroke, ink, dash = (
                CARD,
                STATUS_COLOR["off-track"][0],
                STATUS_COLOR["off-track"][0],
                ' stroke-dasharray="5 3"',
            )
        parts.append(
            f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(NODE_W)}" height="{coord(height)}" rx="8" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"{dash}/>'
        )
        parts.append(
            f'<text{inverse} x="{coord(x + 10)}" y="{coord(y + 15)}" font-size="9" font-weight="700" fill="{ink}" '
            f'letter-spacing="0.6">{"PRIORITY · NO CONTRIBUTOR" if uncovered else "STRATEGY PRIORITY"}</text>'
        )
        for i, line in enumerate(fitted(node.title, NODE_W - 20, 11.5, 2, bold=True)):
            parts.append(
                f'<text{inverse} x="{coord(x + 10)}" y="{coord(y + 31 + 13 * i)}" font-size="11.5" font-weight="600" '
                f'fill="{ink}">{h(line)}</text>'
            )
        parts.append("</g>")
        return "".join(parts)
    stroke, fill = STATUS_COLOR.get(status, STATUS_COLOR["no-data"])
    dash = "" if node.in_scope else ' stroke-dasharray="4 3"'
    if not node.in_scope:
        fill = CARD
    parts.append(
        f'<rect x="{coord(x)}" y="{coord(y)}" width="{coord(NODE_W)}" height="{coord(height)}" rx="8" fill="{fill}" '
        f'stroke="{stroke}" stroke-width="1.5"{dash}/>'
    )
    parts.append(
        f'<rect x="{coord(x)}" y="{coord(y + 6)}" width="4" height="{coord(height - 12)}" rx="2" fill="{stroke}"/>'
    )
    team = fitted(node.owner_name or node.owner or "", NODE_W - 22, 11.5, 1, bold=True)[0]
    parts.append(
        f'<text x="{coord(x + 12)}" y="{coord(y + 17)}" font-size="11.5" font-weight="700" fill="{EXPLICIT}">{h(team)}</text>'
    )
    for i, line in enumerate(fitted(node.title, NODE_W - 22, 11, 3)):
        parts.append(
            f'<text x="{coord(x + 12)}" y="{coord(y + 32 + 13 * i)}" font-size="11" fill="{LIGHT["title"]}">{h(line)}</text>'
        )
    parts.append(
        f'<text x="{coord(x + 12)}" y="{coord(y + height - 9)}" font-size="10.5" font-weight="700" fill="{stroke}">'
        f"{h(footer)}</text>"
    )
    parts.append("</g>")
    return "".join(parts)


def _dependency(dep: Dependency, source: tuple[float, float, float], provider: tuple[float, float, float]) -> str:
    """A dashed side link from the objective that needs something to the providing team's objective.

    Same layer: an arc under both boxes. Otherwise: out of the source's side, into the provider's
    bottom edge away from its alignment links.
    """
    sx, sy, sh = source
    px, py, ph = provider
    rightward = px >= sx
    if abs(sy - py) < 1:
        x1, y1 = sx + NODE_W / 2 + (20 if rightward else -20), sy + sh
        x2, y2 = px + NODE_W / 2 - (20 if rightward else -20), py + ph
        low = y1 + 28
        d = f"M{coord(x1)},{coord(y1)} C{coord(x1)},{coord(low)} {coord(x2)},{coord(low)} {coord(x2)},{coord(y2 + 2)}"
    else:
        x1, y1 = (sx + NODE_W if rightward else sx), sy + sh / 2
        x2 = px + NODE_W / 2 + (NODE_W / 3 if rightward else -NODE_W / 3)
        y2 = py + ph if sy > py else py
        bend = 40 if rightward else -40
        d = f"M{coord(x1)},{coord(y1)} C{coord(x1 + bend)},{coord(y1)} {coord(x2)},{coord((y1 + y2) / 2)} {coord(x2)},{coord(y2 + (2 if sy > py else -2))}"
    tip = f"{dep.source} needs from {dep.unit_name}: {dep.need}" + ("" if dep.acknowledged else " (not acknowledged)")
    return (
        f'<path d="{d}" fill="none" stroke="{DEPENDENCY}" stroke-width="1.5" stroke-dasharray="5 4" '
        f'marker-end="url(#okrctl-arrow-p)"><title>{h(tip)}</title></path>'
    )


def _least_width(width: float) -> float:
    """The narrowest the map may be drawn: 720 px (or its natural width when smaller), and never
    below MIN_SCALE of its natural width, so that 60 teams in a row are not 15 px boxes."""
    return min(width, max(720.0, width * MIN_SCALE))


def render_svg(amap: AlignmentMap, href: Callable[[MapNode], str | None] | None = None) -> str:
    """The map as one ``<svg>`` element (empty string when there is nothing to draw).

    With ``href``, every box whose node it gives an address for is a link (the site's map).
    """
    if not amap.nodes:
        return ""
    layer_of = amap.layers()
    layers = [layer for layer in _order(amap, layer_of) if layer]
    xs, width = _place(amap, layers)
    boxes: dict[str, tuple[float, float, float]] = {}
    y = MARGIN
    for layer in layers:
        height = TOP_H if amap.nodes[layer[0]].kind != "objective" else OBJ_H
        for key in layer:
            boxes[key] = (xs[key], y, TOP_H if amap.nodes[key].kind != "objective" else OBJ_H)
        y += height + GAP_Y
    last_row = max((b[1] for b in boxes.values()), default=0.0)
    same_row_deps = any(
        d.provider in boxes and d.source in boxes and boxes[d.source][1] == boxes[d.provider][1] == last_row
        for d in amap.dependencies
    )
    total_h = y - GAP_Y + MARGIN + (30 if same_row_deps else 0)
    uncovered = set(amap.uncovered())
    parts = [
        # Never drawn larger than its natural size (a small map is not blown up), nor below
        # MIN_SCALE of it (a wide one scrolls in its .mapwrap rather than shrink to unreadable boxes).
        f'<svg class="map" viewBox="0 0 {coord(width)} {coord(total_h)}" style="max-width:{coord(width)}px;min-width:{coord(_least_width(width))}px" role="group" '
        f'aria-label="{h(f"Alignment map of {amap.unit_name}")}" font-family="inherit">',
        "<defs>",
        f'<marker id="okrctl-arrow-e" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{EXPLICIT}"/></marker>',
        f'<marker id="okrctl-arrow-d" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{DIRECTIONAL}"/></marker>',
        f'<marker id="okrctl-arrow-p" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" '
        f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{DEPENDENCY}"/></marker>',
        "</defs>",
    ]
    for link in amap.links:
        if link.source not in boxes or link.target not in boxes:
            continue
        sx, sy, _ = boxes[link.source]
        tx, ty, th = boxes[link.target]
        x1, y1 = sx + NODE_W / 2, sy
        x2, y2 = tx + NODE_W / 2, ty + th
        mid = (y1 + y2) / 2
        explicit = link.type == "explicit"
        parts.append(
            f'<path d="M{coord(x1)},{coord(y1)} C{coord(x1)},{coord(mid)} {coord(x2)},{coord(mid)} {coord(x2)},{coord(y2 + 2)}" fill="none" '
            f'stroke="{EXPLICIT if explicit else DIRECTIONAL}" stroke-width="{"2.4" if explicit else "1.5"}" '
            f'marker-end="url(#okrctl-arrow-{"e" if explicit else "d"})"><title>{h(f"{link.source} → {link.ref} ({link.type})")}</title></path>'
        )
        if link.key_result:
            label = f"{'adopts' if explicit else 'KR'} {link.key_result}"
            lx, ly = x1 + 6, y1 - 12
            parts.append(
                f'<text x="{coord(lx)}" y="{coord(ly)}" font-size="10.5" font-weight="600" fill="{EXPLICIT}" '
                f'paint-order="stroke" stroke="{CARD}" stroke-width="3">{h(label)}</text>'
            )
    for dep in amap.dependencies:
        if dep.provider not in boxes or dep.source not in boxes or dep.provider == dep.source:
            continue
        parts.append(_dependency(dep, boxes[dep.source], boxes[dep.provider]))
    for key, node in amap.nodes.items():
        x, y, node_h = boxes[key]
        drawn = _node(node, x, y, node_h, key in uncovered, amap.confidence_max)
        target = href(node) if href else None
        parts.append(f'<a href="{h(target)}">{drawn}</a>' if target else drawn)
    parts.append("</svg>")
    return "".join(parts)
