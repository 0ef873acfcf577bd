"""Shared field types of every document kind."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    WithJsonSchema,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
_SLUG_PART = r"[a-z0-9][a-z0-9-]{0,62}"
REF_PATTERN = rf"^{_SLUG_PART}(/{_SLUG_PART})?$"
CYCLE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{0,62}$"
API_VERSION = "okrctl/v1"

Slug = Annotated[str, Strict(), StringConstraints(pattern=SLUG_PATTERN)]
# A unit, objective, strategy, or ``parent/child`` (a key result or a strategy priority).
Ref = Annotated[str, Strict(), StringConstraints(pattern=REF_PATTERN)]
Text = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=2000)]
Number = Annotated[float, Strict(), Field(allow_inf_nan=False)]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date(value: Any) -> Any:
    """Accept only ``YYYY-MM-DD`` text (or a date): never timestamps or other date spellings."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a valid date") from exc
    raise ValueError("expected an ISO date YYYY-MM-DD")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]


def _cycle_id(value: Any) -> Any:
    # A bare year may be written unquoted: YAML reads it as an integer.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


CycleId = Annotated[
    str,
    BeforeValidator(_cycle_id),
    Strict(),
    StringConstraints(pattern=CYCLE_PATTERN),
    # Editors must accept ``cycle: 2026`` too.
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": CYCLE_PATTERN}, {"type": "integer", "minimum": 1000, "maximum": 9999}]}
    ),
]


def _known_rule_code(value: str) -> str:
    from okrctl.catalog import RULES

    if value not in RULES:
        raise ValueError(f"unknown rule code {value!r}")
    return value


def _rule_code_schema() -> dict[str, Any]:
    from okrctl.catalog import RULES

    return {"type": "string", "enum": list(RULES)}


# An editor must refuse an unknown code too, as align does (OKR101).
RuleCode = Annotated[str, Strict(), AfterValidator(_known_rule_code), WithJsonSchema(_rule_code_schema())]
SeverityName = Literal["error", "warning", "info"]


class Strict_(BaseModel):
    """Base of every model: unknown fields are errors, so typos never pass."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Document(Strict_):
    """Common head of every document."""

    api_version: Literal["okrctl/v1"] = Field(alias="apiVersion")


def empty_list() -> Any:
    """A field whose default is a new empty list. pydantic deep-copies a mutable default (``= []``)
    for every document that leaves the field out; a factory is called instead, and the schema still
    says the default."""
    return Field(default_factory=list, json_schema_extra={"default": []})


def empty_dict() -> Any:
    """``empty_list`` for a mapping."""
    return Field(default_factory=dict, json_schema_extra={"default": {}})
