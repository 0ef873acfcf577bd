"""``okrctl init``: a new OKR repository, or a copy of a bundled example organisation."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import okrctl
from okrctl.errors import ContentError, UsageError
from okrctl.fsutil import link_to_nothing
from okrctl.load.discover import CONFIG_NAME, YAML_SUFFIXES
from okrctl.repofiles import Unwritable
from okrctl.safetext import one_line, shown_path, shown_value
from okrctl.scaffold.common import SCHEMA_PATH, inside, schema_header, schema_text, slugify, write_new, yaml_string

CACHE_IGNORE = ".okrctl-cache/"
FOLDERS = ("units", "strategy", "okrs", "checkins", "retros")
KEEP = ".gitkeep"  # hidden: git keeps the empty folder, okrctl's discovery skips the file


def examples_folder() -> Path | None:
    """The bundled examples: inside the package when installed from a wheel, else the source tree."""
    package = Path(okrctl.__file__).resolve().parent
    for candidate in (package / "_examples", package.parent / "examples"):
        # Another distribution may ship a folder called "examples": only one holding OKR repositories counts.
        if candidate.is_dir() and any(candidate.glob(f"*/{CONFIG_NAME}")):
            return candidate
    return None


def example_names() -> list[str]:
    folder = examples_folder()
    if folder is None:
        return []
    return sorted(p.name for p in folder.iterdir() if (p / CONFIG_NAME).is_file())


@dataclass
class InitResult:
    root: Path
    organization: str
    root_unit: str | None
    created: list[str] = field(default_factory=list)  # relative paths, in the order written
    gitignore_appended: bool = False  # an existing .gitignore got the cache line (not committed)
    git_initialised: bool = False
    commit: str | None = None  # the initial commit's hash
    detached: bool = False  # that commit is on a detached HEAD: on no branch (the CLI warns)
    git_note: str | None = None  # why nothing was committed
    commit_failed: bool = False  # git refused the commit (identity, hook): the files are kept
    init_failed: bool = False  # and it was ``git init`` that failed: the folder is no git repository yet
    left_staged: bool = False  # and git could not take them out of the index again (a killed git's lock)


def config_text(organization: str) -> str:
    return (
        schema_header(CONFIG_NAME)
        + f"""# okrctl configuration. This file marks the root of the OKR repository: okrctl finds it by
# walking up from the current folder, like git. Every other *.yaml file below is an okrctl
# document; its `kind` says what it is, and the folders are only a convention:
#
#   units/                              the org tree (okrctl plan and checkin read teams here)
#   strategy/<year>.yaml                vision and a few bold priorities
#   okrs/<cycle>/<unit>.yaml            objectives and key results (okrctl plan --team T --write)
#   checkins/<team>/<date>.yaml         weekly GRIP check-ins (okrctl checkin)
#   retros/<cycle>/<team>-<stage>.yaml  retrospectives (okrctl retro --team T --write)
#
# Every section below is optional; the values shown are the defaults.
apiVersion: okrctl/v1
kind: Config
organization: {yaml_string(organization)}
# Cycles YYYY, YYYY-Qn and YYYY-Hn are known without declaration. Declare others here, or
# redefine those names for a fiscal year:
# cycles:
#   - {{id: fy27-q1, start: 2026-02-01, end: 2026-04-30}}
checkin:
  cadence_days: 7          # teams check in once a week
  stale_after_days: 10     # OKR501 warns when an owner has not checked in for longer than this
  confidence: {{min: 0, max: 10}}
status:
  at_risk_gap: 0.15        # expected progress minus progress above this: at-risk
  off_track_gap: 0.35      # above this: off-track
limits:
  objectives_per_team: 3   # focus: OKR301 warns above this
  krs_per_objective: [2, 5]
# Rules can be switched off or made stricter (see `okrctl rules`):
# rules: {{ignore: [OKR305], severity: {{OKR201: error}}}}
# Folders or files that are not okrctl documents:
# exclude: ["drafts/**"]
"""
    )


def root_unit_text(rel: str, unit_id: str, organization: str) -> str:
    return (
        schema_header(rel)
        + f"""# The root of the org tree: the only unit without a `parent`. Add one file per unit below it,
