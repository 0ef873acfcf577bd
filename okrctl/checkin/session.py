"""The check-in session: what the team sees before answering, and what it answered.

A :class:`Session` holds what the team sees before answering (its objectives on the date, each KR's
current value and expected pace, the last check-in). :class:`Answers` hold what the team said.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from okrctl import metrics
from okrctl.analysis.state import KRState, ObjectiveState, confidence_of, objective_state
from okrctl.errors import ContentError, OkrctlError, UsageError
from okrctl.load.declared import Declared
from okrctl.load.documents import Doc
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective
from okrctl.model.cycle import Cycle
from okrctl.model.objective import KeyResult
from okrctl.safetext import command_word, shown_path, shown_value
from okrctl.views.scope import broken_document_line, unit_list

CHECKIN_FOLDER = "checkins"
MAX_TEXT = 2000  # the model's limit for one text (issue, plan item, note)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")

Value = float | bool
Confidence = float | dict[str, float]


# ----- what the team sees -------------------------------------------------------------------------
@dataclass(frozen=True)
class Measured:
    """A value measured from data (a ``Reading``) newer than the team's last check-in."""

    value: float | bool
    day: date
    source: str
    note: str | None = None  # the reading's note on the value ("from Zendesk")


@dataclass
class KRLine:
    objective_id: str
    key: str  # the result key written to the file: the KR id, or objective-id/kr-id when ambiguous
    kr: KeyResult
    state: KRState  # as of the check-in date
    expected_value: float | None  # where a metric KR should be on the date
    measured: Measured | None = None  # the current value, when it comes from a reading since the last check-in


@dataclass
class ObjectiveLine:
    objective: Objective
    cycle: Cycle
    state: ObjectiveState
    krs: list[KRLine]


@dataclass
class Session:
    repo: Repo
    team: str
    team_name: str
    day: date
    today: date
    objectives: list[ObjectiveLine]
    previous: CheckIn | None  # the team's last check-in before ``day``
    existing: Doc | None  # the team's check-in of ``day``, when there is one (only with --amend)
    path: Path  # the file written
    rel: str  # ``path`` relative to the repository root, with "/"
    original: bytes | None = None  # the amended file's bytes when read (to detect a concurrent edit)
    original_link: bool = False  # whether the amended file was a symbolic link when read

    @property
    def scale(self) -> tuple[float, float]:
        scale = self.repo.config.checkin.confidence
        return scale.min, scale.max

    @property
    def krs(self) -> list[KRLine]:
        return [line for objective in self.objectives for line in objective.krs]

    @property
    def existing_checkin(self) -> CheckIn | None:
        return self.existing.model if self.existing is not None else None

    @property
    def reference(self) -> CheckIn | None:
        """What the answers start from: the check-in being amended, else the last one."""
        return self.existing_checkin or self.previous


@dataclass
class Answers:
    confidence: Confidence | None = None
    results: dict[str, Value] = field(default_factory=dict)  # by KRLine.key
    notes: dict[str, str] = field(default_factory=dict)  # by KRLine.key
    issues: list[str] = field(default_factory=list)
    plan: list[str] = field(default_factory=list)
    # Far-off values (OKR509) the team confirmed at the prompt: the file says so, align stays quiet.
    confirmed_far_off: list[str] = field(default_factory=list)
    # Key results whose note came with a value of ``--values-from``: refused, the value takes it along.
    file_notes: set[str] = field(default_factory=set)
    # The ``--values-from`` file by its name (``kpis.csv``), as a reading and a commit name it.
    values_file: str | None = None
    # Key results whose value came from ``--values-from`` (the other values given came from ``--result``).
    file_values: set[str] = field(default_factory=set)
    # Key results whose measured value (a reading) was taken at the prompt with the reading's note:
    # kept unless a note is typed for them.
    measured_notes: set[str] = field(default_factory=set)


class DateAfterToday(UsageError):
    """The check-in date is after today."""


class NothingToAmend(UsageError):
    """Amending was asked for, and the team has no check-in on that date."""


class AlreadyCheckedIn(ContentError):
    """Not amending, and the team has a check-in on that date: it is never touched.

    ``rel`` names its file, so the CLI can say when it is written but not committed yet."""

    def __init__(self, message: str, rel: str) -> None:
        super().__init__(message)
        self.rel = rel


# ----- preparing the session -------------------------------------------------------------------------
def _first_error_line(repo: Repo, path: str) -> int | None:
    lines = [f.line for f in repo.unread_findings() if f.path == path]
    return min(lines) if lines else None


