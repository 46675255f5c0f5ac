"""Scenario: every parameter of the model, typed, validated and loaded from TOML.

Parameters are grouped by mechanism, in the order of the month. Each field has a
default, a unit and a source (a public figure from ``MODEL.md``) or the word
"assumption". Stance-driven levers come in pairs: the value under pure cost control
(stance 0) and under pure cooperative transformation (stance 1); a municipality with
stance s uses the linear mix of the two (:func:`ecosim.model.levers.lever`).

A scenario file may name a base file (``extends = "regional_default.toml"``) and
state only what differs; tables are merged key by key.
"""

from __future__ import annotations

import tomllib
import typing
from enum import IntEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DOMAINS: tuple[str, ...] = ("jeugd", "wmo", "participatie")
"""The three decentralised domains: youth care (Jeugdwet), support (Wmo 2015), work (Participatiewet)."""

SEVERITIES: tuple[str, ...] = ("light", "moderate", "severe", "specialist")
"""Need levels of a citizen, from light support to specialist/residential care."""

Prob = Annotated[float, Field(ge=0.0, le=1.0)]
NonNeg = Annotated[float, Field(ge=0.0)]


class Form(IntEnum):
    """Form of a cooperation arrangement (samenwerkingsverband), light to heavy."""

    NONE = 0
    LIGHT = 1  # light network / coordinated procurement
    SHARED_SERVICE = 2  # shared service organisation
    CENTRUMGEMEENTE = 3  # one municipality executes for the others
    WGR = 4  # formal joint arrangement under the Wet gemeenschappelijke regelingen


FORM_NAMES: dict[str, Form] = {f.name.lower(): f for f in Form}


