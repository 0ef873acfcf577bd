"""Changes of targets, baselines and titles, read from the git history of the objective files.

Every version of every file that ever held objectives is parsed with okrctl's own loader and
validated like ``align`` does; two versions of an objective are compared field by field, so a
reformatted file or a moved comment is never mistaken for a moved target. ``history``, OKR601 and
the report's "targets that moved" all read through ``target_changes``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from okrctl import lfs
from okrctl.analysis.changes import TargetChange, commit_fields
from okrctl.gitio.log import (
    UNREAD_LFS,
    UNREAD_MISSING,
    AddedBlobs,
    Commit,
    FileHistory,
    FileVersion,
    UnreadVersion,
    file_history,
    named_versions,
)
from okrctl.gitio.moves import FolderPlaces, Places
from okrctl.load.index import Repo

# What a KR change may touch, in the order changes of one commit are listed.
KR_FIELDS = ("title", "baseline", "target", "min", "max", "pace")
# The goalposts: moving one of these after the cycle started is what OKR601 and the report flag.
# A new ``pace`` moves the expected line (the status) as a new target moves the end of it.
GOALPOSTS = ("baseline", "target", "min", "max", "pace")
# Where okrctl writes objectives: read as a whole so files that were moved or deleted still count.
OBJECTIVES_FOLDER = "okrs"
# In ``Repo.derived``: what ``moved_targets`` could not see of the history, for standard error.
MOVED_NOTE_KEY = "moved_targets_note"


class HistoryUnread(Exception):
    """``moved_targets`` could not read the history at all; the message says why ("not a git
    repository"), for "Moved targets were not read (…)" where the list would be."""


@dataclass(frozen=True)
class KRSnapshot:
    title: Any
    baseline: Any
    target: Any
    min: Any
    max: Any
    pace: Any = None  # ``_pace_text``


@dataclass(frozen=True)
class ObjectiveSnapshot:
    """The fields of one objective that history compares, in one version of one file."""

    id: str
    cycle: str | None
    title: Any
    key_results: dict[str, KRSnapshot]
    valid: bool = True  # False: read from a version that fails its schema (``_snapshot_of_data``)


@dataclass
class History:
    """The changes found, and what the reader should know about the history they come from."""

    changes: list[TargetChange] = field(default_factory=list)
    in_git: bool = True
    shallow: bool = False
    oldest_commit: str | None = None  # the oldest commit that touched the files
    oldest_day: date | None = None
    problem: str | None = None  # git failed: the list is empty for that reason
    files: int = 0  # how many objective files (plus the okrs/ folder) were followed
    skipped: list[str] = field(default_factory=list)  # commits git listed whose date could not be read
    # Versions of the files that were compared but could not be read (a missing git object, a
    # version over the size limit): a change to or from one of them is not in ``changes``.
    unread: list[UnreadVersion] = field(default_factory=list)
    today: date | None = None  # the day the history is shown on (the JSON envelope's "today")
    since: date | None = None  # ``history --since``: the first day of the changes shown
    # For one objective asked for that no file holds now: the commit that took it out, if git saw one.
    removed: Removal | None = None
    # For that objective, along the branch's own line of commits, oldest first: each commit after
    # which it was held (None) or no longer held (its Removal). Empty when git never saw it.
    presence: list[tuple[date, Removal | None]] = field(default_factory=list)
    # For that objective: the file that held it in the last version git shows of it (a version that
    # could not be read is taken to hold it still), or None when git never saw it.
    last_file: str | None = None
    # For that objective: the key results of every version of it git showed (a slip in the ref is
    # told by them, as a live objective's are), and the objectives of every version read.
    key_results_in_git: set[str] = field(default_factory=set)
    objectives_in_git: set[str] = field(default_factory=set)

    def removed_as_of(self, day: date | None) -> tuple[bool, Removal | None]:
        """(whether git ever held the objective, the removal in force on ``day``); ``day`` None:
        now. Before the first commit seen to hold it or take it out, nothing is in force (a commit
        that only adds files is not read: it may have been there)."""
        known = [removal for when, removal in self.presence if day is None or when <= day]
        return bool(self.presence), (known[-1] if known else None)

    @property
    def note(self) -> str | None:
        """A line about missing history (a shallow clone, a git failure, no git at all)."""
        if not self.in_git:
            return "not inside a git repository: there is no history to read"
        if self.problem:
            return f"git could not read the history: {self.problem}"
        notes = []
        if self.shallow:
            start = f" starts at {self.oldest_day} (commit {self.oldest_commit[:7]})" if self.oldest_commit else ""
            notes.append(
                f"shallow clone: the history{start}; earlier changes are not visible "
                "(run 'git fetch --unshallow' to see all of it)"
            )
        if self.skipped:
            notes.append(skipped_words(self.skipped))
        if self.unread:
            notes.append(unread_words(self.unread))
        return "; ".join(notes) or None

    def to_dict(self) -> dict[str, Any]:
        return {
            "in_git": self.in_git,
            "shallow": self.shallow,
            "oldest_commit": self.oldest_commit,
            "oldest_date": self.oldest_day.isoformat() if self.oldest_day else None,
            "note": self.note,
            "changes": [c.to_dict() for c in self.changes],
            "removed": self.removed.to_dict() if self.removed is not None else None,
        }


def skipped_words(skipped: list[str]) -> str:
    """``2 commits left out: …`` for commits whose date okrctl cannot read: none that git can
    parse, or one past the year 9999 (git reads it; Python's dates end there). A commit's date is
    whatever its author wrote, so such a commit is named rather than passed over in silence."""
    shown = ", ".join(sha[:7] for sha in skipped[:3]) + (", …" if len(skipped) > 3 else "")
    count = len(skipped)
    return (
        f"{count} commit{'s' if count != 1 else ''} left out: {'their dates' if count != 1 else 'its date'} "
        f"cannot be read (none, or past the year 9999) ({shown})"
    )


def unread_words(unread: list[UnreadVersion]) -> str:
    """``2 versions of the objective files could not be read (git object missing: PATH as committed
    in 1a2b3c4, …); changes to or from them are not shown``."""
    from okrctl.safetext import one_line, shown_path

    def named(versions: list[UnreadVersion]) -> str:
        shown = [
            f"{shown_path(v.path)} {'as committed in' if v.after else 'before'} {v.commit[:7]}" for v in versions[:3]
        ]
        return one_line(", ".join(shown) + (", …" if len(versions) > 3 else ""))

    missing = [v for v in unread if v.reason == UNREAD_MISSING]
    in_lfs = [v for v in unread if v.reason == UNREAD_LFS]
    large = [v for v in unread if v.reason not in (UNREAD_MISSING, UNREAD_LFS)]
    reasons = []
    if missing:
        reasons.append(f"git object{'s' if len(missing) != 1 else ''} missing: {named(missing)}")
    if in_lfs:
        reasons.append(f"kept in Git LFS, git holds a pointer: {named(in_lfs)}")
    if large:
        reasons.append(f"over the 1 MiB limit: {named(large)}")
    count = len(unread)
    return (
        f"{count} version{'s' if count != 1 else ''} of the objective files could not be read ({'; '.join(reasons)}); "
        f"changes to or from {'them' if count != 1 else 'it'} are not shown" + (f"; {lfs.FIX}" if in_lfs else "")
    )


@dataclass(frozen=True)
class Removal:
    """The last commit after which no file it touched held an objective that it held before."""

    day: date
    commit: str
    author_name: str
    author_email: str
    path: str  # the file that held the objective before that commit

    def to_dict(self) -> dict[str, Any]:
        return commit_fields(self.day, self.commit, self.author_name, self.author_email, self.path)


# ----- reading versions ----------------------------------------------------------------------------
def _checked(kind: str, value: Any) -> Any:
    """A field as found in a file that does not validate, if it passes its own check (``kind``:
    "number", "text" or "pace", as the models type them), else None: unreadable, like a misspelt
    key. ``target: "1400"``, ``75%``, ``1_400`` or ``.nan`` is no target (OKR101 says so), and a
    version that holds one moves nothing: the value read before is compared with the next one read."""
    from pydantic import ValidationError

    try:
        return _field_checks()[kind].validate_python(value)
    except ValidationError:
        return None


@functools.cache
def _field_checks() -> dict[str, Any]:
    from pydantic import TypeAdapter

    from okrctl.model.base import IsoDate, Number, Text

    return {
        "number": TypeAdapter(Number),
        "text": TypeAdapter(Text),
        "pace": TypeAdapter(dict[IsoDate, Number]),
    }


def _number(value: Any) -> Any:
    # The models read every number as a float; 90 reads better than 90.0 in history and JSON.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _pace_text(value: Any) -> str | None:
    """A key result's pace as one line, its points in date order (``2026-11-01: 50, 2026-12-01:
    70``); None without one, or for a pace that is not a mapping (its file's own finding says so)."""
    if not isinstance(value, dict) or not value:
        return None
    points = sorted((str(day), _number(number)) for day, number in value.items())
    return ", ".join(f"{day}: {number}" for day, number in points)


def _snapshot_of_model(model: Any) -> ObjectiveSnapshot:
    krs = {
        kr.id: KRSnapshot(
            kr.title,
            _number(getattr(kr, "baseline", None)),
            _number(getattr(kr, "target", None)),
            _number(getattr(kr, "min", None)),
            _number(getattr(kr, "max", None)),
            _pace_text(getattr(kr, "pace", None)),
        )
        for kr in model.key_results
    }
    return ObjectiveSnapshot(model.id, str(model.cycle), model.title, krs)


def _snapshot_of_data(data: dict[Any, Any]) -> ObjectiveSnapshot | None:
    """An objective that does not validate (a typo elsewhere in it) still shows its targets."""
    objective_id = data.get("id")
    if not isinstance(objective_id, str):
        return None
    krs: dict[str, KRSnapshot] = {}
    items = data.get("key_results")
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and isinstance(item.get("id"), str) and item["id"] not in krs:
            krs[item["id"]] = KRSnapshot(
                _checked("text", item.get("title")),
                _number(_checked("number", item.get("baseline"))),
                _number(_checked("number", item.get("target"))),
                _number(_checked("number", item.get("min"))),
                _number(_checked("number", item.get("max"))),
                _pace_text(_checked("pace", item.get("pace"))),
            )
    cycle = data.get("cycle")
    return ObjectiveSnapshot(
        objective_id, None if cycle is None else str(cycle), _checked("text", data.get("title")), krs, valid=False
    )


def objectives_in_version(path: str, raw: bytes) -> dict[str, ObjectiveSnapshot]:
    """The objectives of one version of one file, by id (empty when the version is not YAML)."""
    from pydantic import ValidationError

    from okrctl.load.documents import parse_bytes
    from okrctl.load.yamlparse import YamlProblem
    from okrctl.model import Objective

    try:
        documents = parse_bytes(path, raw, want_positions=False)
    except YamlProblem:
        return UNREADABLE
    from okrctl.kinds import KINDS

    found: dict[str, ObjectiveSnapshot] = {}
    unsure = False  # a document that may be an objective whose id or kind cannot be read
    for document in documents:
        data = document.data
        if not isinstance(data, dict):
            continue
        if data.get("kind") != "Objective":
            unsure = unsure or data.get("kind") not in KINDS  # ``kind: Objectiv``
            continue
        if not isinstance(data.get("id"), str):
            unsure = True  # ``idd: a1``
            continue
        try:
            snapshot: ObjectiveSnapshot | None = _snapshot_of_model(Objective.model_validate(data))
        except ValidationError:
            snapshot = _snapshot_of_data(data)
        if snapshot is not None:
            found.setdefault(snapshot.id, snapshot)
    return _Unreadable(found) if unsure else found


class _Unreadable(dict[str, "ObjectiveSnapshot"]):
    """What a version that is not YAML holds, as far as anyone can tell: nothing (and it says so);
    or one with a document whose kind or id cannot be read: the objectives it can tell, and that
    it may hold another one."""


UNREADABLE: dict[str, ObjectiveSnapshot] = _Unreadable()


class _Versions:
    """Parses each distinct file content once (a revert brings back a version already read)."""

    def __init__(self) -> None:
        self.seen: dict[bytes, dict[str, ObjectiveSnapshot]] = {}

    def objectives(self, path: str, raw: bytes | None) -> dict[str, ObjectiveSnapshot]:
        if raw is None:
            return {}
        found = self.seen.get(raw)
        if found is None:
            found = self.seen[raw] = objectives_in_version(path, raw)
        return found


# ----- comparing versions ----------------------------------------------------------------------------
def same_value(old: Any, new: Any) -> bool:
    """Whether a goalpost's two values are one (what OKR601 and ``align --baseline`` compare)."""
    # 90 and 90.0 are the same target; True is not 1.
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return bool(old == new)


def _commit_changes(
    repo: Repo, commit: Commit, versions: _Versions, carried: _Carried | None = None
) -> Iterable[TargetChange]:
    """The changes one commit made, comparing the objectives of every file it touched.

    Before and after are taken over all files of the commit together, so an objective moved from
    one file to another in the same commit is compared with itself.
    """
    if carried is not None and _only_adds(commit):
        # What it adds is new, unless it names an objective taken out after its cycle started:
        # then it may put that back, and its versions are read and compared.
        if not carried.taken_out or carried.added is None:
            return
        commit = carried.added.read(commit)
        if not _may_hold(commit, [objective_id.encode("utf-8") for objective_id in carried.taken_out]):
            return
    before: dict[str, ObjectiveSnapshot] = {}
    after: dict[str, tuple[ObjectiveSnapshot, str]] = {}
    unreadable_before: set[str] = set()  # files whose version before was not YAML
    unsure_after = False  # a version after that may hold objectives it does not show
    # A merge's other parents' versions: a value the merge took from one of them is no change of its own.
    elsewhere: dict[str, list[ObjectiveSnapshot]] = {}
    for version in commit.files:
        for raw in version.others:
            for objective_id, snapshot in versions.objectives(version.path, raw).items():
                elsewhere.setdefault(objective_id, []).append(snapshot)
    for version in commit.files:
        held = versions.objectives(version.path, version.old)
        if isinstance(held, _Unreadable):
            unreadable_before.add(version.path)
        for objective_id, snapshot in held.items():
            before.setdefault(objective_id, snapshot)
        now = versions.objectives(version.path, version.new)
        unsure_after = unsure_after or version.new_unread or isinstance(now, _Unreadable)
        for objective_id, snapshot in now.items():
            after.setdefault(objective_id, (snapshot, version.path))
    day = commit.day
    if carried is not None:  # the versions before are the last ones read (a history may start later)
        for objective_id, snapshot in before.items():
            carried.seen[objective_id] = snapshot
            held_started = _started(repo, snapshot, day)
            if snapshot.valid:
                carried.read_krs(objective_id, snapshot, held_started)
            if objective_id not in after and not unsure_after:
                carried.take_out(objective_id, snapshot, held_started)
    for objective_id in sorted(after):
        new, path = after[objective_id]
        started = _started(repo, new, day)
        old = before.get(objective_id)
        if old is None and carried is not None and path in unreadable_before:
            old = carried.seen.get(objective_id)  # the version before was not YAML: the last one that was
            if old is None:
                carried.blind.add(objective_id)  # what it held before is in commits this reading did not read
        if old is None and carried is not None:
            # Put back after its cycle started, once taken out after it began: compared with what it
            # held then. New to this reading after the start: it may have been taken out before.
            old = carried.taken_out.pop(objective_id, None)
            if old is not None and old.cycle != new.cycle:
                old = None  # put back in another cycle: an objective of that cycle, added
            if old is None and started:
                carried.blind.add(objective_id)
        if carried is not None:
            if old is not None and old.valid:
                carried.read_valid.add(objective_id)
            elif old is not None and objective_id not in carried.read_valid:
                carried.blind.add(objective_id)  # a value it leaves unreadable was set in a commit not read
            if new.valid:
                carried.read_valid.add(objective_id)
            carried.seen[objective_id] = new
        if old is None or old == new:
            if carried is not None:
                carried.read_krs(objective_id, new, started)
            continue
        for kr_id, name, old_value, new_value in _differences(old, new, carried, started):
            if _held_by_another_parent(elsewhere.get(objective_id, ()), kr_id, name, new_value):
                continue  # the side the merge took it from changed it: listed with that side's commit
            yield TargetChange(
                day=day,
                commit=commit.sha,
                author_name=commit.author_name,
                author_email=commit.author_email,
                path=path,
                objective_id=objective_id,
                kr_id=kr_id,
                field=name,
                old=old_value,
                new=new_value,
                cycle_started=(started or _started(repo, old, day)) and _started_now(repo, objective_id, day),
            )


def _held_by_another_parent(snapshots: Iterable[ObjectiveSnapshot], kr_id: str | None, name: str, value: Any) -> bool:
    """Whether a merge's other parent held ``value`` in this field (``kr_id`` None: the objective's title)."""
    for snapshot in snapshots:
        if kr_id is None:
            held = snapshot.title
        else:
            kr = snapshot.key_results.get(kr_id)
            if kr is None:
                continue
            held = getattr(kr, name)
        if same_value(held, value):
            return True
    return False


def _only_adds(commit: Commit) -> bool:
    """Whether a commit has no version before: it only adds files."""
    return not any(version.old is not None or version.old_unread for version in commit.files)


def _started(repo: Repo, snapshot: ObjectiveSnapshot, day: date) -> bool:
    """Whether the cycle ``snapshot`` names had started on ``day``."""
    cycle = repo.cycle(snapshot.cycle) if snapshot.cycle else None
    return cycle is not None and day >= cycle.start


def _started_now(repo: Repo, objective_id: str, day: date) -> bool:
    """Whether the cycle the objective has in ``repo`` had started on ``day`` (True when ``repo``
    holds no such objective, or names no cycle it knows: the cycle it had then decides alone).

    A change moved a goalpost when the objective's cycle had started on its day, before or after
    the commit (a target lowered in the commit that defers the objective was lowered in a running
    cycle), and the cycle it has now had started too: an objective moved to a later cycle keeps its
    history, and a target changed while it belonged to the earlier cycle was planning for the
    cycle it has now, not a goalpost moved in it."""
    doc = repo.objectives.get(objective_id)
    cycle = repo.cycle(doc.model.cycle) if doc is not None else None
    return cycle is None or day >= cycle.start


def _may_hold(commit: Commit, needles: list[bytes]) -> bool:
    """Whether a version of ``commit`` may hold one of these objective ids: it is written there, or
    the version holds what could spell an id another way (an escape, an alias, a tag)."""
    for version in commit.files:
        for raw in (version.old, version.new):
            if raw is not None and (any(n in raw for n in needles) or _may_spell_otherwise(raw)):
                return True
    return False


def _may_spell_otherwise(raw: bytes) -> bool:
    """Whether a version holds what could spell an id without its characters in a row (an escape,
    an alias, a tag) outside its comment lines ("*directionally*" in a comment spells nothing; an
    id, a slug, never holds a "#" that could start a line of a folded quoted text)."""
    if not any(marker in raw for marker in _SPELLED_ELSEWHERE):
        return False
    return any(
        marker in line
        for line in raw.splitlines()
        if not line.lstrip().startswith(b"#")
        for marker in _SPELLED_ELSEWHERE
    )


# What lets YAML write a text without its characters in a row: escapes, aliases, tags.
_SPELLED_ELSEWHERE = (b"\\", b"*", b"!")


def _presence(
    commit: Commit, versions: _Versions, objective_id: str, where: str | None
) -> tuple[date, Removal | None] | None:
    """What ``commit`` did to ``objective_id``: held it after ((day, None): added, changed, moved
    or back again; or held it before and wrote a version that cannot be read, which is taken to
    hold it still), took it out ((day, its Removal): a file it touched held it before and none
    holds it after), or nothing (None). ``where``: the file that held it last (``_last_file``)."""
    if any(objective_id in versions.objectives(v.path, v.new) for v in commit.files):
        return commit.day, None
    held = [
        v.path
        for v in commit.files
        if objective_id in versions.objectives(v.path, v.old) or (v.path == where and _unknown_before(v, versions))
    ]
    if not held:
        return None
    if _unknown_home(commit, versions, objective_id) is not None:
        # A merge key, a conflict marker or a version over the size limit is no removal.
        return commit.day, None
    return commit.day, Removal(commit.day, commit.sha, commit.author_name, commit.author_email, held[0])


def _last_file(commit: Commit, versions: _Versions, objective_id: str, before: str | None) -> str | None:
    """The file that holds ``objective_id`` after ``commit``, as far as git shows (``before``: the one
    that held it before): the file of a version after that holds it, else the one that held it before
    unless the commit took it out of that file (a version after that cannot be read may still hold it:
    that file's, or another's the commit wrote, as a rename is, which git's log gives as a removal and
    an addition)."""
    for version in commit.files:
        if objective_id in versions.objectives(version.path, version.new):
            return version.path
    for version in commit.files:
        if objective_id in versions.objectives(version.path, version.old):
            before = version.path  # a commit that only adds files is not read: this may be the first seen
    for version in commit.files:
        if version.path == before and not _unknown_after(version, versions):
            return _unknown_home(commit, versions, objective_id)
    return before


def _unknown_home(commit: Commit, versions: _Versions, objective_id: str) -> str | None:
    """The file of a version ``commit`` wrote that cannot be read (``_unknown_after``) and may hold
    ``objective_id``: one that names it, else one whose bytes git did not give or may spell it
    another way (``_may_spell_otherwise``); None when no such version may hold it (a file whose
    text has no trace of the id holds none of it)."""
    unknown = [version for version in commit.files if _unknown_after(version, versions)]
    needle = objective_id.encode("utf-8")
    named = [version for version in unknown if version.new is not None and needle in version.new]
    unsure = [version for version in unknown if version.new is None or _may_spell_otherwise(version.new)]
    return next((version.path for version in named + unsure), None)


def _unknown_after(version: FileVersion, versions: _Versions) -> bool:
    """Whether the version ``version`` wrote may hold objectives nobody can tell: it could not be
    read (missing, over the size limit), it is not YAML (a conflict marker, a merge key, a tab in
    the indentation), or a document of it has a kind or id that cannot be read."""
    return version.new_unread or isinstance(versions.objectives(version.path, version.new), _Unreadable)


def _unknown_before(version: FileVersion, versions: _Versions) -> bool:
    """``_unknown_after`` of the version ``version`` replaced."""
    return version.old_unread or isinstance(versions.objectives(version.path, version.old), _Unreadable)


_Field = tuple[str, str | None, str]  # (objective id, kr id or None, field)


@dataclass
class _Carried:
    """What comparing one commit with the one before cannot see, kept across the commits of one
    reading: the last value a field held before versions that fail their schema left it unreadable,
    with whether that version was valid (a valid version without a pace holds one all the same: the
    straight line, which a pace set later bends); and the fields that were set, then taken out
    (setting one again is a move, where setting a field never set is none)."""

    unread: dict[_Field, tuple[Any, bool]] = field(default_factory=dict)
    removed: set[_Field] = field(default_factory=set)
    # Each objective as the last version that held it had it, and each of its key results (a
    # version that is not YAML holds none of them; one whose key result's id is misspelt, not that
    # one): what the version after such a one is compared with.
    seen: dict[str, ObjectiveSnapshot] = field(default_factory=dict)
    seen_krs: dict[tuple[str, str], KRSnapshot] = field(default_factory=dict)
    # The objectives a valid version of this reading held, and those for which a comparison met a
    # version that fails its schema with nothing read before it: a reading that starts later
    # (``--since``, a report's month) may then miss a value carried from before its first commit.
    read_valid: set[str] = field(default_factory=set)
    blind: set[str] = field(default_factory=set)
    # Objectives and key results taken out after their cycle started, as they were then: put back,
    # each is compared with that (a target lowered by taking it out and putting it back is moved).
    # One taken out before the start is forgotten: put back, it is an addition (planning).
    # Either is compared only when put back in the cycle it was taken out of.
    taken_out: dict[str, ObjectiveSnapshot] = field(default_factory=dict)
    taken_out_krs: dict[tuple[str, str], tuple[KRSnapshot, str | None]] = field(default_factory=dict)
    # The versions commits of only added files name, read when one may put back what was taken out.
    added: AddedBlobs | None = None
    # Key results a valid version held on a day its cycle had started (with that cycle): only such
    # a key result can be taken out after the start, whatever broken versions came between.
    held_after_start: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def read_krs(self, objective_id: str, snapshot: ObjectiveSnapshot, started: bool = False) -> None:
        """The key results ``snapshot`` holds are the last seen of them; a valid version also
        tells that those it does not hold were taken out (kept in ``taken_out_krs`` when a valid
        version held them after their cycle started). ``started``: whether the cycle of
        ``snapshot`` had started on the day it was read for (a version before a commit held its key
        results up to that commit)."""
        if snapshot.valid:
            for key in [key for key in self.seen_krs if key[0] == objective_id and key[1] not in snapshot.key_results]:
                gone = self.seen_krs.pop(key)
                if key in self.held_after_start:
                    self.taken_out_krs[key] = (gone, self.held_after_start.pop(key))
                else:
                    self.taken_out_krs.pop(key, None)
            if started:
                self.held_after_start.update(((objective_id, k), snapshot.cycle) for k in snapshot.key_results)
        self.seen_krs.update(((objective_id, k), kr) for k, kr in snapshot.key_results.items())

    def take_out(self, objective_id: str, snapshot: ObjectiveSnapshot, started: bool) -> None:
        """``snapshot`` was the objective's last version before a commit took it out."""
        if started and snapshot.valid:
            self.taken_out[objective_id] = snapshot
        else:
            self.taken_out.pop(objective_id, None)


def _differences(
    old: ObjectiveSnapshot, new: ObjectiveSnapshot, carried: _Carried | None = None, started: bool = False
) -> Iterable[tuple[str | None, str, Any, Any]]:
    """(kr id or None for the objective, field, old, new) for every field that changed: a value set
    where the old version held none is no change (a pace set on a valid version is); one that was
    set is, also when it is then removed. A value a broken version leaves unreadable (``basline: 5``) is no change either:
    it is carried over (``carried``, across the commits of one reading) to the version that reads
    again, which is compared with the last value read (9, broken, 10: one move from 9 to 10)."""
    carried = _Carried() if carried is None else carried

    def change(kr_id: str | None, name: str, old_value: Any, new_value: Any) -> tuple[Any, Any] | None:
        key = (new.id, kr_id, name)
        if new_value is None and not new.valid:  # unreadable now: no move until it reads again
            if not (old_value is None and not old.valid):
                carried.unread.setdefault(key, (old_value, old.valid))
            return None
        before, before_valid = (old_value, old.valid)
        if old_value is None and not old.valid and key in carried.unread:
            before, before_valid = carried.unread.pop(key)
        else:
            carried.unread.pop(key, None)
        if same_value(before, new_value):
            return None
        if before is None:
            if key in carried.removed:  # set, taken out, and set again
                carried.removed.discard(key)
            elif name != "pace" or not before_valid:
                # Set where it never was (or a misspelt key spelled right), as far as this reading
                # saw: one that starts later cannot tell whether it was taken out before it began.
                carried.blind.add(new.id)
                return None
        if new_value is None:
            carried.removed.add(key)
        return before, new_value

    found = change(None, "title", old.title, new.title)
    if found is not None:
        yield None, "title", *found
    for kr_id, new_kr in new.key_results.items():
        old_kr = old.key_results.get(kr_id)
        if old_kr is None and not old.valid:  # its id unreadable there (``ID: kr-1``): as last seen
            old_kr = carried.seen_krs.get((new.id, kr_id))
        if old_kr is None:  # put back after it was taken out once its cycle started: what it was then
            taken = carried.taken_out_krs.pop((new.id, kr_id), None)
            if taken is not None and taken[1] == new.cycle:  # in another cycle, a key result of that one
                old_kr = taken[0]
        carried.seen_krs[(new.id, kr_id)] = new_kr
        if old_kr is None:
            if started:
                carried.blind.add(new.id)  # new to this reading: it may have been taken out before it
            continue  # a key result added: not a change of one
        for name in KR_FIELDS:
            found = change(kr_id, name, getattr(old_kr, name), getattr(new_kr, name))
            if found is not None:
                yield kr_id, name, *found
    carried.read_krs(new.id, new, started)


def history_paths(repo: Repo, cycle_ids: set[str] | None = None) -> list[str]:
    """The files to follow: those holding objectives (of ``cycle_ids``) now, every file removed
    while it held one (``removed_objective_files``), every path git saw one of them renamed from
    (``renamed_from``), and the okrs/ folder, also when it is gone: after the objective files moved
    out of it (a new layout), or into it from another folder, the changes made while they lay
    elsewhere are still the objectives' history (the move itself is one commit that removes and
    adds them, compared as one)."""
    paths = renamed_from(repo, {doc.path for doc in repo.objectives_in(cycle_ids)} | removed_objective_files(repo))
    paths = {p for p in paths if not p.startswith(OBJECTIVES_FOLDER + "/")}
    paths.add(OBJECTIVES_FOLDER)
    return sorted(paths)


def removed_objective_files(repo: Repo) -> set[str]:
    """The files outside okrs/ (which is followed whole) that a commit removed while they held an
    objective a file holds now: it came back in a later commit, in a new file or one git does not
    pair with its former file (``teams/`` to ``okrs/``, rewritten below git's similarity), and is
    compared with what it held when it left, wherever the folder layout put it. One ``git log`` of
    the removals, one ``git cat-file`` of the versions removed; kept for the run (``Repo.derived``)."""
    from okrctl.gitio.log import read_blobs
    from okrctl.gitio.moves import yaml_removals

    key = "removed_objective_files"
    if key not in repo.derived:
        removed = [
            (path, oid)
            for path, oid in yaml_removals(repo.root, _folder_places(repo))
            if not path.startswith(OBJECTIVES_FOLDER + "/")
        ]
        blobs = read_blobs(repo.root, sorted({oid for _, oid in removed}))
        versions = _Versions()
        repo.derived[key] = {
            path
            for path, oid in removed
            if oid in blobs and any(repo.objective(held) is not None for held in versions.objectives(path, blobs[oid]))
        }
    found: set[str] = repo.derived[key]
    return found


def _folder_places(repo: Repo) -> FolderPlaces | None:
    """``folder_places`` of the repository, asked of git once per run."""
    from okrctl.gitio.moves import folder_places

    if "renames_places" not in repo.derived:
        repo.derived["renames_places"] = folder_places(repo.root)
    found: FolderPlaces | None = repo.derived["renames_places"]
    return found


def renamed_from(repo: Repo, paths: set[str]) -> set[str]:
    """``paths`` and every path a file of them, or a file ever under okrs/, descends from through
    git's renames, at any depth (``teams/a.yaml`` → ``squads/a.yaml`` → ``okrs/2026-Q4/a.yaml``).
    A pathspec reaches only the path it names, so the history of ``okrs/2026-Q4/a.yaml`` alone
    would start at the move. Git is asked about the commits that added the files followed, then
    about those that added each former path found (a file moved twice); the answers are kept for
    the run (``Repo.derived``), whatever the number of callers. A folder moved below git's top (a
    monorepo's subfolder) is asked about under its former places too, its renames told as its own
    paths: a file renamed into okrs/ before the whole folder moved keeps its former path."""
    from okrctl.gitio.moves import yaml_renames

    moved = _folder_places(repo)
    asked: set[str] = repo.derived.setdefault("renames_asked", set())
    renames: list[tuple[str, str]] = repo.derived.setdefault("renames", [])
    found = set(paths)
    while True:
        grown = True
        while grown:  # until no rename adds a path: git's order of commits is not relied on
            before = len(found)
            found.update(old for old, new in renames if new in found or new.startswith(OBJECTIVES_FOLDER + "/"))
            grown = len(found) > before
        # The okrs/ folder stands for every file under it, as the history reads it.
        specs = {OBJECTIVES_FOLDER} | {p for p in found if not p.startswith(OBJECTIVES_FOLDER + "/")}
        new_specs = specs - asked
        if not new_specs:
            return found
        asked.update(new_specs)
        renames.extend(yaml_renames(repo.root, sorted(new_specs), moved))


def _known_places(repo: Repo) -> Places | None:
    """Where the folder lies and lay, as ``renamed_from`` asked git (``file_history`` then asks no more)."""
    found = repo.derived.get("renames_places")
    return None if found is None else found.places


def _with_merged_sides(repo: Repo, commits: list[Commit]) -> list[Commit]:
    """``commits`` with each merge's versions in its other parents (``FileVersion.others``) joined
    by those parents' versions at the paths its files were renamed from or to (``renamed_from``'s
    renames): a file moved on one side (``teams/a.yaml`` to ``okrs/2026-Q4/a.yaml``) and edited at
    its former path on the other is carried to its new path by the merge, and the value it took
    from the side is that side's commit's change, not the merge's too. One ``cat-file`` for all."""
    from dataclasses import replace

    linked: dict[str, set[str]] = {}
    for old, new in repo.derived.get("renames", []):
        linked.setdefault(old, set()).add(new)
        linked.setdefault(new, set()).add(old)
    if not linked:
        return commits

    def related(path: str) -> set[str]:
        found, todo = {path}, [path]
        while todo:
            for other in linked.get(todo.pop(), ()):
                if other not in found:
                    found.add(other)
                    todo.append(other)
        return found - {path}

    wanted: dict[tuple[str, str], list[str]] = {}  # (merge, path) -> names of the sides' versions
    for commit in commits:
        # A merge's files each have a version in every other parent; one not read is not compared.
        if not any(v.others and (v.old is not None or v.new is not None) for v in commit.files):
            continue
        own = {v.path for v in commit.files}
        for version in commit.files:
            for path in sorted(related(version.path) - own):
                wanted[(commit.sha, version.path)] = wanted.get((commit.sha, version.path), []) + [
                    f"{commit.sha}^{n}:./{path}" for n in range(2, len(version.others) + 2)
                ]
    if not wanted:
        return commits
    read = named_versions(repo.root, [name for names in wanted.values() for name in names])
    if not read:
        return commits
    merges = {sha for sha, _ in wanted}
    joined = []
    for commit in commits:
        if commit.sha in merges:
            files = [
                replace(v, others=v.others + tuple(read[n] for n in wanted.get((commit.sha, v.path), ()) if n in read))
                for v in commit.files
            ]
            commit = replace(commit, files=files)
        joined.append(commit)
    return joined


def _matches(change: TargetChange, ref: str | None) -> bool:
    if ref is None:
        return True
    objective_id, _, kr_id = ref.partition("/")
    if change.objective_id != objective_id:
        return False
    return not kr_id or change.kr_id == kr_id


def target_changes(
    repo: Repo,
    *,
    cycle_ids: set[str] | None = None,
    since: date | None = None,
    ref: str | None = None,
    fields: tuple[str, ...] | None = None,
    everywhere: bool = False,
) -> History:
    """Every change of a KR's title, baseline, target, min or max and of an objective's title.

    ``cycle_ids`` limits the files read to those holding objectives of these cycles (plus okrs/)
    and the changes to objectives of these cycles; ``since`` keeps changes committed on or after
    it; ``ref`` is an objective id or ``objective/kr``; ``fields`` keeps only those fields;
    ``everywhere`` follows every file rather than those holding objectives now.
    Changes are oldest first. Outside git the result is empty with ``in_git`` False.
    """
    # ``everywhere``: every YAML file of the repository's history, for an objective that no file
    # holds any more (its file may have been removed with it).
    paths = ["."] if everywhere else history_paths(repo, cycle_ids)
    gone = ref.partition("/")[0] if everywhere and ref is not None else None
    log: FileHistory = file_history(repo.root, paths, since=since, places=_known_places(repo))
    read_whole = since is None
    if not read_whole and any(_only_adds(commit) for commit in log.commits):
        # A commit of the range only adds files: what it adds may put back what a commit before
        # the range took out, which only the whole history tells (read as ``align`` reads it, a
        # commit of added files parsed only when it names an objective taken out).
        log = file_history(repo.root, paths, places=log.places)
        read_whole = True
    history = History(
        in_git=log.in_git,
        shallow=log.shallow,
        oldest_commit=log.oldest_sha,
        oldest_day=log.oldest_day,
        problem=log.problem,
        files=len(paths),
        skipped=log.skipped,
        unread=log.unread,
    )
    versions = _Versions()
    if gone is not None:
        # When it left is read from the branch's own line (a merge that dropped it is the commit
        # that did), over the whole history: a --since or a --today cuts the changes, not this.
        line = file_history(repo.root, paths, first_parent=True, places=log.places)
        for commit in line.commits:
            event = _presence(commit, versions, gone, history.last_file)
            if event is not None:
                history.presence.append(event)
            history.last_file = _last_file(commit, versions, gone, history.last_file)
        history.removed = history.removed_as_of(None)[1]
    carried = _Carried(added=AddedBlobs(repo.root, log.commits))
    changes = [
        change
        for commit in _with_merged_sides(repo, log.commits)
        for change in _commit_changes(repo, commit, versions, carried)
        if since is None or commit.day >= since  # a commit dated earlier among the range's: read, not listed
    ]
    if since is not None and not read_whole and carried.blind:
        # A version read first fails its schema, and the value it leaves unreadable was set before
        # ``since``: the whole history tells which (a move that spans the start is still a move).
        # Before ``since`` only the commits whose versions may hold those objectives are compared
        # (the others cannot carry a value of theirs): a file edited a thousand times is not parsed
        # a thousand times for an objective it never held. That reading answers for those
        # objectives alone; every other one is read as the range alone reads it, as when none is
        # blind (the commits left out would leave its carried values stale).
        blind = set(carried.blind)
        whole = file_history(repo.root, paths, places=log.places)
        needles = [objective_id.encode("utf-8") for objective_id in sorted(blind)]
        carried = _Carried(added=AddedBlobs(repo.root, whole.commits))
        again = [
            change
            for commit in _with_merged_sides(repo, whole.commits)
            if commit.day >= since or _may_hold(commit, needles)
            for change in _commit_changes(repo, commit, versions, carried)
            if commit.day >= since and change.objective_id in blind
        ]
        order = {commit.sha: index for index, commit in enumerate(whole.commits)}
        kept = [change for change in changes if change.objective_id not in blind]
        changes = sorted(again + kept, key=lambda c: (order.get(c.commit, -1), c.objective_id))
    for change in changes:
        if fields is not None and change.field not in fields:
            continue
        if not _matches(change, ref):
            continue
        if cycle_ids is not None:
            current = repo.objective(change.objective_id)
            if current is None or str(current.cycle) not in cycle_ids:
                continue
        history.changes.append(change)
    if gone is not None:
        read = [snapshot for found in versions.seen.values() for snapshot in found.values()]
        history.objectives_in_git = {snapshot.id for snapshot in read}
        history.key_results_in_git = {kr for snapshot in read if snapshot.id == gone for kr in snapshot.key_results}
    return history


def goalposts_changed(
    repo: Repo, base: str, head: str | None, *, on: date, files: list[str], objectives: set[str]
) -> set[_Field] | None:
    """The fields (objective id, kr id or None, field) that history counts as changed by the
    commits ``head`` reaches and ``base`` does not, each commit judged as OKR601 judges it (the
    whole history read before it: a value set, taken out and set again is a move; one set where it
    never was is none). ``head`` None: the working tree, judged as a commit of ``on`` on top of
    HEAD that changes ``files`` (relative to ``repo.root``); it is compared with HEAD's versions of
    those files, which must hold each of ``objectives``.

    None when history cannot tell: git fails or is absent, the clone is shallow, a commit or a
    version cannot be read, ``head`` is not reached from HEAD (the history read is HEAD's), or HEAD's
    versions of ``files`` do not hold one of ``objectives`` (it lay elsewhere there). ``diff`` then
    keeps its conservative words."""
    from datetime import UTC, datetime

    from okrctl.gitio.refs import reachable

    paths = history_paths(repo)
    log = file_history(repo.root, paths, places=_known_places(repo))
    if not log.in_git or log.problem or log.shallow or log.skipped or log.unread:
        return None
    from_head = reachable(repo.root, "HEAD")
    tip = from_head if head is None else reachable(repo.root, head)
    from_base = reachable(repo.root, base)
    if not from_head or not from_base or not tip or (head is not None and head not in from_head):
        return None
    in_range = tip - from_base
    versions = _Versions()
    carried = _Carried(added=AddedBlobs(repo.root, log.commits))
    changed: set[_Field] = set()
    for commit in _with_merged_sides(repo, log.commits):
        # Every commit is compared (what it sets or takes out is carried to the next), only those of
        # the range are counted.
        found = list(_commit_changes(repo, commit, versions, carried))
        if commit.sha in in_range:
            changed.update((c.objective_id, c.kr_id, c.field) for c in found)
    if head is None:
        from okrctl.gitio.commit import head_bytes

        compared = []
        for path in files:
            try:
                now = (repo.root / path).read_bytes()
            except OSError:
                return None
            compared.append(FileVersion(path, head_bytes(repo.root / path), now))
        held = {oid for version in compared for oid in versions.objectives(version.path, version.old)}
        if not objectives <= held:
            return None
        working_tree = Commit("", "", "", datetime(on.year, on.month, on.day, tzinfo=UTC), compared)
        changed.update(
            (c.objective_id, c.kr_id, c.field) for c in _commit_changes(repo, working_tree, versions, carried)
        )
    return changed


def moved_targets(repo: Repo, start: date, end: date) -> list[TargetChange]:
    """Baseline and target (or min/max) changes, and key results retitled, committed from ``start``
    to ``end`` inclusive.

    For objectives of any cycle; each change says whether its cycle had already started, so a
    report can tell a moved target from planning. ``HistoryUnread`` when there is no history to
    read (not a git repository, no git, git failing): an empty list would say that nothing moved.
    When the history may lack changes of those days (a shallow clone that starts after ``start``),
    or cannot be read, a line saying so is left in ``repo.derived[MOVED_NOTE_KEY]`` for standard
    error.
    """
    history = target_changes(repo, since=start, fields=(*GOALPOSTS, "title"))
    # A key result reworded is a goalpost moved in words ("… from 48% to 75%" → "… to 60%"); an
    # objective's own title is not a target (``diff`` shows it).
    history.changes = [c for c in history.changes if c.field != "title" or c.kr_id is not None]
    unseen = unseen_since(history, start)
    if unseen:
        repo.derived[MOVED_NOTE_KEY] = unseen
    if not history.in_git:
        import shutil

        why = "not a git repository" if shutil.which("git") else "git is not installed"
        repo.derived[MOVED_NOTE_KEY] = f"okrctl: note: the targets that moved were not read: {why}"
        raise HistoryUnread(why)
    if history.problem:
        raise HistoryUnread("git could not read the history")
    if not history.changes and history.oldest_commit is None and not _ever_committed(repo):
        # A repository with no commit yet, or objective files git does not track (an okrctl folder
        # untracked or ignored in another repository): no history to tell anything moved.
        why = "no commit holds the objective files"
        repo.derived[MOVED_NOTE_KEY] = f"okrctl: note: the targets that moved were not read: {why}"
        raise HistoryUnread(why)
    return [c for c in history.changes if start <= c.day <= end]


def committed_after(repo: Repo, day: date) -> bool:
    """Whether HEAD was committed after ``day`` (a ``--today`` pinned before the repository's
    latest work): the files read now may hold targets moved since. Asked of git once per run."""
    key = "head_commit_day"
    if key not in repo.derived:
        from okrctl.gitio.run import GitError
        from okrctl.gitio.tree import commit_day

        try:
            repo.derived[key] = commit_day(repo.root, "HEAD")
        except (GitError, OSError):
            repo.derived[key] = None
    head = repo.derived[key]
    return isinstance(head, date) and head > day


def _ever_committed(repo: Repo) -> bool:
    """Whether any commit of the branch touched the objective files (True when git cannot tell)."""
    from okrctl.gitio.run import GitError, run_git

    try:
        if run_git(repo.root, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0:
            return False  # no commit yet
        found = run_git(repo.root, "log", "-1", "--format=%H", "--", *history_paths(repo), check=False)
    except GitError:
        return True
    return found.returncode != 0 or bool(found.stdout.strip())


# Words of the notes that say the history was read in part (git failed, objects missing, versions
# too large): such an answer is not reused from the memo, since fetching the objects changes it
# without changing the repository's files or HEAD.
_INCOMPLETE_WORDS = ("may miss changes", "may be incomplete", "was not checked", "git could not read the history")


def history_incomplete(note: str) -> bool:
    """Whether a note of ``unseen_since`` or ``rules.history.history_note`` says so."""
    return any(words in note for words in _INCOMPLETE_WORDS)


def unseen_since(history: History, start: date) -> str:
    """A line (or two) when ``history`` may miss changes committed on or after ``start``: git failed,
    the clone is shallow and its history starts on or after that day (the oldest commit of a
    shallow clone shows no change of its own), or versions of those days could not be read. Empty
    when the history covers the days, or outside git."""
    if not history.in_git:
        return ""
    if history.problem:
        return f"okrctl: note: the targets that moved were not read: git could not read the history: {history.problem}"
    lines = []
    if history.shallow and (history.oldest_day is None or history.oldest_day >= start):
        since = f" starts at {history.oldest_day}" if history.oldest_day else " holds no change of the objective files"
        lines.append(
            f"okrctl: note: the targets that moved since {start} come from a shallow clone whose history{since}: "
            "changes up to its first commit are not shown (fetch-depth: 0 in actions/checkout, or 'git fetch --unshallow')"
        )
    if history.unread:
        lines.append(
            f"okrctl: note: the targets that moved since {start} may be incomplete: {unread_words(history.unread)}"
        )
    return "\n".join(lines)


def what_changed(change: TargetChange) -> str:
    """``target of onboarding-completion`` / ``title of the objective``."""
    if change.kr_id is None:
        return f"{change.field} of the objective"
    return f"{change.field} of {change.kr_id}"
