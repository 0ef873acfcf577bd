"""Committing a check-in: the message, and a commit of that one file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from okrctl.checkin.session import Confidence, Session
from okrctl.checkin.validate import Checked
from okrctl.render import numbers

if TYPE_CHECKING:
    from okrctl.gitio.commit import Committed


def commit_message(session: Session, confidence: Confidence | None) -> str:
    high = session.scale[1]
    if confidence is None:
        return f"checkin({session.team}): {session.day}"
    if isinstance(confidence, dict):
        given = ", ".join(f"{k} {numbers.plain(v)}/{numbers.plain(high)}" for k, v in confidence.items())
        return f"checkin({session.team}): {session.day} confidence {given}"
    return f"checkin({session.team}): {session.day} confidence {numbers.plain(confidence)}/{numbers.plain(high)}"


def final_confidence(checked: Checked, session: Session) -> Confidence | None:
    """The confidence as written (an amend may keep the file's own)."""
    doc = next((d for d in checked.repo.checkins_of(session.team) if d.model.date == session.day), None)
    return doc.model.confidence if doc is not None else None


def commit(session: Session, checked: Checked) -> tuple[str, Committed | None]:
    """Commit only the check-in's file; the message and the commit (None outside a git repository).

    Raises ``okrctl.gitio.commit.CommitRejected`` when git refuses (a hook, say)."""
    from okrctl.gitio.commit import commit_file

    message = commit_message(session, final_confidence(checked, session))
    return message, commit_file(session.path, message, session.rel)
