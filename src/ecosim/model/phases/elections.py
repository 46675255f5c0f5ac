"""Phase 9, elections: every 48 months from March 2018 a new council may change course.

A new council may shift the municipality's ambition and stance, and may leave an arrangement:
distrust and the form's democratic distance make leaving likelier (seed 002, reason 4: a firm
form may not fit what the new council wants), the form's exit cost less likely. Then every
arrangement is reconsidered (:func:`ecosim.model.partnership.reconsider`): the new councils may
deepen, loosen, split or dissolve it. With ``stance.adaptive`` false (a committed strategy)
councils keep ambition and stance; the same random numbers are drawn, so a committed run differs
from an adaptive one with the same seed only by what the rules do with them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.model.levers import leave_after_election
from ecosim.model.partnership import reconsider

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def is_election_month(month: int, first: int, interval: int) -> bool:
    """Whether councils are elected this month."""
    return month >= first and (month - first) % interval == 0


def hold_elections(model: EcosimModel) -> None:
    """New councils: shift stance with some chance; maybe leave arrangements; reconsider every arrangement."""
    e = model.scenario.elections
    if not is_election_month(model.month, e.first_month, e.interval_months):
        return
    rng = model.rng
    adaptive = model.scenario.stance.adaptive
    reg = model.arrangements
    for m in model.municipalities:
        if rng.random() < e.change_prob:
            ambition = float(np.clip(m.ambition + rng.normal(0.0, e.shift_sd), 0.0, 1.0))
            if adaptive:
                m.ambition = ambition
                m.stance = ambition
        for arr in reg.memberships(m.index):
            f = arr.form_params
            p = leave_after_election(
                arr.mean_trust(model, m.index),
                f.exit_cost_eur_per_inhabitant,
                e.leave_prob,
                e.exit_cost_reference_eur,
                f.democratic_distance,
            )
            if rng.random() < p:
                reg.leave(arr, m.index, "election")
    for arr in reg.active():
        reconsider(model, arr)
