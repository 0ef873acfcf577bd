"""Load the repository as it is at a git ref, from git objects, into the same ``Repo`` a working-tree
load gives.

The files are found with the working tree's rules (hidden folders skipped, the ``exclude`` globs of
*that* ref's ``okrctl.yaml``, symbolic links followed only inside the repository, the size limit),
then parsed and validated by the normal pipeline. The parse cache is keyed on content, so a ref
that shares most files with the working tree (or with the other side of a diff) parses only the
files that differ.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from okrctl import lfs
from okrctl.errors import ContentError, UsageError
from okrctl.findings import Finding, moved_files
from okrctl.gitio.damage import ObjectsNotFetched
from okrctl.gitio.hashing import stored_ids
from okrctl.gitio.repo import PARTIAL_CLONE_FIX, GitError, GitMissing, RefusedRepository, partial_clone, run_git
from okrctl.gitio.run import SetUpRefused
from okrctl.gitio.tree import (
    AmbiguousRef,
    NotAGitRepository,
    Place,
    TreeEntry,
    UnknownRef,
    blobs,
    holds_file,
    list_tree,
    object_kind,
    place,
    renames,
    resolve_commit,
)
from okrctl.load.declared import root_config
from okrctl.load.discover import (
    BAD_NAME_HINT,
    BAD_NAME_MESSAGE,
    CONFIG_NAME,
    YAML_SUFFIXES,
    Discovery,
    SourceFile,
    _excluded,
    shown_name,
)
from okrctl.load.documents import Doc, parse_bytes
from okrctl.load.index import Repo
from okrctl.load.links import LINK_ABOUT, LINK_HINT, OUTSIDE_MESSAGE, UNREAD_MESSAGE, Kind, Outcome, follow
from okrctl.load.pipeline import Scope, ScopeRule, Snapshot, content_fingerprint, load_repo
from okrctl.load.yamlparse import MAX_FILE_BYTES, YamlProblem


class RefError(UsageError):
    """A ref that cannot be read: unknown, without okrctl.yaml, beyond a shallow clone (exit 2)."""


@dataclass
class RefRepo(Repo):
    """A ``Repo`` read from a git commit: positions are found again in the committed bytes."""

    ref: str = field(default="", kw_only=True)
    commit: str = field(default="", kw_only=True)
    # The folder it was read from, from git's top with a trailing "/": the okrctl folder's former
    # place when it has moved since (``former_prefix``), so git's renames are looked for there.
    prefix: str = field(default="", kw_only=True)
    contents: dict[str, bytes] = field(default_factory=dict, kw_only=True, repr=False)
    digests: dict[str, str] = field(default_factory=dict, kw_only=True, repr=False)  # file -> content digest
    oids: dict[str, str] = field(default_factory=dict, kw_only=True, repr=False)  # file -> git blob id
    lender: Repo | None = field(default=None, kw_only=True, repr=False)  # holds the files not read here

    def _reparse(self, doc: Any) -> None:
        raw = self.contents.get(doc.path)
        if raw is None:
            if self.lender is not None:
                self.lender._reparse(doc)  # the same bytes, lent by the other side
                if doc.path in self.lender._reparsed:
                    self._reparsed[doc.path] = self.lender._reparsed[doc.path]
            return
        try:
            parsed = parse_bytes(doc.path, raw)
        except YamlProblem:
            return
        from okrctl.load.store import digest

        self._reparsed[doc.path] = digest(raw)
        by_index = {p.index: p for p in parsed}
        for other in self.docs:
            if other.path == doc.path and other.parsed is None:
                other.parsed = by_index.get(other.index)


@dataclass
class Shared:
    """What another load of the same run lends: its documents and findings by file, for the files
    whose bytes are the same (same content digest, or same git blob)."""

    repo: Repo
    digests: dict[str, str]  # file -> content digest
    oids: dict[str, str] = field(default_factory=dict)  # file -> git blob id (a side read from git)

    def loaded(self) -> set[str]:
        """The files whose documents (or findings) the lending load holds whole: a load scoped to
        the check-ins it needs leaves the others unread, and has nothing (or only part) of their
        files to lend."""
        held = {doc.path for doc in self.repo.docs} | {finding.path for finding in self.repo.file_findings}
        return held - self.repo.partly_read

    @classmethod
    def of(cls, repo: RefRepo) -> Shared:
        return cls(repo, repo.digests, repo.oids)

    @classmethod
    def of_work_tree(cls, repo: Repo, digests: dict[str, str], root: Path) -> Shared:
        """The working tree's load, with the blob id of every file git finds unchanged since it was
        staged: a file with the same blob at the other ref is taken from here without reading that
        blob (``git ls-files``; see ``gitio.tree.clean_blobs``)."""
        from okrctl.load.pipeline import _clean_blobs

        known = repo.clean_blobs if repo.clean_blobs is not None else _clean_blobs(root)  # asked once a run
        oids = {rel: oid for rel, oid in known.items() if digests.get(rel)}
        return cls(repo, digests, oids)


def git_place(root: Path) -> Place:
    """Where the okrctl root sits in its git repository; RefError outside git."""
    try:
        return place(root)
    except NotAGitRepository:
        raise RefError(
            f"{root} is not in a git repository; refs can only be read from one (run 'git init' and commit)"
        ) from None
    except SetUpRefused as exc:  # the machine's set-up: the ref cannot be read here (exit 2), as outside git
        raise RefError(str(exc)) from None
    except RefusedRepository as exc:
        raise ContentError(str(exc)) from None
    except GitMissing as exc:
        raise RefError(str(exc)) from None


def resolve(where: Place, ref: str) -> str:
    """The commit ``ref`` names; a RefError with the fix when there is none."""
    from okrctl.safetext import shown_value

    # The ref as the user typed it, escaped: a line break in it must not split the one-line message.
    shown = shown_value(ref)
    try:
        return resolve_commit(where.top, ref, shallow=where.shallow)
    except AmbiguousRef as exc:
        raise RefError(_ambiguous(shown, exc)) from None
    except UnknownRef:
        if ref == "HEAD":
            raise RefError(_no_commit_yet(where)) from None
        kind = object_kind(where.top, ref)
        if kind is not None:  # a tree, a blob or a tag of one: something, but no commit
            what = {"tree": "folder", "blob": "file", "tag": "tag of no commit"}.get(kind, kind)
            raise RefError(f"'{shown}' names a {what}, not a commit; give a branch, tag or commit") from None
        sides_of = _range(ref)
        if sides_of is not None:
            # No ref name holds ".." (git refuses it): ``main..other`` is a range, which only diff takes.
            raise RefError(_one_ref_not_range(where, ref, *sides_of)) from None
        name, revision = _name_and_revision(ref)
        name_here = bool(name) and object_kind(where.top, name) is not None
        if name_here and revision and not (where.shallow and _ANCESTRY.fullmatch(revision)):
            # The name is here; what it asks of it is not (``main~5`` past its first commit, ``main@{5}``
            # past its reflog). A close name offered instead would send the user to another branch.
            # (In a shallow clone, ``main~5`` may be in the history not fetched: said below.)
            raise RefError(_no_such_revision(where, ref, name, revision)) from None
        fetch = _remote_branch(where, _tracking_name(ref))
        if fetch is None and name and not name_here and _ANCESTRY.fullmatch(revision):
            # ``origin/main~1``: the fetch that makes origin/main brings its ancestors (with the history),
            # so the ref is given as typed afterwards; the remote's name is no part of the branch fetched.
            fetch = _remote_branch(where, _tracking_name(name))
        if fetch is not None:
            remote_name, branch = fetch
            tracking = f"{remote_name}/{branch}"
            words = fetch_words(remote_name, branch, tracking)
            what = "it" if tracking == ref else f"'{shown_value(tracking)}'"
            if where.shallow:
                # Unshallowing alone never makes a branch a single-branch clone did not fetch.
                raise RefError(
                    f"'{shown}' is not in this shallow clone; fetch {what} with the history "
                    f"('git fetch --unshallow {words}', or fetch-depth: 0 in actions/checkout)"
                ) from None
            # A single-branch clone (``git clone --single-branch``) has fetched the remote's one branch.
            # The destination is named: a clone made with --single-branch fetches other branches into
            # FETCH_HEAD alone, and 'git fetch origin main' would leave origin/main unknown.
            raise RefError(
                f"'{shown}' is not fetched; fetch {what} ('git fetch {words}', or fetch-depth: 0 in actions/checkout)"
            ) from None
        remote = f"origin/{ref}"
        if not ref.startswith(("origin/", "-")) and object_kind(where.top, remote) == "commit":
            # A CI checkout (actions/checkout, GitLab's) makes the remote's branches only.
            raise RefError(
                f"unknown git ref '{shown}'; this checkout has '{shown_value(remote)}' (a CI checkout holds the remote's "
                f"branches only): give {shown_value(remote)}"
            ) from None
        if where.shallow:
            raise RefError(_not_in_shallow_clone(where, ref)) from None
        if _FULL_HASH.fullmatch(ref):
            raise RefError(_not_in_clone(where, ref)) from None
        meant = _did_you_mean(where, name, revision) if name and not name_here else ""
        raise RefError(
            f"unknown git ref '{shown}'{meant}; give a branch, tag or commit ('git log --oneline' lists commits)"
        ) from None
    except ObjectsNotFetched as exc:  # the commit a ref names is missing from the object store
        raise RefError(str(exc)) from None
    except GitError as exc:
        raise RefError(f"git: {exc}") from None


def _ambiguous(shown: str, exc: AmbiguousRef) -> str:
    return (
        f"'{shown}' names both {' and '.join(exc.names)}; okrctl does not guess which (git would take the "
        f"first): give {' or '.join(exc.names)}"
    )


# A name that may be a branch: no revision syntax (``~``, ``^``, ``@{``, ``:``), nothing a refspec or
# git's ref names refuse. A hexadecimal word as long as a hash is taken for a commit's; a shorter one
# (``2026``, ``cafe``) may be a branch as well as an abbreviated hash: nothing local tells which.
_BRANCH_LIKE = re.compile(r"[A-Za-z0-9._/+=,%#!-]+")
_HASH_LIKE = re.compile(r"[0-9a-fA-F]{4,64}")
_FULL_HASH = re.compile(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")
# Where a ref's name ends and the revision asked of it starts (no ref name holds these); ancestry
# (``~5``, ``^^``, ``^2``) and a reflog entry (``@{5}``, ``@{u}``) are the revisions told apart.
_REVISION_START = re.compile(r"[~^:]|@\{")
_ANCESTRY = re.compile(r"(?:[~^][0-9]*)+")
_REFLOG = re.compile(r"@\{([^{}]*)\}")
_UPSTREAM = ("u", "upstream", "push")


def _range_split(ref: str) -> tuple[str, str, str] | None:
    """``A..B`` -> ("A", "..", "B") and ``A...B`` -> ("A", "...", "B"), split at the first two dots
    as ``git diff`` reads them (either side may be empty); None when there are none. Dots inside
    braces (a ``^{/text}`` search, a ``@{...}`` reflog entry) or after a colon (a ``:/text`` search,
    ``rev:path``) are text, not a range: ``HEAD^{/see a..b}`` is one ref to git, while the braces of
    a side (``HEAD@{1}..HEAD``) leave the range as it is."""
    depth = 0
    for at, char in enumerate(ref):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and char == ":":
            return None  # the rest is a path or a search's text, whatever it holds
        elif depth == 0 and ref.startswith("..", at):
            separator = "..." if ref.startswith("...", at) else ".."
            return ref[:at], separator, ref[at + len(separator) :]
    return None


def _range(ref: str) -> tuple[str, str] | None:
    """``main..other`` or ``main...other`` -> ("main", "other"); an empty side is HEAD. None for a ref
    that is no range (``a..b..c`` is none either, nor ``..`` alone)."""
    split = _range_split(ref)
    if split is None:
        return None
    one, _separator, other = split
    if not (one or other) or _range_split(other) is not None:
        return None
    return one or "HEAD", other or "HEAD"


def _one_ref_not_range(where: Place, ref: str, one: str, other: str) -> str:
    """Why a range where one ref is taken, the base ``align --baseline`` compares HEAD with (diff's
    sides are split before): the base is its first ref; HEAD is always the other side, judged from
    where it forked from the base (the merge base, as ``...`` says; ``..`` changes nothing), so a
    range whose other side is not HEAD asks to check that out first."""
    import shlex

    from okrctl.safetext import shown_value

    shown = shown_value(ref)

    def commit_of(name: str) -> str | None:
        try:
            return resolve_commit(where.top, name, shallow=where.shallow)
        except GitError:  # unknown, ambiguous or missing: said when it is given alone
            return None

    base = commit_of(one)
    if base is None:
        name, revision = _name_and_revision(one)
        meant = _did_you_mean(where, name, revision) if name else ""
        return f"'{shown}' is a range, not one ref: give the base alone ('{shown_value(one)}' is none here{meant})"
    other_commit = commit_of(other)
    at_head = other_commit is not None and other_commit == commit_of("HEAD")
    # HEAD (``..other``, ``HEAD~1..other``) names another commit once other is checked out: its hash is given.
    given = one if at_head or not re.match(r"(?:HEAD|@)(?![^~^@])", one) else base[:12]
    said = (
        f"'{shown}' is a range, not one ref: give {shown_value(given)} (the base); HEAD is the other side, "
        f"judged from where it forked from {shown_value(given)}"
    )
    if at_head:
        return said
    if other_commit is None:
        name, revision = _name_and_revision(other)
        meant = _did_you_mean(where, name, revision) if name else ""
        return f"{said} ('{shown_value(other)}' is none here{meant})"
    return f"{said} (to judge {shown_value(other)}, check it out first: git checkout {shown_value(shlex.quote(other))})"


def _name_and_revision(ref: str) -> tuple[str, str]:
    """``main~5`` -> ("main", "~5"); ``main`` -> ("main", ""); ``@{-1}`` or ``:/text`` -> ("", ref)."""
    found = _REVISION_START.search(ref)
    return (ref[: found.start()], ref[found.start() :]) if found else (ref, "")


def _no_such_revision(where: Place, ref: str, name: str, revision: str) -> str:
    """What is wrong with ``ref`` when its ``name`` is here but the ``revision`` asked of it is not:
    how far back the name's history goes (``main~5`` of two commits), that its reflog or upstream
    lacks the entry; never another name, the user's one being right."""
    import shlex

    from okrctl.safetext import shown_value

    unknown = f"unknown git ref '{shown_value(ref)}': '{shown_value(name)}'"
    quoted = shown_value(shlex.quote(name))
    reflog = _REFLOG.fullmatch(revision)
    if reflog and reflog.group(1).lower() in _UPSTREAM:
        which = "push" if reflog.group(1).lower() == "push" else "upstream"
        return f"{unknown} has no {which} branch; give the branch to compare with"
    if reflog:
        return f"{unknown} has no such reflog entry ('git reflog {quoted}' lists them)"
    commit = _ancestry(where, name) if _ANCESTRY.fullmatch(revision) else None
    if commit is None:
        return f"{unknown} is here, but not what '{shown_value(revision)}' asks of it; give a branch, tag or commit"
    if re.search(r"\^(?:[2-9]|[1-9][0-9]+)", revision):
        # ``^2`` is a merge's second parent: a count of commits would not say why there is none.
        return (
            f"{unknown} has no such parent (^2 and on name a merge's other parents: "
            f"'git log --oneline --graph {quoted}' shows them)"
        )
    along, every = commit
    commits = f"{along} commit{'s' if along != 1 else ''}"
    if along == every:
        counted = f"its history is {commits}: 'git log --oneline {quoted}' lists them"
    else:
        # ``~`` follows first parents only: a merged branch's commits count in the log but not there.
        counted = (
            f"its history is {commits} along first parents, which ~ follows: "
            f"'git log --oneline --first-parent {quoted}' lists them"
        )
    return f"{unknown} has no commit so far back ({counted})"


