"""Cooperation as an emergent process (issue 14): each mechanism's direction, and the arrangements' invariants.

Trust falls with bad experience, free riding, an uneven spread of benefits and unmet expectations,
and rises with good experience; a higher exit cost means fewer exits; municipalities join only when
they expect value; knowing a partner longer means misjudging it less; a heavy form loosens when
trust no longer carries it and deepens when trust and value do; an arrangement whose members fall
apart into groups splits. Membership stays consistent every month: a municipality is in at most
one arrangement per task, and an arrangement's members know it as theirs.
"""

from __future__ import annotations

import numpy as np
import pytest

from ecosim import EcosimModel
from ecosim.model.levers import (
    economic_experience,
    inequity,
    leave_after_election,
    majority_choice,
    membership_hours,
    membership_value,
    need_similarity,
    partner_experience,
    partner_misjudgement_sd,
    size_similarity,
    trust_groups,
)
from ecosim.model.partnership import PartnerView, perceived_value, reconsider, vote_on_form
from ecosim.model.phases.cooperation import cooperate, learn_trust, review
from ecosim.scenario import Form, load_scenario
from ecosim.scenario.forms import TASKS

SEEDS = (1, 2, 3)
ONE_TASK = {
    "cooperation.initial_form": "light",
    "cooperation.preferred_form": "light",
    "cooperation.initial_tasks": ["jeugd"],
    "stance.initial_sd": 0.0,
}
"""One light arrangement for youth care only, all stances alike (the policy fit is 1 for everyone)."""


def jeugd_arrangement(model):
    (arr,) = [a for a in model.arrangements.active() if a.task == 0]
    return arr


def pairs(members):
    return [(i, j) for i in members for j in members if i != j]


# -- trust rises and falls -------------------------------------------------------------------------


def learnt_trust(model, benefit=0.0, overhead=1.0, expected=0.0, energy=None, benefit_by=None):
    """Trust after one review window in which every member had this benefit and overhead on the task.

    Benefit, overhead and the expected monthly value are per inhabitant, so that members of any size
    fare alike unless ``benefit_by`` (EUR per inhabitant by member) says otherwise.
    """
    arr = jeugd_arrangement(model)
    reg = model.arrangements
    for i in arr.members:
        pop = model.municipalities[i].population
        reg.benefit[i, 0] = pop * (benefit if benefit_by is None else benefit_by.get(i, 0.0))
        reg.overhead[i, 0] = pop * overhead
        arr.expected[i] = pop * expected
        if energy is not None:
            model.municipalities[i].energy = energy.get(i, 1.0)
    learn_trust(model)
    return reg.trust.copy(), sorted(arr.members)


@pytest.mark.parametrize("seed", SEEDS)
def test_bad_experience_lowers_trust_and_good_experience_raises_it(small_model, seed):
    start = small_model(ONE_TASK, seed=seed).arrangements.trust.copy()
    bad, members = learnt_trust(small_model(ONE_TASK, seed=seed), benefit=0.0)
    good, _ = learnt_trust(small_model(ONE_TASK, seed=seed), benefit=4.0)
    for i, j in pairs(members):
        assert bad[i, j] < start[i, j] < good[i, j]


def test_unmet_expectations_lower_trust(small_model):
    """The same result, expected to be better, disappoints: trust ends lower."""
    met, members = learnt_trust(small_model(ONE_TASK), benefit=1.5, expected=0.0)
    unmet, _ = learnt_trust(small_model(ONE_TASK), benefit=1.5, expected=2.0 / 3)
    for i, j in pairs(members):
        assert unmet[i, j] < met[i, j]
    assert economic_experience(5.0, 10.0, 0.0, 0.5) > economic_experience(5.0, 10.0, 20.0, 0.5)


