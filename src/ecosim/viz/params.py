"""The page's model parameters for Mesa's SolaraViz, generated from the scenario schema.

:func:`model_params` turns the levers of :mod:`ecosim.viz.controls` (names, bounds and
choices from the pydantic fields, values from the loaded file) into SolaraViz's
``model_params``: Mesa draws the sliders and selects, and its Reset builds a new
:class:`~ecosim.viz.page_model.PageModel` with them as keywords.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ecosim.scenario import load_scenario
from ecosim.viz.controls import Control, controls_for
from ecosim.viz.page_model import VARIANTS

COMPARE_LABEL = "Side by side: cost control vs transformation"


def control_param(c: Control) -> dict[str, Any]:
    """One lever as a SolaraViz input (a slider with the schema's bounds, or a select)."""
    if c.kind == "choice":
        return {"type": "Select", "value": c.value, "values": list(c.choices), "label": c.label}
    if c.kind == "int":
        return {"type": "SliderInt", "value": int(c.value), "min": int(c.min or 0), "max": int(c.max or 0),
                "step": int(c.step or 1), "label": c.label}  # fmt: skip
    return {"type": "SliderFloat", "value": float(c.value), "min": c.min, "max": c.max, "step": c.step,
            "label": c.label}  # fmt: skip


def model_params(path: Path, compare: bool = True) -> dict[str, Any]:
    """SolaraViz ``model_params`` for the scenario file ``path``: seed, side by side, the levers."""
    base = load_scenario(path)
    params: dict[str, Any] = {
        "scenario_file": str(path),  # fixed: the page's picker chooses the file
        "rng": {"type": "InputText", "value": str(base.run.seed), "label": "Seed (every variant)"},
        "compare": {"type": "Checkbox", "value": compare, "label": COMPARE_LABEL},
    }
    for key, (name, stance) in zip(("stance_a", "stance_b"), VARIANTS, strict=True):
        params[key] = {"type": "SliderFloat", "value": stance, "min": 0.0, "max": 1.0, "step": 0.01,
                       "label": f"Side by side: initial stance of {name}"}  # fmt: skip
    for c in controls_for(base):
        params[c.key] = control_param(c)
    params["stance.initial_mean"]["label"] = "Initial stance (one run)"
    return params
