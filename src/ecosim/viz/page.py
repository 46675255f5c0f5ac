"""The page of one browser session: its state (model, levers, month) and its layout.

The layout follows Mesa's ``SolaraViz`` (app bar; a sidebar with Reset, Play and Step, the
parameters and the run's information; the pictures beside it) but is written in Solara
directly: ``SolaraViz`` rebuilds models on Reset through Mesa's own ``Scenario`` type, which
ecosim's typed scenario is not, and ``mesa.visualization`` imports altair, which the pinned
set lacks. State lives in ``solara.use_reactive`` inside the page, so two visitors step two
independent models.
"""

from __future__ import annotations

import time
from pathlib import Path

import solara
import solara.lab

from ecosim.viz.session import Setup
from ecosim.viz.sidebar import AppliedLevers, LeverInputs, RunControls
from ecosim.viz.views import PAGE_STYLE, MonthView

PLAY_PAUSE_S = 0.05
"""Pause between months while playing, so the browser keeps up and clicks get through."""


@solara.component
def EcosimPage(path: Path) -> None:
    """The whole page for one browser session, starting from the scenario file ``path``."""
    first = solara.use_memo(lambda: Setup.load(path), [path])
    setup = solara.use_reactive(first)  # what the controls show
    applied = solara.use_reactive(first)  # what the running model was built from
    model = solara.use_reactive(solara.use_memo(first.build, [first]))
    tick = solara.use_reactive(0)  # months stepped since Reset: the pictures follow it
    finished = solara.use_reactive(False)  # the run reached its last month
    playing = solara.use_reactive(False)
    error = solara.use_reactive("")

    def step() -> None:
        m = model.value
        if not m.running:
            return
        m.step()
        tick.value += 1
        finished.set(not m.running)

    def play_loop() -> None:
        while playing.value and not finished.value:
            step()
            time.sleep(PLAY_PAUSE_S)
        playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    def reset() -> None:
        playing.set(False)
        try:
            new = setup.value.build()
        except ValueError as exc:  # an invalid combination of levers (pydantic says which)
            error.set(str(exc))
            return
        error.set("")
        applied.set(setup.value)
        model.set(new)
        tick.set(0)
        finished.set(False)

    m = model.value
    solara.Title("ecosim")
    solara.Style(PAGE_STYLE)
    with solara.AppBar():
        solara.AppBarTitle(f"ecosim: {m.scenario.name}")
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            RunControls(playing, finished.value, step, reset)
            if error.value:
                solara.Error(error.value)
        with solara.Card("Scenario and levers"):
            LeverInputs(setup)
            if setup.value != applied.value:
                solara.Warning("Changed: press Reset to apply.", dense=True)
        with solara.Card("This run"):
            AppliedLevers(m, applied.value)
    MonthView(m, tick)
