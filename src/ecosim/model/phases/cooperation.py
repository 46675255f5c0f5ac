"""Phase 8, cooperation: arrangements (samenwerkingsverbanden) pay, learn trust, and live.

Cooperation is a means (seed 004): a municipality cooperates on a *task* (the joint procurement
and shared admin of one domain) when it expects value on that task, and may be in different
arrangements for different tasks. Each month members pay their form's overhead, spend meeting
energy and civil-service hours (more during setup: :func:`ecosim.model.levers.membership_hours`),
and the joint policy of an arrangement is renegotiated when its form allows. Arrangements are
reconsidered when their contracts run out (many at once in 2017: seed 004), after elections and
on poor experience (:func:`ecosim.model.partnership.reconsider`). Every ``review_months`` trust
moves toward experience (economic result against expectation, policy fit, free riding, an uneven
spread of benefits), members leave on fatigue or distrust, and municipalities with a task outside
any arrangement explore: join a nearby arrangement or found one with neighbours, choosing
partners on geography, needs, size, policy and trust, each judgement blurred by how poorly they
know themselves and the other (seed 003).
Meeting hours are work on the municipality's civil-service capacity (:mod:`ecosim.model.capacity`),
and a member short of capacity last month tires faster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ecosim.model.levers import (
    economic_experience,
    inequity,
    lever,
    membership_hours,
    overhead_month,
    partner_experience,
    policy_similarity,
)
from ecosim.model.partnership import PartnerView, joint_forms, perceived_value, reconsider

if TYPE_CHECKING:
    from ecosim.agents import Arrangement
    from ecosim.model import EcosimModel

__all__ = ["cooperate", "overhead_month"]


def cooperate(model: EcosimModel) -> None:
    """Phase 8: pay overhead, drain energy and hours, renegotiate, reconsider; review every ``review_months``."""
    c = model.scenario.cooperation
    month = model.month
    reg = model.arrangements
    led = model.ledger
    # Knowing oneself (monitoring and information) costs money whether or not one cooperates.
    know = lever(c.knowledge_self, model.stances())
    led.admin += know * c.monitoring_eur_per_inhabitant_year * model.populations / 12.0
    for m in model.municipalities:
        m.energy += c.energy_recovery * (1.0 - m.energy)
    # Meetings take civil-service time (membership_hours, booked on capacity at
    # capacity.hours_per_fte_month); a municipality short of staff last month tires faster
    # (capacity.fatigue_gain).
    cap = model.scenario.capacity
    tiring = 1.0 + model.capacity.shortfall(cap.fatigue_gain)
    hours = np.zeros(model.n_municipalities)
    for arr in reg.active():
        f = arr.form_params
        for i in list(arr.members):
            m = model.municipalities[i]
            reg.book_overhead(i, arr.task, overhead_month(f, m.population))
            in_setup = arr.in_setup(i, month)
            hours[i] += membership_hours(f, in_setup, c.setup_energy_factor)
            load = f.energy_per_month * (c.setup_energy_factor if in_setup else 1.0)
            m.energy = max(0.0, m.energy - load * tiring[i])
        if month - arr.renegotiated >= f.renegotiation_months:
            arr.renegotiate(model)
    led.cooperation_hours += hours
    model.capacity.book("cooperation", hours / cap.hours_per_fte_month)
    reg.work_together()
    # Contracts running out (the 2017 expiry for all at once) are a moment to reconsider.
    expiry = model.scenario.procurement.first_expiry_month - 1
    for arr in reg.active():
        if month == expiry or month in arr.pending_since.values():
            reconsider(model, arr)
    if month % c.review_months == c.review_months - 1:
        review(model)


def review(model: EcosimModel) -> None:
    """Learn trust; reconsider arrangements with poor experience; leave on fatigue or distrust; explore."""
    c = model.scenario.cooperation
    reg = model.arrangements
    learn_trust(model)
    for arr in reg.active():
        if len(arr.members) > 1 and arr.trust_level(model) < model.scenario.trust.reconsider_below:
            reconsider(model, arr)
    can_propose = bool(joint_forms(model))
    for i in model.rng.permutation(model.n_municipalities).tolist():
        m = model.municipalities[i]
        own = reg.memberships(i)
        if own and m.energy < c.fatigue_threshold:
            # Worn out: leave the membership that drains most (then the least trusted one).
            tired = max(own, key=lambda a: (a.form_params.energy_per_month, -a.mean_trust(model, i), -a.unique_id))
            reg.leave(tired, i, "fatigue")
        for arr in reg.memberships(i):
            if arr.mean_trust(model, i) < c.trust_exit_threshold:
                reg.leave(arr, i, "distrust")
        free = [d for d in range(3) if d not in m.arrangements]
        if free and can_propose and model.rng.random() < lever(c.propensity, m.stance):
            if m.energy >= c.join_energy_min:
                _explore(model, i, free)


def learn_trust(model: EcosimModel) -> None:
    """Trust moves toward each review's experience of each partner (:func:`ecosim.model.levers.partner_experience`)."""
    c = model.scenario.cooperation
    t = model.scenario.trust
    reg = model.arrangements
    month = model.month
    benefit, overhead = reg.take_experience()
    trust = reg.trust
    energy = np.array([m.energy for m in model.municipalities])
    stances = model.stances()
    for arr in reg.active():
        members = sorted(arr.members)
        if len(members) < 2:
            continue
        d = arr.task
        gain = {i: (benefit[i, d] - overhead[i, d]) / model.populations[i] for i in members}
        cost = {i: overhead[i, d] / model.populations[i] for i in members}
        for i in members:
            if arr.set_up(i, month):
                expected = arr.expected.get(i, 0.0) * c.review_months
                econ = economic_experience(benefit[i, d], overhead[i, d], expected, t.expectation_weight)
            else:
                econ = c.pre_setup_experience
            fit = policy_similarity(stances[i], arr.policy, reg.policy_pairs)
            for j in members:
                if j == i:
                    continue
                experience = partner_experience(
                    econ,
                    fit,
                    c.fit_weight,
                    energy[i] - energy[j],
                    t.free_riding_weight,
                    inequity(gain[i], gain[j], cost[i], cost[j]),
                    t.inequity_weight,
                )
                trust[i, j] += c.trust_learning * (experience - trust[i, j])


