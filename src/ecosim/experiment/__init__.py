"""Experiments: declarative sweeps with replications, run on any executor, resumable."""

from ecosim.experiment.design import Experiment, ExperimentError, RunSpec, expand, load_experiment
from ecosim.experiment.runner import SweepSummary, sweep

__all__ = ["Experiment", "ExperimentError", "RunSpec", "SweepSummary", "expand", "load_experiment", "sweep"]
