"""One finding per cause (issue 10): every single mistake in a healthy organisation gives exactly one finding.

The corpus below makes one mistake at a time in a copy of examples/banco — in every kind of document
(unit, strategy, objective, check-in, retro, config) — and expects exactly one finding, with the code
that names the mistake, where the mistake is. Nothing else may echo it: not the team's check-ins, not
the priorities it served, not the retro of its cycle.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from okrctl.load.pipeline import load_repo
from okrctl.rules import run
from tests.helpers_align import EXAMPLES

TODAY = date(2026, 11, 20)
OBJECTIVE = "okrs/2026-Q4/cards.yaml"
CHECKIN = "checkins/cards/2026-11-20.yaml"
OLD_CHECKIN = "checkins/cards/2026-10-16.yaml"
UNIT = "units/cards.yaml"
PARENT_UNIT = "units/digital-services.yaml"
STRATEGY = "strategy/2026.yaml"
RETRO = "retros/2026-Q4/discover-mid.yaml"
CONFIG = "okrctl.yaml"
PARENT_OBJECTIVE = "okrs/2026-Q4/digital-services.yaml"


@dataclass(frozen=True)
class Mistake:
    name: str
    path: str
    old: str
    new: str
    code: str  # the one finding expected


MISTAKES = [
    # ----- objective ----------------------------------------------------------------------------
    Mistake("objective: unknown field (work -> wrok)", OBJECTIVE, "\nwork:", "\nwrok:", "OKR101"),
    Mistake("objective: misspelt aligns", OBJECTIVE, "\naligns:", "\nalgns:", "OKR101"),
    Mistake("objective: misspelt key_results", OBJECTIVE, "\nkey_results:", "\nkey_result:", "OKR101"),
    Mistake("objective: unknown cycle id", OBJECTIVE, "cycle: 2026-Q4", "cycle: 2026-Q5", "OKR104"),
    Mistake("objective: cycle id that is no id", OBJECTIVE, "cycle: 2026-Q4", "cycle: 2026 Q4", "OKR101"),
    Mistake("objective: owner is no unit", OBJECTIVE, "owner: cards", "owner: crads", "OKR104"),
    Mistake(
        "objective: a supported objective misspelt (the dependency stays acknowledged)",
        "okrs/2026-Q4/identity-platform.yaml",
        "supports: [discover-first-week,",
        "supports: [discover-first-wek,",
        "OKR104",
    ),
    Mistake(
        "objective: the supporting objective's cycle unknown (the dependencies stay acknowledged)",
        "okrs/2026-Q4/identity-platform.yaml",
        "cycle: 2026-Q4",
        "cycle: 2026-q4",
        "OKR104",
    ),
    Mistake(
        "objective: the supporting objective's owner is no unit (the dependencies stay acknowledged)",
        "okrs/2026-Q4/identity-platform.yaml",
        "owner: identity-platform",
        "owner: identity-platfrom",
        "OKR104",
    ),
    Mistake("objective: owner is no slug", OBJECTIVE, "owner: cards", "owner: Cards", "OKR101"),
    Mistake("objective: missing owner", OBJECTIVE, "owner: cards\n", "", "OKR101"),
    Mistake("objective: id is no slug", OBJECTIVE, "id: first-card-moment", "id: First-card-moment", "OKR101"),
    Mistake("objective: missing title", OBJECTIVE, "\ntitle: Make the first card moment", "\n# Make", "OKR101"),
    Mistake("objective: KR id is no slug", OBJECTIVE, "id: card-activation-7d", "id: Card-activation-7d", "OKR101"),
    Mistake("objective: KR baseline is text", OBJECTIVE, "baseline: 48", 'baseline: "48%"', "OKR101"),
    Mistake("objective: KR type misspelt", OBJECTIVE, "    unit: days", "    type: metrc\n    unit: days", "OKR101"),
    Mistake("objective: KR id written twice", OBJECTIVE, "id: card-delivery-days", "id: card-activation-7d", "OKR102"),
    Mistake(
        "objective: alignment target misspelt", OBJECTIVE, "digital-first-week/nps", "digital-first-wek/nps", "OKR104"
    ),
    Mistake("objective: kind misspelt", OBJECTIVE, "kind: Objective", "kind: Objectve", "OKR103"),
    Mistake("objective: unknown apiVersion", OBJECTIVE, "apiVersion: okrctl/v1", "apiVersion: okrctl/v2", "OKR103"),
    Mistake("objective: YAML syntax error", OBJECTIVE, "\nwork: [", "\nwork: [[", "OKR100"),
    Mistake("strategic objective: KR id is no slug", PARENT_OBJECTIVE, "  - id: nps\n", "  - id: NPS\n", "OKR101"),
    Mistake(
        "objective: id of another team's objective",
        "okrs/2026-Q4/identity-platform.yaml",
        "id: identity-fast-kyc",
        "id: first-card-moment",
        "OKR102",
    ),
    # ----- check-in -----------------------------------------------------------------------------
    Mistake("check-in: misspelt confidence", CHECKIN, "confidence: 6", "confidense: 6", "OKR101"),
    Mistake("check-in: confidence off the scale", CHECKIN, "confidence: 6", "confidence: 16", "OKR504"),
    Mistake("check-in: result key misspelt", CHECKIN, "card-activation-7d: 56", "card-activaton-7d: 56", "OKR104"),
    Mistake("check-in: impossible date", CHECKIN, "date: 2026-11-20", "date: 2026-11-31", "OKR101"),
    Mistake("check-in: dated in the future", CHECKIN, "date: 2026-11-20", "date: 2026-12-20", "OKR502"),
    Mistake("check-in: owner is no unit", CHECKIN, "owner: cards", "owner: crads", "OKR104"),
    Mistake("check-in: result value is text", CHECKIN, "card-activation-7d: 56", "card-activation-7d: 56 %", "OKR101"),
    Mistake("check-in: kind misspelt", CHECKIN, "kind: CheckIn", "kind: Checkin", "OKR103"),
    Mistake("check-in: YAML syntax error", CHECKIN, "confidence: 6", "confidence: [6", "OKR100"),
    Mistake("older check-in: misspelt confidence", OLD_CHECKIN, "confidence:", "confidance:", "OKR101"),
    Mistake("check-in: note's value is text", CHECKIN, "{value: 5.1, note:", "{value: 5.1 days, note:", "OKR101"),
    Mistake("check-in: confidence keyed by a title", CHECKIN, "confidence: 6", "confidence: {First card: 6}", "OKR101"),
    # ----- unit ---------------------------------------------------------------------------------
    Mistake("unit: parent is no unit", UNIT, "parent: digital-services", "parent: digital-service", "OKR104"),
    Mistake("unit: misspelt parent", UNIT, "parent: digital-services", "parnet: digital-services", "OKR101"),
    Mistake("unit: unknown type", UNIT, "type: team", "type: squad", "OKR101"),
    Mistake("unit: id is no slug", UNIT, "id: cards", "id: Cards", "OKR101"),
    Mistake("unit: member is no e-mail", UNIT, "carla.mendes@example.com", "carla.mendes", "OKR101"),
    Mistake("parent unit: misspelt kind", PARENT_UNIT, "kind: Unit", "kind: Unti", "OKR103"),
    # ----- strategy -----------------------------------------------------------------------------
    Mistake("strategy: misspelt vision", STRATEGY, "\nvision:", "\nvisoin:", "OKR101"),
    Mistake(
        "strategy: priority id is no slug", STRATEGY, "id: simplify-onboarding", "id: Simplify-onboarding", "OKR101"
    ),
    Mistake("strategy: unknown cycle", STRATEGY, 'cycle: "2026"', "cycle: 2026-Q9", "OKR104"),
    Mistake("strategy: owner is no unit", STRATEGY, "owner: banco", "owner: banko", "OKR104"),
    Mistake("strategy: missing id", STRATEGY, "id: strategy-2026\n", "", "OKR101"),
    # ----- retro --------------------------------------------------------------------------------
    Mistake("retro: unknown stage", RETRO, "stage: mid", "stage: middle", "OKR101"),
    Mistake("retro: misspelt field", RETRO, "\nlearned:", "\nlearnt:", "OKR101"),
    Mistake("retro: owner is no unit", RETRO, "owner: discover", "owner: discovr", "OKR104"),
    Mistake("retro: unknown cycle", RETRO, "cycle: 2026-Q4", "cycle: 2026-Q6", "OKR104"),
    # ----- config -------------------------------------------------------------------------------
    Mistake("config: misspelt setting", CONFIG, "stale_after_days: 10", "stale_after_day: 10", "OKR101"),
    Mistake("config: value of the wrong type", CONFIG, "max: 10}", "max: ten}", "OKR101"),
    Mistake("config: misspelt section", CONFIG, "\norganization:", "\norganisation:", "OKR101"),
    Mistake("config: unknown rule code", CONFIG, "\ncheckin:", "\nrules: {ignore: [OKR999]}\ncheckin:", "OKR101"),
    Mistake(
        "config: declared cycle with an impossible date",
        CONFIG,
        "\ncheckin:",
        "\ncycles: [{id: fy27-q1, start: 2026-02-01, end: 2026-14-30}]\ncheckin:",
        "OKR101",
    ),
]


def _org(tmp_path: Path) -> Path:
    root = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", root)
    return root


def _findings(root: Path) -> list[tuple[str, str, int]]:
    repo = load_repo(root, use_cache=False)
    return [(f.code, f.path, f.line) for f in run(repo, TODAY)]


def test_the_healthy_organisation_has_no_finding_at_all(tmp_path: Path) -> None:
    assert _findings(_org(tmp_path)) == []


def test_the_corpus_covers_every_kind() -> None:
    kinds = {m.name.split(":")[0].split()[-1] for m in MISTAKES}
    assert {"objective", "check-in", "unit", "strategy", "retro", "config"} <= kinds
    assert len(MISTAKES) >= 45


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_one_mistake_gives_exactly_one_finding(tmp_path: Path, mistake: Mistake) -> None:
    root = _org(tmp_path)
    path = root / mistake.path
    text = path.read_text(encoding="utf-8")
    assert text.count(mistake.old) == 1, f"{mistake.old!r} must occur once in {mistake.path}"
    path.write_text(text.replace(mistake.old, mistake.new), encoding="utf-8")
    found = _findings(root)
    assert len(found) == 1, found
    code, where, _line = found[0]
    assert (code, where) == (mistake.code, mistake.path), found


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("okrs/2026-Q4/product.yaml", "strategy-2026/scale-operations,", "strategy-2026/scale-operation,"),
        ("okrs/2026-Q4/acme.yaml", "strategy-2026/grow-subscriptions,", "strategy-2026/grow-subscriptons,"),
    ],
)
def test_the_only_alignment_to_a_priority_misspelt_is_one_finding(
    tmp_path: Path, path: str, old: str, new: str
) -> None:
    """In examples/saas these objectives are the only ones aligned to their priority: the slip is
    the OKR104 whose "did you mean" names the priority, not also an OKR202 saying nothing serves it."""
    root = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", root)
    assert _findings(root) == []
    text = (root / path).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (root / path).write_text(text.replace(old, new), encoding="utf-8")
    found = _findings(root)
    assert [(code, where) for code, where, _line in found] == [("OKR104", path)], found


def test_a_misspelt_alignment_to_its_own_objective_leaves_that_objectives_okr202(tmp_path: Path) -> None:
    """A strategic objective nothing aligns to, whose own alignment misspells its own id: a link to
    itself never serves it, so its OKR202 stays beside the OKR104 (fixing the slip would not end it)."""
    import re

    root = tmp_path / "saas"
    shutil.copytree(EXAMPLES / "saas", root)
    for team in ("product", "sales", "business-development", "marketing", "customer-success"):
        path = root / "okrs/2026-Q4" / f"{team}.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            re.sub(
                r"(?m)^  - \{to: subscriptions-5000.*$",
                "  - {to: strategy-2026/grow-subscriptions, type: directional}",
                text,
            )
        )
    acme = root / "okrs/2026-Q4/acme.yaml"
    line = "  - {to: strategy-2026/grow-subscriptions, type: directional}\n"
    text = acme.read_text(encoding="utf-8")
    assert text.count(line) == 1
    acme.write_text(text.replace(line, line + "  - {to: subscriptions-500, type: directional}\n"), encoding="utf-8")
    found = sorted((code, where) for code, where, _line in _findings(root))
    assert found == [("OKR104", "okrs/2026-Q4/acme.yaml"), ("OKR202", "okrs/2026-Q4/acme.yaml")]


PROVIDER = "okrs/2026-Q4/identity-platform.yaml"


def test_a_new_teams_draft_acknowledges_no_other_units_need(tmp_path: Path) -> None:
    """Identity Platform no longer supports Discover's objective (OKR401), and a team whose unit is not
    declared yet (``owner: payments``, close to no unit) drafts an objective that lists it under
    ``supports``: the draft's OKR104 hid the OKR401, which came back once the unit was declared."""
    root = _org(tmp_path)
    provider = root / PROVIDER
    provider.write_text(
        provider.read_text(encoding="utf-8").replace("supports: [discover-first-week, ", "supports: ["),
        encoding="utf-8",
    )
    assert [(code, where) for code, where, _line in _findings(root)] == [("OKR401", "okrs/2026-Q4/discover.yaml")]
    (root / "okrs/2026-Q4/payments.yaml").write_text(
        "apiVersion: okrctl/v1\nkind: Objective\nid: payments-instant\nowner: payments\ncycle: 2026-Q4\n"
        "title: Instant payments for every new customer\naligns:\n  - {to: digital-first-week}\n"
        "supports: [discover-first-week]\nkey_results:\n"
        "  - {id: instant-share, title: Instant payment share grows from 10% to 40%, baseline: 10, target: 40}\n"
        "  - {id: payment-errors, title: Failed payments fall from 3% to 1%, baseline: 3, target: 1}\n",
        encoding="utf-8",
    )
    found = sorted((code, where) for code, where, _line in _findings(root))
    assert found == [("OKR104", "okrs/2026-Q4/payments.yaml"), ("OKR401", "okrs/2026-Q4/discover.yaml")], found


