"""The loader: YAML 1.2 values, positions of keys and values, limits, and no crash on any input."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrctl.load.documents import Doc, validate
from okrctl.load.pipeline import load_repo
from okrctl.load.yamlparse import YamlProblem, parse_text, resolve_plain
from okrctl.model import CheckIn, Objective
from tests.conftest import EXAMPLES


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("2026", 2026),
        ("0o17", 15),
        ("0x1F", 31),
        ("1_000", "1_000"),
        ("72.5", 72.5),
        ("1e3", 1000.0),
        ("2026-03-06", "2026-03-06"),
        ("-.inf", float("-inf")),
    ],
)
def test_plain_scalars_follow_yaml_1_2_core_schema(text, value):
    assert resolve_plain(text) == value


def test_positions_of_keys_values_and_nested_items_are_one_based():
    [doc] = parse_text("a: 1\nlist:\n  - {id: x, n: 2}\n  - id: y\n")
    assert doc.positions[("a",)] == (1, 4)
    assert doc.key_positions[("list",)] == (2, 1)
    assert doc.positions[("list", 0, "n")] == (3, 16)
    assert doc.key_positions[("list", 1, "id")] == (4, 5)
    assert doc.positions[("list", 1, "id")] == (4, 9)


def test_several_documents_and_their_ignore_comments():
    text = "a: 1\n---\n# okrctl: ignore[OKR201, okr305]\nb: 2\n---\nc: 3\n"
    docs = parse_text(text)
    assert [(d.index, d.line, d.data) for d in docs] == [(0, 1, {"a": 1}), (1, 4, {"b": 2}), (2, 6, {"c": 3})]
    assert [d.ignore for d in docs] == [frozenset(), frozenset({"OKR201", "OKR305"}), frozenset()]


def test_every_okrctl_comment_is_kept_with_its_place_for_the_findings_about_it():
    text = "a: 1  # okrctl: ignroe[OKR201]\n--- # okrctl: ignore[OKR52]\n# OKRCTL ignore[x]\nb: 2 # okrctl example\n"
    for positions in (True, False):
        docs = parse_text(text, want_positions=positions)
        assert [d.comments for d in docs] == [
            ((1, 7, "# okrctl: ignroe[OKR201]"),),
            ((2, 5, "# okrctl: ignore[OKR52]"), (3, 1, "# OKRCTL ignore[x]")),
        ]
        assert [d.ignore for d in docs] == [frozenset(), frozenset({"OKR52"})]


def test_bare_year_cycle_and_date_keys_validate():
    text = (
        "apiVersion: okrctl/v1\nkind: Objective\nid: o\nowner: t\ncycle: 2026\ntitle: T\n"
        "key_results:\n  - {id: k, title: K, baseline: 1, target: 5, pace: {2026-06-30: 3}}\n"
    )
    [parsed] = parse_text(text)
    doc = Doc("x.yaml", 0, parsed.line, parsed.column, parsed.data, parsed=parsed)
    assert validate(doc) == []
    objective: Objective = doc.model
    assert objective.cycle == "2026"
    assert objective.key_results[0].pace == {date(2026, 6, 30): 3.0}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "apiVersion: okrctl/v1\nkind: Objective\nid: x1\ncycle: 2026-Q4\n",
            [(1, "missing required fields 'owner' and 'title'", "add the fields")],
        ),
        (
            "apiVersion: okrctl/v1\nkind: Reading\nowner: t\ndate: 2026-11-19\n",
            [(1, "missing required fields 'source' and 'values'", "add the fields")],
        ),
        (
            "apiVersion: okrctl/v1\nkind: Objective\nowner: t\ncycle: 2026-Q4\n",
            [(1, "missing required fields 'id' and 'title'", "add the fields")],
        ),
        (
            "apiVersion: okrctl/v1\nkind: Objective\nid: o\nowner: t\ncycle: 2026-Q4\n",
            [(1, "missing required field 'title'", "add the field")],
        ),
    ],
)
def test_every_missing_required_field_of_a_mapping_is_named_in_its_one_finding(text, expected):
    """Each missing field sits at its mapping; one finding per place named only the first, so CI
    took a round trip per field."""
    [parsed] = parse_text(text)
    doc = Doc("x.yaml", 0, parsed.line, parsed.column, parsed.data, parsed=parsed)
    assert [(f.line, f.message, f.hint) for f in validate(doc)] == expected


def test_booleans_are_not_numbers_and_strings_are_not_dates():
    text = "apiVersion: okrctl/v1\nkind: CheckIn\nowner: t\ndate: 2026-13-01\nconfidence: true\n"
    [parsed] = parse_text(text)
    doc = Doc("c.yaml", 0, 1, 1, parsed.data, parsed=parsed)
    messages = sorted((f.line, f.message) for f in validate(doc))
    assert messages[0] == (4, "date: '2026-13-01' is not a date: there is no month 13")
    assert messages[1][0] == 5


def test_milestone_results_accept_booleans_and_fractions():
    text = "apiVersion: okrctl/v1\nkind: CheckIn\nowner: t\ndate: 2026-01-02\nconfidence: 5\nresults: {a: true, b: 0.5, c: {value: false, note: later}}\n"
    [parsed] = parse_text(text)
    doc = Doc("c.yaml", 0, 1, 1, parsed.data, parsed=parsed)
    assert validate(doc) == []
    checkin: CheckIn = doc.model
    assert (checkin.result_value("a"), checkin.result_value("b"), checkin.result_value("c")) == (True, 0.5, False)
    assert checkin.result_note("c") == "later"


@pytest.mark.parametrize(
    ("written", "hint"), [("yes", "true or false"), ("off", "true or false"), ("lots", "42 or 7.5")]
)
def test_a_result_written_as_yes_or_no_is_told_about_true_and_false(written, hint):
    """A milestone's result is true or false: "yes" gets that fix, other text the number hint."""
    text = f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: t\ndate: 2026-01-02\nresults:\n  a: {written}\n"
    [parsed] = parse_text(text)
    doc = Doc("c.yaml", 0, 1, 1, parsed.data, parsed=parsed)
    [finding] = validate(doc)
    assert finding.message == f"results.a: '{written}' is text, not a number"
    assert hint in finding.hint


