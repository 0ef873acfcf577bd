"""The one JSON renderer: every ``--format json`` is ``{"okrctl": version, "today": day, …payload}``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any


def envelope(today: date | str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload after the version that wrote it and the day it describes."""
    from okrctl import __version__

    day = today.isoformat() if isinstance(today, date) else today
    return {"okrctl": __version__, "today": day, **payload}


def render_json(today: date | str, payload: dict[str, Any]) -> str:
    """The envelope as indented JSON (UTF-8 text kept as is), ending in a newline."""
    return json.dumps(envelope(today, payload), indent=2, ensure_ascii=False) + "\n"