def _ancestry(where: Place, name: str) -> tuple[int, int] | None:
    """How many commits ``name``'s history holds: along first parents, and in all; None when it names
    no commit or git cannot tell."""
    found = run_git(
        where.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}", check=False
    )
    commit = found.stdout.decode("ascii", "replace").strip()
    if found.returncode != 0 or len(commit) < 40:
        return None
    counts = []
    for first in (["--first-parent"], []):
        counted = run_git(where.top, "rev-list", "--count", *first, commit, check=False)
        text = counted.stdout.decode("ascii", "replace").strip()
        if counted.returncode != 0 or not text.isdigit():
            return None
        counts.append(int(text))
    return counts[0], counts[1]


def _not_in_shallow_clone(where: Place, ref: str) -> str:
    """Why ``ref``, unknown here, may be missing from this shallow clone, with the fetch that would
    bring it. Which branches the remote has is not known without asking it (okrctl never goes on the
    network): a plain name is one it may have (fetch it: unshallowing alone brings no branch the clone
    did not fetch), or a typo; both are said. A commit's hash, or a revision past the clone's first
    commit (``HEAD~5``), is in the history to fetch."""
    from okrctl.safetext import shown_value

    shown = shown_value(ref)
    history = (
        f"'{shown}' is not in this shallow clone; fetch the history first "
        "(git fetch --unshallow, or fetch-depth: 0 in actions/checkout)"
    )
    name = re.split(r"[~^]", ref, maxsplit=1)[0]
    suffix = ref[len(name) :]
    # ``refs/heads/main`` is the branch main: the remote has no branch named with the prefix. (A remote's
    # branch, ``refs/remotes/origin/main``, was given its fetch before; any other full name is none.)
    name = name.removeprefix("refs/heads/")
    if not name or _FULL_HASH.fullmatch(name) or not _BRANCH_LIKE.fullmatch(name) or name.startswith("-"):
        return history
    if name.startswith("refs/"):
        return history
    if suffix and object_kind(where.top, name) is not None:
        return history  # the name is here: what is missing is the history before the clone's first commit
    remotes = _remotes(where)
    remote_name = "origin" if "origin" in remotes else next(iter(remotes)) if len(remotes) == 1 else ""
    if not remote_name or ".." in name or name.endswith((".", "/", ".lock")):
        return history
    given = f"{remote_name}/{name}{suffix}"
    meant = _did_you_mean(where, name, suffix)
    # ``2026`` or ``cafe`` may be a branch of the remote or a commit's abbreviated hash: only the remote
    # could tell, so the fetch of each is said (unshallowing alone never brings the branch).
    commit = (
        "; if it is a commit's hash, fetch the history first (git fetch --unshallow)"
        if _HASH_LIKE.fullmatch(name)
        else ""
    )
    return (
        f"'{shown}' is not in this shallow clone: if {shown_value(remote_name)} has a branch '{shown_value(name)}', "
        f"fetch it with the history ('git fetch --unshallow {fetch_words(remote_name, name, f'{remote_name}/{name}')}', "
        f"or fetch-depth: 0 in actions/checkout) and give {shown_value(given)}{commit}; else it is an unknown git ref"
        f"{meant or ' (a typo?)'}"
    )


