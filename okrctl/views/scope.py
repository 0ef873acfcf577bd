"""What a command is about: the unit and the cycles its options name, checked against the repository.

An unknown id is a usage error that says what was probably meant and what there is, raised before
anything is computed from the id or any path is built from it.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from okrctl.errors import UsageError
from okrctl.load.documents import did_you_mean
from okrctl.load.index import Repo
from okrctl.model.cycle import Cycle
from okrctl.safetext import shown_value

if TYPE_CHECKING:
    from collections.abc import Iterable

    from okrctl.findings import Finding
    from okrctl.load.declared import Declared
    from okrctl.load.documents import Doc
    from okrctl.load.pipeline import Scope
    from okrctl.model import Objective


def unit_list(repo: Repo, *, teams: bool = False) -> str:
    """The unit ids to choose from, for a message, named: every unit (``units: …``), or the teams
    first and then the other units, which a command about one team accepts as well (``teams: …;
    other units: …``; every unit, named so, when none is a team)."""
    team_ids = repo.teams() if teams else []
    if team_ids:
        others = sorted(set(repo.units) - set(team_ids))
        return "teams: " + ", ".join(team_ids) + (f"; other units: {', '.join(others)}" if others else "")
    ids = sorted(repo.units)
    return "units: " + (", ".join(ids) if ids else "none: add units under units/")


def known_unit(repo: Repo, unit: str, option: str, *, teams: bool = False) -> str:
    """``unit`` when the repository declares it, else a usage error with a did-you-mean and the list
    (a unit whose file has errors is declared all the same: that file is named, exit 1)."""
    if unit in repo.units:
        return unit
    broken = _broken_unit(repo, unit, option) or (None if repo.units else _broken_unit_file(repo, anywhere=False))
    if broken is not None:
        # Its file has errors, or no unit could be read at all (the one file of the whole tree
        # broken): an id that cannot be told unknown, not "add units".
        raise broken
    hint = did_you_mean(unit, sorted(repo.units))
    listed = unit_list(repo, teams=teams)
    raise UsageError(f"{option}: unknown unit '{shown_value(unit)}'" + (f"; {hint}" if hint else "") + f" ({listed})")


def first_error_line(repo: Repo, path: str) -> int | None:
    """The line of the first error of a file whose documents (some or all) are left out."""
    lines = [f.line for f in repo.unread_findings() if f.path == path]
    return min(lines) if lines else None


def document_error_line(repo: Repo, doc: Doc, declared: Iterable[Declared]) -> int | None:
    """The line of the first error of one document of a file, as align reports it: the document
    runs to where the file's next one starts (a valid one, or one of ``declared``: what the broken
    documents declare, those of a file that is not YAML at all read line by line among them). None
    when no error of the file lies inside it."""
    starts = [d.line for d in repo.docs_at(doc.path)] + [d.doc.line for d in declared if d.doc.path == doc.path]
    end = min((line for line in starts if line > doc.line), default=None)
    lines = [
        f.line
        for f in repo.unread_findings()
        if f.path == doc.path and doc.line <= f.line and (end is None or f.line < end)
    ]
    return min(lines, default=None)


def broken_document_line(repo: Repo, doc: Doc, declared: Iterable[Declared] | None = None) -> int:
    """The line a refusal of a broken document names, as align reports it: its first error
    (``document_error_line``; ``declared`` read here when not given), else the file's first (an
    error elsewhere in it, a YAML one, keeps the whole file from being read), else where the
    document starts."""
    if declared is None:
        declared = _declared_with_errors(repo)
    return document_error_line(repo, doc, declared) or first_error_line(repo, doc.path) or doc.line


def resolve_unit(repo: Repo, unit: str | None) -> str:
    """``--unit``, or the root unit when it is not given."""
    if unit is not None:
        return known_unit(repo, unit, "--unit")
    root = repo.root_unit()
    if root is None:
        broken = _broken_unit_file(repo, anywhere=not repo.units)
        if broken is not None:
            # A unit file okrctl cannot read (a YAML error, an invalid unit) is why there is no top
            # unit: named, not "defines no unit" or a correct unit's parent to fix.
            raise broken
        if repo.units:
            raise _no_root(repo)
        from okrctl.errors import ContentError

        # The repository was found and every option is right: what it holds is refused (exit 1).
        raise ContentError("the repository defines no unit: add units/ (see 'okrctl schema --kind Unit')")
    return root


def _broken_unit(repo: Repo, unit: str, option: str) -> Exception | None:
    """The refusal naming the file of ``unit`` when it has errors, with the line of its first error:
    a broken document that declares that unit (in a file that is not YAML at all, read line by line
    as align reads it: the whole tree in one file, a forgotten '---'), else a file okrctl could read
    nothing of that is named for it (``units/<unit>.yaml``). None when there is none."""
    from pathlib import PurePosixPath

    from okrctl.errors import ContentError
    from okrctl.safetext import command_word

    found = repo.unread_findings()
    if not found:
        return None
    declared = _declared_with_errors(repo)
    own = next((said for said in declared if said.kind == "Unit" and said.id == unit), None)
    paths = [own.doc.path] if own is not None else []
    paths += sorted(
        f.path
        for f in found
        if f.path.startswith("units/")
        and PurePosixPath(f.path).name in (f"{unit}.yaml", f"{unit}.yml")
        and not repo.docs_at(f.path)
    )
    if not paths:
        return None
    path = paths[0]
    lines = sorted(f.line for f in found if f.path == path)
    said = "has errors here"
    if own is not None:
        # An error of the unit's own document is its own; else the file's first error is named,
        # the unit only being in that file.
        inside = document_error_line(repo, own.doc, declared)
        if inside is not None:
            lines = [inside]
        else:
            said = "is in this file, which has errors"
    return ContentError(
        f"the unit '{shown_value(unit)}' that {option} names {said}; fix it first "
        f"('okrctl align {command_word(path)}' shows every problem)",
        path=path,
        line=lines[0] if lines else None,
    )


def _declared_with_errors(repo: Repo) -> list[Declared]:
    """What the documents with errors declare, as align reads them (``load.unreadable``)."""
    from okrctl.load.unreadable import declared_with_errors

    return declared_with_errors(repo).documents


def last_checkin_day(repo: Repo, owner: str, day: date, since: date = date.min) -> date | None:
    """The day of the owner's last check-in in [``since``, ``day``], as OKR501 counts it: one with
    errors counts too, though left out of what is shown (the team did check in that day), dated by
    its own date or else by its file's name (``BrokenIndex.checkin_days``)."""
    from okrctl.load.unreadable import declared_with_errors

    days = [doc.model.date for doc in repo.checkins_of(owner)] + declared_with_errors(repo).checkin_days(owner)
    return max((d for d in days if since <= d <= day), default=None)


