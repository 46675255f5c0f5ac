"""PRIM, the patient rule induction method (Friedman & Fisher 1999), for scenario discovery.

Given inputs x (one row per experiment) and a 0/1 outcome y (1 = a case of interest), PRIM
looks for a box - a range on each numeric input, a set of levels on each categorical one -
where cases of interest are dense:

1. *Peeling*: starting from the box holding all data, repeatedly cut off a thin slice (a
   share ``peel_alpha`` of the points in the box at the low or high end of one numeric input,
   or one level of a categorical input), choosing the cut that raises the box's share of
   cases of interest most. This gives the *peeling trajectory*: ever smaller, denser boxes,
   down to ``mass_min`` of the data.
2. *Selection*: from the trajectory, among the boxes whose density reaches ``threshold``,
   take the one with the largest coverage x density (or the densest box when none does).
3. *Pasting*: widen that box again by slices of ``paste_alpha`` while that raises its density
   (the greedy peeling may have cut too much).

Scenario discovery (Bryant & Lempert 2010) reads a box by its *coverage* (share of all cases
of interest inside the box), *density* (share of the box's points that are cases of interest)
and *mass* (share of all points inside). For each restricted input, a one-sided binomial
quasi-p-value tells whether the restriction matters: the chance of the box's density if the
restriction were dropped (as in EMA Workbench).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

Limit = tuple[float, float] | frozenset[str]


@dataclass
class Box:
    """A box in input space and how well it captures the cases of interest.

    Attributes:
        limits: per input, ``(low, high)`` (inclusive, data values) or the set of allowed levels.
        restricted: the inputs whose limit is narrower than the data's range.
        coverage: cases of interest inside / all cases of interest.
        density: cases of interest inside / points inside.
        mass: points inside / all points.
        n: points inside.
        qp: per restricted input, the quasi-p-value of its restriction.
    """

    limits: dict[str, Limit]
    restricted: list[str]
    coverage: float
    density: float
    mass: float
    n: int
    qp: dict[str, float] = field(default_factory=dict)

    def describe(self, name: str) -> str:
        """The limit on one input as text, e.g. '0.2 to 0.6' or '{light, none}'."""
        lim = self.limits[name]
        if isinstance(lim, frozenset):
            return "{" + ", ".join(sorted(lim)) + "}"
        return f"{lim[0]:.3g} to {lim[1]:.3g}"


@dataclass
class PrimResult:
    """The chosen box (after pasting), the peeling trajectory and the data's totals."""

    box: Box
    trajectory: list[Box]
    n: int
    cases: int


class _Data:
    """Inputs split into numeric arrays and categorical string arrays, with y."""

    def __init__(self, x: pd.DataFrame, y: np.ndarray) -> None:
        self.names = list(x.columns)
        self.numeric = {c: x[c].to_numpy(dtype=float) for c in x.columns if pd.api.types.is_numeric_dtype(x[c])}
        self.categorical = {c: x[c].astype(str).to_numpy() for c in x.columns if c not in self.numeric}
        self.y = np.asarray(y, dtype=float)
        self.cases = float(self.y.sum())
        self.full = self.initial_limits()

    def initial_limits(self) -> dict[str, Limit]:
        lim: dict[str, Limit] = {c: (float(v.min()), float(v.max())) for c, v in self.numeric.items()}
        lim.update({c: frozenset(v.tolist()) for c, v in self.categorical.items()})
        return {n: lim[n] for n in self.names}

    def inside(self, limits: dict[str, Limit], skip: str | None = None) -> np.ndarray:
        mask = np.ones(self.y.size, dtype=bool)
        for c, lim in limits.items():
            if c == skip:
                continue
            if isinstance(lim, frozenset):
                mask &= np.isin(self.categorical[c], list(lim))
            else:
                v = self.numeric[c]
                mask &= (v >= lim[0]) & (v <= lim[1])
        return mask

    def box(self, limits: dict[str, Limit]) -> Box:
        mask = self.inside(limits)
        n = int(mask.sum())
        hits = float(self.y[mask].sum())
        restricted = [c for c in self.names if limits[c] != self.full[c]]
        qp = {c: self._quasi_p(limits, c, n, hits) for c in restricted}
        return Box(
            dict(limits),
            restricted,
            hits / self.cases if self.cases else np.nan,
            hits / n if n else np.nan,
            n / self.y.size,
            n,
            qp,
        )

    def _quasi_p(self, limits: dict[str, Limit], name: str, n: int, hits: float) -> float:
        # How likely is the box's density if points were drawn at the density of the box
        # without this restriction? Small: the restriction matters.
        wider = self.inside(limits, skip=name)
        p0 = float(self.y[wider].mean()) if wider.any() else 0.0
        return float(stats.binom.sf(hits - 1, n, p0)) if n else np.nan


def _objective(kind: str, mean_old: float, mass_old: int, y_new: np.ndarray) -> float:
    mean_new = float(y_new.mean())
    if kind == "original":
        # Friedman & Fisher: the mean of the box that remains.
        return mean_new
    # Lenient (EMA Workbench's default): gain in mean per point removed, so a cut that
    # removes a large categorical level is not preferred only for being large.
    return (mean_new - mean_old) / max(mass_old - y_new.size, 1)


