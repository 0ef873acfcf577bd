"""Find the repository root and the files that belong to it."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import eq, itemgetter
from pathlib import Path
from typing import NamedTuple

from okrctl.errors import RepoNotFoundError
from okrctl.load.links import link_problem

CONFIG_NAME = "okrctl.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


def find_root(
    start: Path | None = None, override: str | os.PathLike[str] | None = None, *, named: str = "--repo"
) -> Path:
    """``--repo`` / ``OKRCTL_REPO`` when given, else walk up from ``start`` to ``okrctl.yaml``.

    ``named``: where ``override`` came from, as the user set it (``--repo`` or ``OKRCTL_REPO``).
    An ``okrctl.yaml`` that is no regular file (a folder, a pipe, a device) is named as such, not
    taken for a missing one. Paths are escaped: a newline or an escape sequence stays one line."""
    from okrctl.safetext import shown_path

    if override:
        root = Path(override).expanduser()
        shown = shown_path(os.fspath(override))
        if not root.exists():
            raise RepoNotFoundError(f"{named}: no such folder: {shown}")
        if not root.is_dir():
            raise RepoNotFoundError(f"{named}: {shown} is not a folder")
        _no_odd_config(root)
        if not (root / CONFIG_NAME).is_file():
            _not_a_git_directory(root, named)
            # Never treat an arbitrary folder (/usr, a sub-folder of the repository) as one.
            raise RepoNotFoundError(
                f"no {CONFIG_NAME} in {shown_path(os.fspath(root))}; pass the folder that holds it, or run 'okrctl init'"
            )
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    found = enclosing_root(here)
    if found is None:
        _not_a_git_directory(here, None)
        raise RepoNotFoundError(
            f"no {CONFIG_NAME} in {shown_path(os.fspath(here))} or any parent folder; run 'okrctl init' or pass --repo PATH"
        )
    return found


def _not_a_git_directory(folder: Path, named: str | None) -> None:
    """RepoNotFoundError saying so when a folder without ``okrctl.yaml`` is (or lies in) a bare git
    repository or a ``.git`` folder: "run 'okrctl init'" there would write into git's own files; or
    when a sparse checkout leaves out the ``okrctl.yaml`` git tracks there or above (init would
    write another one over it)."""
    from okrctl.gitio.repo import git_directory_words

    said = git_directory_words(folder) or config_left_out(folder)
    if said is not None:
        raise RepoNotFoundError(f"{named}: {said}" if named else said)


def config_left_out(folder: Path) -> str | None:
    """Why there is no ``okrctl.yaml`` in ``folder`` or above when a sparse checkout leaves out one
    git tracks (with the fix); None otherwise. Asks git only in a sparse checkout."""
    from okrctl.gitio.repo import sparse_left_out
    from okrctl.safetext import command_word, shown_path

    here = Path(os.path.abspath(folder))
    for candidate in (here, *here.parents):
        found = sparse_left_out(candidate)
        if found is not None:
            top, names = found
            prefix = os.path.relpath(candidate, top).replace(os.sep, "/")
            wanted = CONFIG_NAME if prefix == "." else f"{prefix}/{CONFIG_NAME}"
            if wanted in names:
                return (
                    f"{shown_path(os.fspath(candidate / CONFIG_NAME))} is left out of this sparse checkout (git tracks "
                    "it): run 'git sparse-checkout disable', or include it "
                    f"('git sparse-checkout add {command_word('/' + wanted)}')"
                )
        if os.path.lexists(candidate / ".git"):
            return None
    return None


def enclosing_root(start: Path | None = None) -> Path | None:
    """The first folder from ``start`` (the current one) upwards that holds ``okrctl.yaml``; None
    outside every repository. An ``okrctl.yaml`` that is no regular file raises, as in ``find_root``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        _no_odd_config(folder)
        if (folder / CONFIG_NAME).is_file():
            return folder
    return None