def _not_in_clone(where: Place, ref: str) -> str:
    """Why a commit's full hash names nothing in a clone that is not shallow and reads every commit
    its refs reach (``resolve_commit``): the clone fetched no branch that holds it (a ``--single-branch``
    clone of a pull request's branch, given the base's hash), with the fetch that brings it."""
    import shlex

    remotes = _remotes(where)
    remote_name = "origin" if "origin" in remotes else next(iter(remotes)) if len(remotes) == 1 else ""
    if not remote_name:
        return f"'{ref}' is not in this repository, which has no remote to fetch it from; give a branch, tag or commit"
    return (
        f"'{ref}' is not in this clone (it has fetched no branch that holds it); fetch the commit "
        f"('git fetch {shlex.quote(remote_name)} {ref.lower()}') or its branch, or every branch (fetch-depth: 0 in "
        "actions/checkout)"
    )


def _did_you_mean(where: Place, ref: str, revision: str = "") -> str:
    """`` (did you mean 'main'?)`` when a branch, remote branch or tag of this repository is close to
    ``ref`` (a typo: ``mian``); "" otherwise. A remote's branch is compared by its branch name and
    given whole (``origin/main``), as a CI checkout holds only those. ``ref`` is a name alone; the
    ``revision`` asked of it (``~1`` of ``mian~1``) follows the name offered (``main~1``)."""
    import difflib

    from okrctl.safetext import shown_value

    try:
        listed = run_git(
            where.top, "for-each-ref", "--format=%(refname)", "refs/heads", "refs/remotes", "refs/tags", check=False
        )
    except GitError:
        return ""
    if listed.returncode != 0:
        return ""
    remotes = sorted(_remotes(where), key=len, reverse=True)
    names: dict[str, str] = {}  # the name compared -> the ref to give
    for full in listed.stdout.decode("utf-8", "surrogateescape").splitlines():
        for kind in ("refs/heads/", "refs/tags/"):
            if full.startswith(kind):
                names.setdefault(full[len(kind) :], full[len(kind) :])
        if full.startswith("refs/remotes/") and not full.endswith("/HEAD"):
            short = full[len("refs/remotes/") :]
            names.setdefault(short, short)
            remote = next((r for r in remotes if short.startswith(r + "/")), "")
            if remote:
                names.setdefault(short[len(remote) + 1 :], short)
    close = difflib.get_close_matches(ref, [n for n in names if n != ref], n=1, cutoff=0.6)
    return f" (did you mean '{shown_value(names[close[0]] + revision)}'?)" if close else ""


