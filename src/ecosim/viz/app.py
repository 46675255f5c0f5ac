"""The visual page of ecosim, served by ``ecosim viz`` (``solara run`` on this file).

The scenario file comes from the environment variable ``ECOSIM_VIZ_SCENARIO``; the page
itself is :func:`ecosim.viz.page.EcosimPage`.
"""

from __future__ import annotations

import solara

from ecosim.viz.page import EcosimPage
from ecosim.viz.session import scenario_from_env


@solara.component
def Page() -> None:
    """One browser session: its own model of the scenario, its own controls."""
    EcosimPage(scenario_from_env())
