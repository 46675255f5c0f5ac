"""Phase 5, escalation: unmet needs get worse (Gostoli & Silverman 2020).

Citizens who wait, were refused, or whose need is hidden move up a severity level with a
chance that rises with their accumulated months of unmet need. Severe and specialist care
cost many times light care, so escalation turns into lumpy costs later. Refused citizens
ask again, more often in the month their need escalated. Wijkteam cases escalate too, with
the same hazard times ``wijkteam.escalation_multiplier``; a case that rises above what the
team handles (``wijkteam.max_severity``) is referred to a provider: it waits for a place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CitizenState
from ecosim.agents.citizen import UNMET_STATES
from ecosim.model.levers import escalation_prob

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def escalate(model: EcosimModel) -> None:
    """Accrue unmet months, escalate some unmet needs, let refused citizens ask again."""
    e = model.scenario.escalation
    a = model.scenario.access
    rng = model.rng
    t = model.citizens
    rows = t.rows_in(*UNMET_STATES)
    t.col["months_unmet"][rows] += 1
    waiting = rows[t["state"][rows] == CitizenState.WAITING]
    t.col["months_waiting"][waiting] += 1
    sev = t["severity"][rows]
    p = escalation_prob(np.asarray(e.base_prob)[sev], t["months_unmet"][rows], e.unmet_gain, e.max_prob)
    up = rows[(rng.random(len(rows)) < p) & (sev < 3)]
    t.set_severity(up, t["severity"][up] + 1)
    t.col["escalations"][up] += 1
    model.ledger.count("escalations", t["municipality"][up], model.k)
    # Refused citizens come back: more likely right after their need escalated.
    refused = rows[t["state"][rows] == CitizenState.REFUSED]
    escalated = np.zeros(t.n, dtype=bool)
    escalated[up] = True
    escalated_now = escalated[refused]
    p_back = np.where(escalated_now, a.represent_after_escalation, a.represent_prob)
    t.set_state(refused[rng.random(len(refused)) < p_back], CitizenState.PRESENTING)
    _escalate_wijkteam(model)


def _escalate_wijkteam(model: EcosimModel) -> None:
    """Wijkteam cases escalate with the unmet hazard times a multiplier; beyond the team's reach, referral."""
    e = model.scenario.escalation
    w = model.scenario.wijkteam
    t = model.citizens
    team = t.rows_in(CitizenState.WIJKTEAM)
    sev = t["severity"][team]
    p = w.escalation_multiplier * escalation_prob(
        np.asarray(e.base_prob)[sev], t["months_unmet"][team], e.unmet_gain, e.max_prob
    )
    up = team[(model.rng.random(len(team)) < p) & (sev < 3)]
    t.set_severity(up, t["severity"][up] + 1)
    t.col["escalations"][up] += 1
    model.ledger.count("escalations", t["municipality"][up], model.k)
    referred = up[t["severity"][up] > w.max_severity]
    t.set_state(referred, CitizenState.WAITING)
    model.ledger.count("referred", t["municipality"][referred], model.k)


def burden(model: EcosimModel) -> np.ndarray:
    """This month's burden of unmet need per municipality: unmet people weighted by severity.

    Citizens whose assessment waits for lack of staff (7.13) are PRESENTING, not an unmet
    state; the front office adds their weight (``model.capacity.awaiting_burden``, zero when
    capacity does not run short).
    """
    w = np.asarray(model.scenario.escalation.burden_weight)
    unmet = model.citizens.counts[:, list(UNMET_STATES), :].sum(axis=1)
    return unmet @ w * model.k + model.capacity.awaiting_burden
