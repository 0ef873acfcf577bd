"""The alignment map as JSON: nodes, links (child → parent), peer dependencies, orphans."""

from __future__ import annotations

import json

from okrctl.views.map import AlignmentMap


def render(amap: AlignmentMap, *, color: bool = False, width: int = 100) -> str:
    return json.dumps(amap.to_dict(), indent=2, ensure_ascii=False) + "\n"
