"""``okrctl retro`` as text for the terminal (a team's pre-read, or a unit's overview)."""

from __future__ import annotations

from okrctl.render.outline import render_text
from okrctl.render.retro.outline import team_outline, unit_outline
from okrctl.views.retro import TeamRetro, UnitRetro


def render(view: TeamRetro | UnitRetro, *, color: bool = False, width: int = 100) -> str:
    doc = team_outline(view) if isinstance(view, TeamRetro) else unit_outline(view)
    return render_text(doc, color=color, width=width)
