"""Organisational capacity (docs/ODD.md 7.13): its size rule, what books work on it, what gives.

Directions and invariants only: capacity per inhabitant falls with size when b < 1, more
cooperation books more staff time for it, joint procurement shares the tender work, a
fixed load weighs more on small municipalities, a shortfall delays, thins monitoring and
tires; and capacity that never runs short changes nothing, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecosim.model.capacity import PURPOSES, capacity_fte, coverage_after_hire, shortfall_effect
from ecosim.outputs.declarations import STAFF_PURPOSES

NO_COOPERATION = {"cooperation.initial_form": "none", "cooperation.preferred_form": "none"}
SHORT = {"capacity.fte_per_1000": 0.3}
"""A capacity far below the work the model books: every municipality runs short."""
ONLY = {
    "capacity.assessment_delay": 0.0,
    "capacity.monitoring_loss": 0.0,
    "capacity.tender_noise_sd": 0.0,
    "capacity.fatigue_gain": 0.0,
    "capacity.hire_share": 0.0,
}
"""Every effect of a shortfall off: a test turns one on at a time."""


def staff_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if "staff_" in c]


def test_the_outputs_name_every_purpose_the_owner_books():
    assert STAFF_PURPOSES == PURPOSES


# -- capacity by size -----------------------------------------------------------------------------


def test_capacity_per_inhabitant_falls_with_size_when_b_is_below_one():
    pop = np.array([2_000.0, 10_000.0, 42_000.0, 150_000.0, 800_000.0])
    for b, direction in ((0.8, -1), (1.0, 0), (1.1, 1)):
        per_inhabitant = capacity_fte(pop, 1.0, 42_000, b) / pop
        steps = np.diff(per_inhabitant)
        if direction == 0:
            np.testing.assert_allclose(per_inhabitant, 1.0 / 1000)
        else:
            assert np.all(np.sign(steps) == direction), (b, per_inhabitant)
    # The reference municipality has exactly fte_per_1000 per 1,000 inhabitants, whatever b.
    for b in (0.7, 0.9, 1.1):
        assert capacity_fte(np.array([42_000.0]), 0.8, 42_000, b)[0] == pytest.approx(0.8 * 42)


def test_the_models_municipalities_get_capacity_by_the_size_rule(small_model):
    model = small_model({"capacity.size_elasticity": 0.8})
    per_inhabitant = model.capacity.fte / model.populations
    order = np.argsort(model.populations)
    assert np.all(np.diff(per_inhabitant[order]) < 0)


# -- the pure rules ---------------------------------------------------------------------------------


def test_hire_fills_its_share_of_the_shortfall_and_coverage_is_what_got_done():
    demand, capacity = np.array([5.0, 10.0, 20.0, 0.0]), np.array([10.0, 10.0, 10.0, 10.0])
    hired, done = coverage_after_hire(demand, capacity, 0.0)
    np.testing.assert_array_equal(hired, [0.0, 0.0, 0.0, 0.0])
    np.testing.assert_allclose(done, [1.0, 1.0, 0.5, 1.0])
    hired, done = coverage_after_hire(demand, capacity, 0.5)
    np.testing.assert_allclose(hired, [0.0, 0.0, 5.0, 0.0])
    np.testing.assert_allclose(done, [1.0, 1.0, 0.75, 1.0])
    assert np.all(coverage_after_hire(demand, capacity, 1.0)[1] == 1.0)
    # Full coverage is exactly no effect.
    assert np.all(shortfall_effect(0.7, np.ones(3)) == 0.0)
    np.testing.assert_allclose(shortfall_effect(0.5, np.array([1.0, 0.5, 0.0])), [0.0, 0.25, 0.5])


# -- invariants -----------------------------------------------------------------------------------


def test_capacity_that_never_runs_short_changes_nothing_bit_for_bit(run_small):
    """Not binding, or binding but never short: the same run as the model without capacity."""
    months = 30  # past the 2017 re-tender (month 24), so tenders and joint procurement run too
    off = run_small({"capacity.binding": False}, months=months, seed=4)
    ample = run_small({"capacity.fte_per_1000": 1e6}, months=months, seed=4)
    off_short = run_small({"capacity.binding": False, **SHORT}, months=months, seed=4)
    assert off.model_df["staff_coverage"].eq(1.0).all() and ample.model_df["staff_coverage"].eq(1.0).all()
    assert off_short.model_df["staff_use"].min() > 1.0  # short of staff, yet nothing gives
    keep = [c for c in off.model_df.columns if c not in staff_columns(off.model_df)]
    for other in (ample, off_short):
        pd.testing.assert_frame_equal(other.model_df[keep], off.model_df[keep], check_exact=True)
        muni = [c for c in off.municipalities_df.columns if "staff_" not in c]
        pd.testing.assert_frame_equal(other.municipalities_df[muni], off.municipalities_df[muni], check_exact=True)


# -- what books work on capacity -------------------------------------------------------------------


def test_more_cooperation_uses_more_capacity_for_it(run_small):
    """No arrangement books no meeting time; a heavier form books more than a light one."""
    none = run_small(NO_COOPERATION, months=6).model_df
    light = run_small({"cooperation.initial_form": "light"}, months=6).model_df
    wgr = run_small({"cooperation.initial_form": "wgr"}, months=6).model_df
    assert none["staff_use_cooperation"].eq(0.0).all()
    assert (light["staff_use_cooperation"] > 0).all()
    assert (wgr["staff_use_cooperation"] > light["staff_use_cooperation"]).all()
    more = run_small({"capacity.hours_per_fte_month": 78.0}, months=6).model_df
    assert (more["staff_use_cooperation"] > light["staff_use_cooperation"]).all()


def test_joint_procurement_shares_the_tender_work(run_small):
    """Alone, each municipality prepares its own tenders; in a joint arrangement they share one."""
    alone = run_small({**NO_COOPERATION, "procurement.first_expiry_month": 8}, months=8).model_df
    joint = run_small({"cooperation.initial_form": "light", "procurement.first_expiry_month": 8}, months=8).model_df
    window = slice(2, 8)  # the months before the transition contracts expire
    assert alone["staff_use_procurement"].iloc[window].sum() > 2 * joint["staff_use_procurement"].iloc[window].sum()


def test_a_fixed_policy_load_weighs_more_on_small_municipalities(small_model):
    """The same FTE per domain is a larger share of a small municipality's capacity."""
    gaps = []
    for load in (0.0, 1.0):
        model = small_model({"capacity.size_elasticity": 1.0, "capacity.policy_fte_per_domain": load}, n=8)
        model.step()
        gaps.append(model.recorder.rows[-1]["gap_staff_use"])
    assert gaps[1] > gaps[0]


