"""Writing a check-in: atomically, never replacing someone else's."""

from __future__ import annotations

from okrctl.checkin.session import Session, in_the_way, may_be_a_checkin, written_meanwhile
from okrctl.errors import ContentError
from okrctl.repofiles import Unwritable, exclusive, folder_for, tidy, unmake
from okrctl.safetext import shown_path


def write(session: Session, text: str) -> None:
    """Atomically; a new check-in never replaces a file, an amended one only if nobody changed it.

    A file system that refuses the write (read-only, full) stops it with the check-in's path. The
    write first removes from the check-in's folder what killed okrctl writes left there
    (``repofiles.tidy``)."""
    try:
        _write(session, text)
    except OSError as exc:
        raise Unwritable(session.rel, exc) from None


def _write(session: Session, text: str) -> None:
    from okrctl.fsutil import atomic_write

    if session.existing is None:
        made = folder_for(session.repo.root, session.path, "the check-in")
        try:
            tidy(session.path.parent)
            atomic_write(session.path, text, exclusive=True)
        except OSError as exc:
            unmake(made)
            if not isinstance(exc, FileExistsError):
                raise
            # Taken while the team answered: by another run's check-in, or by a folder, which holds
            # none for --amend to edit.
            if not may_be_a_checkin(session.path):
                raise in_the_way(session) from None
            raise written_meanwhile(session) from None
        return
    # Compare and swap: the file must still be the one the answers were applied to, checked and
    # replaced while no other amendment can do the same.
    with exclusive(session.path, session.rel):
        if session.path.read_bytes() != session.original:
            raise ContentError(
                f"{shown_path(session.rel)}: changed by someone else while you amended it; nothing was written"
            )
        tidy(session.path.parent)
        atomic_write(session.path, text)


def unchanged(session: Session, text: str) -> bool:
    """An amend whose answers leave the check-in as it was (same bytes, or the same documents). What
    their comments silence is part of a document: a far-off value confirmed at the prompt, named in
    okrctl's comment now, is a change (``compose``)."""
    from okrctl.load.documents import parse_bytes
    from okrctl.load.yamlparse import YamlProblem

    if session.existing is None or session.original is None:
        return False
    if text.encode("utf-8") == session.original:
        return True
    try:
        before = [(p.data, p.ignore) for p in parse_bytes(session.rel, session.original, want_positions=False)]
        after = [(p.data, p.ignore) for p in parse_bytes(session.rel, text.encode("utf-8"), want_positions=False)]
    except YamlProblem:
        return False
    return before == after


def still_as_read(session: Session) -> None:
    """An amend that changes nothing says so, or commits the file as it is, only while the file is
    what this run read: removed, changed or made a link meanwhile (an editor, another run), it is
    refused (exit 1), as an amend that changes something is. So is a link on the way that came
    meanwhile (``refuse_links``): the same bytes read through it are another file's, outside the
    repository or in another team's folder. A file that cannot be read now (a folder put in its
    place, its permissions taken away) is refused with the system's reason and the check-in's
    path, as the write of a changing amend refuses it."""
    from okrctl.checkin.session import refuse_links

    refuse_links(session.repo.root, session)
    try:
        linked = session.path.is_symlink()
        now = session.path.read_bytes()
    except FileNotFoundError:
        raise ContentError(
            f"{shown_path(session.rel)}: removed by someone else while you amended it; nothing was written or committed"
        ) from None
    except OSError as exc:
        raise ContentError(
            f"{shown_path(session.rel)}: cannot be read: {exc.strerror or exc}; nothing was written or committed"
        ) from None
    if now != session.original or linked != session.original_link:
        raise ContentError(
            f"{shown_path(session.rel)}: changed by someone else while you amended it; nothing was written or committed"
        )
