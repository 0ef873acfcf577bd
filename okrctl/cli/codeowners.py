"""``okrctl codeowners``: a CODEOWNERS file from the unit tree and its members."""

from __future__ import annotations

import re
import sys
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from okrctl.cli.app import app
from okrctl.cli.common import NoColorOption, OutputOption, RepoOption, TodayOption

if TYPE_CHECKING:
    from okrctl.load.index import Repo


@app.command()
def codeowners(
    repo: RepoOption = None,
    output: OutputOption = None,
    # Every command takes these (SPEC §4); who owns which file does not depend on the day, and
    # CODEOWNERS is plain text.
    today: TodayOption = None,
    no_color: NoColorOption = False,
) -> None:
    """Write a CODEOWNERS file so the git host asks each team to review its own OKR files."""
    from okrctl.cli.common import (
        emit,
        open_repo,
        refuse_broken_config,
        refuse_repository_file,
        resolve_today,
        unreadable_note,
    )
    from okrctl.gitio.repo import GitError
    from okrctl.gitio.tree import NotAGitRepository, place
    from okrctl.render.codeowners import render
    from okrctl.safetext import inert, shown_path
    from okrctl.views.codeowners import codeowners as build

    resolve_today(today)  # checked like everywhere (a bad date is a usage error), though unused
    refuse_repository_file(output, repo)
    repository = open_repo(repo)
    refuse_broken_config(repository)
    _refuse_a_unit_left_out(repository)
    try:
        prefix = place(repository.root).prefix
    except (NotAGitRepository, GitError):
        prefix = ""  # outside git the root is the top
    owners = build(repository, prefix)
    from okrctl.views.codeowners import tree_problems

    notes = [unreadable_note(repository)]
    notes += [
        f"okrctl: note: the owners follow a unit tree with problems ('okrctl align' shows them): {problem}"
        for problem in tree_problems(repository)
    ]
    # Such a file is owned by whatever conventional line matches it, if any: not who it should be.
    notes += [
        f"okrctl: note: {shown_path(path)}: no line of its own in CODEOWNERS: its name holds a control "
        "character, which CODEOWNERS cannot write (rename the file)"
        for path in owners.left_out
    ]
    for note in notes:
        if note:
            sys.stderr.write(inert(note) + "\n")
    # Asked under the file's lock, held until the new file is in place: two folders writing one
    # CODEOWNERS at once cannot both pass the check, the second being refused as if run later.
    keep = partial(_refuse_a_file_of_someone_else, prefix=owners.prefix)
    emit(render(owners), output, data=True, keep=keep)  # a file for GitHub: UTF-8 whatever the terminal


def _refuse_a_unit_left_out(repository: Repo) -> None:
    """Units are where the owners come from: refused, with the first error's place, before anything
    is written, when a file with errors holds a unit or may (``views.codeowners.unit_left_out``)."""
    from okrctl.errors import ContentError
    from okrctl.safetext import shown_path
    from okrctl.views.codeowners import unit_left_out, unit_used_twice

    twice = unit_used_twice(repository)
    if twice is not None:
        uid, (first_path, first_line), (path, line) = twice
        raise ContentError(
            f"unit id '{uid}' is used twice (first at {shown_path(first_path)}:{first_line}) (OKR102); the "
            "members of whichever file sorts first would own its files: give every unit its own id; nothing was written",
            path=shown_path(path),
            line=line,
        )
    finding = unit_left_out(repository)
    if finding is not None:
        raise ContentError(
            f"{finding.message}; a unit in this file would have no line in CODEOWNERS, and its files no "
            "reviewer: fix it first ('okrctl align' shows every problem); nothing was written",
            path=shown_path(finding.path),
            line=finding.line,
        )


# How several OKR folders share one CODEOWNERS (docs/ci.md), for every refusal of a joined file.
_JOIN = "'okrctl codeowners --output FILE' in each folder, then cat the files into this one"
# A space or tab ends a CODEOWNERS pattern unless escaped (``escape_path`` writes ``\\ ``).
_UNESCAPED_BLANK = re.compile(r"(?<!\\)[ \t]")