def test_free_riding_lowers_trust_in_the_free_rider(small_model):
    """A partner that puts in less (its energy) is trusted less; the others are not."""
    model = small_model(ONE_TASK)
    members = sorted(jeugd_arrangement(model).members)
    rider = members[0]
    fair, _ = learnt_trust(small_model(ONE_TASK), benefit=1.0)
    ridden, _ = learnt_trust(model, benefit=1.0, energy={rider: 0.1})
    for i in members[1:]:
        assert ridden[i, rider] < fair[i, rider]
        for j in members[1:]:
            if i != j:
                assert ridden[i, j] == pytest.approx(fair[i, j])


def test_uneven_spread_of_benefits_lowers_trust_in_the_one_who_gained(small_model):
    """A member whose partner gains much more per inhabitant trusts it less than when all gain alike."""
    model = small_model(ONE_TASK)
    members = sorted(jeugd_arrangement(model).members)
    winner = members[0]
    alike = {i: 1.0 for i in members}
    uneven = {**alike, winner: 5.0}
    even, _ = learnt_trust(small_model(ONE_TASK), benefit_by=alike)
    skewed, _ = learnt_trust(model, benefit_by=uneven)
    for i in members[1:]:
        assert skewed[i, winner] < even[i, winner]
    assert inequity(0.0, 1.0, 0.1, 0.1) > inequity(0.0, 0.1, 0.1, 0.1) > 0.0 == inequity(1.0, 0.0, 0.1, 0.1)


def test_experience_falls_with_free_riding_inequity_and_poor_results():
    base = partner_experience(0.6, 0.9, 0.3, 0.0, 0.5, 0.0, 0.5)
    assert partner_experience(0.2, 0.9, 0.3, 0.0, 0.5, 0.0, 0.5) < base
    assert partner_experience(0.6, 0.9, 0.3, 0.4, 0.5, 0.0, 0.5) < base
    assert partner_experience(0.6, 0.9, 0.3, -0.4, 0.5, 0.0, 0.5) == base  # a partner putting in more is no rider
    assert partner_experience(0.6, 0.9, 0.3, 0.0, 0.5, 0.5, 0.5) < base


def test_a_member_who_leaves_is_trusted_less_afterwards(small_model):
    model = small_model(ONE_TASK)
    arr = jeugd_arrangement(model)
    leaver, *others = sorted(arr.members)
    before = model.arrangements.trust.copy()
    model.arrangements.leave(arr, leaver, "distrust")
    assert all(model.arrangements.trust[o, leaver] < before[o, leaver] for o in others)
    assert model.ledger.members_left == 1 and model.ledger.left_by_reason["distrust"] == 1


# -- exit ------------------------------------------------------------------------------------------


def test_leave_after_election_directions():
    """Distrust and democratic distance raise the chance a new council leaves; exit cost lowers it."""
    assert leave_after_election(0.4, 1.0, 0.3, 5.0, 0.6) > leave_after_election(0.4, 1.0, 0.3, 5.0, 0.1)
    assert leave_after_election(0.2, 1.0, 0.3, 5.0) > leave_after_election(0.8, 1.0, 0.3, 5.0)
    assert leave_after_election(0.4, 20.0, 0.3, 5.0, 0.5) < leave_after_election(0.4, 1.0, 0.3, 5.0, 0.5)
    assert leave_after_election(0.0, 0.0, 0.3, 5.0, 0.9) == pytest.approx(0.3)  # capped at the base chance


def test_higher_exit_cost_means_fewer_exits_after_elections(run_small):
    """Councils elected in month 6 and 18 leave a costly arrangement less often than a cheap one."""
    exits = {}
    for cost in (0.0, 50.0):
        overrides = {
            **ONE_TASK,
            "cooperation.initial_tasks": list(TASKS),
            "cooperation.forms.light.exit_cost_eur_per_inhabitant": cost,
            "elections.first_month": 6,
            "elections.interval_months": 12,
            "elections.leave_prob": 1.0,
        }
        exits[cost] = sum(
            run_small(overrides, months=24, seed=s, n=8).model_df["members_left_election"].sum() for s in SEEDS
        )
    assert exits[50.0] < exits[0.0]


