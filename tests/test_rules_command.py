"""`okrctl rules [CODE]`: the catalogue of SPEC §5 and one rule explained with a bad and a good example."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from okrctl.catalog import RULES
from okrctl.cli.app import app
from okrctl.load.yamlparse import YamlProblem, parse_text
from okrctl.rules.docs import DOCS
from tests.helpers_align import ENV


def _rules(*args: str):
    return CliRunner().invoke(app, ["rules", *args], env=ENV, catch_exceptions=False)


def test_the_catalogue_lists_every_code_of_the_spec_with_severity_and_summary() -> None:
    result = _rules()
    assert result.exit_code == 0
    listed = [line.split()[0] for line in result.stdout.splitlines() if line.startswith("OKR")]
    assert listed == list(RULES)
    assert "OKR201  warning  vertical    a team's objective aligns to nothing" in result.stdout
    assert len(RULES) >= 35  # 100-106, 201-208, 301-306, 401-404, 501-509, 601 and those of other issues
    assert {"OKR404", "OKR509"} <= set(RULES)
    assert {"OKR209", "OKR210", "OKR307"} <= set(RULES)  # the planning gate of issue 10


@pytest.mark.parametrize("spelling", ["OKR208", "okr208", "208"])
def test_one_rule_is_explained_with_what_why_and_a_bad_and_a_good_example(spelling) -> None:
    result = _rules(spelling)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("OKR208 (warning, vertical): cascaded copy")
    for heading in ("What it means", "Why it matters", "Bad", "Good", "Silence or re-grade it"):
        assert f"\n{heading}\n" in out
    assert "# okrctl: ignore[OKR208]" in out


@pytest.mark.parametrize("columns", [40, 60, 80, 120])
def test_the_catalogue_and_an_explanation_fit_the_terminal(columns) -> None:
    """Every line of prose fits the terminal's width (a narrow one puts each summary below its
    code); only the bad and good YAML examples, which are copied, keep their lines."""
    env = {**ENV, "COLUMNS": str(columns)}
    listing = CliRunner().invoke(app, ["rules"], env=env, catch_exceptions=False).stdout
    assert max(map(len, listing.splitlines())) <= columns
    codes = [line.split()[0] for line in listing.splitlines() if line.startswith("OKR")]
    assert codes == list(RULES)
    words = " ".join(listing.split())
    assert all(" ".join(rule.summary.split()) in words for rule in RULES.values())
    explained = CliRunner().invoke(app, ["rules", "OKR601"], env=env, catch_exceptions=False).stdout
    prose = explained.split("\nBad\n")[0].splitlines() + explained.split("\nSilence or re-grade it\n")[1].splitlines()
    assert max(map(len, prose)) <= columns
    assert "# okrctl: ignore[OKR601]" in explained and "rules: {severity: {OKR601: error}}" in explained


def test_a_prefix_lists_one_family() -> None:
    result = _rules("OKR4")
    assert [line.split()[0] for line in result.stdout.splitlines() if line.startswith("OKR")] == [
        "OKR401",
        "OKR402",
        "OKR403",
        "OKR404",
    ]


def test_an_unknown_code_is_a_usage_error_with_a_did_you_mean() -> None:
    result = _rules("OKR2o8")
    assert result.exit_code == 2
    assert "unknown rule 'OKR2o8'" in result.stderr and "did you mean 'OKR208'?" in result.stderr


def test_an_unknown_format_is_a_usage_error() -> None:
    assert _rules("--format", "xml").exit_code == 2


def test_json_carries_the_texts_of_every_rule() -> None:
    payload = json.loads(_rules("--format", "json").stdout)
    assert [r["code"] for r in payload] == list(RULES)
    assert all(r["what"] and r["why"] and r["bad"] and r["good"] for r in payload)


def test_every_rule_has_docs_and_no_docs_lack_a_rule() -> None:
    assert set(DOCS) == set(RULES)


@pytest.mark.parametrize("code", list(RULES))
def test_the_examples_are_yaml_and_only_the_bad_okr100_example_is_unreadable(code) -> None:
    doc = DOCS[code]
    parse_text(doc.good)
    if code == "OKR100":
        with pytest.raises(YamlProblem):
            parse_text(doc.bad)
    else:
        parse_text(doc.bad)


def test_rules_has_help_text() -> None:
    result = CliRunner().invoke(app, ["rules", "--help"], env=ENV)
    assert result.exit_code == 0
    assert "bad and a good" in " ".join(result.stdout.split())


# --- the severities of the repository in which the command runs -----------------------------------

GRADED_CONFIG = """apiVersion: okrctl/v1
kind: Config
rules:
  severity: {OKR307: warning, OKR305: error}
  ignore: [OKR402]
