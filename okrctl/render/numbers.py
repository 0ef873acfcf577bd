"""Numbers as okrctl shows them: the one module every renderer (and every message) formats numbers with.

* :func:`number` — a value as people type it, thousands grouped: ``1,075``, ``27.8``, ``0.125``;
  with the KR's unit ``79%`` or ``332 tickets/week`` (:func:`with_unit`: only ``%`` joins).
* :func:`plain` — a value as written in a file or a message: ``7`` rather than ``7.0``, no grouping,
  every digit kept (``1234.5678``).
* :func:`count` — a count, always an integer: ``1,204``; :func:`counted` with its noun: ``1 week``,
  ``3 weeks``.
* :func:`measured` — a KR value at the precision the KR is written with (:func:`decimals_of`):
  ``2,765`` users rather than ``2,765.16``, ``24.6%``, ``7.57`` minutes.
* :func:`projected` — a forecast, as :func:`measured`, never as a target it falls short of: ``49.8``
  beside a target of 50.
* :func:`compact` — a value in a chart's narrow label: ``1.41M``, ``12.3K``, ``2,765``, ``1.74e15``,
  ``2.49e-5``, ``-1.25e-4``.
* :func:`percent` — a share in [0, 1] as a whole percentage: ``79%``.
* :func:`signed` / :func:`delta` — a change: ``+0.4``, ``−3``, ``±0`` (a real minus sign).
* :func:`slope` — a confidence slope, two decimals always: ``+0.06``, ``−0.50``, ``±0``.
* :func:`fixed` — a score with a fixed number of decimals: ``0.70``.

It imports nothing from okrctl, so every layer may use it (the layering test allows exactly this
module of ``render/`` below ``render``): a number reads the same in a table, a rule's message and a
commit message.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

EMPTY = "—"
MINUS = "−"  # U+2212: lines up with a plus sign in a column


def half_up(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` decimals, thousands grouped, rounded half up as a person does
    (80.625 → ``80.63``, 62.5 → ``63``) and as scores are (``metrics.round_half_up``): the float is
    read as the shortest decimal that gives it back, so 0.1 + 0.2 is 0.3, not a tie."""
    if isinstance(value, int) and abs(value) >= 1e15:
        # Exactly as written: an integer past a float's range (a setting of 400 digits) has no float.
        return f"{value:,}" + ("." + "0" * decimals if decimals else "")
    if not math.isfinite(value) or abs(value) >= 1e15:
        return f"{value:,.{decimals}f}"
    # Rounded to 12 decimals first, as scores are: 0.575 * 100 is 57.49999999999999, meant as 57.5.
    # Below 0.1, to twelve significant digits instead: twelve decimals would round 0.0000000123496
    # a first time (to 0.00000001235), and the value a second time to 0.0000000124.
    noise = max(12, 11 - math.floor(math.log10(abs(value)))) if value else 12
    exact = Decimal(repr(round(float(value), noise))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{exact:,.{decimals}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.,") else text  # never "-0"


def number(
    value: float | None,
    unit: str | None = None,
    *,
    empty: str = EMPTY,
    fraction_digits: int | None = None,
    short_of: float | None = None,
) -> str:
    """``79``, ``35.5``, ``0.125``; with a unit ``79%`` or ``332 tickets/week``.

    From 1 up, up to two decimals, thousands grouped; below 1, three significant digits, or with
    ``fraction_digits`` up to that many decimals instead. A value ``short_of`` a target or outside
    a bound never reads as it (:func:`_apart`): 99.896 outside a bound of 99.9 reads ``99.896``.
    """
    if value is None:
        return empty
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if abs(value) >= 1 or fraction_digits is not None:
        decimals = 2 if abs(value) >= 1 else fraction_digits
        text = _apart(value, half_up(value, decimals or 0), short_of, decimals or 0)
        if decimals:
            text = text.rstrip("0").rstrip(".")
    else:
        text = _three_digits(value)
        if value:
            text = _apart(value, text, short_of, 2 - math.floor(math.log10(abs(value))))
    if text in ("-0", "-0.0"):
        text = "0"
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def _three_digits(value: float) -> str:
    """A value below 1 to three significant digits, written out as people write it (``0.00005``,
    never ``5e-05``), rounded half up as :func:`half_up` rounds and as :func:`measured` shows the
    same value: 0.2345 reads ``0.235`` and 0.03125 ``0.0313`` in every output. Past fifteen zeros
    after the point no one counts them: ``1e-16`` stays as Python writes it."""
    if not value:
        return "0"
    places = 2 - math.floor(math.log10(abs(value)))  # the places ``decimals_of`` gives a value below 1
    exact = Decimal(repr(float(value)))
    if exact.adjusted() < -15:
        return f"{exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize():e}"
    text = half_up(value, places)  # rounded once: 0.0000000123496 reads 0.0000000123
    return text.rstrip("0").rstrip(".") if "." in text else text


def with_unit(value: float | None, unit: str | None, *, short_of: float | None = None) -> str:
    """Only a percent sign joins the number: other units are shown once, with the KR's range."""
    text = number(value, short_of=short_of)
    return f"{text}%" if unit == "%" and value is not None else text


def decimals_of(*values: float | None, most: int = 2) -> int:
    """How many decimals a KR's numbers are written with (``65`` → 0, ``27.8`` → 1, ``7.65`` → 2),
    at most ``most`` from 1 up: a forecast or an expected value is shown as precisely as the team
    measures. A value below 1 asks for three significant digits, as :func:`number` shows it
    (``0.0031`` → 4): an error rate of 0.005% must not read 0%."""
    found = 0
    for value in values:
        if value is None or isinstance(value, bool):
            continue
        number = abs(float(value))
        if number.is_integer() or not math.isfinite(number):
            continue  # a whole number has no decimals (most values of a chart's series are)
        if number >= 1 and found >= most:
            continue  # no value from 1 up can ask for more
        # Rounded half up as the value is then shown: 1.005 has two decimals, not none ("1.00").
        places = most if number >= 1 else min(12, 2 - math.floor(math.log10(number)))
        text = half_up(number, places).rstrip("0")
        found = max(found, len(text.split(".", 1)[1]) if "." in text else 0)
    return found


def projected_decimals(value: float | None, decimals: int) -> int:
    """The decimals a forecast is shown with: its KR's (``decimals``, of the numbers the team
    wrote), and below 1 no fewer than its own three significant digits, as ``okrctl status`` shows
    it. A forecast is projected, not written: a rate written 0.05 → 0.023 may be forecast at
    0.000302, which the KR's three decimals read as 0."""
    if value is None or isinstance(value, bool) or not math.isfinite(value) or abs(value) >= 1:
        return decimals
    return max(decimals, decimals_of(value))


def projected(value: float | None, unit: str | None = None, *, decimals: int, short_of: float | None = None) -> str:
    """A forecast as every output writes it (``status``, ``report``, ``site``): as :func:`measured`
    at :func:`projected_decimals`. One short of its target (``short_of``) never reads as the target:
    where the KR's precision would round it onto the target, it keeps the first decimal that tells
    them apart, as :func:`percent` keeps a tenth: 49.82 reads ``49.8`` beside a target of 50 (at
    99.1%), not ``50``; 49.996 reads ``49.996`` beside 50.00."""
    places = projected_decimals(value, decimals)
    if value is not None and short_of is not None and json_value(value) == json_value(short_of):
        short_of = None  # a float's noise off the target is the target (as JSON gives it)
    return measured(value, unit, decimals=places, short_of=short_of)


def measured(
    value: float | None, unit: str | None = None, *, decimals: int, empty: str = EMPTY, short_of: float | None = None
) -> str:
    """A KR value at the KR's own precision, thousands grouped, a percent sign joined:
    ``2,765`` (users), ``24.6%``, ``7.57``. Other units are shown with the KR's range. A value
    ``short_of`` a target or outside a bound never reads as it (:func:`_apart`)."""
    if value is None:
        return empty
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if abs(value) >= 1:
        # The decimals a value below 1 asked for (0.00012: 5) are its own: from 1 up, two at most,
        # as ``decimals_of`` counts them and ``number`` shows them (5,000.46, not 5,000.45679).
        decimals = min(decimals, 2)
    text = _apart(value, half_up(value, decimals), short_of, decimals)
    if decimals:
        text = text.rstrip("0").rstrip(".")  # 24.0 → 24, 8.20 → 8.2: as a person writes them
    if text.lstrip("-").strip("0.,") == "":
        text = text.lstrip("-")  # no "-0"
    return f"{text}%" if unit == "%" else text


def _apart(value: float, text: str, other: float | None, places: int) -> str:
    """``text``, ``value`` written with ``places`` decimals; or, where those would write it as
    ``other`` (a target it falls short of, a bound it is outside of), ``value`` with the first
    decimal that tells the two apart, as :func:`percent` keeps a tenth: 49.996 reads ``49.996``
    beside a target of 50, 0.9986 ``0.9986`` outside a bound of 0.999."""
    if other is None or value == other or half_up(value, places) != half_up(other, places):
        return text
    while places < 12:
        places += 1
        if half_up(value, places) != half_up(other, places):
            return half_up(value, places).rstrip("0").rstrip(".")
    return text


_SCALES = (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3))


# Characters a chart's label has beside the plot: 0.000125 (47.7 px at 10 px in Chromium) fits the
# 48 px left of the plot and the 50 right of it; -0.000125 (51.3 px) and 0.0004889 (54.1) did not.
# A minus sign, a point and an "e" are narrower than a digit, so no label of eight characters that
# ``compact`` writes below 1,000 is wider than 0.000125.
LABEL_CHARS = 8


def compact(
    value: float | None, *, decimals: int, empty: str = EMPTY, digits: int = 3, short_of: float | None = None
) -> str:
    """A value in a chart's label, which has room for about eight characters (:data:`LABEL_CHARS`):
    from 10,000 up, ``digits`` significant digits and a scale (``12.3K``, ``1.41M``, ``2.5B``); past
    the largest scale (what reads 1,000T or more), the same digits in scientific form (``1.74e15``);
    from 1,000 up, whole; below, as :func:`measured`, except that below 0.0001 the digits it keeps
    are written in scientific form (``2.49e-5``, not ``0.0000249``), and that a label longer than
    the room keeps as many of its digits as fit (:func:`_within_room`: ``-1.25e-4``, not
    ``-0.000125``). A label with the target or bound it falls ``short_of`` (a forecast's, a value's)
    is written as :func:`projected` writes it while it is written out (below 10,000): never as it.
    Tables and the chart's title keep the full value."""
    if value is None:
        return empty
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    size = abs(value)
    if size < 1_000:
        text = (
            measured(value, decimals=decimals)
            if short_of is None
            else projected(value, decimals=decimals, short_of=short_of)
        )
        if size < 1e-4:
            text = _small_scientific(text)
        return text if len(text) <= LABEL_CHARS else _within_room(value, text)
    if size < 10_000:
        text = measured(value, decimals=0) if short_of is None else projected(value, decimals=0, short_of=short_of)
        return text if len(text) <= LABEL_CHARS else measured(value, decimals=0)
    index = next(i for i, (_, scale) in enumerate(_SCALES) if size >= scale)
    suffix, scale = _SCALES[index]
    scaled = size / scale
    text = half_up(scaled, max(0, digits - 1 - math.floor(math.log10(scaled))))
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    sign = "-" if value < 0 else ""
    if float(text.replace(",", "")) >= 1_000:
        if not index:
            # No scale above T that people read at a glance (a "Q" or a "P" would be guessed at):
            # 1,742T would be four digits where every other label has three.
            return sign + _scientific(size, digits)
        suffix, text = _SCALES[index - 1][0], "1"  # 999,999 reads 1M, not 1,000K
    return f"{sign}{text}{suffix}"


def _small_scientific(text: str) -> str:
    """A value below 0.0001 as :func:`measured` wrote it, in scientific form with the same digits:
    ``0.0000249`` reads ``2.49e-5``, ``-0.00001`` ``-1e-5``. Written out, three significant digits
    take nine characters, and Chromium cut the last of them at a chart's edge ("0.000024|9"). What
    the precision rounds to 0.0001 (``0.0001``) or to zero (``0``) stays as written."""
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    exact = Decimal(digits.replace(",", ""))
    if not exact or exact >= Decimal("0.0001"):
        return text
    mantissa = f"{exact.scaleb(-exact.adjusted()):f}"
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{sign}{mantissa}e{exact.adjusted()}"


def _within_room(value: float, text: str) -> str:
    """A label below 1,000 that ``compact`` wrote longer than :data:`LABEL_CHARS` (a minus sign
    counted), as the most of its significant digits that fit: written out when that fits, else in
    scientific form. A key result whose target is 0.0000249 gives every value seven decimals, and
    its forecast of 0.000489 read ``0.0004889``: it reads ``4.889e-4``, -0.000125 ``-1.25e-4``,
    -0.0004889 ``-4.89e-4``. Below 0.0001 only the scientific form is used, as ``compact`` does."""
    sign = "-" if value < 0 else ""
    size = abs(value)
    kept = len(Decimal(text.lstrip("-").replace(",", "")).as_tuple().digits)
    for digits in range(kept, 0, -1):
        if size >= 1e-4:
            places = max(0, digits - 1 - math.floor(math.log10(size)))
            written = half_up(size, places)
            if "." in written:
                written = written.rstrip("0").rstrip(".")
            if len(sign + written) <= LABEL_CHARS:
                return sign + written
        if len(sign + _scientific(size, digits)) <= LABEL_CHARS:
            return sign + _scientific(size, digits)
    return text  # not reached: one digit in scientific form (-1e-12) always fits


def _scientific(size: float, digits: int) -> str:
    """A positive value as ``1.74e15``: ``digits`` significant digits rounded half up as
    :func:`half_up` rounds (the float read as the shortest decimal that gives it back), trailing
    zeros dropped; 9.995e15 reads ``1e16``, the exponent being the rounded value's."""
    exact = Decimal(repr(size)) if isinstance(size, float) else Decimal(size)
    rounded = exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1), rounding=ROUND_HALF_UP)
    mantissa = f"{rounded.scaleb(-rounded.adjusted()):f}"
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{rounded.adjusted()}"