def test_a_misspelt_supports_entry_of_an_objective_whose_cycle_is_unknown_is_acknowledged(tmp_path: Path) -> None:
    """Two slips in the provider's objective (``cycle: 2026-q4`` and ``discover-first-wek`` under
    ``supports``) are its two OKR104s; an OKR401 on Discover's file repeated them."""
    root = _org(tmp_path)
    provider = root / PROVIDER
    text = provider.read_text(encoding="utf-8")
    provider.write_text(
        text.replace("cycle: 2026-Q4", "cycle: 2026-q4").replace("[discover-first-week,", "[discover-first-wek,"),
        encoding="utf-8",
    )
    found = [(code, where) for code, where, _line in _findings(root)]
    assert found == [("OKR104", PROVIDER), ("OKR104", PROVIDER)], found


def test_two_causes_in_one_broken_document_give_two_findings_in_one_run(tmp_path: Path) -> None:
    """A schema error does not hide the document's other, independent mistakes: an owner, a
    dependency, an alignment target or a cycle that does not exist are judged from what the broken
    document declares, so one run reports them all (README: every problem in one run)."""
    root = _org(tmp_path)
    path = root / OBJECTIVE
    text = path.read_text(encoding="utf-8")
    broken = text.replace("\nowner: cards\n", "\nowner: cardz\n", 1).replace(
        "  - id: card-activation-7d\n", "  - id: card-activation-7d\n    colour: red\n", 1
    )
    assert broken.count("cardz") == 1 and "colour: red" in broken
    path.write_text(broken, encoding="utf-8")
    found = _findings(root)
    assert sorted(code for code, _path, _line in found) == ["OKR101", "OKR104"], found
    assert all(where == OBJECTIVE for _code, where, _line in found)
    # The owner's key misspelt instead ('ownr: cardz'): the schema's findings alone, the misspelt
    # key once (not also "missing required field 'owner'"), and the KR's unknown field.
    path.write_text(broken.replace("\nowner: cardz\n", "\nownr: cardz\n", 1), encoding="utf-8")
    assert [code for code, _path, _line in _findings(root)] == ["OKR101", "OKR101"]


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        (OBJECTIVE, "\nowner: cards\n", "\nownr: cards\n"),
        (OBJECTIVE, "\n    title: ", "\n    tilte: "),
        (CHECKIN, "\nowner: cards\n", "\nownr: cards\n"),
        (RETRO, "\nstage: mid\n", "\nstag: mid\n"),
    ],
)
def test_a_misspelt_required_key_is_one_finding(tmp_path: Path, path: str, old: str, new: str) -> None:
    """docs/rules.md: a misspelt field is reported once, on the key as written (not also as the
    required field it misses)."""
    root = _org(tmp_path)
    target = root / path
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    repo = load_repo(root, use_cache=False)
    found = [f for f in run(repo, TODAY)]
    assert [(f.code, f.path) for f in found] == [("OKR101", path)], found
    assert found[0].message.startswith(f"unknown field '{new.strip().split(':')[0]}'")
    assert "(the required field '" in found[0].message


