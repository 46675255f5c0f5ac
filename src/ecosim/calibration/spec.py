"""Calibration files: observed targets, free parameters with bounds, and the fitting method.

A calibration file is declared, not coded, like an experiment file: every parameter path
is checked against the base scenario and every target output against the model's monthly
table when the file is loaded, so a typo fails in a second, not after an hour of runs.

Targets are summary statistics of one run's monthly table (``model.parquet``):

- ``value``: the output in one ``month`` (0 = January 2015);
- ``mean`` / ``sum``: the mean or sum over the twelve months of one calendar ``year``;
- ``growth``: the relative change of the yearly mean between ``years = [from, to]``.

``minus`` subtracts a second output first (``spending_jeugd`` minus ``budget_jeugd`` is the
monthly youth-care deficit). A target with ``fit = false`` is reported, never fitted.

Free parameters set one scenario value (``path``), one element of a per-domain or
per-severity list (``path`` with ``index``), or scale a stated reference list
(``path`` with ``scale_of``: value = factor x list), each between ``bounds``.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ecosim.checks import fixed_path_problem
from ecosim.declared import load_with_base
from ecosim.errors import InputError
from ecosim.outputs.registry import MODEL_COLUMNS, UnknownOutputError, check_names
from ecosim.scenario import Scenario, get_dotted, parameter_value

START_YEAR = 2015
"""Calendar year of month 0."""

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class CalibrationError(InputError):
    """A calibration file that cannot be used; the message names the file, the key and what is allowed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class Target(_Strict):
    """One observed figure and how to read it from a run."""

    output: str = Field(..., description="Column of the model's monthly table (model.parquet).")
    minus: str | None = Field(None, description="Optional column subtracted from `output` first.")
    stat: Literal["value", "mean", "sum", "growth"] = Field(..., description="How the run is summarised.")
    month: int | None = Field(None, ge=0, description="Month of a `value` target (0 = January 2015).")
    year: int | None = Field(None, ge=START_YEAR, description="Calendar year of a `mean` or `sum` target.")
    years: tuple[int, int] | None = Field(None, description="[from, to] years of a `growth` target.")
    observed: float = Field(..., description="The observed figure, in the output's unit (people, EUR, share).")
    tolerance: float = Field(..., gt=0, description="Half-width of the band counted as a fit, same unit.")
    source: str = Field(..., min_length=1, description="Where the observed figure comes from.")
    fit: bool = Field(True, description="false: reported in the fit table but not used in the distance.")
    note: str = Field("", description="Caveat: definition gaps, why not fitted.")

    @model_validator(mode="after")
    def _check(self) -> Target:
        needs = {"value": "month", "mean": "year", "sum": "year", "growth": "years"}[self.stat]
        given = [k for k in ("month", "year", "years") if getattr(self, k) is not None]
        if given != [needs]:
            raise ValueError(f"stat '{self.stat}' needs exactly '{needs}' (got {given or 'none'})")
        if self.years is not None and not START_YEAR <= self.years[0] < self.years[1]:
            raise ValueError(f"'years' must be [from, to] with {START_YEAR} <= from < to")
        return self

    def last_month(self) -> int:
        """The last month a run must have for this target."""
        if self.month is not None:
            return self.month
        year = self.year if self.year is not None else self.years[1]  # type: ignore[index]
        return (year - START_YEAR) * 12 + 11

    def when(self) -> str:
        """When the figure applies, in words (for tables)."""
        if self.stat == "value":
            m = self.month or 0
            return f"month {m} ({MONTH_NAMES[m % 12]} {START_YEAR + m // 12})"
        if self.stat == "growth":
            return f"{self.years[0]}-{self.years[1]}"  # type: ignore[index]
        return f"{self.stat} {self.year}"

    def quantity(self) -> str:
        """The model quantity, e.g. 'spending_jeugd - budget_jeugd'."""
        return self.output if self.minus is None else f"{self.output} - {self.minus}"


