"""Parameters of organisational capacity: the civil servants a municipality has for the social domain.

Capacity is counted in FTE; a month of one FTE is one FTE-month. Each month the
municipality's own work asks for FTE-months: assessments, monitoring of clients and its
own policy load (``admin``), contract management and tender preparation
(``procurement``), and meetings of its cooperation arrangements (``cooperation``). When the
work asks for more than the capacity, part of the shortfall is hired at a premium and the
rest is not done: assessments wait, monitoring thins (more overbilling), tenders choose
with less care, and overload tires the municipality for cooperation (its energy drains
faster). Capacity grows with population as ``a * population ** b``; with ``b < 1`` a small
municipality has more FTE per inhabitant, but the fixed part of the work (policy per
domain, a tender per domain, meetings per membership) weighs more on it. See docs/ODD.md 7.13.
"""

from __future__ import annotations

from pydantic import Field

from ecosim.scenario.base import Group, NonNeg, Prob
from ecosim.scenario.uncertainty import uncertain


class CapacityParams(Group):
    """Civil-service capacity for the social domain, what asks for it, and what gives when it falls short."""

    binding: bool = Field(
        True,
        description="Whether capacity binds. False measures capacity use but never acts on it (no delay, no "
        "thinner monitoring, no noisier tenders, no extra fatigue, no hiring): the model without capacity.",
    )
    fte_per_1000: NonNeg = uncertain(
        1.0,
        0.6,
        1.4,
        "Social-domain staff for assessment, monitoring, contract management, policy and cooperation of a "
        "municipality of reference_population, per 1,000 inhabitants [FTE/1,000 inhabitants]. Set against the "
        "work the model books, not counted: baseline_2015 books about EUR 80 of admin per inhabitant a year "
        "(0.95 FTE per 1,000 at eur_per_fte_month), and at 1.0 the share of municipalities short of staff runs "
        "from 15 % (2015) to 69 % (2019), around the 44 % of 68 municipalities that reported too few staff for "
        "their social-domain tasks in 2023 (Divosa). At ODD defaults (half baseline_2015's Wmo incidence) a "
        "municipality of 42,000 uses about two thirds of it. A count of civil servants would be lower: the "
        "municipal share of coordination costs is 3-8 % of Wmo and youth funds (Berenschot 2019), 0.2-0.6 FTE "
        "per 1,000, below the admin the model books (docs/SOURCES.md 17).",
    )
    reference_population: float = Field(
        42_000, gt=0, description="Population at which fte_per_1000 holds (about the mean municipality, CBS 2013)."
    )
    size_elasticity: float = uncertain(
        1.0,
        0.7,
        1.2,
        "Exponent b of capacity = a * population ** b [-]. The sources point both ways, so the default is the "
        "proportional 1 and the range holds both: below 1 (issue 13's premise; the lower arm of the U-shaped cost "
        "of municipal administration: optimal scale about 66,000 inhabitants, ESB 2015; 25,000-75,000, "
        "Berenschot 2002) and above 1 (whole municipal organisations: Berenschot 2014, 6.7 FTE per 1,000 under "
        "15,000 inhabitants, 8.8 over 100,000, about b = 1.1); no social-domain figure by size class was found "
        "(docs/SOURCES.md 17). Fixed work (policy per domain, a tender per domain) makes small municipalities "
        "shorter at b = 1.",
        ge=0.0,
        le=2.0,
    )
    eur_per_fte_month: float = uncertain(
        7_000.0,
        6_000.0,
        9_000.0,
        "Cost of one FTE-month of municipal staff [EUR/FTE-month]: converts the admin the ledger books into FTE. "
        "Derived from the mandatory BBV indicators, apparaatskosten per inhabitant over FTE per 1,000 "
        "inhabitants: Heusden 2018 EUR 83k, Apeldoorn 2015 87k, Tilburg 2015 93k a year (docs/SOURCES.md 17).",
        gt=0.0,
    )
    policy_fte_per_domain: NonNeg = uncertain(
        0.5,
        0.0,
        1.5,
        "Own policy, regulation, council information and accountability per domain, the same whatever the "
        "municipality's size [FTE]: the fixed part of municipal work behind the U-shaped cost of administration "
        "(ESB 2015; Berenschot 2002). No per-domain figure was found.",
    )
    tender_fte_months: NonNeg = uncertain(
        3.0,
        1.0,
        8.0,
        "Work of preparing and running one tender (one buyer, one domain) [FTE-month], spread over "
        "tender_prep_months; a joint tender's work is shared by the members by population, less the form's "
        "admin saving. No figure was found.",
    )
    tender_prep_months: int = Field(
        6, ge=1, le=24, description="Months before a tender over which its work falls (assumption) [month]."
    )
    hours_per_fte_month: float = Field(
        156.0,
        gt=0,
        description="Working hours of one FTE-month [hours/FTE-month]: 36 hours a week (CAO Gemeenten) x 52 / 12; "
        "converts the meeting hours of memberships (cooperation forms' hours_per_member_month) into FTE-months.",
    )
    assessment_delay: Prob = uncertain(
        0.5,
        0.0,
        1.0,
        "Share of the capacity shortfall that delays assessments [-]: a presenting citizen waits a month for "
        "assessment with chance assessment_delay * (1 - coverage). Direction: municipalities report too few staff "
        "to do their social-domain tasks properly (Divosa 2023: 44 % of 68); no rate was found.",
    )
    monitoring_loss: Prob = uncertain(
        0.5,
        0.0,
        1.0,
        "Share of the capacity shortfall by which the checks of a client's contract thin [-]: overbilling "
        "reads the contract's accountability intensity times 1 - monitoring_loss * (1 - coverage). No source.",
    )
    tender_noise_sd: NonNeg = uncertain(
        0.5,
        0.0,
        1.5,
        "Sd of the noise added to a tender's scores at zero coverage, in standard deviations of the providers' "
        "scores [-], times 1 - coverage: an overloaded buyer chooses less well. No source.",
    )
    fatigue_gain: NonNeg = uncertain(
        1.0,
        0.0,
        3.0,
        "Extra cooperation energy drain per unit of shortfall [-]: a membership drains energy_per_month times "
        "1 + fatigue_gain * (1 - coverage). Direction from the seed articles (cooperation costs energy); no "
        "figure.",
    )
    hire_share: Prob = uncertain(
        0.5,
        0.0,
        1.0,
        "Share of a month's capacity shortfall filled by external hire (externe inhuur) [-]. Municipalities hire "
        "about 5-30 % of their wage bill externally (BBV indicators: Heusden 5.5-13 %, Apeldoorn 15.5-17 %, "
        "Almelo 14-16 %, Amersfoort 21-30 %); how much of a shortfall is hired was not found.",
    )
    hire_premium: NonNeg = uncertain(
        0.5,
        0.2,
        1.0,
        "Extra cost of a hired FTE-month over an own one, as a share of eur_per_fte_month [-]; the work itself "
        "is already booked at own-staff rates. Hire is dearer (Divosa 2023: 'dure inhuur'); no figure.",
    )
