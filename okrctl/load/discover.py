"""Find the repository root and the files that belong to it."""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from okrctl.errors import RepoNotFoundError

CONFIG_NAME = "okrctl.yaml"
YAML_SUFFIXES = (".yaml", ".yml")


def find_root(start: Path | None = None, override: str | os.PathLike[str] | None = None) -> Path:
    """``--repo`` / ``OKRCTL_REPO`` when given, else walk up from ``start`` to ``okrctl.yaml``."""
    if override:
        root = Path(override).expanduser()
        if not root.is_dir():
            raise RepoNotFoundError(f"repository folder not found: {override}")
        return root.resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise RepoNotFoundError(f"no {CONFIG_NAME} in {here} or any parent folder; run 'okrctl init' or pass --repo PATH")


@dataclass(frozen=True)
class SourceFile:
    rel: str  # posix path relative to the root
    path: Path
    outside_link: bool = False  # a symlink that leaves the repository


@dataclass
class Discovery:
    files: list[SourceFile]
    other_files: list[str]  # not YAML: counted and mentioned, never read


def _excluded(rel: str, patterns: list[str]) -> bool:
    return any(fnmatch.fnmatchcase(rel, pattern) or fnmatch.fnmatchcase(rel + "/", pattern) for pattern in patterns)


def discover(root: Path, exclude: list[str] | None = None) -> Discovery:
    """Every YAML file under ``root``, skipping hidden folders and ``exclude`` globs, sorted."""
    patterns = list(exclude or [])
    files: list[SourceFile] = []
    others: list[str] = []
    root_real = os.path.realpath(root)
    for folder, dirnames, filenames in os.walk(root):
        rel_folder = os.path.relpath(folder, root).replace(os.sep, "/")
        rel_folder = "" if rel_folder == "." else rel_folder + "/"
        kept = []
        for name in dirnames:
            if name.startswith("."):
                continue
            rel = rel_folder + name
            if _excluded(rel, patterns) or _excluded(rel + "/", patterns):
                continue
            full = os.path.join(folder, name)
            if os.path.islink(full):
                # Folders behind links are not walked: they could loop or leave the repository.
                target = os.path.realpath(full)
                if not (target + os.sep).startswith(root_real + os.sep):
                    files.append(SourceFile(rel, Path(full), outside_link=True))
                continue
            kept.append(name)
        dirnames[:] = sorted(kept)
        for name in filenames:
            rel = rel_folder + name
            if name.startswith(".") or _excluded(rel, patterns):
                continue
            full = os.path.join(folder, name)
            if not name.endswith(YAML_SUFFIXES):
                others.append(rel)
                continue
            outside = False
            if os.path.islink(full):
                target = os.path.realpath(full)
                outside = not target.startswith(root_real + os.sep)
            files.append(SourceFile(rel, Path(full), outside_link=outside))
    files.sort(key=lambda f: f.rel)
    others.sort()
    return Discovery(files, others)
