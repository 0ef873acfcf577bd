"""Writing a check-in: atomically, never replacing someone else's."""

from __future__ import annotations

from okrctl.checkin.session import Session
from okrctl.errors import ContentError


def write(session: Session, text: str) -> None:
    """Atomically; a new check-in never replaces a file, an amended one only if nobody changed it."""
    from okrctl.fsutil import atomic_write

    if session.existing is None:
        _folder_for(session)
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


def _folder_for(session: Session) -> None:
    """The check-in's folder exists as a folder (made if missing); a file in its place is named."""
    folder = session.path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        rel_folder = session.rel.rsplit("/", 1)[0]
        raise ContentError(
            f"{rel_folder}: is a file, not a folder, so the check-in cannot be written there; "
            "nothing was written (move that file away)"
        ) from None