# -- what gives when capacity runs short ------------------------------------------------------------


def test_a_shortfall_delays_assessments_and_the_wait_counts(run_small):
    delayed = run_small({**SHORT, **ONLY, "capacity.assessment_delay": 1.0}, months=12).model_df
    on_time = run_small({**SHORT, **ONLY}, months=12).model_df
    assert on_time["assessments_deferred"].eq(0).all()
    assert delayed["assessments_deferred"].sum() > 0
    assert delayed["assessments_deferred"].iloc[0] == 0  # coverage is last month's: none short before month 1
    wait = lambda d: (d["mean_wait_months"] * d["started_care"]).sum() / d["started_care"].sum()  # noqa: E731
    assert wait(delayed) > wait(on_time)


def test_a_citizen_whose_assessment_waits_counts_in_the_burden(small_model):
    """Waiting for an assessment is unmet need, though the citizen is not in an unmet state."""
    from ecosim.agents.citizen import UNMET_STATES

    model = small_model({**SHORT, **ONLY, "capacity.assessment_delay": 1.0})
    for _ in range(3):
        model.step()
    w = np.asarray(model.scenario.escalation.burden_weight)
    in_unmet_states = (model.citizens.counts[:, list(UNMET_STATES), :].sum(axis=1) @ w * model.k).sum()
    assert model.capacity.awaiting_burden.sum() > 0
    assert model.recorder.rows[-1]["burden"] == pytest.approx(in_unmet_states + model.capacity.awaiting_burden.sum())


def test_a_shortfall_thins_monitoring_and_raises_overbilling(run_small):
    base = {**SHORT, **ONLY, "procurement.overbilling": 0.1}
    thin = run_small({**base, "capacity.monitoring_loss": 1.0}, months=6).model_df
    full = run_small(base, months=6).model_df
    # Same draws (no effect touches the random stream); only the billed price differs.
    pd.testing.assert_series_equal(thin["in_care"], full["in_care"])
    assert thin["provider_revenue"].iloc[0] == full["provider_revenue"].iloc[0]  # month 0: nobody short yet
    assert (thin["provider_revenue"].iloc[1:] > full["provider_revenue"].iloc[1:]).all()


def test_a_shortfall_tires_members_of_arrangements(run_small):
    tired = run_small({**SHORT, **ONLY, "capacity.fatigue_gain": 3.0}, months=6).model_df
    rested = run_small({**SHORT, **ONLY}, months=6).model_df
    assert (tired["mean_energy"].iloc[1:] < rested["mean_energy"].iloc[1:]).all()


def test_hiring_costs_money_and_covers_the_shortfall(run_small):
    hire = run_small({**SHORT, **ONLY, "capacity.hire_share": 1.0}, months=6).model_df
    none = run_small({**SHORT, **ONLY}, months=6).model_df
    assert none["staff_hire_spending"].eq(0).all() and none["staff_coverage"].lt(1).all()
    assert hire["staff_coverage"].eq(1.0).all()
    assert (hire["staff_hire_spending"] > 0).all()
    # The premium is admin spending, and nothing else changed (no other effect is on).
    np.testing.assert_allclose(hire["admin_spending"] - none["admin_spending"], hire["staff_hire_spending"])


# -- neutrality with capacity binding ----------------------------------------------------------------


@pytest.mark.slow
def test_stances_stay_equal_when_capacity_binds_and_every_lever_pair_is_equal():
    """Capacity reads no stance: with every pair equal, an overloaded world still treats both stances alike."""
    import importlib.util
    from pathlib import Path

    from ecosim.scenario import load_scenario

    spec = importlib.util.spec_from_file_location("neutrality", Path(__file__).with_name("test_neutrality.py"))
    nt = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nt)
    neutral = load_scenario(nt.SCENARIOS / "neutral.toml", {**nt.SMALL, **SHORT})
    cc = [nt.outcomes(neutral.with_overrides(nt.CONTROL), seed) for seed in range(20)]
    tr = [nt.outcomes(neutral.with_overrides(nt.TRANSFORMATION), seed) for seed in range(20)]
    relative = (np.array(tr) - np.array(cc)) / np.array(cc)
    assert nt.tost_within(relative[:, 0], 0.01), "spending"
    assert nt.tost_within(relative[:, 1], 0.01), "burden"
