"""``okrctl schema``: draft 2020-12 schemas that accept the examples and reject unknown fields."""

from __future__ import annotations

import json
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
