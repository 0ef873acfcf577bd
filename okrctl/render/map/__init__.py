"""Renderers of the alignment map: one module per format, each ``render(amap, *, color, width) -> str``."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from okrctl.views.map import AlignmentMap

FORMATS: dict[str, str] = {
    "text": "okrctl.render.map.text",
    "mermaid": "okrctl.render.map.mermaid",
    "dot": "okrctl.render.map.dot",
    "json": "okrctl.render.map.json",
}


class MapRenderer(Protocol):
    def __call__(self, amap: AlignmentMap, *, color: bool, width: int) -> str: ...


def renderer(name: str) -> MapRenderer:
    return importlib.import_module(FORMATS[name]).render  # type: ignore[no-any-return]
