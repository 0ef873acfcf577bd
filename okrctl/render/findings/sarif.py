"""SARIF 2.1.0 for code scanning: every rule with its description, results with regions and fingerprints."""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import quote

from okrctl.catalog import RULES
from okrctl.findings import Finding, FindingsReport
from okrctl.load.discover import BAD_NAME_MESSAGE
from okrctl.render.envelope import dumps
from okrctl.render.findings.ci import checkout_message, fingerprints

SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
BASE_ID = "%SRCROOT%"
FINGERPRINT = "okrctlFinding/v1"
# GitHub code scanning rejects a whole upload whose run holds more results than this (and keeps
# only the first 5,000 by severity): beyond it, the most severe findings are kept and the rest counted.
MAX_RESULTS = 25_000
_RANK = {"error": 0, "warning": 1, "info": 2}
# A byte that is not UTF-8 as discovery writes it in a file's name (``load.discover.shown_name``).
_ESCAPED_BYTE = re.compile(rb"\\x([89a-f][0-9a-f])")


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


def _name_bytes(finding: Finding) -> bytes:
    """The bytes of the file's name, as the file system has them.

    A name that is not UTF-8 reaches its one finding (OKR100 with ``BAD_NAME_MESSAGE``: the file is
    not read) with each such byte written ``\\xNN``; here it is that byte again. Only that finding's
    path was escaped: a backslash in any other name is the name's own."""
    # As the file system has them: under a locale that is not UTF-8 (Latin-1), a name's str holds
    # its bytes decoded in the locale's encoding, and ``os.fsencode`` gives those bytes back.
    raw = os.fsencode(finding.path)
    if finding.code == "OKR100" and finding.message == BAD_NAME_MESSAGE:
        return _ESCAPED_BYTE.sub(lambda m: bytes([int(m.group(1), 16)]), raw)
    return raw


def _uri(report: FindingsReport, finding: Finding) -> str:
    """``artifactLocation.uri``, a URI reference (RFC 3986) relative to the checkout's top: every
    byte of the path but letters, digits, ``-._~`` and ``/`` percent-encoded, a character of a UTF-8
    name by its UTF-8 bytes (``é`` as ``%C3%A9``). A byte that is not UTF-8 is that byte
    (``t%FF.yaml``); written as its escape it was ``t%5Cxff.yaml``, the name of another file."""
    return quote(os.fsencode(report.path_prefix) + _name_bytes(finding), safe="/")


def _run_properties(report: FindingsReport) -> dict[str, Any]:
    properties: dict[str, Any] = {"today": report.today}
    if report.baseline is not None:
        properties["baseline"] = {"ref": report.baseline.ref, "commit": report.baseline.commit}
        properties["existing"] = report.existing
    return properties


def render(report: FindingsReport, *, color: bool = False, width: int = 100) -> str:
    codes = list(RULES)
    index = {code: i for i, code in enumerate(codes)}
    results = []
    pairs = list(zip(report.shown(), fingerprints(report), strict=True))
    kept = set(sorted(range(len(pairs)), key=lambda i: _RANK.get(pairs[i][0].severity, 1))[:MAX_RESULTS])
    left_out = len(pairs) - len(kept)
    for i, (finding, fingerprint) in enumerate(pairs):
        if i not in kept:
            continue
        location: dict[str, Any] = {
            "artifactLocation": {
                "uri": _uri(report, finding),
                "uriBaseId": BASE_ID,
            }
        }
        if finding.line > 0:
            location["region"] = {"startLine": finding.line, "startColumn": max(finding.column, 1)}
        # The exact text, as ``--format json`` carries it: ``dumps`` writes every control and
        # invisible character as a ``\uXXXX`` escape (the joiners of 👩‍💻 included), so a program
        # reads what the file says and code scanning shows none of them raw.
        text = checkout_message(report, finding) + (f"\nHint: {finding.hint}" if finding.hint else "")
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "level": LEVELS.get(finding.severity, "warning"),
            "message": {"text": text},
            "locations": [{"physicalLocation": location}],
            "partialFingerprints": {FINGERPRINT: fingerprint},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        if report.baseline is not None:
            result["baselineState"] = "new" if finding.new else "unchanged"
        properties: dict[str, str] = {k: str(v) for k, v in sorted(finding.data.items())}
        properties["trigger"] = finding.trigger
        result["properties"] = properties
        results.append(result)
    run: dict[str, Any] = {
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
        "properties": _run_properties(report),
    }
    if left_out:
        note = (
            f"{left_out} of {len(pairs)} findings left out (the least severe): code scanning rejects a run "
            f"with more than {MAX_RESULTS:,} results; run 'okrctl align' to see them all"
        )
        run["invocations"] = [
            {
                "executionSuccessful": True,
                "toolExecutionNotifications": [{"level": "warning", "message": {"text": note}}],
            }
        ]
        run["properties"]["left_out"] = left_out
    payload = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [run],
    }
    return dumps(payload) + "\n"
