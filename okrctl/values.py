"""Key result values as people write them, and whether a value is believable.

One parser for every way a value comes in (``--result`` flags, the check-in prompts, the files of
``measure`` and ``checkin --values-from``): it takes what is unambiguous — a ``%`` suffix on a KR
measured in %, thousands written ``1,325`` or ``1 325``, a leading ``+`` — and refuses what a
reader could take two ways (``1,5``), saying which forms it accepts.

A value is *far off* (see :func:`far_off`) when a metric KR's value lies beyond its baseline and
its target by more than the whole baseline → target distance: for 65% → 90% anything below 40 or
above 115. That catches the slipped digit (810 for 81, 9 for 90) and leaves every honest
overshoot of up to a whole plan alone. A big jump between two values inside that range is not
judged: a release landing moves a metric that much, and a typo there is still a believable number.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from okrctl.render import numbers
from okrctl.safetext import shown_value

# Thousands separators: a comma, a space, a no-break space, a narrow no-break or thin space.
_SEPARATORS = ", \u00a0\u202f\u2009"
_NUMBER = re.compile(
    r"""^(?P<sign>[+\-\u2212]?)
    (?P<int>\d{1,3}(?P<sep>[,\u0020\u00a0\u202f\u2009])\d{3}(?:(?P=sep)\d{3})*|\d*)
    (?P<frac>\.\d*)?
    (?P<exp>[eE][+\-]?\d+)?$""",
    re.VERBOSE | re.ASCII,  # digits 0-9 only: float() would read ٨١ or ３２０, YAML and align would not
)
_TRUE_WORDS = {"true", "yes", "y", "done"}
_FALSE_WORDS = {"false", "no", "n", "not done"}


class NumberError(ValueError):
    """A value that is not a number, or one that could be read two ways; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def accepted_forms(unit: str | None = None) -> str:
    forms = "1325, 1325.5, 1,325 or 1 325 (thousands), +12, -3"
    if unit == "%":
        forms += ", 38%"
    return forms


def parse_number(text: str, unit: str | None = None, *, confidence: bool = False) -> float:
    """``text`` as a number; a ``%`` suffix only when ``unit`` is ``%``. ``confidence``: the number
    is a confidence (a ``%`` is then said to be no part of one, not of a key result).

    Raises :class:`NumberError` with a message that shows the accepted forms.
    """
    raw = text.strip()
    body = raw
    if body.endswith("%"):
        if confidence:
            raise NumberError(
                f"'{shown_value(raw)}': a % sign, but a confidence is a number on the team's scale; write it alone"
            )
        if unit != "%":
            where = f"the key result is measured in {unit!r}" if unit else "the key result has no unit %"
            raise NumberError(f"'{shown_value(raw)}': a % sign, but {where}; write the number alone")
        body = body[:-1].rstrip()
    match = _NUMBER.match(body)
    if match is None or not (match["int"] or (match["frac"] or "")[1:]):
        if re.fullmatch(r"[+\-\u2212]?[0-9]+([.,\s][0-9]+)*", body):
            # 1,5 or 1.325,5 or 1 32: a separator a reader could take for a decimal comma.
            raise NumberError(
                f"'{shown_value(raw)}' is ambiguous: write a decimal with a point (1.5) and thousands in groups of "
                f"three (1,500 or 1 500); accepted: {accepted_forms(unit)}"
            )
        raise NumberError(f"'{shown_value(raw)}' is not a number; accepted: {accepted_forms(unit)}")
    digits = match["int"]
    for separator in _SEPARATORS:
        digits = digits.replace(separator, "")
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    number = float(f"{sign}{digits or '0'}{match['frac'] or ''}{match['exp'] or ''}")
    _within_reach(number, f"'{shown_value(raw)}'")  # (digits past any float, 1e400, read as infinity: beyond reach too)
    return number


def _within_reach(number: float, shown: str) -> None:
    """Refuses a value the models would refuse (beyond ±10^15) while it can still be asked again,
    not once every other answer is typed and the document is validated."""
    from okrctl.model.base import NUMBER_REACH

    if abs(number) > NUMBER_REACH:
        reach = numbers.plain(NUMBER_REACH)
        raise NumberError(f"{shown} is beyond what okrctl keeps (-{reach} to {reach}); write it in a larger unit")


