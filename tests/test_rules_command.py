"""`okrctl rules [CODE]`: the catalogue of SPEC §5 and one rule explained with a bad and a good example."""

from __future__ import annotations

import json

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


@pytest.mark.parametrize("spelling", ["OKR208", "okr208", "208"])
def test_one_rule_is_explained_with_what_why_and_a_bad_and_a_good_example(spelling) -> None:
    result = _rules(spelling)
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("OKR208 (warning, vertical): cascaded copy")
    for heading in ("What it means", "Why it matters", "Bad", "Good", "Silence or re-grade it"):
        assert f"\n{heading}\n" in out
    assert "# okrctl: ignore[OKR208]" in out


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