def _declared(repo: Repo) -> list[Declared]:
    """What the broken documents declare, in path order: as align reads them, those of a file that
    is not YAML at all (read line by line) among them."""
    from okrctl.rules.echo import Echoes

    return sorted(Echoes.of(repo).broken.documents, key=lambda said: (said.doc.path, said.doc.index))


def _broken(repo: Repo, kind: str, owners: tuple[str | None, ...]) -> list[Declared]:
    """What the broken documents of ``kind`` owned by one of ``owners`` declare, in path order."""
    return [said for said in _declared(repo) if said.kind == kind and said.owner in owners]


def refuse_broken_objective(repo: Repo, team: str, day: date, then: str = "") -> None:
    """A team without a valid objective on ``day`` may have one that is broken: then that file is
    what to fix, named with the line of its first error (exit 1). ``then`` ends the first clause
    ("; nothing was written")."""
    declared = _declared(repo)
    for said in declared:
        if said.kind != "Objective" or said.owner not in (team, None):
            continue
        doc = said.doc
        cycle = repo.cycle(said.cycle) if said.cycle else None
        if cycle is not None and not cycle.start <= day <= cycle.end:
            continue  # of another cycle: not the objective this check-in is missing
        whose = f"the objective of '{team}' here" if said.owner == team else "an objective here with no readable owner"
        raise ContentError(
            f"{whose} has errors, so '{team}' has no valid objective whose cycle contains {day}{then}; "
            f"fix it first ('okrctl align {command_word(doc.path)}' shows every problem)",
            path=doc.path,
            line=broken_document_line(repo, doc, declared),
        )


def refuse_repeated_key_result(repo: Repo, team: str, day: date, then: str = "") -> None:
    """An objective of ``team`` on ``day`` that gives two key results one id (OKR102) loads, but a
    check-in (or a reading) cannot tell them apart: ``-r ID`` names both, and ``objective-id/kr-id``
    names both again. That file is what to fix, named with the line of the repeated id (the
    second, where align reports it; exit 1). ``then`` ends the first clause ("; nothing was
    written")."""
    for doc in repo.objectives_on(team, day):
        seen: set[str] = set()
        for index, kr in enumerate(doc.model.key_results):
            if kr.id not in seen:
                seen.add(kr.id)
                continue
            line, _column, _about = repo.place(doc, ("key_results", index, "id"))
            raise ContentError(
                f"the objective '{doc.model.id}' of '{team}' repeats the key result id '{shown_value(kr.id)}' "
                f"here (OKR102), so no check-in or reading can tell the two apart{then}; fix it first "
                f"('okrctl align {command_word(doc.path)}' shows every problem)",
                path=doc.path,
                line=line or doc.line,
            )


def _broken_cycles(repo: Repo, team: str) -> set[str]:
    """The cycles the team's objectives with errors declare (they are its objectives all the same)."""
    return {said.cycle for said in _broken(repo, "Objective", (team,)) if said.cycle}


def _in_the_way(path: Path, team: str, day: date) -> str:
    """What stands where the check-in file must be, for a refusal."""
    if path.is_dir() and not path.is_symlink():
        return f"a folder is where the check-in of '{team}' for {day} must be"
    return f"the file exists but holds no valid check-in of '{team}' for {day}"


_DAY_AND_TIME = re.compile(r"^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]")


def _day_of(said: Declared) -> date | None:
    """The day a broken check-in or reading is of: its valid date, else the day of a date written
    with a time (``2026-11-26T10:00:00``); None when neither tells."""
    if said.day is not None:
        return said.day
    written = said.doc.data.get("date") if isinstance(said.doc.data, dict) else None
    found = _DAY_AND_TIME.match(written) if isinstance(written, str) else None
    try:
        return date.fromisoformat(found[1]) if found is not None else None
    except ValueError:
        return None


def _lies_with_the_teams(repo: Repo, said: Declared, team: str, folder: str, declared: list[Declared]) -> bool:
    """Whether a broken document with no readable owner lies with the team's, one team's at most:
    in a unit's ``folder`` (``checkins/<unit>/``, at any depth), it is that unit's alone; elsewhere,
    the team's when the other documents of its file that name an owner name the team alone."""
    path = said.doc.path
    parts = path.split("/")
    if len(parts) > 2 and parts[0] == folder and parts[1] in repo.units:
        return parts[1] == team
    owners = {getattr(doc.model, "owner", None) for doc in repo.docs_at(path) if doc.model is not None}
    owners |= {other.owner for other in declared if other.doc.path == path}
    owners.discard(None)
    return owners == {team}


