"""The alignment map as a Mermaid ``flowchart`` that GitHub and GitLab render in Markdown.

Edges point up, from the objective to what it serves (``flowchart BT`` puts priorities on top):
``==>`` explicit, ``-->`` directional, ``-.->`` peer dependency. Labels are ``["..."]`` strings in
which quotes and markup characters are ``#name;`` entities (``mermaid_label``).
"""

from __future__ import annotations

import re

from okrctl.render import report_widgets as w
from okrctl.render.escape import mermaid_label
from okrctl.views.map import AlignmentMap

_CLASS = {"on-track": "onTrack", "at-risk": "atRisk", "off-track": "offTrack", "no-data": "noData"}

# Mermaid refuses a diagram longer than this unless its page raises ``maxTextSize`` (GitHub does
# not): ``MAX_TEXTLENGTH = 5e4`` in mermaid.core, the length of a JavaScript string (an emoji
# counts twice), taken once its ``%%`` comment lines are gone (its ``cleanupComments``).
MERMAID_MAX_TEXT = 50_000
# Nor one with more links than its flowchart's ``maxEdges`` (500 by default: "Edge limit exceeded").
MERMAID_MAX_EDGES = 500
_COMMENT = re.compile(r"^\s*%%(?!\{)[^\n]+\n?", re.MULTILINE)
_LINK = re.compile(r"^  [A-Za-z]\w* (?:-->|==>|-\.->)", re.MULTILINE)


def past_what_mermaid_draws(text: str) -> str:
    """A note on what of Mermaid's limits the map ``text`` (as ``render`` writes it) passes, or "":
    the map is written all the same, and the note says how to draw it."""
    measured = _COMMENT.sub("", text).lstrip()
    length = len(measured.encode("utf-16-le")) // 2
    links = len(_LINK.findall(text))
    past = []
    if length > MERMAID_MAX_TEXT:
        past.append(f"is {length:,} characters, past the {MERMAID_MAX_TEXT:,} Mermaid draws by default (maxTextSize)")
    if links > MERMAID_MAX_EDGES:
        past.append(f"has {links:,} links, past the {MERMAID_MAX_EDGES:,} Mermaid draws by default (maxEdges)")
    if not past:
        return ""
    return f"okrctl: note: the Mermaid map {', and '.join(past)}: draw part of it with --unit, or use --format dot"


def _label(*lines: str) -> str:
    return '["' + "<br/>".join(mermaid_label(line) for line in lines) + '"]'


def render(amap: AlignmentMap, *, color: bool = False, width: int = 100) -> str:
    # Short ids (O1, P1, …) in display order: slugs may hold "--", which Mermaid reads as a link.
    ids: dict[str, str] = {}
    counters = {"O": 0, "P": 0}
    for key, node in amap.nodes.items():
        prefix = "O" if node.kind == "objective" else "P"
        counters[prefix] += 1
        ids[key] = f"{prefix}{counters[prefix]}"
    cycles = ", ".join(c.id for c in amap.cycles) or "no cycle"
    out = [
        "flowchart BT",
        f"  %% okrctl alignment map of {mermaid_label(amap.unit_name)} · {cycles} · as of {amap.day}",
    ]
    uncovered = set(amap.uncovered())
    classes: dict[str, list[str]] = {}
    for key, node in amap.nodes.items():
        if node.kind == "objective":
            status = node.status or "no-data"
            head = f"{node.owner_name or node.owner} · {w.status_label(status)} · "
            head += f"{w.confidence(node.confidence, amap.confidence_max)}"
            out.append(f"  {ids[key]}{_label(head, *w.wrapped(node.title, 34, 3), node.key)}")
            classes.setdefault(_CLASS.get(status, "noData"), []).append(ids[key])
            if not node.in_scope:
                classes.setdefault("context", []).append(ids[key])
        else:
            kind = "Strategy priority" if node.kind == "priority" else "Strategy"
            if key in uncovered:
                kind += " · no contributor"
            out.append(f"  {ids[key]}{_label(kind, *w.wrapped(node.title, 34, 3))}")
            classes.setdefault("uncovered" if key in uncovered else "priority", []).append(ids[key])
    for link in amap.links:
        arrow = "==>" if link.type == "explicit" else "-->"
        label = ""
        if link.key_result:
            verb = "adopts KR" if link.type == "explicit" else "KR"
            label = f'|"{mermaid_label(f"{verb} {link.key_result}")}"|'
        out.append(f"  {ids[link.source]} {arrow}{label} {ids[link.target]}")
    # A box of their own for what a need points at off the map: a providing unit with no objective
    # on it, or the objective that acknowledges the need when it is not on the map (the arrow goes
    # there, never to another objective of the unit).
    units: dict[tuple[str, str], str] = {}
    for dep in amap.dependencies:
        if dep.source not in ids:
            continue
        if dep.provider is None or dep.provider not in ids:
            if dep.acknowledged_by is not None:
                box, lines = ("objective", dep.acknowledged_by), (dep.unit_name, "objective not on this map")
            else:
                box, lines = ("unit", dep.unit), (dep.unit_name, "no objective on this map")
            if box not in units:
                units[box] = f"U{len(units) + 1}"
                out.append(f"  {units[box]}{_label(*lines, box[1])}")
                classes.setdefault("unit", []).append(units[box])
            target = units[box]
        else:
            target = ids[dep.provider]
        need = dep.need if dep.acknowledged else f"{dep.need} (not acknowledged)"
        # okrctl's own ":" stays as written (a space after it matches nothing of ``_MERMAID_ENTITY``'s note).
        out.append(f'  {ids[dep.source]} -.->|"needs: {mermaid_label(need)}"| {target}')
    out += [
        "  classDef priority fill:#1e3a8a,stroke:#1e3a8a,color:#ffffff",
        "  classDef uncovered fill:#ffffff,stroke:#b91c1c,color:#b91c1c,stroke-dasharray:5 3",
    ]
    for status, name in _CLASS.items():
        stroke, fill = w.STATUS_COLOR[status]
        out.append(f"  classDef {name} fill:{fill},stroke:{stroke},color:#111827")
    out.append("  classDef context fill:#ffffff,stroke-dasharray:4 3")
    if units:
        out.append("  classDef unit fill:#ffffff,stroke:#c2410c,color:#c2410c,stroke-dasharray:4 3")
    for name in ("priority", "uncovered", *_CLASS.values(), "context", "unit"):
        if classes.get(name):
            out.append(f"  class {','.join(classes[name])} {name}")
    return "\n".join(out) + "\n"
