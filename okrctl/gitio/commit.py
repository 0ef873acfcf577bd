"""Commit one file, and only that file, the way ``git commit`` on the command line would.

``git commit --only -- <path>`` commits exactly that path from the working tree, leaves whatever
else the user had staged as it was, and runs the repository's hooks. Git runs through
``gitio.run.run_git`` like every other git call (literal pathspecs, the repository around the
file rather than one named by the environment); a machine without git behaves like a folder
outside any repository.

Every ``git add`` and ``git commit`` takes the index lock (``.git/index.lock``) while it works, a
commit for as long as its hooks run (a pre-commit hook: seconds): check-ins of several teams
started at once meet it. A command that finds it taken is run again, all the commands of one commit
together for as long as okrctl waits for a file's lock (``fsutil.LOCK_PATIENCE``, the wait said on
standard error after a second), before the lock is reported, by name, as a failure the same command
run again mends. Taking the commit's intent-to-add entry out of the index again waits a second
more at most (``_UNDO_PATIENCE``), and a stopped run (Ctrl-C) waits no longer either.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from okrctl import fsutil
from okrctl.errors import ContentError
from okrctl.gitio.repo import detached_head, ignored_repository, work_tree
from okrctl.gitio.run import GitError, GitMissing, GitResult, RefusedRepository, killed_by, run_git
from okrctl.safetext import shown_path


class CommitRejected(ContentError):
    """git (or one of its hooks) refused the commit; the file stays written."""

    def __init__(self, message: str, output: str, *, again: bool = False, once_fixed: bool = False) -> None:
        from okrctl.safetext import clean

        super().__init__(message)
        # What the hook printed is shown as it came, without its escape sequences: a hook is the
        # user's, but it echoes what the repository holds (a file name with an OSC 52 in it).
        self.output = clean(output)
        # Nothing to fix first: other git processes were in the way for longer than a run waits,
        # and the same command run again commits the file (the caller names it).
        self.again = again
        # git refused the add or the commit itself (a hook, a merge under way, a signing key, a
        # sparse checkout, a lock a crashed git left, an ignore rule, a corrupt index): once that
        # cause is fixed, the same command commits the file (the caller names it).
        self.once_fixed = once_fixed

    def shown_output(self) -> str:
        """What git or its hook printed, to show above the message: empty when the message
        already says all of it (git's one ``fatal:`` line, as during a merge)."""
        lines = [line.strip() for line in self.output.splitlines() if line.strip()]
        said = [line.removeprefix("fatal: ").removeprefix("error: ").rstrip(".") for line in lines]
        if all(line in self.message for line in said):
            return ""
        return self.output


@dataclass(frozen=True)
class Committed:
    sha: str
    path: str  # relative to the git working tree
    # Made on a detached HEAD: on no branch, so the next checkout leaves it behind (the CLI warns).
    detached: bool = False
    # Not made by this run: another process (a second ``measure`` of the same reading) committed
    # the file as it is on disk meanwhile; ``sha`` is that commit.
    meanwhile: bool = False
    # Not made at all: HEAD (``sha``) held the file as written before this run began (the user had
    # staged its deletion, and the run wrote it back as it was); the user's index is as it was.
    already: bool = False
    # Made, but not with the file as written: a hook changed it in the commit (a formatter that
    # stages its fix, lint-staged's way). The line that says so, with what git left staged; else "".
    changed_by_hook: str = ""

    def said(self, message: str) -> str:
        """``committed 1a2b3c4 MESSAGE``, or who committed the file when another run did. The
        message is left out of a commit a hook changed the file in: it names what this run wrote."""
        if self.changed_by_hook:
            return f"committed {self.sha[:7]}, but not as written: a git hook changed the file in it"
        if self.already:
            return f"not committed: HEAD ({self.sha[:7]}) holds {shown_path(self.path)} as written already"
        if self.meanwhile:
            return f"committed meanwhile by another run as {self.sha[:7]} (what this run wrote is in it)"
        return f"committed {self.sha[:7]} {message}"


def commit_file(path: Path, message: str, shown: str | None = None) -> Committed | None:
    """Commit ``path`` alone with ``message``; None when ``path`` is not inside a git repository.
    ``shown``: how messages name the file before git has told where its working tree is (the path
    the command's other lines give it); else the path as given. ``CommitRejected`` when no ``.git``
    leads to a repository but ``GIT_DIR`` names one (``repo.ignored_repository``): not "outside git"."""
    global _index_wait_said
    _index_wait_said = False  # the wait for another git's index lock is said once per commit (per run)
    try:
        tree = work_tree(path.parent)
    except GitError as exc:
        raise CommitRejected(f"git could not commit {shown_path(shown or path)}: {exc}", "") from None
    if tree is None:
        ignored = ignored_repository(path.parent)
        if ignored is not None:
            raise CommitRejected(ignored, "")
        return None
    try:
        rel = path.resolve().relative_to(tree.top.resolve()).as_posix()
    except ValueError:
        return None  # the file lies outside the working tree (through a link)
    top = tree.top
    try:
        new = not run_git(top, "ls-files", "-z", "--", rel).stdout
        try:
            return _commit_only(top, path, rel, message, new, shown)
        except KeyboardInterrupt as stopped:
            # Stopped meanwhile (Ctrl-C, a cancelled job): before or after git made the commit,
            # whatever git command ran then. HEAD tells which; unless it holds the file, the
            # user's index goes back to how it was (no intent-to-add entry left behind for their
            # next ``git commit -a`` to take).
            # Nothing to take out when this run's ``git add`` never made the entry (another git held
            # the index lock all along). Another git may hold it still: waited for briefly, as the
            # run is stopping, and an entry left behind is said on the caller's last line.
            with _undisturbed():
                committed = held_by_head(path)
                if new and committed is not True and not _in_head(top, rel) and not _out_of_index(top, rel):
                    until = time.monotonic() + _UNDO_PATIENCE
                    taken_out = _run_taking_index(
                        top, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", rel, until=until, say=False
                    )
                    if taken_out.returncode != 0:
                        stopped.left_in_index = f"git rm --cached -- {typed(top, rel)}"  # type: ignore[attr-defined]
            stopped.committed = committed  # type: ignore[attr-defined]  # for the caller's last line
            raise
    except GitError as exc:
        # git missing, or a repository it refuses, says what to do itself; any other failure (a
        # corrupt index) is git's to fix, then the same command commits the file.
        advised = isinstance(exc, (GitMissing, RefusedRepository))
        raise CommitRejected(
            f"git could not commit {shown_path(rel)}: {exc}", str(exc), once_fixed=not advised
        ) from None


def _commit_only(top: Path, path: Path, rel: str, message: str, new: bool, shown: str | None = None) -> Committed:
    """``commit_file`` once git knows the file's path is ``rel``; ``new``: not in the index yet.
    Its lines name the file as the command's other lines do (``shown``: from the OKR folder, which
    is not git's top in a larger repository), and a git command to type with the path from here."""
    head = _head(top)
    name = shown or rel
    # One wait for the index lock for the whole commit: the add, every commit attempt, the add again.
    deadline = time.monotonic() + fsutil.LOCK_PATIENCE
    if new:
        ignored = _ignored_by(top, rel)
        if ignored:
            raise CommitRejected(
                f"{name} is ignored by git ({ignored}); git commits no ignored file", "", once_fixed=True
            )
        # --only needs git to know the path; an intent-to-add entry stages no content.
        added = _run_taking_index(top, "add", "--intent-to-add", "--", rel, until=deadline)
        if added.returncode != 0:
            output = _text(added.stderr or added.stdout)
            held = _index_held(top, added)
            raise CommitRejected(
                f"git add refused {name}: {_why(top, added, output)}", output, again=held, once_fixed=not held
            )
    # A move of this very file that the user staged (``git mv old rel``) is committed whole: the
    # new path alone would leave the old one in the commit too, two documents for one. Only an
    # exact one: a similar file's staged deletion is another file's (``staged_rename_to``).
    renamed = staged_rename_to(top, rel)
    seen = head
    while True:
        # Not --quiet: the summary git prints names the commit it made (``_made_by``).
        done = _run_taking_index(top, "commit", "-m", message, "--only", "--", rel, *renamed, until=deadline)
        # Another git that read the index before this run's ``git add`` wrote it back afterwards
        # (another run's commit), without the intent-to-add entry: git knows the path no more
        # ("pathspec … did not match any file(s) known to git", in the user's language). Check-ins
        # of several teams started at once meet so; the entry is added again and the commit made.
        dropped = new and done.returncode != 0 and path.exists() and _out_of_index(top, rel)
        if dropped and time.monotonic() <= deadline:
            added = _run_taking_index(top, "add", "--intent-to-add", "--", rel, until=deadline)
            if added.returncode == 0:
                time.sleep(_FIRST_PAUSE)
                continue
            done, dropped = added, False  # (another git holds the index still: said as such)
        # Another run's commit moved HEAD between git reading it and updating it ("cannot lock ref
        # 'HEAD'", in the user's language): git gives up with 128 and commits nothing. Check-ins of
        # several teams started at once meet so; the commit is made again, on top of theirs.
        now = _head(top) if done.returncode == 128 else seen
        if now == seen or time.monotonic() > deadline or not uncommitted(path):
            break
        seen = now
        time.sleep(_FIRST_PAUSE)
    if done.returncode != 0:
        # Whether another run committed meanwhile: HEAD moved since the attempt began. (A path
        # HEAD holds that is not in the index is one whose deletion the user staged.)
        moved = _head(top) != head
        if _lock_free_nothing_to_commit(top, done) and not uncommitted(path):
            if new and not moved and head is not None:
                # Not in the index, and HEAD held these very bytes before the attempt: the user
                # staged its deletion, and this run wrote it back as it was. Nothing to commit, by
                # anyone; the staged deletion stands as it was. (A file another run committed is
                # in the index: that run added it.)
                _run_taking_index(top, "rm", "--cached", "--quiet", "--", rel, until=_undo_until(deadline))
                return Committed(head, rel, detached_head(top), already=True)
            # Another run committed the file, with this run's bytes, between this run's write
            # and its commit: done, by that commit.
            return _committed_meanwhile(top, rel)
        left = ""
        # Back to untracked: the user's index looks exactly as before the attempt. (Once another
        # run committed the file, removing it from the index would stage its deletion.) An entry
        # another git took out already is no failure to remove it.
        restored = not new or (moved and _in_head(top, rel))
        if not restored:
            # A commit a signal killed leaves its index lock, which nobody removes: tried once.
            until = _undo_until(deadline) if done.returncode >= 0 else time.monotonic()
            taken_out = _run_taking_index(top, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", rel, until=until)
            if taken_out.returncode != 0:
                left = f" (and git could not take it out of the index again: git rm --cached -- {typed(top, rel)})"
        output = "\n".join(part for part in (_text(done.stdout), _text(done.stderr)) if part)
        if dropped:
            why = f"other git processes kept writing the index without it for {fsutil.LOCK_PATIENCE:g} seconds"
            raise CommitRejected(f"git commit of {name} failed: {why}{left}", "", again=True)
        held = _index_held(top, done)
        raise CommitRejected(
            f"git commit of {name} failed: {_why(top, done, output)}{left}", output, again=held, once_fixed=not held
        )
    # This run's commit, as git named it: HEAD may already be another run's commit, or another
    # branch a checkout switched to meanwhile (where the file's newest commit is no check-in's).
    sha = _made_by(top, done.stdout)
    if not sha:
        # The newest commit that holds the file (HEAD may already be another run's).
        sha = run_git(top, "log", "-1", "--format=%H", "--", rel).stdout.decode("ascii", "replace").strip()
    if not sha:
        sha = run_git(top, "rev-parse", "--verify", "HEAD").stdout.decode("ascii", "replace").strip()
    return Committed(sha, rel, detached_head(top), changed_by_hook=_changed_by_hook(top, sha, rel, name))


def _changed_by_hook(top: Path, sha: str, rel: str, name: str) -> str:
    """What to say when commit ``sha`` holds ``rel`` otherwise than git staged it from the file this
    run wrote (``name``: the file as the command's lines name it); "" when it holds it as staged.

    ``git commit --only`` stages the file in the index, then hands its hooks a copy of that index:
    a ``pre-commit`` hook that rewrites the file and stages the result (a formatter, lint-staged's
    way) changes the copy the commit is made from, while the index keeps the file as git staged it
    from okrctl's write, now staged against the commit (the user's next ``git commit`` would undo
    the hook's change). The two differ exactly when a hook changed the file in the commit; git's
    own comparison of what it stored, so line-end rules (a CRLF file under ``text=auto`` stays
    CRLF) and filters count alike on both sides. Only while HEAD is still that commit: a
    ``post-commit`` hook (or another terminal) that checks out another branch meanwhile leaves the
    index that branch's, which tells nothing of the commit. "" when git cannot tell."""
    now = run_git(top, "rev-parse", "--verify", "--quiet", "HEAD", check=False)
    if now.returncode != 0 or now.stdout.decode("ascii", "replace").strip() != sha:
        return ""
    differs = run_git(top, "diff-index", "--cached", "--quiet", sha, "--", rel, check=False)
    if differs.returncode != 1:
        return ""
    return (
        f"a git hook changed {shown_path(name)} in commit {sha[:7]}, which holds the hook's version, not what "
        f"this run wrote; git left this run's version staged ('git restore --staged -- "
        f"{shown_path(typed(top, rel))}' unstages it)"
    )


def _made_by(top: Path, said: bytes) -> str | None:
    """The full hash of the commit ``git commit`` says it made, or None when its words tell none.

    The first line of its summary, in any language: ``[main 1a2b3c4] subject``, ``[detached HEAD
    1a2b3c4] …``, ``[main (root-commit) 1a2b3c4] …`` (hooks write to standard error). The hash is
    the first word followed by ``] `` after a blank: a branch name holds no blank, and the subject
    (which a values file's name, or a commit-msg hook, may fill with ``4711] ``) comes after it."""
    line = said.lstrip().split(b"\n", 1)[0]
    found = re.search(rb" ([0-9a-f]{4,64})\] ", line) if line.startswith(b"[") else None
    if found is None:
        return None
    named = run_git(top, "rev-parse", "-q", "--verify", found.group(1).decode("ascii") + "^{commit}", check=False)
    sha = named.stdout.decode("ascii", "replace").strip()
    return sha if named.returncode == 0 and sha else None


def _head(top: Path) -> str | None:
    """The commit HEAD names, None before the first commit (or when git cannot tell)."""
    found = run_git(top, "rev-parse", "--verify", "-q", "HEAD", check=False)
    sha = found.stdout.decode("ascii", "replace").strip()
    return sha if found.returncode == 0 and sha else None


def staged_rename_to(top: Path, rel: str) -> list[str]:
    """The old path of a staged move whose new path is ``rel``, in a list; empty when there is
    none or git cannot tell.

    A move is what ``git mv`` stages: the index holds ``rel`` with the very bytes HEAD holds under
    the old path, which is gone from the index (the check-in rewritten since is on disk, not in the
    index). Only such an exact rename counts. git's usual rename detection pairs by similarity,
    and two check-ins or readings okrctl wrote are alike (another team's, another date's): the
    staged deletion of one of them, however unrelated, was committed under this file's message
    and left the user's index. A moved file whose changes were staged too cannot be told from that
    and is not taken either (docs/checkin.md)."""
    found = run_git(top, "diff", "--cached", "--name-status", "--find-renames=100%", "-z", check=False)
    if found.returncode != 0:
        return []
    fields = found.stdout.decode("utf-8", "surrogateescape").split("\0")
    at = 0
    while at < len(fields) - 1:
        status = fields[at]
        if status.startswith(("R", "C")):
            if status.startswith("R") and at + 2 < len(fields) and fields[at + 2] == rel:
                return [fields[at + 1]]
            at += 3
        else:
            at += 2
    return []


def _out_of_index(top: Path, rel: str) -> bool:
    """Whether the index holds no entry for ``rel`` (False when git cannot tell)."""
    found = run_git(top, "ls-files", "-z", "--", rel, check=False)
    return found.returncode == 0 and not found.stdout


def _in_head(top: Path, rel: str) -> bool:
    return run_git(top, "rev-parse", "--verify", "-q", f"HEAD:{rel}", check=False).returncode == 0


def _lock_free_nothing_to_commit(top: Path, result: GitResult) -> bool:
    """A commit git declined without a lock in its way (exit 1: nothing to commit, or a hook said
    no); the caller tells which by comparing the file with HEAD."""
    return result.returncode == 1 and _index_lock(top, result) is None


def _committed_meanwhile(top: Path, rel: str) -> Committed:
    found = run_git(top, "log", "-1", "--format=%H", "--", rel, check=False)
    sha = found.stdout.decode("ascii", "replace").strip() if found.returncode == 0 else ""
    if not sha:
        sha = run_git(top, "rev-parse", "--verify", "HEAD").stdout.decode("ascii", "replace").strip()
    detached = detached_head(top)
    return Committed(sha, rel, detached, meanwhile=True)


def uncommitted(path: Path) -> bool:
    """Whether ``path`` lies in a git working tree and HEAD does not hold it as it is on disk.

    True for an untracked file (ignored ones too) and for one whose bytes, as git would store them
    (its clean filters and line-end rules applied), differ from HEAD's. A check-in written while a
    hook refused the commit is left like that; a run that would write the same check-in again
    commits it instead of saying there is nothing to do. False outside git, or when git cannot
    tell: nothing is committed on a guess.
    """
    return held_by_head(path) is False


def held_by_head(path: Path) -> bool | None:
    """Whether HEAD holds ``path`` as it is on disk (its bytes as git would store them); None
    outside a git working tree or when git cannot tell. What a command stopped while it committed
    the file asks, whatever git command the signal interrupted.

    ``hash-object`` reads no index, so it converts line ends that git leaves alone: a file HEAD
    holds with CRLF, under a ``* text=auto`` added since, stays as it is for git (its index entry
    holds CRLF already) and is unchanged for ``git status``. When the two hashes differ, git's own
    comparison of the file with HEAD decides."""
    try:
        tree = work_tree(path.parent)
        if tree is None:
            return None
        rel = path.resolve().relative_to(tree.top.resolve()).as_posix()
        stored = run_git(tree.top, "hash-object", "--", rel, check=False)
        if stored.returncode != 0:
            return None
        head = run_git(tree.top, "rev-parse", "--verify", "-q", f"HEAD:{rel}", check=False)
        if head.returncode != 0:
            return False
        if head.stdout.strip() == stored.stdout.strip():
            return True
        if _index_trusted(tree.top, rel):
            return False  # git's own comparison would read the index entry, not the file
        differs = run_git(tree.top, "diff", "--quiet", "--no-ext-diff", "--no-textconv", "HEAD", "--", rel, check=False)
    except (GitError, ValueError, OSError):
        return None
    return {0: True, 1: False}.get(differs.returncode)


def _index_trusted(top: Path, rel: str) -> bool:
    """Whether git takes the file's index entry for the file (``--assume-unchanged`` or
    ``--skip-worktree``): its comparisons with HEAD then never read the file on disk."""
    listed = run_git(top, "ls-files", "-v", "--", rel, check=False)
    tag = listed.stdout[:1] if listed.returncode == 0 else b""
    return tag == b"S" or (tag.isalpha() and tag.islower())


def head_bytes(path: Path) -> bytes | None:
    """The bytes HEAD holds for ``path`` (as git stores them); None when HEAD holds no such file,
    outside a git working tree, or when git cannot tell."""
    try:
        tree = work_tree(path.parent)
        if tree is None:
            return None
        rel = path.resolve().relative_to(tree.top.resolve()).as_posix()
        found = run_git(tree.top, "cat-file", "blob", f"HEAD:{rel}", check=False)
    except (GitError, ValueError, OSError):
        return None
    return found.stdout if found.returncode == 0 else None


def committed_when_stopped(stopped: BaseException, path: Path) -> bool | None:
    """Whether the commit of ``path`` was made when ``stopped`` (Ctrl-C, SIGTERM) ended a command
    that was committing it: as ``commit_file`` found it, or else as HEAD tells now (the signal
    came before or after ``commit_file`` ran). None when git cannot tell."""
    known = getattr(stopped, "committed", None)
    if known is not None:
        return bool(known)
    with _undisturbed():
        return held_by_head(path)


def left_in_index_when_stopped(stopped: BaseException) -> str:
    """The git command that takes the intent-to-add entry of a commit ``stopped`` cut short out of
    the index (``git rm --cached -- FILE``), when git could not do so as okrctl stopped (another git
    held the index lock); else ""."""
    return str(getattr(stopped, "left_in_index", ""))


# The signals that stop okrctl (``cli.entry``): held back while a stopped command finds out what
# its commit did and puts the index back.
_STOPPING = ("SIGINT", "SIGTERM", "SIGHUP")


@contextlib.contextmanager
def _undisturbed() -> Iterator[None]:
    """Run the block to its end whatever signal comes to okrctl: the command is stopping already,
    and the block tells what it leaves behind. A signal sent meanwhile (a second Ctrl-C,
    ``timeout``'s follow-up) is part of that same stop and is dropped, so that the line saying what
    was done is still printed. The signals are caught, not blocked or ignored: a git command or
    hook started meanwhile gets them as usual (a caught signal is reset at ``exec``), so a hook that
    hangs can still be stopped, and okrctl then says that git could not tell. Outside the main
    thread (where no handler can be set) the block runs as it is."""
    previous: dict[int, Any] = {}
    try:
        for name in _STOPPING:
            number = getattr(signal, name, None)
            if number is not None:
                previous[number] = signal.signal(number, _dropped)
    except (OSError, ValueError):
        pass
    try:
        yield
    finally:
        for number, handler in previous.items():
            with contextlib.suppress(OSError, ValueError):
                signal.signal(number, signal.SIG_DFL if handler is None else handler)


def _dropped(number: int, frame: Any) -> None:
    """A signal that comes while a stopped command puts things back: part of the same stop."""


# The first pause of a command that waits for another git to release the index lock.
_FIRST_PAUSE = 0.02
# The longest wait for the index lock to take a commit's intent-to-add entry out again: past the
# commit's own wait (``fsutil.LOCK_PATIENCE``), or once the run is stopped.
_UNDO_PATIENCE = 1.0
# Whether this run said it waits for the index lock (``commit_file`` starts each run's commit unsaid).
_index_wait_said = False


def _undo_until(deadline: float) -> float:
    """Until when taking a commit's intent-to-add entry out again waits for the index lock: the rest
    of the commit's wait (``deadline``), and a second at least."""
    return max(deadline, time.monotonic() + _UNDO_PATIENCE)


def _run_taking_index(top: Path, *args: str, until: float, say: bool = True) -> GitResult:
    """``run_git(top, *args, check=False)``, run again while another git holds the index lock: a
    commit holds it while its hooks run, so until ``until`` (``time.monotonic``; the commit's one
    wait, ``fsutil.LOCK_PATIENCE``, shared by its commands), pauses doubling to a quarter of a
    second, the wait said once on standard error after a second. Run once at least. Not offline: a
    command that writes the index runs the repository's hooks (``post-index-change``, and a
    commit's), which run as under the user's own ``git commit``. ``say`` False: the wait is never
    said (a stopped run's last line is its one line)."""
    global _index_wait_said
    started = time.monotonic()
    pause = _FIRST_PAUSE
    while True:
        result = run_git(top, *args, check=False, offline=False)
        lock = _index_lock(top, result)
        now = time.monotonic()
        waited = now - started
        if lock is None or now + pause > until:
            return result
        if say and not _index_wait_said and fsutil.worth_saying(waited):
            _index_wait_said = True
            fsutil.say_waiting(f"another git process that holds {shown_path(typed(top, lock))}")
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


# A lock file's path in git's message, in any language: git names the file it could not create.
_INDEX_LOCK = re.compile(r"[^\s'\"`‘’“”«»]*index\.lock")
# Any lock file, a ref's too (``.git/refs/heads/main.lock``, ``.git/HEAD.lock``): git names no other
# path ending so, as a ref name cannot end in ``.lock``.
_ANY_LOCK = re.compile(r"[^\s'\"`‘’“”«»]*\.lock")


def _index_lock(top: Path, result: GitResult, named: re.Pattern[str] = _INDEX_LOCK) -> str | None:
    """The index lock file that stopped git, as the user would type it (``.git/index.lock``), or None;
    ``named``: which lock files count (``_ANY_LOCK``: a ref's too).

    git gives up on a lock it cannot take with exit code 128, before running any hook; a failing
    hook ends a commit with 1, whatever it printed, and is never run twice.
    """
    if result.returncode != 128:
        return None
    found = named.search(_text(result.stderr))
    if found is None:
        return None
    try:
        return (top / found.group()).resolve().relative_to(top.resolve()).as_posix()
    except (OSError, ValueError):
        return found.group()  # outside the working tree (a linked worktree's, say): as git wrote it


def _why(top: Path, result: GitResult, output: str) -> str:
    """git's reason in one line: the lock file by name when another git holds it (the index's, or
    a ref's that a git which crashed while it committed left behind: git's last words, "remove the
    file manually to continue", name none), else git's last words (git names its lock file in other
    failures too: "index.lock write error. Out of diskspace" is a full disk, and the lock is gone
    once git stopped). A git a signal killed says nothing: the signal is its reason, and the index
    lock it leaves behind is named (every later git command would wait for it, then fail)."""
    killed = killed_by(result.returncode)
    if killed:
        return f"git was {killed}{left_behind(top)}"
    lock = _index_lock(top, result, _ANY_LOCK)
    if lock is not None and _still_there(top, lock):
        if _index_held(top, result):
            # Waited for: a commit whose hooks run long holds it, or a git that crashed left it.
            return (
                f"another git process holds {shown_path(typed(top, lock))} and kept it for "
                f"{fsutil.LOCK_PATIENCE:g} seconds (remove it only if no git command is running)"
            )
        return f"another git process holds {shown_path(typed(top, lock))} (remove it if no git command is running)"
    return _last_line(output)


def left_behind(top: Path) -> str:
    """`` and left .git/index.lock behind (…)`` when the index lock is there once a killed git
    stopped (its own, which nobody removes), else ""."""
    found = run_git(top, "rev-parse", "--git-path", "index.lock", check=False)
    lock = found.stdout.decode("utf-8", "surrogateescape").strip()
    if found.returncode != 0 or not lock or not _still_there(top, lock):
        return ""
    return f" and left {shown_path(typed(top, lock))} behind (remove it if no git command is running)"


def _index_held(top: Path, result: GitResult) -> bool:
    """Whether the index lock stopped git and is still there: ``_run_taking_index`` waited for it
    in vain, and the same command run later commits the file."""
    lock = _index_lock(top, result)
    return lock is not None and _still_there(top, lock)


def _still_there(top: Path, lock: str) -> bool:
    try:
        return (top / lock).exists() or Path(lock).exists()
    except OSError:
        return True


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").strip()


def _last_line(text: str) -> str:
    """git's reason in one line, without its advice (``hint:`` lines say how to silence a message):
    its first ``error:`` (the cause: "gpg failed to sign the data" before "fatal: failed to write
    commit object"), else its last words; a path outside a sparse checkout is said as such (git
    lists the path last). No closing full stop: the line goes on after it."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    said = [line for line in lines if not line.startswith("hint:")]
    if any("sparse-checkout" in line for line in said):
        return "the file is outside the sparse-checkout definition (git sparse-checkout add its folder)"
    errors = [line for line in said if line.startswith("error:")]
    chosen = errors[0] if errors else said[-1] if said else (lines[-1] if lines else "no message from git")
    return chosen.rstrip(".")


def typed(top: Path, rel: str) -> str:
    """``rel`` (a path from git's top, or an absolute one) as a shell takes it from the working
    folder: the OKR folder of a larger repository is not git's top (``okrs/…`` would name nothing
    from inside it), and a name with a space is quoted."""
    import shlex

    try:
        here, there = os.path.abspath(os.getcwd()), os.path.abspath(top / rel)
        inside = os.path.commonpath([here, os.path.abspath(top)]) == os.path.abspath(top)
        # From inside the repository, the way there from here; from elsewhere (``--repo``), the
        # whole path rather than a climb out of the folder the user is in.
        where = os.path.relpath(there, here) if inside or there.startswith(here + os.sep) else there
    except (OSError, ValueError):
        where = rel
    return shlex.quote(where)


def _ignored_by(top: Path, rel: str) -> str:
    """Why git will not add ``rel`` when an ignore rule covers it, or "" when none does.

    (``git check-ignore`` would name the rule but refuses literal pathspecs, which every git
    call of okrctl uses; ``ls-files`` answers the question with them.)
    """
    found = run_git(top, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", rel, check=False)
    if found.returncode != 0 or not found.stdout:
        return ""
    return f"a .gitignore or .git/info/exclude rule matches it; 'git check-ignore -v {typed(top, rel)}' names the rule"
