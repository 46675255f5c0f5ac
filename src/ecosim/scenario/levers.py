"""Lever pairs: a stance-driven parameter's value under cost control and under transformation.

A municipality with stance s in [0, 1] uses the linear mix of the two parts
(:func:`ecosim.model.levers.lever`). In a TOML file a pair is written ``[control,
transformation]`` or ``{control = .., transformation = ..}``; it is always written back
(``model_dump``, JSON) as the two-element list, so run ids hashed from dumped scenarios
do not change. A pair unpacks and indexes like that list: ``control, transformation = pair``,
``pair[1]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, model_serializer, model_validator

from ecosim.scenario.base import NonNeg, Prob

PARTS: tuple[str, str] = ("control", "transformation")
"""Names of a pair's parts, in the order of the list form: stance 0, then stance 1."""


class LeverPair[T](BaseModel):
    """The value of a lever under pure cost control (stance 0) and pure transformation (stance 1).

    Use a concrete subclass (:class:`RealPair`, :class:`ProbPair`, ...): it fixes the bounds
    of both parts and, unlike a bare ``LeverPair[...]``, can be pickled.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    control: T = Field(description="Value under pure cost control (stance 0).")
    transformation: T = Field(description="Value under pure cooperative transformation (stance 1).")

    @model_validator(mode="before")
    @classmethod
    def _from_list(cls, data: Any) -> Any:
        """Accept ``[control, transformation]`` as well as a table with both parts."""
        if isinstance(data, list | tuple):
            if len(data) != len(PARTS):
                raise ValueError(f"a lever pair is [control, transformation]: 2 values, got {len(data)}")
            return dict(zip(PARTS, data, strict=True))
        if not isinstance(data, dict | BaseModel):
            raise ValueError("a lever pair is [control, transformation] or {control = .., transformation = ..}")
        return data

    @model_serializer
    def _as_list(self) -> list[Any]:
        """Dump as the two-element list ``[control, transformation]``."""
        return [self.control, self.transformation]

    def __iter__(self) -> Iterator[T]:  # type: ignore[override]
        """The parts in list order, so that ``control, transformation = pair`` works."""
        yield self.control
        yield self.transformation

    def __len__(self) -> int:
        return len(PARTS)

    def __getitem__(self, index: int) -> T:
        return (self.control, self.transformation)[index]


class RealPair(LeverPair[float]):
    """A lever pair of real numbers without bounds."""


class ProbPair(LeverPair[Prob]):
    """A lever pair of probabilities or shares, each in [0, 1]."""


class NonNegPair(LeverPair[NonNeg]):
    """A lever pair of non-negative numbers."""


class MarginPair(LeverPair[Annotated[float, Field(ge=-0.5, le=1.0)]]):
    """A lever pair of price margins over unit cost, each in [-0.5, 1]."""


POLICY, EFFICIENCY = "policy", "efficiency"
"""Kinds of lever pair.

A *policy* pair is what a municipality of each stance chooses to do (its access threshold,
what it spends on prevention and wijkteams, how it tenders): the difference between the
parts *is* the strategy. Its direction follows the stances as the source articles describe
them; where its size has no source it is *uncertain* and explored over a range in which
each part can take the other's value. An *efficiency* pair claims that the same activity
costs less or works better under one stance; without a source both parts are equal, and
the range is explored for each part on its own.
"""


def lever_pair(
    control: float,
    transformation: float,
    description: str,
    *,
    kind: str,
    source: str | None = None,
    uncertain: tuple[float, float] | None = None,
) -> Any:
    """A lever-pair field: default ``[control, transformation]``, description and evidence.

    Args:
        control: value under pure cost control (stance 0).
        transformation: value under pure transformation (stance 1).
        description: what the lever means, with its unit.
        kind: :data:`POLICY` or :data:`EFFICIENCY`.
        source: where the values come from (publication, table, page), when they have one.
        uncertain: the plausible range ``(low, high)`` of each part, when the values are uncertain.

    Every pair has a source or a range (or both: a sourced level whose split is uncertain).
    The range is shipped in ``experiments/uncertainties.toml`` for exploratory designs.
    """
    if kind not in (POLICY, EFFICIENCY):
        raise ValueError(f"kind must be {POLICY!r} or {EFFICIENCY!r}")
    if source is None and uncertain is None:
        raise ValueError("a lever pair needs a source or an uncertainty range")
    low, high = min(control, transformation), max(control, transformation)
    if uncertain is not None and not uncertain[0] <= low <= high <= uncertain[1]:
        raise ValueError(f"the range {uncertain} must hold both default parts ({control}, {transformation})")
    evidence = []
    if source:
        evidence.append(f"source: {source}")
    if uncertain is not None:
        evidence.append(f"uncertain ({uncertain[0]:g}-{uncertain[1]:g})")
    text = f"{description} [{kind} pair; {'; '.join(evidence)}]"
    extra: dict[str, Any] = {"pair_kind": kind, "source": source, "uncertain": list(uncertain) if uncertain else None}
    return Field(
        default_factory=lambda: [control, transformation],
        validate_default=True,
        description=text,
        json_schema_extra=extra,
    )


def pair_evidence(field: Any) -> dict[str, Any]:
    """The kind, source and uncertainty range a lever-pair field was declared with."""
    extra = field.json_schema_extra or {}
    return {k: extra.get(k) for k in ("pair_kind", "source", "uncertain")}
