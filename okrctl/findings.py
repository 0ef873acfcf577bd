"""Findings are values: collected by every rule, filtered, sorted, then rendered."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning" | "info"
    path: str  # relative to the repository root, with "/"
    line: int  # 1-based; 0 when the finding is about a whole repository
    column: int  # 1-based
    message: str
    hint: str = ""
    # Stable extra facts for CI formats and tools (e.g. the objective id); not shown as text.
    data: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
        }


def severity_rank(severity: str) -> int:
    return {"error": 0, "warning": 1, "info": 2}.get(severity, 3)


@dataclass
class FindingsReport:
    """What ``align`` hands to a renderer."""

    version: str
    today: str
    files: int
    documents: int
    findings: list[Finding]
    other_files: list[str] = field(default_factory=list)
    # Where the repository root sits inside the enclosing git checkout ("okrs/" or ""): CI formats
    # (github, sarif, junit, gitlab) need paths from the checkout's top, the others stay root-relative.
    path_prefix: str = ""

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.findings:
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts

    def summary_line(self) -> str:
        c = self.counts()

        def plural(n: int, word: str) -> str:
            return f"{n} {word}" + ("" if n == 1 else "s")

        return (
            f"{plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}, {c['info']} info "
            f"in {plural(self.files, 'file')} ({plural(self.documents, 'document')})"
        )
