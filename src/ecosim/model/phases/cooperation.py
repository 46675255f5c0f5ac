"""Phase 8, cooperation: arrangements (samenwerkingsverbanden) pay, learn trust, and change.

Each month members pay their form's overhead and spend meeting energy and staff time (more
during setup: :class:`ecosim.agents.Arrangement`); a member short of civil-service capacity
tires faster (:mod:`ecosim.model.capacity`). Benefits once set up:
joint procurement with a scale discount, shared admin overhead, pooled specialist costs.
Trust grows with good experience (benefit above overhead, partners whose interests fit)
and falls with bad; fatigue or distrust makes members leave, paying the exit cost.
Municipalities that know themselves and their partners poorly misjudge the fit (seed 003).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.model.levers import lever, perceived_fit, policy_similarity
from ecosim.scenario import FORM_NAMES, Form, FormParams

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


def overhead_month(f: FormParams, population: float) -> float:
    """Running overhead of one membership for one month [EUR]."""
    return (f.overhead_eur_per_inhabitant_year * population + f.overhead_eur_per_member_year) / 12.0


def expected_value_month(
    f: FormParams,
    care_month: float,
    admin_month: float,
    population: float,
    group_population: float,
    amortisation_months: float = 60.0,
) -> float:
    """What a municipality expects a membership to be worth per month [EUR], once set up.

    Scale discount on care plus admin saved, minus overhead and the setup cost spread
    over ``amortisation_months``. Pure: the caller adds misjudgement.
    """
    scale = min(1.0, group_population / f.scale_reference_population)
    gain = f.scale_discount * scale * care_month + f.admin_saving * admin_month
    return gain - overhead_month(f, population) - f.setup_cost_eur_per_inhabitant * population / amortisation_months


def cooperate(model: EcosimModel) -> None:
    """Phase 8: pay overhead, drain energy, learn trust, and review memberships."""
    c = model.scenario.cooperation
    month = model.month
    for m in model.municipalities:
        m.energy += c.energy_recovery * (1.0 - m.energy)
    # Meetings take staff time (capacity.meeting_fte_per_energy); a municipality short of staff
    # last month tires faster (capacity.fatigue_gain).
    meeting_fte = model.scenario.capacity.meeting_fte_per_energy
    tiring = 1.0 + model.capacity.shortfall(model.scenario.capacity.fatigue_gain)
    meetings = np.zeros(model.n_municipalities)
    for arr in model.arrangements.active():
        f = arr.form_params
        for i in list(arr.members):
            m = model.municipalities[i]
            model.ledger.cooperation[i] += overhead_month(f, m.population)
            in_setup = not arr.set_up(i, month)
            load = f.energy_per_month * (c.setup_energy_factor if in_setup else 1.0)
            meetings[i] += meeting_fte * load
            m.energy = max(0.0, m.energy - load * tiring[i])
    model.capacity.book("cooperation", meetings)
    if month % c.review_months != c.review_months - 1:
        return
    _learn_trust(model)
    order = model.rng.permutation(model.n_municipalities)
    for i in order.tolist():
        m = model.municipalities[i]
        arr = model.arrangements.arrangement_of(i)
        if arr is not None:
            if m.energy < c.fatigue_threshold or arr.mean_trust(model, i) < c.trust_exit_threshold:
                arr.remove_member(model, i)
        elif c.preferred_form != Form.NONE.key and model.rng.random() < lever(c.propensity, m.stance):
            _explore(model, i)


def _learn_trust(model: EcosimModel) -> None:
    """Trust moves toward experience: economic benefit versus overhead, and partners' fit."""
    c = model.scenario.cooperation
    pairs = model.arrangements.policy_pairs
    month = model.month
    benefit = model.arrangements.take_benefit()
    trust = model.arrangements.trust
    for arr in model.arrangements.active():
        members = list(arr.members)
        for i in members:
            m = model.municipalities[i]
            if arr.set_up(i, month):
                cost = overhead_month(arr.form_params, m.population) * c.review_months
                econ = float(np.clip(benefit[i] / (abs(benefit[i]) + cost + 1e-9) * 0.5 + 0.5, 0, 1))
            else:
                econ = c.pre_setup_experience
            for j in members:
                if j == i:
                    continue
                fit = policy_similarity(m.stance, model.municipalities[j].stance, pairs)
                experience = (1.0 - c.fit_weight) * econ + c.fit_weight * fit
                trust[i, j] += c.trust_learning * (experience - trust[i, j])


def _explore(model: EcosimModel, i: int) -> None:
    """A municipality looks at its neighbours: join an arrangement or found one with them.

    Both sides judge: the newcomer judges its partners' fit and its own gain, and the
    partners judge the newcomer (members of an arrangement by majority). Each judgement
    is blurred by how poorly the judge knows the other and itself (seed 003).
    """
    c = model.scenario.cooperation
    pairs = model.arrangements.policy_pairs
    form = FORM_NAMES[c.preferred_form]
    f = c.form(form)
    munis = model.municipalities

    def seen_fit(judge: int, other: int) -> float:
        true = policy_similarity(munis[judge].stance, munis[other].stance, pairs)
        return perceived_fit(true, c.knowledge_other, c.misjudgement_sd, model.rng.standard_normal())

    def worth_it(judge: int, group_pop: float) -> bool:
        care, admin = model.ledger.recent_spending(judge)
        pop = munis[judge].population
        value = expected_value_month(f, care, admin, pop, group_pop, c.setup_amortisation_months)
        # Knowing oneself poorly blurs the judgement of one's own gain.
        noise = (1.0 - c.knowledge_self) * c.misjudgement_sd * model.rng.standard_normal()
        return value + noise * (abs(value) + overhead_month(f, pop)) > 0

    def welcome(members: list[int]) -> bool:
        return sum(seen_fit(j, i) >= c.join_fit_threshold for j in members) * 2 > len(members)

    free: list[int] = []
    candidates: list[int] = []
    for j in munis[i].neighbours.tolist():
        arr = model.arrangements.arrangement_of(j)
        if arr is None:
            free.append(j)
        elif arr.form == form and arr.unique_id not in candidates:
            candidates.append(arr.unique_id)
    for aid in candidates:
        arr = model.arrangements[aid]
        members = sorted(arr.members)
        fit = np.mean([seen_fit(i, j) for j in members])
        pop = sum(munis[j].population for j in members) + munis[i].population
        if fit >= c.join_fit_threshold and worth_it(i, pop) and welcome(members):
            arr.add_member(model, i)
            return
    partners = [j for j in free if seen_fit(i, j) >= c.join_fit_threshold]
    pop = munis[i].population + sum(munis[j].population for j in partners)
    partners = [j for j in partners if seen_fit(j, i) >= c.join_fit_threshold and worth_it(j, pop)]
    if not partners:
        return
    pop = munis[i].population + sum(munis[j].population for j in partners)
    if worth_it(i, pop):
        arr = model.arrangements.found(form)
        for j in (i, *partners):
            arr.add_member(model, j)