@pytest.mark.parametrize("written", ["yes", "no", "on", "y", '"1"', '"0"', '"true"', "{value: yes}"])
@pytest.mark.parametrize("kind", ["CheckIn", "Reading"])
def test_text_is_never_read_as_a_boolean_result(written, kind):
    # YAML 1.2 reads yes/no/on as text and "1" as text: a result must be true, false or a number.
    field = "results" if kind == "CheckIn" else "values"
    source = "source: kpis.csv\n" if kind == "Reading" else ""
    text = f"apiVersion: okrctl/v1\nkind: {kind}\nowner: t\ndate: 2026-01-02\n{source}{field}:\n  a: {written}\n"
    [parsed] = parse_text(text)
    doc = Doc("c.yaml", 0, 1, 1, parsed.data, parsed=parsed)
    findings = validate(doc)
    assert doc.model is None
    assert [(f.code, f.line) for f in findings] == [("OKR101", 6 if kind == "CheckIn" else 7)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: *nowhere\n", "found undefined alias"),
        ("%YAML 1.1\n%YAML 1.1\n---\na: 1\n", "found duplicate %YAML directive"),
        ("a: b: c\n", "mapping values are not allowed"),
        ("<<: {a: 1}\n", "merge keys (<<) are not supported"),
        ("? [a, b]\n: 1\n", "a mapping key must be a plain value"),
        ("a: !custom x\n", "unsupported tag !custom"),
        # A tag on a key is refused as on a value: it was taken silently.
        ("a: 1\n!include b: 2\n", "unsupported tag !include"),
        ("!!python/object/apply:os.system name: x\n", "unsupported tag !!python/object/apply:os.system"),
    ],
)
def test_malformed_yaml_is_a_problem_with_a_place(text, message):
    with pytest.raises(YamlProblem) as caught:
        parse_text(text)
    assert message in caught.value.message
    assert caught.value.line >= 1 and caught.value.column >= 1


