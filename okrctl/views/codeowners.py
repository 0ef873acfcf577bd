"""A CODEOWNERS file from the unit tree and its members, so the git host asks the right people.

Conventional layout first, one group per unit (tree order): the unit's objective files
(``okrs/*/<unit>.yaml``), check-ins (``checkins/<unit>/``) and retros (``retros/*/<unit>-*.yaml``)
are owned by its members; the file of a unit by the members of the unit above it (the root's by
the root); the config by the root; a strategy file by its owner. Files that hold something else
than their conventional place says (another team's objective in ``okrs/x/discover.yaml``, a
strategy anywhere) get their own line at the end: in CODEOWNERS the last matching line wins.
A path that would need its own line but holds a control character (a newline, say) is left out
and listed in ``left_out``: CODEOWNERS has no escape for it, and written as is it would become
other lines, patterns the generator never meant.

Every entry also says which of the repository's files it claims (``claims``), so that tests can
check each pattern against git's own matcher.
"""

from __future__ import annotations

import fnmatch
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from okrctl.findings import Finding
from okrctl.load.discover import CONFIG_NAME
from okrctl.load.documents import Doc
from okrctl.load.index import Repo
from okrctl.model import CheckIn, Objective, Reading, Retro, Strategy, Unit


@dataclass
class Entry:
    pattern: str  # as written in CODEOWNERS (anchored at the repository's top)
    owners: list[str]  # e-mail addresses
    claims: list[str] = field(default_factory=list)  # files (relative to the okrctl root) it owns now


@dataclass
class Group:
    title: str  # a comment line above the entries
    entries: list[Entry]


@dataclass
class CodeOwners:
    groups: list[Group]
    without_members: list[str]  # units whose files nobody can be asked to review
    prefix: str  # the okrctl root relative to the top of the git repository ("" or "okr/")
    left_out: list[str] = field(default_factory=list)  # files that need a line of their own and cannot have one

    def entries(self) -> list[Entry]:
        return [e for g in self.groups for e in g.entries]


_SPECIAL = re.compile(r"([\\*?\[\] #!])")


def escape_path(path: str) -> str:
    """A literal path for CODEOWNERS: glob characters, spaces and a leading ``#``/``!`` escaped."""
    return _SPECIAL.sub(r"\\\1", path)


# A newline or carriage return ends the line (the rest would be read as another pattern), a tab
# separates the pattern from its owners; none of them has an escape in CODEOWNERS.
_UNWRITABLE = re.compile(r"[\x00-\x1f\x7f]")


def _writable(path: str) -> bool:
    """Whether ``path`` can be written as one CODEOWNERS pattern (no control character in it)."""
    return _UNWRITABLE.search(path) is None


def _matches(pattern: str, path: str) -> bool:
    """gitignore semantics for the generator's own anchored patterns (``*`` never crosses ``/``).

    A pattern without a trailing ``/`` matches a file of that name and also a folder of that name,
    with everything under it (GitHub reads CODEOWNERS as gitignore does): ``okrs/*/discover.yaml``
    owns ``okrs/x/discover.yaml/lab.yaml``. A pattern with one matches only what is under it."""
    directory = pattern.endswith("/")
    wanted = pattern.strip("/").split("/")
    parts = path.split("/")
    if len(parts) < len(wanted) or (directory and len(parts) == len(wanted)):
        return False
    parts = parts[: len(wanted)]
    return all(fnmatch.fnmatchcase(part, want) for part, want in zip(parts, wanted, strict=True))


_GLOB = re.compile(r"[*?\[]")


