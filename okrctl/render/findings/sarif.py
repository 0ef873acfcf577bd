"""SARIF 2.1.0 for code scanning: every rule with its description, results with regions and fingerprints."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from okrctl.catalog import RULES
from okrctl.findings import FindingsReport
from okrctl.render.findings.ci import checkout_path, exact_path, fingerprints
from okrctl.safetext import clean, one_line

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
BASE_ID = "%SRCROOT%"
FINGERPRINT = "okrctlFinding/v1"


def _rule(code: str) -> dict[str, Any]:
    from okrctl.rules.docs import DOCS

    info = RULES[code]
    rule: dict[str, Any] = {
        "id": code,
        "shortDescription": {"text": info.summary},
        "defaultConfiguration": {"level": LEVELS[info.severity]},
        "properties": {"tags": ["okr", info.family]},
    }
    doc = DOCS.get(code)
    if doc is not None:
        rule["fullDescription"] = {"text": doc.what}
        rule["help"] = {
            "text": f"{doc.what}\n\n{doc.why}\n\nBad:\n{doc.bad}\nGood:\n{doc.good}",
            "markdown": f"{doc.what}\n\n{doc.why}\n\nBad:\n```yaml\n{doc.bad}```\n\nGood:\n```yaml\n{doc.good}```\n",
        }
    return rule


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    codes = list(RULES)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    for finding, fingerprint in zip(report.findings, fingerprints(report), strict=True):
        location: dict[str, Any] = {
            "artifactLocation": {
                "uri": quote(exact_path(checkout_path(report, finding)), safe="/"),
                "uriBaseId": BASE_ID,
            }
        }
        if finding.line > 0:
            location["region"] = {"startLine": finding.line, "startColumn": max(finding.column, 1)}
        text = one_line(finding.message) + (f"\nHint: {one_line(finding.hint)}" if finding.hint else "")
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": text},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {FINGERPRINT: fingerprint},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        if finding.data:
            result["properties"] = {k: clean(v) for k, v in sorted(finding.data.items())}
        results.append(result)
    payload = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "okrctl",
                        "version": report.version,
                        "semanticVersion": report.version,
                        "rules": [_rule(code) for code in codes],
                    }
                },
                "originalUriBaseIds": {
                    BASE_ID: {"description": {"text": "The top of the checkout that holds the OKR repository."}}
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                "properties": {"today": report.today},
            }
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
