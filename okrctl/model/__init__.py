"""Pydantic models of every document kind: the single source of the JSON Schema."""

from __future__ import annotations

from pydantic import BaseModel

from okrctl.kinds import KINDS
from okrctl.model.checkin import CheckIn
from okrctl.model.config import Config
from okrctl.model.objective import Objective
from okrctl.model.reading import Reading
from okrctl.model.retro import Retro
from okrctl.model.strategy import Strategy
from okrctl.model.unit import Unit

# Each model is its kind's name; the names and their order come from ``okrctl.kinds``, the list
# the command line reads without importing pydantic.
_MODELS = {model.__name__: model for model in (CheckIn, Config, Objective, Reading, Retro, Strategy, Unit)}
KIND_MODELS: dict[str, type[BaseModel]] = {kind: _MODELS[kind] for kind in KINDS}

__all__ = ["KINDS", "KIND_MODELS", "CheckIn", "Config", "Objective", "Reading", "Retro", "Strategy", "Unit"]
