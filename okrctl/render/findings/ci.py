"""What the CI formats (github, sarif, junit, gitlab) share: checkout paths and stable fingerprints."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import Path

from okrctl.findings import Finding, FindingsReport

# "first at okrs/a.yaml:12": positions inside a message must not change a fingerprint.
_POSITION = re.compile(r"(\.ya?ml):\d+(:\d+)?")


def workspace_prefix(root: Path) -> str:
    """The repository root relative to the enclosing git checkout ("okrs/"), or "" when it is the top."""
    root = root.resolve()
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            rel = root.relative_to(folder).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


def checkout_path(report: FindingsReport, finding: Finding) -> str:
    return report.path_prefix + finding.path


def fingerprints(report: FindingsReport) -> list[str]:
    """One fingerprint per finding: stable across runs and line moves, unique within the report.

    It hashes the code, the path, the finding's facts (objective, key result, …) and its message
    without positions; findings that would still collide are numbered in report order.
    """
    seen: Counter[str] = Counter()
    out: list[str] = []
    for finding in report.findings:
        facts = "\0".join(f"{k}={v}" for k, v in sorted(finding.data.items()))
        text = "\0".join((finding.code, checkout_path(report, finding), facts, _POSITION.sub(r"\1", finding.message)))
        base = hashlib.sha256(text.encode("utf-8")).hexdigest()
        seen[base] += 1
        if seen[base] > 1:
            base = hashlib.sha256(f"{base}\0{seen[base]}".encode()).hexdigest()
        out.append(base[:32])
    return out


def exact_path(path: str) -> str:
    """The file's name exactly as the file system has it, for formats that can carry any text
    (SARIF percent-encodes it, JSON escapes it, GitHub's properties escape CR and LF): an
    annotation on ``a<CR>b.yaml`` must point at that file, not at ``ab.yaml``. A name that is not
    valid UTF-8 (held with surrogate escapes) cannot be written in these formats as it is; its
    escaped form is used."""
    if any("\ud800" <= ch <= "\udfff" for ch in path):
        from okrctl.safetext import shown_path

        return shown_path(path)
    return path
