"""Cooperation forms: the ``Form`` enum, the names derived from it, and what each form costs and gives."""

from __future__ import annotations

from enum import IntEnum
from typing import Literal

from pydantic import Field

from ecosim.scenario.base import Group, NonNeg, Prob


class Form(IntEnum):
    """Form of a cooperation arrangement (samenwerkingsverband), light to heavy."""

    NONE = 0
    LIGHT = 1  # light network / coordinated procurement
    SHARED_SERVICE = 2  # shared service organisation
    CENTRUMGEMEENTE = 3  # one municipality executes for the others
    WGR = 4  # formal joint arrangement under the Wet gemeenschappelijke regelingen

    @property
    def key(self) -> str:
        """The form's name in scenario files and outputs: ``"shared_service"``."""
        return self.name.lower()


FORM_NAMES: dict[str, Form] = {f.key: f for f in Form}
"""Every form by its name in scenario files, from ``"none"`` to ``"wgr"``."""

JOINT_FORM_NAMES: tuple[str, ...] = tuple(f.key for f in Form if f is not Form.NONE)
"""The forms of an actual arrangement (every form but ``"none"``): the keys of ``cooperation.forms``."""

FormName = Literal[tuple(FORM_NAMES)]  # type: ignore[valid-type]
"""A form's name as a scenario field: one of the keys of :data:`FORM_NAMES`, a plain string."""


class FormParams(Group):
    """What one cooperation form costs and gives."""

    setup_months: int = Field(0, ge=0, le=120, description="Months before any benefit [month].")
    setup_cost_eur_per_inhabitant: NonNeg = Field(
        0.0, description="One-off cost a municipality pays when it joins [EUR/inhabitant]."
    )
    overhead_eur_per_inhabitant_year: NonNeg = Field(
        0.0, description="Running overhead of one membership, per inhabitant [EUR/inhabitant/year]."
    )
    overhead_eur_per_member_year: NonNeg = Field(
        0.0, description="Running overhead of one membership, fixed part [EUR/member/year]."
    )
    decision_months: int = Field(0, ge=0, le=60, description="Delay of a joint tender decision [month].")
    exit_cost_eur_per_inhabitant: NonNeg = Field(
        0.0,
        description="One-off cost a municipality pays when it leaves; also damps leaving after elections "
        "[EUR/inhabitant].",
    )
    scale_discount: Prob = Field(0.0, description="Price discount of joint procurement at full scale [-].")
    scale_reference_population: float = Field(300_000, gt=0, description="Population at which the discount is full.")
    admin_saving: Prob = Field(0.0, description="Share of assessment/contract admin saved by shared overhead [-].")
    risk_pooling: bool = Field(False, description="Specialist care costs pooled by population share.")
    joint_procurement: bool = Field(False, description="The arrangement tenders for its members.")
    energy_per_month: NonNeg = Field(0.0, description="Meeting energy drained per month per membership.")


def default_forms() -> dict[str, FormParams]:
    """The default parameters of every joint form, keyed by name (:data:`JOINT_FORM_NAMES`)."""
    # Setup, overhead, speed and exit cost rise with formality; benefits too (assumption;
    # seed 002: heavy WGR forms are slow and brittle; Allers & de Greef 2018: no net saving).
    return {
        Form.LIGHT.key: FormParams(
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
        Form.SHARED_SERVICE.key: FormParams(
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
        Form.CENTRUMGEMEENTE.key: FormParams(
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
        Form.WGR.key: FormParams(
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