class Group(BaseModel):
    """Base of every parameter group: unknown keys are errors, values are checked."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False, allow_inf_nan=False)


def _three(j: float, w: float, p: float) -> Any:
    """A per-domain triple (jeugd, wmo, participatie) as a default factory."""
    return Field(default_factory=lambda: [j, w, p], min_length=3, max_length=3)


def _four(a: float, b: float, c: float, d: float) -> Any:
    """A per-severity quadruple (light, moderate, severe, specialist) as a default factory."""
    return Field(default_factory=lambda: [a, b, c, d], min_length=4, max_length=4)


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

    budget_2015_eur: list[NonNeg] = _three(3.8e9, 3.5e9, 2.9e9)
    """National 2015 budget per domain [EUR/year] (CBS 2020 nieuws 41: 10.2 bn)."""
    national_population: float = Field(16_900_000, gt=0, le=1e10, description="Inhabitants of NL in 2015 (CBS).")
    cut_fraction: list[Prob] = _three(0.11, 0.20, 0.15)
    """Structural cut per domain once phased in, as share of the pre-cut budget [-]: youth
    EUR 450 m of about 4.2 bn; Wmo household help -40 % and AWBZ-to-Wmo EUR 1.7 bn; Participatie
    EUR 1.8 bn phased (Divosa factsheet, Trouw). Shares are an assumption from those figures."""
    cut_phase_in: list[Prob] = Field(default_factory=lambda: [0.4, 0.7, 0.9, 1.0], min_length=1)
    """Share of the structural cut applied in 2015, 2016, ...; the last value holds after (assumption)."""
    initial_reserves_months: NonNeg = Field(1.0, description="Reserves at start, in months of budget (assumption).")


class DemandParams(Group):
    """Needs arising: incidence, multi-problem households, severity, hidden demand."""

    incidence_per_1000_year: list[NonNeg] = _three(18.0, 22.0, 10.0)
    """New needs per 1,000 inhabitants per year per domain, before prevention (assumption,
    chosen so stocks approach about 24, 62, 27 clients per 1,000: CBS 2015-2016)."""
    initial_clients_per_1000: list[NonNeg] = _three(24.0, 62.0, 27.0)
    """Clients in care on 1 Jan 2015 per 1,000 inhabitants: youth 400k, Wmo 1.05m, bijstand 450k (CBS)."""
    severity_at_onset: list[Prob] = _four(0.55, 0.28, 0.13, 0.04)
    """Share of new needs per severity level (assumption)."""
    initial_severity: list[Prob] = _four(0.45, 0.30, 0.17, 0.08)
    """Severity mix of the clients in care on 1 Jan 2015 (assumption: stocks hold more severe cases)."""
    multi_problem_share: Prob = Field(0.15, description="Share of new needs spanning two or more domains (assumption).")
    third_domain_prob: Prob = Field(
        0.3, description="Chance a multi-problem household spans all three domains (assumption)."
    )
    hidden_share: Prob = Field(
        0.25, description="Share of new needs that do not present by themselves at first (assumption)."
    )
    hidden_present_prob: list[Prob] = _four(0.04, 0.08, 0.15, 0.30)
    """Monthly chance a hidden need presents by itself, by severity (assumption)."""
    spontaneous_resolution_prob: list[Prob] = _four(0.03, 0.015, 0.005, 0.0)
    """Monthly chance an unmet need resolves without care, by severity (assumption)."""
    leave_prob: Prob = Field(0.003, description="Monthly chance a citizen moves away or dies (assumption).")

    @model_validator(mode="after")
    def _check(self) -> DemandParams:
        for name in ("severity_at_onset", "initial_severity"):
            if abs(sum(getattr(self, name)) - 1.0) > 1e-6:
                raise ValueError(f"{name} must sum to 1")
        return self


class PreventionParams(Group):
    """Prevention: spending now lowers incidence later."""

    spend_eur_per_inhabitant_year: list[NonNeg] = Field(default_factory=lambda: [2.0, 25.0], min_length=2, max_length=2)
    """[cost control, transformation] prevention spending [EUR/inhabitant/year] (assumption)."""
    max_effect: Prob = Field(0.25, description="Largest reduction of incidence from prevention [-] (assumption).")
    half_effect_eur: float = Field(
        15.0, gt=0, description="Spending per inhabitant per year giving half the max effect (assumption)."
    )
    lag_months: int = Field(24, ge=0, le=240, description="Delay before prevention acts [month] (assumption).")
    window_months: int = Field(12, ge=1, le=120, description="Months of past spending averaged for the effect.")


class AccessParams(Group):
    """The front office: assessment, thresholds, checks."""

    threshold: list[float] = Field(default_factory=lambda: [1.3, 0.6], min_length=2, max_length=2)
    """[control, transformation] access threshold on the assessed need scale (light=0.5,
    moderate=1.5, severe=2.5, specialist=3.5 on average); below it a request is refused (assumption)."""
    assessment_noise_sd: NonNeg = Field(0.4, description="Noise of the assessment on that scale (assumption).")
    admin_eur_per_assessment: list[NonNeg] = Field(default_factory=lambda: [600.0, 250.0], min_length=2, max_length=2)
    """[control, transformation] cost of one assessment with its checks [EUR] (assumption)."""
    admin_eur_per_client_month: list[NonNeg] = Field(default_factory=lambda: [25.0, 8.0], min_length=2, max_length=2)
    """[control, transformation] monitoring and accountability per client in care per trajectory
    [EUR/month] (assumption)."""
    assessment_offset: float = Field(
        0.5, description="Mean assessed need of a severity level above its index: light 0.5 .. specialist 3.5."
    )
    represent_prob: Prob = Field(0.08, description="Monthly chance a refused citizen asks again (assumption).")
    represent_after_escalation: Prob = Field(
        0.5, description="Chance a refused citizen asks again in the month it escalated."
    )


class WijkteamParams(Group):
    """Neighbourhood teams: light cases handled close to home, hidden demand found."""

    budget_share: list[Prob] = Field(default_factory=lambda: [0.01, 0.06], min_length=2, max_length=2)
    """[control, transformation] share of the social-domain budget spent on wijkteams (assumption)."""
    eur_per_case_month: float = Field(
        350.0, gt=0, description="Wijkteam cost per case handled [EUR/month] (assumption)."
    )
    max_severity: int = Field(0, ge=0, le=3, description="Highest severity a wijkteam handles itself (0 = light).")
    improve_prob: Prob = Field(0.25, description="Monthly chance a wijkteam case resolves (assumption).")
    find_prob: Prob = Field(
        0.10,
        description="Monthly chance a hidden need is found by a fully staffed wijkteam "
        "(CPB 2020, 2021: wijkteams raise use first).",
    )


class IntegrationParams(Group):
    """One household, one plan: integrated plans for multi-problem households."""

    integrated_share: list[Prob] = Field(default_factory=lambda: [0.0, 0.9], min_length=2, max_length=2)
    """[control, transformation] chance a multi-problem household gets one integrated plan (assumption)."""
    extra_domain_cost: Prob = Field(
        0.5,
        description="Cost of each extra domain in an integrated plan relative to a separate trajectory (assumption).",
    )
    fragmented_fit: Prob = Field(
        0.7, description="Recovery multiplier for separate, uncoordinated trajectories (assumption)."
    )


class CareParams(Group):
    """Care delivery: cost of care by severity, recovery chances."""

    light_cost_eur_month: list[NonNeg] = _three(260.0, 95.0, 175.0)
    """Cost of one light client-month per domain [EUR] (assumption, tuned so 2015 spending meets budget)."""
    severity_cost_multiplier: list[NonNeg] = _four(1.0, 2.0, 4.0, 10.0)
    """Cost relative to light care; specialist/residential care is lumpy (Gostoli & Silverman 2020; assumption)."""
    improve_prob: list[Prob] = _four(0.10, 0.07, 0.05, 0.04)
    """Monthly chance care lowers severity one level (light -> recovered) at quality 1 (assumption)."""
    wait_penalty_per_month: Prob = Field(
        0.03, description="Loss of recovery chance per month waited [1/month] (assumption)."
    )
    min_wait_factor: Prob = Field(0.4, description="Floor of that penalty (assumption).")
    in_care_escalation_prob: Prob = Field(0.004, description="Monthly chance of escalation while in care (assumption).")


class EscalationParams(Group):
    """Unmet need escalates (Gostoli & Silverman 2020)."""

    base_prob: list[Prob] = _four(0.020, 0.015, 0.010, 0.0)
    """Monthly escalation chance of an unmet need, by severity (assumption)."""
    unmet_gain: NonNeg = Field(
        0.10, description="Relative rise of that chance per month of accumulated unmet need (assumption)."
    )
    max_prob: Prob = Field(0.25, description="Cap on the monthly escalation chance.")
    burden_weight: list[NonNeg] = _four(1.0, 2.0, 4.0, 8.0)
    """Weight of a month of unmet need by severity in the burden index (assumption)."""


class ProviderParams(Group):
    """The care market: providers' capacity, cost, quality, reserves, entry and exit."""

    initial_per_domain_per_100k: list[NonNeg] = _three(3.0, 4.0, 2.0)
    """Providers per domain per 100k inhabitants at start (about 120 youth providers in 2014 nationally,
    FTM; scaled up for local ones: assumption)."""
    initial_capacity_margin: NonNeg = Field(
        0.10, description="Spare places above the starting client stock [-] (assumption)."
    )
    cost_sd: NonNeg = Field(
        0.15, description="Log-sd of providers' unit cost around the domain's light cost (assumption)."
    )
    quality_mean: Prob = Field(0.75, description="Mean quality (recovery multiplier) (assumption).")
    quality_sd: NonNeg = Field(0.10, description="Sd of quality (assumption).")
    cost_quality_correlation: Annotated[float, Field(ge=-1.0, le=1.0)] = Field(
        0.0,
        description="Correlation of a provider's log unit cost with its quality [-] (assumption: 0, quality "
        "is free; a positive value makes buying on quality cost more).",
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
    providers_per_tender: list[NonNeg] = Field(default_factory=lambda: [8.0, 3.0], min_length=2, max_length=2)
    """[control, transformation] providers contracted per domain per tender (at least enough to cover demand)."""
    contract_months: list[NonNeg] = Field(default_factory=lambda: [18.0, 60.0], min_length=2, max_length=2)
    """[control, transformation] contract length [month] (assumption)."""
    price_margin: list[Annotated[float, Field(ge=-0.5, le=1.0)]] = Field(
        default_factory=lambda: [0.0, 0.05], min_length=2, max_length=2
    )
    """[control, transformation] price above the provider's unit cost [-]: price competition pays cost,
    trust-based contracts a margin (assumption)."""
    admin_intensity: list[NonNeg] = Field(default_factory=lambda: [1.0, 0.3], min_length=2, max_length=2)
    """[control, transformation] accountability per contract, relative to heavy control (assumption)."""
    contract_admin_eur_month: NonNeg = Field(
        500.0, description="Municipal contract management per contract at intensity 1 [EUR/month] (assumption)."
    )
    coverage: NonNeg = Field(1.1, description="Contracted capacity sought relative to current demand [-].")


class FormParams(Group):
    """What one cooperation form costs and gives."""

    setup_months: int = Field(0, ge=0, le=120, description="Months before any benefit [month].")
    setup_cost_eur_per_inhabitant: NonNeg = 0.0
    overhead_eur_per_inhabitant_year: NonNeg = 0.0
    overhead_eur_per_member_year: NonNeg = 0.0
    decision_months: int = Field(0, ge=0, le=60, description="Delay of a joint tender decision [month].")
    exit_cost_eur_per_inhabitant: NonNeg = 0.0
    scale_discount: Prob = Field(0.0, description="Price discount of joint procurement at full scale [-].")
    scale_reference_population: float = Field(300_000, gt=0, description="Population at which the discount is full.")
    admin_saving: Prob = Field(0.0, description="Share of assessment/contract admin saved by shared overhead [-].")
    risk_pooling: bool = Field(False, description="Specialist care costs pooled by population share.")
    joint_procurement: bool = Field(False, description="The arrangement tenders for its members.")
    energy_per_month: NonNeg = Field(0.0, description="Meeting energy drained per month per membership.")


def _forms() -> dict[str, FormParams]:
    # Setup, overhead, speed and exit cost rise with formality; benefits too (assumption;
    # seed 002: heavy WGR forms are slow and brittle; Allers & de Greef 2018: no net saving).
    return {
        "light": FormParams(
            setup_months=3,
            setup_cost_eur_per_inhabitant=0.5,
            overhead_eur_per_inhabitant_year=1.0,
            overhead_eur_per_member_year=20_000,
            decision_months=1,
            exit_cost_eur_per_inhabitant=0.2,
            scale_discount=0.03,
            admin_saving=0.05,
            joint_procurement=True,
            energy_per_month=0.01,
        ),
        "shared_service": FormParams(
            setup_months=12,
            setup_cost_eur_per_inhabitant=4.0,
            overhead_eur_per_inhabitant_year=3.0,
            overhead_eur_per_member_year=40_000,
            decision_months=3,
            exit_cost_eur_per_inhabitant=3.0,
            scale_discount=0.04,
            admin_saving=0.25,
            joint_procurement=True,
            energy_per_month=0.015,
        ),
        "centrumgemeente": FormParams(
            setup_months=6,
            setup_cost_eur_per_inhabitant=2.0,
            overhead_eur_per_inhabitant_year=2.0,
            overhead_eur_per_member_year=30_000,
            decision_months=2,
            exit_cost_eur_per_inhabitant=2.0,
            scale_discount=0.06,
            admin_saving=0.15,
            risk_pooling=True,
            joint_procurement=True,
            energy_per_month=0.015,
        ),
        "wgr": FormParams(
            setup_months=18,
            setup_cost_eur_per_inhabitant=8.0,
            overhead_eur_per_inhabitant_year=5.0,
            overhead_eur_per_member_year=60_000,
            decision_months=6,
            exit_cost_eur_per_inhabitant=10.0,
            scale_discount=0.08,
            admin_saving=0.20,
            risk_pooling=True,
            joint_procurement=True,
            energy_per_month=0.02,
        ),
    }


class CooperationParams(Group):
    """Inter-municipal cooperation: forming, trust, fatigue, exit."""

    initial_form: Literal["none", "light", "shared_service", "centrumgemeente", "wgr"] = Field(
        "light", description="Form of the arrangement each youth-care region starts with in 2015."
    )
    preferred_form: Literal["none", "light", "shared_service", "centrumgemeente", "wgr"] = Field(
        "light", description="Form municipalities propose when they form or join an arrangement."
    )
    propensity: list[Prob] = Field(default_factory=lambda: [0.05, 0.3], min_length=2, max_length=2)
    """[control, transformation] chance per review that a municipality outside an arrangement explores one."""
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
    forms: dict[str, FormParams] = Field(default_factory=_forms)

    @model_validator(mode="after")
    def _check(self) -> CooperationParams:
        missing = {"light", "shared_service", "centrumgemeente", "wgr"} - set(self.forms)
        extra = set(self.forms) - {"light", "shared_service", "centrumgemeente", "wgr"}
        if missing or extra:
            raise ValueError(
                f"forms must be exactly light, shared_service, centrumgemeente, wgr "
                f"(missing {sorted(missing)}, unknown {sorted(extra)})"
            )
        return self

    def form(self, name_or_form: str | Form) -> FormParams:
        """The parameters of one form (``Form`` or its lower-case name)."""
        key = name_or_form if isinstance(name_or_form, str) else name_or_form.name.lower()
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
    run: RunParams = Field(default_factory=RunParams)
    geography: GeographyParams = Field(default_factory=GeographyParams)
    budget: BudgetParams = Field(default_factory=BudgetParams)
    demand: DemandParams = Field(default_factory=DemandParams)
    prevention: PreventionParams = Field(default_factory=PreventionParams)
    access: AccessParams = Field(default_factory=AccessParams)
    wijkteam: WijkteamParams = Field(default_factory=WijkteamParams)
    integration: IntegrationParams = Field(default_factory=IntegrationParams)
    care: CareParams = Field(default_factory=CareParams)
    escalation: EscalationParams = Field(default_factory=EscalationParams)
    providers: ProviderParams = Field(default_factory=ProviderParams)
    procurement: ProcurementParams = Field(default_factory=ProcurementParams)
    cooperation: CooperationParams = Field(default_factory=CooperationParams)
    stance: StanceParams = Field(default_factory=StanceParams)
    elections: ElectionParams = Field(default_factory=ElectionParams)
    base_dir: str = Field(".", description="Folder of the scenario file (for relative paths); set by the loader.")

    def with_overrides(self, overrides: dict[str, Any]) -> Scenario:
        """A copy with dotted-path overrides applied and validated, e.g. ``{"stance.initial_mean": 0.9}``."""
        data = self.model_dump()
        for dotted, value in overrides.items():
            set_dotted(data, dotted, value)
        return Scenario.model_validate(data)


class ScenarioError(ValueError):
    """A scenario file that cannot be used; the message names file, key and what is allowed."""


def _child(node: Any, key: str, dotted: str) -> tuple[Any, str | int]:
    """The child of ``node`` at one path component: a table key, or a list index (``"1"``)."""
    if isinstance(node, dict) and key in node:
        return node[key], key
    if isinstance(node, list) and key.isdigit() and int(key) < len(node):
        return node[int(key)], int(key)
    raise KeyError(dotted)


def get_dotted(data: dict[str, Any], dotted: str) -> Any:
    """``data["a"]["b"]`` for ``dotted = "a.b"``; unknown paths raise ``KeyError``.

    A whole-number component indexes a list: ``"access.threshold.1"`` is the second
    element of ``access.threshold`` (the transformation value of a lever pair).
    """
    node: Any = data
    for key in dotted.split("."):
        node, _ = _child(node, key, dotted)
    return node


def parameter_value(data: dict[str, Any], dotted: str) -> Any:
    """The value of the one parameter at ``dotted`` (see :func:`get_dotted`).

    Raises:
        ValueError: saying why ``dotted`` is not one parameter (unknown, or a whole table).
    """
    try:
        current = get_dotted(data, dotted)
    except KeyError:
        raise ValueError(f"'{dotted}' is not a scenario parameter") from None
    if isinstance(current, dict):
        raise ValueError(f"'{dotted}' is a table of parameters, not one parameter")
    return current


def set_dotted(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``data["a"]["b"] = value`` for ``dotted = "a.b"`` (list indices as in :func:`get_dotted`).

    Unknown paths raise ``KeyError``.
    """
    *parents, last = dotted.split(".")
    node: Any = data
    for key in parents:
        node, _ = _child(node, key, dotted)
    _, where = _child(node, last, dotted)
    node[where] = value


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def read_toml(path: Path, kind: str, error: type[ValueError]) -> dict[str, Any]:
    """Read a TOML file, raising ``error`` with the path when it is missing, unreadable or malformed."""
    if not path.is_file():
        raise error(f"{path}: no such {kind} file")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise error(f"{path}: not a UTF-8 text file ({exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise error(f"{path}: not usable TOML: tables or arrays nested too deeply") from None
    except OSError as exc:
        raise error(f"{path}: cannot read the {kind} file ({exc.strerror or exc})") from None


MAX_EXTENDS = 50
"""Longest chain of ``extends`` (a file, its base, the base's base, ...)."""


def _read_toml(path: Path) -> dict[str, Any]:
    """Read a scenario TOML, following ``extends`` to its base files (at most :data:`MAX_EXTENDS` deep)."""
    chain: list[Path] = []
    layers: list[dict[str, Any]] = []
    current, referrer = path.resolve(), None
    while True:
        if current in chain:
            names = " -> ".join(p.name for p in (*chain, current))
            raise ScenarioError(f"{chain[-1]}: 'extends' loops back to a file already in the chain ({names})")
        if len(chain) >= MAX_EXTENDS:
            raise ScenarioError(f"{path}: the 'extends' chain is longer than {MAX_EXTENDS} files (at {current})")
        try:
            data = read_toml(current, "scenario", ScenarioError)
        except ScenarioError as exc:
            if referrer is None:
                raise
            raise ScenarioError(f"{referrer}: key 'extends': base scenario {exc}") from None
        chain.append(current)
        layers.append(data)
        base = data.pop("extends", None)
        if base is None:
            break
        if not isinstance(base, str):
            raise ScenarioError(f"{current}: key 'extends' must be a file name (string), got {base!r}")
        referrer, current = current, (current.parent / base).resolve()
    merged: dict[str, Any] = {}
    for layer in reversed(layers):  # the deepest base first, each file over it
        merged = _merge(merged, layer)
    return merged


def format_errors(
    source: str, exc: ValidationError, root: type[BaseModel] | None = None, what: str = "scenario"
) -> str:
    """Turn pydantic errors into lines naming the file, the key and what is allowed.

    ``root`` is the model the file was validated against (the scenario by default); an
    unknown key is answered with the keys allowed at that place of ``root``.
    """
    root = root or Scenario
    lines = [f"{source}: {len(exc.errors())} problem(s) in the {what}"]
    for err in exc.errors():
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        if err["type"] == "extra_forbidden":
            msg = f"unknown key; allowed here: {', '.join(allowed_keys(root, err['loc'][:-1]))}"
        else:
            msg = err["msg"]
            if "input" in err and not isinstance(err["input"], dict):
                msg += f" (got {err['input']!r})"
        lines.append(f"  {key}: {msg}")
    return "\n".join(lines)


def allowed_keys(root: type[BaseModel], loc: tuple[Any, ...] | list[Any]) -> list[str]:
    """Keys a file may hold at ``loc`` inside ``root``: walks nested models, lists and named tables."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):  # an element of a list of tables: same model
            continue
        field = model.model_fields.get(part) if isinstance(model, type) and issubclass(model, BaseModel) else None
        if field is None:
            # A named table of models (e.g. cooperation.forms.<name>): the key names an entry.
            continue
        model = _inner_model(field.annotation)
        if model is None:
            return []
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return []
    return sorted(k for k in model.model_fields if k != "base_dir")


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation such as ``M``, ``dict[str, M]``, ``list[M]``, ``M | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def load_declared[M: BaseModel](path: Path, model: type[M], what: str, error: type[ValueError]) -> M:
    """Read and validate a declarative TOML file (experiment, calibration) against ``model``.

    Relative paths in the file are relative to its folder (``base_dir``). Problems raise
    ``error`` naming the file, each key and what is allowed there.
    """
    data = read_toml(path, what, error)
    data["base_dir"] = str(path.resolve().parent)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(format_errors(str(path), exc, model, what)) from None


def load_scenario(path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load, merge (``extends``) and validate a scenario TOML file.

    Raises:
        ScenarioError: with a message naming the file, each bad key and what is allowed.
    """
    path = Path(path)
    data = _read_toml(path)
    data["base_dir"] = str(path.resolve().parent)
    elements: dict[str, Any] = {}
    for dotted, value in (overrides or {}).items():
        try:
            set_dotted(data, dotted, value)
        except KeyError:
            *parents, last = dotted.split(".")
            if any(k.isdigit() for k in dotted.split(".")):
                elements[dotted] = value  # an element of a list the file leaves at its default
                continue
            # Missing intermediate tables are fine in files; create them for overrides.
            node = data
            for key in parents:
                node = node.setdefault(key, {})
            node[last] = value
    try:
        scenario = Scenario.model_validate(data)
        scenario = scenario.with_overrides(elements) if elements else scenario
    except KeyError as exc:
        raise ScenarioError(f"{path}: override {exc}: not a scenario parameter") from None
    except ValidationError as exc:
        raise ScenarioError(format_errors(str(path), exc)) from None
    from ecosim.checks import check_runnable  # the checks a run would otherwise make first

    check_runnable(scenario, path)
    return scenario
