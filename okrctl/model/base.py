"""Shared field types of every document kind."""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError

from okrctl.safetext import HIDDEN_FORMAT, clean
from okrctl.spelling import SpelledInt

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_SLUG_PART = r"[a-z0-9][a-z0-9-]{0,62}"
REF_PATTERN = rf"^{_SLUG_PART}(/{_SLUG_PART})?$"
CYCLE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}$"
_CYCLE_TEXT = re.compile(CYCLE_PATTERN)
API_VERSION = "okrctl/v1"

Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_PATTERN)]
# A unit, objective, strategy, or ``parent/child`` (a key result or a strategy priority).
Ref = Annotated[str, Strict(), StringConstraints(pattern=REF_PATTERN)]
# Text holds something to read: at least one character that is not white space (a title or a
# name of blanks would leave a heading, a table cell or a link on the site with no text).
# Control characters (written as YAML escapes: "\a", "\x7f") and the invisible format characters
# (``safetext.HIDDEN_FORMAT``, and the zero-width joiner and non-joiner, which alone join nothing)
# do not count either: every output removes them or shows nothing for them. The format characters
# drawn as signs over numbers in Arabic, Syriac and Kaithi are seen and kept: they count.
TEXT_PATTERN = rf"[^\s\x00-\x1f\x7f-\x9f\u200c\u200d{HIDDEN_FORMAT}]"
_TEXT = re.compile(TEXT_PATTERN)


def _visible(text: str) -> str:
    """``text`` (which TEXT_PATTERN matched) if something of it is left to read once the terminal
    escape sequences in it are gone (ESC [1m goes whole, its "[1m" with it): beyond a pattern of one
    character, and so beyond the JSON Schema. Else the pattern's error, which the loader says as
    ``name is blank: nothing visible is written``."""
    if "\x1b" not in text or _TEXT.search(clean(text)):
        return text  # (without ESC, the common case, the pattern has told already)
    raise PydanticCustomError(
        "string_pattern_mismatch", "String should match pattern '{pattern}'", {"pattern": TEXT_PATTERN}
    )


Text = Annotated[
    str, Strict(), StringConstraints(min_length=1, max_length=2000, pattern=TEXT_PATTERN), AfterValidator(_visible)
]
# Numbers okrctl computes with: finite, and within ±10^15. Past 2^53 (about 9·10^15) a float no
# longer holds every whole number, and the sums a forecast or a trend takes of squares of values
# near 10^154 overflow: such a value is a mistake (or a unit to change), said as one.
NUMBER_REACH = 1e15
Number = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=-NUMBER_REACH, le=NUMBER_REACH)]

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits alone, the whole text (no "\n" after it)
# Other spellings of a day whose ISO form is certain (the year first): 2026/03/06, 2026.3.6,
# 2026-3-6, 20260306, a timestamp. A day first (06/03/2026) could be March or June: never guessed.
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_YEAR_FIRST_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_TIMESTAMP = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[Tt ]\d")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
DATE_HINT = "write the date as YYYY-MM-DD, e.g. 2026-03-06"


class FieldProblem(ValueError):
    """A value that does not fit its field, in okrctl's words, with how to write it (``hint``); the
    loader shows both (``load.documents.schema_findings``)."""

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        names: str = "",
        each: tuple[tuple[tuple[Any, ...], str, str], ...] = (),
    ) -> None:
        super().__init__(message)
        self.hint = hint
        # How the message, which starts with it, names the value (``written``): the loader says
        # it as the file writes it instead (``0x1F``, not 31).
        self.names = names
        # One check of a whole field that finds the problem in several of its parts (every cycle
        # declared again): (the place inside the field, message, hint) of each, which the loader
        # reports one by one where each is written. ``message`` and ``hint`` say the first.
        self.each = each