def member_left_out(repo: Repo, email: str) -> Exception | None:
    """The refusal when ``email`` is a member of no unit okrctl read while a file with errors holds
    a unit, or may (``_unit_file_errors``): the unit that lists ``email`` may be in it, so that file
    and the line of its first error are named, as for ``--team``. None when there is none."""
    from okrctl.errors import ContentError
    from okrctl.safetext import command_word

    found = _unit_file_errors(repo)
    if not found:
        return None
    first = found[0]
    return ContentError(
        f"no --team given, and git user.email {email} is a member of no unit okrctl could read; this "
        f"file has errors, and a unit in it may list that address: fix it first ('okrctl align "
        f"{command_word(first.path)}' shows every problem), or pass --team",
        path=first.path,
        line=first.line,
    )


def _unit_file_errors(repo: Repo) -> list[Finding]:
    """The errors of files that hold a unit, or may: those with a broken document that declares
    ``kind: Unit`` (read as align reads it) first, then the others under ``units/``; by file and line."""
    found = repo.unread_findings()
    if not found:
        return []
    units = {said.doc.path for said in _declared_with_errors(repo) if said.kind == "Unit"}
    held = [f for f in found if f.path in units or f.path.startswith("units/")]
    return sorted(held, key=lambda f: (f.path not in units, *_place(f)))