def refuse_a_day_with_errors(
    repo: Repo, team: str, day: date, kind: str = "CheckIn", folder: str = CHECKIN_FOLDER
) -> None:
    """A check-in (or, ``kind`` "Reading", a reading, kept in ``folder``) of ``team`` for ``day``
    with errors, wherever it lies, is no missing one: a new one beside it would be a second of the
    day once it is fixed (OKR102), and one at its place is that file to fix. Refused with the line
    of its first error, as align reports it (exit 1). One whose owner cannot be read is the team's
    when it lies with the team's (``_lies_with_the_teams``); one whose date holds a time is of the
    day it gives."""
    what = "reading" if kind == "Reading" else "check-in"
    declared = _declared(repo)
    for said in declared:
        if said.kind != kind or said.owner not in (team, None) or _day_of(said) != day:
            continue
        if said.owner is None and not _lies_with_the_teams(repo, said, team, folder, declared):
            continue
        doc = said.doc
        whose = (
            f"the {what} of '{team}' for {day} here"
            if said.owner == team
            else f"a {what} for {day} here with no readable owner, among those of '{team}',"
        )
        raise ContentError(
            f"{whose} has errors; nothing was written (run 'okrctl align {command_word(doc.path)}' and fix it)",
            path=doc.path,
            line=broken_document_line(repo, doc, declared),
        )


def _refuse_broken_checkin(repo: Repo, team: str, day: date) -> None:
    """``--amend`` finds no valid check-in of the day: one with errors, or any file at its place,
    is what stands in the way (exit 1, as without ``--amend``), not a check-in that is missing."""
    refuse_a_day_with_errors(repo, team, day)
    rel = _new_rel(team, day)
    try:
        os.lstat(repo.root / rel)
    except OSError:
        return
    raise ContentError(
        f"{_in_the_way(repo.root / rel, team, day)}; nothing was written (run 'okrctl align' and fix or move it)",
        path=rel,
        line=_first_error_line(repo, rel),
    )


def left_out(repo: Repo) -> str:
    """What a refusal adds when files were left out for their errors (one may hold the objective)."""

    broken = sorted({f.path for f in repo.unread_findings()})
    if not broken:
        return ""
    first = broken[0]
    line = _first_error_line(repo, first)
    count = len(broken)
    return (
        f"; {count} file{'s' if count != 1 else ''} with errors left out (first: {shown_path(first)}"
        f"{f':{line}' if line else ''}), 'okrctl align' shows why"
    )


def outside_every_cycle(repo: Repo, team: str, day: date, *, date_given: bool, after: str = "") -> OkrctlError:
    """The refusal of a day no cycle of the team's objectives contains, with those cycles and their
    dates. A day given with ``--date`` is a usage error (exit 2) that names the option; today is the
    repository's state (exit 1): nothing the user typed is wrong. ``checkin`` and ``measure`` alike."""
    ids = sorted({str(d.model.cycle) for d in repo.objectives_of(team)} | _broken_cycles(repo, team))
    cycles = [
        f"{cycle_id} ({cycle.start} to {cycle.end})" if (cycle := repo.cycle(cycle_id)) is not None else cycle_id
        for cycle_id in ids
    ]
    owned = f"its objectives are in {', '.join(cycles)}" if cycles else "it owns no objective"
    message = f"'{team}' has no objective whose cycle contains {day}: {owned}{after}" + left_out(repo)
    if date_given:
        return UsageError(f"--date: {message}")
    return ContentError(message)


def prepare(repo: Repo, team: str, day: date, today: date, *, amend: bool, date_given: bool = True) -> Session:
    """Everything shown before the questions; refuses early what could never be written
    (:func:`session_for`, then :func:`check_place`)."""
    session = session_for(repo, team, day, today, amend=amend, date_given=date_given)
    check_place(session)
    return session