def _no_commit_yet(where: Place) -> str:
    """Why HEAD names no commit: the repository has none, or its branch is new and empty (``git
    checkout --orphan``) while other branches have commits."""
    try:
        branch = run_git(where.top, "symbolic-ref", "-q", "--short", "HEAD", check=False)
        others = run_git(
            where.top, "for-each-ref", "--count=1", "--format=%(refname)", "refs/heads", "refs/remotes", check=False
        )
    except GitError:
        return "this repository has no commit yet: nothing to compare with; commit first"
    name = branch.stdout.decode("utf-8", "replace").strip() if branch.returncode == 0 else ""
    if others.returncode == 0 and others.stdout.strip():
        from okrctl.safetext import shown_value

        which = f"the branch '{shown_value(name)}'" if name else "HEAD"
        return (
            f"{which} has no commit yet (a new branch of its own, as git checkout --orphan makes): nothing to compare "
            "with; commit first, or name the ref to compare with"
        )
    return "this repository has no commit yet: nothing to compare with; commit first"


def fetch_words(remote: str, branch: str, ref: str) -> str:
    """The remote and refspec of the fetch that makes ``ref`` (``remote/branch``), each quoted for
    a shell where it needs it: a branch may be named ``rel(2026)`` or ``a;b``."""
    import shlex

    return f"{shlex.quote(remote)} {shlex.quote(f'{branch}:refs/remotes/{ref}')}"


def _tracking_name(ref: str) -> str:
    """``ref`` as ``<remote>/<branch>`` when it is written as the full name of a remote's branch
    (``refs/remotes/origin/main~1``, ``remotes/origin/main`` -> ``origin/main~1``, ``origin/main``):
    the branch to fetch is the part after the remote, never the prefix, which no remote's branch holds."""
    for prefix in ("refs/remotes/", "remotes/"):
        if ref.startswith(prefix):
            return ref[len(prefix) :]
    return ref