def _join_without_separator(root: Path, into: str, moved: str) -> None:
    """``moved``'s document pasted at the end of ``into`` with no '---' between (its file gone)."""
    (root / into).write_text(
        (root / into).read_text(encoding="utf-8") + (root / moved).read_text(encoding="utf-8"), encoding="utf-8"
    )
    (root / moved).unlink()


def _drop_separators(root: Path, path: str, count: int) -> None:
    """The first ``count`` '---' lines of ``path`` forgotten."""
    text = (root / path).read_text(encoding="utf-8")
    assert text.count("\n---\n") >= count
    (root / path).write_text(text.replace("\n---\n", "\n", count), encoding="utf-8")


@pytest.mark.parametrize(
    ("path", "forget", "line"),
    [
        # cards' unit pasted under digital-services': the check-ins and objective of cards name it
        (PARENT_UNIT, lambda root: _join_without_separator(root, PARENT_UNIT, UNIT), 11),
        # sme-digital-banking, which small-business-app aligns to, after digital-first-week
        (PARENT_OBJECTIVE, lambda root: _drop_separators(root, PARENT_OBJECTIVE, 1), 43),
        # resilient-digital-channels too, which core-platform aligns to
        (PARENT_OBJECTIVE, lambda root: _drop_separators(root, PARENT_OBJECTIVE, 2), 43),
    ],
    ids=["a unit after another", "an objective after another", "three objectives in one"],
)
def test_a_forgotten_document_separator_is_one_finding(cli, copy_example, git_repo, path, forget, line) -> None:
    """docs/rules.md: a file that is not valid YAML still declares, line by line, what each of its
    documents does; one whose '---' was forgotten declares the document after it too. Its units and
    objectives are no "unknown" owner or alignment target (OKR104) of every check-in and objective
    naming them: the duplicate 'apiVersion' is the one finding, and its hint names the missing '---'."""
    import json

    root = git_repo(copy_example("banco"))
    forget(root)
    result = cli("align", "--repo", str(root), "--today", TODAY.isoformat(), "--format", "json")
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["path"], f["line"]) for f in found] == [("OKR100", path, line)], found
    assert found[0]["message"].startswith("duplicate key 'apiVersion'")
    assert found[0]["hint"].startswith("probably a forgotten '---' between two documents"), found[0]["hint"]
    assert f"(above line {line})" in found[0]["hint"]


