"""Checks that would otherwise fail only when a run starts, done when files are validated.

Every command (``validate``, ``run``, ``sweep``, ``calibrate``) loads its files through the
same loaders, which call :func:`check_runnable` on each scenario they will run (the base
scenario and every design point), so a problem is found in seconds with exit 2, not in
every run of a sweep.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from ecosim.model import geography
from ecosim.scenario import Scenario, ScenarioError

FIXED_BY_THE_RUNNER: dict[str, str] = {
    "run.months": "set 'months' in the experiment (or --months) instead",
    "run.seed": "seeds come from 'root_seed' and 'replications' in the experiment",
}
"""Scenario parameters a factor or free parameter cannot set: the runner sets them per run."""


@lru_cache(maxsize=64)
def _csv_population(path: str, mtime_ns: int, size: int) -> int:
    return int(geography.load_csv(path).population.sum())


def population(scenario: Scenario) -> float:
    """Total inhabitants of the scenario's map; reads (and so checks) a geography CSV.

    Raises:
        GeographyError: naming the CSV file, line and column, or the bad synthetic argument.
    """
    g = scenario.geography
    if g.source == "csv":
        path = Path(g.csv_path or "")
        if not path.is_absolute():
            path = Path(scenario.base_dir) / path
        try:
            st = os.stat(path)
        except OSError:
            raise geography.GeographyError(f"{path}: geography.csv_path: file not found") from None
        return _csv_population(str(path), st.st_mtime_ns, st.st_size)
    geography._check_args(
        g.n_municipalities, g.n_regions, g.mean_population, g.population_sigma, g.min_population, g.area_km2
    )
    return g.n_municipalities * g.mean_population


def check_runnable(scenario: Scenario, where: str | Path) -> float:
    """Check what only a run would find (the map: CSV file, synthetic arguments); the population.

    Raises:
        ScenarioError: starting with ``where`` (the file or the design point).
    """
    try:
        return population(scenario)
    except geography.GeographyError as exc:
        raise ScenarioError(f"{where}: geography: {exc}") from None


def fixed_path_problem(path: str) -> str | None:
    """Why ``path`` cannot be varied by a factor or a free parameter, or None when it can."""
    why = FIXED_BY_THE_RUNNER.get(path)
    return None if why is None else f"'{path}' is set by the runner for each run, so varying it does nothing; {why}"
