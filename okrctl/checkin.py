"""The Friday GRIP check-in: everything ``okrctl checkin`` does except talking to the user.

A :class:`Session` holds what the team sees before answering (its objectives on the date, each KR's
current value and expected pace, the last check-in). :class:`Answers` hold what the team said,
from flags or prompts. From both, :func:`compose` builds the YAML text — a new file, or the
existing one edited in place (``--amend``, comments and layout kept) — :func:`validate` runs the
same checks as ``align`` on a repository that includes it, and :func:`write` stores it
atomically without ever replacing someone else's check-in.
"""

from __future__ import annotations

import io
import math
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from okrctl import metrics
from okrctl.errors import ContentError, UsageError
from okrctl.findings import Finding
from okrctl.load.documents import Doc, did_you_mean, parse_bytes
from okrctl.load.documents import validate as validate_document
from okrctl.load.repo import Repo
from okrctl.load.yamlparse import YamlProblem
from okrctl.model import CheckIn, Objective
from okrctl.model.cycle import Cycle
from okrctl.model.objective import KeyResult
from okrctl.views.scope import known_unit
from okrctl.views.state import KRState, ObjectiveState, confidence_of, objective_state

CHECKIN_FOLDER = "checkins"
MAX_TEXT = 2000  # the model's limit for one text (issue, plan item, note)
# Findings shown after a check-in: what the new numbers say about the team.
SIGNAL_CODES = ("OKR505", "OKR506", "OKR508")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_TRUE_WORDS = {"true", "yes", "y", "done"}
_FALSE_WORDS = {"false", "no", "n", "not done"}

Value = float | bool
Confidence = float | dict[str, float]


# ----- what the team sees -------------------------------------------------------------------------
@dataclass
class KRLine:
    objective_id: str
    key: str  # the result key written to the file: the KR id, or objective-id/kr-id when ambiguous
    kr: KeyResult
    state: KRState  # as of the check-in date
    expected_value: float | None  # where a metric KR should be on the date


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


# ----- preparing the session -------------------------------------------------------------------------
def prepare(repo: Repo, team: str, day: date, today: date, *, amend: bool, date_given: bool = True) -> Session:
    """Everything shown before the questions; refuses early what could never be written."""
    known_unit(repo, team, "--team", teams=True)  # the CLI checks first; a path is never built from an unknown id
    if day > today:
        raise UsageError(f"--date: {day} is after today ({today}); a check-in is dated on the day it is held")
    objective_docs = repo.objectives_on(team, day)
    if not objective_docs:
        cycles = sorted({str(d.model.cycle) for d in repo.objectives_of(team)})
        owned = f"its objectives are in {', '.join(cycles)}" if cycles else "it owns no objective"
        error = UsageError if date_given else ContentError
        raise error(f"'{team}' has no objective whose cycle contains {day} ({owned})")
    rel = f"{CHECKIN_FOLDER}/{team}/{day.isoformat()}.yaml"
    path = repo.root / CHECKIN_FOLDER / team / f"{day.isoformat()}.yaml"
    _inside(repo.root, path, rel)
    same_day = [d for d in repo.checkins_of(team) if d.model.date == day]
    existing = same_day[0] if same_day else None
    if existing is not None and not amend:
        raise ContentError(
            f"{existing.path}: '{team}' already has a check-in for {day}; nothing was written (use --amend to edit it)"
        )
    if existing is None:
        if amend:
            raise UsageError(f"--amend: '{team}' has no check-in for {day} to amend")
        if path.exists() or path.is_symlink():
            raise ContentError(
                f"{rel}: the file exists but holds no valid check-in of '{team}' for {day}; "
                "nothing was written (run 'okrctl align' and fix or move it)"
            )
    else:
        rel = existing.path
        path = repo.root / existing.path
        _inside(repo.root, path, rel)
    previous = next((d.model for d in reversed(repo.checkins_of(team)) if d.model.date < day), None)
    lines = [_objective_line(repo, doc.model, day) for doc in objective_docs]
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
    if existing is not None:
        session.original = path.read_bytes()
    return session


