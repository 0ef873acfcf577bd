"""Reading a check-in's answers from the command line: ``--confidence N|OBJ=N``, ``--result KR=VALUE``,
``--note KR=TEXT``, ``--issue`` and ``--plan``; every message names the option it is about.

They are read in two steps. :func:`read_flags` checks what needs no repository — the ``KEY=VALUE``
shape, a confidence that is a number, a text that is neither empty nor too long — before the
repository is opened; :func:`from_flags` then resolves the names and values against the team's
objectives. A mistyped flag is so a usage error (exit 2) whatever the repository holds: a check-in
that already exists, a broken ``okrctl.yaml``, a file in the check-in's place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from okrctl.checkin.session import (
    MAX_TEXT,
    Answers,
    Confidence,
    KRLine,
    Session,
    Value,
    as_spelt,
    keep_existing,
    kept_value,
    missing_confidence,
    tidy,
)
from okrctl.errors import UsageError
from okrctl.load.documents import did_you_mean
from okrctl.model.objective import KeyResult
from okrctl.render import numbers
from okrctl.safetext import shown_value
from okrctl.values import NumberError
from okrctl.values import parse_number as read_number
from okrctl.values import parse_value as read_value


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
        # The flag as typed, escaped: a line break in it must not split the one-line message.
        raise UsageError(f"{option}: '{shown_value(value)}' is not {what}")
    return key.strip(), rest.strip()


def parse_number(text: str, option: str) -> float:
    """A confidence as people write it (``+3``, ``7.5``); the message names ``option``."""
    try:
        return read_number(text, confidence=True)
    except NumberError as problem:
        raise UsageError(f"{option}: {problem.message}") from None


def confidence_value(session: Session, text: str, option: str) -> float:
    """A confidence on the team's scale; text that is no number is told what a confidence is (the
    forms of a key result's value, thousands and signs, would say nothing useful here)."""
    try:
        number = read_number(text, confidence=True)
    except NumberError as problem:
        said = problem.message
        if "is not a number; accepted:" in said:
            low, high = (numbers.plain(end) for end in session.scale)
            said = f"{said.split('; accepted:')[0]}; a confidence is a number from {low} to {high}"
        raise UsageError(f"{option}: {said}") from None
    return _on_scale(session, number, option)


@dataclass
class Flags:
    """The answer flags as typed, checked for what needs no repository."""

    confidence: float | dict[str, float] | None  # numbers; the scale and the objective ids are checked later
    results: list[tuple[str, str]]  # (key, value) as typed
    notes: list[tuple[str, str]]  # (key, text), the text tidied
    issues: list[str]
    plan: list[str]


def read_flags(
    confidence: list[str], results: list[str], notes: list[str], issues: list[str], plan: list[str]
) -> Flags:
    """The flags' shape, numbers and texts; raises :class:`UsageError` naming the option."""
    return Flags(
        confidence=_read_confidence(confidence),
        results=[_split(value, "--result", "KR=VALUE") for value in results],
        notes=[_note_flag(value) for value in notes],
        issues=[_text(i, "--issue") for i in issues],
        plan=[_text(p, "--plan") for p in plan],
    )


def _note_flag(value: str) -> tuple[str, str]:
    key, text = _split(value, "--note", "KR=TEXT")
    return key, _text(text, f"--note {shown_value(key)}")


def _read_confidence(values: list[str]) -> float | dict[str, float] | None:
    """``--confidence N`` (every objective) or ``--confidence OBJ=N`` per objective, as numbers."""
    if not values:
        return None
    bare = [v for v in values if "=" not in v]
    if bare:
        if len(values) > 1:
            raise UsageError("--confidence: give one number for all objectives, or OBJ=N for each; not both")
        return parse_number(bare[0], "--confidence")
    per: dict[str, float] = {}
    for value in values:
        objective_id, number = _split(value, "--confidence", "OBJ=N")
        if objective_id in per:
            raise UsageError(f"--confidence: '{shown_value(objective_id)}' given twice")
        per[objective_id] = parse_number(number, f"--confidence {shown_value(objective_id)}")
    return per


def _on_scale(session: Session, number: float, option: str) -> float:
    low, high = session.scale
    if not low <= number <= high:
        raise UsageError(
            f"{option}: {numbers.plain(number)} is outside the confidence scale {numbers.plain(low)}–{numbers.plain(high)}"
        )
    return number


