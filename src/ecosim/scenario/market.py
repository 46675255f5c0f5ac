"""Parameters of the care market.

Providers (capacity, cost, quality, admin, exit) and procurement (tenders, contracts, prices);
entry is in :mod:`ecosim.scenario.entry`.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from ecosim.scenario.base import Group, NonNeg, Prob, per_domain
from ecosim.scenario.levers import MarginPair, NonNegPair, ProbPair, lever_pair
from ecosim.scenario.uncertainty import uncertain


class ProviderParams(Group):
    """The care market: providers' capacity, cost, quality, reserves and exit."""

    initial_per_domain_per_100k: list[NonNeg] = per_domain(
        3.0,
        4.0,
        2.0,
        "Providers per domain per 100k inhabitants at start (about 120 youth providers in 2014 nationally, "
        "FTM; scaled up for local ones: assumption).",
    )
    initial_capacity_margin: NonNeg = Field(
        0.10, description="Spare places above the starting client stock [-] (assumption)."
    )
    cost_sd: NonNeg = Field(
        0.15, description="Log-sd of providers' unit cost around the domain's light cost (assumption)."
    )
    quality_mean: Prob = Field(0.75, description="Mean quality (recovery multiplier) (assumption).")
    quality_sd: NonNeg = Field(0.10, description="Sd of quality (assumption).")
    cost_quality_correlation: Annotated[float, Field(ge=-1.0, le=1.0)] = uncertain(
        0.3,
        0.0,
        0.7,
        "Correlation of a provider's log unit cost with its quality [-]: above 0 better care costs more, so "
        "buying on quality is not free. No measured value was found.",
    )
    size_concentration: float = Field(
        2.0, gt=0, description="Dirichlet concentration of initial provider sizes (low: a few large ones)."
    )
    initial_trust: Prob = Field(0.5, description="Buyers' trust in a provider before any experience.")
    trust_learning: Prob = Field(
        0.15,
        description="Weight of each month's recoveries at a provider in buyers' trust in it (assumption; "
        "the value cooperation.trust_learning had when the two were one parameter).",
    )
    fixed_cost_share: Prob = uncertain(
        0.3,
        0.15,
        0.5,
        "Share of the cost of an offered place (capacity: the places a provider staffs for clients) paid "
        "whether used or not [-].",
    )
    reference_occupancy: Annotated[float, Field(gt=0.0, le=1.0)] = uncertain(
        0.875,
        0.85,
        0.9,
        "Occupancy at which a contract price covers a provider's full cost: fixed places, variable care and "
        "admin (ODD 7.7) [-].",
    )
    initial_reserves_months: NonNeg = Field(3.0, description="Reserves at start, in months of cost (assumption).")
    growth_rate: Prob = uncertain(
        0.02,
        0.005,
        0.05,
        "Monthly capacity growth when full and solvent [1/month]. No figure was found; staff shortages held it "
        "back (Intrakoop 2019: 1,100 vacancies open longer than three months at 268 youth-care organisations). "
        "It sets how much of a growing demand incumbents take before newcomers can (docs/ODD.md 9.21).",
    )
    shrink_rate: Prob = uncertain(
        0.05,
        0.02,
        0.1,
        "Monthly capacity shrink when under-used [1/month], with low_occupancy chosen so about a fifth of "
        "providers make a loss in a year and failures stay rare (Intrakoop 2019: 47 and 60 of 268 youth-care "
        "organisations loss-making in 2017 and 2018).",
    )
    full_occupancy: Prob = Field(0.95, description="Occupancy above which a provider grows.")
    low_occupancy: Prob = uncertain(
        0.85,
        0.7,
        0.875,
        "Occupancy below which a provider shrinks: below the reference occupancy it prices at, it loses money "
        "(see shrink_rate).",
    )
    base_admin_ratio: NonNeg = uncertain(
        0.2,
        0.1,
        0.3,
        "Provider admin time per unit of care time that no buyer's accountability changes (records, own "
        "organisation) [-]. With client_admin_ratio and admin_eur_per_contract_month it gives a provider with "
        "13 contracts at intensity 1 about 34 % of working time on administration (CBS werknemersenquete: "
        "38 % for client-facing youth-care staff; Jeugdautoriteit 2023: 'up to 30 %'). How that time splits "
        "into a fixed and an accountability-driven part was not found.",
    )
    client_admin_ratio: NonNeg = uncertain(
        0.2,
        0.05,
        0.4,
        "Extra provider admin time per unit of care time of a contract's clients at accountability "
        "intensity 1, in proportion to the intensity [-] (see base_admin_ratio; the split is not sourced).",
    )
    admin_eur_per_contract_month: NonNeg = uncertain(
        2_500.0,
        500.0,
        10_000.0,
        "Provider admin per open contract per month at accountability intensity 1, whatever its clients (own "
        "rules, reports and invoicing of each buyer) [EUR/contract/month]; the range is about 0.1-2 FTE "
        "(Jeugdautoriteit 2023: a third of providers work for more than 5 municipalities; Intrakoop 2019: "
        "every municipality has its own rules).",
    )