def _remote_branch(where: Place, ref: str) -> tuple[str, str] | None:
    """(remote, branch) when ``ref`` names a branch of one of the repository's remotes: the remote
    whose name it starts with (a remote's name may hold a slash: the longest), and a plain branch
    name after it (``origin/main~5`` names no branch that could be fetched)."""
    remotes = sorted(_remotes(where), key=len, reverse=True) if "/" in ref else []
    remote_name = next((name for name in remotes if ref.startswith(name + "/")), "")
    branch = ref[len(remote_name) + 1 :] if remote_name else ""
    if not branch or any(c in branch for c in "~^@:{}*?[\\ "):
        return None
    return remote_name, branch


def _remotes(where: Place) -> set[str]:
    """The remotes this repository names (``git remote``); empty when git cannot tell."""
    from okrctl.gitio.run import run_git

    try:
        listed = run_git(where.top, "remote", check=False)
    except GitError:
        return set()
    return set(listed.stdout.decode("utf-8", "replace").split()) if listed.returncode == 0 else set()


def _follow(
    rel: str, links: dict[str, bytes | None], files: dict[str, TreeEntry], folders: set[str], repositories: set[str]
) -> tuple[Outcome, str | None]:
    """Where the link at ``rel`` leads in the tree (``links.follow``): the words of an error are
    the working tree's own (``os.strerror``), so a link gives the same finding read from git as
    read from disk. ``repositories``: the submodules' paths."""

    def look(here: str) -> tuple[Kind, str | None]:
        if here in links:
            raw = links[here]
            return "link", None if raw is None else os.fsdecode(raw)
        if here in files:
            return "file", None
        if here in folders:
            return "folder", None
        return ("repository" if here in repositories else "missing"), None

    return follow(rel, look)


def _excluded_path(rel: str, patterns: list[str]) -> bool:
    """The working tree's walk: a file is left out when it, or one of its folders, matches."""
    if not patterns:
        return False
    parts = rel.split("/")
    for depth in range(1, len(parts)):
        if _excluded("/".join(parts[:depth]), patterns):
            return True
    return _excluded(rel, patterns)


def _exclude_patterns_in(raw: bytes | None) -> list[str]:
    if raw is None:
        return []
    try:
        parsed = parse_bytes(CONFIG_NAME, raw)
    except YamlProblem:
        return []
    for document in parsed:
        data = document.data
        if isinstance(data, dict) and data.get("kind") == "Config" and isinstance(data.get("exclude"), list):
            return [p for p in data["exclude"] if isinstance(p, str)]
    return []


def _problem(rel: str, message: str, hint: str = "", *, about: str = "") -> Finding:
    return Finding("OKR100", "error", rel, 1, 1, message, hint, about=about)


