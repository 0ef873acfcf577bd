"""Checking a check-in before it is written: the model, and align's rules on a repository that holds it."""

from __future__ import annotations

import bisect
from dataclasses import dataclass, replace

from okrctl.analysis.state import ObjectiveState, objective_state
from okrctl.checkin.session import Answers, ObjectiveLine, Session
from okrctl.errors import ContentError
from okrctl.findings import Finding, with_fingerprints
from okrctl.load.comments import parsed_findings
from okrctl.load.documents import Doc, Suggestions, parse_bytes
from okrctl.load.documents import validate as validate_document
from okrctl.load.index import Repo
from okrctl.load.yamlparse import ParsedDocument, YamlProblem
from okrctl.model import CheckIn
from okrctl.safetext import command_word, shown_path

# Findings shown after a check-in: what the new numbers say about the team.
SIGNAL_CODES = ("OKR505", "OKR506", "OKR508", "OKR509")
# Those of them that align places on the team's latest check-in, judged as of its day.
LATEST_CODES = ("OKR505", "OKR506", "OKR508")


@dataclass
class Checked:
    repo: Repo  # the repository as it will be once the check-in is written
    errors: list[Finding]
    signals: list[Finding]  # what the new numbers say: a confidence drop, an optimism gap …


def validate(session: Session, text: str, answers: Answers | None = None) -> Checked:
    """Validate the new document with the model and run align's rules on a repository that holds it.

    With ``answers``, the document must also read back as exactly those answers (confidence,
    each result and note, issues, plan): a composed text that means something else is refused.
    An error the amended file has already is placed where ``align`` reports it in the file on
    disk (``as_on_disk``), not where it would stand in the text to write.
    """
    checked = _checked(session, text.encode("utf-8"), answers)
    if checked.errors and session.existing is not None and session.original is not None:
        checked.errors = as_on_disk(checked.errors, _checked(session, session.original, None).errors)
    return checked


def as_on_disk(errors: list[Finding], on_disk: list[Finding]) -> list[Finding]:
    """``errors`` of a file's text to write, each that the file on disk has already (the same
    code and message, taken in order) at its line and column there, as ``align`` reports it: the
    edit may have moved it (a line added above it, ``author:`` written in). The others stay as
    found: they come with the new values."""
    left = list(on_disk)
    out: list[Finding] = []
    for finding in errors:
        same = next((f for f in left if (f.code, f.message) == (finding.code, finding.message)), None)
        if same is None:
            out.append(finding)
            continue
        left.remove(same)
        out.append(replace(finding, line=same.line, column=same.column))
    return out


def _checked(session: Session, raw: bytes, answers: Answers | None) -> Checked:
    from okrctl.rules import Selection, run

    repo = session.repo
    try:
        parsed = parse_bytes(session.rel, raw)
    except YamlProblem as problem:
        finding = Finding("OKR100", "error", session.rel, problem.line, problem.column, problem.message)
        return Checked(repo, [finding], [])
    docs = [Doc(session.rel, p.index, p.line, p.column, p.data, ignore=p.ignore, parsed=p) for p in parsed]
    # (fingerprinted as align's run fingerprints them: a problem another document of an amended
    # file had before is told apart from a new one by its fingerprint, ``_caused``)
    suggestions = Suggestions.for_file()  # as align works out this file's findings
    problems = with_fingerprints([f for doc in docs for f in validate_document(doc, suggestions)])
    index = session.existing.index if session.existing is not None else 0
    if not problems:
        written = docs[index].model if index < len(docs) else None
        differences = answers_differ(session, answers, written) if answers is not None else []
        if differences:
            # The text is ours: it must say what the team answered, or nothing is written.
            raise ContentError(
                f"{shown_path(session.rel)}: the YAML okrctl composed would not read back as your answers "
                f"({'; '.join(differences[:3])}); nothing was written"
            )
    others = [d for d in repo.docs if d.path != session.rel]
    # The file's own findings are those of the new text: its okrctl comments, checked as align will.
    file_findings = [f for f in repo.file_findings if f.path != session.rel] + parsed_findings(session.rel, parsed)
    after = Repo(repo.root, repo.config, repo.config_doc, others + docs, file_findings, repo.files, repo.other_files)
    cycles = {line.cycle.id for line in session.objectives}
    # The team's other check-ins: the new one can change what align says of them (filled in between
    # two, its confidence is the one the later check-in's drop is measured from).
    theirs = {d.path for d in after.checkins_of(session.team)} - {session.rel}
    found = problems + run(
        after,
        session.today,
        cycles=cycles,
        selection=Selection(select=["OKR1", "OKR5"]),
        history=False,
        focus={session.rel} | theirs,
    )
    # The check-in's own findings are those its document holds; the other documents of its file
    # (a month of check-ins in one file) are the team's other check-ins, judged like theirs.
    mine, beside = _by_document(found, session.rel, parsed, index)
    caused = _caused(session, [f for f in found if f.path in theirs] + beside, cycles)
    errors = [f for f in mine + caused if f.severity == "error"]
    signals = [f for f in mine + caused if f.code in SIGNAL_CODES and f.severity != "error"]
    if session.day < session.today:
        # Written for an earlier day, the check-in need not be the latest, and align judges the
        # latest one: its numbers are judged as of its day too (its status is shown so), against
        # the check-in before it. What align will not report is shown whatever its severity, and
        # refuses nothing: align will not fail on it.
        then = run(
            after,
            session.day,
            cycles=cycles,
            selection=Selection(select=list(LATEST_CODES)),
            history=False,
            focus={session.rel},
        )
        reported = {f.fingerprint for f in mine}
        signals += [f for f in _by_document(then, session.rel, parsed, index)[0] if f.fingerprint not in reported]
    signals.sort(key=Finding.sort_key)
    return Checked(after, errors, signals)