_READING = """apiVersion: okrctl/v1
kind: Reading
owner: cards
date: 2026-11-19
source: kpis.csv
values:
  card-activation-7d: 55
  virtual-card-day-one: 19
"""
_END_RETRO = """apiVersion: okrctl/v1
kind: Retro
owner: cards
cycle: 2026-Q4
stage: end
date: 2026-11-20
learned:
  - Virtual cards sell the physical one
scores:
  card-activation-7d: 0.7
  virtual-card-day-one: 0.5
"""


@pytest.mark.parametrize(
    ("path", "text", "slip", "schema_error", "expected"),
    [
        (
            CHECKIN,
            None,
            ("card-activation-7d: 56", "card-activaton-7d: 56"),
            ("virtual-card-day-one: 19.5", "virtual-card-day-one: 19.5 %"),
            [(8, "OKR104", "result for 'card-activaton-7d'"), (9, "OKR101", "results.virtual-card-day-one")],
        ),
        (
            CHECKIN,
            None,
            ("confidence: 6", "confidence: {first-card-momnt: 6}"),
            ("virtual-card-day-one: 19.5", "virtual-card-day-one: 19.5 %"),
            [(6, "OKR104", "confidence for 'first-card-momnt'"), (9, "OKR101", "results.virtual-card-day-one")],
        ),
        (
            "okrs/2026-Q4/discover.yaml",
            None,
            ("for: onboarding-completion", "for: onboarding-complete"),
            ("baseline: 65", 'baseline: "65%"'),
            [(20, "OKR104", "dependency is for 'onboarding-complete'"), (29, "OKR101", "key_results[0].baseline")],
        ),
        (
            "readings/cards/2026-11-19.yaml",
            _READING,
            ("card-activation-7d: 55", "card-activaton-7d: 55"),
            ("virtual-card-day-one: 19", "virtual-card-day-one: 19 %"),
            [(7, "OKR104", "value for 'card-activaton-7d'"), (8, "OKR101", "values.virtual-card-day-one")],
        ),
        (
            "retros/2026-Q4/cards-end.yaml",
            _END_RETRO,
            ("card-activation-7d: 0.7", "card-activaton-7d: 0.7"),
            ("\nlearned:", "\nlearnt:"),
            [(7, "OKR101", "unknown field 'learnt'"), (10, "OKR104", "score for 'card-activaton-7d'")],
        ),
    ],
    ids=["check-in result key", "check-in confidence key", "dependency for", "reading value key", "retro score key"],
)
def test_a_slip_in_a_reference_of_a_broken_document_is_reported_in_the_same_run(
    cli, copy_example, git_repo, path, text, slip, schema_error, expected
) -> None:
    """docs/rules.md: a broken document's own references are judged. A result, value or score key,
    a confidence key or a dependency's ``for`` that names nothing gets its OKR104 in the same run
    as the document's OKR101: fixing the schema error does not reveal the slip."""
    import json

    root = git_repo(copy_example("banco"))
    target = root / path
    if text is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    written = target.read_text(encoding="utf-8")
    for old, new in (slip, schema_error):
        assert written.count(old) == 1, old
        written = written.replace(old, new)
    target.write_text(written, encoding="utf-8")

    def align() -> tuple[int, list[tuple[int, str, str]]]:
        result = cli("align", "--repo", str(root), "--today", TODAY.isoformat(), "--format", "json")
        found = json.loads(result.stdout)["findings"]
        assert all(f["path"] == path for f in found), found
        return result.exit_code, [(f["line"], f["code"], f["message"]) for f in found]

    code, found = align()
    assert code == 1
    assert [(line, rule) for line, rule, _message in found] == [(line, rule) for line, rule, _start in expected]
    assert all(message.startswith(start) for (_l, _r, message), (_, _, start) in zip(found, expected, strict=True)), (
        found
    )
    # The schema error fixed, the slip is still the one finding (none appears, none goes).
    target.write_text(written.replace(schema_error[1], schema_error[0]), encoding="utf-8")
    code, found = align()
    assert code == 1
    assert [rule for _line, rule, _message in found] == ["OKR104"], found


