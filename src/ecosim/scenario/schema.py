"""Scenario: every parameter of the model, typed, validated and documented.

Parameters are grouped by mechanism, in the order of the month. Each field has a
default, and a description with its unit and source (a public figure from ``MODEL.md``)
or the word "assumption". Stance-driven levers are lever pairs
(:class:`ecosim.scenario.levers.LeverPair`): the value under pure cost control (stance 0)
and under pure cooperative transformation (stance 1); a municipality with stance s uses
the linear mix of the two (:func:`ecosim.model.levers.lever`).

Reading files (``extends``, overrides, error messages) is in :mod:`ecosim.scenario.loading`;
the cooperation forms are in :mod:`ecosim.scenario.forms`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from ecosim.scenario.base import Group, NonNeg, Prob, per_domain, per_severity
from ecosim.scenario.forms import JOINT_FORM_NAMES, Form, FormName, FormParams, default_forms
from ecosim.scenario.levers import LeverPair, MarginPair, NonNegPair, ProbPair, RealPair, lever_pair
from ecosim.scenario.paths import set_dotted, unknown_parameter
from ecosim.scenario.uncertainty import uncertain


class RunParams(Group):
    """How long, how finely and from which seed a run goes."""

    months: int = Field(120, ge=1, le=1200, description="Months simulated from January 2015 [month].")
    seed: int = Field(42, ge=0, description="Root seed of the model's random generator.")
    agent_scale: int = Field(
        1,
        ge=1,
        le=1000,
        description="Representation scale k: one citizen agent stands for k people; counts and "
        "money are scaled back to people [people/agent] (assumption).",
    )


class GeographyParams(Group):
    """The map: synthetic Netherlands-like or a user's CSV of real municipalities."""

    source: Literal["synthetic", "csv"] = Field("synthetic", description="Where municipalities come from.")
    csv_path: str | None = Field(
        None, description="CSV with name,population,x,y,region (relative to the scenario file)."
    )
    n_municipalities: int = Field(13, ge=1, le=5000, description="Municipalities (393 on 1 Jan 2015, CBS).")
    n_regions: int = Field(1, ge=1, le=500, description="Youth-care regions (42 in 2015, CBS).")
    mean_population: float = Field(42_000, gt=0, le=1e8, description="Mean inhabitants (about 41k in 2013, CBS).")
    population_sigma: float = Field(
        0.77, ge=0, le=3, description="Log-space sd of population (fitted to CBS size classes)."
    )
    min_population: int = Field(1_000, ge=1, le=10**8, description="Smallest municipality [inhabitants] (assumption).")
    area_km2: float = Field(1_000, gt=0, description="Area of the synthetic map [km2] (NL about 41,500).")
    small_share: Prob = Field(1 / 3, description="Bottom population share called 'small' for the small-large gap.")

    @model_validator(mode="after")
    def _check(self) -> GeographyParams:
        if self.source == "csv" and not self.csv_path:
            raise ValueError("source = 'csv' needs csv_path")
        if self.source == "synthetic" and self.n_regions > self.n_municipalities:
            raise ValueError("n_regions cannot exceed n_municipalities")
        if self.source == "synthetic" and self.mean_population < self.min_population:
            raise ValueError(
                f"mean_population ({self.mean_population}) must be >= min_population ({self.min_population})"
            )
        return self


class BudgetParams(Group):
    """Money from the state: the 2015 integration payment and the cut schedule."""

    budget_2015_eur: list[NonNeg] = per_domain(
        3.8e9, 3.5e9, 2.9e9, "National 2015 budget per domain [EUR/year] (CBS 2020 nieuws 41: 10.2 bn)."
    )
    national_population: float = Field(16_900_000, gt=0, le=1e10, description="Inhabitants of NL in 2015 (CBS).")
    cut_fraction: list[Prob] = per_domain(
        0.11,
        0.20,
        0.15,
        "Structural cut per domain once phased in, as share of the pre-cut budget [-]: youth "
        "EUR 450 m of about 4.2 bn; Wmo household help -40 % and AWBZ-to-Wmo EUR 1.7 bn; Participatie "
        "EUR 1.8 bn phased (Divosa factsheet, Trouw). Shares are an assumption from those figures.",
    )
    cut_phase_in: list[Prob] = Field(
        default_factory=lambda: [0.4, 0.7, 0.9, 1.0],
        min_length=1,
        description="Share of the structural cut applied in 2015, 2016, ...; the last value holds after (assumption).",
    )
    initial_reserves_months: NonNeg = Field(1.0, description="Reserves at start, in months of budget (assumption).")


