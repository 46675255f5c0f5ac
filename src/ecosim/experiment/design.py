"""Experiment files: a base scenario, factors, a design, replications and outputs to keep.

An experiment is declared, not coded (in the spirit of EMA Workbench): each factor names
the scenario parameters it sets, so a typo is caught when the file is loaded, not hours
into a sweep. Designs:

- ``grid``: every combination of the factors' listed levels;
- ``lhs``: a Latin hypercube over the factors' bounds (``samples`` points);
- ``oat``: one factor at a time around the base scenario;
- ``morris``: Morris elementary-effects trajectories over the factors' bounds (SALib),
  ``trajectories`` x (k + 1) points for k bounded factors;
- ``sobol``: Saltelli's extension of the Sobol sequence (SALib), ``base_samples`` x (k + 2)
  points, or x (2k + 2) with ``second_order``;
- ``points``: given parameter sets, one row each of a CSV (``points``), for instance a
  calibration's accepted posterior sets; the columns are named by a calibration file's
  ``[parameters]`` (``calibration``) or are dotted scenario paths (``columns``). Every row is
  run at every level of the factors (a grid), and each run's labels keep the row's name
  (``point_set``), its weight (``point_weight``, with ``weight_column``) and its values.

In the sampled designs (lhs, morris, sobol), factors with named ``levels`` are crossed with
the sample: every sampled point is run at every level (for instance both stances), and the
points of one level combination keep the sampler's order, which is what the SALib analysis
needs (:func:`sample_matrix` gives that matrix).

Each design point is run ``replications`` times; replication r uses the same seed in every
point (common random numbers), derived from ``root_seed`` with ``numpy.random.SeedSequence``.
"""

from __future__ import annotations

import copy
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from ecosim.checks import MAX_RUNS, check_memory, check_runnable, estimate, fixed_path_problem
from ecosim.declared import base_scenario, load_with_base
from ecosim.experiment.spec import SAMPLED_METHODS, DesignSpec, Experiment, ExperimentError, Factor, OutputSpec
from ecosim.scenario import Scenario, ScenarioError, format_errors, get_dotted, parameter_value


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


