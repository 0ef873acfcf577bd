"""``okrctl plan --format json``: the pre-read's data and the draft written, if any."""

from __future__ import annotations

from datetime import date

from okrctl.render.envelope import render_json
from okrctl.views.plan import PlanView, to_dict


def render(view: PlanView, *, color: bool = False, width: int = 100) -> str:
    return render_json(
        view.today or date.today(),
        {
            **to_dict(view),
            "written": view.scaffolded,
            "existing_draft": view.existing_draft,
            "blocked_draft": view.blocked_draft,
        },
    )
