"""JSON Schema (draft 2020-12) of every kind, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from okrctl import __version__

DIALECT = "https://json-schema.org/draft/2020-12/schema"
KIND_FILE = "{kind}.schema.json"
BASE_ID = f"https://okrctl.dev/schema/{__version__}/"


def kind_schema(kind: str) -> dict[str, Any]:
    from okrctl.model import KIND_MODELS

    model = KIND_MODELS[kind]
    schema = _closed_key_patterns(model.model_json_schema(by_alias=True, mode="validation"))
    return {
        "$schema": DIALECT,
        "$id": BASE_ID + KIND_FILE.format(kind=kind.lower()),
        **schema,
    }


def all_schemas() -> dict[str, Any]:
    """One schema for any okrctl document: the kinds told apart by ``kind``."""
    from okrctl.model import KINDS

    defs: dict[str, Any] = {}
    branches = []
    for kind in KINDS:
        schema = kind_schema(kind)
        schema.pop("$schema", None)
        schema.pop("$id", None)
        for name, definition in schema.pop("$defs", {}).items():
            defs[name] = definition
        defs[kind] = schema
        branches.append(
            {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": {"$ref": f"#/$defs/{kind}"}}
        )
    return {
        "$schema": DIALECT,
        "$id": BASE_ID + "okrctl.schema.json",
        "title": "okrctl document",
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {"apiVersion": {"const": "okrctl/v1"}, "kind": {"enum": list(KINDS)}},
        "allOf": branches,
        "$defs": defs,
    }


def _closed_key_patterns(node: Any) -> Any:
    """Close every mapping whose keys pydantic constrains with ``patternProperties`` (a check-in's
    ``results`` and per-objective ``confidence``, a reading's ``values``, a retro's ``scores``): a
    key that matches no pattern is an error to okrctl, so it must be one to an editor too, and JSON
    Schema lets such keys through unless ``additionalProperties`` says otherwise."""
    if isinstance(node, dict):
        for value in node.values():
            _closed_key_patterns(value)
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
    elif isinstance(node, list):
        for item in node:
            _closed_key_patterns(item)
    return node
