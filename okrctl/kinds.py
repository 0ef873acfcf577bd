"""The names of the document kinds, in the order okrctl lists them.

``okrctl.model`` gives each its pydantic model; this module imports nothing, so that ``okrctl schema
--help`` names the kinds without loading pydantic.
"""

from __future__ import annotations

KINDS: tuple[str, ...] = ("Config", "Unit", "Strategy", "Objective", "CheckIn", "Reading", "Retro")
