"""Scenario: every parameter of the model, typed, validated and documented.

Parameters are grouped by mechanism, in the order of the month. Each field has a
default, and a description with its unit and source (a public figure from ``MODEL.md``)
or the word "assumption". Stance-driven levers are lever pairs
(:class:`ecosim.scenario.levers.LeverPair`): the value under pure cost control (stance 0)
and under pure cooperative transformation (stance 1); a municipality with stance s uses
the linear mix of the two (:func:`ecosim.model.levers.lever`).

The groups of need and help are in :mod:`ecosim.scenario.need`, the care market in
:mod:`ecosim.scenario.market`, cooperation, stance and elections in
:mod:`ecosim.scenario.council`, civil-service capacity in :mod:`ecosim.scenario.capacity`.
Reading files (``extends``, overrides, error messages) is in :mod:`ecosim.scenario.loading`; the
cooperation forms are in :mod:`ecosim.scenario.forms`.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, model_validator

from ecosim.scenario.base import Group, NonNeg, Prob, per_domain
from ecosim.scenario.bijstand import BijstandParams
from ecosim.scenario.capacity import CapacityParams
from ecosim.scenario.council import CooperationParams, ElectionParams, StanceParams
from ecosim.scenario.entry import EntryParams
from ecosim.scenario.heterogeneity import AllocationParams, HeterogeneityParams
from ecosim.scenario.indication import IndicationParams
from ecosim.scenario.levers import LeverPair
from ecosim.scenario.market import ProcurementParams, ProviderParams
from ecosim.scenario.need import (
    AccessParams,
    CareParams,
    DemandParams,
    EscalationParams,
    InformalParams,
    IntegrationParams,
    PreventionParams,
    WijkteamParams,
)
from ecosim.scenario.partners import PartnerParams, TrustParams
from ecosim.scenario.paths import set_dotted, unknown_parameter


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
    """The map: synthetic Netherlands-like, the real Netherlands of 2016, or a user's CSV."""

    source: Literal["synthetic", "real", "csv"] = Field(
        "synthetic",
        description="Where municipalities come from: a synthetic map, the real map of 1 January 2016 "
        "(390 municipalities, 42 youth-care regions; CBS, data/README.md) or a CSV.",
    )
    region: str | list[str] | None = Field(
        None,
        description="With source = 'real': the youth-care region(s) to simulate, by name or code "
        "('Amsterdam-Amstelland' or 'JZ13'); none = the whole country.",
    )
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
        if self.region is not None and self.source != "real":
            raise ValueError("region selects youth-care regions of the real map: it needs source = 'real'")
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


class Scenario(Group):
    """A complete, validated scenario: every parameter of one model run."""

    name: str = Field("unnamed", description="Short name of the scenario.")
    description: str = Field("", description="What the scenario represents.")
    run: RunParams = Field(default_factory=RunParams, description=RunParams.__doc__)
    geography: GeographyParams = Field(default_factory=GeographyParams, description=GeographyParams.__doc__)
    budget: BudgetParams = Field(default_factory=BudgetParams, description=BudgetParams.__doc__)
    allocation: AllocationParams = Field(default_factory=AllocationParams, description=AllocationParams.__doc__)
    heterogeneity: HeterogeneityParams = Field(
        default_factory=HeterogeneityParams, description=HeterogeneityParams.__doc__
    )
    demand: DemandParams = Field(default_factory=DemandParams, description=DemandParams.__doc__)
    prevention: PreventionParams = Field(default_factory=PreventionParams, description=PreventionParams.__doc__)
    access: AccessParams = Field(default_factory=AccessParams, description=AccessParams.__doc__)
    wijkteam: WijkteamParams = Field(default_factory=WijkteamParams, description=WijkteamParams.__doc__)
    informal: InformalParams = Field(default_factory=InformalParams, description=InformalParams.__doc__)
    integration: IntegrationParams = Field(default_factory=IntegrationParams, description=IntegrationParams.__doc__)
    care: CareParams = Field(default_factory=CareParams, description=CareParams.__doc__)
    indication: IndicationParams = Field(default_factory=IndicationParams, description=IndicationParams.__doc__)
    escalation: EscalationParams = Field(default_factory=EscalationParams, description=EscalationParams.__doc__)
    providers: ProviderParams = Field(default_factory=ProviderParams, description=ProviderParams.__doc__)
    procurement: ProcurementParams = Field(default_factory=ProcurementParams, description=ProcurementParams.__doc__)
    entry: EntryParams = Field(default_factory=EntryParams, description=EntryParams.__doc__)
    cooperation: CooperationParams = Field(default_factory=CooperationParams, description=CooperationParams.__doc__)
    stance: StanceParams = Field(default_factory=StanceParams, description=StanceParams.__doc__)
    elections: ElectionParams = Field(default_factory=ElectionParams, description=ElectionParams.__doc__)
    bijstand: BijstandParams = Field(default_factory=BijstandParams, description=BijstandParams.__doc__)
    capacity: CapacityParams = Field(default_factory=CapacityParams, description=CapacityParams.__doc__)
    partners: PartnerParams = Field(default_factory=PartnerParams, description=PartnerParams.__doc__)
    trust: TrustParams = Field(default_factory=TrustParams, description=TrustParams.__doc__)
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