class DemandParams(Group):
    """Needs arising: incidence, multi-problem households, severity, hidden demand."""

    incidence_per_1000_year: list[NonNeg] = per_domain(
        18.0,
        22.0,
        10.0,
        "New needs per 1,000 inhabitants per year per domain, before prevention (assumption, "
        "chosen so stocks approach about 24, 62, 27 clients per 1,000: CBS 2015-2016).",
    )
    initial_clients_per_1000: list[NonNeg] = per_domain(
        24.0,
        62.0,
        27.0,
        "Clients in care on 1 Jan 2015 per 1,000 inhabitants: youth 400k, Wmo 1.05m, bijstand 450k (CBS).",
    )
    severity_at_onset: list[Prob] = per_severity(
        0.55, 0.28, 0.13, 0.04, "Share of new needs per severity level (assumption)."
    )
    initial_severity: list[Prob] = per_severity(
        0.45,
        0.30,
        0.17,
        0.08,
        "Severity mix of the clients in care on 1 Jan 2015 (assumption: stocks hold more severe cases).",
    )
    multi_problem_share: Prob = Field(0.15, description="Share of new needs spanning two or more domains (assumption).")
    third_domain_prob: Prob = Field(
        0.3, description="Chance a multi-problem household spans all three domains (assumption)."
    )
    hidden_share: Prob = Field(
        0.25, description="Share of new needs that do not present by themselves at first (assumption)."
    )
    hidden_present_prob: list[Prob] = per_severity(
        0.04, 0.08, 0.15, 0.30, "Monthly chance a hidden need presents by itself, by severity (assumption)."
    )
    spontaneous_resolution_prob: list[Prob] = per_severity(
        0.03, 0.015, 0.005, 0.0, "Monthly chance an unmet need resolves without care, by severity (assumption)."
    )
    leave_prob: Prob = Field(0.003, description="Monthly chance a citizen moves away or dies (assumption).")

    @model_validator(mode="after")
    def _check(self) -> DemandParams:
        for name in ("severity_at_onset", "initial_severity"):
            if abs(sum(getattr(self, name)) - 1.0) > 1e-6:
                raise ValueError(f"{name} must sum to 1")
        return self


class PreventionParams(Group):
    """Prevention: spending now lowers incidence later."""

    spend_eur_per_inhabitant_year: NonNegPair = lever_pair(
        5.0,
        20.0,
        "Stance pair (control, transformation): prevention spending [EUR/inhabitant/year]. No per-inhabitant "
        "figure was found (docs/SOURCES.md 10); transformation invests in prevention (seed articles).",
        kind="policy",
        uncertain=(0.0, 40.0),
    )
    max_effect: Prob = uncertain(
        0.25,
        0.0,
        0.4,
        "Largest reduction of incidence from prevention [-]. Contested: AEF (2020) finds prevention raises "
        "youth-care costs within the budget, NJi disputes it; interventions return 1.2-5x their cost (2013) "
        "(docs/SOURCES.md 10).",
    )
    half_effect_eur: float = Field(
        15.0, gt=0, description="Spending per inhabitant per year giving half the max effect (assumption)."
    )
    lag_months: int = Field(24, ge=0, le=240, description="Delay before prevention acts [month] (assumption).")
    window_months: int = Field(12, ge=1, le=120, description="Months of past spending averaged for the effect.")