# ----- a broken okrctl.yaml: its one finding, and nothing judged against the defaults --------------
SETTINGS_DAY = "2026-03-20"
SETTINGS_CONFIG = """apiVersion: okrctl/v1
kind: Config
organization: Test Org
cycles:
  - {id: fy-q1, start: 2026-02-01, end: 2026-04-30}
checkin: {stale_after_days: 20, confidence: {min: 0, max: 100}}
status: {at_risk_gap: 0.4, off_track_gap: 0.6}
limits: {objectives_per_team: 4, krs_per_objective: [1, 3]}
"""
_TEAM_OBJECTIVES = ("usage", "speed", "quality", "reach")


def settings_org(root: Path) -> Path:
    """A repository whose okrctl.yaml sets every setting a rule reads away from its default, on
    ``SETTINGS_DAY`` without a finding: a 0–100 scale (confidence 80 and 50), check-ins 14 days old
    (stale after 20), t1's four objectives (a limit of 4) of one key result each ([1, 3]), behind
    their pace with a confidence of 80 (a gap of 0.355 on the day of the check-in: on-track up to
    0.4, off-track past the default 0.35)."""
    from tests.conftest import write_files

    files = {
        "okrctl.yaml": SETTINGS_CONFIG,
        "units/u.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: co\nname: Company\ntype: company\n---\n"
        "apiVersion: okrctl/v1\nkind: Unit\nid: t1\nname: Team One\nparent: co\n",
        "strategy/s.yaml": 'apiVersion: okrctl/v1\nkind: Strategy\nid: strat\nowner: co\ncycle: "2026"\n'
        "priorities:\n  - {id: grow, title: Grow}\n",
        "okrs/co.yaml": "apiVersion: okrctl/v1\nkind: Objective\nid: co-grow\nowner: co\ncycle: fy-q1\n"
        "title: Grow the company\naligns: [{to: strat/grow}]\nkey_results:\n"
        "  - {id: rev, title: Raise revenue from 100 to 200, unit: k, baseline: 100, target: 200}\n"
        "  - {id: nps, title: Raise NPS from 20 to 40, baseline: 20, target: 40}\n",
        "checkins/co/2026-03-06.yaml": "apiVersion: okrctl/v1\nkind: CheckIn\nowner: co\ndate: 2026-03-06\n"
        "confidence: 50\nresults: {rev: 130}\n",
    }
    for name in _TEAM_OBJECTIVES:
        files[f"okrs/t1-{name}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: Objective\nid: t1-{name}\nowner: t1\ncycle: fy-q1\n"
            f"title: Team one grows its {name}\naligns: [{{to: co-grow}}]\nkey_results:\n"
            f"  - {{id: {name}, title: Raise {name} from 0 to 100, unit: points, baseline: 0, target: 100}}\n"
        )
    for day in ("2026-02-20", "2026-03-06"):
        results = ", ".join(f"{name}: 2" for name in _TEAM_OBJECTIVES)
        files[f"checkins/t1/{day}.yaml"] = (
            f"apiVersion: okrctl/v1\nkind: CheckIn\nowner: t1\ndate: {day}\nconfidence: 80\nresults: {{{results}}}\n"
        )
    return write_files(root, files)