def _peel_candidates(data: _Data, limits: dict[str, Limit], mask: np.ndarray, alpha: float) -> list[dict]:
    cands = []
    n_in = int(mask.sum())
    k = max(1, int(np.floor(alpha * n_in)))
    for c, v in data.numeric.items():
        vals = np.sort(v[mask])
        lo, hi = limits[c]  # type: ignore[misc]
        # Cut at the k-th value from each end, with every tie of it, so a peel is well defined.
        low_cut = vals[k - 1]
        keep = mask & (v > low_cut)
        if 0 < keep.sum() < n_in:
            cands.append({c: (float(v[keep].min()), hi), "_mask": keep})
        high_cut = vals[n_in - k]
        keep = mask & (v < high_cut)
        if 0 < keep.sum() < n_in:
            cands.append({c: (lo, float(v[keep].max())), "_mask": keep})
    for c, v in data.categorical.items():
        allowed = limits[c]
        if len(allowed) < 2:  # type: ignore[arg-type]
            continue
        for level in sorted(allowed):  # type: ignore[union-attr]
            keep = mask & (v != level)
            if 0 < keep.sum() < n_in:
                cands.append({c: frozenset(allowed - {level}), "_mask": keep})  # type: ignore[operator]
    return cands


def _paste_candidates(data: _Data, limits: dict[str, Limit], mask: np.ndarray, alpha: float) -> list[dict]:
    cands = []
    k = max(1, int(np.floor(alpha * mask.sum())))
    for c, v in data.numeric.items():
        others = data.inside(limits, skip=c)
        lo, hi = limits[c]  # type: ignore[misc]
        below = np.sort(v[others & (v < lo)])
        if below.size:
            new_lo = float(below[max(below.size - k, 0)])
            cands.append({c: (new_lo, hi), "_mask": others & (v >= new_lo) & (v <= hi)})
        above = np.sort(v[others & (v > hi)])
        if above.size:
            new_hi = float(above[min(k, above.size) - 1])
            cands.append({c: (lo, new_hi), "_mask": others & (v >= lo) & (v <= new_hi)})
    for c, v in data.categorical.items():
        others = data.inside(limits, skip=c)
        for level in sorted(data.full[c] - limits[c]):  # type: ignore[operator]
            allowed = frozenset(limits[c] | {level})  # type: ignore[operator]
            cands.append({c: allowed, "_mask": others & np.isin(v, list(allowed))})
    return cands


def _apply(limits: dict[str, Limit], cand: dict) -> dict[str, Limit]:
    return {**limits, **{k: v for k, v in cand.items() if k != "_mask"}}


def peel(data: _Data, alpha: float, mass_min: float, objective: str) -> list[dict[str, Limit]]:
    """The peeling trajectory as a list of box limits, from all data to the last allowed box."""
    limits = dict(data.full)
    mask = np.ones(data.y.size, dtype=bool)
    trajectory = [limits]
    min_n = mass_min * data.y.size
    while True:
        mean_old, n_old = float(data.y[mask].mean()), int(mask.sum())
        cands = [c for c in _peel_candidates(data, limits, mask, alpha) if c["_mask"].sum() >= min_n]
        if not cands:
            return trajectory
        # Best objective; among equals, the larger remaining box (fewer points thrown away).
        best = max(cands, key=lambda c: (_objective(objective, mean_old, n_old, data.y[c["_mask"]]), c["_mask"].sum()))
        limits, mask = _apply(limits, best), best["_mask"]
        trajectory.append(limits)


def paste(data: _Data, limits: dict[str, Limit], alpha: float) -> dict[str, Limit]:
    """Widen a box slice by slice while its density rises."""
    mask = data.inside(limits)
    while True:
        current = float(data.y[mask].mean())
        cands = _paste_candidates(data, limits, mask, alpha)
        if not cands:
            return limits
        best = max(cands, key=lambda c: (float(data.y[c["_mask"]].mean()), c["_mask"].sum()))
        if not float(data.y[best["_mask"]].mean()) > current:
            return limits
        limits, mask = _apply(limits, best), best["_mask"]


def prim(
    x: pd.DataFrame,
    y: np.ndarray | pd.Series,
    threshold: float = 0.8,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    objective: Literal["lenient", "original"] = "lenient",
    pasting: bool = True,
) -> PrimResult:
    """Find one box where cases of interest (y = 1) are dense.

    Args:
        x: inputs, one row per experiment; numeric columns get ranges, others sets of levels.
        y: 1 (or True) for a case of interest, else 0.
        threshold: density a box on the trajectory must reach to be chosen; among those, the
            box with the largest coverage x density is taken.
        peel_alpha: share of the box's points cut off per peel.
        paste_alpha: share of the box's points added per paste.
        mass_min: smallest share of all points a box may hold.
        objective: 'lenient' (gain in density per point removed; EMA Workbench's default)
            or 'original' (density after the peel; Friedman & Fisher 1999).
        pasting: whether to paste the chosen box.

    Raises:
        ValueError: when x and y differ in length, x is empty, or y has no cases of interest.
    """
    y = np.asarray(y, dtype=float)
    if len(x) != y.size or y.size == 0:
        raise ValueError(f"x and y must be non-empty and of equal length, got {len(x)} and {y.size}")
    if not set(np.unique(y)) <= {0.0, 1.0}:
        raise ValueError("y must be 0/1 (case of interest or not)")
    if y.sum() == 0:
        raise ValueError("y has no cases of interest: there is nothing for a box to cover")
    data = _Data(x.reset_index(drop=True), y)
    trajectory = [data.box(lim) for lim in peel(data, peel_alpha, mass_min, objective)]
    dense = [i for i, b in enumerate(trajectory) if b.density >= threshold]
    if dense:
        # Balance coverage and density (their product, like an F-score) rather than take the
        # first box past the threshold, which still holds much of the noise around the region.
        pick = max(dense, key=lambda i: (trajectory[i].coverage * trajectory[i].density, -i))
    else:
        pick = max(range(len(trajectory)), key=lambda i: (trajectory[i].density, trajectory[i].coverage))
    limits = trajectory[pick].limits
    if pasting:
        limits = paste(data, limits, paste_alpha)
    return PrimResult(data.box(limits), trajectory, int(y.size), int(y.sum()))
