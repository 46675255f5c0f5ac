"""Scenario discovery: where in the factor space does transformation beat cost control on both counts?

One row per cell pair (cells that differ only in stance) and replication: the inputs are the
pair's other factors, the case of interest is "transformation spent less *and* left less
unmet need than cost control in this replication" (same seed in both, so the comparison is
like for like). Keeping replications as rows makes a box's density read as the chance of
winning on both counts inside the box.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosim.report.compare import Pair
from ecosim.report.outcomes import BOTH
from ecosim.report.prim import PrimResult, prim


@dataclass
class Discovery:
    """PRIM's answer, or why there is none."""

    x: pd.DataFrame
    y: np.ndarray
    result: PrimResult | None
    reason: str = ""


def wins(pair_list: list[Pair], outcomes: tuple[str, str] = BOTH) -> tuple[pd.DataFrame, np.ndarray]:
    """Inputs (other factors, without the prefix) and 'transformation lower on both outcomes'."""
    rows, ys = [], []
    for pr in pair_list:
        if not pr.paired:
            continue
        a = pr.control.set_index("replication")
        b = pr.transformation.set_index("replication")
        better = np.ones(len(a), dtype=bool)
        for name in outcomes:
            better &= (b[name] < a[name]).to_numpy()
        for _ in range(len(a)):
            rows.append({k.removeprefix("factor_"): v for k, v in pr.context.items()})
        ys.extend(better.tolist())
    return pd.DataFrame(rows), np.array(ys, dtype=float)


def discover(pair_list: list[Pair], threshold: float = 0.8) -> Discovery:
    """Run PRIM on the pairs, or say why it cannot run."""
    x, y = wins(pair_list)
    if y.size == 0:
        return Discovery(x, y, None, "no cell pair could be paired by seed")
    if x.shape[1] == 0:
        return Discovery(x, y, None, "the sweep varies no factor besides the stance, so there is no region to describe")
    if y.sum() == 0:
        return Discovery(x, y, None, "transformation beat cost control on both counts in no paired replication")
    if y.sum() == y.size:
        return Discovery(x, y, None, "transformation beat cost control on both counts in every paired replication")
    # Level labels stay categorical even when they look like numbers ('2015'): PRIM should not
    # invent an order the experiment did not define. Sampled factors are numeric ranges.
    return Discovery(x, y, prim(x, y, threshold=threshold))
