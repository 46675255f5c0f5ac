"""Parameters of municipal choices over time.

Cooperation between municipalities, the stance and its dynamics, and elections.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from ecosim.scenario.base import Group, NonNeg, Prob
from ecosim.scenario.forms import JOINT_FORM_NAMES, TASKS, Form, FormName, FormParams, TaskName, default_forms
from ecosim.scenario.levers import ProbPair, lever_pair
from ecosim.scenario.uncertainty import uncertain


class CooperationParams(Group):
    """Inter-municipal cooperation: forming per task, trust, fatigue, exit, and the forms."""

    initial_form: FormName = Field(
        "light", description="Form of the arrangements each youth-care region starts with in 2015, one per task."
    )
    initial_tasks: list[TaskName] = Field(
        default_factory=lambda: list(TASKS),
        description="Tasks the 2015 regional arrangements cover (the 42 youth-care regions bought jointly; "
        "regions bought Wmo and participation care together too, which is an assumption).",
    )
    preferred_form: FormName = Field(
        "light",
        description="Heaviest form municipalities propose: they found, join and deepen arrangements up to this "
        "form and no further ('none': no new cooperation).",
    )
    propensity: ProbPair = lever_pair(
        0.1,
        0.25,
        "Stance pair (control, transformation): chance per review that a municipality with a task outside any "
        "arrangement explores cooperating on it. 38 % of municipalities cooperated on their social service in "
        "2017 (Allers & de Greef, docs/SOURCES.md 12); no per-review rate was found.",
        kind="policy",
        uncertain=(0.02, 0.5),
    )
    review_months: int = Field(3, ge=1, le=60, description="Months between cooperation reviews.")
    knowledge_self: ProbPair = lever_pair(
        0.6,
        0.6,
        "Stance pair (control, transformation): how well a municipality knows its own needs and costs "
        "(monitoring and information, seed 003 'Kent u zelve'): the less, the noisier its judgement of what "
        "cooperating is worth to it [0-1]. No source ties it to a stance, so both parts are equal.",
        kind="policy",
        uncertain=(0.2, 1.0),
    )
    monitoring_eur_per_inhabitant_year: NonNeg = uncertain(
        1.0,
        0.0,
        3.0,
        "What knowing itself costs a municipality at full knowledge, booked as admin: knowledge_self times "
        "this [EUR/inhabitant/year]. No figure was found.",
    )
    knowledge_other: Prob = Field(
        0.4,
        description="How well a municipality knows a partner it has never worked with (seed 003 'Kent de "
        "ander'); working together lowers the misjudgement further (partners.acquaintance_months).",
    )
    misjudgement_sd: NonNeg = Field(0.5, description="Sd of the misjudged fit at zero knowledge [-].")
    initial_trust: Prob = Field(0.6, description="Trust toward partners at start.")
    trust_learning: Prob = Field(0.15, description="Weight of each review's experience in trust.")
    pre_setup_experience: Prob = Field(0.45, description="Experience of a membership still in setup: cost, no benefit.")
    trust_exit_threshold: Prob = Field(0.35, description="Mean trust in its partners below which a member leaves.")
    energy_recovery: Prob = Field(0.05, description="Monthly recovery of cooperation energy toward 1.")
    setup_energy_factor: NonNeg = Field(2.0, description="Energy drain during setup relative to running (assumption).")
    join_fit_threshold: Prob = uncertain(
        0.6,
        0.4,
        0.8,
        "Attraction a partner must seem to have (partners.*: geography, needs, size, policy, trust) before a "
        "municipality founds with it, joins its arrangement (mean over the members) or welcomes it [0-1]; "
        "no source.",
    )
    fit_weight: Prob = uncertain(
        0.3,
        0.0,
        0.6,
        "Weight of the fit of the arrangement's joint policy with one's own (policy similarity through the lever "
        "pairs), against the economic experience, in what moves trust [0-1]; no source. At 0.5 (the value "
        "before issue 14) a membership that only cost money still raised trust above its initial 0.6.",
    )
    setup_amortisation_months: float = Field(60.0, gt=0, description="Months over which setup cost is weighed.")
    initial_setup_done_months: int = Field(
        6, ge=0, description="Months of setup the 2015 regional arrangements had done in 2014 (assumption)."
    )
    fatigue_threshold: Prob = Field(
        0.2, description="Energy below which a member leaves its most draining arrangement at a review."
    )
    join_energy_min: Prob = uncertain(
        0.5,
        0.2,
        0.8,
        "Energy a municipality needs before it takes on a new membership (seed 004: cooperating costs energy "
        "and time that people do not have in abundance) [0-1]; no figure was found.",
    )
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
    deficit_pressure: NonNeg = uncertain(
        0.5,
        0.0,
        2.0,
        "Stance drop toward control per unit of yearly deficit share at year end [stance per deficit share]. "
        "Direction sourced (half of municipalities with deficits tighten or consider tightening access, "
        "EenVandaag/Investico survey of 151 municipalities, Jan 2021); magnitude not found. 0.5 moves a "
        "council 0.02-0.1 a year at deficits of 4-19 % (social domain and youth care 2017, Steiner/Divosa "
        "2018).",
    )
    surplus_pull: NonNeg = uncertain(
        0.5,
        0.0,
        2.0,
        "Extra move of the stance toward the council's ambition per unit of yearly surplus share at year end "
        "[stance per surplus share], never past the ambition. A surplus removes budget pressure and lets a "
        "council follow its own course; no source, central value mirrors deficit_pressure.",
    )
    reserve_pressure: NonNeg = uncertain(
        0.5,
        0.0,
        1.0,
        "Extra drop when reserves are negative, per unit of negative reserves over budget [stance per reserve "
        "share]; no source.",
    )
    ambition_pull: Prob = uncertain(
        0.3,
        0.0,
        0.6,
        "Yearly pull of the stance back toward the council's ambition [share of the gap/year]; councils' own "
        "ambition as a counterweight has no quantitative source.",
    )
    results_weight: NonNeg = uncertain(
        0.5,
        0.0,
        1.5,
        "Stance shift per unit of relative change of the yearly burden of unmet need against the region's, "
        "at full lean [stance]: a falling burden moves the stance further along its course, a rising one "
        "back; no source.",
    )


class ElectionParams(Group):
    """Municipal elections: new councils."""

    first_month: int = Field(38, ge=0, description="First election (March 2018 = month 38).")
    interval_months: int = Field(48, ge=1, description="Months between elections.")
    change_prob: Prob = Field(0.5, description="Chance a new council shifts the stance.")
    shift_sd: NonNeg = Field(0.25, description="Sd of that shift.")
    leave_prob: Prob = Field(
        0.3,
        description="Chance a new council leaves an arrangement it distrusts fully, or whose form is at full "
        "democratic distance.",
    )
    exit_cost_reference_eur: float = Field(
        5.0, gt=0, description="Exit cost per inhabitant that halves the will to leave."
    )
