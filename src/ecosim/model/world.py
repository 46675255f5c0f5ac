"""The world on 1 January 2015: providers, regional arrangements, transition contracts, clients.

Clients already in care move over from the state with their provider (transition law,
overgangsrecht); every buyer holds transition contracts with all providers of its region
that expire together in January 2017.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CareProvider, CitizenState
from ecosim.model import costing
from ecosim.model.heterogeneity import sample_levels, severity_probabilities
from ecosim.model.levers import lever
from ecosim.model.phases.procurement import buyer_of, buyer_stance, contract_price_factor, provider_contract_admin
from ecosim.scenario import Form
from ecosim.scenario.forms import TASKS

if TYPE_CHECKING:
    from ecosim.agents import Contract
    from ecosim.model import EcosimModel


def reference_multiplier(model: EcosimModel) -> float:
    """Mean cost multiplier of the starting client mix: what an average place costs."""
    s = model.scenario
    return costing.reference_multiplier(s.demand.initial_severity, s.care.severity_cost_multiplier)


def new_provider(
    model: EcosimModel, domain: int, region: int, capacity: float, ready_month: int | None = None
) -> CareProvider:
    """A provider with a unit cost and quality drawn around the domain's figures.

    Log cost and quality are jointly normal with correlation ``cost_quality_correlation``:
    at 0 quality is free, so buying on quality costs nothing extra; above 0 better care
    costs more. (At 0 the draws equal independent ones, draw for draw.) An entrant takes
    clients from ``ready_month`` on (default: at once).
    """
    s = model.scenario
    z_cost, z_own = model.rng.standard_normal(), model.rng.standard_normal()
    rho = s.providers.cost_quality_correlation
    cost = s.care.light_cost_eur_month[domain] * float(np.exp(s.providers.cost_sd * z_cost))
    z_quality = rho * z_cost + float(np.sqrt(1.0 - rho * rho)) * z_own
    quality = float(
        np.clip(s.providers.quality_mean + s.providers.quality_sd * z_quality, 0.05, 1.0)
    )  # quality is a recovery multiplier
    monthly = cost * capacity * reference_multiplier(model) * model.k
    pr = CareProvider(
        model,
        len(model.providers),
        domain,
        region,
        capacity,
        cost,
        quality,
        s.providers.initial_reserves_months * monthly,
        ready_month,
    )
    model.market.add(pr)
    return pr


def _initial_form_arrangements(model: EcosimModel) -> None:
    c = model.scenario.cooperation
    if c.initial_form == Form.NONE.key:
        return
    for r in range(model.geo.n_regions):
        members = np.flatnonzero(model.geo.region == r).tolist()
        if len(members) < 2:
            continue
        for task in c.initial_tasks:
            arr = model.arrangements.found(c.initial_form, TASKS.index(task))
            for i in members:
                # Regions prepared their arrangements in 2014: part of the setup is done.
                arr.add_member(model, i, setup_done=c.initial_setup_done_months)
            arr.renegotiate(model)
    model.ledger.reset()  # founding costs belong to 2014, not to the first month


def populate(model: EcosimModel) -> None:
    """Create providers, regional arrangements, transition contracts and the client stock."""
    s = model.scenario
    _initial_form_arrangements(model)
    # Client stock per municipality and domain (agents), times the need multiplier.
    stock = np.rint(
        model.populations[:, None]
        / 1000.0
        * np.array(s.demand.initial_clients_per_1000)[None, :]
        * model.need.multiplier
        / model.k
    ).astype(np.int64)
    for r in range(model.geo.n_regions):
        members = np.flatnonzero(model.geo.region == r)
        region_pop = model.populations[members].sum()
        for d in range(3):
            n_prov = max(1, round(s.providers.initial_per_domain_per_100k[d] * region_pop / 100_000))
            need = stock[members, d].sum() * (1.0 + s.providers.initial_capacity_margin)
            shares = model.rng.dirichlet(np.full(n_prov, s.providers.size_concentration))
            for share in shares:
                new_provider(model, d, r, max(1.0, need * share))
    _transition_contracts(model)
    _initial_clients(model, stock)


def _transition_contracts(model: EcosimModel) -> None:
    p = model.scenario.procurement
    seen: set[tuple[int, int, int]] = set()
    margins: list[tuple[Contract, float]] = []
    for m in model.municipalities:
        for d in range(3):
            kind, buyer = buyer_of(model, m.index, d)
            if (kind, buyer, d) in seen:
                continue
            seen.add((kind, buyer, d))
            stance = buyer_stance(model, kind, buyer)
            for pr in model.providers:
                if pr.domain == d and pr.region == m.region:
                    c = model.contracts.add(
                        buyer_kind=kind,
                        buyer=buyer,
                        provider=pr.index,
                        domain=d,
                        start=0,
                        end=p.first_expiry_month,
                        price_factor=1.0,
                        admin_intensity=float(lever(p.admin_intensity, stance)),
                    )
                    margins.append((c, float(lever(p.price_margin, stance))))
    # Prices follow the full-cost rule once every provider's book of contracts is known.
    overhead = provider_contract_admin(model, 0)
    for c, margin in margins:
        pr = model.providers[c.provider]
        price = contract_price_factor(model, pr, c.admin_intensity, margin, 0.0, overhead[pr.index])
        model.contracts.set_price_factor(c, price)


def _initial_clients(model: EcosimModel, stock: np.ndarray) -> None:
    """Clients in care on 1 January 2015, spread over their region's providers by places."""
    s = model.scenario
    rng = model.rng
    severity = severity_probabilities(s.demand.initial_severity, model.need.severity_tilt)
    cols: dict[str, list[np.ndarray]] = {k: [] for k in ("municipality", "primary", "severity", "provider", "contract")}
    for m in model.municipalities:
        for d in range(3):
            kind, buyer = buyer_of(model, m.index, d)
            k = int(stock[m.index, d])
            contracts = model.contracts.for_buyer(kind, buyer, d, 0)
            if k == 0 or not contracts:
                continue
            places = np.array([model.providers[c.provider].capacity for c in contracts])
            pick = rng.choice(len(contracts), size=k, p=places / places.sum())
            cols["municipality"].append(np.full(k, m.index))
            cols["primary"].append(np.full(k, d))
            cols["severity"].append(sample_levels(rng, np.broadcast_to(severity[m.index], (k, 4))))
            cols["provider"].append(np.array([contracts[i].provider for i in pick]))
            cols["contract"].append(np.array([contracts[i].index for i in pick]))
    if not cols["municipality"]:
        return
    values = {k: np.concatenate(v) for k, v in cols.items()}
    values["domains"] = (1 << values["primary"]).astype(np.uint8)
    values["n_domains"] = np.ones(len(values["primary"]), dtype=np.int8)
    values["state"] = np.full(len(values["primary"]), int(CitizenState.IN_CARE))
    values["arrival"] = np.zeros(len(values["primary"]))
    model.citizens.add(values)
    clients = np.bincount(values["provider"], minlength=len(model.providers))
    for pr in model.providers:
        pr.clients = int(clients[pr.index])
