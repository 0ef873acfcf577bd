"""OKR101 speaks as okrctl does everywhere else: every document that does not fit its kind is told
what is wrong with which field and how to write it, never in pydantic's words ("Input should be a
valid list", "String should have at most 2000 characters", "List should have at least 1 item")."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from tests.conftest import DEMO_DAY, ROOT

MINIMAL = ROOT / "tests" / "fixtures" / "good" / "minimal"
HEAD = "apiVersion: okrctl/v1\n"
CONFIG_HEAD = HEAD + "kind: Config\norganization: Minimal Co\n"
PYDANTIC_WORDS = ("Input should", "should have", "valid date", "after validation", "instance of", "constrained-")


class Case(NamedTuple):
    name: str
    path: str  # "okrctl.yaml": the text is the Config's body, under CONFIG_HEAD
    text: str
    message: str
    hint: str
    combine: bool = True  # also part of the repository that holds every case at once


def checkin(day: str, rest: str = "confidence: 6\n") -> str:
    return HEAD + f"kind: CheckIn\nowner: web\ndate: {day}\n" + rest


def objective(ident: str, rest: str, title: str = "Make signing up effortless") -> str:
    return (
        HEAD + f"kind: Objective\nid: {ident}\nowner: web\ncycle: 2026-Q4\ntitle: {title}\n"
        "aligns: [{to: more-customers}]\n" + rest
    )


KRS = (
    "key_results:\n"
    "  - {id: signup-rate, title: Visitors who sign up rise from 2% to 4%, baseline: 2, target: 4}\n"
    "  - {id: signup-time, title: Time to sign up falls from 6 to 3 minutes, baseline: 6, target: 3}\n"
)
RETRO = HEAD + "kind: Retro\nowner: web\ncycle: 2026-Q4\nstage: end\ndate: 2026-11-20\n"
READING = HEAD + "kind: Reading\nowner: web\ndate: 2026-11-18\n"
UNIT = HEAD + "kind: Unit\nid: mobile\nparent: minco\n"
STRATEGY = HEAD + "kind: Strategy\nid: strategy-2027\nowner: minco\ncycle: 2027\n"

CASES = [
    # dates
    Case(
        "checkin-month-13",
        "checkins/web/a.yaml",
        checkin("2026-13-01"),
        "date: '2026-13-01' is not a date: there is no month 13",
        "write the date as YYYY-MM-DD",
    ),
    Case(
        "checkin-tomorrow",
        "checkins/web/b.yaml",
        checkin("tomorrow"),
        "date: 'tomorrow' is not a date",
        "write the date as YYYY-MM-DD, e.g. 2026-03-06",
    ),
    Case(
        "checkin-slashes",
        "checkins/web/c.yaml",
        checkin("2026/11/16"),
        "date: '2026/11/16' is not a date",
        "did you mean 2026-11-16?",
    ),
    Case("checkin-no-date", "checkins/web/d.yaml", checkin(""), "date: empty", "write the date as YYYY-MM-DD"),
    Case(
        "config-cycle-feb-30",
        "okrctl.yaml",
        "cycles:\n  - {id: fy27-q1, start: 2026-02-30, end: 2026-04-30}\n",
        "cycles[0].start: '2026-02-30' is not a date: February 2026 has 28 days",
        "YYYY-MM-DD",
    ),
    Case(
        "rescoped-nov-31",
        "okrs/r.yaml",
        objective("web-r", "rescoped: [{date: 2026-11-31, note: Cut}]\n" + KRS),
        "rescoped[0].date: '2026-11-31' is not a date: November 2026 has 30 days",
        "YYYY-MM-DD",
    ),
    Case(
        "pace-key",
        "okrs/p.yaml",
        objective("web-p", KRS.replace("target: 4}", "target: 4, pace: {soon: 3}}")),
        "key_results[0].pace.soon: 'soon' is not a date",
        "YYYY-MM-DD",
    ),
    # text
    Case(
        "title-too-long",
        "okrs/t.yaml",
        objective("web-t", KRS, title="x" * 2001),
        "title: 2,001 characters, more than the 2,000 it takes",
        "shorten it to at most 2,000 characters",
    ),
    Case(
        "title-empty-text",
        "okrs/u.yaml",
        objective("web-u", KRS, title="''"),
        "title: empty text",
        "write the text after 'title:'",
    ),
    Case(
        "title-no-value",
        "okrs/v.yaml",
        objective("web-v", KRS, title=""),
        "title: empty",
        "write one line of text after 'title:'",
    ),
    Case("unit-name-number", "units/m.yaml", UNIT + "name: 5\n", "name: 5 is not text", "quote it: '5'"),
    Case(
        "strategy-vision-list",
        "strategy/v.yaml",
        STRATEGY + "vision: [a, b]\npriorities: [{id: p, title: P}]\n",
        "vision: a list is not text",
        "one line of text",
    ),
    Case(
        "checkin-author-number",
        "checkins/web/e.yaml",
        checkin("2026-11-17", "confidence: 6\nauthor: 5\n"),
        "author: 5 is not text",
        "quote it",
    ),
    Case(
        "issue-too-long",
        "checkins/web/f.yaml",
        checkin("2026-11-18", "confidence: 6\nissues: ['" + "q" * 2001 + "']\n"),
        "issues[0]: 2,001 characters, more than the 2,000 it takes",
        "shorten it",
    ),
    Case(
        "reading-source-too-long",
        "readings/s.yaml",
        READING + "source: '" + "s" * 2001 + "'\nvalues: {signup-rate: 3}\n",
        "source: 2,001 characters",
        "shorten it",
    ),
    # lists and mappings
    Case(
        "strategy-no-priorities",
        "strategy/e.yaml",
        STRATEGY + "priorities: []\n",
        "priorities: the list is empty",
        "list at least one priority",
    ),
    Case(
        "strategy-priority-text",
        "strategy/f.yaml",
        STRATEGY + "priorities: [grow]\n",
        "priorities[0]: 'grow' is not a mapping",
        "{id: …, title: …}",
    ),
    Case(
        "unit-members-text",
        "units/n.yaml",
        UNIT.replace("mobile", "mobile-n") + "members: ana@example.com\n",
        "members: 'ana@example.com' is not a list",
        "[ana@example.com]",
    ),
    Case(
        "checkin-issues-text",
        "checkins/web/g.yaml",
        checkin("2026-11-19", "confidence: 6\nissues: Analytics events are missing\n"),
        "issues: 'Analytics events are missing' is not a list",
        "[Analytics events are missing]",
    ),
    Case(
        "key-result-text",
        "okrs/k.yaml",
        objective("web-k", "key_results: [grow]\n"),
        "key_results[0]: 'grow' is not a mapping",
        "{id: …, title: …, baseline: …, target: …}",
    ),
    Case(
        "reading-values-list",
        "readings/v.yaml",
        READING.replace("11-18", "11-17") + "source: dashboard\nvalues: [3]\n",
        "values: a list is not a mapping",
        "'kr-id: value'",
    ),
    Case(
        "config-exclude-text",
        "okrctl.yaml",
        "exclude: drafts/**\n",
        "exclude: 'drafts/**' is not a list",
        "write a list",
    ),
    Case(
        "config-pair-of-one",
        "okrctl.yaml",
        "limits: {krs_per_objective: [2]}\n",
        "limits.krs_per_objective: 1 number, not a pair",
        "write [min, max], e.g. [2, 5]",
    ),
    # numbers, choices, ranges
    Case(
        "retro-score-above-one",
        "retros/a.yaml",
        RETRO + "scores: {signup-rate: 1.5}\n",
        "scores.signup-rate: 1.5 is above 1",
        "a score is from 0 to 1",
    ),
    Case(
        "retro-score-mapping",
        "retros/b.yaml",
        RETRO.replace("2026-11-20", "2026-11-19") + "scores: {signup-rate: {score: 2, reason: New funnel}}\n",
        "scores.signup-rate.score: 2 is above 1",
        "a score is from 0 to 1",
    ),
    Case(
        "retro-score-yes",
        "retros/c.yaml",
        RETRO.replace("2026-11-20", "2026-11-18") + "scores: {signup-rate: true}\n",
        "scores.signup-rate: true is not a score",
        "{score: 0.7, reason: …}",
    ),
    Case(
        "retro-score-percent",
        "retros/d.yaml",
        RETRO.replace("2026-11-20", "2026-11-17") + "scores: {signup-rate: 80%}\n",
        "scores.signup-rate: '80%' is text, not a number",
        "as a share of 1: 0.8",
    ),
    Case(
        "retro-stage",
        "retros/e.yaml",
        RETRO.replace("stage: end", "stage: final"),
        "stage: 'final' is not one of mid, end",
        "write one of: mid, end",
    ),
    Case(
        "unit-type",
        "units/o.yaml",
        UNIT.replace("mobile", "mobile-o") + "type: Team\n",
        "type: 'Team' is not one of company, business-unit, team",
        "did you mean 'team'?",
    ),
    Case(  # a float key was "results.1000.0: '1000.0' is not a value", with a hint about values
        "results-float-key",
        "checkins/f.yaml",
        checkin("2026-11-18", "confidence: 6\nresults:\n  1e3: 3\n"),
        "results.1e3: the key 1e3 is not text",
        "quote it: '1e3'",
    ),
    Case(  # a whole number past 64 bits comes back from pydantic as text: "'9223…808' is not a value"
        "results-64-bit-key",
        "checkins/b.yaml",
        checkin("2026-11-17", "confidence: 6\nresults:\n  9223372036854775808: 56\n"),
        "results.9223372036854775808: the key 9223372036854775808 is not text",
        "quote it: '9223372036854775808'",
    ),
    Case(  # '.nan' read again to place the finding was another key: "NaN is NaN", about its value
        "results-nan-key",
        "checkins/n.yaml",
        checkin("2026-11-16", "confidence: 6\nresults:\n  .nan: 56\n"),
        "results..nan: the key .nan is not text",
        "quote it: '.nan'",
    ),
    Case(  # ... and "nan: NaN is not text" on the first line, the hint quoting 'NaN'
        "top-level-nan-key",
        "checkins/o.yaml",
        checkin("2026-11-15", "confidence: 6\n.nan: 3\n"),
        ".nan: the key .nan is not text",
        "quote it: '.nan'",
    ),
    Case(  # a top-level key that is not text was pydantic's "Keys should be strings", on line 1
        "top-level-null-key",
        "checkins/g.yaml",
        checkin("2026-11-17", "confidence: 6\nnull: x\n"),
        "null: the key null is not text",
        "quote it: 'null'",
    ),
    Case(  # the hint said "[more-customers]", which is "not a mapping" next
        "aligns-not-a-list",
        "okrs/l.yaml",
        objective("web-l", KRS).replace("aligns: [{to: more-customers}]", "aligns: more-customers"),
        "aligns: 'more-customers' is not a list",
        "write a list of mappings, even of one: [{to: more-customers}]",
    ),
    Case(
        "depends-not-a-list",
        "okrs/m.yaml",
        objective("web-m", KRS + "depends_on: minco\n"),
        "depends_on: 'minco' is not a list",
        "write a list of mappings, even of one: [{unit: minco, need: …}]",
    ),
    Case(  # left empty: "[]" is the way to say none, not a made-up entry
        "depends-empty",
        "okrs/n.yaml",
        objective("web-n", KRS + "depends_on:\n"),
        "depends_on: empty",
        "([] for none)",
    ),
    Case(  # it said "must be one of …", naming neither what was written nor what was meant
        "kr-type",
        "okrs/t.yaml",
        objective("web-t", KRS.replace("target: 4}", "target: 4, type: metrik}")),
        "key_results[0].type: 'metrik' is not one of metric, maintain, milestone",
        "did you mean 'metric'?",
    ),
    Case(
        "kr-type-number",
        "okrs/u.yaml",
        objective("web-u", KRS.replace("target: 4}", "target: 4, type: 5}")),
        "key_results[0].type: 5 is not one of metric, maintain, milestone",
        "a key result's type is metric (default), maintain or milestone",
    ),
    Case(  # "type:" with nothing after it said "type:  is not one of …"
        "unit-type-empty",
        "units/p.yaml",
        UNIT.replace("mobile", "mobile-p") + "type:\n",
        "type: empty",
        "write one of: company, business-unit, team",
    ),
    Case(
        "retro-stage-empty",
        "retros/f.yaml",
        RETRO.replace("stage: end", "stage:"),
        "stage: empty",
        "write one of: mid, end",
    ),
    Case(
        "weight-zero",
        "okrs/w.yaml",
        objective("web-w", KRS.replace("target: 4}", "target: 4, weight: 0}")),
        "key_results[0].weight: 0 is not above 0",
        "a weight is a number above 0",
    ),
    Case(
        "confidence-yes",
        "checkins/web/h.yaml",
        checkin("2026-11-16", "confidence: true\n"),
        "confidence: true is not a number",
        "a number on the scale",
    ),
    Case(
        "result-list",
        "checkins/web/i.yaml",
        checkin("2026-11-15", "confidence: 6\nresults: {signup-rate: [3]}\n"),
        "results.signup-rate: a list is not a value",
        "true or false for a milestone",
    ),
    Case(
        "config-cadence-zero",
        "okrctl.yaml",
        "checkin: {cadence_days: 0}\n",
        "checkin.cadence_days: 0 is not above 0",
        "write a whole number above 0",
    ),
    # numbers out of reach: okrctl computes with numbers within ±10^15 (a forecast squares them)
    Case(
        "kr-baseline-out-of-reach",
        "okrs/2026-Q4/web-huge.yaml",
        objective(
            "web-huge",
            "key_results:\n"
            "  - {id: reach, title: Reach grows to everyone, baseline: -1.7e308, target: 4}\n"
            "  - {id: signup-time, title: Time to sign up falls from 6 to 3 minutes, baseline: 6, target: 3}\n",
        ),
        "key_results[0].baseline: -1.7e308 is below -1000000000000000",
        "write a number of at least -1000000000000000",
    ),
    Case(
        "checkin-result-out-of-reach",
        "checkins/web/huge.yaml",
        checkin("2026-11-13", "confidence: 6\nresults: {signup-rate: 2e16}\n"),
        "results.signup-rate: 2e16 is above 1000000000000000",
        "write a number of at most 1000000000000000",
    ),
    # .nan and .inf are numbers to YAML 1.2; okrctl computes only with finite ones, and says which it is
    Case(
        "kr-baseline-nan",
        "okrs/2026-Q4/web-nan.yaml",
        objective(
            "web-nan",
            "key_results:\n"
            "  - {id: signup-rate, title: Visitors who sign up rise to 4%, baseline: .nan, target: 4}\n"
            "  - {id: signup-time, title: Time to sign up falls from 6 to 3 minutes, baseline: 6, target: 3}\n",
        ),
        "key_results[0].baseline: .nan is NaN ('not a number'), which okrctl cannot compute with",
        "write a finite number, such as 42 or 7.5",
    ),
    Case(
        "checkin-result-inf",
        "checkins/web/inf.yaml",
        checkin("2026-11-10", "confidence: 6\nresults: {signup-rate: .inf}\n"),
        "results.signup-rate: .inf is infinite, which okrctl cannot compute with",
        "write the key result's value as a finite number",
    ),
    Case(
        "checkin-result-beyond-a-float",
        "checkins/web/e999.yaml",
        checkin("2026-11-11", "confidence: 6\nresults: {signup-rate: {value: -1e999, note: typo}}\n"),
        "results.signup-rate.value: -1e999 is out of range: YAML reads it as infinity",
        "write the key result's value as a finite number",
    ),
    # A whole number of more digits than a float holds (309 and up) was "is not a number" with the
    # hint to write a number, where one of 20 digits is above the bound.
    Case(
        "kr-target-beyond-a-float",
        "okrs/2026-Q4/web-digits.yaml",
        objective(
            "web-digits",
            "key_results:\n"
            f"  - {{id: reach, title: Reach grows to everyone, baseline: 0, target: {'9' * 320}}}\n"
            "  - {id: signup-time, title: Time to sign up falls from 6 to 3 minutes, baseline: 6, target: 3}\n",
        ),
        "key_results[0].target: 99999999999999999999999999999999999999999999999999999999999… is above 1000000000000000",
        "write a number of at most 1000000000000000",
    ),
    Case(
        "checkin-result-below-a-float",
        "checkins/web/digits.yaml",
        checkin("2026-11-14", f"confidence: 6\nresults: {{signup-rate: -{'9' * 320}}}\n"),
        "results.signup-rate: -9999999999999999999999999999999999999999999999999999999999… is below -1000000000000000",
        "write a number of at least -1000000000000000",
    ),
    Case(
        "config-share-beyond-a-float",
        "okrctl.yaml",
        f"status: {{at_risk_gap: {'9' * 320}}}\n",
        "status.at_risk_gap: 99999999999999999999999999999999999999999999999999999999999… is above 1",
        "write a share from 0 to 1, such as 0.15",
        combine=False,
    ),
    Case(
        "checkin-confidence-nan",
        "checkins/web/nan.yaml",
        checkin("2026-11-12", "confidence: .NaN\n"),
        "confidence: .NaN is NaN ('not a number'), which okrctl cannot compute with",
        "write a finite number",
    ),
    Case(
        "config-cadence-fraction",
        "okrctl.yaml",
        "checkin: {cadence_days: 7.5}\n",
        "checkin.cadence_days: 7.5 is not a whole number",
        "write a whole number, such as 7",
        combine=False,  # the case of cadence_days has the checkin section of the combined config
    ),
    Case(
        "config-stale-nan",
        "okrctl.yaml",
        "checkin: {stale_after_days: .nan}\n",
        "checkin.stale_after_days: .nan is NaN ('not a number'), which okrctl cannot compute with",
        "write a whole number, such as 7",
        combine=False,
    ),
    Case(
        "config-confidence-scale-out-of-reach",
        "okrctl.yaml",
        "checkin: {confidence: {min: -1e308, max: 10}}\n",
        "checkin.confidence.min: -1e308 is below -1000000000000000",
        "write a number of at least -1000000000000000",
        combine=False,  # the case of cadence_days has the checkin section of the combined config
    ),
    Case(
        "config-gap",
        "okrctl.yaml",
        "status: {at_risk_gap: 2}\n",
        "status.at_risk_gap: 2 is above 1",
        "a share from 0 to 1",
    ),
    Case(
        "config-severity",
        "okrctl.yaml",
        "rules: {severity: {OKR201: fatal}}\n",
        "rules.severity.OKR201: 'fatal' is not one of error, warning, info",
        "write one of",
    ),
    Case(
        "config-prefix",
        "okrctl.yaml",
        "rules: {ignore: [OKR2]}\n",
        "rules.ignore[0]: unknown rule code 'OKR2'",
        "a prefix such as OKR2 works on the command line",
        combine=False,
    ),
]


def _repo(tmp_path: Path, cases: list[Case]) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(MINIMAL, repo)
    config = CONFIG_HEAD
    for case in cases:
        if case.path == "okrctl.yaml":
            config += case.text
            continue
        target = repo / case.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(case.text, encoding="utf-8")
    (repo / "okrctl.yaml").write_text(config, encoding="utf-8")
    return repo


def _schema_findings(cli, repo: Path) -> list[dict]:
    result = cli("align", "--repo", str(repo), "--today", DEMO_DAY, "--format", "json", "--select", "OKR101")
    assert result.exit_code == 1, result.output
    return [f for f in json.loads(result.stdout)["findings"] if f["code"] == "OKR101"]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_each_schema_mistake_names_the_field_and_how_to_write_it(cli, tmp_path: Path, case: Case) -> None:
    found = [f for f in _schema_findings(cli, _repo(tmp_path, [case])) if f["path"] == case.path]
    assert len(found) == 1, found  # one mistake, one finding (a union's alternatives collapse)
    assert case.message in found[0]["message"]
    assert case.hint in found[0]["hint"]


def test_no_schema_message_is_in_pydantic_words(cli, tmp_path: Path) -> None:
    cases = [case for case in CASES if case.combine]
    found = _schema_findings(cli, _repo(tmp_path, cases))
    assert {case.path for case in cases} <= {f["path"] for f in found}  # every document was judged
    assert len([f for f in found if f["path"] == "okrctl.yaml"]) == sum(c.path == "okrctl.yaml" for c in cases)
    for finding in found:
        said = finding["message"] + " | " + finding["hint"]
        assert not any(words in said for words in PYDANTIC_WORDS), said
        assert finding["hint"], finding


def test_a_blank_title_or_name_is_a_finding_not_an_empty_link(cli, copy_example) -> None:
    """A unit named " " and an objective titled "   " would leave a link with no text on the site
    and a blank cell in status: each is OKR101, said as blank, at its line."""
    root = copy_example("banco")
    unit = root / "units/cards.yaml"
    unit.write_text(unit.read_text(encoding="utf-8").replace("name: Cards", 'name: " "'), encoding="utf-8")
    objective = root / "okrs/2026-Q4/cards.yaml"
    text = objective.read_text(encoding="utf-8")
    objective.write_text(re.sub(r"^title: .*$", 'title: "   "', text, count=1, flags=re.M), encoding="utf-8")
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "concise")
    assert result.exit_code == 1
    blank = [line for line in result.stdout.splitlines() if "is blank" in line]
    assert blank == [
        "okrs/2026-Q4/cards.yaml:12:8: OKR101 error title is blank: nothing visible is written",
        "units/cards.yaml:5:7: OKR101 error name is blank: nothing visible is written",
    ]


@pytest.mark.parametrize("invisible", ["\u200b", "\u2060\ufeff", " \u00ad "])
def test_a_name_of_invisible_characters_only_is_blank_too(cli, copy_example, invisible: str) -> None:
    """Every output removes these characters, so a name made of them shows as nothing: OKR101."""
    import json as json_module

    root = copy_example("banco")
    unit = root / "units/cards.yaml"
    unit.write_text(
        unit.read_text(encoding="utf-8").replace("name: Cards", f"name: {json_module.dumps(invisible)}"),
        encoding="utf-8",
    )
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    found = [f for f in json_module.loads(result.stdout)["findings"] if f["code"] == "OKR101"]
    assert [(f["path"], f["message"].endswith("is blank: nothing visible is written")) for f in found] == [
        ("units/cards.yaml", True)
    ]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "cycles:\n  - {id: 2026-Q4, start: 2026-10-01, end: 2026-12-31}\n"
            "  - {id: 2026-Q4, start: 2026-11-01, end: 2027-03-31}\n",
            "OKR101 error cycles[1].id: cycle '2026-Q4' is already declared as cycles[0]",
        ),
        (
            "cycles: [{id: all, start: 2027-01-01, end: 2027-03-31}]\n",
            "OKR101 error cycles[0]: 'all' cannot be a cycle's id: '--cycle all' means every cycle",
        ),
    ],
    ids=["twice", "all"],
)
def test_a_cycle_declared_twice_or_named_all_is_one_finding_on_the_config(cli, copy_example, extra, message) -> None:
    """The second declaration silently won (35 OKR502 across check-ins, nothing on okrctl.yaml);
    a cycle named 'all' meant every cycle to align and that cycle to status."""
    root = copy_example("banco")
    with (root / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write(extra)
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "concise")
    assert result.exit_code == 1
    assert [line.split(": ", 1)[1] for line in result.stdout.splitlines()] == [message]


def test_every_cycle_declared_again_is_reported_in_one_run_on_its_own_line(cli, copy_example) -> None:
    """Only the first duplicate was named (on the 'cycles' key): fixing it showed the next one."""
    root = copy_example("banco")
    config = root / "okrctl.yaml"
    before = len(config.read_text(encoding="utf-8").splitlines())
    config.write_text(
        config.read_text(encoding="utf-8") + "cycles:\n"
        "  - {id: fy27, start: 2026-02-01, end: 2027-01-31}\n"  # before + 2
        "  - {id: fy28, start: 2027-02-01, end: 2028-01-31}\n"
        "  - {id: fy27, start: 2026-02-01, end: 2027-01-31}\n"  # before + 4
        "  - id: fy28\n"  # before + 5
        "    start: 2027-02-01\n"
        "    end: 2028-01-31\n"
        "  - {id: fy27, start: 2026-03-01, end: 2027-01-31}\n"  # before + 8
        '  - {id: "2026", start: 2026-01-01, end: 2026-12-31}\n'
        "  - {id: 2026, start: 2026-01-01, end: 2026-12-31}\n",  # before + 10: the same id unquoted
        encoding="utf-8",
    )
    result = cli("align", "--repo", str(root), "--today", "2026-11-20", "--format", "json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["path"], f["line"], f["message"]) for f in found] == [
        ("OKR101", "okrctl.yaml", before + 4, "cycles[2].id: cycle 'fy27' is already declared as cycles[0]"),
        ("OKR101", "okrctl.yaml", before + 5, "cycles[3].id: cycle 'fy28' is already declared as cycles[1]"),
        ("OKR101", "okrctl.yaml", before + 8, "cycles[4].id: cycle 'fy27' is already declared as cycles[0]"),
        ("OKR101", "okrctl.yaml", before + 10, "cycles[6].id: cycle '2026' is already declared as cycles[5]"),
    ]
    assert all(f["hint"] == "declare each cycle once; give the other one its own id" for f in found)
    assert len({f["fingerprint"] for f in found}) == 4
    status = cli("status", "--repo", str(root), "--today", "2026-11-20")
    assert status.exit_code == 1
    assert status.stderr.startswith(f"okrctl: okrctl.yaml:{before + 4}: cycles[2].id: cycle 'fy27' is already declared")


def test_a_key_with_brackets_is_named_where_it_is_written(cli, tmp_path: Path) -> None:
    """Brackets in a key were taken for pydantic's names of a union's schemas and dropped: 'unknown
    field '0' in key_results' on the KR's first line, and a top-level 'note[1]' not reported."""
    text = objective(
        "web-b",
        "note[1]: x\n"
        "list[1]: y\n"
        "key_results:\n"
        "  - id: signup-rate\n"
        "    title: Visitors who sign up rise from 2% to 4%\n"
        "    baseline: 2\n"
        "    target[%]: 4\n"
        "    default[x]: 3\n"
        "    target: 4\n"
        "  - {id: signup-time, title: Time to sign up falls from 6 to 3 minutes, baseline: 6, target: 3}\n",
    )
    repo = _repo(tmp_path, [Case("brackets", "okrs/b.yaml", text, "", "")])
    found = sorted(
        (f["line"], f["column"], f["message"]) for f in _schema_findings(cli, repo) if f["path"] == "okrs/b.yaml"
    )
    assert found == [
        (8, 1, "unknown field 'note[1]'"),
        (9, 1, "unknown field 'list[1]'"),  # pydantic's own names look like this one: still a key
        (14, 5, "unknown field 'target[%]' in key_results[0]"),
        (15, 5, "unknown field 'default[x]' in key_results[0]"),
    ]


def test_scores_in_a_mid_retro_are_reported_on_the_scores(cli, tmp_path: Path) -> None:
    """It was placed on the document's first line (apiVersion), far from the mistake."""
    text = RETRO.replace("stage: end", "stage: mid") + "learned: [a]\nscores: {signup-rate: 0.5}\n"
    repo = _repo(tmp_path, [Case("mid-scores", "retros/m.yaml", text, "", "")])
    found = [f for f in _schema_findings(cli, repo) if f["path"] == "retros/m.yaml"]
    assert [(f["line"], f["message"], f["hint"]) for f in found] == [
        (
            8,
            "scores: only an end retro (stage: end) holds scores",
            "move the scores to the end retro of the cycle, or remove them",
        )
    ]