def _place(finding: Finding) -> tuple[str, int]:
    return finding.path, finding.line


def _broken_unit_file(repo: Repo, *, anywhere: bool) -> Exception | None:
    """The refusal naming a file with errors that holds (or, unreadable, may hold) a unit: one that
    declares ``kind: Unit``, else one under ``units/``, else (``anywhere``: no unit was read at all)
    any file whose documents are left out. None when there is none."""
    from okrctl.errors import ContentError
    from okrctl.safetext import shown_path

    ranked = _unit_file_errors(repo) or (sorted(repo.unread_findings(), key=_place) if anywhere else [])
    if not ranked:
        return None
    first = ranked[0]
    return ContentError(
        f"{shown_path(first.path)}:{first.line}: {first.message}; the organisation's units cannot be told until "
        "it is fixed ('okrctl align' shows every problem)"
    )


def _no_root(repo: Repo) -> Exception:
    """Units, but none without a parent: a parent that is no unit, or parents in a loop. The unit
    file and line to fix (exit 1: the repository's content, as ``align`` reports it)."""
    from okrctl.errors import ContentError
    from okrctl.safetext import shown_path

    def place(unit_id: str) -> str:
        doc = repo.units[unit_id]
        line, column = repo.position(doc, ("parent",))
        return f"{shown_path(doc.path)}:{line}:{column}"

    for unit_id in sorted(repo.units):
        parent = repo.units[unit_id].model.parent
        if parent and parent not in repo.units:
            return ContentError(
                f"{place(unit_id)}: unit '{unit_id}' has the parent '{parent}', which is not a unit, so the "
                "organisation has no top unit; fix that parent (the top unit has none)"
            )
    start = sorted(repo.units)[0]
    chain, seen = [start], {start}
    while (parent := repo.units[chain[-1]].model.parent) and parent not in seen:
        chain.append(parent)
        seen.add(parent)
    loop = chain[chain.index(parent) :] + [parent] if parent else chain
    return ContentError(
        f"{place(loop[0])}: the units' parents go round in a loop ({' → '.join(loop)}), so the organisation "
        "has no top unit; give the top unit no parent"
    )


def known_cycle(repo: Repo, cycle_id: str, *, hint: str = "") -> Cycle:
    """The cycle ``--cycle`` names, else a usage error (with ``hint`` in brackets)."""
    found = repo.cycle(cycle_id)
    if found is None:
        from okrctl.load.documents import did_you_mean

        # The cycles the config declares and the objectives name: a slip of case or a letter
        # ('FY-Q1' for 'fy-q1') is told, as OKR104 tells it in a file.
        named = [c.id for c in repo.config.cycles] + sorted({str(d.model.cycle) for d in repo.objectives.values()})
        said = "; ".join(part for part in (did_you_mean(cycle_id, named), hint) if part)
        raise UsageError(f"--cycle: unknown cycle '{shown_value(cycle_id)}'" + (f" ({said})" if said else ""))
    return found


def cycles_for(repo: Repo, today: date, cycle_id: str | None) -> list[Cycle]:
    """The cycle ``--cycle`` names, else every cycle that contains today."""
    return [known_cycle(repo, cycle_id)] if cycle_id is not None else repo.cycles_containing(today)


