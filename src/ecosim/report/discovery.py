"""Scenario discovery: where in the factor space does transformation beat cost control on both counts?

One row per cell pair (cells that differ only in stance) and replication: the inputs are the
pair's other factors, the case of interest is "transformation spent less *and* left less
unmet need than cost control in this replication" (same seed in both, so the comparison is
like for like). Keeping replications as rows makes a box's density read as the chance of
winning on both counts inside the box.

PRIM runs twice: once for the wins (where does transformation win on both counts most
surely?) and once for the other replications (where does its case fail?). Scenario
discovery usually looks for the second kind, the region where a policy does not deliver
(Bryant & Lempert 2010); the question users come with is the first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ecosim.report.compare import Pair
from ecosim.report.outcomes import BOTH
from ecosim.report.prim import PrimResult, prim


@dataclass
class Search:
    """PRIM on one kind of paired replication: its cases, the density asked for, the box or why none."""

    case: str
    """What a case of interest is, in words ("wins", "non-wins")."""
    y: np.ndarray
    threshold: float
    result: PrimResult | None
    reason: str = ""

    @property
    def reached(self) -> bool:
        """Whether the chosen box reached the density asked for."""
        return self.result is not None and self.result.box.density >= self.threshold


@dataclass
class Discovery:
    """PRIM's answers (wins, then non-wins), or why there is none."""

    x: pd.DataFrame
    y: np.ndarray
    """1 where transformation was lower on both counts (a win)."""
    searches: list[Search]
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


def density_threshold(base: float, threshold: float = 0.8) -> float:
    """Density a box must reach: ``threshold``, or more when cases are already that common.

    When the cases make up ``base >= threshold`` of the whole design, the box must reach
    halfway from ``base`` to 1, so that it says more than "everywhere".
    """
    return threshold if base < threshold else (1.0 + base) / 2.0


def search(x: pd.DataFrame, y: np.ndarray, case: str, threshold: float = 0.8) -> Search:
    """PRIM for the cases ``y == 1``, or the reason it cannot run."""
    if y.sum() == 0:
        return Search(case, y, threshold, None, f"there are no {case}")
    if y.sum() == y.size:
        return Search(case, y, threshold, None, f"every paired replication is one of the {case}")
    need = density_threshold(float(y.mean()), threshold)
    return Search(case, y, need, prim(x, y, threshold=need))


def discover(pair_list: list[Pair], threshold: float = 0.8) -> Discovery:
    """Run PRIM on the wins and on the non-wins, or say why it cannot run."""
    x, y = wins(pair_list)
    if y.size == 0:
        return Discovery(x, y, [], "no cell pair could be paired by seed")
    if x.shape[1] == 0:
        return Discovery(x, y, [], "the sweep varies no factor besides the stance, so there is no region to describe")
    # Level labels stay categorical even when they look like numbers ('2015'): PRIM should not
    # invent an order the experiment did not define. Sampled factors are numeric ranges.
    return Discovery(x, y, [search(x, y, "wins", threshold), search(x, 1.0 - y, "non-wins", threshold)])
