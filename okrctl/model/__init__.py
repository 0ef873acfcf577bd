"""Pydantic models of every document kind: the single source of the JSON Schema."""

from __future__ import annotations

from pydantic import BaseModel

from okrctl.model.checkin import CheckIn
from okrctl.model.config import Config
from okrctl.model.objective import Objective
from okrctl.model.reading import Reading
from okrctl.model.retro import Retro
from okrctl.model.strategy import Strategy
from okrctl.model.unit import Unit

KIND_MODELS: dict[str, type[BaseModel]] = {
    "Config": Config,
    "Unit": Unit,
    "Strategy": Strategy,
    "Objective": Objective,
    "CheckIn": CheckIn,
    "Reading": Reading,
    "Retro": Retro,
}
KINDS = tuple(KIND_MODELS)

__all__ = ["KINDS", "KIND_MODELS", "CheckIn", "Config", "Objective", "Reading", "Retro", "Strategy", "Unit"]
