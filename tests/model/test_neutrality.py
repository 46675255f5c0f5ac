"""Neutral by construction: a stance can only act through lever pairs.

- With every lever pair equal (``scenarios/neutral.toml``), cost-control and transformation
  stances give the same spending and burden: paired over 20 seeds, a two one-sided test
  (TOST) puts the mean relative difference within +-1 %.
- Swapping the two values of every pair swaps the sign of the paired difference (the
  mirror), for strategies held fixed over the run.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from ecosim.model import EcosimModel
from ecosim.scenario import load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
SMALL = {"geography.n_municipalities": 5, "geography.mean_population": 15_000}
COMMITTED = {"stance.adaptive": False, "stance.initial_sd": 0.0}
"""Strategies held fixed: no rule moves a stance during the run."""
CONTROL, TRANSFORMATION = {"stance.initial_mean": 0.1}, {"stance.initial_mean": 0.9}


def outcomes(scenario, seed: int, months: int = 36) -> np.ndarray:
    """Spending and burden of unmet need summed over the run."""
    model = EcosimModel(scenario, seed=seed)
    model.run(months)
    df = model.recorder.model_frame()
    return np.array([df["spending"].sum(), df["burden"].sum()])


def tost_within(relative: np.ndarray, margin: float, alpha: float = 0.05) -> bool:
    """Two one-sided tests: the mean of ``relative`` lies within (-margin, margin) at level ``alpha``."""
    mean, sd, n = relative.mean(), relative.std(ddof=1), len(relative)
    if sd == 0:
        return abs(mean) < margin
    half = stats.t.ppf(1 - alpha, n - 1) * sd / np.sqrt(n)
    return -margin < mean - half and mean + half < margin


def test_tost_rejects_a_real_difference():
    rng = np.random.default_rng(0)
    assert tost_within(rng.normal(0.0, 0.005, 20), 0.01)
    assert not tost_within(rng.normal(0.02, 0.005, 20), 0.01)


def test_neutral_scenario_has_every_lever_pair_equal():
    neutral = load_scenario(SCENARIOS / "neutral.toml")
    pairs = neutral.lever_pairs()
    assert pairs, "the schema has lever pairs"
    unequal = {path: tuple(pair) for path, pair in pairs.items() if pair.control != pair.transformation}
    assert not unequal


@pytest.mark.slow
def test_stances_give_equal_outcomes_when_every_lever_pair_is_equal():
    neutral = load_scenario(SCENARIOS / "neutral.toml", SMALL)
    cc = [outcomes(neutral.with_overrides(CONTROL), seed) for seed in range(20)]
    tr = [outcomes(neutral.with_overrides(TRANSFORMATION), seed) for seed in range(20)]
    relative = (np.array(tr) - np.array(cc)) / np.array(cc)
    assert tost_within(relative[:, 0], 0.01), "spending"
    assert tost_within(relative[:, 1], 0.01), "burden"


def test_the_default_pairs_do_separate_the_stances():
    """The neutrality test has power: with the default pairs the stances differ."""
    base = load_scenario(SCENARIOS / "regional_default.toml", SMALL)
    cc, tr = outcomes(base.with_overrides(CONTROL), 1), outcomes(base.with_overrides(TRANSFORMATION), 1)
    assert np.all(np.abs(tr - cc) / cc > 0.001)


@pytest.mark.slow
def test_swapping_every_lever_pair_swaps_the_sign_of_the_difference():
    base = load_scenario(SCENARIOS / "regional_default.toml", {**SMALL, **COMMITTED})
    swapped = base.with_overrides({p: [pair.transformation, pair.control] for p, pair in base.lever_pairs().items()})
    diffs, mirrored = [], []
    for seed in range(5):
        diffs.append(outcomes(base.with_overrides(TRANSFORMATION), seed) - outcomes(base.with_overrides(CONTROL), seed))
        mirrored.append(
            outcomes(swapped.with_overrides(TRANSFORMATION), seed) - outcomes(swapped.with_overrides(CONTROL), seed)
        )
    diffs, mirrored = np.array(diffs), np.array(mirrored)
    nonzero = np.abs(diffs) > 0
    assert nonzero.any()
    assert np.all(np.sign(mirrored[nonzero]) == -np.sign(diffs[nonzero]))
    np.testing.assert_allclose(mirrored.mean(axis=0), -diffs.mean(axis=0), rtol=0.02)
