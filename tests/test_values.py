"""Forgiving numbers: one parser for flags, prompts and values files, tried with every form."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrctl.values import NumberError, from_data, parse_number, parse_value

ACCEPTED = [
    ("81", None, 81.0),
    ("+12", None, 12.0),
    ("-3", None, -3.0),
    ("−3", None, -3.0),  # the minus sign okrctl itself prints
    ("35.5", None, 35.5),
    (".5", None, 0.5),
    ("1325", None, 1325.0),
    ("1,325", None, 1325.0),
    ("1 325", None, 1325.0),
    ("1\u00a0325", None, 1325.0),  # a no-break space, as spreadsheets copy it
    ("12,345,678", None, 12345678.0),
    ("1,325.75", None, 1325.75),
    ("+1,325", None, 1325.0),
    ("  81  ", None, 81.0),
    ("38%", "%", 38.0),
    ("38 %", "%", 38.0),
    ("99.9%", "%", 99.9),
    ("1e3", None, 1000.0),
]
REFUSED = [
    ("1,5", None, "ambiguous"),
    ("12,34", None, "ambiguous"),
    ("1.325,5", None, "ambiguous"),
    ("1,325,5", None, "ambiguous"),
    ("1 32", None, "ambiguous"),
    ("1,325 000", None, "ambiguous"),  # two different separators
    ("38%", "tickets/week", "a % sign, but the key result is measured in 'tickets/week'"),
    ("38%", None, "a % sign"),
    ("abc", None, "not a number"),
    ("", None, "not a number"),
    ("+", None, "not a number"),
    ("nan", None, "not a number"),
    ("inf", None, "not a number"),
    ("1e999", None, "beyond what okrctl keeps"),  # read as infinity: past any float
    ("12 tickets", None, "not a number"),
]


@pytest.mark.parametrize(("text", "unit", "expected"), ACCEPTED)
def test_accepted_forms(text, unit, expected) -> None:
    assert parse_number(text, unit) == expected


@pytest.mark.parametrize(("text", "unit", "why"), REFUSED)
def test_refused_forms_say_why_and_show_the_accepted_ones(text, unit, why) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(text, unit)
    assert why in caught.value.message
    if why in ("ambiguous", "not a number"):
        assert "1,325 or 1 325 (thousands)" in caught.value.message


def test_the_accepted_forms_name_percent_only_for_a_percent_key_result() -> None:
    with pytest.raises(NumberError) as caught:
        parse_number("1,5", "%")
    assert caught.value.message.endswith("-3, 38%")


MILESTONE = SimpleNamespace(type="milestone", unit=None)


@pytest.mark.parametrize(
    ("text", "expected"), [("done", True), ("not done", False), ("yes", True), ("0.4", 0.4), ("40%", 0.4)]
)
def test_a_milestone_takes_words_fractions_and_shares(text, expected) -> None:
    assert parse_value(MILESTONE, text) == expected


@pytest.mark.parametrize("text", ["1.5", "140%", "maybe"])
def test_a_milestone_refuses_what_is_not_done_or_a_share(text) -> None:
    with pytest.raises(NumberError):
        parse_value(MILESTONE, text)


def test_values_from_json_or_yaml_keep_numbers_and_read_text_like_a_flag() -> None:
    metric = SimpleNamespace(type="metric", unit="%")
    assert from_data(metric, 81) == 81.0
    assert from_data(metric, "81%") == 81.0
    assert from_data(metric, "1,325") == 1325.0
    for bad in (True, None, [1], float("nan")):
        with pytest.raises(NumberError):
            from_data(metric, bad)


# ----- notes in a values file --------------------------------------------------------------------------
NOTES_NOT_TEXT = [
    (
        "a: {value: 1, note: 5}\n",
        'kpis.yaml:1: a: the note 5 is not text; put it in quotes ("5") if it is meant as text',
    ),
    ("a: {value: 1, note: 1.50}\n", "kpis.yaml:1: a: the note 1.50 is not text"),  # as written, not as 1.5
    ("a: {value: 1, note: true}\n", "kpis.yaml:1: a: the note true is not text"),
    ("a:\n  value: 1\n  note: [x, y]\n", "kpis.yaml:3: a: the note [x, y] is a list, not text; a note is one text"),
    ("- {kr: a, value: 1, note: {x: 1}}\n", "kpis.yaml:1: a: the note {x: 1} is a mapping, not text"),
    ('[{"kr": "a", "value": 1,\n  "note": 5}]\n', "kpis.json:2: a: the note 5 is not text"),
]


@pytest.mark.parametrize(("body", "said"), NOTES_NOT_TEXT, ids=["5", "1.50", "true", "list", "mapping", "json"])
def test_a_note_that_is_not_text_refuses_its_row_naming_file_line_and_what_it_says(tmp_path, body, said) -> None:
    from okrctl.measure import KRChoice, ValuesFileError, read_values

    name = said.split(":", 1)[0]
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValuesFileError) as refused:
        read_values(path, [KRChoice("o", "a", SimpleNamespace(id="a", type="metric", unit=None))], name=name)
    assert str(refused.value).startswith(said)


def test_a_note_in_quotes_is_the_text_it_quotes(tmp_path) -> None:
    from okrctl.measure import KRChoice, read_values

    path = tmp_path / "kpis.yaml"
    path.write_text("a: {value: 1, note: '5'}\nb: {value: 2, note: null}\n", encoding="utf-8")
    options = [KRChoice("o", k, SimpleNamespace(id=k, type="metric", unit=None)) for k in "ab"]
    assert [(row.choice.key, row.note) for row in read_values(path, options).rows] == [("a", "5"), ("b", None)]


def _json_note(tmp_path, text: str) -> str | None:
    from okrctl.measure import KRChoice, read_values

    path = tmp_path / "kpis.json"
    path.write_text(text, encoding="utf-8")
    options = [KRChoice("o", k, SimpleNamespace(id=k, type="metric", unit=None)) for k in "ab"]
    return read_values(path, options).rows[0].note


def test_a_json_note_with_characters_past_u_ffff_escaped_reads_as_written_raw(tmp_path) -> None:
    """JSON exporters (Python's json.dumps among them) write 👩 as the pair "\\ud83d\\udc69"."""
    assert _json_note(tmp_path, '{"a": {"value": 1, "note": "\\ud83d\\udc69 shipped"}}') == "\U0001f469 shipped"
    # A backslash escaped before the pair makes it text, as JSON reads it.
    assert _json_note(tmp_path, '{"a": {"value": 1, "note": "\\\\ud83d\\\\udc69"}}') == "\\ud83d\\udc69"
    # An escaped backslash, then the pair: a backslash and the character.
    assert _json_note(tmp_path, '{"a": {"value": 1, "note": "\\\\\\ud83d\\udc69"}}') == "\\\U0001f469"


def test_a_value_after_an_escaped_pair_on_its_line_is_named_as_written(tmp_path) -> None:
    from okrctl.measure import ValuesFileError

    with pytest.raises(ValuesFileError) as refused:
        _json_note(tmp_path, '{"a": {"value": 1, "note": "\\ud83d\\udc69"}, "b": {"value": 2, "note": 1.50}}')
    assert "kpis.json:1: b: the note 1.50 is not text" in str(refused.value)


@settings(max_examples=200, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(["a", " ", "\\", '"', "u", "d", "8", "é", "\U0001f469", "\U0001f4bb"]), max_size=12
    )
)
def test_a_json_note_reads_the_same_escaped_or_raw(tmp_path_factory, note: str) -> None:
    import json

    folder = tmp_path_factory.mktemp("json")
    escaped = _json_note(folder, json.dumps({"a": {"value": 1, "note": note}}))
    assert escaped == _json_note(folder, json.dumps({"a": {"value": 1, "note": note}}, ensure_ascii=False))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet='",  a\n\r', max_size=30))
