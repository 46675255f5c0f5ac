"""How municipalities judge cooperation: a membership's worth, a partner's attraction, reconsidering.

What a membership is worth to them, how attractive a partner looks, and how an arrangement is
reconsidered (renegotiated, split, deepened, loosened or dissolved).

Shared by the cooperation phase (reviews, contract expiry) and the elections phase (new councils).
Every judgement is blurred by what the judge does not know (seed 003): its own needs and costs
(``cooperation.knowledge_self``, a lever pair) and the other (``cooperation.knowledge_other``,
falling with the months two municipalities have worked together). The stance enters only through
lever pairs: the propensity, the knowledge of self, and the policy similarity of two stances.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.model.levers import (
    attraction,
    lever,
    majority_choice,
    membership_value,
    need_similarity,
    overhead_month,
    partner_misjudgement_sd,
    policy_similarity,
    size_similarity,
    trust_groups,
)
from ecosim.scenario import FORM_NAMES, Form

if TYPE_CHECKING:
    from ecosim.agents import Arrangement
    from ecosim.model import EcosimModel
    from ecosim.scenario import FormParams

DISSOLVE = -1
"""The option of dissolving an arrangement, in a vote on its form."""


def joint_forms(model: EcosimModel) -> list[Form]:
    """The forms municipalities propose: every joint form up to ``cooperation.preferred_form``."""
    preferred = FORM_NAMES[model.scenario.cooperation.preferred_form]
    return [f for f in Form if Form.NONE < f <= preferred]


def needs(model: EcosimModel) -> np.ndarray:
    """Clients in care or waiting per inhabitant, per municipality and domain: how alike needs are."""
    by_domain = model.citizens.by_domain
    from ecosim.agents import CitizenState

    stock = by_domain[:, :, CitizenState.IN_CARE] + by_domain[:, :, CitizenState.WAITING]
    return stock / model.populations[:, None]


def self_noise(model: EcosimModel, judge: int) -> float:
    """A standard normal draw scaled by how poorly the judge knows itself: ``(1 - knowledge_self) * sd * z``."""
    c = model.scenario.cooperation
    know = float(lever(c.knowledge_self, model.municipalities[judge].stance))
    return (1.0 - know) * c.misjudgement_sd * float(model.rng.standard_normal())


def perceived_value(
    model: EcosimModel, judge: int, f: FormParams, task: int, group_population: float, set_up: bool = False
) -> tuple[float, float]:
    """What the judge thinks a membership of form ``f`` on ``task`` is worth per month [EUR], as it sees it.

    Returns (value for the decision, value it then expects once set up): both from last month's own
    spending on the task, blurred by one draw of its self-knowledge noise (relative to the value's size
    and the overhead).
    """
    c = model.scenario.cooperation
    care, admin = model.ledger.recent_spending(judge, task)
    pop = model.municipalities[judge].population
    h = c.setup_amortisation_months
    value = membership_value(f, care, admin, pop, group_population, h, set_up)
    running = membership_value(f, care, admin, pop, group_population, h, True)
    z = self_noise(model, judge)
    scale = overhead_month(f, pop)
    return value + z * (abs(value) + scale), running + z * (abs(running) + scale)


class PartnerView:
    """What each municipality sees of the others on one task this review: attraction on five dimensions."""

    def __init__(self, model: EcosimModel, task: int) -> None:
        self.model = model
        self.task = task
        self.need = needs(model)[:, task]
        p = model.scenario.partners
        self.weights = (p.weight_geography, p.weight_needs, p.weight_size, p.weight_policy, p.weight_trust)

    def geography(self, judge: int, other: int) -> float:
        """1 for a neighbour, ``region_proximity`` for the same region, else 0."""
        munis = self.model.municipalities
        if other in munis[judge].neighbour_set:
            return 1.0
        return self.model.scenario.partners.region_proximity if munis[judge].region == munis[other].region else 0.0

    def true_attraction(self, judge: int, other: int) -> float:
        """How attractive ``other`` is as a partner for ``judge``, without misjudgement."""
        m = self.model
        munis = m.municipalities
        p = m.scenario.partners
        scores = (
            self.geography(judge, other),
            need_similarity(self.need[judge], self.need[other]),
            size_similarity(munis[judge].population, munis[other].population, p.size_ratio_dissimilar),
            policy_similarity(munis[judge].stance, munis[other].stance, m.arrangements.policy_pairs),
            float(m.arrangements.trust[judge, other]),
        )
        return attraction(scores, self.weights)

    def seen(self, judge: int, other: int) -> float:
        """The attraction as the judge sees it: misjudged less the longer they have worked together."""
        m = self.model
        c = m.scenario.cooperation
        sd = partner_misjudgement_sd(
            c.misjudgement_sd,
            c.knowledge_other,
            float(m.arrangements.together[judge, other]),
            m.scenario.partners.acquaintance_months,
        )
        return self.true_attraction(judge, other) + sd * float(m.rng.standard_normal())


# -- reconsidering an arrangement ----------------------------------------------------------------


def reconsider(model: EcosimModel, arr: Arrangement) -> None:
    """A moment to reconsider (contracts expiring, a new council, poor experience).

    The joint policy is renegotiated; the arrangement splits where its members fall apart into
    groups that trust each other and not across; otherwise the members vote on its form: keep it,
    switch to another form (deepen or loosen), or dissolve.
    """
    if arr.dissolved is not None or len(arr.members) < 2:
        return
    arr.renegotiate(model)
    if split(model, arr):
        return
    vote_on_form(model, arr)


def split(model: EcosimModel, arr: Arrangement) -> bool:
    """Split the arrangement where its members form two or more groups (of at least two) that trust only each other.

    The group with the most inhabitants keeps the arrangement (with any member trusted by nobody);
    each other group founds an arrangement of the same form for the same task, without exit cost.
    """
    t = model.scenario.trust
    members = sorted(arr.members)
    groups = [g for g in trust_groups(model.arrangements.trust[np.ix_(members, members)], t.split_trust) if len(g) > 1]
    if len(groups) < 2:
        return False
    pops = [sum(model.populations[members[k]] for k in g) for g in groups]
    keep = int(np.argmax(pops))
    for n, g in enumerate(groups):
        if n == keep:
            continue
        new = model.arrangements.found(arr.form, arr.task)
        for k in g:
            i = members[k]
            expected = arr.expected.get(i, 0.0)
            arr.remove_member(model, i, pay_exit=False, dissolve_below_two=False)
            new.add_member(model, i, expected=expected)
        new.renegotiate(model)
    model.ledger.arrangements_split += 1
    if len(arr.members) < 2:
        arr.dissolve(model, pay_exit=False)
    else:
        arr.renegotiate(model)
    return True


def vote_on_form(model: EcosimModel, arr: Arrangement) -> None:
    """Members vote: keep the form, take another form they propose, or dissolve (weighted majority).

    Each member scores every option by what it thinks the membership would be worth to it per month:
    the current form as it runs, another form with its setup time and cost, dissolving at minus the
    exit cost spread over the horizon. A member votes for a heavier form only if it trusts its partners
    at least that form's ``min_trust``, and to keep the current form only if it still trusts them that
    much; otherwise lighter forms or dissolving remain.
    """
    c = model.scenario.cooperation
    options: list[int] = [int(arr.form)] + [int(f) for f in joint_forms(model) if f != arr.form] + [DISSOLVE]
    members = sorted(arr.members)
    group_pop = arr.population(model)
    choices = []
    for i in members:
        trust = arr.mean_trust(model, i)
        pop = model.municipalities[i].population
        scores = []
        for option in options:
            if option == DISSOLVE:
                scores.append(-arr.form_params.exit_cost_eur_per_inhabitant * pop / c.setup_amortisation_months)
                continue
            f = c.form(Form(option))
            if trust < f.min_trust and (option == arr.form or option > arr.form):
                scores.append(-np.inf)
                continue
            value, _ = perceived_value(model, i, f, arr.task, group_pop, set_up=option == arr.form)
            scores.append(value)
        choices.append(options[int(np.argmax(scores))])
    winner = majority_choice(choices, arr.vote_weights(model, members))
    if winner is None or winner == int(arr.form):
        return
    if winner == DISSOLVE:
        arr.dissolve(model, pay_exit=True)
    else:
        arr.switch_form(model, Form(winner))
