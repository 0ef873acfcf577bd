"""The ``Config`` document at the repository root."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, Strict, field_validator, model_validator

from okrctl.model.base import (
    CycleId,
    Document,
    FieldProblem,
    IsoDate,
    Number,
    RuleCode,
    SeverityName,
    Strict_,
    Text,
    empty_dict,
    empty_list,
)


def _whole(value: Any) -> Any:
    """A whole number written with a decimal point (``7.0``, ``1e1``) is that whole number: JSON,
    and so the JSON Schema an editor checks with, cannot tell 7.0 from 7 (its ``integer`` takes
    both), and the file means 7 without doubt, at any size (``2e15`` is the 2000000000000000
    written out, which is taken). ``7.5`` stays a decimal (refused)."""
    if type(value) is float and value.is_integer():
        # Past 2^53 a float holds few whole numbers: 1e23 is 99999999999999991611392 as a float, which
        # messages would then quote as the file's. Its shortest decimal form (``repr``, what the
        # file most likely says) is read instead: 1e23 is 10^23.
        return int(Decimal(repr(value)))
    return value


# Whole numbers in the config: booleans and quoted numbers are errors, like everywhere else.
PositiveInt = Annotated[int, Strict(), Field(gt=0), BeforeValidator(_whole)]
Share = Annotated[float, Strict(), Field(allow_inf_nan=False, ge=0, le=1)]


class CycleDefinition(Strict_):
    id: CycleId
    start: IsoDate
    end: IsoDate

    @model_validator(mode="after")
    def _ordered(self) -> CycleDefinition:
        if str(self.id) == "all":
            raise FieldProblem(
                "'all' cannot be a cycle's id: '--cycle all' means every cycle",
                "give the cycle another id (e.g. fy2027)",
            )
        if self.end < self.start:
            raise FieldProblem(
                f"cycle {self.id} ends ({self.end}) before it starts ({self.start})",
                "a cycle ends on or after the day it starts: swap the dates, or fix the one that is wrong",
            )
        return self


class ConfidenceScale(Strict_):
    min: Number = 0
    max: Number = 10

    @model_validator(mode="after")
    def _ordered(self) -> ConfidenceScale:
        if self.max <= self.min:
            raise FieldProblem("confidence max must be greater than min", "e.g. confidence: {min: 0, max: 10}")
        return self


class CheckinSettings(Strict_):
    cadence_days: PositiveInt = 7
    stale_after_days: PositiveInt = 10
    confidence: ConfidenceScale = ConfidenceScale()


class StatusSettings(Strict_):
    at_risk_gap: Share = 0.15
    off_track_gap: Share = 0.35

    @model_validator(mode="after")
    def _ordered(self) -> StatusSettings:
        if self.off_track_gap < self.at_risk_gap:
            raise FieldProblem(
                "off_track_gap must not be smaller than at_risk_gap",
                "off-track is the larger gap, e.g. {at_risk_gap: 0.15, off_track_gap: 0.35}",
            )
        return self


class Limits(Strict_):
    objectives_per_team: PositiveInt = 3
    krs_per_objective: tuple[PositiveInt, PositiveInt] = (2, 5)

    @model_validator(mode="after")
    def _ordered(self) -> Limits:
        low, high = self.krs_per_objective
        if high < low:
            raise FieldProblem("krs_per_objective is [min, max] with min <= max", "e.g. krs_per_objective: [2, 5]")
        return self


class RuleSettings(Strict_):
    ignore: list[RuleCode] = empty_list()
    severity: dict[RuleCode, SeverityName] = empty_dict()


class Config(Document):
    kind: Literal["Config"]
    organization: Text | None = None
    cycles: list[CycleDefinition] = empty_list()
    checkin: CheckinSettings = CheckinSettings()
    status: StatusSettings = StatusSettings()
    limits: Limits = Limits()
    rules: RuleSettings = RuleSettings()
    exclude: list[Text] = empty_list()

    @field_validator("cycles")
    @classmethod
    def _each_cycle_once(cls, cycles: list[CycleDefinition]) -> list[CycleDefinition]:
        # A later declaration would silently win over the first, and every date would move. Every
        # one after the first is reported, each on its own id, so that one run names them all.
        first: dict[str, int] = {}
        again: list[tuple[tuple[Any, ...], str, str]] = []
        for index, cycle in enumerate(cycles):
            cycle_id = str(cycle.id)
            if cycle_id in first:
                again.append(
                    (
                        (index, "id"),
                        f"cycle '{cycle_id}' is already declared as cycles[{first[cycle_id]}]",
                        "declare each cycle once; give the other one its own id",
                    )
                )
            else:
                first[cycle_id] = index
        if again:
            (_, message, hint), *_ = again
            raise FieldProblem(message, hint, each=tuple(again))
        return cycles

    @classmethod
    def default(cls) -> Config:
        return cls.model_validate({"apiVersion": "okrctl/v1", "kind": "Config"})
