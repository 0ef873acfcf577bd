"""Small git operations on the working tree: where it is, who the user is, init and one commit.

Git runs through ``gitio.run.run_git`` (argument lists, ``--`` before paths, literal pathspecs).
Nothing here prompts: a missing identity or a rejected hook is reported with git's own message.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from okrctl.gitio.run import BrokenLink, GitError, GitMissing, RefusedRepository, last_words, run_git

__all__ = ["GitError", "GitMissing", "RefusedRepository", "WorkTree", "last_words", "run_git", "work_tree"]


@dataclass(frozen=True)
class WorkTree:
    """The git working tree around a folder."""

    top: Path  # the working tree's top folder
    shallow: bool  # a clone made with --depth: older history is missing


def work_tree(folder: Path) -> WorkTree | None:
    """The working tree that contains ``folder``; None outside git (or without git).
    ``RefusedRepository`` when the folder is, or lies in, a planted bare repository."""
    try:
        result = run_git(
            folder, "rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--show-toplevel", check=False
        )
    except RefusedRepository:
        raise
    except GitMissing:
        if git_folder_above(Path(folder)):
            raise  # a repository git is needed for, and missing from: not "outside git"
        return None
    except GitError:
        return None
    # The top folder comes last and may hold any byte (a newline too): split off the two flags only.
    lines = result.stdout.split(b"\n", 2)
    if result.returncode != 0 or len(lines) < 3 or lines[0] != b"true":
        return None
    top = lines[2][:-1] if lines[2].endswith(b"\n") else lines[2]
    return WorkTree(Path(os.fsdecode(top)), lines[1] == b"true")


# What to do about a partial clone's missing objects: okrctl lets git fetch nothing (``run_git``),
# so the objects must be fetched before it runs. ``--refetch --no-filter`` (git 2.36) fetches every
# object of the remote's refs once, as a clone without a filter would.
PARTIAL_CLONE_FIX = (
    "this is a partial clone (made with --filter) and okrctl lets git fetch nothing; fetch the objects first "
    "(git fetch --refetch --no-filter origin), or clone without --filter (actions/checkout: leave 'filter' unset)"
)


def partial_clone(top: Path) -> bool:
    """Whether the repository is a partial clone (``git clone --filter``): a remote promises the
    objects the clone did not fetch. Asked only once something was found missing."""
    try:
        promisors = run_git(top, "config", "--type=bool", "--get-regexp", r"^remote\..*\.promisor$", check=False)
        extension = run_git(top, "config", "--get", "extensions.partialclone", check=False)
    except GitError:
        return False
    said_true = b"true" in promisors.stdout.split() if promisors.returncode == 0 else False
    return said_true or (extension.returncode == 0 and bool(extension.stdout.strip()))


def git_directory(folder: Path) -> Path | None:
    """The git directory that ``folder`` is or lies in (a bare repository, or a work tree's
    ``.git``): the first folder from ``folder`` up that holds ``HEAD``, ``objects/`` and ``refs/``,
    as git itself recognises one. None when there is none. Reads the folders only, runs no git."""
    try:
        here = Path(os.path.abspath(folder))
        for candidate in (here, *here.parents):
            if candidate.name != ".git" and os.path.lexists(candidate / ".git"):
                return None  # a work tree's top comes first (a linked worktree kept inside a bare one)
            if (candidate / "objects").is_dir() and (candidate / "refs").is_dir() and _a_head(candidate / "HEAD"):
                return candidate
    except OSError:
        return None
    return None


def _a_head(path: Path) -> bool:
    """Whether ``path`` is a HEAD as git writes one: a symbolic ref, or a commit's hash."""
    try:
        with open(path, "rb") as handle:
            text = handle.read(200)
    except OSError:
        return False
    return text.startswith(b"ref: refs/") or re.fullmatch(rb"[0-9a-f]{40}([0-9a-f]{24})?\n?", text) is not None


def _configured_work_tree(git_dir: Path) -> Path | None:
    """The working tree a git directory's own config names (``core.worktree``, relative to the git
    directory), when that folder exists; None otherwise. git only reads the file: no program named
    in it runs."""
    try:
        said = run_git(
            git_dir, "config", "--file", os.fspath(git_dir / "config"), "--get", "core.worktree", check=False
        )
    except GitError:
        return None
    value = said.stdout.rstrip(b"\n") if said.returncode == 0 else b""
    if not value:
        return None
    tree = Path(os.path.normpath(os.path.join(git_dir, os.fsdecode(value))))
    return tree if tree.is_dir() else None


