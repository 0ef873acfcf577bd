"""``okrctl retro --format json``: a team's retro (and the file written, if any), or a unit's overview."""

from __future__ import annotations

from okrctl.render.envelope import render_json
from okrctl.views.retro import TeamRetro, UnitRetro


def render(view: TeamRetro | UnitRetro, *, color: bool = False, width: int = 100) -> str:
    if isinstance(view, TeamRetro):
        return render_json(view.day, {**view.to_dict(), "written": view.scaffolded})
    return render_json(view.day, view.to_dict())