def _inside(root: Path, path: Path, rel: str) -> None:
    """Refuse to write through a link that leads out of the repository."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(path)
    if not (real + os.sep).startswith(real_root + os.sep):
        raise ContentError(f"{rel}: resolves outside the repository; nothing was written")


def _objective_line(repo: Repo, objective: Objective, day: date) -> ObjectiveLine | None:
    cycle = repo.cycle(objective.cycle)
    state = objective_state(repo, objective, day)
    if cycle is None or state is None:
        return None
    owner_krs = [kr.id for doc in repo.objectives_on(objective.owner, day) for kr in doc.model.key_results]
    krs = []
    for kr, kr_state in zip(objective.key_results, state.key_results, strict=True):
        key = kr.id if owner_krs.count(kr.id) == 1 else f"{objective.id}/{kr.id}"
        krs.append(KRLine(objective.id, key, kr, kr_state, metrics.expected_value(kr, cycle, day)))
    return ObjectiveLine(objective, cycle, state, krs)


# ----- reading answers from flags --------------------------------------------------------------------
def tidy(text: str) -> str:
    """One line of text as the team meant it: no escape sequences or control characters."""
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    return " ".join(_CONTROL.sub(" ", text).split())


def _text(value: str, option: str) -> str:
    text = tidy(value)
    if not text:
        raise UsageError(f"{option}: empty text")
    if len(text) > MAX_TEXT:
        raise UsageError(f"{option}: {len(text)} characters, over the limit of {MAX_TEXT}")
    return text


def _split(value: str, option: str, what: str) -> tuple[str, str]:
    key, sep, rest = value.partition("=")
    if not sep or not key.strip():
        raise UsageError(f"{option}: '{value}' is not {what}")
    return key.strip(), rest.strip()


def parse_number(text: str, option: str) -> float:
    try:
        number = float(text.strip())
    except ValueError:
        raise UsageError(f"{option}: '{text}' is not a number") from None
    if not math.isfinite(number):
        raise UsageError(f"{option}: '{text}' is not a finite number")
    return number


def confidence_value(session: Session, text: str, option: str) -> float:
    low, high = session.scale
    number = parse_number(text, option)
    if not low <= number <= high:
        raise UsageError(f"{option}: {_num(number)} is outside the confidence scale {_num(low)}–{_num(high)}")
    return number


def parse_confidence(session: Session, values: list[str]) -> Confidence | None:
    """``--confidence N`` (every objective) or ``--confidence OBJ=N`` per objective."""
    if not values:
        return None
    ids = [line.objective.id for line in session.objectives]
    bare = [v for v in values if "=" not in v]
    if bare:
        if len(values) > 1:
            raise UsageError("--confidence: give one number for all objectives, or OBJ=N for each; not both")
        return confidence_value(session, bare[0], "--confidence")
    per: dict[str, float] = {}
    for value in values:
        objective_id, number = _split(value, "--confidence", "OBJ=N")
        if objective_id not in ids:
            hint = did_you_mean(objective_id, ids)
            raise UsageError(
                f"--confidence: '{objective_id}' is not an objective of {session.team} on {session.day}"
                f"{'; ' + hint if hint else ''} (objectives: {', '.join(ids)})"
            )
        if objective_id in per:
            raise UsageError(f"--confidence: '{objective_id}' given twice")
        per[objective_id] = confidence_value(session, number, f"--confidence {objective_id}")
    if len(ids) == 1:
        return per[ids[0]]
    return per


def find_kr(session: Session, key: str, option: str) -> KRLine:
    """The KR a ``--result`` / ``--note`` key names: its id, or objective-id/kr-id."""
    lines = session.krs
    if "/" in key:
        objective_id, kr_id = key.split("/", 1)
        found = [k for k in lines if k.objective_id == objective_id and k.kr.id == kr_id]
    else:
        found = [k for k in lines if k.kr.id == key]
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = ", ".join(f"{k.objective_id}/{k.kr.id}" for k in found)
        raise UsageError(f"{option}: '{key}' is a key result of several objectives; write one of {names}")
    keys = [k.key for k in lines]
    hint = did_you_mean(key, keys)
    raise UsageError(
        f"{option}: '{key}' is not a key result of {session.team} on {session.day}"
        f"{'; ' + hint if hint else ''} (key results: {', '.join(keys)})"
    )


def parse_value(kr: KeyResult, text: str, option: str) -> Value:
    """A metric or maintain value is a number; a milestone true/false/yes/no/done or a fraction."""
    if kr.type == "milestone":
        word = text.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
        number = parse_number(text, option) if word else None
        if number is None or not 0 <= number <= 1:
            raise UsageError(f"{option}: '{text}' is not done/not done (true, false, yes, no, done) or a fraction 0..1")
        return number
    return parse_number(text, option)


def parse_results(session: Session, values: list[str]) -> dict[str, Value]:
    results: dict[str, Value] = {}
    for value in values:
        key, text = _split(value, "--result", "KR=VALUE")
        line = find_kr(session, key, "--result")
        if line.key in results:
            raise UsageError(f"--result: '{line.key}' given twice")
        results[line.key] = parse_value(line.kr, text, f"--result {key}")
    return results


def parse_notes(session: Session, values: list[str]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for value in values:
        key, text = _split(value, "--note", "KR=TEXT")
        line = find_kr(session, key, "--note")
        notes[line.key] = _text(text, f"--note {key}")
    return notes


def from_flags(
    session: Session,
    confidence: list[str],
    results: list[str],
    notes: list[str],
    issues: list[str],
    plan: list[str],
) -> Answers:
    return Answers(
        confidence=parse_confidence(session, confidence),
        results=parse_results(session, results),
        notes=parse_notes(session, notes),
        issues=[_text(i, "--issue") for i in issues],
        plan=[_text(p, "--plan") for p in plan],
    )


def missing_confidence(session: Session, confidence: Confidence | None) -> list[str]:
    """Objectives the answers give no confidence for."""
    ids = [line.objective.id for line in session.objectives]
    if confidence is None:
        return ids
    if isinstance(confidence, dict):
        return [i for i in ids if i not in confidence]
    return []


def complete_from_flags(session: Session, answers: Answers) -> Answers:
    """Off a terminal the flags are all there is: refuse (exit 2) what they leave open.

    With ``--amend`` the check-in keeps what the flags do not change; new issues and plan items
    are added to its lists.
    """
    existing = session.existing_checkin
    if existing is not None:
        if answers.confidence is None:
            answers.confidence = existing.confidence
        answers.issues = _merge(list(existing.issues), answers.issues)
        answers.plan = _merge(list(existing.plan), answers.plan)
    missing = missing_confidence(session, answers.confidence)
    if missing:
        low, high = session.scale
        if len(session.objectives) == 1:
            raise UsageError(f"--confidence is required off a terminal (a number from {_num(low)} to {_num(high)})")
        raise UsageError(
            f"--confidence is required off a terminal: give N for all objectives, or OBJ=N for {', '.join(missing)}"
        )
    for key in answers.notes:
        if key not in answers.results:
            line = next(k for k in session.krs if k.key == key)
            kept = kept_value(line)
            if kept is None:
                raise UsageError(f"--note {key}: the key result has no value yet; give one with --result {key}=VALUE")
            answers.results[key] = kept
    return answers


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


# ----- building the document --------------------------------------------------------------------
def _num(value: float) -> str:
    return f"{value:g}"


def _yaml_number(value: Value) -> Any:
    if isinstance(value, bool):
        return value
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _result_entry(value: Value, note: str | None) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if not note:
        return _yaml_number(value)
    entry = CommentedMap([("value", _yaml_number(value)), ("note", note)])
    entry.fa.set_flow_style()
    return entry


def _confidence_node(confidence: Confidence) -> Any:
    from ruamel.yaml.comments import CommentedMap

    if isinstance(confidence, dict):
        return CommentedMap((k, _yaml_number(v)) for k, v in confidence.items())
    return _yaml_number(confidence)


def new_text(session: Session, answers: Answers, author: str | None) -> str:
    """The YAML of a new check-in, starting with a comment line."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    document = CommentedMap()
    document["apiVersion"] = "okrctl/v1"
    document["kind"] = "CheckIn"
    document["owner"] = session.team
    document["date"] = session.day
    if author:
        document["author"] = author
    if answers.confidence is not None:
        document["confidence"] = _confidence_node(answers.confidence)
    order = [line.key for line in session.krs]
    if answers.results:
        results = CommentedMap()
        for key in sorted(answers.results, key=order.index):
            results[key] = _result_entry(answers.results[key], answers.notes.get(key))
        document["results"] = results
    if answers.issues:
        document["issues"] = CommentedSeq(answers.issues)
    if answers.plan:
        document["plan"] = CommentedSeq(answers.plan)
    buffer = io.StringIO()
    _yaml().dump(document, buffer)
    header = f"# GRIP check-in of {tidy(session.team_name)} for {session.day}, written with `okrctl checkin`.\n"
    return header + buffer.getvalue()


