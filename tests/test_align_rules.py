"""The alignment (OKR2xx), focus (OKR3xx) and horizontal (OKR4xx) rules of `okrctl align`."""

from __future__ import annotations

import json

import pytest

from okrctl.catalog import RULES
from tests.helpers_align import (
    BAD_ORG,
    EXAMPLES,
    FIXTURES,
    GOOD_ORG,
    align,
    align_json,
    codes,
    copy_org,
    org_with_case,
    write,
)

ISSUE_CODES = sorted(code for code in RULES if code[3] in "234")


def test_the_issue_codes_are_the_2xx_3xx_and_4xx_rules_of_the_spec() -> None:
    # The rules of issue 3, OKR404 (issue 13), and the planning gate of issue 10 (OKR209, OKR210, OKR307).
    assert len(ISSUE_CODES) == 21
    assert ISSUE_CODES[0] == "OKR201" and ISSUE_CODES[-1] == "OKR404"


def test_every_rule_code_has_a_bad_and_a_good_fixture() -> None:
    for kind in ("bad", "good"):
        files = sorted(p.stem for p in (FIXTURES / kind / "rules").glob("*.yaml"))
        assert files == ISSUE_CODES


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_the_bad_fixture_triggers_its_rule(tmp_path, code) -> None:
    findings = align_json(org_with_case(tmp_path, "bad", code))
    hits = [f for f in findings if f["code"] == code]
    assert hits, f"{code} did not fire; got {codes(findings)}"
    for hit in hits:
        # OKR403 is reported once per pair, at the first of the two KRs (here the healthy alpha's).
        assert hit["path"] == ("okrs/alpha.yaml" if code == "OKR403" else "okrs/zz-case.yaml")
        assert hit["line"] > 1 and hit["column"] >= 1
        assert hit["hint"]


@pytest.mark.parametrize("code", ISSUE_CODES)
def test_the_good_fixture_triggers_nothing(tmp_path, code) -> None:
    assert align_json(org_with_case(tmp_path, "good", code)) == []


def test_the_healthy_organisation_has_no_finding_even_in_strict_mode() -> None:
    # The fixture organisation holds no check-ins: the cadence rules (OKR5xx) are tested elsewhere.
    result = align(GOOD_ORG, "--strict", "--format", "concise", "--ignore", "OKR5")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


@pytest.mark.parametrize("example", ["banco", "saas"])
def test_the_bundled_examples_pass_align_strict_with_every_rule(example) -> None:
    result = align(EXAMPLES / example, "--strict", "--format", "concise")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_the_bad_organisation_triggers_every_rule_of_the_issue() -> None:
    found = set(codes(align_json(BAD_ORG)))
    # The planning gate of issue 10 has its own fixtures (tests/fixtures/{bad,good}/rules/).
    wanted = set(ISSUE_CODES) - {"OKR209", "OKR210", "OKR307"}
    assert wanted <= found, sorted(wanted - found)
    assert not {c for c in found if c.startswith("OKR1")}, "the bad organisation must be valid otherwise"


def test_the_healthy_team_of_the_bad_organisation_has_no_finding() -> None:
    findings = align_json(BAD_ORG)
    assert [f for f in findings if f["path"] == "okrs/healthy.yaml"] == []
    assert "healthy-activation" not in " ".join(f["message"] for f in findings if f["code"] != "OKR205")


def test_every_finding_has_a_path_a_line_a_message_naming_an_id_and_a_hint() -> None:
    for finding in align_json(BAD_ORG):
        assert finding["path"].endswith(".yaml")
        assert finding["line"] >= 1 and finding["column"] >= 1
        assert "'" in finding["message"] or "loop-a" in finding["message"], finding  # messages name the ids
        assert finding["hint"], finding


def _at(findings, code):
    return [(f["path"], f["line"], f["column"]) for f in findings if f["code"] == code]


