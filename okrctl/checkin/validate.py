"""Checking a check-in before it is written: the model, and align's rules on a repository that holds it."""

from __future__ import annotations

from dataclasses import dataclass

from okrctl.analysis.state import ObjectiveState, objective_state
from okrctl.checkin.session import Session
from okrctl.errors import ContentError
from okrctl.findings import Finding
from okrctl.load.documents import Doc, parse_bytes
from okrctl.load.documents import validate as validate_document
from okrctl.load.index import Repo
from okrctl.load.yamlparse import YamlProblem

# Findings shown after a check-in: what the new numbers say about the team.
SIGNAL_CODES = ("OKR505", "OKR506", "OKR508", "OKR509")


@dataclass
class Checked:
    repo: Repo  # the repository as it will be once the check-in is written
    errors: list[Finding]
    signals: list[Finding]  # what the new numbers say: a confidence drop, an optimism gap …


def validate(session: Session, text: str) -> Checked:
    """Validate the new document with the model and run align's rules on a repository that holds it."""
    from okrctl.rules import Selection, run

    repo = session.repo
    try:
        parsed = parse_bytes(session.rel, text.encode("utf-8"))
    except YamlProblem as problem:
        finding = Finding("OKR100", "error", session.rel, problem.line, problem.column, problem.message)
        return Checked(repo, [finding], [])
    docs = [Doc(session.rel, p.index, p.line, p.column, p.data, ignore=p.ignore, parsed=p) for p in parsed]
    problems = [f for doc in docs for f in validate_document(doc)]
    others = [d for d in repo.docs if d.path != session.rel]
    file_findings = [f for f in repo.file_findings if f.path != session.rel]
    after = Repo(repo.root, repo.config, repo.config_doc, others + docs, file_findings, repo.files, repo.other_files)
    cycles = {line.cycle.id for line in session.objectives}
    found = problems + run(
        after, session.today, cycles=cycles, selection=Selection(select=["OKR1", "OKR5"]), history=False
    )
    mine = [f for f in found if f.path == session.rel]
    errors = [f for f in mine if f.severity == "error"]
    signals = [f for f in mine if f.code in SIGNAL_CODES and f.severity != "error"]
    return Checked(after, errors, signals)


def refusal(session: Session, errors: list[Finding]) -> ContentError:
    lines = "; ".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return ContentError(f"the check-in does not pass align; nothing was written: {lines}{more}")


def states_after(checked: Checked, session: Session) -> list[ObjectiveState]:
    """Where the team's objectives stand once the check-in is in."""
    out = []
    for line in session.objectives:
        state = objective_state(checked.repo, line.objective, session.day)
        if state is not None:
            out.append(state)
    return out
