"""The questions of an interactive check-in: whatever the flags did not answer.

Every question shows its default in brackets; Enter takes it. A wrong answer is explained and
asked again. Ctrl-C or Ctrl-D stops the check-in before anything is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from okrctl.analysis.state import confidence_of
from okrctl.checkin import (
    MAX_TEXT,
    Answers,
    KRLine,
    Session,
    kept_value,
    missing_confidence,
    reference_confidence,
    tidy,
)
from okrctl.cli.checkin_flags import confidence_value, find_kr, parse_value
from okrctl.errors import UsageError
from okrctl.render import numbers

if TYPE_CHECKING:
    from okrctl.load.documents import Doc

Ask = Callable[[str], str]
Say = Callable[[str], None]


def _shown(value: float | bool | None) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "done" if value else "not done"
    return numbers.plain(value)


def _until_valid(ask: Ask, say: Say, prompt: str, parse: Callable[[str], object]) -> object:
    while True:
        try:
            return parse(ask(prompt))
        except UsageError as problem:
            say(f"  {problem.message}")


def _too_long(text: str, say: Say) -> bool:
    """Whether ``text`` is over the model's limit; said now, so that it is asked again rather than
    refusing the whole check-in after the last question."""
    if len(text) <= MAX_TEXT:
        return False
    say(f"  {len(text)} characters, over the limit of {MAX_TEXT}; write it shorter")
    return True


def _yes(ask: Ask, prompt: str, default: bool = True) -> bool:
    """A yes or no; any other answer is said not to be one, and asked again."""
    choices = " [Y/n] " if default else " [y/N] "
    question = prompt + choices
    while True:
        answer = ask(question).strip().lower()
        if not answer:
            return default
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        question = f"  '{tidy(answer)[:40]}' is neither yes nor no; y or n?{choices}"


def ask_confidence(session: Session, answers: Answers, ask: Ask, say: Say) -> None:
    low, high = session.scale
    missing = missing_confidence(session, answers.confidence)
    if not missing:
        return
    single = len(session.objectives) == 1
    given: dict[str, float] = dict(answers.confidence) if isinstance(answers.confidence, dict) else {}
    say("")
    say(f"G · Goal confidence, {numbers.plain(low)} to {numbers.plain(high)}: how sure are you to reach the objective?")
    for objective_id in missing:
        default = reference_confidence(session, objective_id)
        label = "Confidence" if single else f"Confidence in {objective_id}"
        prompt = f"{label} [{numbers.plain(default)}]: " if default is not None else f"{label}: "

        def parse(text: str, default: float | None = default) -> float:
            if not text.strip():
                if default is None:
                    raise UsageError(f"a number from {numbers.plain(low)} to {numbers.plain(high)}, please")
                return default
            return confidence_value(session, text, "confidence")

        given[objective_id] = float(_until_valid(ask, say, prompt, parse))  # type: ignore[arg-type]
    answers.confidence = given[session.objectives[0].objective.id] if single else given
    amended = session.existing_checkin
    if (
        amended is not None
        and amended.confidence is not None
        and all(given.get(o.objective.id) == confidence_of(amended, o.objective.id) for o in session.objectives)
    ):
        # An amended check-in whose confidence every objective keeps: written as it was spelt (one
        # number for two objectives, a mapping for one), as Enter at every prompt changes nothing.
        answers.confidence = amended.confidence


def _far_off_kept(line: KRLine, value: object, ask: Ask, answers: Answers, given_from: str | None = None) -> bool:
    """Whether a far-off value (OKR509) stays: asked, "no" by default; a kept one is marked in the file.

    A value the user just typed (or took with Enter) is asked about under its prompt; one given
    before the questions (``given_from``: the values file or ``--result``) names its key result and
    where it came from, or the question would stand alone, about a number the user never typed."""
    from okrctl.values import far_off

    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return True
    written = f"{line.key}: {numbers.plain(value)} (from {given_from})" if given_from else None
    found = far_off(line.kr, value, written)
    if found is None:
        return True
    question = f"{found.message}; keep it?" if given_from else f"  {found.message}; keep it?"
    if not _yes(ask, question, default=False):
        return False
    if line.key not in answers.confirmed_far_off:
        answers.confirmed_far_off.append(line.key)
    return True


def _mark_confirmed(line: KRLine, value: object, answers: Answers) -> None:
    """A far-off value confirmed before, kept: marked in the file as one kept at the prompt is."""
    from okrctl.values import far_off

    if not isinstance(value, (int, float)) or isinstance(value, bool) or far_off(line.kr, value) is None:
        return
    if line.key not in answers.confirmed_far_off:
        answers.confirmed_far_off.append(line.key)


def _given_from(key: str, answers: Answers) -> str:
    """Where a value given before the questions comes from: the values file, else ``--result``."""
    if key in answers.file_values and answers.values_file:
        return tidy(answers.values_file)
    return "--result"


def confirm_given(session: Session, answers: Answers, ask: Ask, say: Say) -> None:
    """The values the flags and the values file gave, listed (they are not asked), and a far-off one
    among them confirmed; refused, its value (and the file's note on it) is dropped, to be asked."""
    given = [(number, line) for number, line in enumerate(session.krs, 1) if line.key in answers.results]
    if not given:
        return
    say("Given, not asked:")
    for number, line in given:
        say(f"  [{number}] {line.key}: {_shown(answers.results[line.key])} (from {_given_from(line.key, answers)})")
    for _, line in given:
        if not _far_off_kept(line, answers.results[line.key], ask, answers, _given_from(line.key, answers)):
            del answers.results[line.key]
            answers.file_values.discard(line.key)
            if line.key in answers.file_notes:  # the file's note was about the value refused
                del answers.notes[line.key]
                answers.file_notes.discard(line.key)


def _default_shown(line: KRLine, kept: float | bool | None) -> str:
    """``81 — measured 2026-11-26 from kpis.csv`` when the value comes from a reading."""
    if line.measured is not None and kept is not None:
        return f"{_shown(kept)} — measured {line.measured.day} from {tidy(line.measured.source)}"
    return _shown(kept)


def _gives(checkin: Any, line: KRLine) -> bool:
    """Whether ``checkin`` gives a value of ``line``'s key result: its key, or the key result's id
    alone or with its own objective's (``discover-first-week/setup-tickets`` gives nothing of
    ``discover-second/setup-tickets``)."""
    for key in checkin.results:
        objective_id, _, kr_id = key.rpartition("/")
        if key == line.key or (kr_id == line.kr.id and objective_id in ("", line.objective_id)):
            return True
    return False


def _confirmed_before(session: Session, line: KRLine) -> bool:
    """Whether the document ``line``'s value on the day comes from silences OKR509 for it.

    That document is the latest of the team's check-ins and readings in the key result's cycle, up
    to the day, that gives the key result a value (on one date a check-in's value stands over a
    reading's), as ``analysis.state`` finds the value. The team's own ``# okrctl: ignore[OKR509]``
    covers every far-off value of the document, okrctl's (written when a value was kept at a
    prompt) those of the key results it names, as ``align`` reads them; without one, ``align``
    reports the value and nobody ever said it is real."""
    from okrctl.model import Reading

    repo = session.repo
    cycle = next(o.cycle for o in session.objectives if o.objective.id == line.objective_id)
    wanted = [(line.objective_id, line.kr.id)]
    source: Doc[Any] | None = None
    source_key = ""
    # Readings first: a check-in of the same date, later in the list, takes the date.
    documents: list[Doc[Any]] = [*repo.readings_of(session.team), *repo.checkins_of(session.team)]
    for doc in documents:
        model = doc.model
        if model.date > session.day or not cycle.contains(model.date):
            continue
        if source is not None and model.date < source.model.date:
            continue
        entries = model.values if isinstance(model, Reading) else model.results
        for key in entries:
            if [(o.id, k.id) for o, k in repo.resolve_result_key(model, key)] != wanted:
                continue
            written = model.result_value(key)
            # true/false is no value of a metric key result (OKR101), as the state reads it.
            if written is not None and (line.kr.type == "milestone" or not isinstance(written, bool)):
                source, source_key = doc, key
                break
    return source is not None and source.silences("OKR509", source_key)


def ask_results(session: Session, answers: Answers, ask: Ask, say: Say) -> None:
    if not session.krs:
        return
    say("")
    say("R · Results: the current value of each key result (Enter keeps the value shown).")
    confirm_given(session, answers, ask, say)
    todo = [(i, line) for i, line in enumerate(session.krs, 1) if line.key not in answers.results]
    amended = session.existing_checkin
    for number, line in todo:
        kept = kept_value(line)
        hint = "true/false or 0..1" if line.kr.type == "milestone" else tidy(line.kr.unit or "")
        label = f"[{number}] {line.key}" + (f" ({hint})" if hint else "")
        prompt = f"{label} [{_default_shown(line, kept)}]: " if kept is not None else f"{label}: "
        if amended is not None and kept is not None and not _gives(amended, line):
            # An amendment of a check-in that leaves this key result out (written with --result off
            # a terminal): Enter leaves it out, as Enter at every prompt changes nothing. The last
            # value is shown, to type if it belongs in the check-in.
            prompt = f"{label} [left out; last {_default_shown(line, kept)}]: "
            kept = None

        def parse(text: str, line: KRLine = line, kept: float | bool | None = kept) -> float | bool | None:
            if not text.strip():
                return kept
            return parse_value(line.kr, text, line.key)

        while True:
            value = _until_valid(ask, say, prompt, parse)
            if value is None:
                break
            # The team's last value kept is not asked about again when its check-in says it is
            # real (silences OKR509); one written off a terminal or by hand never was, nor a
            # measured one. Confirmed, this check-in says so too, or align would report it here.
            if value == kept and line.measured is None and _confirmed_before(session, line):
                _mark_confirmed(line, value, answers)
                break
            if _far_off_kept(line, value, ask, answers):
                break
        if value is not None:
            answers.results[line.key] = value  # type: ignore[assignment]
            measured = line.measured
            if measured is not None and value == kept and measured.note and line.key not in answers.notes:
                # The measured value taken with its note, as a values file's value is: a note typed
                # at ``note>`` or given with --note replaces it.
                answers.notes[line.key] = measured.note
                answers.measured_notes.add(line.key)


def ask_notes(session: Session, answers: Answers, ask: Ask, say: Say) -> None:
    """``note>``, repeated, for the key results the flags and the values file gave no note.

    A note given by ``--note`` or by ``--values-from`` is not asked again, and one typed for that
    key result is refused, saying where its note comes from; when every key result has one, the
    question is not asked at all."""
    lines = session.krs
    given = {key: _note_source(key, answers) for key in answers.notes if key not in answers.measured_notes}
    if all(line.key in given for line in lines):
        return
    say("")
    say("Notes on a key result: its number or id, a colon, the note (Enter to go on).")
    if given:
        noted = ", ".join(f"{line.key} ({given[line.key]})" for line in lines if line.key in given)
        say(f"Already noted, not asked again: {noted}.")
    measured = [line.key for line in lines if line.key in answers.measured_notes]
    if measured:
        shown = ", ".join(f"{key} ({tidy(answers.notes[key])})" for key in measured)
        say(f"Noted with the measurement, kept unless you write another: {shown}.")
    while True:
        text = ask("note> ").strip()
        if not text:
            return
        key, sep, note = text.partition(":")
        note = tidy(note)
        if not sep or not note:
            say(f"  write it as 1: the note, or {lines[0].key}: the note" if lines else "  write it as 1: the note")
            continue
        if _too_long(note, say):
            continue
        key = key.strip()
        try:
            line = _noted_line(session, key)
        except UsageError as problem:
            say(f"  {problem.message}")
            continue
        if line.key in given:
            replace = "" if given[line.key] == "--note" else f"; a --note {line.key}=TEXT flag replaces it"
            say(f"  {line.key} has its note from {given[line.key]}{replace}")
            continue
        # A key result has one note: a second one typed for it replaced the first without a word.
        earlier = "" if line.key in answers.measured_notes else answers.notes.get(line.key, "")
        replace = f'  {line.key} has the note "{tidy(earlier)}"; replace it?'
        if earlier and earlier != note and not _yes(ask, replace, default=False):
            continue
        if line.key not in answers.results:
            kept = kept_value(line)
            if kept is None:
                say(f"  {line.key} has no value yet; a note goes with a value")
                continue
            answers.results[line.key] = kept
        answers.notes[line.key] = note
        answers.measured_notes.discard(line.key)


def _noted_line(session: Session, key: str) -> KRLine:
    """The key result a ``note>`` answer names: its number on the screen, else its id.

    A key result's id may be digits too ("1"): when a number and an id name two different key
    results, neither is guessed, and the answer names them unambiguously."""
    lines = session.krs
    if not (key.isdigit() and 0 < int(key) <= len(lines)):
        return find_kr(session, key, "note")
    numbered = lines[int(key) - 1]
    same_id = [line for line in lines if line.kr.id == key and line is not numbered]
    if same_id:
        names = " or ".join(f"{line.objective_id}/{line.kr.id}" for line in [numbered, *same_id])
        raise UsageError(
            f"note: '{key}' is the number of {numbered.key} and the id of another key result; write {names}"
        )
    return numbered


def _note_source(key: str, answers: Answers) -> str:
    """Where a note given before the questions comes from: the values file, else a ``--note`` flag."""
    if key in answers.file_notes and answers.values_file:
        return tidy(answers.values_file)
    return "--note"


def _list(ask: Ask, say: Say, title: str, carried: list[str], carried_prompt: str, new_prompt: str) -> list[str]:
    say("")
    say(title)
    kept = [item for item in carried if _yes(ask, f'{carried_prompt} "{tidy(item)}"?')]
    while True:
        text = tidy(ask(new_prompt))
        if not text:
            return kept
        if _too_long(text, say):
            continue
        if text not in kept:
            kept.append(text)


def ask_issues_and_plan(session: Session, answers: Answers, ask: Ask, say: Say) -> None:
    existing = session.existing_checkin
    if not answers.issues:
        reference = existing or session.previous
        carried = list(reference.issues) if reference is not None else []
        answers.issues = _list(
            ask, say, "I · Issues: what is in the way?", carried, "Still open:", "New issue (Enter to finish): "
        )
    elif existing is not None:
        answers.issues = list(existing.issues) + [i for i in answers.issues if i not in existing.issues]
    if not answers.plan:
        carried = list(existing.plan) if existing is not None else []
        answers.plan = _list(ask, say, "P · Plan: what comes next?", carried, "Keep:", "Plan item (Enter to finish): ")
    elif existing is not None:
        answers.plan = list(existing.plan) + [p for p in answers.plan if p not in existing.plan]


def ask_everything(session: Session, answers: Answers, ask: Ask, say: Say) -> Answers:
    ask_confidence(session, answers, ask, say)
    ask_results(session, answers, ask, say)
    ask_notes(session, answers, ask, say)
    ask_issues_and_plan(session, answers, ask, say)
    return answers


def confirm(session: Session, ask: Ask, *, commit: bool, dry_run: bool) -> bool:
    if dry_run:
        return True
    from okrctl.safetext import shown_path

    verb = "Amend" if session.existing is not None else "Write"
    return _yes(ask, f"\n{verb} {shown_path(session.rel)}{' and commit it' if commit else ''}?")