def strategy_cycles(repo: Repo, unit: str, day: date) -> list[Cycle]:
    """The cycles of the strategies of ``unit`` and its ancestors that contain ``day``. Before the
    first objective cycle (September, objectives from October) no objective's cycle holds the day,
    but the strategy above the unit does: a view of the unit (``report``, ``map``) then shows its
    cycle, whose priorities nobody serves yet."""
    above = {unit, *repo.ancestors(unit)}
    found = {
        cycle.id: cycle
        for doc in repo.strategies.values()
        if doc.model.owner in above and (cycle := repo.cycle(doc.model.cycle)) is not None and cycle.contains(day)
    }
    return sorted(found.values(), key=lambda c: (c.start, c.end, c.id))


def checkins_of_cycles(
    cycles: list[Cycle],
    *,
    owners: set[str] | None = None,
    also: tuple[date, date] | None = None,
    with_latest_before: bool = False,
) -> Scope:
    """The check-ins a view of ``cycles`` reads (those dated inside them; of ``owners`` only when
    given, and also inside ``also``): the loader leaves every other check-in in the store. With
    ``with_latest_before``, also each owner's latest check-in before them (``LatestBefore``)."""
    from okrctl.load.pipeline import Scope

    spans = [(c.start, c.end) for c in cycles] + ([also] if also else [])
    if not spans:
        return Scope(frozenset(owners) if owners is not None else None, date.max, date.min)
    first = min(start for start, _ in spans)
    return Scope(
        frozenset(owners) if owners is not None else None,
        first,
        max(end for _, end in spans),
        also=(LatestBefore(first, owners),) if with_latest_before else (),
    )


class LatestBefore:
    """A load's decider (``load.pipeline.Scope.also``): each owner's latest check-in dated before
    ``first`` (of ``owners``, when given). A view that says when each team last checked in reads
    it: a team that stopped before the view's cycles began did check in, that many days ago."""

    by_owner_and_day = True  # (``load.pipeline.Scope.by_owner_and_day``: the result keys are never read)

    def __init__(self, first: date, owners: Iterable[str] | None = None) -> None:
        self.first = first
        self.owners = frozenset(owners) if owners is not None else None
        self._seen: list[tuple[object, object]] = []
        self._latest: dict[str, date] = {}
        self._days: dict[str, date | None] = {}  # each day's text as a date (a year has few)

    def also_seen(self, checkins: Iterable[tuple[object, object]]) -> None:
        """Valid check-ins the load does not decide (lent by another load): counted by ``settle``."""
        self._seen.extend(checkins)

    def settle(self, checkins: Iterable[tuple[object, object]]) -> None:
        """Learn every valid check-in's (owner, day) first."""
        latest: dict[str, date] = {}
        days: dict[str, date | None] = {}
        for owner, value in [*checkins, *self._seen]:
            day = _day_of(value, days)
            if not isinstance(owner, str) or day is None or day >= self.first:
                continue
            if self.owners is not None and owner not in self.owners:
                continue
            if owner not in latest or day > latest[owner]:
                latest[owner] = day
        self._latest = latest

    def wanted(self, owner: object, value: object, keys: str | None) -> bool:
        """Whether the check-in of ``owner`` dated ``value`` is that owner's latest before ``first``
        (one whose date cannot be told is kept: the model then decides)."""
        if not isinstance(owner, str):
            return False
        day = _day_of(value, self._days)
        if day is None:
            return not isinstance(value, (str, date))
        return self._latest.get(owner) == day


def _day_of(value: object, known: dict[str, date | None]) -> date | None:
    """A check-in's day as a date (the index holds it as text), None when it is not one."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    if value not in known:
        try:
            known[value] = date.fromisoformat(value)
        except ValueError:
            known[value] = None
    return known[value]


def latest_cycle(repo: Repo, objectives: Iterable[Objective], started_by: date | None = None) -> str | None:
    """The id of the latest cycle that holds one of ``objectives`` (started by ``started_by`` when
    given): where a view with nothing to show sends the reader."""
    found = [c for c in (repo.cycle(str(o.cycle)) for o in objectives) if c is not None]
    if started_by is not None:
        found = [c for c in found if c.start <= started_by]
    return max(found, key=lambda c: (c.end, c.start, c.id)).id if found else None
