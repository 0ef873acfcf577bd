"""What every rule family receives, and the selection/severity logic applied to all findings."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from okrctl.catalog import configured_severity
from okrctl.findings import Finding
from okrctl.load.documents import Doc
from okrctl.load.index import Repo
from okrctl.model import Objective
from okrctl.rules.echo import Echoes


@dataclass
class RuleContext:
    repo: Repo
    today: date
    # Cycles the time-bound rules (2xx–6xx) look at; None means every cycle.
    cycles: set[str] | None
    history: bool = True
    # Repository paths whose findings are wanted (None: every file); see ``rules.run``.
    focus: set[str] | None = field(default=None, kw_only=True)
    # With ``focus``: findings shown at a representative place (``Finding.representative``) are
    # wanted wherever they are shown (a baseline's run; see ``rules.run``).
    every_representative: bool = field(default=False, kw_only=True)
    _echo: Echoes | None = field(default=None, repr=False)
    _in_cycles: dict[date, bool] = field(default_factory=dict, repr=False)

    @property
    def echo(self) -> Echoes:
        """What broken or dangling documents explain already (one finding per cause)."""
        if self._echo is None:
            self._echo = Echoes.of(self.repo)
        return self._echo

    def objectives(self) -> list[Doc[Objective]]:
        """Valid objectives of the selected cycles, in id order."""
        return self.repo.objectives_in(self.cycles)

    def wanted(self, doc: Doc) -> bool:
        """Whether a finding placed on ``doc`` is wanted (see ``focus``)."""
        return self.focus is None or doc.path in self.focus

    def selected(self, cycle_id: str) -> bool:
        return self.cycles is None or str(cycle_id) in self.cycles

    def in_selected_cycles(self, day: date) -> bool:
        """Whether ``day`` falls in one of the selected cycles (always, when every cycle is). An
        objective whose cycle contains a day outside them is of a cycle not selected. A year of
        check-ins has few distinct days: each is worked out once."""
        found = self._in_cycles.get(day)
        if found is None:
            if self.cycles is None:
                found = True
            else:
                spans = (self.repo.cycle(cycle_id) for cycle_id in self.cycles)
                found = any(span is not None and span.contains(day) for span in spans)
            self._in_cycles[day] = found
        return found


def default_cycles(repo: Repo, today: date) -> set[str]:
    """Every cycle that has not ended before today: the current and the planned ones."""
    selected = set()
    for doc in repo.objectives.values():
        cycle = repo.cycle(doc.model.cycle)
        if cycle is not None and cycle.end >= today:
            selected.add(cycle.id)
    return selected


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in patterns)


@dataclass
class Selection:
    """--select / --ignore (code prefixes, e.g. OKR2) on top of the config's rules section."""

    select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)


def reported(code: str, ignored: Iterable[str], selection: Selection) -> bool:
    """Whether a finding of ``code`` is reported at all, document comments aside: not in the
    config's ``ignore``, selected, and not ignored on the command line."""
    if code in ignored:
        return False
    if selection.select and not _matches(code, selection.select):
        return False
    return not (selection.ignore and _matches(code, selection.ignore))


def _first_lines(repo: Repo, docs: list[Doc]) -> list[int]:
    """Where each document of one file starts owning lines (``ParsedDocument.first_line``): a
    finding on a comment above a document's first key is that document's. The file is parsed
    again for it only when it matters: more than one document, and a comment that silences."""
    if len(docs) < 2 or not any(d.ignore for d in docs):
        return [d.line for d in docs]
    if any(d.parsed is None for d in docs):
        repo.marks(docs[0])  # parses the file again, giving every document of it its marks
    return [d.parsed.first_line if d.parsed is not None else d.line for d in docs]


def apply_policy(repo: Repo, findings: list[Finding], selection: Selection) -> list[Finding]:
    """Document comments, then the config's ignore/severity, then the command line; sorted."""
    return apply_settings(repo, apply_comments(repo, findings), selection)


def apply_comments(repo: Repo, findings: list[Finding]) -> list[Finding]:
    """The findings that no ``# okrctl: ignore[CODE]`` comment of their document silences. What
    the files say alone: the findings the store keeps (``rules.memo``) have been through it."""
    ranges: dict[str, tuple[list[int], list[Doc]]] = {}
    for path in {f.path for f in findings}:
        at_path = repo.docs_at(path)
        if at_path:
            ranges[path] = (_first_lines(repo, at_path), at_path)
    if not ranges:
        return list(findings)
    # A problem of okrctl.yaml itself stops every view ("fix the config first"): no comment, rule
    # setting or option silences it, so align never passes while the views refuse to run.
    config_problems = set(repo.config_problems())
    out: list[Finding] = []
    for finding in findings:
        entry = ranges.get(finding.path)
        if entry is not None and finding not in config_problems:
            starts, docs = entry
            at = bisect.bisect_right(starts, max(finding.line, starts[0])) - 1
            if finding.code in docs[at].ignore:
                continue
        out.append(finding)
    return out


def apply_settings(repo: Repo, findings: list[Finding], selection: Selection) -> list[Finding]:
    """The config's ignore and severity, then the command line's selection; sorted. A problem of
    okrctl.yaml itself is kept whatever they say, marked as one that stops every view."""
    config_rules = repo.config.rules
    config_problems = set(repo.config_problems())
    out: list[Finding] = []
    for finding in findings:
        if finding in config_problems:
            out.append(replace(finding, stops_views=True))
            continue
        if not reported(finding.code, config_rules.ignore, selection):
            continue
        configured = config_rules.severity.get(finding.code)
        severity = configured_severity(finding.code, finding.severity, configured) if configured else None
        if severity and severity != finding.severity:
            finding = replace(finding, severity=severity)
        out.append(finding)
    out.sort(key=Finding.sort_key)
    return out
