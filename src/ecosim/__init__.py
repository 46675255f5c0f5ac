"""ecosim: an agent-based model of the Dutch municipal social domain on Mesa.

Notebook use::

    import ecosim
    result = ecosim.run("scenarios/regional_default.toml", months=60, seed=1)
    result.model_df.plot(x="month", y="spending")
    summary = ecosim.sweep("experiments/cost_control_vs_transformation_quick.toml", out="results/quick")
"""

from ecosim.api import RunResult, run
from ecosim.experiment import Experiment, SweepSummary, sweep
from ecosim.model import EcosimModel
from ecosim.scenario import Scenario, ScenarioError, load_scenario

__all__ = [
    "EcosimModel",
    "Experiment",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "SweepSummary",
    "load_scenario",
    "run",
    "sweep",
]
__version__ = "0.1.0"
