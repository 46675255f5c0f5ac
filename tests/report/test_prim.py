"""PRIM (EMA Workbench's, through ecosim.report.prim) finds planted boxes; its statistics mean what they say.

These tests pinned ecosim's own PRIM until issue 15; they now run against EMA Workbench's.
"""

import numpy as np
import pandas as pd
import pytest

from ecosim.report.prim import Box, prim


def planted(n=1000, noise=0.0, seed=1, categorical=False):
    """Uniform inputs a, b, c; cases of interest in a in [0.2, 0.6] and b in [0.5, 1] (and form != wgr)."""
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.random((n, 3)), columns=["a", "b", "c"])
    inside = (x["a"] >= 0.2) & (x["a"] <= 0.6) & (x["b"] >= 0.5)
    if categorical:
        x["form"] = rng.choice(["none", "light", "wgr"], n)
        inside &= x["form"] != "wgr"
    y = (inside.to_numpy() ^ (rng.random(n) < noise)).astype(int)
    return x, y


def in_box(x: pd.DataFrame, box: Box) -> np.ndarray:
    mask = np.ones(len(x), dtype=bool)
    for col, lim in box.limits.items():
        mask &= x[col].isin(lim).to_numpy() if isinstance(lim, frozenset) else x[col].between(*lim).to_numpy()
    return mask


def test_finds_a_planted_box():
    x, y = planted()
    box = prim(x, y).box
    assert box.restricted == ["a", "b"]
    assert box.limits["a"] == pytest.approx((0.2, 0.6), abs=0.03)
    assert box.limits["b"][0] == pytest.approx(0.5, abs=0.03)
    assert box.density > 0.95 and box.coverage > 0.95


def test_finds_a_planted_box_with_a_categorical_input_and_noise():
    x, y = planted(noise=0.03, categorical=True)
    box = prim(x, y).box
    assert set(box.restricted) == {"a", "b", "form"}
    assert box.limits["form"] == frozenset({"none", "light"})
    assert box.limits["a"] == pytest.approx((0.2, 0.6), abs=0.05)
    assert box.density > 0.85 and box.coverage > 0.7
    # The restrictions that define the box matter; quasi p-values say so.
    assert all(p < 1e-6 for p in box.qp.values())
    assert box.describe("form") == "{light, none}"


def test_box_statistics_are_coverage_density_and_mass():
    x, y = planted(noise=0.05, seed=4)
    result = prim(x, y)
    box = result.box
    mask = in_box(x, box)
    assert box.n == mask.sum()
    assert box.mass == pytest.approx(mask.mean())
    assert box.density == pytest.approx(y[mask].mean())
    assert box.coverage == pytest.approx(y[mask].sum() / y.sum())
    assert (result.n, result.cases) == (len(y), y.sum())


def test_peeling_trajectory_shrinks_to_the_minimum_mass():
    x, y = planted(noise=0.05)
    result = prim(x, y, mass_min=0.1)
    masses = [b.mass for b in result.trajectory]
    assert masses[0] == 1.0 and result.trajectory[0].restricted == []
    smallest = int(np.argmin(masses))
    assert all(m2 < m1 for m1, m2 in zip(masses[:smallest], masses[1 : smallest + 1], strict=True))  # peeling
    assert masses[smallest] >= 0.1
    assert result.trajectory[-1].density > result.trajectory[0].density


def test_pasting_never_lowers_density():
    # EMA pastes the last peeled box: the boxes after the smallest one are at least as dense.
    x, y = planted(noise=0.05, seed=2, categorical=True)
    traj = prim(x, y).trajectory
    smallest = int(np.argmin([b.mass for b in traj]))
    assert all(b.density >= traj[smallest].density for b in traj[smallest:])


def test_original_objective_also_finds_the_box():
    x, y = planted()
    box = prim(x, y, objective="original").box
    assert box.restricted == ["a", "b"]
    assert box.density > 0.95


@pytest.mark.parametrize(
    ("y", "message"),
    [(np.zeros(10), "no cases of interest"), (np.ones(9), "equal length"), (np.full(10, 2.0), "0/1")],
)
def test_bad_input_is_refused(y, message):
    x = pd.DataFrame({"a": np.arange(10.0)})
    with pytest.raises(ValueError, match=message):
        prim(x, y)


def test_the_box_is_ema_workbenchs():
    from ema_workbench.analysis import prim as ema

    x, y = planted(noise=0.03, categorical=True)
    result = prim(x, y)
    xe = x.copy()
    xe["form"] = xe["form"].astype("category")
    box = ema.Prim(xe, y, peel_alpha=0.05, paste_alpha=0.05, mass_min=0.05).find_box()
    traj = box.peeling_trajectory
    assert [b.coverage for b in result.trajectory] == pytest.approx(traj["coverage"].tolist())
    assert [b.density for b in result.trajectory] == pytest.approx(traj["density"].tolist())
    i = [b.n for b in result.trajectory].index(result.box.n)
    assert result.box.limits["a"] == pytest.approx(tuple(box.box_lims[i]["a"]))
    assert set(result.box.restricted) == {"a", "b", "form"}


def test_common_cases_ask_for_a_denser_box_and_the_rare_ones_are_found():
    """When 'wins' are nearly everywhere, the win box must beat their base rate; the non-win box is the rare region."""
    from ecosim.report.discovery import density_threshold, search

    assert density_threshold(0.3) == 0.8
    assert density_threshold(0.9) == pytest.approx(0.95)
    rng = np.random.default_rng(5)
    x = pd.DataFrame(rng.random((2000, 3)), columns=["a", "b", "c"])
    fail = ((x["a"] < 0.3) & (x["b"] > 0.6)).to_numpy()  # 12% of the space: the case fails there
    y = (~fail).astype(float)
    won = search(x, y, "wins")
    assert won.threshold == pytest.approx((1 + y.mean()) / 2)
    assert won.reached and won.result.box.restricted  # a real restriction, not the whole space
    lost = search(x, 1.0 - y, "non-wins")
    assert lost.threshold == 0.8 and lost.reached
    assert set(lost.result.box.restricted) == {"a", "b"}
    assert lost.result.box.limits["a"][1] == pytest.approx(0.3, abs=0.03)
    assert lost.result.box.limits["b"][0] == pytest.approx(0.6, abs=0.03)
    assert search(x, np.ones(len(x)), "wins").result is None
