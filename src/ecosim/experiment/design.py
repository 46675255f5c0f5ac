"""Experiment files: a base scenario, factors, a design, replications and outputs to keep.

An experiment is declared, not coded (in the spirit of EMA Workbench): each factor names
the scenario parameters it sets, so a typo is caught when the file is loaded, not hours
into a sweep. Designs:

- ``grid``: every combination of the factors' listed levels;
- ``lhs``: a Latin hypercube over the factors' bounds (``samples`` points);
- ``oat``: one factor at a time around the base scenario.

Each design point is run ``replications`` times; replication r uses the same seed in every
point (common random numbers), derived from ``root_seed`` with ``numpy.random.SeedSequence``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ecosim.metrics import SCALARS
from ecosim.scenario import Scenario, ScenarioError, format_errors, load_scenario, read_toml


class ExperimentError(ValueError):
    """An experiment file that cannot be used; the message names file, key and what is allowed."""


class Factor(BaseModel):
    """One factor: either named levels (grid, oat) or numeric bounds (lhs)."""

    model_config = ConfigDict(extra="forbid")

    path: str | None = Field(
        None, description="Dotted scenario parameter this factor sets (e.g. 'stance.initial_mean')."
    )
    values: list[Any] | None = Field(None, description="Values of `path`, one level each.")
    labels: list[str] | None = Field(None, description="Names of the levels (default: the values).")
    levels: dict[str, dict[str, Any]] | None = Field(
        None, description="Named levels, each a table of dotted parameter paths and values."
    )
    bounds: tuple[float, float] | None = Field(None, description="[low, high] for a sampled design (lhs).")
    integer: bool = Field(False, description="Round sampled values to whole numbers.")

    @model_validator(mode="after")
    def _check(self) -> Factor:
        if self.levels is not None:
            if self.path or self.values or self.bounds:
                raise ValueError("give either 'levels', or 'path' with 'values' or 'bounds'")
            if not self.levels:
                raise ValueError("'levels' is empty")
            return self
        if not self.path:
            raise ValueError("needs 'path' (with 'values' or 'bounds') or 'levels'")
        if (self.values is None) == (self.bounds is None):
            raise ValueError("give exactly one of 'values' or 'bounds'")
        if self.values is not None and not self.values:
            raise ValueError("'values' is empty")
        if self.labels is not None and (self.values is None or len(self.labels) != len(self.values)):
            raise ValueError("'labels' needs one label per value")
        if self.bounds is not None and not self.bounds[0] < self.bounds[1]:
            raise ValueError("'bounds' must be [low, high] with low < high")
        return self

    def level_items(self) -> list[tuple[str, dict[str, Any]]]:
        """The factor's levels as (label, overrides)."""
        if self.levels is not None:
            return list(self.levels.items())
        assert self.values is not None and self.path is not None
        labels = self.labels or [str(v) for v in self.values]
        return [(lab, {self.path: v}) for lab, v in zip(labels, self.values, strict=True)]

    def paths(self) -> set[str]:
        """Every scenario parameter this factor may set."""
        if self.levels is not None:
            return {p for lv in self.levels.values() for p in lv}
        return {self.path} if self.path else set()


class DesignSpec(BaseModel):
    """How factors combine into design points."""

    model_config = ConfigDict(extra="forbid")
    method: Literal["grid", "lhs", "oat"] = "grid"
    samples: int = Field(10, ge=1, le=100_000, description="Points of a Latin hypercube (lhs).")


class OutputSpec(BaseModel):
    """Which outputs each run keeps."""

    model_config = ConfigDict(extra="forbid")
    scalars: list[str] = Field(default_factory=lambda: list(SCALARS), description="End-of-run scalars.")
    series: list[str] = Field(
        default_factory=lambda: [
            "spending",
            "budget",
            "burden_per_1000",
            "waiting",
            "unmet",
            "escalations",
            "admin_share",
            "mean_stance",
            "provider_failures",
            "arrangements",
        ],
        description="Monthly model-level series (columns of model.parquet).",
    )


class Experiment(BaseModel):
    """A validated experiment design."""

    model_config = ConfigDict(extra="forbid")
    name: str = "experiment"
    description: str = ""
    scenario: str = Field(..., description="Base scenario file, relative to the experiment file.")
    months: int | None = Field(None, ge=1, le=1200, description="Months per run (default: the scenario's).")
    replications: int = Field(1, ge=1, le=10_000)
    root_seed: int = Field(0, ge=0, description="Root of all run seeds (numpy SeedSequence).")
    design: DesignSpec = Field(default_factory=DesignSpec)
    factors: dict[str, Factor] = Field(default_factory=dict)
    outputs: OutputSpec = Field(default_factory=OutputSpec)
    base_dir: str = "."

    @model_validator(mode="after")
    def _check(self) -> Experiment:
        if self.design.method == "lhs":
            bad = [n for n, f in self.factors.items() if f.bounds is None]
            if bad:
                raise ValueError(f"design 'lhs' needs 'bounds' on every factor; missing on {bad}")
        elif any(f.bounds is not None for f in self.factors.values()):
            raise ValueError(f"'bounds' only go with design method 'lhs', not '{self.design.method}'")
        unknown = sorted(set(self.outputs.scalars) - set(SCALARS))
        if unknown:
            raise ValueError(f"unknown scalar outputs {unknown}; allowed: {sorted(SCALARS)}")
        return self