def _last_match(conventional: list[tuple[str, str]]) -> Callable[[str], str | None]:
    """The last of ``conventional``'s patterns that matches a path (as ``_matches`` has it), found
    among the few that could: a file pattern by its depth and last segment (at the path's depth, or
    at a folder's above it, which the pattern matches too), a folder pattern by its segments.
    Checking every pattern against every file took minutes at 1,000 teams."""
    files: dict[tuple[int, str], list[int]] = defaultdict(list)
    folders: dict[tuple[str, ...], list[int]] = defaultdict(list)
    others: list[int] = []  # a glob where the index looks: checked for every path
    for index, (pattern, _uid) in enumerate(conventional):
        parts = pattern.strip("/").split("/")
        if pattern.endswith("/") and not any(_GLOB.search(part) for part in parts):
            folders[tuple(parts)].append(index)
        elif not pattern.endswith("/") and not _GLOB.search(parts[-1]):
            files[(len(parts), parts[-1])].append(index)
        else:
            others.append(index)

    def last(path: str) -> str | None:
        parts = path.split("/")
        found = list(others)
        for depth in range(1, len(parts) + 1):
            found += files.get((depth, parts[depth - 1]), ())
            if depth < len(parts):
                found += folders.get(tuple(parts[:depth]), ())
        matching = [i for i in found if _matches(conventional[i][0], path)]
        return conventional[max(matching)][0] if matching else None

    return last


def _tree_order(repo: Repo) -> list[str]:
    return repo.tree_order()  # units in a loop (OKR106) or under no unit (OKR104) come last


def _file_owners(repo: Repo) -> dict[str, set[str]]:
    """Every okrctl file with the units answerable for what it holds."""
    owners: dict[str, set[str]] = defaultdict(set)
    root = repo.root_unit()
    for doc in repo.docs:
        model = doc.model
        if isinstance(model, (Objective, Strategy, CheckIn, Reading, Retro)):
            owners[doc.path].add(model.owner)
        elif isinstance(model, Unit):
            owners[doc.path].add(model.parent or model.id)
    if root is not None:
        owners[CONFIG_NAME].add(root)
    return owners


def tree_problems(repo: Repo) -> list[str]:
    """What makes the unit tree an unsure source of owners, in words (``align`` gives each its
    finding): a loop of parents. (A unit id used twice is refused: ``unit_used_twice``.)"""
    problems: list[str] = []
    looped = sorted(uid for uid in repo.units if _in_a_loop(repo, uid))
    if looped:
        problems.append(f"units in a loop of parents: {', '.join(looped)} (OKR106)")
    return problems


def unit_used_twice(repo: Repo) -> tuple[str, tuple[str, int], tuple[str, int]] | None:
    """The first unit id that two unit documents give, with where each says it (path, line): the
    members of one of them would own the unit's files, chosen by which file sorts first (a file
    added as ``units/aa.yaml`` would take a team's files over). None when every id is once."""
    first: dict[str, Doc] = {}
    for doc in repo.docs:
        if doc.kind != "Unit" or doc.model is None:
            continue
        seen = first.setdefault(doc.model.id, doc)
        if seen is not doc:
            return (doc.model.id, _id_place(repo, seen), _id_place(repo, doc))
    return None


def _id_place(repo: Repo, doc: Doc) -> tuple[str, int]:
    line, _column, _about = repo.place(doc, ("id",))
    return doc.path, line or doc.line


def unit_left_out(repo: Repo) -> Finding | None:
    """The first error of a file that holds a unit, or may (it could not be read into documents at
    all): that unit would have no line in a CODEOWNERS that looks complete. None when there is none."""
    kinds: dict[str, set[str | None]] = {}
    for doc in repo.docs:
        kinds.setdefault(doc.path, set()).add(doc.kind if doc.model is None else None)
    for finding in sorted(repo.unread_findings(), key=Finding.sort_key):
        held = kinds.get(finding.path)
        if held is None or "Unit" in held:
            return finding
    return None


def _in_a_loop(repo: Repo, uid: str) -> bool:
    """Whether following ``uid``'s parents comes back to it."""
    met: set[str] = set()
    current = repo.unit(uid)
    while current is not None and current.parent and current.parent not in met:
        if current.parent == uid:
            return True
        met.add(current.parent)
        current = repo.unit(current.parent)
    return False


