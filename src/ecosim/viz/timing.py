"""How long one Step takes on the page: the model's month plus the page's re-render.

The page's budget is 200 ms per Step for ``regional_default``; ``ecosim viz --measure``
prints these figures (docs/PERFORMANCE.md). The page is rendered in this process, without a
browser or a server, and its Step button is clicked: that is all the server does for a Step
(the month, then every picture saved again, the table and the month label). Sending the
result to the browser and drawing it there come on top.
"""

from __future__ import annotations

import contextlib
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ecosim.viz.page_model import PageModel


@dataclass(frozen=True)
class StepTiming:
    """Medians over the months measured [ms], and the slowest Step."""

    months: int
    total_ms: float  # Step on the page: model step and re-render
    step_ms: float  # the model's step alone
    slowest_ms: float
    cpu_ms: float  # processor time of a Step on the page: less sensitive to other load on a shared machine

    @property
    def render_ms(self) -> float:
        """The page's share of a Step: total minus the model's step."""
        return self.total_ms - self.step_ms

    def __str__(self) -> str:
        return (
            f"step + render: median {self.total_ms:.0f} ms (step {self.step_ms:.0f} ms, render "
            f"{self.render_ms:.0f} ms; processor time {self.cpu_ms:.0f} ms), slowest {self.slowest_ms:.0f} ms, "
            f"over {self.months} months"
        )


def _timed(action: Callable[[], object], times: int) -> tuple[list[float], list[float]]:
    """Wall-clock and processor times of each call [ms]."""
    wall, cpu = [], []
    for _ in range(times):
        w0, c0 = time.perf_counter(), time.process_time()
        action()
        wall.append((time.perf_counter() - w0) * 1000.0)
        cpu.append((time.process_time() - c0) * 1000.0)
    return wall, cpu


def measure(path: Path, months: int = 24, compare: bool = True) -> StepTiming:
    """Click Step ``months`` times on the page of scenario file ``path``; time the model alone too.

    The model's step alone is timed on a second page model of the same scenario and seed,
    which goes through the same months (both variants when ``compare``).
    """
    import ipyvuetify
    import solara

    from ecosim.viz.page import EcosimPage

    with contextlib.redirect_stdout(io.StringIO()):  # keep widget reprs out of the report
        page = EcosimPage(Path(path).resolve(), compare)
        _, rc = solara.render(solara.AppLayout(children=[page]), handle_error=False)
    try:
        step_button = rc.find(ipyvuetify.Btn, children=["Step"]).widget
        step_button.click()  # the first Step waits for the build: not a Step's cost
        total, cpu = _timed(step_button.click, months)
    finally:
        rc.close()
    model = PageModel(path, compare=compare)
    model.step()
    step, _ = _timed(model.step, months)
    median = statistics.median
    return StepTiming(months, median(total), median(step), max(total), median(cpu))
