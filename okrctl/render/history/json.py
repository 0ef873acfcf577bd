"""``okrctl history --format json``."""

from __future__ import annotations

from datetime import date

from okrctl.analysis.history import History
from okrctl.render.envelope import render_json


def render(history: History, *, color: bool = False, width: int = 100) -> str:
    return render_json(history.today or date.today(), history.to_dict())