def amended_text(session: Session, answers: Answers) -> str:
    """The existing file with the answers applied in place: comments, order and layout kept."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    assert session.existing is not None and session.original is not None
    original = session.original.decode("utf-8-sig")
    yaml = _yaml()
    if re.search(r"^- ", original, flags=re.MULTILINE):
        yaml.indent(mapping=2, sequence=2, offset=0)  # this file writes lists flush with their key
    documents = list(yaml.load_all(original))
    document = documents[session.existing.index]
    if answers.confidence is not None:
        current = document.get("confidence")
        if isinstance(answers.confidence, dict) and isinstance(current, CommentedMap):
            for key in [k for k in current if k not in answers.confidence]:
                del current[key]
            for key, value in answers.confidence.items():
                current[key] = _yaml_number(value)
        elif current != answers.confidence:
            document["confidence"] = _confidence_node(answers.confidence)
    if answers.results:
        results = document.get("results")
        if not isinstance(results, CommentedMap):
            results = CommentedMap()
            _insert_after(document, "results", results, ("confidence", "author", "date"))
        for key, value in answers.results.items():
            line = next(k for k in session.krs if k.key == key)
            present = next((k for k in results if _same_kr(session, k, line)), key)
            note = answers.notes.get(key)
            entry = results.get(present)
            if isinstance(entry, CommentedMap):
                entry["value"] = _yaml_number(value)
                if note:
                    entry["note"] = note
            else:
                results[present] = _result_entry(value, note)
    for name in ("issues", "plan"):
        wanted: list[str] = getattr(answers, name)
        current = document.get(name)
        if isinstance(current, CommentedSeq):
            for index in reversed(range(len(current))):
                if current[index] not in wanted:
                    del current[index]
            current.extend(item for item in wanted if item not in current)
        elif wanted:
            _insert_after(document, name, CommentedSeq(wanted), ("issues", "results", "confidence", "date"))
    buffer = io.StringIO()
    if len(documents) == 1:
        yaml.dump(document, buffer)
    else:
        yaml.explicit_start = original.lstrip().startswith("---")
        yaml.dump_all(documents, buffer)
    return buffer.getvalue()


def _same_kr(session: Session, key: str, line: KRLine) -> bool:
    checkin = session.existing_checkin
    if checkin is None:
        return False
    return [(o.id, kr.id) for o, kr in session.repo.resolve_result_key(checkin, key)] == [
        (line.objective_id, line.kr.id)
    ]


def _insert_after(document: Any, key: str, value: Any, after: tuple[str, ...]) -> None:
    keys = list(document)
    anchor = next((keys.index(k) for k in after if k in keys), len(keys) - 1)
    document.insert(anchor + 1, key, value)


def compose(session: Session, answers: Answers, author: str | None) -> str:
    return amended_text(session, answers) if session.existing is not None else new_text(session, answers, author)


# ----- checking before writing -------------------------------------------------------------------
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


# ----- writing and committing ----------------------------------------------------------------------
def write(session: Session, text: str) -> None:
    """Atomically; a new check-in never replaces a file, an amended one only if nobody changed it."""
    from okrctl.fsutil import atomic_write

    if session.existing is None:
        try:
            atomic_write(session.path, text, exclusive=True)
        except FileExistsError:
            raise ContentError(
                f"{session.rel}: another check-in of '{session.team}' for {session.day} was written meanwhile; "
                "yours was not written (run again with --amend to edit that one)"
            ) from None
        return
    if session.path.read_bytes() != session.original:
        raise ContentError(f"{session.rel}: changed by someone else while you amended it; nothing was written")
    atomic_write(session.path, text)


def commit_message(session: Session, confidence: Confidence | None) -> str:
    high = session.scale[1]
    if confidence is None:
        return f"checkin({session.team}): {session.day}"
    if isinstance(confidence, dict):
        given = ", ".join(f"{k} {_num(v)}/{_num(high)}" for k, v in confidence.items())
        return f"checkin({session.team}): {session.day} confidence {given}"
    return f"checkin({session.team}): {session.day} confidence {_num(confidence)}/{_num(high)}"


def final_confidence(checked: Checked, session: Session) -> Confidence | None:
    """The confidence as written (an amend may keep the file's own)."""
    doc = next((d for d in checked.repo.checkins_of(session.team) if d.model.date == session.day), None)
    return doc.model.confidence if doc is not None else None


def states_after(checked: Checked, session: Session) -> list[ObjectiveState]:
    """Where the team's objectives stand once the check-in is in."""
    out = []
    for line in session.objectives:
        state = objective_state(checked.repo, line.objective, session.day)
        if state is not None:
            out.append(state)
    return out


def reference_confidence(session: Session, objective_id: str) -> float | None:
    reference = session.reference
    return confidence_of(reference, objective_id) if reference is not None else None