def _iso_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` text (or a date): never timestamps or other date spellings."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise FieldProblem(f"'{value}' is not a date: {_no_such_day(value)}", DATE_HINT) from None
    if value is None:
        raise FieldProblem("empty", DATE_HINT)
    raise FieldProblem(f"{written(value)} is not a date", _date_hint(value), names=written(value))


def _no_such_day(text: str) -> str:
    """Why an ISO-shaped text names no day: its year, its month, or the days its month has."""
    year, month, day = (int(part) for part in text.split("-"))
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    if year == 0:
        return "there is no year 0"
    if day == 0:
        return "there is no day 0"
    return f"{_MONTHS[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days"


SHOWN = 60  # characters of a text value quoted in a message


def written(value: Any) -> str:
    """A value from a file as a message names it: text quoted (one line, at most SHOWN characters),
    a number or true/false as written, else what it is (an empty value, a list, a mapping)."""
    from okrctl.safetext import shown_path

    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, str):
        text = shown_path(value)
        return "'" + (text if len(text) <= SHOWN else text[: SHOWN - 1] + "…") + "'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "this value"


def _number_text(value: float) -> str:
    if isinstance(value, float) and not math.isfinite(value):
        return "infinity" if not math.isnan(value) else "NaN"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = str(value)
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _date_hint(value: Any) -> str:
    """The ISO form of a day written another way with the year first, else how to write a date."""
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    found = _YEAR_FIRST.match(text)
    parts = (found[1], found[3], found[4]) if found else None
    if parts is None and (found := _YEAR_FIRST_DIGITS.match(text)):
        parts = (found[1], found[2], found[3])
    timestamp = _TIMESTAMP.match(text) if parts is None else None
    if timestamp is not None:
        parts = (timestamp[1], timestamp[2], timestamp[3])
    if parts is None:
        return DATE_HINT
    try:
        day = date(*(int(part) for part in parts))
    except ValueError:
        return DATE_HINT
    return f"did you mean {day.isoformat()}? a date is written YYYY-MM-DD" + (", without a time" if timestamp else "")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _cycle_id(value: Any) -> Any:
    # A bare year may be written unquoted: YAML reads it as an integer, whose digits are the id.
    if isinstance(value, SpelledInt):
        # 0x7EA, 0o3752, +2026, 02026: a number all the same, but its digits are not what the file
        # says, and 0x7EA must not pass as the cycle 2026 (nor 0000 as a cycle '0').
        raise FieldProblem(
            f"{value.written} is the number {int(value)}, not a cycle id", _spelled_hint(value), names=value.written
        )
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _spelled_hint(value: SpelledInt) -> str:
    ways = []
    if 1 <= value <= 9999:
        ways.append(f"write the year in digits alone ({int(value)})")
    if _CYCLE_TEXT.match(value.written):
        ways.append(f'quote it ("{value.written}") if a cycle has that id')
    if not ways:
        return "a cycle id is letters, digits and '-' (2026, 2026-Q4, 2026-H1, or one declared under 'cycles')"
    return ", or ".join(ways)


CycleId = Annotated[
    str,
    BeforeValidator(_cycle_id),
    Strict(),
    StringConstraints(pattern=CYCLE_PATTERN),
    # Editors must accept ``cycle: 2026`` too, and any unquoted number ``align`` takes as an id
    # (``cycle: 7`` for a declared cycle "7"; an unknown one is OKR104, not a schema error).
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": CYCLE_PATTERN}, {"type": "integer", "minimum": 0}]}),
]


def _known_rule_code(value: str) -> str:
    import difflib

    from okrctl.catalog import RULES, matching, normal_code

    if value not in RULES:
        normal = normal_code(value)
        if normal in RULES:
            hint = f"write the whole code: {normal}"
        elif matching(normal):
            hint = f"name whole codes here; a prefix such as {normal} works on the command line (--ignore {normal})"
        else:
            close = difflib.get_close_matches(normal, list(RULES), n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else "'okrctl rules' lists the codes"
        raise FieldProblem(f"unknown rule code {value!r}", hint)
    return value


def _rule_code_schema() -> dict[str, Any]:
    from okrctl.catalog import RULES

    return {"type": "string", "enum": list(RULES)}


# An editor must refuse an unknown code too, as align does (OKR101).
RuleCode = Annotated[str, Strict(), AfterValidator(_known_rule_code), WithJsonSchema(_rule_code_schema())]
SeverityName = Literal["error", "warning", "info"]


class Strict_(BaseModel):
    """Base of every model: unknown fields are errors, so typos never pass."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(Strict_):
    """Common head of every document."""

    api_version: Literal["okrctl/v1"] = Field(alias="apiVersion")


def empty_list() -> Any:
    """A field whose default is a new empty list. pydantic deep-copies a mutable default (``= []``)
    for every document that leaves the field out; a factory is called instead, and the schema still
    says the default."""
    return Field(default_factory=list, json_schema_extra={"default": []})


def empty_dict() -> Any:
    """``empty_list`` for a mapping."""
    return Field(default_factory=dict, json_schema_extra={"default": {}})