def test_findings_point_at_the_most_precise_yaml_place() -> None:
    findings = align_json(BAD_ORG)
    assert _at(findings, "OKR201") == [("okrs/orphan.yaml", 3, 5)]  # the objective's id
    assert _at(findings, "OKR203") == [("okrs/explicit.yaml", 8, 10)]  # the `to:` value
    assert _at(findings, "OKR204") == [("okrs/explicit.yaml", 9, 44)]  # the second `type: explicit`
    assert _at(findings, "OKR206") == [("okrs/looper.yaml", 8, 10)]
    assert _at(findings, "OKR207") == [("okrs/late.yaml", 8, 10)]
    assert _at(findings, "OKR208") == [("okrs/copycat.yaml", 11, 12)]  # the copied KR's title
    assert _at(findings, "OKR304") == [("okrs/sloppy.yaml", 19, 13)]  # the target
    assert _at(findings, "OKR305") == [("okrs/sloppy.yaml", 22, 12)]  # the title
    # The pace key outside the cycle, then the value that goes backwards.
    assert _at(findings, "OKR306") == [("okrs/sloppy.yaml", 28, 7), ("okrs/sloppy.yaml", 29, 19)]
    assert _at(findings, "OKR401") == [("okrs/depender.yaml", 10, 12)]  # depends_on[0].unit
    assert _at(findings, "OKR403") == [("okrs/depender.yaml", 14, 13)]  # the KR's metric
    assert ("strategy.yaml", 9, 10) in _at(findings, "OKR202")  # the priority's id


def test_severities_follow_the_catalogue() -> None:
    for finding in align_json(BAD_ORG):
        assert finding["severity"] == RULES[finding["code"]].severity


# ----- single behaviours ------------------------------------------------------------------------
TEAM = """\
apiVersion: okrctl/v1
kind: Unit
id: gamma
parent: growth
---
"""


def _objective(oid: str, body: str, owner: str = "gamma", cycle: str = "2026-Q4") -> str:
    return f"apiVersion: okrctl/v1\nkind: Objective\nid: {oid}\nowner: {owner}\ncycle: {cycle}\ntitle: T\n{body}"


KRS = """\
key_results:
  - {id: partners, title: Partners onboarded grow from 10 to 40, baseline: 10, target: 40}
  - {id: partner-signups, title: Partner sign-ups grow from 100 to 300, baseline: 100, target: 300}
"""