def session_for(repo: Repo, team: str, day: date, today: date, *, amend: bool, date_given: bool = True) -> Session:
    """The session, refusing what makes the question itself wrong (an unknown unit, a date after
    today or outside every cycle, nothing to amend); what lies at the check-in's path is not
    looked at yet: :func:`check_place` does that, once the answers typed on the command line are
    known to be well formed (a mistyped flag is a usage error whatever the repository holds)."""
    if team not in repo.units:  # the CLI checks first; a path is never built from an unknown id
        raise UsageError(f"unknown unit '{shown_value(team)}' ({unit_list(repo, teams=True)})")
    if day > today:
        raise DateAfterToday(f"{day} is after today ({today}); a check-in is dated on the day it is held")
    objective_docs = repo.objectives_on(team, day)
    if not objective_docs:
        refuse_broken_objective(repo, team, day)
        raise outside_every_cycle(repo, team, day, date_given=date_given)
    refuse_repeated_key_result(repo, team, day)
    rel = _new_rel(team, day)
    path = repo.root / rel
    existing = None
    if amend:
        existing = next((d for d in repo.checkins_of(team) if d.model.date == day), None)
        if existing is None:
            from okrctl.load.pipeline import refuse_excluded

            # An excluded check-in is never loaded: said so, not "holds no valid check-in".
            refuse_excluded(repo.root, rel, "the check-in")
            # Nor is one in another repository's folder (a submodule): said so, not "nothing to amend".
            _refuse_other_repository(repo.root, rel)
            _refuse_broken_checkin(repo, team, day)
            raise NothingToAmend(f"'{team}' has no check-in for {day} to amend")
        rel = existing.path
        path = repo.root / existing.path
    previous = next((d.model for d in reversed(repo.checkins_of(team)) if d.model.date < day), None)
    # A KR id two of the team's objectives share is written objective-id/kr-id.
    kr_ids = Counter(kr.id for doc in objective_docs for kr in doc.model.key_results)
    lines = [_objective_line(repo, doc.model, day, kr_ids) for doc in objective_docs]
    session = Session(
        repo=repo,
        team=team,
        team_name=repo.unit_name(team),
        day=day,
        today=today,
        objectives=[line for line in lines if line is not None],
        previous=previous,
        existing=existing,
        path=path,
        rel=rel,
    )
    _mark_measured(session)
    return session


def check_place(session: Session) -> None:
    """Refuse (exit 1) what lies at the check-in's path: a link out of the repository, the team's
    check-in of the day when not amending, a file that holds none; when amending, read the file
    and refuse it if it changed since the repository was loaded."""
    repo, team, day = session.repo, session.team, session.day
    new_rel = _new_rel(team, day)
    _inside(repo.root, repo.root / new_rel, new_rel)  # a team folder that links out, amending or not
    from okrctl.load.pipeline import refuse_excluded

    # A check-in no view would count (its folder or name matches ``exclude``) is refused.
    refuse_excluded(repo.root, session.rel if session.existing is not None else new_rel, "the check-in")
    _refuse_other_repository(repo.root, session.rel if session.existing is not None else new_rel)
    if session.existing is not None:
        _inside(repo.root, session.path, session.rel)
        session.original = session.path.read_bytes()
        session.original_link = session.path.is_symlink()
        if not _same_document(session.existing, session.original):
            # Changed between loading the repository and now: the answers would be applied to
            # one version and compared against another, losing the change in between.
            raise ContentError(
                f"{shown_path(session.rel)}: changed by someone else while okrctl read it; nothing was written (run again)"
            )
        return
    same_day = next((d for d in repo.checkins_of(team) if d.model.date == day), None)
    if same_day is not None:
        raise AlreadyCheckedIn(
            f"{shown_path(same_day.path)}: '{team}' already has a check-in for {day}; nothing was written "
            "(use --amend to edit it)",
            same_day.path,
        )
    refuse_a_day_with_errors(repo, team, day)
    try:
        os.lstat(session.path)  # a file, a folder or a link (to anything or nothing) in the check-in's place
        taken = True
    except (FileNotFoundError, NotADirectoryError):
        taken = False
    except OSError as exc:  # the folder cannot be searched: whether a check-in is there is unknown
        from okrctl.repofiles import Unwritable

        raise Unwritable(session.rel, exc) from None
    if (
        taken
        and may_be_a_checkin(session.path)
        and session.rel not in repo.digests
        and all(f.path != session.rel for f in repo.file_findings)
    ):
        # Not there when the repository was read: another run (the same team's check-in, started
        # at the same time) wrote it meanwhile. Its bytes are that run's to judge.
        raise written_meanwhile(session)
    if taken:
        raise in_the_way(session)
    refuse_no_folder(repo.root, session)


