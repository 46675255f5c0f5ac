"""Phase 4, care: providers deliver and bill; care lowers need step by step.

A month of care costs the provider's unit cost times the severity multiplier; the
municipality pays the contract price. A multi-problem household on separate trajectories
is billed per domain and recovers worse; an integrated plan costs less per extra domain.
The chance of improvement depends on the provider's quality, the plan's fit and how long
the citizen waited. Wijkteam cases resolve within the team's own (fixed) staff cost.
Part of each year's structural cut is met by smaller indications (``indication.cut_pass_on``):
a client-month then costs less, and improves less readily (``indication.recovery_elasticity``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.agents import CitizenState
from ecosim.model.levers import lever, overbilling_share, wait_factor

if TYPE_CHECKING:
    from ecosim.model import EcosimModel

PARTICIPATION_BIT = 1 << 2
"""The participation domain's bit in a citizen's ``domains`` mask (1 jeugd, 2 wmo, 4 participatie)."""


def plan_cost_factor(n_domains: np.ndarray, integrated: np.ndarray, extra_domain_cost: float) -> np.ndarray:
    """Cost of a plan relative to one single-domain trajectory."""
    extra = n_domains - 1
    return np.where(integrated, 1.0 + extra_domain_cost * extra, n_domains).astype(float)


def indicated_volume(model: EcosimModel) -> np.ndarray:
    """Volume of care indicated per client-month in each domain this year, as a share of the full volume.

    ``1 - cut_pass_on x (cut_fraction x cut_phase_in of the year)``: the part of the year's
    structural cut that municipalities meet by indicating fewer hours (docs/ODD.md 7.14). The same for
    every municipality; 1 where a domain has no cut.
    """
    b = model.scenario.budget
    year = min(model.month // 12, len(b.cut_phase_in) - 1)
    cut = np.asarray(b.cut_fraction, dtype=float) * b.cut_phase_in[year]
    return 1.0 - model.scenario.indication.cut_pass_on * cut


def deliver_care(model: EcosimModel) -> None:
    """Bill a month of care, then let care improve needs; resolve wijkteam cases."""
    s = model.scenario
    rng = model.rng
    t = model.citizens
    rows = t.rows_in(CitizenState.IN_CARE)
    stance = model.stances()
    if len(rows):
        volume = indicated_volume(model)[t["primary"][rows]]
        _bill(model, rows, stance, volume)
        _improve(model, rows, volume)
    team = t.rows_in(CitizenState.WIJKTEAM)
    done = team[rng.random(len(team)) < s.wijkteam.improve_prob]
    model.ledger.count("recoveries", t["municipality"][done], model.k)
    t.remove(done)


def _bill(model: EcosimModel, rows: np.ndarray, stance: np.ndarray, volume: np.ndarray) -> None:
    s = model.scenario
    t = model.citizens
    n = model.n_municipalities
    k = model.k
    prov = t["provider"][rows]
    muni = t["municipality"][rows]
    contract = t["contract"][rows]
    n_domains = t["n_domains"][rows]
    integrated = t["integrated"][rows]
    severity = t["severity"][rows]
    unit = model.market.array("unit_cost")[prov]
    plan = plan_cost_factor(n_domains, integrated, s.integration.extra_domain_cost)
    cost = unit * np.asarray(s.care.severity_cost_multiplier)[severity] * plan * volume  # provider's own cost
    price = cost * model.contracts.price_factor[contract] * k
    # Without accountability some care is billed but not delivered (procurement.overbilling);
    # checks thin where the municipality was short of staff last month (capacity.monitoring_loss).
    checked = 1.0 - model.capacity.shortfall(s.capacity.monitoring_loss)[muni]
    intensity = model.contracts.admin_intensity[contract]
    price *= 1.0 + overbilling_share(s.procurement.overbilling, intensity * checked)
    t.col["cost"][rows] += price / k
    # Providers' revenue and variable cost.
    cost_k = cost * k
    model.market.book_care(
        np.bincount(prov, weights=price, minlength=len(model.providers)),
        np.bincount(prov, weights=cost_k, minlength=len(model.providers)),
        np.bincount(prov, weights=cost_k * intensity, minlength=len(model.providers)),
    )
    # What the joint discount saved members, for their experience of cooperating (per task: the domain).
    primary = t["primary"][rows]
    discount = model.contracts.joint_discount[contract]
    model.arrangements.credit(muni, primary, price * discount / np.maximum(1.0 - discount, 1e-9))
    # Monitoring and accountability per trajectory in care (per municipality and leading domain).
    flat_md = muni.astype(np.int64) * 3 + primary
    trajectories = np.bincount(flat_md, weights=np.where(integrated, 1, n_domains), minlength=n * 3).reshape(n, 3) * k
    saving = model.arrangements.admin_saving()
    per = lever(s.access.admin_eur_per_client_month, stance)[:, None] * trajectories
    admin = (per * (1.0 - saving)).sum(axis=1)
    model.ledger.admin += admin
    model.capacity.book_eur("admin", admin)
    model.arrangements.credit_each(per * saving)
    # Specialist costs are pooled within the domain's arrangements that pool risk.
    pooled = model.arrangements.pooling()[muni, primary] & (severity == 3)
    model.arrangements.pool_specialist_costs(muni[pooled], price[pooled], primary[pooled])
    # Care cost is attributed to every domain of the household's need, equally.
    share = np.where(pooled, 0.0, price / n_domains)
    single = n_domains == 1
    flat = muni[single].astype(np.int64) * 3 + primary[single]
    model.ledger.care += np.bincount(flat, weights=share[single], minlength=n * 3).reshape(n, 3)
    multi = np.flatnonzero(~single)
    doms = t["domains"][rows[multi]]
    for d in range(3):
        has = multi[(doms >> d) & 1 == 1]
        model.ledger.care[:, d] += np.bincount(muni[has], weights=share[has], minlength=n)


def _improve(model: EcosimModel, rows: np.ndarray, volume: np.ndarray) -> None:
    s = model.scenario
    rng = model.rng
    t = model.citizens
    sev = t["severity"][rows]
    quality = model.market.array("quality")[t["provider"][rows]]
    fit = np.where((t["n_domains"][rows] > 1) & ~t["integrated"][rows], s.integration.fragmented_fit, 1.0)
    waited = wait_factor(t["months_waiting"][rows], s.care.wait_penalty_per_month, s.care.min_wait_factor)
    p = np.asarray(s.care.improve_prob)[sev] * quality * fit * waited
    elasticity = s.indication.recovery_elasticity
    if elasticity:
        p = p * volume**elasticity
    improves = rng.random(len(rows)) < p
    worsens = ~improves & (rng.random(len(rows)) < s.care.in_care_escalation_prob) & (sev < 3)
    recovered = rows[improves & (sev == 0)]
    step_down = rows[improves & (sev > 0)]
    t.set_severity(step_down, t["severity"][step_down] - 1)
    up = rows[worsens]
    t.set_severity(up, t["severity"][up] + 1)
    t.col["escalations"][up] += 1
    model.ledger.count("escalations", t["municipality"][up], model.k)
    model.ledger.count("recoveries", t["municipality"][recovered], model.k)
    # A recovered trajectory with a participation part is a successful re-integration (ODD 7.12).
    reintegrated = recovered[(t["domains"][recovered] & PARTICIPATION_BIT) != 0]
    model.ledger.reintegrated += model.k * np.bincount(
        t["municipality"][reintegrated], minlength=model.n_municipalities
    )
    # Buyers learn to trust providers whose clients improve (observed versus best-case rate).
    best = np.asarray(s.care.improve_prob)[sev]
    n_prov = len(model.providers)
    pair = t["municipality"][rows].astype(np.int64) * n_prov + t["provider"][rows]
    size = model.n_municipalities * n_prov
    expected = np.bincount(pair, weights=best, minlength=size)
    keys = np.flatnonzero(expected)
    observed = np.bincount(pair, weights=improves.astype(float), minlength=size)[keys]
    good = np.clip(observed / expected[keys], 0.0, 1.0)
    model.market.learn_trust(keys // n_prov, keys % n_prov, good)
    model.market.release_places(t, recovered)
    t.remove(recovered)
