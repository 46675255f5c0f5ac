"""What one browser session sets up: a scenario file and the values of its levers.

Plain Python, no Solara: the page keeps a :class:`Setup` per session and builds a new
model from it on Reset, and tests can do the same without a browser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ecosim.model import EcosimModel
from ecosim.scenario import Scenario, load_scenario
from ecosim.viz.controls import Control, controls_for, overrides, scenario_files, value_at

SCENARIO_ENV = "ECOSIM_VIZ_SCENARIO"
"""Environment variable through which ``ecosim viz`` tells the page its scenario file."""

DEFAULT_SCENARIO = Path("scenarios/regional_default.toml")
"""Scenario shown when none is given (relative to the working directory)."""


def scenario_from_env() -> Path:
    """The scenario file the page starts with."""
    return Path(os.environ.get(SCENARIO_ENV) or DEFAULT_SCENARIO).resolve()


@dataclass(frozen=True)
class Setup:
    """A scenario file, its controls and their current values: what Reset builds."""

    path: Path
    base: Scenario
    controls: tuple[Control, ...]
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Setup:
        """Load a scenario file; every control starts at the scenario's own value."""
        base = load_scenario(path)
        controls = tuple(controls_for(base))
        return cls(Path(path).resolve(), base, controls, {c.key: c.value for c in controls})

    def with_value(self, key: str, value: Any) -> Setup:
        """The same setup with one control moved."""
        if key not in self.values:
            raise KeyError(f"no control {key!r}")
        return replace(self, values={**self.values, key: value})

    def choices(self) -> list[Path]:
        """Scenario files the picker offers (the folder of this one)."""
        return scenario_files(self.path.parent)

    def scenario(self) -> Scenario:
        """The scenario with the levers applied."""
        return self.base.with_overrides(overrides(list(self.controls), self.values))

    def build(self) -> EcosimModel:
        """A new model of this setup (the scenario's own seed)."""
        return EcosimModel(self.scenario())


def applied_levers(scenario: Scenario, controls: tuple[Control, ...]) -> list[tuple[str, str]]:
    """The levers as a model's scenario actually holds them: (label, formatted value)."""
    out = []
    for c in controls:
        v = value_at(scenario, c.path)
        v = v if c.index is None else v[c.index]
        out.append((c.label, f"{v:.2f}" if isinstance(v, float) else str(v)))
    return out
