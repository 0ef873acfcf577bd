"""``okrctl schema``: draft 2020-12 schemas that accept the examples and reject unknown fields."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from okrctl.load.documents import parse_bytes
from okrctl.load.pipeline import load_repo
from okrctl.model import KINDS
from tests.conftest import EXAMPLES


def test_schema_for_every_kind_is_written_to_a_folder(cli, tmp_path):
    result = cli("schema", "--output", str(tmp_path / "schema"))
    assert result.exit_code == 0
    names = sorted(p.name for p in (tmp_path / "schema").iterdir())
    assert names == sorted([f"{k.lower()}.schema.json" for k in KINDS] + ["okrctl.schema.json"])
    for path in (tmp_path / "schema").iterdir():
        schema = json.loads(path.read_text())
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        jsonschema.Draft202012Validator.check_schema(schema)


def test_an_empty_output_folder_is_a_usage_error_not_the_current_folder(cli, tmp_path, monkeypatch):
    """``schema -o "$DIR"`` with DIR unset wrote eight files into whatever folder the script ran
    in; an empty DIR is refused, as ``init ""`` is, and '.' still names the current folder."""
    monkeypatch.chdir(tmp_path)
    for empty in ("", "  "):
        result = cli("schema", "--output", empty)
        assert result.exit_code == 2
        assert result.stderr == "okrctl: --output: DIR is empty; name a folder ('.' for the current one)\n"
        assert list(tmp_path.iterdir()) == []
    result = cli("schema", "--output", ".", "--kind", "Unit")
    assert result.exit_code == 0 and result.stdout == "wrote 1 schema file to .\n"
    assert [p.name for p in tmp_path.iterdir()] == ["unit.schema.json"]


@pytest.mark.parametrize("example", ["banco", "saas"])
def test_exported_schema_accepts_every_example_document(cli, example):
    schema = json.loads(cli("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    root = EXAMPLES / example
    repo = load_repo(root, use_cache=False)
    checked = 0
    for path in sorted({doc.path for doc in repo.docs}):
        # The documents as written (a loaded check-in keeps its model, not its raw values).
        for document in parse_bytes(path, (root / path).read_bytes(), want_positions=False):
            errors = [e.message for e in validator.iter_errors(document.data)]
            assert errors == [], f"{path}: {errors}"
            checked += 1
    assert checked == len(repo.docs)


def test_exported_schema_rejects_an_unknown_field_and_a_bad_id(cli):
    schema = json.loads(cli("schema", "--kind", "Unit").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    good = {"apiVersion": "okrctl/v1", "kind": "Unit", "id": "web", "parent": "co"}
    assert list(validator.iter_errors(good)) == []
    assert any("nmae" in e.message for e in validator.iter_errors({**good, "nmae": "Web"}))
    assert list(validator.iter_errors({**good, "id": "Web Team"}))


def test_unknown_kind_is_a_usage_error(cli):
    result = cli("schema", "--kind", "Objectiv")
    assert result.exit_code == 2
    assert "--kind: 'Objectiv' is not one of" in result.stderr


def test_the_help_names_every_kind_the_option_accepts(cli):
    shown = " ".join(cli("schema", "--help").stdout.split())
    assert f"One kind ({', '.join(KINDS)})." in shown
    for kind in KINDS:
        result = cli("schema", "--kind", kind)
        assert result.exit_code == 0, result.stderr
        assert json.loads(result.stdout)["properties"]["kind"]["const"] == kind


@pytest.mark.parametrize(
    ("document", "key"),
    [
        ({"kind": "CheckIn", "owner": "web", "date": "2026-11-20", "confidence": {"Web Signup": 7}}, "Web Signup"),
        ({"kind": "CheckIn", "owner": "web", "date": "2026-11-20", "results": {"Signup Rate": 3}}, "Signup Rate"),
        ({"kind": "Reading", "owner": "web", "date": "2026-11-20", "source": "x", "values": {"A B": 1}}, "A B"),
        (
            {
                "kind": "Retro",
                "owner": "web",
                "cycle": "2026-Q4",
                "stage": "end",
                "date": "2026-12-31",
                "scores": {"Signup Rate": 0.5},
            },
            "Signup Rate",
        ),
    ],
)
def test_exported_schema_rejects_a_mapping_key_that_align_rejects(cli, document, key):
    # align reports such a key (OKR101: not an id); an editor must underline it too.
    schema = json.loads(cli("schema").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    good = {"apiVersion": "okrctl/v1", **document}
    field = next(name for name, value in document.items() if isinstance(value, dict))
    fixed = {**good, field: {"web-signup": next(iter(document[field].values()))}}
    assert list(validator.iter_errors(fixed)) == []
    assert any(key in e.message for e in validator.iter_errors(good))


def test_exported_schema_accepts_only_known_rule_codes_in_the_config(cli):
    schema = json.loads(cli("schema", "--kind", "Config").stdout)
    validator = jsonschema.Draft202012Validator(schema)
    head = {"apiVersion": "okrctl/v1", "kind": "Config"}
    assert list(validator.iter_errors({**head, "rules": {"ignore": ["OKR305"], "severity": {"OKR201": "error"}}})) == []
    assert list(validator.iter_errors({**head, "rules": {"ignore": ["OKR999"]}}))
    assert list(validator.iter_errors({**head, "rules": {"severity": {"OKR2": "error"}}}))


@pytest.mark.parametrize(
    ("cycle", "accepted"), [(7, True), (999, True), (2026, True), ("2026-Q4", True), (-1, False), ("  ", False)]
)
def test_the_schema_takes_a_cycle_id_as_the_model_does(cli, cycle, accepted):
    """An unquoted number is a cycle id to ``align`` (``cycle: 7`` for a declared cycle "7"), so
    the editor's schema takes it too; a negative number or blanks are no id to either."""
    import json as json_module

    from pydantic import TypeAdapter, ValidationError

    from okrctl.model.base import CycleId

    schema = json_module.loads(cli("schema", "--kind", "Objective").stdout)
    cycle_schema = schema["properties"]["cycle"]
    valid = jsonschema.Draft202012Validator(cycle_schema).is_valid(cycle)
    try:
        TypeAdapter(CycleId).validate_python(cycle)
        model = True
    except ValidationError:
        model = False
    assert valid is model is accepted


