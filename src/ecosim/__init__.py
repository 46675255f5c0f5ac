"""ecosim: an agent-based model of the Dutch municipal social domain on Mesa.

Notebook use::

    import ecosim
    result = ecosim.run("scenarios/regional_default.toml", months=60, seed=1)
    result.model_df.plot(x="month", y="spending")
    summary = ecosim.sweep("experiments/cost_control_vs_transformation_quick.toml", out="results/quick")

The names below are imported on first use (module ``__getattr__``), so ``import ecosim`` and
the ``ecosim`` command line do not load pandas, Mesa, matplotlib or Dask until a command or
attribute needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ecosim.api import RunResult, run
    from ecosim.experiment import Experiment, SweepSummary, sweep
    from ecosim.model import EcosimModel
    from ecosim.scenario import Scenario, ScenarioError, load_scenario

_LAZY: dict[str, str] = {
    "EcosimModel": "ecosim.model",
    "Experiment": "ecosim.experiment",
    "RunResult": "ecosim.api",
    "Scenario": "ecosim.scenario",
    "ScenarioError": "ecosim.scenario",
    "SweepSummary": "ecosim.experiment",
    "load_scenario": "ecosim.scenario",
    "run": "ecosim.api",
    "sweep": "ecosim.experiment",
}
"""Public name -> the module that defines it (imported when the name is first used)."""

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


_SUBMODULES: frozenset[str] = frozenset(
    {"agents", "api", "calibration", "cli", "declared", "errors", "experiment", "model", "outputs", "report"}
    | {"scenario", "viz"}
)
"""Subpackages reachable as attributes (``ecosim.model``), as when ``import ecosim`` imported them."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"ecosim.{name}")
    raise AttributeError(f"module 'ecosim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
