"""The visual page of ecosim: Mesa's SolaraViz. Serve it with ``ecosim viz`` or ``solara run`` on this file.

``solara run src/ecosim/viz/app.py`` works from any folder. The scenario file comes from
the environment variable ``ECOSIM_VIZ_SCENARIO`` (default: the bundled
``regional_default.toml``); ``ECOSIM_VIZ_COMPARE=0`` starts with one run instead of two
variants side by side. Settings for a server on one's own machine, unless the environment
says otherwise: a closed tab's session (and its models' memory) is freed after
:data:`CULL_TIMEOUT`, and Solara's warning about cookies over plain http is not printed on
every page load.
"""

from __future__ import annotations

import os
import warnings

import solara
import solara.server.settings

from ecosim.viz.page import EcosimPage
from ecosim.viz.scenarios import resolve_scenario

SCENARIO_ENV = "ECOSIM_VIZ_SCENARIO"
"""Environment variable through which ``ecosim viz`` tells the page its scenario file."""

COMPARE_ENV = "ECOSIM_VIZ_COMPARE"
"""Environment variable: "0" starts the page with one run rather than two side by side."""

CULL_TIMEOUT = "20s"
"""How long a session outlives its closed tab (Solara's default keeps its models for 24 h)."""

if "SOLARA_KERNEL_CULL_TIMEOUT" not in os.environ:
    solara.server.settings.kernel.cull_timeout = CULL_TIMEOUT
# Local http has no samesite=none cookies; Solara falls back to lax and says so in 12 lines per page load.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")


def start_compare() -> bool:
    """Whether the page starts side by side."""
    return os.environ.get(COMPARE_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


@solara.component
def Page() -> None:
    """One browser session: its own runs of the scenario, its own controls."""
    EcosimPage(resolve_scenario(os.environ.get(SCENARIO_ENV)), start_compare())