def test_an_objective_aligned_to_its_own_key_result_is_a_loop_not_a_sideways_link(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    write(root, "okrs/gamma.yaml", TEAM + _objective("gamma-goal", "aligns: [{to: gamma-goal/partners}]\n" + KRS))
    found = codes(align_json(root))
    assert found == ["OKR206"]


def test_a_loop_is_reported_once_however_many_objectives_it_passes(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    docs = [
        _objective("loop-a", "aligns: [{to: loop-b}]\n" + KRS, owner="growth"),
        _objective("loop-b", "aligns: [{to: loop-c}]\n" + KRS, owner="growth"),
        _objective("loop-c", "aligns: [{to: loop-a}]\n" + KRS, owner="growth"),
    ]
    write(root, "okrs/loop.yaml", "---\n".join(docs))
    loops = [f for f in align_json(root) if f["code"] == "OKR206"]
    assert [f["message"] for f in loops] == ["alignment loop: loop-a → loop-b → loop-c → loop-a"]


def test_a_peers_strategy_priority_is_called_a_priority_and_its_strategy_a_strategy(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    peer_strategy = "apiVersion: okrctl/v1\nkind: Strategy\nid: beta-2026\nowner: beta\ncycle: 2026\n"
    write(root, "beta-strategy.yaml", peer_strategy + "priorities:\n  - {id: speed, title: Ship faster}\n")
    aligns = "aligns: [{to: beta-2026/speed}, {to: beta-2026}]\n"
    write(root, "okrs/gamma.yaml", TEAM + _objective("gamma-goal", aligns + KRS))
    sideways = [f for f in align_json(root) if f["code"] == "OKR205"]
    assert [(f["line"], f["column"], f["message"]) for f in sideways] == [
        (12, 15, "'gamma-goal' of 'gamma' aligns to priority 'beta-2026/speed' of 'beta', a peer unit"),
        (12, 38, "'gamma-goal' of 'gamma' aligns to strategy 'beta-2026' of 'beta', a peer unit"),
    ]


def test_a_cascaded_copy_is_recognised_by_its_metric_name_too(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    write(
        root,
        "okrs/gamma.yaml",
        TEAM
        + _objective(
            "gamma-goal",
            "aligns: [{to: alpha-activation}]\n"
            "key_results:\n"
            "  - {id: invites, title: Our invites, metric: teammate-invites, baseline: 20, target: 40}\n"
            "  - {id: other, title: Partner sign-ups grow from 100 to 300, baseline: 100, target: 300}\n",
        ),
    )
    assert "OKR208" in codes(align_json(root))


def test_a_kr_with_the_parents_metric_but_its_own_target_is_no_copy(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    write(
        root,
        "okrs/gamma.yaml",
        TEAM
        + _objective(
            "gamma-goal",
            "aligns: [{to: growth-acquisition}]\n"
            "key_results:\n"
            "  - {id: signups, title: Monthly sign-ups grow from 1000 to 2000, baseline: 1000, target: 1300}\n"
            "  - {id: other, title: Partner sign-ups grow from 100 to 300, baseline: 100, target: 300}\n",
        ),
    )
    assert align_json(root) == []


@pytest.mark.parametrize(
    ("kr", "expected"),
    [
        ("{id: a, title: Launch the partner portal, type: milestone}", ["OKR305"]),
        ("{id: a, title: ship v2 of the app, type: milestone}", ["OKR305"]),
        ("{id: a, title: Deliver 5 features, baseline: 0, target: 5}", ["OKR305"]),
        ("{id: a, title: Build time falls from 20 to 8 minutes, baseline: 20, target: 8}", []),
        ("{id: a, title: Release frequency grows from 2 to 10 a week, baseline: 2, target: 10}", []),
        ("{id: a, title: Deploys per week from 2 to 10, baseline: 2, target: 10}", []),
        ("{id: a, title: Launches are celebrated, type: milestone}", []),
        # A unit after the first number, or a currency before it (they were reported).
        ("{id: a, title: Release lead time from 6 days to 3 days, baseline: 6, target: 3}", []),
        ("{id: a, title: Deploy time from 6.0 s to 2.0 s, baseline: 6, target: 2}", []),
        ("{id: a, title: Build cost from €20 to €8, baseline: 20, target: 8}", []),
        ("{id: a, title: Release the app from day 1 to all users, type: milestone}", ["OKR305"]),
        ('{id: a, title: "Build cost from € 20 to € 8", baseline: 20, target: 8}', []),
        ("{id: a, title: Migrate from Java 8 to Java 17, type: milestone}", ["OKR305"]),
        ("{id: a, title: Ship from Go 1.20 to Go 1.22, type: milestone}", ["OKR305"]),
        ("{id: a, title: Ship from day 1 to day 30, type: milestone}", ["OKR305"]),
        ("{id: a, title: Migrate from Python 3.8 to 3.12, type: milestone}", ["OKR305"]),
        ("{id: a, title: Build backlog from 1 200 to 800 tickets, baseline: 1200, target: 800}", []),
        ('{id: a, title: "Build cost from 20.000 € to 8.000 €", baseline: 20000, target: 8000}', []),
        ("{id: a, title: Build cache hits from 10k to 50k a day, baseline: 10000, target: 50000}", []),
        ("{id: a, title: Migrate from v1 to v2, type: milestone}", ["OKR305"]),
    ],
)
def test_task_like_titles_are_told_from_metrics_named_after_a_verb(tmp_path, kr, expected) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    body = (
        "aligns: [{to: growth-acquisition}]\nkey_results:\n  - "
        + kr
        + "\n  - {id: b, title: Partner sign-ups grow from 100 to 300, baseline: 100, target: 300}\n"
    )
    write(root, "okrs/gamma.yaml", TEAM + _objective("gamma-goal", body))
    assert codes(align_json(root)) == expected


@pytest.mark.parametrize(
    ("pace", "baseline", "target", "expected"),
    [
        ("{2026-11-01: 20, 2026-12-01: 35}", 10, 40, []),
        ("{2026-11-01: 20, 2026-12-01: 20}", 10, 40, []),  # a flat phase is fine
        ("{2026-11-01: 45}", 10, 40, ["goes past the target 40"]),
        ("{2026-11-01: 5}", 10, 40, ["goes back from baseline 10"]),
        ("{2026-11-01: 25, 2026-12-01: 15}", 30, 10, []),  # a falling KR
        ("{2026-11-01: 25, 2026-12-01: 28}", 30, 10, ["goes back from 25 on 2026-11-01"]),
        ("{2027-01-15: 30}", 10, 40, ["outside the cycle"]),
        # A year typed wrong: one finding, on the date; the points in the cycle are judged alone.
        ("{2027-10-31: 25, 2026-11-30: 30}", 10, 40, ["outside the cycle"]),
        ("{2027-10-31: 35, 2026-11-30: 30, 2026-12-15: 20}", 10, 40, ["outside the cycle", "goes back from 30"]),
        # On the first or last day: the baseline and the target are what is expected there, and the
        # expected line never used such a point (it said nothing of it before).
        ("{2026-10-01: 20}", 10, 40, ["is on the first day of 2026-Q4, where the baseline is what is expected"]),
        ("{2026-12-31: 30}", 10, 40, ["is on the last day of 2026-Q4, where the target is what is expected"]),
    ],
)
def test_pace_must_stay_in_the_cycle_and_move_toward_the_target(tmp_path, pace, baseline, target, expected) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    body = (
        "aligns: [{to: growth-acquisition}]\nkey_results:\n"
        f"  - {{id: a, title: Partners grow, baseline: {baseline}, target: {target}, pace: {pace}}}\n"
        "  - {id: b, title: Partner sign-ups grow from 100 to 300, baseline: 100, target: 300}\n"
    )
    write(root, "okrs/gamma.yaml", TEAM + _objective("gamma-goal", body))
    messages = [f["message"] for f in align_json(root) if f["code"] == "OKR306"]
    assert len(messages) == len(expected)
    for message, part in zip(messages, expected, strict=True):
        assert part in message


def test_a_pace_point_on_the_day_of_a_one_day_cycle_is_where_the_target_is_expected(tmp_path) -> None:
    """The message named the baseline, while status expects the target on that day (as on any cycle's end)."""
    root = copy_org(GOOD_ORG, tmp_path / "org")
    config = root / "okrctl.yaml"
    config.write_text(
        config.read_text(encoding="utf-8") + "cycles:\n  - {id: launch, start: 2026-11-20, end: 2026-11-20}\n",
        encoding="utf-8",
    )
    body = (
        "aligns: [{to: growth-acquisition}]\nkey_results:\n"
        "  - {id: a, title: Partners grow, baseline: 0, target: 100, pace: {2026-11-20: 50}}\n"
        "  - {id: b, title: Partner sign-ups grow from 100 to 300, baseline: 100, target: 300}\n"
    )
    write(root, "okrs/gamma.yaml", TEAM + _objective("gamma-goal", body, cycle="launch"))
    messages = [f["message"] for f in align_json(root, "--today", "2026-11-20") if f["code"] == "OKR306"]
    assert messages == [
        "pace point 2026-11-20 of 'gamma-goal/a' is on the only day of launch, where the target is what is expected"
    ]


@pytest.mark.parametrize(
    ("band", "expected"),
    [("min: 5, max: 2", [(14, 70)]), ("min: 2, max: 5", []), ("min: 3, max: 3", []), ("min: 5", [])],
)
def test_a_maintain_band_whose_min_is_above_its_max_is_reported_at_the_min(tmp_path, band, expected) -> None:
    # No value can be at least 5 and at most 2: the key result could never be on track.
    root = copy_org(GOOD_ORG, tmp_path / "org")
    body = (
        "aligns: [{to: growth-acquisition}]\nkey_results:\n"
        f"  - {{id: churn, type: maintain, title: Partner churn stays low, {band}}}\n"
        "  - {id: b, title: Partner sign-ups grow from 100 to 300, baseline: 100, target: 300}\n"
    )
    write(root, "okrs/gamma.yaml", TEAM + _objective("gamma-goal", body))
    found = [f for f in align_json(root) if f["code"] == "OKR303"]
    assert [(f["line"], f["column"]) for f in found] == expected
    for finding in found:
        assert finding["message"] == "maintain key result 'gamma-goal/churn' has min 5 above max 2: no value fits"
        assert "swap" in finding["hint"]
    assert [f["code"] for f in align_json(root)] == [f["code"] for f in found]


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        ("Q4-2026", "did you mean '2026-Q4'?"),
        ("2026-q4", "did you mean '2026-Q4'?"),
        ("2026Q4", "did you mean '2026-Q4'?"),
        ("FY26-Q4", "use YYYY, YYYY-Qn or YYYY-Hn, or declare the cycle under 'cycles' in okrctl.yaml"),
    ],
)
def test_an_unknown_cycle_that_spells_a_calendar_one_another_way_is_suggested(copy_example, written, hint) -> None:
    root = copy_example("banco")
    path = root / "okrs" / "2026-Q4" / "discover.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("cycle: 2026-Q4\n", f"cycle: {written}\n"), "utf-8")
    found = [f for f in align_json(root, "--select", "OKR104") if f["path"] == "okrs/2026-Q4/discover.yaml"]
    assert [(f["message"], f["hint"]) for f in found] == [(f"unknown cycle '{written}'", hint)]


def test_true_or_false_for_a_metric_key_result_is_an_error_at_the_value_and_no_value_in_views(
    copy_example, cli
) -> None:
    """A check-in may say true/false of a milestone only: for a metric it was read as 1 or 0."""
    root = copy_example("banco")
    path = root / "checkins" / "discover" / "2026-11-20.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  setup-tickets: 332\n", "  setup-tickets: true\n")
    text = text.replace("  onboarding-completion: 79\n", "  onboarding-completion: {value: false, note: x}\n")
    path.write_text(text, encoding="utf-8")
    found = [f for f in align_json(root) if f["path"] == "checkins/discover/2026-11-20.yaml"]
    assert [(f["code"], f["severity"], f["line"], f["column"], f["message"]) for f in found] == [
        (
            "OKR101",
            "error",
            10,
            34,
            "result for 'onboarding-completion' is false, but 'onboarding-completion' is a metric key result: "
            "its value is a number",
        ),
        (
            "OKR101",
            "error",
            12,
            18,
            "result for 'setup-tickets' is true, but 'setup-tickets' is a metric key result: its value is a number",
        ),
    ]
    status = cli("status", "--repo", str(root), "--today", "2026-11-20", "--team", "discover", "--format", "json")
    krs = {kr["id"]: kr["value"] for o in json.loads(status.stdout)["objectives"] for kr in o["key_results"]}
    assert (krs["setup-tickets"], krs["onboarding-completion"]) == (340, 76)  # the week before's values


def test_strategic_objectives_of_a_year_count_quarterly_contributors_when_only_the_year_is_checked(
    tmp_path,
) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    write(
        root,
        "okrs/acme-2026.yaml",
        _objective("acme-2026", "aligns: [{to: strategy-2026/grow}]\n" + KRS, owner="acme", cycle="2026"),
    )
    other_krs = KRS.replace("partner", "reseller").replace("Partner", "Reseller")
    write(root, "okrs/alpha-q4.yaml", _objective("alpha-more", "aligns: [{to: acme-2026}]\n" + other_krs, "alpha"))
    assert align_json(root, "--cycle", "2026") == []
    assert align_json(root) == []


def test_a_dependency_acknowledged_in_another_quarter_is_not_acknowledged(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    (root / "okrs" / "beta.yaml").write_text(
        (root / "okrs" / "beta.yaml").read_text(encoding="utf-8").replace("2026-Q4", "2027-Q1"), encoding="utf-8"
    )
    found = codes(align_json(root))
    assert "OKR401" in found


def test_mutual_dependencies_and_opposite_metrics_are_reported_once_per_pair() -> None:
    found = codes(align_json(BAD_ORG))
    assert found.count("OKR402") == 1
    assert found.count("OKR403") == 1


def test_a_mutual_dependency_is_reported_on_the_smaller_units_selected_objective(cli, tmp_path, git_repo) -> None:
    """ta needs something of tb in 2026-Q1 (ended) and in 2026-Q2; tb needs something of ta all year.
    OKR402 belongs on ta's 2026-Q2 need, quoting it: it was on tb's file, quoting the ended quarter's."""
    from tests.conftest import write_files

    units = "".join(
        f"---\napiVersion: okrctl/v1\nkind: Unit\nid: {u}\nname: {u.upper()}\nparent: co\n" for u in ("ta", "tb")
    )

    def needing(oid: str, owner: str, cycle: str, unit: str, need: str) -> str:
        body = f"aligns: [{{to: s26/p1}}]\ndepends_on:\n  - {{unit: {unit}, need: {need}}}\n"
        return _objective(oid, body + KRS.replace("Partner", oid), owner, cycle)

    root = git_repo(
        write_files(
            tmp_path / "org",
            {
                "okrctl.yaml": "apiVersion: okrctl/v1\nkind: Config\norganization: T\n",
                "units.yaml": "apiVersion: okrctl/v1\nkind: Unit\nid: co\nname: Co\ntype: company\n" + units,
                "strategy.yaml": "apiVersion: okrctl/v1\nkind: Strategy\nid: s26\nowner: co\ncycle: '2026'\n"
                "vision: V\npriorities:\n  - {id: p1, title: P1}\n",
                "ta-a.yaml": needing("ta-a", "ta", "2026-Q1", "tb", "Old API"),
                "ta-b.yaml": needing("ta-b", "ta", "2026-Q2", "tb", "New API"),
                "tb-y.yaml": needing("tb-y", "tb", "2026", "ta", "Reviews"),
            },
        )
    )
    for chosen in ([], ["--cycle", "2026-Q2"]):
        words = ["align", "--repo", str(root), "--today", "2026-05-01", "--no-history", "--format", "json"]
        result = cli(*words, "--select", "OKR402", *chosen)
        assert result.exit_code == 0, result.output
        found = json.loads(result.stdout)["findings"]
        assert [(f["path"], f["line"], f["column"], f["message"]) for f in found] == [
            (
                "ta-b.yaml",
                9,
                12,
                "'ta' and 'tb' depend on each other: 'ta-b' needs 'New API' from 'tb', 'tb-y' needs 'Reviews' from 'ta'",
            )
        ], chosen


def test_rules_skip_what_the_structure_rules_already_report(tmp_path) -> None:
    """Unknown owners, cycles and targets give OKR104 only, never a crash or a second finding."""
    root = copy_org(GOOD_ORG, tmp_path / "org")
    docs = [
        _objective("x-goal", "aligns: [{to: nowhere}]\ndepends_on: [{unit: nobody, need: N}]\n" + KRS, "ghost"),
        _objective("y-goal", "aligns: [{to: acme-q4, type: explicit}]\n" + KRS, "growth", "2026-Q9"),
        _objective(
            "z-goal",
            "aligns: [{to: y-goal}]\nkey_results:\n  - {id: p, title: P grows, baseline: 1, target: 2, "
            "pace: {2026-11-01: 1.5}}\n  - {id: q, title: Q grows, baseline: 1, target: 2}\n",
            "alpha",
            "2026-Q9",
        ),
    ]
    write(root, "okrs/broken.yaml", "---\n".join(docs))
    found = align_json(root, "--cycle", "all")
    assert {f["code"] for f in found} <= {"OKR104", "OKR203"}, found


def test_okr210_says_whether_the_uncovered_cycle_is_planned_or_active(tmp_path) -> None:
    root = org_with_case(tmp_path, "bad", "OKR210")
    for today, words in (("2026-12-20", "a planned cycle"), ("2027-01-15", "an active cycle")):
        messages = [f["message"] for f in align_json(root, "--today", today) if f["code"] == "OKR210"]
        assert len(messages) == 1 and f"(2027-01-01 – 2027-03-31), {words} with 1 objective" in messages[0]


def test_a_key_result_given_twice_under_two_spellings_is_okr102(copy_example) -> None:
    """`card-activation-7d` and `first-card-moment/card-activation-7d` in one check-in (or one
    retro's scores) name one key result: align said nothing, and the views read whichever line
    came later."""
    root = copy_example("banco")
    checkin = root / "checkins" / "cards" / "2026-11-20.yaml"
    text = checkin.read_text(encoding="utf-8")
    assert "  card-activation-7d: 56\n" in text
    checkin.write_text(
        text.replace(
            "  card-activation-7d: 56\n", "  card-activation-7d: 56\n  first-card-moment/card-activation-7d: 70\n"
        ),
        encoding="utf-8",
    )
    found = [f for f in align_json(root) if f["code"] == "OKR102"]
    assert [(f["path"], f["message"]) for f in found] == [
        (
            "checkins/cards/2026-11-20.yaml",
            "result for 'first-card-moment/card-activation-7d' is given twice, as 'card-activation-7d' and as "
            "'first-card-moment/card-activation-7d'",
        )
    ]
    line = text.splitlines().index("  card-activation-7d: 56") + 2
    assert found[0]["line"] == line