def _refuse_a_file_of_someone_else(output: Path | None, prefix: str) -> None:
    """A CODEOWNERS okrctl did not write (a larger repository's, with its default owner and other
    folders' lines) is never replaced by okrctl's: that would drop every review it asks for. Nor is
    one okrctl wrote for another OKR folder of the repository (``prefix`` is this one's), or that
    holds another folder's lines joined to this one's: its header names each folder
    (``FOLDER_LINE``). A file of an older okrctl names none, so okrctl's own shape tells instead:
    it writes its header once, and from a sub-folder every pattern under that folder; a file of
    this folder, older header or new, is replaced.

    An output that names a stream (``/dev/stdout``, ``/dev/fd/N``, a link to one) is written where
    the stream stands, as ``-o -`` is, and never replaces the file behind it: what that file holds
    (the lines a script wrote before) is no CODEOWNERS of anyone's."""
    from okrctl.errors import ContentError
    from okrctl.fsutil import OutputRefused, descriptor_named
    from okrctl.render.codeowners import FIRST_LINE, FOLDER_LINE, folder_line

    if output is None or not output.is_file():
        return
    try:
        if descriptor_named(output) is not None:
            return
    except OutputRefused:
        return  # a file okrctl opened itself: the write refuses it (exit 2)
    try:
        with output.open("rb") as file:
            head = file.read(4 * 1024 * 1024 + 1)
    except OSError:
        return  # for the write to meet and name
    text = head.decode("utf-8", "replace").removeprefix("\ufeff")  # an editor's byte-order mark
    if not text.strip() and len(head) <= 4 * 1024 * 1024:
        return  # empty (``touch``), read whole: no line of anyone's to keep
    lines = text.splitlines()
    if len(head) > 4 * 1024 * 1024:
        lines = lines[:-1]  # read in part: the last line may be cut, even inside its pattern
    from okrctl.safetext import shown_path

    if lines[0].rstrip() != FIRST_LINE:
        raise ContentError(
            f"{shown_path(output)}: not written by okrctl codeowners (its first line is not okrctl's); nothing was written "
            "(print it with 'okrctl codeowners' and merge its lines by hand, after the file's own: "
            "in CODEOWNERS the last matching line wins)"
        )
    ours = folder_line(prefix)
    # Every folder line, not only the first header's: two folders' files joined into one start
    # with the first folder's header, and writing the first folder's lines over it would drop the
    # second's.
    others = [line.rstrip() for line in lines if line.startswith(FOLDER_LINE) and line.rstrip() != ours]
    if others:
        theirs = others[0].removeprefix(FOLDER_LINE)
        raise ContentError(
            f"{shown_path(output)}: holds the lines okrctl codeowners wrote for the OKR folder {shown_path(theirs)}, "
            f"not this one ({shown_path(ours.removeprefix(FOLDER_LINE))}); nothing was written (write each folder's "
            f"lines to its own file and join them: {_JOIN})"
        )
    # A file of an older okrctl names no folder (above): a second folder's file joined to this
    # one's shows as okrctl's header written twice, or as lines outside this folder, and writing
    # this folder's lines over it would drop them all (exit 0, with no word of it).
    here = shown_path(ours.removeprefix(FOLDER_LINE))
    headers = sum(1 for line in lines if line.rstrip() == FIRST_LINE)
    if headers > 1:
        raise ContentError(
            f"{shown_path(output)}: holds {headers} files okrctl codeowners wrote, joined (its first line is "
            f"there {headers} times), not this OKR folder's ({here}) alone; nothing was written (write each "
            f"folder's lines to its own file and join them: {_JOIN})"
        )
    if not prefix:
        return  # at the top every path is the folder's
    anchored = ours.removeprefix(FOLDER_LINE)  # how each of this folder's patterns starts
    for number, line in enumerate(lines, start=1):
        rule = line.strip()
        if rule and not rule.startswith("#") and not rule.startswith(anchored):
            pattern = _UNESCAPED_BLANK.split(rule, maxsplit=1)[0]
            raise ContentError(
                f"{shown_path(output)}: holds lines outside this OKR folder ({here}), such as line {number} "
                f"('{shown_path(pattern)}'): another folder's, joined or written by an older okrctl; nothing was "
                f"written (write each folder's lines to its own file and join them: {_JOIN})"
            )
