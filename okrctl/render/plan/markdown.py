"""``okrctl plan --format markdown``."""

from __future__ import annotations

from okrctl.render.outline import render_markdown
from okrctl.render.plan.outline import outline
from okrctl.views.plan import PlanView


def render(view: PlanView, *, color: bool = False, width: int = 100) -> str:
    return render_markdown(outline(view))