class ProcurementParams(Group):
    """Tendering and contracts."""

    first_expiry_month: int = Field(24, ge=1, description="Transition contracts expire (January 2017 = month 24).")
    providers_per_tender: NonNegPair = lever_pair(
        6.0,
        6.0,
        "Stance pair (control, transformation): providers contracted per domain per tender (at least enough "
        "to cover demand). The direction is contested: open house (95 % of procedures in 2018) contracts "
        "many, while Amsterdam's few-partner lump sum was a cost-control move (docs/SOURCES.md 6), so both "
        "parts are equal.",
        kind="policy",
        uncertain=(2.0, 20.0),
    )
    contract_months: NonNegPair = lever_pair(
        24.0,
        48.0,
        "Stance pair (control, transformation): contract length [month]. Contracts run at least a year, "
        "mostly longer, and lengths have grown (Telgen 2018; Monitor 2020; 4-year centrumregelingen); "
        "trust-based contracting runs longer (seed articles).",
        kind="policy",
        uncertain=(12.0, 72.0),
    )
    price_margin: MarginPair = lever_pair(
        0.015,
        0.015,
        "Stance pair (control, transformation): margin on the provider's full cost at the reference occupancy "
        "[-]. Sector net margins "
        "were about 2.0 % (2017) and 1.3 % (2018) (Intrakoop, docs/SOURCES.md 7); no source links the margin "
        "to the stance, so both parts are equal.",
        kind="policy",
        source="Intrakoop 2019 via accountancyvanmorgen.nl (docs/SOURCES.md 7)",
        uncertain=(-0.02, 0.08),
    )
    admin_intensity: NonNegPair = lever_pair(
        1.0,
        0.6,
        "Stance pair (control, transformation): accountability per contract, relative to heavy control. "
        "The total admin burden is sourced (providers.admin_load_per_contract) but nothing separates "
        "trust-based from controlling contracts (docs/SOURCES.md 5).",
        kind="policy",
        uncertain=(0.3, 1.2),
    )
    quality_weight: ProbPair = lever_pair(
        0.4,
        0.7,
        "Stance pair (control, transformation): weight a tender puts on quality and trust against price "
        "(0 price only, 1 quality and trust only). The Jeugdwet bars awarding on lowest price alone; the "
        "weights used in practice were not found (docs/SOURCES.md 6).",
        kind="policy",
        uncertain=(0.2, 0.9),
    )
    overbilling: Prob = uncertain(
        0.05,
        0.0,
        0.15,
        "Share of a month of care billed but not delivered under a contract without accountability "
        "(intensity 0); it falls linearly to 0 at intensity 1: the benefit of heavy checks. Small youth-care "
        "providers averaged 35 % profit in 2018 (Jeugdzorg Nederland, docs/SOURCES.md 7), but no measured "
        "overbilling rate was found.",
    )
    contract_admin_eur_month: NonNeg = uncertain(
        500.0,
        100.0,
        2_000.0,
        "Municipal contract management per contract at intensity 1 [EUR/month]; no per-contract figure found, "
        "Berenschot 2019 puts all municipal coordination at about 3-8 % of Wmo and youth funds.",
    )
    coverage: NonNeg = Field(1.1, description="Contracted capacity sought relative to current demand [-].")
