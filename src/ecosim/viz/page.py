"""The page: Mesa's SolaraViz with ecosim's model, parameters and pictures, and a scenario picker.

Each browser session gets its own :class:`~ecosim.viz.page_model.PageModel` (two sessions
step two independent runs). SolaraViz brings the app bar, Play/Step/Reset and the model
parameters (the levers, generated from the scenario schema); the picker loads another
scenario file, whose own values the levers then start from.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara
from mesa.visualization import SolaraViz

from ecosim.scenario import ScenarioError
from ecosim.viz.components import COMPONENTS, PAGE_STYLE, BuildStatus, RunInfo
from ecosim.viz.page_model import PageModel
from ecosim.viz.params import model_params
from ecosim.viz.scenarios import scenario_files

PLAY_INTERVAL_MS = 50
"""Pause between months while playing, so the browser keeps up and clicks get through."""


@solara.component
def EcosimPage(path: Path, compare: bool = True) -> None:
    """The whole page for one browser session, starting from the scenario file ``path``."""
    first = solara.use_memo(lambda: PageModel(path, compare=compare), [])
    model = solara.use_reactive(first)
    current = solara.use_reactive(Path(first.path))
    error = solara.use_reactive("")
    confirmed = solara.use_reactive(frozenset())  # large scenario files this session agreed to build
    params = solara.use_memo(lambda: model_params(current.value, model.value.compare), [current.value])

    def release_when_replaced() -> Callable[[], None]:
        # Runs when Reset or the picker replaces the model, and when the session closes. Mesa's
        # controller hands its model to solara.lab.use_task, which Solara keeps for the server's
        # life: release the heavy part (the built runs) so that memory is freed all the same.
        return model.value.release

    solara.use_effect(release_when_replaced, [model.value])

    def pick(name: str) -> None:
        new_path = next(p for p in scenario_files(current.value.parent) if p.name == name)
        try:
            new = PageModel(new_path, compare=model.value.compare)
        except ScenarioError as exc:
            error.set(str(exc))
            return
        error.set("")
        current.set(new.path)
        model.set(new)

    solara.Title("ecosim")
    solara.Style(PAGE_STYLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Scenario file"):
            solara.Select(
                "Scenario file",
                values=[p.name for p in scenario_files(current.value.parent)],
                value=current.value.name,
                on_value=pick,
            )
            if error.value:
                solara.Error(error.value)
            BuildStatus(model.value, confirmed)
        with solara.Card("This run"):
            RunInfo(model.value)
    SolaraViz(
        model,
        components=list(COMPONENTS),
        model_params=params,
        name=f"ecosim: {model.value.base.name}",
        play_interval=PLAY_INTERVAL_MS,
    ).key(str(current.value))  # another file: Mesa's parameter controls start again from its values