def _no_odd_config(folder: Path) -> None:
    """RepoNotFoundError when ``folder`` holds an ``okrctl.yaml`` that is no regular file."""
    import stat

    from okrctl.safetext import shown_path

    config = folder / CONFIG_NAME
    try:
        mode = config.stat().st_mode
    except FileNotFoundError:
        if config.is_symlink():
            raise RepoNotFoundError(
                f"{shown_path(os.fspath(config))}: a symbolic link to nothing; okrctl reads its config from a file"
            ) from None
        return
    except OSError as exc:
        raise RepoNotFoundError(f"{shown_path(os.fspath(config))}: cannot be read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe, device or socket)"
        raise RepoNotFoundError(f"{shown_path(os.fspath(config))}: {what}; okrctl reads its config from a file")


class FileStat(NamedTuple):
    """What the scan needs of a file's lstat (an ``os.stat_result`` holds far more, per file)."""

    st_mode: int
    st_size: int
    st_mtime_ns: int
    st_ctime_ns: int
    st_ino: int
    st_dev: int


class SourceFile(NamedTuple):
    """One YAML file found under the root (a tuple: tens of thousands are made per run)."""

    rel: str  # posix path relative to the root
    path: str  # absolute path as text (tens of thousands of these: no pathlib objects)
    # A symlink that is not read: why (``links.link_problem``: it leaves the repository, or leads
    # where the walk never reads); "" for every other file.
    link_problem: str = ""
    # lstat of a regular file, taken while walking (relative to its folder: cheaper than by path);
    # None when it failed, or was not asked for (``discover``'s ``large``)
    stat: FileStat | None = None
    bad_name: bool = False  # the path is not valid UTF-8: ``rel`` shows it with \x escapes, never read


BAD_NAME_MESSAGE = "file name is not valid UTF-8 (shown here with \\x escapes); the file is not read"
BAD_NAME_HINT = "rename it with a UTF-8 name (git, CI annotations and reports can only name UTF-8 paths)"


def shown_name(name: str) -> tuple[str, bool]:
    """A file name as text every output can carry, and whether it had to be changed.

    The operating system may hand over names that are not UTF-8 (their bytes kept as surrogate
    escapes): such a name cannot be written to a terminal, a JSON or XML report, a cache or a git
    pathspec, so it is shown with ``\\xNN`` escapes instead (and its file is not read).
    """
    if name.isascii():
        return name, False
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace"), True
    return name, False


@dataclass
class Discovery:
    files: list[SourceFile]
    other_files: list[str]  # not YAML: counted and mentioned, never read
    listed: list[str] = field(default_factory=list)  # the folders a walk listed (``_Walk.listed``)
    links: int = 0  # the symbolic links it met (``_Walk.links``)


def _excluded(rel: str, patterns: list[str]) -> bool:
    if rel == CONFIG_NAME:
        return False  # the config at the root is always read: a glob such as "*.yaml" cannot hide it
    return any(fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel + "/", pattern) for pattern in patterns)


def _followed(test: Callable[[], bool]) -> bool:
    """``DirEntry.is_dir`` / ``is_file`` of a link, False when the link cannot be followed (a loop
    of links raises, where a link to nothing answers False)."""
    try:
        return test()
    except OSError:
        return False


# A tree with at least this many folders below its first two levels is walked by two processes
# (``OKRCTL_JOBS=1`` keeps it to one): a stat costs about as much as everything else done per file.
SHARED_WALK_MIN_FOLDERS = 64

_Folder = tuple[str, str, bool]  # the folder as the system names it, its relative path + "/", bad name
# What a walk found, as ``_Walk.plain`` hands it to another process.
_Plain = tuple[str, list[int], list[tuple[object, ...]], list[str], list[str], int]


