"""Phase 10, year end: deficit pressure moves the stance; next year's budgets are set.

Budget pressure pushes municipalities back into a controlling mindset (seed 001): a
yearly deficit, as a share of the year's budget, lowers the stance, and negative reserves
lower it further; the council's ambition pulls it back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.model.levers import deficit_stance_shift
from ecosim.model.phases.finance import budget_per_inhabitant

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def year_end(model: EcosimModel) -> None:
    """In December: shift stances by the year's result, then set next year's budgets."""
    if model.month % 12 != 11:
        return
    s = model.scenario.stance
    munis = model.municipalities
    budget = model.ledger.year_budget_total
    deficit = model.ledger.year_spending_total - budget
    reserves = np.array([m.reserves for m in munis])
    new = deficit_stance_shift(
        np.array([m.stance for m in munis]),
        np.array([m.ambition for m in munis]),
        deficit / np.maximum(budget, 1e-9),
        -reserves / np.maximum(budget, 1e-9),
        s.deficit_pressure,
        s.reserve_pressure,
        s.ambition_pull,
    )
    year = model.month // 12 + 1
    per_inh = budget_per_inhabitant(model.scenario.budget, year)
    for m, stance in zip(munis, new.tolist(), strict=True):
        m.stance = stance
        m.budget_year = per_inh * m.population
