"""Provider entry (end of phase 6) and the admission of newcomers to running contracts (phase 7).

*Entry.* In each region and domain, new providers come at ``entry.rate`` per 100,000
inhabitants a month, times how tight the market is (its clients and waiting fill its places,
those of entrants on the way included, beyond the occupancy prices cover:
:func:`ecosim.model.levers.market_tightness`) and how open its buyers are to a newcomer: a
buyer that tenders the domain before the newcomer is ready counts fully (it bids), one whose
contracts run on counts with its admission chance (the lever pair ``entry.admission``).
An entrant is small: its yearly turnover at the reference occupancy is drawn around
``entry.turnover_median_eur`` (log-normal), which sets its places given its unit cost; its
reserves are ``providers.initial_reserves_months`` of their cost, as for every provider. It can take clients only from
``entry.lag_months`` on; until then it offers no places and pays nothing, though it may win a
tender (bidding while it staffs up).

*Admission.* In the month before an entrant is ready, each buyer of its region whose contracts
in its domain run on and that has not contracted it admits it with chance
``lever(entry.admission, buyer's stance)``, on the buyer's terms, until those contracts end,
ranked among them as in a tender (the buyer's citizens are placed in that order); otherwise it
waits for that buyer's next tender.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CitizenState
from ecosim.model import costing
from ecosim.model.levers import entry_intensity, lever, market_tightness, tender_scores
from ecosim.model.phases.procurement import buyer_members, buyer_of, buyer_stance, sign_contracts
from ecosim.model.world import new_provider, reference_multiplier

if TYPE_CHECKING:
    from ecosim.agents import CareProvider, Contract
    from ecosim.model import EcosimModel
    from ecosim.scenario import Scenario


def reference_full_cost(scenario: Scenario) -> float:
    """Full cost of a client-month over its care cost at accountability intensity 1 (no per-contract admin)."""
    p = scenario.providers
    return costing.full_cost_factor(
        p.fixed_cost_share, p.reference_occupancy, p.base_admin_ratio + p.client_admin_ratio, 0.0
    )


def yearly_turnover(model: EcosimModel, provider: CareProvider) -> float:
    """A provider's yearly turnover at the reference occupancy [EUR/year] (its places in people)."""
    return turnover_of(model)(provider)


def turnover_of(model: EcosimModel) -> Callable[[CareProvider], float]:
    """A function giving each provider's yearly turnover at the reference occupancy [EUR/year]."""
    s = model.scenario
    per_place = costing.yearly_turnover(
        model.k, 1.0, reference_multiplier(model), reference_full_cost(s), s.providers.reference_occupancy
    )
    return lambda provider: provider.capacity * provider.unit_cost * per_place


def market_demand_and_places(model: EcosimModel) -> tuple[np.ndarray, np.ndarray]:
    """Clients and waiting citizens, and places of active providers, per region and domain (agents)."""
    n_regions = model.geo.n_regions
    by = model.citizens.by_domain
    per_muni = by[:, :, CitizenState.IN_CARE] + by[:, :, CitizenState.WAITING]
    demand = np.stack(
        [np.bincount(model.geo.region, weights=per_muni[:, d], minlength=n_regions) for d in range(3)], axis=1
    )
    places = np.zeros((n_regions, 3))
    for pr in model.providers:
        if pr.active:
            places[pr.region, pr.domain] += pr.capacity
    return demand, places


def _last_end(model: EcosimModel, kind: int, buyer: int, domain: int, month: int) -> int:
    """When a buyer's contracts in a domain that are active in ``month`` end (``month`` if none)."""
    running = model.contracts.for_buyer(kind, buyer, domain, month)
    return max((c.end for c in running), default=month)