def test_worn_out_member_leaves_its_most_draining_arrangement(small_model):
    model = small_model({**ONE_TASK, "cooperation.initial_tasks": ["jeugd", "wmo"], "cooperation.propensity": [0, 0]})
    wmo = [a for a in model.arrangements.active() if a.task == 1][0]
    wmo.switch_form(model, Form.WGR)  # drains more than the light jeugd arrangement
    tired = sorted(wmo.members)[0]
    model.municipalities[tired].energy = 0.0
    model.month = model.scenario.cooperation.review_months - 1
    review(model)
    assert model.municipalities[tired].arrangements.keys() == {0}
    assert model.ledger.left_by_reason["fatigue"] == 1


# -- joining: cooperation as a means, partners on several dimensions --------------------------------

EMERGENT = {
    "cooperation.initial_form": "none",
    "cooperation.preferred_form": "light",
    "cooperation.propensity": [1.0, 1.0],
    "cooperation.knowledge_self": [1.0, 1.0],  # no misjudgement of one's own value
    "cooperation.join_energy_min": 0.0,
}


def test_municipalities_cooperate_only_when_they_expect_value(run_small):
    """Knowing themselves well, they form nothing when a membership can only cost; they do when it pays."""
    worthless = {**EMERGENT, "cooperation.forms.light.scale_discount": 0.0, "cooperation.forms.light.admin_saving": 0.0}
    paying = {**EMERGENT, "cooperation.forms.light.scale_discount": 0.2, "cooperation.forms.light.scale_reference_population": 10_000}
    for seed in SEEDS:
        assert run_small(worthless, months=24, seed=seed, n=8).model_df["arrangements_formed"].sum() == 0
        assert run_small(paying, months=24, seed=seed, n=8).model_df["arrangements_formed"].sum() > 0


def test_membership_value_rises_with_the_discount_and_the_group_and_falls_with_setup(small_model):
    f = small_model().scenario.cooperation.form("wgr")
    value = membership_value(f, 1e6, 1e5, 40_000, 200_000, 60.0)
    assert membership_value(f.model_copy(update={"scale_discount": 0.05}), 1e6, 1e5, 40_000, 200_000, 60.0) > value
    assert membership_value(f, 1e6, 1e5, 40_000, 300_000, 60.0) > value
    assert membership_value(f.model_copy(update={"setup_months": 36}), 1e6, 1e5, 40_000, 200_000, 60.0) < value
    assert membership_value(f, 1e6, 1e5, 40_000, 200_000, 60.0, set_up=True) > value


def test_knowing_oneself_removes_the_noise_in_judging_ones_own_value(small_model):
    def spread(knowledge):
        model = small_model({"cooperation.knowledge_self": [knowledge, knowledge]})
        model.run(2)
        f = model.scenario.cooperation.form("light")
        return np.std([perceived_value(model, 0, f, 0, 200_000)[0] for _ in range(50)])

    assert spread(1.0) == 0.0 < spread(0.8) < spread(0.2)


def test_partners_are_misjudged_less_the_longer_they_work_together(small_model):
    assert partner_misjudgement_sd(0.5, 0.4, 48, 24) < partner_misjudgement_sd(0.5, 0.4, 12, 24)
    assert partner_misjudgement_sd(0.5, 0.4, 24, 24) == pytest.approx(0.5 * partner_misjudgement_sd(0.5, 0.4, 0, 24))
    model = small_model(ONE_TASK)
    members = sorted(jeugd_arrangement(model).members)
    model.run(5)
    assert model.arrangements.together[members[0], members[1]] == 5
    assert model.arrangements.together[members[0], members[0]] == 5  # the diagonal is never read


