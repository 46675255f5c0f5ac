"""Building blocks of the scenario schema: the parameter group, bounded numbers, per-domain lists."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

DOMAINS: tuple[str, ...] = ("jeugd", "wmo", "participatie")
"""The three decentralised domains: youth care (Jeugdwet), support (Wmo 2015), work (Participatiewet)."""

SEVERITIES: tuple[str, ...] = ("light", "moderate", "severe", "specialist")
"""Need levels of a citizen, from light support to specialist/residential care."""

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
"""A probability or share in [0, 1]."""
NonNeg = Annotated[float, Field(ge=0.0)]
"""A non-negative number."""


class Group(BaseModel):
    """Base of every parameter group: unknown keys are errors, values are checked."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False)


def per_domain(j: float, w: float, p: float, description: str) -> Any:
    """A per-domain triple (jeugd, wmo, participatie) as a default factory, with its description."""
    return Field(default_factory=lambda: [j, w, p], min_length=3, max_length=3, description=description)


def per_severity(a: float, b: float, c: float, d: float, description: str) -> Any:
    """A per-severity quadruple (light, moderate, severe, specialist) as a default factory, with its description."""
    return Field(default_factory=lambda: [a, b, c, d], min_length=4, max_length=4, description=description)