def git_directory_words(folder: Path) -> str | None:
    """Why ``folder`` is no place for OKR files when it is, or lies in, a git directory (the fix
    included); None otherwise. A bare repository has no working tree: okrctl reads and writes the
    files of a checkout."""
    from okrctl.safetext import command_word, shown_path

    found = git_directory(folder)
    if found is None:
        return None
    here = Path(os.path.abspath(folder))
    if os.path.realpath(found) != os.fspath(found):
        # Reached by way of a symbolic link (``L -> real/.git``): told from where the link leads,
        # or a work tree's ``.git`` would be taken for a bare repository by the link's name.
        found, here = Path(os.path.realpath(found)), Path(os.path.realpath(here))
    inside = f"{shown_path(os.fspath(folder))} is inside"
    linked = _linked_worktree_dir(found, here)
    if linked is not None:
        # ``.git/worktrees/NAME`` (or a bare repository's): the git directory of a linked worktree,
        # whose checkout is not the main one (another branch), nor missing when the repository is bare.
        shown_dir = shown_path(os.fspath(linked))
        what = f"{shown_dir} is" if linked == here else f"{inside} {shown_dir},"
        checkout = _linked_checkout(linked)
        if checkout is not None:
            shown_tree = shown_path(os.fspath(checkout))
            return f"{what} the git directory of the linked worktree {shown_tree}; use {shown_tree}"
        common = command_word(os.fspath(found))
        return (
            f"{what} the git directory of a linked worktree whose folder cannot be told (moved, removed, or "
            f"named through a symbolic link); use that folder ('git -C {common} worktree list' lists them)"
        )
    shown = shown_path(os.fspath(found))
    at = found == here
    if found.name == ".git":
        work_tree = shown_path(os.fspath(found.parent))
        what = f"{shown} is" if at else f"{inside} {shown},"
        return f"{what} the git directory of the working tree {work_tree}; use {work_tree}"
    configured = _configured_work_tree(found)
    if configured is not None:
        # A submodule's git directory (``.git/modules/NAME``) or one made with --separate-git-dir:
        # its config names the working tree, as a ``.git`` folder's parent is.
        shown_tree = shown_path(os.fspath(configured))
        what = f"{shown} is" if at else f"{inside} {shown},"
        return f"{what} the git directory of the working tree {shown_tree}; use {shown_tree}"
    what = f"{shown} is a" if at else f"{inside} the"
    return (
        f"{what} bare git repository {'' if at else shown + ' '}(no working tree), and okrctl reads and writes "
        f"files in a checkout: make one (git clone {shown} FOLDER, or git -C {shown} worktree add FOLDER) "
        "and use that folder"
    )


def git_owned_words(path: str | os.PathLike[str]) -> str | None:
    """Why okrctl writes no output at ``path`` (a file or folder, made or still to be made): it is,
    or lies in, a git directory (``.git/HEAD``; a linked worktree's ``.git/worktrees/NAME`` and the
    common directory it shares; a submodule's), by way of symbolic links too, or it is a ``.git``
    entry, which leads git to a repository (a linked worktree's ``.git`` file), or lies in a folder
    named ``.git``, made or still to be made (``proj/.git/site``: git would take that folder for
    ``proj``'s repository and find none). None otherwise. Reads the folders only, runs no git."""
    from okrctl.safetext import shown_path

    def shown(where: Path) -> str:
        relative = os.path.relpath(where)
        return shown_path(os.fspath(where) if relative.startswith("..") else relative)

    real = Path(os.path.realpath(path))
    if real.name == ".git" or Path(path).name == ".git":
        return "is named .git, which git takes for a repository's own"
    found = git_directory(real)
    if found is None:
        if ".git" in Path(os.path.abspath(path)).parts or ".git" in real.parts:
            return "lies in a folder named .git, which git takes for a repository's own"
        return None
    if real != Path(os.path.abspath(path)):  # by way of a symbolic link
        return f"leads to {shown(real)}, in the git directory {shown(found)}, which git alone writes"
    return f"{'is' if found == real else 'lies in'} the git directory {shown(found)}, which git alone writes"


def _linked_worktree_dir(common: Path, folder: Path) -> Path | None:
    """The git directory of a linked worktree (``COMMON/worktrees/NAME``, as ``git worktree add``
    makes one: ``gitdir`` and ``commondir`` files) that ``folder`` is or lies in; None otherwise."""
    try:
        rel = Path(os.path.relpath(folder, common)).parts
    except ValueError:  # another drive
        return None
    if len(rel) < 2 or rel[0] != "worktrees":
        return None
    candidate = common / "worktrees" / rel[1]
    if os.path.isfile(candidate / "gitdir") and os.path.lexists(candidate / "commondir"):
        return candidate
    return None


