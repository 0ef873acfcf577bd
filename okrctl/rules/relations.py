"""Small facts about objectives that several rule families share: cycles, owners, KR directions."""

from __future__ import annotations

import re
from typing import Any

from okrctl.load.index import Repo
from okrctl.model.cycle import Cycle
from okrctl.model.objective import MetricKR

PLACEHOLDER = "TODO"  # what ``plan --write`` puts in every text the team must write


def cycle_of(repo: Repo, model: Any) -> Cycle | None:
    """The cycle of an objective or strategy (None when the id is unknown: OKR104 says so)."""
    return repo.cycle(str(model.cycle))


def overlap(repo: Repo, a: Any, b: Any) -> bool:
    """Whether the cycles of two objectives / strategies share at least one day."""
    first, second = cycle_of(repo, a), cycle_of(repo, b)
    return first is not None and second is not None and first.overlaps(second)


def unit_type(repo: Repo, unit_id: str) -> str | None:
    unit = repo.unit(unit_id)
    return unit.type if unit is not None else None


def direction(kr: Any) -> int:
    """+1 for a metric KR that rises, -1 for one that falls, 0 otherwise (no movement or not metric)."""
    if not isinstance(kr, MetricKR) or kr.baseline is None or kr.target is None:
        return 0
    if kr.target > kr.baseline:
        return 1
    if kr.target < kr.baseline:
        return -1
    return 0


_PLACEHOLDER = re.compile(rf"\s*{PLACEHOLDER}\b")


def placeholder(text: str | None) -> bool:
    """Text that ``okrctl plan --write`` left for the team to write: it starts with the word TODO,
    in capitals as written there (OKR307); "Todo cliente novo…" or "Todos os novos clientes" is
    a title in Portuguese or Spanish."""
    return text is not None and _PLACEHOLDER.match(text) is not None


def placeholder_kr(kr: Any) -> bool:
    """A key result of a draft still holding a placeholder in its title or unit (OKR307): no key
    result of the team yet."""
    return placeholder(kr.title) or placeholder(getattr(kr, "unit", None))


def normal_title(title: str) -> str:
    """Case and white space folded, so that a copied title is recognised."""
    return " ".join(title.lower().split())


def span(cycle: Cycle) -> str:
    return f"{cycle.id} ({cycle.start} – {cycle.end})"


def listing(items: list[str], limit: int) -> str:
    """``a, b, c, …``: the first ``limit`` items of a list shown in a message or hint."""
    return ", ".join(items[:limit]) + (", …" if len(items) > limit else "")
