"""The output formats of `okrctl align` for CI: github, sarif, junit, gitlab (and the golden files of all).

Golden files live in tests/golden/; regenerate them with `OKRCTL_REGEN_GOLDEN=1 pytest tests/test_align_formats.py`
and review the diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from okrctl.catalog import RULES
from okrctl.render.findings.github import escape_data, escape_property
from okrctl.render.formats import FORMATS as ALL_FORMATS
from tests.helpers_align import BAD_ORG, GOLDEN, GOOD_ORG, OWN_FAMILIES, PROJECT, align, copy_org, write

FORMATS = ALL_FORMATS["align"]

GOLDEN_NAMES = {
    "text": "align.txt",
    "concise": "align-concise.txt",
    "json": "align.json",
    "github": "align-github.txt",
    "sarif": "align.sarif",
    "junit": "align-junit.xml",
    "gitlab": "align-gitlab.json",
}


@pytest.fixture
def checkout(tmp_path) -> Path:
    """The bad organisation at the top of a (fake) git checkout, so CI paths need no prefix."""
    root = copy_org(BAD_ORG, tmp_path / "checkout")
    (root / ".git").mkdir()
    return root


def _run(root: Path, fmt: str, *args: str, env: dict[str, str] | None = None):
    return align(root, "--select", OWN_FAMILIES, "--format", fmt, *args, env=env)


def _check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("OKRCTL_REGEN_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"missing golden file {path}; run with OKRCTL_REGEN_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8"), f"{name} differs; OKRCTL_REGEN_GOLDEN=1 rewrites it"


def test_every_align_format_has_a_golden_file() -> None:
    assert set(GOLDEN_NAMES) == set(FORMATS)


@pytest.mark.parametrize("fmt", sorted(GOLDEN_NAMES))
def test_output_matches_the_golden_file(checkout, fmt) -> None:
    result = _run(checkout, fmt)
    assert result.exit_code == 1
    _check_golden(GOLDEN_NAMES[fmt], result.stdout)


def test_the_github_job_summary_matches_the_golden_file(checkout, tmp_path) -> None:
    summary = tmp_path / "summary.md"
    _run(checkout, "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    _check_golden("align-step-summary.md", summary.read_text(encoding="utf-8"))


# ----- github ------------------------------------------------------------------------------------
def test_github_is_chosen_automatically_in_github_actions(checkout) -> None:
    result = align(checkout, "--select", OWN_FAMILIES, env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.splitlines()[1].startswith("::warning file=okrs/copycat.yaml,line=11,col=12,title=OKR208 ")


def test_github_commands_carry_level_place_title_and_hint(checkout) -> None:
    lines = _run(checkout, "github").stdout.splitlines()
    assert lines[-1].startswith("okrctl align: 8 errors, 13 warnings, 2 info")
    commands = lines[1:-1]  # the first says that GitHub does not annotate 3 of the warnings
    assert all(
        re.match(r"^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,title=OKR\d{3} [^:]+::", c) for c in commands
    )
    notice = next(c for c in commands if "title=OKR305" in c)
    assert notice.startswith("::notice file=okrs/sloppy.yaml,line=22,col=12,")
    assert "%0Ahint: " in notice


def test_github_says_first_which_findings_go_past_the_annotations_of_a_step(checkout) -> None:
    # GitHub annotates 10 errors, 10 warnings and 10 notices a step and drops the rest silently.
    lines = _run(checkout, "github").stdout.splitlines()
    assert lines[0].startswith("::notice title=okrctl annotations::")
    assert "not annotated: 3 warnings. Every finding is in this log" in lines[0]
    few = _run(checkout, "github", "--select", "OKR2").stdout.splitlines()
    assert not any("okrctl annotations" in line for line in few)


def test_github_escaping_follows_the_runner_rules() -> None:
    assert escape_data("50% done\r\nnext") == "50%25 done%0D%0Anext"
    assert escape_property("a: b, c%") == "a%3A b%2C c%25"


def test_github_job_summary_is_appended_not_overwritten(checkout, tmp_path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    _run(checkout, "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n### okrctl align: ✗ 8 errors")
    assert "| ❌ error | OKR203 | okrs/explicit.yaml:8 |" in text


def test_the_job_summary_keeps_within_its_share_of_githubs_limit_whatever_the_files_say() -> None:
    """GitHub drops a step summary over 1 MiB whole, and the action appends diff and report to
    align's: 200 findings whose text from the files is 2,000 ampersands each (five characters each
    once escaped) made 4 MB; align's summary keeps within 256 KiB and says how many it left out."""
    from okrctl.findings import Finding, FindingsReport
    from okrctl.render.findings.summary import SUMMARY_BYTES, markdown_summary

    text = "&" * 2000
    findings = [Finding("OKR104", "error", f"okrs/t{n}.yaml", 3, 5, text, text) for n in range(200)]
    summary = markdown_summary(FindingsReport("0.1.0", "2026-11-20", 200, 200, findings))
    assert len(summary.encode("utf-8")) <= SUMMARY_BYTES
    rows = [line for line in summary.splitlines() if line.startswith("| ❌ error | OKR104 |")]
    assert 50 < len(rows) < 200
    assert f"… and {200 - len(rows)} more: run `okrctl align` locally to see them all." in summary
    assert all(row.count("&amp;") == 2 * 299 and "…" in row for row in rows)  # each cell cut to 300 characters


