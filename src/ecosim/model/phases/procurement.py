"""Phase 7, procurement (inkoop): expired contracts are re-tendered.

Contracts (:mod:`ecosim.agents.contracts`) tie a buyer to a provider in one domain; they
expire (most at once in January 2017) and are re-tendered in the buyer's style: cost
control buys on price from many providers on short, heavily monitored contracts;
transformation buys on quality and trust from few providers on long, lump-sum contracts.
Joint procurement through an arrangement adds a scale discount and shares contract admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import ARRANGEMENT, MUNICIPALITY, CitizenState, Contract, ContractBook
from ecosim.model import costing
from ecosim.model.levers import joint_price_factor, lever, tender_scores

if TYPE_CHECKING:
    from ecosim.model import EcosimModel

def buyer_members(model: EcosimModel, kind: int, buyer: int) -> list[int]:
    """Municipalities a buyer buys for."""
    if kind == ARRANGEMENT:
        return sorted(model.arrangements[buyer].members)
    return [buyer]


def domain_demand(model: EcosimModel, members: list[int], domain: int) -> float:
    """Citizens of these municipalities in care or waiting in a domain, by leading domain (agents)."""
    by_domain = model.citizens.by_domain
    here = by_domain[members, domain]
    return float(here[:, CitizenState.IN_CARE].sum() + here[:, CitizenState.WAITING].sum())


def buyer_of(model: EcosimModel, municipality: int, domain: int) -> tuple[int, int]:
    """Who buys a domain's care for a municipality: its set-up arrangement for the domain if that buys jointly."""
    arr = model.arrangements.arrangement_of(municipality, domain)
    if arr is not None and arr.form_params.joint_procurement and arr.set_up(municipality, model.month):
        return ARRANGEMENT, arr.unique_id
    return MUNICIPALITY, municipality


def buyer_stance(model: EcosimModel, kind: int, buyer: int) -> float:
    """The stance a buyer tenders with: its own, or the arrangement's joint policy (read through lever pairs)."""
    if kind == ARRANGEMENT:
        return model.arrangements[buyer].policy
    return model.municipalities[buyer].stance


def tender(model: EcosimModel, kind: int, buyer: int, domain: int) -> list[Contract]:
    """Run one tender and sign its contracts; returns them.

    Candidates are the active providers of the domain in the buyers' regions. They are
    ranked by price against quality and trust, weighted by the lever ``quality_weight`` at
    the buyer's stance, and contracted until the
    lever's number of providers is reached and their places cover current demand. A buyer
    counts only its population's share of each provider's effective places, since the
    other buyers of the region use the same providers.
    """
    p = model.scenario.procurement
    month = model.month
    members = buyer_members(model, kind, buyer)
    stance = buyer_stance(model, kind, buyer)
    regions = {model.municipalities[m].region for m in members}
    candidates = [pr for pr in model.providers if pr.active and pr.domain == domain and pr.region in regions]
    if not candidates:
        return []
    cost = np.array([pr.unit_cost for pr in candidates])
    quality = np.array([pr.quality for pr in candidates])
    trust = np.array([model.market.trust(members, pr.index) for pr in candidates])
    weight = float(lever(p.quality_weight, stance))
    scores = tender_scores(cost, quality, trust, weight)
    # A buyer short of staff last month weighs the candidates less carefully (capacity.tender_noise_sd).
    sd = model.scenario.capacity.tender_noise_sd * (1.0 - model.capacity.buyer_coverage(members))
    if sd > 0:
        scores = scores + model.rng.normal(0.0, sd, len(scores))
    order = np.argsort(-scores, kind="stable")
    demand = domain_demand(model, members, domain) * p.coverage
    wanted = max(1, round(float(lever(p.providers_per_tender, stance))))
    region_pop = model.region_population
    share = np.zeros(len(region_pop))
    for mi in members:
        share[model.municipalities[mi].region] += model.populations[mi]
    share /= np.maximum(region_pop, 1.0)
    chosen, places = [], 0.0
    for i in order:
        if len(chosen) >= wanted and places >= demand:
            break
        chosen.append(candidates[i])
        places += candidates[i].effective_capacity * share[candidates[i].region]
    start = month + 1  # a tender in this month's procurement phase buys for next month
    length = max(1, round(float(lever(p.contract_months, stance))))
    return sign_contracts(model, kind, buyer, domain, chosen, start, start + length)


