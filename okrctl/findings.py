"""Findings are values: collected by every rule, filtered, sorted, then rendered."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field, replace

# What made a finding appear: a change to a file, or only the passing of time (a team that has not
# checked in for a while, a cycle that ended without its retro). Time never makes a change "new".
TRIGGER_FILE = "file"
TRIGGER_TIME = "time"

# "first at okrs/a.yaml:12", "(first at line 16)", "(… from line 27)": positions inside a message
# must not change a fingerprint.
_POSITION = re.compile(r"(\.ya?ml):\d+(:\d+)?|\b(line) \d+")


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
    # What the finding is about, without any position: the document's id and the key path inside it
    # (list items named by their id), e.g. "objective:cards-q4|key_results[activation].target".
    # Empty for findings about a whole file; the fingerprint then falls back to the message.
    about: str = field(default="", compare=False, hash=False)
    fingerprint: str = field(default="", compare=False, hash=False)
    # The place is one of several the finding could be shown at (OKR210, about a cycle, at the
    # first of its objectives by path): the fingerprint leaves the path and the document out, so
    # adding, removing or renaming another file does not make the same finding new.
    representative: bool = field(default=False, compare=False, hash=False)
    # With a baseline: True when the finding is not in the baseline (None without a baseline).
    new: bool | None = field(default=None, compare=False, hash=False)
    # A problem of okrctl.yaml itself, which stops every view: align reports it whatever silences,
    # filters or baselines would leave out (``rules.base.apply_policy``).
    stops_views: bool = field(default=False, compare=False, hash=False)

    @property
    def one_wherever_shown(self) -> bool:
        """Shown at a representative place, and the only finding of its fingerprint: the same one
        whichever file shows it (a team's check-ins outside its objectives in one cycle, a cycle
        without a strategy). A duplicate's (``data["first"]``) is not: it is one of as many as
        there are copies, told apart by their number (``with_fingerprints``), and judged where its
        first is."""
        return self.representative and "first" not in self.data

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def with_severity(self, severity: str) -> Finding:
        return replace(self, severity=severity)

    @property
    def trigger(self) -> str:
        from okrctl.catalog import RULES

        rule = RULES.get(self.code)
        return rule.trigger if rule is not None else TRIGGER_FILE

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "code": self.code,
            "severity": self.severity,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
            "fingerprint": self.fingerprint,
            "trigger": self.trigger,
        }
        if self.new is not None:
            out["new"] = self.new
        return out


def fingerprint_material(finding: Finding) -> str:
    """What a fingerprint hashes: the code, the path, what the finding is about and the ids it names.

    Never a line or column, so inserting a comment above a finding keeps its fingerprint; for a
    finding shown at a representative place, neither the path nor the document (its facts say
    what it is about).
    """
    # "first" (where the first of a duplicate is) moves with that file: not part of what it is about;
    # "goalpost" (OKR601's key result and field) is named by the message already.
    facts = "\0".join(f"{k}={v}" for k, v in sorted(finding.data.items()) if k not in ("commit", "first", "goalpost"))
    commit = finding.data.get("commit", "")
    if finding.representative:
        return "\0".join((finding.code, "", "", facts, commit))
    about = finding.about or _POSITION.sub(lambda m: m.group(1) or m.group(3), finding.message)
    return "\0".join((finding.code, finding.path, about, facts, commit))


def with_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Each finding with its fingerprint; findings that would share one are numbered in order."""
    seen: Counter[str] = Counter()
    out: list[Finding] = []
    for finding in findings:
        base = hashlib.sha256(fingerprint_material(finding).encode("utf-8")).hexdigest()
        seen[base] += 1
        if seen[base] > 1:
            base = hashlib.sha256(f"{base}\0{seen[base]}".encode()).hexdigest()
        out.append(replace(finding, fingerprint=base[:32]))
    return out


def moved_files(before: dict[str, str], after: dict[str, str]) -> dict[str, str]:
    """The files that moved with their content between two versions: old path -> new path.

    ``before`` and ``after`` map each file to its content digest ("" for a file that could not be
    read). A file's bytes left a path that is gone, or that holds other bytes after (another file
    was moved or written there: its old path reused, two names swapped), and arrived at a path
    that is new, or that held other bytes before. A file is moved when one path alone left with
    its digest and one path alone arrived with it: among several gone or new files with the same
    bytes, none is paired.
    """
    left: dict[str, list[str]] = {}
    for path, digest in before.items():
        if digest and after.get(path) != digest:
            left.setdefault(digest, []).append(path)
    came: dict[str, list[str]] = {}
    for path, digest in after.items():
        if digest and before.get(path) != digest and digest in left:
            came.setdefault(digest, []).append(path)
    return {left[d][0]: paths[0] for d, paths in came.items() if len(paths) == 1 and len(left[d]) == 1}