class Parameter(_Strict):
    """One free parameter: a scenario value (or list element, or list scale) between bounds."""

    path: str = Field(..., description="Dotted scenario parameter, e.g. 'demand.incidence_per_1000_year'.")
    index: int | None = Field(None, ge=0, description="Element of a list parameter (0 = jeugd / light).")
    scale_of: list[float] | None = Field(
        None, min_length=1, description="Reference list; the parameter is a factor on it (value = factor x list)."
    )
    bounds: tuple[float, float] = Field(..., description="[low, high] of the uniform prior.")
    integer: bool = Field(False, description="Round sampled values to whole numbers.")
    description: str = Field("", description="What the parameter means and why these bounds.")

    @model_validator(mode="after")
    def _check(self) -> Parameter:
        if self.index is not None and self.scale_of is not None:
            raise ValueError("give at most one of 'index' and 'scale_of'")
        if not self.bounds[0] < self.bounds[1]:
            raise ValueError(f"'bounds' must be [low, high] with low < high, got {list(self.bounds)}")
        return self

    def label(self) -> str:
        """The parameter as written in tables: path, element or scale."""
        if self.index is not None:
            return f"{self.path}[{self.index}]"
        if self.scale_of is not None:
            return f"{self.path} (x {self.scale_of})"
        return self.path


class Method(_Strict):
    """How the stochastic model is fitted: approximate Bayesian computation."""

    name: Literal["abc-smc", "abc-rejection"] = Field(
        "abc-smc",
        description="abc-smc: adaptive population Monte Carlo ABC (Lenormand et al. 2013); "
        "abc-rejection: one prior sample, the closest share accepted.",
    )
    particles: int = Field(100, ge=4, le=100_000, description="Particles simulated in the first generation.")
    accept_fraction: float = Field(
        0.5, gt=0, lt=1, description="Share of particles kept in each generation (alpha); sets the tolerance."
    )
    generations: int = Field(4, ge=1, le=100, description="Most generations, the prior sample included.")
    min_acceptance: float = Field(
        0.1, ge=0, lt=1, description="Stop when fewer new particles than this share beat the last tolerance."
    )
    replications: int = Field(1, ge=1, le=100, description="Runs per particle (seeds shared within a generation).")
    root_seed: int = Field(0, ge=0, description="Root of the prior sample, the proposals and all run seeds.")
    kernel_scale: float = Field(2.0, gt=0, description="Proposal covariance over the weighted particle covariance.")
    point_estimate: Literal["median", "best"] = Field(
        "median",
        description="Values written to the scenario: the weighted posterior median of each parameter, or the "
        "accepted parameter set closest to the targets (better when parameters trade off along a ridge).",
    )
    check_replications: int = Field(
        4, ge=0, le=1000, description="Runs of the point estimate with fresh seeds to check it; 0 skips."
    )

    @model_validator(mode="after")
    def _check(self) -> Method:
        if self.name == "abc-rejection" and self.generations != 1:
            raise ValueError("abc-rejection has one generation; set generations = 1 or use abc-smc")
        if round(self.particles * self.accept_fraction) < 2:
            raise ValueError("particles x accept_fraction must keep at least 2 particles")
        return self


class Calibration(_Strict):
    """A validated calibration: base scenario, targets, free parameters and method."""

    name: str = "calibration"
    description: str = ""
    scenario: str = Field(..., description="Base scenario file, relative to the calibration file.")
    months: int | None = Field(None, ge=1, le=1200, description="Months per run (default: the last target's).")
    method: Method = Field(default_factory=Method)
    parameters: dict[str, Parameter] = Field(..., min_length=1)
    targets: dict[str, Target] = Field(..., min_length=1)
    base_dir: str = "."

    @model_validator(mode="after")
    def _check(self) -> Calibration:
        if not any(t.fit for t in self.targets.values()):
            raise ValueError("no target has fit = true; nothing to fit")
        last = max(t.last_month() for t in self.targets.values())
        if self.months is not None and self.months <= last:
            raise ValueError(f"'months' = {self.months} is too short: the targets need month {last} (months > {last})")
        return self

    @property
    def horizon(self) -> int:
        """Months per run: as stated, or just long enough for every target."""
        return self.months or max(t.last_month() for t in self.targets.values()) + 1

    @property
    def fitted(self) -> dict[str, Target]:
        """The targets used in the distance."""
        return {k: t for k, t in self.targets.items() if t.fit}

    def outputs(self) -> list[str]:
        """Every model column the targets read, in order of first use."""
        cols: list[str] = []
        for t in self.targets.values():
            for c in (t.output, t.minus):
                if c is not None and c not in cols:
                    cols.append(c)
        return cols


