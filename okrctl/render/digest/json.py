"""``okrctl digest --format json``."""

from __future__ import annotations

from okrctl.render.envelope import render_json
from okrctl.views.digest import Digest


def render(view: Digest, *, color: bool = False, width: int = 100) -> str:
    return render_json(view.today, view.to_dict())
