"""``okrctl retro --format markdown``."""

from __future__ import annotations

from okrctl.render.outline import render_markdown
from okrctl.render.retro.outline import team_outline, unit_outline
from okrctl.views.retro import TeamRetro, UnitRetro


def render(view: TeamRetro | UnitRetro, *, color: bool = False, width: int = 100) -> str:
    return render_markdown(team_outline(view) if isinstance(view, TeamRetro) else unit_outline(view))