class AccessParams(Group):
    """The front office: assessment, thresholds, checks."""

    threshold: RealPair = lever_pair(
        1.3,
        0.6,
        "Stance pair (control, transformation): access threshold on the assessed need scale (light=0.5, "
        "moderate=1.5, severe=2.5, specialist=3.5 on average); below it a request is refused. Direction: "
        "municipalities under cost pressure tighten access (half of those with deficits, EenVandaag/Investico "
        "survey 2021; docs/SOURCES.md 13); the levels have no source.",
        kind="policy",
        uncertain=(0.3, 1.8),
    )
    assessment_noise_sd: NonNeg = Field(0.4, description="Noise of the assessment on that scale (assumption).")
    admin_eur_per_assessment: NonNegPair = lever_pair(
        500.0,
        500.0,
        "Stance pair (control, transformation): cost of one assessment with its checks [EUR]. EUR 500 per "
        "keukentafelgesprek (Apeldoorn 2014, NRC Next, cited in Kamervraag 2015Z00110; secondary); no source "
        "compares a controlling with a light access regime, so both parts are equal.",
        kind="efficiency",
        source="NRC Next 27-12-2014 via Kamervraag 2015Z00110 (docs/SOURCES.md 1)",
        uncertain=(150.0, 900.0),
    )
    admin_eur_per_client_month: NonNegPair = lever_pair(
        20.0,
        20.0,
        "Stance pair (control, transformation): monitoring and accountability per client in care per "
        "trajectory [EUR/month]. Derived: municipal coordination cost 3-8 % of Wmo + Jeugd funds (Berenschot "
        "2019) over about 1.5 m clients gives EUR 12-33 per client-month; no source compares heavy with "
        "trust-based accountability, so both parts are equal.",
        kind="efficiency",
        source="derived from Berenschot 2019 and CBS client counts (docs/SOURCES.md 2)",
        uncertain=(8.0, 40.0),
    )
    assessment_offset: float = Field(
        0.5, description="Mean assessed need of a severity level above its index: light 0.5 .. specialist 3.5."
    )
    represent_prob: Prob = Field(0.08, description="Monthly chance a refused citizen asks again (assumption).")
    represent_after_escalation: Prob = Field(
        0.5, description="Chance a refused citizen asks again in the month it escalated."
    )


class WijkteamParams(Group):
    """Neighbourhood teams: light cases handled close to home, hidden demand found."""

    budget_share: ProbPair = lever_pair(
        0.03,
        0.08,
        "Stance pair (control, transformation): share of the social-domain budget spent on wijkteams. Upper "
        "bound only: general services including wijkteams were 17 % of the social domain in 2017 (CBS/Iv3, "
        "docs/SOURCES.md 3); 83-87 % of municipalities have teams (Movisie), so both stances pay for one.",
        kind="policy",
        uncertain=(0.01, 0.12),
    )
    eur_per_case_month: float = Field(
        350.0, gt=0, description="Wijkteam cost per case handled [EUR/month] (assumption)."
    )
    max_severity: int = Field(0, ge=0, le=3, description="Highest severity a wijkteam handles itself (0 = light).")
    improve_prob: Prob = Field(
        0.10,
        description="Monthly chance a wijkteam case resolves [1/month]: uncertain (0.05-0.35). No resolve rate "
        "was found; CPB 2019 and 2021 find wijkteams raise referrals and use. Central value: a light case "
        "at a provider of quality 1 (care.improve_prob, 0.10; about 0.075 at mean quality).",
        json_schema_extra={"uncertain": [0.05, 0.35], "scale": False},
    )
    escalation_multiplier: NonNeg = Field(
        0.5,
        description="Escalation hazard of a wijkteam case relative to an unmet need of the same severity and "
        "months unmet (escalation.base_prob, unmet_gain, max_prob) [-]: uncertain (0.2-1; 0.2 is about care "
        "at a provider, 1 no help at all). An escalated case above max_severity is referred to a provider "
        "(waiting).",
        json_schema_extra={"uncertain": [0.2, 1.0], "scale": False},
    )
    find_prob: Prob = uncertain(
        0.10,
        0.05,
        0.3,
        "Monthly chance a hidden need is found by a fully staffed wijkteam. Direction sourced: wijkteams raise "
        "use (CPB 2019: Wmo clients +38 % with wijkteams against +26 %; CPB 2021: +23 % to +40 % youth-care "
        "use with active teams; docs/SOURCES.md 3); the monthly rate is not.",
    )