def parse_value(kr: Any, text: str) -> float | bool:
    """A KR's value: a number for metric and maintain KRs; done/not done or a fraction for milestones.

    A milestone takes ``true/false/yes/no/done/not done``, a fraction 0..1 or a share such as ``40%``.
    """
    if kr.type == "milestone":
        word = text.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        try:
            number = parse_number(text, "%") if word else None
        except NumberError:
            number = None
        if number is not None and word.endswith("%"):
            number /= 100
        if number is None or not 0 <= number <= 1:
            raise NumberError(
                f"'{shown_value(text.strip())}' is not done/not done (true, false, yes, no, done), a fraction 0..1 or a share 0%..100%"
            )
        return number
    return parse_number(text, getattr(kr, "unit", None))


def from_data(kr: Any, value: Any) -> float | bool:
    """A value read from a JSON or YAML file: numbers as they are, text through :func:`parse_value`."""
    if isinstance(value, bool):
        if kr.type != "milestone":
            raise NumberError(f"{str(value).lower()} is not a number")
        return value
    if isinstance(value, int) and value.bit_length() > 60:
        # Past any float (a 400-digit integer): named by its size, never printed whole.
        _within_reach(math.inf, f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits")
    if isinstance(value, (int, float)):
        number = float(value)
        if math.isnan(number):
            raise NumberError("nan is not a number")
        # YAML and JSON read digits past any float (1e400) as infinity, as they read .inf
        _within_reach(
            number, numbers.plain(number) if math.isfinite(number) else f"{'-' if number < 0 else ''}infinity"
        )
        if kr.type == "milestone" and not 0 <= number <= 1:
            raise NumberError(f"{value!r}: a milestone takes done/not done or a fraction 0..1")
        return number
    if isinstance(value, str):
        return parse_value(kr, value)
    # Named as the file writes it (null, a list, a mapping, a date), never by its Python type.
    if value is None:
        raise NumberError("null is not a number")
    if isinstance(value, (list, dict)):
        raise NumberError(f"{'a list' if isinstance(value, list) else 'a mapping'} is not a number")
    raise NumberError(f"'{shown_value(value)}' is not a number")


# ----- careful numbers ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FarOff:
    value: float
    message: str  # "810 is 9× the target 90" …
    low: float  # the believable range: baseline and target widened by their distance
    high: float


def far_off(kr: Any, value: float | bool | None, written: str | None = None) -> FarOff | None:
    """Whether a metric KR's ``value`` lies beyond baseline and target by more than their distance;
    the message names the value as ``written`` when given (the file's own text)."""
    if kr.type != "metric" or value is None or isinstance(value, bool):
        return None
    baseline, target = kr.baseline, kr.target
    if baseline is None or target is None or baseline == target:
        return None
    distance = abs(target - baseline)
    low, high = min(baseline, target), max(baseline, target)
    if low - distance <= value <= high + distance:
        return None
    said = written or numbers.plain(value)
    if target != 0 and value / target >= 2:
        times = value / target
        shown = f"{times:.0f}" if times >= 10 else f"{times:.1f}".rstrip("0").rstrip(".")
        message = f"{said} is {shown}× the target {numbers.plain(target)}"
    else:
        nearest = "target" if abs(value - target) < abs(value - baseline) else "baseline"
        edge = target if nearest == "target" else baseline
        side = "above" if value > edge else "below"
        message = (
            f"{said} is {_gap(value, edge)} {side} the {nearest} {numbers.plain(edge)}, more than the whole "
            f"distance {numbers.plain(baseline)} → {numbers.plain(target)}"
        )
    return FarOff(float(value), message, low - distance, high + distance)


def _gap(value: float, edge: float) -> str:
    """How far apart two values are, as their decimals written say: 106.1 and 88 are 18.1 apart
    (a float subtraction gives 18.099999999999994)."""
    return numbers.plain(float(abs(Decimal(repr(float(value))) - Decimal(repr(float(edge))))))
