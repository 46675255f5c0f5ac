"""Phase 2, the front office (toegang): assess each presenting citizen.

Cost control sets a high access threshold and heavy checks; transformation lets the
wijkteam handle light cases itself and gives multi-problem households one integrated
plan instead of one trajectory per domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CitizenState
from ecosim.model.ledger import accumulate
from ecosim.model.levers import lever

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def wijkteam_capacity(model: EcosimModel, stance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cases each wijkteam can hold this month (agents), and what it costs [EUR]."""
    w = model.scenario.wijkteam
    budget_month = np.array([m.budget_year.sum() / 12.0 for m in model.municipalities])
    spend = lever(w.budget_share, stance) * budget_month
    return spend / (w.eur_per_case_month * model.k), spend


def _defer(model: EcosimModel, rows: np.ndarray) -> np.ndarray:
    """Short of staff last month, some presenting citizens wait a month for their assessment.

    Each waits with chance ``capacity.assessment_delay * (1 - coverage)`` of its municipality
    (no draw at all where every municipality got its work done); the month counts as unmet
    and as waiting, and its need in this month's burden. Returns the rows assessed now.
    """
    t = model.citizens
    model.capacity.awaiting_burden = np.zeros(model.n_municipalities)
    delay = model.capacity.shortfall(model.scenario.capacity.assessment_delay)
    if len(rows) == 0 or not np.any(delay > 0):
        return rows
    muni = t["municipality"][rows]
    later = rows[model.rng.random(len(rows)) < delay[muni]]
    t.col["months_unmet"][later] += 1
    t.col["months_waiting"][later] += 1
    model.ledger.count("assessments_deferred", t["municipality"][later], model.k)
    # Their need is unmet this month: it counts in the burden (escalation.burden).
    weight = np.asarray(model.scenario.escalation.burden_weight)[t["severity"][later]] * model.k
    n = model.n_municipalities
    model.capacity.awaiting_burden = np.bincount(t["municipality"][later], weights=weight, minlength=n)
    return np.setdiff1d(rows, later, assume_unique=True)


def assess(model: EcosimModel) -> None:
    """Decide for every presenting citizen: wijkteam, accepted (waiting) or refused."""
    s = model.scenario
    a = s.access
    rng = model.rng
    t = model.citizens
    stance = model.stances()
    capacity, spend = wijkteam_capacity(model, stance)
    model.ledger.wijkteam += spend

    rows = t.rows_in(CitizenState.PRESENTING)
    rows = _defer(model, rows)
    if len(rows) == 0:
        return
    muni = t["municipality"][rows]
    sev = t["severity"][rows]
    model.ledger.count("presented", muni, model.k)
    # Checks cost admin per trajectory: fragmented multi-problem cases are assessed per domain.
    integrated = (t["n_domains"][rows] > 1) & (
        rng.random(len(rows)) < lever(s.integration.integrated_share, stance[muni])
    )
    t.col["integrated"][rows] = integrated
    trajectories = np.where(integrated, 1, t["n_domains"][rows])
    primary = t["primary"][rows]  # an assessment is the task of its leading domain's arrangement
    saving = model.arrangements.admin_saving()[muni, primary]
    cost = lever(a.admin_eur_per_assessment, stance[muni]) * trajectories * (1.0 - saving) * model.k
    accumulate(model.ledger.admin, muni, cost)
    model.capacity.book_eur_at("admin", muni, cost)
    # What shared overhead saved, for the members' experience of cooperating.
    model.arrangements.credit(muni, primary, cost * saving / np.maximum(1.0 - saving, 1e-9))

    # Light cases to the wijkteam while it has room (first come, first served in random order).
    to_team = np.zeros(len(rows), dtype=bool)
    in_team = t.counts[:, CitizenState.WIJKTEAM, :].sum(axis=1)
    room = np.maximum(np.floor(capacity - in_team), 0).astype(np.int64)
    light = np.flatnonzero(sev <= s.wijkteam.max_severity)
    light = light[rng.permutation(len(light))]
    if len(light):
        order = np.argsort(muni[light], kind="stable")
        light = light[order]
        rank = np.arange(len(light)) - np.searchsorted(muni[light], muni[light])
        to_team[light[rank < room[muni[light]]]] = True

    # Everyone else is assessed against the threshold; the assessment is noisy.
    assessed = sev + a.assessment_offset + rng.normal(0.0, a.assessment_noise_sd, len(rows))
    refused = ~to_team & (assessed < lever(a.threshold, stance[muni]))
    accepted = ~to_team & ~refused
    t.set_state(rows[to_team], CitizenState.WIJKTEAM)
    t.set_state(rows[refused], CitizenState.REFUSED)
    t.set_state(rows[accepted], CitizenState.WAITING)
    model.ledger.count("to_wijkteam", muni[to_team], model.k)
    model.ledger.count("refusals", muni[refused], model.k)
    model.ledger.count("accepted", muni[accepted], model.k)