# e.g. units/discover.yaml:
#
#   apiVersion: okrctl/v1
#   kind: Unit
#   id: discover
#   name: Discover
#   type: team                        # company | business-unit | team
#   parent: {yaml_string(unit_id)}
#   members: [ana@example.com]        # lets `okrctl checkin` find the team from git user.email
apiVersion: okrctl/v1
kind: Unit
id: {yaml_string(unit_id)}
name: {yaml_string(organization)}
type: company
"""
    )


def _new_files(organization: str) -> tuple[dict[str, str], str]:
    unit_id = slugify(organization)
    files = {
        CONFIG_NAME: config_text(organization),
        f"units/{unit_id}.yaml": root_unit_text(f"units/{unit_id}.yaml", unit_id, organization),
    }
    for folder in FOLDERS:
        if folder != "units":
            files[f"{folder}/{KEEP}"] = ""
    return files, unit_id


def _example_files(name: str) -> dict[str, str]:
    folder = examples_folder()
    names = example_names()
    if folder is None or name not in names:
        known = ", ".join(names) or "none are installed"
        raise UsageError(f"--example: '{shown_value(name)}' is not a bundled example ({known})")
    files: dict[str, str] = {}
    source = folder / name
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source).as_posix()
        if not path.is_file() or any(part.startswith(".") for part in rel.split("/")):
            continue
        text = path.read_text(encoding="utf-8")
        if rel.endswith(YAML_SUFFIXES) and not text.startswith("# yaml-language-server:"):
            text = schema_header(rel) + text
        files[rel] = text
    return files


def _organization_of(files: dict[str, str], fallback: str) -> str:
    from okrctl.load.documents import parse_bytes
    from okrctl.load.yamlparse import YamlProblem

    try:
        documents = parse_bytes(CONFIG_NAME, files[CONFIG_NAME].encode(), want_positions=False)
    except (KeyError, YamlProblem):
        return fallback
    for document in documents:
        if isinstance(document.data, dict) and isinstance(document.data.get("organization"), str):
            return str(document.data["organization"])
    return fallback


def _check_against_schema(files: dict[str, str], source: str) -> None:
    """The config and root unit init would write pass the schema, or nothing is written: a name
    the schema refuses (too long, say) would make the new repository fail its first ``align``."""
    from okrctl.load.documents import Doc, parse_bytes, validate
    from okrctl.load.yamlparse import YamlProblem

    for rel, text in files.items():
        if not rel.endswith(YAML_SUFFIXES):
            continue
        try:
            parsed = parse_bytes(rel, text.encode("utf-8"))
        except YamlProblem as problem:
            raise UsageError(f"{source}: cannot be written as YAML ({problem.message}); nothing was written") from None
        for p in parsed:
            problems = validate(Doc(rel, p.index, p.line, p.column, p.data, ignore=p.ignore, parsed=p))
            if problems:
                raise UsageError(
                    f"{source}: {problems[0].message} (in the {rel} init would write); nothing was written"
                )


def _holds(path: Path, text: str) -> bool:
    try:
        return path.is_file() and not path.is_symlink() and path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def create_repository(
    folder: Path, *, organization: str | None = None, example: str | None = None, commit: bool = True
) -> InitResult:
    """Write the files of a new OKR repository into ``folder`` and commit them.

    Refuses (ContentError) when ``folder`` already holds an okrctl.yaml or any file it would write;
    nothing is written then. Outside git, ``git init`` runs first; the commit holds only the new
    files, leaving anything the user had staged untouched. A write the file system refuses
    (read-only, full, a file where a folder must be) stops it with one line naming the file and
    how many files this run wrote (ContentError, exit 1). With ``GIT_DIR`` naming a repository that
    no ``.git`` leads to, a commit is refused before anything is written (UsageError): ``git init``
    would nest a repository in the user's work tree. Stopped by Ctrl-C or a signal while it writes
    (``KeyboardInterrupt``), it takes away what it wrote when it made ``folder``, else the line says
    how many files it wrote (``after``); stopped once okrctl.yaml is written, that the repository is.
    """
    from okrctl.gitio.repo import (
        GitError,
        GitMissing,
        commit_paths,
        detached_head,
        git_folder_above,
        ignored_repository,
        init,
        work_tree,
    )
    from okrctl.gitio.run import GitKilled

    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{shown_path(str(folder))} exists and is not a folder")
    dangling = link_to_nothing(folder)
    if dangling is not None:
        # Making the folder fails on the link ("cannot be written: File exists"), which does not
        # say why; nor would a user who named a link want the repository made where it points.
        named = "it" if dangling == folder else shown_path(str(dangling))
        raise UsageError(
            f"cannot create the repository in {shown_path(str(folder))}: {named} is a symbolic link to a folder "
            "that does not exist; nothing was written"
        )
    if (folder / CONFIG_NAME).exists():
        raise ContentError(f"{shown_path(str(folder / CONFIG_NAME))} already exists: this folder is an OKR repository")
    # An empty --organization or --example (a variable left unset) is refused as given, never
    # taken for the option left out: a repository other than the one asked for would be committed.
    if organization is not None:
        name = organization
    else:
        name = folder.resolve().name.replace("-", " ").replace("_", " ").title() or "Company"
    if example is not None:
        files = _example_files(example)
        unit_id = None
        name = _organization_of(files, name)
    else:
        files, unit_id = _new_files(name)
        _check_against_schema(files, "--organization" if organization is not None else "the folder's name")
    files[SCHEMA_PATH] = schema_text()
    # A file that already holds exactly what init would write is an earlier init's work (one
    # that was stopped midway): it is kept, and the run finishes the repository.
    done = {rel for rel, text in files.items() if _holds(folder / rel, text)}
    clashes = [rel for rel in files if (folder / rel).exists() and not rel.endswith(KEEP) and rel not in done]
    if clashes:
        raise ContentError(f"{shown_path(str(folder / clashes[0]))} already exists; init writes only new files")
    gitignore = folder / ".gitignore"
    # A link on the way to any file init writes (the .gitignore it adds to among them) is refused
    # before anything is written: found midway, it left the files before it behind.
    for rel in [*files, ".gitignore"]:
        try:
            inside(folder, rel, named=lambda path: shown_path(str(folder / path)))
        except ContentError as refused:
            raise ContentError(f"{refused.message}; nothing was written") from None
    # A file standing where one of init's folders must be is refused before anything is written too.
    for rel in files:
        for parent in reversed(PurePosixPath(rel).parents[:-1]):
            if (folder / parent).exists() and not (folder / parent).is_dir():
                raise ContentError(
                    f"{shown_path(str(folder / parent))}: is a file, not a folder, so init cannot write {rel} there; "
                    "nothing was written (move that file away)"
                )
    if gitignore.exists() and not gitignore.is_file():
        raise ContentError(
            f"{shown_path(str(gitignore))} is not a file, so init cannot add {CACHE_IGNORE} to it; nothing was written"
        )
    ignored = ignored_repository(folder) if commit else None
    if ignored is not None:
        raise UsageError(
            f"{ignored}; nothing was written (--no-commit writes the files and leaves the commit to your git)"
        )
    result = InitResult(folder.resolve(), name, unit_id)
    wrote: list[str] = []  # "wrote REL" of each file this run wrote (``result.created`` also holds a stopped run's)
    where = str(folder)
    from okrctl.repofiles import missing_folders, unmake

    made = missing_folders(folder / CONFIG_NAME)  # taken away again when nothing could be written
    try:
        folder.mkdir(parents=True, exist_ok=True)
        result.root = folder.resolve()
        # okrctl.yaml last: it is what makes the folder a repository, so a folder without it is an
        # unfinished init (which a second init completes), never a repository with files missing.
        for rel in [rel for rel in files if rel != CONFIG_NAME]:
            if rel in done:
                result.created.append(rel)  # written by the stopped run: committed with the rest
                continue
            if rel.endswith(KEEP) and (folder / rel).exists():
                continue
            where = str(folder / rel)
            write_new(folder, rel, files[rel], done=wrote)
            result.created.append(rel)
        ignore_text = (
            f"# where okrctl 0.1 kept its parse cache (its store is outside the repository now): never committed\n"
            f"{CACHE_IGNORE}\n"
        )
        if not gitignore.exists():
            where = str(gitignore)
            write_new(folder, ".gitignore", ignore_text, done=wrote)
            result.created.append(".gitignore")
        elif _holds(gitignore, ignore_text):
            result.created.append(".gitignore")  # the stopped run's
        else:
            lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
            if not any(line.strip() in (CACHE_IGNORE, CACHE_IGNORE.rstrip("/"), "/" + CACHE_IGNORE) for line in lines):
                where = str(gitignore)
                with gitignore.open("a", encoding="utf-8") as handle:
                    handle.write(("\n" if lines and lines[-1] else "") + CACHE_IGNORE + "\n")
                result.gitignore_appended = True
        if CONFIG_NAME not in done:
            where = str(folder / CONFIG_NAME)
            write_new(folder, CONFIG_NAME, files[CONFIG_NAME], done=wrote)
        result.created.append(CONFIG_NAME)
    except (OSError, Unwritable) as exc:
        # A read-only or full file system, a file where a folder must be: exit 1, as a check-in.
        reason = exc.reason if isinstance(exc, Unwritable) else str(exc.strerror or exc)
        after = _stopped_after(len(wrote), " once that is fixed") if wrote else "nothing was written"
        if not wrote:
            unmake(made)
        raise ContentError(f"{shown_path(where)}: cannot be written: {reason}; {after}") from None
    except KeyboardInterrupt as stopped:
        # Ctrl-C or a signal while the files are written.
        if f"wrote {CONFIG_NAME}" in wrote:  # (written last: the repository is there)
            if CONFIG_NAME not in result.created:
                result.created.append(CONFIG_NAME)
            _tell_created(stopped, result, folder, commit=commit)
        elif made:
            # The folder is init's own: what this run wrote in it is taken away again, and the line
            # is the bare one, as for a file of plan --write stopped before it is written.
            _take_back(folder, [step.removeprefix("wrote ") for step in wrote], made)
        elif wrote:
            # The user's folder: the files stay, and the line says what a second init does with them.
            stopped.after = _stopped_after(len(wrote))  # type: ignore[attr-defined]
        raise
    if not commit:
        result.git_note = "not committed (--no-commit)"
        return result
    outside = False  # no repository holds the folder: ``git init`` makes one
    try:
        # A ``.git`` above the folder that git could not read (a broken git config): not outside, so
        # no ``git init`` nests a repository in that work tree; the commit then says what git says.
        outside = work_tree(folder) is None and not git_folder_above(folder)
        if outside:
            init(folder)
            result.git_initialised = True
        # One line: the name is kept as typed in the files, but a newline would split the subject.
        message = f"okrctl init: OKR repository for {one_line(name)}" + (f" (example {example})" if example else "")
        result.commit = commit_paths(folder, result.created, message)
        result.detached = detached_head(folder)
    except KeyboardInterrupt as stopped:
        # Ctrl-C or a signal while git commits (a slow hook).
        _tell_created(stopped, result, folder, commit=commit)
        raise
    except GitMissing as exc:
        result.git_note = str(exc)
    except GitError as exc:
        result.git_note = str(exc)
        if isinstance(exc, GitKilled):
            # It said nothing, and left its index lock, which no other git would ever release.
            from okrctl.gitio.commit import left_behind

            result.git_note += left_behind(folder)
        result.commit_failed = True
        # (A failed ``git init`` may leave a .git that holds no repository: a second one completes it.)
        result.init_failed = outside and not result.git_initialised
        result.left_staged = bool(getattr(exc, "left_staged", None))
    return result


def _stopped_after(written: int, when: str = "") -> str:
    """What an init stopped midway says of the files it wrote (``when``: what must happen first)."""
    return (
        f"init stopped after writing {written} file{'s' if written != 1 else ''} (run it again{when}: it keeps "
        "them and finishes the repository)"
    )


def _tell_created(stopped: KeyboardInterrupt, result: InitResult, folder: Path, *, commit: bool) -> None:
    """Make the line of an init stopped once okrctl.yaml is written (while git commits, or just
    before) say what is on disk and how to commit it: every file is written, so a second init refuses."""
    told_files = f"its {len(result.created)} files are written"
    if not commit:
        stopped.after = f"the repository is created: {told_files}, not committed (--no-commit)"  # type: ignore[attr-defined]
        return
    from okrctl.gitio.commit import committed_when_stopped

    committed = committed_when_stopped(stopped, folder / CONFIG_NAME)
    if committed:
        stopped.after = f"the repository is created: {told_files} and committed"  # type: ignore[attr-defined]
    elif committed is None and _outside_git(folder):
        # Stopped before (or while) ``git init`` made the folder a repository: a second init refuses it.
        how = f"not in a git repository yet; make it one and commit them: {commit_command(result.root, result.created, init=True)}"
        stopped.after = f"the repository is created: {told_files}, {how}"  # type: ignore[attr-defined]
    else:
        told = "git could not tell whether they are committed (see 'git status')" if committed is None else ""
        how = told or f"left uncommitted; commit them: {commit_command(result.root, result.created)}"
        stopped.after = f"the repository is created: {told_files}, {how}"  # type: ignore[attr-defined]


def _take_back(folder: Path, wrote: list[str], made: list[Path]) -> None:
    """Remove the files ``wrote`` (relative to ``folder``, which this run made: they are its own,
    written only where none was), every folder of ``folder`` left empty, then the folders ``made``.
    A folder another process put something in stays. A second signal (``timeout``'s to the
    process group) is held back until it is done; one that came before cut ``write_new`` short
    of taking its own folders away, which are empty."""
    import contextlib

    from okrctl.fsutil import signals_held
    from okrctl.repofiles import unmake

    with signals_held():
        for rel in wrote:
            with contextlib.suppress(OSError):
                (folder / rel).unlink()
        for here, _folders, _files in os.walk(folder, topdown=False):  # (links are not followed)
            if here != os.fspath(folder):  # (``made`` holds it, and the folders above it)
                with contextlib.suppress(OSError):
                    os.rmdir(here)
        unmake(made)


def _outside_git(folder: Path) -> bool:
    """Whether no git work tree holds ``folder`` (False when git refuses the one around it)."""
    from okrctl.gitio.repo import GitError, git_folder_above, work_tree

    try:
        return work_tree(folder) is None and not git_folder_above(folder)
    except GitError:
        return False


def commit_command(root: Path, created: list[str], *, init: bool = False) -> str:
    """The git command that commits init's own files and folders in ``root``, for a user whose
    commit did not happen: ``add .`` would take their other files along, and a commit without
    paths the work they had staged. ``init``: ``git init`` first (no repository holds ``root``)."""
    import shlex

    own = " ".join(shlex.quote(p) for p in sorted({rel.split("/", 1)[0] for rel in created}))
    folder_arg = shlex.quote(str(root))
    made = f"git init -q {folder_arg} && " if init else ""
    return f"{made}git -C {folder_arg} add -- {own} && git -C {folder_arg} commit -m 'okrctl init' -- {own}"


def repository_below(folder: Path, most: int = 20_000) -> Path | None:
    """The folder of an ``okrctl.yaml`` below ``folder`` that a new repository there would read, or None.

    Walks as okrctl reads (hidden folders and folders of another git repository are not read) and
    gives up after ``most`` folders: a check, not a search of a whole disk."""
    if not folder.is_dir():
        return None
    root = os.fspath(folder)
    pending = [root]
    seen = 0
    while pending and seen < most:
        current = pending.pop()
        seen += 1
        try:
            with os.scandir(current) as entries:
                listing = list(entries)
        except OSError:
            continue
        names = {e.name for e in listing}
        if current != root and ".git" in names:
            continue  # another repository's work tree: not read
        if current != root and "okrctl.yaml" in names:
            return Path(current)
        for entry in listing:
            try:
                if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
            except OSError:
                continue
    return None
