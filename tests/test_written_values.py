"""A finding that echoes a value says it as the file writes it.

YAML reads ``cycle: 0000`` as the number 0 and ``cycle: 2026.0`` as 2026: a message that quoted
the value as read (``unknown cycle '0'``, ``cycle: 2026 is not text``) named something the user
never wrote, and its hint ("quote it: '2026'") told them to write something else. Every rule that
echoes a number, true or false from a file quotes the file's own text of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.helpers_align import EXAMPLES, align, align_json, copy_org

OBJECTIVE = "okrs/2026-Q4/discover.yaml"
CHECKIN = "checkins/discover/2026-11-20.yaml"
RETRO = "retros/2026-Q4/discover-mid.yaml"
STRATEGY = "strategy/2026.yaml"


class Case(NamedTuple):
    name: str
    path: str
    old: str
    new: str
    code: str
    message: str  # the whole message
    hint: str = ""  # a part of the hint


CASES = [
    # An unquoted number is a cycle id only written in its digits alone (a bare year): 0000 is the
    # number 0, and taking it as the cycle '0' would name a cycle the file does not.
    Case(
        "objective-cycle-0000",
        OBJECTIVE,
        "cycle: 2026-Q4\n",
        "cycle: 0000\n",
        "OKR101",
        "cycle: 0000 is the number 0, not a cycle id",
        'quote it ("0000") if a cycle has that id',
    ),
    Case(
        "retro-cycle-00",
        RETRO,
        "cycle: 2026-Q4\n",
        "cycle: 00\n",
        "OKR101",
        "cycle: 00 is the number 0, not a cycle id",
    ),
    Case(
        "strategy-cycle-0000",
        STRATEGY,
        'cycle: "2026"',
        "cycle: 0000",
        "OKR101",
        "cycle: 0000 is the number 0, not a cycle id",
    ),
    Case("strategy-cycle-quoted-0000", STRATEGY, 'cycle: "2026"', 'cycle: "0000"', "OKR104", "unknown cycle '0000'"),
    Case(
        "objective-cycle-float",
        OBJECTIVE,
        "cycle: 2026-Q4\n",
        "cycle: 2026.0\n",
        "OKR101",
        "cycle: 2026.0 is not text",
        "quote it: '2026.0'",
    ),
    Case(
        "title-leading-zero",
        OBJECTIVE,
        "title: Make the first week seamless and confidence-boosting for new users\n",
        "title: 0123\n",
        "OKR101",
        "title: 0123 is not text",
        "to keep 0123 as text, quote it: '0123'",
    ),
    Case(
        "weight-exponent",
        OBJECTIVE,
        "    baseline: 400\n",
        "    baseline: 400\n    weight: -1e0\n",
        "OKR101",
        "key_results[2].weight: -1e0 is not above 0",
    ),
    Case(
        "checkin-date-hex",
        CHECKIN,
        "date: 2026-11-20\n",
        "date: 0x7EA\n",
        "OKR101",
        "date: 0x7EA is not a date",
    ),
    Case(
        "result-key-number",
        CHECKIN,
        "  setup-tickets: 332\n",
        "  0012: 332\n",
        "OKR101",
        "results.0012: the key 0012 is not text",
        "quote it: '0012'",
    ),
    Case(
        "result-true-upper",
        CHECKIN,
        "  setup-tickets: 332\n",
        "  setup-tickets: TRUE\n",
        "OKR101",
        "result for 'setup-tickets' is TRUE, but 'setup-tickets' is a metric key result: its value is a number",
    ),
    Case(
        "api-version-number",
        OBJECTIVE,
        "apiVersion: okrctl/v1\n",
        "apiVersion: 01.0\n",
        "OKR103",
        "unknown apiVersion 01.0",
    ),
    Case(
        "confidence-exponent",
        CHECKIN,
        "confidence: 8\n",
        "confidence: 1.2e1\n",
        "OKR504",
        "confidence 1.2e1 is outside the scale 0–10",
    ),
    Case(
        "maintain-hex",
        OBJECTIVE,
        "    baseline: 400\n    target: 280\n",
        "    type: maintain\n    min: 4e2\n    max: 0x118\n",
        "OKR303",
        "maintain key result 'discover-first-week/setup-tickets' has min 4e2 above max 0x118: no value fits",
    ),
    Case(
        "target-equals-baseline",
        OBJECTIVE,
        "    target: 90\n",
        "    target: 65.0\n",
        "OKR304",
        "key result 'discover-first-week/onboarding-completion' asks for no movement: target equals baseline (65.0)",
    ),
    Case(
        "pace-hex",
        OBJECTIVE,
        "2026-11-30: 40}",
        "2026-11-30: 0x40}",
        "OKR306",
        "pace of 'discover-first-week/tutorial-engagement' at 2026-11-30 is 0x40, which goes past the target 50 "
        "(the KR moves 15 → 50)",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_message_quotes_the_value_as_the_file_writes_it(tmp_path: Path, case: Case) -> None:
    root = copy_org(EXAMPLES / "banco", tmp_path / "banco")
    path = root / case.path
    text = path.read_text(encoding="utf-8")
    assert case.old in text
    path.write_text(text.replace(case.old, case.new, 1), encoding="utf-8")
    found = [f for f in align_json(root, "--select", case.code) if f["path"] == case.path]
    assert [f["message"] for f in found] == [case.message]
    assert case.hint in found[0]["hint"]


def test_a_scores_message_names_the_retro_cycle_as_written(tmp_path: Path) -> None:
    root = copy_org(EXAMPLES / "banco", tmp_path / "banco")
    retro = root / "retros" / "2026-Q4" / "discover-end.yaml"
    retro.write_text(
        'apiVersion: okrctl/v1\nkind: Retro\nowner: discover\ncycle: "00"\nstage: end\ndate: 2026-11-20\n'
        "scores: {setup-tickets: 0.5}\n",
        encoding="utf-8",
    )
    found = [
        f["message"] for f in align_json(root, "--select", "OKR104") if f["path"] == "retros/2026-Q4/discover-end.yaml"
    ]
    assert found == [
        "unknown cycle '00'",
        "score for 'setup-tickets', which is a key result of discover's objective discover-first-week of 2026-Q4, "
        "not of its objectives of 00",
    ]


# --- a cycle is a number only when written as one: its digits alone ---------------------------------

# (spelling, the number YAML reads): 03752 is read as 3752, whose strategy would cover no cycle.
ODD_SPELLINGS = [
    ("0x7EA", 2026),
    ("0o3752", 2026),
    ("+2026", 2026),
    ("02026", 2026),
    ("!!int 0x7EA", 2026),
    ("03752", 3752),
]


def _strategy_in(tmp_path: Path, cycle: str) -> Path:
    root = copy_org(EXAMPLES / "banco", tmp_path / "banco")
    path = root / STRATEGY
    path.write_text(path.read_text(encoding="utf-8").replace('cycle: "2026"', f"cycle: {cycle}", 1), encoding="utf-8")
    return root


@pytest.mark.parametrize(("spelling", "number"), ODD_SPELLINGS)
def test_a_cycle_written_as_another_spelling_of_a_number_is_refused_where_it_is_written(
    tmp_path, spelling, number
) -> None:
    """YAML 1.2 reads 0x7EA, 0o3752, +2026 and 02026 as 2026: the strategy silently became the one
    of 2026. It is one OKR101 on the cycle, nothing else (the strategy's cycle is not guessed)."""
    root = _strategy_in(tmp_path, spelling)
    lines = root.joinpath(STRATEGY).read_text(encoding="utf-8").splitlines()
    line = next(number for number, text in enumerate(lines, 1) if text.startswith(f"cycle: {spelling} "))
    written = spelling.removeprefix("!!int ")
    for run in ("fresh", "from the cache"):
        if run != "fresh":  # another file changes: the strategy's file is read from the cache, if stored
            with (root / OBJECTIVE).open("a", encoding="utf-8") as objective:
                objective.write("# edited\n")
        result = align(root, "--format", "json", env={"OKRCTL_NO_CACHE": "", "OKRCTL_CACHE_DIR": str(tmp_path / "c")})
        assert result.exit_code == 1, run
        found = json.loads(result.stdout)["findings"]
        assert [(f["code"], f["path"], f["line"], f["message"]) for f in found] == [
            ("OKR101", STRATEGY, line, f"cycle: {written} is the number {number}, not a cycle id")
        ], run
        assert f"write the year in digits alone ({number})" in found[0]["hint"]


@pytest.mark.parametrize("spelling", ["2026", '"2026"', "!!int 2026"])
def test_a_bare_year_quoted_or_not_is_still_the_cycle(tmp_path, spelling) -> None:
    assert align(_strategy_in(tmp_path, spelling)).exit_code == 0


def test_a_declared_cycle_id_written_as_a_hexadecimal_number_is_refused_on_its_line(tmp_path) -> None:
    root = copy_org(EXAMPLES / "banco", tmp_path / "banco")
    config = root / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "cycles:\n  - {id: 0x7EA, start: 2026-02-01, end: 2027-01-31}\n",
        encoding="utf-8",
    )
    line = len(config.read_text(encoding="utf-8").splitlines())
    found = [f for f in align_json(root, "--select", "OKR101") if f["path"] == "okrctl.yaml"]
    assert [(f["line"], f["message"]) for f in found] == [
        (line, "cycles[0].id: 0x7EA is the number 2026, not a cycle id")
    ]
    assert 'quote it ("0x7EA") if a cycle has that id' in found[0]["hint"]


def test_a_number_spelled_otherwise_keeps_its_value_and_its_spelling() -> None:
    from okrctl.load.yamlparse import parse_text

    data = parse_text("a: 0x7EA\nb: 2026\nc: +5\nd: 007\ne: -3\n")[0].data
    assert data == {"a": 2026, "b": 2026, "c": 5, "d": 7, "e": -3}
    assert [getattr(data[k], "written", None) for k in "abcde"] == ["0x7EA", None, "+5", "007", None]
