"""``okrctl status --format json``."""

from __future__ import annotations

from okrctl.render.envelope import render_json
from okrctl.views.status import StatusView


def render(view: StatusView, *, color: bool = False, width: int = 100) -> str:
    return render_json(view.today, view.to_dict())
