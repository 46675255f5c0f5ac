"""PRIM, the patient rule induction method (Friedman & Fisher 1999), for scenario discovery: EMA Workbench's.

Given inputs x (one row per experiment) and a 0/1 outcome y (1 = a case of interest), PRIM
looks for a box - a range on each numeric input, a set of levels on each categorical one -
where cases of interest are dense. The algorithm is EMA Workbench's
(``ema_workbench.analysis.prim.Prim``): peeling slices of ``peel_alpha`` off the box down
to ``mass_min`` of the data with the lenient (default) or original objective, then pasting
the last box. This module only

1. prepares the inputs (non-numeric columns become categories) and refuses unusable ``y``;
2. picks the box from the trajectory, as a user of EMA's ``box.select(i)`` would: among
   the boxes whose density reaches ``threshold``, the one with the largest coverage x
   density (or the densest box when none does); the boxes are EMA's as they lie on its
   trajectory (EMA pastes only the last box, so a picked box is not pasted again);
3. returns the picked box and the trajectory as plain records (:class:`Box`) the report's
   tables and figures read.

Scenario discovery (Bryant & Lempert 2010) reads a box by its *coverage* (share of all cases
of interest inside the box), *density* (share of the box's points that are cases of interest)
and *mass* (share of all points inside). For each restricted input EMA gives a one-sided
binomial quasi-p-value per restricted side; :attr:`Box.qp` keeps the largest (the restriction
matters when even that is small).

Until issue 15 this module held its own PRIM (268 lines, with EMA's as a cross-check); the
tests that pinned it (planted boxes, statistics, trajectory, objectives) now run against this
adapter, that is against EMA Workbench.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

Limit = tuple[float, float] | frozenset[str]


@dataclass
class Box:
    """A box in input space and how well it captures the cases of interest.

    Attributes:
        limits: per input, ``(low, high)`` (inclusive) or the set of allowed levels.
        restricted: the inputs whose limit is narrower than the data's range.
        coverage: cases of interest inside / all cases of interest.
        density: cases of interest inside / points inside.
        mass: points inside / all points.
        n: points inside.
        qp: per restricted input, the quasi-p-value of its restriction (EMA's, largest side).
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
    """The chosen box, the peeling (and pasting) trajectory and the data's totals."""

    box: Box
    trajectory: list[Box]
    n: int
    cases: int


def _ema_prim() -> Any:
    # EMA Workbench warns on import about optional parallel back ends we do not use.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        from ema_workbench.analysis import prim as ema

    return ema


def _inputs(x: pd.DataFrame) -> pd.DataFrame:
    """Inputs as EMA's PRIM takes them: numeric columns as floats, the others as string categories."""
    x = x.reset_index(drop=True).copy()
    for col in x.columns:
        if pd.api.types.is_numeric_dtype(x[col]) and not pd.api.types.is_bool_dtype(x[col]):
            x[col] = x[col].astype(float)
        else:
            x[col] = x[col].astype(str).astype("category")
    return x


def _box(ema_box: Any, i: int, columns: list[str]) -> Box:
    lims = ema_box.box_lims[i]
    first = ema_box.box_lims[0]
    limits: dict[str, Limit] = {}
    for c in columns:
        if c not in lims.columns:  # EMA drops a categorical input with a single level
            continue
        low, high = lims[c].iloc[0], lims[c].iloc[1]
        limits[c] = frozenset(str(v) for v in low) if isinstance(low, set) else (float(low), float(high))
    restricted = [c for c in columns if c in lims.columns and not lims[c].equals(first[c])]
    row = ema_box.peeling_trajectory.iloc[i]
    qp = {}
    for c in restricted:
        sides = [float(p) for p in ema_box.p_values[i].get(c, []) if p is not None and p >= 0]
        qp[c] = max(sides) if sides else np.nan
    return Box(
        limits,
        restricted,
        float(row["coverage"]),
        float(row["density"]),
        float(row["mass"]),
        int(row["n"]),
        qp,
    )


def prim(
    x: pd.DataFrame,
    y: np.ndarray | pd.Series,
    threshold: float = 0.8,
    peel_alpha: float = 0.05,
    paste_alpha: float = 0.05,
    mass_min: float = 0.05,
    objective: Literal["lenient", "original"] = "lenient",
) -> PrimResult:
    """Find one box where cases of interest (y = 1) are dense, with EMA Workbench's PRIM.

    Args:
        x: inputs, one row per experiment; numeric columns get ranges, others sets of levels.
        y: 1 (or True) for a case of interest, else 0.
        threshold: density a box on the trajectory must reach to be chosen; among those, the
            box with the largest coverage x density is taken.
        peel_alpha: share of the box's points cut off per peel.
        paste_alpha: share of the box's points added per paste (EMA pastes the last box).
        mass_min: smallest share of all points a box may hold.
        objective: 'lenient' (EMA's LENIENT1, its default: gain in density per point removed)
            or 'original' (density after the peel; Friedman & Fisher 1999).

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
    ema = _ema_prim()
    kind = {"lenient": ema.PRIMObjectiveFunctions.LENIENT1, "original": ema.PRIMObjectiveFunctions.ORIGINAL}
    runner = ema.Prim(
        _inputs(x),
        y.astype(int),
        obj_function=kind[objective],
        peel_alpha=peel_alpha,
        paste_alpha=paste_alpha,
        mass_min=mass_min,
    )
    found = runner.find_box()
    columns = list(x.columns)
    trajectory = [_box(found, i, columns) for i in range(len(found.peeling_trajectory))]
    dense = [i for i, b in enumerate(trajectory) if b.density >= threshold]
    if dense:
        # Balance coverage and density (their product, like an F-score) rather than take the
        # first box past the threshold, which still holds much of the noise around the region.
        pick = max(dense, key=lambda i: (trajectory[i].coverage * trajectory[i].density, -i))
    else:
        pick = max(range(len(trajectory)), key=lambda i: (trajectory[i].density, trajectory[i].coverage))
    return PrimResult(trajectory[pick], trajectory, int(y.size), int(y.sum()))
