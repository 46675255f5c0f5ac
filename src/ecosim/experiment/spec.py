"""The declared parts of an experiment file, validated: factors, the design, outputs, the experiment.

What the file may say and what is checked on reading it (:mod:`ecosim.experiment.design` turns
a validated experiment into design points and runs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ecosim.outputs.registry import SCALARS, check_names
from ecosim.scenario import read_toml


class ExperimentError(ValueError):
    """An experiment file that cannot be used; the message names file, key and what is allowed."""


class Factor(BaseModel):
    """One factor: either named levels (grid, oat) or numeric bounds (lhs)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    path: str | None = Field(
        None, description="Dotted scenario parameter this factor sets (e.g. 'stance.initial_mean')."
    )
    values: list[Any] | None = Field(None, description="Values of `path`, one level each.")
    labels: list[str] | None = Field(None, description="Names of the levels (default: the values).")
    levels: dict[str, dict[str, Any]] | None = Field(
        None, description="Named levels, each a table of dotted parameter paths and values."
    )
    bounds: tuple[float, float] | None = Field(
        None, description="[low, high] for a sampled design (lhs, morris, sobol)."
    )
    integer: bool = Field(False, description="Round sampled values to whole numbers.")
    scale: bool = Field(
        False,
        description="The factor's value multiplies the base scenario's value at `path` (a number or every "
        "element of a list): 0.5 halves it. Labels and sensitivity indices keep the multiplier.",
    )

    @model_validator(mode="after")
    def _check(self) -> Factor:
        if self.levels is not None:
            if self.path or self.values or self.bounds:
                raise ValueError("give either 'levels', or 'path' with 'values' or 'bounds'")
            if self.scale:
                raise ValueError("'scale' goes with 'path', not with named 'levels'")
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
        if self.values is not None:
            names = self.labels or [str(v) for v in self.values]
            repeated = sorted({n for n in names if names.count(n) > 1})
            if repeated:
                raise ValueError(f"labels must differ, but {repeated} name more than one level")
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


SAMPLED_METHODS: tuple[str, ...] = ("lhs", "morris", "sobol")
"""Designs that sample the factors' bounds (the other designs list levels)."""


class DesignSpec(BaseModel):
    """How factors combine into design points."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    method: Literal["grid", "lhs", "oat", "morris", "sobol", "points"] = "grid"
    samples: int = Field(10, ge=1, le=100_000, description="Points of a Latin hypercube (lhs).")
    trajectories: int = Field(
        10, ge=2, le=10_000, description="Morris trajectories (SALib N); each has k + 1 points for k factors."
    )
    levels: int = Field(4, ge=2, le=100, description="Morris grid levels (SALib num_levels; even is recommended).")
    base_samples: int = Field(
        64, ge=2, le=2**20, description="Sobol base sample N (SALib; a power of 2): N x (k + 2) points."
    )
    second_order: bool = Field(
        False, description="Sobol: also estimate second-order indices, at N x (2k + 2) points instead of N x (k + 2)."
    )
    points: str | None = Field(
        None,
        description="Method 'points': a CSV of parameter sets, one row each (relative to the experiment file), "
        "e.g. the accepted posterior sets of a calibration (results/<calibration>/accepted.csv). Every row is run "
        "at every level of the experiment's factors.",
    )
    calibration: str | None = Field(
        None,
        description="Method 'points': a calibration file whose [parameters] name the CSV's columns and say what "
        "each sets (path, index, scale_of); without it, 'columns' lists the CSV's columns to use.",
    )
    columns: list[str] = Field(
        default_factory=list,
        description="Method 'points' without 'calibration': the CSV columns to use, each a dotted scenario path, "
        "optionally with a list element: 'demand.incidence_per_1000_year[0]'.",
    )
    id_column: str | None = Field(
        None, description="Method 'points': the column naming each row (default: row number)."
    )
    weight_column: str | None = Field(
        None, description="Method 'points': a column of weights (e.g. posterior weights), kept as label 'point_weight'."
    )

    @model_validator(mode="after")
    def _check(self) -> DesignSpec:
        if (self.method == "points") != (self.points is not None):
            raise ValueError("'points' (a CSV of parameter sets) goes with method 'points', and that method needs it")
        if self.method == "points" and (self.calibration is None) == (not self.columns):
            raise ValueError("method 'points' needs exactly one of 'calibration' or 'columns'")
        # Sobol sequences keep their balance only for powers of 2 (SALib warns otherwise).
        if self.method == "sobol" and self.base_samples & (self.base_samples - 1):
            raise ValueError(f"'base_samples' must be a power of 2 for 'sobol', got {self.base_samples}")
        return self


class OutputSpec(BaseModel):
    """Which outputs each run keeps."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
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
    municipal: list[str] = Field(
        default_factory=list,
        description="Columns of municipalities.parquet kept per municipality, summarised over the run: a flow "
        "(unit per month) summed as '<name>_sum', anything else averaged as '<name>_mean'; the sweep collects them "
        "into municipalities.parquet (one row per run and municipality).",
    )


