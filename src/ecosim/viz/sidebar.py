"""The sidebar: Reset, Play and Step; the scenario picker and the levers; the running model's levers."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import solara

from ecosim.model import EcosimModel
from ecosim.scenario import ScenarioError
from ecosim.viz.controls import Control
from ecosim.viz.session import Setup, applied_levers


@solara.component
def RunControls(
    playing: solara.Reactive[bool],
    finished: bool,
    on_step: Callable[[], None],
    on_reset: Callable[[], None],
) -> None:
    """Reset, Play/Pause and Step, as in Mesa's ``ModelController``."""
    with solara.Row(justify="space-between"):
        solara.Button("Reset", color="primary", on_click=on_reset)
        solara.Button(
            "Pause" if playing.value else "Play",
            color="primary",
            on_click=lambda: playing.set(not playing.value),
            disabled=finished,
        )
        solara.Button("Step", color="primary", on_click=on_step, disabled=playing.value or finished)


def slider_label(control: Control, value: Any) -> str:
    """What a slider shows beside it: the element (or lever) name and the value."""
    name = control.part or control.heading
    return f"{name} {value:.2f}" if control.kind == "float" else f"{name} {value}"


@solara.component
def ControlInput(control: Control, value: Any, on_value: Callable[[Any], None]) -> None:
    """One lever: a slider with the schema's bounds, or a select of the schema's choices."""
    c = control
    if c.kind == "choice":
        solara.Select(c.part or c.heading, values=list(c.choices), value=value, on_value=on_value)
    elif c.kind == "int":
        solara.SliderInt(
            slider_label(c, value),
            value=int(value),
            min=int(c.min or 0),
            max=int(c.max or 0),
            step=int(c.step or 1),
            on_value=on_value,
            thumb_label=False,
        )
    else:
        solara.SliderFloat(
            slider_label(c, value), value=value, min=c.min, max=c.max, step=c.step, on_value=on_value, thumb_label=False
        )


@solara.component
def LeverInputs(setup: solara.Reactive[Setup]) -> None:
    """Scenario picker and the levers generated from the scenario schema, grouped by lever."""
    error = solara.use_reactive("")

    def pick(name: str) -> None:
        try:
            setup.set(Setup.load(setup.value.path.parent / name))
            error.set("")
        except ScenarioError as exc:
            error.set(str(exc))

    def move(key: str, value: Any) -> None:
        setup.set(setup.value.with_value(key, value))

    s = setup.value
    solara.Select("Scenario file", values=[p.name for p in s.choices()], value=s.path.name, on_value=pick)
    if error.value:
        solara.Error(error.value)
    for (heading, description), group in itertools.groupby(s.controls, key=lambda c: (c.heading, c.description)):
        group = list(group)
        if group[0].part:  # a list field: its heading (description on hover) above a slider per element
            solara.v.Html(
                tag="div", attributes={"title": description}, class_="text-subtitle-2 mt-2", children=[heading]
            )
        for c in group:
            ControlInput(c, s.values[c.key], lambda v, key=c.key: move(key, v))


@solara.component
def AppliedLevers(model: EcosimModel, setup: Setup) -> None:
    """The levers as the running model holds them (read back from its scenario)."""
    with solara.Column(gap="2px", classes=["ecosim-applied"]):
        solara.Text(f"Scenario {model.scenario.name}, seed {model.seed}", style={"font-weight": "bold"})
        for label, value in applied_levers(model.scenario, setup.controls):
            solara.Text(f"{label}: {value}")
