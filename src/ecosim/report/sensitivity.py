"""Sensitivity indices of a Morris or Sobol sweep (SALib), per output and per crossed level.

The sweep's design points are SALib's sample in SALib's order (see
:func:`ecosim.experiment.design.sample_matrix`); the matrix is rebuilt from the experiment in
the manifest, so the analysis uses exactly the inputs SALib drew. Each point's output is the
**mean over its replications**: with common random numbers every point sees the same seeds,
so averaging removes much of the model's own noise without breaking SALib's pairing of
points, and one index per output is what a reader can use. (With one replication this is that
replication.) When the design crosses named levels with the sample (e.g. both stances), the
indices are computed separately for each level combination.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecosim.errors import InputError
from ecosim.experiment.design import Experiment, bounded_factors, salib_problem, sample_matrix

METHODS = ("morris", "sobol")
"""Design methods with sensitivity indices."""

COLUMNS = {
    "morris": ("mu_star", "mu_star_conf", "mu", "sigma"),
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
}
"""Index columns per method, main index and its confidence half-width first."""


def experiment_of(manifest: dict) -> Experiment:
    """The experiment a sweep ran, from its manifest."""
    return Experiment.model_validate(manifest["experiment"])


def indices(runs: pd.DataFrame, exp: Experiment, outputs: list[str], seed: int = 0) -> pd.DataFrame:
    """Morris (mu*, mu*_conf, mu, sigma) or Sobol (S1, S1_conf, ST, ST_conf) indices.

    Args:
        runs: runs.parquet of a Morris or Sobol sweep (every design point present).
        exp: the sweep's experiment.
        outputs: columns of ``runs`` to analyse.
        seed: seed of SALib's bootstrap of the confidence intervals.

    Returns:
        One row per level combination, output and factor: ``levels`` (label of the crossed
        levels, '' when none), ``output``, ``factor`` and the method's index columns.

    Raises:
        InputError: when the design is not Morris or Sobol, or design points are missing.
    """
    method = exp.design.method
    if method not in METHODS:
        raise InputError(f"sensitivity indices need a 'morris' or 'sobol' design, not '{method}'")
    problem = salib_problem(exp)
    x = sample_matrix(exp)
    crossed = [f"factor_{n}" for n, f in exp.factors.items() if f.levels is not None]
    rows = []
    groups = runs.groupby(crossed, sort=False) if crossed else [((), runs)]
    for key, grp in groups:
        key = key if isinstance(key, tuple) else (key,)
        label = ", ".join(f"{c.removeprefix('factor_')}={v}" for c, v in zip(crossed, key, strict=True))
        means = grp.groupby("point")[outputs].mean().sort_index()
        if len(means) != len(x):
            raise InputError(
                f"sensitivity needs every design point: {len(means)} of {len(x)} points present"
                + (f" for {label}" if label else "")
                + " (finish the sweep, or rerun the failed runs)"
            )
        for out in outputs:
            y = means[out].to_numpy(dtype=float)
            for factor, values in _analyse(method, problem, x, y, exp, seed).items():
                rows.append({"levels": label, "output": out, "factor": factor, **values})
    return pd.DataFrame(rows)


def _analyse(method: str, problem: dict, x: np.ndarray, y: np.ndarray, exp: Experiment, seed: int) -> dict:
    names = list(bounded_factors(exp))
    if not np.all(np.isfinite(y)) or np.ptp(y) == 0:
        # An output that never varies has no variance to apportion: indices are undefined.
        return {name: dict.fromkeys(COLUMNS[method], np.nan) for name in names}
    if method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(problem, x, y, num_levels=exp.design.levels, seed=seed)
    else:
        from SALib.analyze import sobol

        res = sobol.analyze(problem, y, calc_second_order=exp.design.second_order, seed=seed)
    return {name: {c: float(res[c][i]) for c in COLUMNS[method]} for i, name in enumerate(names)}
