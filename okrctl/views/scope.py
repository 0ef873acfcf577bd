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

if TYPE_CHECKING:
    from collections.abc import Iterable

    from okrctl.load.pipeline import Scope
    from okrctl.model import Objective


def unit_list(repo: Repo, *, teams: bool = False) -> str:
    """The unit ids to choose from, for a message: every unit, or the teams (every unit when none
    is a team)."""
    ids = (repo.teams() or sorted(repo.units)) if teams else sorted(repo.units)
    return ", ".join(ids) if ids else "none: add units under units/"


def known_unit(repo: Repo, unit: str, option: str, *, teams: bool = False) -> str:
    """``unit`` when the repository declares it, else a usage error with a did-you-mean and the list."""
    if unit in repo.units:
        return unit
    hint = did_you_mean(unit, sorted(repo.units))
    listed = f"{'teams' if teams else 'units'}: {unit_list(repo, teams=teams)}"
    raise UsageError(f"{option}: unknown unit '{unit}'" + (f"; {hint}" if hint else "") + f" ({listed})")


def resolve_unit(repo: Repo, unit: str | None) -> str:
    """``--unit``, or the root unit when it is not given."""
    if unit is not None:
        return known_unit(repo, unit, "--unit")
    root = repo.root_unit()
    if root is None:
        raise UsageError("the repository defines no unit: add units/ (see 'okrctl schema --kind Unit')")
    return root


def known_cycle(repo: Repo, cycle_id: str, *, hint: str = "") -> Cycle:
    """The cycle ``--cycle`` names, else a usage error (with ``hint`` in brackets)."""
    found = repo.cycle(cycle_id)
    if found is None:
        raise UsageError(f"--cycle: unknown cycle '{cycle_id}'" + (f" ({hint})" if hint else ""))
    return found


def cycles_for(repo: Repo, today: date, cycle_id: str | None) -> list[Cycle]:
    """The cycle ``--cycle`` names, else every cycle that contains today."""
    return [known_cycle(repo, cycle_id)] if cycle_id is not None else repo.cycles_containing(today)


def checkins_of_cycles(
    cycles: list[Cycle], *, owners: set[str] | None = None, also: tuple[date, date] | None = None
) -> Scope:
    """The check-ins a view of ``cycles`` reads (those dated inside them; of ``owners`` only when
    given, and also inside ``also``): the loader leaves every other check-in in the store."""
    from okrctl.load.pipeline import Scope

    spans = [(c.start, c.end) for c in cycles] + ([also] if also else [])
    if not spans:
        return Scope(frozenset(owners) if owners is not None else None, date.max, date.min)
    return Scope(
        frozenset(owners) if owners is not None else None,
        min(start for start, _ in spans),
        max(end for _, end in spans),
    )


def latest_cycle(repo: Repo, objectives: Iterable[Objective], started_by: date | None = None) -> str | None:
    """The id of the latest cycle that holds one of ``objectives`` (started by ``started_by`` when
    given): where a view with nothing to show sends the reader."""
    found = [c for c in (repo.cycle(str(o.cycle)) for o in objectives) if c is not None]
    if started_by is not None:
        found = [c for c in found if c.start <= started_by]
    return max(found, key=lambda c: (c.end, c.start, c.id)).id if found else None