def test_a_problem_at_the_end_of_the_input_is_placed_on_the_last_line(cli, copy_example) -> None:
    """The parser finds an unclosed ``{`` after the last line; a finding names a line of the file."""
    root = copy_example("banco")
    config = root / "okrctl.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("max: 10}", "max: 10"), encoding="utf-8")
    lines = config.read_text(encoding="utf-8").splitlines()
    unit = root / "units" / "extra.yaml"
    unit.write_text("apiVersion: okrctl/v1\nkind: Unit\nid: extra\nparent: {id: banco", encoding="utf-8")
    result = cli("align", "--repo", str(root), "--today", "2026-11-27", "--format", "json", "--select", "OKR100")
    places = {(f["path"], f["line"], f["column"]) for f in json.loads(result.stdout)["findings"]}
    assert places == {
        ("okrctl.yaml", len(lines), len(lines[-1]) + 1),  # 26 lines, ending in "\n"
        ("units/extra.yaml", 4, len("parent: {id: banco") + 1),  # 4 lines, no final line break
    }


def test_a_key_tagged_as_text_is_text_as_a_value_is() -> None:
    """``!!str 42:`` was the integer key 42 ("the key 42 is not text"), though format.md reads
    ``!!str 12`` as text; ``!!int`` and a plain number stay numbers."""
    [parsed] = parse_text("!!str 42: a\n!!int 44: c\n45: d\n")
    assert parsed.data == {"42": "a", 44: "c", 45: "d"}


def test_the_line_a_syntax_problem_started_on_is_one_the_file_has() -> None:
    """ "(while parsing … from line N)" names a line of the file too, not the one after the last."""
    from okrctl.load.documents import parse_bytes

    with pytest.raises(YamlProblem) as caught:
        parse_bytes("zz.yaml", b"apiVersion: okrctl/v1\nkind: Unit\nid: zz\nname: [a,\n")
    assert (caught.value.line, caught.value.column) == (4, 10)
    assert str(caught.value.message).endswith("(while parsing a flow node from line 4)")


@pytest.mark.parametrize("odd", ["\u2028", "\u2029", "\x85"], ids=["LS", "PS", "NEL"])
def test_a_line_or_paragraph_separator_or_next_line_is_text_and_moves_no_line(cli, copy_example, git_repo, odd) -> None:
    """YAML 1.2 ends a line at LF, CRLF and CR only: U+2028, U+2029 and U+0085 are text, in a quoted
    note as in an unquoted name. Read as line ends (YAML 1.1), each put every finding after it a line
    late, refused a valid file at the next line, and made a next-line character in quotes a space."""
    root = git_repo(copy_example("banco"))
    checkin = root / "checkins/discover/2026-11-20.yaml"
    text = checkin.read_text(encoding="utf-8")
    typo = next(number for number, line in enumerate(text.split("\n"), 1) if "setup-tickets: 332" in line)
    note = f"Interactive tutorial{odd}shown to 100% of new users since Tuesday"
    text = text.replace("note: Interactive tutorial shown to 100% of new users since Tuesday}", f'note: "{note}"}}')
    checkin.write_text(text.replace("setup-tickets: 332", "setup-tickets: 33two"), encoding="utf-8")
    unit = f"apiVersion: okrctl/v1\nkind: Unit\nid: ops\nname: Ops{odd}Team\nparent: banco\n"
    (root / "units/ops.yaml").write_text(unit, encoding="utf-8")
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 1, result.output
    findings = [(f["path"], f["line"], f["column"], f["code"]) for f in json.loads(result.stdout)["findings"]]
    assert findings == [("checkins/discover/2026-11-20.yaml", typo, len("  setup-tickets: ") + 1, "OKR101")]
    checkin.write_text(text, encoding="utf-8")
    status = cli("status", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    assert status.exit_code == 0, status.output
    assert json.dumps(note)[1:-1] in status.stdout


def test_a_control_character_after_other_scripts_is_placed_where_it_is(cli, copy_example, git_repo) -> None:
    """The parser gives a control character's place in bytes of UTF-8: each accented letter, line
    separator or emoji before it moved the finding a column or more on, to a line the file lacks."""
    root = git_repo(copy_example("banco"))
    unit = 'apiVersion: okrctl/v1\nkind: Unit\nid: ops\nname: "Équipe d\'opérações\u2028Lisboa 🚀"\nparent: banco\x01\n'
    (root / "units/ops.yaml").write_text(unit, encoding="utf-8")
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 1, result.output
    findings = [(f["path"], f["line"], f["column"], f["code"]) for f in json.loads(result.stdout)["findings"]]
    assert findings == [("units/ops.yaml", 5, len("parent: banco") + 1, "OKR100")]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="{}[]:,- \n\r\tab'\"#\x85\u2028\u2029", max_size=60))