def _linked_checkout(linked: Path) -> Path | None:
    """The checkout of the linked worktree whose git directory is ``linked``, as its ``gitdir`` file
    names it (the path of the checkout's ``.git`` file), when that is believable: the ``.git`` file is
    there, a regular file, no symbolic link lies on the way to it (one planted in a checkout could
    lead anywhere), and it names ``linked`` back. None otherwise: the file is git's, but anyone who
    could write the folder could have written it."""
    try:
        lines = (linked / "gitdir").read_bytes().splitlines()
        if len(lines) != 1 or not lines[0].strip():
            return None
        named = os.fsdecode(lines[0].strip())
        # Absolute as git writes it; relative to this folder with worktree.useRelativePaths (git 2.48).
        dot_git = os.path.normpath(os.path.join(os.path.realpath(linked), named))
        if os.path.basename(dot_git) != ".git" or os.path.realpath(dot_git) != dot_git:
            return None
        if os.path.islink(dot_git) or not os.path.isfile(dot_git):
            return None
        with open(dot_git, "rb") as handle:
            said = handle.read(4096).splitlines()
        if len(said) != 1 or not said[0].startswith(b"gitdir:"):
            return None
        back = os.path.join(os.path.dirname(dot_git), os.fsdecode(said[0].removeprefix(b"gitdir:").strip()))
        if not os.path.samefile(back, linked):
            return None
    except (OSError, ValueError):
        return None
    return Path(os.path.dirname(dot_git))


def git_folder_above(folder: Path) -> bool:
    """Whether ``folder`` or a folder above it holds a ``.git`` git would take for a repository: a
    worktree's ``.git`` file, or a folder with ``HEAD``, ``objects/`` and ``refs/``; a repository
    may hold ``folder`` even when git cannot say so (``work_tree`` is None when git fails, a broken
    git config). As git looks, it does not look up into a folder ``GIT_CEILING_DIRECTORIES`` names,
    nor across a file system's boundary (unless ``GIT_DISCOVERY_ACROSS_FILESYSTEM`` allows it); an
    empty or stale ``.git`` folder is none."""
    try:
        here = folder.resolve()
        ceilings = {
            os.path.realpath(ceiling)
            for ceiling in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep)
            if os.path.isabs(ceiling)
        }
        across = os.environ.get("GIT_DISCOVERY_ACROSS_FILESYSTEM", "").strip().lower() in ("1", "true", "yes", "on")
        device: int | None = None  # the file system of the first folder that exists, from ``folder`` up
        for candidate in (here, *here.parents):
            if candidate != here and os.fspath(candidate) in ceilings:
                return False
            try:
                on = os.stat(candidate).st_dev
            except OSError:
                continue  # not made yet
            if device is None:
                device = on
            elif on != device and not across:
                return False
            dot_git = candidate / ".git"
            if dot_git.is_file():
                return True
            if (dot_git / "objects").is_dir() and (dot_git / "refs").is_dir() and _a_head(dot_git / "HEAD"):
                return True
    except OSError:
        return False
    return False


def sparse_left_out(folder: Path) -> tuple[Path, list[str]] | None:
    """In a sparse checkout (``git sparse-checkout``), the files git tracks under ``folder`` that
    the working tree leaves out (marked skip-worktree and absent), with the work tree's top folder
    they are named from; None when there are none, or git cannot tell.

    Near free when the checkout is not sparse: git is asked only when the git directory holds a
    sparse-checkout definition (``info/sparse-checkout``), found by reading ``.git`` on the way up.
    A file marked skip-worktree by hand (``git update-index --skip-worktree``) and kept on disk is
    read as usual: only a file the working tree does not have is left out.
    """
    try:
        if os.environ.get("GIT_DIR"):  # git looks there, not for .git (a hook, a wrapper): asked
            said = run_git(folder, "rev-parse", "--show-toplevel", "--git-path", "info/sparse-checkout", check=False)
            lines = said.stdout.decode("utf-8", "surrogateescape").split("\n")
            if said.returncode != 0 or len(lines) < 2:
                return None
            top, definition = Path(lines[0]), os.path.join(folder, lines[1])
        else:
            found = _git_dir_of(Path(os.path.abspath(folder)))
            if found is None:
                return None
            top, definition = found[0], os.path.join(found[1], "info", "sparse-checkout")
        if not os.path.isfile(definition):
            return None
        result = run_git(folder, "ls-files", "-t", "-z", "--full-name", "--", ".", check=False)
    except GitError:
        return None
    if result.returncode != 0:
        return None
    left_out = []
    for record in result.stdout.split(b"\0"):
        tag, _, name = record.partition(b" ")
        if tag in (b"S", b"s") and name and not os.path.lexists(os.path.join(top, os.fsdecode(name))):
            left_out.append(os.fsdecode(name))
    return (top, left_out) if left_out else None


