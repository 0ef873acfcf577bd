"""What the CI formats (github, sarif, junit, gitlab) share: checkout paths and stable fingerprints."""

from __future__ import annotations

from pathlib import Path

from okrctl.findings import Finding, FindingsReport


def workspace_prefix(root: Path) -> str:
    """The repository root relative to the enclosing git checkout ("okrs/"), or "" when it is the top."""
    root = root.resolve()
    for folder in (root, *root.parents):
        if (folder / ".git").exists():
            rel = root.relative_to(folder).as_posix()
            return "" if rel == "." else rel + "/"
    return ""


def marks(report: FindingsReport, finding: Finding) -> str:
    """`` [time]`` for a finding only the calendar raised, `` [existing]`` for one already in the baseline."""
    out = " [time]" if finding.trigger == "time" else ""
    if report.baseline is not None and finding.new is False:
        out += " [existing]"
    return out


def checkout_path(report: FindingsReport, finding: Finding) -> str:
    return report.path_prefix + finding.path


def checkout_message(report: FindingsReport, finding: Finding) -> str:
    """The finding's message with the other file it names (a duplicate's first, ``first at
    units/a.yaml:4``) written from the same top as the finding's own path (``okrs/units/a.yaml:4``):
    a reader of the job's log cannot tell which base a bare path inside the text starts from."""
    first = finding.data.get("first")
    if not report.path_prefix or not isinstance(first, str):
        return finding.message
    return finding.message.replace(f"(first at {first}:", f"(first at {report.path_prefix}{first}:", 1)


def fingerprints(report: FindingsReport) -> list[str]:
    """The fingerprint of each finding the report shows (see ``okrctl.findings.with_fingerprints``):
    built from the code, the path, what the finding is about and the ids it names, never its line."""
    shown = report.shown()
    if any(not finding.fingerprint for finding in shown):  # findings built outside ``rules.run``
        from okrctl.findings import with_fingerprints

        shown = with_fingerprints(shown)
    return [finding.fingerprint for finding in shown]


def exact_path(path: str) -> str:
    """The file's name exactly as the file system has it, for formats that can carry any text
    (GitLab's JSON escapes it, GitHub's properties escape CR and LF; SARIF's URI is built from the
    name's bytes instead, ``sarif._uri``): an
    annotation on ``a<CR>b.yaml`` must point at that file, not at ``ab.yaml``. A name that is not
    valid UTF-8 (held with surrogate escapes) cannot be written in these formats as it is; its
    escaped form is used."""
    if any("\ud800" <= ch <= "\udfff" for ch in path):
        from okrctl.safetext import shown_path

        return shown_path(path)
    return path
