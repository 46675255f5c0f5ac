"""Cuts met by smaller indications (ODD 7.14): direction and invariants, never which strategy wins."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecosim.api import run
from ecosim.model import EcosimModel
from ecosim.model.phases.care import indicated_volume
from ecosim.scenario import load_scenario

SCENARIO = "scenarios/regional_explore.toml"


def _run(overrides: dict, months: int = 36) -> pd.DataFrame:
    base = {"stance.adaptive": False, "budget.cut_fraction": [0.2, 0.3, 0.3]}
    return run(SCENARIO, months=months, seed=3, overrides={**base, **overrides}).model_df


def test_volume_follows_the_phased_cut() -> None:
    sc = load_scenario(SCENARIO).with_overrides(
        {"indication.cut_pass_on": 0.5, "budget.cut_fraction": [0.2, 0.0, 0.4], "budget.cut_phase_in": [0.5, 1.0]}
    )
    model = EcosimModel(sc, seed=1)
    np.testing.assert_allclose(indicated_volume(model), [1 - 0.5 * 0.2 * 0.5, 1.0, 1 - 0.5 * 0.4 * 0.5])
    model.month = 40  # beyond the phase-in list: the last share holds
    np.testing.assert_allclose(indicated_volume(model), [0.9, 1.0, 0.8])


def test_without_cuts_passing_on_changes_nothing() -> None:
    none = {"budget.cut_fraction": [0.0, 0.0, 0.0]}
    a = _run({**none, "indication.cut_pass_on": 0.0, "indication.recovery_elasticity": 1.0}, months=24)
    b = _run({**none, "indication.cut_pass_on": 1.0, "indication.recovery_elasticity": 1.0}, months=24)
    pd.testing.assert_frame_equal(a, b)


def test_passing_on_the_cut_lowers_care_spending() -> None:
    keep = _run({"indication.cut_pass_on": 0.0, "indication.recovery_elasticity": 0.0})
    cut = _run({"indication.cut_pass_on": 1.0, "indication.recovery_elasticity": 0.0})
    assert cut["spending"].sum() < keep["spending"].sum()


def test_smaller_indications_slow_recovery_when_volume_matters() -> None:
    harmless = _run({"indication.cut_pass_on": 1.0, "indication.recovery_elasticity": 0.0})
    harmful = _run({"indication.cut_pass_on": 1.0, "indication.recovery_elasticity": 1.0})
    assert harmful["recoveries"].sum() < harmless["recoveries"].sum()
