"""The one JSON renderer: every ``--format json`` is ``{"okrctl": version, "today": day, …payload}``."""

from __future__ import annotations

import json
import math
import re
from datetime import date
from typing import Any

from okrctl.render.numbers import non_finite_text
from okrctl.safetext import HIDDEN_FORMAT

# Characters a terminal obeys or hides (DEL and C1 controls, the format characters that hide or
# reorder text: bidi marks, embeddings, overrides and isolates, zero-width and tag characters, with
# the joiners; line and paragraph separators): written as ``\uXXXX`` escapes (a pair of them above
# U+FFFF, as JSON spells such a character). A program reading the JSON gets the very text; a
# terminal showing it gets none of them. (json escapes the C0 controls itself.)
_UNSAFE_IN_JSON = re.compile(f"[\x7f-\x9f\u200c\u200d\u2028\u2029{HIDDEN_FORMAT}]")


def _json_escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def dumps(payload: Any, *, indent: int | None = 2) -> str:
    """``payload`` as JSON text, UTF-8 kept as is but for the characters of ``_UNSAFE_IN_JSON`` and
    the second ``#`` of ``##[``."""
    try:
        text = json.dumps(payload, indent=indent, ensure_ascii=False, allow_nan=False)
    except ValueError:  # NaN or an infinity, which JSON has no number for: as YAML writes them
        text = json.dumps(_finite(payload), indent=indent, ensure_ascii=False, allow_nan=False)
    # ``##[`` stands only in a string: the second ``#`` as an escape, which every reader of JSON
    # reads back as ``#``, is no workflow command where the JSON is shown in a CI log (``safetext.inert``).
    return _UNSAFE_IN_JSON.sub(_json_escape, text).replace("##[", "#\\u0023[")


def _finite(value: Any) -> Any:
    """``value`` with every number that is not finite written as YAML spells it (``.nan``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return non_finite_text(value)
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


def envelope(today: date | str, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload after the version that wrote it and the day it describes."""
    from okrctl import __version__

    day = today.isoformat() if isinstance(today, date) else today
    return {"okrctl": __version__, "today": day, **payload}


def render_json(today: date | str, payload: dict[str, Any]) -> str:
    """The envelope as indented JSON (UTF-8 text kept as is), ending in a newline."""
    return dumps(envelope(today, payload)) + "\n"