def opening(model: EcosimModel, ready_month: int) -> np.ndarray:
    """Population-weighted openness of each region and domain to a newcomer ready in ``ready_month``.

    A buyer that tenders the domain before then (its contracts end by ``ready_month``) counts 1;
    one whose contracts run on counts ``lever(entry.admission, stance)``.
    """
    pair = model.scenario.entry.admission
    out = np.zeros((model.geo.n_regions, 3))
    cache: dict[tuple[int, int, int], float] = {}
    for m in model.municipalities:
        for d in range(3):
            kind, buyer = buyer_of(model, m.index, d)
            if (kind, buyer, d) not in cache:
                admit = float(lever(pair, buyer_stance(model, kind, buyer)))
                ends_before = _last_end(model, kind, buyer, d, model.month + 1) <= ready_month
                cache[(kind, buyer, d)] = 1.0 if ends_before else admit
            out[m.region, d] += model.populations[m.index] * cache[(kind, buyer, d)]
    return out / np.maximum(model.region_population, 1.0)[:, None]


def enter(model: EcosimModel) -> None:
    """New providers enter where markets are tight and buyers open (end of phase 6)."""
    s = model.scenario
    e = s.entry
    if e.rate == 0:
        return
    demand, places = market_demand_and_places(model)
    tight = market_tightness(demand, places, s.providers.reference_occupancy)
    if not tight.any():
        return
    ready = model.month + 1 + e.lag_months  # entry is at the end of this month's books
    lam = entry_intensity(e.rate, model.region_population, tight, opening(model, ready))
    counts = model.rng.poisson(lam)
    ref, full = reference_multiplier(model), reference_full_cost(s)
    for r, d in np.argwhere(counts > 0).tolist():
        for _ in range(int(counts[r, d])):
            turnover = e.turnover_median_eur * float(np.exp(e.turnover_sd * model.rng.standard_normal()))
            pr = new_provider(model, d, r, 1.0, ready_month=ready)
            people = costing.places_for_turnover(turnover, pr.unit_cost, ref, full, s.providers.reference_occupancy)
            pr.capacity = people / model.k
            pr.reserves *= pr.capacity  # its reserves are months of the cost of the places it will offer
            model.ledger.provider_entries += 1


def admit(model: EcosimModel) -> None:
    """Buyers admit newcomers ready next month to their running contracts (phase 7, before tenders)."""
    pair = model.scenario.entry.admission
    nxt = model.month + 1
    entrants = [pr for pr in model.providers if pr.active and pr.ready_month == nxt]
    if not entrants:
        return
    book = model.contracts
    for pr in entrants:
        buyers: dict[tuple[int, int], None] = {}
        for m in model.municipalities:
            if m.region == pr.region:
                buyers[buyer_of(model, m.index, pr.domain)] = None
        for kind, buyer in buyers:
            running = book.for_buyer(kind, buyer, pr.domain, nxt)
            if not running or any(c.provider == pr.index for c in running):
                continue
            members = buyer_members(model, kind, buyer)
            stance = buyer_stance(model, kind, buyer)
            if model.rng.random() < float(lever(pair, stance)):
                before = _ranked_place(model, members, stance, running, pr)
                sign_contracts(model, kind, buyer, pr.domain, [pr], nxt, max(c.end for c in running), before)


def _ranked_place(
    model: EcosimModel, members: list[int], stance: float, running: list[Contract], newcomer: CareProvider
) -> Contract | None:
    """The running contract a newcomer's contract goes before: the buyer ranks it as in a tender.

    The buyer's citizens are placed in the order of its contracts (a tender's in score order); a
    newcomer admitted mid-term is scored with the running contracts' providers by the tender rule
    (``procurement.quality_weight`` at the buyer's stance) and put before the first it outscores.
    """
    providers = [model.providers[c.provider] for c in running] + [newcomer]
    scores = tender_scores(
        np.array([p.unit_cost for p in providers]),
        np.array([p.quality for p in providers]),
        np.array([model.market.trust(members, p.index) for p in providers]),
        float(lever(model.scenario.procurement.quality_weight, stance)),
    )
    for c, score in zip(running, scores[:-1], strict=True):
        if scores[-1] > score:
            return c
    return None
