"""The alignment map as JSON: nodes, links (child → parent), peer dependencies, orphans."""

from __future__ import annotations

from okrctl.render.envelope import render_json
from okrctl.views.map import AlignmentMap


def render(amap: AlignmentMap, *, color: bool = False, width: int = 100) -> str:
    return render_json(amap.day, amap.to_dict())