def _git_dir_of(folder: Path) -> tuple[Path, str] | None:
    """The work tree's top folder above ``folder`` and its git directory, as the ``.git`` found on
    the way up names them (a folder, or a worktree's or submodule's ``gitdir:`` file); None when
    none is found."""
    for candidate in (folder, *folder.parents):
        dot_git = candidate / ".git"
        if dot_git.is_dir():
            return candidate, str(dot_git)
        if dot_git.is_file():
            try:
                line = dot_git.read_text(encoding="utf-8", errors="surrogateescape").splitlines()[0]
            except (OSError, IndexError):
                return None
            if not line.startswith("gitdir:"):
                return None
            return candidate, os.path.join(candidate, line.removeprefix("gitdir:").strip())
    return None


def user_email(folder: Path, *, strict: bool = False) -> str | None:
    """``git config user.email`` as seen from ``folder`` (None when unset or outside git). With
    ``strict``, a worktree whose main repository is gone (``SetUpRefused``) is raised rather than
    taken for an unset address (``work_tree`` tells one another user owns, and a missing git)."""
    from okrctl.gitio.run import SetUpRefused

    try:
        result = run_git(folder, "config", "--get", "user.email", check=False)
    except SetUpRefused:
        if strict:
            raise
        return None
    except GitError:
        return None
    email = result.stdout.decode("utf-8", "replace").strip()
    return email or None


def init(folder: Path) -> None:
    """``git init`` (the user's default branch name is kept)."""
    run_git(folder, "init", "-q")


def detached_head(folder: Path) -> bool:
    """Whether HEAD of the repository around ``folder`` names a commit rather than a branch: a
    commit made there is on no branch, and the next checkout leaves it behind (the CLI warns)."""
    # ``symbolic-ref -q`` exits 1, silently, exactly when HEAD names a commit rather than a branch.
    return run_git(folder, "symbolic-ref", "-q", "HEAD", check=False).returncode == 1


# The variables a user sets to reach a git directory kept apart from its work tree (a "bare
# dotfiles repository", ``git --git-dir`` in a script): ``run_git`` removes them (``DROPPED_VARIABLES``).
_REPOSITORY_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE")


def ignored_repository(folder: Path) -> str | None:
    """Why okrctl commits nothing in ``folder`` when no ``.git`` around it leads to a repository but
    ``GIT_DIR`` names one: by git's account the folder is in that repository, so neither "not
    inside a git repository" nor a ``git init`` there (a repository nested in the user's work tree)
    would be right. okrctl finds a repository only through ``.git``: the variables are removed
    because a hook sets them for the repository it runs in, which need not be okrctl's. None when
    ``GIT_DIR`` is unset, names no repository (git says "not a git repository" too) or a
    repository is found; ``folder`` need not exist yet (``init``)."""
    named = [name for name in _REPOSITORY_VARIABLES if os.environ.get(name)]
    if "GIT_DIR" not in named:
        return None
    here = Path(os.path.abspath(folder))
    existing = next((candidate for candidate in (here, *here.parents) if candidate.is_dir()), here)
    try:
        if work_tree(existing) is not None:
            return None
    except GitError:
        return None  # a repository git refuses: said as such where the commit is made
    if not _names_repository(existing, os.environ["GIT_DIR"]):
        return None  # a stale GIT_DIR: git finds no repository there either
    them = "them" if len(named) > 1 else "it"
    return (
        f"{' and '.join(named)} {'are' if len(named) > 1 else 'is'} set, but okrctl ignores {them}: it commits only "
        "into a repository it finds through a .git folder, and there is none around the files (docs/security.md)"
    )


def _names_repository(cwd: Path, git_dir: str) -> bool:
    """Whether ``git_dir`` (relative to okrctl's own folder, as git reads ``GIT_DIR``) is a git
    directory by git's account: ``git --git-dir`` given it finds one ("not a git repository: '…'"
    comes back as ``BrokenLink``). A repository git refuses (another owner) is one all the same."""
    try:
        said = run_git(cwd, f"--git-dir={os.path.abspath(git_dir)}", "rev-parse", "--git-dir", check=False)
    except BrokenLink:
        return False
    except RefusedRepository:
        return True
    except GitError:
        return False
    return said.returncode == 0