class InformalParams(Group):
    """Informal care (mantelzorg) and general local services (voorliggend veld) after a refusal."""

    met_prob: list[Prob] = uncertain(
        [0.05, 0.03, 0.01, 0.0],
        0.0,
        3.0,
        "Monthly chance a refused need is met by informal care or general services, by severity; the need "
        "ends (counted met_informally) [1/month] (light 0-0.15, moderate 0-0.09, severe 0-0.03). The share "
        "of refused requests met elsewhere was not found; about a third of "
        "Dutch adults give informal help (SCP 2015); for a fifth to a quarter of those who ask the "
        "municipality for help problems stay insufficiently resolved (SCP Zicht op de Wmo 2015, 2017).",
        scale=True,
        min_length=4,
        max_length=4,
    )
    eur_per_need_met: NonNeg = Field(
        250.0,
        description="Municipal cost of one need met outside formal care, booked once as wijkteam spending "
        "(Iv3 task field 'algemene voorzieningen incl. wijkteams'; mantelzorg costs nothing, general "
        "services do) [EUR/need]: uncertain (0-1,000), no cost per case found.",
        json_schema_extra={"uncertain": [0.0, 1000.0], "scale": False},
    )


class IntegrationParams(Group):
    """One household, one plan: integrated plans for multi-problem households."""

    integrated_share: ProbPair = lever_pair(
        0.1,
        0.5,
        "Stance pair (control, transformation): chance a multi-problem household gets one integrated plan. "
        "No count of households with one plan was found (docs/SOURCES.md 4).",
        kind="policy",
        uncertain=(0.0, 0.9),
    )
    extra_domain_cost: Prob = uncertain(
        0.5,
        0.3,
        1.0,
        "Cost of each extra domain in an integrated plan relative to a separate trajectory. Case studies of "
        "one coordinator per household report net savings (Den Haag 2011; MKBA VONL 2021: EUR 1.90 per EUR 1), "
        "without a per-domain figure (docs/SOURCES.md 4).",
    )
    fragmented_fit: Prob = uncertain(
        0.7,
        0.6,
        1.0,
        "Recovery multiplier for separate, uncoordinated trajectories (1: an integrated plan recovers no "
        "better). No measured effect was found.",
    )


class CareParams(Group):
    """Care delivery: cost of care by severity, recovery chances."""

    light_cost_eur_month: list[NonNeg] = per_domain(
        179.7,
        64.1,
        122.0,
        "Direct care cost (care staff time and material) of one light client-month per domain [EUR]. "
        "Derived: 2015 funds per client-month (youth EUR 3.8 bn, Wmo 3.5 bn, participation (re-integration "
        "and Wsw) 2.9 bn, CBS 2020 nieuws 41; over the 1 Jan 2015 stocks 24, 62, 27 per "
        "1,000 x 16.9 m = 405.6k, 1,047.8k, 456.3k clients: EUR 780.7, 278.4, 529.6 per client-month), "
        "times the share of the funds that pays for care, 0.87 (the funds also pay the municipalities' own "
        "costs: coordination and access 5.5 %, the middle of Berenschot 2019's 3-8 %, and wijkteams and "
        "prevention 7.5 %, an assumption: no wijkteam-only share was found, general services including "
        "wijkteams were at most 17-23 %, docs/SOURCES.md 2-3), divided by the severity mix R = 2.53 and by "
        "the full cost of a client-month at the reference occupancy with 30 % of working time on admin "
        "(CBS, zorg en welzijn) and the 1.5 % margin: (0.7 + 0.3 / 0.875 + 0.3 / 0.7) x 1.015 = 1.4935 "
        "(ODD 7.6).",
    )
    severity_cost_multiplier: list[NonNeg] = per_severity(
        1.0,
        2.0,
        4.0,
        10.0,
        "Cost relative to light care; specialist/residential care is lumpy (Gostoli & Silverman 2020; assumption).",
    )
    improve_prob: list[Prob] = per_severity(
        0.10,
        0.07,
        0.05,
        0.04,
        "Monthly chance care lowers severity one level (light -> recovered) at quality 1 (assumption).",
    )
    wait_penalty_per_month: Prob = Field(
        0.03, description="Loss of recovery chance per month waited [1/month] (assumption)."
    )
    min_wait_factor: Prob = Field(0.4, description="Floor of that penalty (assumption).")
    in_care_escalation_prob: Prob = Field(0.004, description="Monthly chance of escalation while in care (assumption).")


