"""EcosimModel.scenario is Mesa's Scenario (SolaraViz requires it) and still reads like ecosim's."""

from pathlib import Path

from mesa.experimental.scenarios import Scenario as MesaScenario

from ecosim import EcosimModel, load_scenario
from ecosim.model.mesa_scenario import EcosimScenario
from ecosim.scenario import Scenario

REGIONAL = Path(__file__).resolve().parents[2] / "scenarios/regional_default.toml"


def test_model_scenario_is_mesa_scenario_wrapping_the_validated_one():
    params = load_scenario(REGIONAL).with_overrides({"run.months": 2})
    model = EcosimModel(params, seed=7)
    s = model.scenario
    assert isinstance(s, MesaScenario) and isinstance(s, EcosimScenario)
    assert s.params is params and s.model is model and s.rng == 7
    assert s.access.threshold == params.access.threshold and s.run.months == 2
    assert s.lever_pairs() == params.lever_pairs() and s.model_dump() == params.model_dump()
    assert s.base_dir == params.base_dir and s.name == "regional_default"
    assert dict(s)["stance"] is params.stance  # the groups are Mesa's scenario attributes


def test_mesa_scenario_defaults_and_overrides():
    assert EcosimScenario().params == Scenario()
    moved = EcosimScenario(load_scenario(REGIONAL), **{"stance.initial_mean": 0.9})
    assert moved.stance.initial_mean == 0.9 and moved.rng == moved.run.seed
    assert EcosimScenario(moved).params is moved.params
