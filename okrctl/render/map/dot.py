"""The alignment map in Graphviz DOT (``dot -Tsvg map.dot > map.svg``) for documentation.

Every id and label is a double-quoted DOT string with backslashes and quotes escaped; line breaks
are the only escape sequence okrctl writes itself.
"""

from __future__ import annotations

import textwrap

from okrctl.render import report_widgets as w
from okrctl.render.escape import dot_string
from okrctl.safetext import one_written_line
from okrctl.views.map import AlignmentMap


def _label(*lines: str) -> str:
    """Lines joined by DOT's centred line break ``\\n`` after each was escaped."""
    return '"' + "\\n".join(dot_string(line)[1:-1] for line in lines) + '"'


def _wrap(text: str) -> list[str]:
    wrapped = textwrap.wrap(one_written_line(text), width=36) or [""]
    if len(wrapped) > 3:
        wrapped = wrapped[:3]
        wrapped[-1] = wrapped[-1][:35].rstrip() + "…"
    return wrapped


def render(amap: AlignmentMap, *, color: bool = False, width: int = 100) -> str:
    cycles = ", ".join(c.id for c in amap.cycles) or "no cycle"
    title = f"Alignment map of {amap.unit_name} · {cycles} · as of {amap.day}"
    out = [
        "digraph okrctl {",
        f"  graph [rankdir=BT, labelloc=t, fontname=Helvetica, fontsize=14, label={dot_string(title)}];",
        '  node [shape=box, style="rounded,filled", fontname=Helvetica, fontsize=11, margin="0.15,0.08"];',
        "  edge [fontname=Helvetica, fontsize=9];",
    ]
    uncovered = set(amap.uncovered())
    for key, node in amap.nodes.items():
        if node.kind == "objective":
            status = node.status or "no-data"
            stroke, fill = w.STATUS_COLOR.get(status, w.STATUS_COLOR["no-data"])
            head = f"{node.owner_name or node.owner} · {w.status_label(status)} · "
            head += w.confidence(node.confidence, amap.confidence_max)
            style = "" if node.in_scope else ', style="rounded,filled,dashed", fillcolor="#ffffff"'
            out.append(
                f'  {dot_string(key)} [label={_label(head, *_wrap(node.title), node.key)}, color="{stroke}", '
                f'fillcolor="{fill}"{style}];'
            )
        else:
            kind = "STRATEGY PRIORITY" if node.kind == "priority" else "STRATEGY"
            if key in uncovered:
                out.append(
                    f"  {dot_string(key)} [label={_label(kind + ' · NO CONTRIBUTOR', *_wrap(node.title))}, "
                    'color="#b91c1c", fontcolor="#b91c1c", fillcolor="#ffffff", style="rounded,filled,dashed"];'
                )
            else:
                out.append(
                    f"  {dot_string(key)} [label={_label(kind, *_wrap(node.title))}, "
                    'color="#1e3a8a", fillcolor="#1e3a8a", fontcolor="#ffffff"];'
                )
    if amap.roots():  # priorities side by side on the top rank
        out.append("  { rank=max; " + " ".join(f"{dot_string(key)};" for key in amap.roots()) + " }")
    for link in amap.links:
        attrs = ['penwidth=2.4, color="#111827"'] if link.type == "explicit" else ['color="#94a3b8"']
        if link.key_result:
            verb = "adopts KR" if link.type == "explicit" else "KR"
            attrs.append(f"label={dot_string(f'{verb} {link.key_result}')}")
        out.append(f"  {dot_string(link.source)} -> {dot_string(link.target)} [{', '.join(attrs)}];")
    # A box of their own for what a need points at off the map: a providing unit with no objective
    # on it, or the objective that acknowledges the need when it is not on the map (the arrow goes
    # there, never to another objective of the unit).
    boxes: set[str] = set()
    for dep in amap.dependencies:
        if dep.source not in amap.nodes:
            continue
        target = dep.provider
        if target is None or target not in amap.nodes:
            if dep.acknowledged_by is not None:
                target, lines = dep.acknowledged_by, (dep.unit_name, "objective not on this map", dep.acknowledged_by)
            else:
                target = f"unit:{dep.unit}"  # never an objective id or a strategy reference (no ':')
                lines = (dep.unit_name, "no objective on this map", dep.unit)
            if target not in boxes:
                boxes.add(target)
                out.append(
                    f"  {dot_string(target)} [label={_label(*lines)}, "
                    'color="#c2410c", fontcolor="#c2410c", fillcolor="#ffffff", style="rounded,filled,dashed"];'
                )
        need = dep.need if dep.acknowledged else f"{dep.need} (not acknowledged)"
        out.append(
            f'  {dot_string(dep.source)} -> {dot_string(target)} [style=dashed, color="#c2410c", '
            f'fontcolor="#c2410c", constraint=false, label={dot_string("needs: " + need)}];'
        )
    out.append("}")
    return "\n".join(out) + "\n"
