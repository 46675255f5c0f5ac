"""Cooperation forms: the ``Form`` enum, the names derived from it, and what each form costs and gives.

Forms run from light to heavy (:class:`Form` order). The defaults follow the source articles
in direction (seed 002, "Ik wil géén WGR": a light form is quick to set up, cheap and easy
to leave; a heavy form is slow to set up, carries governance overhead and democratic
distance, and is slow to change course) and the evidence on size (Allers & de Greef 2018:
inter-municipal cooperation brought no saving on average, 2005-2013). No cost or benefit
per form was found as a number, so every numeric default is an assumption with a range
(:data:`FORM_RANGES`) in which either form can be the better one; those ranges are shipped
as experiment factors (``experiments/uncertainties.toml``).
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Literal

from pydantic import Field

from ecosim.scenario.base import DOMAINS, Group, NonNeg, Prob


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

TASKS: tuple[str, ...] = DOMAINS
"""What an arrangement is for: one task each, the joint procurement and shared admin of one domain
(and the pooling of its specialist care where the form pools risk). A municipality is in at most
one arrangement per task, and may be in different arrangements for different tasks."""

TaskName = Literal[TASKS]  # type: ignore[valid-type]
"""A task's name as a scenario field (``"jeugd"``, ``"wmo"``, ``"participatie"``)."""


class FormParams(Group):
    """What one cooperation form costs and gives (per membership: one municipality in one task's arrangement)."""

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
        description="One-off cost a municipality pays when it leaves (all members, when the arrangement is "
        "dissolved); also damps leaving after elections [EUR/inhabitant].",
    )
    scale_discount: Prob = Field(0.0, description="Price discount of joint procurement at full scale [-].")
    scale_reference_population: float = Field(300_000, gt=0, description="Population at which the discount is full.")
    admin_saving: Prob = Field(
        0.0, description="Share of the task's assessment and monitoring admin saved by shared overhead [-]."
    )
    risk_pooling: bool = Field(False, description="Specialist care costs of the task pooled by population share.")
    joint_procurement: bool = Field(False, description="The arrangement tenders for its members.")
    lead_municipality: bool = Field(
        False,
        description="The largest member executes for the others and its policy is the joint policy (a "
        "centrumgemeente; with partners of unequal size its commitment decides success: MODEL.md, "
        "practitioners' lessons).",
    )
    energy_per_month: NonNeg = Field(0.0, description="Meeting energy drained per month per membership.")
    min_trust: Prob = Field(
        0.0,
        description="Mean trust in the partners a member needs to adopt the form (found in it, deepen to it) "
        "or to vote to keep it [-]: a heavier commitment needs partners one knows (seed 002, reason 3).",
    )
    democratic_distance: Prob = Field(
        0.0,
        description="How far the form's decisions are from the councils [0-1]: raises the chance that a new "
        "council leaves (seed 002, reason 4; VNG position paper on the Wgr: councils cannot frame and check "
        "joint arrangements).",
    )
    renegotiation_months: int = Field(
        3,
        ge=1,
        le=120,
        description="Months between renegotiations of the arrangement's joint policy [month]: how slowly it "
        "changes course.",
    )
    hours_per_member_month: NonNeg = Field(
        0.0,
        description="Civil-service hours one membership takes per month, doubled by setup_energy_factor while "
        "its setup runs [hours/member/month]: the capacity cost of taking part.",
    )


FORM_DEFAULTS: dict[str, dict[str, Any]] = {
    Form.LIGHT.key: dict(
        setup_months=3,
        setup_cost_eur_per_inhabitant=0.5,
        overhead_eur_per_inhabitant_year=1.0,
        overhead_eur_per_member_year=20_000,
        decision_months=1,
        exit_cost_eur_per_inhabitant=0.2,
        scale_discount=0.01,
        admin_saving=0.03,
        risk_pooling=False,
        joint_procurement=True,
        lead_municipality=False,
        energy_per_month=0.006,
        min_trust=0.0,
        democratic_distance=0.1,
        renegotiation_months=3,
        hours_per_member_month=16.0,
    ),
    Form.SHARED_SERVICE.key: dict(
        setup_months=12,
        setup_cost_eur_per_inhabitant=4.0,
        overhead_eur_per_inhabitant_year=3.0,
        overhead_eur_per_member_year=40_000,
        decision_months=3,
        exit_cost_eur_per_inhabitant=3.0,
        scale_discount=0.015,
        admin_saving=0.075,
        risk_pooling=False,
        joint_procurement=True,
        lead_municipality=False,
        energy_per_month=0.009,
        min_trust=0.65,
        democratic_distance=0.3,
        renegotiation_months=12,
        hours_per_member_month=24.0,
    ),
    Form.CENTRUMGEMEENTE.key: dict(
        setup_months=6,
        setup_cost_eur_per_inhabitant=2.0,
        overhead_eur_per_inhabitant_year=2.0,
        overhead_eur_per_member_year=30_000,
        decision_months=2,
        exit_cost_eur_per_inhabitant=2.0,
        scale_discount=0.02,
        admin_saving=0.05,
        risk_pooling=True,
        joint_procurement=True,
        lead_municipality=True,
        energy_per_month=0.009,
        min_trust=0.65,
        democratic_distance=0.5,
        renegotiation_months=12,
        hours_per_member_month=24.0,
    ),
    Form.WGR.key: dict(
        setup_months=18,
        setup_cost_eur_per_inhabitant=8.0,
        overhead_eur_per_inhabitant_year=5.0,
        overhead_eur_per_member_year=60_000,
        decision_months=6,
        exit_cost_eur_per_inhabitant=10.0,
        scale_discount=0.02,
        admin_saving=0.05,
        risk_pooling=True,
        joint_procurement=True,
        lead_municipality=False,
        energy_per_month=0.012,
        min_trust=0.7,
        democratic_distance=0.6,
        renegotiation_months=12,
        hours_per_member_month=40.0,
    ),
}
"""Each form's defaults (assumptions; their plausible ranges are :data:`FORM_RANGES`)."""