def as_moved(findings: list[Finding], moves: dict[str, str]) -> list[Finding]:
    """``findings`` of an earlier version, placed in the files they moved to (``moved_files``),
    with fingerprints made again for those paths: a finding in a file that only moved is then the
    same finding as the one it had before."""
    if not moves or not any(f.path in moves for f in findings):
        return findings
    return with_fingerprints([replace(f, path=moves.get(f.path, f.path)) for f in findings])


def severity_rank(severity: str) -> int:
    return {"error": 0, "warning": 1, "info": 2}.get(severity, 3)


@dataclass(frozen=True)
class Baseline:
    """What ``align --baseline`` compared against."""

    ref: str  # as the user (or GITHUB_BASE_REF) named it
    commit: str  # the resolved commit
    automatic: bool = False  # chosen from GITHUB_BASE_REF, not from --baseline
    show_existing: bool = False
    # The commit has no okrctl.yaml where the repository's is (the change adds the OKR repository):
    # it has no findings, so every finding of the change is new.
    before_okrctl: bool = False
    tip: str | None = None  # ``--baseline REF``: the commit REF names (``commit`` is its merge base with HEAD)

    def announcement(self) -> str:
        short = self.commit[:12]
        if self.automatic:
            where = f"baseline {short} (merge base with {self.ref}, from GITHUB_BASE_REF)"
            if self.before_okrctl:
                return f"okrctl: {where} has no okrctl.yaml yet: every finding is new"
            return f"okrctl: {where}: only findings new since then block; --no-baseline judges the whole repository"
        # A commit given whole (the GitHub action passes the merge base it computed) is named once.
        if self.ref == self.commit:
            named = short
        elif self.tip is not None and self.tip != self.commit:
            named = f"{self.ref} (merge base {short})"  # REF moved on since HEAD forked from it
        else:
            named = f"{self.ref} ({short})"
        if self.before_okrctl:
            return f"okrctl: baseline {named} has no okrctl.yaml yet: every finding is new"
        return f"okrctl: baseline {named}: only findings new since then block"


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
    baseline: Baseline | None = None
    # Findings in the baseline too (counted; listed in ``findings`` only with --show-existing).
    existing: int = 0
    # ``align PATH...``: only findings in these files were kept (root-relative); None = every file.
    paths: list[str] | None = None
    # How many of the repository's files ``paths`` names, its folders' files each counted (None:
    # as many as ``paths`` has entries).
    checked: int | None = None

    def checked_files(self) -> int:
        """The files ``align PATH...`` checked: a folder counts its files, not one."""
        if self.checked is not None:
            return self.checked
        return len(self.paths) if self.paths is not None else self.files

    strict: bool = False  # ``--strict``: warnings fail the run too

    def fails(self) -> bool:
        """Whether the run fails (exit 1): an error, or with ``strict`` a warning, among ``blocking``."""
        counts = self.counts()
        return bool(counts["error"] or (self.strict and counts["warning"]))

    def blocking(self) -> list[Finding]:
        """The findings that decide the exit code: all of them, or the new ones with a baseline."""
        if self.baseline is None:
            return self.findings
        return [f for f in self.findings if f.new]

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for finding in self.blocking():
            counts[finding.severity] = counts.get(finding.severity, 0) + 1
        return counts

    def shown(self) -> list[Finding]:
        """What a renderer lists: every finding, or with a baseline the new ones (all with --show-existing)."""
        if self.baseline is None or self.baseline.show_existing:
            return self.findings
        return [f for f in self.findings if f.new]

    def summary_line(self) -> str:
        c = self.counts()

        def plural(n: int, word: str) -> str:
            return f"{n} {word}" + ("" if n == 1 else "s")

        head = f"{plural(c['error'], 'error')}, {plural(c['warning'], 'warning')}, {c['info']} info"
        if self.baseline is not None:
            new = sum(c.values())
            head = f"{new} new ({head}), {self.existing} existing"
        scope = f"in {plural(self.files, 'file')} ({plural(self.documents, 'document')})"
        if self.paths is not None:
            scope = f"in {plural(self.checked_files(), 'checked file')} of {self.files} ({plural(self.documents, 'document')})"
        return f"{head} {scope}"