def sign_contracts(
    model: EcosimModel,
    kind: int,
    buyer: int,
    domain: int,
    chosen: list,
    start: int,
    end: int,
    before: Contract | None = None,
) -> list[Contract]:
    """Sign contracts of one buyer with chosen providers, on the buyer's terms, from ``start`` to ``end``.

    The terms follow the buyer's stance (:func:`buyer_stance`: margin and accountability levers)
    and, for an arrangement, its scale discount; each price is the provider's full cost (ODD 7.7).
    ``before``: place them ahead of that contract in the order the buyer's citizens are placed.
    """
    p = model.scenario.procurement
    members = buyer_members(model, kind, buyer)
    stance = buyer_stance(model, kind, buyer)
    discount = 0.0
    if kind == ARRANGEMENT:
        f = model.arrangements[buyer].form_params
        pop = sum(model.municipalities[m].population for m in members)
        discount = 1.0 - joint_price_factor(f.scale_discount, pop, f.scale_reference_population)
    margin = float(lever(p.price_margin, stance))
    intensity = float(lever(p.admin_intensity, stance))
    overhead = _overhead_with_new(model, chosen, intensity)
    return [
        model.contracts.add(
            buyer_kind=kind,
            buyer=buyer,
            provider=pr.index,
            domain=domain,
            start=start,
            end=end,
            price_factor=contract_price_factor(model, pr, intensity, margin, discount, overhead[pr.index]),
            admin_intensity=intensity,
            joint_discount=discount,
            before=before,
        )
        for pr in chosen
    ]


def retender_expired(model: EcosimModel) -> None:
    """Phase 7: buyers without an open contract in a domain tender again.

    An arrangement tenders for its task's domain and takes its form's decision time; until it is decided, the
    latest contracts (the arrangement's, else the member's own) are extended on their old
    terms, so no citizen is left without a provider and no member tenders twice.
    """
    month = model.month
    nxt = month + 1  # contracts are bought for next month, so care never has a gap
    book = model.contracts
    book.prune(month)
    book_tender_work(model)
    for arr in model.arrangements.active():
        if not arr.form_params.joint_procurement or not arr.any_set_up(month):
            continue
        for d in (arr.task,):
            if book.for_buyer(ARRANGEMENT, arr.unique_id, d, nxt):
                continue
            if d not in arr.pending_tender:
                arr.pending_since[d] = month  # its contracts ran out: a moment to reconsider (7.8)
            due = arr.pending_tender.setdefault(d, month + arr.form_params.decision_months)
            if month >= due:
                del arr.pending_tender[d]
                tender(model, ARRANGEMENT, arr.unique_id, d)
            else:
                _extend_latest(book, ARRANGEMENT, arr.unique_id, d, nxt, due + 1)
    for m in model.municipalities:
        for d in range(3):
            kind, buyer = buyer_of(model, m.index, d)
            if kind == ARRANGEMENT and book.for_buyer(kind, buyer, d, nxt):
                continue
            if book.for_buyer(MUNICIPALITY, m.index, d, nxt):
                continue
            if kind == ARRANGEMENT:
                # A new member while the joint decision is pending: carry on with its own contracts.
                due = model.arrangements[buyer].pending_tender.get(d, month)
                if _extend_latest(book, MUNICIPALITY, m.index, d, nxt, due + 1):
                    continue
            tender(model, MUNICIPALITY, m.index, d)


