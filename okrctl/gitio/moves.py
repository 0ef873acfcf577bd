"""Where an okrctl folder lay in its git repository before it moved there (``Places``).

A folder moved inside a larger repository (a monorepo reorganised, an OKR repository imported into
a subfolder) keeps its history under its former paths. ``git log --relative -- PATHS`` run from the
folder sees only the current ones, so the changes made before the move would vanish. The former
folders are told by ``okrctl.yaml``, which lies at the folder's root: ``git log --follow`` follows
a single file through its renames, and each rename of ``okrctl.yaml`` names the folder it came from.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from okrctl.gitio.run import GitError, StartedGit, run_git, start_git

CONFIG_NAME = b"okrctl.yaml"  # ``load.discover.CONFIG_NAME``: the file that marks the folder's root
_STATUS_LETTERS = b"ACDMRTUXB"
# The history of one file through its renames, as ``_entries`` reads it.
_FOLLOW = ("log", "--follow", "--name-status", "--no-abbrev", "-z", "--format=%x1e%H")


@dataclass(frozen=True)
class Places:
    """The folder's path from git's top now (``here``) and its former ones, newest first
    (``before``); each ends with "/", or is empty for the top itself."""

    here: bytes
    before: tuple[bytes, ...] = ()
    # For each former folder, the commits made after the folder left it (descendants of the move):
    # a path there in one of them is some other file (another project's ``okrs/`` at the top).
    left: tuple[frozenset[str], ...] = ()
    moves: tuple[str, ...] = ()  # for each former folder, the commit that moved the folder out of it

    def pathspecs(self, paths: list[str], folder: Path) -> list[str]:
        """``paths`` (relative to the folder) under the folder and under each former one, from the
        top. "." under the top is the names the folder holds now, not the whole repository: the
        top then held the okrctl folder, since then it holds everything else too."""
        specs: list[str] = []
        for base in (self.here, *self.before):
            for relative in self._relative(base, paths, folder):
                specs.append(os.fsdecode(base + relative) if relative else os.fsdecode(base.rstrip(b"/")))
        return specs

    def relocate(self, commit: str, raw: bytes, paths: list[str], folder: Path) -> tuple[int, bytes] | None:
        """A path git printed (from the top) for ``commit`` as the folder's own path, relative to
        it, as if the folder had always been where it is: (0 here, 1 + the index of a former
        folder, the path); None for a path that lies under none of ``paths`` in any of them."""
        for rank, base in enumerate((self.here, *self.before)):
            if not raw.startswith(base) or (rank and commit in self.left[rank - 1]):
                continue
            rest = raw[len(base) :]
            for relative in self._relative(base, paths, folder):
                if not relative or rest == relative or rest.startswith(relative + b"/"):
                    return rank, rest
        return None

    def leaving(self, commit: str, rank: int) -> bool:
        """Whether ``commit`` moved the folder out of the place of ``rank`` (``relocate``): what
        lies there after it is some other file."""
        return rank > 0 and self.moves[rank - 1] == commit

    def _relative(self, base: bytes, paths: list[str], folder: Path) -> list[bytes]:
        """``paths`` as bytes ("." as empty: the whole folder), "." at the top as the names now."""
        found: list[bytes] = []
        for path in paths:
            if path not in (".", ""):
                found.append(os.fsencode(path).rstrip(b"/"))
            elif base:
                found.append(b"")
            else:
                found.extend(_names_in(folder))
        return found


def _names_in(folder: Path) -> list[bytes]:
    try:
        return sorted(os.fsencode(name) for name in os.listdir(folder) if name != ".git")
    except OSError:
        return [CONFIG_NAME]


def here_in(folder: Path, top: Path) -> bytes | None:
    """The folder's path from the work tree's top, with "/" at its end (empty at the top); None
    when the real paths do not say (the folder not found below the top)."""
    real, real_top = os.path.realpath(folder), os.path.realpath(top)
    relative = os.path.relpath(real, real_top)
    if relative == ".":
        return b""
    if relative == ".." or relative.startswith(".." + os.sep) or os.path.isabs(relative):
        return None
    return os.fsencode(relative).replace(os.fsencode(os.sep), b"/") + b"/"


class FormerPlaces:
    """``git log --follow`` of the folder's ``okrctl.yaml`` started now, read later (``result``):
    it runs while the history of the files is read. Started only for a folder below the top: one
    at the top has no former folder okrctl looks for (README, ``okrctl history``)."""

    def __init__(self, folder: Path, top: Path, *, at_top: bool = False) -> None:
        self.here = here_in(folder, top)
        self.top = Path(top)
        self.command: StartedGit | None = None
        # ``at_top``: asked for a folder at git's top as well (the base of a pull request that moved
        # the folder up there has its files where the folder was).
        if self.here is None or (not self.here and not at_top):
            return
        try:
            self.command = start_git(Path(top), *_FOLLOW, "--", os.fsdecode(self.here + CONFIG_NAME))
        except GitError:
            self.command = None

    def stop(self) -> None:
        if self.command is not None:
            self.command.stop()
            self.command = None

    def result(self) -> Places:
        """The places; without the former ones when git could not tell (it failed, or was not asked)."""
        here = self.here or b""
        if self.command is None:
            return Places(here)
        try:
            done = self.command.result()
        except OSError:
            return Places(here)
        finally:
            self.command = None
        if done.returncode != 0:
            return Places(here)
        found, output = self._followed(done.stdout, here)
        found += self._moved_with_edits(output, here, found)
        if not found:
            return Places(here)
        # Moved (rare): the commits since each move, one ``rev-list`` a move.
        left = []
        for _, commit in found:
            try:
                after = run_git(self.top, "rev-list", "--ancestry-path", f"{commit}..HEAD", check=False)
            except GitError:
                return Places(here)
            if after.returncode != 0:
                return Places(here)
            left.append(frozenset(after.stdout.decode("ascii", "replace").split()))
        return Places(here, tuple(folder for folder, _ in found), tuple(left), tuple(commit for _, commit in found))

    def _followed(self, output: bytes, here: bytes) -> tuple[list[tuple[bytes, str]], bytes]:
        """``former_folders``, each rename checked: git pairs the new ``okrctl.yaml`` with any file
        the commit deleted that reads the same, and a commit that moves the folder while it retires
        another holding an identical config may pair it with that one. Where the commit deleted
        several configs, the former place is the folder whose files it renamed here the most
        (``_most_moved_here``); git's history of that one is followed from there. Also the
        ``git log --follow`` output last read (for ``_moved_with_edits``)."""
        found: list[tuple[bytes, str]] = []
        known = {here}
        for _ in range(8):  # (at most a few moves)
            corrected: tuple[bytes, str] | None = None
            for commit, old, new in _config_renames(output):
                if old in known:
                    continue
                better = self._paired_better(commit, new, known)
                if better is not None and better != old:
                    corrected = (better, commit)
                    break
                found.append((old, commit))
                known.add(old)
            if corrected is None:
                break
            found.append(corrected)
            known.add(corrected[0])
            try:
                earlier = run_git(
                    self.top, *_FOLLOW, f"{corrected[1]}^", "--", os.fsdecode(corrected[0] + CONFIG_NAME), check=False
                )
            except GitError:
                break
            if earlier.returncode != 0:
                break
            output = earlier.stdout
        return found, output

    def _paired_better(self, commit: str, then: bytes, known: set[bytes]) -> bytes | None:
        """The folder ``commit`` moved the OKR folder ``then`` from, when it deleted several
        ``okrctl.yaml`` (None when it deleted one or none, or no rename tells them apart)."""
        configs = self._deleted_configs(commit, known)
        if configs is None or len(configs) < 2:
            return None
        chosen = self._most_moved_here(commit, configs, then)
        return chosen[0][: len(chosen[0]) - len(CONFIG_NAME)] if len(chosen) == 1 else None

    def _deleted_configs(self, commit: str, known: set[bytes]) -> list[bytes] | None:
        """The ``okrctl.yaml`` files ``commit`` deleted in folders not ``known`` (None when git
        could not tell)."""
        try:
            deleted = run_git(
                self.top,
                "diff-tree",
                "-r",
                "-z",
                "--no-commit-id",
                "--name-only",
                "--diff-filter=D",
                "--root",
                commit,
                check=False,
            )
        except GitError:
            return None
        if deleted.returncode != 0:
            return None
        return [
            path
            for path in deleted.stdout.split(b"\0")
            if path.rsplit(b"/", 1)[-1] == CONFIG_NAME and path[: len(path) - len(CONFIG_NAME)] not in known
        ]

    def _moved_with_edits(self, output: bytes, here: bytes, found: list[tuple[bytes, str]]) -> list[tuple[bytes, str]]:
        """Moves git's rename detection does not pair: ``okrctl.yaml`` edited as its folder moved
        (its comments dropped leave it below git's 50 % similarity) is added at its new place by
        the commit that deletes it at the old one. Each commit that added the file is asked which
        ``okrctl.yaml`` it deleted; exactly one is the folder's former place, and the history of
        that one is followed in turn (at most a few moves)."""
        more: list[tuple[bytes, str]] = []
        known = {here, *(folder for folder, _ in found)}
        for _ in range(4):
            adding = added_in(output)
            if adding is None:
                break
            added, added_path = adding
            # The folder the config was added to then (a later move may have taken it elsewhere).
            then = added_path[: len(added_path) - len(CONFIG_NAME)]
            configs = self._deleted_configs(added, known)
            if configs is None:
                break
            if len(configs) > 1:  # another OKR folder retired in the same commit: the one whose files came here
                configs = self._most_moved_here(added, configs, then)
            if len(configs) != 1:
                break
            folder = configs[0][: len(configs[0]) - len(CONFIG_NAME)]
            more.append((folder, added))
            known.add(folder)
            try:
                earlier = run_git(self.top, *_FOLLOW, f"{added}^", "--", os.fsdecode(configs[0]), check=False)
            except GitError:
                break
            if earlier.returncode != 0:
                break
            output = earlier.stdout
            renamed = [(old, commit) for old, commit in former_folders(output, folder) if old not in known]
            more += renamed
            known.update(old for old, _ in renamed)
        return more

    def _most_moved_here(self, commit: str, configs: list[bytes], here: bytes) -> list[bytes]:
        """Of several ``okrctl.yaml`` that ``commit`` deleted, the one whose folder's files the
        commit renamed into ``here`` the most (as git pairs them); none when no rename tells."""
        try:
            renamed = run_git(
                self.top,
                "diff-tree",
                "-r",
                "-z",
                "-M",
                "--no-commit-id",
                "--name-status",
                "--diff-filter=R",
                "--root",
                commit,
                check=False,
            )
        except GitError:
            return []
        if renamed.returncode != 0:
            return []
        return _most_renamed_into(renamed.stdout, configs, here)


def _entries(output: bytes) -> Iterator[tuple[str, bytes, list[bytes]]]:
    """The entries of ``git log --follow --name-status -z --format=%x1e%H`` output, oldest last:
    (commit, status letter, paths: the old and the new one of a rename or copy, else the one)."""
    commit = ""
    tokens = output.split(b"\0")
    i = 0
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        i += 1
        if token.startswith(b"\x1e"):
            commit = token[1:].decode("ascii", "replace")
            continue
        if not token or token[:1] not in [bytes([c]) for c in _STATUS_LETTERS]:
            continue
        width = 2 if token[:1] in (b"R", b"C") else 1
        yield commit, token[:1], tokens[i : i + width]
        i += width


def added_in(output: bytes) -> tuple[str, bytes] | None:
    """The commit that added the file a ``git log --follow --name-status -z --format=%x1e%H``
    follows (its oldest entry, when that is an add), with the path it added it at; or None."""
    last = None
    for commit, status, paths in _entries(output):
        last = (commit, paths[0]) if status == b"A" and commit and paths else None
    return last


def _config_renames(output: bytes) -> Iterator[tuple[str, bytes, bytes]]:
    """(commit, old folder, new folder) of each rename of ``okrctl.yaml`` in ``git log --follow
    --name-status -z --format=%x1e%H`` output, newest first (a rename from a file of another name
    moves no folder)."""
    for commit, status, paths in _entries(output):
        if status != b"R" or len(paths) < 2 or not commit:
            continue
        old, new = paths
        if old.rsplit(b"/", 1)[-1] != CONFIG_NAME:
            continue
        yield commit, old[: len(old) - len(CONFIG_NAME)], new[: len(new) - len(new.rsplit(b"/", 1)[-1])]


def former_folders(output: bytes, here: bytes) -> list[tuple[bytes, str]]:
    """The folders ``okrctl.yaml`` was renamed from, newest first, each with the commit that moved
    it, from ``git log --follow --name-status -z --format=%x1e%H`` of it. A rename from a file of
    another name (an old config renamed to ``okrctl.yaml``) moves no folder."""
    found: list[tuple[bytes, str]] = []
    for commit, status, paths in _entries(output):
        if status != b"R" or len(paths) < 2 or not commit:
            continue
        old = paths[0]
        name = old.rsplit(b"/", 1)[-1]
        folder = old[: len(old) - len(name)]
        known = folder == here or any(folder == seen for seen, _ in found)
        if name == CONFIG_NAME and not known:
            found.append((folder, commit))
    return found


def moved_before_commit(top: Path, base: str, here: bytes) -> bytes | None:
    """Where the okrctl folder now at ``here`` (from git's top, "/" at its end, empty for the top)
    lay at commit ``base``, when it moved there in the working tree and the move is not committed
    (``FormerPlaces`` follows commits only): the base's folder whose ``okrctl.yaml`` git's rename
    detection pairs with ``here``'s, from the base's commit to the files of the index as they are
    on disk (staged with ``git mv``, edited since or not). None when no move tells.

    Two moves rename detection does not pair are taken as ``FormerPlaces`` takes them from a
    commit: ``here``'s config staged as a new file (edited past git's 50 % similarity) while
    exactly one of the base's configs is gone; and a folder moved with a plain ``mv``, not staged
    (the index lists neither ``here``'s config nor the folder's other files), when the one config
    gone whose blob is what git would store of ``here``'s (``gitio.hashing.stored_ids``: the
    checkout's line endings, a smudge filter) is its former place. A config moved without git and
    edited tells nothing: the folder is then judged as if new. Where several configs are gone,
    the folder whose files moved into ``here`` the most is the former place, as for a commit.
    Asked only when the base holds no ``okrctl.yaml`` at ``here`` (rare): one ``ls-tree`` of the
    base, one ``diff-index`` over its configs. A base git cannot read (a tree, or a blob rename
    detection compares, missing) is no answer either way: ObjectsMissing (ObjectsNotFetched in a
    partial clone) names the object, as reading the base's folder does
    (``gitio.damage.refuse_unreadable``)."""
    from okrctl.gitio.hashing import stored_ids

    mine = here + CONFIG_NAME
    try:
        listed = run_git(top, "ls-tree", "-r", "-z", "--end-of-options", base, check=False)
    except GitError:
        return None
    if listed.returncode != 0:
        # Not "no move": git cannot read the base (a tree a damaged store or a partial clone lacks).
        # Taken for none, the moved folder had no former place, and the gate judged every finding new.
        from okrctl.gitio.damage import refuse_unreadable

        refuse_unreadable(top, base, "", listed.stderr, whole=True)
        return None
    files = _blobs_listed(listed.stdout)
    configs = [path for path in files if path != mine and (path == CONFIG_NAME or path.endswith(b"/" + CONFIG_NAME))]
    if not configs:
        return None
    # Only the configs: git pairs among the paths it is shown, so this costs what they do.
    specs = [os.fsdecode(path) for path in (mine, *configs)]
    try:
        changed = run_git(
            top,
            "diff-index",
            "-z",
            "-M",
            "--raw",
            "--no-abbrev",
            "--diff-filter=ADR",
            "--end-of-options",
            base,
            "--",
            *specs,
            check=False,
        )
    except GitError:
        return None
    if changed.returncode != 0:
        # Rename detection reads the configs' blobs: one the base names and git lacks is no "no move".
        _refuse_missing_blobs(top, base, files, configs)
        return None
    renamed_here: list[bytes] = []
    gone: dict[bytes, str] = {}  # a base config no longer on disk or in the index -> its blob
    added = False
    for status, old_oid, paths in _raw_records(changed.stdout):
        if status == b"R" and len(paths) == 2:
            gone[paths[0]] = old_oid
            if paths[1] == mine:
                renamed_here.append(paths[0])
        elif status == b"D":
            gone[paths[0]] = old_oid
        elif status == b"A" and paths[0] == mine:
            added = True
    if renamed_here or added:
        candidates = renamed_here or list(gone)
        if len(gone) > 1:  # git may pair ``here``'s config with another folder's identical one
            candidates = _most_moved_into(top, base, list(gone), here, files)
    else:
        # Not in the index: moved with a plain ``mv``, or not moved at all (the base's config gone
        # for another reason); only the same bytes tell.
        stored = stored_ids(top, [os.fsdecode(mine)]) if gone else {}
        oid = stored.get(os.fsdecode(mine))
        candidates = [path for path, blob in gone.items() if oid is not None and blob == oid]
    if len(candidates) != 1:
        return None
    return candidates[0][: len(candidates[0]) - len(CONFIG_NAME)]


def _raw_records(output: bytes) -> Iterator[tuple[bytes, str, list[bytes]]]:
    """(status letter, old blob id, paths) of each record of ``git diff-index --raw -z`` output:
    ``:mode mode oid oid status``, then the path, or the old and the new one of a rename."""
    tokens = output.split(b"\0")
    i = 0
    while i < len(tokens):
        head = tokens[i]
        i += 1
        if not head.startswith(b":"):
            continue
        fields = head.split()
        if len(fields) < 5:
            continue
        status = fields[4][:1]
        width = 2 if status in (b"R", b"C") else 1
        yield status, fields[2].decode("ascii", "replace"), tokens[i : i + width]
        i += width


def _most_moved_into(top: Path, base: str, configs: list[bytes], here: bytes, files: dict[bytes, str]) -> list[bytes]:
    """Of several ``okrctl.yaml`` gone since ``base``, the one whose folder's files git finds
    renamed into ``here`` in the working tree the most; none when no rename tells. ``files``: the
    base's blobs (``_blobs_listed``), to name one git lacks when it cannot compare."""
    folders = [config[: len(config) - len(CONFIG_NAME)] for config in configs]
    # The folders and ``here``; the whole repository when one of them is its top.
    specs = [os.fsdecode(folder.rstrip(b"/")) for folder in (here, *folders)]
    try:
        renamed = run_git(
            top,
            "diff-index",
            "-z",
            "-M",
            "--name-status",
            "--diff-filter=R",
            "--end-of-options",
            base,
            *(["--", *specs] if all(specs) else []),
            check=False,
        )
    except GitError:
        return []
    if renamed.returncode != 0:
        _refuse_missing_blobs(top, base, files, folders)
        return []
    return _most_renamed_into(renamed.stdout, configs, here)


def _blobs_listed(output: bytes) -> dict[bytes, str]:
    """path -> blob id of each file (or symbolic link) in ``git ls-tree -r -z`` output."""
    found: dict[bytes, str] = {}
    for record in output.split(b"\0"):
        head, tab, path = record.partition(b"\t")
        fields = head.split(b" ")
        if tab and len(fields) == 3 and fields[1] == b"blob":
            found[path] = fields[2].decode("ascii", "replace")
    return found


def _refuse_missing_blobs(top: Path, base: str, files: dict[bytes, str], under: list[bytes]) -> None:
    """After a ``git diff-index`` from ``base`` failed: ObjectsMissing naming a file at ``under``
    (a path, or a folder ending with "/", empty for the top) whose blob ``files`` names and the
    object store lacks, as a file of the base's folder is named when it is read; ObjectsNotFetched
    in a partial clone (git could not fetch what it lacks). Returns when no blob is missing (git
    failed for another reason: no move is told, as before)."""
    from okrctl.gitio.damage import MISSING_OBJECTS_FIX, ObjectsMissing, ObjectsNotFetched
    from okrctl.gitio.repo import PARTIAL_CLONE_FIX, partial_clone
    from okrctl.safetext import shown_path

    if partial_clone(top):
        raise ObjectsNotFetched(f"git has not fetched the files of {base[:12]}; {PARTIAL_CLONE_FIX}")
    wanted = [
        (path, oid)
        for path, oid in files.items()
        if any(path == place or (place[-1:] in (b"", b"/") and path.startswith(place)) for place in under)
    ]
    if not wanted:
        return
    checked = run_git(
        top, "cat-file", "--batch-check", input="".join(f"{oid}\n" for _, oid in wanted).encode(), check=False
    )
    absent = {
        line.split()[0] for line in checked.stdout.decode("ascii", "replace").splitlines() if line.endswith(" missing")
    }
    for path, oid in wanted:
        if oid in absent:
            raise ObjectsMissing(
                f"git cannot read {shown_path(os.fsdecode(path))} of commit {base[:12]}: its blob, git object "
                f"{oid[:12]}, is missing; {MISSING_OBJECTS_FIX}"
            )


def _most_renamed_into(output: bytes, configs: list[bytes], here: bytes) -> list[bytes]:
    """Of ``configs`` (``okrctl.yaml`` paths), the ones whose folders most files moved from into
    ``here``, as git's ``--name-status -z --diff-filter=R`` ``output`` pairs them; none when no
    rename tells. A file counts for the deepest of the folders it lay in (one may hold another)."""
    folders = [config[: len(config) - len(CONFIG_NAME)] for config in configs]
    tokens = output.split(b"\0")
    counts = dict.fromkeys(configs, 0)
    for i in range(0, len(tokens) - 2, 3):
        old, new = tokens[i + 1], tokens[i + 2]
        if not new.startswith(here):
            continue
        held = [
            (len(folder), config) for config, folder in zip(configs, folders, strict=True) if old.startswith(folder)
        ]
        if held:
            counts[max(held)[1]] += 1
    best = max(counts.values(), default=0)
    return [config for config, count in counts.items() if count == best] if best else []


_YAML_SUFFIXES = (b".yaml", b".yml")
_COMMIT_ID = re.compile(rb"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True)
class FolderPlaces:
    """Where the okrctl folder lies and lay from git's top (``top``, ``places``)."""

    top: Path
    places: Places


def folder_places(folder: Path) -> FolderPlaces | None:
    """Where ``folder`` lies and, below git's top, lay before (the ``git log --follow`` of its
    ``okrctl.yaml``, as ``file_history`` asks it, which takes the answer as its ``places``); None
    outside git or when git cannot tell. No command beyond one ``rev-parse`` for a folder at the top."""
    from okrctl.gitio.repo import work_tree

    try:
        tree = work_tree(folder)
    except GitError:
        return None
    if tree is None:
        return None
    return FolderPlaces(tree.top, FormerPlaces(folder, tree.top).result())


def yaml_renames(folder: Path, pathspecs: list[str], moved: FolderPlaces | None = None) -> list[tuple[str, str]]:
    """The renames of YAML files (path before, path after, each relative to ``folder``) made by the
    commits of HEAD's history that added a YAML file under ``pathspecs``: where an objective file
    lay before it came there, from any folder (``teams/`` to ``okrs/``), which no pathspec of
    the path it has now reaches. A merge counts with what it changed against its first parent
    (``git merge --no-commit`` then ``git mv``): the move is the merge's own.

    Two commands, whatever the length of the history: a ``git log`` of the adds under
    ``pathspecs`` (as cheap as the history's own), then git's rename detection over those commits
    alone (``git diff-tree --stdin``; a file edited as it moved is paired while half of it is the
    same). A rename detection over every commit of the repository would diff its whole tree each
    time (every check-in commit of a thousand teams). ``moved``: where the folder lies and lay
    (``folder_places``); when it lay elsewhere before, both commands run from git's top over its
    former places too, and each path is told as the folder's own, as ``file_history`` tells it (a
    rename made before the whole folder moved into a monorepo's subfolder still leads to its
    file). Git pairs a
    rename within one commit and one source only: a file copied, then its original removed in a
    later commit, or two files merged into one, is not followed. Empty when git cannot tell
    (outside git, no commit yet, git failing): the history then follows the paths as they are."""
    if moved is not None and not moved.places.before:
        moved = None  # never moved: its own paths, relative to it
    where = folder if moved is None else moved.top
    specs = pathspecs if moved is None else moved.places.pathspecs(pathspecs, folder)
    relative = ["--relative"] if moved is None else []
    try:
        added = run_git(
            where,
            "log",
            "--no-renames",  # a file renamed under the pathspecs is listed as added there, whatever diff.renames says
            # A merge's files against each parent (git's log shows none of a merge without it); the
            # rename detection below compares it with its first parent alone.
            "-m",
            "--diff-filter=A",
            "--name-only",
            *relative,
            "-z",
            "--format=%x1e%H %P",
            "--",
            *specs,
            check=False,
        )
        if added.returncode != 0:
            return []
        commits: list[bytes] = []
        line = b""
        for token in added.stdout.split(b"\0"):
            token = token.lstrip(b"\n")
            if token.startswith(b"\x1e"):
                # The commit and its first parent: a merge is compared with that one alone.
                line = b" ".join(token[1:].split(b" ")[:2])
            elif token.endswith(_YAML_SUFFIXES) and (not commits or commits[-1] != line):
                commits.append(line)
        if not commits:
            return []
        # A commit without parents (the first, or a shallow clone's cut) renames nothing: git skips it.
        renamed = run_git(
            where,
            "diff-tree",
            "--stdin",
            "-r",
            "--find-renames",
            "--diff-filter=R",
            "--name-status",
            *relative,
            "-z",
            input=b"\n".join(commits) + b"\n",
            check=False,
        )
    except GitError:
        return []
    if renamed.returncode != 0:
        return []
    tokens = renamed.stdout.split(b"\0")
    renames: list[tuple[str, str]] = []
    commit = ""
    i = 0
    # Each commit's id, then each rename as its status (``R100``) and its two paths, whatever bytes they hold.
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if token.startswith(b"R") and token[1:].isdigit() and i + 2 < len(tokens):
            old: bytes | None = tokens[i + 1]
            new: bytes | None = tokens[i + 2]
            i += 3
            if moved is not None and old is not None and new is not None:
                old, new = _placed(moved.places, commit, old), _placed(moved.places, commit, new)
            if old and new and old != new and old.endswith(_YAML_SUFFIXES) and new.endswith(_YAML_SUFFIXES):
                renames.append((os.fsdecode(old), os.fsdecode(new)))
            continue
        if _COMMIT_ID.fullmatch(token):
            commit = token.decode("ascii")
        i += 1
    return renames


def _placed(places: Places, commit: str, raw: bytes) -> bytes | None:
    """A path from git's top, in ``commit``, as the folder's own (``Places.relocate`` for a path
    under no pathspec: the path a file was renamed from); None outside the folder's places then."""
    for rank, base in enumerate((places.here, *places.before)):
        if raw.startswith(base) and not (rank and commit in places.left[rank - 1]):
            return raw[len(base) :]
    return None


def yaml_removals(folder: Path, moved: FolderPlaces | None = None) -> list[tuple[str, str]]:
    """The YAML files that commits of HEAD's history removed, anywhere in ``folder``: (path
    relative to it, blob id of the version removed). A file whose objectives
    left with it and came back in a later commit, in a new file or a file git does not pair with
    it (rewritten below its similarity), lies here only. One ``git log``; a merge counts against
    each parent, as ``yaml_renames`` reads it. ``moved``: as for ``yaml_renames``, the folder's
    former places are asked too, each path told as the folder's own. Empty when git cannot tell."""
    if moved is not None and not moved.places.before:
        moved = None
    where = folder if moved is None else moved.top
    # Pathspecs are literal (``run_git``): the whole folder, its YAML files told by their names below.
    specs = ["."] if moved is None else moved.places.pathspecs(["."], folder)
    relative = ["--relative"] if moved is None else []
    try:
        removed = run_git(
            where,
            "log",
            "--no-renames",  # a file renamed is listed as removed at its former path too
            "-m",
            "--diff-filter=D",
            "--raw",
            "--no-abbrev",
            *relative,
            "-z",
            "--format=%x1e%H",
            "--",
            *specs,
            check=False,
        )
    except GitError:
        return []
    if removed.returncode != 0:
        return []
    found: list[tuple[str, str]] = []
    commit = ""
    tokens = removed.stdout.split(b"\0")
    i = 0
    # Each commit's id, then each file as ``:MODE MODE OLD NEW D`` and its path, whatever bytes it holds.
    while i < len(tokens):
        token = tokens[i].lstrip(b"\n")
        if token.startswith(b"\x1e"):
            commit = token[1:].decode("ascii", "replace")
        elif token.startswith(b":") and i + 1 < len(tokens):
            fields = token.split(b" ")
            path = tokens[i + 1] if moved is None else _placed(moved.places, commit, tokens[i + 1])
            i += 1
            if path and path.endswith(_YAML_SUFFIXES) and len(fields) >= 3 and _COMMIT_ID.fullmatch(fields[2]):
                found.append((os.fsdecode(path), fields[2].decode("ascii")))
        i += 1
    return found