def _explore(model: EcosimModel, i: int, tasks: list[int]) -> None:
    """Look for cooperation on the tasks outside any arrangement, most spending first; at most one new membership."""
    care = model.ledger.last_care_by_domain[i]
    for d in sorted(tasks, key=lambda d: (-care[d], d)):
        if _join(model, i, d) or _found(model, i, d):
            return


def _reachable(model: EcosimModel, i: int) -> list[int]:
    """Municipalities a municipality can cooperate with: its neighbours and its region (geography limits choice)."""
    m = model.municipalities[i]
    region = np.flatnonzero(model.geo.region == m.region).tolist()
    return sorted((m.neighbour_set | set(region)) - {i})


def _join(model: EcosimModel, i: int, d: int) -> bool:
    """Join the nearby arrangement for task ``d`` that looks the best fit, if it is worth it and welcomes ``i``.

    Nearby: one of its members is a neighbour or in the region. The newcomer needs a mean seen
    attraction of the members of at least ``join_fit_threshold``, enough trust in them for the
    form, a positive perceived value; a weighted majority of the members must see it as attractive.
    """
    c = model.scenario.cooperation
    reg = model.arrangements
    view = PartnerView(model, d)
    munis = model.municipalities
    ids = sorted({munis[j].arrangements[d] for j in _reachable(model, i) if d in munis[j].arrangements})
    options: list[tuple[float, Arrangement, float]] = []
    for aid in ids:
        arr = reg[aid]
        members = sorted(arr.members)
        fit = float(np.mean([view.seen(i, j) for j in members]))
        if fit < c.join_fit_threshold or float(reg.trust[i, members].mean()) < arr.form_params.min_trust:
            continue
        pop = arr.population(model) + model.municipalities[i].population
        value, running = perceived_value(model, i, arr.form_params, d, pop)
        if value <= 0:
            continue
        welcome = np.array([view.seen(j, i) >= c.join_fit_threshold for j in members])
        if arr.vote_weights(model, members)[welcome].sum() <= 0.5:
            continue
        options.append((fit, arr, running))
    if not options:
        return False
    _, arr, running = max(options, key=lambda o: (o[0], -o[1].unique_id))
    arr.add_member(model, i, expected=running)
    return True


def _found(model: EcosimModel, i: int, d: int) -> bool:
    """Found an arrangement for task ``d`` with neighbours that look attractive and accept.

    The founder proposes the form it values most among those it proposes whose ``min_trust`` its
    trust in the partners meets; each partner accepts if it finds the founder attractive, has the
    energy, trusts the founder enough for the form and values the membership; then the founder
    decides on the final group.
    """
    c = model.scenario.cooperation
    reg = model.arrangements
    munis = model.municipalities
    view = PartnerView(model, d)
    free = [j for j in sorted(munis[i].neighbour_set) if d not in munis[j].arrangements]
    partners = [j for j in free if view.seen(i, j) >= c.join_fit_threshold]
    if not partners:
        return False
    pop = munis[i].population + sum(munis[j].population for j in partners)
    trust_in = float(reg.trust[i, partners].mean())
    forms = [f for f in joint_forms(model) if trust_in >= c.form(f).min_trust]
    if not forms:
        return False
    values = [perceived_value(model, i, c.form(f), d, pop)[0] for f in forms]
    form = forms[int(np.argmax(values))]
    f = c.form(form)
    accepted, expected = [], {}
    for j in partners:
        if view.seen(j, i) < c.join_fit_threshold or munis[j].energy < c.join_energy_min:
            continue
        if reg.trust[j, i] < f.min_trust:
            continue
        value, running = perceived_value(model, j, f, d, pop)
        if value > 0:
            accepted.append(j)
            expected[j] = running
    if not accepted:
        return False
    pop = munis[i].population + sum(munis[j].population for j in accepted)
    value, running = perceived_value(model, i, f, d, pop)
    if value <= 0:
        return False
    arr = reg.found(form, d)
    arr.add_member(model, i, expected=running)
    for j in accepted:
        arr.add_member(model, j, expected=expected[j])
    arr.renegotiate(model)
    return True