def codeowners(repo: Repo, prefix: str = "") -> CodeOwners:
    """The CODEOWNERS entries of ``repo``; ``prefix`` is where the okrctl root sits in git.

    Refuses (ContentError) a ``prefix`` with a control character: it starts every pattern, so
    each line would break into patterns the generator never meant. So is one with bytes that are
    not UTF-8 (kept by ``surrogateescape``): CODEOWNERS is UTF-8, so the file could not be written
    at all, and printed the raw bytes would make a file the host cannot read.
    """
    from okrctl.safetext import undecoded_bytes

    if not _writable(prefix) or undecoded_bytes(prefix):
        from okrctl.errors import ContentError
        from okrctl.safetext import shown_path, the_bytes

        what = "a control character" if not _writable(prefix) else f"{the_bytes(undecoded_bytes(prefix))}, not UTF-8,"
        raise ContentError(
            f"{shown_path(prefix.rstrip('/'))}: the OKR repository's folder has {what} in its "
            "path, which CODEOWNERS cannot write; rename the folder"
        )
    members = {uid: doc.model.people for uid, doc in repo.units.items()}
    file_owners = _file_owners(repo)
    root = repo.root_unit()
    groups: list[Group] = []
    anchored = "/" + escape_path(prefix)  # ids are slugs: only the folder needs escaping
    conventional: list[tuple[str, str]] = []  # (pattern relative to the root, unit), in file order
    for uid in _tree_order(repo):
        if not members.get(uid):
            continue
        patterns = []
        if uid == root:
            patterns.append(CONFIG_NAME)
        patterns += [f"units/{child}.yaml" for child in repo.children(uid)]
        if uid == root:
            patterns.append(f"units/{uid}.yaml")
        # A retro's file is <unit>-<stage>.yaml, the stage mid or end: "<unit>-*.yaml" would also
        # claim the retros of a unit whose id starts with this one's and a dash (cards-b2b).
        patterns += [
            f"okrs/*/{uid}.yaml",
            f"checkins/{uid}/",
            f"readings/{uid}/",
            f"retros/*/{uid}-mid.yaml",
            f"retros/*/{uid}-end.yaml",
        ]
        conventional.extend((p, uid) for p in patterns)
        unit = repo.unit(uid)
        title = f"{unit.display_name} ({uid})" if unit else uid
        groups.append(Group(title, [Entry(anchored + p, members[uid]) for p in patterns]))

    def wanted_owners(path: str) -> list[str]:
        found: list[str] = []
        for uid in sorted(file_owners.get(path, set())):
            found.extend(m for m in members.get(uid, []) if m.lower() not in {f.lower() for f in found})
        return found

    last_match = _last_match(conventional)
    by_pattern = {e.pattern: e for e in (entry for g in groups for entry in g.entries)}
    group_of = {uid: g for uid, g in zip([u for u in _tree_order(repo) if members.get(u)], groups, strict=True)}
    explicit: list[Entry] = []
    left_out: list[str] = []
    for path in sorted(file_owners):
        owners = wanted_owners(path)
        winner = last_match(path)  # the last matching line wins
        units = sorted(u for u in file_owners[path] if members.get(u))
        if winner is not None and by_pattern[anchored + winner].owners == owners:
            by_pattern[anchored + winner].claims.append(path)
        elif not _writable(path) and (owners or winner is not None):
            left_out.append(path)  # it needs a line of its own, which cannot be written
        elif winner is None and len(units) == 1:
            # No conventional line matches (a strategy file, say): it sits with its unit's lines.
            group_of[units[0]].entries.append(Entry("/" + escape_path(prefix + path), owners, [path]))
        elif owners:
            explicit.append(Entry("/" + escape_path(prefix + path), owners, [path]))
        elif winner is not None:
            # Nobody to ask, but a conventional line would name the wrong people: say so with no owner.
            explicit.append(Entry("/" + escape_path(prefix + path), [], [path]))
    if explicit:
        groups.append(Group("Files outside the conventional layout, or shared by several units", explicit))
    without = sorted(uid for uid in repo.units if not members.get(uid))
    return CodeOwners(groups, without, prefix, left_out)