def test_an_unwritable_job_summary_is_reported_without_failing_the_run(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    result = align(root, "--format", "github", env={"GITHUB_STEP_SUMMARY": str(tmp_path)})  # a folder
    assert result.exit_code == 0
    assert "GITHUB_STEP_SUMMARY" in result.stderr


def test_ci_paths_start_at_the_top_of_the_git_checkout(tmp_path) -> None:
    (tmp_path / "checkout" / ".git").mkdir(parents=True)
    root = copy_org(BAD_ORG, tmp_path / "checkout" / "okrs-repo")
    github = _run(root, "github").stdout
    assert "file=okrs-repo/okrs/copycat.yaml," in github
    gitlab = json.loads(_run(root, "gitlab").stdout)
    assert gitlab[0]["location"]["path"] == "okrs-repo/okrs/copycat.yaml"
    concise = _run(root, "concise").stdout
    assert concise.startswith("okrs/copycat.yaml:11:12:")  # the human formats stay root-relative


def test_ci_formats_write_the_other_file_a_message_names_from_the_same_top(tmp_path) -> None:
    """A duplicate's message names its first: from the top of the checkout, as the finding's own
    path is, never from the OKR folder (which a job's log reader cannot tell apart)."""
    (tmp_path / "checkout" / ".git").mkdir(parents=True)
    root = copy_org(GOOD_ORG, tmp_path / "checkout" / "okrs-repo")
    text = (root / "units.yaml").read_text(encoding="utf-8")
    (root / "units-copy.yaml").write_text(text, encoding="utf-8")
    named = re.compile(r"first at (\S+):\d+")
    summary = tmp_path / "summary.md"
    github = _run(root, "github", env={"GITHUB_STEP_SUMMARY": str(summary)}).stdout
    sarif = json.loads(_run(root, "sarif").stdout)["runs"][0]["results"]
    texts = {
        "github": github,
        "summary": summary.read_text(encoding="utf-8"),
        "gitlab": " ".join(issue["description"] for issue in json.loads(_run(root, "gitlab").stdout)),
        "junit": _run(root, "junit").stdout,
        "sarif": " ".join(result["message"]["text"] for result in sarif),
    }
    for fmt, output in texts.items():
        firsts = set(named.findall(output))
        assert firsts and all(first.startswith("okrs-repo/") for first in firsts), (fmt, firsts)
    concise = _run(root, "concise").stdout
    assert set(named.findall(concise)) == {"units-copy.yaml"}  # the human formats stay root-relative


# ----- sarif -------------------------------------------------------------------------------------
def _sarif_schema() -> dict:
    # The OASIS SARIF 2.1.0 schema, vendored so that every clone runs this test (see tests/schemas/README.md).
    return json.loads((PROJECT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def _validate_sarif(text: str) -> dict:
    import jsonschema

    payload = json.loads(text)
    schema = _sarif_schema()
    validator = jsonschema.validators.validator_for(schema)(schema)
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return payload


def test_sarif_validates_against_the_sarif_2_1_0_schema(checkout) -> None:
    payload = _validate_sarif(_run(checkout, "sarif").stdout)
    run = payload["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == list(RULES)
    assert len(run["results"]) == 23


def test_sarif_of_a_clean_run_validates_too(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    payload = _validate_sarif(_run(root, "sarif").stdout)
    assert payload["runs"][0]["results"] == []


def test_sarif_results_have_stable_rule_ids_relative_paths_regions_and_fingerprints(checkout) -> None:
    run = json.loads(_run(checkout, "sarif").stdout)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1
    prints = [r["partialFingerprints"]["okrctlFinding/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)
    rule = next(r for r in rules if r["id"] == "OKR208")
    assert rule["fullDescription"]["text"] and "```yaml" in rule["help"]["markdown"]


def test_sarif_uris_name_the_files_under_a_latin1_locale(tmp_path) -> None:
    """Under a Latin-1 locale Python reads a name's UTF-8 bytes as Latin-1 letters: the uri encoded
    those letters again (``%C3%83%C2%A9quipe`` for ``équipe``), a file that does not exist. It is the
    bytes on disk, as under a UTF-8 locale."""
    import subprocess
    import sys
    from urllib.parse import unquote_to_bytes

    listing = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.split()
    latin1 = next((n for n in listing if n.lower().replace("-", "").endswith(".iso88591")), None)
    if latin1 is None:
        pytest.skip("no Latin-1 locale here (.ci/run makes one with localedef)")
    top = tmp_path / "checkout"
    (top / ".git").mkdir(parents=True)
    root = copy_org(GOOD_ORG, top / "okrs")
    (root / "units").mkdir(exist_ok=True)
    (root / "units" / "équipe 50%.yaml").write_bytes(b"apiVersion: okrctl/v1\nkind: Unit\nid: odd\nbogus: 1\n")
    env = {**os.environ, "LC_ALL": latin1, "PYTHONUTF8": "0", "OKRCTL_NO_CACHE": "1", "PYTHONIOENCODING": ""}
    result = subprocess.run(
        [sys.executable, "-m", "okrctl", "align", "--repo", str(root), "--format", "sarif", "--today", "2026-11-20"],
        capture_output=True, env=env, check=False, timeout=120,
    )  # fmt: skip
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for finding in json.loads(result.stdout)["runs"][0]["results"]
        for location in finding["locations"]
    }
    assert "okrs/units/%C3%A9quipe%2050%25.yaml" in uris, uris
    assert all(os.path.isfile(os.path.join(os.fsencode(top), unquote_to_bytes(uri))) for uri in uris)


def test_sarif_uris_percent_encode_the_bytes_of_the_path(tmp_path) -> None:
    """``artifactLocation.uri`` is a URI reference (SARIF 2.1.0, RFC 3986): a name that is not UTF-8
    was written as its escape, percent-encoded, ``t%5Cxff.yaml``, which names another file, one
    called ``t\\xff.yaml``. Each byte is percent-encoded as itself, ``t%FF.yaml``, in the file's
    name and in the folders above the repository; spaces, ``#``, ``%`` and UTF-8 letters by their
    bytes, a backslash of a UTF-8 name as ``%5C``. Every uri names its file; fingerprints keep to
    the path as the other formats write it."""
    from urllib.parse import unquote_to_bytes

    top = os.path.join(os.fsencode(tmp_path), b"checkout")
    os.makedirs(os.path.join(top, b".git"))  # the top of a (fake) git checkout
    root = copy_org(GOOD_ORG, Path(os.fsdecode(os.path.join(top, b"okrs \xe9#1"))))
    planted = [b"t\xff.yaml", b"u\\xff.yaml", "équipe 50%.yaml".encode(), b"caf\xe9/t\xfe.yml"]
    for number, name in enumerate(planted):
        target = os.path.join(os.fsencode(root), b"units", name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as handle:
            handle.write(b"apiVersion: okrctl/v1\nkind: Unit\nid: odd-%d\nbogus: 1\n" % number)
    result = align(root, "--format", "sarif")
    payload = _validate_sarif(result.stdout)
    uris = [
        location["physicalLocation"]["artifactLocation"]["uri"]
        for finding in payload["runs"][0]["results"]
        for location in finding["locations"]
    ]
    prefix = "okrs%20%E9%231/units/"
    assert sorted({uri for uri in uris if uri.startswith(prefix)}) == sorted(
        prefix + tail for tail in ("t%FF.yaml", "u%5Cxff.yaml", "%C3%A9quipe%2050%25.yaml", "caf%E9/t%FE.yml")
    )
    assert all(os.path.isfile(os.path.join(top, unquote_to_bytes(uri))) for uri in uris)
    prints = {f["path"]: f["fingerprint"] for f in json.loads(align(root, "--format", "json").stdout)["findings"]}
    by_uri = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["partialFingerprints"]["okrctlFinding/v1"]
        for r in payload["runs"][0]["results"]
        if r["ruleId"] == "OKR100"
    }
    assert by_uri == {
        prefix + "t%FF.yaml": prints["units/t\\xff.yaml"],
        prefix + "caf%E9/t%FE.yml": prints["units/caf\\xe9/t\\xfe.yml"],
    }


def test_sarif_fingerprints_do_not_change_when_lines_move(checkout) -> None:
    before = json.loads(_run(checkout, "sarif").stdout)["runs"][0]["results"]
    for path in (checkout / "okrs").glob("*.yaml"):
        path.write_text("# moved down\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = json.loads(_run(checkout, "sarif").stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in before] == [r["partialFingerprints"] for r in after]
    assert [r["locations"] for r in before] != [r["locations"] for r in after]


def test_junit_test_cases_keep_their_names_when_lines_move(checkout) -> None:
    """CI test reports follow a test case by its suite and name ("fixed", "new failure"): a line
    added above every finding keeps every name (they once held the line and column), and the
    names within a suite are unique."""
    from xml.etree import ElementTree

    def cases() -> list[tuple[str, str, str]]:
        root = ElementTree.fromstring(_run(checkout, "junit").stdout)
        return [(c.get("classname", ""), c.get("name", ""), c.get("line", "")) for c in root.iter("testcase")]

    before = cases()
    for path in (checkout / "okrs").glob("*.yaml"):
        path.write_text("# moved down\n\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = cases()
    assert len(before) > 5
    assert [c[:2] for c in before] == [c[:2] for c in after]
    assert [c[2] for c in before] != [c[2] for c in after]
    assert len({c[:2] for c in after}) == len(after)


@pytest.mark.slow  # several seconds: run by CI with the slow tests
def test_sarif_keeps_within_the_code_scanning_result_limit_and_says_what_it_left_out(tmp_path) -> None:
    # One check-in with 25,010 unknown result keys: GitHub rejects a run of more than 25,000 results.
    # Made info here, so that the one error in another file must be among the results kept.
    root = copy_org(GOOD_ORG, tmp_path / "org")
    with (root / "okrctl.yaml").open("a", encoding="utf-8") as config:
        config.write("rules: {severity: {OKR104: info}}\n")
    keys = "".join(f"  no-such-kr-{i}: 1\n" for i in range(25_010))
    write(
        root,
        "checkins/alpha/2026-11-13.yaml",
        "apiVersion: okrctl/v1\nkind: CheckIn\nowner: alpha\ndate: 2026-11-13\nconfidence: 6\nresults:\n" + keys,
    )
    write(root, "okrs/extra.yaml", "apiVersion: okrctl/v1\nkind: Objective\nid: extra\n")  # an error
    run = json.loads(_run(root, "sarif", "--cycle", "all").stdout)["runs"][0]
    from okrctl.render.findings.sarif import MAX_RESULTS

    assert len(run["results"]) == MAX_RESULTS
    left_out = run["properties"]["left_out"]
    assert left_out > 0
    note = run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"]
    assert note.startswith(f"{left_out} of {MAX_RESULTS + left_out} findings left out")
    kept = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["level"] for r in run["results"]}
    assert kept["okrs/extra.yaml"] == "error"


# ----- junit -------------------------------------------------------------------------------------
def test_junit_names_a_finding_shown_on_one_of_several_files_after_what_it_is_about(
    cli, copy_example, git_repo
) -> None:
    """A finding about several files, shown on the first of them (one OKR502 for a team's
    check-ins outside its objectives' cycles), kept its fingerprint when that first file went or a
    path was given, but its test case took the suite of whichever file showed it: a CI test report
    saw one test fixed and a new one failing. Its test case is named by what it is about now."""
    root = git_repo(copy_example("banco"))
    objective = root / "okrs" / "2026-Q4" / "cards.yaml"
    objective.write_text(objective.read_text(encoding="utf-8").replace("cycle: 2026-Q4", "cycle: 2026-Q3"))

    def case(*args: str) -> tuple[str, str]:
        result = cli("align", "--repo", str(root), "--format", "junit", "--today", "2026-11-20", *args)
        cases = [
            c
            for c in ET.fromstring(result.stdout.encode("utf-8")).iter("testcase")
            if c.get("name", "").startswith("OKR502")
        ]
        assert len(cases) == 1, result.stdout
        return cases[0].get("classname", ""), cases[0].get("name", "")

    whole = case()
    assert case(str(root / "checkins" / "cards" / "2026-11-13.yaml")) == whole
    (root / "checkins" / "cards" / "2026-10-02.yaml").unlink()
    assert case() == whole


def test_junit_parses_with_one_failure_per_error_or_warning(checkout) -> None:
    root = ET.fromstring(_run(checkout, "junit").stdout.encode("utf-8"))
    assert root.tag == "testsuites"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 23
    assert len(root.findall("./testsuite/testcase/failure")) == 21 == int(root.get("failures"))
    suite = next(s for s in root.findall("testsuite") if s.get("name") == "okrs/sloppy.yaml")
    assert suite.get("tests") == "7" and suite.get("failures") == "6"


def test_junit_of_a_clean_run_is_one_passing_test(tmp_path) -> None:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    xml = ET.fromstring(_run(root, "junit").stdout.encode("utf-8"))
    assert [c.get("name") for c in xml.iter("testcase")] == ["align"]
    assert xml.get("failures") == "0"


# ----- gitlab ------------------------------------------------------------------------------------
def test_gitlab_code_quality_has_unique_fingerprints_and_known_severities(checkout) -> None:
    issues = json.loads(_run(checkout, "gitlab").stdout)
    assert len(issues) == 23
    assert len({i["fingerprint"] for i in issues}) == 23
    assert {i["severity"] for i in issues} <= {"info", "minor", "major", "critical", "blocker"}
    for issue in issues:
        assert issue["check_name"] in RULES and issue["description"]
        assert issue["location"]["path"].endswith(".yaml") and issue["location"]["lines"]["begin"] >= 1
    assert {i["check_name"]: i["severity"] for i in issues}["OKR203"] == "critical"


def test_gitlab_fingerprints_are_unique_even_for_identical_findings() -> None:
    from okrctl.findings import Finding, FindingsReport
    from okrctl.render.formats import renderer

    same = Finding("OKR101", "error", "a.yaml", 1, 1, "bad")
    report = FindingsReport("0", "2026-11-20", 1, 1, [same, same, same])
    issues = json.loads(renderer("align", "gitlab")(report, color=False, width=100))
    assert len({i["fingerprint"] for i in issues}) == 3


# ----- hostile text ------------------------------------------------------------------------------
HOSTILE = r"""apiVersion: okrctl/v1
kind: Unit
id: gamma
parent: growth
---
apiVersion: okrctl/v1
kind: Objective
id: gamma-goal
owner: gamma
cycle: 2026-Q4
title: Hostile
aligns: [{to: growth-acquisition}]
depends_on:
  - {unit: beta, need: "50% <b>bold</b> & \"q\" | pipe, a: b ::error::x `c` ]]> \e[31mred\e[0m\nline two\r"}
key_results:
  - {id: a, title: A grows from 1 to 2, baseline: 1, target: 2}
  - {id: b, title: B grows from 1 to 2, baseline: 1, target: 2}
"""


@pytest.fixture
def hostile(tmp_path) -> Path:
    root = copy_org(GOOD_ORG, tmp_path / "org")
    write(root, "okrs/gamma.yaml", HOSTILE)
    return root


def test_text_from_files_cannot_break_any_format(hostile, tmp_path) -> None:
    summary = tmp_path / "summary.md"
    github = _run(hostile, "github", env={"GITHUB_STEP_SUMMARY": str(summary)}).stdout
    assert len(github.splitlines()) == 2  # one command and the summary line: nothing injected
    assert github.startswith("::warning file=okrs/gamma.yaml,line=14,col=12,title=OKR401 ")
    assert "50%25 <b>" in github and "\x1b" not in github
    markdown = summary.read_text(encoding="utf-8")
    assert "&lt;b>bold&lt;/b>" in markdown and r"\| pipe" in markdown and "<b>" not in markdown
    junit = ET.fromstring(_run(hostile, "junit").stdout.encode("utf-8"))
    assert "<b>bold</b>" in junit.find("./testsuite/testcase/failure").get("message")
    json.loads(_run(hostile, "sarif").stdout)
    json.loads(_run(hostile, "gitlab").stdout)
    for fmt in ("text", "concise", "json"):
        assert "\x1b" not in _run(hostile, fmt).stdout


def test_sarif_with_text_from_files_still_validates(hostile) -> None:
    _validate_sarif(_run(hostile, "sarif").stdout)


def test_the_job_summary_names_a_file_with_a_line_break_as_every_other_format_does(tmp_path) -> None:
    """A carriage return in a file name was deleted in the job summary and a line feed made a
    space, naming ``okrs/crname.yaml`` and ``okrs/lf name.yaml``, files that do not exist: the
    summary writes the escape the concise format writes (``\\x0d``), its backslash escaped for
    Markdown, so the page shows ``okrs/cr\\x0dname.yaml``."""
    root = copy_org(GOOD_ORG, tmp_path / "org")
    (root / "okrs" / "cr\rname.yaml").write_text("a: [\n", encoding="utf-8")
    (root / "okrs" / "lf\nname.yaml").write_text("a: [\n", encoding="utf-8")
    concise = _run(root, "concise").stdout
    assert "okrs/cr\\x0dname.yaml:1:" in concise and "okrs/lf\\x0aname.yaml:1:" in concise
    summary = tmp_path / "summary.md"
    _run(root, "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    markdown = summary.read_text(encoding="utf-8")
    where = [row.split(" | ")[2] for row in markdown.splitlines() if row.startswith("| ") and "name.yaml" in row]
    assert sorted(where) == ["okrs/cr\\\\x0dname.yaml:1", "okrs/lf\\\\x0aname.yaml:1"], markdown
    assert "crname" not in markdown and "lf name" not in markdown and "\r" not in markdown


def test_the_job_summary_mentions_nobody(tmp_path) -> None:
    """The job summary is Markdown made of what files say, like ``diff`` and ``report``, which the
    action appends to it: an "@" that GitHub or GitLab would read as a mention (after a blank,
    "-", "." or "+", or after a letter outside ASCII) is followed by a word joiner there too, and
    an address stays as it is."""
    root = copy_org(GOOD_ORG, tmp_path / "org")
    need = "sign-off -@all .@all +@all (@all) café@all @group/team, cc ana@example.com"
    write(root, "okrs/gamma.yaml", re.sub(r'need: ".*"\}', lambda _: f"need: {json.dumps(need)}}}", HOSTILE))
    summary = tmp_path / "summary.md"
    _run(root, "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    markdown = summary.read_text(encoding="utf-8")
    assert "sign-off -@\u2060all .@\u2060all +@\u2060all (@\u2060all) café@\u2060all @\u2060group/team" in markdown
    assert "cc ana@example.com" in markdown
    # GitHub's and GitLab's rule: an "@" not after an ASCII letter, digit or "_", then a name.
    assert re.search(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_.]", markdown) is None, markdown


def test_a_web_address_in_the_job_summary_is_one_whole_link(tmp_path) -> None:
    """GitHub links a bare address from the summary's Markdown: a need "API spec at
    https://wiki.example/API_v2?a=1&b=2#s_3" quoted by a finding was written with "API\\_v2" and
    "&amp;" in it, which the link and its text kept. The link now goes to the address as written,
    in its table cell."""
    import html

    import cmarkgfm  # GitHub's renderer, in the test extra

    root = copy_org(GOOD_ORG, tmp_path / "org")
    url = "https://wiki.example/API_v2?a=1&b=2|3#s_3"
    need = f"API spec at {url}, see it"
    write(root, "okrs/gamma.yaml", re.sub(r'need: ".*"\}', lambda _: f"need: {json.dumps(need)}}}", HOSTILE))
    summary = tmp_path / "summary.md"
    _run(root, "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    shown = cmarkgfm.github_flavored_markdown_to_html(summary.read_text(encoding="utf-8"))
    href = html.escape(url).replace("|", "%7C")
    assert f'(API spec at <a href="{href}">{html.escape(url)}</a>, see it)' in shown, shown


def test_an_address_with_an_at_in_it_links_to_itself_in_the_job_summary(tmp_path) -> None:
    """A need "review https://www.npmjs.com/package/@babel/core, cc @all" quoted by a finding: the
    word joiner that keeps the "@all" from mentioning anyone was written after the address's "@"
    too, and the link went to "…/@%E2%81%A0babel/core", a page that does not exist. The link now
    goes to the address as written; the "@all" still mentions nobody."""
    import html

    import cmarkgfm  # GitHub's renderer, in the test extra

    root = copy_org(GOOD_ORG, tmp_path / "org")
    url = "https://www.npmjs.com/package/@babel/core"
    need = f"review {url}, cc @all"
    write(root, "okrs/gamma.yaml", re.sub(r'need: ".*"\}', lambda _: f"need: {json.dumps(need)}}}", HOSTILE))
    summary = tmp_path / "summary.md"
    _run(root, "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    markdown = summary.read_text(encoding="utf-8")
    assert "cc @\u2060all" in markdown
    shown = cmarkgfm.github_flavored_markdown_to_html(markdown)
    assert f'(review <a href="{html.escape(url)}">{html.escape(url)}</a>, cc @\u2060all)' in shown, shown


def test_junit_names_of_findings_about_one_thing_do_not_pass_from_one_to_another() -> None:
    """Two changes of one target are two OKR601 findings about the same thing: each is named with
    its fingerprint, so a third that sorts first takes neither's name (the first once kept the
    plain name, which the newcomer then took)."""
    from xml.etree import ElementTree

    from okrctl.findings import Finding, FindingsReport
    from okrctl.render.findings.junit import render

    about = "Objective:cards-q4|key_results[activation].target"

    def finding(fingerprint: str, message: str) -> Finding:
        return Finding("OKR601", "warning", "okrs/cards.yaml", 21, 13, message, about=about, fingerprint=fingerprint)

    def names(findings: list[Finding]) -> dict[str, str]:
        report = FindingsReport("1", "2026-11-20", 1, 1, findings)
        root = ElementTree.fromstring(render(report))
        return {case.find("failure").get("message"): case.get("name") for case in root.iter("testcase")}

    two = names([finding("a" * 64, "OKR601 75 → 80"), finding("b" * 64, "OKR601 80 → 90")])
    three = names(
        [finding("c" * 64, "OKR601 60 → 70"), finding("a" * 64, "OKR601 75 → 80"), finding("b" * 64, "OKR601 80 → 90")]
    )
    assert all(three[message] == name for message, name in two.items())
    assert len(set(three.values())) == 3