FORM_RANGES: dict[str, dict[str, tuple[float, float]]] = {
    Form.LIGHT.key: dict(
        setup_months=(1, 6),
        setup_cost_eur_per_inhabitant=(0.0, 2.0),
        overhead_eur_per_inhabitant_year=(0.0, 3.0),
        overhead_eur_per_member_year=(5_000, 50_000),
        decision_months=(0, 3),
        exit_cost_eur_per_inhabitant=(0.0, 1.0),
        scale_discount=(0.0, 0.04),
        admin_saving=(0.0, 0.10),
        energy_per_month=(0.003, 0.02),
        min_trust=(0.0, 0.6),
        democratic_distance=(0.0, 0.3),
        renegotiation_months=(1, 12),
        hours_per_member_month=(4.0, 40.0),
    ),
    Form.SHARED_SERVICE.key: dict(
        setup_months=(6, 36),
        setup_cost_eur_per_inhabitant=(1.0, 10.0),
        overhead_eur_per_inhabitant_year=(1.0, 6.0),
        overhead_eur_per_member_year=(10_000, 80_000),
        decision_months=(1, 6),
        exit_cost_eur_per_inhabitant=(0.5, 10.0),
        scale_discount=(0.0, 0.05),
        admin_saving=(0.0, 0.15),
        energy_per_month=(0.005, 0.025),
        min_trust=(0.5, 0.8),
        democratic_distance=(0.1, 0.6),
        renegotiation_months=(6, 24),
        hours_per_member_month=(8.0, 60.0),
    ),
    Form.CENTRUMGEMEENTE.key: dict(
        setup_months=(3, 18),
        setup_cost_eur_per_inhabitant=(0.5, 6.0),
        overhead_eur_per_inhabitant_year=(0.5, 5.0),
        overhead_eur_per_member_year=(10_000, 60_000),
        decision_months=(1, 6),
        exit_cost_eur_per_inhabitant=(0.5, 6.0),
        scale_discount=(0.0, 0.06),
        admin_saving=(0.0, 0.15),
        energy_per_month=(0.005, 0.025),
        min_trust=(0.5, 0.8),
        democratic_distance=(0.2, 0.8),
        renegotiation_months=(6, 24),
        hours_per_member_month=(8.0, 60.0),
    ),
    Form.WGR.key: dict(
        setup_months=(6, 36),
        setup_cost_eur_per_inhabitant=(2.0, 15.0),
        overhead_eur_per_inhabitant_year=(1.0, 8.0),
        overhead_eur_per_member_year=(20_000, 100_000),
        decision_months=(2, 12),
        exit_cost_eur_per_inhabitant=(2.0, 20.0),
        scale_discount=(0.0, 0.08),
        admin_saving=(0.0, 0.15),
        energy_per_month=(0.006, 0.03),
        min_trust=(0.5, 0.85),
        democratic_distance=(0.3, 0.9),
        renegotiation_months=(12, 48),
        hours_per_member_month=(16.0, 80.0),
    ),
}
"""Plausible range of every numeric form default (assumptions). The light and heavy ranges overlap
on benefits and costs, so either form can come out better; a heavy form's benefit range reaches
higher ("higher potential scale benefits"), and its default stays close to the light one's because
cooperation brought no saving on average (Allers & de Greef 2018)."""


def form_uncertainties() -> dict[str, dict[str, Any]]:
    """Every form's uncertain parameters: ``cooperation.forms.<form>.<field>`` -> bounds (int fields whole)."""
    out: dict[str, dict[str, Any]] = {}
    for form, ranges in FORM_RANGES.items():
        for name, (low, high) in ranges.items():
            default = FORM_DEFAULTS[form][name]
            if not low <= default <= high:
                raise ValueError(f"cooperation.forms.{form}.{name}: range ({low}, {high}) must hold {default}")
            integer = FormParams.model_fields[name].annotation is int
            out[f"cooperation.forms.{form}.{name}"] = {"bounds": [low, high], "scale": False, "integer": integer}
    return out


def default_forms() -> dict[str, FormParams]:
    """The default parameters of every joint form, keyed by name (:data:`JOINT_FORM_NAMES`)."""
    return {name: FormParams(**values) for name, values in FORM_DEFAULTS.items()}
