"""Peer dependencies acknowledged under ``supports``: one answer for ``align`` (OKR401) and ``diff``."""

from __future__ import annotations

import difflib

from okrctl.load.documents import Doc, closest
from okrctl.load.index import Repo
from okrctl.model import Objective

_UNPLACED = "analysis.unplaced_objectives"  # ``Repo.derived``: ``_unplaced``


def acknowledging(repo: Repo, needer: Objective, unit: str) -> list[Doc[Objective]]:
    """The valid objectives that acknowledge ``needer``'s dependency on ``unit``, as ``align`` counts
    them (no OKR401); documents with errors are asked apart. First, in repository order, those of
    ``unit`` in a cycle overlapping the needer's that list it under ``supports``. Then those that list
    it while their ``cycle:`` is unknown (``2026-q4``), or while their ``owner:`` is no unit and the
    unit it is closest to is ``unit`` (``identity-platfrom``, in an overlapping or unknown cycle):
    their OKR104 is the one finding. An owner close to no unit (a new team's draft, ``payments``) is
    no unit misspelt, and acknowledges nobody's need of another unit. An unknown cycle, the needer's
    or the provider's, is judged first (its OKR104) and overlaps any.

    An entry that is no objective and is close to the needer's id lists it too, misspelt: that
    entry's OKR104 is the one finding."""
    mine = repo.cycle(needer.cycle)
    found: list[Doc[Objective]] = []
    for doc in repo.objectives_of(unit):
        theirs = repo.cycle(doc.model.cycle)
        if theirs is not None and (mine is None or theirs.overlaps(mine)) and _lists(repo, doc.model, needer.id):
            found.append(doc)
    for doc in _unplaced(repo):
        model = doc.model
        if not _lists(repo, model, needer.id):
            continue
        theirs = repo.cycle(model.cycle)
        if model.owner == unit:
            if theirs is None:
                found.append(doc)
        elif (theirs is None or mine is None or theirs.overlaps(mine)) and _misspelt(repo, model.owner, unit):
            found.append(doc)
    return found


def _lists(repo: Repo, provider: Objective, objective_id: str) -> bool:
    """Whether ``provider`` lists ``objective_id`` under ``supports``, as written or misspelt (an
    entry that is no objective, close to it)."""
    if objective_id in provider.supports:
        return True
    dangling = [s for s in provider.supports if s not in repo.objectives]
    return bool(dangling and difflib.get_close_matches(objective_id, dangling, n=1, cutoff=0.6))


def _misspelt(repo: Repo, owner: str, unit: str) -> bool:
    """Whether ``owner``, written in an objective, is no unit and most likely ``unit`` misspelt: the
    unit closest to it, as OKR104's "did you mean" finds it."""
    return owner not in repo.units and closest(owner, list(repo.units)) == unit


def _unplaced(repo: Repo) -> list[Doc[Objective]]:
    """The valid objectives whose cycle is unknown or whose owner is no unit (OKR104), worked out
    once a run."""
    found: list[Doc[Objective]] | None = repo.derived.get(_UNPLACED)
    if found is None:
        found = [
            doc
            for doc in repo.objectives.values()
            if repo.cycle(doc.model.cycle) is None or doc.model.owner not in repo.units
        ]
        repo.derived[_UNPLACED] = found
    return found