def test_a_problem_is_placed_on_a_line_the_file_has(text):
    from okrctl.load.documents import parse_bytes

    try:
        parse_bytes("fuzz.yaml", text.encode("utf-8"))
    except YamlProblem as problem:
        lines = re.split(r"\r\n|\r|\n", text)
        if len(lines) > 1 and lines[-1] == "":
            lines.pop()
        assert 1 <= problem.line <= len(lines)
        assert 1 <= problem.column <= len(lines[problem.line - 1]) + 1
        started = re.search(r" from line (\d+)\)$", problem.message)
        assert started is None or 1 <= int(started[1]) <= len(lines)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_never_raise_anything_but_a_problem(raw):
    from okrctl.load.documents import parse_bytes

    try:
        docs = parse_bytes("fuzz.yaml", raw)
    except YamlProblem as problem:
        assert problem.line >= 1
        return
    for parsed in docs:
        doc = Doc("fuzz.yaml", parsed.index, parsed.line, parsed.column, parsed.data, parsed=parsed)
        for finding in validate(doc):
            assert finding.line >= 1 and finding.code in {"OKR101", "OKR103"}


# Texts that reach every branch of both builders: anchors and aliases, tags, styles, several
# documents, ignore comments, errors of syntax and of okrctl's own limits.
TRICKY_TEXTS = [
    "a: 1\nb: [x, 'y', \"z\", {c: ~}]\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "d: !!str 4\ne: ! 5\nf: !!int 6\n",
    "g: |\n  block\nh: >-\n  folded\n  text\n",
    "---\na: 1\n--- # okrctl: ignore[OKR101]\nb: 2\n...\n",
    "? complex\n: value\n'quoted key': 1\n\"k\": 2\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\n",
    "a: !custom x\n",
    "a: *nowhere\n",
    "a: b: c\n",
    "a: " + "9" * 1200 + "\n",
    "- &a [*a]\n",
    "[" * 70 + "]" * 70 + "\n",
    "a: [1, 2\n",
    "%YAML 1.2\n---\n- .inf\n- -.Inf\n- .nan\n- 0o17\n- 0x1F\n- 1e3\n- ''\n- null\n",
]


def _read_both_ways(text: str, positions: bool) -> tuple[object, object]:
    """What ``parse_text`` gives with okrctl's lean node classes, and with ruamel's own."""
    from okrctl.load import yamlparse

    def read() -> object:
        try:
            return [vars(d) for d in parse_text(text, want_positions=positions)]
        except YamlProblem as problem:
            return ("problem", problem.message, problem.line, problem.column)

    lean = read()
    usable = yamlparse._Parsers.lean
    yamlparse._Parsers.lean = None
    try:
        plain = read()
    finally:
        yamlparse._Parsers.lean = usable
    return lean, plain


@pytest.mark.parametrize("positions", [True, False])
@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_the_lean_composer_reads_every_text_as_ruamels_nodes_do(text, positions):
    import _ruamel_yaml

    from okrctl.load import yamlparse

    parse_text("a: 1\n")
    assert yamlparse._Parsers.lean is not None  # the C composer builds okrctl's nodes on this Python
    lean, plain = _read_both_ways(text, positions)
    assert repr(lean) == repr(plain)  # (a NaN never equals itself)
    # Whatever happened, the C module's own node classes are back: another user of ruamel gets them.
    assert _ruamel_yaml.ScalarNode.__module__ == "ruamel.yaml.nodes"
    assert _ruamel_yaml.MappingNode.__module__ == "ruamel.yaml.nodes"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="ab:-[]{},&*!'\"|>#?~. 01\n", max_size=60))
def test_the_lean_composer_reads_any_text_as_ruamels_nodes_do(text):
    lean, plain = _read_both_ways(text, positions=True)
    assert repr(lean) == repr(plain)