_CONFLICT = """  - {id: fy-q1, start: 2026-02-01, end: 2026-04-30}
<<<<<<< HEAD
  - {id: fy-q2, start: 2026-05-01, end: 2026-07-31}
=======
  - {id: fy-q2, start: 2026-05-01, end: 2026-07-30}
>>>>>>> other
"""
# (old, new, the code and line of the one finding); what the default standing in gave beside it
BROKEN_SETTINGS = {
    # 3 × OKR504 (0–10), 5 × OKR104 unknown cycle 'fy-q1'
    "a duplicate key": ("status:", "organization: Test Org again\nstatus:", "OKR100", 7),
    "a merge conflict in cycles": (_CONFLICT.splitlines(keepends=True)[0], _CONFLICT, "OKR100", 6),
    # 3 × OKR504
    "a misspelt confidence max": ("max: 100}", "maxi: 100}", "OKR101", 6),
    "a confidence min above its max": ("min: 0, max: 100", "min: 100, max: 0", "OKR101", 6),
    # 2 × OKR501 (stale after 10 days)
    "stale_after_days as text": ("stale_after_days: 20", "stale_after_days: twenty", "OKR101", 6),
    # 4 × OKR506 (off-track past 0.35)
    "an at-risk gap above the off-track gap": ("at_risk_gap: 0.4", "at_risk_gap: 0.7", "OKR101", 7),
    # 4 × OKR302 (fewer than 2), and OKR301 (more than 3) where the whole section is refused
    "krs_per_objective max below min": ("[1, 3]", "[3, 1]", "OKR101", 8),
    "krs_per_objective of one number": ("[1, 3]", "[1]", "OKR101", 8),
    "krs_per_objective as a mapping": ("[1, 3]", "{min: 1, max: 3}", "OKR101", 8),
    # OKR301
    "objectives_per_team as text": ("objectives_per_team: 4", "objectives_per_team: four", "OKR101", 8),
    # a misspelt setting's name is an error in its section: 3 × OKR504, 2 × OKR501
    "a misspelt confidence": ("confidence: {min", "confidance: {min", "OKR101", 6),
    "a misspelt stale_after_days": ("stale_after_days: 20", "stale_after_day: 20", "OKR101", 6),
    # a misspelt section (its settings are all the defaults): OKR504s, OKR501s
    "a misspelt checkin section": ("checkin: {", "checkins: {", "OKR101", 6),
}