def design_points(
    exp: Experiment, rng_seed: int, base: Scenario | None = None
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The design's points as (labels, overrides) pairs.

    ``base`` is needed when a factor has ``scale = true``: its override is the multiplier
    times the base scenario's value (the label stays the multiplier).
    """
    if exp.design.method == "points":
        if base is None:
            raise ValueError("design 'points' sets list elements on the base scenario; pass it as 'base'")
        points = _given_points(exp, base)
    else:
        points = _points(exp, rng_seed)
    scaled = {n: f for n, f in exp.factors.items() if f.scale}
    if scaled:
        if base is None:
            raise ValueError(f"factors {sorted(scaled)} scale the base scenario; pass it as 'base'")
        dumped = base.model_dump()
        for _, overrides in points:
            for f in scaled.values():
                if f.path in overrides:  # one-at-a-time points leave the other factors at base
                    overrides[f.path] = scaled_value(get_dotted(dumped, f.path), overrides[f.path])
    return points


def scaled_value(current: Any, factor: float) -> Any:
    """``current`` (a number or a list of numbers) times ``factor``, keeping whole numbers whole."""
    if isinstance(current, list):
        return [scaled_value(x, factor) for x in current]
    if isinstance(current, bool) or not isinstance(current, int | float):
        raise TypeError(f"cannot scale {current!r}")
    value = current * factor
    return int(round(value)) if isinstance(current, int) else float(value)


def _points(exp: Experiment, rng_seed: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
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
    return _sampled_points(exp, rng_seed)


POINT_LABELS: tuple[str, str] = ("point_set", "point_weight")
"""Labels a ``points`` design adds to each run: the row's name and its weight."""


def point_table(exp: Experiment) -> Any:
    """The CSV of parameter sets of a ``points`` design (relative to the experiment's ``base_dir``), a DataFrame."""
    import pandas as pd  # imported on use: the command line starts without pandas

    path = Path(exp.base_dir) / str(exp.design.points)
    try:
        table = pd.read_csv(path)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise ExperimentError(f"design.points: cannot read the parameter sets {path}: {exc}") from None
    if table.empty:
        raise ExperimentError(f"design.points: {path} has no rows")
    return table


def _point_columns(exp: Experiment) -> dict[str, Any]:
    """The columns a ``points`` design reads, each with what it sets.

    With ``calibration``: the calibration's parameters (name -> Parameter with path, index or
    scale_of). Otherwise each of ``columns``, a dotted path with an optional ``[i]``: name ->
    (path, index or None).
    """
    spec = exp.design
    if spec.calibration is not None:
        from ecosim.calibration.spec import CalibrationError, load_calibration

        try:
            cal, _ = load_calibration(Path(exp.base_dir) / spec.calibration)
        except CalibrationError as exc:
            raise ExperimentError(f"design.calibration: {exc}") from None
        return dict(cal.parameters)
    out: dict[str, Any] = {}
    for col in spec.columns:
        m = re.fullmatch(r"([A-Za-z0-9_.]+)(?:\[(\d+)\])?", col)
        if m is None:
            raise ExperimentError(f"design.columns: '{col}' is not a dotted path with an optional [index]")
        path = m.group(1)
        try:
            parameter_value(Scenario().model_dump(), path)
        except ValueError as exc:
            raise ExperimentError(f"design.columns: {exc}") from None
        fixed = fixed_path_problem(path)
        if fixed:
            raise ExperimentError(f"design.columns: {fixed}")
        out[col] = (path, None if m.group(2) is None else int(m.group(2)))
    return out


def _given_points(exp: Experiment, base: Scenario) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The points of a ``points`` design: every row of its CSV at every level combination of its factors."""
    from ecosim.calibration.spec import overrides_for

    spec = exp.design
    table = point_table(exp)
    columns = _point_columns(exp)
    wanted = [*columns, *(c for c in (spec.id_column, spec.weight_column) if c)]
    missing = [c for c in wanted if c not in table.columns]
    if missing:
        raise ExperimentError(f"design.points: {spec.points} has no column(s) {missing}; it has {list(table.columns)}")
    clash = sorted((set(columns) | set(POINT_LABELS)) & set(exp.factors))
    if clash:
        raise ExperimentError(f"design.points: factors {clash} have the names of the parameter sets' labels")
    dumped = base.model_dump()
    rows = []
    for i, row in table.iterrows():
        values = [float(row[c]) for c in columns]
        if spec.calibration is not None:
            overrides = overrides_for(columns, values, dumped)
        else:
            overrides = {}
            for (path, index), v in zip(columns.values(), values, strict=True):
                if index is None:
                    overrides[path] = v
                else:
                    current = overrides.setdefault(path, copy.deepcopy(get_dotted(dumped, path)))
                    if not isinstance(current, list) or index >= len(current):
                        raise ExperimentError(f"design.columns: '{path}[{index}]' is not an element of a list")
                    current[index] = v
        labels: dict[str, Any] = {"point_set": str(row[spec.id_column]) if spec.id_column else str(i)}
        if spec.weight_column:
            labels["point_weight"] = float(row[spec.weight_column])
        labels.update(zip(columns, values, strict=True))
        rows.append((labels, overrides))
    factors = exp.factors
    points = []
    for combo in itertools.product(*(f.level_items() for f in factors.values())):
        for labels, overrides in rows:
            lab = {name: level for name, (level, _) in zip(factors, combo, strict=True)}
            ov = dict(overrides)
            for _, level_ov in combo:
                ov.update(level_ov)
            points.append(({**lab, **labels}, ov))
    return points


def bounded_factors(exp: Experiment) -> dict[str, Factor]:
    """The factors a sampled design draws from their bounds, in file order."""
    return {n: f for n, f in exp.factors.items() if f.bounds is not None}


def salib_problem(exp: Experiment) -> dict[str, Any]:
    """The SALib problem of a sampled design: its bounded factors' names and bounds."""
    bounded = bounded_factors(exp)
    return {
        "num_vars": len(bounded),
        "names": list(bounded),
        "bounds": [list(f.bounds) for f in bounded.values()],  # type: ignore[arg-type]
    }


def sample_matrix(exp: Experiment, seed: int | None = None) -> np.ndarray:
    """The sampled design as a (points x bounded factors) matrix, in the sampler's order.

    Values are in the factors' units and not yet rounded for ``integer`` factors, as the
    SALib analysis expects them. Every level combination of the crossed (named-levels)
    factors runs this same matrix.
    """
    seed = exp.root_seed if seed is None else seed
    method, spec = exp.design.method, exp.design
    bounded = bounded_factors(exp)
    if method == "lhs":
        u = _latin_hypercube_unit(len(bounded), spec.samples, seed)
        lo = np.array([f.bounds[0] for f in bounded.values()])  # type: ignore[index]
        hi = np.array([f.bounds[1] for f in bounded.values()])  # type: ignore[index]
        return lo + u * (hi - lo)
    problem = salib_problem(exp)
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(problem, spec.trajectories, num_levels=spec.levels, seed=seed)
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(problem, spec.base_samples, calc_second_order=spec.second_order, seed=seed)
    raise ValueError(f"design '{method}' is not sampled")


def _latin_hypercube_unit(k: int, n: int, seed: int) -> np.ndarray:
    """``n`` points of a Latin hypercube in [0, 1)^k: scipy's ``qmc.LatinHypercube``, seeded."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=k, rng=np.random.default_rng(seed)).random(n)


def _sampled_points(exp: Experiment, seed: int) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    bounded = bounded_factors(exp)
    crossed = [(n, f) for n, f in exp.factors.items() if f.levels is not None]
    matrix = sample_matrix(exp, seed) if bounded else np.zeros((1, 0))
    points = []
    # Level combinations outermost, so each combination's points stay in the sampler's order.
    for combo in itertools.product(*(f.level_items() for _, f in crossed)):
        for row in matrix:
            labels: dict[str, Any] = {}
            overrides: dict[str, Any] = {}
            for (name, f), v in zip(bounded.items(), row, strict=True):
                value: float | int = int(round(v)) if f.integer else float(v)
                labels[name] = value
                overrides[f.path] = value  # type: ignore[index]
            for (name, _), (lab, ov) in zip(crossed, combo, strict=True):
                labels[name] = lab
                overrides.update(ov)
            labels = {n: labels[n] for n in exp.factors}
            points.append((labels, overrides))
    return points


def design_size(exp: Experiment) -> int:
    """The number of runs of an experiment, counted without building its design."""
    factors = exp.factors
    crossed = int(np.prod([len(f.level_items()) for f in factors.values() if f.levels is not None] or [1]))
    k = len(bounded_factors(exp))
    spec = exp.design
    if spec.method == "points":
        levels = int(np.prod([len(f.level_items()) for f in factors.values()] or [1]))
        points = len(point_table(exp)) * levels
    elif not factors:
        points = 1
    elif spec.method == "grid":
        points = int(np.prod([len(f.level_items()) for f in factors.values()]))
    elif spec.method == "oat":
        points = 1 + sum(len(f.level_items()) for f in factors.values())
    elif spec.method == "lhs":
        points = spec.samples * crossed if k else crossed
    elif spec.method == "morris":
        points = spec.trajectories * (k + 1) * crossed
    else:
        points = spec.base_samples * (2 * k + 2 if spec.second_order else k + 2) * crossed
    return points * exp.replications


def load_experiment(path: str | Path, force: bool = False, workers: int = 1) -> tuple[Experiment, Scenario]:
    """Load and validate an experiment file and its base scenario.

    Every factor's parameter paths are checked against the scenario, and every design
    point is validated, so errors surface before any run starts.

    Raises:
        ExperimentError: naming the file, the key and what is allowed.
    """
    path = Path(path)
    exp, base = load_with_base(path, Experiment, "experiment", ExperimentError)
    check_experiment(exp, base, path, force=force, workers=workers)
    return exp, base


def resolve_experiment(
    experiment: Experiment | str | Path, force: bool = False, workers: int = 1
) -> tuple[Experiment, Scenario]:
    """An experiment (object or file) validated as :func:`load_experiment` does, and its base scenario.

    An object's ``scenario`` is relative to its ``base_dir`` (default: the working
    directory), which the returned experiment states as an absolute path (a loaded file's
    already is). The object is validated again (an edited copy, e.g. from ``model_copy``,
    may not have been), and messages name it as ``experiment '<name>'``.

    Raises:
        ExperimentError: naming the file or the experiment, the key and what is allowed.
    """
    if not isinstance(experiment, Experiment):
        return load_experiment(experiment, force=force, workers=workers)
    where = f"experiment '{experiment.name}'"
    try:
        exp = Experiment.model_validate(
            {**experiment.model_dump(), "base_dir": str(Path(experiment.base_dir).resolve())}
        )
    except ValidationError as exc:
        raise ExperimentError(format_errors(where, exc, Experiment, "experiment")) from None
    base = base_scenario(exp, where, ExperimentError)
    check_experiment(exp, base, where, force=force, workers=workers)
    return exp, base


def check_factor_file(factors: Any, where: str | Path) -> int:
    """Check a file of factors (``experiments/uncertainties.toml``) against the default scenario.

    Returns:
        the number of factors.

    Raises:
        ExperimentError: naming the file, the factor and what is wrong.
    """
    if not isinstance(factors, dict):
        raise ExperimentError(f"{where}: [factors] must be a table of factors")
    dumped = Scenario().model_dump()
    for name, spec in factors.items():
        try:
            factor = Factor.model_validate(spec)
        except ValidationError as exc:
            raise ExperimentError(format_errors(f"{where}: factors.{name}", exc, Factor, "factor")) from None
        check_factor_paths(name, factor, dumped, where)
    return len(factors)


def check_factor_paths(name: str, factor: Factor, dumped: dict[str, Any], where: str | Path) -> None:
    """Check that each path of a factor names one parameter of ``dumped`` that a factor may set.

    Raises:
        ExperimentError: naming ``where``, the factor and what is wrong.
    """
    for p in sorted(factor.paths()):
        try:
            current = parameter_value(dumped, p)
        except ValueError as exc:
            raise ExperimentError(f"{where}: factors.{name}: {exc}") from None
        fixed = fixed_path_problem(p)
        if fixed:
            raise ExperimentError(f"{where}: factors.{name}: {fixed}")
        if factor.scale:
            try:
                scaled_value(current, 1.0)
            except TypeError:
                raise ExperimentError(
                    f"{where}: factors.{name}: 'scale' needs a number or a list of numbers at '{p}', found {current!r}"
                ) from None


def check_experiment(exp: Experiment, base: Scenario, where: str | Path, force: bool = False, workers: int = 1) -> None:
    """Check every factor's parameter paths and every design point against the base scenario.

    Also the sizes, unless ``force``: at most :data:`~ecosim.checks.MAX_RUNS` runs (counted
    before the design is built), and the largest design point's run, ``workers`` at once,
    within this machine's memory.

    Raises:
        ExperimentError: starting with ``where`` (the file or the experiment's name).
    """
    runs = design_size(exp)
    if runs > MAX_RUNS and not force:
        raise ExperimentError(
            f"{where}: the design has {runs:,} runs, more than {MAX_RUNS:,}; make it smaller (design, "
            "replications) or use --force to run it anyway"
        )
    dumped = base.model_dump()
    for name, f in exp.factors.items():
        check_factor_paths(name, f, dumped, where)
    months = exp.months or base.run.months
    worst: tuple[float, Scenario, str, float] | None = None
    for labels, overrides in design_points(exp, exp.root_seed, base):
        try:
            point = base.with_overrides(overrides)
        except ValidationError as exc:
            raise ExperimentError(
                format_errors(f"{where} (design point {labels})", exc).replace("in the scenario", "in the experiment")
            ) from None
        try:
            people = check_runnable(point, f"{where} (design point {labels})")
        except ScenarioError as exc:
            raise ExperimentError(str(exc)) from None
        size = estimate(point, people, months)[1]
        if worst is None or size > worst[0]:
            worst = (size, point, f"{where} (design point {labels})", people)
    if worst is not None:
        try:
            check_memory(worst[1], worst[3], months, worst[2], workers=min(workers, runs), force=force)
        except ScenarioError as exc:
            raise ExperimentError(str(exc)) from None


def expand(exp: Experiment, base: Scenario) -> list[RunSpec]:
    """Every run of the experiment, with its resolved scenario."""
    seeds = replication_seeds(exp.root_seed, exp.replications)
    months = exp.months or base.run.months
    specs = []
    for i, (labels, overrides) in enumerate(design_points(exp, exp.root_seed, base)):
        scenario = base.with_overrides(overrides).model_dump(mode="json")
        for r, seed in enumerate(seeds):
            specs.append(RunSpec(i, r, seed, months, labels, overrides, scenario))
    return specs


__all__ = [
    "DesignSpec",
    "Experiment",
    "Factor",
    "OutputSpec",
    "bounded_factors",
    "check_factor_file",
    "ExperimentError",
    "POINT_LABELS",
    "point_table",
    "RunSpec",
    "check_experiment",
    "design_size",
    "design_points",
    "expand",
    "load_experiment",
    "replication_seeds",
    "resolve_experiment",
    "salib_problem",
    "sample_matrix",
    "SAMPLED_METHODS",
    "ScenarioError",
]