def significant(value: float, digits: int = 3) -> float:
    """``value`` to ``digits`` significant digits, never dropping whole units (2765.16 → 2765)."""
    if value == 0 or not math.isfinite(value):
        return value
    places = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return round(value, places)


# Significant digits a key result's value keeps in JSON: well past what any KR is written with (the
# text shows two decimals at most from 1 up), and well short of a float's last digits, so a
# least-squares forecast of 262.49999999999997 reads 262.5.
VALUE_DIGITS = 12


def json_value(value: float | None) -> float | None:
    """A value in a key result's own unit (a forecast, an expected value) as JSON gives it:
    :data:`VALUE_DIGITS` significant digits, never a fixed number of decimals, which would read a
    forecast of 0.0000371 as 0.0 (ratios, in [0, 1], are the ones rounded to 4 decimals)."""
    return None if value is None else significant(value, VALUE_DIGITS)


def plain(value: float | None, *, empty: str = "?") -> str:
    """A value as written in a file: ``65`` rather than ``65.0``, ``6.5``, every digit kept."""
    if value is None:
        return empty
    value = float(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    text = repr(value)
    # A small value is written out as in a file (``0.00005``), not as Python writes it (``5e-05``).
    return f"{Decimal(text):f}" if "e-" in text and Decimal(text).adjusted() >= -15 else text


def count(value: int | float) -> str:
    """A count: an integer, thousands grouped (``1,204``), never ``3.0``."""
    return f"{round(value):,d}"


def counted(value: int, word: str) -> str:
    """A count with its noun, singular for one: ``1 week``, ``2 weeks``, ``1,204 days``."""
    return f"{count(value)} {word}" + ("" if value == 1 else "s")


def percent(share: float | None, *, empty: str = EMPTY) -> str:
    """A share in [0, 1] as a whole percentage (``0.79`` → ``79%``). Strictly between 0 and 1 it
    never reads as either end: within a percent of them a tenth is kept (``0.996`` → ``99.6%``,
    ``0.005`` → ``0.5%``), and what even that rounds to an end reads ``<0.1%`` or ``>99.9%``."""
    if share is None:
        return empty
    if not (0 < share < 0.01 or 0.99 < share < 1):
        return f"{half_up(share * 100, 0)}%"
    tenths = half_up(share * 100, 1)
    if tenths == "0.0":
        return "<0.1%"
    if tenths == "100.0":
        return ">99.9%"
    return f"{tenths.removesuffix('.0')}%"


def signed(value: float | None, *, digits: int = 1, empty: str = EMPTY, trim: bool = True) -> str:
    """``+1``, ``−3``, ``±0``, ``+0.4``: rounded half up to ``digits`` decimals (:func:`half_up`),
    trailing zeros dropped unless ``trim`` is false. What rounds to zero reads ``±0``, never
    ``-0.00``."""
    if value is None:
        return empty
    text = half_up(abs(value), digits)
    if not text.strip("0.,"):
        return "±0"
    if digits and trim:
        text = text.rstrip("0").rstrip(".")
    return ("+" if value > 0 else MINUS) + text


def slope(value: float | None, *, empty: str = EMPTY) -> str:
    """A confidence slope in points per week as ``status``, ``trends``, ``retro`` and the site all
    write it (docs/format.md): two decimals, every one kept so a column lines up, half up, a real
    minus sign, ``±0`` for what rounds to zero: ``+0.06``, ``−0.50``, ``−4.00``, ``±0``."""
    return signed(value, digits=2, empty=empty, trim=False)


def delta(change: float | None, *, empty: str = EMPTY) -> str:
    """A change of a KR value: ``+3``, ``−1,075``, ``+0.06``, ``±0`` (shown like :func:`number`)."""
    if change is None:
        return empty
    if abs(change) < 1e-9:
        return "±0"
    return ("+" if change > 0 else MINUS) + number(abs(change))


def fixed(value: float | None, digits: int = 2, *, empty: str = "-") -> str:
    """A score with exactly ``digits`` decimals: ``0.70``. A change (a slope) is :func:`signed`."""
    if value is None:
        return empty
    return f"{value:.{digits}f}"


def as_written(value: object) -> str:
    """A field's value as a person reads it: numbers as :func:`plain`, "(none)" for an absent field."""
    if value is None:
        return "(none)"
    if isinstance(value, float):
        return plain(value)  # ``7`` for 7.0, ``0.00001`` for 1e-05
    return str(value)


def non_finite_text(value: float) -> str:
    """``.nan``, ``.inf`` or ``-.inf``: a number that is not finite, as YAML writes it (JSON has no
    number for it)."""
    return ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
