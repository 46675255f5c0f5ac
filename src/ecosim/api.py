"""The Python API behind the CLI: run a scenario and get its tables back."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ecosim.model import EcosimModel
from ecosim.scenario import Scenario, load_scenario


@dataclass
class RunResult:
    """The outputs of one run: monthly model totals, monthly rows per municipality, metadata."""

    model_df: pd.DataFrame
    municipalities_df: pd.DataFrame
    scenario: Scenario
    seed: int
    months: int
    wall_seconds: float
    model: EcosimModel | None = field(default=None, repr=False)


def run(
    scenario: Scenario | str | Path,
    months: int | None = None,
    seed: int | None = None,
    progress: bool = False,
    overrides: dict[str, Any] | None = None,
) -> RunResult:
    """Run one scenario (object or TOML path) and return its outputs.

    Args:
        scenario: a validated :class:`Scenario` or the path of a scenario file.
        months: months to simulate (default: the scenario's ``run.months``).
        seed: root seed (default: the scenario's ``run.seed``).
        progress: show a progress bar over months.
        overrides: dotted-path parameter overrides, e.g. ``{"stance.initial_mean": 0.9}``.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    if overrides:
        scenario = scenario.with_overrides(overrides)
    months = scenario.run.months if months is None else months
    seed = scenario.run.seed if seed is None else seed
    start = time.perf_counter()
    model = EcosimModel(scenario, seed=seed)
    model.run(months, progress=progress)
    wall = time.perf_counter() - start
    return RunResult(
        model.recorder.model_frame(), model.recorder.municipality_frame(), scenario, seed, months, wall, model
    )