def _patterns(value: object) -> set[str]:
    if isinstance(value, dict):
        found = {v for k, v in value.items() if k == "pattern" and isinstance(v, str)}
        return found.union(*(_patterns(v) for k, v in value.items() if k != "pattern"))
    if isinstance(value, list):
        return set().union(*(_patterns(v) for v in value))
    return set()


@pytest.mark.slow
def test_a_standard_validator_takes_the_schema_and_checks_documents_with_it(cli, tmp_path):
    """check-jsonschema reads the patterns as ECMA-262 regular expressions (as JSON Schema 2020-12
    says), where an escaped quote is refused: it once refused the whole schema for the members'
    address pattern. It takes the schema and validates a unit file, and refuses a bad address."""
    import subprocess
    import sys

    assert cli("schema", "--output", str(tmp_path / "schema")).exit_code == 0
    schema = tmp_path / "schema" / "okrctl.schema.json"
    units = EXAMPLES / "banco" / "units"
    good = sorted(units.glob("*.yaml"))[:3]

    def check(*files: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)]
        return subprocess.run(command, capture_output=True, text=True)

    accepted = check(*good)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    bad = tmp_path / "unit.yaml"
    bad.write_text(
        'apiVersion: okrctl/v1\nkind: Unit\nid: cards\ntype: team\nmembers: ["Ana <ana@example.com>"]\n', "utf-8"
    )
    refused = check(bad)
    assert refused.returncode == 1 and "members" in refused.stdout, refused.stdout + refused.stderr


def test_every_pattern_of_the_schema_is_a_unicode_regular_expression_for_javascript(cli, tmp_path):
    """Editors and validators in JavaScript (Ajv, VS Code's YAML support) compile each pattern with
    the ``u`` flag: every one of them must compile so."""
    import shutil
    import subprocess

    if shutil.which("node") is None:
        pytest.skip("node is not installed (.ci/run installs it)")
    assert cli("schema", "--output", str(tmp_path / "schema")).exit_code == 0
    patterns = set().union(*(_patterns(json.loads(p.read_text("utf-8"))) for p in (tmp_path / "schema").glob("*.json")))
    assert len(patterns) >= 5
    script = "const p = JSON.parse(require('fs').readFileSync(0, 'utf8')); for (const x of p) new RegExp(x, 'u');"
    result = subprocess.run(["node", "-e", script], input=json.dumps(sorted(patterns)), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


CONFIG_HEAD = "apiVersion: okrctl/v1\nkind: Config\n"
OBJECTIVE_HEAD = (
    "apiVersion: okrctl/v1\nkind: Objective\nid: web-q4\nowner: web\ncycle: 2026-Q4\ntitle: Signing up is easy\n"
    "key_results:\n  - {id: signup-rate, title: Sign-ups rise, "
)


def _verdicts(schema: dict, text: str) -> tuple[bool, bool]:
    """(the exported schema accepts the document, align finds no OKR101 in it), read as okrctl reads
    the YAML: the editor sees the same values once YAML becomes JSON."""
    from okrctl.load.documents import Doc, parse_bytes, validate

    parsed = parse_bytes("doc.yaml", text.encode())[0]
    in_editor = jsonschema.Draft202012Validator(schema).is_valid(parsed.data)
    doc = Doc("doc.yaml", 0, parsed.line, parsed.column, parsed.data, parsed=parsed)
    return in_editor, not [f for f in validate(doc) if f.code == "OKR101"]


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        (CONFIG_HEAD + "checkin: {cadence_days: 7.0, stale_after_days: 1e1}\n", True),
        (CONFIG_HEAD + "limits: {objectives_per_team: 3.0, krs_per_objective: [2.0, 5]}\n", True),
        # Beyond 10^15 too: align said "2e15 is not a whole number" and took 2000000000000000.
        (CONFIG_HEAD + "checkin: {cadence_days: 2e15, stale_after_days: 1e16}\n", True),
        (CONFIG_HEAD + "limits: {objectives_per_team: 1.5e15}\n", True),
        (CONFIG_HEAD + "checkin: {cadence_days: 7.5}\n", False),
        (CONFIG_HEAD + "checkin: {cadence_days: 0.0}\n", False),
        (CONFIG_HEAD + "limits: {krs_per_objective: [2, 5.5]}\n", False),
        (OBJECTIVE_HEAD + "baseline: 2.0, target: 4}\n", True),
        (OBJECTIVE_HEAD + "baseline: .inf, target: 4}\n", False),
        (OBJECTIVE_HEAD + "baseline: 2, target: -.Inf}\n", False),
        (OBJECTIVE_HEAD + "baseline: 2, target: 1e400}\n", False),
    ],
)
def test_the_schema_and_align_agree_on_whole_and_infinite_numbers(cli, text, accepted):
    """JSON cannot tell 7.0 from 7, so the schema's ``integer`` takes 7.0: align reads it as 7 too,
    and refuses 7.5 as the schema does. ``.inf`` lies beyond the ±10^15 both hold numbers to."""
    schema = json.loads(cli("schema").stdout)
    assert _verdicts(schema, text) == (accepted, accepted)


