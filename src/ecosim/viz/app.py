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

import ctypes
import gc
import os
import threading
import warnings

import solara
import solara.lab
import solara.server.settings
import solara.util

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


def _release_memory() -> None:
    """Collect a closed session's runs (citizens and models form reference cycles) and hand the memory back."""
    gc.collect()
    try:  # glibc keeps freed memory for reuse unless asked; elsewhere there is no such call
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _on_kernel_start() -> object:
    """When a session ends, free its memory once Solara lets go of it.

    Solara's pending cull task still holds the session until the cull timeout has passed,
    and an idle server would not run the cyclic garbage collector by itself: collect
    shortly after the close and again once the cull task has let go.
    """

    def on_close() -> None:
        wait = solara.util.parse_timedelta(solara.server.settings.kernel.cull_timeout)
        for delay in (1.0, wait + 2.0):
            timer = threading.Timer(delay, _release_memory)
            timer.daemon = True
            # Solara binds a thread to the session it starts in, which would keep the session alive.
            timer.current_context = None  # type: ignore[attr-defined]
            timer.start()

    return on_close


solara.lab.on_kernel_start(_on_kernel_start)
# Local http has no samesite=none cookies; Solara falls back to lax and says so in 12 lines per page load.
warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")


def start_compare() -> bool:
    """Whether the page starts side by side."""
    return os.environ.get(COMPARE_ENV, "1").strip().lower() not in {"0", "false", "no", "off"}


@solara.component
def Page() -> None:
    """One browser session: its own runs of the scenario, its own controls."""
    EcosimPage(resolve_scenario(os.environ.get(SCENARIO_ENV)), start_compare())