@dataclass
class RunSpec:
    """One run of a sweep: a design point, a replication and its seed."""

    point: int
    replication: int
    seed: int
    months: int
    labels: dict[str, Any]
    overrides: dict[str, Any]
    scenario: dict[str, Any] = field(repr=False, default_factory=dict)
    run_id: str = ""


def replication_seeds(root_seed: int, replications: int) -> list[int]:
    """One seed per replication, reproducibly spawned from the root seed."""
    children = np.random.SeedSequence(root_seed).spawn(replications)
    return [int(c.generate_state(1, dtype=np.uint32)[0]) for c in children]


def design_points(exp: Experiment, rng_seed: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The design's points as (labels, overrides) pairs."""
    factors = exp.factors
    if not factors:
        return [({}, {})]
    if exp.design.method == "grid":
        points = []
        for combo in itertools.product(*(f.level_items() for f in factors.values())):
            labels = {name: lab for name, (lab, _) in zip(factors, combo, strict=True)}
            overrides: dict[str, Any] = {}
            for _, ov in combo:
                overrides.update(ov)
            points.append((labels, overrides))
        return points
    if exp.design.method == "oat":
        points = [({name: "base" for name in factors}, {})]
        for name, f in factors.items():
            for lab, ov in f.level_items():
                labels = {n: "base" for n in factors}
                labels[name] = lab
                points.append((labels, dict(ov)))
        return points
    return _latin_hypercube(factors, exp.design.samples, rng_seed)


def _latin_hypercube(factors: dict[str, Factor], n: int, seed: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    rng = np.random.default_rng(seed)
    k = len(factors)
    # One stratum per sample in each dimension, strata shuffled independently.
    u = (rng.permuted(np.tile(np.arange(n), (k, 1)), axis=1).T + rng.random((n, k))) / n
    points = []
    for row in u:
        labels, overrides = {}, {}
        for (name, f), q in zip(factors.items(), row, strict=True):
            lo, hi = f.bounds  # type: ignore[misc]
            v: float | int = lo + q * (hi - lo)
            if f.integer:
                v = int(round(v))
            labels[name] = v
            overrides[f.path] = v  # type: ignore[index]
        points.append((labels, overrides))
    return points


def load_experiment(path: str | Path) -> tuple[Experiment, Scenario]:
    """Load and validate an experiment file and its base scenario.

    Every factor's parameter paths are checked against the scenario, and every design
    point is validated, so errors surface before any run starts.

    Raises:
        ExperimentError: naming the file, the key and what is allowed.
    """
    path = Path(path)
    data = read_toml(path, "experiment", ExperimentError)
    data["base_dir"] = str(path.resolve().parent)
    try:
        exp = Experiment.model_validate(data)
    except ValidationError as exc:
        raise ExperimentError(format_errors(str(path), exc).replace("in the scenario", "in the experiment")) from None
    try:
        base = load_scenario(Path(exp.base_dir) / exp.scenario)
    except ScenarioError as exc:
        raise ExperimentError(f"{path}: base scenario: {exc}") from None
    for name, f in exp.factors.items():
        for p in sorted(f.paths()):
            try:
                base.with_overrides({p: _get_dotted(base.model_dump(), p)})
            except KeyError:
                raise ExperimentError(f"{path}: factors.{name}: '{p}' is not a scenario parameter") from None
    for labels, overrides in design_points(exp, exp.root_seed):
        try:
            base.with_overrides(overrides)
        except ValidationError as exc:
            raise ExperimentError(
                format_errors(f"{path} (design point {labels})", exc).replace("in the scenario", "in the experiment")
            ) from None
    return exp, base


def _get_dotted(data: dict[str, Any], dotted: str) -> Any:
    node: Any = data
    for key in dotted.split("."):
        if not isinstance(node, dict) or key not in node:
            raise KeyError(dotted)
        node = node[key]
    return node


def expand(exp: Experiment, base: Scenario) -> list[RunSpec]:
    """Every run of the experiment, with its resolved scenario."""
    seeds = replication_seeds(exp.root_seed, exp.replications)
    months = exp.months or base.run.months
    specs = []
    for i, (labels, overrides) in enumerate(design_points(exp, exp.root_seed)):
        scenario = base.with_overrides(overrides).model_dump(mode="json")
        for r, seed in enumerate(seeds):
            specs.append(RunSpec(i, r, seed, months, labels, overrides, scenario))
    return specs


__all__ = [
    "Experiment",
    "ExperimentError",
    "RunSpec",
    "design_points",
    "expand",
    "load_experiment",
    "replication_seeds",
    "ScenarioError",
]
