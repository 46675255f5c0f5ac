"""Phase 10, year end: the year's result and results seen move the stance; next year's budgets are set.

Budget pressure pushes municipalities toward a controlling mindset (seed 001; half of the
municipalities with deficits tightened or considered tightening access, 2021 survey): a
yearly deficit, as a share of the year's budget, lowers the stance, and negative reserves
lower it further. On the other side, the council's ambition pulls it back, a surplus lets
it move further toward that ambition, and results seen (the burden of unmet need falling or
rising against the region's) reinforce or turn the current course. With ``stance.adaptive``
false (a committed strategy) the stance is left as it is. With ``bijstand.in_municipal_finance``
the year's result includes the BUIG result (budget plus safety net minus benefits) and the
BUIG budget counts in the budget the deficit is a share of.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.model.levers import deficit_stance_shift, relative_burden_change, results_stance_shift
from ecosim.model.phases.escalation import burden
from ecosim.model.phases.finance import municipal_budgets

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def year_end(model: EcosimModel) -> None:
    """Every month: add the burden to the year. In December: shift stances, set next year's budgets."""
    model.ledger.add_burden(model.month, burden(model))
    if model.month % 12 != 11:
        return
    s = model.scenario.stance
    munis = model.municipalities
    this_year, last_year = model.ledger.close_burden_year()
    if s.adaptive:
        led = model.ledger
        budget = led.year_budget_total
        deficit = led.year_spending_total - budget
        if model.scenario.bijstand.in_municipal_finance:  # the BUIG result counts in the year's result
            budget = budget + led.year_buig_budget
            deficit = deficit + led.year_benefits - led.year_buig_budget - led.year_safety_net
        reserves = np.array([m.reserves for m in munis])
        stance = np.array([m.stance for m in munis])
        region = np.array([m.region for m in munis], dtype=np.int64)
        change = relative_burden_change(this_year, last_year, region)
        new = deficit_stance_shift(
            stance,
            np.array([m.ambition for m in munis]),
            deficit / np.maximum(budget, 1e-9),
            -reserves / np.maximum(budget, 1e-9),
            s.deficit_pressure,
            s.reserve_pressure,
            s.ambition_pull,
            surplus_pull=s.surplus_pull,
            results=results_stance_shift(stance, change, s.results_weight),
        )
        for m, value in zip(munis, new.tolist(), strict=True):
            m.stance = value
    budgets = municipal_budgets(model, model.month // 12 + 1)
    for m in munis:
        m.budget_year = budgets[m.index]
