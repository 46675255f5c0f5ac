"""Kinds of municipality (small rural, medium, large urban): a partition by the stated rule."""

import numpy as np

from ecosim.outputs.kinds import KINDS, LARGE_FROM, SMALL_BELOW, kind_groups


def test_kinds_partition_every_municipality_once():
    rng = np.random.default_rng(1)
    pop = np.exp(rng.normal(np.log(30_000), 1.0, 200))
    urb = rng.normal(size=200)
    groups = kind_groups(pop, urb)
    assert tuple(groups) == KINDS
    joined = np.sort(np.concatenate(list(groups.values())))
    np.testing.assert_array_equal(joined, np.arange(200))


def test_kinds_follow_size_bounds_and_urbanity():
    pop = np.array([SMALL_BELOW - 1, SMALL_BELOW - 1, 30_000, LARGE_FROM, LARGE_FROM])
    urb = np.array([-0.5, 0.5, 0.0, 0.5, -0.5])
    groups = kind_groups(pop, urb)
    assert groups["small_rural"].tolist() == [0]
    assert groups["large_urban"].tolist() == [3]
    assert groups["medium"].tolist() == [1, 2, 4]  # small urban, mid-size, large rural


def test_recorded_kind_outputs_lie_between_the_kinds_and_ratios_are_positive():
    import ecosim

    d = ecosim.run("scenarios/regional_explore.toml", months=3, seed=3).model_df
    for name in ("spending_per_inhabitant", "burden_per_1000", "budget_ratio"):
        cols = [f"{name}_{k}" for k in KINDS]
        assert d[cols].notna().all().all()
        assert (d[cols] >= 0).all().all()
    assert (d["budget_ratio"] > 0).all()
    # The overall ratio is a budget-weighted mean of the kinds' ratios, so it lies between them.
    kinds = d[[f"budget_ratio_{k}" for k in KINDS]]
    assert ((d["budget_ratio"] >= kinds.min(axis=1) - 1e-12) & (d["budget_ratio"] <= kinds.max(axis=1) + 1e-12)).all()