def may_be_a_checkin(path: Path) -> bool:
    """Whether what took a new check-in's place after the load may be another run's check-in: a
    file or a link (to anything or nothing), or something gone again. A folder never is (nor a
    pipe or a socket): it is what stands in the way, and the walk never records one
    (``Repo.digests``), so it would always look new."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return True
    return stat.S_ISREG(mode) or stat.S_ISLNK(mode)


def written_meanwhile(session: Session) -> ContentError:
    """The refusal of a new check-in whose place another run's check-in took after the load."""
    return ContentError(
        f"{shown_path(session.rel)}: another check-in of '{session.team}' for {session.day} was written meanwhile; "
        "yours was not written (run again with --amend to edit that one)"
    )


def in_the_way(session: Session) -> ContentError:
    """The refusal of a new check-in whose place holds no check-in (a folder, a file with errors)."""
    return ContentError(
        f"{_in_the_way(session.path, session.team, session.day)}; nothing was written "
        "(run 'okrctl align' and fix or move it)",
        path=session.rel,
        line=_first_error_line(session.repo, session.rel),
    )


def refuse_no_folder(root: Path, session: Session) -> None:
    """Refuse (exit 1) a new check-in whose folder cannot be made: a file, or a link to nothing,
    where ``checkins`` or the team's folder must be. The write would refuse it
    (``repofiles.folder_for``) once every answer was typed; a dry run, which writes nothing, would
    not at all. Both are refused here, before the questions, with the write's words. An amended
    check-in is written where it is: its folder is there."""
    if session.existing is not None:
        return
    from okrctl.repofiles import not_a_folder

    refused = not_a_folder(root, root / session.rel, "the check-in")
    if refused is not None:
        raise ContentError(refused)


def _new_rel(team: str, day: date) -> str:
    """Where a new check-in of ``team`` for ``day`` is written, relative to the repository."""
    return f"{CHECKIN_FOLDER}/{team}/{day.isoformat()}.yaml"


def _same_document(existing: Doc, raw: bytes) -> bool:
    """Whether ``raw`` still holds the check-in the repository was loaded with."""
    from okrctl.load.documents import Doc as Document
    from okrctl.load.documents import fits, parse_bytes
    from okrctl.load.yamlparse import YamlProblem

    try:
        parsed = parse_bytes(existing.path, raw, want_positions=False)
    except YamlProblem:
        return False
    for candidate in parsed:
        if candidate.index == existing.index:
            doc: Document = Document(existing.path, candidate.index, candidate.line, candidate.column, candidate.data)
            return fits(doc) and doc.model == existing.model
    return False


def _mark_measured(session: Session) -> None:
    """Each KR whose value on the day comes from a reading newer than the check-in answers start from."""
    reference = session.reference
    for line in session.objectives:
        since = reference.date if reference is not None else None
        readings = [
            d.model
            for d in session.repo.readings_of(session.team)
            if line.cycle.contains(d.model.date)
            and d.model.date <= session.day
            and (since is None or d.model.date > since)
        ]
        for kr in line.krs:
            value = kr.state.value
            for reading in reversed(readings):
                keys = [
                    key
                    for key in reading.values
                    if [(o.id, k.id) for o, k in session.repo.resolve_result_key(reading, key)]
                    == [(kr.objective_id, kr.kr.id)]
                ]
                if not keys:
                    continue
                measured = reading.result_value(keys[0])
                if measured is not None and value is not None and float(measured) == value:
                    kr.measured = Measured(
                        measured, reading.date, reading.result_source(keys[0]), reading.result_note(keys[0])
                    )
                break


def refuse_links(root: Path, session: Session) -> None:
    """Refuse (exit 1) a link on the way to the check-in as :func:`check_place` does: the team's
    folder (where a new check-in of the day goes) and, when amending, the file itself. Asked again
    once the team has answered (``recheck``, ``still_as_read``): a ``git checkout`` at the prompts
    can bring a link the repository did not hold when the questions began."""
    new_rel = _new_rel(session.team, session.day)
    _inside(root, root / new_rel, new_rel)
    if session.existing is not None:
        _inside(root, session.path, session.rel)