def test_an_open_quote_is_found_where_csv_reads_the_rest_of_the_file_into_one_cell(text) -> None:
    """``_open_quote_line`` reads quotes as ``csv.reader`` does: a line added after a text whose quote
    is still open goes into its last cell; after any other text, it is a row of its own."""
    import csv
    import io

    from okrctl.measure import _open_quote_line

    rows = list(csv.reader(io.StringIO(text + "\nZ", newline=""), skipinitialspace=True))
    assert (_open_quote_line(text) is not None) == (rows[-1] != ["Z"])


def test_an_open_quote_is_named_on_the_line_it_opens_on() -> None:
    from okrctl.measure import _open_quote_line

    assert _open_quote_line('a,1\r\nb,2,"x ""y"""\nc,3,"open\nd,4\n') == 3
    assert _open_quote_line('a,1,"x\ny"\nb,2, "z"\n') is None
    assert _open_quote_line('a,1,x"y\nb,2\n') is None  # a quote inside a cell is a character


@pytest.mark.parametrize("text", ["٨١", "３２０", "१२", "1,٣٢٥", "4.５"])
def test_digits_of_other_scripts_are_not_numbers(text: str) -> None:
    """Python's float() reads any script's digits; a values file, a flag or a check-in answer
    takes 0 to 9 only, as YAML does (align calls such a value text, not a number)."""
    with pytest.raises(NumberError, match="is not a number"):
        parse_number(text)
