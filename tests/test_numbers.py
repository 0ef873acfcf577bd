"""``okrctl.render.numbers``: how every renderer and message writes a number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrctl.render import numbers


def test_numbers_read_like_people_write_them() -> None:
    assert [numbers.number(v) for v in (79, 35.5, 99.96, 0.125, 2440, 12345.678, 0.12345, -0.0, None)] == [
        "79",
        "35.5",
        "99.96",
        "0.125",
        "2,440",
        "12,345.68",
        "0.123",
        "0",
        "—",
    ]
    assert numbers.number(79, "%") == "79%"
    assert numbers.number(332, "tickets/week") == "332 tickets/week"
    assert numbers.number(0.5, fraction_digits=4) == "0.5"
    assert [numbers.significant(v) for v in (87.87, 2765.16, 7.567, 0.001234, 0)] == [87.9, 2765, 7.57, 0.00123, 0]


def test_the_kr_unit_joins_only_as_a_percent_sign() -> None:
    assert numbers.with_unit(79, "%") == "79%"
    assert numbers.with_unit(332, "tickets/week") == "332"
    assert numbers.with_unit(None, "%") == "—"


def test_plain_numbers_keep_every_digit_and_drop_a_trailing_zero() -> None:
    assert [numbers.plain(v) for v in (65.0, 6.5, 1234567.0, 1234.5678, 0.1 + 0.2, None)] == [
        "65",
        "6.5",
        "1234567",
        "1234.5678",
        "0.30000000000000004",
        "?",
    ]
    assert numbers.plain(None, empty="-") == "-"
    assert [numbers.as_written(v) for v in (90.0, 90.5, "Grow", None)] == ["90", "90.5", "Grow", "(none)"]


def test_counts_percentages_and_changes() -> None:
    assert [numbers.count(v) for v in (3, 3.0, 1204)] == ["3", "3", "1,204"]
    assert numbers.percent(0.555) == "56%" and numbers.percent(None) == "—"
    assert [numbers.signed(v) for v in (1, -3, 0, 0.44, None)] == ["+1", "−3", "±0", "+0.4", "—"]
    assert numbers.signed(0.123, digits=2) == "+0.12"
    assert [numbers.delta(v) for v in (3, -1075, 0.06, 1e-12, None)] == ["+3", "−1,075", "+0.06", "±0", "—"]
    assert [numbers.fixed(v) for v in (0.7, 1, None)] == ["0.70", "1.00", "-"]
    # A slope that rounds to zero is ±0, never "-0.00"; a tie rounds half up, as every number does.
    assert [numbers.signed(v, digits=2) for v in (-0.0032, -0.125, 0.125, 0.005)] == ["±0", "−0.13", "+0.13", "+0.01"]
    # A slope keeps both decimals, as docs/format.md writes it: "−0.50", never "−0.5" or "−4".
    assert [numbers.slope(v) for v in (-0.5, -4, 0.06, -0.0032, None)] == ["−0.50", "−4.00", "+0.06", "±0", "—"]


def test_a_chart_label_is_compact_from_ten_thousand_up() -> None:
    values = (1_200_000, 1_500_000, 1_414_019, 2.5e9, 12_345, 999_999, -1_414_019, 9_999.7, 2_765.16, 24.56, None)
    assert [numbers.compact(v, decimals=2) for v in values] == [
        "1.2M",
        "1.5M",
        "1.41M",
        "2.5B",
        "12.3K",
        "1M",
        "-1.41M",
        "10,000",
        "2,765",
        "24.56",
        "—",
    ]


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e14, max_value=1e14), st.integers(0, 2))
def test_a_chart_label_has_at_most_five_digits(value: float, decimals: int) -> None:
    text = numbers.compact(value, decimals=decimals)
    assert sum(c.isdigit() for c in text) <= 5, text


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_plain_reads_back_as_the_same_number(value: float) -> None:
    assert float(numbers.plain(value)) == value


@pytest.mark.parametrize(("value", "decimals"), [(1.005, 2), (1.105, 2), (2.675, 2), (27.8, 1), (65.0, 0)])
def test_the_decimals_of_a_value_are_those_it_is_shown_with_rounded_half_up(value: float, decimals: int) -> None:
    """1.005 is the float 1.00499…: read as "1.00" it had no decimals, and the report showed 1
    where status showed 1.01."""
    from okrctl.render.numbers import decimals_of, measured

    assert decimals_of(value) == decimals
    assert measured(1.005, None, decimals=decimals_of(1.005)) == "1.01"


def test_a_key_result_mixing_values_below_and_above_one_keeps_two_decimals_from_one_up() -> None:
    """A baseline of 0.00012 made every value of the key result five decimals long in the report
    (5,000.45679) while status showed 5,000.46."""
    from okrctl.render.numbers import decimals_of, measured

    places = decimals_of(0.00012, 9999.5, 5000.456789)
    assert measured(0.00012, decimals=places) == "0.00012"
    assert measured(5000.456789, decimals=places) == "5,000.46"
    assert measured(9999.5, decimals=places) == "9,999.5"


def test_compact_labels_take_the_digits_that_keep_a_charts_values_apart() -> None:
    """A key result from 1,200,000 to 1,204,000 read "1.2M" for its baseline, target and value."""
    from okrctl.render.numbers import compact

    assert [compact(v, decimals=0) for v in (1_200_000, 1_204_000)] == ["1.2M", "1.2M"]
    assert [compact(v, decimals=0, digits=4) for v in (1_200_000, 1_204_000)] == ["1.2M", "1.204M"]
    assert compact(1_003_900, decimals=0, digits=5) == "1.0039M"


@pytest.mark.parametrize(
    ("value", "other", "shown"),
    [
        (99.896, 99.9, "99.896"),  # outside a bound of 99.9: was 99.9
        (0.9986, 0.999, "0.9986"),  # was 0.999
        (999.996, 1000, "999.996"),  # short of a target of 1,000: was 1,000
        (250.004, 250, "250.004"),  # above a bound of 250: was 250
        (99.85, 99.9, "99.85"),  # the usual decimals tell them apart already
        (1000, 1000, "1,000"),  # on the target: the target
    ],
)
def test_a_value_short_of_a_target_or_outside_a_bound_never_reads_as_it(value: float, other: float, shown: str) -> None:
    """As ``status`` writes it and at the key result's own decimals (those of ``other``), as the
    report does: the value keeps the first decimal that tells it from ``other``."""
    assert numbers.number(value, short_of=other) == shown
    assert numbers.measured(value, decimals=numbers.decimals_of(other), short_of=other) == shown
