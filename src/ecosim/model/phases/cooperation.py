"""Cooperation arrangements (samenwerkingsverbanden) and the monthly cooperation phase.

An arrangement has members, a form (light network, shared service, centrumgemeente, WGR)
and per member the month its setup ends: formal forms deliver nothing until then, yet
cost setup money, overhead and meeting energy from the start. Benefits once set up:
joint procurement with a scale discount, shared admin overhead, pooled specialist costs.
Trust grows with good experience (benefit above overhead, partners whose interests fit)
and falls with bad; fatigue or distrust makes members leave, paying the exit cost.
Municipalities that know themselves and their partners poorly misjudge the fit (seed 003).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ecosim.model.levers import lever, perceived_fit
from ecosim.scenario import FORM_NAMES, Form, FormParams

if TYPE_CHECKING:
    from ecosim.model import EcosimModel


class Arrangement(mesa.Agent):
    """A cooperation arrangement between neighbouring municipalities."""

    def __init__(self, model: EcosimModel, form: Form, founded: int) -> None:
        super().__init__(model)
        self.form = form
        self.form_params: FormParams = model.scenario.cooperation.form(form)
        self.founded = founded
        self.members: dict[int, int] = {}  # municipality index -> month its setup ends
        self.pending_tender: dict[int, int] = {}  # domain -> month the joint tender is decided
        self.dissolved: int | None = None

    def set_up(self, municipality: int, month: int) -> bool:
        """Whether this member already receives the arrangement's benefits."""
        end = self.members.get(municipality)
        return end is not None and month >= end

    def any_set_up(self, month: int) -> bool:
        """Whether any member is past its setup."""
        return any(month >= end for end in self.members.values())

    def add_member(self, model: EcosimModel, municipality: int, setup_done: int = 0) -> None:
        """Join: pay the setup cost now; benefits come after the form's setup time."""
        f = self.form_params
        m = model.municipalities[municipality]
        self.members[municipality] = model.month + max(0, f.setup_months - setup_done)
        m.arrangement = self.unique_id
        model.ledger.cooperation[municipality] += f.setup_cost_eur_per_inhabitant * m.population
        for other in self.members:
            if other != municipality:
                model.trust[municipality, other] = model.trust[other, municipality] = (
                    model.scenario.cooperation.initial_trust
                )

    def remove_member(self, model: EcosimModel, municipality: int) -> None:
        """Leave: pay the exit cost; the arrangement dissolves below two members."""
        m = model.municipalities[municipality]
        model.ledger.cooperation[municipality] += self.form_params.exit_cost_eur_per_inhabitant * m.population
        del self.members[municipality]
        m.arrangement = None
        if len(self.members) < 2:
            for other in list(self.members):
                model.municipalities[other].arrangement = None
            self.members.clear()
            self.dissolved = model.month
            model.ledger.arrangements_dissolved += 1

    def mean_trust(self, model: EcosimModel, municipality: int) -> float:
        """A member's mean trust toward its partners."""
        others = [o for o in self.members if o != municipality]
        return float(model.trust[municipality, others].mean()) if others else 1.0


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
    for arr in model.active_arrangements():
        f = arr.form_params
        for i in list(arr.members):
            m = model.municipalities[i]
            model.ledger.cooperation[i] += overhead_month(f, m.population)
            in_setup = not arr.set_up(i, month)
            m.energy = max(0.0, m.energy - f.energy_per_month * (c.setup_energy_factor if in_setup else 1.0))
    if month % c.review_months != c.review_months - 1:
        return
    _learn_trust(model)
    order = model.rng.permutation(model.n_municipalities)
    for i in order.tolist():
        m = model.municipalities[i]
        arr = model.arrangement_of(i)
        if arr is not None:
            if m.energy < c.fatigue_threshold or arr.mean_trust(model, i) < c.trust_exit_threshold:
                arr.remove_member(model, i)
        elif c.preferred_form != "none" and model.rng.random() < lever(c.propensity, m.stance):
            _explore(model, i)


def _learn_trust(model: EcosimModel) -> None:
    """Trust moves toward experience: economic benefit versus overhead, and partners' fit."""
    c = model.scenario.cooperation
    month = model.month
    benefit = model.coop_benefit_window
    for arr in model.active_arrangements():
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
                fit = 1.0 - abs(m.stance - model.municipalities[j].stance)
                experience = (1.0 - c.fit_weight) * econ + c.fit_weight * fit
                model.trust[i, j] += c.trust_learning * (experience - model.trust[i, j])
    benefit[:] = 0.0


def _explore(model: EcosimModel, i: int) -> None:
    """A municipality looks at its neighbours: join an arrangement or found one with them.

    Both sides judge: the newcomer judges its partners' fit and its own gain, and the
    partners judge the newcomer (members of an arrangement by majority). Each judgement
    is blurred by how poorly the judge knows the other and itself (seed 003).
    """
    c = model.scenario.cooperation
    form = FORM_NAMES[c.preferred_form]
    f = c.form(form)
    munis = model.municipalities

    def seen_fit(judge: int, other: int) -> float:
        true = 1.0 - abs(munis[judge].stance - munis[other].stance)
        return perceived_fit(true, c.knowledge_other, c.misjudgement_sd, model.rng.standard_normal())

    def worth_it(judge: int, group_pop: float) -> bool:
        care, admin = model.recent_spending(judge)
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
        arr = model.arrangement_of(j)
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
        arr = model.new_arrangement(form)
        for j in (i, *partners):
            arr.add_member(model, j)