def discover(
    root: Path,
    exclude: list[str] | None = None,
    *,
    jobs: int = 1,
    meanwhile: Callable[[], object] | None = None,
    large: Callable[[], bool] | None = None,
) -> Discovery:
    """Every YAML file under ``root``, skipping hidden folders, folders of another repository (a
    submodule: a folder below the root that holds a ``.git``) and ``exclude`` globs, sorted.

    Walks with ``os.scandir`` on an open folder, whose entries know their type without an extra
    system call and are stat'ed relative to the folder (the scan needs every file's stat). With
    ``jobs`` > 1 and a large tree, the folders below the first two levels are shared with a
    forked process (``forked.meanwhile``), which sends its files back; the result is the same
    either way. ``meanwhile``
    (the caller's own work, such as reading the stat table) is run once, while that process walks:
    it then takes three folders in five. ``large`` is run first when the tree is large enough to
    share the walk, before the worker starts; when it answers True (the caller learns otherwise
    which files are unchanged: git's index), the regular files found below the first two levels
    are not stat'ed (``SourceFile.stat`` None, their type known from the folder listing), and
    this process walks them alone: without a stat per file, a second process would not pay.
    """
    walk = _Walk(os.fspath(root), list(exclude or []))
    rest = walk.run([(walk.root_text, "", False)], depth=2 if jobs > 1 else None)
    if len(rest) < SHARED_WALK_MIN_FOLDERS or (large is not None and large()):
        walk.stats = len(rest) < SHARED_WALK_MIN_FOLDERS
        if meanwhile is not None:
            meanwhile()
        walk.run(rest)
    else:
        from okrctl.forked import meanwhile as in_a_worker

        theirs = [folder for number, folder in enumerate(rest) if number % 5 < 3]
        mine = [folder for number, folder in enumerate(rest) if number % 5 >= 3]

        def walk_theirs() -> _Plain:
            other = _Walk(walk.root_text, walk.patterns)
            other.run(theirs)
            return other.plain()

        def walk_mine() -> None:
            if meanwhile is not None:
                meanwhile()
            walk.run(mine)

        found, _ = in_a_worker(walk_theirs, walk_mine)
        walk.take(*found)
    return walk.found()


# A folder is listed through a descriptor where the system can (its entries are then looked at
# relative to it); Windows lists by path only (``os.open`` refuses a folder there, and
# ``os.scandir`` takes no descriptor).
BY_HANDLE = os.scandir in os.supports_fd


def _close(handle: int | None) -> None:
    if handle is not None:
        os.close(handle)