def overrides_for(params: dict[str, Parameter], values: list[float], base: dict[str, Any]) -> dict[str, Any]:
    """Dotted-path overrides that set the free parameters to ``values`` on the base scenario.

    Elements of the same list (two ``index`` parameters on one path) go into one override
    of the whole list, the other elements keeping the base scenario's values.
    """
    out: dict[str, Any] = {}
    for p, v in zip(params.values(), values, strict=True):
        value: float | int = int(round(v)) if p.integer else float(v)
        if p.index is not None:
            current = out.get(p.path)
            if current is None:
                current = copy.deepcopy(get_dotted(base, p.path))
            current[p.index] = value
            out[p.path] = current
        elif p.scale_of is not None:
            out[p.path] = [value * x for x in p.scale_of]
        else:
            out[p.path] = value
    return out


def model_columns() -> tuple[str, ...]:
    """Columns of the model's monthly table (model.parquet), from the output registry."""
    return MODEL_COLUMNS


def load_calibration(path: str | Path) -> tuple[Calibration, Scenario]:
    """Load and validate a calibration file and its base scenario.

    Checks, before any run: keys and values of the file; that the base scenario loads;
    that every parameter path is a scenario parameter (a list, of the right length, for
    ``index`` and ``scale_of``); that the scenario stays valid at both bounds of each
    parameter; that every target output is a column of the model's monthly table.

    Raises:
        CalibrationError: naming the file, the key and what is allowed.
    """
    path = Path(path)
    cal, base = load_with_base(path, Calibration, "calibration", CalibrationError)
    dumped = base.model_dump()
    for name, p in cal.parameters.items():
        where = f"{path}: parameters.{name}"
        try:
            current = parameter_value(dumped, p.path)
        except ValueError as exc:
            raise CalibrationError(f"{where}: {exc}") from None
        fixed = fixed_path_problem(p.path)
        if fixed:
            raise CalibrationError(f"{where}: {fixed}")
        if p.index is not None and (not isinstance(current, list) or p.index >= len(current)):
            size = f"a list of {len(current)}" if isinstance(current, list) else "not a list"
            raise CalibrationError(f"{where}: index {p.index} does not fit '{p.path}' ({size})")
        if p.scale_of is not None and (not isinstance(current, list) or len(current) != len(p.scale_of)):
            size = f"a list of {len(current)}" if isinstance(current, list) else "not a list"
            raise CalibrationError(f"{where}: scale_of has {len(p.scale_of)} values but '{p.path}' is {size}")
        if p.index is None and p.scale_of is None and (isinstance(current, list) or isinstance(current, str)):
            raise CalibrationError(f"{where}: '{p.path}' is {type(current).__name__}; give 'index' or 'scale_of'")
        for bound in p.bounds:
            try:
                base.with_overrides(overrides_for({name: p}, [bound], dumped))
            except ValidationError as exc:
                first = exc.errors()[0]
                raise CalibrationError(
                    f"{where}: bound {bound} gives an invalid scenario: {'.'.join(map(str, first['loc']))}: "
                    f"{first['msg']}"
                ) from None
    for name, t in cal.targets.items():
        for key in ("output", "minus"):
            if getattr(t, key) is not None:
                try:
                    check_names([getattr(t, key)], ["monthly"], f"{path}: targets.{name}.{key}")
                except UnknownOutputError as exc:
                    raise CalibrationError(str(exc)) from None
    return cal, base