def load_ref(
    root: Path,
    ref: str,
    *,
    use_cache: bool = True,
    where: Place | None = None,
    label: str | None = None,
    shared: Shared | None = None,
    scope: ScopeRule = None,
) -> RefRepo:
    """The okrctl repository at ``root`` as it is at git ``ref`` (a branch, tag, commit, ``HEAD~1``…).

    With ``use_cache``, okrctl's store answers for every blob whose bytes were parsed before (in
    the working tree, another ref, another repository); without it every file is parsed. Raises
    RefError (exit 2) for an unknown ref, a ref without ``okrctl.yaml``, a ref beyond a shallow
    clone and one whose trees git cannot read (a partial clone's not fetched, a damaged
    repository's missing: never taken for "no okrctl.yaml"). ``label`` names the ref in messages
    (default: ``ref`` itself). With ``shared`` (the other side of a diff), a file with the same
    bytes there is neither read nor validated again: its documents are the other side's. With
    ``scope`` (``load_repo``'s), the check-ins it does not want are left unread; it is decided on the
    whole repository at the ref, lent documents included.
    """
    from okrctl.load.cache import ParseCache, digest

    where = where or git_place(root)
    commit = resolve(where, ref)
    try:
        entries = list_tree(where.top, commit, where.prefix)
        if not _holds_config(entries):
            # The OKR folder moved since (into a monorepo's subfolder): the ref's files are where it was.
            former = former_prefix(root, where, commit)
            if former is not None:
                where = Place(where.top, former, where.shallow)
                entries = list_tree(where.top, commit, where.prefix)
    except ObjectsNotFetched as exc:  # ObjectsMissing too: a tree a full clone lacks, named
        raise RefError(f"'{label or ref}': {exc}") from None
    except GitError as exc:
        raise RefError(f"git: {exc}") from None
    folder_name = where.prefix.rstrip("/") or "the top of the repository"
    if entries is None or not _holds_config(entries):
        raise RefError(
            f"'{label or ref}' has no {CONFIG_NAME} in {folder_name}; compare with a ref made after 'okrctl init' "
            "(or pass --repo to the folder that holds it)"
        )
    files = {e.path: e for e in entries if e.is_file}
    repositories = {e.path for e in entries if e.mode == "160000"}  # submodules
    link_entries = {e.path: e for e in entries if e.is_link}
    folders = {posixpath.dirname(p) for p in files} | {posixpath.dirname(p) for p in link_entries}
    for name in list(folders):
        while name:
            name = posixpath.dirname(name)
            folders.add(name)

    def visible(rel: str) -> bool:
        return not rel.startswith(".") and "/." not in rel  # no hidden file or folder on the way

    config_entry = files.get(CONFIG_NAME)
    # The config is read first: its ``exclude`` globs decide what else belongs to the repository.
    # No blob is read before its size is known: a repository may hold one of any size.
    sizes: dict[str, int] = {}
    first = _sized_blobs(
        where.top, [e.oid for e in link_entries.values()] + ([config_entry.oid] if config_entry else []), sizes
    )
    patterns = _exclude_patterns_in(first.get(config_entry.oid) if config_entry else None)
    # A link whose blob is not read (over the size limit: no checkout could make such a link) is
    # taken for one that leaves the repository, as it always was.
    links = {rel: first.get(entry.oid) for rel, entry in link_entries.items()}

    sources: list[SourceFile] = []
    others: list[str] = []
    problems: dict[str, Finding] = {}
    read_from: dict[str, TreeEntry] = {}  # okrctl file -> the blob holding its content
    for rel in sorted(set(files) | set(link_entries)):
        if not visible(rel) or _excluded_path(rel, patterns):
            continue
        is_yaml = rel.endswith(YAML_SUFFIXES)
        shown, bad_name = shown_name(rel)
        if bad_name:
            # A path git holds that is not UTF-8: named with escapes, never read (as in a checkout).
            if is_yaml:
                sources.append(SourceFile(shown, os.devnull, bad_name=True))
                problems[shown] = _problem(shown, BAD_NAME_MESSAGE, BAD_NAME_HINT)
            else:
                others.append(shown)
            continue
        if rel in link_entries:
            outcome, target = _follow(rel, links, files, folders, repositories)
            if outcome == "outside" or (outcome == "unread" and is_yaml):
                said = OUTSIDE_MESSAGE if outcome == "outside" else UNREAD_MESSAGE
                sources.append(SourceFile(rel, os.devnull, link_problem=said))
                problems[rel] = _problem(rel, said, LINK_HINT, about=LINK_ABOUT)
            elif outcome in ("folder", "unread"):
                continue
            elif not is_yaml:
                if outcome == "file":
                    others.append(rel)
            elif outcome == "file" and target is not None:
                sources.append(SourceFile(rel, os.devnull))
                read_from[rel] = files[target]
            else:
                sources.append(SourceFile(rel, os.devnull))
                problems[rel] = _problem(
                    rel, f"cannot read file: {target}", LINK_HINT, about=LINK_ABOUT
                )  # as a checkout's read says
            continue
        if is_yaml:
            sources.append(SourceFile(rel, os.devnull))
            read_from[rel] = files[rel]
        else:
            others.append(rel)

    lent_oids = shared.oids if shared is not None else {}
    same_blob = {rel for rel, entry in read_from.items() if lent_oids.get(rel) == entry.oid and rel not in problems}
    needed = [e.oid for rel, e in read_from.items() if e.oid not in sizes and rel not in same_blob]
    contents_by_oid = {**first, **_sized_blobs(where.top, needed, sizes)}
    contents: dict[str, bytes] = {}
    digests: dict[str, str] = {}
    for source in sources:
        rel = source.rel
        if rel in problems:
            digests[rel] = ""
            continue
        entry = read_from[rel]
        if rel in same_blob and shared is not None:
            digests[rel] = shared.digests[rel]
            continue
        if sizes.get(entry.oid, 0) > MAX_FILE_BYTES:
            raw = bytes(MAX_FILE_BYTES + 1)  # the parser reports the size limit, as for the working tree
        else:
            found = contents_by_oid.get(entry.oid)
            if found is None:
                _not_fetched(where, label or ref, rel, entry.oid)
            raw = _not_in_lfs(label or ref, rel, found)
        contents[rel] = raw
        digests[rel] = digest(raw)
    lent = set()
    if shared is not None:
        loaded_there = shared.loaded()
        lent = {
            s.rel
            for s in sources
            if s.rel not in problems
            and digests[s.rel]
            and shared.digests.get(s.rel) == digests[s.rel]
            and s.rel in loaded_there
        }
    todo = [s for s in sources if s.rel not in lent]
    # (git objects have no stat: the work tree's stat table is neither read nor written)
    cache = ParseCache.open(root, stat_rows=False) if use_cache and todo else None
    if cache is not None:
        cache.scanned.update(digests[s.rel] for s in todo if digests[s.rel])  # what the store is asked for
    # The bytes of a file whose blob is the working tree's were not read (its digest is the working
    # tree's). When the load needs them after all (that load did not read the file, and the store
    # lost its entry or is off), they are read from git then (``Snapshot.bytes_of``), never from
    # the working tree: SourceFile.path is os.devnull.

    def late(rels: list[str]) -> dict[str, bytes]:
        oids = {rel: read_from[rel].oid for rel in rels if rel in read_from}
        found = _sized_blobs(where.top, list(oids.values()), sizes)
        for rel, oid in oids.items():
            if sizes.get(oid, 0) > MAX_FILE_BYTES:
                contents[rel] = bytes(MAX_FILE_BYTES + 1)  # the parser reports the size limit
            elif oid in found:
                contents[rel] = _not_in_lfs(label or ref, rel, found[oid])
        return {rel: contents[rel] for rel in oids if rel in contents}

    others = sorted(others)
    fingerprint = content_fingerprint(digests, others, problems)
    snapshot = Snapshot(root, Discovery(todo, others), digests, contents, problems, fingerprint, cache, late=late)
    if scope is not None and lent and shared is not None:
        scope = _seeing_lent(scope, sources, lent, shared.repo)
    loaded = load_repo(root, snapshot=snapshot, scope=scope)
    docs, findings = loaded.docs, loaded.file_findings
    if lent and shared is not None:
        docs, findings = _merge(sources, lent, loaded, shared.repo)
    config, config_doc, dropped = root_config(docs)  # a broken okrctl.yaml keeps its valid settings
    ref_repo = RefRepo(
        loaded.root,
        config,
        config_doc,
        docs,
        findings,
        len(sources),
        loaded.other_files,
        ref=label or ref,
        commit=commit,
        prefix=where.prefix,
        contents=contents,
        digests=digests,
        oids={rel: e.oid for rel, e in read_from.items()},
        lender=shared.repo if lent and shared is not None else None,
    )
    # The store this load read, or the lender's when every file was lent: the findings of the rules
    # (``rules.memo``) are kept there by content, as for the work tree. (Not as its parse cache:
    # the places of a side's findings are those of its own bytes, found as before.)
    if cache is not None:
        ref_repo.findings_store = cache.store
    elif use_cache and shared is not None:
        ref_repo.findings_store = shared.repo.findings_store
    ref_repo.dropped_cycles = dropped
    ref_repo.left_out = loaded.left_out
    return ref_repo


def _holds_config(entries: list[TreeEntry] | None) -> bool:
    return entries is not None and any(e.path == CONFIG_NAME and (e.is_file or e.is_link) for e in entries)