def _inside(root: Path, path: Path, rel: str) -> None:
    """Refuse to write through a link that leads out of the repository, or through any link a
    commit put in the checkout (``checkins/cards -> discover`` would put the check-in, and its
    commit, in another team's folder): a link the user made inside the repository is followed."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not (real + os.sep).startswith(real_root + os.sep):
        raise ContentError(f"{shown_path(rel)}: resolves outside the repository; nothing was written")
    from okrctl.repofiles import planted_in, planted_refusal

    linked = planted_in(root, rel)
    if linked is not None:
        raise ContentError(planted_refusal(rel, linked, shown_path))


def _refuse_other_repository(root: Path, rel: str) -> None:
    """Refuse a check-in whose folder is another git repository's work tree (a submodule, a nested
    clone): okrctl never reads it, so the check-in would count for nothing, and its commit would go
    into that repository's history."""
    from okrctl.repofiles import other_repository, other_repository_refusal

    folder = other_repository(root, rel)
    if folder is not None:
        raise ContentError(other_repository_refusal(rel, folder, shown_path))


def _objective_line(repo: Repo, objective: Objective, day: date, kr_ids: Counter[str]) -> ObjectiveLine | None:
    cycle = repo.cycle(objective.cycle)
    state = objective_state(repo, objective, day)
    if cycle is None or state is None:
        return None
    krs = []
    for kr, kr_state in zip(objective.key_results, state.key_results, strict=True):
        key = kr.id if kr_ids[kr.id] == 1 else f"{objective.id}/{kr.id}"
        krs.append(KRLine(objective.id, key, kr, kr_state, metrics.expected_value(kr, cycle, day)))
    return ObjectiveLine(objective, cycle, state, krs)


def tidy(text: str) -> str:
    """One line of text as the team meant it: no escape sequences or control characters."""
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return " ".join(_CONTROL.sub(" ", text).split())


def missing_confidence(session: Session, confidence: Confidence | None) -> list[str]:
    """Objectives the answers give no confidence for."""
    ids = [line.objective.id for line in session.objectives]
    if confidence is None:
        return ids
    if isinstance(confidence, dict):
        return [i for i in ids if i not in confidence]
    return []


def keep_existing(session: Session, answers: Answers) -> Answers:
    """When amending, the check-in keeps what the answers do not change; new issues and plan
    items are added to its lists."""
    existing = session.existing_checkin
    if existing is not None:
        if answers.confidence is None:
            answers.confidence = existing.confidence
        elif isinstance(answers.confidence, dict):
            # ``-c OBJ=N`` replaces that objective's confidence; the others stay as written.
            for line in session.objectives:
                kept = confidence_of(existing, line.objective.id)
                if line.objective.id not in answers.confidence and kept is not None:
                    answers.confidence[line.objective.id] = kept
        answers.confidence = as_spelt(session, answers.confidence)
        answers.issues = _merge(list(existing.issues), answers.issues)
        answers.plan = _merge(list(existing.plan), answers.plan)
    return answers


def as_spelt(session: Session, confidence: Confidence | None) -> Confidence | None:
    """``confidence`` as the amended check-in spells it when it gives every objective the
    confidence the check-in does (``-c 7`` or ``-c OBJ=7`` on ``confidence: {OBJ: 7}``, ``-c 7.0``
    on ``confidence: 7``): the answers repeat it, so the file must stay as it is ("nothing
    changed"), not be written again in the other spelling and committed. Otherwise ``confidence``."""
    existing = session.existing_checkin
    if existing is None or existing.confidence is None or confidence is None:
        return confidence
    for line in session.objectives:
        given = confidence.get(line.objective.id) if isinstance(confidence, dict) else confidence
        if given is None or given != confidence_of(existing, line.objective.id):
            return confidence
    # A copy: the answers are edited further (``keep_existing``), the loaded check-in never is.
    return dict(existing.confidence) if isinstance(existing.confidence, dict) else existing.confidence


def _merge(kept: list[str], added: list[str]) -> list[str]:
    return kept + [item for item in added if item not in kept]


def kept_value(line: KRLine) -> Value | None:
    """The KR's value as of the date (what pressing Enter keeps); None when it has none yet."""
    value = line.state.value
    if value is None:
        return None
    if line.kr.type == "milestone" and value in (0.0, 1.0):
        return bool(value)
    return value


def reference_confidence(session: Session, objective_id: str) -> float | None:
    """The confidence Enter keeps: the reference check-in's, when it was about this objective.

    A last check-in from before the objective's cycle (last quarter's) rated another objective,
    however its single number reads: the first check-in of a cycle has no default, like its values.
    """
    reference = session.reference
    if reference is None:
        return None
    line = next((o for o in session.objectives if o.objective.id == objective_id), None)
    if line is not None and not line.cycle.contains(reference.date):
        return None
    return confidence_of(reference, objective_id)
