"""Parameters of need and help, the first phases of the month.

Demand, prevention, the front office, wijkteams, informal care, integrated plans, care and
escalation.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ecosim.scenario.base import Group, NonNeg, Prob, per_domain, per_severity
from ecosim.scenario.levers import NonNegPair, ProbPair, RealPair, lever_pair
from ecosim.scenario.uncertainty import uncertain


class DemandParams(Group):
    """Needs arising: incidence, multi-problem households, severity, hidden demand."""

    incidence_per_1000_year: list[NonNeg] = per_domain(
        18.0,
        22.0,
        5.8,
        "New needs per 1,000 inhabitants per year per domain, before prevention (assumption, "
        "chosen so stocks approach about 24, 62, 15.7 clients per 1,000: CBS 2015-2016; participation "
        "10 x 15.7 / 27, the old value scaled to the participation fund's clients).",
    )
    initial_clients_per_1000: list[NonNeg] = per_domain(
        24.0,
        62.0,
        15.7,
        "Clients in care on 1 Jan 2015 per 1,000 inhabitants: youth 400k, Wmo 1.05m (CBS); participation: "
        "the clients the participation fund paid for, re-integration 174k and Wsw 91k (2016, CBS 83747NED), "
        "265k over 16.9 m. Bijstand recipients are the bijstand group (ODD 7.12).",
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
    improve_prob: Prob = uncertain(
        0.10,
        0.05,
        0.35,
        "Monthly chance a wijkteam case resolves [1/month]. No resolve rate was found; CPB 2019 and 2021 find "
        "wijkteams raise referrals and use. Central value: a light case at a provider of quality 1 "
        "(care.improve_prob, 0.10; about 0.075 at mean quality).",
    )
    escalation_multiplier: NonNeg = uncertain(
        0.5,
        0.2,
        1.0,
        "Escalation hazard of a wijkteam case relative to an unmet need of the same severity and months unmet "
        "(escalation.base_prob, unmet_gain, max_prob) [-]; 0.2 is about care at a provider, 1 no help at all. "
        "An escalated case above max_severity is referred to a provider (waiting).",
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
    eur_per_need_met: NonNeg = uncertain(
        250.0,
        0.0,
        1_000.0,
        "Municipal cost of one need met outside formal care, booked once as wijkteam spending (Iv3 task field "
        "'algemene voorzieningen incl. wijkteams'; mantelzorg costs nothing, general services do) "
        "[EUR/need]; no cost per case found.",
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
        209.7,
        "Direct care cost (care staff time and material) of one light client-month per domain [EUR]. "
        "Derived: 2015 funds per client-month (youth EUR 3.8 bn, Wmo 3.5 bn, participation (re-integration "
        "and Wsw) 2.9 bn, CBS 2020 nieuws 41; over the 1 Jan 2015 stocks 24, 62, 15.7 per "
        "1,000 x 16.9 m = 405.6k, 1,047.8k, 265.3k clients: EUR 780.7, 278.4, 910.8 per client-month), "
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
