"""Phase 6, money: municipalities pay, providers bill, reserves move, providers fail or enter.

A municipality's month: budget in; care, admin, wijkteam, prevention and cooperation out;
the difference moves its reserves (deficits run them down, below zero if need be).
A provider's month: revenue from care billed, minus the fixed cost of the places it offers,
the variable cost of its clients and its admin time (per client and per contract); reserves
below zero mean bankruptcy, and its clients must move.
New providers enter where markets are tight and buyers open (:mod:`ecosim.model.phases.entry`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CitizenState
from ecosim.model import costing
from ecosim.model.phases.care import plan_cost_factor
from ecosim.model.phases.entry import enter
from ecosim.model.phases.procurement import contract_admin_cost, provider_contract_admin
from ecosim.model.world import reference_multiplier
from ecosim.scenario import BudgetParams

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def budget_per_inhabitant(b: BudgetParams, year: int) -> np.ndarray:
    """Budget per inhabitant per domain in a year since 2015 [EUR/year].

    The 2015 figures are after the 2015 share of the cuts; the pre-cut reference is backed
    out of them, and later years apply the phased share of the structural cut.
    """
    cut = np.asarray(b.cut_fraction)
    phase = b.cut_phase_in
    reference = np.asarray(b.budget_2015_eur) / b.national_population / (1.0 - cut * phase[0])
    return reference * (1.0 - cut * phase[min(year, len(phase) - 1)])


def municipal_budgets(model: EcosimModel, year: int) -> np.ndarray:
    """Each municipality's budget per domain in a year since 2015 [EUR/year] (n x 3).

    The national budget per inhabitant (:func:`budget_per_inhabitant`) times the population,
    times the municipality's allocation factor of that calendar year (historic in 2015, then
    moving to the objective models; population-weighted mean 1, so the total is unchanged:
    :class:`ecosim.model.heterogeneity.BudgetAllocation`).
    """
    per_inhabitant = budget_per_inhabitant(model.scenario.budget, year)
    factors = model.need.allocation.factors(2015 + year)
    return model.populations[:, None] * per_inhabitant[None, :] * factors


def close_books(model: EcosimModel) -> None:
    """Phase 6: providers' month (revenue, cost, failures, entry) and municipal overheads."""
    led = model.ledger
    for m in model.municipalities:
        led.budget[m.index] = m.budget_month
    contract_admin = contract_admin_cost(model)
    led.admin += contract_admin
    model.capacity.book_eur("procurement", contract_admin)
    _providers(model)


def settle_municipalities(model: EcosimModel) -> None:
    """End of the month: reserves move by budget minus everything spent this month.

    Runs after procurement, cooperation and elections, whose setup, overhead and exit
    costs belong to the same month, and after income support: with
    ``bijstand.in_municipal_finance`` the BUIG result and the safety net move the reserves too.
    """
    led = model.ledger
    balance = led.close_month(model.month)
    if model.scenario.bijstand.in_municipal_finance:
        balance = balance + led.buig_result() + led.safety_net
    for m in model.municipalities:
        m.reserves += balance[m.index]


def _providers(model: EcosimModel) -> None:
    """Each active provider's month (:mod:`ecosim.model.costing`).

    Fixed cost on the places it offers, the variable part of its clients' care, and its admin
    time, per client and per contract; then failure, growth or shrinking, and entry. An entrant
    in its lag (not yet ready) offers no places and pays nothing.
    """
    s = model.scenario.providers
    led = model.ledger
    market = model.market
    ref = reference_multiplier(model)
    per_contract = provider_contract_admin(model, model.month)
    place = _place_multipliers(model, ref)
    new_year = model.month % 12 == 0
    for pr in model.providers:
        if not pr.active or not pr.ready(model.month):
            continue
        i = pr.index
        care = market.variable[i]
        fixed = costing.fixed_cost(s.fixed_cost_share, pr.unit_cost, place[i], pr.capacity, model.k)
        client_admin = s.base_admin_ratio * care + s.client_admin_ratio * market.admin_care[i]
        expense = costing.provider_expense(fixed, care, s.fixed_cost_share, client_admin, per_contract[i])
        revenue = market.revenue[i]
        pr.admin_burden = costing.admin_share(fixed + (1.0 - s.fixed_cost_share) * care, client_admin + per_contract[i])
        pr.reserves += revenue - expense
        pr.year_result = (0.0 if new_year else pr.year_result) + revenue - expense
        led.provider_revenue += revenue
        led.provider_expense += expense
        if pr.reserves < 0:
            fail(model, pr)
            continue
        occupancy = pr.clients / max(pr.effective_capacity, 1e-9)
        if occupancy > s.full_occupancy and pr.reserves > 0:
            pr.capacity *= 1.0 + s.growth_rate
        elif occupancy < s.low_occupancy:
            pr.capacity = max(min(1.0, pr.capacity), pr.capacity * (1.0 - s.shrink_rate))
    model.market.close_month()
    enter(model)


def _place_multipliers(model: EcosimModel, ref: float) -> np.ndarray:
    """Cost multiplier of each provider's places: that of its average client in care now (R if none).

    A provider staffs its places for the clients it has (severity x plan), so a place costs
    what its average client costs; at the reference occupancy its price then covers its fixed
    cost whatever its clients' mix.
    """
    s = model.scenario
    t = model.citizens
    rows = t.rows_in(CitizenState.IN_CARE)
    n = len(model.providers)
    prov = t["provider"][rows]
    mult = np.asarray(s.care.severity_cost_multiplier)[t["severity"][rows]]
    mult = mult * plan_cost_factor(t["n_domains"][rows], t["integrated"][rows], s.integration.extra_domain_cost)
    total = np.bincount(prov, weights=mult, minlength=n)
    count = np.bincount(prov, minlength=n)
    return np.where(count > 0, total / np.maximum(count, 1), ref)


def fail(model: EcosimModel, provider: object) -> None:
    """Bankruptcy: contracts end, clients go back to waiting (care continuity breaks)."""
    t = model.citizens
    pr = provider
    rows = np.flatnonzero((t["provider"] == pr.index) & (t["state"] == CitizenState.IN_CARE))
    model.ledger.count("continuity_breaks", t["municipality"][rows], model.k)
    t.col["provider"][rows] = -1
    t.col["contract"][rows] = -1
    t.set_state(rows, CitizenState.WAITING)
    pr.clients = 0
    pr.active = False
    pr.failed_month = model.month
    model.contracts.end_provider(pr.index, model.month)
    model.ledger.provider_failures += 1
    pr.remove()  # leaves the Mesa model; kept in model.providers for the record