def commit_paths(folder: Path, paths: list[str], message: str) -> str:
    """Commit exactly ``paths`` (relative to ``folder``), leaving anything else staged untouched.

    Returns the new commit's hash. Hooks run as usual; a rejection raises GitError with git's words.
    When the commit is not made (git refuses an ignored path, a hook says no, no identity, Ctrl-C),
    the paths git did not track before are taken out of the index again: the user's next commit
    must not carry them along with their own staged work. Those git could not take out (a killed
    git's index lock is in the way) are the exception's ``left_staged``.
    """
    tracked = set(run_git(folder, "ls-files", "-z", "--", *paths).stdout.decode("utf-8", "surrogateescape").split("\0"))
    new = [p for p in paths if p not in tracked]
    before = run_git(folder, "rev-parse", "-q", "--verify", "HEAD", check=False).stdout
    try:
        run_git(folder, "add", "--", *paths, offline=False)  # hooks run as under the user's own git
        run_git(folder, "commit", "-q", "--only", "-m", message, "--", *paths, offline=False)
    except (GitError, KeyboardInterrupt) as failed:
        after = run_git(folder, "rev-parse", "-q", "--verify", "HEAD", check=False).stdout
        left: list[str] = []
        if new and after == before:
            undone = run_git(folder, "rm", "--cached", "--quiet", "--ignore-unmatch", "--", *new, check=False)
            if undone.returncode != 0:
                # (the index lock a killed git left): what ``git add`` staged stays staged.
                staged = run_git(folder, "ls-files", "-z", "--", *new, check=False).stdout.split(b"\0")
                left = [p for p in new if os.fsencode(p) in staged]
        failed.left_staged = left  # type: ignore[union-attr]
        raise
    return run_git(folder, "rev-parse", "HEAD").stdout.decode().strip()


def head_state(folder: Path) -> str:
    """A short description of the history a command could read: HEAD's hash, its shallowness, and
    in a shallow clone a digest of where the history is cut (a ``git fetch --deepen`` keeps HEAD
    but shows more of the history).

    "" outside git, "no commit" in a repository whose HEAD names no commit yet (a ``git init``
    without a commit: what its history tells differs from a plain folder's). Used to key cached
    results of commands that read history.
    """
    try:
        result = run_git(
            folder,
            "rev-parse",
            "--verify",
            "-q",
            "HEAD",
            "--is-shallow-repository",
            "--git-path",
            "shallow",
            check=False,
        )
    except GitError:
        return ""
    if result.returncode != 0:
        # 128: git found no repository (or refused it); 1: a repository whose HEAD is unborn.
        return "" if result.returncode == 128 else "no commit"
    # The flag, the path of the shallow file (relative to ``folder`` unless absolute; any byte, a
    # newline too) and HEAD last. Without --path-format, which git before 2.31 does not know.
    out = result.stdout[:-1] if result.stdout.endswith(b"\n") else result.stdout
    flag, _, rest = out.partition(b"\n")
    shallow_file, _, head = rest.rpartition(b"\n")
    state = f"{flag.decode('ascii', 'replace')} {head.decode('ascii', 'replace')}"
    state += _index_and_grafts(folder)
    if flag != b"true":
        return state
    return f"{state} shallow:{_file_digest(folder, shallow_file)}"


def _file_digest(folder: Path, name: bytes) -> str:
    import hashlib

    try:
        with open(os.path.join(folder, os.fsdecode(name)), "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except FileNotFoundError:
        return "none"
    except OSError:
        return "unreadable"


def _index_and_grafts(folder: Path) -> str:
    """What else decides the history a command reads without moving HEAD: the staging area (the
    renames since a base are git's, from the index) and ``info/grafts`` (which ``git log`` follows)."""
    try:
        result = run_git(folder, "rev-parse", "--git-path", "index", "--git-path", "info/grafts", check=False)
    except GitError:
        return " index:unknown"
    lines = result.stdout.split(b"\n")
    if result.returncode != 0 or len(lines) != 3 or lines[2]:
        return f" index:unknown{os.urandom(8).hex()}"  # paths that cannot be told apart: never reused
    return f" index:{_file_digest(folder, lines[0])} grafts:{_file_digest(folder, lines[1])}"
