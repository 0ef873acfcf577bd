"""A large work tree's walk, kept in the store while nothing git or the folders tell has changed.

Walking a tree of 57,000 files, a stat for each, costs Python about 0.3 s on two cores, the largest
share of a warm command at 1,000 teams. Two cheaper things tell whether a walk would still find the
same: a folder's stat changes whenever an entry is added to it, removed from it or renamed in it,
so the stats of the thousand folders tell whether any file came or went; and git keeps every
tracked file's stat in its index and checks them in C: ``git diff-files`` names each tracked file
whose stat differs from the index's (or, for a stat too close to the index's own time to tell,
whose content does). So a walk is kept with each folder's stat and git's index as they were, and
a later run takes it when git reads the same index file for the root and that file holds the very
same bytes, or, once git has written another (a commit, a pull, ``git add``, ``git status``), when
the copy of that index kept beside the walk is still the one kept (``_copy_index``: a copy with
its modification time): git then compares the files with the copy
(``GIT_INDEX_FILE``); once more files differ from it than are stat'ed again on every run, the walk
is kept anew with the index as it is now. Either way:

* a tracked file git does not name is where the walk found it, with the stat it had then;
* a tracked file git names, and every file git does not track plainly (untracked, ignored,
  assume-unchanged, skip-worktree, in a merge conflict), is stat'ed again (its stat row then
  tells, as after any walk, whether the store knows what it holds);
* a folder whose stat is not the one kept (an entry came, went or was renamed there since) is
  listed again, as a walk lists it, when few did (``MOST_LISTED_AGAIN``); its files are stat'ed
  again, and so are they on every later run (the folder's stat stays unlike the kept one). A folder
  below it come or gone, a link, a name that is not UTF-8 or another repository means a walk.

(A tracked file git names when the walk is kept stays named while that index is the one compared
with: its stat is then not the index's.) The stat rows of the kept files travel with the walk, so a run that takes
it does not read the stat table either. A walk is kept only when nothing in it needs more than a
stat (it met no link, whose target may change outside every folder it listed; no file that cannot
be read; no name that is not UTF-8), no folder changed within ``RACY_SECONDS`` before it began (a
change within the clock's granularity could go unseen, as for the stat table's rows), and the
index is the same before the walk and after git listed what it tracks. Any other answer (a git
error or message, another index file or no copy of the one kept, a folder come or gone) means a full
walk, which is kept anew: git is
asked while the walk runs, and a forked worker works out and writes the kept walk while the
command goes on. The store is trusted as the user's own (``store``); a kept walk whose data does
not parse is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from array import array
from bisect import bisect_left, bisect_right
from itertools import chain
from operator import eq, itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from okrctl.load.discover import Discovery, _Walk

if TYPE_CHECKING:
    from okrctl.gitio.run import GitResult, StartedGit
    from okrctl.load.cache import StatRow
    from okrctl.load.store import Store

# A walk is kept from this many files on: below it, asking git costs about what the walk does.
KEPT_WALK_MIN_FILES = 2000
# At most this many files git does not track (each is stat'ed again on every run).
MOST_UNTRACKED = 2000
# At most this many folders changed since the walk was kept are listed again; more mean a walk.
MOST_LISTED_AGAIN = 64
_FORMAT = 2

# Every stat field compared, whatever the user's configuration says, and no hook or cache of git's
# asked instead of the files themselves.
_CHANGED = (
    "-c",
    "core.checkStat=default",
    "-c",
    "core.trustctime=true",
    "-c",
    "core.ignoreStat=false",
    "-c",
    "core.fsmonitor=false",
    "diff-files",
    "-z",
    "--name-only",
    "--relative",
)


# The index file git reads for the root, and the top of the work tree git takes the root to lie in.
_WHERE = ("rev-parse", "--path-format=absolute", "--git-path", "index", "--show-toplevel")


def _where(root_text: str, answer: GitResult) -> str | None:
    """The index file of git's answer to ``_WHERE``, when the root lies in the work tree git names
    (a copy of a submodule's checkout reaches a repository whose work tree is elsewhere: git's
    answers are then about other files); else None."""
    lines = os.fsdecode(answer.stdout).splitlines() if answer.returncode == 0 and not answer.stderr else []
    if len(lines) != 2 or not lines[0] or not lines[1]:
        return None
    root, top = os.path.realpath(root_text), os.path.realpath(lines[1])
    if root != top and not root.startswith(top.rstrip(os.sep) + os.sep):
        return None
    return lines[0]


def index_mark(path: str) -> str | None:
    """What tells git's index file apart from any other (it holds every tracked path, blob and
    stat), or None: its size, mtime and inode, and the checksum git ends it with (a digest of the
    rest), or, where git writes none (``index.skipHash``: zeros), a digest of the whole file."""
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            if st.st_size < 64:
                return None
            handle.seek(st.st_size - 20)
            tail = handle.read(20)
            if tail == bytes(20):
                handle.seek(0)
                tail = hashlib.blake2b(handle.read(), digest_size=20).digest()
    except OSError:
        return None
    return _mark(st, tail)


def _mark(st: os.stat_result, tail: bytes) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}:{tail.hex()}"


def _mark_of_bytes(st: os.stat_result, raw: bytes) -> str | None:
    """``index_mark`` of a file read whole: ``raw``, read through a handle whose stat is ``st``."""
    if len(raw) != st.st_size or len(raw) < 64:
        return None
    tail = raw[-20:]
    return _mark(st, hashlib.blake2b(raw, digest_size=20).digest() if tail == bytes(20) else tail)


def index_copy_path(store: Store) -> str:
    """Where the store keeps git's index as it was when the walk was kept (``_copy_index``): beside
    the database, one file per repository."""
    return os.fspath(store.path.with_name(f"walk-{store.repo}.index"))


def _copy_index(index: str, mark: str, target: str) -> str | None:
    """Keep a copy of git's index file as it was when ``mark`` was taken, at ``target``, with its
    modification time (git compares a file's with it to tell a racily clean entry). Never a second
    name for the file itself: writing to it (a backup of the cache folder copied back) would write
    git's index. The mark of the copy, or None when the index is no longer the one marked or
    nothing was kept."""
    temporary = f"{target}.{os.getpid()}.tmp"
    try:
        with open(index, "rb") as source:
            st = os.fstat(source.fileno())
            raw = source.read(st.st_size + 1)
        if _mark_of_bytes(st, raw) != mark:
            return None  # git wrote another index meanwhile (or it is being written)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(raw)
        os.utime(temporary, ns=(st.st_atime_ns, st.st_mtime_ns))
        kept = index_mark(temporary)
        if kept is None:
            os.unlink(temporary)
            return None
        os.replace(temporary, target)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return None
    return kept


def _key(root_text: str, patterns: list[str]) -> str:
    return json.dumps([_FORMAT, root_text, patterns], ensure_ascii=True)


def _base(root_text: str) -> str:
    return root_text if root_text.endswith(os.sep) else root_text + os.sep


def _folder_stat(base: str, folder: str) -> list[int] | None:
    try:
        st = os.lstat(base + folder if folder else base)
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]


def _changed(command: StartedGit) -> list[str] | None:
    """The tracked files git named as changed, or None when it failed or said anything else."""
    done = command.result()
    if done.returncode != 0 or done.stderr:
        return None
    try:
        return [name for name in done.stdout.decode("utf-8").split("\0") if name]
    except UnicodeDecodeError:
        return None


class KeptFiles:
    """A walk that may be kept: its files' relative paths and stats (mode, size, mtime, ctime,
    inode, device: six numbers each), and what tells whether it still holds (``head``)."""

    def __init__(self, head: dict[str, object], rels: list[str], numbers: list[int]) -> None:
        self.head = head
        self.rels = rels
        self.numbers = numbers

    def keep(self, store: Store, stat_rows: dict[str, StatRow]) -> None:
        """Keep the walk, with each file's stat row as this run ends with it (when it is the row of
        the kept stat), written by a worker while the command goes on."""
        store.keep_walk(lambda: self.encoded(stat_rows))

    def encoded(self, stat_rows: dict[str, StatRow]) -> tuple[str, bytes] | None:
        """The head and data the store keeps (``kept_discover`` reads them), None when a name or a
        summary holds a NUL (the parts could not be told apart)."""
        numbers = self.numbers
        stats = zip(numbers[1::6], numbers[2::6], numbers[3::6], numbers[4::6], numbers[5::6], strict=True)
        rows = [
            row if row is not None and row[:5] == stat else None
            for row, stat in zip(map(stat_rows.get, self.rels), stats, strict=True)
        ]
        digests = ["" if row is None else row[5] for row in rows]
        summaries = ["-" if row is None or row[6] is None else "+" + row[6] for row in rows]
        texts = ["\0".join(self.rels), "\0".join(digests), "\0".join(summaries)]
        if sum(text.count("\0") for text in texts) != 3 * max(len(self.rels) - 1, 0):
            return None
        parts = [text.encode("utf-8", "surrogatepass") for text in texts]
        parts.append(array("q", numbers).tobytes())
        data = b"".join(len(part).to_bytes(8, "little") + part for part in parts)
        return json.dumps(self.head, ensure_ascii=True), data


class Keeping:
    """A walk to keep, started before it runs (``start``), kept once it is done (``keep_later``)."""

    def __init__(
        self, root: Path, index: str, mark: str | None, started: list[StartedGit], begun: float | None = None
    ) -> None:
        self.root = root
        self.index = index
        self.mark = mark  # None: git was asked which index it reads; only that is kept this time
        self.started = started
        # When the walk began (its first folder listed): a folder changed since, or shortly before,
        # may hold an entry the walk did not see.
        self.begun = time.time() if begun is None else begun

    @classmethod
    def start(
        cls, root: Path, index: str | None = None, mark: str | None = None, *, begun: float | None = None
    ) -> Keeping | None:
        """Ask git what it tracks, while the walk runs; None outside git. ``index`` and ``mark``:
        the index file git read for the root when the last walk was kept, and its mark taken before
        this walk began (git is asked meanwhile whether it still reads that one); ``begun``: when the
        walk began (``time.time()``, before its first folder was listed). Without them git
        is asked which index it reads, and only that is kept: the next run marks it before its walk
        (a file the walk stats before the mark could be staged unseen meanwhile)."""
        from okrctl.gitio.run import GitError, run_git, start_git

        if index is None or mark is None:
            try:
                where = run_git(root, *_WHERE, check=False)
            except GitError:
                return None
            found = _where(os.fspath(root), where)
            return cls(root, found, None, []) if found else None
        started: list[StartedGit] = []
        try:
            for args in (("ls-files", "-z", "-v"), _WHERE):
                started.append(start_git(root, *args))
        except GitError:
            for command in started:
                command.stop()
            return None
        return cls(root, index, mark, started, begun)

    def stop(self) -> None:
        for command in self.started:
            command.stop()

    def keep_later(self, store: Store, found: Discovery, patterns: list[str], stat_rows: dict[str, StatRow]) -> None:
        """Keep ``found`` (the walk just made) with ``stat_rows``, when git's answers and the folders
        allow it: git's answers are taken here (it has long answered), the rest is worked out and
        written by a forked worker while the command goes on."""
        answers = [command.result() for command in self.started]
        self.started = []
        mark = index_mark(self.index)
        key = _key(os.fspath(self.root), patterns)

        def made() -> tuple[str, bytes] | None:
            if self.mark is not None:
                now = _where(os.fspath(self.root), answers[1])
                if now == self.index:
                    kept = self._files(answers, mark, found, patterns)
                    if kept is None:
                        return None
                    # git's index as it is now, kept beside the walk: once git has written another,
                    # a run still asks git what changed since then (``kept_discover``).
                    copied = _copy_index(self.index, self.mark, index_copy_path(store))
                    if copied is not None:
                        kept.head["copy"] = copied
                    return kept.encoded(stat_rows)
                if now is None:
                    return None
                self.index = now  # git reads another index for the root now: that one is kept
            return json.dumps({"key": key, "index": self.index, "pending": True}, ensure_ascii=True), b""

        store.keep_walk(made)

    def _files(
        self, answers: list[GitResult], mark: str | None, found: Discovery, patterns: list[str]
    ) -> KeptFiles | None:
        """``found`` as a walk to keep (``keep_later``), or None."""
        from okrctl.load.cache import RACY_SECONDS

        if any(answer.returncode != 0 or answer.stderr for answer in answers):
            return None
        if mark != self.mark:
            return None  # the index changed meanwhile
        if found.links:
            return None  # a link's target may come, go or change behind its folder's back
        files = found.files
        rels = [source[0] for source in files]
        infos = [source[3] for source in files]
        root_text = os.fspath(self.root)
        base = _base(root_text)
        if (
            None in infos
            or any(map(itemgetter(2), files))  # a link
            or any(map(itemgetter(4), files))  # a name that is not UTF-8
            or not all(map(eq, map(itemgetter(1), files), map(base.__add__, rels)))
            or not all(map(stat.S_ISREG, map(itemgetter(0), infos)))  # type: ignore[arg-type]
        ):
            return None
        # Files git tracks plainly: its index lists their very path as a cached entry ("H "). Every
        # other file is stat'ed again on every run: untracked or ignored, in a folder git does not
        # track (a repository around the root that has not committed it, a submodule's folder
        # without its repository), assume-unchanged, skip-worktree, in a merge conflict, or told
        # apart from a tracked one by case alone where git ignores case.
        records = answers[0].stdout.decode("utf-8", "surrogateescape").split("\0")
        plain = {record[2:] for record in records if record.startswith("H ")}
        untracked = [at for at, rel in enumerate(rels) if rel not in plain]
        if len(untracked) > MOST_UNTRACKED:
            return None
        # A folder changed shortly before the walk began, or since: an entry added in the same tick
        # of the clock as the folder's stat could go unseen.
        settled = (self.begun - RACY_SECONDS) * 1e9
        folders: list[list[object]] = []
        for folder in found.listed:
            numbers_of = _folder_stat(base, folder)
            if numbers_of is None or max(numbers_of[0], numbers_of[1]) >= settled:
                return None
            folders.append([folder, *numbers_of])
        head: dict[str, object] = {
            "key": _key(root_text, patterns),
            "index": self.index,
            "mark": self.mark,
            "others": found.other_files,
            "folders": folders,
            "untracked": untracked,
        }
        return KeptFiles(head, rels, list(chain.from_iterable(infos)))  # type: ignore[arg-type]


class Kept(NamedTuple):
    """What a kept walk answers: the files, the stat rows it holds for them, the walk to keep again
    with this run's rows, and the files stat'ed again (their rows are the stat table's); when git's
    index changed since the walk was kept, the walk to keep anew with the index as it is now."""

    found: Discovery
    rows: dict[str, StatRow]
    files: KeptFiles
    again: list[str]
    keeping: Keeping | None = None


def _parts(data: bytes, count: int) -> list[bytes]:
    """``count`` parts, each after its length (8 bytes); ValueError when the data is not that."""
    parts: list[bytes] = []
    at = 0
    for _ in range(count):
        size = int.from_bytes(data[at : at + 8], "little")
        if len(data) < at + 8 + size:
            raise ValueError("kept walk cut short")
        parts.append(data[at + 8 : at + 8 + size])
        at += 8 + size
    if at != len(data):
        raise ValueError("kept walk too long")
    return parts


def kept_discover(
    root: Path, patterns: list[str], store: Store, *, keep_anew: bool = True
) -> tuple[Kept | None, str | None]:
    """The files ``discover`` would find, from the walk the store keeps (None when it cannot answer:
    ``discover`` must walk), and the index file git read for the root when it was kept (for
    ``Keeping.start``). When git's index changed since, git compares the files with its copy kept
    beside the walk, and (``keep_anew``) the walk is kept anew with the index as it is now once
    many files differ from the copy."""
    from okrctl.gitio.run import GitError, start_git

    text = store.kept_walk("head")
    if not isinstance(text, str):
        return None, None
    root_text = os.fspath(root)
    base = _base(root_text)
    try:
        head = json.loads(text)
        if not isinstance(head, dict) or head.get("key") != _key(root_text, patterns):
            return None, None
        index = str(head["index"])
        if head.get("pending") is True:
            return None, index  # (only the index file: the next walk is marked before it begins)
        mark = str(head["mark"])
        others = [str(rel) for rel in head["others"]]
        folders = [(str(folder), [int(n) for n in numbers]) for folder, *numbers in head["folders"]]
        untracked = [int(at) for at in head["untracked"]]
        copied = head.get("copy")
    except (ValueError, TypeError, KeyError):
        return None, None
    begun = time.time()  # (before any folder's stat is taken: ``Keeping._files``)
    live = index_mark(index)
    # The index git's answers are about: its own when it is the one marked with the walk, else the
    # copy kept with the walk (a commit, a pull, ``git add`` or ``git status`` wrote a new one).
    # Either tells of each tracked file whether its stat is the one it had when the walk was kept.
    copy: str | None = None
    if live != mark:
        copy = index_copy_path(store)
        if live is None or not isinstance(copied, str) or index_mark(copy) != copied:
            return None, index
    # A folder whose stat changed had an entry added, removed or renamed: it is listed again below
    # (a few of them; more, or a folder that came or went, means a walk).
    moved = [folder for folder, numbers in folders if _folder_stat(base, folder) != numbers]
    if len(moved) > MOST_LISTED_AGAIN:
        return None, index
    data = store.kept_walk("data", text)
    if not isinstance(data, bytes):
        return None, index
    asked: list[StartedGit] = []
    try:
        # What changed, and which index git reads for the root now (a repository made between the
        # root and the one the walk was kept in has an index of its own).
        asked.append(start_git(root, *_CHANGED, index_file=copy))
        asked.append(start_git(root, *_WHERE))
    except GitError:
        for command in asked:
            command.stop()
        return None, index
    answered = False
    try:
        try:
            parts = _parts(data, 4)
            rels = parts[0].decode("utf-8", "surrogatepass").split("\0")
            digests = parts[1].decode("ascii").split("\0")
            summaries = parts[2].decode("utf-8", "surrogatepass").split("\0")
            packed = array("q")
            packed.frombytes(parts[3])
        except (ValueError, UnicodeDecodeError):
            return None, index
        count = len(rels)
        if len(digests) != count or len(summaries) != count or len(packed) != 6 * count:
            return None, index
        if any(not 0 <= at < count for at in untracked):
            return None, index
        stats: list[int] = packed.tolist()
        told = [summary[1:] if summary[:1] == "+" else None for summary in summaries]
        # (mode, size, mtime, ctime, inode, device) -> (size, mtime, ctime, inode, device, digest, summary)
        columns = (stats[1::6], stats[2::6], stats[3::6], stats[4::6], stats[5::6], digests, told)
        rows: dict[str, StatRow] = dict(zip(rels, zip(*columns, strict=True), strict=True))
        if "" in digests:  # a file the run that kept the walk did not record (it had just changed)
            for rel, file_digest in zip(rels, digests, strict=True):
                if not file_digest:
                    del rows[rel]
        if moved:
            # (a folder of more files than are stat'ed again on every run is not listed first)
            if len(untracked) + sum(_files_in(rels, folder) for folder in moved) > MOST_UNTRACKED:
                return None, index
            relisted = _list_again(root_text, patterns, moved, [folder for folder, _ in folders])
            if relisted is None:
                return None, index
            rels, stats, rows, others, untracked = _with_listed_again(
                relisted, moved, rels, stats, rows, others, untracked
            )
            if len(untracked) > MOST_UNTRACKED:
                return None, index
            head = {**head, "others": others, "untracked": untracked}
        answered, changed = True, _changed(asked[0])
        where = asked[1].result()
    finally:
        if not answered:
            for command in asked:
                command.stop()  # (never after its answer: its process group may be another's by then)
    if _where(root_text, where) != index:
        return None, None  # (git is asked again which index it reads, before the walk is kept anew)
    if changed is None or (index_mark(index) != mark if copy is None else index_mark(copy) != copied):
        return None, index
    position = {rel: at for at, rel in enumerate(rels)} if changed else {}
    looked = [*untracked, *(position[rel] for rel in changed if rel in position)]
    again: list[str] = []
    for at in sorted(set(looked)) if moved else looked:
        rel = rels[at]
        again.append(rel)
        try:
            st = os.lstat(base + rel)
        except OSError:
            return None, index
        if not stat.S_ISREG(st.st_mode):
            return None, index
        now = [st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev]
        if now != stats[6 * at : 6 * at + 6]:
            stats[6 * at : 6 * at + 6] = now
            rows.pop(rel, None)
    walk = _Walk(root_text, patterns)
    walk.take("\0".join(rels), stats, [], others, [folder for folder, _ in folders])
    # The copy answers as long as it is there (a file changed since it was kept is named, and
    # stat'ed again, on every run): the walk is kept anew with git's index as it is now (marked
    # before git was asked: a file staged since means it is not kept) only once more files are
    # stat'ed again than a run should (a checkout of another branch), as a walk would keep it.
    restat = copy is not None and len(again) > MOST_UNTRACKED
    anew = Keeping.start(root, index, live, begun=begun) if restat and keep_anew else None
    return Kept(walk.found(), rows, KeptFiles(head, rels, stats), again, anew), index


def _parent(rel: str) -> str:
    """The folder a file is in, as a walk lists it (relative, with a trailing "/"; the root "")."""
    return rel[: rel.rfind("/") + 1]


def _span(rels: list[str], folder: str) -> tuple[int, int]:
    """Where the files below ``folder`` lie in the sorted ``rels``: together, from the folder's name
    ("a/") up to the first name past it ("a0": "0" follows "/")."""
    if not folder:
        return 0, len(rels)
    lo = bisect_left(rels, folder)
    return lo, bisect_left(rels, folder[:-1] + "0", lo)


def _files_in(rels: list[str], folder: str) -> int:
    """How many of the sorted ``rels`` lie in ``folder`` itself (not below it)."""
    lo, hi = _span(rels, folder)
    start = len(folder)
    return sum(1 for at in range(lo, hi) if rels[at].find("/", start) == -1)


def _list_again(root_text: str, patterns: list[str], moved: list[str], listed: list[str]) -> Discovery | None:
    """What is in the folders ``moved`` (not below them), listed as a walk lists them; None when
    only a walk may judge it: a folder gone, or a folder below one of them come or gone, a link, a
    name that is not UTF-8, a file that is not regular or cannot be stat'ed, another repository."""
    walk = _Walk(root_text, patterns)
    base = _base(root_text)
    below = walk.run([(base + folder if folder else root_text, folder, False) for folder in moved], depth=1)
    if walk.links or sorted(walk.listed) != sorted(moved) or any(rel.endswith("/") for rel in walk.others):
        return None
    around = set(moved)
    if {prefix for _path, prefix, _bad in below} != {
        folder for folder in listed if folder and _parent(folder[:-1]) in around
    }:
        return None
    for rel, path, link, info, bad in walk.files:
        if link or bad or info is None or not stat.S_ISREG(info[0]) or path != base + rel:
            return None
    return walk.found()


def _with_listed_again(
    relisted: Discovery,
    moved: list[str],
    rels: list[str],
    stats: list[int],
    rows: dict[str, StatRow],
    others: list[str],
    untracked: list[int],
) -> tuple[list[str], list[int], dict[str, StatRow], list[str], list[int]]:
    """The kept walk's files (sorted), stats, rows, other files and files stat'ed again on every
    run, with what is in the folders listed again instead of what was. Those files are stat'ed again
    on every run (their folder's stat stays unlike the kept one, so it is listed again each time);
    one whose stat is not the kept one has no row from the kept walk (the stat table's is taken, as
    after a walk, and the walk is kept anew with it once)."""
    around = set(moved)
    restated = [rels[at] for at in untracked]
    spans: list[list[int]] = []
    for folder in sorted(moved):
        lo, hi = _span(rels, folder)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    incoming = sorted((source.rel, list(source.stat or ())) for source in relisted.files)
    incoming_rels = [rel for rel, _ in incoming]
    now = dict(incoming)
    new_rels: list[str] = []
    new_stats: list[int] = []
    done = 0
    for lo, hi in spans:
        new_rels += rels[done:lo]
        new_stats += stats[6 * done : 6 * lo]
        # A file listed again sorts within its folder's span of the old list: after the file before
        # the span, before the one after it (neither of which it can be).
        first = bisect_right(incoming_rels, rels[lo - 1]) if lo > 0 else 0
        last = bisect_right(incoming_rels, rels[hi]) if hi < len(rels) else len(incoming)
        block = [(rels[at], stats[6 * at : 6 * at + 6]) for at in range(lo, hi) if _parent(rels[at]) not in around]
        for at in range(lo, hi):
            rel = rels[at]
            if _parent(rel) in around and now.get(rel) != stats[6 * at : 6 * at + 6]:
                rows.pop(rel, None)  # (a file with its kept stat keeps its row: no reason to keep the walk anew)
        block += incoming[first:last]
        block.sort(key=itemgetter(0))
        new_rels += [rel for rel, _ in block]
        new_stats += chain.from_iterable(numbers for _, numbers in block)
        done = hi
    new_rels += rels[done:]
    new_stats += stats[6 * done :]
    new_others = sorted([rel for rel in others if _parent(rel) not in around] + relisted.other_files)
    count = len(new_rels)
    positions = {(bisect_left(new_rels, rel), rel) for rel in chain(restated, incoming_rels)}
    new_untracked = sorted({at for at, rel in positions if at < count and new_rels[at] == rel})
    return new_rels, new_stats, rows, new_others, new_untracked