def former_prefix(root: Path, where: Place, commit: str) -> str | None:
    """Where the okrctl folder at ``root`` was at ``commit`` when it has moved since (its
    ``okrctl.yaml`` renamed, as ``git log --follow`` from HEAD tells: ``gitio.moves``), from git's
    top with a trailing "/"; None when it has not moved, or ``commit`` holds it in none of its
    former folders. A move not yet committed (staged with ``git mv``, or the whole folder moved
    with a plain ``mv``) is asked of git's rename detection from ``commit`` to the working tree
    (``moves.moved_before_commit``) when HEAD's history does not tell: the gate run before the
    commit judges the change as it will be judged once committed."""
    from okrctl.gitio.moves import FormerPlaces, moved_before_commit

    places = FormerPlaces(root, where.top, at_top=True).result()
    for folder in places.before:
        prefix = os.fsdecode(folder)
        if holds_file(where.top, commit, prefix + CONFIG_NAME):
            return prefix
    moved = moved_before_commit(where.top, commit, os.fsencode(where.prefix))
    if moved is not None and holds_file(where.top, commit, os.fsdecode(moved) + CONFIG_NAME):
        return os.fsdecode(moved)
    return None


def moved_since(root: Path, base: RefRepo, head: Repo) -> dict[str, str]:
    """The files that moved from ``base`` to ``head``, old path -> new path: those whose bytes
    moved whole (``findings.moved_files``; committed or not), and those git finds renamed from
    the base's commit to the head's (to the files on disk, as the index lists them, when ``head``
    is the working tree: a staged rename edited since counts), where the old path is gone or holds
    other bytes in ``head`` (another file took its name) and the new one is new or held other
    bytes in ``base``. The base's side is looked for where the base was read (the okrctl folder's
    former place when it moved since). In the working tree, a file moved without git (not staged)
    whose bytes are the base's blob as the checkout wrote it (CRLF line endings, a smudge filter)
    moved whole too (``_moved_as_checked_out``)."""
    moves = moved_files(base.digests, head.digests)
    taken = set(moves.values())
    left = [rel for rel, digest in base.digests.items() if head.digests.get(rel) != digest and rel not in moves]
    came = [rel for rel, digest in head.digests.items() if base.digests.get(rel) != digest and rel not in taken]
    if not base.commit or not left or not came or len({*left, *came}) < 2:
        return moves  # no file left one path and arrived at another: nothing can have been renamed
    try:
        where = place(root)
        target = head.commit if isinstance(head, RefRepo) and head.commit else None
        new_prefix = head.prefix if isinstance(head, RefRepo) and head.commit else where.prefix
        found = renames(where.top, base.commit, target, base.prefix, new_prefix)
    except GitError:  # NotAGitRepository, UnknownRef (no commit yet) and GitMissing are ones
        return moves
    for old, new in found.items():
        if old in moves or new in taken or old == new or old not in base.digests or new not in head.digests:
            continue
        # The old path's bytes left it (gone, or another file's now) and the new path's arrived.
        if head.digests.get(old) != base.digests[old] and base.digests.get(new) != head.digests[new]:
            moves[old] = new
            taken.add(new)
    if target is None:
        moves.update(_moved_as_checked_out(root, where, base, head, moves))
    return moves


def _moved_as_checked_out(root: Path, where: Place, base: RefRepo, head: Repo, moves: dict[str, str]) -> dict[str, str]:
    """The files moved in the working tree without git (a plain ``mv``, not staged) and unedited,
    whose bytes are not their blob's: git converts a file on checkout (``core.autocrlf``, as on
    Windows runners; ``eol=crlf``; a smudge filter), so the checkout's bytes never equal the base's,
    and the index does not list the new path for git's rename detection. For the files no other
    way paired (gone from the base, or at a path another file moved to; new in the working tree),
    the base's blob ids are compared with what git would store of the new files, converted by their
    paths (``gitio.hashing.stored_ids``); only a blob that one such old file and one new file alone
    have pairs them, as ``moved_files`` pairs bytes. Git is asked only when both sides have such a
    file."""
    paired = set(moves.values())
    gone = {
        rel: oid
        for rel, oid in base.oids.items()
        if base.digests.get(rel) and (rel not in head.digests or rel in paired) and rel not in moves
    }
    if not gone:
        return {}
    # Only files on disk: a name the load could not read or shows with escapes is no path git can open.
    came = [
        rel
        for rel, digest in head.digests.items()
        if digest and rel not in base.digests and rel not in paired and (root / rel).is_file()
    ]
    if not came:
        return {}
    try:
        stored = stored_ids(where.top, [where.prefix + rel for rel in came])
    except GitError:
        return {}
    if not stored:
        return {}
    return moved_files(gone, {rel: stored[where.prefix + rel] for rel in came})


def _not_fetched(where: Place, label: str, rel: str, oid: str) -> NoReturn:
    """A RefError with the fix when ``rel``'s blob is missing: a file left unread would turn into an
    invented change (every finding of it new, its objectives "can be read again"). A partial clone
    has not fetched it (the remote has it); a full clone lacks it (a damaged repository, a
    ``--shared`` or ``--reference`` source that pruned it), as ``list_tree`` says of a tree."""
    if partial_clone(where.top):
        raise RefError(f"'{label}': git has not fetched {rel}; {PARTIAL_CLONE_FIX}")
    from okrctl.gitio.damage import MISSING_OBJECTS_FIX
    from okrctl.safetext import shown_path

    raise RefError(
        f"'{label}': git cannot read {shown_path(rel)}: its blob, git object {oid[:12]}, is missing; {MISSING_OBJECTS_FIX}"
    )


def _not_in_lfs(label: str, rel: str, raw: bytes) -> bytes:
    """``raw``, the blob of ``rel`` at ``label``; a RefError with the fix when it is a Git LFS
    pointer. Every file a ref's load reads passes here: parsed, a pointer would be a broken file
    whose objectives vanish (a moved target unseen, every objective "can be read again")."""
    if lfs.pointer(raw):
        raise RefError(f"'{label}' holds {rel} as a Git LFS pointer, not its YAML; {lfs.FIX}")
    return raw