@pytest.mark.parametrize("case", list(BROKEN_SETTINGS))
def test_a_broken_config_setting_is_one_finding_not_every_file_judged_by_its_default(
    cli, git_repo, tmp_path: Path, case: str
) -> None:
    """docs/rules.md: a broken okrctl.yaml keeps its valid settings, and the rules that read a
    setting it breaks are skipped until it is fixed. A misspelt scale gave one OKR504 per check-in
    (the default 0–10 against a 0–100 scale); an invalid krs_per_objective one OKR302 per objective
    (the default [2, 5]); an okrctl.yaml that is not YAML (a duplicate key, two pull requests' merge
    conflict in cycles:) every setting's echo, and an OKR104 'unknown cycle' on each objective of
    a cycle it declares. Now its own finding is the one, and align exits 1 on it."""
    import json

    old, new, code, line = BROKEN_SETTINGS[case]
    root = git_repo(settings_org(tmp_path / "org"))

    def align() -> tuple[int, list[tuple[str, str, int]]]:
        result = cli("align", "--repo", str(root), "--today", SETTINGS_DAY, "--format", "json")
        found = json.loads(result.stdout)["findings"]
        return result.exit_code, [(f["code"], f["path"], f["line"]) for f in found]

    assert align() == (0, [])
    config = root / "okrctl.yaml"
    assert SETTINGS_CONFIG.count(old) == 1, old
    config.write_text(SETTINGS_CONFIG.replace(old, new), encoding="utf-8")
    assert align() == (1, [(code, "okrctl.yaml", line)])