class Experiment(BaseModel):
    """A validated experiment design."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    name: str = "experiment"
    description: str = ""
    scenario: str = Field(..., description="Base scenario file, relative to the experiment file.")
    months: int | None = Field(None, ge=1, le=1200, description="Months per run (default: the scenario's).")
    replications: int = Field(1, ge=1, le=10_000)
    root_seed: int = Field(0, ge=0, description="Root of all run seeds (numpy SeedSequence).")
    design: DesignSpec = Field(default_factory=DesignSpec)
    factors: dict[str, Factor] = Field(default_factory=dict)
    uncertainties: str | None = Field(
        None,
        description="A file of factors (e.g. experiments/uncertainties.toml, relative to the experiment file) "
        "added to this experiment's factors: the uncertain parameters and their ranges.",
    )
    outputs: OutputSpec = Field(default_factory=OutputSpec)
    base_dir: str = "."

    @model_validator(mode="before")
    @classmethod
    def _add_uncertainties(cls, data: Any) -> Any:
        """Add the factors of the ``uncertainties`` file; a factor of the same name must be the same."""
        if not isinstance(data, dict) or not data.get("uncertainties"):
            return data
        path = Path(data.get("base_dir", ".")) / data["uncertainties"]
        extra = read_toml(path, "uncertainties", ExperimentError).get("factors")
        if not isinstance(extra, dict):
            raise ValueError(f"uncertainties file {path} has no [factors] tables")
        factors = dict(data.get("factors") or {})
        for name, spec in extra.items():
            if name in factors and Factor.model_validate(factors[name]) != Factor.model_validate(spec):
                raise ValueError(f"factor '{name}' is also in the uncertainties file {path}, differently")
            factors[name] = spec
        return {**data, "factors": factors}

    @model_validator(mode="after")
    def _check(self) -> Experiment:
        method = self.design.method
        if method in SAMPLED_METHODS:
            bad = [n for n, f in self.factors.items() if f.bounds is None and f.levels is None]
            if bad:
                raise ValueError(
                    f"design '{method}' needs 'bounds' on every factor (or named 'levels', crossed with the "
                    f"sample); missing on {bad}"
                )
            if method != "lhs" and self.factors and not any(f.bounds is not None for f in self.factors.values()):
                raise ValueError(f"design '{method}' needs at least one factor with 'bounds'")
        elif any(f.bounds is not None for f in self.factors.values()):
            raise ValueError(f"'bounds' only go with sampled design methods {SAMPLED_METHODS}, not '{method}'")
        check_names(self.outputs.scalars, ["scalar"], "outputs.scalars")
        check_names(self.outputs.series, ["monthly"], "outputs.series")
        check_names(self.outputs.municipal, ["municipal"], "outputs.municipal")
        return self
