"""ecosim: an agent-based model of the Dutch municipal social domain on Mesa.

Notebook use::

    import ecosim
    result = ecosim.run("scenarios/regional_default.toml", months=60, seed=1)
    result.model_df.plot(x="month", y="spending")
"""

from ecosim.api import RunResult, run
from ecosim.model import EcosimModel
from ecosim.scenario import Scenario, ScenarioError, load_scenario

__all__ = ["EcosimModel", "RunResult", "Scenario", "ScenarioError", "load_scenario", "run"]
__version__ = "0.1.0"