def test_partner_attraction_directions(small_model):
    """Neighbours attract more than the rest of the region; alike size and needs, and trust, attract."""
    model = small_model({"stance.initial_sd": 0.0}, n=8)
    model.run(1)
    view = PartnerView(model, 0)
    judge = 0
    neighbours = sorted(model.municipalities[judge].neighbour_set)
    far = [j for j in range(1, 8) if j not in model.municipalities[judge].neighbour_set]
    if far:
        assert view.geography(judge, neighbours[0]) > view.geography(judge, far[0]) > 0
    other = neighbours[0]
    before = view.true_attraction(judge, other)
    model.arrangements.trust[judge, other] = 0.95
    assert view.true_attraction(judge, other) > before
    assert size_similarity(10_000, 12_000, 10) > size_similarity(10_000, 50_000, 10) > size_similarity(10_000, 500_000, 10)
    assert need_similarity(0.02, 0.021) > need_similarity(0.02, 0.04)


def test_partner_choice_reads_the_stance_only_through_lever_pairs(small_model):
    """With every lever pair equal (scenarios/neutral.toml), stances do not change any partner's attraction."""
    neutral = load_scenario("scenarios/neutral.toml", {"geography.n_municipalities": 6, "geography.mean_population": 15_000})
    model = EcosimModel(neutral, seed=1)
    model.run(1)
    view = PartnerView(model, 1)
    before = [[view.true_attraction(i, j) for j in range(6)] for i in range(6)]
    for m in model.municipalities:
        m.stance = float(m.index % 2)  # the two extremes
    after = [[view.true_attraction(i, j) for j in range(6)] for i in range(6)]
    np.testing.assert_allclose(after, before)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_new_membership_without_energy(small_model, seed):
    """The same review founds arrangements with rested municipalities and none with tired ones."""
    paying = {**EMERGENT, "cooperation.forms.light.scale_discount": 0.2, "cooperation.forms.light.scale_reference_population": 10_000}
    formed = {}
    for energy in (1.0, 0.3):
        model = small_model({**paying, "cooperation.join_energy_min": 0.5}, seed=seed, n=8)
        model.run(1)  # spending to judge by; no review yet, so nobody is in an arrangement
        for m in model.municipalities:
            m.energy = energy
        before = model.ledger.arrangements_formed
        review(model)
        formed[energy] = model.ledger.arrangements_formed - before
    assert formed[0.3] == 0 < formed[1.0]


# -- forms: loosen, deepen, split, dissolve ---------------------------------------------------------


def test_heavy_form_loosens_when_trust_no_longer_carries_it(small_model):
    model = small_model({**ONE_TASK, "cooperation.initial_form": "wgr", "cooperation.preferred_form": "wgr"})
    model.run(1)
    arr = jeugd_arrangement(model)
    members = sorted(arr.members)
    model.arrangements.trust[np.ix_(members, members)] = 0.5  # below the WGR's min_trust (0.7)
    vote_on_form(model, arr)
    assert arr.dissolved is not None or arr.form < Form.WGR
    assert arr.dissolved is not None or model.ledger.arrangements_loosened == 1


def test_light_form_deepens_when_trust_and_value_carry_a_heavier_one(small_model):
    rich_wgr = {"cooperation.forms.wgr.scale_discount": 0.3, "cooperation.forms.wgr.scale_reference_population": 10_000}
    model = small_model({**ONE_TASK, "cooperation.preferred_form": "wgr", "cooperation.knowledge_self": [1.0, 1.0], **rich_wgr})
    model.run(2)
    arr = jeugd_arrangement(model)
    members = sorted(arr.members)
    model.arrangements.trust[np.ix_(members, members)] = 0.9
    vote_on_form(model, arr)
    assert arr.form == Form.WGR and model.ledger.arrangements_deepened == 1
    # The new form's admin saving and pooling wait for its setup; the joint procurement goes on.
    assert arr.reorganised == model.month + model.scenario.cooperation.form("wgr").setup_months
    assert not model.arrangements.pooling().any()


