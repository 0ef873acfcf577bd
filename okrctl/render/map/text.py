"""The alignment map as a tree in the terminal: priorities → strategic OKRs → team OKRs.

``⇒`` marks an explicit link (the objective adopts a key result), ``→`` a directional one, ``⇢`` a
peer dependency. Repository text goes into rich ``Text`` after ``one_line``.
"""

from __future__ import annotations

from io import StringIO

from rich.console import Console
from rich.padding import Padding
from rich.text import Text
from rich.tree import Tree

from okrctl.analysis.alignment import Link
from okrctl.render import report_widgets as w
from okrctl.render.console import text_console
from okrctl.render.status.text import nowhere
from okrctl.safetext import one_line
from okrctl.views.map import AlignmentMap, MapNode


def _objective_label(amap: AlignmentMap, node: MapNode, link: Link | None) -> Text:
    status = node.status or "no-data"
    label = Text()
    if link is not None:
        label.append("⇒ " if link.type == "explicit" else "→ ", style="bold" if link.type == "explicit" else "dim")
    label.append(f"● {w.status_label(status)}", style=w.STATUS_STYLE.get(status, ""))
    label.append("  ")
    label.append(one_line(node.owner_name or node.owner or ""), style="bold")
    label.append(f" · {one_line(node.key)} · confidence {w.confidence(node.confidence, amap.confidence_max)}")
    if link is not None and link.key_result:
        verb = "adopts KR" if link.type == "explicit" else "toward KR"
        label.append(f" · {verb} {one_line(link.key_result)}", style="bold" if link.type == "explicit" else "")
    if not node.in_scope:
        if node.above:
            where = "above the unit"
        elif node.outside:
            where = "another unit"
        else:
            where = f"cycle {one_line(node.cycle or '?')}"
        label.append(f"  ({where})", style="dim")
    label.append("\n")
    label.append(one_line(node.title), style="dim" if not node.in_scope else "")
    return label


def _add_dependencies(amap: AlignmentMap, branch: Tree, objective_id: str) -> None:
    for dep in amap.dependencies:
        if dep.source != objective_id:
            continue
        line = Text("⇢ needs from ", style="magenta")
        line.append(one_line(dep.unit_name), style="bold magenta")
        line.append(": ")
        line.append(one_line(dep.need))
        if dep.for_kr:
            line.append(f" (for {one_line(dep.for_kr)})", style="dim")
        if dep.acknowledged:
            # Named after the objective that lists the need under ``supports``, on the map or not.
            by = f" by {one_line(dep.acknowledged_by)}" if dep.acknowledged_by else ""
            line.append(f"  acknowledged{by}", style="green")
        else:
            line.append("  not acknowledged", style="yellow")
        branch.add(line)


def _grow(amap: AlignmentMap, tree: Tree, key: str, seen: set[str]) -> None:
    """Add what aligns to ``key`` below ``tree``, depth first with an explicit stack (no recursion)."""

    def sorted_children(parent: str) -> list[Link]:
        return sorted(
            amap.children.get(parent, []),
            key=lambda link: (amap.nodes[link.source].owner_name or "", link.source),
        )

    stack: list[tuple[Tree, list[Link], int]] = [(tree, sorted_children(key), 0)]
    while stack:
        branch_of, links, index = stack.pop()
        if index >= len(links):
            continue
        stack.append((branch_of, links, index + 1))
        link = links[index]
        node = amap.nodes[link.source]
        if link.source in seen:
            again = Text("⇒ " if link.type == "explicit" else "→ ", style="dim")
            again.append(f"{one_line(node.key)} (shown above)", style="dim")
            branch_of.add(again)
            continue
        seen.add(link.source)
        branch = branch_of.add(_objective_label(amap, node, link))
        _add_dependencies(amap, branch, link.source)
        stack.append((branch, sorted_children(link.source), 0))


# Each level of a tree takes four columns of guides: a label keeps at least this many beside them.
LABEL_MIN_WIDTH = 24


def _print_tree(console: Console, tree: Tree, width: int, *, indent: int = 0) -> None:
    """Print ``tree`` at ``width``, ``indent`` columns in, or wider where its depth leaves a label
    fewer than ``LABEL_MIN_WIDTH`` columns: a deep chain runs past a narrow terminal's edge (which
    wraps it) rather than losing its deepest objectives, which a tree with no room left for them
    leaves out."""
    depth, stack = 0, [(tree, 0)]
    while stack:
        node, level = stack.pop()
        depth = max(depth, level)
        stack.extend((child, level + 1) for child in node.children)
    needed = indent + 4 * depth + LABEL_MIN_WIDTH
    shown = Padding(tree, (0, 0, 0, indent)) if indent else tree
    if needed <= width:
        console.print(shown)
        return
    # (a console prints nothing wider than itself: a wider one writes to the same place)
    wider = text_console(console.file, console.color_system is not None, needed, truecolor=True)  # type: ignore[arg-type]
    wider.print(shown)


def render(amap: AlignmentMap, *, color: bool = False, width: int = 100) -> str:
    buffer = StringIO()
    console = text_console(buffer, color, width, truecolor=True)
    title = Text(f"Alignment map of {one_line(amap.unit_name)}", style="bold")
    cycles = ", ".join(c.id for c in amap.cycles) or "no cycle"
    title.append(f" · {cycles} · as of {amap.day}", style="dim")
    console.print(title)
    console.print()
    if not any(n.kind == "objective" and n.in_scope for n in amap.nodes.values()):
        where = nowhere(amap.day, amap.cycles, amap.latest_elsewhere, "the latest")
        console.print(Text(f"No objective under {amap.unit} in {where}."))
        if not amap.nodes:
            return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
        console.print()
    seen: set[str] = set()
    uncovered = set(amap.uncovered())
    roots = amap.roots()
    for key in roots:
        node = amap.nodes[key]
        label = Text("◆ ", style="bold blue")
        label.append(one_line(node.title), style="bold")
        label.append(f"  {one_line(key)}", style="dim")
        if key in uncovered:
            label.append("  no contributor", style="yellow")
        tree = Tree(label, guide_style="dim")
        _grow(amap, tree, key, seen)
        _print_tree(console, tree, width)
    # Objectives above nothing on the map: orphans first, then chains that end without a priority.
    rest = [k for k, n in amap.nodes.items() if n.kind == "objective" and k not in seen]
    tops = [k for k in rest if not any(link.source == k for link in amap.links)]
    if tops:
        if roots:  # a blank line under the title already, when no priority came before
            console.print()
        console.print(Text("Not aligned to anything (orphans)", style="bold yellow"))
        for key in tops:
            seen.add(key)
            tree = Tree(_objective_label(amap, amap.nodes[key], None), guide_style="dim")
            _add_dependencies(amap, tree, key)
            _grow(amap, tree, key, seen)
            _print_tree(console, tree, width)
    loops = [k for k in rest if k not in seen]
    if loops:
        if roots or tops:
            console.print()
        console.print(Text("In an alignment loop (see OKR206)", style="bold red"))
        for key in loops:
            # A tree of its own, as an orphan's: its peer dependencies hang under it here too.
            tree = Tree(_objective_label(amap, amap.nodes[key], None), guide_style="dim")
            _add_dependencies(amap, tree, key)
            _print_tree(console, tree, width, indent=2)
    console.print()
    console.print(Text("⇒ explicit (adopts a key result)   → directional   ⇢ peer dependency   ● status", style="dim"))
    # Rich pads table cells to the column width; trailing blanks help no one (and break diffs).
    return "\n".join(line.rstrip() for line in buffer.getvalue().split("\n"))