class EscalationParams(Group):
    """Unmet need escalates (Gostoli & Silverman 2020)."""

    base_prob: list[Prob] = uncertain(
        [0.020, 0.015, 0.010, 0.0],
        0.0,
        1.5,
        "Monthly escalation chance of an unmet need, by severity. The mechanism is Gostoli & Silverman (2020); "
        "no Dutch rate was found (docs/SOURCES.md 11).",
        scale=True,
        min_length=4,
        max_length=4,
    )
    unmet_gain: NonNeg = uncertain(
        0.10,
        0.0,
        0.3,
        "Relative rise of that chance per month of accumulated unmet need. No measured value was found.",
    )
    max_prob: Prob = Field(0.25, description="Cap on the monthly escalation chance.")
    burden_weight: list[NonNeg] = per_severity(
        1.0, 2.0, 4.0, 8.0, "Weight of a month of unmet need by severity in the burden index (assumption)."
    )


class ProviderParams(Group):
    """The care market: providers' capacity, cost, quality, reserves, entry and exit."""

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
    fixed_cost_share: Prob = Field(
        0.3,
        description="Share of the cost of an offered place (capacity: the places a provider staffs for "
        "clients) paid whether used or not [-] (uncertain, range 0.15-0.5).",
        json_schema_extra={"uncertain": [0.15, 0.5], "scale": False},
    )
    reference_occupancy: Annotated[float, Field(gt=0.0, le=1.0)] = Field(
        0.875,
        description="Occupancy at which a contract price covers a provider's full cost: fixed places, "
        "variable care and admin (ODD 7.7) [-] (uncertain, range 0.85-0.9).",
        json_schema_extra={"uncertain": [0.85, 0.9], "scale": False},
    )
    initial_reserves_months: NonNeg = Field(3.0, description="Reserves at start, in months of cost (assumption).")
    growth_rate: Prob = Field(0.02, description="Monthly capacity growth when full and solvent (assumption).")
    shrink_rate: Prob = Field(
        0.05,
        description="Monthly capacity shrink when under-used [1/month] (uncertain, range 0.02-0.1; with "
        "low_occupancy chosen so about a fifth of providers make a loss in a year and failures stay rare: "
        "Intrakoop 2019, 47 and 60 of 268 youth-care organisations loss-making in 2017 and 2018).",
        json_schema_extra={"uncertain": [0.02, 0.1], "scale": False},
    )
    full_occupancy: Prob = Field(0.95, description="Occupancy above which a provider grows.")
    low_occupancy: Prob = Field(
        0.85,
        description="Occupancy below which a provider shrinks: below the reference occupancy it prices at, "
        "it loses money (uncertain, range 0.7-0.875; see shrink_rate).",
        json_schema_extra={"uncertain": [0.7, 0.875], "scale": False},
    )
    entry_rate: NonNeg = Field(
        0.5,
        description="Expected entrants per domain per month when a whole capacity's worth waits "
        "(assumption; 120 -> 6,000 youth providers, FTM).",
    )
    entrant_capacity: NonNeg = Field(30.0, description="Places of a new entrant [clients] (assumption).")
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
    admin_eur_per_contract_month: NonNeg = Field(
        2_500.0,
        description="Provider admin per open contract per month at accountability intensity 1, whatever its "
        "clients (own rules, reports and invoicing of each buyer) [EUR/contract/month] (uncertain, range "
        "500-10,000, about 0.1-2 FTE; Jeugdautoriteit 2023: a third of providers work for more than 5 "
        "municipalities; Intrakoop 2019: every municipality has its own rules).",
        json_schema_extra={"uncertain": [500.0, 10000.0], "scale": False},
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
    contract_admin_eur_month: NonNeg = Field(
        500.0,
        description="Municipal contract management per contract at intensity 1 [EUR/month] (uncertain, range "
        "100-2,000; no per-contract figure found, Berenschot 2019 puts all municipal coordination at about "
        "3-8 % of Wmo and youth funds).",
        json_schema_extra={"uncertain": [100.0, 2000.0], "scale": False},
    )
    coverage: NonNeg = Field(1.1, description="Contracted capacity sought relative to current demand [-].")


class CooperationParams(Group):
    """Inter-municipal cooperation: forming, trust, fatigue, exit."""

    initial_form: FormName = Field(
        "light", description="Form of the arrangement each youth-care region starts with in 2015."
    )
    preferred_form: FormName = Field(
        "light", description="Form municipalities propose when they form or join an arrangement."
    )
    propensity: ProbPair = lever_pair(
        0.1,
        0.25,
        "Stance pair (control, transformation): chance per review that a municipality outside an arrangement "
        "explores one. 38 % of municipalities cooperated on their social service in 2017 (Allers & de Greef, "
        "docs/SOURCES.md 12); no per-review rate was found.",
        kind="policy",
        uncertain=(0.02, 0.5),
    )
    review_months: int = Field(3, ge=1, le=60, description="Months between cooperation reviews.")
    knowledge_self: Prob = Field(0.6, description="How well a municipality knows its own interests (seed 003).")
    knowledge_other: Prob = Field(0.4, description="How well it knows its partners' interests (seed 003).")
    misjudgement_sd: NonNeg = Field(0.5, description="Sd of the misjudged fit at zero knowledge [-].")
    initial_trust: Prob = Field(0.6, description="Trust toward partners at start.")
    trust_learning: Prob = Field(0.15, description="Weight of each review's experience in trust.")
    pre_setup_experience: Prob = Field(0.45, description="Experience of a membership still in setup: cost, no benefit.")
    trust_exit_threshold: Prob = Field(0.35, description="Mean trust below which a member considers leaving.")
    energy_recovery: Prob = Field(0.05, description="Monthly recovery of cooperation energy toward 1.")
    setup_energy_factor: NonNeg = Field(2.0, description="Energy drain during setup relative to running (assumption).")
    join_fit_threshold: Prob = Field(
        0.6, description="Perceived fit a partner needs before a municipality joins (assumption)."
    )
    fit_weight: Prob = Field(0.5, description="Weight of partners' fit, against economic benefit, in experience.")
    setup_amortisation_months: float = Field(60.0, gt=0, description="Months over which setup cost is weighed.")
    initial_setup_done_months: int = Field(
        6, ge=0, description="Months of setup the 2015 regional arrangements had done in 2014 (assumption)."
    )
    fatigue_threshold: Prob = Field(0.2, description="Energy below which a member leaves its heaviest arrangement.")
    forms: dict[str, FormParams] = Field(
        default_factory=default_forms,
        description=f"What each form of arrangement costs and gives, by name ({', '.join(JOINT_FORM_NAMES)}).",
    )

    @model_validator(mode="after")
    def _check(self) -> CooperationParams:
        missing = set(JOINT_FORM_NAMES) - set(self.forms)
        extra = set(self.forms) - set(JOINT_FORM_NAMES)
        if missing or extra:
            raise ValueError(
                f"forms must be exactly {', '.join(JOINT_FORM_NAMES)} "
                f"(missing {sorted(missing)}, unknown {sorted(extra)})"
            )
        return self

    def form(self, name_or_form: str | Form) -> FormParams:
        """The parameters of one form (``Form`` or its lower-case name)."""
        key = name_or_form if isinstance(name_or_form, str) else name_or_form.key
        return self.forms[key]


class StanceParams(Group):
    """The municipality's stance: 0 cost control .. 1 cooperative transformation."""

    initial_mean: Prob = Field(0.5, description="Mean initial stance.")
    initial_sd: NonNeg = Field(0.15, description="Spread of initial stance between municipalities.")
    adaptive: bool = Field(
        True,
        description="Whether councils change course during the run (year end and elections). False holds "
        "every municipality's stance at its initial value (a committed strategy): 'which strategy is better' "
        "is asked with false, 'what happens when councils react' with true.",
    )
    deficit_pressure: NonNeg = Field(
        0.5,
        description="Stance drop toward control per unit of yearly deficit share at year end [stance per "
        "deficit share]: uncertain (0-2). Direction sourced (half of municipalities with deficits tighten or "
        "consider tightening access, EenVandaag/Investico survey of 151 municipalities, Jan 2021); magnitude "
        "not found. 0.5 moves a council 0.02-0.1 a year at deficits of 4-19 % (social domain and youth "
        "care 2017, Steiner/Divosa 2018).",
        json_schema_extra={"uncertain": [0.0, 2.0], "scale": False},
    )
    surplus_pull: NonNeg = Field(
        0.5,
        description="Extra move of the stance toward the council's ambition per unit of yearly surplus share "
        "at year end [stance per surplus share], never past the ambition: uncertain (0-2). A surplus removes "
        "budget pressure and lets a council follow its own course; no source, central value mirrors "
        "deficit_pressure.",
        json_schema_extra={"uncertain": [0.0, 2.0], "scale": False},
    )
    reserve_pressure: NonNeg = Field(
        0.5,
        description="Extra drop when reserves are negative, per unit of negative reserves over budget "
        "[stance per reserve share]: uncertain (0-1), no source.",
        json_schema_extra={"uncertain": [0.0, 1.0], "scale": False},
    )
    ambition_pull: Prob = Field(
        0.3,
        description="Yearly pull of the stance back toward the council's ambition [share of the gap/year]: "
        "uncertain (0-0.6); councils' own ambition as a counterweight has no quantitative source.",
        json_schema_extra={"uncertain": [0.0, 0.6], "scale": False},
    )
    results_weight: NonNeg = Field(
        0.5,
        description="Stance shift per unit of relative change of the yearly burden of unmet need against the "
        "region's, at full lean [stance]: a falling burden moves the stance further along its course, a "
        "rising one back: uncertain (0-1.5), no source.",
        json_schema_extra={"uncertain": [0.0, 1.5], "scale": False},
    )


class ElectionParams(Group):
    """Municipal elections: new councils."""

    first_month: int = Field(38, ge=0, description="First election (March 2018 = month 38).")
    interval_months: int = Field(48, ge=1, description="Months between elections.")
    change_prob: Prob = Field(0.5, description="Chance a new council shifts the stance.")
    shift_sd: NonNeg = Field(0.25, description="Sd of that shift.")
    leave_prob: Prob = Field(0.3, description="Chance a new council leaves an arrangement it distrusts fully.")
    exit_cost_reference_eur: float = Field(
        5.0, gt=0, description="Exit cost per inhabitant that halves the will to leave."
    )


class Scenario(Group):
    """A complete, validated scenario: every parameter of one model run."""

    name: str = Field("unnamed", description="Short name of the scenario.")
    description: str = Field("", description="What the scenario represents.")
    run: RunParams = Field(default_factory=RunParams, description=RunParams.__doc__)
    geography: GeographyParams = Field(default_factory=GeographyParams, description=GeographyParams.__doc__)
    budget: BudgetParams = Field(default_factory=BudgetParams, description=BudgetParams.__doc__)
    demand: DemandParams = Field(default_factory=DemandParams, description=DemandParams.__doc__)
    prevention: PreventionParams = Field(default_factory=PreventionParams, description=PreventionParams.__doc__)
    access: AccessParams = Field(default_factory=AccessParams, description=AccessParams.__doc__)
    wijkteam: WijkteamParams = Field(default_factory=WijkteamParams, description=WijkteamParams.__doc__)
    informal: InformalParams = Field(default_factory=InformalParams, description=InformalParams.__doc__)
    integration: IntegrationParams = Field(default_factory=IntegrationParams, description=IntegrationParams.__doc__)
    care: CareParams = Field(default_factory=CareParams, description=CareParams.__doc__)
    escalation: EscalationParams = Field(default_factory=EscalationParams, description=EscalationParams.__doc__)
    providers: ProviderParams = Field(default_factory=ProviderParams, description=ProviderParams.__doc__)
    procurement: ProcurementParams = Field(default_factory=ProcurementParams, description=ProcurementParams.__doc__)
    cooperation: CooperationParams = Field(default_factory=CooperationParams, description=CooperationParams.__doc__)
    stance: StanceParams = Field(default_factory=StanceParams, description=StanceParams.__doc__)
    elections: ElectionParams = Field(default_factory=ElectionParams, description=ElectionParams.__doc__)
    base_dir: str = Field(".", description="Folder of the scenario file (for relative paths); set by the loader.")

    def lever_pairs(self) -> dict[str, LeverPair]:
        """Every lever pair of the scenario by its dotted path (``"access.threshold"``)."""
        out: dict[str, LeverPair] = {}
        for group_name in type(self).model_fields:
            group = getattr(self, group_name)
            if isinstance(group, Group):
                for name in type(group).model_fields:
                    value = getattr(group, name)
                    if isinstance(value, LeverPair):
                        out[f"{group_name}.{name}"] = value
        return out

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """A copy with dotted-path overrides applied and validated, e.g. ``{"stance.initial_mean": 0.9}``."""
        data = self.model_dump()
        for dotted, value in overrides.items():
            try:
                set_dotted(data, dotted, value)
            except KeyError:  # a typo: name it and the closest valid path (ScenarioError and KeyError)
                raise unknown_parameter(dotted, data) from None
        return Scenario.model_validate(data)