def test_arrangement_splits_where_its_members_fall_apart(small_model):
    model = small_model(ONE_TASK, n=6)
    arr = jeugd_arrangement(model)
    members = sorted(arr.members)
    a, b = members[:3], members[3:]
    trust = model.arrangements.trust
    trust[np.ix_(members, members)] = 0.1
    trust[np.ix_(a, a)] = 0.9
    trust[np.ix_(b, b)] = 0.9
    reconsider(model, arr)
    groups = sorted(sorted(x.members) for x in model.arrangements.active() if x.task == 0)
    assert groups == sorted([a, b])
    assert model.ledger.arrangements_split == 1
    assert trust_groups(np.array([[1, 0.9, 0.1], [0.9, 1, 0.1], [0.1, 0.1, 1]]), 0.4) == [[0, 1], [2]]


def test_majority_choice():
    assert majority_choice([1, 1, 2], [0.2, 0.4, 0.4]) == 1
    assert majority_choice([1, 2, 3], [0.4, 0.3, 0.3]) is None
    assert majority_choice([], []) is None


def test_contract_expiry_and_elections_are_moments_to_reconsider(run_small):
    """The regional arrangements renegotiate in January 2017's month of expiry (and the light form every review)."""
    overrides = {
        **ONE_TASK,
        "cooperation.forms.light.renegotiation_months": 100,
        "cooperation.forms.light.scale_discount": 0.2,
        "cooperation.forms.light.scale_reference_population": 10_000,
        "cooperation.trust_exit_threshold": 0.0,
        "trust.reconsider_below": 0.0,
    }
    model = run_small(overrides, months=24, seed=1).model
    assert jeugd_arrangement(model).renegotiated == model.scenario.procurement.first_expiry_month - 1


def test_membership_hours_double_during_setup(small_model):
    f = small_model().scenario.cooperation.form("wgr")
    assert membership_hours(f, True, 2.0) == 2 * membership_hours(f, False, 2.0) == 2 * f.hours_per_member_month


# -- invariants -------------------------------------------------------------------------------------


def check_memberships(model):
    """Every membership is known on both sides; at most one arrangement per task; no arrangement below two."""
    reg = model.arrangements
    seen = set()
    for arr in reg:
        if arr.dissolved is not None:
            assert not arr.members
            continue
        assert len(arr.members) >= 2, f"arrangement {arr.unique_id} with {len(arr.members)} members"
        for i in arr.members:
            assert model.municipalities[i].arrangements.get(arr.task) == arr.unique_id
            assert (i, arr.task) not in seen, f"municipality {i} twice in task {arr.task}"
            seen.add((i, arr.task))
    for m in model.municipalities:
        for task, aid in m.arrangements.items():
            assert reg[aid].dissolved is None and m.index in reg[aid].members and reg[aid].task == task
    assert np.all((reg.trust >= 0.0) & (reg.trust <= 1.0))
    assert all(0.0 <= m.energy <= 1.0 for m in model.municipalities)


@pytest.mark.parametrize("seed", SEEDS)
def test_memberships_stay_consistent_every_month_as_cooperation_emerges(seed):
    scenario = load_scenario(
        "scenarios/emergent_cooperation.toml",
        {"cooperation.propensity": [0.6, 0.6], "elections.first_month": 10, "elections.interval_months": 12},
    )
    model = EcosimModel(scenario, seed=seed)
    for _ in range(48):
        model.step()
        check_memberships(model)
    assert model.recorder.model_frame()["arrangements_formed"].sum() > 0


def test_cooperate_books_overhead_and_hours_for_every_membership(small_model):
    model = small_model(ONE_TASK)
    model.ledger.reset()
    cooperate(model)
    members = sorted(jeugd_arrangement(model).members)
    assert (model.ledger.cooperation[members] > 0).all()
    assert (model.ledger.cooperation_hours[members] > 0).all()
