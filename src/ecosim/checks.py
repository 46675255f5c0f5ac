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

from ecosim.errors import GeographyError
from ecosim.scenario import Scenario, ScenarioError

FIXED_BY_THE_RUNNER: dict[str, str] = {
    "run.months": "set 'months' in the experiment (or --months) instead",
    "run.seed": "seeds come from 'root_seed' and 'replications' in the experiment",
}
"""Scenario parameters a factor or free parameter cannot set: the runner sets them per run."""


@lru_cache(maxsize=64)
def _csv_population(path: str, mtime_ns: int, size: int) -> int:
    from ecosim.model import geography  # numpy; imported when a map is checked

    return int(geography.load_csv(path).population.sum())


def population(scenario: Scenario) -> float:
    """Total inhabitants of the scenario's map; reads (and so checks) a geography CSV.

    Raises:
        GeographyError: naming the CSV file, line and column, or the bad synthetic argument.
    """
    from ecosim.model import geography  # numpy; imported when a map is checked

    g = scenario.geography
    if g.source == "real":
        return float(geography.load_real(g.region).population.sum())
    if g.source == "csv":
        path = Path(g.csv_path or "")
        if not path.is_absolute():
            path = Path(scenario.base_dir) / path
        try:
            st = os.stat(path)
        except OSError:
            raise GeographyError(f"{path}: geography.csv_path: file not found") from None
        return _csv_population(str(path), st.st_mtime_ns, st.st_size)
    geography._check_args(
        g.n_municipalities, g.n_regions, g.mean_population, g.population_sigma, g.min_population, g.area_km2
    )
    return g.n_municipalities * g.mean_population


def check_runnable(scenario: Scenario, where: str | Path) -> float:
    """Check what only a run would find (the map: CSV file, region names, synthetic arguments); the population.

    Raises:
        ScenarioError: starting with ``where`` (the file or the design point).
    """
    try:
        return population(scenario)
    except GeographyError as exc:
        raise ScenarioError(f"{where}: geography: {exc}") from None


def fixed_path_problem(path: str) -> str | None:
    """Why ``path`` cannot be varied by a factor or a free parameter, or None when it can."""
    why = FIXED_BY_THE_RUNNER.get(path)
    return None if why is None else f"'{path}' is set by the runner for each run, so varying it does nothing; {why}"


# -- size guards --------------------------------------------------------------------------

MAX_MONTHS = 1200
"""Most months a run may have without ``--force`` (100 years, the scenario's own limit)."""

MAX_RUNS = 20_000
"""Most runs a design may have without ``--force``; a sweep holds every run's scenario in memory."""

_BASE_BYTES = 300e6  # an interpreter with numpy, pandas, Mesa and a small world
_BYTES_PER_AGENT = 1_000  # measured about 420 B per citizen agent after a year; doubled for headroom
_AGENTS_PER_CLIENT = 2.0  # peak citizens (in care, waiting, hidden, refused) per initial client
_BYTES_PER_MUNICIPALITY_MONTH = 2_000  # the recorder's per-municipality table


def memory_total() -> int | None:
    """This machine's memory in bytes (``/proc/meminfo`` or psutil), or None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return int(psutil.virtual_memory().total)
    except Exception:  # noqa: BLE001 - no psutil or no answer: no guard
        return None


def estimate(scenario: Scenario, population: float, months: int) -> tuple[float, float]:
    """Estimated peak citizen agents and bytes of one run, before anything is built.

    Agents: population / 1,000 x clients per 1,000 (summed over domains) x 2 / agent_scale.
    """
    k = scenario.run.agent_scale
    agents = population / 1000.0 * sum(scenario.demand.initial_clients_per_1000) * _AGENTS_PER_CLIENT / k
    g = scenario.geography
    municipalities = g.n_municipalities if g.source == "synthetic" else 400
    size = _BASE_BYTES + agents * _BYTES_PER_AGENT + municipalities * months * _BYTES_PER_MUNICIPALITY_MONTH
    return agents, size


def check_memory(
    scenario: Scenario, population: float, months: int, where: str | Path, workers: int = 1, force: bool = False
) -> None:
    """Refuse a run (or ``workers`` runs at once) that would need more than this machine's memory.

    Raises:
        ScenarioError: naming ``where``, the estimate and a ``run.agent_scale`` that would fit.
    """
    total = memory_total()
    if force or total is None:
        return
    agents, size = estimate(scenario, population, months)
    workers = max(1, workers)
    if size * workers <= total:
        return
    k = scenario.run.agent_scale
    fit = total / workers - _BASE_BYTES - (size - _BASE_BYTES - agents * _BYTES_PER_AGENT)
    scale = k * agents * _BYTES_PER_AGENT / fit if fit > 0 else float("inf")
    hint = (
        f"raise run.agent_scale (one agent stands for k people) to at least {int(scale) + 1}"
        if scale <= 1000
        else "make the map smaller (geography) or the run shorter"
    )
    runs = f"{workers} runs at once" if workers > 1 else "one run"
    raise ScenarioError(
        f"{where}: {runs} would need about {size * workers / 1e9:,.1f} GB ({agents:,.0f} citizen agents each: "
        f"{population:,.0f} inhabitants x {sum(scenario.demand.initial_clients_per_1000):g} clients per 1,000 "
        f"/ agent_scale {k}), more than this machine's {total / 1e9:,.1f} GB; {hint}"
        + ("; or use fewer --workers" if workers > 1 else "")
        + " (--force runs it anyway)"
    )


def check_months(months: int | None, option: str = "--months", force: bool = False) -> None:
    """Refuse more than :data:`MAX_MONTHS` months unless forced.

    Raises:
        InputError: naming the option, the value and the limit.
    """
    from ecosim.errors import InputError

    if months is not None and months > MAX_MONTHS and not force:
        raise InputError(f"{option} {months} is more than {MAX_MONTHS} months (100 years); use --force to run it")
