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
    mean_population: float = Field(42_000, gt=0, description="Mean inhabitants (about 41k in 2013, CBS).")
    population_sigma: float = Field(
        0.77, ge=0, le=3, description="Log-space sd of population (fitted to CBS size classes)."
    )
    min_population: int = Field(1_000, ge=1, description="Smallest municipality [inhabitants] (assumption).")
    area_km2: float = Field(1_000, gt=0, description="Area of the synthetic map [km2] (NL about 41,500).")
    small_share: Prob = Field(1 / 3, description="Bottom population share called 'small' for the small-large gap.")

    @model_validator(mode="after")
    def _check(self) -> GeographyParams:
        if self.source == "csv" and not self.csv_path:
            raise ValueError("source = 'csv' needs csv_path")
        if self.source == "synthetic" and self.n_regions > self.n_municipalities:
            raise ValueError("n_regions cannot exceed n_municipalities")
        return self


class BudgetParams(Group):
    """Money from the state: the 2015 integration payment and the cut schedule."""

    budget_2015_eur: list[NonNeg] = per_domain(
        3.8e9, 3.5e9, 2.9e9, "National 2015 budget per domain [EUR/year] (CBS 2020 nieuws 41: 10.2 bn)."
    )
    national_population: float = Field(16_900_000, gt=0, description="Inhabitants of NL in 2015 (CBS).")
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
    improve_prob: Prob = Field(0.25, description="Monthly chance a wijkteam case resolves (assumption).")
    find_prob: Prob = uncertain(
        0.10,
        0.05,
        0.3,
        "Monthly chance a hidden need is found by a fully staffed wijkteam. Direction sourced: wijkteams raise "
        "use (CPB 2019: Wmo clients +38 % with wijkteams against +26 %; CPB 2021: +23 % to +40 % youth-care "
        "use with active teams; docs/SOURCES.md 3); the monthly rate is not.",
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
        260.0,
        95.0,
        175.0,
        "Cost of one light client-month per domain [EUR] (assumption, tuned so 2015 spending meets budget).",
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
    fixed_cost_share: Prob = Field(0.3, description="Share of cost paid per place whether used or not (assumption).")
    initial_reserves_months: NonNeg = Field(3.0, description="Reserves at start, in months of cost (assumption).")
    growth_rate: Prob = Field(0.02, description="Monthly capacity growth when full and solvent (assumption).")
    shrink_rate: Prob = Field(0.02, description="Monthly capacity shrink when under-used (assumption).")
    full_occupancy: Prob = Field(0.95, description="Occupancy above which a provider grows.")
    low_occupancy: Prob = Field(0.70, description="Occupancy below which a provider shrinks.")
    entry_rate: NonNeg = Field(
        0.5,
        description="Expected entrants per domain per month when a whole capacity's worth waits "
        "(assumption; 120 -> 6,000 youth providers, FTM).",
    )
    entrant_capacity: NonNeg = Field(30.0, description="Places of a new entrant [clients] (assumption).")
    admin_load_per_contract: Prob = Field(
        0.03, description="Share of care time eaten by one contract at full accountability (CBS: 38 % admin time)."
    )
    max_admin_burden: Prob = Field(0.6, description="Cap on the share of care time lost to administration.")


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
        "Stance pair (control, transformation): price above the provider's unit cost [-]. Sector net margins "
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
        500.0, description="Municipal contract management per contract at intensity 1 [EUR/month] (assumption)."
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
    deficit_pressure: NonNeg = Field(1.5, description="Stance drop per unit of yearly deficit share at year end.")
    reserve_pressure: NonNeg = Field(
        0.5, description="Extra drop when reserves are negative, per unit of negative reserves over budget."
    )
    ambition_pull: Prob = Field(0.3, description="Yearly pull of the stance back toward the council's ambition.")


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