# Lines of the plainest YAML, and of everything next to it that must be left to the parser.
SIMPLE_KEYS = ["a", "owner", "results", "k-1", "_k", "no", "y", "null", "True", "n"]
PLAIN_VALUES = ["x", "1", "-1", "1.5", ".5", "+2", "~", "a b", "a  b", "a:b", "10:30", "x\\y", "a,b", "a]", "a}"]
PLAIN_VALUES += ["0x1F", "0o7", "1e3", ".inf", ".nan", "null", "Null", "true", "FALSE", "2026-01-01", "no", "a?b"]
PLAIN_VALUES += ["[a, b]", "[a,b]", "[]", "[ ]", "[ a ,b ]", "[.5, ~, null]", "[a b, c  d]", "[true, no]"]
OTHER_VALUES = ["a: b", "a #b", "a#b", "'q'", '"q"', "q'", "x:", "&x", "*x", "!t", "|", ">", "%", "@", "`", "? x"]
OTHER_VALUES += ["- x", "-", "é", "9" * 1100, "okrctl: ignore[OKR1]", "[a, , b]", "[a,]", "[-1, 2]", "[a: b]"]
OTHER_VALUES += ["[a?b]", "[a] b", "[[a]]", "[a", "[x #]", "{a: 1}", "a [b]", "\t", "\r", "#x", "--- x", "[a, 'b']"]
noise_lines = st.sampled_from(["", "# c", "  # c", "   ", "---", "...", "%YAML 1.2", "- a", "  - a", "? a", "a"])
separators = st.one_of(*[st.just(": ")] * 6, st.sampled_from([":  ", ":", " : "]))
values = st.one_of(*[st.sampled_from(PLAIN_VALUES)] * 4, st.sampled_from(OTHER_VALUES))
keys = st.one_of(
    *[st.sampled_from(["a", "owner", "results", "k-1", "_k", "no", "y", "n"])] * 6, st.sampled_from(SIMPLE_KEYS)
)


