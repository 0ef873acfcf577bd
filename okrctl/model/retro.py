"""``Retro``: a mid-cycle or end-of-cycle retrospective."""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import Field, model_validator

from okrctl.model.base import CycleId, Document, FieldProblem, IsoDate, Ref, Slug, Strict_, Text, empty_dict, empty_list

ScoreValue = Annotated[float, Field(ge=0, le=1, strict=True, allow_inf_nan=False)]


class Score(Strict_):
    score: ScoreValue
    reason: Text | None = None


class Retro(Document):
    kind: Literal["Retro"]
    owner: Slug
    cycle: CycleId
    stage: Literal["mid", "end"]
    date: IsoDate
    attractors: list[Text] = empty_list()
    detractors: list[Text] = empty_list()
    achieved: list[Text] = empty_list()
    learned: list[Text] = empty_list()
    surprised: list[Text] = empty_list()
    change: list[Text] = empty_list()
    scores: dict[Ref, Union[ScoreValue, Score]] = empty_dict()

    @model_validator(mode="after")
    def _scores_at_end_only(self) -> Retro:
        if self.scores and self.stage != "end":
            said = "only an end retro (stage: end) holds scores"
            how = "move the scores to the end retro of the cycle, or remove them"
            # Reported on ``scores``, where the mistake is, not on the document's first line.
            raise FieldProblem(said, how, each=((("scores",), said, how),))
        return self

    def score_of(self, key: str) -> float | None:
        entry = self.scores.get(key)
        if isinstance(entry, Score):
            return entry.score
        return entry

    def reason_of(self, key: str) -> str | None:
        """Why the score of ``key`` was set by hand (``{score, reason}``); None for a bare number."""
        entry = self.scores.get(key)
        return entry.reason if isinstance(entry, Score) else None
