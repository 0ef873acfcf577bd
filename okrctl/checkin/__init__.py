"""The Friday GRIP check-in: everything ``okrctl checkin`` does except talking to the user.

:func:`prepare` builds the :class:`Session` (what the team sees before answering: :func:`session_for`,
then :func:`check_place` refuses what is in the way of writing it); the CLI turns
flags or prompts into :class:`Answers`. From both, :func:`compose` builds the YAML text — a new
file, or the existing one edited in place (comments and layout kept) — :func:`validate` runs the
same checks as ``align`` on a repository that includes it, :func:`write` stores it atomically
without ever replacing someone else's check-in, and :func:`commit` commits that one file.
The core knows no option names: reading ``KR=VALUE`` flags lives in ``okrctl.cli.checkin_flags``.
"""

from __future__ import annotations

from okrctl.checkin.commit import commit, commit_message, final_confidence
from okrctl.checkin.compose import amended_text, compose, new_text
from okrctl.checkin.session import (
    CHECKIN_FOLDER,
    MAX_TEXT,
    AlreadyCheckedIn,
    Answers,
    Confidence,
    DateAfterToday,
    KRLine,
    Measured,
    NothingToAmend,
    ObjectiveLine,
    Session,
    Value,
    check_place,
    keep_existing,
    kept_value,
    missing_confidence,
    prepare,
    reference_confidence,
    session_for,
    tidy,
)
from okrctl.checkin.validate import SIGNAL_CODES, Checked, changed_files, recheck, refusal, states_after, validate
from okrctl.checkin.write import still_as_read, unchanged, write

__all__ = [
    "CHECKIN_FOLDER",
    "MAX_TEXT",
    "SIGNAL_CODES",
    "AlreadyCheckedIn",
    "Answers",
    "Checked",
    "Confidence",
    "DateAfterToday",
    "KRLine",
    "Measured",
    "NothingToAmend",
    "ObjectiveLine",
    "Session",
    "Value",
    "amended_text",
    "changed_files",
    "check_place",
    "commit",
    "commit_message",
    "compose",
    "final_confidence",
    "keep_existing",
    "kept_value",
    "missing_confidence",
    "new_text",
    "prepare",
    "recheck",
    "reference_confidence",
    "refusal",
    "session_for",
    "states_after",
    "still_as_read",
    "tidy",
    "unchanged",
    "validate",
    "write",
]