"""


def _repository(tmp_path, config: str = GRADED_CONFIG):
    root = tmp_path / "org"
    (root / "okrs").mkdir(parents=True)
    (root / "okrctl.yaml").write_text(config, encoding="utf-8")
    return root


def test_inside_a_repository_one_rule_shows_the_severity_its_okrctl_yaml_sets_and_the_default(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.chdir(_repository(tmp_path) / "okrs")  # found by walking up, like every command
    out = _rules("OKR307").stdout
    assert out.startswith("OKR307 (warning, focus): placeholder text")
    assert "okrctl.yaml makes it a warning (rules.severity). By default it is an error." in out
    assert "rules: {severity: {OKR307: error}}" in out  # re-grading suggests the other severity
    ignored = _rules("OKR402").stdout
    assert ignored.startswith("OKR402 (ignored, horizontal): two units depend")
    assert "okrctl.yaml ignores it (rules.ignore): 'okrctl align' does not report it." in ignored


@pytest.mark.parametrize(
    ("setting", "said"),
    [
        (
            "{OKR601: error}",
            "okrctl.yaml makes it an error (rules.severity). A change documented under 'rescoped' within 7 "
            "days stays info. By default it is a warning.",
        ),
        (
            "{OKR307: error}",
            "okrctl.yaml makes it an error (rules.severity). A placeholder in the 14 days before the cycle "
            "starts stays a warning. By default it is an error.",
        ),
        ("{OKR601: info}", "okrctl.yaml makes it info (rules.severity). By default it is a warning."),
        ("{OKR307: warning}", "okrctl.yaml makes it a warning (rules.severity). By default it is an error."),
    ],
)
def test_one_rule_says_which_of_its_findings_a_severity_in_okrctl_yaml_leaves_lighter(tmp_path, setting, said) -> None:
    config = f"apiVersion: okrctl/v1\nkind: Config\nrules: {{severity: {setting}}}\n"
    code = setting[1:7]
    out = " ".join(_rules(code, "--repo", str(_repository(tmp_path, config))).stdout.split())
    assert f"In this repository, {said}" in out


def test_inside_a_repository_the_catalogue_marks_what_its_okrctl_yaml_sets(tmp_path) -> None:
    result = _rules("--repo", str(_repository(tmp_path)))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "OKR305  error*    focus       key result reads like a task or output" in lines
    assert any(line.startswith("OKR307  warning*  focus       placeholder text") for line in lines)
    assert "OKR402  ignored*  horizontal  two units depend on each other in the same cycle" in lines
    assert "OKR201  warning   vertical    a team's objective aligns to nothing" in lines
    footer = " ".join(result.stdout.split("\n\n")[1].split())
    assert footer == (
        "* set by the 'rules' section of this repository's okrctl.yaml: OKR305 error (default info), "
        "OKR307 warning (default error), OKR402 ignored (default info)"
    )


def test_json_gives_the_repository_severity_beside_the_default(tmp_path) -> None:
    root = _repository(tmp_path)
    result = _rules("OKR30", "--format", "json", "--repo", str(root))
    by_code = {r["code"]: r for r in json.loads(result.stdout)}
    assert {k: by_code["OKR307"][k] for k in ("severity", "default_severity", "configured", "ignored")} == {
        "severity": "warning",
        "default_severity": "error",
        "configured": True,
        "ignored": False,
    }
    assert (by_code["OKR303"]["severity"], by_code["OKR303"]["configured"]) == ("error", False)
    ignored = json.loads(_rules("OKR402", "--format", "json", "--repo", str(root)).stdout)[0]
    assert (ignored["severity"], ignored["ignored"], ignored["configured"]) == ("info", True, False)


def test_outside_a_repository_the_defaults_are_shown(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = _rules("OKR307").stdout
    assert out.startswith("OKR307 (error, focus):") and "In this repository" not in out
    payload = json.loads(_rules("--format", "json").stdout)
    assert all(r["severity"] == r["default_severity"] and not r["configured"] and not r["ignored"] for r in payload)
    assert "*" not in _rules().stdout


def test_in_a_folder_since_removed_the_defaults_are_shown(tmp_path, monkeypatch) -> None:
    """The catalogue needs no repository: where walking up cannot start, it is the defaults, not
    an error (``--repo`` naming a bad one is still the usual usage error)."""
    (tmp_path / "gone").mkdir()
    monkeypatch.chdir(tmp_path / "gone")
    (tmp_path / "gone").rmdir()
    result = _rules("OKR307")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("OKR307 (error, focus):")


@pytest.mark.parametrize("kind", ["fifo", "folder", "device-link"])
@pytest.mark.parametrize("where", ["root", "below"])
def test_an_okrctl_yaml_that_is_no_file_is_said_as_every_command_says_it(cli, tmp_path, monkeypatch, kind, where):
    """Walking up, rules took the folder of an okrctl.yaml that is a pipe, a folder or a link to
    /dev/zero for "outside a repository": the default severities, exit 0, nothing on stderr (a
    repository grading OKR501 error was shown it as a warning). It stops there as every command
    does, with the same line and exit 2, as 'rules --repo' did already."""
    config = tmp_path / "okrctl.yaml"
    if kind == "fifo":
        os.mkfifo(config)
    elif kind == "folder":
        config.mkdir()
    else:
        config.symlink_to("/dev/zero")
    (tmp_path / "okrs").mkdir()
    monkeypatch.chdir(tmp_path if where == "root" else tmp_path / "okrs")
    said = cli("status", "--today", "2026-11-20")
    what = "a folder" if kind == "folder" else "not a regular file (a pipe, device or socket)"
    assert (said.exit_code, said.stderr) == (2, f"okrctl: {config}: {what}; okrctl reads its config from a file\n")
    for args in (["OKR501"], [], ["--format", "json"]):
        result = cli("rules", *args)
        assert (result.exit_code, result.stdout, result.stderr) == (2, "", said.stderr)


def test_a_repo_option_that_names_no_repository_is_a_usage_error(tmp_path) -> None:
    result = _rules("OKR307", "--repo", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert "no such folder" in result.stderr


def test_a_broken_okrctl_yaml_gives_its_valid_settings_and_says_so(tmp_path) -> None:
    root = _repository(tmp_path, GRADED_CONFIG + "limits: {objectives_per_team: many}\n")
    result = _rules("OKR307", "--repo", str(root))
    assert result.exit_code == 0
    assert result.stdout.startswith("OKR307 (warning, focus):")  # as align grades it: the valid settings
    assert "okrctl.yaml has errors; the severities shown are those of its valid settings" in result.stderr
    (root / "okrctl.yaml").write_text("rules: [\n", encoding="utf-8")
    unreadable = _rules("OKR307", "--repo", str(root))
    assert unreadable.exit_code == 0 and unreadable.stdout.startswith("OKR307 (error, focus):")
    assert "has errors" in unreadable.stderr


def test_an_okrctl_yaml_of_two_configs_says_so_as_every_command_does(tmp_path) -> None:
    """align (OKR105) and every view refuse a second Config; rules said nothing and showed the first's."""
    second = "---\napiVersion: okrctl/v1\nkind: Config\nrules: {severity: {OKR307: error}}\n"
    root = _repository(tmp_path, GRADED_CONFIG + second)
    result = _rules("OKR307", "--repo", str(root))
    assert result.exit_code == 0
    assert result.stdout.startswith("OKR307 (warning, focus):")  # the first Config's, as align grades it
    assert "okrctl.yaml has errors; the severities shown are those of its valid settings" in result.stderr


def test_okr100_is_not_said_to_be_silenced_by_a_comment_its_file_cannot_hold(tmp_path) -> None:
    # A file okrctl cannot read as YAML has no document for '# okrctl: ignore[OKR100]' to belong to.
    result = _rules("OKR100")
    assert result.exit_code == 0
    assert "# okrctl: ignore[OKR100]" not in result.stdout
    assert "in a document:  not possible: the file has no document to hold the comment" in result.stdout
    assert "okrctl align --ignore OKR100" in result.stdout
    other = _rules("OKR101")
    assert "in a document:  # okrctl: ignore[OKR101]" in other.stdout