def parse_confidence(session: Session, given: float | dict[str, float] | None) -> Confidence | None:
    """The confidence flags checked against the scale and the team's objectives on the date."""
    if given is None:
        return None
    if not isinstance(given, dict):
        return _on_scale(session, given, "--confidence")
    ids = [line.objective.id for line in session.objectives]
    per: dict[str, float] = {}
    for objective_id, number in given.items():
        if objective_id not in ids:
            hint = did_you_mean(objective_id, ids)
            raise UsageError(
                f"--confidence: '{shown_value(objective_id)}' is not an objective of {session.team} on {session.day}"
                f"{'; ' + hint if hint else ''} (objectives: {', '.join(ids)})"
            )
        per[objective_id] = _on_scale(session, number, f"--confidence {shown_value(objective_id)}")
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
        # Each name once: an objective that repeats a key result id would list its name twice.
        names = ", ".join(dict.fromkeys(f"{k.objective_id}/{k.kr.id}" for k in found))
        raise UsageError(f"{option}: '{shown_value(key)}' is a key result of several objectives; write one of {names}")
    keys = [k.key for k in lines]
    hint = did_you_mean(key, keys)
    raise UsageError(
        f"{option}: '{shown_value(key)}' is not a key result of {session.team} on {session.day}"
        f"{'; ' + hint if hint else ''} (key results: {', '.join(keys)})"
    )


def parse_value(kr: KeyResult, text: str, option: str) -> Value:
    """A metric or maintain value is a number (``81%`` on a % KR, ``1,325``); a milestone
    true/false/yes/no/done, a fraction 0..1 or a share ``40%``."""
    try:
        return read_value(kr, text)
    except NumberError as problem:
        raise UsageError(f"{option}: {problem.message}") from None


def parse_results(session: Session, given: list[tuple[str, str]]) -> dict[str, Value]:
    results: dict[str, Value] = {}
    for key, text in given:
        line = find_kr(session, key, "--result")
        if line.key in results:
            raise UsageError(f"--result: '{line.key}' given twice")
        results[line.key] = parse_value(line.kr, text, f"--result {shown_value(key)}")
    return results


def parse_notes(session: Session, given: list[tuple[str, str]]) -> dict[str, str]:
    notes: dict[str, str] = {}
    for key, text in given:
        line = find_kr(session, key, "--note")
        if line.key in notes:  # one note a key result: the last one silently replaced the others
            raise UsageError(f"--note: '{line.key}' given twice")
        notes[line.key] = text
    return notes


def add_values_file(session: Session, answers: Answers, path: Path) -> None:
    """``--values-from FILE``: results (and notes) from a CSV, JSON or YAML file, read like ``measure``
    reads it, added to ``answers`` under the flags: a value typed with ``--result`` replaces the
    file's, and the file's note on it goes with it (the note explained that number, not the user's;
    a ``--note`` flag still gives one)."""
    from okrctl.measure import KRChoice, read_values

    values = read_values(path, [KRChoice(k.objective_id, k.key, k.kr) for k in session.krs])
    measured = {row.choice.key: row.value for row in values.rows}
    kept_notes = {row.choice.key: row.note for row in values.rows if row.note and row.choice.key not in answers.results}
    answers.file_values = {key for key in measured if key not in answers.results}
    answers.results = {**measured, **answers.results}
    answers.file_notes = {key for key in kept_notes if key not in answers.notes}
    answers.notes = {**kept_notes, **answers.notes}
    answers.values_file = values.source


def from_flags(session: Session, flags: Flags) -> Answers:
    """The flags resolved against the team's objectives and key results on the date."""
    # With --amend, a confidence that repeats the check-in's keeps its spelling (a mapping for one
    # objective, one number for several); at a terminal too, where no question follows it.
    return Answers(
        confidence=as_spelt(session, parse_confidence(session, flags.confidence)),
        results=parse_results(session, flags.results),
        notes=parse_notes(session, flags.notes),
        issues=list(dict.fromkeys(flags.issues)),
        plan=list(dict.fromkeys(flags.plan)),
    )


def complete_from_flags(session: Session, answers: Answers) -> Answers:
    """Off a terminal the flags are all there is: refuse (exit 2) what they leave open.

    With ``--amend`` the check-in keeps what the flags do not change; new issues and plan items
    are added to its lists.
    """
    keep_existing(session, answers)
    missing = missing_confidence(session, answers.confidence)
    if missing:
        low, high = session.scale
        if len(session.objectives) == 1:
            raise UsageError(
                f"--confidence is required off a terminal (a number from {numbers.plain(low)} to {numbers.plain(high)})"
            )
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
