"""Committing a check-in: the message, and a commit of that one file."""

from __future__ import annotations

import os
from pathlib import Path
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


def commit(
    session: Session, checked: Checked, written: bytes | None = None, *, as_read: bool = False
) -> tuple[str, Committed | None]:
    """Commit only the check-in's file; the message and the commit (None outside a git repository).

    ``written``: the bytes this run wrote (``as_read``: read, committing a file as it is). The file
    is committed only while it still holds them, under its lock, which another okrctl run takes to replace it: an ``--amend --no-commit`` of
    another run made meanwhile would go into this run's commit, under this run's message.

    Raises ``okrctl.gitio.commit.CommitRejected`` when git refuses (a hook, say), when the file
    changed since this run wrote it, when another process keeps its lock (``exclusive_to_commit``),
    or when its folder became another git repository's work tree (``_not_into_another_repository``)."""
    from okrctl.gitio.commit import CommitRejected, commit_file
    from okrctl.repofiles import committing, exclusive_to_commit
    from okrctl.safetext import shown_path

    message = commit_message(session, final_confidence(checked, session))
    shown = shown_path(session.rel)  # as the command's other lines name it (any name, for --amend)
    if written is None:
        _not_into_another_repository(session)
        return message, commit_file(session.path, message, shown)
    try:
        with exclusive_to_commit(session.path, session.rel):
            if session.path.read_bytes() != written:
                changed = (
                    f"{shown} changed after this run read it (an editor, another run)"
                    if as_read
                    else f"another run changed {shown} after this one wrote it"
                )
                raise CommitRejected(
                    f"{changed}, so this run does not commit it (check it; 'okrctl checkin --amend' of the same team "
                    "and date commits it)",
                    "",
                )
            _not_into_another_repository(session)
            with committing(session.path):  # (a hook that runs okrctl on this file is refused, not left waiting)
                return message, commit_file(session.path, message, shown)
    except FileNotFoundError:
        from okrctl.errors import ContentError

        raise ContentError(f"{shown}: removed by someone else before it was committed") from None


def _not_into_another_repository(session: Session) -> None:
    """Refuse the commit when a folder on the way to the check-in is now the work tree of another
    git repository (a ``git init``, a submodule checked out there since the place was checked):
    git would commit the file into that repository's history, where okrctl never reads it."""
    from okrctl.gitio.commit import CommitRejected
    from okrctl.repofiles import other_repository
    from okrctl.safetext import shown_path

    folder = other_repository(session.repo.root, session.rel)
    if folder is not None:
        raise CommitRejected(
            f"{shown_path(folder)}/ is now the work tree of another git repository (a submodule or a nested "
            f"clone), which okrctl does not read, so {shown_path(session.rel)} is not committed into it",
            "",
        )


def left_uncommitted(path: Path) -> bool | None:
    """Whether the check-in at ``path`` is written and left uncommitted (a hook refused the commit
    of the run that wrote it), as a run that finds it in its place asks; None while another okrctl
    run holds its lock (``commit``): that run wrote it a moment ago and is committing it now (a
    slow pre-commit hook), so it is no check-in left behind.

    Judged under a shared lock of the file, which no run can commit it under: a commit that ends
    while this run looks is not taken for a check-in left uncommitted."""
    from okrctl.gitio.commit import uncommitted

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no lock to ask
        return uncommitted(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # gone, or not readable: git alone tells
        return uncommitted(path)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return None
        except OSError:  # a file system without locks
            pass
        return uncommitted(path)
    finally:
        os.close(fd)  # and its lock with it