def _by_document(
    found: list[Finding], rel: str, parsed: list[ParsedDocument], index: int
) -> tuple[list[Finding], list[Finding]]:
    """Of ``found``, the findings in the file ``rel`` that its document ``index`` holds, and those
    its other documents hold. A document holds its lines from the ``---`` that opens it (the comment
    lines above its first key too) to the line before the next document's, as its comments do
    (``rules.base.apply_comments``); a finding above the first document is the first one's."""
    in_file = [f for f in found if f.path == rel]
    if len(parsed) < 2:
        return in_file, []
    starts = [p.first_line for p in parsed]
    own: list[Finding] = []
    other: list[Finding] = []
    for finding in in_file:
        at = bisect.bisect_right(starts, max(finding.line, starts[0])) - 1
        (own if parsed[at].index == index else other).append(finding)
    return own, other


def _caused(session: Session, found: list[Finding], cycles: set[str]) -> list[Finding]:
    """Of ``found``, align's findings on the team's other check-ins with the new one in (the other
    documents of an amended file among them), those that would be refused or shown were they on the
    new check-in, and that the check-in causes: the same rules find none of that fingerprint on the
    repository as it was (without the new file; with ``--amend`` of a file committed as it is, with
    that file: a drop the later check-in had before the amendment is not the amendment's, in
    another file or in the same one; a file not committed as it is is the check-in's whole, as a
    new one). That run is made only when there is something to compare, and asks
    only about the files of those findings."""
    from okrctl.rules import Selection, run

    wanted = [f for f in found if f.severity == "error" or f.code in SIGNAL_CODES]
    if not wanted:
        return []
    repo = session.repo
    others = [d for d in repo.docs if d.path != session.rel]
    kept = _file_as_it_was(session)
    # The file kept, its findings are kept with it (an error another document of it had before).
    file_findings = [f for f in repo.file_findings if f.path != session.rel or kept]
    was = Repo(
        repo.root,
        repo.config,
        repo.config_doc,
        others + kept,
        file_findings,
        repo.files,
        repo.other_files,
    )
    before = run(
        was,
        session.today,
        cycles=cycles,
        selection=Selection(select=["OKR1", "OKR5"]),
        history=False,
        focus={f.path for f in wanted},
    )
    known = {f.fingerprint for f in before}
    return [f for f in wanted if f.fingerprint not in known]


def _file_as_it_was(session: Session) -> list[Doc]:
    """The documents of the check-in's file the comparison keeps: those on disk when the last
    commit holds the file as it is (or there is no git to ask), none otherwise: a new check-in, and
    a file untracked, edited by hand or renamed since, which the check-in commits and which is
    checked like a new check-in (docs/checkin.md)."""
    from okrctl.gitio.commit import held_by_head

    if session.existing is None:
        return []
    if held_by_head(session.repo.root / session.rel) is False:
        return []
    return [d for d in session.repo.docs if d.path == session.rel]