# ----- a broken check-in still holds its team's date ------------------------------------------------
def test_a_second_check_in_beside_a_broken_first_is_okr102_in_the_same_run_and_no_step_of_the_views(
    cli, copy_example, git_repo
) -> None:
    """docs/rules.md: a broken document counts for the owner and date it declares, and of two
    check-ins for one team and date the first in path order is the day's. With the first broken,
    align hid the second's OKR102 until the first was fixed, and status and digest read the
    second's confidence (a drop from 5 to 2 that the day's check-in never said)."""
    import json

    root = git_repo(copy_example("banco"))
    first = root / CHECKIN
    text = first.read_text(encoding="utf-8")
    second = first.parent / "2026-11-20b.yaml"  # after the first in path order
    second.write_text(text.replace("confidence: 6", "confidence: 2"), encoding="utf-8")
    first.write_text(text.replace("\nconfidence:", "\nconfidnce:"), encoding="utf-8")
    day = TODAY.isoformat()

    def align() -> tuple[int, list[tuple[str, str, str, str]]]:
        result = cli("align", "--repo", str(root), "--today", day, "--format", "json")
        found = json.loads(result.stdout)["findings"]
        return result.exit_code, [(f["code"], f["path"], f["message"], f["fingerprint"]) for f in found]

    code, found = align()
    assert code == 1
    okr102 = (
        "OKR102",
        "checkins/cards/2026-11-20b.yaml",
        "second check-in of 'cards' for 2026-11-20 (first at checkins/cards/2026-11-20.yaml:4)",
    )
    assert [f[:3] for f in found] == [("OKR101", CHECKIN, "unknown field 'confidnce'"), okr102]
    status = cli("status", "--repo", str(root), "--today", day, "--team", "cards", "--format", "json")
    trend = json.loads(status.stdout)["objectives"][0]["confidence_trend"]
    assert trend[-1] == {"date": "2026-11-13", "confidence": 5.0}  # the day has no check-in to show yet
    digest = cli("digest", "--repo", str(root), "--today", day, "--no-history", "--format", "json")
    assert json.loads(digest.stdout)["confidence_drops"] == []
    # Fixed, the first is the day's: the same OKR102 (its fingerprint too), nothing new.
    first.write_text(text, encoding="utf-8")
    code, fixed = align()
    assert code == 1 and fixed == found[1:]
    # The second broken instead: its OKR102 beside its own error, not once that is fixed.
    second.write_text(text.replace("\nconfidence:", "\nconfidnce:"), encoding="utf-8")
    code, found = align()
    assert [f[:2] for f in found] == [okr102[:2], ("OKR101", "checkins/cards/2026-11-20b.yaml")]
    assert found[0][3] == fixed[0][3]