class _Walk:
    """The files and other files found so far, and how to walk a folder."""

    def __init__(self, root_text: str, patterns: list[str]) -> None:
        self.root_text = root_text
        self.patterns = patterns
        self.files: list[SourceFile] = []
        self.others: list[str] = []
        self.stats = True  # False: regular files are found without their lstat
        self.listed: list[str] = []  # the folders listed (relative, with a trailing "/"; the root "")
        self.links = 0  # symbolic links met (each, whatever it leads to: ``keptwalk`` keeps no such walk)

    def run(self, folders: list[_Folder], depth: int | None = None) -> list[_Folder]:
        """Walk ``folders`` and everything below them; with ``depth``, only that many levels down:
        the folders below are returned, not walked."""
        patterns, files, others = self.patterns, self.files, self.others
        with_stats, listed = self.stats, self.listed
        pending = [(folder, 0) for folder in reversed(folders)]
        left: list[_Folder] = []
        while pending:
            (folder, prefix, bad_folder), level = pending.pop()
            if depth is not None and level >= depth:
                left.append((folder, prefix, bad_folder))
                continue
            handle: int | None = None
            try:
                if BY_HANDLE:
                    handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                with os.scandir(folder if handle is None else handle) as entries:
                    listing = list(entries)
            except (FileNotFoundError, NotADirectoryError):
                _close(handle)
                continue  # gone, or replaced, while the walk went on
            except OSError:
                _close(handle)
                # Unreadable: listed as a source under its own name, for the load to report (OKR100).
                self._unlisted(folder, prefix, bad_folder)
                continue
            listed.append(prefix)
            base = folder if folder.endswith(os.sep) else folder + os.sep
            if prefix and any(entry.name == ".git" for entry in listing):
                # Another repository's work tree (a submodule, a clone inside this one): its files are
                # not this repository's, and git holds none of them in its commits (a submodule is one
                # entry, a commit id), so a baseline or the other side of a diff could never see them.
                # Not skipped silently: listed with the files not read, as ``sub/``.
                _close(handle)
                others.append(prefix)
                continue
            for entry in listing:
                name = entry.name
                if name.startswith("."):
                    continue
                path = base + name  # the name as the system gave it; ``rel`` is the one shown
                if name.isascii():
                    bad = bad_folder
                else:
                    name, bad = shown_name(name)
                    bad = bad or bad_folder
                rel = prefix + name
                if patterns and _excluded(rel, patterns):
                    continue
                if entry.is_symlink():
                    self.links += 1
                    # Links are never walked (they could loop); a link that leaves the repository is
                    # reported, and one to a file is read only where the walk itself would read it.
                    linked = os.path.relpath(path, self.root_text)
                    if _followed(entry.is_dir):
                        problem = link_problem(self.root_text, linked, folder=True)
                        if problem:
                            files.append(SourceFile(rel, path, link_problem=problem))
                        continue
                    if name.endswith(YAML_SUFFIXES):
                        problem = link_problem(self.root_text, linked)
                        files.append(SourceFile(rel, path, link_problem=problem, bad_name=bad))
                    elif _followed(entry.is_file):
                        others.append(rel)
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if not (patterns and _excluded(rel + "/", patterns)):
                        pending.append(((path, rel + "/", bad), level + 1))
                elif name.endswith(YAML_SUFFIXES):
                    if not with_stats and entry.is_file(follow_symlinks=False):
                        files.append(SourceFile(rel, path, bad_name=bad))  # a regular file, not stat'ed
                        continue
                    try:
                        st = entry.stat(follow_symlinks=False)
                        info: FileStat | None = FileStat(
                            st.st_mode, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev
                        )
                    except OSError:
                        info = None
                    files.append(SourceFile(rel, path, stat=info, bad_name=bad))
                else:
                    others.append(rel)
            _close(handle)
        return left

    def found(self) -> Discovery:
        """What the walk found, sorted."""
        files = self.files
        files.sort(key=itemgetter(0))  # by rel
        rels = [source[0] for source in files]
        if any(map(eq, rels, rels[1:])):  # two odd names shown alike: then by path as well
            files.sort(key=itemgetter(0, 1))
        self.others.sort()
        self.listed.sort()
        return Discovery(files, self.others, self.listed, self.links)

    def _unlisted(self, folder: str, prefix: str, bad_folder: bool) -> None:
        """A folder that cannot be listed, as a source named after it (the load reports it). The
        root is named ``./``; its config is still found by its path, so what can be read is."""
        self.files.append(SourceFile(prefix or "./", folder, bad_name=bad_folder))
        if not prefix:
            config = os.path.join(folder, CONFIG_NAME)
            if os.path.isfile(config):
                self.files.append(SourceFile(CONFIG_NAME, config))

    def plain(self) -> _Plain:
        """What was found, as plain values a pipe carries quickly: the common files (a regular file
        with a stat, whose path is the root's and its relative path) as their relative paths joined
        with NUL and their stats one after another; the others whole; the other files."""
        base = self.root_text if self.root_text.endswith(os.sep) else self.root_text + os.sep
        rels: list[str] = []
        stats: list[int] = []
        odd: list[tuple[object, ...]] = []
        for rel, path, link, info, bad in self.files:
            if info is not None and not link and not bad and path == base + rel and "\0" not in rel:
                rels.append(rel)
                stats.extend(info)
            else:
                odd.append((rel, path, link, tuple(info) if info else None, bad))
        return "\0".join(rels), stats, odd, self.others, self.listed, self.links

    def take(
        self,
        joined: str,
        stats: list[int],
        odd: list[tuple[object, ...]],
        others: list[str],
        listed: list[str],
        links: int = 0,
    ) -> None:
        """Add what another walk found (``plain``)."""
        base = self.root_text if self.root_text.endswith(os.sep) else self.root_text + os.sep
        files = self.files
        new = tuple.__new__
        for number, rel in enumerate(joined.split("\0") if joined else ()):
            at = number * 6
            files.append(new(SourceFile, (rel, base + rel, "", new(FileStat, stats[at : at + 6]), False)))
        for odd_rel, path, link, info, bad in odd:
            stat = FileStat(*info) if isinstance(info, tuple) else None
            files.append(SourceFile(f"{odd_rel}", f"{path}", f"{link}", stat, bool(bad)))
        self.others.extend(others)
        self.listed.extend(listed)
        self.links += links
