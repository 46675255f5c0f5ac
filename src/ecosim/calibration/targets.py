"""Summary statistics of a run and the distance between simulated and observed figures."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecosim.calibration.spec import START_YEAR, Target


def quantity(target: Target, wide: pd.DataFrame) -> pd.Series:
    """The target's monthly quantity: ``output`` (minus ``minus``), indexed by month."""
    x = wide[target.output]
    return x - wide[target.minus] if target.minus is not None else x


def _year(x: pd.Series, year: int) -> pd.Series:
    first = (year - START_YEAR) * 12
    return x.loc[first : first + 11]


def statistic(target: Target, wide: pd.DataFrame) -> float:
    """The target's summary statistic of one run (``wide``: one row per month, indexed by month).

    Returns NaN when the run lacks the months the target needs.
    """
    x = quantity(target, wide)
    if target.stat == "value":
        return float(x.get(target.month, np.nan))
    if target.stat == "growth":
        y0, y1 = target.years  # type: ignore[misc]
        a, b = _year(x, y0), _year(x, y1)
        if len(a) < 12 or len(b) < 12 or a.mean() == 0:
            return float("nan")
        return float(b.mean() / a.mean() - 1.0)
    part = _year(x, target.year)  # type: ignore[arg-type]
    if len(part) < 12:
        return float("nan")
    return float(part.mean() if target.stat == "mean" else part.sum())


def statistics(targets: dict[str, Target], wide: pd.DataFrame) -> dict[str, float]:
    """Every target's statistic of one run."""
    return {name: statistic(t, wide) for name, t in targets.items()}


def distance(simulated: np.ndarray, observed: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    """Root mean square of (simulated - observed) / tolerance over targets, one value per row.

    A distance of 1 means the simulated figures miss by one tolerance on average; rows with
    a missing statistic (a failed run) get an infinite distance.
    """
    z = (np.atleast_2d(simulated) - observed) / tolerance
    d = np.sqrt(np.mean(z**2, axis=1))
    return np.where(np.isfinite(d), d, np.inf)