@st.composite
def plain_yaml(draw: st.DrawFn) -> str:
    """A text close to the plainest YAML: keys with values, blocks of keys or items, now and then
    a line of another form or a value that is not plain."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["value", "value", "value", "keys", "keys", "items", "items", "noise"]))
        if kind == "noise":
            lines.append(draw(noise_lines))
            continue
        key = draw(keys)
        if kind == "value":
            lines.append(f"{key}{draw(separators)}{draw(values)}{draw(st.sampled_from(['', ' ']))}")
            continue
        lines.append(f"{key}:{draw(st.sampled_from(['', '', ' ']))}")
        indent = draw(st.sampled_from(["  ", "  ", "    ", " "]))
        for _ in range(draw(st.integers(0, 3))):
            shift = draw(st.sampled_from(["", "", "", "", " "]))
            if kind == "keys":
                lines.append(f"{indent}{shift}{draw(keys)}{draw(separators)}{draw(values)}")
            else:
                lines.append(f"{indent}{shift}{draw(st.sampled_from(['- ', '- ', '-  ']))}{draw(values)}")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


def _read_simply_and_by_the_parser(text: str) -> tuple[str, str]:
    from okrctl.load import yamlparse

    def read() -> str:
        try:
            return repr([vars(d) for d in parse_text(text, want_positions=False)])
        except YamlProblem as problem:
            return repr(("problem", problem.message, problem.line, problem.column))

    simple = read()
    real = yamlparse._simple_document
    yamlparse._simple_document = lambda _text: None
    try:
        return simple, read()
    finally:
        yamlparse._simple_document = real


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(plain_yaml())
def test_the_plainest_yaml_is_read_as_the_parser_reads_it(text):
    simple, parsed = _read_simply_and_by_the_parser(text)
    assert simple == parsed


@pytest.mark.parametrize(
    "text",
    [
        "owner:  *x\n",
        "a: [a\n",
        "a: [? x]\n",
        "a: [Ship it? Yes]\n",
        "a: [w?x]\n",
        "a: [- x]\n",
        "results:\n  a: 1\n  - b\n",
        "owner: a: b\n",
        "owner: x:\n",
        "no:  >\n",
        "no:  ? x \n",
        "k:  `\n",
        "issues:\n  - a: b\n",
        "issues:\n  - a:\n",
        "issues:\n  -  [a]\n",
        "results:\n  a: 1\n   b: 2\n",
        "results:\n  - a\n  b: 1\n",
        "a:\nb: 1\n",
        "a: [a, , b]\n",
        "a: [x] y\n",
        "a: b # c\n",
        "  a: 1\n",
        "a: 1\na: 2\n",
        "true: 1\n",
        "a: " + "9" * 1100 + "\n",
        "owner: team\ndate: 2026-01-01\nresults:\n  k: 1.5\n  j: ~\nissues: []\nplan:\n  - Ship it, soon\n",
    ],
)
def test_what_the_plainest_yaml_leaves_to_the_parser_is_read_as_before(text):
    simple, parsed = _read_simply_and_by_the_parser(text)
    assert simple == parsed


def test_a_check_in_as_okrctl_writes_it_is_read_without_the_parser(cli, tmp_path):
    import shutil

    from okrctl.load import yamlparse

    repo = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", repo)
    result = cli(
        "checkin",
        "--team",
        "marketing",
        "--repo",
        str(repo),
        "--today",
        "2026-12-04",
        "--no-commit",
        "-c",
        "6",
        "-i",
        "Waiting on data, and on the platform",
        "-p",
        "Ship it",
    )
    assert result.exit_code == 0, result.stdout
    written = (repo / "checkins" / "marketing" / "2026-12-04.yaml").read_text(encoding="utf-8")
    simple = yamlparse._simple_document(written)
    assert simple is not None
    assert simple[0].data == parse_text(written)[0].data


yaml_scalars = st.one_of(st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(), st.text(max_size=20))
yaml_values = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "apiVersion",
                "kind",
                "id",
                "owner",
                "cycle",
                "title",
                "key_results",
                "date",
                "confidence",
                "results",
                "priorities",
                "parent",
            ]
        ),
        yaml_values,
        max_size=8,
    ),
    st.sampled_from(["Unit", "Objective", "CheckIn", "Strategy", "Retro", "Config"]),
)
def test_any_mapping_validates_or_gives_findings_never_raises(data, kind):
    data = {**data, "apiVersion": "okrctl/v1", "kind": kind}
    doc = Doc("fuzz.yaml", 0, 1, 1, data)
    findings = validate(doc)
    assert (doc.model is None) == bool(findings)


def test_examples_load_with_every_document_valid():
    for name in ("banco", "saas"):
        repo = load_repo(Path(EXAMPLES / name), use_cache=False)
        assert repo.file_findings == []
        assert all(d.valid for d in repo.docs)
        assert repo.root_unit() is not None


@pytest.mark.parametrize(
    ("yaml_text", "error"),
    [
        ("checkin: {cadence_days: true}", "checkin.cadence_days"),
        ("checkin: {stale_after_days: '10'}", "checkin.stale_after_days"),
        ("limits: {krs_per_objective: [5, 2]}", "min <= max"),
        ("status: {at_risk_gap: 0.5, off_track_gap: 0.2}", "off_track_gap"),
        ("cycles: [{id: fy27-q1, start: 2026-05-01, end: 2026-02-01}]", "ends (2026-02-01) before it starts"),
    ],
)
def test_config_values_are_checked(yaml_text, error):
    [parsed] = parse_text(f"apiVersion: okrctl/v1\nkind: Config\n{yaml_text}\n")
    doc = Doc("okrctl.yaml", 0, 1, 1, parsed.data, parsed=parsed)
    findings = validate(doc)
    assert findings and error in findings[0].message


def test_config_limits_accept_a_yaml_list_and_python_names_are_not_aliases():
    [parsed] = parse_text("apiVersion: okrctl/v1\nkind: Config\nlimits: {krs_per_objective: [1, 4]}\n")
    doc = Doc("okrctl.yaml", 0, 1, 1, parsed.data, parsed=parsed)
    assert validate(doc) == [] and doc.model.limits.krs_per_objective == (1, 4)
    text = (
        "apiVersion: okrctl/v1\nkind: Objective\nid: o\nowner: t\ncycle: 2026\ntitle: T\n"
        "depends_on: [{unit: u, need: N, for_: k}]\n"
    )
    [parsed] = parse_text(text)
    doc = Doc("o.yaml", 0, 1, 1, parsed.data, parsed=parsed)
    assert [f.message for f in validate(doc)] == ["unknown field 'for_' in depends_on[0]"]


def test_parsing_in_worker_processes_gives_the_same_documents_and_problems():
    from okrctl.load.pipeline import analyse_files

    files = sorted((EXAMPLES / "banco").rglob("*.yaml")) + sorted(
        (Path(__file__).parent / "fixtures" / "bad").glob("*.yaml")
    )
    items = [(str(p), p.read_bytes()) for p in files]
    alone = [(entry, payload) for entry, payload, _ in analyse_files(items, jobs=1)]
    together = [(entry, payload) for entry, payload, _ in analyse_files(items, jobs=2, min_files=1)]
    assert together == alone
    problems = [f for entry, _ in together for f in entry["findings"]]
    assert problems and all(isinstance(f[2], int) and f[2] >= 1 for f in problems)
    assert {f[0] for f in problems} >= {"OKR100", "OKR101", "OKR103"}


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["cards", "web", "ops"]),
            st.one_of(st.dates().map(date.isoformat), st.dates(), st.sampled_from(["2026-13-01", "soon", ""])),
        ),
        max_size=30,
    ),
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), st.dates()),
    st.one_of(st.none(), st.just(frozenset({"cards", "web"}))),
)
def test_a_scope_answers_each_day_the_same_every_time(asked, first, last, owners) -> None:
    from okrctl.load.pipeline import Scope

    scope = Scope(owners, first, last)
    for owner, day in asked * 2:  # the second round is answered from what the first learnt
        as_date = date.fromisoformat(day) if isinstance(day, str) and _is_date(day) else day
        expected = (owners is None or owner in owners) and (
            not isinstance(as_date, date) or ((first is None or as_date >= first) and (last is None or as_date <= last))
        )
        assert scope.wants(owner, day) == expected


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def test_a_long_run_of_spaces_in_a_line_is_read_in_one_pass() -> None:
    # A value read lazily before optional trailing spaces would cost the square of the run: minutes
    # for a file of the size okrctl reads. Read in a child process, so that such a regression fails
    # here instead of holding up the suite.
    import subprocess
    import sys

    script = (
        "from okrctl.load.yamlparse import _simple_document, parse_text\n"
        "for text in ('a: x' + ' ' * 190000 + 'y\\n', 'l:\\n  - x' + ' ' * 190000 + 'y\\n'):\n"
        "    simple = _simple_document(text)\n"
        "    assert simple is not None and simple[0].data == parse_text(text)[0].data\n"
    )
    done = subprocess.run([sys.executable, "-c", script], check=False, timeout=60, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


_CYCLE_NAMES = ["2026", "2026-Q1", "2026-Q2", "2026-Q4", "2026-H2", "2027-Q1", "9999", "9999-Q4", "0001-Q1", "sprint-7"]


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(
    cycles=st.lists(st.sampled_from(_CYCLE_NAMES), min_size=0, max_size=6),
    days=st.lists(
        st.one_of(
            st.dates(min_value=date(2025, 12, 25), max_value=date(2027, 4, 5)),
            st.sampled_from([date.min, date.max, date(9999, 10, 1), date(9999, 9, 30), date(1, 3, 31), date(1, 4, 1)]),
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_the_objectives_of_an_owner_on_a_day_are_those_whose_cycle_holds_that_day(cycles, days):
    """What a check-in of a day is about (its owner's objectives whose cycle contains the day) is
    worked out once per stretch of days between the bounds of the owner's cycles: asked in any
    order, for any day, it is what filtering every objective of the owner gives, in id order."""
    from okrctl.load.index import Repo

    banco = load_repo(EXAMPLES / "banco", use_cache=False)
    mine = []
    for number, cycle in enumerate(cycles):
        data = {
            "apiVersion": "okrctl/v1",
            "kind": "Objective",
            "id": f"o-{len(cycles) - number:02d}",  # ids out of file order: the answer is in id order
            "owner": "cards",
            "cycle": cycle,
            "title": "An objective",
        }
        mine.append(Doc(f"okrs/o{number}.yaml", 0, 1, 1, data, kind="Objective", model=Objective.model_validate(data)))
    others = [d for d in banco.docs if not (d.kind == "Objective" and d.model is not None and d.model.owner == "cards")]
    repo = Repo(banco.root, banco.config, banco.config_doc, others + mine, [], banco.files, banco.other_files)
    for day in days:
        expected = sorted(
            (d for d in mine if (c := repo.cycle(d.model.cycle)) is not None and c.start <= day <= c.end),
            key=lambda d: d.model.id,
        )
        assert [id(d) for d in repo.objectives_on("cards", day)] == [id(d) for d in expected], day
        assert repo.has_objectives_on("cards", day) == bool(expected)
