"""``Objective`` with its key results (metric, maintain, milestone)."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag

from okrctl.model.base import (
    NUMBER_REACH,
    CycleId,
    Document,
    IsoDate,
    Number,
    Ref,
    Slug,
    Strict_,
    Text,
    empty_dict,
    empty_list,
)

Weight = Annotated[float, Field(gt=0, le=NUMBER_REACH, allow_inf_nan=False, strict=True)]


class _KeyResultBase(Strict_):
    id: Slug
    title: Text
    weight: Weight = 1.0


class MetricKR(_KeyResultBase):
    """A movement of a metric from a baseline to a target (rising or falling)."""

    type: Literal["metric"] = "metric"
    unit: Text | None = None
    baseline: Number | None = None
    target: Number | None = None
    pace: dict[IsoDate, Number] = empty_dict()
    metric: Text | None = None


class MaintainKR(_KeyResultBase):
    """Keep a metric inside ``[min, max]`` (either bound may be open)."""

    type: Literal["maintain"]
    unit: Text | None = None
    min: Number | None = None
    max: Number | None = None
    metric: Text | None = None


class MilestoneKR(_KeyResultBase):
    """Done or not (or a fraction done). The exception, not the rule."""

    type: Literal["milestone"]


def _kr_type(value: Any) -> str | None:
    kind = value.get("type", "metric") if isinstance(value, dict) else getattr(value, "type", "metric")
    return kind if isinstance(kind, str) else None


KeyResult = Annotated[
    Union[
        Annotated[MetricKR, Tag("metric")],
        Annotated[MaintainKR, Tag("maintain")],
        Annotated[MilestoneKR, Tag("milestone")],
    ],
    Discriminator(_kr_type),
]


class Alignment(Strict_):
    to: Ref
    type: Literal["directional", "explicit"] = "directional"


class Dependency(Strict_):
    unit: Slug
    need: Text
    for_: Slug | None = Field(default=None, alias="for")


class Rescope(Strict_):
    date: IsoDate
    note: Text


class Objective(Document):
    kind: Literal["Objective"]
    id: Slug
    owner: Slug
    cycle: CycleId
    title: Text
    why: Text | None = None
    aligns: list[Alignment] = empty_list()
    depends_on: list[Dependency] = empty_list()
    supports: list[Slug] = empty_list()
    work: list[Text] = empty_list()
    rescoped: list[Rescope] = empty_list()
    key_results: list[KeyResult] = empty_list()

    def key_result(self, kr_id: str) -> MetricKR | MaintainKR | MilestoneKR | None:
        """The key result with this id (the first one when an id repeats), in constant time."""
        return self._key_results_by_id.get(kr_id)

    @cached_property
    def _key_results_by_id(self) -> dict[str, MetricKR | MaintainKR | MilestoneKR]:
        # Thousands of KRs are looked up once per check-in value: a list scan each time is quadratic.
        index: dict[str, MetricKR | MaintainKR | MilestoneKR] = {}
        for kr in self.key_results:
            index.setdefault(kr.id, kr)
        return index