def refusal(session: Session, errors: list[Finding], changed: list[str] | None = None) -> ContentError:
    """The check-in refused for its findings; ``changed``: the files that changed while the team
    answered, which made them (the check-in passed against the repository it was asked from)."""
    lines = "; ".join(f"{shown_path(f.path)}:{f.line}:{f.column}: {f.code} {f.message}" for f in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    if changed:
        named = ", ".join(shown_path(rel) for rel in changed[:3])
        others = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        return ContentError(
            f"{named}{others} changed while you answered, and the check-in no longer passes align; "
            f"nothing was written: {lines}{more}"
        )
    return ContentError(f"the check-in does not pass align; nothing was written: {lines}{more}")


def changed_files(before: Repo, after: Repo) -> list[str]:
    """The files whose content differs between two loads of one repository (added and removed
    ones too), by the digests of their bytes."""
    names = before.digests.keys() | after.digests.keys()
    return sorted(rel for rel in names if before.digests.get(rel) != after.digests.get(rel))


def recheck(session: Session, repo: Repo, text: str) -> tuple[Session, Checked, list[str]] | None:
    """The check-in checked again against ``repo``, the repository loaded anew once the team has
    answered: the questions take minutes, in which a ``git pull`` or an editor can change the
    objectives or the confidence scale the answers were checked against. The session on the new
    repository, the findings there and the files that changed; None when no file changed.

    A link on the way to the check-in that leads out of the repository, or that a commit put in the
    checkout, and a folder on the way made the work tree of another git repository (a ``git init``,
    a submodule checked out there), when they came meanwhile (a ``git checkout`` of a branch that
    commits the link), are refused first, as before the questions: no file of the load need change
    with them, and the check-in (and its commit) would go where no view of this repository reads
    it. So is a file put meanwhile where the new check-in's folder must be, as the write refuses
    it: a dry run, which writes nothing, says so too."""
    from okrctl.checkin.session import _refuse_other_repository, refuse_links, refuse_no_folder

    refuse_links(repo.root, session)
    _refuse_other_repository(repo.root, session.rel)
    refuse_no_folder(repo.root, session)
    changed = changed_files(session.repo, repo)
    if not changed:
        return None
    now = replace(session, repo=repo, objectives=_objectives_now(session, repo))
    return now, validate(now, text), changed


def _objectives_now(session: Session, repo: Repo) -> list[ObjectiveLine]:
    """The team's objectives on the day as ``repo`` holds them, refused as a fresh run refuses them.

    An objective whose file got an error while the team answered (a target edited to ``abc``, a
    YAML syntax error) is left out of the new load, and align's rules stay silent about what
    refers to a file with errors (its own finding is the one to fix): kept from the first load, it
    let the check-in be committed, its summary computed from the objective as it was. Refused
    instead, naming the file, as a fresh run refuses it. An objective gone for another reason (its
    file removed, its cycle or owner changed) is left to align's rules, which name what no longer
    resolves."""
    from okrctl.checkin.session import (
        outside_every_cycle,
        refuse_broken_objective,
        refuse_repeated_key_result,
        session_for,
    )
    from okrctl.errors import OkrctlError

    then = "; it changed while you answered, and nothing was written"
    valid = repo.objectives_on(session.team, session.day)
    if not valid:
        refuse_broken_objective(repo, session.team, session.day, then)
    now = {doc.model.id for doc in valid}
    broken = {f.path: f.line for f in reversed(repo.unread_findings())}  # each file's first error
    for line in session.objectives:
        was = session.repo.objectives.get(line.objective.id)
        if line.objective.id in now or was is None or was.path not in broken:
            continue
        if not valid:
            raise outside_every_cycle(repo, session.team, session.day, date_given=False, after=then)
        raise ContentError(
            f"the file of the objective '{line.objective.id}' of '{session.team}' has errors, so the answers "
            f"about it cannot be checked{then}; fix it first ('okrctl align {command_word(was.path)}' "
            "shows every problem)",
            path=was.path,
            line=broken[was.path],
        )
    if not valid:
        return session.objectives  # none broken: align's rules say what went missing
    # An objective that repeats a key result id now is refused as a fresh run refuses it (below, the
    # other refusals of a fresh run are for a team that went missing, which align's rules name).
    refuse_repeated_key_result(repo, session.team, session.day, then)
    try:
        fresh = session_for(repo, session.team, session.day, session.today, amend=False, date_given=False)
    except OkrctlError:
        return session.objectives  # the team itself went missing: align's rules say so
    return fresh.objectives


def states_after(checked: Checked, session: Session) -> list[ObjectiveState]:
    """Where the team's objectives stand once the check-in is in."""
    out = []
    for line in session.objectives:
        state = objective_state(checked.repo, line.objective, session.day)
        if state is not None:
            out.append(state)
    return out


def answers_differ(session: Session, answers: Answers, written: object) -> list[str]:
    """What the written check-in says differently from ``answers`` (empty when it is faithful)."""
    if not isinstance(written, CheckIn):
        return ["no check-in document"]
    out: list[str] = []
    if answers.confidence is not None and not _same(written.confidence, answers.confidence):
        out.append(f"confidence {written.confidence!r} instead of {answers.confidence!r}")
    meant = {(line.objective_id, line.kr.id): line.key for line in session.krs}
    read: dict[str, object] = {}
    notes: dict[str, str | None] = {}
    for key, entry in written.results.items():
        pairs = session.repo.resolve_result_key(written, key)
        if len(pairs) != 1:
            continue
        line_key = meant.get((pairs[0][0].id, pairs[0][1].id))
        if line_key is not None:
            read[line_key] = getattr(entry, "value", entry)
            notes[line_key] = getattr(entry, "note", None)
    for key, value in answers.results.items():
        if key not in read or not _same(read[key], value):
            out.append(f"{key} {read.get(key)!r} instead of {value!r}")
        elif answers.notes.get(key) and notes.get(key) != answers.notes[key]:
            out.append(f"the note of {key} reads {notes.get(key)!r}")
    for name in ("issues", "plan"):
        if list(getattr(written, name)) != list(getattr(answers, name)):
            out.append(f"{name} read {list(getattr(written, name))!r}")
    return out


def _same(left: object, right: object) -> bool:
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_same(left[k], right[k]) for k in left)
    return left == right