def book_tender_work(model: EcosimModel) -> None:
    """Tender preparation as staff time, spread over the months before each buyer's next tender.

    A buyer tenders in a domain in the month before its latest contract active now expires;
    in each of the ``capacity.tender_prep_months`` months up to that one it books
    ``tender_fte_months / tender_prep_months``. An arrangement's tender is shared by its
    members by population, less the form's admin saving (as contract management is).
    """
    cap = model.scenario.capacity
    month = model.month
    per_month = cap.tender_fte_months / cap.tender_prep_months
    latest: dict[tuple[int, int, int], int] = {}
    for c in model.contracts.open:
        if c.active(month):
            key = (c.buyer_kind, c.buyer, c.domain)
            latest[key] = max(latest.get(key, 0), c.end)
    work = np.zeros(model.n_municipalities)
    pops = model.populations
    for (kind, buyer, _domain), end in latest.items():
        if end - cap.tender_prep_months > month:
            continue
        if kind == MUNICIPALITY:
            work[buyer] += per_month
        else:
            arr = model.arrangements[buyer]
            members = sorted(arr.members)
            if members:
                share = pops[members] / pops[members].sum()
                work[members] += per_month * (1.0 - arr.form_params.admin_saving) * share
    model.capacity.book("procurement", work)


def _extend_latest(book: ContractBook, kind: int, buyer: int, domain: int, month: int, until: int) -> bool:
    """Extend a buyer's most recent contracts, expired by ``month``, to end at ``until``."""
    own = book.of_buyer(kind, buyer, domain)
    if not own or until <= month:
        return False
    last_end = max(c.end for c in own)
    latest = [c for c in own if c.end == last_end and c.end <= month and not c.terminated]
    if not latest:
        return False
    for c in latest:
        if c.end <= month - 1:  # already pruned from the open list: put it back
            book.open.append(c)
        c.end = until
    return True


def provider_contract_admin(model: EcosimModel, month: int, providers: set[int] | None = None) -> np.ndarray:
    """Each provider's per-contract admin in a month [EUR]: staff time per open contract times its intensity.

    With ``providers`` only those providers' contracts are summed (the others stay 0).
    """
    eur = model.scenario.providers.admin_eur_per_contract_month
    out = np.zeros(len(model.providers))
    book = model.contracts
    contracts = book.open if providers is None else (c for p in sorted(providers) for c in book.of_provider(p))
    for c in contracts:
        if c.active(month):
            out[c.provider] += eur * c.admin_intensity
    return out


def _overhead_with_new(model: EcosimModel, chosen: list, intensity: float) -> np.ndarray:
    """Per-contract admin each chosen provider prices in [EUR/month].

    Its book now or its book next month with the new contract, whichever is larger (a buyer
    tendering before the others still sees the old book).
    """
    ids = {pr.index for pr in chosen}
    now = provider_contract_admin(model, model.month, ids)
    nxt = provider_contract_admin(model, model.month + 1, ids)
    return np.maximum(now, nxt + model.scenario.providers.admin_eur_per_contract_month * intensity)


def contract_price_factor(
    model: EcosimModel, provider: object, intensity: float, margin: float, discount: float, overhead_eur: float
) -> float:
    """A contract's price over the provider's care cost (ODD 7.7).

    Its full cost of a client-month at the reference occupancy (fixed places, variable care,
    per-client admin at this contract's intensity, its per-contract admin ``overhead_eur``
    spread over its places), plus the margin, less the discount.
    """
    s = model.scenario
    pp = s.providers
    ref = costing.reference_multiplier(s.demand.initial_severity, s.care.severity_cost_multiplier)
    share = costing.contract_admin_share(
        overhead_eur, provider.unit_cost, ref, provider.capacity, pp.reference_occupancy, model.k
    )
    client = pp.base_admin_ratio + pp.client_admin_ratio * intensity
    full = costing.full_cost_factor(pp.fixed_cost_share, pp.reference_occupancy, client, share)
    return costing.price_factor(full, margin, discount)


def contract_admin_cost(model: EcosimModel) -> np.ndarray:
    """Municipal contract management this month [EUR], per municipality.

    An arrangement's contracts are managed once and shared by population, less the form's
    admin saving.
    """
    p = model.scenario.procurement
    out = np.zeros(model.n_municipalities)
    pops = model.populations
    for c in model.contracts.open:
        if not c.active(model.month):
            continue
        cost = p.contract_admin_eur_month * c.admin_intensity
        if c.buyer_kind == MUNICIPALITY:
            out[c.buyer] += cost
        else:
            arr = model.arrangements[c.buyer]
            members = list(arr.members)
            if not members:
                continue
            share = pops[members] / pops[members].sum()
            out[members] += cost * (1.0 - arr.form_params.admin_saving) * share
    return out
