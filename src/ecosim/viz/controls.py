"""The page's levers, generated from the scenario schema: one source of truth.

Names, bounds (``ge``/``le``), descriptions and choices come from the pydantic fields of
:class:`ecosim.scenario.Scenario`; the starting value of each control is the loaded
scenario's own value. Nothing here repeats a default. A list field (a value per domain
or per severity) becomes one slider per element, a lever pair one slider per part
(control, transformation), each with its part's bounds.
"""

from __future__ import annotations

import math
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ecosim.scenario import DOMAINS, SEVERITIES, LeverPair, Scenario

LEVERS: tuple[tuple[str, str], ...] = (
    ("budget.cut_fraction", "Budget cut"),
    ("stance.initial_mean", "Initial stance"),
    ("cooperation.propensity", "Cooperation propensity"),
    ("cooperation.preferred_form", "Preferred form"),
    ("prevention.spend_eur_per_inhabitant_year", "Prevention [EUR/inhabitant/year]"),
)
"""The main levers on the page: scenario path and a short heading (the rest comes from the schema)."""

UNBOUNDED_SPAN = 4.0
"""A field without an upper bound gets a slider up to this multiple of its largest value."""

Kind = Literal["float", "int", "choice"]
"""A slider of real numbers, a slider of whole numbers, or a choice among names."""


@dataclass(frozen=True)
class Control:
    """One input on the page: a scenario field (or one element of a list field)."""

    key: str  # unique name on the page: the dotted path, with "[i]" for a list element
    path: str  # dotted scenario path, as for Scenario.with_overrides
    index: int | None  # element of a list field, None for a scalar
    heading: str  # the lever's name on the page
    part: str  # which element of a list field ("wmo", "transformation"); "" for a scalar
    kind: Kind
    value: Any  # the scenario's value
    description: str
    min: float | None = None
    max: float | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """Heading and part, e.g. "Budget cut: wmo"."""
        return f"{self.heading}: {self.part}" if self.part else self.heading


def field_of(path: str) -> tuple[type[BaseModel], FieldInfo]:
    """The parameter group and pydantic field behind a dotted scenario path."""
    model: type[BaseModel] = Scenario
    *groups, name = path.split(".")
    for part in groups:
        ann = model.model_fields[part].annotation
        if not (isinstance(ann, type) and issubclass(ann, BaseModel)):
            raise KeyError(f"{path}: {part} is not a parameter group")
        model = ann
    if name not in model.model_fields:
        raise KeyError(f"{path}: no such scenario field")
    return model, model.model_fields[name]


def value_at(scenario: Scenario, path: str) -> Any:
    """The scenario's value at a dotted path."""
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node


def _bounds(info: FieldInfo | None) -> tuple[float | None, float | None]:
    """Lower and upper bound from pydantic metadata (``ge``/``gt``, ``le``/``lt``)."""
    lo = hi = None
    for m in info.metadata if info is not None else ():
        lo = getattr(m, "ge", getattr(m, "gt", lo))
        hi = getattr(m, "le", getattr(m, "lt", hi))
    return lo, hi


def _element(info: FieldInfo) -> tuple[type, FieldInfo | None]:
    """Element type and its constraints of a ``list[Annotated[float, Field(...)]]`` field."""
    (item,) = typing.get_args(info.annotation)
    if typing.get_origin(item) is typing.Annotated:
        base, *meta = typing.get_args(item)
        return base, next((m for m in meta if isinstance(m, FieldInfo)), None)
    return item, None


def element_names(n: int) -> tuple[str, ...]:
    """Names of a list field's elements, by its length: the domains or the severities, else indices."""
    return {len(DOMAINS): DOMAINS, len(SEVERITIES): SEVERITIES}.get(n, tuple(str(i) for i in range(n)))


def _pair_type(info: FieldInfo) -> type[LeverPair] | None:
    """The lever-pair model of a field, or None if the field is not a lever pair."""
    ann = info.annotation
    return ann if isinstance(ann, type) and issubclass(ann, LeverPair) else None


def nice_step(span: float) -> float:
    """A round slider step giving about a hundred positions over ``span``."""
    raw = span / 100 if span > 0 else 0.01
    p = 10 ** math.floor(math.log10(raw))
    return float(next(m * p for m in (1, 2, 5, 10) if m * p >= raw))


def _number_kind(base: type) -> Kind:
    if base is int:
        return "int"
    if base is float:
        return "float"
    raise TypeError(f"no slider for values of type {base!r}")


def controls_for(scenario: Scenario, levers: tuple[tuple[str, str], ...] = LEVERS) -> list[Control]:
    """The page's controls for a scenario: bounds and texts from the schema, values from ``scenario``."""
    out: list[Control] = []
    for path, heading in levers:
        _, info = field_of(path)
        description = info.description or ""
        value = value_at(scenario, path)
        default = info.get_default(call_default_factory=True)
        common = {"path": path, "heading": heading, "description": description}
        pair = _pair_type(info)
        if typing.get_origin(info.annotation) is Literal:
            choices = tuple(str(c) for c in typing.get_args(info.annotation))
            out.append(Control(key=path, index=None, part="", kind="choice", value=value, choices=choices, **common))
        elif pair is not None:  # one slider per part, each with its part's bounds
            seen = [*value, *default]
            for i, (part, part_info) in enumerate(pair.model_fields.items()):
                lo, hi, step = _slider_range(*_bounds(part_info), seen)
                kind = _number_kind(part_info.annotation)  # type: ignore[arg-type]
                v = getattr(value, part)
                out.append(
                    Control(
                        key=f"{path}[{i}]", index=i, part=part, kind=kind, value=v, min=lo, max=hi, step=step, **common
                    )
                )
        elif isinstance(value, list):  # one slider per element, all with the element type's bounds
            base, item = _element(info)
            lo, hi, step = _slider_range(*_bounds(item), [*value, *default])
            for i, (part, v) in enumerate(zip(element_names(len(value)), value, strict=True)):
                kind = _number_kind(base)
                out.append(
                    Control(
                        key=f"{path}[{i}]", index=i, part=part, kind=kind, value=v, min=lo, max=hi, step=step, **common
                    )
                )
        else:
            lo, hi, step = _slider_range(*_bounds(info), [value, default])
            kind = _number_kind(type(value))
            out.append(
                Control(key=path, index=None, part="", kind=kind, value=value, min=lo, max=hi, step=step, **common)
            )
    return out


def _slider_range(lo: float | None, hi: float | None, seen: list[float]) -> tuple[float, float, float]:
    """Slider bounds and step: the schema's bounds; where it has none, UNBOUNDED_SPAN times the largest value seen."""
    reach = UNBOUNDED_SPAN * (max(abs(v) for v in seen) or 1.0)
    if lo is None:
        lo = 0.0 if min(seen) >= 0 else -reach
    if hi is None:
        hi = max(lo, 0.0) + reach
        hi = float(nice_step(hi - lo) * math.ceil(hi / nice_step(hi - lo)))  # a round number
    step = 0.01 if (lo, hi) == (0.0, 1.0) else nice_step(hi - lo)
    return lo, hi, step


def overrides(controls: list[Control], values: dict[str, Any]) -> dict[str, Any]:
    """Dotted-path overrides for ``Scenario.with_overrides`` from the controls' current values."""
    out: dict[str, Any] = {}
    for c in controls:
        v = values.get(c.key, c.value)
        if c.kind == "int":
            v = int(v)
        elif c.kind == "float":
            v = float(v)
        if c.index is None:
            out[c.path] = v
        else:
            out.setdefault(c.path, [x.value for x in controls if x.path == c.path])[c.index] = v
    return out