def test_nan_is_the_one_number_only_align_refuses(cli):
    """JSON has no NaN, so no JSON Schema can refuse it (docs/format.md says so); align does."""
    schema = json.loads(cli("schema").stdout)
    assert _verdicts(schema, OBJECTIVE_HEAD + "baseline: .nan, target: 4}\n") == (True, False)


def test_a_whole_number_written_with_a_decimal_point_is_that_whole_number(cli, tmp_path):
    from okrctl.model import Config

    config = Config.model_validate(
        {
            "apiVersion": "okrctl/v1",
            "kind": "Config",
            "checkin": {"cadence_days": 7.0},
            "limits": {"krs_per_objective": [2.0, 5e0]},
        }
    )
    assert (config.checkin.cadence_days, config.limits.krs_per_objective) == (7, (2, 5))
    assert type(config.checkin.cadence_days) is int
    repo = tmp_path / "banco"
    shutil.copytree(EXAMPLES / "banco", repo)
    with (repo / "okrctl.yaml").open("a", encoding="utf-8") as handle:
        handle.write("limits: {objectives_per_team: 1.0}\n")
    result = cli("align", "--repo", str(repo), "--today", "2026-11-20", "--format", "json", "--select", "OKR1,OKR301")
    # The limit of 1 is applied, not refused: digital-services has three objectives in 2026-Q4.
    assert [f["code"] for f in json.loads(result.stdout)["findings"]] == ["OKR301"]


def test_a_whole_number_past_a_floats_reach_is_the_one_written() -> None:
    """1e23 is 99999999999999991611392 as a float: the limits' messages, diff and the retro quoted
    that number as if the file said it."""
    from okrctl.model import Config

    config = Config.model_validate(
        {
            "apiVersion": "okrctl/v1",
            "kind": "Config",
            "checkin": {"cadence_days": 1e23},
            "limits": {"krs_per_objective": [1e300, 1e300]},
        }
    )
    assert config.checkin.cadence_days == 10**23
    assert config.limits.krs_per_objective == (10**300, 10**300)


@pytest.mark.slow
def test_the_schema_on_standard_output_is_the_same_bytes_under_a_latin1_locale() -> None:
    """The visible-text patterns hold characters past U+FFFF: written in a Latin-1 stream's encoding
    they became substitutes, a pattern that refused a valid unit such as ``-``."""
    import os
    import subprocess
    import sys

    listing = subprocess.run(["locale", "-a"], capture_output=True, text=True, check=False).stdout.split()
    latin1 = next((n for n in listing if n.lower().replace("-", "").endswith(".iso88591")), None)
    if latin1 is None:
        pytest.skip("no Latin-1 locale here (.ci/run makes one with localedef)")

    def schema(locale: str) -> bytes:
        env = {**os.environ, "LC_ALL": locale, "PYTHONUTF8": "0", "OKRCTL_NO_CACHE": "1", "PYTHONIOENCODING": ""}
        run = subprocess.run([sys.executable, "-m", "okrctl", "schema"], capture_output=True, env=env, check=True)
        return run.stdout

    utf8 = schema("C.UTF-8")
    assert "\U00013430".encode() in utf8  # (a format control of Egyptian hieroglyphs, in the patterns)
    assert schema(latin1) == utf8
