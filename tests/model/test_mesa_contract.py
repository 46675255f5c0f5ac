"""EcosimModel keeps Mesa's model contract: batch_run, rng/seed keywords, a real DataCollector (issue 15)."""

import multiprocessing
import warnings
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest

from ecosim import EcosimModel, Scenario, ScenarioError
from ecosim.outputs.registry import MODEL_COLUMNS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def keep_start_method():
    # batch_run forces the 'spawn' start method for the whole process; put it back.
    before = multiprocessing.get_start_method(allow_none=True)
    yield
    multiprocessing.set_start_method(before, force=True)


def _batch_run(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # 'iterations' is deprecated in Mesa 3.5
        return pd.DataFrame(mesa.batch_run(EcosimModel, display_progress=False, **kwargs))


def test_batch_run_as_in_mesas_documentation(keep_start_method):
    df = _batch_run(parameters={}, iterations=2, max_steps=3)
    assert len(df) == 2 and set(df["Step"]) == {3}
    assert set(MODEL_COLUMNS) <= set(df.columns)
    # seed=None keeps the scenario's seed: iterations repeat the run, the seed column says which.
    assert set(df["seed"]) == {Scenario().run.seed}
    assert df["spending"].nunique() == 1


def test_batch_run_over_flat_parameters_and_seeds(keep_start_method, small_scenario):
    small = small_scenario()
    df = _batch_run(
        parameters={"scenario": [small], "stance__initial_mean": [0.1, 0.9]},
        rng=[1, 2],
        max_steps=4,
        data_collection_period=1,
    )
    assert len(df) == 2 * 2 * 4  # parameter values x seeds x months
    assert set(MODEL_COLUMNS) <= set(df.columns)
    last = df[df["Step"] == 4].set_index(["stance__initial_mean", "seed"])
    assert last.loc[(0.1, 1), "mean_stance"] < 0.5 < last.loc[(0.9, 1), "mean_stance"]
    assert last.loc[(0.1, 1), "spending"] != last.loc[(0.1, 2), "spending"]  # seeds differ


def test_datacollector_holds_the_recorders_rows(small_scenario):
    model = EcosimModel(small_scenario(), seed=4)
    for _ in range(5):
        model.step()
    dc = model.datacollector.get_model_vars_dataframe()
    assert list(dc.columns) == [*MODEL_COLUMNS, "seed"]
    pd.testing.assert_frame_equal(dc[list(MODEL_COLUMNS)], model.recorder.model_frame(), check_dtype=False)
    assert (dc["seed"] == 4).all()


def test_keywords_mesa_style_and_as_before_give_the_same_run(small_scenario):
    small = small_scenario()
    ref = EcosimModel(small, seed=3)
    ref.run(4)
    frames = []
    for model in (
        EcosimModel(small, rng=3),
        EcosimModel(scenario=small, seed=3),
        EcosimModel(small.with_overrides({"run.seed": 3})),
    ):
        model.run(4)
        frames.append(model.recorder.model_frame())
    for f in frames:
        pd.testing.assert_frame_equal(f, ref.recorder.model_frame())
    gen = EcosimModel(small, rng=np.random.default_rng(5))
    assert isinstance(gen.seed, int)


def test_flat_parameters_and_a_scenario_path(small_scenario):
    m = EcosimModel(
        ROOT / "scenarios/regional_default.toml", seed=1, stance__initial_mean=0.9, access__threshold__control=1.1
    )
    assert m.scenario.name == "regional_default"
    assert m.scenario.stance.initial_mean == 0.9
    assert m.scenario.access.threshold.control == 1.1
    with pytest.raises(ScenarioError, match="did you mean 'stance.initial_mean'"):
        EcosimModel(small_scenario(), stance__inital_mean=0.9)
    with pytest.raises(ValueError, match="either seed or rng"):
        EcosimModel(small_scenario(), seed=1, rng=2)
