"""What pydantic reports about a document, said as okrctl says everything else (OKR101).

pydantic's own words ("Input should be a valid list", "String should have at most 2000
characters", "List should have at least 1 item after validation, not 0") name neither the field's
meaning nor the fix. Each kind of error is said here in the user's terms: what was written, what
the field takes, and how to write it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping
from typing import Any

from okrctl.model.base import NUMBER_REACH, written

Path_ = tuple[Any, ...]

# How each item of these lists is written (a list item that is not a mapping).
_ITEM_SHAPES = {
    "key_results": "{id: …, title: …, baseline: …, target: …}",
    "priorities": "{id: …, title: …}",
    "aligns": "{to: …}",
    "depends_on": "{unit: …, need: …}",
    "rescoped": "{date: YYYY-MM-DD, note: …}",
    "cycles": "{id: …, start: YYYY-MM-DD, end: YYYY-MM-DD}",
}
# The lists whose items are mappings: in any other, `- a: b` is a text with a colon in it.
MAPPING_LISTS = frozenset(_ITEM_SHAPES)
# How the entries of these mappings are written.
_ENTRY_SHAPES = {
    "results": "one 'kr-id: value' line under it for each key result",
    "values": "one 'kr-id: value' line under it for each key result",
    "scores": "one 'kr-id: score' line under it for each key result (a score from 0 to 1)",
    "pace": "one 'YYYY-MM-DD: value' line under it for each point",
    "severity": "one 'CODE: error|warning|info' line under it for each code",
}
_VALUE_HINT = "write the key result's value: a number, true or false for a milestone, or {value: …, note: …}"
_SCORE_HINT = "write a score from 0 to 1, such as 0.7, or {score: 0.7, reason: …}"
_PAIR_HINT = "write [min, max], e.g. [2, 5]"
# Fields whose numbers lie between 0 and 1.
_SHARES = {"at_risk_gap", "off_track_gap"}
_SIMPLE_ITEM = re.compile(r"^\w[\w .%/+@-]{0,39}$")  # an item that [item] keeps as it is


def in_plain_words(
    kind: str,
    error: Mapping[str, Any],
    label: str,
    value: Any,
    loc: Path_,
    *,
    missing: object,
    shown: str | None = None,
) -> tuple[str, str] | None:
    """(message, hint) for one pydantic error at ``loc`` (cleaned) whose written value is ``value``
    (``missing`` when the document holds none there; ``shown``: how the file writes it, when YAML
    read it as a number or true/false); None for an error this does not know."""
    ctx = error.get("ctx") or {}
    what = "the value" if value is missing else (shown if shown is not None else written(value))
    field = next((part for part in reversed(loc) if isinstance(part, str)), "")
    container = loc[0] if loc else ""
    item = bool(loc) and isinstance(loc[-1], int)
    entry = len(loc) == 2 or (len(loc) == 3 and loc[2] in ("value", "score"))  # kr-id: x, or its {value: x}
    numeric = container in ("results", "values", "scores", "confidence") and kind in _TYPE_ERRORS
    if isinstance(value, float) and not math.isfinite(value) and (numeric or kind in _NUMBER_ERRORS):
        return _not_finite(label, value, what, container, kind)
    if kind in _TYPE_ERRORS and _beyond_a_float(value):
        # A whole number of more digits than a float holds (309 and up) is past every bound a number
        # okrctl takes has, as one of 20 digits is: said as that, not as "not a number".
        small = container == "scores" or field in _SHARES
        side = "less_than_equal" if value > 0 else "greater_than_equal"
        edge: float = (1 if small else NUMBER_REACH) if value > 0 else (0 if small else -NUMBER_REACH)
        return f"{label}: {what} {_BOUNDS[side]} {written(edge)}", _range_hint(container, field, side, edge)
    if container in ("results", "values") and entry and kind in _TYPE_ERRORS:
        return (f"{label}: empty" if value is None else f"{label}: {what} is not a value"), _VALUE_HINT
    if container == "scores" and entry and kind in _TYPE_ERRORS:
        return (f"{label}: empty" if value is None else f"{label}: {what} is not a score"), _SCORE_HINT
    if container == "confidence" and len(loc) == 1 and kind in _TYPE_ERRORS:
        return (
            f"{label}: empty" if value is None else f"{label}: {what} is not a number",
            "write the team's confidence as a number on the scale (0 to 10 unless okrctl.yaml says "
            "otherwise), or one for each objective: {objective-id: 7}",
        )
    if kind in _TYPE_ERRORS:
        expected, hint = _expected(kind, field, item, value, loc, what)
        if value is None:
            return f"{label}: empty", hint
        return f"{label}: {what} is not {expected}", hint
    if kind == "string_too_short":
        return f"{label}: empty text", ("write the item, or remove it" if item else f"write the text after '{field}:'")
    if kind == "string_too_long":
        most = int(ctx.get("max_length", 0))
        length = f"{len(value):,} characters" if isinstance(value, str) else "the text"
        return f"{label}: {length}, more than the {most:,} it takes", f"shorten it to at most {most:,} characters"
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if not choices:
            return None
        close = difflib.get_close_matches(value, choices, n=1, cutoff=0.6) if isinstance(value, str) else []
        hint = f"did you mean '{close[0]}'?" if close else f"write one of: {', '.join(choices)}"
        if value is None:  # "type:" with nothing after it
            return f"{label}: empty", hint
        return f"{label}: {what} is not one of {', '.join(choices)}", hint
    if kind in _BOUNDS:
        bound = next((ctx[name] for name in ("gt", "ge", "lt", "le") if name in ctx), None)
        if bound is None:
            return None
        return f"{label}: {what} {_BOUNDS[kind]} {written(bound)}", _range_hint(container, field, kind, bound)
    if kind == "finite_number":
        return f"{label}: {what} is not a number okrctl can use", "write a finite number, such as 42 or 7.5"
    if kind == "too_short":
        least = int(ctx.get("min_length", 1))
        if field == "priorities":
            return f"{label}: the list is empty", "list at least one priority: - {id: …, title: …}"
        return f"{label}: {_items(ctx.get('actual_length', 0))}", f"list at least {_items(least)}"
    if kind == "too_long":
        if field == "krs_per_objective":
            return f"{label}: {ctx.get('actual_length')} numbers, not a pair", _PAIR_HINT
        most = int(ctx.get("max_length", 0))
        return f"{label}: {_items(ctx.get('actual_length', 0))}, more than {most}", f"keep at most {_items(most)}"
    return None


def _beyond_a_float(value: Any) -> bool:
    """Whether ``value`` is a whole number no float holds (309 digits and more)."""
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    try:
        float(value)
    except OverflowError:
        return True
    return False


# Errors about a number that does not fit (a whole number, a finite one).
_NUMBER_ERRORS = frozenset({"finite_number", "float_type", "int_type", "int_from_float"})


def _not_finite(label: str, value: float, what: str, container: str, kind: str) -> tuple[str, str]:
    """``.nan``, ``.inf`` (or a number so large YAML reads it as infinity) where a number is taken:
    YAML 1.2 reads them as numbers, and okrctl computes only with finite ones."""
    if math.isnan(value):
        said = f"{what} is NaN ('not a number'), which okrctl cannot compute with"
    elif "inf" in what.lower():
        said = f"{what} is infinite, which okrctl cannot compute with"
    else:
        said = f"{what} is out of range: YAML reads it as infinity"
    if container in ("results", "values"):
        hint = "write the key result's value as a finite number, such as 42 or 7.5"
    elif container == "scores":
        hint = _SCORE_HINT
    elif kind in ("int_type", "int_from_float"):
        hint = "write a whole number, such as 7"
    else:
        hint = "write a finite number, such as 42 or 7.5"
    return f"{label}: {said}", hint


_TYPE_ERRORS = frozenset(
    {
        "string_type",
        "list_type",
        "tuple_type",
        "dict_type",
        "model_type",
        "model_attributes_type",
        "float_type",
        "int_type",
        "int_from_float",
        "bool_type",
    }
)
_BOUNDS = {
    "greater_than": "is not above",
    "greater_than_equal": "is below",
    "less_than": "is not below",
    "less_than_equal": "is above",
}


def _expected(kind: str, field: str, item: bool, value: Any, loc: Path_, what: str) -> tuple[str, str]:
    """(what the field takes, how to write it) for a value of the wrong type (``what``: the value
    as the message names it)."""
    if kind == "string_type":
        if isinstance(value, (bool, int, float)):
            return "text", f"write text; to keep {what} as text, quote it: '{what}'"
        if item:
            return "text", "write each item as one line of text (quoted if it starts with '[' or '{')"
        return "text", f"write one line of text after '{field}:' (quoted if it starts with '[' or '{{')"
    if kind == "list_type":
        if field in _ITEM_SHAPES and not item and value is not None and not isinstance(value, (dict, list)):
            # A list of mappings: "[x]" would only lead to "is not a mapping" next.
            shape = _ITEM_SHAPES[field]
            if field in ("aligns", "depends_on") and isinstance(value, str) and _SIMPLE_ITEM.match(value):
                shape = shape.replace("…", value, 1)  # the id written is where it goes
            return "a list", f"write a list of mappings, even of one: [{shape}]"
        if isinstance(value, str) and _SIMPLE_ITEM.match(value):
            return "a list", f"write a list, even of one item: [{value}]"
        if isinstance(value, dict):
            return "a list", "write a list: put '- ' before each item"
        return "a list", f"write a list after '{field}:': one '- item' line each, or [a, b] ([] for none)"
    if kind == "tuple_type":
        return "a pair [min, max]", _PAIR_HINT
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        if item and len(loc) >= 2 and loc[-2] in _ITEM_SHAPES:
            return "a mapping", f"write each item of {loc[-2]} as a mapping: {_ITEM_SHAPES[loc[-2]]}"
        if field in _ENTRY_SHAPES:
            return "a mapping", f"write {_ENTRY_SHAPES[field]}"
        return "a mapping", f"write its fields as 'name: value' lines indented under '{field}:'"
    if kind in ("int_type", "int_from_float"):
        if isinstance(value, float):
            return "a whole number", "write a whole number, such as 7"
        return "a number", "write a whole number, such as 7"
    if kind == "bool_type":
        return "true or false", "write true or false"
    return "a number", "write a number, such as 42 or 7.5"


def _range_hint(container: str, field: str, kind: str, bound: Any) -> str:
    if container == "scores":
        return "a score is from 0 to 1, such as 0.7"
    if field in _SHARES:
        return "write a share from 0 to 1, such as 0.15"
    if field == "weight":
        return "a weight is a number above 0 (1 when left out)"
    words = {
        "greater_than": "above",
        "greater_than_equal": "of at least",
        "less_than": "below",
        "less_than_equal": "of at most",
    }
    # A whole-number setting (days, a limit) has a whole-number bound.
    number = "a whole number" if isinstance(bound, int) and not isinstance(bound, bool) else "a number"
    return f"write {number} {words[kind]} {written(bound)}"


def _items(count: Any) -> str:
    number = int(count) if isinstance(count, (int, float)) else 0
    return "no items" if number == 0 else f"{number} item" + ("" if number == 1 else "s")
