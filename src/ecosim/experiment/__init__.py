"""Experiments: declarative sweeps with replications, run on any executor, resumable.

The runner (and with it pandas and Dask) is imported on first use of ``sweep`` or
``SweepSummary``, so validating an experiment file stays quick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ecosim.experiment.design import Experiment, ExperimentError, RunSpec, expand, load_experiment

if TYPE_CHECKING:
    from ecosim.experiment.runner import SweepSummary, sweep

__all__ = ["Experiment", "ExperimentError", "RunSpec", "SweepSummary", "expand", "load_experiment", "sweep"]


def __getattr__(name: str) -> Any:
    if name in ("SweepSummary", "sweep"):
        from ecosim.experiment import runner

        return getattr(runner, name)
    raise AttributeError(f"module 'ecosim.experiment' has no attribute {name!r}")