def _sized_blobs(top: Path, oids: list[str], sizes: dict[str, int]) -> dict[str, bytes]:
    """The content of each blob of ``oids`` within the size limit. Their sizes are asked for first
    (added to ``sizes``): a repository may hold a blob of any size, and one over the limit is never
    read. A missing object is left out."""
    try:
        return blobs(top, [oid for oid in oids if sizes.get(oid, 0) <= MAX_FILE_BYTES], sizes)
    except GitError as exc:
        raise RefError(f"git: {exc}") from None


def _seeing_lent(scope: ScopeRule, sources: list[SourceFile], lent: set[str], lender: Repo) -> Callable[[Repo], Scope]:
    """``scope`` decided on the repository as it is at the ref: the documents read here with those
    lent (the load itself holds only the former), and with the lent check-ins counted by
    ``Scope.checkins`` (duplicates and each owner's latest span both)."""

    def decide(partial: Repo) -> Scope:
        docs, findings = _merge(sources, lent, partial, lender)
        config, config_doc, _dropped = root_config(docs)
        whole = Repo(partial.root, config, config_doc, docs, findings, len(sources), partial.other_files)
        chosen = scope(whole) if callable(scope) else scope
        if chosen is not None and chosen.deciders():
            seen = [
                (doc.model.owner, doc.model.date)
                for doc in lender.docs
                if doc.kind == "CheckIn" and doc.model is not None and doc.path in lent
            ]
            for decider in chosen.deciders():
                decider.also_seen(seen)
        return chosen if chosen is not None else Scope()

    return decide


def _merge(sources: list[SourceFile], lent: set[str], loaded: Repo, lender: Repo) -> tuple[list[Doc], list[Finding]]:
    """Documents and per-file findings in file order: the lent files' from ``lender``, the others' as loaded."""
    docs_by_file: dict[str, list[Doc]] = defaultdict(list)
    findings_by_file: dict[str, list[Finding]] = defaultdict(list)
    for repo, keep in ((loaded, lambda rel: rel not in lent), (lender, lambda rel: rel in lent)):
        for doc in repo.docs:
            if keep(doc.path):
                docs_by_file[doc.path].append(doc)
        for finding in repo.file_findings:
            if keep(finding.path):
                findings_by_file[finding.path].append(finding)
    docs = [d for s in sources for d in docs_by_file.get(s.rel, ())]
    findings = [f for s in sources for f in findings_by_file.get(s.rel, ())]
    return docs, findings


# ----- the two sides of a comparison ---------------------------------------------------------------
@dataclass(frozen=True)
class SideSpec:
    """One side to load: a commit (``ref`` as the user named it) or the working tree (``commit`` None)."""

    label: str
    commit: str | None = None


WORKING_TREE = SideSpec("working tree")
DEFAULT_BRANCHES = ("origin/HEAD", "main", "master")


def default_branch(where: Place) -> str | None:
    """``origin/HEAD``, else ``main``, else ``master``: the first this repository knows. A name it
    knows but cannot use (``main`` both a branch and a tag, its commit missing) is a RefError saying
    so, as when the user names it: passing on to the next would compare with another branch, silently."""
    for name in DEFAULT_BRANCHES:
        try:
            resolve_commit(where.top, name, shallow=where.shallow)
        except UnknownRef:
            continue
        except AmbiguousRef as exc:
            raise RefError(f"the default branch: {_ambiguous(name, exc)} as the base (okrctl diff BASE)") from None
        except GitError:
            resolve(where, name)  # raises the RefError that names the cause (a commit missing) and the fix
            raise
        return name
    return None


def _merge_base(where: Place, one: str, other: str) -> SideSpec:
    from okrctl.gitio.tree import merge_base

    first, second = resolve(where, one), resolve(where, other)
    try:
        found = merge_base(where.top, first, second, shallow=where.shallow)
    except GitError as exc:
        raise RefError(f"git: {exc}") from None
    if found is None:
        if where.shallow:
            raise RefError(
                f"the merge base of {one} and {other} is not in this shallow clone; fetch the history first "
                "(git fetch --unshallow, or fetch-depth: 0 in actions/checkout)"
            )
        raise RefError(f"{one} and {other} share no history; name both sides: okrctl diff BASE HEAD")
    return SideSpec(f"merge base of {one} and {other}", found)


def sides(root: Path, first: str | None, second: str | None) -> tuple[SideSpec, SideSpec, Place]:
    """BASE and HEAD as ``git diff`` reads them: ``A B``, ``A..B``, ``A...B`` (merge base), ``A``
    (against the working tree) or nothing (the merge base with the default branch, against the
    working tree, uncommitted changes included)."""
    from okrctl.safetext import shown_value

    where = git_place(root)
    if first is None:
        resolve(where, "HEAD")  # a repository without commits says so before anything else
        branch = default_branch(where)
        if branch is None:
            raise RefError(
                "no default branch to compare with (origin/HEAD, main or master); name the base: okrctl diff BASE"
            )
        return _merge_base(where, "HEAD", branch), WORKING_TREE, where
    # The rule ``_range`` follows: two dots in a ``^{/text}`` or ``:/text`` search are the search's.
    split = _range_split(first)
    if split is not None:
        if second is not None:
            raise RefError(f"give either '{first}' or two refs, not both")
        one, separator, other = split
        one, other = one or "HEAD", other or "HEAD"
        if _range_split(other) is not None:
            raise RefError(f"'{shown_value(first)}' holds more than one range; give one (A..B or A...B) or two refs")
        head = SideSpec(other, resolve(where, other))
        if separator == "...":
            return _merge_base(where, one, other), head, where
        return SideSpec(one, resolve(where, one)), head, where
    if second is not None and _range(second) is not None:
        raise RefError(f"give either two refs or the range '{shown_value(second)}', not both")
    base = SideSpec(first, resolve(where, first))
    head = SideSpec(second, resolve(where, second)) if second is not None else WORKING_TREE
    return base, head, where
