"""Find the repository root and the files that belong to it."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

from okrctl.errors import RepoNotFoundError

CONFIG_NAME = "okrctl.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


def find_root(start: Path | None = None, override: str | os.PathLike[str] | None = None) -> Path:
    """``--repo`` / ``OKRCTL_REPO`` when given, else walk up from ``start`` to ``okrctl.yaml``."""
    if override:
        root = Path(override).expanduser()
        if not root.exists():
            raise RepoNotFoundError(f"repository folder not found: {override}")
        if not root.is_dir():
            raise RepoNotFoundError(f"--repo: {override} is not a folder")
        if not (root / CONFIG_NAME).is_file():
            # Never treat an arbitrary folder (/usr, a sub-folder of the repository) as one.
            raise RepoNotFoundError(f"no {CONFIG_NAME} in {root}; pass the folder that holds it, or run 'okrctl init'")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise RepoNotFoundError(f"no {CONFIG_NAME} in {here} or any parent folder; run 'okrctl init' or pass --repo PATH")


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
    outside_link: bool = False  # a symlink that leaves the repository
    # lstat of a regular file, taken while walking (relative to its folder: cheaper than by path)
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


def _excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel + "/", pattern) for pattern in patterns)


def _leaves(root_real: str, full: str) -> bool:
    target = os.path.realpath(full)
    return not (target + os.sep).startswith(root_real + os.sep)


def discover(root: Path, exclude: list[str] | None = None) -> Discovery:
    """Every YAML file under ``root``, skipping hidden folders and ``exclude`` globs, sorted.

    Walks with ``os.scandir`` on an open folder, whose entries know their type without an extra
    system call and are stat'ed relative to the folder (the scan needs every file's stat).
    """
    patterns = list(exclude or [])
    files: list[SourceFile] = []
    others: list[str] = []
    root_text = os.fspath(root)
    root_real = os.path.realpath(root_text)
    pending = [(root_text, "", False)]
    while pending:
        folder, prefix, bad_folder = pending.pop()
        try:
            handle = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            continue
        base = folder if folder.endswith(os.sep) else folder + os.sep
        try:
            with os.scandir(handle) as entries:
                listing = list(entries)
        except OSError:
            os.close(handle)
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
                # Links are never walked (they could loop); a link that leaves the repository is reported.
                if entry.is_dir():
                    if _leaves(root_real, path):
                        files.append(SourceFile(rel, path, outside_link=True))
                    continue
                if name.endswith(YAML_SUFFIXES):
                    files.append(SourceFile(rel, path, outside_link=_leaves(root_real, path), bad_name=bad))
                elif entry.is_file():
                    others.append(rel)
                continue
            if entry.is_dir(follow_symlinks=False):
                if not (patterns and _excluded(rel + "/", patterns)):
                    pending.append((path, rel + "/", bad))
            elif name.endswith(YAML_SUFFIXES):
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
        os.close(handle)
    files.sort(key=itemgetter(0))  # by rel
    others.sort()
    return Discovery(files, others)
