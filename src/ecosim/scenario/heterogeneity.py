"""Parameters of municipalities that differ: their characteristics, their need, their budget share.

Two groups (issue 13, items 1 and 2):

- :class:`HeterogeneityParams` (``heterogeneity``): each municipality's urbanity, deprivation
  and age structure, drawn correlated with its size on the synthetic map (or read from the
  map's attributes where a real map has them), and how they raise or lower need per domain;
- :class:`AllocationParams` (``allocation``): how the national budget per domain was split
  between municipalities: historically in 2015, then by objective distribution models
  (verdeelmodellen) with an error, phased in from 2016.

Characteristics are log deviations from the national value (``ln(value / national)``), so an
elasticity of 1 means need per inhabitant proportional to the characteristic. The model
reads them in :mod:`ecosim.model.heterogeneity`; the figures behind the defaults are in
docs/SOURCES.md (section 14) and docs/ODD.md (7.11).
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ecosim.scenario.base import Group, NonNeg
from ecosim.scenario.uncertainty import uncertain


class HeterogeneityParams(Group):
    """Municipal characteristics (urbanity, deprivation, age) and how they shape need per domain."""

    urbanity_size_corr: float = uncertain(
        0.9,
        0.6,
        0.97,
        "Synthetic map: correlation of a municipality's urbanity (standard score of log address or population "
        "density) with its log population [-]. Direction: the largest municipalities are the most urban (CBS "
        "stedelijkheid: the four largest cities are all 'zeer sterk stedelijk'); the strength is an assumption.",
        ge=-1.0,
        le=1.0,
    )
    deprivation_urbanity_corr: float = uncertain(
        0.9,
        0.6,
        0.97,
        "Synthetic map (and a real map without a deprivation indicator): correlation of deprivation with "
        "urbanity [-]. Set with deprivation_log_sd and urbanity_size_corr toward Rotterdam's benefit density of "
        "68 against 27 per 1,000 nationally (CBS, mid-2020): the second-largest municipality of the national "
        "map gets 1.9 times the national participation need (median of 40 maps; 10-90 %: 1.5-2.6). SCP 2017: in "
        "the big cities the high use of the social domain is mainly bijstand.",
        ge=-1.0,
        le=1.0,
    )
    deprivation_log_sd: NonNeg = uncertain(
        0.5,
        0.3,
        0.65,
        "Synthetic map: sd across municipalities of ln(benefit density / national), the deprivation "
        "characteristic [-]. No dispersion figure per municipality was found; with deprivation_urbanity_corr "
        "it puts the second-largest municipality near Rotterdam's 2.5 times the national density.",
    )
    young_size_corr: float = uncertain(
        -0.2,
        -0.5,
        0.1,
        "Synthetic map: correlation of ln(share of inhabitants aged 0-17 / national) with log population [-] "
        "(assumption: cities have slightly fewer children per inhabitant).",
        ge=-1.0,
        le=1.0,
    )
    young_log_sd: NonNeg = uncertain(
        0.08,
        0.04,
        0.15,
        "Synthetic map: sd across municipalities of ln(share aged 0-17 / national) [-] (assumption).",
    )
    old_size_corr: float = uncertain(
        -0.4,
        -0.7,
        0.0,
        "Synthetic map: correlation of ln(share of inhabitants aged 65+ / national) with log population [-] "
        "(assumption: cities are younger, the periphery older).",
        ge=-1.0,
        le=1.0,
    )
    old_log_sd: NonNeg = uncertain(
        0.18,
        0.1,
        0.3,
        "Synthetic map: sd across municipalities of ln(share aged 65+ / national) [-] (assumption).",
    )
    youth_deprivation_elasticity: NonNeg = uncertain(
        0.3,
        0.0,
        0.6,
        "Elasticity of youth-care need per young person to benefit density [-]. The objective youth model leans "
        "heavily on socio-economic factors (Rfv 2015 advice on the youth model); SCP 2017: low income and "
        "one-parent families raise youth-care use. With residual_sd it is set so the share of young people with "
        "youth care differs between the 42 regions from about 8 % to 12.5 % (CBS StatLine 84134NED).",
    )
    wmo_deprivation_elasticity: NonNeg = uncertain(
        0.4,
        0.0,
        0.8,
        "Elasticity of Wmo need per inhabitant to benefit density [-]. Direction: large cities have more Wmo "
        "clients per inhabitant although they are younger (issue 13; SCP 2017: low income is a risk factor); "
        "size assumption.",
    )
    wmo_old_share: float = uncertain(
        0.65,
        0.4,
        0.9,
        "Share of Wmo need that scales with the share of inhabitants aged 65+ [-]; the rest scales with "
        "population. 37 % of Wmo support goes to people aged 80+ (SCP Overall rapportage sociaal domein 2016, via "
        "Volkskrant); the 65+ share is an assumption.",
        ge=0.0,
        le=1.0,
    )
    residual_sd: list[NonNeg] = uncertain(
        [0.15, 0.15, 0.1],
        0.0,
        2.0,
        "Per domain: sd of ln need per inhabitant that the characteristics leave unexplained [-]. SCP (2017, "
        "2020): risk characteristics explain a large part of the differences in use between municipalities, "
        "not all. The youth value is set with youth_deprivation_elasticity to the 8-12.5 % regional range "
        "(CBS 84134NED); Wmo and participation are assumptions (participation need is mainly benefit density, "
        "so little is left over).",
        scale=True,
    )
    severity_deprivation: NonNeg = uncertain(
        0.1,
        0.0,
        0.3,
        "Tilt of the severity mix toward severe needs per unit of ln(benefit density / national): a level's "
        "share is multiplied by exp(tilt x deprivation x (level - mean level)) and renormalised [-]. Direction: "
        "low income is a risk factor (SCP 2020); size assumption.",
    )


class AllocationParams(Group):
    """How the national budget per domain is split between municipalities: history, then verdeelmodellen."""

    redistribution_sd: list[NonNeg] = uncertain(
        [0.17, 0.24, 0.1],
        0.5,
        1.5,
        "Per domain: sd across municipalities of ln(objective budget share / historic 2015 share) [-]. Youth: "
        "fitted to Binnenlands Bestuur (2 July 2015, meicirculaire 2015): against a macro cut of 7.1 %, 65 of 393 "
        "municipalities lose more than 20 % and 33 gain more than 20 % (extremes -42 % and +105 %). Wmo: the "
        "objective Wmo model moved budgets by -58 % to +75 % (Binnenlands Bestuur, Sept 2015, via SPHV), about "
        "+-3 sd over 393. Participation: assumption (re-integration money was already split by an objective "
        "model before 2015).",
        scale=True,
    )
    objective_error_share: float = uncertain(
        0.5,
        0.0,
        1.0,
        "Share of the redistribution's variance that is the objective model's error against true need; the "
        "rest is the historic 2015 budget's deviation from it [-]. 0: the objective model allocates by true "
        "need. Not found: SCP finds differences in use that risk characteristics do not explain, and Rfv (2015) "
        "called the youth model a 'necessary intermediate step' with uncertainties.",
        ge=0.0,
        le=1.0,
    )
    first_year: int = Field(
        2016,
        ge=2015,
        le=2100,
        description="First year budgets move toward the objective models (Binnenlands Bestuur 2 July 2015: "
        "gradual introduction from 2016; AEF 2014: the objective Wmo model from 2016).",
    )
    complete_year: int = Field(
        2019,
        ge=2015,
        le=2100,
        description="Year the objective models are fully phased in (Binnenlands Bestuur 2 July 2015: the "
        "introduction of the objective youth model is complete in 2019).",
    )
    first_year_share: float = uncertain(
        0.8,
        0.5,
        1.0,
        "Share of the move from the historic to the objective budget made in first_year; the rest follows "
        "linearly to complete_year [-]. Binnenlands Bestuur (2 July 2015): 'the structural gains and losses hold "
        "for the great majority already in 2016'; the value is an assumption.",
        ge=0.0,
        le=1.0,
    )

    @model_validator(mode="after")
    def _check(self) -> AllocationParams:
        if self.complete_year < self.first_year:
            raise ValueError("complete_year must not be before first_year")
        return self


__all__ = ["AllocationParams", "HeterogeneityParams"]
