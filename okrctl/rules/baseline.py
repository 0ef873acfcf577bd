"""``align --baseline REF``: judge a change, not the repository — only findings new since REF block.

The repository is evaluated twice with the same options and the same "today": as it is, and as it
was at REF (read from git objects, never checked out). A finding is new when its fingerprint is not
among REF's findings; a file that moved keeps its findings (``gitref.moved_since``,
``findings.as_moved``). Findings that only the calendar raised (``trigger: time``) are never new,
and a moved target (OKR601) is new only when the commit that moved it is not in REF's history and
the change as a whole moves that goalpost: a move the same change undoes (a target lowered, then
put back) leaves it as REF had it, and is not new.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from okrctl.findings import TRIGGER_TIME, Finding, as_moved

if TYPE_CHECKING:
    from okrctl.load.index import Repo
    from okrctl.load.pipeline import Scope


def classify(
    head: list[Finding],
    base: list[Finding],
    base_commits: set[str] | None = None,
    unmoved: set[str] | frozenset[str] = frozenset(),
) -> tuple[list[Finding], int]:
    """``head`` with ``new`` set on every finding, and how many are existing. ``unmoved``: the
    goalposts that are on both sides the same (``unmoved_goalposts``): a move of one of them from a
    commit REF does not hold was undone by the change itself."""
    known = {f.fingerprint for f in base}
    out: list[Finding] = []
    existing = 0
    for finding in head:
        if finding.stops_views:
            new = True  # a broken okrctl.yaml blocks whether or not the base had it: no view runs
        elif finding.trigger == TRIGGER_TIME:
            new = False
        elif "commit" in finding.data and base_commits is not None:
            goalpost = f"{finding.data.get('objective')}/{finding.data.get('goalpost')}"
            new = finding.data["commit"] not in base_commits and goalpost not in unmoved
        else:
            new = finding.fingerprint not in known
        existing += not new
        out.append(replace(finding, new=new))
    return out, existing


_NO_SUCH = object()  # a key result the repository does not hold


def _goalpost(repo: Repo, objective_id: str, kr_id: str, name: str) -> Any:
    """The value of one goalpost OKR601 follows (a key result's baseline, target, min, max or
    pace); ``_NO_SUCH`` when the repository has no such key result (of two with the id, the first)."""
    doc = repo.objectives.get(objective_id)
    for kr in doc.model.key_results if doc is not None else ():
        if kr.id == kr_id:
            return getattr(kr, name, None)
    return _NO_SUCH


def unmoved_goalposts(head: Repo, base: Repo | None, findings: list[Finding], base_commits: set[str]) -> set[str]:
    """Of the goalposts ``findings`` name as moved by a commit ``base`` does not hold (OKR601's
    ``objective`` and ``goalpost`` data), those ``head`` holds as ``base`` does, compared as OKR601
    compares them (``history.same_value``), as ``objective/key result/field``: the change undid
    their move. Only those are looked up."""
    from okrctl.analysis.history import same_value

    out: set[str] = set()
    if base is None:
        return out
    for finding in findings:
        objective, post = finding.data.get("objective"), finding.data.get("goalpost")
        if not isinstance(objective, str) or not isinstance(post, str) or finding.data.get("commit") in base_commits:
            continue
        kr_id, _, name = post.rpartition("/")
        here, there = _goalpost(head, objective, kr_id, name), _goalpost(base, objective, kr_id, name)
        if here is not _NO_SUCH and there is not _NO_SUCH and same_value(here, there):
            out.add(f"{objective}/{post}")
    return out


def in_paths(findings: list[Finding], paths: list[str] | None, *, every_representative: bool = False) -> list[Finding]:
    """Only the findings located in ``paths`` (root-relative files, or folders ending in '/'), and
    those a file of ``paths`` causes elsewhere: a duplicate whose first is there (``data["first"]``),
    so that the file adding an id another file already holds is not let through. With
    ``every_representative`` (the base's findings), also every one shown at a representative place
    that is one of a kind (``Finding.one_wherever_shown``): the change may show it on a file named
    (a check-in joining a group), and it is not new then. A duplicate is not one of a kind: a file
    named that adds a third copy of an id two files hold is new."""
    if paths is None:
        return findings
    named = _naming(paths)
    return [
        f
        for f in findings
        if named(f.path)
        or named(f.data.get("first"))
        or f.stops_views
        or (every_representative and f.one_wherever_shown)
    ]


def files_in_paths(rels: Iterable[str], paths: list[str]) -> list[str]:
    """The files of ``rels`` (root-relative) that ``paths`` names, as ``in_paths`` reads it."""
    named = _naming(paths)
    return [rel for rel in rels if named(rel)]


def _naming(paths: list[str]) -> Callable[[str | None], bool]:
    """Whether a root-relative path is one of ``paths``' files or lies in one of its folders."""
    files = {p for p in paths if not p.endswith("/")}
    folders = tuple(p for p in paths if p.endswith("/"))

    def named(path: str | None) -> bool:
        return path is not None and (path in files or bool(folders and path.startswith(folders)))

    return named


def before_moves(paths: list[str] | None, moves: dict[str, str]) -> list[str] | None:
    """``paths`` (as ``in_paths`` takes them) and the old path of every file that moved into them."""
    if paths is None or not moves:
        return paths
    files = {p for p in paths if not p.endswith("/")}
    folders = tuple(p for p in paths if p.endswith("/"))
    return paths + sorted(old for old, new in moves.items() if new in files or (folders and new.startswith(folders)))


def focus_of(repo: Repo, paths: list[str] | None) -> set[str] | None:
    """The files of ``repo`` that ``paths`` names (for ``rules.run(focus=...)``), None for all."""
    if paths is None:
        return None
    from okrctl.load.discover import CONFIG_NAME

    focus = {p for p in paths if not p.endswith("/")}
    folders = tuple(p for p in paths if p.endswith("/"))
    if folders:
        candidates = {d.path for d in repo.docs} | {f.path for f in repo.file_findings} | {CONFIG_NAME}
        focus |= {p for p in candidates if p.startswith(folders)}
    return focus


def baseline_findings(
    root: Path,
    commit: str,
    evaluate: Callable[[Repo, dict[str, str]], list[Finding]],
    head: Repo,
    scope: Callable[[Repo], Scope] | None = None,
    label: str | None = None,
) -> tuple[list[Finding], set[str], Repo]:
    """The findings of the repository at ``commit`` (via ``evaluate(repo, moves)``), the commits
    it holds and the repository itself (``unmoved_goalposts`` reads its goalposts).

    ``head`` is the repository as loaded from the working tree in this run; ``scope`` names the
    check-ins ``evaluate`` reads at the base (``load_repo``'s; default: every one); ``label`` names
    the base in messages (default: the commit). ``moves`` are
    the files that moved with their content since ``commit`` (old path -> new path): their
    findings are returned in their new place."""
    from okrctl.gitio.refs import reachable
    from okrctl.load.gitref import Shared, load_ref, moved_since

    # Files the same at the base as in the working tree are taken from ``head``, not parsed again.
    shared = Shared.of_work_tree(head, head.digests, root) if head.digests else None
    repo = load_ref(root, commit, use_cache=head.parse_cache is not None, shared=shared, scope=scope, label=label)
    moves = moved_since(root, repo, head)
    return as_moved(evaluate(repo, moves), moves), reachable(root, commit), repo
